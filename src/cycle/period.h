/* period.h — the calendar periods that metrics are measured over (CONTRACT "Periods"): a year "2027", a quarter
 * "2027-Q1".."2027-Q4" and a month "2027-01".."2027-12". Pure rules: no I/O, no global state.
 * Years are those of core/date.h (1900..9999). Periods are calendar periods in the organisation's time zone;
 * turning a timestamp into a local date is the caller's job (date_from_timestamp). */
#ifndef NL_PERIOD_H
#define NL_PERIOD_H

#include <stddef.h>

#include "core/date.h"

/* Bytes needed to format a period: "2027-Q1" or "2027-01" and the NUL. */
#define NL_PERIOD_STRLEN 8
/* The most periods one year holds (months). */
#define NL_PERIOD_MAX_PER_YEAR 12

/* The kind of a period; it is also a metric's measurement frequency ("year", "quarter", "month"). */
enum nl_period_kind {
	NL_PERIOD_YEAR,
	NL_PERIOD_QUARTER,
	NL_PERIOD_MONTH
};

struct nl_period {
	enum nl_period_kind kind;
	int year;    /* 1900..9999 */
	int index;   /* 0 for a year, 1..4 for a quarter, 1..12 for a month */
};

/* Returns 1 when p is a period this module can represent (known kind, year in range, index fitting the kind). */
int period_valid(struct nl_period p);

/* Parses exactly "YYYY", "YYYY-Qn" (n 1..4, capital Q only) or "YYYY-MM" (two digits, 01..12) from the n bytes at s.
 * Returns 0, or NL_EVALID (*out untouched) for anything else: "2027-Q5", "2027-q1", "2027-00", "2027-13",
 * "2027-3", "27", surrounding spaces, trailing bytes, years outside 1900..9999. */
int period_parse_n(const char *s, size_t n, struct nl_period *out) __attribute__((warn_unused_result));
/* period_parse_n on the NUL-terminated string s; NULL is refused with NL_EVALID. */
int period_parse(const char *s, struct nl_period *out) __attribute__((warn_unused_result));
/* Writes p in the form period_parse reads, with a NUL, into out. Returns 0, or NL_EVALID (out set to "") when p is
 * not valid. */
int period_format(struct nl_period p, char out[NL_PERIOD_STRLEN]) __attribute__((warn_unused_result));

/* Parses a frequency name, "year" | "quarter" | "month" (exact, lower case), into *out. Returns 0 or NL_EVALID. */
int period_frequency_parse(const char *s, enum nl_period_kind *out) __attribute__((warn_unused_result));
/* Returns the frequency name of kind ("year", "quarter", "month"), or "" for an unknown value. Static storage. */
const char *period_frequency_name(enum nl_period_kind kind);

/* Sets *out to the first (period_first_date) or last (period_last_date) day of p, both inclusive:
 * 2027-Q1 → 2027-01-01 … 2027-03-31; 2028-02 → 2028-02-01 … 2028-02-29. Returns 0, or NL_EVALID for an invalid p. */
int period_first_date(struct nl_period p, struct nl_date *out) __attribute__((warn_unused_result));
int period_last_date(struct nl_period p, struct nl_date *out) __attribute__((warn_unused_result));
/* Returns the number of days of the valid period p (2027 → 365, 2027-Q1 → 90), or 0 when p is not valid. */
int period_days(struct nl_period p);

/* Sets *out to the period of the same kind right after (period_next) or before (period_prev) p, crossing years:
 * 2027-Q4 → 2028-Q1, 2027-12 → 2028-01, 2027-01 ← 2026-12. Returns 0, or NL_EVALID when p is not valid or the
 * result would leave 1900..9999. */
int period_next(struct nl_period p, struct nl_period *out) __attribute__((warn_unused_result));
int period_prev(struct nl_period p, struct nl_period *out) __attribute__((warn_unused_result));

/* Sets *out to the period of the given kind that contains the date d (2027-05-31, quarter → 2027-Q2).
 * Returns 0, or NL_EVALID when d is not a valid date or kind is unknown. */
int period_containing(enum nl_period_kind kind, struct nl_date d, struct nl_period *out)
	__attribute__((warn_unused_result));
/* Returns 1 when the valid date d lies within the valid period p (both ends inclusive), else 0. */
int period_contains_date(struct nl_period p, struct nl_date d);
/* Returns 1 when every day of inner lies within outer (2027-Q1 contains 2027-03 and itself; 2027-03 does not contain
 * 2027-Q1), else 0. Both must be valid; 0 otherwise. */
int period_contains(struct nl_period outer, struct nl_period inner);

/* Fills out[0..*count) with the periods of year `year` at frequency `kind`, in order: 12 months, 4 quarters, or the
 * year itself. out must hold NL_PERIOD_MAX_PER_YEAR entries. Returns 0, or NL_EVALID (and *count = 0) when the year
 * is out of range or kind is unknown. */
int period_list_for_year(int year, enum nl_period_kind kind, struct nl_period out[NL_PERIOD_MAX_PER_YEAR],
	size_t *count) __attribute__((warn_unused_result));
/* Returns 1 when the period p belongs to calendar year `year` (every period lies within exactly one year), else 0. */
int period_in_year(struct nl_period p, int year);

/* Orders periods: by first day, then the longer period first (2027 < 2027-Q1 < 2027-01 < 2027-02 < 2027-Q2).
 * Returns -1, 0 or 1. Two periods compare equal only when they are the same period. */
int period_cmp(struct nl_period a, struct nl_period b);

#endif
