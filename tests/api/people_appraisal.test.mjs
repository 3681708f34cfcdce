// People: appraisals on configurable weighted criteria. The criteria (attitude, quality, efficiency by default) are
// replaced by hr with PUT; weights that do not sum to 100 are refused naming `weight`, a bad entry naming `[i].weight`.
// An appraisal must score every criterion 0..100 (422 naming `scores.<key>`); its total is Σ score × weight ÷ 100 to
// one decimal and its grade A ≥ 90, B ≥ 80, C ≥ 60, D. Members read their own department's appraisals only: another
// department's list is 403, another department's staff record comes without appraisals.
// The criteria are global: this file restores the defaults at the end (no other file writes them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, listAll } from './lib.mjs';

const DEFAULTS = [
  { key: 'attitude', name: '工作态度', name_en: 'Attitude', weight: 30 },
  { key: 'quality', name: '工作质量', name_en: 'Quality', weight: 40 },
  { key: 'efficiency', name: '工作效率', name_en: 'Efficiency', weight: 30 },
];
const YEAR = 2003 + Math.floor(Math.random() * 17);

let adm, hr, memberA, memberB, planner, auditor, approver;
let deptA, deptB;
const staff = {};

before(async () => {
  adm = await admin();
  deptA = await createDepartment(adm);
  deptB = await createDepartment(adm);
  const mk = async (roles, dept) => {
    const u = await createUser(adm, { roles, department_id: dept ? dept.id : null });
    return login(u.username, u.password);
  };
  hr = await mk(['hr'], deptA);
  memberA = await mk(['member'], deptA);
  memberB = await mk(['member'], deptB);
  planner = await mk(['planner'], deptB);
  auditor = await mk(['auditor'], null);
  approver = await mk(['approver'], null);
  for (const [name, dept] of [['甲', deptA], ['乙', deptA], ['丙', deptB]]) {
    staff[name] = expectStatus(await hr.post('/api/v1/staff', { name, department_id: dept.id, hired_on: '2000-01-01' }), 201);
  }
  // start from the documented defaults whatever ran before
  expectStatus(await hr.put('/api/v1/appraisal-criteria', DEFAULTS), 200);
});

after(async () => {
  if (hr) await hr.put('/api/v1/appraisal-criteria', DEFAULTS);
});

const strip = (items) => items.map(({ key, name, name_en, weight }) => ({ key, name, name_en, weight }));

test('the criteria: read by everyone, replaced by hr; wrong weights are refused with the field named and change nothing', async () => {
  let res = await memberB.get('/api/v1/appraisal-criteria');
  assert.deepEqual(strip(expectStatus(res, 200).items), DEFAULTS);
  const bad = [
    [[{ key: 'a', name: 'A', weight: 50 }, { key: 'b', name: 'B', weight: 40 }], 'weight'],
    [[{ key: 'a', name: 'A', weight: 70 }, { key: 'b', name: 'B', weight: 40 }], 'weight'],
    [[{ key: 'a', name: 'A', weight: 100 }, { key: 'b', name: 'B', weight: 0 }], '[1].weight'],
    [[{ key: 'a', name: 'A', weight: 110 }, { key: 'b', name: 'B', weight: -10 }], '[0].weight'],
    [[{ key: 'a', name: 'A', weight: '60' }, { key: 'b', name: 'B', weight: 40 }], '[0].weight'],
    [[{ key: 'a', name: 'A', weight: 60 }, { key: 'b', name: 'B' }], '[1].weight'],
    [[{ key: 'a', name: 'A', weight: 60 }, { key: 'a', name: 'B', weight: 40 }], '[1].key'],
    [[{ key: 'Not OK', name: 'A', weight: 100 }], '[0].key'],
    [[{ key: 'a', name: 'A', weight: 100, colour: 'red' }], '[0].colour'],
    [[], 'weight'],
    [{ items: [{ key: 'a', name: 'A', weight: 100 }, { key: 'b', name: 'B', weight: 0 }] }, 'items[1].weight'],
  ];
  for (const [body, field] of bad) expectError(await hr.put('/api/v1/appraisal-criteria', body), 422, 'validation_failed', field);
  expectError(await hr.put('/api/v1/appraisal-criteria', undefined, { body: '[{' , headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
  expectError(await memberA.put('/api/v1/appraisal-criteria', DEFAULTS), 403, 'forbidden');
  expectError(await planner.put('/api/v1/appraisal-criteria', DEFAULTS), 403, 'forbidden');
  res = await auditor.get('/api/v1/appraisal-criteria');
  assert.deepEqual(strip(expectStatus(res, 200).items), DEFAULTS, 'unchanged after the refusals');
  // a valid replacement (the {"items"} form a GET returns is accepted too), then back
  const four = [{ key: 'attitude', name: '态度', weight: 20 }, { key: 'quality', name: '质量', weight: 40 },
    { key: 'efficiency', name: '效率', weight: 25.5 }, { key: 'teamwork', name: '协作', weight: 14.5 }];
  res = await hr.put('/api/v1/appraisal-criteria', { items: four });
  assert.deepEqual(expectStatus(res, 200).items.map((c) => [c.key, c.weight]), four.map((c) => [c.key, c.weight]));
  const audit = expectStatus(await adm.get('/api/v1/audit?entity=appraisal_criteria&limit=5'), 200).items;
  assert.ok(audit.length > 0 && audit[0].action === 'update', 'the change is audited');
  expectStatus(await hr.put('/api/v1/appraisal-criteria', DEFAULTS), 200);
});

test('an appraisal with wrong criteria or scores is refused naming the field; nothing is recorded', async () => {
  const s = staff['甲'];
  const bad = [
    [{ staff_id: s.id, period: `${YEAR}-Q1`, scores: { attitude: 90, quality: 80 } }, 'scores.efficiency'],
    [{ staff_id: s.id, period: `${YEAR}-Q1`, scores: { attitude: 90, quality: 80, efficiency: 70, charm: 99 } }, 'scores.charm'],
    [{ staff_id: s.id, period: `${YEAR}-Q1`, scores: { attitude: 101, quality: 80, efficiency: 70 } }, 'scores.attitude'],
    [{ staff_id: s.id, period: `${YEAR}-Q1`, scores: { attitude: 90, quality: -1, efficiency: 70 } }, 'scores.quality'],
    [{ staff_id: s.id, period: `${YEAR}-Q1`, scores: { attitude: 90, quality: '80', efficiency: 70 } }, 'scores.quality'],
    [{ staff_id: s.id, period: `${YEAR}-H1`, scores: { attitude: 90, quality: 80, efficiency: 70 } }, 'period'],
    [{ staff_id: s.id, period: '1999', scores: { attitude: 90, quality: 80, efficiency: 70 } }, 'period'],
    [{ staff_id: 999999999, period: `${YEAR}-Q1`, scores: { attitude: 90, quality: 80, efficiency: 70 } }, 'staff_id'],
    [{ staff_id: s.id, period: `${YEAR}-Q1`, scores: [90, 80, 70] }, 'scores'],
  ];
  for (const [body, field] of bad) expectError(await hr.post('/api/v1/appraisals', body), 422, 'validation_failed', field);
  expectError(await memberA.post('/api/v1/appraisals', { staff_id: s.id, period: `${YEAR}-Q1`, scores: { attitude: 90, quality: 80, efficiency: 70 } }),
    403, 'forbidden');
  assert.deepEqual(expectStatus(await hr.get(`/api/v1/appraisals?staff_id=${s.id}`), 200).items, []);
});

test('weighted totals and grades at the boundaries', async () => {
  // [period, scores (attitude, quality, efficiency), total, grade] with weights 30 / 40 / 30
  const cases = [
    [`${YEAR}-01`, [60, 60, 60], 60, 'C'],
    [`${YEAR}-02`, [59.9, 59.9, 59.9], 59.9, 'D'],
    [`${YEAR}-03`, [79.9, 79.9, 79.9], 79.9, 'C'],
    [`${YEAR}-04`, [80, 80, 80], 80, 'B'],
    [`${YEAR}-05`, [89.9, 89.9, 89.9], 89.9, 'B'],
    [`${YEAR}-06`, [90, 90, 90], 90, 'A'],
    [`${YEAR}-07`, [90, 80, 70], 80, 'B'],              // 27 + 32 + 21
    [`${YEAR}-08`, [95, 89, 85.5], 89.8, 'B'],          // 89.75 rounds half up
    [`${YEAR}-09`, [59.99, 59.99, 59.99], 60, 'C'],     // shown as 60.0, graded as shown
    [`${YEAR}-Q4`, [100, 100, 100], 100, 'A'],
    [`${YEAR}`, [0, 0, 0], 0, 'D'],
  ];
  for (const [period, [a, q, e], total, grade] of cases) {
    const res = await hr.post('/api/v1/appraisals', { staff_id: staff['甲'].id, period, scores: { attitude: a, quality: q, efficiency: e },
      comment: `测试 ${period}` });
    const ap = expectStatus(res, 201);
    assert.ok(Math.abs(ap.total - total) < 1e-9, `${period}: total ${ap.total} = ${total}${describe(res)}`);
    assert.equal(ap.grade, grade, `${period}: grade${describe(res)}`);
    assert.deepEqual(ap.weights, { attitude: 30, quality: 40, efficiency: 30 });
    assert.equal(ap.period, period);
    assert.equal(ap.department_id, deptA.id);
  }
  // one per staff member and period
  expectError(await hr.post('/api/v1/appraisals', { staff_id: staff['甲'].id, period: `${YEAR}-01`, scores: { attitude: 1, quality: 1, efficiency: 1 } }),
    409, 'conflict', 'period');
  // hr re-scores one with the weights stored on it
  const list = expectStatus(await hr.get(`/api/v1/appraisals?staff_id=${staff['甲'].id}&period=${YEAR}-02`), 200).items;
  assert.equal(list.length, 1);
  const up = expectStatus(await hr.patch(`/api/v1/appraisals/${list[0].id}`, { scores: { attitude: 90, quality: 90, efficiency: 90 } }), 200);
  assert.equal(up.total, 90);
  assert.equal(up.grade, 'A');
  const grades = expectStatus(await hr.get(`/api/v1/appraisals?staff_id=${staff['甲'].id}&grade=A&year=${YEAR}`), 200).items;
  assert.deepEqual(grades.map((g) => g.period).sort(), [`${YEAR}-02`, `${YEAR}-06`, `${YEAR}-Q4`].sort());
});

test('members read their own department\'s appraisals, not another department\'s (403); staff records hide them', async () => {
  expectStatus(await hr.post('/api/v1/appraisals', { staff_id: staff['丙'].id, period: `${YEAR}`, scores: { attitude: 80, quality: 80, efficiency: 80 } }), 201);
  // member of A: own department fine, B forbidden
  const own = expectStatus(await memberA.get(`/api/v1/appraisals?department_id=${deptA.id}`), 200).items;
  assert.ok(own.length >= 11 && own.every((a) => a.department_id === deptA.id), `${own.length} of department A`);
  expectError(await memberA.get(`/api/v1/appraisals?department_id=${deptB.id}`), 403, 'forbidden');
  expectError(await memberA.get(`/api/v1/appraisals?staff_id=${staff['丙'].id}`), 403, 'forbidden');
  // without a filter: only their department's
  const mine = await listAll(memberA, '/api/v1/appraisals');
  assert.ok(mine.length > 0 && mine.every((a) => a.department_id === deptA.id), 'an unfiltered list is scoped');
  // one appraisal of department B by id: 403 for member A, 200 for member B and the planner of B
  const b = expectStatus(await memberB.get(`/api/v1/appraisals?department_id=${deptB.id}`), 200).items;
  assert.equal(b.length, 1);
  expectError(await memberA.get(`/api/v1/appraisals/${b[0].id}`), 403, 'forbidden');
  expectStatus(await memberB.get(`/api/v1/appraisals/${b[0].id}`), 200);
  expectStatus(await planner.get(`/api/v1/appraisals/${b[0].id}`), 200);
  expectError(await planner.get(`/api/v1/appraisals?department_id=${deptA.id}`), 403, 'forbidden');
  // auditor and approver read everything
  expectStatus(await auditor.get(`/api/v1/appraisals?department_id=${deptB.id}`), 200);
  expectStatus(await approver.get(`/api/v1/appraisals/${b[0].id}`), 200);
  // the staff record: member A sees 丙 without appraisals, 甲 with them
  const other = expectStatus(await memberA.get(`/api/v1/staff/${staff['丙'].id}`), 200);
  assert.equal(other.appraisals_visible, false);
  assert.equal(other.appraisals, undefined);
  assert.equal(other.name, '丙', 'the staff record itself is readable');
  const mineRec = expectStatus(await memberA.get(`/api/v1/staff/${staff['甲'].id}`), 200);
  assert.equal(mineRec.appraisals_visible, true);
  assert.ok(mineRec.appraisals.length >= 11);
  const bRec = expectStatus(await memberB.get(`/api/v1/staff/${staff['丙'].id}`), 200);
  assert.equal(bRec.appraisals.length, 1);
});

test('hr deletes an appraisal recorded by mistake; the delete is audited', async () => {
  const ap = expectStatus(await hr.post('/api/v1/appraisals', { staff_id: staff['乙'].id, period: `${YEAR}-Q2`,
    scores: { attitude: 70, quality: 70, efficiency: 70 } }), 201);
  expectError(await memberA.del(`/api/v1/appraisals/${ap.id}`), 403, 'forbidden');
  assert.equal(expectStatus(await hr.del(`/api/v1/appraisals/${ap.id}`), 200).id, ap.id);
  expectError(await hr.get(`/api/v1/appraisals/${ap.id}`), 404, 'not_found');
  const rows = expectStatus(await adm.get(`/api/v1/audit?entity=appraisal&entity_id=${ap.id}`), 200).items;
  assert.deepEqual(rows.map((r) => r.action).sort(), ['create', 'delete']);
});
