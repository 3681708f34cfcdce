/* partner_api.c — HTTP handlers for partners / agents: parse → domain (partner.c, assessment.c, partner_rating.c) →
 * reply. */
#include "partners/partner_api.h"

#include "cycle/today.h"
#include "http/http.h"
#include "http/rowver.h"
#include "partners/assessment.h"
#include "partners/partner.h"
#include "partners/partner_rating.h"

#include <string.h>
#include <strings.h>

#include "core/common.h"

static const char *const status_values[] = { "candidate", "active", "suspended", "terminated", NULL };

#define PI struct nl_partner_input
/* The order matters for PATCH: field i sets bit i (NL_PARTNER_SET_*). */
static const struct nl_jfield partner_fields[] = {
	NL_JF("name", NL_J_STRING, 1, 1, 200, PI, name),
	NL_JF("region", NL_J_TEXT, 0, 0, 100, PI, region),
	NL_JF("qualifications", NL_J_TEXT, 0, 0, 4000, PI, qualifications),
	NL_JF("industry_experience", NL_J_TEXT, 0, 0, 4000, PI, industry_experience),
	NL_JF("contact_name", NL_J_TEXT, 0, 0, 100, PI, contact_name),
	NL_JF("contact_phone", NL_J_TEXT, 0, 0, 20, PI, contact_phone),
	NL_JFN("contract_start", NL_J_DATE, 0, 0, 0, PI, contract_start),
	NL_JFN("contract_end", NL_J_DATE, 0, 0, 0, PI, contract_end),
	NL_JFE("status", 0, status_values, PI, status),
	NL_JF("selection_record", NL_J_TEXT, 0, 0, 20000, PI, selection_record),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, PI, department_id),
};
#undef PI

/* The {year} path parameter: exactly four digits, 1900..9999; NL_ENOTFOUND otherwise. */
static int year_param(struct nl_req *r, int *year)
{
	const char *s = req_param(r, "year");
	if (!s || strlen(s) != 4 || strspn(s, "0123456789") != 4 || s[0] == '0')
		return nl_fail(&r->err, NL_ENOTFOUND, NULL, "The year must be four digits, e.g. /api/v1/partners/1/ratings/2027.");
	*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (*year < 1900)
		return nl_fail(&r->err, NL_ENOTFOUND, NULL, "The year must lie in 1900..9999.");
	return 0;
}

/* ---- profiles ---- */

int api_partners_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_partner_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)))
		return rc;
	f.status = req_query(r, "status");
	f.region = req_query(r, "region");
	f.q = req_query(r, "q");
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = partner_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_partners_create(struct nl_req *r)
{
	struct nl_partner_input in = { 0 };
	json_t *out;
	int rc = req_body(r, partner_fields, NL_ARRAY_LEN(partner_fields), &in, NULL);
	if (rc || (rc = partner_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_partners_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "partners", id, NULL)) || (rc = partner_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_partners_update(struct nl_req *r)
{
	struct nl_jfield fields[NL_ARRAY_LEN(partner_fields)];
	struct nl_partner_input in = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	memcpy(fields, partner_fields, sizeof fields);
	for (size_t i = 0; i < NL_ARRAY_LEN(fields); i++)
		fields[i].required = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, fields, NL_ARRAY_LEN(fields), &in, &present)))
		return rc;
	/* name and status may be left out, not cleared */
	if ((present & NL_PARTNER_SET_NAME) && !in.name)
		return nl_fail(&r->err, NL_EVALID, "name", "name must not be null.");
	if ((present & NL_PARTNER_SET_STATUS) && !in.status)
		return nl_fail(&r->err, NL_EVALID, "status", "status must not be null.");
	if ((rc = req_row_version(r, "partners", id, NULL)) ||
		(rc = partner_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

/* ---- linked tickets ---- */

int api_partner_tickets_list(struct nl_req *r)
{
	struct nl_page p;
	const char *from = NULL, *to = NULL;
	int64_t id, next;
	json_t *items;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_page(r, &p)) || (rc = req_query_date(r, "from", &from)) || (rc = req_query_date(r, "to", &to)) ||
		(rc = partner_tickets(&r->ctx, id, from, to, p.limit, p.cursor, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

struct link_body {
	json_t *ticket_ids;
};
static const struct nl_jfield link_fields[] = {
	{ "ticket_ids", NL_J_ANY, 1, 0, 0, 0, NULL, offsetof(struct link_body, ticket_ids) },
};

int api_partner_tickets_link(struct nl_req *r)
{
	struct link_body b = { 0 };
	int64_t id, ids[500];
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, link_fields, NL_ARRAY_LEN(link_fields), &b, NULL)))
		return rc;
	size_t n = json_array_size(b.ticket_ids);
	if (!json_is_array(b.ticket_ids) || n < 1 || n > NL_ARRAY_LEN(ids))
		return nl_fail(&r->err, NL_EVALID, "ticket_ids", "ticket_ids must be an array of 1 to 500 ticket ids.");
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_array_get(b.ticket_ids, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			char f[40];
			snprintf(f, sizeof f, "ticket_ids[%zu]", i);
			return nl_fail(&r->err, NL_EVALID, f, "%s must be a ticket id.", f);
		}
		ids[i] = json_integer_value(v);
	}
	if ((rc = partner_link_tickets(&r->ctx, id, ids, n, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_partner_tickets_unlink(struct nl_req *r)
{
	int64_t id, ticket_id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_param_id(r, "ticket_id", &ticket_id)) ||
		(rc = partner_unlink_ticket(&r->ctx, id, ticket_id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

/* ---- dimensions and grade thresholds ---- */

int api_partner_dimensions_get(struct nl_req *r)
{
	json_t *items;
	int rc = partner_dimensions_get(&r->ctx, &items);
	return rc ? rc : reply_list(r, items, 0);
}

/* The body is the array of dimensions (CONTRACT: `PUT /partner-dimensions [...]`), or {"items":[...]} as other list
 * replacements take it; field names in errors follow the shape sent ("[2].weight" or "items[2].weight"). */
int api_partner_dimensions_put(struct nl_req *r)
{
	json_error_t je;
	json_t *out = NULL;
	const char *ct = req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return nl_fail(&r->err, NL_EMEDIA, NULL, "Send the body as application/json.");
	if (r->raw_len == 0)
		return nl_fail(&r->err, NL_EJSON, NULL, "The request body is empty; send the array of dimensions.");
	json_t *body = json_loadb(r->raw_body, r->raw_len, JSON_REJECT_DUPLICATES, &je);
	if (!body)
		return nl_fail(&r->err, NL_EJSON, NULL, "Invalid JSON at line %d, column %d: %s", je.line, je.column, je.text);
	int rc;
	if (json_is_array(body)) {
		rc = partner_dimensions_put(&r->ctx, body, "", &out);
	} else if (json_is_object(body)) {
		const char *k;
		json_t *v;
		rc = 0;
		json_object_foreach(body, k, v) if (strcmp(k, "items") != 0 && !rc)
			rc = nl_fail(&r->err, NL_EVALID, k, "Unknown field \"%.100s\".", k);
		if (!rc && !json_object_get(body, "items"))
			rc = nl_fail(&r->err, NL_EVALID, "items", "items is required.");
		if (!rc)
			rc = partner_dimensions_put(&r->ctx, json_object_get(body, "items"), "items", &out);
	} else {
		rc = nl_fail(&r->err, NL_EINVAL, NULL, "The body must be the array of dimensions.");
	}
	json_decref(body);
	return rc ? rc : reply_list(r, out, 0);
}

int api_partner_grades_get(struct nl_req *r)
{
	struct nl_partner_grades g;
	int rc = partner_grades_get(&r->ctx, &g);
	return rc ? rc : reply_json(r, 200, partner_grades_json(&g));
}

static const struct nl_jfield grades_fields[] = {
	NL_JF("a", NL_J_NUMBER, 1, 0, 0, struct nl_partner_grades, a),
	NL_JF("b", NL_J_NUMBER, 1, 0, 0, struct nl_partner_grades, b),
	NL_JF("c", NL_J_NUMBER, 1, 0, 0, struct nl_partner_grades, c),
};

int api_partner_grades_put(struct nl_req *r)
{
	struct nl_partner_grades g = { 0 };
	json_t *out;
	int rc = req_body(r, grades_fields, NL_ARRAY_LEN(grades_fields), &g, NULL);
	if (rc || (rc = partner_grades_put(&r->ctx, &g, &out)))
		return rc;
	return reply_json(r, 200, out);
}

/* ---- assessments ---- */

int api_partner_assessments_list(struct nl_req *r)
{
	int64_t id, year;
	json_t *items;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_query_int(r, "year", 1900, 9999, 0, &year)) ||
		(rc = assessment_list(&r->ctx, id, (int)year, &items)))
		return rc;
	return reply_list(r, items, 0);
}

struct assessment_body {
	const char *period, *comment;
	json_t *scores;
};
static const struct nl_jfield assessment_fields[] = {
	NL_JF("period", NL_J_STRING, 1, 1, 16, struct assessment_body, period),
	NL_JF("scores", NL_J_OBJECT, 1, 0, 0, struct assessment_body, scores),
	NL_JF("comment", NL_J_TEXT, 0, 0, 4000, struct assessment_body, comment),
};

int api_partner_assessments_create(struct nl_req *r)
{
	struct assessment_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, assessment_fields, NL_ARRAY_LEN(assessment_fields), &b, NULL)))
		return rc;
	struct nl_assessment_input in = { b.period, b.scores, b.comment };
	if ((rc = assessment_create(&r->ctx, id, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_partner_assessments_draft(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	const char *period = req_query(r, "period");
	if (!period)
		return nl_fail(&r->err, NL_EINVAL, "period", "period is required, e.g. ?period=2027-Q1.");
	rc = assessment_draft(&r->ctx, id, period, &out);
	if (rc == NL_EVALID) {
		/* a bad query parameter is a 400, as everywhere */
		r->err.code = NL_EINVAL;
		return NL_EINVAL;
	}
	return rc ? rc : reply_json(r, 200, out);
}

int api_partner_assessment_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = assessment_get(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

/* ---- annual ratings and the ranking ---- */

int api_partner_ratings_list(struct nl_req *r)
{
	int64_t id;
	json_t *items;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = partner_rating_list(&r->ctx, id, &items)))
		return rc;
	return reply_list(r, items, 0);
}

struct rating_body {
	int64_t year;
};
static const struct nl_jfield rating_fields[] = {
	NL_JF("year", NL_J_INT, 1, 1900, 9999, struct rating_body, year),
};

int api_partner_ratings_request(struct nl_req *r)
{
	struct rating_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, rating_fields, NL_ARRAY_LEN(rating_fields), &b, NULL)) ||
		(rc = partner_rating_request(&r->ctx, id, (int)b.year, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_partner_ratings_get(struct nl_req *r)
{
	int64_t id;
	int year;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = year_param(r, &year)) || (rc = partner_rating_get(&r->ctx, id, year, &out)))
		return rc;
	return reply_json(r, 200, out);
}

struct decide_body {
	const char *comment;
};
static const struct nl_jfield decide_fields[] = {
	NL_JF("comment", NL_J_TEXT, 0, 0, 4000, struct decide_body, comment),
};

static int decide(struct nl_req *r, int approve)
{
	struct decide_body b = { 0 };
	int64_t id;
	int year;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = year_param(r, &year)) || (rc = req_body(r, decide_fields, NL_ARRAY_LEN(decide_fields), &b, NULL)) ||
		(rc = partner_rating_decide(&r->ctx, id, year, approve, b.comment, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_partner_ratings_approve(struct nl_req *r)
{
	return decide(r, 1);
}

int api_partner_ratings_reject(struct nl_req *r)
{
	return decide(r, 0);
}

int api_partners_ranking(struct nl_req *r)
{
	struct nl_date today;
	int64_t year;
	json_t *out;
	int rc = cycle_today(&r->ctx, &today);
	if (rc || (rc = req_query_int(r, "year", 1900, 9999, today.y, &year)) || (rc = partner_ranking(&r->ctx, (int)year, &out)))
		return rc;
	return reply_json(r, 200, out);
}
