/* doc_text.c — escaping, the formula-injection guard and text widths for documents (see doc_text.h). */
#include "documents/doc_text.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"

size_t doc_utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len;
	unsigned v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		goto bad;
	}
	if (n < len)
		goto bad;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

/* 1 when XML 1.0 allows the code point in character data. */
static int xml_char_ok(unsigned cp)
{
	if (cp < 0x20)
		return cp == 0x09 || cp == 0x0A || cp == 0x0D;
	return cp != 0xFFFE && cp != 0xFFFF;
}

void doc_xml_escape(struct nl_strbuf *b, const char *s, size_t n)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;   /* run: start of the bytes that need no change, appended in one piece */
	while (i < n) {
		unsigned cp;
		size_t len = doc_utf8_next(p + i, n - i, &cp);
		const char *rep = NULL;
		if (cp == 0xFFFD && len == 1)   /* an invalid sequence (a real U+FFFD is 3 bytes long) */
			rep = "\xEF\xBF\xBD";
		else if (!xml_char_ok(cp))
			rep = "\xEF\xBF\xBD";
		else if (cp == '&')
			rep = "&amp;";
		else if (cp == '<')
			rep = "&lt;";
		else if (cp == '>')
			rep = "&gt;";
		else if (cp == '"')
			rep = "&quot;";
		else if (cp == '\'')
			rep = "&apos;";
		if (rep) {
			strbuf_append(b, s + run, i - run);
			strbuf_puts(b, rep);
			run = i + len;
		}
		i += len;
	}
	strbuf_append(b, s + run, n - run);
}

void doc_xml_puts(struct nl_strbuf *b, const char *s)
{
	if (s)
		doc_xml_escape(b, s, strlen(s));
}

int doc_formula_risky(const char *s)
{
	if (!s)
		return 0;
	return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
}

/* 1 for the characters a cell text drops: C0 controls other than tab and newline, DEL, U+FFFE, U+FFFF. */
static int cell_dropped(unsigned cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF;
}

char *doc_cell_text(const char *s, char *out, size_t n)
{
	if (!n)
		return out;
	out[0] = '\0';
	if (!s)
		return out;
	size_t o = 0, len = strlen(s), first = 0;
	const unsigned char *p = (const unsigned char *)s;
	/* The guard looks at the first character that is kept: "\x01=cmd" must not become "=cmd" (found by
	 * fuzz/fuzz_doc_text). A risky text with no room for the apostrophe gives "". */
	while (first < len) {
		unsigned cp;
		size_t k = doc_utf8_next(p + first, len - first, &cp);
		if (!cell_dropped(cp))
			break;
		first += k;
	}
	if (doc_formula_risky(s + first)) {
		if (n <= 2)
			return out;
		out[o++] = '\'';
	}
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t k = doc_utf8_next(p + i, len - i, &cp);
		const char *src = s + i;
		size_t sl = k;
		if (cp == 0xFFFD && k == 1) {
			src = "\xEF\xBF\xBD";
			sl = 3;
		} else if (cell_dropped(cp)) {
			sl = 0;   /* dropped */
		}
		i += k;
		if (!sl)
			continue;
		if (o + sl >= n)
			break;   /* truncated on a character boundary */
		memcpy(out + o, src, sl);
		o += sl;
	}
	out[o] = '\0';
	return out;
}

char *doc_cell_text_dup(const char *s)
{
	size_t n = (s ? strlen(s) : 0) * 3 + 2;   /* each byte may become U+FFFD (3 bytes), plus the apostrophe */
	char *out = malloc(n + 1);
	return out ? doc_cell_text(s, out, n + 1) : NULL;
}

int doc_cp_wide(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

double doc_text_width_units(const char *s)
{
	if (!s)
		return 0;
	double best = 0, line = 0;
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		i += doc_utf8_next(p + i, len - i, &cp);
		if (cp == '\n') {
			line = 0;
			continue;
		}
		line += doc_cp_wide(cp) ? 2.0 : 1.0;
		if (line > best)
			best = line;
	}
	return best;
}

void doc_rfc5987(struct nl_strbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c)) {
			strbuf_putc(b, (char)c);
		} else {
			strbuf_putc(b, '%');
			strbuf_putc(b, hex[c >> 4]);
			strbuf_putc(b, hex[c & 15]);
		}
	}
}
