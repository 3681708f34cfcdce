/* people_measure.h — the people measures (DESIGN.md "Measures"), computed from the staff, certification and training
 * records for a department (0: the whole organisation) and a period (cycle/period.h), for metrics whose source is
 * "measure:<key>" and for GET /people/measures.
 *
 * Employment: a staff member counts on day D when hired_on ≤ D and (left_on absent or left_on > D) — left_on is the
 * first day no longer employed. The period's "end" is its last day; its "opening" is the day before its first day.
 * Departments and posts are the staff member's current ones (no history is kept); a training's department is the
 * course's own (courses without one count for the whole organisation only).
 *
 *   headcount                      staff employed at the period end                                    (count)
 *   turnover_rate                  leavers (left_on within the period) ÷ ((opening headcount + closing headcount) ÷ 2)
 *   certification_rate             staff employed at the end holding a certification valid at the end
 *                                  (obtained_on ≤ end, expires_on absent or ≥ end) ÷ headcount
 *   key_post_backup_coverage       key-post staff employed at the end whose backup is employed at the end
 *                                  ÷ key-post staff employed at the end
 *   training_plan_completion_rate  courses of the period's year with a session held by the period end ÷ courses of the
 *                                  year planned on or before the period end or already held (cancelled courses stay
 *                                  in the denominator: the plan was not carried out)
 *   training_person_hours_completion_rate
 *                                  attended person-hours (Σ session hours per attendee) of those courses by the end ÷
 *                                  planned person-hours (Σ course hours × planned_attendees), over the courses that
 *                                  give planned_attendees
 *   training_hours_per_person      hours attended in the period (Σ session hours per attendance) ÷ headcount
 *   training_pass_rate             exams passed (score ≥ NL_PEOPLE_PASS_MARK) ÷ exams taken, sessions in the period
 *   training_feedback_avg          mean feedback score (1–5) of the attendances of sessions in the period
 * The training measures of a department count the attendances of its staff (the plan measures: its courses). */
#ifndef NL_PEOPLE_MEASURE_H
#define NL_PEOPLE_MEASURE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "cycle/measure.h"
#include "cycle/period.h"

/* The people measures' catalogue entries, in the order above (for measure.c's catalogue). Static storage. */
const struct nl_measure *people_measure_catalogue(size_t *count);
/* Returns 1 when key is a people measure. */
int people_measure_known(const char *key);

/* Computes measure `key` for department_id (0: all) over period p. Sets *has to 1 and *value when the records give a
 * value; *num and *den to the ratio's numerator and denominator (sum and count for an average; headcount: NAN).
 * *has is 0 (and the three NAN) when there is nothing to measure: no staff hired by the period end, a zero
 * denominator. Returns 0, or NL_EVALID for an unknown key or an invalid period, or a store error. Reads only. */
int people_measure(struct nl_ctx *ctx, const char *key, int64_t department_id, struct nl_period p, int *has, double *value,
	double *num, double *den) __attribute__((warn_unused_result));

/* All people measures for one period (and department, 0: all) as {"period","department_id","measures":{key:
 * {"value","numerator","denominator"}},"posts":[{"post","measures":{...}}]} — per post (the staff members' current post,
 * within the department) every measure but the two plan completions. */
int people_measures_report(struct nl_ctx *ctx, struct nl_period p, int64_t department_id, json_t **out)
	__attribute__((warn_unused_result));

#endif
