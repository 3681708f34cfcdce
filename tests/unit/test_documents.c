/* test_documents.c — the pure parts of the documents room: pagination of long tables (rows per page from their heights,
 * the header repeated on every page, never a header alone at a page bottom, rows taller than a page split), chart scales
 * with nice ticks, the XML escaper, the spreadsheet formula-injection guard, CJK-aware widths, RFC 5987 file names,
 * the ZIP writer (read back with zlib), and the document-number scheme and logo checks of the settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "documents/doc_layout.h"
#include "documents/doc_text.h"
#include "documents/doc_zip.h"
#include "documents/documents.h"
#include "org/org.h"
#include "core/common.h"

/* ---- Pagination ---- */

static void test_rows_per_page(void **state)
{
	(void)state;
	/* body 100..700 (600 pt), header 20: 29 rows of 20 pt fit under the header on each page (20 + 29 × 20 = 600) */
	double h[100];
	int page[100], headers = 0;
	for (int i = 0; i < 100; i++)
		h[i] = 20;
	int pages = doc_paginate(h, 100, 20, 100, 700, 100, page, &headers);
	assert_int_equal(page[0], 0);
	assert_int_equal(page[28], 0);
	assert_int_equal(page[29], 1);
	assert_int_equal(page[57], 1);
	assert_int_equal(page[58], 2);
	assert_int_equal(pages, 4);        /* 29 + 29 + 29 + 13 */
	assert_int_equal(headers, pages);  /* the header is repeated on every page, once */
}

static void test_no_orphan_header(void **state)
{
	(void)state;
	/* The table starts 30 pt above the bottom: the 20 pt header would fit, the header and the first 20 pt row do
	 * not — both go to the next page, so page 0 carries nothing of the table. */
	double h[3] = { 20, 20, 20 };
	int page[3], headers = 0;
	int pages = doc_paginate(h, 3, 20, 100, 700, 670, page, &headers);
	assert_int_equal(page[0], 1);
	assert_int_equal(page[2], 1);
	assert_int_equal(pages, 2);
	assert_int_equal(headers, 1);
	/* With exactly header + row left, both stay. */
	pages = doc_paginate(h, 3, 20, 100, 700, 660, page, &headers);
	assert_int_equal(page[0], 0);
	assert_int_equal(page[1], 1);
	assert_int_equal(headers, 2);
}

static void test_pager_places_header_with_row(void **state)
{
	(void)state;
	struct doc_pager p;
	struct doc_place pl;
	doc_pager_init(&p, 50, 800, 50);
	doc_pager_table(&p);
	doc_pager_row(&p, 25, 40, 10, &pl);
	assert_int_equal(pl.header, 1);
	assert_int_equal(pl.new_page, 0);
	assert_true(fabs(pl.header_y - 50) < 1e-9);
	assert_true(fabs(pl.row_y - 75) < 1e-9);
	doc_pager_row(&p, 25, 40, 10, &pl);   /* same page: no second header */
	assert_int_equal(pl.header, 0);
	assert_true(fabs(pl.row_y - 115) < 1e-9);
	/* fill the page: the row that does not fit starts a page with the header repeated */
	p.y = 780;
	doc_pager_row(&p, 25, 40, 10, &pl);
	assert_int_equal(pl.new_page, 1);
	assert_int_equal(pl.header, 1);
	assert_int_equal(p.page, 1);
	assert_true(fabs(pl.row_y - 75) < 1e-9);
	/* a new table on the same page draws its own header */
	doc_pager_table(&p);
	doc_pager_row(&p, 25, 40, 10, &pl);
	assert_int_equal(pl.header, 1);
}

static void test_pager_splits_tall_rows(void **state)
{
	(void)state;
	struct doc_pager p;
	struct doc_place pl;
	doc_pager_init(&p, 0, 500, 300);
	doc_pager_table(&p);
	/* 1200 pt: taller than a page (500 − header 20); 200 pt are left, enough for header + 12 pt: it starts here */
	doc_pager_row(&p, 20, 1200, 12, &pl);
	assert_int_equal(pl.new_page, 0);
	assert_int_equal(pl.split, 1);
	assert_int_equal(pl.header, 1);
	assert_true(fabs(pl.row_y - 320) < 1e-9);
	/* 180 drawn; the rest continues under a repeated header */
	doc_pager_continue(&p, 20, 1020, &pl);
	assert_int_equal(pl.new_page, 1);
	assert_int_equal(pl.header, 1);
	assert_int_equal(pl.split, 1);
	doc_pager_continue(&p, 20, 540, &pl);
	assert_int_equal(pl.split, 1);
	doc_pager_continue(&p, 20, 60, &pl);
	assert_int_equal(pl.split, 0);
	assert_int_equal(p.page, 3);
	assert_true(fabs(p.y - 80) < 1e-9);
	/* when not even the header and the first line fit, the tall row starts on a new page */
	doc_pager_init(&p, 0, 500, 490);
	doc_pager_table(&p);
	doc_pager_row(&p, 20, 1200, 12, &pl);
	assert_int_equal(pl.new_page, 1);
	assert_int_equal(pl.split, 1);
}

static void test_pager_flow_and_blocks(void **state)
{
	(void)state;
	struct doc_pager p;
	struct doc_place pl;
	double y;
	doc_pager_init(&p, 0, 500, 450);
	/* a 200 pt paragraph with 50 pt left, two lines (30 pt) fit: it starts here and flows on */
	doc_pager_flow(&p, 200, 30, &pl);
	assert_int_equal(pl.new_page, 0);
	assert_int_equal(pl.split, 1);
	assert_true(fabs(pl.row_y - 450) < 1e-9);
	/* a chart (a block) that does not fit goes to a new page; on an empty page it stays even when too tall */
	doc_pager_init(&p, 0, 500, 400);
	assert_int_equal(doc_pager_block(&p, 150, &y), 1);
	assert_true(fabs(y) < 1e-9);
	doc_pager_init(&p, 0, 500, 0);
	assert_int_equal(doc_pager_block(&p, 900, &y), 0);
}

/* ---- Chart scales ---- */

static void test_nice_steps(void **state)
{
	(void)state;
	assert_true(fabs(doc_nice_step(10, 5) - 2) < 1e-12);
	assert_true(fabs(doc_nice_step(437, 5) - 100) < 1e-9);
	assert_true(fabs(doc_nice_step(19.2, 5) - 5) < 1e-12);
	assert_true(fabs(doc_nice_step(0.9, 5) - 0.2) < 1e-12);
	assert_true(fabs(doc_nice_step(3, 5) - 1) < 1e-12);
	assert_true(fabs(doc_nice_step(0, 5) - 1) < 1e-12);
}

static void test_nice_scales(void **state)
{
	(void)state;
	struct doc_scale s;
	/* ratios: 0..1 by 0.2 when the values fit */
	doc_nice_scale(0, 0.93, 1, &s);
	assert_true(fabs(s.min) < 1e-12 && fabs(s.max - 1) < 1e-12 && fabs(s.step - 0.2) < 1e-12);
	assert_int_equal(s.ticks, 5);
	doc_nice_scale(0, 1.0, 1, &s);
	assert_true(fabs(s.max - 1) < 1e-12);
	/* a rate above 100 %: up to the next 0.2 */
	doc_nice_scale(0, 1.163, 1, &s);
	assert_true(fabs(s.max - 1.2) < 1e-9);
	assert_int_equal(s.ticks, 6);
	/* counts and durations: 0..max rounded up to a multiple of 1/2/5 × 10^n */
	doc_nice_scale(0, 437, 0, &s);
	assert_true(fabs(s.max - 500) < 1e-9 && fabs(s.step - 100) < 1e-9);
	doc_nice_scale(0, 19.2, 0, &s);
	assert_true(fabs(s.max - 20) < 1e-9 && fabs(s.step - 5) < 1e-9);
	doc_nice_scale(0, 8, 0, &s);
	assert_true(fabs(s.max - 8) < 1e-9 && fabs(s.step - 2) < 1e-9);
	/* nothing to show: 0..1 */
	doc_nice_scale(0, 0, 0, &s);
	assert_true(fabs(s.min) < 1e-12 && fabs(s.max - 1) < 1e-12);
	doc_nice_scale(NAN, NAN, 1, &s);
	assert_true(fabs(s.max - 1) < 1e-12);
	/* negative values extend below 0 */
	doc_nice_scale(-3, 7, 0, &s);
	assert_true(s.min < 0 && s.min >= -4 && s.max >= 7);
}

/* ---- Escaping and the formula guard ---- */

static char *escaped(const char *s, size_t n)
{
	static char out[512];
	struct nl_strbuf b;
	strbuf_init(&b, 0);
	doc_xml_escape(&b, s, n);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	strbuf_cleanup(&b);
	return out;
}

static void test_xml_escape(void **state)
{
	(void)state;
	const char *s = "a<b>&\"c\"'d'";
	assert_string_equal(escaped(s, strlen(s)), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
	s = "年度计划 & 评估";
	assert_string_equal(escaped(s, strlen(s)), "年度计划 &amp; 评估");
	/* tab, newline, carriage return stay; other C0 controls are not XML: U+FFFD */
	const char ctl[] = "a\tb\nc\rd\x01" "e\x1f";
	assert_string_equal(escaped(ctl, sizeof ctl - 1), "a\tb\nc\rd\xEF\xBF\xBD" "e\xEF\xBF\xBD");
	/* invalid UTF-8 (a lone continuation byte, a truncated sequence, an overlong form) becomes U+FFFD */
	const char bad[] = "x\x80y\xE5\xB9z\xC0\xAF";
	assert_string_equal(escaped(bad, sizeof bad - 1), "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD");
	/* a real U+FFFD and 4-byte characters pass */
	const char ok[] = "\xEF\xBF\xBD\xF0\xA0\x80\x80";
	assert_string_equal(escaped(ok, sizeof ok - 1), ok);
	/* the length is honoured: an embedded NUL is a control character */
	assert_string_equal(escaped("ab\0cd", 5), "ab\xEF\xBF\xBD" "cd");
	assert_string_equal(escaped(NULL, 3), "");
}

static void test_formula_guard(void **state)
{
	(void)state;
	char out[64];
	assert_true(doc_formula_risky("=SUM(A1:A9)"));
	assert_true(doc_formula_risky("+86 10 1234"));
	assert_true(doc_formula_risky("-2+3"));
	assert_true(doc_formula_risky("@cmd"));
	assert_true(doc_formula_risky("\t=1"));
	assert_true(doc_formula_risky("\r=1"));
	assert_false(doc_formula_risky("年度=计划"));
	assert_false(doc_formula_risky(""));
	assert_false(doc_formula_risky(NULL));
	assert_string_equal(doc_cell_text("=HYPERLINK(\"http://x\")", out, sizeof out), "'=HYPERLINK(\"http://x\")");
	assert_string_equal(doc_cell_text("@SUM(1)", out, sizeof out), "'@SUM(1)");
	assert_string_equal(doc_cell_text("普通文本 = ok", out, sizeof out), "普通文本 = ok");
	/* control characters other than tab and newline are dropped, invalid UTF-8 replaced */
	assert_string_equal(doc_cell_text("a\x01" "b\nc\x7f", out, sizeof out), "ab\nc");
	assert_string_equal(doc_cell_text("a\xFF", out, sizeof out), "a\xEF\xBF\xBD");
	/* truncation never cuts a character: 年 is 3 bytes */
	assert_string_equal(doc_cell_text("年年年", out, 8), "年年");
	assert_string_equal(doc_cell_text(NULL, out, sizeof out), "");
	char *d = doc_cell_text_dup("-1");
	assert_string_equal(d, "'-1");
	free(d);
}

static void test_widths_and_filenames(void **state)
{
	(void)state;
	assert_true(fabs(doc_text_width_units("abc") - 3) < 1e-9);
	assert_true(fabs(doc_text_width_units("年度计划") - 8) < 1e-9);
	assert_true(fabs(doc_text_width_units("年度 plan") - 9) < 1e-9);
	assert_true(fabs(doc_text_width_units("短\n较长的一行") - 10) < 1e-9);   /* the widest line */
	assert_true(fabs(doc_text_width_units("（）：") - 6) < 1e-9);           /* fullwidth punctuation */
	assert_true(fabs(doc_text_width_units(NULL)) < 1e-9);
	struct nl_strbuf b;
	strbuf_init(&b, 0);
	doc_rfc5987(&b, "NL-CAP-2026_年度 计划.pdf");
	assert_string_equal(b.data, "NL-CAP-2026_%E5%B9%B4%E5%BA%A6%20%E8%AE%A1%E5%88%92.pdf");
	strbuf_cleanup(&b);
}

/* ---- The ZIP writer, read back ---- */

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned rd16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static void test_zip_roundtrip(void **state)
{
	(void)state;
	char big[50000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + (i * 7) % 26);
	FILE *f = tmpfile();
	assert_non_null(f);
	struct doc_zip *z = doc_zip_new(f);
	assert_non_null(z);
	assert_int_equal(doc_zip_add(z, "[Content_Types].xml", "<Types/>", 8, 0), 0);
	assert_int_equal(doc_zip_begin(z, "word/document.xml", 1), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(doc_zip_write(z, big, sizeof big), 0);
	assert_int_equal(doc_zip_end(z), 0);
	assert_int_equal(doc_zip_finish(z), 0);
	long n = ftell(f);
	unsigned char *buf = malloc((size_t)n);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	/* the end of central directory: 2 entries */
	const unsigned char *eocd = buf + n - 22;
	assert_int_equal(rd32(eocd), 0x06054b50u);
	assert_int_equal(rd16(eocd + 10), 2);
	const unsigned char *cd = buf + rd32(eocd + 16);
	/* entry 1: stored */
	assert_int_equal(rd32(cd), 0x02014b50u);
	assert_int_equal(rd16(cd + 10), 0);
	assert_int_equal(rd32(cd + 24), 8);
	assert_int_equal(rd32(cd + 16), (uint32_t)crc32(0, (const Bytef *)"<Types/>", 8));
	size_t nl = rd16(cd + 28);
	assert_memory_equal(cd + 46, "[Content_Types].xml", nl);
	/* entry 2: deflated; inflate it from its local header and compare */
	const unsigned char *cd2 = cd + 46 + nl;
	assert_int_equal(rd16(cd2 + 10), 8);
	uint32_t csize = rd32(cd2 + 20), usize = rd32(cd2 + 24), off = rd32(cd2 + 42);
	assert_int_equal(usize, 4 * sizeof big);
	const unsigned char *lh = buf + off;
	assert_int_equal(rd32(lh), 0x04034b50u);
	assert_true(rd16(lh + 6) & 0x0008);   /* sizes in the data descriptor */
	const unsigned char *data = lh + 30 + rd16(lh + 26) + rd16(lh + 28);
	unsigned char *out = malloc(usize);
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(inflateInit2(&zs, -15), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = csize;
	zs.next_out = out;
	zs.avail_out = usize;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	inflateEnd(&zs);
	for (int i = 0; i < 4; i++)
		assert_memory_equal(out + (size_t)i * sizeof big, big, sizeof big);
	assert_int_equal(rd32(data + csize), 0x08074b50u);   /* the descriptor follows the data */
	assert_int_equal(rd32(data + csize + 4), (uint32_t)crc32(0, out, usize));
	free(out);
	free(buf);
}

/* ---- Settings: the document-number scheme and the logo ---- */

static void test_doc_number_scheme(void **state)
{
	(void)state;
	char out[96];
	assert_true(settings_doc_scheme_valid("NL-{RECORD}-{YYYY}"));
	assert_true(settings_doc_scheme_valid("QM/{YY}/{RECORD}.01"));
	assert_false(settings_doc_scheme_valid("NL-{YYYY}"));          /* every record would share it */
	assert_false(settings_doc_scheme_valid("NL-{RECORD}"));        /* every year would share it */
	assert_false(settings_doc_scheme_valid("NL-{RECORD}-{YYYYY}"));
	assert_false(settings_doc_scheme_valid("NL {RECORD}-{YYYY}"));
	assert_false(settings_doc_scheme_valid("<{RECORD}{YYYY}>"));
	assert_false(settings_doc_scheme_valid(""));
	assert_false(settings_doc_scheme_valid(NULL));
	settings_doc_number_format("NL-{RECORD}-{YYYY}", "CAP", 2026, out, sizeof out);
	assert_string_equal(out, "NL-CAP-2026");
	settings_doc_number_format("QM/{YY}/{RECORD}", "ER", 2027, out, sizeof out);
	assert_string_equal(out, "QM/27/ER");
	settings_doc_number_format("bad", "MP", 2026, out, sizeof out);   /* an invalid scheme: the default */
	assert_string_equal(out, "NL-MP-2026");
	assert_string_equal(documents_record_code(NL_DOC_TRACKING), "TT");
	assert_string_equal(documents_record_code(NL_DOC_ACHIEVEMENT), "AT");
}

static void test_logo_check(void **state)
{
	(void)state;
	unsigned char png[8 + 25 + 12] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
		0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 200, 0, 0, 0, 60, 8, 6, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82 };
	int w = 0, h = 0;
	struct nl_error e;
	memset(&e, 0, sizeof e);
	assert_int_equal(settings_logo_check(png, sizeof png, &w, &h, &e), 0);
	assert_int_equal(w, 200);
	assert_int_equal(h, 60);
	png[1] = 'X';
	assert_int_equal(settings_logo_check(png, sizeof png, NULL, NULL, NULL), NL_EVALID);
	png[1] = 'P';
	png[16] = 0x10;   /* 268435656 pixels wide */
	assert_int_equal(settings_logo_check(png, sizeof png, NULL, NULL, &e), NL_EVALID);
	assert_string_equal(e.field, "logo");
	png[16] = 0;
	png[sizeof png - 1] = 0;   /* no IEND: truncated */
	assert_int_equal(settings_logo_check(png, sizeof png, NULL, NULL, NULL), NL_EVALID);
	assert_int_equal(settings_logo_check(png, 512 * 1024 + 1, NULL, NULL, NULL), NL_ETOOLARGE);
}

static void test_request_parsing(void **state)
{
	(void)state;
	enum nl_doc_record r;
	enum nl_doc_format f;
	enum nl_doc_lang l;
	assert_int_equal(documents_record_parse("capability-plan", &r), 0);
	assert_int_equal(r, NL_DOC_CAPABILITY_PLAN);
	assert_int_equal(documents_record_parse("all", &r), 0);
	assert_int_equal(r, NL_DOC_ALL);
	assert_int_equal(documents_record_parse("plan", &r), NL_EVALID);
	assert_int_equal(documents_format_parse("docx", &f), 0);
	assert_int_equal(f, NL_DOC_DOCX);
	assert_int_equal(documents_format_parse("XLSX", &f), NL_EVALID);
	assert_int_equal(documents_lang_parse(NULL, &l), 0);
	assert_int_equal(l, NL_DOC_ZH);
	assert_int_equal(documents_lang_parse("en", &l), 0);
	assert_int_equal(l, NL_DOC_EN);
	assert_int_equal(documents_lang_parse("fr", &l), NL_EVALID);
	assert_string_equal(documents_content_type(NL_DOC_PDF), "application/pdf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_per_page),
		cmocka_unit_test(test_no_orphan_header),
		cmocka_unit_test(test_pager_places_header_with_row),
		cmocka_unit_test(test_pager_splits_tall_rows),
		cmocka_unit_test(test_pager_flow_and_blocks),
		cmocka_unit_test(test_nice_steps),
		cmocka_unit_test(test_nice_scales),
		cmocka_unit_test(test_xml_escape),
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_widths_and_filenames),
		cmocka_unit_test(test_zip_roundtrip),
		cmocka_unit_test(test_doc_number_scheme),
		cmocka_unit_test(test_logo_check),
		cmocka_unit_test(test_request_parsing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
