/* today.c — the organisation's local date for the yearly cycle: the settings' time zone (through core/tz.h) and the
 * NENGLI_TODAY testing aid. */
#include "cycle/today.h"

#include "core/log.h"
#include "core/tz.h"
#include "org/org.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

static pthread_once_t override_once = PTHREAD_ONCE_INIT;
static int override_set;
static struct nl_date override_date;

/* Reads NENGLI_TODAY once. */
static void override_read(void)
{
	const char *v = getenv("NENGLI_TODAY");
	if (!v || !*v)
		return;
	if (date_parse(v, &override_date) != 0) {
		NL_LOG(NL_LOG_WARN, "NENGLI_TODAY=\"%.40s\" is not a date YYYY-MM-DD; ignored", v);
		return;
	}
	override_set = 1;
	NL_LOG(NL_LOG_WARN, "NENGLI_TODAY=%s: the yearly cycle's \"today\" is fixed (a testing aid)", v);
}

int cycle_today(struct nl_ctx *ctx, struct nl_date *out)
{
	pthread_once(&override_once, override_read);
	if (override_set) {
		*out = override_date;
		return 0;
	}
	char zone[128];
	int rc = settings_value(ctx, "timezone", "Asia/Shanghai", zone, sizeof zone);
	if (rc)
		return rc;
	int64_t now = ctx->now > 0 ? ctx->now : (int64_t)time(NULL);
	int offset = 0;
	if (tz_offset(zone, now, &offset) != 0) {
		NL_LOG(NL_LOG_WARN, "time zone \"%.64s\" not found in the zone database; using UTC for today's date", zone);
		offset = 0;
	}
	if (date_from_timestamp(now, offset, out) != 0)
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "Today's date is out of range.");
	return 0;
}
