/* org_api.h — the HTTP handlers of the organisation room (listed in src/http/routes.c). */
#ifndef NL_ORG_API_H
#define NL_ORG_API_H

struct nl_req;

int api_departments_list(struct nl_req *r);
int api_departments_get(struct nl_req *r);
int api_departments_create(struct nl_req *r);
int api_departments_update(struct nl_req *r);
int api_users_list(struct nl_req *r);
int api_users_get(struct nl_req *r);
int api_users_create(struct nl_req *r);
int api_users_update(struct nl_req *r);
int api_settings_get(struct nl_req *r);
int api_settings_update(struct nl_req *r);
int api_settings_logo_put(struct nl_req *r);
int api_settings_logo_get(struct nl_req *r);
int api_settings_logo_delete(struct nl_req *r);

#endif
