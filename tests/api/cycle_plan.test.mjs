// The annual capability plan and the generic approvals, on the whole-year scenario (the plan part):
// a planner drafts with items in all four elements, a review meeting asks for revision (submit refused), a second
// meeting passes, the plan is submitted, the approver rejects it (a comment is required), the planner edits, a new
// meeting passes (a rejection needs one), a planner who is also an approver resubmits and may not approve their own
// submission, the approver approves, the planner revises to v2 while v1 stays readable, and the history lists every
// action. Every call in the wrong state answers 409, by the wrong role 403, and changes nothing (read back).
// Also the catalogue of capability sub-areas, If-Match on PATCH /plans/{id}, and `nengli audit verify` at the end.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  admin, login, createUser, createDepartment, expectStatus, expectError, describe, uniq, env,
} from './lib.mjs';

const P = '/api/v1/plans';
const today = new Date().toISOString().slice(0, 10);

let adm;
let dept;
const u = {};        // role name → user
const c = {};        // role name → cookie client
let year;
let plan;            // the plan as last read
const items = {};    // element → item
let approvalId;

const REJECT_COMMENT = '人员培训目标不够具体，请补充考核方式。';
const APPROVE_COMMENT = '同意，按计划执行。';
const CHANGE_SUMMARY = '年中调整：增加容量管理措施。';

async function readPlan(client = c.planner) {
  return expectStatus(await client.get(`${P}/${plan.id}`), 200);
}

/** Asserts that the plan read back is the same as `snap` (status, version, row_version, items, meetings). */
async function assertUnchanged(snap, what) {
  const now = await readPlan();
  assert.equal(now.status, snap.status, `${what}: status unchanged`);
  assert.equal(now.version, snap.version, `${what}: version unchanged`);
  assert.equal(now.row_version, snap.row_version, `${what}: row_version unchanged`);
  assert.deepEqual(now.items, snap.items, `${what}: items unchanged`);
  assert.deepEqual(now.meetings, snap.meetings, `${what}: meetings unchanged`);
  assert.equal(now.title, snap.title, `${what}: title unchanged`);
}

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  const specs = {
    planner: ['planner'], approver: ['approver'], pa: ['approver', 'planner'], quality: ['quality'], member: ['member'],
    hr: ['hr'], auditor: ['auditor'],
  };
  for (const [name, roles] of Object.entries(specs)) {
    const made = await createUser(adm, { roles, department_id: dept.id, display_name: `计划测试 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
});

test('the catalogue of sub-areas is seeded for the four elements and maintained by planner/admin only', async () => {
  const all = expectStatus(await c.member.get('/api/v1/capability-areas?limit=500'), 200);
  const codes = all.items.map((a) => a.code);
  for (const code of ['people.staffing', 'people.posts', 'people.training', 'people.appraisal', 'people.skills',
    'resources.tools', 'resources.service_desk', 'resources.service_data', 'resources.spare_parts',
    'resources.knowledge_base', 'resources.dsl', 'technology.detection', 'technology.solving', 'technology.rnd',
    'process.service_level', 'process.reporting', 'process.incident', 'process.problem', 'process.configuration',
    'process.change', 'process.release', 'process.security', 'process.capacity', 'process.availability']) {
    assert.ok(codes.includes(code), `seeded area ${code}`);
  }
  const people = expectStatus(await c.member.get('/api/v1/capability-areas?element=people'), 200);
  assert.ok(people.items.every((a) => a.element === 'people'), 'filtered by element');
  const training = people.items.find((a) => a.code === 'people.training');
  assert.equal(training.name, '人员培训');
  assert.equal(training.active, true);
  expectError(await c.member.get('/api/v1/capability-areas?element=money'), 400, 'bad_request', 'element');

  const code = `people.${uniq('x').replace(/-/g, '_')}`;
  const body = { element: 'people', code, name: '值班制度', name_en: 'On-call rota' };
  expectError(await c.member.post('/api/v1/capability-areas', body), 403, 'forbidden');
  expectError(await c.quality.post('/api/v1/capability-areas', body), 403, 'forbidden');
  expectError(await c.planner.post('/api/v1/capability-areas', { ...body, code: `process.${code}` }), 422, 'validation_failed', 'code');
  const created = expectStatus(await c.planner.post('/api/v1/capability-areas', body), 201);
  assert.equal(created.code, code);
  assert.equal(created.active, true);
  assert.ok(created.sort > training.sort, 'a new area sorts after the seeded ones');
  expectError(await c.planner.post('/api/v1/capability-areas', body), 409, 'conflict', 'code');
  expectError(await c.planner.patch(`/api/v1/capability-areas/${created.id}`, { code: 'people.y' }), 422, 'validation_failed', 'code');
  expectError(await c.member.patch(`/api/v1/capability-areas/${created.id}`, { active: false }), 403, 'forbidden');
  const off = expectStatus(await adm.patch(`/api/v1/capability-areas/${created.id}`, { active: false, name: '值班' }), 200);
  assert.equal(off.active, false);
  assert.equal(off.name, '值班');
  const active = expectStatus(await c.member.get('/api/v1/capability-areas?element=people&active=true'), 200);
  assert.ok(!active.items.some((a) => a.code === code), 'an inactive area is not listed with active=true');
});

test('the planner drafts the plan for a year; other roles may not; a second plan for the year conflicts', async () => {
  const body = (y) => ({ year: y, title: `${y}年度服务能力管理计划` });
  // a year no other test file uses (the database is shared): retry on 409
  for (let attempt = 0; attempt < 40 && !plan; attempt++) {
    const y = 2031 + Math.floor(Math.random() * 69);
    for (const role of ['member', 'quality', 'approver', 'hr', 'auditor']) {
      expectError(await c[role].post(P, body(y)), 403, 'forbidden');
    }
    const res = await c.planner.post(P, body(y));
    if (res.status === 409) continue;
    plan = expectStatus(res, 201);
    year = y;
  }
  assert.ok(plan, 'created a plan');
  assert.equal(plan.year, year);
  assert.equal(plan.status, 'draft');
  assert.equal(plan.version, 1);
  assert.equal(plan.doc_number, `NL-CAP-${year}`);
  assert.equal(plan.row_version, 1);
  assert.equal(plan.prepared_by, u.planner.id);
  assert.deepEqual(plan.items, []);
  assert.deepEqual(plan.meetings, []);
  assert.equal(plan.approval, null);
  assert.deepEqual(plan.coverage, { people: 0, process: 0, technology: 0, resources: 0 });
  assert.equal(plan.can.submit, true);
  assert.equal(plan.can.approve, false);

  const dup = expectError(await c.planner.post(P, body(year)), 409, 'conflict', 'year');
  assert.match(dup.message, new RegExp(String(year)));
  expectError(await c.planner.post(P, { year: 1999, title: 'x' }), 422, 'validation_failed', 'year');
  expectError(await c.planner.post(P, { year }), 422, 'validation_failed', 'title');
  expectError(await c.planner.post(P, { year, title: 'x', status: 'approved' }), 422, 'validation_failed', 'status');

  const list = expectStatus(await c.auditor.get(`${P}?year=${year}`), 200);
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].id, plan.id);
  const hist = expectStatus(await c.member.get(`${P}/${plan.id}/history`), 200);
  assert.deepEqual(hist.items.map((h) => h.action), ['created']);
});

test('PATCH /plans/{id}: review and tracking sections, If-Match, roles', async () => {
  const patch = {
    review_achievements: '上年度 12 项指标达成 10 项。',
    review_problems: '1. 备件库存不足',
    review_carryover: '1. 建立备件库',
    tracking_plan: '质量管理部按季度跟踪执行。',
    tracking_frequency: 'quarter',
    tracking_checkpoints: '3月底、6月底、9月底、12月中',
    tracker_user_id: u.quality.id,
  };
  expectError(await c.member.patch(`${P}/${plan.id}`, patch), 403, 'forbidden');
  expectError(await c.approver.patch(`${P}/${plan.id}`, patch), 403, 'forbidden');
  expectError(await c.planner.patch(`${P}/${plan.id}`, { tracking_frequency: 'weekly' }), 422, 'validation_failed', 'tracking_frequency');
  expectError(await c.planner.patch(`${P}/${plan.id}`, { tracker_user_id: 987654321 }), 422, 'validation_failed', 'tracker_user_id');
  expectError(await c.planner.patch(`${P}/${plan.id}`, { version: 9 }), 422, 'validation_failed', 'version');
  await assertUnchanged(plan, 'refused PATCHes');

  const res = await c.planner.patch(`${P}/${plan.id}`, patch, { headers: { 'If-Match': `"${plan.row_version}"` } });
  const p2 = expectStatus(res, 200);
  assert.equal(res.headers.get('etag'), `"${p2.row_version}"`, `ETag${describe(res)}`);
  assert.equal(p2.row_version, plan.row_version + 1);
  for (const [k, v] of Object.entries(patch)) assert.equal(p2[k], v, k);
  assert.equal(p2.tracker_name, u.quality.display_name);

  // a stale If-Match: 409 conflict, nothing changed
  const stale = await c.quality.patch(`${P}/${plan.id}`, { title: '过期的修改' }, { headers: { 'If-Match': `"${plan.row_version}"` } });
  expectError(stale, 409, 'conflict');
  expectError(await c.quality.patch(`${P}/${plan.id}`, { title: 'x' }, { headers: { 'If-Match': 'yesterday' } }), 400, 'bad_request', 'If-Match');
  await assertUnchanged(p2, 'stale If-Match');
  // quality and hr may edit the review too (CONTRACT: planner, hr and quality)
  const p3 = expectStatus(await c.hr.patch(`${P}/${plan.id}`, { review_problems: '1. 备件库存不足\n2. 培训覆盖率低' },
    { headers: { 'If-Match': `"${p2.row_version}"` } }), 200);
  assert.equal(p3.review_problems, '1. 备件库存不足\n2. 培训覆盖率低');
  plan = p3;
});

test('items: the four elements with sub-areas from the catalogue; validation; roles', async () => {
  const base = { current_state: '现状描述', measures: '措施', owner_department_id: dept.id, owner_user_id: u.planner.id, budget: '5万元' };
  const url = `${P}/${plan.id}/items`;
  // refused, each changing nothing
  expectError(await c.member.post(url, { ...base, element: 'people', area: 'people.training', objective: 'x' }), 403, 'forbidden');
  expectError(await c.quality.post(url, { ...base, element: 'people', area: 'people.training', objective: 'x' }), 403, 'forbidden');
  expectError(await c.planner.post(url, { ...base, element: 'people', area: '事件', objective: 'x' }), 422, 'validation_failed', 'area');
  expectError(await c.planner.post(url, { ...base, element: 'people', area: 'process.incident', objective: 'x' }), 422, 'validation_failed', 'area');
  expectError(await c.planner.post(url, { ...base, element: 'money', area: 'people.training', objective: 'x' }), 422, 'validation_failed', 'element');
  expectError(await c.planner.post(url, { ...base, element: 'people', area: 'people.training' }), 422, 'validation_failed', 'objective');
  expectError(await c.planner.post(url, { ...base, element: 'people', area: 'people.training', objective: 'x', due_date: `${year}-02-30` }),
    422, 'validation_failed', 'due_date');
  expectError(await c.planner.post(url, { ...base, element: 'people', area: 'people.training', objective: 'x', due_date: `${year + 3}-01-01` }),
    422, 'validation_failed', 'due_date');
  expectError(await c.planner.post(url, { ...base, element: 'people', area: 'people.training', objective: 'x', owner_department_id: 987654321 }),
    422, 'validation_failed', 'owner_department_id');
  expectError(await c.planner.post(`${P}/987654321/items`, { ...base, element: 'people', area: 'people.training', objective: 'x' }), 404, 'not_found');
  await assertUnchanged(plan, 'refused item creations');

  // by code, by Chinese name, by English name; hr may write items too
  items.people = expectStatus(await c.planner.post(url, { ...base, element: 'people', area: 'people.training', objective: '全员年度培训不少于 40 学时', due_date: `${year}-12-15` }), 201);
  assert.equal(items.people.area, 'people.training');
  assert.equal(items.people.area_name, '人员培训');
  assert.deepEqual(items.people.metric_ids, []);
  assert.equal(items.people.owner_department_id, dept.id);
  items.process = expectStatus(await c.hr.post(url, { ...base, element: 'process', area: '事件', objective: '事件响应及时率 ≥ 95%', due_date: `${year}-06-30` }), 201);
  assert.equal(items.process.area, 'process.incident');
  items.technology = expectStatus(await c.planner.post(url, { ...base, element: 'technology', area: 'Problem detection', objective: '建立监控告警', due_date: `${year}-09-30` }), 201);
  assert.equal(items.technology.area, 'technology.detection');

  // an element is still missing: submission names it
  const miss = expectError(await c.planner.post(`${P}/${plan.id}/submit`), 422, 'validation_failed', 'items');
  assert.match(miss.message, /resources/);
  assert.doesNotMatch(miss.message, /people/);

  items.resources = expectStatus(await c.planner.post(url, { ...base, element: 'resources', area: 'resources.spare_parts', objective: '建立备件库', due_date: `${year}-03-31` }), 201);

  // change and delete an item
  const extra = expectStatus(await c.planner.post(url, { element: 'process', area: 'process.change', objective: '临时条目' }), 201);
  const changed = expectStatus(await c.planner.patch(`/api/v1/plan-items/${extra.id}`, { objective: '变更成功率 ≥ 98%', due_date: null }), 200);
  assert.equal(changed.objective, '变更成功率 ≥ 98%');
  assert.equal(changed.due_date, null);
  expectError(await c.planner.patch(`/api/v1/plan-items/${extra.id}`, { element: 'people' }), 422, 'validation_failed', 'area');
  const moved = expectStatus(await c.planner.patch(`/api/v1/plan-items/${extra.id}`, { element: 'people', area: '人员储备' }), 200);
  assert.equal(moved.area, 'people.staffing');
  expectError(await c.member.del(`/api/v1/plan-items/${extra.id}`), 403, 'forbidden');
  const del = expectStatus(await c.planner.del(`/api/v1/plan-items/${extra.id}`), 200);
  assert.deepEqual(del, { id: extra.id, plan_id: plan.id, deleted: true });
  expectError(await c.planner.get(`/api/v1/plan-items/${extra.id}`), 404, 'not_found');

  plan = await readPlan();
  assert.deepEqual(plan.coverage, { people: 1, process: 1, technology: 1, resources: 1 });
  assert.equal(plan.items.length, 4);
  assert.deepEqual(plan.items.map((i) => i.element), ['people', 'process', 'technology', 'resources']);
  const listed = expectStatus(await c.member.get(`${P}/${plan.id}/items?element=process`), 200);
  assert.deepEqual(listed.items.map((i) => i.id), [items.process.id]);
});

test('meetings: a meeting that asks for revision blocks submission; one that passes allows it', async () => {
  const url = `${P}/${plan.id}/meetings`;
  const m = { held_on: today, attendees: '分管副总、IT运维事业部、人力资源部、质量管理部', minutes: '评审了计划草案。', decision: 'revise' };
  expectError(await c.member.post(url, m), 403, 'forbidden');
  expectError(await c.hr.post(url, m), 403, 'forbidden');
  expectError(await c.quality.post(url, { ...m, decision: 'maybe' }), 422, 'validation_failed', 'decision');
  expectError(await c.quality.post(url, { ...m, held_on: '2999-01-01' }), 422, 'validation_failed', 'held_on');
  expectError(await c.quality.post(url, { ...m, minutes: undefined }), 422, 'validation_failed', 'minutes');
  await assertUnchanged(plan, 'refused meetings');

  const revise = expectStatus(await c.quality.post(url, m), 201);
  assert.equal(revise.decision, 'revise');
  assert.equal(revise.plan_version, 1);
  assert.equal(revise.recorded_by, u.quality.id);

  plan = await readPlan();
  const e = expectError(await c.planner.post(`${P}/${plan.id}/submit`), 422, 'validation_failed', 'meetings');
  assert.match(e.message, /revision/);
  await assertUnchanged(plan, 'submit refused for the meeting');

  expectStatus(await c.planner.post(url, { ...m, minutes: '修改后再次评审，同意提交审批。', decision: 'pass' }), 201);
  plan = await readPlan();
  assert.equal(plan.meetings.length, 2);
  assert.equal(plan.submit_check.ready, true);
  const listed = expectStatus(await c.auditor.get(url), 200);
  assert.deepEqual(listed.items.map((x) => x.decision), ['revise', 'pass']);
});

test('submit: only the planner; then the plan is frozen for edits until decided', async () => {
  for (const role of ['quality', 'approver', 'hr', 'member']) {
    expectError(await c[role].post(`${P}/${plan.id}/submit`), 403, 'forbidden');
  }
  await assertUnchanged(plan, 'refused submissions');
  const res = await c.planner.post(`${P}/${plan.id}/submit`);
  const s = expectStatus(res, 200);
  assert.equal(s.status, 'submitted');
  assert.equal(s.submitted_by, u.planner.id);
  assert.ok(s.approval && s.approval.status === 'pending', `an approval is pending${describe(res)}`);
  assert.equal(s.approval.entity, 'plan');
  assert.equal(s.approval.entity_id, plan.id);
  assert.deepEqual(s.approval.steps.map((x) => [x.role, x.status]), [['approver', 'pending']]);
  approvalId = s.approval.id;
  plan = s;

  // wrong state: 409 invalid_state, nothing changed
  const wrong = [
    () => c.planner.patch(`${P}/${plan.id}`, { title: '改标题' }),
    () => c.planner.post(`${P}/${plan.id}/items`, { element: 'people', area: 'people.skills', objective: 'x' }),
    () => c.planner.patch(`/api/v1/plan-items/${items.people.id}`, { objective: 'x' }),
    () => c.planner.del(`/api/v1/plan-items/${items.people.id}`),
    () => c.quality.post(`${P}/${plan.id}/meetings`, { held_on: today, attendees: 'a', minutes: 'b', decision: 'pass' }),
    () => c.planner.post(`${P}/${plan.id}/submit`),
    () => c.planner.post(`${P}/${plan.id}/revise`, { change_summary: 'x' }),
  ];
  for (const call of wrong) expectError(await call(), 409, 'invalid_state');
  await assertUnchanged(plan, 'calls in the submitted state');
});

test('approvals: who sees what is pending; GET /approvals/{id} has the steps', async () => {
  const pending = async (client) => expectStatus(await client.get('/api/v1/approvals?status=pending&limit=500'), 200).items;
  const forApprover = (await pending(c.approver)).find((a) => a.id === approvalId);
  assert.ok(forApprover, 'the approver sees the plan approval');
  assert.equal(forApprover.can_decide, true);
  assert.ok((await pending(c.pa)).some((a) => a.id === approvalId), 'a planner-approver who did not submit sees it');
  assert.ok(!(await pending(c.planner)).some((a) => a.id === approvalId), 'the submitter (no approver role) does not');
  assert.ok(!(await pending(c.quality)).some((a) => a.id === approvalId), 'quality does not');
  const mine = expectStatus(await c.planner.get('/api/v1/approvals?mine=true'), 200).items;
  assert.ok(mine.some((a) => a.id === approvalId && a.can_decide === false), 'the submitter sees it among their requests');
  const one = expectStatus(await c.auditor.get(`/api/v1/approvals/${approvalId}`), 200);
  assert.equal(one.requested_by, u.planner.id);
  assert.equal(one.steps.length, 1);
  assert.equal(one.current_step.role, 'approver');
  expectError(await c.approver.get('/api/v1/approvals?status=open'), 400, 'bad_request', 'status');
  expectError(await c.approver.get('/api/v1/approvals/987654321'), 404, 'not_found');
});

test('reject: only an approver, and only with a comment; then approve is refused', async () => {
  const url = `${P}/${plan.id}/reject`;
  expectError(await c.planner.post(url, { comment: 'x' }), 403, 'forbidden');
  expectError(await c.quality.post(url, { comment: 'x' }), 403, 'forbidden');
  expectError(await c.member.post(url, { comment: 'x' }), 403, 'forbidden');
  expectError(await c.approver.post(url, {}), 422, 'validation_failed', 'comment');
  expectError(await c.approver.post(url, { comment: '   ' }), 422, 'validation_failed', 'comment');
  await assertUnchanged(plan, 'refused rejections');
  const one = expectStatus(await c.approver.get(`/api/v1/approvals/${approvalId}`), 200);
  assert.equal(one.status, 'pending', 'the approval is still pending');

  const r = expectStatus(await c.approver.post(url, { comment: REJECT_COMMENT }), 200);
  assert.equal(r.status, 'rejected');
  assert.equal(r.approval.status, 'rejected');
  assert.equal(r.approval.steps[0].comment, REJECT_COMMENT);
  assert.equal(r.approval.steps[0].decided_by, u.approver.id);
  plan = r;
  expectError(await c.approver.post(`${P}/${plan.id}/approve`, { comment: 'ok' }), 409, 'invalid_state');
  expectError(await c.approver.post(url, { comment: 'again' }), 409, 'invalid_state');
  expectError(await c.planner.post(`${P}/${plan.id}/revise`, { change_summary: 'x' }), 409, 'invalid_state');
  await assertUnchanged(plan, 'calls in the rejected state');
});

test('after a rejection: edits are allowed, and resubmission needs a new meeting that passes', async () => {
  const edited = expectStatus(await c.planner.patch(`/api/v1/plan-items/${items.people.id}`,
    { objective: '全员年度培训不少于 40 学时，考试合格率 ≥ 90%' }), 200);
  assert.match(edited.objective, /合格率/);
  plan = await readPlan();
  assert.equal(plan.submit_check.meeting_passed, false, 'the earlier passing meeting no longer counts');
  const e = expectError(await c.planner.post(`${P}/${plan.id}/submit`), 422, 'validation_failed', 'meetings');
  assert.match(e.message, /rejection/);
  await assertUnchanged(plan, 'resubmission without a meeting');
  expectStatus(await c.quality.post(`${P}/${plan.id}/meetings`,
    { held_on: today, attendees: '分管副总、各部门负责人', minutes: '按审批意见修改后复审，通过。', decision: 'pass' }), 201);

  // the planner who is also an approver resubmits
  const s = expectStatus(await c.pa.post(`${P}/${plan.id}/submit`), 200);
  assert.equal(s.status, 'submitted');
  assert.equal(s.submitted_by, u.pa.id);
  assert.notEqual(s.approval.id, approvalId, 'a new approval');
  assert.equal(s.can.approve, false);
  approvalId = s.approval.id;
  plan = s;
});

test('approve: never by the submitter, even one holding the approver role; then the version is frozen', async () => {
  const url = `${P}/${plan.id}/approve`;
  const self = expectError(await c.pa.post(url, { comment: '自己批准' }), 403, 'forbidden');
  assert.match(self.message, /submitted this; another approver must decide/i);
  expectError(await c.pa.post(`${P}/${plan.id}/reject`, { comment: '自己驳回' }), 403, 'forbidden');
  expectError(await c.pa.post(`${P}/${plan.id}/reject`, {}), 403, 'forbidden');   // who decides comes before the comment
  expectError(await c.planner.post(url, {}), 403, 'forbidden');
  await assertUnchanged(plan, 'refused approvals');
  assert.ok(!expectStatus(await c.pa.get('/api/v1/approvals?status=pending&limit=500'), 200).items.some((a) => a.id === approvalId),
    'the submitter does not see their own submission as pending for them');
  const view = expectStatus(await c.approver.get(`${P}/${plan.id}`), 200);
  assert.equal(view.can.approve, true);

  const a = expectStatus(await c.approver.post(url, { comment: APPROVE_COMMENT }), 200);
  assert.equal(a.status, 'approved');
  assert.equal(a.approved_by, u.approver.id);
  assert.ok(a.approved_at);
  assert.equal(a.approval.status, 'approved');
  plan = a;

  const wrong = [
    () => c.approver.post(url, { comment: 'again' }),
    () => c.approver.post(`${P}/${plan.id}/reject`, { comment: 'late' }),
    () => c.planner.patch(`${P}/${plan.id}`, { title: '改标题' }),
    () => c.planner.post(`${P}/${plan.id}/items`, { element: 'people', area: 'people.skills', objective: 'x' }),
    () => c.planner.patch(`/api/v1/plan-items/${items.process.id}`, { objective: 'x' }),
    () => c.planner.del(`/api/v1/plan-items/${items.process.id}`),
    () => c.quality.post(`${P}/${plan.id}/meetings`, { held_on: today, attendees: 'a', minutes: 'b', decision: 'pass' }),
    () => c.planner.post(`${P}/${plan.id}/submit`),
  ];
  for (const call of wrong) expectError(await call(), 409, 'invalid_state');
  await assertUnchanged(plan, 'calls in the approved state');
});

test('revise: approved → draft v2; v1 stays readable; only the planner, with a change summary', async () => {
  const url = `${P}/${plan.id}/revise`;
  expectError(await c.approver.post(url, { change_summary: 'x' }), 403, 'forbidden');
  expectError(await c.quality.post(url, { change_summary: 'x' }), 403, 'forbidden');
  expectError(await c.planner.post(url, {}), 422, 'validation_failed', 'change_summary');
  await assertUnchanged(plan, 'refused revisions');
  const v1Title = plan.title;

  const r = expectStatus(await c.planner.post(url, { change_summary: CHANGE_SUMMARY }), 200);
  assert.equal(r.status, 'draft');
  assert.equal(r.version, 2);
  assert.equal(r.approval, null);
  assert.equal(r.approved_by, null);
  assert.equal(r.items.length, 4, 'the items carry over into the new version');
  assert.equal(r.submit_check.meeting_passed, false, 'v2 needs its own meeting');
  plan = r;
  expectStatus(await c.planner.patch(`${P}/${plan.id}`, { title: `${year}年度服务能力管理计划（修订）` }), 200);
  expectStatus(await c.planner.patch(`/api/v1/plan-items/${items.process.id}`, { objective: '事件响应及时率 ≥ 97%' }), 200);

  const versions = expectStatus(await c.member.get(`${P}/${plan.id}/versions`), 200);
  assert.deepEqual(versions.items.map((v) => v.version), [1]);
  assert.equal(versions.items[0].approved_by, u.approver.id);
  const v1 = expectStatus(await c.member.get(`${P}/${plan.id}/versions/1`), 200);
  assert.equal(v1.version, 1);
  assert.equal(v1.status, 'approved');
  assert.equal(v1.title, v1Title, 'the frozen title');
  assert.equal(v1.items.find((i) => i.id === items.process.id).objective, '事件响应及时率 ≥ 95%', 'the frozen item');
  assert.ok(v1.meetings.every((m) => m.plan_version === 1));
  assert.equal(v1.approval.status, 'approved');
  assert.ok(!('can' in v1), 'the snapshot holds no per-user flags');
  expectError(await c.member.get(`${P}/${plan.id}/versions/2`), 404, 'not_found');
  expectError(await c.member.get(`${P}/${plan.id}/versions/abc`), 404, 'not_found');
});

test('history (变更履历) lists every action in order with version, time, actor and comment', async () => {
  const hist = expectStatus(await c.auditor.get(`${P}/${plan.id}/history`), 200);
  assert.equal(hist.next_cursor, null);
  const rows = hist.items;
  assert.deepEqual(rows.map((h) => [h.version, h.action]), [
    [1, 'created'], [1, 'meeting'], [1, 'meeting'], [1, 'submitted'], [1, 'rejected'], [1, 'meeting'], [1, 'submitted'],
    [1, 'approved'], [2, 'revised'],
  ]);
  for (const h of rows) {
    assert.match(h.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'at is RFC 3339 UTC');
    assert.equal(typeof h.by, 'string');
    assert.ok(h.by.length > 0);
  }
  assert.equal(rows[4].comment, REJECT_COMMENT);
  assert.equal(rows[4].by_user_id, u.approver.id);
  assert.equal(rows[6].by_user_id, u.pa.id);
  assert.equal(rows[7].comment, APPROVE_COMMENT);
  assert.equal(rows[8].comment, CHANGE_SUMMARY);
  assert.equal(rows[8].by_user_id, u.planner.id);
  assert.match(rows[1].comment, /revise/);
});

test('every write was audited, and the audit chain verifies', async () => {
  const audit = expectStatus(await adm.get(`/api/v1/audit?entity=plan&entity_id=${plan.id}&limit=500`), 200);
  const actions = audit.items.map((a) => a.action).reverse();
  assert.deepEqual(actions.filter((a) => a !== 'update'), ['create', 'submit', 'reject', 'submit', 'approve', 'revise']);
  const approvals = expectStatus(await adm.get(`/api/v1/audit?entity=approval&entity_id=${approvalId}`), 200);
  assert.deepEqual(approvals.items.map((a) => a.action).reverse(), ['request', 'approve']);
  const { code, out } = await new Promise((resolve) => {
    execFile(env('NENGLI_BIN'), ['audit', 'verify', '--db', env('NENGLI_DB')], { timeout: 60000 }, (err, so, se) =>
      resolve({ code: err ? (err.code ?? err.signal) : 0, out: so + se }));
  });
  assert.equal(code, 0, `nengli audit verify exits 0:\n${out}`);
});
