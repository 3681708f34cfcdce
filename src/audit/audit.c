/* audit.c — appending to and verifying the hash-chained audit log, and listing it. */
#include "audit/audit.h"

#include "auth/session.h"
#include "core/json.h"
#include "core/log.h"
#include "store/rows.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_LOCK_KEY 7301001

static void format_rfc3339(time_t t, char out[24])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 24, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
		(unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
		(unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
}

void audit_now_rfc3339(char out[24])
{
	format_rfc3339(time(NULL), out);
}

void ctx_now_rfc3339(const struct nl_ctx *ctx, char out[24])
{
	format_rfc3339(ctx && ctx->now > 0 ? (time_t)ctx->now : time(NULL), out);
}

/* Feeds one field followed by a separator that cannot occur unescaped in the fields' JSON or text. */
static void hash_field(crypto_hash_sha256_state *h, const char *s)
{
	if (s)
		crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)"\x1f", 1);
}

void audit_row_hash(const char *prev_hash, int64_t id, const char *at, int64_t actor_id, const char *actor,
	const char *action, const char *entity, int64_t entity_id, const char *before, const char *after, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char num[3][24];
	snprintf(num[0], sizeof num[0], "%lld", (long long)id);
	snprintf(num[1], sizeof num[1], "%lld", (long long)actor_id);
	snprintf(num[2], sizeof num[2], "%lld", (long long)entity_id);
	crypto_hash_sha256_init(&h);
	hash_field(&h, prev_hash);
	hash_field(&h, num[0]);
	hash_field(&h, at);
	hash_field(&h, num[1]);
	hash_field(&h, actor);
	hash_field(&h, action);
	hash_field(&h, entity);
	hash_field(&h, num[2]);
	hash_field(&h, before ? before : "null");
	hash_field(&h, after ? after : "null");
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

static char *dump(const json_t *j)
{
	return j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) : NULL;
}

int audit_append(struct nl_ctx *ctx, const char *action, const char *entity, int64_t entity_id, const json_t *before,
	const json_t *after)
{
	int rc = NL_ESTORE;
	struct nl_stmt *st = NULL;
	char *b = dump(before), *a = dump(after);
	char prev[65] = GENESIS, hash[65], at[24];
	int64_t last_id = 0;
	if ((before && !b) || (after && !a)) {
		rc = NL_ENOMEM;
		goto out;
	}
	if (!db_in_transaction(ctx->db)) {
		NL_LOG(NL_LOG_ERROR, "audit_append outside a transaction (%s %s)", action, entity);
		rc = NL_EINTERNAL;
		goto out;
	}
	if (db_kind(ctx->db) == NL_STORE_POSTGRES) {
		/* Serialise appenders across servers: the chain needs the true last row. */
		if ((rc = db_prepare(ctx->db, "SELECT pg_advisory_xact_lock(7301001)", &st)) || (rc = stmt_step(st)) < 0)
			goto out;
		stmt_done(st);
		st = NULL;
	}
	if ((rc = db_prepare(ctx->db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &st)))
		goto out;
	if ((rc = stmt_step(st)) < 0)
		goto out;
	if (rc == 1) {
		last_id = stmt_column_int64(st, 0);
		snprintf(prev, sizeof prev, "%s", stmt_column_text(st, 1));
	}
	stmt_done(st);
	st = NULL;
	audit_now_rfc3339(at);
	int64_t actor_id = ctx->actor ? ctx->actor->id : 0;
	const char *actor = ctx->actor_name ? ctx->actor_name : (ctx->actor ? ctx->actor->username : "system");
	audit_row_hash(prev, last_id + 1, at, actor_id, actor, action, entity, entity_id, b, a, hash);
	if ((rc = db_prepare(ctx->db,
		     "INSERT INTO audit_log (id, at, actor_id, actor, action, entity, entity_id, before_json, after_json,"
		     " request_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)", &st)))
		goto out;
	stmt_bind_int64(st, 1, last_id + 1);
	stmt_bind_text(st, 2, at);
	if (actor_id)
		stmt_bind_int64(st, 3, actor_id);
	else
		stmt_bind_null(st, 3);
	stmt_bind_text(st, 4, actor);
	stmt_bind_text(st, 5, action);
	stmt_bind_text(st, 6, entity);
	if (entity_id)
		stmt_bind_int64(st, 7, entity_id);
	else
		stmt_bind_null(st, 7);
	stmt_bind_text(st, 8, b);
	stmt_bind_text(st, 9, a);
	stmt_bind_text(st, 10, ctx->request_id ? ctx->request_id : "");
	stmt_bind_text(st, 11, prev);
	stmt_bind_text(st, 12, hash);
	rc = stmt_step(st);
	rc = rc < 0 ? rc : 0;
out:
	stmt_done(st);
	free(b);
	free(a);
	return rc;
}

int audit_verify(struct nl_ctx *ctx, struct nl_audit_verify *v)
{
	struct nl_stmt *st = NULL;
	char prev[65] = GENESIS;
	int64_t expect_id = 1;
	memset(v, 0, sizeof *v);
	int rc = db_prepare(ctx->db,
		"SELECT id, at, actor_id, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash"
		" FROM audit_log ORDER BY id", &st);
	if (rc)
		return rc;
	while ((rc = stmt_step(st)) == 1) {
		int64_t id = stmt_column_int64(st, 0);
		char hash[65];
		const char *stored_prev = stmt_column_text(st, 9), *stored = stmt_column_text(st, 10);
		v->rows++;
		if (id != expect_id) {
			v->broken_id = id;
			snprintf(v->reason, sizeof v->reason, "row %lld follows row %lld: rows are missing", (long long)id,
				(long long)expect_id - 1);
			break;
		}
		if (!stored_prev || strcmp(stored_prev, prev) != 0) {
			v->broken_id = id;
			snprintf(v->reason, sizeof v->reason, "row %lld does not link to the hash of the row before it", (long long)id);
			break;
		}
		audit_row_hash(prev, id, stmt_column_text(st, 1), stmt_column_int64(st, 2), stmt_column_text(st, 3),
			stmt_column_text(st, 4), stmt_column_text(st, 5), stmt_column_int64(st, 6), stmt_column_text(st, 7),
			stmt_column_text(st, 8), hash);
		if (!stored || strcmp(stored, hash) != 0) {
			v->broken_id = id;
			snprintf(v->reason, sizeof v->reason, "row %lld was changed after it was written (its hash does not match)",
				(long long)id);
			break;
		}
		memcpy(prev, hash, sizeof prev);
		expect_id++;
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static const struct nl_col audit_cols[] = {
	{ "id", NL_COL_INT }, { "at", NL_COL_TEXT }, { "actor_id", NL_COL_ID }, { "actor", NL_COL_TEXT },
	{ "action", NL_COL_TEXT }, { "entity", NL_COL_TEXT }, { "entity_id", NL_COL_ID }, { "before", NL_COL_JSON },
	{ "after", NL_COL_JSON }, { "request_id", NL_COL_TEXT }, { "hash", NL_COL_TEXT },
};

int audit_list(struct nl_ctx *ctx, const struct nl_audit_filter *f, json_t **items, int64_t *next_cursor)
{
	struct nl_stmt *st = NULL;
	int more = 0;
	*items = NULL;
	*next_cursor = 0;
	int rc = db_prepare(ctx->db,
		"SELECT id, at, actor_id, actor, action, entity, entity_id, before_json, after_json, request_id, hash"
		" FROM audit_log WHERE ($1 = 0 OR id < $1) AND ($2 = '' OR entity = $2) AND ($3 = 0 OR entity_id = $3)"
		" AND ($4 = 0 OR actor_id = $4) AND ($5 = '' OR action = $5) AND ($6 = '' OR at >= $6)"
		" AND ($7 = '' OR at < $7) ORDER BY id DESC LIMIT $8", &st);
	if (rc)
		return rc;
	char to_next[32] = "";
	if (f->to)
		snprintf(to_next, sizeof to_next, "%sT99", f->to); /* any time on the 'to' day sorts before "T99" */
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_text(st, 2, f->entity ? f->entity : "");
	stmt_bind_int64(st, 3, f->entity_id);
	stmt_bind_int64(st, 4, f->actor_id);
	stmt_bind_text(st, 5, f->action ? f->action : "");
	stmt_bind_text(st, 6, f->from ? f->from : "");
	stmt_bind_text(st, 7, to_next);
	stmt_bind_int64(st, 8, f->limit + 1);
	if ((rc = stmt_rows_json(st, audit_cols, NL_ARRAY_LEN(audit_cols), (size_t)f->limit, items, &more)))
		return rc;
	if (more)
		*next_cursor = json_integer_value(json_object_get(json_array_get(*items, json_array_size(*items) - 1), "id"));
	return 0;
}

int tx_end(struct nl_ctx *ctx, int rc)
{
	if (rc == 0)
		rc = db_commit(ctx->db);
	if (rc != 0)
		db_rollback(ctx->db);
	return rc;
}
