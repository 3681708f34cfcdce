// Keep-alive under load: 256 concurrent keep-alive connections. Catches the libmicrohttpd epoll stall at 128 ready
// sockets (STACK-NOTES.md): when ≥ 128 sockets are ready at once, the next wait blocks for a whole timeout.
// The first test is ordinary traffic; the second makes the burst certain: the server is paused (SIGSTOP) while 256
// requests are queued on open connections, then resumed, as happens when a busy server gets a burst.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { BASE_URL, admin, createToken, startServer, sleep } from './lib.mjs';

const CONNECTIONS = 256;

/** get(agent, url, token, timeoutMs): one GET; resolves {status, body, ms, socket, connection} or {status: 0, error}. */
function get(agent, url, token, timeoutMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    const req = http.get(url, { agent, headers: { Authorization: `Bearer ${token}` }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body, ms: Date.now() - started, socket: req.socket,
        connection: res.headers.connection }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ status: 0, error: err.message, ms: Date.now() - started }));
  });
}

function summarise(results, elapsed, sockets) {
  const bad = results.filter((r) => r.status !== 200);
  const slowest = results.reduce((m, r) => Math.max(m, r.ms), 0);
  return { bad, text: `${results.length} requests in ${elapsed} ms over ${sockets} connections, slowest ${slowest} ms, ` +
    `${bad.length} not 200${bad.length ? ` (first: ${bad[0].status} ${bad[0].error || bad[0].body})` : ''}` };
}

test(`${CONNECTIONS} concurrent keep-alive connections × 4 sequential GET /api/v1/me: all 200 within 15 s, connections reused`,
  { timeout: 120000 }, async () => {
    const PER_CONNECTION = 4;
    const a = await admin();
    const { token } = await createToken(a);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
    const url = `${BASE_URL}/api/v1/me`;
    const results = [];
    const sockets = new Set();
    const t0 = Date.now();
    try {
      await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
        for (let i = 0; i < PER_CONNECTION; i++) {
          const r = await get(agent, url, token, 20000);
          if (r.socket) sockets.add(r.socket);
          results.push(r);
        }
      }));
    } finally {
      agent.destroy();
    }
    const elapsed = Date.now() - t0;
    const { bad, text } = summarise(results, elapsed, sockets.size);
    console.log(`# ${text}`);
    assert.equal(results.length, CONNECTIONS * PER_CONNECTION);
    assert.equal(bad.length, 0, `every request answered 200: ${text}`);
    assert.ok(elapsed < 15000, `finished within 15 s (normal: well under 1 s): ${text}`);
    // Keep-alive kept: 1024 requests need about 256 connections, not one per request.
    const closes = results.filter((r) => String(r.connection).toLowerCase() === 'close').length;
    assert.equal(closes, 0, `no response says Connection: close: ${closes} did`);
    assert.ok(sockets.size <= CONNECTIONS + 8, `connections reused (${sockets.size} connections for ${results.length} requests)`);
  });

test(`a burst of ${CONNECTIONS} requests arriving at once on open keep-alive connections is answered within 2 s (3 rounds)`,
  { timeout: 120000 }, async () => {
    const a = await admin();
    const { token } = await createToken(a);
    const srv = await startServer({ logName: 'load-server.log' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
    const url = `${srv.url}/api/v1/me`;
    const burst = () => Promise.all(Array.from({ length: CONNECTIONS }, () => get(agent, url, token, 5000)));
    let stopped = false;
    let exit;
    try {
      const warm = await burst();                    // opens the 256 connections
      const w = summarise(warm, 0, CONNECTIONS);
      assert.equal(w.bad.length, 0, `opening ${CONNECTIONS} connections: ${w.text}`);
      for (let round = 1; round <= 3; round++) {
        srv.proc.kill('SIGSTOP');
        stopped = true;
        const t0 = Date.now();
        const pending = burst();
        await sleep(200);                            // every request is now waiting in the server's socket buffers
        srv.proc.kill('SIGCONT');
        stopped = false;
        const resumed = Date.now();
        const results = await pending;
        const afterResume = Date.now() - resumed;
        const { bad, text } = summarise(results, Date.now() - t0, CONNECTIONS);
        console.log(`# round ${round}: ${text}; ${afterResume} ms after the resume`);
        assert.equal(bad.length, 0, `round ${round}: every request of the burst answered 200: ${text}`);
        assert.ok(afterResume < 2000, `round ${round}: the burst was answered within 2 s of the resume (normal: ~50 ms): ${text}`);
      }
    } finally {
      if (stopped) srv.proc.kill('SIGCONT');
      agent.destroy();
      srv.proc.kill('SIGTERM');
      const killer = setTimeout(() => srv.proc.kill('SIGKILL'), 10000);
      exit = await srv.exited;
      clearTimeout(killer);
    }
    assert.deepEqual(exit, { code: 0, signal: null }, 'the second server exits 0 on SIGTERM within 10 s');
  });
