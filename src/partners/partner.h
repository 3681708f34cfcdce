/* partner.h — partner / agent (代理商) profiles: qualifications, industry experience, region, contract period, status
 * (candidate → active ⇄ suspended → terminated, see partner_rules.h), the selection record (how and why the partner was
 * chosen), the contact person — whose phone is personal data, masked like customers' (records/pii.h) for readers
 * without customer.pii, in the audit log too — and the tickets a partner handled (tickets.partner_id), which its record
 * measures are computed from. Every write validates first, runs in one transaction and appends its audit row. */
#ifndef NL_PARTNER_H
#define NL_PARTNER_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

struct nl_partner_input {
	const char *name, *region, *qualifications, *industry_experience, *contact_name, *contact_phone;
	const char *contract_start, *contract_end;     /* YYYY-MM-DD or NULL */
	const char *status, *selection_record;
	int64_t department_id;                         /* 0: none */
};
/* PATCH: which fields were given (a NULL date or department clears it). */
#define NL_PARTNER_SET_NAME (1u << 0)
#define NL_PARTNER_SET_REGION (1u << 1)
#define NL_PARTNER_SET_QUALIFICATIONS (1u << 2)
#define NL_PARTNER_SET_EXPERIENCE (1u << 3)
#define NL_PARTNER_SET_CONTACT_NAME (1u << 4)
#define NL_PARTNER_SET_CONTACT_PHONE (1u << 5)
#define NL_PARTNER_SET_CONTRACT_START (1u << 6)
#define NL_PARTNER_SET_CONTRACT_END (1u << 7)
#define NL_PARTNER_SET_STATUS (1u << 8)
#define NL_PARTNER_SET_SELECTION (1u << 9)
#define NL_PARTNER_SET_DEPARTMENT (1u << 10)

/* Creates a partner (status defaults to candidate). *out: partner_get's shape. NL_EVALID naming the field (a phone of
 * the wrong shape, contract_end before contract_start, an unknown department); NL_ECONFLICT "name" for a name in use. */
int partner_create(struct nl_ctx *ctx, const struct nl_partner_input *in, json_t **out) __attribute__((warn_unused_result));
/* Changes the fields whose NL_PARTNER_SET_* bit is in `set`. NL_ENOTFOUND; NL_EVALID as for create; NL_ESTATE for a
 * status change partner_status_transition_ok refuses. */
int partner_update(struct nl_ctx *ctx, int64_t id, const struct nl_partner_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));
/* One partner: its profile (contact_phone masked per ctx->actor, "pii_masked"), "latest_assessments" (the four most
 * recent quarters, newest first: id, period, total, grade, created_at), "ratings" (every annual rating, newest year
 * first: year, total, grade, status, missing_quarters), "rewards" (rewards and penalties recorded for it through
 * POST /rewards: id, kind, reason, cause_type, cause_id, amount, status, created_at, decided_at) and "tickets_linked".
 * NL_ENOTFOUND. */
int partner_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* The profile alone (no assessments, ratings or rewards), masked per ctx->actor; full = 1 unmasks, 0 masks whatever
 * the actor (audit rows). NL_ENOTFOUND naming `field` (NULL: no field). */
int partner_profile(struct nl_ctx *ctx, int64_t id, int full, const char *field, json_t **out)
	__attribute__((warn_unused_result));
/* The name and status of a partner (for the other partner modules); NL_ENOTFOUND. name_out gets at most n bytes. */
int partner_status(struct nl_ctx *ctx, int64_t id, char *name_out, size_t n, char status_out[16])
	__attribute__((warn_unused_result));

struct nl_partner_filter {
	const char *status, *region, *q;   /* NULL: any; q matches the name */
	int64_t department_id;             /* 0: any */
	int64_t limit, cursor;
};
/* Partners in id order, each with "latest_assessment" ({period,total,grade} or null). NL_EVALID naming "status" for
 * an unknown status. */
int partner_list(struct nl_ctx *ctx, const struct nl_partner_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

/* Links tickets to the partner (tickets.partner_id): each id must be a ticket (NL_EVALID naming "ticket_ids[i]"); a
 * ticket linked to another partner moves to this one (assessments already recorded keep their scores). *out:
 * {"partner_id","linked":[ids],"moved":[{"ticket_id","from_partner_id"}]}. NL_ENOTFOUND for the partner. */
int partner_link_tickets(struct nl_ctx *ctx, int64_t id, const int64_t *ticket_ids, size_t n, json_t **out)
	__attribute__((warn_unused_result));
/* Unlinks one ticket; NL_ENOTFOUND when the partner does not exist or the ticket is not linked to it.
 * *out: {"partner_id","ticket_id","linked":false}. */
int partner_unlink_ticket(struct nl_ctx *ctx, int64_t id, int64_t ticket_id, json_t **out) __attribute__((warn_unused_result));
/* The tickets linked to the partner, in id order, optionally opened from..to (YYYY-MM-DD inclusive, NULL: open):
 * id, external_id, title, priority, status, opened_day, resolved, sla_response_met, sla_resolution_met, rating. */
int partner_tickets(struct nl_ctx *ctx, int64_t id, const char *from, const char *to, int64_t limit, int64_t cursor,
	json_t **items, int64_t *next) __attribute__((warn_unused_result));

#endif
