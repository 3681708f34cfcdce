// The annual evaluation report (年度执行效果评估): Quality reads the generated draft of the current year (plan
// completion, metrics per element, problems, suggestions, conclusion), edits the conclusion and sees it saved, is asked
// to confirm before finalizing (cancelled here: finalizing is irreversible); last year's finalized report is read-only;
// downloads are offered when the export answers; a member reads the report without edit buttons.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, login, shot, visit, settle, assertNoProblems } from './harness.js'

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

const thisYear = () => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()))

test('quality reads and edits the draft evaluation; last year is read-only', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'quality')
    await page.getByTestId('menu-item-evaluation').click()
    await page.getByTestId('evaluation-completion').waitFor()
    await settle(page)
    assert.match(await page.getByTestId('evaluation-status').innerText(), /草稿/)
    assert.ok(await page.getByTestId('evaluation-problems').locator('li').count() > 0, 'the draft lists the generated problems')
    assert.ok(await page.getByTestId('evaluation-suggestions').locator('tbody tr').count() > 0)
    assert.match(await page.getByTestId('evaluation-metrics').innerText(), /过程/)
    await shot(page, 'evaluation-draft')

    await page.getByTestId('evaluation-edit').click()
    const text = `${thisYear()} 年度服务能力计划总体有效执行（端到端测试编辑）。`
    await page.getByTestId('evaluation-conclusion').fill(text)
    await page.getByTestId('evaluation-save').click()
    await page.getByTestId('evaluation-conclusion-text').filter({ hasText: '端到端测试编辑' }).waitFor()
    await shot(page, 'evaluation-edited')

    // finalizing asks first; cancelled here
    await page.getByTestId('evaluation-finalize').click()
    await page.locator('.el-message-box').waitFor()
    await shot(page, 'evaluation-finalize-confirm')
    await page.locator('.el-message-box .el-button:not(.el-button--primary)').click()
    await page.locator('.el-message-box').waitFor({ state: 'hidden' })
    assert.match(await page.getByTestId('evaluation-status').innerText(), /草稿/)

    // last year's report is finalized: read-only
    await visit(page, `/evaluation?year=${thisYear() - 1}`)
    await page.getByTestId('evaluation-status').filter({ hasText: '已定稿' }).waitFor()
    await settle(page)
    assert.equal(await page.getByTestId('evaluation-edit').count(), 0)
    assert.equal(await page.getByTestId('evaluation-finalize').count(), 0)
    await shot(page, 'evaluation-finalized')
    assertNoProblems(problems, 'the evaluation')
  } finally {
    await context.close()
  }
})

test('a member reads the evaluation without edit buttons; downloads point at the exports', async () => {
  const { context, page, problems } = await openPage(browser)
  try {
    await login(page, 'member')
    await visit(page, '/evaluation')
    await page.getByTestId('evaluation-completion').waitFor()
    await settle(page)
    assert.equal(await page.getByTestId('evaluation-edit').count(), 0)
    assert.equal(await page.getByTestId('evaluation-finalize').count(), 0)
    const links = page.locator('[data-testid^="evaluation-export-"]')
    if (await links.count() > 0) {
      // offered only when the export answered: the link downloads a document
      const href = await page.getByTestId('evaluation-export-pdf').getAttribute('href')
      const res = await page.request.get(new URL(href, page.url()).toString())
      assert.equal(res.status(), 200)
    }
    await shot(page, 'evaluation-member')
    assertNoProblems(problems, "the member's evaluation")
  } finally {
    await context.close()
  }
})
