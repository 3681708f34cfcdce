/* test_improvement.c — the improvement room: the risk score and level boundaries, the innovation lifecycle table, and
 * against a temporary SQLite store the innovation measures (proposals, pilots, adoptions by period and department),
 * the adopted innovations of a year, and the overdue-review reminders (owner and quality only, none once closed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "cycle/period.h"
#include "improvement/improvement.h"
#include "improvement/innovation.h"
#include "improvement/risk.h"
#include "store/migrate.h"
#include "store/store.h"

/* ================================ pure rules ================================ */

static void test_risk_score_and_level(void **state)
{
	(void)state;
	/* the whole 5 × 5 grid: score = l × i, level by the documented bounds */
	for (int l = 1; l <= 5; l++) {
		for (int i = 1; i <= 5; i++) {
			int s = risk_score(l, i);
			assert_int_equal(s, l * i);
			const char *want = s <= 4 ? "low" : s <= 9 ? "medium" : s <= 15 ? "high" : "critical";
			assert_string_equal(risk_level(s), want);
		}
	}
	/* the boundaries themselves */
	assert_string_equal(risk_level(1), "low");
	assert_string_equal(risk_level(4), "low");
	assert_string_equal(risk_level(5), "medium");
	assert_string_equal(risk_level(9), "medium");
	assert_string_equal(risk_level(10), "high");
	assert_string_equal(risk_level(15), "high");
	assert_string_equal(risk_level(16), "critical");
	assert_string_equal(risk_level(25), "critical");
	/* outside the scale */
	assert_int_equal(risk_score(0, 3), 0);
	assert_int_equal(risk_score(6, 1), 0);
	assert_int_equal(risk_score(3, 6), 0);
	assert_int_equal(risk_score(-1, -1), 0);
	assert_null(risk_level(0));
	assert_null(risk_level(26));
	assert_null(risk_level(-4));
	/* the ranges used by the level filter agree with risk_level for every score */
	for (int k = 0; nl_risk_levels[k]; k++) {
		int min = 0, max = 0;
		assert_int_equal(risk_level_range(nl_risk_levels[k], &min, &max), 0);
		for (int s = 1; s <= 25; s++)
			assert_int_equal(s >= min && s <= max, !strcmp(risk_level(s), nl_risk_levels[k]));
	}
	int min = 7, max = 7;
	assert_int_equal(risk_level_range("extreme", &min, &max), NL_EVALID);
	assert_int_equal(risk_level_range(NULL, &min, &max), NL_EVALID);
	assert_int_equal(min, 7);
	assert_string_equal(risk_level_zh("critical"), "极高");
	assert_string_equal(risk_level_zh("x"), "");
}

struct move_case {
	const char *from, *to;
	int note;
	int want;
};

static void test_innovation_transitions(void **state)
{
	(void)state;
	static const struct move_case cases[] = {
		/* allowed */
		{ "proposed", "pilot", 0, 0 },
		{ "proposed", "pilot", 1, 0 },
		{ "proposed", "rejected", 1, 0 },
		{ "pilot", "adopted", 1, 0 },
		{ "pilot", "rejected", 1, 0 },
		/* allowed, but the note is missing */
		{ "proposed", "rejected", 0, NL_EVALID },
		{ "pilot", "adopted", 0, NL_EVALID },
		{ "pilot", "rejected", 0, NL_EVALID },
		/* not from here: skipping the pilot, staying put, going back */
		{ "proposed", "adopted", 1, NL_ESTATE },
		{ "proposed", "adopted", 0, NL_ESTATE },
		{ "proposed", "proposed", 1, NL_ESTATE },
		{ "pilot", "pilot", 1, NL_ESTATE },
		{ "pilot", "proposed", 1, NL_ESTATE },
		/* final states */
		{ "adopted", "pilot", 1, NL_ESTATE },
		{ "adopted", "rejected", 1, NL_ESTATE },
		{ "adopted", "adopted", 1, NL_ESTATE },
		{ "adopted", "proposed", 1, NL_ESTATE },
		{ "rejected", "pilot", 1, NL_ESTATE },
		{ "rejected", "adopted", 1, NL_ESTATE },
		{ "rejected", "rejected", 1, NL_ESTATE },
		{ "rejected", "proposed", 0, NL_ESTATE },
		/* unknown names */
		{ "proposed", "approved", 1, NL_ESTATE },
		{ "draft", "pilot", 1, NL_ESTATE },
		{ "proposed", NULL, 1, NL_ESTATE },
		{ NULL, "pilot", 1, NL_ESTATE },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const char *why = "unset";
		int rc = innovation_transition(cases[k].from, cases[k].to, cases[k].note, &why);
		if (rc != cases[k].want)
			fail_msg("%s → %s (note %d): got %d, want %d", cases[k].from ? cases[k].from : "NULL",
				cases[k].to ? cases[k].to : "NULL", cases[k].note, rc, cases[k].want);
		if (rc == 0)
			assert_null(why);
		else
			assert_true(why && strlen(why) > 10);
	}
	/* every pair of known statuses is covered by exactly the four moves */
	int allowed = 0;
	for (int a = 0; nl_innovation_statuses[a]; a++)
		for (int b = 0; nl_innovation_statuses[b]; b++)
			allowed += innovation_transition(nl_innovation_statuses[a], nl_innovation_statuses[b], 1, NULL) == 0;
	assert_int_equal(allowed, 4);
	const char *why = NULL;
	assert_int_equal(innovation_transition("adopted", "rejected", 1, &why), NL_ESTATE);
	assert_non_null(strstr(why, "final"));
	assert_int_equal(innovation_transition("proposed", "adopted", 1, &why), NL_ESTATE);
	assert_non_null(strstr(why, "pilot"));
}

/* ================================ against a store ================================ */

struct fixture {
	char path[64];
	struct nl_store *store;
	struct nl_db *db;
	struct nl_error err;
	struct nl_ctx ctx;
	struct nl_user member;     /* department 1 */
	struct nl_user member2;    /* department 2 */
	struct nl_user quality;    /* department 2 */
	struct nl_user planner;
};

static void exec_sql(struct fixture *f, const char *sql)
{
	testdb_exec(f->db, sql);
}

static void add_user(struct fixture *f, struct nl_user *u, int64_t id, const char *name, unsigned roles, int64_t dept)
{
	testdb_add_user(f->db, u, id, name, roles, dept);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (testdb_open("improvement", f->path, sizeof f->path, &f->store, &f->db))
		return -1;
	f->ctx.db = f->db;
	f->ctx.err = &f->err;
	f->ctx.actor_name = "test";
	f->ctx.request_id = "t";
	exec_sql(f, "INSERT INTO departments (id, code, name, created_at, updated_at) VALUES (1, 'D1', '一部', 'x', 'x')");
	exec_sql(f, "INSERT INTO departments (id, code, name, created_at, updated_at) VALUES (2, 'D2', '二部', 'x', 'x')");
	add_user(f, &f->member, 101, "member", NL_ROLE_MEMBER, 1);
	add_user(f, &f->member2, 102, "member2", NL_ROLE_MEMBER, 2);
	add_user(f, &f->quality, 103, "quality", NL_ROLE_QUALITY, 2);
	add_user(f, &f->planner, 104, "planner", NL_ROLE_PLANNER, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[96];
	store_release(f->db);
	store_close(f->store);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

/* Acts as `who` at noon (Asia/Shanghai) on the date ymd. */
static void act(struct fixture *f, const struct nl_user *who, const char *ymd)
{
	struct nl_date d;
	assert_int_equal(date_parse(ymd, &d), 0);
	f->ctx.actor = who;
	f->ctx.now = date_to_timestamp(d, 8 * 3600) + 12 * 3600;
	nl_error_clear(&f->err);
}

static int64_t propose(struct fixture *f, const struct nl_user *who, const char *on)
{
	json_t *out = NULL;
	act(f, who, on);
	struct nl_innovation_input in = { .title = "改进", .category = "process", .description = "说明" };
	assert_int_equal(innovation_create(&f->ctx, &in, &out), 0);
	int64_t id = json_integer_value(json_object_get(out, "id"));
	assert_string_equal(json_string_value(json_object_get(out, "proposed_on")), on);
	json_decref(out);
	return id;
}

static void advance(struct fixture *f, int64_t id, const char *to, const char *note, const char *on)
{
	json_t *out = NULL;
	act(f, &f->quality, on);
	int rc = innovation_advance(&f->ctx, id, to, note, &out);
	if (rc)
		fail_msg("advance %lld to %s: %d %s", (long long)id, to, rc, f->err.message);
	json_decref(out);
}

static double measure(struct fixture *f, const char *key, int64_t dept, const char *period)
{
	struct nl_period p;
	int has = -1;
	double v = -1, num = 0, den = 0;
	assert_int_equal(period_parse(period, &p), 0);
	assert_int_equal(improvement_measure(&f->ctx, key, dept, p, &has, &v, &num, &den), 0);
	assert_int_equal(has, 1);
	assert_true(isnan(num) && isnan(den));
	return v;
}

static void test_measures(void **state)
{
	struct fixture *f = *state;
	/* department 1: three proposals in 2026; two piloted (one in Q1, one in Q3), one of them adopted in Q4;
	 * department 2: one proposal rejected in 2026, one proposed in 2027 */
	int64_t a = propose(f, &f->member, "2026-01-15");
	int64_t b = propose(f, &f->member, "2026-02-20");
	propose(f, &f->planner, "2026-07-01");
	int64_t d = propose(f, &f->member2, "2026-03-03");
	propose(f, &f->member2, "2027-01-05");
	advance(f, a, "pilot", NULL, "2026-03-01");
	advance(f, b, "pilot", "", "2026-08-10");
	advance(f, a, "adopted", "成效良好", "2026-11-30");
	advance(f, d, "rejected", "重复", "2026-04-01");

	assert_true(improvement_measure_known("innovations"));
	assert_true(improvement_measure_known("innovation_pilots"));
	assert_true(improvement_measure_known("innovations_adopted"));
	assert_false(improvement_measure_known("innovations_rejected"));
	assert_false(improvement_measure_known(NULL));

	assert_true(measure(f, "innovations", 0, "2026") == 4.0);
	assert_true(measure(f, "innovations", 1, "2026") == 3.0);
	assert_true(measure(f, "innovations", 2, "2026") == 1.0);
	assert_true(measure(f, "innovations", 0, "2026-Q1") == 3.0);
	assert_true(measure(f, "innovations", 0, "2026-02") == 1.0);
	assert_true(measure(f, "innovations", 0, "2027") == 1.0);
	assert_true(measure(f, "innovations", 0, "2025") == 0.0);   /* a count of none is 0, a real value */
	assert_true(measure(f, "innovation_pilots", 0, "2026") == 2.0);
	assert_true(measure(f, "innovation_pilots", 0, "2026-Q1") == 1.0);
	assert_true(measure(f, "innovation_pilots", 0, "2026-Q3") == 1.0);
	assert_true(measure(f, "innovation_pilots", 2, "2026") == 0.0);
	assert_true(measure(f, "innovations_adopted", 0, "2026") == 1.0);
	assert_true(measure(f, "innovations_adopted", 1, "2026-Q4") == 1.0);
	assert_true(measure(f, "innovations_adopted", 1, "2026-Q3") == 0.0);
	assert_true(measure(f, "innovations_adopted", 2, "2026") == 0.0);

	struct nl_period p = { NL_PERIOD_YEAR, 2026, 0 };
	int has = 1;
	double v = 0, n = 0, dd = 0;
	assert_int_equal(improvement_measure(&f->ctx, "tickets", 0, p, &has, &v, &n, &dd), NL_EVALID);
	assert_int_equal(has, 0);
	struct nl_period bad = { NL_PERIOD_QUARTER, 2026, 5 };
	assert_int_equal(improvement_measure(&f->ctx, "innovations", 0, bad, &has, &v, &n, &dd), NL_EVALID);

	/* the adopted innovations of a year, for the evaluation */
	json_t *items = NULL;
	assert_int_equal(innovation_adopted_in_year(&f->ctx, 2026, &items), 0);
	assert_int_equal(json_array_size(items), 1);
	json_t *x = json_array_get(items, 0);
	assert_int_equal(json_integer_value(json_object_get(x, "id")), a);
	assert_string_equal(json_string_value(json_object_get(x, "pilot_result")), "成效良好");
	assert_string_equal(json_string_value(json_object_get(x, "decided_on")), "2026-11-30");
	assert_string_equal(json_string_value(json_object_get(x, "piloted_on")), "2026-03-01");
	json_decref(items);
	assert_int_equal(innovation_adopted_in_year(&f->ctx, 2027, &items), 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	assert_int_equal(innovation_adopted_in_year(&f->ctx, 1800, &items), NL_EVALID);
}

static void test_refused_advance_changes_nothing(void **state)
{
	struct fixture *f = *state;
	int64_t a = propose(f, &f->member, "2026-05-01");
	json_t *before = NULL, *after = NULL, *out = NULL;
	assert_int_equal(innovation_get(&f->ctx, a, 1, &before), 0);
	act(f, &f->quality, "2026-05-02");
	assert_int_equal(innovation_advance(&f->ctx, a, "adopted", "直接采纳", &out), NL_ESTATE);
	assert_string_equal(f->err.field, "to");
	assert_null(out);
	act(f, &f->quality, "2026-05-02");
	assert_int_equal(innovation_advance(&f->ctx, a, "rejected", " \t", &out), NL_EVALID);
	assert_string_equal(f->err.field, "note");
	act(f, &f->quality, "2026-05-02");
	assert_int_equal(innovation_advance(&f->ctx, 999, "pilot", NULL, &out), NL_ENOTFOUND);
	/* someone else's proposal: not editable by another member */
	act(f, &f->member2, "2026-05-02");
	struct nl_innovation_input in = { .title = "别人的" };
	assert_int_equal(innovation_update(&f->ctx, a, &in, NL_INNOVATION_SET_TITLE, &out), NL_EFORBIDDEN);
	assert_int_equal(innovation_get(&f->ctx, a, 1, &after), 0);
	assert_true(json_equal(before, after));
	json_decref(before);
	json_decref(after);
	assert_false(db_in_transaction(f->db));
}

static int64_t add_risk(struct fixture *f, const char *title, int l, int i, int64_t owner, const char *review_on,
	const char *status)
{
	json_t *out = NULL;
	act(f, &f->quality, "2026-06-01");
	struct nl_risk_input in = { .title = title, .element = "resources", .likelihood = l, .impact = i,
		.owner_user_id = owner, .review_on = review_on, .status = status };
	assert_int_equal(risk_create(&f->ctx, &in, &out), 0);
	int64_t id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

/* The reminders of `who` on `today` that are about risk `id`: 0 or 1, and its severity into sev. */
static int reminded(struct fixture *f, const struct nl_user *who, const char *today, int64_t id, char sev[16])
{
	struct nl_date d;
	json_t *items = json_array(), *o;
	size_t k;
	int n = 0;
	assert_int_equal(date_parse(today, &d), 0);
	f->ctx.actor = who;
	assert_int_equal(improvement_notifications(&f->ctx, items, d), 0);
	json_array_foreach(items, k, o) {
		assert_string_equal(json_string_value(json_object_get(o, "kind")), "risk_review_overdue");
		if (json_integer_value(json_object_get(o, "entity_id")) == id) {
			n++;
			if (sev)
				snprintf(sev, 16, "%s", json_string_value(json_object_get(o, "severity")));
		}
	}
	json_decref(items);
	return n;
}

static void test_review_reminders(void **state)
{
	struct fixture *f = *state;
	char sev[16] = "";
	int64_t r1 = add_risk(f, "备件不足", 4, 4, f->member.id, "2026-06-10", NULL);
	int64_t r2 = add_risk(f, "文档缺失", 1, 2, f->member.id, "2026-06-10", "accepted");
	int64_t r3 = add_risk(f, "已关闭", 5, 5, f->member.id, "2026-06-01", "closed");
	int64_t r4 = add_risk(f, "无复核日期", 5, 5, f->member.id, NULL, NULL);

	/* on the review day: not yet overdue */
	assert_int_equal(reminded(f, &f->member, "2026-06-10", r1, NULL), 0);
	/* the day after: the owner and quality, not another member nor a planner */
	assert_int_equal(reminded(f, &f->member, "2026-06-11", r1, sev), 1);
	assert_string_equal(sev, "danger");
	assert_int_equal(reminded(f, &f->member, "2026-06-11", r2, sev), 1);
	assert_string_equal(sev, "warning");
	assert_int_equal(reminded(f, &f->quality, "2026-06-11", r1, NULL), 1);
	assert_int_equal(reminded(f, &f->member2, "2026-06-11", r1, NULL), 0);
	assert_int_equal(reminded(f, &f->planner, "2026-06-11", r1, NULL), 0);
	/* closed risks and risks without a review date: never */
	assert_int_equal(reminded(f, &f->member, "2027-01-01", r3, NULL), 0);
	assert_int_equal(reminded(f, &f->quality, "2027-01-01", r4, NULL), 0);

	/* closing r1 ends its reminder */
	json_t *out = NULL;
	act(f, &f->quality, "2026-06-12");
	struct nl_risk_input in = { .status = "closed" };
	assert_int_equal(risk_update(&f->ctx, r1, &in, NL_RISK_SET_STATUS, &out), 0);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "closed");
	assert_int_equal(json_integer_value(json_object_get(out, "score")), 16);
	json_decref(out);
	assert_int_equal(reminded(f, &f->member, "2026-06-12", r1, NULL), 0);
	assert_int_equal(reminded(f, &f->quality, "2026-06-12", r1, NULL), 0);

	/* without an actor: NL_EUNAUTH */
	json_t *items = json_array();
	struct nl_date d = { 2026, 6, 12 };
	f->ctx.actor = NULL;
	assert_int_equal(improvement_notifications(&f->ctx, items, d), NL_EUNAUTH);
	json_decref(items);
}

static void test_risk_validation(void **state)
{
	struct fixture *f = *state;
	json_t *out = NULL;
	struct nl_risk_input ok = { .title = "风险", .element = "people", .likelihood = 2, .impact = 3 };
	struct nl_risk_input in;
	act(f, &f->quality, "2026-06-01");
	in = ok;
	in.likelihood = 6;
	assert_int_equal(risk_create(&f->ctx, &in, &out), NL_EVALID);
	assert_string_equal(f->err.field, "likelihood");
	nl_error_clear(&f->err);
	in = ok;
	in.impact = 0;
	assert_int_equal(risk_create(&f->ctx, &in, &out), NL_EVALID);
	assert_string_equal(f->err.field, "impact");
	nl_error_clear(&f->err);
	in = ok;
	in.element = "finance";
	assert_int_equal(risk_create(&f->ctx, &in, &out), NL_EVALID);
	assert_string_equal(f->err.field, "element");
	nl_error_clear(&f->err);
	in = ok;
	in.review_on = "2026-02-30";
	assert_int_equal(risk_create(&f->ctx, &in, &out), NL_EVALID);
	assert_string_equal(f->err.field, "review_on");
	nl_error_clear(&f->err);
	in = ok;
	in.owner_user_id = 999;
	assert_int_equal(risk_create(&f->ctx, &in, &out), NL_EVALID);
	assert_string_equal(f->err.field, "owner_user_id");
	nl_error_clear(&f->err);
	in = ok;
	in.plan_item_id = 999;
	assert_int_equal(risk_create(&f->ctx, &in, &out), NL_EVALID);
	assert_string_equal(f->err.field, "plan_item_id");
	nl_error_clear(&f->err);
	assert_null(out);
	/* nothing was written */
	struct nl_stmt *st;
	assert_int_equal(db_prepare(f->db, "SELECT COUNT(*) FROM risks", &st), 0);
	assert_int_equal(stmt_step(st), 1);
	assert_int_equal(stmt_column_int64(st, 0), 0);
	stmt_done(st);
	assert_int_equal(risk_create(&f->ctx, &ok, &out), 0);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "open");
	assert_string_equal(json_string_value(json_object_get(out, "level")), "medium");
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_risk_score_and_level),
		cmocka_unit_test(test_innovation_transitions),
		cmocka_unit_test_setup_teardown(test_measures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_advance_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_reminders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_risk_validation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
