/* policy_api.h — HTTP handler that publishes the permission table (src/auth/policy.c) for the roles page. */
#ifndef NL_POLICY_API_H
#define NL_POLICY_API_H

struct nl_req;

/* GET /api/v1/roles: {"roles":[names], "items":[{"action","description","roles","department_roles"}]}. */
int api_roles_list(struct nl_req *r);

#endif
