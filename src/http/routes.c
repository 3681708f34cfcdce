/* routes.c — every route of the server in one table: method, path pattern, handler, the policy action that
 * guards it (src/auth/policy.c), flags (public, slow = run on a worker, raw body) and body limit.
 * tests/api checks each route × role against this table; docs/openapi.yaml documents each. */
#include "http/http.h"

#include "audit/audit_api.h"
#include "approval/approval_api.h"
#include "auth/auth_api.h"
#include "auth/policy_api.h"
#include "cycle/catalogue_api.h"
#include "cycle/evaluation_api.h"
#include "cycle/metric_api.h"
#include "cycle/notify_api.h"
#include "cycle/plan_api.h"
#include "cycle/task_api.h"
#include "documents/documents_api.h"
#include "http/system_api.h"
#include "improvement/innovation_api.h"
#include "improvement/risk_api.h"
#include "kpi/kpi_api.h"
#include "org/org_api.h"
#include "partners/partner_api.h"
#include "people/appraisal_api.h"
#include "people/people_measure_api.h"
#include "people/reward_api.h"
#include "people/staff_api.h"
#include "people/training_api.h"
#include "records/complaint_api.h"
#include "records/customer_api.h"
#include "records/import_api.h"
#include "records/sla_api.h"
#include "records/survey_api.h"
#include "records/ticket_api.h"

#include "core/common.h"

#define KIB(n) ((size_t)(n) * 1024)

const struct nl_route nl_routes[] = {
	/* operations */
	{ "GET", "/healthz", api_healthz, NULL, NL_R_PUBLIC, 0 },
	{ "GET", "/metrics", api_metrics, NULL, NL_R_PUBLIC | NL_R_NODB, 0 },
	{ "GET", "/api/openapi.json", api_openapi, NULL, NL_R_PUBLIC | NL_R_NODB, 0 },
	/* sessions and the current user */
	{ "POST", "/api/v1/session", api_session_create, NULL, NL_R_PUBLIC | NL_R_SLOW, KIB(16) },
	{ "DELETE", "/api/v1/session", api_session_delete, "self", 0, KIB(16) },
	{ "GET", "/api/v1/me", api_me_get, "self", 0, 0 },
	{ "POST", "/api/v1/me/password", api_me_password, "self", NL_R_SLOW, KIB(16) },
	{ "GET", "/api/v1/tokens", api_tokens_list, "self", 0, 0 },
	{ "POST", "/api/v1/tokens", api_tokens_create, "self", 0, KIB(16) },
	{ "DELETE", "/api/v1/tokens/{id}", api_tokens_delete, "self", 0, KIB(16) },
	/* organisation */
	{ "GET", "/api/v1/departments", api_departments_list, "org.read", 0, 0 },
	{ "POST", "/api/v1/departments", api_departments_create, "org.write", 0, KIB(64) },
	{ "GET", "/api/v1/departments/{id}", api_departments_get, "org.read", 0, 0 },
	{ "PATCH", "/api/v1/departments/{id}", api_departments_update, "org.write", 0, KIB(64) },
	{ "GET", "/api/v1/users", api_users_list, "org.read", 0, 0 },
	{ "POST", "/api/v1/users", api_users_create, "org.write", NL_R_SLOW, KIB(64) },
	{ "GET", "/api/v1/users/{id}", api_users_get, "org.read", 0, 0 },
	{ "PATCH", "/api/v1/users/{id}", api_users_update, "org.write", NL_R_SLOW, KIB(64) },
	{ "GET", "/api/v1/settings", api_settings_get, "org.read", 0, 0 },
	{ "PATCH", "/api/v1/settings", api_settings_update, "org.write", 0, KIB(64) },
	{ "GET", "/api/v1/settings/logo", api_settings_logo_get, "org.read", 0, 0 },
	{ "PUT", "/api/v1/settings/logo", api_settings_logo_put, "org.write", NL_R_RAW, KIB(512) },
	{ "DELETE", "/api/v1/settings/logo", api_settings_logo_delete, "org.write", 0, KIB(16) },
	{ "GET", "/api/v1/roles", api_roles_list, "org.read", 0, 0 },
	/* audit */
	{ "GET", "/api/v1/audit", api_audit_list, "audit.read", 0, 0 },
	/* the yearly cycle: plans, meetings, approvals, history (src/cycle/plan_api.c) */
	{ "GET", "/api/v1/capability-areas", api_areas_list, "cycle.read", 0, 0 },
	{ "POST", "/api/v1/capability-areas", api_areas_create, "catalogue.write", 0, KIB(16) },
	{ "GET", "/api/v1/capability-areas/{id}", api_areas_get, "cycle.read", 0, 0 },
	{ "PATCH", "/api/v1/capability-areas/{id}", api_areas_update, "catalogue.write", 0, KIB(16) },
	{ "GET", "/api/v1/approvals", api_approvals_list, "cycle.read", 0, 0 },
	{ "GET", "/api/v1/approvals/{id}", api_approvals_get, "cycle.read", 0, 0 },
	{ "GET", "/api/v1/plans", api_plans_list, "cycle.read", 0, 0 },
	{ "POST", "/api/v1/plans", api_plans_create, "plan.create", 0, KIB(16) },
	{ "GET", "/api/v1/plans/{id}", api_plans_get, "cycle.read", 0, 0 },
	{ "PATCH", "/api/v1/plans/{id}", api_plans_update, "plan.edit", 0, KIB(256) },
	{ "GET", "/api/v1/plans/{id}/items", api_plan_items_list, "cycle.read", 0, 0 },
	{ "POST", "/api/v1/plans/{id}/items", api_plan_items_create, "plan.item.write", 0, KIB(128) },
	{ "GET", "/api/v1/plan-items/{id}", api_plan_item_get, "cycle.read", 0, 0 },
	{ "PATCH", "/api/v1/plan-items/{id}", api_plan_item_update, "plan.item.write", 0, KIB(128) },
	{ "DELETE", "/api/v1/plan-items/{id}", api_plan_item_delete, "plan.item.write", 0, KIB(16) },
	{ "GET", "/api/v1/plans/{id}/meetings", api_plan_meetings_list, "cycle.read", 0, 0 },
	{ "POST", "/api/v1/plans/{id}/meetings", api_plan_meetings_create, "plan.meeting", 0, KIB(256) },
	{ "POST", "/api/v1/plans/{id}/submit", api_plans_submit, "plan.create", 0, KIB(16) },
	{ "POST", "/api/v1/plans/{id}/approve", api_plans_approve, "plan.approve", 0, KIB(16) },
	{ "POST", "/api/v1/plans/{id}/reject", api_plans_reject, "plan.approve", 0, KIB(16) },
	{ "POST", "/api/v1/plans/{id}/revise", api_plans_revise, "plan.create", 0, KIB(16) },
	{ "GET", "/api/v1/plans/{id}/versions", api_plan_versions_list, "cycle.read", 0, 0 },
	{ "GET", "/api/v1/plans/{id}/versions/{version}", api_plan_version_get, "cycle.read", 0, 0 },
	{ "GET", "/api/v1/plans/{id}/history", api_plan_history, "cycle.read", 0, 0 },
	/* the yearly cycle: metrics and the achievement table (src/cycle/metric_api.c) */
	{ "GET", "/api/v1/metrics", api_metrics_list, "cycle.read", 0, 0 },
	{ "POST", "/api/v1/metrics", api_metrics_create, "metric.write", 0, KIB(64) },
	{ "GET", "/api/v1/metrics/{id}", api_metrics_get, "cycle.read", 0, 0 },
	{ "PATCH", "/api/v1/metrics/{id}", api_metrics_update, "metric.write", 0, KIB(64) },
	{ "DELETE", "/api/v1/metrics/{id}", api_metrics_delete, "metric.write", 0, KIB(16) },
	{ "GET", "/api/v1/metrics/{id}/values", api_metric_values_list, "cycle.read", 0, 0 },
	{ "GET", "/api/v1/metrics/{id}/values/{period}", api_metric_value_get, "cycle.read", 0, 0 },
	{ "PUT", "/api/v1/metrics/{id}/values/{period}", api_metric_value_put, "metric.value.write", 0, KIB(64) },
	{ "GET", "/api/v1/achievement", api_achievement_get, "cycle.read", 0, 0 },
	{ "POST", "/api/v1/achievement/compute", api_achievement_compute, "achievement.manage", 0, KIB(16) },
	{ "POST", "/api/v1/achievement/close", api_achievement_close, "achievement.manage", 0, KIB(16) },
	{ "GET", "/api/v1/achievement/closed", api_achievement_closed_list, "cycle.read", 0, 0 },
	{ "GET", "/api/v1/measures", api_measures_list, "cycle.read", 0, 0 },
	/* the yearly cycle: work items, progress, checks, tracking, evaluation, notifications (src/cycle/task_api.c ...) */
	{ "GET", "/api/v1/tasks", api_tasks_list, "cycle.read", 0, 0 },
	{ "POST", "/api/v1/tasks", api_tasks_create, "task.write", 0, KIB(64) },
	{ "GET", "/api/v1/tasks/{id}", api_tasks_get, "cycle.read", 0, 0 },
	{ "PATCH", "/api/v1/tasks/{id}", api_tasks_update, "task.write", 0, KIB(64) },
	{ "POST", "/api/v1/tasks/{id}/progress", api_tasks_progress, "task.progress", 0, KIB(64) },
	{ "POST", "/api/v1/tasks/{id}/checks", api_tasks_checks_create, "task.check", 0, KIB(64) },
	{ "PATCH", "/api/v1/checks/{id}", api_checks_update, "task.check", 0, KIB(64) },
	{ "GET", "/api/v1/tracking", api_tracking_get, "cycle.read", 0, 0 },
	{ "GET", "/api/v1/evaluations/{year}", api_evaluations_get, "cycle.read", 0, 0 },
	{ "PATCH", "/api/v1/evaluations/{year}", api_evaluations_update, "evaluation.write", 0, KIB(512) },
	{ "POST", "/api/v1/evaluations/{year}/finalize", api_evaluations_finalize, "evaluation.write", 0, KIB(16) },
	{ "GET", "/api/v1/notifications", api_notifications_list, "self", 0, 0 },
	/* service records: calendars and SLA policies (src/records/sla_api.c) */
	{ "GET", "/api/v1/calendars", api_calendars_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/calendars", api_calendars_create, "sla.write", 0, KIB(16) },
	{ "GET", "/api/v1/calendars/{id}", api_calendars_get, "records.read", 0, 0 },
	{ "PATCH", "/api/v1/calendars/{id}", api_calendars_update, "sla.write", 0, KIB(16) },
	{ "GET", "/api/v1/calendars/{id}/days", api_calendar_days_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/calendars/{id}/days/import", api_calendar_days_import, "sla.write", NL_R_RAW | NL_R_SLOW, KIB(2048) },
	{ "PUT", "/api/v1/calendars/{id}/days/{date}", api_calendar_day_put, "sla.write", 0, KIB(16) },
	{ "DELETE", "/api/v1/calendars/{id}/days/{date}", api_calendar_day_delete, "sla.write", 0, KIB(16) },
	{ "GET", "/api/v1/sla-policies", api_sla_policies_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/sla-policies", api_sla_policies_create, "sla.write", 0, KIB(16) },
	{ "GET", "/api/v1/sla-policies/{id}", api_sla_policies_get, "records.read", 0, 0 },
	{ "PATCH", "/api/v1/sla-policies/{id}", api_sla_policies_update, "sla.write", 0, KIB(16) },
	/* service records: customers, tickets, imports (src/records/ticket_api.c, import_api.c) */
	{ "GET", "/api/v1/customers", api_customers_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/customers", api_customers_create, "records.write", 0, KIB(64) },
	{ "GET", "/api/v1/customers/{id}", api_customers_get, "records.read", 0, 0 },
	{ "PATCH", "/api/v1/customers/{id}", api_customers_update, "records.write", 0, KIB(64) },
	{ "GET", "/api/v1/tickets", api_tickets_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/tickets", api_tickets_create, "records.write", 0, KIB(64) },
	{ "GET", "/api/v1/tickets/{id}", api_tickets_get, "records.read", 0, 0 },
	{ "PATCH", "/api/v1/tickets/{id}", api_tickets_update, "records.write", 0, KIB(64) },
	{ "POST", "/api/v1/tickets/{id}/status", api_tickets_status, "records.write", 0, KIB(16) },
	{ "GET", "/api/v1/tickets/{id}/sla", api_tickets_sla, "records.read", 0, 0 },
	{ "GET", "/api/v1/imports", api_imports_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/imports", api_imports_create, "import.run", NL_R_RAW | NL_R_SLOW, 0 },
	{ "GET", "/api/v1/imports/{id}", api_imports_get, "records.read", 0, 0 },
	{ "GET", "/api/v1/department-aliases", api_department_aliases_get, "records.read", 0, 0 },
	{ "PUT", "/api/v1/department-aliases", api_department_aliases_put, "import.run", 0, KIB(1024) },
	/* service records: complaints, ratings, surveys (src/records/complaint_api.c, survey_api.c) */
	{ "GET", "/api/v1/complaints", api_complaints_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/complaints", api_complaints_create, "complaint.register", 0, KIB(96) },
	{ "GET", "/api/v1/complaints/analysis", api_complaints_analysis, "records.read", 0, 0 },
	{ "GET", "/api/v1/complaints/{id}", api_complaints_get, "records.read", 0, 0 },
	{ "POST", "/api/v1/complaints/{id}/verify", api_complaints_verify, "complaint.handle", 0, KIB(96) },
	{ "POST", "/api/v1/complaints/{id}/answer", api_complaints_answer, "complaint.handle", 0, KIB(96) },
	{ "POST", "/api/v1/complaints/{id}/rectify", api_complaints_rectify, "complaint.handle", 0, KIB(96) },
	{ "POST", "/api/v1/complaints/{id}/archive", api_complaints_archive, "complaint.handle", 0, KIB(16) },
	{ "POST", "/api/v1/complaints/{id}/reopen", api_complaints_reopen, "complaint.handle", 0, KIB(16) },
	{ "GET", "/api/v1/tickets/{id}/rating", api_ticket_rating_get, "records.read", 0, 0 },
	{ "POST", "/api/v1/tickets/{id}/rating", api_ticket_rating_create, "rating.write", 0, KIB(16) },
	{ "GET", "/api/v1/surveys", api_surveys_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/surveys", api_surveys_create, "survey.manage", 0, KIB(64) },
	{ "GET", "/api/v1/surveys/{id}", api_surveys_get, "records.read", 0, 0 },
	{ "POST", "/api/v1/surveys/{id}/open", api_surveys_open, "survey.manage", 0, KIB(16) },
	{ "POST", "/api/v1/surveys/{id}/close", api_surveys_close, "survey.manage", 0, KIB(16) },
	{ "GET", "/api/v1/survey-responses/{token}", api_survey_response_get, NULL, NL_R_PUBLIC, 0 },
	{ "POST", "/api/v1/survey-responses/{token}", api_survey_response_submit, NULL, NL_R_PUBLIC, KIB(8) },
	/* documents: the five records as XLSX, PDF, DOCX (src/documents/documents_api.c) */
	{ "GET", "/api/v1/exports/{record}", api_exports_get, "cycle.read", NL_R_SLOW, 0 },
	/* measures and KPIs (src/kpi/kpi_api.c) */
	{ "GET", "/api/v1/kpis", api_kpis_get, "records.read", NL_R_SLOW, 0 },
	/* partners / agents (代理商): profiles, linked tickets, dimensions, assessments, annual ratings, ranking
	 * (src/partners/partner_api.c); /partners/ranking comes before /partners/{id} (first match wins) */
	{ "GET", "/api/v1/partners", api_partners_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/partners", api_partners_create, "partner.write", 0, KIB(64) },
	{ "GET", "/api/v1/partners/ranking", api_partners_ranking, "records.read", 0, 0 },
	{ "GET", "/api/v1/partners/{id}", api_partners_get, "records.read", 0, 0 },
	{ "PATCH", "/api/v1/partners/{id}", api_partners_update, "partner.write", 0, KIB(64) },
	{ "GET", "/api/v1/partners/{id}/tickets", api_partner_tickets_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/partners/{id}/tickets", api_partner_tickets_link, "partner.write", 0, KIB(64) },
	{ "DELETE", "/api/v1/partners/{id}/tickets/{ticket_id}", api_partner_tickets_unlink, "partner.write", 0, KIB(16) },
	{ "GET", "/api/v1/partners/{id}/assessments", api_partner_assessments_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/partners/{id}/assessments", api_partner_assessments_create, "partner.write", 0, KIB(64) },
	{ "GET", "/api/v1/partners/{id}/assessments/draft", api_partner_assessments_draft, "records.read", 0, 0 },
	{ "GET", "/api/v1/partner-assessments/{id}", api_partner_assessment_get, "records.read", 0, 0 },
	{ "GET", "/api/v1/partners/{id}/ratings", api_partner_ratings_list, "records.read", 0, 0 },
	{ "POST", "/api/v1/partners/{id}/ratings", api_partner_ratings_request, "partner.rate", 0, KIB(16) },
	{ "GET", "/api/v1/partners/{id}/ratings/{year}", api_partner_ratings_get, "records.read", 0, 0 },
	{ "POST", "/api/v1/partners/{id}/ratings/{year}/approve", api_partner_ratings_approve, "partner.rating.approve", 0,
		KIB(16) },
	{ "POST", "/api/v1/partners/{id}/ratings/{year}/reject", api_partner_ratings_reject, "partner.rating.approve", 0,
		KIB(16) },
	{ "GET", "/api/v1/partner-dimensions", api_partner_dimensions_get, "records.read", 0, 0 },
	{ "PUT", "/api/v1/partner-dimensions", api_partner_dimensions_put, "partner.write", NL_R_RAW, KIB(64) },
	{ "GET", "/api/v1/partner-grades", api_partner_grades_get, "records.read", 0, 0 },
	{ "PUT", "/api/v1/partner-grades", api_partner_grades_put, "partner.write", 0, KIB(16) },
	/* improvement: innovation proposals and the risk register (src/improvement/innovation_api.c, risk_api.c) */
	{ "GET", "/api/v1/innovations", api_innovations_list, "cycle.read", 0, 0 },
	{ "POST", "/api/v1/innovations", api_innovations_create, "innovation.propose", 0, KIB(64) },
	{ "GET", "/api/v1/innovations/{id}", api_innovations_get, "cycle.read", 0, 0 },
	{ "PATCH", "/api/v1/innovations/{id}", api_innovations_update, "innovation.propose", 0, KIB(64) },
	{ "POST", "/api/v1/innovations/{id}/advance", api_innovations_advance, "innovation.advance", 0, KIB(64) },
	{ "GET", "/api/v1/risks", api_risks_list, "cycle.read", 0, 0 },
	{ "POST", "/api/v1/risks", api_risks_create, "risk.write", 0, KIB(64) },
	{ "GET", "/api/v1/risks/matrix", api_risks_matrix, "cycle.read", 0, 0 },
	{ "GET", "/api/v1/risks/{id}", api_risks_get, "cycle.read", 0, 0 },
	{ "PATCH", "/api/v1/risks/{id}", api_risks_update, "risk.write", 0, KIB(64) },
	/* people: staff, skills, certifications, the post structure, measures (src/people/staff_api.c,
	 * people_measure_api.c); /skills/matrix is a fixed path */
	{ "GET", "/api/v1/staff", api_staff_list, "people.read", 0, 0 },
	{ "POST", "/api/v1/staff", api_staff_create, "people.write", 0, KIB(16) },
	{ "GET", "/api/v1/staff/{id}", api_staff_get, "people.read", 0, 0 },
	{ "PATCH", "/api/v1/staff/{id}", api_staff_update, "people.write", 0, KIB(16) },
	{ "POST", "/api/v1/staff/{id}/skills", api_staff_skill_set, "people.write", 0, KIB(16) },
	{ "DELETE", "/api/v1/staff/{id}/skills/{skill_id}", api_staff_skill_delete, "people.write", 0, KIB(16) },
	{ "POST", "/api/v1/staff/{id}/certifications", api_staff_certification_create, "people.write", 0, KIB(16) },
	{ "GET", "/api/v1/certifications", api_certifications_list, "people.read", 0, 0 },
	{ "GET", "/api/v1/certifications/{id}", api_certifications_get, "people.read", 0, 0 },
	{ "PATCH", "/api/v1/certifications/{id}", api_certifications_update, "people.write", 0, KIB(16) },
	{ "DELETE", "/api/v1/certifications/{id}", api_certifications_delete, "people.write", 0, KIB(16) },
	{ "GET", "/api/v1/skills", api_skills_list, "people.read", 0, 0 },
	{ "GET", "/api/v1/skills/matrix", api_skills_matrix, "people.read", 0, 0 },
	{ "GET", "/api/v1/posts", api_posts_list, "people.read", 0, 0 },
	{ "GET", "/api/v1/people/measures", api_people_measures, "people.read", 0, 0 },
	/* people: the training plan, sessions and attendance (src/people/training_api.c) */
	{ "GET", "/api/v1/trainings", api_trainings_list, "people.read", 0, 0 },
	{ "POST", "/api/v1/trainings", api_trainings_create, "people.write", 0, KIB(16) },
	{ "GET", "/api/v1/trainings/{id}", api_trainings_get, "people.read", 0, 0 },
	{ "PATCH", "/api/v1/trainings/{id}", api_trainings_update, "people.write", 0, KIB(16) },
	{ "DELETE", "/api/v1/trainings/{id}", api_trainings_delete, "people.write", 0, KIB(16) },
	{ "POST", "/api/v1/trainings/{id}/sessions", api_training_sessions_create, "people.write", 0, KIB(16) },
	{ "GET", "/api/v1/training-sessions/{id}", api_training_sessions_get, "people.read", 0, 0 },
	{ "DELETE", "/api/v1/training-sessions/{id}", api_training_sessions_delete, "people.write", 0, KIB(16) },
	{ "PUT", "/api/v1/training-sessions/{id}/attendance/{staff_id}", api_training_attendance_put, "people.write", 0, KIB(16) },
	{ "DELETE", "/api/v1/training-sessions/{id}/attendance/{staff_id}", api_training_attendance_delete, "people.write", 0,
		KIB(16) },
	/* people: appraisal criteria and appraisals, rewards and penalties (src/people/appraisal_api.c, reward_api.c) */
	{ "GET", "/api/v1/appraisal-criteria", api_appraisal_criteria_get, "people.read", 0, 0 },
	{ "PUT", "/api/v1/appraisal-criteria", api_appraisal_criteria_put, "appraisal.write", NL_R_RAW, KIB(64) },
	{ "GET", "/api/v1/appraisals", api_appraisals_list, "appraisal.read", 0, 0 },
	{ "POST", "/api/v1/appraisals", api_appraisals_create, "appraisal.write", 0, KIB(64) },
	{ "GET", "/api/v1/appraisals/{id}", api_appraisals_get, "appraisal.read", 0, 0 },
	{ "PATCH", "/api/v1/appraisals/{id}", api_appraisals_update, "appraisal.write", 0, KIB(64) },
	{ "DELETE", "/api/v1/appraisals/{id}", api_appraisals_delete, "appraisal.write", 0, KIB(16) },
	{ "GET", "/api/v1/rewards", api_rewards_list, "appraisal.read", 0, 0 },
	{ "POST", "/api/v1/rewards", api_rewards_create, "reward.propose", 0, KIB(16) },
	{ "GET", "/api/v1/rewards/{id}", api_rewards_get, "appraisal.read", 0, 0 },
	{ "POST", "/api/v1/rewards/{id}/approve", api_rewards_approve, "reward.approve", 0, KIB(16) },
	{ "POST", "/api/v1/rewards/{id}/reject", api_rewards_reject, "reward.approve", 0, KIB(16) },
	{ "POST", "/api/v1/rewards/{id}/cancel", api_rewards_cancel, "reward.propose", 0, KIB(16) },
};

const size_t nl_routes_count = NL_ARRAY_LEN(nl_routes);
