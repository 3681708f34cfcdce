/* kpi_api.h — the HTTP handler of the KPI table (GET /api/v1/kpis, listed in src/http/routes.c). The measures
 * catalogue (GET /api/v1/measures) stays with the measurement plan (src/cycle/metric_api.c). */
#ifndef NL_KPI_API_H
#define NL_KPI_API_H

struct nl_req;

/* GET /api/v1/kpis?from=YYYY-MM-DD&to=YYYY-MM-DD[&period=month|quarter|year][&department_id=N][&measures=a,b] */
int api_kpis_get(struct nl_req *r);

#endif
