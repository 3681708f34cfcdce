/* evaluation.h — the annual evaluation report (年度服务能力执行效果评估报告, policy 4.6): generated from the year's
 * data (metric achievement by element, work-item completion by department, open corrective actions, a drafted list
 * of problems and improvement suggestions, a conclusion), edited by quality, then finalized: the whole document is
 * frozen as a JSON snapshot and later reads return it unchanged. The next year's plan reads the finalized row
 * (evaluations.status = 'finalized'; problems and suggestions: JSON arrays as text; conclusion).
 *
 * A metric's standing for the year (its row and the counts) is the value of the year period itself ("2027") when it
 * has one with a status; otherwise the latest period of the year (by first day) whose value has a status; a metric
 * with neither counts as no_data. A work item is judged by rules_work_timing on today's local date. */
#ifndef NL_CYCLE_EVALUATION_H
#define NL_CYCLE_EVALUATION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

/* The report: finalized → its snapshot; otherwise the draft generated now, with quality's edits applied
 * (edited problems/suggestions replace the generated ones, which stay available as generated_problems /
 * generated_suggestions; an empty conclusion, purpose or method means the generated text). NL_ENOTFOUND for a year
 * outside 1900..9999. *out is owned by the caller. */
int evaluation_get(struct nl_ctx *ctx, int64_t year, json_t **out) __attribute__((warn_unused_result));

/* Quality's edit (PATCH /evaluations/{year}); a NULL field is unchanged. problems and suggestions are JSON arrays
 * checked by evaluation_problems_check / evaluation_suggestions_check (their owner ids must exist: NL_EVALID naming
 * "suggestions[i].owner_user_id"). NL_ESTATE when the evaluation is finalized. *out is the document as it now is. */
struct nl_evaluation_edit {
	const json_t *problems;
	const json_t *suggestions;
	const char *conclusion;
	const char *purpose;
	const char *method;
};
int evaluation_update(struct nl_ctx *ctx, int64_t year, const struct nl_evaluation_edit *edit, json_t **out)
	__attribute__((warn_unused_result));

/* Freezes the report of `year`: the document as generated and edited now is stored as the snapshot, with the
 * effective problems, suggestions and conclusion in their columns, status finalized. NL_ESTATE when finalized
 * already; NL_EVALID (field "year") for a year after the current one. *out is the frozen document. */
int evaluation_finalize(struct nl_ctx *ctx, int64_t year, json_t **out) __attribute__((warn_unused_result));

/* ---- Pure parts (exposed for the unit tests) ---- */

/* One achievement value of a metric, as evaluation_pick_value sees it. */
struct nl_eval_value {
	const char *period;   /* "2027", "2027-Q3", "2027-09" */
	int has_status;       /* 1: the value has a status (an actual was recorded) */
};

/* Returns the index in v[0..n) of the value that stands for the metric's year `year` (see the file comment), or -1
 * when none qualifies. Values with periods outside the year or unparsable are ignored. */
long evaluation_pick_value(const struct nl_eval_value *v, size_t n, int year);

/* Validates an edited problems array — each entry {"text" (1–2000 chars), "text_en"?, "element"?: people|process|
 * technology|resources|null, "source"?: {"kind": metric|metric_value|task|check|other, "metric_id"?, "task_id"?,
 * "check_id"?, "code"?, "period"?}|null}, at most 200 — and sets *out to a normalized copy (every key present).
 * Returns 0 or NL_EVALID with e->field like "problems[2].text". */
int evaluation_problems_check(const json_t *arr, json_t **out, struct nl_error *e) __attribute__((warn_unused_result));

/* Validates an edited suggestions array — each entry {"text" (1–2000), "text_en"?, "owner_department_id"?,
 * "owner_user_id"?, "due_date"?: a calendar date|null, "priority"?: high|medium|low (default medium), "source"?},
 * at most 200 — and sets *out to a normalized copy. Returns 0 or NL_EVALID naming "suggestions[i].<field>". */
int evaluation_suggestions_check(const json_t *arr, json_t **out, struct nl_error *e) __attribute__((warn_unused_result));

#endif
