/* bizcal.c — the business-time calculator (see bizcal.h): zone offsets from a transition table, a forward walk over
 * the work windows of a calendar, and the one-walk SLA clock of a ticket. No I/O, no allocation. */
#include "records/bizcal.h"

#include "core/err.h"

#include <limits.h>

#include "core/common.h"

/* The last day the walk visits (a little after 9999-12-31): guards loops against absurd targets. */
#define BIZCAL_LAST_DAY ((int32_t)(NL_BIZCAL_T_MAX / NL_BIZCAL_DAY + 2))

static int in_range(int64_t t)
{
	return t >= NL_BIZCAL_T_MIN && t <= NL_BIZCAL_T_MAX;
}

/* Floor division for a possibly negative numerator. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int bizcal_weekday(int32_t day)
{
	int32_t m = day % 7;
	if (m < 0)
		m += 7;
	return (m + 3) % 7 + 1;   /* 1970-01-01 was a Thursday (ISO 4) */
}

/* The index of the zone segment holding t: -1 before at[0] (the initial offset), else the last i with at[i] <= t. */
static long zone_segment(const struct nl_bizcal_zone *z, int64_t t)
{
	if (z->n == 0 || t < z->at[0])
		return -1;
	if (t >= z->at[z->n - 1])
		return (long)z->n - 1;
	size_t lo = 0, hi = z->n - 1;   /* at[lo] <= t < at[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

static int32_t segment_offset(const struct nl_bizcal_zone *z, long k)
{
	return k < 0 ? z->initial : z->off[k];
}

int32_t bizcal_offset(const struct nl_bizcal_zone *z, int64_t t)
{
	return segment_offset(z, zone_segment(z, t));
}

int32_t bizcal_local_day(const struct nl_bizcal_zone *z, int64_t t)
{
	return (int32_t)floor_div(t + bizcal_offset(z, t), NL_BIZCAL_DAY);
}

int64_t bizcal_wall_to_instant(const struct nl_bizcal_zone *z, int64_t wall)
{
	if (z->n == 0)
		return wall - z->initial;
	/* Fast paths: more than a day away from every transition (every modern date in China's zones). */
	if (wall - NL_BIZCAL_DAY > z->at[z->n - 1])
		return wall - z->off[z->n - 1];
	if (wall + NL_BIZCAL_DAY < z->at[0])
		return wall - z->initial;
	int64_t guess = wall - bizcal_offset(z, wall);
	long k0 = zone_segment(z, guess);
	int64_t best = INT64_MAX;
	/* The instant is wall - o for the offset o of the segment it falls in: try the neighbouring segments. */
	for (long k = k0 - 1; k <= k0 + 1; k++) {
		if (k < -1 || k >= (long)z->n)
			continue;
		int64_t lo = k < 0 ? INT64_MIN : z->at[k];
		int64_t hi = k + 1 < (long)z->n ? z->at[k + 1] : INT64_MAX;
		int64_t t = wall - segment_offset(z, k);
		if (t >= lo && t < hi && t < best)
			best = t;
	}
	if (best != INT64_MAX)
		return best;
	/* A gap: the wall time was skipped when the clocks jumped forward at at[k]; it maps to the jump. */
	for (long k = k0; k <= k0 + 1; k++) {
		if (k < 0 || k >= (long)z->n)
			continue;
		if (wall - segment_offset(z, k - 1) >= z->at[k] && wall - z->off[k] < z->at[k])
			return z->at[k];
	}
	return guess;
}

int bizcal_check(const struct nl_bizcal *c)
{
	if (!c || c->nperiods < 0 || c->nperiods > NL_BIZCAL_MAX_PERIODS || (c->weekdays & ~0x7fu))
		return NL_EVALID;
	for (int i = 0; i < c->nperiods; i++) {
		const struct nl_bizcal_period *p = &c->periods[i];
		if (p->start < 0 || p->end > NL_BIZCAL_DAY || p->start >= p->end)
			return NL_EVALID;
		if (i > 0 && p->start < c->periods[i - 1].end)
			return NL_EVALID;
	}
	if (c->ndays && !c->days)
		return NL_EVALID;
	for (size_t i = 0; i < c->ndays; i++) {
		if (c->days[i].kind != NL_BIZCAL_HOLIDAY && c->days[i].kind != NL_BIZCAL_WORKDAY)
			return NL_EVALID;
		if (i > 0 && c->days[i].day <= c->days[i - 1].day)
			return NL_EVALID;
	}
	const struct nl_bizcal_zone *z = &c->zone;
	if (z->n && (!z->at || !z->off))
		return NL_EVALID;
	if (z->initial <= -NL_BIZCAL_DAY || z->initial >= NL_BIZCAL_DAY)
		return NL_EVALID;
	for (size_t i = 0; i < z->n; i++) {
		if (z->off[i] <= -NL_BIZCAL_DAY || z->off[i] >= NL_BIZCAL_DAY)
			return NL_EVALID;
		if (i > 0 && z->at[i] <= z->at[i - 1])
			return NL_EVALID;
	}
	return 0;
}

/* Makes `day` the walk's current day: its kind from the exceptions, else from the weekdays. */
static void iter_enter_day(struct nl_bizcal_iter *it, int32_t day)
{
	const struct nl_bizcal *c = it->c;
	it->day = day;
	it->period = 0;
	while (it->exc < c->ndays && c->days[it->exc].day < day)
		it->exc++;
	if (it->exc < c->ndays && c->days[it->exc].day == day)
		it->kind = c->days[it->exc].kind == NL_BIZCAL_HOLIDAY ? -1 : NL_BIZCAL_WORKDAY;
	else
		it->kind = (c->weekdays >> (bizcal_weekday(day) - 1)) & 1u ? NL_BIZCAL_REGULAR : -1;
	if (day > BIZCAL_LAST_DAY)
		it->done = 1;
}

/* Moves to the next day that may work: the next day, or (a calendar without weekdays) the next make-up workday. */
static void iter_next_day(struct nl_bizcal_iter *it)
{
	const struct nl_bizcal *c = it->c;
	if ((c->weekdays & 0x7fu) == 0) {
		size_t k = it->exc;
		while (k < c->ndays && (c->days[k].day <= it->day || c->days[k].kind != NL_BIZCAL_WORKDAY))
			k++;
		if (k == c->ndays) {
			it->done = 1;
			return;
		}
		iter_enter_day(it, c->days[k].day);
		return;
	}
	iter_enter_day(it, it->day + 1);
}

void bizcal_iter_init(struct nl_bizcal_iter *it, const struct nl_bizcal *c, int64_t t)
{
	it->c = c;
	it->from = t;
	it->done = c->nperiods <= 0;
	/* Start a day early: with daylight-saving time, the previous local day's last period may end after t. */
	int32_t day = bizcal_local_day(&c->zone, t) - 1;
	size_t lo = 0, hi = c->ndays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	it->exc = lo;
	iter_enter_day(it, day);
}

int bizcal_iter_next(struct nl_bizcal_iter *it, struct nl_bizcal_window *w)
{
	const struct nl_bizcal *c = it->c;
	while (!it->done) {
		if (it->kind < 0 || it->period >= c->nperiods) {
			iter_next_day(it);
			continue;
		}
		const struct nl_bizcal_period *p = &c->periods[it->period++];
		int64_t base = (int64_t)it->day * NL_BIZCAL_DAY;
		int64_t from = bizcal_wall_to_instant(&c->zone, base + p->start);
		int64_t to = bizcal_wall_to_instant(&c->zone, base + p->end);
		if (to <= it->from)
			continue;
		if (from < it->from)
			from = it->from;
		if (to <= from)
			continue;
		it->from = to;   /* windows never overlap, even around a clock change */
		w->from = from;
		w->to = to;
		w->day = it->day;
		w->kind = it->kind;
		return 1;
	}
	return 0;
}

int64_t bizcal_seconds(const struct nl_bizcal *c, int64_t a, int64_t b)
{
	if (b <= a)
		return 0;
	struct nl_bizcal_iter it;
	struct nl_bizcal_window w;
	int64_t sum = 0;
	bizcal_iter_init(&it, c, a);
	while (bizcal_iter_next(&it, &w) && w.from < b) {
		sum += (w.to < b ? w.to : b) - w.from;
		if (w.to >= b)
			break;
	}
	return sum;
}

int bizcal_add(const struct nl_bizcal *c, int64_t t, int64_t seconds, int64_t *out)
{
	if (seconds <= 0) {
		*out = t;
		return 0;
	}
	struct nl_bizcal_iter it;
	struct nl_bizcal_window w;
	bizcal_iter_init(&it, c, t);
	while (bizcal_iter_next(&it, &w)) {
		int64_t len = w.to - w.from;
		if (seconds <= len) {
			*out = w.from + seconds;
			return 0;
		}
		seconds -= len;
	}
	return NL_ENOTFOUND;
}

/* The ticket's status changes, read one ahead through the caller's callback and checked as they come. */
struct event_reader {
	const struct nl_bizcal_ticket *t;
	size_t i;          /* the next unread event */
	int64_t at;        /* its instant, when i < nevents */
	int paused;        /* its state */
	int64_t prev;
};

/* Loads event r->i (if any) into at/paused. 0 or NL_EVALID. */
static int event_peek(struct event_reader *r)
{
	if (r->i >= r->t->nevents)
		return 0;
	int64_t at = 0;
	int p = r->t->event(r->t->arg, r->i, &at);
	if (p < 0)
		return p;
	if (!in_range(at) || at < r->prev)
		return NL_EVALID;
	r->at = at;
	r->paused = p != 0;
	return 0;
}

/* Totals and due instants while the walk runs. */
struct clock {
	int64_t run, paused;
	int64_t need_r, need_s;   /* targets still to reach (-1: none) */
	struct nl_bizcal_ticket_result *res;
};

static void clock_run(struct clock *k, int64_t from, int64_t len)
{
	if (k->need_r >= 0 && k->run + len >= k->need_r) {
		k->res->has_response_due = 1;
		k->res->response_due = from + (k->need_r - k->run);
		k->need_r = -1;
	}
	if (k->need_s >= 0 && k->run + len >= k->need_s) {
		k->res->has_resolution_due = 1;
		k->res->resolution_due = from + (k->need_s - k->run);
		k->need_s = -1;
	}
	k->run += len;
}

int bizcal_ticket(const struct nl_bizcal *c, const struct nl_bizcal_ticket *t, struct nl_bizcal_ticket_result *r,
	nl_bizcal_piece_fn fn, void *fnarg)
{
	*r = (struct nl_bizcal_ticket_result){ .response_seconds = -1, .resolution_seconds = -1 };
	if (!in_range(t->opened) || !in_range(t->end) || t->end < t->opened || (t->response && !in_range(t->response)) ||
		(t->resolved && !in_range(t->resolved)) || (t->nevents && !t->event))
		return NL_EVALID;
	struct event_reader ev = { .t = t, .prev = INT64_MIN };
	struct clock k = { .need_r = t->response_target, .need_s = t->resolution_target, .res = r };
	int paused = 0, rc;
	/* The status in force at opening: the last change at or before it. */
	if ((rc = event_peek(&ev)))
		return rc;
	while (ev.i < t->nevents && ev.at <= t->opened) {
		paused = ev.paused;
		ev.prev = ev.at;
		ev.i++;
		if ((rc = event_peek(&ev)))
			return rc;
	}
	int pend_r = t->response && t->response >= t->opened;
	int pend_s = t->resolved && t->resolved >= t->opened;
	int pend_e = 1;
	if (k.need_r == 0) {
		r->has_response_due = 1;
		r->response_due = t->opened;
		k.need_r = -1;
	}
	if (k.need_s == 0) {
		r->has_resolution_due = 1;
		r->resolution_due = t->opened;
		k.need_s = -1;
	}
	struct nl_bizcal_iter it;
	struct nl_bizcal_window w = { 0 };
	bizcal_iter_init(&it, c, t->opened);
	int have = bizcal_iter_next(&it, &w);
	int64_t cur = t->opened;
	for (;;) {
		/* The marks at cur, then the status changes at cur. */
		if (pend_r && t->response == cur) {
			r->response_seconds = k.run;
			pend_r = 0;
		}
		if (pend_s && t->resolved == cur) {
			r->resolution_seconds = k.run;
			pend_s = 0;
		}
		if (pend_e && t->end == cur) {
			r->running_seconds = k.run;
			r->paused_seconds = k.paused;
			pend_e = 0;
		}
		while (ev.i < t->nevents && ev.at <= cur) {
			paused = ev.paused;
			ev.prev = ev.at;
			ev.i++;
			if ((rc = event_peek(&ev)))
				return rc;
		}
		int marks = pend_r || pend_s || pend_e;
		if (!marks && k.need_r < 0 && k.need_s < 0)
			break;
		int64_t next = INT64_MAX;
		if (ev.i < t->nevents)
			next = ev.at;
		if (pend_r && t->response < next)
			next = t->response;
		if (pend_s && t->resolved < next)
			next = t->resolved;
		if (pend_e && t->end < next)
			next = t->end;
		if (!marks && paused && next == INT64_MAX)
			break;   /* paused for ever: the remaining targets are never reached */
		/* Business time in [cur, next) in the current state. */
		while (have && cur < next) {
			if (w.to <= cur) {
				have = bizcal_iter_next(&it, &w);
				continue;
			}
			if (w.from >= next)
				break;
			struct nl_bizcal_window piece = w;
			piece.from = w.from > cur ? w.from : cur;
			piece.to = w.to < next ? w.to : next;
			int64_t len = piece.to - piece.from;
			if (paused)
				k.paused += len;
			else
				clock_run(&k, piece.from, len);
			if (fn && piece.to <= t->end)
				fn(fnarg, &piece, paused);
			cur = piece.to;
			if (next == INT64_MAX && k.need_r < 0 && k.need_s < 0)
				break;
		}
		if (next == INT64_MAX)
			break;   /* every target reached, or no more work in the calendar */
		cur = next;
	}
	return 0;
}
