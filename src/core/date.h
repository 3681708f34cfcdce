/* date.h — calendar dates without a time zone (the API's `YYYY-MM-DD`), day arithmetic on a proleptic Gregorian
 * calendar, and RFC 3339 timestamps (`2027-03-01T08:00:00Z`) to and from Unix seconds. Pure: no I/O, no libc time
 * functions, no global state; safe from any thread.
 *
 * Range: dates are valid from 1900-01-01 to 9999-12-31 (the years the API accepts); anything outside is refused with
 * NL_EVALID. "Days" are days since 1970-01-01 (negative before it), computed with the civil-from-days algorithm. */
#ifndef NL_DATE_H
#define NL_DATE_H

#include <stddef.h>
#include <stdint.h>

#define NL_DATE_MIN_YEAR 1900
#define NL_DATE_MAX_YEAR 9999
/* Bytes needed to format a date: "YYYY-MM-DD" and the NUL. */
#define NL_DATE_STRLEN 11
/* Bytes needed to format a timestamp: "YYYY-MM-DDTHH:MM:SSZ" and the NUL. */
#define NL_TIMESTAMP_STRLEN 21

struct nl_date {
	int y;   /* 1900..9999 */
	int m;   /* 1..12 */
	int d;   /* 1..days in the month */
};

/* Returns 1 when y is a Gregorian leap year (divisible by 4, except centuries not divisible by 400), else 0. */
int date_is_leap(int y);
/* Returns the number of days of month m (1..12) of year y, or 0 when m is not a month. */
int date_days_in_month(int y, int m);
/* Returns 1 when d is a real calendar date within 1900-01-01..9999-12-31, else 0. */
int date_valid(struct nl_date d);

/* Parses exactly "YYYY-MM-DD" from the n bytes at s (no sign, no spaces, two-digit month and day, nothing after it)
 * into *out. Returns 0, or NL_EVALID (and leaves *out untouched) for anything else, including impossible dates
 * (2027-02-29, 2027-13-01, 2027-04-31) and years outside 1900..9999. */
int date_parse_n(const char *s, size_t n, struct nl_date *out) __attribute__((warn_unused_result));
/* date_parse_n on the NUL-terminated string s; NULL is refused with NL_EVALID. */
int date_parse(const char *s, struct nl_date *out) __attribute__((warn_unused_result));
/* Writes d as "YYYY-MM-DD" and a NUL into out. Returns 0, or NL_EVALID (out set to "") when d is not valid. */
int date_format(struct nl_date d, char out[NL_DATE_STRLEN]) __attribute__((warn_unused_result));

/* Returns the days since 1970-01-01 of d (1970-01-01 → 0, 1969-12-31 → -1). d must be valid (date_valid);
 * otherwise the result is meaningless (but computing it is not undefined behaviour). */
int date_to_days(struct nl_date d);
/* Sets *out to the date `days` days after 1970-01-01. Returns 0, or NL_EVALID when it falls outside
 * 1900-01-01..9999-12-31 (*out untouched). */
int date_from_days(int days, struct nl_date *out) __attribute__((warn_unused_result));
/* Sets *out to d moved by n days (n may be negative). Returns 0, or NL_EVALID when d is not valid or the result
 * falls outside the range (*out untouched). */
int date_add_days(struct nl_date d, int n, struct nl_date *out) __attribute__((warn_unused_result));
/* Returns a − b in days (2027-03-01 − 2027-02-28 = 1). Both must be valid dates. */
int date_diff_days(struct nl_date a, struct nl_date b);
/* Returns the ISO day of the week of the valid date d: Monday = 1 … Sunday = 7. */
int date_weekday(struct nl_date d);
/* Returns -1, 0 or 1 as a is before, the same as, or after b (field by field; no validity needed). */
int date_cmp(struct nl_date a, struct nl_date b);

/* Parses an RFC 3339 date-time from the n bytes at s into Unix seconds (UTC) in *out:
 *   YYYY-MM-DD "T" HH:MM:SS [ "." 1–9 digits ] ( "Z" | "+HH:MM" | "-HH:MM" )
 * "T" and "Z" may be lower case, as RFC 3339 allows; nothing else is tolerated (no space for "T", no missing
 * seconds or zone, no "+0800", no trailing bytes). Fractional seconds are truncated (Unix seconds carry none).
 * The offset "-00:00" means UTC. Hours 00..23, minutes and seconds 00..59: a leap second ":60" is refused, because
 * Unix time cannot represent it. The local date must be valid in 1900..9999.
 * Returns 0, or NL_EVALID with *out untouched. */
int date_timestamp_parse_n(const char *s, size_t n, int64_t *out) __attribute__((warn_unused_result));
/* date_timestamp_parse_n on the NUL-terminated string s; NULL is refused with NL_EVALID. */
int date_timestamp_parse(const char *s, int64_t *out) __attribute__((warn_unused_result));
/* Writes the Unix time t as "YYYY-MM-DDTHH:MM:SSZ" (always UTC, no fraction) and a NUL into out. Returns 0, or
 * NL_EVALID (out set to "") when the UTC date of t falls outside 1900..9999. */
int date_timestamp_format(int64_t t, char out[NL_TIMESTAMP_STRLEN]) __attribute__((warn_unused_result));

/* Sets *out to the local calendar date of the Unix time t at a UTC offset of offset_seconds (e.g. 8 * 3600 for
 * Asia/Shanghai; the caller resolves the zone). Returns 0, or NL_EVALID when |offset_seconds| ≥ 86400 or the
 * date falls outside the range. */
int date_from_timestamp(int64_t t, int offset_seconds, struct nl_date *out) __attribute__((warn_unused_result));
/* Returns the Unix time of local midnight starting the valid date d at a UTC offset of offset_seconds
 * (2027-03-01 at +08:00 → 2027-02-28T16:00:00Z). */
int64_t date_to_timestamp(struct nl_date d, int offset_seconds);

#endif
