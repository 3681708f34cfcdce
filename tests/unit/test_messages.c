/* test_messages.c — the Chinese message catalogue (src/core/messages_zh.c): sorted and unique, every pair with the
 * same printf conversions in the same order, no empty or untranslated entry; Accept-Language parsing; nl_fail giving
 * Chinese for a zh error (formats and default messages, json_validate's generic messages) and English otherwise;
 * a truncated message never ends in a broken UTF-8 sequence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/messages.h"

/* The conversions of a printf format, e.g. "%s|%.60s|%lld|": flags, width, precision, length and conversion of each,
 * %% left out. Returns -1 for a conversion it does not understand (positional %n$ included). */
static int conversions(const char *f, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = f; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		const char *s = p++;
		p += strspn(p, "-+ #0");
		p += strspn(p, "0123456789*");
		if (*p == '$')
			return -1;
		if (*p == '.') {
			p++;
			p += strspn(p, "0123456789*");
		}
		p += strspn(p, "hlLqjzt");
		if (!*p || !strchr("diouxXeEfFgGaAcsp", *p))
			return -1;
		size_t len = (size_t)(p - s + 1);
		if (o + len + 2 > n)
			return -1;
		memcpy(out + o, s, len);
		o += len;
		out[o++] = '|';
		out[o] = '\0';
	}
	return 0;
}

/* Whether s holds a CJK character (U+3000..U+9FFF). */
static int has_cjk(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0xE3 && *p <= 0xE9)   /* lead bytes of U+3000..U+9FFF */
			return 1;
	return 0;
}

static void test_catalogue_well_formed(void **state)
{
	(void)state;
	assert_true(nl_messages_zh_count > 100);
	for (size_t i = 0; i < nl_messages_zh_count; i++) {
		const struct nl_msg_pair *m = &nl_messages_zh[i];
		char a[512], b[512];
		if (i > 0 && strcmp(nl_messages_zh[i - 1].en, m->en) >= 0)
			fail_msg("not sorted or not unique at %zu: \"%s\" >= \"%s\"", i, nl_messages_zh[i - 1].en, m->en);
		if (conversions(m->en, a, sizeof a) || conversions(m->zh, b, sizeof b))
			fail_msg("unsupported conversion in \"%s\" / \"%s\"", m->en, m->zh);
		if (strcmp(a, b) != 0)
			fail_msg("conversions differ: \"%s\" has %s but \"%s\" has %s", m->en, a, m->zh, b);
		if (!has_cjk(m->zh))
			fail_msg("no Chinese in the translation of \"%s\"", m->en);
		assert_ptr_equal(nl_msg_zh(m->en), m->zh);   /* the binary search finds every entry */
	}
	assert_null(nl_msg_zh("No such thing in the catalogue."));
	assert_null(nl_msg_zh(NULL));
}

static void test_accept_language(void **state)
{
	(void)state;
	assert_int_equal(nl_lang_parse(NULL), NL_LANG_EN);
	assert_int_equal(nl_lang_parse(""), NL_LANG_EN);
	assert_int_equal(nl_lang_parse("zh"), NL_LANG_ZH);
	assert_int_equal(nl_lang_parse("zh-CN"), NL_LANG_ZH);
	assert_int_equal(nl_lang_parse("zh-Hans-CN"), NL_LANG_ZH);
	assert_int_equal(nl_lang_parse("ZH-cn"), NL_LANG_ZH);
	assert_int_equal(nl_lang_parse("zh-CN,zh;q=0.9,en;q=0.8"), NL_LANG_ZH);
	assert_int_equal(nl_lang_parse("en"), NL_LANG_EN);
	assert_int_equal(nl_lang_parse("en-US,en;q=0.9,zh-CN;q=0.8"), NL_LANG_EN);
	assert_int_equal(nl_lang_parse("en;q=0.5, zh-CN;q=0.9"), NL_LANG_ZH);
	assert_int_equal(nl_lang_parse("zh;q=0, en"), NL_LANG_EN);
	assert_int_equal(nl_lang_parse("zhx"), NL_LANG_EN);
	assert_int_equal(nl_lang_parse("*"), NL_LANG_EN);
	assert_int_equal(nl_lang_parse("fr, zh"), NL_LANG_EN);   /* the first of equal q wins */
}

static void test_nl_fail_language(void **state)
{
	(void)state;
	struct nl_error e = { 0 };
	e.lang = NL_LANG_ZH;
	assert_int_equal(nl_fail(&e, NL_EVALID, "name", "%s is required.", "name"), NL_EVALID);
	assert_string_equal(e.field, "name");
	assert_string_equal(e.message, "name 为必填项。");
	nl_error_clear(&e);
	assert_int_equal(e.lang, NL_LANG_ZH);   /* clear keeps the language */
	assert_int_equal(e.code, 0);
	nl_fail(&e, NL_EVALID, "year", "%s must be between %lld and %lld.", "year", 2000LL, 2100LL);
	assert_string_equal(e.message, "year 必须在 2000 到 2100 之间。");
	nl_error_clear(&e);
	nl_fail(&e, NL_ENOTFOUND, NULL, NULL);   /* the default message */
	assert_string_equal(e.message, "资源不存在。");
	nl_error_clear(&e);
	nl_fail(&e, NL_EVALID, "x", "A message with no entry %d.", 7);   /* stays English */
	assert_string_equal(e.message, "A message with no entry 7.");

	struct nl_error en = { 0 };
	nl_fail(&en, NL_EVALID, "name", "%s is required.", "name");
	assert_string_equal(en.message, "name is required.");
	nl_error_clear(&en);
	nl_fail(&en, NL_ENOTFOUND, NULL, NULL);
	assert_string_equal(en.message, "No such resource.");
}

static void test_json_generic_messages(void **state)
{
	(void)state;
	struct body {
		const char *name;
		int64_t year;
	} b;
	static const struct nl_jfield fields[] = {
		NL_JF("name", NL_J_STRING, 1, 1, 5, struct body, name),
		NL_JF("year", NL_J_INT, 1, 2000, 2100, struct body, year),
	};
	uint64_t present;
	const char *bodies[] = { "{\"year\":2027}", "{\"name\":\"abcdefg\",\"year\":2027}", "{\"name\":\"a\",\"year\":1}",
		"{\"name\":\"a\",\"year\":\"x\"}", "{\"name\":\"a\",\"year\":2027,\"colour\":1}", "{\"name\":\"\",\"year\":2027}" };
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		json_t *j = json_loads(bodies[i], 0, NULL);
		struct nl_error zh = { .lang = NL_LANG_ZH }, en = { 0 };
		assert_int_equal(json_validate(j, fields, 2, &b, &present, &zh), NL_EVALID);
		assert_int_equal(json_validate(j, fields, 2, &b, &present, &en), NL_EVALID);
		assert_string_equal(zh.field, en.field);
		if (!has_cjk(zh.message) || has_cjk(en.message))
			fail_msg("%s: zh \"%s\", en \"%s\"", bodies[i], zh.message, en.message);
		json_decref(j);
	}
}

static void test_truncation_keeps_utf8(void **state)
{
	(void)state;
	char big[400];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (size_t len = 312; len <= 318; len++) {   /* "<len a> 为必填项。" cut at 319 bytes: across 3-byte characters */
		struct nl_error e = { .lang = NL_LANG_ZH };
		big[len] = '\0';
		nl_fail(&e, NL_EVALID, NULL, "%s is required.", big);
		big[len] = 'a';
		assert_true(strlen(e.message) >= 312 && strlen(e.message) < sizeof e.message);
		json_t *s = json_string(e.message);   /* NULL for invalid UTF-8 */
		assert_non_null(s);
		json_decref(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_well_formed),
		cmocka_unit_test(test_accept_language),
		cmocka_unit_test(test_nl_fail_language),
		cmocka_unit_test(test_json_generic_messages),
		cmocka_unit_test(test_truncation_keeps_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
