/* improvement_measure.c — the innovation measures (improvement/improvement.h): proposals, pilots started and
 * adoptions counted by the local date of each step, per department or for the whole organisation. */
#include "improvement/improvement.h"

#include "store/store.h"

#include <math.h>
#include <string.h>

#include "core/common.h"

/* Each measure: its key and the SQL counting it; $1..$2 the period's first and last day, $3 the department (0: all). */
static const struct {
	const char *key;
	const char *sql;
} measures[] = {
	{ "innovations", "SELECT COUNT(*) FROM innovations WHERE proposed_on >= $1 AND proposed_on <= $2"
			 " AND (CAST($3 AS BIGINT) = 0 OR department_id = CAST($3 AS BIGINT))" },
	{ "innovation_pilots", "SELECT COUNT(*) FROM innovations WHERE piloted_on >= $1 AND piloted_on <= $2"
			       " AND (CAST($3 AS BIGINT) = 0 OR department_id = CAST($3 AS BIGINT))" },
	{ "innovations_adopted", "SELECT COUNT(*) FROM innovations WHERE status = 'adopted' AND decided_on >= $1"
				 " AND decided_on <= $2 AND (CAST($3 AS BIGINT) = 0 OR department_id = CAST($3 AS BIGINT))" },
};

int improvement_measure_known(const char *key)
{
	for (size_t i = 0; key && i < NL_ARRAY_LEN(measures); i++)
		if (!strcmp(measures[i].key, key))
			return 1;
	return 0;
}

int improvement_measure(struct nl_ctx *ctx, const char *key, int64_t department_id, struct nl_period p, int *has,
	double *value, double *num, double *den)
{
	struct nl_stmt *st = NULL;
	struct nl_date first, last;
	char from[NL_DATE_STRLEN], to[NL_DATE_STRLEN];
	const char *sql = NULL;
	*has = 0;
	*value = *num = *den = NAN;
	for (size_t i = 0; key && i < NL_ARRAY_LEN(measures); i++)
		if (!strcmp(measures[i].key, key))
			sql = measures[i].sql;
	if (!sql)
		return nl_fail(ctx->err, NL_EVALID, "key", "\"%s\" is not an improvement measure.", key ? key : "");
	if (period_first_date(p, &first) || period_last_date(p, &last) || date_format(first, from) || date_format(last, to))
		return nl_fail(ctx->err, NL_EVALID, "period", "The period is not valid.");
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, from);
	stmt_bind_text(st, 2, to);
	stmt_bind_int64(st, 3, department_id > 0 ? department_id : 0);
	rc = stmt_step(st);
	int64_t n = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		return rc;
	*has = 1;
	*value = (double)n;
	return 0;
}
