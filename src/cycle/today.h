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

/* Sets *offset to the UTC offset in seconds (east positive) of the zone described by the TZif data (RFC 8536,
 * versions 1–4) at Unix time t: the type of the last transition at or before t (type 0 before the first). After the
 * last transition a v2+ footer without daylight saving time ("CST-8") is applied; a footer with a DST rule keeps the
 * last transition's type (distributions ship "fat" files listing transitions until 2037). Pure.
 * Returns 0, or NL_EVALID for data that is not valid TZif (*offset untouched). */
int cycle_zone_offset_tzif(const unsigned char *data, size_t n, int64_t t, int *offset) __attribute__((warn_unused_result));

/* Sets *offset for the IANA zone name at time t, reading /usr/share/zoneinfo/<zone> (or $TZDIR/<zone>), else the
 * built-in table. Returns 0, NL_EVALID for a name that is not a zone name, NL_ENOTFOUND when the zone is unknown. */
int cycle_zone_offset(const char *zone, int64_t t, int *offset) __attribute__((warn_unused_result));

#endif
