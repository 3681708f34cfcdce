/* risk.h — the risk register (风险管理, "建立风险管理机制，有效防范和应对各种风险"): each risk names its element
 * (people, process, technology, resources), its likelihood and impact on a 1–5 scale, the mitigation, an owner, the
 * next review date and a status (open, mitigating, accepted, closed); it may relate to a plan item.
 *
 * score = likelihood × impact (1..25) and its level are computed on every read — never stored, so never stale:
 *   low ≤ 4 < medium ≤ 9 < high ≤ 15 < critical (16, 20, 25).
 * review_overdue = the risk is not closed and review_on is before today (the organisation's local date, cycle_today);
 * such risks are reminded to their owner and to quality (improvement.h, improvement_notifications).
 * Every write validates first, then runs in one transaction with its audit row. Objects come back as JSON owned by
 * the caller. */
#ifndef NL_IMPROVEMENT_RISK_H
#define NL_IMPROVEMENT_RISK_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

/* The likelihood and impact scale. */
#define NL_RISK_SCALE_MIN 1
#define NL_RISK_SCALE_MAX 5
/* The highest score of each level (critical: above NL_RISK_HIGH_MAX up to 25). */
#define NL_RISK_LOW_MAX 4
#define NL_RISK_MEDIUM_MAX 9
#define NL_RISK_HIGH_MAX 15

/* NULL-terminated lists, in order. Static storage. */
extern const char *const nl_risk_elements[];   /* people, process, technology, resources */
extern const char *const nl_risk_statuses[];   /* open, mitigating, accepted, closed */
extern const char *const nl_risk_levels[];     /* low, medium, high, critical */

/* Returns likelihood × impact, or 0 when either is outside 1..5. Pure. */
int risk_score(int likelihood, int impact);
/* Returns the level of a score 1..25 ("low", "medium", "high", "critical"), or NULL outside 1..25. Static storage. */
const char *risk_level(int score);
/* Sets *min and *max to the score range of a level name. Returns 0, or NL_EVALID for an unknown name. */
int risk_level_range(const char *level, int *min, int *max) __attribute__((warn_unused_result));
/* The Chinese name of a level (低, 中, 高, 极高), "" for an unknown one. Static storage. */
const char *risk_level_zh(const char *level);

/* POST /risks, PATCH /risks/{id}. Ids are 0 when absent (null); review_on NULL means none. */
struct nl_risk_input {
	const char *title;           /* 1..200 characters, not blank */
	const char *element;         /* people | process | technology | resources */
	int64_t likelihood;          /* 1..5 */
	int64_t impact;              /* 1..5 */
	const char *mitigation;      /* may be empty */
	int64_t owner_user_id;       /* an active user, or 0 */
	const char *review_on;       /* YYYY-MM-DD (a past date is allowed: the review is then overdue), or NULL */
	const char *status;          /* open | mitigating | accepted | closed; NULL on creation: open */
	int64_t plan_item_id;        /* an existing plan item, or 0 */
};

/* What a PATCH changes (bit i = field i of the API's table). */
#define NL_RISK_SET_TITLE 0x001u
#define NL_RISK_SET_ELEMENT 0x002u
#define NL_RISK_SET_LIKELIHOOD 0x004u
#define NL_RISK_SET_IMPACT 0x008u
#define NL_RISK_SET_MITIGATION 0x010u
#define NL_RISK_SET_OWNER 0x020u
#define NL_RISK_SET_REVIEW_ON 0x040u
#define NL_RISK_SET_STATUS 0x080u
#define NL_RISK_SET_PLAN_ITEM 0x100u

/* Registers a risk. NL_EVALID naming the field: blank title, unknown element or status, likelihood or impact outside
 * 1..5, review_on not a calendar date, an owner who is not an active user, an unknown plan item. *out is the risk. */
int risk_create(struct nl_ctx *ctx, const struct nl_risk_input *in, json_t **out) __attribute__((warn_unused_result));

/* Changes the fields named in `set`; the merged risk is validated as on creation. Any status may follow any other
 * (a closed risk may be reopened). NL_ENOTFOUND. *out is the risk as it now is. */
int risk_update(struct nl_ctx *ctx, int64_t id, const struct nl_risk_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));

/* One risk: its columns with "owner" (display name), "plan_item_area", "plan_item_year", "score", "level",
 * "review_overdue" and "review_overdue_days" (0 when not overdue). NL_ENOTFOUND. */
int risk_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

struct nl_risk_filter {
	const char *element;         /* NULL: all (NL_EINVAL naming "element" for an unknown one) */
	const char *status;          /* NULL: all (NL_EINVAL naming "status") */
	int64_t owner_user_id;       /* 0: all */
	const char *level;           /* NULL: all (NL_EINVAL naming "level") */
	int review_overdue;          /* -1: either; 1: only overdue reviews; 0: only risks whose review is not overdue */
	int64_t plan_item_id;        /* 0: all */
	int64_t limit, cursor;       /* page by id */
};

/* Lists risks by id into *items (a new array); *next > 0 when more follow. */
int risk_list(struct nl_ctx *ctx, const struct nl_risk_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

/* The 5 × 5 heat map of the risks passing the filter (element, status, owner_user_id, level, review_overdue,
 * plan_item_id; without a status: every risk that is not closed). *out:
 *   {"counts": [[...5 impacts...] × 5 likelihoods] (counts[l-1][i-1]), "cells": [{"likelihood","impact","score",
 *    "level","count"} × 25, likelihood 5 → 1 then impact 1 → 5, the order a heat map is drawn in],
 *    "by_level": {"low","medium","high","critical"}, "total"}. */
int risk_matrix(struct nl_ctx *ctx, const struct nl_risk_filter *f, json_t **out) __attribute__((warn_unused_result));

#endif
