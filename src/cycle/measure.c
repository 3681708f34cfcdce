/* measure.c — the catalogue of built-in measures and measure_value(): the ticket, SLA, satisfaction and complaint
 * measures come from the measures engine (src/kpi/kpi_engine.h); the people and partner measures have no records yet
 * and answer "no value", never a number they cannot back. */
#include "cycle/measure.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "improvement/improvement.h"
#include "kpi/kpi_engine.h"
#include "partners/partner_measure.h"
#include "people/people_measure.h"

#include <pthread.h>
#include "core/common.h"

#define HB "higher_better"
#define LB "lower_better"

/* DESIGN.md "Measures", in its order. A period belongs to the ticket's opened time. */
static const struct nl_measure catalogue[] = {
	{ "tickets", "count", "工单量", "Tickets opened", NULL,
		"期间内新开的工单数", "tickets opened in the period" },
	{ "resolution_rate", "ratio", "工单解决率", "Resolution rate", HB,
		"期间内新开工单中已解决的 ÷ 期间内新开的工单", "resolved ÷ opened (tickets opened in the period)" },
	{ "first_contact_resolution_rate", "ratio", "一次解决率", "First-contact resolution rate", HB,
		"未经转派即解决的工单 ÷ 已解决的工单", "resolved with no reassignment ÷ resolved" },
	{ "response_minutes_avg", "minutes", "平均响应时长", "Average response time", LB,
		"首次响应时间 − 开单时间的平均值（分钟）", "mean of first response − opened, in minutes" },
	{ "response_minutes_p90", "minutes", "响应时长P90", "Response time, 90th percentile", LB,
		"首次响应时间 − 开单时间的第90百分位（最近秩法，分钟）",
		"90th percentile (nearest rank) of first response − opened, in minutes" },
	{ "resolution_hours_avg", "hours", "平均解决时长", "Average resolution time", LB,
		"解决时间 − 开单时间的平均值（小时）", "mean of resolved − opened, in hours" },
	{ "resolution_hours_p90", "hours", "解决时长P90", "Resolution time, 90th percentile", LB,
		"解决时间 − 开单时间的第90百分位（最近秩法，小时）",
		"90th percentile (nearest rank) of resolved − opened, in hours" },
	{ "wait_minutes_avg", "minutes", "平均排队时长", "Average wait time", LB,
		"派单时间 − 开单时间的平均值（排队时间，分钟）", "mean of assigned − opened (time in queue), in minutes" },
	{ "sla_response_rate", "ratio", "响应SLA达成率", "SLA response attainment", HB,
		"按工单SLA策略（工作时间、节假日与调休、暂停状态）响应达标的 ÷ 参与计量的",
		"met ÷ measured, by the ticket's SLA policy in business time" },
	{ "sla_resolution_rate", "ratio", "解决SLA达成率", "SLA resolution attainment", HB,
		"按工单SLA策略（工作时间、节假日与调休、暂停状态）解决达标的 ÷ 参与计量的",
		"met ÷ measured, by the ticket's SLA policy in business time" },
	{ "sla_source_rate", "ratio", "源系统SLA达成率", "SLA attainment reported by the source system", HB,
		"源系统判定SLA达标的工单 ÷ 有此判定的工单（导入数据）",
		"tickets whose source system says the SLA was made ÷ tickets with such a verdict (imports)" },
	{ "reopen_rate", "ratio", "重开率", "Reopen rate", LB,
		"至少重开一次的工单 ÷ 已解决的工单", "tickets reopened at least once ÷ resolved" },
	{ "satisfaction_avg", "score", "平均满意度", "Average satisfaction", HB,
		"满意度评分（1–5）的平均值", "mean rating (1–5)" },
	{ "satisfied_rate", "ratio", "满意率", "Satisfied rate", HB,
		"评分为4–5的评价 ÷ 全部评价", "ratings of 4–5 ÷ ratings" },
	{ "complaint_rate", "ratio", "投诉率", "Complaint rate", LB,
		"投诉数 ÷ 工单数", "complaints ÷ tickets" },
	{ "valid_complaint_rate", "ratio", "有效投诉率", "Valid complaint rate", LB,
		"经核实有效的投诉 ÷ 投诉", "valid ÷ complaints" },
	{ "complaint_answered_in_time_rate", "ratio", "投诉及时答复率", "Complaints answered in time", HB,
		"在期限内答复的投诉 ÷ 投诉", "answered within the deadline ÷ complaints" },
	{ "partner_score_avg", "score", "供方平均得分", "Average partner score", HB,
		"期间内供方/代理商考核总分（0–100）的平均值", "mean total score (0–100) of the partner assessments of the period" },
	{ "innovations", "count", "创新提案数", "Innovation proposals", HB,
		"期间内提出的创新提案数", "innovation proposals made in the period" },
	{ "innovation_pilots", "count", "创新试点数", "Innovation pilots", HB,
		"期间内进入试点的创新提案数", "innovation proposals that started a pilot in the period" },
	{ "innovations_adopted", "count", "创新采纳数", "Innovations adopted", HB,
		"期间内转为采纳状态的创新提案数", "innovation proposals adopted in the period" },
};

/* The whole catalogue: the records' measures above, then the people room's (src/people/people_measure.h), built once. */
static const struct nl_measure *all[64];
static size_t all_count;
static pthread_once_t all_once = PTHREAD_ONCE_INIT;

static void all_build(void)
{
	size_t np = 0;
	const struct nl_measure *people = people_measure_catalogue(&np);
	for (size_t i = 0; i < NL_ARRAY_LEN(catalogue) && all_count < NL_ARRAY_LEN(all); i++) {
		if (!strcmp(catalogue[i].key, "partner_score_avg"))
			for (size_t j = 0; j < np && all_count < NL_ARRAY_LEN(all); j++)
				all[all_count++] = &people[j];   /* the people measures sit before the partner and innovation ones */
		all[all_count++] = &catalogue[i];
	}
}

size_t measure_count(void)
{
	pthread_once(&all_once, all_build);
	return all_count;
}

const struct nl_measure *measure_at(size_t i)
{
	return i < measure_count() ? all[i] : NULL;
}

const struct nl_measure *measure_find(const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < measure_count(); i++)
		if (!strcmp(all[i]->key, key))
			return all[i];
	return NULL;
}

const struct nl_measure *measure_from_source(const char *source)
{
	size_t n = strlen(NL_MEASURE_SOURCE_PREFIX);
	if (!source || strncmp(source, NL_MEASURE_SOURCE_PREFIX, n) != 0)
		return NULL;
	return measure_find(source + n);
}

json_t *measure_catalogue_json(void)
{
	json_t *a = json_array();
	if (!a)
		return NULL;
	for (size_t i = 0; i < measure_count(); i++) {
		const struct nl_measure *m = all[i];
		char source[96];
		snprintf(source, sizeof source, NL_MEASURE_SOURCE_PREFIX "%s", m->key);
		json_t *o = json_object();
		json_set_str(o, "key", m->key);
		json_set_str(o, "source", source);
		json_set_str(o, "name", m->name);
		json_set_str(o, "name_en", m->name_en);
		json_set_str(o, "unit", m->unit);
		json_set_str(o, "direction", m->direction);
		json_set_str(o, "definition", m->definition);
		json_set_str(o, "definition_en", m->definition_en);
		if (json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

int measure_value(struct nl_ctx *ctx, const char *key, int64_t department_id, struct nl_period p, int *has_value,
	double *value, double *numerator, double *denominator)
{
	struct nl_date first, last;
	struct kpi_values v;
	*has_value = 0;
	*value = NAN;
	*numerator = NAN;
	*denominator = NAN;
	if (!measure_find(key))
		return nl_fail(ctx->err, NL_EVALID, "source", "Unknown measure \"%.60s\".", key ? key : "");
	if (!period_valid(p) || period_first_date(p, &first) || period_last_date(p, &last))
		return nl_fail(ctx->err, NL_EVALID, "period", "Not a valid period.");
	int m = kpi_measure_index(key);
	if (m < 0) {
		/* the people, partner and improvement rooms compute their own measures from their records */
		if (people_measure_known(key))
			return people_measure(ctx, key, department_id, p, has_value, value, numerator, denominator);
		if (improvement_measure_known(key))
			return improvement_measure(ctx, key, department_id, p, has_value, value, numerator, denominator);
		if (!strcmp(key, "partner_score_avg"))
			return partner_measure(ctx, key, department_id, p, has_value, value, numerator, denominator);
		return 0;
	}
	int rc = kpi_values_get(ctx, department_id == 0, department_id, first, last, &v);
	if (rc)
		return rc;
	if (v.present & (1u << m)) {
		*has_value = 1;
		*value = v.value[m];
		*numerator = v.num[m];
		*denominator = v.den[m];
	}
	return 0;
}
