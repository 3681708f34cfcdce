/* survey.h — satisfaction survey campaigns (客户满意度调查): weighted questions, a reproducible sample of the period's
 * closed tickets, single-use response links that need no login, response rate and a satisfaction index.
 *
 * Lifecycle: draft (created) → open (tickets sampled, invitations with their tokens made; the links are shown once)
 * → closed (no more responses). The sample: tickets with status "closed" whose opened_day lies in the survey's period
 * (and department, when the survey has one), that have no rating and were never invited by a survey, ordered by
 * survey_sample_key(seed, ticket id) — the seed is stored with the survey — and the first sample_size taken.
 * A token is 43 URL-safe characters (256 random bits); only its SHA-256 is stored.
 *
 * Scores: a response answers every question 1..5; its weighted score is Σ answer × weight ÷ 100 (weights sum to
 * 100), 1..5. The survey's satisfaction index is the mean weighted score of its responses (also on 0–100:
 * (index − 1) × 25), the response rate responded ÷ invited. A response also becomes the ticket's rating
 * (rating.h) with its weighted score rounded half up, unless the ticket was rated meanwhile: each ticket has one
 * rating, so the measures satisfaction_avg / satisfied_rate are the mean of exactly one score per rated ticket. */
#ifndef NL_SURVEY_H
#define NL_SURVEY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

#define NL_SURVEY_MAX_QUESTIONS 20
#define NL_SURVEY_MAX_SAMPLE 5000
#define NL_SURVEY_TOKEN_LEN 43

/* --- pure rules (unit-tested) ------------------------------------------------------------------------------------- */

/* Checks a questions array: 1..NL_SURVEY_MAX_QUESTIONS objects, each exactly {"key","text","weight"}: key 1..32 of
 * [a-z0-9_], unique; text 1..500 characters; weight a whole number 1..100; the weights sum to 100. Returns 0 or
 * NL_EVALID with err naming "questions", "questions[i]", "questions[i].key", ".text", ".weight" or an unknown member. */
int survey_questions_check(const json_t *questions, struct nl_error *err) __attribute__((warn_unused_result));

/* Sets *total to Σ answer × weight over the (checked) questions, i.e. 100 × the weighted score (100..500). answers
 * must be an object with a whole number 1..5 for every question key and nothing else. Returns 0 or NL_EVALID naming
 * "answers" or "answers.<key>". */
int survey_answers_total(const json_t *questions, const json_t *answers, int64_t *total, struct nl_error *err)
	__attribute__((warn_unused_result));

/* The ticket rating (1..5) of a response with this total: total ÷ 100 rounded half up (3.5 → 4). */
int survey_total_rating(int64_t total);

/* The sampling key of a ticket: mix(seed XOR mix(ticket_id)) with mix = the SplitMix64 finaliser
 * (z += 0x9e3779b97f4a7c15; z = (z ^ z>>30) * 0xbf58476d1ce4e5b9; z = (z ^ z>>27) * 0x94d049bb133111eb; z ^ z>>31). */
uint64_t survey_sample_key(uint64_t seed, int64_t ticket_id);

/* Orders ids[0..n) by (survey_sample_key(seed, id), id) ascending, in place, and sets *kept = min(n, k): the sample is
 * ids[0..*kept). The same seed and set give the same sample whatever order the ids came in. */
void survey_sample(uint64_t seed, int64_t *ids, size_t n, size_t k, size_t *kept);

/* Parses a 16-hex-digit seed. Returns 0 or NL_EVALID. */
int survey_seed_parse(const char *s, uint64_t *out) __attribute__((warn_unused_result));

/* --- campaigns (store) ---------------------------------------------------------------------------------------------- */

struct nl_survey_input {
	const char *name;
	const char *period;            /* "2027", "2027-Q1", "2027-03" */
	int64_t department_id;         /* 0: tickets of every department */
	const json_t *questions;
	int64_t sample_size;           /* 1..NL_SURVEY_MAX_SAMPLE */
};

/* Creates a draft survey with a random seed. *out: the survey (survey_get's shape). NL_EVALID naming the field. */
int survey_create(struct nl_ctx *ctx, const struct nl_survey_input *in, json_t **out) __attribute__((warn_unused_result));

/* One survey with its figures: "invited","responded","response_rate","satisfaction_index" (1–5),
 * "satisfaction_index_100", "question_averages":[{"key","text","weight","average"}], "ratings_recorded"; with
 * details = 1 also "invitations":[{"id","ticket_id","ticket_external_id","ticket_title","responded_at","score","answers",
 * "comment"}] (never tokens). Fractions and means are rounded to 4 decimals; null without a denominator. NL_ENOTFOUND. */
int survey_get(struct nl_ctx *ctx, int64_t id, int details, json_t **out) __attribute__((warn_unused_result));

struct nl_survey_filter {
	const char *status;     /* NULL: all; draft | open | closed (NL_EINVAL naming "status" otherwise) */
	const char *period;     /* NULL: all; exact period text */
	int64_t limit, cursor;
};
int survey_list(struct nl_ctx *ctx, const struct nl_survey_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

/* draft → open: samples the tickets and makes one invitation per sampled ticket. *out: the survey plus "links":
 * [{"invitation_id","ticket_id","token","url":"/survey/<token>"}] — the only time the tokens are shown.
 * NL_ESTATE unless draft; NL_EVALID naming "period" when no ticket can be sampled. */
int survey_open(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* open → closed. NL_ESTATE unless open. */
int survey_close(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

/* The public response form of a token (no personal data): {"survey":{"name","period","status"},"questions":[{"key","text"}],
 * "ticket":{"title","opened_day"},"responded","responded_at","accepting_responses"}. NL_ENOTFOUND for an unknown token. */
int survey_response_form(struct nl_ctx *ctx, const char *token, json_t **out) __attribute__((warn_unused_result));

/* Records the response of a token (once): answers every question 1..5, comment optional. Also records the ticket's
 * rating (see above). *out: {"responded_at","answers","comment","score","rating_recorded"}. NL_ENOTFOUND unknown token;
 * NL_ESTATE the survey is not open; NL_ECONFLICT answered already; NL_EVALID naming answers.<key>. */
int survey_response_submit(struct nl_ctx *ctx, const char *token, const json_t *answers, const char *comment, json_t **out)
	__attribute__((warn_unused_result));

#endif
