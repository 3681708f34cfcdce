// The dashboard's measures: KPI cards with 12-month sparklines computed from the demo's tickets, the achievement heat
// map with its legend (a click on a cell opens the achievement table of that year), for a quality manager and — read
// the same way, in English — for a member.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, login, shot, settle, assertNoProblems } from './harness.js'

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

/** The demo's KPI totals straight from the API (the same call the dashboard makes), for comparison. */
async function apiKpis(page, from, to) {
  return page.evaluate(async ([f, t]) => {
    const r = await fetch(`/api/v1/kpis?from=${f}&to=${t}&period=month&measures=tickets,sla_response_rate`, { credentials: 'same-origin' })
    return (await r.json()).items.filter((x) => x.department_id === null)
  }, [from, to])
}

test('KPI cards show the demo numbers with sparklines; the heat map renders and a click opens the achievement table', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'quality')
    const cards = page.getByTestId('kpi-cards')
    await cards.getByTestId('kpi-tickets').waitFor()
    // one sparkline per card, drawn on a canvas
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="kpi-sparkline"] canvas').length >= 6, null, { timeout: 15_000 })
    assert.equal(await cards.getByTestId('kpi-sparkline').count(), 6)

    // the tickets card shows the latest month's number from the records (this month, or last month on its first day)
    const now = new Date()
    const ym = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
    const prev = new Date(now.getFullYear(), now.getMonth() - 1, 1)
    const end = new Date(now.getFullYear(), now.getMonth() + 1, 0)
    const rows = await apiKpis(page, `${ym(prev)}-01`, `${ym(end)}-${String(end.getDate()).padStart(2, '0')}`)
    const latest = rows.filter((r) => r.values.tickets !== undefined).sort((a, b) => (a.period < b.period ? 1 : -1))[0]
    assert.ok(latest && latest.values.tickets > 0, 'the demo has tickets in the last two months')
    assert.match(await cards.getByTestId('kpi-tickets').innerText(), new RegExp(latest.period))
    const ticketsText = (await cards.getByTestId('kpi-tickets').getByTestId('kpi-value').innerText()).trim()
    assert.equal(ticketsText, String(latest.values.tickets))
    const rate = latest.values.sla_response_rate
    assert.equal((await cards.getByTestId('kpi-sla_response_rate').getByTestId('kpi-value').innerText()).trim(), `${(rate * 100).toFixed(1)}%`)
    for (const key of ['resolution_hours_avg', 'response_minutes_avg']) {
      assert.match(await cards.getByTestId(`kpi-${key}`).getByTestId('kpi-value').innerText(), /\d/)
    }

    // the heat map: drawn, with its legend
    const panel = page.getByTestId('achievement-panel')
    await panel.getByTestId('achievement-heatmap').locator('canvas').waitFor({ timeout: 15_000 })
    await settle(page)
    await shot(page, 'dashboard-kpis')
    await panel.scrollIntoViewIfNeeded()
    await page.evaluate(() => document.querySelector('[data-testid="achievement-panel"]').scrollIntoView({ block: 'start' }))
    await settle(page)
    await shot(page, 'dashboard-heatmap')

    // click the first cell (the first metric's first period it has): the achievement table opens on that year
    const box = await panel.getByTestId('achievement-heatmap').boundingBox()
    assert.ok(box)
    // scan along the first row until a click navigates
    let navigated = false
    for (let x = box.x + box.width * 0.25; x < box.x + box.width - 10 && !navigated; x += 20) {
      await page.mouse.click(x, box.y + 20)
      navigated = await page.waitForURL(/\/metrics\/achievement\?/, { timeout: 400 }).then(() => true, () => false)
    }
    assert.ok(navigated, 'a click on a cell opens the achievement table')
    const url = new URL(page.url())
    assert.equal(url.searchParams.get('year'), String(now.getFullYear()))
    assert.ok(url.searchParams.get('metric'))
    // the achievement table outlines the cell that was clicked
    const focused = page.locator('.cell.focused')
    await focused.waitFor()
    assert.equal(await focused.getAttribute('data-testid'), `cell-${url.searchParams.get('metric')}-${url.searchParams.get('period')}`)
    await settle(page)
    await shot(page, 'dashboard-heatmap-click')
    assertNoProblems(problems, "the quality manager's dashboard")
  } finally {
    await context.close()
  }
})

test('a member reads the same measures in English and switches the heat map to last year', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await context.addInitScript(() => window.localStorage.setItem('nengli.locale', 'en'))
    await login(page, 'member')
    assert.match(await page.getByTestId('kpi-cards').innerText(), /Key service measures/)
    await page.getByTestId('kpi-tickets').waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="kpi-sparkline"] canvas').length >= 6, null, { timeout: 15_000 })
    assert.match(await page.getByTestId('kpi-tickets').getByTestId('kpi-value').innerText(), /^\d+$/)
    await page.getByTestId('achievement-heatmap').locator('canvas').waitFor({ timeout: 15_000 })
    // last year's plan is complete: switching the year redraws the map
    await page.getByTestId('heatmap-year').click()
    const last = String(new Date().getFullYear() - 1)
    await page.locator('.el-select-dropdown__item:visible', { hasText: last }).click()
    await page.getByTestId('achievement-panel').filter({ hasText: last }).waitFor()
    await page.getByTestId('achievement-heatmap').locator('canvas').waitFor()
    await page.evaluate(() => document.querySelector('[data-testid="kpi-cards"]').scrollIntoView({ block: 'start' }))
    await settle(page)
    await shot(page, 'dashboard-member-en')
    // the org table and the rest of the dashboard are still there
    await page.getByTestId('org-table').locator('tbody tr').first().waitFor()
    assertNoProblems(problems, "the member's dashboard")
  } finally {
    await context.close()
  }
})
