/* ticket_api.c — HTTP handlers for tickets: parse → domain (ticket.c) → reply. */
#include "records/ticket_api.h"

#include "http/http.h"
#include "http/rowver.h"
#include "records/ticket.h"

#include "core/common.h"

static const char *const priority_values[] = { "P1", "P2", "P3", "P4", NULL };
static const char *const status_values[] = { "new", "assigned", "in_progress", "waiting_customer", "waiting_vendor",
	"resolved", "closed", NULL };

#define TI struct nl_ticket_input
static const struct nl_jfield ticket_create_fields[] = {
	NL_JF("external_id", NL_J_STRING, 0, 1, 200, TI, external_id),
	NL_JF("source", NL_J_STRING, 0, 1, 64, TI, source),
	NL_JF("title", NL_J_TEXT, 0, 0, 500, TI, title),
	NL_JF("channel", NL_J_TEXT, 0, 0, 64, TI, channel),
	NL_JF("category", NL_J_TEXT, 0, 0, 200, TI, category),
	NL_JFE("priority", 1, priority_values, TI, priority),
	NL_JFE("status", 0, status_values, TI, status),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, TI, department_id),
	NL_JFN("customer_id", NL_J_ID, 0, 0, 0, TI, customer_id),
	NL_JFN("assignee_user_id", NL_J_ID, 0, 0, 0, TI, assignee_user_id),
	NL_JF("opened_at", NL_J_STRING, 1, 1, 40, TI, opened_at),
	NL_JFN("assigned_at", NL_J_STRING, 0, 1, 40, TI, assigned_at),
	NL_JFN("first_response_at", NL_J_STRING, 0, 1, 40, TI, first_response_at),
	NL_JFN("resolved_at", NL_J_STRING, 0, 1, 40, TI, resolved_at),
	NL_JFN("closed_at", NL_J_STRING, 0, 1, 40, TI, closed_at),
	NL_JF("reassignment_count", NL_J_INT, 0, 0, 1000000, TI, reassignment_count),
	NL_JF("reopen_count", NL_J_INT, 0, 0, 1000000, TI, reopen_count),
};

/* PATCH: field i sets patch_bits[i]. */
static const struct nl_jfield ticket_patch_fields[] = {
	NL_JF("title", NL_J_TEXT, 0, 0, 500, TI, title),
	NL_JF("channel", NL_J_TEXT, 0, 0, 64, TI, channel),
	NL_JF("category", NL_J_TEXT, 0, 0, 200, TI, category),
	NL_JFE("priority", 0, priority_values, TI, priority),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, TI, department_id),
	NL_JFN("customer_id", NL_J_ID, 0, 0, 0, TI, customer_id),
	NL_JFN("assignee_user_id", NL_J_ID, 0, 0, 0, TI, assignee_user_id),
	NL_JF("opened_at", NL_J_STRING, 0, 1, 40, TI, opened_at),
	NL_JFN("assigned_at", NL_J_STRING, 0, 1, 40, TI, assigned_at),
	NL_JFN("first_response_at", NL_J_STRING, 0, 1, 40, TI, first_response_at),
	NL_JFN("resolved_at", NL_J_STRING, 0, 1, 40, TI, resolved_at),
	NL_JFN("closed_at", NL_J_STRING, 0, 1, 40, TI, closed_at),
	NL_JF("reassignment_count", NL_J_INT, 0, 0, 1000000, TI, reassignment_count),
	NL_JF("reopen_count", NL_J_INT, 0, 0, 1000000, TI, reopen_count),
	NL_JF("external_id", NL_J_STRING, 0, 1, 200, TI, external_id),
};
static const unsigned patch_bits[] = { NL_TICKET_SET_TITLE, NL_TICKET_SET_CHANNEL, NL_TICKET_SET_CATEGORY,
	NL_TICKET_SET_PRIORITY, NL_TICKET_SET_DEPARTMENT, NL_TICKET_SET_CUSTOMER, NL_TICKET_SET_ASSIGNEE,
	NL_TICKET_SET_OPENED, NL_TICKET_SET_ASSIGNED, NL_TICKET_SET_RESPONSE, NL_TICKET_SET_RESOLVED, NL_TICKET_SET_CLOSED,
	NL_TICKET_SET_REASSIGN, NL_TICKET_SET_REOPEN, NL_TICKET_SET_EXTERNAL };
#undef TI

struct status_body {
	const char *status, *at, *note;
};
static const struct nl_jfield status_fields[] = {
	NL_JFE("status", 1, status_values, struct status_body, status),
	NL_JFN("at", NL_J_STRING, 0, 1, 40, struct status_body, at),
	NL_JF("note", NL_J_TEXT, 0, 0, 2000, struct status_body, note),
};

int api_tickets_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_ticket_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)) ||
		(rc = req_query_date(r, "from", &f.from)) || (rc = req_query_date(r, "to", &f.to)))
		return rc;
	f.status = req_query(r, "status");
	f.priority = req_query(r, "priority");
	f.source = req_query(r, "source");
	f.q = req_query(r, "q");
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = ticket_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_tickets_create(struct nl_req *r)
{
	struct nl_ticket_input in = { 0 };
	json_t *out;
	int rc = req_body(r, ticket_create_fields, NL_ARRAY_LEN(ticket_create_fields), &in, NULL);
	if (rc || (rc = ticket_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_tickets_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "tickets", id, NULL)) || (rc = ticket_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_tickets_update(struct nl_req *r)
{
	struct nl_ticket_input in = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, ticket_patch_fields, NL_ARRAY_LEN(ticket_patch_fields), &in, &present)))
		return rc;
	unsigned set = 0;
	for (size_t i = 0; i < NL_ARRAY_LEN(patch_bits); i++)
		if (present & ((uint64_t)1 << i))
			set |= patch_bits[i];
	if ((rc = req_row_version(r, "tickets", id, NULL)) || (rc = ticket_update(&r->ctx, id, &in, set, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_tickets_status(struct nl_req *r)
{
	struct status_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, status_fields, NL_ARRAY_LEN(status_fields), &b, NULL)))
		return rc;
	if ((rc = ticket_set_status(&r->ctx, id, b.status, b.at, b.note, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_tickets_sla(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = ticket_sla(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}
