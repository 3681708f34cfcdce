/* task.c — department work items, their progress history, quality's checks and the tracking view (cycle/task.h).
 * Reads the plans room's tables (plans, plan_items) and the metrics room's (metrics) with its own SQL to validate
 * links. Timing (overdue, delay_days, outcome) is derived on read with rules_work_timing against cycle_today(). */
#include "cycle/task.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/json.h"
#include "cycle/rules.h"
#include "cycle/today.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

/* The columns of a work item, with its department's and owner's names and the linked plan item's / metric's keys. */
#define TASK_SELECT \
	"SELECT t.id, t.year, t.department_id, d.name, t.title, t.plan_item_id, pi.area, t.metric_id, m.code," \
	" COALESCE(pi.element, m.element), t.owner_user_id, u.display_name, t.planned_start, t.planned_end, t.actual_end," \
	" t.deliverable, t.status, t.percent, t.created_by, t.created_at, t.updated_at" \
	" FROM tasks t JOIN departments d ON d.id = t.department_id" \
	" LEFT JOIN plan_items pi ON pi.id = t.plan_item_id LEFT JOIN metrics m ON m.id = t.metric_id" \
	" LEFT JOIN users u ON u.id = t.owner_user_id"

#define CHECK_SELECT \
	"SELECT c.id, c.task_id, c.checked_on, c.finding, c.deviation_reason, c.corrective_action, c.due_date," \
	" c.checker_user_id, cu.display_name, c.verified, c.verified_by, vu.display_name, c.verified_at, c.created_at" \
	" FROM task_checks c LEFT JOIN users cu ON cu.id = c.checker_user_id LEFT JOIN users vu ON vu.id = c.verified_by"

#define PROGRESS_SELECT \
	"SELECT p.id, p.task_id, p.percent, p.status, p.note, p.evidence, p.reported_by, u.display_name, p.reported_at" \
	" FROM task_progress p LEFT JOIN users u ON u.id = p.reported_by"

/* The SQL twin of rules_work_timing's "overdue" (open and planned_end < today), for list filters. */
#define OVERDUE_SQL "(t.status IN ('not_started', 'in_progress', 'delayed') AND t.planned_end < $6)"

/* A page of "no limit". */
#define TASK_NO_LIMIT 100000000

static void bind_id(struct nl_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		stmt_bind_int64(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

static int64_t actor_id(const struct nl_ctx *ctx)
{
	return ctx->actor ? ctx->actor->id : 0;
}

/* Today as a date and as text. */
static int today_get(struct nl_ctx *ctx, struct nl_date *d, char s[NL_DATE_STRLEN])
{
	int rc = cycle_today(ctx, d);
	if (rc)
		return rc;
	if (date_format(*d, s))
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "Today's date is out of range.");
	return 0;
}

/* Adds overdue, delay_days and outcome to a work item object from its status and dates. */
static void task_timing(json_t *o, struct nl_date today)
{
	enum nl_work_status s;
	struct nl_date pend, aend;
	struct nl_work_timing t = { 0, 0, 0, NL_WORK_OUTCOME_OPEN };
	const char *ae = json_string_value(json_object_get(o, "actual_end"));
	int has_ae = ae && date_parse(ae, &aend) == 0;
	if (rules_work_status_parse(json_string_value(json_object_get(o, "status")), &s) == 0 &&
		date_parse(json_string_value(json_object_get(o, "planned_end")), &pend) == 0) {
		if (rules_work_timing(s, pend, has_ae ? &aend : NULL, today, &t) != 0)
			t = (struct nl_work_timing){ 0, 0, 0, NL_WORK_OUTCOME_OPEN };
	}
	json_set_bool(o, "overdue", t.overdue);
	json_set_int(o, "delay_days", t.delay_days);
	json_set_str(o, "outcome", rules_work_outcome_name(t.outcome));
}

static json_t *task_row(struct nl_stmt *st, struct nl_date today)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "year", stmt_column_int64(st, 1));
	json_set_int(o, "department_id", stmt_column_int64(st, 2));
	json_set_str(o, "department", stmt_column_text(st, 3));
	json_set_str(o, "title", stmt_column_text(st, 4));
	json_set_id(o, "plan_item_id", stmt_column_int64(st, 5));
	json_set_str(o, "plan_item_area", stmt_column_text(st, 6));
	json_set_id(o, "metric_id", stmt_column_int64(st, 7));
	json_set_str(o, "metric_code", stmt_column_text(st, 8));
	json_set_str(o, "element", stmt_column_text(st, 9));
	json_set_id(o, "owner_user_id", stmt_column_int64(st, 10));
	json_set_str(o, "owner", stmt_column_text(st, 11));
	json_set_str(o, "planned_start", stmt_column_text(st, 12));
	json_set_str(o, "planned_end", stmt_column_text(st, 13));
	json_set_str(o, "actual_end", stmt_column_text(st, 14));
	json_set_str(o, "deliverable", stmt_column_text(st, 15));
	json_set_str(o, "status", stmt_column_text(st, 16));
	json_set_int(o, "percent", stmt_column_int64(st, 17));
	json_set_id(o, "created_by", stmt_column_int64(st, 18));
	json_set_str(o, "created_at", stmt_column_text(st, 19));
	json_set_str(o, "updated_at", stmt_column_text(st, 20));
	task_timing(o, today);
	return o;
}

static json_t *check_row(struct nl_stmt *st, const char *today)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "task_id", stmt_column_int64(st, 1));
	json_set_str(o, "checked_on", stmt_column_text(st, 2));
	json_set_str(o, "finding", stmt_column_text(st, 3));
	json_set_str(o, "deviation_reason", stmt_column_text(st, 4));
	json_set_str(o, "corrective_action", stmt_column_text(st, 5));
	json_set_str(o, "due_date", stmt_column_text(st, 6));
	json_set_id(o, "checker_user_id", stmt_column_int64(st, 7));
	json_set_str(o, "checker", stmt_column_text(st, 8));
	int verified = stmt_column_int64(st, 9) != 0;
	json_set_bool(o, "verified", verified);
	json_set_id(o, "verified_by", stmt_column_int64(st, 10));
	json_set_str(o, "verifier", stmt_column_text(st, 11));
	json_set_str(o, "verified_at", stmt_column_text(st, 12));
	json_set_str(o, "created_at", stmt_column_text(st, 13));
	const char *due = stmt_column_text(st, 6);
	/* YYYY-MM-DD strings order like the dates they name. */
	json_set_bool(o, "overdue", !verified && due && strcmp(due, today) < 0);
	return o;
}

static json_t *progress_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "task_id", stmt_column_int64(st, 1));
	json_set_int(o, "percent", stmt_column_int64(st, 2));
	json_set_str(o, "status", stmt_column_text(st, 3));
	json_set_str(o, "note", stmt_column_text(st, 4));
	json_set_str(o, "evidence", stmt_column_text(st, 5));
	json_set_id(o, "reported_by", stmt_column_int64(st, 6));
	json_set_str(o, "reporter", stmt_column_text(st, 7));
	json_set_str(o, "reported_at", stmt_column_text(st, 8));
	return o;
}

/* The index in ids[0..n) (ascending) of id, or -1. */
static long id_index(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return (long)mid;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Adds latest_progress, checks and open_checks to each item of `items` (ordered by ascending id), with two queries
 * over the page's id range. */
static int attach_details(struct nl_ctx *ctx, json_t *items, const char *today)
{
	size_t n = json_array_size(items), i;
	json_t *o;
	struct nl_stmt *st = NULL;
	int rc = 0;
	if (n == 0)
		return 0;
	int64_t *ids = calloc(n, sizeof *ids);
	if (!ids)
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	json_array_foreach(items, i, o) {
		ids[i] = json_integer_value(json_object_get(o, "id"));
		json_object_set_new(o, "latest_progress", json_null());
		json_object_set_new(o, "checks", json_array());
		json_set_int(o, "open_checks", 0);
	}
	if ((rc = db_prepare(ctx->db, PROGRESS_SELECT " WHERE p.task_id >= $1 AND p.task_id <= $2"
				      " AND p.id = (SELECT MAX(p2.id) FROM task_progress p2 WHERE p2.task_id = p.task_id)", &st)))
		goto out;
	stmt_bind_int64(st, 1, ids[0]);
	stmt_bind_int64(st, 2, ids[n - 1]);
	while ((rc = stmt_step(st)) == 1) {
		long k = id_index(ids, n, stmt_column_int64(st, 1));
		if (k >= 0)
			json_object_set_new(json_array_get(items, (size_t)k), "latest_progress", progress_row(st));
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	if ((rc = db_prepare(ctx->db, CHECK_SELECT " WHERE c.task_id >= $1 AND c.task_id <= $2 ORDER BY c.task_id, c.id", &st)))
		goto out;
	stmt_bind_int64(st, 1, ids[0]);
	stmt_bind_int64(st, 2, ids[n - 1]);
	while ((rc = stmt_step(st)) == 1) {
		long k = id_index(ids, n, stmt_column_int64(st, 1));
		if (k < 0)
			continue;
		json_t *item = json_array_get(items, (size_t)k);
		json_array_append_new(json_object_get(item, "checks"), check_row(st, today));
		if (!stmt_column_int64(st, 9))
			json_set_int(item, "open_checks", json_integer_value(json_object_get(item, "open_checks")) + 1);
	}
	stmt_done(st);
	rc = rc < 0 ? rc : 0;
out:
	free(ids);
	return rc;
}

/* The whole progress history of one item, oldest first. */
static int progress_history(struct nl_ctx *ctx, int64_t task_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, PROGRESS_SELECT " WHERE p.task_id = $1 ORDER BY p.id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, task_id);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, progress_row(st));
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int task_get(struct nl_ctx *ctx, int64_t id, int details, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	json_t *o = NULL, *hist = NULL;
	*out = NULL;
	int rc = today_get(ctx, &today, today_s);
	if (rc || (rc = db_prepare(ctx->db, TASK_SELECT " WHERE t.id = $1", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		o = task_row(st, today);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No work item with id %lld.", (long long)id);
	if (rc < 0)
		return rc;
	rc = 0;
	if (details) {
		json_t *one = json_array();
		json_array_append(one, o);
		rc = attach_details(ctx, one, today_s);
		json_decref(one);
		if (!rc && !(rc = progress_history(ctx, id, &hist)))
			json_object_set_new(o, "progress", hist);
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int task_list(struct nl_ctx *ctx, const struct nl_task_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	enum nl_work_status ws;
	*items = NULL;
	*next = 0;
	if (f->status && rules_work_status_parse(f->status, &ws))
		return nl_fail(ctx->err, NL_EINVAL, "status",
			"status must be one of not_started, in_progress, done, delayed, cancelled.");
	int rc = today_get(ctx, &today, today_s);
	if (rc)
		return rc;
	if ((rc = db_prepare(ctx->db, TASK_SELECT " WHERE t.id > $1 AND ($2 = 0 OR t.year = $2)"
				      " AND (CAST($3 AS BIGINT) = 0 OR t.department_id = CAST($3 AS BIGINT))"
				      " AND (CAST($4 AS TEXT) = '' OR t.status = CAST($4 AS TEXT))"
				      " AND ($5 < 0 OR ($5 = 1 AND " OVERDUE_SQL ") OR ($5 = 0 AND NOT " OVERDUE_SQL "))"
				      " AND (CAST($7 AS BIGINT) = 0 OR t.owner_user_id = CAST($7 AS BIGINT))"
				      " ORDER BY t.id LIMIT $8", &st)))
		return rc;
	int64_t limit = f->limit > 0 ? f->limit : TASK_NO_LIMIT;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_int64(st, 2, f->year);
	stmt_bind_int64(st, 3, f->department_id);
	stmt_bind_text(st, 4, f->status ? f->status : "");
	stmt_bind_int64(st, 5, f->overdue < 0 ? -1 : f->overdue ? 1 : 0);
	stmt_bind_text(st, 6, today_s);
	stmt_bind_int64(st, 7, f->owner_user_id);
	stmt_bind_int64(st, 8, limit + 1);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 0);
		json_array_append_new(arr, task_row(st, today));
	}
	stmt_done(st);
	if (rc >= 0 && f->details)
		rc = attach_details(ctx, arr, today_s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* Runs a one-row existence query with up to two integer parameters (b ignored when the SQL has only $1). */
static int row_exists(struct nl_ctx *ctx, const char *sql, int64_t a, int64_t b, int nparams, int *found)
{
	struct nl_stmt *st = NULL;
	*found = 0;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, a);
	if (nparams > 1)
		stmt_bind_int64(st, 2, b);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		return rc;
	*found = rc == 1;
	return 0;
}

static int date_field(struct nl_ctx *ctx, const char *s, const char *field, struct nl_date *out)
{
	if (!s || date_parse(s, out) != 0)
		return nl_fail(ctx->err, NL_EVALID, field, "%s must be a calendar date YYYY-MM-DD.", field);
	return 0;
}

/* Validates a whole work item (the merged one, for a PATCH) against the rules of task_create. */
static int task_validate(struct nl_ctx *ctx, const struct nl_task_input *in)
{
	struct nl_date start, end;
	int found, rc;
	if (!in->title || !*in->title)
		return nl_fail(ctx->err, NL_EVALID, "title", "title must not be empty.");
	if (in->year < NL_DATE_MIN_YEAR || in->year > NL_DATE_MAX_YEAR)
		return nl_fail(ctx->err, NL_EVALID, "year", "year must be between %d and %d.", NL_DATE_MIN_YEAR, NL_DATE_MAX_YEAR);
	if ((rc = row_exists(ctx, "SELECT 1 FROM departments WHERE id = $1", in->department_id, 0, 1, &found)))
		return rc;
	if (!found)
		return nl_fail(ctx->err, NL_EVALID, "department_id", "No department with id %lld.", (long long)in->department_id);
	if ((rc = date_field(ctx, in->planned_start, "planned_start", &start)) ||
		(rc = date_field(ctx, in->planned_end, "planned_end", &end)))
		return rc;
	if (date_cmp(end, start) < 0)
		return nl_fail(ctx->err, NL_EVALID, "planned_end", "planned_end must not be before planned_start.");
	if (start.y != in->year)
		return nl_fail(ctx->err, NL_EVALID, "planned_start", "planned_start must fall in the year %lld.", (long long)in->year);
	if (in->plan_item_id > 0) {
		if ((rc = row_exists(ctx, "SELECT 1 FROM plan_items pi JOIN plans p ON p.id = pi.plan_id"
					  " WHERE pi.id = $1 AND p.year = $2", in->plan_item_id, in->year, 2, &found)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "plan_item_id", "Plan item %lld is not an item of the %lld plan.",
				(long long)in->plan_item_id, (long long)in->year);
	}
	if (in->metric_id > 0) {
		if ((rc = row_exists(ctx, "SELECT 1 FROM metrics WHERE id = $1 AND year = $2", in->metric_id, in->year, 2, &found)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "metric_id", "Metric %lld is not a metric of %lld.",
				(long long)in->metric_id, (long long)in->year);
	}
	if (in->owner_user_id > 0) {
		if ((rc = row_exists(ctx, "SELECT 1 FROM users WHERE id = $1 AND department_id = $2 AND active = 1",
			     in->owner_user_id, in->department_id, 2, &found)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "owner_user_id",
				"The owner must be an active user of the work item's department.");
	}
	return 0;
}

static int scope_check(struct nl_ctx *ctx, const char *action, int64_t department_id)
{
	if (ctx->actor && !policy_scope_allows(ctx->actor, action, department_id))
		return nl_fail(ctx->err, NL_EFORBIDDEN, NULL, "You may change only your own department's work items.");
	return 0;
}

/* Ends a write transaction and, on failure, drops *out. */
static int write_end(struct nl_ctx *ctx, int rc, json_t **out)
{
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int task_create(struct nl_ctx *ctx, const struct nl_task_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	char at[24];
	int64_t id = 0;
	*out = NULL;
	int rc = scope_check(ctx, "task.write", in->department_id);
	if (rc || (rc = task_validate(ctx, in)))
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO tasks (year, department_id, title, plan_item_id, metric_id, owner_user_id,"
				      " planned_start, planned_end, deliverable, status, percent, created_by, created_at, updated_at)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'not_started', 0, $10, $11, $11) RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, in->year);
	stmt_bind_int64(st, 2, in->department_id);
	stmt_bind_text(st, 3, in->title);
	bind_id(st, 4, in->plan_item_id);
	bind_id(st, 5, in->metric_id);
	bind_id(st, 6, in->owner_user_id);
	stmt_bind_text(st, 7, in->planned_start);
	stmt_bind_text(st, 8, in->planned_end);
	stmt_bind_text(st, 9, in->deliverable ? in->deliverable : "");
	bind_id(st, 10, actor_id(ctx));
	stmt_bind_text(st, 11, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || (rc = task_get(ctx, id, 0, out)))
		goto out;
	rc = audit_append(ctx, "create", "task", id, NULL, *out);
out:
	return write_end(ctx, rc, out);
}

/* Copies the stored fields of a work item object into *in (strings borrowed from o). */
static void task_input_from(const json_t *o, struct nl_task_input *in)
{
	in->year = json_integer_value(json_object_get(o, "year"));
	in->department_id = json_integer_value(json_object_get(o, "department_id"));
	in->title = json_string_value(json_object_get(o, "title"));
	in->plan_item_id = json_integer_value(json_object_get(o, "plan_item_id"));
	in->metric_id = json_integer_value(json_object_get(o, "metric_id"));
	in->owner_user_id = json_integer_value(json_object_get(o, "owner_user_id"));
	in->planned_start = json_string_value(json_object_get(o, "planned_start"));
	in->planned_end = json_string_value(json_object_get(o, "planned_end"));
	in->deliverable = json_string_value(json_object_get(o, "deliverable"));
}

int task_update(struct nl_ctx *ctx, int64_t id, const struct nl_task_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_task_input m;
	json_t *before = NULL;
	enum nl_work_status ws;
	char at[24];
	*out = NULL;
	int rc = task_get(ctx, id, 0, &before);
	if (rc)
		return rc;
	task_input_from(before, &m);
	if ((rc = scope_check(ctx, "task.write", m.department_id)))
		goto done;
	if (rules_work_status_parse(json_string_value(json_object_get(before, "status")), &ws) == 0 &&
		!rules_work_status_open(ws)) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "A %s work item cannot be changed; report progress to reopen it first.",
			rules_work_status_name(ws));
		goto done;
	}
	if (!set) {
		/* nothing to change: the item as it is, nothing written */
		*out = before;
		return 0;
	}
	if (set & NL_TASK_SET_TITLE)
		m.title = in->title;
	if (set & NL_TASK_SET_OWNER)
		m.owner_user_id = in->owner_user_id;
	if (set & NL_TASK_SET_START)
		m.planned_start = in->planned_start;
	if (set & NL_TASK_SET_END)
		m.planned_end = in->planned_end;
	if (set & NL_TASK_SET_DELIVERABLE)
		m.deliverable = in->deliverable;
	if (set & NL_TASK_SET_PLAN_ITEM)
		m.plan_item_id = in->plan_item_id;
	if (set & NL_TASK_SET_METRIC)
		m.metric_id = in->metric_id;
	/* The stored links of another year can't stay valid by accident: validate the merged item as a whole. */
	if ((rc = task_validate(ctx, &m)))
		goto done;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		goto done;
	if ((rc = db_prepare(ctx->db, "UPDATE tasks SET title = $2, plan_item_id = $3, metric_id = $4, owner_user_id = $5,"
				      " planned_start = $6, planned_end = $7, deliverable = $8, updated_at = $9 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, m.title);
	bind_id(st, 3, m.plan_item_id);
	bind_id(st, 4, m.metric_id);
	bind_id(st, 5, m.owner_user_id);
	stmt_bind_text(st, 6, m.planned_start);
	stmt_bind_text(st, 7, m.planned_end);
	stmt_bind_text(st, 8, m.deliverable ? m.deliverable : "");
	stmt_bind_text(st, 9, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = task_get(ctx, id, 0, out)))
		goto out;
	rc = audit_append(ctx, "update", "task", id, before, *out);
out:
	rc = write_end(ctx, rc, out);
done:
	json_decref(before);
	return rc;
}

int task_progress_add(struct nl_ctx *ctx, int64_t task_id, const struct nl_progress_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN], at[24];
	enum nl_work_status ws, cur;
	json_t *before = NULL, *after = NULL, *audit_after = NULL;
	int64_t pid = 0;
	*out = NULL;
	int rc = task_get(ctx, task_id, 0, &before);
	if (rc)
		return rc;
	int64_t dept = json_integer_value(json_object_get(before, "department_id"));
	int64_t owner = json_integer_value(json_object_get(before, "owner_user_id"));
	if (ctx->actor && !(owner > 0 && ctx->actor->id == owner) && !policy_scope_allows(ctx->actor, "task.progress", dept)) {
		rc = nl_fail(ctx->err, NL_EFORBIDDEN, NULL, "Only the owner, the department or a planner may report progress.");
		goto done;
	}
	if (!in->status || rules_work_status_parse(in->status, &ws)) {
		rc = nl_fail(ctx->err, NL_EVALID, "status", "status must be one of not_started, in_progress, done, delayed, cancelled.");
		goto done;
	}
	if (rules_work_status_parse(json_string_value(json_object_get(before, "status")), &cur))
		cur = NL_WORK_NOT_STARTED;
	if (ws == cur && (ws == NL_WORK_DONE || ws == NL_WORK_CANCELLED)) {
		rc = nl_fail(ctx->err, NL_ESTATE, "status", "The work item is %s already.", rules_work_status_name(ws));
		goto done;
	}
	if (in->has_percent && (in->percent < 0 || in->percent > 100)) {
		rc = nl_fail(ctx->err, NL_EVALID, "percent", "percent must be between 0 and 100.");
		goto done;
	}
	int64_t percent = in->has_percent ? in->percent : json_integer_value(json_object_get(before, "percent"));
	if (ws == NL_WORK_DONE) {
		if (in->has_percent && in->percent != 100) {
			rc = nl_fail(ctx->err, NL_EVALID, "percent", "A done work item is 100 percent complete.");
			goto done;
		}
		percent = 100;
	} else if (ws == NL_WORK_NOT_STARTED) {
		if (in->has_percent && in->percent != 0) {
			rc = nl_fail(ctx->err, NL_EVALID, "percent", "A work item not started is 0 percent complete.");
			goto done;
		}
		percent = 0;
	}
	if ((rc = today_get(ctx, &today, today_s)))
		goto done;
	const char *actual_end = ws == NL_WORK_DONE ? today_s : NULL;
	if (in->actual_end) {
		struct nl_date ae, start;
		if (ws != NL_WORK_DONE) {
			rc = nl_fail(ctx->err, NL_EVALID, "actual_end", "actual_end is given only with the status done.");
			goto done;
		}
		if ((rc = date_field(ctx, in->actual_end, "actual_end", &ae)))
			goto done;
		if (date_cmp(ae, today) > 0) {
			rc = nl_fail(ctx->err, NL_EVALID, "actual_end", "actual_end must not be after today (%s).", today_s);
			goto done;
		}
		if (date_parse(json_string_value(json_object_get(before, "planned_start")), &start) == 0 && date_cmp(ae, start) < 0) {
			rc = nl_fail(ctx->err, NL_EVALID, "actual_end", "actual_end must not be before planned_start.");
			goto done;
		}
		actual_end = in->actual_end;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		goto done;
	if ((rc = db_prepare(ctx->db, "INSERT INTO task_progress (task_id, percent, status, note, evidence, reported_by,"
				      " reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, task_id);
	stmt_bind_int64(st, 2, percent);
	stmt_bind_text(st, 3, rules_work_status_name(ws));
	stmt_bind_text(st, 4, in->note ? in->note : "");
	stmt_bind_text(st, 5, in->evidence ? in->evidence : "");
	bind_id(st, 6, actor_id(ctx));
	stmt_bind_text(st, 7, at);
	rc = stmt_step(st);
	pid = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE tasks SET status = $2, percent = $3, actual_end = $4, updated_at = $5"
				      " WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, task_id);
	stmt_bind_text(st, 2, rules_work_status_name(ws));
	stmt_bind_int64(st, 3, percent);
	stmt_bind_text(st, 4, actual_end);
	stmt_bind_text(st, 5, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = task_get(ctx, task_id, 1, &after)))
		goto out;
	/* The audit row holds the item and its new latest report, not the whole history of reports (which would
	 * make each row as long as all earlier ones together: found by tests/load). */
	audit_after = json_copy(after);
	json_object_del(audit_after, "progress");
	if ((rc = audit_append(ctx, "progress", "task", task_id, before, audit_after)))
		goto out;
	/* The created progress row is the item's latest one. */
	*out = json_deep_copy(json_object_get(after, "latest_progress"));
	if (!*out || json_integer_value(json_object_get(*out, "id")) != pid) {
		rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, "The progress report was not read back.");
		goto out;
	}
	json_object_set_new(*out, "task", after);
	after = NULL;
out:
	rc = write_end(ctx, rc, out);
done:
	json_decref(before);
	json_decref(after);
	json_decref(audit_after);
	return rc;
}

static int check_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	*out = NULL;
	int rc = today_get(ctx, &today, today_s);
	if (rc || (rc = db_prepare(ctx->db, CHECK_SELECT " WHERE c.id = $1", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = check_row(st, today_s);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No check with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

/* Validates a check's dates: checked_on not after today, due_date (optional) not before checked_on. */
static int check_dates(struct nl_ctx *ctx, const char *checked_on, const char *due_date)
{
	struct nl_date on, due, today;
	char today_s[NL_DATE_STRLEN];
	int rc = date_field(ctx, checked_on, "checked_on", &on);
	if (rc || (rc = today_get(ctx, &today, today_s)))
		return rc;
	if (date_cmp(on, today) > 0)
		return nl_fail(ctx->err, NL_EVALID, "checked_on", "checked_on must not be after today (%s).", today_s);
	if (due_date) {
		if ((rc = date_field(ctx, due_date, "due_date", &due)))
			return rc;
		if (date_cmp(due, on) < 0)
			return nl_fail(ctx->err, NL_EVALID, "due_date", "due_date must not be before checked_on.");
	}
	return 0;
}

int task_check_add(struct nl_ctx *ctx, int64_t task_id, const struct nl_check_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *task = NULL;
	char at[24];
	int64_t id = 0;
	*out = NULL;
	int rc = task_get(ctx, task_id, 0, &task);
	json_decref(task);
	if (rc)
		return rc;
	if (!in->finding || !*in->finding)
		return nl_fail(ctx->err, NL_EVALID, "finding", "finding must not be empty.");
	if ((rc = check_dates(ctx, in->checked_on, in->due_date)))
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO task_checks (task_id, checked_on, finding, deviation_reason,"
				      " corrective_action, due_date, checker_user_id, verified, created_at)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8) RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, task_id);
	stmt_bind_text(st, 2, in->checked_on);
	stmt_bind_text(st, 3, in->finding);
	stmt_bind_text(st, 4, in->deviation_reason ? in->deviation_reason : "");
	stmt_bind_text(st, 5, in->corrective_action ? in->corrective_action : "");
	stmt_bind_text(st, 6, in->due_date);
	bind_id(st, 7, actor_id(ctx));
	stmt_bind_text(st, 8, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || (rc = check_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "task_check", id, NULL, *out);
out:
	return write_end(ctx, rc, out);
}

int task_check_update(struct nl_ctx *ctx, int64_t check_id, const struct nl_check_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	char at[24];
	*out = NULL;
	int rc = check_get(ctx, check_id, &before);
	if (rc)
		return rc;
	if (json_is_true(json_object_get(before, "verified"))) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "The check is verified; it can no longer be changed.");
		goto done;
	}
	if ((set & NL_CHECK_SET_VERIFIED) && !in->verified) {
		rc = nl_fail(ctx->err, NL_EVALID, "verified", "verified can only be set to true.");
		goto done;
	}
	const char *checked_on = (set & NL_CHECK_SET_CHECKED_ON) ? in->checked_on
								  : json_string_value(json_object_get(before, "checked_on"));
	const char *due = (set & NL_CHECK_SET_DUE) ? in->due_date : json_string_value(json_object_get(before, "due_date"));
	if ((set & NL_CHECK_SET_FINDING) && (!in->finding || !*in->finding)) {
		rc = nl_fail(ctx->err, NL_EVALID, "finding", "finding must not be empty.");
		goto done;
	}
	if ((set & (NL_CHECK_SET_CHECKED_ON | NL_CHECK_SET_DUE)) && (rc = check_dates(ctx, checked_on, due)))
		goto done;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		goto done;
	if ((rc = db_prepare(ctx->db,
		     "UPDATE task_checks SET checked_on = $2,"
		     " finding = CASE WHEN $3 = 1 THEN CAST($4 AS TEXT) ELSE finding END,"
		     " deviation_reason = CASE WHEN $5 = 1 THEN CAST($6 AS TEXT) ELSE deviation_reason END,"
		     " corrective_action = CASE WHEN $7 = 1 THEN CAST($8 AS TEXT) ELSE corrective_action END,"
		     " due_date = $9,"
		     " verified = CASE WHEN $10 = 1 THEN 1 ELSE verified END,"
		     " verified_by = CASE WHEN $10 = 1 THEN CAST($11 AS BIGINT) ELSE verified_by END,"
		     " verified_at = CASE WHEN $10 = 1 THEN CAST($12 AS TEXT) ELSE verified_at END"
		     " WHERE id = $1 AND verified = 0", &st)))
		goto out;
	stmt_bind_int64(st, 1, check_id);
	stmt_bind_text(st, 2, checked_on);
	stmt_bind_int64(st, 3, (set & NL_CHECK_SET_FINDING) ? 1 : 0);
	stmt_bind_text(st, 4, in->finding ? in->finding : "");
	stmt_bind_int64(st, 5, (set & NL_CHECK_SET_REASON) ? 1 : 0);
	stmt_bind_text(st, 6, in->deviation_reason ? in->deviation_reason : "");
	stmt_bind_int64(st, 7, (set & NL_CHECK_SET_ACTION) ? 1 : 0);
	stmt_bind_text(st, 8, in->corrective_action ? in->corrective_action : "");
	stmt_bind_text(st, 9, due);
	stmt_bind_int64(st, 10, (set & NL_CHECK_SET_VERIFIED) ? 1 : 0);
	bind_id(st, 11, actor_id(ctx));
	stmt_bind_text(st, 12, at);
	rc = stmt_step(st);
	int64_t changed = stmt_changes(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (changed != 1) {
		/* verified by someone else since we read it */
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "The check is verified; it can no longer be changed.");
		goto out;
	}
	if ((rc = check_get(ctx, check_id, out)))
		goto out;
	rc = audit_append(ctx, (set & NL_CHECK_SET_VERIFIED) ? "verify" : "update", "task_check", check_id, before, *out);
out:
	rc = write_end(ctx, rc, out);
done:
	json_decref(before);
	return rc;
}
