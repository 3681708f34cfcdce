/* metric_api.h — the HTTP handlers of the measurement plan, the achievement table and the measures catalogue
 * (listed in src/http/routes.c). */
#ifndef NL_METRIC_API_H
#define NL_METRIC_API_H

struct nl_req;

int api_metrics_list(struct nl_req *r);
int api_metrics_get(struct nl_req *r);
int api_metrics_create(struct nl_req *r);
int api_metrics_update(struct nl_req *r);
int api_metrics_delete(struct nl_req *r);
int api_metric_values_list(struct nl_req *r);
int api_metric_value_get(struct nl_req *r);
int api_metric_value_put(struct nl_req *r);
int api_achievement_get(struct nl_req *r);
int api_achievement_close(struct nl_req *r);
int api_achievement_closed_list(struct nl_req *r);
int api_achievement_compute(struct nl_req *r);
int api_measures_list(struct nl_req *r);

#endif
