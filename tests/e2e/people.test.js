// The people pages through the UI: hr adds a staff member with a skill and a certification (a server error on the
// certification's expiry date is shown under that field) and finds them in the skills matrix and in the list of
// expiring certifications; hr plans a course, records a session and its attendance; hr records an appraisal (the
// server's error on a malformed period sits under the period field); a reward proposed by hr is approved by the
// approver; a member sees no write buttons and only their own department's appraisals. Every page is photographed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  launchBrowser, openPage, login, shot, visit, settle, assertNoProblems, unique, fieldError,
} from './harness.js'

let browser
let hr // { context, page, problems } of hr's session, shared by the tests of this file (they run in order)
const person = { name: unique('测试员'), post: '自动化测试工程师', skill: unique('E2E技能'), cert: unique('E2E证书') }
const course = unique('E2E课程')

/** YYYY-MM-DD of today + n days (the browser's clock and the server's are the same machine's). */
function day(n = 0) {
  const d = new Date(Date.now() + n * 86_400_000)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** Types a date into an Element Plus date picker (found by the id of its input: the picker drops data-testid). */
async function fillDate(scope, id, value) {
  const input = scope.locator(`input#${id}`)
  await input.fill(value)
  await input.press('Enter')
}

/** Types a number into an Element Plus input-number. */
async function fillNumber(scope, testid, value) {
  const el = scope.getByTestId(testid)
  const input = (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input')
  await input.fill(String(value))
  await input.blur()
}

/** Opens the Element Plus select `testid` inside scope and picks the visible option whose text matches. */
async function pick(page, scope, testid, text) {
  await scope.getByTestId(testid).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

/** Types `text` into the filterable select `testid` and picks the first visible option containing it. */
async function choose(page, scope, testid, text) {
  const select = scope.getByTestId(testid)
  await select.click()
  await select.locator('input').fill(text)
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

before(async () => {
  browser = await launchBrowser()
  hr = await openPage(browser)
  await login(hr.page, 'hr')
})
after(async () => {
  await hr?.context.close()
  await browser?.close()
})

test('hr adds a staff member with a skill and a certification; the matrix and the expiring list show them', async () => {
  const { page } = hr
  await page.getByTestId('menu-item-people-staff').click()
  const table = page.getByTestId('staff-table')
  await table.locator('tbody tr', { hasText: '二线技术专家' }).waitFor()
  await shot(page, 'people-staff')

  await page.getByTestId('staff-create').click()
  const dialog = page.getByTestId('staff-dialog')
  await dialog.getByTestId('staff-name').fill(person.name)
  await pick(page, dialog, 'staff-department', 'IT运维事业部')
  await dialog.getByTestId('staff-post').fill(person.post)
  await fillDate(dialog, 'staff-hired-on', '2024-03-01')
  await shot(page, 'people-staff-create')
  await dialog.getByTestId('staff-save').click()
  await dialog.waitFor({ state: 'hidden' })
  const row = table.locator('tbody tr', { hasText: person.name })
  await row.waitFor()
  assert.match(await row.innerText(), new RegExp(person.post))

  // the drawer: a new skill at level 4
  await row.getByRole('button', { name: '详情' }).click()
  const drawer = page.getByTestId('staff-drawer')
  await drawer.getByTestId('drawer-skills').waitFor()
  await drawer.getByTestId('skill-name').click()
  await page.keyboard.type(person.skill)
  await page.locator('.el-select-dropdown__item:visible', { hasText: person.skill }).first().waitFor()
  await page.keyboard.press('Enter')
  await pick(page, drawer, 'skill-level', '4 级')
  await drawer.getByTestId('skill-add').click()
  await drawer.getByTestId('drawer-skills').locator('tr', { hasText: person.skill }).waitFor()

  // a certification whose expiry precedes its date obtained: the server names expires_on, shown under 到期日期
  await drawer.getByTestId('cert-add').click()
  const cert = page.getByTestId('cert-dialog')
  await cert.getByTestId('cert-name').fill(person.cert)
  await cert.getByTestId('cert-issuer').fill('E2E 测试机构')
  await fillDate(cert, 'cert-obtained-on', day(-300))
  await fillDate(cert, 'cert-expires-on', day(-301))
  await cert.getByTestId('cert-save').click()
  await fieldError(cert, '到期日期').waitFor()
  assert.match(await fieldError(cert, '到期日期').innerText(), /expires_on|obtained_on|到期|取得/)
  assert.equal(await cert.isVisible(), true, 'the dialog stays open with the error')
  await shot(page, 'people-cert-server-error')
  // expiring in 30 days: within the server's reminder window
  await fillDate(cert, 'cert-expires-on', day(30))
  await cert.getByTestId('cert-save').click()
  await cert.waitFor({ state: 'hidden' })
  const certRow = drawer.getByTestId('drawer-certs').locator('tr', { hasText: person.cert })
  await certRow.waitFor()
  assert.match(await certRow.innerText(), /即将到期/)
  await shot(page, 'people-staff-drawer')
  await page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'hidden' })

  // the skills matrix: the new person holds the new skill at level 4
  await page.getByTestId('menu-item-people-skills').click()
  const mrow = page.getByTestId(`matrix-row-${person.name}`)
  await mrow.waitFor()
  assert.equal(await mrow.locator('td[data-level="4"]').count(), 1)
  await page.getByTestId(`matrix-skill-${person.skill}`).waitFor()
  await shot(page, 'people-skills')
  await pick(page, page, 'matrix-filter-department', '质量管理部')
  await page.getByTestId('matrix-row-陈静').waitFor()
  assert.equal(await page.getByTestId(`matrix-row-${person.name}`).count(), 0, 'the department filter hides ITOPS staff')

  // the expiring certifications: the new one, highlighted
  await page.getByTestId('menu-item-people-certifications').click()
  const crow = page.getByTestId('certs-table').locator('tbody tr', { hasText: person.cert })
  await crow.waitFor()
  assert.match(await crow.innerText(), new RegExp(person.name))
  assert.match(await crow.getAttribute('class'), /row-soon/)
  await settle(page)
  await shot(page, 'people-certifications')
  assertNoProblems(hr.problems, 'staff, skills and certifications')
})

test('hr plans a course, records a session with attendance and sees the completion figures', async () => {
  const { page } = hr
  await page.getByTestId('menu-item-people-training').click()
  const table = page.getByTestId('training-table')
  await table.locator('tbody tr').first().waitFor()
  await shot(page, 'people-training')

  await page.getByTestId('training-create').click()
  const dialog = page.getByTestId('training-dialog')
  await dialog.getByTestId('training-course').fill(course)
  await dialog.getByTestId('training-topic').fill('端到端测试课程')
  await fillNumber(dialog, 'training-hours', 3)
  await fillDate(dialog, 'training-planned-on', day(0))
  await fillNumber(dialog, 'training-planned-attendees', 2)
  await dialog.getByTestId('training-save').click()
  await dialog.waitFor({ state: 'hidden' })
  const row = table.locator('tbody tr', { hasText: course })
  await row.waitFor()
  assert.match(await row.innerText(), /计划中/)

  await row.getByRole('button', { name: '场次' }).click()
  const drawer = page.getByTestId('training-drawer')
  await drawer.getByTestId('session-add').click()
  const sdialog = page.getByTestId('session-dialog')
  await fillDate(sdialog, 'session-held-on', day(0))
  await sdialog.getByTestId('session-trainer').fill('周涛')
  await sdialog.getByTestId('session-save').click()
  await sdialog.waitFor({ state: 'hidden' })
  const session = drawer.getByTestId(`session-${day(0)}`)
  await session.waitFor()

  // the new staff member attends with an exam score and feedback; 林芳 is absent
  await session.getByRole('button', { name: '登记出勤' }).click()
  const adialog = page.getByTestId('attendance-dialog')
  await choose(page, adialog, 'attendance-staff', person.name)
  await fillNumber(adialog, 'attendance-exam', 85)
  await fillNumber(adialog, 'attendance-feedback', 4.5)
  await adialog.getByTestId('attendance-save').click()
  await adialog.waitFor({ state: 'hidden' })
  await session.locator('tr', { hasText: person.name }).waitFor()

  await session.getByRole('button', { name: '登记出勤' }).click()
  await choose(page, adialog, 'attendance-staff', '林芳')
  await adialog.getByTestId('attendance-attended').click() // absent
  await adialog.getByTestId('attendance-save').click()
  await adialog.waitFor({ state: 'hidden' })
  const absent = session.locator('tr', { hasText: '林芳' })
  await absent.waitFor()
  assert.match(await absent.innerText(), /缺勤/)
  const mine = await session.locator('tr', { hasText: person.name }).innerText()
  assert.match(mine, /85/)
  assert.match(mine, /通过/)
  const figures = await drawer.getByTestId('training-figures').innerText()
  assert.match(figures, /1\s*\/\s*2/, 'one attendee of two planned')
  assert.match(figures, /100%\s*\(1\/1\)/, 'one exam, passed')
  await shot(page, 'people-training-drawer')
  await page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'hidden' })
  await row.filter({ hasText: '已实施' }).waitFor()
  await shot(page, 'people-training-held')
  assertNoProblems(hr.problems, 'the training plan')
})

test('hr records an appraisal; a malformed period is refused next to its field', async () => {
  const { page } = hr
  await page.getByTestId('menu-item-people-appraisals').click()
  const table = page.getByTestId('appraisals-table')
  await table.locator('tbody tr').first().waitFor()
  assert.match(await page.getByTestId('criteria-summary').innerText(), /工作质量 40%/)
  await shot(page, 'people-appraisals')

  await page.getByTestId('appraisal-create').click()
  const dialog = page.getByTestId('appraisal-dialog')
  await choose(page, dialog, 'appraisal-staff', person.name)
  await dialog.getByTestId('appraisal-period').fill('2025-Q9')
  await fillNumber(dialog, 'appraisal-score-attitude', 90)
  await fillNumber(dialog, 'appraisal-score-quality', 80)
  await fillNumber(dialog, 'appraisal-score-efficiency', 70)
  assert.equal((await dialog.getByTestId('appraisal-preview').innerText()).trim(), '80')
  await dialog.getByTestId('appraisal-save').click()
  await fieldError(dialog, '考核期间').waitFor()
  await shot(page, 'people-appraisal-server-error')
  await dialog.getByTestId('appraisal-period').fill('2025-Q4')
  await dialog.getByTestId('appraisal-save').click()
  await dialog.waitFor({ state: 'hidden' })
  const row = table.locator('tbody tr', { hasText: person.name })
  await row.waitFor()
  assert.match(await row.innerText(), /80(\.0)?\s+B/)

  // criteria whose weights do not sum to 100 are refused by the server; its message is shown and nothing changes
  await page.getByTestId('criteria-panel').click()
  await page.getByTestId('criteria-edit').click()
  const cdialog = page.getByTestId('criteria-dialog')
  await fillNumber(cdialog, 'crit-weight-0', 50)
  assert.match(await cdialog.getByTestId('criteria-sum').innerText(), /120/)
  await cdialog.getByTestId('criteria-save').click()
  await cdialog.getByTestId('criteria-error').waitFor()
  await shot(page, 'people-criteria-error')
  await cdialog.getByRole('button', { name: '取消' }).click()
  await cdialog.waitFor({ state: 'hidden' })
  assert.match(await page.getByTestId('criteria-summary').innerText(), /工作态度 30%/)
  assertNoProblems(hr.problems, 'appraisals')
})

test('a reward proposed by hr is approved by the approver', async () => {
  const { page } = hr
  const reason = unique('E2E 奖励：')
  await page.getByTestId('menu-item-people-rewards').click()
  await page.getByTestId('rewards-table').locator('tbody tr').first().waitFor()
  await page.getByTestId('reward-create').click()
  const dialog = page.getByTestId('reward-dialog')
  await choose(page, dialog, 'reward-staff', person.name)
  await dialog.getByTestId('reward-reason').fill(reason)
  await fillNumber(dialog, 'reward-amount', 800)
  await fillNumber(dialog, 'reward-points', 3)
  await shot(page, 'people-reward-propose')
  await dialog.getByTestId('reward-save').click()
  await dialog.waitFor({ state: 'hidden' })
  const hrRow = page.getByTestId('rewards-table').locator('tbody tr', { hasText: reason })
  await hrRow.waitFor()
  assert.match(await hrRow.innerText(), /待审批/)
  assert.equal(await hrRow.getByRole('button', { name: '批准' }).count(), 0, 'hr may not approve')
  assert.equal(await hrRow.getByRole('button', { name: '撤回' }).count(), 1, 'the proposer may withdraw')
  await shot(page, 'people-rewards')
  assertNoProblems(hr.problems, 'proposing a reward')

  const ap = await openPage(browser)
  try {
    await login(ap.page, 'approver')
    await ap.page.getByTestId('menu-item-people-rewards').click()
    const row = ap.page.getByTestId('rewards-table').locator('tbody tr', { hasText: reason })
    await row.waitFor()
    assert.equal(await ap.page.getByTestId('reward-create').count(), 0, 'the approver does not propose')
    // a rejection needs a comment: said next to the comment field
    await row.getByRole('button', { name: '驳回' }).click()
    const decide = ap.page.getByTestId('decide-dialog')
    await decide.getByTestId('decide-submit').click()
    await fieldError(decide, '意见').waitFor()
    await decide.getByRole('button', { name: '取消' }).click()
    await decide.waitFor({ state: 'hidden' })

    await row.getByRole('button', { name: '批准' }).click()
    await decide.getByTestId('decide-comment').fill('同意，随当月工资发放。')
    await shot(ap.page, 'people-reward-approve')
    await decide.getByTestId('decide-submit').click()
    await decide.waitFor({ state: 'hidden' })
    await row.filter({ hasText: '已批准' }).waitFor()
    assert.equal(await row.getByRole('button', { name: '批准' }).count(), 0)
    // the expanded row shows the approval step with the approver's comment
    await row.locator('.el-table__expand-icon').click()
    await ap.page.locator('[data-testid^="reward-detail-"]', { hasText: '同意，随当月工资发放。' }).waitFor()
    await shot(ap.page, 'people-rewards-approved')
    assertNoProblems(ap.problems, "the approver's decision")
  } finally {
    await ap.context.close()
  }
})

test('a member sees no write buttons and only their own department\'s appraisals', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'member')
    await page.getByTestId('menu-item-people-staff').click()
    const row = page.getByTestId('staff-table').locator('tbody tr', { hasText: '二线技术专家' })
    await row.waitFor()
    assert.equal(await page.getByTestId('staff-create').count(), 0)
    assert.equal(await row.getByRole('button', { name: '编辑' }).count(), 0)
    await row.getByRole('button', { name: '详情' }).click()
    const drawer = page.getByTestId('staff-drawer')
    await drawer.getByTestId('drawer-skills').locator('tbody tr').first().waitFor()
    assert.equal(await drawer.getByTestId('skill-add').count(), 0)
    assert.equal(await drawer.getByTestId('cert-add').count(), 0)
    await shot(page, 'people-member-staff-drawer')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    await page.getByTestId('menu-item-people-training').click()
    await page.getByTestId('training-table').locator('tbody tr').first().waitFor()
    assert.equal(await page.getByTestId('training-create').count(), 0)
    assert.equal(await page.getByTestId('training-table').getByRole('button', { name: '编辑' }).count(), 0)
    await shot(page, 'people-member-training')

    await page.getByTestId('menu-item-people-appraisals').click()
    const table = page.getByTestId('appraisals-table')
    await table.locator('tbody tr').first().waitFor()
    await settle(page)
    assert.equal(await page.getByTestId('appraisal-create').count(), 0)
    assert.equal(await page.getByTestId('criteria-edit').count(), 0)
    await page.getByTestId('appraisal-scope-note').waitFor()
    const depts = await table.locator('tbody tr td:nth-child(2)').allInnerTexts()
    assert.ok(depts.length > 0)
    for (const d of depts) assert.equal(d.trim(), 'IT运维事业部')
    await shot(page, 'people-member-appraisals')

    await page.getByTestId('menu-item-people-rewards').click()
    await page.getByTestId('rewards-table').locator('tbody tr').first().waitFor()
    assert.equal(await page.getByTestId('reward-create').count(), 0)
    assert.equal(await page.getByTestId('rewards-table').getByRole('button', { name: /批准|驳回|撤回/ }).count(), 0)
    await shot(page, 'people-member-rewards')

    await page.getByTestId('menu-item-people-certifications').click()
    await page.getByTestId('certs-table').waitFor()
    await settle(page)
    await page.getByTestId('menu-item-people-skills').click()
    await page.getByTestId('skills-matrix').locator('tbody tr').first().waitFor()
    assertNoProblems(problems, "the member's people pages")
  } finally {
    await context.close()
  }
})

test('the people pages in English', async () => {
  const { context, page, problems } = await openPage(browser, { locale: 'en' })
  try {
    await login(page, 'hr')
    await page.evaluate(() => window.localStorage.setItem('nengli.locale', 'en'))
    await visit(page, '/people/training')
    await page.getByTestId('training-table').locator('tbody tr').first().waitFor()
    assert.match(await page.locator('h1').innerText(), /Yearly training plan/)
    await shot(page, 'people-training-en')
    assertNoProblems(problems, 'the English pages')
  } finally {
    await context.close()
  }
})
