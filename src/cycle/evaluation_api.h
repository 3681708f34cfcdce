/* evaluation_api.h — the HTTP handlers of the annual evaluation report (listed in src/http/routes.c). */
#ifndef NL_CYCLE_EVALUATION_API_H
#define NL_CYCLE_EVALUATION_API_H

struct nl_req;

int api_evaluations_get(struct nl_req *r);
int api_evaluations_update(struct nl_req *r);
int api_evaluations_finalize(struct nl_req *r);

#endif
