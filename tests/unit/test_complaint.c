/* test_complaint.c — the complaint lifecycle table (records/complaint.h complaint_transition): every step from every
 * status, for valid, invalid and unverified complaints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "records/complaint.h"
#include "core/common.h"

/* The status after `action`, or "409" when refused (then a reason must be given). */
static const char *step(const char *status, int valid, const char *action)
{
	const char *to = NULL, *why = NULL;
	int rc = complaint_transition(status, valid, action, &to, &why);
	if (rc == 0) {
		assert_non_null(to);
		return to;
	}
	assert_int_equal(rc, NL_ESTATE);
	assert_non_null(why);
	assert_true(strlen(why) > 10);
	return "409";
}

static void test_happy_paths(void **state)
{
	(void)state;
	/* valid: register → verify → answer → rectify → archive */
	assert_string_equal(step("registered", -1, "verify"), "verified");
	assert_string_equal(step("verified", 1, "answer"), "answered");
	assert_string_equal(step("answered", 1, "rectify"), "rectified");
	assert_string_equal(step("rectified", 1, "archive"), "archived");
	/* invalid: answer → archive, no rectification */
	assert_string_equal(step("verified", 0, "answer"), "answered");
	assert_string_equal(step("answered", 0, "archive"), "archived");
	/* re-verification before the answer */
	assert_string_equal(step("verified", 0, "verify"), "verified");
}

static void test_refusals(void **state)
{
	(void)state;
	assert_string_equal(step("registered", -1, "answer"), "409");
	assert_string_equal(step("registered", -1, "rectify"), "409");
	assert_string_equal(step("registered", -1, "archive"), "409");
	assert_string_equal(step("registered", -1, "reopen"), "409");
	assert_string_equal(step("verified", 1, "rectify"), "409");
	assert_string_equal(step("verified", 1, "archive"), "409");
	assert_string_equal(step("verified", 1, "reopen"), "409");
	assert_string_equal(step("answered", 1, "answer"), "409");
	assert_string_equal(step("answered", 1, "verify"), "409");
	assert_string_equal(step("answered", 1, "archive"), "409");   /* a valid complaint is rectified first */
	assert_string_equal(step("answered", 0, "rectify"), "409");   /* nothing to rectify */
	assert_string_equal(step("rectified", 1, "rectify"), "409");
	assert_string_equal(step("rectified", 1, "answer"), "409");
	assert_string_equal(step("archived", 1, "archive"), "409");
	assert_string_equal(step("archived", 0, "verify"), "409");
	assert_string_equal(step("archived", 1, "answer"), "409");
	assert_string_equal(step("verified", 1, "delete"), "409");
}

static void test_reopen(void **state)
{
	(void)state;
	assert_string_equal(step("answered", 1, "reopen"), "verified");
	assert_string_equal(step("answered", 0, "reopen"), "verified");
	assert_string_equal(step("rectified", 1, "reopen"), "verified");
	assert_string_equal(step("archived", 1, "reopen"), "verified");
	assert_string_equal(step("archived", 0, "reopen"), "verified");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_happy_paths),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_reopen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
