/* demo_cycle.c — `nengli demo`'s yearly cycle (demo_cycle.h): an IT operations organisation that ran last year's
 * cycle to the end and is in the middle of this year's, so that a newcomer logging in as any demo user sees every
 * record of the policy (《服务能力管理制度》) with realistic content.
 *
 * Every write goes through the cycle's domain functions as the user who would make it (ctx->actor, ctx->actor_name),
 * after checking that the route's permission (auth/policy.c) allows it; the domain's own rules (department scope,
 * "never approved by the submitter", states, dates) apply as they do over HTTP. Dates the API accepts (held_on,
 * checked_on, actual_end, planned dates) are set to plausible past days; timestamps the domain stamps itself
 * (created_at, the history's "at", recorded_at) are the real time of the run. Relative dates keep the demo right on
 * any day of the year: Y = this year (cycle_today), L = the last month that has ended. */
#include "cli/demo_cycle.h"
#include "cli/demo_util.h"

#include "auth/auth.h"
#include "auth/session.h"
#include "core/date.h"
#include "cycle/achievement.h"
#include "cycle/evaluation.h"
#include "cycle/metric.h"
#include "cycle/period.h"
#include "cycle/plan.h"
#include "cycle/rules.h"
#include "cycle/task.h"
#include "cycle/today.h"
#include "org/org.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

/* ================================ Who and where ================================ */

enum who { W_APPROVER, W_PLANNER, W_HR, W_QUALITY, W_MEMBER, W_COUNT };
static const char *const who_name[W_COUNT] = { "approver", "planner", "hr", "quality", "member" };

enum dept { D_ITOPS, D_HR, D_QA, D_COUNT };
static const char *const dept_code[D_COUNT] = { "ITOPS", "HR", "QA" };

/* Last year (index 0) and this year (index 1). */
enum { LAST, THIS };

#define MAX_ITEMS 12
#define MAX_METRICS 12
#define MAX_TASKS 20

/* What one year of the demo made (printed at the end). */
struct year_made {
	int year;
	int64_t plan_id;
	int plan_version, items, meetings, rejections, metrics, values, missed, closed, tasks, progress, checks, verified;
	int open_missed;   /* missed values still without analysis */
};

struct demo {
	struct nl_ctx *ctx;
	struct nl_user user[W_COUNT];
	int64_t dept[D_COUNT];
	struct nl_date today;
	int y;                                  /* this year */
	int last_month;                         /* the last month of y that has ended: 0 in January */
	char step[256];                         /* what is being done, for the error message */
	int64_t item[2][MAX_ITEMS];             /* plan item ids by spec index */
	int64_t metric[2][MAX_METRICS];         /* metric ids by spec index */
	int64_t task[2][MAX_TASKS];             /* work item ids by spec index */
	struct nl_date task_start[2][MAX_TASKS], task_end[2][MAX_TASKS];
	int task_done[2][MAX_TASKS];            /* 1 when the item ended done */
	struct year_made made[2];
	int writes;
	int64_t real_now;                       /* the wall clock when the demo started */
	struct nl_date last_meeting;            /* the date of the latest review meeting, for submit/decide dates */
};

/* ================================ Small helpers ================================ */

static void step(struct demo *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void step(struct demo *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->step, sizeof d->step, fmt, ap);
	va_end(ap);
}

/* Acts as user w from now on, after checking that the route's permission `action` allows one of w's roles (the
 * check the HTTP layer makes before a handler runs). NL_EFORBIDDEN otherwise: the demo would be doing something no
 * such user could do. */
static int as(struct demo *d, enum who w, const char *action)
{
	return demo_act_as(d->ctx, &d->user[w], action);
}

/* Sets the time the demo acts at to `hour` o'clock local time (the demo's organisation is in Asia/Shanghai, UTC+8)
 * on day x — never later than the real now — so that history, approvals, values and progress carry plausible dates
 * instead of the moment the demo was loaded. */
static void at(struct demo *d, struct nl_date x, int hour)
{
	demo_act_at(d->ctx, d->real_now, x, hour);
}

/* Ends one domain call: on success counts the write and keeps the object's "id" in *id (id may be NULL); frees out. */
static int took(struct demo *d, int rc, json_t *out, int64_t *id)
{
	return demo_took(rc, out, id, &d->writes);
}

static struct nl_date ymd(int y, int m, int day)
{
	return demo_ymd(y, m, day);
}

/* x moved by n days (x unchanged when that leaves the calendar, which the demo's dates never do). */
static struct nl_date shift(struct nl_date x, int n)
{
	struct nl_date r = x;
	if (date_add_days(x, n, &r))
		return x;
	return r;
}

static struct nl_date dmin(struct nl_date a, struct nl_date b)
{
	return date_cmp(a, b) <= 0 ? a : b;
}

static struct nl_date dmax(struct nl_date a, struct nl_date b)
{
	return date_cmp(a, b) >= 0 ? a : b;
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

/* The text with "{Y}" replaced by year, "{P}" by year − 1 and "{N}" by year + 1, in the arena (NULL stays NULL). */
static const char *tx(struct demo *d, int year, const char *text)
{
	if (!text)
		return NULL;
	size_t n = strlen(text), tokens = 0;
	for (const char *p = text; (p = strchr(p, '{')) != NULL; p++)
		tokens++;
	char *out = arena_alloc(d->ctx->arena, n + tokens * 4 + 1);
	if (!out)
		return text;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int v = 0;
		if (text[i] == '{' && i + 2 < n && text[i + 2] == '}')
			v = text[i + 1] == 'Y' ? year : text[i + 1] == 'P' ? year - 1 : text[i + 1] == 'N' ? year + 1 : 0;
		if (v) {
			o += (size_t)snprintf(out + o, 8, "%04d", v);
			i += 2;
		} else {
			out[o++] = text[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* A period string ("2026-03", "2026-Q2", "2026") in the arena. */
static const char *period_s(struct demo *d, enum nl_period_kind kind, int year, int index)
{
	struct nl_period p = { kind, year, index };
	char buf[NL_PERIOD_STRLEN];
	if (period_format(p, buf))
		return "";
	const char *s = arena_strdup(d->ctx->arena, buf);
	return s ? s : "";
}

/* ================================ The plans ================================ */

struct item_spec {
	const char *element, *area, *current_state, *objective, *measures, *budget;
	enum dept dept;
	enum who owner, author;
	int due_m, due_d;
};

/* Last year's plan: two items per element. */
enum { LI_BACKUP, LI_TRAINING, LI_CHANGE, LI_INCIDENT, LI_MONITOR, LI_INSPECT, LI_KB, LI_SPARES, LI_COUNT };
static const struct item_spec last_items[LI_COUNT] = {
	[LI_BACKUP] = { "people", "people.posts",
		"核心系统（网络、数据库、中间件、机房）共 12 个关键岗位，仅 7 个岗位有备份人员，人员休假或离职时存在单点风险。",
		"关键岗位 AB 角备份：12 个关键岗位全部指定 B 角并通过实操验证，备份覆盖率达到 100%。",
		"1. 梳理关键岗位清单与岗位说明书；2. 为每个关键岗位指定 B 角并制定带教计划；3. 每季度组织一次 B 角实操演练并记录；"
		"4. B 角津贴纳入绩效方案。",
		"B 角津贴 3.6 万元/年", D_HR, W_HR, W_HR, 9, 30 },
	[LI_TRAINING] = { "people", "people.training",
		"培训以临时安排为主，无年度培训计划；{P} 年培训完成率约 75%，持证（ITIL Foundation）人员 4 人。",
		"制定并执行年度培训计划：培训计划完成率 ≥ 90%，人均培训 ≥ 40 学时，新增 ITIL Foundation 持证 10 人。",
		"1. 按岗位制定培训矩阵；2. 每月一次内部技术分享；3. 组织 ITIL Foundation 认证培训两期；4. 培训效果纳入季度考核。",
		"培训费 12 万元", D_HR, W_HR, W_HR, 12, 15 },
	[LI_CHANGE] = { "process", "process.change",
		"{P} 年变更成功率 96.5%，紧急变更占比 18%；部分高风险变更未在测试环境验证即上线。",
		"变更管理流程优化：变更成功率 ≥ 98%，紧急变更占比 ≤ 10%。",
		"1. 修订《变更管理程序》，变更按风险分级；2. 建立 CAB 周例会；3. 高风险变更必须在测试环境验证并附回退方案；"
		"4. 每月统计失败变更并复盘。",
		"无新增预算", D_ITOPS, W_PLANNER, W_PLANNER, 6, 30 },
	[LI_INCIDENT] = { "process", "process.incident",
		"事件未分级，处理顺序依赖人工判断；P1 事件平均响应 25 分钟，{P} 年事件按时解决率 93.6%。",
		"事件分级响应：建立四级事件分级与升级机制，平均响应时间 ≤ 15 分钟，事件按时解决率 ≥ 95%。",
		"1. 发布《事件分级标准》与升级矩阵；2. 服务台 7×24 值班；3. P1/P2 事件 24 小时内复盘；4. 每月发布事件统计报告。",
		"值班补贴 6 万元", D_ITOPS, W_MEMBER, W_PLANNER, 5, 31 },
	[LI_MONITOR] = { "technology", "technology.detection",
		"Zabbix、云监控与应用日志分散在三套系统，告警重复与漏报并存，核心系统监控覆盖率约 60%。",
		"统一监控平台：建成统一监控平台，主机、网络、数据库、应用四层接入，核心系统监控覆盖率 100%。",
		"1. 平台选型（三家比选）；2. 一期接入主机与网络（6 月底）；3. 二期接入数据库与应用（10 月底）；"
		"4. 告警分级与收敛规则；5. 旧监控系统下线。",
		"软件及实施 45 万元", D_ITOPS, W_PLANNER, W_PLANNER, 10, 31 },
	[LI_INSPECT] = { "technology", "technology.solving",
		"日常巡检依靠人工填表，每日耗时约 3 人时，巡检结果难以追溯。",
		"自动化巡检：日常巡检项的 80% 由脚本自动执行，巡检报告自动生成，异常自动建单。",
		"1. 编写主机、网络、数据库、中间件巡检脚本（Ansible）；2. 巡检报告每日自动推送；3. 巡检异常自动生成事件单。",
		"无新增预算（自研）", D_ITOPS, W_MEMBER, W_PLANNER, 8, 31 },
	[LI_KB] = { "resources", "resources.knowledge_base",
		"知识散落在个人文档中，知识库仅 120 条，事件处理很少引用知识。",
		"知识库建设：有效知识条目 ≥ 400 条，事件解决引用知识比例 ≥ 30%。",
		"1. 制定知识条目模板与审核流程；2. P1/P2 事件与问题关闭前必须沉淀知识；3. 每季度评选优秀知识并奖励。",
		"知识激励 2 万元", D_ITOPS, W_MEMBER, W_PLANNER, 12, 31 },
	[LI_SPARES] = { "resources", "resources.spare_parts",
		"备件台账手工维护，{P} 年两次硬件故障因缺少备件延长修复时间（最长 30 小时）。",
		"备件库管理：建立电子台账与安全库存，关键备件可用率 100%。",
		"1. 全面盘点备件并入库登记；2. 设定关键备件安全库存与补货阈值；3. 每季度盘点一次。",
		"备件采购 20 万元", D_ITOPS, W_PLANNER, W_PLANNER, 6, 30 },
};

/* This year's plan v1 (prefilled from last year's evaluation), and the item added by the mid-year revision (v2). */
enum { TI_ANSIBLE, TI_ONCALL, TI_MAJOR, TI_PROBLEM, TI_INSPECT, TI_ALERTS, TI_PORTAL, TI_KB, TI_SECURITY, TI_COUNT };
static const struct item_spec this_items[TI_COUNT] = {
	[TI_ANSIBLE] = { "people", "people.training",
		"{P} 年度评估：一线工程师 14 人中仅 2 人熟悉 Ansible，是自动化巡检未达标的主要原因。",
		"Ansible 自动化运维专题培训：一线工程师全员完成培训并通过上机考核；培训计划完成率 ≥ 90%。",
		"1. 4 月底前完成 3 期专题培训（每期 8 学时）；2. 上机考核，成绩纳入季度绩效；3. 优秀学员参与巡检脚本开发。",
		"培训费 3 万元", D_HR, W_HR, W_HR, 4, 30 },
	[TI_ONCALL] = { "people", "people.staffing",
		"夜间及节假日仅 1 名一线值班，二线专家到场平均 95 分钟（{P} 年 7 月批量事件）。",
		"二线专家值班机制：二线专家电话值守，重大事件 30 分钟内响应、60 分钟内到场。",
		"1. 确定二线专家名单与排班表；2. 发布值班补贴办法；3. 每季度抽查到场时间。",
		"值班补贴 8 万元/年", D_HR, W_HR, W_HR, 5, 31 },
	[TI_MAJOR] = { "process", "process.incident",
		"{P} 年 7 月机房空调故障引发 43 起批量事件，缺少批量事件应急预案。",
		"批量事件应急预案：预案发布并每半年演练一次，批量事件按时解决率 ≥ 90%。",
		"1. 编制《批量事件应急预案》；2. 6 月、12 月各演练一次；3. 机房环境（空调、UPS）纳入统一监控告警。",
		"演练费用 1 万元", D_ITOPS, W_PLANNER, W_PLANNER, 6, 30 },
	[TI_PROBLEM] = { "process", "process.problem",
		"{P} 年重复发生的事件占 12%，问题管理未形成闭环。",
		"问题管理闭环：重复事件占比降至 8% 以下，问题单关闭率 ≥ 90%。",
		"1. 每季度对重复事件做根因分析；2. 问题单关联变更并跟踪到关闭；3. 问题分析结论沉淀到知识库。",
		"无新增预算", D_ITOPS, W_MEMBER, W_PLANNER, 12, 15 },
	[TI_INSPECT] = { "technology", "technology.solving",
		"{P} 年自动化巡检覆盖率 68%（目标 80%），数据库与中间件巡检仍为人工。",
		"自动化巡检扩展到数据库与中间件：巡检自动化覆盖率年末 ≥ 90%，按季度度量。",
		"1. 4 月底前上线数据库巡检脚本；2. 6 月底前上线中间件巡检脚本；3. 巡检异常自动建单。",
		"无新增预算（自研）", D_ITOPS, W_MEMBER, W_PLANNER, 6, 30 },
	[TI_ALERTS] = { "technology", "technology.detection",
		"统一监控平台已覆盖全部核心系统，但日均告警 1,200 条，有效告警不足 15%。",
		"告警收敛与动态基线：日均告警降至 300 条以下，有效告警占比 ≥ 50%。",
		"1. 配置告警收敛与关联规则；2. 核心指标启用动态基线；3. 每月评审无效告警。",
		"平台扩展模块 12 万元", D_ITOPS, W_PLANNER, W_PLANNER, 10, 31 },
	[TI_PORTAL] = { "resources", "resources.service_desk",
		"咨询类工单占 35%，高峰期服务台首次响应排队。",
		"服务台自助门户：上线报修、查询、知识自助三项功能，咨询类工单分流 30%。",
		"1. 门户选型与统一身份认证对接；2. 上线报修与进度查询；3. 知识库对外发布常见问题。",
		"门户软件 18 万元", D_ITOPS, W_PLANNER, W_PLANNER, 10, 31 },
	[TI_KB] = { "resources", "resources.knowledge_base",
		"知识库有效条目 436 条，事件单与知识条目没有关联，引用率无法统计。",
		"知识库与事件单关联：有效知识条目 ≥ 550 条，事件解决引用知识比例 ≥ 35%。",
		"1. 事件单关闭时必须关联或新建知识；2. 每月统计引用率；3. 过期知识每季度复审。",
		"无新增预算", D_ITOPS, W_MEMBER, W_PLANNER, 12, 31 },
	[TI_SECURITY] = { "process", "process.security",
		"{Y} 年 5 月等级保护 2.0 三级测评发现高风险项 3 个、中风险项 11 个。",
		"等级保护整改：高风险项全部整改，中风险项整改率 ≥ 90%，通过复测。",
		"1. 高风险项（弱口令、未加密传输、日志留存不足）限期整改；2. 中风险项按系统分批整改；3. 12 月申请复测。",
		"安全加固 25 万元", D_ITOPS, W_MEMBER, W_PLANNER, 12, 15 },
};

static const char *const attendees_last =
	"王建国（分管副总，列席）、李明（IT运维事业部）、张丽（人力资源部）、陈静（质量管理部）、商务部代表";
static const char *const attendees_this = "李明（IT运维事业部）、张丽（人力资源部）、陈静（质量管理部）、赵强（运维工程师代表）";

static int mk_plan(struct demo *d, int k, int year)
{
	json_t *o = NULL;
	step(d, "the %d plan: created by the planner", year);
	at(d, ymd(year - 1, 12, k == LAST ? 5 : 16), 10);
	int rc = as(d, W_PLANNER, "plan.create");
	if (rc)
		return rc;
	rc = plan_create(d->ctx, year, tx(d, year, "{Y}年度服务能力管理计划"), &o);
	if ((rc = took(d, rc, o, &d->made[k].plan_id)))
		return rc;
	d->made[k].year = year;
	d->made[k].plan_version = 1;
	return 0;
}

/* Adds the items spec[from..to) to the year's plan, each by its author. */
static int mk_items(struct demo *d, int k, const struct item_spec *spec, size_t from, size_t to)
{
	int year = d->made[k].year;
	for (size_t i = from; i < to; i++) {
		const struct item_spec *s = &spec[i];
		json_t *o = NULL;
		step(d, "the %d plan: item %zu (%s)", year, i + 1, s->area);
		int rc = as(d, s->author, "plan.item.write");
		if (rc)
			return rc;
		struct nl_plan_item_input in = { .element = s->element, .area = s->area,
			.current_state = tx(d, year, s->current_state), .objective = tx(d, year, s->objective),
			.measures = tx(d, year, s->measures), .owner_department_id = d->dept[s->dept],
			.owner_user_id = d->user[s->owner].id, .due_date = ds(d, ymd(year, s->due_m, s->due_d)),
			.budget = tx(d, year, s->budget) };
		rc = plan_item_create(d->ctx, d->made[k].plan_id, &in, 0, &o);
		if ((rc = took(d, rc, o, &d->item[k][i])))
			return rc;
		d->made[k].items++;
	}
	return 0;
}

static int mk_tracking(struct demo *d, int k, const char *achievements, const char *problems, const char *carryover)
{
	int year = d->made[k].year;
	json_t *o = NULL;
	step(d, "the %d plan: review and tracking sections", year);
	int rc = as(d, W_PLANNER, "plan.edit");
	if (rc)
		return rc;
	struct nl_plan_input in = {
		.review_achievements = tx(d, year, achievements), .review_problems = tx(d, year, problems),
		.review_carryover = tx(d, year, carryover),
		.tracking_plan = tx(d, year, "质量管理部依据《运维服务管理目标度量达成表》和《运维服务管理计划工作执行跟踪表》"
					      "每月跟踪检查计划执行情况，每季度向分管副总书面报告；偏差由责任部门分析原因、制定纠正措施，"
					      "质量管理部验证关闭。12 月开展年度执行效果评估。"),
		.tracking_frequency = "month",
		.tracking_checkpoints = "每月 5 日前：各部门录入上月指标值；每月 10 日前：质量管理部审核并关闭上上月期间；"
					"3/6/9/12 月末：季度检查与季度指标；12 月：年度评估并编制下一年度计划。",
		.tracker_user_id = d->user[W_QUALITY].id,
	};
	unsigned set = NL_PLAN_SET_TRACKING_PLAN | NL_PLAN_SET_TRACKING_FREQUENCY | NL_PLAN_SET_TRACKING_CHECKPOINTS |
		NL_PLAN_SET_TRACKER;
	if (achievements)
		set |= NL_PLAN_SET_REVIEW_ACHIEVEMENTS | NL_PLAN_SET_REVIEW_PROBLEMS | NL_PLAN_SET_REVIEW_CARRYOVER;
	rc = plan_update(d->ctx, d->made[k].plan_id, &in, set, 0, &o);
	return took(d, rc, o, NULL);
}

static int mk_meeting(struct demo *d, int k, enum who w, struct nl_date held, const char *attendees, const char *minutes,
	const char *decision)
{
	int year = d->made[k].year;
	json_t *o = NULL;
	step(d, "the %d plan: review meeting of %s", year, ds(d, held));
	at(d, held, 15);
	d->last_meeting = held;
	int rc = as(d, w, "plan.meeting");
	if (rc)
		return rc;
	struct nl_plan_meeting_input in = { ds(d, held), attendees, tx(d, year, minutes), decision };
	rc = plan_meeting_create(d->ctx, d->made[k].plan_id, &in, &o);
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	d->made[k].meetings++;
	return 0;
}

/* submit (planner), then approve or reject (approver) with the comment. */
static int mk_decision(struct demo *d, int k, int approve, const char *comment)
{
	int year = d->made[k].year;
	json_t *o = NULL;
	step(d, "the %d plan v%d: submitted by the planner", year, d->made[k].plan_version);
	at(d, shift(d->last_meeting, 1), 10);
	int rc = as(d, W_PLANNER, "plan.create");
	if (rc)
		return rc;
	rc = plan_submit(d->ctx, d->made[k].plan_id, &o);
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	step(d, "the %d plan v%d: %s by the approver", year, d->made[k].plan_version, approve ? "approved" : "rejected");
	if ((rc = as(d, W_APPROVER, "plan.approve")))
		return rc;
	at(d, shift(d->last_meeting, 3), 16);
	rc = approve ? plan_approve(d->ctx, d->made[k].plan_id, tx(d, year, comment), &o)
		     : plan_reject(d->ctx, d->made[k].plan_id, tx(d, year, comment), &o);
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	if (!approve)
		d->made[k].rejections++;
	return 0;
}

/* Last year's plan: drafted in December of the year before, a meeting passes it, the VP rejects it for the monitoring
 * budget, the budget is split into two phases, a second meeting passes it, the VP approves it. */
static int plan_last_year(struct demo *d)
{
	int year = d->y - 1, rc;
	json_t *o = NULL;
	if ((rc = mk_plan(d, LAST, year)) || (rc = mk_items(d, LAST, last_items, 0, LI_COUNT)))
		return rc;
	rc = mk_tracking(d, LAST,
		"{P} 年度考核指标 7 项，达标 5 项：事件按时解决率 93.6%（目标 95%）、变更成功率 96.5%（目标 98%）未达标；"
		"客户满意度 4.4 分，较上年提高 0.1 分。",
		"1. 监控工具分散在三套系统，告警重复与漏报并存；\n2. 12 个关键岗位中仅 7 个有备份人员；\n"
		"3. 培训以临时安排为主，年度培训完成率约 75%；\n4. 部分高风险变更未经测试环境验证，紧急变更占比 18%；\n"
		"5. 备件台账手工维护，两次故障因缺备件延长修复时间。",
		"1. 统一监控平台选型（{P} 年未完成，转入本年度）；\n2. 备件台账电子化。");
	if (rc || (rc = mk_meeting(d, LAST, W_PLANNER, ymd(year - 1, 12, 12), attendees_last,
			   "审议《{Y}年度服务能力管理计划》草案：人员、过程、技术、资源四个要素共 8 项能力规划。"
			   "统一监控平台预算较大，建议报批时说明选型依据。会议同意报分管副总审批。",
			   "pass")))
		return rc;
	if ((rc = mk_decision(d, LAST, 0, "统一监控平台 45 万元预算缺少选型比较和分期实施方案，请补充后重新提交。")))
		return rc;
	step(d, "the %d plan: the planner splits the monitoring budget after the rejection", year);
	if ((rc = as(d, W_PLANNER, "plan.item.write")))
		return rc;
	struct nl_plan_item_input in = {
		.measures = "1. 平台选型：已比选三家厂商（报告附后），推荐方案 B；2. 一期接入主机与网络（6 月底，28 万元）；"
			    "3. 二期接入数据库与应用（10 月底，17 万元）；4. 告警分级与收敛规则；5. 旧监控系统下线。",
		.budget = "软件及实施 45 万元，分两期：一期 28 万元、二期 17 万元（附三家厂商比选报告）",
	};
	rc = plan_item_update(d->ctx, d->item[LAST][LI_MONITOR], &in, NL_ITEM_SET_MEASURES | NL_ITEM_SET_BUDGET, &o);
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	if ((rc = mk_meeting(d, LAST, W_PLANNER, ymd(year - 1, 12, 22), attendees_last,
		     "针对审批意见补充统一监控平台三家厂商比选报告，预算分两期实施（一期 28 万元、二期 17 万元）。会议一致通过，重新报批。",
		     "pass")))
		return rc;
	return mk_decision(d, LAST, 1, "同意。请质量管理部据此组织制定{Y}年度运维服务管理目标度量计划。");
}

/* This year's plan, created after last year's evaluation was finalized (its review comes prefilled from it):
 * v1 passes a meeting and is approved in December; in mid-year it is revised (a new security item, a later date for
 * the alert work), passes a meeting and is approved again as v2. */
static int plan_this_year_v1(struct demo *d)
{
	int year = d->y, rc;
	if ((rc = mk_plan(d, THIS, year)) || (rc = mk_tracking(d, THIS, NULL, NULL, NULL)) ||
		(rc = mk_items(d, THIS, this_items, 0, TI_SECURITY)))
		return rc;
	if ((rc = mk_meeting(d, THIS, W_QUALITY, ymd(year - 1, 12, 19), attendees_this,
		     "审议《{Y}年度服务能力管理计划》草案。上年度回顾由{P}年度评估报告带入；{P}年度评估提出的 5 项改进建议"
		     "（自动化巡检、Ansible 培训、二线值班、外部依赖管理、自助门户）均已纳入本年度规划。会议一致通过。",
		     "pass")))
		return rc;
	return mk_decision(d, THIS, 1, "同意。请质量管理部据此制定{Y}年度目标度量计划，各部门制定详细工作计划。");
}

static int plan_this_year_v2(struct demo *d)
{
	int year = d->y, rc;
	json_t *o = NULL;
	step(d, "the %d plan: revised by the planner", year);
	at(d, dmin(ymd(year, 6, 10), d->today), 10);
	if ((rc = as(d, W_PLANNER, "plan.create")))
		return rc;
	rc = plan_revise(d->ctx, d->made[THIS].plan_id,
		tx(d, year, "年中调整：新增“等级保护 2.0 三级测评整改”（过程·信息安全）；“告警收敛与动态基线”完成时间由 10 月 31 日"
			    "调整为 12 月 31 日（监控平台厂商新版本推迟发布）。"),
		&o);
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	d->made[THIS].plan_version = 2;
	if ((rc = mk_items(d, THIS, this_items, TI_SECURITY, TI_COUNT)))
		return rc;
	step(d, "the %d plan v2: new date for the alert work", year);
	if ((rc = as(d, W_PLANNER, "plan.item.write")))
		return rc;
	struct nl_plan_item_input in = { .due_date = ds(d, ymd(year, 12, 31)),
		.measures = "1. 配置告警收敛与关联规则；2. 核心指标启用动态基线（待厂商 V5.2 版本，预计 11 月发布）；"
			    "3. 每月评审无效告警。" };
	rc = plan_item_update(d->ctx, d->item[THIS][TI_ALERTS], &in, NL_ITEM_SET_DUE_DATE | NL_ITEM_SET_MEASURES, &o);
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	struct nl_date held = dmin(ymd(year, 6, 18), d->today);
	if ((rc = mk_meeting(d, THIS, W_PLANNER, held, attendees_this,
		     "年中计划调整评审：等保测评整改纳入年度计划，所需 25 万元从年度预备费列支；告警动态基线顺延至年底。会议通过。",
		     "pass")))
		return rc;
	return mk_decision(d, THIS, 1, "同意调整。等保整改按期完成并申请复测。");
}

/* ================================ Metrics and the achievement table ================================ */

struct metric_spec {
	const char *code, *name, *name_en, *element, *definition, *formula, *unit, *direction, *method, *evidence;
	enum dept dept;            /* owner department */
	enum who recorder;         /* who enters the values */
	int item[2];               /* the plan item measured, by spec index per year; -1: none */
	const char *frequency[2];
	double target[2], warning[2];
	double val[2][12];         /* per period: the actual, or the numerator when den is not 0 */
	double den[2][12];
};

enum { M_BACKUP, M_TRAIN, M_INC, M_RESP, M_CHANGE, M_MONITOR, M_INSPECT, M_KB, M_CSAT, M_COUNT };
static const struct metric_spec metrics[M_COUNT] = {
	[M_BACKUP] = { "PPL-BACKUP", "关键岗位备份覆盖率", "Key-post backup coverage", "people",
		"已指定 B 角并通过实操验证的关键岗位数 ÷ 关键岗位总数（期末值）。", "有合格 B 角的关键岗位数 / 关键岗位总数",
		"ratio", "higher_better", "人力资源部每季度末核对《关键岗位 AB 角清单》与实操演练记录。",
		"《关键岗位 AB 角清单》及演练记录", D_HR, W_HR, { LI_BACKUP, -1 }, { "quarter", "quarter" }, { 1, 1 }, { 0.8, 0.9 },
		{ { 10, 11, 12, 12 }, { 12, 12, 14, 15 } }, { { 12, 12, 12, 12 }, { 12, 12, 15, 15 } } },
	[M_TRAIN] = { "PPL-TRAIN", "培训计划完成率", "Training plan completion", "people",
		"本期按计划完成的培训课程数 ÷ 本期计划课程数。", "完成课程数 / 计划课程数", "ratio", "higher_better",
		"人力资源部按培训签到表与考核记录统计。", "培训签到表、考核成绩单", D_HR, W_HR, { LI_TRAINING, TI_ANSIBLE },
		{ "quarter", "quarter" }, { 0.9, 0.9 }, { 0.85, 0.85 }, { { 11, 15, 13, 14 }, { 12, 14, 15, 13 } },
		{ { 12, 17, 15, 15 }, { 13, 16, 16, 14 } } },
	[M_INC] = { "PRC-INC-ONTIME", "事件按时解决率", "Incidents resolved in time", "process",
		"在 SLA 规定时限内解决的事件数 ÷ 本期已解决的事件数。", "按时解决事件数 / 已解决事件数", "ratio", "higher_better",
		"IT 运维事业部每月从 ITSM 系统导出事件报表统计。", "ITSM 系统月度事件报表", D_ITOPS, W_MEMBER,
		{ LI_INCIDENT, TI_MAJOR }, { "month", "month" }, { 0.95, 0.95 }, { 0.92, 0.92 },
		{ { 175, 163, 195, 190, 202, 192, 215, 209, 199, 206, 191, 215 },
			{ 192, 180, 203, 199, 210, 203, 218, 217, 207, 212, 201, 0 } },
		{ { 186, 172, 205, 198, 211, 203, 236, 221, 208, 215, 199, 224 },
			{ 201, 188, 214, 207, 219, 212, 230, 226, 217, 221, 209, 1 } } },
	[M_RESP] = { "PRC-RESP-MIN", "平均响应时间", "Mean response time", "process",
		"事件从服务台受理到首次响应的平均时长。", "∑(首次响应时间 − 受理时间) / 事件数", "minutes", "lower_better",
		"IT 运维事业部每月从 ITSM 系统统计。", "ITSM 系统月度事件报表", D_ITOPS, W_MEMBER, { LI_INCIDENT, TI_PORTAL },
		{ "month", "month" }, { 15, 15 }, { 18, 18 },
		{ { 17.6, 16.9, 15.8, 14.9, 14.2, 13.8, 16.4, 14.1, 13.6, 13.9, 13.2, 12.8 },
			{ 13.4, 13.1, 14.6, 12.9, 12.7, 13.3, 14.1, 19.2, 13.5, 12.9, 12.6, 12.4 } },
		{ { 0 }, { 0 } } },
	[M_CHANGE] = { "PRC-CHG-SUCCESS", "变更成功率", "Change success rate", "process",
		"成功实施且未回退的变更数 ÷ 本期实施的变更总数。", "成功变更数 / 变更总数", "ratio", "higher_better",
		"IT 运维事业部按变更记录与 CAB 会议纪要统计。", "变更记录、CAB 会议纪要", D_ITOPS, W_MEMBER, { LI_CHANGE, -1 },
		{ "month", "month" }, { 0.98, 0.98 }, { 0.96, 0.96 },
		{ { 37, 31, 42, 38, 45, 50, 52, 46, 51, 44, 48, 55 }, { 47, 39, 51, 46, 53, 49, 55, 44, 50, 52, 48, 0 } },
		{ { 38, 31, 43, 40, 45, 50, 53, 46, 52, 44, 49, 56 }, { 47, 40, 52, 46, 54, 49, 56, 45, 50, 53, 48, 1 } } },
	[M_MONITOR] = { "TEC-MON-COVER", "核心系统监控覆盖率", "Core-system monitoring coverage", "technology",
		"主机、网络、数据库、应用四层均已接入统一监控平台的核心系统数 ÷ 核心系统总数（年末值）。",
		"四层接入的核心系统数 / 核心系统总数", "ratio", "higher_better", "IT 运维事业部年末按监控平台接入清单统计。",
		"监控平台接入清单", D_ITOPS, W_MEMBER, { LI_MONITOR, TI_ALERTS }, { "year", "year" }, { 1, 1 }, { 0.95, 0.95 },
		{ { 86 }, { 0 } }, { { 86 }, { 0 } } },
	[M_INSPECT] = { "TEC-AUTO-INSPECT", "巡检自动化覆盖率", "Automated inspection coverage", "technology",
		"由脚本自动执行的日常巡检项数 ÷ 日常巡检项总数（期末值）。", "自动巡检项数 / 巡检项总数", "ratio", "higher_better",
		"IT 运维事业部按巡检项清单统计。", "巡检项清单、巡检脚本仓库", D_ITOPS, W_MEMBER, { LI_INSPECT, TI_INSPECT },
		{ "year", "quarter" }, { 0.8, 0.9 }, { 0.7, 0.8 }, { { 130 }, { 144, 172, 186, 0 } },
		{ { 192 }, { 200, 202, 204, 1 } } },
	[M_KB] = { "RES-KB-ENTRIES", "知识库有效条目数", "Knowledge base entries", "resources",
		"知识库中经审核发布且在有效期内的条目数（年末值）。", "年末有效知识条目数", "count", "higher_better",
		"IT 运维事业部年末从知识库系统统计。", "知识库系统统计报表", D_ITOPS, W_MEMBER, { LI_KB, TI_KB }, { "year", "year" },
		{ 400, 550 }, { 350, 500 }, { { 436 }, { 0 } }, { { 0 }, { 0 } } },
	[M_CSAT] = { "CSAT", "客户满意度", "Customer satisfaction", "process",
		"季度客户满意度调查得分（1–5 分）的平均值。", "∑ 调查得分 / 有效问卷数", "score", "higher_better",
		"质量管理部每季度末向业务部门发放满意度问卷并统计。", "季度满意度调查问卷与统计表", D_QA, W_QUALITY, { -1, -1 },
		{ "quarter", "quarter" }, { 4.5, 4.5 }, { 4.3, 4.3 }, { { 4.42, 4.51, 4.56, 4.61 }, { 4.55, 4.48, 4.62, 0 } },
		{ { 0 }, { 0 } } },
};

/* The analysis and corrective action of a value designed to miss (k: year index, index: the period's 0-based slot). */
struct miss_spec {
	int metric, k, index;
	const char *analysis, *action;
};
static const struct miss_spec misses[] = {
	{ M_INC, LAST, 6,
		"7 月 12 日数据中心精密空调故障，夜间集中爆发 43 起批量事件；"
		"夜间仅 1 人值班，二线支持到场平均 95 分钟，21 起事件超出解决时限。",
		"1. 夜间值班增至 2 人并设二线专家电话值守；2. 编制《批量事件应急预案》，9 月演练；3. 机房空调、UPS 纳入统一监控告警。" },
	{ M_CHANGE, LAST, 3,
		"4 月实施变更 40 次，失败 2 次：均为数据库补丁变更，未在测试环境验证即上线，回退耗时约 2 小时。",
		"修订《变更管理程序》：高风险变更必须在测试环境验证并附回退方案，"
		"经 CAB 周例会审批后实施；5 月起执行，质量管理部每月抽查。" },
	{ M_INSPECT, LAST, 0,
		"全年自动化巡检覆盖主机与网络设备（130/192 项，67.7%）；"
		"数据库、中间件版本多，脚本未完成；一线工程师中仅 2 人熟悉 Ansible。",
		"纳入{N}年度计划：上半年完成数据库、中间件巡检脚本；4 月前完成 Ansible 专题培训；巡检覆盖率改为按季度度量。" },
	{ M_RESP, THIS, 7,
		"8 月核心业务系统升级期间咨询类工单较 7 月增加 38%，服务台首次响应排队，平均响应 19.2 分钟。",
		"计划性升级、割接提前发布公告与常见问题解答；高峰期服务台增派 2 名临时坐席；推进自助门户上线分流咨询类工单。" },
	{ M_INSPECT, THIS, 0,
		"数据库巡检脚本按计划 4 月上线，一季度自动巡检仅覆盖主机与网络设备（144/200 项）。",
		"按计划推进：4 月底前上线数据库巡检脚本，6 月底前上线中间件巡检脚本；二季度末复核。" },
};

/* The period kind of a frequency name and the number of its periods in a year. */
static void frequency_of(const char *freq, int *n_periods, enum nl_period_kind *kind)
{
	if (!strcmp(freq, "month")) {
		*kind = NL_PERIOD_MONTH;
		*n_periods = 12;
	} else if (!strcmp(freq, "quarter")) {
		*kind = NL_PERIOD_QUARTER;
		*n_periods = 4;
	} else {
		*kind = NL_PERIOD_YEAR;
		*n_periods = 1;
	}
}

static int mk_metrics(struct demo *d, int k)
{
	int year = d->made[k].year;
	for (int i = 0; i < M_COUNT; i++) {
		const struct metric_spec *s = &metrics[i];
		json_t *o = NULL;
		step(d, "the %d measurement plan: metric %s", year, s->code);
		int rc = as(d, W_QUALITY, "metric.write");
		if (rc)
			return rc;
		struct nl_metric_input in = { .year = year, .code = s->code, .name = s->name, .name_en = s->name_en,
			.element = s->element, .definition = s->definition, .formula = s->formula, .unit = s->unit,
			.direction = s->direction, .frequency = s->frequency[k], .source = "manual", .method = s->method,
			.target = s->target[k], .has_warning = 1, .warning = s->warning[k],
			.owner_department_id = d->dept[s->dept], .plan_item_id = s->item[k] >= 0 ? d->item[k][s->item[k]] : 0 };
		rc = metric_create(d->ctx, &in, &o);
		if ((rc = took(d, rc, o, &d->metric[k][i])))
			return rc;
		d->made[k].metrics++;
	}
	return 0;
}

/* How many periods of a kind have ended by the end of month `month` of the year (0..12): that many months, the
 * quarters whose last month is ≤ month, the year only when month is 12. They are the slots 0..count-1. */
static int slots_ended(enum nl_period_kind kind, int month)
{
	return kind == NL_PERIOD_MONTH ? month : kind == NL_PERIOD_QUARTER ? month / 3 : month >= 12 ? 1 : 0;
}

/* Records one value as the metric's recorder; a missed value gets its analysis and corrective action from the
 * department head (a second write, as in real life) unless open_miss says to leave it for quality to chase. */
static int mk_value(struct demo *d, int k, int mi, enum nl_period_kind kind, int slot, int open_miss)
{
	const struct metric_spec *s = &metrics[mi];
	int year = d->made[k].year;
	const char *period = period_s(d, kind, year, kind == NL_PERIOD_YEAR ? 0 : slot + 1);
	double v = s->val[k][slot], den = s->den[k][slot];
	if (open_miss) {   /* a month whose incidents went badly: about 90 % resolved in time */
		den = den > 1 ? den : 210;
		v = floor(den * 0.905);
	}
	json_t *o = NULL;
	step(d, "the %d achievement table: %s %s", year, s->code, period);
	struct nl_period per;
	struct nl_date last = d->today;
	if (period_parse(period, &per) == 0 && period_last_date(per, &last) == 0)
		at(d, shift(last, 3), 10);
	int rc = as(d, s->recorder, "metric.value.write");
	if (rc)
		return rc;
	struct nl_value_input in = { .note = open_miss ? "数据已录入；未达标原因待 IT 运维事业部分析。" : NULL,
		.evidence = tx(d, year, s->evidence) };
	if (den > 0) {
		in.num.has_numerator = in.num.has_denominator = 1;
		in.num.numerator = v;
		in.num.denominator = den;
	} else {
		in.num.has_actual = 1;
		in.num.actual = v;
	}
	int created = 0;
	rc = achievement_value_put(d->ctx, d->metric[k][mi], period, &in, &created, &o);
	const char *status = rc == 0 ? json_string_value(json_object_get(o, "status")) : NULL;
	int missed = status && !strcmp(status, "missed");
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	d->made[k].values++;
	if (!missed)
		return 0;
	d->made[k].missed++;
	if (open_miss) {
		d->made[k].open_missed++;
		return 0;
	}
	const struct miss_spec *m = NULL;
	for (size_t i = 0; i < NL_ARRAY_LEN(misses); i++)
		if (misses[i].metric == mi && misses[i].k == k && misses[i].index == slot)
			m = &misses[i];
	step(d, "the %d achievement table: analysis of the missed %s %s", year, s->code, period);
	at(d, shift(last, 6), 15);
	enum who head = s->dept == D_ITOPS ? W_PLANNER : s->recorder;
	if ((rc = as(d, head, "metric.value.write")))
		return rc;
	struct nl_value_input fix = {
		.deviation_analysis = m ? tx(d, year, m->analysis) : "本期未达到目标值，原因正在分析。",
		.corrective_action = m ? tx(d, year, m->action) : "责任部门制定改进措施，下期复核。",
	};
	rc = achievement_value_put(d->ctx, d->metric[k][mi], period, &fix, &created, &o);
	return took(d, rc, o, NULL);
}

/* Values of every metric for the periods that ended by the end of month `through`; the open miss (this year only) is
 * the incidents metric in that last month. */
static int mk_values(struct demo *d, int k, int through)
{
	for (int mi = 0; mi < M_COUNT; mi++) {
		enum nl_period_kind kind;
		int n = 0, rc;
		frequency_of(metrics[mi].frequency[k], &n, &kind);
		int ended = slots_ended(kind, through);
		for (int slot = 0; slot < ended && slot < n; slot++) {
			int open_miss = k == THIS && mi == M_INC && kind == NL_PERIOD_MONTH && slot == through - 1;
			if (k == THIS && kind == NL_PERIOD_YEAR)
				continue;   /* this year's yearly values come in January */
			if ((rc = mk_value(d, k, mi, kind, slot, open_miss)))
				return rc;
		}
	}
	return 0;
}

/* Quality closes the months through `month`, and the quarters (and the year) that ended by then. */
static int mk_closes(struct demo *d, int k, int month)
{
	int year = d->made[k].year, rc;
	for (int kind = NL_PERIOD_MONTH; kind >= NL_PERIOD_YEAR; kind--) {
		int ended = slots_ended((enum nl_period_kind)kind, month);
		for (int slot = 0; slot < ended; slot++) {
			const char *period = period_s(d, (enum nl_period_kind)kind, year, kind == NL_PERIOD_YEAR ? 0 : slot + 1);
			json_t *o = NULL;
			step(d, "closing the period %s", period);
			struct nl_period per;
			struct nl_date last = d->today;
			if (period_parse(period, &per) == 0 && period_last_date(per, &last) == 0)
				at(d, shift(last, 10), 17);
			if ((rc = as(d, W_QUALITY, "achievement.manage")))
				return rc;
			rc = achievement_close(d->ctx, period, &o);
			if ((rc = took(d, rc, o, NULL)))
				return rc;
			d->made[k].closed++;
		}
	}
	return 0;
}

/* ================================ Work items, progress, checks ================================ */

enum outcome { O_DONE, O_LATE, O_OPEN, O_DELAYED, O_CANCEL, O_NOT_STARTED };

struct task_spec {
	enum dept dept;
	enum who owner, creator;
	const char *title, *deliverable;
	int item, metric;            /* spec indexes; -1: none */
	int sm, sd, em, ed;          /* planned start and end; em 0: the end is today + rel days (kept within the year) */
	int rel, span;               /* em 0: end = today + rel, start = end − span */
	enum outcome outcome;
	int arg;                     /* O_DONE/O_LATE: actual end − planned end (days); O_OPEN/O_DELAYED: percent */
	const char *note[3];         /* progress notes: first report, middle, last */
};

enum { LT_CAB, LT_GRADING, LT_MON1, LT_MON2, LT_SCRIPTS, LT_SPARES, LT_KB, LT_POSTS, LT_TRAINING, LT_ITIL, LT_CSAT,
	LT_AUDIT, LT_COUNT };
static const struct task_spec last_tasks[LT_COUNT] = {
	[LT_CAB] = { D_ITOPS, W_PLANNER, W_PLANNER, "修订《变更管理程序》并建立 CAB 周例会", "《变更管理程序》V2.0、CAB 会议纪要",
		LI_CHANGE, M_CHANGE, 1, 10, 3, 31, 0, 0, O_DONE, -3,
		{ "完成现行程序差距分析，起草修订稿。", "修订稿经部门评审，CAB 成员名单确定。",
			"程序发布，CAB 周例会自 3 月第 4 周起召开。" } },
	[LT_GRADING] = { D_ITOPS, W_MEMBER, W_PLANNER, "发布《事件分级标准》与升级矩阵", "《事件分级标准》、升级矩阵",
		LI_INCIDENT, M_INC, 1, 5, 4, 30, 0, 0, O_DONE, -5,
		{ "收集近一年事件数据，初拟四级分级标准。", "分级标准征求业务部门意见。", "标准与升级矩阵发布，服务台完成培训。" } },
	[LT_MON1] = { D_ITOPS, W_PLANNER, W_PLANNER, "统一监控平台一期：主机与网络接入", "一期验收报告", LI_MONITOR, -1,
		3, 1, 6, 30, 0, 0, O_DONE, -10,
		{ "平台部署完成，开始接入主机。", "主机接入完成，网络设备接入中。", "一期验收通过：接入主机 412 台、网络设备 96 台。" } },
	[LT_MON2] = { D_ITOPS, W_PLANNER, W_PLANNER, "统一监控平台二期：数据库与应用接入", "二期验收报告", LI_MONITOR, M_MONITOR,
		7, 1, 10, 31, 0, 0, O_LATE, 20,
		{ "数据库接入完成 60%。", "应用日志格式不统一，需开发组改造，进度滞后。", "二期验收通过，核心系统 86 个全部四层接入。" } },
	[LT_SCRIPTS] = { D_ITOPS, W_MEMBER, W_PLANNER, "主机与网络设备自动化巡检脚本", "巡检脚本、每日巡检报告",
		LI_INSPECT, M_INSPECT, 2, 1, 8, 31, 0, 0, O_DONE, -6,
		{ "主机巡检脚本完成并试运行。", "网络设备巡检脚本完成。", "巡检报告每日 8:00 自动推送，异常自动建单。" } },
	[LT_SPARES] = { D_ITOPS, W_MEMBER, W_PLANNER, "备件盘点、电子台账与安全库存设定", "备件电子台账、安全库存清单",
		LI_SPARES, -1, 3, 1, 6, 30, 0, 0, O_DONE, -15,
		{ "完成备件全面盘点。", "电子台账录入完成。", "关键备件安全库存与补货阈值发布。" } },
	[LT_KB] = { D_ITOPS, W_MEMBER, W_PLANNER, "知识条目模板与审核流程上线", "知识条目模板、审核流程", LI_KB, M_KB,
		1, 15, 3, 31, 0, 0, O_DONE, -1,
		{ "起草知识条目模板。", "审核流程在知识库系统中配置完成。", "模板与审核流程上线并培训。" } },
	[LT_POSTS] = { D_HR, W_HR, W_HR, "梳理关键岗位清单并指定 B 角", "《关键岗位 AB 角清单》", LI_BACKUP, M_BACKUP,
		1, 10, 3, 31, 0, 0, O_DONE, -6,
		{ "与 IT 运维事业部梳理出 12 个关键岗位。", "B 角人选确定 10 个。", "12 个关键岗位全部指定 B 角，清单发布。" } },
	[LT_TRAINING] = { D_HR, W_HR, W_HR, "制定并实施年度培训计划", "年度培训计划、培训记录", LI_TRAINING, M_TRAIN,
		1, 5, 12, 15, 0, 0, O_DONE, -3,
		{ "年度培训计划发布（课程 59 门）。", "三季度重保值守，2 门课程顺延。",
			"全年完成 53/59 门课程，ITIL Foundation 新增持证 11 人。" } },
	[LT_ITIL] = { D_HR, W_HR, W_HR, "外派 ITIL Expert 高级认证培训", "认证证书", LI_TRAINING, -1, 5, 1, 9, 30, 0, 0, O_CANCEL,
		0, { "已报名，等待培训机构排期。", "培训机构取消本年度开班，改为内部专题培训并入年度培训计划，本项取消。", NULL } },
	[LT_CSAT] = { D_QA, W_QUALITY, W_QUALITY, "季度客户满意度调查与分析", "季度满意度调查报告", -1, M_CSAT, 3, 1, 12, 20, 0, 0,
		O_DONE, -2,
		{ "一季度问卷发放 120 份，回收 104 份。", "三季度调查完成，满意度 4.56 分。", "四季度调查完成，全年报告提交分管副总。" } },
	[LT_AUDIT] = { D_QA, W_QUALITY, W_QUALITY, "ISO/IEC 20000 内部审核", "内审报告、不符合项清单", -1, -1, 9, 1, 10, 31,
		0, 0, O_DONE, -3, { "内审计划发布。", "现场审核完成，发现一般不符合项 3 项。", "内审报告发布，不符合项已制定纠正措施。" } },
};

enum { TT_DB, TT_MW, TT_PLAYBOOK, TT_ALERTS, TT_PROBLEM, TT_PORTAL, TT_SECURITY, TT_NAGIOS, TT_ANSIBLE, TT_ONCALL,
	TT_DRILLS, TT_CSAT, TT_AUDIT, TT_REPORT, TT_COUNT };
static const struct task_spec this_tasks[TT_COUNT] = {
	[TT_DB] = { D_ITOPS, W_MEMBER, W_PLANNER, "数据库巡检脚本开发与上线", "数据库巡检脚本、巡检报告", TI_INSPECT, M_INSPECT,
		1, 10, 4, 30, 0, 0, O_DONE, -2,
		{ "完成 Oracle、MySQL 巡检项梳理（共 46 项）。", "脚本在测试环境验证通过。", "数据库巡检脚本上线，覆盖 32 个实例。" } },
	[TT_MW] = { D_ITOPS, W_MEMBER, W_PLANNER, "中间件巡检脚本开发与上线", "中间件巡检脚本、巡检报告", TI_INSPECT, M_INSPECT,
		3, 1, 6, 30, 0, 0, O_LATE, 12,
		{ "Tomcat、Nginx 巡检脚本完成。", "部分 WebLogic 旧版本无管理接口，改用日志解析，进度滞后。",
			"中间件巡检脚本全部上线。" } },
	[TT_PLAYBOOK] = { D_ITOPS, W_PLANNER, W_PLANNER, "编制《批量事件应急预案》并组织演练", "应急预案、演练报告", TI_MAJOR, M_INC,
		2, 1, 6, 30, 0, 0, O_DONE, -10,
		{ "预案初稿完成。", "预案评审通过并发布。", "6 月组织机房空调故障演练，演练报告已归档。" } },
	[TT_ALERTS] = { D_ITOPS, W_PLANNER, W_PLANNER, "告警收敛规则与动态基线配置", "告警规则库、月度告警评审记录", TI_ALERTS, -1,
		4, 1, 12, 31, 0, 0, O_OPEN, 60,
		{ "梳理告警源，停用重复告警规则 310 条。", "日均告警降至 520 条；动态基线待厂商新版本。", NULL } },
	[TT_PROBLEM] = { D_ITOPS, W_MEMBER, W_PLANNER, "重复事件根因分析（按季度）", "季度问题分析报告", TI_PROBLEM, -1, 3, 1, 12, 15, 0,
		0, O_DELAYED, 55,
		{ "一季度重复事件分析完成，关闭问题单 6 个。", "三季度分析因重保值守推迟，预计延后两周完成。", NULL } },
	[TT_PORTAL] = { D_ITOPS, W_PLANNER, W_PLANNER, "服务台自助门户上线", "自助门户（报修、查询、知识自助）", TI_PORTAL, M_RESP,
		0, 0, 0, 0, -28, 150, O_OPEN, 70,
		{ "门户选型完成，开始与统一身份认证对接。", "报修与进度查询功能开发完成，身份认证联调未通过。", NULL } },
	[TT_SECURITY] = { D_ITOPS, W_MEMBER, W_PLANNER, "等保 2.0 高风险项整改", "整改报告、复测申请", TI_SECURITY, -1, 0, 0, 0, 0, 5,
		90, O_OPEN, 80, { "弱口令与未加密传输两项已整改。", "日志留存整改完成 80%，待日志审计设备扩容。", NULL } },
	[TT_NAGIOS] = { D_ITOPS, W_MEMBER, W_PLANNER, "旧版 Nagios 监控下线迁移", "下线记录", TI_ALERTS, -1, 2, 1, 5, 31, 0, 0,
		O_CANCEL, 0, { "开始梳理 Nagios 监控项。", "监控项已随统一监控平台二期全部迁移，旧系统已下线，本项取消。", NULL } },
	[TT_ANSIBLE] = { D_HR, W_HR, W_HR, "Ansible 专题培训（3 期）及上机考核", "培训签到表、考核成绩", TI_ANSIBLE, M_TRAIN,
		2, 15, 4, 30, 0, 0, O_DONE, -3,
		{ "第一期培训完成，参训 14 人。", "第二期、第三期培训完成。", "上机考核完成，14 人全部通过。" } },
	[TT_ONCALL] = { D_HR, W_HR, W_HR, "二线专家值班排班与补贴办法", "《二线值班管理办法》、排班表", TI_ONCALL, -1, 0, 0, 0, 0,
		-13, 75, O_OPEN, 50, { "二线专家名单确定（8 人）。", "值班补贴办法报公司审批中。", NULL } },
	[TT_DRILLS] = { D_HR, W_HR, W_HR, "关键岗位 B 角季度实操演练", "演练记录", -1, M_BACKUP, 1, 15, 12, 20, 0, 0, O_OPEN, 75,
		{ "一季度演练完成（12 个岗位）。", "三季度新增 3 个关键岗位，B 角带教中。", NULL } },
	[TT_CSAT] = { D_QA, W_QUALITY, W_QUALITY, "本季度客户满意度调查", "季度满意度调查报告", -1, M_CSAT, 0, 0, 0, 0, 6, 45,
		O_OPEN, 40, { "问卷已发放 130 份。", "已回收 52 份，继续催收。", NULL } },
	[TT_AUDIT] = { D_QA, W_QUALITY, W_QUALITY, "ISO/IEC 20000 内部审核", "内审报告", -1, -1, 8, 1, 9, 30, 0, 0, O_DONE, -4,
		{ "内审计划发布。", "现场审核完成。", "内审报告发布，一般不符合项 2 项已整改。" } },
	[TT_REPORT] = { D_QA, W_QUALITY, W_QUALITY, "编制年度服务能力执行效果评估报告", "《年度服务能力执行效果评估报告》", -1, -1,
		12, 1, 12, 31, 0, 0, O_NOT_STARTED, 0, { NULL, NULL, NULL } },
};

/* The planned dates of a spec in `year`; relative ones are counted from today and kept within the year. */
static void task_dates(struct demo *d, const struct task_spec *s, int year, struct nl_date *start, struct nl_date *end)
{
	struct nl_date first = ymd(year, 1, 1), last = ymd(year, 12, 31);
	if (s->em) {
		*start = ymd(year, s->sm, s->sd);
		*end = ymd(year, s->em, s->ed);
		return;
	}
	*end = dmax(first, dmin(last, shift(d->today, s->rel)));
	*start = dmax(first, shift(*end, -s->span));
}

static int mk_progress(struct demo *d, int k, int ti, enum who w, int percent, const char *status, const char *note,
	struct nl_date *actual_end)
{
	json_t *o = NULL;
	step(d, "the %d work item \"%s\": progress %s %d%%", d->made[k].year,
		(k == LAST ? last_tasks : this_tasks)[ti].title, status, percent);
	struct nl_date start = d->task_start[k][ti], end = d->task_end[k][ti];
	struct nl_date when = actual_end ? *actual_end : shift(start, date_diff_days(end, start) * percent / 100);
	at(d, dmax(start, dmin(when, d->today)), 17);
	int rc = as(d, w, "task.progress");
	if (rc)
		return rc;
	struct nl_progress_input in = { .has_percent = 1, .percent = percent, .status = status,
		.note = tx(d, d->made[k].year, note), .actual_end = actual_end ? ds(d, *actual_end) : NULL };
	rc = task_progress_add(d->ctx, d->task[k][ti], &in, &o);
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	d->made[k].progress++;
	return 0;
}

/* The share of [start, end] elapsed on today, as a percent rounded to 5, within 10..90. */
static int elapsed_percent(struct demo *d, struct nl_date start, struct nl_date end)
{
	int total = date_diff_days(end, start), done = date_diff_days(d->today, start);
	int p = total > 0 ? done * 100 / total : 50;
	p = p / 5 * 5;
	return p < 10 ? 10 : p > 90 ? 90 : p;
}

/* Reports the spec's progress as it stands today (nothing before the planned start; a done item only once its
 * actual end has passed). */
static int play_task(struct demo *d, int k, int ti, const struct task_spec *s)
{
	struct nl_date start = d->task_start[k][ti], end = d->task_end[k][ti], actual = shift(end, s->arg);
	enum who w = s->owner;
	int rc = 0;
	if (s->outcome == O_NOT_STARTED || date_cmp(d->today, start) < 0)
		return s->outcome == O_CANCEL ? mk_progress(d, k, ti, w, 0, "cancelled", s->note[1], NULL) : 0;
	switch (s->outcome) {
	case O_DONE:
		if (date_cmp(actual, d->today) > 0)
			return mk_progress(d, k, ti, w, elapsed_percent(d, start, end), "in_progress", s->note[0], NULL);
		if ((rc = mk_progress(d, k, ti, w, 30, "in_progress", s->note[0], NULL)) ||
			(rc = mk_progress(d, k, ti, w, 70, "in_progress", s->note[1], NULL)) ||
			(rc = mk_progress(d, k, ti, w, 100, "done", s->note[2], &actual)))
			return rc;
		d->task_done[k][ti] = 1;
		return 0;
	case O_LATE:
		if ((rc = mk_progress(d, k, ti, w, 40, "in_progress", s->note[0], NULL)) || date_cmp(d->today, end) <= 0)
			return rc;
		if ((rc = mk_progress(d, k, ti, w, 75, "delayed", s->note[1], NULL)) || date_cmp(actual, d->today) > 0)
			return rc;
		if ((rc = mk_progress(d, k, ti, w, 100, "done", s->note[2], &actual)))
			return rc;
		d->task_done[k][ti] = 1;
		return 0;
	case O_OPEN:
	case O_DELAYED:
		if ((rc = mk_progress(d, k, ti, w, s->arg / 2 / 5 * 5, "in_progress", s->note[0], NULL)))
			return rc;
		return mk_progress(d, k, ti, w, s->arg, s->outcome == O_OPEN ? "in_progress" : "delayed", s->note[1], NULL);
	case O_CANCEL:
		if ((rc = mk_progress(d, k, ti, w, 20, "in_progress", s->note[0], NULL)))
			return rc;
		return mk_progress(d, k, ti, w, 20, "cancelled", s->note[1], NULL);
	case O_NOT_STARTED:
		break;
	}
	return 0;
}

/* Creates the work items of a year (only_ti ≥ 0: just that one) and plays their progress. */
static int mk_tasks(struct demo *d, int k, const struct task_spec *spec, int n, int only_ti)
{
	int year = d->made[k].year;
	for (int ti = 0; ti < n; ti++) {
		const struct task_spec *s = &spec[ti];
		if ((only_ti >= 0 && ti != only_ti) || (only_ti < 0 && k == THIS && s->item == TI_SECURITY))
			continue;
		json_t *o = NULL;
		task_dates(d, s, year, &d->task_start[k][ti], &d->task_end[k][ti]);
		step(d, "the %d work item \"%s\": created", year, s->title);
		at(d, shift(d->task_start[k][ti], -7), 9);
		int rc = as(d, s->creator, "task.write");
		if (rc)
			return rc;
		struct nl_task_input in = { .year = year, .department_id = d->dept[s->dept], .title = s->title,
			.plan_item_id = s->item >= 0 ? d->item[k][s->item] : 0,
			.metric_id = s->metric >= 0 ? d->metric[k][s->metric] : 0, .owner_user_id = d->user[s->owner].id,
			.planned_start = ds(d, d->task_start[k][ti]), .planned_end = ds(d, d->task_end[k][ti]),
			.deliverable = s->deliverable };
		rc = task_create(d->ctx, &in, &o);
		if ((rc = took(d, rc, o, &d->task[k][ti])) || (rc = play_task(d, k, ti, s)))
			return rc;
		d->made[k].tasks++;
	}
	return 0;
}

struct check_spec {
	int k, task;
	int after_end;               /* checked on the planned end + this many days (today at the latest) */
	const char *finding, *reason, *action;
	int due_days;                /* the corrective action's due date: checked_on + due_days; 0: none */
};
static const struct check_spec checks[] = {
	{ LAST, LT_MON1, 5, "一期验收资料齐全；抽查 60 台主机、24 台网络设备，指标采集与告警通知正常", NULL, NULL, 0 },
	{ LAST, LT_MON2, 5, "二期计划 10 月 31 日完成，检查时完成 75%，应用层尚未接入",
		"应用日志格式不统一，需应用开发组改造，开发组排期推迟到 11 月。",
		"与应用开发组联合改造日志格式，每周例会跟踪，11 月 30 日前完成应用接入。", 25 },
	{ LAST, LT_POSTS, 10, "12 个关键岗位均已指定 B 角；抽查 3 名 B 角的带教与实操记录，记录齐全", NULL, NULL, 0 },
	{ THIS, TT_DB, 5, "抽查 5 月巡检报告：数据库巡检脚本覆盖 32 个实例，异常自动建单正常", NULL, NULL, 0 },
	{ THIS, TT_MW, 3, "中间件巡检脚本未按计划 6 月 30 日上线，检查时完成 85%",
		"部分 WebLogic 旧版本没有管理接口，需改用日志解析方案。", "旧版本采用日志解析方案，7 月 15 日前全部上线；每周三汇报进度。",
		15 },
	{ THIS, TT_PORTAL, 3, "服务台自助门户未按计划上线，检查时完成 70%", "统一身份认证接口联调未通过，厂商补丁推迟交付。",
		"厂商驻场联调，每周二跟踪；先行上线报修与进度查询功能，知识自助随后上线。", 40 },
};

/* Quality's checks; a check on an item that ended done is verified (its corrective action was carried out). */
static int mk_checks(struct demo *d, int k)
{
	for (size_t i = 0; i < NL_ARRAY_LEN(checks); i++) {
		const struct check_spec *c = &checks[i];
		if (c->k != k)
			continue;
		/* a check that finds a deviation is made once the item is past its planned end; one that finds nothing
		 * wrong, once the item is done; on the planned end + after_end days, or today when that is later */
		struct nl_date end = d->task_end[k][c->task], on = dmin(d->today, shift(end, c->after_end));
		if (c->reason ? date_cmp(d->today, end) <= 0 : !d->task_done[k][c->task])
			continue;
		int year = d->made[k].year;
		json_t *o = NULL;
		int64_t id = 0;
		step(d, "the %d work item \"%s\": quality's check", year,
			(k == LAST ? last_tasks : this_tasks)[c->task].title);
		at(d, on, 15);
		int rc = as(d, W_QUALITY, "task.check");
		if (rc)
			return rc;
		struct nl_check_input in = { .checked_on = ds(d, on), .finding = tx(d, year, c->finding),
			.deviation_reason = tx(d, year, c->reason), .corrective_action = tx(d, year, c->action),
			.due_date = c->due_days ? ds(d, shift(on, c->due_days)) : NULL };
		rc = task_check_add(d->ctx, d->task[k][c->task], &in, &o);
		if ((rc = took(d, rc, o, &id)))
			return rc;
		d->made[k].checks++;
		if (!d->task_done[k][c->task])
			continue;
		at(d, dmin(d->today, shift(on, c->due_days ? c->due_days : 2)), 15);
		step(d, "the %d work item \"%s\": quality verifies the check", year,
			(k == LAST ? last_tasks : this_tasks)[c->task].title);
		struct nl_check_input v = { .verified = 1 };
		rc = task_check_update(d->ctx, id, &v, NL_CHECK_SET_VERIFIED, &o);
		if ((rc = took(d, rc, o, NULL)))
			return rc;
		d->made[k].verified++;
	}
	return 0;
}

/* ================================ Last year's evaluation ================================ */

static json_t *source_value(struct demo *d, int mi, const char *period)
{
	return json_pack("{s:s, s:I, s:s, s:s}", "kind", "metric_value", "metric_id", (json_int_t)d->metric[LAST][mi], "code",
		metrics[mi].code, "period", period);
}

static json_t *suggestion(struct demo *d, const char *text, enum dept dept, enum who owner, int m, int day,
	const char *priority, json_t *source)
{
	int year = d->y;
	return json_pack("{s:s, s:I, s:I, s:s, s:s, s:o}", "text", tx(d, year, text), "owner_department_id",
		(json_int_t)d->dept[dept], "owner_user_id", (json_int_t)d->user[owner].id, "due_date", ds(d, ymd(year, m, day)),
		"priority", priority, "source", source ? source : json_null());
}

/* Quality edits the generated draft (its own wording of the problems, suggestions with owners, dates and priorities,
 * a conclusion) and finalizes it. */
static int evaluation_last_year(struct demo *d)
{
	int year = d->y - 1, rc;
	json_t *o = NULL;
	const char *p7 = period_s(d, NL_PERIOD_MONTH, year, 7), *p4 = period_s(d, NL_PERIOD_MONTH, year, 4);
	const char *pq2 = period_s(d, NL_PERIOD_QUARTER, year, 2), *py = period_s(d, NL_PERIOD_YEAR, year, 0);
	json_t *problems = json_pack("[{s:s, s:s, s:o}, {s:s, s:s, s:o}, {s:s, s:s, s:o}, {s:s, s:s, s:o}, {s:s, s:s, s:o}]",
		"text", "巡检自动化覆盖率全年 67.7%，未达到 80% 的目标；数据库与中间件巡检脚本未完成，一线工程师 Ansible 技能不足。",
		"element", "technology", "source", source_value(d, M_INSPECT, py),
		"text", "事件按时解决率 7 月未达标（91.1%，目标 95%）：机房空调故障引发夜间批量事件，值班力量不足，缺少批量事件应急预案。",
		"element", "process", "source", source_value(d, M_INC, p7),
		"text", "变更成功率 4 月未达标（95.0%，目标 98%）：两次数据库补丁变更未经测试环境验证。"
			"5 月起执行修订后的变更程序，此后未再发生。",
		"element", "process", "source", source_value(d, M_CHANGE, p4),
		"text", "统一监控平台二期延期 20 天完成（计划 10 月 31 日，实际 11 月 20 日）："
			"应用日志改造依赖开发组排期，立项时未识别该外部依赖。",
		"element", "technology", "source",
		json_pack("{s:s, s:I}", "kind", "task", "task_id", (json_int_t)d->task[LAST][LT_MON2]),
		"text", "培训计划完成率二、三季度处于预警区间（88.2%、86.7%）：重保值守期间课程顺延。", "element", "people",
		"source", source_value(d, M_TRAIN, pq2));
	json_t *suggestions = json_pack("[o, o, o, o, o]",
		suggestion(d, "将自动化巡检扩展到数据库与中间件，巡检覆盖率改为按季度度量，{Y} 年末达到 90%。", D_ITOPS, W_MEMBER, 6,
			30, "high", source_value(d, M_INSPECT, py)),
		suggestion(d, "开展 Ansible 自动化运维专题培训，一线工程师全员参加并通过上机考核。", D_HR, W_HR, 4, 30, "medium",
			NULL),
		suggestion(d, "建立夜间及节假日二线专家值班机制，编制《批量事件应急预案》并每半年演练一次。", D_ITOPS, W_PLANNER, 6,
			30, "high", source_value(d, M_INC, p7)),
		suggestion(d, "重大项目立项时识别外部依赖（供应商、开发组排期），在计划中预留缓冲并每月跟踪。", D_ITOPS, W_PLANNER, 3,
			31, "medium", json_pack("{s:s, s:I}", "kind", "task", "task_id", (json_int_t)d->task[LAST][LT_MON2])),
		suggestion(d, "上线服务台自助门户，分流咨询类工单，缓解高峰期响应压力。", D_ITOPS, W_PLANNER, 10, 31, "low", NULL));
	if (!problems || !suggestions) {
		json_decref(problems);
		json_decref(suggestions);
		return nl_fail(d->ctx->err, NL_ENOMEM, NULL, NULL);
	}
	const char *conclusion = tx(d, year,
		"{Y} 年度服务能力管理计划总体执行有效。9 项目标度量指标中 8 项年度达标，巡检自动化覆盖率（67.7%，目标 80%）未达标；"
		"年内有 3 个期间出现未达标，均已完成偏差分析并落实纠正措施。12 项部门工作项中 10 项按期完成，统一监控平台二期延期 "
		"20 天完成，外派 ITIL Expert 认证培训因培训机构取消开班而取消（内容并入年度培训计划）。人员、过程、资源要素的年度目标"
		"基本达成；技术要素的自动化能力是{N}年度的改进重点，5 项改进建议纳入{N}年度服务能力管理计划。");
	step(d, "the %d evaluation: edited by quality", year);
	at(d, ymd(year, 12, 10), 10);
	if ((rc = as(d, W_QUALITY, "evaluation.write"))) {
		json_decref(problems);
		json_decref(suggestions);
		return rc;
	}
	struct nl_evaluation_edit edit = { .problems = problems, .suggestions = suggestions, .conclusion = conclusion };
	rc = evaluation_update(d->ctx, year, &edit, &o);
	json_decref(problems);
	json_decref(suggestions);
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	step(d, "the %d evaluation: finalized by quality", year);
	at(d, ymd(year, 12, 15), 16);
	rc = evaluation_finalize(d->ctx, year, &o);
	return took(d, rc, o, NULL);
}

/* ================================ The whole ================================ */

static int load_people(struct demo *d)
{
	int rc;
	for (int w = 0; w < W_COUNT; w++) {
		int64_t id = 0;
		step(d, "loading the demo user %s", who_name[w]);
		if ((rc = user_id_by_name(d->ctx, who_name[w], &id)) || (rc = user_load(d->ctx, id, &d->user[w])))
			return rc;
	}
	for (int i = 0; i < D_COUNT; i++) {
		step(d, "finding the department %s", dept_code[i]);
		if ((rc = department_id_by_code(d->ctx, dept_code[i], NULL, &d->dept[i])))
			return rc;
	}
	return 0;
}

static int run(void *arg)
{
	struct demo *d = arg;
	int rc;
	step(d, "reading today's date");
	d->real_now = d->ctx->now > 0 ? d->ctx->now : (int64_t)time(NULL);
	d->ctx->now = d->real_now;
	if ((rc = cycle_today(d->ctx, &d->today)) || (rc = load_people(d)))
		return rc;
	d->y = d->today.y;
	d->last_month = d->today.m - 1;
	/* last year, start to end */
	if ((rc = plan_last_year(d)) || (rc = mk_metrics(d, LAST)) || (rc = mk_tasks(d, LAST, last_tasks, LT_COUNT, -1)) ||
		(rc = mk_values(d, LAST, 12)) || (rc = mk_checks(d, LAST)) || (rc = mk_closes(d, LAST, 12)) ||
		(rc = evaluation_last_year(d)))
		return rc;
	/* this year, so far */
	if ((rc = plan_this_year_v1(d)) || (rc = mk_metrics(d, THIS)) || (rc = mk_tasks(d, THIS, this_tasks, TT_COUNT, -1)) ||
		(rc = plan_this_year_v2(d)) || (rc = mk_tasks(d, THIS, this_tasks, TT_COUNT, TT_SECURITY)) ||
		(rc = mk_values(d, THIS, d->last_month)) || (rc = mk_checks(d, THIS)) ||
		(rc = mk_closes(d, THIS, d->last_month > 0 ? d->last_month - 1 : 0)))
		return rc;
	d->ctx->now = d->real_now;
	return 0;
}

static void print_year(const struct year_made *m, const char *what)
{
	printf("  %d (%s): plan v%d approved (%d items, %d review meetings, %d rejection%s), %d metrics with %d values "
	       "(%d missed%s), %d periods closed, %d work items with %d progress reports and %d checks (%d verified)\n",
		m->year, what, m->plan_version, m->items, m->meetings, m->rejections, m->rejections == 1 ? "" : "s", m->metrics,
		m->values, m->missed, m->open_missed ? ", 1 still without its analysis" : "", m->closed, m->tasks, m->progress,
		m->checks, m->verified);
}

int demo_cycle_check(struct nl_cli *cli)
{
	json_t *plans = NULL, *metric_items = NULL;
	int64_t next = 0;
	struct nl_metric_filter f = { .limit = 1 };
	int rc = plan_list(&cli->ctx, 0, NULL, 1, 0, &plans, &next);
	if (rc == 0)
		rc = metric_list(&cli->ctx, &f, &metric_items, &next);
	if (rc)
		return cli_fail(cli, "demo: reading the yearly cycle", rc);
	int used = json_array_size(plans) > 0 || json_array_size(metric_items) > 0;
	json_decref(plans);
	json_decref(metric_items);
	if (used) {
		fprintf(stderr, "nengli: demo: %s holds capability plans or metrics already; the demo loads only into a new "
				"database (nengli init --db NEW, then nengli demo --db NEW)\n", store_display_url(cli->store));
		return NL_EXIT_FAIL;
	}
	return NL_EXIT_OK;
}

int demo_cycle(struct nl_cli *cli)
{
	struct demo d;
	memset(&d, 0, sizeof d);
	d.ctx = &cli->ctx;
	int rc = demo_run(cli, run, &d, d.step);
	if (rc)
		return rc;
	printf("nengli: the yearly cycle (%d writes, each audited):\n", d.writes);
	print_year(&d.made[LAST], "last year: complete, evaluation finalized");
	print_year(&d.made[THIS], "this year: in progress");
	printf("  %d: no plan yet — the planner drafts it in December, after this year's evaluation\n", d.y + 1);
	return NL_EXIT_OK;
}
