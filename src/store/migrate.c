/* migrate.c — applies the numbered migrations embedded from db/migrations/{sqlite,postgres}/ in version order,
 * each in its own transaction together with its schema_migrations row; on PostgreSQL under an advisory lock so
 * that servers starting together apply each migration once. */
#include "store/migrate.h"

#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

#define MIGRATE_LOCK_KEY "121382446278761"     /* "nengli" in ASCII, as a bigint */
#define MIGRATE_ACQUIRE_MS 30000
#define MIGRATE_LOCK_POLL_MS 200
#define MIGRATE_LOCK_WAIT_MS (10 * 60 * 1000)

static const char sql_create[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	"applied_at TEXT NOT NULL)";
static const char sql_versions[] = "SELECT version FROM schema_migrations ORDER BY version";
static const char sql_has_version[] = "SELECT COUNT(*) FROM schema_migrations WHERE version = $1";
static const char sql_record[] = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

/* The versions recorded in schema_migrations, ascending. */
struct applied_set {
	int *v;
	size_t n;
};

static pthread_once_t mig_once = PTHREAD_ONCE_INIT;
static struct nl_migration *mig_sqlite, *mig_postgres;   /* built once, kept for the process's life */
static size_t mig_sqlite_n, mig_postgres_n;

/* qsort order: by version. */
static int mig_cmp(const void *a, const void *b)
{
	const struct nl_migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

/* Builds the migration list of one engine from its embedded table; files without a leading number are skipped. */
static void mig_build(const struct nl_embed *t, size_t n, struct nl_migration **out, size_t *nout)
{
	struct nl_migration *m = calloc(n + 1, sizeof *m);
	size_t k = 0;
	if (!m) {
		NL_LOG(NL_LOG_ERROR, "migrate: out of memory listing the migrations");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(t[i].path, '/');
		base = base ? base + 1 : t[i].path;
		char *end = NULL;
		long v = strtol(base, &end, 10);
		if (end == base || base[0] < '0' || base[0] > '9' || v <= 0 || v > INT_MAX) {
			NL_LOG(NL_LOG_WARN, "migrate: ignoring %s (its name does not start with a version number)", t[i].path);
			continue;
		}
		m[k++] = (struct nl_migration){ .version = (int)v, .name = base, .sql = (const char *)t[i].data };
	}
	qsort(m, k, sizeof *m, mig_cmp);
	*out = m;
	*nout = k;
}

/* pthread_once routine: both engines' lists. */
static void mig_build_all(void)
{
	mig_build(nl_embed_migrations_sqlite, nl_embed_migrations_sqlite_count, &mig_sqlite, &mig_sqlite_n);
	mig_build(nl_embed_migrations_postgres, nl_embed_migrations_postgres_count, &mig_postgres, &mig_postgres_n);
}

/* The embedded migrations of kind, sorted by version (built on first use); NULL and 0 for an unknown kind. */
const struct nl_migration *migrations_for(enum nl_store_kind kind, size_t *n)
{
	pthread_once(&mig_once, mig_build_all);
	*n = 0;
	if (kind == NL_STORE_SQLITE) {
		*n = mig_sqlite_n;
		return mig_sqlite;
	}
	if (kind == NL_STORE_POSTGRES) {
		*n = mig_postgres_n;
		return mig_postgres;
	}
	return NULL;
}

/* Reads schema_migrations into *a (caller frees a->v). */
static int load_applied(struct nl_db *db, struct applied_set *a)
{
	struct nl_stmt *st = NULL;
	size_t alloc = 0;
	int rc = db_prepare(db, sql_versions, &st);
	while (rc == 0 && (rc = stmt_step(st)) == 1) {
		if (a->n == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			int *p = realloc(a->v, alloc * sizeof *p);
			if (!p) {
				rc = NL_ENOMEM;
				break;
			}
			a->v = p;
		}
		a->v[a->n++] = (int)stmt_column_int64(st, 0);
		rc = 0;
	}
	stmt_done(st);
	return rc;
}

/* Binary search of the recorded versions. */
static int is_applied(const struct applied_set *a, int version)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->v[mid] == version)
			return 1;
		if (a->v[mid] < version)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Logs versions the database has but the list does not (a database migrated by a newer nengli). */
static void warn_unknown(const struct applied_set *a, const struct nl_migration *list, size_t n)
{
	for (size_t i = 0; i < a->n; i++) {
		size_t j = 0;
		while (j < n && list[j].version != a->v[i])
			j++;
		if (j == n)
			NL_LOG(NL_LOG_WARN, "migrate: the database has migration %d, which this nengli does not know", a->v[i]);
	}
}

/* Runs a query returning one integer (e.g. a count) into *v. */
static int query_int(struct nl_db *db, const char *sql, int bind_version, int64_t *v)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st);
	if (rc == 0 && bind_version > 0)
		rc = stmt_bind_int64(st, 1, bind_version);
	if (rc == 0)
		rc = stmt_step(st);
	if (rc == 1) {
		*v = stmt_column_int64(st, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = NL_ESTORE;        /* no row */
	}
	stmt_done(st);
	return rc;
}

/* Takes the PostgreSQL advisory lock that serialises migrations across servers, polling so that lock_timeout
 * does not cut a long wait short. */
static int lock_migrations(struct nl_db *db, char *errbuf, size_t errlen)
{
	int64_t got = 0;
	for (int waited = 0; waited <= MIGRATE_LOCK_WAIT_MS; waited += MIGRATE_LOCK_POLL_MS) {
		int rc = query_int(db, "SELECT pg_try_advisory_lock(" MIGRATE_LOCK_KEY ")", 0, &got);
		if (rc < 0) {
			snprintf(errbuf, errlen, "cannot take the migration lock: %s", db_last_error(db));
			return rc;
		}
		if (got)
			return 0;
		if (waited == 0)
			NL_LOG(NL_LOG_INFO, "migrate: waiting for another server to finish its migrations");
		struct timespec ts = { 0, MIGRATE_LOCK_POLL_MS * 1000000L };
		nanosleep(&ts, NULL);
	}
	snprintf(errbuf, errlen, "timed out waiting for another server's migrations (advisory lock)");
	return NL_EBUSY;
}

/* Releases the advisory lock (also released by PostgreSQL if the session ends). */
static void unlock_migrations(struct nl_db *db)
{
	int64_t ok = 0;
	if (query_int(db, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", 0, &ok) < 0 || !ok)
		NL_LOG(NL_LOG_WARN, "migrate: the migration lock was not held at the end");
}

/* Writes the current UTC time as RFC 3339, e.g. 2026-11-05T08:30:00Z. */
static void now_rfc3339(char *out, size_t n)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Inserts m's schema_migrations row, applied now. */
static int record_migration(struct nl_db *db, const struct nl_migration *m)
{
	char when[32];
	struct nl_stmt *st = NULL;
	now_rfc3339(when, sizeof when);
	int rc = db_prepare(db, sql_record, &st);
	if (rc == 0)
		rc = stmt_bind_int64(st, 1, m->version);
	if (rc == 0)
		rc = stmt_bind_text(st, 2, m->name);
	if (rc == 0)
		rc = stmt_bind_text(st, 3, when);
	if (rc == 0)
		rc = stmt_step(st);
	stmt_done(st);
	return rc;
}

/* Applies m in one transaction. Returns 1 when applied, 0 when another server applied it meanwhile, or NL_E*. */
static int apply_one(struct nl_db *db, const struct nl_migration *m)
{
	int64_t done = 0;
	int rc = db_begin(db);
	if (rc < 0)
		goto out;
	rc = query_int(db, sql_has_version, m->version, &done);
	if (rc < 0 || done)
		goto out;
	rc = db_exec(db, m->sql);
	if (rc == 0)
		rc = record_migration(db, m);
	if (rc == 0)
		rc = db_commit(db);
	if (rc == 0) {
		NL_LOG(NL_LOG_INFO, "migrate: applied %s", m->name);
		rc = 1;
	}
out:
	db_rollback(db);
	return rc;
}

/* Checks that list is sorted by strictly increasing version. */
static int list_valid(const struct nl_migration *list, size_t n, char *errbuf, size_t errlen)
{
	for (size_t i = 1; i < n; i++) {
		if (list[i].version <= list[i - 1].version) {
			snprintf(errbuf, errlen, "migrations %s and %s are out of order or share a version",
				list[i - 1].name, list[i].name);
			return NL_EINVAL;
		}
	}
	return 0;
}

/* Applies the pending migrations of list on db (the lock, if any, is held by the caller); complete: list is all
 * the migrations this nengli knows, so versions beyond it are worth a warning. */
static int apply_pending(struct nl_db *db, const struct nl_migration *list, size_t n, int complete, int *count,
	char *errbuf, size_t errlen)
{
	struct applied_set a = { NULL, 0 };
	int rc = load_applied(db, &a);
	if (rc < 0) {
		snprintf(errbuf, errlen, "cannot read schema_migrations: %s", db_last_error(db));
		goto out;
	}
	if (complete)
		warn_unknown(&a, list, n);
	for (size_t i = 0; i < n; i++) {
		if (is_applied(&a, list[i].version))
			continue;
		rc = apply_one(db, &list[i]);
		if (rc < 0) {
			snprintf(errbuf, errlen, "migration %s failed: %s", list[i].name, db_last_error(db));
			goto out;
		}
		*count += rc;
	}
	rc = 0;
out:
	free(a.v);
	return rc;
}

/* migrate_apply_list(), and complete as for apply_pending(). */
static int apply_list(struct nl_store *s, const struct nl_migration *list, size_t n, int complete, int *applied,
	char *errbuf, size_t errlen)
{
	struct nl_db *db = NULL;
	int locked = 0, count = 0;
	int rc = list_valid(list, n, errbuf, errlen);
	if (rc < 0)
		goto out;
	rc = store_acquire(s, MIGRATE_ACQUIRE_MS, &db);
	if (rc < 0) {
		snprintf(errbuf, errlen, "migrations: no free database connection");
		goto out;
	}
	if (store_kind(s) == NL_STORE_POSTGRES) {
		rc = lock_migrations(db, errbuf, errlen);
		if (rc < 0)
			goto out;
		locked = 1;
	}
	rc = db_exec(db, sql_create);
	if (rc < 0) {
		snprintf(errbuf, errlen, "cannot create schema_migrations: %s", db_last_error(db));
		goto out;
	}
	rc = apply_pending(db, list, n, complete, &count, errbuf, errlen);
out:
	if (locked)
		unlock_migrations(db);
	store_release(db);
	if (applied)
		*applied = count;
	return rc;
}

/* Applies the pending migrations of an explicit list (see migrate.h). */
int migrate_apply_list(struct nl_store *s, const struct nl_migration *list, size_t n, int *applied,
	char *errbuf, size_t errlen)
{
	return apply_list(s, list, n, 0, applied, errbuf, errlen);
}

/* Applies the embedded migrations of the store's engine (see migrate.h). */
int migrate_apply(struct nl_store *s, int *applied, char *errbuf, size_t errlen)
{
	size_t n = 0;
	const struct nl_migration *list = migrations_for(store_kind(s), &n);
	return apply_list(s, list, n, 1, applied, errbuf, errlen);
}

/* Sets *exists to whether schema_migrations exists, without creating it. */
static int table_exists(struct nl_db *db, int *exists)
{
	int64_t v = 0;
	const char *sql = db_kind(db) == NL_STORE_SQLITE
		? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
		: "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = 'schema_migrations' "
		  "AND schemaname = current_schema()";
	int rc = query_int(db, sql, 0, &v);
	*exists = v > 0;
	return rc;
}

/* Counts the embedded migrations not recorded in schema_migrations (all of them when it does not exist). */
int migrate_pending(struct nl_store *s, int *pending)
{
	struct nl_db *db = NULL;
	struct applied_set a = { NULL, 0 };
	size_t n = 0;
	int exists = 0;
	const struct nl_migration *list = migrations_for(store_kind(s), &n);
	*pending = 0;
	int rc = store_acquire(s, MIGRATE_ACQUIRE_MS, &db);
	if (rc < 0)
		goto out;
	rc = table_exists(db, &exists);
	if (rc == 0 && exists)
		rc = load_applied(db, &a);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		*pending += !is_applied(&a, list[i].version);
out:
	free(a.v);
	store_release(db);
	return rc;
}
