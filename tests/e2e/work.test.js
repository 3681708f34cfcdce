// Work plans and tracking (工作计划执行跟踪): the tracking table shows the demo's overdue work items highlighted (also
// with the overdue filter) and their timeline; a member reports progress on a work item they own; Quality records a
// check (an API error lands next to the field it names) and verifies it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, login, shot, visit, settle, assertNoProblems, fieldError, BASE } from './harness.js'

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

const thisYear = () => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()))

async function tracking(page, query = '') {
  const res = await page.request.get(`${BASE}/api/v1/tracking?year=${thisYear()}&limit=500${query}`)
  assert.equal(res.status(), 200)
  return (await res.json()).items
}

test('the tracking table shows the overdue items highlighted, filters them and draws the timeline', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'quality')
    await page.getByTestId('menu-item-work-tracking').click()
    await page.getByTestId('tracking-table').locator('tbody tr').first().waitFor()
    await settle(page)
    const overdue = (await tracking(page)).filter((r) => r.overdue)
    assert.ok(overdue.length > 0, 'the demo has overdue work items')
    for (const r of overdue) {
      const tag = page.getByTestId(`task-overdue-${r.id}`)
      assert.match(await tag.innerText(), new RegExp(`${r.delay_days}`))
      const row = page.getByTestId('tracking-table').locator('tr.row-overdue', { has: page.getByTestId(`task-${r.id}`) })
      assert.equal(await row.count(), 1, `work item ${r.id} is highlighted`)
    }
    await shot(page, 'work-tracking')

    await page.getByTestId('tracking-overdue').click()
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="tracking-table"] .el-table__body tr.el-table__row').length === n,
      overdue.length)
    await settle(page)
    assert.equal(await page.locator('[data-testid^="task-overdue-"]').count(), overdue.length)
    await shot(page, 'work-tracking-overdue')

    await page.getByRole('tab', { name: '时间线' }).click()
    await page.getByTestId('tracking-timeline').locator('.bar.overdue').first().waitFor()
    await shot(page, 'work-timeline')
    assertNoProblems(problems, 'the tracking table')
  } finally {
    await context.close()
  }
})

test('a member reports progress on a work item they own', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'member')
    const me = await (await page.request.get(`${BASE}/api/v1/me`)).json()
    const mine = (await tracking(page)).find((r) => r.owner_user_id === me.id && ['in_progress', 'delayed', 'not_started'].includes(r.status))
    assert.ok(mine, 'the member owns an open work item in the demo')
    await visit(page, '/work/tracking')
    await page.getByTestId(`task-report-${mine.id}`).click()
    const dialog = page.getByTestId('progress-dialog')
    await dialog.getByTestId('progress-note').waitFor()
    const percent = Math.min(95, (mine.percent || 0) + 10)
    await dialog.getByTestId('progress-percent').locator('input').fill(String(percent))
    await dialog.getByTestId('progress-note').fill('端到端测试：本周完成规则梳理')
    await dialog.getByTestId('progress-evidence').fill('https://wiki.example.com/progress')
    await shot(page, 'work-progress-dialog')
    await dialog.getByTestId('progress-save').click()
    await dialog.waitFor({ state: 'hidden' })
    const row = page.getByTestId('tracking-table').locator('tr', { has: page.getByTestId(`task-${mine.id}`) })
    await row.filter({ hasText: '端到端测试：本周完成规则梳理' }).waitFor()
    assert.match(await row.innerText(), new RegExp(`${percent}%`))
    await shot(page, 'work-progress-reported')
    // a member is offered no quality check
    assert.equal(await page.locator('[data-testid^="task-check-"]').count(), 0)
    assertNoProblems(problems, "the member's progress report")
  } finally {
    await context.close()
  }
})

test('quality records a check (errors next to their field) and verifies it', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'quality')
    const item = (await tracking(page)).find((r) => r.overdue)
    await visit(page, '/work/tracking')
    await page.getByTestId(`task-check-${item.id}`).click()
    const dialog = page.getByTestId('check-dialog')
    await dialog.getByTestId('check-finding').waitFor()
    const checkedOn = await dialog.locator('input[name="checked_on"]').inputValue()
    await dialog.getByTestId('check-finding').fill('端到端检查：进度落后于计划')
    await dialog.locator('input[name="due_date"]').fill('2000-01-01')
    await dialog.locator('input[name="due_date"]').press('Enter')
    await dialog.getByTestId('check-save').click()
    await fieldError(dialog, '整改期限').waitFor()
    await shot(page, 'work-check-error')
    const [y, m, d] = checkedOn.split('-').map(Number)
    const due = new Date(Date.UTC(y, m - 1, d + 14)).toISOString().slice(0, 10)
    await dialog.locator('input[name="due_date"]').fill(due)
    await dialog.locator('input[name="due_date"]').press('Enter')
    await dialog.getByTestId('check-save').click()
    await dialog.waitFor({ state: 'hidden' })
    await settle(page)

    const check = (await tracking(page)).find((r) => r.id === item.id).checks.find((c) => c.finding === '端到端检查：进度落后于计划')
    assert.ok(check && !check.verified)
    const row = page.getByTestId('tracking-table').locator('tr.el-table__row', { has: page.getByTestId(`task-${item.id}`) })
    await row.locator('.el-table__expand-icon').click()
    await page.getByTestId(`check-verify-${check.id}`).click()
    await page.locator('.el-message-box .el-button--primary').click()
    await page.getByTestId(`check-${check.id}`).filter({ hasText: '已验证' }).waitFor()
    await shot(page, 'work-check-verified')
    assertNoProblems(problems, "quality's check")
  } finally {
    await context.close()
  }
})
