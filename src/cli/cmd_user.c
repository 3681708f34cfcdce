/* cmd_user.c — `nengli user add|passwd|disable` and `nengli token create`: account administration from the
 * command line, through the same domain functions (and audit rows) as the API. */
#include "cli/cli.h"

#include "auth/auth.h"
#include "auth/session.h"
#include "org/org.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

static const char *const user_flags[] = { "username", "display-name", "department", "roles", "password-file", NULL };

static int parse_roles(const char *s, unsigned *bits)
{
	char buf[256];
	*bits = 0;
	snprintf(buf, sizeof buf, "%s", s ? s : "");
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned b = role_parse(tok);
		if (!b) {
			fprintf(stderr, "nengli: unknown role \"%s\" (roles: admin, approver, planner, hr, quality, member, auditor)\n", tok);
			return -1;
		}
		*bits |= b;
	}
	return *bits ? 0 : -1;
}

/* The password from --password-file, or a random one that is printed. */
static int password_for(int argc, char **argv, char *out, size_t n, int *random)
{
	const char *file = cli_opt(argc, argv, "password-file");
	*random = !file;
	if (file)
		return cli_read_secret(file, out, n);
	token_random(out, n < 25 ? n : 25, NULL);
	return 0;
}

static int user_add(struct nl_cli *cli, int argc, char **argv)
{
	const char *username = cli_opt(argc, argv, "username"), *dept = cli_opt(argc, argv, "department");
	unsigned roles;
	char password[256];
	int random;
	int64_t dept_id = 0;
	if (!username || parse_roles(cli_opt(argc, argv, "roles"), &roles)) {
		fprintf(stderr, "usage: nengli user add --username NAME --roles ROLE[,ROLE] [--display-name NAME] "
				"[--department CODE] [--password-file FILE]\n");
		return NL_EXIT_USAGE;
	}
	if (dept && department_id_by_code(&cli->ctx, dept, "department", &dept_id))
		return cli_fail(cli, "user add", NL_ENOTFOUND);
	if (password_for(argc, argv, password, sizeof password, &random))
		return NL_EXIT_FAIL;
	struct nl_user_input in = { .username = username, .display_name = cli_opt(argc, argv, "display-name"),
		.password = password, .department_id = dept_id, .roles = roles, .active = 1 };
	json_t *out = NULL;
	int rc = user_create(&cli->ctx, &in, &out);
	json_decref(out);
	if (rc)
		return cli_fail(cli, "user add", rc);
	printf("nengli: created user \"%s\"%s%s\n", username, random ? " with password: " : "", random ? password : "");
	return NL_EXIT_OK;
}

static int user_passwd_or_disable(struct nl_cli *cli, int argc, char **argv, int disable)
{
	const char *username = cli_opt(argc, argv, "username");
	char password[256];
	int random = 0;
	int64_t id;
	if (!username) {
		fprintf(stderr, "usage: nengli user %s --username NAME%s\n", disable ? "disable" : "passwd",
			disable ? "" : " [--password-file FILE]");
		return NL_EXIT_USAGE;
	}
	if (user_id_by_name(&cli->ctx, username, &id))
		return cli_fail(cli, disable ? "user disable" : "user passwd", NL_ENOTFOUND);
	struct nl_user_input in = { 0 };
	if (!disable && password_for(argc, argv, password, sizeof password, &random))
		return NL_EXIT_FAIL;
	in.password = password;
	json_t *out = NULL;
	int rc = user_update(&cli->ctx, id, &in, disable ? NL_USER_SET_ACTIVE : NL_USER_SET_PASSWORD, NULL, &out);
	json_decref(out);
	if (rc)
		return cli_fail(cli, disable ? "user disable" : "user passwd", rc);
	if (disable)
		printf("nengli: user \"%s\" disabled; their sessions ended\n", username);
	else
		printf("nengli: password of \"%s\" changed%s%s\n", username, random ? "; new password: " : "", random ? password : "");
	return NL_EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 1 || cli_has(argc, argv, "help")) {
		fprintf(stderr, "usage: nengli user add|passwd|disable [--db URL] --username NAME ...\n"
				"  add     --username NAME --roles ROLE[,ROLE] [--display-name NAME] [--department CODE] [--password-file FILE]\n"
				"  passwd  --username NAME [--password-file FILE]   (a random password is printed without a file)\n"
				"  disable --username NAME\n");
		return argc < 1 ? NL_EXIT_USAGE : NL_EXIT_OK;
	}
	const char *sub = argv[0];
	if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "disable")) {
		fprintf(stderr, "nengli: unknown user command \"%s\" (add, passwd, disable)\n", sub);
		return NL_EXIT_USAGE;
	}
	struct nl_cli cli;
	int ex = cli_open(&cli, argc - 1, argv + 1, user_flags, 0, 1);
	if (ex)
		return ex;
	if (!strcmp(sub, "add"))
		ex = user_add(&cli, argc - 1, argv + 1);
	else
		ex = user_passwd_or_disable(&cli, argc - 1, argv + 1, !strcmp(sub, "disable"));
	cli_close(&cli);
	return ex;
}

static const char *const token_flags[] = { "user", "name", NULL };

int cmd_token(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "create") != 0 || cli_has(argc, argv, "help")) {
		fprintf(stderr, "usage: nengli token create --user NAME --name LABEL [--db URL]\n"
				"  prints a new API token for Authorization: Bearer (shown once)\n");
		return cli_has(argc, argv, "help") ? NL_EXIT_OK : NL_EXIT_USAGE;
	}
	const char *user = cli_opt(argc - 1, argv + 1, "user"), *name = cli_opt(argc - 1, argv + 1, "name");
	if (!user || !name || !*name || strlen(name) > 100) {
		fprintf(stderr, "usage: nengli token create --user NAME --name LABEL\n");
		return NL_EXIT_USAGE;
	}
	struct nl_cli cli;
	int ex = cli_open(&cli, argc - 1, argv + 1, token_flags, 0, 1);
	if (ex)
		return ex;
	int64_t uid, tid;
	char token[64];
	int rc = user_id_by_name(&cli.ctx, user, &uid);
	if (!rc)
		rc = token_create(&cli.ctx, uid, name, token, &tid);
	if (rc)
		ex = cli_fail(&cli, "token create", rc);
	else
		printf("%s\n", token);
	cli_close(&cli);
	return ex;
}
