/* cli.h — the `nengli` subcommands and what they share: option lookup, opening the store (with migrations),
 * a context for domain calls made by the command line (actor "cli"), reading secrets from files. */
#ifndef NL_CLI_H
#define NL_CLI_H

#include <stddef.h>

#include "core/config.h"
#include "core/ctx.h"
#include "store/store.h"

/* Exit statuses of CONTRACT.md. */
#define NL_EXIT_OK 0
#define NL_EXIT_FAIL 1
#define NL_EXIT_USAGE 2

struct nl_cli {
	struct nl_config cfg;
	struct nl_store *store;
	struct nl_db *db;
	struct nl_error err;
	struct nl_arena arena;
	struct nl_ctx ctx;
};

/* Loads the configuration from argv (flags listed in `extra` are the command's own), opens the store (creating a
 * SQLite file when `create`), applies migrations when `migrate`, and acquires one connection into cli->ctx.
 * Returns an exit status (NL_EXIT_OK on success; a message was printed otherwise). */
int cli_open(struct nl_cli *cli, int argc, char **argv, const char *const *extra, int create, int migrate);
void cli_close(struct nl_cli *cli);
/* The value of --name VALUE / --name=VALUE in argv, or NULL. */
const char *cli_opt(int argc, char **argv, const char *name);
/* 1 when the bare flag --name is present. */
int cli_has(int argc, char **argv, const char *name);
/* Reads the first line of a file into out (without the newline). Returns 0 or -1 (message printed). */
int cli_read_secret(const char *path, char *out, size_t outlen);
/* Prints "nengli: <what>: <err message>" for a failed domain call and returns NL_EXIT_FAIL. */
int cli_fail(struct nl_cli *cli, const char *what, int rc);

int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);

#endif
