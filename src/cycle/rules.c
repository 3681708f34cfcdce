/* rules.c — achievement rate, status and trend of metrics; overdue, delay and outcome of work items (see rules.h). */
#include "cycle/rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

/* Looks s up in names[0..n) and stores the index in *idx; returns 0 or NL_EVALID. */
static int rules_lookup(const char *s, const char *const *names, int n, int *idx)
{
	if (!s)
		return NL_EVALID;
	for (int i = 0; i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			*idx = i;
			return 0;
		}
	}
	return NL_EVALID;
}

/* Returns names[v] when 0 ≤ v < n, else "". */
static const char *rules_name(int v, const char *const *names, int n)
{
	return v >= 0 && v < n ? names[v] : "";
}

/* -1, 0 or 1 as a is below, equal to (within the tolerance), or above b. Both finite. */
static int rules_fcmp(double a, double b)
{
	double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
	if (fabs(a - b) <= NL_RULES_EPSILON * scale)
		return 0;
	return a < b ? -1 : 1;
}

/* ---- Metrics ---- */

static const char *const direction_names[] = { "higher_better", "lower_better" };

int rules_direction_parse(const char *s, enum nl_direction *out)
{
	int i;
	if (rules_lookup(s, direction_names, (int)NL_ARRAY_LEN(direction_names), &i) < 0)
		return NL_EVALID;
	*out = (enum nl_direction)i;
	return 0;
}

const char *rules_direction_name(enum nl_direction d)
{
	return rules_name((int)d, direction_names, (int)NL_ARRAY_LEN(direction_names));
}

static int rules_direction_known(enum nl_direction d)
{
	return d == NL_DIRECTION_HIGHER_BETTER || d == NL_DIRECTION_LOWER_BETTER;
}

int rules_goal_check(const struct nl_goal *g, struct nl_error *e)
{
	if (!rules_direction_known(g->direction))
		return nl_fail(e, NL_EVALID, "direction", "direction must be higher_better or lower_better.");
	if (!isfinite(g->target))
		return nl_fail(e, NL_EVALID, "target", "target must be a finite number.");
	if (!g->has_warning)
		return 0;
	if (!isfinite(g->warning))
		return nl_fail(e, NL_EVALID, "warning", "warning must be a finite number.");
	if (g->direction == NL_DIRECTION_HIGHER_BETTER && g->warning > g->target)
		return nl_fail(e, NL_EVALID, "warning",
			"warning (%g) must not be above the target (%g) when higher values are better.", g->warning, g->target);
	if (g->direction == NL_DIRECTION_LOWER_BETTER && g->warning < g->target)
		return nl_fail(e, NL_EVALID, "warning",
			"warning (%g) must not be below the target (%g) when lower values are better.", g->warning, g->target);
	return 0;
}

int rules_rate(enum nl_direction dir, double actual, double target, int *has_rate, double *rate)
{
	if (!rules_direction_known(dir) || !isfinite(actual) || !isfinite(target))
		return NL_EVALID;
	double r = 0.0;
	int ok = 0;
	if (dir == NL_DIRECTION_HIGHER_BETTER) {
		if (target > 0.0) {
			r = actual / target;
			ok = 1;
		}
	} else {
		if (actual > 0.0 && target >= 0.0) {
			r = target / actual;
			ok = 1;
		}
	}
	/* Extreme magnitudes can overflow to infinity; an infinite ratio is no rate. */
	if (ok && !isfinite(r)) {
		ok = 0;
		r = 0.0;
	}
	*has_rate = ok;
	*rate = r;
	return 0;
}

/* 1 when actual reaches the threshold in the good direction (boundary included). */
static int rules_reaches(enum nl_direction dir, double actual, double threshold)
{
	int c = rules_fcmp(actual, threshold);
	return dir == NL_DIRECTION_HIGHER_BETTER ? c >= 0 : c <= 0;
}

int rules_status(const struct nl_goal *g, double actual, enum nl_status *out)
{
	if (!isfinite(actual) || rules_goal_check(g, NULL) < 0)
		return NL_EVALID;
	if (rules_reaches(g->direction, actual, g->target))
		*out = NL_STATUS_MET;
	else if (g->has_warning && rules_reaches(g->direction, actual, g->warning))
		*out = NL_STATUS_WARNING;
	else
		*out = NL_STATUS_MISSED;
	return 0;
}

static const char *const status_names[] = { "met", "warning", "missed" };

const char *rules_status_name(enum nl_status s)
{
	return rules_name((int)s, status_names, (int)NL_ARRAY_LEN(status_names));
}

int rules_status_parse(const char *s, enum nl_status *out)
{
	int i;
	if (rules_lookup(s, status_names, (int)NL_ARRAY_LEN(status_names), &i) < 0)
		return NL_EVALID;
	*out = (enum nl_status)i;
	return 0;
}

int rules_trend(enum nl_direction dir, double actual, int has_previous, double previous, enum nl_trend *trend,
	enum nl_change *change)
{
	if (!rules_direction_known(dir) || !isfinite(actual) || (has_previous && !isfinite(previous)))
		return NL_EVALID;
	enum nl_trend t = NL_TREND_NONE;
	enum nl_change c = NL_CHANGE_NONE;
	if (has_previous) {
		int cmp = rules_fcmp(actual, previous);
		if (cmp == 0) {
			t = NL_TREND_FLAT;
			c = NL_CHANGE_SAME;
		} else {
			t = cmp > 0 ? NL_TREND_UP : NL_TREND_DOWN;
			int good = (cmp > 0) == (dir == NL_DIRECTION_HIGHER_BETTER);
			c = good ? NL_CHANGE_BETTER : NL_CHANGE_WORSE;
		}
	}
	if (trend)
		*trend = t;
	if (change)
		*change = c;
	return 0;
}

static const char *const trend_names[] = { "none", "up", "down", "flat" };
static const char *const change_names[] = { "none", "better", "worse", "same" };

const char *rules_trend_name(enum nl_trend t)
{
	return rules_name((int)t, trend_names, (int)NL_ARRAY_LEN(trend_names));
}

const char *rules_change_name(enum nl_change c)
{
	return rules_name((int)c, change_names, (int)NL_ARRAY_LEN(change_names));
}

/* ---- Work items ---- */

static const char *const work_status_names[] = { "not_started", "in_progress", "done", "delayed", "cancelled" };
static const char *const work_outcome_names[] = { "open", "done_on_time", "done_late", "cancelled" };

int rules_work_status_parse(const char *s, enum nl_work_status *out)
{
	int i;
	if (rules_lookup(s, work_status_names, (int)NL_ARRAY_LEN(work_status_names), &i) < 0)
		return NL_EVALID;
	*out = (enum nl_work_status)i;
	return 0;
}

const char *rules_work_status_name(enum nl_work_status s)
{
	return rules_name((int)s, work_status_names, (int)NL_ARRAY_LEN(work_status_names));
}

int rules_work_status_open(enum nl_work_status s)
{
	return s == NL_WORK_NOT_STARTED || s == NL_WORK_IN_PROGRESS || s == NL_WORK_DELAYED;
}

const char *rules_work_outcome_name(enum nl_work_outcome o)
{
	return rules_name((int)o, work_outcome_names, (int)NL_ARRAY_LEN(work_outcome_names));
}

int rules_work_timing(enum nl_work_status status, struct nl_date planned_end, const struct nl_date *actual_end,
	struct nl_date today, struct nl_work_timing *out)
{
	if (!date_valid(planned_end) || !date_valid(today) || (actual_end && !date_valid(*actual_end)))
		return NL_EVALID;
	struct nl_work_timing t = { .overdue = 0, .late = 0, .delay_days = 0, .outcome = NL_WORK_OUTCOME_OPEN };
	switch (status) {
	case NL_WORK_DONE:
		t.outcome = NL_WORK_OUTCOME_DONE_ON_TIME;
		if (actual_end && date_cmp(*actual_end, planned_end) > 0) {
			t.outcome = NL_WORK_OUTCOME_DONE_LATE;
			t.late = 1;
			t.delay_days = date_diff_days(*actual_end, planned_end);
		}
		break;
	case NL_WORK_CANCELLED:
		t.outcome = NL_WORK_OUTCOME_CANCELLED;
		break;
	case NL_WORK_NOT_STARTED:
	case NL_WORK_IN_PROGRESS:
	case NL_WORK_DELAYED:
		if (date_cmp(today, planned_end) > 0) {
			t.overdue = 1;
			t.delay_days = date_diff_days(today, planned_end);
		}
		break;
	default:
		return NL_EVALID;
	}
	*out = t;
	return 0;
}

int rules_work_due_soon(enum nl_work_status status, struct nl_date planned_end, struct nl_date today, int window_days)
{
	if (!rules_work_status_open(status) || window_days < 0 || !date_valid(planned_end) || !date_valid(today))
		return 0;
	int left = date_diff_days(planned_end, today);
	return left >= 0 && left <= window_days;
}

static int unit_is_percent(const char *unit)
{
	return unit && (!strcmp(unit, "ratio") || !strcmp(unit, "%") || !strcmp(unit, "percent"));
}

void rules_value_text(double v, const char *unit, char *out, size_t n)
{
	if (!out || n == 0)
		return;
	if (!isfinite(v)) {
		snprintf(out, n, "—");
		return;
	}
	if (unit_is_percent(unit)) {
		snprintf(out, n, "%.1f%%", v * 100.0);
		return;
	}
	char num[48];
	snprintf(num, sizeof num, "%.4f", v);
	/* trim trailing zeros and a trailing point: 19.2000 → 19.2, 4.0000 → 4 */
	char *dot = strchr(num, '.');
	if (dot) {
		char *e = num + strlen(num) - 1;
		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
	if (unit && *unit)
		snprintf(out, n, "%s %s", num, unit);
	else
		snprintf(out, n, "%s", num);
}
