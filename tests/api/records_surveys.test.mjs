// Satisfaction (满意度): ticket ratings (once per ticket, never by the ticket's own assignee, only resolved or closed
// tickets) and survey campaigns (客户满意度调查): weighted questions (weights sum to 100), a reproducible sample of the
// period's closed tickets (recomputed here from the survey's seed), single-use response links that need no login,
// the response rate and satisfaction index (recomputed here from the answers given), and a response becoming the
// ticket's rating. Works in departments of its own, with tickets opened in a random past month no other test uses.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, request, listAll } from './lib.mjs';

const S = '/api/v1/surveys';
const R = '/api/v1/survey-responses';
let adm;
let deptD, deptE;
const u = {};
const c = {};
let Y, M, PERIOD;

function iso(sec) {
  return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/** A time in the test's month (day d, hour h UTC; 04:00Z is noon in Shanghai, far from a day boundary). */
const inMonth = (d, h = 4, monthOffset = 0) => iso(Date.UTC(Y, M - 1 + monthOffset, d, h) / 1000);

let ticketSeq = 0;
/** A ticket through the tickets API; kind: closed | resolved | assigned. */
async function ticket(dept, kind, { day = 10, assignee = null, customer = null, monthOffset = 0 } = {}) {
  ticketSeq++;
  const body = { title: `满意度测试工单 ${ticketSeq}`, priority: 'P3', department_id: dept.id, opened_at: inMonth(day, 2, monthOffset),
    assigned_at: inMonth(day, 3, monthOffset) };
  if (assignee) body.assignee_user_id = assignee.id;
  if (customer) body.customer_id = customer;
  if (kind === 'resolved' || kind === 'closed') {
    body.first_response_at = inMonth(day, 3, monthOffset);
    body.resolved_at = inMonth(day, 5, monthOffset);
  }
  if (kind === 'closed') body.closed_at = inMonth(day, 6, monthOffset);
  const res = await adm.post('/api/v1/tickets', body);
  const t = expectStatus(res, 201);
  assert.equal(t.status, kind, `ticket status${describe(res)}`);
  return t;
}

/* SplitMix64 as in survey.h: the sampling order is reproducible from the seed. */
const M64 = (1n << 64n) - 1n;
function mix(z) {
  z = (z + 0x9e3779b97f4a7c15n) & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}
function expectedSample(seedHex, ids, k) {
  const seed = BigInt('0x' + seedHex);
  const keyed = ids.map((id) => ({ id, key: mix(seed ^ mix(BigInt.asUintN(64, BigInt(id)))) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
  return keyed.slice(0, k).map((x) => x.id);
}
const r4 = (x) => Math.round(x * 10000) / 10000;

const QUESTIONS = [
  { key: 'speed', text: '响应速度是否满意？', weight: 30 },
  { key: 'quality', text: '问题是否彻底解决？', weight: 50 },
  { key: 'attitude', text: '服务态度是否满意？', weight: 20 },
];

before(async () => {
  adm = await admin();
  deptD = await createDepartment(adm);
  deptE = await createDepartment(adm);
  const specs = {
    member: { roles: ['member'], department_id: deptD.id },
    quality: { roles: ['quality'], department_id: null },
    planner: { roles: ['planner'], department_id: null },
    auditor: { roles: ['auditor'], department_id: null },
  };
  for (const [name, spec] of Object.entries(specs)) {
    const made = await createUser(adm, { ...spec, display_name: `满意度测试 ${name}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
  Y = 1971 + Math.floor(Math.random() * 45);
  M = 1 + Math.floor(Math.random() * 11);            // 1..11: the month after is in the same year
  PERIOD = `${Y}-${String(M).padStart(2, '0')}`;
});

test('ratings: once per ticket, not by its assignee, only resolved or closed tickets', async () => {
  const mine = await ticket(deptD, 'resolved', { assignee: u.member });
  const open = await ticket(deptD, 'assigned');
  const closed = await ticket(deptE, 'closed', { assignee: u.member });

  const e = expectError(await c.member.post(`/api/v1/tickets/${mine.id}/rating`, { score: 5 }), 403, 'forbidden');
  assert.match(e.message, /assignee/);
  expectError(await c.member.post(`/api/v1/tickets/${closed.id}/rating`, { score: 5 }), 403, 'forbidden');
  expectError(await c.planner.post(`/api/v1/tickets/${open.id}/rating`, { score: 4 }), 409, 'invalid_state');
  expectError(await c.planner.post(`/api/v1/tickets/${mine.id}/rating`, { score: 0 }), 422, 'validation_failed', 'score');
  expectError(await c.planner.post(`/api/v1/tickets/${mine.id}/rating`, { score: 6 }), 422, 'validation_failed', 'score');
  expectError(await c.planner.post(`/api/v1/tickets/${mine.id}/rating`, { score: 4.5 }), 422, 'validation_failed', 'score');
  expectError(await c.planner.post('/api/v1/tickets/99999999/rating', { score: 4 }), 404, 'not_found');
  for (const id of [mine.id, open.id, closed.id]) {
    expectError(await c.auditor.get(`/api/v1/tickets/${id}/rating`), 404, 'not_found');
  }

  const r = expectStatus(await c.planner.post(`/api/v1/tickets/${mine.id}/rating`, { score: 4, comment: '处理及时' }), 201);
  assert.equal(r.ticket_id, mine.id);
  assert.equal(r.score, 4);
  assert.equal(r.comment, '处理及时');
  assert.equal(r.rated_by, u.planner.id);
  assert.equal(r.source, 'direct');
  expectError(await c.quality.post(`/api/v1/tickets/${mine.id}/rating`, { score: 2 }), 409, 'conflict');
  const again = expectStatus(await c.auditor.get(`/api/v1/tickets/${mine.id}/rating`), 200);
  assert.deepEqual(again, r, 'the second rating changed nothing');
  // an auditor may rate a customer's answer too (rating.write is every role), a closed ticket
  expectStatus(await c.auditor.post(`/api/v1/tickets/${closed.id}/rating`, { score: 1 }), 201);
  // the ticket embeds its rating (tickets room)
  const tk = expectStatus(await c.auditor.get(`/api/v1/tickets/${mine.id}`), 200);
  assert.equal(tk.rating && tk.rating.score, 4, 'GET /tickets/{id} embeds the rating');
});

test('survey campaigns: weights, sampling, public single-use links, response rate and index', async () => {
  // a customer with personal data on the sampled tickets: never on the public form
  const customer = expectStatus(await adm.post('/api/v1/customers',
    { name: '张三丰', organisation: '某某公司', phone: '13912345678', email: 'zhang@example.com' }), 201).id;

  const eligible = [];
  for (let i = 0; i < 8; i++) eligible.push((await ticket(deptD, 'closed', { day: 2 + i, customer })).id);
  await ticket(deptD, 'resolved', { day: 12 });                                // not closed
  const rated = await ticket(deptD, 'closed', { day: 13 });                     // rated before the survey
  expectStatus(await c.planner.post(`/api/v1/tickets/${rated.id}/rating`, { score: 5 }), 201);
  await ticket(deptE, 'closed', { day: 14 });                                   // another department
  await ticket(deptD, 'closed', { day: 10, monthOffset: 1 });                   // the next month

  // validation: the weights and the field named
  const base = { name: `${PERIOD} 满意度调查`, period: PERIOD, department_id: deptD.id, questions: QUESTIONS, sample_size: 5 };
  const bad = [
    [{ questions: [{ key: 'a', text: 'A', weight: 40 }, { key: 'b', text: 'B', weight: 50 }] }, 'questions'],
    [{ questions: [{ key: 'a', text: 'A', weight: 100 }, { key: 'b', text: 'B', weight: 0 }] }, 'questions[1].weight'],
    [{ questions: [{ key: 'a', text: 'A', weight: 60.5 }, { key: 'b', text: 'B', weight: 39.5 }] }, 'questions[0].weight'],
    [{ questions: [{ key: 'a', text: 'A', weight: 50 }, { key: 'a', text: 'B', weight: 50 }] }, 'questions[1].key'],
    [{ questions: [] }, 'questions'],
    [{ period: `${Y}-13` }, 'period'],
    [{ sample_size: 0 }, 'sample_size'],
    [{ department_id: 99999999 }, 'department_id'],
  ];
  const before = (await listAll(c.auditor, `${S}?period=${PERIOD}`)).length;
  for (const [over, field] of bad) {
    expectError(await c.quality.post(S, { ...base, ...over }), 422, 'validation_failed', field);
  }
  expectError(await c.member.post(S, base), 403, 'forbidden');
  expectError(await c.planner.post(S, base), 403, 'forbidden');
  assert.equal((await listAll(c.auditor, `${S}?period=${PERIOD}`)).length, before, 'nothing created');

  let s1 = expectStatus(await c.quality.post(S, base), 201);
  assert.equal(s1.status, 'draft');
  assert.match(s1.seed, /^[0-9a-f]{16}$/);
  assert.deepEqual(s1.questions, QUESTIONS);
  assert.equal(s1.invited, 0);
  assert.equal(s1.response_rate, null);
  expectError(await c.quality.post(`${S}/${s1.id}/close`, {}), 409, 'invalid_state');
  expectError(await c.member.post(`${S}/${s1.id}/open`, {}), 403, 'forbidden');

  // open: the sample is the seed's order over the eligible tickets
  const opened = expectStatus(await c.quality.post(`${S}/${s1.id}/open`, {}), 200);
  assert.equal(opened.status, 'open');
  assert.equal(opened.invited, 5);
  const want = expectedSample(s1.seed, eligible, 5);
  assert.deepEqual(opened.links.map((l) => l.ticket_id), want, 'sampled tickets, in the seed order');
  for (const l of opened.links) {
    assert.match(l.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(l.url, `/survey/${l.token}`);
  }
  const tokens = opened.links.map((l) => l.token);
  expectError(await c.quality.post(`${S}/${s1.id}/open`, {}), 409, 'invalid_state');
  // the tokens are shown once: never in the survey, the list, or the audit log
  s1 = expectStatus(await c.auditor.get(`${S}/${s1.id}`), 200);
  const listed = (await listAll(c.auditor, `${S}?period=${PERIOD}`)).find((x) => x.id === s1.id);
  const audit = await adm.get(`/api/v1/audit?entity=survey&entity_id=${s1.id}&limit=50`);
  for (const text of [JSON.stringify(s1), JSON.stringify(listed), audit.text]) {
    for (const tok of tokens) assert.ok(!text.includes(tok), 'a token is not shown again');
  }
  assert.deepEqual(s1.invitations.map((i) => i.ticket_id), want);

  // the public form: no login, no personal data
  const form = expectStatus(await request('GET', `${R}/${tokens[0]}`), 200);
  assert.deepEqual(form.questions, QUESTIONS.map(({ key, text }) => ({ key, text })));
  assert.equal(form.survey.period, PERIOD);
  assert.match(form.ticket.title, /满意度测试工单/);
  assert.equal(form.responded, false);
  assert.equal(form.accepting_responses, true);
  const formText = JSON.stringify(form);
  for (const secret of ['张三丰', '13912345678', 'zhang@example.com', '某某公司']) assert.ok(!formText.includes(secret), `no ${secret}`);
  expectError(await request('GET', `${R}/${'x'.repeat(43)}`), 404, 'not_found');
  expectError(await request('GET', `${R}/short`), 404, 'not_found');

  // three responses, without login
  const answers = [
    { speed: 5, quality: 4, attitude: 3 },    // 150 + 200 + 60 = 410
    { speed: 2, quality: 3, attitude: 5 },    //  60 + 150 + 100 = 310
    { speed: 4, quality: 4, attitude: 4 },    // 400
  ];
  const totals = answers.map((a) => QUESTIONS.reduce((s, q) => s + a[q.key] * q.weight, 0));
  for (let i = 0; i < 3; i++) {
    const res = await request('POST', `${R}/${tokens[i]}`, { json: { answers: answers[i], comment: `意见 ${i}` } });
    const body = expectStatus(res, 201);
    assert.equal(body.score, totals[i] / 100);
    assert.equal(body.rating_recorded, true);
  }
  // single use; unknown; bad answers name the answer and use nothing up
  expectError(await request('POST', `${R}/${tokens[0]}`, { json: { answers: answers[0] } }), 409, 'conflict');
  expectError(await request('POST', `${R}/${'A'.repeat(43)}`, { json: { answers: answers[0] } }), 404, 'not_found');
  expectError(await request('POST', `${R}/${tokens[3]}`, { json: { answers: { speed: 5, quality: 4 } } }), 422, 'validation_failed', 'answers.attitude');
  expectError(await request('POST', `${R}/${tokens[3]}`, { json: { answers: { speed: 5, quality: 9, attitude: 1 } } }), 422, 'validation_failed', 'answers.quality');
  expectError(await request('POST', `${R}/${tokens[3]}`, { json: { answers: { speed: 5, quality: 4, attitude: 1, price: 3 } } }), 422, 'validation_failed', 'answers.price');
  expectError(await request('POST', `${R}/${tokens[3]}`, { json: { answers: answers[0], extra: 1 } }), 422, 'validation_failed', 'extra');
  expectError(await request('POST', `${R}/${tokens[3]}`, { body: Buffer.from('x'.repeat(9000)), headers: { 'Content-Type': 'application/json' } }), 413, 'payload_too_large');
  const form3 = expectStatus(await request('GET', `${R}/${tokens[3]}`), 200);
  assert.equal(form3.responded, false, 'a refused response uses nothing up');
  const form0 = expectStatus(await request('GET', `${R}/${tokens[0]}`), 200);
  assert.equal(form0.responded, true);
  assert.equal(form0.accepting_responses, false);

  // figures, recomputed here
  s1 = expectStatus(await c.auditor.get(`${S}/${s1.id}`), 200);
  const sum = totals.reduce((a, b) => a + b, 0);
  assert.equal(s1.invited, 5);
  assert.equal(s1.responded, 3);
  assert.equal(s1.response_rate, r4(3 / 5));
  assert.equal(s1.satisfaction_index, r4(sum / (100 * 3)));
  assert.equal(s1.satisfaction_index_100, r4((sum - 300) / (4 * 3)));
  for (const q of QUESTIONS) {
    const avg = s1.question_averages.find((x) => x.key === q.key).average;
    assert.equal(avg, r4(answers.reduce((s, a) => s + a[q.key], 0) / 3), `average of ${q.key}`);
  }
  assert.equal(s1.ratings_recorded, 3);
  // each response became its ticket's rating: the weighted score rounded half up
  for (let i = 0; i < 3; i++) {
    const rt = expectStatus(await c.auditor.get(`/api/v1/tickets/${want[i]}/rating`), 200);
    assert.equal(rt.source, 'survey');
    assert.equal(rt.survey_id, s1.id);
    assert.equal(rt.score, Math.floor(totals[i] / 100 + 0.5));
    assert.equal(rt.rated_by, null);
    expectError(await c.planner.post(`/api/v1/tickets/${want[i]}/rating`, { score: 1 }), 409, 'conflict');
  }
  const inv = s1.invitations.find((x) => x.ticket_id === want[1]);
  assert.deepEqual(inv.answers, answers[1]);
  assert.equal(inv.comment, '意见 1');

  // a second campaign on the same period samples only the tickets not yet invited
  const s2 = expectStatus(await c.quality.post(S, { ...base, name: '第二轮' }), 201);
  const o2 = expectStatus(await c.quality.post(`${S}/${s2.id}/open`, {}), 200);
  const rest = eligible.filter((id) => !want.includes(id));
  assert.deepEqual(o2.links.map((l) => l.ticket_id), expectedSample(s2.seed, rest, 5));
  assert.equal(o2.invited, 3);
  // a third finds nothing to sample: 422 naming the period, and stays a draft
  const s3 = expectStatus(await c.quality.post(S, { ...base, name: '第三轮' }), 201);
  expectError(await c.quality.post(`${S}/${s3.id}/open`, {}), 422, 'validation_failed', 'period');
  assert.equal(expectStatus(await c.auditor.get(`${S}/${s3.id}`), 200).status, 'draft');

  // closing: no more responses (409 invalid_state)
  const closed = expectStatus(await c.quality.post(`${S}/${s1.id}/close`, {}), 200);
  assert.equal(closed.status, 'closed');
  assert.ok(closed.closed_at);
  expectError(await request('POST', `${R}/${tokens[4]}`, { json: { answers: answers[0] } }), 409, 'invalid_state');
  expectError(await c.quality.post(`${S}/${s1.id}/close`, {}), 409, 'invalid_state');
  const formClosed = expectStatus(await request('GET', `${R}/${tokens[4]}`), 200);
  assert.equal(formClosed.accepting_responses, false);
  assert.equal(formClosed.survey.status, 'closed');

  // lists
  const all = await listAll(c.member, `${S}?period=${PERIOD}`);
  assert.deepEqual(all.map((x) => x.id).filter((id) => [s1.id, s2.id, s3.id].includes(id)), [s1.id, s2.id, s3.id]);
  assert.deepEqual((await listAll(c.member, `${S}?period=${PERIOD}&status=open`)).map((x) => x.id), [s2.id]);
  expectError(await c.member.get(`${S}?status=running`), 400, 'bad_request', 'status');
  expectError(await c.member.get(`${S}/99999999`), 404, 'not_found');
});
