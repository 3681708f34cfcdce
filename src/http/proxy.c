/* proxy.c — requests that come through a trusted reverse proxy: the client's address from X-Forwarded-For (the
 * rightmost hop that is not itself a trusted proxy) and the scheme from X-Forwarded-Proto. Only believed when the
 * connection's peer is in the `trusted-proxies` setting; otherwise both headers are ignored (a client can send them). */
#include "http/httpInt.h"

#include "core/cidr.h"
#include "core/config.h"
#include "core/log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/common.h"

static struct nl_cidr_list trusted;
static pthread_once_t trusted_once = PTHREAD_ONCE_INIT;

/* Parses the setting once (it was validated when the configuration was read; it never changes while serving). */
static void trusted_load(void)
{
	char err[200];
	if (cidr_list_parse(config_current()->trusted_proxies, &trusted, err, sizeof err) != 0) {
		NL_LOG(NL_LOG_ERROR, "trusted-proxies: %s; no proxy is trusted", err);
		memset(&trusted, 0, sizeof trusted);
	}
}

/* Walks the hops of one X-Forwarded-For value from right to left. *client becomes each address in turn; returns 1
 * when the walk is finished (an untrusted hop, or a hop that is not an address: the previous one stays), 0 to go on
 * to the header before this one. */
static int walk_hops(const char *v, char *client, size_t n)
{
	size_t end = strlen(v);
	while (end > 0) {
		size_t start = end;
		while (start > 0 && v[start - 1] != ',')
			start--;
		size_t a = start, b = end;
		while (a < b && (v[a] == ' ' || v[a] == '\t'))
			a++;
		while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
			b--;
		char hop[64];
		if (b - a == 0 || b - a >= sizeof hop)
			return 1;
		memcpy(hop, v + a, b - a);
		hop[b - a] = '\0';
		if (!cidr_is_address(hop))
			return 1;
		snprintf(client, n, "%s", hop);
		if (!cidr_list_match(&trusted, hop))
			return 1;
		end = start > 0 ? start - 1 : 0;
	}
	return 0;
}

void proxy_resolve(struct nl_req *r)
{
	pthread_once(&trusted_once, trusted_load);
	r->via_proxy = 0;
	r->forwarded_https = 0;
	if (trusted.n == 0 || !cidr_list_match(&trusted, r->client_addr))
		return;
	r->via_proxy = 1;
	/* the header list is in reverse order of arrival: the last X-Forwarded-For header comes first */
	char client[64];
	snprintf(client, sizeof client, "%s", r->client_addr);
	const char *proto = NULL;
	for (struct req_kv *kv = r->headers_; kv; kv = kv->next) {
		if (!strcasecmp(kv->key, "X-Forwarded-Proto") && !proto)
			proto = kv->value;
	}
	for (struct req_kv *kv = r->headers_; kv; kv = kv->next)
		if (!strcasecmp(kv->key, "X-Forwarded-For") && walk_hops(kv->value, client, sizeof client))
			break;
	snprintf(r->client_addr, sizeof r->client_addr, "%s", client);
	if (proto) {
		const char *last = strrchr(proto, ',');
		last = last ? last + 1 : proto;
		while (*last == ' ' || *last == '\t')
			last++;
		r->forwarded_https = strncasecmp(last, "https", 5) == 0 && (last[5] == '\0' || last[5] == ' ' || last[5] == '\t');
	}
}

int req_cookie_secure(const struct nl_req *r)
{
	int mode = config_current()->cookie_secure;
	if (mode == NL_COOKIE_SECURE_AUTO)
		return r->via_proxy && r->forwarded_https;
	return mode == NL_COOKIE_SECURE_ON;
}
