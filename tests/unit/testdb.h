/* testdb.h — what the unit tests that need a database share: a fresh migrated SQLite file, statements that must
 * succeed, and user rows inserted directly (no password hashing). Failures end the test through cmocka. */
#ifndef NL_TESTDB_H
#define NL_TESTDB_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/store.h"

/* Opens /tmp/nengli-test-<name>-<pid>.db afresh (its path into path), applies the migrations and acquires the one
 * connection. Returns 0, or -1 (a cmocka setup failure). */
int testdb_open(const char *name, char *path, size_t pathlen, struct nl_store **store, struct nl_db **db);
/* Releases, closes and removes the file with its WAL companions. */
void testdb_close(const char *path, struct nl_store *store, struct nl_db *db);
/* Runs one statement that must succeed (the test fails with the driver's message otherwise). */
void testdb_exec(struct nl_db *db, const char *sql);
/* The first column of the first row of a query that must return one. */
int64_t testdb_int(struct nl_db *db, const char *sql);
/* Inserts user `id` named `name` (department 0: none) and fills u as an authenticated user with `roles`. */
void testdb_add_user(struct nl_db *db, struct nl_user *u, int64_t id, const char *name, unsigned roles, int64_t dept);

#endif
