/* sla_api.h — the HTTP handlers of business calendars and SLA policies (listed in src/http/routes.c). */
#ifndef NL_SLA_API_H
#define NL_SLA_API_H

struct nl_req;

int api_calendars_list(struct nl_req *r);
int api_calendars_create(struct nl_req *r);
int api_calendars_get(struct nl_req *r);
int api_calendars_update(struct nl_req *r);
int api_calendar_days_list(struct nl_req *r);
int api_calendar_days_import(struct nl_req *r);
int api_calendar_day_put(struct nl_req *r);
int api_calendar_day_delete(struct nl_req *r);
int api_sla_policies_list(struct nl_req *r);
int api_sla_policies_create(struct nl_req *r);
int api_sla_policies_get(struct nl_req *r);
int api_sla_policies_update(struct nl_req *r);

#endif
