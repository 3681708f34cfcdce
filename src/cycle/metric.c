/* metric.c — the measurement plan: metrics of a year, validated against the cycle's rules (rules.h), the measure
 * catalogue (measure.h), the departments and the plan of that year. SQL through the store; one transaction and one
 * audit row per write. */
#include "cycle/metric.h"

#include "audit/audit.h"
#include "core/json.h"
#include "cycle/measure.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

#define METRIC_COLS \
	"m.id, m.year, m.code, m.name, m.name_en, m.element, m.definition, m.formula, m.unit, m.direction, m.target," \
	" m.warning, m.frequency, m.source, m.method, m.owner_department_id, m.plan_item_id, m.created_at, m.updated_at," \
	" (SELECT COUNT(*) FROM metric_values v WHERE v.metric_id = m.id)"

/* The table order of the four elements (CONTRACT: people, process, technology, resources). */
#define ELEMENT_ORDER \
	"CASE m.element WHEN 'people' THEN 1 WHEN 'process' THEN 2 WHEN 'technology' THEN 3 ELSE 4 END"

static const char *const elements[] = { "people", "process", "technology", "resources", NULL };

static int element_valid(const char *s)
{
	for (int i = 0; s && elements[i]; i++)
		if (!strcmp(s, elements[i]))
			return 1;
	return 0;
}

int metric_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n < 1 || n > NL_METRIC_CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			    c == '.'))
			return 0;
	}
	return 1;
}

int metric_source_valid(const char *source)
{
	return source && (!strcmp(source, "manual") || measure_from_source(source) != NULL);
}

static json_t *metric_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "year", stmt_column_int64(st, 1));
	json_set_str(o, "code", stmt_column_text(st, 2));
	json_set_str(o, "name", stmt_column_text(st, 3));
	json_set_str(o, "name_en", stmt_column_text(st, 4));
	json_set_str(o, "element", stmt_column_text(st, 5));
	json_set_str(o, "definition", stmt_column_text(st, 6));
	json_set_str(o, "formula", stmt_column_text(st, 7));
	json_set_str(o, "unit", stmt_column_text(st, 8));
	json_set_str(o, "direction", stmt_column_text(st, 9));
	json_object_set_new(o, "target", json_real(stmt_column_double(st, 10)));
	json_object_set_new(o, "warning", stmt_column_is_null(st, 11) ? json_null() : json_real(stmt_column_double(st, 11)));
	json_set_str(o, "frequency", stmt_column_text(st, 12));
	json_set_str(o, "source", stmt_column_text(st, 13));
	json_set_str(o, "method", stmt_column_text(st, 14));
	json_set_id(o, "owner_department_id", stmt_column_int64(st, 15));
	json_set_id(o, "plan_item_id", stmt_column_int64(st, 16));
	json_set_str(o, "created_at", stmt_column_text(st, 17));
	json_set_str(o, "updated_at", stmt_column_text(st, 18));
	json_set_int(o, "value_count", stmt_column_int64(st, 19));
	return o;
}

int metric_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " METRIC_COLS " FROM metrics m WHERE m.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = metric_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No metric with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int metric_from_json(const json_t *o, struct nl_metric *out)
{
	memset(out, 0, sizeof *out);
	const char *code = json_string_value(json_object_get(o, "code"));
	const char *dir = json_string_value(json_object_get(o, "direction"));
	const char *freq = json_string_value(json_object_get(o, "frequency"));
	const char *source = json_string_value(json_object_get(o, "source"));
	const json_t *warning = json_object_get(o, "warning");
	if (!code || !source || rules_direction_parse(dir, &out->goal.direction) ||
		period_frequency_parse(freq, &out->frequency))
		return NL_EINTERNAL;
	out->id = json_integer_value(json_object_get(o, "id"));
	out->year = (int)json_integer_value(json_object_get(o, "year"));
	snprintf(out->code, sizeof out->code, "%s", code);
	snprintf(out->source, sizeof out->source, "%s", source);
	out->goal.target = json_number_value(json_object_get(o, "target"));
	out->goal.has_warning = json_is_number(warning);
	out->goal.warning = out->goal.has_warning ? json_number_value(warning) : 0.0;
	out->owner_department_id = json_integer_value(json_object_get(o, "owner_department_id"));
	return 0;
}

int metric_load(struct nl_ctx *ctx, int64_t id, struct nl_metric *out)
{
	json_t *o = NULL;
	int rc = metric_get(ctx, id, &o);
	if (rc == 0 && metric_from_json(o, out))
		rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, NULL);
	json_decref(o);
	return rc;
}

/* Runs a query with nparams parameters ($1 = a, $2 = b, $3 = text) that answers one row or none: *found = 1 when a
 * row came. */
static int exists_query(struct nl_ctx *ctx, const char *sql, int nparams, int64_t a, int64_t b, const char *text,
	int *found)
{
	struct nl_stmt *st = NULL;
	*found = 0;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, a);
	if (nparams >= 2)
		stmt_bind_int64(st, 2, b);
	if (nparams >= 3)
		stmt_bind_text(st, 3, text);
	rc = stmt_step(st);
	*found = rc == 1;
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Validates a whole metric (the merged one for a PATCH) against the rules and the database; `id` is the metric's own
 * id when updating (0 when creating). */
static int metric_validate(struct nl_ctx *ctx, const struct nl_metric_input *in, int64_t id)
{
	struct nl_goal g = { 0 };
	enum nl_period_kind freq;
	int found = 0, rc;
	if (in->year < NL_METRIC_MIN_YEAR || in->year > NL_METRIC_MAX_YEAR)
		return nl_fail(ctx->err, NL_EVALID, "year", "year must be from %d to %d.", NL_METRIC_MIN_YEAR,
			NL_METRIC_MAX_YEAR);
	if (!metric_code_valid(in->code))
		return nl_fail(ctx->err, NL_EVALID, "code", "code must be 1–%d letters, digits, '.', '_' or '-'.",
			NL_METRIC_CODE_MAX);
	if (!in->name || !*in->name)
		return nl_fail(ctx->err, NL_EVALID, "name", "name must not be empty.");
	if (!element_valid(in->element))
		return nl_fail(ctx->err, NL_EVALID, "element", "element must be people, process, technology or resources.");
	if (!in->direction || rules_direction_parse(in->direction, &g.direction))
		return nl_fail(ctx->err, NL_EVALID, "direction", "direction must be higher_better or lower_better.");
	if (!in->frequency || period_frequency_parse(in->frequency, &freq))
		return nl_fail(ctx->err, NL_EVALID, "frequency", "frequency must be month, quarter or year.");
	g.target = in->target;
	g.has_warning = in->has_warning;
	g.warning = in->warning;
	if ((rc = rules_goal_check(&g, ctx->err)))
		return rc;
	if (!metric_source_valid(in->source))
		return nl_fail(ctx->err, NL_EVALID, "source",
			"source must be \"manual\" or \"measure:<key>\" with a key of GET /api/v1/measures; \"%.60s\" is neither.",
			in->source ? in->source : "");
	if (in->owner_department_id) {
		if ((rc = exists_query(ctx, "SELECT id FROM departments WHERE id = $1", 1, in->owner_department_id, 0,
			     NULL, &found)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "owner_department_id", "No department with id %lld.",
				(long long)in->owner_department_id);
	}
	if (in->plan_item_id) {
		if ((rc = exists_query(ctx, "SELECT pi.id FROM plan_items pi JOIN plans p ON p.id = pi.plan_id"
					    " WHERE pi.id = $1 AND p.year = $2",
			     2, in->plan_item_id, in->year, NULL, &found)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "plan_item_id", "Plan item %lld is not an item of the plan of %lld.",
				(long long)in->plan_item_id, (long long)in->year);
	}
	if ((rc = exists_query(ctx, "SELECT id FROM metrics WHERE year = $1 AND id <> $2 AND code = $3", 3, in->year,
		     id, in->code, &found)))
		return rc;
	if (found)
		return nl_fail(ctx->err, NL_ECONFLICT, "code", "The measurement plan of %lld has a metric \"%s\" already.",
			(long long)in->year, in->code);
	return 0;
}

/* Binds the columns shared by INSERT and UPDATE as $2..$17 ($1 is the year or the id). */
static void bind_metric(struct nl_stmt *st, const struct nl_metric_input *in, const char *at)
{
	stmt_bind_text(st, 2, in->code);
	stmt_bind_text(st, 3, in->name);
	stmt_bind_text(st, 4, in->name_en ? in->name_en : "");
	stmt_bind_text(st, 5, in->element);
	stmt_bind_text(st, 6, in->definition ? in->definition : "");
	stmt_bind_text(st, 7, in->formula ? in->formula : "");
	stmt_bind_text(st, 8, in->unit ? in->unit : "");
	stmt_bind_text(st, 9, in->direction);
	stmt_bind_double(st, 10, in->target);
	if (in->has_warning)
		stmt_bind_double(st, 11, in->warning);
	else
		stmt_bind_null(st, 11);
	stmt_bind_text(st, 12, in->frequency);
	stmt_bind_text(st, 13, in->source);
	stmt_bind_text(st, 14, in->method ? in->method : "");
	if (in->owner_department_id)
		stmt_bind_int64(st, 15, in->owner_department_id);
	else
		stmt_bind_null(st, 15);
	if (in->plan_item_id)
		stmt_bind_int64(st, 16, in->plan_item_id);
	else
		stmt_bind_null(st, 16);
	stmt_bind_text(st, 17, at);
}

/* Maps a unique violation that slipped past the check (a concurrent insert) to the same answer as the check. */
static int code_conflict(struct nl_ctx *ctx, int rc, const struct nl_metric_input *in)
{
	if (rc == NL_ECONFLICT)
		return nl_fail(ctx->err, NL_ECONFLICT, "code", "The measurement plan of %lld has a metric \"%s\" already.",
			(long long)in->year, in->code);
	return rc;
}

int metric_create(struct nl_ctx *ctx, const struct nl_metric_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	int64_t id = 0;
	char at[24];
	*out = NULL;
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = metric_validate(ctx, in, 0)))
		goto out;
	if ((rc = db_prepare(ctx->db,
		     "INSERT INTO metrics (year, code, name, name_en, element, definition, formula, unit, direction, target,"
		     " warning, frequency, source, method, owner_department_id, plan_item_id, created_at, updated_at)"
		     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id",
		     &st)))
		goto out;
	stmt_bind_int64(st, 1, in->year);
	bind_metric(st, in, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0) {
		rc = code_conflict(ctx, rc, in);
		goto out;
	}
	if ((rc = metric_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "metric", id, NULL, *out);
out:
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* The stored metric `o` as an input, strings borrowed from o. */
static void input_from_json(const json_t *o, struct nl_metric_input *in)
{
	const json_t *w = json_object_get(o, "warning");
	memset(in, 0, sizeof *in);
	in->year = json_integer_value(json_object_get(o, "year"));
	in->code = json_string_value(json_object_get(o, "code"));
	in->name = json_string_value(json_object_get(o, "name"));
	in->name_en = json_string_value(json_object_get(o, "name_en"));
	in->element = json_string_value(json_object_get(o, "element"));
	in->definition = json_string_value(json_object_get(o, "definition"));
	in->formula = json_string_value(json_object_get(o, "formula"));
	in->unit = json_string_value(json_object_get(o, "unit"));
	in->direction = json_string_value(json_object_get(o, "direction"));
	in->target = json_number_value(json_object_get(o, "target"));
	in->has_warning = json_is_number(w);
	in->warning = in->has_warning ? json_number_value(w) : 0.0;
	in->frequency = json_string_value(json_object_get(o, "frequency"));
	in->source = json_string_value(json_object_get(o, "source"));
	in->method = json_string_value(json_object_get(o, "method"));
	in->owner_department_id = json_integer_value(json_object_get(o, "owner_department_id"));
	in->plan_item_id = json_integer_value(json_object_get(o, "plan_item_id"));
}

int metric_update(struct nl_ctx *ctx, int64_t id, const struct nl_metric_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_metric_input m;
	json_t *before = NULL;
	char at[24];
	*out = NULL;
	ctx_now_rfc3339(ctx, at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = metric_get(ctx, id, &before)))
		goto out;
	input_from_json(before, &m);
	if (set & NL_METRIC_SET_CODE) m.code = in->code;
	if (set & NL_METRIC_SET_NAME) m.name = in->name;
	if (set & NL_METRIC_SET_NAME_EN) m.name_en = in->name_en;
	if (set & NL_METRIC_SET_ELEMENT) m.element = in->element;
	if (set & NL_METRIC_SET_DEFINITION) m.definition = in->definition;
	if (set & NL_METRIC_SET_FORMULA) m.formula = in->formula;
	if (set & NL_METRIC_SET_UNIT) m.unit = in->unit;
	if (set & NL_METRIC_SET_DIRECTION) m.direction = in->direction;
	if (set & NL_METRIC_SET_TARGET) m.target = in->target;
	if (set & NL_METRIC_SET_WARNING) {
		m.has_warning = in->has_warning;
		m.warning = in->warning;
	}
	if (set & NL_METRIC_SET_FREQUENCY) m.frequency = in->frequency;
	if (set & NL_METRIC_SET_SOURCE) m.source = in->source;
	if (set & NL_METRIC_SET_METHOD) m.method = in->method;
	if (set & NL_METRIC_SET_OWNER) m.owner_department_id = in->owner_department_id;
	if (set & NL_METRIC_SET_PLAN_ITEM) m.plan_item_id = in->plan_item_id;
	if ((rc = metric_validate(ctx, &m, id)))
		goto out;
	/* Only the definition changes: recorded values keep the target, warning, rate and status they were recorded with
	 * (metric_values has its own columns), and closed periods are never touched. */
	if ((rc = db_prepare(ctx->db,
		     "UPDATE metrics SET code = $2, name = $3, name_en = $4, element = $5, definition = $6, formula = $7,"
		     " unit = $8, direction = $9, target = $10, warning = $11, frequency = $12, source = $13, method = $14,"
		     " owner_department_id = $15, plan_item_id = $16, updated_at = $17 WHERE id = $1",
		     &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	bind_metric(st, &m, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0) {
		rc = code_conflict(ctx, rc, &m);
		goto out;
	}
	if ((rc = metric_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "update", "metric", id, before, *out);
out:
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int metric_delete(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = metric_get(ctx, id, &before)))
		goto out;
	json_int_t values = json_integer_value(json_object_get(before, "value_count"));
	if (values > 0) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, NULL,
			"Metric %s has %lld recorded value(s) in the achievement table; a metric with values cannot be deleted.",
			json_string_value(json_object_get(before, "code")), (long long)values);
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "DELETE FROM metrics WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	if ((rc = audit_append(ctx, "delete", "metric", id, before, NULL)))
		goto out;
	*out = json_object();
	json_set_int(*out, "id", id);
	json_set_bool(*out, "deleted", 1);
out:
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Runs a metric SELECT with the filter bound as $1 year, $2 element, $3 department and optional $4 cursor, $5 limit;
 * appends each row to a new array. */
static int metric_query(struct nl_ctx *ctx, const char *sql, const struct nl_metric_filter *f, int paged, json_t **items,
	int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	if (next)
		*next = 0;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, f->year);
	stmt_bind_text(st, 2, f->element ? f->element : "");
	stmt_bind_int64(st, 3, f->department_id);
	if (paged) {
		stmt_bind_int64(st, 4, f->cursor);
		stmt_bind_int64(st, 5, f->limit + 1);
	}
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (paged && n++ == f->limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 0);
		json_array_append_new(arr, metric_row(st));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

#define METRIC_WHERE \
	" WHERE ($1 = 0 OR m.year = $1) AND ($2 = '' OR m.element = $2) AND ($3 = 0 OR m.owner_department_id = $3)"

int metric_list(struct nl_ctx *ctx, const struct nl_metric_filter *f, json_t **items, int64_t *next)
{
	return metric_query(ctx, "SELECT " METRIC_COLS " FROM metrics m" METRIC_WHERE " AND m.id > $4 ORDER BY m.id LIMIT $5",
		f, 1, items, next);
}

int metric_list_table(struct nl_ctx *ctx, const struct nl_metric_filter *f, json_t **items)
{
	return metric_query(ctx, "SELECT " METRIC_COLS " FROM metrics m" METRIC_WHERE " ORDER BY " ELEMENT_ORDER ", m.code, m.id",
		f, 0, items, NULL);
}
