/* sqlite.c — the SQLite backend of the store: one sqlite3 handle per pooled connection (SQLITE_OPEN_NOMUTEX: a
 * connection is used by one thread at a time), WAL, foreign keys on, `$N` placeholders rewritten to `?N`, driver
 * errors mapped to NL_E* codes, and the online backup. */
#include "store/storeInt.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/common.h"

#define SQ_BACKUP_TRIES 500          /* busy retries of the backup, 20 ms apart: 10 s */

/* Per-statement state: the prepared statement and the change counter before it ran. */
struct sq_stmt {
	sqlite3_stmt *ps;
	sqlite3_int64 total_before;
	int started;
};

/* The sqlite3 handle behind db. */
static sqlite3 *sq_handle(const struct nl_db *db)
{
	return db->impl;
}

/* Maps a SQLite result code to NL_ECONFLICT, NL_EBUSY or NL_ESTORE. */
static int sq_map(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return NL_ECONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return NL_EBUSY;
	case SQLITE_NOMEM:
		return NL_ENOMEM;
	default:
		return NL_ESTORE;
	}
}

/* Records the connection's current error for rc. */
static int sq_fail(struct nl_db *db, int rc, const char *sql)
{
	return store_driver_error(db, sq_map(rc), sqlite3_errmsg(sq_handle(db)), sql);
}

/* Rewrites $N to ?N outside literals, quoted identifiers and comments (see storeInt.h); the highest N. */
int store_sql_rewrite_placeholders(const char *sql, char *out)
{
	enum { CODE, SQUOTE, DQUOTE, LINE_COMMENT, BLOCK_COMMENT } st = CODE;
	int maxn = 0;
	size_t i = 0;
	for (; sql[i]; i++) {
		char c = sql[i], next = sql[i + 1];
		out[i] = c;
		if (st == SQUOTE || st == DQUOTE) {
			if (c == (st == SQUOTE ? '\'' : '"'))
				st = CODE;       /* a doubled quote re-enters on the next character */
		} else if (st == LINE_COMMENT) {
			if (c == '\n')
				st = CODE;
		} else if (st == BLOCK_COMMENT) {
			if (c == '*' && next == '/') {
				out[++i] = '/';
				st = CODE;
			}
		} else if (c == '\'' || c == '"') {
			st = c == '\'' ? SQUOTE : DQUOTE;
		} else if (c == '-' && next == '-') {
			st = LINE_COMMENT;
		} else if (c == '/' && next == '*') {
			out[++i] = '*';
			st = BLOCK_COMMENT;
		} else if (c == '$' && next >= '0' && next <= '9') {
			int prev = i > 0 ? (unsigned char)sql[i - 1] : ' ';
			if (prev == '_' || prev == '$' || prev >= 0x80 || (prev >= '0' && prev <= '9') ||
					((prev | 0x20) >= 'a' && (prev | 0x20) <= 'z'))
				continue;        /* part of an identifier such as a$1 */
			out[i] = '?';
			int n = 0;
			while (sql[i + 1] >= '0' && sql[i + 1] <= '9') {
				i++;
				out[i] = sql[i];
				n = n <= 99999 ? n * 10 + (sql[i] - '0') : 1000000;   /* capped, never overflows */
			}
			if (n > maxn)
				maxn = n;
		}
	}
	out[i] = '\0';
	return maxn;
}

/* Creates every missing folder on the way to the file path (mkdir -p of its parent). */
static int sq_make_parent(const char *path, char *errbuf, size_t errlen)
{
	int rc = NL_ENOMEM;
	size_t n = strlen(path);
	char *dir = malloc(n + 1);
	if (!dir)
		goto out;
	memcpy(dir, path, n + 1);
	char *slash = strrchr(dir, '/');
	rc = 0;
	if (!slash || slash == dir)
		goto out;
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
			char eb[128];
			snprintf(errbuf, errlen, "cannot create folder %s: %s", dir, strerror_r(errno, eb, sizeof eb));
			rc = NL_ESTORE;
			goto out;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
out:
	free(dir);
	return rc;
}

/* Runs the PRAGMAs every connection needs; 0 or an SQLite result code. */
static int sq_setup(sqlite3 *h, const struct nl_store_options *o)
{
	sqlite3_extended_result_codes(h, 1);
	int r = sqlite3_busy_timeout(h, o->busy_timeout_ms);
	if (r == SQLITE_OK)
		r = sqlite3_exec(h, o->synchronous_full ? "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL"
			: "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	sqlite3_stmt *ps = NULL;
	if (r == SQLITE_OK)
		r = sqlite3_prepare_v2(h, "PRAGMA journal_mode=WAL", -1, &ps, NULL);
	if (r == SQLITE_OK) {
		r = sqlite3_step(ps);
		if (r == SQLITE_ROW) {
			const char *mode = (const char *)sqlite3_column_text(ps, 0);
			if (!mode || strcmp(mode, "wal") != 0)
				NL_LOG(NL_LOG_WARN, "store: SQLite journal_mode is %s, not wal", mode ? mode : "?");
			r = SQLITE_OK;
		}
	}
	sqlite3_finalize(ps);
	return r;
}

/* Opens the file (creating it and its folder when the options say so) and sets the connection up. */
static int sq_connect(struct nl_db *db, char *errbuf, size_t errlen)
{
	const struct nl_store *s = db->store;
	sqlite3 *h = NULL;
	int rc = NL_ESTORE;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (s->opt.create ? SQLITE_OPEN_CREATE : 0);
	if (s->opt.create && sq_make_parent(s->target, errbuf, errlen) < 0)
		goto out;
	int r = sqlite3_open_v2(s->target, &h, flags, NULL);
	if (r == SQLITE_OK)
		r = sq_setup(h, &s->opt);
	if (r != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot open database %s: %s", s->display_url, h ? sqlite3_errmsg(h) : sqlite3_errstr(r));
		goto out;
	}
	db->impl = h;
	h = NULL;
	rc = 0;
out:
	sqlite3_close(h);
	return rc;
}

/* Closes the handle (every statement is finalized before). */
static void sq_disconnect(struct nl_db *db)
{
	if (sqlite3_close(sq_handle(db)) != SQLITE_OK)
		NL_LOG(NL_LOG_ERROR, "store: closing SQLite: %s", sqlite3_errmsg(sq_handle(db)));
	db->impl = NULL;
}

/* A SQLite connection does not break: nothing to repair on acquire. */
static int sq_check(struct nl_db *db)
{
	return 0;
}

/* Runs parameterless SQL, several statements allowed. */
static int sq_exec(struct nl_db *db, const char *sql)
{
	char *msg = NULL;
	int r = sqlite3_exec(sq_handle(db), sql, NULL, NULL, &msg);
	int rc = 0;
	if (r != SQLITE_OK)
		rc = store_driver_error(db, sq_map(r), msg ? msg : sqlite3_errmsg(sq_handle(db)), sql);
	sqlite3_free(msg);
	return rc;
}

/* COMMIT (store.c rolls back if it fails and the transaction is still open). */
static int sq_commit(struct nl_db *db)
{
	return sq_exec(db, "COMMIT");
}

/* 1 outside autocommit mode. */
static int sq_in_transaction(const struct nl_db *db)
{
	return !sqlite3_get_autocommit(sq_handle(db));
}

/* True when text holds only blanks and semicolons. */
static int sq_only_blanks(const char *t)
{
	return t[strspn(t, " \t\r\n;")] == '\0';
}

/* Prepares st->sql with its placeholders rewritten; exactly one statement. */
static int sq_prepare(struct nl_db *db, struct nl_stmt *st)
{
	int rc = NL_ENOMEM;
	char local[1024];
	char *sql = st->sql_len < sizeof local ? local : malloc(st->sql_len + 1);
	struct sq_stmt *ss = calloc(1, sizeof *ss);
	if (!sql || !ss)
		goto out;
	rc = NL_EINVAL;
	if (st->sql_len >= INT_MAX)
		goto out;
	store_sql_rewrite_placeholders(st->sql, sql);
	const char *tail = NULL;
	int r = sqlite3_prepare_v3(sq_handle(db), sql, (int)st->sql_len + 1, SQLITE_PREPARE_PERSISTENT, &ss->ps, &tail);
	if (r != SQLITE_OK) {
		rc = sq_fail(db, r, st->sql);
		goto out;
	}
	if (!ss->ps || (tail && !sq_only_blanks(tail))) {
		rc = store_driver_error(db, NL_EINVAL, "db_prepare takes exactly one SQL statement", st->sql);
		goto out;
	}
	st->impl = ss;
	ss = NULL;
	rc = 0;
out:
	if (ss)
		sqlite3_finalize(ss->ps);
	free(ss);
	if (sql != local)
		free(sql);
	return rc;
}

/* The prepared statement behind st. */
static sqlite3_stmt *sq_ps(struct nl_stmt *st)
{
	return ((struct sq_stmt *)st->impl)->ps;
}

/* Finalizes and frees the statement. */
static void sq_finalize(struct nl_stmt *st, int server_gone)
{
	struct sq_stmt *ss = st->impl;
	sqlite3_finalize(ss->ps);
	free(ss);
	st->impl = NULL;
}

/* Resets and clears the bindings for reuse. */
static void sq_reset(struct nl_stmt *st)
{
	struct sq_stmt *ss = st->impl;
	sqlite3_reset(ss->ps);
	sqlite3_clear_bindings(ss->ps);
	ss->started = 0;
}

/* Turns a sqlite3_bind_* result into 0 or an NL_E* code. */
static int sq_bound(struct nl_stmt *st, int r)
{
	if (r == SQLITE_OK)
		return 0;
	if (r == SQLITE_RANGE)
		return store_driver_error(st->db, NL_EINVAL, "bind index out of range", st->sql);
	return sq_fail(st->db, r, st->sql);
}

/* Binders (text is copied: SQLITE_TRANSIENT). */
static int sq_bind_text(struct nl_stmt *st, int idx, const char *s, size_t n)
{
	if (n > INT_MAX)
		return store_driver_error(st->db, NL_EINVAL, "bound text too long", st->sql);
	return sq_bound(st, sqlite3_bind_text(sq_ps(st), idx, s, (int)n, SQLITE_TRANSIENT));
}

static int sq_bind_int64(struct nl_stmt *st, int idx, int64_t v)
{
	return sq_bound(st, sqlite3_bind_int64(sq_ps(st), idx, v));
}

static int sq_bind_double(struct nl_stmt *st, int idx, double v)
{
	return sq_bound(st, sqlite3_bind_double(sq_ps(st), idx, v));
}

static int sq_bind_null(struct nl_stmt *st, int idx)
{
	return sq_bound(st, sqlite3_bind_null(sq_ps(st), idx));
}

/* Steps; when the statement completes, its changes are those of a write that changed something (a SELECT or
 * DDL statement reports 0, where sqlite3_changes() would repeat the previous write's count). */
static int sq_step(struct nl_stmt *st)
{
	struct sq_stmt *ss = st->impl;
	sqlite3 *h = sq_handle(st->db);
	if (!ss->started) {
		ss->total_before = sqlite3_total_changes64(h);
		ss->started = 1;
	}
	int r = sqlite3_step(ss->ps);
	if (r == SQLITE_ROW)
		return 1;
	if (r != SQLITE_DONE)
		return sq_fail(st->db, r, st->sql);
	if (!sqlite3_stmt_readonly(ss->ps) && sqlite3_total_changes64(h) != ss->total_before)
		st->changes = sqlite3_changes64(h);
	return 0;
}

/* Column getters: SQLite's own conversions (NULL reads as 0 / NULL text). */
static int sq_column_count(struct nl_stmt *st)
{
	return sqlite3_column_count(sq_ps(st));
}

static const char *sq_column_name(struct nl_stmt *st, int idx)
{
	return sqlite3_column_name(sq_ps(st), idx);
}

static int sq_column_is_null(struct nl_stmt *st, int idx)
{
	return sqlite3_column_type(sq_ps(st), idx) == SQLITE_NULL;
}

static const char *sq_column_text(struct nl_stmt *st, int idx)
{
	return (const char *)sqlite3_column_text(sq_ps(st), idx);
}

static size_t sq_column_bytes(struct nl_stmt *st, int idx)
{
	sqlite3_column_text(sq_ps(st), idx);     /* bytes of the text form, as stmt_column_text() returns it */
	return (size_t)sqlite3_column_bytes(sq_ps(st), idx);
}

static int64_t sq_column_int64(struct nl_stmt *st, int idx)
{
	return sqlite3_column_int64(sq_ps(st), idx);
}

static double sq_column_double(struct nl_stmt *st, int idx)
{
	return sqlite3_column_double(sq_ps(st), idx);
}

/* Copies the whole database into dst, retrying while the source is busy. 0 or an SQLite result code. */
static int sq_backup_copy(sqlite3 *src, sqlite3 *dst)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return sqlite3_errcode(dst);
	int r = SQLITE_OK;
	for (int tries = 0; tries < SQ_BACKUP_TRIES; tries++) {
		r = sqlite3_backup_step(b, -1);      /* one read transaction: WAL writers are not blocked */
		if (r != SQLITE_BUSY && r != SQLITE_LOCKED)
			break;
		struct timespec ts = { 0, 20 * 1000000L };
		nanosleep(&ts, NULL);
	}
	int f = sqlite3_backup_finish(b);
	return r == SQLITE_DONE ? f : (r == SQLITE_OK ? SQLITE_ERROR : r);
}

/* Makes a rename into dir durable; failures are only logged (the copy itself is complete). */
static void sq_sync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash == path ? 1 : slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fsync(fd) != 0)
		NL_LOG(NL_LOG_WARN, "store: backup: cannot sync folder %s", dir);
	if (fd >= 0)
		close(fd);
}

/* Backs the connection's database up into path through a temporary file renamed into place on success,
 * so that a failed backup leaves no partial file (an existing file at path is replaced). */
static int sq_backup(struct nl_db *db, const char *path, char *errbuf, size_t errlen)
{
	int rc = NL_ENOMEM;
	sqlite3 *dst = NULL;
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	char eb[128];
	if (!tmp) {
		snprintf(errbuf, errlen, "backup: out of memory");
		goto out;
	}
	snprintf(tmp, n, "%s.tmp-XXXXXX", path);
	rc = NL_ESTORE;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(errbuf, errlen, "backup: cannot create a file next to %s: %s", path, strerror_r(errno, eb, sizeof eb));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	close(fd);
	int r = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (r == SQLITE_OK)
		r = sq_backup_copy(sq_handle(db), dst);
	if (r != SQLITE_OK) {
		snprintf(errbuf, errlen, "backup to %s failed: %s", path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(r));
		goto out;
	}
	r = sqlite3_close(dst);
	dst = NULL;
	if (r != SQLITE_OK || rename(tmp, path) != 0) {
		snprintf(errbuf, errlen, "backup: cannot write %s: %s", path,
			r != SQLITE_OK ? sqlite3_errstr(r) : strerror_r(errno, eb, sizeof eb));
		goto out;
	}
	sq_sync_parent(path);
	rc = 0;
out:
	sqlite3_close(dst);
	if (rc < 0) {
		NL_LOG(NL_LOG_ERROR, "store: %s", errbuf);
		if (tmp)
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

const struct nl_backend nl_backend_sqlite = {
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.check = sq_check,
	.exec = sq_exec,
	.commit = sq_commit,
	.in_transaction = sq_in_transaction,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_text = sq_bind_text,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.column_is_null = sq_column_is_null,
	.column_text = sq_column_text,
	.column_bytes = sq_column_bytes,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.backup = sq_backup,
};
