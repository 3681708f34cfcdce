// Complaints (投诉): register → verify → answer → rectify → archive, reopening, with the roles' permissions (a member
// registers, quality handles, a member may not verify), wrong-state steps (409 invalid_state) that change nothing,
// answered-in-time derived from the deadline, the customer's personal data masked for a member, and the periodic analysis
// (定期进行分析和总结) checked against an independent computation in JavaScript from the complaints as listed.
// Works in departments of its own; the analysis uses complaints received in a random past year no other test uses.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, listAll, localDate } from './lib.mjs';

const C = '/api/v1/complaints';
let adm;
let deptA, deptB;
const u = {};
const c = {};

/** iso(seconds): RFC 3339 UTC without fraction. */
function iso(sec) {
  return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
const nowSec = () => Math.floor(Date.now() / 1000);

async function getC(id) {
  return expectStatus(await c.auditor.get(`${C}/${id}`), 200);
}

/** Asserts that a refused step left the complaint as it was. */
async function assertUnchanged(before, what) {
  const now = await getC(before.id);
  for (const k of ['status', 'valid', 'findings', 'answer', 'answered_at', 'last_answered_at', 'rectification', 'archived_at',
    'reopen_count', 'updated_at']) {
    assert.deepEqual(now[k], before[k], `${what}: ${k} unchanged`);
  }
  assert.equal(now.history.length, before.history.length, `${what}: no history row added`);
}

async function register(client, fields = {}) {
  const body = { channel: 'phone', category: '服务态度', content: '客户投诉：工程师未按约定时间上门。', department_id: deptA.id, ...fields };
  return expectStatus(await client.post(C, body), 201);
}

before(async () => {
  adm = await admin();
  deptA = await createDepartment(adm);
  deptB = await createDepartment(adm);
  const specs = {
    member: { roles: ['member'], department_id: deptA.id },
    quality: { roles: ['quality'], department_id: null },
    planner: { roles: ['planner'], department_id: null },
    auditor: { roles: ['auditor'], department_id: null },
    hr: { roles: ['hr'], department_id: deptA.id },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const made = await createUser(adm, { ...spec, display_name: `投诉测试 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
});

test('a valid complaint: member registers, quality verifies, answers, rectifies, archives; reopening; refusals change nothing', async () => {
  const received = nowSec() - 3600;
  let k = await register(c.member, { received_at: iso(received) });
  assert.equal(k.status, 'registered');
  assert.equal(k.valid, null);
  assert.equal(k.created_by, u.member.id);
  assert.equal(k.department_id, deptA.id);
  assert.equal(k.received_at, iso(received));
  assert.equal(k.answer_deadline, iso(received + 48 * 3600), 'default deadline: received_at + 48 calendar hours');
  assert.equal(k.answered_in_time, null, 'not answered, deadline not passed');
  assert.equal(k.answer_overdue, false);
  assert.deepEqual(k.history.map((h) => [h.action, h.from_status, h.to_status]), [['register', null, 'registered']]);

  // wrong role: a member, an hr user and an auditor may not handle complaints
  expectError(await c.member.post(`${C}/${k.id}/verify`, { valid: true, findings: '属实' }), 403, 'forbidden');
  expectError(await c.hr.post(`${C}/${k.id}/answer`, { content: 'x' }), 403, 'forbidden');
  expectError(await c.auditor.post(`${C}/${k.id}/archive`, {}), 403, 'forbidden');
  await assertUnchanged(k, 'member verify');
  // wrong state: answer, rectify, archive, reopen before verification
  for (const [step, body] of [['answer', { content: '答复' }], ['rectify', { content: '整改' }], ['archive', {}], ['reopen', { reason: 'r' }]]) {
    expectError(await c.quality.post(`${C}/${k.id}/${step}`, body), 409, 'invalid_state');
  }
  await assertUnchanged(k, 'steps before verify');
  // bad bodies
  expectError(await c.quality.post(`${C}/${k.id}/verify`, { findings: '属实' }), 422, 'validation_failed', 'valid');
  expectError(await c.quality.post(`${C}/${k.id}/verify`, { valid: true, findings: '' }), 422, 'validation_failed', 'findings');
  expectError(await c.quality.post(`${C}/${k.id}/verify`, { valid: 'yes', findings: 'x' }), 422, 'validation_failed', 'valid');
  await assertUnchanged(k, 'bad verify bodies');

  k = expectStatus(await c.quality.post(`${C}/${k.id}/verify`, { valid: true, findings: '经核实，工程师迟到两小时，投诉属实。' }), 200);
  assert.equal(k.status, 'verified');
  assert.equal(k.valid, true);
  assert.equal(k.verifier_user_id, u.quality.id);
  assert.match(k.verified_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  expectError(await c.quality.post(`${C}/${k.id}/rectify`, { content: '整改' }), 409, 'invalid_state');
  expectError(await c.quality.post(`${C}/${k.id}/archive`, {}), 409, 'invalid_state');
  await assertUnchanged(k, 'rectify/archive before the answer');

  k = expectStatus(await c.quality.post(`${C}/${k.id}/answer`, { content: '已电话致歉并重新安排上门。' }), 200);
  assert.equal(k.status, 'answered');
  assert.equal(k.answered_by, u.quality.id);
  assert.equal(k.answered_in_time, true);
  assert.equal(k.answered_at, k.last_answered_at);
  const firstAnswer = k.answered_at;

  // a valid complaint is rectified before it is archived
  const e = expectError(await c.quality.post(`${C}/${k.id}/archive`, {}), 409, 'invalid_state');
  assert.match(e.message, /rectif/i);
  expectError(await c.quality.post(`${C}/${k.id}/answer`, { content: '再答复' }), 409, 'invalid_state');
  await assertUnchanged(k, 'archive a valid answered complaint');

  k = expectStatus(await c.planner.post(`${C}/${k.id}/rectify`, { content: '加强工程师守时培训，排班预留路途时间。' }), 200);
  assert.equal(k.status, 'rectified');
  assert.ok(k.rectified_at);
  k = expectStatus(await c.quality.post(`${C}/${k.id}/archive`, { note: '归档' }), 200);
  assert.equal(k.status, 'archived');
  assert.ok(k.archived_at);
  expectError(await c.quality.post(`${C}/${k.id}/archive`, {}), 409, 'invalid_state');
  expectError(await c.quality.post(`${C}/${k.id}/reopen`, {}), 422, 'validation_failed', 'reason');
  expectError(await c.member.post(`${C}/${k.id}/reopen`, { reason: '客户不满意' }), 403, 'forbidden');
  await assertUnchanged(k, 'refusals on an archived complaint');

  // reopen: back to verified, archived_at cleared, counted; the first answer's time stays
  k = expectStatus(await c.quality.post(`${C}/${k.id}/reopen`, { reason: '客户对整改结果不满意' }), 200);
  assert.equal(k.status, 'verified');
  assert.equal(k.reopen_count, 1);
  assert.equal(k.archived_at, null);
  assert.equal(k.valid, true, 'the verdict stays until verified again');
  // verify again (the verdict may change while verified), answer again
  k = expectStatus(await c.quality.post(`${C}/${k.id}/verify`, { valid: true, findings: '复核：仍属实' }), 200);
  k = expectStatus(await c.quality.post(`${C}/${k.id}/answer`, { content: '第二次答复' }), 200);
  assert.equal(k.answered_at, firstAnswer, 'answered_at keeps the first answer');
  assert.ok(k.last_answered_at >= firstAnswer);
  assert.equal(k.answer, '第二次答复');

  const full = await getC(k.id);
  assert.deepEqual(full.history.map((h) => [h.action, h.from_status, h.to_status]), [
    ['register', null, 'registered'], ['verify', 'registered', 'verified'], ['answer', 'verified', 'answered'],
    ['rectify', 'answered', 'rectified'], ['archive', 'rectified', 'archived'], ['reopen', 'archived', 'verified'],
    ['verify', 'verified', 'verified'], ['answer', 'verified', 'answered'],
  ]);
  assert.equal(full.history[0].actor_user_id, u.member.id);
  assert.equal(full.history[3].actor_user_id, u.planner.id);
  assert.equal(full.history[5].note, '客户对整改结果不满意');
  assert.equal(full.history[1].note, '经核实，工程师迟到两小时，投诉属实。');
  assert.equal(full.history[1].valid, true);
});

test('an invalid complaint goes answer → archive; rectifying it is refused', async () => {
  let k = await register(c.planner, { category: '收费' });
  k = expectStatus(await c.quality.post(`${C}/${k.id}/verify`, { valid: false, findings: '按合同收费，投诉不成立。' }), 200);
  assert.equal(k.valid, false);
  k = expectStatus(await c.quality.post(`${C}/${k.id}/answer`, { content: '已向客户解释收费标准。' }), 200);
  const e = expectError(await c.quality.post(`${C}/${k.id}/rectify`, { content: '整改' }), 409, 'invalid_state');
  assert.match(e.message, /invalid/i);
  await assertUnchanged(k, 'rectify an invalid complaint');
  k = expectStatus(await c.quality.post(`${C}/${k.id}/archive`, {}), 200);
  assert.equal(k.status, 'archived');
  assert.equal(k.rectification, '');
});

test('answered in time is derived from the deadline: default 48 h, or the deadline given', async () => {
  const now = nowSec();
  // received three days ago: the default deadline (48 h) has passed
  let late = await register(c.member, { received_at: iso(now - 72 * 3600) });
  assert.equal(late.answer_deadline, iso(now - 24 * 3600));
  assert.equal(late.answered_in_time, false, 'deadline passed, no answer');
  assert.equal(late.answer_overdue, true);
  late = expectStatus(await c.quality.post(`${C}/${late.id}/verify`, { valid: true, findings: 'f' }), 200);
  late = expectStatus(await c.quality.post(`${C}/${late.id}/answer`, { content: 'a' }), 200);
  assert.equal(late.answered_in_time, false);
  assert.equal(late.answer_overdue, false);
  assert.ok(late.answered_at > late.answer_deadline);

  // received three days ago with a deadline a week later: in time
  let ok = await register(c.member, { received_at: iso(now - 72 * 3600), answer_deadline: iso(now + 4 * 86400) });
  assert.equal(ok.answered_in_time, null);
  ok = expectStatus(await c.quality.post(`${C}/${ok.id}/verify`, { valid: false, findings: 'f' }), 200);
  ok = expectStatus(await c.quality.post(`${C}/${ok.id}/answer`, { content: 'a' }), 200);
  assert.equal(ok.answered_in_time, true);

  // received now, deadline one second after: answered later than that
  let tight = await register(c.member, { received_at: iso(now - 10), answer_deadline: iso(now - 9) });
  tight = expectStatus(await c.quality.post(`${C}/${tight.id}/verify`, { valid: true, findings: 'f' }), 200);
  tight = expectStatus(await c.quality.post(`${C}/${tight.id}/answer`, { content: 'a' }), 200);
  assert.equal(tight.answered_in_time, false);

  // a deadline before the complaint, a complaint from the future: refused, nothing written
  const before = await listAll(c.auditor, `${C}?department_id=${deptB.id}`);
  expectError(await c.member.post(C, { channel: 'web', category: 'c', content: 'x', department_id: deptB.id,
    received_at: iso(now - 3600), answer_deadline: iso(now - 7200) }), 422, 'validation_failed', 'answer_deadline');
  expectError(await c.member.post(C, { channel: 'web', category: 'c', content: 'x', department_id: deptB.id,
    received_at: iso(now + 86400) }), 422, 'validation_failed', 'received_at');
  expectError(await c.member.post(C, { channel: 'web', category: 'c', content: 'x', department_id: deptB.id,
    received_at: '2027-03-01 08:00' }), 422, 'validation_failed', 'received_at');
  assert.equal((await listAll(c.auditor, `${C}?department_id=${deptB.id}`)).length, before.length);
});

test('registration: validation names the field, roles, the related ticket and department, 404s', async () => {
  const base = { channel: 'email', category: '响应速度', content: '响应太慢', department_id: deptB.id };
  const cnt = async () => (await listAll(c.auditor, `${C}?department_id=${deptB.id}`)).length;
  const n0 = await cnt();
  expectError(await c.member.post(C, { ...base, channel: undefined }), 422, 'validation_failed', 'channel');
  expectError(await c.member.post(C, { ...base, category: '' }), 422, 'validation_failed', 'category');
  expectError(await c.member.post(C, { ...base, content: undefined }), 422, 'validation_failed', 'content');
  expectError(await c.member.post(C, { ...base, colour: 'red' }), 422, 'validation_failed', 'colour');
  expectError(await c.member.post(C, { ...base, department_id: 99999999 }), 422, 'validation_failed', 'department_id');
  expectError(await c.member.post(C, { ...base, customer_id: 99999999 }), 422, 'validation_failed', 'customer_id');
  expectError(await c.member.post(C, { ...base, ticket_id: 99999999 }), 422, 'validation_failed', 'ticket_id');
  expectError(await c.auditor.post(C, base), 403, 'forbidden');
  expectError(await c.hr.post(C, base), 403, 'forbidden');
  assert.equal(await cnt(), n0, 'nothing registered');
  for (const step of ['verify', 'answer', 'rectify', 'archive', 'reopen']) {
    const body = { verify: { valid: true, findings: 'f' }, answer: { content: 'a' }, rectify: { content: 'r' }, archive: {}, reopen: { reason: 'r' } }[step];
    expectError(await c.quality.post(`${C}/99999999/${step}`, body), 404, 'not_found');
  }
  expectError(await c.auditor.get(`${C}/99999999`), 404, 'not_found');
  expectError(await c.auditor.get(`${C}?status=open`), 400, 'bad_request', 'status');
  expectError(await c.auditor.get(`${C}?from=2027-02-30`), 400, 'bad_request', 'from');

  // filters
  const k1 = await register(c.member, { ...base, category: '响应速度-过滤' });
  const k2 = await register(c.member, { ...base, category: '其他-过滤' });
  await c.quality.post(`${C}/${k2.id}/verify`, { valid: true, findings: 'f' });
  const byCat = await listAll(c.auditor, `${C}?department_id=${deptB.id}&category=${encodeURIComponent('响应速度-过滤')}`);
  assert.deepEqual(byCat.map((x) => x.id), [k1.id]);
  const byStatus = await listAll(c.auditor, `${C}?department_id=${deptB.id}&status=verified`);
  assert.ok(byStatus.some((x) => x.id === k2.id) && !byStatus.some((x) => x.id === k1.id));
  const today = k1.received_day;
  const byDay = await listAll(c.auditor, `${C}?department_id=${deptB.id}&from=${today}&to=${today}`);
  assert.ok(byDay.some((x) => x.id === k1.id));
  assert.ok(!byDay.some((x) => x.received_day !== today));
});

test("the customer's phone and e-mail are masked for a member, in full for quality", async () => {
  const res = await adm.post('/api/v1/customers', { name: '王小明', organisation: '示例银行', phone: '13812345678', email: 'wang.xm@example.com' });
  const cust = expectStatus(res, 201);
  const k = await register(c.member, { customer_id: cust.id });
  assert.equal(k.customer_id, cust.id);
  for (const [who, masked] of [['member', true], ['auditor', true], ['hr', true], ['quality', false], ['planner', false]]) {
    const one = expectStatus(await c[who].get(`${C}/${k.id}`), 200);
    const inList = (await listAll(c[who], `${C}?customer_id=${cust.id}`)).find((x) => x.id === k.id);
    for (const got of [one, inList]) {
      assert.equal(got.customer.name, '王小明', `${who}: name`);
      assert.equal(got.customer.pii_masked, masked, `${who}: pii_masked`);
      if (masked) {
        assert.equal(got.customer.phone, '138****5678', `${who}: phone masked`);
        assert.equal(got.customer.email, 'w***@example.com', `${who}: e-mail masked`);
        const text = JSON.stringify(got);
        assert.ok(!text.includes('13812345678') && !text.includes('wang.xm@'), `${who}: no full value anywhere${text}`);
      } else {
        assert.equal(got.customer.phone, '13812345678', `${who}: phone in full`);
        assert.equal(got.customer.email, 'wang.xm@example.com', `${who}: e-mail in full`);
      }
    }
  }
});

/* ---- analysis ----------------------------------------------------------------------------------------------------- */

function periodOf(day, kind) {
  const y = day.slice(0, 4);
  const m = Number(day.slice(5, 7));
  if (kind === 'year') return y;
  if (kind === 'quarter') return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  return `${y}-${String(m).padStart(2, '0')}`;
}
function periodsBetween(from, to, kind) {
  const out = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = periodOf(to, kind);
  for (;;) {
    const p = periodOf(`${y}-${String(m).padStart(2, '0')}-01`, kind);
    if (!out.includes(p)) out.push(p);
    if (p === last) return out;
    m += kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
    while (m > 12) { m -= 12; y += 1; }
  }
}
const share4 = (n, d) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

/** The analysis row of a set of complaints (as listed by GET /complaints), computed here. */
function expectedRow(list) {
  const inTime = (k) => k.answered_at !== null && k.answered_at <= k.answer_deadline;
  const group = (keyOf, extra) => {
    const m = new Map();
    for (const k of list) {
      const key = keyOf(k);
      if (!m.has(key)) m.set(key, { ...extra(k), complaints: 0, valid: 0, answered_in_time: 0 });
      const g = m.get(key);
      g.complaints += 1;
      g.valid += k.valid === true ? 1 : 0;
      g.answered_in_time += inTime(k) ? 1 : 0;
    }
    return m;
  };
  const sortBy = (m, cmp) => [...m.entries()].sort(cmp).map(([, v]) => v);
  const idCmp = (a, b) => (a[0] ?? 0) - (b[0] ?? 0);
  const cats = group((k) => k.category, (k) => ({ category: k.category }));
  const depts = group((k) => k.department_id, (k) => ({ department_id: k.department_id, department: k.department }));
  const partners = group((k) => k.partner_id, (k) => ({ partner_id: k.partner_id }));
  const perCustomer = new Map();
  for (const k of list) if (k.customer_id !== null) perCustomer.set(k.customer_id, (perCustomer.get(k.customer_id) || 0) + 1);
  const repeats = [...perCustomer.entries()].filter(([, n]) => n > 1)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id, n]) => ({ customer_id: id, complaints: n }));
  const valid = list.filter((k) => k.valid === true).length;
  const invalid = list.filter((k) => k.valid === false).length;
  const it = list.filter(inTime).length;
  return {
    complaints: list.length, verified: valid + invalid, valid, invalid, unverified: list.length - valid - invalid,
    valid_share: share4(valid, list.length), answered: list.filter((k) => k.answered_at !== null).length,
    answered_in_time: it, answered_in_time_share: share4(it, list.length),
    archived: list.filter((k) => k.status === 'archived').length,
    repeat_customers: repeats.length, repeat_complaints: repeats.reduce((s, r) => s + r.complaints, 0), repeats,
    by_category: sortBy(cats, (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    by_department: sortBy(depts, idCmp),
    by_partner: sortBy(partners, idCmp),
  };
}

function compareRow(got, want, what) {
  for (const k of ['complaints', 'verified', 'valid', 'invalid', 'unverified', 'valid_share', 'answered', 'answered_in_time',
    'answered_in_time_share', 'archived', 'repeat_customers', 'repeat_complaints', 'by_category', 'by_department', 'by_partner']) {
    assert.deepEqual(got[k], want[k], `${what}: ${k}`);
  }
  assert.deepEqual(got.repeats.map((r) => ({ customer_id: r.customer_id, complaints: r.complaints })), want.repeats, `${what}: repeats`);
}

test('the analysis per month, quarter and year matches an independent computation from the complaints', async () => {
  const Y = 1971 + Math.floor(Math.random() * 45);            // a past year of its own
  const at = (m, d, h = 4) => iso(Date.UTC(Y, m - 1, d, h) / 1000);
  // two customers, for repeat complaints
  const custs = [];
  for (const name of ['李雷', '韩梅梅']) custs.push(expectStatus(await adm.post('/api/v1/customers', { name, organisation: '分析测试' }), 201).id);
  const cu = (i) => custs[i];
  const P1 = 700000 + Math.floor(Math.random() * 100000);
  const P2 = P1 + 1;
  // [month, day, dept, category, partner, customer, verdict (true/false/null), answer? , deadline far (in time)?, archive?]
  const plan = [
    [1, 5, deptA, '服务态度', P1, cu(0), true, true, true, false],
    [1, 9, deptA, '服务态度', P1, cu(0), false, true, false, true],
    [1, 20, deptB, '响应速度', null, cu(1), true, true, true, false],
    [1, 31, deptB, '收费', P2, null, null, false, false, false],
    [2, 1, deptA, '响应速度', P2, cu(0), true, false, false, false],
    [2, 14, deptA, '服务态度', null, cu(1), false, true, true, true],
    [3, 3, deptB, '服务态度', P1, cu(1), true, true, false, false],
    [3, 30, deptA, '收费', null, null, null, false, true, false],
    [5, 12, deptB, '响应速度', P1, cu(0), false, false, false, false],
    [12, 31, deptA, '服务态度', P2, cu(0), true, true, true, false],
  ];
  const made = [];
  for (const [m, d, dept, category, partner_id, customer_id, verdict, answer, far, archive] of plan) {
    const body = { channel: 'phone', category, content: `分析测试 ${m}-${d}`, department_id: dept.id, partner_id, customer_id,
      received_at: at(m, d) };
    if (far) body.answer_deadline = iso(Date.UTC(2999, 0, 1) / 1000);
    let k = await register(c.member, body);
    if (verdict !== null) k = expectStatus(await c.quality.post(`${C}/${k.id}/verify`, { valid: verdict, findings: 'f' }), 200);
    if (answer) k = expectStatus(await c.quality.post(`${C}/${k.id}/answer`, { content: 'a' }), 200);
    if (archive) {
      if (verdict) await c.quality.post(`${C}/${k.id}/rectify`, { content: 'r' });
      k = expectStatus(await c.quality.post(`${C}/${k.id}/archive`, {}), 200);
    }
    made.push(k);
  }
  // 31 Dec at 20:00Z is 1 Jan of the next year in Shanghai: received_day follows the organisation's time zone
  const settings = expectStatus(await adm.get('/api/v1/settings'), 200);
  const late = await register(c.member, { category: '时区', content: 'tz', department_id: deptA.id, received_at: at(12, 31, 20) });
  const localDay = localDate(settings.timezone, new Date(Date.UTC(Y, 11, 31, 20)));
  assert.equal(late.received_day, localDay);

  const from = `${Y}-01-01`;
  const to = `${Y}-12-31`;
  // the raw records, as any reader lists them (every complaint of the range, whoever made it)
  const all = await listAll(c.auditor, `${C}?from=${from}&to=${to}`);
  assert.ok(made.every((k) => all.some((x) => x.id === k.id)), 'the complaints made are listed');
  for (const kind of ['month', 'quarter', 'year']) {
    const res = await c.member.get(`${C}/analysis?from=${from}&to=${to}&period=${kind}`);
    const body = expectStatus(res, 200);
    assert.equal(body.period, kind);
    const labels = periodsBetween(from, to, kind);
    assert.deepEqual(body.periods.map((p) => p.period), labels, `${kind}: every period listed${describe(res)}`);
    for (const row of body.periods) {
      compareRow(row, expectedRow(all.filter((k) => periodOf(k.received_day, kind) === row.period)), `${kind} ${row.period}`);
    }
    compareRow(body.total, expectedRow(all), `${kind} total`);
    // sums agree
    for (const row of body.periods) {
      for (const g of ['by_category', 'by_department', 'by_partner']) {
        assert.equal(row[g].reduce((s, x) => s + x.complaints, 0), row.complaints, `${kind} ${row.period} ${g} sums`);
      }
    }
  }
  // spot checks an auditor would make by hand (this test's complaints are the only ones of year Y)
  const q1 = expectStatus(await c.auditor.get(`${C}/analysis?from=${from}&to=${Y}-03-31&period=quarter`), 200);
  assert.equal(q1.periods.length, 1);
  const mine = all.filter((k) => k.received_day <= `${Y}-03-31`);
  assert.equal(mine.length, 8, 'only this test received complaints in its year');
  assert.equal(q1.periods[0].complaints, 8);
  assert.equal(q1.periods[0].valid, 4);
  assert.equal(q1.periods[0].valid_share, 0.5);
  assert.equal(q1.periods[0].answered_in_time, 3);     // answered with the far deadline: 1-05, 1-20, 2-14
  assert.equal(q1.periods[0].answered_in_time_share, 0.375);
  assert.equal(q1.periods[0].repeat_customers, 2);
  assert.equal(q1.periods[0].repeat_complaints, 6);
  assert.deepEqual(q1.periods[0].repeats.map((r) => [r.customer_id, r.complaints, r.customer]),
    [[custs[0], 3, '李雷'], [custs[1], 3, '韩梅梅']]);
  // one department only
  const onlyA = expectStatus(await c.auditor.get(`${C}/analysis?from=${from}&to=${to}&period=year&department_id=${deptA.id}`), 200);
  compareRow(onlyA.total, expectedRow(all.filter((k) => k.department_id === deptA.id)), 'department A');
  // refusals
  expectError(await c.auditor.get(`${C}/analysis?to=${to}`), 400, 'bad_request', 'from');
  expectError(await c.auditor.get(`${C}/analysis?from=${from}`), 400, 'bad_request', 'to');
  expectError(await c.auditor.get(`${C}/analysis?from=${to}&to=${from}`), 400, 'bad_request', 'to');
  expectError(await c.auditor.get(`${C}/analysis?from=${from}&to=${to}&period=week`), 400, 'bad_request', 'period');
  expectError(await c.auditor.get(`${C}/analysis?from=1900-01-01&to=2100-12-31&period=month`), 400, 'bad_request', 'to');
});
