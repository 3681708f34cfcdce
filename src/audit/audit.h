/* audit.h — the hash-chained audit log. Every successful write appends one row inside the write's own transaction:
 * time, actor, action, entity, id, before/after JSON; each row stores SHA-256 over the previous row's hash and its
 * own content, so an edited, inserted or deleted row breaks the chain at that point. */
#ifndef NL_AUDIT_H
#define NL_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

/* Appends a row. Must be called inside the caller's transaction (db_begin); the caller commits. before/after may be
 * NULL; they are borrowed and serialised with sorted keys. Returns 0 or NL_ESTORE / NL_EBUSY. */
int audit_append(struct nl_ctx *ctx, const char *action, const char *entity, int64_t entity_id, const json_t *before,
	const json_t *after) __attribute__((warn_unused_result));

struct nl_audit_verify {
	int64_t rows;          /* rows checked */
	int64_t broken_id;     /* the first row whose link is broken, 0 when the chain holds */
	char reason[256];
};

/* Recomputes the chain from the first row. Returns 0 (result in *v, broken_id 0 when intact) or a store error. */
int audit_verify(struct nl_ctx *ctx, struct nl_audit_verify *v) __attribute__((warn_unused_result));

/* The hash of one row's content given the previous hash (hex), into out[65]. Exposed for the unit tests. */
void audit_row_hash(const char *prev_hash, int64_t id, const char *at, int64_t actor_id, const char *actor,
	const char *action, const char *entity, int64_t entity_id, const char *before, const char *after, char out[65]);

struct nl_audit_filter {
	const char *entity;
	int64_t entity_id;
	int64_t actor_id;
	const char *action;
	const char *from;      /* YYYY-MM-DD inclusive */
	const char *to;
	int64_t limit;
	int64_t cursor;        /* rows with id < cursor; 0: newest */
};

/* Lists rows newest first into *items (a new JSON array); *next_cursor > 0 when more rows exist. */
int audit_list(struct nl_ctx *ctx, const struct nl_audit_filter *f, json_t **items, int64_t *next_cursor)
	__attribute__((warn_unused_result));

/* The current UTC time as RFC 3339 ("2026-11-28T08:00:00Z") into out[24]. */
void audit_now_rfc3339(char out[24]);
/* The time of the action described by ctx (ctx->now: the request's start, or the time the command line acts at —
 * the demo back-dates its steps) as RFC 3339 into out[24]; the wall clock when ctx->now is 0. Records use this; the
 * audit log itself always uses the wall clock. */
void ctx_now_rfc3339(const struct nl_ctx *ctx, char out[24]);



/* Ends a write: appends nothing, commits when rc == 0, rolls back otherwise; returns rc (or the commit's error).
 * The usual shape: db_begin → writes → audit_append → tx_end(ctx, rc). */
int tx_end(struct nl_ctx *ctx, int rc) __attribute__((warn_unused_result));
#endif
