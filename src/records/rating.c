/* rating.c — satisfaction ratings of tickets (records/rating.h). Reads the tickets room's table (tickets) with its own
 * SQL: the status, assignee, department and opened_day of the rated ticket. */
#include "records/rating.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "core/log.h"
#include "core/tz.h"
#include "kpi/kpi.h"
#include "org/org.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

#define RATING_SELECT \
	"SELECT r.ticket_id, r.score, r.comment, r.rated_by, u.display_name, r.survey_id, r.rated_at, r.rated_day" \
	" FROM ticket_ratings r LEFT JOIN users u ON u.id = r.rated_by WHERE r.ticket_id = $1"

int rating_local_day(struct nl_ctx *ctx, int64_t t, char out[NL_DATE_STRLEN])
{
	char zone[128];
	struct nl_date d;
	int offset = 0;
	int rc = settings_value(ctx, "timezone", "Asia/Shanghai", zone, sizeof zone);
	if (rc)
		return rc;
	if (tz_offset(zone, t, &offset) != 0) {
		NL_LOG(NL_LOG_WARN, "time zone \"%.64s\" not found in the zone database; using UTC for local dates", zone);
		offset = 0;
	}
	if (date_from_timestamp(t, offset, &d) != 0 || date_format(d, out) != 0)
		return nl_fail(ctx->err, NL_EVALID, NULL, "The time is outside the years 1900–9999.");
	return 0;
}

static int64_t now_of(const struct nl_ctx *ctx)
{
	return ctx->now > 0 ? ctx->now : (int64_t)time(NULL);
}

int rating_get(struct nl_ctx *ctx, int64_t ticket_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, RATING_SELECT, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ticket_id);
	rc = stmt_step(st);
	if (rc == 1) {
		json_t *o = json_object();
		json_set_int(o, "ticket_id", stmt_column_int64(st, 0));
		json_set_int(o, "score", stmt_column_int64(st, 1));
		json_set_str(o, "comment", stmt_column_text(st, 2));
		json_set_id(o, "rated_by", stmt_column_int64(st, 3));
		json_set_str(o, "rater", stmt_column_text(st, 4));
		json_set_id(o, "survey_id", stmt_column_int64(st, 5));
		json_set_str(o, "source", stmt_column_is_null(st, 5) ? "direct" : "survey");
		json_set_str(o, "rated_at", stmt_column_text(st, 6));
		json_set_str(o, "rated_day", stmt_column_text(st, 7));
		*out = o;
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The rated ticket's facts. */
struct rated_ticket {
	char status[24];
	int64_t assignee;
	int64_t department_id;
	char opened_day[NL_DATE_STRLEN];
};

static int ticket_load(struct nl_ctx *ctx, int64_t ticket_id, struct rated_ticket *t)
{
	struct nl_stmt *st = NULL;
	memset(t, 0, sizeof *t);
	int rc = db_prepare(ctx->db, "SELECT status, assignee_user_id, department_id, opened_day FROM tickets WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ticket_id);
	rc = stmt_step(st);
	if (rc == 1) {
		snprintf(t->status, sizeof t->status, "%s", stmt_column_text(st, 0) ? stmt_column_text(st, 0) : "");
		t->assignee = stmt_column_int64(st, 1);
		t->department_id = stmt_column_int64(st, 2);
		snprintf(t->opened_day, sizeof t->opened_day, "%s", stmt_column_text(st, 3) ? stmt_column_text(st, 3) : "");
	}
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No ticket with id %lld.", (long long)ticket_id);
	return rc < 0 ? rc : 0;
}

/* Inserts the rating unless the ticket has one; *inserted = 1 when it did. Inside the caller's transaction. */
static int rating_insert(struct nl_ctx *ctx, int64_t ticket_id, int score, const char *comment, int64_t rated_by,
	int64_t survey_id, int *inserted)
{
	struct nl_stmt *st = NULL;
	char at[NL_TIMESTAMP_STRLEN], day[NL_DATE_STRLEN];
	int64_t now = now_of(ctx);
	*inserted = 0;
	int rc = rating_local_day(ctx, now, day);
	if (rc)
		return rc;
	if (date_timestamp_format(now, at) != 0)
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "The clock is outside the years 1900–9999.");
	if ((rc = db_prepare(ctx->db, "INSERT INTO ticket_ratings (ticket_id, score, comment, rated_by, survey_id, rated_at, rated_day)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (ticket_id) DO NOTHING RETURNING ticket_id", &st)))
		return rc;
	stmt_bind_int64(st, 1, ticket_id);
	stmt_bind_int64(st, 2, score);
	stmt_bind_text(st, 3, comment ? comment : "");
	if (rated_by > 0)
		stmt_bind_int64(st, 4, rated_by);
	else
		stmt_bind_null(st, 4);
	if (survey_id > 0)
		stmt_bind_int64(st, 5, survey_id);
	else
		stmt_bind_null(st, 5);
	stmt_bind_text(st, 6, at);
	stmt_bind_text(st, 7, day);
	rc = stmt_step(st);
	*inserted = rc == 1;
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int rating_write(struct nl_ctx *ctx, int64_t ticket_id, int score, const char *comment, json_t **out)
{
	struct rated_ticket t;
	int inserted = 0;
	*out = NULL;
	if (score < 1 || score > 5)
		return nl_fail(ctx->err, NL_EVALID, "score", "score must be a whole number from 1 to 5.");
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = ticket_load(ctx, ticket_id, &t)))
		goto out;
	if (ctx->actor && t.assignee > 0 && t.assignee == ctx->actor->id) {
		rc = nl_fail(ctx->err, NL_EFORBIDDEN, NULL,
			"You are this ticket's assignee: a ticket's own assignee may not rate its service.");
		goto out;
	}
	if (strcmp(t.status, "resolved") != 0 && strcmp(t.status, "closed") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL,
			"Only a resolved or closed ticket can be rated; ticket %lld is %s.", (long long)ticket_id, t.status);
		goto out;
	}
	if ((rc = rating_insert(ctx, ticket_id, score, comment, ctx->actor ? ctx->actor->id : 0, 0, &inserted)))
		goto out;
	if (!inserted) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, NULL, "Ticket %lld has been rated already; a ticket is rated once.",
			(long long)ticket_id);
		goto out;
	}
	if ((rc = kpi_mark_dirty(ctx, t.department_id, t.opened_day)) || (rc = rating_get(ctx, ticket_id, out)))
		goto out;
	if (!*out) {
		rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, "The rating just written cannot be read back.");
		goto out;
	}
	rc = audit_append(ctx, "create", "ticket_rating", ticket_id, NULL, *out);
out:
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int rating_record_survey(struct nl_ctx *ctx, int64_t ticket_id, int score, const char *comment, int64_t survey_id,
	int *recorded)
{
	struct rated_ticket t;
	*recorded = 0;
	if (score < 1 || score > 5)
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "A survey score out of range reached the rating.");
	int rc = ticket_load(ctx, ticket_id, &t);
	if (rc || (rc = rating_insert(ctx, ticket_id, score, comment, 0, survey_id, recorded)))
		return rc;
	if (*recorded)
		rc = kpi_mark_dirty(ctx, t.department_id, t.opened_day);
	return rc;
}
