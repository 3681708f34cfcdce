/* approval.c — the generic approval mechanism: requests with ordered steps, decisions by role (never by the
 * requester), cancellation, and the lists behind /api/v1/approvals and the notifications. Runs inside the caller's
 * transaction; see approval.h for the rules. */
#include "approval/approval.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

#define APPROVAL_COLS \
	"a.id, a.entity, a.entity_id, a.entity_version, a.status, a.summary, a.requested_by, u.display_name," \
	" a.requested_at, a.decided_at"

/* 1 when s is NULL or only white space. */
static int is_blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static int need_transaction(struct nl_ctx *ctx, const char *what)
{
	if (ctx->db && db_in_transaction(ctx->db))
		return 0;
	return nl_fail(ctx->err, NL_EINTERNAL, NULL, "%s must run inside the caller's transaction.", what);
}

int approval_user_may_decide(const struct nl_user *user, const char *role, int64_t requested_by)
{
	if (!user || !role)
		return 0;
	unsigned bit = role_parse(role);
	return bit != 0 && (user->roles & bit) != 0 && (requested_by <= 0 || requested_by != user->id);
}

/* Reads the steps of approval id into o["steps"] and sets o["current_step"]. */
static int approval_fill_steps(struct nl_ctx *ctx, int64_t id, json_t *o)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db,
		"SELECT s.seq, s.role, s.status, s.decided_by, u.display_name, s.decided_at, s.comment"
		" FROM approval_steps s LEFT JOIN users u ON u.id = s.decided_by WHERE s.approval_id = $1 ORDER BY s.seq", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	json_t *steps = json_array(), *current = json_null();
	while ((rc = stmt_step(st)) == 1) {
		json_t *s = json_object();
		json_set_int(s, "seq", stmt_column_int64(st, 0));
		json_set_str(s, "role", stmt_column_text(st, 1));
		json_set_str(s, "status", stmt_column_text(st, 2));
		json_set_id(s, "decided_by", stmt_column_int64(st, 3));
		json_set_str(s, "decided_by_name", stmt_column_text(st, 4));
		json_set_str(s, "decided_at", stmt_column_text(st, 5));
		json_set_str(s, "comment", stmt_column_text(st, 6));
		if (!strcmp(stmt_column_text(st, 2), "pending") && json_is_null(current)) {
			json_decref(current);
			current = json_pack("{s:I,s:s}", "seq", (json_int_t)stmt_column_int64(st, 0), "role",
				stmt_column_text(st, 1));
		}
		json_array_append_new(steps, s);
	}
	stmt_done(st);
	json_object_set_new(o, "current_step", current);
	json_object_set_new(o, "steps", steps);
	return rc < 0 ? rc : 0;
}

/* Loads one approval with its steps; with_can adds "can_decide" for ctx->actor. */
static int approval_load(struct nl_ctx *ctx, int64_t id, int with_can, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *o = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " APPROVAL_COLS " FROM approvals a LEFT JOIN users u ON u.id = a.requested_by"
				     " WHERE a.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		o = json_object();
		json_set_int(o, "id", stmt_column_int64(st, 0));
		json_set_str(o, "entity", stmt_column_text(st, 1));
		json_set_int(o, "entity_id", stmt_column_int64(st, 2));
		json_set_int(o, "entity_version", stmt_column_int64(st, 3));
		json_set_str(o, "status", stmt_column_text(st, 4));
		json_set_str(o, "summary", stmt_column_text(st, 5));
		json_set_id(o, "requested_by", stmt_column_int64(st, 6));
		json_set_str(o, "requested_by_name", stmt_column_text(st, 7));
		json_set_str(o, "requested_at", stmt_column_text(st, 8));
		json_set_str(o, "decided_at", stmt_column_text(st, 9));
	}
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No approval with id %lld.", (long long)id);
	if (rc < 0)
		return rc;
	if ((rc = approval_fill_steps(ctx, id, o))) {
		json_decref(o);
		return rc;
	}
	if (with_can) {
		json_t *cur = json_object_get(o, "current_step");
		int can = !strcmp(json_string_value(json_object_get(o, "status")), "pending") && json_is_object(cur) &&
			approval_user_may_decide(ctx->actor, json_string_value(json_object_get(cur, "role")),
				json_integer_value(json_object_get(o, "requested_by")));
		json_set_bool(o, "can_decide", can);
	}
	*out = o;
	return 0;
}

int approval_get(struct nl_ctx *ctx, int64_t approval_id, json_t **out)
{
	return approval_load(ctx, approval_id, 1, out);
}

int approval_request(struct nl_ctx *ctx, const char *entity, int64_t entity_id, int64_t entity_version,
	const char *const *step_roles, size_t nsteps, const char *summary, int64_t *approval_id)
{
	struct nl_stmt *st = NULL;
	json_t *after = NULL;
	char at[24];
	int64_t id = 0;
	*approval_id = 0;
	int rc = need_transaction(ctx, "approval_request");
	if (rc)
		return rc;
	if (!entity || !*entity || entity_id <= 0 || nsteps < 1 || nsteps > NL_APPROVAL_MAX_STEPS || !step_roles)
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "approval_request: bad arguments.");
	for (size_t i = 0; i < nsteps; i++)
		if (!step_roles[i] || !role_parse(step_roles[i]))
			return nl_fail(ctx->err, NL_EINTERNAL, NULL, "approval_request: unknown role for step %zu.", i + 1);
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_prepare(ctx->db, "INSERT INTO approvals (entity, entity_id, entity_version, status, requested_by,"
				      " requested_at, summary) VALUES ($1, $2, $3, 'pending', $4, $5, $6) RETURNING id", &st)))
		return rc;
	stmt_bind_text(st, 1, entity);
	stmt_bind_int64(st, 2, entity_id);
	stmt_bind_int64(st, 3, entity_version);
	if (ctx->actor && ctx->actor->id > 0)
		stmt_bind_int64(st, 4, ctx->actor->id);
	else
		stmt_bind_null(st, 4);
	stmt_bind_text(st, 5, at);
	stmt_bind_text(st, 6, summary ? summary : "");
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < nsteps; i++) {
		if ((rc = db_prepare(ctx->db, "INSERT INTO approval_steps (approval_id, seq, role, status) VALUES ($1, $2, $3, $4)",
			     &st)))
			return rc;
		stmt_bind_int64(st, 1, id);
		stmt_bind_int64(st, 2, (int64_t)i + 1);
		stmt_bind_text(st, 3, step_roles[i]);
		stmt_bind_text(st, 4, i == 0 ? "pending" : "waiting");
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			return rc;
	}
	if ((rc = approval_load(ctx, id, 0, &after)))
		return rc;
	rc = audit_append(ctx, "request", "approval", id, NULL, after);
	json_decref(after);
	if (rc == 0)
		*approval_id = id;
	return rc;
}

/* Runs one UPDATE with (approval id, text, text) parameters; *changes gets the rows changed. */
static int exec_update(struct nl_ctx *ctx, const char *sql, int64_t id, const char *t2, const char *t3, int64_t *changes)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	if (t2)
		stmt_bind_text(st, 2, t2);
	if (t3)
		stmt_bind_text(st, 3, t3);
	rc = stmt_step(st);
	if (changes)
		*changes = stmt_changes(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int approval_decide(struct nl_ctx *ctx, int64_t approval_id, const char *decision, const char *comment,
	enum nl_approval_outcome *outcome)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL, *after = NULL;
	char at[24];
	int64_t changed = 0;
	*outcome = NL_APPROVAL_PENDING;
	int rc = need_transaction(ctx, "approval_decide");
	if (rc)
		return rc;
	int approve = decision && !strcmp(decision, "approve");
	if (!approve && !(decision && !strcmp(decision, "reject")))
		return nl_fail(ctx->err, NL_EVALID, "decision", "decision must be \"approve\" or \"reject\".");
	if ((rc = approval_load(ctx, approval_id, 0, &before)))
		return rc;
	const char *status = json_string_value(json_object_get(before, "status"));
	json_t *cur = json_object_get(before, "current_step");
	if (strcmp(status, "pending") != 0 || !json_is_object(cur)) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "This approval is %s already; it takes no more decisions.", status);
		goto out;
	}
	const char *role = json_string_value(json_object_get(cur, "role"));
	int64_t seq = json_integer_value(json_object_get(cur, "seq"));
	int64_t requested_by = json_integer_value(json_object_get(before, "requested_by"));
	if (!ctx->actor || !(ctx->actor->roles & role_parse(role))) {
		rc = nl_fail(ctx->err, NL_EFORBIDDEN, NULL, "Deciding this step needs the role %s.", role);
		goto out;
	}
	if (requested_by > 0 && requested_by == ctx->actor->id) {
		rc = nl_fail(ctx->err, NL_EFORBIDDEN, NULL, "You submitted this; another approver must decide.");
		goto out;
	}
	if (!approve && is_blank(comment)) {
		rc = nl_fail(ctx->err, NL_EVALID, "comment", "A rejection needs a comment saying what to change.");
		goto out;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_prepare(ctx->db, "UPDATE approval_steps SET status = $3, decided_by = $4, decided_at = $5, comment = $6"
				      " WHERE approval_id = $1 AND seq = $2 AND status = 'pending'", &st)))
		goto out;
	stmt_bind_int64(st, 1, approval_id);
	stmt_bind_int64(st, 2, seq);
	stmt_bind_text(st, 3, approve ? "approved" : "rejected");
	stmt_bind_int64(st, 4, ctx->actor->id);
	stmt_bind_text(st, 5, at);
	stmt_bind_text(st, 6, comment ? comment : "");
	rc = stmt_step(st);
	changed = stmt_changes(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (changed == 0) {   /* decided by someone else meanwhile */
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "This step has been decided already.");
		goto out;
	}
	if (!approve) {
		if ((rc = exec_update(ctx, "UPDATE approval_steps SET status = 'skipped' WHERE approval_id = $1 AND status = 'waiting'",
			     approval_id, NULL, NULL, NULL)) ||
			(rc = exec_update(ctx, "UPDATE approvals SET status = 'rejected', decided_at = $2 WHERE id = $1", approval_id,
				 at, NULL, NULL)))
			goto out;
		*outcome = NL_APPROVAL_REJECTED;
	} else {
		/* the next waiting step (the lowest seq) becomes pending; none left: the approval is approved */
		if ((rc = exec_update(ctx, "UPDATE approval_steps SET status = 'pending' WHERE approval_id = $1 AND seq ="
					   " (SELECT MIN(seq) FROM approval_steps WHERE approval_id = $1 AND status = 'waiting')",
			     approval_id, NULL, NULL, &changed)))
			goto out;
		if (changed == 0) {
			if ((rc = exec_update(ctx, "UPDATE approvals SET status = 'approved', decided_at = $2 WHERE id = $1",
				     approval_id, at, NULL, NULL)))
				goto out;
			*outcome = NL_APPROVAL_APPROVED;
		}
	}
	if ((rc = approval_load(ctx, approval_id, 0, &after)))
		goto out;
	rc = audit_append(ctx, approve ? "approve" : "reject", "approval", approval_id, before, after);
out:
	json_decref(before);
	json_decref(after);
	if (rc)
		*outcome = NL_APPROVAL_PENDING;
	return rc;
}

int approval_cancel(struct nl_ctx *ctx, int64_t approval_id, const char *comment)
{
	json_t *before = NULL, *after = NULL;
	char at[24];
	int rc = need_transaction(ctx, "approval_cancel");
	if (rc)
		return rc;
	if ((rc = approval_load(ctx, approval_id, 0, &before)))
		return rc;
	const char *status = json_string_value(json_object_get(before, "status"));
	if (strcmp(status, "pending") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "This approval is %s already; it cannot be cancelled.", status);
		goto out;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = exec_update(ctx, "UPDATE approval_steps SET status = 'skipped', comment = CASE WHEN status = 'pending'"
				   " THEN $3 ELSE comment END, decided_at = CASE WHEN status = 'pending' THEN $2 ELSE decided_at END"
				   " WHERE approval_id = $1 AND status IN ('pending', 'waiting')",
		     approval_id, at, comment ? comment : "", NULL)) ||
		(rc = exec_update(ctx, "UPDATE approvals SET status = 'cancelled', decided_at = $2 WHERE id = $1", approval_id, at,
			 NULL, NULL)))
		goto out;
	if ((rc = approval_load(ctx, approval_id, 0, &after)))
		goto out;
	rc = audit_append(ctx, "cancel", "approval", approval_id, before, after);
out:
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ",approver,planner," — the user's role names for the LIKE match on approval_steps.role. */
static void roles_csv(unsigned roles, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; nl_role_names[i] && len < n; i++)
		if (roles & (1u << i))
			len += (size_t)snprintf(out + len, n - len, ",%s", nl_role_names[i]);
	if (len + 2 <= n)
		snprintf(out + len, n - len, ",");
}

/* Loads each approval whose id is in ids[0..n) into a new array. */
static int approvals_by_ids(struct nl_ctx *ctx, const int64_t *ids, size_t n, json_t **items)
{
	json_t *arr = json_array();
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *o = NULL;
		if ((rc = approval_load(ctx, ids[i], 1, &o)) == 0)
			json_array_append_new(arr, o);
	}
	if (rc) {
		json_decref(arr);
		arr = NULL;
	}
	*items = arr;
	return rc;
}

/* Pending approvals that user $1 did not request and whose pending step's role is in the list ROLES (a parameter
 * holding ",approver,planner,"). */
#define PENDING_FOR_WHERE(ROLES) \
	" a.status = 'pending' AND (a.requested_by IS NULL OR a.requested_by <> $1) AND EXISTS (SELECT 1 FROM" \
	" approval_steps s WHERE s.approval_id = a.id AND s.status = 'pending'" \
	" AND CAST(" ROLES " AS TEXT) LIKE ('%,' || s.role || ',%'))"

int approval_pending_for(struct nl_ctx *ctx, const struct nl_user *user, json_t **items)
{
	struct nl_stmt *st = NULL;
	char roles[128];
	int64_t ids[500];
	size_t n = 0;
	*items = NULL;
	if (!user)
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "approval_pending_for: no user.");
	roles_csv(user->roles, roles, sizeof roles);
	int rc = db_prepare(ctx->db, "SELECT a.id FROM approvals a WHERE" PENDING_FOR_WHERE("$2") " ORDER BY a.id LIMIT 500", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, user->id);
	stmt_bind_text(st, 2, roles);
	while ((rc = stmt_step(st)) == 1 && n < NL_ARRAY_LEN(ids))
		ids[n++] = stmt_column_int64(st, 0);
	stmt_done(st);
	if (rc < 0)
		return rc;
	const struct nl_user *saved = ctx->actor;
	ctx->actor = user;   /* can_decide is answered for this user */
	rc = approvals_by_ids(ctx, ids, n, items);
	ctx->actor = saved;
	return rc;
}

int approval_list(struct nl_ctx *ctx, const struct nl_approval_filter *f, json_t **items, int64_t *next_cursor)
{
	struct nl_stmt *st = NULL;
	char roles[128];
	int64_t ids[501];
	size_t n = 0;
	*items = NULL;
	*next_cursor = 0;
	if (!ctx->actor)
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "approval_list: no user.");
	int64_t limit = f->limit > 0 && f->limit <= 500 ? f->limit : 50;
	int pending_for = !f->mine && f->status && !strcmp(f->status, "pending");
	/* $1 the user, $2..$5 the cursor and filters, $6 the limit, $7 (pending only) the user's roles */
#define LIST_TAIL \
	" AND ($2 = 0 OR a.id < $2) AND ($3 = '' OR a.status = $3) AND ($4 = '' OR a.entity = $4)" \
	" AND ($5 = 0 OR a.entity_id = $5) ORDER BY a.id DESC LIMIT $6"
	const char *sql = f->mine
		? "SELECT a.id FROM approvals a WHERE a.requested_by = $1" LIST_TAIL
		: pending_for
		? "SELECT a.id FROM approvals a WHERE" PENDING_FOR_WHERE("$7") LIST_TAIL
		: "SELECT a.id FROM approvals a WHERE (a.requested_by = $1 OR EXISTS (SELECT 1 FROM approval_steps s"
		  " WHERE s.approval_id = a.id AND s.decided_by = $1))" LIST_TAIL;
#undef LIST_TAIL
	roles_csv(ctx->actor->roles, roles, sizeof roles);
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ctx->actor->id);
	stmt_bind_int64(st, 2, f->cursor);
	stmt_bind_text(st, 3, f->status ? f->status : "");
	stmt_bind_text(st, 4, f->entity ? f->entity : "");
	stmt_bind_int64(st, 5, f->entity_id);
	stmt_bind_int64(st, 6, limit + 1);
	if (pending_for)
		stmt_bind_text(st, 7, roles);
	while ((rc = stmt_step(st)) == 1 && n < NL_ARRAY_LEN(ids))
		ids[n++] = stmt_column_int64(st, 0);
	stmt_done(st);
	if (rc < 0)
		return rc;
	if ((int64_t)n > limit) {
		n = (size_t)limit;
		*next_cursor = ids[n - 1];
	}
	return approvals_by_ids(ctx, ids, n, items);
}

int approval_latest_for(struct nl_ctx *ctx, const char *entity, int64_t entity_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT MAX(id) FROM approvals WHERE entity = $1 AND entity_id = $2", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, entity);
	stmt_bind_int64(st, 2, entity_id);
	rc = stmt_step(st);
	int64_t id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		return rc;
	return id > 0 ? approval_load(ctx, id, 1, out) : 0;
}
