// On a tablet (768×1024 portrait and 1024×768 landscape, touch): the side menu moves into a drawer opened from the
// header, a tap on an entry navigates and closes it, and the pages fit the width (no sideways scrolling of the page
// itself; wide tables scroll inside their own box). No console errors or CSP violations.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, login, shot, settle, visit, assertNoProblems } from './harness.js'

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

const PAGES = [
  ['/', 'page-dashboard'],
  ['/plan', null],
  ['/metrics/achievement', 'page-achievement'],
  ['/work/tracking', null],
  ['/records/tickets', null],
  ['/people/staff', null],
  ['/improvement/risks', null],
]

/** How far the document scrolls sideways (0 when the page fits). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
  const name = `${viewport.width}x${viewport.height}`
  test(`tablet ${name}: the menu is a drawer and every page fits the width`, async () => {
    const { context, page, problems } = await openPage(browser, { viewport })
    try {
      await login(page, 'planner')
      await page.getByTestId('page-dashboard').waitFor()
      // no side column: the menu waits behind the header's button
      assert.equal(await page.locator('.aside').count(), 0, 'no side column on a tablet')
      await page.getByTestId('menu-toggle').tap()
      const drawer = page.getByTestId('menu-drawer')
      await drawer.getByTestId('menu-item-records-tickets').waitFor()
      await settle(page)
      await shot(page, `tablet-${name}-menu`)
      await drawer.getByTestId('menu-item-records-tickets').tap()
      await page.waitForURL(/\/records\/tickets/)
      await page.getByTestId('menu-item-records-tickets').waitFor({ state: 'hidden' })

      for (const [p, testid] of PAGES) {
        await visit(page, p)
        await page.getByTestId('menu-toggle').waitFor()
        if (testid) await page.getByTestId(testid).waitFor()
        await settle(page)
        assert.ok((await overflow(page)) <= 1, `${p} at ${name} scrolls sideways by ${await overflow(page)} px`)
        await shot(page, `tablet-${name}${p === '/' ? '-dashboard' : p.replace(/\//g, '-')}`)
      }
      assertNoProblems(problems, `the tablet pages at ${name}`)
    } finally {
      await context.close()
    }
  })
}

test('a wide screen keeps the side menu and shows no menu button', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'member')
    await page.getByTestId('side-menu').waitFor()
    assert.equal(await page.getByTestId('menu-toggle').count(), 0)
    assertNoProblems(problems, 'the dashboard at 1366×768')
  } finally {
    await context.close()
  }
})
