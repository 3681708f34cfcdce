// Shared helpers of the browser tests: one headless Debian Chromium per test file (playwright-core, never a
// downloaded browser), a fresh browser context per user, a watcher that fails the test on console errors, page
// errors and CSP violations, screenshots of every page visited (tests/e2e/screenshots/), and the login steps.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
export const SHOTS = path.join(here, 'screenshots')

export const BASE = (process.env.NENGLI_URL || '').replace(/\/+$/, '')
if (!BASE) {
  throw new Error('NENGLI_URL is not set: start `nengli serve` with the demo data and point NENGLI_URL at it (or use tests/e2e/run.sh)')
}

export const DEMO_ROLES = ['admin', 'approver', 'planner', 'hr', 'quality', 'member', 'auditor']
export const demoPassword = (username) => `${username}-demo`

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
]

/**
 * Starts Debian's Chromium headless. playwright-core gives every launch a fresh temporary user-data-dir of its own
 * (and removes it on close), so no state leaks between runs.
 */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  })
}

/**
 * A new isolated context (own cookies and localStorage) and page at 1366×768, watched for problems.
 * Returns { context, page, problems }: problems lists every console error, uncaught page error, CSP violation,
 * failed asset and 5xx answer. A 4xx from the API is the UI's normal business (401 before login, 404 for a
 * feature the server lacks, 422 for a bad form) and is not a problem by itself.
 */
export async function openPage(browser, { locale = 'zh-CN', viewport = { width: 1366, height: 768 } } = {}) {
  const context = await browser.newContext({ viewport, locale, hasTouch: viewport.width < 1100 })
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || ''}:${e.lineNumber || ''})`)
    })
  })
  const page = await context.newPage()
  const problems = []
  const apiPath = (url) => {
    try {
      return new URL(url).pathname.startsWith('/api/')
    } catch {
      return false
    }
  }
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const text = msg.text()
    const url = (msg.location() && msg.location().url) || ''
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text) && apiPath(url)) return
    problems.push(`console error: ${text}${url ? ` (${url})` : ''}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('response', (res) => {
    const status = res.status()
    if (status >= 500) problems.push(`HTTP ${status} ${res.request().method()} ${res.url()}`)
    else if (status >= 400 && !apiPath(res.url())) problems.push(`HTTP ${status} for asset ${res.url()}`)
  })
  page.on('requestfailed', (req) => {
    const failure = req.failure()
    // navigations away from a page cancel its pending requests; that is not an error
    if (failure && failure.errorText === 'net::ERR_ABORTED') return
    problems.push(`request failed: ${req.url()} ${failure ? failure.errorText : ''}`)
  })
  return { context, page, problems }
}

export function assertNoProblems(problems, where) {
  assert.deepEqual(problems, [], `problems on ${where}:\n${problems.join('\n')}`)
}

/** Waits until the page is still (see settle), then saves screenshots/NAME.png. */
export async function shot(page, name) {
  await page.mouse.move(1, 760) // no hover highlight in the picture (bottom of the side menu: nothing there)
  await settle(page)
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) })
}

/** Waits until the network is quiet, Element Plus loading masks are gone and transitions have ended. */
export async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {})
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: 10_000 }).catch(() => {})
  // let dialogs, drawers and tags finish their entry transitions (finite animations only)
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    null, { timeout: 5_000 },
  ).catch(() => {})
}

/** Opens a path of the UI (e.g. "/admin/users"). */
export async function visit(page, p) {
  await page.goto(BASE + p, { waitUntil: 'domcontentloaded' })
}

/** Fills the login form and submits it; does not wait for the outcome. */
export async function submitLogin(page, username, password) {
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

/** Logs in from the login page and waits for the frame (side menu) to appear. */
export async function login(page, username, password = demoPassword(username)) {
  if (!/\/login/.test(page.url())) await visit(page, '/login')
  await page.getByTestId('login-username').waitFor()
  await submitLogin(page, username, password)
  // the frame: the side menu, or on a narrow screen the button that opens it
  await page.locator('[data-testid="side-menu"], [data-testid="menu-toggle"]').first().waitFor({ timeout: 15_000 })
}

/** The data-testid values of the visible menu entries, sorted: ["menu-group-admin", "menu-item-admin-users", …]. */
export async function menuEntries(page) {
  const ids = await page.locator('[data-testid="side-menu"] [data-testid^="menu-"]').evaluateAll((els) =>
    els.filter((e) => e.offsetParent !== null).map((e) => e.getAttribute('data-testid')))
  return ids.sort()
}

/** A name that differs on every run, so that the tests can run again against the same database. */
export function unique(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`
}

/** The error message shown under the form item whose label is `label`, inside `scope` (a dialog, the page). */
export function fieldError(scope, label) {
  const page = typeof scope.page === 'function' ? scope.page() : scope
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`)
  return scope.locator('.el-form-item', { has: page.locator('.el-form-item__label', { hasText: exact }) })
    .locator('.el-form-item__error')
}
