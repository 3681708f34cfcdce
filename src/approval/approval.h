/* approval.h — the one generic approval mechanism of nengli (tables approvals + approval_steps). An entity (a plan
 * now; evaluations, rewards and partner ratings later) asks for decisions in ordered steps, each naming the role
 * that decides it. The steps are decided one after the other: the first step is pending, the others wait; any
 * rejection ends the approval as rejected, approving the last step ends it as approved.
 *
 * Rules enforced here for every entity: the deciding user must hold the current step's role and must not be the
 * user who requested the approval; a rejection needs a comment; a decided or cancelled approval takes no decision.
 *
 * Transactions: approval_request, approval_decide and approval_cancel never begin or commit anything. They run
 * inside the caller's transaction (NL_EINTERNAL outside one), append their own audit row (entity "approval"), and
 * the caller applies the effect of the outcome to its entity in the same transaction, then commits or rolls back. */
#ifndef NL_APPROVAL_H
#define NL_APPROVAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

struct nl_user;

/* The most steps one approval may have. */
#define NL_APPROVAL_MAX_STEPS 8

enum nl_approval_outcome {
	NL_APPROVAL_PENDING = 0,     /* a step was approved and the next one now waits for its decision */
	NL_APPROVAL_APPROVED = 1,    /* the last step was approved */
	NL_APPROVAL_REJECTED = 2,    /* a step was rejected: the approval is over */
};

/* Creates a pending approval for (entity, entity_id, entity_version), requested by ctx->actor (none for the CLI),
 * with nsteps steps (1..NL_APPROVAL_MAX_STEPS) whose deciding roles are step_roles[0..nsteps) in order (role names
 * of auth.h: "approver", "quality", ...): step 1 is pending, the others waiting. summary (may be NULL) is a line
 * shown in approval lists ("Plan 2027 v1: ..."). Returns 0 and *approval_id, NL_EINTERNAL outside a transaction or
 * for bad arguments (an unknown role, no steps), or a store error. */
int approval_request(struct nl_ctx *ctx, const char *entity, int64_t entity_id, int64_t entity_version,
	const char *const *step_roles, size_t nsteps, const char *summary, int64_t *approval_id)
	__attribute__((warn_unused_result));

/* Decides the current step of approval_id as ctx->actor: decision "approve" or "reject", with a comment (may be
 * NULL or empty for approve; required for reject). On 0, *outcome says where the approval now stands.
 * Errors (nothing written): NL_ENOTFOUND no such approval; NL_EVALID field "decision" for another word, field
 * "comment" for a reject without comment; NL_ESTATE the approval is not pending (decided or cancelled);
 * NL_EFORBIDDEN the actor lacks the step's role, or requested the approval ("you submitted this; another approver
 * must decide"); NL_EINTERNAL outside a transaction; store errors. */
int approval_decide(struct nl_ctx *ctx, int64_t approval_id, const char *decision, const char *comment,
	enum nl_approval_outcome *outcome) __attribute__((warn_unused_result));

/* Cancels a pending approval (its pending and waiting steps become skipped); comment may be NULL. Who may cancel
 * is the caller's rule. NL_ENOTFOUND, NL_ESTATE when not pending, NL_EINTERNAL outside a transaction. */
int approval_cancel(struct nl_ctx *ctx, int64_t approval_id, const char *comment) __attribute__((warn_unused_result));

/* The approval as JSON (caller owns *out): {"id","entity","entity_id","entity_version","status","summary",
 * "requested_by","requested_by_name","requested_at","decided_at","current_step":{"seq","role"}|null,
 * "can_decide" (for ctx->actor),"steps":[{"seq","role","status","decided_by","decided_by_name","decided_at","comment"}]}.
 * NL_ENOTFOUND when absent. */
int approval_get(struct nl_ctx *ctx, int64_t approval_id, json_t **out) __attribute__((warn_unused_result));

/* Returns 1 when user may decide the current step of a pending approval whose current step role is `role` and
 * whose requester is requested_by (0: none): the user holds the role and did not request it. */
int approval_user_may_decide(const struct nl_user *user, const char *role, int64_t requested_by);

/* The pending approvals `user` can decide now (its roles hold the current step's role; not the user's own
 * requests), oldest first, as a JSON array of approval objects with their steps (caller owns *items). For
 * notifications and the dashboard. */
int approval_pending_for(struct nl_ctx *ctx, const struct nl_user *user, json_t **items) __attribute__((warn_unused_result));

struct nl_approval_filter {
	const char *status;      /* "pending", "approved", "rejected", "cancelled", or NULL for any */
	int mine;                /* 1: the approvals ctx->actor requested */
	const char *entity;      /* NULL: any */
	int64_t entity_id;       /* 0: any */
	int64_t limit;
	int64_t cursor;          /* rows with id < cursor; 0: newest first */
};

/* Lists approvals newest first for ctx->actor:
 *   mine = 1                    → the approvals the actor requested (with status when given);
 *   status = "pending" (mine 0) → the pending approvals the actor can decide now;
 *   otherwise                   → approvals the actor requested or decided a step of (with status when given).
 * *next_cursor > 0 when more rows exist. Each item carries its steps. */
int approval_list(struct nl_ctx *ctx, const struct nl_approval_filter *f, json_t **items, int64_t *next_cursor)
	__attribute__((warn_unused_result));

/* The latest approval of an entity (with steps), or *out = NULL (and 0) when it has none. */
int approval_latest_for(struct nl_ctx *ctx, const char *entity, int64_t entity_id, json_t **out)
	__attribute__((warn_unused_result));

#endif
