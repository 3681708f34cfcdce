// Several servers, one database (issue 8): a SECOND `nengli serve` on the same PostgreSQL database as the server under
// test, then: a session made on server A works on server B (cookie + CSRF token; logout on B ends it on A); concurrent
// PATCHes of one plan with the same If-Match from both servers give exactly one 200 and one 409; concurrent imports of
// the same CSV on both servers leave no duplicate tickets and no 5xx; the KPIs seen from either server agree after an
// import on the other; failed logins on A count for B (throttling is kept in the database). PostgreSQL only: two
// processes on one SQLite file are not a supported deployment, so on SQLite every test is skipped with that reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, uniq, env, startServer, BASE_URL }
  from './lib.mjs';

const PG = /^postgres(ql)?:\/\//i.test(process.env.NENGLI_DB || '');
const SKIP = PG ? false : 'two servers on one database need PostgreSQL (NENGLI_DB is not a postgresql:// URL)';

let B = null;        // {proc, url, port, exited}: the second server
let A_URL;
let adm, planner, quality, dept, plannerCreds;

/**
 * send(base, client, method, path, {json, body, headers, csrf}): like Client.req, but against the server at `base`,
 * with the client's session cookie (or bearer token) and CSRF token. Same result shape as lib's request().
 */
async function send(base, client, method, urlPath, { json, body, headers = {}, csrf = true, timeout = 60000 } = {}) {
  const h = { ...headers };
  if (client && client.cookie) h.Cookie = client.cookie;
  if (client && client.bearer) h.Authorization = `Bearer ${client.bearer}`;
  if (client && client.cookie && method !== 'GET' && method !== 'HEAD' && csrf && client.csrf) h['X-CSRF-Token'] = client.csrf;
  let payload;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    h['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    payload = body;
  }
  let res;
  try {
    res = await fetch(base + urlPath, { method, headers: h, body: payload, redirect: 'manual', signal: AbortSignal.timeout(timeout) });
  } catch (err) {
    throw new Error(`${method} ${base}${urlPath}: no HTTP response: ${err.message}${err.cause ? ` (${err.cause.code || err.cause.message})` : ''}`);
  }
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = undefined; }
  return { status: res.status, headers: res.headers, text, json: data, setCookies: [], method, path: `${base}${urlPath}`,
    requestBody: payload };
}

/** All tickets of a source, read from the server at base (follows next_cursor). */
async function ticketsOf(base, client, source) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 100; page++) {
    const res = await send(base, client, 'GET',
      `/api/v1/tickets?source=${encodeURIComponent(source)}&limit=500` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
    const b = expectStatus(res, 200);
    items.push(...b.items);
    if (b.next_cursor === null) return items;
    cursor = b.next_cursor;
  }
  throw new Error('too many pages');
}

/** A CSV of n tickets (external ids P-0 … P-(n-1)) opened in month `ym` (YYYY-MM) for department `code`. */
function csvOf(n, ym, code, tag = '') {
  const lines = ['external_id,title,priority,opened_at,first_response_at,resolved_at,department,status'];
  for (let i = 0; i < n; i++) {
    const day = String(1 + (i % 27)).padStart(2, '0');
    const resolved = i % 3 !== 0;
    lines.push([`P-${i}`, `two servers ${tag} ${i}`, `P${1 + (i % 4)}`, `${ym}-${day} 09:00`, `${ym}-${day} 09:${String(10 + (i % 40)).padStart(2, '0')}`,
      resolved ? `${ym}-${day} 15:00` : '', code, resolved ? 'resolved' : 'in_progress'].join(','));
  }
  return lines.join('\n') + '\n';
}

const importCsv = (base, client, source, csv) => send(base, client, 'POST', `/api/v1/imports?format=csv&source=${encodeURIComponent(source)}`,
  { body: Buffer.from(csv), headers: { 'Content-Type': 'text/csv' } });

before(async () => {
  if (!PG) return;
  A_URL = BASE_URL;
  B = await startServer({ logName: 'two-servers-b.log', db: env('NENGLI_DB') });
  adm = await admin();
  dept = await createDepartment(adm);
  plannerCreds = await createUser(adm, { roles: ['planner'], department_id: dept.id });
  const q = await createUser(adm, { roles: ['quality'], department_id: dept.id });
  planner = await login(plannerCreds.username, plannerCreds.password);   // logs in on A (BASE_URL)
  quality = await login(q.username, q.password);
});

after(async () => {
  if (B && B.proc.exitCode === null && B.proc.signalCode === null) {
    B.proc.kill('SIGKILL');
    await B.exited;
  }
});

test('a session made on server A works on server B (cookie + CSRF token), and a logout on B ends it on A', { skip: SKIP }, async () => {
  assert.notEqual(A_URL, B.url);
  const me = expectStatus(await send(B.url, planner, 'GET', '/api/v1/me'), 200);
  assert.equal(me.username, plannerCreds.username);
  assert.deepEqual(me.roles, ['planner']);
  // a write on B needs the CSRF token issued on A
  const s = await login(plannerCreds.username, plannerCreds.password);
  expectError(await send(B.url, s, 'DELETE', '/api/v1/session', { csrf: false }), 403, 'csrf_failed');
  expectError(await send(B.url, { cookie: s.cookie, csrf: 'not-the-token' }, 'DELETE', '/api/v1/session'), 403, 'csrf_failed');
  const out = await send(B.url, s, 'DELETE', '/api/v1/session');
  assert.ok(out.status === 200 || out.status === 204, `logout on B${describe(out)}`);
  expectError(await send(A_URL, s, 'GET', '/api/v1/me'), 401, 'unauthenticated');
  expectError(await send(B.url, s, 'GET', '/api/v1/me'), 401, 'unauthenticated');
  // the first session is untouched
  expectStatus(await send(A_URL, planner, 'GET', '/api/v1/me'), 200);
});

test('concurrent PATCHes of one plan from both servers with the same If-Match: one 200 and one 409', { skip: SKIP }, async () => {
  let plan = null;
  for (let attempt = 0; attempt < 40 && !plan; attempt++) {
    const year = 2085 + Math.floor(Math.random() * 15);
    const res = await send(B.url, planner, 'POST', '/api/v1/plans', { json: { year, title: `${year} 双服务器测试计划` } });
    if (res.status === 409) continue;
    plan = expectStatus(res, 201);
  }
  assert.ok(plan, 'created a plan for a free year in 2085–2099');
  for (let round = 0; round < 6; round++) {
    const cur = expectStatus(await send(round % 2 ? A_URL : B.url, planner, 'GET', `/api/v1/plans/${plan.id}`), 200);
    const rv = cur.row_version;
    const im = { 'If-Match': `"${rv}"` };
    const [ra, rb] = await Promise.all([
      send(A_URL, planner, 'PATCH', `/api/v1/plans/${plan.id}`, { json: { review_problems: `A ${round}` }, headers: im }),
      send(B.url, planner, 'PATCH', `/api/v1/plans/${plan.id}`, { json: { review_problems: `B ${round}` }, headers: im }),
    ]);
    const ctx = describe(ra) + describe(rb);
    assert.deepEqual([ra.status, rb.status].sort(), [200, 409], `round ${round}: one success, one conflict${ctx}`);
    const [win, lose, who] = ra.status === 200 ? [ra, rb, 'A'] : [rb, ra, 'B'];
    expectError(lose, 409, 'conflict');
    assert.equal(win.json.row_version, rv + 1, `row_version + 1${ctx}`);
    const now = expectStatus(await send(round % 2 ? B.url : A_URL, planner, 'GET', `/api/v1/plans/${plan.id}`), 200);
    assert.equal(now.row_version, rv + 1, `exactly one update applied${ctx}`);
    assert.equal(now.review_problems, `${who} ${round}`, `the winner's change is the one kept${ctx}`);
  }
});

test('concurrent imports of the same CSV on both servers: no duplicates, no 5xx', { skip: SKIP }, async () => {
  for (let round = 0; round < 4; round++) {
    const source = uniq('dup').replace(/[^a-z0-9-]/g, '');
    const n = 40;
    const csv = csvOf(n, '2093-0' + (1 + round), dept.code, source);
    const results = await Promise.all([importCsv(A_URL, quality, source, csv), importCsv(B.url, quality, source, csv)]);
    const ctx = results.map(describe).join('');
    for (const r of results) {
      assert.ok(r.status < 500, `no 5xx${ctx}`);
      assert.ok(r.status === 201 || r.status === 409, `201, or 409 for the import that lost a race${ctx}`);
    }
    for (const r of results) if (r.status === 409) expectError(r, 409, 'conflict');
    const ok = results.filter((r) => r.status === 201).map((r) => r.json);
    assert.ok(ok.length >= 1, `at least one import succeeded${ctx}`);
    for (const rep of ok) {
      assert.equal(rep.status, 'done', ctx);
      assert.equal(rep.rows_read, n, ctx);
      assert.equal(rep.updated, 0, `nothing to update: both files are the same${ctx}`);
    }
    assert.equal(ok.reduce((s, rep) => s + rep.inserted, 0), n, `the rows were inserted once in all${ctx}`);
    for (const base of [A_URL, B.url]) {
      const got = await ticketsOf(base, quality, source);
      assert.equal(got.length, n, `${base}: ${n} tickets for the source${ctx}`);
      assert.equal(new Set(got.map((t) => t.external_id)).size, n, `${base}: no duplicate external_id${ctx}`);
    }
    // a third import, after both: unchanged everywhere
    const again = expectStatus(await importCsv(round % 2 ? A_URL : B.url, quality, source, csv), 201);
    assert.deepEqual([again.inserted, again.updated], [0, 0], JSON.stringify(again));
  }
});

test('the KPIs seen from either server agree after an import on the other', { skip: SKIP }, async () => {
  const kdept = await createDepartment(adm);
  const q = `/api/v1/kpis?from=2094-01-01&to=2094-06-30&period=month&department_id=${kdept.id}`;
  // read on both first, so that any per-process cache is warm
  const a0 = expectStatus(await send(A_URL, quality, 'GET', q), 200);
  const b0 = expectStatus(await send(B.url, quality, 'GET', q), 200);
  assert.deepEqual(a0, b0, 'before the imports');
  let expected = 0;
  for (const [i, [importOn, ym, n]] of [[B.url, '2094-03', 12], [A_URL, '2094-05', 7], [B.url, '2094-03', 5]].entries()) {
    const source = uniq('kpi').replace(/[^a-z0-9-]/g, '');
    const rep = expectStatus(await importCsv(importOn, quality, source, csvOf(n, ym, kdept.code, `k${i}`)), 201);
    assert.equal(rep.inserted, n, JSON.stringify(rep));
    expected += n;
    const a = await send(A_URL, quality, 'GET', q);
    const b = await send(B.url, quality, 'GET', q);
    const ka = expectStatus(a, 200), kb = expectStatus(b, 200);
    assert.deepEqual(ka, kb, `import ${i} on ${importOn === A_URL ? 'A' : 'B'}: the same KPIs from A and B${describe(a)}${describe(b)}`);
    const total = ka.items.filter((row) => row.department_id === kdept.id).reduce((s, row) => s + (row.values.tickets || 0), 0);
    assert.equal(total, expected, `the tickets KPI counts every import so far${describe(a)}`);
  }
});

test('failed logins on A count for B: after 5 failures split between the servers, the 6th on either is 429', { skip: SKIP }, async () => {
  const { username, password } = await createUser(adm, { roles: ['member'] });
  const bad = (base) => send(base, null, 'POST', '/api/v1/session', { json: { username, password: 'wrong-password-123' } });
  // five at once, three on A and two on B: the counter must not lose a concurrent increment
  const first = await Promise.all([bad(A_URL), bad(B.url), bad(A_URL), bad(B.url), bad(A_URL)]);
  for (const r of first) expectError(r, 401, 'unauthenticated');
  for (const base of [B.url, A_URL]) {
    const r = await send(base, null, 'POST', '/api/v1/session', { json: { username, password } });
    expectError(r, 429, 'too_many_requests');
    assert.match(r.headers.get('retry-after') || '', /^\d+$/, `Retry-After${describe(r)}`);
  }
});

test('the second server stops cleanly on SIGTERM (exit 0)', { skip: SKIP }, async () => {
  B.proc.kill('SIGTERM');
  const timer = setTimeout(() => B.proc.kill('SIGKILL'), 10000);
  const { code, signal } = await B.exited;
  clearTimeout(timer);
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, 'exit status 0 after SIGTERM');
  // the first server is unaffected
  expectStatus(await send(A_URL, planner, 'GET', '/api/v1/me'), 200);
});
