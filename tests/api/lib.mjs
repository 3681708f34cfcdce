// Helpers for the API tests: environment, JSON requests, a cookie-jar client (session cookie + CSRF token),
// a bearer client, the error-shape check, and spawning an extra server. Node 18 built-ins only.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, closeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** env(name): a variable scripts/test-api sets; throws a clear message when the tests are run without it. */
export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the API tests through scripts/test-api`);
  return v;
}

export const BASE_URL = env('NENGLI_URL').replace(/\/+$/, '');
export const ADMIN_USER = process.env.NENGLI_ADMIN_USER || 'admin';
export const ADMIN_PASSWORD = env('NENGLI_ADMIN_PASSWORD');
export const ROLES = ['admin', 'approver', 'planner', 'hr', 'quality', 'member', 'auditor'];
/** SLOW: NENGLI_TEST_SLOW=1 (`make test-valgrind`: the server runs under valgrind, 20–50× slower) multiplies the
 * request and start-up timeouts by 6; timing-sensitive tests read it to relax or skip themselves. */
export const SLOW = process.env.NENGLI_TEST_SLOW === '1';
const SLOW_FACTOR = SLOW ? 6 : 1;

/** uniq(prefix): a fresh name valid as a username or department code ([a-z0-9._-], ≤ 32 chars). */
let uniqCounter = 0;
export function uniq(prefix = 't') {
  const tail = Date.now().toString(36).slice(-5) + process.pid.toString(36).slice(-3) + (uniqCounter++).toString(36) +
    randomBytes(2).toString('hex');
  return (prefix + '-' + tail).toLowerCase().slice(0, 32);
}

/** randomPassword(): ≥ 10 characters. */
export function randomPassword() {
  return 'Pw-' + randomBytes(12).toString('base64url');
}

/** describe(res): the request and the response, for assertion messages (so a failure shows what the server said). */
export function describe(res) {
  let reqBody = res.requestBody;
  if (typeof reqBody === 'string' && reqBody.length > 300) reqBody = reqBody.slice(0, 300) + `… (${reqBody.length} chars)`;
  if (reqBody && typeof reqBody !== 'string') reqBody = `<${reqBody.length} bytes>`;
  const text = res.text && res.text.length > 800 ? res.text.slice(0, 800) + '…' : res.text;
  return `\n  request:  ${res.method} ${res.path}${reqBody !== undefined ? ' ' + reqBody : ''}` +
    `\n  response: ${res.status} ${res.headers ? res.headers.get('content-type') || '' : ''} ${text}`;
}

export function setCookiesOf(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const raw = headers.get('set-cookie');
  if (!raw) return [];
  return raw.split(/,\s*(?=[A-Za-z0-9_\-]+=)/);   // Expires=Thu, 01 Jan … contains ", " followed by a digit, not name=
}

/**
 * request(method, path, {json, body, headers, timeout}): one HTTP request to the server under test.
 * `json` is serialised with Content-Type: application/json; `body` is sent as given (a Buffer sends no Content-Type).
 * Returns {status, headers, text, json, setCookies, method, path, requestBody}; never throws on an HTTP status.
 */
export async function request(method, urlPath, { json, body, headers = {}, timeout = 20000 } = {}) {
  timeout *= SLOW_FACTOR;
  const h = { ...headers };
  let payload;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    payload = body;
  }
  let res;
  try {
    res = await fetch(BASE_URL + urlPath, { method, headers: h, body: payload, redirect: 'manual', signal: AbortSignal.timeout(timeout) });
  } catch (err) {
    const cause = err.cause ? ` (${err.cause.code || err.cause.message})` : '';
    throw new Error(`${method} ${urlPath}: no HTTP response: ${err.message}${cause}`);
  }
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = undefined; }
  return { status: res.status, headers: res.headers, text, json: data, setCookies: setCookiesOf(res.headers),
    method, path: urlPath, requestBody: payload };
}

/** expectStatus(res, status): asserts the status, showing request and response on failure. Returns res.json. */
export function expectStatus(res, status) {
  assert.equal(res.status, status, `expected HTTP ${status}${describe(res)}`);
  return res.json;
}

/**
 * expectError(res, status, code, field): the exact error shape {"error":{"code","message","field"?}}.
 * field: a string or RegExp to match, null to require that no field is given, undefined not to check it.
 */
export function expectError(res, status, code, field) {
  const ctx = describe(res);
  assert.equal(res.status, status, `expected HTTP ${status} ${code}${ctx}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json\b/i, `error Content-Type is JSON${ctx}`);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `error body is a JSON object${ctx}`);
  assert.deepEqual(Object.keys(res.json), ['error'], `error body has exactly the key "error"${ctx}`);
  const e = res.json.error;
  assert.ok(e && typeof e === 'object' && !Array.isArray(e), `"error" is an object${ctx}`);
  for (const k of Object.keys(e)) assert.ok(['code', 'message', 'field'].includes(k), `unexpected key error.${k}${ctx}`);
  assert.equal(e.code, code, `error.code${ctx}`);
  assert.equal(typeof e.message, 'string', `error.message is a string${ctx}`);
  assert.ok(e.message.length > 0, `error.message is not empty${ctx}`);
  if (field === null) {
    assert.ok(!('field' in e), `no error.field expected${ctx}`);
  } else if (field instanceof RegExp) {
    assert.match(String(e.field), field, `error.field${ctx}`);
  } else if (field !== undefined) {
    assert.equal(e.field, field, `error.field${ctx}`);
  }
  return e;
}

/**
 * Client: a logged-in (or bearer) user. Cookie clients keep the nengli_session cookie and the CSRF token and send
 * X-CSRF-Token on writes; opts.csrf === false omits it, a string sends that value instead.
 */
export class Client {
  constructor({ bearer } = {}) {
    this.bearer = bearer || null;
    this.cookie = null;
    this.csrf = null;
    this.user = null;
  }

  /** login(username, password): POST /api/v1/session; on 200 keeps the cookie and token. Returns the response. */
  async login(username, password) {
    const res = await request('POST', '/api/v1/session', { json: { username, password } });
    if (res.status === 200) {
      const c = sessionCookie(res);
      if (c) this.cookie = `nengli_session=${c.value}`;
      this.csrf = res.json && res.json.csrf_token;
      this.user = res.json && res.json.user;
    }
    return res;
  }

  async req(method, urlPath, { json, body, headers = {}, csrf = true, timeout } = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.bearer) h.Authorization = `Bearer ${this.bearer}`;
    if (this.cookie && method !== 'GET' && method !== 'HEAD') {
      if (typeof csrf === 'string') h['X-CSRF-Token'] = csrf;
      else if (csrf && this.csrf) h['X-CSRF-Token'] = this.csrf;
    }
    const res = await request(method, urlPath, { json, body, headers: h, timeout });
    const c = sessionCookie(res);
    if (c && this.cookie) this.cookie = c.value ? `nengli_session=${c.value}` : null;
    return res;
  }

  get(p, o) { return this.req('GET', p, o); }
  post(p, json, o = {}) { return this.req('POST', p, { ...o, json }); }
  patch(p, json, o = {}) { return this.req('PATCH', p, { ...o, json }); }
  put(p, json, o = {}) { return this.req('PUT', p, { ...o, json }); }
  del(p, o) { return this.req('DELETE', p, o); }
}

/** sessionCookie(res): the parsed nengli_session Set-Cookie {value, attrs: {lowercased name: value|true}} or null. */
export function sessionCookie(res) {
  for (const sc of res.setCookies || []) {
    const parts = sc.split(';').map((s) => s.trim());
    const [name, ...rest] = parts[0].split('=');
    if (name !== 'nengli_session') continue;
    const attrs = {};
    for (const a of parts.slice(1)) {
      const i = a.indexOf('=');
      if (i < 0) attrs[a.toLowerCase()] = true;
      else attrs[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
    }
    return { value: rest.join('='), attrs, raw: sc };
  }
  return null;
}

/** login(username, password): a cookie Client, asserting the login succeeds. */
export async function login(username, password) {
  const c = new Client();
  const res = await c.login(username, password);
  expectStatus(res, 200);
  assert.ok(c.cookie, `login set the nengli_session cookie${describe(res)}`);
  return c;
}

let adminPromise = null;
/** admin(): one cookie session of the admin account per test file. */
export function admin() {
  if (!adminPromise) adminPromise = login(ADMIN_USER, ADMIN_PASSWORD);
  return adminPromise;
}

/** bearer(token): a Client that authenticates with Authorization: Bearer. */
export function bearer(token) {
  return new Client({ bearer: token });
}

/** createToken(client, name): a new API token of that client's user; returns {id, token, ...}. */
export async function createToken(client, name = uniq('tok')) {
  const res = await client.post('/api/v1/tokens', { name });
  const t = expectStatus(res, 201);
  assert.equal(typeof t.token, 'string', `token value returned${describe(res)}`);
  return t;
}

/** createDepartment(client, fields): 201 expected; returns the department. */
export async function createDepartment(client, fields = {}) {
  const code = fields.code || uniq('d').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
  const res = await client.post('/api/v1/departments', { code, name: `测试部门 ${code}`, name_en: `Test dept ${code}`, ...fields });
  return expectStatus(res, 201);
}

/** createUser(client, {roles, department_id, ...}): 201 expected; returns {user, password}. */
export async function createUser(client, fields = {}) {
  const password = fields.password || randomPassword();
  const body = { username: uniq('u'), display_name: '测试用户', password, department_id: null, roles: ['member'], ...fields };
  const res = await client.post('/api/v1/users', body);
  const user = expectStatus(res, 201);
  return { user, password, username: body.username };
}

/**
 * listAll(client, path, {limit}): every item of a list, following next_cursor. Asserts the list shape on each page
 * and guards against a cursor that never ends.
 */
export async function listAll(client, listPath, { limit = 500 } = {}) {
  const items = [];
  const seen = new Set();
  let cursor = null;
  for (let page = 0; page < 10000; page++) {
    const sep = listPath.includes('?') ? '&' : '?';
    const url = `${listPath}${sep}limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
    const res = await client.get(url);
    const body = expectStatus(res, 200);
    assert.ok(Array.isArray(body.items), `list has items[]${describe(res)}`);
    assert.ok('next_cursor' in body, `list has next_cursor${describe(res)}`);
    items.push(...body.items);
    if (body.next_cursor === null) return items;
    assert.equal(typeof body.next_cursor, 'string', `next_cursor is a string or null${describe(res)}`);
    assert.ok(!seen.has(body.next_cursor), `next_cursor repeats: ${body.next_cursor}${describe(res)}`);
    seen.add(body.next_cursor);
    cursor = body.next_cursor;
  }
  throw new Error(`${listPath}: more than 10000 pages`);
}

/** findSecrets(obj): paths of keys that look like passwords, hashes or tokens (not timestamps like password_changed_at). */
export function findSecrets(obj, prefix = '') {
  const out = [];
  if (obj && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (/(password|passwd|hash|secret|token)(_|$)/i.test(k) && !/_(at|on)$/i.test(k)) out.push(p);
      out.push(...findSecrets(v, p));
    }
  }
  return out;
}

/** freePort(): a loopback port the kernel just handed out (closed again). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * startServer({logName, db}): spawn `NENGLI_BIN serve` on the test database (NENGLI_DB), or on `db` when given (a path
 * or a postgresql:// URL), on a fresh port, wait for /healthz.
 * Its stdout/stderr go to NENGLI_ARTIFACTS/logName (or are discarded). Returns {proc, url, port, exited}.
 * extraEnv: more environment variables for the server (e.g. {NENGLI_TRUSTED_PROXIES: '127.0.0.1'}).
 */
export async function startServer({ logName = 'extra-server.log', db = env('NENGLI_DB'), extraEnv = {} } = {}) {
  const bin = env('NENGLI_BIN');
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    let out = 'ignore';
    if (process.env.NENGLI_ARTIFACTS) out = openSync(path.join(process.env.NENGLI_ARTIFACTS, logName), 'a');
    const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
      { stdio: ['ignore', out, out], env: { ...process.env, ...extraEnv } });
    if (typeof out === 'number') closeSync(out);
    const reap = () => proc.kill('SIGKILL');        // never outlive the test process
    process.on('exit', reap);
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => {
      process.off('exit', reap);
      resolve({ code, signal });
    }));
    let dead = false;
    exited.then(() => { dead = true; });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20000 * SLOW_FACTOR;
    while (!dead && Date.now() < deadline) {
      try {
        const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (r.status === 200) { await r.text(); return { proc, url, port, exited }; }
      } catch { /* not up yet */ }
      await sleep(100);
    }
    if (!dead) {
      proc.kill('SIGKILL');
      await exited;
      throw new Error(`second server on port ${port} did not answer /healthz within 20 s`);
    }
  }
  throw new Error('second server exited before answering /healthz (3 attempts)');
}

/**
 * localDate(timeZone, date = now): the calendar date YYYY-MM-DD of an instant in an IANA zone. Built from
 * formatToParts, because the "en-CA gives YYYY-MM-DD" trick depends on the ICU data Node was built with (Debian 12's
 * Node 18 answers 03/01/2024).
 */
export function localDate(timeZone, date = new Date()) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}
