/* survey_api.h — the HTTP handlers of ticket ratings, survey campaigns and the public survey responses
 * (listed in src/http/routes.c). */
#ifndef NL_SURVEY_API_H
#define NL_SURVEY_API_H

struct nl_req;

int api_ticket_rating_create(struct nl_req *r);
int api_ticket_rating_get(struct nl_req *r);
int api_surveys_list(struct nl_req *r);
int api_surveys_create(struct nl_req *r);
int api_surveys_get(struct nl_req *r);
int api_surveys_open(struct nl_req *r);
int api_surveys_close(struct nl_req *r);
/* Public (no login), throttled per client address. */
int api_survey_response_get(struct nl_req *r);
int api_survey_response_submit(struct nl_req *r);

#endif
