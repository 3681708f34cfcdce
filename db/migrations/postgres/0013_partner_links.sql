-- 0013_partner_links.sql (PostgreSQL) — tickets handled by a partner (代理商): a nullable partner_id on tickets, set
-- through POST /api/v1/partners/{id}/tickets, so that a partner's complaint rate, satisfaction and SLA attainment can be
-- computed from the records (src/partners/partner_measure.c). Complaints carry partner_id since 0004.
ALTER TABLE tickets ADD COLUMN partner_id BIGINT REFERENCES partners(id);
CREATE INDEX tickets_partner_day ON tickets(partner_id, opened_day);
CREATE INDEX complaints_partner_day ON complaints(partner_id, received_day);
CREATE INDEX partner_assessments_period ON partner_assessments(period);
