/* import.h — ticket imports (CONTRACT.md "Service records"): CSV with a column mapping, JSON lines, and the ServiceNow
 * incident event-log export (records/servicenow.h), streamed through a push interface (import_feed takes the file in
 * chunks of any size; memory does not grow with the file, except the ServiceNow reduction's bounded per-incident
 * state). An import is:
 *  - idempotent by (source, external_id): a ticket whose values would not change is left alone ("unchanged"); re-importing
 *    the same file changes nothing;
 *  - all-or-nothing: one transaction; when any line is rejected, nothing is written but the imports row (status
 *    "failed") with every rejected line's number and reason;
 *  - one audited action: one audit row per import with its counts and the file's SHA-256, never one per ticket;
 *  - fast: tickets are looked up and written in batches with reused prepared statements, SLA verdicts come from a
 *    loaded SLA set and zone offsets from the cached zone, the measures engine is told once per distinct
 *    (department, day).
 * CSV and JSON lines carry the ticket fields by name (headers/keys equal to the field names, or a mapping
 * {"field": "Header"}): external_id, priority, opened_at (required); title, channel, category, status, department_id,
 * department (a department's code or name, or an alias), customer_id, assigned_at, first_response_at, resolved_at,
 * closed_at, reassignment_count, reopen_count, sla_source_made (or made_sla), source (must equal the import's source).
 * Other columns are ignored. Timestamps: RFC 3339, or "YYYY-MM-DD HH:MM[:SS]" read in the organisation's time zone.
 * On an update, fields the file does not carry keep their stored values. */
#ifndef NL_IMPORT_H
#define NL_IMPORT_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

/* At most this many rejected lines and warnings are listed (all are counted). */
#define NL_IMPORT_MAX_REJECTED 10000
#define NL_IMPORT_MAX_WARNINGS 1000

struct nl_import_options {
	const char *format;            /* "csv", "jsonl" or "servicenow" */
	const char *source;            /* NULL or "": "servicenow" for that format, else "import" */
	const json_t *mapping;         /* {"field": "Header name"} or NULL (borrowed) */
	/* Called now and then while reading (bytes consumed so far, data rows so far) and once with done = 1 when the
	 * writing phase starts; may be NULL. */
	void (*progress)(void *user, uint64_t bytes, int64_t rows, int done);
	void *progress_user;
};

struct nl_import;   /* one running import; owned by its creator (import_free) */

/* Starts an import: checks the options (NL_EVALID naming "format", "source" or "mapping"), loads departments,
 * aliases, the SLA set and the zone, and opens the transaction. */
int import_begin(struct nl_ctx *ctx, const struct nl_import_options *o, struct nl_import **out)
	__attribute__((warn_unused_result));
/* Feeds n more bytes of the file. Returns 0, or an error about the whole file (NL_EVALID naming "file" or "mapping":
 * missing required columns, a mapping naming a column the file lacks; NL_ETOOLARGE past the ServiceNow bounds) or
 * a store error; after an error, call import_free (nothing is written). */
int import_feed(struct nl_import *im, const void *data, size_t n) __attribute__((warn_unused_result));
/* Ends the file and completes the import: commits (status "done"), or rolls back and records the failed import
 * (status "failed") when lines were rejected. *report: import_get's shape (caller owns). Returns 0 in both cases;
 * a file-level or store error otherwise (nothing written). */
int import_finish(struct nl_import *im, json_t **report) __attribute__((warn_unused_result));
/* Frees the import; rolls back when it did not finish. Safe on NULL. */
void import_free(struct nl_import *im);

/* {"id","source","format","status","file_sha256","rows_read","tickets","inserted","updated","unchanged","rejected",
 * "rejected_count","warnings","warnings_count","by_user_id","started_at","finished_at"}. NL_ENOTFOUND. */
int import_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* Imports in id order, without the rejected and warnings lists (their counts only). */
int import_list(struct nl_ctx *ctx, int64_t limit, int64_t cursor, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

/* Department aliases: [{"source","name","department_id"}] in (source, name) order. */
int department_aliases_get(struct nl_ctx *ctx, json_t **out) __attribute__((warn_unused_result));
/* Replaces every alias by `items` (an array of {"source","name","department_id"}; source "*" = every source).
 * NL_EVALID naming items[i].field. *out: the new list. */
int department_aliases_put(struct nl_ctx *ctx, const json_t *items, json_t **out) __attribute__((warn_unused_result));

#endif
