/* test_kpi.c — the measures engine (src/kpi/): nearest-rank percentiles, exact histograms (build, text form, merge,
 * selection over a union), each measure's formula on hand-computed records, absent versus zero, the dirty refresh
 * when a ticket moves between departments and days, partial months, loading another server's refresh, the refresh
 * inside a caller's transaction, measure_value(), and a randomized comparison with a brute-force computation over
 * the raw records. The database tests run on SQLite, and on PostgreSQL too when NENGLI_TEST_PG_URL names a database
 * (they work in a schema of their own, dropped at the end). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "cycle/measure.h"
#include "kpi/kpi.h"
#include "kpi/kpi_engine.h"
#include "kpi/kpi_hist.h"
#include "store/migrate.h"
#include "store/store.h"
#include "core/common.h"

/* ================================ Pure: percentiles and histograms ================================ */

static uint64_t rng_state = 0x1234567887654321ull;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static int u32cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void test_nearest_rank(void **state)
{
	(void)state;
	assert_int_equal(kpi_nearest_rank(0, 90), 0);
	assert_int_equal(kpi_nearest_rank(1, 90), 1);     /* ⌈0.9⌉ */
	assert_int_equal(kpi_nearest_rank(10, 90), 9);    /* the 9th of 10 */
	assert_int_equal(kpi_nearest_rank(11, 90), 10);   /* ⌈9.9⌉ */
	assert_int_equal(kpi_nearest_rank(20, 90), 18);
	assert_int_equal(kpi_nearest_rank(21, 90), 19);   /* ⌈18.9⌉ */
	assert_int_equal(kpi_nearest_rank(100, 90), 90);
	assert_int_equal(kpi_nearest_rank(7, 50), 4);
	assert_int_equal(kpi_nearest_rank(7, 100), 7);
}

static void test_hist_build_and_rank(void **state)
{
	(void)state;
	uint32_t vals[] = { 5, 1, 5, 3, 5 };
	struct kpi_hist h;
	assert_int_equal(kpi_hist_from_values(vals, 5, &h), 0);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.v[0], 1);
	assert_int_equal(h.v[1], 3);
	assert_int_equal(h.v[2], 5);
	assert_int_equal(h.cum[0], 1);
	assert_int_equal(h.cum[1], 2);
	assert_int_equal(h.cum[2], 5);
	assert_int_equal(kpi_hist_total(&h), 5);
	const struct kpi_hist *one[] = { &h };
	uint32_t x = 99;
	assert_int_equal(kpi_hist_rank(one, 1, 1, &x), 0);
	assert_int_equal(x, 1);
	assert_int_equal(kpi_hist_rank(one, 1, 2, &x), 0);
	assert_int_equal(x, 3);
	for (uint64_t r = 3; r <= 5; r++) {   /* ties: ranks 3..5 are all the value 5 */
		assert_int_equal(kpi_hist_rank(one, 1, r, &x), 0);
		assert_int_equal(x, 5);
	}
	x = 77;
	assert_int_equal(kpi_hist_rank(one, 1, 6, &x), NL_EVALID);
	assert_int_equal(kpi_hist_rank(one, 1, 0, &x), NL_EVALID);
	assert_int_equal(x, 77);
	kpi_hist_free(&h);
	/* n = 10: the p90 is the 9th smallest. */
	uint32_t ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 100 };
	assert_int_equal(kpi_hist_from_values(ten, 10, &h), 0);
	assert_int_equal(kpi_hist_rank(one, 1, kpi_nearest_rank(10, 90), &x), 0);
	assert_int_equal(x, 10);
	kpi_hist_free(&h);
	/* n = 1. */
	uint32_t single[] = { 42 };
	assert_int_equal(kpi_hist_from_values(single, 1, &h), 0);
	assert_int_equal(kpi_hist_rank(one, 1, kpi_nearest_rank(1, 90), &x), 0);
	assert_int_equal(x, 42);
	kpi_hist_free(&h);
	/* Empty. */
	assert_int_equal(kpi_hist_from_values(NULL, 0, &h), 0);
	assert_int_equal(h.n, 0);
	assert_int_equal(kpi_hist_total(&h), 0);
	assert_int_equal(kpi_hist_rank(one, 1, 1, &x), NL_EVALID);
	kpi_hist_free(&h);
}

static void hist_equal(const struct kpi_hist *a, const struct kpi_hist *b)
{
	assert_int_equal(a->n, b->n);
	for (uint32_t i = 0; i < a->n; i++) {
		assert_int_equal(a->v[i], b->v[i]);
		assert_int_equal(a->cum[i], b->cum[i]);
	}
}

static void test_hist_text_form(void **state)
{
	(void)state;
	for (int round = 0; round < 200; round++) {
		size_t n = rnd_below(round < 100 ? 50 : 3000);
		uint32_t *v = malloc((n + 1) * sizeof *v);
		uint32_t range = round % 4 == 0 ? UINT32_MAX : round % 4 == 1 ? 10 : round % 4 == 2 ? 5000 : 200000;
		for (size_t i = 0; i < n; i++)
			v[i] = rnd_below(range);
		if (n && round % 7 == 0)
			v[0] = UINT32_MAX;
		struct kpi_hist h, back;
		assert_int_equal(kpi_hist_from_values(v, n, &h), 0);
		struct nl_strbuf b;
		strbuf_init(&b, 0);
		kpi_hist_encode(&h, &b);
		assert_false(b.failed);
		for (size_t i = 0; i < b.len; i++)
			assert_non_null(strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_", b.data[i]));
		assert_int_equal(kpi_hist_decode(b.data, b.len, &back), 0);
		hist_equal(&h, &back);
		if (range == 10 && n > 20)
			assert_true(b.len <= 2 * (size_t)h.n + 6 * (size_t)h.n);   /* a few characters per distinct value */
		strbuf_cleanup(&b);
		kpi_hist_free(&h);
		kpi_hist_free(&back);
		free(v);
	}
	/* Refused forms: a bad character, a truncated number, a count flag without its count. */
	struct kpi_hist h;
	assert_int_equal(kpi_hist_decode("A*", 2, &h), NL_EVALID);
	assert_int_equal(h.n, 0);
	assert_int_equal(kpi_hist_decode("z", 1, &h), NL_EVALID);   /* 'z' has the continuation bit */
	assert_int_equal(kpi_hist_decode("1", 1, &h), NL_EVALID);   /* 1 = value 0 with "count > 1" and no count */
	assert_int_equal(kpi_hist_decode("________", 8, &h), NL_EVALID);
	assert_int_equal(kpi_hist_decode("", 0, &h), 0);
	assert_int_equal(h.n, 0);
	/* A known form: values 0 (×1), 3 (×4): "0" then gap 2 → (2<<1|1)=5 "5", count-2 = 2 "2". */
	assert_int_equal(kpi_hist_decode("052", 3, &h), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.v[0], 0);
	assert_int_equal(h.v[1], 3);
	assert_int_equal(h.cum[1], 5);
	kpi_hist_free(&h);
}

/* Merging k histograms equals the histogram of the union; selecting over the k equals the sorted union's element. */
static void test_hist_merge_exact(void **state)
{
	(void)state;
	for (int round = 0; round < 60; round++) {
		size_t k = 1 + rnd_below(30);
		struct kpi_hist hs[30];
		const struct kpi_hist *ptr[30];
		uint32_t *all = malloc(30 * 500 * sizeof *all);
		size_t total = 0;
		uint32_t range = round % 3 == 0 ? 100 : round % 3 == 1 ? 50000 : 4000000000u;   /* dense and sparse merges */
		for (size_t i = 0; i < k; i++) {
			size_t n = rnd_below(500);
			uint32_t *v = malloc((n + 1) * sizeof *v);
			for (size_t j = 0; j < n; j++)
				all[total++] = v[j] = rnd_below(range);
			assert_int_equal(kpi_hist_from_values(v, n, &hs[i]), 0);
			ptr[i] = &hs[i];
			free(v);
		}
		struct kpi_hist merged, expect;
		uint32_t *copy = malloc((total + 1) * sizeof *copy);
		memcpy(copy, all, total * sizeof *copy);
		assert_int_equal(kpi_hist_merge(ptr, k, &merged), 0);
		assert_int_equal(kpi_hist_from_values(copy, total, &expect), 0);
		hist_equal(&merged, &expect);
		qsort(all, total, sizeof *all, u32cmp);
		for (uint64_t r = 1; r <= total; r += 1 + total / 97) {
			uint32_t x;
			assert_int_equal(kpi_hist_rank(ptr, k, r, &x), 0);
			assert_int_equal(x, all[r - 1]);
		}
		if (total) {
			uint32_t x;
			uint64_t r = kpi_nearest_rank(total, 90);
			assert_int_equal(kpi_hist_rank(ptr, k, r, &x), 0);
			assert_int_equal(x, all[r - 1]);
			assert_int_equal(kpi_hist_rank(ptr, k, total, &x), 0);
			assert_int_equal(x, all[total - 1]);
		}
		for (size_t i = 0; i < k; i++)
			kpi_hist_free(&hs[i]);
		kpi_hist_free(&merged);
		kpi_hist_free(&expect);
		free(copy);
		free(all);
	}
}

/* ================================ Database fixture ================================ */

struct fx {
	enum nl_store_kind kind;
	char path[128];
	char schema[64];
	char admin_url[512];
	struct nl_store *store;
	struct nl_db *db;
	struct nl_ctx ctx;
	struct nl_error err;
};

static struct fx fx_sqlite = { .kind = NL_STORE_SQLITE };
static struct fx fx_pg = { .kind = NL_STORE_POSTGRES };

static void sql(struct fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql(struct fx *f, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	int rc = db_exec(f->db, buf);
	if (rc)
		fail_msg("SQL failed (%d): %s\n%s", rc, db_last_error(f->db), buf);
}

static int64_t sql_int(struct fx *f, const char *q)
{
	struct nl_stmt *st = NULL;
	assert_int_equal(db_prepare(f->db, q, &st), 0);
	assert_int_equal(stmt_step(st), 1);
	int64_t v = stmt_column_int64(st, 0);
	stmt_done(st);
	return v;
}

static int fx_setup(void **state)
{
	struct fx *f = *state;
	char err[512];
	struct nl_store_options opt = { .pool_size = 1, .busy_timeout_ms = 2000, .create = 1 };
	char url[700];
	f->store = NULL;
	kpi_reset();
	if (f->kind == NL_STORE_POSTGRES) {
		const char *base = getenv("NENGLI_TEST_PG_URL");
		struct nl_store *adm = NULL;
		struct nl_db *db = NULL;
		if (!base || !*base)
			return 0;
		snprintf(f->admin_url, sizeof f->admin_url, "%s", base);
		snprintf(f->schema, sizeof f->schema, "kpi_test_%d_%u", (int)getpid(), (unsigned)rnd_below(1000000));
		if (store_open(base, &opt, &adm, err, sizeof err) || store_acquire(adm, 2000, &db))
			fail_msg("postgres: %s", err);
		char q[160];
		snprintf(q, sizeof q, "CREATE SCHEMA %s", f->schema);
		assert_int_equal(db_exec(db, q), 0);
		store_release(db);
		store_close(adm);
		snprintf(url, sizeof url, "%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?", f->schema);
	} else {
		snprintf(f->path, sizeof f->path, "/tmp/nengli-test-kpi-%d.db", (int)getpid());
		unlink(f->path);
		snprintf(url, sizeof url, "%s", f->path);
	}
	if (store_open(url, &opt, &f->store, err, sizeof err) || migrate_apply(f->store, NULL, err, sizeof err) ||
		store_acquire(f->store, 2000, &f->db))
		fail_msg("setup: %s", err);
	memset(&f->ctx, 0, sizeof f->ctx);
	f->ctx.db = f->db;
	f->ctx.err = &f->err;
	f->ctx.actor_name = "test";
	f->ctx.request_id = "t";
	for (int d = 1; d <= 6; d++)
		sql(f, "INSERT INTO departments (id, code, name, created_at, updated_at) VALUES (%d, 'K%d', 'k%d', 'x', 'x')",
			d, d, d);
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	char p[160];
	kpi_reset();
	if (!f->store)
		return 0;
	store_release(f->db);
	store_close(f->store);
	f->store = NULL;
	if (f->kind == NL_STORE_POSTGRES) {
		char err[256];
		struct nl_store *adm = NULL;
		struct nl_db *db = NULL;
		struct nl_store_options opt = { .pool_size = 1, .busy_timeout_ms = 2000 };
		if (store_open(f->admin_url, &opt, &adm, err, sizeof err) == 0 && store_acquire(adm, 2000, &db) == 0) {
			char q[160];
			snprintf(q, sizeof q, "DROP SCHEMA %s CASCADE", f->schema);
			int rc = db_exec(db, q);
			(void)rc;
			store_release(db);
		}
		store_close(adm);
		return 0;
	}
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	return 0;
}

static struct fx *need(void **state)
{
	struct fx *f = *state;
	if (!f->store)
		skip();
	nl_error_clear(&f->err);
	return f;
}

/* ---------------- records, as plain structs (also the brute-force model) ---------------- */

#define NUL (-1)   /* NULL for the integer fields below */

struct tk {
	int64_t id;
	int dept;            /* 0: none */
	char day[11];
	int resolved;
	int reassign, reopen;
	int64_t resp, reso, wait;    /* minutes, NUL */
	int slar, slas, src;         /* 0/1/NUL */
	int score;                   /* 0: no rating */
};

struct cp {
	int64_t id;
	int dept;
	char day[11];
	int valid;                   /* 0/1/NUL */
	int64_t answered;            /* Unix time or NUL */
	int64_t deadline;
};

static void put_int(char *buf, size_t n, int64_t v)
{
	if (v == NUL)
		snprintf(buf, n, "NULL");
	else
		snprintf(buf, n, "%lld", (long long)v);
}

/* Inserts t (without marking anything dirty). */
static void ins_ticket(struct fx *f, const struct tk *t)
{
	char dept[24], resp[24], reso[24], wait[24], slar[24], slas[24], src[24];
	if (t->dept)
		snprintf(dept, sizeof dept, "%d", t->dept);
	else
		snprintf(dept, sizeof dept, "NULL");
	put_int(resp, sizeof resp, t->resp);
	put_int(reso, sizeof reso, t->reso);
	put_int(wait, sizeof wait, t->wait);
	put_int(slar, sizeof slar, t->slar);
	put_int(slas, sizeof slas, t->slas);
	put_int(src, sizeof src, t->src);
	sql(f, "INSERT INTO tickets (id, source, external_id, priority, status, department_id, opened_at, opened_day,"
		" resolved_at, reassignment_count, reopen_count, response_minutes, resolution_minutes, wait_minutes,"
		" sla_response_met, sla_resolution_met, sla_source_made, created_at, updated_at) VALUES (%lld, 'test', 'T%lld',"
		" 'P3', '%s', %s, 1800000000, '%s', %s, %d, %d, %s, %s, %s, %s, %s, %s, 'x', 'x')",
		(long long)t->id, (long long)t->id, t->resolved ? "resolved" : "in_progress", dept, t->day,
		t->resolved ? "1800003600" : "NULL", t->reassign, t->reopen, resp, reso, wait, slar, slas, src);
	if (t->score)
		sql(f, "INSERT INTO ticket_ratings (ticket_id, score, rated_at, rated_day) VALUES (%lld, %d, 'x', '%s')",
			(long long)t->id, t->score, t->day);
}

static void ins_complaint(struct fx *f, const struct cp *c)
{
	char dept[24], valid[24], ans[24];
	if (c->dept)
		snprintf(dept, sizeof dept, "%d", c->dept);
	else
		snprintf(dept, sizeof dept, "NULL");
	put_int(valid, sizeof valid, c->valid);
	put_int(ans, sizeof ans, c->answered);
	sql(f, "INSERT INTO complaints (id, channel, department_id, category, content, received_at, received_day,"
		" answer_deadline, status, valid, answered_at, created_at, updated_at) VALUES (%lld, 'phone', %s, 'service',"
		" 'c', 1800000000, '%s', %lld, 'registered', %s, %s, 'x', 'x')",
		(long long)c->id, dept, c->day, (long long)c->deadline, valid, ans);
}

static void mark(struct fx *f, int dept, const char *day)
{
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(kpi_mark_dirty(&f->ctx, dept, day), 0);
	assert_int_equal(db_commit(f->db), 0);
}

static struct nl_date D(const char *s)
{
	struct nl_date d;
	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static void values(struct fx *f, int all, int dept, const char *a, const char *b, struct kpi_values *v)
{
	int rc = kpi_values_get(&f->ctx, all, dept, D(a), D(b), v);
	if (rc)
		fail_msg("kpi_values_get: %d %s", rc, f->err.message);
}

#define HAS(v, m) (((v).present >> (m)) & 1u)

static void want_value(const struct kpi_values *v, int m, double x)
{
	if (!HAS(*v, m))
		fail_msg("%s is absent, expected %.17g", kpi_measure_key(m), x);
	if (v->value[m] != x)
		fail_msg("%s = %.17g, expected %.17g", kpi_measure_key(m), v->value[m], x);
}

static void want_absent(const struct kpi_values *v, int m)
{
	if (HAS(*v, m))
		fail_msg("%s = %.17g, expected absent", kpi_measure_key(m), v->value[m]);
}

/* ================================ Formulas on hand-computed records ================================ */

static void test_formulas(void **state)
{
	struct fx *f = need(state);
	/* Department 1, March 2027: four tickets.
	 *  #1 resolved, no reassignment, response 10, resolution 120, wait 2, SLA resp met, SLA res met, source made, rated 5
	 *  #2 resolved, 2 reassignments, reopened once, response 30, resolution 600, wait 4, SLA resp missed, res NULL,
	 *     source NULL, rated 3
	 *  #3 open, response 20, no resolution, wait NULL (missing), SLA resp met, rated 4
	 *  #4 open, all durations NULL, nothing measured
	 * Complaints for department 1 in March: valid + answered in time; invalid + late; NULL valid + unanswered. */
	struct tk t[] = {
		{ 1, 1, "2027-03-01", 1, 0, 0, 10, 120, 2, 1, 1, 1, 5 },
		{ 2, 1, "2027-03-05", 1, 2, 1, 30, 600, 4, 0, NUL, NUL, 3 },
		{ 3, 1, "2027-03-05", 0, 0, 0, 20, NUL, NUL, 1, NUL, NUL, 4 },
		{ 4, 1, "2027-03-31", 0, 0, 0, NUL, NUL, NUL, NUL, NUL, NUL, 0 },
	};
	struct cp c[] = {
		{ 1, 1, "2027-03-02", 1, 1800000000, 1800000000 },   /* answered exactly at the deadline: in time */
		{ 2, 1, "2027-03-20", 0, 1800000061, 1800000060 },   /* one second late */
		{ 3, 1, "2027-03-31", NUL, NUL, 1800000000 },
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(t); i++) {
		ins_ticket(f, &t[i]);
		mark(f, t[i].dept, t[i].day);
	}
	for (size_t i = 0; i < NL_ARRAY_LEN(c); i++) {
		ins_complaint(f, &c[i]);
		mark(f, c[i].dept, c[i].day);
	}
	struct kpi_values v;
	values(f, 0, 1, "2027-03-01", "2027-03-31", &v);
	want_value(&v, KPI_M_TICKETS, 4);
	want_value(&v, KPI_M_RESOLUTION_RATE, 2.0 / 4.0);
	assert_true(v.num[KPI_M_RESOLUTION_RATE] == 2 && v.den[KPI_M_RESOLUTION_RATE] == 4);
	want_value(&v, KPI_M_FCR_RATE, 1.0 / 2.0);
	want_value(&v, KPI_M_RESPONSE_AVG, 60.0 / 3.0);
	assert_true(v.num[KPI_M_RESPONSE_AVG] == 60 && v.den[KPI_M_RESPONSE_AVG] == 3);
	want_value(&v, KPI_M_RESPONSE_P90, 30);   /* ⌈2.7⌉ = 3rd of 10, 20, 30 */
	assert_true(isnan(v.num[KPI_M_RESPONSE_P90]) && isnan(v.den[KPI_M_RESPONSE_P90]));
	want_value(&v, KPI_M_RESOLUTION_AVG, 720.0 / 2.0 / 60.0);
	want_value(&v, KPI_M_RESOLUTION_P90, 600.0 / 60.0);
	want_value(&v, KPI_M_WAIT_AVG, 6.0 / 2.0);
	want_value(&v, KPI_M_SLA_RESPONSE_RATE, 2.0 / 3.0);
	want_value(&v, KPI_M_SLA_RESOLUTION_RATE, 1.0);
	want_value(&v, KPI_M_SLA_SOURCE_RATE, 1.0);
	want_value(&v, KPI_M_REOPEN_RATE, 1.0 / 2.0);
	want_value(&v, KPI_M_SATISFACTION_AVG, 12.0 / 3.0);
	want_value(&v, KPI_M_SATISFIED_RATE, 2.0 / 3.0);
	want_value(&v, KPI_M_COMPLAINT_RATE, 3.0 / 4.0);
	want_value(&v, KPI_M_VALID_COMPLAINT_RATE, 1.0 / 3.0);
	want_value(&v, KPI_M_COMPLAINT_IN_TIME_RATE, 1.0 / 3.0);
	assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM kpi_dirty"), 0);   /* the refresh cleared the log */

	/* Part of the month: 2027-03-02..2027-03-30 holds tickets #2 and #3 and complaints #1 and #2. */
	values(f, 0, 1, "2027-03-02", "2027-03-30", &v);
	want_value(&v, KPI_M_TICKETS, 2);
	want_value(&v, KPI_M_RESPONSE_P90, 30);
	want_value(&v, KPI_M_RESOLUTION_P90, 10);
	want_value(&v, KPI_M_COMPLAINT_RATE, 1);          /* complaints #1 (03-02) and #2 (03-20) */
	want_value(&v, KPI_M_VALID_COMPLAINT_RATE, 0.5);
	want_value(&v, KPI_M_SATISFACTION_AVG, 3.5);

	/* The same through the table (JSON): one department row and the totals. */
	struct kpi_table_query q = { D("2027-03-01"), D("2027-03-31"), NL_PERIOD_MONTH, 0, KPI_ALL_MEASURES };
	struct nl_strbuf b;
	strbuf_init(&b, 0);
	assert_int_equal(kpi_table_json(&f->ctx, &q, &b), 0);
	json_error_t je;
	json_t *j = json_loads(b.data, 0, &je);
	assert_non_null(j);
	json_t *items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *row = json_array_get(items, 0);
	assert_int_equal(json_integer_value(json_object_get(row, "department_id")), 1);
	assert_string_equal(json_string_value(json_object_get(row, "period")), "2027-03");
	json_t *vals = json_object_get(row, "values");
	assert_int_equal(json_integer_value(json_object_get(vals, "tickets")), 4);
	assert_true(json_real_value(json_object_get(vals, "sla_response_rate")) == 0.666666666666667);   /* 15 digits */
	assert_true(json_number_value(json_object_get(vals, "resolution_hours_p90")) == 10.0);
	assert_int_equal(json_integer_value(json_object_get(vals, "response_minutes_p90")), 30);
	assert_true(json_is_null(json_object_get(json_array_get(items, 1), "department_id")));
	json_decref(j);
	/* Only some measures; a people measure alone gives empty values. */
	strbuf_reset(&b);
	q.measures = (1u << KPI_M_TICKETS) | (1u << KPI_M_REOPEN_RATE);
	assert_int_equal(kpi_table_json(&f->ctx, &q, &b), 0);
	assert_non_null(strstr(b.data, "\"values\":{\"tickets\":4,\"reopen_rate\":0.5}"));
	assert_non_null(strstr(b.data, "{\"department_id\":1,\"period\":\"2027-03\",\"values\":"));
	strbuf_reset(&b);
	q.measures = 0;
	assert_int_equal(kpi_table_json(&f->ctx, &q, &b), 0);
	assert_non_null(strstr(b.data, "\"values\":{}"));
	strbuf_cleanup(&b);
}

/* ================================ Absent versus zero ================================ */

static void test_absent_vs_zero(void **state)
{
	struct fx *f = need(state);
	/* Department 2: two open tickets, nothing measured, no complaints. */
	struct tk t[] = {
		{ 11, 2, "2027-05-10", 0, 0, 0, NUL, NUL, NUL, NUL, NUL, NUL, 0 },
		{ 12, 2, "2027-05-11", 0, 0, 0, NUL, NUL, NUL, NUL, NUL, NUL, 0 },
	};
	for (size_t i = 0; i < 2; i++) {
		ins_ticket(f, &t[i]);
		mark(f, 2, t[i].day);
	}
	struct kpi_values v;
	values(f, 0, 2, "2027-05-01", "2027-05-31", &v);
	want_value(&v, KPI_M_TICKETS, 2);
	want_value(&v, KPI_M_RESOLUTION_RATE, 0);      /* 0 of 2 resolved: a real zero */
	want_value(&v, KPI_M_COMPLAINT_RATE, 0);       /* tickets but no complaint: zero */
	want_absent(&v, KPI_M_FCR_RATE);               /* nothing resolved: no denominator */
	want_absent(&v, KPI_M_REOPEN_RATE);
	want_absent(&v, KPI_M_RESPONSE_AVG);
	want_absent(&v, KPI_M_RESPONSE_P90);
	want_absent(&v, KPI_M_RESOLUTION_P90);
	want_absent(&v, KPI_M_SLA_RESPONSE_RATE);
	want_absent(&v, KPI_M_SATISFACTION_AVG);
	want_absent(&v, KPI_M_VALID_COMPLAINT_RATE);
	/* A month without records: everything absent, tickets too (never 0). */
	values(f, 0, 2, "2027-06-01", "2027-06-30", &v);
	assert_int_equal(v.present, 0);
	for (int m = 0; m < KPI_NM; m++)
		assert_true(isnan(v.value[m]));
	/* A department without any record. */
	values(f, 0, 5, "2027-01-01", "2027-12-31", &v);
	assert_int_equal(v.present, 0);
	/* A complaint without tickets: complaint_rate absent, the complaint rates present. */
	struct cp c = { 21, 3, "2027-05-03", 1, NUL, 1800000000 };
	ins_complaint(f, &c);
	mark(f, 3, c.day);
	values(f, 0, 3, "2027-05-01", "2027-05-31", &v);
	want_absent(&v, KPI_M_TICKETS);
	want_absent(&v, KPI_M_COMPLAINT_RATE);
	want_value(&v, KPI_M_VALID_COMPLAINT_RATE, 1);
	want_value(&v, KPI_M_COMPLAINT_IN_TIME_RATE, 0);   /* unanswered: not in time */
	/* measure_value: a month of data, a month without, a people measure. */
	struct nl_period p = { NL_PERIOD_MONTH, 2027, 5 };
	int has;
	double val, num, den;
	assert_int_equal(measure_value(&f->ctx, "resolution_rate", 0, p, &has, &val, &num, &den), 0);
	assert_int_equal(has, 1);
	assert_true(val == 0 && num == 0 && den == 2);
	assert_int_equal(measure_value(&f->ctx, "first_contact_resolution_rate", 0, p, &has, &val, &num, &den), 0);
	assert_int_equal(has, 0);
	assert_true(isnan(val) && isnan(num) && isnan(den));
	assert_int_equal(measure_value(&f->ctx, "training_hours_per_person", 0, p, &has, &val, &num, &den), 0);
	assert_int_equal(has, 0);
	p.index = 6;
	assert_int_equal(measure_value(&f->ctx, "tickets", 0, p, &has, &val, &num, &den), 0);
	assert_int_equal(has, 0);
	assert_int_equal(measure_value(&f->ctx, "no_such_measure", 0, p, &has, &val, &num, &den), NL_EVALID);
}

/* ================================ Percentiles: n = 10, ties, totals over the union ================================ */

static void test_percentiles(void **state)
{
	struct fx *f = need(state);
	/* Department 1: response minutes 1..10 → p90 = 9. Department 2: 100, 100, 100, 5 → p90 = 100 (ties).
	 * Totals: 14 values 1..10, 5, 100 ×3 → ⌈12.6⌉ = 13th smallest = 100; the 12th would be 10. */
	int64_t id = 100;
	for (int i = 1; i <= 10; i++) {
		struct tk t = { id++, 1, "2027-07-04", 1, 0, 0, i, i * 60, NUL, NUL, NUL, NUL, 0 };
		ins_ticket(f, &t);
	}
	int64_t d2[] = { 100, 100, 100, 5 };
	for (int i = 0; i < 4; i++) {
		struct tk t = { id++, 2, "2027-07-01", 1, 0, 0, d2[i], NUL, NUL, NUL, NUL, NUL, 0 };
		if (i == 3)
			snprintf(t.day, sizeof t.day, "2027-07-30");
		ins_ticket(f, &t);
	}
	mark(f, 1, "2027-07-04");
	mark(f, 2, "2027-07-01");
	mark(f, 2, "2027-07-30");
	struct kpi_values v;
	values(f, 0, 1, "2027-07-01", "2027-07-31", &v);
	want_value(&v, KPI_M_RESPONSE_P90, 9);
	want_value(&v, KPI_M_RESOLUTION_P90, 9);   /* 540 minutes = 9 hours */
	values(f, 0, 2, "2027-07-01", "2027-07-31", &v);
	want_value(&v, KPI_M_RESPONSE_P90, 100);
	values(f, 1, 0, "2027-07-01", "2027-07-31", &v);
	want_value(&v, KPI_M_TICKETS, 14);
	want_value(&v, KPI_M_RESPONSE_P90, 100);
	want_value(&v, KPI_M_RESPONSE_AVG, (55.0 + 305.0) / 14.0);
	/* Totals over a part of the month (days, not month entries): 07-01..07-29 → 1..10 and 100 ×3: ⌈11.7⌉ = 12th = 100. */
	values(f, 1, 0, "2027-07-01", "2027-07-29", &v);
	want_value(&v, KPI_M_TICKETS, 13);
	want_value(&v, KPI_M_RESPONSE_P90, 100);
	values(f, 1, 0, "2027-07-02", "2027-07-31", &v);   /* 1..10 and 5: ⌈9.9⌉ = 10th = 9 */
	want_value(&v, KPI_M_RESPONSE_P90, 9);
}

/* ================================ Ratings: by an id range, or one by one when ids are scattered ================================ */

static void test_ratings_paths(void **state)
{
	struct fx *f = need(state);
	/* Department 6 on 2027-11-03: ids close together (one range scan of ticket_ratings). Department 5 on 2027-11-04:
	 * ids 50,000,000 apart (a lookup per ticket). Department 4, 2027-11-05: four departments dirty that day → the whole
	 * day is read at once. */
	struct tk t[] = {
		{ 7001, 6, "2027-11-03", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 5 },
		{ 7003, 6, "2027-11-03", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 2 },
		{ 7002, 1, "2027-11-03", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 1 },   /* another department, in the id range */
		{ 7004, 5, "2027-11-04", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 3 },
		{ 50007004, 5, "2027-11-04", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 4 },
		{ 50007005, 5, "2027-11-04", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 0 },
		{ 7005, 4, "2027-11-05", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 4 },
		{ 90000000, 4, "2027-11-05", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 1 },
		{ 7006, 3, "2027-11-05", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 5 },
		{ 7007, 2, "2027-11-05", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 0 },
		{ 7008, 1, "2027-11-05", 1, 0, 0, 1, 1, NUL, NUL, NUL, NUL, 0 },
	};
	assert_int_equal(db_begin(f->db), 0);
	for (size_t i = 0; i < NL_ARRAY_LEN(t); i++) {
		ins_ticket(f, &t[i]);
		assert_int_equal(kpi_mark_dirty(&f->ctx, t[i].dept, t[i].day), 0);
	}
	assert_int_equal(db_commit(f->db), 0);
	struct kpi_values v;
	values(f, 0, 6, "2027-11-01", "2027-11-30", &v);
	want_value(&v, KPI_M_SATISFACTION_AVG, 3.5);
	want_value(&v, KPI_M_SATISFIED_RATE, 0.5);
	values(f, 0, 5, "2027-11-01", "2027-11-30", &v);
	want_value(&v, KPI_M_TICKETS, 3);
	want_value(&v, KPI_M_SATISFACTION_AVG, 3.5);
	want_value(&v, KPI_M_SATISFIED_RATE, 0.5);
	values(f, 0, 4, "2027-11-01", "2027-11-30", &v);
	want_value(&v, KPI_M_SATISFACTION_AVG, 2.5);
	values(f, 1, 0, "2027-11-01", "2027-11-30", &v);
	want_value(&v, KPI_M_TICKETS, 11);
	want_value(&v, KPI_M_SATISFACTION_AVG, 25.0 / 8.0);
	want_value(&v, KPI_M_SATISFIED_RATE, 4.0 / 8.0);
}

/* ================================ A ticket moves: the dirty refresh follows ================================ */

static void test_move_between_departments_and_days(void **state)
{
	struct fx *f = need(state);
	struct tk a = { 201, 1, "2027-08-10", 1, 0, 0, 15, 90, 5, 1, 1, NUL, 5 };
	struct tk b = { 202, 1, "2027-08-10", 0, 0, 0, 45, NUL, NUL, 0, NUL, NUL, 0 };
	ins_ticket(f, &a);
	ins_ticket(f, &b);
	mark(f, 1, "2027-08-10");
	struct kpi_values v;
	values(f, 0, 1, "2027-08-01", "2027-08-31", &v);
	want_value(&v, KPI_M_TICKETS, 2);
	want_value(&v, KPI_M_RESPONSE_P90, 45);
	values(f, 0, 4, "2027-08-01", "2027-09-30", &v);
	assert_int_equal(v.present, 0);
	int64_t version = sql_int(f, "SELECT version FROM kpi_state");
	/* Ticket 201 moves to department 4 and to 2027-09-02 (the writer marks the old and the new pair). */
	assert_int_equal(db_begin(f->db), 0);
	sql(f, "UPDATE tickets SET department_id = 4, opened_day = '2027-09-02' WHERE id = 201");
	assert_int_equal(kpi_mark_dirty(&f->ctx, 1, "2027-08-10"), 0);
	assert_int_equal(kpi_mark_dirty(&f->ctx, 4, "2027-09-02"), 0);
	assert_int_equal(db_commit(f->db), 0);
	values(f, 0, 1, "2027-08-01", "2027-08-31", &v);
	want_value(&v, KPI_M_TICKETS, 1);
	want_value(&v, KPI_M_RESPONSE_P90, 45);
	want_value(&v, KPI_M_RESOLUTION_RATE, 0);
	want_absent(&v, KPI_M_SATISFACTION_AVG);        /* the rating moved with its ticket */
	values(f, 0, 4, "2027-09-01", "2027-09-30", &v);
	want_value(&v, KPI_M_TICKETS, 1);
	want_value(&v, KPI_M_RESPONSE_P90, 15);
	want_value(&v, KPI_M_SATISFACTION_AVG, 5);
	want_value(&v, KPI_M_RESOLUTION_AVG, 1.5);
	values(f, 1, 0, "2027-08-01", "2027-09-30", &v);
	want_value(&v, KPI_M_TICKETS, 2);
	assert_true(sql_int(f, "SELECT version FROM kpi_state") > version);
	assert_int_equal(sql_int(f, "SELECT tickets FROM kpi_daily WHERE department_id = 1 AND day = '2027-08-10'"), 1);
	/* Ticket 202 loses its department: it leaves department 1 and stays in the totals. */
	assert_int_equal(db_begin(f->db), 0);
	sql(f, "UPDATE tickets SET department_id = NULL WHERE id = 202");
	assert_int_equal(kpi_mark_dirty(&f->ctx, 1, "2027-08-10"), 0);
	assert_int_equal(kpi_mark_dirty(&f->ctx, 0, "2027-08-10"), 0);
	assert_int_equal(db_commit(f->db), 0);
	values(f, 0, 1, "2027-08-01", "2027-08-31", &v);
	assert_int_equal(v.present, 0);
	values(f, 1, 0, "2027-08-01", "2027-08-31", &v);
	want_value(&v, KPI_M_TICKETS, 1);
	want_value(&v, KPI_M_RESPONSE_P90, 45);
	/* The department list of the table leaves department 1 out of August now; "no department" never has a row. */
	struct kpi_table_query q = { D("2027-08-01"), D("2027-08-31"), NL_PERIOD_MONTH, 0, KPI_ALL_MEASURES };
	struct nl_strbuf sb;
	strbuf_init(&sb, 0);
	assert_int_equal(kpi_table_json(&f->ctx, &q, &sb), 0);
	assert_null(strstr(sb.data, "\"department_id\":0"));
	assert_non_null(strstr(sb.data, "{\"department_id\":null,\"period\":\"2027-08\",\"values\":{\"tickets\":1,"));
	strbuf_cleanup(&sb);
}

/* ================================ Another server's refresh; the refresh inside a transaction ================================ */

static void test_sync_paths(void **state)
{
	struct fx *f = need(state);
	struct tk a = { 301, 3, "2027-10-01", 1, 0, 0, 7, 60, NUL, NUL, NUL, NUL, 0 };
	ins_ticket(f, &a);
	mark(f, 3, a.day);
	struct kpi_values v;
	values(f, 0, 3, "2027-10-01", "2027-10-31", &v);
	want_value(&v, KPI_M_TICKETS, 1);
	struct kpi_stats s0;
	kpi_stats_get(&s0);
	/* Another server refreshed a pair: its kpi_daily row has a newer version. This process loads it. */
	int64_t ver = sql_int(f, "SELECT version FROM kpi_state") + 1;
	assert_int_equal(db_begin(f->db), 0);
	sql(f, "UPDATE kpi_state SET version = %lld", (long long)ver);
	sql(f, "UPDATE kpi_daily SET version = %lld, tickets = 5, response_n = 5, response_sum = 12, response_hist = '052'"
		" WHERE department_id = 3 AND day = '2027-10-01'", (long long)ver);
	assert_int_equal(db_commit(f->db), 0);
	values(f, 0, 3, "2027-10-01", "2027-10-31", &v);
	want_value(&v, KPI_M_TICKETS, 5);
	want_value(&v, KPI_M_RESPONSE_AVG, 2.4);
	struct kpi_stats s1;
	kpi_stats_get(&s1);
	assert_int_equal(s1.version, ver);
	/* The refresh inside a caller's transaction that then rolls back: the answer is right, and stays right. */
	struct tk b = { 302, 3, "2027-10-02", 1, 0, 0, 9, 60, NUL, NUL, NUL, NUL, 0 };
	ins_ticket(f, &b);
	mark(f, 3, b.day);
	assert_int_equal(db_begin(f->db), 0);
	values(f, 0, 3, "2027-10-02", "2027-10-02", &v);
	want_value(&v, KPI_M_TICKETS, 1);
	want_value(&v, KPI_M_RESPONSE_P90, 9);
	db_rollback(f->db);
	assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM kpi_dirty"), 1);   /* still dirty after the rollback */
	values(f, 0, 3, "2027-10-02", "2027-10-02", &v);
	want_value(&v, KPI_M_RESPONSE_P90, 9);
	assert_int_equal(sql_int(f, "SELECT COUNT(*) FROM kpi_dirty"), 0);
	/* Another database (instance) → the copy starts over from kpi_daily. */
	sql(f, "UPDATE kpi_state SET instance = 'another'");
	values(f, 0, 3, "2027-10-01", "2027-10-31", &v);
	want_value(&v, KPI_M_TICKETS, 6);
	/* A version that went back (a restored backup) → starts over too. */
	sql(f, "UPDATE kpi_state SET version = 0");
	sql(f, "UPDATE kpi_daily SET version = 0");
	values(f, 0, 3, "2027-10-01", "2027-10-31", &v);
	want_value(&v, KPI_M_TICKETS, 6);
	kpi_stats_get(&s1);
	assert_int_equal(s1.version, 0);
}

/* ================================ Randomized: the engine against brute force over the raw records ================================ */

struct expect {
	int64_t c[32];
};

/* Brute force: the measures of the records matching (all or dept) within [a, b] (day strings compare as dates). */
static void brute(const struct tk *t, size_t nt, const struct cp *c, size_t nc, int all, int dept, const char *a,
	const char *b, struct kpi_values *out)
{
	int64_t tickets = 0, resolved = 0, fcr = 0, reopened = 0, rn = 0, rs = 0, sn = 0, ss = 0, wn = 0, ws = 0;
	int64_t sran = 0, sram = 0, ssn = 0, ssm = 0, scn = 0, scm = 0, rat = 0, ratsum = 0, sat = 0, cn = 0, cv = 0, ci = 0;
	uint32_t *resp = malloc((nt + 1) * sizeof *resp), *reso = malloc((nt + 1) * sizeof *reso);
	size_t nresp = 0, nreso = 0;
	for (size_t i = 0; i < nt; i++) {
		if ((!all && t[i].dept != dept) || strcmp(t[i].day, a) < 0 || strcmp(t[i].day, b) > 0)
			continue;
		tickets++;
		if (t[i].resolved) {
			resolved++;
			fcr += t[i].reassign == 0;
		}
		reopened += t[i].reopen >= 1;
		if (t[i].resp != NUL) {
			rn++;
			rs += t[i].resp;
			resp[nresp++] = (uint32_t)t[i].resp;
		}
		if (t[i].reso != NUL) {
			sn++;
			ss += t[i].reso;
			reso[nreso++] = (uint32_t)t[i].reso;
		}
		if (t[i].wait != NUL) {
			wn++;
			ws += t[i].wait;
		}
		if (t[i].slar != NUL) {
			sran++;
			sram += t[i].slar;
		}
		if (t[i].slas != NUL) {
			ssn++;
			ssm += t[i].slas;
		}
		if (t[i].src != NUL) {
			scn++;
			scm += t[i].src;
		}
		if (t[i].score) {
			rat++;
			ratsum += t[i].score;
			sat += t[i].score >= 4;
		}
	}
	for (size_t i = 0; i < nc; i++) {
		if ((!all && c[i].dept != dept) || strcmp(c[i].day, a) < 0 || strcmp(c[i].day, b) > 0)
			continue;
		cn++;
		cv += c[i].valid == 1;
		ci += c[i].answered != NUL && c[i].answered <= c[i].deadline;
	}
	memset(out, 0, sizeof *out);
	for (int m = 0; m < KPI_NM; m++)
		out->value[m] = NAN;
#define SETV(m, x) do { out->present |= 1u << (m); out->value[m] = (x); } while (0)
#define RATIO(m, n, d) do { if ((d) > 0) SETV(m, (double)(n) / (double)(d)); } while (0)
	if (tickets > 0)
		SETV(KPI_M_TICKETS, (double)tickets);
	RATIO(KPI_M_RESOLUTION_RATE, resolved, tickets);
	RATIO(KPI_M_FCR_RATE, fcr, resolved);
	RATIO(KPI_M_RESPONSE_AVG, rs, rn);
	if (sn > 0)
		SETV(KPI_M_RESOLUTION_AVG, (double)ss / (double)sn / 60.0);
	RATIO(KPI_M_WAIT_AVG, ws, wn);
	RATIO(KPI_M_SLA_RESPONSE_RATE, sram, sran);
	RATIO(KPI_M_SLA_RESOLUTION_RATE, ssm, ssn);
	RATIO(KPI_M_SLA_SOURCE_RATE, scm, scn);
	RATIO(KPI_M_REOPEN_RATE, reopened, resolved);
	RATIO(KPI_M_SATISFACTION_AVG, ratsum, rat);
	RATIO(KPI_M_SATISFIED_RATE, sat, rat);
	RATIO(KPI_M_COMPLAINT_RATE, cn, tickets);
	RATIO(KPI_M_VALID_COMPLAINT_RATE, cv, cn);
	RATIO(KPI_M_COMPLAINT_IN_TIME_RATE, ci, cn);
	qsort(resp, nresp, sizeof *resp, u32cmp);
	qsort(reso, nreso, sizeof *reso, u32cmp);
	if (nresp)
		SETV(KPI_M_RESPONSE_P90, (double)resp[(9 * nresp + 9) / 10 - 1]);
	if (nreso)
		SETV(KPI_M_RESOLUTION_P90, (double)reso[(9 * nreso + 9) / 10 - 1] / 60.0);
#undef SETV
#undef RATIO
	free(resp);
	free(reso);
}

static void compare(const struct kpi_values *got, const struct kpi_values *want, const char *what)
{
	for (int m = 0; m < KPI_NM; m++) {
		if (HAS(*got, m) != HAS(*want, m))
			fail_msg("%s: %s present %d, expected %d", what, kpi_measure_key(m), HAS(*got, m), HAS(*want, m));
		if (HAS(*got, m) && got->value[m] != want->value[m])
			fail_msg("%s: %s = %.17g, expected %.17g", what, kpi_measure_key(m), got->value[m], want->value[m]);
	}
}

static void day_of(int i, char out[11])
{
	struct nl_date d0 = { 2027, 1, 20 }, d;
	assert_int_equal(date_add_days(d0, i, &d), 0);
	assert_int_equal(date_format(d, out), 0);
}

static void check_all(struct fx *f, const struct tk *t, size_t nt, const struct cp *c, size_t nc)
{
	static const char *ranges[][2] = {
		{ "2027-01-01", "2027-12-31" }, { "2027-02-01", "2027-02-28" }, { "2027-01-20", "2027-03-31" },
		{ "2027-02-14", "2027-04-03" }, { "2027-03-31", "2027-03-31" }, { "2027-01-01", "2027-01-19" },
	};
	for (size_t r = 0; r < NL_ARRAY_LEN(ranges); r++) {
		for (int dept = -1; dept <= 6; dept++) {
			struct kpi_values got, want;
			char what[96];
			snprintf(what, sizeof what, "%s..%s dept %d", ranges[r][0], ranges[r][1], dept);
			values(f, dept < 0, dept < 0 ? 0 : dept, ranges[r][0], ranges[r][1], &got);
			brute(t, nt, c, nc, dept < 0, dept, ranges[r][0], ranges[r][1], &want);
			compare(&got, &want, what);
		}
	}
}

static void test_random_against_brute_force(void **state)
{
	struct fx *f = need(state);
	enum { NT = 3000, NCP = 150, NDAYS = 75 };
	struct tk *t = calloc(NT, sizeof *t);
	struct cp *c = calloc(NCP, sizeof *c);
	assert_int_equal(db_begin(f->db), 0);
	for (int i = 0; i < NT; i++) {
		struct tk *x = &t[i];
		x->id = 1000 + i;
		x->dept = (int)rnd_below(7);   /* 0 = no department */
		day_of((int)rnd_below(NDAYS), x->day);
		x->resolved = rnd_below(10) < 8;
		x->reassign = rnd_below(4) == 0 ? (int)rnd_below(3) + 1 : 0;
		x->reopen = rnd_below(12) == 0;
		x->resp = rnd_below(20) == 0 ? NUL : (int64_t)rnd_below(rnd_below(2) ? 60 : 3000);
		x->reso = !x->resolved || rnd_below(30) == 0 ? NUL : (int64_t)rnd_below(rnd_below(3) ? 2000 : 60000);
		x->wait = rnd_below(10) == 0 ? NUL : (int64_t)rnd_below(200);
		x->slar = rnd_below(5) == 0 ? NUL : (int)rnd_below(2);
		x->slas = rnd_below(5) == 0 ? NUL : (int)rnd_below(2);
		x->src = rnd_below(2) ? NUL : (int)rnd_below(2);
		x->score = x->resolved && rnd_below(4) == 0 ? 1 + (int)rnd_below(5) : 0;
		ins_ticket(f, x);
		assert_int_equal(kpi_mark_dirty(&f->ctx, x->dept, x->day), 0);
	}
	for (int i = 0; i < NCP; i++) {
		struct cp *x = &c[i];
		x->id = 5000 + i;
		x->dept = (int)rnd_below(7);
		day_of((int)rnd_below(NDAYS), x->day);
		x->valid = rnd_below(3) == 0 ? NUL : (int)rnd_below(2);
		x->deadline = 1800000000 + rnd_below(1000);
		x->answered = rnd_below(4) == 0 ? NUL : (int64_t)1800000000 + rnd_below(1000);
		ins_complaint(f, x);
		assert_int_equal(kpi_mark_dirty(&f->ctx, x->dept, x->day), 0);
	}
	assert_int_equal(db_commit(f->db), 0);
	check_all(f, t, NT, c, NCP);   /* a bulk refresh: whole days read at once */
	/* A fresh process (the copy rebuilt from kpi_daily) gives the same. */
	kpi_reset();
	check_all(f, t, NT, c, NCP);
	/* Changes: 300 tickets move or change, 20 complaints change; each marks its old and new pair. */
	assert_int_equal(db_begin(f->db), 0);
	for (int k = 0; k < 300; k++) {
		struct tk *x = &t[rnd_below(NT)];
		assert_int_equal(kpi_mark_dirty(&f->ctx, x->dept, x->day), 0);
		x->dept = (int)rnd_below(7);
		day_of((int)rnd_below(NDAYS), x->day);
		x->resp = rnd_below(3) == 0 ? NUL : (int64_t)rnd_below(500);
		x->reopen = (int)rnd_below(2);
		char dept[16];
		if (x->dept)
			snprintf(dept, sizeof dept, "%d", x->dept);
		else
			snprintf(dept, sizeof dept, "NULL");
		char resp[24];
		put_int(resp, sizeof resp, x->resp);
		sql(f, "UPDATE tickets SET department_id = %s, opened_day = '%s', response_minutes = %s, reopen_count = %d"
			" WHERE id = %lld", dept, x->day, resp, x->reopen, (long long)x->id);
		assert_int_equal(kpi_mark_dirty(&f->ctx, x->dept, x->day), 0);
	}
	for (int k = 0; k < 20; k++) {
		struct cp *x = &c[rnd_below(NCP)];
		assert_int_equal(kpi_mark_dirty(&f->ctx, x->dept, x->day), 0);
		x->dept = (int)rnd_below(7);
		x->valid = (int)rnd_below(2);
		char dept[16];
		if (x->dept)
			snprintf(dept, sizeof dept, "%d", x->dept);
		else
			snprintf(dept, sizeof dept, "NULL");
		sql(f, "UPDATE complaints SET department_id = %s, valid = %d WHERE id = %lld", dept, x->valid, (long long)x->id);
		assert_int_equal(kpi_mark_dirty(&f->ctx, x->dept, x->day), 0);
	}
	assert_int_equal(db_commit(f->db), 0);
	check_all(f, t, NT, c, NCP);
	kpi_reset();
	check_all(f, t, NT, c, NCP);
	free(t);
	free(c);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_nearest_rank),
		cmocka_unit_test(test_hist_build_and_rank),
		cmocka_unit_test(test_hist_text_form),
		cmocka_unit_test(test_hist_merge_exact),
	};
#define DBT(fn, fx) cmocka_unit_test_prestate_setup_teardown(fn, fx_setup, fx_teardown, &fx)
	const struct CMUnitTest db_sqlite[] = {
		DBT(test_formulas, fx_sqlite),
		DBT(test_absent_vs_zero, fx_sqlite),
		DBT(test_percentiles, fx_sqlite),
		DBT(test_ratings_paths, fx_sqlite),
		DBT(test_move_between_departments_and_days, fx_sqlite),
		DBT(test_sync_paths, fx_sqlite),
		DBT(test_random_against_brute_force, fx_sqlite),
	};
	const struct CMUnitTest db_pg[] = {
		DBT(test_formulas, fx_pg),
		DBT(test_absent_vs_zero, fx_pg),
		DBT(test_percentiles, fx_pg),
		DBT(test_ratings_paths, fx_pg),
		DBT(test_move_between_departments_and_days, fx_pg),
		DBT(test_sync_paths, fx_pg),
		DBT(test_random_against_brute_force, fx_pg),
	};
	int fails = cmocka_run_group_tests_name("kpi_pure", pure, NULL, NULL);
	fails += cmocka_run_group_tests_name("kpi_sqlite", db_sqlite, NULL, NULL);
	fails += cmocka_run_group_tests_name("kpi_postgres", db_pg, NULL, NULL);
	return fails;
}
