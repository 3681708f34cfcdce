// Each demo role logs in and sees exactly the menu entries its roles allow, its own name and roles on the
// dashboard, and no console errors or CSP violations. Pages a role may not open are refused.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  launchBrowser, openPage, login, menuEntries, shot, visit, settle, assertNoProblems, DEMO_ROLES,
} from './harness.js'

// What each role may see today (the other groups — records, people — have no
// pages yet and must not appear for anyone).
const ADMIN_PAGES = ['menu-item-admin-users', 'menu-item-admin-departments', 'menu-item-admin-settings', 'menu-item-admin-audit']
// every user reads the annual plan; only approvers have 待我审批 (my approvals)
const PLAN_PAGES = ['menu-group-plan', 'menu-item-plan']
// every user reads the achievement table, the tracking table and the evaluation (what one may change is decided on the page)
const CYCLE_PAGES = [
  'menu-group-metrics', 'menu-item-metrics-achievement', 'menu-group-work', 'menu-item-work-tracking',
  'menu-group-evaluation', 'menu-item-evaluation',
]
const EXPECTED = {
  admin: ['menu-group-admin', 'menu-item-dashboard', ...ADMIN_PAGES, 'menu-item-tokens', ...PLAN_PAGES, ...CYCLE_PAGES],
  auditor: ['menu-group-admin', 'menu-item-dashboard', ...ADMIN_PAGES, ...PLAN_PAGES, ...CYCLE_PAGES],
  approver: ['menu-item-dashboard', ...PLAN_PAGES, 'menu-item-approvals', ...CYCLE_PAGES],
  planner: ['menu-item-dashboard', ...PLAN_PAGES, ...CYCLE_PAGES],
  hr: ['menu-item-dashboard', ...PLAN_PAGES, ...CYCLE_PAGES],
  quality: ['menu-item-dashboard', ...PLAN_PAGES, ...CYCLE_PAGES],
  member: ['menu-item-dashboard', ...PLAN_PAGES, ...CYCLE_PAGES],
}

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

for (const role of DEMO_ROLES) {
  test(`${role} logs in and sees exactly the menus its role allows`, async () => {
    const { context, page, problems } = await openPage(browser)
    try {
      await login(page, role)
      await page.getByTestId('page-dashboard').waitFor()
      assert.deepEqual(await menuEntries(page), [...EXPECTED[role]].sort())

      const menuText = await page.getByTestId('side-menu').innerText()
      if (role === 'admin' || role === 'auditor') assert.match(menuText, /系统管理/)
      else assert.doesNotMatch(menuText, /系统管理/)
      for (const group of ['服务记录', '人员与伙伴']) {
        assert.doesNotMatch(menuText, new RegExp(group), `${group} has no pages yet and must not be offered`)
      }

      // the dashboard shows who is logged in and with which roles
      assert.equal((await page.getByTestId('me-username').innerText()).trim(), role)
      assert.equal(await page.locator(`[data-testid="me-roles"] [data-role="${role}"]`).count(), 1)
      await page.getByTestId('org-table').locator('tbody tr').first().waitFor()
      await shot(page, `role-${role}-dashboard`)

      if (!EXPECTED[role].includes('menu-item-admin-users')) {
        // typing the address of an administration page does not open it either
        await visit(page, '/admin/users')
        await page.getByTestId('page-forbidden').waitFor()
        await shot(page, `role-${role}-admin-forbidden`)
      } else if (role === 'auditor') {
        // the auditor reads the administration pages but is offered no changes
        await visit(page, '/admin/users')
        await page.getByTestId('users-table').locator('tbody tr').first().waitFor()
        assert.equal(await page.getByTestId('user-create').count(), 0)
        await settle(page)
        assert.equal(await page.locator('[data-testid^="user-edit-"]').count(), 0)
        await shot(page, 'role-auditor-users-readonly')
        await visit(page, '/admin/settings')
        await page.getByTestId('settings-company').waitFor()
        assert.equal(await page.getByTestId('settings-save').count(), 0)
        assert.equal(await page.getByTestId('settings-company').isDisabled(), true)
        await shot(page, 'role-auditor-settings-readonly')
        await visit(page, '/admin/audit')
        await page.getByTestId('audit-table').waitFor()
        await shot(page, 'role-auditor-audit')
      }
      assertNoProblems(problems, `${role}'s pages`)
    } finally {
      await context.close()
    }
  })
}
