/* customer_api.h — HTTP handlers for customers: GET|POST /api/v1/customers, GET|PATCH /api/v1/customers/{id}. */
#ifndef NL_CUSTOMER_API_H
#define NL_CUSTOMER_API_H

struct nl_req;

int api_customers_list(struct nl_req *r);
int api_customers_get(struct nl_req *r);
int api_customers_create(struct nl_req *r);
int api_customers_update(struct nl_req *r);

#endif
