-- 0005_kpi_dirty.sql — the measures engine's change feed: which (department, local day) pairs have records that
-- changed since the engine last aggregated them, and a version counter that every change bumps (so that several
-- servers sharing the database notice each other's writes). department_id 0 = no department.
CREATE TABLE kpi_dirty (
  department_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (department_id, day)
);
CREATE TABLE kpi_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO kpi_state (id, version) VALUES (1, 0);
