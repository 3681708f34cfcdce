/* innovation.h — innovation proposals (创新提案, policy "创新与改进": 鼓励创新 → 试点项目 → 持续改进): anyone but the auditor
 * proposes an improvement of a service product, a process or a technology; quality or a planner moves it to a pilot,
 * then adopts it on the pilot's result or rejects it. Every step is kept in innovation_events (the history).
 *
 * The lifecycle (innovation_transition is the one table of it):
 *   proposed --pilot--> pilot          (piloted_on = today; note optional: the pilot's scope)
 *   proposed --rejected--> rejected    (decided_on = today; note required: the reason)
 *   pilot --adopted--> adopted         (decided_on = today; note required: the pilot's result, stored as pilot_result)
 *   pilot --rejected--> rejected       (decided_on = today; note required: the reason)
 *   adopted, rejected: final.
 * "Today" is the organisation's local date (cycle_today). Every write validates first, then runs in one transaction
 * with its audit row; a refused request changes nothing. Objects come back as JSON owned by the caller. */
#ifndef NL_IMPROVEMENT_INNOVATION_H
#define NL_IMPROVEMENT_INNOVATION_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

/* The statuses and categories, NULL-terminated, in lifecycle / CONTRACT order. Static storage. */
extern const char *const nl_innovation_statuses[];
extern const char *const nl_innovation_categories[];

/* The lifecycle table (pure). For a proposal in status `from`, checks the move to `to`:
 * returns 0 when allowed and, when it needs a note (rejected, adopted), has_note is set;
 * NL_ESTATE when the move is not allowed from `from` (final states, skipping the pilot, staying put, unknown names);
 * NL_EVALID when the move is allowed but needs a note that is missing.
 * *why (may be NULL) gets a static English sentence saying why, or NULL on success. */
int innovation_transition(const char *from, const char *to, int has_note, const char **why)
	__attribute__((warn_unused_result));

/* POST /innovations. proposed_on NULL means today; department_id 0 means the proposer's department (none when the
 * proposer has none). */
struct nl_innovation_input {
	const char *title;          /* 1..200 characters, not blank */
	const char *category;       /* service_product | process | technology */
	const char *description;    /* not blank */
	int64_t department_id;
	const char *proposed_on;    /* YYYY-MM-DD, not after today */
	const char *pilot_result;   /* PATCH only */
};

/* What a PATCH changes (bit i = field i of the API's table). */
#define NL_INNOVATION_SET_TITLE 0x01u
#define NL_INNOVATION_SET_CATEGORY 0x02u
#define NL_INNOVATION_SET_DESCRIPTION 0x04u
#define NL_INNOVATION_SET_PILOT_RESULT 0x08u

/* Records a proposal by ctx->actor (the proposer), status proposed, with a first history entry. NL_EVALID naming the
 * field: a blank title or description, an unknown category or department, proposed_on not a date or after today.
 * *out is the proposal with its history. */
int innovation_create(struct nl_ctx *ctx, const struct nl_innovation_input *in, json_t **out)
	__attribute__((warn_unused_result));

/* Changes the fields named in `set`: title, category and description only while proposed, pilot_result only while in
 * pilot (NL_ESTATE naming the field otherwise). Allowed to the proposer and to holders of innovation.advance
 * (NL_EFORBIDDEN otherwise). NL_ENOTFOUND. *out is the proposal with its history. */
int innovation_update(struct nl_ctx *ctx, int64_t id, const struct nl_innovation_input *in, unsigned set,
	json_t **out) __attribute__((warn_unused_result));

/* Moves a proposal to `to` ("pilot", "adopted", "rejected") with `note` (may be NULL or empty where allowed), by the
 * rules of innovation_transition: NL_ESTATE (409 invalid_state, field "to") or NL_EVALID (field "note"); nothing
 * changes on any error. The route requires innovation.advance. *out is the proposal with its history. */
int innovation_advance(struct nl_ctx *ctx, int64_t id, const char *to, const char *note, json_t **out)
	__attribute__((warn_unused_result));

/* One proposal; with history = 1 its "history" array (oldest first: {"from_status" (null for the proposal itself),
 * "to_status","note","by_user_id","by","at"}). NL_ENOTFOUND. */
int innovation_get(struct nl_ctx *ctx, int64_t id, int history, json_t **out) __attribute__((warn_unused_result));

struct nl_innovation_filter {
	const char *status;          /* NULL: all; else one of nl_innovation_statuses (NL_EINVAL naming "status") */
	const char *category;        /* NULL: all; else one of nl_innovation_categories (NL_EINVAL naming "category") */
	int64_t department_id;       /* 0: all */
	int64_t proposer_user_id;    /* 0: all */
	int64_t year;                /* 0: all; else proposed_on in that year */
	int64_t limit, cursor;       /* page by id */
};

/* Lists proposals by id into *items (a new array); *next > 0 when more follow. */
int innovation_list(struct nl_ctx *ctx, const struct nl_innovation_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

#endif
