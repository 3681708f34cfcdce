/* test_csv.c — the streaming CSV parser (records/csv.h): quotes, embedded line breaks, doubled quotes, the UTF-8
 * byte-order mark, CRLF, empty fields, GBK bytes refused with their line number, an overlong line. Every input is fed
 * whole and in chunks of 1, 2, 3 and 7 bytes: the records must not depend on where the chunks end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "records/csv.h"
#include "core/common.h"

struct collect {
	char out[8192];
	size_t n;
	int stop_after;   /* stop (return 7) after this many records; 0: never */
	int count;
};

/* Renders each record as "LINE:field|field|...;" or "LINE:!ERROR;" */
static int collect_cb(void *user, const struct nl_csv_record *rec)
{
	struct collect *c = user;
	int w = snprintf(c->out + c->n, sizeof c->out - c->n, "%lld:", (long long)rec->line);
	c->n += (size_t)w;
	if (rec->error) {
		w = snprintf(c->out + c->n, sizeof c->out - c->n, "!%d;", (int)rec->error);
		c->n += (size_t)w;
	} else {
		for (size_t i = 0; i < rec->nfields; i++) {
			assert_int_equal(strlen(rec->fields[i]), rec->lengths[i]);
			w = snprintf(c->out + c->n, sizeof c->out - c->n, "%s%s", i ? "|" : "", rec->fields[i]);
			c->n += (size_t)w;
		}
		c->out[c->n++] = ';';
		c->out[c->n] = '\0';
	}
	c->count++;
	return c->stop_after && c->count >= c->stop_after ? 7 : 0;
}

static void parse_chunked(const char *in, size_t n, size_t chunk, size_t max_record, char *out, size_t outlen)
{
	struct collect c = { .n = 0 };
	struct nl_csv p;
	csv_init(&p, max_record, collect_cb, &c);
	for (size_t i = 0; i < n; i += chunk) {
		size_t k = n - i < chunk ? n - i : chunk;
		assert_int_equal(csv_feed(&p, in + i, k), 0);
	}
	assert_int_equal(csv_finish(&p), 0);
	assert_int_equal(p.bytes, n);
	csv_cleanup(&p);
	c.out[c.n] = '\0';
	snprintf(out, outlen, "%s", c.out);
}

/* Parses `in` (n bytes) whole and in small chunks; each result must equal `expect`. */
static void check_n(const char *in, size_t n, size_t max_record, const char *expect)
{
	static const size_t chunks[] = { 0, 1, 2, 3, 7 };
	for (size_t i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		char got[8192];
		parse_chunked(in, n, chunks[i] ? chunks[i] : (n ? n : 1), max_record, got, sizeof got);
		if (strcmp(got, expect) != 0)
			fail_msg("chunk %zu: got \"%s\", expected \"%s\"", chunks[i], got, expect);
	}
}

static void check(const char *in, const char *expect)
{
	check_n(in, strlen(in), 0, expect);
}

static void test_plain(void **state)
{
	(void)state;
	check("a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3;");
	check("a,b,c\n1,2,3", "1:a|b|c;2:1|2|3;");           /* no final line break */
	check("", "");
	check("x", "1:x;");
}

static void test_empty_fields(void **state)
{
	(void)state;
	check("a,,c\n,,\n", "1:a||c;2:||;");
	check("a,\n", "1:a|;");
	check(",a\n", "1:|a;");
	check("\"\"\n", "1:;");                             /* one quoted empty field is a record */
}

static void test_quotes(void **state)
{
	(void)state;
	check("\"a,b\",c\n", "1:a,b|c;");
	check("\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x;");   /* doubled quotes */
	check("\"\"\"\"\n", "1:\";");
	check("a\"b,c\n", "1:a\"b|c;");                     /* a quote inside an unquoted field is text */
	check("\"ab\"c,d\n2,3\n", "1:!3;2:2|3;");            /* text after a closing quote: that record is refused */
	check("\"open,x\n", "1:!4;");                        /* unterminated at the end */
}

static void test_embedded_newlines(void **state)
{
	(void)state;
	/* The record starts on line 1 and spans lines 1–3; the next record starts on line 4. */
	check("\"line one\nline two\nthree\",x\nnext,y\n", "1:line one\nline two\nthree|x;4:next|y;");
	check("\"a\r\nb\",c\r\nd,e\r\n", "1:a\r\nb|c;3:d|e;");
}

static void test_crlf_and_blank_lines(void **state)
{
	(void)state;
	check("a,b\r\nc,d\r\n", "1:a|b;2:c|d;");
	check("a,b\r\n\r\nc,d\r\n", "1:a|b;3:c|d;");          /* a blank line is skipped but counted */
	check("a,b\n\n\nc,d", "1:a|b;4:c|d;");
	check("a,b\rc,d\r", "1:a|b;2:c|d;");                  /* lone CRs end records */
}

static void test_bom(void **state)
{
	(void)state;
	check("\xEF\xBB\xBF" "id,name\n1,张三\n", "1:id|name;2:1|张三;");
	check("\xEF\xBB\xBF", "");
	check("\xEF\xBB" "x\n", "1:!5;");                     /* a broken mark is not UTF-8 */
	check("\xEF\xBB\xBF\xEF\xBB\xBF" "x\n", "1:\xEF\xBB\xBFx;");   /* only the first mark is dropped */
}

static void test_gbk_refused_with_line(void **state)
{
	(void)state;
	/* "张三" in GBK is D5 C5 C8 FD: not UTF-8. Line 3 is refused; lines 2 and 4 are fine. */
	check("id,name\n1,ok\n2,\xD5\xC5\xC8\xFD\n3,fine\n", "1:id|name;2:1|ok;3:!5;4:3|fine;");
	/* Overlong forms, surrogates and code points above U+10FFFF are refused too. */
	check("\xC0\xAF\n", "1:!5;");
	check("\xED\xA0\x80\n", "1:!5;");
	check("\xF4\x90\x80\x80\n", "1:!5;");
	check("\xE4\xB8\n", "1:!5;");                         /* truncated sequence */
	assert_true(csv_utf8_valid("\xF0\x9F\x98\x80", 4));   /* an emoji is fine */
	assert_string_equal(csv_error_message(NL_CSV_NOT_UTF8),
		"the file is not UTF-8 (GBK?): convert it with iconv -f GBK -t UTF-8");
}

static void test_nul_refused(void **state)
{
	(void)state;
	check_n("a,b\nc\0d,e\nf,g\n", 14, 0, "1:a|b;2:!6;3:f|g;");
}

static void test_overlong_line(void **state)
{
	(void)state;
	/* max_record 16 bytes: line 2 has 20, refused; the parser resynchronises at its end (even inside quotes). */
	check_n("a,b\n01234567890123456789\nc,d\n", 29, 16, "1:a|b;2:!1;3:c|d;");
	check_n("a,b\n\"0123456789\n0123456789\",x\nc,d\n", 33, 16, "1:a|b;2:!1;4:c|d;");
	check_n("0123456789abcdef\n", 17, 16, "1:0123456789abcdef;");   /* exactly the limit is fine */
}

static void test_too_many_fields(void **state)
{
	(void)state;
	char in[4200];
	size_t n = 0;
	for (int i = 0; i < NL_CSV_MAX_FIELDS + 1; i++)
		in[n++] = ',';
	in[n++] = '\n';
	memcpy(in + n, "ok\n", 3);
	n += 3;
	check_n(in, n, 0, "1:!2;2:ok;");
}

static void test_callback_stops(void **state)
{
	(void)state;
	struct collect c = { .stop_after = 2 };
	struct nl_csv p;
	csv_init(&p, 0, collect_cb, &c);
	assert_int_equal(csv_feed(&p, "a\nb\nc\nd\n", 8), 7);
	assert_int_equal(csv_feed(&p, "e\n", 2), 7);
	assert_int_equal(csv_finish(&p), 7);
	assert_int_equal(c.count, 2);
	csv_cleanup(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_embedded_newlines),
		cmocka_unit_test(test_crlf_and_blank_lines),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_gbk_refused_with_line),
		cmocka_unit_test(test_nul_refused),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_callback_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
