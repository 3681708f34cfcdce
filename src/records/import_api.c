/* import_api.c — HTTP handlers for imports: the raw body is the file, fed to the streaming import (import.c) in
 * chunks; the answer is 201 with the import's report, status "done" or "failed" (lines rejected: nothing imported). */
#include "records/import_api.h"

#include "http/http.h"
#include "records/import.h"

#include <string.h>

#include "core/common.h"

#define FEED_CHUNK (1024 * 1024)

int api_imports_create(struct nl_req *r)
{
	struct nl_import *im = NULL;
	json_t *mapping = NULL, *report = NULL;
	const char *m = req_query(r, "mapping");
	int rc = 0;
	if (m && *m) {
		json_error_t je;
		mapping = json_loads(m, 0, &je);
		if (!mapping || !json_is_object(mapping)) {
			json_decref(mapping);
			return nl_fail(&r->err, NL_EVALID, "mapping", "mapping must be a JSON object {\"field\": \"Header name\"}.");
		}
	}
	struct nl_import_options o = { .format = req_query(r, "format"), .source = req_query(r, "source"), .mapping = mapping };
	if ((rc = import_begin(&r->ctx, &o, &im)))
		goto out;
	for (size_t off = 0; off < r->raw_len && !rc; off += FEED_CHUNK) {
		size_t n = r->raw_len - off < FEED_CHUNK ? r->raw_len - off : FEED_CHUNK;
		rc = import_feed(im, r->raw_body + off, n);
	}
	if (rc || (rc = import_finish(im, &report)))
		goto out;
	rc = reply_json(r, 201, report);
out:
	import_free(im);
	json_decref(mapping);
	return rc;
}

int api_imports_list(struct nl_req *r)
{
	struct nl_page p;
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = import_list(&r->ctx, p.limit, p.cursor, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_imports_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = import_get(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_department_aliases_get(struct nl_req *r)
{
	json_t *items;
	int rc = department_aliases_get(&r->ctx, &items);
	return rc ? rc : reply_list(r, items, 0);
}

struct aliases_body {
	json_t *items;
};
static const struct nl_jfield aliases_fields[] = {
	{ "items", NL_J_ANY, 1, 0, 0, 0, NULL, offsetof(struct aliases_body, items) },
};

int api_department_aliases_put(struct nl_req *r)
{
	struct aliases_body b = { 0 };
	json_t *items;
	int rc = req_body(r, aliases_fields, NL_ARRAY_LEN(aliases_fields), &b, NULL);
	if (rc || (rc = department_aliases_put(&r->ctx, b.items, &items)))
		return rc;
	return reply_list(r, items, 0);
}
