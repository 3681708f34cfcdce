/* auth_api.h — HTTP handlers for sessions, the current user and API tokens. */
#ifndef NL_AUTH_API_H
#define NL_AUTH_API_H

struct nl_req;

int api_session_create(struct nl_req *r);
int api_session_delete(struct nl_req *r);
int api_me_get(struct nl_req *r);
int api_me_password(struct nl_req *r);
int api_tokens_list(struct nl_req *r);
int api_tokens_create(struct nl_req *r);
int api_tokens_delete(struct nl_req *r);

#endif
