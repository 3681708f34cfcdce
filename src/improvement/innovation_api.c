/* innovation_api.c — HTTP handlers for innovation proposals (GET/POST /innovations, GET/PATCH /innovations/{id},
 * POST /innovations/{id}/advance): parse → domain (improvement/innovation.h) → reply. */
#include "improvement/innovation_api.h"

#include "http/http.h"
#include "http/rowver.h"
#include "improvement/innovation.h"

#include <string.h>

#include "core/common.h"

static const char *const advance_to[] = { "pilot", "adopted", "rejected", NULL };

struct innovation_body {
	const char *title, *category, *description, *proposed_on, *pilot_result;
	int64_t department_id;
};

static const struct nl_jfield create_fields[] = {
	NL_JF("title", NL_J_STRING, 1, 1, 200, struct innovation_body, title),
	NL_JFE("category", 1, nl_innovation_categories, struct innovation_body, category),
	NL_JF("description", NL_J_STRING, 1, 1, 4000, struct innovation_body, description),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, struct innovation_body, department_id),
	NL_JF("proposed_on", NL_J_DATE, 0, 0, 0, struct innovation_body, proposed_on),
};

/* The order matters: bit i of `present` is NL_INNOVATION_SET_* bit i. */
static const struct nl_jfield update_fields[] = {
	NL_JF("title", NL_J_STRING, 0, 1, 200, struct innovation_body, title),
	NL_JFE("category", 0, nl_innovation_categories, struct innovation_body, category),
	NL_JF("description", NL_J_STRING, 0, 1, 4000, struct innovation_body, description),
	NL_JF("pilot_result", NL_J_TEXT, 0, 0, 4000, struct innovation_body, pilot_result),
};

struct advance_body {
	const char *to, *note;
};

static const struct nl_jfield advance_fields[] = {
	NL_JFE("to", 1, advance_to, struct advance_body, to),
	NL_JFN("note", NL_J_TEXT, 0, 0, 4000, struct advance_body, note),
};

int api_innovations_list(struct nl_req *r)
{
	struct nl_innovation_filter f = { 0 };
	struct nl_page p;
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)) ||
		(rc = req_query_int(r, "proposer_user_id", 1, INT64_MAX, 0, &f.proposer_user_id)) ||
		(rc = req_query_int(r, "year", 1900, 9999, 0, &f.year)))
		return rc;
	const char *s = req_query(r, "status"), *c = req_query(r, "category");
	f.status = s && *s ? s : NULL;
	f.category = c && *c ? c : NULL;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = innovation_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_innovations_create(struct nl_req *r)
{
	struct innovation_body b = { 0 };
	json_t *out;
	int rc = req_body(r, create_fields, NL_ARRAY_LEN(create_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_innovation_input in = { b.title, b.category, b.description, b.department_id, b.proposed_on, NULL };
	if ((rc = innovation_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_innovations_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "innovations", id, NULL)) || (rc = innovation_get(&r->ctx, id, 1, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_innovations_update(struct nl_req *r)
{
	struct innovation_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, update_fields, NL_ARRAY_LEN(update_fields), &b, &present)))
		return rc;
	struct nl_innovation_input in = { b.title, b.category, b.description, 0, NULL, b.pilot_result };
	if ((rc = req_row_version(r, "innovations", id, NULL)) ||
		(rc = innovation_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_innovations_advance(struct nl_req *r)
{
	struct advance_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, advance_fields, NL_ARRAY_LEN(advance_fields), &b, NULL)))
		return rc;
	if ((rc = innovation_advance(&r->ctx, id, b.to, b.note, &out)))
		return rc;
	return reply_json(r, 200, out);
}
