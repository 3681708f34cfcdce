/* reward_api.c — HTTP handlers for rewards and penalties (奖惩): propose, read, and the approver's approve / reject,
 * the proposer's cancel: parse → domain (people/reward.h) → reply. */
#include "people/reward_api.h"

#include "http/http.h"
#include "people/reward.h"

#include <math.h>
#include <string.h>

#include "core/common.h"

static const char *const kinds[] = { "reward", "penalty", NULL };
static const char *const cause_types[] = { "complaint", "metric", "assessment", "innovation", "other", NULL };

struct reward_body {
	const char *kind, *reason, *cause_type;
	int64_t staff_id, partner_id, cause_id;
	double amount, points;
};
static const struct nl_jfield reward_fields[] = {
	NL_JFE("kind", 1, kinds, struct reward_body, kind),
	NL_JFN("staff_id", NL_J_ID, 0, 0, 0, struct reward_body, staff_id),
	NL_JFN("partner_id", NL_J_ID, 0, 0, 0, struct reward_body, partner_id),
	NL_JF("reason", NL_J_STRING, 1, 1, 2000, struct reward_body, reason),
	NL_JFE("cause_type", 0, cause_types, struct reward_body, cause_type),
	NL_JFN("cause_id", NL_J_ID, 0, 0, 0, struct reward_body, cause_id),
	NL_JFN("amount", NL_J_NUMBER, 0, 0, 0, struct reward_body, amount),
	NL_JFN("points", NL_J_NUMBER, 0, 0, 0, struct reward_body, points),
};

int api_rewards_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_reward_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "staff_id", 1, INT64_MAX, 0, &f.staff_id)) ||
		(rc = req_query_int(r, "partner_id", 1, INT64_MAX, 0, &f.partner_id)) ||
		(rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)) ||
		(rc = req_query_int(r, "year", 1900, 9999, 0, &f.year)))
		return rc;
	f.status = req_query(r, "status");
	f.kind = req_query(r, "kind");
	if (f.status && !*f.status)
		f.status = NULL;
	if (f.kind && !*f.kind)
		f.kind = NULL;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = reward_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_rewards_create(struct nl_req *r)
{
	struct reward_body b = { .amount = NAN, .points = NAN };
	json_t *out;
	int rc = req_body(r, reward_fields, NL_ARRAY_LEN(reward_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_reward_input in = { b.kind, b.staff_id, b.partner_id, b.reason, b.cause_type, b.cause_id, b.amount, b.points };
	if ((rc = reward_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_rewards_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = reward_get(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

struct comment_body {
	const char *comment;
};
static const struct nl_jfield comment_fields[] = {
	NL_JF("comment", NL_J_TEXT, 0, 0, 2000, struct comment_body, comment),
};

static int decide(struct nl_req *r, int approve)
{
	struct comment_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, comment_fields, NL_ARRAY_LEN(comment_fields), &b, NULL)) ||
		(rc = reward_decide(&r->ctx, id, approve, b.comment, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_rewards_approve(struct nl_req *r)
{
	return decide(r, 1);
}

int api_rewards_reject(struct nl_req *r)
{
	return decide(r, 0);
}

int api_rewards_cancel(struct nl_req *r)
{
	struct comment_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, comment_fields, NL_ARRAY_LEN(comment_fields), &b, NULL)) ||
		(rc = reward_cancel(&r->ctx, id, b.comment, &out)))
		return rc;
	return reply_json(r, 200, out);
}
