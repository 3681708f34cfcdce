/* calendar.h — business calendars as records: the calendars table (name, time zone, work periods, weekdays) and its
 * dated exceptions (calendar_days: holidays and make-up workdays 调休), their validation, the CSV and iCalendar
 * day imports, and loading a calendar into the pure calculator (records/bizcal.h) with its time zone as a table.
 *
 * API shape of a calendar: {"id","name","timezone","work_periods":[["09:00","12:00"],["13:30","18:00"]],
 * "weekdays":["mon",...],"minutes_per_day","holiday_count","workday_count","created_at","updated_at"};
 * of a day: {"calendar_id","date","kind":"holiday"|"workday","name","weekday"}. */
#ifndef NL_CALENDAR_H
#define NL_CALENDAR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"
#include "records/bizcal.h"

#define NL_CALENDAR_NAME_MAX 100
#define NL_CALENDAR_DAY_NAME_MAX 100
/* The most rows or expanded event days one import may bring. */
#define NL_CALENDAR_IMPORT_MAX_DAYS 10000

/* --- pure helpers (no database) --- */

/* Parses n work periods given as ("HH:MM", "HH:MM") pairs: starts 00:00–23:59, ends 00:01–24:00, each start before
 * its end, sorted and not overlapping (a period may start where the previous ends). Returns 0 with out[0..n) and
 * *nout, or NL_EVALID with err naming the element (e.g. "work_periods[1][0]"). n must be 1..NL_BIZCAL_MAX_PERIODS. */
int calendar_periods_parse(const char *pairs[][2], int n, struct nl_bizcal_period *out, int *nout, struct nl_error *err)
	__attribute__((warn_unused_result));

/* One imported day: its date (days since 1970-01-01), NL_BIZCAL_HOLIDAY / NL_BIZCAL_WORKDAY, its name (heap, owned
 * by the list) and the line of the file it came from. */
struct calendar_day {
	int32_t day;
	int kind;
	char *name;
	int line;
};

struct calendar_day_list {
	struct calendar_day *items;
	size_t n, alloc;
};

void calendar_day_list_free(struct calendar_day_list *l);

/* Parses a CSV file of days: a header naming the columns `date` and `kind` (and optionally `name`; other columns are
 * ignored; any order), then one day a line: YYYY-MM-DD, holiday|workday, a name of at most 100 characters. Quoted
 * fields ("a, b", "" for a quote) and CRLF are accepted; blank lines are skipped. A date listed twice with the same
 * kind keeps its first name; with another kind it is an error. All or nothing: returns 0 with *out (the caller
 * frees it), or NL_EVALID with err->field "line N" (N counted from 1) and nothing in *out. */
int calendar_days_parse_csv(const char *data, size_t len, struct calendar_day_list *out, struct nl_error *err)
	__attribute__((warn_unused_result));

/* Parses an iCalendar file (RFC 5545): every VEVENT with an all-day DTSTART (DTSTART;VALUE=DATE:20251001) becomes
 * one day per date from DTSTART up to DTEND (exclusive; or DURATION:PnD / PnW; one day when neither), at most 366
 * days an event. The kind is X-NENGLI-KIND (holiday|workday) when given, else CATEGORIES naming holiday or workday,
 * else the SUMMARY: a make-up workday when it contains 班 (补班, 上班) or "workday", else a holiday. SUMMARY gives
 * the name (cut to 100 characters). Cancelled events (STATUS:CANCELLED) are skipped; recurring ones (RRULE) and
 * timed ones are errors. Folded lines are joined. Same result and error convention as calendar_days_parse_csv; the
 * line named is the line of the faulty property (or of BEGIN:VEVENT for a missing one). */
int calendar_days_parse_ics(const char *data, size_t len, struct calendar_day_list *out, struct nl_error *err)
	__attribute__((warn_unused_result));

/* A time zone loaded as a transition table for the calculator (memory owned by the struct). */
struct calendar_zone {
	struct nl_bizcal_zone zone;
	int64_t *at;
	int32_t *off;
};

/* Loads the IANA zone `name` from the system's zone files ($TZDIR or /usr/share/zoneinfo; offsets computed by
 * core/tz's TZif reader at each transition, so both agree), or the built-in fixed offset of core/tz when no zone
 * file exists. Returns 0, NL_EVALID for a name that is not a zone name, NL_ENOTFOUND, NL_ENOMEM. */
int calendar_zone_load(const char *name, struct calendar_zone *out) __attribute__((warn_unused_result));
void calendar_zone_free(struct calendar_zone *z);

/* --- records --- */

struct nl_calendar_input {
	const char *name;
	const char *timezone;             /* IANA zone name */
	const json_t *work_periods;       /* [["HH:MM","HH:MM"], ...] */
	const json_t *weekdays;           /* ["mon", ..., "sun"], no repeats */
};

#define NL_CALENDAR_SET_NAME 0x1u
#define NL_CALENDAR_SET_TIMEZONE 0x2u
#define NL_CALENDAR_SET_PERIODS 0x4u
#define NL_CALENDAR_SET_WEEKDAYS 0x8u

/* Lists calendars by id (paging as in http.h). */
int calendar_list(struct nl_ctx *ctx, int64_t limit, int64_t cursor, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));
/* The calendar as JSON; NL_ENOTFOUND. */
int calendar_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* Creates a calendar (all four fields required). NL_EVALID naming the field, NL_ECONFLICT for a name in use. */
int calendar_create(struct nl_ctx *ctx, const struct nl_calendar_input *in, json_t **out) __attribute__((warn_unused_result));
/* Changes the fields named in `set`. Same errors, and NL_ENOTFOUND. */
int calendar_update(struct nl_ctx *ctx, int64_t id, const struct nl_calendar_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));

/* Sets the exception of one date (date "YYYY-MM-DD"; kind "holiday"|"workday"; name may be NULL). *created is 1 when
 * the date had none. NL_EVALID naming "date"/"kind"/"name", NL_ENOTFOUND for the calendar. */
int calendar_day_put(struct nl_ctx *ctx, int64_t id, const char *date, const char *kind, const char *name, json_t **out,
	int *created) __attribute__((warn_unused_result));
/* Removes the exception of one date: NL_ENOTFOUND when the calendar or the date has none. *out = the removed day. */
int calendar_day_delete(struct nl_ctx *ctx, int64_t id, const char *date, json_t **out) __attribute__((warn_unused_result));
/* Lists the exceptions in date order, of one year (1900..9999) or of all years (year 0); cursor as returned in *next. */
int calendar_days_list(struct nl_ctx *ctx, int64_t id, int year, int64_t limit, int64_t cursor, json_t **items,
	int64_t *next) __attribute__((warn_unused_result));
/* Imports days from a file (format "csv" or "ics"): every listed date is set (created or replaced), other dates are
 * left alone; all or nothing, one audit row. *out = {"calendar_id","format","days","created","updated","unchanged"}.
 * NL_EVALID naming the line, NL_ENOTFOUND. */
int calendar_days_import(struct nl_ctx *ctx, int64_t id, const char *format, const char *data, size_t len, json_t **out)
	__attribute__((warn_unused_result));

/* A calendar loaded for the calculator: everything owned by the struct (free with calendar_loaded_free). */
struct calendar_loaded {
	int64_t id;
	char *name;
	char *timezone;
	char *work_periods;      /* the stored JSON text */
	unsigned weekdays;
	struct nl_bizcal cal;    /* ready for bizcal_* (its days and zone tables are the heap arrays below) */
	struct nl_bizcal_exception *days;
	struct calendar_zone zone;
};

/* Loads calendar id with its exceptions and zone. NL_ENOTFOUND, NL_ENOMEM, store errors; a stored calendar whose
 * zone cannot be loaded any more is NL_EINTERNAL (logged). */
int calendar_load(struct nl_ctx *ctx, int64_t id, struct calendar_loaded *out) __attribute__((warn_unused_result));
void calendar_loaded_free(struct calendar_loaded *c);

/* Formats seconds since midnight as "HH:MM" into out[6]. */
void calendar_hhmm(int32_t seconds, char out[6]);
/* "mon".."sun" for ISO weekday 1..7. */
const char *calendar_weekday_name(int iso);

#endif
