// The measurement plan and achievement table (度量计划与达成表): Quality opens the table, sees that the demo's open
// missed value (PRC-INC-ONTIME in the latest month of the current year, no deviation analysis yet) blocks closing
// its period, enters the analysis and corrective action in the value dialog, and then closes the period; a metric's
// chart is loaded on demand; a department member sees the table but no close or compute button.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, login, shot, visit, settle, assertNoProblems, BASE } from './harness.js'

let browser
let quality
let target // { year, period } of the demo's missed value lacking its analysis

before(async () => {
  browser = await launchBrowser()
  quality = await openPage(browser)
  await login(quality.page, 'quality')
})
after(async () => {
  await quality?.context.close()
  await browser?.close()
})

async function findOpenMissed(page) {
  const tz = 'Asia/Shanghai'
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric' }).format(new Date()))
  const res = await page.request.get(`${BASE}/api/v1/achievement?year=${year}`)
  assert.equal(res.status(), 200)
  const body = await res.json()
  const row = body.items.find((r) => r.metric.code === 'PRC-INC-ONTIME')
  assert.ok(row, 'the demo has PRC-INC-ONTIME this year')
  const v = row.values.find((x) => x.status === 'missed' && !x.closed && !x.deviation_analysis)
  assert.ok(v, 'the demo has an open missed PRC-INC-ONTIME value without its analysis')
  return { year, period: v.period }
}

async function chooseClosePeriod(page, period) {
  await page.getByTestId('close-period-select').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^\\s*${period}\\s*$`) }).click()
}

test('quality opens the achievement table: coloured cells, closed periods locked', async () => {
  const { page, problems } = quality
  await page.getByTestId('menu-item-metrics-achievement').click()
  await page.getByTestId('metric-row-PRC-INC-ONTIME').waitFor()
  target = await findOpenMissed(page)
  await settle(page)
  const cell = page.getByTestId(`cell-PRC-INC-ONTIME-${target.period}`)
  assert.equal(await cell.getAttribute('data-status'), 'missed')
  assert.match(await cell.innerText(), /%/)
  assert.ok(await page.getByTestId('cell-lock').count() > 0, 'the demo has closed periods, shown with a lock')
  assert.ok(await page.locator('[data-status="met"]').count() > 0)
  await shot(page, 'metrics-achievement')

  // a metric's chart is loaded when asked for
  await page.getByTestId('metric-chart-PRC-INC-ONTIME').click()
  await page.getByTestId('chart-dialog').locator('canvas').first().waitFor()
  await shot(page, 'metrics-chart')
  await page.keyboard.press('Escape')
  await page.getByTestId('chart-dialog').waitFor({ state: 'hidden' })
  assertNoProblems(problems, 'the achievement table')
})

test('closing is refused while the missed value lacks its analysis, and the blocking metric is named', async () => {
  const { page, problems } = quality
  await chooseClosePeriod(page, target.period)
  await page.getByTestId('achievement-close').click()
  await page.locator('.el-message-box .el-button--primary').click()
  const err = page.getByTestId('close-error')
  await err.waitFor()
  assert.match(await err.innerText(), /PRC-INC-ONTIME/)
  await shot(page, 'metrics-close-refused')
  assertNoProblems(problems, 'the refused close')
})

test('quality enters the deviation analysis and corrective action, then closes the period', async () => {
  const { page, problems } = quality
  await page.getByTestId(`cell-PRC-INC-ONTIME-${target.period}`).click()
  const dialog = page.getByTestId('value-dialog')
  await dialog.getByTestId('value-deviation').waitFor()
  assert.match(await dialog.getByTestId('value-status').innerText(), /未达标/)
  // the demo entered numerator and denominator: the dialog shows them
  assert.ok((await dialog.getByTestId('value-numerator').inputValue()).length > 0)
  await dialog.getByTestId('value-deviation').fill('机房空调故障导致事件集中爆发，一线处理能力不足。')
  await dialog.getByTestId('value-corrective').fill('夜间增设二线值班，空调纳入巡检。')
  await dialog.getByTestId('value-evidence').fill('ITSM 月度事件报表')
  await shot(page, 'metrics-value-dialog')
  await dialog.getByTestId('value-save').click()
  await dialog.waitFor({ state: 'hidden' })
  await settle(page)

  await chooseClosePeriod(page, target.period)
  await page.getByTestId('achievement-close').click()
  await page.locator('.el-message-box .el-button--primary').click()
  await page.getByTestId(`cell-PRC-INC-ONTIME-${target.period}`).getByTestId('cell-lock').waitFor()
  assert.equal(await page.getByTestId('close-error').count(), 0)
  await shot(page, 'metrics-period-closed')

  // the closed value reads back with its analysis and is no longer editable
  await page.getByTestId(`cell-PRC-INC-ONTIME-${target.period}`).click()
  await dialog.getByTestId('value-deviation').waitFor()
  assert.equal(await dialog.getByTestId('value-save').count(), 0)
  assert.match(await dialog.getByTestId('value-deviation').inputValue(), /空调/)
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  assertNoProblems(problems, 'entering the analysis and closing the period')
})

test('a member sees the achievement table but cannot close or compute', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'member')
    await visit(page, '/metrics/achievement')
    await page.getByTestId('metric-row-PRC-INC-ONTIME').waitFor()
    await settle(page)
    assert.equal(await page.getByTestId('achievement-close').count(), 0)
    assert.equal(await page.getByTestId('achievement-compute').count(), 0)
    assert.equal(await page.getByTestId('metric-create').count(), 0)
    await shot(page, 'metrics-member')
    assertNoProblems(problems, "the member's achievement table")
  } finally {
    await context.close()
  }
})
