/* main.c — the `nengli` command: dispatches to the subcommands in src/cli/ (serve starts the HTTP server). */
#include "cli/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

#ifndef NL_VERSION
#define NL_VERSION "0.1.0"
#endif

static int cmd_version(int argc, char **argv)
{
	printf("nengli %s\n", NL_VERSION);
	return NL_EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "init", cmd_init, "init    [--db URL] [--admin-password-file FILE]   create the schema and the admin account" },
	{ "migrate", cmd_migrate, "migrate [--db URL]                                apply pending migrations" },
	{ "serve", cmd_serve, "serve   [--db URL] [--listen HOST:PORT] [--config FILE]   serve the API and the web UI" },
	{ "demo", cmd_demo, "demo    [--db URL]                                load a demo organisation" },
	{ "user", cmd_user, "user    add|passwd|disable ...                    manage accounts" },
	{ "token", cmd_token, "token   create --user NAME --name LABEL           create an API token" },
	{ "audit", cmd_audit, "audit   verify                                    check the audit log's hash chain" },
	{ "backup", cmd_backup, "backup  -o FILE                                   copy the database while it is in use" },
	{ "restore", cmd_restore, "restore -i FILE --db NEW [--force]                restore a backup into a new database and check it" },
	{ "check", cmd_check, "check   [--json] [--audit-row N]                  integrity, audit chain, per-table counts and checksums" },
	{ "import", cmd_import, "import  tickets --format csv|jsonl|servicenow FILE   import tickets (all or nothing; --help)" },
	{ "export", cmd_export, "export  RECORD --year Y --format xlsx|pdf|docx [--lang zh|en] -o FILE   a record as a document" },
	{ "version", cmd_version, "version                                           print the version" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: nengli COMMAND [options]\n\ncommands:\n");
	for (size_t i = 0; i < NL_ARRAY_LEN(commands); i++)
		fprintf(f, "  nengli %s\n", commands[i].usage);
	fprintf(f, "\n--db takes a SQLite path (default ./var/nengli.db) or a postgresql:// URL (env NENGLI_DB).\n"
		   "`nengli COMMAND --help` shows a command's options; `nengli serve --help` all configuration keys.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? NL_EXIT_USAGE : NL_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(0, NULL);
	if (sodium_init() < 0) {
		fprintf(stderr, "nengli: libsodium failed to initialise\n");
		return NL_EXIT_FAIL;
	}
	for (size_t i = 0; i < NL_ARRAY_LEN(commands); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		int sub = !strcmp(argv[1], "user") || !strcmp(argv[1], "token") || !strcmp(argv[1], "audit");
		if (!sub && (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")))) {
			printf("usage: nengli %s\n\nconfiguration options (flags > NENGLI_* environment > --config file > defaults):\n",
				commands[i].usage);
			config_usage(stdout);
			return NL_EXIT_OK;
		}
		return commands[i].fn(argc - 2, argv + 2);
	}
	fprintf(stderr, "nengli: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return NL_EXIT_USAGE;
}
