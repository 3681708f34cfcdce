/* reward.h — rewards and penalties (奖惩) for a staff member or a partner: reason, the cause they are linked to (a
 * complaint, a metric, a partner assessment, an innovation, or other), amount and/or points, approved through the
 * generic approval mechanism (approval/approval.h) with one step decided by the role "approver" — never by the
 * proposer. A proposal is pending until the approver approves or rejects it; the proposer may cancel it while pending.
 *
 * Reading follows the appraisals' scope (policy "appraisal.read"): admin, hr, approver and auditor read all; planner,
 * quality and member read the rewards of staff in their department, the partners' rewards, and those they proposed.
 * Objects come back as JSON (caller owns). */
#ifndef NL_PEOPLE_REWARD_H
#define NL_PEOPLE_REWARD_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

struct nl_reward_input {
	const char *kind;         /* "reward" | "penalty" */
	int64_t staff_id;         /* exactly one of staff_id and partner_id (0: not given) */
	int64_t partner_id;
	const char *reason;
	const char *cause_type;   /* "complaint" | "metric" | "assessment" | "innovation" | "other"; NULL: "other" */
	int64_t cause_id;         /* 0: none; with "other" none is allowed */
	double amount;            /* NaN: none; ≥ 0 */
	double points;            /* NaN: none; ≥ 0 */
};

/* Proposes a reward or penalty (status pending) and requests its approval. 422: both or neither of staff_id and
 * partner_id (naming partner_id, resp. staff_id); an unknown staff member or partner; a cause_id that does not name a
 * record of cause_type (complaints, metrics, partner_assessments — of that partner when partner_id is given —,
 * innovations); a cause_id with cause_type "other"; a negative amount or points.
 * Reward objects: {"id","kind","staff_id","staff_name","department_id","partner_id","partner_name","reason",
 * "cause_type","cause_id","amount","points","status","approval_id","created_by","created_by_name","proposed_on",
 * "created_at","decided_at"} and, from reward_get, "approval" (approval_get's object). */
int reward_create(struct nl_ctx *ctx, const struct nl_reward_input *in, json_t **out) __attribute__((warn_unused_result));
/* Decides the pending approval as ctx->actor (approval_decide: the approver, never the proposer; a rejection needs a
 * comment) and applies the outcome: approved / rejected. 409 invalid_state when not pending; 403 for a user who may
 * not decide; 422 comment. */
int reward_decide(struct nl_ctx *ctx, int64_t id, int approve, const char *comment, json_t **out)
	__attribute__((warn_unused_result));
/* The proposer withdraws a pending proposal: its approval is cancelled and the status becomes
 * cancelled. 403 for anyone else; 409 invalid_state when not pending. */
int reward_cancel(struct nl_ctx *ctx, int64_t id, const char *comment, json_t **out) __attribute__((warn_unused_result));
/* One reward with its approval; 403 outside the reader's scope. */
int reward_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

struct nl_reward_filter {
	const char *status;       /* NULL: all */
	const char *kind;         /* NULL: all */
	int64_t staff_id, partner_id, department_id;  /* 0: all */
	int64_t year;             /* the year of proposed_on, 0: all */
	int64_t limit, cursor;
};
/* Rewards in id order, within the reader's scope. */
int reward_list(struct nl_ctx *ctx, const struct nl_reward_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

#endif
