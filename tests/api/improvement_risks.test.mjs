// The risk register (风险): quality and planners register risks with likelihood and impact 1–5; score = likelihood ×
// impact and the level (low ≤ 4, medium ≤ 9, high ≤ 15, critical > 15) are derived on every read; the 5 × 5 matrix
// counts them for a heat map; a risk whose review date has passed is reminded (GET /notifications) to its owner and to
// quality until it is closed or its review date moves. Refusals (bad values, wrong roles) change nothing.
// Every check filters on owners created here, so other test files writing risks at the same time do not matter.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, uniq, localDate } from './lib.mjs';

const R = '/api/v1/risks';
let adm, dept;
const u = {};
const c = {};
let today, Y;

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

async function get(id) {
  return expectStatus(await c.auditor.get(`${R}/${id}`), 200);
}

async function listMine(owner, q = '') {
  const res = await c.auditor.get(`${R}?owner_user_id=${owner.id}&limit=500${q ? '&' + q : ''}`);
  return expectStatus(res, 200).items;
}

async function reminders(client) {
  const res = await client.get('/api/v1/notifications');
  return expectStatus(res, 200).items.filter((n) => n.kind === 'risk_review_overdue');
}

function body(fields = {}) {
  return {
    title: `关键岗位无 B 角 ${uniq('r')}`, element: 'people', likelihood: 3, impact: 4, mitigation: '培养 B 角，编写操作手册',
    owner_user_id: u.owner.id, review_on: addDays(today, 30), ...fields,
  };
}

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  const specs = {
    owner: { roles: ['member'], department_id: dept.id },
    owner2: { roles: ['member'], department_id: dept.id },
    other: { roles: ['member'], department_id: dept.id },
    quality: { roles: ['quality'], department_id: dept.id },
    planner: { roles: ['planner'], department_id: null },
    hr: { roles: ['hr'], department_id: dept.id },
    auditor: { roles: ['auditor'], department_id: null },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const made = await createUser(adm, { ...spec, display_name: `风险测试 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
  const settings = expectStatus(await adm.get('/api/v1/settings'), 200);
  today = todayIn(settings.timezone || 'Asia/Shanghai');
  Y = Number(today.slice(0, 4));
});

test('quality registers a risk: score = likelihood × impact, its level, the owner named, status open by default', async () => {
  const res = await c.quality.post(R, body());
  const r = expectStatus(res, 201);
  assert.equal(r.likelihood, 3);
  assert.equal(r.impact, 4);
  assert.equal(r.score, 12);
  assert.equal(r.level, 'high');
  assert.equal(r.status, 'open');
  assert.equal(r.owner_user_id, u.owner.id);
  assert.equal(r.owner, '风险测试 owner');
  assert.equal(r.review_overdue, false);
  assert.equal(r.review_overdue_days, 0);
  assert.equal(r.plan_item_id, null);
  assert.deepEqual(await get(r.id), r);

  // the level boundaries: low ≤ 4 < medium ≤ 9 < high ≤ 15 < critical
  const cases = [[1, 1, 1, 'low'], [2, 2, 4, 'low'], [1, 5, 5, 'medium'], [3, 3, 9, 'medium'], [2, 5, 10, 'high'],
    [5, 3, 15, 'high'], [4, 4, 16, 'critical'], [5, 5, 25, 'critical']];
  for (const [likelihood, impact, score, level] of cases) {
    const x = expectStatus(await c.planner.post(R, body({ likelihood, impact, owner_user_id: u.owner2.id })), 201);
    assert.equal(x.score, score, `${likelihood} × ${impact}`);
    assert.equal(x.level, level, `level of ${score}`);
  }

  // a PATCH recomputes both (they are derived on every read, never stored)
  const p = expectStatus(await c.quality.patch(`${R}/${r.id}`, { likelihood: 5, impact: 5 }), 200);
  assert.equal(p.score, 25);
  assert.equal(p.level, 'critical');
  const q = expectStatus(await c.quality.patch(`${R}/${r.id}`, { impact: 1 }), 200);
  assert.equal(q.score, 5);
  assert.equal(q.level, 'medium');
  assert.equal(q.likelihood, 5, 'an absent field keeps its value');
  assert.equal(q.mitigation, '培养 B 角，编写操作手册');
});

test('a likelihood or impact outside 1..5 is 422 naming the field; other bad values too; nothing is written', async () => {
  const title = `不应写入 ${uniq('x')}`;
  const cases = [
    [{ likelihood: 6 }, 'likelihood'],
    [{ likelihood: 0 }, 'likelihood'],
    [{ likelihood: 2.5 }, 'likelihood'],
    [{ likelihood: '3' }, 'likelihood'],
    [{ impact: 6 }, 'impact'],
    [{ impact: -1 }, 'impact'],
    [{ impact: undefined }, 'impact'],
    [{ element: 'finance' }, 'element'],
    [{ status: 'done' }, 'status'],
    [{ title: ' ' }, 'title'],
    [{ review_on: `${Y}-02-30` }, 'review_on'],
    [{ owner_user_id: 999999999 }, 'owner_user_id'],
    [{ plan_item_id: 999999999 }, 'plan_item_id'],
    [{ score: 12 }, 'score'],
  ];
  for (const [change, field] of cases) {
    const b = { ...body({ title }), ...change };
    for (const k of Object.keys(b)) if (b[k] === undefined) delete b[k];
    const res = await c.quality.post(R, b);
    expectError(res, 422, 'validation_failed', field);
  }
  assert.ok(!(await listMine(u.owner)).some((r) => r.title === title), 'no refused risk was written');

  const r = expectStatus(await c.quality.post(R, body({ owner_user_id: u.owner2.id })), 201);
  for (const [change, field] of [[{ likelihood: 6 }, 'likelihood'], [{ impact: 0 }, 'impact'], [{ status: 'gone' }, 'status'],
    [{ owner_user_id: 999999999 }, 'owner_user_id'], [{ title: '' }, 'title']]) {
    expectError(await c.quality.patch(`${R}/${r.id}`, change), 422, 'validation_failed', field);
  }
  assert.deepEqual(await get(r.id), r, 'refused PATCHes changed nothing');
  expectError(await c.quality.patch(`${R}/999999999`, { impact: 2 }), 404, 'not_found');
});

test('roles: only quality and planners write risks (403 otherwise); every role reads', async () => {
  const title = `越权风险 ${uniq('x')}`;
  for (const who of ['owner', 'hr', 'auditor']) {
    expectError(await c[who].post(R, body({ title })), 403, 'forbidden');
  }
  assert.ok(!(await listMine(u.owner)).some((r) => r.title === title), 'nothing written');
  const r = expectStatus(await c.planner.post(R, body({ owner_user_id: u.owner2.id })), 201);
  for (const who of ['owner', 'hr', 'auditor']) {
    expectError(await c[who].patch(`${R}/${r.id}`, { status: 'closed' }), 403, 'forbidden');
  }
  assert.deepEqual(await get(r.id), r, 'unchanged');
  for (const who of Object.keys(c)) {
    expectStatus(await c[who].get(`${R}/${r.id}`), 200);
    expectStatus(await c[who].get(`${R}/matrix`), 200);
  }
});

test('the 5 × 5 matrix counts the risks that are not closed (or those of a given status) by likelihood and impact', async () => {
  const m = await createUser(adm, { roles: ['member'], department_id: dept.id, display_name: '矩阵负责人' });
  const owner = m.user;
  const specs = [[5, 5, 'open'], [5, 5, 'mitigating'], [4, 2, 'open'], [1, 3, 'accepted'], [2, 2, 'closed'], [3, 5, 'open']];
  for (const [likelihood, impact, status] of specs) {
    expectStatus(await c.quality.post(R, body({ likelihood, impact, status, owner_user_id: owner.id, element: 'resources' })), 201);
  }
  const res = await c.auditor.get(`${R}/matrix?owner_user_id=${owner.id}`);
  const mx = expectStatus(res, 200);
  assert.equal(mx.counts.length, 5);
  for (const row of mx.counts) assert.equal(row.length, 5);
  const expected = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
  for (const [l, i, s] of specs) if (s !== 'closed') expected[l - 1][i - 1]++;
  assert.deepEqual(mx.counts, expected, 'counts[likelihood-1][impact-1], closed left out');
  assert.equal(mx.total, 5);
  assert.deepEqual(mx.by_level, { low: 1, medium: 1, high: 1, critical: 2 });
  assert.equal(mx.cells.length, 25);
  assert.deepEqual(mx.cells[0], { likelihood: 5, impact: 1, score: 5, level: 'medium', count: 0 });
  assert.deepEqual(mx.cells.find((x) => x.likelihood === 5 && x.impact === 5), { likelihood: 5, impact: 5, score: 25, level: 'critical', count: 2 });
  assert.equal(mx.cells.reduce((s, x) => s + x.count, 0), 5);

  const closed = expectStatus(await c.auditor.get(`${R}/matrix?owner_user_id=${owner.id}&status=closed`), 200);
  assert.equal(closed.total, 1);
  assert.equal(closed.counts[1][1], 1);
  const other = expectStatus(await c.auditor.get(`${R}/matrix?owner_user_id=${owner.id}&element=people`), 200);
  assert.equal(other.total, 0);
  const crit = expectStatus(await c.auditor.get(`${R}/matrix?owner_user_id=${owner.id}&level=critical`), 200);
  assert.equal(crit.total, 2);
  expectError(await c.auditor.get(`${R}/matrix?level=extreme`), 400, 'bad_request', 'level');
});

test('an overdue review is reminded to the owner and to quality, and disappears when the risk is closed or reviewed', async () => {
  const m = await createUser(adm, { roles: ['member'], department_id: dept.id, display_name: '复核负责人' });
  const owner = await login(m.username, m.password);
  const past = addDays(today, -10);
  const r = expectStatus(await c.quality.post(R, body({ title: `备件库容量不足 ${uniq('o')}`, element: 'resources', likelihood: 4,
    impact: 4, owner_user_id: m.user.id, review_on: past })), 201);
  assert.equal(r.review_overdue, true);
  assert.equal(r.review_overdue_days, daysBetween(today, past));
  const low = expectStatus(await c.quality.post(R, body({ likelihood: 1, impact: 2, owner_user_id: m.user.id, review_on: '2020-01-01',
    status: 'accepted' })), 201);
  const notYet = expectStatus(await c.quality.post(R, body({ owner_user_id: m.user.id, review_on: today })), 201);
  assert.equal(notYet.review_overdue, false, 'due today is not overdue yet');
  const noDate = expectStatus(await c.quality.post(R, body({ owner_user_id: m.user.id, review_on: null })), 201);
  assert.equal(noDate.review_on, null);

  let mine = await reminders(owner);
  const forR = mine.find((n) => n.entity_id === r.id);
  assert.ok(forR, 'the owner is reminded of the overdue risk');
  assert.equal(forR.entity, 'risk');
  assert.equal(forR.due_date, past);
  assert.equal(forR.severity, 'danger', 'a critical risk');
  assert.match(forR.title, /风险复核逾期/);
  assert.match(forR.message, new RegExp(`已逾期 ${daysBetween(today, past)} 天`));
  assert.match(forR.title_en, /Risk review overdue/);
  const forLow = mine.find((n) => n.entity_id === low.id);
  assert.ok(forLow, 'an accepted risk is still reviewed');
  assert.equal(forLow.severity, 'warning');
  assert.ok(!mine.some((n) => n.entity_id === notYet.id || n.entity_id === noDate.id), 'no reminder before the date passes');
  for (const k of ['kind', 'title', 'title_en', 'message', 'message_en', 'entity', 'entity_id', 'due_date', 'severity']) {
    assert.ok(k in forR, `reminder has ${k}`);
  }

  assert.ok((await reminders(c.quality)).some((n) => n.entity_id === r.id), 'quality is reminded too');
  assert.ok(!(await reminders(c.other)).some((n) => n.entity_id === r.id), 'another member is not');
  assert.ok(!(await reminders(c.planner)).some((n) => n.entity_id === r.id), 'a planner who does not own it is not');

  // the list filter agrees
  const overdue = (await listMine(m.user, 'review_overdue=true')).map((x) => x.id).sort();
  assert.deepEqual(overdue, [r.id, low.id].sort());
  const notOverdue = (await listMine(m.user, 'review_overdue=false')).map((x) => x.id).sort();
  assert.deepEqual(notOverdue, [notYet.id, noDate.id].sort());

  // closing the risk ends the reminder; so does moving the review date
  const closed = expectStatus(await c.quality.patch(`${R}/${r.id}`, { status: 'closed' }), 200);
  assert.equal(closed.review_overdue, false);
  assert.equal(closed.review_overdue_days, 0);
  mine = await reminders(owner);
  assert.ok(!mine.some((n) => n.entity_id === r.id), 'closed: no reminder');
  assert.ok(!(await reminders(c.quality)).some((n) => n.entity_id === r.id), 'closed: none for quality either');
  expectStatus(await c.planner.patch(`${R}/${low.id}`, { review_on: addDays(today, 90) }), 200);
  assert.ok(!(await reminders(owner)).some((n) => n.entity_id === low.id), 'reviewed: no reminder');

  // reopening brings it back
  expectStatus(await c.quality.patch(`${R}/${r.id}`, { status: 'mitigating' }), 200);
  assert.ok((await reminders(owner)).some((n) => n.entity_id === r.id), 'reopened and still past its review date');
});

test('filters: element, status, level, owner; a risk may relate to a plan item', async () => {
  const m = await createUser(adm, { roles: ['member'], department_id: dept.id, display_name: '筛选负责人' });
  const o = m.user;
  const a = expectStatus(await c.quality.post(R, body({ element: 'process', likelihood: 1, impact: 1, owner_user_id: o.id })), 201);
  const b = expectStatus(await c.quality.post(R, body({ element: 'technology', likelihood: 4, impact: 5, owner_user_id: o.id,
    status: 'mitigating' })), 201);
  const ids = async (q) => (await listMine(o, q)).map((x) => x.id).sort((x, y) => x - y);
  assert.deepEqual(await ids(''), [a.id, b.id]);
  assert.deepEqual(await ids('element=process'), [a.id]);
  assert.deepEqual(await ids('status=mitigating'), [b.id]);
  assert.deepEqual(await ids('level=low'), [a.id]);
  assert.deepEqual(await ids('level=critical'), [b.id]);
  assert.deepEqual(await ids('level=medium'), []);
  expectError(await c.auditor.get(`${R}?element=finance`), 400, 'bad_request', 'element');
  expectError(await c.auditor.get(`${R}?status=x`), 400, 'bad_request', 'status');
  expectError(await c.auditor.get(`${R}?review_overdue=yes`), 400, 'bad_request', 'review_overdue');

  // a plan item of a plan in a year no other test file uses
  let plan;
  for (let attempt = 0; attempt < 40 && !plan; attempt++) {
    const y = 2031 + Math.floor(Math.random() * 69);
    const res = await c.planner.post('/api/v1/plans', { year: y, title: `${y}年度服务能力管理计划` });
    if (res.status === 409) continue;
    plan = expectStatus(res, 201);
  }
  assert.ok(plan, 'a plan');
  const item = expectStatus(await c.planner.post(`/api/v1/plans/${plan.id}/items`, { element: 'technology', area: 'technology.detection',
    objective: '建设监控告警平台' }), 201);
  const linked = expectStatus(await c.planner.patch(`${R}/${b.id}`, { plan_item_id: item.id }), 200);
  assert.equal(linked.plan_item_id, item.id);
  assert.equal(linked.plan_item_year, plan.year);
  assert.equal(typeof linked.plan_item_area, 'string');
  assert.deepEqual(await ids(`plan_item_id=${item.id}`), [b.id]);
  const unlinked = expectStatus(await c.planner.patch(`${R}/${b.id}`, { plan_item_id: null }), 200);
  assert.equal(unlinked.plan_item_id, null);
});
