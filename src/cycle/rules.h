/* rules.h — the pure rules of the yearly cycle: a metric's achievement rate, status (met / warning / missed) and trend
 * (DESIGN "Achievement table"), and a work item's overdue state and delay (DESIGN "Tracking table").
 * No I/O, no SQL, no global state; the metric, achievement, task and evaluation modules call these.
 *
 * Comparisons between measured numbers (actual against target or warning, actual against the previous period)
 * allow a relative tolerance of NL_RULES_EPSILON, so that an actual computed as 0.1 + 0.2 meets a target of 0.3:
 * a and b count as equal when |a − b| ≤ NL_RULES_EPSILON × max(1, |a|, |b|). */
#ifndef NL_RULES_H
#define NL_RULES_H

#include "core/date.h"
#include "core/err.h"

#define NL_RULES_EPSILON 1e-9
/* The reminder window for work items: due today or within the next 7 days. */
#define NL_WORK_DUE_SOON_DAYS 7

/* ---- Metrics ---- */

/* Which way a metric is good: "higher_better" (actual ≥ target is met) or "lower_better" (actual ≤ target). */
enum nl_direction {
	NL_DIRECTION_HIGHER_BETTER,
	NL_DIRECTION_LOWER_BETTER
};

/* A metric's goal as written in the measurement plan. */
struct nl_goal {
	enum nl_direction direction;
	double target;
	int has_warning;   /* 0: no warning threshold, hence no warning band (a value is met or missed) */
	double warning;    /* read only when has_warning */
};

enum nl_status {
	NL_STATUS_MET,
	NL_STATUS_WARNING,
	NL_STATUS_MISSED
};

/* The movement of the actual against the previous period's actual. */
enum nl_trend {
	NL_TREND_NONE,   /* no previous value */
	NL_TREND_UP,
	NL_TREND_DOWN,
	NL_TREND_FLAT
};

/* The same movement judged by the metric's direction. */
enum nl_change {
	NL_CHANGE_NONE,  /* no previous value */
	NL_CHANGE_BETTER,
	NL_CHANGE_WORSE,
	NL_CHANGE_SAME
};

/* Parses "higher_better" | "lower_better" (exact) into *out. Returns 0 or NL_EVALID. */
int rules_direction_parse(const char *s, enum nl_direction *out) __attribute__((warn_unused_result));
/* Returns "higher_better" or "lower_better" ("" for an unknown value). Static storage. */
const char *rules_direction_name(enum nl_direction d);

/* Checks a goal for the metric API: the target (and the warning, when present) must be finite numbers, and the
 * warning must lie on the worse side of the target or on it — higher_better: warning ≤ target; lower_better:
 * warning ≥ target. Returns 0, or NL_EVALID through nl_fail(e, …) with field "target" or "warning" and a sentence
 * saying why; e may be NULL. */
int rules_goal_check(const struct nl_goal *g, struct nl_error *e) __attribute__((warn_unused_result));

/* Computes the achievement rate of actual against target:
 *   higher_better: actual ÷ target, defined only when target > 0 (a target of 0 or less makes "how much of the target"
 *                  meaningless); the rate may be negative when actual is.
 *   lower_better:  target ÷ actual, defined only when actual > 0 and target ≥ 0. An actual of 0 against such a target
 *                  is fully achieved (the status says met) but the ratio is infinite, so it has no rate.
 * The rate is a fraction (1 = exactly on target, above 1 = better than the target), never capped, never a division
 * by zero. Sets *has_rate to 1 and *rate to the value, or *has_rate to 0 and *rate to 0 when undefined (the API then
 * shows `"rate": null`). Returns 0, or NL_EVALID when actual or target is not finite (outputs untouched). */
int rules_rate(enum nl_direction dir, double actual, double target, int *has_rate, double *rate)
	__attribute__((warn_unused_result));

/* Sets *out to the status of actual against the goal g:
 *   met      — higher_better: actual ≥ target; lower_better: actual ≤ target;
 *   warning  — not met, but a warning threshold exists and is reached (actual ≥ warning, resp. actual ≤ warning);
 *   missed   — otherwise.
 * Boundaries count as reached (with the NL_RULES_EPSILON tolerance). Returns 0, or NL_EVALID when actual is not finite
 * or g fails rules_goal_check. */
int rules_status(const struct nl_goal *g, double actual, enum nl_status *out) __attribute__((warn_unused_result));
/* Returns "met", "warning" or "missed" ("" for an unknown value). Static storage. */
const char *rules_status_name(enum nl_status s);
/* Parses "met" | "warning" | "missed" into *out. Returns 0 or NL_EVALID. */
int rules_status_parse(const char *s, enum nl_status *out) __attribute__((warn_unused_result));

/* Compares actual with the previous period's actual. Without a previous value (has_previous = 0): trend none, change
 * none. Otherwise up / down / flat (flat within NL_RULES_EPSILON), and better / worse / same by the direction
 * (up is better for higher_better, worse for lower_better). Returns 0, or NL_EVALID when actual (or a present previous)
 * is not finite or dir is unknown (outputs untouched). Either output pointer may be NULL. */
int rules_trend(enum nl_direction dir, double actual, int has_previous, double previous, enum nl_trend *trend,
	enum nl_change *change) __attribute__((warn_unused_result));
/* Returns "none", "up", "down" or "flat" ("" for an unknown value). Static storage. */
const char *rules_trend_name(enum nl_trend t);
/* Returns "none", "better", "worse" or "same" ("" for an unknown value). Static storage. */
const char *rules_change_name(enum nl_change c);

/* ---- Work items ---- */

/* A work item's reported status (CONTRACT: `POST /tasks/{id}/progress`). "delayed" is the owner's own report; it is
 * an open status like not_started and in_progress. */
enum nl_work_status {
	NL_WORK_NOT_STARTED,
	NL_WORK_IN_PROGRESS,
	NL_WORK_DONE,
	NL_WORK_DELAYED,
	NL_WORK_CANCELLED
};

/* How the evaluation counts a work item. */
enum nl_work_outcome {
	NL_WORK_OUTCOME_OPEN,          /* not done and not cancelled (whether overdue or not) */
	NL_WORK_OUTCOME_DONE_ON_TIME,
	NL_WORK_OUTCOME_DONE_LATE,
	NL_WORK_OUTCOME_CANCELLED
};

/* The dated judgement of a work item, as the tracking table shows it. */
struct nl_work_timing {
	int overdue;      /* 1: open and today is after the planned end */
	int late;         /* 1: done, with an actual end after the planned end */
	int delay_days;   /* days past the planned end (overdue: today − planned_end; late: actual_end − planned_end); else 0 */
	enum nl_work_outcome outcome;
};

/* Parses "not_started" | "in_progress" | "done" | "delayed" | "cancelled" into *out. Returns 0 or NL_EVALID. */
int rules_work_status_parse(const char *s, enum nl_work_status *out) __attribute__((warn_unused_result));
/* Returns the name rules_work_status_parse reads ("" for an unknown value). Static storage. */
const char *rules_work_status_name(enum nl_work_status s);
/* Returns 1 when the status is open (not_started, in_progress, delayed), 0 for done and cancelled. */
int rules_work_status_open(enum nl_work_status s);
/* Returns "open", "done_on_time", "done_late" or "cancelled" ("" for an unknown value). Static storage. */
const char *rules_work_outcome_name(enum nl_work_outcome o);

/* Judges a work item on `today` (the organisation's local date):
 *   done:      late when actual_end > planned_end, delay_days = actual_end − planned_end (finishing early or on the day
 *              is on time, delay 0). A done item without an actual end cannot be judged late and counts as on time
 *              with delay 0 — the task module records the actual end when an item is reported done. Never overdue.
 *   cancelled: never overdue or late, delay 0.
 *   open:      overdue when today > planned_end, delay_days = today − planned_end; due on the day itself is not
 *              overdue. actual_end is ignored.
 * actual_end is NULL when absent. Returns 0, or NL_EVALID (out untouched) when a date is not valid or the status is
 * unknown. */
int rules_work_timing(enum nl_work_status status, struct nl_date planned_end, const struct nl_date *actual_end,
	struct nl_date today, struct nl_work_timing *out) __attribute__((warn_unused_result));

/* Returns 1 when an open work item falls due within the reminder window: 0 ≤ planned_end − today ≤ window_days
 * (use NL_WORK_DUE_SOON_DAYS; due today counts, overdue items do not — they are reported as overdue). Returns 0 for
 * done or cancelled items, a negative window, and invalid dates. */
int rules_work_due_soon(enum nl_work_status status, struct nl_date planned_end, struct nl_date today, int window_days);

/* Writes a metric value for people to read: fractions whose unit is "ratio", "%" or "percent" as a percentage with
 * at most one decimal ("67.7%"; rates are fractions in the API and percentages in documents), other values with up to
 * four significant decimals followed by the unit ("19.2 min"). NaN/absent → "—". Never fails; truncates to n. */
void rules_value_text(double v, const char *unit, char *out, size_t n);

#endif
