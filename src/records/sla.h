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

/* Loads the active policies and their calendars. Returns 0 or a store error. */
int sla_set_load(struct nl_ctx *ctx, struct nl_sla_set **out) __attribute__((warn_unused_result));
void sla_set_free(struct nl_sla_set *set);
/* Evaluates one ticket against the set (pure, thread-safe on a loaded set). Returns 0 or NL_EVALID for bad input. */
int sla_set_evaluate(const struct nl_sla_set *set, const struct nl_sla_input *in, struct nl_sla_result *out)
	__attribute__((warn_unused_result));

#endif
