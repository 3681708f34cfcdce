/* plan.c — the annual capability plan: creation (with the review prefilled from last year's finalized evaluation),
 * edits, items, review meetings, and the workflow draft → submitted → approved | rejected → ... → revise, with the
 * change history and the frozen snapshots of approved versions. The rules are in plan.h. */
#include "cycle/plan.h"
#include "org/org.h"
#include "cycle/today.h"

#include "approval/approval.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "cycle/catalogue.h"
#include "store/rows.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

/* What the workflow needs of a plan row. */
struct plan_state {
	int64_t id;
	int year;
	int64_t version;
	char status[16];
	int64_t submitted_by;
	int64_t approval_id;
	int64_t row_version;
	int64_t meeting_floor_id;
	char title[1024];   /* up to 200 characters */
};

#define PLAN_SELECT \
	"SELECT p.id, p.year, p.doc_number, p.title, p.version, p.status, p.review_achievements, p.review_problems," \
	" p.review_carryover, p.tracking_plan, p.tracking_frequency, p.tracking_checkpoints, p.tracker_user_id," \
	" tu.display_name, p.prepared_by, pu.display_name, p.submitted_by, su.display_name, p.submitted_at, p.approved_by," \
	" au.display_name, p.approved_at, p.approval_id, p.row_version, p.created_at, p.updated_at, p.meeting_floor_id" \
	" FROM plans p LEFT JOIN users tu ON tu.id = p.tracker_user_id LEFT JOIN users pu ON pu.id = p.prepared_by" \
	" LEFT JOIN users su ON su.id = p.submitted_by LEFT JOIN users au ON au.id = p.approved_by"

#define ITEM_SELECT \
	"SELECT i.id, i.plan_id, i.element, i.area, ca.name, ca.name_en, i.current_state, i.objective, i.measures," \
	" i.owner_department_id, d.name, i.owner_user_id, u.display_name, i.due_date, i.budget, i.sort, i.created_at," \
	" i.updated_at FROM plan_items i LEFT JOIN capability_areas ca ON ca.code = i.area" \
	" LEFT JOIN departments d ON d.id = i.owner_department_id LEFT JOIN users u ON u.id = i.owner_user_id"
#define ITEM_ORDER \
	" ORDER BY CASE i.element WHEN 'people' THEN 1 WHEN 'process' THEN 2 WHEN 'technology' THEN 3 ELSE 4 END," \
	" i.sort, i.id"

#define MEETING_SELECT \
	"SELECT m.id, m.plan_id, m.plan_version, m.held_on, m.attendees, m.minutes, m.decision, m.recorded_by," \
	" u.display_name, m.created_at FROM plan_meetings m LEFT JOIN users u ON u.id = m.recorded_by"

static int64_t actor_id(const struct nl_ctx *ctx)
{
	return ctx->actor ? ctx->actor->id : 0;
}

/* The name written to the change history: the actor's display name, else the user name, else the context's. */
static const char *actor_label(const struct nl_ctx *ctx)
{
	if (ctx->actor && ctx->actor->display_name[0])
		return ctx->actor->display_name;
	if (ctx->actor && ctx->actor->username[0])
		return ctx->actor->username;
	return ctx->actor_name ? ctx->actor_name : "system";
}

static void bind_id(struct nl_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		stmt_bind_int64(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

static int is_blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static int editable(const char *status)
{
	return !strcmp(status, "draft") || !strcmp(status, "rejected");
}

/* ---- reading ---- */

static json_t *plan_row_json(struct nl_stmt *st, struct plan_state *ps)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "year", stmt_column_int64(st, 1));
	json_set_str(o, "doc_number", stmt_column_text(st, 2));
	json_set_str(o, "title", stmt_column_text(st, 3));
	json_set_int(o, "version", stmt_column_int64(st, 4));
	json_set_str(o, "status", stmt_column_text(st, 5));
	json_set_str(o, "review_achievements", stmt_column_text(st, 6));
	json_set_str(o, "review_problems", stmt_column_text(st, 7));
	json_set_str(o, "review_carryover", stmt_column_text(st, 8));
	json_set_str(o, "tracking_plan", stmt_column_text(st, 9));
	json_set_str(o, "tracking_frequency", stmt_column_text(st, 10));
	json_set_str(o, "tracking_checkpoints", stmt_column_text(st, 11));
	json_set_id(o, "tracker_user_id", stmt_column_int64(st, 12));
	json_set_str(o, "tracker_name", stmt_column_text(st, 13));
	json_set_id(o, "prepared_by", stmt_column_int64(st, 14));
	json_set_str(o, "prepared_by_name", stmt_column_text(st, 15));
	json_set_id(o, "submitted_by", stmt_column_int64(st, 16));
	json_set_str(o, "submitted_by_name", stmt_column_text(st, 17));
	json_set_str(o, "submitted_at", stmt_column_text(st, 18));
	json_set_id(o, "approved_by", stmt_column_int64(st, 19));
	json_set_str(o, "approved_by_name", stmt_column_text(st, 20));
	json_set_str(o, "approved_at", stmt_column_text(st, 21));
	json_set_id(o, "approval_id", stmt_column_int64(st, 22));
	json_set_int(o, "row_version", stmt_column_int64(st, 23));
	json_set_str(o, "created_at", stmt_column_text(st, 24));
	json_set_str(o, "updated_at", stmt_column_text(st, 25));
	if (ps) {
		ps->id = stmt_column_int64(st, 0);
		ps->year = (int)stmt_column_int64(st, 1);
		snprintf(ps->title, sizeof ps->title, "%s", stmt_column_text(st, 3));
		ps->version = stmt_column_int64(st, 4);
		snprintf(ps->status, sizeof ps->status, "%s", stmt_column_text(st, 5));
		ps->submitted_by = stmt_column_int64(st, 16);
		ps->approval_id = stmt_column_int64(st, 22);
		ps->row_version = stmt_column_int64(st, 23);
		ps->meeting_floor_id = stmt_column_int64(st, 26);
	}
	return o;
}

/* The plan's own fields (no items or meetings) into *out (may be NULL) and *ps (may be NULL). */
static int plan_row(struct nl_ctx *ctx, int64_t id, json_t **out, struct plan_state *ps)
{
	struct nl_stmt *st = NULL;
	json_t *o = NULL;
	if (out)
		*out = NULL;
	int rc = db_prepare(ctx->db, PLAN_SELECT " WHERE p.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		o = plan_row_json(st, ps);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No plan with id %lld.", (long long)id);
	if (rc < 0)
		return rc;
	if (out)
		*out = o;
	else
		json_decref(o);
	return 0;
}

static json_t *item_row_json(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "plan_id", stmt_column_int64(st, 1));
	json_set_str(o, "element", stmt_column_text(st, 2));
	json_set_str(o, "area", stmt_column_text(st, 3));
	json_set_str(o, "area_name", stmt_column_text(st, 4));
	json_set_str(o, "area_name_en", stmt_column_text(st, 5));
	json_set_str(o, "current_state", stmt_column_text(st, 6));
	json_set_str(o, "objective", stmt_column_text(st, 7));
	json_set_str(o, "measures", stmt_column_text(st, 8));
	json_set_id(o, "owner_department_id", stmt_column_int64(st, 9));
	json_set_str(o, "owner_department_name", stmt_column_text(st, 10));
	json_set_id(o, "owner_user_id", stmt_column_int64(st, 11));
	json_set_str(o, "owner_user_name", stmt_column_text(st, 12));
	json_set_str(o, "due_date", stmt_column_text(st, 13));
	json_set_str(o, "budget", stmt_column_text(st, 14));
	json_set_int(o, "sort", stmt_column_int64(st, 15));
	json_object_set_new(o, "metric_ids", json_array());
	json_set_str(o, "created_at", stmt_column_text(st, 16));
	json_set_str(o, "updated_at", stmt_column_text(st, 17));
	return o;
}

/* Sets "metric_ids" of each item in arr from metrics.plan_item_id (the metrics room sets that column). */
static int items_fill_metrics(struct nl_ctx *ctx, int64_t plan_id, json_t *arr)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT m.plan_item_id, m.id FROM metrics m JOIN plan_items i ON i.id = m.plan_item_id"
				     " WHERE i.plan_id = $1 ORDER BY m.id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, plan_id);
	while ((rc = stmt_step(st)) == 1) {
		int64_t item = stmt_column_int64(st, 0);
		size_t i;
		json_t *o;
		json_array_foreach(arr, i, o) {
			if (json_integer_value(json_object_get(o, "id")) == item) {
				json_array_append_new(json_object_get(o, "metric_ids"), json_integer(stmt_column_int64(st, 1)));
				break;
			}
		}
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The items of plan_id (element NULL: all) in element, sort and id order, with their metric ids. */
static int items_of(struct nl_ctx *ctx, int64_t plan_id, const char *element, json_t **items)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = db_prepare(ctx->db, ITEM_SELECT " WHERE i.plan_id = $1 AND ($2 = '' OR i.element = $2)" ITEM_ORDER, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, plan_id);
	stmt_bind_text(st, 2, element ? element : "");
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, item_row_json(st));
	stmt_done(st);
	if (rc >= 0)
		rc = items_fill_metrics(ctx, plan_id, arr);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

int plan_item_get(struct nl_ctx *ctx, int64_t item_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *o = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, ITEM_SELECT " WHERE i.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, item_id);
	rc = stmt_step(st);
	if (rc == 1)
		o = item_row_json(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No plan item with id %lld.", (long long)item_id);
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(ctx->db, "SELECT id FROM metrics WHERE plan_item_id = $1 ORDER BY id", &st))) {
		json_decref(o);
		return rc;
	}
	stmt_bind_int64(st, 1, item_id);
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(json_object_get(o, "metric_ids"), json_integer(stmt_column_int64(st, 0)));
	stmt_done(st);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* The meetings of plan_id (version 0: every version), oldest first. */
static int meetings_of(struct nl_ctx *ctx, int64_t plan_id, int64_t version, json_t **items)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = db_prepare(ctx->db, MEETING_SELECT " WHERE m.plan_id = $1 AND ($2 = 0 OR m.plan_version = $2) ORDER BY m.id",
		&st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, plan_id);
	stmt_bind_int64(st, 2, version);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *o = json_object();
		json_set_int(o, "id", stmt_column_int64(st, 0));
		json_set_int(o, "plan_id", stmt_column_int64(st, 1));
		json_set_int(o, "plan_version", stmt_column_int64(st, 2));
		json_set_str(o, "held_on", stmt_column_text(st, 3));
		json_set_str(o, "attendees", stmt_column_text(st, 4));
		json_set_str(o, "minutes", stmt_column_text(st, 5));
		json_set_str(o, "decision", stmt_column_text(st, 6));
		json_set_id(o, "recorded_by", stmt_column_int64(st, 7));
		json_set_str(o, "recorded_by_name", stmt_column_text(st, 8));
		json_set_str(o, "created_at", stmt_column_text(st, 9));
		json_array_append_new(arr, o);
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* What submission still lacks: the elements without items (into missing, "technology, resources") and whether the
 * latest meeting of the current version recorded after the last rejection passed (*meeting_ok; *why otherwise). */
static int submit_check(struct nl_ctx *ctx, const struct plan_state *ps, char *missing, size_t mlen, int *meeting_ok,
	const char **why)
{
	struct nl_stmt *st = NULL;
	int64_t count[4] = { 0 };
	missing[0] = '\0';
	*meeting_ok = 0;
	*why = "";
	int rc = db_prepare(ctx->db, "SELECT element, COUNT(*) FROM plan_items WHERE plan_id = $1 GROUP BY element", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ps->id);
	while ((rc = stmt_step(st)) == 1)
		for (int i = 0; catalogue_elements[i]; i++)
			if (!strcmp(stmt_column_text(st, 0), catalogue_elements[i]))
				count[i] = stmt_column_int64(st, 1);
	stmt_done(st);
	if (rc < 0)
		return rc;
	size_t len = 0;
	for (int i = 0; catalogue_elements[i]; i++)
		if (count[i] == 0 && len < mlen)
			len += (size_t)snprintf(missing + len, mlen - len, "%s%s", len ? ", " : "", catalogue_elements[i]);
	if ((rc = db_prepare(ctx->db, "SELECT decision FROM plan_meetings WHERE plan_id = $1 AND plan_version = $2 AND id > $3"
				      " ORDER BY id DESC LIMIT 1", &st)))
		return rc;
	stmt_bind_int64(st, 1, ps->id);
	stmt_bind_int64(st, 2, ps->version);
	stmt_bind_int64(st, 3, ps->meeting_floor_id);
	rc = stmt_step(st);
	if (rc == 1 && !strcmp(stmt_column_text(st, 0), "pass"))
		*meeting_ok = 1;
	else if (rc == 1)
		*why = "the latest review meeting asked for revision; record a meeting that passes the plan";
	else if (ps->meeting_floor_id > 0)
		*why = "no review meeting has been recorded since the rejection; record a meeting that passes the plan";
	else
		*why = "no review meeting of this version has been recorded; record a meeting that passes the plan";
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The full plan: with_can adds "can" (for ctx->actor) and "submit_check"; meetings_version 0 lists the meetings
 * of every version, else only that version's (the frozen snapshot). */
static int plan_full(struct nl_ctx *ctx, int64_t id, int with_can, int64_t meetings_version, json_t **out)
{
	struct plan_state ps = { 0 };
	json_t *o = NULL, *items = NULL, *meetings = NULL, *approval = NULL;
	*out = NULL;
	int rc = plan_row(ctx, id, &o, &ps);
	if (rc)
		return rc;
	if ((rc = items_of(ctx, id, NULL, &items)) || (rc = meetings_of(ctx, id, meetings_version, &meetings)))
		goto out;
	if (ps.approval_id > 0 && (rc = approval_get(ctx, ps.approval_id, &approval)))
		goto out;
	if (approval && !with_can)
		json_object_del(approval, "can_decide");
	json_t *coverage = json_object();
	for (int i = 0; catalogue_elements[i]; i++)
		json_set_int(coverage, catalogue_elements[i], 0);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *el = json_string_value(json_object_get(it, "element"));
		json_set_int(coverage, el, json_integer_value(json_object_get(coverage, el)) + 1);
	}
	json_object_set_new(o, "coverage", coverage);
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "meetings", meetings);
	json_object_set_new(o, "approval", approval ? approval : json_null());
	items = meetings = approval = NULL;
	if (with_can) {
		char missing[64];
		int meeting_ok;
		const char *why;
		if ((rc = submit_check(ctx, &ps, missing, sizeof missing, &meeting_ok, &why)))
			goto out;
		json_t *sc = json_object(), *me = json_array();
		for (int k = 0; catalogue_elements[k]; k++)
			if (json_integer_value(json_object_get(coverage, catalogue_elements[k])) == 0)
				json_array_append_new(me, json_string(catalogue_elements[k]));
		json_set_bool(sc, "ready", !missing[0] && meeting_ok);
		json_object_set_new(sc, "missing_elements", me);
		json_set_bool(sc, "meeting_passed", meeting_ok);
		json_set_str(sc, "meeting_note", meeting_ok ? NULL : why);
		json_object_set_new(o, "submit_check", sc);

		unsigned roles = ctx->actor ? ctx->actor->roles : 0;
		int ed = editable(ps.status), sub = !strcmp(ps.status, "submitted");
		int self = ctx->actor && ps.submitted_by > 0 && ps.submitted_by == ctx->actor->id;
		json_t *can = json_object();
		json_set_bool(can, "edit", ed && policy_allows(roles, "plan.edit"));
		json_set_bool(can, "write_items", ed && policy_allows(roles, "plan.item.write"));
		json_set_bool(can, "record_meeting", ed && policy_allows(roles, "plan.meeting"));
		json_set_bool(can, "submit", ed && policy_allows(roles, "plan.create"));
		json_set_bool(can, "approve", sub && !self && policy_allows(roles, "plan.approve"));
		json_set_bool(can, "reject", sub && !self && policy_allows(roles, "plan.approve"));
		json_set_bool(can, "revise", !strcmp(ps.status, "approved") && policy_allows(roles, "plan.create"));
		json_object_set_new(o, "can", can);
	}
	*out = o;
	o = NULL;
out:
	json_decref(o);
	json_decref(items);
	json_decref(meetings);
	json_decref(approval);
	return rc;
}

int plan_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	return plan_full(ctx, id, 1, 0, out);
}

int plan_list(struct nl_ctx *ctx, int year, const char *status, int64_t limit, int64_t cursor, json_t **items,
	int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	*next = 0;
	int rc = db_prepare(ctx->db, PLAN_SELECT " WHERE ($1 = 0 OR p.year = $1) AND ($2 = '' OR p.status = $2)"
						 " AND ($3 = 0 OR p.year < $3) ORDER BY p.year DESC LIMIT $4", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, year);
	stmt_bind_text(st, 2, status ? status : "");
	stmt_bind_int64(st, 3, cursor);
	stmt_bind_int64(st, 4, limit + 1);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 1);
		json_array_append_new(arr, plan_row_json(st, NULL));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

int plan_item_list(struct nl_ctx *ctx, int64_t plan_id, const char *element, json_t **items)
{
	*items = NULL;
	int rc = plan_row(ctx, plan_id, NULL, NULL);
	return rc ? rc : items_of(ctx, plan_id, element, items);
}

int plan_meeting_list(struct nl_ctx *ctx, int64_t plan_id, json_t **items)
{
	*items = NULL;
	int rc = plan_row(ctx, plan_id, NULL, NULL);
	return rc ? rc : meetings_of(ctx, plan_id, 0, items);
}

/* ---- writing helpers (all inside the caller's transaction) ---- */

/* Locks the plan row for this transaction (PostgreSQL row lock; SQLite holds the write lock already) and reads it
 * into *ps and *before (may be NULL). NL_ENOTFOUND when absent. */
static int plan_lock(struct nl_ctx *ctx, int64_t id, struct plan_state *ps, json_t **before)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "UPDATE plans SET row_version = row_version WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	int64_t changed = stmt_changes(st);
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (changed == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No plan with id %lld.", (long long)id);
	return plan_row(ctx, id, before, ps);
}

/* Counts a change of the plan or of its items or meetings: row_version + 1, updated_at = at. */
static int plan_bump(struct nl_ctx *ctx, int64_t id, const char *at)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "UPDATE plans SET row_version = row_version + 1, updated_at = $2 WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, at);
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int state_error(struct nl_ctx *ctx, const struct plan_state *ps, const char *what, const char *allowed)
{
	return nl_fail(ctx->err, NL_ESTATE, NULL, "The plan for %d is %s; %s only when it is %s.", ps->year, ps->status, what,
		allowed);
}

/* Appends one row to the change history. */
static int history_add(struct nl_ctx *ctx, int64_t plan_id, int64_t version, const char *action, const char *comment,
	const char *at)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "INSERT INTO plan_history (plan_id, version, action, at, by_user_id, by_name, comment)"
				     " VALUES ($1, $2, $3, $4, $5, $6, $7)", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, plan_id);
	stmt_bind_int64(st, 2, version);
	stmt_bind_text(st, 3, action);
	stmt_bind_text(st, 4, at);
	bind_id(st, 5, actor_id(ctx));
	stmt_bind_text(st, 6, actor_label(ctx));
	stmt_bind_text(st, 7, comment ? comment : "");
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* NL_EVALID naming field unless `sql` (one $1 parameter) finds a row for id. */
static int must_exist(struct nl_ctx *ctx, const char *sql, int64_t id, const char *field, const char *what)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_EVALID, field, "No %s with id %lld.", what, (long long)id);
	return rc < 0 ? rc : 0;
}

static int user_must_exist(struct nl_ctx *ctx, int64_t id, const char *field)
{
	return must_exist(ctx, "SELECT 1 FROM users WHERE id = $1", id, field, "user");
}

/* Finishes a plan write: the audit row (entity "plan") and the full plan into *out. */
static int plan_finish(struct nl_ctx *ctx, const char *action, int64_t id, const json_t *before, json_t **out)
{
	json_t *after = NULL;
	int rc = plan_row(ctx, id, &after, NULL);
	if (rc == 0)
		rc = audit_append(ctx, action, "plan", id, before, after);
	json_decref(after);
	if (rc == 0)
		rc = plan_full(ctx, id, 1, 0, out);
	return rc;
}

/* Ends a write transaction; on failure drops *out. */
static int finish_tx(struct nl_ctx *ctx, int rc, json_t **out)
{
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc && out) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- prefill from the previous year's evaluation ----
 * The evaluation room stores problems and suggestions as JSON arrays of {"text", "element"?, "owner_department_id"?,
 * "owner_user_id"?, "due_date"?, "priority"?, ...} and freezes the whole report as its snapshot, where
 * "metrics" holds {"summary": {"met","warning","missed","no_data","total"}, "rows": [{"code","name","status",...}]}
 * and "plan_completion" the work-item counts. Strings instead of objects, and plain text instead of JSON, are
 * taken as they are. */

static const char *element_zh(const char *e)
{
	static const char *const zh[][2] = { { "people", "人员" }, { "process", "过程" }, { "technology", "技术" },
		{ "resources", "资源" } };
	for (size_t i = 0; e && i < NL_ARRAY_LEN(zh); i++)
		if (!strcmp(e, zh[i][0]))
			return zh[i][1];
	return e;
}

/* The main text of a problem or suggestion entry. */
static const char *entry_text(const json_t *e)
{
	static const char *const keys[] = { "text", "description", "problem", "suggestion", "title", "content", NULL };
	if (json_is_string(e))
		return json_string_value(e);
	for (int i = 0; keys[i]; i++) {
		const char *s = json_string_value(json_object_get(e, keys[i]));
		if (s && *s)
			return s;
	}
	return NULL;
}

/* The name found by `sql` (one $1 id parameter) into out; "" when none. */
static int name_of(struct nl_ctx *ctx, const char *sql, int64_t id, char *out, size_t n)
{
	struct nl_stmt *st = NULL;
	out[0] = '\0';
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		snprintf(out, n, "%s", stmt_column_text(st, 0));
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Appends " (要素 element: 过程; 责任 owner: IT运维事业部 / 张三; 完成 due: 2027-03-31; 优先级 priority: high)". */
static int append_details(struct nl_ctx *ctx, struct nl_strbuf *b, const json_t *e)
{
	char dept[256] = "", user[256] = "";
	int rc, n = 0;
	const char *el = json_string_value(json_object_get(e, "element"));
	const char *owner = json_string_value(json_object_get(e, "owner"));
	const char *due = json_string_value(json_object_get(e, "due_date"));
	const char *prio = json_string_value(json_object_get(e, "priority"));
	json_t *d = json_object_get(e, "owner_department_id"), *u = json_object_get(e, "owner_user_id");
	if (json_is_integer(d) && (rc = name_of(ctx, "SELECT name FROM departments WHERE id = $1", json_integer_value(d), dept,
					 sizeof dept)))
		return rc;
	if (json_is_integer(u) && (rc = name_of(ctx, "SELECT display_name FROM users WHERE id = $1", json_integer_value(u), user,
					 sizeof user)))
		return rc;
	if (el && *el)
		strbuf_printf(b, "%s要素 element: %s", n++ ? "; " : " (", element_zh(el));
	char who[600];
	if (owner && *owner)
		snprintf(who, sizeof who, "%s", owner);
	else
		snprintf(who, sizeof who, "%s%s%s", dept, dept[0] && user[0] ? " / " : "", user);
	if (who[0])
		strbuf_printf(b, "%s责任 owner: %s", n++ ? "; " : " (", who);
	if (due && *due)
		strbuf_printf(b, "%s完成 due: %s", n++ ? "; " : " (", due);
	if (prio && *prio)
		strbuf_printf(b, "%s优先级 priority: %s", n++ ? "; " : " (", prio);
	if (n)
		strbuf_putc(b, ')');
	return 0;
}

/* Appends a numbered list from a JSON array of entries, or `stored` itself when it is not a JSON array. */
static int append_list(struct nl_ctx *ctx, struct nl_strbuf *b, const char *stored)
{
	json_t *j = stored ? json_loads(stored, JSON_DECODE_ANY, NULL) : NULL;
	int rc = 0;
	if (!j) {
		if (stored && !is_blank(stored))
			strbuf_puts(b, stored);
		return 0;
	}
	if (json_is_string(j))
		strbuf_puts(b, json_string_value(j));
	size_t i, n = 0;
	json_t *e;
	json_array_foreach(j, i, e) {
		const char *t = entry_text(e);
		if (!t || is_blank(t))
			continue;
		strbuf_printf(b, "%s%zu. %s", n ? "\n" : "", n + 1, t);
		n++;
		if (json_is_object(e) && (rc = append_details(ctx, b, e)))
			break;
	}
	json_decref(j);
	return rc;
}

/* An integer member, or -1. */
static int64_t int_of(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* Appends what the evaluation snapshot says of the metrics (counts, the missed ones) and of the work items. */
static void append_snapshot_summary(struct nl_strbuf *b, const char *snapshot)
{
	json_t *s = snapshot ? json_loads(snapshot, 0, NULL) : NULL;
	json_t *m = json_object_get(s, "metrics");
	json_t *sum = json_object_get(m, "summary");
	if (!json_is_object(sum))
		sum = m;
	if (json_is_object(sum) && int_of(sum, "met") >= 0) {
		int64_t total = int_of(sum, "total"), nd = int_of(sum, "no_data");
		strbuf_printf(b, "%s指标达成 (metrics)：", b->len ? "\n\n" : "");
		if (total >= 0)
			strbuf_printf(b, "共 %lld 项，", (long long)total);
		strbuf_printf(b, "达标 met %lld 项，预警 warning %lld 项，未达标 missed %lld 项", (long long)int_of(sum, "met"),
			(long long)(int_of(sum, "warning") < 0 ? 0 : int_of(sum, "warning")),
			(long long)(int_of(sum, "missed") < 0 ? 0 : int_of(sum, "missed")));
		if (nd > 0)
			strbuf_printf(b, "，无数据 no data %lld 项", (long long)nd);
		strbuf_puts(b, "。");
		size_t i, n = 0;
		json_t *r;
		json_array_foreach(json_object_get(m, "rows"), i, r) {
			const char *st = json_string_value(json_object_get(r, "status"));
			const char *name = json_string_value(json_object_get(r, "name"));
			const char *code = json_string_value(json_object_get(r, "code"));
			if (!st || strcmp(st, "missed") != 0 || (!name && !code))
				continue;
			strbuf_printf(b, "%s%s%s%s", n++ ? "、" : "\n未达标指标 (missed)：", code ? code : "", code && name ? " " : "",
				name ? name : "");
		}
	}
	json_t *pc = json_object_get(s, "plan_completion");
	if (json_is_object(pc) && int_of(pc, "tasks_total") > 0)
		strbuf_printf(b, "%s工作项 (work items)：共 %lld 项，按期完成 on time %lld 项，延期完成 late %lld 项，未完成 open %lld 项。",
			b->len ? "\n" : "", (long long)int_of(pc, "tasks_total"), (long long)int_of(pc, "done_on_time"),
			(long long)int_of(pc, "done_late"), (long long)int_of(pc, "open"));
	json_decref(s);
}

struct prefill {
	struct nl_strbuf achievements, problems, carryover;
};

/* Reads the finalized evaluation of `year` (if any) into the three review texts. */
static int prefill_read(struct nl_ctx *ctx, int year, struct prefill *p)
{
	struct nl_stmt *st = NULL;
	char *col[4] = { NULL };
	int rc = db_prepare(ctx->db, "SELECT problems, suggestions, conclusion, snapshot FROM evaluations"
				     " WHERE year = $1 AND status = 'finalized'", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, year);
	rc = stmt_step(st);
	int found = rc == 1;
	int nomem = 0;
	for (int i = 0; found && i < 4; i++) {   /* copied: the name look-ups below use the connection */
		const char *t = stmt_column_text(st, i);
		if (t && !(col[i] = strdup(t)))
			nomem = 1;
	}
	stmt_done(st);
	if (rc < 0 || !found)
		goto out;
	if (nomem) {
		rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	if (col[2] && !is_blank(col[2]))
		strbuf_puts(&p->achievements, col[2]);
	append_snapshot_summary(&p->achievements, col[3]);
	if ((rc = append_list(ctx, &p->problems, col[0])) || (rc = append_list(ctx, &p->carryover, col[1])))
		goto out;
	if (p->achievements.failed || p->problems.failed || p->carryover.failed)
		rc = nl_fail(ctx->err, NL_ENOMEM, NULL, "The previous year's evaluation is too large to copy into the review.");
out:
	for (int i = 0; i < 4; i++)
		free(col[i]);
	return rc < 0 ? rc : 0;
}

/* ---- the plan ---- */

int plan_create(struct nl_ctx *ctx, int year, const char *title, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct prefill p;
	char at[24], doc[32];
	int64_t id = 0;
	*out = NULL;
	if (year < NL_PLAN_MIN_YEAR || year > NL_PLAN_MAX_YEAR)
		return nl_fail(ctx->err, NL_EVALID, "year", "year must be between %d and %d.", NL_PLAN_MIN_YEAR, NL_PLAN_MAX_YEAR);
	if (is_blank(title))
		return nl_fail(ctx->err, NL_EVALID, "title", "title must not be empty.");
	strbuf_init(&p.achievements, 20000 * 4);
	strbuf_init(&p.problems, 20000 * 4);
	strbuf_init(&p.carryover, 20000 * 4);
	ctx_now_rfc3339(ctx, at);
	int rc = settings_doc_number(ctx, "CAP", year, doc, sizeof doc);
	if (rc || (rc = db_begin(ctx->db)))
		goto done;
	if ((rc = db_prepare(ctx->db, "SELECT id, status FROM plans WHERE year = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, year);
	rc = stmt_step(st);
	if (rc == 1)
		rc = nl_fail(ctx->err, NL_ECONFLICT, "year", "A plan for %d exists already (id %lld, %s); open it instead.", year,
			(long long)stmt_column_int64(st, 0), stmt_column_text(st, 1));
	stmt_done(st);
	if (rc < 0 || (rc = prefill_read(ctx, year - 1, &p)))
		goto out;
	if ((rc = db_prepare(ctx->db, "INSERT INTO plans (year, title, doc_number, version, status, review_achievements,"
				      " review_problems, review_carryover, prepared_by, created_at, updated_at, row_version)"
				      " VALUES ($1, $2, $3, 1, 'draft', $4, $5, $6, $7, $8, $8, 1) RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, year);
	stmt_bind_text(st, 2, title);
	stmt_bind_text(st, 3, doc);
	stmt_bind_text(st, 4, p.achievements.len ? p.achievements.data : "");
	stmt_bind_text(st, 5, p.problems.len ? p.problems.data : "");
	stmt_bind_text(st, 6, p.carryover.len ? p.carryover.data : "");
	bind_id(st, 7, actor_id(ctx));
	stmt_bind_text(st, 8, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		rc = nl_fail(ctx->err, NL_ECONFLICT, "year", "A plan for %d exists already.", year);
	if (rc < 0 || (rc = history_add(ctx, id, 1, "created", NULL, at)))
		goto out;
	rc = plan_finish(ctx, "create", id, NULL, out);
out:
	rc = finish_tx(ctx, rc, out);
done:
	strbuf_cleanup(&p.achievements);
	strbuf_cleanup(&p.problems);
	strbuf_cleanup(&p.carryover);
	return rc;
}

int plan_update(struct nl_ctx *ctx, int64_t id, const struct nl_plan_input *in, unsigned set, int64_t if_match,
	json_t **out)
{
	struct nl_stmt *st = NULL;
	struct plan_state ps = { 0 };
	json_t *before = NULL;
	char at[24];
	*out = NULL;
	if ((set & NL_PLAN_SET_TITLE) && is_blank(in->title))
		return nl_fail(ctx->err, NL_EVALID, "title", "title must not be empty.");
	if ((set & NL_PLAN_SET_TRACKING_FREQUENCY) &&
		(!in->tracking_frequency || (strcmp(in->tracking_frequency, "month") && strcmp(in->tracking_frequency, "quarter") &&
						    strcmp(in->tracking_frequency, "year"))))
		return nl_fail(ctx->err, NL_EVALID, "tracking_frequency", "tracking_frequency must be month, quarter or year.");
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = plan_lock(ctx, id, &ps, &before)))
		goto out;
	if (!editable(ps.status)) {
		rc = state_error(ctx, &ps, "it can be edited", "draft or rejected");
		goto out;
	}
	if (if_match > 0 && if_match != ps.row_version) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, NULL,
			"The plan has changed since you read it (row_version %lld, now %lld); reload it and apply your change again.",
			(long long)if_match, (long long)ps.row_version);
		goto out;
	}
	if ((set & NL_PLAN_SET_TRACKER) && in->tracker_user_id > 0 &&
		(rc = user_must_exist(ctx, in->tracker_user_id, "tracker_user_id")))
		goto out;
	if ((rc = db_prepare(ctx->db,
		     "UPDATE plans SET title = CASE WHEN $2 = 1 THEN $3 ELSE title END,"
		     " review_achievements = CASE WHEN $4 = 1 THEN $5 ELSE review_achievements END,"
		     " review_problems = CASE WHEN $6 = 1 THEN $7 ELSE review_problems END,"
		     " review_carryover = CASE WHEN $8 = 1 THEN $9 ELSE review_carryover END,"
		     " tracking_plan = CASE WHEN $10 = 1 THEN $11 ELSE tracking_plan END,"
		     " tracking_frequency = CASE WHEN $12 = 1 THEN $13 ELSE tracking_frequency END,"
		     " tracking_checkpoints = CASE WHEN $14 = 1 THEN $15 ELSE tracking_checkpoints END,"
		     " tracker_user_id = CASE WHEN $16 = 1 THEN $17 ELSE tracker_user_id END,"
		     " row_version = row_version + 1, updated_at = $18 WHERE id = $1", &st)))
		goto out;
	const char *texts[] = { in->title, in->review_achievements, in->review_problems, in->review_carryover,
		in->tracking_plan, in->tracking_frequency, in->tracking_checkpoints };
	stmt_bind_int64(st, 1, id);
	for (int i = 0; i < 7; i++) {
		stmt_bind_int64(st, 2 + 2 * i, (set & (1u << i)) ? 1 : 0);
		stmt_bind_text(st, 3 + 2 * i, texts[i] ? texts[i] : "");
	}
	stmt_bind_int64(st, 16, (set & NL_PLAN_SET_TRACKER) ? 1 : 0);
	bind_id(st, 17, in->tracker_user_id);
	stmt_bind_text(st, 18, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = plan_finish(ctx, "update", id, before, out);
out:
	json_decref(before);
	return finish_tx(ctx, rc, out);
}

/* ---- items ---- */

/* Validates an item's due date against the plan year: a real date within year − 1 … year + 1. */
static int check_due(struct nl_ctx *ctx, int year, const char *due)
{
	struct nl_date d;
	if (date_parse(due, &d))
		return nl_fail(ctx->err, NL_EVALID, "due_date", "due_date is not a real date (YYYY-MM-DD).");
	struct nl_date lo = { year - 1, 1, 1 }, hi = { year + 1, 12, 31 };
	if (date_cmp(d, lo) < 0 || date_cmp(d, hi) > 0)
		return nl_fail(ctx->err, NL_EVALID, "due_date",
			"due_date must fall between %d-01-01 and %d-12-31 (the plan year %d, or the year before or after).", year - 1,
			year + 1, year);
	return 0;
}

/* The checks an item's new values need inside the transaction (area against the catalogue, due date against the
 * plan year, owners exist). element is the item's element after the change; code gets the area's code. */
static int item_validate(struct nl_ctx *ctx, const struct plan_state *ps, const struct nl_plan_item_input *in,
	unsigned set, const char *element, const char *area, char *code, size_t code_len)
{
	int rc;
	if ((set & NL_ITEM_SET_OBJECTIVE) && is_blank(in->objective))
		return nl_fail(ctx->err, NL_EVALID, "objective", "objective must not be empty.");
	if ((set & (NL_ITEM_SET_ELEMENT | NL_ITEM_SET_AREA)) &&
		(rc = catalogue_resolve(ctx, element, area, "area", code, code_len)))
		return rc;
	if ((set & NL_ITEM_SET_DUE_DATE) && in->due_date && (rc = check_due(ctx, ps->year, in->due_date)))
		return rc;
	if ((set & NL_ITEM_SET_OWNER_DEPARTMENT) && in->owner_department_id > 0 &&
		(rc = must_exist(ctx, "SELECT 1 FROM departments WHERE id = $1", in->owner_department_id, "owner_department_id",
			 "department")))
		return rc;
	if ((set & NL_ITEM_SET_OWNER_USER) && in->owner_user_id > 0 &&
		(rc = user_must_exist(ctx, in->owner_user_id, "owner_user_id")))
		return rc;
	return 0;
}

int plan_item_create(struct nl_ctx *ctx, int64_t plan_id, const struct nl_plan_item_input *in, unsigned set,
	json_t **out)
{
	struct nl_stmt *st = NULL;
	struct plan_state ps = { 0 };
	char at[24], code[96];
	int64_t id = 0;
	*out = NULL;
	if (!catalogue_element_valid(in->element))
		return nl_fail(ctx->err, NL_EVALID, "element", "element must be people, process, technology or resources.");
	if (is_blank(in->objective))
		return nl_fail(ctx->err, NL_EVALID, "objective", "objective is required.");
	/* a new item sets every field (absent ones to their defaults); only the sort key has a computed default */
	set = (set & NL_ITEM_SET_SORT) | (0x3FFu & ~NL_ITEM_SET_SORT);
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = plan_lock(ctx, plan_id, &ps, NULL)))
		goto out;
	if (!editable(ps.status)) {
		rc = state_error(ctx, &ps, "items can be added", "draft or rejected");
		goto out;
	}
	if ((rc = item_validate(ctx, &ps, in, set, in->element, in->area, code, sizeof code)))
		goto out;
	if ((rc = db_prepare(ctx->db,
		     "INSERT INTO plan_items (plan_id, element, area, current_state, objective, measures, owner_department_id,"
		     " owner_user_id, due_date, budget, sort, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
		     " $10, CASE WHEN $11 = 1 THEN $12 ELSE (SELECT COALESCE(MAX(sort), 0) + 10 FROM plan_items WHERE plan_id = $1)"
		     " END, $13, $13) RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, plan_id);
	stmt_bind_text(st, 2, in->element);
	stmt_bind_text(st, 3, code);
	stmt_bind_text(st, 4, in->current_state ? in->current_state : "");
	stmt_bind_text(st, 5, in->objective);
	stmt_bind_text(st, 6, in->measures ? in->measures : "");
	bind_id(st, 7, in->owner_department_id);
	bind_id(st, 8, in->owner_user_id);
	stmt_bind_text(st, 9, in->due_date);
	stmt_bind_text(st, 10, in->budget ? in->budget : "");
	stmt_bind_int64(st, 11, (set & NL_ITEM_SET_SORT) ? 1 : 0);
	stmt_bind_int64(st, 12, in->sort);
	stmt_bind_text(st, 13, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || (rc = plan_bump(ctx, plan_id, at)) || (rc = plan_item_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "plan_item", id, NULL, *out);
out:
	return finish_tx(ctx, rc, out);
}

/* The plan of an item (NL_ENOTFOUND naming the item when it does not exist). */
static int item_plan(struct nl_ctx *ctx, int64_t item_id, int64_t *plan_id)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT plan_id FROM plan_items WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, item_id);
	rc = stmt_step(st);
	*plan_id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No plan item with id %lld.", (long long)item_id);
	return rc < 0 ? rc : 0;
}

int plan_item_update(struct nl_ctx *ctx, int64_t item_id, const struct nl_plan_item_input *in, unsigned set,
	json_t **out)
{
	struct nl_stmt *st = NULL;
	struct plan_state ps = { 0 };
	json_t *before = NULL;
	char at[24], code[96] = "";
	int64_t plan_id = 0;
	*out = NULL;
	if ((set & NL_ITEM_SET_ELEMENT) && !catalogue_element_valid(in->element))
		return nl_fail(ctx->err, NL_EVALID, "element", "element must be people, process, technology or resources.");
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = item_plan(ctx, item_id, &plan_id)) || (rc = plan_lock(ctx, plan_id, &ps, NULL)) ||
		(rc = plan_item_get(ctx, item_id, &before)))
		goto out;
	if (!editable(ps.status)) {
		rc = state_error(ctx, &ps, "its items can be changed", "draft or rejected");
		goto out;
	}
	const char *element = (set & NL_ITEM_SET_ELEMENT) ? in->element : json_string_value(json_object_get(before, "element"));
	const char *area = (set & NL_ITEM_SET_AREA) ? in->area : json_string_value(json_object_get(before, "area"));
	if ((rc = item_validate(ctx, &ps, in, set, element, area, code, sizeof code)))
		goto out;
	if (!code[0])
		snprintf(code, sizeof code, "%s", area ? area : "");
	if ((rc = db_prepare(ctx->db,
		     "UPDATE plan_items SET element = $2, area = $3,"
		     " current_state = CASE WHEN $4 = 1 THEN $5 ELSE current_state END,"
		     " objective = CASE WHEN $6 = 1 THEN $7 ELSE objective END,"
		     " measures = CASE WHEN $8 = 1 THEN $9 ELSE measures END,"
		     " owner_department_id = CASE WHEN $10 = 1 THEN $11 ELSE owner_department_id END,"
		     " owner_user_id = CASE WHEN $12 = 1 THEN $13 ELSE owner_user_id END,"
		     " due_date = CASE WHEN $14 = 1 THEN $15 ELSE due_date END,"
		     " budget = CASE WHEN $16 = 1 THEN $17 ELSE budget END,"
		     " sort = CASE WHEN $18 = 1 THEN $19 ELSE sort END, updated_at = $20 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, item_id);
	stmt_bind_text(st, 2, element);
	stmt_bind_text(st, 3, code);
	stmt_bind_int64(st, 4, (set & NL_ITEM_SET_CURRENT_STATE) ? 1 : 0);
	stmt_bind_text(st, 5, in->current_state ? in->current_state : "");
	stmt_bind_int64(st, 6, (set & NL_ITEM_SET_OBJECTIVE) ? 1 : 0);
	stmt_bind_text(st, 7, in->objective ? in->objective : "");
	stmt_bind_int64(st, 8, (set & NL_ITEM_SET_MEASURES) ? 1 : 0);
	stmt_bind_text(st, 9, in->measures ? in->measures : "");
	stmt_bind_int64(st, 10, (set & NL_ITEM_SET_OWNER_DEPARTMENT) ? 1 : 0);
	bind_id(st, 11, in->owner_department_id);
	stmt_bind_int64(st, 12, (set & NL_ITEM_SET_OWNER_USER) ? 1 : 0);
	bind_id(st, 13, in->owner_user_id);
	stmt_bind_int64(st, 14, (set & NL_ITEM_SET_DUE_DATE) ? 1 : 0);
	stmt_bind_text(st, 15, in->due_date);
	stmt_bind_int64(st, 16, (set & NL_ITEM_SET_BUDGET) ? 1 : 0);
	stmt_bind_text(st, 17, in->budget ? in->budget : "");
	stmt_bind_int64(st, 18, (set & NL_ITEM_SET_SORT) ? 1 : 0);
	stmt_bind_int64(st, 19, in->sort);
	stmt_bind_text(st, 20, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = plan_bump(ctx, plan_id, at)) || (rc = plan_item_get(ctx, item_id, out)))
		goto out;
	rc = audit_append(ctx, "update", "plan_item", item_id, before, *out);
out:
	json_decref(before);
	return finish_tx(ctx, rc, out);
}

int plan_item_delete(struct nl_ctx *ctx, int64_t item_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct plan_state ps = { 0 };
	json_t *before = NULL;
	char at[24];
	int64_t plan_id = 0;
	*out = NULL;
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = item_plan(ctx, item_id, &plan_id)) || (rc = plan_lock(ctx, plan_id, &ps, NULL)) ||
		(rc = plan_item_get(ctx, item_id, &before)))
		goto out;
	if (!editable(ps.status)) {
		rc = state_error(ctx, &ps, "its items can be deleted", "draft or rejected");
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "DELETE FROM plan_items WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, item_id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = plan_bump(ctx, plan_id, at)) ||
		(rc = audit_append(ctx, "delete", "plan_item", item_id, before, NULL)))
		goto out;
	*out = json_pack("{s:I,s:I,s:b}", "id", (json_int_t)item_id, "plan_id", (json_int_t)plan_id, "deleted", 1);
out:
	json_decref(before);
	return finish_tx(ctx, rc, out);
}

/* ---- meetings ---- */

int plan_meeting_create(struct nl_ctx *ctx, int64_t plan_id, const struct nl_plan_meeting_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct plan_state ps = { 0 };
	json_t *after = NULL;
	char at[24], note[96];
	int64_t id = 0;
	struct nl_date held, latest;
	*out = NULL;
	if (!in->decision || (strcmp(in->decision, "pass") && strcmp(in->decision, "revise")))
		return nl_fail(ctx->err, NL_EVALID, "decision", "decision must be \"pass\" or \"revise\".");
	if (date_parse(in->held_on, &held))
		return nl_fail(ctx->err, NL_EVALID, "held_on", "held_on is not a real date (YYYY-MM-DD).");
	/* the organisation's today (a meeting cannot have been held after it) */
	int trc = cycle_today(ctx, &latest);
	if (trc)
		return trc;
	if (date_cmp(held, latest) > 0)
		return nl_fail(ctx->err, NL_EVALID, "held_on", "held_on is in the future; record a meeting once it has been held.");
	if (is_blank(in->attendees))
		return nl_fail(ctx->err, NL_EVALID, "attendees", "attendees must not be empty.");
	if (is_blank(in->minutes))
		return nl_fail(ctx->err, NL_EVALID, "minutes", "minutes must not be empty.");
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = plan_lock(ctx, plan_id, &ps, NULL)))
		goto out;
	if (!editable(ps.status)) {
		rc = state_error(ctx, &ps, "review meetings are recorded", "draft or rejected");
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "INSERT INTO plan_meetings (plan_id, plan_version, held_on, attendees, minutes, decision,"
				      " recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, plan_id);
	stmt_bind_int64(st, 2, ps.version);
	stmt_bind_text(st, 3, in->held_on);
	stmt_bind_text(st, 4, in->attendees);
	stmt_bind_text(st, 5, in->minutes);
	stmt_bind_text(st, 6, in->decision);
	bind_id(st, 7, actor_id(ctx));
	stmt_bind_text(st, 8, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	snprintf(note, sizeof note, "评审会议 %s：%s (review meeting: %s)", in->held_on,
		!strcmp(in->decision, "pass") ? "通过" : "需修改", in->decision);
	if (rc < 0 || (rc = plan_bump(ctx, plan_id, at)) || (rc = history_add(ctx, plan_id, ps.version, "meeting", note, at)))
		goto out;
	json_t *list = NULL;
	if ((rc = meetings_of(ctx, plan_id, ps.version, &list)))
		goto out;
	size_t i;
	json_t *m;
	json_array_foreach(list, i, m) {
		if (json_integer_value(json_object_get(m, "id")) == id)
			after = json_incref(m);
	}
	json_decref(list);
	if (!after) {
		rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, "The meeting just recorded cannot be read back.");
		goto out;
	}
	if ((rc = audit_append(ctx, "create", "plan_meeting", id, NULL, after)))
		goto out;
	*out = after;
	after = NULL;
out:
	json_decref(after);
	return finish_tx(ctx, rc, out);
}

/* ---- the workflow ---- */

int plan_submit(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct plan_state ps = { 0 };
	json_t *before = NULL;
	char at[24], missing[64], summary[1200];
	const char *why = "";
	int meeting_ok = 0;
	int64_t approval_id = 0;
	static const char *const steps[] = { "approver" };
	*out = NULL;
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = plan_lock(ctx, id, &ps, &before)))
		goto out;
	if (!editable(ps.status)) {
		rc = state_error(ctx, &ps, "it can be submitted", "draft or rejected");
		goto out;
	}
	if ((rc = submit_check(ctx, &ps, missing, sizeof missing, &meeting_ok, &why)))
		goto out;
	if (missing[0]) {
		rc = nl_fail(ctx->err, NL_EVALID, "items", "The plan needs at least one item in each element; missing: %s.%s%s",
			missing, meeting_ok ? "" : " Also, ", meeting_ok ? "" : why);
		goto out;
	}
	if (!meeting_ok) {
		rc = nl_fail(ctx->err, NL_EVALID, "meetings", "The plan cannot be submitted yet: %s (version %lld).", why,
			(long long)ps.version);
		goto out;
	}
	snprintf(summary, sizeof summary, "Plan %d v%lld: %s", ps.year, (long long)ps.version, ps.title);
	if ((rc = approval_request(ctx, "plan", id, ps.version, steps, 1, summary, &approval_id)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE plans SET status = 'submitted', submitted_by = $2, submitted_at = $3,"
				      " approval_id = $4, approved_by = NULL, approved_at = NULL, row_version = row_version + 1,"
				      " updated_at = $3 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	bind_id(st, 2, actor_id(ctx));
	stmt_bind_text(st, 3, at);
	stmt_bind_int64(st, 4, approval_id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = history_add(ctx, id, ps.version, "submitted", NULL, at)))
		goto out;
	rc = plan_finish(ctx, "submit", id, before, out);
out:
	json_decref(before);
	return finish_tx(ctx, rc, out);
}

/* Freezes the approved version: the full plan (its items and this version's meetings) into plan_versions. */
static int plan_freeze(struct nl_ctx *ctx, int64_t id, int64_t version, const char *at)
{
	struct nl_stmt *st = NULL;
	json_t *snap = NULL;
	int rc = plan_full(ctx, id, 0, version, &snap);
	if (rc)
		return rc;
	char *text = json_dumps(snap, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(snap);
	if (!text)
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	if ((rc = db_prepare(ctx->db, "INSERT INTO plan_versions (plan_id, version, approved_at, approved_by, snapshot)"
				      " VALUES ($1, $2, $3, $4, $5)", &st)) == 0) {
		stmt_bind_int64(st, 1, id);
		stmt_bind_int64(st, 2, version);
		stmt_bind_text(st, 3, at);
		bind_id(st, 4, actor_id(ctx));
		stmt_bind_text(st, 5, text);
		rc = stmt_step(st);
		stmt_done(st);
	}
	free(text);
	return rc < 0 ? rc : 0;
}

/* approve / reject: decides the plan's approval as ctx->actor and applies the outcome. */
static int plan_decide(struct nl_ctx *ctx, int64_t id, int approve, const char *comment, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct plan_state ps = { 0 };
	json_t *before = NULL;
	enum nl_approval_outcome outcome = NL_APPROVAL_PENDING;
	char at[24];
	*out = NULL;
	/* the order of refusals: no plan 404, wrong state 409, not the step's role or the submitter 403, no comment on a
	 * rejection 422 (the last three from approval_decide) */
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = plan_lock(ctx, id, &ps, &before)))
		goto out;
	if (strcmp(ps.status, "submitted") != 0 || ps.approval_id <= 0) {
		rc = state_error(ctx, &ps, approve ? "it can be approved" : "it can be rejected", "submitted");
		goto out;
	}
	if ((rc = approval_decide(ctx, ps.approval_id, approve ? "approve" : "reject", comment, &outcome)))
		goto out;
	/* approved: the approver and date; rejected: the meetings so far no longer count toward the next submission;
	 * a step approved with more to come (multi-step approvals): only the change counter */
	const char *sql = outcome == NL_APPROVAL_APPROVED
		? "UPDATE plans SET status = 'approved', approved_at = $2, approved_by = $3, row_version = row_version + 1,"
		  " updated_at = $2 WHERE id = $1"
		: outcome == NL_APPROVAL_REJECTED
		? "UPDATE plans SET status = 'rejected', meeting_floor_id = (SELECT COALESCE(MAX(id), 0) FROM plan_meetings"
		  " WHERE plan_id = $1), row_version = row_version + 1, updated_at = $2 WHERE id = $1"
		: "UPDATE plans SET row_version = row_version + 1, updated_at = $2 WHERE id = $1";
	if ((rc = db_prepare(ctx->db, sql, &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, at);
	if (outcome == NL_APPROVAL_APPROVED)
		bind_id(st, 3, actor_id(ctx));
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	const char *action = outcome == NL_APPROVAL_APPROVED ? "approved" : outcome == NL_APPROVAL_REJECTED ? "rejected"
														: "step_approved";
	if ((rc = history_add(ctx, id, ps.version, action, comment, at)))
		goto out;
	if (outcome == NL_APPROVAL_APPROVED && (rc = plan_freeze(ctx, id, ps.version, at)))
		goto out;
	rc = plan_finish(ctx, approve ? "approve" : "reject", id, before, out);
out:
	json_decref(before);
	return finish_tx(ctx, rc, out);
}

int plan_approve(struct nl_ctx *ctx, int64_t id, const char *comment, json_t **out)
{
	return plan_decide(ctx, id, 1, comment, out);
}

int plan_reject(struct nl_ctx *ctx, int64_t id, const char *comment, json_t **out)
{
	return plan_decide(ctx, id, 0, comment, out);
}

int plan_revise(struct nl_ctx *ctx, int64_t id, const char *change_summary, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct plan_state ps = { 0 };
	json_t *before = NULL;
	char at[24];
	*out = NULL;
	if (is_blank(change_summary))
		return nl_fail(ctx->err, NL_EVALID, "change_summary", "change_summary is required: say what the new version changes.");
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = plan_lock(ctx, id, &ps, &before)))
		goto out;
	if (strcmp(ps.status, "approved") != 0) {
		rc = state_error(ctx, &ps, "it can be revised", "approved");
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "UPDATE plans SET status = 'draft', version = version + 1, submitted_by = NULL,"
				      " submitted_at = NULL, approved_by = NULL, approved_at = NULL, approval_id = NULL,"
				      " row_version = row_version + 1, updated_at = $2 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = history_add(ctx, id, ps.version + 1, "revised", change_summary, at)))
		goto out;
	rc = plan_finish(ctx, "revise", id, before, out);
out:
	json_decref(before);
	return finish_tx(ctx, rc, out);
}

/* ---- versions and history ---- */

int plan_version_list(struct nl_ctx *ctx, int64_t id, json_t **items)
{
	static const struct nl_col cols[] = {
		{ "version", NL_COL_INT }, { "approved_at", NL_COL_TEXT }, { "approved_by", NL_COL_ID },
		{ "approved_by_name", NL_COL_TEXT },
	};
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = plan_row(ctx, id, NULL, NULL);
	if (rc || (rc = db_prepare(ctx->db, "SELECT v.version, v.approved_at, v.approved_by, u.display_name FROM plan_versions v"
						  " LEFT JOIN users u ON u.id = v.approved_by WHERE v.plan_id = $1 ORDER BY v.version", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	return stmt_rows_json(st, cols, NL_ARRAY_LEN(cols), 0, items, NULL);
}

int plan_version_get(struct nl_ctx *ctx, int64_t id, int64_t version, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *snap = NULL;
	*out = NULL;
	int rc = plan_row(ctx, id, NULL, NULL);
	if (rc || (rc = db_prepare(ctx->db, "SELECT snapshot FROM plan_versions WHERE plan_id = $1 AND version = $2", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, version);
	rc = stmt_step(st);
	if (rc == 1)
		snap = json_loads(stmt_column_text(st, 0), 0, NULL);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "Version %lld of this plan has not been approved.", (long long)version);
	if (rc < 0)
		return rc;
	if (!snap)
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "The snapshot of version %lld cannot be read.", (long long)version);
	*out = snap;
	return 0;
}

int plan_history(struct nl_ctx *ctx, int64_t id, json_t **items)
{
	static const struct nl_col cols[] = {
		{ "version", NL_COL_INT }, { "action", NL_COL_TEXT }, { "at", NL_COL_TEXT }, { "by", NL_COL_TEXT },
		{ "by_user_id", NL_COL_ID }, { "comment", NL_COL_TEXT },
	};
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = plan_row(ctx, id, NULL, NULL);
	if (rc || (rc = db_prepare(ctx->db, "SELECT version, action, at, by_name, by_user_id, comment FROM plan_history"
						  " WHERE plan_id = $1 ORDER BY id", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	return stmt_rows_json(st, cols, NL_ARRAY_LEN(cols), 0, items, NULL);
}
