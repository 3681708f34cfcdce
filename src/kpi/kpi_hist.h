/* kpi_hist.h — exact value histograms for the percentile measures: the distinct values of a group of durations
 * (whole minutes, >= 0) in ascending order with cumulative counts, so that the nearest-rank percentile of one group or
 * of the union of many groups is exact and found by binary searches. Also a compact text encoding of a histogram
 * (kept per department and day in the database, kpi_daily) and the merge of several histograms into one.
 * Pure: no I/O, no global state; safe from any thread. */
#ifndef NL_KPI_HIST_H
#define NL_KPI_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

/* A histogram. n == 0 is the empty histogram (v and cum NULL). Otherwise v[0..n) are the distinct values in strictly
 * ascending order and cum[i] is the number of values <= v[i] (so cum[n-1] is the number of values); cum is strictly
 * ascending. v and cum share one heap block owned by the histogram (kpi_hist_free releases it). */
struct kpi_hist {
	uint32_t n;
	uint32_t *v;
	uint32_t *cum;
};

/* The 1-based rank of the nearest-rank percentile pct (1..100) of n values: ⌈pct·n/100⌉ computed in integers
 * (n = 10, pct 90 → 9; n = 1 → 1); 0 when n == 0. */
uint64_t kpi_nearest_rank(uint64_t n, unsigned pct);

/* Builds *h from count values (in any order; vals is sorted in place). Returns 0 or NL_ENOMEM (*h empty). */
int kpi_hist_from_values(uint32_t *vals, size_t count, struct kpi_hist *h) __attribute__((warn_unused_result));

/* Releases h's memory and makes it empty. Safe on an empty histogram. */
void kpi_hist_free(struct kpi_hist *h);

/* The number of values of h (cum[n-1], 0 when empty). */
uint64_t kpi_hist_total(const struct kpi_hist *h);

/* Appends h's text form to out (nothing for an empty histogram). The form is a run of base-64 variable-length numbers
 * (alphabet 0-9 A-Z a-z - _, 5 data bits per character, least significant first, value 32 added while more follow):
 * per distinct value, (gap << 1 | c>1) where gap = value − previous value − 1 (the first value itself), then count − 2
 * when the count is above 1. About 2 characters per distinct value. */
void kpi_hist_encode(const struct kpi_hist *h, struct nl_strbuf *out);

/* Parses len bytes of kpi_hist_encode's form into *h (allocated; "" gives the empty histogram). Returns 0, NL_EVALID
 * for text that is not such a form (a bad character, a truncated number, a value beyond 2^32 − 1 or a total beyond
 * 2^32 − 1), NL_ENOMEM; *h is empty on failure. */
int kpi_hist_decode(const char *s, size_t len, struct kpi_hist *h) __attribute__((warn_unused_result));

/* Merges the k histograms hs[0..k) (NULL or empty ones allowed) into *out, the histogram of the union of their values.
 * Returns 0, NL_ENOMEM, or NL_EVALID when the union holds more than 2^32 − 1 values; *out is empty on failure. */
int kpi_hist_merge(const struct kpi_hist *const *hs, size_t k, struct kpi_hist *out) __attribute__((warn_unused_result));

/* Sets *out to the rank-th smallest value (1-based, duplicates counted) of the union of hs[0..k) without building the
 * union: one binary search over the values, counting the values <= x of each histogram by a binary search of its own.
 * Returns 0, or NL_EVALID when rank is 0 or larger than the union's size (*out untouched). */
int kpi_hist_rank(const struct kpi_hist *const *hs, size_t k, uint64_t rank, uint32_t *out)
	__attribute__((warn_unused_result));

#endif
