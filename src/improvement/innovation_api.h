/* innovation_api.h — the HTTP handlers of innovation proposals (listed in src/http/routes.c). */
#ifndef NL_IMPROVEMENT_INNOVATION_API_H
#define NL_IMPROVEMENT_INNOVATION_API_H

struct nl_req;

int api_innovations_list(struct nl_req *r);
int api_innovations_create(struct nl_req *r);
int api_innovations_get(struct nl_req *r);
int api_innovations_update(struct nl_req *r);
int api_innovations_advance(struct nl_req *r);

#endif
