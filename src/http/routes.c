/* routes.c — every route of the server in one table: method, path pattern, handler, the policy action that
 * guards it (src/auth/policy.c), flags (public, slow = run on a worker, raw body) and body limit.
 * tests/api checks each route × role against this table; docs/openapi.yaml documents each. */
#include "http/http.h"

#include "audit/audit_api.h"
#include "auth/auth_api.h"
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
	/* the yearly cycle: metrics and the achievement table (src/cycle/metric_api.c) */
	/* the yearly cycle: work items, progress, checks, tracking, evaluation, notifications (src/cycle/task_api.c ...) */
};

const size_t nl_routes_count = NL_ARRAY_LEN(nl_routes);
