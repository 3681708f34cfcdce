/* system_api.h — /healthz, /metrics, /api/openapi.json. */
#ifndef NL_SYSTEM_API_H
#define NL_SYSTEM_API_H

struct nl_req;
int api_healthz(struct nl_req *r);
int api_metrics(struct nl_req *r);
int api_openapi(struct nl_req *r);

#endif
