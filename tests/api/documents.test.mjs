// Documents (issue 6): the five records of a year — built here through the API as the roles would — downloaded as
// XLSX, PDF and DOCX in Chinese and English, and opened by real readers: LibreOffice converts every workbook (each sheet
// to CSV) and every DOCX (to PDF) — a file that needed repair would not convert; `unzip -t` checks the packages; poppler's
// pdftotext / pdffonts / pdftoppm read the PDFs (headings, figures, an embedded CJK font, page 1 rendered to
// tests/artifacts/documents/<engine>/). Also: the export's errors, the CLI, and the logo and document-number settings.
// Works in a past year of its own (2005–2019, retried on conflict) so that its dates are fixed and overdue is certain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BASE_URL, admin, login, createUser, createDepartment, expectStatus, expectError, env, request,
} from './lib.mjs';

const ENGINE = process.env.NENGLI_ENGINE || 'sqlite';
const RECORDS = ['capability-plan', 'measurement-plan', 'achievement', 'tracking', 'evaluation', 'all'];
const FORMATS = ['xlsx', 'pdf', 'docx'];
const LANGS = ['zh', 'en'];
const TMP = mkdtempSync(path.join(tmpdir(), 'nengli-docs-'));
const ARTIFACTS = path.join('tests', 'artifacts', 'documents', ENGINE);
const SUFFIX = Math.random().toString(36).slice(2, 7).toUpperCase();
const CODE_CHG = `DOC-CHG-${SUFFIX}`;
const CODE_MTTR = `DOC-MTTR-${SUFFIX}`;
// Short texts, so that a table cell never wraps them and they can be found in the extracted text.
const TASK_DONE = `搭测试环境${SUFFIX}`;
const TASK_LATE = `上监控平台${SUFFIX}`;
const SUGGESTION = `变更前强制测试验证${SUFFIX}`;

let Y;
let company;
const c = {};
const u = {};
const files = {};      // `${record}.${lang}.${format}` → path

function sofficeAvailable() {
  return spawnSync('sh', ['-c', 'command -v libreoffice || command -v soffice'], { encoding: 'utf8' }).status === 0;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120000, ...opts });
  if (r.error) throw r.error;
  return r;
}

/** Text without white space and hyphens: pdftotext breaks lines inside table cells and paragraphs, and drops a hyphen
 * at the end of a line (a code such as DOC-CHG-X1 wrapped in a narrow cell). Compare squashed needles with it. */
function squash(s) {
  return s.replace(/[\s-]+/g, '');
}

/** GET a document as bytes with the client's cookie. */
async function download(client, urlPath) {
  const res = await fetch(BASE_URL + urlPath, { headers: client.cookie ? { Cookie: client.cookie } : {}, signal: AbortSignal.timeout(60000) });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, buf, text: () => buf.toString('utf8') };
}

// ---- A PNG made here (no image library): signature, IHDR, IDAT, IEND with their CRCs ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c0 = n;
  for (let k = 0; k < 8; k++) c0 = c0 & 1 ? 0xEDB88320 ^ (c0 >>> 1) : c0 >>> 1;
  return c0 >>> 0;
});
function crc32(buf) {
  let c0 = 0xFFFFFFFF;
  for (const b of buf) c0 = CRC_TABLE[(c0 ^ b) & 0xFF] ^ (c0 >>> 8);
  return (c0 ^ 0xFFFFFFFF) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function makePng(w, h) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = 0x1F; raw[o + 1] = 0x38 + (x % 64); raw[o + 2] = 0x64 + (y % 64);
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

before(async () => {
  const adm = await admin();
  const dept = await createDepartment(adm, { name: `文档测试部${SUFFIX}`, name_en: `Docs dept ${SUFFIX}` });
  const specs = { planner: [['planner'], dept], approver: [['approver'], null], quality: [['quality'], null], member: [['member'], dept] };
  for (const [name, [roles, d]] of Object.entries(specs)) {
    const made = await createUser(adm, { roles, department_id: d ? d.id : null, display_name: `文档${name}${SUFFIX}` });
    u[name] = made.user;
    c[name] = await login(made.username, made.password);
  }
  company = expectStatus(await adm.get('/api/v1/settings'), 200).company_name;

  // The year: a plan with items in the four elements, a meeting that passes, submitted and approved.
  let plan;
  for (let attempt = 0; attempt < 40 && !plan; attempt++) {
    const y = 2005 + Math.floor(Math.random() * 15);
    const res = await c.planner.post('/api/v1/plans', { year: y, title: `${y}年度服务能力管理计划` });
    if (res.status === 409) continue;
    plan = expectStatus(res, 201);
    Y = y;
  }
  assert.ok(plan, 'a free year was found');
  for (const element of ['people', 'process', 'technology', 'resources']) {
    const areas = expectStatus(await c.planner.get(`/api/v1/capability-areas?element=${element}&active=true`), 200).items;
    expectStatus(await c.planner.post(`/api/v1/plans/${plan.id}/items`, {
      element, area: areas[0].code, objective: `目标${element}${SUFFIX}`, measures: '按季度检查', owner_department_id: dept.id,
      due_date: `${Y}-12-15`, budget: '5 万元',
    }), 201);
  }
  expectStatus(await c.planner.patch(`/api/v1/plans/${plan.id}`, { review_problems: `上年度监控覆盖不足${SUFFIX}。` }), 200);
  expectStatus(await c.quality.post(`/api/v1/plans/${plan.id}/meetings`, {
    held_on: `${Y - 1}-12-15`, attendees: '李明、张丽、陈静', minutes: '通过', decision: 'pass',
  }), 201);
  expectStatus(await c.planner.post(`/api/v1/plans/${plan.id}/submit`, {}), 200);
  expectStatus(await c.approver.post(`/api/v1/plans/${plan.id}/approve`, { comment: '同意' }), 200);

  // Metrics and values: one month missed (with its analysis), a quarterly duration.
  const chg = expectStatus(await c.quality.post('/api/v1/metrics', {
    year: Y, code: CODE_CHG, name: '变更成功率', name_en: 'Change success rate', element: 'process',
    definition: '成功变更数÷变更总数', unit: 'ratio', direction: 'higher_better', target: 0.98, warning: 0.95,
    frequency: 'month', source: 'manual', owner_department_id: dept.id,
  }), 201);
  const mttr = expectStatus(await c.quality.post('/api/v1/metrics', {
    year: Y, code: CODE_MTTR, name: '平均修复时间', name_en: 'Mean time to repair', element: 'technology',
    definition: '故障修复时长均值', unit: 'hours', direction: 'lower_better', target: 4, warning: 6,
    frequency: 'quarter', source: 'manual', owner_department_id: dept.id,
  }), 201);
  expectStatus(await c.member.put(`/api/v1/metrics/${chg.id}/values/${Y}-01`, { actual: 0.99 }), 200);
  expectStatus(await c.member.put(`/api/v1/metrics/${chg.id}/values/${Y}-02`, {
    numerator: 45, denominator: 50, deviation_analysis: '两次变更未经测试。', corrective_action: '变更须在测试环境验证。',
  }), 200);
  expectStatus(await c.member.put(`/api/v1/metrics/${mttr.id}/values/${Y}-Q1`, { actual: 3.5 }), 200);

  // Work items: one done, one overdue with quality's check.
  const task = (title, start, end) => c.member.post('/api/v1/tasks', {
    year: Y, department_id: dept.id, title, plan_item_id: null, metric_id: chg.id, owner_user_id: u.member.id,
    planned_start: start, planned_end: end, deliverable: '报告',
  });
  const done = expectStatus(await task(TASK_DONE, `${Y}-01-05`, `${Y}-03-31`), 201);
  const late = expectStatus(await task(TASK_LATE, `${Y}-02-01`, `${Y}-06-30`), 201);
  expectStatus(await c.member.post(`/api/v1/tasks/${done.id}/progress`, { percent: 100, status: 'done', actual_end: `${Y}-03-20` }), 201);
  expectStatus(await c.member.post(`/api/v1/tasks/${late.id}/progress`, { percent: 60, status: 'in_progress', note: '供应商延期' }), 201);
  expectStatus(await c.quality.post(`/api/v1/tasks/${late.id}/checks`, {
    checked_on: `${Y}-07-05`, finding: '未按期上线', deviation_reason: '供应商交付延期', corrective_action: '更换供应商',
  }), 201);

  // The evaluation: a conclusion and a suggestion, finalized.
  expectStatus(await c.quality.patch(`/api/v1/evaluations/${Y}`, {
    conclusion: `年度目标基本达成${SUFFIX}。`,
    suggestions: [{ text: SUGGESTION, owner_department_id: dept.id, due_date: `${Y + 1}-03-31`, priority: 'high' }],
  }), 200);
  expectStatus(await c.quality.post(`/api/v1/evaluations/${Y}/finalize`, {}), 200);
});

after(() => {
  rmSync(TMP, { recursive: true, force: true });
});

test('every record × format × language downloads as an attachment with its file names', async () => {
  const types = {
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    pdf: 'application/pdf',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
  for (const record of RECORDS) {
    for (const format of FORMATS) {
      for (const lang of LANGS) {
        const res = await download(c.member, `/api/v1/exports/${record}?year=${Y}&format=${format}&lang=${lang}`);
        assert.equal(res.status, 200, `${record} ${format} ${lang}: ${res.status} ${res.buf.length < 600 ? res.text() : ''}`);
        assert.equal(res.headers.get('content-type'), types[format], `${record} ${format} content type`);
        const cd = res.headers.get('content-disposition') || '';
        assert.match(cd, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%!#$&+.^_`|~-]+$/, `${record} ${format}: ${cd}`);
        const utf8Name = decodeURIComponent(cd.split("filename*=UTF-8''")[1]);
        assert.ok(utf8Name.endsWith(`.${format}`), utf8Name);
        if (lang === 'zh' && record !== 'all') assert.match(utf8Name, new RegExp(`${Y}年度`), utf8Name);
        assert.ok(res.buf.length > 1000, `${record} ${format} ${lang}: ${res.buf.length} bytes`);
        const magic = format === 'pdf' ? '%PDF-' : 'PK\x03\x04';
        assert.equal(res.buf.subarray(0, magic.length).toString('latin1'), magic, `${record} ${format} ${lang} magic`);
        const file = path.join(TMP, `${record}.${lang}.${format}`);
        writeFileSync(file, res.buf);
        files[`${record}.${lang}.${format}`] = file;
      }
    }
  }
});

test('the export refuses what it cannot make, names the parameter, and requires a session', async () => {
  expectError(await c.member.get(`/api/v1/exports/capability-plan?year=${Y}&format=odt`), 422, 'validation_failed', 'format');
  expectError(await c.member.get(`/api/v1/exports/capability-plan?year=${Y}&format=pdf&lang=fr`), 422, 'validation_failed', 'lang');
  expectError(await c.member.get('/api/v1/exports/capability-plan?format=pdf'), 422, 'validation_failed', 'year');
  expectError(await c.member.get('/api/v1/exports/capability-plan?year=1999&format=pdf'), 422, 'validation_failed', 'year');
  expectError(await c.member.get(`/api/v1/exports/plans?year=${Y}&format=pdf`), 404, 'not_found');
  expectError(await request('GET', `/api/v1/exports/evaluation?year=${Y}&format=pdf`), 401, 'unauthenticated');
});

test('ZIP packages (XLSX, DOCX) pass unzip -t', () => {
  for (const [name, file] of Object.entries(files)) {
    if (name.endsWith('.pdf')) continue;
    const r = run('unzip', ['-tq', file]);
    assert.equal(r.status, 0, `${name}: unzip -t: ${r.stdout}${r.stderr}`);
  }
});

test('PDFs: Chinese and English headings and the figures, an embedded CJK font, page 1 rendered', () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const expect = {
    zh: {
      'capability-plan': ['变更履历', '上年度回顾', '年度服务能力规划', `目标people${SUFFIX}`, '执行跟踪计划', '签字'],
      'measurement-plan': ['度量指标', CODE_CHG, '变更成功率', '98.0%', '4小时'],
      achievement: ['达成概况', '月度趋势', '达成明细', CODE_CHG, '90.0%', '91.8%', '未达标', '两次变更未经测试'],
      tracking: ['执行概况', '跟踪明细', TASK_DONE, TASK_LATE, '其中逾期', '供应商交付延期'],
      evaluation: ['评估目的和依据', '评估方法和数据来源', '计划完成情况', '问题和不符合项', '评估结论', '改进建议', SUGGESTION, `年度目标基本达成${SUFFIX}`],
      all: ['年度服务能力管理计划', '运维服务管理目标度量计划', '运维服务管理目标度量达成表', '运维服务管理计划工作执行跟踪表', '年度服务能力执行效果评估报告'],
    },
    en: {
      'capability-plan': ['Changehistory', 'Reviewofthepreviousyear', 'Trackingplan', `目标people${SUFFIX}`, 'Signatures'],
      'measurement-plan': ['Metrics', CODE_CHG, 'Changesuccessrate', '98.0%'],
      achievement: ['Summary', 'Monthlytrends', CODE_CHG, '90.0%', '91.8%', 'Missed'],
      tracking: ['Workitems', TASK_DONE, TASK_LATE, 'Cause'],
      evaluation: ['Purposeandbasis', 'Methodanddatasources', 'Plancompletion', 'Problemsandnonconformities', 'Conclusions', SUGGESTION],
      all: ['AnnualServiceCapabilityPlan', 'MeasurementPlan', 'TargetAchievementTable', 'ExecutionTrackingTable', 'EvaluationReport'],
    },
  };
  for (const lang of LANGS) {
    for (const record of RECORDS) {
      const file = files[`${record}.${lang}.pdf`];
      const r = run('pdftotext', [file, '-']);
      assert.equal(r.status, 0, `pdftotext ${record} ${lang}: ${r.stderr}`);
      const text = squash(r.stdout);
      for (const needle of expect[lang][record]) assert.ok(text.includes(squash(needle)), `${record}.${lang}.pdf contains "${needle}"`);
      assert.ok(text.includes(String(Y)), `${record}.${lang}.pdf names the year`);
      assert.ok(text.includes(squash(company)), `${record}.${lang}.pdf names the company`);
      const pageNo = lang === 'zh' ? /第2页\/共(\d+)页/ : /Page2of(\d+)/;
      assert.match(text, pageNo, `${record}.${lang}.pdf numbers its pages`);
      const fonts = run('pdffonts', [file]).stdout;
      assert.match(fonts, /NotoSansCJK\S*\s.*\byes\s+yes\s+yes/, `${record}.${lang}.pdf embeds a subset of a CJK font:\n${fonts}`);
    }
    const png = path.join(ARTIFACTS, `evaluation-${lang}`);
    const r = run('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-png', files[`evaluation.${lang}.pdf`], png]);
    assert.equal(r.status, 0, r.stderr);
    const made = readdirSync(ARTIFACTS).filter((f) => f.startsWith(`evaluation-${lang}`) && f.endsWith('.png'));
    assert.ok(made.length >= 1, 'page 1 rendered');
    const run2 = run('pdftoppm', ['-r', '50', '-f', '3', '-l', '3', '-png', files[`achievement.${lang}.pdf`], path.join(ARTIFACTS, `achievement-${lang}`)]);
    assert.equal(run2.status, 0, run2.stderr);
  }
});

test('XLSX: LibreOffice converts every sheet of every workbook; the numbers and Chinese headings are there', (t) => {
  if (!sofficeAvailable()) return t.skip('LibreOffice is not installed (scripts/install-deps installs it)');
  const out = path.join(TMP, 'csv');
  mkdirSync(out, { recursive: true });
  const xlsx = Object.entries(files).filter(([n]) => n.endsWith('.xlsx')).map(([, f]) => f);
  // Every sheet (-1) as shown (token 9), UTF-8, comma-separated: <name>-<Sheet>.csv
  const r = run('libreoffice', [`-env:UserInstallation=file://${TMP}/lo-profile`, '--headless', '--convert-to',
    'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,true,false,false,-1', '--outdir', out, ...xlsx]);
  assert.equal(r.status, 0, `libreoffice: ${r.stdout}${r.stderr}`);
  const csv = (base, sheet) => {
    const f = path.join(out, `${base}-${sheet}.csv`);
    assert.ok(existsSync(f), `${base}: sheet ${sheet} converted (have: ${readdirSync(out).filter((x) => x.startsWith(base)).join(', ')})`);
    return readFileSync(f, 'utf8');
  };
  // Chinese workbooks: one sheet per record plus the 变更履历
  const all = 'all.zh';
  for (const sheet of ['年度服务能力管理计划', '目标度量计划', '目标度量达成表', '工作执行跟踪表', '年度评估报告', '变更履历']) csv(all, sheet);
  const at = csv(all, '目标度量达成表');
  assert.match(at, /编号,指标名称,要素,期间,分子,分母,实际值,目标值,预警值,达成率,状态/);
  const febRow = at.split('\n').find((l) => l.startsWith(`${CODE_CHG},`) && l.includes(`${Y}-02`));
  assert.ok(febRow, `the February row of ${CODE_CHG}`);
  assert.match(febRow, /,45,50,90\.0%,98\.0%,95\.0%,91\.8%,未达标,/, febRow);
  assert.match(at, /年度达成率汇总/);
  const tt = csv(all, '工作执行跟踪表');
  const lateRow = tt.split('\n').find((l) => l.includes(TASK_LATE));
  assert.ok(lateRow && /,60(\.0)?%,进行中,是,"?[\d,]+"?,供应商交付延期,/.test(lateRow), `overdue row: ${lateRow}`);
  assert.match(tt, /各部门完成情况/);
  const cap = csv(all, '年度服务能力管理计划');
  assert.match(cap, new RegExp(`目标people${SUFFIX}`));
  assert.match(cap, /上年度回顾/);
  assert.match(cap, /编制,|签名/);
  const mp = csv('measurement-plan.zh', '目标度量计划');
  assert.match(mp, new RegExp(`${CODE_CHG},变更成功率,过程,.*,98\\.0%,95\\.0%,每月,`));
  const ev = csv('evaluation.zh', '年度评估报告');
  assert.ok(ev.includes(SUGGESTION) && ev.includes('评估结论'), 'evaluation sheet');
  const hist = csv('capability-plan.zh', '变更履历');
  assert.match(hist, /初版编制|V1,20\d\d-\d\d-\d\d/, hist);
  // English workbooks have English sheet names and labels
  const atEn = csv('achievement.en', 'Achievement');
  assert.match(atEn, /Code,Metric,Element,Period,Numerator,Denominator,Actual,Target,Warning,Rate,Status/);
  assert.ok(atEn.split('\n').some((l) => l.startsWith(`${CODE_CHG},Change success rate,Process,${Y}-02`) && l.includes('Missed')));
  csv('all.en', 'Change history');
  // every workbook converted something for each of its sheets
  for (const f of xlsx) {
    const base = path.basename(f, '.xlsx');
    assert.ok(readdirSync(out).filter((x) => x.startsWith(`${base}-`)).length >= 2, `${base}: sheets converted`);
  }
});

test('DOCX: LibreOffice converts every document to PDF; the headings and figures are there', (t) => {
  if (!sofficeAvailable()) return t.skip('LibreOffice is not installed (scripts/install-deps installs it)');
  const out = path.join(TMP, 'docx-pdf');
  mkdirSync(out, { recursive: true });
  const docx = Object.entries(files).filter(([n]) => n.endsWith('.docx')).map(([, f]) => f);
  const r = run('libreoffice', [`-env:UserInstallation=file://${TMP}/lo-profile`, '--headless', '--convert-to', 'pdf',
    '--outdir', out, ...docx]);
  assert.equal(r.status, 0, `libreoffice: ${r.stdout}${r.stderr}`);
  const text = (base) => {
    const f = path.join(out, `${base}.pdf`);
    assert.ok(existsSync(f), `${base}.docx converted`);
    return squash(run('pdftotext', [f, '-']).stdout);
  };
  for (const f of docx) text(path.basename(f, '.docx'));
  const plan = text('capability-plan.zh');
  for (const needle of ['变更履历', '上年度回顾', '年度服务能力规划', `目标people${SUFFIX}`, '第2页/共']) assert.ok(plan.includes(squash(needle)), `plan docx: ${needle}`);
  const evalZh = text('evaluation.zh');
  for (const needle of ['评估目的和依据', '目标度量达成情况', '改进建议', SUGGESTION, `年度目标基本达成${SUFFIX}`, '审批']) {
    assert.ok(evalZh.includes(squash(needle)), `evaluation docx: ${needle}`);
  }
  const evalEn = text('evaluation.en');
  for (const needle of ['Purposeandbasis', 'Improvementsuggestions', SUGGESTION, 'Page2of']) assert.ok(evalEn.includes(squash(needle)), `evaluation docx en: ${needle}`);
  const at = text('achievement.zh');
  for (const needle of [CODE_CHG, '90.0%', '91.8%', '未达标']) assert.ok(at.includes(squash(needle)), `achievement docx: ${needle}`);
  const all = text('all.zh');
  for (const needle of ['运维服务管理计划工作执行跟踪表', TASK_LATE, '年度服务能力执行效果评估报告']) assert.ok(all.includes(squash(needle)), `all docx: ${needle}`);
  const png = path.join(ARTIFACTS, 'evaluation-docx-zh');
  mkdirSync(ARTIFACTS, { recursive: true });
  assert.equal(run('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-png', path.join(out, 'evaluation.zh.pdf'), png]).status, 0);
});

test('nengli export writes the same documents from the command line', () => {
  const out = path.join(TMP, 'cli-eval.pdf');
  const r = run(env('NENGLI_BIN'), ['export', 'evaluation', '--year', String(Y), '--format', 'pdf', '--lang', 'en', '-o', out,
    '--db', env('NENGLI_DB')]);
  assert.equal(r.status, 0, r.stderr);
  const text = squash(run('pdftotext', [out, '-']).stdout);
  assert.ok(text.includes('Purposeandbasis') && text.includes(squash(SUGGESTION)), 'CLI evaluation PDF');
  const bad = run(env('NENGLI_BIN'), ['export', 'nothing', '--year', String(Y), '--format', 'pdf', '-o', out, '--db', env('NENGLI_DB')]);
  assert.equal(bad.status, 2, 'unknown record: usage error');
  const xl = path.join(TMP, 'cli-all.xlsx');
  const r2 = run(env('NENGLI_BIN'), ['export', 'all', '--year', String(Y), '--format', 'xlsx', '-o', xl, '--db', env('NENGLI_DB')]);
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(run('unzip', ['-tq', xl]).status, 0);
});

test('settings: the logo is a checked PNG and appears in the documents; the document-number scheme is validated and used', async () => {
  const adm = await admin();
  const png = makePng(120, 40);
  const put = await adm.req('PUT', '/api/v1/settings/logo', { body: png, headers: { 'Content-Type': 'image/png' } });
  const after = expectStatus(put, 200);
  assert.deepEqual(after.logo, { width: 120, height: 40, bytes: png.length });
  const got = await download(adm, '/api/v1/settings/logo');
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.ok(got.buf.equals(png), 'the logo reads back byte for byte');
  expectError(await adm.req('PUT', '/api/v1/settings/logo', { body: Buffer.from('GIF89a not a png at all, no'), headers: { 'Content-Type': 'image/png' } }),
    422, 'validation_failed', 'logo');
  const truncated = png.subarray(0, png.length - 12);
  expectError(await adm.req('PUT', '/api/v1/settings/logo', { body: truncated, headers: { 'Content-Type': 'image/png' } }), 422, 'validation_failed', 'logo');
  const huge = Buffer.concat([png, Buffer.alloc(520 * 1024)]);
  const tooBig = await adm.req('PUT', '/api/v1/settings/logo', { body: huge, headers: { 'Content-Type': 'image/png' } });
  assert.equal(tooBig.status, 413, `a logo over 512 KiB: ${tooBig.status}`);
  expectError(await c.member.req('PUT', '/api/v1/settings/logo', { body: png, headers: { 'Content-Type': 'image/png' } }), 403, 'forbidden');
  const still = await download(adm, '/api/v1/settings/logo');
  assert.ok(still.buf.equals(png), 'refused uploads changed nothing');
  // the logo is drawn on the cover: the DOCX carries it as a picture, the PDF as an image
  const docx = await download(c.member, `/api/v1/exports/capability-plan?year=${Y}&format=docx`);
  const docxFile = path.join(TMP, 'logo.docx');
  writeFileSync(docxFile, docx.buf);
  const list = run('unzip', ['-l', docxFile]).stdout;
  assert.match(list, /word\/media\/image1\.png/, list);
  const pdf = await download(c.member, `/api/v1/exports/capability-plan?year=${Y}&format=pdf`);
  const pdfFile = path.join(TMP, 'logo.pdf');
  writeFileSync(pdfFile, pdf.buf);
  const images = run('pdfimages', ['-list', '-f', '1', '-l', '1', pdfFile]).stdout;
  assert.match(images, /\b120\s+40\b/, `the cover has the 120×40 logo:\n${images}`);

  // the scheme
  const before = expectStatus(await adm.get('/api/v1/settings'), 200);
  expectError(await adm.patch('/api/v1/settings', { doc_number_scheme: 'NL-{YYYY}' }), 422, 'validation_failed', 'doc_number_scheme');
  expectError(await adm.patch('/api/v1/settings', { doc_number_scheme: 'NL-{RECORD}-{MM}' }), 422, 'validation_failed', 'doc_number_scheme');
  assert.equal(expectStatus(await adm.get('/api/v1/settings'), 200).doc_number_scheme, before.doc_number_scheme, 'refused: unchanged');
  try {
    expectStatus(await adm.patch('/api/v1/settings', { doc_number_scheme: `QM${SUFFIX}/{RECORD}/{YYYY}` }), 200);
    const tt = await download(c.member, `/api/v1/exports/tracking?year=${Y}&format=pdf`);
    assert.equal(tt.status, 200);
    const cd = tt.headers.get('content-disposition');
    assert.ok(cd.includes(`QM${SUFFIX}_TT_${Y}.pdf`), `the file is named by the scheme: ${cd}`);
    const f = path.join(TMP, 'scheme.pdf');
    writeFileSync(f, tt.buf);
    assert.ok(squash(run('pdftotext', [f, '-']).stdout).includes(`QM${SUFFIX}/TT/${Y}`), 'the tracking table carries the number');
  } finally {
    expectStatus(await adm.patch('/api/v1/settings', { doc_number_scheme: before.doc_number_scheme }), 200);
    expectStatus(await adm.del('/api/v1/settings/logo'), 200);
  }
  expectError(await adm.get('/api/v1/settings/logo'), 404, 'not_found');
});
