-- 0011_partners.sql (SQLite) — partners / agents (代理商): profiles and selection, configurable weighted assessment
-- dimensions, quarterly assessments, annual ratings (approved through the approvals mechanism).

CREATE TABLE partners (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  region TEXT NOT NULL DEFAULT '',
  qualifications TEXT NOT NULL DEFAULT '',
  industry_experience TEXT NOT NULL DEFAULT '',
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  contract_start TEXT,
  contract_end TEXT,
  status TEXT NOT NULL CHECK (status IN ('candidate', 'active', 'suspended', 'terminated')),
  selection_record TEXT NOT NULL DEFAULT '',
  department_id INTEGER REFERENCES departments(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Assessment dimensions: weights sum to 100; a dimension may take its score from a measure of the records.
CREATE TABLE partner_dimensions (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  weight REAL NOT NULL,
  source TEXT NOT NULL DEFAULT 'manual',
  sort INTEGER NOT NULL DEFAULT 0
);
INSERT INTO partner_dimensions (key, name, name_en, weight, source, sort) VALUES
  ('service_quality', '服务质量（态度、能力、时效、客户满意度）', 'Service quality (attitude, competence, timeliness, satisfaction)', 40, 'manual', 1),
  ('business_development', '业务发展', 'Business development', 20, 'manual', 2),
  ('cooperation', '协作配合（沟通、问题解决）', 'Cooperation (communication, problem solving)', 20, 'manual', 3),
  ('contract_performance', '合同履行（合规、回款及时性）', 'Contract performance (compliance, payment timeliness)', 20, 'manual', 4);

CREATE TABLE partner_assessments (
  id INTEGER PRIMARY KEY,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  period TEXT NOT NULL,                   -- YYYY-Qn
  scores TEXT NOT NULL,                   -- JSON {dimension_key: 0..100}
  weights TEXT NOT NULL,                  -- JSON {dimension_key: weight} as used
  details TEXT NOT NULL DEFAULT '{}',     -- JSON {"dimensions":[{key,name,weight,source,score,origin,measure,note}],"thresholds":{a,b,c}} as used
  total REAL NOT NULL,
  grade TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  assessor_user_id INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  UNIQUE (partner_id, period)
);

CREATE TABLE partner_ratings (
  id INTEGER PRIMARY KEY,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  year INTEGER NOT NULL,
  quarters TEXT NOT NULL,                 -- JSON [{"period","total"}] of the quarters found
  missing_quarters TEXT NOT NULL DEFAULT '[]',
  total REAL,
  grade TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  version INTEGER NOT NULL DEFAULT 1,     -- the request's number: a rejected rating may be requested again
  approval_id INTEGER REFERENCES approvals(id),
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  decided_at TEXT,
  UNIQUE (partner_id, year)
);
