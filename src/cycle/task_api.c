/* task_api.c — HTTP handlers for work items (POST/GET/PATCH /tasks), progress, quality's checks and the tracking
 * view: parse → domain (cycle/task.h) → reply. */
#include "cycle/task_api.h"

#include "cycle/task.h"
#include "http/http.h"
#include "http/rowver.h"

#include <string.h>

#include "core/common.h"

static const char *const work_statuses[] = { "not_started", "in_progress", "done", "delayed", "cancelled", NULL };

struct task_body {
	int64_t year, department_id, plan_item_id, metric_id, owner_user_id;
	const char *title, *planned_start, *planned_end, *deliverable;
};

static const struct nl_jfield task_create_fields[] = {
	NL_JF("year", NL_J_INT, 1, 1900, 9999, struct task_body, year),
	NL_JF("department_id", NL_J_ID, 1, 0, 0, struct task_body, department_id),
	NL_JF("title", NL_J_STRING, 1, 1, 200, struct task_body, title),
	NL_JFN("plan_item_id", NL_J_ID, 0, 0, 0, struct task_body, plan_item_id),
	NL_JFN("metric_id", NL_J_ID, 0, 0, 0, struct task_body, metric_id),
	NL_JFN("owner_user_id", NL_J_ID, 0, 0, 0, struct task_body, owner_user_id),
	NL_JF("planned_start", NL_J_DATE, 1, 0, 0, struct task_body, planned_start),
	NL_JF("planned_end", NL_J_DATE, 1, 0, 0, struct task_body, planned_end),
	NL_JF("deliverable", NL_J_TEXT, 0, 0, 2000, struct task_body, deliverable),
};

/* The order matters: bit i of `present` is NL_TASK_SET_* bit i. */
static const struct nl_jfield task_update_fields[] = {
	NL_JF("title", NL_J_STRING, 0, 1, 200, struct task_body, title),
	NL_JFN("owner_user_id", NL_J_ID, 0, 0, 0, struct task_body, owner_user_id),
	NL_JF("planned_start", NL_J_DATE, 0, 0, 0, struct task_body, planned_start),
	NL_JF("planned_end", NL_J_DATE, 0, 0, 0, struct task_body, planned_end),
	NL_JF("deliverable", NL_J_TEXT, 0, 0, 2000, struct task_body, deliverable),
	NL_JFN("plan_item_id", NL_J_ID, 0, 0, 0, struct task_body, plan_item_id),
	NL_JFN("metric_id", NL_J_ID, 0, 0, 0, struct task_body, metric_id),
};

/* Reads the list filters shared by GET /tasks and GET /tracking. */
static int task_filter_read(struct nl_req *r, struct nl_task_filter *f)
{
	struct nl_page p;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "year", 1900, 9999, 0, &f->year)) ||
		(rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f->department_id)) ||
		(rc = req_query_int(r, "owner_user_id", 1, INT64_MAX, 0, &f->owner_user_id)))
		return rc;
	const char *s = req_query(r, "status");
	f->status = s && *s ? s : NULL;
	const char *o = req_query(r, "overdue");
	if (o && strcmp(o, "true") != 0 && strcmp(o, "false") != 0)
		return nl_fail(&r->err, NL_EINVAL, "overdue", "overdue must be true or false.");
	f->overdue = !o ? -1 : !strcmp(o, "true");
	f->limit = p.limit;
	f->cursor = p.cursor;
	return 0;
}

int api_tasks_list(struct nl_req *r)
{
	struct nl_task_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = task_filter_read(r, &f);
	if (rc || (rc = task_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_tracking_get(struct nl_req *r)
{
	struct nl_task_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = task_filter_read(r, &f);
	if (rc)
		return rc;
	if (!f.year)
		return nl_fail(&r->err, NL_EINVAL, "year", "year is required: /api/v1/tracking?year=YYYY.");
	f.details = 1;
	if ((rc = task_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_tasks_create(struct nl_req *r)
{
	struct task_body b = { 0 };
	json_t *out;
	int rc = req_body(r, task_create_fields, NL_ARRAY_LEN(task_create_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_task_input in = { b.year, b.department_id, b.title, b.plan_item_id, b.metric_id, b.owner_user_id,
		b.planned_start, b.planned_end, b.deliverable };
	if ((rc = task_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_tasks_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "tasks", id, NULL)) || (rc = task_get(&r->ctx, id, 1, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_tasks_update(struct nl_req *r)
{
	struct task_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, task_update_fields, NL_ARRAY_LEN(task_update_fields), &b, &present)))
		return rc;
	struct nl_task_input in = { 0, 0, b.title, b.plan_item_id, b.metric_id, b.owner_user_id, b.planned_start,
		b.planned_end, b.deliverable };
	if ((rc = req_row_version(r, "tasks", id, NULL)) ||
		(rc = task_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

struct progress_body {
	int64_t percent;
	const char *status, *note, *evidence, *actual_end;
};

static const struct nl_jfield progress_fields[] = {
	NL_JF("percent", NL_J_INT, 0, 0, 100, struct progress_body, percent),
	NL_JFE("status", 1, work_statuses, struct progress_body, status),
	NL_JF("note", NL_J_TEXT, 0, 0, 4000, struct progress_body, note),
	NL_JF("evidence", NL_J_TEXT, 0, 0, 2000, struct progress_body, evidence),
	NL_JF("actual_end", NL_J_DATE, 0, 0, 0, struct progress_body, actual_end),
};

int api_tasks_progress(struct nl_req *r)
{
	struct progress_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, progress_fields, NL_ARRAY_LEN(progress_fields), &b, &present)))
		return rc;
	struct nl_progress_input in = { (present & 1) != 0, b.percent, b.status, b.note, b.evidence, b.actual_end };
	if ((rc = task_progress_add(&r->ctx, id, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

struct check_body {
	const char *checked_on, *finding, *deviation_reason, *corrective_action, *due_date;
	int verified;
};

static const struct nl_jfield check_create_fields[] = {
	NL_JF("checked_on", NL_J_DATE, 1, 0, 0, struct check_body, checked_on),
	NL_JF("finding", NL_J_STRING, 1, 1, 4000, struct check_body, finding),
	NL_JF("deviation_reason", NL_J_TEXT, 0, 0, 4000, struct check_body, deviation_reason),
	NL_JF("corrective_action", NL_J_TEXT, 0, 0, 4000, struct check_body, corrective_action),
	NL_JFN("due_date", NL_J_DATE, 0, 0, 0, struct check_body, due_date),
};

/* The order matters: bit i of `present` is NL_CHECK_SET_* bit i. */
static const struct nl_jfield check_update_fields[] = {
	NL_JF("checked_on", NL_J_DATE, 0, 0, 0, struct check_body, checked_on),
	NL_JF("finding", NL_J_STRING, 0, 1, 4000, struct check_body, finding),
	NL_JF("deviation_reason", NL_J_TEXT, 0, 0, 4000, struct check_body, deviation_reason),
	NL_JF("corrective_action", NL_J_TEXT, 0, 0, 4000, struct check_body, corrective_action),
	NL_JFN("due_date", NL_J_DATE, 0, 0, 0, struct check_body, due_date),
	NL_JF("verified", NL_J_BOOL, 0, 0, 0, struct check_body, verified),
};

int api_tasks_checks_create(struct nl_req *r)
{
	struct check_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, check_create_fields, NL_ARRAY_LEN(check_create_fields), &b, NULL)))
		return rc;
	struct nl_check_input in = { b.checked_on, b.finding, b.deviation_reason, b.corrective_action, b.due_date, 0 };
	if ((rc = task_check_add(&r->ctx, id, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_checks_update(struct nl_req *r)
{
	struct check_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, check_update_fields, NL_ARRAY_LEN(check_update_fields), &b, &present)))
		return rc;
	if (!present)
		return nl_fail(&r->err, NL_EVALID, NULL, "Nothing to change: send verified or a field of the check.");
	struct nl_check_input in = { b.checked_on, b.finding, b.deviation_reason, b.corrective_action, b.due_date, b.verified };
	if ((rc = req_row_version(r, "task_checks", id, NULL)) ||
		(rc = task_check_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}
