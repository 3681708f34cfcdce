/* date.c — calendar dates and RFC 3339 timestamps (see date.h). Digits are read by hand rather than with strtol,
 * which would accept signs, spaces and variable widths that the formats forbid. The day-count conversions are
 * Howard Hinnant's days_from_civil / civil_from_days, done in 64-bit arithmetic so that no input overflows. */
#include "core/date.h"

#include <string.h>

#include "core/err.h"
#include "core/common.h"

#define DATE_SECONDS_PER_DAY 86400

/* Days of 1900-01-01 and 9999-12-31 since 1970-01-01. */
#define DATE_MIN_DAYS (-25567)
#define DATE_MAX_DAYS 2932896

int date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && date_is_leap(y))
		return 29;
	return days[m - 1];
}

int date_valid(struct nl_date d)
{
	if (d.y < NL_DATE_MIN_YEAR || d.y > NL_DATE_MAX_YEAR)
		return 0;
	if (d.m < 1 || d.m > 12)
		return 0;
	return d.d >= 1 && d.d <= date_days_in_month(d.y, d.m);
}

/* Reads exactly `width` ASCII digits at s into *v; returns 0, or -1 when one of them is not a digit. */
static int date_digits(const char *s, int width, int *v)
{
	int x = 0;
	for (int i = 0; i < width; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

/* Reads "YYYY-MM-DD" from the first 10 bytes at s (the caller checked there are 10) into *out if it is valid. */
static int date_parse_at(const char *s, struct nl_date *out)
{
	struct nl_date d;
	if (date_digits(s, 4, &d.y) < 0 || s[4] != '-' || date_digits(s + 5, 2, &d.m) < 0 || s[7] != '-'
	    || date_digits(s + 8, 2, &d.d) < 0)
		return NL_EVALID;
	if (!date_valid(d))
		return NL_EVALID;
	*out = d;
	return 0;
}

int date_parse_n(const char *s, size_t n, struct nl_date *out)
{
	if (!s || n != 10)
		return NL_EVALID;
	return date_parse_at(s, out);
}

int date_parse(const char *s, struct nl_date *out)
{
	if (!s)
		return NL_EVALID;
	return date_parse_n(s, strlen(s), out);
}

/* Writes `width` digits of the non-negative v at p. */
static void date_put_digits(char *p, int width, int v)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

int date_format(struct nl_date d, char out[NL_DATE_STRLEN])
{
	if (!date_valid(d)) {
		out[0] = '\0';
		return NL_EVALID;
	}
	date_put_digits(out, 4, d.y);
	out[4] = '-';
	date_put_digits(out + 5, 2, d.m);
	out[7] = '-';
	date_put_digits(out + 8, 2, d.d);
	out[10] = '\0';
	return 0;
}

/* days_from_civil: days since 1970-01-01 of y-m-d (m in 1..12), for any year. */
static int64_t date_days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                  /* 0..399 */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* 0..146096 */
	return era * 146097 + doe - 719468;
}

/* civil_from_days: the date of day z since 1970-01-01; the caller keeps z within the supported range. */
static struct nl_date date_civil_from_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                       /* 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* 0..399 */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* 0..365 */
	int64_t mp = (5 * doy + 2) / 153;                                     /* 0..11, from March */
	struct nl_date r;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

int date_to_days(struct nl_date d)
{
	int m = d.m < 1 || d.m > 12 ? 1 : d.m; /* keeps a misuse from computing with a nonsense month */
	return (int)date_days_from_civil(d.y, m, d.d);
}

int date_from_days(int days, struct nl_date *out)
{
	if (days < DATE_MIN_DAYS || days > DATE_MAX_DAYS)
		return NL_EVALID;
	*out = date_civil_from_days(days);
	return 0;
}

int date_add_days(struct nl_date d, int n, struct nl_date *out)
{
	if (!date_valid(d))
		return NL_EVALID;
	int64_t z = (int64_t)date_to_days(d) + n;
	if (z < DATE_MIN_DAYS || z > DATE_MAX_DAYS)
		return NL_EVALID;
	*out = date_civil_from_days(z);
	return 0;
}

int date_diff_days(struct nl_date a, struct nl_date b)
{
	return (int)((int64_t)date_to_days(a) - date_to_days(b));
}

int date_weekday(struct nl_date d)
{
	int z = date_to_days(d);
	int r = ((z % 7) + 7) % 7; /* 0 for 1970-01-01, a Thursday */
	return (r + 3) % 7 + 1;
}

int date_cmp(struct nl_date a, struct nl_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

/* floor(a / b) for b > 0. */
static int64_t date_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if (a % b != 0 && a < 0)
		q--;
	return q;
}

int date_timestamp_parse_n(const char *s, size_t n, int64_t *out)
{
	/* Shortest form: "YYYY-MM-DDTHH:MM:SSZ" (20 bytes); longest: 9 fraction digits and an offset (35 bytes). */
	if (!s || n < 20 || n > 35)
		return NL_EVALID;
	struct nl_date d;
	if (date_parse_at(s, &d) < 0)
		return NL_EVALID;
	if (s[10] != 'T' && s[10] != 't')
		return NL_EVALID;
	int hh, mm, ss;
	if (date_digits(s + 11, 2, &hh) < 0 || s[13] != ':' || date_digits(s + 14, 2, &mm) < 0 || s[16] != ':'
	    || date_digits(s + 17, 2, &ss) < 0)
		return NL_EVALID;
	if (hh > 23 || mm > 59 || ss > 59)
		return NL_EVALID;
	size_t i = 19;
	if (s[i] == '.') {
		size_t start = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start || i - start > 9)
			return NL_EVALID;
	}
	int offset = 0;
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int oh, om;
		if (n - i < 6 || date_digits(s + i + 1, 2, &oh) < 0 || s[i + 3] != ':'
		    || date_digits(s + i + 4, 2, &om) < 0)
			return NL_EVALID;
		if (oh > 23 || om > 59)
			return NL_EVALID;
		offset = (oh * 60 + om) * 60;
		if (s[i] == '-')
			offset = -offset;
		i += 6;
	} else {
		return NL_EVALID;
	}
	if (i != n)
		return NL_EVALID;
	*out = (int64_t)date_to_days(d) * DATE_SECONDS_PER_DAY + hh * 3600 + mm * 60 + ss - offset;
	return 0;
}

int date_timestamp_parse(const char *s, int64_t *out)
{
	if (!s)
		return NL_EVALID;
	return date_timestamp_parse_n(s, strlen(s), out);
}

int date_timestamp_format(int64_t t, char out[NL_TIMESTAMP_STRLEN])
{
	out[0] = '\0';
	int64_t z = date_floor_div(t, DATE_SECONDS_PER_DAY);
	if (z < DATE_MIN_DAYS || z > DATE_MAX_DAYS)
		return NL_EVALID;
	int sec = (int)(t - z * DATE_SECONDS_PER_DAY); /* 0..86399 */
	struct nl_date d = date_civil_from_days(z);
	if (date_format(d, out) < 0)
		return NL_EVALID;
	out[10] = 'T';
	date_put_digits(out + 11, 2, sec / 3600);
	out[13] = ':';
	date_put_digits(out + 14, 2, sec / 60 % 60);
	out[16] = ':';
	date_put_digits(out + 17, 2, sec % 60);
	out[19] = 'Z';
	out[20] = '\0';
	return 0;
}

int date_from_timestamp(int64_t t, int offset_seconds, struct nl_date *out)
{
	if (offset_seconds <= -DATE_SECONDS_PER_DAY || offset_seconds >= DATE_SECONDS_PER_DAY)
		return NL_EVALID;
	/* Keep t + offset from overflowing: anything this far out is outside the range anyway. */
	if (t > INT64_MAX / 2 || t < INT64_MIN / 2)
		return NL_EVALID;
	int64_t z = date_floor_div(t + offset_seconds, DATE_SECONDS_PER_DAY);
	if (z < DATE_MIN_DAYS || z > DATE_MAX_DAYS)
		return NL_EVALID;
	*out = date_civil_from_days(z);
	return 0;
}

int64_t date_to_timestamp(struct nl_date d, int offset_seconds)
{
	return (int64_t)date_to_days(d) * DATE_SECONDS_PER_DAY - offset_seconds;
}
