/* test_period.c — years, quarters and months as measurement periods (cycle/period.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cycle/period.h"
#include "core/err.h"
#include "core/common.h"

static struct nl_period per(enum nl_period_kind kind, int year, int index)
{
	struct nl_period p = { kind, year, index };
	return p;
}

static struct nl_date mk(int y, int m, int d)
{
	struct nl_date r = { y, m, d };
	return r;
}

static void assert_period(struct nl_period p, enum nl_period_kind kind, int year, int index)
{
	assert_int_equal(p.kind, kind);
	assert_int_equal(p.year, year);
	assert_int_equal(p.index, index);
}

static void assert_date(struct nl_date got, int y, int m, int d)
{
	assert_int_equal(got.y, y);
	assert_int_equal(got.m, m);
	assert_int_equal(got.d, d);
}

/* Formats p and returns it in a static buffer, failing the test when p cannot be formatted. */
static const char *fmt(struct nl_period p)
{
	static char buf[NL_PERIOD_STRLEN];
	assert_int_equal(period_format(p, buf), 0);
	return buf;
}

static void test_parse(void **state)
{
	(void)state;
	struct nl_period p;
	assert_int_equal(period_parse("2027", &p), 0);
	assert_period(p, NL_PERIOD_YEAR, 2027, 0);
	assert_int_equal(period_parse("2027-Q1", &p), 0);
	assert_period(p, NL_PERIOD_QUARTER, 2027, 1);
	assert_int_equal(period_parse("2027-Q4", &p), 0);
	assert_period(p, NL_PERIOD_QUARTER, 2027, 4);
	assert_int_equal(period_parse("2027-03", &p), 0);
	assert_period(p, NL_PERIOD_MONTH, 2027, 3);
	assert_int_equal(period_parse("2027-12", &p), 0);
	assert_period(p, NL_PERIOD_MONTH, 2027, 12);
	assert_int_equal(period_parse("1900-01", &p), 0);
	assert_period(p, NL_PERIOD_MONTH, 1900, 1);
	assert_int_equal(period_parse("9999", &p), 0);
	assert_period(p, NL_PERIOD_YEAR, 9999, 0);
	assert_int_equal(period_parse_n("2027-Q2 junk", 7, &p), 0);
	assert_period(p, NL_PERIOD_QUARTER, 2027, 2);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2027-Q5", "2027-Q0", "2027-q1", "2027-00", "2027-13", "27", "2027-3", "2027-1", "202", "20271",
		"2027-", "2027-Q", "2027-Q10", "2027-012", "2027-Q1 ", " 2027", "2027 ", "2027-01-01", "1899", "1899-12",
		"0000", "+2027", "-2027", "2027/01", "2027-M1", "2027-H1", "2027Q1", "Q1-2027", "2027-0a", "2027-Qa",
		"", "year",
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(bad); i++) {
		struct nl_period p = per(NL_PERIOD_MONTH, 1, 2);
		if (period_parse(bad[i], &p) != NL_EVALID)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_period(p, NL_PERIOD_MONTH, 1, 2); /* untouched */
	}
	struct nl_period p;
	assert_int_equal(period_parse(NULL, &p), NL_EVALID);
	assert_int_equal(period_parse_n("2027\0", 5, &p), NL_EVALID);
}

static void test_format_and_round_trip(void **state)
{
	(void)state;
	assert_string_equal(fmt(per(NL_PERIOD_YEAR, 2027, 0)), "2027");
	assert_string_equal(fmt(per(NL_PERIOD_QUARTER, 2027, 3)), "2027-Q3");
	assert_string_equal(fmt(per(NL_PERIOD_MONTH, 2027, 3)), "2027-03");
	assert_string_equal(fmt(per(NL_PERIOD_MONTH, 2027, 11)), "2027-11");
	assert_string_equal(fmt(per(NL_PERIOD_MONTH, 1900, 1)), "1900-01");

	char buf[NL_PERIOD_STRLEN];
	assert_int_equal(period_format(per(NL_PERIOD_QUARTER, 2027, 5), buf), NL_EVALID);
	assert_string_equal(buf, "");
	assert_int_equal(period_format(per(NL_PERIOD_MONTH, 2027, 0), buf), NL_EVALID);
	assert_int_equal(period_format(per(NL_PERIOD_MONTH, 2027, 13), buf), NL_EVALID);
	assert_int_equal(period_format(per(NL_PERIOD_YEAR, 2027, 1), buf), NL_EVALID);
	assert_int_equal(period_format(per(NL_PERIOD_YEAR, 10000, 0), buf), NL_EVALID);
	assert_int_equal(period_format(per((enum nl_period_kind)7, 2027, 1), buf), NL_EVALID);

	/* Every period of a few years survives format → parse unchanged. */
	static const int years[] = { 1900, 1999, 2000, 2027, 9999 };
	static const enum nl_period_kind kinds[] = { NL_PERIOD_YEAR, NL_PERIOD_QUARTER, NL_PERIOD_MONTH };
	for (size_t y = 0; y < NL_ARRAY_LEN(years); y++) {
		for (size_t k = 0; k < NL_ARRAY_LEN(kinds); k++) {
			struct nl_period list[NL_PERIOD_MAX_PER_YEAR];
			size_t n;
			assert_int_equal(period_list_for_year(years[y], kinds[k], list, &n), 0);
			for (size_t i = 0; i < n; i++) {
				struct nl_period back;
				assert_int_equal(period_parse(fmt(list[i]), &back), 0);
				assert_int_equal(period_cmp(back, list[i]), 0);
			}
		}
	}
}

static void test_frequency(void **state)
{
	(void)state;
	enum nl_period_kind k = NL_PERIOD_YEAR;
	assert_int_equal(period_frequency_parse("month", &k), 0);
	assert_int_equal(k, NL_PERIOD_MONTH);
	assert_int_equal(period_frequency_parse("quarter", &k), 0);
	assert_int_equal(k, NL_PERIOD_QUARTER);
	assert_int_equal(period_frequency_parse("year", &k), 0);
	assert_int_equal(k, NL_PERIOD_YEAR);
	assert_int_equal(period_frequency_parse("Month", &k), NL_EVALID);
	assert_int_equal(period_frequency_parse("monthly", &k), NL_EVALID);
	assert_int_equal(period_frequency_parse("week", &k), NL_EVALID);
	assert_int_equal(period_frequency_parse("", &k), NL_EVALID);
	assert_int_equal(period_frequency_parse(NULL, &k), NL_EVALID);
	assert_int_equal(k, NL_PERIOD_YEAR);
	assert_string_equal(period_frequency_name(NL_PERIOD_MONTH), "month");
	assert_string_equal(period_frequency_name(NL_PERIOD_QUARTER), "quarter");
	assert_string_equal(period_frequency_name(NL_PERIOD_YEAR), "year");
	assert_string_equal(period_frequency_name((enum nl_period_kind)9), "");
}

static void test_first_last_dates(void **state)
{
	(void)state;
	struct nl_date a, b;
	assert_int_equal(period_first_date(per(NL_PERIOD_YEAR, 2027, 0), &a), 0);
	assert_int_equal(period_last_date(per(NL_PERIOD_YEAR, 2027, 0), &b), 0);
	assert_date(a, 2027, 1, 1);
	assert_date(b, 2027, 12, 31);
	assert_int_equal(period_first_date(per(NL_PERIOD_QUARTER, 2027, 1), &a), 0);
	assert_int_equal(period_last_date(per(NL_PERIOD_QUARTER, 2027, 1), &b), 0);
	assert_date(a, 2027, 1, 1);
	assert_date(b, 2027, 3, 31);
	assert_int_equal(period_first_date(per(NL_PERIOD_QUARTER, 2027, 2), &a), 0);
	assert_int_equal(period_last_date(per(NL_PERIOD_QUARTER, 2027, 2), &b), 0);
	assert_date(a, 2027, 4, 1);
	assert_date(b, 2027, 6, 30);
	assert_int_equal(period_first_date(per(NL_PERIOD_QUARTER, 2027, 3), &a), 0);
	assert_int_equal(period_last_date(per(NL_PERIOD_QUARTER, 2027, 3), &b), 0);
	assert_date(a, 2027, 7, 1);
	assert_date(b, 2027, 9, 30);
	assert_int_equal(period_first_date(per(NL_PERIOD_QUARTER, 2027, 4), &a), 0);
	assert_int_equal(period_last_date(per(NL_PERIOD_QUARTER, 2027, 4), &b), 0);
	assert_date(a, 2027, 10, 1);
	assert_date(b, 2027, 12, 31);
	assert_int_equal(period_last_date(per(NL_PERIOD_MONTH, 2027, 2), &b), 0);
	assert_date(b, 2027, 2, 28);
	assert_int_equal(period_last_date(per(NL_PERIOD_MONTH, 2028, 2), &b), 0);
	assert_date(b, 2028, 2, 29);
	assert_int_equal(period_last_date(per(NL_PERIOD_MONTH, 2000, 2), &b), 0);
	assert_date(b, 2000, 2, 29);
	assert_int_equal(period_last_date(per(NL_PERIOD_MONTH, 2100, 2), &b), 0);
	assert_date(b, 2100, 2, 28);
	assert_int_equal(period_first_date(per(NL_PERIOD_MONTH, 2027, 4), &a), 0);
	assert_int_equal(period_last_date(per(NL_PERIOD_MONTH, 2027, 4), &b), 0);
	assert_date(a, 2027, 4, 1);
	assert_date(b, 2027, 4, 30);
	assert_int_equal(period_last_date(per(NL_PERIOD_MONTH, 2027, 12), &b), 0);
	assert_date(b, 2027, 12, 31);

	a = mk(1, 2, 3);
	assert_int_equal(period_first_date(per(NL_PERIOD_QUARTER, 2027, 0), &a), NL_EVALID);
	assert_int_equal(period_last_date(per(NL_PERIOD_MONTH, 2027, 13), &a), NL_EVALID);
	assert_date(a, 1, 2, 3);

	assert_int_equal(period_days(per(NL_PERIOD_YEAR, 2027, 0)), 365);
	assert_int_equal(period_days(per(NL_PERIOD_YEAR, 2028, 0)), 366);
	assert_int_equal(period_days(per(NL_PERIOD_QUARTER, 2027, 1)), 90);  /* 31 + 28 + 31 */
	assert_int_equal(period_days(per(NL_PERIOD_QUARTER, 2028, 1)), 91);
	assert_int_equal(period_days(per(NL_PERIOD_QUARTER, 2027, 3)), 92);  /* 31 + 31 + 30 */
	assert_int_equal(period_days(per(NL_PERIOD_MONTH, 2028, 2)), 29);
	assert_int_equal(period_days(per(NL_PERIOD_MONTH, 2027, 13)), 0);
}

static void test_next_prev(void **state)
{
	(void)state;
	struct nl_period p;
	assert_int_equal(period_next(per(NL_PERIOD_QUARTER, 2027, 4), &p), 0);
	assert_string_equal(fmt(p), "2028-Q1");
	assert_int_equal(period_next(per(NL_PERIOD_QUARTER, 2027, 1), &p), 0);
	assert_string_equal(fmt(p), "2027-Q2");
	assert_int_equal(period_prev(per(NL_PERIOD_QUARTER, 2027, 1), &p), 0);
	assert_string_equal(fmt(p), "2026-Q4");
	assert_int_equal(period_next(per(NL_PERIOD_MONTH, 2027, 12), &p), 0);
	assert_string_equal(fmt(p), "2028-01");
	assert_int_equal(period_next(per(NL_PERIOD_MONTH, 2027, 9), &p), 0);
	assert_string_equal(fmt(p), "2027-10");
	assert_int_equal(period_prev(per(NL_PERIOD_MONTH, 2027, 1), &p), 0);
	assert_string_equal(fmt(p), "2026-12");
	assert_int_equal(period_prev(per(NL_PERIOD_MONTH, 2027, 10), &p), 0);
	assert_string_equal(fmt(p), "2027-09");
	assert_int_equal(period_next(per(NL_PERIOD_YEAR, 2027, 0), &p), 0);
	assert_string_equal(fmt(p), "2028");
	assert_int_equal(period_prev(per(NL_PERIOD_YEAR, 2027, 0), &p), 0);
	assert_string_equal(fmt(p), "2026");

	p = per(NL_PERIOD_MONTH, 1, 2);
	assert_int_equal(period_next(per(NL_PERIOD_MONTH, 9999, 12), &p), NL_EVALID);
	assert_int_equal(period_next(per(NL_PERIOD_YEAR, 9999, 0), &p), NL_EVALID);
	assert_int_equal(period_prev(per(NL_PERIOD_QUARTER, 1900, 1), &p), NL_EVALID);
	assert_int_equal(period_next(per(NL_PERIOD_QUARTER, 2027, 5), &p), NL_EVALID);
	assert_period(p, NL_PERIOD_MONTH, 1, 2);

	/* Twelve steps of months, four of quarters: one year later; and prev undoes next. */
	struct nl_period m = per(NL_PERIOD_MONTH, 2027, 5), q = per(NL_PERIOD_QUARTER, 2027, 3);
	for (int i = 0; i < 12; i++)
		assert_int_equal(period_next(m, &m), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(period_next(q, &q), 0);
	assert_string_equal(fmt(m), "2028-05");
	assert_string_equal(fmt(q), "2028-Q3");
	assert_int_equal(period_prev(m, &m), 0);
	assert_string_equal(fmt(m), "2028-04");
}

static void test_containing(void **state)
{
	(void)state;
	struct nl_period p;
	assert_int_equal(period_containing(NL_PERIOD_QUARTER, mk(2027, 5, 31), &p), 0);
	assert_string_equal(fmt(p), "2027-Q2");
	assert_int_equal(period_containing(NL_PERIOD_QUARTER, mk(2027, 3, 31), &p), 0);
	assert_string_equal(fmt(p), "2027-Q1");
	assert_int_equal(period_containing(NL_PERIOD_QUARTER, mk(2027, 4, 1), &p), 0);
	assert_string_equal(fmt(p), "2027-Q2");
	assert_int_equal(period_containing(NL_PERIOD_QUARTER, mk(2027, 12, 31), &p), 0);
	assert_string_equal(fmt(p), "2027-Q4");
	assert_int_equal(period_containing(NL_PERIOD_QUARTER, mk(2027, 10, 1), &p), 0);
	assert_string_equal(fmt(p), "2027-Q4");
	assert_int_equal(period_containing(NL_PERIOD_MONTH, mk(2028, 2, 29), &p), 0);
	assert_string_equal(fmt(p), "2028-02");
	assert_int_equal(period_containing(NL_PERIOD_YEAR, mk(2027, 7, 15), &p), 0);
	assert_string_equal(fmt(p), "2027");
	p = per(NL_PERIOD_MONTH, 1, 2);
	assert_int_equal(period_containing(NL_PERIOD_MONTH, mk(2027, 2, 29), &p), NL_EVALID);
	assert_int_equal(period_containing((enum nl_period_kind)5, mk(2027, 2, 1), &p), NL_EVALID);
	assert_period(p, NL_PERIOD_MONTH, 1, 2);

	/* Every day of 2028 lies in exactly the month, quarter and year that contain it, and the containing period's
	 * first and last days bracket it. */
	struct nl_date d = mk(2028, 1, 1);
	for (int i = 0; i < 366; i++) {
		struct nl_period mo, qu, ye;
		assert_int_equal(period_containing(NL_PERIOD_MONTH, d, &mo), 0);
		assert_int_equal(period_containing(NL_PERIOD_QUARTER, d, &qu), 0);
		assert_int_equal(period_containing(NL_PERIOD_YEAR, d, &ye), 0);
		assert_int_equal(mo.index, d.m);
		assert_int_equal(qu.index, (d.m + 2) / 3);
		assert_true(period_contains_date(mo, d));
		assert_true(period_contains_date(qu, d));
		assert_true(period_contains_date(ye, d));
		assert_true(period_contains(qu, mo));
		assert_true(period_contains(ye, qu));
		struct nl_period other;
		assert_int_equal(period_next(mo, &other), 0);
		assert_false(period_contains_date(other, d));
		assert_int_equal(period_prev(qu, &other), 0);
		assert_false(period_contains_date(other, d));
		assert_int_equal(date_add_days(d, 1, &d), 0);
	}
	assert_int_equal(d.y, 2029);
}

static void test_contains(void **state)
{
	(void)state;
	assert_true(period_contains_date(per(NL_PERIOD_QUARTER, 2027, 1), mk(2027, 1, 1)));
	assert_true(period_contains_date(per(NL_PERIOD_QUARTER, 2027, 1), mk(2027, 3, 31)));
	assert_false(period_contains_date(per(NL_PERIOD_QUARTER, 2027, 1), mk(2027, 4, 1)));
	assert_false(period_contains_date(per(NL_PERIOD_QUARTER, 2027, 1), mk(2026, 12, 31)));
	assert_false(period_contains_date(per(NL_PERIOD_QUARTER, 2027, 1), mk(2027, 2, 30)));
	assert_true(period_contains(per(NL_PERIOD_QUARTER, 2027, 1), per(NL_PERIOD_MONTH, 2027, 3)));
	assert_false(period_contains(per(NL_PERIOD_QUARTER, 2027, 1), per(NL_PERIOD_MONTH, 2027, 4)));
	assert_false(period_contains(per(NL_PERIOD_MONTH, 2027, 3), per(NL_PERIOD_QUARTER, 2027, 1)));
	assert_true(period_contains(per(NL_PERIOD_QUARTER, 2027, 1), per(NL_PERIOD_QUARTER, 2027, 1)));
	assert_true(period_contains(per(NL_PERIOD_YEAR, 2027, 0), per(NL_PERIOD_MONTH, 2027, 12)));
	assert_false(period_contains(per(NL_PERIOD_YEAR, 2027, 0), per(NL_PERIOD_MONTH, 2028, 1)));
	assert_false(period_contains(per(NL_PERIOD_YEAR, 2027, 0), per(NL_PERIOD_MONTH, 2027, 13)));
}

static void test_list_for_year(void **state)
{
	(void)state;
	struct nl_period list[NL_PERIOD_MAX_PER_YEAR];
	size_t n = 99;
	assert_int_equal(period_list_for_year(2027, NL_PERIOD_MONTH, list, &n), 0);
	assert_int_equal(n, 12);
	assert_string_equal(fmt(list[0]), "2027-01");
	assert_string_equal(fmt(list[5]), "2027-06");
	assert_string_equal(fmt(list[11]), "2027-12");
	assert_int_equal(period_list_for_year(2027, NL_PERIOD_QUARTER, list, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(fmt(list[0]), "2027-Q1");
	assert_string_equal(fmt(list[1]), "2027-Q2");
	assert_string_equal(fmt(list[2]), "2027-Q3");
	assert_string_equal(fmt(list[3]), "2027-Q4");
	assert_int_equal(period_list_for_year(2027, NL_PERIOD_YEAR, list, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(fmt(list[0]), "2027");

	/* The list covers the year without gaps: each period starts the day after the previous one ends. */
	assert_int_equal(period_list_for_year(2028, NL_PERIOD_MONTH, list, &n), 0);
	int total = 0;
	for (size_t i = 0; i < n; i++) {
		total += period_days(list[i]);
		if (i > 0) {
			struct nl_date end, start;
			assert_int_equal(period_last_date(list[i - 1], &end), 0);
			assert_int_equal(period_first_date(list[i], &start), 0);
			assert_int_equal(date_diff_days(start, end), 1);
		}
	}
	assert_int_equal(total, 366);

	assert_int_equal(period_list_for_year(1899, NL_PERIOD_MONTH, list, &n), NL_EVALID);
	assert_int_equal(n, 0);
	n = 99;
	assert_int_equal(period_list_for_year(2027, (enum nl_period_kind)3, list, &n), NL_EVALID);
	assert_int_equal(n, 0);
}

static void test_in_year_and_cmp(void **state)
{
	(void)state;
	assert_true(period_in_year(per(NL_PERIOD_MONTH, 2027, 12), 2027));
	assert_true(period_in_year(per(NL_PERIOD_QUARTER, 2027, 1), 2027));
	assert_true(period_in_year(per(NL_PERIOD_YEAR, 2027, 0), 2027));
	assert_false(period_in_year(per(NL_PERIOD_MONTH, 2028, 1), 2027));
	assert_false(period_in_year(per(NL_PERIOD_MONTH, 2027, 13), 2027));

	/* 2026-12 < 2027 < 2027-Q1 < 2027-01 < 2027-02 < 2027-03 < 2027-Q2 < 2027-04 < 2028 */
	const struct nl_period order[] = {
		per(NL_PERIOD_MONTH, 2026, 12), per(NL_PERIOD_YEAR, 2027, 0), per(NL_PERIOD_QUARTER, 2027, 1),
		per(NL_PERIOD_MONTH, 2027, 1), per(NL_PERIOD_MONTH, 2027, 2), per(NL_PERIOD_MONTH, 2027, 3),
		per(NL_PERIOD_QUARTER, 2027, 2), per(NL_PERIOD_MONTH, 2027, 4), per(NL_PERIOD_YEAR, 2028, 0),
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(order); i++) {
		for (size_t j = 0; j < NL_ARRAY_LEN(order); j++) {
			int want = i < j ? -1 : i > j ? 1 : 0;
			if (period_cmp(order[i], order[j]) != want)
				fail_msg("cmp(%zu, %zu) = %d, expected %d", i, j, period_cmp(order[i], order[j]), want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_format_and_round_trip),
		cmocka_unit_test(test_frequency),
		cmocka_unit_test(test_first_last_dates),
		cmocka_unit_test(test_next_prev),
		cmocka_unit_test(test_containing),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_list_for_year),
		cmocka_unit_test(test_in_year_and_cmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
