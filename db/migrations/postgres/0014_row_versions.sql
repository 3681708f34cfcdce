-- 0014_row_versions.sql (PostgreSQL) — optimistic concurrency on every editable record (issue 8.1):
-- a row_version per row, returned as the ETag of GET and checked against If-Match by PATCH/PUT (409 conflict on a
-- lost update); src/store/rowver.c checks and bumps it in the write's own transaction. plans has had one since 0002.
-- The settings are key/value rows: their one version lives in settings_version (a single row, id 1).
ALTER TABLE departments ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE capability_areas ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plan_items ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE metrics ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE metric_values ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE task_checks ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE evaluations ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE customers ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tickets ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sla_policies ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE calendars ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE staff ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE certifications ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE trainings ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE appraisals ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE partners ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE innovations ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE risks ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE settings_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  row_version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO settings_version (id, row_version) VALUES (1, 1);
