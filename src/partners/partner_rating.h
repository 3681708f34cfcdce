/* partner_rating.h — a partner's annual rating (年度评级) from the four quarterly assessments of a year, approved through
 * the one approval mechanism (approval/approval.h: entity "partner_rating", one step, role approver, never decided by
 * the requester), and the ranking of partners for a year.
 *
 * The annual total is the mean of the quarters that were assessed; a missing quarter is listed in missing_quarters and
 * never counted as 0 (partner_rules.h partner_annual). A rating may be requested with quarters missing — they are shown
 * with the rating and in its approval summary, so the approver decides knowing it — but not with none at all. The
 * quarters and total are frozen when the rating is requested: later assessments do not change a pending or decided
 * rating. A rejected rating may be requested again (version + 1, a new approval); an approved one is final. */
#ifndef NL_PARTNER_RATING_H
#define NL_PARTNER_RATING_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

/* Requests the rating of partner_id for `year` as ctx->actor (partner.rate). Errors (nothing written):
 * NL_ENOTFOUND partner; NL_EVALID "year" for a year after the organisation's current year or one with no quarterly
 * assessment at all; NL_ESTATE when the year's rating is pending or approved already. *out: partner_rating_get's shape. */
int partner_rating_request(struct nl_ctx *ctx, int64_t partner_id, int year, json_t **out)
	__attribute__((warn_unused_result));
/* Decides the pending rating: approve (comment optional) or reject (comment required) through approval_decide.
 * Errors (nothing written): NL_ENOTFOUND (no such partner or rating); NL_ESTATE not pending; NL_EFORBIDDEN not an
 * approver, or the user who requested it; NL_EVALID "comment" for a rejection without one. */
int partner_rating_decide(struct nl_ctx *ctx, int64_t partner_id, int year, int approve, const char *comment,
	json_t **out) __attribute__((warn_unused_result));
/* One rating: {"id","partner_id","partner_name","year","status":"pending"|"approved"|"rejected","version","total",
 * "grade","quarters":[{"period","total","grade","assessment_id"}],"quarters_assessed","missing_quarters":[...],
 * "missing_note" (a sentence, null when all four are there),"basis","requested_by","requested_by_name","requested_at",
 * "decided_at","approval":{...approval_get}}. NL_ENOTFOUND. */
int partner_rating_get(struct nl_ctx *ctx, int64_t partner_id, int year, json_t **out) __attribute__((warn_unused_result));
/* Every rating of the partner, newest year first (without the approval). NL_ENOTFOUND for the partner. */
int partner_rating_list(struct nl_ctx *ctx, int64_t partner_id, json_t **items) __attribute__((warn_unused_result));

/* The ranking of `year`: every partner that is not a candidate, by its approved annual rating (basis
 * "annual_rating"), or — when the year has no approved rating yet — by the mean of the year's quarterly totals
 * (basis "quarters_mean", with the quarters missing listed); highest first, equal scores share a rank (1, 2, 2, 4);
 * partners with no assessment in the year come last with rank and score null. *out: {"year","items":[{"rank",
 * "partner_id","name","region","status","score","grade","basis","rating_status","quarters_assessed",
 * "missing_quarters"}],"next_cursor":null}. */
int partner_ranking(struct nl_ctx *ctx, int year, json_t **out) __attribute__((warn_unused_result));

#endif
