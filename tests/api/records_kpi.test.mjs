// The measures engine through the API: GET /api/v1/kpis per month, quarter and part of a month, per department and the
// totals (department_id null), against values computed here, independently, from the records this test created —
// tickets through POST /tickets and a ServiceNow event-log import, ratings, complaints (verified, answered in time or
// late). Absent measures are absent (never 0). After PATCHing a ticket's department and day the KPIs follow. POST
// /achievement/compute fills a measure: metric's values. Validation: each bad parameter is named.
//
// The test works in a past year of its own: one of 2021–2024 (no other test writes records or measure: metrics there),
// claimed by creating the plan of that year — cycle_year, the only other test using those years, takes a year without a
// plan and closes periods of it — so that the totals are this test's records only and no period of it gets closed. SLA verdicts (business time) are the tickets room's: the expected values take
// each ticket's sla_response_met / sla_resolution_met as the server recorded them; everything else (local days,
// minutes, counts, rates, averages, nearest-rank p90) is computed here from the raw timestamps and fields.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import {
  admin, login, createDepartment, createUser, expectStatus, expectError, describe, request, uniq, listAll, localDate } from './lib.mjs';

let Y;   // a past year of 2021–2024 claimed in before() with a plan of it (cycle_year takes a free one the same way)
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const MIN = 60000;
let adm, quality, auditor, tz, deptA, deptB, source;
const tickets = [];     // our tickets as the server holds them (refreshed before each check)
const complaints = [];  // {dept, day, valid (true/false/null), inTime}

/** The local date YYYY-MM-DD of an instant (ms) in the organisation's zone. */
function localDay(ms) {
  return localDate(tz, new Date(ms));
}
/** The instant (ms) of a local wall-clock time in the organisation's zone (the offset at that time). */
function localMs(y, mo, d, h, mi) {
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const off = Date.parse(new Date(guess).toLocaleString('en-US', { timeZone: tz }) + ' UTC') - guess;
  return guess - off;
}
/** x as the server writes numbers: 15 significant digits (integers unchanged). */
const r15 = (x) => (Number.isInteger(x) ? x : Number(x.toPrecision(15)));
/** Whole minutes from a to b (ms), null when one is missing or the duration is negative. */
const minutes = (a, b) => (a == null || b == null || b < a ? null : Math.floor((b - a) / MIN));

/** A small deterministic PRNG (mulberry32). */
function rng(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6D2B79F5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The model: each record reduced to what the measures read, computed from the raw fields.

/** Our view of a ticket from its raw fields (ms timestamps) and the server's SLA verdicts and rating. */
function model(t) {
  const ms = (s) => (s ? Date.parse(s) : null);
  const opened = ms(t.opened_at);
  return {
    id: t.id, dept: t.department_id, day: localDay(opened), resolved: t.resolved_at != null,
    reassign: t.reassignment_count, reopen: t.reopen_count,
    resp: minutes(opened, ms(t.first_response_at)), reso: minutes(opened, ms(t.resolved_at)),
    wait: minutes(opened, ms(t.assigned_at)),
    slaR: t.sla_response_met, slaS: t.sla_resolution_met, src: t.sla_source_made,
    score: t.rating ? t.rating.score : null,
  };
}

/** The measures of the records selected (DESIGN.md "Measures"); absent ones are left out. */
function measures(ts, cs) {
  const v = {};
  const n = ts.length;
  const resolved = ts.filter((t) => t.resolved);
  const ratio = (key, num, den) => { if (den > 0) v[key] = num / den; };
  const avg = (key, xs, scale = 1) => {
    if (xs.length) v[key] = scale === 1 ? xs.reduce((a, b) => a + b, 0) / xs.length : xs.reduce((a, b) => a + b, 0) / xs.length / scale;
  };
  const p90 = (key, xs, scale = 1) => {
    if (!xs.length) return;
    const s = [...xs].sort((a, b) => a - b);
    const x = s[Math.floor((9 * s.length + 9) / 10) - 1];   // ⌈0.9·n⌉-th smallest, in integers
    v[key] = scale === 1 ? x : x / scale;
  };
  const vals = (f) => ts.map(f).filter((x) => x !== null && x !== undefined);
  if (n > 0) v.tickets = n;
  ratio('resolution_rate', resolved.length, n);
  ratio('first_contact_resolution_rate', resolved.filter((t) => t.reassign === 0).length, resolved.length);
  avg('response_minutes_avg', vals((t) => t.resp));
  p90('response_minutes_p90', vals((t) => t.resp));
  avg('resolution_hours_avg', vals((t) => t.reso), 60);
  p90('resolution_hours_p90', vals((t) => t.reso), 60);
  avg('wait_minutes_avg', vals((t) => t.wait));
  const sla = (key, f) => { const xs = vals(f); ratio(key, xs.filter((x) => x === true).length, xs.length); };
  sla('sla_response_rate', (t) => t.slaR);
  sla('sla_resolution_rate', (t) => t.slaS);
  sla('sla_source_rate', (t) => t.src);
  ratio('reopen_rate', ts.filter((t) => t.reopen >= 1).length, resolved.length);
  const scores = vals((t) => t.score);
  avg('satisfaction_avg', scores);
  ratio('satisfied_rate', scores.filter((s) => s >= 4).length, scores.length);
  ratio('complaint_rate', cs.length, n);
  ratio('valid_complaint_rate', cs.filter((c) => c.valid === true).length, cs.length);
  ratio('complaint_answered_in_time_rate', cs.filter((c) => c.inTime).length, cs.length);
  // In the catalogue's order, with 15 significant digits, as the server writes every number.
  const order = ['tickets', 'resolution_rate', 'first_contact_resolution_rate', 'response_minutes_avg', 'response_minutes_p90',
    'resolution_hours_avg', 'resolution_hours_p90', 'wait_minutes_avg', 'sla_response_rate', 'sla_resolution_rate', 'sla_source_rate',
    'reopen_rate', 'satisfaction_avg', 'satisfied_rate', 'complaint_rate', 'valid_complaint_rate', 'complaint_answered_in_time_rate'];
  return Object.fromEntries(order.filter((k) => k in v).map((k) => [k, r15(v[k])]));
}

/** Periods of kind between from and to (inclusive days): [{period, first, last}] clipped to the range. */
function periods(kind, from, to) {
  const out = [];
  let [y, m] = from.split('-').map(Number);
  if (kind === 'quarter') m = Math.floor((m - 1) / 3) * 3 + 1;
  if (kind === 'year') m = 1;
  const step = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  const pad = (x) => String(x).padStart(2, '0');
  for (;;) {
    const first = `${y}-${pad(m)}-01`;
    if (first > to) break;
    const endM = m + step - 1;
    const last = `${y}-${pad(endM)}-${pad(new Date(Date.UTC(y, endM, 0)).getUTCDate())}`;
    const label = kind === 'month' ? `${y}-${pad(m)}` : kind === 'quarter' ? `${y}-Q${(m - 1) / 3 + 1}` : `${y}`;
    out.push({ period: label, first: first < from ? from : first, last: last > to ? to : last });
    m += step;
    if (m > 12) { m -= 12; y += 1; }
  }
  return out;
}

/** Re-reads our tickets (with the SLA verdicts and ratings the server holds). */
async function refreshTickets() {
  for (let i = 0; i < tickets.length; i++) tickets[i] = expectStatus(await auditor.get(`/api/v1/tickets/${tickets[i].id}`), 200);
}

/** Expected rows of GET /kpis for our departments and the totals. */
function expectedRows(kind, from, to) {
  const ts = tickets.map(model);
  const rows = [];
  for (const p of periods(kind, from, to)) {
    const inP = (x) => x.day >= p.first && x.day <= p.last;
    for (const d of [deptA.id, deptB.id]) {
      rows.push({ department_id: d, period: p.period,
        values: measures(ts.filter((t) => inP(t) && t.dept === d), complaints.filter((c) => inP(c) && c.dept === d)) });
    }
    rows.push({ department_id: null, period: p.period, values: measures(ts.filter(inP), complaints.filter(inP)) });
  }
  return rows;
}

/** GET /kpis and the rows of our departments and the totals, in the server's order. */
async function kpis(query, client = auditor) {
  const res = await client.get(`/api/v1/kpis?${query}`);
  const body = expectStatus(res, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8', describe(res));
  assert.deepEqual(Object.keys(body), ['items'], `the body is {"items":[…]}${describe(res)}`);
  const mine = body.items.filter((r) => r.department_id === null || r.department_id === deptA.id || r.department_id === deptB.id);
  return { res, all: body.items, mine };
}

async function checkTable(kind, from, to) {
  await refreshTickets();
  const { res, mine } = await kpis(`from=${from}&to=${to}&period=${kind}`);
  const want = expectedRows(kind, from, to);
  // Sort both the same way (the server: by period, departments by id, totals last).
  const key = (r) => `${r.period}|${r.department_id === null ? 'z' : String(r.department_id).padStart(12, '0')}`;
  want.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  assert.deepEqual(mine.map(key), want.map(key), `rows of ${kind} ${from}..${to}${describe(res)}`);
  for (let i = 0; i < want.length; i++) {
    assert.deepEqual(mine[i].values, want[i].values,
      `${kind} ${mine[i].period} department ${mine[i].department_id}: values${describe(res)}`);
  }
  return mine;
}

// ---------------------------------------------------------------------------------------------------------------

before(async () => {
  adm = await admin();
  tz = expectStatus(await adm.get('/api/v1/settings'), 200).timezone || 'Asia/Shanghai';
  deptA = await createDepartment(adm);
  deptB = await createDepartment(adm);
  source = uniq('kpi');
  let planner;
  for (const [name, roles] of [['quality', ['quality']], ['auditor', ['auditor']], ['planner', ['planner']]]) {
    const made = await createUser(adm, { roles });
    const c = await login(made.username, made.password);
    if (name === 'quality') quality = c; else if (name === 'auditor') auditor = c; else planner = c;
  }
  const years = [2021, 2022, 2023, 2024].sort(() => Math.random() - 0.5);
  for (const y of years) {
    const res = await planner.post('/api/v1/plans', { year: y, title: `${y} KPI 测试计划` });
    if (res.status === 409) continue;
    expectStatus(res, 201);
    Y = y;
    break;
  }
  assert.ok(Y, 'a year of 2021–2024 without a plan was found');
});

test('records: tickets, ratings and complaints of March and April through the API', async () => {
  const r = rng(Y * 7919);
  const spec = [];
  for (let i = 0; i < 26; i++) {
    const month = i % 2 ? 4 : 3;
    const day = 1 + Math.floor(r() * 28);
    const opened = localMs(Y, month, day, 9 + Math.floor(r() * 8), Math.floor(r() * 60));
    const dept = i === 24 ? null : i % 3 === 0 ? deptB.id : deptA.id;       // ticket 24 has no department
    const resolved = r() < 0.75;
    const resp = r() < 0.85 ? opened + Math.floor(r() * 300) * MIN : null;
    spec.push({
      dept, opened, resolved,
      assigned: r() < 0.8 ? opened + Math.floor(r() * 40) * MIN : null,
      // ticket 5: a clock error (first response before opened) — left out of the response measures
      first: i === 5 ? opened - 7 * MIN : resp,
      resolvedAt: resolved ? opened + Math.floor(r() * 5000) * MIN + 1 * MIN : null,
      reassign: r() < 0.3 ? 1 + Math.floor(r() * 3) : 0,
      reopen: resolved && r() < 0.2 ? 1 : 0,
      priority: `P${1 + Math.floor(r() * 4)}`,
    });
  }
  // The local-day boundary: 23:59 on the last day of March is March, 00:00 on April 1 is April (local time).
  spec.push({ dept: deptA.id, opened: localMs(Y, 3, 31, 23, 59), resolved: true, assigned: null, first: null,
    resolvedAt: localMs(Y, 4, 1, 0, 30), reassign: 0, reopen: 0, priority: 'P3' });
  spec.push({ dept: deptA.id, opened: localMs(Y, 4, 1, 0, 0), resolved: false, assigned: null, first: null,
    resolvedAt: null, reassign: 0, reopen: 0, priority: 'P3' });
  for (const [i, s] of spec.entries()) {
    const body = {
      external_id: `${source}-${i}`, source, title: `KPI 测试 ${i}`, priority: s.priority, department_id: s.dept,
      opened_at: iso(s.opened), assigned_at: s.assigned ? iso(s.assigned) : null,
      first_response_at: s.first ? iso(s.first) : null, resolved_at: s.resolvedAt ? iso(s.resolvedAt) : null,
      reassignment_count: s.reassign, reopen_count: s.reopen,
    };
    const res = await adm.post('/api/v1/tickets', body);
    const t = expectStatus(res, 201);
    assert.equal(t.opened_day, localDay(s.opened), `opened_day is the local day${describe(res)}`);
    assert.equal(t.response_minutes, minutes(s.opened, s.first), `response minutes${describe(res)}`);
    tickets.push(t);
  }
  // Ratings of some resolved tickets (1..5).
  let k = 0;
  for (const t of tickets) {
    if (!t.resolved_at || k++ % 2) continue;
    expectStatus(await quality.post(`/api/v1/tickets/${t.id}/rating`, { score: 1 + (t.id % 5), comment: '评价' }), 201);
  }
  // Complaints: received in March/April of Y (past), some verified valid/invalid, some answered — in time when the
  // deadline is far away, late when it is the default (48 h after receipt, long past).
  const cspec = [
    { dept: deptA.id, at: localMs(Y, 3, 3, 10, 0), verify: true, answer: true, far: true },
    { dept: deptA.id, at: localMs(Y, 3, 20, 10, 0), verify: false, answer: true, far: false },
    { dept: deptA.id, at: localMs(Y, 4, 2, 10, 0), verify: null, answer: false, far: true },
    { dept: deptB.id, at: localMs(Y, 3, 15, 10, 0), verify: true, answer: false, far: false },
    { dept: deptB.id, at: localMs(Y, 4, 28, 10, 0), verify: true, answer: true, far: true },
    { dept: null, at: localMs(Y, 4, 9, 10, 0), verify: false, answer: true, far: true },
  ];
  for (const c of cspec) {
    const body = { channel: 'phone', category: '服务态度', content: 'KPI 测试投诉', department_id: c.dept, received_at: iso(c.at) };
    if (c.far) body.answer_deadline = '2999-01-01T00:00:00Z';
    const made = expectStatus(await adm.post('/api/v1/complaints', body), 201);
    if (c.verify !== null) {
      expectStatus(await quality.post(`/api/v1/complaints/${made.id}/verify`, { valid: c.verify, findings: '核实' }), 200);
      if (c.answer) expectStatus(await quality.post(`/api/v1/complaints/${made.id}/answer`, { content: '答复' }), 200);
    }
    complaints.push({ dept: c.dept, day: localDay(c.at), valid: c.verify, inTime: c.verify !== null && c.answer && c.far });
  }
});

test('a ServiceNow event-log import (May): one ticket per number, final values, first response from the events', async () => {
  const snTime = (ms) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return `${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}`;
  };
  const cols = ['number', 'incident_state', 'reassignment_count', 'reopen_count', 'sys_mod_count', 'made_sla', 'opened_at',
    'sys_updated_at', 'contact_type', 'priority', 'assignment_group', 'resolved_at', 'closed_at'];
  const lines = [cols.join(',')];
  const r = rng(Y * 31 + 5);
  for (let i = 0; i < 8; i++) {
    const number = `${source.toUpperCase()}${i}`;
    const opened = localMs(Y, 5, 2 + i * 3, 10, Math.floor(r() * 60));
    const group = i % 4 === 3 ? deptB.code : deptA.code;
    const made = i % 3 === 0 ? '?' : i % 3 === 1 ? 'true' : 'false';
    const respAt = opened + (5 + Math.floor(r() * 100)) * MIN;
    const resolved = i !== 6;
    const resAt = resolved ? respAt + (30 + Math.floor(r() * 3000)) * MIN : null;
    const row = (state, mod, at, final) => [number, state, final ? i % 3 : 0, final && i === 2 ? 1 : 0, mod, made, snTime(opened),
      snTime(at), 'Phone', `${1 + (i % 4)} - ${['Critical', 'High', 'Moderate', 'Low'][i % 4]}`, group,
      final && resAt ? snTime(resAt) : '?', '?'].join(',');
    lines.push(row('New', 0, opened, false));
    lines.push(row('Active', 1, respAt, false));
    lines.push(row(resolved ? 'Resolved' : 'Awaiting User Info', 2, resolved ? resAt : respAt + 60 * MIN, true));
  }
  const res = await adm.req('POST', `/api/v1/imports?format=servicenow&source=${source}-sn`,
    { body: Buffer.from(lines.join('\n') + '\n'), headers: { 'Content-Type': 'text/csv' }, timeout: 60000 });
  const rep = expectStatus(res, 201);
  assert.equal(rep.status, 'done', describe(res));
  assert.equal(rep.inserted, 8, describe(res));
  const imported = await listAll(auditor, `/api/v1/tickets?source=${encodeURIComponent(`${source}-sn`)}`);
  assert.equal(imported.length, 8);
  for (const t of imported) {
    const i = Number(t.external_id.slice(-1));
    assert.equal(t.department_id, i % 4 === 3 ? deptB.id : deptA.id, 'assignment_group → department');
    assert.equal(t.sla_source_made, i % 3 === 0 ? null : i % 3 === 1, 'made_sla is the source verdict');
    tickets.push(t);
  }
});

test('GET /kpis per month, per quarter and over part of a month equals the values computed from the records', async () => {
  const rows = await checkTable('month', `${Y}-03-01`, `${Y}-05-31`);
  // Spot checks that make the test's own model honest: the March totals count the boundary ticket (23:59 local).
  const marchTotal = rows.find((x) => x.period === `${Y}-03` && x.department_id === null);
  assert.equal(marchTotal.values.tickets, tickets.map(model).filter((t) => t.day.startsWith(`${Y}-03`)).length);
  assert.ok('complaint_answered_in_time_rate' in marchTotal.values);
  // May (the import) has source SLA verdicts; March/April have none (tickets through the API) → absent, never 0.
  const may = rows.find((x) => x.period === `${Y}-05` && x.department_id === deptA.id);
  assert.ok('sla_source_rate' in may.values, 'the import brings sla_source_rate');
  assert.ok(!('sla_source_rate' in marchTotal.values), 'no source verdicts in March: absent');
  assert.ok(!('complaint_rate' in may.values) || may.values.complaint_rate === 0, 'May: tickets, no complaints → 0');
  await checkTable('quarter', `${Y}-03-01`, `${Y}-05-31`);
  await checkTable('year', `${Y}-01-01`, `${Y}-12-31`);
  await checkTable('month', `${Y}-03-15`, `${Y}-04-10`);
  // A month without records: the rows are there, their values are empty (absent, never 0).
  const { mine } = await kpis(`from=${Y}-06-01&to=${Y}-06-30`);
  assert.deepEqual(mine, [{ department_id: null, period: `${Y}-06`, values: {} }]);
});

test('department_id= gives that department only (no totals); measures= keeps the listed measures', async () => {
  await refreshTickets();
  const res = await auditor.get(`/api/v1/kpis?from=${Y}-03-01&to=${Y}-04-30&department_id=${deptB.id}&measures=tickets,reopen_rate,satisfaction_avg,turnover_rate`);
  const body = expectStatus(res, 200);
  assert.deepEqual(body.items.map((x) => [x.department_id, x.period]), [[deptB.id, `${Y}-03`], [deptB.id, `${Y}-04`]], describe(res));
  const want = expectedRows('month', `${Y}-03-01`, `${Y}-04-30`).filter((x) => x.department_id === deptB.id);
  for (let i = 0; i < 2; i++) {
    const keep = Object.fromEntries(Object.entries(want[i].values).filter(([k]) => ['tickets', 'reopen_rate', 'satisfaction_avg'].includes(k)));
    assert.deepEqual(body.items[i].values, keep, describe(res));
  }
  // A department without records in the range: its rows, empty.
  const empty = await createDepartment(adm);
  const r2 = expectStatus(await auditor.get(`/api/v1/kpis?from=${Y}-03-01&to=${Y}-03-31&department_id=${empty.id}`), 200);
  assert.deepEqual(r2.items, [{ department_id: empty.id, period: `${Y}-03`, values: {} }]);
});

test('after a ticket moves to another department and day, and a rating is added, the KPIs follow', async () => {
  // The first March ticket of department A moves to department B and to April 20 (local noon).
  const t = tickets.find((x) => x.department_id === deptA.id && x.opened_day.startsWith(`${Y}-03`) && x.resolved_at);
  const opened = localMs(Y, 4, 20, 12, 0);
  const shift = opened - Date.parse(t.opened_at);
  const move = (s) => (s ? iso(Date.parse(s) + shift) : null);
  const res = await adm.patch(`/api/v1/tickets/${t.id}`, {
    department_id: deptB.id, opened_at: iso(opened), assigned_at: move(t.assigned_at), first_response_at: move(t.first_response_at),
    resolved_at: move(t.resolved_at),
  });
  const moved = expectStatus(res, 200);
  assert.equal(moved.department_id, deptB.id);
  assert.equal(moved.opened_day, `${Y}-04-20`);
  // A rating for a resolved ticket without one.
  await refreshTickets();
  const unrated = tickets.find((x) => x.resolved_at && !x.rating && x.department_id === deptB.id);
  if (unrated) expectStatus(await quality.post(`/api/v1/tickets/${unrated.id}/rating`, { score: 2 }), 201);
  await checkTable('month', `${Y}-03-01`, `${Y}-05-31`);
});

test('POST /achievement/compute fills a measure: metric from the records; a measure without data stays empty', async () => {
  await refreshTickets();
  const def = (fields) => ({
    year: Y, name: 'KPI 指标', element: 'process', definition: '定义', unit: 'ratio', direction: 'higher_better', target: 0.8,
    warning: 0.6, frequency: 'month', owner_department_id: deptA.id, ...fields,
  });
  const rate = expectStatus(await quality.post('/api/v1/metrics', def({ code: uniq('RR').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16), source: 'measure:resolution_rate' })), 201);
  const p90 = expectStatus(await quality.post('/api/v1/metrics', def({ code: uniq('RP').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16),
    source: 'measure:response_minutes_p90', unit: 'minutes', direction: 'lower_better', target: 120, warning: 180, frequency: 'quarter' })), 201);
  const people = expectStatus(await quality.post('/api/v1/metrics', def({ code: uniq('TO').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16),
    source: 'measure:partner_score_avg', unit: 'score', direction: 'higher_better', target: 80, warning: 60 })), 201);
  const res = await quality.post('/api/v1/achievement/compute', { year: Y });
  const body = expectStatus(res, 200);
  const noData = (m) => body.no_data.filter((x) => x.metric_id === m.id).map((x) => x.period).sort();
  const pad = (x) => String(x).padStart(2, '0');
  // resolution_rate: March, April, May have tickets; the other nine months have none.
  assert.deepEqual(noData(rate), [1, 2, 6, 7, 8, 9, 10, 11, 12].map((m) => `${Y}-${pad(m)}`), describe(res));
  assert.deepEqual(noData(people).length, 12, 'partner_score_avg: assessments are quarterly, so no month has a value');
  assert.deepEqual(noData(p90), [`${Y}-Q3`, `${Y}-Q4`], 'response_minutes_p90: Q1 (March) and Q2 (April, May) have data');
  const ts = tickets.map(model);
  for (const m of [3, 4, 5]) {
    const inM = ts.filter((t) => t.day.startsWith(`${Y}-${pad(m)}`));
    const v = expectStatus(await auditor.get(`/api/v1/metrics/${rate.id}/values/${Y}-${pad(m)}`), 200);
    const resolved = inM.filter((t) => t.resolved).length;
    assert.equal(v.actual, r15(resolved / inM.length), `resolution_rate ${Y}-${pad(m)}`);
    assert.equal(v.numerator, resolved);
    assert.equal(v.denominator, inM.length);
    assert.ok(['met', 'warning', 'missed'].includes(v.status));
  }
  // The quarterly p90 of Q2 (April–June) over every department: the nearest rank of all response minutes.
  const q2 = measures(ts.filter((t) => t.day >= `${Y}-04-01` && t.day <= `${Y}-06-30`), []);
  const v = expectStatus(await auditor.get(`/api/v1/metrics/${p90.id}/values/${Y}-Q2`), 200);
  assert.equal(v.actual, q2.response_minutes_p90);
  assert.equal(v.numerator, null);
});

test('validation: each bad parameter is named; records.read is needed', async () => {
  const bad = async (q, field) => expectError(await auditor.get(`/api/v1/kpis?${q}`), 400, 'bad_request', field);
  await bad(`to=${Y}-12-31`, 'from');
  await bad(`from=${Y}-01-01`, 'to');
  await bad(`from=${Y}-02-30&to=${Y}-12-31`, 'from');
  await bad(`from=${Y}-01-01&to=${Y}-13-01`, 'to');
  await bad(`from=${Y}-05-01&to=${Y}-04-30`, 'to');
  await bad(`from=2001-01-01&to=2011-01-01`, 'to');              // ten years and a day
  expectStatus(await auditor.get('/api/v1/kpis?from=2001-01-01&to=2010-12-31&period=year'), 200);   // exactly ten
  await bad(`from=${Y}-01-01&to=${Y}-12-31&period=week`, 'period');
  await bad(`from=${Y}-01-01&to=${Y}-12-31&measures=tickets,no_such`, 'measures');
  await bad(`from=${Y}-01-01&to=${Y}-12-31&measures=tickets,`, 'measures');
  await bad(`from=${Y}-01-01&to=${Y}-12-31&department_id=abc`, 'department_id');
  expectError(await auditor.get(`/api/v1/kpis?from=${Y}-01-01&to=${Y}-12-31&department_id=999999999`), 404, 'not_found', 'department_id');
  expectError(await request('GET', `/api/v1/kpis?from=${Y}-01-01&to=${Y}-12-31`), 401, 'unauthenticated');
});
