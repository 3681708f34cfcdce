/* test_http.c — the router (patterns, parameters, 404 vs 405, HEAD), the error table, and that every route names
 * a policy action that exists (so no route is accidentally unguarded). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "auth/auth.h"
#include "core/err.h"
#include "http/http.h"
#include "http/router.h"

static int h_dummy(struct nl_req *r)
{
	(void)r;
	return 0;
}

static const struct nl_route t_routes[] = {
	{ "GET", "/api/v1/plans", h_dummy, "self", 0, 0 },
	{ "POST", "/api/v1/plans", h_dummy, "self", 0, 0 },
	{ "GET", "/api/v1/plans/{id}", h_dummy, "self", 0, 0 },
	{ "POST", "/api/v1/plans/{id}/submit", h_dummy, "self", 0, 0 },
	{ "PUT", "/api/v1/metrics/{id}/values/{period}", h_dummy, "self", 0, 0 },
};
#define NT (sizeof t_routes / sizeof t_routes[0])

static void test_router_exact_and_params(void **state)
{
	(void)state;
	struct nl_route_match m;
	assert_int_equal(router_match(t_routes, NT, "GET", "/api/v1/plans", &m), 0);
	assert_int_equal(m.index, 0);
	assert_int_equal(router_match(t_routes, NT, "POST", "/api/v1/plans", &m), 0);
	assert_int_equal(m.index, 1);
	assert_int_equal(router_match(t_routes, NT, "GET", "/api/v1/plans/42", &m), 0);
	assert_int_equal(m.index, 2);
	assert_int_equal(m.nparams, 1);
	assert_int_equal(m.name_len[0], 2);
	assert_memory_equal(m.names[0], "id", 2);
	assert_int_equal(m.value_len[0], 2);
	assert_memory_equal(m.values[0], "42", 2);
	assert_int_equal(router_match(t_routes, NT, "PUT", "/api/v1/metrics/7/values/2027-Q1", &m), 0);
	assert_int_equal(m.index, 4);
	assert_int_equal(m.nparams, 2);
	assert_memory_equal(m.values[1], "2027-Q1", 7);
}

static void test_router_not_found_and_method(void **state)
{
	(void)state;
	struct nl_route_match m;
	assert_int_equal(router_match(t_routes, NT, "GET", "/api/v1/plan", &m), NL_ENOTFOUND);
	assert_int_equal(router_match(t_routes, NT, "GET", "/api/v1/plans/", &m), NL_ENOTFOUND);   /* empty segment */
	assert_int_equal(router_match(t_routes, NT, "GET", "/api/v1/plans/1/submit/x", &m), NL_ENOTFOUND);
	assert_int_equal(router_match(t_routes, NT, "DELETE", "/api/v1/plans", &m), NL_EMETHOD);
	assert_string_equal(m.allow, "GET, POST");
	assert_int_equal(router_match(t_routes, NT, "GET", "/api/v1/plans/3/submit", &m), NL_EMETHOD);
	assert_string_equal(m.allow, "POST");
	assert_int_equal(router_match(t_routes, NT, "HEAD", "/api/v1/plans/3", &m), 0);
	assert_int_equal(m.index, 2);
}

static void test_error_table(void **state)
{
	(void)state;
	assert_int_equal(nl_err_status(NL_EJSON), 400);
	assert_string_equal(nl_err_code(NL_EJSON), "invalid_json");
	assert_int_equal(nl_err_status(NL_EVALID), 422);
	assert_string_equal(nl_err_code(NL_EVALID), "validation_failed");
	assert_int_equal(nl_err_status(NL_EUNAUTH), 401);
	assert_int_equal(nl_err_status(NL_EFORBIDDEN), 403);
	assert_int_equal(nl_err_status(NL_ECSRF), 403);
	assert_string_equal(nl_err_code(NL_ECSRF), "csrf_failed");
	assert_int_equal(nl_err_status(NL_ENOTFOUND), 404);
	assert_int_equal(nl_err_status(NL_EMETHOD), 405);
	assert_int_equal(nl_err_status(NL_ECONFLICT), 409);
	assert_int_equal(nl_err_status(NL_ESTATE), 409);
	assert_int_equal(nl_err_status(NL_ETOOLARGE), 413);
	assert_int_equal(nl_err_status(NL_EMEDIA), 415);
	assert_int_equal(nl_err_status(NL_ETHROTTLED), 429);
	assert_int_equal(nl_err_status(NL_ESTORE), 500);
	assert_int_equal(nl_err_status(-999), 500);
	assert_string_equal(nl_err_code(-999), "internal_error");
	/* every code in the enum has its own row */
	for (int c = NL_EINVAL; c > NL_ERR_MIN_; c--)
		if (c != NL_EINTERNAL)
			assert_string_not_equal(nl_err_code(c), "internal_error");
}

static void test_error_fail_keeps_first(void **state)
{
	(void)state;
	struct nl_error e = { 0 };
	assert_int_equal(nl_fail(&e, NL_EVALID, "year", "year %d is too early", 1800), NL_EVALID);
	assert_int_equal(nl_fail(&e, NL_ENOTFOUND, "x", "second"), NL_ENOTFOUND);
	assert_int_equal(e.code, NL_EVALID);
	assert_string_equal(e.field, "year");
	assert_string_equal(e.message, "year 1800 is too early");
}

static void test_every_route_is_guarded(void **state)
{
	(void)state;
	for (size_t i = 0; i < nl_routes_count; i++) {
		const struct nl_route *r = &nl_routes[i];
		if (r->flags & NL_R_PUBLIC) {
			/* only these may be reached without logging in */
			int ok = !strcmp(r->pattern, "/healthz") || !strcmp(r->pattern, "/metrics") ||
				!strcmp(r->pattern, "/api/openapi.json") || !strcmp(r->pattern, "/api/v1/session") ||
				!strcmp(r->pattern, "/api/v1/survey-responses/{token}");
			if (!ok)
				fail_msg("public route %s %s is not in the list of public routes", r->method, r->pattern);
			continue;
		}
		if (!r->action || !policy_known(r->action))
			fail_msg("route %s %s has no known policy action", r->method, r->pattern);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_router_exact_and_params),
		cmocka_unit_test(test_router_not_found_and_method),
		cmocka_unit_test(test_error_table),
		cmocka_unit_test(test_error_fail_keeps_first),
		cmocka_unit_test(test_every_route_is_guarded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
