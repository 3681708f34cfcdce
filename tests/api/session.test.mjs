// Login, logout, /me, and login throttling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN_USER, ADMIN_PASSWORD, Client, request, admin, login, createUser, expectStatus, expectError, sessionCookie,
  describe, findSecrets, uniq,
} from './lib.mjs';

test('login with the right password: 200, HttpOnly SameSite=Strict cookie, user and csrf_token', async () => {
  const res = await request('POST', '/api/v1/session', { json: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
  const body = expectStatus(res, 200);
  const c = sessionCookie(res);
  assert.ok(c && c.value, `Set-Cookie nengli_session=…${describe(res)}\n  set-cookie: ${res.setCookies.join(' | ')}`);
  assert.equal(c.attrs.httponly, true, `HttpOnly in ${c.raw}`);
  assert.equal(String(c.attrs.samesite).toLowerCase(), 'strict', `SameSite=Strict in ${c.raw}`);
  assert.equal(c.attrs.path, '/', `Path=/ in ${c.raw}`);
  assert.equal(body.user.username, ADMIN_USER, describe(res));
  assert.ok(Array.isArray(body.user.roles) && body.user.roles.includes('admin'), `user.roles has admin${describe(res)}`);
  assert.equal(typeof body.user.id, 'number', describe(res));
  assert.equal(typeof body.csrf_token, 'string', describe(res));
  assert.ok(body.csrf_token.length >= 16, `csrf_token is long enough to be unguessable: ${body.csrf_token}`);
  assert.deepEqual(findSecrets(body.user), [], `no password/hash in the user${describe(res)}`);
});

test('GET /api/v1/me with the cookie: the user with roles, department_id and the csrf_token', async () => {
  const a = await admin();
  const res = await a.get('/api/v1/me');
  const me = expectStatus(res, 200);
  assert.equal(me.username, ADMIN_USER, describe(res));
  assert.ok(me.roles.includes('admin'), describe(res));
  assert.ok('department_id' in me, `department_id present${describe(res)}`);
  assert.equal(me.csrf_token, a.csrf, `csrf_token is the one login gave${describe(res)}`);
  const { csrf_token: _token, ...rest } = me;
  assert.deepEqual(findSecrets(rest), [], `no password/hash in /me${describe(res)}`);
});

test('wrong password and unknown user: both 401 unauthenticated with the same message, no session cookie', async () => {
  const wrong = await request('POST', '/api/v1/session', { json: { username: ADMIN_USER, password: ADMIN_PASSWORD + 'x' } });
  const e1 = expectError(wrong, 401, 'unauthenticated');
  assert.equal(sessionCookie(wrong)?.value || '', '', `no session cookie on a failed login${describe(wrong)}`);
  const unknown = await request('POST', '/api/v1/session', { json: { username: uniq('nobody'), password: 'whatever-123' } });
  const e2 = expectError(unknown, 401, 'unauthenticated');
  assert.equal(e2.message, e1.message, 'unknown user and wrong password are indistinguishable');
  assert.equal(sessionCookie(unknown)?.value || '', '', `no session cookie on a failed login${describe(unknown)}`);
});

test('logout: DELETE /api/v1/session → 200 logged_out, then the old cookie gets 401 on /me', async () => {
  const c = await login(ADMIN_USER, ADMIN_PASSWORD);
  const oldCookie = c.cookie;
  expectStatus(await c.get('/api/v1/me'), 200);
  const res = await c.del('/api/v1/session');
  const body = expectStatus(res, 200);
  assert.deepEqual(body, { status: 'logged_out' }, describe(res));
  const cleared = sessionCookie(res);
  assert.ok(cleared, `logout clears the cookie (Set-Cookie nengli_session)${describe(res)}`);
  assert.ok(cleared.value === '' || cleared.attrs['max-age'] === '0' || /1970/.test(cleared.attrs.expires || ''),
    `cookie cleared: ${cleared.raw}`);
  const stale = new Client();
  stale.cookie = oldCookie;
  expectError(await stale.get('/api/v1/me'), 401, 'unauthenticated');
});

test('throttling: after 5 wrong passwords the 6th login (even right) → 429 with Retry-After; another user is not affected', async () => {
  const a = await admin();
  const victim = await createUser(a, { roles: ['member'] });
  const bystander = await createUser(a, { roles: ['member'] });
  for (let i = 1; i <= 5; i++) {
    const res = await request('POST', '/api/v1/session', { json: { username: victim.username, password: `wrong-password-${i}` } });
    expectError(res, 401, 'unauthenticated');
  }
  const sixth = await request('POST', '/api/v1/session', { json: { username: victim.username, password: victim.password } });
  expectError(sixth, 429, 'too_many_requests');
  const retry = sixth.headers.get('retry-after');
  assert.match(retry || '', /^\d+$/, `Retry-After is a number of seconds${describe(sixth)}`);
  assert.ok(Number(retry) > 0 && Number(retry) <= 15 * 60, `Retry-After within the 15-minute window: ${retry}`);
  assert.equal(sessionCookie(sixth)?.value || '', '', 'no session cookie when throttled');

  const other = await request('POST', '/api/v1/session', { json: { username: bystander.username, password: bystander.password } });
  expectStatus(other, 200);
  assert.equal(other.json.user.username, bystander.username);
});
