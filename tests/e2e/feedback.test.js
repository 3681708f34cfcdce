// Complaints and satisfaction surveys through the UI: a member registers a complaint; quality verifies and answers it,
// the planner rectifies and archives it (each step by a role that holds complaint.handle), and its history shows every
// step; the analysis tab counts it. Quality creates a survey campaign and opens it; one of its single-use links is
// answered by a logged-out browser, which then sees "already answered"; the answer shows up in quality's results.
// The tickets the survey samples are made through the API (a department of this run's own, so the sample is ours).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BASE, launchBrowser, openPage, login, shot, visit, settle, assertNoProblems, unique, fieldError,
} from './harness.js'

let browser
const sessions = {}

async function session(role) {
  if (!sessions[role]) {
    sessions[role] = await openPage(browser)
    await login(sessions[role].page, role)
  }
  return sessions[role]
}

/** A logged-in API caller (cookie + CSRF) for setting up records the UI test then uses. */
async function apiLogin(username) {
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: `${username}-demo` }),
  })
  assert.equal(res.status, 200, `API login of ${username}`)
  const body = await res.json()
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0]
  return async (method, path, json) => {
    const r = await fetch(`${BASE}/api/v1${path}`, {
      method, body: json === undefined ? undefined : JSON.stringify(json),
      headers: { Cookie: cookie, 'X-CSRF-Token': body.csrf_token, 'Content-Type': 'application/json' },
    })
    const text = await r.text()
    return { status: r.status, json: text ? JSON.parse(text) : null }
  }
}

/** Fills an el-input-number, wherever its data-testid landed (the wrapper or the input). */
async function fillNumber(loc, value) {
  const tag = await loc.evaluate((e) => e.tagName)
  const input = tag === 'INPUT' ? loc : loc.locator('input')
  await input.fill(value)
  await input.blur()
}

before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  for (const s of Object.values(sessions)) await s.context.close()
  await browser?.close()
})

const category = unique('服务态度-')

/** Opens the complaint with this run's category in the drawer of `page`. */
async function openComplaint(page) {
  await visit(page, '/records/complaints')
  await page.getByTestId('filter-category').fill(category)
  await page.getByTestId('filter-category').press('Enter')
  const row = page.getByTestId('complaints-table').locator('tbody tr', { hasText: category })
  await row.waitFor()
  await row.locator('a.link').click()
  const drawer = page.getByTestId('complaint-drawer')
  await drawer.getByTestId('complaint-history').waitFor()
  await settle(page)
  return drawer
}

async function step(page, drawer, action, text, { valid } = {}) {
  await drawer.getByTestId(`complaint-step-${action}`).click()
  const dlg = page.getByTestId('complaint-step-dialog')
  await dlg.getByTestId('step-text').waitFor()
  if (valid === false) await dlg.getByTestId('step-valid').click()
  await dlg.getByTestId('step-text').fill(text)
  await dlg.getByTestId('step-save').click()
  await dlg.waitFor({ state: 'hidden' })
}

test('a complaint goes register → verify → answer → rectify → archive, each by a role allowed to', async () => {
  // the member registers it (complaint.register) but may not handle it
  const m = await session('member')
  await m.page.getByTestId('menu-item-records-complaints').click()
  await m.page.getByTestId('page-complaints').waitFor()
  await settle(m.page)
  await m.page.getByTestId('complaint-create').click()
  const dlg = m.page.getByTestId('complaint-dialog')
  await dlg.getByTestId('complaint-category').waitFor()
  // nothing filled: the required fields say so and nothing is sent
  await dlg.getByTestId('complaint-save').click()
  await fieldError(dlg, '类别').waitFor()
  await dlg.getByTestId('complaint-category').fill(category)
  await dlg.getByTestId('complaint-content').fill('工程师上门晚了两个小时，也没有提前通知。')
  await dlg.getByTestId('complaint-department').click()
  await m.page.locator('.el-select-dropdown__item:visible', { hasText: 'IT运维事业部' }).click()
  await shot(m.page, 'complaint-register')
  await dlg.getByTestId('complaint-save').click()
  await dlg.waitFor({ state: 'hidden' })
  const drawer = m.page.getByTestId('complaint-drawer')
  await drawer.getByTestId('complaint-status').waitFor()
  assert.equal((await drawer.getByTestId('complaint-status').innerText()).trim(), '已登记')
  assert.equal(await drawer.locator('[data-testid^="complaint-step-"]').count(), 0, 'a member has no lifecycle buttons')
  await shot(m.page, 'complaint-registered')
  assertNoProblems(m.problems, 'registering a complaint')

  // quality verifies it as valid and answers it
  const q = await session('quality')
  let d = await openComplaint(q.page)
  assert.deepEqual(await d.locator('[data-testid^="complaint-step-"]').evaluateAll((els) => els.map((e) => e.dataset.testid)),
    ['complaint-step-verify'])
  // the answer needs its text: an empty one is refused next to the field
  await step(q.page, d, 'verify', '核实属实：工程师因前一单延误，未通知客户。')
  await d.getByTestId('complaint-step-answer').waitFor()
  await d.getByTestId('complaint-step-answer').click()
  const sd = q.page.getByTestId('complaint-step-dialog')
  await sd.getByTestId('step-save').click()
  await fieldError(sd, '答复客户的内容').waitFor()
  await sd.getByTestId('step-text').fill('已向客户致歉，并承诺今后延误时提前电话通知。')
  await sd.getByTestId('step-save').click()
  await sd.waitFor({ state: 'hidden' })
  await d.getByTestId('complaint-step-rectify').waitFor()
  assert.equal((await d.getByTestId('complaint-status').innerText()).trim(), '已答复')
  await shot(q.page, 'complaint-answered')
  assertNoProblems(q.problems, 'verifying and answering')

  // the planner rectifies and archives it
  const p = await session('planner')
  d = await openComplaint(p.page)
  await step(p.page, d, 'rectify', '调度规则增加：预计迟到超过 15 分钟必须电话告知客户。')
  await d.getByTestId('complaint-step-archive').waitFor()
  await step(p.page, d, 'archive', '整改已落实。')
  await d.getByTestId('complaint-step-reopen').waitFor()
  assert.equal((await d.getByTestId('complaint-status').innerText()).trim(), '已归档')
  const history = await d.getByTestId('complaint-history').locator('.el-timeline-item').allInnerTexts()
  assert.equal(history.length, 5, `five steps in the history: ${history.join(' | ')}`)
  for (const [i, word] of ['登记', '核实', '答复', '整改', '归档'].entries()) assert.match(history[i], new RegExp(word))
  assert.match(history[1], /quality/, 'quality verified it')
  assert.match(history[4], /planner/, 'the planner archived it')
  await shot(p.page, 'complaint-archived')

  // the analysis counts it in this month
  await p.page.keyboard.press('Escape')
  await p.page.getByRole('tab', { name: '统计分析' }).click()
  await p.page.getByTestId('analysis-table').waitFor()
  const month = new Date().toISOString().slice(0, 7)
  const row = p.page.getByTestId('analysis-table').locator('tbody tr', { hasText: month })
  assert.ok(Number((await row.locator('td').nth(1).innerText()).trim()) >= 1, 'this month has at least our complaint')
  const cats = await p.page.getByTestId('analysis-by-category').innerText()
  assert.match(cats, new RegExp(category))
  await shot(p.page, 'complaint-analysis')
  assertNoProblems(p.problems, 'rectifying, archiving and the analysis')
})

test('a survey link is answered by a logged-out visitor and the answer reaches quality', async () => {
  // a department of this run, with three closed tickets in June 2025 for the survey to sample
  const adm = await apiLogin('admin')
  const code = unique('SV').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16)
  const dept = await adm('POST', '/departments', { code, name: `调查测试部 ${code}`, name_en: `Survey dept ${code}` })
  assert.equal(dept.status, 201, JSON.stringify(dept.json))
  for (let i = 1; i <= 3; i++) {
    const at = (h) => `2025-06-${String(10 + i).padStart(2, '0')}T0${h}:00:00Z`
    const r = await adm('POST', '/tickets', {
      title: `打印机故障 ${i}`, priority: 'P3', department_id: dept.json.id, opened_at: at(1), assigned_at: at(2),
      first_response_at: at(2), resolved_at: at(4), closed_at: at(5),
    })
    assert.equal(r.status, 201, JSON.stringify(r.json))
  }

  const q = await session('quality')
  const page = q.page
  await visit(page, '/records/surveys')
  await page.getByTestId('page-surveys').waitFor()
  await settle(page)
  await page.getByTestId('survey-create').click()
  const dlg = page.getByTestId('survey-dialog')
  const name = unique('2025年6月满意度调查 ')
  await dlg.getByTestId('survey-name').fill(name)
  await dlg.getByTestId('survey-period').fill('2025-06')
  await dlg.getByTestId('survey-department').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: code }).click()
  await fillNumber(dlg.getByTestId('survey-sample'), '2')
  await shot(page, 'survey-create')
  await dlg.getByTestId('survey-save').click()
  await dlg.waitFor({ state: 'hidden' })
  const drawer = page.getByTestId('survey-drawer')
  await drawer.getByTestId('survey-open').click()
  await drawer.getByTestId('survey-links').waitFor()
  const links = (await drawer.getByTestId('survey-links-text').inputValue()).split('\n').filter(Boolean)
  assert.equal(links.length, 2, 'two sampled tickets, two links')
  for (const l of links) assert.match(l, /^http:\/\/.+\/survey\/[^/]+$/)
  assert.equal((await drawer.getByTestId('survey-status').innerText()).trim(), '进行中')
  await shot(page, 'survey-opened-links')
  assertNoProblems(q.problems, 'creating and opening a survey')

  // a customer, not logged in, answers the first link
  const visitor = await openPage(browser)
  try {
    const vp = visitor.page
    await vp.goto(links[0], { waitUntil: 'domcontentloaded' })
    await vp.getByTestId('survey-form').waitFor()
    assert.ok(!/\/login/.test(vp.url()), 'the public page needs no login')
    await settle(vp)
    await shot(vp, 'survey-public-form')
    // submitting with a question unanswered is refused before anything is sent
    await vp.getByTestId('survey-q-speed-5').click()
    await vp.getByTestId('survey-submit').click()
    await vp.getByTestId('survey-error').waitFor()
    await vp.getByTestId('survey-q-quality-4').click()
    await vp.getByTestId('survey-q-attitude-3').click()
    await vp.getByTestId('survey-comment').fill('维修很快，态度一般。')
    await vp.getByTestId('survey-submit').click()
    await vp.getByTestId('survey-thanks').waitFor()
    await shot(vp, 'survey-public-thanks')
    // the link answers once
    await vp.reload({ waitUntil: 'domcontentloaded' })
    await vp.getByTestId('survey-answered').waitFor()
    await shot(vp, 'survey-public-answered')
    // a link that does not exist
    await vp.goto(`${BASE}/survey/not-a-real-token-${Date.now()}`, { waitUntil: 'domcontentloaded' })
    await vp.getByTestId('survey-invalid').waitFor()
    await shot(vp, 'survey-public-invalid')
    assertNoProblems(visitor.problems, 'the public survey page')
  } finally {
    await visitor.context.close()
  }

  // quality sees the answer in the results
  await visit(page, '/records/surveys')
  await page.getByTestId('surveys-table').locator('tbody tr', { hasText: name }).locator('a.link').click()
  await drawer.getByTestId('survey-invitations').waitFor()
  await settle(page)
  assert.match(await drawer.getByTestId('survey-responded').innerText(), /\b1\b/)
  const qt = await drawer.getByTestId('survey-questions-table').locator('tbody tr').allInnerTexts()
  assert.match(qt[0], /speed/)
  assert.match(qt[0], /5\.00/, 'the speed question averages 5')
  assert.match(await drawer.getByTestId('survey-invitations').innerText(), /维修很快/)
  await shot(page, 'survey-results')

  // close it: the other link then says the survey has ended
  await drawer.getByTestId('survey-close').click()
  await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
  await drawer.getByTestId('survey-status').filter({ hasText: '已结束' }).waitFor()
  const late = await openPage(browser)
  try {
    await late.page.goto(links[1], { waitUntil: 'domcontentloaded' })
    await late.page.getByTestId('survey-closed').waitFor()
    await shot(late.page, 'survey-public-closed')
    assertNoProblems(late.problems, 'a closed survey link')
  } finally {
    await late.context.close()
  }
  assertNoProblems(q.problems, 'the survey results')
})

test('read-only roles see the feedback pages without write buttons', async () => {
  const a = await session('auditor')
  await a.page.getByTestId('menu-item-records-complaints').click()
  await a.page.getByTestId('complaints-table').waitFor()
  assert.equal(await a.page.getByTestId('complaint-create').count(), 0)
  await a.page.getByTestId('menu-item-records-surveys').click()
  await a.page.getByTestId('surveys-table').waitFor()
  assert.equal(await a.page.getByTestId('survey-create').count(), 0)
  await settle(a.page)
  await shot(a.page, 'surveys-auditor')
  assertNoProblems(a.problems, 'the auditor on the feedback pages')
})
