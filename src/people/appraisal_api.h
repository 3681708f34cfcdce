/* appraisal_api.h — HTTP handlers for the appraisal criteria and appraisals (people/appraisal_api.c). */
#ifndef NL_PEOPLE_APPRAISAL_API_H
#define NL_PEOPLE_APPRAISAL_API_H

struct nl_req;

int api_appraisal_criteria_get(struct nl_req *r);
/* A raw route (NL_R_RAW): the body is a JSON array (or {"items": array}), which the JSON-object parser refuses. */
int api_appraisal_criteria_put(struct nl_req *r);
int api_appraisals_list(struct nl_req *r);
int api_appraisals_create(struct nl_req *r);
int api_appraisals_get(struct nl_req *r);
int api_appraisals_update(struct nl_req *r);
int api_appraisals_delete(struct nl_req *r);

#endif
