/* survey_api.c — HTTP handlers of ticket ratings, survey campaigns and the public response links: parse and validate
 * → rating.c / survey.c → reply. No SQL here. The two public routes are throttled per client address (in the
 * database, shared by every server): at most SURVEY_PUBLIC_LIMIT requests per SURVEY_PUBLIC_WINDOW seconds, then 429 with Retry-After. */
#include "records/survey_api.h"

#include "auth/session.h"
#include "http/http.h"
#include "records/rating.h"
#include "records/survey.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

#define SURVEY_PUBLIC_LIMIT 120
#define SURVEY_PUBLIC_WINDOW 60

/* --- ratings --------------------------------------------------------------------------------------------------------- */

struct rating_body {
	int64_t score;
	const char *comment;
};

static const struct nl_jfield rating_fields[] = {
	NL_JF("score", NL_J_INT, 1, 1, 5, struct rating_body, score),
	NL_JF("comment", NL_J_TEXT, 0, 0, 2000, struct rating_body, comment),
};

int api_ticket_rating_create(struct nl_req *r)
{
	struct rating_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, rating_fields, NL_ARRAY_LEN(rating_fields), &b, NULL)))
		return rc;
	if ((rc = rating_write(&r->ctx, id, (int)b.score, b.comment, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_ticket_rating_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = rating_get(&r->ctx, id, &out)))
		return rc;
	if (!out)
		return nl_fail(&r->err, NL_ENOTFOUND, NULL, "Ticket %lld has no rating (or does not exist).", (long long)id);
	return reply_json(r, 200, out);
}

/* --- survey campaigns ------------------------------------------------------------------------------------------------ */

struct survey_body {
	const char *name, *period;
	int64_t department_id, sample_size;
	json_t *questions;
};

static const struct nl_jfield survey_create_fields[] = {
	NL_JF("name", NL_J_STRING, 1, 1, 200, struct survey_body, name),
	NL_JF("period", NL_J_STRING, 1, 1, 16, struct survey_body, period),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, struct survey_body, department_id),
	{ "questions", NL_J_ANY, 1, 0, 0, 0, NULL, offsetof(struct survey_body, questions) },
	NL_JF("sample_size", NL_J_INT, 1, 1, NL_SURVEY_MAX_SAMPLE, struct survey_body, sample_size),
};

int api_surveys_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_survey_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc)
		return rc;
	const char *s = req_query(r, "status");
	f.status = s && *s ? s : NULL;
	s = req_query(r, "period");
	f.period = s && *s ? s : NULL;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = survey_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_surveys_create(struct nl_req *r)
{
	struct survey_body b = { 0 };
	json_t *out;
	int rc = req_body(r, survey_create_fields, NL_ARRAY_LEN(survey_create_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_survey_input in = { .name = b.name, .period = b.period, .department_id = b.department_id,
		.questions = b.questions, .sample_size = b.sample_size };
	if ((rc = survey_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_surveys_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = survey_get(&r->ctx, id, 1, &out)))
		return rc;
	return reply_json(r, 200, out);
}

/* open and close take an empty body (or an optional note, kept for symmetry with the complaint steps; not stored). */
struct note_body {
	const char *note;
};

static const struct nl_jfield note_fields[] = {
	NL_JF("note", NL_J_TEXT, 0, 0, 2000, struct note_body, note),
};

int api_surveys_open(struct nl_req *r)
{
	int64_t id;
	struct note_body b = { 0 };
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, note_fields, NL_ARRAY_LEN(note_fields), &b, NULL)) || (rc = survey_open(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_surveys_close(struct nl_req *r)
{
	int64_t id;
	struct note_body b = { 0 };
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, note_fields, NL_ARRAY_LEN(note_fields), &b, NULL)) || (rc = survey_close(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

/* --- public responses ------------------------------------------------------------------------------------------------ */

/* Counts one public request from r's address against the database-wide budget (every server shares it);
 * NL_ETHROTTLED with Retry-After beyond the limit. */
static int throttle_hit(struct nl_req *r)
{
	int retry = 0;
	if (!rate_limit_hit(&r->ctx, "#survey", r->client_addr, SURVEY_PUBLIC_LIMIT, SURVEY_PUBLIC_WINDOW, &retry))
		return 0;
	r->err.retry_after = retry > 0 ? retry : 1;
	return nl_fail(&r->err, NL_ETHROTTLED, NULL, "Too many survey requests from your address; try again in %d s.",
		r->err.retry_after);
}

struct response_body {
	json_t *answers;
	const char *comment;
};

static const struct nl_jfield response_fields[] = {
	NL_JF("answers", NL_J_OBJECT, 1, 0, 0, struct response_body, answers),
	NL_JF("comment", NL_J_TEXT, 0, 0, 2000, struct response_body, comment),
};

int api_survey_response_get(struct nl_req *r)
{
	json_t *out;
	int rc = throttle_hit(r);
	if (rc || (rc = survey_response_form(&r->ctx, req_param(r, "token"), &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_survey_response_submit(struct nl_req *r)
{
	struct response_body b = { 0 };
	json_t *out;
	int rc = throttle_hit(r);
	if (rc || (rc = req_body(r, response_fields, NL_ARRAY_LEN(response_fields), &b, NULL)))
		return rc;
	r->ctx.actor_name = "survey-link";
	if ((rc = survey_response_submit(&r->ctx, req_param(r, "token"), b.answers, b.comment, &out)))
		return rc;
	return reply_json(r, 201, out);
}
