/* migrate.h — applies the numbered .sql migrations embedded in the binary (db/migrations/{sqlite,postgres}/NNNN_name.sql)
 * in order, each in its own transaction, recording each in schema_migrations(version, name, applied_at).
 * On PostgreSQL an advisory lock makes two servers starting at once apply each migration once. */
#ifndef NL_MIGRATE_H
#define NL_MIGRATE_H

#include "store/store.h"

struct nl_migration {
	int version;            /* NNNN from the file name */
	const char *name;       /* the file name */
	const char *sql;        /* the file's text, NUL-terminated */
};

/* The migrations for an engine, sorted by version; *n receives the count. Provided by the build (embedded files). */
const struct nl_migration *migrations_for(enum nl_store_kind kind, size_t *n);

/* Applies every pending migration. Returns 0 and *applied (may be NULL) = how many were applied, or a negative
 * NL_E* with a message in errbuf naming the failing migration. */
int migrate_apply(struct nl_store *s, int *applied, char *errbuf, size_t errlen) __attribute__((warn_unused_result));
/* Like migrate_apply, for an explicit list (sorted by version, versions unique; NL_EINVAL otherwise):
 * migrate_apply(s, ...) is migrate_apply_list(s, migrations_for(store_kind(s), &n), n, ...). For tests and tools. */
int migrate_apply_list(struct nl_store *s, const struct nl_migration *list, size_t n, int *applied,
	char *errbuf, size_t errlen) __attribute__((warn_unused_result));
/* Returns 0 and *pending = migrations not yet applied. */
int migrate_pending(struct nl_store *s, int *pending) __attribute__((warn_unused_result));

#endif
