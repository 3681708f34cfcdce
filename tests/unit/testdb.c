/* testdb.c — the unit tests' shared database fixture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"

#include "store/migrate.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int testdb_open(const char *name, char *path, size_t pathlen, struct nl_store **store, struct nl_db **db)
{
	char err[256];
	snprintf(path, pathlen, "/tmp/nengli-test-%s-%d.db", name, (int)getpid());
	unlink(path);
	struct nl_store_options opt = { .pool_size = 1, .busy_timeout_ms = 1000, .create = 1 };
	if (store_open(path, &opt, store, err, sizeof err) || migrate_apply(*store, NULL, err, sizeof err) ||
		store_acquire(*store, 1000, db)) {
		fprintf(stderr, "testdb_open: %s\n", err);
		return -1;
	}
	return 0;
}

void testdb_close(const char *path, struct nl_store *store, struct nl_db *db)
{
	char p[300];
	store_release(db);
	store_close(store);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

void testdb_exec(struct nl_db *db, const char *sql)
{
	struct nl_stmt *st;
	assert_int_equal(db_prepare(db, sql, &st), 0);
	int rc = stmt_step(st);
	if (rc < 0)
		fail_msg("%s: %s", sql, db_last_error(db));
	stmt_done(st);
}

int64_t testdb_int(struct nl_db *db, const char *sql)
{
	struct nl_stmt *st;
	assert_int_equal(db_prepare(db, sql, &st), 0);
	assert_int_equal(stmt_step(st), 1);
	int64_t v = stmt_column_int64(st, 0);
	stmt_done(st);
	return v;
}

void testdb_add_user(struct nl_db *db, struct nl_user *u, int64_t id, const char *name, unsigned roles, int64_t dept)
{
	char sql[384], d[24];
	if (dept > 0)
		snprintf(d, sizeof d, "%lld", (long long)dept);
	else
		snprintf(d, sizeof d, "NULL");
	snprintf(sql, sizeof sql, "INSERT INTO users (id, username, display_name, department_id, password_hash, active,"
				  " created_at, updated_at) VALUES (%lld, '%s', '%s', %s, 'x', 1, '2026-11-28T08:00:00Z',"
				  " '2026-11-28T08:00:00Z')", (long long)id, name, name, d);
	testdb_exec(db, sql);
	memset(u, 0, sizeof *u);
	u->id = id;
	snprintf(u->username, sizeof u->username, "%s", name);
	snprintf(u->display_name, sizeof u->display_name, "%s", name);
	u->roles = roles;
	u->department_id = dept > 0 ? dept : 0;
	u->active = 1;
}
