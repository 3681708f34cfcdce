/* fuzz_router.c — libFuzzer driver for the HTTP router (src/http/router.c) against the real route table
 * (src/http/routes.c) and for the handler-facing query helpers (src/http/request.c: req_param_id, req_query,
 * req_query_int, req_query_date, req_page, req_cookie). Input: a method line, then the URL ("path?query"), then an
 * optional Cookie header value, separated by '\n'. The query is split and unescaped as libmicrohttpd does
 * (MHD_http_unescape) and copied into a request the way src/http/server.c copies it. Besides memory errors it
 * checks the router's promises: a match names a route of that method (HEAD → GET) whose pattern has as many
 * parameters as were captured, each a non-empty path segment; a 405 lists the allowed methods (m.allow is only for a 405). */
#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "http/http.h"
#include "http/httpInt.h"
#include "http/router.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next '\n'-terminated line of [*p, end) as a NUL-terminated copy in the arena. */
static char *next_line(struct nl_arena *a, const char **p, const char *end)
{
	const char *s = *p;
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	const char *e = nl ? nl : end;
	*p = nl ? nl + 1 : end;
	return arena_strndup(a, s, (size_t)(e - s));
}

static void add_kv(struct nl_req *r, struct req_kv **list, const char *key, const char *value)
{
	struct req_kv *kv = arena_alloc(&r->arena, sizeof *kv);
	if (!kv)
		return;
	kv->key = key;
	kv->value = value;
	kv->next = *list;
	*list = kv;
}

static void check_match(const char *method, const char *path, int rc, const struct nl_route_match *m)
{
	if (rc == 0) {
		CHECK(m->index >= 0 && (size_t)m->index < nl_routes_count);
		const struct nl_route *rt = &nl_routes[m->index];
		CHECK(!strcmp(rt->method, strcmp(method, "HEAD") ? method : "GET"));
		int braces = 0;
		for (const char *s = rt->pattern; *s; s++)
			braces += *s == '{';
		CHECK(m->nparams == braces);
		for (int i = 0; i < m->nparams; i++) {
			CHECK(m->value_len[i] > 0 && memchr(m->values[i], '/', m->value_len[i]) == NULL);
			CHECK(m->values[i] >= path && m->values[i] + m->value_len[i] <= path + strlen(path));
		}
	} else if (rc == NL_EMETHOD) {
		CHECK(m->index < 0 && m->allow[0]);
	} else {
		CHECK(rc == NL_ENOTFOUND && m->index < 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	struct nl_req r;
	memset(&r, 0, sizeof r);
	arena_init(&r.arena, 1 << 20);
	r.ctx.err = &r.err;
	r.ctx.arena = &r.arena;
	const char *p = (const char *)data, *end = p + size;
	char *method = next_line(&r.arena, &p, end);
	char *url = next_line(&r.arena, &p, end);
	char *cookie = next_line(&r.arena, &p, end);
	if (!method || !url || !cookie)
		goto out;
	char *q = strchr(url, '?');
	if (q)
		*q++ = 0;

	struct nl_route_match m;
	int rc = router_match(nl_routes, nl_routes_count, method, url, &m);
	check_match(method, url, rc, &m);
	if (rc == 0) {
		for (int i = 0; i < m.nparams; i++) {
			r.param_names[i] = arena_strndup(&r.arena, m.names[i], m.name_len[i]);
			r.param_values[i] = arena_strndup(&r.arena, m.values[i], m.value_len[i]);
		}
		r.nparams = m.nparams;
	}
	r.method = method;
	r.path = url;

	/* the query, as libmicrohttpd hands it over: split on '&', then '=', each part unescaped */
	for (char *kv = q; kv && *kv;) {
		char *amp = strchr(kv, '&');
		if (amp)
			*amp = 0;
		char *eq = strchr(kv, '=');
		if (eq)
			*eq = 0;
		MHD_http_unescape(kv);
		if (eq)
			MHD_http_unescape(eq + 1);
		add_kv(&r, &r.query_, kv, eq ? eq + 1 : "");
		kv = amp ? amp + 1 : NULL;
	}
	add_kv(&r, &r.headers_, "Cookie", cookie);

	int64_t v;
	struct nl_page page;
	const char *date;
	memset(&r.err, 0, sizeof r.err);
	if (req_param_id(&r, "id", &v) == 0)
		CHECK(v > 0);
	memset(&r.err, 0, sizeof r.err);
	if (req_query_int(&r, "year", 1900, 9999, 2027, &v) == 0)
		CHECK(v >= 1900 && v <= 9999);
	memset(&r.err, 0, sizeof r.err);
	if (req_query_int(&r, "offset", -1000, 1000, 0, &v) == 0)
		CHECK(v >= -1000 && v <= 1000);
	memset(&r.err, 0, sizeof r.err);
	if (req_page(&r, &page) == 0)
		CHECK(page.limit >= 1 && page.limit <= 500 && page.cursor >= 0);
	memset(&r.err, 0, sizeof r.err);
	if (req_query_date(&r, "from", &date) == 0)
		CHECK(!date || strlen(date) == 10);
	(void)req_query(&r, "q");
	const char *sid = req_cookie(&r, NL_SESSION_COOKIE);
	CHECK(!sid || strlen(sid) <= strlen(cookie));
out:
	arena_cleanup(&r.arena);
	return 0;
}
