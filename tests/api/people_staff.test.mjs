// People: staff records (optional link to a user), posts, key posts and their backups (岗位备份), the skills catalogue
// with levels 1–5 and the skills matrix, certifications with the 60-day expiry reminder, the post structure view and
// the people measures (headcount, turnover, certification rate, key-post backup coverage — computed here by hand, per
// department and per post). HR writes, everyone reads; rejected calls change nothing (read back).
// Works in departments of its own; "today" is the server's (Asia/Shanghai, or NENGLI_TODAY).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, listAll, localDate } from './lib.mjs';

const TODAY = process.env.NENGLI_TODAY ||
  localDate('Asia/Shanghai', new Date());
const addDays = (d, n) => new Date(Date.parse(d + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10);
const YEAR = 2003 + Math.floor(Math.random() * 17);   // a past year of this file's own for the measures
const near = (a, b, msg) => assert.ok(Math.abs(a - b) < 1e-9, `${msg}: ${a} ≈ ${b}`);

let adm, hr, member, auditor, quality, memberUser, otherMember;
let dept, dept2;
const staff = {};   // name → staff record

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  dept2 = await createDepartment(adm);
  const h = await createUser(adm, { roles: ['hr'], department_id: dept.id, display_name: '人事专员' });
  const m = await createUser(adm, { roles: ['member'], department_id: dept.id, display_name: '运维工程师' });
  const o = await createUser(adm, { roles: ['member'], department_id: dept.id, display_name: '另一位工程师' });
  const a = await createUser(adm, { roles: ['auditor'] });
  const q = await createUser(adm, { roles: ['quality'], department_id: dept2.id });
  hr = await login(h.username, h.password);
  member = await login(m.username, m.password);
  otherMember = await login(o.username, o.password);
  auditor = await login(a.username, a.password);
  quality = await login(q.username, q.password);
  memberUser = m.user;
});

async function mkStaff(fields) {
  const res = await hr.post('/api/v1/staff', { department_id: dept.id, hired_on: '2000-01-01', ...fields });
  const s = expectStatus(res, 201);
  staff[fields.name] = s;
  return s;
}

async function read(id) {
  return expectStatus(await auditor.get(`/api/v1/staff/${id}`), 200);
}

test('hr records staff with a post, key post and user link; the record reads back with its department', async () => {
  const s = await mkStaff({ name: '张伟', post: '数据库管理员', key_post: true, user_id: memberUser.id });
  assert.equal(s.name, '张伟');
  assert.equal(s.department_id, dept.id);
  assert.equal(s.department, dept.name);
  assert.equal(s.post, '数据库管理员');
  assert.equal(s.key_post, true);
  assert.equal(s.user_id, memberUser.id);
  assert.equal(s.user_name, memberUser.display_name);
  assert.equal(s.hired_on, '2000-01-01');
  assert.equal(s.left_on, null);
  assert.equal(s.active, true);
  assert.equal(s.backup_staff_id, null);
  assert.equal(s.backup_active, null);
  await mkStaff({ name: '李娜', post: '数据库管理员' });
  await mkStaff({ name: '王芳', post: '网络工程师', key_post: true });
  await mkStaff({ name: '刘洋', post: '网络工程师' });
  // a backup is a PATCH once both exist
  const res = await hr.patch(`/api/v1/staff/${s.id}`, { backup_staff_id: staff['李娜'].id });
  const p = expectStatus(res, 200);
  assert.equal(p.backup_staff_id, staff['李娜'].id);
  assert.equal(p.backup_name, '李娜');
  assert.equal(p.backup_active, true);
  const back = await read(s.id);
  assert.deepEqual(back.backup_for, []);
  const lina = await read(staff['李娜'].id);
  assert.deepEqual(lina.backup_for.map((b) => b.id), [s.id], 'the backup sees whom they back up');
});

test('staff validation names the field and writes nothing', async () => {
  const before = (await listAll(auditor, `/api/v1/staff?department_id=${dept.id}`)).length;
  const bad = [
    [{ name: '', department_id: dept.id, hired_on: '2001-01-01' }, 'name'],
    [{ name: 'X', department_id: 999999999, hired_on: '2001-01-01' }, 'department_id'],
    [{ name: 'X', department_id: dept.id, hired_on: '2001-02-30' }, 'hired_on'],
    [{ name: 'X', department_id: dept.id, hired_on: '2001-01-01', left_on: '2000-12-31' }, 'left_on'],
    [{ name: 'X', department_id: dept.id, hired_on: '2001-01-01', user_id: 999999999 }, 'user_id'],
    [{ name: 'X', department_id: dept.id, hired_on: '2001-01-01', backup_staff_id: 999999999 }, 'backup_staff_id'],
    [{ name: 'X', department_id: dept.id, hired_on: '2001-01-01', salary: 1 }, 'salary'],
    [{ name: 'X', department_id: dept.id }, 'hired_on'],
  ];
  for (const [body, field] of bad) expectError(await hr.post('/api/v1/staff', body), 422, 'validation_failed', field);
  // the same user twice: 409 naming user_id
  expectError(await hr.post('/api/v1/staff', { name: 'X', department_id: dept.id, hired_on: '2001-01-01', user_id: memberUser.id }),
    409, 'conflict', 'user_id');
  // one's own backup
  const zw = staff['张伟'];
  expectError(await hr.patch(`/api/v1/staff/${zw.id}`, { backup_staff_id: zw.id }), 422, 'validation_failed', 'backup_staff_id');
  assert.equal((await listAll(auditor, `/api/v1/staff?department_id=${dept.id}`)).length, before, 'no staff added');
  assert.equal((await read(zw.id)).backup_staff_id, staff['李娜'].id, 'backup unchanged');
  // roles: only hr (and admin) write
  expectError(await member.post('/api/v1/staff', { name: 'X', department_id: dept.id, hired_on: '2001-01-01' }), 403, 'forbidden');
  expectError(await quality.patch(`/api/v1/staff/${zw.id}`, { post: '经理' }), 403, 'forbidden');
  expectStatus(await member.get(`/api/v1/staff/${zw.id}`), 200);
});

test('skills: created in the catalogue on first use, re-posting updates the level, DELETE removes it; the matrix', async () => {
  const zw = staff['张伟'], ln = staff['李娜'];
  const skill = `Oracle-${dept.code}`;
  let res = await hr.post(`/api/v1/staff/${zw.id}/skills`, { skill, level: 3, category: '数据库' });
  const s1 = expectStatus(res, 201);
  assert.equal(s1.skill, skill);
  assert.equal(s1.level, 3);
  assert.equal(s1.category, '数据库');
  assert.equal(s1.assessed_on, TODAY);
  res = await hr.post(`/api/v1/staff/${zw.id}/skills`, { skill, level: 5, assessed_on: '2020-06-01' });
  const s2 = expectStatus(res, 200);
  assert.equal(s2.skill_id, s1.skill_id, 'the same catalogue entry');
  assert.equal(s2.level, 5);
  assert.equal(s2.category, '数据库', 'the catalogue keeps its category');
  expectStatus(await hr.post(`/api/v1/staff/${ln.id}/skills`, { skill, level: 2 }), 201);
  expectStatus(await hr.post(`/api/v1/staff/${ln.id}/skills`, { skill: `MySQL-${dept.code}`, level: 4 }), 201);
  for (const [body, field] of [[{ skill, level: 6 }, 'level'], [{ skill, level: 0 }, 'level'], [{ skill: '', level: 3 }, 'skill'],
    [{ level: 3 }, 'skill']]) {
    expectError(await hr.post(`/api/v1/staff/${zw.id}/skills`, body), 422, 'validation_failed', field);
  }
  expectError(await hr.post('/api/v1/staff/999999999/skills', { skill, level: 3 }), 404, 'not_found');
  assert.equal((await read(zw.id)).skills.find((k) => k.skill === skill).level, 5, 'rejected posts changed nothing');
  const cat = expectStatus(await auditor.get('/api/v1/skills'), 200).items.find((k) => k.name === skill);
  assert.equal(cat.holders, 2);
  near(cat.average_level, 3.5, 'average level');
  // the matrix of the department: staff × skill levels
  const mx = expectStatus(await auditor.get(`/api/v1/skills/matrix?department_id=${dept.id}`), 200);
  assert.deepEqual(mx.skills.map((k) => k.name).sort(), [skill, `MySQL-${dept.code}`].sort());
  const row = (name) => mx.staff.find((p) => p.name === name);
  assert.deepEqual(row('张伟').levels, { [skill]: 5 });
  assert.deepEqual(row('李娜').levels, { [skill]: 2, [`MySQL-${dept.code}`]: 4 });
  assert.deepEqual(row('王芳').levels, {});
  // DELETE a person's skill
  res = await hr.del(`/api/v1/staff/${ln.id}/skills/${s1.skill_id}`);
  assert.equal(expectStatus(res, 200).level, 2);
  expectError(await hr.del(`/api/v1/staff/${ln.id}/skills/${s1.skill_id}`), 404, 'not_found');
  assert.deepEqual((await read(ln.id)).skills.map((k) => k.skill), [`MySQL-${dept.code}`]);
});

test('certifications: recorded, renewed, deleted; expiring within 60 days listed and reminded to hr and the holder', async () => {
  const zw = staff['张伟'], wf = staff['王芳'];
  const soon = addDays(TODAY, 30), later = addDays(TODAY, 200), past = addDays(TODAY, -10);
  let res = await hr.post(`/api/v1/staff/${zw.id}/certifications`, {
    name: 'ITIL 4 Foundation', issuer: 'PeopleCert', number: 'GR-1', obtained_on: '2019-01-01', expires_on: soon,
  });
  const c1 = expectStatus(res, 201);
  assert.equal(c1.staff_id, zw.id);
  assert.equal(c1.status, 'expiring');
  assert.equal(c1.days_left, 30);
  const c2 = expectStatus(await hr.post(`/api/v1/staff/${wf.id}/certifications`,
    { name: 'HCIE', obtained_on: '2019-01-01', expires_on: later }), 201);
  assert.equal(c2.status, 'valid');
  const c3 = expectStatus(await hr.post(`/api/v1/staff/${wf.id}/certifications`,
    { name: 'CCNA', obtained_on: '2010-01-01', expires_on: past }), 201);
  assert.equal(c3.status, 'expired');
  const c4 = expectStatus(await hr.post(`/api/v1/staff/${wf.id}/certifications`, { name: '软考中级', obtained_on: '2012-05-01' }), 201);
  assert.equal(c4.expires_on, null);
  assert.equal(c4.days_left, null);
  assert.equal(c4.status, 'valid');
  // validation
  expectError(await hr.post(`/api/v1/staff/${wf.id}/certifications`, { name: 'X', obtained_on: '2020-01-01', expires_on: '2019-01-01' }),
    422, 'validation_failed', 'expires_on');
  expectError(await hr.post(`/api/v1/staff/${wf.id}/certifications`, { obtained_on: '2020-01-01' }), 422, 'validation_failed', 'name');
  assert.equal((await read(wf.id)).certifications.length, 3, 'nothing added by the refused calls');
  // expiring within 60 days: only c1 of this department
  const expiring = (await listAll(auditor, `/api/v1/certifications?department_id=${dept.id}&expiring_within_days=60`)).map((c) => c.id);
  assert.deepEqual(expiring, [c1.id]);
  const expired = (await listAll(auditor, `/api/v1/certifications?department_id=${dept.id}&expired=true`)).map((c) => c.id);
  assert.deepEqual(expired, [c3.id]);
  // the reminder: for hr (everyone's) and the holder's own user, not another member
  const kinds = async (client) => expectStatus(await client.get('/api/v1/notifications'), 200).items
    .filter((n) => n.kind === 'certification_expiring' && n.entity_id === c1.id);
  const forHr = await kinds(hr);
  assert.equal(forHr.length, 1, 'hr is reminded');
  assert.equal(forHr[0].entity, 'certification');
  assert.equal(forHr[0].due_date, soon);
  assert.match(forHr[0].title, /张伟/);
  assert.equal(forHr[0].severity, 'warning');
  assert.equal((await kinds(member)).length, 1, 'the holder is reminded');
  assert.equal((await kinds(otherMember)).length, 0, 'another member is not');
  // renewal moves the expiry: no longer expiring, no reminder
  res = await hr.patch(`/api/v1/certifications/${c1.id}`, { expires_on: addDays(TODAY, 1000) });
  assert.equal(expectStatus(res, 200).status, 'valid');
  assert.equal((await kinds(hr)).length, 0, 'no reminder after renewal');
  // delete
  assert.equal(expectStatus(await hr.del(`/api/v1/certifications/${c4.id}`), 200).id, c4.id);
  expectError(await auditor.get(`/api/v1/certifications/${c4.id}`), 404, 'not_found');
  expectError(await member.del(`/api/v1/certifications/${c3.id}`), 403, 'forbidden');
  expectStatus(await auditor.get(`/api/v1/certifications/${c3.id}`), 200);
});

test('the post structure: posts with their staff, key posts, backups and coverage; a leaver leaves the view', async () => {
  // 王芳 (key) has no backup yet
  let posts = expectStatus(await auditor.get(`/api/v1/posts?department_id=${dept.id}`), 200).items;
  const post = (name) => posts.find((p) => p.post === name);
  assert.equal(post('数据库管理员').headcount, 2);
  assert.equal(post('数据库管理员').key_post, true);
  assert.equal(post('数据库管理员').key_staff, 1);
  assert.equal(post('数据库管理员').key_staff_with_backup, 1);
  assert.equal(post('数据库管理员').backup_coverage, 1);
  assert.equal(post('网络工程师').backup_coverage, 0);
  assert.equal(post('网络工程师').staff.find((s) => s.name === '王芳').backup_staff_id, null);
  // 刘洋 becomes 王芳's backup, then leaves: the backup no longer counts
  expectStatus(await hr.patch(`/api/v1/staff/${staff['王芳'].id}`, { backup_staff_id: staff['刘洋'].id }), 200);
  posts = expectStatus(await auditor.get(`/api/v1/posts?department_id=${dept.id}`), 200).items;
  assert.equal(post('网络工程师').backup_coverage, 1);
  const left = expectStatus(await hr.patch(`/api/v1/staff/${staff['刘洋'].id}`, { left_on: TODAY }), 200);
  assert.equal(left.active, false);
  posts = expectStatus(await auditor.get(`/api/v1/posts?department_id=${dept.id}`), 200).items;
  assert.equal(post('网络工程师').headcount, 1);
  assert.equal(post('网络工程师').backup_coverage, 0);
  assert.equal(post('网络工程师').staff[0].backup_active, false);
  // a new backup must not have left
  expectError(await hr.patch(`/api/v1/staff/${staff['李娜'].id}`, { backup_staff_id: staff['刘洋'].id }), 422, 'validation_failed',
    'backup_staff_id');
  // filters
  const active = (await listAll(auditor, `/api/v1/staff?department_id=${dept.id}&active=true`)).map((s) => s.name).sort();
  assert.deepEqual(active, ['张伟', '李娜', '王芳'].sort());
  const gone = (await listAll(auditor, `/api/v1/staff?department_id=${dept.id}&active=false`)).map((s) => s.name);
  assert.deepEqual(gone, ['刘洋']);
  const keys = (await listAll(auditor, `/api/v1/staff?department_id=${dept.id}&key_post=true`)).map((s) => s.name).sort();
  assert.deepEqual(keys, ['张伟', '王芳'].sort());
  const dbas = (await listAll(auditor, `/api/v1/staff?department_id=${dept.id}&post=${encodeURIComponent('数据库管理员')}`));
  assert.equal(dbas.length, 2);
  expectError(await auditor.get('/api/v1/staff?active=yes'), 400, 'bad_request', 'active');
});

test('people measures of a year, by hand: headcount, turnover, certification rate, backup coverage, per post', async () => {
  // a department of its own, in YEAR: who is employed when
  const d = await createDepartment(adm);
  const Y = YEAR;
  const people = [
    // name, post, key, hired, left, certification [obtained, expires]
    ['A', 'ops', true, `${Y - 5}-01-01`, null, [`${Y - 1}-01-01`, `${Y + 1}-01-01`]],
    ['B', 'ops', false, `${Y - 3}-06-01`, null, [`${Y - 2}-01-01`, `${Y}-11-30`]],       // expires before the year end
    ['C', 'ops', false, `${Y}-04-01`, null, [`${Y}-05-01`, null]],                       // joins in the year
    ['D', 'dba', true, `${Y - 4}-01-01`, `${Y}-08-01`, [`${Y - 4}-01-01`, null]],        // leaves in the year
    ['E', 'dba', true, `${Y - 2}-01-01`, null, null],
    ['F', 'ops', false, `${Y - 2}-01-01`, `${Y}-01-01`, null],                           // leaves on the first day
    ['G', 'ops', false, `${Y + 1}-02-01`, null, null],                                   // hired later: never counts
  ];
  const ids = {};
  for (const [name, post, key, hired, left] of people) {
    const s = expectStatus(await hr.post('/api/v1/staff', { name, post, key_post: key, department_id: d.id, hired_on: hired, left_on: left }), 201);
    ids[name] = s.id;
  }
  for (const [name, , , , , cert] of people) {
    if (cert) expectStatus(await hr.post(`/api/v1/staff/${ids[name]}/certifications`, { name: 'cert', obtained_on: cert[0], expires_on: cert[1] }), 201);
  }
  // A's backup is B; D's backup is A; E's backup is F (who left)
  expectStatus(await hr.patch(`/api/v1/staff/${ids.A}`, { backup_staff_id: ids.B }), 200);
  expectStatus(await hr.patch(`/api/v1/staff/${ids.D}`, { backup_staff_id: ids.A }), 200);
  // F has left (today is after YEAR), so the API refuses F as a new backup; give E the backup G... not employed then
  expectError(await hr.patch(`/api/v1/staff/${ids.E}`, { backup_staff_id: ids.F }), 422, 'validation_failed', 'backup_staff_id');
  expectStatus(await hr.patch(`/api/v1/staff/${ids.E}`, { backup_staff_id: ids.G }), 200);

  // by hand, with "employed on day X" = hired_on ≤ X and (no left_on or left_on > X)
  const employed = (p, day) => p[3] <= day && (!p[4] || p[4] > day);
  const byName = Object.fromEntries(people.map((p) => [p[0], p]));
  function expect(period, first, last, post) {
    const inScope = people.filter((p) => !post || p[1] === post);
    const opening = inScope.filter((p) => employed(p, addDays(first, -1))).length;
    const closing = inScope.filter((p) => employed(p, last));
    const leavers = inScope.filter((p) => p[4] && p[4] >= first && p[4] <= last).length;
    const certified = closing.filter((p) => p[5] && p[5][0] <= last && (!p[5][1] || p[5][1] >= last)).length;
    const backups = { A: 'B', D: 'A', E: 'G' };
    const key = closing.filter((p) => p[2]);
    const covered = key.filter((p) => backups[p[0]] && employed(byName[backups[p[0]]], last)).length;
    return {
      headcount: closing.length,
      turnover_rate: leavers / ((opening + closing.length) / 2),
      certification_rate: closing.length ? certified / closing.length : null,
      key_post_backup_coverage: key.length ? covered / key.length : null,
    };
  }
  for (const [period, first, last] of [[`${Y}`, `${Y}-01-01`, `${Y}-12-31`], [`${Y}-Q1`, `${Y}-01-01`, `${Y}-03-31`],
    [`${Y}-08`, `${Y}-08-01`, `${Y}-08-31`]]) {
    const res = await auditor.get(`/api/v1/people/measures?period=${period}&department_id=${d.id}`);
    const body = expectStatus(res, 200);
    assert.equal(body.period, period);
    assert.equal(body.department_id, d.id);
    const want = expect(period, first, last, null);
    for (const [k, v] of Object.entries(want)) {
      if (v === null) assert.equal(body.measures[k].value, null, `${period} ${k}${describe(res)}`);
      else near(body.measures[k].value, v, `${period} ${k}`);
    }
    for (const post of ['ops', 'dba']) {
      const got = body.posts.find((p) => p.post === post);
      assert.ok(got, `${period}: post ${post} listed${describe(res)}`);
      const wantPost = expect(period, first, last, post);
      for (const [k, v] of Object.entries(wantPost)) {
        if (v === null) assert.equal(got.measures[k].value, null, `${period} ${post} ${k}`);
        else near(got.measures[k].value, v, `${period} ${post} ${k}`);
      }
      assert.equal(got.measures.training_plan_completion_rate, undefined, 'plan completion is not per post');
    }
  }
  // the year, spelled out: opening A B D E F = 5, closing A B C E = 4, leavers D F: 2 ÷ 4.5
  const yr = expectStatus(await auditor.get(`/api/v1/people/measures?period=${Y}&department_id=${d.id}`), 200).measures;
  assert.equal(yr.headcount.value, 4);
  near(yr.turnover_rate.value, 2 / 4.5, 'turnover');
  near(yr.turnover_rate.numerator, 2, 'leavers');
  near(yr.turnover_rate.denominator, 4.5, 'average headcount');
  near(yr.key_post_backup_coverage.value, 0.5, 'A covered by B, E by G (not yet hired)');
  near(yr.certification_rate.value, 0.5, 'A and C hold a valid certification at the year end');
  // a year before anyone was hired: no values
  const early = expectStatus(await auditor.get(`/api/v1/people/measures?period=${Y - 10}&department_id=${d.id}`), 200);
  assert.equal(early.measures.headcount.value, null);
  assert.deepEqual(early.posts, []);
  expectError(await auditor.get('/api/v1/people/measures?period=2027-Q5'), 400, 'bad_request', 'period');
  expectError(await auditor.get('/api/v1/people/measures'), 400, 'bad_request', 'period');
});
