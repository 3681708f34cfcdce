/* fuzz_bizcal.c — libFuzzer driver for the business-time calculator (src/records/bizcal.c), the SLA clock under
 * every ticket. The input builds a calendar (a zone: fixed, or the real transitions of Asia/Shanghai, Europe/Berlin,
 * America/New_York or Australia/Lord_Howe; the workdays; up to 8 work periods; up to 16 holidays and make-up
 * workdays) and a ticket (instants, targets, up to 8 pause/resume events). Besides memory errors and undefined
 * behaviour it checks the calculator's contracts against each other: bizcal_seconds within [0, b - a];
 * bizcal_add gives the earliest instant with exactly the business seconds asked; the walk's windows are ordered,
 * disjoint and sum to bizcal_seconds; a ticket's running plus paused time is all the business time of its life. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/tz.h"
#include "records/bizcal.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

#define T2027 1798761600LL   /* 2027-01-01T00:00:00Z */
#define D2027 20819          /* its day number */
#define ZCAP 256

static const char *const zone_names[] = { "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe" };
static struct {
	int32_t initial;
	size_t n;
	int64_t at[ZCAP];
	int32_t off[ZCAP];
} zones[4];

/* Reads the input front to back; past the end everything reads as 0. */
struct rd {
	const uint8_t *p;
	size_t n;
};

static uint32_t rd_u(struct rd *r, int bytes)
{
	uint32_t v = 0;
	for (int i = 0; i < bytes; i++) {
		v = v << 8 | (r->n ? *r->p : 0);
		if (r->n) {
			r->p++;
			r->n--;
		}
	}
	return v;
}

struct events {
	int64_t at[8];
	int paused[8];
};

static int event_at(const void *arg, size_t i, int64_t *at)
{
	const struct events *e = arg;
	*at = e->at[i];
	return e->paused[i];
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (size_t i = 0; i < 4; i++) {
		const struct nl_tz *z;
		if (tz_load(zone_names[i], &z) != 0 ||
			tz_transitions(z, T2027 - 5LL * 366 * 86400, T2027 + 5LL * 366 * 86400, &zones[i].initial, zones[i].at,
				zones[i].off, ZCAP, &zones[i].n) != 0)
			abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = { data, size };
	struct nl_bizcal c;
	memset(&c, 0, sizeof c);
	unsigned zsel = rd_u(&r, 1) % 6;
	if (zsel < 4) {
		c.zone.initial = zones[zsel].initial;
		c.zone.n = zones[zsel].n;
		c.zone.at = zones[zsel].at;
		c.zone.off = zones[zsel].off;
	} else {
		c.zone.initial = (int32_t)(rd_u(&r, 2) % (2 * 14 * 3600 + 1)) - 14 * 3600;
	}
	c.weekdays = rd_u(&r, 1) & 0x7f;
	int np = (int)(rd_u(&r, 1) % (NL_BIZCAL_MAX_PERIODS + 1));
	int32_t cursor = 0;
	int64_t per_day = 0;
	for (int i = 0; i < np; i++) {
		int32_t start = cursor + (int32_t)(rd_u(&r, 2) % 14401);
		int32_t end = start + 1 + (int32_t)(rd_u(&r, 2) % 14400);
		if (end > NL_BIZCAL_DAY)
			end = NL_BIZCAL_DAY;
		if (start >= end)
			break;
		c.periods[c.nperiods++] = (struct nl_bizcal_period){ start, end };
		per_day += end - start;
		cursor = end;
	}
	struct nl_bizcal_exception days[16];
	size_t nd = rd_u(&r, 1) % 17;
	int32_t day = D2027 - 30;
	for (size_t i = 0; i < nd; i++) {
		uint32_t v = rd_u(&r, 1);
		day += 1 + (int32_t)(v % 20);
		days[i] = (struct nl_bizcal_exception){ day, v & 0x80 ? NL_BIZCAL_WORKDAY : NL_BIZCAL_HOLIDAY };
	}
	c.days = nd ? days : NULL;
	c.ndays = nd;
	CHECK(bizcal_check(&c) == 0);

	int64_t t0 = T2027 + (int64_t)(rd_u(&r, 4) % (3u * 366 * 86400)) - 366LL * 86400;
	int64_t span = (int64_t)(rd_u(&r, 4) % (120u * 86400));

	/* bizcal_seconds: bounded, additive */
	int64_t s_all = bizcal_seconds(&c, t0, t0 + span);
	CHECK(s_all >= 0 && s_all <= span);
	int64_t mid = t0 + (span ? (int64_t)(rd_u(&r, 4) % (uint64_t)span) : 0);
	CHECK(bizcal_seconds(&c, t0, mid) + bizcal_seconds(&c, mid, t0 + span) == s_all);
	CHECK(bizcal_seconds(&c, t0 + span, t0) == 0);

	/* bizcal_add: the earliest instant with exactly that much business time */
	int64_t want = (int64_t)(rd_u(&r, 4) % (uint64_t)(per_day * 20 + 1));
	int64_t u;
	if (bizcal_add(&c, t0, want, &u) == 0) {
		CHECK(u >= t0 && bizcal_seconds(&c, t0, u) == want);
		if (want > 0)
			CHECK(bizcal_seconds(&c, t0, u - 1) < want);
	}

	/* the walk */
	struct nl_bizcal_iter it;
	struct nl_bizcal_window w;
	bizcal_iter_init(&it, &c, t0);
	int64_t prev_to = t0, sum = 0;
	for (int i = 0; i < 40 && bizcal_iter_next(&it, &w); i++) {
		CHECK(w.from >= prev_to && w.from < w.to);
		CHECK(w.kind == NL_BIZCAL_REGULAR || w.kind == NL_BIZCAL_WORKDAY);
		sum += w.to - w.from;
		prev_to = w.to;
	}
	CHECK(sum == bizcal_seconds(&c, t0, prev_to));

	/* one ticket's SLA clock */
	struct events ev;
	struct nl_bizcal_ticket t;
	memset(&t, 0, sizeof t);
	t.opened = t0;
	size_t ne = rd_u(&r, 1) % 9;
	int64_t at = t0 - (int64_t)(rd_u(&r, 2) % 86400);
	for (size_t i = 0; i < ne; i++) {
		uint32_t v = rd_u(&r, 3);
		at += (int64_t)(v >> 1) % (5 * 86400);
		ev.at[i] = at;
		ev.paused[i] = (int)(v & 1);
	}
	t.nevents = ne;
	t.event = event_at;
	t.arg = &ev;
	uint32_t flags = rd_u(&r, 1);
	t.end = t0 + (int64_t)(rd_u(&r, 3) % (40u * 86400));
	t.response = flags & 1 ? t0 + (int64_t)(rd_u(&r, 3) % (40u * 86400)) : 0;
	t.resolved = flags & 2 ? t0 + (int64_t)(rd_u(&r, 3) % (40u * 86400)) : 0;
	t.response_target = flags & 4 ? -1 : (int64_t)(rd_u(&r, 3) % (uint64_t)(per_day * 10 + 1));
	t.resolution_target = flags & 8 ? -1 : (int64_t)(rd_u(&r, 3) % (uint64_t)(per_day * 10 + 1));
	struct nl_bizcal_ticket_result res;
	if (bizcal_ticket(&c, &t, &res, NULL, NULL) == 0) {
		CHECK(res.running_seconds >= 0 && res.paused_seconds >= 0);
		CHECK(res.running_seconds + res.paused_seconds == bizcal_seconds(&c, t.opened, t.end));
		if (t.response && t.response >= t.opened)
			CHECK(res.response_seconds >= 0 && res.response_seconds <= bizcal_seconds(&c, t.opened, t.response));
		if (res.has_response_due)
			CHECK(res.response_due >= t.opened);
		if (res.has_resolution_due)
			CHECK(res.resolution_due >= t.opened);
	}
	return 0;
}
