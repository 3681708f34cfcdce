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

/* A loaded zone: its TZif data read once (or a built-in fixed offset), for bulk work (imports convert millions of
 * timestamps). Zones come from a process-wide cache: tz_load reads a zone file the first time its name is asked for
 * and returns the same immutable object afterwards (never freed; at most 64 zones are cached, later names are
 * loaded uncached and must be given to tz_free, which ignores cached zones). Thread-safe. */
struct nl_tz;

/* Sets *out to the loaded zone `zone`. Returns 0, NL_EVALID for a name that is not a zone name, NL_ENOTFOUND when
 * the zone is unknown, NL_ENOMEM. */
int tz_load(const char *zone, const struct nl_tz **out) __attribute__((warn_unused_result));
/* Releases a zone that tz_load could not cache (a no-op for cached zones and NULL). */
void tz_free(const struct nl_tz *z);
/* The zone's name. */
const char *tz_name(const struct nl_tz *z);
/* Sets *offset to the UTC offset (seconds, east positive) of the loaded zone at Unix time t. Pure; 0 or NL_EVALID. */
int tz_offset_at(const struct nl_tz *z, int64_t t, int *offset) __attribute__((warn_unused_result));
/* Converts a local wall-clock time (seconds since 1970-01-01T00:00 local) to Unix time in the loaded zone. In a gap
 * (clocks jumped forward) the offset before the jump is used; in an overlap, the earlier instant. 0 or NL_EVALID. */
int tz_local_to_utc(const struct nl_tz *z, int64_t local, int64_t *out) __attribute__((warn_unused_result));
/* The zone's offsets over [from, to] as a transition table: *initial is the offset at `from`; at[i]/off[i] (i < *n,
 * at most cap) are the instants in (from, to] where the offset changes and the offset from then on (only real
 * changes are listed). Returns 0, NL_EVALID (bad data or from > to) or NL_ENOMEM when more than cap changes fall in
 * the range (*n = cap then). */
int tz_transitions(const struct nl_tz *z, int64_t from, int64_t to, int32_t *initial, int64_t *at, int32_t *off,
	size_t cap, size_t *n) __attribute__((warn_unused_result));

#endif
