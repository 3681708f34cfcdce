/* notify.h — reminders for the current user (GET /api/v1/notifications), computed on every read from the cycle's
 * tables; nothing is stored. */
#ifndef NL_CYCLE_NOTIFY_H
#define NL_CYCLE_NOTIFY_H

#include <jansson.h>

#include "core/ctx.h"

/* Sets *items (a new array, caller owns) to the reminders of ctx->actor, most urgent first (danger, warning, info;
 * then by due date):
 *   approval_pending — a pending approval step whose role the user holds, on a request not made by the user;
 *   plan_rejected / plan_approved — a plan the user prepared or submitted, rejected (still) or approved in the last
 *                      30 days;
 *   task_overdue / task_due_soon — an open work item the user owns, or (hr, quality, member) of the user's department,
 *                      overdue or due within NL_WORK_DUE_SOON_DAYS days (rules_work_timing / rules_work_due_soon);
 *   check_open — an unverified check on a work item the user owns;
 *   plan_due — from 1 December, for quality and planners, when no plan for next year exists.
 * Each item: {"kind","title","title_en","message","message_en","entity","entity_id","due_date","severity"}.
 * "Today" is cycle_today(). NL_EUNAUTH without an actor. */
int notify_list(struct nl_ctx *ctx, json_t **items) __attribute__((warn_unused_result));

#endif
