/* peopleInt.h — helpers shared by the people room's domain files (staff, training, appraisal, reward, measures,
 * reminders); private to src/people/. */
#ifndef NL_PEOPLE_INT_H
#define NL_PEOPLE_INT_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/date.h"
#include "store/store.h"

/* A page of "no limit" for internal reads. */
#define PEOPLE_NO_LIMIT 100000000

/* Binds v at idx, or NULL when v <= 0. */
void people_bind_id(struct nl_stmt *st, int idx, int64_t v);
/* Binds v at idx, or NULL when v is NaN. */
void people_bind_real(struct nl_stmt *st, int idx, double v);
/* The id of the acting user (0 for the command line). */
int64_t people_actor_id(const struct nl_ctx *ctx);
/* Today in the organisation's time zone (cycle_today) as a date and as "YYYY-MM-DD". */
int people_today(struct nl_ctx *ctx, struct nl_date *d, char s[NL_DATE_STRLEN]) __attribute__((warn_unused_result));
/* Runs a query with one integer parameter $1 and sets *found to 1 when it returns a row. */
int people_exists(struct nl_ctx *ctx, const char *sql, int64_t id, int *found) __attribute__((warn_unused_result));
/* Sets o[key] to a real number, or null when the column is NULL. */
void people_json_real_col(json_t *o, const char *key, struct nl_stmt *st, int col);
/* Sets o[key] to v, or null when v is NaN. */
void people_json_real(json_t *o, const char *key, double v);
/* Parses s as a date into *out; NL_EVALID naming field otherwise. */
int people_date_field(struct nl_ctx *ctx, const char *s, const char *field, struct nl_date *out)
	__attribute__((warn_unused_result));
/* Ends a write: tx_end(ctx, rc), and on failure drops *out (may be NULL). Returns the final code. */
int people_write_end(struct nl_ctx *ctx, int rc, json_t **out) __attribute__((warn_unused_result));
/* The next cursor of a page: the id of its last item when `more`. */
int64_t people_next_cursor(json_t *items, int more);

#endif
