// Helpers for the tests that need a database of their own (crash safety, backup and restore): create one on the
// engine under test, run `nengli` subcommands on it, query it with the engine's own client (sqlite3, psql), drop it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { env } from './lib.mjs';

export const ENGINE = /^postgres(ql)?:/.test(env('NENGLI_DB')) ? 'postgres' : 'sqlite';

/** run(file, args, opts): {code, out, err} of a child process (never throws). */
export function run(file, args, { timeout = 120000, input } = {}) {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout, maxBuffer: 64 << 20 }, (e, so, se) =>
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : (e.signal || e.code)) : 0, out: so, err: se }));
    if (input !== undefined) child.stdin.end(input);
  });
}

/** nengli(args): runs NENGLI_BIN. */
export const nengli = (args, opts) => run(env('NENGLI_BIN'), args, opts);

/** newDatabase(tag): a fresh, empty database on the engine under test: {db (path or URL), drop()}. */
export async function newDatabase(tag) {
  const name = `${tag}_${randomBytes(4).toString('hex')}`;
  if (ENGINE === 'sqlite') {
    const file = path.join(os.tmpdir(), `nengli-${name}.db`);
    return { db: file, drop: async () => { for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true }); } };
  }
  const base = env('NENGLI_DB');
  const r = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`, base]);
  assert.equal(r.code, 0, `CREATE DATABASE ${name}: ${r.err}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { db: url.toString(), drop: async () => { await run('psql', ['-X', '-q', '-c', `DROP DATABASE IF EXISTS ${name}`, base]); } };
}

/** initDatabase(db): `nengli init` with a random admin password; returns the password. */
export async function initDatabase(db) {
  const password = 'Pw-' + randomBytes(12).toString('base64url');
  const pwFile = path.join(os.tmpdir(), `nengli-pw-${randomBytes(4).toString('hex')}`);
  writeFileSync(pwFile, password + '\n', { mode: 0o600 });
  const r = await nengli(['init', '--db', db, '--admin-password-file', pwFile]);
  rmSync(pwFile, { force: true });
  assert.equal(r.code, 0, `nengli init --db ${db}: ${r.out}${r.err}`);
  return password;
}

/** sql(db, query): the rows of one query as arrays of strings, through sqlite3 or psql. */
export async function sql(db, query) {
  const r = ENGINE === 'sqlite'
    ? await run('sqlite3', ['-batch', '-noheader', '-separator', '\t', db, query])
    : await run('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query, db]);
  assert.equal(r.code, 0, `${query}: ${r.err}`);
  return r.out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** check(db): `nengli check --json` (integrity_check, audit chain, counts and checksums); asserts it passes. */
export async function check(db, extra = []) {
  const r = await nengli(['check', '--db', db, '--json', ...extra]);
  assert.equal(r.code, 0, `nengli check --db ${db} exits 0:\n${r.out}${r.err}`);
  const rep = JSON.parse(r.out);
  assert.equal(rep.integrity, 'ok', 'integrity_check is ok');
  assert.equal(rep.audit.ok, true, 'the audit chain verifies');
  return rep;
}

/** api(url, token): a minimal bearer client for a server of its own: {req(method, path, json|Buffer, headers)}. */
export function api(url, token) {
  return {
    /** req(method, path, body, headers, timeout, otherUrl): otherUrl sends it to another server (a restarted one). */
    async req(method, p, body, headers = {}, timeout = 60000, otherUrl = url) {
      const h = { Authorization: `Bearer ${token}`, ...headers };
      let payload;
      if (Buffer.isBuffer(body)) payload = body;
      else if (body !== undefined) { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
      const res = await fetch(otherUrl + p, { method, headers: h, body: payload, signal: AbortSignal.timeout(timeout) });
      const text = await res.text();
      let json;
      try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
      return { status: res.status, json, text, headers: res.headers };
    },
  };
}

/** operator(db, url, adminPassword, roles): a user with those roles and an API token for it: the api() client. */
export async function operator(db, url, adminPassword, roles) {
  const login = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: adminPassword }) });
  const lj = await login.json();
  assert.equal(login.status, 200, `admin login: ${JSON.stringify(lj)}`);
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
  const username = `op${randomBytes(4).toString('hex')}`;
  const u = await fetch(`${url}/api/v1/users`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie,
    'X-CSRF-Token': lj.csrf_token }, body: JSON.stringify({ username, password: 'Op-password-123', roles }) });
  assert.equal(u.status, 201, `operator user: ${await u.text()}`);
  const t = await nengli(['token', 'create', '--user', username, '--name', 'tests', '--db', db]);
  assert.equal(t.code, 0, `nengli token create: ${t.err}`);
  return api(url, t.out.trim().split('\n').pop().trim());
}
