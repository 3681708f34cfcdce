/* period.c — years, quarters and months as measurement periods (see period.h). Every period is handled through its
 * first and last month of the year, so the three kinds share one code path. */
#include "cycle/period.h"

#include <string.h>

#include "core/err.h"
#include "core/common.h"

/* Months per period of each kind. */
static int period_span(enum nl_period_kind kind)
{
	switch (kind) {
	case NL_PERIOD_YEAR: return 12;
	case NL_PERIOD_QUARTER: return 3;
	case NL_PERIOD_MONTH: return 1;
	}
	return 0;
}

/* Periods per year of each kind (the largest index). */
static int period_count(enum nl_period_kind kind)
{
	switch (kind) {
	case NL_PERIOD_YEAR: return 1;
	case NL_PERIOD_QUARTER: return 4;
	case NL_PERIOD_MONTH: return 12;
	}
	return 0;
}

/* First month (1..12) of a period whose kind and index are valid. */
static int period_first_month(struct nl_period p)
{
	if (p.kind == NL_PERIOD_YEAR)
		return 1;
	return (p.index - 1) * period_span(p.kind) + 1;
}

int period_valid(struct nl_period p)
{
	if (p.year < NL_DATE_MIN_YEAR || p.year > NL_DATE_MAX_YEAR)
		return 0;
	switch (p.kind) {
	case NL_PERIOD_YEAR: return p.index == 0;
	case NL_PERIOD_QUARTER: return p.index >= 1 && p.index <= 4;
	case NL_PERIOD_MONTH: return p.index >= 1 && p.index <= 12;
	}
	return 0;
}

static int period_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int period_parse_n(const char *s, size_t n, struct nl_period *out)
{
	if (!s || (n != 4 && n != 7))
		return NL_EVALID;
	for (int i = 0; i < 4; i++)
		if (!period_is_digit(s[i]))
			return NL_EVALID;
	struct nl_period p;
	p.year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (n == 4) {
		p.kind = NL_PERIOD_YEAR;
		p.index = 0;
	} else if (s[4] != '-') {
		return NL_EVALID;
	} else if (s[5] == 'Q') {
		if (!period_is_digit(s[6]))
			return NL_EVALID;
		p.kind = NL_PERIOD_QUARTER;
		p.index = s[6] - '0';
	} else {
		if (!period_is_digit(s[5]) || !period_is_digit(s[6]))
			return NL_EVALID;
		p.kind = NL_PERIOD_MONTH;
		p.index = (s[5] - '0') * 10 + (s[6] - '0');
	}
	if (!period_valid(p))
		return NL_EVALID;
	*out = p;
	return 0;
}

int period_parse(const char *s, struct nl_period *out)
{
	if (!s)
		return NL_EVALID;
	return period_parse_n(s, strlen(s), out);
}

int period_format(struct nl_period p, char out[NL_PERIOD_STRLEN])
{
	out[0] = '\0';
	if (!period_valid(p))
		return NL_EVALID;
	int y = p.year;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	switch (p.kind) {
	case NL_PERIOD_YEAR:
		out[4] = '\0';
		break;
	case NL_PERIOD_QUARTER:
		out[4] = '-';
		out[5] = 'Q';
		out[6] = (char)('0' + p.index);
		out[7] = '\0';
		break;
	case NL_PERIOD_MONTH:
		out[4] = '-';
		out[5] = (char)('0' + p.index / 10);
		out[6] = (char)('0' + p.index % 10);
		out[7] = '\0';
		break;
	}
	return 0;
}

int period_frequency_parse(const char *s, enum nl_period_kind *out)
{
	if (!s)
		return NL_EVALID;
	if (strcmp(s, "year") == 0)
		*out = NL_PERIOD_YEAR;
	else if (strcmp(s, "quarter") == 0)
		*out = NL_PERIOD_QUARTER;
	else if (strcmp(s, "month") == 0)
		*out = NL_PERIOD_MONTH;
	else
		return NL_EVALID;
	return 0;
}

const char *period_frequency_name(enum nl_period_kind kind)
{
	switch (kind) {
	case NL_PERIOD_YEAR: return "year";
	case NL_PERIOD_QUARTER: return "quarter";
	case NL_PERIOD_MONTH: return "month";
	}
	return "";
}

int period_first_date(struct nl_period p, struct nl_date *out)
{
	if (!period_valid(p))
		return NL_EVALID;
	out->y = p.year;
	out->m = period_first_month(p);
	out->d = 1;
	return 0;
}

int period_last_date(struct nl_period p, struct nl_date *out)
{
	if (!period_valid(p))
		return NL_EVALID;
	int m = period_first_month(p) + period_span(p.kind) - 1;
	out->y = p.year;
	out->m = m;
	out->d = date_days_in_month(p.year, m);
	return 0;
}

int period_days(struct nl_period p)
{
	struct nl_date a, b;
	if (period_first_date(p, &a) < 0 || period_last_date(p, &b) < 0)
		return 0;
	return date_diff_days(b, a) + 1;
}

/* Moves the valid period p by step (+1 or -1) periods of its kind. */
static int period_step(struct nl_period p, int step, struct nl_period *out)
{
	if (!period_valid(p))
		return NL_EVALID;
	struct nl_period r = p;
	if (p.kind == NL_PERIOD_YEAR) {
		r.year += step;
	} else {
		r.index += step;
		if (r.index > period_count(p.kind)) {
			r.index = 1;
			r.year++;
		} else if (r.index < 1) {
			r.index = period_count(p.kind);
			r.year--;
		}
	}
	if (!period_valid(r))
		return NL_EVALID;
	*out = r;
	return 0;
}

int period_next(struct nl_period p, struct nl_period *out)
{
	return period_step(p, 1, out);
}

int period_prev(struct nl_period p, struct nl_period *out)
{
	return period_step(p, -1, out);
}

int period_containing(enum nl_period_kind kind, struct nl_date d, struct nl_period *out)
{
	if (!date_valid(d) || period_span(kind) == 0)
		return NL_EVALID;
	out->kind = kind;
	out->year = d.y;
	out->index = kind == NL_PERIOD_YEAR ? 0 : (d.m - 1) / period_span(kind) + 1;
	return 0;
}

int period_contains_date(struct nl_period p, struct nl_date d)
{
	struct nl_date a, b;
	if (!date_valid(d) || period_first_date(p, &a) < 0 || period_last_date(p, &b) < 0)
		return 0;
	return date_cmp(a, d) <= 0 && date_cmp(d, b) <= 0;
}

int period_contains(struct nl_period outer, struct nl_period inner)
{
	if (!period_valid(outer) || !period_valid(inner) || outer.year != inner.year)
		return 0;
	int of = period_first_month(outer), ol = of + period_span(outer.kind) - 1;
	int in_f = period_first_month(inner), in_l = in_f + period_span(inner.kind) - 1;
	return of <= in_f && in_l <= ol;
}

int period_list_for_year(int year, enum nl_period_kind kind, struct nl_period out[NL_PERIOD_MAX_PER_YEAR],
	size_t *count)
{
	*count = 0;
	int n = period_count(kind);
	if (year < NL_DATE_MIN_YEAR || year > NL_DATE_MAX_YEAR || n == 0)
		return NL_EVALID;
	for (int i = 0; i < n; i++) {
		out[i].kind = kind;
		out[i].year = year;
		out[i].index = kind == NL_PERIOD_YEAR ? 0 : i + 1;
	}
	*count = (size_t)n;
	return 0;
}

int period_in_year(struct nl_period p, int year)
{
	return period_valid(p) && p.year == year;
}

int period_cmp(struct nl_period a, struct nl_period b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	/* Out-of-range kinds or indexes still order deterministically: compare the raw fields. */
	int fa = period_valid(a) ? period_first_month(a) : a.index;
	int fb = period_valid(b) ? period_first_month(b) : b.index;
	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (a.kind != b.kind)
		return a.kind < b.kind ? -1 : 1; /* YEAR < QUARTER < MONTH: the longer period first */
	if (a.index != b.index)
		return a.index < b.index ? -1 : 1;
	return 0;
}
