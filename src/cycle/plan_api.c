/* plan_api.c — HTTP handlers of the annual capability plan: parse and validate the request → plan.c → reply.
 * No SQL here; the state rules live in plan.c. */
#include "cycle/plan_api.h"

#include "cycle/catalogue.h"
#include "cycle/plan.h"
#include "http/http.h"
#include "http/rowver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

static const char *const plan_statuses[] = { "draft", "submitted", "approved", "rejected", NULL };
static const char *const frequencies[] = { "month", "quarter", "year", NULL };
static const char *const decisions[] = { "pass", "revise", NULL };

/* Replies with the plan and its ETag ("<row_version>"). */
static int reply_plan(struct nl_req *r, int status, json_t *plan)
{
	char etag[32];
	snprintf(etag, sizeof etag, "\"%lld\"", (long long)json_integer_value(json_object_get(plan, "row_version")));
	reply_header(r, "ETag", etag);
	return reply_json(r, status, plan);
}

/* Replies {"items": arr, "next_cursor": null} — a list that fits one page. */
static int reply_all(struct nl_req *r, json_t *arr)
{
	return reply_list(r, arr, 0);
}

int api_plans_list(struct nl_req *r)
{
	struct nl_page p;
	int64_t year;
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "year", NL_PLAN_MIN_YEAR, NL_PLAN_MAX_YEAR, 0, &year)))
		return rc;
	const char *status = req_query(r, "status");
	if (status && *status) {
		int ok = 0;
		for (int i = 0; plan_statuses[i]; i++)
			ok |= !strcmp(status, plan_statuses[i]);
		if (!ok)
			return nl_fail(&r->err, NL_EINVAL, "status", "status must be draft, submitted, approved or rejected.");
	}
	if ((rc = plan_list(&r->ctx, (int)year, status && *status ? status : NULL, p.limit, p.cursor, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

struct plan_create_body {
	int64_t year;
	const char *title;
};
static const struct nl_jfield plan_create_fields[] = {
	NL_JF("year", NL_J_INT, 1, NL_PLAN_MIN_YEAR, NL_PLAN_MAX_YEAR, struct plan_create_body, year),
	NL_JF("title", NL_J_STRING, 1, 1, 200, struct plan_create_body, title),
};

int api_plans_create(struct nl_req *r)
{
	struct plan_create_body b = { 0 };
	json_t *out;
	int rc = req_body(r, plan_create_fields, NL_ARRAY_LEN(plan_create_fields), &b, NULL);
	if (rc || (rc = plan_create(&r->ctx, (int)b.year, b.title, &out)))
		return rc;
	return reply_plan(r, 201, out);
}

int api_plans_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = plan_get(&r->ctx, id, &out)))
		return rc;
	return reply_plan(r, 200, out);
}

struct plan_update_body {
	const char *title, *review_achievements, *review_problems, *review_carryover, *tracking_plan, *tracking_frequency,
		*tracking_checkpoints;
	int64_t tracker_user_id;
};
/* The order matters: bit i of `present` is field i, which is NL_PLAN_SET_* bit i. */
static const struct nl_jfield plan_update_fields[] = {
	NL_JF("title", NL_J_STRING, 0, 1, 200, struct plan_update_body, title),
	NL_JF("review_achievements", NL_J_TEXT, 0, 0, 20000, struct plan_update_body, review_achievements),
	NL_JF("review_problems", NL_J_TEXT, 0, 0, 20000, struct plan_update_body, review_problems),
	NL_JF("review_carryover", NL_J_TEXT, 0, 0, 20000, struct plan_update_body, review_carryover),
	NL_JF("tracking_plan", NL_J_TEXT, 0, 0, 20000, struct plan_update_body, tracking_plan),
	NL_JFE("tracking_frequency", 0, frequencies, struct plan_update_body, tracking_frequency),
	NL_JF("tracking_checkpoints", NL_J_TEXT, 0, 0, 5000, struct plan_update_body, tracking_checkpoints),
	NL_JFN("tracker_user_id", NL_J_ID, 0, 0, 0, struct plan_update_body, tracker_user_id),
};

int api_plans_update(struct nl_req *r)
{
	struct plan_update_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, plan_update_fields, NL_ARRAY_LEN(plan_update_fields), &b, &present)))
		return rc;
	int64_t if_match = req_if_match_value(req_header(r, "If-Match"));   /* http/rowver.h */
	if (if_match < 0)
		return nl_fail(&r->err, NL_EINVAL, "If-Match", "If-Match must be the plan's row_version in quotes, e.g. \"7\".");
	struct nl_plan_input in = { b.title, b.review_achievements, b.review_problems, b.review_carryover, b.tracking_plan,
		b.tracking_frequency, b.tracking_checkpoints, b.tracker_user_id };
	if ((rc = plan_update(&r->ctx, id, &in, (unsigned)present, if_match, &out)))
		return rc;
	return reply_plan(r, 200, out);
}

struct item_body {
	const char *element, *area, *current_state, *objective, *measures;
	int64_t owner_department_id, owner_user_id;
	const char *due_date, *budget;
	int64_t sort;
};
/* The order matters in both tables: bit i of `present` is field i, which is NL_ITEM_SET_* bit i. */
static const struct nl_jfield item_create_fields[] = {
	NL_JFE("element", 1, catalogue_elements, struct item_body, element),
	NL_JF("area", NL_J_STRING, 1, 1, 100, struct item_body, area),
	NL_JF("current_state", NL_J_TEXT, 0, 0, 5000, struct item_body, current_state),
	NL_JF("objective", NL_J_STRING, 1, 1, 2000, struct item_body, objective),
	NL_JF("measures", NL_J_TEXT, 0, 0, 10000, struct item_body, measures),
	NL_JFN("owner_department_id", NL_J_ID, 0, 0, 0, struct item_body, owner_department_id),
	NL_JFN("owner_user_id", NL_J_ID, 0, 0, 0, struct item_body, owner_user_id),
	NL_JFN("due_date", NL_J_DATE, 0, 0, 0, struct item_body, due_date),
	NL_JF("budget", NL_J_TEXT, 0, 0, 500, struct item_body, budget),
	NL_JF("sort", NL_J_INT, 0, 0, 1000000, struct item_body, sort),
};
static const struct nl_jfield item_update_fields[] = {
	NL_JFE("element", 0, catalogue_elements, struct item_body, element),
	NL_JF("area", NL_J_STRING, 0, 1, 100, struct item_body, area),
	NL_JF("current_state", NL_J_TEXT, 0, 0, 5000, struct item_body, current_state),
	NL_JF("objective", NL_J_STRING, 0, 1, 2000, struct item_body, objective),
	NL_JF("measures", NL_J_TEXT, 0, 0, 10000, struct item_body, measures),
	NL_JFN("owner_department_id", NL_J_ID, 0, 0, 0, struct item_body, owner_department_id),
	NL_JFN("owner_user_id", NL_J_ID, 0, 0, 0, struct item_body, owner_user_id),
	NL_JFN("due_date", NL_J_DATE, 0, 0, 0, struct item_body, due_date),
	NL_JF("budget", NL_J_TEXT, 0, 0, 500, struct item_body, budget),
	NL_JF("sort", NL_J_INT, 0, 0, 1000000, struct item_body, sort),
};

static void item_input(const struct item_body *b, struct nl_plan_item_input *in)
{
	*in = (struct nl_plan_item_input){ b->element, b->area, b->current_state, b->objective, b->measures,
		b->owner_department_id, b->owner_user_id, b->due_date, b->budget, b->sort };
}

int api_plan_items_list(struct nl_req *r)
{
	int64_t id;
	json_t *items;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	const char *element = req_query(r, "element");
	if (element && *element && !catalogue_element_valid(element))
		return nl_fail(&r->err, NL_EINVAL, "element", "element must be people, process, technology or resources.");
	if ((rc = plan_item_list(&r->ctx, id, element && *element ? element : NULL, &items)))
		return rc;
	return reply_all(r, items);
}

int api_plan_items_create(struct nl_req *r)
{
	struct item_body b = { 0 };
	struct nl_plan_item_input in;
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, item_create_fields, NL_ARRAY_LEN(item_create_fields), &b, &present)))
		return rc;
	item_input(&b, &in);
	if ((rc = plan_item_create(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_plan_item_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "plan_items", id, NULL)) || (rc = plan_item_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_plan_item_update(struct nl_req *r)
{
	struct item_body b = { 0 };
	struct nl_plan_item_input in;
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, item_update_fields, NL_ARRAY_LEN(item_update_fields), &b, &present)))
		return rc;
	item_input(&b, &in);
	if ((rc = req_row_version(r, "plan_items", id, NULL)) ||
		(rc = plan_item_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_plan_item_delete(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = plan_item_delete(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

struct meeting_body {
	const char *held_on, *attendees, *minutes, *decision;
};
static const struct nl_jfield meeting_fields[] = {
	NL_JF("held_on", NL_J_DATE, 1, 0, 0, struct meeting_body, held_on),
	NL_JF("attendees", NL_J_STRING, 1, 1, 2000, struct meeting_body, attendees),
	NL_JF("minutes", NL_J_STRING, 1, 1, 20000, struct meeting_body, minutes),
	NL_JFE("decision", 1, decisions, struct meeting_body, decision),
};

int api_plan_meetings_list(struct nl_req *r)
{
	int64_t id;
	json_t *items;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = plan_meeting_list(&r->ctx, id, &items)))
		return rc;
	return reply_all(r, items);
}

int api_plan_meetings_create(struct nl_req *r)
{
	struct meeting_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, meeting_fields, NL_ARRAY_LEN(meeting_fields), &b, NULL)))
		return rc;
	struct nl_plan_meeting_input in = { b.held_on, b.attendees, b.minutes, b.decision };
	if ((rc = plan_meeting_create(&r->ctx, id, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_plans_submit(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, NULL, 0, NULL, NULL)) || (rc = plan_submit(&r->ctx, id, &out)))
		return rc;
	return reply_plan(r, 200, out);
}

struct comment_body {
	const char *comment;
};
/* For reject the comment is required, but a missing or blank one is the domain's 422 (one message for both). */
static const struct nl_jfield comment_fields[] = {
	NL_JF("comment", NL_J_TEXT, 0, 0, 2000, struct comment_body, comment),
};

int api_plans_approve(struct nl_req *r)
{
	struct comment_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, comment_fields, NL_ARRAY_LEN(comment_fields), &b, NULL)) ||
		(rc = plan_approve(&r->ctx, id, b.comment, &out)))
		return rc;
	return reply_plan(r, 200, out);
}

int api_plans_reject(struct nl_req *r)
{
	struct comment_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, comment_fields, NL_ARRAY_LEN(comment_fields), &b, NULL)) ||
		(rc = plan_reject(&r->ctx, id, b.comment, &out)))
		return rc;
	return reply_plan(r, 200, out);
}

struct revise_body {
	const char *change_summary;
};
static const struct nl_jfield revise_fields[] = {
	NL_JF("change_summary", NL_J_STRING, 1, 1, 2000, struct revise_body, change_summary),
};

int api_plans_revise(struct nl_req *r)
{
	struct revise_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, revise_fields, NL_ARRAY_LEN(revise_fields), &b, NULL)) ||
		(rc = plan_revise(&r->ctx, id, b.change_summary, &out)))
		return rc;
	return reply_plan(r, 200, out);
}

int api_plan_versions_list(struct nl_req *r)
{
	int64_t id;
	json_t *items;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = plan_version_list(&r->ctx, id, &items)))
		return rc;
	return reply_all(r, items);
}

int api_plan_version_get(struct nl_req *r)
{
	int64_t id, version;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_param_id(r, "version", &version)) || (rc = plan_version_get(&r->ctx, id, version, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_plan_history(struct nl_req *r)
{
	int64_t id;
	json_t *items;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = plan_history(&r->ctx, id, &items)))
		return rc;
	return reply_all(r, items);
}
