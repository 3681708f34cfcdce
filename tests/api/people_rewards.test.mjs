// People: rewards and penalties (奖惩) for a staff member or a partner, linked to a cause (complaint, metric, partner
// assessment, innovation, other), approved through the generic approval mechanism with one step for the approver.
// A reward is proposed, the proposer cannot approve it (even holding the approver role), the approver approves it and
// it appears in the audit log; a rejection needs a comment; the proposer may withdraw a pending one; refused calls
// change nothing (read back).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, listAll, localDate } from './lib.mjs';

const TODAY = process.env.NENGLI_TODAY ||
  localDate('Asia/Shanghai', new Date());

let adm, hr, hrApprover, approver, quality, member, memberOther, auditor;
let dept, deptOther, person, personOther;
let uHrApprover, uApprover;

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  deptOther = await createDepartment(adm);
  const mk = async (roles, d, name) => {
    const u = await createUser(adm, { roles, department_id: d ? d.id : null, display_name: name });
    return [u.user, await login(u.username, u.password)];
  };
  [, hr] = await mk(['hr'], dept, '人事');
  [uHrApprover, hrApprover] = await mk(['hr', 'approver'], dept, '人事兼审批');
  [uApprover, approver] = await mk(['approver'], null, '分管副总');
  [, quality] = await mk(['quality'], dept, '质量');
  [, member] = await mk(['member'], dept, '本部门员工');
  [, memberOther] = await mk(['member'], deptOther, '外部门员工');
  [, auditor] = await mk(['auditor'], null, '审核员');
  person = expectStatus(await hr.post('/api/v1/staff', { name: '周涛', department_id: dept.id, hired_on: '2015-03-01', post: '二线专家' }), 201);
  personOther = expectStatus(await hr.post('/api/v1/staff', { name: '钱勇', department_id: deptOther.id, hired_on: '2016-03-01' }), 201);
});

async function read(id, client = auditor) {
  return expectStatus(await client.get(`/api/v1/rewards/${id}`), 200);
}

test('a reward is proposed pending with its approval; the proposer cannot approve it; the approver approves; it is audited', async () => {
  let res = await hrApprover.post('/api/v1/rewards', {
    kind: 'reward', staff_id: person.id, reason: '牵头批量事件处置，恢复时间缩短一半。', cause_type: 'other', amount: 3000, points: 10,
  });
  const r = expectStatus(res, 201);
  assert.equal(r.status, 'pending');
  assert.equal(r.kind, 'reward');
  assert.equal(r.staff_id, person.id);
  assert.equal(r.staff_name, '周涛');
  assert.equal(r.department_id, dept.id);
  assert.equal(r.partner_id, null);
  assert.equal(r.amount, 3000);
  assert.equal(r.points, 10);
  assert.equal(r.created_by, uHrApprover.id);
  assert.equal(r.proposed_on, TODAY);
  assert.ok(r.approval_id > 0);
  const full = await read(r.id);
  assert.equal(full.approval.status, 'pending');
  assert.equal(full.approval.entity, 'reward');
  assert.equal(full.approval.entity_id, r.id);
  assert.deepEqual(full.approval.steps.map((s) => [s.role, s.status]), [['approver', 'pending']]);
  // the approver is reminded
  const notes = expectStatus(await approver.get('/api/v1/notifications'), 200).items;
  assert.ok(notes.some((n) => n.kind === 'approval_pending' && n.entity === 'reward' && n.entity_id === r.id), 'reminded');
  // the proposer holds the approver role but proposed it: 403; others without the role: 403
  expectError(await hrApprover.post(`/api/v1/rewards/${r.id}/approve`, { comment: '自己批' }), 403, 'forbidden');
  expectError(await hr.post(`/api/v1/rewards/${r.id}/approve`, {}), 403, 'forbidden');
  expectError(await quality.post(`/api/v1/rewards/${r.id}/approve`, {}), 403, 'forbidden');
  assert.equal((await read(r.id)).status, 'pending', 'still pending after the refusals');
  // the approver approves
  res = await approver.post(`/api/v1/rewards/${r.id}/approve`, { comment: '同意。' });
  const ok = expectStatus(res, 200);
  assert.equal(ok.status, 'approved');
  assert.ok(ok.decided_at);
  const after = await read(r.id);
  assert.equal(after.approval.status, 'approved');
  assert.equal(after.approval.steps[0].decided_by, uApprover.id);
  assert.equal(after.approval.steps[0].comment, '同意。');
  // decided: no second decision, no withdrawal
  expectError(await approver.post(`/api/v1/rewards/${r.id}/approve`, {}), 409, 'invalid_state');
  expectError(await approver.post(`/api/v1/rewards/${r.id}/reject`, { comment: '改主意' }), 409, 'invalid_state');
  expectError(await hrApprover.post(`/api/v1/rewards/${r.id}/cancel`, {}), 409, 'invalid_state');
  // the audit log holds the proposal and the approval, by the real users
  const rows = expectStatus(await auditor.get(`/api/v1/audit?entity=reward&entity_id=${r.id}`), 200).items;
  const actions = rows.map((x) => [x.action, x.actor_id]).sort();
  assert.deepEqual(actions, [['approve', uApprover.id], ['create', uHrApprover.id]].sort(), JSON.stringify(rows.map((x) => x.action)));
  const approveRow = rows.find((x) => x.action === 'approve');
  assert.equal(approveRow.before.status, 'pending');
  assert.equal(approveRow.after.status, 'approved');
  const appr = expectStatus(await auditor.get(`/api/v1/audit?entity=approval&entity_id=${r.approval_id}`), 200).items;
  assert.deepEqual(appr.map((x) => x.action).sort(), ['approve', 'request']);
});

test('a penalty is rejected with a comment (required); the proposer withdraws another', async () => {
  const p = expectStatus(await quality.post('/api/v1/rewards', {
    kind: 'penalty', staff_id: personOther.id, reason: '未走变更流程修改生产配置。', amount: 500,
  }), 201);
  assert.equal(p.cause_type, 'other');
  expectError(await approver.post(`/api/v1/rewards/${p.id}/reject`, {}), 422, 'validation_failed', 'comment');
  assert.equal((await read(p.id)).status, 'pending');
  const rej = expectStatus(await approver.post(`/api/v1/rewards/${p.id}/reject`, { comment: '事实不清，请补充变更记录。' }), 200);
  assert.equal(rej.status, 'rejected');
  assert.equal((await read(p.id)).approval.status, 'rejected');
  // withdrawal by the proposer only
  const w = expectStatus(await quality.post('/api/v1/rewards', { kind: 'reward', staff_id: person.id, reason: '测试撤回', points: 1 }), 201);
  expectError(await hr.post(`/api/v1/rewards/${w.id}/cancel`, {}), 403, 'forbidden');
  const c = expectStatus(await quality.post(`/api/v1/rewards/${w.id}/cancel`, { comment: '重复提交' }), 200);
  assert.equal(c.status, 'cancelled');
  assert.equal((await read(w.id)).approval.status, 'cancelled');
  expectError(await approver.post(`/api/v1/rewards/${w.id}/approve`, {}), 409, 'invalid_state');
  // filters
  const rejected = (await listAll(auditor, `/api/v1/rewards?status=rejected&staff_id=${personOther.id}`)).map((x) => x.id);
  assert.deepEqual(rejected, [p.id]);
  const year = Number(TODAY.slice(0, 4));
  const thisYear = (await listAll(auditor, `/api/v1/rewards?year=${year}&department_id=${dept.id}`)).map((x) => x.id);
  assert.ok(thisYear.includes(w.id) && !thisYear.includes(p.id), 'year and department filters');
  assert.deepEqual(await listAll(auditor, `/api/v1/rewards?year=${year - 30}&department_id=${dept.id}`), []);
  expectError(await auditor.get('/api/v1/rewards?status=done'), 400, 'bad_request', 'status');
});

test('exactly one of staff_id and partner_id; causes must exist; refused proposals change nothing', async () => {
  const before = (await listAll(auditor, `/api/v1/rewards?staff_id=${person.id}`)).length;
  const base = { kind: 'reward', reason: '理由' };
  const bad = [
    [{ ...base }, 'staff_id'],
    [{ ...base, staff_id: person.id, partner_id: 1 }, 'partner_id'],
    [{ ...base, staff_id: 999999999 }, 'staff_id'],
    [{ ...base, partner_id: 999999999 }, 'partner_id'],
    [{ ...base, staff_id: person.id, cause_type: 'complaint', cause_id: 999999999 }, 'cause_id'],
    [{ ...base, staff_id: person.id, cause_type: 'metric', cause_id: 999999999 }, 'cause_id'],
    [{ ...base, staff_id: person.id, cause_type: 'assessment', cause_id: 999999999 }, 'cause_id'],
    [{ ...base, staff_id: person.id, cause_type: 'innovation', cause_id: 999999999 }, 'cause_id'],
    [{ ...base, staff_id: person.id, cause_type: 'other', cause_id: 1 }, 'cause_id'],
    [{ ...base, staff_id: person.id, cause_type: 'luck' }, 'cause_type'],
    [{ ...base, staff_id: person.id, amount: -1 }, 'amount'],
    [{ ...base, staff_id: person.id, kind: 'bonus' }, 'kind'],
    [{ kind: 'reward', staff_id: person.id, reason: '' }, 'reason'],
  ];
  for (const [body, field] of bad) expectError(await hr.post('/api/v1/rewards', body), 422, 'validation_failed', field);
  expectError(await member.post('/api/v1/rewards', { ...base, staff_id: person.id }), 403, 'forbidden');
  expectError(await auditor.post('/api/v1/rewards', { ...base, staff_id: person.id }), 403, 'forbidden');
  assert.equal((await listAll(auditor, `/api/v1/rewards?staff_id=${person.id}`)).length, before, 'nothing proposed');
  // a metric that exists is a valid cause
  const q = await createUser(adm, { roles: ['quality'] });
  const qc = await login(q.username, q.password);
  const year = 2003 + Math.floor(Math.random() * 17);
  const metric = expectStatus(await qc.post('/api/v1/metrics', {
    year, code: `RW${Date.now() % 100000}`, name: '事件按时解决率', element: 'process', definition: '按时解决 ÷ 已解决', unit: 'ratio',
    direction: 'higher_better', target: 0.95, frequency: 'year', source: 'manual', owner_department_id: dept.id,
  }), 201);
  const linked = expectStatus(await hr.post('/api/v1/rewards', { ...base, staff_id: person.id, cause_type: 'metric', cause_id: metric.id }), 201);
  assert.equal(linked.cause_type, 'metric');
  assert.equal(linked.cause_id, metric.id);
});

test('who reads rewards: members their own department\'s staff (and partners\'), hr, approver and auditor all', async () => {
  const mine = await listAll(member, '/api/v1/rewards');
  assert.ok(mine.length > 0);
  assert.ok(mine.every((r) => r.staff_id === null || r.department_id === dept.id), 'member sees only department staff');
  const theirs = await listAll(memberOther, '/api/v1/rewards');
  assert.ok(theirs.every((r) => r.staff_id === null || r.department_id === deptOther.id));
  const r = (await listAll(auditor, `/api/v1/rewards?staff_id=${person.id}`))[0];
  expectError(await memberOther.get(`/api/v1/rewards/${r.id}`), 403, 'forbidden');
  expectStatus(await member.get(`/api/v1/rewards/${r.id}`), 200);
  expectStatus(await approver.get(`/api/v1/rewards/${r.id}`), 200);
});
