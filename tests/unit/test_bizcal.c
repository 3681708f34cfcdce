/* test_bizcal.c — the business-time calculator (records/bizcal.h): work periods, weekends, holidays, make-up workdays
 * (调休), pauses, calendar changes, DST-free and DST zones; and the calendar's text formats (records/calendar.h:
 * work periods, CSV and iCalendar day imports, TZif zone tables). Every expected number was worked out by hand from
 * the standard calendar below and the 2025 notice (国办发明电〔2024〕12号); the comments show the sums. A printout
 * measures the cost of evaluating a ticket (a measurement, not a timed test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/date.h"
#include "core/err.h"
#include "records/bizcal.h"
#include "records/calendar.h"
#include "records/sla.h"
#include "store/migrate.h"
#include "store/store.h"

#include <unistd.h>

#include "core/common.h"

#define MIN 60
#define HOUR 3600

/* An RFC 3339 timestamp as Unix seconds; fails the test when it does not parse. */
static int64_t T(const char *s)
{
	int64_t t = 0;
	assert_int_equal(date_timestamp_parse(s, &t), 0);
	return t;
}

static int32_t D(const char *s)
{
	struct nl_date d;
	assert_int_equal(date_parse(s, &d), 0);
	return date_to_days(d);
}

/* China's 2025 holidays and make-up workdays (国办发明电〔2024〕12号), filled by cn2025(). */
static struct nl_bizcal_exception days2025[64];
static size_t ndays2025;

static void add_range(const char *from, int n, int kind)
{
	int32_t d = D(from);
	for (int i = 0; i < n; i++) {
		days2025[ndays2025].day = d + i;
		days2025[ndays2025].kind = kind;
		ndays2025++;
	}
}

static void cn2025(void)
{
	if (ndays2025)
		return;
	add_range("2025-01-01", 1, NL_BIZCAL_HOLIDAY);
	add_range("2025-01-26", 1, NL_BIZCAL_WORKDAY);
	add_range("2025-01-28", 8, NL_BIZCAL_HOLIDAY);
	add_range("2025-02-08", 1, NL_BIZCAL_WORKDAY);
	add_range("2025-04-04", 3, NL_BIZCAL_HOLIDAY);
	add_range("2025-04-27", 1, NL_BIZCAL_WORKDAY);
	add_range("2025-05-01", 5, NL_BIZCAL_HOLIDAY);
	add_range("2025-05-31", 3, NL_BIZCAL_HOLIDAY);
	add_range("2025-09-28", 1, NL_BIZCAL_WORKDAY);
	add_range("2025-10-01", 8, NL_BIZCAL_HOLIDAY);
	add_range("2025-10-11", 1, NL_BIZCAL_WORKDAY);
}

/* The standard calendar: Asia/Shanghai (+08:00, no DST), 09:00–12:00 and 13:30–18:00 (450 minutes a day),
 * Monday to Friday, with the 2025 exceptions. */
static struct nl_bizcal standard(void)
{
	cn2025();
	struct nl_bizcal c = { .zone = { .initial = 8 * HOUR }, .weekdays = 0x1f, .nperiods = 2,
		.periods = { { 9 * HOUR, 12 * HOUR }, { 13 * HOUR + 30 * MIN, 18 * HOUR } },
		.days = days2025, .ndays = ndays2025 };
	assert_int_equal(bizcal_check(&c), 0);
	return c;
}

/* 7×24: every day, all day, no exceptions, in the given zone. */
static struct nl_bizcal always(struct nl_bizcal_zone z)
{
	struct nl_bizcal c = { .zone = z, .weekdays = 0x7f, .nperiods = 1, .periods = { { 0, 24 * HOUR } } };
	assert_int_equal(bizcal_check(&c), 0);
	return c;
}

static int64_t mins(const struct nl_bizcal *c, const char *a, const char *b)
{
	int64_t s = bizcal_seconds(c, T(a), T(b));
	assert_int_equal(s % 60, 0);
	return s / 60;
}

static void test_inside_one_period(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* Monday 2025-09-22, 09:30–11:00 */
	assert_int_equal(mins(&c, "2025-09-22T09:30:00+08:00", "2025-09-22T11:00:00+08:00"), 90);
	/* the same in UTC notation */
	assert_int_equal(mins(&c, "2025-09-22T01:30:00Z", "2025-09-22T03:00:00Z"), 90);
	/* seconds count too: 09:00:00–09:00:59 is 59 seconds */
	assert_int_equal(bizcal_seconds(&c, T("2025-09-22T09:00:00+08:00"), T("2025-09-22T09:00:59+08:00")), 59);
}

static void test_spanning_lunch(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* 11:00–12:00 (60) + 13:30–14:00 (30) */
	assert_int_equal(mins(&c, "2025-09-22T11:00:00+08:00", "2025-09-22T14:00:00+08:00"), 90);
	/* entirely inside the lunch break */
	assert_int_equal(mins(&c, "2025-09-22T12:10:00+08:00", "2025-09-22T13:20:00+08:00"), 0);
	/* a whole day: 180 + 270 */
	assert_int_equal(mins(&c, "2025-09-22T00:00:00+08:00", "2025-09-23T00:00:00+08:00"), 450);
}

static void test_overnight(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* Monday 17:00–18:00 (60) + Tuesday 09:00–10:00 (60) */
	assert_int_equal(mins(&c, "2025-09-22T17:00:00+08:00", "2025-09-23T10:00:00+08:00"), 120);
	/* from the evening: nothing until Tuesday 09:00 */
	assert_int_equal(mins(&c, "2025-09-22T20:00:00+08:00", "2025-09-23T09:00:00+08:00"), 0);
}

static void test_over_a_weekend(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* Friday 2025-09-19 17:00–18:00 (60), Saturday and Sunday nothing, Monday 09:00–10:00 (60) */
	assert_int_equal(mins(&c, "2025-09-19T17:00:00+08:00", "2025-09-22T10:00:00+08:00"), 120);
	/* a full week Monday 00:00 → next Monday 00:00: 5 × 450 */
	assert_int_equal(mins(&c, "2025-09-15T00:00:00+08:00", "2025-09-22T00:00:00+08:00"), 2250);
}

static void test_holiday(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* Tuesday 2025-09-30 17:00–18:00 (60); 10-01..10-08 国庆/中秋 holidays; Thursday 10-09 09:00–10:00 (60) */
	assert_int_equal(mins(&c, "2025-09-30T17:00:00+08:00", "2025-10-09T10:00:00+08:00"), 120);
	/* inside the holiday: nothing, even on its weekdays (Wednesday 10-01, Monday 10-06) */
	assert_int_equal(mins(&c, "2025-10-01T00:00:00+08:00", "2025-10-09T00:00:00+08:00"), 0);
	/* 元旦 2025-01-01 (Wednesday) is a holiday: Tuesday 17:00 → Thursday 10:00 = 60 + 60 */
	assert_int_equal(mins(&c, "2024-12-31T17:00:00+08:00", "2025-01-02T10:00:00+08:00"), 120);
}

static void test_makeup_workday(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* Sunday 2025-09-28 is a make-up workday (调休): Friday 09-26 17:00–18:00 (60), Saturday nothing,
	 * Sunday 450, Monday 09:00–10:00 (60) */
	assert_int_equal(mins(&c, "2025-09-26T17:00:00+08:00", "2025-09-29T10:00:00+08:00"), 570);
	/* Saturday 2025-10-11 works too: Friday 10-10 17:00 (60) + Saturday 450 + Sunday 0 + Monday 60 */
	assert_int_equal(mins(&c, "2025-10-10T17:00:00+08:00", "2025-10-13T10:00:00+08:00"), 570);
	/* the make-up day has the normal periods, lunch included */
	assert_int_equal(mins(&c, "2025-09-28T11:00:00+08:00", "2025-09-28T14:00:00+08:00"), 90);
	/* the windows say which days are make-up workdays */
	struct nl_bizcal_iter it;
	struct nl_bizcal_window w;
	bizcal_iter_init(&it, &c, T("2025-09-27T12:00:00+08:00"));
	assert_int_equal(bizcal_iter_next(&it, &w), 1);
	assert_int_equal(w.from, T("2025-09-28T09:00:00+08:00"));
	assert_int_equal(w.to, T("2025-09-28T12:00:00+08:00"));
	assert_int_equal(w.day, D("2025-09-28"));
	assert_int_equal(w.kind, NL_BIZCAL_WORKDAY);
	assert_int_equal(bizcal_iter_next(&it, &w), 1);
	assert_int_equal(w.from, T("2025-09-28T13:30:00+08:00"));
	assert_int_equal(bizcal_iter_next(&it, &w), 1);
	assert_int_equal(w.from, T("2025-09-29T09:00:00+08:00"));
	assert_int_equal(w.kind, NL_BIZCAL_REGULAR);
}

static void test_single_period(void **state)
{
	(void)state;
	struct nl_bizcal c = { .zone = { .initial = 8 * HOUR }, .weekdays = 0x1f, .nperiods = 1,
		.periods = { { 8 * HOUR, 17 * HOUR } } };
	assert_int_equal(bizcal_check(&c), 0);
	/* Monday 16:00–17:00 (60) + Tuesday 08:00–09:00 (60); no lunch break */
	assert_int_equal(mins(&c, "2025-09-22T16:00:00+08:00", "2025-09-23T09:00:00+08:00"), 120);
	assert_int_equal(mins(&c, "2025-09-22T11:00:00+08:00", "2025-09-22T14:00:00+08:00"), 180);
	/* without exceptions, Sunday 2025-09-28 is an ordinary Sunday */
	assert_int_equal(mins(&c, "2025-09-27T00:00:00+08:00", "2025-09-29T00:00:00+08:00"), 0);
}

static void test_zero_and_reversed(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	int64_t t = T("2025-09-22T10:00:00+08:00"), u = T("2025-09-22T11:00:00+08:00");
	assert_int_equal(bizcal_seconds(&c, t, t), 0);
	assert_int_equal(bizcal_seconds(&c, u, t), 0);
	int64_t out = 0;
	assert_int_equal(bizcal_add(&c, t, 0, &out), 0);
	assert_int_equal(out, t);
	/* adding from outside the hours starts at the next window */
	assert_int_equal(bizcal_add(&c, T("2025-09-22T12:30:00+08:00"), 1, &out), 0);
	assert_int_equal(out, T("2025-09-22T13:30:01+08:00"));
	/* used up exactly at a window's end: that end, not the next start */
	assert_int_equal(bizcal_add(&c, T("2025-09-22T17:00:00+08:00"), 60 * MIN, &out), 0);
	assert_int_equal(out, T("2025-09-22T18:00:00+08:00"));
	assert_int_equal(bizcal_add(&c, T("2025-09-22T17:00:00+08:00"), 60 * MIN + 1, &out), 0);
	assert_int_equal(out, T("2025-09-23T09:00:01+08:00"));
	/* over the national-day holiday: Tuesday 09-30 17:00 + 120 minutes = Thursday 10-09 10:00 */
	assert_int_equal(bizcal_add(&c, T("2025-09-30T17:00:00+08:00"), 120 * MIN, &out), 0);
	assert_int_equal(out, T("2025-10-09T10:00:00+08:00"));
}

/* A small deterministic generator (xorshift) for the property tests. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_add_inverse_property(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	int64_t base = T("2024-12-20T00:00:00Z");
	for (int i = 0; i < 20000; i++) {
		int64_t t = base + (int64_t)(rng() % (400LL * 86400));
		int64_t u = t + (int64_t)(rng() % (20LL * 86400));
		if (i % 7 == 0)
			t -= t % 1800;   /* also on the half hours: exactly at the periods' boundaries */
		if (i % 5 == 0)
			u -= u % 1800;
		if (u < t)
			u = t;
		int64_t d = bizcal_seconds(&c, t, u), a = 0;
		assert_int_equal(bizcal_add(&c, t, d, &a), 0);
		/* lands at or before u, with the same business time, and no business time left between it and u */
		assert_true(a >= t && a <= u);
		assert_int_equal(bizcal_seconds(&c, t, a), d);
		assert_int_equal(bizcal_seconds(&c, a, u), 0);
		/* additivity at a random middle instant */
		int64_t m = t + (u > t ? (int64_t)(rng() % (uint64_t)(u - t)) : 0);
		assert_int_equal(bizcal_seconds(&c, t, m) + bizcal_seconds(&c, m, u), d);
	}
}

/* Events of a test ticket: instants and whether the status entered is a paused one. */
struct ev {
	int64_t at;
	int paused;
};

static int ev_read(const void *arg, size_t i, int64_t *at)
{
	const struct ev *e = arg;
	*at = e[i].at;
	return e[i].paused;
}

static struct nl_bizcal_ticket ticket(int64_t opened, int64_t response, int64_t resolved, int64_t end,
	int64_t rt_min, int64_t st_min, const struct ev *e, size_t n)
{
	struct nl_bizcal_ticket t = { .opened = opened, .response = response, .resolved = resolved, .end = end,
		.response_target = rt_min < 0 ? -1 : rt_min * MIN, .resolution_target = st_min < 0 ? -1 : st_min * MIN,
		.nevents = n, .event = ev_read, .arg = e };
	return t;
}

static void test_pause_inside_a_period(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* Monday 09:00 opened, 09:20 responded, waiting_customer 10:00–11:00, resolved 15:00:
	 * running 09:00–10:00 (60) + 11:00–12:00 (60) + 13:30–15:00 (90) = 210, paused 60 */
	struct ev e[] = { { T("2025-09-22T09:10:00+08:00"), 0 }, { T("2025-09-22T10:00:00+08:00"), 1 },
		{ T("2025-09-22T11:00:00+08:00"), 0 }, { T("2025-09-22T15:00:00+08:00"), 0 } };
	int64_t o = T("2025-09-22T09:00:00+08:00"), s = T("2025-09-22T15:00:00+08:00");
	struct nl_bizcal_ticket t = ticket(o, T("2025-09-22T09:20:00+08:00"), s, s, 30, 240, e, 4);
	struct nl_bizcal_ticket_result r;
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), 0);
	assert_int_equal(r.response_seconds, 20 * MIN);
	assert_int_equal(r.resolution_seconds, 210 * MIN);
	assert_int_equal(r.running_seconds, 210 * MIN);
	assert_int_equal(r.paused_seconds, 60 * MIN);
	/* response due 09:30; resolution due: 60 before the pause, 60 after, then 120 from 13:30 → 15:30 */
	assert_int_equal(r.has_response_due, 1);
	assert_int_equal(r.response_due, T("2025-09-22T09:30:00+08:00"));
	assert_int_equal(r.has_resolution_due, 1);
	assert_int_equal(r.resolution_due, T("2025-09-22T15:30:00+08:00"));
}

static void test_pause_across_periods(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* waiting_vendor Monday 11:30 → Tuesday 10:00: paused 11:30–12:00 (30) + 13:30–18:00 (270) + 09:00–10:00 (60)
	 * = 360; running Monday 09:00–11:30 (150) + Tuesday 10:00–11:00 (60) = 210 */
	struct ev e[] = { { T("2025-09-22T11:30:00+08:00"), 1 }, { T("2025-09-23T10:00:00+08:00"), 0 } };
	int64_t o = T("2025-09-22T09:00:00+08:00"), s = T("2025-09-23T11:00:00+08:00");
	struct nl_bizcal_ticket t = ticket(o, 0, s, s, 60, 240, e, 2);
	struct nl_bizcal_ticket_result r;
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), 0);
	assert_int_equal(r.response_seconds, -1);
	assert_int_equal(r.resolution_seconds, 210 * MIN);
	assert_int_equal(r.paused_seconds, 360 * MIN);
	/* resolution due: 150 before the pause, 90 more from Tuesday 10:00 → 11:30 */
	assert_int_equal(r.resolution_due, T("2025-09-23T11:30:00+08:00"));
	/* the pause measured on its own gives the same number */
	assert_int_equal(bizcal_seconds(&c, e[0].at, e[1].at), 360 * MIN);
}

static void test_pause_before_opening_hours(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* opened Monday 08:00, waiting_customer from 08:30 to 10:00, resolved 11:00: the pause counts only its business
	 * part 09:00–10:00 (60); running 08:00–08:30 is outside the hours (0) + 10:00–11:00 (60) */
	struct ev e[] = { { T("2025-09-22T08:30:00+08:00"), 1 }, { T("2025-09-22T10:00:00+08:00"), 0 } };
	int64_t o = T("2025-09-22T08:00:00+08:00"), s = T("2025-09-22T11:00:00+08:00");
	struct nl_bizcal_ticket t = ticket(o, 0, s, s, -1, 60, e, 2);
	struct nl_bizcal_ticket_result r;
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), 0);
	assert_int_equal(r.resolution_seconds, 60 * MIN);
	assert_int_equal(r.paused_seconds, 60 * MIN);
	assert_int_equal(r.resolution_due, T("2025-09-22T11:00:00+08:00"));
	assert_int_equal(r.has_response_due, 0);
	/* a waiting status entered before the ticket was opened (a source's clock skew) is in force at opening */
	struct ev e2[] = { { T("2025-09-22T07:00:00+08:00"), 1 }, { T("2025-09-22T10:00:00+08:00"), 0 } };
	t = ticket(o, 0, s, s, -1, 60, e2, 2);
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), 0);
	assert_int_equal(r.resolution_seconds, 60 * MIN);
	assert_int_equal(r.paused_seconds, 60 * MIN);
}

/* Collects the pieces a ticket evaluation reports. */
struct pieces {
	int n;
	struct nl_bizcal_window w[32];
	int paused[32];
};

static void collect(void *arg, const struct nl_bizcal_window *w, int paused)
{
	struct pieces *p = arg;
	if (p->n < 32) {
		p->w[p->n] = *w;
		p->paused[p->n] = paused;
	}
	p->n++;
}

static void test_open_ticket_paused_for_ever(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	/* opened Friday 2025-09-26 17:00, waiting_customer since 17:30, evaluated Sunday 2025-09-28 10:00 (a make-up
	 * workday): running 17:00–17:30 (30), paused 17:30–18:00 (30) + Sunday 09:00–10:00 (60) = 90;
	 * the clock is stopped, so no due can be given */
	struct ev e[] = { { T("2025-09-26T17:30:00+08:00"), 1 } };
	int64_t o = T("2025-09-26T17:00:00+08:00"), now = T("2025-09-28T10:00:00+08:00");
	struct nl_bizcal_ticket t = ticket(o, 0, 0, now, 60, 480, e, 1);
	struct nl_bizcal_ticket_result r;
	struct pieces p = { 0 };
	assert_int_equal(bizcal_ticket(&c, &t, &r, collect, &p), 0);
	assert_int_equal(r.running_seconds, 30 * MIN);
	assert_int_equal(r.paused_seconds, 90 * MIN);
	assert_int_equal(r.resolution_seconds, -1);
	assert_int_equal(r.has_response_due, 0);
	assert_int_equal(r.has_resolution_due, 0);
	/* the pieces: running 17:00–17:30, paused 17:30–18:00, paused Sunday 09:00–10:00 */
	assert_int_equal(p.n, 3);
	assert_int_equal(p.w[0].from, o);
	assert_int_equal(p.w[0].to, e[0].at);
	assert_int_equal(p.paused[0], 0);
	assert_int_equal(p.w[1].to, T("2025-09-26T18:00:00+08:00"));
	assert_int_equal(p.paused[1], 1);
	assert_int_equal(p.w[2].from, T("2025-09-28T09:00:00+08:00"));
	assert_int_equal(p.w[2].to, now);
	assert_int_equal(p.w[2].kind, NL_BIZCAL_WORKDAY);
	/* opened at 17:30 without a pause: the due instants run over the weekend into the make-up Sunday — response:
	 * 30 on Friday + 30 → Sunday 09:30; resolution 480: 30 + 450 → exactly the end of Sunday, 18:00 */
	t = ticket(T("2025-09-26T17:30:00+08:00"), 0, 0, now, 60, 480, NULL, 0);
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), 0);
	assert_int_equal(r.response_due, T("2025-09-28T09:30:00+08:00"));
	assert_int_equal(r.resolution_due, T("2025-09-28T18:00:00+08:00"));
	assert_int_equal(r.running_seconds, 90 * MIN);
}

static void test_calendar_change_keeps_paused_time(void **state)
{
	(void)state;
	/* The same history measured with two calendars: the pause is kept as instants (Friday 17:00 → Monday 10:00),
	 * so each calendar re-measures the same interval; nothing accumulated is lost and switching back gives the
	 * first numbers again. */
	struct nl_bizcal std = standard();
	struct nl_bizcal all = always((struct nl_bizcal_zone){ .initial = 8 * HOUR });
	struct ev e[] = { { T("2025-09-19T17:00:00+08:00"), 1 }, { T("2025-09-22T10:00:00+08:00"), 0 } };
	int64_t o = T("2025-09-19T16:00:00+08:00"), s = T("2025-09-22T11:00:00+08:00");
	struct nl_bizcal_ticket t = ticket(o, 0, s, s, -1, 240, e, 2);
	struct nl_bizcal_ticket_result a, b, a2;
	assert_int_equal(bizcal_ticket(&std, &t, &a, NULL, NULL), 0);
	assert_int_equal(bizcal_ticket(&all, &t, &b, NULL, NULL), 0);
	assert_int_equal(bizcal_ticket(&std, &t, &a2, NULL, NULL), 0);
	/* standard: paused Friday 17–18 (60) + Monday 09–10 (60); running 16–17 (60) + Monday 10–11 (60) */
	assert_int_equal(a.paused_seconds, 120 * MIN);
	assert_int_equal(a.resolution_seconds, 120 * MIN);
	/* 7×24: paused 65 hours; running 2 hours */
	assert_int_equal(b.paused_seconds, 65 * HOUR);
	assert_int_equal(b.resolution_seconds, 120 * MIN);
	assert_int_equal(memcmp(&a, &a2, sizeof a), 0);
	/* the due under each calendar is shifted by that calendar's measure of the pause: standard 60 before +
	 * 180 from Monday 10:00 → 10–12 (120) and 13:30–14:30 (60); 7×24: 16:00 + 1 h, paused, Monday 10:00 + 3 h */
	assert_int_equal(a.resolution_due, T("2025-09-22T14:30:00+08:00"));
	assert_int_equal(b.resolution_due, T("2025-09-22T13:00:00+08:00"));
}

static void test_ticket_edges(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	int64_t o = T("2025-09-22T10:00:00+08:00");
	struct nl_bizcal_ticket_result r;
	/* a response before the opening (clock error) is not measured; a zero-length one is 0 */
	struct nl_bizcal_ticket t = ticket(o, o - 60, o, o, 30, 60, NULL, 0);
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), 0);
	assert_int_equal(r.response_seconds, -1);
	assert_int_equal(r.resolution_seconds, 0);
	assert_int_equal(r.response_due, T("2025-09-22T10:30:00+08:00"));
	/* end before opened, events out of order, instants out of range: refused */
	t = ticket(o, 0, 0, o - 1, 30, 60, NULL, 0);
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), NL_EVALID);
	struct ev bad[] = { { o + 100, 1 }, { o + 50, 0 } };
	t = ticket(o, 0, 0, o + 200, 30, 60, bad, 2);
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), NL_EVALID);
	t = ticket(NL_BIZCAL_T_MAX + 1, 0, 0, NL_BIZCAL_T_MAX + 1, 30, 60, NULL, 0);
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), NL_EVALID);
	/* several changes at the same instant: the last one is in force */
	struct ev same[] = { { o + 600, 1 }, { o + 600, 0 }, { o + 1200, 1 }, { o + 1200, 1 }, { o + 1800, 0 } };
	t = ticket(o, 0, o + 3600, o + 3600, -1, -1, same, 5);
	assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), 0);
	assert_int_equal(r.resolution_seconds, 50 * MIN);
	assert_int_equal(r.paused_seconds, 10 * MIN);
}

static void test_calendar_without_weekdays(void **state)
{
	(void)state;
	/* Works only on its make-up days: adding jumps from one to the next; after the last one there is no more work */
	static const struct nl_bizcal_exception only[] = { { 20000, NL_BIZCAL_WORKDAY }, { 20001, NL_BIZCAL_HOLIDAY },
		{ 20010, NL_BIZCAL_WORKDAY } };
	struct nl_bizcal c = { .zone = { .initial = 0 }, .weekdays = 0, .nperiods = 1, .periods = { { 9 * HOUR, 17 * HOUR } },
		.days = only, .ndays = 3 };
	assert_int_equal(bizcal_check(&c), 0);
	int64_t out = 0;
	assert_int_equal(bizcal_add(&c, 0, 8 * HOUR + 1, &out), 0);
	assert_int_equal(out, 20010LL * 86400 + 9 * HOUR + 1);
	assert_int_equal(bizcal_add(&c, 0, 16 * HOUR + 1, &out), NL_ENOTFOUND);
	assert_int_equal(bizcal_seconds(&c, 0, 30000LL * 86400), 16 * HOUR);
	/* no periods at all */
	struct nl_bizcal none = { .zone = { .initial = 0 }, .weekdays = 0x7f, .nperiods = 0 };
	assert_int_equal(bizcal_add(&none, 0, 1, &out), NL_ENOTFOUND);
	assert_int_equal(bizcal_seconds(&none, 0, 86400 * 10), 0);
}

static void test_check_refuses(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	c.periods[1].start = 11 * HOUR;   /* overlaps the first */
	assert_int_equal(bizcal_check(&c), NL_EVALID);
	c = standard();
	c.periods[0].end = c.periods[0].start;
	assert_int_equal(bizcal_check(&c), NL_EVALID);
	c = standard();
	c.weekdays = 0x80;
	assert_int_equal(bizcal_check(&c), NL_EVALID);
	static const struct nl_bizcal_exception unsorted[] = { { 5, NL_BIZCAL_HOLIDAY }, { 5, NL_BIZCAL_WORKDAY } };
	c = standard();
	c.days = unsorted;
	c.ndays = 2;
	assert_int_equal(bizcal_check(&c), NL_EVALID);
	/* touching periods are fine */
	c = standard();
	c.periods[1].start = 12 * HOUR;
	assert_int_equal(bizcal_check(&c), 0);
}

/* Europe/Berlin in 2025, by hand: CET (+1) until 2025-03-30T01:00Z, CEST (+2) until 2025-10-26T01:00Z, then CET. */
static const int64_t berlin_at[] = { 1743296400, 1761440400 };
static const int32_t berlin_off[] = { 7200, 3600 };

static void test_dst_zone(void **state)
{
	(void)state;
	assert_int_equal(berlin_at[0], T("2025-03-30T01:00:00Z"));
	assert_int_equal(berlin_at[1], T("2025-10-26T01:00:00Z"));
	struct nl_bizcal_zone z = { .initial = 3600, .n = 2, .at = berlin_at, .off = berlin_off };
	/* wall clock to instants: the gap 02:00–03:00 on 03-30 maps to the jump; the overlap 02:00–03:00 on 10-26 to
	 * its first occurrence (still CEST) */
	assert_int_equal(bizcal_wall_to_instant(&z, T("2025-03-30T01:59:00Z")), T("2025-03-30T00:59:00Z"));
	assert_int_equal(bizcal_wall_to_instant(&z, T("2025-03-30T02:30:00Z")), T("2025-03-30T01:00:00Z"));
	assert_int_equal(bizcal_wall_to_instant(&z, T("2025-03-30T03:00:00Z")), T("2025-03-30T01:00:00Z"));
	assert_int_equal(bizcal_wall_to_instant(&z, T("2025-10-26T02:30:00Z")), T("2025-10-26T00:30:00Z"));
	assert_int_equal(bizcal_wall_to_instant(&z, T("2025-10-26T03:00:00Z")), T("2025-10-26T02:00:00Z"));
	assert_int_equal(bizcal_local_day(&z, T("2025-03-30T22:30:00Z")), D("2025-03-31"));
	assert_int_equal(bizcal_local_day(&z, T("2025-03-29T22:30:00Z")), D("2025-03-29"));
	/* 7×24: the day the clocks go forward has 23 hours, the day they go back 25 */
	struct nl_bizcal c = always(z);
	assert_int_equal(bizcal_seconds(&c, T("2025-03-29T23:00:00Z"), T("2025-03-30T22:00:00Z")), 23 * HOUR);
	assert_int_equal(bizcal_seconds(&c, T("2025-10-25T22:00:00Z"), T("2025-10-26T23:00:00Z")), 25 * HOUR);
	struct nl_bizcal_iter it;
	struct nl_bizcal_window w;
	bizcal_iter_init(&it, &c, T("2025-03-29T23:00:00Z"));
	assert_int_equal(bizcal_iter_next(&it, &w), 1);
	assert_int_equal(w.day, D("2025-03-30"));
	assert_int_equal(w.to - w.from, 23 * HOUR);
	/* office hours follow the local clock: Friday 03-28 09:00–18:00 CET = 08:00–17:00Z, Monday 03-31 09:00–18:00
	 * CEST = 07:00–16:00Z */
	struct nl_bizcal office = { .zone = z, .weekdays = 0x1f, .nperiods = 1, .periods = { { 9 * HOUR, 18 * HOUR } } };
	assert_int_equal(bizcal_check(&office), 0);
	assert_int_equal(bizcal_seconds(&office, T("2025-03-28T00:00:00Z"), T("2025-04-01T00:00:00Z")), 18 * HOUR);
	assert_int_equal(bizcal_seconds(&office, T("2025-03-31T06:00:00Z"), T("2025-03-31T08:00:00Z")), HOUR);
	int64_t out = 0;
	assert_int_equal(bizcal_add(&office, T("2025-03-28T16:00:00Z"), 2 * HOUR, &out), 0);
	assert_int_equal(out, T("2025-03-31T08:00:00Z"));
	/* and back in autumn: Friday 10-24 17:00 CEST (15:00Z) + 2 h = Monday 10-27 10:00 CET (09:00Z) */
	assert_int_equal(bizcal_add(&office, T("2025-10-24T15:00:00Z"), 2 * HOUR, &out), 0);
	assert_int_equal(out, T("2025-10-27T09:00:00Z"));
}

/* --- the calendar's text formats (records/calendar.h) --- */

static void test_periods_text(void **state)
{
	(void)state;
	struct nl_bizcal_period p[NL_BIZCAL_MAX_PERIODS];
	int n = 0;
	struct nl_error err = { 0 };
	const char *ok[][2] = { { "09:00", "12:00" }, { "13:30", "18:00" } };
	assert_int_equal(calendar_periods_parse(ok, 2, p, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(p[1].start, 13 * HOUR + 30 * MIN);
	const char *day[][2] = { { "00:00", "24:00" } };
	assert_int_equal(calendar_periods_parse(day, 1, p, &n, &err), 0);
	assert_int_equal(p[0].end, 24 * HOUR);
	const char *bad_time[][2] = { { "09:00", "12:00" }, { "13:60", "18:00" } };
	nl_error_clear(&err);
	assert_int_equal(calendar_periods_parse(bad_time, 2, p, &n, &err), NL_EVALID);
	assert_string_equal(err.field, "work_periods[1][0]");
	const char *overlap[][2] = { { "09:00", "12:00" }, { "11:30", "18:00" } };
	nl_error_clear(&err);
	assert_int_equal(calendar_periods_parse(overlap, 2, p, &n, &err), NL_EVALID);
	assert_string_equal(err.field, "work_periods[1][0]");
	const char *reversed[][2] = { { "12:00", "09:00" } };
	nl_error_clear(&err);
	assert_int_equal(calendar_periods_parse(reversed, 1, p, &n, &err), NL_EVALID);
	assert_string_equal(err.field, "work_periods[0][1]");
	const char *late_start[][2] = { { "24:00", "24:00" } };
	nl_error_clear(&err);
	assert_int_equal(calendar_periods_parse(late_start, 1, p, &n, &err), NL_EVALID);
	assert_string_equal(err.field, "work_periods[0][0]");
	const char *shape[][2] = { { "9:00", "12:00" } };
	nl_error_clear(&err);
	assert_int_equal(calendar_periods_parse(shape, 1, p, &n, &err), NL_EVALID);
	assert_string_equal(err.field, "work_periods[0][0]");
}

static void test_import_csv(void **state)
{
	(void)state;
	struct calendar_day_list l;
	struct nl_error err = { 0 };
	const char *csv = "\xEF\xBB\xBF" "date,kind,name\r\n2025-10-01,holiday,国庆节\r\n\"2025-09-28\",workday,\"国庆节, 调休上班\"\n"
			  "\n2025-10-02,holiday,\n";
	assert_int_equal(calendar_days_parse_csv(csv, strlen(csv), &l, &err), 0);
	/* in date order */
	assert_int_equal((int)l.n, 3);
	assert_int_equal(l.items[0].day, D("2025-09-28"));
	assert_int_equal(l.items[0].kind, NL_BIZCAL_WORKDAY);
	assert_string_equal(l.items[0].name, "国庆节, 调休上班");
	assert_int_equal(l.items[0].line, 3);
	assert_int_equal(l.items[1].day, D("2025-10-01"));
	assert_int_equal(l.items[1].kind, NL_BIZCAL_HOLIDAY);
	assert_string_equal(l.items[1].name, "国庆节");
	assert_string_equal(l.items[2].name, "");
	calendar_day_list_free(&l);
	/* one bad line: refused, the line named */
	const char *bad = "date,kind,name\n2025-10-01,holiday,国庆节\n2025-10-02,vacation,x\n";
	nl_error_clear(&err);
	assert_int_equal(calendar_days_parse_csv(bad, strlen(bad), &l, &err), NL_EVALID);
	assert_string_equal(err.field, "line 3");
	const char *baddate = "date,kind,name\n2025-02-30,holiday,x\n";
	nl_error_clear(&err);
	assert_int_equal(calendar_days_parse_csv(baddate, strlen(baddate), &l, &err), NL_EVALID);
	assert_string_equal(err.field, "line 2");
	const char *noheader = "2025-10-01,holiday,x\n";
	nl_error_clear(&err);
	assert_int_equal(calendar_days_parse_csv(noheader, strlen(noheader), &l, &err), NL_EVALID);
	assert_string_equal(err.field, "line 1");
	const char *conflict = "date,kind,name\n2025-10-01,holiday,x\n2025-10-01,workday,y\n";
	nl_error_clear(&err);
	assert_int_equal(calendar_days_parse_csv(conflict, strlen(conflict), &l, &err), NL_EVALID);
	assert_string_equal(err.field, "line 3");
	/* columns in another order are found by their header */
	const char *reordered = "kind,date\nworkday,2025-10-11\n";
	nl_error_clear(&err);
	assert_int_equal(calendar_days_parse_csv(reordered, strlen(reordered), &l, &err), 0);
	assert_int_equal((int)l.n, 1);
	assert_int_equal(l.items[0].day, D("2025-10-11"));
	calendar_day_list_free(&l);
}

static void test_import_ics(void **state)
{
	(void)state;
	struct calendar_day_list l;
	struct nl_error err = { 0 };
	const char *ics =
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
		"BEGIN:VEVENT\r\nUID:a@test\r\nDTSTART;VALUE=DATE:20251001\r\nDTEND;VALUE=DATE:20251009\r\n"
		"SUMMARY:国庆节、中秋\r\n 节\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:b@test\r\nDTSTART;VALUE=DATE:20250928\r\nSUMMARY:国庆节 补班\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:c@test\r\nDTSTART;VALUE=DATE:20251011\r\nX-NENGLI-KIND:workday\r\nSUMMARY:上班\r\nEND:VEVENT\r\n"
		"END:VCALENDAR\r\n";
	assert_int_equal(calendar_days_parse_ics(ics, strlen(ics), &l, &err), 0);
	/* in date order: 09-28, 10-01 … 10-08 (DTEND exclusive), 10-11 */
	assert_int_equal((int)l.n, 10);
	assert_int_equal(l.items[0].day, D("2025-09-28"));
	assert_int_equal(l.items[0].kind, NL_BIZCAL_WORKDAY);
	assert_int_equal(l.items[1].day, D("2025-10-01"));
	assert_int_equal(l.items[8].day, D("2025-10-08"));
	assert_int_equal(l.items[8].kind, NL_BIZCAL_HOLIDAY);
	assert_string_equal(l.items[1].name, "国庆节、中秋节");   /* folded line joined */
	assert_int_equal(l.items[9].day, D("2025-10-11"));
	assert_int_equal(l.items[9].kind, NL_BIZCAL_WORKDAY);
	calendar_day_list_free(&l);
	/* a timed event is refused, naming the line of its DTSTART */
	const char *timed = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20251001T090000Z\nEND:VEVENT\nEND:VCALENDAR\n";
	nl_error_clear(&err);
	assert_int_equal(calendar_days_parse_ics(timed, strlen(timed), &l, &err), NL_EVALID);
	assert_string_equal(err.field, "line 3");
	const char *nostart = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n";
	nl_error_clear(&err);
	assert_int_equal(calendar_days_parse_ics(nostart, strlen(nostart), &l, &err), NL_EVALID);
	assert_string_equal(err.field, "line 2");
	const char *notics = "hello\n";
	nl_error_clear(&err);
	assert_int_equal(calendar_days_parse_ics(notics, strlen(notics), &l, &err), NL_EVALID);
	assert_string_equal(err.field, "line 1");
}

/* Garbage in: mutated and truncated files never crash the parsers (run under ASan), and a refusal always names a line. */
static void test_import_garbage(void **state)
{
	(void)state;
	static const char *const seeds[2] = {
		"date,kind,name\r\n2025-10-01,holiday,\"国庆, 节\"\r\n2025-09-28,workday,补班\r\n",
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20251001\r\nDTEND;VALUE=DATE:20251009\r\n"
		"SUMMARY:国庆节\\, 中秋\r\n 节\r\nBEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	};
	static const char alphabet[] = "\r\n\t ,\";:\\-0123456789TZBEGINDVALUE=\xE5\x9B\xBD\xff";
	char buf[512];
	for (int round = 0; round < 20000; round++) {
		int which = round & 1;
		size_t n = strlen(seeds[which]);
		memcpy(buf, seeds[which], n);
		int edits = 1 + (int)(rng() % 6);
		for (int k = 0; k < edits; k++) {
			size_t at = (size_t)(rng() % n);
			char c = alphabet[rng() % (sizeof alphabet - 1)];
			switch (rng() % 3) {
			case 0:   /* replace */
				buf[at] = c;
				break;
			case 1:   /* insert */
				if (n < sizeof buf - 1) {
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = c;
					n++;
				}
				break;
			default:   /* delete */
				memmove(buf + at, buf + at + 1, n - at - 1);
				n--;
				break;
			}
		}
		if (rng() % 4 == 0)
			n = (size_t)(rng() % (n + 1));
		/* a copy of exactly n bytes, so that ASan sees any read past the end */
		char *copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, buf, n);
		struct calendar_day_list l;
		struct nl_error err = { 0 };
		int rc = which ? calendar_days_parse_ics(copy, n, &l, &err) : calendar_days_parse_csv(copy, n, &l, &err);
		if (rc == 0) {
			for (size_t i = 0; i < l.n; i++)
				assert_true(l.items[i].kind == NL_BIZCAL_HOLIDAY || l.items[i].kind == NL_BIZCAL_WORKDAY);
			calendar_day_list_free(&l);
		} else {
			assert_int_equal(rc, NL_EVALID);
			assert_int_equal(strncmp(err.field, "line ", 5), 0);
		}
		free(copy);
	}
}

static void test_zone_from_tzif(void **state)
{
	(void)state;
	/* China's zone: no transition since 1991 → the table's last offset is +08:00 */
	struct calendar_zone cz;
	if (calendar_zone_load("Asia/Shanghai", &cz) != 0) {
		print_message("Asia/Shanghai not loadable here; skipped\n");
		return;
	}
	assert_int_equal(bizcal_offset(&cz.zone, T("2025-06-01T00:00:00Z")), 8 * HOUR);
	assert_true(cz.zone.n == 0 || cz.zone.at[cz.zone.n - 1] < T("1992-01-01T00:00:00Z"));
	calendar_zone_free(&cz);
	if (calendar_zone_load("Europe/Berlin", &cz) != 0) {
		print_message("Europe/Berlin not loadable here; skipped\n");
		return;
	}
	if (cz.zone.n > 0) {   /* from the zone files: the same 2025 transitions as the hand-made table */
		assert_int_equal(bizcal_offset(&cz.zone, T("2025-03-30T00:59:59Z")), 3600);
		assert_int_equal(bizcal_offset(&cz.zone, T("2025-03-30T01:00:00Z")), 7200);
		assert_int_equal(bizcal_offset(&cz.zone, T("2025-10-26T00:59:59Z")), 7200);
		assert_int_equal(bizcal_offset(&cz.zone, T("2025-10-26T01:00:00Z")), 3600);
	}
	calendar_zone_free(&cz);
	assert_int_equal(calendar_zone_load("No/Such_Zone", &cz), NL_ENOTFOUND);
	assert_int_equal(calendar_zone_load("../etc/passwd", &cz), NL_EVALID);
}

/* --- the SLA set on the seeded defaults (records/sla.h), on a fresh SQLite database --- */

struct db_env {
	char dir[64], url[128];
	struct nl_store *s;
	struct nl_db *db;
	struct nl_error err;
	struct nl_arena arena;
	struct nl_ctx ctx;
};

static void env_open(struct db_env *e)
{
	char msg[512];
	memset(e, 0, sizeof *e);
	snprintf(e->dir, sizeof e->dir, "/tmp/nengli-sla-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->url, sizeof e->url, "%s/test.db", e->dir);
	if (store_open(e->url, NULL, &e->s, msg, sizeof msg) || migrate_apply(e->s, NULL, msg, sizeof msg))
		fail_msg("database: %s", msg);
	assert_int_equal(store_acquire(e->s, -1, &e->db), 0);
	arena_init(&e->arena, 0);
	e->ctx = (struct nl_ctx){ .db = e->db, .actor_name = "test", .err = &e->err, .arena = &e->arena, .request_id = "t",
		.now = T("2025-10-20T00:00:00Z") };
}

static void env_close(struct db_env *e)
{
	char path[192];
	store_release(e->db);
	store_close(e->s);
	arena_cleanup(&e->arena);
	const char *suffix[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < NL_ARRAY_LEN(suffix); i++) {
		snprintf(path, sizeof path, "%s%s", e->url, suffix[i]);
		unlink(path);
	}
	rmdir(e->dir);
}

static const char *jstr(const json_t *o, const char *path1, const char *path2)
{
	const json_t *v = json_object_get(o, path1);
	if (path2)
		v = json_object_get(v, path2);
	return json_string_value(v);
}

static int64_t jint(const json_t *o, const char *path1, const char *path2)
{
	const json_t *v = json_object_get(o, path1);
	if (path2)
		v = json_object_get(v, path2);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void test_sla_set_on_seeded_defaults(void **state)
{
	(void)state;
	struct db_env e;
	struct nl_sla_set *set = NULL;
	struct nl_sla_result res;
	json_t *tl = NULL, *out = NULL;
	env_open(&e);
	assert_int_equal(sla_set_load(&e.ctx, &set), 0);
	/* A P2 ticket (60 / 480 on 标准工作日历 (中国)) opened the evening before 国庆: Tuesday 2025-09-30 17:00, first
	 * response Thursday 10-09 09:10, waiting for the customer 10-09 10:00 → 10-10 10:00, resolved 10-10 11:00.
	 *   response: 09-30 17–18 (60) + 10-09 09:00–09:10 (10) = 70 > 60 → missed; due 09-30 18:00
	 *   paused: 10-09 10–12 (120) + 13:30–18 (270) + 10-10 09–10 (60) = 450
	 *   resolution: 60 + 10-09 09–10 (60) + 10-10 10–11 (60) = 180 ≤ 480 → met;
	 *   due: 120 before the pause, 360 more from 10-10 10:00: 10–12 (120), 13:30 + 240 → 17:30 */
	struct nl_status_change ev[] = { { T("2025-09-30T17:05:00+08:00"), "in_progress" },
		{ T("2025-10-09T10:00:00+08:00"), "waiting_customer" }, { T("2025-10-10T10:00:00+08:00"), "in_progress" },
		{ T("2025-10-10T11:00:00+08:00"), "resolved" } };
	struct nl_sla_input in = { .priority = "P2", .category = "桌面", .opened_at = T("2025-09-30T17:00:00+08:00"),
		.first_response_at = T("2025-10-09T09:10:00+08:00"), .resolved_at = T("2025-10-10T11:00:00+08:00"),
		.events = ev, .nevents = 4 };
	assert_int_equal(sla_set_evaluate(set, &in, &res), 0);
	assert_int_equal(res.policy_id, 2);
	assert_int_equal(res.has_response, 1);
	assert_int_equal(res.business_response_minutes, 70);
	assert_int_equal(res.response_met, 0);
	assert_int_equal(res.has_resolution, 1);
	assert_int_equal(res.business_resolution_minutes, 180);
	assert_int_equal(res.resolution_met, 1);
	assert_int_equal(res.paused_minutes, 450);
	/* the timeline gives the same numbers, with the due instants and each piece */
	assert_int_equal(sla_timeline(&e.ctx, set, &in, &tl), 0);
	assert_int_equal(jint(tl, "policy", "id"), 2);
	assert_string_equal(jstr(tl, "calendar", "name"), "标准工作日历 (中国)");
	assert_int_equal(jint(tl, "response", "business_minutes"), 70);
	assert_true(json_is_false(json_object_get(json_object_get(tl, "response"), "met")));
	assert_string_equal(jstr(tl, "response", "due_at"), "2025-09-30T10:00:00Z");
	assert_string_equal(jstr(tl, "response", "local_due_at"), "2025-09-30T18:00:00+08:00");
	assert_int_equal(jint(tl, "resolution", "business_minutes"), 180);
	assert_string_equal(jstr(tl, "resolution", "due_at"), "2025-10-10T09:30:00Z");
	/* without the pause it would have been due the day before: 60 on 09-30, then 420 of 10-09 → 17:30 */
	assert_string_equal(jstr(tl, "resolution", "due_at_without_pauses"), "2025-10-09T09:30:00Z");
	assert_int_equal(jint(tl, "paused_minutes", NULL), 450);
	json_t *pauses = json_object_get(tl, "pauses");
	assert_int_equal(json_array_size(pauses), 1);
	assert_int_equal(jint(json_array_get(pauses, 0), "business_minutes", NULL), 450);
	assert_string_equal(jstr(json_array_get(pauses, 0), "status", NULL), "waiting_customer");
	/* pieces: 09-30 17:00–17:05, 17:05–18:00, 10-09 09:00–09:10 (response), 09:10–10:00, then three paused, then
	 * 10-10 10:00–11:00; the running ones add up to the resolution */
	json_t *iv = json_object_get(tl, "intervals");
	int64_t running = 0, paused = 0;
	for (size_t i = 0; i < json_array_size(iv); i++) {
		json_t *x = json_array_get(iv, i);
		if (!strcmp(jstr(x, "state", NULL), "running"))
			running += jint(x, "seconds", NULL);
		else
			paused += jint(x, "seconds", NULL);
	}
	assert_int_equal(json_array_size(iv), 8);
	assert_int_equal(running, 180 * 60);
	assert_int_equal(paused, 450 * 60);
	assert_string_equal(jstr(json_array_get(iv, 0), "local_from", NULL), "2025-09-30T17:00:00+08:00");
	json_decref(tl);
	tl = NULL;

	/* a more specific policy: category 网络 on the 7×24 calendar wins over the P2 default for that category only */
	struct nl_sla_policy_input pin = { .name = "网络 P2", .priority = "P2", .category = "网络", .calendar_id = 2,
		.response_minutes = 30, .resolution_minutes = 240, .active = 1 };
	assert_int_equal(sla_policy_create(&e.ctx, &pin, &out), 0);
	int64_t net_id = jint(out, "id", NULL);
	assert_string_equal(jstr(out, "specificity", NULL), "category");
	json_decref(out);
	/* the same scope again is a conflict */
	nl_error_clear(&e.err);
	assert_int_equal(sla_policy_create(&e.ctx, &pin, &out), NL_ECONFLICT);
	sla_set_free(set);
	assert_int_equal(sla_set_load(&e.ctx, &set), 0);
	in.category = "网络";
	assert_int_equal(sla_set_evaluate(set, &in, &res), 0);
	assert_int_equal(res.policy_id, net_id);
	/* 7×24: response 09-30 17:00 → 10-09 09:10 = 8 days 16 h 10 min; paused 24 h; resolution 9 days 18 h − 24 h */
	assert_int_equal(res.business_response_minutes, (8 * 24 + 16) * 60 + 10);
	assert_int_equal(res.paused_minutes, 24 * 60);
	assert_int_equal(res.business_resolution_minutes, (9 * 24 + 18 - 24) * 60);
	in.category = "桌面";
	assert_int_equal(sla_set_evaluate(set, &in, &res), 0);
	assert_int_equal(res.policy_id, 2);

	/* the calendar changes: 10-10 becomes a holiday. The pause is the same instants, re-measured: 10-09 10–12,
	 * 13:30–18 (390); the resolution loses 10-10 10–11 too (120). */
	int created = 0;
	assert_int_equal(calendar_day_put(&e.ctx, 1, "2025-10-10", "holiday", "测试", &out, &created), 0);
	assert_int_equal(created, 1);
	json_decref(out);
	sla_set_free(set);
	assert_int_equal(sla_set_load(&e.ctx, &set), 0);
	assert_int_equal(sla_set_evaluate(set, &in, &res), 0);
	assert_int_equal(res.paused_minutes, 390);
	assert_int_equal(res.business_resolution_minutes, 120);
	/* and back: the first numbers again */
	assert_int_equal(calendar_day_delete(&e.ctx, 1, "2025-10-10", &out), 0);
	json_decref(out);
	sla_set_free(set);
	assert_int_equal(sla_set_load(&e.ctx, &set), 0);
	assert_int_equal(sla_set_evaluate(set, &in, &res), 0);
	assert_int_equal(res.paused_minutes, 450);
	assert_int_equal(res.business_resolution_minutes, 180);

	/* an open ticket: still waiting at `now`; no policy for an unknown priority; bad input refused */
	struct nl_sla_input open = { .priority = "P3", .category = "", .opened_at = T("2025-10-09T09:00:00+08:00"),
		.events = ev + 1, .nevents = 1, .now = T("2025-10-13T12:00:00+08:00") };
	assert_int_equal(sla_set_evaluate(set, &open, &res), 0);
	assert_int_equal(res.policy_id, 3);
	assert_int_equal(res.has_resolution, 0);
	assert_int_equal(res.resolution_met, -1);
	/* paused 10-09 10:00 → 10-13 12:00: 10-09 390, 10-10 450, 10-11 (a make-up Saturday) 450, 10-13 180 */
	assert_int_equal(res.paused_minutes, 390 + 450 + 450 + 180);
	assert_int_equal(sla_timeline(&e.ctx, set, &open, &tl), 0);
	assert_true(json_is_null(json_object_get(json_object_get(tl, "resolution"), "due_at")));
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(tl, "pauses"), 0), "ongoing")));
	json_decref(tl);
	struct nl_sla_input none = { .priority = "P9", .opened_at = T("2025-10-09T09:00:00+08:00") };
	assert_int_equal(sla_set_evaluate(set, &none, &res), 0);
	assert_int_equal(res.policy_id, 0);
	assert_int_equal(res.response_met, -1);
	struct nl_status_change backwards[] = { { T("2025-10-09T10:00:00+08:00"), "in_progress" },
		{ T("2025-10-09T09:30:00+08:00"), "waiting_vendor" } };
	struct nl_sla_input bad = { .priority = "P1", .opened_at = T("2025-10-09T09:00:00+08:00"), .events = backwards,
		.nevents = 2 };
	assert_int_equal(sla_set_evaluate(set, &bad, &res), NL_EVALID);
	sla_set_free(set);
	env_close(&e);
}

/* The cost of one typical ticket (a printout, not an assertion): opened Friday afternoon, responded after 40
 * minutes, waiting for the customer over the weekend, resolved on Tuesday; due instants for P3 (240/1440). */
static void test_speed_printout(void **state)
{
	(void)state;
	struct nl_bizcal c = standard();
	int64_t o = T("2025-09-19T15:10:00+08:00");
	struct ev e[] = { { o + 600, 0 }, { o + 2400, 0 }, { T("2025-09-19T17:00:00+08:00"), 1 },
		{ T("2025-09-22T11:00:00+08:00"), 0 }, { T("2025-09-23T16:00:00+08:00"), 0 } };
	const int rounds = 1000000;
	int64_t sink = 0;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < rounds; i++) {
		struct nl_bizcal_ticket t = ticket(o + (i & 63), o + 2400, e[4].at, e[4].at, 240, 1440, e, 5);
		struct nl_bizcal_ticket_result r;
		assert_int_equal(bizcal_ticket(&c, &t, &r, NULL, NULL), 0);
		sink += r.resolution_seconds + r.resolution_due;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / rounds;
	print_message("bizcal: one typical ticket (5 status changes, 8 calendar days walked) takes %.0f ns (%d rounds; %lld)\n",
		ns, rounds, (long long)(sink % 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside_one_period),
		cmocka_unit_test(test_spanning_lunch),
		cmocka_unit_test(test_overnight),
		cmocka_unit_test(test_over_a_weekend),
		cmocka_unit_test(test_holiday),
		cmocka_unit_test(test_makeup_workday),
		cmocka_unit_test(test_single_period),
		cmocka_unit_test(test_zero_and_reversed),
		cmocka_unit_test(test_add_inverse_property),
		cmocka_unit_test(test_pause_inside_a_period),
		cmocka_unit_test(test_pause_across_periods),
		cmocka_unit_test(test_pause_before_opening_hours),
		cmocka_unit_test(test_open_ticket_paused_for_ever),
		cmocka_unit_test(test_calendar_change_keeps_paused_time),
		cmocka_unit_test(test_ticket_edges),
		cmocka_unit_test(test_calendar_without_weekdays),
		cmocka_unit_test(test_check_refuses),
		cmocka_unit_test(test_dst_zone),
		cmocka_unit_test(test_periods_text),
		cmocka_unit_test(test_import_csv),
		cmocka_unit_test(test_import_ics),
		cmocka_unit_test(test_import_garbage),
		cmocka_unit_test(test_zone_from_tzif),
		cmocka_unit_test(test_sla_set_on_seeded_defaults),
		cmocka_unit_test(test_speed_printout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
