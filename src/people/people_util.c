/* people_util.c — small helpers of the people room (peopleInt.h). */
#include "people/peopleInt.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "cycle/today.h"

#include <math.h>

#include "core/common.h"

void people_bind_id(struct nl_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		stmt_bind_int64(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

void people_bind_real(struct nl_stmt *st, int idx, double v)
{
	if (isnan(v))
		stmt_bind_null(st, idx);
	else
		stmt_bind_double(st, idx, v);
}

int64_t people_actor_id(const struct nl_ctx *ctx)
{
	return ctx->actor ? ctx->actor->id : 0;
}

int people_today(struct nl_ctx *ctx, struct nl_date *d, char s[NL_DATE_STRLEN])
{
	int rc = cycle_today(ctx, d);
	if (rc)
		return rc;
	if (date_format(*d, s))
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "Today's date is out of range.");
	return 0;
}

int people_exists(struct nl_ctx *ctx, const char *sql, int64_t id, int *found)
{
	struct nl_stmt *st = NULL;
	*found = 0;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		return rc;
	*found = rc == 1;
	return 0;
}

void people_json_real_col(json_t *o, const char *key, struct nl_stmt *st, int col)
{
	json_object_set_new(o, key, stmt_column_is_null(st, col) ? json_null() : json_real(stmt_column_double(st, col)));
}

void people_json_real(json_t *o, const char *key, double v)
{
	json_object_set_new(o, key, isfinite(v) ? json_real(v) : json_null());
}

int people_date_field(struct nl_ctx *ctx, const char *s, const char *field, struct nl_date *out)
{
	if (!s || date_parse(s, out) != 0)
		return nl_fail(ctx->err, NL_EVALID, field, "%s must be a calendar date YYYY-MM-DD.", field);
	return 0;
}

int people_write_end(struct nl_ctx *ctx, int rc, json_t **out)
{
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc && out) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int64_t people_next_cursor(json_t *items, int more)
{
	if (!more || json_array_size(items) == 0)
		return 0;
	return json_integer_value(json_object_get(json_array_get(items, json_array_size(items) - 1), "id"));
}
