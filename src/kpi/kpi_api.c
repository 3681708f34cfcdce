/* kpi_api.c — HTTP handler of the KPI table: parse and validate the query → the measures engine → the JSON it
 * writes (built as text by the engine: a table of 20 departments × 24 months is ~10,000 numbers). */
#include "kpi/kpi_api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/strbuf.h"
#include "cycle/measure.h"
#include "http/http.h"
#include "kpi/kpi_engine.h"
#include "org/org.h"
#include "core/common.h"

/* The longest range a table may span: `to` must come before the same date ten years after `from`. */
#define KPI_MAX_SPAN_YEARS 10
/* The longest measures= list accepted, in bytes. */
#define KPI_MAX_MEASURES_LEN 2000

/* Parses a required date parameter. */
static int date_param(struct nl_req *r, const char *name, struct nl_date *out)
{
	const char *s = NULL;
	int rc = req_query_date(r, name, &s);
	if (rc)
		return rc;
	if (!s)
		return nl_fail(&r->err, NL_EINVAL, name, "%s is required: a date YYYY-MM-DD (inclusive).", name);
	if (date_parse(s, out))
		return nl_fail(&r->err, NL_EINVAL, name, "%s must be a date YYYY-MM-DD.", name);
	return 0;
}

/* Parses measures=a,b,… (catalogue keys of GET /measures) into a mask of engine measures; absent or empty: all.
 * Catalogue measures the engine has no records for (people, partners) are accepted and stay absent. */
static int measures_param(struct nl_req *r, uint32_t *mask)
{
	const char *s = req_query(r, "measures");
	*mask = KPI_ALL_MEASURES;
	if (!s || !*s)
		return 0;
	if (strlen(s) > KPI_MAX_MEASURES_LEN)
		return nl_fail(&r->err, NL_EINVAL, "measures", "measures is too long.");
	*mask = 0;
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		char key[96];
		if (n == 0 || n >= sizeof key)
			return nl_fail(&r->err, NL_EINVAL, "measures",
				"measures must be a comma-separated list of measure keys (GET /api/v1/measures).");
		memcpy(key, s, n);
		key[n] = 0;
		if (!measure_find(key))
			return nl_fail(&r->err, NL_EINVAL, "measures", "Unknown measure \"%.60s\"; GET /api/v1/measures lists them.",
				key);
		int m = kpi_measure_index(key);
		if (m >= 0)
			*mask |= 1u << m;
		if (!comma)
			break;
		s = comma + 1;
		if (!*s)
			return nl_fail(&r->err, NL_EINVAL, "measures", "measures must not end with a comma.");
	}
	return 0;
}

int api_kpis_get(struct nl_req *r)
{
	struct kpi_table_query q = { 0 };
	struct nl_strbuf b;
	const char *period = req_query(r, "period");
	int rc;
	if ((rc = date_param(r, "from", &q.from)) || (rc = date_param(r, "to", &q.to)))
		return rc;
	if (date_cmp(q.to, q.from) < 0)
		return nl_fail(&r->err, NL_EINVAL, "to", "to must not be before from.");
	struct nl_date limit = { q.from.y + KPI_MAX_SPAN_YEARS, q.from.m, q.from.d };
	if (limit.d > date_days_in_month(limit.y, limit.m))
		limit.d = date_days_in_month(limit.y, limit.m);   /* from a 29 February */
	if (date_cmp(q.to, limit) >= 0)
		return nl_fail(&r->err, NL_EINVAL, "to", "A KPI table spans at most %d years: to must be before %04d-%02d-%02d.",
			KPI_MAX_SPAN_YEARS, limit.y, limit.m, limit.d);
	q.kind = NL_PERIOD_MONTH;
	if (period && period_frequency_parse(period, &q.kind))
		return nl_fail(&r->err, NL_EINVAL, "period", "period must be month, quarter or year.");
	if ((rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &q.department_id)) ||
		(rc = measures_param(r, &q.measures)))
		return rc;
	if (q.department_id > 0) {
		json_t *dep = NULL;
		rc = department_get(&r->ctx, q.department_id, &dep);
		json_decref(dep);
		if (rc == NL_ENOTFOUND) {
			nl_error_clear(&r->err);
			return nl_fail(&r->err, NL_ENOTFOUND, "department_id", "There is no department %lld.",
				(long long)q.department_id);
		}
		if (rc)
			return rc;
	}
	strbuf_init(&b, 0);
	if ((rc = kpi_table_json(&r->ctx, &q, &b))) {
		strbuf_cleanup(&b);
		return rc;
	}
	rc = reply_raw(r, 200, "application/json; charset=utf-8", b.data, b.len);
	strbuf_cleanup(&b);
	return rc;
}
