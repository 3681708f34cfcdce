/* kpi_engine.c — the measures engine (see kpi_engine.h): the refresh of dirty (department, day) pairs into kpi_daily,
 * the process-wide in-memory copy (days, months, merged histograms) kept in step with kpi_state.version, and the
 * computation of the measures of a department or of the totals over any day range. */
#include "kpi/kpi_engine.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/log.h"
#include "kpi/kpi_hist.h"
#include "store/store.h"
#include "core/common.h"

/* ================================ Counters and measures ================================ */

/* The additive counters of one (department, day), in kpi_daily's column order. */
#define KPI_COUNTERS(X) \
	X(K_TICKETS, "tickets") \
	X(K_RESOLVED, "resolved") \
	X(K_FCR, "resolved_first_contact") \
	X(K_REOPENED, "reopened") \
	X(K_RESP_N, "response_n") \
	X(K_RESP_SUM, "response_sum") \
	X(K_RESO_N, "resolution_n") \
	X(K_RESO_SUM, "resolution_sum") \
	X(K_WAIT_N, "wait_n") \
	X(K_WAIT_SUM, "wait_sum") \
	X(K_SLA_RESP_N, "sla_response_n") \
	X(K_SLA_RESP_MET, "sla_response_met") \
	X(K_SLA_RESO_N, "sla_resolution_n") \
	X(K_SLA_RESO_MET, "sla_resolution_met") \
	X(K_SLA_SRC_N, "sla_source_n") \
	X(K_SLA_SRC_MADE, "sla_source_made") \
	X(K_RATINGS, "ratings") \
	X(K_RATING_SUM, "rating_sum") \
	X(K_SATISFIED, "ratings_satisfied") \
	X(K_COMPLAINTS, "complaints") \
	X(K_COMPLAINTS_VALID, "complaints_valid") \
	X(K_COMPLAINTS_IN_TIME, "complaints_in_time")

#define X_ENUM(e, col) e,
enum { KPI_COUNTERS(X_ENUM) NC };
#undef X_ENUM

/* The two histograms of a day: response minutes, resolution minutes. */
enum { H_RESP, H_RESO, NH };

#define X_COL(e, col) col ", "
#define X_SET(e, col) ", " col " = excluded." col
#define COUNTER_COLS KPI_COUNTERS(X_COL)

enum mkind { M_COUNT, M_RATIO, M_AVG, M_P90 };

/* How each engine measure is computed from the counters (num ÷ den) or a histogram (p90 of hist, den = its count). */
static const struct mdef {
	const char *key;
	enum mkind kind;
	int num, den, hist;
	int hours;   /* minutes → hours (÷ 60) */
} mdefs[KPI_NM] = {
	[KPI_M_TICKETS] = { "tickets", M_COUNT, K_TICKETS, -1, -1, 0 },
	[KPI_M_RESOLUTION_RATE] = { "resolution_rate", M_RATIO, K_RESOLVED, K_TICKETS, -1, 0 },
	[KPI_M_FCR_RATE] = { "first_contact_resolution_rate", M_RATIO, K_FCR, K_RESOLVED, -1, 0 },
	[KPI_M_RESPONSE_AVG] = { "response_minutes_avg", M_AVG, K_RESP_SUM, K_RESP_N, -1, 0 },
	[KPI_M_RESPONSE_P90] = { "response_minutes_p90", M_P90, -1, K_RESP_N, H_RESP, 0 },
	[KPI_M_RESOLUTION_AVG] = { "resolution_hours_avg", M_AVG, K_RESO_SUM, K_RESO_N, -1, 1 },
	[KPI_M_RESOLUTION_P90] = { "resolution_hours_p90", M_P90, -1, K_RESO_N, H_RESO, 1 },
	[KPI_M_WAIT_AVG] = { "wait_minutes_avg", M_AVG, K_WAIT_SUM, K_WAIT_N, -1, 0 },
	[KPI_M_SLA_RESPONSE_RATE] = { "sla_response_rate", M_RATIO, K_SLA_RESP_MET, K_SLA_RESP_N, -1, 0 },
	[KPI_M_SLA_RESOLUTION_RATE] = { "sla_resolution_rate", M_RATIO, K_SLA_RESO_MET, K_SLA_RESO_N, -1, 0 },
	[KPI_M_SLA_SOURCE_RATE] = { "sla_source_rate", M_RATIO, K_SLA_SRC_MADE, K_SLA_SRC_N, -1, 0 },
	[KPI_M_REOPEN_RATE] = { "reopen_rate", M_RATIO, K_REOPENED, K_RESOLVED, -1, 0 },
	[KPI_M_SATISFACTION_AVG] = { "satisfaction_avg", M_AVG, K_RATING_SUM, K_RATINGS, -1, 0 },
	[KPI_M_SATISFIED_RATE] = { "satisfied_rate", M_RATIO, K_SATISFIED, K_RATINGS, -1, 0 },
	[KPI_M_COMPLAINT_RATE] = { "complaint_rate", M_RATIO, K_COMPLAINTS, K_TICKETS, -1, 0 },
	[KPI_M_VALID_COMPLAINT_RATE] = { "valid_complaint_rate", M_RATIO, K_COMPLAINTS_VALID, K_COMPLAINTS, -1, 0 },
	[KPI_M_COMPLAINT_IN_TIME_RATE] = { "complaint_answered_in_time_rate", M_RATIO, K_COMPLAINTS_IN_TIME, K_COMPLAINTS,
		-1, 0 },
};

const char *kpi_measure_key(int m)
{
	return m >= 0 && m < KPI_NM ? mdefs[m].key : NULL;
}

int kpi_measure_index(const char *key)
{
	for (int m = 0; key && m < KPI_NM; m++)
		if (!strcmp(mdefs[m].key, key))
			return m;
	return -1;
}

/* ================================ The in-memory copy ================================ */

/* One (department, day): its counters and its two histograms in text form (NULL when empty). */
struct kday {
	int64_t dept;
	int32_t day;           /* days since 1970-01-01 */
	int64_t c[NC];
	char *h[NH];
	uint32_t hlen[NH];
};

/* One (department, month): the sums of its days and the merged histograms. */
struct kmonth {
	int64_t dept;
	int32_t month;         /* year × 12 + month − 1 */
	int stale;             /* a day changed: rebuild before use */
	int64_t c[NC];
	struct kpi_hist h[NH];
};

/* An open-addressing map (dept, unit) → entry; linear probing, power-of-two capacity, no deletion. */
struct kslot {
	int64_t dept;
	int32_t unit;
	void *val;             /* NULL: free slot */
};
struct kmap {
	struct kslot *slots;
	size_t cap, n;
};

static uint64_t key_hash(int64_t dept, int32_t unit)
{
	uint64_t x = (uint64_t)dept * 0x9E3779B97F4A7C15ull ^ ((uint64_t)(uint32_t)unit + 0x632BE59BD9B4E019ull);
	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9ull;
	return x ^ (x >> 29);
}

static void *kmap_get(const struct kmap *m, int64_t dept, int32_t unit)
{
	if (!m->cap)
		return NULL;
	for (size_t i = key_hash(dept, unit) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		const struct kslot *s = &m->slots[i];
		if (!s->val)
			return NULL;
		if (s->dept == dept && s->unit == unit)
			return s->val;
	}
}

/* Puts val under (dept, unit), which must not be in the map yet. Returns 0 or NL_ENOMEM. */
static int kmap_put(struct kmap *m, int64_t dept, int32_t unit, void *val)
{
	if ((m->n + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		struct kslot *s = calloc(cap, sizeof *s);
		if (!s)
			return NL_ENOMEM;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->slots[i].val)
				continue;
			size_t j = key_hash(m->slots[i].dept, m->slots[i].unit) & (cap - 1);
			while (s[j].val)
				j = (j + 1) & (cap - 1);
			s[j] = m->slots[i];
		}
		free(m->slots);
		m->slots = s;
		m->cap = cap;
	}
	size_t i = key_hash(dept, unit) & (m->cap - 1);
	while (m->slots[i].val)
		i = (i + 1) & (m->cap - 1);
	m->slots[i] = (struct kslot){ dept, unit, val };
	m->n++;
	return 0;
}

static struct {
	pthread_mutex_t sync_mu;   /* one sync (refresh + load) at a time in this process */
	pthread_rwlock_t lock;     /* guards everything below */
	char instance[80];         /* kpi_state.instance of the database the copy reflects */
	int64_t version;           /* -1: nothing loaded */
	struct kmap days, months;
	int64_t *depts;            /* departments with day entries, ascending (0 = no department) */
	size_t ndepts, depts_cap;
	size_t bytes, hist_entries;
	double last_refresh_ms, last_refresh_read_ms, last_load_ms;
	size_t last_refresh_pairs, last_load_rows;
} E = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_RWLOCK_INITIALIZER, "", -1, { 0 }, { 0 }, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void kday_free(struct kday *d)
{
	if (!d)
		return;
	for (int h = 0; h < NH; h++)
		free(d->h[h]);
	free(d);
}

/* Frees the copy (under the write lock). */
static void copy_clear(void)
{
	for (size_t i = 0; i < E.days.cap; i++)
		kday_free(E.days.slots[i].val);
	for (size_t i = 0; i < E.months.cap; i++) {
		struct kmonth *m = E.months.slots[i].val;
		if (!m)
			continue;
		for (int h = 0; h < NH; h++)
			kpi_hist_free(&m->h[h]);
		free(m);
	}
	free(E.days.slots);
	free(E.months.slots);
	free(E.depts);
	E.days = (struct kmap){ 0 };
	E.months = (struct kmap){ 0 };
	E.depts = NULL;
	E.ndepts = E.depts_cap = 0;
	E.bytes = E.hist_entries = 0;
	E.version = -1;
	E.instance[0] = 0;
}

void kpi_reset(void)
{
	pthread_mutex_lock(&E.sync_mu);
	pthread_rwlock_wrlock(&E.lock);
	copy_clear();
	pthread_rwlock_unlock(&E.lock);
	pthread_mutex_unlock(&E.sync_mu);
	kpi_table_cache_clear();
}

void kpi_stats_get(struct kpi_stats *out)
{
	pthread_rwlock_rdlock(&E.lock);
	out->version = E.version;
	out->days = E.days.n;
	out->months = E.months.n;
	out->hist_entries = E.hist_entries;
	out->bytes = E.bytes + (E.days.cap + E.months.cap) * sizeof(struct kslot);
	out->last_refresh_ms = E.last_refresh_ms;
	out->last_refresh_read_ms = E.last_refresh_read_ms;
	out->last_refresh_pairs = E.last_refresh_pairs;
	out->last_load_ms = E.last_load_ms;
	out->last_load_rows = E.last_load_rows;
	pthread_rwlock_unlock(&E.lock);
}

static int month_of_day(int32_t day, int32_t *month)
{
	struct nl_date d;
	if (date_from_days(day, &d))
		return NL_EVALID;
	*month = d.y * 12 + d.m - 1;
	return 0;
}

static int dept_add(int64_t dept)
{
	size_t lo = 0, hi = E.ndepts;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (E.depts[mid] == dept)
			return 0;
		if (E.depts[mid] < dept)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (E.ndepts == E.depts_cap) {
		size_t cap = E.depts_cap ? E.depts_cap * 2 : 32;
		int64_t *p = realloc(E.depts, cap * sizeof *p);
		if (!p)
			return NL_ENOMEM;
		E.depts = p;
		E.depts_cap = cap;
	}
	memmove(E.depts + lo + 1, E.depts + lo, (E.ndepts - lo) * sizeof *E.depts);
	E.depts[lo] = dept;
	E.ndepts++;
	return 0;
}

/* Puts the day record d into the copy (taking ownership), replacing an older one, and marks its month stale.
 * Under the write lock. */
static int copy_apply_day(struct kday *d)
{
	int32_t month;
	int64_t dept = d->dept;
	if (month_of_day(d->day, &month)) {
		kday_free(d);
		return 0;   /* outside 1900..9999: cannot be reported; ignored */
	}
	struct kday *old = kmap_get(&E.days, dept, d->day);
	if (old) {
		/* Swap the contents in place: the map keeps its pointer. */
		for (int h = 0; h < NH; h++) {
			E.bytes -= old->hlen[h];
			free(old->h[h]);
			old->h[h] = d->h[h];
			old->hlen[h] = d->hlen[h];
			E.bytes += d->hlen[h];
			d->h[h] = NULL;
		}
		memcpy(old->c, d->c, sizeof old->c);
		free(d);
	} else {
		if (dept_add(dept) || kmap_put(&E.days, dept, d->day, d)) {
			kday_free(d);
			return NL_ENOMEM;
		}
		E.bytes += sizeof *d + d->hlen[0] + d->hlen[1];
	}
	struct kmonth *m = kmap_get(&E.months, dept, month);
	if (!m) {
		if (!(m = calloc(1, sizeof *m)))
			return NL_ENOMEM;
		m->dept = dept;
		m->month = month;
		if (kmap_put(&E.months, m->dept, month, m)) {
			free(m);
			return NL_ENOMEM;
		}
		E.bytes += sizeof *m;
	}
	m->stale = 1;
	return 0;
}

/* Recomputes a stale month from its days. Under the write lock. */
static int month_rebuild(struct kmonth *m)
{
	struct nl_date first = { m->month / 12, m->month % 12 + 1, 1 };
	int32_t d0 = date_to_days(first);
	int dim = date_days_in_month(first.y, first.m);
	struct kpi_hist dh[NH][31];
	const struct kpi_hist *ptr[NH][31];
	int nd[NH] = { 0, 0 };
	int rc = 0;
	memset(m->c, 0, sizeof m->c);
	for (int h = 0; h < NH; h++) {
		E.hist_entries -= m->h[h].n;
		E.bytes -= (size_t)m->h[h].n * 8;
		kpi_hist_free(&m->h[h]);
	}
	for (int i = 0; i < dim; i++) {
		const struct kday *d = kmap_get(&E.days, m->dept, d0 + i);
		if (!d)
			continue;
		for (int k = 0; k < NC; k++)
			m->c[k] += d->c[k];
		for (int h = 0; h < NH; h++) {
			if (!d->hlen[h])
				continue;
			if ((rc = kpi_hist_decode(d->h[h], d->hlen[h], &dh[h][nd[h]]))) {
				NL_LOG(NL_LOG_ERROR, "kpi: the stored histogram of department %lld, day %d is damaged",
					(long long)m->dept, (int)(d0 + i));
				goto out;
			}
			ptr[h][nd[h]] = &dh[h][nd[h]];
			nd[h]++;
		}
	}
	for (int h = 0; h < NH; h++) {
		if ((rc = kpi_hist_merge(ptr[h], (size_t)nd[h], &m->h[h])))
			goto out;
		E.hist_entries += m->h[h].n;
		E.bytes += (size_t)m->h[h].n * 8;
	}
	m->stale = 0;
out:
	for (int h = 0; h < NH; h++)
		for (int i = 0; i < nd[h]; i++)
			kpi_hist_free(&dh[h][i]);
	return rc;
}

static int months_rebuild_stale(void)
{
	for (size_t i = 0; i < E.months.cap; i++) {
		struct kmonth *m = E.months.slots[i].val;
		int rc;
		if (m && m->stale && (rc = month_rebuild(m)))
			return rc;
	}
	return 0;
}

/* ================================ Day records (refresh and load) ================================ */

struct dayvec {
	struct kday **v;
	size_t n, cap;
};

static int dayvec_push(struct dayvec *dv, struct kday *d)
{
	if (dv->n == dv->cap) {
		size_t cap = dv->cap ? dv->cap * 2 : 256;
		struct kday **p = realloc(dv->v, cap * sizeof *p);
		if (!p)
			return NL_ENOMEM;
		dv->v = p;
		dv->cap = cap;
	}
	dv->v[dv->n++] = d;
	return 0;
}

static void dayvec_free(struct dayvec *dv)
{
	for (size_t i = 0; i < dv->n; i++)
		kday_free(dv->v[i]);
	free(dv->v);
	*dv = (struct dayvec){ 0 };
}

static int day_text(int32_t day, char out[NL_DATE_STRLEN])
{
	struct nl_date d;
	if (date_from_days(day, &d) || date_format(d, out))
		return NL_EVALID;
	return 0;
}

static int day_parse(const char *s, int32_t *day)
{
	struct nl_date d;
	if (!s || date_parse(s, &d))
		return NL_EVALID;
	*day = date_to_days(d);
	return 0;
}

/* ---------------- refresh: recompute dirty pairs from the records ---------------- */

struct u32vec {
	uint32_t *v;
	size_t n, cap;
};

static int u32_push(struct u32vec *a, uint32_t x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		uint32_t *p = realloc(a->v, cap * sizeof *p);
		if (!p)
			return NL_ENOMEM;
		a->v = p;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

/* The accumulator of one dirty pair while its day's records are read. */
struct acc {
	int64_t dept;
	int64_t c[NC];
	struct u32vec vals[NH];
};

/* A whole minute count of a duration column as a histogram value; NULL and negative values are left out (the derived
 * columns are NULL for those already), values beyond 2^32 − 1 minutes (8,000 years) are clamped. */
static int minutes_of(struct nl_stmt *st, int col, uint32_t *out)
{
	if (stmt_column_is_null(st, col))
		return 0;
	int64_t v = stmt_column_int64(st, col);
	if (v < 0)
		return 0;
	*out = v > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	return 1;
}

static struct acc *acc_find(struct acc *a, size_t n, int64_t dept)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a[mid].dept == dept)
			return &a[mid];
		if (a[mid].dept < dept)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The tickets of a day, without their ratings: those come from read_ratings. */
#define TICKET_SELECT \
	"SELECT COALESCE(t.department_id, 0), CASE WHEN t.resolved_at IS NOT NULL THEN 1 ELSE 0 END," \
	" t.reassignment_count, t.reopen_count, t.response_minutes, t.resolution_minutes, t.wait_minutes," \
	" t.sla_response_met, t.sla_resolution_met, t.sla_source_made, t.id FROM tickets t WHERE "
/* The fallback for ratings of tickets whose ids are scattered: a correlated lookup (an index probe per ticket; a join
 * is planned by PostgreSQL as a hash join reading every rating). */
#define RATING_SELECT \
	"SELECT t.id, (SELECT r.score FROM ticket_ratings r WHERE r.ticket_id = t.id) FROM tickets t WHERE "
#define COMPLAINT_SELECT \
	"SELECT COALESCE(department_id, 0), valid, answered_at, answer_deadline FROM complaints WHERE "

/* A ticket read for a dirty pair: its id and the accumulator its rating goes to. */
struct idacc {
	int64_t id;
	struct acc *acc;
};

static int idacc_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct idacc *)a)->id, y = ((const struct idacc *)b)->id;
	return (x > y) - (x < y);
}

static void rating_add(struct idacc *t, size_t nt, int64_t id, int64_t score)
{
	size_t lo = 0, hi = nt;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t[mid].id == id) {
			struct acc *x = t[mid].acc;
			x->c[K_RATINGS]++;
			x->c[K_RATING_SUM] += score;
			x->c[K_SATISFIED] += score >= 4;
			return;
		}
		if (t[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
}

/* Adds the ratings of the tickets t[0..nt) (sorted by id) to their accumulators. Tickets of one day have nearby ids
 * as a rule (created or imported in time order): then one range scan of ticket_ratings' primary key over their ids,
 * matched here. When the ids are scattered, one lookup per ticket (sql: the day's tickets, as in read_tickets). */
static int read_ratings(struct nl_db *db, const char *sql, const char *day, int64_t dept, struct idacc *t, size_t nt)
{
	struct nl_stmt *st = NULL;
	if (nt == 0)
		return 0;
	int64_t span = t[nt - 1].id - t[0].id;
	int ranged = span >= 0 && (uint64_t)span <= 16 * (uint64_t)nt + 10000;
	int rc = db_prepare(db, ranged ? "SELECT ticket_id, score FROM ticket_ratings WHERE ticket_id >= $1 AND ticket_id <= $2"
		: sql, &st);
	if (rc)
		return rc;
	if (ranged) {
		stmt_bind_int64(st, 1, t[0].id);
		stmt_bind_int64(st, 2, t[nt - 1].id);
	} else {
		stmt_bind_text(st, 1, day);
		if (dept > 0)
			stmt_bind_int64(st, 2, dept);
	}
	while ((rc = stmt_step(st)) == 1)
		if (!stmt_column_is_null(st, 1))
			rating_add(t, nt, stmt_column_int64(st, 0), stmt_column_int64(st, 1));
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Reads the tickets of day (all departments when dept < 0, else department dept, 0 = none), with their ratings, into
 * the accumulators a[0..n) (sorted by dept); rows of other departments are skipped. */
static int read_tickets(struct nl_db *db, const char *day, int64_t dept, struct acc *a, size_t n)
{
	struct nl_stmt *st = NULL;
	struct idacc *ids = NULL;
	size_t nids = 0, cap = 0;
	int sorted = 1;
	const char *sql = dept < 0 ? TICKET_SELECT "t.opened_day = $1"
		: dept == 0 ? TICKET_SELECT "t.department_id IS NULL AND t.opened_day = $1"
		: TICKET_SELECT "t.department_id = $2 AND t.opened_day = $1";
	const char *rsql = dept < 0 ? RATING_SELECT "t.opened_day = $1"
		: dept == 0 ? RATING_SELECT "t.department_id IS NULL AND t.opened_day = $1"
		: RATING_SELECT "t.department_id = $2 AND t.opened_day = $1";
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, day);
	if (dept > 0)
		stmt_bind_int64(st, 2, dept);
	while ((rc = stmt_step(st)) == 1) {
		struct acc *x = acc_find(a, n, stmt_column_int64(st, 0));
		uint32_t v;
		if (!x)
			continue;
		if (nids == cap) {
			size_t c2 = cap ? cap * 2 : 1024;
			struct idacc *q = realloc(ids, c2 * sizeof *q);
			if (!q) {
				rc = NL_ENOMEM;
				break;
			}
			ids = q;
			cap = c2;
		}
		ids[nids] = (struct idacc){ stmt_column_int64(st, 10), x };
		sorted &= nids == 0 || ids[nids].id > ids[nids - 1].id;
		nids++;
		x->c[K_TICKETS]++;
		if (stmt_column_int64(st, 1)) {
			x->c[K_RESOLVED]++;
			x->c[K_FCR] += stmt_column_int64(st, 2) == 0;
		}
		x->c[K_REOPENED] += stmt_column_int64(st, 3) >= 1;
		if (minutes_of(st, 4, &v)) {
			x->c[K_RESP_N]++;
			x->c[K_RESP_SUM] += v;
			if ((rc = u32_push(&x->vals[H_RESP], v)))
				break;
		}
		if (minutes_of(st, 5, &v)) {
			x->c[K_RESO_N]++;
			x->c[K_RESO_SUM] += v;
			if ((rc = u32_push(&x->vals[H_RESO], v)))
				break;
		}
		if (minutes_of(st, 6, &v)) {
			x->c[K_WAIT_N]++;
			x->c[K_WAIT_SUM] += v;
		}
		if (!stmt_column_is_null(st, 7)) {
			x->c[K_SLA_RESP_N]++;
			x->c[K_SLA_RESP_MET] += stmt_column_int64(st, 7) != 0;
		}
		if (!stmt_column_is_null(st, 8)) {
			x->c[K_SLA_RESO_N]++;
			x->c[K_SLA_RESO_MET] += stmt_column_int64(st, 8) != 0;
		}
		if (!stmt_column_is_null(st, 9)) {
			x->c[K_SLA_SRC_N]++;
			x->c[K_SLA_SRC_MADE] += stmt_column_int64(st, 9) != 0;
		}
	}
	stmt_done(st);
	if (rc >= 0) {
		if (!sorted)
			qsort(ids, nids, sizeof *ids, idacc_cmp);
		rc = read_ratings(db, rsql, day, dept, ids, nids);
	}
	free(ids);
	return rc < 0 ? rc : 0;
}

/* Reads the complaints received on day, like read_tickets. */
static int read_complaints(struct nl_db *db, const char *day, int64_t dept, struct acc *a, size_t n)
{
	struct nl_stmt *st = NULL;
	const char *sql = dept < 0 ? COMPLAINT_SELECT "received_day = $1"
		: dept == 0 ? COMPLAINT_SELECT "department_id IS NULL AND received_day = $1"
		: COMPLAINT_SELECT "department_id = $2 AND received_day = $1";
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, day);
	if (dept > 0)
		stmt_bind_int64(st, 2, dept);
	while ((rc = stmt_step(st)) == 1) {
		struct acc *x = acc_find(a, n, stmt_column_int64(st, 0));
		if (!x)
			continue;
		x->c[K_COMPLAINTS]++;
		x->c[K_COMPLAINTS_VALID] += !stmt_column_is_null(st, 1) && stmt_column_int64(st, 1) == 1;
		x->c[K_COMPLAINTS_IN_TIME] += !stmt_column_is_null(st, 2) &&
			stmt_column_int64(st, 2) <= stmt_column_int64(st, 3);
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Turns an accumulator into a day record (histograms sorted and encoded). */
static int acc_finish(struct acc *x, int32_t day, struct kday **out)
{
	struct kday *d = calloc(1, sizeof *d);
	struct nl_strbuf b;
	int rc = 0;
	*out = NULL;
	if (!d)
		return NL_ENOMEM;
	d->dept = x->dept;
	d->day = day;
	memcpy(d->c, x->c, sizeof d->c);
	strbuf_init(&b, 0);
	for (int h = 0; h < NH; h++) {
		struct kpi_hist hist;
		if (!x->vals[h].n)
			continue;
		if ((rc = kpi_hist_from_values(x->vals[h].v, x->vals[h].n, &hist)))
			break;
		strbuf_reset(&b);
		kpi_hist_encode(&hist, &b);
		kpi_hist_free(&hist);
		size_t len = 0;
		char *s = strbuf_detach(&b, &len);
		if (!s) {
			rc = NL_ENOMEM;
			break;
		}
		d->h[h] = s;
		d->hlen[h] = (uint32_t)len;
	}
	strbuf_cleanup(&b);
	if (rc) {
		kday_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

/* A dirty pair as read from kpi_dirty. */
struct dpair {
	int32_t day;
	int64_t dept;
};

static int dpair_cmp(const void *a, const void *b)
{
	const struct dpair *x = a, *y = b;
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return (x->dept > y->dept) - (x->dept < y->dept);
}

/* From this many dirty departments on one day, read the whole day once instead of each pair by its index. */
#define DAY_QUERY_MIN 4

/* Recomputes the pairs p[0..n) (sorted by day, then department; duplicates allowed) into out. */
static int recompute(struct nl_db *db, const struct dpair *p, size_t n, struct dayvec *out)
{
	struct acc *a = NULL;
	size_t acap = 0;
	int rc = 0;
	for (size_t i = 0; i < n && !rc;) {
		size_t j = i;
		size_t na = 0;
		char day[NL_DATE_STRLEN];
		/* The distinct departments dirty on p[i].day. */
		while (j < n && p[j].day == p[i].day) {
			if (na == 0 || a[na - 1].dept != p[j].dept) {
				if (na == acap) {
					size_t cap = acap ? acap * 2 : 32;
					struct acc *q = realloc(a, cap * sizeof *q);
					if (!q) {
						rc = NL_ENOMEM;
						break;
					}
					a = q;
					acap = cap;
				}
				memset(&a[na], 0, sizeof a[na]);
				a[na++].dept = p[j].dept;
			}
			j++;
		}
		if (rc)
			break;
		if (day_text(p[i].day, day) == 0) {
			if (na >= DAY_QUERY_MIN) {
				rc = read_tickets(db, day, -1, a, na);
				if (!rc)
					rc = read_complaints(db, day, -1, a, na);
			} else {
				for (size_t k = 0; k < na && !rc; k++) {
					rc = read_tickets(db, day, a[k].dept, a, na);
					if (!rc)
						rc = read_complaints(db, day, a[k].dept, a, na);
				}
			}
			for (size_t k = 0; k < na && !rc; k++) {
				struct kday *d = NULL;
				if (!(rc = acc_finish(&a[k], p[i].day, &d)) && (rc = dayvec_push(out, d)))
					kday_free(d);
			}
		}
		for (size_t k = 0; k < na; k++)
			for (int h = 0; h < NH; h++)
				free(a[k].vals[h].v);
		i = j;
	}
	free(a);
	return rc;
}

/* kpi_daily rows are written in batches of this many per statement (27 parameters each): one round trip per batch. */
#define UPSERT_BATCH 64
#define UPSERT_COLS 27

#define UPSERT_HEAD \
	"INSERT INTO kpi_daily (department_id, day, version, " COUNTER_COLS "response_hist, resolution_hist) VALUES "
#define UPSERT_TAIL \
	" ON CONFLICT (department_id, day) DO UPDATE SET version = excluded.version" KPI_COUNTERS(X_SET) \
	", response_hist = excluded.response_hist, resolution_hist = excluded.resolution_hist"

static char upsert_one[4096], upsert_batch[32768];   /* ~1.6 KB and ~12.5 KB */
static pthread_once_t upsert_once = PTHREAD_ONCE_INIT;

/* Builds "INSERT ... VALUES ($1, ..., $27), ($28, ...) ON CONFLICT ..." for n rows into buf. */
static void upsert_build(char *buf, size_t size, size_t n)
{
	size_t len = (size_t)snprintf(buf, size, "%s", UPSERT_HEAD);
	for (size_t r = 0; r < n && len < size; r++)
		for (size_t c = 0; c < UPSERT_COLS && len < size; c++)
			len += (size_t)snprintf(buf + len, size - len, "%s$%zu%s", c == 0 ? (r ? ", (" : "(") : ", ",
				r * UPSERT_COLS + c + 1, c == UPSERT_COLS - 1 ? ")" : "");
	if (len < size)
		snprintf(buf + len, size - len, "%s", UPSERT_TAIL);
}

static void upsert_init(void)
{
	upsert_build(upsert_one, sizeof upsert_one, 1);
	upsert_build(upsert_batch, sizeof upsert_batch, UPSERT_BATCH);
}

static void upsert_bind(struct nl_stmt *st, int base, const struct kday *d, const char *day, int64_t version)
{
	stmt_bind_int64(st, base + 1, d->dept);
	stmt_bind_text(st, base + 2, day);
	stmt_bind_int64(st, base + 3, version);
	for (int k = 0; k < NC; k++)
		stmt_bind_int64(st, base + 4 + k, d->c[k]);
	for (int h = 0; h < NH; h++)
		stmt_bind_textn(st, base + 4 + NC + h, d->h[h] ? d->h[h] : "", d->hlen[h]);
}

/* Writes the day records of dv into kpi_daily with this version: whole batches, then the rest one by one. */
static int write_days(struct nl_db *db, const struct dayvec *dv, int64_t version)
{
	pthread_once(&upsert_once, upsert_init);
	for (size_t i = 0; i < dv->n;) {
		size_t n = dv->n - i >= UPSERT_BATCH ? UPSERT_BATCH : 1;
		struct nl_stmt *st = NULL;
		int rc = db_prepare(db, n == 1 ? upsert_one : upsert_batch, &st);
		if (rc)
			return rc;
		for (size_t r = 0; r < n; r++) {
			char day[NL_DATE_STRLEN];
			if (day_text(dv->v[i + r]->day, day)) {
				stmt_done(st);
				return NL_EINTERNAL;
			}
			upsert_bind(st, (int)(r * UPSERT_COLS), dv->v[i + r], day, version);
		}
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			return rc;
		i += n;
	}
	return 0;
}

/* Deletes the kpi_dirty rows whose ids are ids[0..n) (ascending): one statement per run of consecutive ids. Rows
 * another transaction added meanwhile are never among them (ids are unique), so their pairs stay dirty. */
static int delete_dirty(struct nl_db *db, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && ids[j] == ids[j - 1] + 1)
			j++;
		struct nl_stmt *st = NULL;
		int rc = db_prepare(db, "DELETE FROM kpi_dirty WHERE id >= $1 AND id <= $2", &st);
		if (rc)
			return rc;
		stmt_bind_int64(st, 1, ids[i]);
		stmt_bind_int64(st, 2, ids[j - 1]);
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			return rc;
		i = j;
	}
	return 0;
}

static int i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The refresh: takes the version lock (kpi_state row), reads the dirty pairs, recomputes them, writes kpi_daily with
 * the new version and deletes the dirty rows it read. *done: 1 when pairs were refreshed (records in out, *version the
 * new version, *prev the one before, *ms and *read_ms its duration and the part reading the records), 0 when there was
 * nothing to do. batch > 0: at most that many marks (days in order), *more = 1 when more may be left; 0: all of them.
 * In its own transaction unless one is open. Runs under E.sync_mu; touches no shared state. */
static int refresh(struct nl_ctx *ctx, struct dayvec *out, int64_t *prev, int64_t *version, int *done, double *ms,
	double *read_ms, int64_t batch, int *more)
{
	struct nl_db *db = ctx->db;
	struct nl_stmt *st = NULL;
	struct dpair *p = NULL;
	int64_t *ids = NULL;
	size_t n = 0, nids = 0, cap = 0;
	int own = !db_in_transaction(db);
	int rc;
	*done = 0;
	if (own && (rc = db_begin(db)))
		return rc;
	if ((rc = db_prepare(db, "UPDATE kpi_state SET version = version + 1 WHERE id = 1 RETURNING version", &st)))
		goto out;
	rc = stmt_step(st);
	*version = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc != 1) {
		rc = rc < 0 ? rc : NL_EINTERNAL;
		goto out;
	}
	*prev = *version - 1;
	*more = 0;
	if ((rc = db_prepare(db, batch > 0 ? "SELECT id, department_id, day FROM kpi_dirty ORDER BY day, department_id LIMIT $1"
		: "SELECT id, department_id, day FROM kpi_dirty", &st)))
		goto out;
	if (batch > 0)
		stmt_bind_int64(st, 1, batch);
	while ((rc = stmt_step(st)) == 1) {
		if (nids == cap) {
			size_t c2 = cap ? cap * 2 : 256;
			struct dpair *q = realloc(p, c2 * sizeof *q);
			if (q)
				p = q;
			int64_t *r = q ? realloc(ids, c2 * sizeof *r) : NULL;
			if (r)
				ids = r;
			if (!q || !r) {
				rc = NL_ENOMEM;
				break;
			}
			cap = c2;
		}
		ids[nids++] = stmt_column_int64(st, 0);
		p[n].dept = stmt_column_int64(st, 1);
		if (day_parse(stmt_column_text(st, 2), &p[n].day)) {
			/* Not a date: nothing to recompute; the mark is deleted with the others. */
			NL_LOG(NL_LOG_WARN, "kpi: ignoring a dirty mark whose day is not a date");
			continue;
		}
		n++;
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = 0;
	if (nids == 0)
		goto out;
	*more = batch > 0 && (int64_t)nids >= batch;
	double t0 = now_ms();
	qsort(p, n, sizeof *p, dpair_cmp);
	qsort(ids, nids, sizeof *ids, i64_cmp);
	if ((rc = recompute(db, p, n, out)))
		goto out;
	double t1 = now_ms();
	if ((rc = write_days(db, out, *version)) || (rc = delete_dirty(db, ids, nids)))
		goto out;
	if (own && (rc = db_commit(db)))
		goto out;
	own = 0;
	*done = 1;
	*ms = now_ms() - t0;
	*read_ms = t1 - t0;
out:
	if (own)
		db_rollback(db);
	free(p);
	free(ids);
	if (rc)
		dayvec_free(out);
	return rc;
}

/* ---------------- load: kpi_daily rows into day records ---------------- */

#define LOAD_SQL \
	"SELECT department_id, day, " COUNTER_COLS "response_hist, resolution_hist FROM kpi_daily" \
	" WHERE version > $1 AND version <= $2"

static int load_rows(struct nl_db *db, int64_t after, int64_t upto, struct dayvec *out)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(db, LOAD_SQL, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, after);
	stmt_bind_int64(st, 2, upto);
	while ((rc = stmt_step(st)) == 1) {
		struct kday *d = calloc(1, sizeof *d);
		int err = 0;
		if (!d) {
			rc = NL_ENOMEM;
			break;
		}
		d->dept = stmt_column_int64(st, 0);
		if (day_parse(stmt_column_text(st, 1), &d->day)) {
			free(d);
			continue;
		}
		for (int k = 0; k < NC; k++)
			d->c[k] = stmt_column_int64(st, 2 + k);
		for (int h = 0; h < NH && !err; h++) {
			size_t len = stmt_column_bytes(st, 2 + NC + h);
			const char *s = stmt_column_text(st, 2 + NC + h);
			if (!s || !len)
				continue;
			if (!(d->h[h] = malloc(len + 1))) {
				err = NL_ENOMEM;
				break;
			}
			memcpy(d->h[h], s, len);
			d->h[h][len] = 0;
			d->hlen[h] = (uint32_t)len;
		}
		if (err || (err = dayvec_push(out, d))) {
			kday_free(d);
			rc = err;
			break;
		}
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------- sync ---------------- */

struct kstate {
	int64_t version;
	int dirty;
	char instance[80];
};

static int state_read(struct nl_db *db, struct kstate *s)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT version, instance, CASE WHEN EXISTS (SELECT 1 FROM kpi_dirty) THEN 1 ELSE 0 END"
		" FROM kpi_state WHERE id = 1", &st);
	if (rc)
		return rc;
	rc = stmt_step(st);
	if (rc == 1) {
		s->version = stmt_column_int64(st, 0);
		snprintf(s->instance, sizeof s->instance, "%s", stmt_column_text(st, 1) ? stmt_column_text(st, 1) : "");
		s->dirty = stmt_column_int64(st, 2) != 0;
		rc = 0;
	} else if (rc == 0) {
		rc = NL_EINTERNAL;
	}
	stmt_done(st);
	return rc;
}

/* Applies the records of dv (taking them) and rebuilds the stale months. Under the write lock. */
static int copy_apply(struct dayvec *dv)
{
	int rc = 0;
	for (size_t i = 0; i < dv->n; i++) {
		struct kday *d = dv->v[i];
		dv->v[i] = NULL;
		if (!rc)
			rc = copy_apply_day(d);
		else
			kday_free(d);
	}
	dv->n = 0;
	if (!rc)
		rc = months_rebuild_stale();
	return rc;
}

/* Dirty marks refreshed per transaction when the engine owns it: a large import's refresh is cut into transactions of
 * about half a second at 10 million tickets, so that writers (one at a time on SQLite) get in between. */
#define REFRESH_BATCH 1024

int kpi_sync(struct nl_ctx *ctx)
{
	struct kstate s;
	int rc = state_read(ctx->db, &s);
	if (rc)
		return nl_fail(ctx->err, rc, NULL, "The measures engine cannot read its state.");
	/* The fast path: nothing dirty, same database, same version. */
	pthread_rwlock_rdlock(&E.lock);
	int current = !s.dirty && E.version == s.version && !strcmp(E.instance, s.instance);
	pthread_rwlock_unlock(&E.lock);
	if (current)
		return 0;

	pthread_mutex_lock(&E.sync_mu);   /* E.version and E.instance change only under it: read them freely below */
	int in_tx = db_in_transaction(ctx->db);
	double refresh_ms = 0, refresh_read_ms = 0, load_ms = 0;
	size_t refresh_pairs = 0, load_rows_n = 0;
	int any_refresh = 0;
	for (;;) {
		struct dayvec loaded = { 0 }, fresh = { 0 };
		int64_t prev = 0, newv = 0;
		int refreshed = 0, more = 0;
		double ms = 0, rms = 0;
		if ((rc = state_read(ctx->db, &s)))
			break;
		if (strcmp(E.instance, s.instance) || s.version < E.version) {
			/* Another database, or this one went back (restored): start over. */
			pthread_rwlock_wrlock(&E.lock);
			copy_clear();
			snprintf(E.instance, sizeof E.instance, "%s", s.instance);
			pthread_rwlock_unlock(&E.lock);
		}
		if (!s.dirty && s.version == E.version)
			break;
		int64_t upto = s.version;
		if (s.dirty) {
			rc = refresh(ctx, &fresh, &prev, &newv, &refreshed, &ms, &rms, in_tx ? 0 : REFRESH_BATCH, &more);
			if (rc == NL_EBUSY && !in_tx) {
				NL_LOG(NL_LOG_WARN, "kpi: the database is busy (a long write?); answering from the aggregates as they are");
				rc = 0;
			}
			if (rc)
				break;
			if (refreshed)
				upto = prev;
		}
		double t0 = now_ms();
		if (upto > E.version && (rc = load_rows(ctx->db, E.version, upto, &loaded))) {
			dayvec_free(&fresh);
			break;
		}
		size_t nloaded = loaded.n, nfresh = fresh.n;
		pthread_rwlock_wrlock(&E.lock);
		rc = copy_apply(&loaded);
		if (!rc)
			rc = copy_apply(&fresh);
		if (rc)
			copy_clear();   /* never answer from a half-applied copy */
		else
			/* Inside a caller's transaction the refresh may still be rolled back: its records are correct values of the
			 * committed records, but the version stays at what is surely committed, so they are loaded again later. */
			E.version = refreshed && !in_tx ? newv : upto;
		pthread_rwlock_unlock(&E.lock);
		dayvec_free(&loaded);
		dayvec_free(&fresh);
		if (rc)
			break;
		if (nloaded) {
			load_ms += now_ms() - t0;
			load_rows_n += nloaded;
		}
		if (refreshed) {
			any_refresh = 1;
			refresh_ms += ms;
			refresh_read_ms += rms;
			refresh_pairs += nfresh;
		}
		if (!more)
			break;
	}
	if (!rc && (any_refresh || load_rows_n)) {
		pthread_rwlock_wrlock(&E.lock);
		if (load_rows_n) {
			E.last_load_ms = load_ms;
			E.last_load_rows = load_rows_n;
		}
		if (any_refresh) {
			E.last_refresh_ms = refresh_ms;
			E.last_refresh_read_ms = refresh_read_ms;
			E.last_refresh_pairs = refresh_pairs;
		}
		pthread_rwlock_unlock(&E.lock);
	}
	pthread_mutex_unlock(&E.sync_mu);
	if (rc)
		return nl_fail(ctx->err, rc, NULL, "The measures engine could not bring its aggregates up to date.");
	return 0;
}

/* ================================ Queries ================================ */

/* What a group (a department or all) sums up over a day range: counters and the histograms to select from. Month
 * histograms are referenced (stable under the read lock); day histograms of partly covered months are decoded into
 * own[] and referenced by group_finish once every range has been added (own[] may move while it grows). */
struct group {
	int64_t c[NC];
	const struct kpi_hist **h[NH];
	size_t hn[NH], hcap[NH];
	struct kpi_hist *own;
	unsigned char *own_kind;   /* H_RESP or H_RESO per own[] entry */
	size_t nown, owncap;
};

static void group_reset(struct group *g)
{
	memset(g->c, 0, sizeof g->c);
	for (int h = 0; h < NH; h++)
		g->hn[h] = 0;
	for (size_t i = 0; i < g->nown; i++)
		kpi_hist_free(&g->own[i]);
	g->nown = 0;
}

static void group_free(struct group *g)
{
	group_reset(g);
	for (int h = 0; h < NH; h++)
		free(g->h[h]);
	free(g->own);
	free(g->own_kind);
}

static int group_push(struct group *g, int h, const struct kpi_hist *x)
{
	if (!x->n)
		return 0;
	if (g->hn[h] == g->hcap[h]) {
		size_t cap = g->hcap[h] ? g->hcap[h] * 2 : 64;
		const struct kpi_hist **p = realloc(g->h[h], cap * sizeof *p);
		if (!p)
			return NL_ENOMEM;
		g->h[h] = p;
		g->hcap[h] = cap;
	}
	g->h[h][g->hn[h]++] = x;
	return 0;
}

static int group_add_day(struct group *g, const struct kday *d)
{
	for (int k = 0; k < NC; k++)
		g->c[k] += d->c[k];
	for (int h = 0; h < NH; h++) {
		if (!d->hlen[h])
			continue;
		if (g->nown == g->owncap) {
			size_t cap = g->owncap ? g->owncap * 2 : 64;
			struct kpi_hist *p = realloc(g->own, cap * sizeof *p);
			if (!p)
				return NL_ENOMEM;
			g->own = p;
			unsigned char *q = realloc(g->own_kind, cap);
			if (!q)
				return NL_ENOMEM;
			g->own_kind = q;
			g->owncap = cap;
		}
		int rc = kpi_hist_decode(d->h[h], d->hlen[h], &g->own[g->nown]);
		if (rc) {
			NL_LOG(NL_LOG_ERROR, "kpi: the stored histogram of department %lld, day %d is damaged",
				(long long)d->dept, (int)d->day);
			return rc == NL_ENOMEM ? rc : NL_EINTERNAL;
		}
		g->own_kind[g->nown++] = (unsigned char)h;
	}
	return 0;
}

/* Adds department dept's days first..last to g: whole months from the month entries, the rest day by day. Under the
 * read lock (months are never stale then). */
static int group_add(struct group *g, int64_t dept, int32_t first, int32_t last)
{
	struct nl_date a, b;
	if (date_from_days(first, &a) || date_from_days(last, &b))
		return NL_EVALID;
	int rc = 0;
	for (int mi = a.y * 12 + a.m - 1; mi <= b.y * 12 + b.m - 1 && !rc; mi++) {
		const struct kmonth *m = kmap_get(&E.months, dept, mi);
		if (!m)
			continue;
		struct nl_date m0 = { mi / 12, mi % 12 + 1, 1 };
		int32_t d0 = date_to_days(m0), d1 = d0 + date_days_in_month(m0.y, m0.m) - 1;
		if (d0 >= first && d1 <= last) {
			for (int k = 0; k < NC; k++)
				g->c[k] += m->c[k];
			for (int h = 0; h < NH && !rc; h++)
				rc = group_push(g, h, &m->h[h]);
			continue;
		}
		int32_t lo = d0 > first ? d0 : first, hi = d1 < last ? d1 : last;
		for (int32_t d = lo; d <= hi && !rc; d++) {
			const struct kday *x = kmap_get(&E.days, dept, d);
			if (x)
				rc = group_add_day(g, x);
		}
	}
	return rc;
}

/* References the decoded day histograms; call once after the last group_add. */
static int group_finish(struct group *g)
{
	int rc = 0;
	for (size_t i = 0; i < g->nown && !rc; i++)
		rc = group_push(g, g->own_kind[i], &g->own[i]);
	return rc;
}

/* Computes the measures of g into out. */
static int group_values(const struct group *g, struct kpi_values *out)
{
	out->present = 0;
	for (int m = 0; m < KPI_NM; m++) {
		const struct mdef *d = &mdefs[m];
		double v = NAN, num = NAN, den = NAN;
		out->value[m] = out->num[m] = out->den[m] = NAN;
		switch (d->kind) {
		case M_COUNT:
			if (g->c[d->num] > 0)
				v = (double)g->c[d->num];
			break;
		case M_RATIO:
		case M_AVG:
			if (g->c[d->den] > 0) {
				num = (double)g->c[d->num];
				den = (double)g->c[d->den];
				v = num / den;
				if (d->hours) {
					v /= 60.0;
					num /= 60.0;
				}
			}
			break;
		case M_P90: {
			uint64_t n = (uint64_t)g->c[d->den];
			uint32_t x;
			if (n == 0)
				break;
			int rc = kpi_hist_rank(g->h[d->hist], g->hn[d->hist], kpi_nearest_rank(n, 90), &x);
			if (rc) {
				NL_LOG(NL_LOG_ERROR, "kpi: the histograms disagree with the counters (%s)", d->key);
				return NL_EINTERNAL;
			}
			v = d->hours ? (double)x / 60.0 : (double)x;
			break;
		}
		}
		if (!isnan(v)) {
			out->present |= 1u << m;
			out->value[m] = v;
			out->num[m] = num;
			out->den[m] = den;
		}
	}
	return 0;
}

static int range_days(struct nl_date first, struct nl_date last, int32_t *a, int32_t *b)
{
	if (!date_valid(first) || !date_valid(last) || date_cmp(first, last) > 0)
		return NL_EVALID;
	*a = date_to_days(first);
	*b = date_to_days(last);
	return 0;
}

int kpi_values_get(struct nl_ctx *ctx, int all, int64_t dept, struct nl_date first, struct nl_date last,
	struct kpi_values *out)
{
	struct group g = { 0 };
	int32_t a, b;
	int rc = range_days(first, last, &a, &b);
	memset(out, 0, sizeof *out);
	if (rc)
		return nl_fail(ctx->err, NL_EVALID, "to", "Not a valid day range.");
	if ((rc = kpi_sync(ctx)))
		return rc;
	pthread_rwlock_rdlock(&E.lock);
	for (size_t i = 0; i < E.ndepts && !rc; i++)
		if (all || E.depts[i] == dept)
			rc = group_add(&g, E.depts[i], a, b);
	if (!rc && !(rc = group_finish(&g)))
		rc = group_values(&g, out);
	pthread_rwlock_unlock(&E.lock);
	group_free(&g);
	if (rc)
		return nl_fail(ctx->err, rc, NULL, "The measures could not be computed.");
	return 0;
}

/* Appends x with 15 significant digits, as every JSON reply of the server writes numbers (server.c:
 * JSON_REAL_PRECISION(15)): the same measure reads the same here and in the achievement table. */
static void put_number(struct nl_strbuf *b, double x)
{
	strbuf_printf(b, "%.15g", x);
}

/* Appends one row {"department_id":…,"period":…,"values":{…}}. dept < 0: the totals (null). */
static void put_row(struct nl_strbuf *b, int64_t dept, const char *period, const struct kpi_values *v, uint32_t mask,
	int first)
{
	if (!first)
		strbuf_putc(b, ',');
	if (dept < 0)
		strbuf_printf(b, "{\"department_id\":null,\"period\":\"%s\",\"values\":{", period);
	else
		strbuf_printf(b, "{\"department_id\":%lld,\"period\":\"%s\",\"values\":{", (long long)dept, period);
	int any = 0;
	for (int m = 0; m < KPI_NM; m++) {
		if (!(v->present & mask & (1u << m)))
			continue;
		if (any)
			strbuf_putc(b, ',');
		any = 1;
		strbuf_printf(b, "\"%s\":", mdefs[m].key);
		if (mdefs[m].kind == M_COUNT || (mdefs[m].kind == M_P90 && !mdefs[m].hours))
			strbuf_printf(b, "%.0f", v->value[m]);
		else
			put_number(b, v->value[m]);
	}
	strbuf_puts(b, "}}");
}

/* One period of the table: its label and its days within from..to. */
struct tperiod {
	char label[NL_PERIOD_STRLEN];
	int32_t a, b;
};

static int table_periods(const struct kpi_table_query *q, struct tperiod **out, size_t *n)
{
	struct nl_period p;
	int32_t from = date_to_days(q->from), to = date_to_days(q->to);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (period_containing(q->kind, q->from, &p))
		return NL_EVALID;
	for (;;) {
		struct nl_date f, l;
		if (period_first_date(p, &f) || period_last_date(p, &l))
			return NL_EVALID;
		if (date_to_days(f) > to)
			break;
		if (*n == cap) {
			size_t c2 = cap ? cap * 2 : 16;
			struct tperiod *t = realloc(*out, c2 * sizeof *t);
			if (!t)
				return NL_ENOMEM;
			*out = t;
			cap = c2;
		}
		struct tperiod *t = &(*out)[(*n)++];
		if (period_format(p, t->label))
			return NL_EVALID;
		t->a = date_to_days(f) > from ? date_to_days(f) : from;
		t->b = date_to_days(l) < to ? date_to_days(l) : to;
		if (date_to_days(l) >= to || period_next(p, &p))
			break;
	}
	return 0;
}

static int any_counter(const struct group *g)
{
	for (int k = 0; k < NC; k++)
		if (g->c[k])
			return 1;
	return 0;
}

/* Finished tables, by query and the copy's (instance, version): a dashboard asks the same table again and again, and
 * computing it (percentiles by binary searches over the month histograms, numbers printed) costs ~0.5 ms where a copy
 * costs microseconds. An entry is valid only for the version it was computed from; kpi_sync moves E.version whenever
 * any server (through kpi_dirty / kpi_state in the database) changed records, so a stale table is never served. */
#define TABLE_CACHE_SLOTS 16
#define TABLE_CACHE_MAX_BYTES ((size_t)1 << 20)
static struct {
	pthread_mutex_t mu;
	uint64_t tick;
	struct tcache_entry {
		uint64_t used;             /* tick of the last use; 0: empty */
		char instance[80];
		int64_t version;
		struct kpi_table_query q;
		char *json;
		size_t len;
	} e[TABLE_CACHE_SLOTS];
} TC = { PTHREAD_MUTEX_INITIALIZER, 0, { { 0 } } };

void kpi_table_cache_clear(void)
{
	pthread_mutex_lock(&TC.mu);
	for (size_t i = 0; i < TABLE_CACHE_SLOTS; i++) {
		free(TC.e[i].json);
		memset(&TC.e[i], 0, sizeof TC.e[i]);
	}
	pthread_mutex_unlock(&TC.mu);
}

static int tcache_same(const struct kpi_table_query *a, const struct kpi_table_query *b)
{
	return date_cmp(a->from, b->from) == 0 && date_cmp(a->to, b->to) == 0 && a->kind == b->kind &&
		a->department_id == b->department_id && a->measures == b->measures;
}

/* Appends the cached table for (q, instance, version) to out; 1 when there was one. */
static int tcache_get(const struct kpi_table_query *q, const char *instance, int64_t version, struct nl_strbuf *out)
{
	int hit = 0;
	pthread_mutex_lock(&TC.mu);
	for (size_t i = 0; i < TABLE_CACHE_SLOTS; i++) {
		struct tcache_entry *e = &TC.e[i];
		if (e->used && e->version == version && !strcmp(e->instance, instance) && tcache_same(&e->q, q)) {
			strbuf_append(out, e->json, e->len);
			e->used = ++TC.tick;
			hit = 1;
			break;
		}
	}
	pthread_mutex_unlock(&TC.mu);
	return hit;
}

/* Keeps a copy of a table just computed (replacing the least recently used entry). Failure to allocate is ignored. */
static void tcache_put(const struct kpi_table_query *q, const char *instance, int64_t version, const char *json, size_t len)
{
	if (len > TABLE_CACHE_MAX_BYTES)
		return;
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return;
	memcpy(copy, json, len);
	pthread_mutex_lock(&TC.mu);
	struct tcache_entry *victim = &TC.e[0];
	for (size_t i = 0; i < TABLE_CACHE_SLOTS; i++) {
		struct tcache_entry *e = &TC.e[i];
		if (e->used && e->version == version && !strcmp(e->instance, instance) && tcache_same(&e->q, q)) {
			victim = e;     /* another thread computed the same table meanwhile */
			break;
		}
		if (e->used < victim->used)
			victim = e;
	}
	free(victim->json);
	victim->json = copy;
	victim->len = len;
	victim->q = *q;
	victim->version = version;
	snprintf(victim->instance, sizeof victim->instance, "%s", instance);
	victim->used = ++TC.tick;
	pthread_mutex_unlock(&TC.mu);
}

int kpi_table_json(struct nl_ctx *ctx, const struct kpi_table_query *q, struct nl_strbuf *out)
{
	char instance[80];
	int64_t version;
	size_t start = out->len;
	struct tperiod *per = NULL;
	struct kpi_values *vals = NULL;
	unsigned char *has = NULL;
	int64_t *depts = NULL;
	struct group g = { 0 };
	size_t np = 0, nd = 0;
	uint32_t mask = q->measures & KPI_ALL_MEASURES;
	int rc = table_periods(q, &per, &np);
	if (rc)
		goto out;
	if ((rc = kpi_sync(ctx)))
		goto out_synced;
	pthread_rwlock_rdlock(&E.lock);
	version = E.version;
	snprintf(instance, sizeof instance, "%s", E.instance);
	{
		struct kpi_table_query key = *q;
		key.measures = mask;
		if (tcache_get(&key, instance, version, out)) {
			pthread_rwlock_unlock(&E.lock);
			rc = out->failed ? NL_ENOMEM : 0;
			goto out;
		}
	}
	/* The departments: the one asked for, or every department (not "none") with a day entry. */
	depts = malloc((E.ndepts + 1) * sizeof *depts);
	if (!depts) {
		rc = NL_ENOMEM;
		goto unlock;
	}
	if (q->department_id > 0)
		depts[nd++] = q->department_id;
	else
		for (size_t i = 0; i < E.ndepts; i++)
			if (E.depts[i] > 0)
				depts[nd++] = E.depts[i];
	vals = calloc((nd + 1) * np + 1, sizeof *vals);
	has = calloc(nd + 1, 1);
	if (!vals || !has) {
		rc = NL_ENOMEM;
		goto unlock;
	}
	/* Department rows: computed first, so that departments without records in the range can be left out. */
	for (size_t d = 0; d < nd && !rc; d++) {
		for (size_t i = 0; i < np && !rc; i++) {
			group_reset(&g);
			if ((rc = group_add(&g, depts[d], per[i].a, per[i].b)) || (rc = group_finish(&g)) ||
				(rc = group_values(&g, &vals[d * np + i])))
				break;
			has[d] |= any_counter(&g);
		}
	}
	/* Totals: every department's records, those without a department too. */
	for (size_t i = 0; i < np && !rc && q->department_id <= 0; i++) {
		group_reset(&g);
		for (size_t k = 0; k < E.ndepts && !rc; k++)
			rc = group_add(&g, E.depts[k], per[i].a, per[i].b);
		if (!rc && !(rc = group_finish(&g)))
			rc = group_values(&g, &vals[nd * np + i]);
	}
unlock:
	pthread_rwlock_unlock(&E.lock);
	if (rc)
		goto out;
	strbuf_puts(out, "{\"items\":[");
	int first = 1;
	for (size_t i = 0; i < np; i++) {
		for (size_t d = 0; d < nd; d++) {
			if (!has[d] && q->department_id <= 0)
				continue;
			put_row(out, depts[d], per[i].label, &vals[d * np + i], mask, first);
			first = 0;
		}
		if (q->department_id <= 0) {
			put_row(out, -1, per[i].label, &vals[nd * np + i], mask, first);
			first = 0;
		}
	}
	strbuf_puts(out, "]}");
	if (out->failed) {
		rc = NL_ENOMEM;
	} else {
		struct kpi_table_query key = *q;
		key.measures = mask;
		tcache_put(&key, instance, version, out->data + start, out->len - start);
	}
out:
	if (rc)
		rc = nl_fail(ctx->err, rc, NULL, "The KPI table could not be computed.");
out_synced:
	group_free(&g);
	free(per);
	free(vals);
	free(has);
	free(depts);
	return rc;
}
