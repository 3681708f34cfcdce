/* calendar.c — business calendars as records (calendars, calendar_days), their validation and day imports (CSV,
 * iCalendar), and loading a calendar with its time zone for the calculator (bizcal). */
#include "records/calendar.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/json.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/tz.h"
#include "store/store.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define TZIF_HEADER 44
#define TZIF_MAX_FILE (512 * 1024)

static const char *const weekday_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

const char *calendar_weekday_name(int iso)
{
	return iso >= 1 && iso <= 7 ? weekday_names[iso - 1] : "";
}

void calendar_hhmm(int32_t seconds, char out[6])
{
	int h = (int)(seconds / 3600), m = (int)(seconds % 3600 / 60);
	if (h < 0 || h > 24)
		h = 0;
	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
}

/* "HH:MM" (00:00..24:00) as seconds since midnight, or -1. */
static int32_t hhmm_parse(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && !isdigit((unsigned char)s[i]))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	return (int32_t)(h * 3600 + m * 60);
}

int calendar_periods_parse(const char *pairs[][2], int n, struct nl_bizcal_period *out, int *nout, struct nl_error *err)
{
	char field[48];
	if (n < 1 || n > NL_BIZCAL_MAX_PERIODS)
		return nl_fail(err, NL_EVALID, "work_periods", "Give 1 to %d work periods, e.g. [[\"09:00\",\"12:00\"],[\"13:30\",\"18:00\"]].",
			NL_BIZCAL_MAX_PERIODS);
	for (int i = 0; i < n; i++) {
		int32_t s = hhmm_parse(pairs[i][0]), e = hhmm_parse(pairs[i][1]);
		if (s < 0 || s >= NL_BIZCAL_DAY) {
			snprintf(field, sizeof field, "work_periods[%d][0]", i);
			return nl_fail(err, NL_EVALID, field, "A period starts at a time HH:MM from 00:00 to 23:59.");
		}
		if (e <= 0) {
			snprintf(field, sizeof field, "work_periods[%d][1]", i);
			return nl_fail(err, NL_EVALID, field, "A period ends at a time HH:MM from 00:01 to 24:00.");
		}
		if (e <= s) {
			snprintf(field, sizeof field, "work_periods[%d][1]", i);
			return nl_fail(err, NL_EVALID, field, "Period %d ends at or before it starts.", i + 1);
		}
		if (i > 0 && s < out[i - 1].end) {
			snprintf(field, sizeof field, "work_periods[%d][0]", i);
			return nl_fail(err, NL_EVALID, field,
				"Period %d starts before period %d ends: periods must be sorted and must not overlap.", i + 1, i);
		}
		out[i].start = s;
		out[i].end = e;
	}
	*nout = n;
	return 0;
}

/* Parses a stored or posted work_periods JSON value (an array of [start, end] string pairs) into out. */
static int periods_from_json(const json_t *a, struct nl_bizcal_period *out, int *nout, struct nl_error *err)
{
	const char *pairs[NL_BIZCAL_MAX_PERIODS][2];
	char field[48];
	if (!json_is_array(a))
		return nl_fail(err, NL_EVALID, "work_periods", "work_periods is a list of [start, end] pairs such as [\"09:00\",\"12:00\"].");
	size_t n = json_array_size(a);
	if (n < 1 || n > NL_BIZCAL_MAX_PERIODS)
		return nl_fail(err, NL_EVALID, "work_periods", "Give 1 to %d work periods.", NL_BIZCAL_MAX_PERIODS);
	for (size_t i = 0; i < n; i++) {
		const json_t *p = json_array_get(a, i);
		if (!json_is_array(p) || json_array_size(p) != 2) {
			snprintf(field, sizeof field, "work_periods[%zu]", i);
			return nl_fail(err, NL_EVALID, field, "Each period is a pair [\"HH:MM\", \"HH:MM\"].");
		}
		for (size_t j = 0; j < 2; j++) {
			const json_t *v = json_array_get(p, j);
			if (!json_is_string(v)) {
				snprintf(field, sizeof field, "work_periods[%zu][%zu]", i, j);
				return nl_fail(err, NL_EVALID, field, "A time is a string \"HH:MM\".");
			}
			pairs[i][j] = json_string_value(v);
		}
	}
	return calendar_periods_parse(pairs, (int)n, out, nout, err);
}

/* The canonical JSON text of periods, e.g. [["09:00","12:00"],["13:30","18:00"]] (malloc'ed). */
static char *periods_text(const struct nl_bizcal_period *p, int n)
{
	struct nl_strbuf b;
	strbuf_init(&b, 0);
	strbuf_putc(&b, '[');
	for (int i = 0; i < n; i++) {
		char s[6], e[6];
		calendar_hhmm(p[i].start, s);
		calendar_hhmm(p[i].end, e);
		strbuf_printf(&b, "%s[\"%s\",\"%s\"]", i ? "," : "", s, e);
	}
	strbuf_putc(&b, ']');
	return strbuf_detach(&b, NULL);
}

/* The weekday names as bits (bit 0 = Monday); NL_EVALID naming weekdays[i] for a repeat. */
static int weekdays_from_json(const json_t *a, unsigned *bits, struct nl_error *err)
{
	char field[32];
	*bits = 0;
	if (!json_is_array(a))
		return nl_fail(err, NL_EVALID, "weekdays", "weekdays is a list such as [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"].");
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		unsigned bit = 0;
		for (int k = 0; k < 7 && s; k++)
			if (!strcmp(s, weekday_names[k]))
				bit = 1u << k;
		snprintf(field, sizeof field, "weekdays[%zu]", i);
		if (!bit)
			return nl_fail(err, NL_EVALID, field, "A weekday is one of mon, tue, wed, thu, fri, sat, sun.");
		if (*bits & bit)
			return nl_fail(err, NL_EVALID, field, "\"%s\" is listed twice.", s);
		*bits |= bit;
	}
	return 0;
}

static json_t *weekdays_json(unsigned bits)
{
	json_t *a = json_array();
	for (int k = 0; k < 7; k++)
		if (bits & (1u << k))
			json_array_append_new(a, json_string(weekday_names[k]));
	return a;
}

/* --- imported days --- */

void calendar_day_list_free(struct calendar_day_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].name);
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* Appends a day (the name is copied). 0 or NL_ENOMEM. */
static int day_list_push(struct calendar_day_list *l, int32_t day, int kind, const char *name, size_t name_len, int line)
{
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 64;
		struct calendar_day *p = realloc(l->items, na * sizeof *p);
		if (!p)
			return NL_ENOMEM;
		l->items = p;
		l->alloc = na;
	}
	char *copy = malloc(name_len + 1);
	if (!copy)
		return NL_ENOMEM;
	memcpy(copy, name, name_len);
	copy[name_len] = '\0';
	l->items[l->n++] = (struct calendar_day){ .day = day, .kind = kind, .name = copy, .line = line };
	return 0;
}

/* Fails with NL_EVALID naming "line N", the message prefixed by "Line N: ". */
static int line_fail(struct nl_error *err, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int line_fail(struct nl_error *err, int line, const char *fmt, ...)
{
	char field[32], msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(field, sizeof field, "line %d", line);
	return nl_fail(err, NL_EVALID, field, "Line %d: %s", line, msg);
}

static int day_cmp(const void *a, const void *b)
{
	const struct calendar_day *x = a, *y = b;
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return (x->line > y->line) - (x->line < y->line);
}

/* Sorts by date, refuses a date given twice with different kinds (naming the later line), keeps the first of
 * same-kind repeats. */
static int day_list_finish(struct calendar_day_list *l, struct nl_error *err)
{
	if (l->n > 1)
		qsort(l->items, l->n, sizeof *l->items, day_cmp);
	int bad_line = 0;
	char when[NL_DATE_STRLEN] = "";
	for (size_t i = 1; i < l->n; i++) {
		const struct calendar_day *a = &l->items[i - 1], *b = &l->items[i];
		if (a->day == b->day && a->kind != b->kind && (!bad_line || b->line < bad_line)) {
			struct nl_date d;
			bad_line = b->line;
			if (date_from_days(b->day, &d) || date_format(d, when))
				when[0] = '\0';
		}
	}
	if (bad_line)
		return line_fail(err, bad_line, "%s is given both as a holiday and as a workday.", when);
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (k > 0 && l->items[k - 1].day == l->items[i].day) {
			free(l->items[i].name);
			continue;
		}
		l->items[k++] = l->items[i];
	}
	l->n = k;
	return 0;
}

/* A trimmed view. */
static struct nl_str trim(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	return (struct nl_str){ p, n };
}

static int str_ieq(struct nl_str s, const char *c)
{
	size_t n = strlen(c);
	return s.n == n && strncasecmp(s.p, c, n) == 0;
}

#define CSV_MAX_FIELDS 32

struct csv_fields {
	int n;
	size_t off[CSV_MAX_FIELDS], len[CSV_MAX_FIELDS];
};

/* Splits one CSV line into buf (unquoted, trimmed fields). 0, -1 for a broken quote, -2 for too many fields. */
static int csv_split(const char *s, size_t n, char *buf, struct csv_fields *f)
{
	size_t pos = 0, out = 0;
	f->n = 0;
	for (;;) {
		if (f->n == CSV_MAX_FIELDS)
			return -2;
		while (pos < n && (s[pos] == ' ' || s[pos] == '\t'))
			pos++;
		size_t start = out;
		if (pos < n && s[pos] == '"') {
			pos++;
			for (;;) {
				if (pos >= n)
					return -1;
				if (s[pos] == '"') {
					if (pos + 1 < n && s[pos + 1] == '"') {
						buf[out++] = '"';
						pos += 2;
						continue;
					}
					pos++;
					break;
				}
				buf[out++] = s[pos++];
			}
			while (pos < n && (s[pos] == ' ' || s[pos] == '\t'))
				pos++;
			if (pos < n && s[pos] != ',')
				return -1;
			f->off[f->n] = start;
			f->len[f->n] = out - start;
		} else {
			while (pos < n && s[pos] != ',')
				buf[out++] = s[pos++];
			struct nl_str t = trim(buf + start, out - start);
			f->off[f->n] = (size_t)(t.p - buf);
			f->len[f->n] = t.n;
		}
		f->n++;
		if (pos < n && s[pos] == ',') {
			pos++;
			continue;
		}
		return 0;
	}
}

/* Checks a day's name: valid UTF-8 of at most NL_CALENDAR_DAY_NAME_MAX characters, no control characters. */
static int name_ok(const char *p, size_t n)
{
	long cps = utf8_length(p, n);
	if (cps < 0 || cps > NL_CALENDAR_DAY_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20)
			return 0;
	return 1;
}

static int kind_parse(struct nl_str s)
{
	if (str_ieq(s, "holiday"))
		return NL_BIZCAL_HOLIDAY;
	if (str_ieq(s, "workday"))
		return NL_BIZCAL_WORKDAY;
	return 0;
}

int calendar_days_parse_csv(const char *data, size_t len, struct calendar_day_list *out, struct nl_error *err)
{
	struct calendar_day_list l = { 0 };
	struct csv_fields f;
	int rc = 0, line = 0, icol[3] = { -1, -1, -1 }, header = 0;
	char *buf = malloc(len + 1);
	memset(out, 0, sizeof *out);
	if (!buf)
		return NL_ENOMEM;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		data += 3, len -= 3;
	size_t pos = 0;
	while (pos < len && rc == 0) {
		const char *s = data + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl ? 1 : 0);
		line++;
		struct nl_str whole = trim(s, n);
		if (whole.n == 0)
			continue;
		int sp = csv_split(whole.p, whole.n, buf, &f);
		if (sp == -1) {
			rc = line_fail(err, line, "a quote is not closed or is followed by text.");
			break;
		}
		if (sp == -2) {
			rc = line_fail(err, line, "too many columns.");
			break;
		}
		if (!header) {
			static const char *const cols[3] = { "date", "kind", "name" };
			for (int i = 0; i < f.n; i++)
				for (int c = 0; c < 3; c++)
					if (icol[c] < 0 && str_ieq((struct nl_str){ buf + f.off[i], f.len[i] }, cols[c]))
						icol[c] = i;
			if (icol[0] < 0 || icol[1] < 0) {
				rc = line_fail(err, line,
					"the first line must be the header naming the columns date, kind and name (e.g. date,kind,name).");
				break;
			}
			header = 1;
			continue;
		}
		if (l.n >= NL_CALENDAR_IMPORT_MAX_DAYS) {
			rc = line_fail(err, line, "an import brings at most 10000 days.");
			break;
		}
		struct nl_str sd = icol[0] < f.n ? (struct nl_str){ buf + f.off[icol[0]], f.len[icol[0]] } : (struct nl_str){ "", 0 };
		struct nl_str sk = icol[1] < f.n ? (struct nl_str){ buf + f.off[icol[1]], f.len[icol[1]] } : (struct nl_str){ "", 0 };
		struct nl_str sn = icol[2] >= 0 && icol[2] < f.n ? (struct nl_str){ buf + f.off[icol[2]], f.len[icol[2]] }
								  : (struct nl_str){ "", 0 };
		struct nl_date d;
		if (date_parse_n(sd.p, sd.n, &d)) {
			rc = line_fail(err, line, "the date must be a real date YYYY-MM-DD.");
			break;
		}
		int kind = kind_parse(sk);
		if (!kind) {
			rc = line_fail(err, line, "the kind must be holiday or workday.");
			break;
		}
		if (!name_ok(sn.p, sn.n)) {
			rc = line_fail(err, line, "the name must be UTF-8 text of at most 100 characters.");
			break;
		}
		rc = day_list_push(&l, date_to_days(d), kind, sn.p, sn.n, line);
	}
	if (rc == 0 && !header)
		rc = line_fail(err, line ? line : 1, "the file is empty; it needs the header date,kind,name.");
	if (rc == 0)
		rc = day_list_finish(&l, err);
	free(buf);
	if (rc)
		calendar_day_list_free(&l);
	else
		*out = l;
	return rc;
}

/* --- iCalendar --- */

struct ics_event {
	int line;                    /* of BEGIN:VEVENT */
	char dtstart[64], dtend[64], duration[32], kind[16];
	int dtstart_datetime, dtend_datetime;   /* VALUE=DATE-TIME or a "T" in the value */
	int dtstart_line, dtend_line, duration_line;
	int cancelled, has_kind_category;
	int category_kind;
	struct nl_strbuf summary;
};

/* A property of a logical line: upper-cased name, the raw parameters and the value. */
struct ics_prop {
	char name[40];
	struct nl_str params, value;
};

static int ics_prop_parse(const char *s, size_t n, struct ics_prop *p)
{
	size_t i = 0;
	while (i < n && s[i] != ';' && s[i] != ':')
		i++;
	if (i == n || i == 0 || i >= sizeof p->name)
		return -1;
	for (size_t k = 0; k < i; k++)
		p->name[k] = (char)toupper((unsigned char)s[k]);
	p->name[i] = '\0';
	size_t pstart = i;
	int quoted = 0;
	while (i < n && (quoted || s[i] != ':')) {
		if (s[i] == '"')
			quoted = !quoted;
		i++;
	}
	if (i == n)
		return -1;
	p->params = (struct nl_str){ s + pstart, i - pstart };
	p->value = (struct nl_str){ s + i + 1, n - i - 1 };
	return 0;
}

/* Case-insensitive substring search in a view. */
static int view_has(struct nl_str s, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= s.n; i++)
		if (strncasecmp(s.p + i, needle, k) == 0)
			return 1;
	return 0;
}

/* Copies an ICS date value into out (bounded) and notes whether it is a date-time. */
static void ics_copy_value(struct ics_prop *p, char *out, size_t outlen, int *datetime)
{
	size_t n = p->value.n < outlen - 1 ? p->value.n : outlen - 1;
	memcpy(out, p->value.p, n);
	out[n] = '\0';
	*datetime = view_has(p->params, "VALUE=DATE-TIME") || memchr(p->value.p, 'T', p->value.n) != NULL;
}

/* An all-day value "YYYYMMDD" as days since 1970; -1 when it is not one. */
static int ics_date(const char *v, int32_t *days)
{
	if (strlen(v) != 8)
		return -1;
	for (int i = 0; i < 8; i++)
		if (!isdigit((unsigned char)v[i]))
			return -1;
	struct nl_date d = { (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0'),
		(v[4] - '0') * 10 + (v[5] - '0'), (v[6] - '0') * 10 + (v[7] - '0') };
	if (!date_valid(d))
		return -1;
	*days = date_to_days(d);
	return 0;
}

/* Appends the unescaped TEXT value (RFC 5545 3.3.11) to b. */
static void ics_unescape(struct nl_strbuf *b, struct nl_str v)
{
	for (size_t i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (c == '\\' && i + 1 < v.n) {
			char e = v.p[++i];
			strbuf_putc(b, e == 'n' || e == 'N' ? ' ' : e);
		} else {
			strbuf_putc(b, c);
		}
	}
}

/* The end of the longest prefix of s (n bytes, valid UTF-8) with at most max code points. */
static size_t utf8_prefix(const char *s, size_t n, long max)
{
	size_t i = 0;
	long cps = 0;
	while (i < n && cps < max) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (i + k > n)
			break;
		i += k;
		cps++;
	}
	return i;
}

/* Turns a finished VEVENT into days. */
static int ics_event_finish(struct ics_event *e, struct calendar_day_list *l, struct nl_error *err)
{
	if (e->cancelled)
		return 0;
	if (!e->dtstart_line)
		return line_fail(err, e->line, "this VEVENT has no DTSTART.");
	int32_t start, end;
	if (e->dtstart_datetime || ics_date(e->dtstart, &start))
		return line_fail(err, e->dtstart_line,
			"only all-day events can be imported (DTSTART;VALUE=DATE:YYYYMMDD).");
	if (e->dtend_line) {
		if (e->dtend_datetime || ics_date(e->dtend, &end))
			return line_fail(err, e->dtend_line, "DTEND must be an all-day date (DTEND;VALUE=DATE:YYYYMMDD).");
		if (end <= start)
			return line_fail(err, e->dtend_line, "DTEND (exclusive) must come after DTSTART.");
	} else if (e->duration_line) {
		const char *d = e->duration;
		if (*d == '+')
			d++;
		size_t n = strlen(d);
		long v = 0;
		int ok = n >= 3 && d[0] == 'P' && (d[n - 1] == 'D' || d[n - 1] == 'W');
		for (size_t i = 1; ok && i + 1 < n; i++) {
			if (!isdigit((unsigned char)d[i]) || v > 100000)
				ok = 0;
			else
				v = v * 10 + (d[i] - '0');
		}
		if (!ok || v < 1)
			return line_fail(err, e->duration_line, "DURATION must be whole days or weeks (P3D, P1W).");
		end = start + (int32_t)(d[n - 1] == 'W' ? v * 7 : v);
	} else {
		end = start + 1;
	}
	if (end - start > 366)
		return line_fail(err, e->dtstart_line, "an event may cover at most 366 days.");
	int kind;
	struct nl_str summary = { e->summary.data ? e->summary.data : "", e->summary.len };
	if (e->kind[0]) {
		kind = kind_parse((struct nl_str){ e->kind, strlen(e->kind) });
		if (!kind)
			return line_fail(err, e->line, "X-NENGLI-KIND must be holiday or workday.");
	} else if (e->category_kind) {
		kind = e->category_kind;
	} else {
		kind = view_has(summary, "班") || view_has(summary, "workday") ? NL_BIZCAL_WORKDAY : NL_BIZCAL_HOLIDAY;
	}
	if (e->summary.failed || utf8_length(summary.p, summary.n) < 0)
		return line_fail(err, e->line, "SUMMARY is not UTF-8 text (or is too long).");
	size_t name_len = utf8_prefix(summary.p, summary.n, NL_CALENDAR_DAY_NAME_MAX);
	for (size_t i = 0; i < name_len; i++)
		if ((unsigned char)summary.p[i] < 0x20)
			return line_fail(err, e->line, "SUMMARY contains control characters.");
	for (int32_t d = start; d < end; d++) {
		if (l->n >= NL_CALENDAR_IMPORT_MAX_DAYS)
			return line_fail(err, e->dtstart_line, "an import brings at most 10000 days.");
		int rc = day_list_push(l, d, kind, summary.p, name_len, e->dtstart_line);
		if (rc)
			return rc;
	}
	return 0;
}

int calendar_days_parse_ics(const char *data, size_t len, struct calendar_day_list *out, struct nl_error *err)
{
	struct calendar_day_list l = { 0 };
	struct nl_strbuf logical;
	struct ics_event ev;
	int rc = 0, line = 0, started = 0, in_event = 0, depth = 0;
	memset(out, 0, sizeof *out);
	memset(&ev, 0, sizeof ev);
	strbuf_init(&logical, 1u << 20);
	strbuf_init(&ev.summary, 64 * 1024);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		data += 3, len -= 3;
	size_t pos = 0;
	while (pos < len && rc == 0) {
		/* One logical line: a physical line and its continuations (lines starting with a space or a tab). */
		strbuf_reset(&logical);
		int start_line = 0;
		do {
			const char *s = data + pos;
			const char *nl = memchr(s, '\n', len - pos);
			size_t n = nl ? (size_t)(nl - s) : len - pos;
			pos += n + (nl ? 1 : 0);
			line++;
			if (n && s[n - 1] == '\r')
				n--;
			if (!start_line) {
				start_line = line;
				strbuf_append(&logical, s, n);
			} else {
				strbuf_append(&logical, s + 1, n - 1);
			}
		} while (pos < len && (data[pos] == ' ' || data[pos] == '\t'));
		if (logical.failed) {
			rc = line_fail(err, start_line, "the line is too long.");
			break;
		}
		struct nl_str ln = trim(logical.data ? logical.data : "", logical.len);
		if (ln.n == 0)
			continue;
		struct ics_prop p;
		if (!started) {
			if (!str_ieq(ln, "BEGIN:VCALENDAR")) {
				rc = line_fail(err, start_line, "this is not an iCalendar file (it must begin with BEGIN:VCALENDAR).");
				break;
			}
			started = 1;
			continue;
		}
		if (ics_prop_parse(ln.p, ln.n, &p)) {
			rc = line_fail(err, start_line, "not a property NAME:value.");
			break;
		}
		if (!strcmp(p.name, "BEGIN")) {
			if (in_event) {
				depth++;
			} else if (str_ieq(trim(p.value.p, p.value.n), "VEVENT")) {
				in_event = 1;
				depth = 0;
				strbuf_reset(&ev.summary);
				struct nl_strbuf keep = ev.summary;
				memset(&ev, 0, sizeof ev);
				ev.summary = keep;
				ev.line = start_line;
			}
			continue;
		}
		if (!strcmp(p.name, "END")) {
			if (in_event && depth > 0) {
				depth--;
			} else if (in_event && str_ieq(trim(p.value.p, p.value.n), "VEVENT")) {
				in_event = 0;
				rc = ics_event_finish(&ev, &l, err);
			}
			continue;
		}
		if (!in_event || depth > 0)
			continue;
		if (!strcmp(p.name, "DTSTART")) {
			ics_copy_value(&p, ev.dtstart, sizeof ev.dtstart, &ev.dtstart_datetime);
			ev.dtstart_line = start_line;
		} else if (!strcmp(p.name, "DTEND")) {
			ics_copy_value(&p, ev.dtend, sizeof ev.dtend, &ev.dtend_datetime);
			ev.dtend_line = start_line;
		} else if (!strcmp(p.name, "DURATION")) {
			int dummy;
			ics_copy_value(&p, ev.duration, sizeof ev.duration, &dummy);
			ev.duration_line = start_line;
		} else if (!strcmp(p.name, "SUMMARY")) {
			strbuf_reset(&ev.summary);
			ics_unescape(&ev.summary, p.value);
		} else if (!strcmp(p.name, "X-NENGLI-KIND")) {
			struct nl_str v = trim(p.value.p, p.value.n);
			size_t n = v.n < sizeof ev.kind - 1 ? v.n : sizeof ev.kind - 1;
			memcpy(ev.kind, v.p, n);
			ev.kind[n] = '\0';
			if (!ev.kind[0])
				snprintf(ev.kind, sizeof ev.kind, "?");
		} else if (!strcmp(p.name, "CATEGORIES")) {
			if (view_has(p.value, "workday"))
				ev.category_kind = NL_BIZCAL_WORKDAY;
			else if (view_has(p.value, "holiday") && !ev.category_kind)
				ev.category_kind = NL_BIZCAL_HOLIDAY;
		} else if (!strcmp(p.name, "STATUS")) {
			ev.cancelled = str_ieq(trim(p.value.p, p.value.n), "CANCELLED");
		} else if (!strcmp(p.name, "RRULE") || !strcmp(p.name, "RDATE")) {
			rc = line_fail(err, start_line, "recurring events cannot be imported; list each date.");
		}
	}
	if (rc == 0 && !started)
		rc = line_fail(err, 1, "the file is empty; an iCalendar file begins with BEGIN:VCALENDAR.");
	if (rc == 0 && in_event)
		rc = line_fail(err, ev.line, "this VEVENT is not closed by END:VEVENT.");
	if (rc == 0)
		rc = day_list_finish(&l, err);
	strbuf_cleanup(&logical);
	strbuf_cleanup(&ev.summary);
	if (rc)
		calendar_day_list_free(&l);
	else
		*out = l;
	return rc;
}

/* --- time zones --- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Finds the transition times of TZif data: *times (big-endian, tsize bytes each) and *count. 0 or NL_EVALID. */
static int tzif_times(const unsigned char *d, size_t n, const unsigned char **times, size_t *count, size_t *tsize)
{
	if (n < TZIF_HEADER || memcmp(d, "TZif", 4) != 0)
		return NL_EVALID;
	size_t pos = 0, ts = 4;
	for (int pass = 0; pass < 2; pass++) {
		if (n - pos < TZIF_HEADER || memcmp(d + pos, "TZif", 4) != 0)
			return NL_EVALID;
		const unsigned char *h = d + pos + 20;
		uint64_t isut = be32(h), isstd = be32(h + 4), leap = be32(h + 8), timecnt = be32(h + 12), typecnt = be32(h + 16),
			 charcnt = be32(h + 20);
		if (timecnt > (1u << 20) || typecnt > 256 || leap > (1u << 20) || charcnt > (1u << 20) || isut > 256 || isstd > 256)
			return NL_EVALID;
		uint64_t size = timecnt * ts + timecnt + typecnt * 6 + charcnt + leap * (ts + 4) + isstd + isut;
		if (n - pos - TZIF_HEADER < size)
			return NL_EVALID;
		*times = d + pos + TZIF_HEADER;
		*count = (size_t)timecnt;
		*tsize = ts;
		if (pass == 0 && d[4] >= '2') {
			pos += TZIF_HEADER + (size_t)size;
			ts = 8;
			continue;
		}
		break;
	}
	return 0;
}

static int zone_name_ok(const char *z)
{
	size_t n = z ? strlen(z) : 0;
	if (n < 1 || n > 64 || z[0] == '/' || strstr(z, ".."))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = z[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
			    c == '-' || c == '+'))
			return 0;
	}
	return 1;
}

/* Builds the table from TZif data; offsets come from core/tz's reader at each transition. */
static int zone_from_tzif(const unsigned char *d, size_t n, struct calendar_zone *out)
{
	const unsigned char *times;
	size_t count, tsize;
	int off0;
	if (tzif_times(d, n, &times, &count, &tsize))
		return NL_EVALID;
	int64_t first = 0;
	if (count)
		first = tsize == 8 ? (int64_t)((uint64_t)be32(times) << 32 | be32(times + 4)) : (int64_t)(int32_t)be32(times);
	if (tz_offset_tzif(d, n, count ? first - 1 : 0, &off0))
		return NL_EVALID;
	out->at = count ? malloc(count * sizeof *out->at) : NULL;
	out->off = count ? malloc(count * sizeof *out->off) : NULL;
	if (count && (!out->at || !out->off)) {
		calendar_zone_free(out);
		return NL_ENOMEM;
	}
	size_t k = 0;
	int32_t prev = off0;
	for (size_t i = 0; i < count; i++) {
		const unsigned char *p = times + i * tsize;
		int64_t t = tsize == 8 ? (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)) : (int64_t)(int32_t)be32(p);
		int o;
		if ((k && t <= out->at[k - 1]) || tz_offset_tzif(d, n, t, &o)) {
			calendar_zone_free(out);
			return NL_EVALID;
		}
		if (o == prev)
			continue;
		out->at[k] = t;
		out->off[k] = o;
		prev = o;
		k++;
	}
	out->zone = (struct nl_bizcal_zone){ .initial = off0, .n = k, .at = out->at, .off = out->off };
	return 0;
}

int calendar_zone_load(const char *name, struct calendar_zone *out)
{
	memset(out, 0, sizeof *out);
	if (!zone_name_ok(name))
		return NL_EVALID;
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	int rc = NL_ENOTFOUND;
	FILE *f = fopen(path, "rb");
	if (f) {
		unsigned char *buf = malloc(TZIF_MAX_FILE);
		size_t n = buf ? fread(buf, 1, TZIF_MAX_FILE, f) : 0;
		if (!buf)
			rc = NL_ENOMEM;
		else if (n > 0 && n < TZIF_MAX_FILE)
			rc = zone_from_tzif(buf, n, out);
		free(buf);
		fclose(f);
		if (rc == NL_EVALID)
			rc = NL_ENOTFOUND;
	}
	if (rc == NL_ENOTFOUND) {
		/* No zone file: core/tz's built-in fixed offsets (China's zones, UTC). */
		int off;
		if (tz_offset(name, 0, &off) == 0) {
			out->zone = (struct nl_bizcal_zone){ .initial = off };
			rc = 0;
		}
	}
	return rc;
}

void calendar_zone_free(struct calendar_zone *z)
{
	if (!z)
		return;
	free(z->at);
	free(z->off);
	memset(z, 0, sizeof *z);
}

/* --- records --- */

#define CAL_COLS                                                                                                          \
	"c.id, c.name, c.timezone, c.work_periods, c.weekdays, c.created_at, c.updated_at,"                                     \
	" (SELECT COUNT(*) FROM calendar_days d WHERE d.calendar_id = c.id AND d.kind = 'holiday'),"                         \
	" (SELECT COUNT(*) FROM calendar_days d WHERE d.calendar_id = c.id AND d.kind = 'workday')"

static json_t *calendar_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "name", stmt_column_text(st, 1));
	json_set_str(o, "timezone", stmt_column_text(st, 2));
	const char *wp = stmt_column_text(st, 3);
	json_t *periods = wp ? json_loads(wp, 0, NULL) : NULL;
	struct nl_bizcal_period p[NL_BIZCAL_MAX_PERIODS];
	struct nl_error e = { 0 };
	int n = 0;
	int64_t minutes = 0;
	if (periods && periods_from_json(periods, p, &n, &e) == 0)
		for (int i = 0; i < n; i++)
			minutes += (p[i].end - p[i].start) / 60;
	json_object_set_new(o, "work_periods", periods ? periods : json_array());
	json_object_set_new(o, "weekdays", weekdays_json((unsigned)stmt_column_int64(st, 4)));
	json_set_int(o, "minutes_per_day", minutes);
	json_set_int(o, "holiday_count", stmt_column_int64(st, 7));
	json_set_int(o, "workday_count", stmt_column_int64(st, 8));
	json_set_str(o, "created_at", stmt_column_text(st, 5));
	json_set_str(o, "updated_at", stmt_column_text(st, 6));
	return o;
}

int calendar_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " CAL_COLS " FROM calendars c WHERE c.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = calendar_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No calendar with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int calendar_list(struct nl_ctx *ctx, int64_t limit, int64_t cursor, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	*next = 0;
	int rc = db_prepare(ctx->db, "SELECT " CAL_COLS " FROM calendars c WHERE c.id > $1 ORDER BY c.id LIMIT $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, cursor);
	stmt_bind_int64(st, 2, limit + 1);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 0);
		json_array_append_new(arr, calendar_row(st));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* A validated calendar, ready to store. */
struct cal_values {
	const char *name, *timezone;
	char *periods;     /* canonical JSON text (malloc'ed) */
	unsigned weekdays;
};

static int check_name(struct nl_ctx *ctx, const char *name, int64_t self_id)
{
	struct nl_stmt *st = NULL;
	if (!name || !*name || utf8_length(name, strlen(name)) > NL_CALENDAR_NAME_MAX)
		return nl_fail(ctx->err, NL_EVALID, "name", "The name is 1 to 100 characters.");
	int rc = db_prepare(ctx->db, "SELECT id FROM calendars WHERE name = $1 AND id <> $2", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, name);
	stmt_bind_int64(st, 2, self_id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == 1)
		return nl_fail(ctx->err, NL_ECONFLICT, "name", "A calendar named \"%s\" exists already.", name);
	return rc < 0 ? rc : 0;
}

static int check_timezone(struct nl_ctx *ctx, const char *zone)
{
	struct calendar_zone z;
	int rc = calendar_zone_load(zone, &z);
	calendar_zone_free(&z);
	if (rc == NL_ENOMEM)
		return rc;
	if (rc)
		return nl_fail(ctx->err, NL_EVALID, "timezone", "\"%s\" is not a known IANA time zone (e.g. Asia/Shanghai).",
			zone ? zone : "");
	return 0;
}

int calendar_create(struct nl_ctx *ctx, const struct nl_calendar_input *in, json_t **out)
{
	struct nl_bizcal_period p[NL_BIZCAL_MAX_PERIODS];
	struct nl_stmt *st = NULL;
	struct cal_values v = { in->name, in->timezone, NULL, 0 };
	char at[24];
	int n = 0, rc;
	int64_t id = 0;
	*out = NULL;
	if ((rc = periods_from_json(in->work_periods, p, &n, ctx->err)) ||
		(rc = weekdays_from_json(in->weekdays, &v.weekdays, ctx->err)) || (rc = check_timezone(ctx, in->timezone)))
		return rc;
	if (!(v.periods = periods_text(p, n)))
		return NL_ENOMEM;
	audit_now_rfc3339(at);
	if ((rc = db_begin(ctx->db)))
		goto done;
	if ((rc = check_name(ctx, v.name, 0)))
		goto out;
	if ((rc = db_prepare(ctx->db, "INSERT INTO calendars (name, timezone, work_periods, weekdays, created_at, updated_at)"
				      " VALUES ($1, $2, $3, $4, $5, $5) RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, v.name);
	stmt_bind_text(st, 2, v.timezone);
	stmt_bind_text(st, 3, v.periods);
	stmt_bind_int64(st, 4, v.weekdays);
	stmt_bind_text(st, 5, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		rc = nl_fail(ctx->err, NL_ECONFLICT, "name", "A calendar named \"%s\" exists already.", v.name);
	if (rc < 0 || (rc = calendar_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "calendar", id, NULL, *out);
out:
	rc = tx_end(ctx, rc);
done:
	free(v.periods);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int calendar_update(struct nl_ctx *ctx, int64_t id, const struct nl_calendar_input *in, unsigned set, json_t **out)
{
	struct nl_bizcal_period p[NL_BIZCAL_MAX_PERIODS];
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	char *periods = NULL;
	unsigned weekdays = 0;
	char at[24];
	int n = 0, rc;
	*out = NULL;
	if ((set & NL_CALENDAR_SET_PERIODS) && (rc = periods_from_json(in->work_periods, p, &n, ctx->err)))
		return rc;
	if ((set & NL_CALENDAR_SET_WEEKDAYS) && (rc = weekdays_from_json(in->weekdays, &weekdays, ctx->err)))
		return rc;
	if ((set & NL_CALENDAR_SET_TIMEZONE) && (rc = check_timezone(ctx, in->timezone)))
		return rc;
	if ((set & NL_CALENDAR_SET_PERIODS) && !(periods = periods_text(p, n)))
		return NL_ENOMEM;
	audit_now_rfc3339(at);
	if ((rc = db_begin(ctx->db)))
		goto done;
	if ((rc = calendar_get(ctx, id, &before)))
		goto out;
	if ((set & NL_CALENDAR_SET_NAME) && (rc = check_name(ctx, in->name, id)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE calendars SET name = COALESCE($2, name), timezone = COALESCE($3, timezone),"
				      " work_periods = COALESCE($4, work_periods), weekdays = CASE WHEN $5 = 1 THEN $6 ELSE weekdays END,"
				      " updated_at = $7 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, (set & NL_CALENDAR_SET_NAME) ? in->name : NULL);
	stmt_bind_text(st, 3, (set & NL_CALENDAR_SET_TIMEZONE) ? in->timezone : NULL);
	stmt_bind_text(st, 4, periods);
	stmt_bind_int64(st, 5, (set & NL_CALENDAR_SET_WEEKDAYS) ? 1 : 0);
	stmt_bind_int64(st, 6, weekdays);
	stmt_bind_text(st, 7, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		rc = nl_fail(ctx->err, NL_ECONFLICT, "name", "A calendar named \"%s\" exists already.", in->name);
	if (rc < 0 || (rc = calendar_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "update", "calendar", id, before, *out);
out:
	rc = tx_end(ctx, rc);
done:
	json_decref(before);
	free(periods);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Checks that calendar id exists (inside or outside a transaction). */
static int calendar_exists(struct nl_ctx *ctx, int64_t id)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT id FROM calendars WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No calendar with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

static json_t *day_json(int64_t calendar_id, const char *date, const char *kind, const char *name)
{
	json_t *o = json_object();
	struct nl_date d;
	json_set_int(o, "calendar_id", calendar_id);
	json_set_str(o, "date", date);
	json_set_str(o, "kind", kind);
	json_set_str(o, "name", name ? name : "");
	json_set_str(o, "weekday", date_parse(date, &d) == 0 ? calendar_weekday_name(date_weekday(d)) : "");
	return o;
}

/* The stored exception of one date into *out (NULL when none). */
static int day_get(struct nl_ctx *ctx, int64_t id, const char *date, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT kind, name FROM calendar_days WHERE calendar_id = $1 AND day = $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, date);
	rc = stmt_step(st);
	if (rc == 1)
		*out = day_json(id, date, stmt_column_text(st, 0), stmt_column_text(st, 1));
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Inserts or replaces one exception; the caller holds the transaction. */
static int day_write(struct nl_ctx *ctx, int64_t id, const char *date, const char *kind, const char *name, int exists)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, exists ? "UPDATE calendar_days SET kind = $3, name = $4 WHERE calendar_id = $1 AND day = $2"
					    : "INSERT INTO calendar_days (calendar_id, day, kind, name) VALUES ($1, $2, $3, $4)", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, date);
	stmt_bind_text(st, 3, kind);
	stmt_bind_text(st, 4, name ? name : "");
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The two stored kinds. */
static const char *kind_text(int kind)
{
	return kind == NL_BIZCAL_WORKDAY ? "workday" : "holiday";
}

static int date_checked(struct nl_ctx *ctx, const char *date, char out[NL_DATE_STRLEN])
{
	struct nl_date d;
	if (date_parse(date, &d) || date_format(d, out))
		return nl_fail(ctx->err, NL_EVALID, "date", "The date must be a real date YYYY-MM-DD.");
	return 0;
}

int calendar_day_put(struct nl_ctx *ctx, int64_t id, const char *date, const char *kind, const char *name, json_t **out,
	int *created)
{
	json_t *before = NULL;
	char day[NL_DATE_STRLEN];
	*out = NULL;
	*created = 0;
	int rc = date_checked(ctx, date, day);
	if (rc)
		return rc;
	if (!kind || (strcmp(kind, "holiday") && strcmp(kind, "workday")))
		return nl_fail(ctx->err, NL_EVALID, "kind", "kind is holiday or workday.");
	if (name && !name_ok(name, strlen(name)))
		return nl_fail(ctx->err, NL_EVALID, "name", "The name is at most 100 characters, without control characters.");
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = calendar_exists(ctx, id)) || (rc = day_get(ctx, id, day, &before)))
		goto out;
	if ((rc = day_write(ctx, id, day, kind, name, before != NULL)))
		goto out;
	*out = day_json(id, day, kind, name);
	*created = before == NULL;
	rc = audit_append(ctx, "set_day", "calendar", id, before, *out);
out:
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int calendar_day_delete(struct nl_ctx *ctx, int64_t id, const char *date, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	char day[NL_DATE_STRLEN];
	*out = NULL;
	int rc = date_checked(ctx, date, day);
	if (rc)
		return rc;
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = calendar_exists(ctx, id)) || (rc = day_get(ctx, id, day, &before)))
		goto out;
	if (!before) {
		rc = nl_fail(ctx->err, NL_ENOTFOUND, "date", "Calendar %lld has no holiday or workday on %s.", (long long)id, day);
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "DELETE FROM calendar_days WHERE calendar_id = $1 AND day = $2", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, day);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = audit_append(ctx, "delete_day", "calendar", id, before, NULL)))
		goto out;
	*out = json_deep_copy(before);
	json_set_bool(*out, "deleted", 1);
out:
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Cursor of the days list: the last date as the integer YYYYMMDD. */
static int64_t date_cursor(const char *date)
{
	struct nl_date d;
	return date_parse(date, &d) ? 0 : (int64_t)d.y * 10000 + d.m * 100 + d.d;
}

int calendar_days_list(struct nl_ctx *ctx, int64_t id, int year, int64_t limit, int64_t cursor, json_t **items,
	int64_t *next)
{
	struct nl_stmt *st = NULL;
	char from[NL_DATE_STRLEN] = "0000-00-00", to[NL_DATE_STRLEN] = "9999-99-99", after[48] = "";
	*items = NULL;
	*next = 0;
	if (year) {
		snprintf(from, sizeof from, "%04d-01-01", year);
		snprintf(to, sizeof to, "%04d-12-31", year);
	}
	if (cursor > 0)
		snprintf(after, sizeof after, "%04d-%02d-%02d", (int)(cursor / 10000 % 100000), (int)(cursor / 100 % 100),
			(int)(cursor % 100));
	int rc = calendar_exists(ctx, id);
	if (rc || (rc = db_prepare(ctx->db, "SELECT day, kind, name FROM calendar_days WHERE calendar_id = $1 AND day >= $2"
					    " AND day <= $3 AND day > $4 ORDER BY day LIMIT $5", &st)))
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, from);
	stmt_bind_text(st, 3, to);
	stmt_bind_text(st, 4, after);
	stmt_bind_int64(st, 5, limit + 1);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			*next = last;
			break;
		}
		last = date_cursor(stmt_column_text(st, 0));
		json_array_append_new(arr, day_json(id, stmt_column_text(st, 0), stmt_column_text(st, 1), stmt_column_text(st, 2)));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

int calendar_days_import(struct nl_ctx *ctx, int64_t id, const char *format, const char *data, size_t len, json_t **out)
{
	struct calendar_day_list l = { 0 };
	json_t *list = NULL, *after = NULL;
	int64_t created = 0, updated = 0, unchanged = 0;
	*out = NULL;
	int rc;
	if (!format || (strcmp(format, "csv") && strcmp(format, "ics")))
		return nl_fail(ctx->err, NL_EVALID, "format", "format is csv or ics.");
	rc = !strcmp(format, "csv") ? calendar_days_parse_csv(data, len, &l, ctx->err)
				    : calendar_days_parse_ics(data, len, &l, ctx->err);
	if (rc)
		return rc;
	if (l.n == 0) {
		calendar_day_list_free(&l);
		return nl_fail(ctx->err, NL_EVALID, "line 1", "The file lists no days.");
	}
	if ((rc = db_begin(ctx->db)))
		goto done;
	if ((rc = calendar_exists(ctx, id)))
		goto out;
	list = json_array();
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		struct nl_date d;
		char day[NL_DATE_STRLEN];
		json_t *before = NULL;
		if (date_from_days(l.items[i].day, &d) || date_format(d, day)) {
			rc = NL_EINTERNAL;
			break;
		}
		const char *kind = kind_text(l.items[i].kind);
		if ((rc = day_get(ctx, id, day, &before)))
			break;
		if (before && !strcmp(json_string_value(json_object_get(before, "kind")), kind) &&
			!strcmp(json_string_value(json_object_get(before, "name")), l.items[i].name)) {
			unchanged++;
		} else {
			rc = day_write(ctx, id, day, kind, l.items[i].name, before != NULL);
			if (before)
				updated++;
			else
				created++;
		}
		json_decref(before);
		json_t *item = json_object();
		json_set_str(item, "date", day);
		json_set_str(item, "kind", kind);
		json_set_str(item, "name", l.items[i].name);
		json_array_append_new(list, item);
	}
	if (rc)
		goto out;
	after = json_object();
	json_set_str(after, "format", format);
	json_set_int(after, "created", created);
	json_set_int(after, "updated", updated);
	json_set_int(after, "unchanged", unchanged);
	json_object_set(after, "days", list);
	if ((rc = audit_append(ctx, "import_days", "calendar", id, NULL, after)))
		goto out;
	*out = json_object();
	json_set_int(*out, "calendar_id", id);
	json_set_str(*out, "format", format);
	json_set_int(*out, "imported", (int64_t)l.n);
	json_set_int(*out, "created", created);
	json_set_int(*out, "updated", updated);
	json_set_int(*out, "unchanged", unchanged);
	json_object_set(*out, "days", list);
out:
	rc = tx_end(ctx, rc);
done:
	json_decref(list);
	json_decref(after);
	calendar_day_list_free(&l);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

void calendar_loaded_free(struct calendar_loaded *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->timezone);
	free(c->work_periods);
	free(c->days);
	calendar_zone_free(&c->zone);
	memset(c, 0, sizeof *c);
}

static char *dup_text(const char *s)
{
	return strdup(s ? s : "");
}

int calendar_load(struct nl_ctx *ctx, int64_t id, struct calendar_loaded *out)
{
	struct nl_stmt *st = NULL;
	struct nl_error e = { 0 };
	json_t *periods = NULL;
	size_t alloc = 0;
	memset(out, 0, sizeof *out);
	int rc = db_prepare(ctx->db, "SELECT name, timezone, work_periods, weekdays FROM calendars WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		out->id = id;
		out->name = dup_text(stmt_column_text(st, 0));
		out->timezone = dup_text(stmt_column_text(st, 1));
		out->work_periods = dup_text(stmt_column_text(st, 2));
		out->weekdays = (unsigned)stmt_column_int64(st, 3) & 0x7fu;
	}
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No calendar with id %lld.", (long long)id);
	if (rc < 0)
		goto out;
	rc = 0;
	if (!out->name || !out->timezone || !out->work_periods) {
		rc = NL_ENOMEM;
		goto out;
	}
	periods = json_loads(out->work_periods, 0, NULL);
	if (!periods || periods_from_json(periods, out->cal.periods, &out->cal.nperiods, &e)) {
		NL_LOG(NL_LOG_ERROR, "calendar %lld: stored work periods are not valid", (long long)id);
		rc = NL_EINTERNAL;
		goto out;
	}
	if ((rc = calendar_zone_load(out->timezone, &out->zone))) {
		NL_LOG(NL_LOG_ERROR, "calendar %lld: time zone %s cannot be loaded", (long long)id, out->timezone);
		rc = rc == NL_ENOMEM ? rc : NL_EINTERNAL;
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "SELECT day, kind FROM calendar_days WHERE calendar_id = $1 ORDER BY day", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	size_t n = 0;
	while ((rc = stmt_step(st)) == 1) {
		struct nl_date d;
		if (date_parse(stmt_column_text(st, 0), &d))
			continue;
		if (n == alloc) {
			size_t na = alloc ? alloc * 2 : 64;
			struct nl_bizcal_exception *p = realloc(out->days, na * sizeof *p);
			if (!p) {
				rc = NL_ENOMEM;
				break;
			}
			out->days = p;
			alloc = na;
		}
		const char *kind = stmt_column_text(st, 1);
		out->days[n++] = (struct nl_bizcal_exception){ date_to_days(d),
			kind && !strcmp(kind, "workday") ? NL_BIZCAL_WORKDAY : NL_BIZCAL_HOLIDAY };
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = 0;
	out->cal.zone = out->zone.zone;
	out->cal.weekdays = out->weekdays;
	out->cal.days = out->days;
	out->cal.ndays = n;
	if (bizcal_check(&out->cal)) {
		NL_LOG(NL_LOG_ERROR, "calendar %lld: stored data is not a valid calendar", (long long)id);
		rc = NL_EINTERNAL;
	}
out:
	json_decref(periods);
	if (rc)
		calendar_loaded_free(out);
	return rc;
}
