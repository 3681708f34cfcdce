/* approval_api.c — HTTP handlers of the approvals: the list (what the current user can decide, or their own
 * requests) and one approval with its steps. Parse → domain → reply. */
#include "approval/approval_api.h"

#include "approval/approval.h"
#include "http/http.h"

#include <string.h>

#include "core/common.h"

static const char *const approval_statuses[] = { "pending", "approved", "rejected", "cancelled", NULL };

/* GET /api/v1/approvals: ?status=pending (default without mine) lists the approvals the current user can decide;
 * ?mine=true lists the user's own requests; other statuses list approvals the user requested or decided. */
int api_approvals_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_approval_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "entity_id", 1, INT64_MAX, 0, &f.entity_id)))
		return rc;
	const char *mine = req_query(r, "mine");
	if (mine && strcmp(mine, "true") != 0 && strcmp(mine, "false") != 0)
		return nl_fail(&r->err, NL_EINVAL, "mine", "mine must be true or false.");
	f.mine = mine && !strcmp(mine, "true");
	f.status = req_query(r, "status");
	if (f.status && !*f.status)
		f.status = NULL;
	if (f.status) {
		int ok = 0;
		for (int i = 0; approval_statuses[i]; i++)
			ok |= !strcmp(f.status, approval_statuses[i]);
		if (!ok)
			return nl_fail(&r->err, NL_EINVAL, "status", "status must be pending, approved, rejected or cancelled.");
	} else if (!f.mine) {
		f.status = "pending";
	}
	f.entity = req_query(r, "entity");
	if (f.entity && (!*f.entity || strlen(f.entity) > 64))
		f.entity = NULL;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = approval_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_approvals_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = approval_get(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}
