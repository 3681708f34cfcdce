/* demo_util.h — what every room's demo loader shares: acting as a demo user (with the permission check the HTTP layer
 * would make), acting at a plausible past moment, and counting the writes made. */
#ifndef NL_DEMO_UTIL_H
#define NL_DEMO_UTIL_H

#include <jansson.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/ctx.h"
#include "core/date.h"

struct nl_cli;

/* Runs one room's demo loader run(d) as the users it acts for, then gives the CLI back its own actor and clock.
 * On failure prints "demo: <step>" (the loader's description of what it was doing) and returns the CLI exit code. */
int demo_run(struct nl_cli *cli, int (*run)(void *), void *d, const char *step);

/* Acts as user u from now on, after checking that the route's permission `action` allows one of u's roles.
 * NL_EFORBIDDEN otherwise: the demo would be doing something no such user could do. */
int demo_act_as(struct nl_ctx *ctx, const struct nl_user *u, const char *action) __attribute__((warn_unused_result));
/* Acts at `hour` o'clock local time (the demo organisation is in Asia/Shanghai, UTC+8) on day x — never later than
 * real_now — so that records carry plausible dates instead of the moment the demo was loaded. */
void demo_act_at(struct nl_ctx *ctx, int64_t real_now, struct nl_date x, int hour);
/* Ends one domain call: on success counts the write in *writes and keeps the object's "id" in *id (may be NULL);
 * frees out. Returns rc. */
int demo_took(int rc, json_t *out, int64_t *id, int *writes);
/* The date y-m-d (not validated: the demo's own constants). */
struct nl_date demo_ymd(int y, int m, int d);

#endif
