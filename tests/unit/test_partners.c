/* test_partners.c — partner (代理商) assessment: the rounding and the grades at their boundaries (59.99 / 60 / 79.95 /
 * 80 / 89.95 / 90), weighted totals, the validation of a dimension set (weights summing to 100, the field named), the
 * record-measure → score mapping, status transitions, and the annual rating from 4, 3 and 0 quarters (a missing
 * quarter is reported, never counted as 0). Against a temporary SQLite store: assessments store the weights they used,
 * a refused assessment writes nothing, a rating with a missing quarter goes through approval (never decided by its
 * requester), and partner_measure's partner_score_avg per period and department. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "partners/assessment.h"
#include "partners/partner.h"
#include "partners/partner_measure.h"
#include "partners/partner_rating.h"
#include "partners/partner_rules.h"
#include "store/migrate.h"
#include "store/store.h"

/* ================================ Pure rules ================================ */

/* The total of one dimension weighted 100 is the score itself, rounded: the grade judges the rounded total. */
static void one(double score, double want_total, const char *want_grade)
{
	double s[1] = { score }, w[1] = { 100 }, total = -1;
	struct nl_error e = { 0 };
	assert_int_equal(partner_weighted_total(s, w, 1, &total, &e), 0);
	if (fabs(total - want_total) > 1e-9)
		fail_msg("score %.4f: total %.4f, want %.1f", score, total, want_total);
	if (strcmp(partner_grade(NULL, total), want_grade) != 0)
		fail_msg("score %.4f (total %.1f): grade %s, want %s", score, total, partner_grade(NULL, total), want_grade);
}

static void test_grade_boundaries(void **state)
{
	(void)state;
	one(100, 100.0, "A");
	one(90, 90.0, "A");
	one(89.95, 90.0, "A");   /* shown as 90.0, so an A */
	one(89.94, 89.9, "B");
	one(80, 80.0, "B");
	one(79.95, 80.0, "B");
	one(79.94, 79.9, "C");
	one(60, 60.0, "C");
	one(59.99, 60.0, "C");
	one(59.95, 60.0, "C");
	one(59.94, 59.9, "D");
	one(0, 0.0, "D");
	/* straight grades without rounding noise */
	assert_string_equal(partner_grade(NULL, 90.0), "A");
	assert_string_equal(partner_grade(NULL, 89.9), "B");
	assert_string_equal(partner_grade(NULL, 59.9), "D");
	/* rounding: half away from zero, float noise absorbed */
	assert_true(fabs(partner_round1(0.1 + 0.2) - 0.3) < 1e-12);
	assert_true(fabs(partner_round1(79.95) - 80.0) < 1e-12);
	assert_true(fabs(partner_round1(79.949) - 79.9) < 1e-12);
	assert_true(fabs(partner_round1(-1.25) + 1.3) < 1e-12);
	/* other thresholds */
	struct nl_partner_grades g = { 95, 85, 70 };
	assert_int_equal(partner_grades_check(&g, NULL), 0);
	assert_string_equal(partner_grade(&g, 94.9), "B");
	assert_string_equal(partner_grade(&g, 94.95), "A");
	assert_string_equal(partner_grade(&g, 69.9), "D");
	assert_string_equal(partner_grade(&g, 70), "C");
	struct nl_error e = { 0 };
	struct nl_partner_grades bad = { 90, 90, 60 };
	assert_int_equal(partner_grades_check(&bad, &e), NL_EVALID);
	assert_string_equal(e.field, "b");
	struct nl_partner_grades bad2 = { 101, 80, 60 };
	nl_error_clear(&e);
	assert_int_equal(partner_grades_check(&bad2, &e), NL_EVALID);
	assert_string_equal(e.field, "a");
}

static void test_weighted_totals(void **state)
{
	(void)state;
	struct nl_error e = { 0 };
	double total = 0;
	/* the default dimensions 40/20/20/20 */
	double w[4] = { 40, 20, 20, 20 };
	double s1[4] = { 90, 80, 85, 95 };   /* 36 + 16 + 17 + 19 = 88 */
	assert_int_equal(partner_weighted_total(s1, w, 4, &total, &e), 0);
	assert_true(fabs(total - 88.0) < 1e-9);
	assert_string_equal(partner_grade(NULL, total), "B");
	double s2[4] = { 85, 70, 80, 75 };   /* 34 + 14 + 16 + 15 = 79 */
	assert_int_equal(partner_weighted_total(s2, w, 4, &total, &e), 0);
	assert_true(fabs(total - 79.0) < 1e-9);
	assert_string_equal(partner_grade(NULL, total), "C");
	/* two halves landing on 89.95 → 90.0 A */
	double w2[2] = { 50, 50}, s3[2] = { 90, 89.9 };
	assert_int_equal(partner_weighted_total(s3, w2, 2, &total, &e), 0);
	assert_true(fabs(total - 90.0) < 1e-9);
	assert_string_equal(partner_grade(NULL, total), "A");
	/* thirds: 33.3 + 33.3 + 33.4 = 100 */
	double w3[3] = { 33.3, 33.3, 33.4 }, s4[3] = { 70, 80, 90 };   /* 23.31 + 26.64 + 30.06 = 80.01 */
	assert_int_equal(partner_weighted_total(s4, w3, 3, &total, &e), 0);
	assert_true(fabs(total - 80.0) < 1e-9);
	/* weights not summing to 100 are refused, naming weight */
	double w4[2] = { 50, 40 };
	assert_int_equal(partner_weighted_total(s3, w4, 2, &total, &e), NL_EVALID);
	assert_string_equal(e.field, "weight");
	/* a score out of range */
	double s5[2] = { 101, 50 };
	nl_error_clear(&e);
	assert_int_equal(partner_weighted_total(s5, w2, 2, &total, &e), NL_EVALID);
	assert_string_equal(e.field, "scores");
}

/* Checks a dimension set given as JSON text; returns the code and copies the field named. */
static int dims(const char *text, const char *prefix, char field[128])
{
	struct nl_error e = { 0 };
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	int rc = partner_dimensions_check(j, prefix, &e);
	json_decref(j);
	snprintf(field, 128, "%s", e.field);
	return rc;
}

static void test_dimension_validation(void **state)
{
	(void)state;
	char f[128];
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":60},{\"key\":\"b_c\",\"name\":\"B\",\"weight\":40,"
			      "\"source\":\"measure:complaint_rate\"}]", "", f), 0);
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":33.3},{\"key\":\"b\",\"name\":\"B\",\"weight\":33.3},"
			      "{\"key\":\"c\",\"name\":\"C\",\"weight\":33.4}]", "", f), 0);
	/* the sum: 422 naming weight */
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":60},{\"key\":\"b\",\"name\":\"B\",\"weight\":30}]", "", f),
		NL_EVALID);
	assert_string_equal(f, "weight");
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":60},{\"key\":\"b\",\"name\":\"B\",\"weight\":50}]", "items",
				 f), NL_EVALID);
	assert_string_equal(f, "weight");
	/* one weight at fault: its index */
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":110},{\"key\":\"b\",\"name\":\"B\",\"weight\":-10}]", "", f),
		NL_EVALID);
	assert_string_equal(f, "[0].weight");
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":100},{\"key\":\"b\",\"name\":\"B\",\"weight\":0}]", "items",
				 f), NL_EVALID);
	assert_string_equal(f, "items[1].weight");
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":\"100\"}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].weight");
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\"}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].weight");
	/* keys */
	assert_int_equal(dims("[{\"key\":\"Bad-Key\",\"name\":\"A\",\"weight\":100}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].key");
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":50},{\"key\":\"a\",\"name\":\"B\",\"weight\":50}]", "", f),
		NL_EVALID);
	assert_string_equal(f, "[1].key");
	assert_int_equal(dims("[{\"key\":\"abcdefghijabcdefghijabcdefghijabcdefghijx\",\"name\":\"A\",\"weight\":100}]", "", f),
		NL_EVALID);
	assert_string_equal(f, "[0].key");
	/* name, source, unknown members, empty set, not objects */
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"\",\"weight\":100}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].name");
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":100,\"source\":\"measure:tickets\"}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].source");
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":100,\"source\":\"auto\"}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].source");
	assert_int_equal(dims("[{\"key\":\"a\",\"name\":\"A\",\"weight\":100,\"colour\":\"red\"}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].colour");
	assert_int_equal(dims("[]", "", f), NL_EVALID);
	assert_int_equal(dims("[1]", "", f), NL_EVALID);
	assert_string_equal(f, "[0]");
	assert_int_equal(dims("{\"key\":\"a\"}", "", f), NL_EINVAL);
}

static void test_measure_scores_and_statuses(void **state)
{
	(void)state;
	double s = -1;
	assert_int_equal(partner_measure_score("complaint_rate", 0, &s), 0);
	assert_true(fabs(s - 100) < 1e-9);
	assert_int_equal(partner_measure_score("complaint_rate", 0.01, &s), 0);
	assert_true(fabs(s - 90) < 1e-9);
	assert_int_equal(partner_measure_score("complaint_rate", 0.05, &s), 0);
	assert_true(fabs(s - 50) < 1e-9);
	assert_int_equal(partner_measure_score("complaint_rate", 0.25, &s), 0);
	assert_true(fabs(s) < 1e-9);
	assert_int_equal(partner_measure_score("satisfaction_avg", 5, &s), 0);
	assert_true(fabs(s - 100) < 1e-9);
	assert_int_equal(partner_measure_score("satisfaction_avg", 4.5, &s), 0);
	assert_true(fabs(s - 87.5) < 1e-9);
	assert_int_equal(partner_measure_score("satisfaction_avg", 1, &s), 0);
	assert_true(fabs(s) < 1e-9);
	assert_int_equal(partner_measure_score("sla_resolution_rate", 0.953, &s), 0);
	assert_true(fabs(s - 95.3) < 1e-9);
	assert_int_equal(partner_measure_score("satisfied_rate", 2.0, &s), 0);   /* clamped */
	assert_true(fabs(s - 100) < 1e-9);
	assert_int_equal(partner_measure_score("tickets", 3, &s), NL_EVALID);
	assert_int_equal(partner_measure_score("complaint_rate", NAN, &s), NL_EVALID);
	assert_string_equal(partner_source_measure("measure:sla_response_rate"), "sla_response_rate");
	assert_null(partner_source_measure("manual"));
	assert_null(partner_source_measure("measure:unknown"));

	/* the counts → measures: no denominator, no value (and a note) — never a 0 */
	struct nl_partner_records r = { 0 };
	int has = 1;
	double v, n, d;
	char note[200];
	assert_int_equal(partner_records_measure(&r, "complaint_rate", &has, &v, &n, &d, note, sizeof note), 0);
	assert_int_equal(has, 0);
	assert_true(isnan(v));
	assert_true(strlen(note) > 0);
	r.tickets = 40;
	r.complaints = 2;
	r.ratings = 4;
	r.rating_sum = 17;
	assert_int_equal(partner_records_measure(&r, "complaint_rate", &has, &v, &n, &d, note, sizeof note), 0);
	assert_int_equal(has, 1);
	assert_true(fabs(v - 0.05) < 1e-12 && n == 2 && d == 40);
	assert_int_equal(partner_records_measure(&r, "satisfaction_avg", &has, &v, &n, &d, note, sizeof note), 0);
	assert_true(has && fabs(v - 4.25) < 1e-12);
	assert_int_equal(partner_records_measure(&r, "sla_resolution_rate", &has, &v, &n, &d, note, sizeof note), 0);
	assert_int_equal(has, 0);
	assert_int_equal(partner_records_measure(&r, "nope", &has, &v, &n, &d, note, sizeof note), NL_EVALID);

	assert_true(partner_status_transition_ok("candidate", "active"));
	assert_true(partner_status_transition_ok("active", "suspended"));
	assert_true(partner_status_transition_ok("suspended", "active"));
	assert_true(partner_status_transition_ok("terminated", "active"));
	assert_true(partner_status_transition_ok("active", "active"));
	assert_false(partner_status_transition_ok("active", "candidate"));
	assert_false(partner_status_transition_ok("candidate", "suspended"));
	assert_false(partner_status_transition_ok("active", "retired"));
	assert_true(partner_key_valid("service_quality"));
	assert_false(partner_key_valid("service-quality"));
	assert_false(partner_key_valid(""));
}

static void test_annual(void **state)
{
	(void)state;
	struct nl_partner_annual a;
	/* four quarters: the mean, rounded */
	int h4[4] = { 1, 1, 1, 1 };
	double t4[4] = { 88.0, 92.0, 79.9, 90.0 };   /* 349.9 / 4 = 87.475 → 87.5 */
	partner_annual(h4, t4, NULL, &a);
	assert_int_equal(a.present, 4);
	assert_int_equal(a.has_total, 1);
	assert_true(fabs(a.total - 87.5) < 1e-9);
	assert_string_equal(a.grade, "B");
	for (int i = 0; i < 4; i++)
		assert_int_equal(a.missing[i], 0);
	/* three quarters: Q3 missing is reported; the mean is of the three (90), not of four with a 0 (67.5, a D) */
	int h3[4] = { 1, 1, 0, 1 };
	double t3[4] = { 90.0, 95.0, 0.0, 85.0 };
	partner_annual(h3, t3, NULL, &a);
	assert_int_equal(a.present, 3);
	assert_int_equal(a.missing[2], 1);
	assert_int_equal(a.missing[0] + a.missing[1] + a.missing[3], 0);
	assert_true(fabs(a.total - 90.0) < 1e-9);
	assert_string_equal(a.grade, "A");
	/* no quarter: no total and no grade, every quarter missing */
	int h0[4] = { 0, 0, 0, 0 };
	double t0[4] = { 0, 0, 0, 0 };
	partner_annual(h0, t0, NULL, &a);
	assert_int_equal(a.present, 0);
	assert_int_equal(a.has_total, 0);
	assert_string_equal(a.grade, "");
	for (int i = 0; i < 4; i++)
		assert_int_equal(a.missing[i], 1);
	/* the annual mean lands on a boundary: 59.9 and 60.0 → 59.95 → 60.0, a C */
	int h2[4] = { 1, 1, 0, 0 };
	double t2[4] = { 59.9, 60.0, 0, 0 };
	partner_annual(h2, t2, NULL, &a);
	assert_true(fabs(a.total - 60.0) < 1e-9);
	assert_string_equal(a.grade, "C");
}

/* ================================ Against a store ================================ */

struct fixture {
	char path[64];
	struct nl_store *store;
	struct nl_db *db;
	struct nl_error err;
	struct nl_ctx ctx;
	struct nl_user quality, approver, member;
	int64_t dept1, dept2;
};

static void exec_sql(struct fixture *f, const char *sql)
{
	testdb_exec(f->db, sql);
}

static int64_t query_int(struct fixture *f, const char *sql)
{
	return testdb_int(f->db, sql);
}

static void add_user(struct fixture *f, struct nl_user *u, int64_t id, const char *name, unsigned roles)
{
	testdb_add_user(f->db, u, id, name, roles, 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (testdb_open("partners", f->path, sizeof f->path, &f->store, &f->db))
		return -1;
	f->ctx.db = f->db;
	f->ctx.err = &f->err;
	f->ctx.actor_name = "test";
	f->ctx.request_id = "t";
	add_user(f, &f->quality, 201, "quality", NL_ROLE_QUALITY | NL_ROLE_APPROVER);
	add_user(f, &f->approver, 202, "approver", NL_ROLE_APPROVER);
	add_user(f, &f->member, 203, "member", NL_ROLE_MEMBER);
	exec_sql(f, "INSERT INTO departments (code, name, created_at, updated_at) VALUES ('P1', 'P1', 'x', 'x')");
	exec_sql(f, "INSERT INTO departments (code, name, created_at, updated_at) VALUES ('P2', 'P2', 'x', 'x')");
	f->dept1 = query_int(f, "SELECT id FROM departments WHERE code = 'P1'");
	f->dept2 = query_int(f, "SELECT id FROM departments WHERE code = 'P2'");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[96];
	store_release(f->db);
	store_close(f->store);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

static int64_t mk_partner(struct fixture *f, const char *name, const char *status, int64_t dept)
{
	struct nl_partner_input in = { .name = name, .region = "华东", .status = status, .department_id = dept,
		.contact_phone = "13812345678" };
	json_t *out = NULL;
	nl_error_clear(&f->err);
	f->ctx.actor = &f->quality;
	assert_int_equal(partner_create(&f->ctx, &in, &out), 0);
	int64_t id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

/* Records an assessment with the default dimensions (service_quality 40, the three others 20 each). */
static int assess(struct fixture *f, int64_t partner, const char *period, double sq, double bd, double co, double cp,
	double *total)
{
	char text[256];
	snprintf(text, sizeof text, "{\"service_quality\":%g,\"business_development\":%g,\"cooperation\":%g,"
				    "\"contract_performance\":%g}", sq, bd, co, cp);
	json_t *scores = json_loads(text, 0, NULL), *out = NULL;
	struct nl_assessment_input in = { period, scores, NULL };
	nl_error_clear(&f->err);
	f->ctx.actor = &f->quality;
	int rc = assessment_create(&f->ctx, partner, &in, &out);
	if (rc == 0 && total)
		*total = json_real_value(json_object_get(out, "total"));
	json_decref(out);
	json_decref(scores);
	return rc;
}

static void test_assessments_and_rating(void **state)
{
	struct fixture *f = *state;
	int64_t p = mk_partner(f, "华东讯达", "active", f->dept1);
	int64_t cand = mk_partner(f, "西南候选", "candidate", 0);
	double t = 0;
	assert_int_equal(assess(f, p, "2025-Q1", 90, 80, 85, 95, &t), 0);
	assert_true(fabs(t - 88.0) < 1e-9);
	assert_int_equal(assess(f, p, "2025-Q2", 95, 90, 90, 85, &t), 0);   /* 38 + 18 + 18 + 17 = 91 */
	assert_true(fabs(t - 91.0) < 1e-9);
	assert_int_equal(assess(f, p, "2025-Q4", 80, 80, 80, 80, &t), 0);
	int64_t rows = query_int(f, "SELECT COUNT(*) FROM partner_assessments");
	int64_t audits = query_int(f, "SELECT COUNT(*) FROM audit_log");
	/* refusals write nothing */
	assert_int_equal(assess(f, p, "2025-Q1", 90, 80, 85, 95, NULL), NL_ECONFLICT);
	assert_string_equal(f->err.field, "period");
	assert_int_equal(assess(f, p, "2025-Q3", 90, 80, 85, 101, NULL), NL_EVALID);
	assert_string_equal(f->err.field, "scores.contract_performance");
	assert_int_equal(assess(f, p, "2025-06", 90, 80, 85, 95, NULL), NL_EVALID);
	assert_string_equal(f->err.field, "period");
	assert_int_equal(assess(f, p, "9999-Q4", 90, 80, 85, 95, NULL), NL_EVALID);   /* has not begun */
	assert_string_equal(f->err.field, "period");
	assert_int_equal(assess(f, cand, "2025-Q3", 90, 80, 85, 95, NULL), NL_ESTATE);
	{
		json_t *scores = json_loads("{\"service_quality\":90,\"cooperation\":80,\"contract_performance\":70}", 0, NULL), *out;
		struct nl_assessment_input in = { "2025-Q3", scores, NULL };
		nl_error_clear(&f->err);
		assert_int_equal(assessment_create(&f->ctx, p, &in, &out), NL_EVALID);
		assert_string_equal(f->err.field, "scores.business_development");
		json_decref(scores);
		scores = json_loads("{\"service_quality\":90,\"business_development\":80,\"cooperation\":80,"
				    "\"contract_performance\":70,\"extra\":50}", 0, NULL);
		in.scores = scores;
		nl_error_clear(&f->err);
		assert_int_equal(assessment_create(&f->ctx, p, &in, &out), NL_EVALID);
		assert_string_equal(f->err.field, "scores.extra");
		json_decref(scores);
	}
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM partner_assessments"), rows);
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit_log"), audits);

	/* changing the dimensions does not change an assessment recorded */
	json_t *set = json_loads("[{\"key\":\"quality\",\"name\":\"Q\",\"weight\":70},{\"key\":\"coop\",\"name\":\"C\","
				 "\"weight\":30}]", 0, NULL), *out = NULL;
	assert_int_equal(partner_dimensions_put(&f->ctx, set, "", &out), 0);
	json_decref(out);
	json_decref(set);
	json_t *list = NULL;
	assert_int_equal(assessment_list(&f->ctx, p, 2025, &list), 0);
	assert_int_equal(json_array_size(list), 3);
	json_t *q1 = json_array_get(list, 2);
	assert_string_equal(json_string_value(json_object_get(q1, "period")), "2025-Q1");
	assert_true(fabs(json_real_value(json_object_get(q1, "total")) - 88.0) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(json_object_get(q1, "weights"), "service_quality")) - 40) < 1e-9);
	json_decref(list);

	/* the annual rating of 2025: Q3 missing, reported; the mean of the three (88 + 91 + 80) / 3 = 86.3 */
	json_t *r = NULL;
	f->ctx.actor = &f->quality;
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_request(&f->ctx, p, 2025, &r), 0);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "pending");
	assert_true(fabs(json_real_value(json_object_get(r, "total")) - 86.3) < 1e-9);
	assert_string_equal(json_string_value(json_object_get(r, "grade")), "B");
	json_t *missing = json_object_get(r, "missing_quarters");
	assert_int_equal(json_array_size(missing), 1);
	assert_string_equal(json_string_value(json_array_get(missing, 0)), "2025-Q3");
	assert_true(json_is_string(json_object_get(r, "missing_note")));
	json_decref(r);
	/* asked again while pending: refused */
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_request(&f->ctx, p, 2025, &r), NL_ESTATE);
	/* a year with nothing assessed: refused naming year */
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_request(&f->ctx, p, 2024, &r), NL_EVALID);
	assert_string_equal(f->err.field, "year");
	/* the requester (who also holds the approver role) may not decide; a member may not either */
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_decide(&f->ctx, p, 2025, 1, NULL, &r), NL_EFORBIDDEN);
	f->ctx.actor = &f->member;
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_decide(&f->ctx, p, 2025, 1, NULL, &r), NL_EFORBIDDEN);
	/* a rejection needs a comment */
	f->ctx.actor = &f->approver;
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_decide(&f->ctx, p, 2025, 0, "", &r), NL_EVALID);
	assert_string_equal(f->err.field, "comment");
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM partner_ratings WHERE status = 'pending'"), 1);
	/* rejected, requested again (version 2), approved */
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_decide(&f->ctx, p, 2025, 0, "Q3 需补评", &r), 0);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "rejected");
	json_decref(r);
	{
		/* Q3 is assessed with the new dimension set: 70 × 0.7 + 70 × 0.3 = 70 */
		json_t *scores = json_loads("{\"quality\":70,\"coop\":70}", 0, NULL), *o = NULL;
		struct nl_assessment_input in = { "2025-Q3", scores, NULL };
		f->ctx.actor = &f->quality;
		nl_error_clear(&f->err);
		assert_int_equal(assessment_create(&f->ctx, p, &in, &o), 0);
		assert_true(fabs(json_real_value(json_object_get(json_object_get(o, "weights"), "quality")) - 70) < 1e-9);
		json_decref(o);
		json_decref(scores);
	}
	f->ctx.actor = &f->quality;
	assert_int_equal(partner_rating_request(&f->ctx, p, 2025, &r), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "version")), 2);
	assert_int_equal(json_array_size(json_object_get(r, "missing_quarters")), 0);
	assert_true(json_is_null(json_object_get(r, "missing_note")));
	assert_true(fabs(json_real_value(json_object_get(r, "total")) - 82.3) < 1e-9);   /* (88 + 91 + 70 + 80) / 4 = 82.25 */
	json_decref(r);
	f->ctx.actor = &f->approver;
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_decide(&f->ctx, p, 2025, 1, "同意", &r), 0);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "approved");
	json_decref(r);
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_decide(&f->ctx, p, 2025, 1, NULL, &r), NL_ESTATE);
	f->ctx.actor = &f->quality;
	nl_error_clear(&f->err);
	assert_int_equal(partner_rating_request(&f->ctx, p, 2025, &r), NL_ESTATE);   /* approved is final */

	/* the ranking uses the approved rating */
	json_t *rank = NULL;
	assert_int_equal(partner_ranking(&f->ctx, 2025, &rank), 0);
	json_t *items = json_object_get(rank, "items");
	assert_int_equal(json_array_size(items), 1);   /* the candidate is not ranked */
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "basis")), "annual_rating");
	json_decref(rank);
}

static void test_partner_measure(void **state)
{
	struct fixture *f = *state;
	int64_t a = mk_partner(f, "甲", "active", f->dept1), b = mk_partner(f, "乙", "active", f->dept2);
	assert_int_equal(assess(f, a, "2025-Q1", 90, 90, 90, 90, NULL), 0);   /* 90 */
	assert_int_equal(assess(f, a, "2025-Q2", 80, 80, 80, 80, NULL), 0);   /* 80 */
	assert_int_equal(assess(f, b, "2025-Q1", 70, 70, 70, 70, NULL), 0);   /* 70 */
	assert_int_equal(assess(f, b, "2024-Q4", 10, 10, 10, 10, NULL), 0);   /* another year */
	int has = 0;
	double v, n, d;
	struct nl_period y2025 = { NL_PERIOD_YEAR, 2025, 0 }, q1 = { NL_PERIOD_QUARTER, 2025, 1 };
	struct nl_period q3 = { NL_PERIOD_QUARTER, 2025, 3 }, m1 = { NL_PERIOD_MONTH, 2025, 1 };
	assert_int_equal(partner_measure(&f->ctx, "partner_score_avg", 0, y2025, &has, &v, &n, &d), 0);
	assert_int_equal(has, 1);
	assert_true(fabs(v - 80.0) < 1e-9 && fabs(n - 240) < 1e-9 && fabs(d - 3) < 1e-9);
	assert_int_equal(partner_measure(&f->ctx, "partner_score_avg", f->dept1, y2025, &has, &v, &n, &d), 0);
	assert_true(has && fabs(v - 85.0) < 1e-9);
	assert_int_equal(partner_measure(&f->ctx, "partner_score_avg", 0, q1, &has, &v, &n, &d), 0);
	assert_true(has && fabs(v - 80.0) < 1e-9 && d == 2);
	assert_int_equal(partner_measure(&f->ctx, "partner_score_avg", f->dept2, q1, &has, &v, &n, &d), 0);
	assert_true(has && fabs(v - 70.0) < 1e-9);
	assert_int_equal(partner_measure(&f->ctx, "partner_score_avg", 0, q3, &has, &v, &n, &d), 0);
	assert_int_equal(has, 0);
	assert_true(isnan(v));
	assert_int_equal(partner_measure(&f->ctx, "partner_score_avg", 0, m1, &has, &v, &n, &d), 0);
	assert_int_equal(has, 0);
	nl_error_clear(&f->err);
	assert_int_equal(partner_measure(&f->ctx, "tickets", 0, q1, &has, &v, &n, &d), NL_EVALID);

	/* the member sees the contact phone masked; quality (customer.pii) in full */
	json_t *o = NULL;
	f->ctx.actor = &f->member;
	assert_int_equal(partner_get(&f->ctx, a, &o), 0);
	assert_string_equal(json_string_value(json_object_get(o, "contact_phone")), "138****5678");
	assert_true(json_is_true(json_object_get(o, "pii_masked")));
	json_decref(o);
	f->ctx.actor = &f->quality;
	assert_int_equal(partner_get(&f->ctx, a, &o), 0);
	assert_string_equal(json_string_value(json_object_get(o, "contact_phone")), "13812345678");
	assert_int_equal(json_array_size(json_object_get(o, "latest_assessments")), 2);
	json_decref(o);
	/* the audit row holds the masked phone */
	assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit_log WHERE entity = 'partner' AND after_json LIKE '%13812345678%'"),
		0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grade_boundaries),
		cmocka_unit_test(test_weighted_totals),
		cmocka_unit_test(test_dimension_validation),
		cmocka_unit_test(test_measure_scores_and_statuses),
		cmocka_unit_test(test_annual),
		cmocka_unit_test_setup_teardown(test_assessments_and_rating, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partner_measure, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
