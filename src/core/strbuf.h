/* strbuf.h — a growable byte buffer with a cap. Appends never fail loudly: the first failure sets `failed`
 * and later appends do nothing, so a builder checks once at the end. Also the length-carrying string view. */
#ifndef NL_STRBUF_H
#define NL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct nl_str {
	const char *p;
	size_t n;
};

struct nl_strbuf {
	char *data;      /* heap, NUL-terminated while not failed; owned by the buffer */
	size_t len;
	size_t alloc;
	size_t cap;      /* maximum length, 0 = unlimited */
	int failed;
};

void strbuf_init(struct nl_strbuf *b, size_t cap);
void strbuf_cleanup(struct nl_strbuf *b);
void strbuf_reset(struct nl_strbuf *b);
void strbuf_append(struct nl_strbuf *b, const void *p, size_t n);
void strbuf_puts(struct nl_strbuf *b, const char *s);
void strbuf_putc(struct nl_strbuf *b, char c);
void strbuf_printf(struct nl_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct nl_strbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s as a JSON string literal (with quotes), escaping as RFC 8259 requires. */
void strbuf_json_string(struct nl_strbuf *b, const char *s, size_t n);
/* Hands the buffer's memory to the caller (free() it) and resets the buffer; NULL if the buffer failed. */
char *strbuf_detach(struct nl_strbuf *b, size_t *len);

/* True when the view equals the C string. */
int str_eq(struct nl_str s, const char *c);

#endif
