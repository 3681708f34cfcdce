// Unauthenticated endpoints: /healthz, /metrics, /api/openapi.json; request ids; 401 without a session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, expectStatus, expectError, describe } from './lib.mjs';

test('GET /healthz answers 200 {"status":"ok"} without login', async () => {
  const res = await request('GET', '/healthz');
  expectStatus(res, 200);
  assert.match(res.headers.get('content-type') || '', /^application\/json\b/, describe(res));
  assert.deepEqual(res.json, { status: 'ok' }, describe(res));
});

function requestsTotal(text) {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const m = /^nengli_http_requests_total(\{[^}]*\})?\s+([0-9.eE+-]+)/.exec(line);
    if (m) { sum += Number(m[2]); found = true; }
  }
  return found ? sum : null;
}

test('GET /metrics is Prometheus text with nengli_http_requests_total, which counts requests', async () => {
  const first = await request('GET', '/metrics');
  expectStatus(first, 200);
  assert.match(first.headers.get('content-type') || '', /^text\/plain\b/, describe(first));
  const before = requestsTotal(first.text);
  assert.notEqual(before, null, `a nengli_http_requests_total sample line${describe(first)}`);
  for (let i = 0; i < 3; i++) expectStatus(await request('GET', '/healthz'), 200);
  const second = await request('GET', '/metrics');
  const after = requestsTotal(second.text);
  assert.ok(after >= before + 3, `nengli_http_requests_total grew by ≥ 3 (before ${before}, after ${after})`);
});

test('GET /api/openapi.json is an OpenAPI document listing /api/v1/session', async () => {
  const res = await request('GET', '/api/openapi.json');
  const doc = expectStatus(res, 200);
  assert.match(res.headers.get('content-type') || '', /^application\/json\b/, describe(res));
  assert.ok(doc && typeof doc === 'object', `body is JSON${describe(res)}`);
  assert.match(String(doc.openapi), /^3\./, 'openapi version 3.x');
  assert.ok(doc.paths && typeof doc.paths === 'object', 'paths object');
  assert.ok('/api/v1/session' in doc.paths, `paths has /api/v1/session (has: ${Object.keys(doc.paths).slice(0, 10).join(', ')})`);
});

test('every response carries a distinct X-Request-Id (200, 401, 404)', async () => {
  const responses = [
    await request('GET', '/healthz'),
    await request('GET', '/api/v1/me'),
    await request('GET', '/api/v1/no-such-route'),
  ];
  const ids = responses.map((r) => r.headers.get('x-request-id'));
  for (const [i, r] of responses.entries()) assert.ok(ids[i], `X-Request-Id on ${r.method} ${r.path} (${r.status})`);
  assert.equal(new Set(ids).size, ids.length, `request ids are distinct: ${ids.join(', ')}`);
});

test('without a session, GET /api/v1/me answers 401 unauthenticated', async () => {
  expectError(await request('GET', '/api/v1/me'), 401, 'unauthenticated', null);
});

test('without a session, a write answers 401 (not 403 or 2xx)', async () => {
  const res = await request('POST', '/api/v1/departments', { json: { code: 'NOAUTH', name: 'x', name_en: 'x' } });
  expectError(res, 401, 'unauthenticated');
});
