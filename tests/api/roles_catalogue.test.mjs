// GET /api/v1/roles: the permission table of src/auth/policy.c as JSON, for the web UI's roles page.
// Checks the shape, a few known rows (who may approve a plan, who enters achievement values for their own department,
// who registers complaints), that every role may read it (org.read) and that an anonymous request gets 401.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, admin, login, createUser, request, expectStatus, expectError, uniq, randomPassword } from './lib.mjs';

let adm;
before(async () => {
  adm = await admin();
});

function row(body, action) {
  const r = body.items.find((x) => x.action === action);
  assert.ok(r, `the catalogue lists ${action}`);
  return r;
}

test('GET /roles lists the role names and every action with its roles', async () => {
  const body = expectStatus(await adm.get('/api/v1/roles'), 200);
  assert.deepEqual(body.roles, ROLES);
  assert.ok(Array.isArray(body.items) && body.items.length >= 30, 'many actions');
  const seen = new Set();
  for (const it of body.items) {
    assert.deepEqual(Object.keys(it).sort(), ['action', 'department_roles', 'description', 'roles']);
    assert.match(it.action, /^[a-z][a-z.]*$/);
    assert.ok(!seen.has(it.action), `${it.action} listed once`);
    seen.add(it.action);
    assert.ok(it.description.length > 5, `${it.action} has a description`);
    for (const r of [...it.roles, ...it.department_roles]) assert.ok(ROLES.includes(r), `${it.action}: known role ${r}`);
    assert.ok(it.roles.length + it.department_roles.length > 0, `${it.action}: someone may do it`);
  }
});

test('known rows: plan.approve, metric.value.write, complaint.register, survey.manage, self', async () => {
  const body = expectStatus(await adm.get('/api/v1/roles'), 200);
  assert.deepEqual(row(body, 'plan.approve').roles, ['approver']);
  assert.deepEqual(row(body, 'plan.approve').department_roles, []);
  assert.deepEqual(row(body, 'metric.value.write').roles, ['quality']);
  assert.deepEqual(row(body, 'metric.value.write').department_roles, ['planner', 'hr', 'member']);
  assert.deepEqual(row(body, 'complaint.register').roles, ['admin', 'planner', 'quality', 'member']);
  assert.deepEqual(row(body, 'survey.manage').roles, ['quality']);
  assert.deepEqual(row(body, 'self').roles, ROLES);
  assert.deepEqual(row(body, 'innovation.propose').roles, ROLES.filter((r) => r !== 'auditor'));
});

test('the catalogue agrees with what /me reports for a role', async () => {
  const body = expectStatus(await adm.get('/api/v1/roles'), 200);
  const username = uniq('rolecat');
  const password = randomPassword();
  await createUser(adm, { username, password, roles: ['auditor'] });
  const aud = await login(username, password);
  const me = expectStatus(await aud.get('/api/v1/me'), 200);
  const allowed = body.items.filter((x) => x.roles.includes('auditor') || x.department_roles.includes('auditor'))
    .map((x) => x.action).sort();
  assert.deepEqual([...me.permissions].sort(), allowed);
  // an auditor (like every role) may read the catalogue
  expectStatus(await aud.get('/api/v1/roles'), 200);
});

test('without a login: 401', async () => {
  expectError(await request('GET', '/api/v1/roles'), 401, 'unauthenticated');
});
