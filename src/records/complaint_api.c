/* complaint_api.c — HTTP handlers of complaints: parse and validate the request → complaint.c → reply. No SQL here;
 * the lifecycle rules live in complaint.c. */
#include "records/complaint_api.h"

#include "http/http.h"
#include "records/complaint.h"

#include <string.h>

#include "core/common.h"

struct complaint_body {
	const char *channel, *category, *content, *received_at, *answer_deadline;
	int64_t customer_id, ticket_id, partner_id, department_id;
};

static const struct nl_jfield complaint_create_fields[] = {
	NL_JF("channel", NL_J_STRING, 1, 1, 50, struct complaint_body, channel),
	NL_JFN("customer_id", NL_J_ID, 0, 0, 0, struct complaint_body, customer_id),
	NL_JFN("ticket_id", NL_J_ID, 0, 0, 0, struct complaint_body, ticket_id),
	NL_JFN("partner_id", NL_J_ID, 0, 0, 0, struct complaint_body, partner_id),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, struct complaint_body, department_id),
	NL_JF("category", NL_J_STRING, 1, 1, 100, struct complaint_body, category),
	NL_JF("content", NL_J_STRING, 1, 1, 20000, struct complaint_body, content),
	NL_JFN("received_at", NL_J_STRING, 0, 1, 40, struct complaint_body, received_at),
	NL_JFN("answer_deadline", NL_J_STRING, 0, 1, 40, struct complaint_body, answer_deadline),
};

struct step_body {
	int valid;
	const char *text;
};

static const struct nl_jfield verify_fields[] = {
	NL_JF("valid", NL_J_BOOL, 1, 0, 0, struct step_body, valid),
	NL_JF("findings", NL_J_STRING, 1, 1, 20000, struct step_body, text),
};
static const struct nl_jfield content_fields[] = {
	NL_JF("content", NL_J_STRING, 1, 1, 20000, struct step_body, text),
};
static const struct nl_jfield archive_fields[] = {
	NL_JF("note", NL_J_TEXT, 0, 0, 2000, struct step_body, text),
};
static const struct nl_jfield reopen_fields[] = {
	NL_JF("reason", NL_J_STRING, 1, 1, 2000, struct step_body, text),
};

int api_complaints_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_complaint_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)) ||
		(rc = req_query_int(r, "customer_id", 1, INT64_MAX, 0, &f.customer_id)) ||
		(rc = req_query_int(r, "partner_id", 1, INT64_MAX, 0, &f.partner_id)) ||
		(rc = req_query_date(r, "from", &f.from)) || (rc = req_query_date(r, "to", &f.to)))
		return rc;
	const char *s = req_query(r, "status");
	f.status = s && *s ? s : NULL;
	s = req_query(r, "category");
	f.category = s && *s ? s : NULL;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = complaint_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_complaints_create(struct nl_req *r)
{
	struct complaint_body b = { 0 };
	json_t *out;
	int rc = req_body(r, complaint_create_fields, NL_ARRAY_LEN(complaint_create_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_complaint_input in = { .channel = b.channel, .customer_id = b.customer_id, .ticket_id = b.ticket_id,
		.partner_id = b.partner_id, .department_id = b.department_id, .category = b.category, .content = b.content,
		.received_at = b.received_at, .answer_deadline = b.answer_deadline };
	if ((rc = complaint_register(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_complaints_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = complaint_get(&r->ctx, id, 1, &out)))
		return rc;
	return reply_json(r, 200, out);
}

/* Parses the id and the body of a step into *id and *b. */
static int step_parse(struct nl_req *r, const struct nl_jfield *fields, size_t n, int64_t *id, struct step_body *b)
{
	int rc = req_param_id(r, "id", id);
	if (rc)
		return rc;
	return req_body(r, fields, n, b, NULL);
}

int api_complaints_verify(struct nl_req *r)
{
	int64_t id;
	struct step_body b = { 0 };
	json_t *out;
	int rc = step_parse(r, verify_fields, NL_ARRAY_LEN(verify_fields), &id, &b);
	if (rc || (rc = complaint_verify(&r->ctx, id, b.valid, b.text, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_complaints_answer(struct nl_req *r)
{
	int64_t id;
	struct step_body b = { 0 };
	json_t *out;
	int rc = step_parse(r, content_fields, NL_ARRAY_LEN(content_fields), &id, &b);
	if (rc || (rc = complaint_answer(&r->ctx, id, b.text, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_complaints_rectify(struct nl_req *r)
{
	int64_t id;
	struct step_body b = { 0 };
	json_t *out;
	int rc = step_parse(r, content_fields, NL_ARRAY_LEN(content_fields), &id, &b);
	if (rc || (rc = complaint_rectify(&r->ctx, id, b.text, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_complaints_archive(struct nl_req *r)
{
	int64_t id;
	struct step_body b = { 0 };
	json_t *out;
	int rc = step_parse(r, archive_fields, NL_ARRAY_LEN(archive_fields), &id, &b);
	if (rc || (rc = complaint_archive(&r->ctx, id, b.text, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_complaints_reopen(struct nl_req *r)
{
	int64_t id;
	struct step_body b = { 0 };
	json_t *out;
	int rc = step_parse(r, reopen_fields, NL_ARRAY_LEN(reopen_fields), &id, &b);
	if (rc || (rc = complaint_reopen(&r->ctx, id, b.text, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_complaints_analysis(struct nl_req *r)
{
	struct nl_complaint_analysis_query q = { 0 };
	json_t *out;
	int rc = req_query_date(r, "from", &q.from);
	if (rc || (rc = req_query_date(r, "to", &q.to)) ||
		(rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &q.department_id)))
		return rc;
	if (!q.from)
		return nl_fail(&r->err, NL_EINVAL, "from", "from (YYYY-MM-DD) is required.");
	if (!q.to)
		return nl_fail(&r->err, NL_EINVAL, "to", "to (YYYY-MM-DD) is required.");
	const char *period = req_query(r, "period");
	q.kind = NL_PERIOD_MONTH;
	if (period && *period && period_frequency_parse(period, &q.kind))
		return nl_fail(&r->err, NL_EINVAL, "period", "period must be month, quarter or year.");
	if ((rc = complaint_analysis(&r->ctx, &q, &out)))
		return rc;
	return reply_json(r, 200, out);
}
