/* test_auth.c — the permission table, role names, password hashing and policy, tokens, and the audit chain
 * (an intact chain verifies; an edited, deleted or relinked row is found). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/session.h"
#include "store/migrate.h"
#include "store/store.h"

static void test_roles(void **state)
{
	(void)state;
	assert_int_equal(role_parse("admin"), NL_ROLE_ADMIN);
	assert_int_equal(role_parse("auditor"), NL_ROLE_AUDITOR);
	assert_int_equal(role_parse("king"), 0);
	json_t *a = roles_to_json(NL_ROLE_PLANNER | NL_ROLE_HR);
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_array_get(a, 0)), "planner");
	assert_string_equal(json_string_value(json_array_get(a, 1)), "hr");
	json_decref(a);
}

static void test_policy_table(void **state)
{
	(void)state;
	assert_true(policy_allows(NL_ROLE_ADMIN, "org.write"));
	assert_false(policy_allows(NL_ROLE_PLANNER, "org.write"));
	assert_false(policy_allows(NL_ROLE_AUDITOR, "org.write"));
	assert_true(policy_allows(NL_ROLE_AUDITOR, "audit.read"));
	assert_false(policy_allows(NL_ROLE_MEMBER, "audit.read"));
	for (unsigned r = 1; r <= NL_ROLE_AUDITOR; r <<= 1) {
		assert_true(policy_allows(r, "self"));
		assert_true(policy_allows(r, "org.read"));
	}
	assert_false(policy_allows(NL_ROLE_ALL, "no.such.action"));
	assert_false(policy_allows(NL_ROLE_ALL, NULL));
	assert_false(policy_allows(0, "self"));
	struct nl_user u = { .roles = NL_ROLE_MEMBER, .department_id = 2 };
	assert_true(policy_scope_allows(&u, "org.read", 5));
	assert_false(policy_scope_allows(&u, "org.write", 2));
}

static void test_password_hash(void **state)
{
	(void)state;
	char h[crypto_pwhash_STRBYTES];
	assert_int_equal(password_hash("correct horse battery", h, sizeof h), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_true(password_verify(h, "correct horse battery"));
	assert_false(password_verify(h, "correct horse batterY"));
	assert_false(password_verify(NULL, "x"));
	char h2[crypto_pwhash_STRBYTES];
	assert_int_equal(password_hash("correct horse battery", h2, sizeof h2), 0);
	assert_string_not_equal(h, h2);   /* salted */
	struct nl_error e = { 0 };
	assert_int_equal(password_check_policy(&e, "password", "short", NULL), NL_EVALID);
	assert_string_equal(e.field, "password");
	memset(&e, 0, sizeof e);
	assert_int_equal(password_check_policy(&e, "password", "longenough1", NULL), 0);
	assert_int_equal(password_check_policy(&e, "password", "samenameasuser", "samenameasuser"), NL_EVALID);
}

static void test_tokens(void **state)
{
	(void)state;
	char a[64], b[64], hex[65];
	token_random(a, sizeof a, "nl_");
	token_random(b, sizeof b, "nl_");
	assert_int_equal(strlen(a), 3 + 43);
	assert_string_not_equal(a, b);
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* A fresh migrated SQLite database with one connection in ctx. */
struct fixture {
	char path[64];
	struct nl_store *store;
	struct nl_db *db;
	struct nl_error err;
	struct nl_ctx ctx;
};

static int setup_db(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (testdb_open("auth", f->path, sizeof f->path, &f->store, &f->db))
		return -1;
	f->ctx.db = f->db;
	f->ctx.err = &f->err;
	f->ctx.actor_name = "test";
	f->ctx.request_id = "t";
	*state = f;
	return 0;
}

static int teardown_db(void **state)
{
	struct fixture *f = *state;
	char p[80];
	store_release(f->db);
	store_close(f->store);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

static void append_rows(struct fixture *f, int n)
{
	for (int i = 0; i < n; i++) {
		json_t *after = json_pack("{s:i,s:s}", "n", i, "name", "部门");
		assert_int_equal(db_begin(f->db), 0);
		assert_int_equal(audit_append(&f->ctx, "create", "department", i + 1, NULL, after), 0);
		assert_int_equal(tx_end(&f->ctx, 0), 0);
		json_decref(after);
	}
}

static void exec_sql(struct fixture *f, const char *sql)
{
	testdb_exec(f->db, sql);
}

static void test_audit_chain_intact(void **state)
{
	struct fixture *f = *state;
	struct nl_audit_verify v;
	append_rows(f, 5);
	assert_int_equal(audit_verify(&f->ctx, &v), 0);
	assert_int_equal(v.rows, 5);
	assert_int_equal(v.broken_id, 0);
}

static void test_audit_outside_transaction_refused(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(audit_append(&f->ctx, "create", "x", 1, NULL, NULL), NL_EINTERNAL);
}

static void test_audit_detects_edit(void **state)
{
	struct fixture *f = *state;
	struct nl_audit_verify v;
	append_rows(f, 5);
	exec_sql(f, "UPDATE audit_log SET after_json = '{\"n\":99}' WHERE id = 3");
	assert_int_equal(audit_verify(&f->ctx, &v), 0);
	assert_int_equal(v.broken_id, 3);
	assert_non_null(strstr(v.reason, "changed"));
}

static void test_audit_detects_deletion(void **state)
{
	struct fixture *f = *state;
	struct nl_audit_verify v;
	append_rows(f, 5);
	exec_sql(f, "DELETE FROM audit_log WHERE id = 2");
	assert_int_equal(audit_verify(&f->ctx, &v), 0);
	assert_int_equal(v.broken_id, 3);
}

static void test_audit_detects_rehash_of_one_row(void **state)
{
	/* An attacker who edits row 2 and recomputes its hash still breaks row 3's link. */
	struct fixture *f = *state;
	struct nl_audit_verify v;
	char h[65], sql[256];
	append_rows(f, 4);
	struct nl_stmt *st;
	assert_int_equal(db_prepare(f->db, "SELECT prev_hash, at FROM audit_log WHERE id = 2", &st), 0);
	assert_int_equal(stmt_step(st), 1);
	char prev[65], at[32];
	snprintf(prev, sizeof prev, "%s", stmt_column_text(st, 0));
	snprintf(at, sizeof at, "%s", stmt_column_text(st, 1));
	stmt_done(st);
	audit_row_hash(prev, 2, at, 0, "test", "create", "department", 2, NULL, "{\"n\":7}", h);
	snprintf(sql, sizeof sql, "UPDATE audit_log SET after_json = '{\"n\":7}', hash = '%s' WHERE id = 2", h);
	exec_sql(f, sql);
	assert_int_equal(audit_verify(&f->ctx, &v), 0);
	assert_int_equal(v.broken_id, 3);
	assert_non_null(strstr(v.reason, "link"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_policy_table),
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test_setup_teardown(test_audit_chain_intact, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_audit_outside_transaction_refused, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_audit_detects_edit, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_audit_detects_deletion, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_audit_detects_rehash_of_one_row, setup_db, teardown_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
