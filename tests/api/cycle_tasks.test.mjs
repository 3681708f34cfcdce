// Department work plans (部门详细工作计划), progress, quality's checks and the tracking table (运维服务管理计划工作执行跟踪表):
// members add work items for their own department only, report progress (done ⇒ 100 % and actual_end today, reopening
// clears it), one item is overdue, quality checks it and verifies the check; tracking derives overdue and delay_days from
// the dates (expected values computed here from today's date in the organisation's time zone); filters; refusals
// (wrong role, wrong department, wrong state, bad values) change nothing.
// Works in three fresh departments of its own, in the current year and the previous one.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, uniq, localDate } from './lib.mjs';

const T = '/api/v1/tasks';
let adm;
let deptA, deptB, deptC;
const u = {};    // role name → user
const c = {};    // role name → client
let today, Y, PY;  // today's date (org time zone), this year, last year
const items = {};

/** todayIn(tz): YYYY-MM-DD of now in the IANA zone tz. */
function todayIn(tz) {
  return localDate(tz, new Date());
}
function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
function daysBetween(a, b) {
  return Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86400000);
}

async function getTask(id) {
  return expectStatus(await adm.get(`${T}/${id}`), 200);
}

/** Asserts that the work item is exactly as before (a refused request changed nothing). */
async function assertUnchanged(beforeTask, what) {
  const now = await getTask(beforeTask.id);
  for (const k of ['title', 'owner_user_id', 'planned_start', 'planned_end', 'actual_end', 'deliverable', 'status', 'percent',
    'updated_at']) {
    assert.deepEqual(now[k], beforeTask[k], `${what}: ${k} unchanged`);
  }
  assert.equal(now.progress.length, beforeTask.progress.length, `${what}: no progress row added`);
  assert.deepEqual(now.checks, beforeTask.checks, `${what}: checks unchanged`);
}

async function tracking(query) {
  const res = await c.auditor.get(`/api/v1/tracking?${query}&limit=500`);
  const body = expectStatus(res, 200);
  assert.ok(Array.isArray(body.items), describe(res));
  return body.items;
}

before(async () => {
  adm = await admin();
  deptA = await createDepartment(adm);
  deptB = await createDepartment(adm);
  deptC = await createDepartment(adm);
  const specs = {
    memberA: { roles: ['member'], department_id: deptA.id },
    memberA2: { roles: ['member'], department_id: deptA.id },
    memberB: { roles: ['member'], department_id: deptB.id },
    hrA: { roles: ['hr'], department_id: deptA.id },
    quality: { roles: ['quality'], department_id: deptB.id },
    planner: { roles: ['planner'], department_id: null },
    auditor: { roles: ['auditor'], department_id: null },
    approver: { roles: ['approver'], department_id: deptA.id },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const made = await createUser(adm, { ...spec, display_name: `任务测试 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
  const settings = expectStatus(await adm.get('/api/v1/settings'), 200);
  today = todayIn(settings.timezone || 'Asia/Shanghai');
  Y = Number(today.slice(0, 4));
  PY = Y - 1;
});

test('a member adds work items for their own department (201), not for another (403)', async () => {
  const body = {
    year: Y, department_id: deptA.id, title: '完善知识库', plan_item_id: null, metric_id: null, owner_user_id: u.memberA.id,
    planned_start: `${Y}-01-01`, planned_end: addDays(today, 3), deliverable: '知识库 200 篇',
  };
  let res = await c.memberA.post(T, body);
  const soon = expectStatus(res, 201);
  items.soon = soon;
  assert.equal(soon.year, Y);
  assert.equal(soon.department_id, deptA.id);
  assert.equal(soon.department, deptA.name);
  assert.equal(soon.owner_user_id, u.memberA.id);
  assert.equal(soon.status, 'not_started');
  assert.equal(soon.percent, 0);
  assert.equal(soon.actual_end, null);
  assert.equal(soon.overdue, false);
  assert.equal(soon.delay_days, 0);
  assert.equal(soon.outcome, 'open');

  // the same member for another department: forbidden, nothing written
  const title = `越权 ${uniq('x')}`;
  res = await c.memberA.post(T, { ...body, title, department_id: deptB.id, owner_user_id: null });
  expectError(res, 403, 'forbidden');
  const inB = expectStatus(await adm.get(`${T}?department_id=${deptB.id}&limit=500`), 200).items;
  assert.ok(!inB.some((t) => t.title === title), 'the forbidden item was not created');

  // hr of department A may, the planner may for any department, quality of B not for A, auditor and approver never
  items.hrItem = expectStatus(await c.hrA.post(T, { ...body, title: '人员培训计划', owner_user_id: u.memberA2.id }), 201);
  items.bItem = expectStatus(await c.planner.post(T, { ...body, department_id: deptB.id, title: 'B 部门巡检', owner_user_id: u.memberB.id,
    planned_end: `${Y}-12-31` }), 201);
  expectError(await c.quality.post(T, { ...body, title }), 403, 'forbidden');
  expectError(await c.auditor.post(T, { ...body, title }), 403, 'forbidden');
  expectError(await c.approver.post(T, { ...body, title }), 403, 'forbidden');
  const inA = expectStatus(await adm.get(`${T}?department_id=${deptA.id}&limit=500`), 200).items;
  assert.ok(!inA.some((t) => t.title === title), 'no forbidden item was created in A');

  // the overdue item: last year, planned to end on 1 March
  items.overdue = expectStatus(await c.memberA.post(T, {
    ...body, year: PY, title: '建设监控平台', planned_start: `${PY}-01-10`, planned_end: `${PY}-03-01`,
  }), 201);
  assert.equal(items.overdue.overdue, true);
  assert.equal(items.overdue.delay_days, daysBetween(today, `${PY}-03-01`));
});

test('work items are validated field by field (422 naming the field) and a refused one is not written', async () => {
  const base = {
    year: Y, department_id: deptA.id, title: '校验', owner_user_id: u.memberA.id, planned_start: `${Y}-02-01`, planned_end: `${Y}-03-01`,
  };
  const cases = [
    [{ planned_end: `${Y}-01-31` }, 'planned_end'],
    [{ planned_start: `${Y}-02-30` }, 'planned_start'],
    [{ planned_end: `${Y}-13-01` }, 'planned_end'],
    [{ planned_start: `${PY}-12-01` }, 'planned_start'],
    [{ owner_user_id: u.memberB.id }, 'owner_user_id'],
    [{ owner_user_id: 999999999 }, 'owner_user_id'],
    [{ plan_item_id: 999999999 }, 'plan_item_id'],
    [{ metric_id: 999999999 }, 'metric_id'],
    [{ department_id: 999999999 }, 'department_id'],
    [{ year: 1800 }, 'year'],
    [{ title: '' }, 'title'],
    [{ colour: 'red' }, 'colour'],
    [{ status: 'done' }, 'status'],
  ];
  for (const [patch, field] of cases) {
    const title = `校验 ${uniq('v')}`;
    const res = await c.planner.post(T, { ...base, title, ...patch });
    expectError(res, 422, 'validation_failed', field);
  }
  const inA = expectStatus(await adm.get(`${T}?department_id=${deptA.id}&limit=500`), 200).items;
  assert.ok(!inA.some((t) => t.title.startsWith('校验')), 'no refused item exists');
});

test('a metric or plan item of another year is refused; one of the item\'s year is accepted', async () => {
  // in a third department of this file's own, so that the other tests' filters do not meet these items.
  // The year is this year: the yearly-scenario file owns 2021..2025 (its next year's plan included), the plan tests 2031..2099.
  const code = uniq('TM').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
  const metric = expectStatus(await c.quality.post('/api/v1/metrics', {
    year: Y, code, name: '工作项关联指标', element: 'process', direction: 'higher_better', target: 0.95, warning: 0.9, frequency: 'year',
  }), 201);
  const lastYear = { year: PY, department_id: deptC.id, title: '关联', planned_start: `${PY}-02-01`, planned_end: `${PY}-03-01` };
  const thisYear = { ...lastYear, year: Y, planned_start: `${Y}-01-01`, planned_end: addDays(today, 30) };
  expectError(await c.planner.post(T, { ...lastYear, metric_id: metric.id }), 422, 'validation_failed', 'metric_id');
  const ok = expectStatus(await c.planner.post(T, { ...thisYear, metric_id: metric.id, title: `关联指标 ${code}` }), 201);
  assert.equal(ok.metric_id, metric.id);
  assert.equal(ok.metric_code, code);
  assert.equal(ok.element, 'process');
  // the link is checked again when a PATCH moves the item to another year
  expectError(await c.planner.patch(`${T}/${ok.id}`, { planned_start: `${PY}-02-01`, planned_end: `${PY}-03-01` }), 422,
    'validation_failed', 'planned_start');
  expectError(await c.planner.patch(`${T}/${ok.id}`, { metric_id: 999999999 }), 422, 'validation_failed', 'metric_id');
  assert.equal((await getTask(ok.id)).metric_id, metric.id);
  expectStatus(await c.planner.patch(`${T}/${ok.id}`, { metric_id: null }), 200);
  assert.equal((await getTask(ok.id)).metric_id, null);

  // a plan item of this year's plan (the plans room's API): refused for last year's item, accepted for this year's
  let plan;
  const pres = await c.planner.post('/api/v1/plans', { year: Y, title: `${Y}年度服务能力管理计划` });
  if (pres.status === 409) {
    plan = expectStatus(await adm.get(`/api/v1/plans?year=${Y}`), 200).items.find((p) => p.year === Y);
  } else {
    plan = expectStatus(pres, 201);
  }
  assert.ok(plan, `a plan for ${Y}`);
  if (!['draft', 'rejected'].includes(plan.status)) return; // another file's plan, past editing: nothing to link here
  const item = expectStatus(await c.planner.post(`/api/v1/plans/${plan.id}/items`, {
    element: 'people', area: 'people.training', objective: '全员培训', due_date: `${Y}-12-15`,
  }), 201);
  expectError(await c.planner.post(T, { ...lastYear, plan_item_id: item.id }), 422, 'validation_failed', 'plan_item_id');
  const linked = expectStatus(await c.planner.post(T, { ...thisYear, plan_item_id: item.id, title: `关联计划项 ${code}` }), 201);
  assert.equal(linked.plan_item_id, item.id);
  assert.equal(linked.element, 'people');
});

test('done with an actual_end given after the fact: on time or late by the dates; refused with another status or a bad date', async () => {
  const item = expectStatus(await c.planner.post(T, {
    year: PY, department_id: deptC.id, title: '补报完成', planned_start: `${PY}-03-01`, planned_end: `${PY}-06-30`,
  }), 201);
  const url = `${T}/${item.id}/progress`;
  const before = await getTask(item.id);
  expectError(await c.planner.post(url, { status: 'in_progress', actual_end: `${PY}-05-01` }), 422, 'validation_failed', 'actual_end');
  expectError(await c.planner.post(url, { status: 'done', actual_end: addDays(today, 1) }), 422, 'validation_failed', 'actual_end');
  expectError(await c.planner.post(url, { status: 'done', actual_end: `${PY}-02-28` }), 422, 'validation_failed', 'actual_end');
  expectError(await c.planner.post(url, { status: 'done', actual_end: `${PY}-02-30` }), 422, 'validation_failed', 'actual_end');
  await assertUnchanged(before, 'refused actual_end');
  let done = expectStatus(await c.planner.post(url, { status: 'done', actual_end: `${PY}-06-30` }), 201).task;
  assert.equal(done.actual_end, `${PY}-06-30`);
  assert.equal(done.outcome, 'done_on_time');
  assert.equal(done.delay_days, 0);
  expectStatus(await c.planner.post(url, { status: 'in_progress', percent: 80 }), 201);
  done = expectStatus(await c.planner.post(url, { status: 'done', actual_end: `${PY}-07-10` }), 201).task;
  assert.equal(done.outcome, 'done_late');
  assert.equal(done.delay_days, 10);
  assert.equal(done.overdue, false);
});

test('progress: percent, status and note; done ⇒ 100 % and actual_end today; done twice is 409; reopening clears actual_end', async () => {
  const id = items.soon.id;
  let res = await c.memberA.post(`${T}/${id}/progress`, { percent: 30, status: 'in_progress', note: '完成分类', evidence: 'https://kb.example/1' });
  const p1 = expectStatus(res, 201);
  assert.equal(p1.percent, 30);
  assert.equal(p1.status, 'in_progress');
  assert.equal(p1.note, '完成分类');
  assert.equal(p1.evidence, 'https://kb.example/1');
  assert.equal(p1.reported_by, u.memberA.id);
  assert.equal(p1.task.status, 'in_progress');
  assert.equal(p1.task.percent, 30);
  assert.equal(p1.task.latest_progress.id, p1.id);

  // refusals change nothing
  let before = await getTask(id);
  expectError(await c.memberB.post(`${T}/${id}/progress`, { percent: 90, status: 'in_progress' }), 403, 'forbidden');
  expectError(await c.auditor.post(`${T}/${id}/progress`, { percent: 90, status: 'in_progress' }), 403, 'forbidden');
  expectError(await c.approver.post(`${T}/${id}/progress`, { percent: 90, status: 'in_progress' }), 403, 'forbidden');
  expectError(await c.memberA.post(`${T}/${id}/progress`, { percent: 150, status: 'in_progress' }), 422, 'validation_failed', 'percent');
  expectError(await c.memberA.post(`${T}/${id}/progress`, { percent: 50, status: 'finished' }), 422, 'validation_failed', 'status');
  expectError(await c.memberA.post(`${T}/${id}/progress`, { percent: 50 }), 422, 'validation_failed', 'status');
  expectError(await c.memberA.post(`${T}/${id}/progress`, { percent: 80, status: 'done' }), 422, 'validation_failed', 'percent');
  expectError(await c.memberA.post(`${T}/${id}/progress`, { percent: 10, status: 'not_started' }), 422, 'validation_failed', 'percent');
  expectError(await c.memberA.post(`${T}/999999999/progress`, { percent: 10, status: 'in_progress' }), 404, 'not_found');
  await assertUnchanged(before, 'refused progress');

  // the department's other member and the planner may report; done without a percent is 100
  expectStatus(await c.memberA2.post(`${T}/${id}/progress`, { percent: 60, status: 'delayed', note: '人手不足' }), 201);
  const done = expectStatus(await c.planner.post(`${T}/${id}/progress`, { status: 'done', note: '已上线' }), 201);
  assert.equal(done.percent, 100);
  assert.equal(done.task.status, 'done');
  assert.equal(done.task.percent, 100);
  assert.equal(done.task.actual_end, today);
  assert.equal(done.task.outcome, 'done_on_time');
  assert.equal(done.task.overdue, false);

  before = await getTask(id);
  expectError(await c.memberA.post(`${T}/${id}/progress`, { status: 'done' }), 409, 'invalid_state');
  // a done item cannot be edited (reopen it first)
  expectError(await c.memberA.patch(`${T}/${id}`, { title: '改名' }), 409, 'invalid_state');
  await assertUnchanged(before, 'done twice / PATCH on a done item');

  const reopened = expectStatus(await c.memberA.post(`${T}/${id}/progress`, { percent: 90, status: 'in_progress', note: '返工' }), 201);
  assert.equal(reopened.task.actual_end, null);
  assert.equal(reopened.task.percent, 90);
  assert.equal(reopened.task.outcome, 'open');

  const full = await getTask(id);
  assert.deepEqual(full.progress.map((p) => [p.status, p.percent]),
    [['in_progress', 30], ['delayed', 60], ['done', 100], ['in_progress', 90]], 'the whole progress history, oldest first');
  assert.equal(full.latest_progress.status, 'in_progress');
});

test('PATCH changes title, owner, dates and deliverable within the department\'s scope; cancelling goes through progress', async () => {
  const id = items.hrItem.id;
  let res = await c.memberA.patch(`${T}/${id}`, { title: '人员培训计划（修订）', owner_user_id: u.memberA.id, deliverable: '培训记录' });
  const t = expectStatus(res, 200);
  assert.equal(t.title, '人员培训计划（修订）');
  assert.equal(t.owner_user_id, u.memberA.id);
  assert.equal(t.deliverable, '培训记录');

  const before = await getTask(id);
  expectError(await c.memberB.patch(`${T}/${id}`, { title: '越权' }), 403, 'forbidden');
  expectError(await c.auditor.patch(`${T}/${id}`, { title: '越权' }), 403, 'forbidden');
  expectError(await c.memberA.patch(`${T}/${id}`, { owner_user_id: u.memberB.id }), 422, 'validation_failed', 'owner_user_id');
  expectError(await c.memberA.patch(`${T}/${id}`, { planned_end: `${Y}-01-01`, planned_start: `${Y}-02-01` }), 422, 'validation_failed', 'planned_end');
  expectError(await c.memberA.patch(`${T}/${id}`, { department_id: deptB.id }), 422, 'validation_failed', 'department_id');
  await assertUnchanged(before, 'refused PATCH');

  const cancelled = expectStatus(await c.hrA.post(`${T}/${id}/progress`, { status: 'cancelled', note: '并入年度培训' }), 201);
  assert.equal(cancelled.task.status, 'cancelled');
  assert.equal(cancelled.task.outcome, 'cancelled');
  assert.equal(cancelled.task.overdue, false);
  expectError(await c.hrA.post(`${T}/${id}/progress`, { status: 'cancelled' }), 409, 'invalid_state');
  expectError(await c.memberA.patch(`${T}/${id}`, { title: '再改' }), 409, 'invalid_state');
});

test('quality checks the overdue item, edits the check, verifies it; a verified check is frozen; others may not check', async () => {
  const id = items.overdue.id;
  expectStatus(await c.memberA.post(`${T}/${id}/progress`, { percent: 40, status: 'in_progress', note: '采购延迟' }), 201);
  const checkBody = {
    checked_on: addDays(today, -1), finding: '进度滞后，未按计划完成', deviation_reason: '采购审批延迟',
    corrective_action: '增派人员，月底前完成', due_date: addDays(today, 20),
  };
  let before = await getTask(id);
  for (const role of ['memberA', 'planner', 'hrA', 'auditor', 'approver']) {
    expectError(await c[role].post(`${T}/${id}/checks`, checkBody), 403, 'forbidden');
  }
  expectError(await c.quality.post(`${T}/${id}/checks`, { ...checkBody, due_date: addDays(today, -5) }), 422, 'validation_failed', 'due_date');
  expectError(await c.quality.post(`${T}/${id}/checks`, { ...checkBody, checked_on: addDays(today, 2) }), 422, 'validation_failed', 'checked_on');
  expectError(await c.quality.post(`${T}/${id}/checks`, { ...checkBody, finding: '' }), 422, 'validation_failed', 'finding');
  expectError(await c.quality.post(`${T}/${id}/checks`, { ...checkBody, checked_on: '2026-02-30' }), 422, 'validation_failed', 'checked_on');
  expectError(await c.quality.post(`${T}/999999999/checks`, checkBody), 404, 'not_found');
  await assertUnchanged(before, 'refused checks');

  const check = expectStatus(await c.quality.post(`${T}/${id}/checks`, checkBody), 201);
  items.check = check;
  assert.equal(check.task_id, id);
  assert.equal(check.finding, checkBody.finding);
  assert.equal(check.verified, false);
  assert.equal(check.checker_user_id, u.quality.id);

  // edit the text before verification
  let res = await c.quality.patch(`/api/v1/checks/${check.id}`, { corrective_action: '增派两人，两周内完成' });
  assert.equal(expectStatus(res, 200).corrective_action, '增派两人，两周内完成');
  expectError(await c.memberA.patch(`/api/v1/checks/${check.id}`, { verified: true }), 403, 'forbidden');
  expectError(await c.quality.patch(`/api/v1/checks/${check.id}`, { verified: false }), 422, 'validation_failed', 'verified');
  expectError(await c.quality.patch(`/api/v1/checks/${check.id}`, { due_date: addDays(today, -30) }), 422, 'validation_failed', 'due_date');
  expectError(await c.quality.patch(`/api/v1/checks/${check.id}`, { colour: 'red' }), 422, 'validation_failed', 'colour');
  expectError(await c.quality.patch('/api/v1/checks/999999999', { verified: true }), 404, 'not_found');

  // a second, unverified check stays open
  items.check2 = expectStatus(await c.quality.post(`${T}/${id}/checks`, { checked_on: today, finding: '复查：仍在进行' }), 201);

  const verified = expectStatus(await c.quality.patch(`/api/v1/checks/${check.id}`, { verified: true }), 200);
  assert.equal(verified.verified, true);
  assert.equal(verified.verified_by, u.quality.id);
  assert.match(verified.verified_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  before = await getTask(id);
  expectError(await c.quality.patch(`/api/v1/checks/${check.id}`, { verified: true }), 409, 'invalid_state');
  expectError(await c.quality.patch(`/api/v1/checks/${check.id}`, { finding: '改写' }), 409, 'invalid_state');
  await assertUnchanged(before, 'changes to a verified check');

  const full = await getTask(id);
  assert.deepEqual(full.checks.map((k) => [k.id, k.verified]), [[check.id, true], [items.check2.id, false]]);
  assert.equal(full.open_checks, 1);
});

test('tracking: one row per work item with latest progress, checks, overdue and delay_days computed from today', async () => {
  const rows = await tracking(`year=${PY}&department_id=${deptA.id}`);
  const row = rows.find((r) => r.id === items.overdue.id);
  assert.ok(row, 'the overdue item is in last year\'s tracking table');
  for (const k of ['id', 'title', 'department_id', 'department', 'plan_item_id', 'element', 'metric_id', 'owner_user_id', 'owner',
    'planned_start', 'planned_end', 'actual_end', 'percent', 'status', 'latest_progress', 'checks', 'open_checks', 'overdue',
    'delay_days', 'outcome']) {
    assert.ok(k in row, `tracking row has ${k}`);
  }
  assert.equal(row.title, '建设监控平台');
  assert.equal(row.department, deptA.name);
  assert.equal(row.owner_user_id, u.memberA.id);
  assert.equal(row.owner, '任务测试 memberA');
  assert.equal(row.overdue, true);
  assert.equal(row.delay_days, daysBetween(today, `${PY}-03-01`), 'delay_days = today − planned_end');
  assert.equal(row.latest_progress.percent, 40);
  assert.equal(row.latest_progress.note, '采购延迟');
  assert.equal(row.checks.length, 2);
  assert.equal(row.open_checks, 1);

  // this year's: the due-soon item is not overdue; B's item is not in A's table
  const thisYear = await tracking(`year=${Y}&department_id=${deptA.id}`);
  const soon = thisYear.find((r) => r.id === items.soon.id);
  assert.ok(soon);
  assert.equal(soon.overdue, false);
  assert.equal(soon.delay_days, 0);
  assert.equal(soon.latest_progress.percent, 90);
  assert.ok(thisYear.every((r) => r.department_id === deptA.id), 'department filter');
  assert.ok(!thisYear.some((r) => r.id === items.bItem.id));
  assert.ok(thisYear.every((r) => r.year === Y), 'year filter');

  // filters: overdue, status
  const overdue = await tracking(`year=${PY}&department_id=${deptA.id}&overdue=true`);
  assert.deepEqual(overdue.map((r) => r.id), [items.overdue.id]);
  const notOverdue = await tracking(`year=${Y}&department_id=${deptA.id}&overdue=false`);
  assert.ok(notOverdue.every((r) => r.overdue === false) && notOverdue.some((r) => r.id === items.soon.id));
  const cancelled = await tracking(`year=${Y}&department_id=${deptA.id}&status=cancelled`);
  assert.deepEqual(cancelled.map((r) => r.id), [items.hrItem.id]);
  const inProgress = await tracking(`year=${Y}&department_id=${deptA.id}&status=in_progress`);
  assert.deepEqual(inProgress.map((r) => r.id), [items.soon.id]);
  const bRows = await tracking(`year=${Y}&department_id=${deptB.id}`);
  assert.deepEqual(bRows.map((r) => r.id), [items.bItem.id]);

  // the same filters on GET /tasks
  const list = expectStatus(await c.memberB.get(`${T}?year=${PY}&department_id=${deptA.id}&overdue=true`), 200);
  assert.deepEqual(list.items.map((r) => r.id), [items.overdue.id]);

  // bad queries
  expectError(await c.auditor.get('/api/v1/tracking'), 400, 'bad_request', 'year');
  expectError(await c.auditor.get(`/api/v1/tracking?year=${Y}&status=finished`), 400, 'bad_request', 'status');
  expectError(await c.auditor.get(`/api/v1/tracking?year=${Y}&overdue=yes`), 400, 'bad_request', 'overdue');
  expectError(await c.auditor.get(`${T}/999999999`), 404, 'not_found');
});

test('tracking pages by cursor without losing or repeating a row', async () => {
  const all = await tracking(`year=${Y}&department_id=${deptA.id}`);
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 20; i++) {
    const res = await c.auditor.get(`/api/v1/tracking?year=${Y}&department_id=${deptA.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    const body = expectStatus(res, 200);
    seen.push(...body.items.map((r) => r.id));
    if (!body.next_cursor) break;
    cursor = body.next_cursor;
  }
  assert.deepEqual(seen, all.map((r) => r.id));
});

test('reminders: the owner sees the overdue item and the open check; the department\'s hr sees the item due soon', async () => {
  const mine = expectStatus(await c.memberA.get('/api/v1/notifications'), 200).items;
  const overdue = mine.find((n) => n.kind === 'task_overdue' && n.entity_id === items.overdue.id);
  assert.ok(overdue, `the owner is reminded of the overdue item: ${JSON.stringify(mine)}`);
  assert.equal(overdue.entity, 'task');
  assert.equal(overdue.severity, 'danger');
  assert.equal(overdue.due_date, `${PY}-03-01`);
  for (const k of ['kind', 'title', 'message', 'entity', 'entity_id', 'severity']) assert.ok(k in overdue, `reminder has ${k}`);
  const openCheck = mine.find((n) => n.kind === 'check_open' && n.entity_id === items.check2.id);
  assert.ok(openCheck, 'the owner sees the unverified check');
  assert.equal(openCheck.entity, 'check');
  assert.ok(!mine.some((n) => n.kind === 'check_open' && n.entity_id === items.check.id), 'not the verified one');
  assert.ok(mine.some((n) => n.kind === 'task_due_soon' && n.entity_id === items.soon.id), 'the owner sees the item due soon');
  assert.ok(!mine.some((n) => n.entity === 'task' && n.entity_id === items.hrItem.id), 'not the cancelled item');
  assert.equal(mine[0].severity, 'danger', 'the most urgent first');

  const hr = expectStatus(await c.hrA.get('/api/v1/notifications'), 200).items;
  assert.ok(hr.some((n) => n.kind === 'task_due_soon' && n.entity_id === items.soon.id), 'hr of the department sees it');
  assert.ok(!hr.some((n) => n.kind === 'check_open'), 'checks go to the owner');

  const other = expectStatus(await c.memberB.get('/api/v1/notifications'), 200).items;
  assert.ok(!other.some((n) => n.entity === 'task' && [items.soon.id, items.overdue.id].includes(n.entity_id)),
    'another department\'s member is not reminded of A\'s items');
  const auditor = expectStatus(await c.auditor.get('/api/v1/notifications'), 200).items;
  assert.ok(!auditor.some((n) => n.entity === 'task'), 'the auditor owns no work item');
});
