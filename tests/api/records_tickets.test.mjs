// Customers (客户档案) and tickets: personal data masked (a member sees 138****5678 and z***@example.com, quality the full
// values) in customer lists and reads and in the customer embedded in a ticket; ticket creation with the derived
// fields computed here independently (opened_day in the organisation's zone, whole minutes rounded down, NULL plus a
// warning for a timestamp before opened_at), the default status, the status history (first times set once, reopening
// counted), PATCH recomputing the derived fields, the list filters, the SLA view, the department scope of members,
// and refusals that change nothing. Works in departments and customers of its own.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, listAll, uniq, localDate } from './lib.mjs';

const T = '/api/v1/tickets';
const CU = '/api/v1/customers';
let adm, tz;
let deptA, deptB;
const u = {};
const c = {};

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const minutes = (a, b) => Math.floor((Date.parse(b) - Date.parse(a)) / 60000);
/** localDay(rfc3339): the date of that instant in the organisation's time zone. */
function localDay(t) {
  return localDate(tz, new Date(t));
}

async function getT(client, id) {
  return expectStatus(await client.get(`${T}/${id}`), 200);
}

before(async () => {
  adm = await admin();
  tz = expectStatus(await adm.get('/api/v1/settings'), 200).timezone || 'Asia/Shanghai';
  deptA = await createDepartment(adm);
  deptB = await createDepartment(adm);
  const specs = {
    member: { roles: ['member'], department_id: deptA.id },
    memberB: { roles: ['member'], department_id: deptB.id },
    quality: { roles: ['quality'], department_id: null },
    planner: { roles: ['planner'], department_id: null },
    auditor: { roles: ['auditor'], department_id: null },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const made = await createUser(adm, { ...spec, display_name: `工单测试 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
});

test('customers: phone and e-mail in full for customer.pii holders, masked for everyone else; shapes checked', async () => {
  const name = `客户 ${uniq('c')}`;
  const res = await c.quality.post(CU, { name, organisation: '某某银行', phone: '13812345678', email: 'zhang.san@example.com', notes: 'VIP' });
  const cust = expectStatus(res, 201);
  assert.equal(cust.phone, '13812345678', `quality sees the full phone${describe(res)}`);
  assert.equal(cust.email, 'zhang.san@example.com');
  assert.equal(cust.pii_masked, false);

  for (const who of ['member', 'auditor']) {
    const one = expectStatus(await c[who].get(`${CU}/${cust.id}`), 200);
    assert.equal(one.phone, '138****5678', `${who}: masked phone`);
    assert.equal(one.email, 'z***@example.com', `${who}: masked e-mail`);
    assert.equal(one.pii_masked, true);
    const all = await listAll(c[who], `${CU}?q=${encodeURIComponent(name)}`);
    assert.equal(all.length, 1, `${who}: the list finds the customer by name`);
    assert.equal(all[0].phone, '138****5678', `${who}: masked in the list`);
    assert.equal(all[0].email, 'z***@example.com');
  }
  for (const who of ['planner', 'quality']) {
    const one = expectStatus(await c[who].get(`${CU}/${cust.id}`), 200);
    assert.equal(one.phone, '13812345678', `${who}: full phone`);
  }
  // the audit log (read by the auditor, who has no customer.pii) keeps the masked values only, and so does the
  // server's log: personal data is never written out in full outside the customers table
  const trail = await listAll(c.auditor, `/api/v1/audit?entity=customer&entity_id=${cust.id}`);
  assert.ok(trail.length >= 1, 'the creation is audited');
  const trailText = JSON.stringify(trail);
  assert.doesNotMatch(trailText, /13812345678|zhang\.san@/, 'no full phone or e-mail in the audit trail');
  assert.match(trailText, /138\*\*\*\*5678/);
  const logFile = process.env.NENGLI_ARTIFACTS && path.join(process.env.NENGLI_ARTIFACTS, 'server.log');
  if (logFile && existsSync(logFile)) {
    assert.doesNotMatch(readFileSync(logFile, 'utf8'), /13812345678|zhang\.san@example/, 'no personal data in the server log');
  }
  // short numbers keep only their last two digits; formatted numbers are masked on their digits
  const short = expectStatus(await c.quality.post(CU, { name: `短号 ${uniq('c')}`, phone: '12345' }), 201);
  assert.equal(expectStatus(await c.member.get(`${CU}/${short.id}`), 200).phone, '***45');
  const intl = expectStatus(await c.quality.post(CU, { name: `国际 ${uniq('c')}`, phone: '+86 138-1234-5678' }), 201);
  assert.equal(expectStatus(await c.member.get(`${CU}/${intl.id}`), 200).phone, '861****5678');

  // validation names the field; a refusal changes nothing
  expectError(await c.quality.post(CU, { name: 'x', phone: '138abc' }), 422, 'validation_failed', 'phone');
  expectError(await c.quality.post(CU, { name: 'x', phone: '12' }), 422, 'validation_failed', 'phone');
  expectError(await c.quality.post(CU, { name: 'x', email: 'not-an-address' }), 422, 'validation_failed', 'email');
  expectError(await c.quality.post(CU, { name: 'x', email: 'a@b' }), 422, 'validation_failed', 'email');
  expectError(await c.quality.post(CU, { organisation: 'no name' }), 422, 'validation_failed', 'name');
  expectError(await c.quality.patch(`${CU}/${cust.id}`, { email: 'bad@' }), 422, 'validation_failed', 'email');
  expectError(await c.auditor.post(CU, { name: 'x' }), 403, 'forbidden');
  const same = expectStatus(await c.quality.get(`${CU}/${cust.id}`), 200);
  assert.equal(same.email, 'zhang.san@example.com');
  assert.equal(same.updated_at, cust.updated_at);

  // PATCH
  const p = expectStatus(await c.quality.patch(`${CU}/${cust.id}`, { phone: '13900001111', notes: '' }), 200);
  assert.equal(p.phone, '13900001111');
  assert.equal(p.notes, '');
  assert.equal(p.name, name);
  expectError(await c.quality.get(`${CU}/999999999`), 404, 'not_found');

  // the audit log never holds the full phone or e-mail
  const audit = expectStatus(await adm.get(`/api/v1/audit?entity=customer&entity_id=${cust.id}`), 200);
  assert.ok(audit.items.length >= 2, 'create and update audited');
  const text = JSON.stringify(audit.items);
  assert.ok(!text.includes('13812345678') && !text.includes('13900001111') && !text.includes('zhang.san@'),
    `no personal data in the audit log: ${text.slice(0, 400)}`);
});

test('a ticket: derived fields computed from its times; the customer embedded masked per reader; audit row', async () => {
  const cust = expectStatus(await c.quality.post(CU, { name: `张三 ${uniq('c')}`, phone: '13812345678', email: 'zhang@example.com' }), 201);
  const opened = '2027-03-01T15:59:30Z';                 // 23:59:30 in Shanghai: the local day is 2027-03-01
  const body = {
    external_id: uniq('EXT'), source: 'crm', channel: 'phone', category: '网络', priority: 'P2', title: '网络中断',
    department_id: deptA.id, customer_id: cust.id, opened_at: opened,
    assigned_at: '2027-03-01T16:00:29Z',                 // 59 s → 0 minutes
    first_response_at: '2027-03-01T16:31:29Z',           // 31 min 59 s → 31
    resolved_at: '2027-03-02T04:00:00Z',
    reassignment_count: 2, reopen_count: 0,
  };
  const res = await c.quality.post(T, body);
  const t = expectStatus(res, 201);
  assert.equal(t.status, 'resolved', `default status from resolved_at${describe(res)}`);
  assert.equal(t.opened_day, localDay(opened));
  assert.equal(t.wait_minutes, minutes(opened, body.assigned_at));
  assert.equal(t.wait_minutes, 0);
  assert.equal(t.response_minutes, minutes(opened, body.first_response_at));
  assert.equal(t.response_minutes, 31);
  assert.equal(t.resolution_minutes, minutes(opened, body.resolved_at));
  assert.deepEqual(t.warnings, []);
  assert.equal(t.source, 'crm');
  assert.equal(t.reassignment_count, 2);
  for (const k of ['sla_policy_id', 'business_response_minutes', 'business_resolution_minutes', 'sla_response_met', 'sla_resolution_met'])
    assert.ok(k in t, `${k} present`);
  assert.equal(t.customer.phone, '13812345678', 'quality sees the customer in full');
  assert.deepEqual(t.events.map((e) => e.status), ['new', 'resolved']);
  assert.equal(t.events[0].at, opened);
  assert.equal(t.rating, null);

  const seen = await getT(c.member, t.id);
  assert.equal(seen.customer.phone, '138****5678', 'a member sees the embedded customer masked');
  assert.equal(seen.customer.email, 'z***@example.com');
  assert.equal(seen.customer.pii_masked, true);

  // duplicates of (source, external_id) are refused
  expectError(await c.quality.post(T, body), 409, 'conflict', 'external_id');
  // audit row
  const audit = expectStatus(await adm.get(`/api/v1/audit?entity=ticket&entity_id=${t.id}`), 200);
  assert.equal(audit.items.length, 1);
  assert.equal(audit.items[0].action, 'create');

  // default source and external id; default status from the times
  const bare = expectStatus(await c.quality.post(T, { priority: 'P4', opened_at: '2027-03-05T01:00:00Z', department_id: deptA.id }), 201);
  assert.equal(bare.source, 'nengli');
  assert.equal(bare.external_id, `NL-${bare.id}`);
  assert.equal(bare.status, 'new');
  assert.equal(bare.response_minutes, null);
  const asg = expectStatus(await c.quality.post(T, { priority: 'P4', opened_at: '2027-03-05T01:00:00Z', assigned_at: '2027-03-05T01:10:00Z' }), 201);
  assert.equal(asg.status, 'assigned');
  assert.equal(asg.department_id, null);
  const cl = expectStatus(await c.quality.post(T, { priority: 'P4', opened_at: '2027-03-05T01:00:00Z', closed_at: '2027-03-06T01:00:00Z' }), 201);
  assert.equal(cl.status, 'closed');
});

test('a timestamp before opened_at is accepted: its duration is NULL and the answer warns', async () => {
  const res = await c.quality.post(T, {
    priority: 'P3', department_id: deptA.id, opened_at: '2027-04-01T08:00:00Z',
    first_response_at: '2027-04-01T07:55:00Z', resolved_at: '2027-04-01T09:00:00Z',
  });
  const t = expectStatus(res, 201);
  assert.equal(t.response_minutes, null, `negative response left out${describe(res)}`);
  assert.equal(t.resolution_minutes, 60);
  assert.equal(t.warnings.length, 1);
  assert.match(t.warnings[0], /first_response_at is before opened_at/);
  assert.equal(t.business_response_minutes, null, 'not measured either');
  // reads carry the warning too
  assert.deepEqual((await getT(c.auditor, t.id)).warnings, t.warnings);
});

test('the status history: first times set once, reopening counted, wrong moves refused without change', async () => {
  const opened = '2027-05-10T01:00:00Z';
  let t = expectStatus(await c.member.post(T, { priority: 'P2', department_id: deptA.id, opened_at: opened, title: '状态流转' }), 201);
  assert.equal(t.status, 'new');
  const S = `${T}/${t.id}/status`;
  const steps = [
    ['assigned', '2027-05-10T01:05:00Z'],
    ['in_progress', '2027-05-10T01:20:30Z'],
    ['waiting_customer', '2027-05-10T02:00:00Z'],
    ['in_progress', '2027-05-10T03:00:00Z'],
    ['resolved', '2027-05-10T05:00:00Z'],
    ['closed', '2027-05-11T05:00:00Z'],
    ['in_progress', '2027-05-12T01:00:00Z'],     // reopened
    ['resolved', '2027-05-12T02:00:00Z'],
  ];
  for (const [status, at] of steps) {
    const res = await c.member.post(S, { status, at, note: `→ ${status}` });
    t = expectStatus(res, 200);
    assert.equal(t.status, status, describe(res));
  }
  assert.equal(t.assigned_at, '2027-05-10T01:05:00Z');
  assert.equal(t.first_response_at, '2027-05-10T01:20:30Z');
  assert.equal(t.resolved_at, '2027-05-10T05:00:00Z', 'the first resolution is kept');
  assert.equal(t.closed_at, '2027-05-11T05:00:00Z');
  assert.equal(t.reopen_count, 1);
  assert.equal(t.wait_minutes, 5);
  assert.equal(t.response_minutes, minutes(opened, '2027-05-10T01:20:30Z'));
  assert.equal(t.resolution_minutes, 240);
  assert.deepEqual(t.events.map((e) => e.status), ['new', ...steps.map((s) => s[0])]);
  assert.deepEqual(t.events.slice(1).map((e) => e.at), steps.map((s) => s[1]));
  assert.equal(t.events[1].note, '→ assigned');
  assert.equal(t.events[1].actor, u.member.username);

  // refusals: the same status, back to new, a time before the last change, a status that does not exist
  expectError(await c.member.post(S, { status: 'resolved' }), 409, 'invalid_state', 'status');
  expectError(await c.member.post(S, { status: 'new' }), 409, 'invalid_state', 'status');
  expectError(await c.member.post(S, { status: 'closed', at: '2027-05-12T01:30:00Z' }), 422, 'validation_failed', 'at');
  expectError(await c.member.post(S, { status: 'done' }), 422, 'validation_failed', 'status');
  expectError(await c.memberB.post(S, { status: 'closed' }), 403, 'forbidden');
  expectError(await c.auditor.post(S, { status: 'closed' }), 403, 'forbidden');
  const after = await getT(c.auditor, t.id);
  assert.equal(after.updated_at, t.updated_at, 'refusals changed nothing');
  assert.equal(after.events.length, t.events.length);

  // the SLA view
  const sla = expectStatus(await c.auditor.get(`${T}/${t.id}/sla`), 200);
  assert.equal(sla.ticket_id, t.id);
  assert.ok(sla.timeline && typeof sla.timeline === 'object', 'a timeline');
  assert.equal(sla.sla_policy_id, t.sla_policy_id);
  expectError(await c.auditor.get(`${T}/999999999/sla`), 404, 'not_found');
});

test('PATCH recomputes the derived fields; members stay in their department', async () => {
  let t = expectStatus(await c.member.post(T, { priority: 'P3', department_id: deptA.id, opened_at: '2027-06-01T00:00:00Z',
    resolved_at: '2027-06-01T02:00:00Z' }), 201);
  assert.equal(t.resolution_minutes, 120);
  let res = await c.member.patch(`${T}/${t.id}`, { opened_at: '2027-05-31T23:00:30Z', priority: 'P1', title: '改了' });
  t = expectStatus(res, 200);
  assert.equal(t.resolution_minutes, minutes('2027-05-31T23:00:30Z', '2027-06-01T02:00:00Z'), describe(res));
  assert.equal(t.opened_day, localDay('2027-05-31T23:00:30Z'));
  assert.equal(t.priority, 'P1');
  assert.equal(t.title, '改了');
  // clearing a timestamp
  t = expectStatus(await c.member.patch(`${T}/${t.id}`, { resolved_at: null }), 200);
  assert.equal(t.resolved_at, null);
  assert.equal(t.resolution_minutes, null);

  // member scope: not into another department, not on another department's ticket, not without a department
  expectError(await c.member.patch(`${T}/${t.id}`, { department_id: deptB.id }), 403, 'forbidden');
  expectError(await c.member.post(T, { priority: 'P3', department_id: deptB.id, opened_at: '2027-06-01T00:00:00Z' }), 403, 'forbidden');
  expectError(await c.member.post(T, { priority: 'P3', opened_at: '2027-06-01T00:00:00Z' }), 403, 'forbidden');
  const tb = expectStatus(await c.memberB.post(T, { priority: 'P3', department_id: deptB.id, opened_at: '2027-06-01T00:00:00Z' }), 201);
  expectError(await c.member.patch(`${T}/${tb.id}`, { title: 'x' }), 403, 'forbidden');
  expectError(await c.auditor.patch(`${T}/${tb.id}`, { title: 'x' }), 403, 'forbidden');
  // quality may move it
  const moved = expectStatus(await c.quality.patch(`${T}/${tb.id}`, { department_id: deptA.id }), 200);
  assert.equal(moved.department_id, deptA.id);
  // validation
  expectError(await c.quality.patch(`${T}/${tb.id}`, { opened_at: 'yesterday' }), 422, 'validation_failed', 'opened_at');
  expectError(await c.quality.patch(`${T}/${tb.id}`, { department_id: 999999999 }), 422, 'validation_failed', 'department_id');
  expectError(await c.quality.patch(`${T}/${tb.id}`, { customer_id: 999999999 }), 422, 'validation_failed', 'customer_id');
  expectError(await c.quality.patch(`${T}/${tb.id}`, { status: 'closed' }), 422, 'validation_failed', 'status');
  expectError(await c.quality.post(T, { priority: 'P5', opened_at: '2027-06-01T00:00:00Z' }), 422, 'validation_failed', 'priority');
  expectError(await c.quality.post(T, { priority: 'P3' }), 422, 'validation_failed', 'opened_at');
  expectError(await c.quality.post(T, { priority: 'P3', opened_at: '2027-06-01 00:00' }), 422, 'validation_failed', 'opened_at');
  const still = await getT(c.quality, tb.id);
  assert.equal(still.updated_at, moved.updated_at, 'refused PATCHes changed nothing');
  expectError(await c.quality.get(`${T}/999999999`), 404, 'not_found');
});

test('the measures engine sees a ticket leave one department and arrive in another (both pairs marked dirty)', async () => {
  const d1 = await createDepartment(adm);
  const d2 = await createDepartment(adm);
  const count = async (dept) => {
    const res = await c.auditor.get(`/api/v1/kpis?from=2027-08-01&to=2027-08-31&period=month&department_id=${dept.id}&measures=tickets`);
    const body = expectStatus(res, 200);
    const row = body.items.find((r) => r.department_id === dept.id);
    return row ? row.values.tickets : undefined;
  };
  const a = expectStatus(await c.quality.post(T, { priority: 'P2', department_id: d1.id, opened_at: '2027-08-10T02:00:00Z' }), 201);
  expectStatus(await c.quality.post(T, { priority: 'P2', department_id: d1.id, opened_at: '2027-08-11T02:00:00Z' }), 201);
  assert.equal(await count(d1), 2);
  assert.ok(!(await count(d2)), 'no tickets in d2 yet');
  expectStatus(await c.quality.patch(`${T}/${a.id}`, { department_id: d2.id }), 200);
  assert.equal(await count(d1), 1, 'the old department lost it');
  assert.equal(await count(d2), 1, 'the new department has it');
  // a move in time: out of August
  expectStatus(await c.quality.patch(`${T}/${a.id}`, { opened_at: '2027-09-01T02:00:00Z' }), 200);
  assert.ok(!(await count(d2)), 'August of d2 is empty again');
});

test('the list: department, dates (inclusive, on opened_day), status, priority, source, text; paging', async () => {
  const dept = await createDepartment(adm);
  const src = uniq('src').replace(/[^a-z0-9]/g, '');
  const made = [];
  const specs = [
    ['2027-07-01T00:30:00Z', 'P1', null], ['2027-07-01T16:30:00Z', 'P2', '2027-07-02T00:00:00Z'],
    ['2027-07-03T03:00:00Z', 'P2', null], ['2027-07-05T03:00:00Z', 'P3', '2027-07-05T04:00:00Z'],
  ];
  for (const [i, [opened, priority, resolved]] of specs.entries()) {
    made.push(expectStatus(await c.quality.post(T, { priority, department_id: dept.id, opened_at: opened, resolved_at: resolved,
      source: src, external_id: `L-${i}`, title: i === 2 ? '打印机卡纸' : `工单 ${i}` }), 201));
  }
  const q = (s) => listAll(c.auditor, `${T}?department_id=${dept.id}${s}`);
  assert.deepEqual((await q('')).map((t) => t.id), made.map((t) => t.id));
  const days = made.map((t) => t.opened_day);
  const from = days[1], to = days[2];
  const expect = made.filter((t) => t.opened_day >= from && t.opened_day <= to).map((t) => t.id);
  assert.deepEqual((await q(`&from=${from}&to=${to}`)).map((t) => t.id), expect);
  assert.deepEqual((await q('&status=resolved')).map((t) => t.id), made.filter((t) => t.status === 'resolved').map((t) => t.id));
  assert.deepEqual((await q('&priority=P2')).map((t) => t.id), [made[1].id, made[2].id]);
  assert.deepEqual((await q(`&source=${src}`)).length, 4);
  assert.deepEqual((await q(`&q=${encodeURIComponent('打印机')}`)).map((t) => t.id), [made[2].id]);
  assert.deepEqual((await q('&q=L-3')).map((t) => t.id), [made[3].id]);
  // paging: limit 1 walks every ticket once
  assert.deepEqual((await listAll(c.auditor, `${T}?department_id=${dept.id}`, { limit: 1 })).map((t) => t.id), made.map((t) => t.id));
  expectError(await c.auditor.get(`${T}?status=done`), 400, 'bad_request', 'status');
  expectError(await c.auditor.get(`${T}?from=2027-13-01`), 400, 'bad_request', 'from');
});
