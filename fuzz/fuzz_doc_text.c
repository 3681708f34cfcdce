/* fuzz_doc_text.c — libFuzzer driver for the document text escaping (src/documents/doc_text.c): the XML escaper of
 * every DOCX part, the XLSX/CSV cell text with its formula guard, the column width measure and the RFC 5987 file
 * name encoding. The first byte picks the cell buffer size, the rest is the text. Besides memory errors it checks
 * what the contracts promise: the escaped XML is valid UTF-8 with no markup character and no character XML 1.0
 * forbids, a cell text is NUL-terminated valid UTF-8 within its buffer and never starts a formula, and the RFC 5987
 * value holds only attr-chars and %XX. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "documents/doc_text.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* Strict UTF-8 check, returning each code point through fn's argument. */
static int utf8_each(const unsigned char *s, size_t n, int (*ok)(unsigned cp))
{
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t k = doc_utf8_next(s + i, n - i, &cp);
		if (cp == 0xFFFD && !(n - i >= 3 && s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xBD))
			return 0;   /* a replacement the decoder made: the bytes were not valid UTF-8 */
		if (ok && !ok(cp))
			return 0;
		i += k;
	}
	return 1;
}

static int xml_char_ok(unsigned cp)
{
	if (cp == '<' || cp == '>' || cp == '"' || cp == '\'')
		return 0;
	if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
		return 0;
	return cp != 0xFFFE && cp != 0xFFFF && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
}

static int cell_char_ok(unsigned cp)
{
	return !(cp < 0x20 && cp != '\t' && cp != '\n');
}

/* Every '&' of escaped XML starts one of the five entities. */
static int amps_ok(const char *s, size_t n)
{
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '&')
			continue;
		int ok = 0;
		for (size_t k = 0; k < 5; k++)
			ok |= n - i >= strlen(ents[k]) && memcmp(s + i, ents[k], strlen(ents[k])) == 0;
		if (!ok)
			return 0;
	}
	return 1;
}

static int attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		(c && strchr("!#$&+-.^_`|~", c));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	size_t cell_n = 1 + data[0] % 64;
	if (data[0] >= 192)
		cell_n = 1024;
	const char *text = (const char *)data + 1;
	size_t n = size - 1;

	struct nl_strbuf b;
	strbuf_init(&b, 0);
	doc_xml_escape(&b, text, n);
	CHECK(!b.failed);
	CHECK(utf8_each((const unsigned char *)b.data, b.len, xml_char_ok));
	CHECK(amps_ok(b.data, b.len));
	strbuf_cleanup(&b);

	char *s = malloc(n + 1);   /* the NUL-terminated forms stop at the first NUL byte, as C strings do */
	if (!s)
		return 0;
	memcpy(s, text, n);
	s[n] = 0;

	char *cell = malloc(cell_n);
	if (cell) {
		CHECK(doc_cell_text(s, cell, cell_n) == cell);
		size_t len = strnlen(cell, cell_n);
		CHECK(len < cell_n);
		CHECK(utf8_each((const unsigned char *)cell, len, cell_char_ok));
		CHECK(!doc_formula_risky(cell));
		free(cell);
	}
	char *dup = doc_cell_text_dup(s);
	if (dup) {
		CHECK(utf8_each((const unsigned char *)dup, strlen(dup), cell_char_ok) && !doc_formula_risky(dup));
		free(dup);
	}

	double w = doc_text_width_units(s);
	CHECK(w >= 0 && w <= 2.0 * (double)n);

	strbuf_init(&b, 0);
	doc_rfc5987(&b, s);
	CHECK(!b.failed);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];
		if (c == '%') {
			CHECK(i + 2 < b.len && strchr("0123456789ABCDEF", b.data[i + 1]) && strchr("0123456789ABCDEF", b.data[i + 2]));
			i += 2;
		} else {
			CHECK(attr_char(c));
		}
	}
	strbuf_cleanup(&b);

	strbuf_init(&b, 0);
	doc_xml_puts(&b, s);
	CHECK(!b.failed && utf8_each((const unsigned char *)b.data, b.len, xml_char_ok) && amps_ok(b.data, b.len));
	strbuf_cleanup(&b);
	free(s);
	return 0;
}
