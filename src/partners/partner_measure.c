/* partner_measure.c — a partner's record measures over a period, and partner_score_avg for the measurement plan
 * (partner_measure.h). */
#include "partners/partner_measure.h"

#include "core/date.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

/* The first and last day of p as "YYYY-MM-DD". */
static int period_days_text(struct nl_period p, char from[NL_DATE_STRLEN], char to[NL_DATE_STRLEN])
{
	struct nl_date a, b;
	int rc = period_first_date(p, &a);
	if (rc || (rc = period_last_date(p, &b)) || (rc = date_format(a, from)) || (rc = date_format(b, to)))
		return NL_EVALID;
	return 0;
}

int partner_records_read(struct nl_ctx *ctx, int64_t partner_id, struct nl_period p, struct nl_partner_records *out)
{
	struct nl_stmt *st = NULL;
	char from[NL_DATE_STRLEN], to[NL_DATE_STRLEN];
	memset(out, 0, sizeof *out);
	int rc = period_days_text(p, from, to);
	if (rc)
		return nl_fail(ctx->err, NL_EVALID, "period", "Not a valid period.");
	/* the rating is a correlated lookup (one row per ticket), as in the measures engine */
	if ((rc = db_prepare(ctx->db,
		     "SELECT COUNT(*),"
		     " COALESCE(SUM(CASE WHEN t.resolved_at IS NOT NULL THEN 1 ELSE 0 END), 0),"
		     " COALESCE(SUM(CASE WHEN t.sla_response_met IS NOT NULL THEN 1 ELSE 0 END), 0),"
		     " COALESCE(SUM(CASE WHEN t.sla_response_met = 1 THEN 1 ELSE 0 END), 0),"
		     " COALESCE(SUM(CASE WHEN t.sla_resolution_met IS NOT NULL THEN 1 ELSE 0 END), 0),"
		     " COALESCE(SUM(CASE WHEN t.sla_resolution_met = 1 THEN 1 ELSE 0 END), 0),"
		     " COUNT(r.ticket_id), COALESCE(SUM(r.score), 0),"
		     " COALESCE(SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END), 0)"
		     " FROM tickets t LEFT JOIN ticket_ratings r ON r.ticket_id = t.id"
		     " WHERE t.partner_id = $1 AND t.opened_day >= $2 AND t.opened_day <= $3", &st)))
		return rc;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_text(st, 2, from);
	stmt_bind_text(st, 3, to);
	rc = stmt_step(st);
	if (rc == 1) {
		out->tickets = stmt_column_int64(st, 0);
		out->resolved = stmt_column_int64(st, 1);
		out->sla_response_n = stmt_column_int64(st, 2);
		out->sla_response_met = stmt_column_int64(st, 3);
		out->sla_resolution_n = stmt_column_int64(st, 4);
		out->sla_resolution_met = stmt_column_int64(st, 5);
		out->ratings = stmt_column_int64(st, 6);
		out->rating_sum = stmt_column_int64(st, 7);
		out->satisfied = stmt_column_int64(st, 8);
	}
	stmt_done(st);
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(ctx->db, "SELECT COUNT(*) FROM complaints WHERE partner_id = $1 AND received_day >= $2"
				      " AND received_day <= $3", &st)))
		return rc;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_text(st, 2, from);
	stmt_bind_text(st, 3, to);
	rc = stmt_step(st);
	if (rc == 1)
		out->complaints = stmt_column_int64(st, 0);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int partner_records_measure(const struct nl_partner_records *r, const char *key, int *has, double *value, double *num,
	double *den, char *note, size_t notelen)
{
	int64_t n, d;
	const char *missing;
	*has = 0;
	*value = *num = *den = NAN;
	if (note && notelen)
		note[0] = '\0';
	if (!key)
		return NL_EVALID;
	if (!strcmp(key, "complaint_rate")) {
		n = r->complaints, d = r->tickets;
		missing = "no tickets linked to the partner were opened in the period (the rate is complaints ÷ tickets)";
	} else if (!strcmp(key, "satisfaction_avg")) {
		n = r->rating_sum, d = r->ratings;
		missing = "no satisfaction rating of the partner's tickets in the period";
	} else if (!strcmp(key, "satisfied_rate")) {
		n = r->satisfied, d = r->ratings;
		missing = "no satisfaction rating of the partner's tickets in the period";
	} else if (!strcmp(key, "sla_response_rate")) {
		n = r->sla_response_met, d = r->sla_response_n;
		missing = "no response SLA was measured on the partner's tickets in the period";
	} else if (!strcmp(key, "sla_resolution_rate")) {
		n = r->sla_resolution_met, d = r->sla_resolution_n;
		missing = "no resolution SLA was measured on the partner's tickets in the period";
	} else if (!strcmp(key, "resolution_rate")) {
		n = r->resolved, d = r->tickets;
		missing = "no tickets linked to the partner were opened in the period";
	} else {
		return NL_EVALID;
	}
	if (d <= 0) {
		if (note && notelen)
			snprintf(note, notelen, "%s", missing);
		return 0;
	}
	*has = 1;
	*num = (double)n;
	*den = (double)d;
	*value = (double)n / (double)d;
	return 0;
}

json_t *partner_records_json(const struct nl_partner_records *r)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "tickets", (json_int_t)r->tickets, "resolved",
		(json_int_t)r->resolved, "sla_response_measured", (json_int_t)r->sla_response_n, "sla_response_met",
		(json_int_t)r->sla_response_met, "sla_resolution_measured", (json_int_t)r->sla_resolution_n,
		"sla_resolution_met", (json_int_t)r->sla_resolution_met, "ratings", (json_int_t)r->ratings, "rating_sum",
		(json_int_t)r->rating_sum, "ratings_satisfied", (json_int_t)r->satisfied, "complaints",
		(json_int_t)r->complaints);
}

int partner_measure(struct nl_ctx *ctx, const char *key, int64_t department_id, struct nl_period p, int *has,
	double *value, double *num, double *den)
{
	struct nl_stmt *st = NULL;
	char first[NL_PERIOD_STRLEN], last[NL_PERIOD_STRLEN];
	*has = 0;
	*value = *num = *den = NAN;
	if (!key || strcmp(key, "partner_score_avg") != 0)
		return nl_fail(ctx->err, NL_EVALID, "key", "partner_measure computes partner_score_avg only.");
	if (!period_valid(p))
		return nl_fail(ctx->err, NL_EVALID, "period", "Not a valid period.");
	if (p.kind == NL_PERIOD_MONTH)
		return 0;   /* assessments are quarterly: no quarter lies within a month */
	struct nl_period q1 = { NL_PERIOD_QUARTER, p.year, p.kind == NL_PERIOD_YEAR ? 1 : p.index };
	struct nl_period q2 = { NL_PERIOD_QUARTER, p.year, p.kind == NL_PERIOD_YEAR ? 4 : p.index };
	int rc = period_format(q1, first);
	if (rc || (rc = period_format(q2, last)))
		return nl_fail(ctx->err, NL_EVALID, "period", "Not a valid period.");
	/* "YYYY-Qn" strings of one year sort in quarter order */
	if ((rc = db_prepare(ctx->db, "SELECT COUNT(*), COALESCE(SUM(a.total), 0) FROM partner_assessments a"
				      " JOIN partners p ON p.id = a.partner_id WHERE a.period >= $1 AND a.period <= $2"
				      " AND (CAST($3 AS BIGINT) = 0 OR p.department_id = CAST($3 AS BIGINT))", &st)))
		return rc;
	stmt_bind_text(st, 1, first);
	stmt_bind_text(st, 2, last);
	stmt_bind_int64(st, 3, department_id);
	rc = stmt_step(st);
	if (rc == 1 && stmt_column_int64(st, 0) > 0) {
		*has = 1;
		*den = (double)stmt_column_int64(st, 0);
		*num = stmt_column_double(st, 1);
		*value = *num / *den;
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}
