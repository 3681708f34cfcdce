/* audit_api.c — GET /api/v1/audit with filters (admin, auditor). */
#include "audit/audit_api.h"

#include "audit/audit.h"
#include "http/http.h"

#include <stdint.h>
#include <string.h>

#include "core/common.h"

int api_audit_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_audit_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "entity_id", 1, INT64_MAX, 0, &f.entity_id)) ||
		(rc = req_query_int(r, "actor_id", 1, INT64_MAX, 0, &f.actor_id)) ||
		(rc = req_query_date(r, "from", &f.from)) || (rc = req_query_date(r, "to", &f.to)))
		return rc;
	f.entity = req_query(r, "entity");
	f.action = req_query(r, "action");
	if ((f.entity && strlen(f.entity) > 64) || (f.action && strlen(f.action) > 64))
		return nl_fail(&r->err, NL_EINVAL, f.entity && strlen(f.entity) > 64 ? "entity" : "action", "Filter too long.");
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = audit_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}
