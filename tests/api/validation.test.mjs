// Validation and protocol errors: each rejected write answers the documented error and changes nothing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, createDepartment, createUser, listAll, expectStatus, expectError, describe, uniq } from './lib.mjs';

let adm;
let prefix;            // every username this file tries starts with it, so counts are not disturbed by other test files
let dept;

before(async () => {
  adm = await admin();
  prefix = uniq('v').replace(/-/g, '').slice(0, 14) + '-';
  dept = await createDepartment(adm);
});

const name = (s) => `${prefix}${s}`.slice(0, 32);
const validUser = (username) => ({
  username, display_name: '校验用户', password: 'Passw0rd-long-enough', department_id: dept.id, roles: ['member'],
});

async function ourUsers() {
  return (await listAll(adm, '/api/v1/users')).filter((u) => u.username.startsWith(prefix));
}

async function departmentByCode(code) {
  return (await listAll(adm, '/api/v1/departments')).filter((d) => d.code === code);
}

/** expectUserRejected(res, countBefore, status, code, field): the error, and no user of this file appeared. */
async function expectUserRejected(res, countBefore, status, code, field) {
  expectError(res, status, code, field);
  const after = await ourUsers();
  assert.equal(after.length, countBefore, `no user created by the rejected request (now: ${after.map((u) => u.username)})`);
}

const postRaw = (path, body, headers = { 'Content-Type': 'application/json' }) => adm.req('POST', path, { body, headers });

test('malformed JSON → 400 invalid_json, nothing written', async () => {
  const n = (await ourUsers()).length;
  const res = await postRaw('/api/v1/users', `{"username": "${name('badjson')}", "roles": [`);
  await expectUserRejected(res, n, 400, 'invalid_json');
});

test('a JSON array instead of an object → 400 bad_request, nothing written', async () => {
  const n = (await ourUsers()).length;
  const res = await postRaw('/api/v1/users', JSON.stringify([validUser(name('array'))]));
  await expectUserRejected(res, n, 400, 'bad_request');
});

test('an unknown field → 422 validation_failed naming it, nothing written', async () => {
  const n = (await ourUsers()).length;
  const res = await adm.post('/api/v1/users', { ...validUser(name('unknown')), shoe_size: 42 });
  await expectUserRejected(res, n, 422, 'validation_failed', 'shoe_size');
});

test('a wrong type ("roles": "admin") → 422 field roles, nothing written', async () => {
  const n = (await ourUsers()).length;
  const res = await adm.post('/api/v1/users', { ...validUser(name('wrongtype')), roles: 'admin' });
  await expectUserRejected(res, n, 422, 'validation_failed', 'roles');
});

test('a missing required field → 422 naming it (username, password), nothing written', async () => {
  const n = (await ourUsers()).length;
  const { username: _u, ...noUsername } = validUser('x');
  await expectUserRejected(await adm.post('/api/v1/users', noUsername), n, 422, 'validation_failed', 'username');
  const { password: _p, ...noPassword } = validUser(name('nopw'));
  await expectUserRejected(await adm.post('/api/v1/users', noPassword), n, 422, 'validation_failed', 'password');
  const deptName = `缺代码 ${prefix}`;
  const dres = await adm.post('/api/v1/departments', { name: deptName, name_en: 'no code' });
  expectError(dres, 422, 'validation_failed', 'code');
  assert.equal((await listAll(adm, '/api/v1/departments')).some((d) => d.name === deptName), false, 'no department written');
});

test('a bad role name, or no role at all → 422 on roles, nothing written', async () => {
  const n = (await ourUsers()).length;
  await expectUserRejected(await adm.post('/api/v1/users', { ...validUser(name('badrole')), roles: ['superuser'] }),
    n, 422, 'validation_failed', /^roles(\[0\])?$/);
  await expectUserRejected(await adm.post('/api/v1/users', { ...validUser(name('someroles')), roles: ['member', 'root'] }),
    n, 422, 'validation_failed', /^roles(\[1\])?$/);
  await expectUserRejected(await adm.post('/api/v1/users', { ...validUser(name('noroles')), roles: [] }),
    n, 422, 'validation_failed', 'roles');
});

test('a bad username or a short password → 422 naming the field, nothing written', async () => {
  const n = (await ourUsers()).length;
  await expectUserRejected(await adm.post('/api/v1/users', validUser(`${prefix}Bad Name!`)), n, 422, 'validation_failed', 'username');
  await expectUserRejected(await adm.post('/api/v1/users', validUser('a')), n, 422, 'validation_failed', 'username');
  await expectUserRejected(await adm.post('/api/v1/users', { ...validUser(name('shortpw')), password: 'short' }),
    n, 422, 'validation_failed', 'password');
});

test('a duplicate username → 409 conflict field username; the first user is unchanged', async () => {
  const username = name('dup');
  const first = expectStatus(await adm.post('/api/v1/users', { ...validUser(username), display_name: '第一个' }), 201);
  const n = (await ourUsers()).length;
  const res = await adm.post('/api/v1/users', { ...validUser(username), display_name: '第二个' });
  await expectUserRejected(res, n, 409, 'conflict', 'username');
  const same = (await ourUsers()).filter((u) => u.username === username);
  assert.equal(same.length, 1);
  assert.equal(same[0].id, first.id);
  assert.equal(same[0].display_name, '第一个');
});

test('a duplicate department code → 409 conflict field code; the first department is unchanged', async () => {
  const d = await createDepartment(adm, { name: '原部门' });
  const res = await adm.post('/api/v1/departments', { code: d.code, name: '重复部门', name_en: 'dup' });
  expectError(res, 409, 'conflict', 'code');
  const rows = await departmentByCode(d.code);
  assert.equal(rows.length, 1, `one department with code ${d.code}`);
  assert.equal(rows[0].name, '原部门');
});

test('a 2 MiB body → 413 payload_too_large, nothing written', async () => {
  const n = (await ourUsers()).length;
  const big = JSON.stringify({ ...validUser(name('big')), display_name: 'x'.repeat(2 * 1024 * 1024) });
  const res = await postRaw('/api/v1/users', big);
  await expectUserRejected(res, n, 413, 'payload_too_large');
});

test('a JSON POST without Content-Type, or with text/plain → 415, nothing written', async () => {
  const n = (await ourUsers()).length;
  const body = Buffer.from(JSON.stringify(validUser(name('noctype'))));
  await expectUserRejected(await adm.req('POST', '/api/v1/users', { body }), n, 415, 'unsupported_media_type');
  const res = await postRaw('/api/v1/users', JSON.stringify(validUser(name('textplain'))), { 'Content-Type': 'text/plain' });
  await expectUserRejected(res, n, 415, 'unsupported_media_type');
});

test('application/json; charset=utf-8 is accepted as JSON', async () => {
  const username = name('charset');
  const res = await postRaw('/api/v1/users', JSON.stringify(validUser(username)), { 'Content-Type': 'application/json; charset=utf-8' });
  assert.equal(expectStatus(res, 201).username, username);
});

test('PATCH with an unknown field → 422 naming it; the user is unchanged', async () => {
  const { user } = await createUser(adm, { username: name('patch'), display_name: '不变' });
  const res = await adm.patch(`/api/v1/users/${user.id}`, { display_name: '变了', colour: 'red' });
  expectError(res, 422, 'validation_failed', 'colour');
  const bad = await adm.patch(`/api/v1/users/${user.id}`, { display_name: '变了', active: 'yes' });
  expectError(bad, 422, 'validation_failed', 'active');
  assert.equal(expectStatus(await adm.get(`/api/v1/users/${user.id}`), 200).display_name, '不变');
});

test('an unknown route → 404 not_found; an unknown id → 404 not_found', async () => {
  expectError(await adm.get('/api/v1/no-such-thing'), 404, 'not_found');
  expectError(await adm.get('/api/v1/users/987654321'), 404, 'not_found');
  expectError(await adm.patch('/api/v1/users/987654321', { display_name: 'x' }), 404, 'not_found');
});

test('a known path with another method (PUT /api/v1/departments) → 405 with an Allow header, nothing written', async () => {
  const code = uniq('M').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
  const res = await adm.put('/api/v1/departments', { code, name: 'x', name_en: 'x' });
  expectError(res, 405, 'method_not_allowed');
  const allow = (res.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase());
  assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow lists GET and POST: "${res.headers.get('allow')}"${describe(res)}`);
  assert.ok(!allow.includes('PUT'), 'Allow does not list PUT');
  assert.equal((await departmentByCode(code)).length, 0, 'no department written');
});
