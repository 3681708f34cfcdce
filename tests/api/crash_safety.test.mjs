// Crash safety (issue 9.2): `nengli serve` is SIGKILLed at random moments (a) during a large import, (b) during a
// burst of concurrent writes, (c) while a period is being closed — at least 20 kills per engine, on a database of the
// test's own. After each kill: the server starts again on it (the database opens), `nengli check` passes
// (SQLite's integrity_check, the audit chain), each import is fully present or fully absent with a consistent
// imports row, every acknowledged write is present, and a period is closed entirely (closed_periods row, every value
// reviewed, its audit row) or not at all. The figures are printed at the end (RELIABILITY.md "Crash safety").
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, startServer } from './lib.mjs';
import { ENGINE, check, initDatabase, newDatabase, operator, sql } from './dblib.mjs';

const KILLS = Math.max(20, Number(process.env.NENGLI_CRASH_KILLS) || 21);
const IMPORT_ROWS = 2000;
const BURST = 60;
const METRICS = 4;             // values closed together by one close (metrics per year)

const fig = { kills: 0, restarts: 0, checks: 0, imports: { present: 0, absent: 0, acked: 0 },
  bursts: { sent: 0, acked: 0, present: 0, extra: 0, refused: 0 }, closes: { closed: 0, open: 0, acked: 0 },
  ms: { start: 0, check: 0, verify: 0 } };
let dbh;
after(async () => { if (dbh) await dbh.drop(); });

const rand = (max) => Math.floor(Math.random() * max);

/** The CSV of one import: IMPORT_ROWS tickets whose external ids start with prefix. */
function importCsv(prefix) {
  const lines = ['external_id,priority,opened_at,title'];
  for (let i = 0; i < IMPORT_ROWS; i++) lines.push(`${prefix}-${i},P${1 + (i % 4)},2019-0${1 + (i % 9)}-1${i % 10} 09:00,崩溃导入 ${i}`);
  return Buffer.from(lines.join('\n') + '\n');
}

/** kill(srv): SIGKILL (after SIGCONT if stopped); waits for the exit and counts it. */
async function kill(srv) {
  srv.proc.kill('SIGCONT');
  srv.proc.kill('SIGKILL');
  const ex = await srv.exited;
  assert.equal(ex.signal, 'SIGKILL', 'the server died by SIGKILL');
  fig.kills++;
}

test(`${KILLS} SIGKILLs of nengli serve during imports, write bursts and period closes lose nothing acknowledged (${ENGINE})`,
  { timeout: 600000 }, async () => {
    dbh = await newDatabase('crash');
    const db = dbh.db;
    const adminPassword = await initDatabase(db);
    const logName = `crash-safety-${ENGINE}.log`;

    // Preparation on a first server: an operator (admin + quality); the metrics of a year are created when its first
    // month is closed (METRICS monthly metrics per year, 12 closes per year).
    let srv = await startServer({ db, logName });
    const op = await operator(db, srv.url, adminPassword, ['admin', 'quality']);
    const metricsOf = new Map();     // year → metric ids
    const metricIds = async (client, year) => {
      if (!metricsOf.has(year)) {
        const ids = [];
        for (let m = 0; m < METRICS; m++) {
          const r = await client.req('POST', '/api/v1/metrics', { year, code: `CRASH${m}`, name: `崩溃指标 ${m}`, element: 'process',
            definition: '定义', unit: 'ratio', direction: 'higher_better', target: 0.9, warning: 0.8, frequency: 'month', source: 'manual' });
          assert.equal(r.status, 201, `metric: ${r.text}`);
          ids.push(r.json.id);
        }
        metricsOf.set(year, ids);
      }
      return metricsOf.get(year);
    };
    await kill(srv);   // the first kill: an idle server
    await check(db);
    fig.checks++;

    let importMs = 800;          // how long an import takes, measured when one completes before the kill
    let closeN = 0;
    for (let i = 0; i < KILLS - 1; i++) {
      const kind = ['import', 'burst', 'close'][i % 3];
      let t = Date.now();
      srv = await startServer({ db, logName });
      fig.restarts++;
      fig.ms.start += Date.now() - t;
      const client = clientFor(op, srv.url);

      if (kind === 'import') {
        const prefix = `CR${i}X${rand(1e6)}`;
        const source = `crash-${i}-${rand(1e6)}`;
        const t0 = Date.now();
        const p = client.req('POST', `/api/v1/imports?format=csv&source=${source}`, importCsv(prefix), { 'Content-Type': 'text/csv' })
          .then((r) => { if (r.status === 201) importMs = Date.now() - t0; return r; }, () => null);
        await sleep(rand(Math.round(importMs * 1.3)));
        await kill(srv);
        const res = await p;
        const acked = res && res.status === 201;
        if (res && res.status && res.status !== 201) assert.fail(`import answered ${res.status} ${res.text}`);
        t = Date.now();
        await check(db);
        fig.checks++;
        fig.ms.check += Date.now() - t;
        const [[n]] = await sql(db, `SELECT count(*) FROM tickets WHERE external_id LIKE '${prefix}-%'`);
        const rows = await sql(db, `SELECT status, inserted FROM imports WHERE source = '${source}'`);
        assert.ok(Number(n) === 0 || Number(n) === IMPORT_ROWS, `import ${source}: all ${IMPORT_ROWS} rows or none, found ${n}`);
        if (Number(n) === IMPORT_ROWS) {
          assert.deepEqual(rows, [['done', String(IMPORT_ROWS)]], `import ${source}: one imports row, done, ${IMPORT_ROWS} inserted`);
          fig.imports.present++;
        } else {
          assert.deepEqual(rows, [], `import ${source}: no imports row for an import that left no ticket`);
          assert.ok(!acked, `import ${source} was acknowledged (201) but is absent`);
          fig.imports.absent++;
        }
        if (acked) fig.imports.acked++;
      } else if (kind === 'burst') {
        const prefix = `B${i}X${rand(1e6)}`;
        const acked = new Set();
        srv.proc.kill('SIGSTOP');            // queue the whole burst, then let the server run into it
        const all = Promise.all(Array.from({ length: BURST }, (_, k) => {
          const code = `${prefix}${String(k).padStart(3, '0')}`;
          return client.req('POST', '/api/v1/departments', { code, name: `崩溃 ${code}`, name_en: `crash ${code}` })
            .then((r) => {
              if (r.status === 201) acked.add(code);
              else if (r.status === 503 || r.status === 429) fig.bursts.refused++;   // a busy server may refuse: not acknowledged
              else assert.fail(`department ${code}: ${r.status} ${r.text}`);
            }, () => {});
        }));
        await sleep(100);
        srv.proc.kill('SIGCONT');
        await sleep(rand(250));
        await kill(srv);
        await all;
        t = Date.now();
        await check(db);
        fig.checks++;
        fig.ms.check += Date.now() - t;
        const present = new Set((await sql(db, `SELECT code FROM departments WHERE code LIKE '${prefix}%'`)).map((r) => r[0]));
        const missing = [...acked].filter((x) => !present.has(x));
        assert.deepEqual(missing, [], `acknowledged departments missing after SIGKILL (${missing.length} of ${acked.size})`);
        const [[audited]] = await sql(db, `SELECT count(*) FROM audit_log a JOIN departments d ON d.id = a.entity_id ` +
          `WHERE a.entity = 'department' AND a.action = 'create' AND d.code LIKE '${prefix}%'`);
        assert.equal(Number(audited), present.size, 'each department present has its audit row');
        fig.bursts.sent += BURST;
        fig.bursts.acked += acked.size;
        fig.bursts.present += present.size;
        fig.bursts.extra += present.size - acked.size;
      } else {
        // the next month from January 2001: values for every metric, then the close, killed at a random moment
        closeN++;
        const year = 2001 + Math.floor((closeN - 1) / 12);
        const period = `${year}-${String(1 + ((closeN - 1) % 12)).padStart(2, '0')}`;
        for (const id of await metricIds(client, year)) {
          const r = await client.req('PUT', `/api/v1/metrics/${id}/values/${period}`, { actual: 0.95, note: '崩溃测试' });
          assert.equal(r.status, 200, `value ${period}: ${r.text}`);
        }
        const p = client.req('POST', '/api/v1/achievement/close', { period }).then((r) => r, () => null);
        await sleep(rand(15));
        await kill(srv);
        const res = await p;
        const acked = res && res.status === 200;
        if (res && res.status && res.status !== 200) assert.fail(`close answered ${res.status} ${res.text}`);
        t = Date.now();
        await check(db);
        fig.checks++;
        fig.ms.check += Date.now() - t;
        const closed = (await sql(db, `SELECT count(*) FROM closed_periods WHERE period = '${period}'`))[0][0] === '1';
        const [[unreviewed]] = await sql(db, `SELECT count(*) FROM metric_values WHERE period = '${period}' AND reviewed_by IS NULL`);
        const [[audits]] = await sql(db, `SELECT count(*) FROM audit_log WHERE action = 'close' AND entity = 'closed_period' ` +
          `AND after_json LIKE '%"${period}"%'`);
        if (closed) {
          assert.equal(Number(unreviewed), 0, `${period} closed: every value reviewed`);
          assert.equal(Number(audits), 1, `${period} closed: one audit row`);
          fig.closes.closed++;
        } else {
          assert.equal(Number(unreviewed), METRICS, `${period} open: no value reviewed by a half-done close`);
          assert.equal(Number(audits), 0, `${period} open: no audit row`);
          assert.ok(!acked, `${period}: the close was acknowledged but is not there`);
          fig.closes.open++;
        }
        if (acked) fig.closes.acked++;
      }
    }

    // The database still serves normally after the last kill.
    srv = await startServer({ db, logName });
    fig.restarts++;
    const client = clientFor(op, srv.url);
    const r = await client.req('POST', '/api/v1/departments', { code: `AFTER${rand(1e6)}`, name: '崩溃之后', name_en: 'after' });
    assert.equal(r.status, 201, `a write after ${fig.kills} kills: ${r.text}`);
    srv.proc.kill('SIGTERM');
    const ex = await srv.exited;
    assert.equal(ex.code, 0, 'the last server exits 0 on SIGTERM');
    await check(db);
    fig.checks++;

    console.log(`# time: ${fig.ms.start} ms starting servers, ${fig.ms.check} ms in nengli check`);
    console.log(`# crash safety (${ENGINE}): ${fig.kills} SIGKILLs survived, ${fig.restarts} restarts, ${fig.checks} checks ` +
      `(integrity_check + audit chain) passed; imports of ${IMPORT_ROWS} rows: ${fig.imports.present} fully present ` +
      `(${fig.imports.acked} acknowledged), ${fig.imports.absent} fully absent; bursts: ${fig.bursts.sent} writes sent, ` +
      `${fig.bursts.acked} acknowledged, all present (${fig.bursts.extra} more committed without an answer, ` +
      `${fig.bursts.refused} refused as busy); closes: ` +
      `${fig.closes.closed} closed entirely (${fig.closes.acked} acknowledged), ${fig.closes.open} left open entirely`);
    assert.ok(fig.kills >= 20, `at least 20 kills (${fig.kills})`);
  });

/** clientFor(op, url): the operator's token against another server (the URL changes with each restart). */
function clientFor(op, url) {
  return { req: (m, p, b, h) => op.req(m, p, b, h, 60000, url) };
}
