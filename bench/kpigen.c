/* kpigen.c — the deterministic ticket generator of bench/kpi.sh: N tickets over 20 departments and two years
 * (2025-01-01 .. 2026-12-31, Asia/Shanghai days), with first response, assignment, resolution, reassignments,
 * reopenings, SLA verdicts, source verdicts, ratings (about a quarter of the resolved tickets) and complaints (0.3 %),
 * the derived columns computed as the records rooms compute them (whole minutes, NULL when missing or negative).
 * Ticket i is a pure function of (seed, i): the SQLite fill and the CSV streams for PostgreSQL hold the same records.
 *
 *   nengli-kpigen sqlite DB N      fills a database made by `nengli init` (one transaction, prepared statements) and
 *                                  marks every (department, day) pair dirty, as an import does
 *   nengli-kpigen csv TABLE N      writes TABLE as CSV to stdout, for psql's \copy with these columns:
 *       departments (id, code, name, created_at, updated_at)
 *       tickets (id, source, external_id, channel, category, priority, status, department_id, opened_at, opened_day,
 *                assigned_at, first_response_at, resolved_at, closed_at, reassignment_count, reopen_count,
 *                response_minutes, resolution_minutes, wait_minutes, sla_response_met, sla_resolution_met,
 *                sla_source_made, created_at, updated_at)
 *       ratings (ticket_id, score, rated_at, rated_day)   — the table ticket_ratings
 *       complaints (id, channel, ticket_id, department_id, category, content, received_at, received_day,
 *                   answer_deadline, status, valid, answered_at, created_at, updated_at)
 *       dirty (department_id, day)                        — the table kpi_dirty
 * Not part of the server: a benchmark tool. */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NDEPT 20
#define FIRST_DEPT_SEEDED 5              /* `nengli init` seeds departments 1..5 */
#define START 1735660800LL               /* 2025-01-01T00:00:00+08:00 */
#define SPAN (730LL * 86400)             /* two years */
#define OFFSET (8 * 3600)                /* Asia/Shanghai, no DST since 1991 */
#define NDAYS 731
#define NOW "2027-01-01T00:00:00Z"

struct ticket {
	int64_t id;
	int dept;
	int prio;                 /* 1..4 */
	int64_t opened, assigned, response, resolved, closed;   /* 0: none */
	int reassign, reopen;
	int64_t resp_min, reso_min, wait_min;                  /* -1: NULL */
	int sla_resp, sla_reso, src;                           /* -1: NULL */
	int score;                                              /* 0: not rated */
	int complaint;                                          /* 1: a complaint was received */
	int c_delay_days, c_valid, c_answered, c_in_time;       /* c_valid -1: not verified */
	char day[11];
};

static uint64_t mix(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A stream of pseudo-random numbers for one ticket. */
struct rng {
	uint64_t s;
};
static uint64_t next(struct rng *r)
{
	return mix(r->s += 0x632BE59BD9B4E019ull);
}
static double unit(struct rng *r)
{
	return (double)(next(r) >> 11) * (1.0 / 9007199254740992.0);
}
static int below(struct rng *r, int n)
{
	return (int)(next(r) % (uint64_t)n);
}
/* An exponential duration in seconds with the given mean. */
static int64_t expo(struct rng *r, double mean)
{
	double u = unit(r);
	return (int64_t)(-log(1.0 - u) * mean);
}

static void civil(int64_t days, char out[11])
{
	/* days since 1970-01-01 → YYYY-MM-DD (Howard Hinnant's civil_from_days). */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, 11, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

static const int64_t resp_target[5] = { 0, 15, 30, 120, 480 };      /* minutes, by priority */
static const int64_t reso_target[5] = { 0, 240, 480, 1440, 4320 };
static const double reso_mean[5] = { 0, 4 * 3600.0, 10 * 3600.0, 26 * 3600.0, 60 * 3600.0 };

static void gen(uint64_t n, uint64_t i, struct ticket *t)
{
	struct rng r = { mix(0x6E656E676C69ull ^ (i * 0x100000001B3ull)) };
	memset(t, 0, sizeof *t);
	t->id = (int64_t)i + 1;
	t->dept = 1 + below(&r, NDEPT);
	int p = below(&r, 100);
	t->prio = p < 5 ? 1 : p < 20 ? 2 : p < 70 ? 3 : 4;
	t->opened = START + (int64_t)((SPAN * (__int128)i) / (__int128)n) + below(&r, 60);
	civil((t->opened + OFFSET) / 86400, t->day);
	t->assigned = below(&r, 100) < 97 ? t->opened + expo(&r, 15 * 60.0) : 0;
	t->response = below(&r, 100) < 96 ? t->opened + expo(&r, 40 * 60.0 * t->prio / 2.0) : 0;
	if (below(&r, 100) < 90) {
		/* A log-normal-ish resolution time; one in a thousand has a clock error (resolved before opened). */
		double f = exp((unit(&r) - 0.5) * 2.5);
		t->resolved = t->opened + (int64_t)(reso_mean[t->prio] * f * (0.5 + unit(&r)));
		if (below(&r, 1000) == 0)
			t->resolved = t->opened - 60 * (1 + below(&r, 600));
		t->closed = below(&r, 100) < 80 ? t->resolved + expo(&r, 86400.0) : 0;
	}
	int ra = below(&r, 100);
	t->reassign = ra < 70 ? 0 : ra < 90 ? 1 : 2 + below(&r, 3);
	int ro = below(&r, 1000);
	t->reopen = ro < 40 ? 1 : ro < 45 ? 2 : 0;
	t->resp_min = t->response && t->response >= t->opened ? (t->response - t->opened) / 60 : -1;
	t->reso_min = t->resolved && t->resolved >= t->opened ? (t->resolved - t->opened) / 60 : -1;
	t->wait_min = t->assigned && t->assigned >= t->opened ? (t->assigned - t->opened) / 60 : -1;
	t->sla_resp = t->resp_min >= 0 ? t->resp_min <= resp_target[t->prio] : -1;
	t->sla_reso = t->reso_min >= 0 ? t->reso_min <= reso_target[t->prio] : -1;
	t->src = below(&r, 100) < 40 ? below(&r, 100) < 85 : -1;
	if (t->resolved && below(&r, 100) < 25) {
		int s = below(&r, 100);
		t->score = s < 50 ? 5 : s < 80 ? 4 : s < 90 ? 3 : s < 95 ? 2 : 1;
	}
	if (below(&r, 1000) < 3) {
		t->complaint = 1;
		t->c_delay_days = below(&r, 3);
		int v = below(&r, 10);
		t->c_valid = v == 0 ? -1 : v < 7;
		t->c_answered = below(&r, 100) < 85;
		t->c_in_time = below(&r, 100) < 90;
	}
}

static const char *status_of(const struct ticket *t)
{
	if (t->closed)
		return "closed";
	if (t->resolved)
		return "resolved";
	return t->assigned ? "in_progress" : "new";
}

static const char *const channels[] = { "phone", "email", "portal", "chat" };
static const char *const categories[] = { "network", "desktop", "account", "application", "hardware" };

/* The complaint of t: received some days after the ticket was opened, deadline 3 days later. */
static void complaint_times(const struct ticket *t, int64_t *received, int64_t *deadline, int64_t *answered, char day[11])
{
	*received = t->opened + t->c_delay_days * 86400LL + 3600;
	*deadline = *received + 3 * 86400LL;
	*answered = t->c_answered ? (t->c_in_time ? *received + 86400 : *deadline + 7200) : 0;
	civil((*received + OFFSET) / 86400, day);
}

/* ---------------- CSV ---------------- */

static void csv_int(FILE *f, int64_t v, int null_if_negative_or_zero)
{
	if ((null_if_negative_or_zero == 1 && v < 0) || (null_if_negative_or_zero == 2 && v == 0))
		fputs(",", f);
	else
		fprintf(f, ",%lld", (long long)v);
}

static int csv(const char *table, uint64_t n)
{
	FILE *f = stdout;
	struct ticket t;
	static char dirty[NDEPT + 1][NDAYS + 8];
	if (!strcmp(table, "departments")) {
		for (int d = FIRST_DEPT_SEEDED + 1; d <= NDEPT; d++)
			fprintf(f, "%d,B%02d,Bench department %d,%s,%s\n", d, d, d, NOW, NOW);
		return 0;
	}
	for (uint64_t i = 0; i < n; i++) {
		gen(n, i, &t);
		if (!strcmp(table, "tickets")) {
			fprintf(f, "%lld,bench,INC%09lld,%s,%s,P%d,%s,%d,%lld,%s", (long long)t.id, (long long)t.id,
				channels[t.id % 4], categories[t.id % 5], t.prio, status_of(&t), t.dept, (long long)t.opened, t.day);
			csv_int(f, t.assigned, 2);
			csv_int(f, t.response, 2);
			csv_int(f, t.resolved, 2);
			csv_int(f, t.closed, 2);
			fprintf(f, ",%d,%d", t.reassign, t.reopen);
			csv_int(f, t.resp_min, 1);
			csv_int(f, t.reso_min, 1);
			csv_int(f, t.wait_min, 1);
			csv_int(f, t.sla_resp, 1);
			csv_int(f, t.sla_reso, 1);
			csv_int(f, t.src, 1);
			fprintf(f, ",%s,%s\n", NOW, NOW);
		} else if (!strcmp(table, "ratings")) {
			if (t.score)
				fprintf(f, "%lld,%d,%s,%s\n", (long long)t.id, t.score, NOW, "2026-12-31");
		} else if (!strcmp(table, "complaints")) {
			if (t.complaint) {
				int64_t rec, dl, ans;
				char day[11];
				complaint_times(&t, &rec, &dl, &ans, day);
				fprintf(f, "%lld,phone,%lld,%d,service,bench complaint,%lld,%s,%lld,%s", (long long)t.id,
					(long long)t.id, t.dept, (long long)rec, day, (long long)dl, ans ? "answered" : "registered");
				csv_int(f, t.c_valid, 1);
				csv_int(f, ans, 2);
				fprintf(f, ",%s,%s\n", NOW, NOW);
			}
		} else if (!strcmp(table, "dirty")) {
			int64_t day = (t.opened + OFFSET) / 86400 - (START + OFFSET) / 86400;
			if (day >= 0 && day < NDAYS + 8 && !dirty[t.dept][day]) {
				dirty[t.dept][day] = 1;
				fprintf(f, "%d,%s\n", t.dept, t.day);
			}
			if (t.complaint) {
				int64_t rec, dl, ans;
				char cday[11];
				complaint_times(&t, &rec, &dl, &ans, cday);
				int64_t cd = (rec + OFFSET) / 86400 - (START + OFFSET) / 86400;
				if (cd >= 0 && cd < NDAYS + 8 && !dirty[t.dept][cd]) {
					dirty[t.dept][cd] = 1;
					fprintf(f, "%d,%s\n", t.dept, cday);
				}
			}
		} else {
			fprintf(stderr, "kpigen: unknown table %s\n", table);
			return 2;
		}
	}
	return fflush(f) ? 1 : 0;
}

/* ---------------- SQLite ---------------- */

static int check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "kpigen: %s: %s\n", what, sqlite3_errmsg(db));
		return 1;
	}
	return 0;
}

static void bind_opt(sqlite3_stmt *st, int idx, int64_t v, int mode)
{
	if ((mode == 1 && v < 0) || (mode == 2 && v == 0))
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_int64(st, idx, v);
}

static int fill_sqlite(const char *path, uint64_t n)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ti = NULL, *ra = NULL, *co = NULL, *di = NULL, *de = NULL;
	static char dirty[NDEPT + 1][NDAYS + 8];
	int bad = 0;
	if (check(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), "open"))
		return 1;
	bad |= check(db, sqlite3_exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-524288; BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
	bad |= check(db, sqlite3_prepare_v2(db, "INSERT INTO departments (id, code, name, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT DO NOTHING", -1, &de, NULL), "prepare departments");
	bad |= check(db, sqlite3_prepare_v2(db, "INSERT INTO tickets (id, source, external_id, channel, category, priority,"
		" status, department_id, opened_at, opened_day, assigned_at, first_response_at, resolved_at, closed_at,"
		" reassignment_count, reopen_count, response_minutes, resolution_minutes, wait_minutes, sla_response_met,"
		" sla_resolution_met, sla_source_made, created_at, updated_at) VALUES (?1, 'bench', ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
		" ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?22)", -1, &ti, NULL), "prepare tickets");
	bad |= check(db, sqlite3_prepare_v2(db, "INSERT INTO ticket_ratings (ticket_id, score, rated_at, rated_day)"
		" VALUES (?1, ?2, ?3, '2026-12-31')", -1, &ra, NULL), "prepare ratings");
	bad |= check(db, sqlite3_prepare_v2(db, "INSERT INTO complaints (id, channel, ticket_id, department_id, category,"
		" content, received_at, received_day, answer_deadline, status, valid, answered_at, created_at, updated_at)"
		" VALUES (?1, 'phone', ?1, ?2, 'service', 'bench complaint', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)", -1, &co, NULL),
		"prepare complaints");
	bad |= check(db, sqlite3_prepare_v2(db, "INSERT INTO kpi_dirty (department_id, day) VALUES (?1, ?2)", -1, &di, NULL),
		"prepare dirty");
	for (int d = FIRST_DEPT_SEEDED + 1; d <= NDEPT && !bad; d++) {
		char code[16], name[48];
		snprintf(code, sizeof code, "B%02d", d);
		snprintf(name, sizeof name, "Bench department %d", d);
		sqlite3_bind_int(de, 1, d);
		sqlite3_bind_text(de, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(de, 3, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(de, 4, NOW, -1, SQLITE_STATIC);
		bad |= check(db, sqlite3_step(de), "department");
		sqlite3_reset(de);
	}
	for (uint64_t i = 0; i < n && !bad; i++) {
		struct ticket t;
		char ext[16];
		gen(n, i, &t);
		snprintf(ext, sizeof ext, "INC%09lld", (long long)t.id);
		sqlite3_bind_int64(ti, 1, t.id);
		sqlite3_bind_text(ti, 2, ext, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ti, 3, channels[t.id % 4], -1, SQLITE_STATIC);
		sqlite3_bind_text(ti, 4, categories[t.id % 5], -1, SQLITE_STATIC);
		sqlite3_bind_text(ti, 5, t.prio == 1 ? "P1" : t.prio == 2 ? "P2" : t.prio == 3 ? "P3" : "P4", -1, SQLITE_STATIC);
		sqlite3_bind_text(ti, 6, status_of(&t), -1, SQLITE_STATIC);
		sqlite3_bind_int(ti, 7, t.dept);
		sqlite3_bind_int64(ti, 8, t.opened);
		sqlite3_bind_text(ti, 9, t.day, -1, SQLITE_TRANSIENT);
		bind_opt(ti, 10, t.assigned, 2);
		bind_opt(ti, 11, t.response, 2);
		bind_opt(ti, 12, t.resolved, 2);
		bind_opt(ti, 13, t.closed, 2);
		sqlite3_bind_int(ti, 14, t.reassign);
		sqlite3_bind_int(ti, 15, t.reopen);
		bind_opt(ti, 16, t.resp_min, 1);
		bind_opt(ti, 17, t.reso_min, 1);
		bind_opt(ti, 18, t.wait_min, 1);
		bind_opt(ti, 19, t.sla_resp, 1);
		bind_opt(ti, 20, t.sla_reso, 1);
		bind_opt(ti, 21, t.src, 1);
		sqlite3_bind_text(ti, 22, NOW, -1, SQLITE_STATIC);
		bad |= check(db, sqlite3_step(ti), "ticket");
		sqlite3_reset(ti);
		if (t.score) {
			sqlite3_bind_int64(ra, 1, t.id);
			sqlite3_bind_int(ra, 2, t.score);
			sqlite3_bind_text(ra, 3, NOW, -1, SQLITE_STATIC);
			bad |= check(db, sqlite3_step(ra), "rating");
			sqlite3_reset(ra);
		}
		int64_t day = (t.opened + OFFSET) / 86400 - (START + OFFSET) / 86400;
		if (day >= 0 && day < NDAYS + 8 && !dirty[t.dept][day]) {
			dirty[t.dept][day] = 1;
			sqlite3_bind_int(di, 1, t.dept);
			sqlite3_bind_text(di, 2, t.day, -1, SQLITE_TRANSIENT);
			bad |= check(db, sqlite3_step(di), "dirty");
			sqlite3_reset(di);
		}
		if (t.complaint) {
			int64_t rec, dl, ans;
			char cday[11];
			complaint_times(&t, &rec, &dl, &ans, cday);
			sqlite3_bind_int64(co, 1, t.id);
			sqlite3_bind_int(co, 2, t.dept);
			sqlite3_bind_int64(co, 3, rec);
			sqlite3_bind_text(co, 4, cday, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(co, 5, dl);
			sqlite3_bind_text(co, 6, ans ? "answered" : "registered", -1, SQLITE_STATIC);
			bind_opt(co, 7, t.c_valid, 1);
			bind_opt(co, 8, ans, 2);
			sqlite3_bind_text(co, 9, NOW, -1, SQLITE_STATIC);
			bad |= check(db, sqlite3_step(co), "complaint");
			sqlite3_reset(co);
			int64_t cd = (rec + OFFSET) / 86400 - (START + OFFSET) / 86400;
			if (cd >= 0 && cd < NDAYS + 8 && !dirty[t.dept][cd]) {
				dirty[t.dept][cd] = 1;
				sqlite3_bind_int(di, 1, t.dept);
				sqlite3_bind_text(di, 2, cday, -1, SQLITE_TRANSIENT);
				bad |= check(db, sqlite3_step(di), "dirty");
				sqlite3_reset(di);
			}
		}
	}
	sqlite3_finalize(ti);
	sqlite3_finalize(ra);
	sqlite3_finalize(co);
	sqlite3_finalize(di);
	sqlite3_finalize(de);
	if (!bad)
		bad |= check(db, sqlite3_exec(db, "COMMIT; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), "commit");
	sqlite3_close(db);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc != 4 || (strcmp(argv[1], "sqlite") && strcmp(argv[1], "csv"))) {
		fprintf(stderr, "usage: nengli-kpigen sqlite DB N | nengli-kpigen csv TABLE N\n");
		return 2;
	}
	char *end = NULL;
	unsigned long long n = strtoull(argv[3], &end, 10);
	if (!end || *end || n == 0 || n > 100000000ull) {
		fprintf(stderr, "kpigen: N must be 1..100000000\n");
		return 2;
	}
	if (!strcmp(argv[1], "csv"))
		return csv(argv[2], n);
	return fill_sqlite(argv[2], n);
}
