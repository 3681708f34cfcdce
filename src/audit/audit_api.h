/* audit_api.h — HTTP handler for reading the audit log. */
#ifndef NL_AUDIT_API_H
#define NL_AUDIT_API_H

struct nl_req;
int api_audit_list(struct nl_req *r);

#endif
