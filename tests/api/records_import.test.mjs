// Imports (POST /api/v1/imports, nengli import tickets): a ServiceNow incident event log generated here (50 incidents ×
// 1–6 events, shuffled, with sys_mod_count ties, `?` values, a clock error and unmapped assignment groups) is imported
// and every ticket's final values and first_response_at are checked against values computed independently in
// JavaScript; re-importing changes nothing; a changed incident is updated alone; a file with one bad line imports
// nothing and names the line; CSV with a column mapping (and the 422 naming missing columns), JSON lines, a GBK file;
// the command line on the same database with its exit codes; exactly one audit row per import with the file's
// SHA-256; members may not import. Every import uses a source of its own.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { admin, login, createUser, createDepartment, expectStatus, expectError, describe, listAll, uniq, env } from './lib.mjs';

const I = '/api/v1/imports';
let adm, tz;
const c = {};
const u = {};
let deptCode, deptName, deptAlias;   // mapped by code, by name, by alias
let tmp;

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const src = (p) => uniq(p).replace(/[^a-z0-9-]/g, '');

/** A deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** dd-mm-YYYY HH:MM of an instant in the organisation's zone (the export's format). */
function snTime(ms) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}`;
}

/** CSV line with RFC 4180 quoting. */
const csvLine = (cells) => cells.map((v) => (/[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',');

const SN_COLS = ['number', 'incident_state', 'active', 'reassignment_count', 'reopen_count', 'sys_mod_count', 'made_sla', 'caller_id',
  'opened_at', 'sys_updated_at', 'contact_type', 'category', 'priority', 'assignment_group', 'assigned_to', 'resolved_at', 'closed_at'];
const PRIORITIES = { '1 - Critical': 'P1', '2 - High': 'P2', '3 - Moderate': 'P3', '4 - Low': 'P4' };
const STATUS = { New: 'new', Active: 'in_progress', 'Awaiting User Info': 'waiting_customer', 'Awaiting Vendor': 'waiting_vendor',
  'Awaiting Problem': 'waiting_vendor', Resolved: 'resolved', Closed: 'closed' };

/**
 * genServiceNow(seed, prefix, groups): {text, rows (in file order, with .line), numbers}. Times are whole minutes.
 * Incident 0 has a clock error (its first response is before opened_at); ties of sys_mod_count are frequent.
 */
function genServiceNow(seed, prefix, groups) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const base = Date.UTC(2027, 1, 1, 0, 0, 0);
  const rows = [];
  for (let k = 0; k < 50; k++) {
    const number = `${prefix}${String(k).padStart(4, '0')}`;
    const opened = base + k * 3 * 3600000 + Math.floor(r() * 120) * 60000;
    const n = 1 + Math.floor(r() * 6);
    let t = opened;
    const priority = pick(Object.keys(PRIORITIES));
    for (let i = 0; i < (k === 0 ? Math.max(n, 2) : n); i++) {
      let state = i === 0 ? 'New' : pick(['Active', 'Awaiting User Info', 'Awaiting Vendor', 'Active', 'Resolved', 'Closed', '?', 'Awaiting Problem']);
      t += Math.floor(r() * 90 + 1) * 60000;
      let updated = t;
      if (k === 0 && i === 1) updated = opened - 10 * 60000;   // a source system's clock error
      let mod = i > 0 && r() < 0.25 ? i - 1 : i;                // ties
      if (k === 0 && i === 1) state = 'Active', mod = 1;
      const done = state === 'Resolved' || state === 'Closed';
      const last = i === (k === 0 ? Math.max(n, 2) : n) - 1;
      rows.push({
        number, incident_state: state, active: done ? 'false' : 'true',
        reassignment_count: r() < 0.15 ? '?' : String(Math.floor(r() * 4)),
        reopen_count: r() < 0.15 ? '?' : String(Math.floor(r() * 2)),
        sys_mod_count: String(mod), made_sla: r() < 0.7 ? 'true' : 'false', caller_id: `Caller ${Math.floor(r() * 900)}`,
        opened_at: snTime(opened), sys_updated_at: snTime(updated), contact_type: pick(['Phone', 'Email', 'Self service']),
        category: r() < 0.1 ? '?' : `Category ${Math.floor(r() * 9)}`,
        priority: last ? priority : pick(Object.keys(PRIORITIES)),
        assignment_group: pick(groups), assigned_to: i === 0 && r() < 0.6 ? '?' : (r() < 0.2 ? '?' : `Resolver ${Math.floor(r() * 50)}`),
        resolved_at: done ? snTime(updated) : '?', closed_at: state === 'Closed' ? snTime(updated + 3600000) : '?',
        _opened: opened, _updated: updated,
      });
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {   // shuffle the whole file
    const j = Math.floor(r() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  rows.forEach((row, i) => { row.line = i + 2; row.order = i; });
  const text = [csvLine(SN_COLS), ...rows.map((row) => csvLine(SN_COLS.map((k) => row[k])))].join('\r\n') + '\r\n';
  return { text, rows };
}

/** parseSn(s): the instant (ms) of a dd-mm-YYYY HH:MM written by snTime, found from the generator's own instants. */
function expectedTickets(rows, groupDept) {
  const by = new Map();
  for (const row of rows) {
    if (!by.has(row.number)) by.set(row.number, []);
    by.get(row.number).push(row);
  }
  const out = new Map();
  const cmpModOrder = (a, b) => (Number(a.sys_mod_count) - Number(b.sys_mod_count)) || (a.order - b.order);
  for (const [number, evs] of by) {
    const sorted = [...evs].sort(cmpModOrder);
    const last = sorted[sorted.length - 1];
    const resp = sorted.find((e) => e.incident_state !== 'New' && e.incident_state !== '?');
    const asg = sorted.find((e) => e.assigned_to !== '?');
    // timestamps as the export wrote them, read back through the generator's instants
    const timeOf = (row, col) => (row[col] === '?' ? null : row[col] === snTime(row._updated) ? row._updated
      : row[col] === snTime(row._updated + 3600000) ? row._updated + 3600000 : row[col] === snTime(row._opened) ? row._opened : NaN);
    const opened = last._opened;
    const fr = resp ? resp._updated : null;
    const resolved = timeOf(last, 'resolved_at');
    const closed = timeOf(last, 'closed_at');
    const mins = (a, b) => (b === null || b < a ? null : Math.floor((b - a) / 60000));
    let status = STATUS[last.incident_state];
    if (!status) status = closed ? 'closed' : resolved ? 'resolved' : asg ? 'assigned' : 'new';
    out.set(number, {
      opened_at: iso(opened), first_response_at: fr === null ? null : iso(fr), assigned_at: asg ? iso(asg._updated) : null,
      resolved_at: resolved === null ? null : iso(resolved), closed_at: closed === null ? null : iso(closed),
      priority: PRIORITIES[last.priority], status,
      reassignment_count: last.reassignment_count === '?' ? 0 : Number(last.reassignment_count),
      reopen_count: last.reopen_count === '?' ? 0 : Number(last.reopen_count),
      sla_source_made: last.made_sla === 'true', channel: last.contact_type, category: last.category === '?' ? '' : last.category,
      department_id: groupDept(last.assignment_group),
      response_minutes: mins(opened, fr), resolution_minutes: mins(opened, resolved),
      line: last.line,
    });
  }
  return out;
}

async function importFile(client, query, body) {
  return client.req('POST', `${I}?${query}`, { body: Buffer.from(body), headers: { 'Content-Type': 'text/csv' }, timeout: 60000 });
}

async function ticketsOf(source) {
  const all = await listAll(c.auditor, `/api/v1/tickets?source=${encodeURIComponent(source)}`);
  return new Map(all.map((t) => [t.external_id, t]));
}

async function auditOf(importId) {
  return expectStatus(await adm.get(`/api/v1/audit?entity=import&entity_id=${importId}`), 200).items;
}

before(async () => {
  adm = await admin();
  tz = expectStatus(await adm.get('/api/v1/settings'), 200).timezone || 'Asia/Shanghai';
  deptCode = await createDepartment(adm);
  deptName = await createDepartment(adm);
  deptAlias = await createDepartment(adm);
  for (const [name, spec] of Object.entries({ quality: ['quality'], planner: ['planner'], member: ['member'], auditor: ['auditor'] })) {
    const made = await createUser(adm, { roles: spec, department_id: name === 'member' ? deptCode.id : null });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
  tmp = mkdtempSync(path.join(tmpdir(), 'nengli-import-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
});

test('ServiceNow event log: final values, first response, mapping of groups; re-import changes nothing; one audit row each', async () => {
  const source = src('sn');
  const alias = `Alias group ${uniq('g')}`;
  const unmapped = `Unmapped group ${uniq('g')}`;
  const groups = [deptCode.code, deptName.name, alias, unmapped, '?'];
  const groupDept = (g) => (g === deptCode.code ? deptCode.id : g === deptName.name ? deptName.id : g === alias ? deptAlias.id : null);
  // the alias, for this source only
  const prev = expectStatus(await adm.get('/api/v1/department-aliases'), 200).items;
  const put = await c.planner.put('/api/v1/department-aliases', { items: [...prev, { source, name: alias, department_id: deptAlias.id }] });
  expectStatus(put, 200);
  expectError(await c.member.put('/api/v1/department-aliases', { items: [] }), 403, 'forbidden');
  expectError(await c.planner.put('/api/v1/department-aliases', { items: [{ source, name: 'x', department_id: 999999999 }] }),
    422, 'validation_failed', 'items[0].department_id');

  const { text, rows } = genServiceNow(20270201, `INC${Date.now() % 100000}`, groups);
  const expect = expectedTickets(rows, groupDept);
  assert.equal(expect.size, 50);
  assert.ok(rows.some((r) => r.incident_state === '?'), 'the file has `?` states');

  const res = await importFile(c.quality, `format=servicenow&source=${source}`, text);
  const rep = expectStatus(res, 201);
  assert.equal(rep.status, 'done', describe(res));
  assert.equal(rep.rows_read, rows.length);
  assert.equal(rep.tickets, 50);
  assert.equal(rep.inserted, 50);
  assert.equal(rep.updated, 0);
  assert.equal(rep.unchanged, 0);
  assert.deepEqual(rep.rejected, []);
  assert.equal(rep.file_sha256, sha256(text));
  assert.ok(rep.warnings.some((w) => w.message.includes(unmapped)), `a warning names the unmapped group${describe(res)}`);
  const clock = [...expect.values()].filter((e) => e.first_response_at && e.first_response_at < e.opened_at).length;
  assert.ok(clock >= 1, 'the generator made a clock error');
  assert.equal(rep.warnings.filter((w) => /first_response_at is before opened_at/.test(w.message)).length, clock);

  const got = await ticketsOf(source);
  assert.equal(got.size, 50);
  for (const [number, e] of expect) {
    const t = got.get(number);
    assert.ok(t, `ticket ${number} imported`);
    for (const k of ['opened_at', 'first_response_at', 'assigned_at', 'resolved_at', 'closed_at', 'priority', 'status', 'reassignment_count',
      'reopen_count', 'sla_source_made', 'channel', 'category', 'department_id', 'response_minutes', 'resolution_minutes']) {
      assert.deepEqual(t[k], e[k], `${number}.${k} (final row on line ${e.line})`);
    }
    assert.equal(t.import_id, rep.id);
  }
  // the measures engine was told: its ticket counts per department match the import
  for (const dept of [deptCode, deptName, deptAlias]) {
    const want = [...expect.values()].filter((e) => e.department_id === dept.id).length;
    const k = expectStatus(await c.auditor.get(`/api/v1/kpis?from=2027-01-25&to=2027-02-28&period=year&department_id=${dept.id}&measures=tickets`), 200);
    const row = k.items.find((r) => r.department_id === dept.id);
    assert.equal(row ? row.values.tickets : 0, want, `KPI tickets of department ${dept.code}`);
  }
  // the status history of one incident: its events' states in time order, repeats merged
  const one = [...expect.keys()][3];
  const full = expectStatus(await c.auditor.get(`/api/v1/tickets/${got.get(one).id}`), 200);
  const evs = rows.filter((r) => r.number === one && STATUS[r.incident_state])
    .sort((a, b) => (a._updated - b._updated) || (a.sys_mod_count - b.sys_mod_count) || (a.order - b.order));
  const hist = [];
  for (const e of evs) if (!hist.length || hist[hist.length - 1][1] !== STATUS[e.incident_state]) hist.push([iso(e._updated), STATUS[e.incident_state]]);
  assert.deepEqual(full.events.map((e) => [e.at, e.status]), hist);
  // no audit row per ticket
  expectStatus(await adm.get(`/api/v1/audit?entity=ticket&entity_id=${full.id}`), 200).items.forEach(() => assert.fail('a ticket audit row'));

  // the same file again: nothing changes
  const again = expectStatus(await importFile(c.quality, `format=servicenow&source=${source}`, text), 201);
  assert.equal(again.status, 'done');
  assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 50]);
  const after = await ticketsOf(source);
  for (const [k, t] of got) assert.equal(after.get(k).updated_at, t.updated_at, `${k} untouched`);

  // exactly one audit row per import, with its counts and the SHA-256
  for (const r of [rep, again]) {
    const a = await auditOf(r.id);
    assert.equal(a.length, 1, `one audit row for import ${r.id}`);
    assert.equal(a[0].action, 'import');
    assert.equal(a[0].after.file_sha256, sha256(text));
    assert.equal(a[0].after.inserted, r.inserted);
    assert.equal(a[0].after.unchanged, r.unchanged);
  }
  const listed = await listAll(c.auditor, I);
  const mine = listed.find((x) => x.id === rep.id);
  assert.equal(mine.inserted, 50);
  assert.equal(mine.rejected_count, 0);
  const single = expectStatus(await c.auditor.get(`${I}/${rep.id}`), 200);
  assert.deepEqual(single.warnings, rep.warnings);

  // one incident gets a later event: only it is updated
  const target = [...expect.keys()][7];
  const lastRow = rows.filter((r) => r.number === target).sort((a, b) => Number(b.sys_mod_count) - Number(a.sys_mod_count))[0];
  const extra = { ...lastRow, incident_state: 'Closed', sys_mod_count: '99', reopen_count: '3', closed_at: snTime(lastRow._updated + 7200000),
    resolved_at: snTime(lastRow._updated + 3600000), sys_updated_at: snTime(lastRow._updated + 7200000) };
  const text2 = text + csvLine(SN_COLS.map((k) => extra[k])) + '\r\n';
  const upd = expectStatus(await importFile(c.quality, `format=servicenow&source=${source}`, text2), 201);
  assert.deepEqual([upd.status, upd.inserted, upd.updated, upd.unchanged], ['done', 0, 1, 49]);
  const t2 = (await ticketsOf(source)).get(target);
  assert.equal(t2.status, 'closed');
  assert.equal(t2.reopen_count, 3);
  assert.equal(t2.closed_at, iso(lastRow._updated + 7200000));
  assert.equal(t2.import_id, upd.id);
});

test('all or nothing: one bad line imports nothing, the report names the line; file-level problems are 422', async () => {
  const source = src('bad');
  const { text, rows } = genServiceNow(777, `BAD${Date.now() % 100000}`, [deptCode.code]);
  const lines = text.split('\r\n');
  const bad = 17;                                   // a data line: sys_mod_count not a number
  const cells = lines[bad - 1].split(',');
  cells[SN_COLS.indexOf('sys_mod_count')] = 'x';
  lines[bad - 1] = cells.join(',');
  const badText = lines.join('\r\n');
  const res = await importFile(c.quality, `format=servicenow&source=${source}`, badText);
  const rep = expectStatus(res, 201);
  assert.equal(rep.status, 'failed', describe(res));
  assert.deepEqual([rep.inserted, rep.updated, rep.unchanged], [0, 0, 0]);
  assert.equal(rep.rejected_count, 1);
  assert.equal(rep.rejected.length, 1);
  assert.equal(rep.rejected[0].line, bad);
  assert.match(rep.rejected[0].reason, /sys_mod_count/);
  assert.equal(rep.rows_read, rows.length);
  assert.equal((await ticketsOf(source)).size, 0, 'nothing imported');
  const a = await auditOf(rep.id);
  assert.equal(a.length, 1, 'a failed import is audited once too');
  assert.equal(a[0].after.status, 'failed');
  assert.equal(a[0].after.file_sha256, sha256(badText));

  // several bad lines in a CSV: every one listed with its number
  const csv = ['external_id,priority,opened_at,status', 'A1,P1,2027-03-01 09:00,', 'A2,P7,2027-03-01 09:00,',
    'A3,P2,2027-02-30 09:00,', 'A4,P2,2027-03-01 09:00,done', 'A1,P3,2027-03-01 10:00,', '"A6,P2,2027-03-01 09:00,', ''].join('\n');
  const rep2 = expectStatus(await importFile(c.quality, `format=csv&source=${source}`, csv), 201);
  assert.equal(rep2.status, 'failed');
  assert.deepEqual(rep2.rejected.map((x) => x.line), [3, 4, 5, 6, 7]);
  assert.match(rep2.rejected[0].reason, /priority/);
  assert.match(rep2.rejected[1].reason, /opened_at/);
  assert.match(rep2.rejected[2].reason, /status/);
  assert.match(rep2.rejected[3].reason, /more than once/);
  assert.match(rep2.rejected[4].reason, /quoted field is not closed/);
  assert.equal((await ticketsOf(source)).size, 0);

  // a GBK file is refused naming the line
  const gbk = Buffer.concat([Buffer.from('external_id,priority,opened_at,title\nG1,P1,2027-03-01 09:00,ok\nG2,P1,2027-03-01 09:00,'),
    Buffer.from([0xD5, 0xC5, 0xC8, 0xFD]), Buffer.from('\n')]);
  const rep3 = expectStatus(await c.quality.req('POST', `${I}?format=csv&source=${source}`, { body: gbk }), 201);
  assert.equal(rep3.status, 'failed');
  assert.deepEqual(rep3.rejected, [{ line: 3, reason: 'the file is not UTF-8 (GBK?): convert it with iconv -f GBK -t UTF-8' }]);

  // file-level problems: 422, no import recorded
  const before = (await listAll(c.auditor, I)).length;
  expectError(await importFile(c.quality, `format=csv&source=${source}`, 'external_id,title\nX,y\n'), 422, 'validation_failed', 'file');
  const e = expectError(await importFile(c.quality, `format=csv&source=${source}`, 'id,title\nX,y\n'), 422, 'validation_failed', 'file');
  assert.match(e.message, /external_id, priority, opened_at/);
  expectError(await importFile(c.quality, `format=servicenow&source=${source}`, 'number,priority\nINC1,1 - Critical\n'), 422, 'validation_failed', 'file');
  expectError(await importFile(c.quality, `format=csv&source=${source}`, ''), 422, 'validation_failed', 'file');
  expectError(await importFile(c.quality, `format=xlsx&source=${source}`, 'a'), 422, 'validation_failed', 'format');
  expectError(await importFile(c.quality, 'source=x', 'a'), 422, 'validation_failed', 'format');
  expectError(await importFile(c.quality, `format=csv&source=${encodeURIComponent('a b')}`, 'a'), 422, 'validation_failed', 'source');
  expectError(await importFile(c.quality, `format=csv&mapping=${encodeURIComponent('{"nope":"x"}')}`, 'a'), 422, 'validation_failed', 'mapping');
  expectError(await importFile(c.quality, `format=csv&mapping=${encodeURIComponent('{"priority":"Prio"}')}`,
    'external_id,opened_at\nX,2027-03-01 09:00\n'), 422, 'validation_failed', 'mapping');
  assert.equal((await listAll(c.auditor, I)).length, before, 'file-level refusals record no import');

  // roles: members, auditors, hr may not import
  expectError(await importFile(c.member, `format=csv&source=${source}`, csv), 403, 'forbidden');
  expectError(await importFile(c.auditor, `format=csv&source=${source}`, csv), 403, 'forbidden');
});

test('CSV with a column mapping (BOM, CRLF, quotes, local times, department by code/name), then JSON lines', async () => {
  const source = src('csv');
  const mapping = { external_id: '单号', priority: '优先级', opened_at: '创建时间', first_response_at: '首次响应', resolved_at: '解决时间',
    department: '处理部门', title: '标题', reassignment_count: '转派次数' };
  const csv = '\uFEFF' + [
    '单号,标题,优先级,创建时间,首次响应,解决时间,处理部门,转派次数,备注',
    `C1,"打印机, 三楼",P3,2027-03-01 09:00,2027-03-01 09:30:59,2027-03-01 12:00,${deptCode.code},0,ignored`,
    `C2,"多行""标题""\r\n第二行",1,2027-03-01T01:00:00Z,,,${deptName.name},2,`,
    'C3,,P4,2027-03-02 10:00,2027-03-02 09:00,,,,',
  ].join('\r\n') + '\r\n';
  const q = `format=csv&source=${source}&mapping=${encodeURIComponent(JSON.stringify(mapping))}`;
  const rep = expectStatus(await importFile(c.quality, q, csv), 201);
  assert.equal(rep.status, 'done', JSON.stringify(rep.rejected));
  assert.deepEqual([rep.rows_read, rep.inserted], [3, 3]);
  assert.equal(rep.warnings.length, 1, 'C3: first response before opening');
  assert.equal(rep.warnings[0].line, 5, 'C3 starts on line 5: C2 spans lines 3 and 4');
  const got = await ticketsOf(source);
  const local = (d, h, m, s = 0) => {   // the instant of a local wall-clock time in the organisation's zone (no DST in it)
    const guess = Date.UTC(2027, 2, d, h, m, s);
    const off = Date.parse(new Date(guess).toLocaleString('en-US', { timeZone: tz }) + ' UTC') - guess;
    return guess - off;
  };
  const c1 = got.get('C1');
  assert.equal(c1.title, '打印机, 三楼');
  assert.equal(c1.opened_at, iso(local(1, 9, 0)));
  assert.equal(c1.response_minutes, 30);
  assert.equal(c1.resolution_minutes, 180);
  assert.equal(c1.status, 'resolved');
  assert.equal(c1.department_id, deptCode.id);
  const c2 = got.get('C2');
  assert.equal(c2.title, '多行"标题"\r\n第二行');
  assert.equal(c2.priority, 'P1');
  assert.equal(c2.department_id, deptName.id);
  assert.equal(c2.reassignment_count, 2);
  assert.equal(c2.status, 'new');
  const c3 = got.get('C3');
  assert.equal(c3.response_minutes, null);
  assert.equal(c3.department_id, null);
  assert.equal(c3.title, '');
  // re-import: unchanged
  const again = expectStatus(await importFile(c.quality, q, csv), 201);
  assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 3]);

  // JSON lines, same source: C1 updated (a title), a new one; fields the file lacks keep their values
  const jl = [
    JSON.stringify({ external_id: 'C1', priority: 'P3', opened_at: c1.opened_at, title: '打印机已修复' }),
    '',
    JSON.stringify({ external_id: 'J9', priority: 'P2', opened_at: '2027-03-03T00:00:00Z', department_id: deptAlias.id,
      resolved_at: '2027-03-03T01:30:00Z', reopen_count: 1, sla_source_made: false, channel: 'email', status: 'closed' }),
  ].join('\n');
  const rep2 = expectStatus(await importFile(c.quality, `format=jsonl&source=${source}`, jl), 201);
  assert.equal(rep2.status, 'done', JSON.stringify(rep2.rejected));
  assert.deepEqual([rep2.rows_read, rep2.inserted, rep2.updated, rep2.unchanged], [2, 1, 1, 0]);
  const got2 = await ticketsOf(source);
  assert.equal(got2.get('C1').title, '打印机已修复');
  assert.equal(got2.get('C1').resolution_minutes, 180, 'resolved_at kept (not in the file)');
  assert.equal(got2.get('C1').department_id, deptCode.id, 'department kept');
  const j9 = got2.get('J9');
  assert.deepEqual([j9.department_id, j9.resolution_minutes, j9.reopen_count, j9.sla_source_made, j9.channel, j9.status],
    [deptAlias.id, 90, 1, false, 'email', 'closed']);
  // a bad JSON line
  const rep3 = expectStatus(await importFile(c.quality, `format=jsonl&source=${source}`,
    '{"external_id":"K1","priority":"P2","opened_at":"2027-03-03T00:00:00Z"}\n{"external_id":"K2"\n[1]\n{"external_id":"K3","priority":"P2","opened_at":"2027-03-03T00:00:00Z","title":{"a":1}}\n'), 201);
  assert.equal(rep3.status, 'failed');
  assert.deepEqual(rep3.rejected.map((x) => x.line), [2, 3, 4]);
  assert.equal((await ticketsOf(source)).has('K1'), false);
});

test('the command line imports into the same database: exit 0, 1 for rejected lines, 2 for bad usage', async () => {
  const bin = env('NENGLI_BIN');
  const db = env('NENGLI_DB');
  const source = src('cli');
  const file = path.join(tmp, 'tickets.csv');
  const mapFile = path.join(tmp, 'mapping.json');
  const text = ['ID,Prio,Opened', 'L1,P2,2027-04-01 08:00', 'L2,P3,2027-04-01 09:00', ''].join('\n');
  writeFileSync(file, text);
  writeFileSync(mapFile, JSON.stringify({ external_id: 'ID', priority: 'Prio', opened_at: 'Opened' }));
  const run = (args, input) => spawnSync(bin, ['import', 'tickets', ...args, '--db', db], { encoding: 'utf8', input, timeout: 60000 });

  let r = run(['--format', 'csv', '--source', source, '--mapping', mapFile, file]);
  assert.equal(r.status, 0, `exit 0: ${r.stderr}`);
  const rep = JSON.parse(r.stdout);
  assert.deepEqual([rep.status, rep.inserted, rep.file_sha256], ['done', 2, sha256(text)]);
  assert.match(r.stderr, /2 inserted/);
  assert.equal(rep.by_user_id, null);
  const viaApi = expectStatus(await c.auditor.get(`${I}/${rep.id}`), 200);
  assert.equal(viaApi.inserted, 2);
  assert.equal((await auditOf(rep.id)).length, 1);
  assert.equal((await ticketsOf(source)).size, 2);

  r = run(['--format', 'csv', '--source', source, '--mapping', mapFile, '-'], text);   // stdin, the same content
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual([JSON.parse(r.stdout).unchanged, JSON.parse(r.stdout).inserted], [2, 0]);

  writeFileSync(file, 'external_id,priority,opened_at\nL3,P2,2027-04-01 08:00\nL4,urgent,2027-04-01 08:00\n');
  r = run(['--format', 'csv', '--source', source, file]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /line 3: priority/);
  assert.equal(JSON.parse(r.stdout).status, 'failed');
  assert.equal((await ticketsOf(source)).has('L3'), false);

  for (const args of [['--source', source, file], ['--format', 'xml', file], ['--format', 'csv'], ['--format', 'csv', file, file]]) {
    r = run(args);
    assert.equal(r.status, 2, `bad usage ${args.join(' ')} → 2: ${r.stderr}`);
  }
  r = spawnSync(bin, ['import', 'customers', '--db', db], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  r = run(['--format', 'csv', path.join(tmp, 'missing.csv')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot read/);
});
