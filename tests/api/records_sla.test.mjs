// Business calendars and SLA policies: the seeded defaults (the State Council's holidays of data/holidays/ in the
// standard calendar, one policy per priority), calendars CRUD with validation errors naming the field, holidays and
// make-up workdays one by one and imported from CSV and iCalendar (all or nothing, the bad line named, one audit row),
// SLA policies CRUD with the most-specific-scope rule's conflicts, and who may write.
// Every calendar and policy a test makes has a unique name or category, so files may run in parallel.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { admin, login, createUser, createDepartment, listAll, expectStatus, expectError, describe, uniq } from './lib.mjs';

const DEFAULT_CALENDAR = '标准工作日历 (中国)';
let adm, planner, member, auditor, dept;

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  const p = await createUser(adm, { roles: ['planner'] });
  const m = await createUser(adm, { roles: ['member'], department_id: dept.id });
  const a = await createUser(adm, { roles: ['auditor'] });
  planner = await login(p.username, p.password);
  member = await login(m.username, m.password);
  auditor = await login(a.username, a.password);
});

/** newCalendar(client, fields): 201 expected; a calendar with a unique name. */
async function newCalendar(client, fields = {}) {
  const body = { name: `日历 ${uniq('c')}`, timezone: 'Asia/Shanghai', work_periods: [['09:00', '12:00'], ['13:30', '18:00']],
    weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], ...fields };
  return expectStatus(await client.post('/api/v1/calendars', body), 201);
}

async function calendarNames() {
  return (await listAll(adm, '/api/v1/calendars')).map((c) => c.name);
}

async function daysOf(calId, year) {
  return listAll(adm, `/api/v1/calendars/${calId}/days${year ? `?year=${year}` : ''}`);
}

/** The rows of data/holidays/CN-YYYY.csv (the repository's file), parsed independently of the server. */
function officialDays(year) {
  const text = readFileSync(new URL(`../../data/holidays/CN-${year}.csv`, import.meta.url), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim());
  assert.equal(lines[0], 'date,kind,name');
  return lines.slice(1).map((l) => {
    const [date, kind, name] = l.split(',');
    return { date, kind, name };
  });
}

test('the standard calendar is seeded with every holiday and make-up workday of the shipped years', async () => {
  const cals = await listAll(auditor, '/api/v1/calendars');
  const std = cals.find((c) => c.name === DEFAULT_CALENDAR);
  assert.ok(std, `the calendar "${DEFAULT_CALENDAR}" exists`);
  assert.equal(std.timezone, 'Asia/Shanghai');
  assert.deepEqual(std.work_periods, [['09:00', '12:00'], ['13:30', '18:00']]);
  assert.deepEqual(std.weekdays, ['mon', 'tue', 'wed', 'thu', 'fri']);
  assert.equal(std.minutes_per_day, 450);
  for (const year of [2024, 2025, 2026]) {
    const want = officialDays(year);
    const got = (await daysOf(std.id, year)).map(({ date, kind, name }) => ({ date, kind, name }));
    assert.deepEqual(got, want, `${year}: the calendar's days are data/holidays/CN-${year}.csv`);
    // every make-up workday falls on a weekend, every listed weekday name is right
    for (const d of await daysOf(std.id, year)) {
      const wd = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(`${d.date}T00:00:00Z`).getUTCDay()];
      assert.equal(d.weekday, wd, `${d.date} weekday`);
      if (d.kind === 'workday') assert.ok(wd === 'sat' || wd === 'sun', `${d.date} (make-up workday) is a weekend day`);
    }
  }
  // 2025 (国办发明电〔2024〕12号): 国庆/中秋 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 worked
  const y2025 = await daysOf(std.id, 2025);
  const kind = Object.fromEntries(y2025.map((d) => [d.date, d.kind]));
  for (let d = 1; d <= 8; d++) assert.equal(kind[`2025-10-0${d}`], 'holiday');
  assert.equal(kind['2025-09-28'], 'workday');
  assert.equal(kind['2025-10-11'], 'workday');
  assert.equal(kind['2025-10-09'], undefined, 'an ordinary Thursday is no exception');
  assert.equal(std.holiday_count, 28 + 28 + 33);
  assert.equal(std.workday_count, 8 + 5 + 6);
});

test('the default SLA policies: one per priority on the standard calendar', async () => {
  const cals = await listAll(auditor, '/api/v1/calendars');
  const std = cals.find((c) => c.name === DEFAULT_CALENDAR);
  const pols = await listAll(auditor, `/api/v1/sla-policies?calendar_id=${std.id}`);
  const want = { P1: [30, 240], P2: [60, 480], P3: [240, 1440], P4: [480, 2880] };
  for (const [prio, [resp, resol]] of Object.entries(want)) {
    const p = pols.find((x) => x.name.startsWith('默认') && x.priority === prio);
    assert.ok(p, `default ${prio} policy`);
    assert.equal(p.response_minutes, resp);
    assert.equal(p.resolution_minutes, resol);
    assert.equal(p.category, null);
    assert.equal(p.department_id, null);
    assert.equal(p.calendar_name, DEFAULT_CALENDAR);
    assert.equal(p.specificity, 'priority');
    const one = expectStatus(await auditor.get(`/api/v1/sla-policies/${p.id}`), 200);
    assert.deepEqual(one, p);
  }
  const seven = cals.find((c) => c.name === '7×24 全天候日历');
  assert.ok(seven, 'the 7×24 calendar exists');
  assert.deepEqual(seven.work_periods, [['00:00', '24:00']]);
  assert.equal(seven.weekdays.length, 7);
  assert.equal(seven.minutes_per_day, 1440);
});

test('calendars: create, read, list, change; defaults for timezone and weekdays', async () => {
  const name = `日历 ${uniq('crud')}`;
  let res = await planner.post('/api/v1/calendars', { name, work_periods: [['08:30', '17:30']] });
  const cal = expectStatus(res, 201);
  assert.equal(cal.name, name);
  assert.equal(cal.timezone, 'Asia/Shanghai');
  assert.deepEqual(cal.work_periods, [['08:30', '17:30']]);
  assert.deepEqual(cal.weekdays, ['mon', 'tue', 'wed', 'thu', 'fri']);
  assert.equal(cal.minutes_per_day, 540);
  assert.equal(cal.holiday_count, 0);
  assert.deepEqual(expectStatus(await auditor.get(`/api/v1/calendars/${cal.id}`), 200), cal);
  assert.ok((await calendarNames()).includes(name));

  res = await planner.patch(`/api/v1/calendars/${cal.id}`, {
    work_periods: [['00:00', '12:00'], ['12:00', '24:00']], weekdays: ['sat', 'sun'], timezone: 'Europe/Berlin',
  });
  const changed = expectStatus(res, 200);
  assert.deepEqual(changed.work_periods, [['00:00', '12:00'], ['12:00', '24:00']], 'touching periods are allowed');
  assert.deepEqual(changed.weekdays, ['sat', 'sun']);
  assert.equal(changed.timezone, 'Europe/Berlin');
  assert.equal(changed.minutes_per_day, 1440);
  assert.equal(changed.name, name, 'fields not sent are kept');
  const renamed = expectStatus(await planner.patch(`/api/v1/calendars/${cal.id}`, { name: `${name} 改` }), 200);
  assert.equal(renamed.name, `${name} 改`);
  assert.deepEqual(renamed.weekdays, ['sat', 'sun']);

  expectError(await adm.get('/api/v1/calendars/99999999'), 404, 'not_found');
  expectError(await adm.patch('/api/v1/calendars/99999999', { name: 'x' }), 404, 'not_found');
  // the audit log has the creation and the changes
  const rows = expectStatus(await adm.get(`/api/v1/audit?entity=calendar&entity_id=${cal.id}`), 200).items;
  assert.deepEqual(rows.map((r) => r.action).sort(), ['create', 'update', 'update']);
});

test('calendar validation names the field at fault and writes nothing', async () => {
  const base = { work_periods: [['09:00', '12:00'], ['13:30', '18:00']], weekdays: ['mon'] };
  const cases = [
    [{ work_periods: [['09:00', '12:00'], ['11:30', '18:00']] }, 'work_periods[1][0]'],   // overlaps the first
    [{ work_periods: [['13:30', '18:00'], ['09:00', '12:00']] }, 'work_periods[1][0]'],   // not sorted
    [{ work_periods: [['12:00', '09:00']] }, 'work_periods[0][1]'],                         // ends before it starts
    [{ work_periods: [['09:00', '12:00'], ['13:60', '18:00']] }, 'work_periods[1][0]'],   // not a time
    [{ work_periods: [['9:00', '12:00']] }, 'work_periods[0][0]'],                          // not HH:MM
    [{ work_periods: [['09:00', '24:01']] }, 'work_periods[0][1]'],
    [{ work_periods: [['24:00', '24:00']] }, 'work_periods[0][0]'],
    [{ work_periods: [['09:00']] }, 'work_periods[0]'],
    [{ work_periods: [['09:00', 12]] }, 'work_periods[0][1]'],
    [{ work_periods: [] }, 'work_periods'],
    [{ work_periods: '09:00-18:00' }, 'work_periods'],
    [{ weekdays: ['mon', 'tue', 'mon'] }, 'weekdays[2]'],
    [{ weekdays: ['mon', 'funday'] }, 'weekdays[1]'],
    [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    [{ timezone: '../../etc/passwd' }, 'timezone'],
  ];
  for (const [fields, field] of cases) {
    const name = `坏日历 ${uniq('bad')}`;
    const res = await adm.post('/api/v1/calendars', { name, ...base, ...fields });
    expectError(res, 422, 'validation_failed', field);
    assert.ok(!(await calendarNames()).includes(name), `${field}: nothing created${describe(res)}`);
  }
  expectError(await adm.post('/api/v1/calendars', { ...base }), 422, 'validation_failed', 'name');
  expectError(await adm.post('/api/v1/calendars', { name: `x ${uniq()}` }), 422, 'validation_failed', 'work_periods');
  expectError(await adm.post('/api/v1/calendars', { name: `x ${uniq()}`, ...base, colour: 'red' }), 422, 'validation_failed', 'colour');
  // a name in use: 409 naming it; a PATCH that would break the calendar changes nothing
  const cal = await newCalendar(adm);
  expectError(await adm.post('/api/v1/calendars', { name: cal.name, ...base }), 409, 'conflict', 'name');
  const other = await newCalendar(adm);
  expectError(await adm.patch(`/api/v1/calendars/${other.id}`, { name: cal.name }), 409, 'conflict', 'name');
  expectError(await adm.patch(`/api/v1/calendars/${cal.id}`, { work_periods: [['10:00', '09:00']] }), 422,
    'validation_failed', 'work_periods[0][1]');
  expectError(await adm.patch(`/api/v1/calendars/${cal.id}`, { weekdays: ['sun', 'sun'] }), 422, 'validation_failed',
    'weekdays[1]');
  assert.deepEqual(expectStatus(await adm.get(`/api/v1/calendars/${cal.id}`), 200), cal, 'unchanged');
});

test('holidays and make-up workdays one by one: PUT creates (201) or replaces (200), DELETE removes', async () => {
  const cal = await newCalendar(planner);
  let res = await planner.put(`/api/v1/calendars/${cal.id}/days/2027-10-09`, { kind: 'workday', name: '国庆节（调休上班）' });
  assert.deepEqual(expectStatus(res, 201),
    { calendar_id: cal.id, date: '2027-10-09', kind: 'workday', name: '国庆节（调休上班）', weekday: 'sat' });
  res = await planner.put(`/api/v1/calendars/${cal.id}/days/2027-10-09`, { kind: 'holiday' });
  assert.deepEqual(expectStatus(res, 200), { calendar_id: cal.id, date: '2027-10-09', kind: 'holiday', name: '', weekday: 'sat' });
  expectStatus(await planner.put(`/api/v1/calendars/${cal.id}/days/2027-10-01`, { kind: 'holiday', name: '国庆节' }), 201);
  expectStatus(await planner.put(`/api/v1/calendars/${cal.id}/days/2028-01-01`, { kind: 'holiday', name: '元旦' }), 201);
  assert.deepEqual((await daysOf(cal.id, 2027)).map((d) => d.date), ['2027-10-01', '2027-10-09']);
  assert.deepEqual((await daysOf(cal.id)).map((d) => d.date), ['2027-10-01', '2027-10-09', '2028-01-01']);
  // paging follows the dates
  const page1 = expectStatus(await auditor.get(`/api/v1/calendars/${cal.id}/days?limit=2`), 200);
  assert.equal(page1.items.length, 2);
  assert.equal(typeof page1.next_cursor, 'string');
  const page2 = expectStatus(await auditor.get(`/api/v1/calendars/${cal.id}/days?limit=2&cursor=${page1.next_cursor}`), 200);
  assert.deepEqual(page2.items.map((d) => d.date), ['2028-01-01']);
  assert.equal(page2.next_cursor, null);
  assert.equal(expectStatus(await auditor.get(`/api/v1/calendars/${cal.id}`), 200).holiday_count, 3);

  expectError(await planner.put(`/api/v1/calendars/${cal.id}/days/2027-02-30`, { kind: 'holiday' }), 422, 'validation_failed', 'date');
  expectError(await planner.put(`/api/v1/calendars/${cal.id}/days/2027-02-01`, { kind: 'vacation' }), 422, 'validation_failed', 'kind');
  expectError(await planner.put(`/api/v1/calendars/${cal.id}/days/2027-02-01`, {}), 422, 'validation_failed', 'kind');
  expectError(await planner.put(`/api/v1/calendars/${cal.id}/days/2027-02-01`, { kind: 'holiday', name: 'x'.repeat(101) }), 422,
    'validation_failed', 'name');
  expectError(await planner.put('/api/v1/calendars/99999999/days/2027-02-01', { kind: 'holiday' }), 404, 'not_found');
  expectError(await auditor.get(`/api/v1/calendars/${cal.id}/days?year=20x7`), 400, 'bad_request', 'year');

  res = await planner.del(`/api/v1/calendars/${cal.id}/days/2027-10-09`);
  assert.equal(expectStatus(res, 200).deleted, true);
  expectError(await planner.del(`/api/v1/calendars/${cal.id}/days/2027-10-09`), 404, 'not_found');
  assert.deepEqual((await daysOf(cal.id, 2027)).map((d) => d.date), ['2027-10-01']);
  const actions = expectStatus(await adm.get(`/api/v1/audit?entity=calendar&entity_id=${cal.id}`), 200).items.map((r) => r.action);
  assert.deepEqual(actions.sort(), ['create', 'delete_day', 'set_day', 'set_day', 'set_day', 'set_day']);
});

test('CSV import: every listed day set, all or nothing, the bad line named, one audit row', async () => {
  const cal = await newCalendar(adm);
  const csv = '\ufeffdate,kind,name\r\n2026-10-01,holiday,国庆节\r\n2026-09-20,workday,"国庆节（调休上班）"\r\n\r\n' +
    '2026-10-02,holiday,"国庆节, 第二天"\r\n2026-10-02,holiday,重复\r\n';
  let res = await adm.post(`/api/v1/calendars/${cal.id}/days/import?format=csv`, undefined, { body: Buffer.from(csv) });
  let out = expectStatus(res, 200);
  assert.equal(out.imported, 3);
  assert.equal(out.created, 3);
  assert.deepEqual(out.days.map((d) => d.date), ['2026-09-20', '2026-10-01', '2026-10-02']);
  let days = await daysOf(cal.id, 2026);
  assert.deepEqual(days.map(({ date, kind, name }) => ({ date, kind, name })), [
    { date: '2026-09-20', kind: 'workday', name: '国庆节（调休上班）' },
    { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
    { date: '2026-10-02', kind: 'holiday', name: '国庆节, 第二天' },
  ]);
  // again with one change: the others are unchanged
  res = await adm.post(`/api/v1/calendars/${cal.id}/days/import?format=csv`, undefined,
    { body: Buffer.from('date,kind,name\n2026-10-01,holiday,国庆节\n2026-09-20,holiday,改\n2026-10-03,holiday,国庆节\n') });
  out = expectStatus(res, 200);
  assert.deepEqual([out.created, out.updated, out.unchanged], [1, 1, 1]);

  // one bad line: 422 naming it, nothing imported (not even the good lines before it)
  const before = await daysOf(cal.id);
  const bad = [
    ['date,kind,name\n2026-12-24,holiday,平安夜\n2026-12-25,festival,圣诞\n', 'line 3'],
    ['date,kind,name\n2026-12-24,holiday,平安夜\n2026-13-01,holiday,x\n', 'line 3'],
    ['date,kind,name\n\n2026-12-24,holiday,平安夜\n2026-12-24,workday,平安夜\n', 'line 4'],
    ['date,kind,name\n2026-12-24,holiday,"未闭合\n', 'line 2'],
    ['2026-12-24,holiday,no header\n', 'line 1'],
    [`date,kind,name\n2026-12-24,holiday,${'长'.repeat(101)}\n`, 'line 2'],
    ['', 'line 1'],
  ];
  for (const [body, field] of bad) {
    res = await adm.post(`/api/v1/calendars/${cal.id}/days/import?format=csv`, undefined, { body: Buffer.from(body) });
    const e = expectError(res, 422, 'validation_failed', field);
    assert.match(e.message, new RegExp(`^Line ${field.slice(5)}:`), `the message names the line${describe(res)}`);
  }
  assert.deepEqual(await daysOf(cal.id), before, 'nothing imported by the refused files');
  expectError(await adm.post(`/api/v1/calendars/${cal.id}/days/import`, undefined, { body: Buffer.from('date,kind\n') }),
    400, 'bad_request', 'format');
  expectError(await adm.post(`/api/v1/calendars/${cal.id}/days/import?format=xlsx`, undefined, { body: Buffer.from('x') }),
    400, 'bad_request', 'format');
  expectError(await adm.post('/api/v1/calendars/99999999/days/import?format=csv', undefined,
    { body: Buffer.from('date,kind\n2026-01-01,holiday\n') }), 404, 'not_found');
  // one audit row per import, listing the days
  const rows = expectStatus(await adm.get(`/api/v1/audit?entity=calendar&entity_id=${cal.id}&action=import_days`), 200).items;
  assert.equal(rows.length, 2, 'two successful imports, two audit rows');
});

test('iCalendar import: all-day VEVENTs, DTEND exclusive, multi-day events expanded, make-up workdays recognised', async () => {
  const cal = await newCalendar(adm);
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//nengli test//CN',
    'BEGIN:VTIMEZONE', 'TZID:Asia/Shanghai', 'END:VTIMEZONE',
    'BEGIN:VEVENT', 'UID:1@test', 'DTSTART;VALUE=DATE:20270206', 'DTEND;VALUE=DATE:20270214', 'SUMMARY:春节', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:2@test', 'DTSTART;VALUE=DATE:20270131', 'SUMMARY:春节 补班', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:3@test', 'DTSTART;VALUE=DATE:20270220', 'X-NENGLI-KIND:workday', 'SUMMARY:公司活动补偿',
    'BEGIN:VALARM', 'TRIGGER:-PT15M', 'DTSTART:20270101T000000Z', 'END:VALARM', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:4@test', 'DTSTART;VALUE=DATE:20270301', 'DURATION:P2D', 'SUMMARY:年会\\, 团建', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:5@test', 'DTSTART;VALUE=DATE:20270401', 'STATUS:CANCELLED', 'SUMMARY:取消了', 'END:VEVENT',
    'END:VCALENDAR', '',
  ].join('\r\n');
  const res = await planner.post(`/api/v1/calendars/${cal.id}/days/import?format=ics`, undefined, { body: Buffer.from(ics) });
  const out = expectStatus(res, 200);
  assert.equal(out.imported, 8 + 1 + 1 + 2);
  const days = await daysOf(cal.id, 2027);
  const by = Object.fromEntries(days.map((d) => [d.date, d]));
  for (let d = 6; d <= 13; d++) assert.equal(by[`2027-02-${String(d).padStart(2, '0')}`].kind, 'holiday');
  assert.equal(by['2027-02-14'], undefined, 'DTEND is exclusive');
  assert.equal(by['2027-01-31'].kind, 'workday');
  assert.equal(by['2027-02-20'].kind, 'workday');
  assert.equal(by['2027-03-02'].name, '年会, 团建');
  assert.equal(by['2027-04-01'], undefined, 'a cancelled event is skipped');

  const before = await daysOf(cal.id);
  const bad = [
    [['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20270501T090000', 'SUMMARY:x', 'END:VEVENT', 'END:VCALENDAR'], 'line 3'],
    [['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270501', 'END:VEVENT', 'BEGIN:VEVENT', 'SUMMARY:y',
      'END:VEVENT', 'END:VCALENDAR'], 'line 5'],
    [['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270501', 'RRULE:FREQ=YEARLY', 'END:VEVENT', 'END:VCALENDAR'], 'line 4'],
    [['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270501', 'DTEND;VALUE=DATE:20270501', 'END:VEVENT',
      'END:VCALENDAR'], 'line 4'],
    [['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270230', 'END:VEVENT', 'END:VCALENDAR'], 'line 3'],
    [['date,kind,name', '2027-05-01,holiday,x'], 'line 1'],
  ];
  for (const [lines, field] of bad) {
    const r = await planner.post(`/api/v1/calendars/${cal.id}/days/import?format=ics`, undefined,
      { body: Buffer.from(lines.join('\r\n') + '\r\n') });
    expectError(r, 422, 'validation_failed', field);
  }
  assert.deepEqual(await daysOf(cal.id), before, 'nothing imported by the refused files');
});

test('SLA policies: create, read, filter, change; the most specific scope may exist once while active', async () => {
  const cal = await newCalendar(adm);
  const category = `网络 ${uniq('cat')}`;
  const body = { name: `策略 ${uniq('p')}`, priority: 'P2', category, department_id: dept.id, calendar_id: cal.id,
    response_minutes: 20, resolution_minutes: 120 };
  let res = await planner.post('/api/v1/sla-policies', body);
  const pol = expectStatus(res, 201);
  assert.equal(pol.priority, 'P2');
  assert.equal(pol.category, category);
  assert.equal(pol.department_id, dept.id);
  assert.equal(pol.calendar_id, cal.id);
  assert.equal(pol.calendar_name, cal.name);
  assert.equal(pol.active, true);
  assert.equal(pol.specificity, 'department+category');
  assert.deepEqual(expectStatus(await auditor.get(`/api/v1/sla-policies/${pol.id}`), 200), pol);
  const listed = await listAll(auditor, `/api/v1/sla-policies?calendar_id=${cal.id}&priority=P2&active=true`);
  assert.deepEqual(listed.map((p) => p.id), [pol.id]);
  assert.deepEqual(await listAll(auditor, `/api/v1/sla-policies?calendar_id=${cal.id}&priority=P1`), []);

  // the same scope again while it is active: 409; other scopes are fine
  expectError(await planner.post('/api/v1/sla-policies', { ...body, name: 'again' }), 409, 'conflict');
  const cat = expectStatus(await planner.post('/api/v1/sla-policies', { ...body, name: 'category only', department_id: null }), 201);
  assert.equal(cat.specificity, 'category');
  assert.equal(cat.department_id, null);
  // deactivate the first: the scope is free again
  res = await planner.patch(`/api/v1/sla-policies/${pol.id}`, { active: false, response_minutes: 25 });
  const off = expectStatus(res, 200);
  assert.equal(off.active, false);
  assert.equal(off.response_minutes, 25);
  assert.equal(off.name, pol.name, 'fields not sent are kept');
  const again = expectStatus(await planner.post('/api/v1/sla-policies', { ...body, name: 'replacement' }), 201);
  expectError(await planner.patch(`/api/v1/sla-policies/${pol.id}`, { active: true }), 409, 'conflict');
  assert.equal(expectStatus(await auditor.get(`/api/v1/sla-policies/${pol.id}`), 200).active, false, 'unchanged');
  // widening the replacement to "P2, any category" would clash with the seeded default P2 policy
  expectError(await planner.patch(`/api/v1/sla-policies/${again.id}`, { category: null, department_id: null }), 409, 'conflict');
  res = await planner.patch(`/api/v1/sla-policies/${again.id}`, { category: null, priority: 'P4' });
  const widened = expectStatus(res, 200);
  assert.equal(widened.specificity, 'department');
  assert.equal(widened.category, null);
  assert.equal(widened.priority, 'P4');
  const inactive = await listAll(auditor, `/api/v1/sla-policies?calendar_id=${cal.id}&active=false`);
  assert.deepEqual(inactive.map((p) => p.id), [pol.id]);
  const rows = expectStatus(await adm.get(`/api/v1/audit?entity=sla_policy&entity_id=${pol.id}`), 200).items;
  assert.deepEqual(rows.map((r) => r.action).sort(), ['create', 'update']);
});

test('SLA policy validation names the field and writes nothing', async () => {
  const cal = await newCalendar(adm);
  const ok = { name: 'v', priority: 'P3', category: `c ${uniq()}`, calendar_id: cal.id, response_minutes: 60, resolution_minutes: 600 };
  const cases = [
    [{ priority: 'P5' }, 'priority'],
    [{ priority: undefined }, 'priority'],
    [{ name: undefined }, 'name'],
    [{ name: '' }, 'name'],
    [{ calendar_id: undefined }, 'calendar_id'],
    [{ calendar_id: 99999999 }, 'calendar_id'],
    [{ department_id: 99999999 }, 'department_id'],
    [{ response_minutes: 0 }, 'response_minutes'],
    [{ response_minutes: 1.5 }, 'response_minutes'],
    [{ response_minutes: undefined }, 'response_minutes'],
    [{ resolution_minutes: 525601 }, 'resolution_minutes'],
    [{ resolution_minutes: 30 }, 'resolution_minutes'],
    [{ category: '' }, 'category'],
    [{ active: 'yes' }, 'active'],
    [{ colour: 'red' }, 'colour'],
  ];
  for (const [fields, field] of cases) {
    const res = await adm.post('/api/v1/sla-policies', { ...ok, ...fields });
    expectError(res, 422, 'validation_failed', field);
  }
  assert.deepEqual(await listAll(adm, `/api/v1/sla-policies?calendar_id=${cal.id}`), [], 'nothing created');
  const pol = expectStatus(await adm.post('/api/v1/sla-policies', ok), 201);
  expectError(await adm.patch(`/api/v1/sla-policies/${pol.id}`, { resolution_minutes: 10 }), 422, 'validation_failed',
    'resolution_minutes');
  expectError(await adm.patch(`/api/v1/sla-policies/${pol.id}`, { calendar_id: 99999999 }), 422, 'validation_failed', 'calendar_id');
  expectError(await adm.patch('/api/v1/sla-policies/99999999', { name: 'x' }), 404, 'not_found');
  assert.deepEqual(expectStatus(await adm.get(`/api/v1/sla-policies/${pol.id}`), 200), pol, 'unchanged');
  expectError(await adm.get('/api/v1/sla-policies?priority=P7'), 400, 'bad_request', 'priority');
  expectError(await adm.get('/api/v1/sla-policies?active=maybe'), 400, 'bad_request', 'active');
});

test('who may write: admin and planner; everyone reads', async () => {
  const cal = await newCalendar(adm);
  const pol = expectStatus(await adm.post('/api/v1/sla-policies', { name: 'perm', priority: 'P1', category: `p ${uniq()}`,
    calendar_id: cal.id, response_minutes: 10, resolution_minutes: 100 }), 201);
  for (const [who, c] of [['member', member], ['auditor', auditor]]) {
    const name = `禁止 ${uniq(who)}`;
    expectError(await c.post('/api/v1/calendars', { name, work_periods: [['09:00', '18:00']] }), 403, 'forbidden');
    expectError(await c.patch(`/api/v1/calendars/${cal.id}`, { name }), 403, 'forbidden');
    expectError(await c.put(`/api/v1/calendars/${cal.id}/days/2027-05-01`, { kind: 'holiday' }), 403, 'forbidden');
    expectError(await c.del(`/api/v1/calendars/${cal.id}/days/2027-05-01`), 403, 'forbidden');
    expectError(await c.post(`/api/v1/calendars/${cal.id}/days/import?format=csv`, undefined,
      { body: Buffer.from('date,kind\n2027-05-01,holiday\n') }), 403, 'forbidden');
    expectError(await c.post('/api/v1/sla-policies', { name, priority: 'P1', calendar_id: cal.id, response_minutes: 1,
      resolution_minutes: 2 }), 403, 'forbidden');
    expectError(await c.patch(`/api/v1/sla-policies/${pol.id}`, { active: false }), 403, 'forbidden');
    // reads are allowed
    expectStatus(await c.get('/api/v1/calendars'), 200);
    expectStatus(await c.get(`/api/v1/calendars/${cal.id}/days`), 200);
    expectStatus(await c.get('/api/v1/sla-policies'), 200);
    assert.ok(!(await calendarNames()).includes(name));
  }
  assert.deepEqual(await daysOf(cal.id), [], 'no day written by the refused requests');
  assert.deepEqual(expectStatus(await adm.get(`/api/v1/sla-policies/${pol.id}`), 200), pol, 'the policy is unchanged');
  assert.deepEqual(expectStatus(await adm.get(`/api/v1/calendars/${cal.id}`), 200), cal, 'the calendar is unchanged');
});

// ---- end to end: tickets measured with a calendar and a policy of this file, checked by an independent
// minute-by-minute simulation of the rules (docs/guide/sla.md) ----

const MIN = 60000;
const H8 = 8 * 3600000;

/** Whether the minute starting at ms works in cal ({periods: [[fromMin, toMin]], days: {date: kind}}), Asia/Shanghai. */
function workMinute(cal, ms) {
  const d = new Date(ms + H8);
  const date = d.toISOString().slice(0, 10);
  const wd = d.getUTCDay();
  const min = d.getUTCHours() * 60 + d.getUTCMinutes();
  const ex = cal.days[date];
  const workday = ex === 'holiday' ? false : ex === 'workday' ? true : wd >= 1 && wd <= 5;
  return workday && cal.periods.some(([a, b]) => min >= a && min < b);
}

/** The SLA numbers of a ticket (instants in ms, whole minutes), minute by minute. */
function simulate(cal, t, targetR, targetS) {
  let run = 0, paused = 0, resp = null, resol = null, dueR = null, dueS = null;
  const status = (m) => {
    let s = 'new';
    for (const e of t.events) if (e.at <= m) s = e.status;
    return s;
  };
  // (a first response after the resolution is measured all the same: the clock runs on in the status "resolved")
  for (let m = t.opened; m < Math.max(t.resolved, t.response) + 60 * 86400000; m += MIN) {
    if (m === t.response) resp = run;
    if (m === t.resolved) resol = run;
    if (m >= Math.max(t.resolved, t.response) && dueR !== null && dueS !== null) break;
    if (!workMinute(cal, m)) continue;
    const s = status(m);
    if (s === 'waiting_customer' || s === 'waiting_vendor') {
      if (m < t.resolved) paused++;
    } else {
      run++;
      if (run === targetR) dueR = m + MIN;
      if (run === targetS) dueS = m + MIN;
    }
  }
  return { resp, resol, paused, dueR: new Date(dueR).toISOString().replace('.000', ''),
    dueS: new Date(dueS).toISOString().replace('.000', '') };
}

/** A small deterministic generator, so that a failure can be replayed. */
function lcg(seed) {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
}

const iso = (ms) => new Date(ms).toISOString().replace('.000', '');

test('end to end: tickets around 国庆 2025 measured in business time, pauses re-measured after a calendar change', async () => {
  // a calendar like the standard one, with the 2025 notice imported from data/holidays
  const cal = await newCalendar(adm);
  const csv = readFileSync(new URL('../../data/holidays/CN-2025.csv', import.meta.url));
  expectStatus(await adm.post(`/api/v1/calendars/${cal.id}/days/import?format=csv`, undefined, { body: csv }), 200);
  const model = { periods: [[540, 720], [810, 1080]], days: Object.fromEntries(officialDays(2025).map((d) => [d.date, d.kind])) };
  const category = `端到端 ${uniq('e2e')}`;
  const pol = expectStatus(await adm.post('/api/v1/sla-policies', { name: `e2e ${category}`, priority: 'P3', category,
    calendar_id: cal.id, response_minutes: 45, resolution_minutes: 600 }), 201);

  const rnd = lcg(20251001);
  const base = Date.parse('2025-09-22T00:00:00Z');
  const tickets = [];
  for (let i = 0; i < 8; i++) {
    const opened = base + rnd(25 * 24 * 60) * MIN;
    const response = opened + rnd(3 * 24 * 60) * MIN;
    const events = [];
    let at = opened + (1 + rnd(600)) * MIN;
    events.push({ status: 'in_progress', at });
    for (let k = 1 + rnd(3); k > 0; k--) {
      at += (1 + rnd(2 * 24 * 60)) * MIN;
      events.push({ status: rnd(2) ? 'waiting_customer' : 'waiting_vendor', at });
      at += (1 + rnd(2 * 24 * 60)) * MIN;
      events.push({ status: 'in_progress', at });
    }
    const resolved = at + (60 + rnd(2 * 24 * 60)) * MIN;
    events.push({ status: 'resolved', at: resolved });
    let res = await adm.post('/api/v1/tickets', { priority: 'P3', category, opened_at: iso(opened), first_response_at: iso(response) });
    const tk = expectStatus(res, 201);
    for (const e of events) {
      res = await adm.post(`/api/v1/tickets/${tk.id}/status`, { status: e.status, at: iso(e.at) });
      expectStatus(res, 200);
    }
    tickets.push({ id: tk.id, opened, response, resolved, events });
  }

  const check = async (t, days, label) => {
    const want = simulate({ ...model, days }, t, 45, 600);
    const res = await auditor.get(`/api/v1/tickets/${t.id}/sla`);
    const body = expectStatus(res, 200);
    const tl = body.timeline || body;
    const ctx = `${label}, ticket ${t.id} ${JSON.stringify({ ...t, opened: iso(t.opened) })}${describe(res)}`;
    assert.equal(tl.policy.id, pol.id, `policy ${ctx}`);
    assert.equal(tl.response.business_minutes, want.resp, `response minutes ${ctx}`);
    assert.equal(tl.resolution.business_minutes, want.resol, `resolution minutes ${ctx}`);
    assert.equal(tl.paused_minutes, want.paused, `paused minutes ${ctx}`);
    assert.equal(tl.response.met, want.resp <= 45, `response met ${ctx}`);
    assert.equal(tl.resolution.met, want.resol <= 600, `resolution met ${ctx}`);
    assert.equal(tl.response.due_at, want.dueR, `response due ${ctx}`);
    assert.equal(tl.resolution.due_at, want.dueS, `resolution due ${ctx}`);
    const pausedPieces = tl.intervals.filter((x) => x.state === 'paused').reduce((a, x) => a + x.seconds, 0);
    assert.equal(pausedPieces, want.paused * 60, `the paused pieces add up ${ctx}`);
    return { want, tl };
  };

  const first = [];
  for (const t of tickets) {
    const { want, tl } = await check(t, model.days, 'as imported');
    first.push(tl);
    // the numbers stored on the ticket are the same
    const row = expectStatus(await auditor.get(`/api/v1/tickets/${t.id}`), 200);
    assert.equal(row.sla_policy_id, pol.id);
    assert.equal(row.business_response_minutes, want.resp, `stored response minutes, ticket ${t.id}`);
    assert.equal(row.business_resolution_minutes, want.resol, `stored resolution minutes, ticket ${t.id}`);
    assert.equal(row.paused_minutes, want.paused, `stored paused minutes, ticket ${t.id}`);
    assert.equal(row.sla_response_met, want.resp <= 45);
    assert.equal(row.sla_resolution_met, want.resol <= 600);
  }

  // the calendar changes: two ordinary days become holidays. Every pause keeps its instants and is re-measured.
  for (const d of ['2025-10-09', '2025-10-10']) {
    expectStatus(await adm.put(`/api/v1/calendars/${cal.id}/days/${d}`, { kind: 'holiday', name: '测试' }), 201);
  }
  const changed = { ...model.days, '2025-10-09': 'holiday', '2025-10-10': 'holiday' };
  for (const [i, t] of tickets.entries()) {
    const { tl } = await check(t, changed, 'after the change');
    assert.deepEqual(tl.pauses.map((p) => [p.status, p.from, p.to]), first[i].pauses.map((p) => [p.status, p.from, p.to]),
      `the pauses are the same instants, ticket ${t.id}`);
  }
  // and back: the first numbers again
  for (const d of ['2025-10-09', '2025-10-10']) expectStatus(await adm.del(`/api/v1/calendars/${cal.id}/days/${d}`), 200);
  for (const [i, t] of tickets.entries()) {
    const { tl } = await check(t, model.days, 'changed back');
    for (const k of ['response', 'resolution']) assert.deepEqual(tl[k], first[i][k], `${k} as before, ticket ${t.id}`);
    assert.equal(tl.paused_minutes, first[i].paused_minutes);
  }
});
