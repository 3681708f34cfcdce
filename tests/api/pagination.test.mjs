// Lists: ?limit= and next_cursor paging; bad limit/cursor values.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, createDepartment, createUser, listAll, expectStatus, expectError, describe } from './lib.mjs';

let adm;
let dept;
let ours = [];

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  for (let i = 0; i < 3; i++) ours.push((await createUser(adm, { department_id: dept.id })).user.id);
  ours = ours.sort((x, y) => x - y);
});

test('?limit=2 gives 2 items and a next_cursor; following it gives the rest, no duplicates, then null', async () => {
  const r1 = await adm.get(`/api/v1/users?department_id=${dept.id}&limit=2`);
  const p1 = expectStatus(r1, 200);
  assert.equal(p1.items.length, 2, `first page has 2 items${describe(r1)}`);
  assert.equal(typeof p1.next_cursor, 'string', `next_cursor on a full page${describe(r1)}`);
  const r2 = await adm.get(`/api/v1/users?department_id=${dept.id}&limit=2&cursor=${encodeURIComponent(p1.next_cursor)}`);
  const p2 = expectStatus(r2, 200);
  assert.equal(p2.items.length, 1, `second page has the remaining item${describe(r2)}`);
  assert.equal(p2.next_cursor, null, `no cursor after the last page${describe(r2)}`);
  const ids = [...p1.items, ...p2.items].map((u) => u.id);
  assert.equal(new Set(ids).size, ids.length, `no duplicates: ${ids}`);
  assert.deepEqual([...ids].sort((x, y) => x - y), ours, 'exactly the department\'s users');
  for (const u of [...p1.items, ...p2.items]) assert.equal(u.department_id, dept.id, 'department_id filter applied');
});

test('paging through all departments by 2: every page ≤ 2, no duplicates, new departments included', async () => {
  const made = [];
  for (let i = 0; i < 3; i++) made.push((await createDepartment(adm)).id);
  const all = await listAll(adm, '/api/v1/departments', { limit: 2 });
  const ids = all.map((d) => d.id);
  assert.equal(new Set(ids).size, ids.length, 'no department appears twice');
  for (const id of made) assert.ok(ids.includes(id), `department ${id} listed`);
  const whole = await listAll(adm, '/api/v1/departments', { limit: 500 });
  for (const d of whole) if (d.id <= Math.max(...made)) assert.ok(ids.includes(d.id), `department ${d.id} also seen when paging by 2`);
});

test('a page never exceeds its limit', async () => {
  const res = await adm.get('/api/v1/departments?limit=1');
  const p = expectStatus(res, 200);
  assert.equal(p.items.length, 1, describe(res));
  assert.equal(typeof p.next_cursor, 'string', `more departments exist, so a cursor${describe(res)}`);
});

test('limit=500 is allowed', async () => {
  expectStatus(await adm.get('/api/v1/departments?limit=500'), 200);
});

for (const bad of ['0', '501', '-1', 'abc', '']) {
  test(`limit=${bad} → 400 bad_request naming limit`, async () => {
    expectError(await adm.get(`/api/v1/departments?limit=${bad}`), 400, 'bad_request', 'limit');
  });
}

test('a forged cursor → 400 bad_request naming cursor', async () => {
  expectError(await adm.get('/api/v1/departments?limit=2&cursor=not-a-cursor%00'), 400, 'bad_request', 'cursor');
});
