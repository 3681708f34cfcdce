/* fuzz_db.c — the drivers' throwaway SQLite database (fuzz_db.h). */
#include "fuzz_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/log.h"
#include "store/migrate.h"
#include "store/store.h"

static struct nl_store *store;
static struct nl_db *db;
static char path[512];

static void fuzz_db_remove(void)
{
	char p[600];
	store_release(db);
	store_close(store);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

struct nl_db *fuzz_db(void)
{
	char err[256];
	if (db)
		return db;
	nl_log_level = getenv("FUZZ_LOG") ? NL_LOG_DEBUG : NL_LOG_OFF;   /* the domain's logs would drown libFuzzer's */
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/nengli-fuzz-%d.db", tmp && *tmp ? tmp : "/tmp", (int)getpid());
	unlink(path);
	struct nl_store_options opt = { .pool_size = 1, .busy_timeout_ms = 1000, .create = 1 };
	if (store_open(path, &opt, &store, err, sizeof err) || migrate_apply(store, NULL, err, sizeof err) ||
		store_acquire(store, 1000, &db)) {
		fprintf(stderr, "fuzz_db: %s: %s\n", path, err);
		abort();
	}
	atexit(fuzz_db_remove);
	return db;
}
