/* risk_api.c — HTTP handlers for the risk register (GET/POST /risks, GET /risks/matrix, GET/PATCH /risks/{id}):
 * parse → domain (improvement/risk.h) → reply. */
#include "improvement/risk_api.h"

#include "http/http.h"
#include "http/rowver.h"
#include "improvement/risk.h"

#include <string.h>

#include "core/common.h"

struct risk_body {
	const char *title, *element, *mitigation, *review_on, *status;
	int64_t likelihood, impact, owner_user_id, plan_item_id;
};

static const struct nl_jfield create_fields[] = {
	NL_JF("title", NL_J_STRING, 1, 1, 200, struct risk_body, title),
	NL_JFE("element", 1, nl_risk_elements, struct risk_body, element),
	NL_JF("likelihood", NL_J_INT, 1, NL_RISK_SCALE_MIN, NL_RISK_SCALE_MAX, struct risk_body, likelihood),
	NL_JF("impact", NL_J_INT, 1, NL_RISK_SCALE_MIN, NL_RISK_SCALE_MAX, struct risk_body, impact),
	NL_JF("mitigation", NL_J_TEXT, 0, 0, 4000, struct risk_body, mitigation),
	NL_JFN("owner_user_id", NL_J_ID, 0, 0, 0, struct risk_body, owner_user_id),
	NL_JFN("review_on", NL_J_DATE, 0, 0, 0, struct risk_body, review_on),
	NL_JFE("status", 0, nl_risk_statuses, struct risk_body, status),
	NL_JFN("plan_item_id", NL_J_ID, 0, 0, 0, struct risk_body, plan_item_id),
};

/* The order matters: bit i of `present` is NL_RISK_SET_* bit i. */
static const struct nl_jfield update_fields[] = {
	NL_JF("title", NL_J_STRING, 0, 1, 200, struct risk_body, title),
	NL_JFE("element", 0, nl_risk_elements, struct risk_body, element),
	NL_JF("likelihood", NL_J_INT, 0, NL_RISK_SCALE_MIN, NL_RISK_SCALE_MAX, struct risk_body, likelihood),
	NL_JF("impact", NL_J_INT, 0, NL_RISK_SCALE_MIN, NL_RISK_SCALE_MAX, struct risk_body, impact),
	NL_JF("mitigation", NL_J_TEXT, 0, 0, 4000, struct risk_body, mitigation),
	NL_JFN("owner_user_id", NL_J_ID, 0, 0, 0, struct risk_body, owner_user_id),
	NL_JFN("review_on", NL_J_DATE, 0, 0, 0, struct risk_body, review_on),
	NL_JFE("status", 0, nl_risk_statuses, struct risk_body, status),
	NL_JFN("plan_item_id", NL_J_ID, 0, 0, 0, struct risk_body, plan_item_id),
};

static struct nl_risk_input input_of(const struct risk_body *b)
{
	struct nl_risk_input in = { b->title, b->element, b->likelihood, b->impact, b->mitigation, b->owner_user_id,
		b->review_on, b->status, b->plan_item_id };
	return in;
}

/* Reads the filters shared by GET /risks and GET /risks/matrix. */
static int filter_read(struct nl_req *r, struct nl_risk_filter *f)
{
	int rc;
	if ((rc = req_query_int(r, "owner_user_id", 1, INT64_MAX, 0, &f->owner_user_id)) ||
		(rc = req_query_int(r, "plan_item_id", 1, INT64_MAX, 0, &f->plan_item_id)))
		return rc;
	const char *e = req_query(r, "element"), *s = req_query(r, "status"), *l = req_query(r, "level");
	f->element = e && *e ? e : NULL;
	f->status = s && *s ? s : NULL;
	f->level = l && *l ? l : NULL;
	const char *o = req_query(r, "review_overdue");
	if (o && strcmp(o, "true") != 0 && strcmp(o, "false") != 0)
		return nl_fail(&r->err, NL_EINVAL, "review_overdue", "review_overdue must be true or false.");
	f->review_overdue = !o ? -1 : !strcmp(o, "true");
	return 0;
}

int api_risks_list(struct nl_req *r)
{
	struct nl_risk_filter f = { 0 };
	struct nl_page p;
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = filter_read(r, &f)))
		return rc;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = risk_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_risks_matrix(struct nl_req *r)
{
	struct nl_risk_filter f = { 0 };
	json_t *out;
	int rc = filter_read(r, &f);
	if (rc || (rc = risk_matrix(&r->ctx, &f, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_risks_create(struct nl_req *r)
{
	struct risk_body b = { 0 };
	json_t *out;
	int rc = req_body(r, create_fields, NL_ARRAY_LEN(create_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_risk_input in = input_of(&b);
	if ((rc = risk_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_risks_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "risks", id, NULL)) || (rc = risk_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_risks_update(struct nl_req *r)
{
	struct risk_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, update_fields, NL_ARRAY_LEN(update_fields), &b, &present)))
		return rc;
	struct nl_risk_input in = input_of(&b);
	if ((rc = req_row_version(r, "risks", id, NULL)) ||
		(rc = risk_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}
