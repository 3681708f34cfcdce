// `nengli demo` on a database of its own (a temp SQLite file, or a new database in the PostgreSQL cluster under test —
// never the shared test database): it loads a living organisation whose last year's cycle is complete and whose
// current year is in progress; a second run refuses. Then, on a server of its own, each demo user sees what a
// newcomer would: the approved plans with their history and versions, the achievement tables, last year's finalized
// evaluation, the tracking table with overdue items, and reminders. `nengli audit verify` passes.
// "Today" is the server's (Asia/Shanghai, or NENGLI_TODAY when set); the checks that need a past month or an overdue
// item are made only when the calendar allows them (not on 1 January).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, startServer, sessionCookie, expectStatus, expectError, describe, localDate, setCookiesOf } from './lib.mjs';

const BIN = env('NENGLI_BIN');
const SHARED_DB = env('NENGLI_DB');
const IS_PG = /^postgres(ql)?:\/\//.test(SHARED_DB);
const USERS = ['admin', 'approver', 'planner', 'hr', 'quality', 'member', 'auditor'];

// today as the server sees it
const TODAY = process.env.NENGLI_TODAY ||
  localDate('Asia/Shanghai', new Date());
const Y = Number(TODAY.slice(0, 4));
const MONTH = Number(TODAY.slice(5, 7));
const LAST_MONTH = MONTH - 1;                       // the last month of Y that has ended (0 in January)
const pad = (n) => String(n).padStart(2, '0');

let dir, db, pgName, srv;
const as = {};

function run(...args) {
  const t0 = Date.now();
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - t0 };
}

function psql(url, sql) {
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
}

// One request to the demo's own server, in lib.mjs's response shape (so expectStatus/expectError/describe work).
async function call(method, urlPath, { json, cookie, csrf } = {}) {
  const headers = {};
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  if (cookie) headers.Cookie = cookie;
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const body = json !== undefined ? JSON.stringify(json) : undefined;
  const res = await fetch(srv.url + urlPath, { method, headers, body, signal: AbortSignal.timeout(20000) });
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = undefined; }
  return { status: res.status, headers: res.headers, text, json: data, setCookies: setCookiesOf(res.headers), method,
    path: urlPath, requestBody: body };
}

async function loginAs(username) {
  const res = await call('POST', '/api/v1/session', { json: { username, password: `${username}-demo` } });
  const body = expectStatus(res, 200);
  const c = sessionCookie(res);
  assert.ok(c && c.value, `a session cookie for ${username}${describe(res)}`);
  const cookie = `nengli_session=${c.value}`;
  const csrf = body.csrf_token;
  return {
    user: body.user,
    get: (p) => call('GET', p, { cookie }),
    post: (p, json = {}) => call('POST', p, { json, cookie, csrf }),
  };
}

const ok = async (client, p) => expectStatus(await client.get(p), 200);

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nengli-demo-'));
  if (IS_PG) {
    pgName = `nengli_demo_${randomBytes(4).toString('hex')}`;
    psql(SHARED_DB, `CREATE DATABASE ${pgName}`);
    const u = new URL(SHARED_DB);
    u.pathname = `/${pgName}`;
    db = u.toString();
  } else {
    db = path.join(dir, 'demo.db');
  }
  const pw = path.join(dir, 'admin-password');
  writeFileSync(pw, 'demo-test-admin-password\n');
  const init = run('init', '--db', db, '--admin-password-file', pw);
  assert.equal(init.code, 0, init.err);
});

after(async () => {
  if (srv) {
    srv.proc.kill('SIGTERM');
    await srv.exited;
  }
  if (pgName) psql(SHARED_DB, `DROP DATABASE IF EXISTS ${pgName}`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('nengli demo loads the organisation and its cycle; the audit chain holds; a second run refuses', async (t) => {
  const demo = run('demo', '--db', db);
  assert.equal(demo.code, 0, demo.err);
  t.diagnostic(`nengli demo took ${demo.ms} ms`);
  assert.match(demo.out, new RegExp(`${Y - 1} \\(last year.*plan v1 approved`));
  assert.match(demo.out, new RegExp(`${Y} \\(this year.*plan v2 approved`));
  const verify = run('audit', 'verify', '--db', db);
  assert.equal(verify.code, 0, verify.err);
  const again = run('demo', '--db', db);
  assert.equal(again.code, 1, 'a second demo run exits 1');
  assert.match(again.err, /demo is loaded in .* already/);
  assert.equal(run('audit', 'verify', '--db', db).code, 0);
  srv = await startServer({ db, logName: 'demo-server.log' });
  for (const name of USERS) as[name] = await loginAs(name);
});

test("last year's plan: approved after a rejection and a second meeting, items in all four elements", async () => {
  const plans = (await ok(as.member, `/api/v1/plans?year=${Y - 1}`)).items;
  assert.equal(plans.length, 1);
  const plan = await ok(as.member, `/api/v1/plans/${plans[0].id}`);
  assert.equal(plan.status, 'approved');
  assert.equal(plan.version, 1);
  assert.equal(plan.prepared_by, as.planner.user.id);
  assert.equal(plan.approved_by, as.approver.user.id);
  for (const el of ['people', 'process', 'technology', 'resources']) assert.ok(plan.coverage[el] >= 2, `items in ${el}`);
  for (const item of plan.items) {
    assert.ok(item.owner_department_id && item.owner_user_id && item.due_date && item.budget && item.objective,
      `item ${item.id} has owner, due date, budget`);
  }
  assert.equal(plan.meetings.length, 2);
  assert.ok(plan.meetings.every((m) => m.decision === 'pass' && m.held_on < `${Y - 1}-01-01`), 'meetings in December before');
  const history = (await ok(as.auditor, `/api/v1/plans/${plan.id}/history`)).items.map((h) => h.action);
  assert.deepEqual(history, ['created', 'meeting', 'submitted', 'rejected', 'meeting', 'submitted', 'approved']);
  const rejected = (await ok(as.auditor, `/api/v1/plans/${plan.id}/history`)).items.find((h) => h.action === 'rejected');
  assert.ok(rejected.comment.length > 0, 'the rejection has its comment');
  assert.ok(plan.review_problems && plan.tracking_plan, 'review and tracking sections are written');
});

test("this year's plan: prefilled from last year's evaluation, approved v1, revised and approved v2; both versions readable", async () => {
  const plans = (await ok(as.member, `/api/v1/plans?year=${Y}`)).items;
  assert.equal(plans.length, 1);
  const plan = await ok(as.member, `/api/v1/plans/${plans[0].id}`);
  assert.equal(plan.status, 'approved');
  assert.equal(plan.version, 2);
  assert.match(plan.review_carryover, /自动化巡检/, 'the carried-over suggestions come from the evaluation');
  assert.match(plan.review_achievements, /指标达成/);
  const versions = (await ok(as.auditor, `/api/v1/plans/${plan.id}/versions`)).items;
  assert.deepEqual(versions.map((v) => v.version), [1, 2]);
  const v1 = await ok(as.member, `/api/v1/plans/${plan.id}/versions/1`);
  const v2 = await ok(as.member, `/api/v1/plans/${plan.id}/versions/2`);
  assert.equal(v1.version, 1);
  assert.equal(v2.version, 2);
  assert.equal(v2.items.length, v1.items.length + 1, 'the revision added an item');
  assert.ok(v2.items.some((i) => i.area === 'process.security') && !v1.items.some((i) => i.area === 'process.security'));
  const history = (await ok(as.auditor, `/api/v1/plans/${plan.id}/history`)).items;
  assert.deepEqual(history.map((h) => `${h.version}:${h.action}`),
    ['1:created', '1:meeting', '1:submitted', '1:approved', '2:revised', '2:meeting', '2:submitted', '2:approved']);
  assert.ok(history.find((h) => h.action === 'revised').comment.length > 0, 'the revision says what changed');
  expectError(await as.planner.post(`/api/v1/plans/${plan.id}/items`, { element: 'people', area: 'people.training', objective: 'x' }),
    409, 'invalid_state');
  expectError(await as.planner.post('/api/v1/plans', { year: Y, title: 'again' }), 409, 'conflict', 'year');
});

test('achievement tables: last year all closed with met, warning and missed values, each miss analysed', async () => {
  const last = (await ok(as.auditor, `/api/v1/achievement?year=${Y - 1}`)).items;
  assert.equal(last.length, 9);
  const values = last.flatMap((r) => r.values);
  assert.ok(values.every((v) => v.actual !== null && v.closed), 'every period of last year has a value and is closed');
  const statuses = new Set(values.map((v) => v.status));
  for (const s of ['met', 'warning', 'missed']) assert.ok(statuses.has(s), `last year has ${s} values`);
  const missed = values.filter((v) => v.status === 'missed');
  assert.ok(missed.length >= 2 && missed.length <= 3, `two or three misses (${missed.length})`);
  assert.ok(missed.every((v) => v.deviation_analysis && v.corrective_action), 'every miss has its analysis and action');
  assert.deepEqual(new Set(last.map((r) => r.metric.frequency)), new Set(['month', 'quarter', 'year']));
  assert.deepEqual(new Set(last.map((r) => r.metric.direction)), new Set(['higher_better', 'lower_better']));
  const closed = (await ok(as.auditor, `/api/v1/achievement/closed?year=${Y - 1}`)).items;
  assert.equal(closed.length, 12 + 4 + 1);
  assert.ok(closed.every((c) => c.closed_by === as.quality.user.id), 'quality closed them');

  const cur = (await ok(as.member, `/api/v1/achievement?year=${Y}`)).items;
  assert.equal(cur.length, 9);
  const inc = cur.find((r) => r.metric.code === 'PRC-INC-ONTIME');
  const recorded = inc.values.filter((v) => v.actual !== null).map((v) => v.period);
  assert.deepEqual(recorded, Array.from({ length: LAST_MONTH }, (_, i) => `${Y}-${pad(i + 1)}`), 'values up to last month');
  for (const v of inc.values) {
    const m = Number(v.period.slice(5));
    assert.equal(v.closed, m < LAST_MONTH, `${v.period} closed up to two months ago`);
  }
  if (LAST_MONTH >= 1) {
    const open = inc.values[LAST_MONTH - 1];
    assert.equal(open.status, 'missed');
    assert.ok(!open.deviation_analysis, 'the latest miss still lacks its analysis');
  }
});

test('closing the latest month is refused while its miss lacks an analysis (something for quality to do)', async (t) => {
  if (LAST_MONTH < 1) return t.skip('no month of this year has ended yet');
  const period = `${Y}-${pad(LAST_MONTH)}`;
  expectError(await as.member.post('/api/v1/achievement/close', { period }), 403, 'forbidden');
  const e = expectError(await as.quality.post('/api/v1/achievement/close', { period }), 422, 'validation_failed', 'period');
  assert.match(e.message, /PRC-INC-ONTIME/);
  const closed = (await ok(as.auditor, `/api/v1/achievement/closed?year=${Y}`)).items.map((c) => c.period);
  assert.ok(!closed.includes(period), 'still open');
});

test("last year's evaluation is finalized by quality, with suggestions that have owners, dates and priorities", async () => {
  const ev = await ok(as.member, `/api/v1/evaluations/${Y - 1}`);
  assert.equal(ev.status, 'finalized');
  assert.equal(ev.approval.finalized_by, as.quality.user.id);
  assert.equal(ev.metrics.summary.total, 9);
  assert.ok(ev.metrics.summary.missed >= 1);
  assert.equal(ev.plan_completion.tasks_total, 12);
  assert.equal(ev.plan_completion.done_late, 1);
  assert.equal(ev.plan_completion.cancelled, 1);
  assert.ok(ev.conclusion_edited && ev.conclusion.length > 0);
  assert.ok(ev.problems_edited && ev.problems.length >= 3);
  assert.ok(ev.suggestions.length >= 3);
  for (const s of ev.suggestions) {
    assert.ok(s.owner_department_id && s.owner_user_id && s.due_date && ['high', 'medium', 'low'].includes(s.priority),
      `suggestion "${s.text}" has owner, due date and priority`);
  }
  expectError(await as.quality.post(`/api/v1/evaluations/${Y - 1}/finalize`, {}), 409, 'invalid_state');
});

test('tracking: last year done (one late, one cancelled, checks verified); this year in every state, with overdue items', async () => {
  const last = (await ok(as.auditor, `/api/v1/tracking?year=${Y - 1}`)).items;
  assert.equal(last.length, 12);
  assert.ok(last.every((t) => ['done', 'cancelled'].includes(t.status)));
  assert.deepEqual(last.filter((t) => t.outcome === 'done_late').map((t) => t.delay_days), [20]);
  assert.equal(last.filter((t) => t.status === 'cancelled').length, 1);
  assert.deepEqual(new Set(last.map((t) => t.department)).size, 3);
  const lastChecks = last.flatMap((t) => t.checks);
  assert.ok(lastChecks.length >= 2 && lastChecks.every((c) => c.verified), 'quality checked and verified');

  const cur = (await ok(as.member, `/api/v1/tracking?year=${Y}`)).items;
  assert.ok(cur.length >= 10);
  const statuses = new Set(cur.map((t) => t.status));
  for (const s of ['in_progress', 'cancelled', 'not_started']) assert.ok(statuses.has(s), `a work item ${s}`);
  if (TODAY < `${Y}-01-02`) return;
  const overdue = cur.filter((t) => t.overdue);
  assert.ok(overdue.length >= 2, `two overdue items (${overdue.length})`);
  assert.ok(overdue.every((t) => t.delay_days > 0));
  assert.ok(overdue.some((t) => t.checks.length > 0 && t.open_checks > 0), 'one checked, its corrective action not yet verified');
  assert.ok(overdue.some((t) => t.checks.length === 0), 'one not yet checked');
  const soon = cur.find((t) => t.owner_user_id === as.member.user.id && !t.overdue && t.status !== 'done' &&
    t.status !== 'cancelled' && (Date.parse(t.planned_end) - Date.parse(TODAY)) / 86400000 <= 7 && t.planned_end >= TODAY);
  assert.ok(soon, "a work item of member's due within 7 days");
  const onlyOverdue = (await ok(as.auditor, `/api/v1/tracking?year=${Y}&overdue=true`)).items;
  assert.deepEqual(onlyOverdue.map((t) => t.id).sort(), overdue.map((t) => t.id).sort());
});

test('member, quality and planner have reminders; the audit log names the real users', async () => {
  const kinds = {};
  for (const name of ['member', 'quality', 'planner']) {
    const items = (await ok(as[name], '/api/v1/notifications')).items;
    assert.ok(items.length > 0, `${name} has reminders`);
    kinds[name] = items.map((n) => n.kind);
  }
  if (TODAY >= `${Y}-01-02`) {
    assert.ok(kinds.member.includes('task_due_soon') && kinds.member.includes('task_overdue'), `member: ${kinds.member}`);
    assert.ok(kinds.planner.includes('task_overdue') && kinds.planner.includes('check_open'), `planner: ${kinds.planner}`);
  }
  assert.ok(kinds.quality.includes('task_due_soon'), `quality: ${kinds.quality}`);
  const rows = (await ok(as.auditor, '/api/v1/audit?entity=plan&limit=100')).items;
  const actors = new Set(rows.map((r) => r.actor));
  assert.ok(actors.has('planner') && actors.has('approver'), `plan actions by planner and approver: ${[...actors]}`);
  assert.ok(!actors.has('cli'), 'no cycle write is made as "cli"');
  assert.equal(run('audit', 'verify', '--db', db).code, 0);
});
