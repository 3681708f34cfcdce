-- 0006_department_aliases.sql (SQLite) — how import sources name the organisation's departments: a ServiceNow
-- assignment group ("Group 56", "Service Desk L2") or a CSV "department" value that is neither a department's code
-- nor its name maps to a department here. source '*' applies to every source (a source's own row wins).
CREATE TABLE department_aliases (
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (source, name)
);
