/* demo_util.c — the helpers every demo loader shares. */
#include "cli/demo_util.h"

#include "cli/cli.h"
#include "core/err.h"

#include "core/common.h"

#include <stdio.h>

int demo_act_as(struct nl_ctx *ctx, const struct nl_user *u, const char *action)
{
	ctx->actor = u;
	ctx->actor_name = u->username;
	if (!policy_allows(u->roles, action))
		return nl_fail(ctx->err, NL_EFORBIDDEN, NULL, "the demo user %s may not %s", u->username, action);
	return 0;
}

void demo_act_at(struct nl_ctx *ctx, int64_t real_now, struct nl_date x, int hour)
{
	int64_t t = date_to_timestamp(x, 8 * 3600) + (int64_t)hour * 3600;
	ctx->now = t < real_now ? t : real_now;
}

int demo_took(int rc, json_t *out, int64_t *id, int *writes)
{
	if (rc == 0) {
		(*writes)++;
		if (id)
			*id = json_integer_value(json_object_get(out, "id"));
	}
	json_decref(out);
	return rc;
}

struct nl_date demo_ymd(int y, int m, int d)
{
	struct nl_date x = { y, m, d };
	return x;
}

int demo_run(struct nl_cli *cli, int (*run)(void *), void *d, const char *step)
{
	const struct nl_user *actor = cli->ctx.actor;
	const char *actor_name = cli->ctx.actor_name;
	int64_t now = cli->ctx.now;
	int rc = run(d);
	cli->ctx.actor = actor;
	cli->ctx.actor_name = actor_name;
	cli->ctx.now = now;
	if (!rc)
		return 0;
	char what[300];
	snprintf(what, sizeof what, "demo: %s", step);
	return cli_fail(cli, what, rc);
}
