/* fuzz_import.c — libFuzzer driver for the ticket importer (src/records/import.c): the CSV column mapping (headers
 * by field name, or a mapping {"field": "Header"}), the JSON-lines reader, the ServiceNow path (servicenow.c through
 * the importer) and the row checks, on a throwaway SQLite database with one department ("D1", "Service Desk").
 * Input: byte 0 picks the format (csv, jsonl, servicenow), byte 1 the chunk size the file is fed in (bit 7: the
 * next line is a mapping), then the file. Each input runs import_begin → import_feed … → import_finish →
 * import_free, as POST /api/v1/imports does. Besides memory errors and leaks it checks that every call returns 0
 * or an error code with a message (never a crash or an abort), and that a report has the counts it promises. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"
#include "fuzz_db.h"
#include "records/import.h"
#include "store/store.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static const char *const formats[] = { "csv", "jsonl", "servicenow" };
static struct nl_db *db;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	db = fuzz_db();
	if (db_exec(db, "INSERT INTO departments (id, code, name, created_at, updated_at)"
			" VALUES (1, 'D1', 'Service Desk', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z')"))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 65536)
		return 0;
	const char *format = formats[data[0] % 3];
	size_t chunk = 1 + (data[1] & 0x7f) * 8;
	const char *p = (const char *)data + 2, *end = (const char *)data + size;
	json_t *mapping = NULL;
	if (data[1] & 0x80) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		mapping = json_loadb(p, (size_t)(e - p), 0, NULL);
		if (mapping && !json_is_object(mapping)) {
			json_decref(mapping);
			mapping = NULL;
		}
		p = nl ? nl + 1 : end;
	}

	struct nl_error err;
	struct nl_arena arena;
	memset(&err, 0, sizeof err);
	arena_init(&arena, 1 << 24);
	struct nl_ctx ctx = { .db = db, .actor_name = "fuzz", .err = &err, .arena = &arena, .request_id = "fuzz",
		.now = 1798761600 };
	struct nl_import_options o = { .format = format, .source = NULL, .mapping = mapping };
	struct nl_import *im = NULL;
	json_t *report = NULL;
	int rc = import_begin(&ctx, &o, &im);
	if (rc) {
		CHECK(rc < 0 && im == NULL);
		goto out;
	}
	for (; p < end; p += chunk)
		if ((rc = import_feed(im, p, (size_t)(end - p) < chunk ? (size_t)(end - p) : chunk)))
			break;
	if (!rc && (rc = import_finish(im, &report)) == 0) {
		CHECK(report != NULL);
		json_int_t read = json_integer_value(json_object_get(report, "rows_read"));
		json_int_t rejected = json_integer_value(json_object_get(report, "rejected_count"));
		json_int_t inserted = json_integer_value(json_object_get(report, "inserted"));
		json_int_t updated = json_integer_value(json_object_get(report, "updated"));
		json_int_t unchanged = json_integer_value(json_object_get(report, "unchanged"));
		CHECK(read >= 0 && rejected >= 0 && inserted >= 0 && updated >= 0 && unchanged >= 0);
		if (rejected)
			CHECK(inserted == 0 && updated == 0);   /* all or nothing */
	}
	CHECK(rc <= 0);
	import_free(im);
out:
	CHECK(!db_in_transaction(db));
	json_decref(report);
	json_decref(mapping);
	arena_cleanup(&arena);
	return 0;
}
