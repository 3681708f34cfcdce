/* complaint.h — complaints (投诉): register → verify → answer → rectify → archive, reopening allowed, with a history of
 * every step, and the periodic analysis the policy asks for (定期进行分析和总结: by category, department and partner;
 * valid share; answered in time; repeat complaints from the same customer).
 *
 * The lifecycle (complaint_transition is the one table of it):
 *   registered --verify--> verified          (verify again while verified: the latest verdict counts)
 *   verified   --answer--> answered
 *   answered   --rectify-> rectified         (valid complaints only)
 *   rectified  --archive-> archived          (valid complaints)
 *   answered   --archive-> archived          (invalid complaints: nothing to rectify)
 *   answered | rectified | archived --reopen--> verified   (reopen_count + 1; verify again if the verdict changes)
 * answer_deadline defaults to received_at + NL_COMPLAINT_ANSWER_HOURS calendar hours. answered_at is the FIRST answer
 * (the one the deadline is about; a reopening does not move it), last_answered_at the latest; answered_in_time =
 * answered_at <= answer_deadline. Every write runs in one transaction with its audit row and marks the complaint's
 * (department, received_day) dirty for the measures engine. */
#ifndef NL_COMPLAINT_H
#define NL_COMPLAINT_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "cycle/period.h"

/* The default time to answer a complaint: calendar hours after it was received. */
#define NL_COMPLAINT_ANSWER_HOURS 48

struct nl_complaint_input {
	const char *channel;          /* required, 1..50 characters (phone, email, web, letter, visit, ...) */
	int64_t customer_id;          /* 0: none */
	int64_t ticket_id;            /* 0: none */
	int64_t partner_id;           /* 0: none */
	int64_t department_id;        /* 0: the related ticket's department, else none */
	const char *category;         /* required, 1..100 characters */
	const char *content;          /* required */
	const char *received_at;      /* RFC 3339; NULL: now; never in the future */
	const char *answer_deadline;  /* RFC 3339; NULL: received_at + NL_COMPLAINT_ANSWER_HOURS h; not before received_at */
};

/* Registers a complaint (status "registered") as ctx->actor. *out gets it with its history. NL_EVALID naming the field
 * for a bad time, an unknown customer, ticket or department. */
int complaint_register(struct nl_ctx *ctx, const struct nl_complaint_input *in, json_t **out) __attribute__((warn_unused_result));

/* One complaint into *out (caller owns); with history = 1 its "history" array of steps, oldest first. The customer is
 * embedded with phone and e-mail masked unless ctx->actor may see personal data (customer.pii). NL_ENOTFOUND. */
int complaint_get(struct nl_ctx *ctx, int64_t id, int history, json_t **out) __attribute__((warn_unused_result));

struct nl_complaint_filter {
	const char *status;      /* NULL: all; else one of the five statuses (NL_EINVAL naming "status" otherwise) */
	int64_t department_id;   /* 0: all */
	int64_t customer_id;     /* 0: all */
	int64_t partner_id;      /* 0: all */
	const char *category;    /* NULL: all */
	const char *from, *to;   /* received_day, inclusive; NULL: open */
	int64_t limit, cursor;   /* page by id */
};
int complaint_list(struct nl_ctx *ctx, const struct nl_complaint_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

/* The lifecycle steps. Each answers the complaint as it now is (with history) in *out; NL_ENOTFOUND; NL_ESTATE
 * (409 invalid_state) when the step is not allowed in the complaint's state; nothing changes on any error.
 * valid: 1/0; findings, content, reason: required text; note: optional. */
int complaint_verify(struct nl_ctx *ctx, int64_t id, int valid, const char *findings, json_t **out) __attribute__((warn_unused_result));
int complaint_answer(struct nl_ctx *ctx, int64_t id, const char *content, json_t **out) __attribute__((warn_unused_result));
int complaint_rectify(struct nl_ctx *ctx, int64_t id, const char *content, json_t **out) __attribute__((warn_unused_result));
int complaint_archive(struct nl_ctx *ctx, int64_t id, const char *note, json_t **out) __attribute__((warn_unused_result));
int complaint_reopen(struct nl_ctx *ctx, int64_t id, const char *reason, json_t **out) __attribute__((warn_unused_result));

/* The lifecycle table (pure). For a complaint in `status` with verdict `valid` (1, 0, or -1 when not verified), sets
 * *to to the status after `action` ("verify", "answer", "rectify", "archive", "reopen") and returns 0; or returns
 * NL_ESTATE with *why set to a sentence saying what is possible instead. Static strings. */
int complaint_transition(const char *status, int valid, const char *action, const char **to, const char **why)
	__attribute__((warn_unused_result));

struct nl_complaint_analysis_query {
	const char *from, *to;          /* received_day range, inclusive, required */
	enum nl_period_kind kind;       /* periods of the table: month, quarter or year */
	int64_t department_id;          /* 0: every department */
};

/* The analysis table: {"from","to","period","department_id","periods":[row...],"total":row} where a row is
 * {"period","complaints","verified","valid","invalid","unverified","valid_share","answered","answered_in_time",
 *  "answered_in_time_share","archived","repeat_customers","repeat_complaints","repeats":[{"customer_id","customer","complaints"}],
 *  "by_category":[{"category",counts}],"by_department":[{"department_id","department",counts}],
 *  "by_partner":[{"partner_id",counts}]}, counts = "complaints","valid","answered_in_time".
 * valid_share = valid ÷ complaints and answered_in_time_share = answered in time ÷ complaints (the measures'
 * definitions), rounded to 4 decimals, null without complaints. Every period of the range is listed, empty ones too.
 * NL_EINVAL naming from/to for a bad or too long range (at most 240 periods). */
int complaint_analysis(struct nl_ctx *ctx, const struct nl_complaint_analysis_query *q, json_t **out)
	__attribute__((warn_unused_result));

#endif
