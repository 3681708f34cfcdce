// Login page: Chinese by default, the language switch changes the labels and is remembered, a wrong password is
// refused with a message, logging out returns to the login page and ends the session.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  launchBrowser, openPage, login, submitLogin, shot, visit, assertNoProblems, unique, fieldError,
} from './harness.js'

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

test('an unauthenticated visit goes to the Chinese login page', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await visit(page, '/admin/users')
    await page.getByTestId('login-submit').waitFor()
    assert.match(page.url(), /\/login\?redirect=/)
    assert.equal((await page.getByTestId('login-title').innerText()).trim(), '登录')
    assert.equal((await page.getByTestId('login-submit').innerText()).replace(/\s/g, ''), '登录')
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN')
    await shot(page, 'login-zh')

    // empty fields are caught next to the fields, before asking the server
    await page.getByTestId('login-submit').click()
    await fieldError(page, '用户名').waitFor()
    assert.equal((await fieldError(page, '用户名').innerText()).trim(), '请输入用户名')
    assert.equal((await fieldError(page, '密码').innerText()).trim(), '请输入密码')
    await shot(page, 'login-empty-fields')
    assertNoProblems(problems, 'the login page')
  } finally {
    await context.close()
  }
})

test('a wrong password shows the error and keeps the user on the login page', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await visit(page, '/login')
    // an unknown user gets the same answer as a wrong password (the server says so); a fresh name per run keeps
    // the demo accounts clear of the login throttle
    await submitLogin(page, unique('nobody'), 'wrong-password-1')
    const error = page.getByTestId('login-error')
    await error.waitFor()
    assert.match(await error.innerText(), /用户名或密码错误/)
    assert.match(page.url(), /\/login/)
    assert.equal(await page.getByTestId('login-password').inputValue(), '', 'the password field is cleared')
    await shot(page, 'login-wrong-password')
    assertNoProblems(problems, 'the login page after a failed login')
  } finally {
    await context.close()
  }
})

test('switching to English changes the labels and persists across reloads and logins', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await visit(page, '/login')
    await page.getByTestId('lang-switch-button').click()
    await page.getByTestId('lang-en').click()
    await page.getByText('Log in', { exact: true }).first().waitFor()
    assert.equal((await page.getByTestId('login-submit').innerText()).trim(), 'Log in')
    assert.equal(await page.evaluate(() => localStorage.getItem('nengli.locale')), 'en')
    await shot(page, 'login-en')

    await page.reload({ waitUntil: 'domcontentloaded' })
    await page.getByTestId('login-submit').waitFor()
    assert.equal((await page.getByTestId('login-submit').innerText()).trim(), 'Log in')
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')

    await login(page, 'member')
    const menu = await page.getByTestId('side-menu').innerText()
    assert.match(menu, /Dashboard/)
    assert.doesNotMatch(menu, /工作台/)
    await shot(page, 'dashboard-en-member')

    // and back to Chinese, also remembered
    await page.getByTestId('lang-switch-button').click()
    await page.getByTestId('lang-zh-CN').click()
    await page.getByTestId('side-menu').getByText('工作台').waitFor()
    await page.reload({ waitUntil: 'domcontentloaded' })
    await page.getByTestId('side-menu').getByText('工作台').waitFor()
    assertNoProblems(problems, 'the pages in English')
  } finally {
    await context.close()
  }
})

test('logging out returns to the login page and ends the session', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'planner')
    await page.getByTestId('account-button').click()
    await page.getByTestId('account-logout').click()
    await page.getByTestId('login-submit').waitFor()
    assert.match(page.url(), /\/login$/)
    await shot(page, 'logout')

    // the session cookie no longer works: the server answers 401 and the UI stays on the login page
    const status = await page.evaluate(async () => (await fetch('/api/v1/me', { credentials: 'same-origin' })).status)
    assert.equal(status, 401)
    await visit(page, '/')
    await page.getByTestId('login-submit').waitFor()
    assert.match(page.url(), /\/login/)
    assertNoProblems(problems, 'logout')
  } finally {
    await context.close()
  }
})

test('when the session ends while working, the next request leads back to the login page', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'auditor')
    await context.clearCookies() // as if the session had expired or been revoked
    await page.getByTestId('menu-item-admin-users').click()
    await page.getByTestId('login-submit').waitFor()
    assert.match(page.url(), /\/login\?.*redirect=(\/|%2F)admin(\/|%2F)users/)
    await page.getByText('登录已失效，请重新登录').waitFor()
    await shot(page, 'login-session-expired')

    // logging in again returns to the page that was asked for
    await submitLogin(page, 'auditor', 'auditor-demo')
    await page.getByTestId('page-users').waitFor()
    assertNoProblems(problems, 'the expired session')
  } finally {
    await context.close()
  }
})
