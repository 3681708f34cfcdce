/* request.c — the handler-facing helpers of http.h: path and query parameters, body validation, paging, replies. */
#include "http/http.h"

#include "http/httpInt.h"

#include "core/date.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/common.h"

const char *req_param(struct nl_req *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (!strcmp(r->param_names[i], name))
			return r->param_values[i];
	return NULL;
}

static int parse_i64(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 19)
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int req_param_id(struct nl_req *r, const char *name, int64_t *out)
{
	int64_t v;
	if (parse_i64(req_param(r, name), &v) || v <= 0)
		return nl_fail(&r->err, NL_ENOTFOUND, NULL, "No such record.");
	*out = v;
	return 0;
}

const char *req_query(struct nl_req *r, const char *name)
{
	for (struct req_kv *kv = r->query_; kv; kv = kv->next)
		if (!strcmp(kv->key, name))
			return kv->value;
	return NULL;
}

const char *req_header(struct nl_req *r, const char *name)
{
	for (struct req_kv *kv = r->headers_; kv; kv = kv->next)
		if (!strcasecmp(kv->key, name))
			return kv->value;
	return NULL;
}

int req_query_int(struct nl_req *r, const char *name, int64_t min, int64_t max, int64_t def, int64_t *out)
{
	const char *s = req_query(r, name);
	if (!s) {
		*out = def;
		return 0;
	}
	int64_t v;
	int neg = s[0] == '-';
	if (parse_i64(neg ? s + 1 : s, &v) || (neg ? -v : v) < min || (neg ? -v : v) > max)
		return nl_fail(&r->err, NL_EINVAL, name, "%s must be a whole number from %lld to %lld.", name,
			(long long)min, (long long)max);
	*out = neg ? -v : v;
	return 0;
}

int req_query_date(struct nl_req *r, const char *name, const char **out)
{
	const char *s = req_query(r, name);
	*out = NULL;
	if (!s || !*s)
		return 0;
	struct nl_date d;
	if (!json_is_date_shape(s) || date_parse(s, &d) != 0)
		return nl_fail(&r->err, NL_EINVAL, name, "%s must be a date YYYY-MM-DD.", name);
	*out = s;
	return 0;
}

int req_body(struct nl_req *r, const struct nl_jfield *fields, size_t n, void *out, uint64_t *present)
{
	if (!r->body) {
		r->body = json_object();
		if (!r->body)
			return nl_fail(&r->err, NL_ENOMEM, NULL, NULL);
	}
	return json_validate(r->body, fields, n, out, present, &r->err);
}

int req_page(struct nl_req *r, struct nl_page *p)
{
	int rc = req_query_int(r, "limit", 1, 500, 50, &p->limit);
	if (rc)
		return rc;
	const char *c = req_query(r, "cursor");
	p->cursor = 0;
	if (c && *c && (parse_i64(c, &p->cursor) || p->cursor <= 0))
		return nl_fail(&r->err, NL_EINVAL, "cursor", "cursor is not one this server gave out.");
	return 0;
}

const char *req_cookie(struct nl_req *r, const char *name)
{
	const char *h = req_header(r, "Cookie");
	size_t nlen = strlen(name);
	while (h && *h) {
		while (*h == ' ' || *h == ';')
			h++;
		const char *eq = strchr(h, '=');
		const char *semi = strchr(h, ';');
		if (!eq || (semi && semi < eq))
			break;
		const char *vend = semi ? semi : h + strlen(h);
		if ((size_t)(eq - h) == nlen && strncmp(h, name, nlen) == 0)
			return arena_strndup(&r->arena, eq + 1, (size_t)(vend - eq - 1));
		h = semi;
	}
	return NULL;
}

int reply_json(struct nl_req *r, int status, json_t *v)
{
	json_decref(r->reply);
	r->reply = v;
	r->status = status;
	return v ? 0 : nl_fail(&r->err, NL_ENOMEM, NULL, NULL);
}

int reply_list(struct nl_req *r, json_t *items, int64_t next_cursor)
{
	char cur[24];
	snprintf(cur, sizeof cur, "%lld", (long long)next_cursor);
	json_t *o = json_object();
	json_object_set_new(o, "items", items ? items : json_array());
	json_object_set_new(o, "next_cursor", next_cursor > 0 ? json_string(cur) : json_null());
	return reply_json(r, 200, o);
}

int reply_raw(struct nl_req *r, int status, const char *content_type, const void *data, size_t len)
{
	free(r->reply_raw);
	json_decref(r->reply);
	r->reply = NULL;
	r->reply_raw = malloc(len ? len : 1);
	if (!r->reply_raw)
		return nl_fail(&r->err, NL_ENOMEM, NULL, NULL);
	if (len)
		memcpy(r->reply_raw, data, len);
	r->reply_raw_len = len;
	r->content_type = arena_strdup(&r->arena, content_type);
	r->status = status;
	return 0;
}

int reply_file(struct nl_req *r, int status, const char *content_type, int fd, uint64_t size)
{
	json_decref(r->reply);
	r->reply = NULL;
	free(r->reply_raw);
	r->reply_raw = NULL;
	if (r->reply_fd >= 0)
		close(r->reply_fd);
	r->reply_fd = fd;
	r->reply_fd_size = size;
	r->content_type = arena_strdup(&r->arena, content_type);
	r->status = status;
	return 0;
}

void reply_header(struct nl_req *r, const char *name, const char *value)
{
	if (r->nheaders >= NL_MAX_REPLY_HEADERS)
		return;
	r->header_names[r->nheaders] = arena_strdup(&r->arena, name);
	r->header_values[r->nheaders] = arena_strdup(&r->arena, value);
	if (r->header_names[r->nheaders] && r->header_values[r->nheaders])
		r->nheaders++;
}
