// Behind a reverse proxy (issue 8): the settings trusted-proxies and cookie-secure. A second `nengli serve` on the test
// database trusts 127.0.0.1 and ::1 (NENGLI_TRUSTED_PROXIES), a third has NENGLI_COOKIE_SECURE=on; the server under
// test trusts no proxy (the default). Checked: X-Forwarded-For from an untrusted peer is ignored (login throttling
// counts the peer, however the header varies); from a trusted peer the rightmost untrusted hop is the client
// (throttling counts per forwarded client, a spoofed left part does not help, the access log names that client);
// the session cookie gets Secure when configured, or in auto mode through a trusted proxy saying https, never because
// an untrusted peer said so; a bad trusted-proxies value stops the server with a message naming the key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { admin, createUser, expectStatus, expectError, describe, request, sessionCookie, setCookiesOf, startServer, env, sleep }
  from './lib.mjs';

let P = null;        // trusts 127.0.0.1 and ::1
let S = null;        // cookie-secure = on
const PROXY_LOG = 'proxy-server.log';

before(async () => {
  P = await startServer({ logName: PROXY_LOG, extraEnv: { NENGLI_TRUSTED_PROXIES: '127.0.0.1, ::1', NENGLI_COOKIE_SECURE: 'auto' } });
  S = await startServer({ logName: 'secure-server.log', extraEnv: { NENGLI_COOKIE_SECURE: 'on' } });
});

after(async () => {
  for (const s of [P, S]) {
    if (!s) continue;
    s.proc.kill('SIGTERM');
    await s.exited;
  }
});

/** at(server, method, path, opts): like lib's request(), against another server's base URL. */
async function at(server, method, urlPath, { json, headers = {} } = {}) {
  const h = { ...headers };
  if (json !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(server.url + urlPath, { method, headers: h, body: json === undefined ? undefined : JSON.stringify(json),
    redirect: 'manual', signal: AbortSignal.timeout(20000) });
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = undefined; }
  return { status: res.status, headers: res.headers, text, json: data, setCookies: setCookiesOf(res.headers), method, path: urlPath };
}

const loginBody = (u, password) => ({ username: u.username, password });

test('untrusted peer: X-Forwarded-For is ignored, failures from "different" forwarded clients count for the one peer', async () => {
  const a = await admin();
  const victim = await createUser(a, { roles: ['member'] });
  for (let i = 1; i <= 5; i++) {
    const res = await request('POST', '/api/v1/session',
      { json: loginBody(victim, `wrong-${i}`), headers: { 'X-Forwarded-For': `203.0.113.${i}` } });
    expectError(res, 401, 'unauthenticated');
  }
  const sixth = await request('POST', '/api/v1/session',
    { json: loginBody(victim, victim.password), headers: { 'X-Forwarded-For': '203.0.113.99' } });
  expectError(sixth, 429, 'too_many_requests');
});

test('trusted peer: throttling counts per forwarded client (rightmost untrusted hop)', async () => {
  const a = await admin();
  const victim = await createUser(a, { roles: ['member'] });
  const hops = ['198.51.100.7', '198.51.100.7, 127.0.0.1', '192.0.2.1, 198.51.100.7', '10.9.9.9,198.51.100.7', '198.51.100.7'];
  for (let i = 0; i < 5; i++) {
    const res = await at(P, 'POST', '/api/v1/session', { json: loginBody(victim, `wrong-${i}`), headers: { 'X-Forwarded-For': hops[i] } });
    expectError(res, 401, 'unauthenticated');
  }
  // the same forwarded client, whatever it claims on the left of the list → throttled
  const spoof = await at(P, 'POST', '/api/v1/session',
    { json: loginBody(victim, victim.password), headers: { 'X-Forwarded-For': '203.0.113.50, 198.51.100.7' } });
  expectError(spoof, 429, 'too_many_requests');
  // another forwarded client, and the proxy itself (no header), are not throttled
  const other = await at(P, 'POST', '/api/v1/session',
    { json: loginBody(victim, victim.password), headers: { 'X-Forwarded-For': '198.51.100.8' } });
  expectStatus(other, 200);
  const direct = await at(P, 'POST', '/api/v1/session', { json: loginBody(victim, victim.password) });
  expectStatus(direct, 200);
  // an IPv6 forwarded client is another client
  const v6 = await at(P, 'POST', '/api/v1/session',
    { json: loginBody(victim, victim.password), headers: { 'X-Forwarded-For': '2001:db8::1' } });
  expectStatus(v6, 200);

  // the access log names the forwarded client, never a value that is not an address
  const dir = process.env.NENGLI_ARTIFACTS;
  if (dir && existsSync(path.join(dir, PROXY_LOG))) {
    await at(P, 'GET', '/healthz', { headers: { 'X-Forwarded-For': 'not-an-address"}, 198.51.100.77' } });
    await sleep(300);
    const log = readFileSync(path.join(dir, PROXY_LOG), 'utf8');
    assert.match(log, /"addr":"198\.51\.100\.7"/, 'the access log has the forwarded client');
    assert.match(log, /"addr":"198\.51\.100\.77"/, 'the rightmost untrusted hop, the garbage left of it ignored');
    assert.doesNotMatch(log, /not-an-address/, 'a hop that is not an address never reaches the log');
  }
});

test('cookie-secure auto: Secure only through a trusted proxy that says https', async () => {
  const a = await admin();
  const u = await createUser(a, { roles: ['member'] });
  const viaHttps = await at(P, 'POST', '/api/v1/session',
    { json: loginBody(u, u.password), headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.20' } });
  expectStatus(viaHttps, 200);
  assert.equal(sessionCookie(viaHttps)?.attrs.secure, true, `Secure through a trusted https proxy${describe(viaHttps)}\n${sessionCookie(viaHttps)?.raw}`);
  const viaHttp = await at(P, 'POST', '/api/v1/session',
    { json: loginBody(u, u.password), headers: { 'X-Forwarded-Proto': 'http' } });
  expectStatus(viaHttp, 200);
  assert.equal(sessionCookie(viaHttp)?.attrs.secure, undefined, `no Secure over plain http: ${sessionCookie(viaHttp)?.raw}`);
  // the server under test trusts no proxy: a client saying https is not believed
  const spoofed = await request('POST', '/api/v1/session', { json: loginBody(u, u.password), headers: { 'X-Forwarded-Proto': 'https' } });
  expectStatus(spoofed, 200);
  assert.equal(sessionCookie(spoofed)?.attrs.secure, undefined, `untrusted X-Forwarded-Proto ignored: ${sessionCookie(spoofed)?.raw}`);
  // logging out through the https proxy clears the cookie with the same flag
  const cookie = sessionCookie(viaHttps);
  const me = await at(P, 'GET', '/api/v1/me', { headers: { Cookie: `nengli_session=${cookie.value}` } });
  const csrf = expectStatus(me, 200).csrf_token;
  const out = await at(P, 'DELETE', '/api/v1/session',
    { headers: { Cookie: `nengli_session=${cookie.value}`, 'X-CSRF-Token': csrf, 'X-Forwarded-Proto': 'https' } });
  expectStatus(out, 200);
  assert.equal(sessionCookie(out)?.attrs.secure, true, `the clearing cookie is Secure too: ${sessionCookie(out)?.raw}`);
});

test('cookie-secure on: Secure on every session cookie', async () => {
  const a = await admin();
  const u = await createUser(a, { roles: ['member'] });
  const res = await at(S, 'POST', '/api/v1/session', { json: loginBody(u, u.password) });
  expectStatus(res, 200);
  assert.equal(sessionCookie(res)?.attrs.secure, true, `Secure when configured on: ${sessionCookie(res)?.raw}`);
  const plain = await request('POST', '/api/v1/session', { json: loginBody(u, u.password) });
  expectStatus(plain, 200);
  assert.equal(sessionCookie(plain)?.attrs.secure, undefined, `the default (auto, no proxy) sets no Secure: ${sessionCookie(plain)?.raw}`);
});

test('a bad trusted-proxies or cookie-secure value stops the server with a message naming the key', () => {
  const bin = env('NENGLI_BIN');
  for (const [flag, value, key] of [['--trusted-proxies', '127.0.0.1, 300.1.1.1', 'trusted-proxies'],
    ['--trusted-proxies', '10.0.0.0/33', 'trusted-proxies'], ['--cookie-secure', 'sometimes', 'cookie-secure']]) {
    const r = spawnSync(bin, ['serve', '--db', env('NENGLI_DB'), '--listen', '127.0.0.1:1', flag, value],
      { encoding: 'utf8', timeout: 10000 });
    assert.notEqual(r.status, 0, `${flag} ${value} must be refused`);
    assert.match(r.stderr + r.stdout, new RegExp(key), `the message names ${key}: ${r.stderr}`);
  }
});

test('the public survey links are throttled per client in the database: two servers share one budget', async () => {
  // P trusts the loopback peer, so each forwarded address is a client of its own; a second trusting server on the
  // same database must see the requests P counted (the budget lives in the database, not in a process)
  const Q = await startServer({ logName: 'proxy-server-2.log', extraEnv: { NENGLI_TRUSTED_PROXIES: '127.0.0.1, ::1' } });
  try {
    const client = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const headers = { 'X-Forwarded-For': client };
    const token = 'no-such-survey-token-' + Math.random().toString(36).slice(2);
    for (let i = 0; i < 60; i++) expectStatus(await at(P, 'GET', `/api/v1/survey-responses/${token}`, { headers }), 404);
    for (let i = 0; i < 60; i++) expectStatus(await at(Q, 'GET', `/api/v1/survey-responses/${token}`, { headers }), 404);
    const over = await at(Q, 'GET', `/api/v1/survey-responses/${token}`, { headers });
    expectError(over, 429, 'too_many_requests');
    assert.ok(Number(over.headers.get('retry-after')) >= 1, 'Retry-After is set');
    // another client is not affected
    expectStatus(await at(P, 'GET', `/api/v1/survey-responses/${token}`, { headers: { 'X-Forwarded-For': '198.51.100.7' } }), 404);
  } finally {
    Q.proc.kill('SIGTERM');
    await Q.exited;
  }
});
