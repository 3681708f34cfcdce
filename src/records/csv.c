/* csv.c — the streaming RFC 4180 parser (see csv.h): a byte-at-a-time state machine with a fast path through
 * unquoted text, one reusable record buffer, and the checks made once per complete record. */
#include "records/csv.h"

#include "core/err.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"

enum {
	ST_FIELD_START,   /* at the start of a field */
	ST_UNQUOTED,      /* inside an unquoted field */
	ST_QUOTED,        /* inside a quoted field */
	ST_QUOTE,         /* a quote inside a quoted field: the end, or the first of a doubled quote */
	ST_CR,            /* a CR outside quotes: the record ended; skip a following LF */
};

void csv_init(struct nl_csv *p, size_t max_record, nl_csv_record_fn cb, void *user)
{
	memset(p, 0, sizeof *p);
	p->max_record = max_record ? max_record : NL_CSV_DEFAULT_MAX_RECORD;
	p->cb = cb;
	p->user = user;
	p->line = 1;
	p->record_line = 1;
	p->state = ST_FIELD_START;
	p->record_blank = 1;
}

void csv_cleanup(struct nl_csv *p)
{
	free(p->buf);
	free(p->starts);
	free(p->lengths);
	free(p->ptrs);
	p->buf = NULL;
	p->starts = p->lengths = NULL;
	p->ptrs = NULL;
}

const char *csv_error_message(enum nl_csv_error e)
{
	switch (e) {
	case NL_CSV_OK: return "";
	case NL_CSV_TOO_LONG: return "the line is too long (a record may hold at most 1 MiB)";
	case NL_CSV_TOO_MANY_FIELDS: return "the line has too many fields (at most 1024)";
	case NL_CSV_BAD_QUOTE: return "a closing quote must be followed by a comma or the end of the line (write a quote inside a quoted field as \"\")";
	case NL_CSV_UNTERMINATED: return "a quoted field is not closed before the end of the file";
	case NL_CSV_NOT_UTF8: return "the file is not UTF-8 (GBK?): convert it with iconv -f GBK -t UTF-8";
	case NL_CSV_NUL: return "the line contains a NUL byte (is this a text file?)";
	}
	return "malformed line";
}

int csv_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		uint32_t cp, min;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (n - i <= need)
			return 0;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Appends bytes to the record buffer (one byte of slack for the field's NUL); marks the record too long past the cap. */
static int buf_append(struct nl_csv *p, const char *s, size_t n)
{
	if (p->error == NL_CSV_TOO_LONG)
		return 0;
	if (p->len + n > p->max_record) {
		p->error = NL_CSV_TOO_LONG;
		return 0;
	}
	if (p->len + n + 1 > p->alloc) {
		size_t a = p->alloc ? p->alloc : 4096;
		while (a < p->len + n + 1)
			a *= 2;
		char *nb = realloc(p->buf, a);
		if (!nb)
			return NL_ENOMEM;
		p->buf = nb;
		p->alloc = a;
	}
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	return 0;
}

/* Ends the current field: NUL-terminates it and records its offset. */
static int field_end(struct nl_csv *p)
{
	p->in_record = 1;
	if (p->error == NL_CSV_TOO_LONG)
		return 0;
	if (p->nfields >= NL_CSV_MAX_FIELDS) {
		if (!p->error)
			p->error = NL_CSV_TOO_MANY_FIELDS;
		return 0;
	}
	if (p->nfields == p->fields_alloc) {
		size_t a = p->fields_alloc ? p->fields_alloc * 2 : 32;
		size_t *ns = realloc(p->starts, a * sizeof *ns);
		if (!ns)
			return NL_ENOMEM;
		p->starts = ns;
		size_t *nl = realloc(p->lengths, a * sizeof *nl);
		if (!nl)
			return NL_ENOMEM;
		p->lengths = nl;
		const char **np = realloc(p->ptrs, a * sizeof *np);
		if (!np)
			return NL_ENOMEM;
		p->ptrs = np;
		p->fields_alloc = a;
	}
	if (p->len + 1 > p->alloc) {   /* room for the NUL (not counted against max_record) */
		size_t a = p->alloc ? p->alloc * 2 : 4096;
		char *nb = realloc(p->buf, a);
		if (!nb)
			return NL_ENOMEM;
		p->buf = nb;
		p->alloc = a;
	}
	p->starts[p->nfields] = p->field_start;
	p->lengths[p->nfields] = p->len - p->field_start;
	p->buf[p->len] = '\0';
	p->len++;
	p->field_start = p->len;
	p->nfields++;
	return 0;
}

/* Ends the record (after its last field): checks it and calls the callback; resets for the next record. */
static int record_end(struct nl_csv *p)
{
	int rc = 0;
	int blank = p->nfields == 1 && p->lengths && p->lengths[0] == 0 && !p->error && p->record_blank;
	if (!blank) {
		struct nl_csv_record rec = { .line = p->record_line, .end_line = p->line, .error = p->error };
		if (!rec.error) {
			for (size_t i = 0; i < p->nfields; i++) {
				const char *f = p->buf + p->starts[i];
				size_t n = p->lengths[i];
				if (memchr(f, '\0', n)) {
					rec.error = NL_CSV_NUL;
					break;
				}
				if (!csv_utf8_valid(f, n)) {
					rec.error = NL_CSV_NOT_UTF8;
					break;
				}
			}
		}
		if (!rec.error) {
			for (size_t i = 0; i < p->nfields; i++)
				p->ptrs[i] = p->buf + p->starts[i];
			rec.nfields = p->nfields;
			rec.fields = p->ptrs;
			rec.lengths = p->lengths;
		}
		rc = p->cb(p->user, &rec);
	}
	p->len = 0;
	p->field_start = 0;
	p->nfields = 0;
	p->error = NL_CSV_OK;
	p->in_record = 0;
	p->record_blank = 1;
	if (rc)
		p->stopped = rc;
	return rc;
}

/* The line break ending a record (outside quotes). */
static int line_break(struct nl_csv *p)
{
	int rc = field_end(p);
	if (rc)
		return rc;
	rc = record_end(p);
	p->line++;
	p->record_line = p->line;
	p->state = ST_FIELD_START;
	return rc;
}

/* Runs the state machine over n bytes (after the byte-order mark check). */
static int feed_body(struct nl_csv *p, const char *data, size_t n)
{
	size_t i = 0;
	int rc = 0;
	while (i < n && !rc) {
		char c = data[i];
		switch (p->state) {
		case ST_CR:
			p->state = ST_FIELD_START;
			if (c == '\n') {
				i++;
				continue;
			}
			/* a lone CR ended the record; c starts the next one */
			__attribute__((fallthrough));
		case ST_FIELD_START:
			if (c == '"') {
				p->state = ST_QUOTED;
				p->record_blank = 0;
				p->in_record = 1;
				i++;
			} else if (c == ',') {
				p->record_blank = 0;
				rc = field_end(p);
				i++;
			} else if (c == '\n') {
				rc = line_break(p);
				i++;
			} else if (c == '\r') {
				rc = line_break(p);
				p->state = ST_CR;
				i++;
			} else {
				p->state = ST_UNQUOTED;
				p->record_blank = 0;
				p->in_record = 1;
			}
			break;
		case ST_UNQUOTED: {
			size_t j = i;
			while (j < n && data[j] != ',' && data[j] != '\n' && data[j] != '\r')
				j++;
			if (j > i && (rc = buf_append(p, data + i, j - i)))
				break;
			i = j;
			if (i < n)
				p->state = ST_FIELD_START;   /* the separator is handled there */
			break;
		}
		case ST_QUOTED: {
			size_t j = i;
			while (j < n && data[j] != '"' && data[j] != '\n')
				j++;
			if (j > i && (rc = buf_append(p, data + i, j - i)))
				break;
			i = j;
			if (i < n) {
				if (data[i] == '"') {
					p->state = ST_QUOTE;
				} else {   /* a line break inside quotes is data */
					p->line++;
					rc = buf_append(p, "\n", 1);
				}
				i++;
			}
			break;
		}
		case ST_QUOTE:
			if (c == '"') {
				rc = buf_append(p, "\"", 1);
				p->state = ST_QUOTED;
				i++;
			} else if (c == ',' || c == '\n' || c == '\r') {
				p->state = ST_FIELD_START;
			} else {
				if (!p->error)
					p->error = NL_CSV_BAD_QUOTE;
				p->state = ST_UNQUOTED;
			}
			break;
		}
	}
	if (rc && !p->stopped)
		p->stopped = rc;
	return rc;
}

int csv_feed(struct nl_csv *p, const char *data, size_t n)
{
	if (p->stopped)
		return p->stopped;
	p->bytes += n;
	size_t i = 0;
	/* The byte-order mark EF BB BF, possibly split across chunks. */
	while (!p->started && i < n) {
		static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
		if ((unsigned char)data[i] == bom[p->bom_n]) {
			p->bom[p->bom_n++] = (unsigned char)data[i++];
			if (p->bom_n == 3) {
				p->started = 1;
				p->bom_n = 0;
			}
			continue;
		}
		p->started = 1;
		if (p->bom_n) {   /* a partial mark was text after all: replay it */
			size_t k = p->bom_n;
			p->bom_n = 0;
			int rc = feed_body(p, (const char *)p->bom, k);
			if (rc)
				return rc;
		}
	}
	return i < n ? feed_body(p, data + i, n - i) : 0;
}

int csv_finish(struct nl_csv *p)
{
	if (p->stopped)
		return p->stopped;
	int rc = 0;
	if (!p->started && p->bom_n) {   /* input shorter than a byte-order mark */
		size_t k = p->bom_n;
		p->started = 1;
		p->bom_n = 0;
		if ((rc = feed_body(p, (const char *)p->bom, k)))
			return rc;
	}
	if (p->state == ST_QUOTED) {
		p->error = NL_CSV_UNTERMINATED;
		rc = field_end(p);
		if (!rc)
			rc = record_end(p);
	} else if (p->in_record || p->len > 0 || p->state == ST_UNQUOTED || p->state == ST_QUOTE) {
		rc = field_end(p);
		if (!rc)
			rc = record_end(p);
	}
	p->state = ST_FIELD_START;
	if (rc && !p->stopped)
		p->stopped = rc;
	return rc;
}
