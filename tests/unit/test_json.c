/* test_json.c — declarative body validation: unknown fields, types, required, bounds, enums, arrays, nulls,
 * PATCH presence bits; UTF-8 length counting; body parsing errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"

struct body {
	const char *name;
	int64_t year;
	const char *direction;
	json_t *roles;
	int64_t owner;
	double target;
	int active;
	const char *due;
};

static const char *const dirs[] = { "higher_better", "lower_better", NULL };
static const char *const roles[] = { "admin", "member", NULL };

static const struct nl_jfield fields[] = {
	NL_JF("name", NL_J_STRING, 1, 1, 5, struct body, name),
	NL_JF("year", NL_J_INT, 1, 2000, 2100, struct body, year),
	NL_JFE("direction", 0, dirs, struct body, direction),
	{ "roles", NL_J_STRINGS, 0, 0, 1, 20, roles, offsetof(struct body, roles) },
	NL_JFN("owner", NL_J_ID, 0, 0, 0, struct body, owner),
	NL_JFN("target", NL_J_NUMBER, 0, 0, 0, struct body, target),
	NL_JF("active", NL_J_BOOL, 0, 0, 0, struct body, active),
	NL_JF("due", NL_J_DATE, 0, 0, 0, struct body, due),
};
#define NF (sizeof fields / sizeof fields[0])

/* Validates text; returns the error code, fills field. */
static int check(const char *text, struct body *b, uint64_t *present, char *field)
{
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	struct nl_error e = { 0 };
	memset(b, 0, sizeof *b);
	int rc = json_validate(j, fields, NF, b, present, &e);
	snprintf(field, 128, "%s", e.field);
	json_decref(j);
	return rc;
}

static void test_valid_body(void **state)
{
	(void)state;
	struct body b;
	uint64_t present;
	char field[128];
	json_t *j = json_loads("{\"name\":\"计划\",\"year\":2027,\"direction\":\"lower_better\",\"roles\":[\"admin\"],"
			       "\"owner\":3,\"target\":0.95,\"active\":true,\"due\":\"2027-03-01\"}", 0, NULL);
	struct nl_error e = { 0 };
	assert_int_equal(json_validate(j, fields, NF, &b, &present, &e), 0);
	assert_string_equal(b.name, "计划");
	assert_int_equal(b.year, 2027);
	assert_string_equal(b.direction, "lower_better");
	assert_int_equal(json_array_size(b.roles), 1);
	assert_int_equal(b.owner, 3);
	assert_true(fabs(b.target - 0.95) < 1e-12);
	assert_int_equal(b.active, 1);
	assert_string_equal(b.due, "2027-03-01");
	assert_int_equal(present, 0xFF);
	json_decref(j);
	/* only required fields: presence bits say which came */
	assert_int_equal(check("{\"name\":\"a\",\"year\":2000}", &b, &present, field), 0);
	assert_int_equal(present, 0x3);
}

static void test_rejections_name_the_field(void **state)
{
	(void)state;
	struct body b;
	uint64_t present;
	char field[128];
	assert_int_equal(check("{\"name\":\"a\",\"year\":2027,\"colour\":1}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "colour");
	assert_int_equal(check("{\"year\":2027}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "name");
	assert_int_equal(check("{\"name\":\"a\",\"year\":\"2027\"}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "year");
	assert_int_equal(check("{\"name\":\"a\",\"year\":1999}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "year");
	assert_int_equal(check("{\"name\":\"abcdef\",\"year\":2027}", &b, &present, field), NL_EVALID);   /* 6 > 5 */
	assert_string_equal(field, "name");
	assert_int_equal(check("{\"name\":\"五个汉字啊\",\"year\":2027}", &b, &present, field), 0);          /* 5 code points */
	assert_int_equal(check("{\"name\":\"\",\"year\":2027}", &b, &present, field), NL_EVALID);
	assert_int_equal(check("{\"name\":\"a\",\"year\":2027,\"direction\":\"up\"}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "direction");
	assert_int_equal(check("{\"name\":\"a\",\"year\":2027,\"roles\":\"admin\"}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "roles");
	assert_int_equal(check("{\"name\":\"a\",\"year\":2027,\"roles\":[\"admin\",\"king\"]}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "roles[1]");
	assert_int_equal(check("{\"name\":\"a\",\"year\":2027,\"owner\":0}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "owner");
	assert_int_equal(check("{\"name\":\"a\",\"year\":2027,\"active\":1}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "active");
	assert_int_equal(check("{\"name\":\"a\",\"year\":2027,\"due\":\"2027-3-1\"}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "due");
	assert_int_equal(check("{\"name\":null,\"year\":2027}", &b, &present, field), NL_EVALID);
	assert_string_equal(field, "name");
}

static void test_nullable(void **state)
{
	(void)state;
	struct body b;
	uint64_t present;
	char field[128];
	assert_int_equal(check("{\"name\":\"a\",\"year\":2027,\"owner\":null,\"target\":null}", &b, &present, field), 0);
	assert_int_equal(b.owner, 0);
	assert_true(isnan(b.target));
	assert_true(present & (1u << 4));
}

static void test_parse_body(void **state)
{
	(void)state;
	json_t *j = NULL;
	struct nl_error e = { 0 };
	assert_int_equal(json_parse_body("{\"a\":", 5, &j, &e), NL_EJSON);
	assert_null(j);
	assert_non_null(strstr(e.message, "line 1"));
	memset(&e, 0, sizeof e);
	assert_int_equal(json_parse_body("[1,2]", 5, &j, &e), NL_EINVAL);
	memset(&e, 0, sizeof e);
	assert_int_equal(json_parse_body("{\"a\":1,\"a\":2}", 13, &j, &e), NL_EJSON);   /* duplicate keys refused */
	memset(&e, 0, sizeof e);
	assert_int_equal(json_parse_body("{\"a\":1}", 7, &j, &e), 0);
	json_decref(j);
}

static void test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("abc", 3), 3);
	assert_int_equal(utf8_length("能力", strlen("能力")), 2);
	assert_int_equal(utf8_length("\xe8\x83", 2), -1);   /* truncated sequence */
	assert_int_equal(utf8_length("\xff", 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_body),
		cmocka_unit_test(test_rejections_name_the_field),
		cmocka_unit_test(test_nullable),
		cmocka_unit_test(test_parse_body),
		cmocka_unit_test(test_utf8_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
