/* complaint_api.h — the HTTP handlers of complaints and their analysis (listed in src/http/routes.c). */
#ifndef NL_COMPLAINT_API_H
#define NL_COMPLAINT_API_H

struct nl_req;

int api_complaints_list(struct nl_req *r);
int api_complaints_create(struct nl_req *r);
int api_complaints_get(struct nl_req *r);
int api_complaints_verify(struct nl_req *r);
int api_complaints_answer(struct nl_req *r);
int api_complaints_rectify(struct nl_req *r);
int api_complaints_archive(struct nl_req *r);
int api_complaints_reopen(struct nl_req *r);
int api_complaints_analysis(struct nl_req *r);

#endif
