-- 0010_people.sql (SQLite) — people: staff records with posts, key posts and their backups (岗位备份), skills with
-- levels, certifications; the yearly training plan with sessions and attendance; appraisals with configurable weighted
-- criteria; rewards and penalties (奖惩) approved through the generic approvals. Dates YYYY-MM-DD, booleans 0/1.

CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  user_id INTEGER UNIQUE REFERENCES users(id),
  department_id INTEGER NOT NULL REFERENCES departments(id),
  post TEXT NOT NULL DEFAULT '',
  key_post INTEGER NOT NULL DEFAULT 0,
  backup_staff_id INTEGER REFERENCES staff(id),
  hired_on TEXT NOT NULL,
  left_on TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX staff_department ON staff(department_id);

CREATE TABLE skills (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL DEFAULT ''
);

CREATE TABLE staff_skills (
  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  skill_id INTEGER NOT NULL REFERENCES skills(id),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  assessed_on TEXT NOT NULL,
  PRIMARY KEY (staff_id, skill_id)
);

CREATE TABLE certifications (
  id INTEGER PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  issuer TEXT NOT NULL DEFAULT '',
  number TEXT NOT NULL DEFAULT '',
  obtained_on TEXT NOT NULL,
  expires_on TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX certifications_staff ON certifications(staff_id);

-- The yearly training plan (培训计划): one row per planned course.
CREATE TABLE trainings (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL,
  course TEXT NOT NULL,
  topic TEXT NOT NULL DEFAULT '',
  form TEXT NOT NULL CHECK (form IN ('online', 'lecture', 'case_study', 'drill')),
  hours REAL NOT NULL,
  target_group TEXT NOT NULL DEFAULT '',
  planned_attendees INTEGER,                  -- planned head count of the target group (person-hours plan)
  department_id INTEGER REFERENCES departments(id),
  planned_on TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
  effectiveness TEXT NOT NULL DEFAULT '',     -- evaluation of effect: tests, feedback, use in practice
  applied_in_practice INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX trainings_year ON trainings(year);

CREATE TABLE training_sessions (
  id INTEGER PRIMARY KEY,
  training_id INTEGER NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,
  held_on TEXT NOT NULL,
  hours REAL NOT NULL,
  trainer TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX training_sessions_training ON training_sessions(training_id);

CREATE TABLE training_attendance (
  session_id INTEGER NOT NULL REFERENCES training_sessions(id) ON DELETE CASCADE,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  attended INTEGER NOT NULL,
  exam_score REAL,
  feedback_score REAL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (session_id, staff_id)
);
CREATE INDEX training_attendance_staff ON training_attendance(staff_id);

-- Appraisal criteria (configurable; weights sum to 100) and appraisals.
CREATE TABLE appraisal_criteria (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  weight REAL NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0
);
INSERT INTO appraisal_criteria (key, name, name_en, weight, sort) VALUES
  ('attitude', '工作态度', 'Attitude', 30, 1), ('quality', '工作质量', 'Quality', 40, 2), ('efficiency', '工作效率', 'Efficiency', 30, 3);

CREATE TABLE appraisals (
  id INTEGER PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  period TEXT NOT NULL,
  scores TEXT NOT NULL,                  -- JSON {criterion: 0..100}
  weights TEXT NOT NULL DEFAULT '{}',    -- JSON {criterion: weight} as used for the total
  total REAL NOT NULL,
  grade TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  appraiser_user_id INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (staff_id, period)
);

-- Rewards and penalties (奖惩), for staff or partners, approved through the approvals mechanism.
CREATE TABLE rewards (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('reward', 'penalty')),
  staff_id INTEGER REFERENCES staff(id),
  partner_id INTEGER,
  reason TEXT NOT NULL,
  cause_type TEXT NOT NULL DEFAULT '' ,   -- complaint | metric | assessment | innovation | other
  cause_id INTEGER,
  amount REAL,
  points REAL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  approval_id INTEGER REFERENCES approvals(id),
  created_by INTEGER REFERENCES users(id),
  proposed_on TEXT NOT NULL,             -- the organisation's local date of the proposal (year filter)
  created_at TEXT NOT NULL,
  decided_at TEXT
);
CREATE INDEX rewards_staff ON rewards(staff_id);
CREATE INDEX rewards_status ON rewards(status);
