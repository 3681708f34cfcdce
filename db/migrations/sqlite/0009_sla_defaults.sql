-- 0009_sla_defaults.sql (SQLite) — the default business calendars and SLA policies, so that a new organisation
-- measures SLAs from the first ticket on (src/records/sla.h). Seeded by a migration rather than by `nengli init` so
-- that existing databases get them with `nengli migrate`, exactly once, on both engines.
--   · 标准工作日历 (中国): Asia/Shanghai, 09:00–12:00 and 13:30–18:00 (7.5 h), Monday to Friday, with every holiday day
--     and every make-up workday (调休上班) of 2024, 2025 and 2026 from the State Council's notices (data/holidays/,
--     sources in data/holidays/README.md: 国办发明电〔2023〕7号, 国办发明电〔2024〕12号, 国办发明电〔2025〕7号). The rows
--     below are data/holidays/CN-2024.csv … CN-2026.csv verbatim (tests/api/records_sla.test.mjs compares them).
--   · 7×24 全天候日历: every minute of every day (for P1 services that promise round-the-clock support).
--   · One policy per priority on the standard calendar, in business minutes (response / resolution):
--     P1 30 / 240, P2 60 / 480, P3 240 / 1440, P4 480 / 2880.
-- Later years: import the new notice's CSV (POST /api/v1/calendars/{id}/days/import?format=csv) or ship it in a new
-- migration; this one is never edited.

INSERT INTO calendars (name, timezone, work_periods, weekdays, created_at, updated_at)
  VALUES ('标准工作日历 (中国)', 'Asia/Shanghai', '[["09:00","12:00"],["13:30","18:00"]]', 31, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
INSERT INTO calendars (name, timezone, work_periods, weekdays, created_at, updated_at)
  VALUES ('7×24 全天候日历', 'Asia/Shanghai', '[["00:00","24:00"]]', 127, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-01-01', 'holiday', '元旦' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-04', 'workday', '春节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-10', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-11', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-12', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-13', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-14', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-15', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-16', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-17', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-02-18', 'workday', '春节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-04-04', 'holiday', '清明节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-04-05', 'holiday', '清明节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-04-06', 'holiday', '清明节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-04-07', 'workday', '清明节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-04-28', 'workday', '劳动节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-05-01', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-05-02', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-05-03', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-05-04', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-05-05', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-05-11', 'workday', '劳动节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-06-10', 'holiday', '端午节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-09-14', 'workday', '中秋节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-09-15', 'holiday', '中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-09-16', 'holiday', '中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-09-17', 'holiday', '中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-09-29', 'workday', '国庆节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-10-01', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-10-02', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-10-03', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-10-04', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-10-05', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-10-06', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-10-07', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2024-10-12', 'workday', '国庆节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-01-01', 'holiday', '元旦' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-01-26', 'workday', '春节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-01-28', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-01-29', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-01-30', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-01-31', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-02-01', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-02-02', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-02-03', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-02-04', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-02-08', 'workday', '春节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-04-04', 'holiday', '清明节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-04-05', 'holiday', '清明节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-04-06', 'holiday', '清明节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-04-27', 'workday', '劳动节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-05-01', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-05-02', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-05-03', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-05-04', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-05-05', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-05-31', 'holiday', '端午节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-06-01', 'holiday', '端午节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-06-02', 'holiday', '端午节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-09-28', 'workday', '国庆节、中秋节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-10-01', 'holiday', '国庆节、中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-10-02', 'holiday', '国庆节、中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-10-03', 'holiday', '国庆节、中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-10-04', 'holiday', '国庆节、中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-10-05', 'holiday', '国庆节、中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-10-06', 'holiday', '国庆节、中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-10-07', 'holiday', '国庆节、中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-10-08', 'holiday', '国庆节、中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2025-10-11', 'workday', '国庆节、中秋节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-01-01', 'holiday', '元旦' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-01-02', 'holiday', '元旦' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-01-03', 'holiday', '元旦' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-01-04', 'workday', '元旦（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-14', 'workday', '春节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-15', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-16', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-17', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-18', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-19', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-20', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-21', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-22', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-23', 'holiday', '春节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-02-28', 'workday', '春节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-04-04', 'holiday', '清明节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-04-05', 'holiday', '清明节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-04-06', 'holiday', '清明节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-05-01', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-05-02', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-05-03', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-05-04', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-05-05', 'holiday', '劳动节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-05-09', 'workday', '劳动节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-06-19', 'holiday', '端午节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-06-20', 'holiday', '端午节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-06-21', 'holiday', '端午节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-09-20', 'workday', '国庆节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-09-25', 'holiday', '中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-09-26', 'holiday', '中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-09-27', 'holiday', '中秋节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-10-01', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-10-02', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-10-03', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-10-04', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-10-05', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-10-06', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-10-07', 'holiday', '国庆节' FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO calendar_days (calendar_id, day, kind, name) SELECT id, '2026-10-10', 'workday', '国庆节（调休上班）' FROM calendars WHERE name = '标准工作日历 (中国)';

INSERT INTO sla_policies (name, priority, calendar_id, response_minutes, resolution_minutes, active, created_at, updated_at)
  SELECT '默认 P1（紧急）', 'P1', id, 30, 240, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO sla_policies (name, priority, calendar_id, response_minutes, resolution_minutes, active, created_at, updated_at)
  SELECT '默认 P2（高）', 'P2', id, 60, 480, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO sla_policies (name, priority, calendar_id, response_minutes, resolution_minutes, active, created_at, updated_at)
  SELECT '默认 P3（中）', 'P3', id, 240, 1440, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calendars WHERE name = '标准工作日历 (中国)';
INSERT INTO sla_policies (name, priority, calendar_id, response_minutes, resolution_minutes, active, created_at, updated_at)
  SELECT '默认 P4（低）', 'P4', id, 480, 2880, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calendars WHERE name = '标准工作日历 (中国)';
