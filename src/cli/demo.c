/* demo.c — `nengli demo`: a small living organisation for `make run` and the browser tests. Each room adds its
 * records here (a function per room), so that a newcomer sees the whole product at work. Users: one per role,
 * password = user name + "-demo". Refuses to run twice on the same database. */
#include "cli/cli.h"
#include "cli/demo_cycle.h"
#include "cli/demo_improvement.h"
#include "cli/demo_partners.h"
#include "cli/demo_people.h"
#include "cli/demo_records.h"
#include "cli/demo_feedback.h"

#include "auth/auth.h"
#include "org/org.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

struct demo_user {
	const char *username, *display_name, *department;
	unsigned roles;
};

static const struct demo_user demo_users[] = {
	{ "admin", "系统管理员", "ITOPS", NL_ROLE_ADMIN },
	{ "approver", "王建国（分管副总）", "VPO", NL_ROLE_APPROVER },
	{ "planner", "李明（IT运维事业部经理）", "ITOPS", NL_ROLE_PLANNER },
	{ "hr", "张丽（人力资源部）", "HR", NL_ROLE_HR },
	{ "quality", "陈静（质量管理部经理）", "QA", NL_ROLE_QUALITY },
	{ "member", "赵强（运维工程师）", "ITOPS", NL_ROLE_MEMBER },
	{ "auditor", "孙审（内审员）", "QA", NL_ROLE_AUDITOR },
};

/* The organisation: departments and one user per role. */
static int demo_org(struct nl_cli *cli)
{
	int rc = department_seed(&cli->ctx);
	if (rc)
		return cli_fail(cli, "demo departments", rc);
	for (size_t i = 0; i < NL_ARRAY_LEN(demo_users); i++) {
		const struct demo_user *d = &demo_users[i];
		char password[64];
		int64_t dept = 0, id;
		json_t *out = NULL;
		snprintf(password, sizeof password, "%s-demo", d->username);
		if ((rc = department_id_by_code(&cli->ctx, d->department, NULL, &dept)))
			return cli_fail(cli, "demo users", rc);
		if (user_id_by_name(&cli->ctx, d->username, &id) == 0) {
			/* init made the admin already: give it the demo password so the printed logins all work */
			struct nl_user_input in = { .password = password, .demo_password = 1 };
			rc = user_update(&cli->ctx, id, &in, NL_USER_SET_PASSWORD, NULL, &out);
		} else {
			nl_error_clear(&cli->err);
			struct nl_user_input in = { .username = d->username, .display_name = d->display_name, .password = password,
				.department_id = dept, .roles = d->roles, .active = 1, .demo_password = 1 };
			rc = user_create(&cli->ctx, &in, &out);
		}
		json_decref(out);
		if (rc)
			return cli_fail(cli, "demo users", rc);
	}
	return NL_EXIT_OK;
}

int cmd_demo(int argc, char **argv)
{
	struct nl_cli cli;
	int ex = cli_open(&cli, argc, argv, NULL, 1, 1);
	if (ex)
		return ex;
	int64_t id;
	if (user_id_by_name(&cli.ctx, "planner", &id) == 0) {
		fprintf(stderr, "nengli: the demo is loaded in %s already\n", store_display_url(cli.store));
		cli_close(&cli);
		return NL_EXIT_FAIL;
	}
	nl_error_clear(&cli.err);
	ex = demo_cycle_check(&cli);
	if (!ex)
		ex = demo_org(&cli);
	if (!ex)
		ex = demo_cycle(&cli);
	if (!ex)
		ex = demo_improvement(&cli);
	if (!ex)
		ex = demo_partners(&cli);
	if (!ex)
		ex = demo_people(&cli);
	if (!ex)
		ex = demo_records(&cli);
	if (!ex)
		ex = demo_feedback(&cli);
	if (!ex) {
		printf("nengli: demo organisation loaded into %s\n", store_display_url(cli.store));
		printf("  log in as one of: admin, approver, planner, hr, quality, member, auditor\n");
		printf("  password: the user name followed by -demo (e.g. planner / planner-demo)\n");
	}
	cli_close(&cli);
	return ex;
}
