/* ticket.h — tickets (service records): the fields of CONTRACT.md, the status (new, assigned, in_progress,
 * waiting_customer, waiting_vendor, resolved, closed) with its history (ticket_events), and the fields derived on every
 * write: opened_day (the local date of opened_at in the organisation's time zone), response/resolution/wait minutes
 * (whole minutes, floor; NULL when a timestamp is missing or before opened_at — reported as a warning) and the SLA
 * verdicts of records/sla.h. Every write runs in one transaction with its audit row and marks the old and the new
 * (department, opened_day) dirty for the measures engine. Members write only their own department's tickets.
 *
 * The lower half (struct nl_ticket, ticket_derive, ticket_row_*) is shared with the import (records/import.c), which
 * writes tickets in bulk through the same derivation. */
#ifndef NL_TICKET_H
#define NL_TICKET_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/tz.h"
#include "records/sla.h"

/* ---- the API ---- */

/* A ticket as the API gives it: strings (timestamps RFC 3339, NULL when absent or JSON null). */
struct nl_ticket_input {
	const char *external_id, *source, *title, *channel, *category, *priority, *status;
	int64_t department_id, customer_id, assignee_user_id;   /* 0: none */
	const char *opened_at, *assigned_at, *first_response_at, *resolved_at, *closed_at;
	int64_t reassignment_count, reopen_count;
};
/* PATCH: which fields were given. */
#define NL_TICKET_SET_TITLE (1u << 0)
#define NL_TICKET_SET_CHANNEL (1u << 1)
#define NL_TICKET_SET_CATEGORY (1u << 2)
#define NL_TICKET_SET_PRIORITY (1u << 3)
#define NL_TICKET_SET_DEPARTMENT (1u << 4)
#define NL_TICKET_SET_CUSTOMER (1u << 5)
#define NL_TICKET_SET_ASSIGNEE (1u << 6)
#define NL_TICKET_SET_OPENED (1u << 7)
#define NL_TICKET_SET_ASSIGNED (1u << 8)
#define NL_TICKET_SET_RESPONSE (1u << 9)
#define NL_TICKET_SET_RESOLVED (1u << 10)
#define NL_TICKET_SET_CLOSED (1u << 11)
#define NL_TICKET_SET_REASSIGN (1u << 12)
#define NL_TICKET_SET_REOPEN (1u << 13)
#define NL_TICKET_SET_EXTERNAL (1u << 14)

/* Creates a ticket: source defaults to "nengli", external_id to "NL-<id>", status to the one the timestamps imply
 * (closed_at → closed, resolved_at → resolved, assigned_at → assigned, else new). Its history starts with "new" at
 * opened_at (and the given status at the latest timestamp when it is not new). *out: the ticket (ticket_get's shape,
 * with "warnings"). NL_EVALID naming the field; NL_EFORBIDDEN outside a member's department; NL_ECONFLICT for a
 * (source, external_id) that exists. */
int ticket_create(struct nl_ctx *ctx, const struct nl_ticket_input *in, json_t **out) __attribute__((warn_unused_result));
/* Changes the fields whose NL_TICKET_SET_* bit is in `set` (timestamps: NULL clears) and recomputes the derived ones. */
int ticket_update(struct nl_ctx *ctx, int64_t id, const struct nl_ticket_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));
/* Moves the ticket to `status` at `at` (RFC 3339; NULL: now) with a note: appends to the history; the first time a
 * status is reached it sets assigned_at (any status past new), first_response_at (in_progress, waiting_*, resolved,
 * closed), resolved_at, closed_at; leaving resolved or closed for an open status counts a reopening. NL_ESTATE for
 * the status it already has or for "new"; NL_EVALID for an `at` before opened_at or before the last change. */
int ticket_set_status(struct nl_ctx *ctx, int64_t id, const char *status, const char *at, const char *note, json_t **out)
	__attribute__((warn_unused_result));
/* One ticket with "events" (its history), "rating" (or null), "customer" (masked per ctx->actor, or null) and
 * "warnings". NL_ENOTFOUND. */
int ticket_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

struct nl_ticket_filter {
	int64_t department_id;      /* 0: all */
	const char *from, *to;      /* YYYY-MM-DD inclusive, on opened_day; NULL: open */
	const char *status, *priority, *source, *q;   /* NULL: any; q matches title or external_id */
	int64_t limit, cursor;
};
/* Tickets in id order. NL_EVALID naming a bad status or priority. */
int ticket_list(struct nl_ctx *ctx, const struct nl_ticket_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));
/* The ticket's SLA: policy, targets, business minutes, verdicts, and the timeline (its status history with the
 * business minutes counted and paused in each interval). NL_ENOTFOUND. */
int ticket_sla(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

/* ---- shared with the import ---- */

/* A ticket's stored values. Strings are borrowed (arena or caller). Timestamps are Unix seconds, 0 = none;
 * minutes -1 = NULL; booleans -1 = NULL. */
struct nl_ticket {
	int64_t id;
	const char *source, *external_id, *title, *channel, *category, *priority, *status;
	int64_t department_id, customer_id, assignee_user_id;
	int64_t opened_at, assigned_at, first_response_at, resolved_at, closed_at;
	int64_t reassignment_count, reopen_count;
	int sla_source_made;
	int64_t import_id;
	/* derived by ticket_derive */
	char opened_day[11];
	int64_t response_minutes, resolution_minutes, wait_minutes;
	int64_t sla_policy_id;      /* 0: none */
	int64_t business_response_minutes, business_resolution_minutes, paused_minutes;
	int sla_response_met, sla_resolution_met;
	const char *created_at, *updated_at;
};

/* What derivation needs, loaded once per request or import. */
struct nl_ticket_env {
	struct nl_sla_set *sla;      /* owned */
	const struct nl_tz *tz;      /* the organisation's zone (cached by core/tz) */
};
int ticket_env_load(struct nl_ctx *ctx, struct nl_ticket_env *env) __attribute__((warn_unused_result));
void ticket_env_cleanup(struct nl_ticket_env *env);

/* Warning bits of ticket_derive: a timestamp before opened_at. */
#define NL_TICKET_WARN_RESPONSE 0x1u
#define NL_TICKET_WARN_RESOLUTION 0x2u
#define NL_TICKET_WARN_WAIT 0x4u
#define NL_TICKET_WARN_CLOSED 0x8u

/* Computes the derived fields of t from its stored values and its status history (time order, may be empty).
 * *warnings gets NL_TICKET_WARN_* bits. Returns 0, or NL_EVALID with ctx->err filled (a date out of range, an input
 * the SLA calculator refuses). */
int ticket_derive(struct nl_ctx *ctx, struct nl_ticket *t, const struct nl_ticket_env *env,
	const struct nl_status_change *events, size_t nevents, unsigned *warnings) __attribute__((warn_unused_result));
/* Appends one sentence per warning bit to the JSON array a. */
void ticket_warnings_append(json_t *a, unsigned warnings);

/* The SELECT list of every stored column, in the order ticket_row_read expects. */
#define NL_TICKET_COLS \
	"id, source, external_id, title, channel, category, priority, status, department_id, customer_id," \
	" assignee_user_id, opened_at, opened_day, assigned_at, first_response_at, resolved_at, closed_at," \
	" reassignment_count, reopen_count, response_minutes, resolution_minutes, wait_minutes, sla_policy_id," \
	" business_response_minutes, business_resolution_minutes, paused_minutes, sla_response_met," \
	" sla_resolution_met, sla_source_made, import_id, created_at, updated_at"
#define NL_TICKET_NCOLS 32

struct nl_stmt;
/* Reads a row of NL_TICKET_COLS starting at column `first` into *t, copying strings into arena a. NL_ENOMEM. */
int ticket_row_read(struct nl_stmt *st, int first, struct nl_arena *a, struct nl_ticket *t) __attribute__((warn_unused_result));
/* 1 when a and b have the same stored values (everything but id, import_id, created_at and updated_at). */
int ticket_row_same(const struct nl_ticket *a, const struct nl_ticket *b);
/* Inserts t (created_at = updated_at = now); *id gets the new id when id is not NULL. Caller's transaction.
 * NL_ECONFLICT for an existing (source, external_id). */
int ticket_row_insert(struct nl_ctx *ctx, const struct nl_ticket *t, const char *now, int64_t *id)
	__attribute__((warn_unused_result));
/* Inserts n ≤ NL_TICKET_INSERT_MAX tickets of distinct (source, external_id) in one statement; ids (may be NULL) gets
 * their new ids in the same order. Caller's transaction. */
#define NL_TICKET_INSERT_MAX 32
int ticket_rows_insert(struct nl_ctx *ctx, const struct nl_ticket *const *rows, size_t n, const char *now, int64_t *ids)
	__attribute__((warn_unused_result));
/* Rewrites every stored column of ticket t->id (updated_at = now). Caller's transaction. */
int ticket_row_update(struct nl_ctx *ctx, const struct nl_ticket *t, const char *now) __attribute__((warn_unused_result));
/* Replaces the ticket's status history by events (actor and note written on each). Caller's transaction. */
int ticket_events_replace(struct nl_ctx *ctx, int64_t ticket_id, const struct nl_status_change *events, size_t n,
	const char *note, const char *actor) __attribute__((warn_unused_result));
/* 1 when s is one of the seven statuses. */
int ticket_status_valid(const char *s);

#endif
