/* cmd_init.c — `nengli init` (schema, seeded departments, the admin account) and `nengli migrate`. */
#include "cli/cli.h"

#include "auth/session.h"
#include "org/org.h"
#include "store/migrate.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

static const char *const init_flags[] = { "admin-password-file", NULL };

/* Creates the admin account when no user exists yet; prints a random password when no file was given. */
static int init_admin(struct nl_cli *cli, const char *password_file)
{
	char password[256];
	int64_t id;
	if (user_id_by_name(&cli->ctx, "admin", &id) == 0) {
		printf("nengli: the admin account exists already; nothing to do\n");
		return NL_EXIT_OK;
	}
	nl_error_clear(&cli->err);
	if (password_file) {
		if (cli_read_secret(password_file, password, sizeof password))
			return NL_EXIT_FAIL;
	} else {
		token_random(password, 24, NULL);
	}
	int64_t dept = 0;
	if (department_id_by_code(&cli->ctx, "ITOPS", NULL, &dept))
		nl_error_clear(&cli->err);
	struct nl_user_input in = { .username = "admin", .display_name = "系统管理员", .password = password,
		.department_id = dept, .roles = NL_ROLE_ADMIN, .active = 1 };
	json_t *out = NULL;
	int rc = user_create(&cli->ctx, &in, &out);
	json_decref(out);
	if (rc)
		return cli_fail(cli, "creating the admin account", rc);
	if (!password_file)
		printf("nengli: created user \"admin\" with password: %s\n(shown once; change it after logging in)\n", password);
	else
		printf("nengli: created user \"admin\" with the password from %s\n", password_file);
	return NL_EXIT_OK;
}

int cmd_init(int argc, char **argv)
{
	struct nl_cli cli;
	int ex = cli_open(&cli, argc, argv, init_flags, 1, 1);
	if (ex)
		return ex;
	int rc = department_seed(&cli.ctx);
	if (rc)
		ex = cli_fail(&cli, "seeding departments", rc);
	else
		ex = init_admin(&cli, cli_opt(argc, argv, "admin-password-file"));
	if (!ex)
		printf("nengli: database ready at %s\n", store_display_url(cli.store));
	cli_close(&cli);
	return ex;
}

int cmd_migrate(int argc, char **argv)
{
	struct nl_cli cli;
	int ex = cli_open(&cli, argc, argv, NULL, 1, 0);
	if (ex)
		return ex;
	char err[512];
	int applied = 0;
	store_release(cli.db);
	cli.db = NULL;
	if (migrate_apply(cli.store, &applied, err, sizeof err)) {
		fprintf(stderr, "nengli: %s\n", err);
		ex = NL_EXIT_FAIL;
	} else {
		printf("nengli: %d migration(s) applied\n", applied);
	}
	cli_close(&cli);
	return ex;
}
