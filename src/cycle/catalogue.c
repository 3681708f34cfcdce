/* catalogue.c — the catalogue of capability sub-areas per element: list, create, change, and the lookup that plan
 * items use to validate their `area`. */
#include "cycle/catalogue.h"

#include "audit/audit.h"
#include "core/json.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

const char *const catalogue_elements[] = { "people", "process", "technology", "resources", NULL };

#define AREA_COLS "id, element, code, name, name_en, sort, active"
#define AREA_ORDER \
	" ORDER BY CASE element WHEN 'people' THEN 1 WHEN 'process' THEN 2 WHEN 'technology' THEN 3 ELSE 4 END, sort, id"

int catalogue_element_valid(const char *s)
{
	for (int i = 0; s && catalogue_elements[i]; i++)
		if (!strcmp(s, catalogue_elements[i]))
			return 1;
	return 0;
}

static json_t *area_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "element", stmt_column_text(st, 1));
	json_set_str(o, "code", stmt_column_text(st, 2));
	json_set_str(o, "name", stmt_column_text(st, 3));
	json_set_str(o, "name_en", stmt_column_text(st, 4));
	json_set_int(o, "sort", stmt_column_int64(st, 5));
	json_set_bool(o, "active", (int)stmt_column_int64(st, 6));
	return o;
}

int catalogue_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " AREA_COLS " FROM capability_areas WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = area_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No capability area with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int catalogue_list(struct nl_ctx *ctx, const char *element, int active, int64_t limit, int64_t offset, json_t **items,
	int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	*next = 0;
	int rc = db_prepare(ctx->db, "SELECT " AREA_COLS " FROM capability_areas WHERE ($1 = '' OR element = $1)"
				     " AND ($2 < 0 OR active = $2)" AREA_ORDER " LIMIT $3 OFFSET $4", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, element ? element : "");
	stmt_bind_int64(st, 2, active);
	stmt_bind_int64(st, 3, limit + 1);
	stmt_bind_int64(st, 4, offset);
	json_t *arr = json_array();
	int64_t n = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n == limit) {
			*next = offset + n;
			break;
		}
		json_array_append_new(arr, area_row(st));
		n++;
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* A code is "<element>." followed by 1+ characters of [a-z0-9._-], 64 characters at most. */
static int code_valid(const char *element, const char *code)
{
	size_t el = strlen(element), n = strlen(code);
	if (n > 64 || n <= el + 1 || strncmp(code, element, el) != 0 || code[el] != '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int catalogue_create(struct nl_ctx *ctx, const struct nl_area_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	int64_t id = 0;
	*out = NULL;
	if (!catalogue_element_valid(in->element))
		return nl_fail(ctx->err, NL_EVALID, "element", "element must be people, process, technology or resources.");
	if (!in->code || !code_valid(in->element, in->code))
		return nl_fail(ctx->err, NL_EVALID, "code",
			"code must start with \"%s.\" and use only a–z, 0–9, '.', '_' or '-' (at most 64 characters).", in->element);
	if (!in->name || !*in->name)
		return nl_fail(ctx->err, NL_EVALID, "name", "name is required.");
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO capability_areas (element, code, name, name_en, sort, active)"
				      " VALUES ($1, $2, $3, $4, CASE WHEN $5 = 1 THEN $6 ELSE (SELECT COALESCE(MAX(sort), 0) + 10"
				      " FROM capability_areas WHERE element = $1) END, $7)"
				      " ON CONFLICT (code) DO NOTHING RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, in->element);
	stmt_bind_text(st, 2, in->code);
	stmt_bind_text(st, 3, in->name);
	stmt_bind_text(st, 4, in->name_en ? in->name_en : "");
	stmt_bind_int64(st, 5, (set & NL_AREA_SET_SORT) ? 1 : 0);
	stmt_bind_int64(st, 6, in->sort);
	stmt_bind_int64(st, 7, (set & NL_AREA_SET_ACTIVE) ? (in->active ? 1 : 0) : 1);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == 0)
		rc = nl_fail(ctx->err, NL_ECONFLICT, "code", "A capability area with code \"%s\" exists already.", in->code);
	if (rc < 0 || (rc = catalogue_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "capability_area", id, NULL, *out);
out:
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int catalogue_update(struct nl_ctx *ctx, int64_t id, const struct nl_area_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	*out = NULL;
	if ((set & NL_AREA_SET_NAME) && (!in->name || !*in->name))
		return nl_fail(ctx->err, NL_EVALID, "name", "name must not be empty.");
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = catalogue_get(ctx, id, &before)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE capability_areas SET name = CASE WHEN $2 = 1 THEN $3 ELSE name END,"
				      " name_en = CASE WHEN $4 = 1 THEN $5 ELSE name_en END, sort = CASE WHEN $6 = 1 THEN $7 ELSE sort END,"
				      " active = CASE WHEN $8 = 1 THEN $9 ELSE active END WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, (set & NL_AREA_SET_NAME) ? 1 : 0);
	stmt_bind_text(st, 3, in->name ? in->name : "");
	stmt_bind_int64(st, 4, (set & NL_AREA_SET_NAME_EN) ? 1 : 0);
	stmt_bind_text(st, 5, in->name_en ? in->name_en : "");
	stmt_bind_int64(st, 6, (set & NL_AREA_SET_SORT) ? 1 : 0);
	stmt_bind_int64(st, 7, in->sort);
	stmt_bind_int64(st, 8, (set & NL_AREA_SET_ACTIVE) ? 1 : 0);
	stmt_bind_int64(st, 9, in->active ? 1 : 0);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = catalogue_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "update", "capability_area", id, before, *out);
out:
	json_decref(before);
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int catalogue_resolve(struct nl_ctx *ctx, const char *element, const char *text, const char *field, char *code_out,
	size_t code_len)
{
	struct nl_stmt *st = NULL;
	code_out[0] = '\0';
	if (!text || !*text)
		return nl_fail(ctx->err, NL_EVALID, field, "%s is required: a sub-area of the element.", field);
	int rc = db_prepare(ctx->db, "SELECT code FROM capability_areas WHERE element = $1 AND active = 1"
				     " AND (code = $2 OR name = $2 OR name_en = $2) ORDER BY CASE WHEN code = $2 THEN 0 ELSE 1 END, id"
				     " LIMIT 1", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, element);
	stmt_bind_text(st, 2, text);
	rc = stmt_step(st);
	if (rc == 1)
		snprintf(code_out, code_len, "%s", stmt_column_text(st, 0));
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_EVALID, field,
			"%s is not the code or name of an active sub-area of %s (see GET /api/v1/capability-areas?element=%s).", field,
			element, element);
	return rc < 0 ? rc : 0;
}
