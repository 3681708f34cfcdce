// Authorization matrix (issue 9 item 4): every route × every role, checked against a table of the policy written out
// here (mirroring src/auth/policy.c) and a list of routes written out here (mirroring src/http/routes.c).
// Fails if (1) the server answers a route differently from the matrix (a 401/403 where the role is allowed, anything but
// 403 forbidden where it is not, anything but 401 without login), or (2) the route table, the policy table or the OpenAPI
// document list a route/action the matrix does not (or the reverse).
// Calls are made so that nothing is created: ids that do not exist, empty JSON bodies, bad parameters for slow routes.
// "Allowed" only means the route-level permission check passed (404/409/422/400 are fine); department-scope checks
// inside handlers are covered by a few explicit cases at the end.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ROLES, admin, login, createUser, createDepartment, createToken, bearer, request, expectStatus, expectError,
  describe } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---- the policy, as src/auth/policy.c says it: action → [roles allowed everywhere, roles allowed for their own department]
const ALL = ['admin', 'approver', 'planner', 'hr', 'quality', 'member', 'auditor'];
const POLICY = {
  'self':                   [ALL, []],
  'org.read':               [ALL, []],
  'org.write':              [['admin'], []],
  'audit.read':             [['admin', 'auditor'], []],
  'cycle.read':             [ALL, []],
  'catalogue.write':        [['admin', 'planner'], []],
  'plan.create':            [['planner'], []],
  'plan.edit':              [['planner', 'hr', 'quality'], []],
  'plan.item.write':        [['planner', 'hr'], []],
  'plan.meeting':           [['planner', 'quality'], []],
  'plan.approve':           [['approver'], []],
  'metric.write':           [['quality'], []],
  'metric.value.write':     [['quality'], ['hr', 'planner', 'member']],
  'achievement.manage':     [['quality'], []],
  'task.write':             [['planner'], ['hr', 'quality', 'member']],
  'task.progress':          [['planner'], ['hr', 'quality', 'member']],
  'task.check':             [['quality'], []],
  'evaluation.write':       [['quality'], []],
  'records.read':           [ALL, []],
  'customer.pii':           [['admin', 'planner', 'quality'], []],
  'records.write':          [['admin', 'planner', 'quality'], ['member']],
  'import.run':             [['admin', 'planner', 'quality'], []],
  'sla.write':              [['admin', 'planner'], []],
  'complaint.register':     [['admin', 'planner', 'quality', 'member'], []],
  'complaint.handle':       [['planner', 'quality'], []],
  'rating.write':           [ALL, []],
  'survey.manage':          [['quality'], []],
  'people.read':            [ALL, []],
  'people.write':           [['admin', 'hr'], []],
  'appraisal.read':         [['admin', 'hr', 'approver', 'auditor'], ['planner', 'quality', 'member']],
  'appraisal.write':        [['hr'], []],
  'reward.propose':         [['hr', 'quality', 'planner'], []],
  'reward.approve':         [['approver'], []],
  'partner.write':          [['quality', 'planner'], []],
  'partner.rate':           [['quality'], []],
  'partner.rating.approve': [['approver'], []],
  'innovation.propose':     [ALL.filter((r) => r !== 'auditor'), []],
  'innovation.advance':     [['quality', 'planner'], []],
  'risk.write':             [['quality', 'planner'], []],
};

/** allows(role, action): the route-level check, policy_allows() — everywhere or department-scoped roles both pass. */
function allows(role, action) {
  const p = POLICY[action];
  assert.ok(p, `the matrix has no policy row for action ${action}`);
  return p[0].includes(role) || p[1].includes(role);
}

// ---- every route, as src/http/routes.c lists it: [method, pattern, action] (null = public)
const ROUTES = [
  ['GET', '/healthz', null],
  ['GET', '/metrics', null],
  ['GET', '/api/openapi.json', null],
  ['POST', '/api/v1/session', null],
  ['DELETE', '/api/v1/session', 'self'],
  ['GET', '/api/v1/me', 'self'],
  ['POST', '/api/v1/me/password', 'self'],
  ['GET', '/api/v1/tokens', 'self'],
  ['POST', '/api/v1/tokens', 'self'],
  ['DELETE', '/api/v1/tokens/{id}', 'self'],
  ['GET', '/api/v1/departments', 'org.read'],
  ['POST', '/api/v1/departments', 'org.write'],
  ['GET', '/api/v1/departments/{id}', 'org.read'],
  ['PATCH', '/api/v1/departments/{id}', 'org.write'],
  ['GET', '/api/v1/users', 'org.read'],
  ['POST', '/api/v1/users', 'org.write'],
  ['GET', '/api/v1/users/{id}', 'org.read'],
  ['PATCH', '/api/v1/users/{id}', 'org.write'],
  ['GET', '/api/v1/settings', 'org.read'],
  ['PATCH', '/api/v1/settings', 'org.write'],
  ['GET', '/api/v1/settings/logo', 'org.read'],
  ['PUT', '/api/v1/settings/logo', 'org.write'],
  ['DELETE', '/api/v1/settings/logo', 'org.write'],
  ['GET', '/api/v1/roles', 'org.read'],
  ['GET', '/api/v1/audit', 'audit.read'],
  ['GET', '/api/v1/capability-areas', 'cycle.read'],
  ['POST', '/api/v1/capability-areas', 'catalogue.write'],
  ['GET', '/api/v1/capability-areas/{id}', 'cycle.read'],
  ['PATCH', '/api/v1/capability-areas/{id}', 'catalogue.write'],
  ['GET', '/api/v1/approvals', 'cycle.read'],
  ['GET', '/api/v1/approvals/{id}', 'cycle.read'],
  ['GET', '/api/v1/plans', 'cycle.read'],
  ['POST', '/api/v1/plans', 'plan.create'],
  ['GET', '/api/v1/plans/{id}', 'cycle.read'],
  ['PATCH', '/api/v1/plans/{id}', 'plan.edit'],
  ['GET', '/api/v1/plans/{id}/items', 'cycle.read'],
  ['POST', '/api/v1/plans/{id}/items', 'plan.item.write'],
  ['GET', '/api/v1/plan-items/{id}', 'cycle.read'],
  ['PATCH', '/api/v1/plan-items/{id}', 'plan.item.write'],
  ['DELETE', '/api/v1/plan-items/{id}', 'plan.item.write'],
  ['GET', '/api/v1/plans/{id}/meetings', 'cycle.read'],
  ['POST', '/api/v1/plans/{id}/meetings', 'plan.meeting'],
  ['POST', '/api/v1/plans/{id}/submit', 'plan.create'],
  ['POST', '/api/v1/plans/{id}/approve', 'plan.approve'],
  ['POST', '/api/v1/plans/{id}/reject', 'plan.approve'],
  ['POST', '/api/v1/plans/{id}/revise', 'plan.create'],
  ['GET', '/api/v1/plans/{id}/versions', 'cycle.read'],
  ['GET', '/api/v1/plans/{id}/versions/{version}', 'cycle.read'],
  ['GET', '/api/v1/plans/{id}/history', 'cycle.read'],
  ['GET', '/api/v1/metrics', 'cycle.read'],
  ['POST', '/api/v1/metrics', 'metric.write'],
  ['GET', '/api/v1/metrics/{id}', 'cycle.read'],
  ['PATCH', '/api/v1/metrics/{id}', 'metric.write'],
  ['DELETE', '/api/v1/metrics/{id}', 'metric.write'],
  ['GET', '/api/v1/metrics/{id}/values', 'cycle.read'],
  ['GET', '/api/v1/metrics/{id}/values/{period}', 'cycle.read'],
  ['PUT', '/api/v1/metrics/{id}/values/{period}', 'metric.value.write'],
  ['GET', '/api/v1/achievement', 'cycle.read'],
  ['POST', '/api/v1/achievement/compute', 'achievement.manage'],
  ['POST', '/api/v1/achievement/close', 'achievement.manage'],
  ['GET', '/api/v1/achievement/closed', 'cycle.read'],
  ['GET', '/api/v1/measures', 'cycle.read'],
  ['GET', '/api/v1/tasks', 'cycle.read'],
  ['POST', '/api/v1/tasks', 'task.write'],
  ['GET', '/api/v1/tasks/{id}', 'cycle.read'],
  ['PATCH', '/api/v1/tasks/{id}', 'task.write'],
  ['POST', '/api/v1/tasks/{id}/progress', 'task.progress'],
  ['POST', '/api/v1/tasks/{id}/checks', 'task.check'],
  ['PATCH', '/api/v1/checks/{id}', 'task.check'],
  ['GET', '/api/v1/tracking', 'cycle.read'],
  ['GET', '/api/v1/evaluations/{year}', 'cycle.read'],
  ['PATCH', '/api/v1/evaluations/{year}', 'evaluation.write'],
  ['POST', '/api/v1/evaluations/{year}/finalize', 'evaluation.write'],
  ['GET', '/api/v1/notifications', 'self'],
  ['GET', '/api/v1/calendars', 'records.read'],
  ['POST', '/api/v1/calendars', 'sla.write'],
  ['GET', '/api/v1/calendars/{id}', 'records.read'],
  ['PATCH', '/api/v1/calendars/{id}', 'sla.write'],
  ['GET', '/api/v1/calendars/{id}/days', 'records.read'],
  ['POST', '/api/v1/calendars/{id}/days/import', 'sla.write'],
  ['PUT', '/api/v1/calendars/{id}/days/{date}', 'sla.write'],
  ['DELETE', '/api/v1/calendars/{id}/days/{date}', 'sla.write'],
  ['GET', '/api/v1/sla-policies', 'records.read'],
  ['POST', '/api/v1/sla-policies', 'sla.write'],
  ['GET', '/api/v1/sla-policies/{id}', 'records.read'],
  ['PATCH', '/api/v1/sla-policies/{id}', 'sla.write'],
  ['GET', '/api/v1/customers', 'records.read'],
  ['POST', '/api/v1/customers', 'records.write'],
  ['GET', '/api/v1/customers/{id}', 'records.read'],
  ['PATCH', '/api/v1/customers/{id}', 'records.write'],
  ['GET', '/api/v1/tickets', 'records.read'],
  ['POST', '/api/v1/tickets', 'records.write'],
  ['GET', '/api/v1/tickets/{id}', 'records.read'],
  ['PATCH', '/api/v1/tickets/{id}', 'records.write'],
  ['POST', '/api/v1/tickets/{id}/status', 'records.write'],
  ['GET', '/api/v1/tickets/{id}/sla', 'records.read'],
  ['GET', '/api/v1/imports', 'records.read'],
  ['POST', '/api/v1/imports', 'import.run'],
  ['GET', '/api/v1/imports/{id}', 'records.read'],
  ['GET', '/api/v1/department-aliases', 'records.read'],
  ['PUT', '/api/v1/department-aliases', 'import.run'],
  ['GET', '/api/v1/complaints', 'records.read'],
  ['POST', '/api/v1/complaints', 'complaint.register'],
  ['GET', '/api/v1/complaints/analysis', 'records.read'],
  ['GET', '/api/v1/complaints/{id}', 'records.read'],
  ['POST', '/api/v1/complaints/{id}/verify', 'complaint.handle'],
  ['POST', '/api/v1/complaints/{id}/answer', 'complaint.handle'],
  ['POST', '/api/v1/complaints/{id}/rectify', 'complaint.handle'],
  ['POST', '/api/v1/complaints/{id}/archive', 'complaint.handle'],
  ['POST', '/api/v1/complaints/{id}/reopen', 'complaint.handle'],
  ['GET', '/api/v1/tickets/{id}/rating', 'records.read'],
  ['POST', '/api/v1/tickets/{id}/rating', 'rating.write'],
  ['GET', '/api/v1/surveys', 'records.read'],
  ['POST', '/api/v1/surveys', 'survey.manage'],
  ['GET', '/api/v1/surveys/{id}', 'records.read'],
  ['POST', '/api/v1/surveys/{id}/open', 'survey.manage'],
  ['POST', '/api/v1/surveys/{id}/close', 'survey.manage'],
  ['GET', '/api/v1/survey-responses/{token}', null],
  ['POST', '/api/v1/survey-responses/{token}', null],
  ['GET', '/api/v1/exports/{record}', 'cycle.read'],
  ['GET', '/api/v1/kpis', 'records.read'],
  ['GET', '/api/v1/partners', 'records.read'],
  ['POST', '/api/v1/partners', 'partner.write'],
  ['GET', '/api/v1/partners/ranking', 'records.read'],
  ['GET', '/api/v1/partners/{id}', 'records.read'],
  ['PATCH', '/api/v1/partners/{id}', 'partner.write'],
  ['GET', '/api/v1/partners/{id}/tickets', 'records.read'],
  ['POST', '/api/v1/partners/{id}/tickets', 'partner.write'],
  ['DELETE', '/api/v1/partners/{id}/tickets/{ticket_id}', 'partner.write'],
  ['GET', '/api/v1/partners/{id}/assessments', 'records.read'],
  ['POST', '/api/v1/partners/{id}/assessments', 'partner.write'],
  ['GET', '/api/v1/partners/{id}/assessments/draft', 'records.read'],
  ['GET', '/api/v1/partner-assessments/{id}', 'records.read'],
  ['GET', '/api/v1/partners/{id}/ratings', 'records.read'],
  ['POST', '/api/v1/partners/{id}/ratings', 'partner.rate'],
  ['GET', '/api/v1/partners/{id}/ratings/{year}', 'records.read'],
  ['POST', '/api/v1/partners/{id}/ratings/{year}/approve', 'partner.rating.approve'],
  ['POST', '/api/v1/partners/{id}/ratings/{year}/reject', 'partner.rating.approve'],
  ['GET', '/api/v1/partner-dimensions', 'records.read'],
  ['PUT', '/api/v1/partner-dimensions', 'partner.write'],
  ['GET', '/api/v1/partner-grades', 'records.read'],
  ['PUT', '/api/v1/partner-grades', 'partner.write'],
  ['GET', '/api/v1/innovations', 'cycle.read'],
  ['POST', '/api/v1/innovations', 'innovation.propose'],
  ['GET', '/api/v1/innovations/{id}', 'cycle.read'],
  ['PATCH', '/api/v1/innovations/{id}', 'innovation.propose'],
  ['POST', '/api/v1/innovations/{id}/advance', 'innovation.advance'],
  ['GET', '/api/v1/risks', 'cycle.read'],
  ['POST', '/api/v1/risks', 'risk.write'],
  ['GET', '/api/v1/risks/matrix', 'cycle.read'],
  ['GET', '/api/v1/risks/{id}', 'cycle.read'],
  ['PATCH', '/api/v1/risks/{id}', 'risk.write'],
  ['GET', '/api/v1/staff', 'people.read'],
  ['POST', '/api/v1/staff', 'people.write'],
  ['GET', '/api/v1/staff/{id}', 'people.read'],
  ['PATCH', '/api/v1/staff/{id}', 'people.write'],
  ['POST', '/api/v1/staff/{id}/skills', 'people.write'],
  ['DELETE', '/api/v1/staff/{id}/skills/{skill_id}', 'people.write'],
  ['POST', '/api/v1/staff/{id}/certifications', 'people.write'],
  ['GET', '/api/v1/certifications', 'people.read'],
  ['GET', '/api/v1/certifications/{id}', 'people.read'],
  ['PATCH', '/api/v1/certifications/{id}', 'people.write'],
  ['DELETE', '/api/v1/certifications/{id}', 'people.write'],
  ['GET', '/api/v1/skills', 'people.read'],
  ['GET', '/api/v1/skills/matrix', 'people.read'],
  ['GET', '/api/v1/posts', 'people.read'],
  ['GET', '/api/v1/people/measures', 'people.read'],
  ['GET', '/api/v1/trainings', 'people.read'],
  ['POST', '/api/v1/trainings', 'people.write'],
  ['GET', '/api/v1/trainings/{id}', 'people.read'],
  ['PATCH', '/api/v1/trainings/{id}', 'people.write'],
  ['DELETE', '/api/v1/trainings/{id}', 'people.write'],
  ['POST', '/api/v1/trainings/{id}/sessions', 'people.write'],
  ['GET', '/api/v1/training-sessions/{id}', 'people.read'],
  ['DELETE', '/api/v1/training-sessions/{id}', 'people.write'],
  ['PUT', '/api/v1/training-sessions/{id}/attendance/{staff_id}', 'people.write'],
  ['DELETE', '/api/v1/training-sessions/{id}/attendance/{staff_id}', 'people.write'],
  ['GET', '/api/v1/appraisal-criteria', 'people.read'],
  ['PUT', '/api/v1/appraisal-criteria', 'appraisal.write'],
  ['GET', '/api/v1/appraisals', 'appraisal.read'],
  ['POST', '/api/v1/appraisals', 'appraisal.write'],
  ['GET', '/api/v1/appraisals/{id}', 'appraisal.read'],
  ['PATCH', '/api/v1/appraisals/{id}', 'appraisal.write'],
  ['DELETE', '/api/v1/appraisals/{id}', 'appraisal.write'],
  ['GET', '/api/v1/rewards', 'appraisal.read'],
  ['POST', '/api/v1/rewards', 'reward.propose'],
  ['GET', '/api/v1/rewards/{id}', 'appraisal.read'],
  ['POST', '/api/v1/rewards/{id}/approve', 'reward.approve'],
  ['POST', '/api/v1/rewards/{id}/reject', 'reward.approve'],
  ['POST', '/api/v1/rewards/{id}/cancel', 'reward.propose'],
];

// Concrete values for path parameters: ids that do not exist, periods/years nobody uses, so nothing is touched.
const PARAMS = {
  id: '999999999', version: '999999', ticket_id: '999999999', skill_id: '999999999', staff_id: '999999999',
  period: '1901-01', year: '1901', date: '1901-01-01', record: 'no-such-record', token: 'no-such-survey-token',
};
const concrete = (pattern) => pattern.replace(/\{(\w+)\}/g, (_, name) => {
  assert.ok(PARAMS[name], `no test value for path parameter {${name}} in ${pattern}`);
  return PARAMS[name];
});
// Slow or raw-body routes are called with bad parameters so they answer fast.
const QUERY = { 'GET /api/v1/kpis': '?period=bogus', 'POST /api/v1/imports': '?format=bogus', 'GET /api/v1/exports/{record}': '?year=x' };
const key = (m, p) => `${m} ${p}`;

// first-match routing, as src/http/router.c: which table row a concrete path reaches
function matchRow(rows, method, p) {
  for (const r of rows) {
    if (r[0] !== method) continue;
    const re = new RegExp('^' + r[1].replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+') + '$');
    if (re.test(p)) return r;
  }
  return null;
}

// ---- the source tables, parsed
function parseRoutesC() {
  const src = readFileSync(path.join(ROOT, 'src/http/routes.c'), 'utf8');
  const out = [];
  const re = /\{\s*"(GET|POST|PUT|PATCH|DELETE|HEAD)",\s*"([^"]+)",\s*(\w+),\s*(NULL|"[^"]*")\s*,\s*([^,]+),/g;
  for (const m of src.matchAll(re)) out.push([m[1], m[2], m[4] === 'NULL' ? null : m[4].slice(1, -1), m[5].trim()]);
  return out;
}
function parsePolicyC() {
  const src = readFileSync(path.join(ROOT, 'src/auth/policy.c'), 'utf8');
  const bits = { A: 1, AP: 2, PL: 4, HR: 8, Q: 16, M: 32, AU: 64, NL_ROLE_ALL: 127 };
  const evalMask = (expr) => {
    const js = expr.trim().replace(/[A-Z_]+/g, (id) => {
      assert.ok(id in bits, `policy.c: unknown role macro ${id} in "${expr}"`);
      return String(bits[id]);
    });
    assert.match(js, /^[0-9|&~()\s]+$/, `policy.c: cannot read the role expression "${expr}"`);
    return Function(`return (${js}) & 127;`)();
  };
  const names = (mask) => ALL.filter((_, i) => mask & (1 << i));
  const out = {};
  const body = src.slice(src.indexOf('policy[] = {'), src.indexOf('};', src.indexOf('policy[] = {')));
  for (const m of body.matchAll(/\{\s*"([a-z.]+)",\s*([^,]+),\s*([^,]+),\s*"/g)) out[m[1]] = [names(evalMask(m[2])), names(evalMask(m[3]))];
  return out;
}

// ---- callers
let adm;
let dept;
let otherDept;
const callers = {};   // name → {role, client, dept}

async function pool(jobs, width = 32) {
  const results = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }));
  return results;
}

before(async () => {
  adm = await admin();
  dept = await createDepartment(adm);
  otherDept = await createDepartment(adm);
  const specs = ALL.map((role) => ({ name: role, role, dept }));
  specs.push({ name: 'member@other-dept', role: 'member', dept: otherDept });
  await Promise.all(specs.map(async (s) => {
    const u = await createUser(adm, { roles: [s.role], department_id: s.dept.id, display_name: `矩阵 ${s.name}` });
    const c = await login(u.username, u.password);
    const t = await createToken(c);
    callers[s.name] = { ...s, user: u.user, cookie: c, client: bearer(t.token) };
  }));
});

test('the matrix route list is exactly the route table of src/http/routes.c (both ways, with the same action)', () => {
  const parsed = parseRoutesC();
  assert.ok(parsed.length >= 100, `parsed only ${parsed.length} routes from routes.c: the regex no longer fits the file`);
  const mine = new Map(ROUTES.map((r) => [key(r[0], r[1]), r[2]]));
  const theirs = new Map(parsed.map((r) => [key(r[0], r[1]), r[2]]));
  assert.equal(mine.size, ROUTES.length, 'the matrix lists a route twice');
  const missing = [...theirs.keys()].filter((k) => !mine.has(k));
  const extra = [...mine.keys()].filter((k) => !theirs.has(k));
  const changed = [...theirs.keys()].filter((k) => mine.has(k) && mine.get(k) !== theirs.get(k))
    .map((k) => `${k}: routes.c says ${theirs.get(k)}, the matrix ${mine.get(k)}`);
  assert.deepEqual({ missing, extra, changed }, { missing: [], extra: [], changed: [] },
    'routes.c and the matrix differ (add new routes to ROUTES with their expected action)');
  // public ⇔ no action
  for (const r of parsed) assert.equal(r[3].includes('NL_R_PUBLIC'), r[2] === null, `${r[0]} ${r[1]}: public ⇔ no action (${r[3]})`);
  // every action used exists in the policy
  for (const r of ROUTES) if (r[2]) assert.ok(POLICY[r[2]], `${r[0]} ${r[1]}: action ${r[2]} is not in the policy table`);
});

test('the matrix policy table is exactly src/auth/policy.c (both ways, same roles)', () => {
  assert.deepEqual(ALL, ROLES, 'the matrix knows the same seven roles as lib.mjs');
  const parsed = parsePolicyC();
  assert.ok(Object.keys(parsed).length >= 20, `parsed only ${Object.keys(parsed).length} policy rows`);
  const norm = (p) => Object.fromEntries(Object.entries(p).map(([a, [r, d]]) => [a, [[...r].sort(), [...d].sort()]]));
  assert.deepEqual(norm(POLICY), norm(parsed), 'policy.c and the matrix differ');
});

test('every route reaches its own row with the test path (first match wins), and every placeholder has a value', () => {
  for (const r of ROUTES) {
    const row = matchRow(ROUTES, r[0], concrete(r[1]));
    assert.equal(row && row[1], r[1], `${r[0]} ${concrete(r[1])} is routed to ${row && row[1]}, not ${r[1]}`);
  }
});

test('GET /api/openapi.json documents every route, and no route the server lacks', async () => {
  const res = await request('GET', '/api/openapi.json');
  const doc = expectStatus(res, 200);
  assert.ok(doc && doc.paths, `openapi.json has paths${describe(res)}`);
  const documented = new Set();
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const m of Object.keys(ops)) if (/^(get|post|put|patch|delete)$/.test(m)) documented.add(key(m.toUpperCase(), p));
  }
  const mine = new Set(ROUTES.map((r) => key(r[0], r[1])));
  const undocumented = [...mine].filter((k) => !documented.has(k));
  const unknown = [...documented].filter((k) => !mine.has(k));
  assert.deepEqual({ undocumented, unknown }, { undocumented: [], unknown: [] },
    'docs/openapi.yaml and the route table differ');
});

// Writes that would change shared state even with an empty body (they have no required field and no id to miss):
// called with the caller's session cookie and no X-CSRF-Token. The server checks the policy before CSRF, so an allowed
// role gets 403 csrf_failed (the permission check passed, nothing written) and a forbidden one 403 forbidden.
const CSRF_PROBE = new Set(['PATCH /api/v1/settings', 'DELETE /api/v1/settings/logo', 'PATCH /api/v1/evaluations/{year}',
  'POST /api/v1/evaluations/{year}/finalize']);

/** call(caller, route): one request for that route, nothing created. */
function call(caller, [method, pattern]) {
  const p = concrete(pattern) + (QUERY[key(method, pattern)] || '');
  const opts = method === 'GET' || method === 'DELETE' ? {} : { json: {} };
  if (!caller) return request(method, p, opts);
  if (CSRF_PROBE.has(key(method, pattern))) return caller.cookie.req(method, p, { ...opts, csrf: false });
  return caller.client.req(method, p, opts);
}

// DELETE /api/v1/session is last (it may end the caller's session or token).
const ORDERED = [...ROUTES.filter((r) => !(r[0] === 'DELETE' && r[1] === '/api/v1/session')),
  ...ROUTES.filter((r) => r[0] === 'DELETE' && r[1] === '/api/v1/session')];

let checked = 0;

test('without login: public routes answer, every other route is 401 unauthenticated', async () => {
  const results = await pool(ORDERED.map((r) => () => call(null, r)));
  const bad = [];
  results.forEach((res, i) => {
    const r = ORDERED[i];
    checked++;
    if (r[2] === null) {
      if (res.status === 401 || res.status === 403 || res.status >= 500) bad.push(`public ${r[0]} ${r[1]} → ${res.status}${describe(res)}`);
    } else if (res.status !== 401 || !res.json || !res.json.error || res.json.error.code !== 'unauthenticated') {
      bad.push(`${r[0]} ${r[1]} (${r[2]}) → ${res.status}, expected 401 unauthenticated${describe(res)}`);
    }
  });
  assert.deepEqual(bad, [], `${bad.length} routes answer wrongly without login:\n${bad.join('\n')}`);
});

for (const name of [...ALL, 'member@other-dept']) {
  test(`${name}: every route answers as the policy says (allowed: not 401/403; forbidden: 403 forbidden)`, async () => {
    const c = callers[name];
    const results = await pool(ORDERED.map((r) => () => call(c, r)));
    const bad = [];
    results.forEach((res, i) => {
      const [method, pattern, action] = ORDERED[i];
      checked++;
      const what = `${method} ${pattern} (${action || 'public'})`;
      if (res.status >= 500) bad.push(`${what} → ${res.status} server error${describe(res)}`);
      else if (action === null || allows(c.role, action)) {
        const probe = CSRF_PROBE.has(key(method, pattern));
        if (probe ? res.status !== 403 || !res.json || !res.json.error || res.json.error.code !== 'csrf_failed'
          : res.status === 401 || res.status === 403) {
          bad.push(`${what}: allowed for ${c.role} but → ${res.status}${probe ? ' (expected 403 csrf_failed)' : ''}${describe(res)}`);
        }
      } else if (res.status !== 403 || !res.json || !res.json.error || res.json.error.code !== 'forbidden') {
        bad.push(`${what}: forbidden for ${c.role} but → ${res.status}${describe(res)}`);
      }
    });
    assert.deepEqual(bad, [], `${name}: ${bad.length} discrepancies:\n${bad.join('\n')}`);
  });
}

test('cookie writes without X-CSRF-Token → 403 csrf_failed (a sample of write routes the caller may use)', async () => {
  const sample = [
    ['admin', 'POST', '/api/v1/departments'], ['admin', 'PATCH', '/api/v1/users/{id}'], ['admin', 'PATCH', '/api/v1/settings'],
    ['member', 'POST', '/api/v1/tokens'], ['member', 'DELETE', '/api/v1/tokens/{id}'], ['member', 'POST', '/api/v1/me/password'],
    ['member', 'POST', '/api/v1/tasks'], ['member', 'POST', '/api/v1/complaints'], ['planner', 'POST', '/api/v1/plans'],
    ['quality', 'PUT', '/api/v1/metrics/{id}/values/{period}'], ['quality', 'POST', '/api/v1/achievement/close'],
    ['hr', 'PUT', '/api/v1/training-sessions/{id}/attendance/{staff_id}'], ['hr', 'DELETE', '/api/v1/appraisals/{id}'],
    ['approver', 'POST', '/api/v1/rewards/{id}/approve'], ['quality', 'PUT', '/api/v1/partner-dimensions'],
  ];
  for (const [role, method, pattern] of sample) {
    assert.ok(ROUTES.some((r) => r[0] === method && r[1] === pattern), `sample route ${method} ${pattern} is in the matrix`);
    const res = await callers[role].cookie.req(method, concrete(pattern), { json: method === 'DELETE' ? undefined : {}, csrf: false });
    expectError(res, 403, 'csrf_failed');
    checked++;
  }
});

test('department scope inside handlers: tasks and appraisals of one\'s own vs another department', async () => {
  const m = callers.member.client;
  const year = new Date().getUTCFullYear();
  const own = await m.post('/api/v1/tasks', { year, department_id: dept.id });   // incomplete on purpose: nothing created
  console.log(`member, own department task → ${own.status}`);
  assert.ok(own.status === 201 || own.status === 422 || own.status === 400, `own department task: 201/422, not 403${describe(own)}`);
  const other = await m.post('/api/v1/tasks', { year, department_id: otherDept.id, title: '别的部门的任务',
    planned_start: `${year}-01-01`, planned_end: `${year}-12-31` });
  expectError(other, 403, 'forbidden');
  const ownList = await m.get(`/api/v1/appraisals?department_id=${dept.id}`);
  assert.ok(ownList.status === 200, `member lists own department's appraisals${describe(ownList)}`);
  const otherList = await m.get(`/api/v1/appraisals?department_id=${otherDept.id}`);
  expectError(otherList, 403, 'forbidden');
  const hrOther = await callers.hr.client.get(`/api/v1/appraisals?department_id=${otherDept.id}`);
  expectStatus(hrOther, 200);   // hr reads every department's
});

test('department scope inside handlers: one appraisal and one metric of a department, read/written from inside and outside', async () => {
  const hr = callers.hr.client;
  const year = 2002 + Math.floor(Math.random() * 19);
  // an appraisal of a staff member of the other department
  const st = expectStatus(await hr.post('/api/v1/staff', { name: '矩阵员工', department_id: otherDept.id, hired_on: '2000-01-01' }), 201);
  const cr = expectStatus(await hr.get('/api/v1/appraisal-criteria'), 200);
  const criteria = Array.isArray(cr) ? cr : cr.items;
  assert.ok(Array.isArray(criteria) && criteria.length > 0, `appraisal criteria are a list${JSON.stringify(cr)}`);
  const scores = Object.fromEntries(criteria.map((c) => [c.key, 80]));
  const ap = expectStatus(await hr.post('/api/v1/appraisals', { staff_id: st.id, period: `${year}-Q1`, scores }), 201);
  expectError(await callers.member.client.get(`/api/v1/appraisals/${ap.id}`), 403, 'forbidden');
  expectError(await callers.planner.client.get(`/api/v1/appraisals/${ap.id}`), 403, 'forbidden');
  expectStatus(await callers['member@other-dept'].client.get(`/api/v1/appraisals/${ap.id}`), 200);
  expectStatus(await callers.auditor.client.get(`/api/v1/appraisals/${ap.id}`), 200);
  // a manual metric owned by the test's department: its members enter values, the other department's member may not
  const code = ('M' + Math.random().toString(36).slice(2, 10)).toUpperCase();
  const metric = expectStatus(await callers.quality.client.post('/api/v1/metrics', {
    year, code, name: '矩阵指标', element: 'process', definition: '定义', unit: 'ratio', direction: 'higher_better',
    target: 0.95, warning: 0.9, frequency: 'month', source: 'manual', owner_department_id: dept.id }), 201);
  const value = { actual: 0.97, note: '矩阵' };
  expectError(await callers['member@other-dept'].client.put(`/api/v1/metrics/${metric.id}/values/${year}-01`, value), 403, 'forbidden');
  expectStatus(await callers.member.client.put(`/api/v1/metrics/${metric.id}/values/${year}-01`, value), 200);
  expectStatus(await callers.hr.client.put(`/api/v1/metrics/${metric.id}/values/${year}-02`, value), 200);
});

test('report the size of the matrix', () => {
  console.log(`authz matrix: ${ROUTES.length} routes × ${ALL.length + 2} callers (7 roles, a member of another department, no login) = ${checked} checks`);
  assert.ok(checked >= ROUTES.length * 9, `ran ${checked} checks, expected ≥ ${ROUTES.length * 9}`);
});
