// Web security (issue 9 item 6): CSRF on EVERY cookie-authenticated write route (the routes read from
// src/http/routes.c, so a new route is covered the day it is added), the security headers on API, static and error
// responses (also the early 413 answered before the body is read), session revocation on a password change, and the
// password policy. (The basic CSRF cases, cookie flags and login throttling are in csrf.test.mjs and session.test.mjs.)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import path from 'node:path';
import {
  BASE_URL, ROLES, admin, login, createUser, createDepartment, createToken, bearer, request, expectStatus, expectError,
  describe, uniq, randomPassword, Client,
} from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The route table of src/http/routes.c: [method, pattern, action|null, flags]. */
function routesC() {
  const src = readFileSync(path.join(ROOT, 'src/http/routes.c'), 'utf8');
  const re = /\{\s*"(GET|POST|PUT|PATCH|DELETE|HEAD)",\s*"([^"]+)",\s*(\w+),\s*(NULL|"[^"]*")\s*,\s*([^,]+),/g;
  return [...src.matchAll(re)].map((m) => [m[1], m[2], m[4] === 'NULL' ? null : m[4].slice(1, -1), m[5].trim()]);
}

// ids that do not exist and periods nobody uses: even a handler that ran would find nothing to change
const PARAMS = {
  id: '999999991', version: '999991', ticket_id: '999999991', skill_id: '999999991', staff_id: '999999991',
  period: '1902-01', year: '1902', date: '1902-01-01', record: 'no-such-record', token: 'no-such-survey-token',
};
const concrete = (pattern) => pattern.replace(/\{(\w+)\}/g, (_, name) => PARAMS[name] || '999999991');

let adm;
let everything;      // a cookie session of a user holding all seven roles: every route's permission check passes
let everyoneUser;

async function auditCount(actorId) {
  // the audit log counts this actor's writes; limit=500 pages are enough for the handful this file makes
  let n = 0;
  let cursor = null;
  for (;;) {
    const res = await adm.get(`/api/v1/audit?actor_id=${actorId}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const body = expectStatus(res, 200);
    n += body.items.length;
    if (!body.next_cursor) return n;
    cursor = body.next_cursor;
  }
}

before(async () => {
  adm = await admin();
  const dept = await createDepartment(adm);
  const u = await createUser(adm, { roles: [...ROLES], department_id: dept.id, display_name: '全部角色' });
  everyoneUser = u.user;
  everything = await login(u.username, u.password);
});

test('every cookie-authenticated write route refuses a request without X-CSRF-Token (403 csrf_failed), nothing written', async () => {
  const writes = routesC().filter(([m, , action]) => m !== 'GET' && m !== 'HEAD' && action !== null);
  assert.ok(writes.length >= 80, `found only ${writes.length} write routes in routes.c: the pattern no longer fits the file`);
  // DELETE /api/v1/session last: were it to pass, it would end the session the other checks use
  writes.sort((a, b) => (a[1] === '/api/v1/session') - (b[1] === '/api/v1/session'));
  const before = await auditCount(everyoneUser.id);
  const bad = [];
  for (const [method, pattern] of writes) {
    const p = concrete(pattern);
    const opts = method === 'DELETE' ? {} : { json: {} };
    for (const [how, csrf] of [['no header', false], ['a wrong token', 'x'.repeat(everything.csrf.length)], ['an empty one', '']]) {
      const res = await everything.req(method, p, { ...opts, csrf });
      if (res.status !== 403 || !res.json || !res.json.error || res.json.error.code !== 'csrf_failed') {
        bad.push(`${method} ${pattern} with ${how} → ${res.status}${describe(res)}`);
      }
    }
  }
  assert.deepEqual(bad, [], `${bad.length} cookie writes without a valid CSRF token were not refused:\n${bad.join('\n')}`);
  console.log(`csrf: ${writes.length} cookie-authenticated write routes × 3 (no header, wrong, empty) → 403 csrf_failed`);
  expectStatus(await everything.get('/api/v1/me'), 200);   // the session is still there (DELETE /session was refused)
  assert.equal(await auditCount(everyoneUser.id), before, 'no audit row: nothing was written');
  // the read-back can see a write: the same session with its token writes, and the audit count moves
  expectStatus(await everything.post('/api/v1/tokens', { name: uniq('csrf-ok') }), 201);
  assert.equal(await auditCount(everyoneUser.id), before + 1, 'a write with the token is audited');
});

test('the CSRF token of one session does not pass for another session of the same user', async () => {
  const u = await createUser(adm, { roles: ['admin'] });
  const a = await login(u.username, u.password);
  const b = await login(u.username, u.password);
  assert.notEqual(a.csrf, b.csrf, 'each session has its own token');
  const code = uniq('X').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
  expectError(await a.post('/api/v1/departments', { code, name: '跨会话', name_en: 'cross' }, { csrf: b.csrf }), 403, 'csrf_failed');
  const list = expectStatus(await adm.get('/api/v1/departments?limit=500'), 200).items;
  assert.ok(!list.some((d) => d.code === code), 'nothing written');
});

/** The headers every answer carries (API, static, errors). */
function expectSecurityHeaders(res, what) {
  const h = (n) => res.headers.get(n) || '';
  const csp = h('content-security-policy');
  assert.match(csp, /default-src 'self'/, `${what}: CSP default-src 'self' (${csp})`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP frame-ancestors 'none' (${csp})`);
  assert.match(csp, /script-src 'self'(;|$)/, `${what}: CSP script-src 'self' without inline scripts (${csp})`);
  assert.match(csp, /base-uri 'none'/, `${what}: CSP base-uri (${csp})`);
  assert.equal(h('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(h('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  assert.ok(h('x-request-id'), `${what}: X-Request-Id`);
}

test('security headers on API answers, static files, and every kind of error', async () => {
  const t = await createToken(adm);
  const b = bearer(t.token);
  const cases = [];
  const me = await b.get('/api/v1/me');
  expectStatus(me, 200);
  assert.equal(me.headers.get('cache-control'), 'no-store', 'API answers are not cached');
  cases.push(['GET /api/v1/me (200)', me]);
  const index = await request('GET', '/');
  expectStatus(index, 200);
  cases.push(['GET / (static index.html)', index]);
  const asset = /(?:src|href)="(\/assets\/[^"]+)"/.exec(index.text);
  if (asset) {
    const a = await request('GET', asset[1]);
    expectStatus(a, 200);
    cases.push([`GET ${asset[1]} (static asset)`, a]);
  }
  cases.push(['GET /client/side/route (SPA fallback)', await request('GET', '/plans/2026')]);
  cases.push(['404', await b.get('/api/v1/no-such-thing')]);
  cases.push(['404 static', await request('GET', '/assets/no-such-file.js')]);
  cases.push(['401', await request('GET', '/api/v1/me')]);
  cases.push(['403 forbidden', await bearer((await createToken(await loginAs('member'))).token).get('/api/v1/audit')]);
  cases.push(['403 csrf_failed', await adm.post('/api/v1/tokens', { name: 'x' }, { csrf: false })]);
  cases.push(['405', await b.put('/api/v1/departments', {})]);
  cases.push(['415', await b.req('POST', '/api/v1/departments', { body: 'x', headers: { 'Content-Type': 'text/plain' } })]);
  cases.push(['400 invalid_json', await b.req('POST', '/api/v1/departments', { body: '{', headers: { 'Content-Type': 'application/json' } })]);
  cases.push(['422', await b.post('/api/v1/departments', {})]);
  cases.push(['413 (read and refused)', await b.req('POST', '/api/v1/departments', { body: 'x'.repeat(100 * 1024),
    headers: { 'Content-Type': 'application/json' } })]);
  cases.push(['healthz', await request('GET', '/healthz')]);
  for (const [what, res] of cases) expectSecurityHeaders(res, what);
  assert.match(cases.find((c) => c[0] === '404')[1].headers.get('content-type') || '', /^application\/json/);

  // a huge announced body is answered at once, before it is read: the same headers
  const early = await new Promise((resolve) => {
    const s = net.connect({ host: new URL(BASE_URL).hostname, port: Number(new URL(BASE_URL).port) });
    let text = '';
    s.on('connect', () => s.write(`POST /api/v1/departments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.token}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{'));
    s.on('data', (d) => { text += d.toString('latin1'); if (text.includes('\r\n\r\n')) s.destroy(); });
    s.on('close', () => resolve(text));
    s.on('error', () => {});
    setTimeout(() => s.destroy(), 10000);
  });
  assert.match(early, /^HTTP\/1\.1 413/, `a 10 GB announcement → 413 at once: ${early.slice(0, 200)}`);
  for (const [name, value] of [['content-security-policy', "frame-ancestors 'none'"], ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY']]) {
    assert.ok(new RegExp(`^${name}: .*${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'im').test(early), `early 413 has ${name}: ${early.slice(0, 600)}`);
  }
});

const demoLike = {};
/** loginAs(role): a cookie session of a fresh user with that one role. */
async function loginAs(role) {
  if (!demoLike[role]) {
    const u = await createUser(adm, { roles: [role] });
    demoLike[role] = await login(u.username, u.password);
  }
  return demoLike[role];
}

test('a password change revokes the user\'s other sessions, keeps the current one, and the old password stops working', async () => {
  const u = await createUser(adm, { roles: ['member'] });
  const a = await login(u.username, u.password);
  const other = await login(u.username, u.password);
  expectStatus(await other.get('/api/v1/me'), 200);
  const next = randomPassword();
  const res = await a.post('/api/v1/me/password', { current_password: u.password, new_password: next });
  expectStatus(res, 200);
  expectStatus(await a.get('/api/v1/me'), 200);                  // the session that changed it goes on
  expectError(await other.get('/api/v1/me'), 401, 'unauthenticated');   // every other session is gone
  const old = new Client();
  expectError(await old.login(u.username, u.password), 401, 'unauthenticated');
  expectStatus(await new Client().login(u.username, next), 200);
});

test('password policy: at least 10 and at most 200 characters, not the user name, the current one must be right; a refusal changes nothing', async () => {
  const u = await createUser(adm, { roles: ['member'] });
  const a = await login(u.username, u.password);
  const other = await login(u.username, u.password);
  const change = (current, next) => a.post('/api/v1/me/password', { current_password: current, new_password: next });
  expectError(await change(u.password, 'short-9ch'), 422, 'validation_failed', 'new_password');
  expectError(await change(u.password, '密'.repeat(9)), 422, 'validation_failed', 'new_password');   // characters, not bytes
  expectError(await change(u.password, 'x'.repeat(201)), 422, 'validation_failed', 'new_password');
  assert.ok(u.username.length >= 10, `the generated user name is long enough to be a password: ${u.username}`);
  expectError(await change(u.password, u.username), 422, 'validation_failed', 'new_password');
  expectError(await change('not-the-password', randomPassword()), 422, 'validation_failed', 'current_password');
  expectError(await a.post('/api/v1/me/password', { new_password: randomPassword() }), 422, 'validation_failed', 'current_password');
  // nothing changed: the old password still logs in, the other session is still valid
  expectStatus(await other.get('/api/v1/me'), 200);
  expectStatus(await new Client().login(u.username, u.password), 200);
  // the boundary: exactly 10 characters (here Chinese ones) is accepted
  expectStatus(await change(u.password, '密码'.repeat(5)), 200);
  expectStatus(await new Client().login(u.username, '密码'.repeat(5)), 200);
});
