/* department.c — departments: the policy's five seeded by init, created and renamed by the admin. */
#include "org/org.h"

#include "audit/audit.h"
#include "core/json.h"
#include "store/rows.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

static const struct nl_department_input seeded[] = {
	{ "VPO", "公司分管副总办公室", "Office of the Vice President in Charge" },
	{ "ITOPS", "IT运维事业部", "IT Operations Division" },
	{ "HR", "人力资源部", "Human Resources Department" },
	{ "QA", "质量管理部", "Quality Management Department" },
	{ "BIZ", "商务部", "Business Department" },
};

#define DEPT_COLS "id, code, name, name_en, created_at, updated_at"

static const struct nl_col department_cols[] = {
	{ "id", NL_COL_INT }, { "code", NL_COL_TEXT }, { "name", NL_COL_TEXT }, { "name_en", NL_COL_TEXT },
	{ "created_at", NL_COL_TEXT }, { "updated_at", NL_COL_TEXT },
};

static json_t *department_row(struct nl_stmt *st)
{
	return stmt_row_json(st, department_cols, NL_ARRAY_LEN(department_cols));
}

int department_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " DEPT_COLS " FROM departments WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = department_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No department with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int department_list(struct nl_ctx *ctx, int64_t limit, int64_t cursor, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	int more = 0;
	*items = NULL;
	*next = 0;
	int rc = db_prepare(ctx->db, "SELECT " DEPT_COLS " FROM departments WHERE id > $1 ORDER BY id LIMIT $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, cursor);
	stmt_bind_int64(st, 2, limit + 1);
	if ((rc = stmt_rows_json(st, department_cols, NL_ARRAY_LEN(department_cols), (size_t)limit, items, &more)))
		return rc;
	if (more)
		*next = json_integer_value(json_object_get(json_array_get(*items, json_array_size(*items) - 1), "id"));
	return 0;
}

int department_id_by_code(struct nl_ctx *ctx, const char *code, const char *field, int64_t *id)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT id FROM departments WHERE code = $1", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, code);
	rc = stmt_step(st);
	*id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, field, "No department with code \"%s\".", code);
	return rc < 0 ? rc : 0;
}

static int code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* Inserts one department; the caller holds the transaction. */
static int department_insert(struct nl_ctx *ctx, const struct nl_department_input *in, int64_t *id)
{
	struct nl_stmt *st = NULL;
	char at[24];
	ctx_now_rfc3339(ctx, at);
	int rc = db_prepare(ctx->db, "INSERT INTO departments (code, name, name_en, created_at, updated_at)"
				     " VALUES ($1, $2, $3, $4, $4) RETURNING id", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, in->code);
	stmt_bind_text(st, 2, in->name);
	stmt_bind_text(st, 3, in->name_en ? in->name_en : "");
	stmt_bind_text(st, 4, at);
	rc = stmt_step(st);
	*id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		return nl_fail(ctx->err, NL_ECONFLICT, "code", "A department with code \"%s\" exists already.", in->code);
	return rc < 0 ? rc : 0;
}

int department_create(struct nl_ctx *ctx, const struct nl_department_input *in, json_t **out)
{
	int64_t id = 0;
	*out = NULL;
	if (!code_valid(in->code))
		return nl_fail(ctx->err, NL_EVALID, "code", "code must be 1–32 letters, digits, '-' or '_'.");
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if (!(rc = department_insert(ctx, in, &id)) && !(rc = department_get(ctx, id, out)))
		rc = audit_append(ctx, "create", "department", id, NULL, *out);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int department_update(struct nl_ctx *ctx, int64_t id, const char *name, const char *name_en, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	char at[24];
	*out = NULL;
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = department_get(ctx, id, &before)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE departments SET name = COALESCE($2, name), name_en = COALESCE($3, name_en),"
				      " updated_at = $4 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, name);
	stmt_bind_text(st, 3, name_en);
	stmt_bind_text(st, 4, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = department_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "update", "department", id, before, *out);
out:
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int department_seed(struct nl_ctx *ctx)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT COUNT(*) FROM departments", &st);
	if (rc)
		return rc;
	rc = stmt_step(st);
	int64_t n = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || n > 0)
		return rc < 0 ? rc : 0;
	if ((rc = db_begin(ctx->db)))
		return rc;
	for (size_t i = 0; i < NL_ARRAY_LEN(seeded) && rc == 0; i++) {
		int64_t id;
		json_t *after = NULL;
		if (!(rc = department_insert(ctx, &seeded[i], &id)) && !(rc = department_get(ctx, id, &after)))
			rc = audit_append(ctx, "create", "department", id, NULL, after);
		json_decref(after);
	}
	return tx_end(ctx, rc);
}
