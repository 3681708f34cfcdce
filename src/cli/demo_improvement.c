/* demo_improvement.c — `nengli demo`'s innovation proposals and risk register (demo_improvement.h): the story follows the
 * cycle's demo — last year's adopted proposals (scripted inspection, incident reviews) became items of this year's plan,
 * this year's alert-convergence idea is in pilot, a self-service app was rejected as a duplicate of the planned portal,
 * and the risk register covers the four elements with two reviews overdue.
 *
 * Every write goes through the improvement room's domain functions as the demo user who would make it, after checking
 * the route's permission (auth/policy.c); ctx->now is set to a plausible past moment first (never later than the real
 * now), so that proposed_on, piloted_on, decided_on and the history carry the days they would have. Review dates are
 * relative to today, so the overdue ones stay overdue on any day the demo is loaded. */
#include "cli/demo_improvement.h"
#include "cli/demo_util.h"

#include "auth/auth.h"
#include "auth/session.h"
#include "core/date.h"
#include "cycle/plan.h"
#include "cycle/today.h"
#include "improvement/innovation.h"
#include "improvement/risk.h"
#include "org/org.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

enum who { W_PLANNER, W_HR, W_QUALITY, W_MEMBER, W_COUNT };
static const char *const who_name[W_COUNT] = { "planner", "hr", "quality", "member" };

struct demo {
	struct nl_ctx *ctx;
	struct nl_user user[W_COUNT];
	struct nl_date today;
	int64_t real_now;
	int64_t plan_id;        /* this year's plan, 0 when there is none */
	char step[256];
	int writes;
	int innovations, adopted, piloting, rejected, proposed;
	int risks, overdue, linked;
};

static void step(struct demo *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void step(struct demo *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->step, sizeof d->step, fmt, ap);
	va_end(ap);
}

/* Acts as user w, after checking that the route's permission allows one of w's roles (as the HTTP layer would). */
static int as(struct demo *d, enum who w, const char *action)
{
	return demo_act_as(d->ctx, &d->user[w], action);
}

/* Acts at `hour` o'clock (Asia/Shanghai) on day x, never later than the real now. */
static void at(struct demo *d, struct nl_date x, int hour)
{
	demo_act_at(d->ctx, d->real_now, x, hour);
}

static int took(struct demo *d, int rc, json_t *out, int64_t *id)
{
	return demo_took(rc, out, id, &d->writes);
}

/* A day of last year (month, day), or — when month is 0 — `ago` days before today. */
static struct nl_date when(struct demo *d, int month, int day, int ago)
{
	struct nl_date x = { d->today.y - 1, month, day };
	if (month > 0)
		return x;
	if (date_add_days(d->today, -ago, &x))
		return d->today;
	return x;
}

/* The date as "YYYY-MM-DD" in the command's arena ("" when out of memory: the domain then refuses it by name). */
static const char *ds(struct demo *d, struct nl_date x)
{
	char buf[NL_DATE_STRLEN];
	if (date_format(x, buf))
		return "";
	const char *s = arena_strdup(d->ctx->arena, buf);
	return s ? s : "";
}

/* ================================ Innovation proposals ================================ */

/* One proposal and its path: proposed by `by`; then (when pilot_by >= 0) a pilot; then (when decide_by >= 0) adopted
 * or rejected with `decision_note`; an interim pilot result written by the proposer when `interim` is set.
 * Dates: month/day of last year, or days ago (month 0). */
struct innovation_spec {
	const char *title, *category, *description;
	enum who by;
	int pm, pd, pago;                                  /* proposed */
	int pilot_by;                                      /* -1: never piloted */
	int tm, td, tago;                                  /* piloted */
	const char *pilot_note;
	const char *interim;                               /* pilot_result written during the pilot, or NULL */
	int iago;
	int decide_by;                                     /* -1: not decided */
	const char *to;                                    /* "adopted" | "rejected" */
	int dm, dd, dago;                                  /* decided */
	const char *decision_note;
};

static const struct innovation_spec innovations[] = {
	{ "巡检脚本化（Ansible 自动巡检）", "technology",
		"日常巡检靠人工填表，每天约 3 人时且难以追溯。建议用 Ansible 编写主机、网络巡检脚本，每日自动执行并推送巡检报告，"
		"巡检异常自动生成事件单。",
		W_MEMBER, 3, 10, 0, W_QUALITY, 4, 20, 0, "先在主机与网络巡检中试点，试点期 5 个月，由质量管理部每月跟踪效果。", NULL, 0,
		W_QUALITY, "adopted", 9, 25, 0,
		"试点 5 个月：主机与网络巡检 100% 脚本化，每日节省约 2 人时，巡检报告每日 8:30 自动推送，异常自动建单 37 次、"
		"无漏报。同意采纳，推广到数据库与中间件巡检，纳入下一年度计划（技术要素）。" },
	{ "重大事件 24 小时复盘机制与复盘模板", "process",
		"P1/P2 事件处理完后没有统一复盘，同类事件反复发生。建议统一复盘模板（时间线、根因、改进措施、责任人、期限），"
		"事件恢复后 24 小时内完成复盘。",
		W_PLANNER, 2, 18, 0, W_QUALITY, 3, 15, 0, "在 IT 运维事业部的 P1/P2 事件中试点。", NULL, 0,
		W_QUALITY, "adopted", 7, 30, 0,
		"试点期间 9 起 P1/P2 事件全部在 24 小时内完成复盘，提出改进措施 14 项、已落实 11 项，同类事件未再发生。同意采纳，"
		"复盘模板纳入《事件管理程序》。" },
	{ "同源告警合并与告警收敛规则", "technology",
		"统一监控平台日均告警约 1,200 条，同一故障引发的主机、网络、应用告警重复推送，值班人员难以判断。建议按设备与时间窗口"
		"合并同源告警，并为核心指标设置收敛规则。",
		W_MEMBER, 0, 0, 70, W_PLANNER, 0, 0, 40, "先在网络与主机告警上试点两个月，应用告警暂不纳入。",
		"试点第一个月：网络类告警由日均 420 条降至 150 条，主机类由 380 条降至 170 条，抽查未发现漏报。", 10,
		-1, NULL, 0, 0, 0, NULL },
	{ "自建客户自助报修小程序", "service_product",
		"为客户开发微信小程序，支持报修、查询进度和评价，减少电话报修量。",
		W_MEMBER, 0, 0, 95, -1, 0, 0, 0, NULL, NULL, 0,
		W_QUALITY, "rejected", 0, 0, 85,
		"与本年度计划中的“服务台自助门户”（资源要素）功能重复，且需单独维护。不予立项，需求并入门户项目统一实现。" },
	{ "新员工 30 天带教清单与上岗考核", "process",
		"新入职一线工程师上岗前缺少统一带教内容，上岗后的首月差错较多。建议制定 30 天带教清单（制度、工具、常见故障处理），"
		"由导师签字确认，并在上岗前进行一次实操考核。",
		W_HR, 0, 0, 12, -1, 0, 0, 0, NULL, NULL, 0, -1, NULL, 0, 0, 0, NULL },
	{ "重点客户季度服务回访", "service_product",
		"对合同金额前 20 的重点客户，每季度由质量管理部进行一次电话或上门回访，收集服务评价与改进建议，回访结果纳入满意度分析。",
		W_QUALITY, 0, 0, 4, -1, 0, 0, 0, NULL, NULL, 0, -1, NULL, 0, 0, 0, NULL },
};

static int mk_innovation(struct demo *d, const struct innovation_spec *s)
{
	json_t *out = NULL;
	int64_t id = 0;
	int rc;
	step(d, "innovation \"%s\": proposal", s->title);
	if ((rc = as(d, s->by, "innovation.propose")))
		return rc;
	at(d, when(d, s->pm, s->pd, s->pago), 10);
	struct nl_innovation_input in = { .title = s->title, .category = s->category, .description = s->description };
	rc = innovation_create(d->ctx, &in, &out);
	if ((rc = took(d, rc, out, &id)))
		return rc;
	d->innovations++;
	if (s->pilot_by >= 0) {
		step(d, "innovation \"%s\": pilot", s->title);
		if ((rc = as(d, (enum who)s->pilot_by, "innovation.advance")))
			return rc;
		at(d, when(d, s->tm, s->td, s->tago), 15);
		out = NULL;
		rc = innovation_advance(d->ctx, id, "pilot", s->pilot_note, &out);
		if ((rc = took(d, rc, out, NULL)))
			return rc;
	}
	if (s->interim) {
		step(d, "innovation \"%s\": interim pilot result", s->title);
		if ((rc = as(d, s->by, "innovation.propose")))
			return rc;
		at(d, when(d, 0, 0, s->iago), 17);
		struct nl_innovation_input up = { .pilot_result = s->interim };
		out = NULL;
		rc = innovation_update(d->ctx, id, &up, NL_INNOVATION_SET_PILOT_RESULT, &out);
		if ((rc = took(d, rc, out, NULL)))
			return rc;
	}
	if (s->decide_by >= 0) {
		step(d, "innovation \"%s\": %s", s->title, s->to);
		if ((rc = as(d, (enum who)s->decide_by, "innovation.advance")))
			return rc;
		at(d, when(d, s->dm, s->dd, s->dago), 16);
		out = NULL;
		rc = innovation_advance(d->ctx, id, s->to, s->decision_note, &out);
		if ((rc = took(d, rc, out, NULL)))
			return rc;
	}
	if (s->decide_by >= 0 && !strcmp(s->to, "adopted"))
		d->adopted++;
	else if (s->decide_by >= 0)
		d->rejected++;
	else if (s->pilot_by >= 0)
		d->piloting++;
	else
		d->proposed++;
	return 0;
}

/* ================================ The risk register ================================ */

struct risk_spec {
	const char *title, *element;
	int likelihood, impact;
	const char *mitigation;
	enum who owner;
	int review_in;          /* review date: days from today (negative: overdue) */
	const char *status;
	const char *plan_area;  /* the area of this year's plan item it relates to, or NULL */
	int ago;                /* registered this many days ago */
};

static const struct risk_spec risks[] = {
	{ "二线专家夜间及节假日到场不及时", "people", 3, 4,
		"建立二线专家电话值守与排班表，发布值班补贴办法；每季度抽查到场时间（本年度计划人员要素“二线专家值班机制”）。",
		W_HR, 20, "mitigating", "people.staffing", 120 },
	{ "核心运维人员流失，关键技能断档", "people", 2, 4,
		"关键岗位 AB 角持续带教；核心人员纳入年度调薪与培训倾斜名单；离职交接清单化。", W_HR, -12, "open", NULL, 150 },
	{ "高风险变更未经测试环境验证即上线", "process", 3, 5,
		"高风险变更必须附测试报告与回退方案并经 CAB 评审；每月复盘失败变更。", W_PLANNER, 45, "mitigating", NULL, 140 },
	{ "重大事件升级不及时，客户投诉升级", "process", 2, 3,
		"执行事件分级与升级矩阵；P1 事件 15 分钟内通知分管副总；每月抽查升级记录。", W_QUALITY, 60, "open", NULL, 90 },
	{ "告警噪声大，真实故障被淹没", "technology", 4, 4,
		"试点同源告警合并与收敛规则；核心指标启用动态基线；每月评审无效告警（本年度计划技术要素“告警收敛与动态基线”）。",
		W_MEMBER, -5, "mitigating", "technology.detection", 100 },
	{ "备份可恢复性未定期验证", "technology", 2, 5,
		"核心数据库每季度做一次恢复演练并记录恢复时长；备份失败自动告警。", W_MEMBER, 30, "open", NULL, 80 },
	{ "关键备件库存不足，硬件故障修复时间延长", "resources", 3, 3,
		"按安全库存补货；与两家备件供应商签订 4 小时到货协议；每季度盘点。", W_PLANNER, 15, "accepted", NULL, 110 },
	{ "服务台电话系统单点故障", "resources", 1, 4,
		"已上线第二条中继线路与云呼叫中心备用通道，切换演练通过。", W_PLANNER, 90, "closed", NULL, 160 },
};

/* This year's plan item with `area`, or 0 (no plan this year, or no such item). */
static int plan_item_of(struct demo *d, const char *area, int64_t *id)
{
	json_t *items = NULL, *o;
	size_t i;
	*id = 0;
	if (!area || !d->plan_id)
		return 0;
	int rc = plan_item_list(d->ctx, d->plan_id, NULL, &items);
	if (rc)
		return rc;
	json_array_foreach(items, i, o) {
		const char *a = json_string_value(json_object_get(o, "area"));
		if (a && !strcmp(a, area)) {
			*id = json_integer_value(json_object_get(o, "id"));
			break;
		}
	}
	json_decref(items);
	return 0;
}

static int mk_risk(struct demo *d, const struct risk_spec *s, int k)
{
	json_t *out = NULL;
	struct nl_date review;
	int64_t item = 0;
	int rc;
	step(d, "risk \"%s\"", s->title);
	if ((rc = plan_item_of(d, s->plan_area, &item)))
		return rc;
	if (date_add_days(d->today, s->review_in, &review))
		review = d->today;
	/* quality registers most risks; the planner those of the IT operations division's own processes */
	if ((rc = as(d, k % 3 == 2 ? W_PLANNER : W_QUALITY, "risk.write")))
		return rc;
	at(d, when(d, 0, 0, s->ago), 11);
	struct nl_risk_input in = { .title = s->title, .element = s->element, .likelihood = s->likelihood,
		.impact = s->impact, .mitigation = s->mitigation, .owner_user_id = d->user[s->owner].id,
		.review_on = ds(d, review), .status = "open", .plan_item_id = item };
	int64_t id = 0;
	rc = risk_create(d->ctx, &in, &out);
	if ((rc = took(d, rc, out, &id)))
		return rc;
	if (strcmp(s->status, "open") != 0) {
		/* the status the risk reached later, at a review */
		step(d, "risk \"%s\": status %s", s->title, s->status);
		if ((rc = as(d, W_QUALITY, "risk.write")))
			return rc;
		at(d, when(d, 0, 0, s->ago / 2), 14);
		struct nl_risk_input up = { .status = s->status };
		out = NULL;
		rc = risk_update(d->ctx, id, &up, NL_RISK_SET_STATUS, &out);
		if ((rc = took(d, rc, out, NULL)))
			return rc;
	}
	d->risks++;
	d->linked += item > 0;
	d->overdue += s->review_in < 0 && strcmp(s->status, "closed") != 0;
	return 0;
}

/* ================================ The whole ================================ */

static int run(void *arg)
{
	struct demo *d = arg;
	json_t *plans = NULL;
	int64_t next = 0;
	int rc;
	step(d, "reading today's date");
	d->real_now = d->ctx->now > 0 ? d->ctx->now : (int64_t)time(NULL);
	d->ctx->now = d->real_now;
	if ((rc = cycle_today(d->ctx, &d->today)))
		return rc;
	for (int w = 0; w < W_COUNT; w++) {
		int64_t id = 0;
		step(d, "loading the demo user %s", who_name[w]);
		if ((rc = user_id_by_name(d->ctx, who_name[w], &id)) || (rc = user_load(d->ctx, id, &d->user[w])))
			return rc;
	}
	step(d, "finding this year's plan");
	if ((rc = plan_list(d->ctx, d->today.y, NULL, 1, 0, &plans, &next)))
		return rc;
	d->plan_id = json_integer_value(json_object_get(json_array_get(plans, 0), "id"));
	json_decref(plans);
	for (size_t i = 0; i < NL_ARRAY_LEN(innovations); i++)
		if ((rc = mk_innovation(d, &innovations[i])))
			return rc;
	for (size_t i = 0; i < NL_ARRAY_LEN(risks); i++)
		if ((rc = mk_risk(d, &risks[i], (int)i)))
			return rc;
	d->ctx->now = d->real_now;
	return 0;
}

int demo_improvement(struct nl_cli *cli)
{
	struct demo d;
	memset(&d, 0, sizeof d);
	d.ctx = &cli->ctx;
	int rc = demo_run(cli, run, &d, d.step);
	if (rc)
		return rc;
	printf("nengli: improvement (%d writes, each audited):\n", d.writes);
	printf("  %d innovation proposals: %d adopted last year, %d in pilot, %d rejected, %d proposed\n", d.innovations,
		d.adopted, d.piloting, d.rejected, d.proposed);
	printf("  %d risks over the four elements (%d related to this year's plan items), %d with the review overdue\n",
		d.risks, d.linked, d.overdue);
	return NL_EXIT_OK;
}
