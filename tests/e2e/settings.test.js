// The service rules through the UI: the planner (sla.write) adds a holiday to the standard calendar by clicking the day
// in the year view, sees it marked and listed, and removes it again; an SLA policy edit with a resolution target below
// the response target gets the server's error next to the resolution field and changes nothing; the roles page lists
// every role and the actions each may do; the auditor reads the SLA pages without write buttons.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  launchBrowser, openPage, login, shot, visit, settle, assertNoProblems, unique, fieldError, menuEntries,
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

test('the planner adds a holiday to a calendar, sees it, and removes it', async () => {
  const { page, problems } = await session('planner')
  await page.getByTestId('menu-item-admin-calendars').click()
  await page.getByTestId('calendar-info').waitFor()
  await settle(page)
  // the seeded standard calendar shows this year's official holidays (2024–2026 are in the seed)
  await fillNumber(page.getByTestId('calendar-year'), '2026')
  await page.getByTestId('day-2026-10-01').and(page.locator('.holiday')).waitFor()
  assert.match(await page.getByTestId('days-table').innerText(), /国庆节/)
  await shot(page, 'calendars-year')

  // a day of a year nobody has filled: pick one weekday at random so that reruns do not collide
  await fillNumber(page.getByTestId('calendar-year'), '2031')
  await page.getByTestId('day-2031-03-03').waitFor()
  await settle(page)
  const day = `2031-03-${String(3 + Math.floor(Math.random() * 5)).padStart(2, '0')}` // Mon 3 … Fri 7 March 2031
  const cell = page.getByTestId(`day-${day}`)
  assert.doesNotMatch(await cell.getAttribute('class'), /holiday/)
  await cell.click()
  const dlg = page.getByTestId('day-dialog')
  await dlg.getByTestId('day-name').waitFor()
  const name = unique('公司年会-')
  await dlg.getByTestId('day-kind-holiday').click()
  await dlg.getByTestId('day-name').fill(name)
  await shot(page, 'calendars-add-day')
  await dlg.getByTestId('day-save').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.getByTestId(`day-${day}`).and(page.locator('.holiday')).waitFor()
  const row = page.getByTestId('days-table').locator('tbody tr', { hasText: day })
  await row.waitFor()
  assert.match(await row.innerText(), new RegExp(name))
  assert.match(await row.innerText(), /节假日/)
  await settle(page)
  await shot(page, 'calendars-holiday-added')

  // and it goes again
  await page.getByTestId(`day-delete-${day}`).click()
  await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
  await row.waitFor({ state: 'detached' })
  assert.doesNotMatch(await page.getByTestId(`day-${day}`).getAttribute('class'), /holiday/)
  assertNoProblems(problems, 'editing a calendar')
})

test('the planner imports days from a CSV file; a broken line is reported next to the file', async () => {
  const { page, problems } = await session('planner')
  await visit(page, '/admin/calendars')
  await page.getByTestId('calendar-info').waitFor()
  await page.getByTestId('days-import').click()
  const dlg = page.getByTestId('import-dialog')
  await dlg.getByTestId('import-file').waitFor()
  // line 3 has no real date: nothing is imported and the error names the line
  await dlg.getByTestId('import-file').setInputFiles({
    name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('date,kind,name\n2032-10-01,holiday,国庆节\n2032-02-30,holiday,坏日期\n'),
  })
  await dlg.getByTestId('import-run').click()
  const err = fieldError(dlg, '文件')
  await err.waitFor()
  assert.match(await err.innerText(), /3/)
  await shot(page, 'calendars-import-error')
  const name = unique('导入节日-')
  await dlg.getByTestId('import-file').setInputFiles({
    name: 'days.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`date,kind,name\n2032-10-01,holiday,${name}\n2032-10-09,workday,${name}（调休上班）\n`),
  })
  await dlg.getByTestId('import-run').click()
  await dlg.getByTestId('import-result').waitFor()
  assert.match(await dlg.getByTestId('import-result').innerText(), /2/)
  await shot(page, 'calendars-import-done')
  await dlg.getByRole('button', { name: '关闭', exact: true }).click()
  await dlg.waitFor({ state: 'hidden' })
  // the view moved to the imported year and marks both days
  await page.getByTestId('day-2032-10-01').and(page.locator('.holiday')).waitFor()
  await page.getByTestId('day-2032-10-09').and(page.locator('.makeup')).waitFor()
  assert.match(await page.getByTestId('days-table').innerText(), new RegExp(name))
  assertNoProblems(problems, 'importing days')
})

test('an SLA policy edit with a bad value shows the server error next to the field and saves nothing', async () => {
  const { page, problems } = await session('planner')
  await page.getByTestId('menu-item-admin-sla-policies').click()
  const table = page.getByTestId('sla-table')
  const p1 = table.locator('tbody tr', { hasText: 'P1' }).first()
  await p1.waitFor()
  await settle(page)
  await shot(page, 'sla-policies')
  const before = await p1.innerText()
  await p1.locator('[data-testid^="sla-edit-"]').click()
  const dlg = page.getByTestId('sla-dialog')
  await dlg.getByTestId('sla-name').waitFor()
  // the resolution target below the response target: only the server judges this
  await fillNumber(dlg.getByTestId('sla-response'), '120')
  await fillNumber(dlg.getByTestId('sla-resolution'), '60')
  await dlg.getByTestId('sla-save').click()
  const err = fieldError(dlg, '解决时限（分钟）')
  await err.waitFor()
  assert.match(await err.innerText(), /resolution_minutes|解决/)
  assert.equal(await dlg.isVisible(), true, 'the dialog stays open with the error')
  await shot(page, 'sla-policy-field-error')
  await dlg.getByRole('button', { name: '取消' }).click()
  await dlg.waitFor({ state: 'hidden' })
  await page.reload({ waitUntil: 'domcontentloaded' })
  await table.locator('tbody tr', { hasText: 'P1' }).first().waitFor()
  assert.equal(await table.locator('tbody tr', { hasText: 'P1' }).first().innerText(), before, 'nothing was saved')
  assertNoProblems(problems, 'the SLA policy error')
})

test('the roles page lists every role and what it may do', async () => {
  const { page, problems } = await session('admin')
  await page.getByTestId('menu-item-admin-roles').click()
  const table = page.getByTestId('roles-table')
  await table.locator('tbody tr').first().waitFor()
  await settle(page)
  const head = await table.locator('thead').first().innerText()
  for (const r of ['系统管理员', '分管副总', 'IT运维计划', '人力资源', '质量管理', '部门成员', '审计员']) assert.match(head, new RegExp(r))
  assert.ok(await table.locator('tbody tr').count() >= 30, 'every action of the policy')
  // plan.approve: the approver only; metric.value.write: planner for its own department
  await table.getByTestId('perm-plan.approve-approver').first().waitFor()
  assert.equal(await table.getByTestId('perm-plan.approve-planner').count(), 0)
  assert.match(await table.getByTestId('perm-metric.value.write-planner').first().innerText(), /本部门/)
  await shot(page, 'roles')
  // one role's view
  await page.getByTestId('roles-filter').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '审计' }).click()
  await settle(page)
  assert.ok(await table.locator('tbody tr').count() < 15, 'the auditor may do few things')
  await shot(page, 'roles-auditor-only')
  assertNoProblems(problems, 'the roles page')
})

test('the auditor reads SLA policies and calendars without write buttons; the menus per role', async () => {
  const { page, problems } = await session('auditor')
  await page.getByTestId('menu-item-admin-sla-policies').click()
  await page.getByTestId('sla-table').locator('tbody tr').first().waitFor()
  assert.equal(await page.getByTestId('sla-create').count(), 0)
  assert.equal(await page.locator('[data-testid^="sla-edit-"]').count(), 0)
  await page.getByTestId('menu-item-admin-calendars').click()
  await page.getByTestId('calendar-info').waitFor()
  assert.equal(await page.getByTestId('day-add').count(), 0)
  await settle(page)
  await shot(page, 'calendars-auditor')
  assertNoProblems(problems, 'the auditor on the SLA pages')

  // the menu entries of this file's areas each role sees (admin group: SLA policies, calendars, roles)
  const mine = /^menu-item-(admin-sla-policies|admin-calendars|admin-roles|records-complaints|records-surveys)$/
  const expected = {
    admin: ['admin-calendars', 'admin-roles', 'admin-sla-policies', 'records-complaints', 'records-surveys'],
    approver: ['records-complaints', 'records-surveys'],
    planner: ['admin-calendars', 'admin-sla-policies', 'records-complaints', 'records-surveys'],
    hr: ['records-complaints', 'records-surveys'],
    quality: ['records-complaints', 'records-surveys'],
    member: ['records-complaints', 'records-surveys'],
    auditor: ['admin-calendars', 'admin-roles', 'admin-sla-policies', 'records-complaints', 'records-surveys'],
  }
  for (const [role, want] of Object.entries(expected)) {
    const s = await session(role)
    await visit(s.page, '/')
    await s.page.getByTestId('side-menu').waitFor()
    const got = (await menuEntries(s.page)).filter((x) => mine.test(x)).map((x) => x.replace('menu-item-', ''))
    assert.deepEqual(got, want, `menu of ${role}`)
  }
})
