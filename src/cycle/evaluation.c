/* evaluation.c — the annual evaluation report (cycle/evaluation.h): the draft generated from the year's metrics,
 * achievement values, plan, work items and checks (read with this file's own SQL from the cycle tables), quality's
 * edits, and the frozen snapshot. Generated texts are Chinese first, with an English twin (text_en). */
#include "cycle/evaluation.h"
#include "org/org.h"
#include "improvement/improvement.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/json.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "cycle/period.h"
#include "cycle/rules.h"
#include "cycle/task.h"
#include "cycle/today.h"
#include "store/store.h"

#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define EVAL_MAX_ENTRIES 200
#define NELEM 4

static const char *const element_values[] = { "people", "process", "technology", "resources", NULL };
static const char *const element_zh[NELEM] = { "人员", "过程", "技术", "资源" };
static const char *const element_en[NELEM] = { "People", "Process", "Technology", "Resources" };
static const char *const priority_values[] = { "high", "medium", "low", NULL };
static const char *const source_kinds[] = { "metric", "metric_value", "task", "check", "other", NULL };

/* The report's sections in the order of DESIGN.md "Evaluation report". */
static const struct {
	const char *key, *zh, *en;
} sections[] = {
	{ "purpose", "评估目的和依据", "Purpose and basis" },
	{ "method", "评估方法和数据来源", "Method and data sources" },
	{ "plan_completion", "计划完成情况", "Plan completion" },
	{ "metrics", "目标度量达成情况（按要素）", "Metric achievement by element" },
	{ "analysis_by_element", "各要素分析", "Analysis per element" },
	{ "problems", "问题和不符合项", "Problems and nonconformities" },
	{ "conclusion", "评估结论", "Conclusions" },
	{ "suggestions", "改进建议（责任人、完成日期、优先级）", "Improvement suggestions (owner, date, priority)" },
	{ "approval", "审批", "Approval" },
};

static int element_index(const char *s)
{
	for (int i = 0; s && i < NELEM; i++)
		if (!strcmp(s, element_values[i]))
			return i;
	return -1;
}

/* A JSON string from a printf format (UTF-8 in, UTF-8 out; never NULL). */
static json_t *jprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *jprintf(const char *fmt, ...)
{
	struct nl_strbuf b;
	va_list ap;
	strbuf_init(&b, 0);
	va_start(ap, fmt);
	strbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	json_t *s = b.failed || !b.data ? NULL : json_stringn(b.data, b.len);
	strbuf_cleanup(&b);
	return s ? s : json_string("");
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int64_t jint(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* ---- Pure parts ---- */

long evaluation_pick_value(const struct nl_eval_value *v, size_t n, int year)
{
	long year_idx = -1, best = -1;
	struct nl_period bestp = { NL_PERIOD_YEAR, 0, 0 };
	for (size_t i = 0; v && i < n; i++) {
		struct nl_period p;
		if (!v[i].has_status || !v[i].period || period_parse(v[i].period, &p) != 0 || !period_in_year(p, year))
			continue;
		if (p.kind == NL_PERIOD_YEAR) {
			year_idx = (long)i;
			continue;
		}
		if (best < 0 || period_cmp(p, bestp) > 0) {
			best = (long)i;
			bestp = p;
		}
	}
	return year_idx >= 0 ? year_idx : best;
}

/* Rewrites e->field as "<prefix>.<field>" (or "<prefix>" when the error named no field). */
static void field_prefix(struct nl_error *e, const char *prefix)
{
	char f[sizeof e->field + 256];
	if (e->field[0])
		snprintf(f, sizeof f, "%s.%s", prefix, e->field);
	else
		snprintf(f, sizeof f, "%s", prefix);
	size_t n = strnlen(f, sizeof e->field - 1);
	memcpy(e->field, f, n);
	e->field[n] = '\0';
}

struct source_body {
	const char *kind, *code, *period;
	int64_t metric_id, task_id, check_id;
};
static const struct nl_jfield source_fields[] = {
	NL_JFE("kind", 1, source_kinds, struct source_body, kind),
	NL_JF("metric_id", NL_J_ID, 0, 0, 0, struct source_body, metric_id),
	NL_JF("task_id", NL_J_ID, 0, 0, 0, struct source_body, task_id),
	NL_JF("check_id", NL_J_ID, 0, 0, 0, struct source_body, check_id),
	NL_JF("code", NL_J_STRING, 0, 1, 64, struct source_body, code),
	NL_JF("period", NL_J_STRING, 0, 1, 16, struct source_body, period),
};

/* Validates an entry's "source" (may be NULL or JSON null); *out is a copy or JSON null. */
static int source_check(const json_t *src, const char *prefix, json_t **out, struct nl_error *e)
{
	struct source_body b = { 0 };
	*out = NULL;
	if (!src || json_is_null(src)) {
		*out = json_null();
		return 0;
	}
	int rc = json_validate(src, source_fields, NL_ARRAY_LEN(source_fields), &b, NULL, e);
	if (rc) {
		char p[160];
		snprintf(p, sizeof p, "%s.source", prefix);
		field_prefix(e, p);
		return NL_EVALID;
	}
	*out = json_deep_copy(src);
	return 0;
}

/* Checks that arr is an array of at most EVAL_MAX_ENTRIES objects. */
static int entries_check(const json_t *arr, const char *name, struct nl_error *e)
{
	if (!json_is_array(arr))
		return nl_fail(e, NL_EVALID, name, "%s must be an array.", name);
	if (json_array_size(arr) > EVAL_MAX_ENTRIES)
		return nl_fail(e, NL_EVALID, name, "%s has more than %d entries.", name, EVAL_MAX_ENTRIES);
	return 0;
}

struct problem_body {
	const char *text, *text_en, *element;
	json_t *source;
};
static const struct nl_jfield problem_fields[] = {
	NL_JF("text", NL_J_STRING, 1, 1, 2000, struct problem_body, text),
	NL_JF("text_en", NL_J_TEXT, 0, 0, 2000, struct problem_body, text_en),
	{ "element", NL_J_ENUM, 0, 1, 0, 0, element_values, offsetof(struct problem_body, element) },
	NL_JFN("source", NL_J_OBJECT, 0, 0, 0, struct problem_body, source),
};

int evaluation_problems_check(const json_t *arr, json_t **out, struct nl_error *e)
{
	size_t i;
	json_t *v;
	*out = NULL;
	int rc = entries_check(arr, "problems", e);
	if (rc)
		return rc;
	json_t *res = json_array();
	json_array_foreach(arr, i, v) {
		char prefix[64];
		struct problem_body b = { 0 };
		json_t *src = NULL;
		snprintf(prefix, sizeof prefix, "problems[%zu]", i);
		if (!json_is_object(v)) {
			rc = nl_fail(e, NL_EVALID, prefix, "%s must be an object {\"text\", \"element\", \"source\"}.", prefix);
			break;
		}
		if ((rc = json_validate(v, problem_fields, NL_ARRAY_LEN(problem_fields), &b, NULL, e))) {
			field_prefix(e, prefix);
			rc = NL_EVALID;
			break;
		}
		if ((rc = source_check(b.source, prefix, &src, e)))
			break;
		json_t *o = json_object();
		json_set_str(o, "text", b.text);
		json_set_str(o, "text_en", b.text_en ? b.text_en : "");
		json_set_str(o, "element", b.element);
		json_object_set_new(o, "source", src);
		json_array_append_new(res, o);
	}
	if (rc) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return 0;
}

struct suggestion_body {
	const char *text, *text_en, *due_date, *priority;
	int64_t owner_department_id, owner_user_id;
	json_t *source;
};
static const struct nl_jfield suggestion_fields[] = {
	NL_JF("text", NL_J_STRING, 1, 1, 2000, struct suggestion_body, text),
	NL_JF("text_en", NL_J_TEXT, 0, 0, 2000, struct suggestion_body, text_en),
	NL_JFN("owner_department_id", NL_J_ID, 0, 0, 0, struct suggestion_body, owner_department_id),
	NL_JFN("owner_user_id", NL_J_ID, 0, 0, 0, struct suggestion_body, owner_user_id),
	NL_JFN("due_date", NL_J_DATE, 0, 0, 0, struct suggestion_body, due_date),
	NL_JFE("priority", 0, priority_values, struct suggestion_body, priority),
	NL_JFN("source", NL_J_OBJECT, 0, 0, 0, struct suggestion_body, source),
};

int evaluation_suggestions_check(const json_t *arr, json_t **out, struct nl_error *e)
{
	size_t i;
	json_t *v;
	*out = NULL;
	int rc = entries_check(arr, "suggestions", e);
	if (rc)
		return rc;
	json_t *res = json_array();
	json_array_foreach(arr, i, v) {
		char prefix[64];
		struct suggestion_body b = { 0 };
		struct nl_date d;
		json_t *src = NULL;
		snprintf(prefix, sizeof prefix, "suggestions[%zu]", i);
		if (!json_is_object(v)) {
			rc = nl_fail(e, NL_EVALID, prefix, "%s must be an object {\"text\", \"owner_department_id\", ...}.", prefix);
			break;
		}
		if ((rc = json_validate(v, suggestion_fields, NL_ARRAY_LEN(suggestion_fields), &b, NULL, e))) {
			field_prefix(e, prefix);
			rc = NL_EVALID;
			break;
		}
		if (b.due_date && date_parse(b.due_date, &d) != 0) {
			char f[96];
			snprintf(f, sizeof f, "%s.due_date", prefix);
			rc = nl_fail(e, NL_EVALID, f, "%s must be a calendar date YYYY-MM-DD.", f);
			break;
		}
		if ((rc = source_check(b.source, prefix, &src, e)))
			break;
		json_t *o = json_object();
		json_set_str(o, "text", b.text);
		json_set_str(o, "text_en", b.text_en ? b.text_en : "");
		json_set_id(o, "owner_department_id", b.owner_department_id);
		json_set_id(o, "owner_user_id", b.owner_user_id);
		json_set_str(o, "due_date", b.due_date);
		json_set_str(o, "priority", b.priority ? b.priority : "medium");
		json_object_set_new(o, "source", src);
		json_array_append_new(res, o);
	}
	if (rc) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return 0;
}

/* ---- Reading the year's data ---- */

struct mcount {
	int met, warning, missed, no_data, total;
};
struct tcount {
	int total, done_on_time, done_late, open, overdue, cancelled;
};

static json_t *mcount_json(const struct mcount *c)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i}", "met", c->met, "warning", c->warning, "missed", c->missed, "no_data",
		c->no_data, "total", c->total);
}

static json_t *tcount_json(const struct tcount *c)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "total", c->total, "done_on_time", c->done_on_time, "done_late",
		c->done_late, "open", c->open, "overdue", c->overdue, "cancelled", c->cancelled);
}

static void mcount_add(struct mcount *c, const char *status)
{
	c->total++;
	if (!strcmp(status, "met"))
		c->met++;
	else if (!strcmp(status, "warning"))
		c->warning++;
	else if (!strcmp(status, "missed"))
		c->missed++;
	else
		c->no_data++;
}

static void tcount_add(struct tcount *c, const json_t *task)
{
	const char *outcome = jstr(task, "outcome");
	c->total++;
	if (!strcmp(outcome, "done_on_time"))
		c->done_on_time++;
	else if (!strcmp(outcome, "done_late"))
		c->done_late++;
	else if (!strcmp(outcome, "cancelled"))
		c->cancelled++;
	else
		c->open++;
	if (json_is_true(json_object_get(task, "overdue")))
		c->overdue++;
}

/* A number or JSON null for a SQL NULL column. */
static json_t *col_number(struct nl_stmt *st, int idx)
{
	return stmt_column_is_null(st, idx) ? json_null() : json_real(stmt_column_double(st, idx));
}

/* "95", "99.5" — a short form of a number for the generated texts. */
static void num_text(const json_t *v, const char *unit, char out[32])
{
	rules_value_text(json_is_number(v) ? json_number_value(v) : NAN, unit, out, 32);
}

/* Everything the report is generated from, gathered once. */
struct eval_data {
	int year;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	json_t *metric_rows;        /* every metric with its values and standing */
	json_t *missed_values;      /* open corrective actions of kind metric_value */
	json_t *tasks;              /* task_list rows */
	json_t *open_checks;        /* open corrective actions of kind check */
	int checks_total, checks_verified;
	json_t *plan;               /* the year's plan summary or null */
	struct mcount mc_all, mc_el[NELEM];
	struct tcount tc_all, tc_el[NELEM];
};

static void eval_data_cleanup(struct eval_data *d)
{
	json_decref(d->metric_rows);
	json_decref(d->missed_values);
	json_decref(d->tasks);
	json_decref(d->open_checks);
	json_decref(d->plan);
}

/* The year's achievement values, grouped by metric id (object keyed by the id as text). */
static int load_values(struct nl_ctx *ctx, struct eval_data *d, json_t **by_metric)
{
	struct nl_stmt *st = NULL;
	*by_metric = NULL;
	int rc = db_prepare(ctx->db, "SELECT v.metric_id, v.period, v.actual, v.target, v.warning, v.rate, v.status,"
				     " v.deviation_analysis, v.corrective_action, v.evidence FROM metric_values v"
				     " JOIN metrics m ON m.id = v.metric_id WHERE m.year = $1 ORDER BY v.metric_id, v.period", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, d->year);
	json_t *map = json_object();
	while ((rc = stmt_step(st)) == 1) {
		struct nl_period p;
		const char *period = stmt_column_text(st, 1);
		if (!period || period_parse(period, &p) != 0 || !period_in_year(p, d->year))
			continue;
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)stmt_column_int64(st, 0));
		json_t *arr = json_object_get(map, key);
		if (!arr) {
			arr = json_array();
			json_object_set_new(map, key, arr);
		}
		json_t *v = json_object();
		json_set_str(v, "period", period);
		json_object_set_new(v, "actual", col_number(st, 2));
		json_object_set_new(v, "target", col_number(st, 3));
		json_object_set_new(v, "warning", col_number(st, 4));
		json_object_set_new(v, "rate", col_number(st, 5));
		json_set_str(v, "status", stmt_column_text(st, 6));
		json_set_str(v, "deviation_analysis", stmt_column_text(st, 7));
		json_set_str(v, "corrective_action", stmt_column_text(st, 8));
		json_set_str(v, "evidence", stmt_column_text(st, 9));
		json_array_append_new(arr, v);
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(map);
		return rc;
	}
	*by_metric = map;
	return 0;
}

/* Fills d->metric_rows, d->missed_values and the metric counts. */
static int load_metrics(struct nl_ctx *ctx, struct eval_data *d)
{
	struct nl_stmt *st = NULL;
	json_t *values = NULL;
	int rc = load_values(ctx, d, &values);
	if (rc)
		return rc;
	d->metric_rows = json_array();
	d->missed_values = json_array();
	if ((rc = db_prepare(ctx->db, "SELECT m.id, m.code, m.name, m.element, m.unit, m.direction, m.target, m.warning,"
				      " m.frequency, m.owner_department_id, dp.name FROM metrics m"
				      " LEFT JOIN departments dp ON dp.id = m.owner_department_id"
				      " WHERE m.year = $1 ORDER BY m.code, m.id", &st)))
		goto out;
	stmt_bind_int64(st, 1, d->year);
	while ((rc = stmt_step(st)) == 1) {
		json_t *m = json_object();
		int64_t id = stmt_column_int64(st, 0);
		json_set_int(m, "metric_id", id);
		json_set_str(m, "code", stmt_column_text(st, 1));
		json_set_str(m, "name", stmt_column_text(st, 2));
		json_set_str(m, "element", stmt_column_text(st, 3));
		json_set_str(m, "unit", stmt_column_text(st, 4));
		json_set_str(m, "direction", stmt_column_text(st, 5));
		json_object_set_new(m, "target", col_number(st, 6));
		json_object_set_new(m, "warning", col_number(st, 7));
		json_set_str(m, "frequency", stmt_column_text(st, 8));
		json_set_id(m, "owner_department_id", stmt_column_int64(st, 9));
		json_set_str(m, "owner_department", stmt_column_text(st, 10));
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)id);
		json_t *vals = json_object_get(values, key);
		json_object_set_new(m, "values", vals ? json_incref(vals) : json_array());
		json_array_append_new(d->metric_rows, m);
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = 0;
	/* The standing of each metric, and the missed values (open corrective actions). */
	size_t i;
	json_t *m;
	json_array_foreach(d->metric_rows, i, m) {
		json_t *vals = json_object_get(m, "values");
		size_t n = json_array_size(vals), k;
		struct nl_eval_value *ev = calloc(n ? n : 1, sizeof *ev);
		if (!ev) {
			rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
			goto out;
		}
		json_t *v;
		json_array_foreach(vals, k, v) {
			ev[k].period = jstr(v, "period");
			ev[k].has_status = json_is_string(json_object_get(v, "status"));
			if (!strcmp(jstr(v, "status"), "missed")) {
				json_t *a = json_object();
				json_set_str(a, "kind", "metric_value");
				json_set_int(a, "metric_id", jint(m, "metric_id"));
				json_set_str(a, "code", jstr(m, "code"));
				json_set_str(a, "name", jstr(m, "name"));
				json_set_str(a, "period", jstr(v, "period"));
				json_object_set(a, "actual", json_object_get(v, "actual"));
				json_object_set(a, "target", json_object_get(v, "target"));
				json_set_str(a, "deviation_analysis", jstr(v, "deviation_analysis"));
				json_set_str(a, "corrective_action", jstr(v, "corrective_action"));
				json_set_id(a, "owner_department_id", jint(m, "owner_department_id"));
				json_array_append_new(d->missed_values, a);
			}
		}
		long pick = evaluation_pick_value(ev, n, d->year);
		free(ev);
		json_t *pv = pick >= 0 ? json_array_get(vals, (size_t)pick) : NULL;
		const char *status = pv ? jstr(pv, "status") : "no_data";
		json_set_str(m, "period", pv ? jstr(pv, "period") : NULL);
		json_object_set(m, "actual", pv ? json_object_get(pv, "actual") : json_null());
		json_object_set(m, "rate", pv ? json_object_get(pv, "rate") : json_null());
		json_set_str(m, "status", status);
		json_set_str(m, "deviation_analysis", pv ? jstr(pv, "deviation_analysis") : "");
		json_set_str(m, "corrective_action", pv ? jstr(pv, "corrective_action") : "");
		mcount_add(&d->mc_all, status);
		int el = element_index(jstr(m, "element"));
		if (el >= 0)
			mcount_add(&d->mc_el[el], status);
	}
out:
	json_decref(values);
	return rc;
}

/* Fills d->tasks (every work item of the year, judged today) and the task counts. */
static int load_tasks(struct nl_ctx *ctx, struct eval_data *d)
{
	struct nl_task_filter f = { .year = d->year, .overdue = -1 };
	int64_t next = 0;
	int rc = task_list(ctx, &f, &d->tasks, &next);
	if (rc)
		return rc;
	size_t i;
	json_t *t;
	json_array_foreach(d->tasks, i, t) {
		tcount_add(&d->tc_all, t);
		int el = element_index(jstr(t, "element"));
		if (el >= 0)
			tcount_add(&d->tc_el[el], t);
	}
	return 0;
}

/* Fills d->open_checks (unverified checks of the year's work items) and the check counts. */
static int load_checks(struct nl_ctx *ctx, struct eval_data *d)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT c.id, c.task_id, t.title, t.department_id, dp.name, c.checked_on, c.finding,"
				     " c.deviation_reason, c.corrective_action, c.due_date, c.verified FROM task_checks c"
				     " JOIN tasks t ON t.id = c.task_id JOIN departments dp ON dp.id = t.department_id"
				     " WHERE t.year = $1 ORDER BY c.id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, d->year);
	d->open_checks = json_array();
	while ((rc = stmt_step(st)) == 1) {
		d->checks_total++;
		if (stmt_column_int64(st, 10)) {
			d->checks_verified++;
			continue;
		}
		const char *due = stmt_column_text(st, 9);
		json_t *a = json_object();
		json_set_str(a, "kind", "check");
		json_set_int(a, "check_id", stmt_column_int64(st, 0));
		json_set_int(a, "task_id", stmt_column_int64(st, 1));
		json_set_str(a, "task_title", stmt_column_text(st, 2));
		json_set_int(a, "department_id", stmt_column_int64(st, 3));
		json_set_str(a, "department", stmt_column_text(st, 4));
		json_set_str(a, "checked_on", stmt_column_text(st, 5));
		json_set_str(a, "finding", stmt_column_text(st, 6));
		json_set_str(a, "deviation_reason", stmt_column_text(st, 7));
		json_set_str(a, "corrective_action", stmt_column_text(st, 8));
		json_set_str(a, "due_date", due);
		json_set_bool(a, "overdue", due && strcmp(due, d->today_s) < 0);
		json_array_append_new(d->open_checks, a);
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Fills d->plan: the year's plan with its items per element, or null. */
static int load_plan(struct nl_ctx *ctx, struct eval_data *d)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT id, title, doc_number, version, status, approved_at FROM plans WHERE year = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, d->year);
	rc = stmt_step(st);
	int64_t plan_id = 0;
	if (rc == 1) {
		plan_id = stmt_column_int64(st, 0);
		d->plan = json_object();
		json_set_int(d->plan, "id", plan_id);
		json_set_str(d->plan, "title", stmt_column_text(st, 1));
		json_set_str(d->plan, "doc_number", stmt_column_text(st, 2));
		json_set_int(d->plan, "version", stmt_column_int64(st, 3));
		json_set_str(d->plan, "status", stmt_column_text(st, 4));
		json_set_str(d->plan, "approved_at", stmt_column_text(st, 5));
	}
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (!plan_id) {
		d->plan = json_null();
		return 0;
	}
	if ((rc = db_prepare(ctx->db, "SELECT element, COUNT(*) FROM plan_items WHERE plan_id = $1 GROUP BY element", &st)))
		return rc;
	stmt_bind_int64(st, 1, plan_id);
	json_t *by = json_pack("{s:i, s:i, s:i, s:i}", "people", 0, "process", 0, "technology", 0, "resources", 0);
	int64_t total = 0;
	while ((rc = stmt_step(st)) == 1) {
		const char *el = stmt_column_text(st, 0);
		int64_t n = stmt_column_int64(st, 1);
		if (element_index(el) >= 0)
			json_set_int(by, el, n);
		total += n;
	}
	stmt_done(st);
	json_set_int(d->plan, "items", total);
	json_object_set_new(d->plan, "items_by_element", by);
	return rc < 0 ? rc : 0;
}

/* ---- Generating the report ---- */

static json_t *rate_or_null(int num, int den)
{
	return den > 0 ? json_real((double)num / den) : json_null();
}

/* Every innovation adopted in the year becomes a suggestion to roll it out in the next year's plan (policy 4.6:
 * the evaluation proposes improvements; adopted proposals are the ones already proven in a pilot). */
static int suggest_adopted_innovations(struct nl_ctx *ctx, int year, json_t *suggestions)
{
	json_t *adopted = NULL;
	int rc = innovation_adopted_in_year(ctx, year, &adopted);
	if (rc)
		return rc;
	char due[24];
	snprintf(due, sizeof due, "%04d-06-30", year + 1);
	size_t i;
	json_t *in;
	json_array_foreach(adopted, i, in) {
		json_t *s = json_object();
		json_object_set_new(s, "text", jprintf("推广已采纳的创新提案「%s」：在 %d 年度服务能力管理计划中安排全面推行并度量效果。",
						       jstr(in, "title"), year + 1));
		json_object_set_new(s, "text_en", jprintf("Roll out the adopted innovation \"%s\": plan its organisation-wide "
							  "use in the %d capability plan and measure its effect.", jstr(in, "title"),
							  year + 1));
		json_set_id(s, "owner_department_id", jint(in, "department_id"));
		json_set_id(s, "owner_user_id", jint(in, "proposer_user_id"));
		json_set_str(s, "due_date", due);
		json_set_str(s, "priority", "medium");
		json_object_set_new(s, "source", json_pack("{s:s, s:I}", "kind", "innovation", "innovation_id",
							(json_int_t)jint(in, "id")));
		json_array_append_new(suggestions, s);
	}
	json_decref(adopted);
	return 0;
}

/* Problems and suggestions from the missed metrics and the late or overdue work items. */
static void generate_problems(const struct eval_data *d, json_t *problems, json_t *suggestions)
{
	char due[24];
	snprintf(due, sizeof due, "%04d-03-31", d->year + 1);
	size_t i;
	json_t *m, *t;
	json_array_foreach(d->metric_rows, i, m) {
		if (strcmp(jstr(m, "status"), "missed") != 0)
			continue;
		char actual[32], target[32];
		const char *period = jstr(m, "period");
		json_t *pv = NULL;
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(m, "values"), k, v) if (!strcmp(jstr(v, "period"), period)) pv = v;
		const char *unit = jstr(m, "unit");
		num_text(json_object_get(m, "actual"), unit, actual);
		num_text(pv ? json_object_get(pv, "target") : json_object_get(m, "target"), unit, target);
		json_t *src = json_pack("{s:s, s:I, s:s, s:s}", "kind", "metric", "metric_id", (json_int_t)jint(m, "metric_id"),
			"code", jstr(m, "code"), "period", period);
		json_t *p = json_object();
		json_object_set_new(p, "text", jprintf("指标 %s「%s」未达标：%s 实际值 %s，目标值 %s。", jstr(m, "code"),
						       jstr(m, "name"), period, actual, target));
		json_object_set_new(p, "text_en", jprintf("Metric %s (%s) missed its target in %s: actual %s against %s.",
							  jstr(m, "code"), jstr(m, "name"), period, actual, target));
		json_set_str(p, "element", json_string_value(json_object_get(m, "element")));
		json_object_set(p, "source", src);
		json_array_append_new(problems, p);
		json_t *s = json_object();
		json_object_set_new(s, "text", jprintf("分析指标 %s「%s」未达标的原因，制定纠正措施，纳入 %d 年度服务能力管理计划并跟踪落实。",
						       jstr(m, "code"), jstr(m, "name"), d->year + 1));
		json_object_set_new(s, "text_en", jprintf("Analyse why metric %s (%s) missed its target, take corrective action "
							  "and carry it into the %d capability plan.", jstr(m, "code"),
							  jstr(m, "name"), d->year + 1));
		json_set_id(s, "owner_department_id", jint(m, "owner_department_id"));
		json_set_id(s, "owner_user_id", 0);
		json_set_str(s, "due_date", due);
		json_set_str(s, "priority", "high");
		json_object_set_new(s, "source", src);
		json_array_append_new(suggestions, s);
	}
	json_array_foreach(d->tasks, i, t) {
		int late = !strcmp(jstr(t, "outcome"), "done_late");
		int overdue = json_is_true(json_object_get(t, "overdue"));
		if (!late && !overdue)
			continue;
		int delay = (int)jint(t, "delay_days");
		json_t *src = json_pack("{s:s, s:I}", "kind", "task", "task_id", (json_int_t)jint(t, "id"));
		json_t *p = json_object();
		if (late) {
			json_object_set_new(p, "text", jprintf("工作项「%s」（%s）延期完成：计划完成 %s，实际完成 %s，延期 %d 天。",
							       jstr(t, "title"), jstr(t, "department"), jstr(t, "planned_end"),
							       jstr(t, "actual_end"), delay));
			json_object_set_new(p, "text_en", jprintf("Work item \"%s\" (%s) was finished late: planned end %s, "
								  "finished %s, %d days late.", jstr(t, "title"),
								  jstr(t, "department"), jstr(t, "planned_end"),
								  jstr(t, "actual_end"), delay));
		} else {
			json_object_set_new(p, "text", jprintf("工作项「%s」（%s）逾期未完成：计划完成 %s，截至 %s 已逾期 %d 天，完成 %d%%。",
							       jstr(t, "title"), jstr(t, "department"), jstr(t, "planned_end"),
							       d->today_s, delay, (int)jint(t, "percent")));
			json_object_set_new(p, "text_en", jprintf("Work item \"%s\" (%s) is overdue: planned end %s, %d days "
								  "overdue on %s, %d%% done.", jstr(t, "title"),
								  jstr(t, "department"), jstr(t, "planned_end"), delay,
								  d->today_s, (int)jint(t, "percent")));
		}
		json_set_str(p, "element", json_string_value(json_object_get(t, "element")));
		json_object_set(p, "source", src);
		json_array_append_new(problems, p);
		json_t *s = json_object();
		if (late) {
			json_object_set_new(s, "text", jprintf("总结工作项「%s」延期的原因，改进%s的计划编制与资源安排。",
							       jstr(t, "title"), jstr(t, "department")));
			json_object_set_new(s, "text_en", jprintf("Find out why work item \"%s\" was late and improve how %s "
								  "plans and resources its work.", jstr(t, "title"),
								  jstr(t, "department")));
		} else {
			json_object_set_new(s, "text", jprintf("尽快完成逾期工作项「%s」，或在 %d 年度计划中重新安排。",
							       jstr(t, "title"), d->year + 1));
			json_object_set_new(s, "text_en", jprintf("Finish the overdue work item \"%s\" or reschedule it in the "
								  "%d plan.", jstr(t, "title"), d->year + 1));
		}
		json_set_id(s, "owner_department_id", jint(t, "department_id"));
		json_set_id(s, "owner_user_id", jint(t, "owner_user_id"));
		json_set_str(s, "due_date", due);
		json_set_str(s, "priority", overdue ? "high" : "medium");
		json_object_set_new(s, "source", src);
		json_array_append_new(suggestions, s);
	}
}

static json_t *conclusion_zh(const struct eval_data *d, size_t nproblems)
{
	const struct mcount *m = &d->mc_all;
	const struct tcount *t = &d->tc_all;
	struct nl_strbuf b;
	strbuf_init(&b, 0);
	strbuf_printf(&b, "%d 年度共考核指标 %d 项：达标 %d 项，预警 %d 项，未达标 %d 项，无数据 %d 项。", d->year, m->total,
		m->met, m->warning, m->missed, m->no_data);
	strbuf_printf(&b, "部门工作项 %d 项：按期完成 %d 项，延期完成 %d 项，未完成 %d 项（其中逾期 %d 项），取消 %d 项。",
		t->total, t->done_on_time, t->done_late, t->open, t->overdue, t->cancelled);
	if (nproblems == 0 && m->no_data == 0)
		strbuf_printf(&b, "年度服务能力管理计划执行有效，目标全部达成。");
	else if (nproblems == 0)
		strbuf_printf(&b, "已有数据的指标全部达成，工作项无延期；%d 项指标缺少数据，需补充度量。", m->no_data);
	else
		strbuf_printf(&b, "共发现问题 %zu 项，已提出改进建议，纳入 %d 年度服务能力管理计划。", nproblems, d->year + 1);
	json_t *s = b.failed || !b.data ? json_string("") : json_stringn(b.data, b.len);
	strbuf_cleanup(&b);
	return s ? s : json_string("");
}

static json_t *conclusion_en(const struct eval_data *d, size_t nproblems)
{
	const struct mcount *m = &d->mc_all;
	const struct tcount *t = &d->tc_all;
	struct nl_strbuf b;
	strbuf_init(&b, 0);
	strbuf_printf(&b, "In %d, %d metrics were measured: %d met, %d warning, %d missed, %d without data. ", d->year,
		m->total, m->met, m->warning, m->missed, m->no_data);
	strbuf_printf(&b, "Of %d department work items, %d were done on time, %d late, %d are open (%d overdue) and %d "
			  "were cancelled. ", t->total, t->done_on_time, t->done_late, t->open, t->overdue, t->cancelled);
	if (nproblems == 0 && m->no_data == 0)
		strbuf_printf(&b, "The capability plan was carried out effectively and every target was met.");
	else if (nproblems == 0)
		strbuf_printf(&b, "Every measured metric met its target and no work item was late; %d metrics lack data.",
			m->no_data);
	else
		strbuf_printf(&b, "%zu problems were found; improvement suggestions carry them into the %d plan.", nproblems,
			d->year + 1);
	json_t *s = b.failed || !b.data ? json_string("") : json_stringn(b.data, b.len);
	strbuf_cleanup(&b);
	return s ? s : json_string("");
}

/* The tasks section: totals and, per department, the counts with the late and open rows. */
static json_t *tasks_section(const struct eval_data *d)
{
	static const char *const counters[] = { "total", "done_on_time", "done_late", "open", "overdue", "cancelled" };
	json_t *by = json_array(), *index = json_object();
	size_t i;
	json_t *t;
	json_array_foreach(d->tasks, i, t) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)jint(t, "department_id"));
		json_t *dep = json_object_get(index, key);
		if (!dep) {
			dep = json_object();
			json_set_int(dep, "department_id", jint(t, "department_id"));
			json_set_str(dep, "department", jstr(t, "department"));
			for (size_t k = 0; k < NL_ARRAY_LEN(counters); k++)
				json_set_int(dep, counters[k], 0);
			json_object_set_new(dep, "late", json_array());
			json_object_set_new(dep, "open_items", json_array());
			json_object_set(index, key, dep);
			json_array_append_new(by, dep);
		}
		const char *outcome = jstr(t, "outcome");
		const char *counter = !strcmp(outcome, "done_on_time") ? "done_on_time"
			: !strcmp(outcome, "done_late")                 ? "done_late"
			: !strcmp(outcome, "cancelled")                 ? "cancelled"
									: "open";
		json_set_int(dep, counter, jint(dep, counter) + 1);
		json_set_int(dep, "total", jint(dep, "total") + 1);
		if (json_is_true(json_object_get(t, "overdue")))
			json_set_int(dep, "overdue", jint(dep, "overdue") + 1);
		if (!strcmp(counter, "done_late") || !strcmp(counter, "open")) {
			json_t *row = json_pack("{s:I, s:s, s:O, s:O, s:s, s:O, s:s, s:I, s:O, s:I}", "task_id",
				(json_int_t)jint(t, "id"), "title", jstr(t, "title"), "owner", json_object_get(t, "owner"),
				"element", json_object_get(t, "element"), "planned_end", jstr(t, "planned_end"), "actual_end",
				json_object_get(t, "actual_end"), "status", jstr(t, "status"), "percent",
				(json_int_t)jint(t, "percent"), "overdue", json_object_get(t, "overdue"), "delay_days",
				(json_int_t)jint(t, "delay_days"));
			json_array_append_new(json_object_get(dep, !strcmp(counter, "open") ? "open_items" : "late"), row);
		}
	}
	json_decref(index);
	json_t *sec = json_object();
	json_object_set_new(sec, "summary", tcount_json(&d->tc_all));
	json_object_set_new(sec, "by_department", by);
	return sec;
}

static json_t *analysis_section(const struct eval_data *d, const json_t *problems)
{
	json_t *arr = json_array();
	for (int e = 0; e < NELEM; e++) {
		const struct mcount *m = &d->mc_el[e];
		const struct tcount *t = &d->tc_el[e];
		size_t i, np = 0;
		json_t *p;
		json_array_foreach(problems, i, p) if (!strcmp(jstr(p, "element"), element_values[e])) np++;
		json_t *o = json_object();
		json_set_str(o, "element", element_values[e]);
		json_set_str(o, "name", element_zh[e]);
		json_set_str(o, "name_en", element_en[e]);
		json_object_set_new(o, "metrics", mcount_json(m));
		json_object_set_new(o, "tasks", tcount_json(t));
		json_set_int(o, "problems", (int64_t)np);
		json_object_set_new(o, "text", jprintf("%s要素：指标 %d 项（达标 %d，预警 %d，未达标 %d，无数据 %d）；工作项 %d 项"
						       "（按期完成 %d，延期完成 %d，未完成 %d，其中逾期 %d，取消 %d）；问题 %zu 项。",
						       element_zh[e], m->total, m->met, m->warning, m->missed, m->no_data,
						       t->total, t->done_on_time, t->done_late, t->open, t->overdue, t->cancelled, np));
		json_object_set_new(o, "text_en", jprintf("%s: %d metrics (%d met, %d warning, %d missed, %d without data); "
							  "%d work items (%d on time, %d late, %d open of which %d overdue, "
							  "%d cancelled); %zu problems.", element_en[e], m->total, m->met,
							  m->warning, m->missed, m->no_data, t->total, t->done_on_time,
							  t->done_late, t->open, t->overdue, t->cancelled, np));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *metrics_section(const struct eval_data *d)
{
	json_t *by = json_object();
	for (int e = 0; e < NELEM; e++)
		json_object_set_new(by, element_values[e], mcount_json(&d->mc_el[e]));
	json_t *sec = json_object();
	json_object_set_new(sec, "summary", mcount_json(&d->mc_all));
	json_object_set_new(sec, "by_element", by);
	json_object_set(sec, "rows", d->metric_rows);
	json_set_str(sec, "rule", "A metric's standing is its value for the whole year when there is one, otherwise the "
				  "latest period of the year that has a value; without either it counts as no_data.");
	return sec;
}

static json_t *plan_section(const struct eval_data *d)
{
	const struct tcount *t = &d->tc_all;
	int planned = t->total - t->cancelled;
	json_t *sec = json_object();
	json_object_set(sec, "plan", d->plan);
	json_set_int(sec, "tasks_total", t->total);
	json_set_int(sec, "done", t->done_on_time + t->done_late);
	json_set_int(sec, "done_on_time", t->done_on_time);
	json_set_int(sec, "done_late", t->done_late);
	json_set_int(sec, "open", t->open);
	json_set_int(sec, "overdue", t->overdue);
	json_set_int(sec, "cancelled", t->cancelled);
	json_object_set_new(sec, "completion_rate", rate_or_null(t->done_on_time + t->done_late, planned));
	json_object_set_new(sec, "on_time_rate", rate_or_null(t->done_on_time, planned));
	json_set_int(sec, "checks_total", d->checks_total);
	json_set_int(sec, "checks_verified", d->checks_verified);
	json_set_int(sec, "checks_open", d->checks_total - d->checks_verified);
	return sec;
}

static json_t *default_purpose(int year)
{
	return jprintf("依据《服务能力管理制度》第 4.6 条，以及 GB/T 28827.1《信息技术服务 运行维护 第1部分：通用要求》和 "
		       "ISO/IEC 20000-1 第 9.1、10.2 条，评估 %d 年度服务能力管理计划的执行效果，识别问题和不符合项，提出改进建议，"
		       "作为 %d 年度服务能力管理计划的输入。", year, year + 1);
}

static json_t *default_method(int year)
{
	return jprintf("数据来源：%d 年度运维服务管理目标度量计划及达成表、部门详细工作计划及执行进度记录、运维服务管理计划工作执行跟踪表"
		       "（质量管理部的检查记录）、%d 年度服务能力管理计划。方法：逐项核对指标达成状态（达标/预警/未达标），指标取年度值，"
		       "无年度值时取年内最近一期的值；工作项按计划完成日期与实际完成日期判定按期、延期、未完成（逾期）或取消。",
		year, year);
}

/* The evaluation row of a year as JSON (problems/suggestions parsed), or *row = NULL when there is none. */
static int eval_row_get(struct nl_ctx *ctx, int64_t year, json_t **row)
{
	struct nl_stmt *st = NULL;
	*row = NULL;
	int rc = db_prepare(ctx->db, "SELECT e.id, e.status, e.purpose, e.method, e.problems, e.suggestions, e.conclusion,"
				     " e.snapshot, e.problems_edited, e.suggestions_edited, e.finalized_by, fu.display_name,"
				     " e.finalized_at, e.created_at, e.updated_at, e.updated_by, uu.display_name"
				     " FROM evaluations e LEFT JOIN users fu ON fu.id = e.finalized_by"
				     " LEFT JOIN users uu ON uu.id = e.updated_by WHERE e.year = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, year);
	rc = stmt_step(st);
	if (rc == 1) {
		json_t *o = json_object();
		json_set_int(o, "id", stmt_column_int64(st, 0));
		json_set_int(o, "year", year);
		json_set_str(o, "status", stmt_column_text(st, 1));
		json_set_str(o, "purpose", stmt_column_text(st, 2));
		json_set_str(o, "method", stmt_column_text(st, 3));
		for (int k = 4; k <= 5; k++) {
			const char *txt = stmt_column_text(st, k);
			json_t *a = txt ? json_loads(txt, 0, NULL) : NULL;
			if (!json_is_array(a)) {
				json_decref(a);
				a = json_array();
			}
			json_object_set_new(o, k == 4 ? "problems" : "suggestions", a);
		}
		json_set_str(o, "conclusion", stmt_column_text(st, 6));
		json_set_str(o, "snapshot", stmt_column_text(st, 7));
		json_set_bool(o, "problems_edited", stmt_column_int64(st, 8) != 0);
		json_set_bool(o, "suggestions_edited", stmt_column_int64(st, 9) != 0);
		json_set_id(o, "finalized_by", stmt_column_int64(st, 10));
		json_set_str(o, "finalized_by_name", stmt_column_text(st, 11));
		json_set_str(o, "finalized_at", stmt_column_text(st, 12));
		json_set_str(o, "created_at", stmt_column_text(st, 13));
		json_set_str(o, "updated_at", stmt_column_text(st, 14));
		json_set_id(o, "updated_by", stmt_column_int64(st, 15));
		json_set_str(o, "updated_by_name", stmt_column_text(st, 16));
		*row = o;
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The row without its snapshot (for the audit log and the document's approval section). */
static json_t *row_for_audit(const json_t *row)
{
	if (!row)
		return NULL;
	json_t *o = json_deep_copy(row);
	json_object_del(o, "snapshot");
	return o;
}

/* Builds the draft document of `year` from the data, with the edits of `row` (may be NULL). */
static int eval_build(struct nl_ctx *ctx, int year, const json_t *row, json_t **out)
{
	struct eval_data d;
	memset(&d, 0, sizeof d);
	d.year = year;
	*out = NULL;
	int rc = cycle_today(ctx, &d.today);
	if (rc)
		return rc;
	if (date_format(d.today, d.today_s)) {
		rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, "Today's date is out of range.");
		goto out;
	}
	if ((rc = load_metrics(ctx, &d)) || (rc = load_tasks(ctx, &d)) || (rc = load_checks(ctx, &d)) ||
		(rc = load_plan(ctx, &d)))
		goto out;
	json_t *gen_problems = json_array(), *gen_suggestions = json_array();
	generate_problems(&d, gen_problems, gen_suggestions);
	if ((rc = suggest_adopted_innovations(ctx, year, gen_suggestions))) {
		json_decref(gen_problems);
		json_decref(gen_suggestions);
		goto out;
	}
	int p_edited = row && json_is_true(json_object_get(row, "problems_edited"));
	int s_edited = row && json_is_true(json_object_get(row, "suggestions_edited"));
	json_t *problems = p_edited ? json_object_get(row, "problems") : gen_problems;
	json_t *suggestions = s_edited ? json_object_get(row, "suggestions") : gen_suggestions;
	const char *concl = row ? jstr(row, "conclusion") : "";
	const char *purpose = row ? jstr(row, "purpose") : "";
	const char *method = row ? jstr(row, "method") : "";

	json_t *doc = json_object();
	json_set_int(doc, "year", year);
	json_set_id(doc, "id", row ? jint(row, "id") : 0);
	char number[80];
	if ((rc = settings_doc_number(ctx, "ER", year, number, sizeof number))) {
		json_decref(doc);
		json_decref(gen_problems);
		json_decref(gen_suggestions);
		goto out;
	}
	json_set_str(doc, "document_number", number);
	json_object_set_new(doc, "title", jprintf("%d 年度服务能力执行效果评估报告", year));
	json_object_set_new(doc, "title_en", jprintf("Annual service capability evaluation report %d", year));
	json_set_str(doc, "status", "draft");
	json_set_str(doc, "as_of", d.today_s);
	char at[24];
	ctx_now_rfc3339(ctx, at);
	json_set_str(doc, "generated_at", at);
	json_t *sec = json_array();
	for (size_t i = 0; i < NL_ARRAY_LEN(sections); i++)
		json_array_append_new(sec, json_pack("{s:s, s:s, s:s}", "key", sections[i].key, "title", sections[i].zh,
						   "title_en", sections[i].en));
	json_object_set_new(doc, "sections", sec);
	json_object_set_new(doc, "purpose", *purpose ? json_string(purpose) : default_purpose(year));
	json_object_set_new(doc, "method", *method ? json_string(method) : default_method(year));
	json_object_set_new(doc, "plan_completion", plan_section(&d));
	json_object_set_new(doc, "metrics", metrics_section(&d));
	json_object_set_new(doc, "analysis_by_element", analysis_section(&d, problems));
	json_object_set_new(doc, "tasks", tasks_section(&d));
	json_t *oca = json_array();
	json_array_extend(oca, d.open_checks);
	json_array_extend(oca, d.missed_values);
	json_object_set_new(doc, "open_corrective_actions", oca);
	json_object_set(doc, "problems", problems);
	json_set_bool(doc, "problems_edited", p_edited);
	json_object_set(doc, "generated_problems", gen_problems);
	json_object_set(doc, "suggestions", suggestions);
	json_set_bool(doc, "suggestions_edited", s_edited);
	json_object_set(doc, "generated_suggestions", gen_suggestions);
	json_t *gen_concl = conclusion_zh(&d, json_array_size(gen_problems));
	json_object_set_new(doc, "conclusion", *concl ? json_string(concl) : json_incref(gen_concl));
	json_set_bool(doc, "conclusion_edited", *concl != 0);
	json_object_set_new(doc, "generated_conclusion", gen_concl);
	json_object_set_new(doc, "generated_conclusion_en", conclusion_en(&d, json_array_size(gen_problems)));
	json_t *appr = json_object();
	json_set_str(appr, "status", "draft");
	json_set_id(appr, "edited_by", row ? jint(row, "updated_by") : 0);
	json_set_str(appr, "edited_by_name", row ? json_string_value(json_object_get(row, "updated_by_name")) : NULL);
	json_set_str(appr, "edited_at", row && jint(row, "updated_by") ? jstr(row, "updated_at") : NULL);
	json_set_id(appr, "finalized_by", 0);
	json_set_str(appr, "finalized_by_name", NULL);
	json_set_str(appr, "finalized_at", NULL);
	json_object_set_new(doc, "approval", appr);
	json_decref(gen_problems);
	json_decref(gen_suggestions);
	*out = doc;
out:
	eval_data_cleanup(&d);
	return rc;
}

static int year_check(struct nl_ctx *ctx, int64_t year)
{
	if (year < NL_DATE_MIN_YEAR || year > NL_DATE_MAX_YEAR)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No evaluation for the year %lld.", (long long)year);
	return 0;
}

int evaluation_get(struct nl_ctx *ctx, int64_t year, json_t **out)
{
	json_t *row = NULL;
	*out = NULL;
	int rc = year_check(ctx, year);
	if (rc || (rc = eval_row_get(ctx, year, &row)))
		return rc;
	if (row && !strcmp(jstr(row, "status"), "finalized")) {
		json_error_t je;
		json_t *snap = json_loads(jstr(row, "snapshot"), 0, &je);
		if (!json_is_object(snap)) {
			NL_LOG(NL_LOG_ERROR, "evaluation %lld: the snapshot is not a JSON object: %s", (long long)year, je.text);
			json_decref(snap);
			rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, "The finalized evaluation cannot be read.");
		} else {
			*out = snap;
		}
	} else {
		rc = eval_build(ctx, (int)year, row, out);
	}
	json_decref(row);
	return rc;
}

/* Creates the draft row of `year` if there is none (inside the caller's transaction). */
static int eval_row_ensure(struct nl_ctx *ctx, int64_t year)
{
	struct nl_stmt *st = NULL;
	char at[24];
	ctx_now_rfc3339(ctx, at);
	int rc = db_prepare(ctx->db, "INSERT INTO evaluations (year, status, created_at, updated_at) VALUES ($1, 'draft', $2, $2)"
				     " ON CONFLICT (year) DO NOTHING", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, year);
	stmt_bind_text(st, 2, at);
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Checks that every suggestion's owner department and user exist. */
static int suggestion_owners_check(struct nl_ctx *ctx, const json_t *suggestions)
{
	size_t i;
	json_t *s;
	json_array_foreach(suggestions, i, s) {
		static const struct {
			const char *key, *sql;
		} refs[] = {
			{ "owner_department_id", "SELECT 1 FROM departments WHERE id = $1" },
			{ "owner_user_id", "SELECT 1 FROM users WHERE id = $1" },
		};
		for (size_t k = 0; k < NL_ARRAY_LEN(refs); k++) {
			int64_t id = jint(s, refs[k].key);
			if (id <= 0)
				continue;
			struct nl_stmt *st = NULL;
			int rc = db_prepare(ctx->db, refs[k].sql, &st);
			if (rc)
				return rc;
			stmt_bind_int64(st, 1, id);
			rc = stmt_step(st);
			stmt_done(st);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				char f[96];
				snprintf(f, sizeof f, "suggestions[%zu].%s", i, refs[k].key);
				return nl_fail(ctx->err, NL_EVALID, f, "%s: no such %s (id %lld).", f,
					k == 0 ? "department" : "user", (long long)id);
			}
		}
	}
	return 0;
}

static char *dumps_array(const json_t *a)
{
	return json_dumps(a, JSON_COMPACT);
}

int evaluation_update(struct nl_ctx *ctx, int64_t year, const struct nl_evaluation_edit *edit, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *problems = NULL, *suggestions = NULL, *before = NULL, *after = NULL, *ba = NULL, *aa = NULL;
	char *ptext = NULL, *stext = NULL;
	char at[24];
	*out = NULL;
	int rc = year_check(ctx, year);
	if (rc)
		return rc;
	if (edit->problems && (rc = evaluation_problems_check(edit->problems, &problems, ctx->err)))
		goto done;
	if (edit->suggestions && ((rc = evaluation_suggestions_check(edit->suggestions, &suggestions, ctx->err)) ||
		    (rc = suggestion_owners_check(ctx, suggestions))))
		goto done;
	if ((problems && !(ptext = dumps_array(problems))) || (suggestions && !(stext = dumps_array(suggestions)))) {
		rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
		goto done;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		goto done;
	if ((rc = eval_row_ensure(ctx, year)) || (rc = eval_row_get(ctx, year, &before)))
		goto out;
	if (!before || strcmp(jstr(before, "status"), "draft") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "The %lld evaluation is finalized; it can no longer be changed.",
			(long long)year);
		goto out;
	}
	if ((rc = db_prepare(ctx->db,
		     "UPDATE evaluations SET"
		     " problems = CASE WHEN $2 = 1 THEN CAST($3 AS TEXT) ELSE problems END,"
		     " problems_edited = CASE WHEN $2 = 1 THEN 1 ELSE problems_edited END,"
		     " suggestions = CASE WHEN $4 = 1 THEN CAST($5 AS TEXT) ELSE suggestions END,"
		     " suggestions_edited = CASE WHEN $4 = 1 THEN 1 ELSE suggestions_edited END,"
		     " conclusion = COALESCE(CAST($6 AS TEXT), conclusion), purpose = COALESCE(CAST($7 AS TEXT), purpose),"
		     " method = COALESCE(CAST($8 AS TEXT), method), updated_at = $9, updated_by = CAST($10 AS BIGINT)"
		     " WHERE year = $1 AND status = 'draft'", &st)))
		goto out;
	stmt_bind_int64(st, 1, year);
	stmt_bind_int64(st, 2, ptext ? 1 : 0);
	stmt_bind_text(st, 3, ptext ? ptext : "[]");
	stmt_bind_int64(st, 4, stext ? 1 : 0);
	stmt_bind_text(st, 5, stext ? stext : "[]");
	stmt_bind_text(st, 6, edit->conclusion);
	stmt_bind_text(st, 7, edit->purpose);
	stmt_bind_text(st, 8, edit->method);
	stmt_bind_text(st, 9, at);
	if (ctx->actor)
		stmt_bind_int64(st, 10, ctx->actor->id);
	else
		stmt_bind_null(st, 10);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = eval_row_get(ctx, year, &after)))
		goto out;
	ba = row_for_audit(before);
	aa = row_for_audit(after);
	rc = audit_append(ctx, "update", "evaluation", jint(after, "id"), ba, aa);
out:
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc == 0)
		rc = evaluation_get(ctx, year, out);
done:
	free(ptext);
	free(stext);
	json_decref(problems);
	json_decref(suggestions);
	json_decref(before);
	json_decref(after);
	json_decref(ba);
	json_decref(aa);
	return rc;
}

int evaluation_finalize(struct nl_ctx *ctx, int64_t year, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	json_t *before = NULL, *after = NULL, *doc = NULL, *ba = NULL, *aa = NULL;
	char *snap = NULL, *ptext = NULL, *stext = NULL;
	char at[24];
	*out = NULL;
	int rc = year_check(ctx, year);
	if (rc || (rc = cycle_today(ctx, &today)))
		return rc;
	if (year > today.y)
		return nl_fail(ctx->err, NL_EVALID, "year", "The %lld evaluation cannot be finalized before the year begins.",
			(long long)year);
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = eval_row_ensure(ctx, year)) || (rc = eval_row_get(ctx, year, &before)))
		goto out;
	if (!before || strcmp(jstr(before, "status"), "draft") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "The %lld evaluation is finalized already.", (long long)year);
		goto out;
	}
	if ((rc = eval_build(ctx, (int)year, before, &doc)))
		goto out;
	json_set_str(doc, "status", "finalized");
	json_t *appr = json_object_get(doc, "approval");
	json_set_str(appr, "status", "finalized");
	json_set_id(appr, "finalized_by", ctx->actor ? ctx->actor->id : 0);
	json_set_str(appr, "finalized_by_name", ctx->actor ? ctx->actor->display_name : ctx->actor_name);
	json_set_str(appr, "finalized_at", at);
	if (!(snap = json_dumps(doc, JSON_COMPACT)) || !(ptext = dumps_array(json_object_get(doc, "problems"))) ||
		!(stext = dumps_array(json_object_get(doc, "suggestions")))) {
		rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "UPDATE evaluations SET status = 'finalized', purpose = $2, method = $3, problems = $4,"
				      " suggestions = $5, conclusion = $6, snapshot = $7, finalized_by = CAST($8 AS BIGINT),"
				      " finalized_at = $9, updated_at = $9 WHERE year = $1 AND status = 'draft'", &st)))
		goto out;
	stmt_bind_int64(st, 1, year);
	stmt_bind_text(st, 2, jstr(doc, "purpose"));
	stmt_bind_text(st, 3, jstr(doc, "method"));
	stmt_bind_text(st, 4, ptext);
	stmt_bind_text(st, 5, stext);
	stmt_bind_text(st, 6, jstr(doc, "conclusion"));
	stmt_bind_text(st, 7, snap);
	if (ctx->actor)
		stmt_bind_int64(st, 8, ctx->actor->id);
	else
		stmt_bind_null(st, 8);
	stmt_bind_text(st, 9, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = eval_row_get(ctx, year, &after)))
		goto out;
	ba = row_for_audit(before);
	aa = row_for_audit(after);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(h, (const unsigned char *)snap, strlen(snap));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	json_set_str(aa, "snapshot_sha256", hex);
	rc = audit_append(ctx, "finalize", "evaluation", jint(after, "id"), ba, aa);
out:
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc == 0) {
		*out = doc;
		doc = NULL;
	}
	free(snap);
	free(ptext);
	free(stext);
	json_decref(doc);
	json_decref(before);
	json_decref(after);
	json_decref(ba);
	json_decref(aa);
	return rc;
}
