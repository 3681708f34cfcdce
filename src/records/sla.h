/* sla.h — business calendars and SLA policies, and the business-time calculator that turns a ticket's timestamps and
 * status history into business minutes and SLA verdicts. The calculator is pure; a loaded "SLA set" (every active
 * policy and its calendar, cached in memory) lets imports evaluate millions of tickets without a query per ticket.
 *
 * Rules (DESIGN.md): a policy matches by priority, then optionally category and department — the most specific
 * active policy wins (department+category > department > category > priority only). Business time counts only the
 * calendar's work periods on its workdays (weekdays minus holidays, plus make-up workdays 调休), in the calendar's time
 * zone. The clock pauses while the ticket is in waiting_customer or waiting_vendor. Durations are whole minutes. */
#ifndef NL_SLA_H
#define NL_SLA_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/ctx.h"

/* One status change of a ticket (ticket_events): at (Unix seconds) the ticket entered `status`. */
struct nl_status_change {
	int64_t at;
	const char *status;
};

struct nl_sla_input {
	const char *priority;          /* "P1".."P4" */
	const char *category;          /* may be "" */
	int64_t department_id;         /* 0: none */
	int64_t opened_at;
	int64_t first_response_at;     /* 0: none */
	int64_t resolved_at;           /* 0: none */
	const struct nl_status_change *events;   /* in time order; may be NULL */
	size_t nevents;
	/* Added by the SLA room: the evaluation time of a ticket not yet resolved (Unix seconds; paused time is measured
	 * up to here). 0: up to the latest instant the input knows (opened_at, first_response_at, the last event). */
	int64_t now;
};

struct nl_sla_result {
	int64_t policy_id;             /* 0: no policy matched (nothing measured) */
	int has_response;              /* business_response_minutes is set */
	int64_t business_response_minutes;
	int has_resolution;
	int64_t business_resolution_minutes;
	int64_t paused_minutes;        /* business minutes spent in waiting statuses up to resolution (or now) */
	int response_met;              /* -1: not measured (no policy or no response yet), 0/1 */
	int resolution_met;
};

struct nl_sla_set;   /* every active policy and calendar, immutable once loaded; owned by the caller */

/* Loads the active policies and their calendars. Returns 0 or a store error (also NL_ENOMEM, and NL_EINTERNAL when a
 * stored calendar cannot be loaded, e.g. its time zone is no longer known; logged). */
int sla_set_load(struct nl_ctx *ctx, struct nl_sla_set **out) __attribute__((warn_unused_result));
void sla_set_free(struct nl_sla_set *set);
/* Evaluates one ticket against the set (pure, thread-safe on a loaded set). Returns 0 or NL_EVALID for bad input. */
int sla_set_evaluate(const struct nl_sla_set *set, const struct nl_sla_input *in, struct nl_sla_result *out)
	__attribute__((warn_unused_result));

/* ---- Added by the SLA room (src/records/sla.c); the rules in detail: docs/guide/sla.md ----
 *
 * How the numbers are made (sla_set_evaluate and sla_timeline give the same numbers):
 * - The clock runs from opened_at, in the matched policy's calendar, and stops while the ticket is in
 *   waiting_customer or waiting_vendor (any other status, known or not, runs the clock). The status in force at
 *   opened_at is the last event at or before it; after the last event its status lasts.
 * - Business time is counted in seconds and turned into whole minutes once, at the end, rounded down (like the
 *   plain durations). business_response_minutes covers [opened_at, first_response_at) minus the paused business
 *   time inside it, business_resolution_minutes [opened_at, resolved_at) likewise; paused_minutes is the paused
 *   business time in [opened_at, resolved_at or now).
 * - A target is met when the whole business minutes are at most the target (reproducible from the stored numbers).
 *   The due instant is the earliest instant at which the running clock reaches the target (opened_at + target in
 *   business time, shifted by the pauses before it); none while the clock stays paused.
 * - Nothing paused is ever lost: pauses are kept as instants (ticket_events), and every evaluation re-measures them
 *   from the history with the calendar and policy in force now. Changing a calendar or a policy therefore changes
 *   how the same intervals are measured (e.g. a day made a holiday no longer counts, paused or not), never which
 *   intervals were paused; changing it back gives the former numbers again. One ticket is always measured with one
 *   calendar. */

/* Writes into *out (a new JSON object) the explanation of every number of one ticket's SLA: the matched policy
 * and why (every active policy of that priority with the reason it matches or not), the calendar, each business
 * interval counted (running or paused, with its local date and whether it is a make-up workday; at most 2000
 * listed), each pause, the business minutes, the due instants (with and without the pauses) and the verdicts.
 * Times are RFC 3339 UTC, with the calendar's local time beside them. in->now (0: ctx->now) is the evaluation time
 * of an unresolved ticket. Returns 0, or NL_EVALID (ctx->err filled) for bad input, NL_ENOMEM. */
int sla_timeline(struct nl_ctx *ctx, const struct nl_sla_set *set, const struct nl_sla_input *in, json_t **out)
	__attribute__((warn_unused_result));

/* SLA policies (sla_policies): {"id","name","priority","category"|null,"department_id"|null,"calendar_id",
 * "calendar_name","response_minutes","resolution_minutes","active","specificity","created_at","updated_at"}. */
struct nl_sla_policy_input {
	const char *name;
	const char *priority;          /* "P1".."P4" */
	const char *category;          /* NULL: any category */
	int64_t department_id;         /* 0: any department */
	int64_t calendar_id;
	int64_t response_minutes;      /* 1..525600 business minutes */
	int64_t resolution_minutes;    /* response_minutes..525600 */
	int active;
};

#define NL_SLA_SET_NAME 0x01u
#define NL_SLA_SET_PRIORITY 0x02u
#define NL_SLA_SET_CATEGORY 0x04u
#define NL_SLA_SET_DEPARTMENT 0x08u
#define NL_SLA_SET_CALENDAR 0x10u
#define NL_SLA_SET_RESPONSE 0x20u
#define NL_SLA_SET_RESOLUTION 0x40u
#define NL_SLA_SET_ACTIVE 0x80u

struct nl_sla_policy_filter {
	const char *priority;          /* NULL: all */
	int active;                    /* -1: all, 0/1 */
	int64_t calendar_id;           /* 0: all */
	int64_t limit, cursor;
};

int sla_policy_list(struct nl_ctx *ctx, const struct nl_sla_policy_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));
/* NL_ENOTFOUND. */
int sla_policy_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* NL_EVALID naming the field (department_id and calendar_id must exist; resolution_minutes >= response_minutes);
 * NL_ECONFLICT when another active policy has the same priority, category and department. */
int sla_policy_create(struct nl_ctx *ctx, const struct nl_sla_policy_input *in, json_t **out)
	__attribute__((warn_unused_result));
/* Changes the fields named in `set` (NL_SLA_SET_*); the same checks on the result, and NL_ENOTFOUND. */
int sla_policy_update(struct nl_ctx *ctx, int64_t id, const struct nl_sla_policy_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));

#endif
