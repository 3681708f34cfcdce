/* metric_api.c — HTTP handlers of the measurement plan (/metrics), the achievement table (/metrics/{id}/values,
 * /achievement) and the measures catalogue (/measures): parse → domain → reply. */
#include "cycle/metric_api.h"

#include "cycle/achievement.h"
#include "cycle/measure.h"
#include "cycle/metric.h"
#include "http/http.h"
#include "http/rowver.h"

#include <math.h>
#include <string.h>

#include "core/common.h"

static const char *const element_values[] = { "people", "process", "technology", "resources", NULL };
static const char *const direction_values[] = { "higher_better", "lower_better", NULL };
static const char *const frequency_values[] = { "month", "quarter", "year", NULL };

struct metric_body {
	int64_t year;
	const char *code, *name, *name_en, *element, *definition, *formula, *unit, *direction, *frequency, *source, *method;
	double target, warning;
	int64_t owner_department_id, plan_item_id;
};

#define METRIC_FIELDS_COMMON(req) \
	NL_JF("code", NL_J_STRING, req, 1, NL_METRIC_CODE_MAX, struct metric_body, code), \
	NL_JF("name", NL_J_STRING, req, 1, 200, struct metric_body, name), \
	NL_JF("name_en", NL_J_TEXT, 0, 0, 200, struct metric_body, name_en), \
	NL_JFE("element", req, element_values, struct metric_body, element), \
	NL_JF("definition", NL_J_TEXT, 0, 0, 5000, struct metric_body, definition), \
	NL_JF("formula", NL_J_TEXT, 0, 0, 2000, struct metric_body, formula), \
	NL_JF("unit", NL_J_TEXT, 0, 0, 32, struct metric_body, unit), \
	NL_JFE("direction", req, direction_values, struct metric_body, direction), \
	NL_JF("target", NL_J_NUMBER, req, 0, 0, struct metric_body, target), \
	NL_JFN("warning", NL_J_NUMBER, 0, 0, 0, struct metric_body, warning), \
	NL_JFE("frequency", req, frequency_values, struct metric_body, frequency), \
	NL_JF("source", NL_J_STRING, 0, 1, 96, struct metric_body, source), \
	NL_JF("method", NL_J_TEXT, 0, 0, 2000, struct metric_body, method), \
	NL_JFN("owner_department_id", NL_J_ID, 0, 0, 0, struct metric_body, owner_department_id), \
	NL_JFN("plan_item_id", NL_J_ID, 0, 0, 0, struct metric_body, plan_item_id)

/* Field i of the PATCH table is bit i of NL_METRIC_SET_* (metric.h): keep the order. */
static const struct nl_jfield metric_update_fields[] = { METRIC_FIELDS_COMMON(0) };
static const struct nl_jfield metric_create_fields[] = {
	METRIC_FIELDS_COMMON(1),
	NL_JF("year", NL_J_INT, 1, NL_METRIC_MIN_YEAR, NL_METRIC_MAX_YEAR, struct metric_body, year),
};
/* The index of "warning" in both tables. */
#define WARNING_FIELD 9

static void metric_input(const struct metric_body *b, uint64_t present, struct nl_metric_input *in)
{
	memset(in, 0, sizeof *in);
	in->year = b->year;
	in->code = b->code;
	in->name = b->name;
	in->name_en = b->name_en;
	in->element = b->element;
	in->definition = b->definition;
	in->formula = b->formula;
	in->unit = b->unit;
	in->direction = b->direction;
	in->frequency = b->frequency;
	in->source = b->source ? b->source : "manual";
	in->method = b->method;
	in->target = b->target;
	in->has_warning = (present & ((uint64_t)1 << WARNING_FIELD)) && !isnan(b->warning);
	in->warning = in->has_warning ? b->warning : 0.0;
	in->owner_department_id = b->owner_department_id;
	in->plan_item_id = b->plan_item_id;
}

/* ?element= must be one of the four elements when given. */
static int query_element(struct nl_req *r, const char **out)
{
	const char *e = req_query(r, "element");
	*out = NULL;
	if (!e || !*e)
		return 0;
	for (int i = 0; element_values[i]; i++)
		if (!strcmp(e, element_values[i])) {
			*out = element_values[i];
			return 0;
		}
	return nl_fail(&r->err, NL_EINVAL, "element", "element must be people, process, technology or resources.");
}

int api_metrics_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_metric_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "year", NL_METRIC_MIN_YEAR, NL_METRIC_MAX_YEAR, 0, &f.year)) ||
		(rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)) ||
		(rc = query_element(r, &f.element)))
		return rc;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = metric_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_metrics_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "metrics", id, NULL)) || (rc = metric_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_metrics_create(struct nl_req *r)
{
	struct metric_body b = { 0 };
	struct nl_metric_input in;
	uint64_t present = 0;
	json_t *out;
	int rc = req_body(r, metric_create_fields, NL_ARRAY_LEN(metric_create_fields), &b, &present);
	if (rc)
		return rc;
	metric_input(&b, present, &in);
	if ((rc = metric_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_metrics_update(struct nl_req *r)
{
	struct metric_body b = { 0 };
	struct nl_metric_input in;
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, metric_update_fields, NL_ARRAY_LEN(metric_update_fields), &b, &present)))
		return rc;
	metric_input(&b, present, &in);
	if ((rc = req_row_version(r, "metrics", id, NULL)) ||
		(rc = metric_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_metrics_delete(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = metric_delete(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_metric_values_list(struct nl_req *r)
{
	int64_t id;
	json_t *items;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = achievement_values_list(&r->ctx, id, &items)))
		return rc;
	return reply_list(r, items, 0);
}

int api_metric_value_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "metric_values", id, req_param(r, "period"))) ||
		(rc = achievement_value_get(&r->ctx, id, req_param(r, "period"), &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

struct value_body {
	double actual, numerator, denominator;
	const char *note, *deviation_analysis, *corrective_action, *evidence;
};
static const struct nl_jfield value_fields[] = {
	NL_JF("actual", NL_J_NUMBER, 0, 0, 0, struct value_body, actual),
	NL_JF("numerator", NL_J_NUMBER, 0, 0, 0, struct value_body, numerator),
	NL_JF("denominator", NL_J_NUMBER, 0, 0, 0, struct value_body, denominator),
	NL_JF("note", NL_J_TEXT, 0, 0, 2000, struct value_body, note),
	NL_JF("deviation_analysis", NL_J_TEXT, 0, 0, 5000, struct value_body, deviation_analysis),
	NL_JF("corrective_action", NL_J_TEXT, 0, 0, 5000, struct value_body, corrective_action),
	NL_JF("evidence", NL_J_TEXT, 0, 0, 2000, struct value_body, evidence),
};

int api_metric_value_put(struct nl_req *r)
{
	struct value_body b = { 0 };
	struct nl_value_input in = { 0 };
	uint64_t present = 0;
	int64_t id;
	int created;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, value_fields, NL_ARRAY_LEN(value_fields), &b, &present)))
		return rc;
	in.num.has_actual = (present & 1) != 0;
	in.num.actual = b.actual;
	in.num.has_numerator = (present & 2) != 0;
	in.num.numerator = b.numerator;
	in.num.has_denominator = (present & 4) != 0;
	in.num.denominator = b.denominator;
	in.note = b.note;
	in.deviation_analysis = b.deviation_analysis;
	in.corrective_action = b.corrective_action;
	in.evidence = b.evidence;
	if ((rc = req_row_version(r, "metric_values", id, req_param(r, "period"))) ||
		(rc = achievement_value_put(&r->ctx, id, req_param(r, "period"), &in, &created, &out)))
		return rc;
	/* PUT sets the value of the period, new or not: 200 with the value as it now is. */
	return reply_versioned(r, 200, out);
}

int api_achievement_get(struct nl_req *r)
{
	int64_t year, department_id;
	const char *element;
	json_t *items;
	int rc = req_query_int(r, "year", NL_METRIC_MIN_YEAR, NL_METRIC_MAX_YEAR, 0, &year);
	if (rc || (rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &department_id)) ||
		(rc = query_element(r, &element)))
		return rc;
	if (!year)
		return nl_fail(&r->err, NL_EINVAL, "year", "year is required: /api/v1/achievement?year=2027.");
	if ((rc = achievement_table(&r->ctx, (int)year, element, department_id, &items)))
		return rc;
	return reply_list(r, items, 0);
}

struct close_body {
	const char *period;
};
static const struct nl_jfield close_fields[] = {
	NL_JF("period", NL_J_STRING, 1, 1, 16, struct close_body, period),
};

int api_achievement_close(struct nl_req *r)
{
	struct close_body b = { 0 };
	json_t *out;
	int rc = req_body(r, close_fields, NL_ARRAY_LEN(close_fields), &b, NULL);
	if (rc || (rc = achievement_close(&r->ctx, b.period, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_achievement_closed_list(struct nl_req *r)
{
	int64_t year;
	json_t *items;
	int rc = req_query_int(r, "year", NL_METRIC_MIN_YEAR, NL_METRIC_MAX_YEAR, 0, &year);
	if (rc || (rc = achievement_closed_list(&r->ctx, (int)year, &items)))
		return rc;
	return reply_list(r, items, 0);
}

struct compute_body {
	int64_t year;
};
static const struct nl_jfield compute_fields[] = {
	NL_JF("year", NL_J_INT, 1, NL_METRIC_MIN_YEAR, NL_METRIC_MAX_YEAR, struct compute_body, year),
};

int api_achievement_compute(struct nl_req *r)
{
	struct compute_body b = { 0 };
	json_t *out;
	int rc = req_body(r, compute_fields, NL_ARRAY_LEN(compute_fields), &b, NULL);
	if (rc || (rc = achievement_compute(&r->ctx, (int)b.year, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_measures_list(struct nl_req *r)
{
	json_t *items = measure_catalogue_json();
	if (!items)
		return nl_fail(&r->err, NL_ENOMEM, NULL, NULL);
	return reply_list(r, items, 0);
}
