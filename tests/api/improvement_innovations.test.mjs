// Innovation proposals (创新提案): a member proposes, quality moves the proposal to a pilot and adopts it on the pilot's
// result (a note required), or rejects it (a note required); adopted and rejected are final (409 invalid_state) and a
// proposal is never adopted without a pilot; the history keeps every step. Refusals (auditor proposing, member
// advancing, a missing note, editing outside the allowed state, editing someone else's proposal) change nothing.
// Works with users and a department of its own; list checks filter by those.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, uniq, localDate } from './lib.mjs';

const I = '/api/v1/innovations';
let adm, dept, dept2;
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

async function get(id) {
  return expectStatus(await c.auditor.get(`${I}/${id}`), 200);
}

/** Asserts that a refused request left the proposal exactly as it was. */
async function assertUnchanged(before, what) {
  const now = await get(before.id);
  for (const k of ['title', 'category', 'description', 'status', 'pilot_result', 'proposed_on', 'piloted_on', 'decided_on',
    'updated_at']) {
    assert.deepEqual(now[k], before[k], `${what}: ${k} unchanged`);
  }
  assert.deepEqual(now.history, before.history, `${what}: history unchanged`);
}

async function propose(client, fields = {}) {
  const res = await client.post(I, {
    title: `试点自动化巡检 ${uniq('i')}`, category: 'technology', description: '用脚本每日巡检核心设备，减少人工巡检时间。', ...fields,
  });
  return expectStatus(res, 201);
}

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  dept2 = await createDepartment(adm);
  const specs = {
    member: { roles: ['member'], department_id: dept.id },
    member2: { roles: ['member'], department_id: dept.id },
    quality: { roles: ['quality'], department_id: dept2.id },
    planner: { roles: ['planner'], department_id: null },
    hr: { roles: ['hr'], department_id: dept2.id },
    auditor: { roles: ['auditor'], department_id: null },
    approver: { roles: ['approver'], department_id: null },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const made = await createUser(adm, { ...spec, display_name: `创新测试 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
  const settings = expectStatus(await adm.get('/api/v1/settings'), 200);
  today = todayIn(settings.timezone || 'Asia/Shanghai');
  Y = Number(today.slice(0, 4));
});

test('propose → pilot → adopted: the proposer is the actor, dates are set, the pilot result is kept, the history has each step', async () => {
  const p = await propose(c.member, { category: 'process' });
  assert.equal(p.status, 'proposed');
  assert.equal(p.category, 'process');
  assert.equal(p.proposer_user_id, u.member.id);
  assert.equal(p.proposer, '创新测试 member');
  assert.equal(p.department_id, dept.id, 'the department defaults to the proposer\'s');
  assert.equal(p.proposed_on, today);
  assert.equal(p.piloted_on, null);
  assert.equal(p.decided_on, null);
  assert.equal(p.pilot_result, '');
  assert.equal(p.history.length, 1);
  assert.equal(p.history[0].from_status, null);
  assert.equal(p.history[0].to_status, 'proposed');
  assert.equal(p.history[0].by_user_id, u.member.id);

  let res = await c.quality.post(`${I}/${p.id}/advance`, { to: 'pilot', note: '在 IT 运维事业部试点三个月' });
  const pilot = expectStatus(res, 200);
  assert.equal(pilot.status, 'pilot');
  assert.equal(pilot.piloted_on, today);
  assert.equal(pilot.decided_on, null);
  assert.equal(pilot.history.length, 2);
  assert.deepEqual([pilot.history[1].from_status, pilot.history[1].to_status, pilot.history[1].note, pilot.history[1].by_user_id],
    ['proposed', 'pilot', '在 IT 运维事业部试点三个月', u.quality.id]);

  // adoption needs the pilot's result: without a note 422 naming note, nothing changed
  for (const body of [{ to: 'adopted' }, { to: 'adopted', note: '' }, { to: 'adopted', note: '   ' }, { to: 'adopted', note: null }]) {
    res = await c.quality.post(`${I}/${p.id}/advance`, body);
    expectError(res, 422, 'validation_failed', 'note');
  }
  await assertUnchanged(pilot, 'adopt without a note');

  res = await c.planner.post(`${I}/${p.id}/advance`, { to: 'adopted', note: '巡检时间减少 60%，全面推广。' });
  const adopted = expectStatus(res, 200);
  assert.equal(adopted.status, 'adopted');
  assert.equal(adopted.decided_on, today);
  assert.equal(adopted.piloted_on, today);
  assert.equal(adopted.pilot_result, '巡检时间减少 60%，全面推广。');
  assert.equal(adopted.history.length, 3);
  assert.deepEqual([adopted.history[2].from_status, adopted.history[2].to_status, adopted.history[2].by_user_id],
    ['pilot', 'adopted', u.planner.id]);

  // GET shows the same, with the history
  const got = await get(p.id);
  assert.deepEqual(got, adopted);

  // adopted is final: every move is 409 invalid_state naming "to", and nothing changes
  for (const to of ['pilot', 'adopted', 'rejected']) {
    res = await c.quality.post(`${I}/${p.id}/advance`, { to, note: '再议' });
    expectError(res, 409, 'invalid_state', 'to');
  }
  await assertUnchanged(adopted, 'moves from adopted');

  // the year's evaluation draft offers the adopted proposal as a suggestion for next year's plan
  const evaluation = expectStatus(await c.quality.get(`/api/v1/evaluations/${today.slice(0, 4)}`), 200);
  const sugg = (evaluation.generated_suggestions || evaluation.suggestions)
    .filter((x) => x.source && x.source.kind === 'innovation' && x.source.innovation_id === p.id);
  if (evaluation.status !== 'finalized') {
    assert.equal(sugg.length, 1, 'one suggestion for the adopted innovation');
    assert.match(sugg[0].text, /推广已采纳的创新提案/);
  }
});

test('proposed → rejected needs a reason; rejected is final; a proposal is never adopted without a pilot', async () => {
  const p = await propose(c.member2, { category: 'service_product' });
  let res = await c.quality.post(`${I}/${p.id}/advance`, { to: 'adopted', note: '直接采纳' });
  expectError(res, 409, 'invalid_state', 'to');
  await assertUnchanged(p, 'adopt without a pilot');

  res = await c.quality.post(`${I}/${p.id}/advance`, { to: 'rejected' });
  expectError(res, 422, 'validation_failed', 'note');
  await assertUnchanged(p, 'reject without a reason');

  res = await c.quality.post(`${I}/${p.id}/advance`, { to: 'rejected', note: '与现有服务目录重复。' });
  const rejected = expectStatus(res, 200);
  assert.equal(rejected.status, 'rejected');
  assert.equal(rejected.decided_on, today);
  assert.equal(rejected.piloted_on, null);
  assert.equal(rejected.pilot_result, '', 'a rejection reason is not a pilot result');
  assert.equal(rejected.history.at(-1).note, '与现有服务目录重复。');

  for (const to of ['pilot', 'adopted', 'rejected']) {
    expectError(await c.quality.post(`${I}/${p.id}/advance`, { to, note: 'x' }), 409, 'invalid_state', 'to');
  }
  await assertUnchanged(rejected, 'moves from rejected');

  // a pilot may be rejected too (with a note); pilot → pilot is not a move
  const q = await propose(c.member2);
  const pilot = expectStatus(await c.quality.post(`${I}/${q.id}/advance`, { to: 'pilot' }), 200);
  assert.equal(pilot.history.at(-1).note, '', 'the pilot note is optional');
  expectError(await c.quality.post(`${I}/${q.id}/advance`, { to: 'pilot' }), 409, 'invalid_state', 'to');
  expectError(await c.quality.post(`${I}/${q.id}/advance`, { to: 'rejected' }), 422, 'validation_failed', 'note');
  await assertUnchanged(pilot, 'refused moves from pilot');
  const r2 = expectStatus(await c.quality.post(`${I}/${q.id}/advance`, { to: 'rejected', note: '试点效果不明显。' }), 200);
  assert.equal(r2.status, 'rejected');
  assert.equal(r2.piloted_on, today);

  // an unknown target is a validation error of the body
  const z = await propose(c.member2);
  expectError(await c.quality.post(`${I}/${z.id}/advance`, { to: 'proposed' }), 422, 'validation_failed', 'to');
  expectError(await c.quality.post(`${I}/${z.id}/advance`, {}), 422, 'validation_failed', 'to');
  expectError(await c.quality.post(`${I}/999999999/advance`, { to: 'pilot' }), 404, 'not_found');
  await assertUnchanged(z, 'bad advance bodies');
});

test('roles: the auditor cannot propose, a member cannot advance (403); everyone reads', async () => {
  const title = `审核员提案 ${uniq('x')}`;
  let res = await c.auditor.post(I, { title, category: 'process', description: '不应写入' });
  expectError(res, 403, 'forbidden');
  const mine = expectStatus(await c.auditor.get(`${I}?proposer_user_id=${u.auditor.id}`), 200);
  assert.equal(mine.items.length, 0, 'nothing written for the auditor');

  const p = await propose(c.member);
  for (const who of ['member', 'member2', 'hr', 'auditor', 'approver']) {
    res = await c[who].post(`${I}/${p.id}/advance`, { to: 'pilot', note: 'x' });
    expectError(res, 403, 'forbidden');
  }
  await assertUnchanged(p, 'advances by roles without innovation.advance');

  // hr, planner, quality, approver may propose; every role reads
  for (const who of ['hr', 'planner', 'quality', 'approver']) await propose(c[who]);
  for (const who of Object.keys(c)) expectStatus(await c[who].get(`${I}/${p.id}`), 200);
  expectError(await c.member.get(`${I}/999999999`), 404, 'not_found');
});

test('PATCH: the proposer (or quality/planner) edits the proposal while proposed, the pilot result while in pilot', async () => {
  const p = await propose(c.member);
  let res = await c.member.patch(`${I}/${p.id}`, { title: '改进：夜间值班交接单电子化', description: '交接单改为电子表单。', category: 'process' });
  const edited = expectStatus(res, 200);
  assert.equal(edited.title, '改进：夜间值班交接单电子化');
  assert.equal(edited.category, 'process');
  assert.equal(edited.description, '交接单改为电子表单。');

  // another member may not; the auditor may not (route); quality may
  expectError(await c.member2.patch(`${I}/${p.id}`, { title: '别人的' }), 403, 'forbidden');
  expectError(await c.auditor.patch(`${I}/${p.id}`, { title: '审核员' }), 403, 'forbidden');
  await assertUnchanged(edited, 'edits by others');
  const byQuality = expectStatus(await c.quality.patch(`${I}/${p.id}`, { description: '交接单改为电子表单，自动归档。' }), 200);
  assert.equal(byQuality.description, '交接单改为电子表单，自动归档。');

  // validation
  expectError(await c.member.patch(`${I}/${p.id}`, { title: '  ' }), 422, 'validation_failed', 'title');
  expectError(await c.member.patch(`${I}/${p.id}`, { category: 'marketing' }), 422, 'validation_failed', 'category');
  expectError(await c.member.patch(`${I}/${p.id}`, { status: 'adopted' }), 422, 'validation_failed', 'status');
  // pilot_result only while in pilot
  expectError(await c.member.patch(`${I}/${p.id}`, { pilot_result: '尚未试点' }), 409, 'invalid_state', 'pilot_result');
  await assertUnchanged(byQuality, 'refused edits while proposed');

  const pilot = expectStatus(await c.quality.post(`${I}/${p.id}/advance`, { to: 'pilot' }), 200);
  expectError(await c.member.patch(`${I}/${p.id}`, { title: '试点中改标题' }), 409, 'invalid_state', 'title');
  expectError(await c.member.patch(`${I}/${p.id}`, { description: '试点中改描述' }), 409, 'invalid_state', 'description');
  await assertUnchanged(pilot, 'proposal edits in pilot');
  const withResult = expectStatus(await c.member.patch(`${I}/${p.id}`, { pilot_result: '第一个月：交接差错 0 起。' }), 200);
  assert.equal(withResult.pilot_result, '第一个月：交接差错 0 起。');
  assert.equal(withResult.status, 'pilot');
  expectError(await c.member2.patch(`${I}/${p.id}`, { pilot_result: '别人写' }), 403, 'forbidden');

  const adopted = expectStatus(await c.quality.post(`${I}/${p.id}/advance`, { to: 'adopted', note: '三个月交接差错 0 起，采纳。' }), 200);
  assert.equal(adopted.pilot_result, '三个月交接差错 0 起，采纳。', 'the adoption note is the final pilot result');
  expectError(await c.member.patch(`${I}/${p.id}`, { pilot_result: '补充' }), 409, 'invalid_state', 'pilot_result');
  await assertUnchanged(adopted, 'edits after adoption');
});

test('POST /innovations validates each field (422 naming it) and writes nothing when refused', async () => {
  const base = { title: `校验 ${uniq('v')}`, category: 'technology', description: '描述' };
  const cases = [
    [{ title: '' }, 'title'],
    [{ title: '   ' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ category: 'marketing' }, 'category'],
    [{ category: undefined }, 'category'],
    [{ description: '' }, 'description'],
    [{ description: '\u3000\u3000' }, 'description'],
    [{ proposed_on: addDays(today, 1) }, 'proposed_on'],
    [{ proposed_on: `${Y}-02-30` }, 'proposed_on'],
    [{ department_id: 999999999 }, 'department_id'],
    [{ proposer_user_id: u.member2.id }, 'proposer_user_id'],
    [{ status: 'adopted' }, 'status'],
  ];
  for (const [change, field] of cases) {
    const body = { ...base, ...change };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const res = await c.member2.post(I, body);
    expectError(res, 422, 'validation_failed', field);
  }
  const mine = expectStatus(await c.auditor.get(`${I}?proposer_user_id=${u.member2.id}&limit=500`), 200).items;
  assert.ok(!mine.some((p) => p.title === base.title), 'no refused proposal was written');

  // a past date and another department are accepted
  const p = await propose(c.member2, { proposed_on: `${Y - 1}-06-15`, department_id: dept2.id });
  assert.equal(p.proposed_on, `${Y - 1}-06-15`);
  assert.equal(p.department_id, dept2.id);
});

test('GET /innovations filters by status, category, department, proposer and year', async () => {
  const a = await propose(c.hr, { category: 'service_product', department_id: dept2.id, proposed_on: `${Y - 1}-03-01` });
  const b = await propose(c.hr, { category: 'technology', department_id: dept2.id });
  expectStatus(await c.quality.post(`${I}/${b.id}/advance`, { to: 'pilot' }), 200);
  const list = async (q) => {
    const res = await c.auditor.get(`${I}?proposer_user_id=${u.hr.id}&limit=500&${q}`);
    return expectStatus(res, 200).items.map((x) => x.id);
  };
  assert.ok((await list('')).includes(a.id) && (await list('')).includes(b.id));
  assert.deepEqual((await list('status=pilot')).filter((id) => id === a.id || id === b.id), [b.id]);
  assert.deepEqual((await list('category=service_product')).filter((id) => id === a.id || id === b.id), [a.id]);
  assert.deepEqual((await list(`year=${Y - 1}`)).filter((id) => id === a.id || id === b.id), [a.id]);
  assert.deepEqual((await list(`department_id=${dept2.id}&status=pilot`)).filter((id) => id === a.id || id === b.id), [b.id]);
  const res = await c.auditor.get(`${I}?status=done`);
  expectError(res, 400, 'bad_request', 'status');
  expectError(await c.auditor.get(`${I}?category=x`), 400, 'bad_request', 'category');
  // paging
  const page1 = expectStatus(await c.auditor.get(`${I}?proposer_user_id=${u.hr.id}&limit=1`), 200);
  assert.equal(page1.items.length, 1);
  assert.equal(typeof page1.next_cursor, 'string', 'a second page follows');
  const page2 = expectStatus(await c.auditor.get(`${I}?proposer_user_id=${u.hr.id}&limit=1&cursor=${page1.next_cursor}`), 200);
  assert.ok(page2.items[0].id > page1.items[0].id, 'the next page continues by id');
});
