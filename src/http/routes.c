/* routes.c — every route of the server in one table: method, path pattern, handler, the policy action that
 * guards it (src/auth/policy.c), flags (public, slow = run on a worker, raw body) and body limit.
 * tests/api checks each route × role against this table; docs/openapi.yaml documents each. */
#include "http/http.h"

#include "audit/audit_api.h"
#include "approval/approval_api.h"
#include "auth/auth_api.h"
#include "cycle/catalogue_api.h"
#include "cycle/evaluation_api.h"
#include "cycle/metric_api.h"
#include "cycle/notify_api.h"
#include "cycle/plan_api.h"
#include "cycle/task_api.h"
#include "http/system_api.h"
#include "org/org_api.h"

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
	/* service records: customers, tickets, imports (src/records/ticket_api.c, import_api.c) */
	/* service records: complaints, ratings, surveys (src/records/complaint_api.c, survey_api.c) */
	/* measures and KPIs (src/kpi/kpi_api.c) */
};

const size_t nl_routes_count = NL_ARRAY_LEN(nl_routes);
