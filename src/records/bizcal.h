/* bizcal.h — the business-time calculator: business seconds between two instants, "add N business seconds to an
 * instant", and the SLA clock of one ticket (running and paused business time, due instants) in one forward walk.
 * Pure: no I/O, no allocation, no global state; every function is safe from any thread on a shared calendar.
 *
 * A calendar (struct nl_bizcal) is data the caller owns: the time zone as a table of UTC-offset transitions, the work
 * periods of a workday (several a day, e.g. 09:00–12:00 and 13:30–18:00, in local wall-clock time), the weekdays
 * that are workdays, and dated exceptions: a holiday is no work that day; a make-up workday (调休) works with the
 * normal periods even on a weekend. Periods are mapped to instants day by day with the offset in force at each
 * boundary, so zones with daylight-saving time are handled (a 09:00–18:00 day is 9 hours long on every day; a
 * 00:00–24:00 day is 23 or 25 hours on the days the clocks change). China's zones have no transition since 1991:
 * the fast path is one comparison per boundary.
 *
 * Cost: every walk is O(calendar days spanned + exceptions skipped + status changes); a ticket evaluated from its
 * opening to its last due instant touches a few days (about 0.1 µs a day on a 2020s machine, see test_bizcal). */
#ifndef NL_BIZCAL_H
#define NL_BIZCAL_H

#include <stddef.h>
#include <stdint.h>

#define NL_BIZCAL_MAX_PERIODS 8
#define NL_BIZCAL_DAY 86400
/* Instants the calculator accepts: 1900-01-01T00:00:00Z .. 9999-12-31T23:59:59Z (the API's range). */
#define NL_BIZCAL_T_MIN (-2208988800LL)
#define NL_BIZCAL_T_MAX 253402300799LL

/* Kinds of a day: an exception's kind (holiday, workday) and, for windows, whether the day works because it is one
 * of the calendar's weekdays (regular) or because it is a make-up workday. */
enum nl_bizcal_kind { NL_BIZCAL_REGULAR = 0, NL_BIZCAL_HOLIDAY = 1, NL_BIZCAL_WORKDAY = 2 };

/* One dated exception: day = days since 1970-01-01 of the local date (date_to_days), kind HOLIDAY or WORKDAY. */
struct nl_bizcal_exception {
	int32_t day;
	int32_t kind;
};

/* A time zone as offsets: `initial` before at[0] (the whole time when n == 0), off[i] from at[i] (inclusive) on.
 * at[] strictly ascending; offsets in seconds east of UTC, |off| < 86400. Transitions closer than two days apart
 * are not supported (no real zone has them). */
struct nl_bizcal_zone {
	int32_t initial;
	size_t n;
	const int64_t *at;
	const int32_t *off;
};

/* A work period in seconds since local midnight: 0 ≤ start < end ≤ 86400 (end 86400 is "24:00"). */
struct nl_bizcal_period {
	int32_t start, end;
};

struct nl_bizcal {
	struct nl_bizcal_zone zone;
	unsigned weekdays;              /* bit 0 = Monday … bit 6 = Sunday */
	int nperiods;                   /* 0..NL_BIZCAL_MAX_PERIODS, sorted, not overlapping (touching allowed) */
	struct nl_bizcal_period periods[NL_BIZCAL_MAX_PERIODS];
	const struct nl_bizcal_exception *days;   /* sorted by day, one per day; borrowed */
	size_t ndays;
};

/* Returns 0 when c is well formed (as described above), else NL_EVALID. The other functions assume a checked
 * calendar. */
int bizcal_check(const struct nl_bizcal *c) __attribute__((warn_unused_result));

/* The UTC offset of the zone at instant t. */
int32_t bizcal_offset(const struct nl_bizcal_zone *z, int64_t t);
/* The local date of instant t as days since 1970-01-01. */
int32_t bizcal_local_day(const struct nl_bizcal_zone *z, int64_t t);
/* The instant of local wall-clock time `wall` (seconds since 1970-01-01T00:00 local). In an overlap (clocks set
 * back) the earlier instant; in a gap (clocks set forward) the instant of the jump. Non-decreasing in `wall`. */
int64_t bizcal_wall_to_instant(const struct nl_bizcal_zone *z, int64_t wall);
/* ISO weekday (Monday 1 … Sunday 7) of a day number. */
int bizcal_weekday(int32_t day);

/* A work window: the instants [from, to) of one work period of one workday. */
struct nl_bizcal_window {
	int64_t from, to;
	int32_t day;      /* its local date, days since 1970-01-01 */
	int32_t kind;     /* NL_BIZCAL_REGULAR or NL_BIZCAL_WORKDAY (a make-up workday) */
};

/* A forward walk over the work windows that end after an instant. Lives on the caller's stack. */
struct nl_bizcal_iter {
	const struct nl_bizcal *c;
	int64_t from;      /* windows are clipped to start at or after this instant */
	int32_t day;
	int32_t kind;      /* of the current day: -1 no work, else REGULAR / WORKDAY */
	int period;        /* the next period of the current day */
	size_t exc;        /* first exception with day >= the current day */
	int done;
};

/* Starts a walk at instant t: the first window returned is the first one ending after t, clipped to start at t. */
void bizcal_iter_init(struct nl_bizcal_iter *it, const struct nl_bizcal *c, int64_t t);
/* Sets *w to the next window and returns 1, or returns 0 when the calendar has no more work (no periods; or no
 * weekdays and no make-up workday ahead). Windows come in time order and never overlap. */
int bizcal_iter_next(struct nl_bizcal_iter *it, struct nl_bizcal_window *w);

/* Business seconds in [a, b): the total overlap with work windows. 0 when b <= a. */
int64_t bizcal_seconds(const struct nl_bizcal *c, int64_t a, int64_t b);
/* Sets *out to the earliest instant u >= t with bizcal_seconds(c, t, u) == seconds (seconds >= 0; 0 gives t).
 * For u inside the calendar's work this is exact; when the amount is used up exactly at the end of a window, u is
 * that end (not the start of the next window). Returns 0, or NL_ENOTFOUND when the calendar has not that much
 * work after t (*out untouched). */
int bizcal_add(const struct nl_bizcal *c, int64_t t, int64_t seconds, int64_t *out) __attribute__((warn_unused_result));

/* The SLA clock of one ticket. The clock runs from `opened` except while the ticket is paused (waiting statuses);
 * status changes come from a callback so that callers need not copy their events. */
struct nl_bizcal_ticket {
	int64_t opened;
	int64_t response;            /* first response instant; 0: none */
	int64_t resolved;            /* 0: none */
	int64_t end;                 /* paused time is measured up to here (resolved, or "now" for open tickets); >= opened */
	int64_t response_target;     /* business seconds; < 0: no due wanted */
	int64_t resolution_target;
	size_t nevents;
	/* Event i (in time order): sets *at and returns 1 when the ticket entered a paused status, 0 a running one,
	 * or a negative NL_E* for an event it cannot read. */
	int (*event)(const void *arg, size_t i, int64_t *at);
	const void *arg;
};

struct nl_bizcal_ticket_result {
	int64_t response_seconds;     /* running business seconds in [opened, response); -1: no response or response < opened */
	int64_t resolution_seconds;   /* running business seconds in [opened, resolved); -1 likewise */
	int64_t running_seconds;      /* running business seconds in [opened, end) */
	int64_t paused_seconds;       /* paused business seconds in [opened, end) */
	int has_response_due;         /* 0: the target is never reached (the clock stays paused, or no more work) */
	int64_t response_due;         /* the instant the running clock reaches the response target */
	int has_resolution_due;
	int64_t resolution_due;
};

/* One piece of business time before `end`, in time order: running (paused == 0) or paused. Pieces never straddle
 * the response, resolution or end instants, nor a status change. */
typedef void (*nl_bizcal_piece_fn)(void *arg, const struct nl_bizcal_window *piece, int paused);

/* Evaluates the ticket's clock in one walk: the status in force at `opened` is the last event at or before it
 * (running when none); after the last event its status lasts for ever. Due instants are the earliest instants at
 * which the running business time equals the target (a due past `end` is computed from the statuses as known).
 * fn (may be NULL) sees every piece before `end`. Returns 0, or NL_EVALID for instants outside the accepted range,
 * end < opened, events out of order, or an event the callback refuses (its code). */
int bizcal_ticket(const struct nl_bizcal *c, const struct nl_bizcal_ticket *t, struct nl_bizcal_ticket_result *r,
	nl_bizcal_piece_fn fn, void *fnarg) __attribute__((warn_unused_result));

#endif
