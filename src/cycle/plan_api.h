/* plan_api.h — HTTP handlers of the annual capability plan: plans, items, meetings, the workflow, versions and
 * history (src/cycle/plan_api.c). The routes are in src/http/routes.c. */
#ifndef NL_PLAN_API_H
#define NL_PLAN_API_H

struct nl_req;

int api_plans_list(struct nl_req *r);           /* GET /api/v1/plans?year=&status= */
int api_plans_create(struct nl_req *r);         /* POST /api/v1/plans */
int api_plans_get(struct nl_req *r);            /* GET /api/v1/plans/{id} */
int api_plans_update(struct nl_req *r);         /* PATCH /api/v1/plans/{id} (If-Match: "<row_version>") */
int api_plan_items_list(struct nl_req *r);      /* GET /api/v1/plans/{id}/items?element= */
int api_plan_items_create(struct nl_req *r);    /* POST /api/v1/plans/{id}/items */
int api_plan_item_get(struct nl_req *r);        /* GET /api/v1/plan-items/{id} */
int api_plan_item_update(struct nl_req *r);     /* PATCH /api/v1/plan-items/{id} */
int api_plan_item_delete(struct nl_req *r);     /* DELETE /api/v1/plan-items/{id} */
int api_plan_meetings_list(struct nl_req *r);   /* GET /api/v1/plans/{id}/meetings */
int api_plan_meetings_create(struct nl_req *r); /* POST /api/v1/plans/{id}/meetings */
int api_plans_submit(struct nl_req *r);         /* POST /api/v1/plans/{id}/submit */
int api_plans_approve(struct nl_req *r);        /* POST /api/v1/plans/{id}/approve */
int api_plans_reject(struct nl_req *r);         /* POST /api/v1/plans/{id}/reject */
int api_plans_revise(struct nl_req *r);         /* POST /api/v1/plans/{id}/revise */
int api_plan_versions_list(struct nl_req *r);   /* GET /api/v1/plans/{id}/versions */
int api_plan_version_get(struct nl_req *r);     /* GET /api/v1/plans/{id}/versions/{version} */
int api_plan_history(struct nl_req *r);         /* GET /api/v1/plans/{id}/history */

#endif
