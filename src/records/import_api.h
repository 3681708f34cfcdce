/* import_api.h — HTTP handlers for imports: POST|GET /api/v1/imports, GET /api/v1/imports/{id}, and the department
 * aliases imports map source names with: GET|PUT /api/v1/department-aliases. */
#ifndef NL_IMPORT_API_H
#define NL_IMPORT_API_H

struct nl_req;

int api_imports_create(struct nl_req *r);
int api_imports_list(struct nl_req *r);
int api_imports_get(struct nl_req *r);
int api_department_aliases_get(struct nl_req *r);
int api_department_aliases_put(struct nl_req *r);

#endif
