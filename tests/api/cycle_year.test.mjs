// The whole yearly cycle, played end to end as the real roles would (issue 3's acceptance scenario):
// the planner drafts the plan with items in all four elements; a meeting asks for revision, a second one passes; the plan
// is submitted; the approver rejects it with a comment; the planner edits, a new meeting passes, the plan is resubmitted
// and approved; quality defines metrics, values are entered and one is missed; closing the period fails until the
// deviation analysis is written, then succeeds and freezes it; departments add work items and report progress; one
// goes overdue and quality checks it; the evaluation draft lists exactly the missed metric and the late item; it is
// finalized; the next year's plan is prefilled from it. `nengli audit verify` passes afterwards.
// Works in a past year of its own (2021–2024, retried on conflict) so that its dates are fixed and overdue is certain.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { admin, login, createUser, createDepartment, expectStatus, expectError, env } from './lib.mjs';

let Y;
let dept, dept2;
const u = {};
const c = {};
let plan, metricMonthly, metricQuarterly, taskDone, taskLate, taskOpen;
const areas = {};

before(async () => {
  const adm = await admin();
  dept = await createDepartment(adm, { name: 'IT运维（年度场景）' });
  dept2 = await createDepartment(adm, { name: '人力（年度场景）' });
  const specs = {
    planner: [['planner'], dept], approver: [['approver'], null], quality: [['quality'], null],
    hr: [['hr'], dept2], member: [['member'], dept], member2: [['member'], dept2],
  };
  for (const [name, [roles, d]] of Object.entries(specs)) {
    const made = await createUser(adm, { roles, department_id: d ? d.id : null, display_name: `年度场景 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
  for (const el of ['people', 'process', 'technology', 'resources']) {
    const list = expectStatus(await c.planner.get(`/api/v1/capability-areas?element=${el}&active=true`), 200);
    areas[el] = list.items[0].code;
  }
});

test('1. the planner drafts the plan with items in all four elements', async () => {
  for (let attempt = 0; attempt < 20 && !plan; attempt++) {
    const y = 2021 + Math.floor(Math.random() * 4);
    const res = await c.planner.post('/api/v1/plans', { year: y, title: `${y}年度服务能力管理计划` });
    if (res.status === 409) continue;
    plan = expectStatus(res, 201);
    Y = y;
  }
  assert.ok(plan, 'a free year was found');
  assert.equal(plan.status, 'draft');
  assert.equal(plan.version, 1);
  const item = (element, objective, client = c.planner) => client.post(`/api/v1/plans/${plan.id}/items`, {
    element, area: areas[element], objective, measures: '按季度检查', owner_department_id: dept.id, due_date: `${Y}-12-15`,
  });
  expectStatus(await item('people', '关键岗位100%有备份', c.hr), 201);
  expectStatus(await item('process', '变更成功率不低于98%'), 201);
  expectStatus(await item('technology', '建成统一监控平台'), 201);
  expectStatus(await item('resources', '知识库条目增加200条'), 201);
});

test('2. review meetings, submission, rejection with a comment, resubmission, approval', async () => {
  const P = `/api/v1/plans/${plan.id}`;
  expectStatus(await c.planner.post(`${P}/meetings`, { held_on: `${Y - 1}-12-10`, attendees: '李明、张丽、陈静', minutes: '人员部分需细化', decision: 'revise' }), 201);
  expectError(await c.planner.post(`${P}/submit`, {}), 422, 'validation_failed', 'meetings');
  expectStatus(await c.quality.post(`${P}/meetings`, { held_on: `${Y - 1}-12-15`, attendees: '李明、张丽、陈静', minutes: '通过', decision: 'pass' }), 201);
  expectStatus(await c.planner.post(`${P}/submit`, {}), 200);
  expectError(await c.approver.post(`${P}/reject`, { comment: '' }), 422, 'validation_failed', 'comment');
  const rejected = expectStatus(await c.approver.post(`${P}/reject`, { comment: '预算依据不足，请补充。' }), 200);
  assert.equal(rejected.status, 'rejected');
  expectStatus(await c.planner.patch(P, { review_problems: '上年度监控覆盖不足；预算依据已补充。' }), 200);
  expectStatus(await c.planner.post(`${P}/meetings`, { held_on: `${Y - 1}-12-20`, attendees: '李明、陈静', minutes: '修订后通过', decision: 'pass' }), 201);
  expectStatus(await c.planner.post(`${P}/submit`, {}), 200);
  const approved = expectStatus(await c.approver.post(`${P}/approve`, { comment: '同意' }), 200);
  assert.equal(approved.status, 'approved');
  const history = expectStatus(await c.member.get(`${P}/history`), 200);
  const actions = (Array.isArray(history) ? history : history.items).map((h) => h.action);
  for (const a of ['submitted', 'rejected', 'approved']) assert.ok(actions.some((x) => x.startsWith(a.slice(0, 6))), `history has ${a}: ${actions}`);
});

test('3. quality defines metrics; values are entered and one is missed; closing waits for the analysis', async () => {
  metricMonthly = expectStatus(await c.quality.post('/api/v1/metrics', {
    year: Y, code: 'CHG-SUCCESS', name: '变更成功率', element: 'process', definition: '成功变更数÷变更总数', unit: '%',
    direction: 'higher_better', target: 0.98, warning: 0.95, frequency: 'month', source: 'manual', owner_department_id: dept.id,
  }), 201);
  metricQuarterly = expectStatus(await c.quality.post('/api/v1/metrics', {
    year: Y, code: 'MTTR', name: '平均修复时间', element: 'technology', definition: '故障修复时长均值', unit: 'h',
    direction: 'lower_better', target: 4, warning: 6, frequency: 'quarter', source: 'manual', owner_department_id: dept.id,
  }), 201);
  const put = (m, period, body, client = c.member) => client.put(`/api/v1/metrics/${m.id}/values/${period}`, body);
  expectStatus(await put(metricMonthly, `${Y}-01`, { actual: 0.99 }), 200);
  expectStatus(await put(metricQuarterly, `${Y}-Q1`, { actual: 3.5 }), 200);
  const missed = expectStatus(await put(metricMonthly, `${Y}-02`, { numerator: 45, denominator: 50 }), 200);
  assert.equal(missed.status, 'missed');
  expectError(await c.member2.put(`/api/v1/metrics/${metricMonthly.id}/values/${Y}-03`, { actual: 1 }), 403, 'forbidden');
  expectError(await c.quality.post('/api/v1/achievement/close', { period: `${Y}-02` }), 422, 'validation_failed', 'period');
  // quality is reminded of the missed value that lacks its analysis
  const remind = expectStatus(await c.quality.get('/api/v1/notifications'), 200).items;
  assert.ok(remind.some((n) => n.kind === 'value_needs_analysis' && n.entity_id === missed.id), 'quality is reminded to analyse');
  expectStatus(await put(metricMonthly, `${Y}-02`, {
    deviation_analysis: '两次变更未经充分测试即发布。', corrective_action: '所有变更须在测试环境验证并经CAB审批。',
  }), 200);
  expectStatus(await c.quality.post('/api/v1/achievement/close', { period: `${Y}-02` }), 200);
  expectError(await put(metricMonthly, `${Y}-02`, { actual: 1 }), 409, 'invalid_state');
  const table = expectStatus(await c.member.get(`/api/v1/achievement?year=${Y}`), 200);
  const row = table.items.find((r) => r.metric.id === metricMonthly.id);
  const feb = row.values.find((v) => v.period === `${Y}-02`);
  assert.equal(feb.status, 'missed');
  assert.equal(feb.closed, true);
  assert.ok(Math.abs(feb.actual - 0.9) < 1e-9);
});

test('4. departments plan and carry out work; one item goes overdue and quality checks it', async () => {
  const task = (client, department, title, start, end) => client.post('/api/v1/tasks', {
    year: Y, department_id: department.id, title, plan_item_id: null, metric_id: metricMonthly.id,
    owner_user_id: client === c.member2 ? u.member2.id : u.member.id, planned_start: start, planned_end: end, deliverable: '报告',
  });
  taskDone = expectStatus(await task(c.member, dept, '建立变更测试环境', `${Y}-01-05`, `${Y}-03-31`), 201);
  taskLate = expectStatus(await task(c.member, dept, '上线统一监控平台', `${Y}-02-01`, `${Y}-06-30`), 201);
  taskOpen = expectStatus(await task(c.member2, dept2, '关键岗位备份培训', `${Y}-03-01`, `${Y}-05-31`), 201);
  expectError(await task(c.member2, dept, '越权', `${Y}-01-01`, `${Y}-02-01`), 403, 'forbidden');
  expectStatus(await c.member.post(`/api/v1/tasks/${taskDone.id}/progress`, { percent: 100, status: 'done', note: '已完成', actual_end: `${Y}-03-20` }), 201);
  expectStatus(await c.member.post(`/api/v1/tasks/${taskLate.id}/progress`, { percent: 60, status: 'in_progress', note: '供应商延期' }), 201);
  expectStatus(await c.member2.post(`/api/v1/tasks/${taskOpen.id}/progress`, { percent: 0, status: 'cancelled', note: '并入下年度计划' }), 201);
  const unchecked = expectStatus(await c.quality.get('/api/v1/notifications'), 200).items;
  assert.ok(unchecked.some((n) => n.kind === 'task_unchecked' && n.entity_id === taskLate.id), 'quality sees the unchecked overdue item');
  const check = expectStatus(await c.quality.post(`/api/v1/tasks/${taskLate.id}/checks`, {
    checked_on: `${Y}-07-05`, finding: '未按期上线', deviation_reason: '供应商交付延期', corrective_action: '更换供应商并每周跟踪', due_date: `${Y}-09-30`,
  }), 201);
  expectStatus(await c.quality.patch(`/api/v1/checks/${check.id}`, { verified: true }), 200);
  const after = expectStatus(await c.quality.get('/api/v1/notifications'), 200).items;
  assert.ok(!after.some((n) => n.kind === 'task_unchecked' && n.entity_id === taskLate.id), 'a checked item is no longer listed');
  const tracking = expectStatus(await c.member.get(`/api/v1/tracking?year=${Y}&department_id=${dept.id}`), 200);
  const late = tracking.items.find((t) => t.id === taskLate.id);
  const done = tracking.items.find((t) => t.id === taskDone.id);
  assert.equal(late.overdue, true);
  const days = Math.round((Date.parse(new Date().toISOString().slice(0, 10)) - Date.parse(`${Y}-06-30`)) / 86400000);
  assert.ok(Math.abs(late.delay_days - days) <= 1, `delay_days ${late.delay_days} ≈ ${days} (time zone)`);
  assert.equal(done.overdue, false);
  assert.equal(done.delay_days, 0);
  const onlyOverdue = expectStatus(await c.member.get(`/api/v1/tracking?year=${Y}&overdue=true`), 200);
  assert.deepEqual(onlyOverdue.items.map((t) => t.id).filter((id) => [taskDone.id, taskLate.id, taskOpen.id].includes(id)), [taskLate.id]);
});

test('5. the evaluation lists exactly the missed metric and the late item; finalized; next year starts from it', async () => {
  const E = `/api/v1/evaluations/${Y}`;
  const draft = expectStatus(await c.quality.get(E), 200);
  const problems = draft.problems;
  const metricProblems = problems.filter((p) => p.source && p.source.kind === 'metric');
  const taskProblems = problems.filter((p) => p.source && p.source.kind === 'task');
  assert.deepEqual(metricProblems.map((p) => [p.source.metric_id, p.source.period]), [[metricMonthly.id, `${Y}-02`]]);
  assert.deepEqual(taskProblems.map((p) => p.source.task_id), [taskLate.id]);
  expectError(await c.member.patch(E, { conclusion: 'x' }), 403, 'forbidden');
  const suggestions = [{ text: '变更前强制测试验证', owner_department_id: dept.id, due_date: `${Y + 1}-03-31`, priority: 'high' }];
  expectStatus(await c.quality.patch(E, { conclusion: '年度目标基本达成，变更管理需加强。', suggestions }), 200);
  const fin = expectStatus(await c.quality.post(`${E}/finalize`, {}), 200);
  assert.equal(fin.status, 'finalized');
  expectError(await c.quality.patch(E, { conclusion: '改' }), 409, 'invalid_state');
  // the next year's plan is prefilled from the finalized evaluation
  const next = expectStatus(await c.planner.post('/api/v1/plans', { year: Y + 1, title: `${Y + 1}年度服务能力管理计划` }), 201);
  assert.match(next.review_achievements + next.review_problems + next.review_carryover, /变更管理需加强|变更前强制测试验证/);
  assert.match(next.review_carryover, /变更前强制测试验证/);
});

test('6. the audit chain holds after the whole year', () => {
  const r = spawnSync(env('NENGLI_BIN'), ['audit', 'verify', '--db', env('NENGLI_DB')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('7. a value for a period that has not begun is refused', async (t) => {
  const now = new Date();
  const y = now.getUTCFullYear();
  const next = now.getUTCMonth() + 2;          // next month, 1-based
  if (next > 12) return t.skip('December: next month is in another year');
  const m = expectStatus(await c.quality.post('/api/v1/metrics', {
    year: y, code: `FUT-${Date.now() % 100000}`, name: '未来期间', element: 'process', unit: 'ratio', direction: 'higher_better',
    target: 0.9, frequency: 'month', source: 'manual', owner_department_id: dept.id,
  }), 201);
  const period = `${y}-${String(next).padStart(2, '0')}`;
  expectError(await c.quality.put(`/api/v1/metrics/${m.id}/values/${period}`, { actual: 0.95 }), 422, 'validation_failed', 'period');
  const read = await c.quality.get(`/api/v1/metrics/${m.id}/values/${period}`);
  assert.equal(read.status, 404, 'nothing was written');
});
