-- 0002_cycle.sql (SQLite) — the yearly capability cycle: the generic approval mechanism; the annual capability plan
-- with its items, review meetings, change history and frozen version snapshots; the measurement plan and the
-- achievement table; department work items with progress and quality's checks; the annual evaluation.
-- Timestamps are RFC 3339 UTC text, dates YYYY-MM-DD text, booleans 0/1.

-- The configurable catalogue of sub-areas per element (people, process, technology, resources).
CREATE TABLE capability_areas (
  id INTEGER PRIMARY KEY,
  element TEXT NOT NULL CHECK (element IN ('people', 'process', 'technology', 'resources')),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  sort INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1
);

-- Generic approvals: an entity (plan, evaluation, reward, partner_rating ...) asks for decisions in steps, each
-- step naming the role that decides it. Plans use one step (approver); later rooms may use more.
CREATE TABLE approvals (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  entity_version INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  requested_by INTEGER REFERENCES users(id),
  requested_at TEXT NOT NULL,
  decided_at TEXT,
  summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX approvals_entity ON approvals(entity, entity_id);
CREATE INDEX approvals_status ON approvals(status);

CREATE TABLE approval_steps (
  id INTEGER PRIMARY KEY,
  approval_id INTEGER NOT NULL REFERENCES approvals(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('waiting', 'pending', 'approved', 'rejected', 'skipped')),
  decided_by INTEGER REFERENCES users(id),
  decided_at TEXT,
  comment TEXT NOT NULL DEFAULT '',
  UNIQUE (approval_id, seq)
);

-- The annual service capability plan (年度服务能力管理计划). One plan per year; its versions share the row and
-- each approved version is frozen in plan_versions.
CREATE TABLE plans (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL UNIQUE,
  title TEXT NOT NULL,
  doc_number TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
  review_achievements TEXT NOT NULL DEFAULT '',
  review_problems TEXT NOT NULL DEFAULT '',
  review_carryover TEXT NOT NULL DEFAULT '',
  tracking_plan TEXT NOT NULL DEFAULT '',
  tracking_frequency TEXT NOT NULL DEFAULT 'quarter',
  tracking_checkpoints TEXT NOT NULL DEFAULT '',
  tracker_user_id INTEGER REFERENCES users(id),
  prepared_by INTEGER REFERENCES users(id),
  submitted_by INTEGER REFERENCES users(id),
  submitted_at TEXT,
  approved_by INTEGER REFERENCES users(id),
  approved_at TEXT,
  approval_id INTEGER REFERENCES approvals(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  row_version INTEGER NOT NULL DEFAULT 1,
  -- review meetings with a greater id count toward the next submission; raised to the highest meeting id
  -- when the plan is rejected (a rejected plan needs a new meeting that passes)
  meeting_floor_id INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE plan_items (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  element TEXT NOT NULL CHECK (element IN ('people', 'process', 'technology', 'resources')),
  area TEXT NOT NULL,
  current_state TEXT NOT NULL DEFAULT '',
  objective TEXT NOT NULL,
  measures TEXT NOT NULL DEFAULT '',
  owner_department_id INTEGER REFERENCES departments(id),
  owner_user_id INTEGER REFERENCES users(id),
  due_date TEXT,
  budget TEXT NOT NULL DEFAULT '',
  sort INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX plan_items_plan ON plan_items(plan_id, element);

CREATE TABLE plan_meetings (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  plan_version INTEGER NOT NULL,
  held_on TEXT NOT NULL,
  attendees TEXT NOT NULL,
  minutes TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('pass', 'revise')),
  recorded_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX plan_meetings_plan ON plan_meetings(plan_id);

-- The change history (变更履历): one row per action on the plan.
CREATE TABLE plan_history (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  action TEXT NOT NULL,
  at TEXT NOT NULL,
  by_user_id INTEGER REFERENCES users(id),
  by_name TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_history_plan ON plan_history(plan_id, id);

-- A frozen copy (JSON: the plan, its items and meetings) of each approved version.
CREATE TABLE plan_versions (
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  approved_at TEXT NOT NULL,
  approved_by INTEGER REFERENCES users(id),
  snapshot TEXT NOT NULL,
  PRIMARY KEY (plan_id, version)
);

-- The measurement plan (运维服务管理目标度量计划): metrics of a year.
CREATE TABLE metrics (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  element TEXT NOT NULL CHECK (element IN ('people', 'process', 'technology', 'resources')),
  definition TEXT NOT NULL DEFAULT '',
  formula TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  direction TEXT NOT NULL CHECK (direction IN ('higher_better', 'lower_better')),
  target REAL NOT NULL,
  warning REAL,
  frequency TEXT NOT NULL CHECK (frequency IN ('month', 'quarter', 'year')),
  source TEXT NOT NULL,
  method TEXT NOT NULL DEFAULT '',
  owner_department_id INTEGER REFERENCES departments(id),
  plan_item_id INTEGER REFERENCES plan_items(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (year, code)
);

-- The achievement table (运维服务管理目标度量达成表): one value per metric and period.
CREATE TABLE metric_values (
  id INTEGER PRIMARY KEY,
  metric_id INTEGER NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
  period TEXT NOT NULL,
  numerator REAL,
  denominator REAL,
  actual REAL,
  target REAL NOT NULL,
  warning REAL,
  rate REAL,
  status TEXT CHECK (status IN ('met', 'warning', 'missed')),
  origin TEXT NOT NULL CHECK (origin IN ('manual', 'computed')),
  note TEXT NOT NULL DEFAULT '',
  deviation_analysis TEXT NOT NULL DEFAULT '',
  corrective_action TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',
  recorded_by INTEGER REFERENCES users(id),
  recorded_at TEXT NOT NULL,
  reviewed_by INTEGER REFERENCES users(id),
  reviewed_at TEXT,
  UNIQUE (metric_id, period)
);
CREATE INDEX metric_values_period ON metric_values(period);

CREATE TABLE closed_periods (
  period TEXT PRIMARY KEY,
  closed_by INTEGER REFERENCES users(id),
  closed_at TEXT NOT NULL
);

-- Department work plans (部门详细工作计划) and their execution.
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  title TEXT NOT NULL,
  plan_item_id INTEGER REFERENCES plan_items(id) ON DELETE SET NULL,
  metric_id INTEGER REFERENCES metrics(id) ON DELETE SET NULL,
  owner_user_id INTEGER REFERENCES users(id),
  planned_start TEXT NOT NULL,
  planned_end TEXT NOT NULL,
  actual_end TEXT,
  deliverable TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'delayed', 'cancelled')),
  percent INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX tasks_year ON tasks(year, department_id);

CREATE TABLE task_progress (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  percent INTEGER NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',
  reported_by INTEGER REFERENCES users(id),
  reported_at TEXT NOT NULL
);
CREATE INDEX task_progress_task ON task_progress(task_id, id);

-- Quality's checks (运维服务管理计划工作执行跟踪表).
CREATE TABLE task_checks (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  checked_on TEXT NOT NULL,
  finding TEXT NOT NULL,
  deviation_reason TEXT NOT NULL DEFAULT '',
  corrective_action TEXT NOT NULL DEFAULT '',
  due_date TEXT,
  checker_user_id INTEGER REFERENCES users(id),
  verified INTEGER NOT NULL DEFAULT 0,
  verified_by INTEGER REFERENCES users(id),
  verified_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX task_checks_task ON task_checks(task_id);

-- The annual evaluation report (年度服务能力执行效果评估报告).
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('draft', 'finalized')),
  purpose TEXT NOT NULL DEFAULT '',
  method TEXT NOT NULL DEFAULT '',
  problems TEXT NOT NULL DEFAULT '[]',
  suggestions TEXT NOT NULL DEFAULT '[]',
  conclusion TEXT NOT NULL DEFAULT '',
  snapshot TEXT,
  -- 1 once quality has edited the problems / suggestions (an edited empty list replaces the generated one)
  problems_edited INTEGER NOT NULL DEFAULT 0,
  suggestions_edited INTEGER NOT NULL DEFAULT 0,
  updated_by INTEGER REFERENCES users(id),
  finalized_by INTEGER REFERENCES users(id),
  finalized_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
