/* staff_api.h — HTTP handlers for staff, skills, certifications and the post structure (people/staff_api.c). */
#ifndef NL_PEOPLE_STAFF_API_H
#define NL_PEOPLE_STAFF_API_H

struct nl_req;

int api_staff_list(struct nl_req *r);
int api_staff_create(struct nl_req *r);
int api_staff_get(struct nl_req *r);
int api_staff_update(struct nl_req *r);
int api_staff_skill_set(struct nl_req *r);
int api_staff_skill_delete(struct nl_req *r);
int api_staff_certification_create(struct nl_req *r);
int api_certifications_list(struct nl_req *r);
int api_certifications_get(struct nl_req *r);
int api_certifications_update(struct nl_req *r);
int api_certifications_delete(struct nl_req *r);
int api_skills_list(struct nl_req *r);
int api_skills_matrix(struct nl_req *r);
int api_posts_list(struct nl_req *r);
/* Reads an optional boolean query parameter: -1 absent, 0 "false", 1 "true"; NL_EINVAL naming it otherwise. Shared by
 * the people room's handlers. */
int people_query_bool(struct nl_req *r, const char *name, int *out) __attribute__((warn_unused_result));

#endif
