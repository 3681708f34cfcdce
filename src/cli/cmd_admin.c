/* cmd_admin.c — `nengli audit verify` and `nengli backup -o FILE`. */
#include "cli/cli.h"

#include "audit/audit.h"

#include <stdio.h>
#include <string.h>

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

static const char *const backup_flags[] = { "o", "output", NULL };

int cmd_backup(int argc, char **argv)
{
	const char *out = NULL;
	int rest = 0;
	char *args[64];
	for (int i = 0; i < argc && rest < 63; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
			out = argv[++i];
		else
			args[rest++] = argv[i];
	}
	if (!out || cli_has(argc, argv, "help")) {
		fprintf(stderr, "usage: nengli backup -o FILE [--db URL]\n"
				"  a consistent copy of a SQLite database while the server runs (PostgreSQL: prints the pg_dump command)\n");
		return out ? NL_EXIT_OK : NL_EXIT_USAGE;
	}
	struct nl_cli cli;
	int ex = cli_open(&cli, rest, args, backup_flags, 0, 0);
	if (ex)
		return ex;
	char err[512];
	store_release(cli.db);   /* the backup takes its own connection */
	cli.db = NULL;
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
