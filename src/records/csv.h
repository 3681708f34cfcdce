/* csv.h — a streaming (push) CSV parser, RFC 4180: fields separated by commas, records by CRLF, LF or a lone CR;
 * quoted fields may hold commas, line breaks and doubled quotes (""). A UTF-8 byte-order mark at the start is dropped;
 * blank lines are skipped. Bytes arrive in chunks of any size (csv_feed); each complete record is handed to a
 * callback with its fields NUL-terminated and the number of the physical line it starts on (1 = the first line).
 * Memory is bounded by the longest record (max_record bytes): a longer record is skipped to its end and reported
 * as an error, never buffered. Records are checked: valid UTF-8 (strict: no overlong forms, no surrogates, nothing
 * above U+10FFFF), no NUL byte, nothing between a closing quote and the next separator, a closing quote present. */
#ifndef NL_CSV_H
#define NL_CSV_H

#include <stddef.h>
#include <stdint.h>

#define NL_CSV_DEFAULT_MAX_RECORD (1024 * 1024)
#define NL_CSV_MAX_FIELDS 1024

enum nl_csv_error {
	NL_CSV_OK = 0,
	NL_CSV_TOO_LONG,       /* the record is longer than max_record bytes */
	NL_CSV_TOO_MANY_FIELDS,
	NL_CSV_BAD_QUOTE,      /* a character after a closing quote other than a separator or line break */
	NL_CSV_UNTERMINATED,   /* the input ended inside a quoted field */
	NL_CSV_NOT_UTF8,       /* invalid UTF-8 (a GBK file, typically) */
	NL_CSV_NUL,            /* a NUL byte */
};

struct nl_csv_record {
	int64_t line;             /* physical line (1-based) where the record starts */
	int64_t end_line;         /* physical line where it ends */
	size_t nfields;           /* 0 when error != NL_CSV_OK */
	const char *const *fields;   /* NUL-terminated values, valid during the callback only */
	const size_t *lengths;
	enum nl_csv_error error;
};

/* Called for each record. Return 0 to go on; anything else stops the parser (csv_feed/csv_finish return it). */
typedef int (*nl_csv_record_fn)(void *user, const struct nl_csv_record *rec);

struct nl_csv {
	size_t max_record;
	nl_csv_record_fn cb;
	void *user;
	/* private */
	int state;
	int started;            /* the byte-order mark check is done */
	unsigned char bom[3];
	size_t bom_n;
	char *buf;              /* the record's bytes, each field followed by a NUL */
	size_t len, alloc;
	size_t field_start;
	size_t *starts;         /* offsets of the fields in buf */
	size_t *lengths;
	const char **ptrs;
	size_t nfields, fields_alloc;
	int64_t line;
	int64_t record_line;
	int in_record;
	int record_blank;       /* nothing but a line break so far */
	enum nl_csv_error error;
	int stopped;
	uint64_t bytes;         /* bytes consumed so far (BOM included) */
};

/* Prepares a parser; max_record 0 means NL_CSV_DEFAULT_MAX_RECORD. */
void csv_init(struct nl_csv *p, size_t max_record, nl_csv_record_fn cb, void *user);
/* Frees the parser's buffers. */
void csv_cleanup(struct nl_csv *p);
/* Parses n more bytes. Returns 0, the callback's non-zero value (the parser then stays stopped), or NL_ENOMEM. */
int csv_feed(struct nl_csv *p, const char *data, size_t n);
/* Ends the input: a record without a final line break is delivered (an open quote is NL_CSV_UNTERMINATED).
 * Returns like csv_feed. */
int csv_finish(struct nl_csv *p);

/* A sentence describing a record error, for reports ("the file is not UTF-8 (GBK?): ..."). */
const char *csv_error_message(enum nl_csv_error e);

/* 1 when the n bytes at s are valid UTF-8 (strict), else 0. */
int csv_utf8_valid(const char *s, size_t n);

#endif
