/* improvement.h — what the improvement room (innovation proposals and the risk register) offers the rest of nengli:
 * reminders for GET /notifications, the innovation measures for metrics (`source: "measure:<key>"`), and the adopted
 * innovations of a year for the annual evaluation and next year's plan. The records themselves: innovation.h, risk.h. */
#ifndef NL_IMPROVEMENT_H
#define NL_IMPROVEMENT_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/date.h"
#include "cycle/period.h"

/* Appends to `items` (an array; items keep notify.h's shape {"kind","title","title_en","message","message_en",
 * "entity","entity_id","due_date","severity"}) the improvement reminders of ctx->actor for `today`:
 *   risk_review_overdue — a risk not closed whose review_on is before today, for its owner and for every quality
 *                         user; severity "danger" for a high or critical risk, "warning" otherwise; due_date = review_on.
 * At most 200 risks (the longest overdue first). Returns 0, NL_EUNAUTH without an actor, or a store error (items may
 * then hold some of the reminders; the caller drops the array). */
int improvement_notifications(struct nl_ctx *ctx, json_t *items, struct nl_date today)
	__attribute__((warn_unused_result));

/* The improvement measures (counts; each proposal counts once per step, by the local date of that step):
 *   innovations          proposals made in the period (proposed_on in it)
 *   innovation_pilots    pilots started in the period (piloted_on in it)
 *   innovations_adopted  proposals adopted in the period (status adopted, decided_on in it)
 * Returns 1 when key is one of them, else 0. */
int improvement_measure_known(const char *key);

/* Computes measure `key` for department_id (0: the whole organisation; else the proposals attributed to that
 * department) over period p. A count is always a value: *has = 1, *value = the count (0 when there were none),
 * *num and *den = NAN. Returns 0, NL_EVALID ("key") for a key improvement_measure_known refuses or an invalid period,
 * or a store error. Reads only; safe inside the caller's transaction. */
int improvement_measure(struct nl_ctx *ctx, const char *key, int64_t department_id, struct nl_period p, int *has,
	double *value, double *num, double *den) __attribute__((warn_unused_result));

/* The innovations adopted in `year` (decided_on in that year), oldest decision first, as a new array *items of
 * proposal objects as GET /innovations lists them ("id","title","category","description","department_id",
 * "department","proposer_user_id","proposer","proposed_on","piloted_on","decided_on","pilot_result", ...) — the annual
 * evaluation can offer each as an improvement suggestion to carry into the plan of year + 1. NL_EVALID ("year") outside 1900..9999; a store error otherwise. */
int innovation_adopted_in_year(struct nl_ctx *ctx, int year, json_t **items) __attribute__((warn_unused_result));

#endif
