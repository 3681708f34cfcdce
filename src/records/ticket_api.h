/* ticket_api.h — HTTP handlers for tickets: GET|POST /api/v1/tickets, GET|PATCH /api/v1/tickets/{id},
 * POST /api/v1/tickets/{id}/status, GET /api/v1/tickets/{id}/sla. */
#ifndef NL_TICKET_API_H
#define NL_TICKET_API_H

struct nl_req;

int api_tickets_list(struct nl_req *r);
int api_tickets_create(struct nl_req *r);
int api_tickets_get(struct nl_req *r);
int api_tickets_update(struct nl_req *r);
int api_tickets_status(struct nl_req *r);
int api_tickets_sla(struct nl_req *r);

#endif
