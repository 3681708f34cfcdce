/* rating.h — satisfaction ratings (满意度): one 1–5 score with a comment per ticket, given once, never by the ticket's
 * own assignee, and only for a resolved or closed ticket. A survey response (survey.h) records its weighted score,
 * rounded, as the ticket's rating too, so that the measures satisfaction_avg and satisfied_rate (which read
 * ticket_ratings only) count every ticket once, whichever way its customer answered.
 * Every write marks the rated ticket's (department, opened_day) dirty for the measures engine (kpi/kpi.h). */
#ifndef NL_RATING_H
#define NL_RATING_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/date.h"

/* Rates ticket_id with score (1..5) and comment (may be NULL) as ctx->actor, in one transaction with its audit row.
 * *out gets the rating (rating_get's shape; the caller owns it). Errors: NL_ENOTFOUND no such ticket; NL_EFORBIDDEN
 * the actor is the ticket's assignee; NL_ESTATE the ticket is neither resolved nor closed; NL_ECONFLICT the ticket
 * has a rating already (given directly or through a survey); NL_EVALID a score outside 1..5. Nothing is written on
 * any error. */
int rating_write(struct nl_ctx *ctx, int64_t ticket_id, int score, const char *comment, json_t **out)
	__attribute__((warn_unused_result));

/* The rating of ticket_id into *out: {"ticket_id","score","comment","rated_by","rater","survey_id","source":"direct"|"survey",
 * "rated_at","rated_day"} (the caller owns it), or *out = NULL when the ticket has none (or does not exist). Returns 0 or
 * a store error. For the tickets room, which embeds it in its ticket objects. */
int rating_get(struct nl_ctx *ctx, int64_t ticket_id, json_t **out) __attribute__((warn_unused_result));

/* Records a rating from a survey response, inside the caller's transaction: when the ticket has no rating yet it inserts
 * one (rated_by NULL, survey_id set), marks the ticket's (department, opened_day) dirty and sets *recorded = 1; when it
 * has one already it changes nothing and sets *recorded = 0 (the survey keeps its own scores). Returns 0 or a store error. */
int rating_record_survey(struct nl_ctx *ctx, int64_t ticket_id, int score, const char *comment, int64_t survey_id,
	int *recorded) __attribute__((warn_unused_result));

/* The organisation's local date (settings "timezone", UTC when the zone is unknown) of Unix time t into out. */
int rating_local_day(struct nl_ctx *ctx, int64_t t, char out[NL_DATE_STRLEN]) __attribute__((warn_unused_result));

#endif
