/* fuzz_period.c — libFuzzer driver for the period parser (src/cycle/period.c) and the date and RFC 3339 timestamp
 * parsers under it (src/core/date.c). The input is the text to parse. Besides memory errors, it checks the round
 * trips the contracts promise: a parsed period or date formats back to exactly the input bytes, and the period
 * arithmetic (first/last day, next/prev, containing) stays consistent. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/date.h"
#include "cycle/period.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static void period_checks(const uint8_t *data, size_t size)
{
	struct nl_period p, q;
	char buf[NL_PERIOD_STRLEN];
	if (period_parse_n((const char *)data, size, &p) != 0)
		return;
	CHECK(period_valid(p));
	CHECK(period_format(p, buf) == 0);
	CHECK(strlen(buf) == size && memcmp(buf, data, size) == 0);
	CHECK(period_parse(buf, &q) == 0 && period_cmp(p, q) == 0);
	struct nl_date first, last;
	CHECK(period_first_date(p, &first) == 0 && period_last_date(p, &last) == 0);
	CHECK(date_diff_days(last, first) + 1 == period_days(p));
	CHECK(period_contains_date(p, first) && period_contains_date(p, last));
	CHECK(period_containing(p.kind, first, &q) == 0 && period_cmp(p, q) == 0);
	CHECK(period_in_year(p, p.year) && period_contains(p, p));
	if (period_next(p, &q) == 0) {
		struct nl_period back;
		CHECK(period_cmp(p, q) < 0 && period_prev(q, &back) == 0 && period_cmp(back, p) == 0);
	}
	struct nl_period list[NL_PERIOD_MAX_PER_YEAR];
	size_t n = 0;
	CHECK(period_list_for_year(p.year, p.kind, list, &n) == 0 && n >= 1);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= period_cmp(list[i], p) == 0;
	CHECK(found);
	enum nl_period_kind k;
	CHECK(period_frequency_parse(period_frequency_name(p.kind), &k) == 0 && k == p.kind);
}

static void date_checks(const uint8_t *data, size_t size)
{
	struct nl_date d;
	char buf[NL_DATE_STRLEN];
	if (date_parse_n((const char *)data, size, &d) == 0) {
		CHECK(date_valid(d) && date_format(d, buf) == 0);
		CHECK(strlen(buf) == size && memcmp(buf, data, size) == 0);
		struct nl_date e;
		CHECK(date_from_days(date_to_days(d), &e) == 0 && date_cmp(d, e) == 0);
	}
	int64_t t;
	if (date_timestamp_parse_n((const char *)data, size, &t) == 0) {
		char ts[NL_TIMESTAMP_STRLEN];
		int64_t u;
		/* the canonical form (UTC, no fraction) reads back as the same second */
		if (date_timestamp_format(t, ts) == 0)
			CHECK(date_timestamp_parse(ts, &u) == 0 && u == t);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64)
		return 0;
	period_checks(data, size);
	date_checks(data, size);
	return 0;
}
