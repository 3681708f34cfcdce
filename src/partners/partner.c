/* partner.c — partner profiles, their linked tickets, and the partner as GET /partners/{id} shows it (partner.h). */
#include "partners/partner.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/json.h"
#include "partners/partner_rules.h"
#include "records/pii.h"
#include "store/rows.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

#define PARTNER_COLS \
	"p.id, p.name, p.region, p.qualifications, p.industry_experience, p.contact_name, p.contact_phone," \
	" p.contract_start, p.contract_end, p.status, p.selection_record, p.department_id, d.name, p.created_at, p.updated_at"
#define PARTNER_FROM " FROM partners p LEFT JOIN departments d ON d.id = p.department_id"

static void bind_id(struct nl_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		stmt_bind_int64(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The profile of the current row (PARTNER_COLS); full: the contact phone unmasked. */
static json_t *partner_row(struct nl_stmt *st, int full)
{
	char masked[NL_PII_MASKED_MAX(64)];
	json_t *o = json_object();
	const char *phone = stmt_column_text(st, 6);
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "name", stmt_column_text(st, 1));
	json_set_str(o, "region", stmt_column_text(st, 2));
	json_set_str(o, "qualifications", stmt_column_text(st, 3));
	json_set_str(o, "industry_experience", stmt_column_text(st, 4));
	json_set_str(o, "contact_name", stmt_column_text(st, 5));
	json_set_str(o, "contact_phone", full || !phone ? phone : pii_mask_phone(phone, masked, sizeof masked));
	json_set_bool(o, "pii_masked", !full);
	json_set_str(o, "contract_start", stmt_column_text(st, 7));
	json_set_str(o, "contract_end", stmt_column_text(st, 8));
	json_set_str(o, "status", stmt_column_text(st, 9));
	json_set_str(o, "selection_record", stmt_column_text(st, 10));
	json_set_id(o, "department_id", stmt_column_int64(st, 11));
	json_set_str(o, "department_name", stmt_column_text(st, 12));
	json_set_str(o, "created_at", stmt_column_text(st, 13));
	json_set_str(o, "updated_at", stmt_column_text(st, 14));
	return o;
}

int partner_profile(struct nl_ctx *ctx, int64_t id, int full, const char *field, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " PARTNER_COLS PARTNER_FROM " WHERE p.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = partner_row(st, full);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, field, "No partner with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int partner_status(struct nl_ctx *ctx, int64_t id, char *name_out, size_t n, char status_out[16])
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT name, status FROM partners WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		if (name_out && n)
			snprintf(name_out, n, "%s", stmt_column_text(st, 0));
		snprintf(status_out, 16, "%s", stmt_column_text(st, 1));
	}
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No partner with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

/* Appends the sub-lists of GET /partners/{id} to o. */
static int partner_details(struct nl_ctx *ctx, int64_t id, json_t *o)
{
	static const struct nl_col acols[] = {
		{ "id", NL_COL_INT }, { "period", NL_COL_TEXT }, { "total", NL_COL_REAL }, { "grade", NL_COL_TEXT },
		{ "created_at", NL_COL_TEXT },
	};
	static const struct nl_col rcols[] = {
		{ "year", NL_COL_INT }, { "total", NL_COL_REAL }, { "grade", NL_COL_TEXT }, { "status", NL_COL_TEXT },
		{ "missing_quarters", NL_COL_JSON }, { "decided_at", NL_COL_TEXT },
	};
	static const struct nl_col wcols[] = {
		{ "id", NL_COL_INT }, { "kind", NL_COL_TEXT }, { "reason", NL_COL_TEXT }, { "cause_type", NL_COL_TEXT },
		{ "cause_id", NL_COL_ID }, { "amount", NL_COL_REAL }, { "status", NL_COL_TEXT }, { "created_at", NL_COL_TEXT },
		{ "decided_at", NL_COL_TEXT },
	};
	struct nl_stmt *st = NULL;
	json_t *items = NULL;
	int rc = db_prepare(ctx->db, "SELECT id, period, total, grade, created_at FROM partner_assessments"
				     " WHERE partner_id = $1 ORDER BY period DESC LIMIT 4", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	if ((rc = stmt_rows_json(st, acols, NL_ARRAY_LEN(acols), 0, &items, NULL)))
		return rc;
	json_object_set_new(o, "latest_assessments", items);
	if ((rc = db_prepare(ctx->db, "SELECT year, total, grade, status, missing_quarters, decided_at FROM partner_ratings"
				      " WHERE partner_id = $1 ORDER BY year DESC", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	if ((rc = stmt_rows_json(st, rcols, NL_ARRAY_LEN(rcols), 0, &items, NULL)))
		return rc;
	json_object_set_new(o, "ratings", items);
	/* rewards and penalties are recorded by the people room (POST /rewards with partner_id) */
	if ((rc = db_prepare(ctx->db, "SELECT id, kind, reason, cause_type, cause_id, amount, status, created_at, decided_at"
				      " FROM rewards WHERE partner_id = $1 ORDER BY id DESC", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	if ((rc = stmt_rows_json(st, wcols, NL_ARRAY_LEN(wcols), 0, &items, NULL)))
		return rc;
	json_object_set_new(o, "rewards", items);
	if ((rc = db_prepare(ctx->db, "SELECT COUNT(*) FROM tickets WHERE partner_id = $1", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		json_set_int(o, "tickets_linked", stmt_column_int64(st, 0));
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int partner_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	int rc = partner_profile(ctx, id, pii_visible(ctx->actor), NULL, out);
	if (rc)
		return rc;
	if ((rc = partner_details(ctx, id, *out))) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int partner_list(struct nl_ctx *ctx, const struct nl_partner_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	int full = pii_visible(ctx->actor);
	*items = NULL;
	*next = 0;
	if (f->status && !partner_status_valid(f->status))
		return nl_fail(ctx->err, NL_EVALID, "status", "status must be candidate, active, suspended or terminated.");
	int rc = db_prepare(ctx->db, "SELECT " PARTNER_COLS ", la.period, la.total, la.grade" PARTNER_FROM
				     " LEFT JOIN partner_assessments la ON la.id = (SELECT a.id FROM partner_assessments a"
				     " WHERE a.partner_id = p.id ORDER BY a.period DESC LIMIT 1)"
				     " WHERE p.id > $1 AND (CAST($3 AS TEXT) IS NULL OR p.status = CAST($3 AS TEXT))"
				     " AND (CAST($4 AS TEXT) IS NULL OR p.region = CAST($4 AS TEXT))"
				     " AND (CAST($5 AS TEXT) IS NULL OR p.name LIKE '%' || CAST($5 AS TEXT) || '%')"
				     " AND (CAST($6 AS BIGINT) = 0 OR p.department_id = CAST($6 AS BIGINT))"
				     " ORDER BY p.id LIMIT $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_int64(st, 2, f->limit + 1);
	stmt_bind_text(st, 3, f->status);
	stmt_bind_text(st, 4, f->region && *f->region ? f->region : NULL);
	stmt_bind_text(st, 5, f->q && *f->q ? f->q : NULL);
	stmt_bind_int64(st, 6, f->department_id);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == f->limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 0);
		json_t *o = partner_row(st, full);
		if (stmt_column_is_null(st, 15))
			json_object_set_new(o, "latest_assessment", json_null());
		else
			json_object_set_new(o, "latest_assessment", json_pack("{s:s,s:f,s:s}", "period", stmt_column_text(st, 15),
				"total", stmt_column_double(st, 16), "grade", stmt_column_text(st, 17)));
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

/* ---- writes ---- */

static int department_exists(struct nl_ctx *ctx, int64_t id)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT id FROM departments WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_EVALID, "department_id", "No department with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

static int check_date(struct nl_ctx *ctx, const char *s, const char *field, struct nl_date *d)
{
	if (s && date_parse(s, d))
		return nl_fail(ctx->err, NL_EVALID, field, "%s must be a real date YYYY-MM-DD.", field);
	return 0;
}

/* Checks the fields of in that `set` names (with `cur`, the stored values as JSON, for the ones not given; NULL on
 * create). NL_EVALID naming the first bad one, NL_ESTATE for a refused status change. */
static int partner_validate(struct nl_ctx *ctx, const struct nl_partner_input *in, unsigned set, const json_t *cur)
{
	struct nl_date a, b;
	int rc;
	if ((set & NL_PARTNER_SET_NAME) && (!in->name || !*in->name))
		return nl_fail(ctx->err, NL_EVALID, "name", "name must not be empty.");
	if ((set & NL_PARTNER_SET_CONTACT_PHONE) && in->contact_phone && *in->contact_phone &&
		!pii_phone_valid(in->contact_phone))
		return nl_fail(ctx->err, NL_EVALID, "contact_phone",
			"contact_phone must be 5–20 characters of digits, '+', '-' and spaces (at least 5 digits).");
	if ((set & NL_PARTNER_SET_STATUS) && !partner_status_valid(in->status))
		return nl_fail(ctx->err, NL_EVALID, "status", "status must be candidate, active, suspended or terminated.");
	const char *start = (set & NL_PARTNER_SET_CONTRACT_START) ? in->contract_start
		: cur ? json_string_value(json_object_get(cur, "contract_start")) : NULL;
	const char *end = (set & NL_PARTNER_SET_CONTRACT_END) ? in->contract_end
		: cur ? json_string_value(json_object_get(cur, "contract_end")) : NULL;
	if ((rc = check_date(ctx, start, "contract_start", &a)) || (rc = check_date(ctx, end, "contract_end", &b)))
		return rc;
	if (start && end && date_cmp(b, a) < 0)
		return nl_fail(ctx->err, NL_EVALID, (set & NL_PARTNER_SET_CONTRACT_END) ? "contract_end" : "contract_start",
			"The contract cannot end (%s) before it starts (%s).", end, start);
	if ((set & NL_PARTNER_SET_DEPARTMENT) && in->department_id > 0 && (rc = department_exists(ctx, in->department_id)))
		return rc;
	if (cur && (set & NL_PARTNER_SET_STATUS)) {
		const char *from = json_string_value(json_object_get(cur, "status"));
		if (!partner_status_transition_ok(from, in->status))
			return nl_fail(ctx->err, NL_ESTATE, "status",
				"A partner cannot go from %s to %s (candidate → active or terminated; active ⇄ suspended; any → "
				"terminated; terminated → active; nothing returns to candidate).", from, in->status);
	}
	return 0;
}

/* 1 when a partner other than `except` holds the name. */
static int name_taken(struct nl_ctx *ctx, const char *name, int64_t except, int *taken)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT id FROM partners WHERE name = $1 AND id <> $2", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, name);
	stmt_bind_int64(st, 2, except);
	rc = stmt_step(st);
	*taken = rc == 1;
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Reads back the profile masked (audit row) and as the actor sees it (reply). */
static int finish(struct nl_ctx *ctx, const char *action, int64_t id, const json_t *before, json_t **out)
{
	json_t *after = NULL;
	int rc = partner_profile(ctx, id, 0, NULL, &after);
	if (rc == 0)
		rc = audit_append(ctx, action, "partner", id, before, after);
	json_decref(after);
	if (rc == 0)
		rc = partner_get(ctx, id, out);
	return rc;
}

static int end_write(struct nl_ctx *ctx, int rc, json_t **out)
{
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int partner_create(struct nl_ctx *ctx, const struct nl_partner_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	int64_t id = 0;
	int taken = 0;
	char at[24];
	*out = NULL;
	struct nl_partner_input v = *in;
	if (!v.status)
		v.status = "candidate";
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = partner_validate(ctx, &v, 0xFFFFu, NULL)) || (rc = name_taken(ctx, v.name, 0, &taken)))
		goto out;
	if (taken) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, "name", "A partner named \"%s\" exists already.", v.name);
		goto out;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_prepare(ctx->db, "INSERT INTO partners (name, region, qualifications, industry_experience, contact_name,"
				      " contact_phone, contract_start, contract_end, status, selection_record, department_id,"
				      " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)"
				      " RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, v.name);
	stmt_bind_text(st, 2, or_empty(v.region));
	stmt_bind_text(st, 3, or_empty(v.qualifications));
	stmt_bind_text(st, 4, or_empty(v.industry_experience));
	stmt_bind_text(st, 5, or_empty(v.contact_name));
	stmt_bind_text(st, 6, or_empty(v.contact_phone));
	stmt_bind_text(st, 7, v.contract_start);
	stmt_bind_text(st, 8, v.contract_end);
	stmt_bind_text(st, 9, v.status);
	stmt_bind_text(st, 10, or_empty(v.selection_record));
	bind_id(st, 11, v.department_id);
	stmt_bind_text(st, 12, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		rc = nl_fail(ctx->err, NL_ECONFLICT, "name", "A partner named \"%s\" exists already.", v.name);
	if (rc < 0)
		goto out;
	rc = finish(ctx, "create", id, NULL, out);
out:
	return end_write(ctx, rc, out);
}

int partner_update(struct nl_ctx *ctx, int64_t id, const struct nl_partner_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL, *cur = NULL;
	int taken = 0;
	char at[24];
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	/* the unmasked row for the checks, the masked one for the audit */
	if ((rc = partner_profile(ctx, id, 1, NULL, &cur)) || (rc = partner_profile(ctx, id, 0, NULL, &before)) ||
		(rc = partner_validate(ctx, in, set, cur)))
		goto out;
	if ((set & NL_PARTNER_SET_NAME) && (rc = name_taken(ctx, in->name, id, &taken)))
		goto out;
	if (taken) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, "name", "A partner named \"%s\" exists already.", in->name);
		goto out;
	}
	ctx_now_rfc3339(ctx, at);
	/* each column: the new value when its bit is set ($n+1 = 1), else unchanged */
	if ((rc = db_prepare(ctx->db,
		     "UPDATE partners SET"
		     " name = CASE WHEN $3 = 1 THEN CAST($4 AS TEXT) ELSE name END,"
		     " region = CASE WHEN $5 = 1 THEN CAST($6 AS TEXT) ELSE region END,"
		     " qualifications = CASE WHEN $7 = 1 THEN CAST($8 AS TEXT) ELSE qualifications END,"
		     " industry_experience = CASE WHEN $9 = 1 THEN CAST($10 AS TEXT) ELSE industry_experience END,"
		     " contact_name = CASE WHEN $11 = 1 THEN CAST($12 AS TEXT) ELSE contact_name END,"
		     " contact_phone = CASE WHEN $13 = 1 THEN CAST($14 AS TEXT) ELSE contact_phone END,"
		     " contract_start = CASE WHEN $15 = 1 THEN CAST($16 AS TEXT) ELSE contract_start END,"
		     " contract_end = CASE WHEN $17 = 1 THEN CAST($18 AS TEXT) ELSE contract_end END,"
		     " status = CASE WHEN $19 = 1 THEN CAST($20 AS TEXT) ELSE status END,"
		     " selection_record = CASE WHEN $21 = 1 THEN CAST($22 AS TEXT) ELSE selection_record END,"
		     " department_id = CASE WHEN $23 = 1 THEN CAST($24 AS BIGINT) ELSE department_id END,"
		     " updated_at = $2 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, at);
	const char *texts[] = { in->name, or_empty(in->region), or_empty(in->qualifications), or_empty(in->industry_experience),
		or_empty(in->contact_name), or_empty(in->contact_phone), in->contract_start, in->contract_end, in->status,
		or_empty(in->selection_record) };
	for (int i = 0; i < 10; i++) {
		int on = (set >> i) & 1u;
		stmt_bind_int64(st, 3 + 2 * i, on);
		stmt_bind_text(st, 4 + 2 * i, on ? texts[i] : NULL);
	}
	stmt_bind_int64(st, 23, (set & NL_PARTNER_SET_DEPARTMENT) ? 1 : 0);
	bind_id(st, 24, (set & NL_PARTNER_SET_DEPARTMENT) ? in->department_id : 0);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = finish(ctx, "update", id, before, out);
out:
	json_decref(before);
	json_decref(cur);
	return end_write(ctx, rc, out);
}

/* ---- linked tickets ---- */

int partner_link_tickets(struct nl_ctx *ctx, int64_t id, const int64_t *ticket_ids, size_t n, json_t **out)
{
	struct nl_stmt *st = NULL;
	char name[256], status[16];
	json_t *linked = json_array(), *moved = json_array(), *after = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		goto done;
	if ((rc = partner_status(ctx, id, name, sizeof name, status)))
		goto out;
	/* every id first, so that a refusal writes nothing */
	for (size_t i = 0; i < n; i++) {
		char field[40];
		snprintf(field, sizeof field, "ticket_ids[%zu]", i);
		if ((rc = db_prepare(ctx->db, "SELECT partner_id FROM tickets WHERE id = $1", &st)))
			goto out;
		stmt_bind_int64(st, 1, ticket_ids[i]);
		rc = stmt_step(st);
		int64_t from = rc == 1 ? stmt_column_int64(st, 0) : 0;
		stmt_done(st);
		if (rc == 0) {
			rc = nl_fail(ctx->err, NL_EVALID, field, "No ticket with id %lld.", (long long)ticket_ids[i]);
			goto out;
		}
		if (rc < 0)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (ticket_ids[j] == ticket_ids[i]) {
				rc = nl_fail(ctx->err, NL_EVALID, field, "Ticket %lld is listed twice.", (long long)ticket_ids[i]);
				goto out;
			}
		if (from > 0 && from != id)
			json_array_append_new(moved, json_pack("{s:I,s:I}", "ticket_id", (json_int_t)ticket_ids[i],
				"from_partner_id", (json_int_t)from));
		json_array_append_new(linked, json_integer(ticket_ids[i]));
	}
	for (size_t i = 0; i < n; i++) {
		if ((rc = db_prepare(ctx->db, "UPDATE tickets SET partner_id = $2 WHERE id = $1", &st)))
			goto out;
		stmt_bind_int64(st, 1, ticket_ids[i]);
		stmt_bind_int64(st, 2, id);
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			goto out;
	}
	after = json_pack("{s:I,s:O,s:O}", "partner_id", (json_int_t)id, "linked", linked, "moved", moved);
	if ((rc = audit_append(ctx, "link_tickets", "partner", id, NULL, after)))
		goto out;
	*out = json_incref(after);
out:
	rc = end_write(ctx, rc, out);
done:
	json_decref(after);
	json_decref(linked);
	json_decref(moved);
	return rc;
}

int partner_unlink_ticket(struct nl_ctx *ctx, int64_t id, int64_t ticket_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	char status[16];
	json_t *before = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = partner_status(ctx, id, NULL, 0, status)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE tickets SET partner_id = NULL WHERE id = $1 AND partner_id = $2", &st)))
		goto out;
	stmt_bind_int64(st, 1, ticket_id);
	stmt_bind_int64(st, 2, id);
	rc = stmt_step(st);
	int64_t changed = stmt_changes(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (changed == 0) {
		rc = nl_fail(ctx->err, NL_ENOTFOUND, NULL, "Ticket %lld is not linked to partner %lld.", (long long)ticket_id,
			(long long)id);
		goto out;
	}
	before = json_pack("{s:I,s:I,s:b}", "partner_id", (json_int_t)id, "ticket_id", (json_int_t)ticket_id, "linked", 1);
	*out = json_pack("{s:I,s:I,s:b}", "partner_id", (json_int_t)id, "ticket_id", (json_int_t)ticket_id, "linked", 0);
	rc = audit_append(ctx, "unlink_ticket", "partner", id, before, *out);
out:
	json_decref(before);
	return end_write(ctx, rc, out);
}

int partner_tickets(struct nl_ctx *ctx, int64_t id, const char *from, const char *to, int64_t limit, int64_t cursor,
	json_t **items, int64_t *next)
{
	static const struct nl_col cols[] = {
		{ "id", NL_COL_INT }, { "external_id", NL_COL_TEXT }, { "title", NL_COL_TEXT }, { "priority", NL_COL_TEXT },
		{ "status", NL_COL_TEXT }, { "department_id", NL_COL_ID }, { "opened_day", NL_COL_TEXT },
		{ "resolved", NL_COL_BOOL }, { "sla_response_met", NL_COL_BOOL }, { "sla_resolution_met", NL_COL_BOOL },
		{ "rating", NL_COL_INT },
	};
	struct nl_stmt *st = NULL;
	char status[16];
	int more = 0;
	*items = NULL;
	*next = 0;
	int rc = partner_status(ctx, id, NULL, 0, status);
	if (rc || (rc = db_prepare(ctx->db,
			   "SELECT t.id, t.external_id, t.title, t.priority, t.status, t.department_id, t.opened_day,"
			   " CASE WHEN t.resolved_at IS NOT NULL THEN 1 ELSE 0 END, t.sla_response_met, t.sla_resolution_met,"
			   " (SELECT r.score FROM ticket_ratings r WHERE r.ticket_id = t.id)"
			   " FROM tickets t WHERE t.partner_id = $1 AND t.id > $2"
			   " AND (CAST($4 AS TEXT) IS NULL OR t.opened_day >= CAST($4 AS TEXT))"
			   " AND (CAST($5 AS TEXT) IS NULL OR t.opened_day <= CAST($5 AS TEXT)) ORDER BY t.id LIMIT $3", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, cursor);
	stmt_bind_int64(st, 3, limit + 1);
	stmt_bind_text(st, 4, from);
	stmt_bind_text(st, 5, to);
	if ((rc = stmt_rows_json(st, cols, NL_ARRAY_LEN(cols), (size_t)limit, items, &more)))
		return rc;
	/* a ticket without a rating: null, not 0 */
	size_t i;
	json_t *o;
	json_array_foreach(*items, i, o) if (json_integer_value(json_object_get(o, "rating")) == 0)
		json_object_set_new(o, "rating", json_null());
	if (more)
		*next = json_integer_value(json_object_get(json_array_get(*items, json_array_size(*items) - 1), "id"));
	return 0;
}
