/* kpi_dirty.c — the write-side hook of the measures engine: appends the changed (department, day) pair to the change
 * log kpi_dirty inside the writer's transaction. The engine's refresh (kpi_engine.c) recomputes the logged pairs and
 * deletes exactly the log rows it read, so a mark committed while a refresh runs is never lost. Writers touch no
 * shared row (no version bump, no upsert of an existing mark): concurrent writers never wait for each other here, and
 * never for a refresh. */
#include "kpi/kpi.h"

#include "core/date.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

int kpi_mark_dirty(struct nl_ctx *ctx, int64_t department_id, const char *day)
{
	struct nl_stmt *st = NULL;
	struct nl_date d;
	if (!day || strlen(day) != 10 || date_parse(day, &d))
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "kpi_mark_dirty: bad day");
	int rc = db_prepare(ctx->db, "INSERT INTO kpi_dirty (department_id, day) VALUES ($1, $2)", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, department_id > 0 ? department_id : 0);
	stmt_bind_text(st, 2, day);
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Pairs per statement of kpi_mark_dirty_many: 2 parameters each, well below both engines' limits (SQLite 32766,
 * PostgreSQL 65535) and short enough to prepare once per size. */
#define MARK_CHUNK 256

int kpi_mark_dirty_many(struct nl_ctx *ctx, size_t n, const int64_t *department_ids, const char *const *days)
{
	int rc = 0;
	struct nl_date d;
	for (size_t i = 0; i < n; i++)
		if (!days[i] || strlen(days[i]) != 10 || date_parse(days[i], &d))
			return nl_fail(ctx->err, NL_EINTERNAL, NULL, "kpi_mark_dirty_many: bad day");
	for (size_t at = 0; at < n && !rc; at += MARK_CHUNK) {
		size_t k = n - at < MARK_CHUNK ? n - at : MARK_CHUNK;
		struct nl_strbuf sql;
		struct nl_stmt *st = NULL;
		strbuf_init(&sql, 0);
		strbuf_puts(&sql, "INSERT INTO kpi_dirty (department_id, day) VALUES ");
		for (size_t j = 0; j < k; j++)
			strbuf_printf(&sql, "%s($%zu, $%zu)", j ? ", " : "", 2 * j + 1, 2 * j + 2);
		if (sql.failed) {
			strbuf_cleanup(&sql);
			return nl_fail(ctx->err, NL_ENOMEM, NULL, "kpi_mark_dirty_many: out of memory");
		}
		rc = db_prepare(ctx->db, sql.data, &st);
		strbuf_cleanup(&sql);
		if (rc)
			return rc;
		for (size_t j = 0; j < k; j++) {
			stmt_bind_int64(st, (int)(2 * j + 1), department_ids[at + j] > 0 ? department_ids[at + j] : 0);
			stmt_bind_text(st, (int)(2 * j + 2), days[at + j]);
		}
		rc = stmt_step(st);
		stmt_done(st);
		rc = rc < 0 ? rc : 0;
	}
	return rc;
}
