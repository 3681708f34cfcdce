/* cmd_admin.c — `nengli audit verify`, `nengli check` (integrity, audit chain, per-table digests), `nengli backup`
 * and `nengli restore` (SQLite: the online backup API; PostgreSQL: pg_dump / pg_restore in custom format). */
#include "cli/cli.h"

#include "audit/audit.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/common.h"

int cmd_audit(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "verify") != 0) {
		fprintf(stderr, "usage: nengli audit verify [--db URL]\n"
				"  recomputes the audit log's hash chain; exit 1 naming the first broken row\n");
		return cli_has(argc, argv, "help") ? NL_EXIT_OK : NL_EXIT_USAGE;
	}
	struct nl_cli cli;
	int ex = cli_open(&cli, argc - 1, argv + 1, NULL, 0, 0);
	if (ex)
		return ex;
	struct nl_audit_verify v;
	int rc = audit_verify(&cli.ctx, &v);
	if (rc) {
		ex = cli_fail(&cli, "audit verify", rc);
	} else if (v.broken_id) {
		fprintf(stderr, "nengli: audit chain BROKEN at row %lld: %s\n", (long long)v.broken_id, v.reason);
		ex = NL_EXIT_FAIL;
	} else {
		printf("nengli: audit chain OK (%lld rows)\n", (long long)v.rows);
	}
	cli_close(&cli);
	return ex;
}

/* Splits argv: -x VALUE / --name VALUE options listed in `valued` and bare --flags listed in `bare` are the command's
 * own (found later with opt_value / opt_flag); the rest goes to rest[] for cli_open. Returns the count of rest. */
struct own_args {
	const char *value[4];
	int flag[4];
};
static int split_args(int argc, char **argv, const char *const valued[][2], size_t nvalued, const char *const *bare,
	size_t nbare, struct own_args *own, char **rest, int max)
{
	int n = 0;
	memset(own, 0, sizeof *own);
	for (int i = 0; i < argc; i++) {
		int used = 0;
		for (size_t k = 0; k < nvalued && !used; k++)
			if ((!strcmp(argv[i], valued[k][0]) || !strcmp(argv[i], valued[k][1])) && i + 1 < argc) {
				own->value[k] = argv[++i];
				used = 1;
			}
		for (size_t k = 0; k < nbare && !used; k++)
			if (!strcmp(argv[i], bare[k])) {
				own->flag[k] = 1;
				used = 1;
			}
		if (!used && n < max)
			rest[n++] = argv[i];
	}
	return n;
}

/* Runs a PostgreSQL client program (pg_dump, pg_restore) with argv; the URL's password, if any, goes to the child's
 * PGPASSWORD instead of its command line (where `ps` would show it). Returns its exit status, or -1. */
static int run_pg_tool(char **argv, const char *url, int url_index)
{
	char clean[1024], pw[256] = "";
	snprintf(clean, sizeof clean, "%s", url);
	char *scheme = strstr(clean, "://");
	if (scheme) {
		char *user = scheme + 3, *at = strchr(user, '@'), *slash = strchr(user, '/');
		char *colon = at ? memchr(user, ':', (size_t)(at - user)) : NULL;
		if (at && (!slash || at < slash) && colon) {
			size_t o = 0;
			for (char *p = colon + 1; p < at && o + 1 < sizeof pw; p++) {
				if (*p == '%' && p + 2 < at) {
					char hex[3] = { p[1], p[2], 0 };
					pw[o++] = (char)strtol(hex, NULL, 16);
					p += 2;
				} else {
					pw[o++] = *p;
				}
			}
			pw[o] = '\0';
			memmove(colon, at, strlen(at) + 1);
		}
	}
	argv[url_index] = clean;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (pw[0])
			setenv("PGPASSWORD", pw, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "nengli: cannot run %s: %s (install Debian's postgresql-client)\n", argv[0], strerror(errno));
		_exit(127);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *const backup_flags[] = { "o", "output", NULL };

int cmd_backup(int argc, char **argv)
{
	static const char *const valued[][2] = { { "-o", "--output" } };
	struct own_args own;
	char *args[64];
	int rest = split_args(argc, argv, valued, 1, NULL, 0, &own, args, 63);
	const char *out = own.value[0];
	if (!out || cli_has(argc, argv, "help")) {
		fprintf(stderr, "usage: nengli backup -o FILE [--db URL]\n"
				"  a consistent copy of the database while the server runs: SQLite through the online backup API,\n"
				"  PostgreSQL with pg_dump --format=custom (restore either with `nengli restore -i FILE --db NEW`)\n");
		return out ? NL_EXIT_OK : NL_EXIT_USAGE;
	}
	struct nl_cli cli;
	int ex = cli_open(&cli, rest, args, backup_flags, 0, 0);
	if (ex)
		return ex;
	char err[512];
	store_release(cli.db);   /* the backup takes its own connection */
	cli.db = NULL;
	if (store_kind(cli.store) == NL_STORE_POSTGRES) {
		char *pg[] = { "pg_dump", "--format=custom", "--no-owner", "--file", (char *)out, "--dbname", NULL, NULL };
		int st = run_pg_tool(pg, cli.cfg.db, 6);
		if (st != 0) {
			fprintf(stderr, "nengli: backup: pg_dump failed (status %d)\n", st);
			ex = NL_EXIT_FAIL;
		} else {
			printf("nengli: backup written to %s (pg_dump custom format)\n", out);
		}
		cli_close(&cli);
		return ex;
	}
	int rc = store_backup(cli.store, out, err, sizeof err);
	if (rc) {
		fprintf(stderr, "nengli: backup: %s\n", err);
		ex = NL_EXIT_FAIL;
	} else {
		printf("nengli: backup written to %s\n", out);
	}
	cli_close(&cli);
	return ex;
}

/* db_digest callback: adds {"rows": n, "digest": "..."} under the table's name, and counts. */
struct digest_acc {
	json_t *tables;     /* NULL: only count */
	int64_t ntables, rows;
};
static int digest_add(void *arg, const struct nl_table_digest *d)
{
	struct digest_acc *a = arg;
	a->ntables++;
	a->rows += d->rows;
	if (a->tables)
		json_object_set_new(a->tables, d->table, json_pack("{s:I,s:s}", "rows", (json_int_t)d->rows, "digest", d->digest));
	return 0;
}

/* The checks shared by `check` and `restore`: integrity, audit chain, counts (and digests into tables when given).
 * Prints one line per check unless quiet. Returns NL_EXIT_OK or NL_EXIT_FAIL. */
static int check_db(struct nl_cli *cli, json_t *report, int quiet)
{
	char msg[512];
	struct nl_audit_verify v;
	struct digest_acc acc = { .tables = report ? json_object() : NULL };
	int64_t last_id = 0;
	char last_hash[65];
	int ex = NL_EXIT_OK;
	int rc = db_integrity_check(cli->db, msg, sizeof msg);
	if (rc && rc != NL_ESTORE) {
		json_decref(acc.tables);
		return cli_fail(cli, "integrity check", rc);
	}
	if (!quiet)
		printf("nengli: integrity %s%s\n", rc ? "FAILED: " : "", msg);
	if (rc) {
		fprintf(stderr, "nengli: integrity check failed: %s\n", msg);
		ex = NL_EXIT_FAIL;
	}
	if ((rc = audit_verify(&cli->ctx, &v)) || (rc = db_audit_row(cli->db, 0, &last_id, last_hash)) ||
		(rc = db_digest(cli->db, digest_add, &acc))) {
		json_decref(acc.tables);
		return cli_fail(cli, "check", rc);
	}
	if (v.broken_id) {
		fprintf(stderr, "nengli: audit chain BROKEN at row %lld: %s\n", (long long)v.broken_id, v.reason);
		ex = NL_EXIT_FAIL;
	} else if (!quiet) {
		printf("nengli: audit chain OK (%lld rows, last %lld)\n", (long long)v.rows, (long long)last_id);
	}
	if (!quiet)
		printf("nengli: %lld tables, %lld rows\n", (long long)acc.ntables, (long long)acc.rows);
	if (report) {
		json_object_set_new(report, "integrity", json_string(msg));
		json_object_set_new(report, "audit", json_pack("{s:b,s:I,s:I,s:s}", "ok", !v.broken_id, "rows",
			(json_int_t)v.rows, "last_id", (json_int_t)last_id, "last_hash", last_hash));
		json_object_set_new(report, "tables", acc.tables);
	}
	return ex;
}

/* nengli check [--db URL] [--json] [--audit-row N] */
int cmd_check(int argc, char **argv)
{
	static const char *const valued[][2] = { { "--audit-row", "--audit-row" } };
	static const char *const bare[] = { "--json" };
	struct own_args own;
	char *args[64];
	int rest = split_args(argc, argv, valued, 1, bare, 1, &own, args, 63);
	if (cli_has(argc, argv, "help")) {
		fprintf(stderr, "usage: nengli check [--db URL] [--json] [--audit-row N]\n"
				"  SQLite's integrity_check, the audit chain, row counts; exit 1 when something is wrong.\n"
				"  --json: one JSON document with per-table row counts and checksums of every record (to compare a\n"
				"  restored backup with its original) and the last audit row; --audit-row N: also that row's hash.\n");
		return NL_EXIT_OK;
	}
	struct nl_cli cli;
	int ex = cli_open(&cli, rest, args, NULL, 0, 0);
	if (ex)
		return ex;
	json_t *report = own.flag[0] ? json_object() : NULL;
	ex = check_db(&cli, report, report != NULL);
	if (report && ex == NL_EXIT_OK && own.value[0]) {
		char *end = NULL, hash[65];
		long long id = strtoll(own.value[0], &end, 10);
		int64_t got = 0;
		if (!end || *end || id < 1 || db_audit_row(cli.db, id, &got, hash)) {
			fprintf(stderr, "nengli: --audit-row needs an existing audit row id\n");
			ex = NL_EXIT_USAGE;
		} else {
			json_object_set_new(report, "audit_row", json_pack("{s:I,s:s}", "id", (json_int_t)got, "hash", hash));
		}
	}
	if (report) {
		json_dumpf(report, stdout, JSON_INDENT(1) | JSON_SORT_KEYS);
		printf("\n");
		json_decref(report);
	}
	cli_close(&cli);
	return ex;
}

/* nengli restore -i FILE --db NEW [--force] */
int cmd_restore(int argc, char **argv)
{
	static const char *const valued[][2] = { { "-i", "--input" } };
	static const char *const bare[] = { "--force" };
	struct own_args own;
	char *args[64];
	char err[512];
	int rest = split_args(argc, argv, valued, 1, bare, 1, &own, args, 63);
	const char *in = own.value[0];
	if (!in || cli_has(argc, argv, "help")) {
		fprintf(stderr, "usage: nengli restore -i FILE --db NEW [--force]\n"
				"  restores a `nengli backup` into a new database (SQLite: a new file; PostgreSQL: an empty database,\n"
				"  with pg_restore), applies pending migrations, then checks integrity and the audit chain and prints\n"
				"  the counts. A target that already holds data is refused unless --force (stop its server first).\n");
		return in ? NL_EXIT_OK : NL_EXIT_USAGE;
	}
	struct stat sb;
	if (stat(in, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0) {
		fprintf(stderr, "nengli: restore: %s is not a backup file\n", in);
		return NL_EXIT_FAIL;
	}
	struct nl_cli cli;
	int ex = cli_open(&cli, rest, args, NULL, 1, 0);
	if (ex)
		return ex;
	struct digest_acc acc = { 0 };
	int rc = db_digest(cli.db, digest_add, &acc);
	if (rc) {
		ex = cli_fail(&cli, "restore", rc);
		cli_close(&cli);
		return ex;
	}
	if (acc.ntables > 0 && !own.flag[0]) {
		fprintf(stderr, "nengli: restore: %s already holds %lld tables; restore into a new database, or add --force to "
				"replace it (stop its server first)\n", store_display_url(cli.store), (long long)acc.ntables);
		cli_close(&cli);
		return NL_EXIT_FAIL;
	}
	int pg = store_kind(cli.store) == NL_STORE_POSTGRES;
	char target[1024];
	snprintf(target, sizeof target, "%s", cli.cfg.db);
	cli_close(&cli);
	if (pg) {
		char *argv_pg[12];
		int n = 0, url_at;
		argv_pg[n++] = "pg_restore";
		argv_pg[n++] = "--no-owner";
		argv_pg[n++] = "--no-privileges";
		argv_pg[n++] = "--exit-on-error";
		argv_pg[n++] = "--single-transaction";
		if (own.flag[0]) {
			argv_pg[n++] = "--clean";
			argv_pg[n++] = "--if-exists";
		}
		argv_pg[n++] = "--dbname";
		url_at = n;
		argv_pg[n++] = NULL;
		argv_pg[n++] = (char *)in;
		argv_pg[n] = NULL;
		int st = run_pg_tool(argv_pg, target, url_at);
		if (st != 0) {
			fprintf(stderr, "nengli: restore: pg_restore failed (status %d)\n", st);
			return NL_EXIT_FAIL;
		}
	} else {
		/* The backup file is opened as a database of its own and copied with the online backup API into the target
		 * (through a temporary file renamed over it). A replaced target's old -wal/-shm must not survive it. */
		struct nl_store *src = NULL;
		struct nl_store_options opt = { .pool_size = 1, .create = 0 };
		const char *path = target;
		if (!strncmp(path, "sqlite:", 7))
			path += 7;
		else if (!strncmp(path, "file:", 5))
			path += 5;
		if (!strncmp(path, "//", 2))
			path += 2;
		if (store_open(in, &opt, &src, err, sizeof err)) {
			fprintf(stderr, "nengli: restore: %s\n", err);
			return NL_EXIT_FAIL;
		}
		struct nl_db *sdb = NULL;
		char msg[256];
		rc = store_acquire(src, 10000, &sdb);
		if (rc == 0)
			rc = db_integrity_check(sdb, msg, sizeof msg);
		store_release(sdb);
		if (rc) {
			fprintf(stderr, "nengli: restore: %s is damaged: %s\n", in, rc == NL_ESTORE ? msg : "cannot read it");
			store_close(src);
			return NL_EXIT_FAIL;
		}
		char side[1100];
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
		rc = store_backup(src, path, err, sizeof err);
		store_close(src);
		if (rc) {
			fprintf(stderr, "nengli: restore: %s\n", err);
			return NL_EXIT_FAIL;
		}
	}
	/* Bring the schema up to this version, then check what was restored. */
	if ((ex = cli_open(&cli, rest, args, NULL, 0, 1)))
		return ex;
	ex = check_db(&cli, NULL, 0);
	if (ex == NL_EXIT_OK)
		printf("nengli: restored %s into %s\n", in, store_display_url(cli.store));
	cli_close(&cli);
	return ex;
}
