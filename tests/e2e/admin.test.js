// Administration through the UI as the admin: create a user (and see it in the list), API errors placed next to
// the field they name, the new user logs in (wrong password first) and changes its password, the admin edits,
// resets and deactivates it, departments,
// API tokens (shown once, revoked), company settings and the audit log with its before/after drawer.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  launchBrowser, openPage, login, submitLogin, shot, visit, settle, assertNoProblems, unique, fieldError,
} from './harness.js'

let browser
let admin // { context, page, problems } of the admin's session, shared by the tests of this file (they run in order)
const newUser = { username: unique('e2e.'), display_name: '测试用户甲', password: 'first-pass-123', password2: 'second-pass-456' }

before(async () => {
  browser = await launchBrowser()
  admin = await openPage(browser)
  await login(admin.page, 'admin')
})
after(async () => {
  await admin?.context.close()
  await browser?.close()
})

test('the admin creates a user through the UI and it appears in the list', async () => {
  const { page } = admin
  await page.getByTestId('menu-item-admin-users').click()
  await page.getByTestId('users-table').locator('tbody tr').first().waitFor()
  await settle(page)
  await shot(page, 'admin-users')

  await page.getByTestId('user-create').click()
  const dialog = page.getByTestId('user-dialog')
  await dialog.getByTestId('user-username').waitFor()
  // a too-short password is refused next to its field before anything is sent
  await dialog.getByTestId('user-username').fill(newUser.username)
  await dialog.getByTestId('user-display-name').fill(newUser.display_name)
  await dialog.getByTestId('user-password').fill('short')
  await dialog.getByTestId('user-save').click()
  await fieldError(dialog, '初始密码').waitFor()
  assert.match(await fieldError(dialog, '初始密码').innerText(), /10/)

  await dialog.getByTestId('user-password').fill(newUser.password)
  await dialog.getByTestId('user-department').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'IT运维事业部' }).click()
  await dialog.getByTestId('role-planner').click() // member is preselected; add planner
  await shot(page, 'admin-user-create-dialog')
  await dialog.getByTestId('user-save').click()
  await dialog.waitFor({ state: 'hidden' })

  const row = page.getByTestId('users-table').locator('tbody tr', { hasText: newUser.username })
  await row.waitFor()
  const text = await row.innerText()
  assert.match(text, new RegExp(newUser.display_name))
  assert.match(text, /IT运维事业部/)
  assert.match(text, /部门成员/)
  assert.match(text, /IT运维计划/)
  await page.getByTestId('filter-text').fill(newUser.username)
  assert.equal(await page.getByTestId('users-table').locator('tbody tr').count(), 1)
  await shot(page, 'admin-user-created')
  assertNoProblems(admin.problems, 'creating a user')
})

test('an API error is shown next to the field it names (duplicate user name)', async () => {
  const { page } = admin
  await page.getByTestId('user-create').click()
  const dialog = page.getByTestId('user-dialog')
  await dialog.getByTestId('user-username').fill(newUser.username)
  await dialog.getByTestId('user-display-name').fill('重复的用户')
  await dialog.getByTestId('user-password').fill('another-pass-123')
  await dialog.getByTestId('user-save').click()
  await fieldError(dialog, '用户名').waitFor()
  assert.ok((await fieldError(dialog, '用户名').innerText()).trim().length > 0)
  assert.equal(await dialog.isVisible(), true, 'the dialog stays open with the error')
  await shot(page, 'admin-user-duplicate-error')
  await dialog.getByRole('button', { name: '取消' }).click()
  await dialog.waitFor({ state: 'hidden' })
  assertNoProblems(admin.problems, 'the duplicate user')
})

test('the new user is refused with a wrong password, logs in, and changes its password', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await visit(page, '/login')
    await submitLogin(page, newUser.username, 'not-the-password')
    await page.getByTestId('login-error').waitFor()
    assert.match(await page.getByTestId('login-error').innerText(), /用户名或密码错误/)

    await login(page, newUser.username, newUser.password)
    assert.match(await page.getByTestId('welcome').innerText(), new RegExp(newUser.display_name))
    assert.match(await page.getByTestId('me-department').innerText(), /IT运维事业部/)

    await page.getByTestId('account-button').click()
    await page.getByTestId('account-password').click()
    const dialog = page.getByTestId('password-dialog')
    await dialog.locator('input[name="current_password"]').fill('wrong-current-1')
    await dialog.locator('input[name="new_password"]').fill(newUser.password2)
    await dialog.locator('input[name="confirm"]').fill(newUser.password2)
    await dialog.getByTestId('password-submit').click()
    // the server names current_password: the message sits under that field
    await fieldError(dialog, '当前密码').waitFor()
    await shot(page, 'password-wrong-current')

    await dialog.locator('input[name="current_password"]').fill(newUser.password)
    await dialog.getByTestId('password-submit').click()
    await dialog.waitFor({ state: 'hidden' })

    await page.getByTestId('account-button').click()
    await page.getByTestId('account-logout').click()
    await page.getByTestId('login-submit').waitFor()
    await login(page, newUser.username, newUser.password2)
    assertNoProblems(problems, "the new user's pages")
  } finally {
    await context.close()
  }
})

test('the admin edits the user, resets its password and deactivates it; it can no longer log in', async () => {
  const { page } = admin
  await page.getByTestId('menu-item-admin-users').click()
  const table = page.getByTestId('users-table')
  const row = table.locator('tbody tr', { hasText: newUser.username })
  await row.waitFor()

  await page.getByTestId(`user-edit-${newUser.username}`).click()
  const dialog = page.getByTestId('user-dialog')
  await dialog.getByTestId('user-display-name').fill('测试用户乙')
  await dialog.getByTestId('role-planner').click() // drop planner again
  await dialog.getByTestId('user-active').click() // deactivate
  await shot(page, 'admin-user-edit-dialog')
  await dialog.getByTestId('user-save').click()
  await dialog.waitFor({ state: 'hidden' })
  await row.filter({ hasText: '测试用户乙' }).waitFor()
  const text = await row.innerText()
  assert.match(text, /停用/)
  assert.doesNotMatch(text, /IT运维计划/)

  await page.getByTestId(`user-password-${newUser.username}`).click()
  const pw = page.getByTestId('reset-password-dialog')
  await pw.getByTestId('reset-password-input').fill('reset-pass-789')
  await pw.getByTestId('reset-password-save').click()
  await pw.waitFor({ state: 'hidden' })
  await page.locator('.el-message--success', { hasText: '密码已重置' }).first().waitFor()
  await shot(page, 'admin-user-edited')
  assertNoProblems(admin.problems, 'editing a user')

  const other = await openPage(browser)
  try {
    await visit(other.page, '/login')
    await submitLogin(other.page, newUser.username, 'reset-pass-789')
    await other.page.getByTestId('login-error').waitFor()
    assert.match(other.page.url(), /\/login/)
    assertNoProblems(other.problems, 'the deactivated user\'s login')
  } finally {
    await other.context.close()
  }
})

test('departments: create one and rename it', async () => {
  const { page } = admin
  await page.getByTestId('menu-item-admin-departments').click()
  await page.getByTestId('departments-table').locator('tbody tr').first().waitFor()
  await settle(page)
  await shot(page, 'admin-departments')

  const code = unique('E2E').toUpperCase().slice(0, 16)
  await page.getByTestId('department-create').click()
  const dialog = page.getByTestId('department-dialog')
  await dialog.getByTestId('department-code').fill(code)
  await dialog.getByTestId('department-name').fill('测试部')
  await dialog.getByTestId('department-name-en').fill('Test department')
  await dialog.getByTestId('department-save').click()
  await dialog.waitFor({ state: 'hidden' })
  const row = page.getByTestId('departments-table').locator('tbody tr', { hasText: code })
  await row.waitFor()

  await page.getByTestId(`department-edit-${code}`).click()
  await dialog.getByTestId('department-name').fill(`测试部 ${code}`)
  await dialog.getByTestId('department-save').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByTestId('departments-table').locator('tbody tr', { hasText: `测试部 ${code}` }).waitFor()
  assertNoProblems(admin.problems, 'departments')
})

test('API tokens: the token is shown once, listed by name, and revoked', async () => {
  const { page } = admin
  await page.getByTestId('menu-item-tokens').click()
  await page.getByTestId('tokens-table').waitFor()
  const name = unique('e2e-token-')
  await page.getByTestId('token-create').click()
  await page.getByTestId('token-name').fill(name)
  await page.getByTestId('token-save').click()
  const shown = page.getByTestId('token-created-dialog')
  await shown.getByTestId('token-value').waitFor()
  const token = await shown.getByTestId('token-value').inputValue()
  assert.ok(token.length >= 16, 'the token is shown')
  await shot(page, 'admin-token-created')
  await shown.getByTestId('token-created-close').click()
  await shown.waitFor({ state: 'hidden' })

  const row = page.getByTestId('tokens-table').locator('tbody tr', { hasText: name })
  await row.waitFor()
  assert.doesNotMatch(await page.getByTestId('tokens-table').innerText(), new RegExp(token), 'the token is never listed')
  // the token works as a Bearer credential
  const status = await page.evaluate(async (tok) => (await fetch('/api/v1/me', { headers: { Authorization: `Bearer ${tok}` }, credentials: 'omit' })).status, token)
  assert.equal(status, 200)

  await row.locator('[data-testid^="token-revoke-"]').click()
  await page.locator('.el-message-box').getByRole('button', { name: '吊销' }).click()
  await row.waitFor({ state: 'detached' })
  await shot(page, 'admin-tokens')
  assertNoProblems(admin.problems, 'API tokens')
})

test('company settings are shown and saved', async () => {
  const { page } = admin
  await page.getByTestId('menu-item-admin-settings').click()
  const company = page.getByTestId('settings-company')
  await company.waitFor()
  await settle(page)
  const current = await company.inputValue()
  assert.ok(current.length > 0, 'the demo company has a name')
  // save the same values: the server answers with the settings as they are
  await page.getByTestId('settings-save').click()
  await page.locator('.el-message--success', { hasText: '已保存' }).first().waitFor()
  assert.equal((await page.getByTestId('company-name').innerText()).trim(), current)
  await shot(page, 'admin-settings')
  assertNoProblems(admin.problems, 'settings')
})

test('the audit log lists the changes and shows before/after in a drawer', async () => {
  const { page } = admin
  await page.getByTestId('menu-item-admin-audit').click()
  const table = page.getByTestId('audit-table')
  await table.locator('tbody tr').first().waitFor()
  await settle(page)
  await shot(page, 'admin-audit')

  // the settings saved by the previous test are among the newest records: open that one (logins by the tests
  // running in parallel are recorded too, with no before/after)
  const first = table.locator('tbody tr', { hasText: /setting/i }).first()
  await first.waitFor()
  const entity = (await first.locator('td').nth(4).innerText()).trim()
  await first.locator('[data-testid^="audit-open-"]').click()
  const drawer = page.getByTestId('audit-drawer')
  await drawer.getByTestId('audit-after').waitFor()
  const after = await drawer.getByTestId('audit-after').innerText()
  const before = await drawer.getByTestId('audit-before').innerText()
  assert.match(before, /company_name/, 'the drawer shows the settings before the change')
  assert.match(after, /company_name/, 'and after it')
  await shot(page, 'admin-audit-drawer')
  await page.keyboard.press('Escape')
  await page.locator('.el-drawer').waitFor({ state: 'hidden' })

  // filtering by that entity lists only its records
  await page.getByTestId('audit-entity').fill(entity)
  await page.getByTestId('audit-search').click()
  await settle(page)
  const entities = await table.locator('tbody tr td:nth-child(5)').allInnerTexts()
  assert.ok(entities.length > 0)
  assert.deepEqual([...new Set(entities.map((e) => e.trim()))], [entity])

  // paging: when there is a next page, it opens and comes back
  await page.getByTestId('audit-entity').fill('')
  await page.getByTestId('audit-search').click()
  await settle(page)
  if (await page.getByTestId('audit-next').isEnabled()) {
    const firstId = await table.locator('tbody tr').first().locator('td').first().innerText()
    await page.getByTestId('audit-next').click()
    await settle(page)
    assert.notEqual(await table.locator('tbody tr').first().locator('td').first().innerText(), firstId)
    await page.getByTestId('audit-prev').click()
    await settle(page)
    assert.equal(await table.locator('tbody tr').first().locator('td').first().innerText(), firstId)
  }
  assertNoProblems(admin.problems, 'the audit log')
})
