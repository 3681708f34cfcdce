/* test_evaluation.c — the pure parts of the cycle's evaluation and "today": which value stands for a metric's year
 * (evaluation_pick_value), the validation of quality's edited problems and suggestions, and the TZif reader that turns
 * the organisation's time zone into a UTC offset (cycle/today.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/err.h"
#include "cycle/evaluation.h"
#include "core/tz.h"
#include "cycle/today.h"
#include "core/common.h"

/* ---- evaluation_pick_value ---- */

static void test_pick_latest_quarter(void **state)
{
	(void)state;
	struct nl_eval_value v[] = { { "2027-Q1", 1 }, { "2027-Q3", 1 }, { "2027-Q2", 1 }, { "2027-Q4", 0 } };
	assert_int_equal(evaluation_pick_value(v, 4, 2027), 1);   /* Q4 has no status */
}

static void test_pick_year_value_wins(void **state)
{
	(void)state;
	struct nl_eval_value v[] = { { "2027-12", 1 }, { "2027", 1 }, { "2027-11", 1 } };
	assert_int_equal(evaluation_pick_value(v, 3, 2027), 1);
	/* a year value without a status does not count */
	struct nl_eval_value w[] = { { "2027-12", 1 }, { "2027", 0 }, { "2027-11", 1 } };
	assert_int_equal(evaluation_pick_value(w, 3, 2027), 0);
}

static void test_pick_ignores_other_years_and_garbage(void **state)
{
	(void)state;
	struct nl_eval_value v[] = { { "2028-01", 1 }, { "2026", 1 }, { "2027-Q5", 1 }, { NULL, 1 }, { "2027-02", 1 }, { "2027-01", 1 } };
	assert_int_equal(evaluation_pick_value(v, 6, 2027), 4);
	struct nl_eval_value none[] = { { "2026-12", 1 }, { "2027-03", 0 } };
	assert_int_equal(evaluation_pick_value(none, 2, 2027), -1);
	assert_int_equal(evaluation_pick_value(NULL, 0, 2027), -1);
	/* months and quarters mixed (a metric whose frequency changed): the one starting last */
	struct nl_eval_value mixed[] = { { "2027-Q4", 1 }, { "2027-11", 1 } };
	assert_int_equal(evaluation_pick_value(mixed, 2, 2027), 1);
}

/* ---- problems and suggestions ---- */

static json_t *parse(const char *s)
{
	json_error_t je;
	json_t *j = json_loads(s, JSON_DECODE_ANY, &je);
	assert_non_null(j);
	return j;
}

/* Expects evaluation_problems_check (which = 0) or _suggestions_check (1) to refuse s naming field. */
static void expect_refused(int which, const char *s, const char *field)
{
	struct nl_error e = { 0 };
	json_t *in = parse(s), *out = (json_t *)0x1;
	int rc = which ? evaluation_suggestions_check(in, &out, &e) : evaluation_problems_check(in, &out, &e);
	if (rc != NL_EVALID || strcmp(e.field, field) != 0)
		fail_msg("%s: rc %d field \"%s\", expected NL_EVALID \"%s\"", s, rc, e.field, field);
	assert_null(out);
	json_decref(in);
}

static void test_problems_normalized(void **state)
{
	(void)state;
	struct nl_error e = { 0 };
	json_t *in = parse("[{\"text\":\"可用率未达标\",\"element\":\"process\",\"source\":{\"kind\":\"metric\",\"metric_id\":3,"
			   "\"code\":\"AV\",\"period\":\"2027\"}},{\"text\":\"x\",\"element\":null}]");
	json_t *out = NULL;
	assert_int_equal(evaluation_problems_check(in, &out, &e), 0);
	char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "[{\"element\":\"process\",\"source\":{\"code\":\"AV\",\"kind\":\"metric\",\"metric_id\":3,"
			       "\"period\":\"2027\"},\"text\":\"可用率未达标\",\"text_en\":\"\"},"
			       "{\"element\":null,\"source\":null,\"text\":\"x\",\"text_en\":\"\"}]");
	free(s);
	json_decref(out);
	json_decref(in);
	/* an empty list is a valid edit */
	in = parse("[]");
	assert_int_equal(evaluation_problems_check(in, &out, &e), 0);
	assert_int_equal(json_array_size(out), 0);
	json_decref(out);
	json_decref(in);
}

static void test_problems_refused(void **state)
{
	(void)state;
	expect_refused(0, "{}", "problems");
	expect_refused(0, "[\"text\"]", "problems[0]");
	expect_refused(0, "[{\"text\":\"a\"},{\"text\":\"\"}]", "problems[1].text");
	expect_refused(0, "[{\"element\":\"people\"}]", "problems[0].text");
	expect_refused(0, "[{\"text\":\"a\",\"element\":\"money\"}]", "problems[0].element");
	expect_refused(0, "[{\"text\":\"a\",\"colour\":1}]", "problems[0].colour");
	expect_refused(0, "[{\"text\":\"a\",\"source\":{\"kind\":\"weather\"}}]", "problems[0].source.kind");
	expect_refused(0, "[{\"text\":\"a\",\"source\":{\"task_id\":1}}]", "problems[0].source.kind");
	expect_refused(0, "[{\"text\":\"a\",\"source\":{\"kind\":\"task\",\"task_id\":0}}]", "problems[0].source.task_id");
	expect_refused(0, "[{\"text\":\"a\",\"source\":[]}]", "problems[0].source");
	/* more than 200 entries */
	json_t *many = json_array();
	for (int i = 0; i < 201; i++)
		json_array_append_new(many, json_pack("{s:s}", "text", "p"));
	char *s = json_dumps(many, JSON_COMPACT);
	expect_refused(0, s, "problems");
	free(s);
	json_decref(many);
}

static void test_suggestions(void **state)
{
	(void)state;
	struct nl_error e = { 0 };
	json_t *in = parse("[{\"text\":\"培训\",\"owner_department_id\":2,\"owner_user_id\":null,\"due_date\":\"2028-03-31\"}]");
	json_t *out = NULL;
	assert_int_equal(evaluation_suggestions_check(in, &out, &e), 0);
	json_t *s0 = json_array_get(out, 0);
	assert_string_equal(json_string_value(json_object_get(s0, "priority")), "medium");
	assert_int_equal(json_integer_value(json_object_get(s0, "owner_department_id")), 2);
	assert_true(json_is_null(json_object_get(s0, "owner_user_id")));
	assert_true(json_is_null(json_object_get(s0, "source")));
	assert_string_equal(json_string_value(json_object_get(s0, "due_date")), "2028-03-31");
	json_decref(out);
	json_decref(in);
	expect_refused(1, "[{\"text\":\"a\",\"priority\":\"urgent\"}]", "suggestions[0].priority");
	expect_refused(1, "[{\"text\":\"a\",\"due_date\":\"2028-02-30\"}]", "suggestions[0].due_date");
	expect_refused(1, "[{\"text\":\"a\",\"due_date\":\"tomorrow\"}]", "suggestions[0].due_date");
	expect_refused(1, "[{\"text\":\"a\",\"owner_user_id\":-4}]", "suggestions[0].owner_user_id");
	expect_refused(1, "[{\"text\":\"a\"},{\"text\":\"b\",\"owner\":\"me\"}]", "suggestions[1].owner");
	expect_refused(1, "\"none\"", "suggestions");
}

/* ---- TZif ---- */

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void put64(unsigned char *p, int64_t v)
{
	put32(p, (uint32_t)((uint64_t)v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* A version 2 file: a v1 block with one UTC type, then the v2 block with types 0 = +1h ("AAA") and 1 = +2h ("BBB"),
 * transitions at 1000 (→ type 1) and 2000 (→ type 0), and the footer. Returns its length. */
static size_t build_tzif(unsigned char *b, const char *footer)
{
	size_t n = 0;
	memset(b, 0, 512);
	memcpy(b, "TZif2", 5);
	put32(b + 20 + 16, 1);   /* typecnt */
	put32(b + 20 + 20, 4);   /* charcnt */
	n = 44;
	put32(b + n, 0);         /* utoff 0, isdst 0, idx 0 */
	n += 6;
	memcpy(b + n, "UTC", 4);
	n += 4;
	size_t h = n;
	memcpy(b + h, "TZif2", 5);
	put32(b + h + 20 + 12, 2);   /* timecnt */
	put32(b + h + 20 + 16, 2);   /* typecnt */
	put32(b + h + 20 + 20, 8);   /* charcnt */
	n = h + 44;
	put64(b + n, 1000);
	put64(b + n + 8, 2000);
	n += 16;
	b[n++] = 1;
	b[n++] = 0;
	put32(b + n, 3600);
	b[n + 4] = 0;
	b[n + 5] = 0;
	n += 6;
	put32(b + n, 7200);
	b[n + 4] = 1;
	b[n + 5] = 4;
	n += 6;
	memcpy(b + n, "AAA\0BBB", 8);
	n += 8;
	size_t fl = strlen(footer);
	memcpy(b + n, footer, fl);
	return n + fl;
}

static int offset_at(const unsigned char *b, size_t n, int64_t t)
{
	int off = -1;
	assert_int_equal(tz_offset_tzif(b, n, t, &off), 0);
	return off;
}

static void test_tzif_transitions_and_footer(void **state)
{
	(void)state;
	unsigned char b[512];
	size_t n = build_tzif(b, "\nCCC-5\n");
	assert_int_equal(offset_at(b, n, 500), 3600);      /* before the first transition: type 0 */
	assert_int_equal(offset_at(b, n, 1000), 7200);     /* at a transition: the new type */
	assert_int_equal(offset_at(b, n, 1999), 7200);
	assert_int_equal(offset_at(b, n, 2500), 5 * 3600); /* after the last: the footer without DST */
	n = build_tzif(b, "\n<+0530>-5:30\n");
	assert_int_equal(offset_at(b, n, 2500), 5 * 3600 + 1800);
	n = build_tzif(b, "\nCET-1CEST,M3.5.0,M10.5.0/3\n");
	assert_int_equal(offset_at(b, n, 2500), 3600);     /* a DST footer: the last transition's type */
	n = build_tzif(b, "\n\n");
	assert_int_equal(offset_at(b, n, 2500), 3600);
}

static void test_tzif_refused(void **state)
{
	(void)state;
	unsigned char b[512];
	int off = 77;
	size_t n = build_tzif(b, "\nCCC-5\n");
	assert_int_equal(tz_offset_tzif(b, 40, 0, &off), NL_EVALID);
	assert_int_equal(tz_offset_tzif(b, 60, 0, &off), NL_EVALID);      /* the v2 block is cut off */
	assert_int_equal(tz_offset_tzif(b, n - 20, 0, &off), NL_EVALID);  /* inside the v2 data */
	assert_int_equal(tz_offset_tzif(NULL, 0, 0, &off), NL_EVALID);
	unsigned char bad[512];
	memcpy(bad, b, n);
	bad[0] = 'X';
	assert_int_equal(tz_offset_tzif(bad, n, 0, &off), NL_EVALID);
	memcpy(bad, b, n);
	bad[54 + 44 + 16] = 9;   /* the first transition's type index points past the types */
	assert_int_equal(tz_offset_tzif(bad, n, 1500, &off), NL_EVALID);
	memcpy(bad, b, n);
	put32(bad + 54 + 20 + 12, 0x7fffffff);   /* an absurd transition count */
	assert_int_equal(tz_offset_tzif(bad, n, 0, &off), NL_EVALID);
	assert_int_equal(off, 77);
}

static void test_zone_names(void **state)
{
	(void)state;
	int off = 0;
	assert_int_equal(tz_offset("../../etc/passwd", 0, &off), NL_EVALID);
	assert_int_equal(tz_offset("/etc/localtime", 0, &off), NL_EVALID);
	assert_int_equal(tz_offset("", 0, &off), NL_EVALID);
	assert_int_equal(tz_offset(NULL, 0, &off), NL_EVALID);
	assert_int_equal(tz_offset("Nowhere/Atlantis", 0, &off), NL_ENOTFOUND);
	/* Asia/Shanghai answers with or without a zone database (the built-in table) */
	assert_int_equal(tz_offset("Asia/Shanghai", 1798761600, &off), 0);   /* 2027-01-01T00:00:00Z */
	assert_int_equal(off, 8 * 3600);
}

static void test_zone_database(void **state)
{
	(void)state;
	if (access("/usr/share/zoneinfo/Europe/Berlin", R_OK) != 0 || getenv("TZDIR")) {
		skip();
		return;
	}
	int off = 0;
	assert_int_equal(tz_offset("Europe/Berlin", 1784000000, &off), 0);   /* 2026-07-14: summer time */
	assert_int_equal(off, 7200);
	assert_int_equal(tz_offset("Europe/Berlin", 1768000000, &off), 0);   /* 2026-01-09 */
	assert_int_equal(off, 3600);
	assert_int_equal(tz_offset("America/New_York", 1768000000, &off), 0);
	assert_int_equal(off, -5 * 3600);
	assert_int_equal(tz_offset("Asia/Kolkata", 1768000000, &off), 0);
	assert_int_equal(off, 5 * 3600 + 1800);
	assert_int_equal(tz_offset("UTC", 1768000000, &off), 0);
	assert_int_equal(off, 0);
	/* far beyond the last transition: the footer ("CST-8") */
	assert_int_equal(tz_offset("Asia/Shanghai", 4102444800LL + 86400LL * 365 * 50, &off), 0);
	assert_int_equal(off, 8 * 3600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_latest_quarter),
		cmocka_unit_test(test_pick_year_value_wins),
		cmocka_unit_test(test_pick_ignores_other_years_and_garbage),
		cmocka_unit_test(test_problems_normalized),
		cmocka_unit_test(test_problems_refused),
		cmocka_unit_test(test_suggestions),
		cmocka_unit_test(test_tzif_transitions_and_footer),
		cmocka_unit_test(test_tzif_refused),
		cmocka_unit_test(test_zone_names),
		cmocka_unit_test(test_zone_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
