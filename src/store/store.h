/* store.h — the neutral database API that every domain uses: a pool of connections to SQLite or PostgreSQL,
 * prepared statements with bound parameters, row stepping, typed column getters and transactions.
 * SQLite and libpq types never leave src/store/.
 *
 * SQL text is written once for both engines with PostgreSQL-style placeholders `$1`, `$2`, ... (the SQLite
 * backend rewrites them to `?1`, `?2`); write SQL that both engines accept (CAST(x AS TEXT), not x::text;
 * integers 0/1 for booleans; `RETURNING id` works on both). Dialect-specific SQL goes through store_kind(). */
#ifndef NL_STORE_H
#define NL_STORE_H

#include <stddef.h>
#include <stdint.h>

struct nl_store;   /* a pool of connections; thread-safe; owned by whoever called store_open() */
struct nl_db;      /* one connection, held by one thread between store_acquire() and store_release() */
struct nl_error;   /* core/err.h */
struct nl_stmt;    /* a prepared statement; owned by the connection (cached), reset by stmt_done() */

enum nl_store_kind { NL_STORE_SQLITE = 1, NL_STORE_POSTGRES = 2 };

struct nl_store_options {
	int pool_size;            /* connections in the pool (>= 1; <= 0 means 4) */
	int busy_timeout_ms;      /* how long to wait for a lock: SQLite busy_timeout, PostgreSQL lock_timeout
	                             (statement_timeout is left alone); <= 0: 5000 ms SQLite, 10000 ms PostgreSQL */
	int synchronous_full;     /* SQLite: PRAGMA synchronous=FULL (1) or NORMAL (0) */
	int create;               /* SQLite: create the file (and its folder) if missing */
};

/* Opens a store for url: a file path (SQLite; "" means ./var/nengli.db; a "sqlite:" or "file:" prefix, and "//"
 * after it, are dropped) or a postgresql:// / postgres:// URL. Every connection of the pool is opened now.
 * opt may be NULL (a pool of 4, default timeouts, create). Returns 0 and *out, or NL_ESTORE with a reason in errbuf
 * (never containing a password), e.g. "cannot open database ./var/x.db: unable to open database file". */
int store_open(const char *url, const struct nl_store_options *opt, struct nl_store **out,
	char *errbuf, size_t errlen) __attribute__((warn_unused_result));
/* Closes every connection and frees the pool. Safe on NULL. */
void store_close(struct nl_store *s);
enum nl_store_kind store_kind(const struct nl_store *s);
/* Returns the URL with any password replaced by "***", for logs and messages (static storage of the store). */
const char *store_display_url(const struct nl_store *s);

/* Takes a connection from the pool, waiting up to timeout_ms (negative: for ever); NL_EBUSY if none became free.
 * A PostgreSQL connection found broken is re-established first (NL_ESTORE if that fails). */
int store_acquire(struct nl_store *s, int timeout_ms, struct nl_db **out) __attribute__((warn_unused_result));
/* Returns the connection to the pool; rolls back an open transaction and finishes (with a warning in the log)
 * statements not given to stmt_done() first. Safe on NULL. */
void store_release(struct nl_db *db);
enum nl_store_kind db_kind(const struct nl_db *db);

/* Transactions. db_begin starts a write transaction (SQLite: BEGIN IMMEDIATE, NL_EBUSY when another connection
 * writes for longer than busy_timeout_ms; PostgreSQL: BEGIN, READ COMMITTED). Nested calls are NL_EINVAL.
 * Engines differ after an error inside a transaction: PostgreSQL aborts the whole transaction (later statements
 * fail and db_commit returns NL_ESTORE), SQLite only the failed statement. Code that expects a conflict should
 * avoid it (INSERT ... ON CONFLICT DO NOTHING works on both) or roll back after it.
 * db_commit: on failure the transaction has been rolled back; nothing of it was kept. */
int db_begin(struct nl_db *db) __attribute__((warn_unused_result));
int db_commit(struct nl_db *db) __attribute__((warn_unused_result));
/* Rolls back if a transaction is open; never fails visibly. */
void db_rollback(struct nl_db *db);
int db_in_transaction(const struct nl_db *db);

/* Optimistic concurrency (rowver.c; issue 8.1). Reads the row_version of one row of a versioned table (key: its id,
 * for evaluations the year, for metric_values the metric id and key2 = the period) into *current (0: no such row).
 * write = 0: only that (for an ETag). write = 1: also arms the connection's next db_begin to check the version again
 * under the row's lock and its db_commit to add 1 to it in the same transaction; if_match > 0 is the version the
 * client read: NL_ECONFLICT (described in err, field "If-Match") when the row has another one, now or at db_begin.
 * The state lasts until store_release(). NL_EINVAL for a table or key that is not in rowver.c's list. */
int db_row_version(struct nl_db *db, const char *table, int64_t key, const char *key2, int64_t if_match, int write,
	struct nl_error *err, int64_t *current) __attribute__((warn_unused_result));
/* The version db_row_version() read or, once the armed write committed, the one it wrote; 0 when none. */
int64_t db_row_version_current(const struct nl_db *db);

/* Runs SQL with no parameters; result rows are discarded (several statements allowed; used by migrations). */
int db_exec(struct nl_db *db, const char *sql) __attribute__((warn_unused_result));

/* Prepares sql, exactly one statement (cached per connection by its text; the same text prepared again while
 * the first is in use gets a second statement). The statement stays valid until stmt_done(). */
int db_prepare(struct nl_db *db, const char *sql, struct nl_stmt **out) __attribute__((warn_unused_result));

/* Binding, before the first stmt_step(): idx starts at 1 ($1); NL_EINVAL out of range or after a step.
 * Text is copied. PostgreSQL receives every value as text and infers its type from the SQL: where it cannot
 * (e.g. `SELECT $1`), write CAST($1 AS BIGINT). */
int stmt_bind_text(struct nl_stmt *st, int idx, const char *s);            /* NULL s binds NULL */
int stmt_bind_textn(struct nl_stmt *st, int idx, const char *s, size_t n);
int stmt_bind_int64(struct nl_stmt *st, int idx, int64_t v);
int stmt_bind_double(struct nl_stmt *st, int idx, double v);
int stmt_bind_null(struct nl_stmt *st, int idx);

/* Executes or advances: returns 1 when a row is available, 0 when done, or a negative NL_E* code
 * (NL_ECONFLICT for a unique/foreign-key/check violation, NL_EBUSY when locked, NL_ESTORE otherwise).
 * After 0 or an error it repeats that answer: a statement never runs twice between db_prepare and stmt_done. */
int stmt_step(struct nl_stmt *st) __attribute__((warn_unused_result));

/* Columns of the current row, idx from 0. Text is valid until the next step or stmt_done(). */
int stmt_column_count(struct nl_stmt *st);
const char *stmt_column_name(struct nl_stmt *st, int idx);
int stmt_column_is_null(struct nl_stmt *st, int idx);
const char *stmt_column_text(struct nl_stmt *st, int idx);   /* NULL for SQL NULL */
size_t stmt_column_bytes(struct nl_stmt *st, int idx);
int64_t stmt_column_int64(struct nl_stmt *st, int idx);      /* 0 for NULL */
double stmt_column_double(struct nl_stmt *st, int idx);      /* 0 for NULL */
/* Rows changed by the INSERT/UPDATE/DELETE this statement executed (0 for other statements). On SQLite the
 * count is known once stmt_step() has returned 0 (for ... RETURNING: after the last row). */
int64_t stmt_changes(struct nl_stmt *st);

/* Resets the statement (clears bindings, frees results) and returns it to the connection's cache. Safe on NULL. */
void stmt_done(struct nl_stmt *st);

/* The last driver error text, for the log only (never for clients). */
const char *db_last_error(const struct nl_db *db);

/* Takes a consistent copy of a SQLite store into path while it is in use (online backup API), through a temporary
 * file renamed over path at the end (an existing file is replaced; a failure leaves nothing). NL_ESTORE with the
 * reason in errbuf. NL_EINVAL for a PostgreSQL store, with the pg_dump command to use in errbuf. */
int store_backup(struct nl_store *s, const char *path, char *errbuf, size_t errlen) __attribute__((warn_unused_result));

/* Checks of a whole database (digest.c; `nengli check`, backup/restore tests). db_integrity_check: SQLite's
 * PRAGMA integrity_check, 0 when "ok", NL_ESTORE with its first line in msg otherwise; PostgreSQL: 0 (msg "ok").
 * db_digest calls fn for each table, by name: its row count and a checksum of every record (order-independent,
 * equal for equal contents on the same engine); a non-zero return of fn stops and is returned.
 * db_audit_row: the audit_log row id (0: the last one) into *id_out (0 when none) and its chain hash. */
struct nl_table_digest {
	char table[64];
	int64_t rows;
	char digest[33];
};
int db_integrity_check(struct nl_db *db, char *msg, size_t n) __attribute__((warn_unused_result));
int db_digest(struct nl_db *db, int (*fn)(void *arg, const struct nl_table_digest *d), void *arg)
	__attribute__((warn_unused_result));
int db_audit_row(struct nl_db *db, int64_t id, int64_t *id_out, char hash[65]) __attribute__((warn_unused_result));

/* Store-wide counters for /metrics: driver errors since start (constraint violations, a client's duplicate,
 * are not counted). */
uint64_t store_error_count(void);

#endif
