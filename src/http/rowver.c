/* rowver.c — the handlers' side of optimistic concurrency: If-Match parsing, arming the store's check, and the ETag
 * and row_version of the reply (see rowver.h; the transaction side is src/store/rowver.c). */
#include "http/rowver.h"

#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

int64_t req_if_match_value(const char *h)
{
	if (!h)
		return 0;
	while (*h == ' ')
		h++;
	if (!strcmp(h, "*"))
		return 0;
	if (!strncmp(h, "W/", 2))
		h += 2;
	char buf[24];
	size_t n = strlen(h);
	while (n && h[n - 1] == ' ')
		n--;
	if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
		h++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, h, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (buf[i] < '0' || buf[i] > '9')
			return -1;
	errno = 0;
	long long v = strtoll(buf, NULL, 10);
	return errno || v <= 0 ? -1 : v;
}

int req_row_version(struct nl_req *r, const char *table, int64_t key, const char *key2)
{
	int64_t current = 0;
	int write = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
	int64_t if_match = write ? req_if_match_value(req_header(r, "If-Match")) : 0;
	if (if_match < 0)
		return nl_fail(&r->err, NL_EINVAL, "If-Match",
			"If-Match must be the record's row_version (its ETag) in quotes, e.g. \"7\".");
	return db_row_version(r->ctx.db, table, key, key2, if_match, write, &r->err, &current);
}

int reply_versioned(struct nl_req *r, int status, json_t *v)
{
	int64_t ver = db_row_version_current(r->ctx.db);
	if (ver > 0) {
		char etag[32];
		snprintf(etag, sizeof etag, "\"%lld\"", (long long)ver);
		reply_header(r, "ETag", etag);
	}
	return reply_json(r, status, v);
}
