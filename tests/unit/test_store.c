/* test_store.c — the store layer (store/store.h, store/migrate.h) against a temporary SQLite file, and the same
 * engine-neutral tests against PostgreSQL when NENGLI_TEST_PG_URL names a database the tests may scribble in
 * (tables t_items, t_mig_*; schema_migrations rows >= 90000). Without it the PostgreSQL tests are skipped.
 * NENGLI_TEST_LOG=debug|info|warn|error shows the store's log lines (off by default: many errors are expected). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/err.h"
#include "core/log.h"
#include "store/migrate.h"
#include "store/store.h"
#include "store/storeInt.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/common.h"

/* One engine under test; the prestate of each test. */
struct engine {
	enum nl_store_kind kind;
	char url[512];
	char dir[256];            /* SQLite: the temporary folder holding the files */
	struct nl_store *s;       /* NULL when the engine is not available (the test skips) */
};

static struct engine eng_sqlite = { .kind = NL_STORE_SQLITE };
static struct engine eng_pg = { .kind = NL_STORE_POSTGRES };

static const char create_items[] =
	"CREATE TABLE t_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty BIGINT, "
	"price DOUBLE PRECISION, note TEXT)";
static const char insert_item[] = "INSERT INTO t_items (id, name, qty, price, note) VALUES ($1, $2, $3, $4, $5)";

/* ---- helpers ---- */

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char p[600];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rm_dir(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int count_files(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void exec_ok(struct nl_db *db, const char *sql)
{
	int rc = db_exec(db, sql);
	if (rc != 0)
		fail_msg("%s: %s", sql, db_last_error(db));
}

/* Runs sql (no parameters) and returns the integer in the first column of its first row. */
static int64_t query_int(struct nl_db *db, const char *sql)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st);
	if (rc != 0)
		fail_msg("prepare %s: %s", sql, db_last_error(db));
	assert_int_equal(stmt_step(st), 1);
	int64_t v = stmt_column_int64(st, 0);
	stmt_done(st);
	return v;
}

/* Inserts one t_items row; returns stmt_step's result. */
static int insert(struct nl_db *db, int64_t id, const char *name, int64_t qty)
{
	struct nl_stmt *st = NULL;
	assert_int_equal(db_prepare(db, insert_item, &st), 0);
	assert_int_equal(stmt_bind_int64(st, 1, id), 0);
	assert_int_equal(stmt_bind_text(st, 2, name), 0);
	assert_int_equal(stmt_bind_int64(st, 3, qty), 0);
	assert_int_equal(stmt_bind_double(st, 4, 1.5), 0);
	assert_int_equal(stmt_bind_null(st, 5), 0);
	int rc = stmt_step(st);
	stmt_done(st);
	return rc;
}

static struct nl_store *open_store(struct engine *e, int pool)
{
	struct nl_store_options o = { .pool_size = pool, .busy_timeout_ms = 200, .synchronous_full = 0, .create = 1 };
	struct nl_store *s = NULL;
	char err[512];
	int rc = store_open(e->url, &o, &s, err, sizeof err);
	if (rc != 0)
		fail_msg("store_open: %s", err);
	return s;
}

/* Drops what the tests create, so that a PostgreSQL database can be reused run after run. */
static void clean_tables(struct nl_store *s)
{
	struct nl_db *db = NULL;
	assert_int_equal(store_acquire(s, 1000, &db), 0);
	exec_ok(db, "DROP TABLE IF EXISTS t_items");
	exec_ok(db, "DROP TABLE IF EXISTS t_mig_a");
	exec_ok(db, "DROP TABLE IF EXISTS t_mig_c");
	exec_ok(db, "DROP TABLE IF EXISTS t_mig_bad");
	exec_ok(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
		"applied_at TEXT NOT NULL)");
	exec_ok(db, "DELETE FROM schema_migrations WHERE version >= 90000");
	exec_ok(db, create_items);
	store_release(db);
}

static int setup(void **state)
{
	struct engine *e = *state;
	e->s = NULL;
	if (e->kind == NL_STORE_POSTGRES) {
		const char *url = getenv("NENGLI_TEST_PG_URL");
		if (!url || !*url)
			return 0;
		snprintf(e->url, sizeof e->url, "%s", url);
	} else {
		snprintf(e->dir, sizeof e->dir, "/tmp/nengli-store-XXXXXX");
		if (!mkdtemp(e->dir))
			return -1;
		snprintf(e->url, sizeof e->url, "%s/sub/test.db", e->dir);   /* sub/: store_open creates it */
	}
	e->s = open_store(e, 2);
	clean_tables(e->s);
	return 0;
}

static int teardown(void **state)
{
	struct engine *e = *state;
	if (e->s && e->kind == NL_STORE_POSTGRES) {
		struct nl_db *db = NULL;
		if (store_acquire(e->s, 1000, &db) == 0) {
			int rc = db_exec(db, "DROP TABLE IF EXISTS t_items");
			rc |= db_exec(db, "DELETE FROM schema_migrations WHERE version >= 90000");
			(void)rc;
			store_release(db);
		}
	}
	store_close(e->s);
	e->s = NULL;
	if (e->kind == NL_STORE_SQLITE)
		rm_dir(e->dir);
	return 0;
}

/* The engine of this test, or a skip when it is not available. */
static struct engine *need(void **state)
{
	struct engine *e = *state;
	if (!e->s)
		skip();
	return e;
}

/* ---- engine-independent ---- */

static void test_rewrite_placeholders(void **state)
{
	(void)state;
	const char *in = "SELECT $1, '$2 it''s $3', \"$4\", a$5, $10 -- $6\n, /* $7 */ $9 /**/ $2";
	char out[128];
	int max = store_sql_rewrite_placeholders(in, out);
	assert_string_equal(out, "SELECT ?1, '$2 it''s $3', \"$4\", a$5, ?10 -- $6\n, /* $7 */ ?9 /**/ ?2");
	assert_int_equal(max, 10);
	assert_int_equal(store_sql_rewrite_placeholders("SELECT 1", out), 0);
	assert_string_equal(out, "SELECT 1");
	assert_int_equal(store_sql_rewrite_placeholders("x = $12345678901", out), 1000000);  /* capped, never overflows */
}

static void test_mask_url(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(store_mask_url("postgresql://u:s3cret@db.example:5432/nengli", out, sizeof out), 0);
	assert_string_equal(out, "postgresql://u:***@db.example:5432/nengli");
	assert_int_equal(store_mask_url("postgres://u@host/db?sslmode=require&password=x&a=b", out, sizeof out), 0);
	assert_string_equal(out, "postgres://u@host/db?sslmode=require&password=***&a=b");
	assert_int_equal(store_mask_url("postgresql://u:p@ss@host/db?password=y", out, sizeof out), 0);
	assert_string_equal(out, "postgresql://u:***@host/db?password=***");
	assert_int_equal(store_mask_url("postgresql:///db", out, sizeof out), 0);
	assert_string_equal(out, "postgresql:///db");
	assert_int_equal(store_mask_url("./var/nengli.db", out, sizeof out), 0);
	assert_string_equal(out, "./var/nengli.db");
	assert_int_equal(store_mask_url("postgresql://u:secret@h/d", out, 20), NL_ENOMEM);
	assert_null(strstr(out, "secret"));
}

static void test_open_errors(void **state)
{
	(void)state;
	char err[512];
	struct nl_store *s = NULL;
	struct nl_store_options o = { .pool_size = 1, .create = 0 };
	assert_int_equal(store_open("/nonexistent-nengli-dir/x.db", &o, &s, err, sizeof err), NL_ESTORE);
	assert_null(s);
	assert_string_equal(err, "cannot open database /nonexistent-nengli-dir/x.db: unable to open database file");

	o.create = 1;
	assert_int_equal(store_open("sqlite:/dev/null/x.db", &o, &s, err, sizeof err), NL_ESTORE);
	assert_non_null(strstr(err, "/dev/null"));

	/* Port 1 on loopback refuses at once; the message names the server but never the password. */
	assert_int_equal(store_open("postgresql://u:topsecret@127.0.0.1:1/db", &o, &s, err, sizeof err), NL_ESTORE);
	assert_null(s);
	assert_non_null(strstr(err, "cannot connect to PostgreSQL at postgresql://u:***@127.0.0.1:1/db: "));
	assert_null(strstr(err, "topsecret"));
	assert_null(strchr(err, '\n'));
}

static void test_default_and_prefixed_paths(void **state)
{
	(void)state;
	char dir[] = "/tmp/nengli-store-XXXXXX", url[300], err[512];
	assert_non_null(mkdtemp(dir));
	struct nl_store *s = NULL;
	snprintf(url, sizeof url, "file:%s/a.db", dir);
	assert_int_equal(store_open(url, NULL, &s, err, sizeof err), 0);
	assert_int_equal(store_kind(s), NL_STORE_SQLITE);
	assert_string_equal(store_display_url(s), url + 5);
	store_close(s);
	snprintf(url, sizeof url, "sqlite://%s/b.db", dir);
	assert_int_equal(store_open(url, NULL, &s, err, sizeof err), 0);
	store_close(s);
	snprintf(url, sizeof url, "%s/a.db", dir);
	assert_int_equal(access(url, F_OK), 0);
	snprintf(url, sizeof url, "%s/b.db", dir);
	assert_int_equal(access(url, F_OK), 0);
	rm_dir(dir);
}

/* ---- engine-neutral, run on each engine ---- */

static void test_placeholders(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL;
	struct nl_stmt *st = NULL;
	char v[16];
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(db_prepare(db, "SELECT '$1 and ''$2''' AS lit, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 "
		"-- $11 is a comment\n /* so is $12 */", &st), 0);
	for (int i = 1; i <= 10; i++) {
		snprintf(v, sizeof v, "v%d", i);
		assert_int_equal(stmt_bind_text(st, i, v), 0);
	}
	assert_int_equal(stmt_bind_text(st, 11, "x"), NL_EINVAL);
	assert_int_equal(stmt_bind_text(st, 0, "x"), NL_EINVAL);
	assert_int_equal(stmt_step(st), 1);
	assert_int_equal(stmt_column_count(st), 11);
	assert_string_equal(stmt_column_text(st, 0), "$1 and '$2'");
	assert_string_equal(stmt_column_text(st, 1), "v1");
	assert_string_equal(stmt_column_text(st, 2), "v2");
	assert_string_equal(stmt_column_text(st, 10), "v10");
	assert_int_equal(stmt_step(st), 0);
	stmt_done(st);
	store_release(db);
}

static void test_columns(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL;
	struct nl_stmt *st = NULL;
	const int64_t big = INT64_C(9007199254740993), small = INT64_MIN + 1;
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(db_prepare(db, insert_item, &st), 0);
	assert_int_equal(stmt_bind_int64(st, 1, 1), 0);
	assert_int_equal(stmt_bind_textn(st, 2, "能力 and more", 6), 0);
	assert_int_equal(stmt_bind_int64(st, 3, big), 0);
	assert_int_equal(stmt_bind_double(st, 4, -2.25), 0);
	assert_int_equal(stmt_bind_text(st, 5, NULL), 0);
	assert_int_equal(stmt_step(st), 0);
	assert_int_equal(stmt_changes(st), 1);
	stmt_done(st);
	assert_int_equal(insert(db, 2, "second", small), 0);

	assert_int_equal(db_prepare(db, "SELECT id, name, qty, price, note FROM t_items WHERE id = $1", &st), 0);
	assert_int_equal(stmt_bind_int64(st, 1, 1), 0);
	assert_int_equal(stmt_step(st), 1);
	assert_int_equal(stmt_column_count(st), 5);
	assert_string_equal(stmt_column_name(st, 1), "name");
	assert_string_equal(stmt_column_name(st, 4), "note");
	assert_null(stmt_column_name(st, 5));
	assert_int_equal(stmt_column_int64(st, 0), 1);
	assert_string_equal(stmt_column_text(st, 1), "能力");
	assert_int_equal(stmt_column_bytes(st, 1), 6);
	assert_true(stmt_column_int64(st, 2) == big);
	assert_true(stmt_column_double(st, 3) == -2.25);
	assert_false(stmt_column_is_null(st, 3));
	assert_true(stmt_column_is_null(st, 4));
	assert_null(stmt_column_text(st, 4));
	assert_int_equal(stmt_column_int64(st, 4), 0);
	assert_true(stmt_column_double(st, 4) == 0.0);
	assert_null(stmt_column_text(st, 9));          /* out of range: NULL, no crash */
	assert_int_equal(stmt_step(st), 0);
	assert_null(stmt_column_text(st, 0));          /* no current row */
	assert_int_equal(stmt_changes(st), 0);
	stmt_done(st);

	assert_true(query_int(db, "SELECT qty FROM t_items WHERE id = 2") == small);
	assert_int_equal(db_prepare(db, "UPDATE t_items SET note = $1", &st), 0);
	assert_int_equal(stmt_bind_text(st, 1, "n"), 0);
	assert_int_equal(stmt_step(st), 0);
	assert_int_equal(stmt_changes(st), 2);
	stmt_done(st);
	store_release(db);
}

/* A completed statement is not run again by another stmt_step(); binding after a step is refused. */
static void test_step_after_done(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL;
	struct nl_stmt *st = NULL;
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(db_prepare(db, "INSERT INTO t_items (id, name) VALUES (7, 'seven')", &st), 0);
	assert_int_equal(stmt_step(st), 0);
	assert_int_equal(stmt_step(st), 0);
	assert_int_equal(stmt_bind_int64(st, 1, 1), NL_EINVAL);
	stmt_done(st);
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_items"), 1);
	store_release(db);
}

static void test_conflict(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL;
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(insert(db, 1, "apple", 1), 0);
	uint64_t errors = store_error_count();
	assert_int_equal(insert(db, 2, "apple", 1), NL_ECONFLICT);       /* unique name */
	assert_int_equal(insert(db, 1, "pear", 1), NL_ECONFLICT);        /* primary key */
	assert_true(strlen(db_last_error(db)) > 0);
	assert_true(store_error_count() == errors);                      /* a client's duplicate is not a fault */
	assert_int_equal(db_exec(db, "SELEC 1"), NL_ESTORE);
	assert_true(store_error_count() == errors + 1);
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_items"), 1);
	store_release(db);
}

static void test_transactions(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL;
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_true(db_in_transaction(db));
	assert_int_equal(db_begin(db), NL_EINVAL);                       /* no nesting */
	assert_int_equal(insert(db, 1, "discarded", 1), 0);
	db_rollback(db);
	assert_false(db_in_transaction(db));
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_items"), 0);

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, 1, "kept", 1), 0);
	assert_int_equal(db_commit(db), 0);
	assert_false(db_in_transaction(db));
	assert_int_equal(db_commit(db), NL_ESTORE);                      /* nothing to commit */

	assert_int_equal(db_begin(db), 0);                               /* left open: release rolls back */
	assert_int_equal(insert(db, 2, "dropped at release", 1), 0);
	store_release(db);
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_false(db_in_transaction(db));
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_items"), 1);

	/* An error inside a transaction: PostgreSQL aborts the whole transaction, SQLite only the statement. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, 3, "third", 1), 0);
	assert_int_equal(insert(db, 4, "kept", 1), NL_ECONFLICT);
	if (e->kind == NL_STORE_POSTGRES) {
		assert_int_equal(db_commit(db), NL_ESTORE);
		assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_items"), 1);
	} else {
		assert_int_equal(db_commit(db), 0);
		assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_items"), 2);
	}
	assert_false(db_in_transaction(db));
	store_release(db);
}

static void test_stmt_cache(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL;
	struct nl_stmt *a = NULL, *b = NULL, *c = NULL;
	char sql[64];
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(db_prepare(db, "SELECT COUNT(*) FROM t_items WHERE qty > $1", &a), 0);
	stmt_done(a);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM t_items WHERE qty > $1");   /* same text, other pointer */
	assert_int_equal(db_prepare(db, sql, &b), 0);
	assert_ptr_equal(a, b);                                          /* reused from the cache */
	assert_int_equal(db_prepare(db, sql, &c), 0);                    /* same text while b is in use */
	assert_ptr_not_equal(b, c);
	assert_int_equal(stmt_bind_int64(b, 1, 0), 0);
	assert_int_equal(stmt_bind_int64(c, 1, 0), 0);
	assert_int_equal(stmt_step(b), 1);
	assert_int_equal(stmt_step(c), 1);
	stmt_done(b);
	stmt_done(c);

	/* More distinct statements than the cache holds: the oldest are evicted, all keep working. */
	for (int i = 0; i < NL_STMT_CACHE_MAX + 40; i++) {
		snprintf(sql, sizeof sql, "SELECT %d + $1", i);
		assert_int_equal(db_prepare(db, sql, &a), 0);
		assert_int_equal(stmt_bind_int64(a, 1, 1), 0);
		assert_int_equal(stmt_step(a), 1);
		assert_int_equal(stmt_column_int64(a, 0), i + 1);
		stmt_done(a);
	}
	assert_true(db->nstmts <= NL_STMT_CACHE_MAX);
	assert_int_equal(query_int(db, "SELECT 0 + 41"), 41);

	/* A statement not finished before release is reset by the pool. */
	assert_int_equal(db_prepare(db, "SELECT 5", &a), 0);
	assert_int_equal(stmt_step(a), 1);
	store_release(db);
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(query_int(db, "SELECT 5"), 5);
	store_release(db);
}

struct releaser {
	struct nl_db *db;
	int delay_ms;
};

static void *release_later(void *arg)
{
	struct releaser *r = arg;
	sleep_ms(r->delay_ms);
	store_release(r->db);
	return NULL;
}

static void test_pool_timeout(void **state)
{
	struct engine *e = need(state);
	struct nl_db *a = NULL, *b = NULL, *c = NULL;
	assert_int_equal(store_acquire(e->s, 1000, &a), 0);
	assert_int_equal(store_acquire(e->s, 1000, &b), 0);
	assert_ptr_not_equal(a, b);
	int64_t t0 = now_ms();
	assert_int_equal(store_acquire(e->s, 150, &c), NL_EBUSY);
	int64_t waited = now_ms() - t0;
	assert_null(c);
	assert_true(waited >= 140 && waited < 1000);
	assert_int_equal(store_acquire(e->s, 0, &c), NL_EBUSY);

	/* A connection released while someone waits goes to the waiter. */
	struct releaser r = { b, 50 };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, release_later, &r), 0);
	assert_int_equal(store_acquire(e->s, 5000, &c), 0);
	pthread_join(th, NULL);
	assert_ptr_equal(c, b);
	store_release(c);
	store_release(a);
}

/* Two writers on one row / one file: the second gets NL_EBUSY once the busy/lock timeout (200 ms) passes. */
static void test_lock_busy(void **state)
{
	struct engine *e = need(state);
	struct nl_db *a = NULL, *b = NULL;
	struct nl_stmt *st = NULL;
	assert_int_equal(store_acquire(e->s, 1000, &a), 0);
	assert_int_equal(store_acquire(e->s, 1000, &b), 0);
	assert_int_equal(insert(a, 1, "contended", 1), 0);
	assert_int_equal(db_begin(a), 0);
	exec_ok(a, "UPDATE t_items SET qty = 2 WHERE id = 1");
	if (e->kind == NL_STORE_SQLITE) {
		assert_int_equal(db_begin(b), NL_EBUSY);
	} else {
		assert_int_equal(db_begin(b), 0);
		assert_int_equal(db_prepare(b, "UPDATE t_items SET qty = 3 WHERE id = $1", &st), 0);
		assert_int_equal(stmt_bind_int64(st, 1, 1), 0);
		assert_int_equal(stmt_step(st), NL_EBUSY);
		stmt_done(st);
		db_rollback(b);
	}
	assert_int_equal(db_commit(a), 0);
	assert_int_equal(query_int(b, "SELECT qty FROM t_items WHERE id = 1"), 2);
	store_release(b);
	store_release(a);
}

static void test_exec(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL;
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	exec_ok(db, "INSERT INTO t_items (id, name) VALUES (1, 'a'); INSERT INTO t_items (id, name) VALUES (2, 'b');");
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_items"), 2);
	assert_int_equal(db_exec(db, "INSERT INTO t_items (id, name) VALUES (3, 'a')"), NL_ECONFLICT);
	assert_int_equal(db_exec(db, "SELECT * FROM t_no_such_table"), NL_ESTORE);
	assert_non_null(strstr(db_last_error(db), "t_no_such_table"));
	store_release(db);
}

static void test_backup(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL;
	char err[512], path[400];
	if (e->kind == NL_STORE_POSTGRES) {
		assert_int_equal(store_backup(e->s, "/tmp/x.db", err, sizeof err), NL_EINVAL);
		assert_non_null(strstr(err, "use: pg_dump --format=custom --file FILE '"));
		return;
	}
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	for (int i = 1; i <= 3; i++) {
		char name[16];
		snprintf(name, sizeof name, "row%d", i);
		assert_int_equal(insert(db, i, name, i * 10), 0);
	}
	store_release(db);

	snprintf(path, sizeof path, "%s/backup.db", e->dir);
	FILE *f = fopen(path, "w");                                      /* an old file is replaced */
	assert_non_null(f);
	fputs("not a database", f);
	fclose(f);
	assert_int_equal(store_backup(e->s, path, err, sizeof err), 0);
	assert_int_equal(count_files(e->dir), 2);                        /* sub/ and backup.db: no temporary left */

	struct engine copy = { .kind = NL_STORE_SQLITE };
	snprintf(copy.url, sizeof copy.url, "%s", path);
	struct nl_store *s2 = open_store(&copy, 1);
	assert_int_equal(store_acquire(s2, 1000, &db), 0);
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_items"), 3);
	assert_int_equal(query_int(db, "SELECT SUM(qty) FROM t_items"), 60);
	store_release(db);
	store_close(s2);

	snprintf(path, sizeof path, "%s/missing/backup.db", e->dir);
	assert_int_equal(store_backup(e->s, path, err, sizeof err), NL_ESTORE);
	assert_non_null(strstr(err, "missing/backup.db"));
}

static int64_t version_count(struct nl_store *s, int version)
{
	struct nl_db *db = NULL;
	struct nl_stmt *st = NULL;
	assert_int_equal(store_acquire(s, 1000, &db), 0);
	assert_int_equal(db_prepare(db, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1", &st), 0);
	assert_int_equal(stmt_bind_int64(st, 1, version), 0);
	assert_int_equal(stmt_step(st), 1);
	int64_t n = stmt_column_int64(st, 0);
	stmt_done(st);
	store_release(db);
	return n;
}

/* The migrations embedded in the binary (whatever they are today) apply once, then never again. */
static void test_migrate_embedded(void **state)
{
	struct engine *e = need(state);
	char err[512];
	size_t n = 0;
	int pending = -1, applied = -1;
	const struct nl_migration *m = migrations_for(e->kind, &n);
	for (size_t i = 1; i < n; i++)
		assert_true(m[i - 1].version < m[i].version);
	assert_int_equal(migrate_pending(e->s, &pending), 0);
	int rc = migrate_apply(e->s, &applied, err, sizeof err);
	if (rc != 0)
		fail_msg("%s", err);
	assert_int_equal(applied, pending);
	if (e->kind == NL_STORE_SQLITE)
		assert_int_equal(applied, (int)n);                           /* a fresh file */
	assert_int_equal(migrate_pending(e->s, &pending), 0);
	assert_int_equal(pending, 0);
	assert_int_equal(migrate_apply(e->s, &applied, err, sizeof err), 0);
	assert_int_equal(applied, 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(version_count(e->s, m[i].version), 1);
}

static const struct nl_migration test_list[] = {
	{ 90001, "90001_a.sql", "CREATE TABLE t_mig_a (id INTEGER PRIMARY KEY, label TEXT NOT NULL);\n"
		"-- a comment with a ; in it\nINSERT INTO t_mig_a (id, label) VALUES (1, 'it''s $1');" },
	{ 90002, "90002_b.sql", "INSERT INTO t_mig_a (id, label) VALUES (2, 'two');" },
	{ 90003, "90003_bad.sql", "CREATE TABLE t_mig_bad (id INTEGER);\nINSERT INTO t_mig_no_such_table VALUES (1);" },
};

static void test_migrate_list(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL;
	struct nl_stmt *st = NULL;
	char err[512];
	int applied = -1;
	assert_int_equal(migrate_apply_list(e->s, test_list, 2, &applied, err, sizeof err), 0);
	assert_int_equal(applied, 2);
	assert_int_equal(migrate_apply_list(e->s, test_list, 2, &applied, err, sizeof err), 0);
	assert_int_equal(applied, 0);

	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_mig_a"), 2);
	assert_int_equal(db_prepare(db, "SELECT name, applied_at FROM schema_migrations WHERE version = 90001", &st), 0);
	assert_int_equal(stmt_step(st), 1);
	assert_string_equal(stmt_column_text(st, 0), "90001_a.sql");
	const char *at = stmt_column_text(st, 1);                        /* RFC 3339 UTC: 2026-11-05T08:30:00Z */
	assert_int_equal(strlen(at), 20);
	assert_true(at[4] == '-' && at[10] == 'T' && at[13] == ':' && at[19] == 'Z');
	stmt_done(st);
	store_release(db);

	/* A failing migration is rolled back entirely, not recorded, and named in the message. */
	assert_int_equal(migrate_apply_list(e->s, test_list, 3, &applied, err, sizeof err), NL_ESTORE);
	assert_int_equal(applied, 0);
	assert_non_null(strstr(err, "migration 90003_bad.sql failed: "));
	assert_non_null(strstr(err, "t_mig_no_such_table"));
	assert_int_equal(version_count(e->s, 90003), 0);
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(db_prepare(db, "SELECT COUNT(*) FROM t_mig_bad", &st), NL_ESTORE);
	store_release(db);

	const struct nl_migration unsorted[] = { test_list[1], test_list[0] };
	assert_int_equal(migrate_apply_list(e->s, unsorted, 2, &applied, err, sizeof err), NL_EINVAL);
}

struct migrator {
	struct engine *e;
	int rc, applied;
};

static void *migrate_thread(void *arg)
{
	struct migrator *m = arg;
	static const struct nl_migration list[] = {
		{ 90011, "90011_c.sql", "CREATE TABLE t_mig_c (id INTEGER PRIMARY KEY);" },
		{ 90012, "90012_d.sql", "INSERT INTO t_mig_c (id) VALUES (1);" },
	};
	char err[512];
	struct nl_store_options o = { .pool_size = 1, .busy_timeout_ms = 5000, .create = 1 };
	struct nl_store *s = NULL;
	m->rc = store_open(m->e->url, &o, &s, err, sizeof err);
	if (m->rc == 0)
		m->rc = migrate_apply_list(s, list, 2, &m->applied, err, sizeof err);
	store_close(s);
	return NULL;
}

/* Two servers starting at once (two pools, two threads) apply each migration once between them. */
static void test_migrate_concurrent(void **state)
{
	struct engine *e = need(state);
	struct migrator m[2] = { { e, -1, 0 }, { e, -1, 0 } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, migrate_thread, &m[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(m[0].rc, 0);
	assert_int_equal(m[1].rc, 0);
	assert_int_equal(m[0].applied + m[1].applied, 2);
	assert_int_equal(version_count(e->s, 90011), 1);
	assert_int_equal(version_count(e->s, 90012), 1);
}

/* PostgreSQL: a connection whose server session died is re-established on the next acquire. */
static void test_pg_reconnect(void **state)
{
	struct engine *e = need(state);
	struct nl_db *db = NULL, *other = NULL;
	struct nl_stmt *st = NULL;
	if (e->kind != NL_STORE_POSTGRES)
		skip();
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(store_acquire(e->s, 1000, &other), 0);
	int64_t pid = query_int(db, "SELECT pg_backend_pid()");
	assert_int_equal(query_int(db, "SELECT 42"), 42);                /* a cached statement to lose */
	assert_int_equal(db_prepare(other, "SELECT CAST(pg_terminate_backend(CAST($1 AS INTEGER)) AS INTEGER)", &st), 0);
	assert_int_equal(stmt_bind_int64(st, 1, pid), 0);
	assert_int_equal(stmt_step(st), 1);
	assert_int_equal(stmt_column_int64(st, 0), 1);
	stmt_done(st);
	store_release(other);
	store_release(db);
	sleep_ms(200);
	/* The pool hands out the most recently released connection first: take both and use each. */
	assert_int_equal(store_acquire(e->s, 1000, &db), 0);
	assert_int_equal(store_acquire(e->s, 1000, &other), 0);
	assert_int_equal(query_int(db, "SELECT 42"), 42);
	assert_int_equal(query_int(other, "SELECT 42"), 42);
	assert_true(query_int(db, "SELECT pg_backend_pid()") != pid);
	store_release(other);
	store_release(db);
}

#define ENGINE_TESTS(eng) \
	cmocka_unit_test_prestate_setup_teardown(test_placeholders, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_columns, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_step_after_done, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_conflict, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_transactions, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_stmt_cache, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_pool_timeout, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_lock_busy, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_exec, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_backup, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_migrate_embedded, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_migrate_list, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_migrate_concurrent, setup, teardown, &eng), \
	cmocka_unit_test_prestate_setup_teardown(test_pg_reconnect, setup, teardown, &eng)

int main(void)
{
	const char *lv = getenv("NENGLI_TEST_LOG");
	nl_log_level = lv && log_level_parse(lv) >= 0 ? log_level_parse(lv) : NL_LOG_OFF;
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(test_rewrite_placeholders),
		cmocka_unit_test(test_mask_url),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_default_and_prefixed_paths),
	};
	const struct CMUnitTest sqlite_tests[] = { ENGINE_TESTS(eng_sqlite) };
	const struct CMUnitTest pg_tests[] = { ENGINE_TESTS(eng_pg) };
	int failed = cmocka_run_group_tests_name("store", plain, NULL, NULL);
	failed += cmocka_run_group_tests_name("store_sqlite", sqlite_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("store_postgres", pg_tests, NULL, NULL);
	return failed;
}
