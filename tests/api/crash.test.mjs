// SIGKILL safety: a second server on the same database is killed in the middle of a burst of writes; every write it
// acknowledged (201) must be there afterwards, with the acknowledged id, nothing twice, and the audit chain must verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { admin, createToken, env, listAll, sleep, startServer, uniq } from './lib.mjs';

const BURST = 200;                // concurrent creations, each on its own connection
const KILL_AFTER_ACKS = 20;       // SIGKILL as soon as this many creations were acknowledged
const MAX_BURSTS = 3;             // a loaded client may react too late to land the kill mid-burst: try again

/**
 * burst(token, prefix): start a second server, pause it, queue BURST creations, resume it and SIGKILL it once
 * KILL_AFTER_ACKS were acknowledged. Queuing while paused makes the server busy with the whole burst when it resumes,
 * so the kill lands in the middle (a client alone cannot outpace the server on loopback).
 * Returns {acked: Map code → id, cutOff, otherStatus, exit}.
 */
async function burst(token, prefix) {
  const srv = await startServer({ logName: 'crash-server.log' });
  const acked = new Map();
  const otherStatus = [];         // HTTP answers other than 201 (a server error under load)
  let cutOff = 0;                 // no answer: the kill hit them
  let killed = false;
  const kill = () => {
    if (!killed) { killed = true; srv.proc.kill('SIGCONT'); srv.proc.kill('SIGKILL'); }
  };
  const create = async (code) => {
    try {
      const res = await fetch(`${srv.url}/api/v1/departments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ code, name: `崩溃测试 ${code}`, name_en: `crash ${code}` }),
        signal: AbortSignal.timeout(30000),
      });
      const text = await res.text();
      if (res.status === 201) {
        acked.set(code, JSON.parse(text).id);
        if (acked.size >= KILL_AFTER_ACKS) kill();
      } else {
        otherStatus.push(`${code}: ${res.status} ${text}`);
      }
    } catch {
      cutOff++;                   // connection reset by the killed server
    }
  };
  const safety = setTimeout(kill, 20000);
  let exit;
  try {
    srv.proc.kill('SIGSTOP');
    const all = Promise.all(Array.from({ length: BURST }, (_, i) => create(`${prefix}${String(i).padStart(3, '0')}`)));
    await sleep(500);
    srv.proc.kill('SIGCONT');
    await all;
  } finally {
    clearTimeout(safety);
    kill();
    exit = await srv.exited;
  }
  return { acked, cutOff, otherStatus, exit };
}

test(`SIGKILL in the middle of a burst of ${BURST} concurrent department creations loses no acknowledged write`,
  { timeout: 180000 }, async () => {
    const a = await admin();
    const { token } = await createToken(a);
    const run = uniq('k').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 10);
    const acked = new Map();      // code → id, over all bursts
    let cutOff = 0;
    for (let n = 1; n <= MAX_BURSTS && cutOff === 0; n++) {
      const b = await burst(token, `${run}${n}`);
      console.log(`# burst ${n}: ${BURST} sent, ${b.acked.size} acknowledged, ${b.cutOff} cut off by SIGKILL, ` +
        `${b.otherStatus.length} other answers; exit ${JSON.stringify(b.exit)}`);
      assert.equal(b.exit.signal, 'SIGKILL', 'the second server died by SIGKILL');
      assert.deepEqual(b.otherStatus, [], 'every answered creation was 201');
      assert.ok(b.acked.size >= KILL_AFTER_ACKS, `at least ${KILL_AFTER_ACKS} creations acknowledged (${b.acked.size})`);
      for (const [code, id] of b.acked) acked.set(code, id);
      cutOff += b.cutOff;
    }
    assert.ok(cutOff > 0, `in one of ${MAX_BURSTS} bursts the kill hit requests in flight (test harness check)`);

    // The main server sees every acknowledged creation, with the acknowledged id, exactly once.
    const all = await listAll(a, '/api/v1/departments');
    const byCode = new Map();
    for (const d of all.filter((x) => x.code.startsWith(run))) {
      assert.ok(!byCode.has(d.code), `department ${d.code} listed twice`);
      byCode.set(d.code, d.id);
    }
    const unanswered = [...byCode.keys()].filter((c) => !acked.has(c)).length;
    console.log(`# after the crash: ${byCode.size} of the bursts' departments exist (${unanswered} committed without an answer)`);
    const missing = [...acked.keys()].filter((c) => !byCode.has(c));
    assert.deepEqual(missing, [], `acknowledged but missing after SIGKILL: ${missing.length} of ${acked.size}`);
    for (const [code, id] of acked) assert.equal(byCode.get(code), id, `department ${code} has the acknowledged id`);

    // The audit chain survived the crash.
    const { code, out } = await new Promise((resolve) => {
      execFile(env('NENGLI_BIN'), ['audit', 'verify', '--db', env('NENGLI_DB')], { timeout: 60000 }, (err, so, se) =>
        resolve({ code: err ? (err.code ?? err.signal) : 0, out: so + se }));
    });
    assert.equal(code, 0, `nengli audit verify after the crash exits 0:\n${out}`);

    // The main server still writes normally afterwards.
    const after = await a.post('/api/v1/departments', { code: `${run}OK`, name: '崩溃后', name_en: 'after crash' });
    assert.equal(after.status, 201, `a write after the crash: ${after.status} ${after.text}`);
  });
