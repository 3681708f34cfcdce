/* people_rules.h — the pure rules of the people room: an appraisal's weighted total and grade, the check of the
 * configurable appraisal criteria (weights summing to 100), the training pass mark, and the ratio formulas of the
 * people measures (turnover, coverage and the other rates). No I/O, no SQL, no global state. */
#ifndef NL_PEOPLE_RULES_H
#define NL_PEOPLE_RULES_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* Grades of an appraisal by its total (0..100), boundaries inclusive: A ≥ 90, B ≥ 80, C ≥ 60, D below 60.
 * The same bands as the partners' assessments (CONTRACT.md). */
#define NL_PEOPLE_GRADE_A 90.0
#define NL_PEOPLE_GRADE_B 80.0
#define NL_PEOPLE_GRADE_C 60.0

/* An exam score at or above this passes (exam scores are 0..100). */
#define NL_PEOPLE_PASS_MARK 60.0

/* Feedback scores given by attendees of a training session: 1 (poor) … 5 (excellent), decimals allowed. */
#define NL_PEOPLE_FEEDBACK_MIN 1
#define NL_PEOPLE_FEEDBACK_MAX 5

/* Certifications expiring within this many days (today included) are reminded of. */
#define NL_PEOPLE_CERT_REMIND_DAYS 60

/* The most appraisal criteria one configuration may hold, and the weights' required sum. */
#define NL_PEOPLE_MAX_CRITERIA 20
#define NL_PEOPLE_WEIGHT_SUM 100.0

/* Rounds v to one decimal, halves away from zero (89.95 → 90.0, 59.94 → 59.9). A tolerance of 1e-9 absorbs the
 * binary representation of decimal halves (89.95 is stored as 89.9499999…). */
double people_round1(double v);

/* Computes an appraisal's total: Σ scores[i] × weights[i] ÷ 100 over i < n, rounded by people_round1. With weights
 * summing to 100 and scores in 0..100 the total lies in 0..100. Returns 0 and *total, or NL_EVALID when n is 0 or a
 * score or weight is not finite. */
int people_weighted_total(const double *scores, const double *weights, size_t n, double *total)
	__attribute__((warn_unused_result));

/* Returns the grade of a total: "A" (≥ 90), "B" (≥ 80), "C" (≥ 60) or "D" (below 60, and anything not finite).
 * The appraisal module grades the rounded total — the total it shows — so that the grade always agrees with the
 * number on the record (an exact sum of 59.99 is shown as 60.0 and graded C). Static storage. */
const char *people_grade(double total);

/* Checks a criteria configuration: a JSON array of 1 to NL_PEOPLE_MAX_CRITERIA objects
 * {"key" (1–32 of a to z, 0 to 9, underscore; unique), "name" (1–100 characters), "name_en" (optional, ≤ 200), "weight" (a number,
 * 0 < weight ≤ 100)} whose weights sum to 100 (within 1e-6). A member's error names it as prefix + "[i]." + member
 * ("[1].weight" for prefix "", "items[1].weight" for prefix "items"); unknown members are refused the same way; a
 * wrong sum names "weight". Returns 0 or NL_EVALID through nl_fail(e, …). */
int people_criteria_check(const json_t *criteria, const char *prefix, struct nl_error *e) __attribute__((warn_unused_result));

/* A ratio num ÷ den: sets *has to 1 and *value when den > 0, else *has 0 and *value 0 (never a division by zero). */
void people_ratio(double num, double den, int *has, double *value);

/* Turnover of a period: leavers ÷ the average of the opening and the closing headcount,
 * (opening + closing) ÷ 2. Sets *avg to that average and *has and *rate as people_ratio does (no rate when the average
 * is 0: nobody was employed). Counts must not be negative (treated as 0). */
void people_turnover(double leavers, double opening, double closing, int *has, double *rate, double *avg);

#endif
