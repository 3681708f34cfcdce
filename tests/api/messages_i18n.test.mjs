// Error messages follow Accept-Language (issue 7): zh, zh-CN, zh-Hans… → the Chinese catalogue
// (src/core/messages_zh.c); en, another language or no header → English. code and field never change.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { admin, request, listAll, expectError, describe, uniq } from './lib.mjs';

const CJK = /[\u3400-\u9fff]/;
let adm;

before(async () => {
  adm = await admin();
});

/** The same request with several Accept-Language values; returns {lang: error object}. */
async function errorsByLanguage(send, status, code, field) {
  const out = {};
  for (const lang of ['zh-CN', 'zh', 'zh-Hans-CN', 'zh-CN,zh;q=0.9,en;q=0.8', 'en', 'en-US,en;q=0.9,zh-CN;q=0.8', 'fr', null]) {
    const headers = lang === null ? {} : { 'Accept-Language': lang };
    const res = await send(headers);
    out[lang === null ? 'none' : lang] = { ...expectError(res, status, code, field), res };
  }
  for (const [lang, e] of Object.entries(out)) {
    if (lang.startsWith('zh'))
      assert.match(e.message, CJK, `a Chinese message for Accept-Language ${lang}${describe(e.res)}`);
    else
      assert.doesNotMatch(e.message, CJK, `an English message for Accept-Language ${lang}${describe(e.res)}`);
  }
  assert.equal(out.en.message, out.none.message, 'no header answers like en');
  assert.equal(out['zh-CN'].message, out.zh.message, 'zh and zh-CN answer alike');
  assert.notEqual(out['zh-CN'].message, out.en.message);
  return out;
}

test('a missing required field: Chinese for zh-CN, English for en / no header; same code and field; nothing written', async () => {
  const code = uniq('i18n').replace(/[^a-z0-9_-]/g, '').slice(0, 32);
  const out = await errorsByLanguage((headers) => adm.post('/api/v1/departments', { code, name_en: 'no name' }, { headers }),
    422, 'validation_failed', 'name');
  assert.match(out.en.message, /\bname\b/, 'the English message names the field');
  assert.match(out['zh-CN'].message, /name/, 'the Chinese message names the field');
  assert.equal((await listAll(adm, '/api/v1/departments')).some((d) => d.code === code), false, 'no department written');
});

test('an unknown field and a wrong type (the generic json.c messages) are translated', async () => {
  const code = uniq('i18n').replace(/[^a-z0-9_-]/g, '').slice(0, 32);
  const out = await errorsByLanguage((headers) => adm.post('/api/v1/departments', { code, name: '部门', colour: 1 }, { headers }),
    422, 'validation_failed', 'colour');
  assert.match(out['zh-CN'].message, /colour/, 'the unknown key is quoted');
  await errorsByLanguage((headers) => adm.post('/api/v1/departments', { code, name: 7 }, { headers }),
    422, 'validation_failed', 'name');
});

test('HTTP-layer errors: unknown route, unauthenticated, invalid JSON', async () => {
  const nf = await errorsByLanguage((headers) => request('GET', '/api/v1/no-such-route-' + uniq('x'), { headers }),
    404, 'not_found', undefined);
  assert.equal(nf.en.message, 'No such resource.');
  assert.equal(nf['zh-CN'].message, '资源不存在。');
  await errorsByLanguage((headers) => request('GET', '/api/v1/departments', { headers }), 401, 'unauthenticated', null);
  await errorsByLanguage((headers) => adm.req('POST', '/api/v1/departments',
    { body: '{"code": ', headers: { ...headers, 'Content-Type': 'application/json' } }), 400, 'invalid_json', null);
});
