-- 0012_improvement.sql (SQLite) — innovation proposals (创新提案: proposed → pilot → adopted | rejected) and the risk
-- register (风险: likelihood × impact, mitigation, owner, review date).
-- Dates (proposed_on, piloted_on, decided_on, review_on) are local calendar dates YYYY-MM-DD; the measures count by them.
-- A risk's score (likelihood × impact) and level are computed on every read, never stored.

CREATE TABLE innovations (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('service_product', 'process', 'technology')),
  description TEXT NOT NULL,
  proposer_user_id INTEGER REFERENCES users(id),
  department_id INTEGER REFERENCES departments(id),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'pilot', 'adopted', 'rejected')),
  pilot_result TEXT NOT NULL DEFAULT '',
  proposed_on TEXT NOT NULL,
  piloted_on TEXT,
  decided_on TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX innovations_status ON innovations(status, proposed_on);

CREATE TABLE innovation_events (
  id INTEGER PRIMARY KEY,
  innovation_id INTEGER NOT NULL REFERENCES innovations(id) ON DELETE CASCADE,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  by_user_id INTEGER REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX innovation_events_innovation ON innovation_events(innovation_id, id);

CREATE TABLE risks (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  element TEXT NOT NULL CHECK (element IN ('people', 'process', 'technology', 'resources')),
  likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
  impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
  mitigation TEXT NOT NULL DEFAULT '',
  owner_user_id INTEGER REFERENCES users(id),
  review_on TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'mitigating', 'accepted', 'closed')),
  plan_item_id INTEGER REFERENCES plan_items(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX risks_review ON risks(status, review_on);
