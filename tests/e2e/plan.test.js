// The annual plan in the browser (policy 4.1 / 4.1.1): the planner drafts NEXT year's plan (the demo's current year
// is already approved v2), adds one item per element, records a passing review meeting and submits; the approver
// finds it under 待我审批, rejects it with a comment (a missing comment is refused next to the field); the planner
// changes an item, meets again and resubmits; the approver approves; the change history shows every step.
// Each role is offered only its own buttons (member: none; auditor: read-only), the version comparison highlights
// what the demo's mid-year revision changed, a revision starts a new draft version, and no page logs a console error.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  launchBrowser, openPage, login, visit, shot, settle, assertNoProblems, fieldError, menuEntries,
} from './harness.js'

const ELEMENTS = { people: '人员', process: '过程', technology: '技术', resources: '资源' }
const YEAR = new Date().getFullYear() // the page's default year (the demo's current year)
const NEXT = YEAR + 1

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

async function status(page, expected) {
  await page.locator(`[data-testid="plan-status"][data-status="${expected}"]`).waitFor({ timeout: 15_000 })
}

async function openTab(page, name) {
  await page.getByRole('tab', { name }).click()
}

async function recordMeeting(page, minutes) {
  await openTab(page, '评审会议')
  await page.getByTestId('meeting-add').click()
  const dialog = page.getByTestId('meeting-dialog')
  await dialog.getByTestId('meeting-attendees').fill('李明、张丽、陈静')
  await dialog.getByTestId('meeting-minutes').fill(minutes)
  await dialog.getByTestId('meeting-decision-pass').click()
  await dialog.getByTestId('meeting-save').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByTestId('meetings-table').locator('tbody tr', { hasText: minutes }).waitFor()
}

async function decide(page, kind, comment) {
  await page.getByTestId(`plan-${kind}`).click()
  const dialog = page.getByTestId('decision-dialog')
  await dialog.getByTestId('decision-text').fill(comment)
  await dialog.getByTestId('decision-save').click()
  await dialog.waitFor({ state: 'hidden' })
}

async function actions(page) {
  await openTab(page, '变更履历')
  await settle(page)
  return page.getByTestId('history-table').locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))
}

test('next year\'s plan: draft → reject → resubmit → approve, by the planner and the approver', async () => {
  const planner = await openPage(browser)
  const approver = await openPage(browser)
  try {
    const p = planner.page
    await login(p, 'planner')
    assert.ok((await menuEntries(p)).includes('menu-item-plan'))
    assert.ok(!(await menuEntries(p)).includes('menu-item-approvals'), 'the planner decides no approvals')

    // no plan for next year yet: the planner drafts one
    await visit(p, `/plan?year=${NEXT}`)
    await p.getByTestId('plan-none').waitFor()
    await p.getByTestId('plan-create').click()
    const createDialog = p.getByTestId('plan-create-dialog')
    assert.match(await createDialog.getByTestId('plan-create-title').inputValue(), new RegExp(`${NEXT}`))
    await createDialog.getByTestId('plan-create-save').click()
    await createDialog.waitFor({ state: 'hidden' })
    await status(p, 'draft')
    // submitting is offered, with what is still missing
    await p.getByTestId('plan-missing').waitFor()
    assert.match(await p.getByTestId('plan-missing').innerText(), /人员.*过程.*技术.*资源/s)
    await shot(p, 'plan-next-year-draft')

    // one item in each element; the objective is required and the error shows next to it
    let first = true
    for (const [el, label] of Object.entries(ELEMENTS)) {
      await p.getByTestId(`element-tab-${el}`).click()
      await p.getByTestId(`item-add-${el}`).click()
      const dialog = p.getByTestId('item-dialog')
      await dialog.getByTestId('item-area').click()
      await p.locator('.el-select-dropdown__item:visible').first().click()
      if (first) {
        await dialog.getByTestId('item-save').click()
        await fieldError(dialog, '目标').waitFor()
        await shot(p, 'plan-item-dialog-error')
        first = false
      }
      await dialog.getByTestId('item-current-state').fill(`${label}现状`)
      await dialog.getByTestId('item-objective').fill(`${label}目标 ${NEXT}`)
      await dialog.getByTestId('item-measures').fill(`${label}措施`)
      await dialog.getByTestId('item-budget').fill('1 万元')
      await dialog.getByTestId('item-save').click()
      await dialog.waitFor({ state: 'hidden' })
      await p.getByTestId(`items-${el}`).locator('tbody tr', { hasText: `${label}目标 ${NEXT}` }).waitFor()
    }
    // all elements covered: only the meeting is missing now
    assert.doesNotMatch(await p.getByTestId('plan-missing').innerText(), /缺少/)
    await recordMeeting(p, '四个要素的计划项齐全，会议通过')
    await p.getByTestId('plan-missing').waitFor({ state: 'detached' })
    await shot(p, 'plan-next-year-ready')
    await p.getByTestId('plan-submit').click()
    await status(p, 'submitted')
    assert.equal(await p.getByTestId('plan-submit').count(), 0)
    assert.equal(await p.getByTestId('plan-approve').count(), 0, 'the submitter cannot approve')

    // the approver finds it under 待我审批 and rejects it; a rejection needs a comment
    const a = approver.page
    await login(a, 'approver')
    assert.ok((await menuEntries(a)).includes('menu-item-approvals'))
    await a.getByTestId('menu-item-approvals').click()
    const link = a.getByTestId('approvals-table').locator('a[data-testid^="approval-plan-"]', { hasText: `${NEXT}` })
    await link.waitFor()
    await shot(a, 'approvals-pending')
    await link.click()
    await status(a, 'submitted')
    assert.equal(await a.getByTestId('plan-submit').count(), 0)
    assert.equal(await a.getByTestId('item-add-people').count(), 0, 'the approver does not edit items')
    await a.getByTestId('plan-reject').click()
    const dd = a.getByTestId('decision-dialog')
    await dd.getByTestId('decision-save').click()
    await fieldError(dd, '审批意见').waitFor()
    await shot(a, 'plan-reject-comment-required')
    await dd.getByTestId('decision-text').fill('技术要素缺少预算依据，请补充后重新提交')
    await dd.getByTestId('decision-save').click()
    await dd.waitFor({ state: 'hidden' })
    await status(a, 'rejected')

    // the planner sees the rejection, changes an item, meets again and resubmits
    await visit(p, `/plan?year=${NEXT}`)
    await status(p, 'rejected')
    assert.match(await p.getByTestId('plan-rejection').innerText(), /预算依据/)
    await p.getByTestId('plan-missing').waitFor() // a new passing meeting is needed after a rejection
    await p.getByTestId('element-tab-technology').click()
    await p.getByTestId('items-technology').locator('[data-testid^="item-edit-"]').first().click()
    const dialog = p.getByTestId('item-dialog')
    await dialog.getByTestId('item-budget').fill('5 万元（附三家供应商比价）')
    await dialog.getByTestId('item-save').click()
    await dialog.waitFor({ state: 'hidden' })
    await p.getByTestId('items-technology').locator('tbody tr', { hasText: '三家供应商比价' }).waitFor()
    await recordMeeting(p, '补充预算依据后复审，会议通过')
    await p.getByTestId('plan-submit').click()
    await status(p, 'submitted')

    // the approver approves
    await a.reload()
    await status(a, 'submitted')
    await decide(a, 'approve', '同意')
    await status(a, 'approved')
    assert.equal(await a.getByTestId('plan-approve').count(), 0)
    await shot(a, 'plan-approved-by-approver')

    // the change history records every step
    await p.reload()
    await status(p, 'approved')
    assert.deepEqual(await actions(p), ['created', 'meeting', 'submitted', 'rejected', 'meeting', 'submitted', 'approved'])
    assert.match(await p.getByTestId('history-table').innerText(), /预算依据/)
    await shot(p, 'plan-history')

    // a change after approval is a revision: a new draft version with its change summary; v1 stays readable
    await p.getByTestId('plan-revise').click()
    const rd = p.getByTestId('decision-dialog')
    await rd.getByTestId('decision-save').click()
    await fieldError(rd, '变更说明').waitFor()
    await rd.getByTestId('decision-text').fill('年中调整：增加容量管理计划项')
    await rd.getByTestId('decision-save').click()
    await rd.waitFor({ state: 'hidden' })
    await status(p, 'draft')
    assert.match(await p.getByTestId('plan-status').innerText(), /v2/)
    assert.equal((await actions(p)).at(-1), 'revised')
    await openTab(p, '版本对比')
    await p.getByTestId('compare-summary').waitFor()
    assert.match(await p.getByTestId('compare-summary').innerText(), /新增 0 · 删除 0 · 变更 0/)

    assertNoProblems(planner.problems, "the planner's plan pages")
    assertNoProblems(approver.problems, "the approver's plan pages")
  } finally {
    await planner.context.close()
    await approver.context.close()
  }
})

test('the current year\'s plan: versions compared, and each role sees only its buttons', async () => {
  for (const role of ['planner', 'member', 'auditor']) {
    const { context, page, problems } = await openPage(browser)
    try {
      await login(page, role)
      await page.getByTestId('menu-item-plan').click()
      await status(page, 'approved')
      await page.getByTestId('items-people').locator('tbody tr').first().waitFor()
      for (const id of ['plan-submit', 'plan-approve', 'plan-reject', 'item-add-people']) {
        assert.equal(await page.getByTestId(id).count(), 0, `${role} is not offered ${id} on an approved plan`)
      }
      if (role === 'planner') {
        // the approved plan can only be revised, and only by the planner
        await page.getByTestId('plan-revise').waitFor()
        // v1 against v2: the mid-year revision added an item and changed another
        await openTab(page, '版本对比')
        await page.getByTestId('compare-table').locator('[data-kind="added"]').first().waitFor()
        assert.ok(await page.getByTestId('compare-table').locator('[data-kind="changed"]').count() >= 1)
        assert.match(await page.getByTestId('compare-summary').innerText(), /新增 [1-9]/)
        await shot(page, 'plan-compare-versions')
      } else {
        assert.equal(await page.getByTestId('plan-revise').count(), 0)
        await page.getByTestId('plan-readonly').waitFor()
        await openTab(page, '上年度回顾')
        assert.equal(await page.getByTestId('review-save').count(), 0)
        assert.equal(await page.getByTestId('review-achievements').isDisabled(), true)
        await shot(page, `plan-${role}-readonly`)
        // only approvers have a 待我审批 page
        await visit(page, '/approvals')
        await page.getByTestId('page-forbidden').waitFor()
      }
      assertNoProblems(problems, `${role}'s plan page`)
    } finally {
      await context.close()
    }
  }
})
