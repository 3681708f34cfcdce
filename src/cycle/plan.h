/* plan.h — the annual service capability plan (年度服务能力管理计划): one plan per year with its review of the previous
 * year, its items in the four elements, the tracking plan, the review meetings, and the workflow
 *   draft → submitted → approved | rejected;  rejected → submitted (after edits and a new meeting that passes);
 *   approved → (revise) → draft, version + 1  (the approved version stays readable in plan_versions).
 * Approval goes through the generic mechanism (approval/approval.h): one step decided by the role "approver",
 * never by the user who submitted. Every action on the plan is written to plan_history (the 变更履历).
 *
 * Every write: one transaction that first locks the plan row, checks the state (NL_ESTATE otherwise), writes,
 * increments plans.row_version, and appends its audit row; a refused call changes nothing.
 * Objects come back as JSON (the caller owns them); the full plan is
 *   the plan's fields + "items" (flat, each with "metric_ids") + "meetings" + "approval" (or null) + "coverage"
 *   (items per element) + "submit_check" + "can" (what ctx->actor may do now). */
#ifndef NL_PLAN_H
#define NL_PLAN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

#define NL_PLAN_MIN_YEAR 2000
#define NL_PLAN_MAX_YEAR 2100


/* Creates the draft v1 of `year` (prepared by ctx->actor), its review sections prefilled from the finalized
 * evaluation of year − 1 when there is one. NL_ECONFLICT (field "year") when the year has a plan already. */
int plan_create(struct nl_ctx *ctx, int year, const char *title, json_t **out) __attribute__((warn_unused_result));

/* Plans newest year first; year 0: all years; status NULL: any. Paging: cursor = the last year given. */
int plan_list(struct nl_ctx *ctx, int year, const char *status, int64_t limit, int64_t cursor, json_t **items,
	int64_t *next) __attribute__((warn_unused_result));

/* The full plan (see above). NL_ENOTFOUND when absent. */
int plan_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

struct nl_plan_input {
	const char *title;
	const char *review_achievements;
	const char *review_problems;
	const char *review_carryover;
	const char *tracking_plan;
	const char *tracking_frequency;   /* "month" | "quarter" | "year" */
	const char *tracking_checkpoints;
	int64_t tracker_user_id;          /* 0: none */
};
#define NL_PLAN_SET_TITLE 0x01u
#define NL_PLAN_SET_REVIEW_ACHIEVEMENTS 0x02u
#define NL_PLAN_SET_REVIEW_PROBLEMS 0x04u
#define NL_PLAN_SET_REVIEW_CARRYOVER 0x08u
#define NL_PLAN_SET_TRACKING_PLAN 0x10u
#define NL_PLAN_SET_TRACKING_FREQUENCY 0x20u
#define NL_PLAN_SET_TRACKING_CHECKPOINTS 0x40u
#define NL_PLAN_SET_TRACKER 0x80u

/* Changes the fields named in `set`, only in draft or rejected (NL_ESTATE otherwise). if_match > 0: the row_version
 * the client read; NL_ECONFLICT when the plan has changed since. NL_EVALID (field tracker_user_id) for an unknown user. */
int plan_update(struct nl_ctx *ctx, int64_t id, const struct nl_plan_input *in, unsigned set, int64_t if_match,
	json_t **out) __attribute__((warn_unused_result));

struct nl_plan_item_input {
	const char *element;              /* people | process | technology | resources */
	const char *area;                 /* a sub-area code, name or English name of the element's active catalogue */
	const char *current_state;
	const char *objective;
	const char *measures;
	int64_t owner_department_id;      /* 0: none */
	int64_t owner_user_id;            /* 0: none */
	const char *due_date;             /* YYYY-MM-DD within the plan year ± 1, or NULL */
	const char *budget;               /* free text */
	int64_t sort;
};
#define NL_ITEM_SET_ELEMENT 0x001u
#define NL_ITEM_SET_AREA 0x002u
#define NL_ITEM_SET_CURRENT_STATE 0x004u
#define NL_ITEM_SET_OBJECTIVE 0x008u
#define NL_ITEM_SET_MEASURES 0x010u
#define NL_ITEM_SET_OWNER_DEPARTMENT 0x020u
#define NL_ITEM_SET_OWNER_USER 0x040u
#define NL_ITEM_SET_DUE_DATE 0x080u
#define NL_ITEM_SET_BUDGET 0x100u
#define NL_ITEM_SET_SORT 0x200u

/* Adds an item to a draft or rejected plan. The area is stored as the catalogue code. NL_EVALID naming the field
 * (element, area, objective, due_date, owner_department_id, owner_user_id); NL_ESTATE in another state. */
int plan_item_create(struct nl_ctx *ctx, int64_t plan_id, const struct nl_plan_item_input *in, unsigned set,
	json_t **out) __attribute__((warn_unused_result));
/* Changes an item's fields named in `set` (same rules; a new element needs an area of that element). */
int plan_item_update(struct nl_ctx *ctx, int64_t item_id, const struct nl_plan_item_input *in, unsigned set,
	json_t **out) __attribute__((warn_unused_result));
/* Deletes an item of a draft or rejected plan; *out = {"id","plan_id","deleted":true}. */
int plan_item_delete(struct nl_ctx *ctx, int64_t item_id, json_t **out) __attribute__((warn_unused_result));
/* One item (with "metric_ids"). */
int plan_item_get(struct nl_ctx *ctx, int64_t item_id, json_t **out) __attribute__((warn_unused_result));
/* The items of a plan in element order (element NULL: all), as a new array. NL_ENOTFOUND for no such plan. */
int plan_item_list(struct nl_ctx *ctx, int64_t plan_id, const char *element, json_t **items)
	__attribute__((warn_unused_result));

struct nl_plan_meeting_input {
	const char *held_on;              /* YYYY-MM-DD, not in the future */
	const char *attendees;
	const char *minutes;
	const char *decision;             /* "pass" | "revise" */
};
/* Records a review meeting of the plan's current version (draft or rejected only). */
int plan_meeting_create(struct nl_ctx *ctx, int64_t plan_id, const struct nl_plan_meeting_input *in, json_t **out)
	__attribute__((warn_unused_result));
/* The plan's meetings, oldest first, every version (each names its plan_version). */
int plan_meeting_list(struct nl_ctx *ctx, int64_t plan_id, json_t **items) __attribute__((warn_unused_result));

/* draft | rejected → submitted. Needs ≥ 1 item in each element (else NL_EVALID field "items") and, as the latest
 * meeting of the current version recorded after the last rejection, one that passed (else NL_EVALID field
 * "meetings"); the message names what is missing. Creates the approval (one step: approver). */
int plan_submit(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* submitted → approved (the version is frozen into plan_versions). NL_EFORBIDDEN for the submitter. */
int plan_approve(struct nl_ctx *ctx, int64_t id, const char *comment, json_t **out) __attribute__((warn_unused_result));
/* submitted → rejected; comment required (NL_EVALID field "comment"). NL_EFORBIDDEN for the submitter. */
int plan_reject(struct nl_ctx *ctx, int64_t id, const char *comment, json_t **out) __attribute__((warn_unused_result));
/* approved → draft, version + 1; change_summary required (NL_EVALID field "change_summary"). */
int plan_revise(struct nl_ctx *ctx, int64_t id, const char *change_summary, json_t **out)
	__attribute__((warn_unused_result));

/* The approved versions: [{"version","approved_at","approved_by","approved_by_name"}], oldest first. */
int plan_version_list(struct nl_ctx *ctx, int64_t id, json_t **items) __attribute__((warn_unused_result));
/* The frozen snapshot of an approved version (the full plan as it was approved). NL_ENOTFOUND otherwise. */
int plan_version_get(struct nl_ctx *ctx, int64_t id, int64_t version, json_t **out) __attribute__((warn_unused_result));
/* The change history (变更履历): [{"version","action","at","by","by_user_id","comment"}] in order. Actions:
 * created, meeting, submitted, approved, rejected, revised. */
int plan_history(struct nl_ctx *ctx, int64_t id, json_t **items) __attribute__((warn_unused_result));

#endif
