/* appraisal.h — periodic staff appraisals (考核) on configurable weighted criteria (attitude, quality, efficiency …):
 * each appraisal scores every criterion 0..100; its total is Σ score × weight ÷ 100 rounded half up to one decimal
 * (people_round1) and its grade that of the rounded total (A ≥ 90, B ≥ 80, C ≥ 60, D below; people_rules.h). The
 * weights in force are stored with each appraisal, so later changes of the criteria never change an old total.
 *
 * Reading is scoped (policy "appraisal.read"): admin, hr, approver and auditor read every department's appraisals;
 * planner, quality and member only those of staff in their own department (NL_EFORBIDDEN otherwise). Objects come
 * back as JSON (caller owns). */
#ifndef NL_PEOPLE_APPRAISAL_H
#define NL_PEOPLE_APPRAISAL_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

/* The criteria in force, by sort order: [{"key","name","name_en","weight","sort"}]. */
int appraisal_criteria_list(struct nl_ctx *ctx, json_t **items) __attribute__((warn_unused_result));
/* Replaces the criteria by `criteria` (an array checked by people_criteria_check, field names prefixed by `prefix`);
 * sort defaults to the position. Returns the new list. Existing appraisals keep their stored weights. */
int appraisal_criteria_put(struct nl_ctx *ctx, const json_t *criteria, const char *prefix, json_t **items)
	__attribute__((warn_unused_result));

/* Records an appraisal of staff_id for `period` ("2027", "2027-Q1", "2027-03"; period.h). scores: an object giving
 * every criterion in force a number 0..100 (422 "scores.<key>" for a missing, unknown or out-of-range one). 422
 * staff_id for unknown staff; 422 period for a malformed period or one outside the staff member's employment; 409
 * period when the staff member already has an appraisal for that period. comment may be NULL.
 * Appraisal objects: {"id","staff_id","staff_name","department_id","department","period","scores","weights","total",
 * "grade","comment","appraiser_user_id","appraiser","created_at","updated_at"}. */
int appraisal_create(struct nl_ctx *ctx, int64_t staff_id, const char *period, const json_t *scores, const char *comment,
	json_t **out) __attribute__((warn_unused_result));
/* Re-scores (scores: NULL keeps them) or re-comments (comment: NULL keeps it) an appraisal, with the weights stored on
 * it. 403 outside the actor's scope is not checked here: only hr writes. */
int appraisal_update(struct nl_ctx *ctx, int64_t id, const json_t *scores, const char *comment, json_t **out)
	__attribute__((warn_unused_result));
/* Deletes an appraisal recorded by mistake; returns it as it was. */
int appraisal_delete(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* One appraisal; 403 when ctx->actor may not read its department's appraisals. */
int appraisal_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

struct nl_appraisal_filter {
	int64_t staff_id, department_id;  /* 0: all (within the actor's scope) */
	const char *period;               /* exact period, NULL: all */
	int64_t year;                     /* periods of that year, 0: all */
	const char *grade;                /* "A".."D", NULL: all */
	int64_t limit, cursor;
};
/* Appraisals in id order. For an actor limited to their own department: department_id or staff_id of another
 * department → 403; without them the list holds their own department's only. */
int appraisal_list(struct nl_ctx *ctx, const struct nl_appraisal_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));
/* A staff member's appraisals, newest period first (no scope check: the caller decides). */
int appraisal_list_of_staff(struct nl_ctx *ctx, int64_t staff_id, json_t **items) __attribute__((warn_unused_result));

#endif
