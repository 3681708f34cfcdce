/* test_rowver.c — optimistic concurrency in the store (src/store/rowver.c) and the database checks (digest.c), on a
 * temporary SQLite store: a stale If-Match refused at once, a change between the read and the transaction refused at
 * db_begin with nothing written, one increment per committed edit, none for reads or rolled-back edits; integrity
 * check, per-table digests equal for equal contents and different after a change, the last audit row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"

#include <string.h>

#include "core/err.h"
#include "store/store.h"

struct fx {
	char path[256];
	struct nl_store *store;
	struct nl_db *db;
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	if (testdb_open("rowver", f.path, sizeof f.path, &f.store, &f.db))
		return -1;
	testdb_exec(f.db, "INSERT INTO departments (id, code, name, created_at, updated_at)"
			  " VALUES (7, 'D7', 'seven', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z')");
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	testdb_close(f->path, f->store, f->db);
	return 0;
}

/* One edit as a handler does it: arm, begin, update, commit. Returns the rc of the first failing step. */
static int edit(struct nl_db *db, struct nl_error *err, int64_t if_match, const char *name)
{
	int64_t cur = 0;
	struct nl_stmt *st = NULL;
	int rc = db_row_version(db, "departments", 7, NULL, if_match, 1, err, &cur);
	if (rc || (rc = db_begin(db)))
		return rc;
	if ((rc = db_prepare(db, "UPDATE departments SET name = $1 WHERE id = 7", &st))) {
		db_rollback(db);
		return rc;
	}
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

static void test_versions(void **state)
{
	struct fx *f = *state;
	struct nl_error err;
	int64_t cur = 0;
	memset(&err, 0, sizeof err);
	assert_int_equal(testdb_int(f->db, "SELECT row_version FROM departments WHERE id = 7"), 1);

	/* a read: the version, nothing armed, nothing bumped by a later transaction */
	assert_int_equal(db_row_version(f->db, "departments", 7, NULL, 0, 0, &err, &cur), 0);
	assert_int_equal(cur, 1);
	assert_int_equal(db_row_version_current(f->db), 1);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(testdb_int(f->db, "SELECT row_version FROM departments WHERE id = 7"), 1);

	/* without If-Match: proceeds, + 1 */
	assert_int_equal(edit(f->db, &err, 0, "a"), 0);
	assert_int_equal(db_row_version_current(f->db), 2);
	/* the current version: + 1 */
	assert_int_equal(edit(f->db, &err, 2, "b"), 0);
	assert_int_equal(testdb_int(f->db, "SELECT row_version FROM departments WHERE id = 7"), 3);
	/* a later transaction of the same request is not counted again */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(testdb_int(f->db, "SELECT row_version FROM departments WHERE id = 7"), 3);

	/* a stale version: refused before anything, naming If-Match */
	memset(&err, 0, sizeof err);
	assert_int_equal(edit(f->db, &err, 2, "stale"), NL_ECONFLICT);
	assert_string_equal(err.field, "If-Match");
	assert_int_equal(testdb_int(f->db, "SELECT count(*) FROM departments WHERE name = 'stale'"), 0);
	assert_int_equal(testdb_int(f->db, "SELECT row_version FROM departments WHERE id = 7"), 3);

	/* a change between the read and the transaction: refused at db_begin, rolled back */
	memset(&err, 0, sizeof err);
	assert_int_equal(db_row_version(f->db, "departments", 7, NULL, 3, 1, &err, &cur), 0);
	testdb_exec(f->db, "UPDATE departments SET row_version = 4 WHERE id = 7");   /* another writer */
	assert_int_equal(db_begin(f->db), NL_ECONFLICT);
	assert_false(db_in_transaction(f->db));
	assert_string_equal(err.field, "If-Match");
	/* and the refused arming does not linger */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(testdb_int(f->db, "SELECT row_version FROM departments WHERE id = 7"), 4);

	/* a rolled-back edit does not count */
	assert_int_equal(db_row_version(f->db, "departments", 7, NULL, 4, 1, &err, &cur), 0);
	assert_int_equal(db_begin(f->db), 0);
	db_rollback(f->db);
	assert_int_equal(testdb_int(f->db, "SELECT row_version FROM departments WHERE id = 7"), 4);

	/* no such row: no version, the domain answers 404 */
	assert_int_equal(db_row_version(f->db, "departments", 999, NULL, 5, 1, &err, &cur), 0);
	assert_int_equal(cur, 0);
	/* a table not in the list */
	assert_int_equal(db_row_version(f->db, "sessions", 1, NULL, 0, 0, &err, &cur), NL_EINVAL);
	assert_int_equal(db_row_version(f->db, "metric_values", 1, NULL, 0, 0, &err, &cur), NL_EINVAL);   /* needs key2 */
}

struct acc {
	char dept[33], audit[33];
	int64_t dept_rows, tables;
};

static int collect(void *arg, const struct nl_table_digest *d)
{
	struct acc *a = arg;
	a->tables++;
	if (!strcmp(d->table, "departments")) {
		memcpy(a->dept, d->digest, sizeof a->dept);
		a->dept_rows = d->rows;
	}
	return 0;
}

static void test_checks_and_digest(void **state)
{
	struct fx *f = *state;
	char msg[128], hash[65];
	struct acc a1, a2, a3;
	int64_t id = -1;
	memset(&a1, 0, sizeof a1);
	memset(&a2, 0, sizeof a2);
	memset(&a3, 0, sizeof a3);
	assert_int_equal(db_integrity_check(f->db, msg, sizeof msg), 0);
	assert_string_equal(msg, "ok");
	assert_int_equal(db_digest(f->db, collect, &a1), 0);
	assert_true(a1.tables > 40);
	assert_int_equal(a1.dept_rows, 1);
	assert_int_equal(db_digest(f->db, collect, &a2), 0);
	assert_string_equal(a1.dept, a2.dept);                     /* the same contents, the same digest */
	testdb_exec(f->db, "UPDATE departments SET name_en = 'x' WHERE id = 7");
	assert_int_equal(db_digest(f->db, collect, &a3), 0);
	assert_string_not_equal(a1.dept, a3.dept);                 /* one value changed */
	assert_int_equal(db_audit_row(f->db, 0, &id, hash), 0);
	assert_int_equal(id, 0);                                   /* no audit row yet */
	assert_string_equal(hash, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checks_and_digest, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
