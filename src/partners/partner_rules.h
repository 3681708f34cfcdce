/* partner_rules.h — the pure rules of partner (代理商) assessment: keys and statuses, the dimension set (weights
 * summing to 100), the weighted total and its rounding, the grade thresholds (A ≥ 90, B ≥ 80, C ≥ 60, D below by
 * default), the mapping of a record measure to a 0–100 score, and the annual rating from the four quarters (a missing
 * quarter is reported and never counted as 0). No I/O, no SQL, no global state: assessment.c and partner_rating.c call
 * these, and tests/unit/test_partners.c checks them at their boundaries.
 *
 * Rounding: a total (quarterly or annual) is rounded to one decimal, half away from zero; a value within 1e-7 of a half
 * counts as the half, so that float noise (79.95 computed as 79.94999999999999) rounds like the decimal it stands for.
 * The grade judges the rounded total — the number people see — so "80.0" is always a B, even when it came from 79.95. */
#ifndef NL_PARTNER_RULES_H
#define NL_PARTNER_RULES_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* The most dimensions a set may hold, and the longest key ([a-z_]{1,40}). */
#define NL_PARTNER_MAX_DIMENSIONS 30
#define NL_PARTNER_KEY_MAX 40
/* Weights must sum to 100 within this tolerance (33.3 + 33.3 + 33.4 is fine). */
#define NL_PARTNER_WEIGHT_EPSILON 1e-6

/* The grade thresholds: a total ≥ a is A, ≥ b is B, ≥ c is C, below c is D (boundaries inclusive). */
struct nl_partner_grades {
	double a, b, c;
};
/* 90 / 80 / 60, used until someone stores others (PUT /partner-grades). */
extern const struct nl_partner_grades nl_partner_grades_default;

/* Rounds x to one decimal, half away from zero (see the file comment). NaN stays NaN. */
double partner_round1(double x);

/* Returns "A", "B", "C" or "D" for the total rounded by partner_round1, by the thresholds g (NULL: the defaults).
 * Static storage. */
const char *partner_grade(const struct nl_partner_grades *g, double total);

/* Checks thresholds: finite, 0 < c < b < a ≤ 100. Returns 0, or NL_EVALID naming "a", "b" or "c" (e may be NULL). */
int partner_grades_check(const struct nl_partner_grades *g, struct nl_error *e) __attribute__((warn_unused_result));

/* Returns 1 when s is a dimension key: 1–40 characters of a–z and '_'. */
int partner_key_valid(const char *s);

/* Returns 1 when s is a partner status: candidate, active, suspended, terminated. */
int partner_status_valid(const char *s);
/* Returns 1 when a partner may go from status `from` to status `to`: candidate → active | terminated (selected or
 * not); active → suspended | terminated; suspended → active | terminated; terminated → active (re-engaged). Nothing
 * goes back to candidate. Staying in the same status is allowed (a PATCH that repeats it). */
int partner_status_transition_ok(const char *from, const char *to);

/* ---- dimensions that take their score from the records ---- */

/* The record measures a dimension may name as "measure:<key>", and the score each maps to (value → 0..100):
 *   complaint_rate       complaints ÷ linked tickets     → 100 − min(100, rate × 1000)   (1 % → 90, 5 % → 50, ≥ 10 % → 0)
 *   satisfaction_avg     mean rating 1–5                 → (avg − 1) × 25                 (5 → 100, 4 → 75, 1 → 0)
 *   satisfied_rate       ratings of 4–5 ÷ ratings        → rate × 100
 *   sla_response_rate    response SLA met ÷ measured     → rate × 100
 *   sla_resolution_rate  resolution SLA met ÷ measured   → rate × 100
 *   resolution_rate      resolved ÷ linked tickets       → rate × 100
 * Scores are clamped to 0..100 and rounded to one decimal. */
size_t partner_measure_count(void);
/* The i-th supported measure key, or NULL past the end. */
const char *partner_measure_at(size_t i);
/* Returns the measure key of a source "measure:<key>" when the key is supported, else NULL ("manual" → NULL). The
 * result points into source. */
const char *partner_source_measure(const char *source);
/* Returns 1 when source is "manual" or "measure:<supported key>". */
int partner_source_valid(const char *source);
/* Maps a measure's value to a score by the table above. Returns 0, or NL_EVALID for an unknown key or a value that
 * is not finite. */
int partner_measure_score(const char *key, double value, double *score) __attribute__((warn_unused_result));

/* ---- the dimension set ---- */

/* Checks a dimension set as PUT /partner-dimensions receives it: an array of 1..NL_PARTNER_MAX_DIMENSIONS objects
 * {"key","name","name_en"?,"weight","source"?}, nothing else in them; keys valid and unique, name 1–200 characters,
 * name_en at most 200, weight a number 0 < w ≤ 100, source "manual" (the default) or a supported "measure:<key>";
 * and the weights summing to 100. The field named in the error is prefix + "[i].key" etc. for one entry's fault and
 * "weight" for a sum other than 100 (prefix "" for a bare array, "items" for {"items":[...]}). Returns 0 or NL_EVALID
 * (NL_EINVAL when items is not an array). */
int partner_dimensions_check(const json_t *items, const char *prefix, struct nl_error *e)
	__attribute__((warn_unused_result));

/* The weighted total of n scores: Σ scores[i] × weights[i] ÷ 100, rounded by partner_round1. The weights must be
 * positive and sum to 100, the scores lie in 0..100. Returns 0 and *total, or NL_EVALID ("weight" or "scores"). */
int partner_weighted_total(const double *scores, const double *weights, size_t n, double *total, struct nl_error *e)
	__attribute__((warn_unused_result));

/* ---- the annual rating ---- */

/* The annual rating from the four quarters of a year. */
struct nl_partner_annual {
	int present;        /* quarters with an assessment (0..4) */
	int missing[4];     /* missing[i] = 1 when quarter i + 1 has none */
	int has_total;      /* 0 when no quarter is present: no total, no grade — never a 0 */
	double total;       /* the mean of the present quarters' totals, rounded by partner_round1 */
	char grade[2];      /* partner_grade of total, "" without a total */
};

/* Computes the annual rating: has[i] says whether quarter i + 1 was assessed, totals[i] its total (read only when
 * has[i]). The total is the mean of the present quarters only; a missing quarter is listed in missing[], never
 * counted as 0. g NULL: the default thresholds. */
void partner_annual(const int has[4], const double totals[4], const struct nl_partner_grades *g,
	struct nl_partner_annual *out);

#endif
