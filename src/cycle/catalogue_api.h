/* catalogue_api.h — HTTP handlers for the catalogue of capability sub-areas (src/cycle/catalogue_api.c). */
#ifndef NL_CATALOGUE_API_H
#define NL_CATALOGUE_API_H

struct nl_req;

/* GET /api/v1/capability-areas[?element=&active=] */
int api_areas_list(struct nl_req *r);
/* GET /api/v1/capability-areas/{id} */
int api_areas_get(struct nl_req *r);
/* POST /api/v1/capability-areas */
int api_areas_create(struct nl_req *r);
/* PATCH /api/v1/capability-areas/{id} */
int api_areas_update(struct nl_req *r);

#endif
