/* innovation.c — innovation proposals and their lifecycle (improvement/innovation.h), with the history in
 * innovation_events; also the adopted proposals of a year for the evaluation (improvement/improvement.h). */
#include "improvement/innovation.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/json.h"
#include "cycle/today.h"
#include "improvement/improvement.h"
#include "store/rows.h"
#include "store/store.h"

#include <string.h>

#include "core/common.h"

const char *const nl_innovation_statuses[] = { "proposed", "pilot", "adopted", "rejected", NULL };
const char *const nl_innovation_categories[] = { "service_product", "process", "technology", NULL };

#define INNOVATION_SELECT \
	"SELECT i.id, i.title, i.category, i.description, i.proposer_user_id, u.display_name, i.department_id, d.name," \
	" i.status, i.pilot_result, i.proposed_on, i.piloted_on, i.decided_on, i.created_at, i.updated_at" \
	" FROM innovations i LEFT JOIN users u ON u.id = i.proposer_user_id" \
	" LEFT JOIN departments d ON d.id = i.department_id"

static const struct nl_col innovation_cols[] = {
	{ "id", NL_COL_INT }, { "title", NL_COL_TEXT }, { "category", NL_COL_TEXT }, { "description", NL_COL_TEXT },
	{ "proposer_user_id", NL_COL_ID }, { "proposer", NL_COL_TEXT }, { "department_id", NL_COL_ID },
	{ "department", NL_COL_TEXT }, { "status", NL_COL_TEXT }, { "pilot_result", NL_COL_TEXT },
	{ "proposed_on", NL_COL_TEXT }, { "piloted_on", NL_COL_TEXT }, { "decided_on", NL_COL_TEXT },
	{ "created_at", NL_COL_TEXT }, { "updated_at", NL_COL_TEXT },
};

/* ---- the lifecycle (pure) ---- */

struct move {
	const char *from, *to;
	int needs_note;
	const char *note_why;
};

static const struct move moves[] = {
	{ "proposed", "pilot", 0, NULL },
	{ "proposed", "rejected", 1, "A note is required to reject a proposal: the reason." },
	{ "pilot", "adopted", 1, "A note is required to adopt a proposal: the pilot's result." },
	{ "pilot", "rejected", 1, "A note is required to reject a proposal: the reason (the pilot's result)." },
};

static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

int innovation_transition(const char *from, const char *to, int has_note, const char **why)
{
	const char *w = NULL;
	int rc = 0;
	for (size_t i = 0; i < NL_ARRAY_LEN(moves); i++) {
		if (from && to && !strcmp(moves[i].from, from) && !strcmp(moves[i].to, to)) {
			if (moves[i].needs_note && !has_note) {
				w = moves[i].note_why;
				rc = NL_EVALID;
			}
			goto out;
		}
	}
	rc = NL_ESTATE;
	if (!in_list(nl_innovation_statuses, from))
		w = "The proposal's status is unknown.";
	else if (!strcmp(from, "adopted") || !strcmp(from, "rejected"))
		w = !strcmp(from, "adopted") ? "An adopted proposal is final." : "A rejected proposal is final.";
	else if (!to || !in_list(nl_innovation_statuses, to) || !strcmp(to, "proposed"))
		w = "A proposal moves only to pilot, adopted or rejected.";
	else if (!strcmp(from, to))
		w = "The proposal is in that status already.";
	else
		w = "A proposal is adopted only after a pilot: move it to pilot first.";
out:
	if (why)
		*why = w;
	return rc;
}

/* ---- helpers ---- */

/* 1 when s is NULL or only white space (ASCII, the no-break space, the ideographic space). */
static int is_blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (p && *p) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
			p += 3;
		else if (p[0] == 0xC2 && p[1] == 0xA0)
			p += 2;
		else
			return 0;
	}
	return 1;
}

static void bind_id(struct nl_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		stmt_bind_int64(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

static int today_text(struct nl_ctx *ctx, struct nl_date *d, char s[NL_DATE_STRLEN])
{
	int rc = cycle_today(ctx, d);
	if (rc)
		return rc;
	if (date_format(*d, s))
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "Today's date is out of range.");
	return 0;
}

/* 1 when a row answers sql with $1 = id. */
static int exists(struct nl_ctx *ctx, const char *sql, int64_t id, int *found)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	*found = rc == 1;
	return rc < 0 ? rc : 0;
}

static int history_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT e.from_status, e.to_status, e.note, e.by_user_id, u.display_name, e.at"
				     " FROM innovation_events e LEFT JOIN users u ON u.id = e.by_user_id"
				     " WHERE e.innovation_id = $1 ORDER BY e.id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	json_t *a = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *o = json_object();
		const char *from = stmt_column_text(st, 0);
		json_set_str(o, "from_status", from && *from ? from : NULL);
		json_set_str(o, "to_status", stmt_column_text(st, 1));
		json_set_str(o, "note", stmt_column_text(st, 2));
		json_set_id(o, "by_user_id", stmt_column_int64(st, 3));
		json_set_str(o, "by", stmt_column_text(st, 4));
		json_set_str(o, "at", stmt_column_text(st, 5));
		json_array_append_new(a, o);
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int innovation_get(struct nl_ctx *ctx, int64_t id, int history, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *o = NULL, *h = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, INNOVATION_SELECT " WHERE i.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		o = stmt_row_json(st, innovation_cols, NL_ARRAY_LEN(innovation_cols));
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No innovation proposal with id %lld.", (long long)id);
	if (rc < 0)
		return rc;
	if (history) {
		if ((rc = history_get(ctx, id, &h))) {
			json_decref(o);
			return rc;
		}
		json_object_set_new(o, "history", h);
	}
	*out = o;
	return 0;
}

/* Appends one history entry (inside the caller's transaction). */
static int event_add(struct nl_ctx *ctx, int64_t id, const char *from, const char *to, const char *note)
{
	struct nl_stmt *st = NULL;
	char at[24];
	ctx_now_rfc3339(ctx, at);
	int rc = db_prepare(ctx->db, "INSERT INTO innovation_events (innovation_id, from_status, to_status, note, by_user_id, at)"
				     " VALUES ($1, $2, $3, $4, $5, $6)", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, from);
	stmt_bind_text(st, 3, to);
	stmt_bind_text(st, 4, note ? note : "");
	bind_id(st, 5, ctx->actor ? ctx->actor->id : 0);
	stmt_bind_text(st, 6, at);
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Ends a write that produced *out: commits (rc 0) or rolls back, dropping *out on failure. */
static int finish(struct nl_ctx *ctx, int rc, json_t **out)
{
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- writes ---- */

int innovation_create(struct nl_ctx *ctx, const struct nl_innovation_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today, on;
	char today_s[NL_DATE_STRLEN], at[24];
	int64_t id = 0, dept = in->department_id;
	int found = 0;
	*out = NULL;
	if (is_blank(in->title))
		return nl_fail(ctx->err, NL_EVALID, "title", "title must not be blank.");
	if (!in_list(nl_innovation_categories, in->category))
		return nl_fail(ctx->err, NL_EVALID, "category", "category must be service_product, process or technology.");
	if (is_blank(in->description))
		return nl_fail(ctx->err, NL_EVALID, "description", "description must not be blank.");
	int rc = today_text(ctx, &today, today_s);
	if (rc)
		return rc;
	if (in->proposed_on) {
		if (date_parse(in->proposed_on, &on))
			return nl_fail(ctx->err, NL_EVALID, "proposed_on", "proposed_on is not a calendar date.");
		if (date_cmp(on, today) > 0)
			return nl_fail(ctx->err, NL_EVALID, "proposed_on", "proposed_on (%s) is after today (%s).", in->proposed_on,
				today_s);
	}
	if (dept > 0) {
		if ((rc = exists(ctx, "SELECT 1 FROM departments WHERE id = $1", dept, &found)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "department_id", "No department with id %lld.", (long long)dept);
	} else {
		dept = ctx->actor ? ctx->actor->department_id : 0;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO innovations (title, category, description, proposer_user_id, department_id,"
				      " status, pilot_result, proposed_on, created_at, updated_at)"
				      " VALUES ($1, $2, $3, $4, $5, 'proposed', '', $6, $7, $7) RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, in->title);
	stmt_bind_text(st, 2, in->category);
	stmt_bind_text(st, 3, in->description);
	bind_id(st, 4, ctx->actor ? ctx->actor->id : 0);
	bind_id(st, 5, dept);
	stmt_bind_text(st, 6, in->proposed_on ? in->proposed_on : today_s);
	stmt_bind_text(st, 7, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (!(rc = event_add(ctx, id, "", "proposed", "")) && !(rc = innovation_get(ctx, id, 1, out)))
		rc = audit_append(ctx, "create", "innovation", id, NULL, *out);
out:
	return finish(ctx, rc, out);
}

/* The name of the first field set in `set`, for an error. */
static const char *first_field(unsigned set)
{
	static const char *const names[] = { "title", "category", "description", "pilot_result" };
	for (size_t i = 0; i < NL_ARRAY_LEN(names); i++)
		if (set & (1u << i))
			return names[i];
	return NULL;
}

int innovation_update(struct nl_ctx *ctx, int64_t id, const struct nl_innovation_input *in, unsigned set,
	json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	char at[24];
	const unsigned proposal_fields = NL_INNOVATION_SET_TITLE | NL_INNOVATION_SET_CATEGORY | NL_INNOVATION_SET_DESCRIPTION;
	*out = NULL;
	if ((set & NL_INNOVATION_SET_TITLE) && is_blank(in->title))
		return nl_fail(ctx->err, NL_EVALID, "title", "title must not be blank.");
	if ((set & NL_INNOVATION_SET_CATEGORY) && !in_list(nl_innovation_categories, in->category))
		return nl_fail(ctx->err, NL_EVALID, "category", "category must be service_product, process or technology.");
	if ((set & NL_INNOVATION_SET_DESCRIPTION) && is_blank(in->description))
		return nl_fail(ctx->err, NL_EVALID, "description", "description must not be blank.");
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = innovation_get(ctx, id, 0, &before)))
		goto out;
	int64_t proposer = json_integer_value(json_object_get(before, "proposer_user_id"));
	if (ctx->actor && ctx->actor->id != proposer && !policy_allows(ctx->actor->roles, "innovation.advance")) {
		rc = nl_fail(ctx->err, NL_EFORBIDDEN, NULL, "Only the proposer, quality or a planner may change a proposal.");
		goto out;
	}
	const char *status = json_string_value(json_object_get(before, "status"));
	if ((set & proposal_fields) && strcmp(status, "proposed") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, first_field(set & proposal_fields),
			"The proposal is %s: its title, category and description can be changed only while it is proposed.", status);
		goto out;
	}
	if ((set & NL_INNOVATION_SET_PILOT_RESULT) && strcmp(status, "pilot") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, "pilot_result",
			"The proposal is %s: pilot_result can be written only while it is in pilot (adopting it records the final result).",
			status);
		goto out;
	}
	if (set == 0) {
		rc = innovation_get(ctx, id, 1, out);
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "UPDATE innovations SET title = COALESCE($2, title), category = COALESCE($3, category),"
				      " description = COALESCE($4, description), pilot_result = COALESCE($5, pilot_result),"
				      " updated_at = $6 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, (set & NL_INNOVATION_SET_TITLE) ? in->title : NULL);
	stmt_bind_text(st, 3, (set & NL_INNOVATION_SET_CATEGORY) ? in->category : NULL);
	stmt_bind_text(st, 4, (set & NL_INNOVATION_SET_DESCRIPTION) ? in->description : NULL);
	stmt_bind_text(st, 5, (set & NL_INNOVATION_SET_PILOT_RESULT) ? (in->pilot_result ? in->pilot_result : "") : NULL);
	stmt_bind_text(st, 6, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = innovation_get(ctx, id, 1, out)))
		goto out;
	rc = audit_append(ctx, "update", "innovation", id, before, *out);
out:
	json_decref(before);
	return finish(ctx, rc, out);
}

int innovation_advance(struct nl_ctx *ctx, int64_t id, const char *to, const char *note, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN], at[24];
	const char *why = NULL;
	*out = NULL;
	int rc = today_text(ctx, &today, today_s);
	if (rc)
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = innovation_get(ctx, id, 0, &before)))
		goto out;
	const char *from = json_string_value(json_object_get(before, "status"));
	rc = innovation_transition(from, to, !is_blank(note), &why);
	if (rc == NL_ESTATE) {
		rc = nl_fail(ctx->err, NL_ESTATE, "to", "Proposal %lld is %s; it cannot move to %s. %s", (long long)id, from,
			to ? to : "(none)", why ? why : "");
		goto out;
	}
	if (rc) {
		rc = nl_fail(ctx->err, NL_EVALID, "note", "%s", why ? why : "A note is required.");
		goto out;
	}
	int piloting = !strcmp(to, "pilot"), adopting = !strcmp(to, "adopted");
	if ((rc = db_prepare(ctx->db, "UPDATE innovations SET status = $2, piloted_on = COALESCE($3, piloted_on),"
				      " decided_on = COALESCE($4, decided_on), pilot_result = COALESCE($5, pilot_result),"
				      " updated_at = $6 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, to);
	stmt_bind_text(st, 3, piloting ? today_s : NULL);
	stmt_bind_text(st, 4, piloting ? NULL : today_s);
	stmt_bind_text(st, 5, adopting ? note : NULL);
	stmt_bind_text(st, 6, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = event_add(ctx, id, from, to, note)) || (rc = innovation_get(ctx, id, 1, out)))
		goto out;
	rc = audit_append(ctx, piloting ? "pilot" : adopting ? "adopt" : "reject", "innovation", id, before, *out);
out:
	json_decref(before);
	return finish(ctx, rc, out);
}

/* ---- lists ---- */

int innovation_list(struct nl_ctx *ctx, const struct nl_innovation_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	char from[NL_DATE_STRLEN] = "0000-00-00", to[NL_DATE_STRLEN] = "9999-99-99";
	int more = 0;
	*items = NULL;
	*next = 0;
	if (f->status && !in_list(nl_innovation_statuses, f->status))
		return nl_fail(ctx->err, NL_EINVAL, "status", "status must be proposed, pilot, adopted or rejected.");
	if (f->category && !in_list(nl_innovation_categories, f->category))
		return nl_fail(ctx->err, NL_EINVAL, "category", "category must be service_product, process or technology.");
	if (f->year) {
		struct nl_date first = { (int)f->year, 1, 1 }, last = { (int)f->year, 12, 31 };
		if (date_format(first, from) || date_format(last, to))
			return nl_fail(ctx->err, NL_EINVAL, "year", "year must be between %d and %d.", NL_DATE_MIN_YEAR, NL_DATE_MAX_YEAR);
	}
	int rc = db_prepare(ctx->db, INNOVATION_SELECT " WHERE i.id > $1 AND (CAST($2 AS TEXT) = '' OR i.status = $2)"
					    " AND (CAST($3 AS TEXT) = '' OR i.category = $3)"
					    " AND (CAST($4 AS BIGINT) = 0 OR i.department_id = CAST($4 AS BIGINT))"
					    " AND (CAST($5 AS BIGINT) = 0 OR i.proposer_user_id = CAST($5 AS BIGINT))"
					    " AND i.proposed_on >= $6 AND i.proposed_on <= $7 ORDER BY i.id LIMIT $8", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_text(st, 2, f->status ? f->status : "");
	stmt_bind_text(st, 3, f->category ? f->category : "");
	stmt_bind_int64(st, 4, f->department_id);
	stmt_bind_int64(st, 5, f->proposer_user_id);
	stmt_bind_text(st, 6, from);
	stmt_bind_text(st, 7, to);
	stmt_bind_int64(st, 8, f->limit + 1);
	if ((rc = stmt_rows_json(st, innovation_cols, NL_ARRAY_LEN(innovation_cols), (size_t)f->limit, items, &more)))
		return rc;
	if (more)
		*next = json_integer_value(json_object_get(json_array_get(*items, json_array_size(*items) - 1), "id"));
	return 0;
}

int innovation_adopted_in_year(struct nl_ctx *ctx, int year, json_t **items)
{
	struct nl_stmt *st = NULL;
	char from[NL_DATE_STRLEN], to[NL_DATE_STRLEN];
	*items = NULL;
	struct nl_date first = { year, 1, 1 }, last = { year, 12, 31 };
	if (date_format(first, from) || date_format(last, to))
		return nl_fail(ctx->err, NL_EVALID, "year", "year must be between %d and %d.", NL_DATE_MIN_YEAR, NL_DATE_MAX_YEAR);
	int rc = db_prepare(ctx->db, INNOVATION_SELECT " WHERE i.status = 'adopted' AND i.decided_on >= $1 AND i.decided_on <= $2"
					    " ORDER BY i.decided_on, i.id", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, from);
	stmt_bind_text(st, 2, to);
	return stmt_rows_json(st, innovation_cols, NL_ARRAY_LEN(innovation_cols), 0, items, NULL);
}
