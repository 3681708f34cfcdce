/* test_rules.c — achievement rate, status and trend of metrics; overdue, delay, outcome and due-soon of work items
 * (cycle/rules.h). Boundaries are tested on both sides for both directions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "cycle/rules.h"
#include "core/err.h"
#include "core/common.h"

static struct nl_date mk(int y, int m, int d)
{
	struct nl_date r = { y, m, d };
	return r;
}

static struct nl_goal goal(enum nl_direction dir, double target, int has_warning, double warning)
{
	struct nl_goal g = { dir, target, has_warning, warning };
	return g;
}

/* The status of actual against g; fails the test when rules_status refuses. */
static enum nl_status status_of(struct nl_goal g, double actual)
{
	enum nl_status s = (enum nl_status)99;
	assert_int_equal(rules_status(&g, actual, &s), 0);
	return s;
}

static void test_direction_names(void **state)
{
	(void)state;
	enum nl_direction d = NL_DIRECTION_HIGHER_BETTER;
	assert_int_equal(rules_direction_parse("lower_better", &d), 0);
	assert_int_equal(d, NL_DIRECTION_LOWER_BETTER);
	assert_int_equal(rules_direction_parse("higher_better", &d), 0);
	assert_int_equal(d, NL_DIRECTION_HIGHER_BETTER);
	assert_int_equal(rules_direction_parse("Higher_better", &d), NL_EVALID);
	assert_int_equal(rules_direction_parse("higher", &d), NL_EVALID);
	assert_int_equal(rules_direction_parse(">=", &d), NL_EVALID);
	assert_int_equal(rules_direction_parse("", &d), NL_EVALID);
	assert_int_equal(rules_direction_parse(NULL, &d), NL_EVALID);
	assert_int_equal(d, NL_DIRECTION_HIGHER_BETTER);
	assert_string_equal(rules_direction_name(NL_DIRECTION_HIGHER_BETTER), "higher_better");
	assert_string_equal(rules_direction_name(NL_DIRECTION_LOWER_BETTER), "lower_better");
	assert_string_equal(rules_direction_name((enum nl_direction)2), "");
}

static void test_rate_higher_better(void **state)
{
	(void)state;
	int has = -1;
	double r = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, 90, 100, &has, &r), 0);
	assert_int_equal(has, 1);
	assert_float_equal(r, 0.9, 1e-12);
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, 0.95, 0.95, &has, &r), 0);
	assert_int_equal(has, 1);
	assert_float_equal(r, 1.0, 1e-12);
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, 120, 100, &has, &r), 0);
	assert_float_equal(r, 1.2, 1e-12);
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, 0, 100, &has, &r), 0);
	assert_int_equal(has, 1);
	assert_float_equal(r, 0.0, 0);
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, -10, 100, &has, &r), 0);
	assert_float_equal(r, -0.1, 1e-12);
	/* No rate against a target of 0 or below. */
	r = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, 5, 0, &has, &r), 0);
	assert_int_equal(has, 0);
	assert_float_equal(r, 0.0, 0);
	has = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, 0, 0, &has, &r), 0);
	assert_int_equal(has, 0);
	has = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, 5, -5, &has, &r), 0);
	assert_int_equal(has, 0);
	/* A ratio too large for a double is no rate either. */
	has = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, 1e300, 1e-300, &has, &r), 0);
	assert_int_equal(has, 0);
}

static void test_rate_lower_better(void **state)
{
	(void)state;
	int has = -1;
	double r = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, 30, 60, &has, &r), 0);  /* half the allowed time */
	assert_int_equal(has, 1);
	assert_float_equal(r, 2.0, 1e-12);
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, 120, 60, &has, &r), 0);
	assert_float_equal(r, 0.5, 1e-12);
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, 60, 60, &has, &r), 0);
	assert_float_equal(r, 1.0, 1e-12);
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, 4, 0, &has, &r), 0);   /* target "no incidents", 4 happened */
	assert_int_equal(has, 1);
	assert_float_equal(r, 0.0, 0);
	/* An actual of 0 has no rate (the ratio would be infinite); negative inputs have none either. */
	r = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, 0, 60, &has, &r), 0);
	assert_int_equal(has, 0);
	assert_float_equal(r, 0.0, 0);
	has = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, 0, 0, &has, &r), 0);
	assert_int_equal(has, 0);
	has = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, -3, 60, &has, &r), 0);
	assert_int_equal(has, 0);
	has = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, 3, -60, &has, &r), 0);
	assert_int_equal(has, 0);
	has = -1;
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, 1e-300, 1e300, &has, &r), 0);
	assert_int_equal(has, 0);

	/* Non-finite numbers are refused and leave the outputs alone. */
	has = 7;
	r = 7;
	assert_int_equal(rules_rate(NL_DIRECTION_LOWER_BETTER, NAN, 60, &has, &r), NL_EVALID);
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, 1, INFINITY, &has, &r), NL_EVALID);
	assert_int_equal(rules_rate(NL_DIRECTION_HIGHER_BETTER, -INFINITY, 1, &has, &r), NL_EVALID);
	assert_int_equal(rules_rate((enum nl_direction)5, 1, 1, &has, &r), NL_EVALID);
	assert_int_equal(has, 7);
	assert_float_equal(r, 7, 0);
}

static void test_status_higher_better(void **state)
{
	(void)state;
	struct nl_goal g = goal(NL_DIRECTION_HIGHER_BETTER, 0.95, 1, 0.90);
	assert_int_equal(status_of(g, 0.95), NL_STATUS_MET);       /* exactly on target */
	assert_int_equal(status_of(g, 19.0 / 20.0), NL_STATUS_MET);
	assert_int_equal(status_of(g, 1.0), NL_STATUS_MET);
	assert_int_equal(status_of(g, 0.9499), NL_STATUS_WARNING);
	assert_int_equal(status_of(g, 0.90), NL_STATUS_WARNING);   /* exactly on the warning threshold */
	assert_int_equal(status_of(g, 0.8999), NL_STATUS_MISSED);
	assert_int_equal(status_of(g, 0.0), NL_STATUS_MISSED);
	assert_int_equal(status_of(g, -1.0), NL_STATUS_MISSED);
	/* Rounding noise does not turn a met value into a warning. */
	assert_int_equal(status_of(goal(NL_DIRECTION_HIGHER_BETTER, 0.3, 0, 0), 0.1 + 0.2), NL_STATUS_MET);
	assert_int_equal(status_of(goal(NL_DIRECTION_HIGHER_BETTER, 0.3, 0, 0), 0.2999999), NL_STATUS_MISSED);
	/* Large counts keep a one-unit difference. */
	assert_int_equal(status_of(goal(NL_DIRECTION_HIGHER_BETTER, 1000000, 0, 0), 999999), NL_STATUS_MISSED);
	/* Without a warning threshold there is no warning band. */
	struct nl_goal nw = goal(NL_DIRECTION_HIGHER_BETTER, 0.95, 0, 123456);
	assert_int_equal(status_of(nw, 0.95), NL_STATUS_MET);
	assert_int_equal(status_of(nw, 0.9499), NL_STATUS_MISSED);
	assert_int_equal(status_of(nw, 0.0), NL_STATUS_MISSED);
	/* A warning equal to the target leaves no band either. */
	struct nl_goal eq = goal(NL_DIRECTION_HIGHER_BETTER, 0.9, 1, 0.9);
	assert_int_equal(status_of(eq, 0.9), NL_STATUS_MET);
	assert_int_equal(status_of(eq, 0.89), NL_STATUS_MISSED);
}

static void test_status_lower_better(void **state)
{
	(void)state;
	struct nl_goal g = goal(NL_DIRECTION_LOWER_BETTER, 30, 1, 45);  /* response minutes */
	assert_int_equal(status_of(g, 30), NL_STATUS_MET);
	assert_int_equal(status_of(g, 29.99), NL_STATUS_MET);
	assert_int_equal(status_of(g, 0), NL_STATUS_MET);
	assert_int_equal(status_of(g, 30.01), NL_STATUS_WARNING);
	assert_int_equal(status_of(g, 45), NL_STATUS_WARNING);
	assert_int_equal(status_of(g, 45.01), NL_STATUS_MISSED);
	assert_int_equal(status_of(g, 1000), NL_STATUS_MISSED);
	struct nl_goal nw = goal(NL_DIRECTION_LOWER_BETTER, 30, 0, 0);
	assert_int_equal(status_of(nw, 30), NL_STATUS_MET);
	assert_int_equal(status_of(nw, 31), NL_STATUS_MISSED);
	/* Target 0 ("no major incidents"): 0 is met, 1 is missed, 1 within a warning of 2 is a warning. */
	assert_int_equal(status_of(goal(NL_DIRECTION_LOWER_BETTER, 0, 0, 0), 0), NL_STATUS_MET);
	assert_int_equal(status_of(goal(NL_DIRECTION_LOWER_BETTER, 0, 0, 0), 1), NL_STATUS_MISSED);
	assert_int_equal(status_of(goal(NL_DIRECTION_LOWER_BETTER, 0, 1, 2), 1), NL_STATUS_WARNING);
	assert_int_equal(status_of(goal(NL_DIRECTION_LOWER_BETTER, 0, 1, 2), 3), NL_STATUS_MISSED);
}

static void test_status_names_and_refusals(void **state)
{
	(void)state;
	assert_string_equal(rules_status_name(NL_STATUS_MET), "met");
	assert_string_equal(rules_status_name(NL_STATUS_WARNING), "warning");
	assert_string_equal(rules_status_name(NL_STATUS_MISSED), "missed");
	assert_string_equal(rules_status_name((enum nl_status)3), "");
	enum nl_status s = NL_STATUS_MET;
	assert_int_equal(rules_status_parse("missed", &s), 0);
	assert_int_equal(s, NL_STATUS_MISSED);
	assert_int_equal(rules_status_parse("warning", &s), 0);
	assert_int_equal(s, NL_STATUS_WARNING);
	assert_int_equal(rules_status_parse("Met", &s), NL_EVALID);
	assert_int_equal(rules_status_parse(NULL, &s), NL_EVALID);
	assert_int_equal(s, NL_STATUS_WARNING);

	struct nl_goal g = goal(NL_DIRECTION_HIGHER_BETTER, 0.95, 1, 0.9);
	s = (enum nl_status)77;
	assert_int_equal(rules_status(&g, NAN, &s), NL_EVALID);
	assert_int_equal(rules_status(&g, INFINITY, &s), NL_EVALID);
	struct nl_goal wrong = goal(NL_DIRECTION_HIGHER_BETTER, 0.9, 1, 0.95);
	assert_int_equal(rules_status(&wrong, 0.92, &s), NL_EVALID);
	assert_int_equal(s, 77);
}

static void test_goal_check(void **state)
{
	(void)state;
	struct nl_error e;
	struct nl_goal ok[] = {
		goal(NL_DIRECTION_HIGHER_BETTER, 0.95, 1, 0.90),
		goal(NL_DIRECTION_HIGHER_BETTER, 0.95, 1, 0.95),
		goal(NL_DIRECTION_HIGHER_BETTER, 0.95, 0, NAN),   /* no warning: its value is not read */
		goal(NL_DIRECTION_LOWER_BETTER, 30, 1, 45),
		goal(NL_DIRECTION_LOWER_BETTER, 30, 1, 30),
		goal(NL_DIRECTION_LOWER_BETTER, 0, 0, 0),
		goal(NL_DIRECTION_HIGHER_BETTER, -5, 1, -10),
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(ok); i++) {
		nl_error_clear(&e);
		if (rules_goal_check(&ok[i], &e) != 0)
			fail_msg("goal %zu refused: %s", i, e.message);
		assert_int_equal(e.code, 0);
	}

	/* The warning on the better side of the target is refused, naming "warning". */
	struct nl_goal hb = goal(NL_DIRECTION_HIGHER_BETTER, 0.90, 1, 0.95);
	nl_error_clear(&e);
	assert_int_equal(rules_goal_check(&hb, &e), NL_EVALID);
	assert_int_equal(e.code, NL_EVALID);
	assert_string_equal(e.field, "warning");
	assert_non_null(strstr(e.message, "above the target"));
	struct nl_goal lb = goal(NL_DIRECTION_LOWER_BETTER, 30, 1, 20);
	nl_error_clear(&e);
	assert_int_equal(rules_goal_check(&lb, &e), NL_EVALID);
	assert_string_equal(e.field, "warning");
	assert_non_null(strstr(e.message, "below the target"));
	/* By the smallest margin too. */
	struct nl_goal hb2 = goal(NL_DIRECTION_HIGHER_BETTER, 0.90, 1, nextafter(0.90, 1.0));
	assert_int_equal(rules_goal_check(&hb2, NULL), NL_EVALID);

	struct nl_goal nan_warning = goal(NL_DIRECTION_LOWER_BETTER, 30, 1, NAN);
	nl_error_clear(&e);
	assert_int_equal(rules_goal_check(&nan_warning, &e), NL_EVALID);
	assert_string_equal(e.field, "warning");
	struct nl_goal inf_target = goal(NL_DIRECTION_LOWER_BETTER, INFINITY, 0, 0);
	nl_error_clear(&e);
	assert_int_equal(rules_goal_check(&inf_target, &e), NL_EVALID);
	assert_string_equal(e.field, "target");
	struct nl_goal bad_dir = goal((enum nl_direction)4, 1, 0, 0);
	nl_error_clear(&e);
	assert_int_equal(rules_goal_check(&bad_dir, &e), NL_EVALID);
	assert_string_equal(e.field, "direction");
}

static void test_trend(void **state)
{
	(void)state;
	enum nl_trend t = (enum nl_trend)9;
	enum nl_change c = (enum nl_change)9;
	assert_int_equal(rules_trend(NL_DIRECTION_HIGHER_BETTER, 0.9, 1, 0.8, &t, &c), 0);
	assert_int_equal(t, NL_TREND_UP);
	assert_int_equal(c, NL_CHANGE_BETTER);
	assert_int_equal(rules_trend(NL_DIRECTION_HIGHER_BETTER, 0.7, 1, 0.8, &t, &c), 0);
	assert_int_equal(t, NL_TREND_DOWN);
	assert_int_equal(c, NL_CHANGE_WORSE);
	assert_int_equal(rules_trend(NL_DIRECTION_HIGHER_BETTER, 0.8, 1, 0.8, &t, &c), 0);
	assert_int_equal(t, NL_TREND_FLAT);
	assert_int_equal(c, NL_CHANGE_SAME);
	assert_int_equal(rules_trend(NL_DIRECTION_LOWER_BETTER, 20, 1, 30, &t, &c), 0);
	assert_int_equal(t, NL_TREND_DOWN);
	assert_int_equal(c, NL_CHANGE_BETTER);
	assert_int_equal(rules_trend(NL_DIRECTION_LOWER_BETTER, 40, 1, 30, &t, &c), 0);
	assert_int_equal(t, NL_TREND_UP);
	assert_int_equal(c, NL_CHANGE_WORSE);
	assert_int_equal(rules_trend(NL_DIRECTION_LOWER_BETTER, 0.1 + 0.2, 1, 0.3, &t, &c), 0);
	assert_int_equal(t, NL_TREND_FLAT);
	assert_int_equal(c, NL_CHANGE_SAME);
	assert_int_equal(rules_trend(NL_DIRECTION_HIGHER_BETTER, 0.3001, 1, 0.3, &t, &c), 0);
	assert_int_equal(t, NL_TREND_UP);
	/* No previous value: none, whatever the previous number says. */
	assert_int_equal(rules_trend(NL_DIRECTION_HIGHER_BETTER, 0.9, 0, NAN, &t, &c), 0);
	assert_int_equal(t, NL_TREND_NONE);
	assert_int_equal(c, NL_CHANGE_NONE);
	/* One output is enough. */
	assert_int_equal(rules_trend(NL_DIRECTION_LOWER_BETTER, 1, 1, 2, NULL, &c), 0);
	assert_int_equal(c, NL_CHANGE_BETTER);
	assert_int_equal(rules_trend(NL_DIRECTION_LOWER_BETTER, 1, 1, 2, &t, NULL), 0);
	assert_int_equal(t, NL_TREND_DOWN);
	/* Refusals leave the outputs alone. */
	assert_int_equal(rules_trend(NL_DIRECTION_LOWER_BETTER, NAN, 1, 2, &t, &c), NL_EVALID);
	assert_int_equal(rules_trend(NL_DIRECTION_LOWER_BETTER, 1, 1, INFINITY, &t, &c), NL_EVALID);
	assert_int_equal(rules_trend((enum nl_direction)3, 1, 1, 2, &t, &c), NL_EVALID);
	assert_int_equal(t, NL_TREND_DOWN);
	assert_int_equal(c, NL_CHANGE_BETTER);

	assert_string_equal(rules_trend_name(NL_TREND_NONE), "none");
	assert_string_equal(rules_trend_name(NL_TREND_UP), "up");
	assert_string_equal(rules_trend_name(NL_TREND_DOWN), "down");
	assert_string_equal(rules_trend_name(NL_TREND_FLAT), "flat");
	assert_string_equal(rules_change_name(NL_CHANGE_NONE), "none");
	assert_string_equal(rules_change_name(NL_CHANGE_BETTER), "better");
	assert_string_equal(rules_change_name(NL_CHANGE_WORSE), "worse");
	assert_string_equal(rules_change_name(NL_CHANGE_SAME), "same");
	assert_string_equal(rules_change_name((enum nl_change)4), "");
}

static void test_work_status_names(void **state)
{
	(void)state;
	static const char *const names[] = { "not_started", "in_progress", "done", "delayed", "cancelled" };
	static const enum nl_work_status values[] = { NL_WORK_NOT_STARTED, NL_WORK_IN_PROGRESS, NL_WORK_DONE,
		NL_WORK_DELAYED, NL_WORK_CANCELLED };
	static const int open[] = { 1, 1, 0, 1, 0 };
	for (size_t i = 0; i < NL_ARRAY_LEN(names); i++) {
		enum nl_work_status s = (enum nl_work_status)99;
		assert_int_equal(rules_work_status_parse(names[i], &s), 0);
		assert_int_equal(s, values[i]);
		assert_string_equal(rules_work_status_name(values[i]), names[i]);
		assert_int_equal(rules_work_status_open(values[i]), open[i]);
	}
	enum nl_work_status s = NL_WORK_DONE;
	assert_int_equal(rules_work_status_parse("canceled", &s), NL_EVALID);
	assert_int_equal(rules_work_status_parse("Done", &s), NL_EVALID);
	assert_int_equal(rules_work_status_parse("in progress", &s), NL_EVALID);
	assert_int_equal(rules_work_status_parse("", &s), NL_EVALID);
	assert_int_equal(rules_work_status_parse(NULL, &s), NL_EVALID);
	assert_int_equal(s, NL_WORK_DONE);
	assert_string_equal(rules_work_status_name((enum nl_work_status)5), "");
	assert_int_equal(rules_work_status_open((enum nl_work_status)5), 0);
	assert_string_equal(rules_work_outcome_name(NL_WORK_OUTCOME_OPEN), "open");
	assert_string_equal(rules_work_outcome_name(NL_WORK_OUTCOME_DONE_ON_TIME), "done_on_time");
	assert_string_equal(rules_work_outcome_name(NL_WORK_OUTCOME_DONE_LATE), "done_late");
	assert_string_equal(rules_work_outcome_name(NL_WORK_OUTCOME_CANCELLED), "cancelled");
}

/* Judges an item and checks overdue, late, delay and outcome. */
static void check_timing(enum nl_work_status st, struct nl_date planned_end, const struct nl_date *actual_end,
	struct nl_date today, int overdue, int late, int delay, enum nl_work_outcome outcome)
{
	struct nl_work_timing t;
	assert_int_equal(rules_work_timing(st, planned_end, actual_end, today, &t), 0);
	assert_int_equal(t.overdue, overdue);
	assert_int_equal(t.late, late);
	assert_int_equal(t.delay_days, delay);
	assert_int_equal(t.outcome, outcome);
}

static void test_work_timing_open(void **state)
{
	(void)state;
	struct nl_date end = mk(2027, 6, 30);
	/* Due today is not overdue; one day after is 1; July has 31 days, so 2027-08-01 is 32. */
	check_timing(NL_WORK_IN_PROGRESS, end, NULL, mk(2027, 6, 30), 0, 0, 0, NL_WORK_OUTCOME_OPEN);
	check_timing(NL_WORK_IN_PROGRESS, end, NULL, mk(2027, 7, 1), 1, 0, 1, NL_WORK_OUTCOME_OPEN);
	check_timing(NL_WORK_IN_PROGRESS, end, NULL, mk(2027, 8, 1), 1, 0, 32, NL_WORK_OUTCOME_OPEN);
	check_timing(NL_WORK_NOT_STARTED, end, NULL, mk(2026, 12, 31), 0, 0, 0, NL_WORK_OUTCOME_OPEN);
	check_timing(NL_WORK_NOT_STARTED, end, NULL, mk(2027, 7, 2), 1, 0, 2, NL_WORK_OUTCOME_OPEN);
	/* "delayed" is the owner's word, not the date's: not overdue before the planned end. */
	check_timing(NL_WORK_DELAYED, end, NULL, mk(2027, 6, 29), 0, 0, 0, NL_WORK_OUTCOME_OPEN);
	check_timing(NL_WORK_DELAYED, end, NULL, mk(2027, 7, 10), 1, 0, 10, NL_WORK_OUTCOME_OPEN);
	/* An open item's actual end (say, from before it was reopened) is ignored. */
	struct nl_date stale = mk(2027, 7, 5);
	check_timing(NL_WORK_IN_PROGRESS, end, &stale, mk(2027, 7, 3), 1, 0, 3, NL_WORK_OUTCOME_OPEN);
	/* Across a year end and a leap day. */
	check_timing(NL_WORK_IN_PROGRESS, mk(2027, 12, 31), NULL, mk(2028, 1, 1), 1, 0, 1, NL_WORK_OUTCOME_OPEN);
	check_timing(NL_WORK_IN_PROGRESS, mk(2028, 2, 28), NULL, mk(2028, 3, 1), 1, 0, 2, NL_WORK_OUTCOME_OPEN);
	check_timing(NL_WORK_IN_PROGRESS, mk(2027, 2, 28), NULL, mk(2027, 3, 1), 1, 0, 1, NL_WORK_OUTCOME_OPEN);
}

static void test_work_timing_done_and_cancelled(void **state)
{
	(void)state;
	struct nl_date end = mk(2027, 6, 30);
	struct nl_date on_day = mk(2027, 6, 30), early = mk(2027, 6, 1), day_late = mk(2027, 7, 1),
		month_late = mk(2027, 7, 30);
	check_timing(NL_WORK_DONE, end, &on_day, mk(2027, 12, 31), 0, 0, 0, NL_WORK_OUTCOME_DONE_ON_TIME);
	check_timing(NL_WORK_DONE, end, &early, mk(2027, 12, 31), 0, 0, 0, NL_WORK_OUTCOME_DONE_ON_TIME);
	check_timing(NL_WORK_DONE, end, &day_late, mk(2027, 12, 31), 0, 1, 1, NL_WORK_OUTCOME_DONE_LATE);
	check_timing(NL_WORK_DONE, end, &month_late, mk(2027, 12, 31), 0, 1, 30, NL_WORK_OUTCOME_DONE_LATE);
	/* Done without an actual end: cannot be judged late. */
	check_timing(NL_WORK_DONE, end, NULL, mk(2027, 12, 31), 0, 0, 0, NL_WORK_OUTCOME_DONE_ON_TIME);
	/* Cancelled items are never overdue, whatever the dates. */
	check_timing(NL_WORK_CANCELLED, end, NULL, mk(2028, 6, 30), 0, 0, 0, NL_WORK_OUTCOME_CANCELLED);
	check_timing(NL_WORK_CANCELLED, end, &month_late, mk(2028, 6, 30), 0, 0, 0, NL_WORK_OUTCOME_CANCELLED);

	/* Invalid dates or statuses are refused and leave the output alone. */
	struct nl_work_timing t = { 7, 7, 7, NL_WORK_OUTCOME_CANCELLED };
	struct nl_date bad = mk(2027, 2, 29);
	assert_int_equal(rules_work_timing(NL_WORK_DONE, bad, NULL, end, &t), NL_EVALID);
	assert_int_equal(rules_work_timing(NL_WORK_DONE, end, NULL, bad, &t), NL_EVALID);
	assert_int_equal(rules_work_timing(NL_WORK_DONE, end, &bad, end, &t), NL_EVALID);
	assert_int_equal(rules_work_timing((enum nl_work_status)9, end, NULL, end, &t), NL_EVALID);
	assert_int_equal(t.overdue, 7);
	assert_int_equal(t.delay_days, 7);
}

static void test_work_due_soon(void **state)
{
	(void)state;
	struct nl_date today = mk(2027, 6, 23);
	int w = NL_WORK_DUE_SOON_DAYS;
	assert_int_equal(w, 7);
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 6, 23), today, w), 1);  /* today */
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 6, 24), today, w), 1);
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 6, 30), today, w), 1);  /* 7 days */
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 7, 1), today, w), 0);   /* 8 days */
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 6, 22), today, w), 0);  /* overdue */
	assert_int_equal(rules_work_due_soon(NL_WORK_NOT_STARTED, mk(2027, 6, 25), today, w), 1);
	assert_int_equal(rules_work_due_soon(NL_WORK_DELAYED, mk(2027, 6, 25), today, w), 1);
	assert_int_equal(rules_work_due_soon(NL_WORK_DONE, mk(2027, 6, 25), today, w), 0);
	assert_int_equal(rules_work_due_soon(NL_WORK_CANCELLED, mk(2027, 6, 25), today, w), 0);
	/* Across a year end: 2027-12-28 + 7 = 2028-01-04. */
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2028, 1, 4), mk(2027, 12, 28), w), 1);
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2028, 1, 5), mk(2027, 12, 28), w), 0);
	/* Another window, a refused window, invalid dates. */
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 6, 23), today, 0), 1);
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 6, 24), today, 0), 0);
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 6, 23), today, -1), 0);
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 6, 31), today, w), 0);
	assert_int_equal(rules_work_due_soon(NL_WORK_IN_PROGRESS, mk(2027, 6, 24), mk(2027, 2, 29), w), 0);
}

static void test_value_text(void **state)
{
	(void)state;
	char b[32];
	rules_value_text(0.677083, "ratio", b, sizeof b);
	assert_string_equal(b, "67.7%");
	rules_value_text(0.98, "%", b, sizeof b);
	assert_string_equal(b, "98.0%");
	rules_value_text(19.2, "min", b, sizeof b);
	assert_string_equal(b, "19.2 min");
	rules_value_text(4, "h", b, sizeof b);
	assert_string_equal(b, "4 h");
	rules_value_text(4.5, "", b, sizeof b);
	assert_string_equal(b, "4.5");
	rules_value_text(NAN, "ratio", b, sizeof b);
	assert_string_equal(b, "—");
	rules_value_text(1234.56789, NULL, b, sizeof b);
	assert_string_equal(b, "1234.5679");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direction_names),
		cmocka_unit_test(test_rate_higher_better),
		cmocka_unit_test(test_rate_lower_better),
		cmocka_unit_test(test_status_higher_better),
		cmocka_unit_test(test_status_lower_better),
		cmocka_unit_test(test_status_names_and_refusals),
		cmocka_unit_test(test_goal_check),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_work_status_names),
		cmocka_unit_test(test_work_timing_open),
		cmocka_unit_test(test_work_timing_done_and_cancelled),
		cmocka_unit_test(test_work_due_soon),
		cmocka_unit_test(test_value_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
