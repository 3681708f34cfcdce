-- 0008_complaint_events.sql (SQLite) — the history of each complaint: one row per step of its lifecycle
-- (register, verify, answer, rectify, archive, reopen) with the state before and after, the verdict or text given,
-- who did it and when. Reopening and re-answering overwrite the complaint's current fields; this table keeps all.
CREATE TABLE complaint_events (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
  action TEXT NOT NULL CHECK (action IN ('register', 'verify', 'answer', 'rectify', 'archive', 'reopen')),
  from_status TEXT,                      -- NULL for register
  to_status TEXT NOT NULL,
  valid INTEGER,                         -- verify: the verdict (0/1)
  note TEXT NOT NULL DEFAULT '',         -- verify: findings; answer: the answer; rectify: the measures; reopen: the reason
  at INTEGER NOT NULL,                   -- Unix seconds (UTC)
  actor_user_id INTEGER REFERENCES users(id),
  actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);
