// Each demo role logs in and sees exactly the menu entries its roles allow, its own name and roles on the
// dashboard, and no console errors or CSP violations. Pages a role may not open are refused.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  launchBrowser, openPage, login, menuEntries, shot, visit, settle, assertNoProblems, DEMO_ROLES,
} from './harness.js'

// What each role may see. Every role reads the plan, the cycle's tables, the service records, people and partners,
// and the improvement registers; what one may change there is decided on each page.
const ADMIN_PAGES = [
  'menu-item-admin-users', 'menu-item-admin-departments', 'menu-item-admin-settings', 'menu-item-admin-audit',
  'menu-item-admin-sla-policies', 'menu-item-admin-calendars', 'menu-item-admin-roles',
]
// every user reads the annual plan; only approvers have 待我审批 (my approvals)
const PLAN_PAGES = ['menu-group-plan', 'menu-item-plan']
const CYCLE_PAGES = [
  'menu-group-metrics', 'menu-item-metrics-achievement', 'menu-group-work', 'menu-item-work-tracking',
  'menu-group-evaluation', 'menu-item-evaluation',
]
const RECORD_PAGES = [
  'menu-group-records', 'menu-item-records-tickets', 'menu-item-records-customers', 'menu-item-records-complaints',
  'menu-item-records-surveys',
]
const IMPORT_PAGE = ['menu-item-records-import'] // import.run: admin, planner, quality
const PEOPLE_PAGES = [
  'menu-group-people', 'menu-item-people-staff', 'menu-item-people-skills', 'menu-item-people-certifications',
  'menu-item-people-training', 'menu-item-people-appraisals', 'menu-item-people-rewards', 'menu-item-people-partners',
]
const IMPROVEMENT_PAGES = ['menu-group-improvement', 'menu-item-improvement-innovations', 'menu-item-improvement-risks']
const EVERYONE = ['menu-item-dashboard', ...PLAN_PAGES, ...CYCLE_PAGES, ...RECORD_PAGES, ...PEOPLE_PAGES, ...IMPROVEMENT_PAGES]
// planner maintains SLA policies and calendars (sla.write), so the administration group shows those two pages
const SLA_PAGES = ['menu-group-admin', 'menu-item-admin-sla-policies', 'menu-item-admin-calendars']
const EXPECTED = {
  admin: [...EVERYONE, 'menu-group-admin', ...ADMIN_PAGES, 'menu-item-tokens', ...IMPORT_PAGE],
  auditor: [...EVERYONE, 'menu-group-admin', ...ADMIN_PAGES],
  approver: [...EVERYONE, 'menu-item-approvals'],
  planner: [...EVERYONE, ...SLA_PAGES, ...IMPORT_PAGE],
  hr: [...EVERYONE],
  quality: [...EVERYONE, ...IMPORT_PAGE],
  member: [...EVERYONE],
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
      if (EXPECTED[role].includes('menu-group-admin')) assert.match(menuText, /系统管理/)
      else assert.doesNotMatch(menuText, /系统管理/)
      for (const group of ['服务记录', '人员与伙伴', '持续改进']) assert.match(menuText, new RegExp(group))

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
