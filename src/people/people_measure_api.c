/* people_measure_api.c — GET /api/v1/people/measures: parse → people_measures_report → reply. */
#include "people/people_measure_api.h"

#include "cycle/period.h"
#include "http/http.h"
#include "people/people_measure.h"

#include "core/common.h"

int api_people_measures(struct nl_req *r)
{
	struct nl_period p;
	int64_t dept;
	json_t *out;
	const char *period = req_query(r, "period");
	if (!period || !*period)
		return nl_fail(&r->err, NL_EINVAL, "period", "period is required: YYYY, YYYY-Qn or YYYY-MM.");
	if (period_parse(period, &p))
		return nl_fail(&r->err, NL_EINVAL, "period", "period must be YYYY, YYYY-Qn or YYYY-MM.");
	int rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &dept);
	if (rc || (rc = people_measures_report(&r->ctx, p, dept, &out)))
		return rc;
	return reply_json(r, 200, out);
}
