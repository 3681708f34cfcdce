/* customer.h — customer records (客户档案): name, organisation, phone, e-mail, notes. Phone and e-mail are personal
 * data: every JSON object produced here shows them in full only when ctx->actor holds customer.pii, masked otherwise
 * (records/pii.h) — and always masked in the audit log. Every write validates, runs in one transaction and appends
 * its audit row. Returned JSON objects belong to the caller. */
#ifndef NL_CUSTOMER_H
#define NL_CUSTOMER_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

struct nl_customer_input {
	const char *name;           /* 1–200 characters */
	const char *organisation;   /* may be "" */
	const char *phone;          /* "" or pii_phone_valid */
	const char *email;          /* "" or pii_email_valid */
	const char *notes;
};
#define NL_CUSTOMER_SET_NAME 0x01u
#define NL_CUSTOMER_SET_ORGANISATION 0x02u
#define NL_CUSTOMER_SET_PHONE 0x04u
#define NL_CUSTOMER_SET_EMAIL 0x08u
#define NL_CUSTOMER_SET_NOTES 0x10u

/* Creates a customer (NULL fields are ""). NL_EVALID naming the field for a bad phone or e-mail. */
int customer_create(struct nl_ctx *ctx, const struct nl_customer_input *in, json_t **out) __attribute__((warn_unused_result));
/* Changes the fields whose NL_CUSTOMER_SET_* bit is in `set`. NL_ENOTFOUND, NL_EVALID. */
int customer_update(struct nl_ctx *ctx, int64_t id, const struct nl_customer_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));
/* {"id","name","organisation","phone","email","notes","pii_masked","created_at","updated_at"}. NL_ENOTFOUND. */
int customer_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* Customers in id order; q (may be NULL) matches name or organisation (substring). */
int customer_list(struct nl_ctx *ctx, const char *q, int64_t limit, int64_t cursor, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));
/* The customer as embedded in tickets: {"id","name","organisation","phone","email","pii_masked"} (masked per
 * ctx->actor), or JSON null when id is 0 or unknown. Returns 0 or a store error. */
int customer_embed(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* 0 when a customer with this id exists, NL_EVALID naming `field` otherwise (or a store error). */
int customer_check(struct nl_ctx *ctx, int64_t id, const char *field) __attribute__((warn_unused_result));

#endif
