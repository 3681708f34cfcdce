/* kpi_dirty.c — the write-side hook of the measures engine: appends the changed (department, day) pair to the change
 * log kpi_dirty inside the writer's transaction. The engine's refresh (kpi_engine.c) recomputes the logged pairs and
 * deletes exactly the log rows it read, so a mark committed while a refresh runs is never lost. Writers touch no
 * shared row (no version bump, no upsert of an existing mark): concurrent writers never wait for each other here, and
 * never for a refresh. */
#include "kpi/kpi.h"

#include "core/date.h"
#include "core/err.h"
#include "store/store.h"

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
