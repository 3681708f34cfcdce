/* test_survey.c — the pure rules of satisfaction surveys (records/survey.h): question and weight validation with the
 * field named, the weighted score of a response and the rating it becomes, and the reproducible sample. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/err.h"
#include "records/survey.h"
#include "core/common.h"

static json_t *parse(const char *s)
{
	json_error_t e;
	json_t *j = json_loads(s, 0, &e);
	if (!j)
		fail_msg("bad test JSON: %s", e.text);
	return j;
}

/* Checks questions `q`, expecting rc and (when rc) the field. */
static void expect_questions(const char *q, int rc, const char *field)
{
	struct nl_error e = { 0 };
	json_t *j = parse(q);
	int got = survey_questions_check(j, &e);
	if (got != rc)
		fail_msg("%s: rc %d, expected %d (%s)", q, got, rc, e.message);
	if (field)
		assert_string_equal(e.field, field);
	json_decref(j);
}

static void test_questions_valid(void **state)
{
	(void)state;
	expect_questions("[{\"key\":\"speed\",\"text\":\"响应速度\",\"weight\":40},{\"key\":\"quality\",\"text\":\"质量\",\"weight\":60}]", 0, NULL);
	expect_questions("[{\"key\":\"all\",\"text\":\"总体\",\"weight\":100}]", 0, NULL);
}

static void test_questions_weights(void **state)
{
	(void)state;
	/* the sum is off: the array is named */
	expect_questions("[{\"key\":\"a\",\"text\":\"A\",\"weight\":40},{\"key\":\"b\",\"text\":\"B\",\"weight\":50}]", NL_EVALID, "questions");
	expect_questions("[{\"key\":\"a\",\"text\":\"A\",\"weight\":60},{\"key\":\"b\",\"text\":\"B\",\"weight\":50}]", NL_EVALID, "questions");
	/* one weight is wrong: that weight is named */
	expect_questions("[{\"key\":\"a\",\"text\":\"A\",\"weight\":100},{\"key\":\"b\",\"text\":\"B\",\"weight\":0}]", NL_EVALID,
		"questions[1].weight");
	expect_questions("[{\"key\":\"a\",\"text\":\"A\",\"weight\":50.5},{\"key\":\"b\",\"text\":\"B\",\"weight\":49.5}]", NL_EVALID,
		"questions[0].weight");
	expect_questions("[{\"key\":\"a\",\"text\":\"A\",\"weight\":\"100\"}]", NL_EVALID, "questions[0].weight");
	expect_questions("[{\"key\":\"a\",\"text\":\"A\",\"weight\":101}]", NL_EVALID, "questions[0].weight");
	expect_questions("[{\"key\":\"a\",\"text\":\"A\",\"weight\":-10},{\"key\":\"b\",\"text\":\"B\",\"weight\":110}]", NL_EVALID,
		"questions[0].weight");
	expect_questions("[{\"key\":\"a\",\"text\":\"A\"}]", NL_EVALID, "questions[0].weight");
}

static void test_questions_shape(void **state)
{
	(void)state;
	expect_questions("[]", NL_EVALID, "questions");
	expect_questions("{}", NL_EVALID, "questions");
	expect_questions("[1]", NL_EVALID, "questions[0]");
	expect_questions("[{\"key\":\"a\",\"text\":\"A\",\"weight\":50},{\"key\":\"a\",\"text\":\"B\",\"weight\":50}]", NL_EVALID,
		"questions[1].key");
	expect_questions("[{\"key\":\"Bad Key\",\"text\":\"A\",\"weight\":100}]", NL_EVALID, "questions[0].key");
	expect_questions("[{\"key\":\"\",\"text\":\"A\",\"weight\":100}]", NL_EVALID, "questions[0].key");
	expect_questions("[{\"key\":\"a\",\"text\":\"\",\"weight\":100}]", NL_EVALID, "questions[0].text");
	expect_questions("[{\"key\":\"a\",\"text\":\"A\",\"weight\":100,\"extra\":1}]", NL_EVALID, "questions[0].extra");
	/* 21 questions */
	char buf[4096];
	size_t n = 0;
	n += (size_t)snprintf(buf + n, sizeof buf - n, "[");
	for (int i = 0; i < 21; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s{\"key\":\"q%d\",\"text\":\"T\",\"weight\":%d}", i ? "," : "", i,
			i == 0 ? 80 : 1);
	snprintf(buf + n, sizeof buf - n, "]");
	expect_questions(buf, NL_EVALID, "questions");
	/* 500 characters of text are fine (CJK counts characters, not bytes), 501 are not */
	char text[501 * 3 + 1];
	text[0] = 0;
	for (int i = 0; i < 500; i++)
		strncat(text, "满", sizeof text - strlen(text) - 1);
	json_t *q = json_pack("[{s:s,s:s,s:i}]", "key", "a", "text", text, "weight", 100);
	struct nl_error e = { 0 };
	assert_int_equal(survey_questions_check(q, &e), 0);
	json_decref(q);
	strncat(text, "意", sizeof text - strlen(text) - 1);
	q = json_pack("[{s:s,s:s,s:i}]", "key", "a", "text", text, "weight", 100);
	assert_int_equal(survey_questions_check(q, &e), NL_EVALID);
	assert_string_equal(e.field, "questions[0].text");
	json_decref(q);
}

static const char *const QS = "[{\"key\":\"speed\",\"text\":\"S\",\"weight\":30},{\"key\":\"quality\",\"text\":\"Q\",\"weight\":50},"
			      "{\"key\":\"attitude\",\"text\":\"A\",\"weight\":20}]";

static int64_t total_of(const char *answers, int rc_expected, const char *field)
{
	struct nl_error e = { 0 };
	json_t *q = parse(QS), *a = parse(answers);
	int64_t total = -1;
	int rc = survey_answers_total(q, a, &total, &e);
	if (rc != rc_expected)
		fail_msg("%s: rc %d, expected %d (%s)", answers, rc, rc_expected, e.message);
	if (field)
		assert_string_equal(e.field, field);
	json_decref(q);
	json_decref(a);
	return total;
}

static void test_weighted_total(void **state)
{
	(void)state;
	/* 5×30 + 4×50 + 3×20 = 410 → weighted score 4.10 */
	assert_int_equal(total_of("{\"speed\":5,\"quality\":4,\"attitude\":3}", 0, NULL), 410);
	assert_int_equal(total_of("{\"attitude\":1,\"speed\":1,\"quality\":1}", 0, NULL), 100);
	assert_int_equal(total_of("{\"speed\":5,\"quality\":5,\"attitude\":5}", 0, NULL), 500);
	/* 2×30 + 3×50 + 5×20 = 310 */
	assert_int_equal(total_of("{\"speed\":2,\"quality\":3,\"attitude\":5}", 0, NULL), 310);
	/* refusals name the answer */
	total_of("{\"speed\":5,\"quality\":4}", NL_EVALID, "answers.attitude");
	total_of("{\"speed\":6,\"quality\":4,\"attitude\":3}", NL_EVALID, "answers.speed");
	total_of("{\"speed\":5,\"quality\":0,\"attitude\":3}", NL_EVALID, "answers.quality");
	total_of("{\"speed\":5,\"quality\":4.5,\"attitude\":3}", NL_EVALID, "answers.quality");
	total_of("{\"speed\":5,\"quality\":\"4\",\"attitude\":3}", NL_EVALID, "answers.quality");
	total_of("{\"speed\":5,\"quality\":4,\"attitude\":3,\"price\":2}", NL_EVALID, "answers.price");
	total_of("[5,4,3]", NL_EVALID, "answers");
}

static void test_total_rating(void **state)
{
	(void)state;
	assert_int_equal(survey_total_rating(100), 1);
	assert_int_equal(survey_total_rating(149), 1);
	assert_int_equal(survey_total_rating(150), 2);   /* 1.5 rounds half up */
	assert_int_equal(survey_total_rating(349), 3);
	assert_int_equal(survey_total_rating(350), 4);
	assert_int_equal(survey_total_rating(410), 4);
	assert_int_equal(survey_total_rating(450), 5);
	assert_int_equal(survey_total_rating(500), 5);
}

static void test_sample_key(void **state)
{
	(void)state;
	/* mix is SplitMix64's output function: its first output from state 0 is 0xe220a8397b1dcdaf, so with that seed
	 * ticket 0's key is mix(seed ^ mix(0)) = mix(0) */
	assert_true(survey_sample_key(UINT64_C(0xe220a8397b1dcdaf), 0) == UINT64_C(0xe220a8397b1dcdaf));
	assert_true(survey_sample_key(1, 7) != survey_sample_key(2, 7));
	assert_true(survey_sample_key(1, 7) != survey_sample_key(1, 8));
}

static void test_sample_deterministic(void **state)
{
	(void)state;
	enum { N = 200, K = 25 };
	int64_t a[N], b[N];
	for (int i = 0; i < N; i++) {
		a[i] = 1000 + i;
		b[N - 1 - i] = 1000 + i;   /* the same set, reversed */
	}
	/* a rough shuffle of b as well */
	for (int i = 0; i < N; i += 7) {
		int j = (i * 13) % N;
		int64_t t = b[i];
		b[i] = b[j];
		b[j] = t;
	}
	size_t ka, kb;
	uint64_t seed = UINT64_C(0x0123456789abcdef);
	survey_sample(seed, a, N, K, &ka);
	survey_sample(seed, b, N, K, &kb);
	assert_int_equal(ka, K);
	assert_int_equal(kb, K);
	assert_memory_equal(a, b, sizeof a);
	/* the sample is the K smallest keys */
	for (int i = 0; i < K; i++)
		for (int j = K; j < N; j++)
			assert_true(survey_sample_key(seed, a[i]) <= survey_sample_key(seed, a[j]));
	/* ordered by key */
	for (int i = 1; i < N; i++)
		assert_true(survey_sample_key(seed, a[i - 1]) <= survey_sample_key(seed, a[i]));
	/* another seed draws another sample (overwhelmingly likely; fixed seeds make it certain here) */
	int64_t c[N];
	for (int i = 0; i < N; i++)
		c[i] = 1000 + i;
	size_t kc;
	survey_sample(seed + 1, c, N, K, &kc);
	assert_true(memcmp(a, c, K * sizeof a[0]) != 0);
	/* fewer candidates than the sample size: all of them */
	int64_t d[3] = { 5, 3, 9 };
	size_t kd;
	survey_sample(seed, d, 3, 10, &kd);
	assert_int_equal(kd, 3);
	survey_sample(seed, d, 0, 10, &kd);
	assert_int_equal(kd, 0);
}

static void test_seed_parse(void **state)
{
	(void)state;
	uint64_t s = 0;
	assert_int_equal(survey_seed_parse("0123456789abcdef", &s), 0);
	assert_true(s == UINT64_C(0x0123456789abcdef));
	assert_int_equal(survey_seed_parse("ffffffffffffffff", &s), 0);
	assert_true(s == UINT64_MAX);
	assert_int_equal(survey_seed_parse("0123456789ABCDEF", &s), NL_EVALID);
	assert_int_equal(survey_seed_parse("0123456789abcde", &s), NL_EVALID);
	assert_int_equal(survey_seed_parse(NULL, &s), NL_EVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_questions_valid),
		cmocka_unit_test(test_questions_weights),
		cmocka_unit_test(test_questions_shape),
		cmocka_unit_test(test_weighted_total),
		cmocka_unit_test(test_total_rating),
		cmocka_unit_test(test_sample_key),
		cmocka_unit_test(test_sample_deterministic),
		cmocka_unit_test(test_seed_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
