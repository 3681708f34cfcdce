// The measurement plan (/metrics), the achievement table (/metrics/{id}/values, /achievement), closing periods,
// computing measure: metrics (no records yet: no data, never a made-up number) and the measures catalogue.
// Works in a random past year of its own, 2001..2020 (closing is global per period string: other files should not meet it).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe } from './lib.mjs';

const YEAR = 2002 + Math.floor(Math.random() * 19);   // YEAR − 1 is used too; 2000 belongs to cycle_evaluation
const PREV = YEAR - 1;
const M = (n) => `${YEAR}-${String(n).padStart(2, '0')}`;

let adm, quality, owner, stranger, auditor;
let deptOwner, deptOther;
const metric = {};   // name → metric object

const approx = (a, b, msg) => assert.ok(Math.abs(a - b) < 1e-9, `${msg}: ${a} ≈ ${b}`);

before(async () => {
  adm = await admin();
  deptOwner = await createDepartment(adm);
  deptOther = await createDepartment(adm);
  const q = await createUser(adm, { roles: ['quality'], display_name: '质量经理' });
  const o = await createUser(adm, { roles: ['member'], department_id: deptOwner.id, display_name: '责任部门员工' });
  const s = await createUser(adm, { roles: ['member'], department_id: deptOther.id, display_name: '其他部门员工' });
  const a = await createUser(adm, { roles: ['auditor'] });
  quality = await login(q.username, q.password);
  owner = await login(o.username, o.password);
  stranger = await login(s.username, s.password);
  auditor = await login(a.username, a.password);
});

function def(fields) {
  return {
    year: YEAR, code: 'X', name: '指标', element: 'process', definition: '定义', unit: 'ratio', direction: 'higher_better',
    target: 0.95, warning: 0.9, frequency: 'month', source: 'manual', owner_department_id: deptOwner.id, ...fields,
  };
}

/** The year's metrics of this file's two departments (other files may create metrics in the same year). */
const ours = (m) => ['SAT', 'RESP', 'TRAIN', 'RESOLVE'].includes(m.code) || m.owner_department_id === deptOwner.id ||
  m.owner_department_id === deptOther.id;

async function metricsOfYear() {
  const res = await quality.get(`/api/v1/metrics?year=${YEAR}&limit=500`);
  return expectStatus(res, 200).items.filter(ours);
}

async function valueOf(m, period) {
  return quality.get(`/api/v1/metrics/${m.id}/values/${period}`);
}

test('GET /measures lists the built-in measures with unit, labels and direction', async () => {
  const res = await auditor.get('/api/v1/measures');
  const body = expectStatus(res, 200);
  assert.equal(body.next_cursor, null);
  const keys = body.items.map((m) => m.key);
  for (const k of ['tickets', 'resolution_rate', 'first_contact_resolution_rate', 'response_minutes_p90', 'sla_source_rate',
    'satisfaction_avg', 'complaint_answered_in_time_rate', 'turnover_rate', 'partner_score_avg', 'innovations_adopted']) {
    assert.ok(keys.includes(k), `${k} in the catalogue${describe(res)}`);
  }
  for (const k of ['headcount', 'key_post_backup_coverage', 'training_pass_rate', 'innovations', 'innovation_pilots']) assert.ok(keys.includes(k), `${k} in the catalogue${describe(res)}`);
  assert.equal(keys.length, 30, `30 measures${describe(res)}`);
  const rr = body.items.find((m) => m.key === 'resolution_rate');
  assert.equal(rr.unit, 'ratio');
  assert.equal(rr.direction, 'higher_better');
  assert.equal(rr.source, 'measure:resolution_rate');
  assert.ok(rr.name && rr.name_en && rr.definition && rr.definition_en);
  assert.equal(body.items.find((m) => m.key === 'reopen_rate').direction, 'lower_better');
});

test('quality defines monthly, quarterly and yearly metrics in both directions, and a measure: one', async () => {
  let res = await quality.post('/api/v1/metrics', def({ code: 'SAT', name: '客户满意率', name_en: 'Customer satisfaction',
    formula: '满意评价 ÷ 全部评价', method: '月度回访' }));
  metric.sat = expectStatus(res, 201);
  assert.equal(metric.sat.year, YEAR);
  assert.equal(metric.sat.code, 'SAT');
  assert.equal(metric.sat.frequency, 'month');
  assert.equal(metric.sat.direction, 'higher_better');
  assert.equal(metric.sat.target, 0.95);
  assert.equal(metric.sat.warning, 0.9);
  assert.equal(metric.sat.owner_department_id, deptOwner.id);
  assert.equal(metric.sat.plan_item_id, null);
  assert.equal(metric.sat.formula, '满意评价 ÷ 全部评价');
  assert.equal(metric.sat.value_count, 0);

  res = await quality.post('/api/v1/metrics', def({ code: 'RESP', name: '平均响应时长', unit: '分钟', element: 'process',
    direction: 'lower_better', target: 30, warning: 45, frequency: 'quarter' }));
  metric.resp = expectStatus(res, 201);

  res = await quality.post('/api/v1/metrics', def({ code: 'TRAIN', name: '人均培训学时', unit: '小时', element: 'people',
    target: 40, warning: 32, frequency: 'year', owner_department_id: deptOther.id }));
  metric.train = expectStatus(res, 201);

  res = await quality.post('/api/v1/metrics', def({ code: 'RESOLVE', name: '工单解决率', source: 'measure:resolution_rate',
    warning: null, owner_department_id: null }));
  metric.resolve = expectStatus(res, 201);
  assert.equal(metric.resolve.source, 'measure:resolution_rate');
  assert.equal(metric.resolve.warning, null);
  assert.equal(metric.resolve.owner_department_id, null);

  res = await auditor.get(`/api/v1/metrics/${metric.sat.id}`);
  assert.deepEqual(expectStatus(res, 200), metric.sat);
});

test('refused metric definitions change nothing', async () => {
  const before = await metricsOfYear();
  assert.equal(before.length, 4);
  let res = await quality.post('/api/v1/metrics', def({ code: 'W1', target: 0.9, warning: 0.95 }));
  expectError(res, 422, 'validation_failed', 'warning');
  res = await quality.post('/api/v1/metrics', def({ code: 'W2', direction: 'lower_better', target: 30, warning: 20 }));
  expectError(res, 422, 'validation_failed', 'warning');
  res = await quality.post('/api/v1/metrics', def({ code: 'SAT', name: '重复' }));
  expectError(res, 409, 'conflict', 'code');
  res = await quality.post('/api/v1/metrics', def({ code: 'NOPE', source: 'measure:nope' }));
  expectError(res, 422, 'validation_failed', 'source');
  res = await quality.post('/api/v1/metrics', def({ code: 'BAD', source: 'excel' }));
  expectError(res, 422, 'validation_failed', 'source');
  res = await quality.post('/api/v1/metrics', def({ code: 'PI', plan_item_id: 999999999 }));
  expectError(res, 422, 'validation_failed', 'plan_item_id');
  res = await quality.post('/api/v1/metrics', def({ code: 'OD', owner_department_id: 999999999 }));
  expectError(res, 422, 'validation_failed', 'owner_department_id');
  res = await quality.post('/api/v1/metrics', def({ code: 'FQ', frequency: 'week' }));
  expectError(res, 422, 'validation_failed', 'frequency');
  res = await quality.post('/api/v1/metrics', def({ code: 'has space' }));
  expectError(res, 422, 'validation_failed', 'code');
  res = await quality.post('/api/v1/metrics', def({ code: 'YR', year: 1999 }));
  expectError(res, 422, 'validation_failed', 'year');
  res = await quality.post('/api/v1/metrics', def({ code: 'UNK', colour: 'red' }));
  expectError(res, 422, 'validation_failed', 'colour');
  res = await owner.post('/api/v1/metrics', def({ code: 'MEMBER' }));
  expectError(res, 403, 'forbidden');
  assert.deepEqual(await metricsOfYear(), before);
});

test('a metric links to an item of the plan of its own year only', async () => {
  const p = await createUser(adm, { roles: ['planner'] });
  const planner = await login(p.username, p.password);
  const items = {};
  for (const y of [YEAR, PREV]) {
    let res = await planner.post('/api/v1/plans', { year: y, title: `${y}年度服务能力管理计划` });
    const plan = expectStatus(res, 201);
    res = await planner.post(`/api/v1/plans/${plan.id}/items`, { element: 'process', area: 'process.incident',
      objective: '提升事件解决率', owner_department_id: deptOwner.id });
    items[y] = expectStatus(res, 201);
  }
  let res = await quality.post('/api/v1/metrics', def({ code: 'PLANNED', plan_item_id: items[PREV].id }));
  expectError(res, 422, 'validation_failed', 'plan_item_id');
  res = await quality.post('/api/v1/metrics', def({ code: 'PLANNED', plan_item_id: items[YEAR].id }));
  const m = expectStatus(res, 201);
  assert.equal(m.plan_item_id, items[YEAR].id);
  res = await quality.patch(`/api/v1/metrics/${m.id}`, { plan_item_id: items[PREV].id });
  expectError(res, 422, 'validation_failed', 'plan_item_id');
  res = await quality.patch(`/api/v1/metrics/${m.id}`, { plan_item_id: null });
  assert.equal(expectStatus(res, 200).plan_item_id, null);
  res = await quality.del(`/api/v1/metrics/${m.id}`);
  expectStatus(res, 200);
});

test('values: met, warning, missed; rate and status from the metric; numerator ÷ denominator', async () => {
  let res = await quality.put(`/api/v1/metrics/${metric.sat.id}/values/${M(1)}`, { actual: 0.97, note: '一月' });
  let v = expectStatus(res, 200);
  assert.equal(v.period, M(1));
  assert.equal(v.actual, 0.97);
  assert.equal(v.target, 0.95);
  assert.equal(v.warning, 0.9);
  approx(v.rate, 0.97 / 0.95, 'rate');
  assert.equal(v.status, 'met');
  assert.equal(v.origin, 'manual');
  assert.equal(v.note, '一月');
  assert.equal(v.closed, false);
  assert.equal(v.recorded_by, quality.user.id);
  assert.match(v.recorded_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  // The owner department's member records February as numerator / denominator.
  res = await owner.put(`/api/v1/metrics/${metric.sat.id}/values/${M(2)}`, { numerator: 92, denominator: 100, evidence: '回访记录' });
  v = expectStatus(res, 200);
  approx(v.actual, 0.92, 'actual');
  assert.equal(v.numerator, 92);
  assert.equal(v.denominator, 100);
  assert.equal(v.status, 'warning');
  assert.equal(v.recorded_by, owner.user.id);

  res = await quality.put(`/api/v1/metrics/${metric.sat.id}/values/${M(3)}`, { actual: 0.8 });
  v = expectStatus(res, 200);
  assert.equal(v.status, 'missed');
  approx(v.rate, 0.8 / 0.95, 'rate');

  // lower_better: rate = target ÷ actual.
  res = await owner.put(`/api/v1/metrics/${metric.resp.id}/values/${YEAR}-Q1`, { actual: 25 });
  v = expectStatus(res, 200);
  assert.equal(v.status, 'met');
  approx(v.rate, 30 / 25, 'rate');
  res = await quality.put(`/api/v1/metrics/${metric.resp.id}/values/${YEAR}-Q2`, { actual: 40 });
  assert.equal(expectStatus(res, 200).status, 'warning');
  res = await quality.put(`/api/v1/metrics/${metric.train.id}/values/${YEAR}`, { actual: 42 });
  assert.equal(expectStatus(res, 200).status, 'met');
});

test('refused values change nothing: other department, wrong period, zero denominator, auditor', async () => {
  const url = `/api/v1/metrics/${metric.sat.id}/values`;
  let res = await stranger.put(`${url}/${M(4)}`, { actual: 0.99 });
  expectError(res, 403, 'forbidden');
  res = await stranger.put(`${url}/${M(1)}`, { actual: 0.1 });
  expectError(res, 403, 'forbidden');
  res = await auditor.put(`${url}/${M(4)}`, { actual: 0.99 });
  expectError(res, 403, 'forbidden');
  res = await quality.put(`${url}/${YEAR}-Q1`, { actual: 0.99 });
  expectError(res, 422, 'validation_failed', 'period');
  res = await quality.put(`${url}/${YEAR + 1}-04`, { actual: 0.99 });
  expectError(res, 422, 'validation_failed', 'period');
  res = await quality.put(`${url}/${YEAR}-13`, { actual: 0.99 });
  expectError(res, 422, 'validation_failed', 'period');
  res = await quality.put(`/api/v1/metrics/${metric.resp.id}/values/${M(4)}`, { actual: 10 });
  expectError(res, 422, 'validation_failed', 'period');
  res = await quality.put(`${url}/${M(4)}`, { numerator: 3, denominator: 0 });
  expectError(res, 422, 'validation_failed', 'denominator');
  res = await quality.put(`${url}/${M(4)}`, { numerator: 3 });
  expectError(res, 422, 'validation_failed', 'denominator');
  res = await quality.put(`${url}/${M(4)}`, { actual: 95, numerator: 95, denominator: 100 });
  expectError(res, 422, 'validation_failed', 'actual');
  res = await quality.put(`${url}/${M(4)}`, { note: '只有说明' });
  expectError(res, 422, 'validation_failed', 'actual');
  res = await quality.put(`/api/v1/metrics/999999999/values/${M(4)}`, { actual: 1 });
  expectError(res, 404, 'not_found');

  expectError(await valueOf(metric.sat, M(4)), 404, 'not_found');
  const jan = expectStatus(await valueOf(metric.sat, M(1)), 200);
  assert.equal(jan.actual, 0.97);
  assert.equal(jan.recorded_by, quality.user.id);
  const list = expectStatus(await quality.get(`${url}`), 200);
  assert.deepEqual(list.items.map((x) => x.period), [M(1), M(2), M(3)]);
});

test('a missed value blocks closing its period until it has deviation analysis and corrective action', async () => {
  const url = `/api/v1/metrics/${metric.sat.id}/values/${M(3)}`;
  let res = await quality.post('/api/v1/achievement/close', { period: M(3) });
  let e = expectError(res, 422, 'validation_failed', 'period');
  assert.match(e.message, /SAT/, 'the message names the metric code');

  res = await quality.put(url, { deviation_analysis: '春节后人员未到岗，回访不及时' });
  let v = expectStatus(res, 200);
  assert.equal(v.actual, 0.8, 'texts alone keep the numbers');
  assert.equal(v.status, 'missed');
  res = await quality.post('/api/v1/achievement/close', { period: M(3) });
  e = expectError(res, 422, 'validation_failed', 'period');
  assert.match(e.message, /SAT/);
  // Blank text does not count.
  res = await quality.put(url, { corrective_action: '   ' });
  expectStatus(res, 200);
  res = await quality.post('/api/v1/achievement/close', { period: M(3) });
  expectError(res, 422, 'validation_failed', 'period');
  let closed = expectStatus(await quality.get(`/api/v1/achievement/closed?year=${YEAR}`), 200);
  assert.deepEqual(closed.items, []);

  res = await owner.put(url, { corrective_action: '增加回访人员，每周检查回访进度' });
  v = expectStatus(res, 200);
  assert.equal(v.deviation_analysis, '春节后人员未到岗，回访不及时');
  assert.equal(v.corrective_action, '增加回访人员，每周检查回访进度');
  assert.equal(v.target, 0.95);

  // Only quality closes.
  res = await owner.post('/api/v1/achievement/close', { period: M(3) });
  expectError(res, 403, 'forbidden');
  res = await quality.post('/api/v1/achievement/close', { period: M(3) });
  const c = expectStatus(res, 200);
  assert.equal(c.period, M(3));
  assert.equal(c.closed_by, quality.user.id);
  assert.equal(c.values, 1);
  closed = expectStatus(await auditor.get(`/api/v1/achievement/closed?year=${YEAR}`), 200);
  assert.deepEqual(closed.items.map((x) => x.period), [M(3)]);
  const after = expectStatus(await valueOf(metric.sat, M(3)), 200);
  assert.equal(after.closed, true);
  assert.equal(after.reviewed_by, quality.user.id, 'closing makes quality the reviewer');
});

test('a closed period is frozen: PUT → 409 and the value is unchanged; closing again → 409', async () => {
  const url = `/api/v1/metrics/${metric.sat.id}/values/${M(3)}`;
  const before = expectStatus(await valueOf(metric.sat, M(3)), 200);
  let res = await quality.put(url, { actual: 0.99 });
  expectError(res, 409, 'invalid_state');
  res = await owner.put(url, { note: '补充说明' });
  expectError(res, 409, 'invalid_state');
  assert.deepEqual(expectStatus(await valueOf(metric.sat, M(3)), 200), before);

  res = await quality.post('/api/v1/achievement/close', { period: M(3) });
  expectError(res, 409, 'invalid_state');
  // Closing a month closes neither its quarter nor the year: the quarterly value of Q1 stays writable.
  res = await quality.put(`/api/v1/metrics/${metric.resp.id}/values/${YEAR}-Q1`, { actual: 26 });
  assert.equal(expectStatus(res, 200).closed, false);
  // Malformed or not yet begun periods are refused.
  res = await quality.post('/api/v1/achievement/close', { period: `${YEAR}-3` });
  expectError(res, 422, 'validation_failed', 'period');
  res = await quality.post('/api/v1/achievement/close', { period: '9999-12' });
  expectError(res, 422, 'validation_failed', 'period');
  const closed = expectStatus(await quality.get(`/api/v1/achievement/closed?year=${YEAR}`), 200);
  assert.deepEqual(closed.items.map((x) => x.period), [M(3)]);
});

test('compute: a measure: metric has no data (no records yet): nothing written, closed periods skipped', async () => {
  let res = await owner.post('/api/v1/achievement/compute', { year: YEAR });
  expectError(res, 403, 'forbidden');
  res = await quality.post('/api/v1/achievement/compute', { year: YEAR });
  const body = expectStatus(res, 200);
  assert.equal(body.year, YEAR);
  assert.equal(body.computed, 0);
  // Every month of the (past) year: eleven without data, the closed March skipped.
  assert.deepEqual(body.skipped_closed, [{ metric_id: metric.resolve.id, code: 'RESOLVE', period: M(3) }]);
  assert.deepEqual(body.no_data.map((x) => x.period), [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(M));
  assert.ok(body.no_data.every((x) => x.metric_id === metric.resolve.id && x.code === 'RESOLVE'));
  // Manual metrics are not listed, nothing was written.
  const vals = expectStatus(await quality.get(`/api/v1/metrics/${metric.resolve.id}/values`), 200);
  assert.deepEqual(vals.items, []);
  assert.equal(expectStatus(await quality.get(`/api/v1/metrics/${metric.resolve.id}`), 200).value_count, 0);
  assert.equal(expectStatus(await valueOf(metric.sat, M(1)), 200).actual, 0.97);

  // One audit row for the compute, with its counts.
  const audit = expectStatus(await adm.get('/api/v1/audit?entity=achievement&action=compute&limit=500'), 200);
  const mine = audit.items.filter((a) => a.after && a.after.year === YEAR);
  assert.equal(mine.length, 1, `one audit row${describe(res)}`);
  assert.deepEqual(mine[0].after, { year: YEAR, computed: 0, no_data: 11, skipped_closed: 1 });

  // A future year: no period has begun, nothing to compute.
  res = await quality.post('/api/v1/achievement/compute', { year: 2100 });
  assert.deepEqual(expectStatus(res, 200), { year: 2100, computed: 0, no_data: [], skipped_closed: [] });
  res = await quality.post('/api/v1/achievement/compute', { year: 1999 });
  expectError(res, 422, 'validation_failed', 'year');
});

test('GET /achievement: full-shape rows with statuses, trends across the year boundary, closed flags', async () => {
  // Last year's December of the same code: January's trend compares with it.
  let res = await quality.post('/api/v1/metrics', def({ year: PREV, code: 'SAT', name: '客户满意率' }));
  const prev = expectStatus(res, 201);
  res = await quality.put(`/api/v1/metrics/${prev.id}/values/${PREV}-12`, { actual: 0.99 });
  expectStatus(res, 200);

  res = await auditor.get(`/api/v1/achievement?year=${YEAR}`);
  const body = expectStatus(res, 200);
  assert.deepEqual(body.items.filter((i) => ours(i.metric)).map((i) => i.metric.code), ['TRAIN', 'RESOLVE', 'RESP', 'SAT'],
    `table order: element (people, process, …), then code${describe(res)}`);
  const row = (code) => body.items.find((i) => i.metric.code === code);

  const sat = row('SAT');
  assert.equal(sat.metric.id, metric.sat.id);
  assert.deepEqual(sat.values.map((v) => v.period), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(M));
  assert.deepEqual(sat.values.map((v) => v.status), ['met', 'warning', 'missed', ...Array(9).fill(null)]);
  assert.deepEqual(sat.values.map((v) => v.trend), ['down', 'down', 'down', ...Array(9).fill('none')]);
  assert.deepEqual(sat.values.map((v) => v.change), ['worse', 'worse', 'worse', ...Array(9).fill('none')]);
  assert.deepEqual(sat.values.map((v) => v.closed), [false, false, true, ...Array(9).fill(false)]);
  const mar = sat.values[2];
  assert.equal(mar.actual, 0.8);
  assert.equal(mar.deviation_analysis, '春节后人员未到岗，回访不及时');
  assert.equal(mar.corrective_action, '增加回访人员，每周检查回访进度');
  const apr = sat.values[3];
  for (const k of ['actual', 'rate', 'status', 'numerator', 'denominator', 'recorded_by', 'recorded_at', 'deviation_analysis']) {
    assert.equal(apr[k], null, `an empty period has ${k} null`);
  }
  assert.equal(apr.target, 0.95, 'an empty period shows the target it would be judged against');
  assert.equal(sat.values[1].numerator, 92);

  const resp = row('RESP');
  assert.deepEqual(resp.values.map((v) => v.period), [1, 2, 3, 4].map((q) => `${YEAR}-Q${q}`));
  assert.deepEqual(resp.values.map((v) => v.status), ['met', 'warning', null, null]);
  // lower_better: 26 → 40 is up and worse.
  assert.deepEqual(resp.values.map((v) => v.trend), ['none', 'up', 'none', 'none']);
  assert.deepEqual(resp.values.map((v) => v.change), ['none', 'worse', 'none', 'none']);
  assert.deepEqual(row('TRAIN').values.map((v) => [v.period, v.actual, v.status]), [[String(YEAR), 42, 'met']]);
  assert.equal(row('RESOLVE').values.length, 12);
  assert.ok(row('RESOLVE').values.every((v) => v.actual === null && v.status === null), 'no made-up numbers');

  // Filters.
  res = await auditor.get(`/api/v1/achievement?year=${YEAR}&department_id=${deptOther.id}`);
  assert.deepEqual(expectStatus(res, 200).items.map((i) => i.metric.code), ['TRAIN']);
  res = await auditor.get(`/api/v1/achievement?year=${YEAR}&element=people`);
  assert.deepEqual(expectStatus(res, 200).items.filter((i) => ours(i.metric)).map((i) => i.metric.code), ['TRAIN']);
  res = await auditor.get('/api/v1/achievement');
  expectError(res, 400, 'bad_request', 'year');
  res = await auditor.get(`/api/v1/achievement?year=${YEAR}&element=money`);
  expectError(res, 400, 'bad_request', 'element');
});

test('PATCH a metric: values keep the target they were recorded with; new values take the new one', async () => {
  let res = await quality.patch(`/api/v1/metrics/${metric.sat.id}`, { target: 0.98, warning: 0.99 });
  expectError(res, 422, 'validation_failed', 'warning');
  res = await quality.patch(`/api/v1/metrics/${metric.sat.id}`, { year: YEAR + 1 });
  expectError(res, 422, 'validation_failed', 'year');
  res = await quality.patch(`/api/v1/metrics/${metric.sat.id}`, { code: 'RESP' });
  expectError(res, 409, 'conflict', 'code');
  res = await owner.patch(`/api/v1/metrics/${metric.sat.id}`, { target: 0.5 });
  expectError(res, 403, 'forbidden');
  const unchanged = expectStatus(await quality.get(`/api/v1/metrics/${metric.sat.id}`), 200);
  assert.equal(unchanged.target, 0.95);
  assert.equal(unchanged.code, 'SAT');

  res = await quality.patch(`/api/v1/metrics/${metric.sat.id}`, { target: 0.98, name_en: 'Satisfaction' });
  const m = expectStatus(res, 200);
  assert.equal(m.target, 0.98);
  assert.equal(m.warning, 0.9);
  assert.equal(m.name_en, 'Satisfaction');
  const jan = expectStatus(await valueOf(metric.sat, M(1)), 200);
  assert.equal(jan.target, 0.95);
  assert.equal(jan.status, 'met');
  res = await quality.put(`/api/v1/metrics/${metric.sat.id}/values/${M(4)}`, { actual: 0.97 });
  const apr = expectStatus(res, 200);
  assert.equal(apr.target, 0.98);
  assert.equal(apr.status, 'warning');
  // A closed period's value never changes.
  assert.equal(expectStatus(await valueOf(metric.sat, M(3)), 200).target, 0.95);

  // A yearly metric turned quarterly: the table shows four quarters, the yearly value stays stored.
  res = await quality.patch(`/api/v1/metrics/${metric.train.id}`, { frequency: 'quarter', direction: 'lower_better', warning: 50 });
  assert.equal(expectStatus(res, 200).frequency, 'quarter');
  res = await auditor.get(`/api/v1/achievement?year=${YEAR}&element=people`);
  const train = expectStatus(res, 200).items.find((i) => i.metric.id === metric.train.id);
  assert.deepEqual(train.values.map((v) => [v.period, v.actual]), [1, 2, 3, 4].map((q) => [`${YEAR}-Q${q}`, null]));
  const stored = expectStatus(await auditor.get(`/api/v1/metrics/${metric.train.id}/values`), 200);
  assert.deepEqual(stored.items.map((v) => [v.period, v.actual, v.status]), [[String(YEAR), 42, 'met']]);
});

test('DELETE a metric only while it has no values', async () => {
  let res = await quality.del(`/api/v1/metrics/${metric.sat.id}`);
  expectError(res, 409, 'conflict');
  expectStatus(await quality.get(`/api/v1/metrics/${metric.sat.id}`), 200);
  res = await owner.del(`/api/v1/metrics/${metric.resolve.id}`);
  expectError(res, 403, 'forbidden');
  res = await quality.del(`/api/v1/metrics/${metric.resolve.id}`);
  assert.deepEqual(expectStatus(res, 200), { id: metric.resolve.id, deleted: true });
  expectError(await quality.get(`/api/v1/metrics/${metric.resolve.id}`), 404, 'not_found');
  res = await quality.del(`/api/v1/metrics/${metric.resolve.id}`);
  expectError(res, 404, 'not_found');
});
