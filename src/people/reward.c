/* reward.c — rewards and penalties through the approval mechanism (people/reward.h), with this file's own SQL on
 * rewards, and reads of staff, partners, complaints, metrics, partner_assessments and innovations to check links
 * (the partners and improvement rooms own those tables; only their ids are read here). */
#include "people/reward.h"

#include "approval/approval.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "people/peopleInt.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

#define REWARD_SELECT \
	"SELECT r.id, r.kind, r.staff_id, s.name, s.department_id, r.partner_id, p.name, r.reason, r.cause_type, r.cause_id," \
	" r.amount, r.points, r.status, r.approval_id, r.created_by, u.display_name, r.proposed_on, r.created_at, r.decided_at" \
	" FROM rewards r LEFT JOIN staff s ON s.id = r.staff_id LEFT JOIN partners p ON p.id = r.partner_id" \
	" LEFT JOIN users u ON u.id = r.created_by"

static json_t *reward_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "kind", stmt_column_text(st, 1));
	json_set_id(o, "staff_id", stmt_column_int64(st, 2));
	json_set_str(o, "staff_name", stmt_column_text(st, 3));
	json_set_id(o, "department_id", stmt_column_int64(st, 4));
	json_set_id(o, "partner_id", stmt_column_int64(st, 5));
	json_set_str(o, "partner_name", stmt_column_text(st, 6));
	json_set_str(o, "reason", stmt_column_text(st, 7));
	json_set_str(o, "cause_type", stmt_column_text(st, 8));
	json_set_id(o, "cause_id", stmt_column_int64(st, 9));
	people_json_real_col(o, "amount", st, 10);
	people_json_real_col(o, "points", st, 11);
	json_set_str(o, "status", stmt_column_text(st, 12));
	json_set_id(o, "approval_id", stmt_column_int64(st, 13));
	json_set_id(o, "created_by", stmt_column_int64(st, 14));
	json_set_str(o, "created_by_name", stmt_column_text(st, 15));
	json_set_str(o, "proposed_on", stmt_column_text(st, 16));
	json_set_str(o, "created_at", stmt_column_text(st, 17));
	json_set_str(o, "decided_at", stmt_column_text(st, 18));
	return o;
}

/* 1 when ctx->actor may read reward o (see reward.h). */
static int may_read(const struct nl_ctx *ctx, const json_t *o)
{
	if (!ctx->actor || policy_scope_allows(ctx->actor, "appraisal.read", 0))
		return 1;
	int64_t staff = json_integer_value(json_object_get(o, "staff_id"));
	int64_t dept = json_integer_value(json_object_get(o, "department_id"));
	int64_t by = json_integer_value(json_object_get(o, "created_by"));
	return !staff || (by > 0 && by == ctx->actor->id) || policy_scope_allows(ctx->actor, "appraisal.read", dept);
}

static int reward_read(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, REWARD_SELECT " WHERE r.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = reward_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No reward or penalty with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int reward_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	json_t *approval = NULL;
	int rc = reward_read(ctx, id, out);
	if (rc)
		return rc;
	if (!may_read(ctx, *out)) {
		rc = nl_fail(ctx->err, NL_EFORBIDDEN, NULL, "You may read only your own department's rewards and penalties.");
		goto out;
	}
	int64_t aid = json_integer_value(json_object_get(*out, "approval_id"));
	if (aid > 0) {
		if ((rc = approval_get(ctx, aid, &approval)))
			goto out;
		json_object_set_new(*out, "approval", approval);
	} else {
		json_object_set_new(*out, "approval", json_null());
	}
	return 0;
out:
	json_decref(*out);
	*out = NULL;
	return rc;
}

int reward_list(struct nl_ctx *ctx, const struct nl_reward_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	char year_s[8] = "";
	int more = 0;
	*items = NULL;
	*next = 0;
	if (f->status && strcmp(f->status, "pending") && strcmp(f->status, "approved") && strcmp(f->status, "rejected") &&
		strcmp(f->status, "cancelled"))
		return nl_fail(ctx->err, NL_EINVAL, "status", "status must be pending, approved, rejected or cancelled.");
	if (f->kind && strcmp(f->kind, "reward") && strcmp(f->kind, "penalty"))
		return nl_fail(ctx->err, NL_EINVAL, "kind", "kind must be reward or penalty.");
	if (f->year)
		snprintf(year_s, sizeof year_s, "%04lld", (long long)f->year);
	int scoped = ctx->actor && !policy_scope_allows(ctx->actor, "appraisal.read", 0);
	int64_t own = scoped && ctx->actor->department_id > 0 ? ctx->actor->department_id : -1;
	int rc = db_prepare(ctx->db, REWARD_SELECT " WHERE r.id > $1"
				     " AND (CAST($2 AS TEXT) = '' OR r.status = CAST($2 AS TEXT))"
				     " AND (CAST($3 AS TEXT) = '' OR r.kind = CAST($3 AS TEXT))"
				     " AND (CAST($4 AS BIGINT) = 0 OR r.staff_id = CAST($4 AS BIGINT))"
				     " AND (CAST($5 AS BIGINT) = 0 OR r.partner_id = CAST($5 AS BIGINT))"
				     " AND (CAST($6 AS BIGINT) = 0 OR s.department_id = CAST($6 AS BIGINT))"
				     " AND (CAST($7 AS TEXT) = '' OR substr(r.proposed_on, 1, 4) = CAST($7 AS TEXT))"
				     " AND ($8 = 0 OR r.staff_id IS NULL OR s.department_id = CAST($9 AS BIGINT)"
				     "  OR r.created_by = CAST($10 AS BIGINT))"
				     " ORDER BY r.id LIMIT $11", &st);
	if (rc)
		return rc;
	int64_t limit = f->limit > 0 ? f->limit : PEOPLE_NO_LIMIT;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_text(st, 2, f->status ? f->status : "");
	stmt_bind_text(st, 3, f->kind ? f->kind : "");
	stmt_bind_int64(st, 4, f->staff_id);
	stmt_bind_int64(st, 5, f->partner_id);
	stmt_bind_int64(st, 6, f->department_id);
	stmt_bind_text(st, 7, year_s);
	stmt_bind_int64(st, 8, scoped);
	stmt_bind_int64(st, 9, own);
	stmt_bind_int64(st, 10, people_actor_id(ctx));
	stmt_bind_int64(st, 11, limit + 1);
	json_t *arr = json_array();
	int64_t n = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			more = 1;
			break;
		}
		json_array_append_new(arr, reward_row(st));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*next = people_next_cursor(arr, more);
	*items = arr;
	return 0;
}

/* The table holding the records a cause_type names, and the SQL checking a cause_id (NULL: no link allowed). */
static const char *cause_sql(const char *type)
{
	if (!strcmp(type, "complaint"))
		return "SELECT 1 FROM complaints WHERE id = $1";
	if (!strcmp(type, "metric"))
		return "SELECT 1 FROM metrics WHERE id = $1";
	if (!strcmp(type, "assessment"))
		return "SELECT partner_id FROM partner_assessments WHERE id = $1";
	if (!strcmp(type, "innovation"))
		return "SELECT 1 FROM innovations WHERE id = $1";
	return NULL;
}

static int reward_validate(struct nl_ctx *ctx, const struct nl_reward_input *in, char *subject, size_t slen)
{
	struct nl_stmt *st = NULL;
	int rc;
	const char *type = in->cause_type ? in->cause_type : "other";
	subject[0] = '\0';
	if (!in->kind || (strcmp(in->kind, "reward") && strcmp(in->kind, "penalty")))
		return nl_fail(ctx->err, NL_EVALID, "kind", "kind must be reward or penalty.");
	if (in->staff_id > 0 && in->partner_id > 0)
		return nl_fail(ctx->err, NL_EVALID, "partner_id", "Give either staff_id or partner_id, not both.");
	if (in->staff_id <= 0 && in->partner_id <= 0)
		return nl_fail(ctx->err, NL_EVALID, "staff_id", "Give staff_id (a staff member) or partner_id (a partner).");
	if (!in->reason || !*in->reason)
		return nl_fail(ctx->err, NL_EVALID, "reason", "reason must not be empty.");
	const char *who_sql = in->staff_id > 0 ? "SELECT name FROM staff WHERE id = $1" : "SELECT name FROM partners WHERE id = $1";
	if ((rc = db_prepare(ctx->db, who_sql, &st)))
		return rc;
	stmt_bind_int64(st, 1, in->staff_id > 0 ? in->staff_id : in->partner_id);
	rc = stmt_step(st);
	if (rc == 1)
		snprintf(subject, slen, "%s", stmt_column_text(st, 0) ? stmt_column_text(st, 0) : "");
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return in->staff_id > 0
			? nl_fail(ctx->err, NL_EVALID, "staff_id", "No staff member with id %lld.", (long long)in->staff_id)
			: nl_fail(ctx->err, NL_EVALID, "partner_id", "No partner with id %lld.", (long long)in->partner_id);
	if (strcmp(type, "complaint") && strcmp(type, "metric") && strcmp(type, "assessment") && strcmp(type, "innovation") &&
		strcmp(type, "other"))
		return nl_fail(ctx->err, NL_EVALID, "cause_type", "cause_type must be complaint, metric, assessment, innovation or other.");
	if (in->cause_id > 0) {
		const char *sql = cause_sql(type);
		if (!sql)
			return nl_fail(ctx->err, NL_EVALID, "cause_id", "A cause of type \"other\" links to no record; leave cause_id out.");
		if ((rc = db_prepare(ctx->db, sql, &st)))
			return rc;
		stmt_bind_int64(st, 1, in->cause_id);
		rc = stmt_step(st);
		int64_t partner = rc == 1 ? stmt_column_int64(st, 0) : 0;
		stmt_done(st);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return nl_fail(ctx->err, NL_EVALID, "cause_id", "No %s with id %lld.", type, (long long)in->cause_id);
		if (!strcmp(type, "assessment") && in->partner_id > 0 && partner != in->partner_id)
			return nl_fail(ctx->err, NL_EVALID, "cause_id", "Assessment %lld is not an assessment of partner %lld.",
				(long long)in->cause_id, (long long)in->partner_id);
	}
	if (!isnan(in->amount) && (!isfinite(in->amount) || in->amount < 0 || in->amount > 1e12))
		return nl_fail(ctx->err, NL_EVALID, "amount", "amount must be a number from 0 (the kind says reward or penalty).");
	if (!isnan(in->points) && (!isfinite(in->points) || in->points < 0 || in->points > 1e9))
		return nl_fail(ctx->err, NL_EVALID, "points", "points must be a number from 0 (the kind says reward or penalty).");
	return 0;
}

int reward_create(struct nl_ctx *ctx, const struct nl_reward_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN], at[24], subject[256], summary[600];
	int64_t id = 0, approval_id = 0;
	static const char *const steps[] = { "approver" };
	*out = NULL;
	int rc = people_today(ctx, &today, today_s);
	if (rc || (rc = reward_validate(ctx, in, subject, sizeof subject)))
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO rewards (kind, staff_id, partner_id, reason, cause_type, cause_id, amount, points,"
				      " status, created_by, proposed_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9,"
				      " $10, $11) RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, in->kind);
	people_bind_id(st, 2, in->staff_id);
	people_bind_id(st, 3, in->partner_id);
	stmt_bind_text(st, 4, in->reason);
	stmt_bind_text(st, 5, in->cause_type ? in->cause_type : "other");
	people_bind_id(st, 6, in->cause_id);
	people_bind_real(st, 7, in->amount);
	people_bind_real(st, 8, in->points);
	people_bind_id(st, 9, people_actor_id(ctx));
	stmt_bind_text(st, 10, today_s);
	stmt_bind_text(st, 11, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		goto out;
	snprintf(summary, sizeof summary, "%s for %s: %.200s", !strcmp(in->kind, "reward") ? "Reward" : "Penalty", subject,
		in->reason);
	if ((rc = approval_request(ctx, "reward", id, 1, steps, 1, summary, &approval_id)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE rewards SET approval_id = $2 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, approval_id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = reward_read(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "reward", id, NULL, *out);
out:
	return people_write_end(ctx, rc, out);
}

/* Sets status (and decided_at) of a pending reward inside the caller's transaction. */
static int reward_set_status(struct nl_ctx *ctx, int64_t id, const char *status, const char *at)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "UPDATE rewards SET status = $2, decided_at = $3 WHERE id = $1 AND status = 'pending'", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, status);
	stmt_bind_text(st, 3, at);
	rc = stmt_step(st);
	int64_t changed = stmt_changes(st);
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (changed == 0)
		return nl_fail(ctx->err, NL_ESTATE, NULL, "This proposal has been decided already.");
	return 0;
}

static int not_pending(struct nl_ctx *ctx, const json_t *r, const char *what)
{
	return nl_fail(ctx->err, NL_ESTATE, NULL, "This %s is %s; only a pending one can be %s.",
		json_string_value(json_object_get(r, "kind")), json_string_value(json_object_get(r, "status")), what);
}

int reward_decide(struct nl_ctx *ctx, int64_t id, int approve, const char *comment, json_t **out)
{
	json_t *before = NULL;
	enum nl_approval_outcome outcome = NL_APPROVAL_PENDING;
	char at[24];
	*out = NULL;
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = reward_read(ctx, id, &before)))
		goto out;
	int64_t aid = json_integer_value(json_object_get(before, "approval_id"));
	if (strcmp(json_string_value(json_object_get(before, "status")), "pending") != 0 || aid <= 0) {
		rc = not_pending(ctx, before, approve ? "approved" : "rejected");
		goto out;
	}
	if ((rc = approval_decide(ctx, aid, approve ? "approve" : "reject", comment, &outcome)))
		goto out;
	if (outcome == NL_APPROVAL_APPROVED && (rc = reward_set_status(ctx, id, "approved", at)))
		goto out;
	if (outcome == NL_APPROVAL_REJECTED && (rc = reward_set_status(ctx, id, "rejected", at)))
		goto out;
	if ((rc = reward_read(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, approve ? "approve" : "reject", "reward", id, before, *out);
out:
	json_decref(before);
	return people_write_end(ctx, rc, out);
}

int reward_cancel(struct nl_ctx *ctx, int64_t id, const char *comment, json_t **out)
{
	json_t *before = NULL;
	char at[24];
	*out = NULL;
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = reward_read(ctx, id, &before)))
		goto out;
	int64_t by = json_integer_value(json_object_get(before, "created_by"));
	if (ctx->actor && by != ctx->actor->id) {
		rc = nl_fail(ctx->err, NL_EFORBIDDEN, NULL, "Only the proposer may withdraw this proposal.");
		goto out;
	}
	int64_t aid = json_integer_value(json_object_get(before, "approval_id"));
	if (strcmp(json_string_value(json_object_get(before, "status")), "pending") != 0 || aid <= 0) {
		rc = not_pending(ctx, before, "withdrawn");
		goto out;
	}
	if ((rc = approval_cancel(ctx, aid, comment)) || (rc = reward_set_status(ctx, id, "cancelled", at)) ||
		(rc = reward_read(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "cancel", "reward", id, before, *out);
out:
	json_decref(before);
	return people_write_end(ctx, rc, out);
}
