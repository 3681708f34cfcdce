/* complaint.c — complaints: registration, the lifecycle with its history (complaint_events), reads with the customer's
 * personal data masked for roles without customer.pii, and the periodic analysis (records/complaint.h).
 * Reads the tickets room's tables (customers, tickets) with its own SQL, to check and embed the links. */
#include "records/complaint.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "kpi/kpi.h"
#include "records/pii.h"
#include "records/rating.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

#define COMPLAINT_SELECT \
	"SELECT k.id, k.channel, k.customer_id, cu.name, cu.organisation, cu.phone, cu.email," \
	" k.ticket_id, t.external_id, t.title, k.partner_id, k.department_id, d.name, k.category, k.content," \
	" k.received_at, k.received_day, k.answer_deadline, k.status, k.valid, k.findings, k.verifier_user_id, vu.display_name," \
	" k.verified_at, k.answer, k.answered_at, k.answered_by, au.display_name, k.last_answered_at, k.rectification," \
	" k.rectified_at, k.archived_at, k.reopen_count, k.created_by, cb.display_name, k.created_at, k.updated_at" \
	" FROM complaints k LEFT JOIN customers cu ON cu.id = k.customer_id LEFT JOIN tickets t ON t.id = k.ticket_id" \
	" LEFT JOIN departments d ON d.id = k.department_id LEFT JOIN users vu ON vu.id = k.verifier_user_id" \
	" LEFT JOIN users au ON au.id = k.answered_by LEFT JOIN users cb ON cb.id = k.created_by"

#define EVENT_SELECT \
	"SELECT e.id, e.action, e.from_status, e.to_status, e.valid, e.note, e.at, e.actor_user_id, e.actor" \
	" FROM complaint_events e WHERE e.complaint_id = $1 ORDER BY e.id"

/* Allowed clock skew for "not in the future" (seconds). */
#define COMPLAINT_FUTURE_SLACK 300
/* The most periods one analysis covers. */
#define ANALYSIS_MAX_PERIODS 240

static const char *const complaint_statuses[] = { "registered", "verified", "answered", "rectified", "archived", NULL };

static int64_t now_of(const struct nl_ctx *ctx)
{
	return ctx->now > 0 ? ctx->now : (int64_t)time(NULL);
}

static void bind_id(struct nl_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		stmt_bind_int64(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

/* A Unix-seconds column as an RFC 3339 string, or null. */
static void set_ts(json_t *o, const char *key, struct nl_stmt *st, int idx)
{
	char buf[NL_TIMESTAMP_STRLEN];
	if (stmt_column_is_null(st, idx) || date_timestamp_format(stmt_column_int64(st, idx), buf) != 0)
		json_object_set_new(o, key, json_null());
	else
		json_set_str(o, key, buf);
}

/* Sets key to v, masked by pii.h's rule unless `full`. */
static void set_masked(json_t *o, const char *key, const char *v, int full, char *(*mask)(const char *, char *, size_t))
{
	if (!v || full) {
		json_set_str(o, key, v);
		return;
	}
	size_t n = NL_PII_MASKED_MAX(strlen(v));
	char *m = malloc(n);
	json_set_str(o, key, m ? mask(v, m, n) : "***");
	free(m);
}

/* The complaint row → JSON (columns of COMPLAINT_SELECT). */
static json_t *complaint_row(struct nl_ctx *ctx, struct nl_stmt *st)
{
	int64_t now = now_of(ctx);
	int pii = pii_visible(ctx->actor);
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "channel", stmt_column_text(st, 1));
	json_set_id(o, "customer_id", stmt_column_int64(st, 2));
	if (stmt_column_is_null(st, 2) || stmt_column_is_null(st, 3)) {
		json_object_set_new(o, "customer", json_null());
	} else {
		json_t *c = json_object();
		json_set_int(c, "id", stmt_column_int64(st, 2));
		json_set_str(c, "name", stmt_column_text(st, 3));
		json_set_str(c, "organisation", stmt_column_text(st, 4));
		set_masked(c, "phone", stmt_column_text(st, 5), pii, pii_mask_phone);
		set_masked(c, "email", stmt_column_text(st, 6), pii, pii_mask_email);
		json_set_bool(c, "pii_masked", !pii);
		json_object_set_new(o, "customer", c);
	}
	json_set_id(o, "ticket_id", stmt_column_int64(st, 7));
	if (stmt_column_is_null(st, 7) || stmt_column_is_null(st, 8)) {
		json_object_set_new(o, "ticket", json_null());
	} else {
		json_t *t = json_object();
		json_set_int(t, "id", stmt_column_int64(st, 7));
		json_set_str(t, "external_id", stmt_column_text(st, 8));
		json_set_str(t, "title", stmt_column_text(st, 9));
		json_object_set_new(o, "ticket", t);
	}
	json_set_id(o, "partner_id", stmt_column_int64(st, 10));
	json_set_id(o, "department_id", stmt_column_int64(st, 11));
	json_set_str(o, "department", stmt_column_text(st, 12));
	json_set_str(o, "category", stmt_column_text(st, 13));
	json_set_str(o, "content", stmt_column_text(st, 14));
	set_ts(o, "received_at", st, 15);
	json_set_str(o, "received_day", stmt_column_text(st, 16));
	set_ts(o, "answer_deadline", st, 17);
	json_set_str(o, "status", stmt_column_text(st, 18));
	if (stmt_column_is_null(st, 19))
		json_object_set_new(o, "valid", json_null());
	else
		json_set_bool(o, "valid", stmt_column_int64(st, 19) != 0);
	json_set_str(o, "findings", stmt_column_text(st, 20));
	json_set_id(o, "verifier_user_id", stmt_column_int64(st, 21));
	json_set_str(o, "verifier", stmt_column_text(st, 22));
	set_ts(o, "verified_at", st, 23);
	json_set_str(o, "answer", stmt_column_text(st, 24));
	set_ts(o, "answered_at", st, 25);
	json_set_id(o, "answered_by", stmt_column_int64(st, 26));
	json_set_str(o, "answerer", stmt_column_text(st, 27));
	set_ts(o, "last_answered_at", st, 28);
	int64_t deadline = stmt_column_int64(st, 17);
	int answered = !stmt_column_is_null(st, 25);
	if (answered)
		json_set_bool(o, "answered_in_time", stmt_column_int64(st, 25) <= deadline);
	else if (now > deadline)
		json_set_bool(o, "answered_in_time", 0);
	else
		json_object_set_new(o, "answered_in_time", json_null());
	json_set_bool(o, "answer_overdue", !answered && now > deadline);
	json_set_str(o, "rectification", stmt_column_text(st, 29));
	set_ts(o, "rectified_at", st, 30);
	set_ts(o, "archived_at", st, 31);
	json_set_int(o, "reopen_count", stmt_column_int64(st, 32));
	json_set_id(o, "created_by", stmt_column_int64(st, 33));
	json_set_str(o, "registered_by", stmt_column_text(st, 34));
	json_set_str(o, "created_at", stmt_column_text(st, 35));
	json_set_str(o, "updated_at", stmt_column_text(st, 36));
	return o;
}

static int complaint_history(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, EVENT_SELECT, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *e = json_object();
		json_set_int(e, "id", stmt_column_int64(st, 0));
		json_set_str(e, "action", stmt_column_text(st, 1));
		json_set_str(e, "from_status", stmt_column_text(st, 2));
		json_set_str(e, "to_status", stmt_column_text(st, 3));
		if (stmt_column_is_null(st, 4))
			json_object_set_new(e, "valid", json_null());
		else
			json_set_bool(e, "valid", stmt_column_int64(st, 4) != 0);
		json_set_str(e, "note", stmt_column_text(st, 5));
		set_ts(e, "at", st, 6);
		json_set_id(e, "actor_user_id", stmt_column_int64(st, 7));
		json_set_str(e, "actor", stmt_column_text(st, 8));
		json_array_append_new(arr, e);
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int complaint_get(struct nl_ctx *ctx, int64_t id, int history, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *o = NULL, *h = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, COMPLAINT_SELECT " WHERE k.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		o = complaint_row(ctx, st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No complaint with id %lld.", (long long)id);
	if (rc < 0)
		return rc;
	if (history) {
		if ((rc = complaint_history(ctx, id, &h))) {
			json_decref(o);
			return rc;
		}
		json_object_set_new(o, "history", h);
	}
	*out = o;
	return 0;
}

static int status_known(const char *s)
{
	for (int i = 0; complaint_statuses[i]; i++)
		if (!strcmp(s, complaint_statuses[i]))
			return 1;
	return 0;
}

int complaint_list(struct nl_ctx *ctx, const struct nl_complaint_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	*next = 0;
	if (f->status && !status_known(f->status))
		return nl_fail(ctx->err, NL_EINVAL, "status",
			"status must be one of registered, verified, answered, rectified, archived.");
	int rc = db_prepare(ctx->db, COMPLAINT_SELECT " WHERE k.id > $1"
						 " AND (CAST($2 AS TEXT) = '' OR k.status = CAST($2 AS TEXT))"
						 " AND (CAST($3 AS BIGINT) = 0 OR k.department_id = CAST($3 AS BIGINT))"
						 " AND (CAST($4 AS BIGINT) = 0 OR k.customer_id = CAST($4 AS BIGINT))"
						 " AND (CAST($5 AS BIGINT) = 0 OR k.partner_id = CAST($5 AS BIGINT))"
						 " AND (CAST($6 AS TEXT) = '' OR k.category = CAST($6 AS TEXT))"
						 " AND (CAST($7 AS TEXT) = '' OR k.received_day >= CAST($7 AS TEXT))"
						 " AND (CAST($8 AS TEXT) = '' OR k.received_day <= CAST($8 AS TEXT))"
						 " ORDER BY k.id LIMIT $9", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_text(st, 2, f->status ? f->status : "");
	stmt_bind_int64(st, 3, f->department_id);
	stmt_bind_int64(st, 4, f->customer_id);
	stmt_bind_int64(st, 5, f->partner_id);
	stmt_bind_text(st, 6, f->category ? f->category : "");
	stmt_bind_text(st, 7, f->from ? f->from : "");
	stmt_bind_text(st, 8, f->to ? f->to : "");
	stmt_bind_int64(st, 9, f->limit + 1);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == f->limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 0);
		json_array_append_new(arr, complaint_row(ctx, st));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* --- writes ---------------------------------------------------------------------------------------------------------- */

/* Looks one id up with a one-parameter query; *found, and *val = the first column when found. */
static int lookup_id(struct nl_ctx *ctx, const char *sql, int64_t id, int *found, int64_t *val)
{
	struct nl_stmt *st = NULL;
	*found = 0;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		*found = 1;
		if (val)
			*val = stmt_column_int64(st, 0);
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int event_insert(struct nl_ctx *ctx, int64_t complaint_id, const char *action, const char *from, const char *to,
	int valid, const char *note)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "INSERT INTO complaint_events (complaint_id, action, from_status, to_status, valid, note, at,"
				     " actor_user_id, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, complaint_id);
	stmt_bind_text(st, 2, action);
	stmt_bind_text(st, 3, from);
	stmt_bind_text(st, 4, to);
	if (valid < 0)
		stmt_bind_null(st, 5);
	else
		stmt_bind_int64(st, 5, valid ? 1 : 0);
	stmt_bind_text(st, 6, note ? note : "");
	stmt_bind_int64(st, 7, now_of(ctx));
	bind_id(st, 8, ctx->actor ? ctx->actor->id : 0);
	stmt_bind_text(st, 9, ctx->actor_name ? ctx->actor_name : ctx->actor ? ctx->actor->username : "system");
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Validates the input and works out the times, department and received day (no writes). */
static int register_validate(struct nl_ctx *ctx, const struct nl_complaint_input *in, int64_t *received, int64_t *deadline,
	int64_t *department_id, char day[NL_DATE_STRLEN])
{
	int found, rc;
	int64_t now = now_of(ctx), tdept = 0;
	if (!in->channel || !*in->channel)
		return nl_fail(ctx->err, NL_EVALID, "channel", "channel must not be empty.");
	if (!in->category || !*in->category)
		return nl_fail(ctx->err, NL_EVALID, "category", "category must not be empty.");
	if (!in->content || !*in->content)
		return nl_fail(ctx->err, NL_EVALID, "content", "content must not be empty.");
	*received = now;
	if (in->received_at && date_timestamp_parse(in->received_at, received) != 0)
		return nl_fail(ctx->err, NL_EVALID, "received_at", "received_at must be an RFC 3339 time such as 2027-03-01T08:00:00Z.");
	if (*received > now + COMPLAINT_FUTURE_SLACK)
		return nl_fail(ctx->err, NL_EVALID, "received_at", "received_at must not be in the future.");
	*deadline = *received + (int64_t)NL_COMPLAINT_ANSWER_HOURS * 3600;
	if (in->answer_deadline && date_timestamp_parse(in->answer_deadline, deadline) != 0)
		return nl_fail(ctx->err, NL_EVALID, "answer_deadline",
			"answer_deadline must be an RFC 3339 time such as 2027-03-03T08:00:00Z.");
	if (*deadline < *received)
		return nl_fail(ctx->err, NL_EVALID, "answer_deadline", "answer_deadline must not be before received_at.");
	char buf[NL_TIMESTAMP_STRLEN];
	if (date_timestamp_format(*deadline, buf) != 0)
		return nl_fail(ctx->err, NL_EVALID, "answer_deadline", "answer_deadline is out of range.");
	if (in->customer_id > 0) {
		if ((rc = lookup_id(ctx, "SELECT id FROM customers WHERE id = $1", in->customer_id, &found, NULL)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "customer_id", "No customer with id %lld.", (long long)in->customer_id);
	}
	if (in->ticket_id > 0) {
		if ((rc = lookup_id(ctx, "SELECT COALESCE(department_id, 0) FROM tickets WHERE id = $1", in->ticket_id, &found, &tdept)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "ticket_id", "No ticket with id %lld.", (long long)in->ticket_id);
	}
	*department_id = in->department_id > 0 ? in->department_id : tdept;
	if (in->department_id > 0) {
		if ((rc = lookup_id(ctx, "SELECT id FROM departments WHERE id = $1", in->department_id, &found, NULL)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "department_id", "No department with id %lld.", (long long)in->department_id);
	}
	if ((rc = rating_local_day(ctx, *received, day)))
		return nl_fail(ctx->err, NL_EVALID, "received_at", "received_at is out of range.");
	return 0;
}

/* Ends a write transaction; on failure drops *out. */
static int write_end(struct nl_ctx *ctx, int rc, json_t **out)
{
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int complaint_register(struct nl_ctx *ctx, const struct nl_complaint_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	int64_t received = 0, deadline = 0, dept = 0, id = 0;
	char day[NL_DATE_STRLEN], at[24];
	*out = NULL;
	int rc = register_validate(ctx, in, &received, &deadline, &dept, day);
	if (rc)
		return rc;
	audit_now_rfc3339(at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO complaints (channel, customer_id, ticket_id, partner_id, department_id, category,"
				      " content, received_at, received_day, answer_deadline, status, created_by, created_at, updated_at)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'registered', $11, $12, $12) RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, in->channel);
	bind_id(st, 2, in->customer_id);
	bind_id(st, 3, in->ticket_id);
	bind_id(st, 4, in->partner_id);
	bind_id(st, 5, dept);
	stmt_bind_text(st, 6, in->category);
	stmt_bind_text(st, 7, in->content);
	stmt_bind_int64(st, 8, received);
	stmt_bind_text(st, 9, day);
	stmt_bind_int64(st, 10, deadline);
	bind_id(st, 11, ctx->actor ? ctx->actor->id : 0);
	stmt_bind_text(st, 12, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		goto out;
	if ((rc = event_insert(ctx, id, "register", NULL, "registered", -1, NULL)) || (rc = kpi_mark_dirty(ctx, dept, day)) ||
		(rc = complaint_get(ctx, id, 1, out)))
		goto out;
	rc = audit_append(ctx, "create", "complaint", id, NULL, *out);
out:
	return write_end(ctx, rc, out);
}

int complaint_transition(const char *status, int valid, const char *action, const char **to, const char **why)
{
	*to = NULL;
	*why = NULL;
	int registered = !strcmp(status, "registered"), verified = !strcmp(status, "verified");
	int answered = !strcmp(status, "answered"), rectified = !strcmp(status, "rectified");
	int archived = !strcmp(status, "archived");
	if (!strcmp(action, "verify")) {
		if (registered || verified) {
			*to = "verified";
			return 0;
		}
		*why = "A complaint is verified before it is answered; reopen it to verify it again.";
	} else if (!strcmp(action, "answer")) {
		if (verified) {
			*to = "answered";
			return 0;
		}
		*why = registered ? "Verify the complaint before answering it." : "The complaint has been answered; reopen it to answer again.";
	} else if (!strcmp(action, "rectify")) {
		if (answered && valid == 1) {
			*to = "rectified";
			return 0;
		}
		if (answered && valid == 0)
			*why = "An invalid complaint has nothing to rectify: archive it after the answer.";
		else if (rectified || archived)
			*why = "The complaint has been rectified already; reopen it to rectify again.";
		else
			*why = "A complaint is rectified after it has been verified as valid and answered.";
	} else if (!strcmp(action, "archive")) {
		if (rectified || (answered && valid == 0)) {
			*to = "archived";
			return 0;
		}
		if (answered)
			*why = "A valid complaint is rectified before it is archived.";
		else if (archived)
			*why = "The complaint is archived already.";
		else
			*why = "A complaint is archived after it has been answered (and, when valid, rectified).";
	} else if (!strcmp(action, "reopen")) {
		if (answered || rectified || archived) {
			*to = "verified";
			return 0;
		}
		*why = "Only an answered, rectified or archived complaint can be reopened.";
	} else {
		*why = "Unknown step.";
	}
	return NL_ESTATE;
}

/* Prepares and binds the UPDATE of one step (its WHERE keeps the status read, so that a concurrent step changes nothing). */
static int step_update(struct nl_ctx *ctx, int64_t id, const char *status, const char *action, int valid, const char *text,
	struct nl_stmt **out)
{
	struct nl_stmt *st = NULL;
	char at[24];
	int64_t now = now_of(ctx), actor = ctx->actor ? ctx->actor->id : 0;
	int rc;
	*out = NULL;
	audit_now_rfc3339(at);
	if (!strcmp(action, "verify")) {
		if ((rc = db_prepare(ctx->db, "UPDATE complaints SET status = 'verified', valid = $3, findings = $4, verifier_user_id = $5,"
					      " verified_at = $6, updated_at = $7 WHERE id = $1 AND status = $2", &st)))
			return rc;
		stmt_bind_int64(st, 3, valid ? 1 : 0);
		stmt_bind_text(st, 4, text);
		bind_id(st, 5, actor);
		stmt_bind_int64(st, 6, now);
		stmt_bind_text(st, 7, at);
	} else if (!strcmp(action, "answer")) {
		/* answered_at / answered_by keep the first answer (the deadline is about it); last_answered_at the latest */
		if ((rc = db_prepare(ctx->db, "UPDATE complaints SET status = 'answered', answer = $3,"
					      " answered_by = CASE WHEN answered_at IS NULL THEN $4 ELSE answered_by END,"
					      " answered_at = COALESCE(answered_at, $5), last_answered_at = $5, updated_at = $6"
					      " WHERE id = $1 AND status = $2", &st)))
			return rc;
		stmt_bind_text(st, 3, text);
		bind_id(st, 4, actor);
		stmt_bind_int64(st, 5, now);
		stmt_bind_text(st, 6, at);
	} else if (!strcmp(action, "rectify")) {
		if ((rc = db_prepare(ctx->db, "UPDATE complaints SET status = 'rectified', rectification = $3, rectified_at = $4,"
					      " updated_at = $5 WHERE id = $1 AND status = $2", &st)))
			return rc;
		stmt_bind_text(st, 3, text);
		stmt_bind_int64(st, 4, now);
		stmt_bind_text(st, 5, at);
	} else if (!strcmp(action, "archive")) {
		if ((rc = db_prepare(ctx->db, "UPDATE complaints SET status = 'archived', archived_at = $3, updated_at = $4"
					      " WHERE id = $1 AND status = $2", &st)))
			return rc;
		stmt_bind_int64(st, 3, now);
		stmt_bind_text(st, 4, at);
	} else {
		if ((rc = db_prepare(ctx->db, "UPDATE complaints SET status = 'verified', reopen_count = reopen_count + 1,"
					      " archived_at = NULL, updated_at = $3 WHERE id = $1 AND status = $2", &st)))
			return rc;
		stmt_bind_text(st, 3, at);
	}
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, status);
	*out = st;
	return 0;
}

/* One lifecycle step: checks the transition against the complaint's state in the transaction, updates the row only if
 * its status is still the one read (a concurrent step makes this one fail with NL_ESTATE), writes the event, marks
 * the (department, received_day) dirty and appends the audit row. `text` goes to the step's column and the event. */
static int complaint_step(struct nl_ctx *ctx, int64_t id, const char *action, int valid, const char *text, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	const char *to = NULL, *why = NULL;
	char status[24], day[NL_DATE_STRLEN];
	int64_t dept;
	int cur_valid;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = complaint_get(ctx, id, 1, &before)))
		goto out;
	snprintf(status, sizeof status, "%s", json_string_value(json_object_get(before, "status")));
	snprintf(day, sizeof day, "%s", json_string_value(json_object_get(before, "received_day")));
	dept = json_integer_value(json_object_get(before, "department_id"));
	json_t *jv = json_object_get(before, "valid");
	cur_valid = json_is_boolean(jv) ? json_is_true(jv) : -1;
	if (complaint_transition(status, cur_valid, action, &to, &why)) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "Complaint %lld is %s: %s", (long long)id, status, why);
		goto out;
	}
	if ((rc = step_update(ctx, id, status, action, valid, text, &st)))
		goto out;
	rc = stmt_step(st);
	int64_t changed = stmt_changes(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (changed != 1) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "Complaint %lld changed while this step was being made; reload it.", (long long)id);
		goto out;
	}
	if ((rc = event_insert(ctx, id, action, status, to, !strcmp(action, "verify") ? valid : -1, text)) ||
		(rc = kpi_mark_dirty(ctx, dept, day)) || (rc = complaint_get(ctx, id, 1, out)))
		goto out;
	rc = audit_append(ctx, action, "complaint", id, before, *out);
out:
	json_decref(before);
	return write_end(ctx, rc, out);
}

int complaint_verify(struct nl_ctx *ctx, int64_t id, int valid, const char *findings, json_t **out)
{
	*out = NULL;
	if (!findings || !*findings)
		return nl_fail(ctx->err, NL_EVALID, "findings", "findings must not be empty: say what the verification found.");
	return complaint_step(ctx, id, "verify", valid ? 1 : 0, findings, out);
}

int complaint_answer(struct nl_ctx *ctx, int64_t id, const char *content, json_t **out)
{
	*out = NULL;
	if (!content || !*content)
		return nl_fail(ctx->err, NL_EVALID, "content", "content must not be empty: the answer given to the customer.");
	return complaint_step(ctx, id, "answer", -1, content, out);
}

int complaint_rectify(struct nl_ctx *ctx, int64_t id, const char *content, json_t **out)
{
	*out = NULL;
	if (!content || !*content)
		return nl_fail(ctx->err, NL_EVALID, "content", "content must not be empty: the rectification measures.");
	return complaint_step(ctx, id, "rectify", -1, content, out);
}

int complaint_archive(struct nl_ctx *ctx, int64_t id, const char *note, json_t **out)
{
	return complaint_step(ctx, id, "archive", -1, note, out);
}

int complaint_reopen(struct nl_ctx *ctx, int64_t id, const char *reason, json_t **out)
{
	*out = NULL;
	if (!reason || !*reason)
		return nl_fail(ctx->err, NL_EVALID, "reason", "reason must not be empty: why the complaint is reopened.");
	return complaint_step(ctx, id, "reopen", -1, reason, out);
}

/* --- analysis -------------------------------------------------------------------------------------------------------- */

/* A fraction rounded to 4 decimals, or null without a denominator. */
static json_t *share(int64_t num, int64_t den)
{
	if (den <= 0)
		return json_null();
	return json_real(round((double)num / (double)den * 10000.0) / 10000.0);
}

struct an_row {
	int64_t complaints, valid, invalid, answered, in_time, archived;
	json_t *cats;        /* category → group */
	json_t *depts;       /* zero-padded id ("" for none) → group */
	json_t *partners;    /* zero-padded id ("" for none) → group */
	json_t *customers;   /* zero-padded id → {"customer_id","customer","complaints"} */
};

static void an_row_init(struct an_row *r)
{
	memset(r, 0, sizeof *r);
	r->cats = json_object();
	r->depts = json_object();
	r->partners = json_object();
	r->customers = json_object();
}

static void an_row_cleanup(struct an_row *r)
{
	json_decref(r->cats);
	json_decref(r->depts);
	json_decref(r->partners);
	json_decref(r->customers);
}

/* The map key of an id: 20 digits so that keys sort as the ids do; "" for none. */
static void id_key(int64_t id, char out[24])
{
	if (id > 0)
		snprintf(out, 24, "%020lld", (long long)id);
	else
		out[0] = 0;
}

/* The group `key` of map (created with zero counts and the extra fields from `init`, which is consumed). */
static json_t *group_of(json_t *map, const char *key, json_t *init)
{
	json_t *g = json_object_get(map, key);
	if (g) {
		json_decref(init);
		return g;
	}
	g = init ? init : json_object();
	json_set_int(g, "complaints", 0);
	json_set_int(g, "valid", 0);
	json_set_int(g, "answered_in_time", 0);
	json_object_set_new(map, key, g);
	return g;
}

static void count_add(json_t *g, const char *key, int64_t by)
{
	json_set_int(g, key, json_integer_value(json_object_get(g, key)) + by);
}

/* One complaint of the analysis. */
struct an_item {
	const char *category;
	int64_t department_id;
	const char *department;
	int64_t partner_id;
	int64_t customer_id;
	const char *customer;
	int valid;          /* 1, 0, -1 unverified */
	int answered, in_time, archived;
};

static void an_add(struct an_row *r, const struct an_item *it)
{
	char key[24];
	r->complaints++;
	r->valid += it->valid == 1;
	r->invalid += it->valid == 0;
	r->answered += it->answered;
	r->in_time += it->in_time;
	r->archived += it->archived;
	json_t *groups[3];
	groups[0] = group_of(r->cats, it->category, json_pack("{s:s}", "category", it->category));
	id_key(it->department_id, key);
	json_t *d = json_object();
	json_set_id(d, "department_id", it->department_id);
	json_set_str(d, "department", it->department_id > 0 ? it->department : NULL);
	groups[1] = group_of(r->depts, key, d);
	id_key(it->partner_id, key);
	json_t *p = json_object();
	json_set_id(p, "partner_id", it->partner_id);
	groups[2] = group_of(r->partners, key, p);
	for (int i = 0; i < 3; i++) {
		count_add(groups[i], "complaints", 1);
		count_add(groups[i], "valid", it->valid == 1);
		count_add(groups[i], "answered_in_time", it->in_time);
	}
	if (it->customer_id > 0) {
		id_key(it->customer_id, key);
		json_t *c = json_object_get(r->customers, key);
		if (!c) {
			c = json_object();
			json_set_int(c, "customer_id", it->customer_id);
			json_set_str(c, "customer", it->customer);
			json_set_int(c, "complaints", 0);
			json_object_set_new(r->customers, key, c);
		}
		count_add(c, "complaints", 1);
	}
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The groups of map as an array sorted by key. */
static json_t *groups_sorted(json_t *map)
{
	size_t n = json_object_size(map), i = 0;
	const char *k;
	json_t *v;
	json_t *arr = json_array();
	if (n == 0)
		return arr;
	const char **keys = calloc(n, sizeof *keys);
	if (!keys)
		return arr;
	json_object_foreach(map, k, v) keys[i++] = k;
	qsort(keys, n, sizeof *keys, key_cmp);
	for (i = 0; i < n; i++)
		json_array_append(arr, json_object_get(map, keys[i]));
	free(keys);
	return arr;
}

static int repeat_cmp(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
	int64_t cx = json_integer_value(json_object_get(x, "complaints")), cy = json_integer_value(json_object_get(y, "complaints"));
	if (cx != cy)
		return cx > cy ? -1 : 1;
	int64_t ix = json_integer_value(json_object_get(x, "customer_id")), iy = json_integer_value(json_object_get(y, "customer_id"));
	return (ix > iy) - (ix < iy);
}

/* The row's JSON (the row keeps its maps; the caller cleans it up). */
static json_t *an_row_json(struct an_row *r, const char *label)
{
	json_t *o = json_object();
	const char *k;
	json_t *v;
	if (label)
		json_set_str(o, "period", label);
	json_set_int(o, "complaints", r->complaints);
	json_set_int(o, "verified", r->valid + r->invalid);
	json_set_int(o, "valid", r->valid);
	json_set_int(o, "invalid", r->invalid);
	json_set_int(o, "unverified", r->complaints - r->valid - r->invalid);
	json_object_set_new(o, "valid_share", share(r->valid, r->complaints));
	json_set_int(o, "answered", r->answered);
	json_set_int(o, "answered_in_time", r->in_time);
	json_object_set_new(o, "answered_in_time_share", share(r->in_time, r->complaints));
	json_set_int(o, "archived", r->archived);
	size_t n = 0, i = 0;
	int64_t rc_customers = 0, rc_complaints = 0;
	json_object_foreach(r->customers, k, v) if (json_integer_value(json_object_get(v, "complaints")) > 1) n++;
	json_t **reps = n ? calloc(n, sizeof *reps) : NULL;
	json_object_foreach(r->customers, k, v) {
		int64_t c = json_integer_value(json_object_get(v, "complaints"));
		if (c < 2)
			continue;
		rc_customers++;
		rc_complaints += c;
		if (reps)
			reps[i++] = v;
	}
	json_t *ra = json_array();
	if (reps) {
		qsort(reps, i, sizeof *reps, repeat_cmp);
		for (size_t j = 0; j < i; j++)
			json_array_append(ra, reps[j]);
		free(reps);
	}
	json_set_int(o, "repeat_customers", rc_customers);
	json_set_int(o, "repeat_complaints", rc_complaints);
	json_object_set_new(o, "repeats", ra);
	json_object_set_new(o, "by_category", groups_sorted(r->cats));
	json_object_set_new(o, "by_department", groups_sorted(r->depts));
	json_object_set_new(o, "by_partner", groups_sorted(r->partners));
	return o;
}

int complaint_analysis(struct nl_ctx *ctx, const struct nl_complaint_analysis_query *q, json_t **out)
{
	struct nl_date from, to, d;
	struct nl_period first, last, p;
	struct nl_stmt *st = NULL;
	struct an_row *rows = NULL, total;
	struct nl_period *plist = NULL;
	size_t nrows = 0;
	int rc;
	*out = NULL;
	if (!q->from || date_parse(q->from, &from) != 0)
		return nl_fail(ctx->err, NL_EINVAL, "from", "from must be a date YYYY-MM-DD.");
	if (!q->to || date_parse(q->to, &to) != 0)
		return nl_fail(ctx->err, NL_EINVAL, "to", "to must be a date YYYY-MM-DD.");
	if (date_cmp(to, from) < 0)
		return nl_fail(ctx->err, NL_EINVAL, "to", "to must not be before from.");
	if (period_containing(q->kind, from, &first) || period_containing(q->kind, to, &last))
		return nl_fail(ctx->err, NL_EINVAL, "period", "period must be month, quarter or year.");
	for (p = first;;) {
		if (nrows >= ANALYSIS_MAX_PERIODS)
			return nl_fail(ctx->err, NL_EINVAL, "to", "The range covers more than %d periods; shorten it.", ANALYSIS_MAX_PERIODS);
		nrows++;
		if (period_cmp(p, last) >= 0 || period_next(p, &p))
			break;
	}
	rows = calloc(nrows, sizeof *rows);
	plist = calloc(nrows, sizeof *plist);
	if (!rows || !plist) {
		free(rows);
		free(plist);
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	}
	p = first;
	for (size_t i = 0; i < nrows; i++) {
		an_row_init(&rows[i]);
		plist[i] = p;
		if (i + 1 < nrows && period_next(p, &p))
			break;
	}
	an_row_init(&total);
	if ((rc = db_prepare(ctx->db, "SELECT k.received_day, k.category, COALESCE(k.department_id, 0), d.name, COALESCE(k.partner_id, 0),"
				      " COALESCE(k.customer_id, 0), cu.name, k.valid, k.answered_at, k.answer_deadline, k.status"
				      " FROM complaints k LEFT JOIN departments d ON d.id = k.department_id"
				      " LEFT JOIN customers cu ON cu.id = k.customer_id"
				      " WHERE k.received_day >= $1 AND k.received_day <= $2"
				      " AND (CAST($3 AS BIGINT) = 0 OR k.department_id = CAST($3 AS BIGINT)) ORDER BY k.received_day, k.id", &st)))
		goto out;
	stmt_bind_text(st, 1, q->from);
	stmt_bind_text(st, 2, q->to);
	stmt_bind_int64(st, 3, q->department_id);
	while ((rc = stmt_step(st)) == 1) {
		struct nl_period kp;
		if (date_parse(stmt_column_text(st, 0), &d) || period_containing(q->kind, d, &kp))
			continue;
		size_t lo = 0, hi = nrows;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (period_cmp(plist[mid], kp) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo >= nrows || period_cmp(plist[lo], kp) != 0)
			continue;
		size_t idx = lo;
		struct an_item it = {
			.category = stmt_column_text(st, 1) ? stmt_column_text(st, 1) : "",
			.department_id = stmt_column_int64(st, 2),
			.department = stmt_column_text(st, 3),
			.partner_id = stmt_column_int64(st, 4),
			.customer_id = stmt_column_int64(st, 5),
			.customer = stmt_column_text(st, 6),
			.valid = stmt_column_is_null(st, 7) ? -1 : stmt_column_int64(st, 7) != 0,
			.answered = !stmt_column_is_null(st, 8),
			.in_time = !stmt_column_is_null(st, 8) && stmt_column_int64(st, 8) <= stmt_column_int64(st, 9),
			.archived = stmt_column_text(st, 10) && !strcmp(stmt_column_text(st, 10), "archived"),
		};
		an_add(&rows[idx], &it);
		an_add(&total, &it);
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = 0;
	json_t *o = json_object(), *periods = json_array();
	json_set_str(o, "from", q->from);
	json_set_str(o, "to", q->to);
	json_set_str(o, "period", period_frequency_name(q->kind));
	json_set_id(o, "department_id", q->department_id);
	for (size_t i = 0; i < nrows; i++) {
		char label[NL_PERIOD_STRLEN];
		if (period_format(plist[i], label))
			label[0] = 0;
		json_array_append_new(periods, an_row_json(&rows[i], label));
	}
	json_object_set_new(o, "periods", periods);
	json_object_set_new(o, "total", an_row_json(&total, NULL));
	*out = o;
out:
	for (size_t i = 0; i < nrows; i++)
		an_row_cleanup(&rows[i]);
	free(rows);
	free(plist);
	an_row_cleanup(&total);
	return rc;
}
