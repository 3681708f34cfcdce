// CSRF: cookie-authenticated writes need X-CSRF-Token; bearer writes do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN_USER, ADMIN_PASSWORD, admin, login, bearer, createToken, createUser, listAll, expectStatus, expectError, describe, uniq,
} from './lib.mjs';

const deptCode = () => uniq('c').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
const deptBody = (code) => ({ code, name: `CSRF 测试 ${code}`, name_en: `CSRF test ${code}` });

async function departmentCodes(client) {
  return new Set((await listAll(client, '/api/v1/departments')).map((d) => d.code));
}

test('cookie POST without X-CSRF-Token → 403 csrf_failed, and nothing is written', async () => {
  const a = await admin();
  const code = deptCode();
  const res = await a.post('/api/v1/departments', deptBody(code), { csrf: false });
  expectError(res, 403, 'csrf_failed');
  assert.ok(!(await departmentCodes(a)).has(code), `department ${code} must not exist after the rejected write`);
});

test('cookie POST with a wrong X-CSRF-Token → 403 csrf_failed, and nothing is written', async () => {
  const a = await admin();
  const code = deptCode();
  const res = await a.post('/api/v1/departments', deptBody(code), { csrf: 'not-the-token' });
  expectError(res, 403, 'csrf_failed');
  const empty = await a.post('/api/v1/departments', deptBody(code), { csrf: '' });
  expectError(empty, 403, 'csrf_failed');
  assert.ok(!(await departmentCodes(a)).has(code), `department ${code} must not exist after the rejected writes`);
});

test('cookie PATCH without X-CSRF-Token → 403 csrf_failed, the user is unchanged', async () => {
  const a = await admin();
  const { user } = await createUser(a, { display_name: '原名' });
  const res = await a.patch(`/api/v1/users/${user.id}`, { display_name: '被篡改' }, { csrf: false });
  expectError(res, 403, 'csrf_failed');
  const now = expectStatus(await a.get(`/api/v1/users/${user.id}`), 200);
  assert.equal(now.display_name, '原名');
});

test('cookie DELETE /session without X-CSRF-Token → 403, the session stays valid', async () => {
  const c = await login(ADMIN_USER, ADMIN_PASSWORD);
  expectError(await c.del('/api/v1/session', { csrf: false }), 403, 'csrf_failed');
  expectStatus(await c.get('/api/v1/me'), 200);
});

test('cookie POST with the right X-CSRF-Token → 201, and the department is there', async () => {
  const a = await admin();
  const code = deptCode();
  const res = await a.post('/api/v1/departments', deptBody(code));
  const d = expectStatus(res, 201);
  assert.equal(typeof d.id, 'number', describe(res));
  assert.equal(d.code, code, describe(res));
  assert.ok((await departmentCodes(a)).has(code), `department ${code} listed after creation`);
});

test('bearer token write needs no X-CSRF-Token → 201', async () => {
  const a = await admin();
  const t = await createToken(a);
  const b = bearer(t.token);
  const code = deptCode();
  const res = await b.post('/api/v1/departments', deptBody(code));
  const d = expectStatus(res, 201);
  assert.equal(d.code, code, describe(res));
  assert.ok((await departmentCodes(a)).has(code), `department ${code} listed after creation`);
});
