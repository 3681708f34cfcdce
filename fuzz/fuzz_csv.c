/* fuzz_csv.c — libFuzzer driver for the streaming CSV parser (src/records/csv.c). The first byte picks the chunk
 * size the input is fed in, the second the record size limit; the rest is the file. Besides memory errors it checks
 * the parser's promises: each record's fields are NUL-terminated with the lengths given, valid UTF-8 without NUL,
 * at most NL_CSV_MAX_FIELDS, with line numbers that never go back — and that feeding the file in chunks gives
 * exactly the records that feeding it in one piece gives. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "records/csv.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

struct seen {
	uint64_t hash;
	size_t records;
	int64_t last_line;
	size_t max_record;
};

static void mix(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ s[i]) * 1099511628211ull;
}

static int on_record(void *user, const struct nl_csv_record *rec)
{
	struct seen *s = user;
	CHECK(rec->line >= 1 && rec->end_line >= rec->line && rec->line > s->last_line);
	s->last_line = rec->end_line;
	s->records++;
	mix(&s->hash, &rec->line, sizeof rec->line);
	mix(&s->hash, &rec->end_line, sizeof rec->end_line);
	mix(&s->hash, &rec->error, sizeof rec->error);
	if (rec->error != NL_CSV_OK) {
		CHECK(rec->nfields == 0);
		CHECK(csv_error_message(rec->error) != NULL);
		return 0;
	}
	CHECK(rec->nfields >= 1 && rec->nfields <= NL_CSV_MAX_FIELDS);
	size_t total = 0;
	for (size_t i = 0; i < rec->nfields; i++) {
		size_t n = rec->lengths[i];
		CHECK(rec->fields[i][n] == 0 && memchr(rec->fields[i], 0, n) == NULL);
		CHECK(csv_utf8_valid(rec->fields[i], n));
		total += n;
		mix(&s->hash, &n, sizeof n);
		mix(&s->hash, rec->fields[i], n);
	}
	CHECK(total <= s->max_record);
	return 0;
}

static struct seen parse(const char *d, size_t n, size_t chunk, size_t max_record)
{
	struct seen s = { 14695981039346656037ull, 0, 0, max_record };
	struct nl_csv p;
	csv_init(&p, max_record, on_record, &s);
	for (size_t off = 0; off < n; off += chunk)
		CHECK(csv_feed(&p, d + off, n - off < chunk ? n - off : chunk) == 0);
	CHECK(csv_finish(&p) == 0);
	CHECK(p.bytes == n);
	csv_cleanup(&p);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 65536)
		return 0;
	size_t chunk = 1 + data[0] % 17;
	size_t max_record = data[1] < 128 ? 8 + data[1] : NL_CSV_DEFAULT_MAX_RECORD;
	const char *d = (const char *)data + 2;
	size_t n = size - 2;
	struct seen whole = parse(d, n, n ? n : 1, max_record);
	struct seen parts = parse(d, n, chunk, max_record);
	CHECK(whole.records == parts.records && whole.hash == parts.hash);
	return 0;
}
