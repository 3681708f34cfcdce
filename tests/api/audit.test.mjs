// The audit log: writes are recorded with actor, action and after-state (never secrets); `nengli audit verify` passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { ADMIN_USER, admin, env, expectStatus, expectError, describe, findSecrets, uniq, createUser, login } from './lib.mjs';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

async function auditRows(client, query) {
  const res = await client.get(`/api/v1/audit?${query}`);
  return { res, items: expectStatus(res, 200).items };
}

test('creating a user writes an audit row: actor, action, after-state without password or hash', async () => {
  const a = await admin();
  const me = expectStatus(await a.get('/api/v1/me'), 200);
  const username = uniq('aud');
  const password = 'Secret-Passw0rd-' + uniq('p');
  const cres = await a.post('/api/v1/users', { username, display_name: '审计用户', password, department_id: null, roles: ['member'] });
  const user = expectStatus(cres, 201);

  const { res, items } = await auditRows(a, `entity=user&entity_id=${user.id}`);
  const row = items.find((r) => r.entity === 'user' && r.entity_id === user.id && /create/i.test(r.action));
  assert.ok(row, `a create row for user ${user.id}${describe(res)}`);
  assert.equal(row.actor_id, me.id, 'actor_id is the admin');
  assert.equal(row.actor, ADMIN_USER, 'actor is the admin');
  assert.match(String(row.at), RFC3339, 'at is RFC 3339');
  assert.equal(row.before, null, 'a creation has no before-state');
  assert.equal(row.after && row.after.username, username, `after has the new username${describe(res)}`);
  assert.deepEqual(findSecrets(row.after), [], `no password/hash in after: ${JSON.stringify(row.after)}`);
  assert.ok(!res.text.includes(password), 'the plain password never appears in the audit log');
  assert.equal(typeof row.hash, 'string', 'the row carries its chain hash');
  const reqId = cres.headers.get('x-request-id');
  if (reqId) assert.equal(row.request_id, reqId, 'request_id is the X-Request-Id of the creating request');

  const { items: byEntity } = await auditRows(a, 'entity=user');
  assert.ok(byEntity.some((r) => r.id === row.id), 'listed under ?entity=user');
  assert.ok(byEntity.every((r) => r.entity === 'user'), 'the entity filter is applied');
  for (let i = 1; i < byEntity.length; i++) assert.ok(byEntity[i - 1].id > byEntity[i].id, 'newest first');
});

test('changing a password is audited without the password or its hash', async () => {
  const a = await admin();
  const user = expectStatus(await a.post('/api/v1/users', {
    username: uniq('audpw'), display_name: '改密用户', password: 'First-Passw0rd-x', department_id: null, roles: ['member'],
  }), 201);
  const newPassword = 'Second-Passw0rd-' + uniq('p');
  expectStatus(await a.patch(`/api/v1/users/${user.id}`, { password: newPassword, display_name: '已改密' }), 200);
  const { res, items } = await auditRows(a, `entity=user&entity_id=${user.id}`);
  assert.ok(items.length >= 2, `create and update rows${describe(res)}`);
  const upd = items[0];
  assert.ok(!/create/i.test(upd.action), `newest row is the update (${upd.action})`);
  assert.equal(upd.before && upd.before.display_name, '改密用户', 'before-state of the update');
  assert.equal(upd.after && upd.after.display_name, '已改密', 'after-state of the update');
  for (const r of items) {
    assert.deepEqual(findSecrets(r.before), [], `no secrets in before: ${JSON.stringify(r.before)}`);
    assert.deepEqual(findSecrets(r.after), [], `no secrets in after: ${JSON.stringify(r.after)}`);
  }
  assert.ok(!res.text.includes(newPassword), 'the new password never appears');
  assert.ok(!/\$argon2/.test(res.text), 'no argon2 hash appears');
});

test('`nengli audit verify` on the test database exits 0 and says OK', async () => {
  const bin = env('NENGLI_BIN');
  const db = env('NENGLI_DB');
  const { code, stdout, stderr } = await new Promise((resolve) => {
    execFile(bin, ['audit', 'verify', '--db', db], { timeout: 60000 }, (err, out, errOut) =>
      resolve({ code: err ? (err.code ?? err.signal) : 0, stdout: out, stderr: errOut }));
  });
  assert.equal(code, 0, `exit status 0\n  stdout: ${stdout}\n  stderr: ${stderr}`);
  assert.match(stdout + stderr, /\b(ok|verified|intact|valid)\b/i, `an OK message\n  stdout: ${stdout}\n  stderr: ${stderr}`);
});

test('a login is audited with the user who logged in as its actor; filters validate their dates', async () => {
  const adm = await admin();
  const made = await createUser(adm, { roles: ['member'] });
  await login(made.username, made.password);
  const rows = expectStatus(await adm.get(`/api/v1/audit?entity=session&action=login&actor_id=${made.user.id}`), 200).items;
  assert.equal(rows.length, 1, 'exactly one login row for the new user');
  assert.equal(rows[0].actor, made.username);
  assert.equal(rows[0].entity_id, made.user.id);
  expectError(await adm.get('/api/v1/audit?from=2026-13-01'), 400, 'bad_request', 'from');
  expectError(await adm.get('/api/v1/audit?to=2026-02-30'), 400, 'bad_request', 'to');
});
