/* kpi.h — the measures engine's write-side hook. Every writer of service records (tickets, imports, ratings,
 * complaints, surveys) calls kpi_mark_dirty for each (department, local day) whose records it changed, inside its
 * own transaction, so that the per-department, per-day aggregates the engine maintains are brought up to date
 * (on this server and on every other server sharing the database). department_id 0 means "no department".
 * Which pair a record belongs to: a ticket — its department and opened_day (a ticket that moves marks the old and the
 * new pair); a rating — its ticket's department and opened_day (not the day it was given); a complaint — its
 * department and received_day. The engine (kpi_engine.h) recomputes every marked pair from those records. */
#ifndef NL_KPI_H
#define NL_KPI_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

/* Marks one (department, day YYYY-MM-DD) as changed. Cheap and idempotent; must run inside the caller's transaction. */
int kpi_mark_dirty(struct nl_ctx *ctx, int64_t department_id, const char *day) __attribute__((warn_unused_result));
/* Marks n pairs (department_ids[i], days[i]) in statements of up to 256 rows: for writers that change many days at
 * once (imports), where one statement per pair costs a round trip each on PostgreSQL. Same contract as kpi_mark_dirty. */
int kpi_mark_dirty_many(struct nl_ctx *ctx, size_t n, const int64_t *department_ids, const char *const *days)
	__attribute__((warn_unused_result));

#endif
