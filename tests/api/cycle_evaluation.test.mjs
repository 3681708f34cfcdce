// The annual evaluation (年度服务能力执行效果评估报告) and the reminders (GET /api/v1/notifications):
// with five metrics (met, warning, missed, a quarterly one whose latest quarter is met, one without data) and work items
// (on time, late, open, cancelled), the draft lists exactly the missed metric and the late item as problems; quality edits
// it (refusals change nothing), finalizes it, and then PATCH/finalize answer 409 and the numbers stay frozen after a new
// missed value and a new overdue item. Reminders: the owner's due and overdue items, an approval waiting for the approver,
// a rejected plan for its planner, and — on servers started with NENGLI_TODAY (a testing aid) — next year's plan in December.
// Works in a past year of its own, 2000 (the metrics tests use 2001..2020, the yearly scenario 2021..2025, the plan tests
// 2031..2099).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import {
  admin, login, createUser, createDepartment, expectStatus, expectError, env, freePort, sleep, localDate } from './lib.mjs';

const E = '/api/v1/evaluations';
let adm;
let deptA, deptB, deptQ;
const u = {};
const c = {};
let today, EY;
const m = {};        // metric code → metric
const t = {};        // name → work item
let draft;           // the draft before editing
let frozen;          // the finalized document
let plan;            // a plan of the planner's, for the approval reminders
const servers = [];

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

/** A second `nengli serve` on the test database with extra environment variables; {url, stop}. */
async function serverWith(extraEnv) {
  const bin = env('NENGLI_BIN');
  const db = env('NENGLI_DB');
  const port = await freePort();
  let out = 'ignore';
  if (process.env.NENGLI_ARTIFACTS) out = openSync(path.join(process.env.NENGLI_ARTIFACTS, 'evaluation-today-server.log'), 'a');
  const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', out, out], env: { ...process.env, ...extraEnv } });
  if (typeof out === 'number') closeSync(out);
  const reap = () => proc.kill('SIGKILL');
  process.on('exit', reap);
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => { process.off('exit', reap); resolve({ code, signal }); }));
  let dead = false;
  exited.then(() => { dead = true; });
  const url = `http://127.0.0.1:${port}`;
  const srv = { url, stop: async () => { if (!dead) proc.kill('SIGTERM'); return exited; } };
  servers.push(srv);
  const deadline = Date.now() + (process.env.NENGLI_TEST_SLOW === '1' ? 120000 : 20000);   // SLOW: under valgrind
  while (!dead && Date.now() < deadline) {
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) { await r.text(); return srv; }
    } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new Error(`server with ${JSON.stringify(extraEnv)} did not start`);
}

/** The reminders of a logged-in client, asked of another server (sessions live in the shared database). */
async function remindersAt(srv, client) {
  const res = await fetch(`${srv.url}/api/v1/notifications`, { headers: { Cookie: client.cookie } });
  const text = await res.text();
  assert.equal(res.status, 200, `GET ${srv.url}/api/v1/notifications: ${res.status} ${text}`);
  return JSON.parse(text).items;
}

async function evaluation() {
  return expectStatus(await c.auditor.get(`${E}/${EY}`), 200);
}

before(async () => {
  adm = await admin();
  deptA = await createDepartment(adm);
  deptB = await createDepartment(adm);
  deptQ = await createDepartment(adm);
  const specs = {
    memberA: { roles: ['member'], department_id: deptA.id },
    memberB: { roles: ['member'], department_id: deptB.id },
    quality: { roles: ['quality'], department_id: deptQ.id },
    planner: { roles: ['planner'], department_id: null },
    approver: { roles: ['approver'], department_id: null },
    auditor: { roles: ['auditor'], department_id: null },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const made = await createUser(adm, { ...spec, display_name: `评估测试 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
  const settings = expectStatus(await adm.get('/api/v1/settings'), 200);
  today = todayIn(settings.timezone || 'Asia/Shanghai');
  // 2000: metrics start there, and no other file uses it (the metrics tests use 2001..2020, the yearly scenario 2021..2025,
  // the plan tests 2031..2099); it must be past (a year is finalized once it has begun) and untouched
  EY = 2000;
  const ev = expectStatus(await adm.get(`${E}/${EY}`), 200);
  assert.ok(ev.status === 'draft' && ev.metrics.summary.total === 0 && ev.tasks.summary.total === 0, `${EY} is untouched`);
});

after(async () => {
  for (const s of servers) await s.stop();
});

test('the year\'s metrics and work items are recorded through the API', async () => {
  const def = (code, fields) => ({ year: EY, code, name: `指标 ${code}`, definition: '定义', unit: '%', direction: 'higher_better',
    frequency: 'year', owner_department_id: deptA.id, ...fields });
  const specs = {
    AVAIL: { element: 'resources', target: 99, warning: 95 },
    FCR: { element: 'process', target: 90, warning: 85 },
    RESP: { element: 'process', direction: 'lower_better', target: 30, warning: 40, frequency: 'quarter', unit: 'min' },
    TRAIN: { element: 'people', target: 40, warning: 32, unit: 'h' },
    SAT: { element: 'technology', target: 4.5, warning: 4.0, unit: '' },
  };
  for (const [code, fields] of Object.entries(specs)) {
    m[code] = expectStatus(await c.quality.post('/api/v1/metrics', def(code, fields)), 201);
  }
  const put = async (code, period, body) => expectStatus(await c.quality.put(`/api/v1/metrics/${m[code].id}/values/${period}`, body), 200);
  await put('AVAIL', `${EY}`, { actual: 99.5 });
  await put('FCR', `${EY}`, { actual: 70, deviation_analysis: '知识库不完善', corrective_action: '补充知识库条目' });
  await put('RESP', `${EY}-Q1`, { actual: 50, deviation_analysis: '人手不足', corrective_action: '增加值班' });
  await put('RESP', `${EY}-Q2`, { actual: 25 });
  await put('SAT', `${EY}`, { actual: 4.2 });

  const item = (fields) => ({ year: EY, department_id: deptA.id, owner_user_id: u.memberA.id, deliverable: '交付物', ...fields });
  const post = async (client, body) => expectStatus(await client.post('/api/v1/tasks', body), 201);
  t.late = await post(c.memberA, item({ title: '迟到的工作', planned_start: `${EY}-03-01`, planned_end: `${EY}-06-30` }));
  t.onTime = await post(c.memberA, item({ title: '按期的工作', planned_start: `${EY}-01-01`, planned_end: addDays(today, 30) }));
  t.open = await post(c.memberA, item({ title: '进行中的工作', planned_start: `${EY}-01-01`, planned_end: addDays(today, 3) }));
  t.cancelled = await post(c.memberA, item({ title: '取消的工作', planned_start: `${EY}-01-01`, planned_end: addDays(today, 40) }));
  t.other = await post(c.memberB, item({ department_id: deptB.id, owner_user_id: u.memberB.id, title: 'B 部门的工作',
    planned_start: `${EY}-02-01`, planned_end: addDays(today, 60) }));
  const progress = async (task, body) => expectStatus(await c.memberA.post(`/api/v1/tasks/${task.id}/progress`, body), 201);
  const late = await progress(t.late, { status: 'done', note: '完成' });
  assert.equal(late.task.outcome, 'done_late');
  await progress(t.onTime, { status: 'done' });
  await progress(t.open, { status: 'in_progress', percent: 50 });
  await progress(t.cancelled, { status: 'cancelled' });
  t.check = expectStatus(await c.quality.post(`/api/v1/tasks/${t.late.id}/checks`, {
    checked_on: today, finding: '延期完成', deviation_reason: '采购延迟', corrective_action: '提前采购', due_date: addDays(today, 10),
  }), 201);
});

test('the draft: metric achievement by element, work items by department, open corrective actions, exactly two problems', async () => {
  const ev = await evaluation();
  draft = ev;
  assert.equal(ev.year, EY);
  assert.equal(ev.status, 'draft');
  for (const k of ['purpose', 'method', 'plan_completion', 'metrics', 'analysis_by_element', 'tasks', 'open_corrective_actions',
    'problems', 'generated_problems', 'suggestions', 'conclusion', 'approval', 'sections']) {
    assert.ok(k in ev, `the report has ${k}`);
  }
  assert.deepEqual(ev.sections.map((s) => s.key), ['purpose', 'method', 'plan_completion', 'metrics', 'analysis_by_element',
    'problems', 'conclusion', 'suggestions', 'approval']);

  // metrics: the year's value, or the latest quarter's (RESP: Q1 missed, Q2 met → met)
  assert.deepEqual(ev.metrics.summary, { met: 2, warning: 1, missed: 1, no_data: 1, total: 5 });
  assert.deepEqual(ev.metrics.by_element.process, { met: 1, warning: 0, missed: 1, no_data: 0, total: 2 });
  assert.deepEqual(ev.metrics.by_element.people, { met: 0, warning: 0, missed: 0, no_data: 1, total: 1 });
  assert.deepEqual(ev.metrics.by_element.resources, { met: 1, warning: 0, missed: 0, no_data: 0, total: 1 });
  assert.deepEqual(ev.metrics.by_element.technology, { met: 0, warning: 1, missed: 0, no_data: 0, total: 1 });
  const row = (code) => ev.metrics.rows.find((r) => r.code === code);
  assert.equal(ev.metrics.rows.length, 5);
  assert.equal(row('RESP').status, 'met');
  assert.equal(row('RESP').period, `${EY}-Q2`);
  assert.deepEqual(row('RESP').values.map((v) => [v.period, v.status]), [[`${EY}-Q1`, 'missed'], [`${EY}-Q2`, 'met']]);
  assert.equal(row('FCR').status, 'missed');
  assert.equal(row('FCR').actual, 70);
  assert.equal(row('TRAIN').status, 'no_data');
  assert.equal(row('SAT').status, 'warning');

  // work items by department
  const byDept = Object.fromEntries(ev.tasks.by_department.map((d) => [d.department_id, d]));
  const a = byDept[deptA.id];
  assert.ok(a, 'department A has a row');
  for (const [k, v] of Object.entries({ total: 4, done_on_time: 1, done_late: 1, open: 1, overdue: 0, cancelled: 1 })) {
    assert.equal(a[k], v, `department A: ${k}`);
  }
  assert.deepEqual(a.late.map((r) => r.task_id), [t.late.id]);
  assert.equal(a.late[0].delay_days, daysBetween(today, `${EY}-06-30`));
  assert.deepEqual(a.open_items.map((r) => r.task_id), [t.open.id]);
  assert.equal(byDept[deptB.id].open, 1);
  assert.deepEqual(ev.tasks.summary, { total: 5, done_on_time: 1, done_late: 1, open: 2, overdue: 0, cancelled: 1 });
  assert.equal(ev.plan_completion.done, 2);
  assert.equal(ev.plan_completion.completion_rate, 0.5);

  // open corrective actions: the unverified check and the missed values
  const oca = ev.open_corrective_actions;
  assert.ok(oca.some((x) => x.kind === 'check' && x.check_id === t.check.id && x.corrective_action === '提前采购'));
  assert.ok(oca.some((x) => x.kind === 'metric_value' && x.code === 'FCR' && x.period === `${EY}` && x.corrective_action === '补充知识库条目'));
  assert.ok(oca.some((x) => x.kind === 'metric_value' && x.code === 'RESP' && x.period === `${EY}-Q1`));
  assert.equal(oca.length, 3);

  // problems: exactly the missed metric and the late item, each with its source
  assert.deepEqual(ev.problems.map((p) => p.source), [
    { kind: 'metric', metric_id: m.FCR.id, code: 'FCR', period: `${EY}` },
    { kind: 'task', task_id: t.late.id },
  ]);
  assert.deepEqual(ev.generated_problems, ev.problems);
  assert.equal(ev.problems[0].element, 'process');
  assert.match(ev.problems[0].text, /FCR/);
  assert.match(ev.problems[1].text, /迟到的工作/);
  assert.equal(ev.problems_edited, false);
  assert.equal(ev.suggestions.length, 2);
  for (const s of ev.suggestions) {
    assert.ok(['high', 'medium', 'low'].includes(s.priority));
    assert.match(s.due_date, /^\d{4}-\d\d-\d\d$/);
    assert.equal(s.owner_department_id, deptA.id);
  }
  assert.match(ev.conclusion, /未达标 1 项/);
  const people = ev.analysis_by_element.find((x) => x.element === 'people');
  assert.equal(people.metrics.no_data, 1);
});

test('quality edits problems, suggestions and conclusion; bad edits and other roles are refused and change nothing', async () => {
  const url = `${E}/${EY}`;
  for (const role of ['memberA', 'planner', 'approver', 'auditor']) {
    expectError(await c[role].patch(url, { conclusion: '越权' }), 403, 'forbidden');
  }
  expectError(await c.quality.patch(url, { problems: [{ text: 'x', element: 'money' }] }), 422, 'validation_failed', 'problems[0].element');
  expectError(await c.quality.patch(url, { problems: [{ text: '' }] }), 422, 'validation_failed', 'problems[0].text');
  expectError(await c.quality.patch(url, { problems: [{ text: 'ok' }, 'text'] }), 422, 'validation_failed', 'problems[1]');
  expectError(await c.quality.patch(url, { problems: 'none' }), 422, 'validation_failed', 'problems');
  expectError(await c.quality.patch(url, { problems: [{ text: 'x', source: { kind: 'metric', metric_id: 'a' } }] }), 422,
    'validation_failed', 'problems[0].source.metric_id');
  expectError(await c.quality.patch(url, { suggestions: [{ text: 'x', priority: 'urgent' }] }), 422, 'validation_failed', 'suggestions[0].priority');
  expectError(await c.quality.patch(url, { suggestions: [{ text: 'x', due_date: `${EY + 1}-02-30` }] }), 422, 'validation_failed',
    'suggestions[0].due_date');
  expectError(await c.quality.patch(url, { suggestions: [{ text: 'x', owner_user_id: 999999999 }] }), 422, 'validation_failed',
    'suggestions[0].owner_user_id');
  expectError(await c.quality.patch(url, { conclusion: 'ok', status: 'finalized' }), 422, 'validation_failed', 'status');
  let ev = await evaluation();
  assert.equal(ev.problems_edited, false);
  assert.equal(ev.suggestions_edited, false);
  assert.equal(ev.conclusion, draft.conclusion);

  // an edited empty list replaces the generated one
  ev = expectStatus(await c.quality.patch(url, { problems: [] }), 200);
  assert.deepEqual(ev.problems, []);
  assert.equal(ev.problems_edited, true);
  assert.equal(ev.generated_problems.length, 2);

  const problems = [draft.problems[0], { text: '服务台知识库利用率低', element: 'resources' }];
  const suggestions = [{ text: '完善知识库并开展培训', owner_department_id: deptA.id, owner_user_id: u.memberA.id,
    due_date: `${EY + 1}-06-30`, priority: 'high' }];
  ev = expectStatus(await c.quality.patch(url, { problems, suggestions, conclusion: '总体有效，需持续改进。', purpose: '评估目的' }), 200);
  assert.equal(ev.problems.length, 2);
  assert.deepEqual(ev.problems[0], draft.problems[0]);
  assert.deepEqual(ev.problems[1], { text: '服务台知识库利用率低', text_en: '', element: 'resources', source: null });
  assert.deepEqual(ev.generated_problems, draft.generated_problems, 'the generated problems stay available');
  assert.deepEqual(ev.suggestions, [{ ...suggestions[0], text_en: '', source: null }]);
  assert.equal(ev.conclusion, '总体有效，需持续改进。');
  assert.equal(ev.purpose, '评估目的');
  assert.equal(ev.method, draft.method, 'method unchanged');
  assert.equal(ev.status, 'draft');
  assert.equal(ev.approval.edited_by, u.quality.id);
  assert.deepEqual(await evaluation().then((x) => x.problems), ev.problems, 'GET shows the edit');
});

test('finalize freezes the report: later PATCH/finalize are 409 and the numbers do not move', async () => {
  const url = `${E}/${EY}`;
  for (const role of ['memberA', 'planner', 'auditor']) {
    expectError(await c[role].post(`${url}/finalize`), 403, 'forbidden');
  }
  expectError(await c.quality.post(`${E}/${Number(today.slice(0, 4)) + 1}/finalize`), 422, 'validation_failed', 'year');
  frozen = expectStatus(await c.quality.post(`${url}/finalize`), 200);
  assert.equal(frozen.status, 'finalized');
  assert.equal(frozen.approval.status, 'finalized');
  assert.equal(frozen.approval.finalized_by, u.quality.id);
  assert.match(frozen.approval.finalized_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(frozen.problems.length, 2);
  assert.equal(frozen.conclusion, '总体有效，需持续改进。');
  assert.deepEqual(await evaluation(), frozen, 'GET returns the snapshot');

  expectError(await c.quality.patch(url, { conclusion: '再改' }), 409, 'invalid_state');
  expectError(await c.quality.patch(url, { problems: [] }), 409, 'invalid_state');
  expectError(await c.quality.post(`${url}/finalize`), 409, 'invalid_state');

  // new data of the year after finalization: another missed value, a new overdue item
  expectStatus(await c.quality.put(`/api/v1/metrics/${m.TRAIN.id}/values/${EY}`, { actual: 10, deviation_analysis: '课程取消',
    corrective_action: '补课' }), 200);
  t.overdue = expectStatus(await c.memberA.post('/api/v1/tasks', { year: EY, department_id: deptA.id, owner_user_id: u.memberA.id,
    title: '逾期的工作', planned_start: `${EY}-04-01`, planned_end: `${EY}-05-01` }), 201);
  const again = await evaluation();
  assert.deepEqual(again, frozen, 'the finalized report does not change');
  assert.deepEqual(again.metrics.summary, { met: 2, warning: 1, missed: 1, no_data: 1, total: 5 });
});

test('reminders: the owner sees the item due soon and the overdue one; another department\'s member does not', async () => {
  const mine = expectStatus(await c.memberA.get('/api/v1/notifications'), 200).items;
  const soon = mine.find((n) => n.entity === 'task' && n.entity_id === t.open.id);
  assert.ok(soon, `due-soon reminder: ${JSON.stringify(mine)}`);
  assert.equal(soon.kind, 'task_due_soon');
  assert.equal(soon.severity, 'warning');
  assert.equal(soon.due_date, addDays(today, 3));
  const overdue = mine.find((n) => n.entity === 'task' && n.entity_id === t.overdue.id);
  assert.ok(overdue, 'overdue reminder');
  assert.equal(overdue.kind, 'task_overdue');
  assert.equal(overdue.severity, 'danger');
  assert.match(overdue.message, new RegExp(`${daysBetween(today, `${EY}-05-01`)} 天`));
  assert.ok(!mine.some((n) => n.entity === 'task' && [t.late.id, t.onTime.id, t.cancelled.id].includes(n.entity_id)),
    'no reminder for done or cancelled items');
  const other = expectStatus(await c.memberB.get('/api/v1/notifications'), 200).items;
  assert.ok(!other.some((n) => n.entity === 'task' && n.entity_id === t.overdue.id));
});

test('reminders: an approval waits for the approver (not the submitter); a rejected plan reminds its planner', async () => {
  for (let attempt = 0; attempt < 40 && !plan; attempt++) {
    const y = 2031 + Math.floor(Math.random() * 69);
    const res = await c.planner.post('/api/v1/plans', { year: y, title: `${y}年度服务能力管理计划` });
    if (res.status === 409) continue;
    plan = expectStatus(res, 201);
  }
  assert.ok(plan, 'a plan');
  const Y = plan.year;
  const items = [['people', 'people.training'], ['process', '事件'], ['technology', 'Problem detection'], ['resources', 'resources.spare_parts']];
  for (const [element, area] of items) {
    expectStatus(await c.planner.post(`/api/v1/plans/${plan.id}/items`, { element, area, objective: `${element} 目标`, due_date: `${Y}-06-30` }), 201);
  }
  expectStatus(await c.planner.post(`/api/v1/plans/${plan.id}/meetings`, { held_on: today, attendees: '全体', minutes: '通过', decision: 'pass' }), 201);
  expectStatus(await c.planner.post(`/api/v1/plans/${plan.id}/submit`), 200);

  let mine = expectStatus(await c.approver.get('/api/v1/notifications'), 200).items;
  const waiting = mine.find((n) => n.kind === 'approval_pending' && n.entity === 'plan' && n.entity_id === plan.id);
  assert.ok(waiting, `the approver sees the approval: ${JSON.stringify(mine)}`);
  assert.equal(waiting.severity, 'warning');
  let planner = expectStatus(await c.planner.get('/api/v1/notifications'), 200).items;
  assert.ok(!planner.some((n) => n.kind === 'approval_pending' && n.entity_id === plan.id), 'not the planner (no approver role)');
  const member = expectStatus(await c.memberA.get('/api/v1/notifications'), 200).items;
  assert.ok(!member.some((n) => n.kind === 'approval_pending' && n.entity_id === plan.id));

  expectStatus(await c.approver.post(`/api/v1/plans/${plan.id}/reject`, { comment: '资源计划不足' }), 200);
  mine = expectStatus(await c.approver.get('/api/v1/notifications'), 200).items;
  assert.ok(!mine.some((n) => n.kind === 'approval_pending' && n.entity_id === plan.id), 'decided: no longer waiting');
  planner = expectStatus(await c.planner.get('/api/v1/notifications'), 200).items;
  const rejected = planner.find((n) => n.kind === 'plan_rejected' && n.entity_id === plan.id);
  assert.ok(rejected, `the planner sees the rejection: ${JSON.stringify(planner)}`);
  assert.equal(rejected.severity, 'danger');
  assert.match(rejected.message, /资源计划不足/);
});

test('reminders from 1 December: quality and planners are told next year\'s plan is due while none exists (NENGLI_TODAY)', async () => {
  // no plan can exist for 2151 (plans are for 2000..2100)
  const december = await serverWith({ NENGLI_TODAY: '2150-12-02' });
  for (const role of ['quality', 'planner']) {
    const items = await remindersAt(december, c[role]);
    const due = items.find((n) => n.kind === 'plan_due');
    assert.ok(due, `${role} is reminded: ${JSON.stringify(items)}`);
    assert.equal(due.entity, 'plan');
    assert.equal(due.entity_id, null);
    assert.equal(due.due_date, '2150-12-31');
    assert.match(due.title, /2151/);
  }
  for (const role of ['memberA', 'approver', 'auditor']) {
    assert.ok(!(await remindersAt(december, c[role])).some((n) => n.kind === 'plan_due'), `${role} is not`);
  }
  const november = await serverWith({ NENGLI_TODAY: '2150-11-30' });
  assert.ok(!(await remindersAt(november, c.quality)).some((n) => n.kind === 'plan_due'), 'not before December');
  // when next year's plan exists there is nothing to remind of
  assert.ok(plan, 'the plan of the previous test');
  const withPlan = await serverWith({ NENGLI_TODAY: `${plan.year - 1}-12-15` });
  assert.ok(!(await remindersAt(withPlan, c.planner)).some((n) => n.kind === 'plan_due'), `the ${plan.year} plan exists`);
});

test('evaluation paths: a year that is not four digits or outside 1900..9999 is 404; every role may read', async () => {
  expectError(await c.auditor.get(`${E}/20x1`), 404, 'not_found');
  expectError(await c.auditor.get(`${E}/1800`), 404, 'not_found');
  expectError(await c.auditor.get(`${E}/02027`), 404, 'not_found');
  for (const role of ['memberA', 'planner', 'approver', 'quality']) {
    expectStatus(await c[role].get(`${E}/${EY}`), 200);
  }
});
