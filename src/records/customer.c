/* customer.c — customer records, with phone and e-mail masked for readers without customer.pii (customer.h). */
#include "records/customer.h"

#include "audit/audit.h"
#include "core/json.h"
#include "records/pii.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

#define CUSTOMER_COLS "id, name, organisation, phone, email, notes, created_at, updated_at"

/* Sets key to v, masked by `mask` unless full. */
static void set_pii(json_t *o, const char *key, const char *v, int full, char *(*mask)(const char *, char *, size_t))
{
	char buf[320];
	json_set_str(o, key, full || !v ? v : mask(v, buf, sizeof buf));
}

/* The row as JSON; personal data in full only when `full`. */
static json_t *customer_row(struct nl_stmt *st, int full)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "name", stmt_column_text(st, 1));
	json_set_str(o, "organisation", stmt_column_text(st, 2));
	set_pii(o, "phone", stmt_column_text(st, 3), full, pii_mask_phone);
	set_pii(o, "email", stmt_column_text(st, 4), full, pii_mask_email);
	json_set_str(o, "notes", stmt_column_text(st, 5));
	json_set_bool(o, "pii_masked", !full);
	json_set_str(o, "created_at", stmt_column_text(st, 6));
	json_set_str(o, "updated_at", stmt_column_text(st, 7));
	return o;
}

/* Reads one customer; full: personal data unmasked. */
static int customer_read(struct nl_ctx *ctx, int64_t id, int full, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " CUSTOMER_COLS " FROM customers WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = customer_row(st, full);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No customer with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int customer_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	return customer_read(ctx, id, pii_visible(ctx->actor), out);
}

int customer_list(struct nl_ctx *ctx, const char *q, int64_t limit, int64_t cursor, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	*next = 0;
	int full = pii_visible(ctx->actor);
	int rc = db_prepare(ctx->db, "SELECT " CUSTOMER_COLS " FROM customers WHERE id > $1"
				     " AND (CAST($3 AS TEXT) IS NULL OR name LIKE '%' || CAST($3 AS TEXT) || '%'"
				     " OR organisation LIKE '%' || CAST($3 AS TEXT) || '%') ORDER BY id LIMIT $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, cursor);
	stmt_bind_int64(st, 2, limit + 1);
	stmt_bind_text(st, 3, q && *q ? q : NULL);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 0);
		json_array_append_new(arr, customer_row(st, full));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

int customer_embed(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = json_null();
	if (id <= 0)
		return 0;
	int rc = db_prepare(ctx->db, "SELECT id, name, organisation, phone, email FROM customers WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		int full = pii_visible(ctx->actor);
		json_t *o = json_object();
		json_set_int(o, "id", stmt_column_int64(st, 0));
		json_set_str(o, "name", stmt_column_text(st, 1));
		json_set_str(o, "organisation", stmt_column_text(st, 2));
		set_pii(o, "phone", stmt_column_text(st, 3), full, pii_mask_phone);
		set_pii(o, "email", stmt_column_text(st, 4), full, pii_mask_email);
		json_set_bool(o, "pii_masked", !full);
		*out = o;
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int customer_check(struct nl_ctx *ctx, int64_t id, const char *field)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT id FROM customers WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_EVALID, field, "No customer with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

/* Checks the fields given; NL_EVALID naming the first bad one. */
static int customer_validate(struct nl_ctx *ctx, const struct nl_customer_input *in, unsigned set)
{
	if ((set & NL_CUSTOMER_SET_NAME) && (!in->name || !*in->name))
		return nl_fail(ctx->err, NL_EVALID, "name", "name must not be empty.");
	if ((set & NL_CUSTOMER_SET_PHONE) && in->phone && *in->phone && !pii_phone_valid(in->phone))
		return nl_fail(ctx->err, NL_EVALID, "phone",
			"phone must be 5–20 characters of digits, '+', '-' and spaces (at least 5 digits).");
	if ((set & NL_CUSTOMER_SET_EMAIL) && in->email && *in->email && !pii_email_valid(in->email))
		return nl_fail(ctx->err, NL_EVALID, "email", "email must look like name@example.com.");
	return 0;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

int customer_create(struct nl_ctx *ctx, const struct nl_customer_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *audit_after = NULL;
	int64_t id = 0;
	char at[24];
	*out = NULL;
	int rc = customer_validate(ctx, in, 0xFFu);
	if (rc)
		return rc;
	audit_now_rfc3339(at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO customers (name, organisation, phone, email, notes, created_at, updated_at)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, in->name);
	stmt_bind_text(st, 2, or_empty(in->organisation));
	stmt_bind_text(st, 3, or_empty(in->phone));
	stmt_bind_text(st, 4, or_empty(in->email));
	stmt_bind_text(st, 5, or_empty(in->notes));
	stmt_bind_text(st, 6, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || (rc = customer_read(ctx, id, 0, &audit_after)))
		goto out;
	if ((rc = audit_append(ctx, "create", "customer", id, NULL, audit_after)))
		goto out;
	rc = customer_get(ctx, id, out);
out:
	json_decref(audit_after);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int customer_update(struct nl_ctx *ctx, int64_t id, const struct nl_customer_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL, *after = NULL;
	char at[24];
	*out = NULL;
	int rc = customer_validate(ctx, in, set);
	if (rc)
		return rc;
	audit_now_rfc3339(at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = customer_read(ctx, id, 0, &before)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE customers SET name = COALESCE($2, name), organisation = COALESCE($3, organisation),"
				      " phone = COALESCE($4, phone), email = COALESCE($5, email), notes = COALESCE($6, notes),"
				      " updated_at = $7 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, (set & NL_CUSTOMER_SET_NAME) ? in->name : NULL);
	stmt_bind_text(st, 3, (set & NL_CUSTOMER_SET_ORGANISATION) ? or_empty(in->organisation) : NULL);
	stmt_bind_text(st, 4, (set & NL_CUSTOMER_SET_PHONE) ? or_empty(in->phone) : NULL);
	stmt_bind_text(st, 5, (set & NL_CUSTOMER_SET_EMAIL) ? or_empty(in->email) : NULL);
	stmt_bind_text(st, 6, (set & NL_CUSTOMER_SET_NOTES) ? or_empty(in->notes) : NULL);
	stmt_bind_text(st, 7, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = customer_read(ctx, id, 0, &after)))
		goto out;
	if ((rc = audit_append(ctx, "update", "customer", id, before, after)))
		goto out;
	rc = customer_get(ctx, id, out);
out:
	json_decref(before);
	json_decref(after);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
