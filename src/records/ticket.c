/* ticket.c — tickets: validation, the derived fields (opened_day, minutes, SLA), the status history, reads with the
 * customer masked per reader, and the row-level helpers the import shares (ticket.h). */
#include "records/ticket.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "kpi/kpi.h"
#include "org/org.h"
#include "records/customer.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

static const char *const statuses[] = { "new", "assigned", "in_progress", "waiting_customer", "waiting_vendor",
	"resolved", "closed", NULL };

int ticket_status_valid(const char *s)
{
	for (int i = 0; s && statuses[i]; i++)
		if (!strcmp(s, statuses[i]))
			return 1;
	return 0;
}

static int priority_valid(const char *p)
{
	return p && p[0] == 'P' && p[1] >= '1' && p[1] <= '4' && p[2] == '\0';
}

static int is_done(const char *status)
{
	return status && (!strcmp(status, "resolved") || !strcmp(status, "closed"));
}

/* ---- environment and derivation ---- */

int ticket_env_load(struct nl_ctx *ctx, struct nl_ticket_env *env)
{
	char zone[80];
	memset(env, 0, sizeof *env);
	int rc = settings_value(ctx, "timezone", "Asia/Shanghai", zone, sizeof zone);
	if (rc)
		return rc;
	if (tz_load(zone, &env->tz) != 0 && tz_load("Asia/Shanghai", &env->tz) != 0)
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "The organisation's time zone \"%s\" cannot be loaded.", zone);
	return sla_set_load(ctx, &env->sla);
}

void ticket_env_cleanup(struct nl_ticket_env *env)
{
	sla_set_free(env->sla);
	env->sla = NULL;
	env->tz = NULL;
}

/* Whole minutes from a to b (floor), -1 when b is missing or before a. */
static int64_t minutes_between(int64_t a, int64_t b)
{
	if (!b || b < a)
		return -1;
	return (b - a) / 60;
}

static unsigned warning_bits(const struct nl_ticket *t)
{
	unsigned w = 0;
	if (t->first_response_at && t->first_response_at < t->opened_at)
		w |= NL_TICKET_WARN_RESPONSE;
	if (t->resolved_at && t->resolved_at < t->opened_at)
		w |= NL_TICKET_WARN_RESOLUTION;
	if (t->assigned_at && t->assigned_at < t->opened_at)
		w |= NL_TICKET_WARN_WAIT;
	if (t->closed_at && t->closed_at < t->opened_at)
		w |= NL_TICKET_WARN_CLOSED;
	return w;
}

void ticket_warnings_append(json_t *a, unsigned w)
{
	if (w & NL_TICKET_WARN_RESPONSE)
		json_array_append_new(a, json_string("first_response_at is before opened_at (a source system's clock error?): "
						     "response_minutes is left out"));
	if (w & NL_TICKET_WARN_RESOLUTION)
		json_array_append_new(a, json_string("resolved_at is before opened_at (a source system's clock error?): "
						     "resolution_minutes is left out"));
	if (w & NL_TICKET_WARN_WAIT)
		json_array_append_new(a, json_string("assigned_at is before opened_at (a source system's clock error?): "
						     "wait_minutes is left out"));
	if (w & NL_TICKET_WARN_CLOSED)
		json_array_append_new(a, json_string("closed_at is before opened_at (a source system's clock error?)"));
}

/* The calculator's input for t. `now` stays 0 (the latest instant the input knows), so that the stored numbers of a
 * ticket that is not resolved do not change with the day they are computed on (a re-import changes nothing). */
static void sla_input_of(const struct nl_ticket *t, const struct nl_status_change *events, size_t nevents,
	struct nl_sla_input *in)
{
	memset(in, 0, sizeof *in);
	in->priority = t->priority;
	in->category = t->category ? t->category : "";
	in->department_id = t->department_id;
	in->opened_at = t->opened_at;
	/* a timestamp before the opening (a clock error) is not measured */
	in->first_response_at = t->first_response_at >= t->opened_at ? t->first_response_at : 0;
	in->resolved_at = t->resolved_at >= t->opened_at ? t->resolved_at : 0;
	in->events = events;
	in->nevents = nevents;
}

int ticket_derive(struct nl_ctx *ctx, struct nl_ticket *t, const struct nl_ticket_env *env,
	const struct nl_status_change *events, size_t nevents, unsigned *warnings)
{
	int off = 0;
	struct nl_date d;
	*warnings = warning_bits(t);
	if (tz_offset_at(env->tz, t->opened_at, &off) || date_from_timestamp(t->opened_at, off, &d) ||
		date_format(d, t->opened_day))
		return nl_fail(ctx->err, NL_EVALID, "opened_at", "opened_at is out of range.");
	t->response_minutes = minutes_between(t->opened_at, t->first_response_at);
	t->resolution_minutes = minutes_between(t->opened_at, t->resolved_at);
	t->wait_minutes = minutes_between(t->opened_at, t->assigned_at);
	t->sla_policy_id = 0;
	t->business_response_minutes = t->business_resolution_minutes = -1;
	t->paused_minutes = 0;
	t->sla_response_met = t->sla_resolution_met = -1;
	if (!env->sla)
		return 0;
	struct nl_sla_input in;
	sla_input_of(t, events, nevents, &in);
	struct nl_sla_result res;
	memset(&res, 0, sizeof res);
	if (sla_set_evaluate(env->sla, &in, &res) != 0)
		return nl_fail(ctx->err, NL_EVALID, NULL, "The SLA of this ticket cannot be computed from its times.");
	t->sla_policy_id = res.policy_id;
	if (res.policy_id) {
		t->business_response_minutes = res.has_response ? res.business_response_minutes : -1;
		t->business_resolution_minutes = res.has_resolution ? res.business_resolution_minutes : -1;
		t->paused_minutes = res.paused_minutes;
		t->sla_response_met = res.response_met;
		t->sla_resolution_met = res.resolution_met;
	}
	return 0;
}

/* ---- rows ---- */

static int64_t col_opt(struct nl_stmt *st, int i)
{
	return stmt_column_is_null(st, i) ? -1 : stmt_column_int64(st, i);
}

static const char *col_str(struct nl_stmt *st, int i, struct nl_arena *a)
{
	const char *s = stmt_column_text(st, i);
	return arena_strndup(a, s ? s : "", s ? stmt_column_bytes(st, i) : 0);
}

int ticket_row_read(struct nl_stmt *st, int f, struct nl_arena *a, struct nl_ticket *t)
{
	memset(t, 0, sizeof *t);
	t->id = stmt_column_int64(st, f + 0);
	t->source = col_str(st, f + 1, a);
	t->external_id = col_str(st, f + 2, a);
	t->title = col_str(st, f + 3, a);
	t->channel = col_str(st, f + 4, a);
	t->category = col_str(st, f + 5, a);
	t->priority = col_str(st, f + 6, a);
	t->status = col_str(st, f + 7, a);
	t->department_id = stmt_column_int64(st, f + 8);
	t->customer_id = stmt_column_int64(st, f + 9);
	t->assignee_user_id = stmt_column_int64(st, f + 10);
	t->opened_at = stmt_column_int64(st, f + 11);
	const char *day = stmt_column_text(st, f + 12);
	snprintf(t->opened_day, sizeof t->opened_day, "%s", day ? day : "");
	t->assigned_at = stmt_column_int64(st, f + 13);
	t->first_response_at = stmt_column_int64(st, f + 14);
	t->resolved_at = stmt_column_int64(st, f + 15);
	t->closed_at = stmt_column_int64(st, f + 16);
	t->reassignment_count = stmt_column_int64(st, f + 17);
	t->reopen_count = stmt_column_int64(st, f + 18);
	t->response_minutes = col_opt(st, f + 19);
	t->resolution_minutes = col_opt(st, f + 20);
	t->wait_minutes = col_opt(st, f + 21);
	t->sla_policy_id = stmt_column_int64(st, f + 22);
	t->business_response_minutes = col_opt(st, f + 23);
	t->business_resolution_minutes = col_opt(st, f + 24);
	t->paused_minutes = stmt_column_int64(st, f + 25);
	t->sla_response_met = (int)col_opt(st, f + 26);
	t->sla_resolution_met = (int)col_opt(st, f + 27);
	t->sla_source_made = (int)col_opt(st, f + 28);
	t->import_id = stmt_column_int64(st, f + 29);
	t->created_at = col_str(st, f + 30, a);
	t->updated_at = col_str(st, f + 31, a);
	if (!t->source || !t->external_id || !t->title || !t->channel || !t->category || !t->priority || !t->status ||
		!t->created_at || !t->updated_at)
		return NL_ENOMEM;
	return 0;
}

static int str_same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

int ticket_row_same(const struct nl_ticket *a, const struct nl_ticket *b)
{
	return str_same(a->source, b->source) && str_same(a->external_id, b->external_id) && str_same(a->title, b->title) &&
		str_same(a->channel, b->channel) && str_same(a->category, b->category) &&
		str_same(a->priority, b->priority) && str_same(a->status, b->status) &&
		a->department_id == b->department_id && a->customer_id == b->customer_id &&
		a->assignee_user_id == b->assignee_user_id && a->opened_at == b->opened_at &&
		!strcmp(a->opened_day, b->opened_day) && a->assigned_at == b->assigned_at &&
		a->first_response_at == b->first_response_at && a->resolved_at == b->resolved_at &&
		a->closed_at == b->closed_at && a->reassignment_count == b->reassignment_count &&
		a->reopen_count == b->reopen_count && a->response_minutes == b->response_minutes &&
		a->resolution_minutes == b->resolution_minutes && a->wait_minutes == b->wait_minutes &&
		a->sla_policy_id == b->sla_policy_id && a->business_response_minutes == b->business_response_minutes &&
		a->business_resolution_minutes == b->business_resolution_minutes && a->paused_minutes == b->paused_minutes &&
		a->sla_response_met == b->sla_response_met && a->sla_resolution_met == b->sla_resolution_met &&
		a->sla_source_made == b->sla_source_made;
}

static void bind_id(struct nl_stmt *st, int i, int64_t v)
{
	if (v > 0)
		stmt_bind_int64(st, i, v);
	else
		stmt_bind_null(st, i);
}

static void bind_opt(struct nl_stmt *st, int i, int64_t v)   /* -1: NULL */
{
	if (v >= 0)
		stmt_bind_int64(st, i, v);
	else
		stmt_bind_null(st, i);
}

/* Binds the 29 stored values from $first on (source … import_id order of the INSERT). */
static void bind_values(struct nl_stmt *st, int f, const struct nl_ticket *t)
{
	stmt_bind_text(st, f + 0, t->source);
	stmt_bind_text(st, f + 1, t->external_id);
	stmt_bind_text(st, f + 2, t->title ? t->title : "");
	stmt_bind_text(st, f + 3, t->channel ? t->channel : "");
	stmt_bind_text(st, f + 4, t->category ? t->category : "");
	stmt_bind_text(st, f + 5, t->priority);
	stmt_bind_text(st, f + 6, t->status);
	bind_id(st, f + 7, t->department_id);
	bind_id(st, f + 8, t->customer_id);
	bind_id(st, f + 9, t->assignee_user_id);
	stmt_bind_int64(st, f + 10, t->opened_at);
	stmt_bind_text(st, f + 11, t->opened_day);
	bind_id(st, f + 12, t->assigned_at);
	bind_id(st, f + 13, t->first_response_at);
	bind_id(st, f + 14, t->resolved_at);
	bind_id(st, f + 15, t->closed_at);
	stmt_bind_int64(st, f + 16, t->reassignment_count);
	stmt_bind_int64(st, f + 17, t->reopen_count);
	bind_opt(st, f + 18, t->response_minutes);
	bind_opt(st, f + 19, t->resolution_minutes);
	bind_opt(st, f + 20, t->wait_minutes);
	bind_id(st, f + 21, t->sla_policy_id);
	bind_opt(st, f + 22, t->business_response_minutes);
	bind_opt(st, f + 23, t->business_resolution_minutes);
	stmt_bind_int64(st, f + 24, t->paused_minutes > 0 ? t->paused_minutes : 0);
	bind_opt(st, f + 25, t->sla_response_met);
	bind_opt(st, f + 26, t->sla_resolution_met);
	bind_opt(st, f + 27, t->sla_source_made);
	bind_id(st, f + 28, t->import_id);
}

#define TICKET_INSERT \
	"INSERT INTO tickets (source, external_id, title, channel, category, priority, status, department_id, customer_id," \
	" assignee_user_id, opened_at, opened_day, assigned_at, first_response_at, resolved_at, closed_at," \
	" reassignment_count, reopen_count, response_minutes, resolution_minutes, wait_minutes, sla_policy_id," \
	" business_response_minutes, business_resolution_minutes, paused_minutes, sla_response_met, sla_resolution_met," \
	" sla_source_made, import_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12," \
	" $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $30)"

int ticket_row_insert(struct nl_ctx *ctx, const struct nl_ticket *t, const char *now, int64_t *id)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, id ? TICKET_INSERT " RETURNING id" : TICKET_INSERT, &st);
	if (rc)
		return rc;
	bind_values(st, 1, t);
	stmt_bind_text(st, 30, now);
	rc = stmt_step(st);
	if (id)
		*id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		return nl_fail(ctx->err, NL_ECONFLICT, "external_id", "A ticket from source \"%s\" with external_id \"%s\" exists already.",
			t->source, t->external_id);
	return rc < 0 ? rc : 0;
}

/* The multi-row INSERT for n rows ($1 the time, row i $(2 + 29 i) … $(30 + 29 i)), into a malloc'ed string. */
static char *rows_insert_sql(size_t n, int returning)
{
	struct nl_strbuf sql;
	strbuf_init(&sql, 0);
	strbuf_puts(&sql, "INSERT INTO tickets (source, external_id, title, channel, category, priority, status, department_id,"
			  " customer_id, assignee_user_id, opened_at, opened_day, assigned_at, first_response_at, resolved_at,"
			  " closed_at, reassignment_count, reopen_count, response_minutes, resolution_minutes, wait_minutes,"
			  " sla_policy_id, business_response_minutes, business_resolution_minutes, paused_minutes,"
			  " sla_response_met, sla_resolution_met, sla_source_made, import_id, created_at, updated_at) VALUES ");
	for (size_t i = 0; i < n; i++) {
		int f = 2 + 29 * (int)i;
		strbuf_puts(&sql, i ? ",(" : "(");
		for (int k = 0; k < 29; k++)
			strbuf_printf(&sql, "$%d,", f + k);
		strbuf_puts(&sql, "$1,$1)");
	}
	if (returning)
		strbuf_puts(&sql, " RETURNING id, external_id");
	return strbuf_detach(&sql, NULL);
}

/* The full-chunk statements, built once (with and without RETURNING). */
static char *full_sql[2];
static pthread_once_t full_sql_once = PTHREAD_ONCE_INIT;

static void full_sql_build(void)
{
	full_sql[0] = rows_insert_sql(NL_TICKET_INSERT_MAX, 0);
	full_sql[1] = rows_insert_sql(NL_TICKET_INSERT_MAX, 1);
}

int ticket_rows_insert(struct nl_ctx *ctx, const struct nl_ticket *const *rows, size_t n, const char *now, int64_t *ids)
{
	struct nl_stmt *st = NULL;
	char *own = NULL;
	const char *sql;
	if (n == 0)
		return 0;
	if (n > NL_TICKET_INSERT_MAX)
		return NL_EINVAL;
	if (n == NL_TICKET_INSERT_MAX) {
		pthread_once(&full_sql_once, full_sql_build);
		sql = full_sql[ids != NULL];
	} else {
		sql = own = rows_insert_sql(n, ids != NULL);
	}
	if (!sql)
		return NL_ENOMEM;
	int rc = db_prepare(ctx->db, sql, &st);
	free(own);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, now);
	for (size_t i = 0; i < n; i++)
		bind_values(st, 2 + 29 * (int)i, rows[i]);
	size_t got = 0;
	while ((rc = stmt_step(st)) == 1) {
		const char *ext = stmt_column_text(st, 1);
		for (size_t i = 0; ids && ext && i < n; i++)
			if (!strcmp(rows[i]->external_id, ext)) {
				ids[i] = stmt_column_int64(st, 0);
				got++;
				break;
			}
	}
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		return nl_fail(ctx->err, NL_ECONFLICT, "external_id", "A ticket of this source and external_id exists already.");
	if (rc < 0)
		return rc;
	return ids && got != n ? NL_EINTERNAL : 0;
}

int ticket_row_update(struct nl_ctx *ctx, const struct nl_ticket *t, const char *now)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "UPDATE tickets SET source = $2, external_id = $3, title = $4, channel = $5, category = $6,"
				     " priority = $7, status = $8, department_id = $9, customer_id = $10, assignee_user_id = $11,"
				     " opened_at = $12, opened_day = $13, assigned_at = $14, first_response_at = $15,"
				     " resolved_at = $16, closed_at = $17, reassignment_count = $18, reopen_count = $19,"
				     " response_minutes = $20, resolution_minutes = $21, wait_minutes = $22, sla_policy_id = $23,"
				     " business_response_minutes = $24, business_resolution_minutes = $25, paused_minutes = $26,"
				     " sla_response_met = $27, sla_resolution_met = $28, sla_source_made = $29, import_id = $30,"
				     " updated_at = $31 WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, t->id);
	bind_values(st, 2, t);
	stmt_bind_text(st, 31, now);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		return nl_fail(ctx->err, NL_ECONFLICT, "external_id", "A ticket from source \"%s\" with external_id \"%s\" exists already.",
			t->source, t->external_id);
	return rc < 0 ? rc : 0;
}

/* Appends one event. */
static int event_insert(struct nl_ctx *ctx, int64_t ticket_id, int64_t at, const char *status, const char *note,
	const char *actor)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "INSERT INTO ticket_events (ticket_id, at, status, note, actor) VALUES ($1, $2, $3, $4, $5)",
		&st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ticket_id);
	stmt_bind_int64(st, 2, at);
	stmt_bind_text(st, 3, status);
	stmt_bind_text(st, 4, note ? note : "");
	stmt_bind_text(st, 5, actor ? actor : "");
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int ticket_events_replace(struct nl_ctx *ctx, int64_t ticket_id, const struct nl_status_change *events, size_t n,
	const char *note, const char *actor)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "DELETE FROM ticket_events WHERE ticket_id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ticket_id);
	rc = stmt_step(st);
	stmt_done(st);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		rc = event_insert(ctx, ticket_id, events[i].at, events[i].status, note, actor);
	return rc < 0 ? rc : 0;
}

/* The ticket's history in time order into arena arrays (*ev, *n). */
static int events_load(struct nl_ctx *ctx, int64_t ticket_id, struct nl_status_change **ev, size_t *n)
{
	struct nl_stmt *st = NULL;
	size_t cap = 16;
	*n = 0;
	*ev = arena_alloc(ctx->arena, cap * sizeof **ev);
	if (!*ev)
		return NL_ENOMEM;
	int rc = db_prepare(ctx->db, "SELECT at, status FROM ticket_events WHERE ticket_id = $1 ORDER BY at, id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ticket_id);
	while ((rc = stmt_step(st)) == 1) {
		if (*n == cap) {
			struct nl_status_change *bigger = arena_alloc(ctx->arena, cap * 2 * sizeof *bigger);
			if (!bigger) {
				rc = NL_ENOMEM;
				break;
			}
			memcpy(bigger, *ev, cap * sizeof *bigger);
			*ev = bigger;
			cap *= 2;
		}
		(*ev)[*n].at = stmt_column_int64(st, 0);
		(*ev)[*n].status = arena_strdup(ctx->arena, stmt_column_text(st, 1));
		if (!(*ev)[*n].status) {
			rc = NL_ENOMEM;
			break;
		}
		(*n)++;
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Reads ticket id into *t (strings in the request arena). NL_ENOTFOUND. */
static int ticket_load(struct nl_ctx *ctx, int64_t id, struct nl_ticket *t)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT " NL_TICKET_COLS " FROM tickets WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		rc = ticket_row_read(st, 0, ctx->arena, t) ? NL_ENOMEM : 1;
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No ticket with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

/* ---- JSON ---- */

static void set_time(json_t *o, const char *key, int64_t t)
{
	char buf[NL_TIMESTAMP_STRLEN];
	if (t && date_timestamp_format(t, buf) == 0)
		json_set_str(o, key, buf);
	else
		json_object_set_new(o, key, json_null());
}

static void set_opt(json_t *o, const char *key, int64_t v)
{
	json_object_set_new(o, key, v >= 0 ? json_integer(v) : json_null());
}

static void set_optbool(json_t *o, const char *key, int v)
{
	json_object_set_new(o, key, v >= 0 ? json_boolean(v) : json_null());
}

/* The ticket as the API shows it (lists and reads). */
static json_t *ticket_json(const struct nl_ticket *t)
{
	json_t *o = json_object();
	json_set_int(o, "id", t->id);
	json_set_str(o, "source", t->source);
	json_set_str(o, "external_id", t->external_id);
	json_set_str(o, "title", t->title);
	json_set_str(o, "channel", t->channel);
	json_set_str(o, "category", t->category);
	json_set_str(o, "priority", t->priority);
	json_set_str(o, "status", t->status);
	json_set_id(o, "department_id", t->department_id);
	json_set_id(o, "customer_id", t->customer_id);
	json_set_id(o, "assignee_user_id", t->assignee_user_id);
	set_time(o, "opened_at", t->opened_at);
	json_set_str(o, "opened_day", t->opened_day);
	set_time(o, "assigned_at", t->assigned_at);
	set_time(o, "first_response_at", t->first_response_at);
	set_time(o, "resolved_at", t->resolved_at);
	set_time(o, "closed_at", t->closed_at);
	json_set_int(o, "reassignment_count", t->reassignment_count);
	json_set_int(o, "reopen_count", t->reopen_count);
	set_opt(o, "response_minutes", t->response_minutes);
	set_opt(o, "resolution_minutes", t->resolution_minutes);
	set_opt(o, "wait_minutes", t->wait_minutes);
	json_set_id(o, "sla_policy_id", t->sla_policy_id);
	set_opt(o, "business_response_minutes", t->business_response_minutes);
	set_opt(o, "business_resolution_minutes", t->business_resolution_minutes);
	json_set_int(o, "paused_minutes", t->paused_minutes);
	set_optbool(o, "sla_response_met", t->sla_response_met);
	set_optbool(o, "sla_resolution_met", t->sla_resolution_met);
	set_optbool(o, "sla_source_made", t->sla_source_made);
	json_set_id(o, "import_id", t->import_id);
	json_set_str(o, "created_at", t->created_at);
	json_set_str(o, "updated_at", t->updated_at);
	json_t *w = json_array();
	ticket_warnings_append(w, warning_bits(t));
	json_object_set_new(o, "warnings", w);
	return o;
}

static int events_json(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT id, at, status, note, actor FROM ticket_events WHERE ticket_id = $1 ORDER BY at, id",
		&st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	json_t *a = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *e = json_object();
		json_set_int(e, "id", stmt_column_int64(st, 0));
		set_time(e, "at", stmt_column_int64(st, 1));
		json_set_str(e, "status", stmt_column_text(st, 2));
		json_set_str(e, "note", stmt_column_text(st, 3));
		json_set_str(e, "actor", stmt_column_text(st, 4));
		json_array_append_new(a, e);
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* The ticket's rating (ticket_ratings, written by the ratings room) or JSON null. */
static int rating_json(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = json_null();
	int rc = db_prepare(ctx->db, "SELECT score, comment, rated_by, survey_id, rated_at FROM ticket_ratings WHERE ticket_id = $1",
		&st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		json_t *o = json_object();
		json_set_int(o, "score", stmt_column_int64(st, 0));
		json_set_str(o, "comment", stmt_column_text(st, 1));
		json_set_id(o, "rated_by", stmt_column_int64(st, 2));
		json_set_id(o, "survey_id", stmt_column_int64(st, 3));
		json_set_str(o, "rated_at", stmt_column_text(st, 4));
		*out = o;
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int ticket_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_ticket t;
	json_t *o = NULL, *x = NULL;
	*out = NULL;
	int rc = ticket_load(ctx, id, &t);
	if (rc)
		return rc;
	o = ticket_json(&t);
	if ((rc = events_json(ctx, id, &x)))
		goto out;
	json_object_set_new(o, "events", x);
	if ((rc = rating_json(ctx, id, &x)))
		goto out;
	json_object_set_new(o, "rating", x);
	if ((rc = customer_embed(ctx, t.customer_id, &x)))
		goto out;
	json_object_set_new(o, "customer", x);
	*out = o;
	o = NULL;
out:
	json_decref(o);
	return rc;
}

int ticket_list(struct nl_ctx *ctx, const struct nl_ticket_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	*next = 0;
	if (f->status && !ticket_status_valid(f->status))
		return nl_fail(ctx->err, NL_EINVAL, "status", "status must be one of new, assigned, in_progress, waiting_customer,"
							      " waiting_vendor, resolved, closed.");
	if (f->priority && !priority_valid(f->priority))
		return nl_fail(ctx->err, NL_EINVAL, "priority", "priority must be P1, P2, P3 or P4.");
	int rc = db_prepare(ctx->db, "SELECT " NL_TICKET_COLS " FROM tickets WHERE id > $1"
				     " AND (CAST($3 AS BIGINT) = 0 OR department_id = CAST($3 AS BIGINT))"
				     " AND (CAST($4 AS TEXT) IS NULL OR opened_day >= CAST($4 AS TEXT))"
				     " AND (CAST($5 AS TEXT) IS NULL OR opened_day <= CAST($5 AS TEXT))"
				     " AND (CAST($6 AS TEXT) IS NULL OR status = CAST($6 AS TEXT))"
				     " AND (CAST($7 AS TEXT) IS NULL OR priority = CAST($7 AS TEXT))"
				     " AND (CAST($8 AS TEXT) IS NULL OR source = CAST($8 AS TEXT))"
				     " AND (CAST($9 AS TEXT) IS NULL OR title LIKE '%' || CAST($9 AS TEXT) || '%'"
				     "      OR external_id LIKE '%' || CAST($9 AS TEXT) || '%')"
				     " ORDER BY id LIMIT $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_int64(st, 2, f->limit + 1);
	stmt_bind_int64(st, 3, f->department_id);
	stmt_bind_text(st, 4, f->from);
	stmt_bind_text(st, 5, f->to);
	stmt_bind_text(st, 6, f->status);
	stmt_bind_text(st, 7, f->priority);
	stmt_bind_text(st, 8, f->source);
	stmt_bind_text(st, 9, f->q && *f->q ? f->q : NULL);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	struct nl_arena a;
	arena_init(&a, 0);
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == f->limit) {
			*next = last;
			break;
		}
		struct nl_ticket t;
		if (ticket_row_read(st, 0, &a, &t)) {
			rc = NL_ENOMEM;
			break;
		}
		last = t.id;
		json_array_append_new(arr, ticket_json(&t));
		if (n % 64 == 0) {
			arena_cleanup(&a);
			arena_init(&a, 0);
		}
	}
	stmt_done(st);
	arena_cleanup(&a);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* ---- writes ---- */

/* Parses an optional RFC 3339 timestamp field into *out (0 when NULL). */
static int parse_time(struct nl_ctx *ctx, const char *s, const char *field, int64_t *out)
{
	*out = 0;
	if (!s)
		return 0;
	if (date_timestamp_parse(s, out) || *out <= 0)
		return nl_fail(ctx->err, NL_EVALID, field, "%s must be an RFC 3339 time after 1970 (2027-03-01T08:00:00Z).", field);
	return 0;
}

static int row_exists(struct nl_ctx *ctx, const char *sql, int64_t id, const char *field, const char *what)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_EVALID, field, "No %s with id %lld.", what, (long long)id);
	return rc < 0 ? rc : 0;
}

/* Checks references and the actor's department scope for t. */
static int ticket_check_refs(struct nl_ctx *ctx, const struct nl_ticket *t, unsigned set)
{
	int rc = 0;
	if ((set & NL_TICKET_SET_DEPARTMENT) && t->department_id > 0 &&
		(rc = row_exists(ctx, "SELECT id FROM departments WHERE id = $1", t->department_id, "department_id", "department")))
		return rc;
	if ((set & NL_TICKET_SET_CUSTOMER) && t->customer_id > 0 && (rc = customer_check(ctx, t->customer_id, "customer_id")))
		return rc;
	if ((set & NL_TICKET_SET_ASSIGNEE) && t->assignee_user_id > 0 &&
		(rc = row_exists(ctx, "SELECT id FROM users WHERE id = $1", t->assignee_user_id, "assignee_user_id", "user")))
		return rc;
	return 0;
}

static int scope_check(struct nl_ctx *ctx, int64_t department_id)
{
	if (ctx->actor && !policy_scope_allows(ctx->actor, "records.write", department_id))
		return nl_fail(ctx->err, NL_EFORBIDDEN, "department_id", "You may record tickets of your own department only.");
	return 0;
}

/* Marks (department, day) of the ticket before (may be NULL) and after the write. */
static int mark_dirty(struct nl_ctx *ctx, const struct nl_ticket *before, const struct nl_ticket *after)
{
	int rc = kpi_mark_dirty(ctx, after->department_id, after->opened_day);
	if (!rc && before && (before->department_id != after->department_id || strcmp(before->opened_day, after->opened_day)))
		rc = kpi_mark_dirty(ctx, before->department_id, before->opened_day);
	return rc;
}

/* The stored ticket as JSON for the audit log (the customer is referred to by id only: no personal data). */
static int audit_json(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_ticket t;
	*out = NULL;
	int rc = ticket_load(ctx, id, &t);
	if (!rc) {
		*out = ticket_json(&t);
		json_object_del(*out, "warnings");
	}
	return rc;
}

/* Fills t's input fields from in (only those in `set`); timestamps parsed. */
static int apply_input(struct nl_ctx *ctx, struct nl_ticket *t, const struct nl_ticket_input *in, unsigned set)
{
	int rc = 0;
	if (set & NL_TICKET_SET_EXTERNAL)
		t->external_id = in->external_id;
	if (set & NL_TICKET_SET_TITLE)
		t->title = in->title ? in->title : "";
	if (set & NL_TICKET_SET_CHANNEL)
		t->channel = in->channel ? in->channel : "";
	if (set & NL_TICKET_SET_CATEGORY)
		t->category = in->category ? in->category : "";
	if (set & NL_TICKET_SET_PRIORITY)
		t->priority = in->priority;
	if (set & NL_TICKET_SET_DEPARTMENT)
		t->department_id = in->department_id;
	if (set & NL_TICKET_SET_CUSTOMER)
		t->customer_id = in->customer_id;
	if (set & NL_TICKET_SET_ASSIGNEE)
		t->assignee_user_id = in->assignee_user_id;
	if (set & NL_TICKET_SET_REASSIGN)
		t->reassignment_count = in->reassignment_count;
	if (set & NL_TICKET_SET_REOPEN)
		t->reopen_count = in->reopen_count;
	if ((set & NL_TICKET_SET_OPENED) && (rc = parse_time(ctx, in->opened_at, "opened_at", &t->opened_at)))
		return rc;
	if ((set & NL_TICKET_SET_OPENED) && !t->opened_at)
		return nl_fail(ctx->err, NL_EVALID, "opened_at", "opened_at is required.");
	if ((set & NL_TICKET_SET_ASSIGNED) && (rc = parse_time(ctx, in->assigned_at, "assigned_at", &t->assigned_at)))
		return rc;
	if ((set & NL_TICKET_SET_RESPONSE) &&
		(rc = parse_time(ctx, in->first_response_at, "first_response_at", &t->first_response_at)))
		return rc;
	if ((set & NL_TICKET_SET_RESOLVED) && (rc = parse_time(ctx, in->resolved_at, "resolved_at", &t->resolved_at)))
		return rc;
	if ((set & NL_TICKET_SET_CLOSED) && (rc = parse_time(ctx, in->closed_at, "closed_at", &t->closed_at)))
		return rc;
	if (!priority_valid(t->priority))
		return nl_fail(ctx->err, NL_EVALID, "priority", "priority must be P1, P2, P3 or P4.");
	return 0;
}

/* Replies the stored ticket with the warnings of this write (ticket_get + warnings already in it). */
static const char *default_status(const struct nl_ticket *t)
{
	if (t->closed_at)
		return "closed";
	if (t->resolved_at)
		return "resolved";
	if (t->assigned_at)
		return "assigned";
	return "new";
}

int ticket_create(struct nl_ctx *ctx, const struct nl_ticket_input *in, json_t **out)
{
	struct nl_ticket t;
	struct nl_ticket_env env = { 0 };
	json_t *after = NULL;
	unsigned warn = 0;
	int64_t id = 0;
	char now[24], pending[96];
	*out = NULL;
	memset(&t, 0, sizeof t);
	t.source = in->source && *in->source ? in->source : "nengli";
	t.sla_source_made = -1;
	unsigned set = 0xFFFFFFFFu & ~NL_TICKET_SET_EXTERNAL;
	int rc = apply_input(ctx, &t, in, set);
	if (rc)
		return rc;
	if (in->status && !ticket_status_valid(in->status))
		return nl_fail(ctx->err, NL_EVALID, "status", "status must be one of new, assigned, in_progress, waiting_customer,"
							       " waiting_vendor, resolved, closed.");
	t.status = in->status ? in->status : default_status(&t);
	if ((rc = scope_check(ctx, t.department_id)) || (rc = ticket_check_refs(ctx, &t, set)))
		return rc;
	/* The history: opened, then the status it has now at the latest time known. */
	struct nl_status_change ev[2] = { { t.opened_at, "new" }, { t.opened_at, t.status } };
	size_t nev = 1;
	if (strcmp(t.status, "new") != 0) {
		int64_t ts[] = { t.assigned_at, t.first_response_at, t.resolved_at, t.closed_at };
		for (size_t i = 0; i < NL_ARRAY_LEN(ts); i++)
			if (ts[i] > ev[1].at)
				ev[1].at = ts[i];
		nev = 2;
	}
	if ((rc = ticket_env_load(ctx, &env)) || (rc = ticket_derive(ctx, &t, &env, ev, nev, &warn)))
		goto out;
	if (in->external_id && *in->external_id) {
		t.external_id = in->external_id;
	} else {
		snprintf(pending, sizeof pending, "pending-%s-%lld-%d", ctx->request_id ? ctx->request_id : "x",
			(long long)ctx->now, rand());
		t.external_id = pending;
	}
	audit_now_rfc3339(now);
	if ((rc = db_begin(ctx->db)))
		goto out;
	if ((rc = ticket_row_insert(ctx, &t, now, &id)))
		goto tx;
	t.id = id;
	if (!(in->external_id && *in->external_id)) {
		struct nl_stmt *st = NULL;
		char ext[32];
		snprintf(ext, sizeof ext, "NL-%lld", (long long)id);
		t.external_id = ext;
		if (!(rc = db_prepare(ctx->db, "UPDATE tickets SET external_id = $2 WHERE id = $1", &st))) {
			stmt_bind_int64(st, 1, id);
			stmt_bind_text(st, 2, ext);
			rc = stmt_step(st);
			stmt_done(st);
			if (rc == NL_ECONFLICT)
				rc = nl_fail(ctx->err, NL_ECONFLICT, "external_id", "A ticket with external_id %s exists already.", ext);
			else if (rc > 0)
				rc = 0;
		}
		if (rc)
			goto tx;
	}
	for (size_t i = 0; i < nev && !rc; i++)
		rc = event_insert(ctx, id, ev[i].at, ev[i].status, i == 0 ? "opened" : "recorded", ctx->actor_name);
	if (rc || (rc = mark_dirty(ctx, NULL, &t)) || (rc = audit_json(ctx, id, &after)))
		goto tx;
	rc = audit_append(ctx, "create", "ticket", id, NULL, after);
tx:
	rc = tx_end(ctx, rc);
	if (!rc)
		rc = ticket_get(ctx, id, out);
out:
	json_decref(after);
	ticket_env_cleanup(&env);
	return rc;
}

int ticket_update(struct nl_ctx *ctx, int64_t id, const struct nl_ticket_input *in, unsigned set, json_t **out)
{
	struct nl_ticket old, t;
	struct nl_ticket_env env = { 0 };
	struct nl_status_change *ev = NULL;
	size_t nev = 0;
	json_t *before = NULL, *after = NULL;
	unsigned warn = 0;
	char now[24];
	*out = NULL;
	int rc = ticket_env_load(ctx, &env);
	if (rc)
		goto out;
	if ((rc = db_begin(ctx->db)))
		goto out;
	if ((rc = ticket_load(ctx, id, &old)) || (rc = scope_check(ctx, old.department_id)))
		goto tx;
	t = old;
	if ((rc = apply_input(ctx, &t, in, set)) || (rc = scope_check(ctx, t.department_id)) ||
		(rc = ticket_check_refs(ctx, &t, set)))
		goto tx;
	if ((set & NL_TICKET_SET_EXTERNAL) && (!t.external_id || !*t.external_id)) {
		rc = nl_fail(ctx->err, NL_EVALID, "external_id", "external_id must not be empty.");
		goto tx;
	}
	if ((rc = events_load(ctx, id, &ev, &nev)) || (rc = ticket_derive(ctx, &t, &env, ev, nev, &warn)))
		goto tx;
	audit_now_rfc3339(now);
	if ((rc = audit_json(ctx, id, &before)) || (rc = ticket_row_update(ctx, &t, now)) || (rc = mark_dirty(ctx, &old, &t)) ||
		(rc = audit_json(ctx, id, &after)))
		goto tx;
	rc = audit_append(ctx, "update", "ticket", id, before, after);
tx:
	rc = tx_end(ctx, rc);
	if (!rc)
		rc = ticket_get(ctx, id, out);
out:
	json_decref(before);
	json_decref(after);
	ticket_env_cleanup(&env);
	return rc;
}

int ticket_set_status(struct nl_ctx *ctx, int64_t id, const char *status, const char *at_s, const char *note, json_t **out)
{
	struct nl_ticket old, t;
	struct nl_ticket_env env = { 0 };
	struct nl_status_change *ev = NULL;
	size_t nev = 0;
	json_t *before = NULL, *after = NULL;
	unsigned warn = 0;
	int64_t at = 0;
	char now[24];
	*out = NULL;
	if (!ticket_status_valid(status))
		return nl_fail(ctx->err, NL_EVALID, "status", "status must be one of new, assigned, in_progress, waiting_customer,"
							       " waiting_vendor, resolved, closed.");
	int rc = parse_time(ctx, at_s, "at", &at);
	if (rc)
		return rc;
	if (!at)
		at = ctx->now;
	if ((rc = ticket_env_load(ctx, &env)))
		goto out;
	if ((rc = db_begin(ctx->db)))
		goto out;
	if ((rc = ticket_load(ctx, id, &old)) || (rc = scope_check(ctx, old.department_id)))
		goto tx;
	if (!strcmp(status, old.status)) {
		rc = nl_fail(ctx->err, NL_ESTATE, "status", "The ticket is %s already.", old.status);
		goto tx;
	}
	if (!strcmp(status, "new")) {
		rc = nl_fail(ctx->err, NL_ESTATE, "status", "A ticket cannot go back to new.");
		goto tx;
	}
	if ((rc = events_load(ctx, id, &ev, &nev)))
		goto tx;
	if (at < old.opened_at || (nev && at < ev[nev - 1].at)) {
		rc = nl_fail(ctx->err, NL_EVALID, "at", "at must not be before the ticket was opened or its last status change.");
		goto tx;
	}
	t = old;
	t.status = status;
	if (is_done(old.status) && !is_done(status))
		t.reopen_count++;
	if (!t.assigned_at)
		t.assigned_at = at;
	if (!t.first_response_at && strcmp(status, "assigned") != 0)
		t.first_response_at = at;
	if (!t.resolved_at && !strcmp(status, "resolved"))
		t.resolved_at = at;
	if (!t.closed_at && !strcmp(status, "closed"))
		t.closed_at = at;
	/* the new history: the loaded events and this change */
	struct nl_status_change *all = arena_alloc(ctx->arena, (nev + 1) * sizeof *all);
	if (!all) {
		rc = NL_ENOMEM;
		goto tx;
	}
	if (nev)
		memcpy(all, ev, nev * sizeof *all);
	all[nev].at = at;
	all[nev].status = status;
	if ((rc = ticket_derive(ctx, &t, &env, all, nev + 1, &warn)))
		goto tx;
	audit_now_rfc3339(now);
	if ((rc = audit_json(ctx, id, &before)) || (rc = event_insert(ctx, id, at, status, note, ctx->actor_name)) ||
		(rc = ticket_row_update(ctx, &t, now)) || (rc = mark_dirty(ctx, &old, &t)) || (rc = audit_json(ctx, id, &after)))
		goto tx;
	json_t *a = json_object();
	json_set_str(a, "status", status);
	set_time(a, "at", at);
	json_set_str(a, "note", note ? note : "");
	json_object_set_new(after, "status_change", a);
	rc = audit_append(ctx, "status", "ticket", id, before, after);
tx:
	rc = tx_end(ctx, rc);
	if (!rc)
		rc = ticket_get(ctx, id, out);
out:
	json_decref(before);
	json_decref(after);
	ticket_env_cleanup(&env);
	return rc;
}

int ticket_sla(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_ticket t;
	struct nl_ticket_env env = { 0 };
	struct nl_status_change *ev = NULL;
	size_t nev = 0;
	json_t *tl = NULL;
	*out = NULL;
	int rc = ticket_load(ctx, id, &t);
	if (rc || (rc = events_load(ctx, id, &ev, &nev)) || (rc = ticket_env_load(ctx, &env)))
		goto out;
	struct nl_sla_input in;
	sla_input_of(&t, ev, nev, &in);
	/* in.now 0: an unresolved ticket's clock is explained up to the time of the request */
	if ((rc = sla_timeline(ctx, env.sla, &in, &tl)))
		goto out;
	json_t *o = json_object();
	json_set_int(o, "ticket_id", t.id);
	json_set_str(o, "priority", t.priority);
	json_set_str(o, "status", t.status);
	set_time(o, "opened_at", t.opened_at);
	set_time(o, "first_response_at", t.first_response_at);
	set_time(o, "resolved_at", t.resolved_at);
	/* the stored verdicts (computed up to the ticket's last known instant) */
	json_set_id(o, "sla_policy_id", t.sla_policy_id);
	set_opt(o, "business_response_minutes", t.business_response_minutes);
	set_opt(o, "business_resolution_minutes", t.business_resolution_minutes);
	json_set_int(o, "paused_minutes", t.paused_minutes);
	set_optbool(o, "sla_response_met", t.sla_response_met);
	set_optbool(o, "sla_resolution_met", t.sla_resolution_met);
	set_optbool(o, "sla_source_made", t.sla_source_made);
	json_object_set_new(o, "timeline", tl);
	tl = NULL;
	*out = o;
out:
	json_decref(tl);
	ticket_env_cleanup(&env);
	return rc;
}
