/* httpInt.h — private to src/http: the copied header/query list, cookies, static files, the CSP. */
#ifndef NL_HTTP_INT_H
#define NL_HTTP_INT_H

#include "http/http.h"

struct req_kv {
	const char *key;
	const char *value;
	struct req_kv *next;
};

#define NL_CSP "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " \
	"font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

/* The value of cookie `name` from the Cookie header (arena copy), or NULL. */
const char *req_cookie(struct nl_req *r, const char *name);
/* Behind a trusted proxy (setting trusted-proxies): replaces r->client_addr by the forwarded client's and sets
 * r->via_proxy and r->forwarded_https (proxy.c). Call once the headers are copied. */
void proxy_resolve(struct nl_req *r);
/* Serves GET/HEAD paths outside /api/ from the embedded web UI (SPA fallback to index.html). NL_ENOTFOUND otherwise. */
int static_serve(struct nl_req *r);

#endif
