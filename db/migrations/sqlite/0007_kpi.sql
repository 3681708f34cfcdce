-- 0007_kpi.sql (SQLite) — the measures engine's aggregates (src/kpi/kpi_engine.c, docs/guide/measures.md).
--
-- kpi_dirty becomes an append-only change log: a writer inserts one row per (department, day) it changed and never
-- touches an existing row, the refresh deletes exactly the rows it read (by id). With the former primary key on
-- (department_id, day) a mark made while a refresh ran could be swallowed by the refresh's delete (PostgreSQL, READ
-- COMMITTED), and an upsert of it would make writers and refreshes wait for each other. department_id 0 = none.
--
-- kpi_state.version is bumped by each refresh (no longer by each write): a server whose copy is older loads the
-- kpi_daily rows with a newer version. kpi_state.instance tells databases apart (a process follows one at a time).
--
-- kpi_daily: per (department, local day) the additive counters of the ticket and complaint measures and the exact
-- histograms of the two percentile measures. Tickets count on their opened_day, with their rating; complaints on
-- their received_day. version = the kpi_state.version of the refresh that wrote the row.
DROP TABLE kpi_dirty;
CREATE TABLE kpi_dirty (
  id INTEGER PRIMARY KEY,
  department_id INTEGER NOT NULL,
  day TEXT NOT NULL
);

ALTER TABLE kpi_state ADD COLUMN instance TEXT NOT NULL DEFAULT '';
UPDATE kpi_state SET instance = lower(hex(randomblob(16)));

CREATE TABLE kpi_daily (
  department_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  version INTEGER NOT NULL,
  tickets INTEGER NOT NULL,                 -- tickets opened (opened_day = day)
  resolved INTEGER NOT NULL,                -- of which resolved_at is set
  resolved_first_contact INTEGER NOT NULL,  -- of which resolved with reassignment_count = 0
  reopened INTEGER NOT NULL,                -- tickets with reopen_count >= 1
  response_n INTEGER NOT NULL,              -- tickets with response_minutes (not NULL)
  response_sum INTEGER NOT NULL,            -- their sum, minutes
  resolution_n INTEGER NOT NULL,
  resolution_sum INTEGER NOT NULL,
  wait_n INTEGER NOT NULL,
  wait_sum INTEGER NOT NULL,
  sla_response_n INTEGER NOT NULL,          -- sla_response_met not NULL
  sla_response_met INTEGER NOT NULL,        -- of which met
  sla_resolution_n INTEGER NOT NULL,
  sla_resolution_met INTEGER NOT NULL,
  sla_source_n INTEGER NOT NULL,            -- sla_source_made not NULL
  sla_source_made INTEGER NOT NULL,
  ratings INTEGER NOT NULL,                 -- ratings of these tickets (ticket_ratings)
  rating_sum INTEGER NOT NULL,
  ratings_satisfied INTEGER NOT NULL,       -- ratings of 4 or 5
  complaints INTEGER NOT NULL,              -- complaints received (received_day = day) for the department
  complaints_valid INTEGER NOT NULL,        -- of which valid = 1
  complaints_in_time INTEGER NOT NULL,      -- of which answered_at <= answer_deadline
  response_hist TEXT NOT NULL,              -- exact histogram of response_minutes (src/kpi/kpi_hist.h encoding)
  resolution_hist TEXT NOT NULL,            -- exact histogram of resolution_minutes
  PRIMARY KEY (department_id, day)
);
CREATE INDEX kpi_daily_version ON kpi_daily(version);

-- Records written before this migration: every pair they touch is dirty (the first query aggregates them).
INSERT INTO kpi_dirty (department_id, day) SELECT DISTINCT COALESCE(department_id, 0), opened_day FROM tickets;
INSERT INTO kpi_dirty (department_id, day) SELECT DISTINCT COALESCE(department_id, 0), received_day FROM complaints;
