// Limits and hostile input (issue 9 item 5), the cases no other file covers: oversized request headers and URLs,
// slow clients (slowloris: headers sent a byte at a time), path traversal on the static files, JSON nested too deep,
// an import line longer than the limit, multipart bodies (no route takes them), and formula injection in the
// exported spreadsheets. Each refusal has its documented status (docs/security.md, "Limits"), the server stays up,
// and a read-back proves nothing was written. (Body size, string lengths, page size, the upload limit and bad JSON are
// in validation.test.mjs, pagination.test.mjs and records_import.test.mjs.)
// NENGLI_TEST_SLOW=1 (set by `make test-valgrind`) gives the timing-sensitive slowloris test more time: under valgrind
// the server is 20–50 times slower.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BASE_URL, SLOW, admin, login, createUser, createDepartment, createToken, bearer, request, listAll, startServer, sleep,
  expectStatus, expectError, describe, uniq,
} from './lib.mjs';

const { hostname: HOST, port: PORT } = new URL(BASE_URL);
const TMP = mkdtempSync(path.join(tmpdir(), 'nengli-hostile-'));

let adm;
let token;        // the admin's API token (Bearer: raw requests need no CSRF header)
let planner;      // a planner (work items) and quality (imports), cookie sessions
let quality;
let dept;

before(async () => {
  adm = await admin();
  token = (await createToken(adm)).token;
  dept = await createDepartment(adm);
  const p = await createUser(adm, { roles: ['planner'], department_id: dept.id });
  planner = await login(p.username, p.password);
  const q = await createUser(adm, { roles: ['quality'], department_id: dept.id });
  quality = await login(q.username, q.password);
});

after(() => rmSync(TMP, { recursive: true, force: true }));

/**
 * raw(bytes, {port, timeout}): sends bytes on a new connection and reads until the server closes or `timeout` ms
 * pass. Returns {status, head, body, closed, error}: status null when no HTTP answer came.
 */
function raw(bytes, { port = PORT, timeout = 10000 } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let error = null;
    const s = net.connect({ host: HOST, port: Number(port) });
    const timer = setTimeout(() => { s.destroy(); finish(false); }, timeout);
    let done = false;
    function finish(closed) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const buf = Buffer.concat(chunks);
      const text = buf.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const i = text.indexOf('\r\n\r\n');
      resolve({ status: m ? Number(m[1]) : null, head: i >= 0 ? text.slice(0, i) : text, body: i >= 0 ? buf.subarray(i + 4) : Buffer.alloc(0),
        closed, error });
    }
    s.on('connect', () => s.write(bytes));
    s.on('data', (d) => chunks.push(d));
    s.on('error', (e) => { error = e.code || e.message; });
    s.on('close', () => finish(true));
  });
}

async function departmentCodes() {
  return new Set((await listAll(adm, '/api/v1/departments')).map((d) => d.code));
}
const newCode = () => uniq('H').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
/** A complete POST /api/v1/departments with a Bearer token; extra header lines and the target can be changed. */
function deptPost(code, { extraHeaders = '', target = '/api/v1/departments' } = {}) {
  const body = JSON.stringify({ code, name: `敌意输入 ${code}`, name_en: `hostile ${code}` });
  return `POST ${target} HTTP/1.1\r\nHost: ${HOST}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extraHeaders}\r\n${body}`;
}

async function expectAlive() {
  expectStatus(await request('GET', '/healthz'), 200);
}

test('request headers: 16 KiB are served; one 100 KiB header or 5000 headers → 431; a 100 KiB URL → 414; nothing written', async () => {
  // the baseline: the same raw request is accepted, so a refusal below is about the size only
  const okCode = newCode();
  const ok = await raw(deptPost(okCode, { extraHeaders: `X-Padding: ${'p'.repeat(16 * 1024)}\r\n` }));
  assert.equal(ok.status, 201, `a 16 KiB header is within the limit: ${ok.head}\n${ok.body.toString().slice(0, 300)}`);

  const codes = [newCode(), newCode(), newCode()];
  const big = await raw(deptPost(codes[0], { extraHeaders: `X-Padding: ${'p'.repeat(100 * 1024)}\r\n` }));
  assert.equal(big.status, 431, `one 100 KiB header → 431: ${big.head}`);
  let many = '';
  for (let i = 0; i < 5000; i++) many += `X-H${i}: v\r\n`;
  const lots = await raw(deptPost(codes[1], { extraHeaders: many }));
  assert.equal(lots.status, 431, `5000 headers → 431: ${lots.head}`);
  const url = await raw(deptPost(codes[2], { target: `/api/v1/departments?pad=${'u'.repeat(100 * 1024)}` }));
  assert.equal(url.status, 414, `a 100 KiB request line → 414: ${url.head}`);
  for (const r of [big, lots, url]) assert.ok(r.closed, 'the connection is closed after the refusal');

  await expectAlive();
  const now = await departmentCodes();
  assert.ok(now.has(okCode), 'the accepted request wrote its department');
  for (const c of codes) assert.ok(!now.has(c), `refused request wrote nothing (${c})`);
});

test('slow clients: headers sent a byte at a time are cut off after connection-timeout; others are served meanwhile', async (t) => {
  const timeout = SLOW ? 6 : 2;
  const srv = await startServer({ logName: 'hostile-slow-server.log', extraEnv: { NENGLI_CONNECTION_TIMEOUT: String(timeout) } });
  t.after(() => srv.proc.kill('SIGTERM'));
  const code = newCode();
  const req = deptPost(code);
  const headerEnd = req.indexOf('\r\n\r\n');
  // a byte every 400 ms: never idle for the idle timeout, so only the header deadline can stop it
  const started = Date.now();
  const trickle = new Promise((resolve) => {
    const s = net.connect({ host: HOST, port: srv.port });
    let i = 0;
    let timer = null;
    let answered = '';
    const stop = (how) => { clearInterval(timer); s.destroy(); resolve({ how, sent: i, ms: Date.now() - started, answered }); };
    s.on('connect', () => {
      timer = setInterval(() => {
        if (i >= headerEnd) return stop('sent every header byte: not cut off');
        s.write(req[i++], (err) => { if (err) stop('write failed'); });
      }, 400);
    });
    s.on('data', (d) => { answered += d.toString('latin1'); });
    s.on('error', () => stop('reset'));
    s.on('end', () => stop('closed'));
    setTimeout(() => stop('test limit'), (timeout + 20) * 1000);
  });
  // meanwhile, other clients are served: one that sends half its headers and stops, and a normal request
  await sleep(1000);
  const idle = net.connect({ host: HOST, port: srv.port });
  const idleClosed = new Promise((r) => { idle.on('close', () => r(Date.now())); idle.on('error', () => {}); });
  idle.on('connect', () => idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
  // a new connection each time (raw): fetch would reuse a pooled keep-alive connection that the server, rightly, closed
  // after `timeout` s without a next request
  const healthz = () => raw(`GET /healthz HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`, { port: srv.port });
  const t0 = Date.now();
  const res = await healthz();
  assert.equal(res.status, 200, 'another client is served while slow ones hold connections');
  assert.ok(Date.now() - t0 < (SLOW ? 10000 : 1500), `served promptly (${Date.now() - t0} ms)`);

  const result = await trickle;
  assert.ok(['closed', 'reset', 'write failed'].includes(result.how), `the slow client was disconnected (${JSON.stringify(result)})`);
  assert.ok(result.ms >= timeout * 1000 - 500, `not before the timeout (${result.ms} ms)`);
  assert.ok(result.ms <= (timeout + (SLOW ? 10 : 3)) * 1000, `soon after the ${timeout} s timeout (${result.ms} ms)`);
  assert.ok(result.sent < headerEnd, `cut off before the headers were complete (${result.sent}/${headerEnd} bytes)`);
  assert.equal(result.answered, '', 'no answer to an incomplete request');
  const closedAt = await idleClosed;
  assert.ok(closedAt - t0 <= (timeout + (SLOW ? 10 : 3)) * 1000, `the idle client was closed too (${closedAt - t0} ms)`);

  assert.equal((await healthz()).status, 200, 'the server still answers');
  assert.ok(!(await departmentCodes()).has(code), 'the slow request wrote nothing');
});

test('static files: .., %2e%2e, encoded slashes, backslashes and NUL never leave the embedded UI', async () => {
  const index = await request('GET', '/');
  expectStatus(index, 200);
  const targets = [
    '/../../../../etc/passwd', '/assets/../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/assets/..%2f..%2f..%2fetc%2fpasswd', '/assets/%2e%2e%2fmeson.build', '/..%5c..%5cetc%5cpasswd', '/assets\\..\\..\\etc\\passwd',
    '/index.html%00.png', '/%00/etc/passwd', '/etc/passwd%00', '/.git/config', '/../src/main.c', '/assets/%252e%252e%252fmeson.build',
  ];
  for (const target of targets) {
    const r = await raw(`GET ${target} HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`);
    const body = r.body.toString('latin1');
    const what = `GET ${target} → ${r.head.split('\r\n')[0]}\n${body.slice(0, 200)}`;
    assert.ok(r.status !== null && r.status < 500, `an HTTP answer below 500: ${what}`);
    assert.ok(!/root:.*:0:0:/.test(body) && !/\[core\]/.test(body) && !/project\('nengli'/.test(body) && !/#include/.test(body),
      `no file from outside the embedded UI: ${what}`);
    if (r.status === 200) {
      // only the SPA's own page may come back (a client-side route), never another file
      assert.match(r.head, /content-type: text\/html/i, what);
      assert.equal(Buffer.compare(r.body, Buffer.from(index.text, 'utf8')), 0, `200 only with index.html: ${what}`);
    } else {
      assert.ok([400, 404].includes(r.status), `400 or 404: ${what}`);
    }
  }
  await expectAlive();
});

test('JSON nested 30 000 deep (within the 64 KiB body limit) → 400 invalid_json, nothing written, the server stays up', async () => {
  const code = newCode();
  const deep = `{"code":"${code}","name":"深","name_en":"deep","x":${'['.repeat(30000)}${']'.repeat(30000)}}`;
  const res = await adm.req('POST', '/api/v1/departments', { body: deep, headers: { 'Content-Type': 'application/json' } });
  expectError(res, 400, 'invalid_json');
  await expectAlive();
  assert.ok(!(await departmentCodes()).has(code), 'nothing written');
});

test('an import line longer than 1 MiB → the import fails naming the line, nothing imported', async () => {
  const source = uniq('hostile').replace(/[^a-z0-9-]/g, '');
  const csv = `external_id,priority,opened_at,title\nL1,P1,2027-03-01 09:00,ok\nL2,P1,2027-03-01 09:00,${'长'.repeat(400 * 1024)}\nL3,P2,2027-03-01 10:00,ok\n`;
  assert.ok(Buffer.byteLength(csv) > 1024 * 1024);
  const res = await quality.req('POST', `/api/v1/imports?format=csv&source=${source}`,
    { body: Buffer.from(csv), headers: { 'Content-Type': 'text/csv' }, timeout: 60000 });
  const rep = expectStatus(res, 201);
  assert.equal(rep.status, 'failed', describe(res));
  assert.deepEqual(rep.rejected.map((x) => x.line), [3], describe(res));
  assert.match(rep.rejected[0].reason, /long/i, describe(res));
  assert.deepEqual([rep.inserted, rep.updated], [0, 0]);
  const tickets = await listAll(adm, `/api/v1/tickets?source=${encodeURIComponent(source)}`);
  assert.equal(tickets.length, 0, 'nothing imported');
});

test('multipart bodies: no route takes them — 415 on JSON routes (also malformed or 2 MiB ones: 413), 422 as an import file', async () => {
  const code = newCode();
  const boundary = '----nengli' + uniq('b');
  const part = (name, value) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const form = part('code', code) + part('name', '表单') + part('name_en', 'form') + `--${boundary}--\r\n`;
  const mp = (b) => ({ 'Content-Type': `multipart/form-data; boundary=${b}` });
  expectError(await adm.req('POST', '/api/v1/departments', { body: form, headers: mp(boundary) }), 415, 'unsupported_media_type');
  // malformed: no boundary parameter, a boundary that never appears, a truncated part
  expectError(await adm.req('POST', '/api/v1/departments', { body: form, headers: { 'Content-Type': 'multipart/form-data' } }),
    415, 'unsupported_media_type');
  expectError(await adm.req('POST', '/api/v1/departments', { body: `--x\r\nContent-Disposition: form-data; name="code"\r\n\r\n${code}`,
    headers: mp('nope') }), 415, 'unsupported_media_type');
  // oversized: the body limit comes first
  const huge = part('code', code) + part('pad', 'x'.repeat(2 * 1024 * 1024)) + `--${boundary}--\r\n`;
  expectError(await adm.req('POST', '/api/v1/departments', { body: huge, headers: mp(boundary) }), 413, 'payload_too_large');
  // a raw-body route reads the bytes as the file: a form is not a ticket file
  const source = uniq('mp').replace(/[^a-z0-9-]/g, '');
  expectError(await quality.req('POST', `/api/v1/imports?format=csv&source=${source}`, { body: form, headers: mp(boundary) }),
    422, 'validation_failed', 'file');
  await expectAlive();
  assert.ok(!(await departmentCodes()).has(code), 'nothing written');
  assert.equal((await listAll(adm, `/api/v1/tickets?source=${encodeURIComponent(source)}`)).length, 0, 'nothing imported');
});

test('exports: text cells starting with = + - @ (or a tab/CR) are neutralised in XLSX — stored as text with a leading apostrophe', async (t) => {
  if (spawnSync('sh', ['-c', 'command -v unzip'], { encoding: 'utf8' }).status !== 0) {
    t.skip('unzip is not installed');
    return;
  }
  const Y = 2030;      // no other test file uses 2030; the work items are this file's own (unique titles)
  const tag = uniq('f').replace(/[^a-z0-9]/g, '');
  const hostile = [`=HYPERLINK("http://evil.example/${tag}","x")`, `+1+cmd|'/C calc'!A0${tag}`, `-2+3${tag}`, `@SUM(1+1)${tag}`,
    `\t=1+1${tag}`];
  for (const title of hostile) {
    const res = await planner.post('/api/v1/tasks', { year: Y, department_id: dept.id, title, planned_start: `${Y}-01-01`,
      planned_end: `${Y}-12-31` });
    expectStatus(res, 201);
  }
  const res = await fetch(`${BASE_URL}/api/v1/exports/tracking?year=${Y}&format=xlsx&lang=en`,
    { headers: { Authorization: `Bearer ${token}` } });
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200, `tracking export: ${buf.toString().slice(0, 300)}`);
  const file = path.join(TMP, 'tracking.xlsx');
  writeFileSync(file, buf);
  const list = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  let xml = '';
  for (const part of list.stdout.split('\n').filter((p) => /^xl\/(sharedStrings|worksheets\/sheet\d+)\.xml$/.test(p))) {
    xml += spawnSync('unzip', ['-p', file, part], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  }
  const unxml = (s) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const texts = [...xml.matchAll(/<t(?: [^>]*)?>([^<]*)<\/t>/g)].map((m) => unxml(m[1]));
  const formulas = [...xml.matchAll(/<f(?: [^>]*)?>([^<]*)<\/f>/g)].map((m) => unxml(m[1]));
  for (const title of hostile) {
    const cell = texts.find((s) => s.includes(tag) && s.replace(/^'/, '').trim() === title.trim());
    assert.ok(cell !== undefined, `the title ${JSON.stringify(title)} is in the workbook as text: ${JSON.stringify(texts.filter((s) => s.includes(tag)))}`);
    assert.ok(cell.startsWith("'"), `neutralised with a leading apostrophe: ${JSON.stringify(cell)}`);
    assert.ok(!formulas.some((f) => f.includes(tag)), `no formula carries user text: ${JSON.stringify(formulas.filter((f) => f.includes(tag)))}`);
  }
});
