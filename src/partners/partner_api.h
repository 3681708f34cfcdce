/* partner_api.h — HTTP handlers for partners / agents (代理商): profiles, linked tickets, assessment dimensions and grade
 * thresholds, quarterly assessments, annual ratings with their approval, the ranking (src/partners/partner_api.c). */
#ifndef NL_PARTNER_API_H
#define NL_PARTNER_API_H

struct nl_req;

/* GET /api/v1/partners?status=&region=&q=&department_id= */
int api_partners_list(struct nl_req *r);
/* POST /api/v1/partners */
int api_partners_create(struct nl_req *r);
/* GET /api/v1/partners/ranking?year= */
int api_partners_ranking(struct nl_req *r);
/* GET /api/v1/partners/{id} */
int api_partners_get(struct nl_req *r);
/* PATCH /api/v1/partners/{id} */
int api_partners_update(struct nl_req *r);
/* GET /api/v1/partners/{id}/tickets?from=&to= */
int api_partner_tickets_list(struct nl_req *r);
/* POST /api/v1/partners/{id}/tickets {"ticket_ids":[...]} */
int api_partner_tickets_link(struct nl_req *r);
/* DELETE /api/v1/partners/{id}/tickets/{ticket_id} */
int api_partner_tickets_unlink(struct nl_req *r);
/* GET /api/v1/partner-dimensions */
int api_partner_dimensions_get(struct nl_req *r);
/* PUT /api/v1/partner-dimensions (raw body: [...] or {"items":[...]}) */
int api_partner_dimensions_put(struct nl_req *r);
/* GET /api/v1/partner-grades */
int api_partner_grades_get(struct nl_req *r);
/* PUT /api/v1/partner-grades {"a","b","c"} */
int api_partner_grades_put(struct nl_req *r);
/* GET /api/v1/partners/{id}/assessments?year= */
int api_partner_assessments_list(struct nl_req *r);
/* POST /api/v1/partners/{id}/assessments {"period","scores","comment"} */
int api_partner_assessments_create(struct nl_req *r);
/* GET /api/v1/partners/{id}/assessments/draft?period= */
int api_partner_assessments_draft(struct nl_req *r);
/* GET /api/v1/partner-assessments/{id} */
int api_partner_assessment_get(struct nl_req *r);
/* GET /api/v1/partners/{id}/ratings */
int api_partner_ratings_list(struct nl_req *r);
/* POST /api/v1/partners/{id}/ratings {"year"} */
int api_partner_ratings_request(struct nl_req *r);
/* GET /api/v1/partners/{id}/ratings/{year} */
int api_partner_ratings_get(struct nl_req *r);
/* POST /api/v1/partners/{id}/ratings/{year}/approve {"comment"} */
int api_partner_ratings_approve(struct nl_req *r);
/* POST /api/v1/partners/{id}/ratings/{year}/reject {"comment"} */
int api_partner_ratings_reject(struct nl_req *r);

#endif
