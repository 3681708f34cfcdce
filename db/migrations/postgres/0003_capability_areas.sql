-- 0003_capability_areas.sql (PostgreSQL) — seeds the catalogue of capability sub-areas per element (DESIGN.md "The four
-- elements and their usual sub-areas"). Codes are stable (plan items store them); names may be changed and areas
-- deactivated or added through /api/v1/capability-areas. Ids are chosen by the database.
INSERT INTO capability_areas (element, code, name, name_en, sort, active) VALUES
  ('people', 'people.staffing', '人员储备', 'Staffing reserve', 10, 1),
  ('people', 'people.posts', '岗位结构', 'Post structure and backups', 20, 1),
  ('people', 'people.training', '人员培训', 'Training', 30, 1),
  ('people', 'people.appraisal', '人员绩效', 'Appraisal', 40, 1),
  ('people', 'people.skills', '知识/技能', 'Knowledge and skills', 50, 1),
  ('resources', 'resources.tools', '运维工具', 'O&M tools', 10, 1),
  ('resources', 'resources.service_desk', '服务台', 'Service desk', 20, 1),
  ('resources', 'resources.service_data', '服务数据', 'Service data', 30, 1),
  ('resources', 'resources.spare_parts', '备件库', 'Spare parts', 40, 1),
  ('resources', 'resources.knowledge_base', '知识库', 'Knowledge base', 50, 1),
  ('resources', 'resources.dsl', '最终软件库', 'Definitive software library', 60, 1),
  ('technology', 'technology.detection', '发现问题', 'Problem detection', 10, 1),
  ('technology', 'technology.solving', '解决问题', 'Problem solving (standards, runbooks, test environment)', 20, 1),
  ('technology', 'technology.rnd', '运维技术研发', 'O&M technology R&D', 30, 1),
  ('process', 'process.service_level', '服务级别', 'Service level management', 10, 1),
  ('process', 'process.reporting', '服务报告', 'Service reporting', 20, 1),
  ('process', 'process.incident', '事件', 'Incident management', 30, 1),
  ('process', 'process.problem', '问题', 'Problem management', 40, 1),
  ('process', 'process.configuration', '配置', 'Configuration management', 50, 1),
  ('process', 'process.change', '变更', 'Change management', 60, 1),
  ('process', 'process.release', '发布', 'Release management', 70, 1),
  ('process', 'process.security', '信息安全', 'Information security', 80, 1),
  ('process', 'process.capacity', '容量', 'Capacity management', 90, 1),
  ('process', 'process.availability', '可用性/连续性', 'Availability and continuity', 100, 1);
