/* risk_api.h — the HTTP handlers of the risk register (listed in src/http/routes.c). */
#ifndef NL_IMPROVEMENT_RISK_API_H
#define NL_IMPROVEMENT_RISK_API_H

struct nl_req;

int api_risks_list(struct nl_req *r);
int api_risks_create(struct nl_req *r);
int api_risks_matrix(struct nl_req *r);
int api_risks_get(struct nl_req *r);
int api_risks_update(struct nl_req *r);

#endif
