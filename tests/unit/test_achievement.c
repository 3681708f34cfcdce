/* test_achievement.c — the pure rules of the achievement table (cycle/achievement.h): which periods a metric takes,
 * which periods have begun, the actual from numerator ÷ denominator, rate and status, trends across the year boundary,
 * the rule that refuses to close a period; and the measure catalogue (cycle/measure.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "cycle/achievement.h"
#include "cycle/measure.h"
#include "cycle/metric.h"
#include "kpi/kpi_engine.h"
#include "core/common.h"

static struct nl_date mk(int y, int m, int d)
{
	struct nl_date r = { y, m, d };
	return r;
}

static void test_period_check(void **state)
{
	(void)state;
	struct nl_period p;
	struct nl_error e = { 0 };
	/* A monthly metric of 2027 takes its months only. */
	assert_int_equal(achievement_period_check("2027-03", 2027, NL_PERIOD_MONTH, &p, &e), 0);
	assert_int_equal(p.kind, NL_PERIOD_MONTH);
	assert_int_equal(p.index, 3);
	assert_int_equal(achievement_period_check("2027-12", 2027, NL_PERIOD_MONTH, &p, NULL), 0);
	assert_int_equal(achievement_period_check("2027-Q1", 2027, NL_PERIOD_MONTH, &p, &e), NL_EVALID);
	assert_string_equal(e.field, "period");
	assert_non_null(strstr(e.message, "\"2027-03\""));   /* the message shows the expected form */
	nl_error_clear(&e);
	assert_int_equal(achievement_period_check("2027", 2027, NL_PERIOD_MONTH, &p, &e), NL_EVALID);
	nl_error_clear(&e);
	assert_int_equal(achievement_period_check("2026-03", 2027, NL_PERIOD_MONTH, &p, &e), NL_EVALID);   /* other year */
	nl_error_clear(&e);
	/* Quarterly and yearly metrics. */
	assert_int_equal(achievement_period_check("2027-Q4", 2027, NL_PERIOD_QUARTER, &p, NULL), 0);
	assert_int_equal(p.index, 4);
	assert_int_equal(achievement_period_check("2027-03", 2027, NL_PERIOD_QUARTER, &p, NULL), NL_EVALID);
	assert_int_equal(achievement_period_check("2028-Q1", 2027, NL_PERIOD_QUARTER, &p, NULL), NL_EVALID);
	assert_int_equal(achievement_period_check("2027", 2027, NL_PERIOD_YEAR, &p, NULL), 0);
	assert_int_equal(p.kind, NL_PERIOD_YEAR);
	assert_int_equal(achievement_period_check("2027-Q1", 2027, NL_PERIOD_YEAR, &p, NULL), NL_EVALID);
	/* Malformed periods. */
	assert_int_equal(achievement_period_check("2027-13", 2027, NL_PERIOD_MONTH, &p, &e), NL_EVALID);
	assert_string_equal(e.field, "period");
	assert_int_equal(achievement_period_check("2027-3", 2027, NL_PERIOD_MONTH, &p, NULL), NL_EVALID);
	assert_int_equal(achievement_period_check("2027-q1", 2027, NL_PERIOD_QUARTER, &p, NULL), NL_EVALID);
	assert_int_equal(achievement_period_check("", 2027, NL_PERIOD_YEAR, &p, NULL), NL_EVALID);
	assert_int_equal(achievement_period_check(NULL, 2027, NL_PERIOD_YEAR, &p, NULL), NL_EVALID);
}

static void test_periods_begun(void **state)
{
	(void)state;
	struct nl_period out[NL_PERIOD_MAX_PER_YEAR];
	size_t n = 99;
	/* On 2027-05-31: January..May have begun; Q1 and Q2; not the year 2028. */
	assert_int_equal(achievement_periods_begun(2027, NL_PERIOD_MONTH, mk(2027, 5, 31), out, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(out[0].index, 1);
	assert_int_equal(out[4].index, 5);
	assert_int_equal(achievement_periods_begun(2027, NL_PERIOD_QUARTER, mk(2027, 5, 31), out, &n), 0);
	assert_int_equal(n, 2);
	/* The first day of a period counts as begun. */
	assert_int_equal(achievement_periods_begun(2027, NL_PERIOD_QUARTER, mk(2027, 7, 1), out, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(achievement_periods_begun(2027, NL_PERIOD_QUARTER, mk(2027, 6, 30), out, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(achievement_periods_begun(2027, NL_PERIOD_YEAR, mk(2027, 1, 1), out, &n), 0);
	assert_int_equal(n, 1);
	/* A past year: all; a future year: none. */
	assert_int_equal(achievement_periods_begun(2026, NL_PERIOD_MONTH, mk(2027, 1, 1), out, &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(achievement_periods_begun(2028, NL_PERIOD_MONTH, mk(2027, 12, 31), out, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(achievement_periods_begun(2028, NL_PERIOD_YEAR, mk(2027, 12, 31), out, &n), 0);
	assert_int_equal(n, 0);
	/* Refusals. */
	assert_int_equal(achievement_periods_begun(2027, NL_PERIOD_MONTH, mk(2027, 2, 30), out, &n), NL_EVALID);
	assert_int_equal(n, 0);
	assert_int_equal(achievement_periods_begun(10000, NL_PERIOD_MONTH, mk(2027, 2, 3), out, &n), NL_EVALID);
}

static struct nl_value_numbers nums(int ha, double a, int hn, double n, int hd, double d)
{
	struct nl_value_numbers v = { ha, hn, hd, a, n, d };
	return v;
}

static void test_actual(void **state)
{
	(void)state;
	struct nl_error e = { 0 };
	double a = -1;
	struct nl_value_numbers v = nums(1, 0.97, 0, 0, 0, 0);
	assert_int_equal(achievement_actual(&v, &a, &e), 0);
	assert_true(a == 0.97);
	v = nums(0, 0, 1, 45, 1, 50);
	assert_int_equal(achievement_actual(&v, &a, &e), 0);
	assert_true(fabs(a - 0.9) < 1e-12);
	/* All three agreeing (a rounded actual is accepted), or not. */
	v = nums(1, 0.333, 1, 1, 1, 3);
	assert_int_equal(achievement_actual(&v, &a, &e), 0);
	assert_true(a == 0.333);
	v = nums(1, 95, 1, 95, 1, 100);
	assert_int_equal(achievement_actual(&v, &a, &e), NL_EVALID);
	assert_string_equal(e.field, "actual");
	nl_error_clear(&e);
	/* A zero denominator, a half pair, nothing at all. */
	v = nums(0, 0, 1, 3, 1, 0);
	assert_int_equal(achievement_actual(&v, &a, &e), NL_EVALID);
	assert_string_equal(e.field, "denominator");
	nl_error_clear(&e);
	v = nums(0, 0, 1, 3, 0, 0);
	assert_int_equal(achievement_actual(&v, &a, &e), NL_EVALID);
	assert_string_equal(e.field, "denominator");
	nl_error_clear(&e);
	v = nums(0, 0, 0, 0, 1, 3);
	assert_int_equal(achievement_actual(&v, &a, &e), NL_EVALID);
	assert_string_equal(e.field, "numerator");
	nl_error_clear(&e);
	v = nums(0, 0, 0, 0, 0, 0);
	assert_int_equal(achievement_numbers_given(&v), 0);
	assert_int_equal(achievement_actual(&v, &a, &e), NL_EVALID);
	assert_string_equal(e.field, "actual");
	nl_error_clear(&e);
	v = nums(1, NAN, 0, 0, 0, 0);
	assert_int_equal(achievement_actual(&v, &a, NULL), NL_EVALID);
	/* 0 ÷ n is a fine actual. */
	v = nums(0, 0, 1, 0, 1, 7);
	assert_int_equal(achievement_actual(&v, &a, NULL), 0);
	assert_true(a == 0.0);
}

static void test_judge(void **state)
{
	(void)state;
	struct nl_goal hb = { NL_DIRECTION_HIGHER_BETTER, 0.95, 1, 0.90 };
	struct nl_goal lb = { NL_DIRECTION_LOWER_BETTER, 30, 1, 45 };
	struct nl_judgement j;
	assert_int_equal(achievement_judge(&hb, 0.97, &j), 0);
	assert_int_equal(j.status, NL_STATUS_MET);
	assert_true(j.has_rate && fabs(j.rate - 0.97 / 0.95) < 1e-12);
	assert_int_equal(achievement_judge(&hb, 0.92, &j), 0);
	assert_int_equal(j.status, NL_STATUS_WARNING);
	assert_int_equal(achievement_judge(&hb, 0.80, &j), 0);
	assert_int_equal(j.status, NL_STATUS_MISSED);
	/* lower_better: rate = target ÷ actual. */
	assert_int_equal(achievement_judge(&lb, 25, &j), 0);
	assert_int_equal(j.status, NL_STATUS_MET);
	assert_true(j.has_rate && fabs(j.rate - 1.2) < 1e-12);
	assert_int_equal(achievement_judge(&lb, 40, &j), 0);
	assert_int_equal(j.status, NL_STATUS_WARNING);
	assert_int_equal(achievement_judge(&lb, 60, &j), 0);
	assert_int_equal(j.status, NL_STATUS_MISSED);
	assert_true(j.has_rate && fabs(j.rate - 0.5) < 1e-12);
	/* lower_better with an actual of 0: met, no rate. */
	assert_int_equal(achievement_judge(&lb, 0, &j), 0);
	assert_int_equal(j.status, NL_STATUS_MET);
	assert_int_equal(j.has_rate, 0);
	/* A goal with the warning on the wrong side is refused. */
	struct nl_goal bad = { NL_DIRECTION_HIGHER_BETTER, 0.9, 1, 0.95 };
	assert_int_equal(achievement_judge(&bad, 0.9, &j), NL_EVALID);
}

static void test_row_trends(void **state)
{
	(void)state;
	enum nl_trend t[4];
	enum nl_change c[4];
	/* Q1..Q4 of 2027 for a higher_better metric; Q3 without a value. */
	struct nl_cell cells[4] = { { 1, 0.90 }, { 1, 0.95 }, { 0, 0 }, { 1, 0.93 } };
	struct nl_cell q4_2026 = { 1, 0.92 };
	assert_int_equal(achievement_row_trends(NL_DIRECTION_HIGHER_BETTER, &q4_2026, cells, 4, t, c), 0);
	/* The first quarter against last year's Q4: down, worse. */
	assert_int_equal(t[0], NL_TREND_DOWN);
	assert_int_equal(c[0], NL_CHANGE_WORSE);
	assert_int_equal(t[1], NL_TREND_UP);
	assert_int_equal(c[1], NL_CHANGE_BETTER);
	/* No value: none; the value after a gap has no previous value: none. */
	assert_int_equal(t[2], NL_TREND_NONE);
	assert_int_equal(c[2], NL_CHANGE_NONE);
	assert_int_equal(t[3], NL_TREND_NONE);
	assert_int_equal(c[3], NL_CHANGE_NONE);
	/* Without last year's value the first period has no trend. */
	assert_int_equal(achievement_row_trends(NL_DIRECTION_HIGHER_BETTER, NULL, cells, 4, t, c), 0);
	assert_int_equal(t[0], NL_TREND_NONE);
	struct nl_cell empty = { 0, 0 };
	assert_int_equal(achievement_row_trends(NL_DIRECTION_HIGHER_BETTER, &empty, cells, 4, t, c), 0);
	assert_int_equal(t[0], NL_TREND_NONE);
	/* lower_better: going down is better; equal is flat/same. */
	struct nl_cell mins[2] = { { 1, 30 }, { 1, 30 } };
	struct nl_cell dec = { 1, 42 };
	assert_int_equal(achievement_row_trends(NL_DIRECTION_LOWER_BETTER, &dec, mins, 2, t, c), 0);
	assert_int_equal(t[0], NL_TREND_DOWN);
	assert_int_equal(c[0], NL_CHANGE_BETTER);
	assert_int_equal(t[1], NL_TREND_FLAT);
	assert_int_equal(c[1], NL_CHANGE_SAME);
	/* A yearly metric: one cell, against last year's value. */
	struct nl_cell y2027 = { 1, 12 }, y2026 = { 1, 8 };
	assert_int_equal(achievement_row_trends(NL_DIRECTION_HIGHER_BETTER, &y2026, &y2027, 1, t, c), 0);
	assert_int_equal(t[0], NL_TREND_UP);
	/* Refusals. */
	assert_int_equal(achievement_row_trends((enum nl_direction)7, NULL, cells, 4, t, c), NL_EVALID);
	struct nl_cell inf[1] = { { 1, INFINITY } };
	assert_int_equal(achievement_row_trends(NL_DIRECTION_HIGHER_BETTER, NULL, inf, 1, t, c), NL_EVALID);
}

static void test_text_blank(void **state)
{
	(void)state;
	assert_true(achievement_text_blank(NULL));
	assert_true(achievement_text_blank(""));
	assert_true(achievement_text_blank(" \t\r\n"));
	assert_true(achievement_text_blank("\xe3\x80\x80 \xc2\xa0"));   /* ideographic and no-break spaces */
	assert_false(achievement_text_blank("原因：人手不足"));
	assert_false(achievement_text_blank("  x "));
}

static void test_close_blockers(void **state)
{
	(void)state;
	char codes[64];
	struct nl_close_value v[] = {
		{ "M-01", 1, NL_STATUS_MET, "", "" },                          /* met: nothing needed */
		{ "M-02", 1, NL_STATUS_WARNING, "", "" },                      /* warning: nothing needed */
		{ "M-03", 1, NL_STATUS_MISSED, "人手不足", "" },               /* missed, no action */
		{ "M-04", 1, NL_STATUS_MISSED, "", "增加值班" },               /* missed, no analysis */
		{ "M-05", 1, NL_STATUS_MISSED, "人手不足", "增加值班" },       /* missed, complete */
		{ "M-06", 1, NL_STATUS_MISSED, " \xe3\x80\x80", "增加值班" },  /* blank analysis */
		{ "M-07", 0, NL_STATUS_MISSED, NULL, NULL },                   /* no status: not judged */
	};
	assert_int_equal(achievement_close_blockers(v, NL_ARRAY_LEN(v), codes, sizeof codes), 3);
	assert_string_equal(codes, "M-03, M-04, M-06");
	/* Once completed, nothing blocks. */
	v[2].corrective_action = "补充人员";
	v[3].deviation_analysis = "系统故障";
	v[5].deviation_analysis = "节假日";
	assert_int_equal(achievement_close_blockers(v, NL_ARRAY_LEN(v), codes, sizeof codes), 0);
	assert_string_equal(codes, "");
	assert_int_equal(achievement_close_blockers(v, 0, codes, sizeof codes), 0);
	/* A list too long for the buffer is cut with "…", and counted in full. */
	struct nl_close_value many[20];
	for (size_t i = 0; i < NL_ARRAY_LEN(many); i++) {
		struct nl_close_value x = { "LONG-METRIC-CODE", 1, NL_STATUS_MISSED, "", "" };
		many[i] = x;
	}
	char small[40];
	assert_int_equal(achievement_close_blockers(many, NL_ARRAY_LEN(many), small, sizeof small), 20);
	assert_true(strlen(small) < sizeof small);
	assert_non_null(strstr(small, "…"));
	assert_int_equal(strncmp(small, "LONG-METRIC-CODE, ", 18), 0);
	assert_int_equal(achievement_close_blockers(many, NL_ARRAY_LEN(many), NULL, 0), 20);
}

static void test_measure_catalogue(void **state)
{
	(void)state;
	static const char *const keys[] = { "tickets", "resolution_rate", "first_contact_resolution_rate",
		"response_minutes_avg", "response_minutes_p90", "resolution_hours_avg", "resolution_hours_p90",
		"wait_minutes_avg", "sla_response_rate", "sla_resolution_rate", "sla_source_rate", "reopen_rate",
		"satisfaction_avg", "satisfied_rate", "complaint_rate", "valid_complaint_rate",
		"complaint_answered_in_time_rate", "headcount", "turnover_rate", "certification_rate",
		"key_post_backup_coverage", "training_plan_completion_rate", "training_person_hours_completion_rate",
		"training_hours_per_person", "training_pass_rate", "training_feedback_avg", "partner_score_avg", "innovations",
		"innovation_pilots", "innovations_adopted" };
	assert_int_equal(measure_count(), NL_ARRAY_LEN(keys));
	for (size_t i = 0; i < NL_ARRAY_LEN(keys); i++) {
		const struct nl_measure *m = measure_find(keys[i]);
		assert_non_null(m);
		assert_ptr_equal(measure_at(i), m);
		assert_true(m->unit[0] && m->name[0] && m->name_en[0] && m->definition[0] && m->definition_en[0]);
		if (m->direction)
			assert_true(!strcmp(m->direction, "higher_better") || !strcmp(m->direction, "lower_better"));
	}
	assert_null(measure_at(NL_ARRAY_LEN(keys)));
	assert_string_equal(measure_find("reopen_rate")->direction, "lower_better");
	assert_null(measure_find("tickets")->direction);
	assert_null(measure_find("nope"));
	assert_null(measure_find(NULL));
	/* Sources. */
	assert_non_null(measure_from_source("measure:resolution_rate"));
	assert_null(measure_from_source("measure:nope"));
	assert_null(measure_from_source("measure:"));
	assert_null(measure_from_source("manual"));
	assert_null(measure_from_source("resolution_rate"));
	assert_true(metric_source_valid("manual"));
	assert_true(metric_source_valid("measure:satisfied_rate"));
	assert_false(metric_source_valid("measure:nope"));
	assert_false(metric_source_valid("Manual"));
	assert_false(metric_source_valid(NULL));
	json_t *j = measure_catalogue_json();
	assert_non_null(j);
	assert_int_equal(json_array_size(j), NL_ARRAY_LEN(keys));
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 1), "source")), "measure:resolution_rate");
	json_decref(j);
}

static void test_measure_value_refusals(void **state)
{
	(void)state;
	struct nl_error e = { 0 };
	struct nl_ctx ctx = { 0 };
	ctx.err = &e;
	struct nl_period p = { NL_PERIOD_MONTH, 2027, 3 };
	/* Every measure's value comes from its room's records (the measures engine, people, partners, improvement), each
	 * tested with a database there; here only the refusals, which need none. */
	int has = 1;
	double v, n, d;
	assert_int_equal(measure_value(&ctx, "nope", 0, p, &has, &v, &n, &d), NL_EVALID);
	assert_int_equal(has, 0);
	struct nl_period bad = { NL_PERIOD_MONTH, 2027, 13 };
	assert_int_equal(measure_value(&ctx, "headcount", 0, bad, &has, &v, &n, &d), NL_EVALID);
	assert_int_equal(has, 0);
}

static void test_metric_code(void **state)
{
	(void)state;
	assert_true(metric_code_valid("M-01"));
	assert_true(metric_code_valid("kpi.sla_resp"));
	assert_false(metric_code_valid(""));
	assert_false(metric_code_valid(NULL));
	assert_false(metric_code_valid("M 01"));
	assert_false(metric_code_valid("指标1"));
	assert_true(metric_code_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"));    /* 32 */
	assert_false(metric_code_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"));  /* 33 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period_check),
		cmocka_unit_test(test_periods_begun),
		cmocka_unit_test(test_actual),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_row_trends),
		cmocka_unit_test(test_text_blank),
		cmocka_unit_test(test_close_blockers),
		cmocka_unit_test(test_measure_catalogue),
		cmocka_unit_test(test_measure_value_refusals),
		cmocka_unit_test(test_metric_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
