/* doc_content.c — what each of the five records says, in the order auditors expect it (DESIGN.md "The records, field by
 * field"), emitted once through the writer interface (docInt.h) and rendered by the PDF and DOCX writers. Every number
 * comes from the domain modules' JSON; every label is in the document's language (TR). */
#include "documents/docInt.h"

#include "cycle/period.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define CALL(x) \
	do { \
		if ((rc = (x))) \
			goto out; \
	} while (0)

static const char *const element_keys[4] = { "people", "process", "technology", "resources" };

/* "一、" … for Chinese section numbers, "1 " … for English. */
static void section_title(struct doc_env *e, int n, const char *title, char *out, size_t len)
{
	static const char *const zh[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二" };
	if (e->lang == NL_DOC_EN || n < 1 || n > (int)NL_ARRAY_LEN(zh))
		snprintf(out, len, "%d  %s", n, title);
	else
		snprintf(out, len, "%s、%s", zh[n - 1], title);
}

static int h1(struct doc_writer *w, int n, const char *title)
{
	char t[1100];
	section_title(w->env, n, title, t, sizeof t);
	return w->ops->heading(w, 1, t);
}

static int h2(struct doc_writer *w, int n1, int n2, const char *title)
{
	char t[1100];
	snprintf(t, sizeof t, "%d.%d  %s", n1, n2, title);
	return w->ops->heading(w, 2, t);
}

/* A paragraph, or a muted "(none)" when the text is empty. */
static int para_or_none(struct doc_writer *w, const char *text)
{
	struct doc_env *e = w->env;
	if (text && *text)
		return w->ops->para(w, text, DOC_P_BODY);
	return w->ops->para(w, TR(e, "（无）", "(none)"), DOC_P_NOTE);
}

/* A table with the cells given as strings (tone 0). */
static int row_texts(struct doc_writer *w, size_t n, const char *const *texts, int row_tone)
{
	struct doc_cell c[24];
	memset(c, 0, sizeof c);
	for (size_t i = 0; i < n && i < NL_ARRAY_LEN(c); i++)
		c[i].text = texts[i] ? texts[i] : "";
	return w->ops->table_row(w, c, row_tone);
}

static int tone_of_status(const char *status)
{
	if (!status || !*status)
		return DOC_TONE_NONE;
	if (!strcmp(status, "met"))
		return DOC_TONE_MET;
	if (!strcmp(status, "warning"))
		return DOC_TONE_WARNING;
	if (!strcmp(status, "missed"))
		return DOC_TONE_MISSED;
	return DOC_TONE_NONE;
}

void doc_meta_fill(struct doc_env *e, enum nl_doc_record r, struct doc_meta *m)
{
	memset(m, 0, sizeof *m);
	m->record = r;
	doc_title(e, r, m->title, sizeof m->title);
	doc_number(e, r, m->doc_number, sizeof m->doc_number);
	doc_version(e, r, m->version, sizeof m->version, m->status, sizeof m->status);
	m->landscape = r == NL_DOC_MEASUREMENT_PLAN || r == NL_DOC_ACHIEVEMENT || r == NL_DOC_TRACKING;
	if (r == NL_DOC_CAPABILITY_PLAN && e->plan && !strcmp(doc_js(e->plan, "status"), "approved"))
		doc_date_of(e, doc_js(e->plan, "approved_at"), m->issued);
	else if (r == NL_DOC_EVALUATION && e->evaluation && !strcmp(doc_js(e->evaluation, "status"), "finalized"))
		doc_date_of(e, doc_js(json_object_get(e->evaluation, "approval"), "finalized_at"), m->issued);
	doc_signature(e, r, &m->sign);
}

/* The 变更履历 table that opens the body of every record. */
static int emit_changes(struct doc_writer *w, enum nl_doc_record r)
{
	struct doc_env *e = w->env;
	struct doc_change *ch = calloc(64, sizeof *ch);
	size_t n = 0;
	int rc = 0;
	if (!ch)
		return nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL);
	doc_changes(e, r, ch, 64, &n);
	const struct doc_col cols[] = {
		{ TR(e, "版本", "Version"), 0.6, DOC_CENTER }, { TR(e, "日期", "Date"), 1.15, DOC_CENTER },
		{ TR(e, "变更内容", "Change"), 3.6, DOC_LEFT }, { TR(e, "编写人", "Author"), 2.0, DOC_LEFT },
		{ TR(e, "批准人", "Approver"), 1.6, DOC_LEFT }, { TR(e, "批准日期", "Approved on"), 1.15, DOC_CENTER },
	};
	CALL(w->ops->heading(w, 1, TR(e, "变更履历", "Change history")));
	CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
	for (size_t i = 0; i < n; i++) {
		const char *t[] = { ch[i].version, ch[i].date, ch[i].change, ch[i].author, ch[i].approver, ch[i].approved };
		CALL(row_texts(w, NL_ARRAY_LEN(t), t, 0));
	}
	if (!n) {
		const char *t[] = { "—", "", TR(e, "（尚无版本记录）", "(no versions yet)"), "", "", "" };
		CALL(row_texts(w, NL_ARRAY_LEN(t), t, 0));
	}
	CALL(w->ops->table_end(w));
out:
	free(ch);
	return rc;
}

/* The metric code of an id among the year's metrics ("" when unknown). */
static const char *metric_code(struct doc_env *e, int64_t id)
{
	size_t i;
	json_t *m;
	json_array_foreach(e->metrics, i, m) {
		if (doc_ji(m, "id") == id)
			return doc_js(m, "code");
	}
	return "";
}

/* A metric's name in the document's language (its English name when there is one), else fallback. */
static const char *metric_name(struct doc_env *e, int64_t id, const char *fallback)
{
	size_t i;
	json_t *m;
	json_array_foreach(e->metrics, i, m) {
		if (doc_ji(m, "id") == id) {
			const char *en = doc_js(m, "name_en");
			return e->lang == NL_DOC_EN && *en ? en : doc_js(m, "name");
		}
	}
	return fallback ? fallback : "";
}

/* The name of a plan item's sub-area in the document's language ("" when there is no such item). */
static const char *item_area_name(struct doc_env *e, int64_t item_id)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(e->plan, "items"), i, it) {
		if (doc_ji(it, "id") == item_id) {
			const char *en = doc_js(it, "area_name_en");
			return e->lang == NL_DOC_EN && *en ? en : doc_js(it, "area_name");
		}
	}
	return "";
}

/* ---- The annual capability plan ---- */

static int emit_plan(struct doc_writer *w)
{
	struct doc_env *e = w->env;
	const json_t *p = e->plan;
	int rc = 0;
	char buf[1024];
	if (!p)
		return w->ops->para(w, TR(e, "本年度尚未编制服务能力管理计划。", "No capability plan has been drafted for this year."),
			DOC_P_BODY);
	CALL(h1(w, 1, TR(e, "上年度回顾", "Review of the previous year")));
	CALL(h2(w, 1, 1, TR(e, "目标与实际", "Targets and actuals")));
	CALL(para_or_none(w, doc_js(p, "review_achievements")));
	CALL(h2(w, 1, 2, TR(e, "存在的问题", "Problems")));
	CALL(para_or_none(w, doc_js(p, "review_problems")));
	CALL(h2(w, 1, 3, TR(e, "结转事项", "Carried-over items")));
	CALL(para_or_none(w, doc_js(p, "review_carryover")));

	CALL(h1(w, 2, TR(e, "年度服务能力规划", "Capability planning for the year")));
	const json_t *cov = json_object_get(p, "coverage");
	long counts[4];
	double vals[4];
	const char *cats[4];
	for (int k = 0; k < 4; k++) {
		counts[k] = (long)doc_ji(cov, element_keys[k]);
		vals[k] = (double)counts[k];
		cats[k] = doc_element_name(e->lang, element_keys[k]);
	}
	snprintf(buf, sizeof buf, TR(e, "本计划按人员、过程、技术、资源四个要素规划本年度的服务能力，共 %ld 项计划事项（人员 %ld 项、过程 %ld 项、技术 %ld 项、资源 %ld 项），每项明确现状、目标、措施、责任部门和责任人、完成日期及所需资源。",
		"The plan covers the four elements people, process, technology and resources with %ld items (people %ld, process %ld, technology %ld, resources %ld); each states the current state, the goal, the actions, the owner department and person, the due date and the resources."),
		counts[0] + counts[1] + counts[2] + counts[3], counts[0], counts[1], counts[2], counts[3]);
	CALL(w->ops->para(w, buf, DOC_P_BODY));
	const char *series[] = { TR(e, "计划事项", "Plan items") };
	struct doc_chart ch = { .kind = DOC_CHART_BARS, .title = TR(e, "计划事项按要素分布", "Plan items by element"),
		.ncat = 4, .cats = cats, .nseries = 1, .series = series, .values = vals, .unit = TR(e, "项", "items") };
	CALL(w->ops->chart(w, &ch));
	const struct doc_col cols[] = {
		{ TR(e, "子领域", "Sub-area"), 1.1, DOC_LEFT }, { TR(e, "现状", "Current state"), 2.0, DOC_LEFT },
		{ TR(e, "目标", "Goal"), 2.1, DOC_LEFT }, { TR(e, "措施", "Actions"), 2.5, DOC_LEFT },
		{ TR(e, "责任部门 / 责任人", "Owner"), 1.5, DOC_LEFT }, { TR(e, "完成日期", "Due"), 1.45, DOC_CENTER },
		{ TR(e, "资源 / 预算", "Resources / budget"), 1.15, DOC_LEFT }, { TR(e, "关联指标", "Metrics"), 1.35, DOC_LEFT },
	};
	for (int k = 0; k < 4; k++) {
		snprintf(buf, sizeof buf, "%s%s%ld%s", doc_element_name(e->lang, element_keys[k]), TR(e, "（", " ("), counts[k],
			TR(e, " 项）", " items)"));
		CALL(h2(w, 2, k + 1, buf));
		int any = 0;
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(p, "items"), i, it) {
			if (strcmp(doc_js(it, "element"), element_keys[k]) != 0)
				continue;
			if (!any)
				CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
			any = 1;
			char owner[400], codes[400] = "";
			const char *dn = doc_js(it, "owner_department_name"), *un = doc_js(it, "owner_user_name");
			snprintf(owner, sizeof owner, "%s%s%s", dn, *dn && *un ? "\n" : "", un);
			size_t j;
			json_t *mid;
			json_array_foreach(json_object_get(it, "metric_ids"), j, mid) {
				size_t l = strlen(codes);
				snprintf(codes + l, sizeof codes - l, "%s%s", l ? "\n" : "", metric_code(e, json_integer_value(mid)));
			}
			const char *en_area = doc_js(it, "area_name_en");
			const char *t[] = { e->lang == NL_DOC_EN && *en_area ? en_area : doc_js(it, "area_name"),
				doc_js(it, "current_state"), doc_js(it, "objective"), doc_js(it, "measures"), owner,
				doc_js(it, "due_date"), doc_js(it, "budget"), codes };
			CALL(row_texts(w, NL_ARRAY_LEN(t), t, 0));
		}
		if (any)
			CALL(w->ops->table_end(w));
		else
			CALL(w->ops->para(w, TR(e, "（本要素无计划事项）", "(no items in this element)"), DOC_P_NOTE));
	}

	CALL(h1(w, 3, TR(e, "执行跟踪计划", "Tracking plan")));
	const struct doc_col kv[] = { { TR(e, "项目", "Item"), 1.2, DOC_LEFT }, { TR(e, "内容", "Content"), 5.0, DOC_LEFT } };
	CALL(w->ops->table_begin(w, kv, 2));
	{
		const char *t1[] = { TR(e, "跟踪频率", "Frequency"), doc_frequency_name(e->lang, doc_js(p, "tracking_frequency")) };
		const char *t2[] = { TR(e, "检查点", "Checkpoints"), doc_js(p, "tracking_checkpoints") };
		const char *t3[] = { TR(e, "跟踪人", "Tracker"), doc_js(p, "tracker_name") };
		const char *t4[] = { TR(e, "跟踪方式", "Method"), doc_js(p, "tracking_plan") };
		CALL(row_texts(w, 2, t1, 0));
		CALL(row_texts(w, 2, t2, 0));
		CALL(row_texts(w, 2, t3, 0));
		CALL(row_texts(w, 2, t4, 0));
	}
	CALL(w->ops->table_end(w));

	CALL(h1(w, 4, TR(e, "评审与审批", "Review and approval")));
	CALL(h2(w, 4, 1, TR(e, "评审会议", "Review meetings")));
	const struct doc_col mc[] = {
		{ TR(e, "日期", "Date"), 1.1, DOC_CENTER }, { TR(e, "版本", "Version"), 0.6, DOC_CENTER },
		{ TR(e, "参加人员", "Attendees"), 2.4, DOC_LEFT }, { TR(e, "会议纪要", "Minutes"), 4.2, DOC_LEFT },
		{ TR(e, "结论", "Decision"), 0.9, DOC_CENTER },
	};
	CALL(w->ops->table_begin(w, mc, NL_ARRAY_LEN(mc)));
	{
		size_t i;
		json_t *m;
		json_array_foreach(json_object_get(p, "meetings"), i, m) {
			char v[16];
			snprintf(v, sizeof v, "V%lld", (long long)doc_ji(m, "plan_version"));
			int pass = !strcmp(doc_js(m, "decision"), "pass");
			struct doc_cell c[5] = { { doc_js(m, "held_on"), 0, 0 }, { v, 0, 0 }, { doc_js(m, "attendees"), 0, 0 },
				{ doc_js(m, "minutes"), 0, 0 },
				{ pass ? TR(e, "通过", "Pass") : TR(e, "修改后再审", "Revise"), pass ? DOC_TONE_MET : DOC_TONE_WARNING, 0 } };
			CALL(w->ops->table_row(w, c, 0));
		}
	}
	CALL(w->ops->table_end(w));
	CALL(h2(w, 4, 2, TR(e, "审批记录", "Approval record")));
	const struct doc_col ac[] = {
		{ TR(e, "日期", "Date"), 1.1, DOC_CENTER }, { TR(e, "版本", "Version"), 0.6, DOC_CENTER },
		{ TR(e, "事项", "Action"), 1.0, DOC_CENTER }, { TR(e, "人员", "By"), 2.0, DOC_LEFT },
		{ TR(e, "意见", "Comment"), 4.5, DOC_LEFT },
	};
	CALL(w->ops->table_begin(w, ac, NL_ARRAY_LEN(ac)));
	{
		size_t i;
		json_t *h;
		json_array_foreach(e->history, i, h) {
			const char *a = doc_js(h, "action");
			if (strcmp(a, "submitted") && strcmp(a, "approved") && strcmp(a, "rejected"))
				continue;
			char d[NL_DATE_STRLEN], v[16];
			doc_date_of(e, doc_js(h, "at"), d);
			snprintf(v, sizeof v, "V%lld", (long long)doc_ji(h, "version"));
			struct doc_cell c[5] = { { d, 0, 0 }, { v, 0, 0 },
				{ doc_action_name(e->lang, a), !strcmp(a, "approved") ? DOC_TONE_MET : !strcmp(a, "rejected") ? DOC_TONE_MISSED : 0, 0 },
				{ doc_js(h, "by"), 0, 0 }, { doc_js(h, "comment"), 0, 0 } };
			CALL(w->ops->table_row(w, c, 0));
		}
	}
	CALL(w->ops->table_end(w));
out:
	return rc;
}

/* ---- The measurement plan ---- */

static int emit_measurement_plan(struct doc_writer *w)
{
	struct doc_env *e = w->env;
	int rc = 0;
	char buf[1024];
	long per[4] = { 0, 0, 0, 0 }, total = 0;
	size_t i;
	json_t *m;
	json_array_foreach(e->metrics, i, m) {
		for (int k = 0; k < 4; k++)
			if (!strcmp(doc_js(m, "element"), element_keys[k]))
				per[k]++;
		total++;
	}
	CALL(h1(w, 1, TR(e, "说明", "Introduction")));
	snprintf(buf, sizeof buf, TR(e, "依据《服务能力管理制度》第 4.2 条，质量管理部牵头，会同人力资源部和 IT 运维事业部制定本年度运维服务管理目标度量计划，共 %ld 项指标（人员 %ld 项、过程 %ld 项、技术 %ld 项、资源 %ld 项）。各指标的达成情况记录在《运维服务管理目标度量达成表》中。",
		"Under policy 4.2, Quality, with HR and IT O&M, sets this year's measurement plan: %ld metrics (people %ld, process %ld, technology %ld, resources %ld). Their achievement is recorded in the target achievement table."),
		total, per[0], per[1], per[2], per[3]);
	CALL(w->ops->para(w, buf, DOC_P_BODY));
	CALL(h1(w, 2, TR(e, "度量指标", "Metrics")));
	const struct doc_col cols[] = {
		{ TR(e, "编号", "Code"), 1.3, DOC_LEFT }, { TR(e, "指标名称", "Metric"), 1.5, DOC_LEFT },
		{ TR(e, "定义及计算公式", "Definition and formula"), 3.0, DOC_LEFT }, { TR(e, "单位", "Unit"), 0.6, DOC_CENTER },
		{ TR(e, "方向", "Direction"), 1.0, DOC_CENTER }, { TR(e, "目标值", "Target"), 0.85, DOC_RIGHT },
		{ TR(e, "预警值", "Warning"), 0.85, DOC_RIGHT }, { TR(e, "频率", "Frequency"), 0.7, DOC_CENTER },
		{ TR(e, "数据来源", "Data source"), 1.3, DOC_LEFT }, { TR(e, "度量方法", "Method"), 2.2, DOC_LEFT },
		{ TR(e, "责任部门", "Owner"), 1.2, DOC_LEFT },
	};
	for (int k = 0; k < 4; k++) {
		snprintf(buf, sizeof buf, "%s%s%ld%s", doc_element_name(e->lang, element_keys[k]), TR(e, "（", " ("), per[k],
			TR(e, " 项）", " metrics)"));
		CALL(h2(w, 2, k + 1, buf));
		if (!per[k]) {
			CALL(w->ops->para(w, TR(e, "（本要素无指标）", "(no metrics in this element)"), DOC_P_NOTE));
			continue;
		}
		CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
		json_array_foreach(e->metrics, i, m) {
			if (strcmp(doc_js(m, "element"), element_keys[k]) != 0)
				continue;
			char def[4200], tgt[64], warn[64], unit[64];
			const char *formula = doc_js(m, "formula");
			snprintf(def, sizeof def, "%s%s%s%s", doc_js(m, "definition"), *formula ? "\n" : "",
				*formula ? TR(e, "公式：", "Formula: ") : "", formula);
			doc_value_text(e->lang, doc_jn(m, "target"), doc_js(m, "unit"), tgt, sizeof tgt);
			doc_value_text(e->lang, doc_jn(m, "warning"), doc_js(m, "unit"), warn, sizeof warn);
			const char *ul = doc_unit_label(e->lang, doc_js(m, "unit"));
			snprintf(unit, sizeof unit, "%s", doc_unit_ratio(doc_js(m, "unit")) ? "%" : *ul ? ul : TR(e, "个", "count"));
			const char *en = doc_js(m, "name_en");
			const char *t[] = { doc_js(m, "code"), e->lang == NL_DOC_EN && *en ? en : doc_js(m, "name"), def, unit,
				doc_direction_name(e->lang, doc_js(m, "direction")), tgt, warn,
				doc_frequency_name(e->lang, doc_js(m, "frequency")), doc_source_name(e->lang, doc_js(m, "source")),
				doc_js(m, "method"), doc_dept_name(e, doc_ji(m, "owner_department_id")) };
			CALL(row_texts(w, NL_ARRAY_LEN(t), t, 0));
		}
		CALL(w->ops->table_end(w));
	}
out:
	return rc;
}

/* ---- Charts shared by the achievement table and the evaluation ---- */

/* Achievement per metric: the standing rate of each metric of the achievement table (bars by status, 100 % line). */
static int chart_achievement(struct doc_writer *w)
{
	struct doc_env *e = w->env;
	size_t n = json_array_size(e->table), k = 0;
	int rc = 0;
	if (!n)
		return 0;
	const char **cats = calloc(n, sizeof *cats);
	double *vals = calloc(n, sizeof *vals);
	int *tones = calloc(n, sizeof *tones);
	char (*names)[160] = calloc(n, sizeof *names);
	if (!cats || !vals || !tones || !names) {
		rc = nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	size_t i;
	json_t *row;
	json_array_foreach(e->table, i, row) {
		const json_t *m = json_object_get(row, "metric");
		const json_t *v = doc_standing_value(row, e->year);
		const char *en = doc_js(m, "name_en");
		snprintf(names[k], sizeof names[k], "%s", e->lang == NL_DOC_EN && *en ? en : doc_js(m, "name"));
		cats[k] = names[k];
		vals[k] = v ? doc_jn(v, "rate") : NAN;
		tones[k] = v ? tone_of_status(doc_js(v, "status")) : DOC_TONE_MUTED;
		k++;
	}
	const char *series[] = { TR(e, "达成率", "Achievement") };
	struct doc_chart ch = { .kind = DOC_CHART_BARS, .title = TR(e, "各指标年度达成率（目标 = 100%）",
		"Achievement per metric (target = 100%)"), .ratio = 1, .ncat = k, .cats = cats, .nseries = 1, .series = series,
		.values = vals, .tones = tones, .has_target = 1, .target = 1.0, .target_label = TR(e, "目标", "Target") };
	rc = w->ops->chart(w, &ch);
out:
	free(cats);
	free(vals);
	free(tones);
	free(names);
	return rc;
}

/* Monthly trends: one line chart per key measure (or per monthly metric when the measures have no data). */
static int chart_trends(struct doc_writer *w)
{
	struct doc_env *e = w->env;
	int rc = doc_env_trends(e);
	static const char *const months_zh[12] = { "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月",
		"11月", "12月" };
	static const char *const months_en[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
		"Nov", "Dec" };
	if (rc)
		return rc;
	if (!e->ntrends)
		return w->ops->para(w, TR(e, "本年度尚无月度数据。", "No monthly data for this year yet."), DOC_P_NOTE);
	CALL(w->ops->para(w, e->trends[0].from_metric
		? TR(e, "度量引擎尚无本年度的工单数据，下图按月度指标的达成表数值绘制（虚线为目标值）。",
			"The measures engine has no ticket data for this year yet: the charts show the monthly metrics' recorded values (dashed: target).")
		: TR(e, "下图为度量引擎按月计算的关键度量（全组织）。", "Key measures per month from the measures engine (whole organisation)."),
		DOC_P_NOTE));
	for (size_t i = 0; i < e->ntrends; i++) {
		struct doc_trend *t = &e->trends[i];
		const char *series[] = { t->name };
		int has_t = 0;
		for (int k = 0; k < 12; k++)
			has_t |= isfinite(t->target[k]);
		struct doc_chart ch = { .kind = DOC_CHART_LINE, .title = t->name, .ratio = t->ratio,
			.unit = doc_unit_label(e->lang, t->unit), .ncat = 12,
			.cats = e->lang == NL_DOC_EN ? months_en : months_zh, .nseries = 1, .series = series, .values = t->v,
			.targets = has_t ? t->target : NULL, .target_label = TR(e, "目标", "Target") };
		CALL(w->ops->chart(w, &ch));
	}
out:
	return rc;
}

/* Work-item completion by department (stacked bars) from counts. */
static int chart_completion(struct doc_writer *w, const struct doc_task_counts *c, size_t n)
{
	struct doc_env *e = w->env;
	int rc = 0;
	if (!n)
		return 0;
	const char **cats = calloc(n, sizeof *cats);
	double *v = calloc(n * 5, sizeof *v);
	if (!cats || !v) {
		rc = nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		cats[i] = c[i].department;
		v[0 * n + i] = (double)c[i].on_time;
		v[1 * n + i] = (double)c[i].late;
		v[2 * n + i] = (double)(c[i].open - c[i].overdue);
		v[3 * n + i] = (double)c[i].overdue;
		v[4 * n + i] = (double)c[i].cancelled;
	}
	const char *series[5] = { TR(e, "按期完成", "Done on time"), TR(e, "延期完成", "Done late"),
		TR(e, "进行中", "Open"), TR(e, "逾期未完成", "Overdue"), TR(e, "已取消", "Cancelled") };
	static const int tones[5] = { DOC_TONE_MET, DOC_TONE_WARNING, DOC_TONE_OPEN, DOC_TONE_MISSED, DOC_TONE_MUTED };
	struct doc_chart ch = { .kind = DOC_CHART_STACKED, .title = TR(e, "各部门工作项完成情况", "Work-item completion by department"),
		.ncat = n, .cats = cats, .nseries = 5, .series = series, .values = v, .tones = tones, .unit = TR(e, "项", "items") };
	rc = w->ops->chart(w, &ch);
out:
	free(cats);
	free(v);
	return rc;
}

/* ---- The achievement table ---- */

static int emit_achievement(struct doc_writer *w)
{
	struct doc_env *e = w->env;
	int rc = 0;
	char buf[1024];
	long met = 0, warn = 0, missed = 0, none = 0;
	size_t i, j;
	json_t *row, *v;
	json_array_foreach(e->table, i, row) {
		const json_t *s = doc_standing_value(row, e->year);
		const char *st = s ? doc_js(s, "status") : "";
		met += !strcmp(st, "met");
		warn += !strcmp(st, "warning");
		missed += !strcmp(st, "missed");
		none += !*st;
	}
	CALL(h1(w, 1, TR(e, "达成概况", "Summary")));
	snprintf(buf, sizeof buf, TR(e, "本年度共 %zu 项指标（截至 %s）：达标 %ld 项，预警 %ld 项，未达标 %ld 项，无数据 %ld 项。指标的年度状态取年度值，无年度值时取年内最近一期的值。",
		"%zu metrics this year (as of %s): %ld met, %ld warning, %ld missed, %ld without data. A metric's standing is its value for the year, else its latest period's."),
		json_array_size(e->table), e->today_s, met, warn, missed, none);
	CALL(w->ops->para(w, buf, DOC_P_BODY));
	CALL(chart_achievement(w));
	CALL(h1(w, 2, TR(e, "月度趋势", "Monthly trends")));
	CALL(chart_trends(w));
	CALL(h1(w, 3, TR(e, "达成明细", "Values by period")));
	const struct doc_col cols[] = {
		{ TR(e, "编号", "Code"), 1.2, DOC_LEFT }, { TR(e, "指标", "Metric"), 1.3, DOC_LEFT },
		{ TR(e, "期间", "Period"), 0.8, DOC_CENTER }, { TR(e, "分子", "Num."), 0.6, DOC_RIGHT },
		{ TR(e, "分母", "Den."), 0.6, DOC_RIGHT }, { TR(e, "实际值", "Actual"), 0.85, DOC_RIGHT },
		{ TR(e, "目标值", "Target"), 0.85, DOC_RIGHT }, { TR(e, "达成率", "Rate"), 0.75, DOC_RIGHT },
		{ TR(e, "状态", "Status"), 0.7, DOC_CENTER }, { TR(e, "趋势", "Trend"), 0.7, DOC_CENTER },
		{ TR(e, "偏差分析", "Deviation analysis"), 2.0, DOC_LEFT }, { TR(e, "纠正措施", "Corrective action"), 2.0, DOC_LEFT },
		{ TR(e, "证据", "Evidence"), 1.3, DOC_LEFT }, { TR(e, "记录 / 审核", "Recorded / reviewed"), 1.9, DOC_LEFT },
	};
	CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
	json_array_foreach(e->table, i, row) {
		const json_t *m = json_object_get(row, "metric");
		const char *unit = doc_js(m, "unit");
		const char *en = doc_js(m, "name_en");
		json_array_foreach(json_object_get(row, "values"), j, v) {
			struct nl_period p;
			struct nl_date first;
			double actual = doc_jn(v, "actual");
			if (!isfinite(actual) && (period_parse(doc_js(v, "period"), &p) != 0 || period_first_date(p, &first) != 0 ||
							date_cmp(first, e->today) > 0))
				continue;   /* a period that has not begun */
			char num[48] = "", den[48] = "", act[64], tgt[64], rate[32], who[400], per[32];
			if (isfinite(doc_jn(v, "numerator")))
				snprintf(num, sizeof num, "%g", doc_jn(v, "numerator"));
			if (isfinite(doc_jn(v, "denominator")))
				snprintf(den, sizeof den, "%g", doc_jn(v, "denominator"));
			doc_value_text(e->lang, actual, unit, act, sizeof act);
			doc_value_text(e->lang, isfinite(doc_jn(v, "target")) ? doc_jn(v, "target") : doc_jn(m, "target"), unit, tgt,
				sizeof tgt);
			doc_rate_text(doc_jn(v, "rate"), rate, sizeof rate);
			const char *rn = doc_js(v, "recorded_by_name"), *vn = doc_js(v, "reviewed_by_name");
			char rd[NL_DATE_STRLEN], vd[NL_DATE_STRLEN];
			doc_date_of(e, doc_js(v, "recorded_at"), rd);
			doc_date_of(e, doc_js(v, "reviewed_at"), vd);
			snprintf(who, sizeof who, "%s %s%s%s %s", rn, rd, *vn ? "\n" : "", vn, vd);
			snprintf(per, sizeof per, "%s%s", doc_js(v, "period"),
				json_is_true(json_object_get(v, "closed")) ? TR(e, "\n已关闭", "\nclosed") : "");
			const char *st = doc_js(v, "status");
			struct doc_cell c[14] = {
				{ doc_js(m, "code"), 0, 0 }, { e->lang == NL_DOC_EN && *en ? en : doc_js(m, "name"), 0, 0 },
				{ per, 0, 0 }, { num, 0, 0 }, { den, 0, 0 }, { act, 0, 1 }, { tgt, 0, 0 },
				{ rate, tone_of_status(st), 0 }, { *st ? doc_status_name(e->lang, st) : "—", tone_of_status(st), 0 },
				{ doc_trend_name(e->lang, doc_js(v, "trend")), 0, 0 }, { doc_js(v, "deviation_analysis"), 0, 0 },
				{ doc_js(v, "corrective_action"), 0, 0 }, { doc_js(v, "evidence"), 0, 0 }, { who, 0, 0 } };
			CALL(w->ops->table_row(w, c, 0));
		}
	}
	CALL(w->ops->table_end(w));
out:
	return rc;
}

/* ---- The tracking table ---- */

static int dept_counts_table(struct doc_writer *w, const struct doc_task_counts *c, size_t n,
	const struct doc_task_counts *total)
{
	struct doc_env *e = w->env;
	int rc = 0;
	const struct doc_col cols[] = {
		{ TR(e, "部门", "Department"), 2.2, DOC_LEFT }, { TR(e, "工作项", "Items"), 0.8, DOC_RIGHT },
		{ TR(e, "按期完成", "On time"), 0.9, DOC_RIGHT }, { TR(e, "延期完成", "Late"), 0.9, DOC_RIGHT },
		{ TR(e, "未完成", "Open"), 0.8, DOC_RIGHT }, { TR(e, "其中逾期", "Overdue"), 0.9, DOC_RIGHT },
		{ TR(e, "已取消", "Cancelled"), 0.8, DOC_RIGHT }, { TR(e, "完成率", "Completion"), 0.9, DOC_RIGHT },
	};
	CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
	for (size_t i = 0; i <= n; i++) {
		const struct doc_task_counts *x = i < n ? &c[i] : total;
		if (!x)
			break;
		char s[7][32];
		snprintf(s[0], 32, "%ld", x->total);
		snprintf(s[1], 32, "%ld", x->on_time);
		snprintf(s[2], 32, "%ld", x->late);
		snprintf(s[3], 32, "%ld", x->open);
		snprintf(s[4], 32, "%ld", x->overdue);
		snprintf(s[5], 32, "%ld", x->cancelled);
		long base = x->total - x->cancelled;
		doc_rate_text(base > 0 ? (double)(x->on_time + x->late) / (double)base : NAN, s[6], 32);
		struct doc_cell cells[8] = { { x->department, 0, i == n }, { s[0], 0, i == n }, { s[1], 0, i == n },
			{ s[2], x->late ? DOC_TONE_WARNING : 0, i == n }, { s[3], 0, i == n },
			{ s[4], x->overdue ? DOC_TONE_MISSED : 0, i == n }, { s[5], 0, i == n }, { s[6], 0, i == n } };
		CALL(w->ops->table_row(w, cells, 0));
	}
	CALL(w->ops->table_end(w));
out:
	return rc;
}

struct tracking_state {
	struct doc_writer *w;
	long n;
};

static int tracking_row(void *arg, json_t *t)
{
	struct tracking_state *s = arg;
	struct doc_writer *w = s->w;
	struct doc_env *e = w->env;
	char idx[24], pct[24], delay[24], status[128], check[400], item[400];
	const json_t *checks = json_object_get(t, "checks");
	const json_t *last = json_array_size(checks) ? json_array_get(checks, json_array_size(checks) - 1) : NULL;
	const json_t *lp = json_object_get(t, "latest_progress");
	int overdue = json_is_true(json_object_get(t, "overdue"));
	long d = (long)doc_ji(t, "delay_days");
	snprintf(idx, sizeof idx, "%ld", ++s->n);
	snprintf(pct, sizeof pct, "%lld%%", (long long)doc_ji(t, "percent"));
	snprintf(delay, sizeof delay, "%s", d > 0 ? "" : "0");
	if (d > 0)
		snprintf(delay, sizeof delay, "%ld", d);
	snprintf(status, sizeof status, "%s%s", doc_work_status_name(e->lang, doc_js(t, "status")),
		overdue ? TR(e, "（逾期）", " (overdue)") : "");
	snprintf(check, sizeof check, "%s%s%s", last ? doc_js(last, "checker") : "", last ? "\n" : "",
		last ? doc_js(last, "checked_on") : "");
	const char *area = item_area_name(e, doc_ji(t, "plan_item_id"));
	snprintf(item, sizeof item, "%s%s%s", doc_element_name(e->lang, doc_js(t, "element")), *area ? "\n" : "", area);
	const char *st = doc_js(t, "status");
	int tone = overdue ? DOC_TONE_MISSED : !strcmp(st, "done") ? (doc_ji(t, "delay_days") > 0 ? DOC_TONE_WARNING : DOC_TONE_MET)
		: !strcmp(st, "cancelled") ? DOC_TONE_MUTED : 0;
	const char *dname = doc_dept_name(e, doc_ji(t, "department_id"));
	struct doc_cell c[16] = {
		{ idx, 0, 0 }, { item, 0, 0 }, { doc_js(t, "title"), 0, 1 }, { doc_js(t, "deliverable"), 0, 0 },
		{ *dname ? dname : doc_js(t, "department"), 0, 0 }, { doc_js(t, "owner"), 0, 0 },
		{ doc_js(t, "planned_start"), 0, 0 }, { doc_js(t, "planned_end"), 0, 0 }, { doc_js(t, "actual_end"), 0, 0 },
		{ pct, 0, 0 }, { status, tone, 0 }, { delay, d > 0 ? DOC_TONE_MISSED : 0, 0 },
		{ last ? doc_js(last, "deviation_reason") : "", 0, 0 }, { last ? doc_js(last, "corrective_action") : "", 0, 0 },
		{ check, 0, 0 }, { lp ? doc_js(lp, "evidence") : "", 0, 0 } };
	return w->ops->table_row(w, c, overdue ? DOC_TONE_MISSED : 0);
}

static int emit_tracking(struct doc_writer *w)
{
	struct doc_env *e = w->env;
	const struct doc_task_counts *T = &e->task_total;
	int rc = 0;
	char buf[1024];
	CALL(h1(w, 1, TR(e, "执行概况", "Summary")));
	long base = T->total - T->cancelled;
	char rate[32];
	doc_rate_text(base > 0 ? (double)(T->on_time + T->late) / (double)base : NAN, rate, sizeof rate);
	snprintf(buf, sizeof buf, TR(e, "截至 %s，本年度部门工作项共 %ld 项：按期完成 %ld 项，延期完成 %ld 项，未完成 %ld 项（其中逾期 %ld 项），已取消 %ld 项；完成率 %s。质量管理部按跟踪计划检查执行情况，逾期项以红色标出。",
		"As of %s, %ld department work items: %ld done on time, %ld done late, %ld open (%ld overdue), %ld cancelled; completion %s. Quality checks execution by the tracking plan; overdue items are marked red."),
		e->today_s, T->total, T->on_time, T->late, T->open, T->overdue, T->cancelled, rate);
	CALL(w->ops->para(w, buf, DOC_P_BODY));
	CALL(chart_completion(w, e->task_depts, e->ntask_depts));
	CALL(dept_counts_table(w, e->task_depts, e->ntask_depts, T));
	CALL(h1(w, 2, TR(e, "跟踪明细", "Work items")));
	const struct doc_col cols[] = {
		{ "#", 0.35, DOC_RIGHT }, { TR(e, "要素 / 计划事项", "Element / plan item"), 0.95, DOC_LEFT },
		{ TR(e, "工作项", "Work item"), 1.6, DOC_LEFT }, { TR(e, "交付物", "Deliverable"), 1.1, DOC_LEFT },
		{ TR(e, "部门", "Department"), 0.95, DOC_LEFT }, { TR(e, "责任人", "Owner"), 0.95, DOC_LEFT },
		{ TR(e, "计划开始", "Start"), 1.05, DOC_CENTER }, { TR(e, "计划完成", "Planned end"), 1.05, DOC_CENTER },
		{ TR(e, "实际完成", "Actual end"), 1.05, DOC_CENTER }, { TR(e, "进度", "%"), 0.5, DOC_RIGHT },
		{ TR(e, "状态", "Status"), 0.7, DOC_CENTER }, { TR(e, "延期天数", "Delay (d)"), 0.45, DOC_RIGHT },
		{ TR(e, "偏差原因", "Cause"), 1.3, DOC_LEFT }, { TR(e, "纠正措施", "Corrective action"), 1.3, DOC_LEFT },
		{ TR(e, "跟踪检查", "Checked"), 1.0, DOC_LEFT }, { TR(e, "证据", "Evidence"), 0.8, DOC_LEFT },
	};
	CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
	struct tracking_state s = { w, 0 };
	CALL(doc_env_tasks_each(e, tracking_row, &s));
	CALL(w->ops->table_end(w));
	if (!s.n)
		CALL(w->ops->para(w, TR(e, "（本年度尚无工作项）", "(no work items this year)"), DOC_P_NOTE));
out:
	return rc;
}

/* ---- The evaluation report ---- */

static const char *en_or(struct doc_env *e, const json_t *o, const char *zh_key, const char *en_key)
{
	const char *en = doc_js(o, en_key);
	return e->lang == NL_DOC_EN && *en ? en : doc_js(o, zh_key);
}

static int eval_section(struct doc_writer *w, const json_t *ev, const char *key, int n)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(ev, "sections"), i, s) {
		if (!strcmp(doc_js(s, "key"), key))
			return h1(w, n, en_or(w->env, s, "title", "title_en"));
	}
	return h1(w, n, key);
}

static int emit_evaluation(struct doc_writer *w)
{
	struct doc_env *e = w->env;
	const json_t *ev = e->evaluation;
	int rc = 0, sec = 0;
	char buf[2048];
	size_t i;
	json_t *x;

	CALL(eval_section(w, ev, "purpose", ++sec));
	CALL(para_or_none(w, doc_js(ev, "purpose")));
	CALL(eval_section(w, ev, "method", ++sec));
	CALL(para_or_none(w, doc_js(ev, "method")));

	/* Plan completion */
	CALL(eval_section(w, ev, "plan_completion", ++sec));
	const json_t *pc = json_object_get(ev, "plan_completion");
	const json_t *pl = json_object_get(pc, "plan");
	if (json_is_object(pl)) {
		char ad[NL_DATE_STRLEN];
		doc_date_of(e, doc_js(pl, "approved_at"), ad);
		snprintf(buf, sizeof buf, TR(e, "《%s》（%s，V%lld，%s%s%s），计划事项 %lld 项。",
			"Plan \"%s\" (%s, V%lld, %s%s%s): %lld items."), doc_js(pl, "title"), doc_js(pl, "doc_number"),
			(long long)doc_ji(pl, "version"), doc_plan_status_name(e->lang, doc_js(pl, "status")), *ad ? " " : "", ad,
			(long long)doc_ji(pl, "items"));
		CALL(w->ops->para(w, buf, DOC_P_BODY));
	} else {
		CALL(w->ops->para(w, TR(e, "本年度没有服务能力管理计划。", "There is no capability plan for this year."), DOC_P_BODY));
	}
	{
		char cr[32], otr[32];
		doc_rate_text(doc_jn(pc, "completion_rate"), cr, sizeof cr);
		doc_rate_text(doc_jn(pc, "on_time_rate"), otr, sizeof otr);
		snprintf(buf, sizeof buf, TR(e, "部门工作项 %lld 项：完成 %lld 项（按期 %lld 项，延期 %lld 项），未完成 %lld 项（其中逾期 %lld 项），取消 %lld 项；完成率 %s，按期完成率 %s。质量管理部检查 %lld 次，已验证关闭 %lld 次，未关闭 %lld 次。",
			"%lld department work items: %lld done (%lld on time, %lld late), %lld open (%lld overdue), %lld cancelled; completion %s, on time %s. Quality made %lld checks, %lld verified, %lld open."),
			(long long)doc_ji(pc, "tasks_total"), (long long)doc_ji(pc, "done"), (long long)doc_ji(pc, "done_on_time"),
			(long long)doc_ji(pc, "done_late"), (long long)doc_ji(pc, "open"), (long long)doc_ji(pc, "overdue"),
			(long long)doc_ji(pc, "cancelled"), cr, otr, (long long)doc_ji(pc, "checks_total"),
			(long long)doc_ji(pc, "checks_verified"), (long long)doc_ji(pc, "checks_open"));
		CALL(w->ops->para(w, buf, DOC_P_BODY));
	}
	{
		const json_t *bd = json_object_get(json_object_get(ev, "tasks"), "by_department");
		size_t n = json_array_size(bd);
		struct doc_task_counts *c = calloc(n ? n : 1, sizeof *c), tot;
		if (!c) {
			rc = nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL);
			goto out;
		}
		memset(&tot, 0, sizeof tot);
		snprintf(tot.department, sizeof tot.department, "%s", TR(e, "合计", "Total"));
		json_array_foreach(bd, i, x) {
			const char *dn = doc_dept_name(e, doc_ji(x, "department_id"));
			snprintf(c[i].department, sizeof c[i].department, "%s", *dn ? dn : doc_js(x, "department"));
			c[i].total = (long)doc_ji(x, "total");
			c[i].on_time = (long)doc_ji(x, "done_on_time");
			c[i].late = (long)doc_ji(x, "done_late");
			c[i].open = (long)doc_ji(x, "open");
			c[i].overdue = (long)doc_ji(x, "overdue");
			c[i].cancelled = (long)doc_ji(x, "cancelled");
			tot.total += c[i].total;
			tot.on_time += c[i].on_time;
			tot.late += c[i].late;
			tot.open += c[i].open;
			tot.overdue += c[i].overdue;
			tot.cancelled += c[i].cancelled;
		}
		rc = chart_completion(w, c, n);
		if (!rc && n)
			rc = dept_counts_table(w, c, n, &tot);
		free(c);
		if (rc)
			goto out;
	}

	/* Metric achievement by element */
	CALL(eval_section(w, ev, "metrics", ++sec));
	const json_t *mt = json_object_get(ev, "metrics");
	{
		const json_t *sum = json_object_get(mt, "summary");
		snprintf(buf, sizeof buf, TR(e, "共考核指标 %lld 项：达标 %lld 项，预警 %lld 项，未达标 %lld 项，无数据 %lld 项。",
			"%lld metrics: %lld met, %lld warning, %lld missed, %lld without data."),
			(long long)doc_ji(sum, "total"), (long long)doc_ji(sum, "met"), (long long)doc_ji(sum, "warning"),
			(long long)doc_ji(sum, "missed"), (long long)doc_ji(sum, "no_data"));
		CALL(w->ops->para(w, buf, DOC_P_BODY));
		const struct doc_col cols[] = {
			{ TR(e, "要素", "Element"), 1.4, DOC_LEFT }, { TR(e, "指标数", "Metrics"), 1, DOC_RIGHT },
			{ TR(e, "达标", "Met"), 1, DOC_RIGHT }, { TR(e, "预警", "Warning"), 1, DOC_RIGHT },
			{ TR(e, "未达标", "Missed"), 1, DOC_RIGHT }, { TR(e, "无数据", "No data"), 1, DOC_RIGHT },
		};
		CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
		for (int k = 0; k < 4; k++) {
			const json_t *b = json_object_get(json_object_get(mt, "by_element"), element_keys[k]);
			char s[5][24];
			snprintf(s[0], 24, "%lld", (long long)doc_ji(b, "total"));
			snprintf(s[1], 24, "%lld", (long long)doc_ji(b, "met"));
			snprintf(s[2], 24, "%lld", (long long)doc_ji(b, "warning"));
			snprintf(s[3], 24, "%lld", (long long)doc_ji(b, "missed"));
			snprintf(s[4], 24, "%lld", (long long)doc_ji(b, "no_data"));
			struct doc_cell c[6] = { { doc_element_name(e->lang, element_keys[k]), 0, 0 }, { s[0], 0, 0 },
				{ s[1], 0, 0 }, { s[2], doc_ji(b, "warning") ? DOC_TONE_WARNING : 0, 0 },
				{ s[3], doc_ji(b, "missed") ? DOC_TONE_MISSED : 0, 0 }, { s[4], 0, 0 } };
			CALL(w->ops->table_row(w, c, 0));
		}
		CALL(w->ops->table_end(w));
	}
	{
		/* The chart of the report's own rows (frozen with the report when it is finalized). */
		const json_t *rows = json_object_get(mt, "rows");
		size_t n = json_array_size(rows);
		const char **cats = calloc(n ? n : 1, sizeof *cats);
		double *vals = calloc(n ? n : 1, sizeof *vals);
		int *tones = calloc(n ? n : 1, sizeof *tones);
		char (*names)[160] = calloc(n ? n : 1, sizeof *names);
		if (!cats || !vals || !tones || !names) {
			rc = nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL);
		} else {
			json_array_foreach(rows, i, x) {
				snprintf(names[i], sizeof names[i], "%s", metric_name(e, doc_ji(x, "metric_id"), doc_js(x, "name")));
				cats[i] = names[i];
				vals[i] = doc_jn(x, "rate");
				tones[i] = *doc_js(x, "status") ? tone_of_status(doc_js(x, "status")) : DOC_TONE_MUTED;
			}
			const char *series[] = { TR(e, "达成率", "Achievement") };
			struct doc_chart ch = { .kind = DOC_CHART_BARS, .title = TR(e, "各指标年度达成率（目标 = 100%）",
				"Achievement per metric (target = 100%)"), .ratio = 1, .ncat = n, .cats = cats, .nseries = 1,
				.series = series, .values = vals, .tones = tones, .has_target = 1, .target = 1.0,
				.target_label = TR(e, "目标", "Target") };
			if (n)
				rc = w->ops->chart(w, &ch);
		}
		free(cats);
		free(vals);
		free(tones);
		free(names);
		if (rc)
			goto out;
		const struct doc_col cols[] = {
			{ TR(e, "编号", "Code"), 1.6, DOC_LEFT }, { TR(e, "指标名称", "Metric"), 2.0, DOC_LEFT },
			{ TR(e, "要素", "Element"), 0.7, DOC_CENTER }, { TR(e, "期间", "Period"), 0.9, DOC_CENTER },
			{ TR(e, "目标值", "Target"), 0.9, DOC_RIGHT }, { TR(e, "实际值", "Actual"), 0.9, DOC_RIGHT },
			{ TR(e, "达成率", "Rate"), 0.85, DOC_RIGHT }, { TR(e, "状态", "Status"), 0.8, DOC_CENTER },
		};
		CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
		json_array_foreach(rows, i, x) {
			char tgt[64], act[64], rate[32];
			doc_value_text(e->lang, doc_jn(x, "target"), doc_js(x, "unit"), tgt, sizeof tgt);
			doc_value_text(e->lang, doc_jn(x, "actual"), doc_js(x, "unit"), act, sizeof act);
			doc_rate_text(doc_jn(x, "rate"), rate, sizeof rate);
			const char *st = doc_js(x, "status");
			struct doc_cell c[8] = { { doc_js(x, "code"), 0, 0 },
				{ metric_name(e, doc_ji(x, "metric_id"), doc_js(x, "name")), 0, 0 },
				{ doc_element_name(e->lang, doc_js(x, "element")), 0, 0 }, { doc_js(x, "period"), 0, 0 },
				{ tgt, 0, 0 }, { act, 0, 1 }, { rate, tone_of_status(st), 0 },
				{ doc_status_name(e->lang, st), tone_of_status(st), 0 } };
			CALL(w->ops->table_row(w, c, 0));
		}
		CALL(w->ops->table_end(w));
	}
	CALL(w->ops->heading(w, 2, TR(e, "月度趋势", "Monthly trends")));
	CALL(chart_trends(w));

	/* Analysis per element */
	CALL(eval_section(w, ev, "analysis_by_element", ++sec));
	{
		int k = 0;
		json_array_foreach(json_object_get(ev, "analysis_by_element"), i, x) {
			CALL(h2(w, sec, ++k, en_or(e, x, "name", "name_en")));
			CALL(para_or_none(w, en_or(e, x, "text", "text_en")));
		}
	}

	/* Problems and nonconformities */
	CALL(eval_section(w, ev, "problems", ++sec));
	{
		struct nl_strbuf b;
		strbuf_init(&b, 0);
		json_array_foreach(json_object_get(ev, "problems"), i, x) {
			const char *el = doc_js(x, "element");
			strbuf_printf(&b, "%s%zu. %s", i ? "\n" : "", i + 1, en_or(e, x, "text", "text_en"));
			if (*el)
				strbuf_printf(&b, TR(e, "（要素：%s）", " (element: %s)"), doc_element_name(e->lang, el));
		}
		rc = b.failed ? nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL) : para_or_none(w, b.len ? b.data : "");
		strbuf_cleanup(&b);
		if (rc)
			goto out;
		const json_t *oca = json_object_get(ev, "open_corrective_actions");
		if (json_array_size(oca)) {
			CALL(w->ops->heading(w, 2, TR(e, "偏差与纠正措施", "Deviations and corrective actions")));
			const struct doc_col cols[] = {
				{ TR(e, "指标 / 工作项", "Metric / item"), 1.6, DOC_LEFT }, { TR(e, "期间", "Period"), 0.8, DOC_CENTER },
				{ TR(e, "偏差分析", "Deviation analysis"), 3.0, DOC_LEFT },
				{ TR(e, "纠正措施", "Corrective action"), 3.0, DOC_LEFT },
			};
			CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
			json_array_foreach(oca, i, x) {
				char who[600];
				const char *code = doc_js(x, "code");
				int check = !strcmp(doc_js(x, "kind"), "check");
				snprintf(who, sizeof who, "%s%s%s", code, *code ? "\n" : "",
					check ? doc_js(x, "task_title") : metric_name(e, doc_ji(x, "metric_id"), doc_js(x, "name")));
				const char *t[] = { who, check ? doc_js(x, "checked_on") : doc_js(x, "period"),
					*doc_js(x, "deviation_analysis") ? doc_js(x, "deviation_analysis") : doc_js(x, "deviation_reason"),
					doc_js(x, "corrective_action") };
				CALL(row_texts(w, 4, t, 0));
			}
			CALL(w->ops->table_end(w));
		}
	}

	/* Conclusions */
	CALL(eval_section(w, ev, "conclusion", ++sec));
	{
		const char *concl = doc_js(ev, "conclusion");
		if (e->lang == NL_DOC_EN && !json_is_true(json_object_get(ev, "conclusion_edited")) &&
			*doc_js(ev, "generated_conclusion_en"))
			concl = doc_js(ev, "generated_conclusion_en");
		CALL(para_or_none(w, concl));
	}

	/* Improvement suggestions */
	CALL(eval_section(w, ev, "suggestions", ++sec));
	{
		const json_t *sg = json_object_get(ev, "suggestions");
		const struct doc_col cols[] = {
			{ "#", 0.35, DOC_RIGHT }, { TR(e, "改进建议", "Suggestion"), 4.2, DOC_LEFT },
			{ TR(e, "责任部门", "Department"), 1.3, DOC_LEFT }, { TR(e, "责任人", "Owner"), 1.4, DOC_LEFT },
			{ TR(e, "完成日期", "Due"), 1.0, DOC_CENTER }, { TR(e, "优先级", "Priority"), 0.7, DOC_CENTER },
		};
		if (!json_array_size(sg)) {
			CALL(para_or_none(w, ""));
		} else {
			CALL(w->ops->table_begin(w, cols, NL_ARRAY_LEN(cols)));
			json_array_foreach(sg, i, x) {
				char n[24];
				snprintf(n, sizeof n, "%zu", i + 1);
				const char *pr = doc_js(x, "priority");
				struct doc_cell c[6] = { { n, 0, 0 }, { en_or(e, x, "text", "text_en"), 0, 0 },
					{ doc_dept_name(e, doc_ji(x, "owner_department_id")), 0, 0 },
					{ doc_user_name(e, doc_ji(x, "owner_user_id")), 0, 0 }, { doc_js(x, "due_date"), 0, 0 },
					{ doc_priority_name(e->lang, pr), !strcmp(pr, "high") ? DOC_TONE_MISSED
						: !strcmp(pr, "medium") ? DOC_TONE_WARNING : 0, 0 } };
				CALL(w->ops->table_row(w, c, 0));
			}
			CALL(w->ops->table_end(w));
		}
		CALL(w->ops->para(w, TR(e, "以上改进建议纳入下一年度服务能力管理计划的“上年度回顾”和年度规划。",
			"These suggestions feed the review section and the planning of next year's capability plan."), DOC_P_NOTE));
	}

	/* Approval */
	CALL(eval_section(w, ev, "approval", ++sec));
	{
		struct doc_sign s;
		doc_signature(e, NL_DOC_EVALUATION, &s);
		snprintf(buf, sizeof buf, "%s%s", TR(e, "报告状态：", "Status: "), doc_plan_status_name(e->lang, doc_js(ev, "status")));
		CALL(w->ops->para(w, buf, DOC_P_BODY));
		CALL(w->ops->sign(w, &s));
	}
out:
	return rc;
}

int doc_emit_record(struct doc_env *e, enum nl_doc_record r, struct doc_writer *w)
{
	struct doc_meta m;
	int rc = doc_env_plan(e);
	if (!rc)
		rc = doc_env_metrics(e);
	if (!rc && (r == NL_DOC_ACHIEVEMENT || r == NL_DOC_EVALUATION))
		rc = doc_env_table(e);
	if (!rc && r == NL_DOC_EVALUATION)
		rc = doc_env_evaluation(e);
	if (!rc && r == NL_DOC_TRACKING)
		rc = doc_env_task_counts(e);
	if (rc)
		return rc;
	doc_meta_fill(e, r, &m);
	CALL(w->ops->record_begin(w, &m));
	CALL(emit_changes(w, r));
	switch (r) {
	case NL_DOC_CAPABILITY_PLAN:
		rc = emit_plan(w);
		break;
	case NL_DOC_MEASUREMENT_PLAN:
		rc = emit_measurement_plan(w);
		break;
	case NL_DOC_ACHIEVEMENT:
		rc = emit_achievement(w);
		break;
	case NL_DOC_TRACKING:
		rc = emit_tracking(w);
		break;
	case NL_DOC_EVALUATION:
		rc = emit_evaluation(w);
		break;
	default:
		rc = NL_EINTERNAL;
		break;
	}
	if (rc)
		goto out;
	if (r != NL_DOC_EVALUATION) {
		CALL(w->ops->heading(w, 1, TR(e, "签字", "Signatures")));
		CALL(w->ops->sign(w, &m.sign));
	}
	CALL(w->ops->record_end(w));
out:
	return rc;
}
