/* system_api.c — the unauthenticated operational endpoints: /healthz, /metrics, /api/openapi.json. */
#include "http/system_api.h"

#include "core/embed.h"
#include "core/strbuf.h"
#include "http/http.h"
#include "http/metrics.h"
#include "store/store.h"

#include <stdlib.h>

#include "core/common.h"

int api_healthz(struct nl_req *r)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(r->ctx.db, "SELECT 1", &st);
	if (rc == 0)
		rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		return nl_fail(&r->err, NL_EUNAVAIL, NULL, "The database does not answer.");
	return reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

int api_metrics(struct nl_req *r)
{
	struct nl_strbuf b;
	strbuf_init(&b, 4 * 1024 * 1024);
	metrics_render(&b);
	int rc = b.failed ? nl_fail(&r->err, NL_ENOMEM, NULL, NULL)
			  : reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	strbuf_cleanup(&b);
	return rc;
}

int api_openapi(struct nl_req *r)
{
	const struct nl_embed *f = embed_find(nl_embed_docs, nl_embed_docs_count, "openapi.json");
	if (!f)
		return nl_fail(&r->err, NL_ENOTFOUND, NULL, "The API description was not built into this binary.");
	reply_header(r, "Cache-Control", "no-cache");
	return reply_raw(r, 200, "application/json; charset=utf-8", f->data, f->len);
}
