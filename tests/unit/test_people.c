/* test_people.c — the people room's rules: appraisal totals and grades at the boundaries (59.99 / 60 / 79.9 / 80 /
 * 89.9 / 90), half-up rounding to one decimal, the appraisal criteria check (weights summing to 100, the field
 * named), the turnover and ratio formulas; then, against a temporary SQLite store with hand-built records, the people
 * measures (headcount, turnover, certification rate, key-post backup coverage, training plan completion, hours per
 * person, pass rate, feedback) computed by hand, and an appraisal recorded through the domain. */
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

#include "core/json.h"
#include "cycle/period.h"
#include "people/appraisal.h"
#include "people/people_measure.h"
#include "people/people_rules.h"
#include "store/migrate.h"
#include "store/store.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

/* ---- pure rules ---- */

static void test_grades_at_boundaries(void **state)
{
	(void)state;
	assert_string_equal(people_grade(0), "D");
	assert_string_equal(people_grade(59.99), "D");
	assert_string_equal(people_grade(60), "C");
	assert_string_equal(people_grade(79.9), "C");
	assert_string_equal(people_grade(80), "B");
	assert_string_equal(people_grade(89.9), "B");
	assert_string_equal(people_grade(90), "A");
	assert_string_equal(people_grade(100), "A");
	assert_string_equal(people_grade(NAN), "D");
}

static void test_rounding_half_up(void **state)
{
	(void)state;
	NEAR(people_round1(89.95), 90.0);
	NEAR(people_round1(89.94), 89.9);
	NEAR(people_round1(59.99), 60.0);
	NEAR(people_round1(59.94), 59.9);
	NEAR(people_round1(79.95), 80.0);
	NEAR(people_round1(0.05), 0.1);
	NEAR(people_round1(100), 100);
	NEAR(people_round1(-1.25), -1.3);
}

/* The weighted total with the default weights 30/40/30, and the grade of the rounded total. */
static double total3(double a, double q, double e)
{
	double s[3] = { a, q, e }, w[3] = { 30, 40, 30 }, t = -1;
	assert_int_equal(people_weighted_total(s, w, 3, &t), 0);
	return t;
}

static void test_weighted_totals(void **state)
{
	(void)state;
	NEAR(total3(90, 80, 70), 80.0);                 /* 27 + 32 + 21 */
	assert_string_equal(people_grade(total3(90, 80, 70)), "B");
	NEAR(total3(60, 60, 60), 60.0);
	assert_string_equal(people_grade(total3(60, 60, 60)), "C");
	NEAR(total3(59.9, 59.9, 59.9), 59.9);
	assert_string_equal(people_grade(total3(59.9, 59.9, 59.9)), "D");
	/* an exact sum of 59.99 is shown as 60.0 and graded by what is shown */
	NEAR(total3(59.99, 59.99, 59.99), 60.0);
	assert_string_equal(people_grade(total3(59.99, 59.99, 59.99)), "C");
	NEAR(total3(79.9, 79.9, 79.9), 79.9);
	assert_string_equal(people_grade(total3(79.9, 79.9, 79.9)), "C");
	NEAR(total3(80, 80, 80), 80.0);
	assert_string_equal(people_grade(total3(80, 80, 80)), "B");
	NEAR(total3(89.9, 89.9, 89.9), 89.9);
	assert_string_equal(people_grade(total3(89.9, 89.9, 89.9)), "B");
	NEAR(total3(90, 90, 90), 90.0);
	assert_string_equal(people_grade(total3(90, 90, 90)), "A");
	/* 30×95 + 40×89 + 30×85.5 = 2850 + 3560 + 2565 = 8975 → 89.75 → 89.8 (B) */
	NEAR(total3(95, 89, 85.5), 89.8);
	assert_string_equal(people_grade(total3(95, 89, 85.5)), "B");
	NEAR(total3(100, 100, 100), 100);
	NEAR(total3(0, 0, 0), 0);
	double s[1] = { NAN }, w[1] = { 100 }, t;
	assert_int_equal(people_weighted_total(s, w, 1, &t), NL_EVALID);
	assert_int_equal(people_weighted_total(s, w, 0, &t), NL_EVALID);
}

/* Checks a criteria JSON text; returns the code and the named field in field[]. */
static int check(const char *text, const char *prefix, char field[128])
{
	struct nl_error e = { 0 };
	json_t *v = json_loads(text, 0, NULL);
	assert_non_null(v);
	int rc = people_criteria_check(v, prefix, &e);
	json_decref(v);
	snprintf(field, 128, "%s", e.field);
	return rc;
}

static void test_criteria_check(void **state)
{
	(void)state;
	char f[128];
	assert_int_equal(check("[{\"key\":\"attitude\",\"name\":\"态度\",\"weight\":30},{\"key\":\"quality\",\"name\":\"质量\","
			       "\"weight\":40},{\"key\":\"efficiency\",\"name\":\"效率\",\"name_en\":\"Efficiency\",\"weight\":30}]", "", f), 0);
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":33.5},{\"key\":\"b\",\"name\":\"B\",\"weight\":66.5}]", "", f), 0);
	/* the sum */
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":50},{\"key\":\"b\",\"name\":\"B\",\"weight\":40}]", "", f), NL_EVALID);
	assert_string_equal(f, "weight");
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":60},{\"key\":\"b\",\"name\":\"B\",\"weight\":50}]", "", f), NL_EVALID);
	assert_string_equal(f, "weight");
	assert_int_equal(check("[]", "", f), NL_EVALID);
	assert_string_equal(f, "weight");
	/* one weight */
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":100},{\"key\":\"b\",\"name\":\"B\",\"weight\":0}]", "", f), NL_EVALID);
	assert_string_equal(f, "[1].weight");
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":110},{\"key\":\"b\",\"name\":\"B\",\"weight\":-10}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].weight");
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":\"50\"},{\"key\":\"b\",\"name\":\"B\",\"weight\":50}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].weight");
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":100},{\"key\":\"b\",\"name\":\"B\"}]", "", f), NL_EVALID);
	assert_string_equal(f, "[1].weight");
	assert_int_equal(check("{\"x\":1}", "", f), NL_EVALID);
	/* under "items" */
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":100},{\"key\":\"b\",\"name\":\"B\",\"weight\":0}]", "items", f), NL_EVALID);
	assert_string_equal(f, "items[1].weight");
	/* keys, names, unknown members */
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":50},{\"key\":\"a\",\"name\":\"B\",\"weight\":50}]", "", f), NL_EVALID);
	assert_string_equal(f, "[1].key");
	assert_int_equal(check("[{\"key\":\"Bad Key\",\"name\":\"A\",\"weight\":100}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].key");
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"\",\"weight\":100}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].name");
	assert_int_equal(check("[{\"key\":\"a\",\"name\":\"A\",\"weight\":100,\"colour\":\"red\"}]", "", f), NL_EVALID);
	assert_string_equal(f, "[0].colour");
	assert_int_equal(check("[7]", "", f), NL_EVALID);
	assert_string_equal(f, "[0]");
}

static void test_turnover_and_ratio(void **state)
{
	(void)state;
	int has;
	double rate, avg;
	/* 2 leavers, 5 at the start, 4 at the end: 2 ÷ 4.5 */
	people_turnover(2, 5, 4, &has, &rate, &avg);
	assert_int_equal(has, 1);
	NEAR(avg, 4.5);
	NEAR(rate, 2.0 / 4.5);
	/* nobody employed: no rate, never a division by zero */
	people_turnover(0, 0, 0, &has, &rate, &avg);
	assert_int_equal(has, 0);
	NEAR(avg, 0);
	/* a team that all left: 3 ÷ ((3 + 0) ÷ 2) = 2 */
	people_turnover(3, 3, 0, &has, &rate, &avg);
	assert_int_equal(has, 1);
	NEAR(rate, 2.0);
	people_ratio(1, 2, &has, &rate);
	assert_int_equal(has, 1);
	NEAR(rate, 0.5);
	people_ratio(1, 0, &has, &rate);
	assert_int_equal(has, 0);
}

/* ---- measures against a store ---- */

struct fixture {
	char path[64];
	struct nl_store *store;
	struct nl_db *db;
	struct nl_error err;
	struct nl_arena arena;
	struct nl_ctx ctx;
};

static void exec_sql(struct fixture *f, const char *sql)
{
	testdb_exec(f->db, sql);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (testdb_open("people", f->path, sizeof f->path, &f->store, &f->db))
		return -1;
	arena_init(&f->arena, 0);
	f->ctx.db = f->db;
	f->ctx.err = &f->err;
	f->ctx.arena = &f->arena;
	f->ctx.actor_name = "test";
	f->ctx.request_id = "t";
	*state = f;
	const char *ts = "'2027-01-01T00:00:00Z'";
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO departments (id, code, name, created_at, updated_at) VALUES (1, 'OPS', '运维', %s, %s),"
				  " (2, 'NET', '网络', %s, %s)", ts, ts, ts, ts);
	exec_sql(f, sql);
	/* staff (id, name, department, post, key_post, backup, hired_on, left_on):
	 *   1 A  ops  key, backup B        2020-01-01  —
	 *   2 B  ops                        2021-05-01  —
	 *   3 C  ops  joins in 2027         2027-03-01  —
	 *   4 D  ops  key, backup A         2019-01-01  2027-06-30 (leaver)
	 *   5 E  ops  left the day before   2018-01-01  2026-12-31
	 *   6 F  net  key, backup E (left)  2020-01-01  —
	 *   7 H  ops  leaves on day one     2019-01-01  2027-01-01 (leaver) */
	exec_sql(f, "INSERT INTO staff (id, name, department_id, post, key_post, backup_staff_id, hired_on, left_on, created_at,"
		    " updated_at) VALUES (1, 'A', 1, 'engineer', 1, NULL, '2020-01-01', NULL, 'x', 'x'),"
		    " (2, 'B', 1, 'engineer', 0, NULL, '2021-05-01', NULL, 'x', 'x'),"
		    " (3, 'C', 1, 'engineer', 0, NULL, '2027-03-01', NULL, 'x', 'x'),"
		    " (4, 'D', 1, 'dba', 1, 1, '2019-01-01', '2027-06-30', 'x', 'x'),"
		    " (5, 'E', 1, 'dba', 0, NULL, '2018-01-01', '2026-12-31', 'x', 'x'),"
		    " (6, 'F', 2, 'network', 1, 5, '2020-01-01', NULL, 'x', 'x'),"
		    " (7, 'H', 1, 'engineer', 0, NULL, '2019-01-01', '2027-01-01', 'x', 'x')");
	exec_sql(f, "UPDATE staff SET backup_staff_id = 2 WHERE id = 1");
	/* certifications: A valid to 2028; B expired 2027-11-30; C without expiry from 2027-05-01; D valid (but D left) */
	exec_sql(f, "INSERT INTO certifications (staff_id, name, obtained_on, expires_on, created_at) VALUES"
		    " (1, 'ITIL', '2024-01-01', '2028-01-01', 'x'), (2, 'ITIL', '2024-01-01', '2027-11-30', 'x'),"
		    " (3, 'RHCE', '2027-05-01', NULL, 'x'), (4, 'OCP', '2020-01-01', '2030-01-01', 'x')");
	/* the 2027 plan: course 1 (4 h, 3 planned attendees) planned 02-01 and held 02-10; course 2 (2 h, 2 planned)
	 * planned 09-01, not held; course 3 planned 12-01, cancelled */
	exec_sql(f, "INSERT INTO trainings (id, year, course, form, hours, planned_attendees, department_id, planned_on, status,"
		    " created_at, updated_at) VALUES (1, 2027, 'Ansible', 'drill', 4, 3, 1, '2027-02-01', 'held', 'x', 'x'),"
		    " (2, 2027, 'ITIL', 'lecture', 2, 2, 1, '2027-09-01', 'planned', 'x', 'x'),"
		    " (3, 2027, 'Cases', 'case_study', 2, NULL, 1, '2027-12-01', 'cancelled', 'x', 'x'),"
		    " (4, 2026, 'Old', 'online', 9, 9, 1, '2026-05-01', 'held', 'x', 'x')");
	exec_sql(f, "INSERT INTO training_sessions (id, training_id, held_on, hours, created_at) VALUES (1, 1, '2027-02-10', 4, 'x'),"
		    " (2, 4, '2026-05-02', 9, 'x')");
	/* A: 59.99 (fails), feedback 4; B: 60 (passes), feedback 5; C: absent; E (2026 session): 100 */
	exec_sql(f, "INSERT INTO training_attendance (session_id, staff_id, attended, exam_score, feedback_score, updated_at) VALUES"
		    " (1, 1, 1, 59.99, 4, 'x'), (1, 2, 1, 60, 5, 'x'), (1, 7, 0, NULL, NULL, 'x'), (2, 5, 1, 100, 1, 'x')");
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[96];
	arena_cleanup(&f->arena);
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

/* The measure's value (asserting it has one), with its numerator and denominator. */
static double value(struct fixture *f, const char *key, int64_t dept, const char *period, double *num, double *den)
{
	struct nl_period p;
	int has = -1;
	double v = -1, n, d;
	assert_int_equal(period_parse(period, &p), 0);
	int rc = people_measure(&f->ctx, key, dept, p, &has, &v, &n, &d);
	if (rc)
		fail_msg("%s %s: rc %d %s", key, period, rc, f->err.message);
	if (has != 1)
		fail_msg("%s %s: no value", key, period);
	if (num)
		*num = n;
	if (den)
		*den = d;
	return v;
}

static int has_value(struct fixture *f, const char *key, int64_t dept, const char *period)
{
	struct nl_period p;
	int has = -1;
	double v, n, d;
	assert_int_equal(period_parse(period, &p), 0);
	assert_int_equal(people_measure(&f->ctx, key, dept, p, &has, &v, &n, &d), 0);
	if (!has)
		assert_true(isnan(v) && isnan(n) && isnan(d));
	return has;
}

static void test_headcount_and_turnover(void **state)
{
	struct fixture *f = *state;
	double n, d;
	/* the end of 2027: A, B, C, F (D and H left) */
	NEAR(value(f, "headcount", 0, "2027", &n, &d), 4);
	assert_true(isnan(n) && isnan(d));
	/* opening (2026-12-31): A, B, D, F, H — E left that day; leavers D and H: 2 ÷ ((5 + 4) ÷ 2) */
	NEAR(value(f, "turnover_rate", 0, "2027", &n, &d), 2.0 / 4.5);
	NEAR(n, 2);
	NEAR(d, 4.5);
	/* Q1: opening 5, closing A, B, C, D, F = 5, leaver H: 1 ÷ 5 */
	NEAR(value(f, "headcount", 0, "2027-Q1", NULL, NULL), 5);
	NEAR(value(f, "turnover_rate", 0, "2027-Q1", &n, &d), 0.2);
	/* the department "ops" only: end A, B, C = 3; opening A, B, D, H = 4; 2 leavers ÷ 3.5 */
	NEAR(value(f, "turnover_rate", 1, "2027", &n, &d), 2.0 / 3.5);
	/* nobody hired by the end of 2017: no value */
	assert_int_equal(has_value(f, "headcount", 0, "2017"), 0);
	assert_int_equal(has_value(f, "turnover_rate", 0, "2017"), 0);
	struct nl_period p = { NL_PERIOD_YEAR, 2027, 0 };
	int has;
	double v;
	assert_int_equal(people_measure(&f->ctx, "no_such_measure", 0, p, &has, &v, &n, &d), NL_EVALID);
}

static void test_coverage_and_certification(void **state)
{
	struct fixture *f = *state;
	double n, d;
	/* key-post staff at the end of 2027: A (backup B, employed) and F (backup E, left) — D left: 1 ÷ 2 */
	NEAR(value(f, "key_post_backup_coverage", 0, "2027", &n, &d), 0.5);
	NEAR(n, 1);
	NEAR(d, 2);
	/* in Q1 D is still there with backup A: A, D covered, F not: 2 ÷ 3 */
	NEAR(value(f, "key_post_backup_coverage", 0, "2027-Q1", &n, &d), 2.0 / 3.0);
	/* department "net": F only, uncovered */
	NEAR(value(f, "key_post_backup_coverage", 2, "2027", &n, &d), 0);
	NEAR(d, 1);
	/* valid certifications at the end of 2027: A (to 2028), C (no expiry); B's expired on 11-30: 2 ÷ 4 */
	NEAR(value(f, "certification_rate", 0, "2027", &n, &d), 0.5);
	NEAR(n, 2);
	NEAR(d, 4);
	/* at the end of November B's is still valid (expires_on ≥ end) — A, B, C of A, B, C, F: 3 ÷ 4 */
	NEAR(value(f, "certification_rate", 0, "2027-11", &n, &d), 0.75);
	/* at the end of March C has none yet: A, B, D of A, B, C, D, F */
	NEAR(value(f, "certification_rate", 0, "2027-03", &n, &d), 3.0 / 5.0);
}

static void test_training_measures(void **state)
{
	struct fixture *f = *state;
	double n, d;
	/* the year: course 1 held; courses 2 and 3 due (3 cancelled): 1 ÷ 3 */
	NEAR(value(f, "training_plan_completion_rate", 0, "2027", &n, &d), 1.0 / 3.0);
	NEAR(n, 1);
	NEAR(d, 3);
	/* by the end of Q1 only course 1 was due, and it was held */
	NEAR(value(f, "training_plan_completion_rate", 0, "2027-Q1", &n, &d), 1);
	/* January: course 1 was planned on 02-01: nothing due yet */
	assert_int_equal(has_value(f, "training_plan_completion_rate", 0, "2027-01"), 0);
	/* department "net" has no courses */
	assert_int_equal(has_value(f, "training_plan_completion_rate", 2, "2027"), 0);
	/* person-hours: attended 4 + 4 of planned 4×3 + 2×2 = 16 */
	NEAR(value(f, "training_person_hours_completion_rate", 0, "2027", &n, &d), 0.5);
	NEAR(n, 8);
	NEAR(d, 16);
	/* hours per person: 8 hours ÷ headcount 4 */
	NEAR(value(f, "training_hours_per_person", 0, "2027", &n, &d), 2);
	NEAR(n, 8);
	NEAR(d, 4);
	/* pass rate: 59.99 fails, 60 passes */
	NEAR(value(f, "training_pass_rate", 0, "2027", &n, &d), 0.5);
	NEAR(n, 1);
	NEAR(d, 2);
	NEAR(value(f, "training_feedback_avg", 0, "2027", &n, &d), 4.5);
	/* 2026: E's session (E was employed until the end of 2026) */
	NEAR(value(f, "training_pass_rate", 0, "2026", &n, &d), 1);
	/* a quarter without sessions: no pass rate, but 0 hours per person */
	assert_int_equal(has_value(f, "training_pass_rate", 0, "2027-Q3"), 0);
	NEAR(value(f, "training_hours_per_person", 0, "2027-Q3", NULL, NULL), 0);
}

static void test_measures_report_per_post(void **state)
{
	struct fixture *f = *state;
	struct nl_period p = { NL_PERIOD_YEAR, 2027, 0 };
	json_t *out = NULL;
	assert_int_equal(people_measures_report(&f->ctx, p, 1, &out), 0);
	json_t *posts = json_object_get(out, "posts");
	/* posts of ops staff employed during 2027: dba (D), engineer (A, B, C, H) — E left before */
	assert_int_equal(json_array_size(posts), 2);
	json_t *dba = json_array_get(posts, 0), *eng = json_array_get(posts, 1);
	assert_string_equal(json_string_value(json_object_get(dba, "post")), "dba");
	assert_string_equal(json_string_value(json_object_get(eng, "post")), "engineer");
	json_t *m = json_object_get(eng, "measures");
	NEAR(json_number_value(json_object_get(json_object_get(m, "headcount"), "value")), 3);
	/* engineers: opening A, B, H; closing A, B, C; leaver H: 1 ÷ 3 */
	NEAR(json_number_value(json_object_get(json_object_get(m, "turnover_rate"), "value")), 1.0 / 3.0);
	assert_null(json_object_get(m, "training_plan_completion_rate"));
	/* dba: D left: headcount 0, no certification rate */
	m = json_object_get(dba, "measures");
	NEAR(json_number_value(json_object_get(json_object_get(m, "headcount"), "value")), 0);
	assert_true(json_is_null(json_object_get(json_object_get(m, "certification_rate"), "value")));
	assert_non_null(json_object_get(json_object_get(out, "measures"), "training_plan_completion_rate"));
	json_decref(out);
}

static void test_appraisal_scores(void **state)
{
	struct fixture *f = *state;
	json_t *out = NULL, *scores;
	nl_error_clear(&f->err);
	/* a missing criterion is named */
	scores = json_pack("{s:f,s:f}", "attitude", 90.0, "quality", 80.0);
	assert_int_equal(appraisal_create(&f->ctx, 1, "2027-Q1", scores, NULL, &out), NL_EVALID);
	assert_string_equal(f->err.field, "scores.efficiency");
	json_decref(scores);
	/* an unknown one too */
	nl_error_clear(&f->err);
	scores = json_pack("{s:f,s:f,s:f,s:f}", "attitude", 90.0, "quality", 80.0, "efficiency", 70.0, "charm", 1.0);
	assert_int_equal(appraisal_create(&f->ctx, 1, "2027-Q1", scores, NULL, &out), NL_EVALID);
	assert_string_equal(f->err.field, "scores.charm");
	json_decref(scores);
	/* out of range */
	nl_error_clear(&f->err);
	scores = json_pack("{s:f,s:f,s:f}", "attitude", 101.0, "quality", 80.0, "efficiency", 70.0);
	assert_int_equal(appraisal_create(&f->ctx, 1, "2027-Q1", scores, NULL, &out), NL_EVALID);
	assert_string_equal(f->err.field, "scores.attitude");
	json_decref(scores);
	/* a period outside the employment (C joined in March 2027) */
	nl_error_clear(&f->err);
	scores = json_pack("{s:f,s:f,s:f}", "attitude", 59.99, "quality", 59.99, "efficiency", 59.99);
	assert_int_equal(appraisal_create(&f->ctx, 3, "2026-Q4", scores, NULL, &out), NL_EVALID);
	assert_string_equal(f->err.field, "period");
	/* the weighted 59.99 is recorded as 60.0, grade C */
	nl_error_clear(&f->err);
	assert_int_equal(appraisal_create(&f->ctx, 1, "2027-Q1", scores, "ok", &out), 0);
	NEAR(json_number_value(json_object_get(out, "total")), 60.0);
	assert_string_equal(json_string_value(json_object_get(out, "grade")), "C");
	NEAR(json_number_value(json_object_get(json_object_get(out, "weights"), "quality")), 40);
	json_decref(out);
	/* the same period again: 409 naming the period */
	nl_error_clear(&f->err);
	assert_int_equal(appraisal_create(&f->ctx, 1, "2027-Q1", scores, NULL, &out), NL_ECONFLICT);
	assert_string_equal(f->err.field, "period");
	json_decref(scores);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grades_at_boundaries),
		cmocka_unit_test(test_rounding_half_up),
		cmocka_unit_test(test_weighted_totals),
		cmocka_unit_test(test_criteria_check),
		cmocka_unit_test(test_turnover_and_ratio),
		cmocka_unit_test_setup_teardown(test_headcount_and_turnover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coverage_and_certification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_training_measures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measures_report_per_post, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appraisal_scores, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
