/* test_rows.c — result rows to JSON by a column map: each type, NULLs, ids of 0, JSON text, limit and `more`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/rows.h"

static struct nl_store *store;
static struct nl_db *db;
static char path[64];

static int setup(void **state)
{
	(void)state;
	char err[256];
	snprintf(path, sizeof path, "/tmp/nengli-test-rows-%d.db", (int)getpid());
	unlink(path);
	struct nl_store_options opt = { .pool_size = 1, .create = 1 };
	if (store_open(path, &opt, &store, err, sizeof err) || store_acquire(store, 1000, &db))
		return -1;
	if (db_exec(db, "CREATE TABLE t (i INTEGER, d INTEGER, s TEXT, b INTEGER, r REAL, j TEXT);"
			"INSERT INTO t VALUES (7, 0, '能力', 1, 0.5, '{\"a\":[1,2]}');"
			"INSERT INTO t VALUES (8, 3, NULL, 0, NULL, 'not json');"
			"INSERT INTO t VALUES (9, NULL, 'x', NULL, 2, NULL);"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_release(db);
	store_close(store);
	unlink(path);
	return 0;
}

static const struct nl_col cols[] = {
	{ "i", NL_COL_INT }, { "d", NL_COL_ID }, { "s", NL_COL_TEXT }, { "b", NL_COL_BOOL }, { "r", NL_COL_REAL },
	{ "j", NL_COL_JSON },
};

static void test_types(void **state)
{
	(void)state;
	struct nl_stmt *st;
	json_t *items;
	int more = -1;
	assert_int_equal(db_prepare(db, "SELECT i, d, s, b, r, j FROM t ORDER BY i", &st), 0);
	assert_int_equal(stmt_rows_json(st, cols, 6, 0, &items, &more), 0);
	assert_int_equal(more, 0);
	assert_int_equal(json_array_size(items), 3);
	char *text = json_dumps(items, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text,
		"[{\"i\":7,\"d\":null,\"s\":\"能力\",\"b\":true,\"r\":0.5,\"j\":{\"a\":[1,2]}},"
		"{\"i\":8,\"d\":3,\"s\":null,\"b\":false,\"r\":null,\"j\":null},"
		"{\"i\":9,\"d\":null,\"s\":\"x\",\"b\":null,\"r\":2.0,\"j\":null}]");
	free(text);
	json_decref(items);
}

static void test_limit_and_skip(void **state)
{
	(void)state;
	static const struct nl_col two[] = { { "i", NL_COL_INT }, { "hidden", NL_COL_SKIP } };
	struct nl_stmt *st;
	json_t *items;
	int more = 0;
	assert_int_equal(db_prepare(db, "SELECT i, s FROM t ORDER BY i", &st), 0);
	assert_int_equal(stmt_rows_json(st, two, 2, 2, &items, &more), 0);
	assert_int_equal(more, 1);
	assert_int_equal(json_array_size(items), 2);
	assert_null(json_object_get(json_array_get(items, 0), "hidden"));
	json_decref(items);
	assert_int_equal(db_prepare(db, "SELECT i, s FROM t ORDER BY i", &st), 0);
	assert_int_equal(stmt_rows_json(st, two, 2, 3, &items, &more), 0);
	assert_int_equal(more, 0);
	json_decref(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_limit_and_skip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
