/* storeInt.h — private to src/store/: the pool, connection and statement structs shared by store.c and the two
 * backends (sqlite.c, postgres.c), the backend vtable they fill in, and helpers the backends call back into. */
#ifndef NL_STORE_INT_H
#define NL_STORE_INT_H

#include "store/store.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define NL_STMT_CACHE_MAX 128        /* idle statements kept per connection */
#define NL_DB_ERROR_MAX 512          /* bytes of db_last_error() */
#define NL_DEFAULT_SQLITE_PATH "./var/nengli.db"
#define NL_DEFAULT_POOL_SIZE 4
#define NL_DEFAULT_SQLITE_BUSY_MS 5000
#define NL_DEFAULT_PG_LOCK_TIMEOUT_MS 10000

struct nl_backend;

/* A statement as the pool sees it: its SQL text (the cache key) and the backend's prepared object (impl).
 * Owned by its connection's cache; in_use between db_prepare() and stmt_done(). */
struct nl_stmt {
	struct nl_db *db;
	char *sql;                /* heap copy of the SQL text as the caller wrote it (with $N) */
	size_t sql_len;
	uint64_t hash;            /* FNV-1a of sql */
	uint64_t last_use;        /* the connection's use tick, for LRU eviction */
	int in_use;
	int state;                /* NL_STMT_FRESH, _ROW, _DONE or _FAILED */
	int last_rc;              /* the error stmt_step returned when state is _FAILED */
	int64_t changes;          /* rows changed, set by the backend's step; 0 after stmt_done() */
	void *impl;               /* sqlite3_stmt * or struct pg_stmt * */
};

enum { NL_STMT_FRESH = 0, NL_STMT_ROW = 1, NL_STMT_DONE = 2, NL_STMT_FAILED = 3 };

/* A versioned table (rowver.c): its name and key column(s), from a fixed list. */
struct nl_rowver_table {
	const char *name;
	const char *key;          /* integer key column */
	const char *key2;         /* text second key column, or NULL */
};

/* The optimistic-concurrency state of a connection (rowver.c), set by db_row_version(), cleared on release. */
struct nl_rowver {
	const struct nl_rowver_table *table;   /* NULL: nothing armed */
	int64_t key;
	char key2[32];
	int64_t if_match;                      /* the expected version; 0: none (bump only) */
	int64_t version;                       /* read at arming, then the version the armed write committed */
	int write;                             /* check at the next db_begin, bump at its db_commit */
	int in_tx;                             /* that transaction is open */
	struct nl_error *err;                  /* where a conflict is described */
};

/* One connection. Owned by its pool; held by one thread between store_acquire() and store_release(). */
struct nl_db {
	struct nl_store *store;
	const struct nl_backend *ops;
	void *impl;                          /* sqlite3 * or struct pg_conn * */
	struct nl_stmt **stmts;              /* the statement cache: idle and in-use statements */
	size_t nstmts, stmts_alloc;
	uint64_t tick;
	char last_error[NL_DB_ERROR_MAX];
	struct nl_rowver rowver;             /* If-Match / row_version of the request's edited row (rowver.c) */
};

/* The pool. conns[] owns every connection; idle[] is the stack of those not held. */
struct nl_store {
	enum nl_store_kind kind;
	const struct nl_backend *ops;
	char *target;                        /* SQLite file path or PostgreSQL URL (may hold a password; never log it) */
	char *display_url;                   /* target with the password masked */
	struct nl_store_options opt;         /* with defaults filled in */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct nl_db **conns;
	struct nl_db **idle;
	int nconns, nidle;
	int sync_ready;                      /* mu and cv are initialised */
};

/* What a backend provides. Every int function returns 0 or a negative NL_E*; step returns 1/0/NL_E*.
 * Errors are reported through store_driver_error(), which logs, counts and fills db->last_error. */
struct nl_backend {
	/* Opens db->impl for s->target; on failure a message for the operator (masked URL) in errbuf. */
	int (*connect)(struct nl_db *db, char *errbuf, size_t errlen);
	void (*disconnect)(struct nl_db *db);
	/* Called on acquire: repairs a broken connection. Returns 1 when the connection was re-established (its
	 * prepared statements are gone: the pool drops its cache), 0 when healthy, NL_E* when still broken. */
	int (*check)(struct nl_db *db);
	int (*exec)(struct nl_db *db, const char *sql);
	/* Commits the open transaction; an error when the driver rolled it back instead. */
	int (*commit)(struct nl_db *db);
	/* The driver's view: 1 when a transaction is open (also when it failed and awaits ROLLBACK). */
	int (*in_transaction)(const struct nl_db *db);
	/* Prepares st->sql into st->impl. */
	int (*prepare)(struct nl_db *db, struct nl_stmt *st);
	/* Frees st->impl (server_gone: the server no longer knows the statement; nothing to send). */
	void (*finalize)(struct nl_stmt *st, int server_gone);
	/* Resets st->impl for reuse: no bindings, no result. */
	void (*reset)(struct nl_stmt *st);
	int (*bind_text)(struct nl_stmt *st, int idx, const char *s, size_t n);
	int (*bind_int64)(struct nl_stmt *st, int idx, int64_t v);
	int (*bind_double)(struct nl_stmt *st, int idx, double v);
	int (*bind_null)(struct nl_stmt *st, int idx);
	/* Executes (first call) or advances; sets st->changes when the statement completes. */
	int (*step)(struct nl_stmt *st);
	int (*column_count)(struct nl_stmt *st);
	const char *(*column_name)(struct nl_stmt *st, int idx);
	/* Column getters below are only called with a row available and idx in range. */
	int (*column_is_null)(struct nl_stmt *st, int idx);
	const char *(*column_text)(struct nl_stmt *st, int idx);
	size_t (*column_bytes)(struct nl_stmt *st, int idx);
	int64_t (*column_int64)(struct nl_stmt *st, int idx);
	double (*column_double)(struct nl_stmt *st, int idx);
	/* Online copy into path (SQLite only; NULL for PostgreSQL). */
	int (*backup)(struct nl_db *db, const char *path, char *errbuf, size_t errlen);
};

extern const struct nl_backend nl_backend_sqlite;
extern const struct nl_backend nl_backend_postgres;

/* Records a driver error on db: copies msg into db->last_error, logs it with the start of the SQL (never bound
 * values), and counts it in store_error_count() unless it is a constraint violation. code is the NL_E* the
 * backend mapped the error to (NL_ECONFLICT is logged at warn level: it is a client's duplicate, not a fault).
 * Returns code. sql may be NULL. */
int store_driver_error(struct nl_db *db, int code, const char *msg, const char *sql);

/* rowver.c's hooks: after BEGIN (the If-Match check; NL_ECONFLICT), before COMMIT (row_version + 1), and at the end
 * of a transaction without commit (release: also forget the row). */
int store_rowver_begin(struct nl_db *db);
int store_rowver_commit(struct nl_db *db);
void store_rowver_end(struct nl_db *db, int release);

/* Copies sql into out (same length plus NUL; out holds strlen(sql)+1 bytes) with each `$N` placeholder turned
 * into `?N`, leaving '...' literals, "..." identifiers, -- and / * * / comments alone. Returns the highest N seen. */
int store_sql_rewrite_placeholders(const char *sql, char *out);

/* Writes url into out with the password of a postgresql:// URL (user:PASSWORD@, or a password= parameter)
 * replaced by "***". Returns 0, or NL_ENOMEM when out is too small (out then holds a truncated, still masked
 * string). */
int store_mask_url(const char *url, char *out, size_t outlen);

#endif
