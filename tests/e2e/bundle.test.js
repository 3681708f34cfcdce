// The first screen stays light: the JavaScript loaded for the login page and then the dashboard (the first page
// after login) must stay under 500 KB gzipped. The sizes are printed as test diagnostics.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zlib from 'node:zlib'
import { launchBrowser, openPage, visit, login, settle, assertNoProblems } from './harness.js'

const LIMIT = 500 * 1024

test('the JavaScript of the first screens is under 500 KB gzipped', async (t) => {
  const browser = await launchBrowser()
  try {
    const { page, problems } = await openPage(browser)
    const scripts = new Map() // url → gzipped size
    page.on('response', async (res) => {
      if (res.request().resourceType() !== 'script') return
      try {
        scripts.set(res.url(), zlib.gzipSync(await res.body(), { level: 9 }).length)
      } catch {
        /* a body that is no longer available was counted already or never arrived */
      }
    })
    const total = () => [...scripts.values()].reduce((a, b) => a + b, 0)

    await visit(page, '/login')
    await page.getByTestId('login-submit').waitFor()
    await settle(page)
    const loginBytes = total()
    const loginFiles = scripts.size
    await login(page, 'admin')
    await page.getByTestId('page-dashboard').waitFor()
    await settle(page)
    const dashboardBytes = total()
    t.diagnostic(`login page JS: ${(loginBytes / 1024).toFixed(1)} KB gzipped in ${loginFiles} files`)
    t.diagnostic(`login + dashboard JS: ${(dashboardBytes / 1024).toFixed(1)} KB gzipped in ${scripts.size} files`)
    assert.ok(loginBytes > 0, 'scripts were seen')
    assert.ok(dashboardBytes < LIMIT, `first screens load ${dashboardBytes} bytes of gzipped JS (limit ${LIMIT})`)
    assertNoProblems(problems, 'the first screens')
  } finally {
    await browser.close()
  }
})
