/* test_date.c — calendar dates, day arithmetic and RFC 3339 timestamps (core/date.h). Expected values were worked out
 * by hand (and cross-checked against an independent day-by-day walk of the calendar in test_days_walk). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>
#include <cmocka.h>

#include "core/date.h"
#include "core/err.h"
#include "core/common.h"

static struct nl_date mk(int y, int m, int d)
{
	struct nl_date r = { y, m, d };
	return r;
}

static void assert_date(struct nl_date got, int y, int m, int d)
{
	assert_int_equal(got.y, y);
	assert_int_equal(got.m, m);
	assert_int_equal(got.d, d);
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_int_equal(date_is_leap(2000), 1);  /* divisible by 400 */
	assert_int_equal(date_is_leap(1900), 0);  /* century not divisible by 400 */
	assert_int_equal(date_is_leap(2024), 1);
	assert_int_equal(date_is_leap(2100), 0);
	assert_int_equal(date_is_leap(2027), 0);
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2027, 1), 31);
	assert_int_equal(date_days_in_month(2027, 4), 30);
	assert_int_equal(date_days_in_month(2027, 6), 30);
	assert_int_equal(date_days_in_month(2027, 9), 30);
	assert_int_equal(date_days_in_month(2027, 11), 30);
	assert_int_equal(date_days_in_month(2027, 12), 31);
	assert_int_equal(date_days_in_month(2027, 0), 0);
	assert_int_equal(date_days_in_month(2027, 13), 0);
}

static void test_parse_valid(void **state)
{
	(void)state;
	struct nl_date d;
	assert_int_equal(date_parse("2027-03-01", &d), 0);
	assert_date(d, 2027, 3, 1);
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_date(d, 2024, 2, 29);
	assert_int_equal(date_parse("2000-02-29", &d), 0);
	assert_date(d, 2000, 2, 29);
	assert_int_equal(date_parse("1900-01-01", &d), 0);
	assert_date(d, 1900, 1, 1);
	assert_int_equal(date_parse("9999-12-31", &d), 0);
	assert_date(d, 9999, 12, 31);
	assert_int_equal(date_parse("2027-04-30", &d), 0);
	assert_date(d, 2027, 4, 30);
	/* The length is what counts in the _n form. */
	assert_int_equal(date_parse_n("2027-12-31junk", 10, &d), 0);
	assert_date(d, 2027, 12, 31);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2027-02-29", "1900-02-29", "2100-02-29", "2027-13-01", "2027-00-10", "2027-04-31", "2027-01-00",
		"2027-01-32", "2027-1-01", "2027-01-1", "27-01-01", "2027-01-01 ", " 2027-01-01", "2027-01-01x",
		"2027-01-01T00:00:00Z", "1899-12-31", "10000-01-01", "0000-01-01", "+027-01-01", "-027-01-01",
		"2027/01/01", "2027-01-0a", "2027-+1-01", "2027- 1-01", "", "2027",
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(bad); i++) {
		struct nl_date d = { 1, 2, 3 };
		if (date_parse(bad[i], &d) != NL_EVALID)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_date(d, 1, 2, 3); /* untouched */
	}
	struct nl_date d;
	assert_int_equal(date_parse(NULL, &d), NL_EVALID);
	assert_int_equal(date_parse_n("2027-01-01\0", 11, &d), NL_EVALID);
	assert_int_equal(date_parse_n(NULL, 10, &d), NL_EVALID);
}

static void test_format(void **state)
{
	(void)state;
	char buf[NL_DATE_STRLEN];
	assert_int_equal(date_format(mk(2027, 3, 1), buf), 0);
	assert_string_equal(buf, "2027-03-01");
	assert_int_equal(date_format(mk(1900, 1, 1), buf), 0);
	assert_string_equal(buf, "1900-01-01");
	assert_int_equal(date_format(mk(9999, 12, 31), buf), 0);
	assert_string_equal(buf, "9999-12-31");
	assert_int_equal(date_format(mk(2027, 2, 29), buf), NL_EVALID);
	assert_string_equal(buf, "");
	assert_int_equal(date_format(mk(1899, 12, 31), buf), NL_EVALID);
	assert_int_equal(date_format(mk(2027, 0, 1), buf), NL_EVALID);
}

static void test_days_known(void **state)
{
	(void)state;
	assert_int_equal(date_to_days(mk(1970, 1, 1)), 0);
	assert_int_equal(date_to_days(mk(1969, 12, 31)), -1);
	assert_int_equal(date_to_days(mk(1970, 3, 1)), 59);
	assert_int_equal(date_to_days(mk(2000, 3, 1)), 11017);   /* 10957 (2000-01-01) + 31 + 29 */
	assert_int_equal(date_to_days(mk(2027, 1, 1)), 20819);   /* 10957 + 27 × 365 + 7 leap days */
	assert_int_equal(date_to_days(mk(2027, 3, 1)), 20878);
	assert_int_equal(date_to_days(mk(1900, 1, 1)), -25567);  /* 70 × 365 + 17 leap days before 1970 */
	assert_int_equal(date_to_days(mk(9999, 12, 31)), 2932896);

	struct nl_date d;
	assert_int_equal(date_from_days(0, &d), 0);
	assert_date(d, 1970, 1, 1);
	assert_int_equal(date_from_days(-1, &d), 0);
	assert_date(d, 1969, 12, 31);
	assert_int_equal(date_from_days(11016, &d), 0);
	assert_date(d, 2000, 2, 29);
	assert_int_equal(date_from_days(-25567, &d), 0);
	assert_date(d, 1900, 1, 1);
	assert_int_equal(date_from_days(2932896, &d), 0);
	assert_date(d, 9999, 12, 31);
	d = mk(1, 2, 3);
	assert_int_equal(date_from_days(-25568, &d), NL_EVALID);
	assert_int_equal(date_from_days(2932897, &d), NL_EVALID);
	assert_int_equal(date_from_days(INT_MIN, &d), NL_EVALID);
	assert_int_equal(date_from_days(INT_MAX, &d), NL_EVALID);
	assert_date(d, 1, 2, 3);
}

/* Walks every day from 1900-01-01 to 9999-12-31 with naive month arithmetic and checks that the day count, the
 * conversion back, the ISO weekday (1900-01-01 was a Monday) and format/parse all agree with the walk. */
static void test_days_walk(void **state)
{
	(void)state;
	struct nl_date w = mk(1900, 1, 1);
	int days = -25567;
	int weekday = 1;
	for (;;) {
		if (date_to_days(w) != days)
			fail_msg("%04d-%02d-%02d: %d days, expected %d", w.y, w.m, w.d, date_to_days(w), days);
		struct nl_date back;
		assert_int_equal(date_from_days(days, &back), 0);
		if (date_cmp(back, w) != 0)
			fail_msg("day %d → %04d-%02d-%02d, expected %04d-%02d-%02d", days, back.y, back.m, back.d, w.y, w.m,
				w.d);
		if (date_weekday(w) != weekday)
			fail_msg("%04d-%02d-%02d: weekday %d, expected %d", w.y, w.m, w.d, date_weekday(w), weekday);
		if (w.d == 1 || w.y % 97 == 0) { /* the string round trip on a sample, to keep the walk fast */
			char buf[NL_DATE_STRLEN];
			struct nl_date p;
			assert_int_equal(date_format(w, buf), 0);
			assert_int_equal(date_parse(buf, &p), 0);
			assert_int_equal(date_cmp(p, w), 0);
		}
		if (w.y == 9999 && w.m == 12 && w.d == 31)
			break;
		days++;
		weekday = weekday % 7 + 1;
		int dim = (w.m == 2) ? ((w.y % 4 == 0 && (w.y % 100 != 0 || w.y % 400 == 0)) ? 29 : 28)
			: (w.m == 4 || w.m == 6 || w.m == 9 || w.m == 11) ? 30 : 31;
		if (++w.d > dim) {
			w.d = 1;
			if (++w.m > 12) {
				w.m = 1;
				w.y++;
			}
		}
	}
	assert_int_equal(days, 2932896);
}

static void test_add_and_diff(void **state)
{
	(void)state;
	struct nl_date d;
	assert_int_equal(date_add_days(mk(2024, 2, 28), 1, &d), 0);
	assert_date(d, 2024, 2, 29);
	assert_int_equal(date_add_days(mk(2024, 2, 28), 2, &d), 0);
	assert_date(d, 2024, 3, 1);
	assert_int_equal(date_add_days(mk(2027, 2, 28), 1, &d), 0);
	assert_date(d, 2027, 3, 1);
	assert_int_equal(date_add_days(mk(2027, 12, 31), 1, &d), 0);
	assert_date(d, 2028, 1, 1);
	assert_int_equal(date_add_days(mk(2027, 1, 1), -1, &d), 0);
	assert_date(d, 2026, 12, 31);
	assert_int_equal(date_add_days(mk(2027, 1, 31), 0, &d), 0);
	assert_date(d, 2027, 1, 31);
	assert_int_equal(date_add_days(mk(2027, 3, 1), 365, &d), 0);
	assert_date(d, 2028, 2, 29);
	d = mk(1, 2, 3);
	assert_int_equal(date_add_days(mk(9999, 12, 31), 1, &d), NL_EVALID);
	assert_int_equal(date_add_days(mk(1900, 1, 1), -1, &d), NL_EVALID);
	assert_int_equal(date_add_days(mk(2027, 1, 1), INT_MAX, &d), NL_EVALID);
	assert_int_equal(date_add_days(mk(2027, 1, 1), INT_MIN, &d), NL_EVALID);
	assert_int_equal(date_add_days(mk(2027, 2, 29), 1, &d), NL_EVALID);
	assert_date(d, 1, 2, 3);

	assert_int_equal(date_diff_days(mk(2027, 3, 1), mk(2027, 2, 28)), 1);
	assert_int_equal(date_diff_days(mk(2024, 3, 1), mk(2024, 2, 28)), 2);
	assert_int_equal(date_diff_days(mk(2028, 1, 1), mk(2027, 1, 1)), 365);
	assert_int_equal(date_diff_days(mk(2029, 1, 1), mk(2028, 1, 1)), 366);
	assert_int_equal(date_diff_days(mk(2027, 1, 1), mk(2028, 1, 1)), -365);
	assert_int_equal(date_diff_days(mk(2027, 5, 5), mk(2027, 5, 5)), 0);
	assert_int_equal(date_diff_days(mk(9999, 12, 31), mk(1900, 1, 1)), 2932896 + 25567);
}

static void test_weekday_and_cmp(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(mk(1970, 1, 1)), 4);  /* Thursday */
	assert_int_equal(date_weekday(mk(1969, 12, 28)), 7); /* Sunday */
	assert_int_equal(date_weekday(mk(2000, 1, 1)), 6);  /* Saturday */
	assert_int_equal(date_weekday(mk(2024, 2, 29)), 4); /* Thursday */
	assert_int_equal(date_weekday(mk(2027, 3, 1)), 1);  /* Monday */
	assert_int_equal(date_weekday(mk(2027, 2, 28)), 7); /* Sunday */

	assert_int_equal(date_cmp(mk(2027, 3, 1), mk(2027, 3, 1)), 0);
	assert_int_equal(date_cmp(mk(2027, 3, 1), mk(2027, 3, 2)), -1);
	assert_int_equal(date_cmp(mk(2027, 3, 1), mk(2027, 2, 28)), 1);
	assert_int_equal(date_cmp(mk(2026, 12, 31), mk(2027, 1, 1)), -1);
	assert_int_equal(date_cmp(mk(2028, 1, 1), mk(2027, 12, 31)), 1);
}

static void test_timestamp_parse(void **state)
{
	(void)state;
	int64_t t;
	/* 2027-03-01 is day 20878: 20878 × 86400 = 1803859200. */
	assert_int_equal(date_timestamp_parse("2027-03-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 1803859200);
	assert_int_equal(date_timestamp_parse("2027-03-01T08:00:00Z", &t), 0);
	assert_int_equal(t, 1803859200 + 8 * 3600);
	assert_int_equal(date_timestamp_parse("2027-03-01T08:00:00+08:00", &t), 0);
	assert_int_equal(t, 1803859200);
	assert_int_equal(date_timestamp_parse("2027-03-01T08:00:00-05:30", &t), 0);
	assert_int_equal(t, 1803859200 + 13 * 3600 + 30 * 60);
	assert_int_equal(date_timestamp_parse("2027-03-01T08:00:00-00:00", &t), 0);
	assert_int_equal(t, 1803859200 + 8 * 3600);
	assert_int_equal(date_timestamp_parse("2027-03-01T23:59:59.999999999Z", &t), 0);
	assert_int_equal(t, 1803859200 + 86399);  /* fraction truncated */
	assert_int_equal(date_timestamp_parse("2027-03-01T08:00:00.5+08:00", &t), 0);
	assert_int_equal(t, 1803859200);
	assert_int_equal(date_timestamp_parse("2027-03-01t08:00:00z", &t), 0);
	assert_int_equal(t, 1803859200 + 8 * 3600);
	/* The local date crosses into the previous UTC day and year. */
	assert_int_equal(date_timestamp_parse("2027-01-01T00:30:00+08:00", &t), 0);
	assert_int_equal(t, (int64_t)20819 * 86400 - 7 * 3600 - 30 * 60);
	assert_int_equal(date_timestamp_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(date_timestamp_parse("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
	assert_int_equal(date_timestamp_parse("1900-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, -2208988800LL);
	assert_int_equal(date_timestamp_parse("9999-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, 253402300799LL);
	assert_int_equal(date_timestamp_parse("2009-02-13T23:31:30Z", &t), 0);
	assert_int_equal(t, 1234567890);
	assert_int_equal(date_timestamp_parse_n("2027-03-01T08:00:00Zjunk", 20, &t), 0);
	assert_int_equal(t, 1803859200 + 8 * 3600);
}

static void test_timestamp_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "2027-03-01", "2027-03-01T08:00:00", "2027-03-01 08:00:00Z", "2027-03-01T08:00Z", "2027-03-01T8:00:00Z",
		"2027-03-01T08:00:00+0800", "2027-03-01T08:00:00+08", "2027-03-01T08:00:00+8:00", "2027-03-01T08:00:00 +08:00",
		"2027-03-01T24:00:00Z", "2027-03-01T23:60:00Z", "2027-03-01T23:59:60Z", "2027-02-29T00:00:00Z",
		"2027-13-01T00:00:00Z", "1899-12-31T23:59:59Z", "2027-03-01T08:00:00Zjunk", "2027-03-01T08:00:00Z ",
		" 2027-03-01T08:00:00Z", "2027-03-01T08:00:00+24:00", "2027-03-01T08:00:00+08:60", "2027-03-01T08:00:00.Z",
		"2027-03-01T08:00:00.1234567890Z", "2027-03-01T08:00:00,5Z", "2027-03-01T08:00:00.5", "2027-03-01T08:00:00UTC",
		"2027-03-01T08:00:00+08:00Z", "2027-03-01T08:00:00Z+08:00", "2027-03-01T08:-1:00Z", "2027-03-01X08:00:00Z",
		"2027-03-01T08:00:00+08:00:00",
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(bad); i++) {
		int64_t t = 42;
		if (date_timestamp_parse(bad[i], &t) != NL_EVALID)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(t, 42);
	}
	int64_t t;
	assert_int_equal(date_timestamp_parse(NULL, &t), NL_EVALID);
	assert_int_equal(date_timestamp_parse_n("2027-03-01T08:00:00Z\0", 21, &t), NL_EVALID);
}

static void test_timestamp_format(void **state)
{
	(void)state;
	char buf[NL_TIMESTAMP_STRLEN];
	assert_int_equal(date_timestamp_format(0, buf), 0);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_int_equal(date_timestamp_format(-1, buf), 0);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	assert_int_equal(date_timestamp_format(1803859200 + 8 * 3600, buf), 0);
	assert_string_equal(buf, "2027-03-01T08:00:00Z");
	assert_int_equal(date_timestamp_format(1234567890, buf), 0);
	assert_string_equal(buf, "2009-02-13T23:31:30Z");
	assert_int_equal(date_timestamp_format(-2208988800LL, buf), 0);
	assert_string_equal(buf, "1900-01-01T00:00:00Z");
	assert_int_equal(date_timestamp_format(253402300799LL, buf), 0);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
	assert_int_equal(date_timestamp_format(-2208988801LL, buf), NL_EVALID);
	assert_string_equal(buf, "");
	assert_int_equal(date_timestamp_format(253402300800LL, buf), NL_EVALID);
	assert_int_equal(date_timestamp_format(INT64_MIN, buf), NL_EVALID);
	assert_int_equal(date_timestamp_format(INT64_MAX, buf), NL_EVALID);

	/* An offset is normalised to UTC. */
	int64_t t;
	assert_int_equal(date_timestamp_parse("2027-01-01T00:30:00+08:00", &t), 0);
	assert_int_equal(date_timestamp_format(t, buf), 0);
	assert_string_equal(buf, "2026-12-31T16:30:00Z");

	/* Round trips every 7777777 seconds (about 90 days, drifting through the hours) across the whole range. */
	for (int64_t s = -2208988800LL; s < 253402300799LL; s += 7777777) {
		int64_t back;
		assert_int_equal(date_timestamp_format(s, buf), 0);
		assert_int_equal(date_timestamp_parse(buf, &back), 0);
		assert_int_equal(back, s);
	}
}

static void test_local_dates(void **state)
{
	(void)state;
	struct nl_date d;
	int64_t t = 1803859200 - 8 * 3600;  /* 2027-02-28T16:00:00Z */
	assert_int_equal(date_from_timestamp(t, 8 * 3600, &d), 0);
	assert_date(d, 2027, 3, 1);
	assert_int_equal(date_from_timestamp(t - 1, 8 * 3600, &d), 0);
	assert_date(d, 2027, 2, 28);
	assert_int_equal(date_from_timestamp(t, 0, &d), 0);
	assert_date(d, 2027, 2, 28);
	assert_int_equal(date_from_timestamp(-1, 0, &d), 0);
	assert_date(d, 1969, 12, 31);
	d = mk(1, 2, 3);
	assert_int_equal(date_from_timestamp(t, 86400, &d), NL_EVALID);
	assert_int_equal(date_from_timestamp(t, -86400, &d), NL_EVALID);
	assert_int_equal(date_from_timestamp(INT64_MAX, 0, &d), NL_EVALID);
	assert_int_equal(date_from_timestamp(INT64_MIN, 0, &d), NL_EVALID);
	assert_int_equal(date_from_timestamp(253402300800LL, 0, &d), NL_EVALID);
	assert_date(d, 1, 2, 3);

	assert_int_equal(date_to_timestamp(mk(2027, 3, 1), 8 * 3600), t);
	assert_int_equal(date_to_timestamp(mk(2027, 3, 1), 0), 1803859200);
	assert_int_equal(date_to_timestamp(mk(1970, 1, 1), -5 * 3600), 5 * 3600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_days_known),
		cmocka_unit_test(test_days_walk),
		cmocka_unit_test(test_add_and_diff),
		cmocka_unit_test(test_weekday_and_cmp),
		cmocka_unit_test(test_timestamp_parse),
		cmocka_unit_test(test_timestamp_rejects),
		cmocka_unit_test(test_timestamp_format),
		cmocka_unit_test(test_local_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
