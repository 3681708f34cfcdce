/* cli.c — what the subcommands share: options, opening the store, the command line's domain context. */
#include "cli/cli.h"

#include "core/log.h"
#include "store/migrate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

const char *cli_opt(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0 || strncmp(argv[i] + 2, name, n) != 0)
			continue;
		if (argv[i][2 + n] == '=')
			return argv[i] + 3 + n;
		if (argv[i][2 + n] == '\0' && i + 1 < argc)
			return argv[i + 1];
	}
	return NULL;
}

int cli_has(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], "--", 2) && !strcmp(argv[i] + 2, name))
			return 1;
	return 0;
}

int cli_read_secret(const char *path, char *out, size_t outlen)
{
	FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "r");
	if (!f) {
		fprintf(stderr, "nengli: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!fgets(out, (int)outlen, f))
		out[0] = '\0';
	if (f != stdin)
		fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	if (!out[0]) {
		fprintf(stderr, "nengli: %s is empty\n", path);
		return -1;
	}
	return 0;
}

int cli_open(struct nl_cli *cli, int argc, char **argv, const char *const *extra, int create, int migrate)
{
	char err[512];
	memset(cli, 0, sizeof *cli);
	config_defaults(&cli->cfg);
	int rc = config_load(&cli->cfg, argc, argv, extra, err, sizeof err);
	if (rc) {
		fprintf(stderr, "nengli: %s\n", err);
		return rc == NL_EINVAL ? NL_EXIT_USAGE : NL_EXIT_FAIL;
	}
	nl_log_level = cli->cfg.log_level > NL_LOG_WARN ? cli->cfg.log_level : NL_LOG_WARN;
	struct nl_store_options opt = { .pool_size = 1, .busy_timeout_ms = 10000,
		.synchronous_full = cli->cfg.sqlite_synchronous_full, .create = create };
	if (store_open(cli->cfg.db, &opt, &cli->store, err, sizeof err)) {
		fprintf(stderr, "nengli: %s\n", err);
		return NL_EXIT_FAIL;
	}
	if (migrate) {
		int applied = 0;
		if (migrate_apply(cli->store, &applied, err, sizeof err)) {
			fprintf(stderr, "nengli: %s\n", err);
			cli_close(cli);
			return NL_EXIT_FAIL;
		}
	}
	if (store_acquire(cli->store, 10000, &cli->db)) {
		fprintf(stderr, "nengli: the database is busy\n");
		cli_close(cli);
		return NL_EXIT_FAIL;
	}
	arena_init(&cli->arena, 0);
	cli->ctx.db = cli->db;
	cli->ctx.actor_name = "cli";
	cli->ctx.err = &cli->err;
	cli->ctx.arena = &cli->arena;
	cli->ctx.request_id = "cli";
	cli->ctx.now = (int64_t)time(NULL);
	return NL_EXIT_OK;
}

void cli_close(struct nl_cli *cli)
{
	store_release(cli->db);
	cli->db = NULL;
	store_close(cli->store);
	cli->store = NULL;
	arena_cleanup(&cli->arena);
}

int cli_fail(struct nl_cli *cli, const char *what, int rc)
{
	const char *msg = cli->err.message[0] ? cli->err.message : nl_err_default_message(rc);
	if (cli->err.field[0])
		fprintf(stderr, "nengli: %s: %s (%s)\n", what, msg, cli->err.field);
	else
		fprintf(stderr, "nengli: %s: %s\n", what, msg);
	return NL_EXIT_FAIL;
}
