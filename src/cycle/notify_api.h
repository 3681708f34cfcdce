/* notify_api.h — the HTTP handler of the current user's reminders (listed in src/http/routes.c). */
#ifndef NL_CYCLE_NOTIFY_API_H
#define NL_CYCLE_NOTIFY_API_H

struct nl_req;

int api_notifications_list(struct nl_req *r);

#endif
