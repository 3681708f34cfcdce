/* tz.h — UTC offsets of IANA time zones at a given time, from the system's TZif zone files (or a built-in table). */
#ifndef NL_TZ_H
#define NL_TZ_H

#include <stddef.h>
#include <stdint.h>

/* Sets *offset to the UTC offset in seconds (east positive) of the zone described by the TZif data (RFC 8536,
 * versions 1–4) at Unix time t: the type of the last transition at or before t (type 0 before the first). After the
 * last transition a v2+ footer without daylight saving time ("CST-8") is applied; a footer with a DST rule keeps the
 * last transition's type (distributions ship "fat" files listing transitions until 2037). Pure.
 * Returns 0, or NL_EVALID for data that is not valid TZif (*offset untouched). */
int tz_offset_tzif(const unsigned char *data, size_t n, int64_t t, int *offset) __attribute__((warn_unused_result));

/* Sets *offset for the IANA zone name at time t, reading /usr/share/zoneinfo/<zone> (or $TZDIR/<zone>), else the
 * built-in table. Returns 0, NL_EVALID for a name that is not a zone name, NL_ENOTFOUND when the zone is unknown. */
int tz_offset(const char *zone, int64_t t, int *offset) __attribute__((warn_unused_result));

#endif
