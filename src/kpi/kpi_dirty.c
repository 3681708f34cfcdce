/* kpi_dirty.c — the write-side hook of the measures engine: records which (department, day) pairs changed and bumps
 * the shared version counter, inside the writer's transaction. */
#include "kpi/kpi.h"

#include "core/err.h"
#include "store/store.h"

#include <string.h>

#include "core/common.h"

int kpi_mark_dirty(struct nl_ctx *ctx, int64_t department_id, const char *day)
{
	struct nl_stmt *st = NULL;
	if (!day || strlen(day) != 10)
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "kpi_mark_dirty: bad day");
	int rc = db_prepare(ctx->db, "INSERT INTO kpi_dirty (department_id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, department_id > 0 ? department_id : 0);
	stmt_bind_text(st, 2, day);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(ctx->db, "UPDATE kpi_state SET version = version + 1 WHERE id = 1", &st)))
		return rc;
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}
