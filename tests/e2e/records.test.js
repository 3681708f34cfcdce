// Service records through the UI: the planner imports a CSV through the wizard (a column mapped by hand, preview,
// progress, report) and finds an imported ticket in the list; a file with a bad line is refused with the line and the
// reason; a ticket's drawer shows its SLA timeline with a pause and the status can be changed; the achievement table
// downloads as XLSX; customers show masked personal data to roles without customer.pii and no write buttons to
// members; the import wizard is not offered to members.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { launchBrowser, openPage, login, shot, visit, settle, assertNoProblems, unique, menuEntries } from './harness.js'

let browser
let planner // the planner's session, shared by the tests of this file (they run in order)
const tag = unique('E2E')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nengli-e2e-records-'))

// opening times a few days ago, in the company's zone (local "YYYY-MM-DD HH:MM")
function localDay(daysAgo) {
  const d = new Date(Date.now() - daysAgo * 86400_000 + 8 * 3600_000)
  return d.toISOString().slice(0, 10)
}

before(async () => {
  browser = await launchBrowser()
  planner = await openPage(browser)
  await login(planner.page, 'planner')
})
after(async () => {
  await planner?.context.close()
  await browser?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

/** Goes through steps 1–2 of the wizard with `file` (the format CSV, source `source`). */
async function chooseFile(page, file, source) {
  await visit(page, '/records/import')
  await page.getByTestId('import-step-file').waitFor()
  await page.getByTestId('import-source').fill(source)
  await page.getByTestId('import-file').setInputFiles(file)
  await page.getByTestId('import-file-info').waitFor()
}

test('the planner imports a CSV through the wizard and finds an imported ticket in the list', async () => {
  const { page, problems } = planner
  // Chinese headers: most are matched automatically; 受理时间 (opened) is mapped by hand
  const ids = [1, 2, 3].map((i) => `${tag}-${i}`)
  const csv = [
    '工单号,标题,优先级,受理时间,状态,部门,解决时间,备注',
    `${ids[0]},"导入测试：核心交换机告警, 端口 up/down",P2,${localDay(3)} 09:10,resolved,ITOPS,${localDay(3)} 11:40,x`,
    `${ids[1]},导入测试：VPN 无法连接,P3,${localDay(2)} 14:00,in_progress,IT运维事业部,,y`,
    `${ids[2]},导入测试：打印机卡纸,P4,${localDay(1)} 10:30,new,BIZ,,z`,
  ].join('\r\n') + '\r\n'
  const file = path.join(tmp, 'tickets.csv')
  fs.writeFileSync(file, '\ufeff' + csv)

  await page.getByTestId('menu-item-records-import').click()
  await chooseFile(page, file, 'e2e')
  assert.match(await page.getByTestId('import-file-info').innerText(), /3/)
  await shot(page, 'records-import-file')
  await page.getByTestId('import-next-1').click()

  // step 2: the automatic matches, and opened_at still missing until mapped by hand
  await page.getByTestId('import-step-mapping').waitFor()
  const mapped = async (f) => (await page.getByTestId(`import-map-${f}`).innerText()).trim()
  assert.equal(await mapped('external_id'), '工单号')
  assert.equal(await mapped('priority'), '优先级')
  assert.equal(await mapped('department'), '部门')
  await page.getByTestId('import-next-2').click()
  await page.getByTestId('import-mapping-error').waitFor()
  assert.match(await page.getByTestId('import-mapping-error').innerText(), /开单时间/)
  await page.getByTestId('import-map-opened_at').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '受理时间' }).click()
  await shot(page, 'records-import-mapping')
  await page.getByTestId('import-next-2').click()

  // step 3: the first rows as mapped, no problem found in the browser
  await page.getByTestId('import-step-preview').waitFor()
  const preview = page.getByTestId('import-preview')
  assert.equal(await preview.locator('tbody tr').count(), 3)
  assert.match(await preview.innerText(), new RegExp(ids[0]))
  assert.match(await preview.innerText(), /核心交换机告警, 端口/)
  await page.getByTestId('import-checks-ok').waitFor()
  await shot(page, 'records-import-preview')

  // step 4: the upload with its progress, then the server's report
  await page.getByTestId('import-run').click()
  await page.getByTestId('import-result').waitFor({ timeout: 30_000 })
  assert.equal(await page.getByTestId('import-result').getAttribute('data-status'), 'done')
  assert.match(await page.getByTestId('import-count-inserted').innerText(), /3/)
  assert.match(await page.getByTestId('import-count-rejected_count').innerText(), /0/)
  await page.getByTestId('imports-table').locator('tbody tr', { hasText: 'e2e' }).first().waitFor()
  await shot(page, 'records-import-done')

  // the imported tickets are in the list (filtered by their source)
  await page.getByTestId('import-view-tickets').click()
  await page.getByTestId('page-tickets').waitFor()
  await page.getByTestId('ticket-filter-q').fill(ids[1])
  await page.getByTestId('ticket-search').click()
  const row = page.getByTestId('tickets-table').locator('tbody tr', { hasText: ids[1] })
  await row.waitFor()
  assert.match(await row.innerText(), /VPN 无法连接/)
  assert.match(await row.innerText(), /处理中/)
  assert.equal(await page.getByTestId('tickets-table').locator('tbody tr').count(), 1)
  await shot(page, 'records-tickets-imported')
  assertNoProblems(problems, 'the import wizard')
})

test('a file with a bad line is shown in the checks and refused by the server with its line and reason', async () => {
  const { page, problems } = planner
  const csv = [
    'external_id,priority,opened_at,title',
    `${tag}-ok,P3,${localDay(2)} 10:00,good line`,
    `${tag}-bad,P9,${localDay(2)} 11:00,bad priority`,
  ].join('\n') + '\n'
  const file = path.join(tmp, 'bad.csv')
  fs.writeFileSync(file, csv)
  await chooseFile(page, file, 'e2e-bad')
  await page.getByTestId('import-next-1').click()
  await page.getByTestId('import-next-2').click()
  const checks = page.getByTestId('import-checks')
  await checks.waitFor()
  assert.match(await checks.innerText(), /P9/)
  assert.match(await checks.innerText(), /\b3\b/) // the header is line 1
  await shot(page, 'records-import-checks')
  await page.getByTestId('import-run').click()
  await page.getByTestId('import-result').waitFor({ timeout: 30_000 })
  assert.equal(await page.getByTestId('import-result').getAttribute('data-status'), 'failed')
  const rejected = page.getByTestId('import-rejected')
  assert.match(await rejected.innerText(), /P9/)
  assert.equal((await rejected.locator('tbody tr td').first().innerText()).trim(), '3')
  assert.match(await page.getByTestId('import-count-inserted').innerText(), /0/)
  await shot(page, 'records-import-failed')
  // nothing of the file was imported
  await visit(page, `/records/tickets?q=${tag}-ok`)
  await page.getByTestId('tickets-table').waitFor()
  await settle(page)
  assert.equal(await page.getByTestId('tickets-table').locator('tbody tr').count(), 0)
  assertNoProblems(problems, 'the refused import')
})

test('a ticket shows its SLA timeline with the pause; the planner changes a status and edits a ticket', async () => {
  const { page, problems } = planner
  await visit(page, '/records/tickets?q=' + encodeURIComponent('物流系统打印面单乱码'))
  const link = page.locator('[data-testid^="ticket-open-"]').first()
  await link.waitFor()
  await link.click()
  const drawer = page.getByTestId('ticket-drawer')
  await drawer.getByTestId('ticket-sla').waitFor()
  const tl = drawer.getByTestId('sla-timeline')
  await tl.waitFor()
  assert.ok(await tl.locator('[data-kind="pause"]').count() >= 1, 'the wait for the customer is a pause')
  assert.match(await tl.innerText(), /暂停（等待客户）/)
  assert.equal(await tl.locator('[data-kind="opened"]').count(), 1)
  assert.equal(await drawer.getByTestId('sla-target-response').getAttribute('data-verdict'), 'met')
  assert.match(await drawer.getByTestId('sla-target-resolution').innerText(), /目标 1440 个工作分钟/)
  // the customer is shown in full to the planner (customer.pii)
  assert.doesNotMatch(await drawer.getByTestId('ticket-customer').innerText(), /\*\*\*/)
  await shot(page, 'records-ticket-sla')
  await page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'hidden' })

  // a ticket imported above: in progress → resolved
  await visit(page, `/records/tickets?q=${tag}-2`)
  await page.getByTestId(`ticket-open-${tag}-2`).click()
  await drawer.getByTestId('ticket-status-form').waitFor()
  await drawer.getByTestId('ticket-new-status').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '已解决' }).click()
  await drawer.getByTestId('ticket-status-note').fill('e2e: resolved')
  await drawer.getByTestId('ticket-status-save').click()
  await drawer.getByTestId('ticket-status').filter({ hasText: '已解决' }).waitFor()
  await drawer.getByTestId('ticket-history').filter({ hasText: 'e2e: resolved' }).waitFor()
  await drawer.getByTestId('sla-target-resolution').waitFor()
  await shot(page, 'records-ticket-resolved')

  // edit: the category is filled in; the drawer and the list show it
  await drawer.getByTestId('ticket-edit').click()
  const dialog = page.getByTestId('ticket-dialog')
  await dialog.getByTestId('tk-category').fill('网络')
  await dialog.getByTestId('tk-save').click()
  await dialog.waitFor({ state: 'hidden' })
  await drawer.getByTestId('ticket-fields').filter({ hasText: '网络' }).waitFor()
  await page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'hidden' })
  assert.match(await page.getByTestId('tickets-table').locator('tbody tr', { hasText: `${tag}-2` }).innerText(), /网络/)
  assertNoProblems(problems, 'the ticket drawer')
})

test('the planner records a ticket by hand; a bad time and a duplicate number are shown next to their fields', async () => {
  const { page, problems } = planner
  await visit(page, '/records/tickets')
  await page.getByTestId('tickets-table').locator('tbody tr').first().waitFor()
  assert.equal(await page.getByTestId('tickets-table').locator('tbody tr').count(), 20, 'one page of 20')
  await page.getByTestId('tickets-next').click()
  await page.getByTestId('tickets-prev').and(page.locator(':not([disabled])')).waitFor()
  await shot(page, 'records-tickets')

  await page.getByTestId('ticket-create').click()
  const dialog = page.getByTestId('ticket-dialog')
  await dialog.getByTestId('tk-title').waitFor()
  await dialog.getByTestId('tk-external-id').fill(`${tag}-manual`)
  await dialog.getByTestId('tk-title').fill('手工登记：机房空调告警')
  await dialog.getByTestId('tk-opened_at').fill('yesterday')
  await dialog.getByTestId('tk-save').click()
  const opened = dialog.locator('.el-form-item', { has: page.getByTestId('tk-opened_at') }).locator('.el-form-item__error')
  await opened.waitFor()
  assert.match(await opened.innerText(), /YYYY-MM-DD HH:mm/)
  await dialog.getByTestId('tk-opened_at').fill(`${localDay(1)} 09:30`)
  await dialog.getByTestId('tk-department').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'IT运维事业部' }).click()
  await dialog.getByTestId('tk-priority').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'P2' }).click()
  await shot(page, 'records-ticket-create')
  await dialog.getByTestId('tk-save').click()
  await dialog.waitFor({ state: 'hidden' })
  const drawer = page.getByTestId('ticket-drawer')
  await drawer.getByTestId('ticket-sla').waitFor()
  assert.match(await drawer.getByTestId('ticket-fields').innerText(), new RegExp(`${tag}-manual`))
  assert.equal(await drawer.getByTestId('sla-target-response').getAttribute('data-verdict'), 'open')
  await page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'hidden' })

  // the same ticket number again: the server's conflict is shown next to the ticket number
  await page.getByTestId('ticket-create').click()
  await dialog.getByTestId('tk-external-id').fill(`${tag}-manual`)
  await dialog.getByTestId('tk-opened_at').fill(`${localDay(1)} 10:00`)
  await dialog.getByTestId('tk-save').click()
  const dup = dialog.locator('.el-form-item', { has: page.getByTestId('tk-external-id') }).locator('.el-form-item__error')
  await dup.waitFor()
  assert.ok((await dup.innerText()).trim().length > 0)
  assert.equal(await dialog.isVisible(), true, 'the dialog stays open with the error')
  await shot(page, 'records-ticket-duplicate')
  await dialog.getByRole('button', { name: '取消' }).click()
  await dialog.waitFor({ state: 'hidden' })
  assertNoProblems(problems, 'recording a ticket')
})

test('the achievement table downloads as an XLSX workbook from the dashboard', async () => {
  const { page, problems } = planner
  await visit(page, '/')
  await page.getByTestId('achievement-xlsx').waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('achievement-xlsx').click()])
  const file = path.join(tmp, 'achievement.xlsx')
  await download.saveAs(file)
  const bytes = fs.readFileSync(file)
  assert.ok(bytes.length > 1000, `a real workbook (${bytes.length} bytes)`)
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a ZIP archive')
  assert.match(download.suggestedFilename(), /\.xlsx$/)
  assertNoProblems(problems, 'the download')
})

test('customers: the planner sees full personal data and may edit; a member sees masked data and no write buttons', async () => {
  const { page, problems } = planner
  await visit(page, '/records/customers')
  const table = page.getByTestId('customers-table')
  await table.locator('tbody tr').first().waitFor()
  const full = await table.locator('tbody tr', { hasText: '刘洋' }).innerText()
  assert.match(full, /13812345678/)
  assert.equal(await page.getByTestId('customers-masked').count(), 0)
  await page.getByTestId('customer-create').waitFor()
  // an error from the server is shown next to its field
  await page.getByTestId('customer-create').click()
  const dialog = page.getByTestId('customer-dialog')
  await dialog.getByTestId('customer-name').fill(`客户${tag}`)
  await dialog.getByTestId('customer-email').fill('not-an-address')
  await dialog.getByTestId('customer-save').click()
  await dialog.locator('.el-form-item', { has: page.getByTestId('customer-email') }).locator('.el-form-item__error').waitFor()
  await dialog.getByTestId('customer-email').fill(`${tag.toLowerCase()}@example.com`)
  await dialog.getByTestId('customer-phone').fill('13900001111')
  await dialog.getByTestId('customer-save').click()
  await dialog.waitFor({ state: 'hidden' })
  await table.locator('tbody tr', { hasText: `客户${tag}` }).waitFor()
  await shot(page, 'records-customers-planner')
  assertNoProblems(problems, "the planner's customers")

  const member = await openPage(browser)
  try {
    await login(member.page, 'member')
    const entries = await menuEntries(member.page)
    assert.ok(entries.includes('menu-item-records-tickets') && entries.includes('menu-item-records-customers'))
    assert.ok(!entries.includes('menu-item-records-import'), 'members run no imports')
    await visit(member.page, '/records/customers')
    const mt = member.page.getByTestId('customers-table')
    await mt.locator('tbody tr').first().waitFor()
    const masked = await mt.locator('tbody tr', { hasText: '刘洋' }).innerText()
    assert.match(masked, /138\*+5678/)
    assert.doesNotMatch(masked, /13812345678/)
    assert.match(masked, /l\*+@ecepdi/)
    await member.page.getByTestId('customers-masked').waitFor()
    await member.page.getByTestId('customers-readonly').waitFor()
    assert.equal(await member.page.getByTestId('customer-create').count(), 0)
    assert.equal(await member.page.locator('[data-testid^="customer-edit-"]').count(), 0)
    await shot(member.page, 'records-customers-member')
    // the import page is refused when typed in
    await visit(member.page, '/records/import')
    await member.page.getByTestId('page-forbidden').waitFor()
    assertNoProblems(member.problems, "the member's customers")
  } finally {
    await member.context.close()
  }
})
