/* evaluation_api.c — HTTP handlers for GET/PATCH /evaluations/{year} and POST /evaluations/{year}/finalize:
 * parse → domain (cycle/evaluation.h) → reply. */
#include "cycle/evaluation_api.h"

#include "cycle/evaluation.h"
#include "http/http.h"
#include "http/rowver.h"

#include <string.h>

#include "core/common.h"

/* The {year} path parameter: exactly four digits; NL_ENOTFOUND otherwise. */
static int year_param(struct nl_req *r, int64_t *year)
{
	const char *s = req_param(r, "year");
	if (!s || strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return nl_fail(&r->err, NL_ENOTFOUND, NULL, "The year must be four digits, e.g. /api/v1/evaluations/2027.");
	*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	return 0;
}

int api_evaluations_get(struct nl_req *r)
{
	int64_t year = 0;
	json_t *out;
	int rc = year_param(r, &year);
	if (rc || (rc = req_row_version(r, "evaluations", year, NULL)) || (rc = evaluation_get(&r->ctx, year, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

struct evaluation_body {
	json_t *problems, *suggestions;
	const char *conclusion, *purpose, *method;
};

static const struct nl_jfield evaluation_fields[] = {
	NL_JF("problems", NL_J_ANY, 0, 0, 0, struct evaluation_body, problems),
	NL_JF("suggestions", NL_J_ANY, 0, 0, 0, struct evaluation_body, suggestions),
	NL_JF("conclusion", NL_J_TEXT, 0, 0, 20000, struct evaluation_body, conclusion),
	NL_JF("purpose", NL_J_TEXT, 0, 0, 20000, struct evaluation_body, purpose),
	NL_JF("method", NL_J_TEXT, 0, 0, 20000, struct evaluation_body, method),
};

int api_evaluations_update(struct nl_req *r)
{
	struct evaluation_body b = { 0 };
	int64_t year = 0;
	json_t *out;
	int rc = year_param(r, &year);
	if (rc || (rc = req_body(r, evaluation_fields, NL_ARRAY_LEN(evaluation_fields), &b, NULL)))
		return rc;
	struct nl_evaluation_edit e = { b.problems, b.suggestions, b.conclusion, b.purpose, b.method };
	if ((rc = req_row_version(r, "evaluations", year, NULL)) || (rc = evaluation_update(&r->ctx, year, &e, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_evaluations_finalize(struct nl_req *r)
{
	int64_t year = 0;
	json_t *out;
	int rc = year_param(r, &year);
	if (rc || (rc = evaluation_finalize(&r->ctx, year, &out)))
		return rc;
	return reply_json(r, 200, out);
}
