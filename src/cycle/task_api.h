/* task_api.h — the HTTP handlers of work items, progress, checks and the tracking view (listed in src/http/routes.c). */
#ifndef NL_CYCLE_TASK_API_H
#define NL_CYCLE_TASK_API_H

struct nl_req;

int api_tasks_list(struct nl_req *r);
int api_tasks_create(struct nl_req *r);
int api_tasks_get(struct nl_req *r);
int api_tasks_update(struct nl_req *r);
int api_tasks_progress(struct nl_req *r);
int api_tasks_checks_create(struct nl_req *r);
int api_checks_update(struct nl_req *r);
int api_tracking_get(struct nl_req *r);

#endif
