/* approval_api.h — HTTP handlers for the approvals list and one approval (src/approval/approval_api.c). */
#ifndef NL_APPROVAL_API_H
#define NL_APPROVAL_API_H

struct nl_req;

/* GET /api/v1/approvals?status=&mine=&entity=&entity_id= */
int api_approvals_list(struct nl_req *r);
/* GET /api/v1/approvals/{id} */
int api_approvals_get(struct nl_req *r);

#endif
