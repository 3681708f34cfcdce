// Backup and restore (issue 9.7): `nengli backup` while writes continue, `nengli restore` into a new database, and the
// restored data equal to the original at the moment of the backup; then, with the writes stopped, a second backup whose
// restore equals the original table by table (row counts and checksums of every record), served by a new server.
// The moment of a backup is known from its audit chain: its last row N must carry the same hash as row N of the
// original (the chain makes that prove the whole prefix equal), and the departments written concurrently must be
// exactly those whose creation audit row is ≤ N. On a database of the test's own (dblib.mjs).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep, startServer } from './lib.mjs';
import { ENGINE, check, initDatabase, nengli, newDatabase, operator, sql } from './dblib.mjs';

const WRITERS = 4;
const dbs = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'nengli-backup-'));
after(async () => {
  for (const d of dbs) await d.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Tables the concurrent writes (and the bearer token's last use) change: compared through the audit chain instead. */
const MOVING = new Set(['departments', 'audit_log', 'api_tokens', 'sessions', 'login_failures']);

test(`nengli backup under writes, nengli restore into a new database: equal to the original at backup time (${ENGINE})`,
  { timeout: 300000 }, async () => {
    const orig = await newDatabase('orig');
    dbs.push(orig);
    const adminPassword = await initDatabase(orig.db);
    let srv = await startServer({ db: orig.db, logName: `backup-${ENGINE}.log` });
    const op = await operator(orig.db, srv.url, adminPassword, ['admin', 'quality']);

    // Some content beyond departments: an import of tickets and a few metrics.
    const csv = ['external_id,priority,opened_at,title'];
    for (let i = 0; i < 500; i++) csv.push(`BK-${i},P${1 + (i % 4)},2018-05-${String(1 + (i % 28)).padStart(2, '0')} 10:00,备份 ${i}`);
    let r = await op.req('POST', '/api/v1/imports?format=csv&source=backup-test', Buffer.from(csv.join('\n') + '\n'),
      { 'Content-Type': 'text/csv' });
    assert.equal(r.status, 201, `import: ${r.text}`);
    for (let m = 0; m < 3; m++) {
      r = await op.req('POST', '/api/v1/metrics', { year: 2018, code: `BK${m}`, name: `备份指标 ${m}`, element: 'process',
        definition: '定义', unit: 'ratio', direction: 'higher_better', target: 0.9, warning: 0.8, frequency: 'month', source: 'manual' });
      assert.equal(r.status, 201, `metric: ${r.text}`);
    }

    // Writers: department creations until told to stop; acknowledged codes with the moment of their answer.
    let stop = false;
    let n = 0;
    const acked = new Map();     // code → time of the 201
    const writer = async () => {
      while (!stop) {
        const code = `W${String(n++).padStart(5, '0')}`;
        const res = await op.req('POST', '/api/v1/departments', { code, name: `备份 ${code}`, name_en: code });
        assert.equal(res.status, 201, `department ${code}: ${res.text}`);
        acked.set(code, Date.now());
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    await sleep(300);

    const file1 = path.join(dir, ENGINE === 'sqlite' ? 'under-writes.db' : 'under-writes.dump');
    const t0 = Date.now();
    const ackedBefore = new Set(acked.keys());
    const b = await nengli(['backup', '-o', file1, '--db', orig.db]);
    const t1 = Date.now();
    assert.equal(b.code, 0, `nengli backup: ${b.out}${b.err}`);
    await sleep(200);
    stop = true;
    await Promise.all(writers);
    const during = [...acked.values()].filter((t) => t >= t0 && t <= t1).length;
    const afterBackup = [...acked.values()].filter((t) => t > t1).length;
    assert.ok(afterBackup > 0, 'writes went on after the backup started');
    srv.proc.kill('SIGTERM');
    assert.equal((await srv.exited).code, 0, 'the original server exits 0');

    // Restore into a new database: it refuses an existing one, then checks what it restored.
    const r1 = await newDatabase('rest1');
    dbs.push(r1);
    let res = await nengli(['restore', '-i', file1, '--db', r1.db]);
    assert.equal(res.code, 0, `nengli restore: ${res.out}${res.err}`);
    assert.match(res.out, /audit chain OK/);
    res = await nengli(['restore', '-i', file1, '--db', r1.db]);
    assert.equal(res.code, 1, 'a second restore into the same (now full) database is refused');
    assert.match(res.err, /--force/);

    const rep1 = await check(r1.db);
    const N = rep1.audit.last_id;
    const origRep = await check(orig.db, ['--audit-row', String(N)]);
    assert.equal(origRep.audit_row.hash, rep1.audit.last_hash,
      `the backup's last audit row ${N} is row ${N} of the original (same chain hash): the backup is the original at that moment`);
    assert.equal(rep1.tables.audit_log.rows, N, 'the restored audit log is rows 1..N');
    let compared = 0;
    for (const [t, d] of Object.entries(origRep.tables)) {
      if (MOVING.has(t)) continue;
      compared++;
      assert.deepEqual(rep1.tables[t], d, `table ${t}: same row count and checksum as the original`);
    }
    assert.deepEqual(Object.keys(rep1.tables).sort(), Object.keys(origRep.tables).sort(), 'the same tables');

    // The concurrently written departments: exactly those created by audit rows 1..N, all acknowledged before the backup.
    const created = await sql(orig.db, "SELECT d.code, a.id FROM departments d JOIN audit_log a ON a.entity = 'department'" +
      " AND a.action = 'create' AND a.entity_id = d.id WHERE d.code LIKE 'W%'");
    const expected = created.filter(([, id]) => Number(id) <= N).map(([code]) => code).sort();
    const restored = (await sql(r1.db, "SELECT code FROM departments WHERE code LIKE 'W%'")).map(([c]) => c).sort();
    assert.deepEqual(restored, expected, 'the restored departments are those of the original up to audit row N');
    const lost = [...ackedBefore].filter((c) => !restored.includes(c));
    assert.deepEqual(lost, [], 'every write acknowledged before the backup started is in it');

    // Quiesced: a second backup equals the original table by table, and a server runs on its restore.
    const file2 = path.join(dir, ENGINE === 'sqlite' ? 'quiet.db' : 'quiet.dump');
    res = await nengli(['backup', '-o', file2, '--db', orig.db]);
    assert.equal(res.code, 0, `second backup: ${res.err}`);
    const r2 = await newDatabase('rest2');
    dbs.push(r2);
    res = await nengli(['restore', '-i', file2, '--db', r2.db]);
    assert.equal(res.code, 0, `second restore: ${res.out}${res.err}`);
    const full = await check(orig.db);
    const rep2 = await check(r2.db);
    assert.deepEqual(rep2.tables, full.tables, 'every table: same row count and checksum of every record');
    assert.deepEqual(rep2.audit, full.audit, 'the same audit chain, verified');
    const rows = Object.values(full.tables).reduce((s, x) => s + x.rows, 0);

    srv = await startServer({ db: r2.db, logName: `backup-${ENGINE}.log` });
    const list = await op.req('GET', '/api/v1/departments?limit=500', undefined, {}, 60000, srv.url);
    assert.equal(list.status, 200, `the restored database serves: ${list.text}`);
    r = await op.req('POST', '/api/v1/departments', { code: 'AFTERRESTORE', name: '恢复后', name_en: 'after restore' }, {}, 60000, srv.url);
    assert.equal(r.status, 201, `a write on the restored database: ${r.text}`);
    srv.proc.kill('SIGTERM');
    assert.equal((await srv.exited).code, 0);
    await check(r2.db);

    console.log(`# backup/restore (${ENGINE}): backup under ${WRITERS} writers took ${t1 - t0} ms (${during} writes ` +
      `acknowledged during it, ${afterBackup} after); restored: audit rows 1..${N} equal to the original's, ` +
      `${restored.length} of ${created.length} concurrent departments (exactly those up to row ${N}), ` +
      `${compared} other tables equal; quiesced backup: ` +
      `${Object.keys(full.tables).length} tables, ${rows} rows, counts and checksums all equal, audit chain verified`);
  });
