/* notify_api.c — HTTP handler for GET /notifications: the current user's reminders (cycle/notify.h). */
#include "cycle/notify_api.h"

#include "cycle/notify.h"
#include "http/http.h"

#include "core/common.h"

int api_notifications_list(struct nl_req *r)
{
	json_t *items;
	int rc = notify_list(&r->ctx, &items);
	if (rc)
		return rc;
	return reply_list(r, items, 0);
}
