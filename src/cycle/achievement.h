/* achievement.h — the achievement table (运维服务管理目标度量达成表): one value per metric and period of its frequency,
 * with actual (or numerator ÷ denominator), the target and warning copied from the metric when the value is written,
 * rate and status (rules.h), trend against the previous period, deviation analysis, corrective action, evidence,
 * recorder and reviewer; closing a period freezes it; computing fills `measure:` metrics from the measures (measure.h).
 *
 * Closing is per period string: closing "2027-Q1" freezes the quarterly values of 2027-Q1 and nothing else — not the
 * months 2027-01..03, not the year 2027 (each frequency is closed on its own schedule); closing "2027" freezes only the
 * yearly values of 2027. A closed period is never reopened, never written, never recomputed.
 *
 * The first half of this header is pure (no I/O; tested in tests/unit/test_achievement.c), the second half works on the
 * database. */
#ifndef NL_ACHIEVEMENT_H
#define NL_ACHIEVEMENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/date.h"
#include "core/err.h"
#include "cycle/period.h"
#include "cycle/rules.h"

/* ---- Pure rules ---- */

/* Parses the period s and checks that it is a period of frequency `freq` in year `year` (a monthly metric of 2027 takes
 * "2027-03", not "2027-Q1" nor "2026-03"). Returns 0 with *out set, or NL_EVALID through nl_fail(e, …, "period", …)
 * with a sentence naming the expected form; e may be NULL. */
int achievement_period_check(const char *s, int year, enum nl_period_kind freq, struct nl_period *out,
	struct nl_error *e) __attribute__((warn_unused_result));

/* Fills out[0..*count) with the periods of `year` at frequency `freq` that have begun on `today` (their first day is
 * today or earlier): all of them for a past year, none for a future one. Returns 0, or NL_EVALID (*count = 0) for a year
 * out of range, an unknown frequency or an invalid today. */
int achievement_periods_begun(int year, enum nl_period_kind freq, struct nl_date today,
	struct nl_period out[NL_PERIOD_MAX_PER_YEAR], size_t *count) __attribute__((warn_unused_result));

/* The numbers a client sends for a value: actual directly, or numerator and denominator (actual = numerator ÷
 * denominator), or all three when they agree. */
struct nl_value_numbers {
	int has_actual, has_numerator, has_denominator;
	double actual, numerator, denominator;
};

/* Returns 1 when in carries any number (a value to record), 0 when it carries none. */
int achievement_numbers_given(const struct nl_value_numbers *in);
/* Derives the actual from in: the given actual, or numerator ÷ denominator. Refuses (NL_EVALID naming the field, through
 * e, which may be NULL): no number at all ("actual"), a numerator without a denominator or the reverse, a denominator
 * of 0 ("denominator"), a non-finite number, an actual that differs from numerator ÷ denominator ("actual", within
 * NL_RULES_EPSILON). */
int achievement_actual(const struct nl_value_numbers *in, double *actual, struct nl_error *e)
	__attribute__((warn_unused_result));

/* The judgement of an actual against a goal: rate (rules_rate; has_rate 0 when undefined) and status (rules_status). */
struct nl_judgement {
	int has_rate;
	double rate;
	enum nl_status status;
};
/* Returns 0 with *out filled, or NL_EVALID when actual is not finite or g is not a valid goal. */
int achievement_judge(const struct nl_goal *g, double actual, struct nl_judgement *out) __attribute__((warn_unused_result));

/* One cell of a metric's row in the table: whether the period has an actual, and which. */
struct nl_cell {
	int has_actual;
	double actual;
};
/* Sets trend[i] and change[i] for each of the n cells of a metric's row for one year, in period order: each cell
 * against the one before it; the first cell against *before_first — the previous year's last period of the same metric
 * code and frequency (NULL or without an actual: none). A cell without an actual, or whose previous cell has none, gets
 * none/none (rules_trend). Returns 0, or NL_EVALID for an unknown direction or a non-finite actual. */
int achievement_row_trends(enum nl_direction dir, const struct nl_cell *before_first, const struct nl_cell *cells, size_t n,
	enum nl_trend *trend, enum nl_change *change) __attribute__((warn_unused_result));

/* Returns 1 when s is NULL, empty or only white space (ASCII and the ideographic space U+3000), else 0. */
int achievement_text_blank(const char *s);

/* One recorded value of the period being closed. */
struct nl_close_value {
	const char *code;                 /* the metric code */
	int has_status;
	enum nl_status status;
	const char *deviation_analysis;
	const char *corrective_action;
};
/* The rule for closing a period: every value whose status is missed must have a deviation analysis and a corrective
 * action (neither blank). Returns the number of values that block the close, and writes their codes, comma-separated
 * in the given order, into codes (truncated with "…" when it does not fit; codes may be NULL when codes_len is 0). */
size_t achievement_close_blockers(const struct nl_close_value *v, size_t n, char *codes, size_t codes_len);

/* ---- The database ---- */

/* The value fields of PUT /metrics/{id}/values/{period}. Text NULL: keep the stored text (empty for a new value). */
struct nl_value_input {
	struct nl_value_numbers num;      /* none given: keep the stored numbers (a new value needs them) */
	const char *note, *deviation_analysis, *corrective_action, *evidence;
};

/* Records the value of metric_id for the period (the API's PUT): creates it or changes it. Numbers given: the actual
 * is derived (achievement_actual), the metric's current target and warning are copied, rate and status computed,
 * origin becomes manual. No numbers: the stored numbers, target and status stay, only the given texts change.
 * Errors: NL_ENOTFOUND (metric), NL_EFORBIDDEN (policy_scope_allows "metric.value.write" on the metric's owner
 * department), NL_EVALID ("period" not of the metric's frequency and year; number errors), NL_ESTATE (the period is
 * closed). *created = 1 when the value is new. *out: the value (see achievement_value_get). */
int achievement_value_put(struct nl_ctx *ctx, int64_t metric_id, const char *period, const struct nl_value_input *in,
	int *created, json_t **out) __attribute__((warn_unused_result));
/* The stored value of metric_id for the period: {"id","metric_id","code","period","numerator","denominator","actual",
 * "target","warning","rate","status","origin","note","deviation_analysis","corrective_action","evidence",
 * "recorded_by","recorded_by_name","recorded_at","reviewed_by","reviewed_by_name","reviewed_at","closed"}.
 * NL_ENOTFOUND when the metric or the value does not exist, NL_EVALID for a period not of the metric. */
int achievement_value_get(struct nl_ctx *ctx, int64_t metric_id, const char *period, json_t **out)
	__attribute__((warn_unused_result));
/* Every stored value of a metric in period order (also values of a former frequency); NL_ENOTFOUND. */
int achievement_values_list(struct nl_ctx *ctx, int64_t metric_id, json_t **items) __attribute__((warn_unused_result));

/* The achievement table of a year: one item {"metric": METRIC, "values": [...]} per metric (metric_list_table order,
 * element and department_id filter as there), one value per period of the metric's frequency with null actual and
 * status where nothing is recorded, trend and change against the previous period (across the year boundary by code). */
int achievement_table(struct nl_ctx *ctx, int year, const char *element, int64_t department_id, json_t **items)
	__attribute__((warn_unused_result));

/* Closes the period (POST /achievement/close): NL_EVALID "period" when malformed, not begun yet (today in the
 * organisation's time zone), or while achievement_close_blockers finds values (the message names their codes);
 * NL_ESTATE when already closed. Stamps the reviewer (the closing user) on the period's values not yet reviewed.
 * *out: {"period","closed_by","closed_by_name","closed_at","values"}. */
int achievement_close(struct nl_ctx *ctx, const char *period, json_t **out) __attribute__((warn_unused_result));
/* The closed periods, in period order; year 0: all, else those of that year. */
int achievement_closed_list(struct nl_ctx *ctx, int year, json_t **items) __attribute__((warn_unused_result));
/* Returns 0 with *closed = 1 when the period string is closed. */
int achievement_period_closed(struct nl_ctx *ctx, const char *period, int *closed) __attribute__((warn_unused_result));

/* Fills the values of every `measure:` metric of `year` for the periods begun by today from measure_value() (the whole
 * organisation), in one transaction with one audit row. Periods without data are listed in "no_data" and not written;
 * closed periods are listed in "skipped_closed" and not touched; manual metrics are untouched. A computed value keeps
 * its texts (analysis, action, evidence, note). *out: {"year","computed","no_data":[{"metric_id","code","period"}],
 * "skipped_closed":[...]}. */
int achievement_compute(struct nl_ctx *ctx, int year, json_t **out) __attribute__((warn_unused_result));

#endif
