/* import.c — ticket imports (import.h): a push pipeline file bytes → records (CSV parser / JSON lines / ServiceNow
 * reduction) → rows checked and converted to tickets → batches of 256 looked up in one query, derived (SLA, minutes)
 * and written with cached prepared statements, all in one transaction. */
#include "records/import.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/json.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "kpi/kpi.h"
#include "records/csv.h"
#include "records/servicenow.h"
#include "records/ticket.h"
#include "store/store.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/common.h"

#define BATCH 256
#define MAX_LINE NL_CSV_DEFAULT_MAX_RECORD
#define MAX_UNMAPPED 1000   /* department names reported one by one; tickets of further names are counted together */

/* ---- a small string → int64 hash map (keys copied) ---- */

struct smap_entry {
	char *key;
	size_t n;
	uint64_t h;
	int64_t val;
};
struct smap {
	struct smap_entry *e;
	size_t cap, count;
};

static uint64_t smap_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void smap_free(struct smap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->e[i].key);
	free(m->e);
	memset(m, 0, sizeof *m);
}

static struct smap_entry *smap_slot(const struct smap *m, const char *k, size_t n, uint64_t h)
{
	size_t i = h & (m->cap - 1);
	while (m->e[i].key && !(m->e[i].h == h && m->e[i].n == n && !memcmp(m->e[i].key, k, n)))
		i = (i + 1) & (m->cap - 1);
	return &m->e[i];
}

/* The value of key k (n bytes) in *val; 1 when found. */
static int smap_get(const struct smap *m, const char *k, size_t n, int64_t *val)
{
	if (!m->cap)
		return 0;
	struct smap_entry *e = smap_slot(m, k, n, smap_hash(k, n));
	if (!e->key)
		return 0;
	if (val)
		*val = e->val;
	return 1;
}

/* Sets k → val; *added = 1 when the key is new (may be NULL). 0 or NL_ENOMEM. */
static int smap_put(struct smap *m, const char *k, size_t n, int64_t val, int *added)
{
	if ((m->count + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct smap_entry *ne = calloc(cap, sizeof *ne);
		if (!ne)
			return NL_ENOMEM;
		struct smap old = *m;
		m->e = ne;
		m->cap = cap;
		for (size_t i = 0; i < old.cap; i++)
			if (old.e[i].key)
				*smap_slot(m, old.e[i].key, old.e[i].n, old.e[i].h) = old.e[i];
		free(old.e);
	}
	uint64_t h = smap_hash(k, n);
	struct smap_entry *e = smap_slot(m, k, n, h);
	if (added)
		*added = !e->key;
	if (!e->key) {
		e->key = malloc(n + 1);
		if (!e->key)
			return NL_ENOMEM;
		memcpy(e->key, k, n);
		e->key[n] = '\0';
		e->n = n;
		e->h = h;
		m->count++;
	}
	e->val = val;
	return 0;
}

/* ---- the fields of CSV and JSON lines ---- */

enum field {
	F_EXTERNAL_ID, F_TITLE, F_CHANNEL, F_CATEGORY, F_PRIORITY, F_STATUS, F_DEPARTMENT_ID, F_DEPARTMENT, F_CUSTOMER_ID,
	F_OPENED_AT, F_ASSIGNED_AT, F_FIRST_RESPONSE_AT, F_RESOLVED_AT, F_CLOSED_AT, F_REASSIGNMENT_COUNT, F_REOPEN_COUNT,
	F_SLA_SOURCE_MADE, F_SOURCE, F_N
};
static const char *const field_names[F_N] = {
	"external_id", "title", "channel", "category", "priority", "status", "department_id", "department", "customer_id",
	"opened_at", "assigned_at", "first_response_at", "resolved_at", "closed_at", "reassignment_count", "reopen_count",
	"sla_source_made", "source",
};

static int field_find(const char *name, size_t n)
{
	while (n && (*name == ' ' || *name == '\t'))
		name++, n--;
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	for (int f = 0; f < F_N; f++)
		if (strlen(field_names[f]) == n && !strncasecmp(field_names[f], name, n))
			return f;
	if (n == 8 && !strncasecmp(name, "made_sla", 8))
		return F_SLA_SOURCE_MADE;
	return -1;
}

/* Which stored fields a row carries (on an update, the others keep their values). */
#define P_TITLE (1u << 0)
#define P_CHANNEL (1u << 1)
#define P_CATEGORY (1u << 2)
#define P_STATUS (1u << 3)
#define P_DEPT (1u << 4)
#define P_CUSTOMER (1u << 5)
#define P_ASSIGNED (1u << 6)
#define P_RESPONSE (1u << 7)
#define P_RESOLVED (1u << 8)
#define P_CLOSED (1u << 9)
#define P_REASSIGN (1u << 10)
#define P_REOPEN (1u << 11)
#define P_MADE (1u << 12)

struct pending {
	struct nl_ticket t;                 /* the file's values (strings in the batch arena) */
	int64_t line;
	unsigned present;
	const struct nl_status_change *hist;   /* the file's status history (ServiceNow), in the batch arena */
	size_t nhist;
	int has_hist;
	int skip;                           /* rejected while batching */
	const struct nl_ticket *existing;   /* the stored ticket, or NULL */
	struct nl_status_change *ex_ev;     /* its history */
	size_t nex_ev, aex_ev;
	struct nl_ticket out;               /* a new ticket waiting for the batch's INSERTs */
	int is_new;
};

enum kind { K_CSV, K_JSONL, K_SN };

struct nl_import {
	struct nl_ctx *ctx;
	enum kind kind;
	char format[16];
	char source[72];
	const json_t *mapping;
	struct nl_ticket_env env;
	int64_t id;
	char started_at[24];
	int in_tx;
	int finished;
	int64_t cache_size;                 /* SQLite: the connection's page cache size to restore (0: untouched) */
	int64_t temp_store;                 /* SQLite: the connection's temp_store to restore (-1: untouched) */
	int file_rc;                        /* a file-level error stops everything */
	crypto_hash_sha256_state sha;
	uint64_t bytes;
	/* departments */
	struct smap dept_names;             /* alias, code, name → id */
	struct smap dept_ids;               /* decimal id → id */
	/* reading */
	struct nl_csv csv;
	int header_done;
	int colmap[F_N];
	int sncol[NL_SN_NCOLS];
	char *line;                         /* JSON lines: the current line */
	size_t line_len, line_alloc;
	int64_t line_no;
	int line_too_long;
	int bom_checked;
	struct nl_sn *sn;
	/* the batch */
	struct pending batch[BATCH];
	size_t nbatch;
	struct nl_arena arena;
	struct smap keys;
	/* results */
	int64_t rows_read, tickets, inserted, updated, unchanged, rejected_count, warnings_count;
	json_t *rejected, *warnings;
	struct smap dirty;                  /* "department|day" */
	struct smap unmapped;               /* department names not found → tickets */
	int64_t unmapped_more;              /* tickets of names beyond MAX_UNMAPPED */
	int64_t next_progress;
	void (*progress)(void *user, uint64_t bytes, int64_t rows, int done);
	void *progress_user;
};

static void reject(struct nl_import *im, int64_t line, const char *reason)
{
	if (im->rejected_count++ < NL_IMPORT_MAX_REJECTED) {
		json_t *o = json_object();
		json_set_int(o, "line", line);
		json_set_str(o, "reason", reason);
		json_array_append_new(im->rejected, o);
	}
}

static void warn(struct nl_import *im, int64_t line, const char *message)
{
	if (im->warnings_count++ < NL_IMPORT_MAX_WARNINGS) {
		json_t *o = json_object();
		if (line > 0)
			json_set_int(o, "line", line);
		else
			json_object_set_new(o, "line", json_null());
		json_set_str(o, "message", message);
		json_array_append_new(im->warnings, o);
	}
}

static int file_error(struct nl_import *im, int code, const char *field, const char *msg)
{
	nl_fail(im->ctx->err, code, field, "%s", msg);
	im->file_rc = code;
	return code;
}

/* ---- departments ---- */

static int departments_load(struct nl_import *im)
{
	struct nl_ctx *ctx = im->ctx;
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT id, code, name FROM departments ORDER BY id", &st);
	if (rc)
		return rc;
	/* names first, codes after: a code wins over another department's equal name */
	struct { int64_t id; char *code, *name; } *d = NULL;
	size_t n = 0, cap = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			void *nd = realloc(d, cap * sizeof *d);
			if (!nd) {
				rc = NL_ENOMEM;
				break;
			}
			d = nd;
		}
		d[n].id = stmt_column_int64(st, 0);
		d[n].code = strdup(stmt_column_text(st, 1));
		d[n].name = strdup(stmt_column_text(st, 2));
		n++;
		if (!d[n - 1].code || !d[n - 1].name) {
			rc = NL_ENOMEM;
			break;
		}
	}
	stmt_done(st);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		char idbuf[24];
		int k = snprintf(idbuf, sizeof idbuf, "%lld", (long long)d[i].id);
		if ((rc = smap_put(&im->dept_names, d[i].name, strlen(d[i].name), d[i].id, NULL)) ||
			(rc = smap_put(&im->dept_ids, idbuf, (size_t)k, d[i].id, NULL)))
			break;
	}
	for (size_t i = 0; rc >= 0 && i < n; i++)
		if ((rc = smap_put(&im->dept_names, d[i].code, strlen(d[i].code), d[i].id, NULL)))
			break;
	for (size_t i = 0; i < n; i++) {
		free(d[i].code);
		free(d[i].name);
	}
	free(d);
	if (rc < 0)
		return rc;
	/* aliases: '*' first, the import's source after (it wins) */
	if ((rc = db_prepare(ctx->db, "SELECT name, department_id FROM department_aliases WHERE source = '*' OR source = $1"
				      " ORDER BY CASE WHEN source = '*' THEN 0 ELSE 1 END, name", &st)))
		return rc;
	stmt_bind_text(st, 1, im->source);
	while ((rc = stmt_step(st)) == 1) {
		const char *name = stmt_column_text(st, 0);
		if ((rc = smap_put(&im->dept_names, name, strlen(name), stmt_column_int64(st, 1), NULL)))
			break;
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The department a source names; 0 with the name counted as unmapped when none matches ("" → 0). */
static int department_of(struct nl_import *im, const char *name, int64_t *id)
{
	size_t n = strlen(name);
	*id = 0;
	if (!n || smap_get(&im->dept_names, name, n, id))
		return 0;
	int64_t count = 0;
	if (!smap_get(&im->unmapped, name, n, &count) && im->unmapped.count >= MAX_UNMAPPED) {
		im->unmapped_more++;   /* memory stays bounded however many names a file invents */
		return 0;
	}
	return smap_put(&im->unmapped, name, n, count + 1, NULL);
}

/* ---- values ---- */

static const char *trimmed(const char *s, size_t *n)
{
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	*n = len;
	return s;
}

/* RFC 3339, or a local "YYYY-MM-DD HH:MM[:SS]" (also T or / separators) in the organisation's zone. "" → 0. */
static int parse_time_any(const struct nl_tz *tz, const char *v, int64_t *out)
{
	size_t n;
	const char *s = trimmed(v, &n);
	*out = 0;
	if (!n)
		return 0;
	if (date_timestamp_parse_n(s, n, out) == 0)
		return *out > 0 ? 0 : NL_EVALID;
	/* local time */
	if (n < 16 || n > 19)
		return NL_EVALID;
	char d[11];
	memcpy(d, s, 10);
	d[10] = '\0';
	if (d[4] == '/' && d[7] == '/')
		d[4] = d[7] = '-';
	struct nl_date date;
	if (date_parse(d, &date) || (s[10] != ' ' && s[10] != 'T') || s[13] != ':')
		return NL_EVALID;
	int hh, mi, ss = 0;
	if (s[11] < '0' || s[11] > '9' || s[12] < '0' || s[12] > '9' || s[14] < '0' || s[14] > '9' || s[15] < '0' ||
		s[15] > '9')
		return NL_EVALID;
	hh = (s[11] - '0') * 10 + (s[12] - '0');
	mi = (s[14] - '0') * 10 + (s[15] - '0');
	if (n == 19) {
		if (s[16] != ':' || s[17] < '0' || s[17] > '9' || s[18] < '0' || s[18] > '9')
			return NL_EVALID;
		ss = (s[17] - '0') * 10 + (s[18] - '0');
	} else if (n != 16) {
		return NL_EVALID;
	}
	if (hh > 23 || mi > 59 || ss > 59)
		return NL_EVALID;
	int64_t local = (int64_t)date_to_days(date) * 86400 + hh * 3600 + mi * 60 + ss;
	if (tz_local_to_utc(tz, local, out) || *out <= 0)
		return NL_EVALID;
	return 0;
}

static int parse_count(const char *v, int64_t max, int64_t *out)
{
	size_t n;
	const char *s = trimmed(v, &n);
	*out = 0;
	if (!n)
		return 0;
	int64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return NL_EVALID;
		x = x * 10 + (s[i] - '0');
		if (x > max)
			return NL_EVALID;
	}
	*out = x;
	return 0;
}

static int parse_made(const char *v, int *out)
{
	size_t n;
	const char *s = trimmed(v, &n);
	*out = -1;
	if (!n)
		return 0;
	if ((n == 4 && !strncasecmp(s, "true", 4)) || (n == 1 && s[0] == '1') || (n == 3 && !strncasecmp(s, "yes", 3)))
		return *out = 1, 0;
	if ((n == 5 && !strncasecmp(s, "false", 5)) || (n == 1 && s[0] == '0') || (n == 2 && !strncasecmp(s, "no", 2)))
		return *out = 0, 0;
	return NL_EVALID;
}

static const char *adup(struct nl_import *im, const char *s)
{
	return arena_strdup(&im->arena, s ? s : "");
}

/* Converts one CSV/JSON-lines row (vals[f] NULL when the file has no such field) into a pending ticket of the batch.
 * Returns 0 (queued or rejected: *reason set) or NL_ENOMEM. */
static int row_build(struct nl_import *im, const char *const vals[F_N], int64_t line, char *reason, size_t rlen)
{
	struct pending *p = &im->batch[im->nbatch];
	memset(p, 0, sizeof *p);
	struct nl_ticket *t = &p->t;
	t->sla_source_made = -1;
	p->line = line;
	reason[0] = '\0';
	size_t n;
	const char *ext = trimmed(vals[F_EXTERNAL_ID] ? vals[F_EXTERNAL_ID] : "", &n);
	if (!n)
		return snprintf(reason, rlen, "external_id is empty"), 0;
	if (n > 200)
		return snprintf(reason, rlen, "external_id is longer than 200 characters"), 0;
	if (vals[F_SOURCE]) {
		size_t sn;
		const char *src = trimmed(vals[F_SOURCE], &sn);
		if (sn && (sn != strlen(im->source) || strncmp(src, im->source, sn)))
			return snprintf(reason, rlen, "source \"%.60s\" is not this import's source \"%s\"", src, im->source), 0;
	}
	t->external_id = arena_strndup(&im->arena, ext, n);
	t->priority = sn_priority(vals[F_PRIORITY] ? vals[F_PRIORITY] : "");
	if (!t->priority)
		return snprintf(reason, rlen, "priority \"%.40s\" is not P1, P2, P3 or P4",
			       vals[F_PRIORITY] ? vals[F_PRIORITY] : ""), 0;
	static const struct { enum field f; unsigned bit; size_t max; } texts[] = {
		{ F_TITLE, P_TITLE, 2000 }, { F_CHANNEL, P_CHANNEL, 100 }, { F_CATEGORY, P_CATEGORY, 200 },
	};
	const char **tdst[] = { &t->title, &t->channel, &t->category };
	for (size_t i = 0; i < NL_ARRAY_LEN(texts); i++) {
		const char *v = vals[texts[i].f];
		if (!v)
			continue;
		const char *s = trimmed(v, &n);
		if (n > texts[i].max)
			return snprintf(reason, rlen, "%s is longer than %zu bytes", field_names[texts[i].f], texts[i].max), 0;
		*tdst[i] = arena_strndup(&im->arena, s, n);
		p->present |= texts[i].bit;
	}
	if (vals[F_STATUS]) {
		const char *s = trimmed(vals[F_STATUS], &n);
		if (n) {
			char st[32];
			snprintf(st, sizeof st, "%.*s", (int)(n < 31 ? n : 31), s);
			if (!ticket_status_valid(st) || n > 31)
				return snprintf(reason, rlen, "status \"%.40s\" is not one of new, assigned, in_progress, waiting_customer,"
							      " waiting_vendor, resolved, closed", s), 0;
			t->status = adup(im, st);
			p->present |= P_STATUS;
		}
	}
	if (vals[F_DEPARTMENT_ID] && *trimmed(vals[F_DEPARTMENT_ID], &n)) {
		const char *s = trimmed(vals[F_DEPARTMENT_ID], &n);
		if (!smap_get(&im->dept_ids, s, n, &t->department_id))
			return snprintf(reason, rlen, "department_id %.20s is not a department", s), 0;
		p->present |= P_DEPT;
	} else if (vals[F_DEPARTMENT]) {
		const char *s = trimmed(vals[F_DEPARTMENT], &n);
		char *name = arena_strndup(&im->arena, s, n);
		if (!name || department_of(im, name, &t->department_id))
			return NL_ENOMEM;
		p->present |= P_DEPT;
	} else if (vals[F_DEPARTMENT_ID]) {
		p->present |= P_DEPT;   /* an empty department_id: none */
	}
	if (vals[F_CUSTOMER_ID]) {
		if (parse_count(vals[F_CUSTOMER_ID], INT64_MAX / 16, &t->customer_id))
			return snprintf(reason, rlen, "customer_id \"%.20s\" is not an id", vals[F_CUSTOMER_ID]), 0;
		p->present |= P_CUSTOMER;
	}
	static const struct { enum field f; unsigned bit; } times[] = {
		{ F_OPENED_AT, 0 }, { F_ASSIGNED_AT, P_ASSIGNED }, { F_FIRST_RESPONSE_AT, P_RESPONSE },
		{ F_RESOLVED_AT, P_RESOLVED }, { F_CLOSED_AT, P_CLOSED },
	};
	int64_t *tt[] = { &t->opened_at, &t->assigned_at, &t->first_response_at, &t->resolved_at, &t->closed_at };
	for (size_t i = 0; i < NL_ARRAY_LEN(times); i++) {
		const char *v = vals[times[i].f];
		if (!v)
			continue;
		if (parse_time_any(im->env.tz, v, tt[i]))
			return snprintf(reason, rlen, "%s \"%.40s\" is not a time (2027-03-01T08:00:00Z, or 2027-03-01 16:00 in the"
						      " organisation's time zone)", field_names[times[i].f], v), 0;
		p->present |= times[i].bit;
	}
	if (!t->opened_at)
		return snprintf(reason, rlen, "opened_at is empty"), 0;
	if (vals[F_REASSIGNMENT_COUNT]) {
		if (parse_count(vals[F_REASSIGNMENT_COUNT], 1000000, &t->reassignment_count))
			return snprintf(reason, rlen, "reassignment_count must be a whole number from 0 to 1000000"), 0;
		p->present |= P_REASSIGN;
	}
	if (vals[F_REOPEN_COUNT]) {
		if (parse_count(vals[F_REOPEN_COUNT], 1000000, &t->reopen_count))
			return snprintf(reason, rlen, "reopen_count must be a whole number from 0 to 1000000"), 0;
		p->present |= P_REOPEN;
	}
	if (vals[F_SLA_SOURCE_MADE]) {
		if (parse_made(vals[F_SLA_SOURCE_MADE], &t->sla_source_made))
			return snprintf(reason, rlen, "sla_source_made must be true or false"), 0;
		p->present |= P_MADE;
	}
	if (!t->external_id || (p->present & P_TITLE && !t->title) || (p->present & P_CHANNEL && !t->channel) ||
		(p->present & P_CATEGORY && !t->category) || (p->present & P_STATUS && !t->status))
		return NL_ENOMEM;
	im->nbatch++;
	return 0;
}

/* ---- the batch: lookup, derivation, writes ---- */

static int is_done(const char *status)
{
	return status && (!strcmp(status, "resolved") || !strcmp(status, "closed"));
}

static int events_equal(const struct nl_status_change *a, size_t na, const struct nl_status_change *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (a[i].at != b[i].at || strcmp(a[i].status, b[i].status))
			return 0;
	return 1;
}

/* Remembers (department, day) for kpi_mark_dirty at the end: the key is the department's 8 bytes and the day. */
static int mark(struct nl_import *im, int64_t dept, const char *day)
{
	char key[8 + 10];
	int64_t d = dept > 0 ? dept : 0;
	memcpy(key, &d, 8);
	memcpy(key + 8, day, 10);
	return smap_put(&im->dirty, key, sizeof key, d, NULL);
}

/* Loads the stored tickets of the batch's keys (one query). */
static int batch_lookup(struct nl_import *im)
{
	struct nl_ctx *ctx = im->ctx;
	struct nl_strbuf keys;
	struct nl_stmt *st = NULL;
	int rc = 0, any = 0;
	strbuf_init(&keys, 0);
	strbuf_putc(&keys, '[');
	for (size_t i = 0; i < im->nbatch; i++) {
		if (im->batch[i].skip)
			continue;
		if (any++)
			strbuf_putc(&keys, ',');
		strbuf_json_string(&keys, im->batch[i].t.external_id, strlen(im->batch[i].t.external_id));
	}
	strbuf_putc(&keys, ']');
	if (keys.failed) {
		rc = NL_ENOMEM;
		goto out;
	}
	if (!any)
		goto out;
	const char *sql = db_kind(ctx->db) == NL_STORE_POSTGRES
		/* PostgreSQL: one index probe per key, forced. With `external_id IN (SELECT json_array_elements_text(...))`
		 * and statistics that have not seen this import's rows yet (they are in its own transaction), the planner
		 * scanned every ticket of the source and re-parsed the JSON list for each: quadratic, 3 s per batch of 256
		 * at 20,000 tickets. The LATERAL subquery with OFFSET 0 cannot be flattened, so each key is an index lookup
		 * on (source, external_id). */
		? "SELECT t.* FROM (SELECT DISTINCT v FROM json_array_elements_text(CAST($2 AS JSON)) AS j(v)) AS k"
		  " CROSS JOIN LATERAL (SELECT " NL_TICKET_COLS " FROM tickets WHERE source = $1 AND external_id = k.v OFFSET 0) AS t"
		: "SELECT " NL_TICKET_COLS " FROM tickets WHERE source = $1 AND external_id IN (SELECT value FROM json_each($2))";
	if ((rc = db_prepare(ctx->db, sql, &st)))
		goto out;
	stmt_bind_text(st, 1, im->source);
	stmt_bind_text(st, 2, keys.data);
	while ((rc = stmt_step(st)) == 1) {
		struct nl_ticket *t = arena_alloc(&im->arena, sizeof *t);
		if (!t || ticket_row_read(st, 0, &im->arena, t)) {
			rc = NL_ENOMEM;
			break;
		}
		int64_t idx;
		if (smap_get(&im->keys, t->external_id, strlen(t->external_id), &idx))
			im->batch[idx].existing = t;
	}
	stmt_done(st);
	rc = rc < 0 ? rc : 0;
out:
	strbuf_cleanup(&keys);
	return rc;
}

/* Loads the status history of the batch's stored tickets (one query). */
static int batch_events(struct nl_import *im)
{
	struct nl_ctx *ctx = im->ctx;
	struct nl_strbuf ids;
	struct nl_stmt *st = NULL;
	struct smap byid = { 0 };
	int rc = 0, any = 0;
	strbuf_init(&ids, 0);
	strbuf_putc(&ids, '[');
	for (size_t i = 0; i < im->nbatch; i++) {
		struct pending *p = &im->batch[i];
		if (p->skip || !p->existing)
			continue;
		char k[24];
		int kn = snprintf(k, sizeof k, "%lld", (long long)p->existing->id);
		strbuf_printf(&ids, "%s%s", any++ ? "," : "", k);
		if ((rc = smap_put(&byid, k, (size_t)kn, (int64_t)i, NULL)))
			goto out;
	}
	strbuf_putc(&ids, ']');
	if (ids.failed) {
		rc = NL_ENOMEM;
		goto out;
	}
	if (!any)
		goto out;
	const char *sql = db_kind(ctx->db) == NL_STORE_POSTGRES
		? "SELECT e.ticket_id, e.at, e.status FROM (SELECT DISTINCT CAST(v AS BIGINT) AS v"
		  " FROM json_array_elements_text(CAST($1 AS JSON)) AS j(v)) AS k CROSS JOIN LATERAL"
		  " (SELECT ticket_id, at, status, id FROM ticket_events WHERE ticket_id = k.v OFFSET 0) AS e"
		  " ORDER BY e.ticket_id, e.at, e.id"   /* one index probe per ticket, as for the tickets above */
		: "SELECT ticket_id, at, status FROM ticket_events WHERE ticket_id IN (SELECT value FROM json_each($1))"
		  " ORDER BY ticket_id, at, id";
	if ((rc = db_prepare(ctx->db, sql, &st)))
		goto out;
	stmt_bind_text(st, 1, ids.data);
	while ((rc = stmt_step(st)) == 1) {
		char k[24];
		int kn = snprintf(k, sizeof k, "%lld", (long long)stmt_column_int64(st, 0));
		int64_t idx;
		if (!smap_get(&byid, k, (size_t)kn, &idx))
			continue;
		struct pending *p = &im->batch[idx];
		if (p->nex_ev == p->aex_ev) {
			size_t a = p->aex_ev ? p->aex_ev * 2 : 8;
			struct nl_status_change *ne = arena_alloc(&im->arena, a * sizeof *ne);
			if (!ne) {
				rc = NL_ENOMEM;
				break;
			}
			if (p->nex_ev)
				memcpy(ne, p->ex_ev, p->nex_ev * sizeof *ne);
			p->ex_ev = ne;
			p->aex_ev = a;
		}
		p->ex_ev[p->nex_ev].at = stmt_column_int64(st, 1);
		p->ex_ev[p->nex_ev].status = adup(im, stmt_column_text(st, 2));
		if (!p->ex_ev[p->nex_ev].status) {
			rc = NL_ENOMEM;
			break;
		}
		p->nex_ev++;
	}
	stmt_done(st);
	rc = rc < 0 ? rc : 0;
out:
	smap_free(&byid);
	strbuf_cleanup(&ids);
	return rc;
}

/* Rejects rows naming a customer that does not exist (one query). */
static int batch_customers(struct nl_import *im)
{
	struct nl_ctx *ctx = im->ctx;
	struct nl_strbuf ids;
	struct nl_stmt *st = NULL;
	struct smap found = { 0 };
	int rc = 0, any = 0;
	strbuf_init(&ids, 0);
	strbuf_putc(&ids, '[');
	for (size_t i = 0; i < im->nbatch; i++)
		if (!im->batch[i].skip && im->batch[i].t.customer_id > 0)
			strbuf_printf(&ids, "%s%lld", any++ ? "," : "", (long long)im->batch[i].t.customer_id);
	strbuf_putc(&ids, ']');
	if (ids.failed) {
		rc = NL_ENOMEM;
		goto out;
	}
	if (!any)
		goto out;
	const char *sql = db_kind(ctx->db) == NL_STORE_POSTGRES
		? "SELECT c.id FROM (SELECT DISTINCT CAST(v AS BIGINT) AS v FROM json_array_elements_text(CAST($1 AS JSON)) AS j(v)) AS k"
		  " CROSS JOIN LATERAL (SELECT id FROM customers WHERE id = k.v OFFSET 0) AS c"
		: "SELECT id FROM customers WHERE id IN (SELECT value FROM json_each($1))";
	if ((rc = db_prepare(ctx->db, sql, &st)))
		goto out;
	stmt_bind_text(st, 1, ids.data);
	while ((rc = stmt_step(st)) == 1) {
		char k[24];
		int kn = snprintf(k, sizeof k, "%lld", (long long)stmt_column_int64(st, 0));
		if ((rc = smap_put(&found, k, (size_t)kn, 1, NULL)))
			break;
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < im->nbatch; i++) {
		struct pending *p = &im->batch[i];
		if (p->skip || p->t.customer_id <= 0)
			continue;
		char k[24], reason[96];
		int kn = snprintf(k, sizeof k, "%lld", (long long)p->t.customer_id);
		if (!smap_get(&found, k, (size_t)kn, NULL)) {
			snprintf(reason, sizeof reason, "customer_id %lld is not a customer", (long long)p->t.customer_id);
			reject(im, p->line, reason);
			p->skip = 1;
		}
	}
out:
	smap_free(&found);
	strbuf_cleanup(&ids);
	return rc;
}

/* Merges, derives and writes one row of the batch. */
static int batch_row(struct nl_import *im, struct pending *p, const char *now)
{
	struct nl_ctx *ctx = im->ctx;
	const struct nl_ticket *ex = p->existing;
	const struct nl_ticket *in = &p->t;
	struct nl_ticket t;
	char msg[400];
	int rc;
	if (ex && ex->import_id == im->id) {
		snprintf(msg, sizeof msg, "external_id \"%.80s\" appears more than once in the file", in->external_id);
		reject(im, p->line, msg);
		return 0;
	}
	if (ex) {
		t = *ex;
	} else {
		memset(&t, 0, sizeof t);
		t.title = t.channel = t.category = "";
		t.sla_source_made = -1;
	}
	t.source = im->source;
	t.external_id = in->external_id;
	t.priority = in->priority;
	t.opened_at = in->opened_at;
	unsigned pr = p->present;
	if (pr & P_TITLE)
		t.title = in->title;
	if (pr & P_CHANNEL)
		t.channel = in->channel;
	if (pr & P_CATEGORY)
		t.category = in->category;
	if (pr & P_DEPT)
		t.department_id = in->department_id;
	if (pr & P_CUSTOMER)
		t.customer_id = in->customer_id;
	if (pr & P_ASSIGNED)
		t.assigned_at = in->assigned_at;
	if (pr & P_RESPONSE)
		t.first_response_at = in->first_response_at;
	if (pr & P_RESOLVED)
		t.resolved_at = in->resolved_at;
	if (pr & P_CLOSED)
		t.closed_at = in->closed_at;
	if (pr & P_REASSIGN)
		t.reassignment_count = in->reassignment_count;
	if (pr & P_REOPEN)
		t.reopen_count = in->reopen_count;
	if (pr & P_MADE)
		t.sla_source_made = in->sla_source_made;
	if (pr & P_STATUS)
		t.status = in->status;
	else if (t.closed_at)
		t.status = "closed";
	else if (t.resolved_at)
		t.status = "resolved";
	else if (ex && !is_done(ex->status) && strcmp(ex->status, "new"))
		t.status = ex->status;
	else
		t.status = t.assigned_at ? "assigned" : "new";
	t.import_id = im->id;
	const struct nl_status_change *ev = p->has_hist ? p->hist : p->ex_ev;
	size_t nev = p->has_hist ? p->nhist : p->nex_ev;
	unsigned w = 0;
	nl_error_clear(ctx->err);
	if ((rc = ticket_derive(ctx, &t, &im->env, ev, nev, &w))) {
		if (rc != NL_EVALID)
			return rc;
		snprintf(msg, sizeof msg, "%s", ctx->err->message);
		nl_error_clear(ctx->err);
		reject(im, p->line, msg);
		return 0;
	}
	if (w) {
		json_t *a = json_array();
		ticket_warnings_append(a, w);
		size_t i;
		json_t *s;
		json_array_foreach(a, i, s)
		{
			snprintf(msg, sizeof msg, "%s: %s", t.external_id, json_string_value(s));
			warn(im, p->line, msg);
		}
		json_decref(a);
	}
	if (ex) {
		int same_events = !p->has_hist || events_equal(p->ex_ev, p->nex_ev, p->hist, p->nhist);
		if (ticket_row_same(ex, &t) && same_events) {
			im->unchanged++;
			return 0;
		}
		t.id = ex->id;
		if ((rc = ticket_row_update(ctx, &t, now)))
			return rc;
		if (!same_events && (rc = ticket_events_replace(ctx, t.id, p->hist, p->nhist, "import", ctx->actor_name)))
			return rc;
		im->updated++;
		if ((rc = mark(im, ex->department_id, ex->opened_day)))
			return rc;
		return mark(im, t.department_id, t.opened_day);
	}
	p->out = t;   /* inserted with the batch's other new tickets */
	p->is_new = 1;
	return 0;
}

/* Inserts the batch's new tickets, NL_TICKET_INSERT_MAX rows a statement, then their histories. */
static int batch_insert(struct nl_import *im, const char *now)
{
	struct nl_ctx *ctx = im->ctx;
	const struct nl_ticket *rows[NL_TICKET_INSERT_MAX];
	struct pending *ps[NL_TICKET_INSERT_MAX];
	int64_t ids[NL_TICKET_INSERT_MAX];
	size_t n = 0;
	int rc = 0, hist = 0;
	for (size_t i = 0; i <= im->nbatch && !rc; i++) {
		struct pending *p = i < im->nbatch ? &im->batch[i] : NULL;
		if (p && p->is_new) {
			ps[n] = p;
			rows[n++] = &p->out;
			hist |= p->has_hist;
		}
		if (n && (n == NL_TICKET_INSERT_MAX || !p)) {
			if ((rc = ticket_rows_insert(ctx, rows, n, now, hist ? ids : NULL)))
				break;
			for (size_t k = 0; k < n && !rc; k++) {
				if (ps[k]->has_hist && ps[k]->nhist)
					rc = ticket_events_replace(ctx, ids[k], ps[k]->hist, ps[k]->nhist, "import", ctx->actor_name);
				if (!rc)
					rc = mark(im, ps[k]->out.department_id, ps[k]->out.opened_day);
				im->inserted++;
			}
			n = 0;
			hist = 0;
		}
	}
	return rc;
}

static int flush(struct nl_import *im)
{
	int rc = 0;
	char now[24], msg[300];
	if (!im->nbatch)
		return 0;
	/* the same key twice within the batch (across batches: import_id tells) */
	for (size_t i = 0; i < im->nbatch; i++) {
		struct pending *p = &im->batch[i];
		const char *k = p->t.external_id;
		int64_t first;
		if (smap_get(&im->keys, k, strlen(k), &first)) {
			snprintf(msg, sizeof msg, "external_id \"%.80s\" appears more than once in the file (also on line %lld)", k,
				(long long)im->batch[first].line);
			reject(im, p->line, msg);
			p->skip = 1;
		} else if ((rc = smap_put(&im->keys, k, strlen(k), (int64_t)i, NULL))) {
			goto out;
		}
	}
	if ((rc = batch_lookup(im)) || (rc = batch_customers(im)) || (rc = batch_events(im)))
		goto out;
	audit_now_rfc3339(now);
	for (size_t i = 0; i < im->nbatch && !rc; i++)
		if (!im->batch[i].skip)
			rc = batch_row(im, &im->batch[i], now);
	if (!rc)
		rc = batch_insert(im, now);
out:
	smap_free(&im->keys);
	arena_cleanup(&im->arena);
	arena_init(&im->arena, 0);
	im->nbatch = 0;
	return rc;
}

/* ---- reading: CSV, ServiceNow, JSON lines ---- */

static void progress(struct nl_import *im, int done)
{
	if (im->progress)
		im->progress(im->progress_user, im->bytes, im->rows_read, done);
}

/* Finds the header cell equal (trimmed, case-insensitively) to name; -1 when none. */
static int header_find(const struct nl_csv_record *rec, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < rec->nfields; i++) {
		size_t m;
		const char *h = trimmed(rec->fields[i], &m);
		if (m == n && !strncasecmp(h, name, n))
			return (int)i;
	}
	return -1;
}

static int csv_header(struct nl_import *im, const struct nl_csv_record *rec)
{
	char msg[600];
	if (rec->error) {
		snprintf(msg, sizeof msg, "line %lld (the header): %s", (long long)rec->line, csv_error_message(rec->error));
		return file_error(im, NL_EVALID, "file", msg);
	}
	if (im->kind == K_SN) {
		struct nl_strbuf miss;
		strbuf_init(&miss, 0);
		for (int c = 0; c < NL_SN_NCOLS; c++) {
			im->sncol[c] = header_find(rec, nl_sn_col_names[c]);
			if (im->sncol[c] < 0 && sn_col_required((enum nl_sn_col)c))
				strbuf_printf(&miss, "%s%s", miss.len ? ", " : "", nl_sn_col_names[c]);
		}
		if (miss.len) {
			snprintf(msg, sizeof msg, "the file is not a ServiceNow incident event log: it has no column %s",
				miss.data ? miss.data : "");
			strbuf_cleanup(&miss);
			return file_error(im, NL_EVALID, "file", msg);
		}
		strbuf_cleanup(&miss);
		return 0;
	}
	for (int f = 0; f < F_N; f++)
		im->colmap[f] = -1;
	for (size_t i = 0; i < rec->nfields; i++) {
		int f = field_find(rec->fields[i], rec->lengths[i]);
		if (f < 0)
			continue;
		if (im->colmap[f] >= 0) {
			snprintf(msg, sizeof msg, "the header has two columns for %s", field_names[f]);
			return file_error(im, NL_EVALID, "file", msg);
		}
		im->colmap[f] = (int)i;
	}
	if (im->mapping) {
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)im->mapping, key, v)
		{
			int f = field_find(key, strlen(key));
			int col = header_find(rec, json_string_value(v));
			if (col < 0) {
				snprintf(msg, sizeof msg, "mapping: the file has no column \"%.200s\" (for %s)", json_string_value(v),
					field_names[f]);
				return file_error(im, NL_EVALID, "mapping", msg);
			}
			for (int g = 0; g < F_N; g++)   /* the column now means f only */
				if (im->colmap[g] == col)
					im->colmap[g] = -1;
			im->colmap[f] = col;
		}
	}
	static const enum field required[] = { F_EXTERNAL_ID, F_PRIORITY, F_OPENED_AT };
	struct nl_strbuf miss;
	strbuf_init(&miss, 0);
	for (size_t i = 0; i < NL_ARRAY_LEN(required); i++)
		if (im->colmap[required[i]] < 0)
			strbuf_printf(&miss, "%s%s", miss.len ? ", " : "", field_names[required[i]]);
	if (miss.len) {
		snprintf(msg, sizeof msg, "the file has no column for %s: name the columns so in the header, or map them"
					  " (mapping={\"%s\":\"Your header\"})", miss.data ? miss.data : "",
			field_names[im->colmap[F_EXTERNAL_ID] < 0 ? F_EXTERNAL_ID : im->colmap[F_PRIORITY] < 0 ? F_PRIORITY
												    : F_OPENED_AT]);
		strbuf_cleanup(&miss);
		return file_error(im, NL_EVALID, "file", msg);
	}
	strbuf_cleanup(&miss);
	return 0;
}

static int csv_record(void *user, const struct nl_csv_record *rec)
{
	struct nl_import *im = user;
	char reason[400];
	int rc;
	if (!im->header_done) {
		im->header_done = 1;
		return csv_header(im, rec);
	}
	im->rows_read++;
	if (im->rows_read >= im->next_progress) {
		im->next_progress = im->rows_read + 8192;
		im->bytes = im->csv.bytes;
		progress(im, 0);
	}
	if (rec->error) {
		reject(im, rec->line, csv_error_message(rec->error));
		return 0;
	}
	if (im->kind == K_SN) {
		const char *vals[NL_SN_NCOLS];
		for (int c = 0; c < NL_SN_NCOLS; c++)
			vals[c] = im->sncol[c] < 0 ? NULL : (size_t)im->sncol[c] < rec->nfields ? rec->fields[im->sncol[c]] : "";
		rc = sn_add(im->sn, vals, rec->line, im->env.tz, reason, sizeof reason);
		if (rc == NL_EVALID) {
			reject(im, rec->line, reason);
			return 0;
		}
		if (rc == NL_ETOOLARGE)
			return file_error(im, NL_ETOOLARGE, "file", reason);
		return rc;
	}
	const char *vals[F_N];
	for (int f = 0; f < F_N; f++)
		vals[f] = im->colmap[f] < 0 ? NULL : (size_t)im->colmap[f] < rec->nfields ? rec->fields[im->colmap[f]] : "";
	if ((rc = row_build(im, vals, rec->line, reason, sizeof reason)))
		return rc;
	if (reason[0]) {
		reject(im, rec->line, reason);
		return 0;
	}
	return im->nbatch == BATCH ? flush(im) : 0;
}

/* One line of a JSON-lines file. */
static int jsonl_line(struct nl_import *im, const char *s, size_t n, int64_t line)
{
	char reason[400];
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n)
		return 0;   /* blank line */
	im->rows_read++;
	if (im->rows_read >= im->next_progress) {
		im->next_progress = im->rows_read + 8192;
		progress(im, 0);
	}
	if (!csv_utf8_valid(s, n)) {
		reject(im, line, csv_error_message(NL_CSV_NOT_UTF8));
		return 0;
	}
	json_error_t je;
	json_t *o = json_loadb(s + i, n - i, JSON_REJECT_DUPLICATES, &je);
	if (!o || !json_is_object(o)) {
		snprintf(reason, sizeof reason, "not a JSON object%s%s", o ? "" : ": ", o ? "" : je.text);
		json_decref(o);
		reject(im, line, reason);
		return 0;
	}
	const char *vals[F_N] = { 0 };
	char *bufs[F_N] = { 0 };
	int rc = 0;
	reason[0] = '\0';
	for (int f = 0; f < F_N && !reason[0]; f++) {
		const char *key = field_names[f];
		if (im->mapping && json_object_get(im->mapping, field_names[f]))
			key = json_string_value(json_object_get(im->mapping, field_names[f]));
		json_t *v = json_object_get(o, key);
		if (!v && f == F_SLA_SOURCE_MADE && !(im->mapping && json_object_get(im->mapping, key)))
			v = json_object_get(o, "made_sla");
		if (!v)
			continue;
		char num[40];
		if (json_is_string(v))
			vals[f] = json_string_value(v);
		else if (json_is_null(v))
			vals[f] = "";
		else if (json_is_true(v))
			vals[f] = "true";
		else if (json_is_false(v))
			vals[f] = "false";
		else if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
			vals[f] = bufs[f] = strdup(num);
			if (!bufs[f])
				rc = NL_ENOMEM;
		} else
			snprintf(reason, sizeof reason, "%s must be a string, a whole number, true, false or null", key);
	}
	if (!rc && !reason[0])
		rc = row_build(im, vals, line, reason, sizeof reason);
	for (int f = 0; f < F_N; f++)
		free(bufs[f]);
	json_decref(o);
	if (rc)
		return rc;
	if (reason[0]) {
		reject(im, line, reason);
		return 0;
	}
	return im->nbatch == BATCH ? flush(im) : 0;
}

static int jsonl_feed(struct nl_import *im, const char *d, size_t n)
{
	size_t i = 0;
	if (!im->bom_checked && im->line_len + n >= 3) {
		/* a byte-order mark at the very start (the first chunk is at least 3 bytes in practice; a shorter first
		 * chunk is buffered as part of the line and checked when the line ends) */
		im->bom_checked = 1;
		if (im->line_len == 0 && n >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
			i = 3;
	}
	while (i < n) {
		const char *nl = memchr(d + i, '\n', n - i);
		size_t k = nl ? (size_t)(nl - (d + i)) : n - i;
		if (!im->line_too_long) {
			if (im->line_len + k > MAX_LINE) {
				im->line_too_long = 1;
			} else if (k) {   /* an empty piece: nothing to copy (im->line may still be NULL; fuzz/fuzz_import) */
				if (im->line_len + k > im->line_alloc) {
					size_t a = im->line_alloc ? im->line_alloc : 4096;
					while (a < im->line_len + k)
						a *= 2;
					char *nb = realloc(im->line, a);
					if (!nb)
						return NL_ENOMEM;
					im->line = nb;
					im->line_alloc = a;
				}
				memcpy(im->line + im->line_len, d + i, k);
				im->line_len += k;
			}
		}
		i += k;
		if (!nl)
			break;
		i++;   /* the '\n' */
		im->line_no++;
		int rc = 0;
		if (im->line_too_long) {
			im->rows_read++;
			reject(im, im->line_no, csv_error_message(NL_CSV_TOO_LONG));
		} else {
			const char *s = im->line;
			size_t len = im->line_len;
			if (im->line_no == 1 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
				s += 3, len -= 3;
			rc = jsonl_line(im, s ? s : "", len, im->line_no);
		}
		im->line_len = 0;
		im->line_too_long = 0;
		if (rc)
			return rc;
	}
	return 0;
}

/* Sorts [{"line",...}] by line, keeping the order of equal lines (rejections are found in several passes). */
struct line_item {
	json_t *v;
	json_int_t line;
	size_t index;
};

static int line_item_cmp(const void *a, const void *b)
{
	const struct line_item *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void json_array_sort_by_line(json_t *a)
{
	size_t n = json_array_size(a);
	struct line_item *p = n > 1 ? malloc(n * sizeof *p) : NULL;
	if (!p)
		return;
	for (size_t i = 0; i < n; i++) {
		p[i].v = json_incref(json_array_get(a, i));
		p[i].line = json_integer_value(json_object_get(p[i].v, "line"));
		p[i].index = i;
	}
	qsort(p, n, sizeof *p, line_item_cmp);
	json_array_clear(a);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, p[i].v);
	free(p);
}

/* ---- the import ---- */

static int options_check(struct nl_ctx *ctx, const struct nl_import_options *o, enum kind *kind)
{
	if (!o->format || (strcmp(o->format, "csv") && strcmp(o->format, "jsonl") && strcmp(o->format, "servicenow")))
		return nl_fail(ctx->err, NL_EVALID, "format", "format must be csv, jsonl or servicenow.");
	*kind = !strcmp(o->format, "csv") ? K_CSV : !strcmp(o->format, "jsonl") ? K_JSONL : K_SN;
	if (o->source && *o->source) {
		size_t n = strlen(o->source);
		if (n > 64)
			return nl_fail(ctx->err, NL_EVALID, "source", "source must be at most 64 characters.");
		for (size_t i = 0; i < n; i++) {
			char c = o->source[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
				    c == '.'))
				return nl_fail(ctx->err, NL_EVALID, "source", "source may hold letters, digits, '-', '_' and '.' only.");
		}
	}
	if (o->mapping) {
		if (*kind == K_SN)
			return nl_fail(ctx->err, NL_EVALID, "mapping", "A mapping applies to csv and jsonl files only.");
		if (!json_is_object(o->mapping))
			return nl_fail(ctx->err, NL_EVALID, "mapping", "mapping must be a JSON object {\"field\": \"Header name\"}.");
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)o->mapping, key, v)
		{
			int f = field_find(key, strlen(key));
			if (f < 0 || strcmp(field_names[f], key))
				return nl_fail(ctx->err, NL_EVALID, "mapping", "mapping: \"%.60s\" is not a ticket field (external_id,"
										" title, channel, category, priority, status, department_id, department,"
										" customer_id, opened_at, assigned_at, first_response_at, resolved_at,"
										" closed_at, reassignment_count, reopen_count, sla_source_made).", key);
			if (!json_is_string(v) || !*json_string_value(v))
				return nl_fail(ctx->err, NL_EVALID, "mapping", "mapping: the column for %s must be a header name.", key);
		}
	}
	return 0;
}

/* Reads an integer PRAGMA into *v. */
static int pragma_get(struct nl_db *db, const char *sql, int64_t *v)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	rc = stmt_step(st);
	*v = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* SQLite, for the import's transaction: a 64 MiB page cache (the default 2 MiB spills pages to the WAL long before the
 * commit) and statement journals in memory (each multi-row INSERT keeps one; in a temporary file that is four writes a
 * row). The former values are restored by import_free. */
static int sqlite_tune(struct nl_import *im)
{
	int64_t cache = 0, temp = 0;
	int rc = pragma_get(im->ctx->db, "PRAGMA cache_size", &cache);
	if (rc || (rc = pragma_get(im->ctx->db, "PRAGMA temp_store", &temp)))
		return rc;
	im->cache_size = cache ? cache : -2000;
	im->temp_store = temp;
	return db_exec(im->ctx->db, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY");
}

int import_begin(struct nl_ctx *ctx, const struct nl_import_options *o, struct nl_import **out)
{
	enum kind kind = K_CSV;
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = options_check(ctx, o, &kind);
	if (rc)
		return rc;
	struct nl_import *im = calloc(1, sizeof *im);
	if (!im)
		return NL_ENOMEM;
	im->ctx = ctx;
	im->kind = kind;
	snprintf(im->format, sizeof im->format, "%s", o->format);
	snprintf(im->source, sizeof im->source, "%s", o->source && *o->source ? o->source : kind == K_SN ? "servicenow" : "import");
	im->mapping = o->mapping;
	im->progress = o->progress;
	im->progress_user = o->progress_user;
	im->next_progress = 8192;
	im->temp_store = -1;
	im->rejected = json_array();
	im->warnings = json_array();
	arena_init(&im->arena, 0);
	crypto_hash_sha256_init(&im->sha);
	audit_now_rfc3339(im->started_at);
	if (kind != K_JSONL)
		csv_init(&im->csv, 0, csv_record, im);
	if (kind == K_SN && (rc = sn_new(&im->sn)))
		goto fail;
	if ((rc = ticket_env_load(ctx, &im->env)) || (rc = departments_load(im)))
		goto fail;
	if (db_kind(ctx->db) == NL_STORE_SQLITE && (rc = sqlite_tune(im)))
		goto fail;
	if ((rc = db_begin(ctx->db)))
		goto fail;
	im->in_tx = 1;
	if ((rc = db_prepare(ctx->db, "INSERT INTO imports (source, format, status, by_user_id, started_at)"
				      " VALUES ($1, $2, 'running', $3, $4) RETURNING id", &st)))
		goto fail;
	stmt_bind_text(st, 1, im->source);
	stmt_bind_text(st, 2, im->format);
	if (ctx->actor)
		stmt_bind_int64(st, 3, ctx->actor->id);
	else
		stmt_bind_null(st, 3);
	stmt_bind_text(st, 4, im->started_at);
	rc = stmt_step(st);
	im->id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		goto fail;
	*out = im;
	return 0;
fail:
	import_free(im);
	return rc;
}

int import_feed(struct nl_import *im, const void *data, size_t n)
{
	if (im->file_rc)
		return im->file_rc;
	crypto_hash_sha256_update(&im->sha, data, n);
	int rc;
	if (im->kind == K_JSONL) {
		im->bytes += n;
		rc = jsonl_feed(im, data, n);
	} else {
		rc = csv_feed(&im->csv, data, n);
		im->bytes = im->csv.bytes;
	}
	if (rc && !im->file_rc)
		im->file_rc = rc;
	return rc;
}

/* Builds a pending ticket from a reduced ServiceNow incident. */
static int sn_pending(struct nl_import *im, const struct nl_sn_incident *in)
{
	struct pending *p = &im->batch[im->nbatch];
	memset(p, 0, sizeof *p);
	struct nl_ticket *t = &p->t;
	p->line = in->line;
	t->external_id = adup(im, in->number);
	t->priority = in->priority;
	t->title = adup(im, in->values[NL_SN_SHORT_DESCRIPTION]);
	t->channel = adup(im, in->values[NL_SN_CONTACT_TYPE]);
	t->category = adup(im, in->values[NL_SN_CATEGORY]);
	t->opened_at = in->opened_at;
	t->assigned_at = in->assigned_at;
	t->first_response_at = in->first_response_at;
	t->resolved_at = in->resolved_at;
	t->closed_at = in->closed_at;
	t->reassignment_count = in->reassignment_count;
	t->reopen_count = in->reopen_count;
	t->sla_source_made = in->made_sla;
	p->present = P_RESPONSE | P_RESOLVED | P_CLOSED | P_REASSIGN | P_REOPEN | P_MADE;
	if (im->sncol[NL_SN_SHORT_DESCRIPTION] >= 0)
		p->present |= P_TITLE;
	if (im->sncol[NL_SN_CONTACT_TYPE] >= 0)
		p->present |= P_CHANNEL;
	if (im->sncol[NL_SN_CATEGORY] >= 0)
		p->present |= P_CATEGORY;
	if (im->sncol[NL_SN_ASSIGNED_TO] >= 0)
		p->present |= P_ASSIGNED;
	if (in->state_status) {
		t->status = in->state_status;
		p->present |= P_STATUS;
	}
	if (im->sncol[NL_SN_GROUP] >= 0) {
		const char *g = adup(im, in->values[NL_SN_GROUP]);
		if (!g || department_of(im, g, &t->department_id))
			return NL_ENOMEM;
		p->present |= P_DEPT;
	}
	struct nl_status_change *h = in->nhistory ? arena_alloc(&im->arena, in->nhistory * sizeof *h) : NULL;
	if (in->nhistory && !h)
		return NL_ENOMEM;
	if (in->nhistory)
		memcpy(h, in->history, in->nhistory * sizeof *h);   /* the statuses are static strings */
	p->hist = h;
	p->nhist = in->nhistory;
	p->has_hist = 1;
	if (!t->external_id || !t->title || !t->channel || !t->category)
		return NL_ENOMEM;
	im->nbatch++;
	return 0;
}

/* The import's counts for the audit row and the imports row. */
static json_t *summary_json(struct nl_import *im, const char *status, const char *sha)
{
	json_t *o = json_object();
	json_set_str(o, "source", im->source);
	json_set_str(o, "format", im->format);
	json_set_str(o, "status", status);
	json_set_str(o, "file_sha256", sha);
	json_set_int(o, "rows_read", im->rows_read);
	json_set_int(o, "tickets", im->tickets);
	json_set_int(o, "inserted", im->inserted);
	json_set_int(o, "updated", im->updated);
	json_set_int(o, "unchanged", im->unchanged);
	json_set_int(o, "rejected_count", im->rejected_count);
	json_set_int(o, "warnings_count", im->warnings_count);
	return o;
}

/* Writes the imports row's final state: an UPDATE of the running row (done) or an INSERT (failed, after the rollback). */
static int imports_row_write(struct nl_import *im, const char *status, const char *sha, int insert)
{
	struct nl_ctx *ctx = im->ctx;
	struct nl_stmt *st = NULL;
	char fin[24];
	audit_now_rfc3339(fin);
	char *rej = json_dumps(im->rejected, JSON_COMPACT), *wrn = json_dumps(im->warnings, JSON_COMPACT);
	int rc = NL_ENOMEM;
	if (!rej || !wrn)
		goto out;
	/* $1..$13 are the same in both statements */
	if (insert)
		rc = db_prepare(ctx->db, "INSERT INTO imports (status, file_sha256, rows_read, tickets, inserted, updated, unchanged,"
					 " rejected, rejected_count, warnings, warnings_count, finished_at, source, format,"
					 " by_user_id, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
					 " $15, $16) RETURNING id", &st);
	else
		rc = db_prepare(ctx->db, "UPDATE imports SET status = $1, file_sha256 = $2, rows_read = $3, tickets = $4,"
					 " inserted = $5, updated = $6, unchanged = $7, rejected = $8, rejected_count = $9,"
					 " warnings = $10, warnings_count = $11, finished_at = $12 WHERE id = $13", &st);
	if (rc)
		goto out;
	stmt_bind_text(st, 1, status);
	stmt_bind_text(st, 2, sha);
	stmt_bind_int64(st, 3, im->rows_read);
	stmt_bind_int64(st, 4, im->tickets);
	stmt_bind_int64(st, 5, im->inserted);
	stmt_bind_int64(st, 6, im->updated);
	stmt_bind_int64(st, 7, im->unchanged);
	stmt_bind_text(st, 8, rej);
	stmt_bind_int64(st, 9, im->rejected_count);
	stmt_bind_text(st, 10, wrn);
	stmt_bind_int64(st, 11, im->warnings_count);
	stmt_bind_text(st, 12, fin);
	if (insert) {
		stmt_bind_text(st, 13, im->source);
		stmt_bind_text(st, 14, im->format);
		if (ctx->actor)
			stmt_bind_int64(st, 15, ctx->actor->id);
		else
			stmt_bind_null(st, 15);
		stmt_bind_text(st, 16, im->started_at);
	} else {
		stmt_bind_int64(st, 13, im->id);
	}
	rc = stmt_step(st);
	if (insert && rc == 1)
		im->id = stmt_column_int64(st, 0);
	stmt_done(st);
	rc = rc < 0 ? rc : 0;
out:
	free(rej);
	free(wrn);
	return rc;
}

int import_finish(struct nl_import *im, json_t **report)
{
	struct nl_ctx *ctx = im->ctx;
	char reason[400];
	*report = NULL;
	int rc = im->file_rc;
	if (rc)
		return rc;
	if (im->kind == K_JSONL) {
		if (im->line_len || im->line_too_long) {   /* the last line had no '\n' */
			if ((rc = jsonl_feed(im, "\n", 1)))
				return rc;
		}
		if (!im->line_no)
			return file_error(im, NL_EVALID, "file", "the file is empty");
	} else {
		if ((rc = csv_finish(&im->csv)))
			return im->file_rc ? im->file_rc : rc;
		im->bytes = im->csv.bytes;
		if (!im->header_done)
			return file_error(im, NL_EVALID, "file", "the file is empty (not even a header line)");
	}
	progress(im, 1);
	if (im->kind == K_SN) {
		size_t n = sn_count(im->sn);
		for (size_t i = 0; i < n; i++) {
			struct nl_sn_incident in;
			rc = sn_incident(im->sn, i, im->env.tz, &in, reason, sizeof reason);
			if (rc == NL_EVALID) {
				reject(im, in.line, reason);
				continue;
			}
			if (rc || (rc = sn_pending(im, &in)) || (im->nbatch == BATCH && (rc = flush(im))))
				return rc;
		}
		im->tickets = (int64_t)n;
	}
	if ((rc = flush(im)))
		return rc;
	if (im->kind != K_SN)
		im->tickets = im->rows_read;
	/* unmapped departments: one warning per name */
	for (size_t i = 0; i < im->unmapped.cap; i++) {
		const struct smap_entry *e = &im->unmapped.e[i];
		if (!e->key)
			continue;
		snprintf(reason, sizeof reason, "%s \"%.100s\" is not a department (code, name or alias): %lld ticket%s without"
						" a department; map it with PUT /api/v1/department-aliases",
			im->kind == K_SN ? "assignment_group" : "department", e->key, (long long)e->val, e->val == 1 ? "" : "s");
		warn(im, 0, reason);
	}
	if (im->unmapped_more) {
		snprintf(reason, sizeof reason, "%lld more tickets name departments that are not departments (more than %d"
						" different names): imported without a department", (long long)im->unmapped_more,
			MAX_UNMAPPED);
		warn(im, 0, reason);
	}
	unsigned char digest[crypto_hash_sha256_BYTES];
	char sha[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256_final(&im->sha, digest);
	sodium_bin2hex(sha, sizeof sha, digest, sizeof digest);
	json_array_sort_by_line(im->rejected);
	const char *status = im->rejected_count ? "failed" : "done";
	json_t *sum = NULL;
	if (im->rejected_count) {
		/* all or nothing: drop every ticket written, keep the report */
		db_rollback(ctx->db);
		im->in_tx = 0;
		im->inserted = im->updated = im->unchanged = 0;
		if ((rc = db_begin(ctx->db)))
			return rc;
		im->in_tx = 1;
		if (!(rc = imports_row_write(im, status, sha, 1))) {
			sum = summary_json(im, status, sha);
			rc = audit_append(ctx, "import", "import", im->id, NULL, sum);
		}
	} else {
		/* the measures engine's dirty pairs, many per statement (one round trip per pair is what made imports into
		 * PostgreSQL slow: 14,600 pairs for two years of 20 departments) */
		size_t nd = 0;
		int64_t *depts = malloc((im->dirty.cap + 1) * sizeof *depts);
		char (*days)[11] = malloc((im->dirty.cap + 1) * sizeof *days);
		const char **dayp = malloc((im->dirty.cap + 1) * sizeof *dayp);
		if (!depts || !days || !dayp)
			rc = nl_fail(ctx->err, NL_ENOMEM, NULL, "Out of memory.");
		for (size_t i = 0; i < im->dirty.cap && !rc; i++) {
			const struct smap_entry *e = &im->dirty.e[i];
			if (!e->key)
				continue;
			memcpy(days[nd], e->key + 8, 10);
			days[nd][10] = '\0';
			depts[nd] = e->val;
			dayp[nd] = days[nd];
			nd++;
		}
		if (!rc)
			rc = kpi_mark_dirty_many(ctx, nd, depts, dayp);
		free(depts);
		free(days);
		free(dayp);
		if (!rc && !(rc = imports_row_write(im, status, sha, 0))) {
			sum = summary_json(im, status, sha);
			rc = audit_append(ctx, "import", "import", im->id, NULL, sum);
		}
	}
	json_decref(sum);
	im->in_tx = 0;
	if ((rc = tx_end(ctx, rc)))
		return rc;
	im->finished = 1;
	return import_get(ctx, im->id, report);
}

void import_free(struct nl_import *im)
{
	if (!im)
		return;
	if (im->in_tx)
		db_rollback(im->ctx->db);
	if (im->cache_size && im->temp_store >= 0) {
		char pragma[96];
		snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %lld; PRAGMA temp_store = %lld", (long long)im->cache_size,
			(long long)im->temp_store);
		if (db_exec(im->ctx->db, pragma) != 0)
			NL_LOG(NL_LOG_WARN, "import: the connection's cache_size and temp_store could not be restored");
	}
	if (im->kind != K_JSONL)
		csv_cleanup(&im->csv);
	sn_free(im->sn);
	ticket_env_cleanup(&im->env);
	smap_free(&im->dept_names);
	smap_free(&im->dept_ids);
	smap_free(&im->keys);
	smap_free(&im->dirty);
	smap_free(&im->unmapped);
	arena_cleanup(&im->arena);
	json_decref(im->rejected);
	json_decref(im->warnings);
	free(im->line);
	free(im);
}

/* ---- reads ---- */

#define IMPORT_COLS \
	"id, source, format, status, file_sha256, rows_read, tickets, inserted, updated, unchanged, rejected_count," \
	" warnings_count, by_user_id, started_at, finished_at, rejected, warnings"

static json_t *import_row(struct nl_stmt *st, int full)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "source", stmt_column_text(st, 1));
	json_set_str(o, "format", stmt_column_text(st, 2));
	json_set_str(o, "status", stmt_column_text(st, 3));
	json_set_str(o, "file_sha256", stmt_column_text(st, 4));
	json_set_int(o, "rows_read", stmt_column_int64(st, 5));
	json_set_int(o, "tickets", stmt_column_int64(st, 6));
	json_set_int(o, "inserted", stmt_column_int64(st, 7));
	json_set_int(o, "updated", stmt_column_int64(st, 8));
	json_set_int(o, "unchanged", stmt_column_int64(st, 9));
	if (full) {
		json_error_t je;
		const char *r = stmt_column_text(st, 15), *w = stmt_column_text(st, 16);
		json_t *rj = r ? json_loads(r, 0, &je) : NULL, *wj = w ? json_loads(w, 0, &je) : NULL;
		json_object_set_new(o, "rejected", rj ? rj : json_array());
		json_object_set_new(o, "warnings", wj ? wj : json_array());
	}
	json_set_int(o, "rejected_count", stmt_column_int64(st, 10));
	json_set_int(o, "warnings_count", stmt_column_int64(st, 11));
	json_set_id(o, "by_user_id", stmt_column_int64(st, 12));
	json_set_str(o, "started_at", stmt_column_text(st, 13));
	json_set_str(o, "finished_at", stmt_column_text(st, 14));
	return o;
}

int import_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " IMPORT_COLS " FROM imports WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = import_row(st, 1);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No import with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int import_list(struct nl_ctx *ctx, int64_t limit, int64_t cursor, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	*next = 0;
	/* newest first: the list is a history, read from the latest run backwards (the cursor is the last id seen) */
	int rc = db_prepare(ctx->db, "SELECT " IMPORT_COLS " FROM imports WHERE (CAST($1 AS BIGINT) = 0 OR id < CAST($1 AS BIGINT))"
				     " ORDER BY id DESC LIMIT $2", &st);
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
		json_array_append_new(arr, import_row(st, 0));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* ---- department aliases ---- */

int department_aliases_get(struct nl_ctx *ctx, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT source, name, department_id FROM department_aliases ORDER BY source, name", &st);
	if (rc)
		return rc;
	json_t *a = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *o = json_object();
		json_set_str(o, "source", stmt_column_text(st, 0));
		json_set_str(o, "name", stmt_column_text(st, 1));
		json_set_int(o, "department_id", stmt_column_int64(st, 2));
		json_array_append_new(a, o);
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int department_aliases_put(struct nl_ctx *ctx, const json_t *items, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct smap seen = { 0 }, depts = { 0 };
	json_t *before = NULL;
	char at[24], field[64];
	size_t i;
	json_t *e;
	*out = NULL;
	if (!json_is_array(items) || json_array_size(items) > 10000)
		return nl_fail(ctx->err, NL_EVALID, "items", "items must be an array of at most 10000 aliases.");
	int rc = db_prepare(ctx->db, "SELECT id FROM departments", &st);
	if (rc)
		return rc;
	while ((rc = stmt_step(st)) == 1) {
		char k[24];
		int kn = snprintf(k, sizeof k, "%lld", (long long)stmt_column_int64(st, 0));
		if ((rc = smap_put(&depts, k, (size_t)kn, 1, NULL)))
			break;
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = 0;
	json_array_foreach(items, i, e)
	{
		const char *src = json_string_value(json_object_get(e, "source"));
		const char *name = json_string_value(json_object_get(e, "name"));
		json_t *d = json_object_get(e, "department_id");
		if (!json_is_object(e) || json_object_size(e) != 3) {
			snprintf(field, sizeof field, "items[%zu]", i);
			rc = nl_fail(ctx->err, NL_EVALID, field, "Each alias is {\"source\", \"name\", \"department_id\"}.");
			goto out;
		}
		if (!src || !*src || strlen(src) > 64) {
			snprintf(field, sizeof field, "items[%zu].source", i);
			rc = nl_fail(ctx->err, NL_EVALID, field, "source must be an import source (1–64 characters) or \"*\".");
			goto out;
		}
		if (!name || !*name || strlen(name) > 200) {
			snprintf(field, sizeof field, "items[%zu].name", i);
			rc = nl_fail(ctx->err, NL_EVALID, field, "name must be 1–200 characters.");
			goto out;
		}
		char k[24];
		int kn = snprintf(k, sizeof k, "%lld", (long long)json_integer_value(d));
		if (!json_is_integer(d) || !smap_get(&depts, k, (size_t)kn, NULL)) {
			snprintf(field, sizeof field, "items[%zu].department_id", i);
			rc = nl_fail(ctx->err, NL_EVALID, field, "department_id must be a department's id.");
			goto out;
		}
		char key[300];
		int n = snprintf(key, sizeof key, "%s\x1f%s", src, name);
		int added = 0;
		if ((rc = smap_put(&seen, key, (size_t)n, 1, &added)))
			goto out;
		if (!added) {
			snprintf(field, sizeof field, "items[%zu].name", i);
			rc = nl_fail(ctx->err, NL_EVALID, field, "The alias \"%s\" of source \"%s\" is listed twice.", name, src);
			goto out;
		}
	}
	audit_now_rfc3339(at);
	if ((rc = department_aliases_get(ctx, &before)))
		goto out;
	if ((rc = db_begin(ctx->db)))
		goto out;
	if (!(rc = db_prepare(ctx->db, "DELETE FROM department_aliases", &st))) {
		rc = stmt_step(st);
		stmt_done(st);
	}
	json_array_foreach(items, i, e)
	{
		if (rc < 0)
			break;
		if ((rc = db_prepare(ctx->db, "INSERT INTO department_aliases (source, name, department_id, created_at)"
					      " VALUES ($1, $2, $3, $4)", &st)))
			break;
		stmt_bind_text(st, 1, json_string_value(json_object_get(e, "source")));
		stmt_bind_text(st, 2, json_string_value(json_object_get(e, "name")));
		stmt_bind_int64(st, 3, json_integer_value(json_object_get(e, "department_id")));
		stmt_bind_text(st, 4, at);
		rc = stmt_step(st);
		stmt_done(st);
	}
	rc = rc < 0 ? rc : 0;
	if (!rc && !(rc = department_aliases_get(ctx, out)))
		rc = audit_append(ctx, "update", "department_aliases", 0, before, *out);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
out:
	json_decref(before);
	smap_free(&seen);
	smap_free(&depts);
	return rc;
}
