// The command line against the same database the server under test uses: user add/passwd/disable and token create
// take effect for the running server; backup makes a consistent copy while it serves; exit statuses follow
// CONTRACT.md (0 ok, 1 failure the user must fix, 2 bad usage).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, uniq, randomPassword, login, bearer, request, expectStatus, expectError, admin } from './lib.mjs';

const BIN = env('NENGLI_BIN');
const DB = env('NENGLI_DB');
const isSqlite = !/^postgres(ql)?:\/\//.test(DB);

function nengli(...args) {
  const r = spawnSync(BIN, [...args, '--db', DB], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), 'nengli-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('version and usage errors', () => {
  const v = spawnSync(BIN, ['version'], { encoding: 'utf8' });
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^nengli \d+\.\d+\.\d+/);
  assert.equal(spawnSync(BIN, [], { encoding: 'utf8' }).status, 2);
  assert.equal(spawnSync(BIN, ['frobnicate'], { encoding: 'utf8' }).status, 2);
  const bad = spawnSync(BIN, ['serve', '--no-such-flag', 'x'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no-such-flag/);
  const badValue = spawnSync(BIN, ['serve', '--threads', 'lots'], { encoding: 'utf8' });
  assert.equal(badValue.status, 1);
  assert.match(badValue.stderr, /threads/);
  for (const cmd of ['init', 'migrate', 'serve', 'demo', 'backup']) {
    const h = spawnSync(BIN, [cmd, '--help'], { encoding: 'utf8' });
    assert.equal(h.status, 0, `${cmd} --help`);
    assert.match(h.stdout + h.stderr, new RegExp(`nengli ${cmd}`));
  }
});

test('user add, passwd and disable take effect on the running server', async () => {
  const name = uniq('cli');
  const pwFile = path.join(dir, 'pw');
  const pw = randomPassword();
  writeFileSync(pwFile, pw + '\n');
  const add = nengli('user', 'add', '--username', name, '--roles', 'member,quality', '--department', 'QA',
    '--display-name', '命令行用户', '--password-file', pwFile);
  assert.equal(add.code, 0, add.err);
  const c = await login(name, pw);
  const me = expectStatus(await c.get('/api/v1/me'), 200);
  assert.deepEqual(me.roles, ['quality', 'member']);
  assert.equal(me.display_name, '命令行用户');
  // a duplicate fails with 1 and a message; an unknown role is bad usage (2)
  assert.equal(nengli('user', 'add', '--username', name, '--roles', 'member', '--password-file', pwFile).code, 1);
  assert.equal(nengli('user', 'add', '--username', uniq('x'), '--roles', 'king').code, 2);
  // passwd without a file prints a new random password; the old session ends
  const pass = nengli('user', 'passwd', '--username', name);
  assert.equal(pass.code, 0, pass.err);
  const newPw = pass.out.match(/new password: (\S+)/)[1];
  expectError(await c.get('/api/v1/me'), 401, 'unauthenticated');
  await login(name, newPw);
  // disable: logins refused
  assert.equal(nengli('user', 'disable', '--username', name).code, 0);
  const r = await request('POST', '/api/v1/session', { json: { username: name, password: newPw } });
  expectError(r, 401, 'unauthenticated');
  assert.equal(nengli('user', 'disable', '--username', uniq('nobody')).code, 1);
});

test('token create prints a working API token', async () => {
  const t = nengli('token', 'create', '--user', 'admin', '--name', 'cli-test');
  assert.equal(t.code, 0, t.err);
  const token = t.out.trim();
  assert.match(token, /^nl_[A-Za-z0-9_-]{43}$/);
  const me = expectStatus(await bearer(token).get('/api/v1/me'), 200);
  assert.equal(me.username, 'admin');
  assert.equal(nengli('token', 'create', '--user', uniq('nobody'), '--name', 'x').code, 1);
  assert.equal(nengli('token', 'create', '--user', 'admin').code, 2);
});

test('backup while the server is writing gives a consistent copy', { skip: !isSqlite && 'SQLite only' }, async () => {
  const a = await admin();
  let writing = true;
  const writes = (async () => {
    let n = 0;
    while (writing && n < 200) {
      const res = await a.post('/api/v1/departments', { code: uniq('B').toUpperCase().replace(/[^A-Z0-9-]/g, ''), name: '备份期间' + n });
      assert.equal(res.status, 201);
      n++;
    }
    return n;
  })();
  const out = path.join(dir, 'backup.db');
  const b = spawnSync(BIN, ['backup', '-o', out, '--db', DB], { encoding: 'utf8', timeout: 60000 });
  writing = false;
  await writes;
  assert.equal(b.status, 0, b.stderr);
  assert.ok(existsSync(out));
  const verify = spawnSync(BIN, ['audit', 'verify', '--db', out], { encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stderr);
  assert.match(verify.stdout, /OK/);
});

test('backup of a PostgreSQL store runs pg_dump (custom format)', { skip: isSqlite && 'PostgreSQL only' }, () => {
  const out = path.join(dir, 'x.dump');
  const b = spawnSync(BIN, ['backup', '-o', out, '--db', DB], { encoding: 'utf8' });
  assert.equal(b.status, 0, `nengli backup: ${b.stdout}${b.stderr}`);
  assert.match(b.stdout, /pg_dump/);
  assert.equal(readFileSync(out).subarray(0, 5).toString('latin1'), 'PGDMP', 'a pg_dump custom-format archive');
  assert.doesNotMatch(b.stdout + b.stderr, /password/i);
});
