// Optimistic concurrency on every edit (issue 8.1): GET and every edit answer ETag: "<row_version>",
// PATCH/PUT with a stale If-Match is 409 conflict and writes nothing, with the current one 200 and row_version + 1,
// without If-Match the write proceeds; of concurrent edits holding the same If-Match exactly one succeeds.
// Table-driven over every editable record. Works in the year 2100 (no other file uses it) and with unique names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, describe, expectError, expectStatus, login, uniq } from './lib.mjs';

const Y = 2100;
let keptTimezone;
const code = (p) => (p + Math.random().toString(36).slice(2, 10)).toUpperCase();

/**
 * Each record: setup(a) creates one (or picks the singleton) and returns {path, get, method?};
 * body(n) is the n-th edit and value(obj) the edited value, compared after each step.
 * get: the GET path answering the record (with its ETag), or a function reading the value when there is none.
 */
const RECORDS = [
  { name: 'department', async setup(a) {
    const d = expectStatus(await a.post('/api/v1/departments', { code: uniq('im'), name: '并发部门', name_en: 'occ' }), 201);
    return { path: `/api/v1/departments/${d.id}` };
  }, body: (n) => ({ name: `并发部门 ${n}` }), value: (o) => o.name },
  { name: 'user', async setup(a) {
    const u = expectStatus(await a.post('/api/v1/users', { username: uniq('im'), password: 'Occ-password-1', roles: ['member'] }), 201);
    return { path: `/api/v1/users/${u.id}` };
  }, body: (n) => ({ display_name: `并发用户 ${n}` }), value: (o) => o.display_name },
  { name: 'settings', async setup(a) {
    keptTimezone = expectStatus(await a.get('/api/v1/settings'), 200).timezone;   // written back unchanged
    return { path: '/api/v1/settings' };
  }, body: () => ({ timezone: keptTimezone }), value: (o) => o.timezone, sameValue: true },
  { name: 'capability area', async setup(a) {
    const x = expectStatus(await a.post('/api/v1/capability-areas', { element: 'process', code: `process.${uniq('im')}`, name: '并发领域' }), 201);
    return { path: `/api/v1/capability-areas/${x.id}` };
  }, body: (n) => ({ name: `并发领域 ${n}` }), value: (o) => o.name },
  { name: 'plan item', async setup(a, f) {
    const item = expectStatus(await a.post(`/api/v1/plans/${f.plan.id}/items`, { element: 'process', area: f.area.code,
      objective: '并发目标', due_date: `${Y}-06-30` }), 201);
    return { path: `/api/v1/plan-items/${item.id}` };
  }, body: (n) => ({ objective: `并发目标 ${n}` }), value: (o) => o.objective },
  { name: 'metric', async setup(a, f) {
    return { path: `/api/v1/metrics/${f.metric.id}` };
  }, body: (n) => ({ name: `并发指标 ${n}` }), value: (o) => o.name },
  { name: 'metric value', async setup(a, f) {
    // a value of a period that has begun: January of this year (no other file uses the current year)
    const year = new Date().getFullYear();
    const m = expectStatus(await a.post('/api/v1/metrics', { year, code: code('IV'), name: '并发值指标', element: 'process',
      definition: '定义', unit: 'ratio', direction: 'higher_better', target: 0.95, warning: 0.9, frequency: 'month',
      source: 'manual', owner_department_id: f.dept.id }), 201);
    const path = `/api/v1/metrics/${m.id}/values/${year}-01`;
    expectStatus(await a.put(path, { actual: 0.97, note: '初值' }), 200);
    return { path, method: 'PUT' };
  }, body: (n) => ({ note: `并发备注 ${n}` }), value: (o) => o.note },
  { name: 'task', async setup(a, f) {
    return { path: `/api/v1/tasks/${f.task.id}` };
  }, body: (n) => ({ title: `并发任务 ${n}` }), value: (o) => o.title },
  { name: 'check', async setup(a, f) {
    const c = expectStatus(await a.post(`/api/v1/tasks/${f.task.id}/checks`, { checked_on: '2020-01-15', finding: '初查' }), 201);
    const get = async () => {
      const t = expectStatus(await a.get(`/api/v1/tasks/${f.task.id}`), 200);
      return (t.checks || []).find((x) => x.id === c.id);
    };
    return { path: `/api/v1/checks/${c.id}`, get, version: 0 };   // no GET: the version the writes answer
  }, body: (n) => ({ finding: `并发检查 ${n}` }), value: (o) => o.finding },
  { name: 'evaluation', async setup() {
    return { path: `/api/v1/evaluations/${Y}` };
  }, body: (n) => ({ conclusion: `并发结论 ${n}` }), value: (o) => o.conclusion },
  { name: 'customer', async setup(a) {
    const c = expectStatus(await a.post('/api/v1/customers', { name: '并发客户' }), 201);
    return { path: `/api/v1/customers/${c.id}` };
  }, body: (n) => ({ name: `并发客户 ${n}` }), value: (o) => o.name },
  { name: 'ticket', async setup(a) {
    const t = expectStatus(await a.post('/api/v1/tickets', { title: '并发工单', priority: 'P3', opened_at: '2020-03-02T09:00:00+08:00' }), 201);
    return { path: `/api/v1/tickets/${t.id}` };
  }, body: (n) => ({ title: `并发工单 ${n}` }), value: (o) => o.title },
  { name: 'SLA policy', async setup(a, f) {
    const p = expectStatus(await a.post('/api/v1/sla-policies', { name: `策略 ${uniq('im')}`, priority: 'P4',
      category: `并发 ${uniq('c')}`, calendar_id: f.calendar.id, response_minutes: 30, resolution_minutes: 600 }), 201);
    return { path: `/api/v1/sla-policies/${p.id}` };
  }, body: (n) => ({ response_minutes: 30 + n }), value: (o) => o.response_minutes },
  { name: 'calendar', async setup(a, f) {
    return { path: `/api/v1/calendars/${f.calendar.id}` };
  }, body: (n) => ({ name: `${f0.calendarName} ${n}` }), value: (o) => o.name },
  { name: 'staff', async setup(a, f) {
    return { path: `/api/v1/staff/${f.staff.id}` };
  }, body: (n) => ({ name: `并发员工 ${n}` }), value: (o) => o.name },
  { name: 'certification', async setup(a, f) {
    const c = expectStatus(await a.post(`/api/v1/staff/${f.staff.id}/certifications`, { name: '并发证书', obtained_on: '2019-05-01' }), 201);
    return { path: `/api/v1/certifications/${c.id}` };
  }, body: (n) => ({ name: `并发证书 ${n}` }), value: (o) => o.name },
  { name: 'training', async setup(a) {
    const t = expectStatus(await a.post('/api/v1/trainings', { year: Y, course: '并发培训', form: 'online', hours: 2,
      planned_on: `${Y}-03-01` }), 201);
    return { path: `/api/v1/trainings/${t.id}` };
  }, body: (n) => ({ course: `并发培训 ${n}` }), value: (o) => o.course },
  { name: 'appraisal', async setup(a, f) {
    const cr = expectStatus(await a.get('/api/v1/appraisal-criteria'), 200);
    const criteria = Array.isArray(cr) ? cr : cr.items;
    const scores = Object.fromEntries(criteria.map((c) => [c.key, 80]));
    const ap = expectStatus(await a.post('/api/v1/appraisals', { staff_id: f.staff.id, period: `${Y}-Q1`, scores }), 201);
    return { path: `/api/v1/appraisals/${ap.id}` };
  }, body: (n) => ({ comment: `并发评语 ${n}` }), value: (o) => o.comment },
  { name: 'partner', async setup(a) {
    const p = expectStatus(await a.post('/api/v1/partners', { name: `并发代理商 ${uniq('p')}` }), 201);
    return { path: `/api/v1/partners/${p.id}` };
  }, body: (n) => ({ contact_name: `联系人 ${n}` }), value: (o) => o.contact_name },
  { name: 'innovation', async setup(a) {
    const i = expectStatus(await a.post('/api/v1/innovations', { title: '并发创新', category: 'process', description: '描述' }), 201);
    return { path: `/api/v1/innovations/${i.id}` };
  }, body: (n) => ({ title: `并发创新 ${n}` }), value: (o) => o.title },
  { name: 'risk', async setup(a) {
    const r = expectStatus(await a.post('/api/v1/risks', { title: '并发风险', element: 'process', likelihood: 2, impact: 3 }), 201);
    return { path: `/api/v1/risks/${r.id}` };
  }, body: (n) => ({ title: `并发风险 ${n}` }), value: (o) => o.title },
];

const f0 = { calendarName: `并发日历 ${uniq('c')}` };

/** Shared records the table needs: a department, a plan of Y, an area, a metric, a task, a calendar, a staff member. */
async function fixtures(a) {
  const dept = expectStatus(await a.post('/api/v1/departments', { code: uniq('imd'), name: '并发测试部', name_en: 'occ' }), 201);
  let res = await a.post('/api/v1/plans', { year: Y, title: `${Y}年度计划` });
  let plan;
  if (res.status === 201) plan = res.json;
  else plan = expectStatus(await a.get(`/api/v1/plans?year=${Y}`), 200).items[0];
  assert.ok(plan, `a plan of ${Y}${describe(res)}`);
  const area = expectStatus(await a.post('/api/v1/capability-areas', { element: 'process', code: `process.${uniq('ima')}`, name: '并发计划领域' }), 201);
  const metric = expectStatus(await a.post('/api/v1/metrics', { year: Y, code: code('IM'), name: '并发指标', element: 'process',
    definition: '定义', unit: 'ratio', direction: 'higher_better', target: 0.95, warning: 0.9, frequency: 'month',
    source: 'manual', owner_department_id: dept.id }), 201);
  const task = expectStatus(await a.post('/api/v1/tasks', { year: Y, department_id: dept.id, title: '并发任务',
    planned_start: `${Y}-01-01`, planned_end: `${Y}-12-31` }), 201);
  const calendar = expectStatus(await a.post('/api/v1/calendars', { name: f0.calendarName, work_periods: [['09:00', '17:00']] }), 201);
  const staff = expectStatus(await a.post('/api/v1/staff', { name: '并发员工', department_id: dept.id, hired_on: '2010-01-01' }), 201);
  return { dept, plan, area, metric, task, calendar, staff };
}

/** read(a, rec): {version, value} as a client sees it now (ETag of the GET, or the tracked version for checks). */
async function read(a, r, rec) {
  if (typeof rec.get === 'function') return { version: rec.version, value: r.value(await rec.get()) };
  const res = await a.get(rec.path);
  const o = expectStatus(res, 200);
  return { version: versionOf(res, `${r.name}: GET ${rec.path}`), value: r.value(o) };
}

const edit = (a, rec, json, ifMatch) => a.req(rec.method || 'PATCH', rec.path,
  { json, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });

/** versionOf(res): the row_version in the ETag header, asserting its shape. */
function versionOf(res, what) {
  const etag = res.headers.get('etag');
  assert.match(etag || '', /^"[1-9]\d*"$/, `${what}: an ETag "<row_version>"${describe(res)}`);
  return Number(etag.slice(1, -1));
}

let fx;
let editor;      // a user with every role that edits (admin alone may not write plans, metrics, people ...)
const counts = { records: 0, stale: 0, current: 0, races: 0 };

test('fixtures', async () => {
  const a = await admin();
  const dept = expectStatus(await a.post('/api/v1/departments', { code: uniq('ime'), name: '并发编辑部', name_en: 'occ' }), 201);
  const username = uniq('ime');
  expectStatus(await a.post('/api/v1/users', { username, password: 'Occ-editor-pass-1', department_id: dept.id,
    roles: ['admin', 'approver', 'planner', 'hr', 'quality'] }), 201);
  editor = await login(username, 'Occ-editor-pass-1');
  fx = await fixtures(editor);
});

for (const r of RECORDS) {
  test(`If-Match on ${r.name}: stale → 409 and unchanged, current → 200 and +1, without → 200, a race → one winner`, async () => {
    const a = editor;
    const rec = await r.setup(a, fx);
    // Without If-Match the write proceeds (and creates the evaluation row, for a year without one).
    let res = await edit(a, rec, r.body(1));
    expectStatus(res, 200);
    let ver = versionOf(res, `${r.name}: the edit's reply`);
    if (rec.version !== undefined) rec.version = ver;
    let now = await read(a, r, rec);
    assert.equal(now.value, r.value(r.body(1)), `${r.name}: the edit without If-Match is there`);
    assert.equal(now.version, ver, `${r.name}: GET shows the version the write answered`);

    // Stale If-Match: 409 conflict, nothing written, the version unchanged.
    const stale = now.version > 1 ? now.version - 1 : now.version + 1;
    res = await edit(a, rec, r.body(2), `"${stale}"`);
    expectError(res, 409, 'conflict', 'If-Match');
    const after = await read(a, r, rec);
    assert.deepEqual(after, now, `${r.name}: a refused edit changes nothing`);
    counts.stale++;

    // Malformed If-Match: 400, nothing written.
    res = await edit(a, rec, r.body(2), 'yesterday');
    assert.equal(res.status, 400, `${r.name}: malformed If-Match${describe(res)}`);
    assert.deepEqual(await read(a, r, rec), now, `${r.name}: nothing written by a malformed If-Match`);

    // Current If-Match: 200 and version + 1.
    res = await edit(a, rec, r.body(3), `"${now.version}"`);
    expectStatus(res, 200);
    ver = versionOf(res, `${r.name}: the edit's reply`);
    assert.equal(ver, now.version + 1, `${r.name}: row_version + 1${describe(res)}`);
    if (rec.version !== undefined) rec.version = ver;
    const v3 = await read(a, r, rec);
    assert.equal(v3.version, now.version + 1);
    if (!r.sameValue) assert.equal(v3.value, r.value(r.body(3)), `${r.name}: the edit is there`);
    counts.current++;

    // Concurrent edits with the same If-Match: exactly one wins, the others are 409.
    const N = 5;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => edit(a, rec, r.body(10 + i), `"${v3.version}"`)));
    const ok = results.filter((x) => x.status === 200);
    const lost = results.filter((x) => x.status === 409);
    assert.equal(ok.length, 1, `${r.name}: exactly one of ${N} concurrent edits wins: ${results.map((x) => x.status)}` +
      (results.find((x) => x.status !== 200 && x.status !== 409) ? describe(results.find((x) => x.status !== 200 && x.status !== 409)) : ''));
    assert.equal(lost.length, N - 1, `${r.name}: the others are 409`);
    for (const l of lost) expectError(l, 409, 'conflict', 'If-Match');
    if (rec.version !== undefined) rec.version = versionOf(ok[0], `${r.name}: the winner's reply`);
    const fin = await read(a, r, rec);
    assert.equal(fin.version, v3.version + 1, `${r.name}: one increment for one winner`);
    if (!r.sameValue) {
      const winner = results.indexOf(ok[0]);
      assert.equal(fin.value, r.value(r.body(10 + winner)), `${r.name}: the winner's edit is the one kept`);
    }
    counts.races++;
    counts.records++;
  });
}

test('report', () => {
  console.log(`# if-match: ${counts.records} of ${RECORDS.length} editable records checked ` +
    `(${counts.stale} stale refusals, ${counts.current} current edits, ${counts.races} races of 5 with one winner)`);
  assert.equal(counts.records, RECORDS.length);
});
