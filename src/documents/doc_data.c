/* doc_data.c — what documents are made from: the settings (company, logo, document-number scheme, time zone), and the
 * year's plan, metrics, achievement table, work items and evaluation, read through the cycle's domain functions
 * (src/cycle/) — never by repeating their rules in SQL. Also the labels of the domain's enumerations in Chinese and
 * English, the signature blocks and the change history (变更履历) of each record. */
#include "documents/docInt.h"

#include "core/json.h"
#include "core/log.h"
#include "core/tz.h"
#include "cycle/achievement.h"
#include "cycle/evaluation.h"
#include "cycle/measure.h"
#include "cycle/metric.h"
#include "cycle/period.h"
#include "cycle/plan.h"
#include "cycle/rules.h"
#include "cycle/task.h"
#include "cycle/today.h"
#include "org/org.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define TASK_PAGE 500

/* ---- JSON helpers ---- */

const char *doc_js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

double doc_jn(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

int64_t doc_ji(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* ---- The environment ---- */

/* Drops an error a caller chose to tolerate (a missing logo, an unknown user), so that it does not mask a later one. */
static void forgive(struct doc_env *e)
{
	nl_error_clear(e->ctx->err);
}

int doc_env_init(struct doc_env *e, struct nl_ctx *ctx, int year, enum nl_doc_lang lang)
{
	memset(e, 0, sizeof *e);
	e->ctx = ctx;
	e->year = year;
	e->lang = lang;
	e->trends = NULL;
	json_t *set = NULL;
	int rc = settings_get(ctx, &set);   /* with the settings' own defaults */
	if (rc)
		return rc;
	snprintf(e->company, sizeof e->company, "%s", doc_js(set, "company_name"));
	snprintf(e->scheme, sizeof e->scheme, "%s", doc_js(set, "doc_number_scheme"));
	snprintf(e->zone, sizeof e->zone, "%s", *doc_js(set, "timezone") ? doc_js(set, "timezone") : "Asia/Shanghai");
	json_decref(set);
	rc = settings_logo_get(ctx, &e->logo, &e->logo_len);
	if (rc == NL_ENOTFOUND) {
		forgive(e);
	} else if (rc) {
		return rc;
	} else if (settings_logo_check(e->logo, e->logo_len, &e->logo_w, &e->logo_h, NULL) != 0) {
		NL_LOG(NL_LOG_WARN, "the stored logo is not a valid PNG; documents are made without it");
		free(e->logo);
		e->logo = NULL;
		e->logo_len = 0;
	}
	if ((rc = cycle_today(ctx, &e->today)))
		return rc;
	if (date_format(e->today, e->today_s) != 0)
		snprintf(e->today_s, sizeof e->today_s, "%s", "");
	const struct nl_tz *z = NULL;
	if (tz_load(e->zone, &z) == 0)
		e->tz = z;
	return 0;
}

void doc_env_cleanup(struct doc_env *e)
{
	free(e->logo);
	json_decref(e->plan);
	json_decref(e->history);
	json_decref(e->versions);
	json_decref(e->depts);
	json_decref(e->users);
	json_decref(e->metrics);
	json_decref(e->table);
	json_decref(e->evaluation);
	free(e->task_depts);
	free(e->trends);
	if (e->tz)
		tz_free(e->tz);
	memset(e, 0, sizeof *e);
}

void doc_date_of(struct doc_env *e, const char *ts, char out[NL_DATE_STRLEN])
{
	int64_t t;
	struct nl_date d;
	int off = 0;
	out[0] = '\0';
	if (!ts || !*ts)
		return;
	if (strlen(ts) == 10 && date_parse(ts, &d) == 0) {   /* already a date */
		snprintf(out, NL_DATE_STRLEN, "%s", ts);
		return;
	}
	if (date_timestamp_parse(ts, &t) != 0)
		return;
	if (e->tz && tz_offset_at(e->tz, t, &off) != 0)
		off = 0;
	if (date_from_timestamp(t, off, &d) != 0 || date_format(d, out) != 0)
		out[0] = '\0';
}

int doc_env_plan(struct doc_env *e)
{
	json_t *items = NULL;
	int64_t next = 0;
	if (e->plan_loaded)
		return 0;
	int rc = plan_list(e->ctx, e->year, NULL, 1, 0, &items, &next);
	if (rc)
		return rc;
	json_t *first = json_array_get(items, 0);
	int64_t id = first ? doc_ji(first, "id") : 0;
	json_decref(items);
	if (id) {
		if ((rc = plan_get(e->ctx, id, &e->plan)) || (rc = plan_history(e->ctx, id, &e->history)) ||
			(rc = plan_version_list(e->ctx, id, &e->versions)))
			return rc;
	}
	if (!e->history)
		e->history = json_array();
	if (!e->versions)
		e->versions = json_array();
	e->plan_loaded = 1;
	return 0;
}

int doc_env_depts(struct doc_env *e)
{
	int64_t cursor = 0, next = 0;
	if (e->depts)
		return 0;
	json_t *map = json_object();
	do {
		json_t *items = NULL;
		int rc = department_list(e->ctx, 500, cursor, &items, &next);
		if (rc) {
			json_decref(map);
			return rc;
		}
		size_t i;
		json_t *d;
		json_array_foreach(items, i, d) {
			char key[24];
			snprintf(key, sizeof key, "%lld", (long long)doc_ji(d, "id"));
			json_t *v = json_object();
			json_set_str(v, "name", doc_js(d, "name"));
			json_set_str(v, "name_en", doc_js(d, "name_en"));
			json_object_set_new(map, key, v);
		}
		json_decref(items);
		cursor = next;
	} while (next > 0);
	e->depts = map;
	return 0;
}

const char *doc_dept_name(struct doc_env *e, int64_t id)
{
	char key[24];
	if (id <= 0 || doc_env_depts(e) != 0)
		return "";
	snprintf(key, sizeof key, "%lld", (long long)id);
	const json_t *d = json_object_get(e->depts, key);
	if (!d)
		return "";
	const char *en = doc_js(d, "name_en");
	return e->lang == NL_DOC_EN && *en ? en : doc_js(d, "name");
}

const char *doc_user_name(struct doc_env *e, int64_t id)
{
	char key[24];
	if (id <= 0)
		return "";
	if (!e->users)
		e->users = json_object();
	snprintf(key, sizeof key, "%lld", (long long)id);
	const json_t *v = json_object_get(e->users, key);
	if (!v) {
		json_t *u = NULL;
		if (user_get(e->ctx, id, &u) == 0) {
			json_object_set_new(e->users, key, json_string(doc_js(u, "display_name")));
			json_decref(u);
		} else {
			forgive(e);
			json_object_set_new(e->users, key, json_string(""));
		}
		v = json_object_get(e->users, key);
	}
	return json_string_value(v) ? json_string_value(v) : "";
}

int doc_env_metrics(struct doc_env *e)
{
	if (e->metrics)
		return 0;
	struct nl_metric_filter f = { .year = e->year };
	return metric_list_table(e->ctx, &f, &e->metrics);
}

int doc_env_table(struct doc_env *e)
{
	return e->table ? 0 : achievement_table(e->ctx, e->year, NULL, 0, &e->table);
}

int doc_env_evaluation(struct doc_env *e)
{
	return e->evaluation ? 0 : evaluation_get(e->ctx, e->year, &e->evaluation);
}

int doc_env_tasks_each(struct doc_env *e, int (*fn)(void *arg, json_t *task), void *arg)
{
	struct nl_task_filter f = { .year = e->year, .overdue = -1, .details = 1, .limit = TASK_PAGE };
	int64_t next = 0;
	do {
		json_t *items = NULL;
		int rc = task_list(e->ctx, &f, &items, &next);
		if (rc)
			return rc;
		size_t i;
		json_t *t;
		json_array_foreach(items, i, t) {
			if ((rc = fn(arg, t))) {
				json_decref(items);
				return rc;
			}
		}
		json_decref(items);
		f.cursor = next;
	} while (next > 0);
	return 0;
}

/* ---- Work items: counts by department (one streaming pass) and the latest check / verification ---- */

struct count_state {
	struct doc_env *e;
	char checker[160], checked_on[NL_DATE_STRLEN], verifier[160], verified_on[NL_DATE_STRLEN];
};

static void count_into(struct doc_task_counts *c, const json_t *t)
{
	const char *outcome = doc_js(t, "outcome");
	c->total++;
	if (!strcmp(outcome, "done_on_time"))
		c->on_time++;
	else if (!strcmp(outcome, "done_late"))
		c->late++;
	else if (!strcmp(outcome, "cancelled"))
		c->cancelled++;
	else
		c->open++;
	if (json_is_true(json_object_get(t, "overdue")))
		c->overdue++;
}

static int count_task(void *arg, json_t *t)
{
	struct count_state *s = arg;
	struct doc_env *e = s->e;
	int64_t dept = doc_ji(t, "department_id");
	size_t i;
	for (i = 0; i < e->ntask_depts && e->task_depts[i].department_id != dept; i++)
		;
	if (i == e->ntask_depts) {
		struct doc_task_counts *n = realloc(e->task_depts, (e->ntask_depts + 1) * sizeof *n);
		if (!n)
			return nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL);
		e->task_depts = n;
		memset(&n[i], 0, sizeof n[i]);
		n[i].department_id = dept;
		const char *name = doc_dept_name(e, dept);
		snprintf(n[i].department, sizeof n[i].department, "%s", *name ? name : doc_js(t, "department"));
		e->ntask_depts++;
	}
	count_into(&e->task_depts[i], t);
	count_into(&e->task_total, t);
	size_t k;
	json_t *c;
	json_array_foreach(json_object_get(t, "checks"), k, c) {
		const char *on = doc_js(c, "checked_on");
		if (strcmp(on, s->checked_on) > 0) {
			snprintf(s->checked_on, sizeof s->checked_on, "%s", on);
			snprintf(s->checker, sizeof s->checker, "%s", doc_js(c, "checker"));
		}
		char vd[NL_DATE_STRLEN];
		doc_date_of(e, doc_js(c, "verified_at"), vd);
		if (json_is_true(json_object_get(c, "verified")) && strcmp(vd, s->verified_on) > 0) {
			snprintf(s->verified_on, sizeof s->verified_on, "%s", vd);
			snprintf(s->verifier, sizeof s->verifier, "%s", doc_js(c, "verifier"));
		}
	}
	return 0;
}

static int dept_cmp(const void *a, const void *b)
{
	const struct doc_task_counts *x = a, *y = b;
	return x->department_id < y->department_id ? -1 : x->department_id > y->department_id;
}

int doc_env_task_counts(struct doc_env *e)
{
	if (e->tasks_counted)
		return 0;
	struct count_state s;
	memset(&s, 0, sizeof s);
	s.e = e;
	int rc = doc_env_depts(e);
	if (rc || (rc = doc_env_tasks_each(e, count_task, &s)))
		return rc;
	qsort(e->task_depts, e->ntask_depts, sizeof *e->task_depts, dept_cmp);
	snprintf(e->task_total.department, sizeof e->task_total.department, "%s", TR(e, "合计", "Total"));
	snprintf(e->tt_checker, sizeof e->tt_checker, "%s", s.checker);
	snprintf(e->tt_checked, sizeof e->tt_checked, "%s", s.checked_on);
	snprintf(e->tt_verifier, sizeof e->tt_verifier, "%s", s.verifier);
	snprintf(e->tt_verified, sizeof e->tt_verified, "%s", s.verified_on);
	e->tasks_counted = 1;
	return 0;
}

/* ---- Monthly trends of the key measures (from the measures engine), else of the monthly metrics ---- */

static const char *const trend_measures[] = { "resolution_rate", "sla_resolution_rate", "response_minutes_avg",
	"satisfaction_avg" };

static int trend_add(struct doc_env *e, struct doc_trend *t)
{
	struct doc_trend *n = realloc(e->trends, (e->ntrends + 1) * sizeof *n);
	if (!n)
		return nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL);
	e->trends = n;
	n[e->ntrends++] = *t;
	return 0;
}

/* The number of months of the year that have begun by today (0..12). */
static int months_begun(struct doc_env *e)
{
	if (e->year < e->today.y)
		return 12;
	if (e->year > e->today.y)
		return 0;
	return e->today.m;
}

int doc_env_trends(struct doc_env *e)
{
	if (e->trends_loaded)
		return 0;
	int months = months_begun(e), rc;
	for (size_t k = 0; k < NL_ARRAY_LEN(trend_measures); k++) {
		const struct nl_measure *m = measure_find(trend_measures[k]);
		struct doc_trend t;
		int any = 0;
		if (!m)
			continue;
		memset(&t, 0, sizeof t);
		snprintf(t.name, sizeof t.name, "%s", e->lang == NL_DOC_EN ? m->name_en : m->name);
		snprintf(t.unit, sizeof t.unit, "%s", m->unit);
		t.ratio = doc_unit_ratio(m->unit);
		for (int i = 0; i < 12; i++) {
			struct nl_period p = { NL_PERIOD_MONTH, e->year, i + 1 };
			int has = 0;
			double v = NAN, num, den;
			t.v[i] = NAN;
			t.target[i] = NAN;
			if (i >= months)
				continue;
			if ((rc = measure_value(e->ctx, m->key, 0, p, &has, &v, &num, &den)))
				return rc;
			if (has) {
				t.v[i] = v;
				any = 1;
			}
		}
		if (any && (rc = trend_add(e, &t)))
			return rc;
	}
	if (!e->ntrends) {
		/* No measure data yet: the monthly metrics' own values (actual against target). */
		if ((rc = doc_env_table(e)))
			return rc;
		size_t i;
		json_t *row;
		json_array_foreach(e->table, i, row) {
			const json_t *m = json_object_get(row, "metric");
			if (strcmp(doc_js(m, "frequency"), "month") != 0 || e->ntrends >= 6)
				continue;
			struct doc_trend t;
			int any = 0;
			memset(&t, 0, sizeof t);
			const char *en = doc_js(m, "name_en");
			snprintf(t.name, sizeof t.name, "%s %s", doc_js(m, "code"),
				e->lang == NL_DOC_EN && *en ? en : doc_js(m, "name"));
			snprintf(t.unit, sizeof t.unit, "%s", doc_js(m, "unit"));
			t.ratio = doc_unit_ratio(t.unit);
			t.from_metric = 1;
			for (int k = 0; k < 12; k++) {
				t.v[k] = NAN;
				t.target[k] = doc_jn(m, "target");
			}
			size_t j;
			json_t *v;
			json_array_foreach(json_object_get(row, "values"), j, v) {
				struct nl_period p;
				if (period_parse(doc_js(v, "period"), &p) != 0 || p.kind != NL_PERIOD_MONTH || p.year != e->year)
					continue;
				double a = doc_jn(v, "actual");
				if (isfinite(a)) {
					t.v[p.index - 1] = a;
					any = 1;
				}
				if (isfinite(doc_jn(v, "target")))
					t.target[p.index - 1] = doc_jn(v, "target");
			}
			if (any && (rc = trend_add(e, &t)))
				return rc;
		}
	}
	e->trends_loaded = 1;
	return 0;
}

/* ---- Labels ---- */

struct label {
	const char *key, *zh, *en;
};

static const char *label_of(const struct label *t, size_t n, enum nl_doc_lang lang, const char *key)
{
	if (!key)
		return "";
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].key, key))
			return lang == NL_DOC_EN ? t[i].en : t[i].zh;
	return key;
}
#define LABEL(table, lang, key) label_of(table, NL_ARRAY_LEN(table), lang, key)

static const struct label elements[] = {
	{ "people", "人员", "People" }, { "process", "过程", "Process" },
	{ "technology", "技术", "Technology" }, { "resources", "资源", "Resources" },
};
static const struct label statuses[] = {
	{ "met", "达标", "Met" }, { "warning", "预警", "Warning" }, { "missed", "未达标", "Missed" },
	{ "no_data", "无数据", "No data" },
};
static const struct label work_statuses[] = {
	{ "not_started", "未开始", "Not started" }, { "in_progress", "进行中", "In progress" }, { "done", "已完成", "Done" },
	{ "delayed", "延期", "Delayed" }, { "cancelled", "已取消", "Cancelled" },
};
static const struct label plan_statuses[] = {
	{ "draft", "草稿", "Draft" }, { "submitted", "已提交审批", "Submitted" }, { "approved", "已批准", "Approved" },
	{ "rejected", "已驳回", "Rejected" }, { "finalized", "已定稿", "Finalized" },
};
static const struct label frequencies[] = {
	{ "month", "每月", "Monthly" }, { "quarter", "每季度", "Quarterly" }, { "year", "每年", "Yearly" },
};
static const struct label directions[] = {
	{ "higher_better", "越高越好（≥）", "Higher is better (≥)" },
	{ "lower_better", "越低越好（≤）", "Lower is better (≤)" },
};
static const struct label priorities[] = {
	{ "high", "高", "High" }, { "medium", "中", "Medium" }, { "low", "低", "Low" },
};
static const struct label trends[] = {
	{ "up", "↑ 上升", "↑ up" }, { "down", "↓ 下降", "↓ down" }, { "flat", "→ 持平", "→ flat" }, { "none", "—", "—" },
};
static const struct label actions[] = {
	{ "created", "编制", "Created" }, { "meeting", "评审会议", "Review meeting" }, { "submitted", "提交审批", "Submitted" },
	{ "approved", "批准", "Approved" }, { "rejected", "驳回", "Rejected" }, { "revised", "修订", "Revised" },
};

const char *doc_element_name(enum nl_doc_lang lang, const char *element)
{
	return LABEL(elements, lang, element);
}
const char *doc_status_name(enum nl_doc_lang lang, const char *status)
{
	return status && *status ? LABEL(statuses, lang, status) : (lang == NL_DOC_EN ? "No data" : "无数据");
}
const char *doc_work_status_name(enum nl_doc_lang lang, const char *status)
{
	return LABEL(work_statuses, lang, status);
}
const char *doc_plan_status_name(enum nl_doc_lang lang, const char *status)
{
	return LABEL(plan_statuses, lang, status);
}
const char *doc_frequency_name(enum nl_doc_lang lang, const char *freq)
{
	return LABEL(frequencies, lang, freq);
}
const char *doc_direction_name(enum nl_doc_lang lang, const char *dir)
{
	return LABEL(directions, lang, dir);
}
const char *doc_priority_name(enum nl_doc_lang lang, const char *p)
{
	return LABEL(priorities, lang, p);
}
const char *doc_trend_name(enum nl_doc_lang lang, const char *trend)
{
	return trend && *trend ? LABEL(trends, lang, trend) : "—";
}
const char *doc_action_name(enum nl_doc_lang lang, const char *action)
{
	return LABEL(actions, lang, action);
}

const char *doc_source_name(enum nl_doc_lang lang, const char *source)
{
	static __thread char buf[256];
	if (!source || !strcmp(source, "manual"))
		return lang == NL_DOC_EN ? "Manual entry" : "人工录入";
	const struct nl_measure *m = measure_from_source(source);
	if (!m)
		return source;
	snprintf(buf, sizeof buf, "%s%s", lang == NL_DOC_EN ? "Measure: " : "系统度量：",
		lang == NL_DOC_EN ? m->name_en : m->name);
	return buf;
}

int doc_unit_ratio(const char *unit)
{
	return unit && (!strcmp(unit, "ratio") || !strcmp(unit, "%") || !strcmp(unit, "percent"));
}

const char *doc_unit_label(enum nl_doc_lang lang, const char *unit)
{
	static const struct label units[] = {
		{ "minutes", "分钟", "min" }, { "minute", "分钟", "min" }, { "min", "分钟", "min" },
		{ "hours", "小时", "h" }, { "hour", "小时", "h" }, { "h", "小时", "h" },
		{ "days", "天", "days" }, { "day", "天", "days" },
		{ "score", "分", "points" }, { "count", "", "" }, { "items", "项", "items" },
	};
	if (!unit || doc_unit_ratio(unit))
		return "";
	return LABEL(units, lang, unit);
}

void doc_value_text(enum nl_doc_lang lang, double v, const char *unit, char *out, size_t n)
{
	rules_value_text(v, doc_unit_ratio(unit) ? unit : doc_unit_label(lang, unit), out, n);
}

void doc_rate_text(double v, char *out, size_t n)
{
	if (!isfinite(v))
		snprintf(out, n, "—");
	else
		snprintf(out, n, "%.1f%%", v * 100.0);
}

const json_t *doc_standing_value(const json_t *row, int year)
{
	const json_t *values = json_object_get(row, "values");
	size_t n = json_array_size(values);
	struct nl_eval_value *v = n ? calloc(n, sizeof *v) : NULL;
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const json_t *x = json_array_get(values, i);
		v[i].period = doc_js(x, "period");
		v[i].has_status = json_is_string(json_object_get(x, "status"));
	}
	long k = evaluation_pick_value(v, n, year);
	free(v);
	return k >= 0 ? json_array_get(values, (size_t)k) : NULL;
}

/* ---- Record names, numbers, titles, versions ---- */

const char *documents_record_code(enum nl_doc_record r)
{
	static const char *const codes[] = { "CAP", "MP", "AT", "TT", "ER", "ALL" };
	return (unsigned)r < NL_ARRAY_LEN(codes) ? codes[r] : "";
}

const char *doc_record_name(enum nl_doc_lang lang, enum nl_doc_record r)
{
	static const char *const zh[] = { "年度服务能力管理计划", "运维服务管理目标度量计划", "运维服务管理目标度量达成表",
		"运维服务管理计划工作执行跟踪表", "年度服务能力执行效果评估报告", "年度服务能力管理记录" };
	static const char *const en[] = { "Annual Service Capability Plan", "O&M Service Management Measurement Plan",
		"O&M Service Management Target Achievement Table", "O&M Service Management Plan Execution Tracking Table",
		"Annual Service Capability Evaluation Report", "Annual Service Capability Management Records" };
	if ((unsigned)r >= NL_ARRAY_LEN(zh))
		return "";
	return lang == NL_DOC_EN ? en[r] : zh[r];
}

void doc_title(struct doc_env *e, enum nl_doc_record r, char *out, size_t n)
{
	if (e->lang == NL_DOC_EN)
		snprintf(out, n, "%s %d", doc_record_name(e->lang, r), e->year);
	else
		snprintf(out, n, "%d年度%s", e->year, doc_record_name(e->lang, r) + (r == NL_DOC_CAPABILITY_PLAN ||
			r == NL_DOC_EVALUATION || r == NL_DOC_ALL ? strlen("年度") : 0));
}

void doc_number(struct doc_env *e, enum nl_doc_record r, char *out, size_t n)
{
	if (r == NL_DOC_CAPABILITY_PLAN && e->plan && *doc_js(e->plan, "doc_number")) {
		snprintf(out, n, "%s", doc_js(e->plan, "doc_number"));
		return;
	}
	settings_doc_number_format(e->scheme, documents_record_code(r), e->year, out, n);
}

void doc_version(struct doc_env *e, enum nl_doc_record r, char *version, size_t vn, char *status, size_t sn)
{
	if (r == NL_DOC_EVALUATION) {
		snprintf(version, vn, "V1");
		snprintf(status, sn, "%s", doc_plan_status_name(e->lang, e->evaluation ? doc_js(e->evaluation, "status") : "draft"));
		return;
	}
	if (e->plan)
		snprintf(version, vn, "V%lld", (long long)doc_ji(e->plan, "version"));
	else
		snprintf(version, vn, "—");
	if (r == NL_DOC_CAPABILITY_PLAN)
		snprintf(status, sn, "%s", e->plan ? doc_plan_status_name(e->lang, doc_js(e->plan, "status"))
						   : TR(e, "尚未编制", "Not drafted yet"));
	else
		snprintf(status, sn, "%s%s", TR(e, "数据截至 ", "Data as of "), e->today_s);
}

/* ---- Signatures and change history ---- */

static void sign_set(struct doc_sign *s, int i, const char *who, const char *date)
{
	snprintf(s->who[i], sizeof s->who[i], "%s", who ? who : "");
	snprintf(s->date[i], sizeof s->date[i], "%s", date ? date : "");
}

/* The latest review meeting of the plan's current version that passed. */
static const json_t *passing_meeting(struct doc_env *e)
{
	const json_t *best = NULL;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(e->plan, "meetings"), i, m) {
		if (doc_ji(m, "plan_version") == doc_ji(e->plan, "version") && !strcmp(doc_js(m, "decision"), "pass"))
			best = m;
	}
	return best;
}

void doc_signature(struct doc_env *e, enum nl_doc_record r, struct doc_sign *s)
{
	char d[NL_DATE_STRLEN];
	memset(s, 0, sizeof *s);
	snprintf(s->role[0], sizeof s->role[0], "%s", TR(e, "编制", "Prepared by"));
	snprintf(s->role[1], sizeof s->role[1], "%s", TR(e, "审核", "Reviewed by"));
	snprintf(s->role[2], sizeof s->role[2], "%s", TR(e, "批准", "Approved by"));
	const json_t *p = e->plan;
	switch (r) {
	case NL_DOC_CAPABILITY_PLAN:
		if (!p)
			break;
		doc_date_of(e, doc_js(p, "created_at"), d);
		sign_set(s, 0, doc_js(p, "prepared_by_name"), d);
		if (passing_meeting(e))
			sign_set(s, 1, doc_js(passing_meeting(e), "recorded_by_name"), doc_js(passing_meeting(e), "held_on"));
		if (!strcmp(doc_js(p, "status"), "approved")) {
			doc_date_of(e, doc_js(p, "approved_at"), d);
			sign_set(s, 2, doc_js(p, "approved_by_name"), d);
		}
		break;
	case NL_DOC_MEASUREMENT_PLAN: {
		/* Quality leads the measurement plan (policy 4.2): the plan's tracker, dated by the latest metric change. */
		char latest[NL_DATE_STRLEN] = "";
		size_t i;
		json_t *x;
		json_array_foreach(e->metrics, i, x) {
			doc_date_of(e, doc_js(x, "updated_at"), d);
			if (strcmp(d, latest) > 0)
				snprintf(latest, sizeof latest, "%s", d);
		}
		if (p)
			sign_set(s, 0, doc_js(p, "tracker_name"), latest);
		break;
	}
	case NL_DOC_ACHIEVEMENT: {
		/* The latest recorded value (recorder) and the latest review (quality closing the periods). */
		char rec[NL_DATE_STRLEN] = "", rev[NL_DATE_STRLEN] = "";
		const char *recorder = "", *reviewer = "";
		size_t i, j;
		json_t *row, *v;
		json_array_foreach(e->table, i, row) {
			json_array_foreach(json_object_get(row, "values"), j, v) {
				doc_date_of(e, doc_js(v, "recorded_at"), d);
				if (*d && strcmp(d, rec) > 0) {
					snprintf(rec, sizeof rec, "%s", d);
					recorder = doc_js(v, "recorded_by_name");
				}
				doc_date_of(e, doc_js(v, "reviewed_at"), d);
				if (*d && strcmp(d, rev) > 0) {
					snprintf(rev, sizeof rev, "%s", d);
					reviewer = doc_js(v, "reviewed_by_name");
				}
			}
		}
		sign_set(s, 0, recorder, rec);
		sign_set(s, 1, reviewer, rev);
		break;
	}
	case NL_DOC_TRACKING:
		sign_set(s, 0, *e->tt_checker ? e->tt_checker : (p ? doc_js(p, "tracker_name") : ""), e->tt_checked);
		sign_set(s, 1, e->tt_verifier, e->tt_verified);
		break;
	case NL_DOC_EVALUATION: {
		const json_t *a = json_object_get(e->evaluation, "approval");
		doc_date_of(e, doc_js(a, "edited_at"), d);
		sign_set(s, 0, doc_js(a, "edited_by_name"), d);
		if (!strcmp(doc_js(e->evaluation, "status"), "finalized")) {
			doc_date_of(e, doc_js(a, "finalized_at"), d);
			sign_set(s, 2, doc_js(a, "finalized_by_name"), d);
		}
		break;
	}
	default:
		break;
	}
}

void doc_changes(struct doc_env *e, enum nl_doc_record r, struct doc_change *out, size_t max, size_t *n)
{
	*n = 0;
	if (r == NL_DOC_EVALUATION) {
		const json_t *a = json_object_get(e->evaluation, "approval");
		if (!max || !e->evaluation)
			return;
		struct doc_change *c = &out[(*n)++];
		memset(c, 0, sizeof *c);
		snprintf(c->version, sizeof c->version, "V1");
		doc_date_of(e, *doc_js(a, "edited_at") ? doc_js(a, "edited_at") : doc_js(e->evaluation, "generated_at"), c->date);
		snprintf(c->change, sizeof c->change, "%s", !strcmp(doc_js(e->evaluation, "status"), "finalized")
			? TR(e, "评估报告编制并定稿", "Report drafted and finalized") : TR(e, "评估报告草稿", "Draft report"));
		snprintf(c->author, sizeof c->author, "%s", doc_js(a, "edited_by_name"));
		snprintf(c->approver, sizeof c->approver, "%s", doc_js(a, "finalized_by_name"));
		doc_date_of(e, doc_js(a, "finalized_at"), c->approved);
		return;
	}
	size_t i;
	json_t *h;
	json_array_foreach(e->history, i, h) {
		const char *act = doc_js(h, "action");
		if (strcmp(act, "created") != 0 && strcmp(act, "revised") != 0)
			continue;
		if (*n >= max)
			break;
		struct doc_change *c = &out[(*n)++];
		memset(c, 0, sizeof *c);
		int64_t v = doc_ji(h, "version");
		snprintf(c->version, sizeof c->version, "V%lld", (long long)v);
		doc_date_of(e, doc_js(h, "at"), c->date);
		const char *comment = doc_js(h, "comment");
		if (!strcmp(act, "created"))
			snprintf(c->change, sizeof c->change, "%s", *comment ? comment : TR(e, "初版编制", "First issue"));
		else
			snprintf(c->change, sizeof c->change, "%s", *comment ? comment : TR(e, "修订", "Revised"));
		snprintf(c->author, sizeof c->author, "%s", doc_js(h, "by"));
		size_t k;
		json_t *ver;
		json_array_foreach(e->versions, k, ver) {
			if (doc_ji(ver, "version") == v) {
				snprintf(c->approver, sizeof c->approver, "%s", doc_js(ver, "approved_by_name"));
				doc_date_of(e, doc_js(ver, "approved_at"), c->approved);
			}
		}
	}
}
