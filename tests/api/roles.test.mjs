// Roles: one user per role (created by the admin), and what each may do on users, departments and the audit log.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, admin, login, createUser, createDepartment, listAll, expectStatus, expectError, describe, uniq } from './lib.mjs';

// What each role gets. Writes on users and departments are the admin's; every logged-in role reads departments;
// the audit log is for admin and auditor.
const W = { createUser: 201, createDepartment: 201, patchUser: 200 };
const F = { createUser: 403, createDepartment: 403, patchUser: 403 };
const EXPECT = {
  admin:    { ...W, listDepartments: 200, listUsers: 200, audit: 200 },
  approver: { ...F, listDepartments: 200, listUsers: 200, audit: 403 },
  planner:  { ...F, listDepartments: 200, listUsers: 200, audit: 403 },
  hr:       { ...F, listDepartments: 200, listUsers: 200, audit: 403 },
  quality:  { ...F, listDepartments: 200, listUsers: 200, audit: 403 },
  member:   { ...F, listDepartments: 200, listUsers: 200, audit: 403 },
  auditor:  { ...F, listDepartments: 200, listUsers: 200, audit: 200 },
};

let adm;
let dept;
let target;            // a user everybody tries to PATCH
const clients = {};    // role → cookie client of a user holding only that role
const users = {};

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  target = (await createUser(adm, { display_name: '目标用户', department_id: dept.id })).user;
  for (const role of ROLES) {
    const u = await createUser(adm, { roles: [role], department_id: dept.id, display_name: `角色 ${role}` });
    users[role] = u.user;
    clients[role] = await login(u.username, u.password);
  }
});

test('the admin creates a user for each of the seven roles; /me shows that role and department', async () => {
  for (const role of ROLES) {
    const res = await clients[role].get('/api/v1/me');
    const me = expectStatus(res, 200);
    assert.deepEqual(me.roles, [role], `${role}: roles${describe(res)}`);
    assert.equal(me.department_id, dept.id, `${role}: department_id${describe(res)}`);
    assert.equal(me.active, true, `${role}: active${describe(res)}`);
  }
});

test('a user may hold several roles', async () => {
  const u = await createUser(adm, { roles: ['planner', 'hr'] });
  assert.deepEqual([...u.user.roles].sort(), ['hr', 'planner']);
});

for (const role of ROLES) {
  const exp = EXPECT[role];
  test(`${role}: POST /users → ${exp.createUser}, POST /departments → ${exp.createDepartment}, PATCH /users/{id} → ${exp.patchUser}`, async () => {
    const c = clients[role];

    const username = uniq(`r${role.slice(0, 3)}`);
    const ures = await c.post('/api/v1/users', {
      username, display_name: `由 ${role} 创建`, password: 'Passw0rd-long-enough', department_id: dept.id, roles: ['member'],
    });
    if (exp.createUser === 201) {
      assert.equal(expectStatus(ures, 201).username, username);
    } else {
      expectError(ures, exp.createUser, 'forbidden');
    }
    const allUsers = await listAll(adm, '/api/v1/users');
    assert.equal(allUsers.some((u) => u.username === username), exp.createUser === 201,
      `${role}: user ${username} exists ⇔ creation allowed`);

    const code = uniq(`R${role}`).toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
    const dres = await c.post('/api/v1/departments', { code, name: `${role} 的部门`, name_en: `${role}'s dept` });
    if (exp.createDepartment === 201) {
      assert.equal(expectStatus(dres, 201).code, code);
    } else {
      expectError(dres, exp.createDepartment, 'forbidden');
    }
    const allDepts = await listAll(adm, '/api/v1/departments');
    assert.equal(allDepts.some((d) => d.code === code), exp.createDepartment === 201,
      `${role}: department ${code} exists ⇔ creation allowed`);

    const newName = `改名 by ${role}`;
    const pres = await c.patch(`/api/v1/users/${target.id}`, { display_name: newName });
    if (exp.patchUser === 200) {
      assert.equal(expectStatus(pres, 200).display_name, newName);
    } else {
      expectError(pres, exp.patchUser, 'forbidden');
      const now = expectStatus(await adm.get(`/api/v1/users/${target.id}`), 200);
      assert.notEqual(now.display_name, newName, `${role}: the forbidden PATCH changed nothing`);
    }
  });

  test(`${role}: GET /departments → ${exp.listDepartments}, GET /users → ${exp.listUsers}, GET /audit → ${exp.audit}`, async () => {
    const c = clients[role];
    const dres = await c.get('/api/v1/departments');
    expectStatus(dres, exp.listDepartments);
    assert.ok(Array.isArray(dres.json.items), describe(dres));
    const ures = await c.get('/api/v1/users');
    expectStatus(ures, exp.listUsers);
    const ares = await c.get('/api/v1/audit?entity=user');
    if (exp.audit === 200) {
      assert.ok(Array.isArray(expectStatus(ares, 200).items), describe(ares));
    } else {
      expectError(ares, exp.audit, 'forbidden');
    }
  });
}

test('a non-admin cannot give itself the admin role', async () => {
  const c = clients.member;
  expectError(await c.patch(`/api/v1/users/${users.member.id}`, { roles: ['admin'] }), 403, 'forbidden');
  const me = expectStatus(await c.get('/api/v1/me'), 200);
  assert.deepEqual(me.roles, ['member']);
});

test('a deactivated user loses its session and cannot log in', async () => {
  const u = await createUser(adm, { roles: ['member'] });
  const c = await login(u.username, u.password);
  const res = await adm.patch(`/api/v1/users/${u.user.id}`, { active: false });
  assert.equal(expectStatus(res, 200).active, false, describe(res));
  expectError(await c.get('/api/v1/me'), 401, 'unauthenticated');
  const again = await c.login(u.username, u.password);
  expectError(again, 401, 'unauthenticated');
});
