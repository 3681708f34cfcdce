/* static.c — the web UI embedded in the binary (web/dist): hashed assets cached for a year, index.html for
 * every client-side route, nothing outside the embedded table (no file system access, so no traversal). */
#include "http/httpInt.h"

#include "core/embed.h"

#include <string.h>

#include "core/common.h"

static const struct {
	const char *ext;
	const char *type;
} mime[] = {
	{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" }, { ".svg", "image/svg+xml" }, { ".png", "image/png" },
	{ ".ico", "image/x-icon" }, { ".woff2", "font/woff2" }, { ".woff", "font/woff" }, { ".ttf", "font/ttf" },
	{ ".json", "application/json" }, { ".txt", "text/plain; charset=utf-8" }, { ".map", "application/json" },
};

static const char *mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < NL_ARRAY_LEN(mime); i++)
		if (!strcmp(dot, mime[i].ext))
			return mime[i].type;
	return "application/octet-stream";
}

static const char no_ui_page[] =
	"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>nengli</title>"
	"<body><h1>nengli 能力</h1><p>The web UI was not built into this binary (run <code>make build</code>). "
	"The API is at <code>/api/v1</code>; its description at <a href=\"/api/openapi.json\">/api/openapi.json</a>.</p>";

int static_serve(struct nl_req *r)
{
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return NL_ENOTFOUND;
	const char *path = r->path;
	if (!strncmp(path, "/api/", 5) || !strcmp(path, "/api") || strstr(path, "..") || path[0] != '/')
		return NL_ENOTFOUND;
	const struct nl_embed *f = NULL;
	if (strcmp(path, "/") != 0)
		f = embed_find(nl_embed_web, nl_embed_web_count, path + 1);
	if (f) {
		int immutable = !strncmp(path, "/assets/", 8);
		reply_header(r, "Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
		return reply_raw(r, 200, mime_type(f->path), f->data, f->len);
	}
	/* Missing files under /assets/ or with an extension are real 404s; anything else is a client-side route. */
	const char *last = strrchr(path, '/');
	if (!strncmp(path, "/assets/", 8) || (last && strchr(last, '.')))
		return NL_ENOTFOUND;
	f = embed_find(nl_embed_web, nl_embed_web_count, "index.html");
	reply_header(r, "Cache-Control", "no-cache");
	if (!f)
		return reply_raw(r, 200, "text/html; charset=utf-8", no_ui_page, sizeof no_ui_page - 1);
	return reply_raw(r, 200, "text/html; charset=utf-8", f->data, f->len);
}
