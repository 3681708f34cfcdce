/* task.h — department work plans (部门详细工作计划) and their execution: work items per department and year, linked
 * to a plan item and/or a metric; progress reports (percent, status, note, evidence) kept as a history with the
 * latest status on the item; quality's checks (运维服务管理计划工作执行跟踪表); and the tracking view.
 *
 * `overdue`, `delay_days` and `outcome` are derived on every read from the dates, the status and today's local date
 * (cycle/today.h) with rules_work_timing — never stored. Every write validates first, then runs in one transaction
 * with its audit row. Objects come back as JSON owned by the caller. */
#ifndef NL_CYCLE_TASK_H
#define NL_CYCLE_TASK_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

/* The fields of a work item (POST /tasks, PATCH /tasks/{id}). Ids are 0 when absent (null). */
struct nl_task_input {
	int64_t year;
	int64_t department_id;
	const char *title;
	int64_t plan_item_id;
	int64_t metric_id;
	int64_t owner_user_id;
	const char *planned_start;
	const char *planned_end;
	const char *deliverable;
};

/* What a PATCH changes. */
#define NL_TASK_SET_TITLE 0x01u
#define NL_TASK_SET_OWNER 0x02u
#define NL_TASK_SET_START 0x04u
#define NL_TASK_SET_END 0x08u
#define NL_TASK_SET_DELIVERABLE 0x10u
#define NL_TASK_SET_PLAN_ITEM 0x20u
#define NL_TASK_SET_METRIC 0x40u

/* Creates a work item (status not_started, 0 percent). The actor needs task.write for the department (planner: any;
 * hr/quality/member: their own — else NL_EFORBIDDEN). NL_EVALID naming the field when: the department does not exist;
 * a date is not a calendar date; planned_end is before planned_start; planned_start is not in `year`; the plan item
 * is not one of that year's plan; the metric is not one of that year's; the owner is not an active user of the
 * department. *out is the created item. */
int task_create(struct nl_ctx *ctx, const struct nl_task_input *in, json_t **out) __attribute__((warn_unused_result));

/* Changes the fields named in `set` (same rules and scope as task_create, on the item's department and year).
 * Only an open item (not done, not cancelled) can be changed: NL_ESTATE otherwise. NL_ENOTFOUND for no such item. */
int task_update(struct nl_ctx *ctx, int64_t id, const struct nl_task_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));

/* One work item with its derived timing; with details also `progress` (the whole history, oldest first),
 * `latest_progress`, `checks` and `open_checks`. NL_ENOTFOUND when absent. */
int task_get(struct nl_ctx *ctx, int64_t id, int details, json_t **out) __attribute__((warn_unused_result));

struct nl_task_filter {
	int64_t year;            /* 0: every year */
	int64_t department_id;   /* 0: every department */
	const char *status;      /* NULL: every status; else one of rules_work_status_parse's names */
	int overdue;             /* -1: either; 1: only overdue items; 0: only items not overdue */
	int64_t owner_user_id;   /* 0: any owner */
	int details;             /* 1: the tracking row (latest_progress, checks, open_checks) */
	int64_t limit;           /* page size; 0: no limit (documents, the evaluation) */
	int64_t cursor;          /* items with id > cursor */
};

/* Lists work items by id into *items (a new array); *next > 0 when more follow. NL_EVALID (field "status") for an
 * unknown status. */
int task_list(struct nl_ctx *ctx, const struct nl_task_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

struct nl_progress_input {
	int has_percent;
	int64_t percent;         /* 0..100 */
	const char *status;      /* not_started | in_progress | done | delayed | cancelled */
	const char *note;
	const char *evidence;
	const char *actual_end;  /* only with done: the day it was finished (NULL: today) */
};

/* Records a progress report and makes it the item's status and percent. Allowed to the item's owner, and to users
 * with task.progress for its department (planner: any). Rules: done ⇒ percent 100 (absent: 100; another value:
 * NL_EVALID "percent") and actual_end = the given date (a report made after the fact; not after today, not before
 * planned_start, else NL_EVALID "actual_end") or today; actual_end with another status is NL_EVALID; not_started ⇒
 * percent 0; any other status clears actual_end (reopening). Reporting done on a done item, or cancelled on a cancelled one, is NL_ESTATE. Percent absent keeps the
 * current one. *out is the created progress row with "task": the item as it now is (with details). */
int task_progress_add(struct nl_ctx *ctx, int64_t task_id, const struct nl_progress_input *in, json_t **out)
	__attribute__((warn_unused_result));

struct nl_check_input {
	const char *checked_on;
	const char *finding;
	const char *deviation_reason;
	const char *corrective_action;
	const char *due_date;    /* NULL: none */
	int verified;
};
#define NL_CHECK_SET_CHECKED_ON 0x01u
#define NL_CHECK_SET_FINDING 0x02u
#define NL_CHECK_SET_REASON 0x04u
#define NL_CHECK_SET_ACTION 0x08u
#define NL_CHECK_SET_DUE 0x10u
#define NL_CHECK_SET_VERIFIED 0x20u

/* Records quality's check on a work item (the route requires task.check). NL_EVALID naming the field: checked_on not
 * a date or after today; due_date not a date or before checked_on. *out is the created check. */
int task_check_add(struct nl_ctx *ctx, int64_t task_id, const struct nl_check_input *in, json_t **out)
	__attribute__((warn_unused_result));

/* Edits a check's text and dates, and/or verifies it (verified must be true: NL_EVALID otherwise). A verified check
 * is frozen: NL_ESTATE. *out is the check as it now is. */
int task_check_update(struct nl_ctx *ctx, int64_t check_id, const struct nl_check_input *in, unsigned set,
	json_t **out) __attribute__((warn_unused_result));

#endif
