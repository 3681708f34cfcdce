/* kpi_bench.c — in-process timings of the measures engine for bench/kpi.sh, on a database filled by nengli-kpigen:
 *   refresh   the first sync after the fill: every dirty (department, day) pair recomputed into kpi_daily
 *   cold      a new process's first full table: all kpi_daily rows loaded, months merged, table computed
 *   warm      the full table again (the copy is current: one state query + the computation + JSON), with the
 *             engine's cache of finished tables emptied before each run
 *   cached    the same table asked again unchanged (one state query + a copy of the finished table)
 *   write     one ticket changed and marked dirty, then the full table (refresh of one pair + table)
 *   sql       the same aggregates as one SQL query (GROUP BY department × month plus totals, p90 by ROW_NUMBER), and a
 *             check that every value of every row equals the engine's
 * Prints `key value` lines (times in ms). Not part of the server: a benchmark tool.
 *
 *   nengli-kpi-bench DB_URL FROM TO [RUNS] [--no-sql] */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "kpi/kpi.h"
#include "kpi/kpi_engine.h"
#include "store/store.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define AGG(col) \
	"COUNT(*), SUM(res), SUM(fcr), SUM(reo), COUNT(rm), SUM(rm), COUNT(sm), SUM(sm), COUNT(wm), SUM(wm), COUNT(a), SUM(a)," \
	" COUNT(b), SUM(b), COUNT(c), SUM(c), COUNT(sc), SUM(sc), SUM(CASE WHEN sc >= 4 THEN 1 ELSE 0 END)"
#define PCT(col, part) \
	"SELECT " part " AS d, m, " col " AS v, ROW_NUMBER() OVER (PARTITION BY " part ", m ORDER BY " col ") AS k," \
	" COUNT(*) OVER (PARTITION BY " part ", m) AS c FROM t WHERE " col " IS NOT NULL"

/* The whole KPI table (per department and month, and the totals per month) as one statement. */
static const char sql_table[] =
	"WITH t AS (SELECT COALESCE(t.department_id, 0) AS d, substr(t.opened_day, 1, 7) AS m,"
	" CASE WHEN t.resolved_at IS NOT NULL THEN 1 ELSE 0 END AS res,"
	" CASE WHEN t.resolved_at IS NOT NULL AND t.reassignment_count = 0 THEN 1 ELSE 0 END AS fcr,"
	" CASE WHEN t.reopen_count >= 1 THEN 1 ELSE 0 END AS reo, t.response_minutes AS rm, t.resolution_minutes AS sm,"
	" t.wait_minutes AS wm, t.sla_response_met AS a, t.sla_resolution_met AS b, t.sla_source_made AS c, r.score AS sc"
	" FROM tickets t LEFT JOIN ticket_ratings r ON r.ticket_id = t.id WHERE t.opened_day BETWEEN $1 AND $2),"
	" g AS (SELECT d, m, " AGG(x) " FROM t GROUP BY d, m UNION ALL SELECT -1, m, " AGG(x) " FROM t GROUP BY m),"
	" p1 AS (" PCT("rm", "d") " UNION ALL " PCT("rm", "-1") "),"
	" p2 AS (" PCT("sm", "d") " UNION ALL " PCT("sm", "-1") "),"
	" q AS (SELECT COALESCE(department_id, 0) AS d, substr(received_day, 1, 7) AS m, COUNT(*) AS n,"
	" SUM(CASE WHEN valid = 1 THEN 1 ELSE 0 END) AS v,"
	" SUM(CASE WHEN answered_at IS NOT NULL AND answered_at <= answer_deadline THEN 1 ELSE 0 END) AS i"
	" FROM complaints WHERE received_day BETWEEN $1 AND $2 GROUP BY COALESCE(department_id, 0), substr(received_day, 1, 7)"
	" UNION ALL SELECT -1, substr(received_day, 1, 7), COUNT(*), SUM(CASE WHEN valid = 1 THEN 1 ELSE 0 END),"
	" SUM(CASE WHEN answered_at IS NOT NULL AND answered_at <= answer_deadline THEN 1 ELSE 0 END)"
	" FROM complaints WHERE received_day BETWEEN $1 AND $2 GROUP BY substr(received_day, 1, 7))"
	" SELECT g.*, x1.v, x2.v, q.n, q.v, q.i FROM g"
	" LEFT JOIN (SELECT d, m, v FROM p1 WHERE k = (9 * c + 9) / 10) x1 ON x1.d = g.d AND x1.m = g.m"
	" LEFT JOIN (SELECT d, m, v FROM p2 WHERE k = (9 * c + 9) / 10) x2 ON x2.d = g.d AND x2.m = g.m"
	" LEFT JOIN q ON q.d = g.d AND q.m = g.m ORDER BY g.m, g.d";

/* The engine's value of key in the row (d, m) of the parsed table, or NAN when absent (or no such row). */
static double engine_value(json_t *rows, int64_t d, const char *m, const char *key, int *found)
{
	size_t i;
	json_t *row;
	*found = 0;
	json_array_foreach(rows, i, row) {
		json_t *dj = json_object_get(row, "department_id");
		int64_t rd = json_is_null(dj) ? -1 : json_integer_value(dj);
		if (rd != d || strcmp(json_string_value(json_object_get(row, "period")), m))
			continue;
		*found = 1;
		json_t *v = json_object_get(json_object_get(row, "values"), key);
		return v ? json_number_value(v) : NAN;
	}
	return NAN;
}

/* Compares the SQL row's measures with the engine's; returns the number of disagreements (printed). */
static int compare_row(struct nl_stmt *st, json_t *rows)
{
	int64_t d = stmt_column_int64(st, 0);
	const char *m = stmt_column_text(st, 1);
	int64_t c[32];
	for (int k = 2; k < 26; k++)
		c[k] = stmt_column_int64(st, k);
	int has_p1 = !stmt_column_is_null(st, 21), has_p2 = !stmt_column_is_null(st, 22);
	int64_t tickets = c[2], res = c[3], fcr = c[4], reo = c[5], rn = c[6], rs = c[7], sn = c[8], ss = c[9], wn = c[10];
	int64_t ws = c[11], an = c[12], am = c[13], bn = c[14], bm = c[15], cn = c[16], cm = c[17], scn = c[18];
	int64_t scs = c[19], sat = c[20], p1 = c[21], p2 = c[22], qn = c[23], qv = c[24], qi = c[25];
	struct {
		const char *key;
		double want;
	} w[] = {
		{ "tickets", tickets > 0 ? (double)tickets : NAN },
		{ "resolution_rate", tickets ? (double)res / (double)tickets : NAN },
		{ "first_contact_resolution_rate", res ? (double)fcr / (double)res : NAN },
		{ "response_minutes_avg", rn ? (double)rs / (double)rn : NAN },
		{ "response_minutes_p90", has_p1 ? (double)p1 : NAN },
		{ "resolution_hours_avg", sn ? (double)ss / (double)sn / 60.0 : NAN },
		{ "resolution_hours_p90", has_p2 ? (double)p2 / 60.0 : NAN },
		{ "wait_minutes_avg", wn ? (double)ws / (double)wn : NAN },
		{ "sla_response_rate", an ? (double)am / (double)an : NAN },
		{ "sla_resolution_rate", bn ? (double)bm / (double)bn : NAN },
		{ "sla_source_rate", cn ? (double)cm / (double)cn : NAN },
		{ "reopen_rate", res ? (double)reo / (double)res : NAN },
		{ "satisfaction_avg", scn ? (double)scs / (double)scn : NAN },
		{ "satisfied_rate", scn ? (double)sat / (double)scn : NAN },
		{ "complaint_rate", tickets ? (double)qn / (double)tickets : NAN },
		{ "valid_complaint_rate", qn ? (double)qv / (double)qn : NAN },
		{ "complaint_answered_in_time_rate", qn ? (double)qi / (double)qn : NAN },
	};
	int bad = 0;
	if (d == 0)
		return 0;   /* no department: the engine reports those in the totals only */
	for (size_t k = 0; k < sizeof w / sizeof w[0]; k++) {
		int found;
		double got = engine_value(rows, d, m, w[k].key, &found);
		if (!found) {
			printf("# mismatch: no engine row for department %lld, %s\n", (long long)d, m);
			return 1;
		}
		/* The engine writes 15 significant digits (as every JSON reply of the server): round the SQL's value alike. */
		double want = w[k].want;
		if (!isnan(want)) {
			char buf[40];
			snprintf(buf, sizeof buf, "%.15g", want);
			want = strtod(buf, NULL);
		}
		if (isnan(got) != isnan(want) || (!isnan(got) && got != want)) {
			if (bad++ < 5)
				printf("# mismatch: department %lld %s %s engine %.17g sql %.17g\n", (long long)d, m, w[k].key, got,
					want);
		}
	}
	return bad;
}

static int table(struct nl_ctx *ctx, struct kpi_table_query *q, struct nl_strbuf *b, double *ms)
{
	strbuf_reset(b);
	double t0 = now_ms();
	int rc = kpi_table_json(ctx, q, b);
	*ms = now_ms() - t0;
	if (rc)
		fprintf(stderr, "kpi-bench: kpi_table_json failed: %d %s\n", rc, ctx->err->message);
	return rc;
}

int main(int argc, char **argv)
{
	struct nl_store *store = NULL;
	struct nl_db *db = NULL;
	struct nl_error err = { 0 };
	struct nl_ctx ctx = { 0 };
	struct kpi_table_query q = { 0 };
	struct nl_strbuf b;
	struct kpi_stats s;
	char ebuf[512];
	int runs = 20, do_sql = 1, rc = 1;
	if (argc < 4) {
		fprintf(stderr, "usage: nengli-kpi-bench DB_URL FROM TO [RUNS] [--no-sql]\n");
		return 2;
	}
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "--no-sql"))
			do_sql = 0;
		else
			runs = (int)strtol(argv[i], NULL, 10);
	}
	if (runs < 1)
		runs = 1;
	if (date_parse(argv[2], &q.from) || date_parse(argv[3], &q.to)) {
		fprintf(stderr, "kpi-bench: FROM and TO are dates YYYY-MM-DD\n");
		return 2;
	}
	q.kind = NL_PERIOD_MONTH;
	q.measures = KPI_ALL_MEASURES;
	struct nl_store_options opt = { .pool_size = 1, .busy_timeout_ms = 60000 };
	if (store_open(argv[1], &opt, &store, ebuf, sizeof ebuf) || store_acquire(store, 5000, &db)) {
		fprintf(stderr, "kpi-bench: %s\n", ebuf);
		return 1;
	}
	ctx.db = db;
	ctx.err = &err;
	ctx.actor_name = "bench";
	ctx.request_id = "bench";
	strbuf_init(&b, 0);
	double ms, t0;

	/* The refresh of everything the fill marked dirty (and the first table). */
	kpi_reset();
	if (table(&ctx, &q, &b, &ms))
		goto out;
	kpi_stats_get(&s);
	printf("refresh_ms %.1f\nrefresh_read_ms %.1f\nrefresh_pairs %zu\nfirst_table_ms %.1f\n", s.last_refresh_ms,
		s.last_refresh_read_ms, s.last_refresh_pairs, ms);

	/* Cold: a new process's first table. */
	kpi_reset();
	if (table(&ctx, &q, &b, &ms))
		goto out;
	kpi_stats_get(&s);
	printf("cold_ms %.1f\nload_ms %.1f\nload_rows %zu\n", ms, s.last_load_ms, s.last_load_rows);
	printf("copy_days %zu\ncopy_months %zu\ncopy_hist_entries %zu\ncopy_mb %.1f\n", s.days, s.months, s.hist_entries,
		(double)s.bytes / 1048576.0);

	/* Warm. */
	double *t = calloc((size_t)runs, sizeof *t);
	for (int i = 0; i < runs; i++) {
		kpi_table_cache_clear();
		if (table(&ctx, &q, &b, &t[i]))
			goto out;
	}
	qsort(t, (size_t)runs, sizeof *t, dcmp);
	printf("warm_min_ms %.2f\nwarm_median_ms %.2f\nwarm_max_ms %.2f\njson_bytes %zu\n", t[0], t[runs / 2], t[runs - 1],
		b.len);
	for (int i = 0; i < runs; i++)
		if (table(&ctx, &q, &b, &t[i]))
			goto out;
	qsort(t, (size_t)runs, sizeof *t, dcmp);
	printf("cached_median_ms %.3f\n", t[runs / 2]);
	free(t);
	json_error_t je;
	json_t *parsed = json_loads(b.data, 0, &je);
	json_t *rows = json_object_get(parsed, "items");
	printf("rows %zu\n", json_array_size(rows));

	/* One ticket changes (as a PATCH would): the next table refreshes one pair. */
	{
		struct nl_stmt *st = NULL;
		t0 = now_ms();
		if (db_begin(db) || db_prepare(db, "UPDATE tickets SET reopen_count = reopen_count + 1 WHERE id = 1"
			" RETURNING COALESCE(department_id, 0), opened_day", &st) || stmt_step(st) != 1) {
			fprintf(stderr, "kpi-bench: cannot change ticket 1: %s\n", db_last_error(db));
			goto out;
		}
		int64_t dept = stmt_column_int64(st, 0);
		char day[16];
		snprintf(day, sizeof day, "%s", stmt_column_text(st, 1));
		stmt_done(st);
		if (kpi_mark_dirty(&ctx, dept, day) || db_commit(db))
			goto out;
		double write_ms = now_ms() - t0;
		if (table(&ctx, &q, &b, &ms))
			goto out;
		printf("write_ms %.2f\nafter_write_table_ms %.2f\n", write_ms, ms);
		if (db_begin(db) || db_exec(db, "UPDATE tickets SET reopen_count = reopen_count - 1 WHERE id = 1"))
			goto out;
		if (kpi_mark_dirty(&ctx, dept, day) || db_commit(db) || table(&ctx, &q, &b, &ms))
			goto out;
	}

	if (do_sql) {
		struct nl_stmt *st = NULL;
		int nrows = 0, bad = 0;
		t0 = now_ms();
		if (db_prepare(db, sql_table, &st)) {
			fprintf(stderr, "kpi-bench: the SQL does not prepare: %s\n", db_last_error(db));
			goto out;
		}
		stmt_bind_text(st, 1, argv[2]);
		stmt_bind_text(st, 2, argv[3]);
		int src;
		double first_row_ms = -1;
		while ((src = stmt_step(st)) == 1) {
			if (first_row_ms < 0)
				first_row_ms = now_ms() - t0;
			nrows++;
			bad += compare_row(st, rows);
		}
		stmt_done(st);
		if (src < 0) {
			fprintf(stderr, "kpi-bench: the SQL failed: %s\n", db_last_error(db));
			goto out;
		}
		printf("sql_ms %.1f\nsql_rows %d\nsql_mismatches %d\n", first_row_ms, nrows, bad);
	}
	json_decref(parsed);
	rc = 0;
out:
	strbuf_cleanup(&b);
	store_release(db);
	store_close(store);
	return rc;
}
