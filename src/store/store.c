/* store.c — the engine-neutral half of the store: the connection pool (mutex + condition variable), the
 * per-connection statement cache keyed by SQL text, transaction bookkeeping, and the dispatch of every
 * public call to the backend's vtable (sqlite.c, postgres.c). */
#include "store/storeInt.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

#define NL_BACKUP_ACQUIRE_MS 30000

static atomic_uint_fast64_t store_errors;

/* ---- helpers shared with the backends ---- */

/* Records, logs and counts a driver error (see storeInt.h); returns code. */
int store_driver_error(struct nl_db *db, int code, const char *msg, const char *sql)
{
	snprintf(db->last_error, sizeof db->last_error, "%s", msg && *msg ? msg : "unknown driver error");
	size_t n = strlen(db->last_error);
	while (n > 0 && (db->last_error[n - 1] == '\n' || db->last_error[n - 1] == ' '))
		db->last_error[--n] = '\0';
	if (code != NL_ECONFLICT)
		atomic_fetch_add(&store_errors, 1);
	int level = code == NL_ECONFLICT ? NL_LOG_WARN : NL_LOG_ERROR;
	if (sql)
		NL_LOG(level, "store: %s [sql: %.160s%s]", db->last_error, sql, strlen(sql) > 160 ? "..." : "");
	else
		NL_LOG(level, "store: %s", db->last_error);
	return code;
}

/* Appends n bytes of s at out[*pos], keeping room for the NUL; sets *trunc when it does not fit. */
static void mask_put(char *out, size_t outlen, size_t *pos, const char *s, size_t n, int *trunc)
{
	if (*pos + n >= outlen) {
		n = outlen - 1 - *pos;
		*trunc = 1;
	}
	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = '\0';
}

/* Copies a URL's query string (from '?') masking the value of each password= parameter. */
static void mask_query(const char *q, char *out, size_t outlen, size_t *pos, int *trunc)
{
	while (*q) {
		size_t seg = strcspn(q + 1, "&#") + 1;     /* the separator and the parameter after it */
		if (strncmp(q + 1, "password=", 9) == 0) {
			mask_put(out, outlen, pos, q, 10, trunc);
			mask_put(out, outlen, pos, "***", 3, trunc);
		} else {
			mask_put(out, outlen, pos, q, seg, trunc);
		}
		q += seg;
	}
}

/* Masks the password of a PostgreSQL URL (see storeInt.h); other strings are copied as they are. */
int store_mask_url(const char *url, char *out, size_t outlen)
{
	size_t pos = 0;
	int trunc = 0;
	if (outlen == 0)
		return NL_ENOMEM;
	out[0] = '\0';
	const char *auth = strstr(url, "://");
	if (strncmp(url, "postgres", 8) != 0 || !auth) {
		mask_put(out, outlen, &pos, url, strlen(url), &trunc);
		goto out;
	}
	auth += 3;
	size_t alen = strcspn(auth, "/?#");
	const char *at = NULL;
	for (const char *p = auth; p < auth + alen; p++)
		if (*p == '@')
			at = p;
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		mask_put(out, outlen, &pos, url, (size_t)(colon + 1 - url), &trunc);
		mask_put(out, outlen, &pos, "***", 3, &trunc);
		mask_put(out, outlen, &pos, at, (size_t)(auth + alen - at), &trunc);
	} else {
		mask_put(out, outlen, &pos, url, (size_t)(auth + alen - url), &trunc);
	}
	const char *rest = auth + alen;
	const char *query = strchr(rest, '?');
	if (!query) {
		mask_put(out, outlen, &pos, rest, strlen(rest), &trunc);
		goto out;
	}
	mask_put(out, outlen, &pos, rest, (size_t)(query - rest), &trunc);
	mask_query(query, out, outlen, &pos, &trunc);
out:
	return trunc ? NL_ENOMEM : 0;
}

/* ---- statement cache ---- */

/* FNV-1a, 64 bits: the cache compares hashes before texts. */
static uint64_t sql_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Finalizes and frees one statement (not removed from the cache array: the caller does that). */
static void stmt_free(struct nl_stmt *st, int server_gone)
{
	if (!st)
		return;
	if (st->impl)
		st->db->ops->finalize(st, server_gone);
	free(st->sql);
	free(st);
}

/* Frees every cached statement (server_gone: the backend lost them with its session). */
static void cache_clear(struct nl_db *db, int server_gone)
{
	for (size_t i = 0; i < db->nstmts; i++)
		stmt_free(db->stmts[i], server_gone);
	db->nstmts = 0;
}

/* Drops least-recently-used idle statements while the cache holds more than NL_STMT_CACHE_MAX. */
static void cache_evict(struct nl_db *db)
{
	while (db->nstmts > NL_STMT_CACHE_MAX) {
		size_t victim = db->nstmts;
		for (size_t i = 0; i < db->nstmts; i++)
			if (!db->stmts[i]->in_use && (victim == db->nstmts ||
					db->stmts[i]->last_use < db->stmts[victim]->last_use))
				victim = i;
		if (victim == db->nstmts)
			return;      /* all in use: shrink later, in stmt_done() */
		stmt_free(db->stmts[victim], 0);
		db->stmts[victim] = db->stmts[--db->nstmts];
	}
}

/* An idle cached statement with exactly this text, or NULL. */
static struct nl_stmt *cache_find_idle(struct nl_db *db, const char *sql, size_t n, uint64_t h)
{
	for (size_t i = 0; i < db->nstmts; i++) {
		struct nl_stmt *st = db->stmts[i];
		if (!st->in_use && st->hash == h && st->sql_len == n && memcmp(st->sql, sql, n) == 0)
			return st;
	}
	return NULL;
}

/* Appends st to the cache array, growing it; NL_ENOMEM when it cannot. */
static int cache_add(struct nl_db *db, struct nl_stmt *st)
{
	if (db->nstmts == db->stmts_alloc) {
		size_t na = db->stmts_alloc ? db->stmts_alloc * 2 : 16;
		struct nl_stmt **p = realloc(db->stmts, na * sizeof *p);
		if (!p)
			return NL_ENOMEM;
		db->stmts = p;
		db->stmts_alloc = na;
	}
	db->stmts[db->nstmts++] = st;
	return 0;
}

/* Resets the statements a caller forgot to finish before releasing the connection. */
static void cache_reset_in_use(struct nl_db *db)
{
	for (size_t i = 0; i < db->nstmts; i++) {
		if (db->stmts[i]->in_use) {
			NL_LOG(NL_LOG_WARN, "store: statement released without stmt_done(): %.120s", db->stmts[i]->sql);
			stmt_done(db->stmts[i]);
		}
	}
	cache_evict(db);
}

/* Creates and prepares a statement for sql (n bytes, hash h). */
static int stmt_new(struct nl_db *db, const char *sql, size_t n, uint64_t h, struct nl_stmt **out)
{
	int rc = NL_ENOMEM;
	struct nl_stmt *st = calloc(1, sizeof *st);
	if (!st)
		goto out;
	st->db = db;
	st->sql = malloc(n + 1);
	if (!st->sql)
		goto out;
	memcpy(st->sql, sql, n + 1);
	st->sql_len = n;
	st->hash = h;
	rc = db->ops->prepare(db, st);
	if (rc < 0)
		goto out;
	*out = st;
	st = NULL;
	rc = 0;
out:
	stmt_free(st, 0);
	return rc;
}

/* ---- the pool ---- */

/* Copies in (or the defaults when NULL) into o; call after parse_target() (timeouts depend on the engine). */
static void fill_options(struct nl_store *s, const struct nl_store_options *in)
{
	struct nl_store_options *o = &s->opt;
	memset(o, 0, sizeof *o);
	if (in)
		*o = *in;
	else
		o->create = 1;
	if (o->pool_size <= 0)
		o->pool_size = NL_DEFAULT_POOL_SIZE;
	if (o->busy_timeout_ms <= 0)
		o->busy_timeout_ms = s->kind == NL_STORE_SQLITE ? NL_DEFAULT_SQLITE_BUSY_MS : NL_DEFAULT_PG_LOCK_TIMEOUT_MS;
}

/* Picks the backend for url and sets s->target (a file path or a PostgreSQL URL) and s->display_url. */
static int parse_target(struct nl_store *s, const char *url)
{
	const char *path = url;
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		s->kind = NL_STORE_POSTGRES;
		s->ops = &nl_backend_postgres;
	} else {
		s->kind = NL_STORE_SQLITE;
		s->ops = &nl_backend_sqlite;
		if (strncmp(path, "sqlite:", 7) == 0)
			path += 7;
		else if (strncmp(path, "file:", 5) == 0)
			path += 5;
		if (path != url && strncmp(path, "//", 2) == 0)
			path += 2;
		if (*path == '\0')
			path = NL_DEFAULT_SQLITE_PATH;
	}
	size_t n = strlen(path) + 1;
	s->target = malloc(n);
	s->display_url = malloc(2 * n + 16);      /* "***" may be longer than a short password */
	if (!s->target || !s->display_url)
		return NL_ENOMEM;
	memcpy(s->target, path, n);
	return store_mask_url(path, s->display_url, 2 * n + 16);
}

/* Opens one connection and appends it to the pool. */
static int pool_add(struct nl_store *s, char *errbuf, size_t errlen)
{
	int rc = NL_ENOMEM;
	struct nl_db *db = calloc(1, sizeof *db);
	if (!db) {
		snprintf(errbuf, errlen, "out of memory");
		goto out;
	}
	db->store = s;
	db->ops = s->ops;
	rc = s->ops->connect(db, errbuf, errlen);
	if (rc < 0)
		goto out;
	s->conns[s->nconns++] = db;
	s->idle[s->nidle++] = db;
	db = NULL;
	rc = 0;
out:
	free(db);
	return rc;
}

/* Creates the pool's mutex and its condition variable (on the monotonic clock, for timed waits). */
static int pool_init_sync(struct nl_store *s)
{
	pthread_condattr_t ca;
	if (pthread_condattr_init(&ca) != 0)
		return NL_EINTERNAL;
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	int r = pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (r != 0)
		return NL_EINTERNAL;
	if (pthread_mutex_init(&s->mu, NULL) != 0) {
		pthread_cond_destroy(&s->cv);
		return NL_EINTERNAL;
	}
	return 0;
}

/* Opens a store (see store.h). opt may be NULL: a pool of NL_DEFAULT_POOL_SIZE, default timeouts, create. */
int store_open(const char *url, const struct nl_store_options *opt, struct nl_store **out,
	char *errbuf, size_t errlen)
{
	int rc = NL_ENOMEM;
	char dummy[1];
	struct nl_store *s = NULL;
	if (!errbuf || errlen == 0) {
		errbuf = dummy;
		errlen = sizeof dummy;
	}
	errbuf[0] = '\0';
	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s || parse_target(s, url ? url : "") < 0)
		goto fail_msg;
	fill_options(s, opt);
	s->conns = calloc((size_t)s->opt.pool_size, sizeof *s->conns);
	s->idle = calloc((size_t)s->opt.pool_size, sizeof *s->idle);
	if (!s->conns || !s->idle)
		goto fail_msg;
	rc = pool_init_sync(s);
	if (rc < 0) {
		snprintf(errbuf, errlen, "cannot initialise the connection pool");
		goto out;
	}
	s->sync_ready = 1;
	for (int i = 0; i < s->opt.pool_size; i++) {
		rc = pool_add(s, errbuf, errlen);
		if (rc < 0) {
			rc = rc == NL_ENOMEM ? NL_ENOMEM : NL_ESTORE;
			goto out;
		}
	}
	*out = s;
	s = NULL;
	rc = 0;
	goto out;
fail_msg:
	rc = NL_ENOMEM;
	snprintf(errbuf, errlen, "out of memory opening the store");
out:
	store_close(s);
	return rc;
}

/* Closes every connection (held ones too: callers release first) and frees the pool. Safe on NULL. */
void store_close(struct nl_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nconns; i++) {
		struct nl_db *db = s->conns[i];
		cache_clear(db, 0);
		free(db->stmts);
		s->ops->disconnect(db);
		free(db);
	}
	if (s->sync_ready) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
	}
	free(s->conns);
	free(s->idle);
	free(s->target);
	free(s->display_url);
	free(s);
}

/* The engine behind the store. */
enum nl_store_kind store_kind(const struct nl_store *s)
{
	return s->kind;
}

/* The target with its password masked; owned by the store. */
const char *store_display_url(const struct nl_store *s)
{
	return s->display_url;
}

/* Sets *ts to now + ms on the monotonic clock. */
static void deadline_after(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Pops an idle connection, waiting up to timeout_ms (forever when negative). */
static int pool_take(struct nl_store *s, int timeout_ms, struct nl_db **out)
{
	struct timespec until;
	int rc = NL_EBUSY;
	if (timeout_ms > 0)
		deadline_after(&until, timeout_ms);
	pthread_mutex_lock(&s->mu);
	while (s->nidle == 0 && timeout_ms != 0) {
		if (timeout_ms < 0)
			pthread_cond_wait(&s->cv, &s->mu);
		else if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT)
			break;
	}
	if (s->nidle > 0) {
		*out = s->idle[--s->nidle];
		rc = 0;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* Pushes db back on the idle stack and wakes one waiter. */
static void pool_put(struct nl_db *db)
{
	struct nl_store *s = db->store;
	pthread_mutex_lock(&s->mu);
	s->idle[s->nidle++] = db;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* Takes a connection (see store.h); a negative timeout_ms waits for ever. A connection found broken is
 * re-established first (its cached statements are dropped); NL_ESTORE if that fails. */
int store_acquire(struct nl_store *s, int timeout_ms, struct nl_db **out)
{
	struct nl_db *db = NULL;
	*out = NULL;
	int rc = pool_take(s, timeout_ms, &db);
	if (rc < 0) {
		NL_LOG(NL_LOG_WARN, "store: no free connection after %d ms (pool of %d)", timeout_ms, s->opt.pool_size);
		return rc;
	}
	rc = db->ops->check(db);
	if (rc == 1) {
		cache_clear(db, 1);
		rc = 0;
	}
	if (rc < 0) {
		pool_put(db);
		return rc;
	}
	db->last_error[0] = '\0';
	*out = db;
	return 0;
}

/* Returns db to its pool, finishing forgotten statements and rolling back an open transaction. */
void store_release(struct nl_db *db)
{
	if (!db)
		return;
	cache_reset_in_use(db);
	if (db->ops->in_transaction(db)) {
		NL_LOG(NL_LOG_DEBUG, "store: rolling back a transaction left open at release");
		db_rollback(db);
	}
	store_rowver_end(db, 1);
	pool_put(db);
}

/* The engine behind the connection. */
enum nl_store_kind db_kind(const struct nl_db *db)
{
	return db->store->kind;
}

/* ---- transactions and plain SQL ---- */

/* Starts a write transaction; NL_EINVAL when one is already open. */
int db_begin(struct nl_db *db)
{
	if (db->ops->in_transaction(db))
		return store_driver_error(db, NL_EINVAL, "db_begin: a transaction is already open", NULL);
	int rc = db->ops->exec(db, db->store->kind == NL_STORE_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
	if (rc == 0 && (rc = store_rowver_begin(db)) < 0)   /* an armed If-Match check (rowver.c) */
		db_rollback(db);
	return rc;
}

/* Commits; on failure the transaction has been rolled back (nothing of it was kept). */
int db_commit(struct nl_db *db)
{
	if (!db->ops->in_transaction(db))
		return store_driver_error(db, NL_ESTORE,
			"db_commit: no open transaction (rolled back by the driver after an error?)", NULL);
	int rc = store_rowver_commit(db);                    /* row_version + 1 of an armed edit (rowver.c) */
	if (rc == 0)
		rc = db->ops->commit(db);
	if (rc < 0 && db->ops->in_transaction(db))
		db_rollback(db);
	return rc;
}

/* Rolls back when a transaction is open, keeping db_last_error() from the error that led here. */
void db_rollback(struct nl_db *db)
{
	if (db)
		store_rowver_end(db, 0);
	if (db && db->ops->in_transaction(db)) {
		char saved[NL_DB_ERROR_MAX];
		memcpy(saved, db->last_error, sizeof saved);
		if (db->ops->exec(db, "ROLLBACK") == 0)
			memcpy(db->last_error, saved, sizeof saved);   /* keep the error that caused the rollback */
	}
}

/* 1 when the driver has a transaction open (also one failed and awaiting rollback). */
int db_in_transaction(const struct nl_db *db)
{
	return db && db->ops->in_transaction(db);
}

/* Runs parameterless SQL, possibly several statements. */
int db_exec(struct nl_db *db, const char *sql)
{
	if (!db || !sql)
		return NL_EINVAL;
	return db->ops->exec(db, sql);
}

/* The last driver error on db, for logs; "" when none since acquire. */
const char *db_last_error(const struct nl_db *db)
{
	return db ? db->last_error : "";
}

/* ---- statements ---- */

/* Prepares sql, reusing an idle cached statement with the same text (see store.h). */
int db_prepare(struct nl_db *db, const char *sql, struct nl_stmt **out)
{
	*out = NULL;
	if (!db || !sql)
		return NL_EINVAL;
	size_t n = strlen(sql);
	uint64_t h = sql_hash(sql, n);
	struct nl_stmt *st = cache_find_idle(db, sql, n, h);
	if (!st) {
		int rc = stmt_new(db, sql, n, h, &st);
		if (rc < 0)
			return rc;
		if (cache_add(db, st) < 0) {
			stmt_free(st, 0);
			return NL_ENOMEM;
		}
	}
	st->in_use = 1;
	st->state = NL_STMT_FRESH;
	st->changes = 0;
	st->last_use = ++db->tick;
	cache_evict(db);
	*out = st;
	return 0;
}

/* Binding is allowed between db_prepare() and the first stmt_step(). */
static int bind_ok(struct nl_stmt *st)
{
	if (!st || !st->in_use)
		return 0;
	if (st->state != NL_STMT_FRESH) {
		store_driver_error(st->db, NL_EINVAL, "bind after stmt_step()", st->sql);
		return 0;
	}
	return 1;
}

/* Binds a copy of the C string s (NULL: SQL NULL) to $idx. */
int stmt_bind_text(struct nl_stmt *st, int idx, const char *s)
{
	if (!bind_ok(st))
		return NL_EINVAL;
	return s ? st->db->ops->bind_text(st, idx, s, strlen(s)) : st->db->ops->bind_null(st, idx);
}

/* Binds a copy of n bytes of s (NULL: SQL NULL) to $idx. */
int stmt_bind_textn(struct nl_stmt *st, int idx, const char *s, size_t n)
{
	if (!bind_ok(st))
		return NL_EINVAL;
	return s ? st->db->ops->bind_text(st, idx, s, n) : st->db->ops->bind_null(st, idx);
}

/* Binds an integer to $idx. */
int stmt_bind_int64(struct nl_stmt *st, int idx, int64_t v)
{
	return bind_ok(st) ? st->db->ops->bind_int64(st, idx, v) : NL_EINVAL;
}

/* Binds a double to $idx. */
int stmt_bind_double(struct nl_stmt *st, int idx, double v)
{
	return bind_ok(st) ? st->db->ops->bind_double(st, idx, v) : NL_EINVAL;
}

/* Binds SQL NULL to $idx. */
int stmt_bind_null(struct nl_stmt *st, int idx)
{
	return bind_ok(st) ? st->db->ops->bind_null(st, idx) : NL_EINVAL;
}

/* Steps; once the statement has completed (0) or failed, later calls repeat that answer without
 * running it again. */
int stmt_step(struct nl_stmt *st)
{
	if (!st || !st->in_use)
		return NL_EINVAL;
	if (st->state == NL_STMT_DONE)
		return 0;
	if (st->state == NL_STMT_FAILED)
		return st->last_rc;
	int rc = st->db->ops->step(st);
	if (rc == 1) {
		st->state = NL_STMT_ROW;
	} else if (rc == 0) {
		st->state = NL_STMT_DONE;
	} else {
		st->state = NL_STMT_FAILED;
		st->last_rc = rc;
	}
	return rc;
}

/* Columns of the result (known from prepare on). */
int stmt_column_count(struct nl_stmt *st)
{
	return st && st->in_use ? st->db->ops->column_count(st) : 0;
}

/* True when a row is available and idx names one of its columns. */
static int col_ok(struct nl_stmt *st, int idx)
{
	return st && st->in_use && st->state == NL_STMT_ROW && idx >= 0 && idx < st->db->ops->column_count(st);
}

/* The name of column idx, or NULL out of range; owned by the statement. */
const char *stmt_column_name(struct nl_stmt *st, int idx)
{
	if (!st || !st->in_use || idx < 0 || idx >= st->db->ops->column_count(st))
		return NULL;
	return st->db->ops->column_name(st, idx);
}

/* 1 for SQL NULL (and when there is no such value). */
int stmt_column_is_null(struct nl_stmt *st, int idx)
{
	return col_ok(st, idx) ? st->db->ops->column_is_null(st, idx) : 1;
}

/* Column idx as text, NULL for SQL NULL; valid until the next step or stmt_done(). */
const char *stmt_column_text(struct nl_stmt *st, int idx)
{
	return col_ok(st, idx) ? st->db->ops->column_text(st, idx) : NULL;
}

/* Bytes of stmt_column_text() without its NUL. */
size_t stmt_column_bytes(struct nl_stmt *st, int idx)
{
	return col_ok(st, idx) ? st->db->ops->column_bytes(st, idx) : 0;
}

/* Column idx as an integer; 0 for NULL. */
int64_t stmt_column_int64(struct nl_stmt *st, int idx)
{
	return col_ok(st, idx) ? st->db->ops->column_int64(st, idx) : 0;
}

/* Column idx as a double; 0 for NULL. */
double stmt_column_double(struct nl_stmt *st, int idx)
{
	return col_ok(st, idx) ? st->db->ops->column_double(st, idx) : 0.0;
}

/* Rows changed by the statement's INSERT/UPDATE/DELETE. */
int64_t stmt_changes(struct nl_stmt *st)
{
	return st ? st->changes : 0;
}

/* Resets the statement and returns it to its connection's cache. Safe on NULL. */
void stmt_done(struct nl_stmt *st)
{
	if (!st || !st->in_use)
		return;
	st->db->ops->reset(st);
	st->in_use = 0;
	st->state = NL_STMT_FRESH;
	st->last_rc = 0;
	st->changes = 0;
	cache_evict(st->db);
}

/* ---- backup and counters ---- */

/* Copies a SQLite store to path on one pooled connection (see store.h); NL_EINVAL on PostgreSQL. */
int store_backup(struct nl_store *s, const char *path, char *errbuf, size_t errlen)
{
	struct nl_db *db = NULL;
	int rc = NL_EINVAL;
	if (!s->ops->backup) {
		snprintf(errbuf, errlen, "use: pg_dump --format=custom --file FILE '%s'", s->display_url);
		goto out;
	}
	rc = store_acquire(s, NL_BACKUP_ACQUIRE_MS, &db);
	if (rc < 0) {
		snprintf(errbuf, errlen, "backup: no free database connection");
		goto out;
	}
	rc = s->ops->backup(db, path, errbuf, errlen);
out:
	store_release(db);
	return rc;
}

/* Driver errors counted so far (constraint violations excluded). */
uint64_t store_error_count(void)
{
	return (uint64_t)atomic_load(&store_errors);
}
