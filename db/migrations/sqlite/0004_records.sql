-- 0004_records.sql (SQLite) — service records: customers (personal data), business calendars and SLA policies,
-- tickets with their status history and derived durations/SLA verdicts, imports, satisfaction ratings and survey
-- campaigns, complaints. Ticket timestamps are Unix seconds (UTC); opened_day is the local calendar date of opened_at
-- in the organisation's time zone (the day a ticket's measures belong to). Dates YYYY-MM-DD, booleans 0/1.

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  organisation TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- A business calendar: work periods per weekday, holidays and make-up workdays (调休) as dated exceptions.
CREATE TABLE calendars (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  work_periods TEXT NOT NULL,          -- JSON [["09:00","12:00"],["13:30","18:00"]]
  weekdays INTEGER NOT NULL DEFAULT 31, -- bit 0 = Monday … bit 6 = Sunday
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE calendar_days (
  calendar_id INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (calendar_id, day)
);

-- Response and resolution targets in business minutes, per priority and optionally category/department.
CREATE TABLE sla_policies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
  category TEXT,
  department_id INTEGER REFERENCES departments(id),
  calendar_id INTEGER NOT NULL REFERENCES calendars(id),
  response_minutes INTEGER NOT NULL,
  resolution_minutes INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  priority TEXT NOT NULL CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
  status TEXT NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_vendor', 'resolved', 'closed')),
  department_id INTEGER REFERENCES departments(id),
  customer_id INTEGER REFERENCES customers(id),
  assignee_user_id INTEGER REFERENCES users(id),
  opened_at INTEGER NOT NULL,
  opened_day TEXT NOT NULL,
  assigned_at INTEGER,
  first_response_at INTEGER,
  resolved_at INTEGER,
  closed_at INTEGER,
  reassignment_count INTEGER NOT NULL DEFAULT 0,
  reopen_count INTEGER NOT NULL DEFAULT 0,
  -- derived on every write (never edited by hand)
  response_minutes INTEGER,            -- first_response_at − opened_at, whole minutes (NULL: missing or negative)
  resolution_minutes INTEGER,          -- resolved_at − opened_at
  wait_minutes INTEGER,                -- assigned_at − opened_at
  sla_policy_id INTEGER REFERENCES sla_policies(id),
  business_response_minutes INTEGER,   -- in the policy's calendar, clock paused in the waiting statuses
  business_resolution_minutes INTEGER,
  paused_minutes INTEGER NOT NULL DEFAULT 0,
  sla_response_met INTEGER,            -- NULL: not measured
  sla_resolution_met INTEGER,
  sla_source_made INTEGER,             -- the source system's own verdict (imports), NULL when none
  import_id INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (source, external_id)
);
CREATE INDEX tickets_dept_day ON tickets(department_id, opened_day);
CREATE INDEX tickets_day ON tickets(opened_day);
CREATE INDEX tickets_customer ON tickets(customer_id);

-- Status history: every status change with its time (the SLA clock pauses in waiting_customer / waiting_vendor).
CREATE TABLE ticket_events (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, at);

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'jsonl', 'servicenow')),
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  file_sha256 TEXT NOT NULL DEFAULT '',
  rows_read INTEGER NOT NULL DEFAULT 0,  -- data rows read (ServiceNow: event rows)
  tickets INTEGER NOT NULL DEFAULT 0,    -- tickets in the file (ServiceNow: distinct numbers)
  inserted INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  rejected TEXT NOT NULL DEFAULT '[]',   -- JSON [{"line","reason"}] (the first 10000)
  rejected_count INTEGER NOT NULL DEFAULT 0,
  warnings TEXT NOT NULL DEFAULT '[]',   -- JSON [{"line","message"}] (the first 1000)
  warnings_count INTEGER NOT NULL DEFAULT 0,
  by_user_id INTEGER REFERENCES users(id),
  started_at TEXT NOT NULL,
  finished_at TEXT
);

-- Satisfaction: one rating per ticket (1–5).
CREATE TABLE ticket_ratings (
  ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  rated_by INTEGER REFERENCES users(id),
  survey_id INTEGER,
  rated_at TEXT NOT NULL,
  rated_day TEXT NOT NULL
);

CREATE TABLE surveys (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  period TEXT NOT NULL,                  -- the tickets sampled: closed tickets opened in this period
  department_id INTEGER REFERENCES departments(id),  -- sampling scope; NULL: every department
  questions TEXT NOT NULL,               -- JSON [{"key","text","weight"}], weights sum to 100
  sample_size INTEGER NOT NULL,
  seed TEXT NOT NULL,                    -- 16 hex digits: the key of the reproducible sampling order
  status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  opened_at TEXT,
  opened_by INTEGER REFERENCES users(id),
  closed_at TEXT,
  updated_at TEXT NOT NULL
);

CREATE TABLE survey_invitations (
  id INTEGER PRIMARY KEY,
  survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  responded_at TEXT,
  answers TEXT,                          -- JSON {"question_key": 1..5}
  score REAL,                            -- weighted, 1–5
  comment TEXT NOT NULL DEFAULT '',
  UNIQUE (survey_id, ticket_id)
);

-- Complaints: register → verify → answer → rectify → archive (reopening allowed).
CREATE TABLE complaints (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  customer_id INTEGER REFERENCES customers(id),
  ticket_id INTEGER REFERENCES tickets(id),
  partner_id INTEGER,
  department_id INTEGER REFERENCES departments(id),
  category TEXT NOT NULL,
  content TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  received_day TEXT NOT NULL,
  answer_deadline INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('registered', 'verified', 'answered', 'rectified', 'archived')),
  valid INTEGER,
  findings TEXT NOT NULL DEFAULT '',
  verifier_user_id INTEGER REFERENCES users(id),
  verified_at INTEGER,
  answer TEXT NOT NULL DEFAULT '',
  answered_at INTEGER,
  answered_by INTEGER REFERENCES users(id),
  last_answered_at INTEGER,                -- the latest answer (after a reopening); answered_at keeps the first
  rectification TEXT NOT NULL DEFAULT '',
  rectified_at INTEGER,
  archived_at INTEGER,
  reopen_count INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX complaints_day ON complaints(received_day);
CREATE INDEX complaints_dept_day ON complaints(department_id, received_day);
CREATE INDEX survey_invitations_ticket ON survey_invitations(ticket_id);
