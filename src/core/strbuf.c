/* strbuf.c — the capped growable buffer. */
#include "core/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(struct nl_strbuf *b, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->cap = cap;
}

void strbuf_cleanup(struct nl_strbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

void strbuf_reset(struct nl_strbuf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int strbuf_grow(struct nl_strbuf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (extra > ((size_t)-1) / 2 - b->len || (b->cap && b->len + extra > b->cap)) {
		b->failed = 1;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	size_t n = b->alloc ? b->alloc : 256;
	while (n < need)
		n *= 2;
	char *p = realloc(b->data, n);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->alloc = n;
	return 0;
}

void strbuf_append(struct nl_strbuf *b, const void *p, size_t n)
{
	if (strbuf_grow(b, n) < 0)
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void strbuf_puts(struct nl_strbuf *b, const char *s)
{
	strbuf_append(b, s, strlen(s));
}

void strbuf_putc(struct nl_strbuf *b, char c)
{
	strbuf_append(b, &c, 1);
}

void strbuf_vprintf(struct nl_strbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (strbuf_grow(b, (size_t)n) < 0)
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void strbuf_printf(struct nl_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

void strbuf_json_string(struct nl_strbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	strbuf_putc(b, '"');
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		strbuf_append(b, s + start, i - start);
		start = i + 1;
		switch (c) {
		case '"': strbuf_puts(b, "\\\""); break;
		case '\\': strbuf_puts(b, "\\\\"); break;
		case '\n': strbuf_puts(b, "\\n"); break;
		case '\r': strbuf_puts(b, "\\r"); break;
		case '\t': strbuf_puts(b, "\\t"); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			strbuf_append(b, u, 6);
		}
		}
	}
	strbuf_append(b, s + start, n - start);
	strbuf_putc(b, '"');
}

char *strbuf_detach(struct nl_strbuf *b, size_t *len)
{
	if (b->failed) {
		strbuf_cleanup(b);
		return NULL;
	}
	if (!b->data)
		strbuf_append(b, "", 0);
	char *p = b->data;
	if (len)
		*len = b->len;
	memset(b, 0, sizeof *b);
	return p;
}

int str_eq(struct nl_str s, const char *c)
{
	size_t n = strlen(c);
	return s.n == n && memcmp(s.p, c, n) == 0;
}
