/* assessment.h — quarterly partner assessments (季度考核) and what they are judged by: the configurable set of weighted
 * dimensions (table partner_dimensions; weights sum to 100; a dimension's score is entered by hand, or taken from the
 * records when its source is "measure:<key>"), and the grade thresholds (settings row "partner_grade_thresholds",
 * default A ≥ 90, B ≥ 80, C ≥ 60, D below). An assessment stores the weights, sources and thresholds it was computed
 * with, so changing the dimensions or thresholds later never changes an assessment already recorded.
 * Rules (rounding, grades, the measure → score mapping) are in partner_rules.h. */
#ifndef NL_PARTNER_ASSESSMENT_H
#define NL_PARTNER_ASSESSMENT_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "partners/partner_rules.h"

/* The dimensions in their order: [{"key","name","name_en","weight","source","sort"}] (caller owns *items). */
int partner_dimensions_get(struct nl_ctx *ctx, json_t **items) __attribute__((warn_unused_result));
/* Replaces the whole set by items (checked by partner_dimensions_check with `prefix` for field names; source defaults
 * to "manual"), in one audited transaction. *out: the new set as partner_dimensions_get gives it. Assessments already
 * recorded are untouched. NL_EVALID / NL_EINVAL naming the field. */
int partner_dimensions_put(struct nl_ctx *ctx, const json_t *items, const char *prefix, json_t **out)
	__attribute__((warn_unused_result));

/* The grade thresholds in force (the defaults when none are stored). */
int partner_grades_get(struct nl_ctx *ctx, struct nl_partner_grades *g) __attribute__((warn_unused_result));
/* {"a","b","c","defaults":{...}} for the API. */
json_t *partner_grades_json(const struct nl_partner_grades *g);
/* Stores new thresholds (partner_grades_check first: NL_EVALID naming "a", "b" or "c"); audited. Grades already
 * recorded keep the letter they were given. *out: partner_grades_json of the new thresholds. */
int partner_grades_put(struct nl_ctx *ctx, const struct nl_partner_grades *g, json_t **out)
	__attribute__((warn_unused_result));

struct nl_assessment_input {
	const char *period;       /* "YYYY-Qn" */
	const json_t *scores;     /* {dimension_key: 0..100} */
	const char *comment;      /* may be NULL */
};

/* Records the assessment of partner_id for a quarter (partner.write). Every manual dimension needs a score; a
 * "measure:" dimension takes its score from the partner's records over the quarter (partner_measure.h) — a score
 * given for it then is refused — and when the records have no data for it, the caller must give a score (an override,
 * marked "origin":"override" with the note saying why), otherwise 422 naming "scores.<key>". The total is
 * Σ score × weight ÷ 100 rounded to one decimal, the grade by the thresholds in force.
 * Errors (nothing written): NL_ENOTFOUND partner; NL_EVALID "period" (not a quarter, or one that has not begun in the
 * organisation's time zone), "scores.<key>" (an unknown dimension, a score outside 0..100 or not a number, a manual
 * score missing, a measure score with no data and no override, or given while the records have one); NL_ESTATE for a
 * candidate (not yet under contract); NL_ECONFLICT "period" when that quarter is assessed already.
 * *out: the assessment (assessment_get's shape). */
int assessment_create(struct nl_ctx *ctx, int64_t partner_id, const struct nl_assessment_input *in, json_t **out)
	__attribute__((warn_unused_result));

/* One assessment: {"id","partner_id","partner_name","period","total","grade","scores":{key:score},
 * "weights":{key:weight},"dimensions":[{"key","name","weight","source","score","origin":"manual"|"records"|"override",
 * "measure":{"key","value","numerator","denominator"}|null,"note"}],"thresholds":{"a","b","c"},"comment",
 * "assessor_user_id","assessor_name","created_at"}. NL_ENOTFOUND. */
int assessment_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* The partner's assessments, newest period first, optionally of one year (0: all). NL_ENOTFOUND for the partner. */
int assessment_list(struct nl_ctx *ctx, int64_t partner_id, int year, json_t **items) __attribute__((warn_unused_result));

/* What an assessment of partner_id for `period` would take from the records now, without writing anything:
 * {"partner_id","period","assessed":bool,"records":{counts},"dimensions":[{"key","name","weight","source","score"
 * (null: to be entered),"measure":{...}|null,"note"}]}. NL_EVALID "period"; NL_ENOTFOUND. */
int assessment_draft(struct nl_ctx *ctx, int64_t partner_id, const char *period, json_t **out)
	__attribute__((warn_unused_result));

#endif
