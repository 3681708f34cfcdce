/* today.h — "today" for the yearly cycle: the organisation's local calendar date (settings "timezone", an IANA
 * name resolved through the system's TZif zone files), against which work items are judged overdue, due soon or
 * late, checks are dated and the December reminder is given. Never stored: every read asks again.
 *
 * Testing aid: when the environment variable NENGLI_TODAY holds a date YYYY-MM-DD at the first call, that date is
 * "today" for the whole life of the process (a malformed value is logged and ignored). Never set it in production. */
#ifndef NL_CYCLE_TODAY_H
#define NL_CYCLE_TODAY_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/date.h"

/* Sets *out to today's date in the organisation's time zone at the request's time (ctx->now, or the clock when 0),
 * or to NENGLI_TODAY when set. A zone whose file cannot be read falls back to a small built-in table of fixed
 * offsets (the zones of China, UTC) and otherwise to UTC, with a warning in the log. Returns 0 or a store error. */
int cycle_today(struct nl_ctx *ctx, struct nl_date *out) __attribute__((warn_unused_result));

#endif
