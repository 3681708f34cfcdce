// Partners / agents (代理商) — profiles: who may write them (quality, planner), the contact phone masked for readers
// without customer.pii (a member, an auditor) in reads, lists and the audit log, validation naming the field, status
// transitions (nothing returns to candidate: 409 invalid_state), tickets linked to a partner, and refusals that change
// nothing. Independent of the assessment dimensions (partners_assessments.test.mjs changes those), so it may run in
// parallel with it. Works with partners, departments and tickets of its own.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, uniq } from './lib.mjs';

const P = '/api/v1/partners';
let adm, dept;
const u = {};
const c = {};

function profile(fields = {}) {
  return {
    name: `代理商 ${uniq('p')}`, region: '华东', qualifications: 'ITSS 三级；ISO 20000', industry_experience: '金融行业运维 8 年',
    contact_name: '王经理', contact_phone: '13812345678', contract_start: '2025-01-01', contract_end: '2027-12-31',
    selection_record: '2024 年 11 月公开比选，综合评分第一。', department_id: dept.id, ...fields,
  };
}

async function getP(id, who = 'quality') {
  return expectStatus(await c[who].get(`${P}/${id}`), 200);
}

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  const specs = {
    quality: { roles: ['quality'] }, planner: { roles: ['planner'] }, hr: { roles: ['hr'] },
    member: { roles: ['member'], department_id: dept.id }, auditor: { roles: ['auditor'] }, approver: { roles: ['approver'] },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const made = await createUser(adm, { department_id: null, ...spec, display_name: `代理商测试 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
});

test('quality and planner create profiles; the others may not; the profile reads back as written', async () => {
  const body = profile();
  const res = await c.quality.post(P, body);
  const p = expectStatus(res, 201);
  for (const k of Object.keys(body)) assert.deepEqual(p[k], body[k], `${k}${describe(res)}`);
  assert.equal(p.status, 'candidate', 'status defaults to candidate');
  assert.equal(p.pii_masked, false);
  assert.equal(p.department_name, dept.name);
  assert.deepEqual(p.latest_assessments, []);
  assert.deepEqual(p.ratings, []);
  assert.deepEqual(p.rewards, []);
  assert.equal(p.tickets_linked, 0);

  expectStatus(await c.planner.post(P, profile({ status: 'active' })), 201);
  for (const who of ['hr', 'member', 'auditor', 'approver']) {
    const name = `拒绝 ${uniq('x')}`;
    expectError(await c[who].post(P, profile({ name })), 403, 'forbidden');
    const list = expectStatus(await c.quality.get(`${P}?q=${encodeURIComponent(name)}`), 200);
    assert.equal(list.items.length, 0, `${who}: nothing created`);
  }
  expectError(await adm.post(P, profile()), 403, 'forbidden');
});

test('the contact phone is personal data: masked for a member and an auditor, in full for quality and planner', async () => {
  const p = expectStatus(await c.quality.post(P, profile({ contact_phone: '+86 139-0000-1234' })), 201);
  for (const who of ['member', 'auditor', 'hr', 'approver']) {
    const one = await getP(p.id, who);
    assert.equal(one.contact_phone, '861****1234', `${who}: masked`);
    assert.equal(one.pii_masked, true);
    const list = expectStatus(await c[who].get(`${P}?q=${encodeURIComponent(p.name)}`), 200);
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0].contact_phone, '861****1234', `${who}: masked in the list`);
  }
  for (const who of ['quality', 'planner']) {
    assert.equal((await getP(p.id, who)).contact_phone, '+86 139-0000-1234', `${who}: in full`);
  }
  // the audit log keeps the masked value only
  const audit = expectStatus(await adm.get(`/api/v1/audit?entity=partner&entity_id=${p.id}`), 200);
  assert.ok(audit.items.length >= 1);
  assert.ok(!JSON.stringify(audit.items).includes('139-0000-1234'), 'no full phone in the audit log');
});

test('validation names the field and writes nothing', async () => {
  const cases = [
    [{ contact_phone: 'call me' }, 'contact_phone'],
    [{ contract_start: '2027-01-01', contract_end: '2026-12-31' }, 'contract_end'],
    [{ contract_start: '2027-02-30' }, 'contract_start'],
    [{ department_id: 999999999 }, 'department_id'],
    [{ status: 'retired' }, 'status'],
    [{ name: '' }, 'name'],
    [{ colour: 'red' }, 'colour'],
  ];
  for (const [fields, field] of cases) {
    const body = profile(fields);
    expectError(await c.quality.post(P, body), 422, 'validation_failed', field);
    if (body.name) {
      const list = expectStatus(await c.quality.get(`${P}?q=${encodeURIComponent(body.name)}`), 200);
      assert.equal(list.items.length, 0, `${field}: nothing created`);
    }
  }
  const p = expectStatus(await c.quality.post(P, profile()), 201);
  expectError(await c.planner.post(P, profile({ name: p.name })), 409, 'conflict', 'name');
  const list = expectStatus(await c.quality.get(`${P}?q=${encodeURIComponent(p.name)}`), 200);
  assert.equal(list.items.length, 1, 'the duplicate was not created');
});

test('PATCH: fields and status transitions; refused changes leave the partner as it was', async () => {
  const p = expectStatus(await c.quality.post(P, profile()), 201);
  const other = expectStatus(await c.quality.post(P, profile()), 201);
  let res = await c.planner.patch(`${P}/${p.id}`, { status: 'active', region: '华南', contract_end: '2028-06-30' });
  let now = expectStatus(res, 200);
  assert.equal(now.status, 'active');
  assert.equal(now.region, '华南');
  assert.equal(now.contract_end, '2028-06-30');
  assert.equal(now.contact_phone, '13812345678', 'untouched fields stay');
  const before = await getP(p.id);

  expectError(await c.quality.patch(`${P}/${p.id}`, { status: 'candidate' }), 409, 'invalid_state', 'status');
  expectError(await c.quality.patch(`${P}/${p.id}`, { name: other.name }), 409, 'conflict', 'name');
  expectError(await c.quality.patch(`${P}/${p.id}`, { contract_start: '2029-01-01' }), 422, 'validation_failed', 'contract_start');
  expectError(await c.quality.patch(`${P}/${p.id}`, { contact_phone: '12' }), 422, 'validation_failed', 'contact_phone');
  expectError(await c.quality.patch(`${P}/${p.id}`, { name: null }), 422, 'validation_failed', 'name');
  expectError(await c.member.patch(`${P}/${p.id}`, { region: '西北' }), 403, 'forbidden');
  expectError(await c.quality.patch(`${P}/999999999`, { region: '西北' }), 404, 'not_found');
  assert.deepEqual(await getP(p.id), before, 'nothing changed');

  for (const [to, ok] of [['suspended', true], ['active', true], ['terminated', true], ['suspended', false], ['active', true]]) {
    res = await c.quality.patch(`${P}/${p.id}`, { status: to });
    if (ok) assert.equal(expectStatus(res, 200).status, to);
    else expectError(res, 409, 'invalid_state', 'status');
  }
  now = expectStatus(await c.quality.patch(`${P}/${p.id}`, { contract_start: null, contract_end: null, department_id: null }), 200);
  assert.equal(now.contract_start, null);
  assert.equal(now.department_id, null);
});

test('tickets are linked to a partner and unlinked; a bad id links nothing', async () => {
  const p = expectStatus(await c.quality.post(P, profile({ status: 'active' })), 201);
  const t1 = expectStatus(await c.quality.post('/api/v1/tickets', { priority: 'P3', opened_at: '2025-05-12T01:00:00Z',
    department_id: dept.id, title: '代理商工单 1' }), 201);
  const t2 = expectStatus(await c.quality.post('/api/v1/tickets', { priority: 'P3', opened_at: '2025-06-02T01:00:00Z',
    department_id: dept.id, title: '代理商工单 2' }), 201);

  expectError(await c.quality.post(`${P}/${p.id}/tickets`, { ticket_ids: [t1.id, 999999999] }), 422, 'validation_failed', 'ticket_ids[1]');
  expectError(await c.quality.post(`${P}/${p.id}/tickets`, { ticket_ids: [] }), 422, 'validation_failed', 'ticket_ids');
  expectError(await c.member.post(`${P}/${p.id}/tickets`, { ticket_ids: [t1.id] }), 403, 'forbidden');
  let list = expectStatus(await c.member.get(`${P}/${p.id}/tickets`), 200);
  assert.equal(list.items.length, 0, 'nothing linked by the refused calls');

  const res = await c.quality.post(`${P}/${p.id}/tickets`, { ticket_ids: [t1.id, t2.id] });
  const linked = expectStatus(res, 200);
  assert.deepEqual(linked.linked, [t1.id, t2.id]);
  list = expectStatus(await c.member.get(`${P}/${p.id}/tickets`), 200);
  assert.deepEqual(list.items.map((t) => t.id), [t1.id, t2.id]);
  list = expectStatus(await c.member.get(`${P}/${p.id}/tickets?from=2025-06-01&to=2025-06-30`), 200);
  assert.deepEqual(list.items.map((t) => t.id), [t2.id], 'the from/to filter is on opened_day');
  assert.equal((await getP(p.id)).tickets_linked, 2);

  // moving a ticket to another partner is reported
  const q = expectStatus(await c.quality.post(P, profile({ status: 'active' })), 201);
  const moved = expectStatus(await c.planner.post(`${P}/${q.id}/tickets`, { ticket_ids: [t2.id] }), 200);
  assert.deepEqual(moved.moved, [{ ticket_id: t2.id, from_partner_id: p.id }]);
  assert.equal((await getP(p.id)).tickets_linked, 1);

  expectStatus(await c.quality.del(`${P}/${p.id}/tickets/${t1.id}`), 200);
  expectError(await c.quality.del(`${P}/${p.id}/tickets/${t1.id}`), 404, 'not_found');
  assert.equal((await getP(p.id)).tickets_linked, 0);
});

test('lists filter by status, region and name; unknown partners are 404', async () => {
  const tag = uniq('f');
  const a = expectStatus(await c.quality.post(P, profile({ name: `筛选 ${tag} 甲`, region: '西南' })), 201);
  const b = expectStatus(await c.quality.post(P, profile({ name: `筛选 ${tag} 乙`, region: '西北', status: 'active' })), 201);
  let list = expectStatus(await c.auditor.get(`${P}?q=${encodeURIComponent(tag)}`), 200);
  assert.deepEqual(list.items.map((x) => x.id), [a.id, b.id]);
  assert.equal(list.items[0].latest_assessment, null);
  list = expectStatus(await c.auditor.get(`${P}?q=${encodeURIComponent(tag)}&status=active`), 200);
  assert.deepEqual(list.items.map((x) => x.id), [b.id]);
  list = expectStatus(await c.auditor.get(`${P}?q=${encodeURIComponent(tag)}&region=${encodeURIComponent('西南')}`), 200);
  assert.deepEqual(list.items.map((x) => x.id), [a.id]);
  list = expectStatus(await c.auditor.get(`${P}?q=${encodeURIComponent(tag)}&limit=1`), 200);
  assert.equal(list.items.length, 1);
  assert.equal(typeof list.next_cursor, 'string');
  expectError(await c.auditor.get(`${P}?status=retired`), 422, 'validation_failed', 'status');
  expectError(await c.auditor.get(`${P}/999999999`), 404, 'not_found');
});

test('rewards recorded for a partner through POST /rewards are shown with the partner', async () => {
  const p = expectStatus(await c.quality.post(P, profile({ status: 'active' })), 201);
  const res = await c.quality.post('/api/v1/rewards', { kind: 'reward', partner_id: p.id, reason: '客户满意度奖励：年度回访满意度 4.8 分',
    cause_type: 'other', amount: 5000 });
  const r = expectStatus(res, 201);
  let one = await getP(p.id, 'member');
  assert.equal(one.rewards.length, 1, describe(res));
  assert.equal(one.rewards[0].id, r.id);
  assert.equal(one.rewards[0].kind, 'reward');
  assert.equal(one.rewards[0].amount, 5000);
  assert.equal(one.rewards[0].status, 'pending');
  expectStatus(await c.approver.post(`/api/v1/rewards/${r.id}/approve`, { comment: '同意' }), 200);
  one = await getP(p.id, 'member');
  assert.equal(one.rewards[0].status, 'approved');
  assert.ok(one.rewards[0].decided_at);
});
