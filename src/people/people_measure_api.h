/* people_measure_api.h — HTTP handler for the people measures per period, department and post. */
#ifndef NL_PEOPLE_MEASURE_API_H
#define NL_PEOPLE_MEASURE_API_H

struct nl_req;

/* GET /api/v1/people/measures?period=&department_id= */
int api_people_measures(struct nl_req *r);

#endif
