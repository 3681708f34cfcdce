/* fuzz_json_body.c — libFuzzer driver for the JSON request validation (src/core/json.c: json_parse_body and
 * json_validate) with the field table of every write endpoint.
 * The tables are static in the *_api.c files; rather than expose them, the driver is linked with
 * -Wl,--wrap=json_validate and, at start-up, calls the handler of every POST/PUT/PATCH/DELETE route of the real
 * route table (src/http/routes.c) once with an empty body and every path parameter "1": the wrapper records the
 * table the handler validates with (a copy: some handlers build theirs on the stack) and stops the handler there.
 * Routes whose handler returns before validating (raw uploads, bodiless actions) have no table. Each input is then
 * one byte choosing a table and a request body, given to the same two functions a request goes through.
 * Besides memory errors it checks: a body that passes has every required field, the `present` bits name only
 * fields of the table, and each stored string field is valid UTF-8 within its length bounds. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/json.h"
#include "fuzz_db.h"
#include "http/http.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)
#define MAX_TABLES 512

struct table {
	const char *route;          /* "POST /api/v1/plans" */
	struct nl_jfield *fields;   /* a heap copy */
	size_t n;
	size_t out_size;            /* enough for the furthest field */
};

static struct table tables[MAX_TABLES];
static size_t ntables;
static int capturing;
static const char *capture_route;
static int shared;   /* the table the last captured route shares with an earlier one, or -1 */

int __real_json_validate(const json_t *body, const struct nl_jfield *fields, size_t n, void *out, uint64_t *present,
	struct nl_error *err);
int __wrap_json_validate(const json_t *body, const struct nl_jfield *fields, size_t n, void *out, uint64_t *present,
	struct nl_error *err);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int __wrap_json_validate(const json_t *body, const struct nl_jfield *fields, size_t n, void *out, uint64_t *present,
	struct nl_error *err)
{
	if (!capturing)
		return __real_json_validate(body, fields, n, out, present, err);
	for (size_t i = 0; i < ntables; i++) {   /* the same table for another route (create and update) */
		if (tables[i].n == n && memcmp(tables[i].fields, fields, n * sizeof *fields) == 0) {
			shared = (int)i;
			return nl_fail(err, NL_EVALID, NULL, "captured");
		}
	}
	if (ntables < MAX_TABLES && n > 0) {
		struct table *t = &tables[ntables];
		t->fields = malloc(n * sizeof *fields);
		if (t->fields) {
			memcpy(t->fields, fields, n * sizeof *fields);
			t->n = n;
			t->route = capture_route;
			for (size_t i = 0; i < n; i++)
				if (fields[i].offset + 16 > t->out_size)
					t->out_size = fields[i].offset + 16;
			ntables++;
		}
	}
	return nl_fail(err, NL_EVALID, NULL, "captured");
}

/* A plausible body for table t: every field with a value of its type (FUZZ_WRITE_SEEDS=dir writes one per table,
 * prefixed by the table's byte: that is how fuzz/corpus/json_body was made). */
static void seed_write(const char *dir, size_t ti)
{
	const struct table *t = &tables[ti];
	json_t *o = json_object();
	for (size_t i = 0; i < t->n; i++) {
		const struct nl_jfield *f = &t->fields[i];
		json_t *v = NULL;
		switch (f->type) {
		case NL_J_STRING: case NL_J_TEXT: v = json_string(f->min > 4 ? "a sufficiently long text value" : "text"); break;
		case NL_J_INT: v = json_integer(f->min > 0 ? f->min : f->max > 0 ? f->max / 2 : 0); break;
		case NL_J_ID: v = json_integer(1); break;
		case NL_J_NUMBER: v = json_real(f->min || f->max ? (double)(f->min + f->max) / 2 : 1.5); break;
		case NL_J_BOOL: v = json_true(); break;
		case NL_J_DATE: v = json_string("2027-03-01"); break;
		case NL_J_ENUM: v = json_string(f->values && f->values[0] ? f->values[0] : "x"); break;
		case NL_J_STRINGS: v = json_pack("[s]", f->values && f->values[0] ? f->values[0] : "text"); break;
		case NL_J_OBJECT: v = json_object(); break;
		case NL_J_ANY: v = json_null(); break;
		}
		if (v)
			json_object_set_new(o, f->name, v);
	}
	char *text = json_dumps(o, JSON_COMPACT);
	char path[4096];
	snprintf(path, sizeof path, "%s/table%03zu", dir, ti);
	FILE *fp = fopen(path, "wb");
	if (fp && text) {
		fputc((int)ti, fp);
		fputs(text, fp);
	}
	if (fp)
		fclose(fp);
	free(text);
	json_decref(o);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct nl_user admin = { .id = 1, .username = "fuzz", .roles = ~0u, .active = 1 };
	struct nl_db *db = fuzz_db();
	capturing = 1;
	for (size_t i = 0; i < nl_routes_count; i++) {
		const struct nl_route *rt = &nl_routes[i];
		if (!strcmp(rt->method, "GET") || (rt->flags & NL_R_RAW))
			continue;
		struct nl_req r;
		memset(&r, 0, sizeof r);
		arena_init(&r.arena, 1 << 20);
		r.ctx.db = db;
		r.ctx.err = &r.err;
		r.ctx.arena = &r.arena;
		r.ctx.actor = &admin;
		r.ctx.actor_name = "fuzz";
		r.ctx.request_id = "fuzz";
		r.user = admin;
		r.authenticated = 1;
		r.method = rt->method;
		r.path = rt->pattern;
		r.reply_fd = -1;
		for (const char *s = rt->pattern; (s = strchr(s, '{')) && r.nparams < NL_MAX_PARAMS; s++) {
			const char *close = strchr(s, '}');
			if (!close)
				break;
			const char *name = arena_strndup(&r.arena, s + 1, (size_t)(close - s - 1));
			r.param_names[r.nparams] = name;
			r.param_values[r.nparams++] = !strcmp(name, "year") ? "2027" : !strcmp(name, "date") ? "2027-03-01"
				: !strcmp(name, "period") ? "2027-03" : "1";
		}
		r.body = json_object();
		capture_route = rt->pattern;
		size_t before = ntables;
		shared = -1;
		(void)rt->handler(&r);
		if (ntables > before) {
			size_t len = strlen(rt->method) + strlen(rt->pattern) + 2;
			char *name = malloc(len);
			if (name)
				snprintf(name, len, "%s %s", rt->method, rt->pattern);
			tables[before].route = name;
		} else if (getenv("FUZZ_LIST_TABLES")) {
			if (shared >= 0)
				fprintf(stderr, "same as table %d: %s %s\n", shared, rt->method, rt->pattern);
			else
				fprintf(stderr, "no table: %s %s\n", rt->method, rt->pattern);
		}
		json_decref(r.body);
		json_decref(r.reply);
		free(r.reply_raw);
		arena_cleanup(&r.arena);
	}
	capturing = 0;
	if (getenv("FUZZ_LIST_TABLES"))
		for (size_t i = 0; i < ntables; i++)
			fprintf(stderr, "table %zu: %s (%zu fields)\n", i, tables[i].route, tables[i].n);
	const char *seeds = getenv("FUZZ_WRITE_SEEDS");
	for (size_t i = 0; seeds && i < ntables && i < 256; i++)
		seed_write(seeds, i);
	fprintf(stderr, "fuzz_json_body: %zu field tables captured from the write routes\n", ntables);
	if (ntables == 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	const struct table *t = &tables[data[0] % ntables];
	struct nl_error err;
	memset(&err, 0, sizeof err);
	json_t *body = NULL;
	if (json_parse_body((const char *)data + 1, size - 1, &body, &err) != 0) {
		CHECK(body == NULL && err.code != 0);
		return 0;
	}
	void *out = calloc(1, t->out_size);
	if (!out) {
		json_decref(body);
		return 0;
	}
	uint64_t present = 0;
	memset(&err, 0, sizeof err);
	int rc = json_validate(body, t->fields, t->n, out, &present, &err);
	if (rc == 0) {
		CHECK(t->n >= 64 || (present >> t->n) == 0);
		for (size_t i = 0; i < t->n && i < 64; i++) {
			const struct nl_jfield *f = &t->fields[i];
			CHECK(!f->required || (present >> i & 1));
			if ((f->type == NL_J_STRING || f->type == NL_J_TEXT) && (present >> i & 1)) {
				const char *s = *(const char **)((char *)out + f->offset);
				if (s) {
					long len = utf8_length(s, strlen(s));
					CHECK(len >= 0);
					if (f->max > 0)
						CHECK(len <= f->max);
				}
			}
		}
	} else {
		CHECK(err.code != 0);
	}
	free(out);
	json_decref(body);
	return 0;
}
