// People: HR runs a yearly training plan through to its completion measure — plans courses (course, topic, form,
// hours, target group, planned date), holds sessions, records attendance with exam and feedback scores, evaluates the
// courses' effect — and the per-course results and the people measures (plan completion by courses and by
// person-hours, hours per person, pass rate at 60, average feedback) equal what this file computes from the same data.
// Refused calls (a session outside the plan's year or in the future, scores for an absentee, a session of a cancelled
// course) change nothing. Works in a past year and a department of its own.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, listAll, localDate } from './lib.mjs';

const YEAR = 2003 + Math.floor(Math.random() * 17);
const TODAY = process.env.NENGLI_TODAY ||
  localDate('Asia/Shanghai', new Date());
const near = (a, b, msg) => assert.ok(Math.abs(a - b) < 1e-9, `${msg}: ${a} ≈ ${b}`);
const PASS_MARK = 60;

let adm, hr, member, auditor, dept;
const staff = {};         // name → id
const courses = {};       // key → training
const sessions = [];      // {id, training, held_on, hours}
const attendance = [];    // {session, staff, attended, exam, feedback}

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  const h = await createUser(adm, { roles: ['hr'], department_id: dept.id });
  const m = await createUser(adm, { roles: ['member'], department_id: dept.id });
  const a = await createUser(adm, { roles: ['auditor'] });
  hr = await login(h.username, h.password);
  member = await login(m.username, m.password);
  auditor = await login(a.username, a.password);
  for (const [name, hired, left] of [['S1', '2000-01-01', null], ['S2', '2000-01-01', null], ['S3', '2000-01-01', null],
    ['S4', '2000-01-01', `${YEAR}-07-01`], ['S5', `${YEAR}-10-01`, null]]) {
    const s = expectStatus(await hr.post('/api/v1/staff', { name, department_id: dept.id, hired_on: hired, left_on: left, post: '工程师' }), 201);
    staff[name] = s.id;
  }
});

const plan = [
  // key, course, form, hours, planned_attendees, planned_on
  ['ansible', 'Ansible 自动化运维', 'drill', 8, 3, `${YEAR}-02-10`],
  ['itil', 'ITIL 4 基础', 'lecture', 4, 4, `${YEAR}-05-15`],
  ['cases', '故障案例复盘', 'case_study', 6, 3, `${YEAR}-09-01`],
  ['online', '信息安全意识', 'online', 2, null, `${YEAR}-11-20`],
];

test('hr plans the year: four courses, one per form', async () => {
  for (const [key, course, form, hours, attendees, planned] of plan) {
    const res = await hr.post('/api/v1/trainings', {
      year: YEAR, course, topic: `${course} 专题`, form, hours, target_group: '一线工程师', planned_attendees: attendees,
      department_id: dept.id, planned_on: planned,
    });
    const t = expectStatus(res, 201);
    assert.equal(t.status, 'planned');
    assert.equal(t.year, YEAR);
    assert.equal(t.form, form);
    assert.equal(t.hours, hours);
    assert.equal(t.planned_attendees, attendees);
    assert.equal(t.department_id, dept.id);
    assert.equal(t.sessions_held, 0);
    assert.equal(t.pass_rate, null);
    courses[key] = t;
  }
  const bad = [
    [{ year: YEAR, course: 'X', form: 'drill', hours: 2, planned_on: `${YEAR + 1}-01-05` }, 'planned_on'],
    [{ year: YEAR, course: 'X', form: 'webinar', hours: 2, planned_on: `${YEAR}-01-05` }, 'form'],
    [{ year: YEAR, course: 'X', form: 'drill', hours: 0, planned_on: `${YEAR}-01-05` }, 'hours'],
    [{ year: YEAR, course: '', form: 'drill', hours: 2, planned_on: `${YEAR}-01-05` }, 'course'],
    [{ year: YEAR, course: 'X', form: 'drill', hours: 2, planned_on: `${YEAR}-01-05`, department_id: 999999999 }, 'department_id'],
  ];
  for (const [body, field] of bad) expectError(await hr.post('/api/v1/trainings', body), 422, 'validation_failed', field);
  expectError(await member.post('/api/v1/trainings', { year: YEAR, course: 'X', form: 'drill', hours: 2, planned_on: `${YEAR}-01-05` }),
    403, 'forbidden');
  const all = await listAll(auditor, `/api/v1/trainings?year=${YEAR}&department_id=${dept.id}`);
  assert.deepEqual(all.map((t) => t.id), plan.map(([k]) => courses[k].id), 'exactly the four courses');
});

async function hold(key, held_on, hours) {
  const res = await hr.post(`/api/v1/trainings/${courses[key].id}/sessions`, { held_on, hours, trainer: '内部讲师' });
  const s = expectStatus(res, 201);
  assert.equal(s.training_id, courses[key].id);
  sessions.push({ id: s.id, training: key, held_on, hours });
  return s;
}

async function attend(session, name, attended, exam = null, feedback = null) {
  const res = await hr.put(`/api/v1/training-sessions/${session.id}/attendance/${staff[name]}`,
    { attended, exam_score: exam, feedback_score: feedback });
  const a = expectStatus(res, 201);
  assert.equal(a.attended, attended);
  assert.equal(a.passed, exam === null ? null : exam >= PASS_MARK);
  attendance.push({ session: session.id, staff: name, attended, exam, feedback });
}

test('sessions are held and attendance recorded; the course becomes held', async () => {
  const s1 = await hold('ansible', `${YEAR}-02-12`, 8);
  await attend(s1, 'S1', true, 90, 5);
  await attend(s1, 'S2', true, 59.5, 3);
  await attend(s1, 'S3', false);
  const s2 = await hold('itil', `${YEAR}-05-16`, 2);
  await attend(s2, 'S1', true, null, 4);
  await attend(s2, 'S3', true, 60, 4.5);
  await attend(s2, 'S4', true, 40, 2);
  const s3 = await hold('itil', `${YEAR}-05-23`, 2);
  await attend(s3, 'S1', true);
  await attend(s3, 'S3', true);
  await attend(s3, 'S4', false);
  const t = expectStatus(await auditor.get(`/api/v1/trainings/${courses.itil.id}`), 200);
  assert.equal(t.status, 'held');
  assert.equal(t.sessions.length, 2);
  assert.deepEqual(t.sessions.map((s) => s.held_on), [`${YEAR}-05-16`, `${YEAR}-05-23`]);
  assert.equal(t.sessions[0].attendance.length, 3);
  // re-putting replaces the row (200), and the record follows
  const res = await hr.put(`/api/v1/training-sessions/${s2.id}/attendance/${staff.S4}`, { attended: true, exam_score: 45, feedback_score: 2 });
  assert.equal(expectStatus(res, 200).exam_score, 45);
  attendance.find((a) => a.session === s2.id && a.staff === 'S4').exam = 45;
});

test('refused session and attendance calls change nothing', async () => {
  const before = expectStatus(await auditor.get(`/api/v1/trainings/${courses.cases.id}`), 200);
  const bad = [
    [{ held_on: `${YEAR + 1}-01-03`, hours: 2 }, 'held_on'],
    [{ held_on: `${YEAR}-02-30`, hours: 2 }, 'held_on'],
    [{ held_on: `${YEAR}-09-02`, hours: 0 }, 'hours'],
    [{ held_on: `${YEAR}-09-02`, hours: 25 }, 'hours'],
  ];
  for (const [body, field] of bad) {
    expectError(await hr.post(`/api/v1/trainings/${courses.cases.id}/sessions`, body), 422, 'validation_failed', field);
  }
  const s = sessions[0];
  // an absentee has no scores; scores out of range; S5 was not yet hired in February; unknown session
  expectError(await hr.put(`/api/v1/training-sessions/${s.id}/attendance/${staff.S3}`, { attended: false, exam_score: 70 }),
    422, 'validation_failed', 'exam_score');
  expectError(await hr.put(`/api/v1/training-sessions/${s.id}/attendance/${staff.S3}`, { attended: true, exam_score: 101 }),
    422, 'validation_failed', 'exam_score');
  expectError(await hr.put(`/api/v1/training-sessions/${s.id}/attendance/${staff.S3}`, { attended: true, feedback_score: 6 }),
    422, 'validation_failed', 'feedback_score');
  expectError(await hr.put(`/api/v1/training-sessions/${s.id}/attendance/${staff.S5}`, { attended: true }),
    422, 'validation_failed', 'staff_id');
  expectError(await hr.put(`/api/v1/training-sessions/999999999/attendance/${staff.S3}`, { attended: true }), 404, 'not_found');
  expectError(await member.put(`/api/v1/training-sessions/${s.id}/attendance/${staff.S3}`, { attended: true }), 403, 'forbidden');
  const after = expectStatus(await auditor.get(`/api/v1/trainings/${courses.cases.id}`), 200);
  assert.deepEqual(after, before, 'the course is unchanged');
  const sess = expectStatus(await auditor.get(`/api/v1/training-sessions/${s.id}`), 200);
  const s3 = sess.attendance.find((a) => a.staff_id === staff.S3);
  assert.equal(s3.attended, false);
  assert.equal(s3.exam_score, null);
  assert.equal(sess.attendance.some((a) => a.staff_id === staff.S5), false);
  // a session of the future is refused
  if (Number(TODAY.slice(0, 4)) < 9999) {
    const t = expectStatus(await hr.post('/api/v1/trainings',
      { year: Number(TODAY.slice(0, 4)), course: '未来课程', form: 'online', hours: 1, planned_on: TODAY }), 201);
    const next = new Date(Date.parse(TODAY + 'T00:00:00Z') + 86400000).toISOString().slice(0, 10);
    if (next.slice(0, 4) === TODAY.slice(0, 4)) {
      expectError(await hr.post(`/api/v1/trainings/${t.id}/sessions`, { held_on: next, hours: 1 }), 422, 'validation_failed', 'held_on');
    }
    expectStatus(await hr.del(`/api/v1/trainings/${t.id}`), 200);
  }
});

test('cancelling: the online course is cancelled (no session yet), a held course cannot be; a cancelled one takes no session', async () => {
  let res = await hr.patch(`/api/v1/trainings/${courses.online.id}`, { status: 'cancelled' });
  assert.equal(expectStatus(res, 200).status, 'cancelled');
  expectError(await hr.post(`/api/v1/trainings/${courses.online.id}/sessions`, { held_on: `${YEAR}-11-21`, hours: 2 }), 409, 'invalid_state');
  expectError(await hr.patch(`/api/v1/trainings/${courses.ansible.id}`, { status: 'cancelled' }), 409, 'invalid_state');
  expectError(await hr.patch(`/api/v1/trainings/${courses.cases.id}`, { status: 'held' }), 409, 'invalid_state');
  expectError(await hr.del(`/api/v1/trainings/${courses.ansible.id}`), 409, 'invalid_state');
  assert.equal(expectStatus(await auditor.get(`/api/v1/trainings/${courses.ansible.id}`), 200).status, 'held');
  // effectiveness evaluation
  res = await hr.patch(`/api/v1/trainings/${courses.ansible.id}`,
    { effectiveness: '考核通过 1/2；巡检脚本已在生产使用。', applied_in_practice: true });
  const t = expectStatus(res, 200);
  assert.equal(t.effectiveness, '考核通过 1/2；巡检脚本已在生产使用。');
  assert.equal(t.applied_in_practice, true);
  expectError(await hr.patch(`/api/v1/trainings/${courses.ansible.id}`, { applied_in_practice: 'yes' }), 422, 'validation_failed',
    'applied_in_practice');
});

/* ---- the same numbers, computed here ---- */

function courseResults(key) {
  const ss = sessions.filter((s) => s.training === key);
  const rows = attendance.filter((a) => ss.some((s) => s.id === a.session));
  const present = rows.filter((a) => a.attended);
  const exams = present.filter((a) => a.exam !== null);
  const fb = present.filter((a) => a.feedback !== null);
  const hoursOf = (a) => ss.find((s) => s.id === a.session).hours;
  return {
    sessions_held: ss.length,
    held_hours: ss.reduce((x, s) => x + s.hours, 0),
    attendances: present.length,
    absences: rows.length - present.length,
    attendees: new Set(present.map((a) => a.staff)).size,
    attended_hours: present.reduce((x, a) => x + hoursOf(a), 0),
    exams: exams.length,
    passed: exams.filter((a) => a.exam >= PASS_MARK).length,
    pass_rate: exams.length ? exams.filter((a) => a.exam >= PASS_MARK).length / exams.length : null,
    feedback_average: fb.length ? fb.reduce((x, a) => x + a.feedback, 0) / fb.length : null,
  };
}

function measures(first, last) {
  const employed = { S1: true, S2: true, S3: true, S4: `${YEAR}-07-01` > last, S5: `${YEAR}-10-01` <= last };
  const headcount = Object.values(employed).filter(Boolean).length;
  const inPeriod = attendance.filter((a) => {
    const s = sessions.find((x) => x.id === a.session);
    return a.attended && s.held_on >= first && s.held_on <= last;
  });
  const hoursOf = (a) => sessions.find((s) => s.id === a.session).hours;
  const hours = inPeriod.reduce((x, a) => x + hoursOf(a), 0);
  const exams = inPeriod.filter((a) => a.exam !== null);
  const fb = inPeriod.filter((a) => a.feedback !== null);
  const heldBy = (key) => sessions.some((s) => s.training === key && s.held_on <= last);
  const due = plan.filter(([key, , , , , planned]) => planned <= last || heldBy(key));
  const held = due.filter(([key]) => heldBy(key));
  const withPlan = due.filter(([, , , , n]) => n);
  const plannedHours = withPlan.reduce((x, [, , , h, n]) => x + h * n, 0);
  const attendedHours = attendance.filter((a) => {
    const s = sessions.find((x) => x.id === a.session);
    return a.attended && s.held_on <= last && withPlan.some(([key]) => key === s.training);
  }).reduce((x, a) => x + hoursOf(a), 0);
  return {
    training_plan_completion_rate: due.length ? held.length / due.length : null,
    training_person_hours_completion_rate: plannedHours ? attendedHours / plannedHours : null,
    training_hours_per_person: hours / headcount,
    training_pass_rate: exams.length ? exams.filter((a) => a.exam >= PASS_MARK).length / exams.length : null,
    training_feedback_avg: fb.length ? fb.reduce((x, a) => x + a.feedback, 0) / fb.length : null,
  };
}

test('GET /trainings?year= gives each course its held hours, attendance, pass rate and average feedback', async () => {
  const res = await auditor.get(`/api/v1/trainings?year=${YEAR}&department_id=${dept.id}`);
  const items = expectStatus(res, 200).items;
  for (const [key] of plan) {
    const got = items.find((t) => t.id === courses[key].id);
    const want = courseResults(key);
    for (const [k, v] of Object.entries(want)) {
      if (v === null) assert.equal(got[k], null, `${key}.${k}${describe(res)}`);
      else near(got[k], v, `${key}.${k}`);
    }
  }
  // the spelled-out Ansible case: 90 passes, 59.5 does not
  const ans = items.find((t) => t.id === courses.ansible.id);
  assert.equal(ans.passed, 1);
  assert.equal(ans.pass_rate, 0.5);
  const cancelled = await listAll(auditor, `/api/v1/trainings?year=${YEAR}&department_id=${dept.id}&status=cancelled`);
  assert.deepEqual(cancelled.map((t) => t.id), [courses.online.id]);
});

test('the completion measure and the other training measures equal the numbers computed from the same records', async () => {
  for (const [period, first, last] of [[`${YEAR}`, `${YEAR}-01-01`, `${YEAR}-12-31`], [`${YEAR}-Q1`, `${YEAR}-01-01`, `${YEAR}-03-31`],
    [`${YEAR}-Q2`, `${YEAR}-04-01`, `${YEAR}-06-30`], [`${YEAR}-05`, `${YEAR}-05-01`, `${YEAR}-05-31`]]) {
    const res = await hr.get(`/api/v1/people/measures?period=${period}&department_id=${dept.id}`);
    const got = expectStatus(res, 200).measures;
    const want = measures(first, last);
    for (const [k, v] of Object.entries(want)) {
      if (v === null) assert.equal(got[k].value, null, `${period} ${k}${describe(res)}`);
      else near(got[k].value, v, `${period} ${k}`);
    }
  }
  // the year spelled out: 2 of 4 courses held (the cancelled one counts as not held)
  const yr = expectStatus(await hr.get(`/api/v1/people/measures?period=${YEAR}&department_id=${dept.id}`), 200).measures;
  near(yr.training_plan_completion_rate.value, 0.5, 'completion');
  near(yr.training_plan_completion_rate.numerator, 2, 'held');
  near(yr.training_plan_completion_rate.denominator, 4, 'due');
  // hours: 8 + 8 (Feb) + 3 × 2 (May 16) + 2 × 2 (May 23) = 26 over 4 employed at the end (S4 left, S5 joined)
  near(yr.training_hours_per_person.value, 26 / 4, 'hours per person');
  near(yr.training_person_hours_completion_rate.value, 26 / (8 * 3 + 4 * 4 + 6 * 3), 'person-hours');
  near(yr.training_pass_rate.value, 2 / 4, 'pass rate (90 and 60 pass; 59.5 and 45 do not)');
  near(yr.training_feedback_avg.value, (5 + 3 + 4 + 4.5 + 2) / 5, 'feedback');
});

test('each staff member\'s training record: sessions attended, hours and scores', async () => {
  const rec = expectStatus(await auditor.get(`/api/v1/staff/${staff.S1}`), 200).training;
  assert.equal(rec.sessions_attended, 3);
  assert.equal(rec.hours, 12);
  assert.equal(rec.exams, 1);
  assert.equal(rec.passed, 1);
  assert.equal(rec.exam_average, 90);
  near(rec.feedback_average, 4.5, 'S1 feedback');
  const s3 = expectStatus(await auditor.get(`/api/v1/staff/${staff.S3}`), 200).training;
  assert.equal(s3.sessions.length, 3);
  assert.equal(s3.sessions_attended, 2);
  assert.equal(s3.hours, 4);
  // removing a session recorded by mistake removes its attendance; the last session gone, the course is planned again
  const extra = await hold('cases', `${YEAR}-09-02`, 1);
  expectStatus(await hr.put(`/api/v1/training-sessions/${extra.id}/attendance/${staff.S1}`, { attended: true }), 201);
  assert.equal(expectStatus(await auditor.get(`/api/v1/trainings/${courses.cases.id}`), 200).status, 'held');
  expectStatus(await hr.del(`/api/v1/training-sessions/${extra.id}`), 200);
  sessions.pop();
  assert.equal(expectStatus(await auditor.get(`/api/v1/trainings/${courses.cases.id}`), 200).status, 'planned');
  assert.equal(expectStatus(await auditor.get(`/api/v1/staff/${staff.S1}`), 200).training.sessions_attended, 3);
  expectError(await auditor.get(`/api/v1/training-sessions/${extra.id}`), 404, 'not_found');
});

test('a measurement-plan metric on the training completion measure fills itself from these records', async () => {
  const q = await createUser(adm, { roles: ['quality'] });
  const quality = await login(q.username, q.password);
  const metric = expectStatus(await quality.post('/api/v1/metrics', {
    year: YEAR, code: `TRN-${Date.now() % 100000}`, name: '培训计划完成率', element: 'people', unit: 'ratio',
    direction: 'higher_better', target: 0.9, frequency: 'year', source: 'measure:training_plan_completion_rate',
    owner_department_id: dept.id,
  }), 201);
  const org = expectStatus(await hr.get(`/api/v1/people/measures?period=${YEAR}`), 200).measures.training_plan_completion_rate;
  const done = expectStatus(await quality.post('/api/v1/achievement/compute', { year: YEAR }), 200);
  assert.ok(done.computed >= 1, 'at least this metric was computed');
  const value = expectStatus(await quality.get(`/api/v1/metrics/${metric.id}/values/${YEAR}`), 200);
  near(value.actual, org.value, 'the achievement value is the organisation-wide measure');
  assert.equal(value.origin, 'computed');
});
