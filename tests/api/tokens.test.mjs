// API tokens: created (value shown once), used as Bearer, revoked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, bearer, createUser, request, expectStatus, expectError, describe, uniq } from './lib.mjs';

test('a user creates a token, it is shown once, works as Bearer, and stops working when revoked', async (t) => {
  const a = await admin();
  const member = await createUser(a, { roles: ['member'] });
  const m = await login(member.username, member.password);
  const name = uniq('label');

  const created = await m.post('/api/v1/tokens', { name });
  const tok = expectStatus(created, 201);
  await t.test('creation answers {id, name, token, created_at}', () => {
    assert.equal(typeof tok.id, 'number', describe(created));
    assert.equal(tok.name, name, describe(created));
    assert.equal(typeof tok.token, 'string', describe(created));
    assert.ok(tok.token.length >= 20, `token long enough to be unguessable${describe(created)}`);
    assert.match(String(tok.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, `created_at is RFC 3339${describe(created)}`);
  });

  await t.test('the token list shows it without the token value', async () => {
    const res = await m.get('/api/v1/tokens');
    const list = expectStatus(res, 200);
    const row = list.items.find((x) => x.id === tok.id);
    assert.ok(row, `token ${tok.id} listed${describe(res)}`);
    assert.equal(row.name, name);
    assert.ok(!('token' in row), `no token value in the list${describe(res)}`);
    assert.ok(!res.text.includes(tok.token), `the secret never appears again${describe(res)}`);
  });

  await t.test('Bearer token authenticates GET /api/v1/me as its user', async () => {
    const res = await bearer(tok.token).get('/api/v1/me');
    const me = expectStatus(res, 200);
    assert.equal(me.username, member.username, describe(res));
    assert.deepEqual(me.roles, ['member'], describe(res));
  });

  await t.test('last_used_at is set once the token was used', async () => {
    const res = await m.get('/api/v1/tokens');
    const row = expectStatus(res, 200).items.find((x) => x.id === tok.id);
    assert.ok(row && row.last_used_at, `last_used_at set${describe(res)}`);
  });

  await t.test('revoking answers {id, revoked: true}; the token then gets 401', async () => {
    const res = await m.del(`/api/v1/tokens/${tok.id}`);
    const body = expectStatus(res, 200);
    assert.equal(body.id, tok.id, describe(res));
    assert.equal(body.revoked, true, describe(res));
    expectError(await bearer(tok.token).get('/api/v1/me'), 401, 'unauthenticated');
    expectError(await bearer(tok.token).post('/api/v1/tokens', { name: 'after revoke' }), 401, 'unauthenticated');
  });
});

test('a made-up or malformed Bearer token → 401 unauthenticated', async () => {
  expectError(await bearer('nl_' + 'x'.repeat(40)).get('/api/v1/me'), 401, 'unauthenticated');
  const res = await request('GET', '/api/v1/me', { headers: { Authorization: 'Bearer' } });
  expectError(res, 401, 'unauthenticated');
});

test("a user cannot revoke another user's token (404, and the token keeps working)", async () => {
  const a = await admin();
  const u1 = await createUser(a, { roles: ['member'] });
  const c1 = await login(u1.username, u1.password);
  const tok = expectStatus(await a.post('/api/v1/tokens', { name: uniq('admin-tok') }), 201);
  const res = await c1.del(`/api/v1/tokens/${tok.id}`);
  assert.ok(res.status === 404 || res.status === 403, `404 (or 403) for someone else's token${describe(res)}`);
  expectStatus(await bearer(tok.token).get('/api/v1/me'), 200);
  expectStatus(await a.del(`/api/v1/tokens/${tok.id}`), 200);
});
