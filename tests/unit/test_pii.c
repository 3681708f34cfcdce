/* test_pii.c — masking and shape checks of customers' phone numbers and e-mail addresses (records/pii.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "records/pii.h"
#include "core/common.h"

static void test_phone_mask(void **state)
{
	(void)state;
	char b[64];
	assert_string_equal(pii_mask_phone("13812345678", b, sizeof b), "138****5678");
	assert_string_equal(pii_mask_phone("+86 138-1234-5678", b, sizeof b), "861****5678");
	assert_string_equal(pii_mask_phone("010-12345678", b, sizeof b), "010****5678");
	assert_string_equal(pii_mask_phone("12345678", b, sizeof b), "123****5678");   /* 8 digits: the first rule */
	assert_string_equal(pii_mask_phone("1234567", b, sizeof b), "*****67");        /* fewer: the last 2 only */
	assert_string_equal(pii_mask_phone("12345", b, sizeof b), "***45");
	assert_string_equal(pii_mask_phone("", b, sizeof b), "");
	assert_string_equal(pii_mask_phone(NULL, b, sizeof b), "");
	assert_string_equal(pii_mask_phone("1", b, sizeof b), "***1");
	char small[6];
	assert_int_equal(strlen(pii_mask_phone("13812345678", small, sizeof small)), 5);   /* truncated, terminated */
}

static void test_email_mask(void **state)
{
	(void)state;
	char b[64];
	assert_string_equal(pii_mask_email("zhang.san@example.com", b, sizeof b), "z***@example.com");
	assert_string_equal(pii_mask_email("z@example.com", b, sizeof b), "z***@example.com");
	assert_string_equal(pii_mask_email("张三@example.cn", b, sizeof b), "张***@example.cn");   /* a whole character */
	assert_string_equal(pii_mask_email("no-at-sign", b, sizeof b), "***");
	assert_string_equal(pii_mask_email("", b, sizeof b), "");
}

static void test_shapes(void **state)
{
	(void)state;
	assert_true(pii_phone_valid("13812345678"));
	assert_true(pii_phone_valid("+86 138-1234-5678"));
	assert_true(pii_phone_valid("12345"));
	assert_false(pii_phone_valid("1234"));
	assert_false(pii_phone_valid("138abc45678"));
	assert_false(pii_phone_valid("+--- ----"));          /* too few digits */
	assert_false(pii_phone_valid("123456789012345678901"));
	assert_true(pii_email_valid("a@b.cn"));
	assert_true(pii_email_valid("zhang.san+it@example.com.cn"));
	assert_false(pii_email_valid("a@b"));
	assert_false(pii_email_valid("@example.com"));
	assert_false(pii_email_valid("a@@example.com"));
	assert_false(pii_email_valid("a b@example.com"));
	assert_false(pii_email_valid("a@example..com"));
	assert_false(pii_email_valid("a@example.com."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone_mask),
		cmocka_unit_test(test_email_mask),
		cmocka_unit_test(test_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
