/* demo_feedback.c — `nengli demo`'s complaints and satisfaction surveys (demo_feedback.h): the complaints page shows
 * every step of the lifecycle (and its analysis has months to compare), the surveys page a campaign with answers.
 *
 * Every write goes through the records room's domain functions as the demo user who would make it, after checking
 * the route's permission (auth/policy.c); ctx->now is set to a plausible past moment first (never later than the real
 * now), so that received_at, each step's time and the history carry the days they would have. Dates are relative to
 * today, so the overdue complaint stays overdue on any day the demo is loaded. */
#include "cli/demo_feedback.h"
#include "cli/demo_util.h"

#include "auth/auth.h"
#include "auth/session.h"
#include "core/date.h"
#include "cycle/today.h"
#include "org/org.h"
#include "records/complaint.h"
#include "records/survey.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

enum who { W_PLANNER, W_QUALITY, W_MEMBER, W_COUNT };
static const char *const who_name[W_COUNT] = { "planner", "quality", "member" };

struct demo {
	struct nl_ctx *ctx;
	struct nl_user user[W_COUNT];
	struct nl_date today;
	int64_t real_now;
	int64_t itops, biz;      /* department ids (0 when the code is unknown) */
	char step[256];
	int writes;
	int complaints, archived, open_steps;
	int surveys, invited, answered;
};

static void step(struct demo *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void step(struct demo *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->step, sizeof d->step, fmt, ap);
	va_end(ap);
}

static int as(struct demo *d, enum who w, const char *action)
{
	return demo_act_as(d->ctx, &d->user[w], action);
}

/* Acts `ago` days before today at `hour` o'clock (Asia/Shanghai), never later than the real now. */
static void at(struct demo *d, int ago, int hour)
{
	struct nl_date x = d->today;
	if (date_add_days(d->today, -ago, &x))
		x = d->today;
	demo_act_at(d->ctx, d->real_now, x, hour);
}

static int took(struct demo *d, int rc, json_t *out, int64_t *id)
{
	return demo_took(rc, out, id, &d->writes);
}

/* ================================ Complaints ================================ */

/* A step after registration: by whom, how many days after it and at what hour, with its text. `valid` for verify. */
struct cstep {
	const char *action;      /* NULL ends the list */
	enum who by;
	int after, hour;
	int valid;
	const char *text;
};

struct complaint_spec {
	int ago, hour;           /* received */
	enum who by;
	const char *channel, *category, *dept, *content;
	struct cstep steps[6];
};

static const struct complaint_spec complaints[] = {
	{ 140, 10, W_MEMBER, "phone", "响应慢", "ITOPS", "财务部反映：月结当天 ERP 登录缓慢，报修后 3 小时才有人联系。",
		{ { "verify", W_QUALITY, 1, 9, 1, "核实属实：当天 P2 事件排队，值班人员未按时首响。" },
		  { "answer", W_QUALITY, 1, 15, 0, "已电话致歉，说明原因，并承诺月结期间增加值班。" },
		  { "rectify", W_PLANNER, 6, 11, 0, "月结前后三天增设一名 ERP 值班工程师；P2 首响超时自动升级到组长。" },
		  { "archive", W_QUALITY, 20, 16, 0, "下一个月结期间首响均达标，归档。" }, { NULL } } },
	{ 110, 14, W_PLANNER, "email", "服务态度", "ITOPS", "客户邮件投诉：驻场工程师在电话中语气生硬，未解释处理进度。",
		{ { "verify", W_QUALITY, 1, 10, 1, "调取通话录音，确认沟通不当。" },
		  { "answer", W_QUALITY, 3, 10, 0, "已回复客户并致歉；该工程师已当面沟通。" },
		  { "rectify", W_PLANNER, 5, 15, 0, "组织一次服务沟通话术培训，纳入季度培训计划。" },
		  { "archive", W_PLANNER, 30, 17, 0, "培训已完成，回访客户满意。" }, { NULL } } },
	{ 75, 9, W_MEMBER, "web", "重复故障", "ITOPS", "打印服务一周内第三次中断，客户认为上次处理只是临时恢复。",
		{ { "verify", W_QUALITY, 0, 16, 0, "核查记录：三次中断为客户自购打印机驱动冲突，非我方服务问题。" },
		  { "answer", W_QUALITY, 1, 11, 0, "已向客户说明原因，并提供兼容驱动清单。" },
		  { "archive", W_QUALITY, 2, 10, 0, "无效投诉，答复后归档。" }, { NULL } } },
	{ 45, 11, W_QUALITY, "hotline", "处理不彻底", "ITOPS", "邮件系统故障修复后，部分用户的历史邮件仍无法检索。",
		{ { "verify", W_QUALITY, 0, 15, 1, "核实属实：索引重建遗漏了两个邮箱库。" },
		  { "answer", W_PLANNER, 1, 10, 0, "已告知客户补做索引重建的计划与时间。" },
		  { "rectify", W_PLANNER, 2, 18, 0, "补做索引重建；变更检查单增加“全部邮箱库检索抽查”一项。" },
		  { "archive", W_QUALITY, 4, 9, 0, NULL },
		  { "reopen", W_QUALITY, 9, 10, 0, "客户再次反映：一个共享邮箱仍无法检索。" },
		  { "answer", W_PLANNER, 10, 14, 0, "已修复共享邮箱索引，并逐一确认检索正常。" } } },
	{ 20, 16, W_MEMBER, "phone", "响应慢", "ITOPS", "门店 POS 网络中断，热线排队 25 分钟才接通。",
		{ { "verify", W_QUALITY, 2, 10, 1, "核实属实：当晚热线只有一人值守。" },
		  { "answer", W_QUALITY, 3, 17, 0, "已致歉；说明晚间热线排班调整计划。" }, { NULL } } },
	{ 9, 10, W_PLANNER, "letter", "信息安全", "ITOPS", "客户来函：工程师远程协助后未断开远程会话。",
		{ { "verify", W_QUALITY, 1, 14, 1, "核实属实：远程工具未设置会话超时。" }, { NULL } } },
	{ 4, 15, W_MEMBER, "email", "收费争议", "ITOPS", "客户认为上月驻场加班费计算有误，要求说明。", { { NULL } } },
	{ 0, 9, W_MEMBER, "phone", "响应慢", "ITOPS", "早上 8:50 报修的会议室投影故障，9:30 会议前无人处理。", { { NULL } } },
};

static int complaint_step(struct demo *d, int64_t id, const struct cstep *s)
{
	json_t *out = NULL;
	int rc;
	if (!strcmp(s->action, "verify"))
		rc = complaint_verify(d->ctx, id, s->valid, s->text, &out);
	else if (!strcmp(s->action, "answer"))
		rc = complaint_answer(d->ctx, id, s->text, &out);
	else if (!strcmp(s->action, "rectify"))
		rc = complaint_rectify(d->ctx, id, s->text, &out);
	else if (!strcmp(s->action, "archive"))
		rc = complaint_archive(d->ctx, id, s->text, &out);
	else
		rc = complaint_reopen(d->ctx, id, s->text, &out);
	return took(d, rc, out, NULL);
}

static int mk_complaint(struct demo *d, const struct complaint_spec *c)
{
	int64_t id = 0, dept = 0;
	json_t *out = NULL;
	int rc;
	step(d, "registering the complaint \"%s\"", c->category);
	if ((rc = department_id_by_code(d->ctx, c->dept, NULL, &dept)))
		return rc;
	at(d, c->ago, c->hour);
	if ((rc = as(d, c->by, "complaint.register")))
		return rc;
	struct nl_complaint_input in = { .channel = c->channel, .department_id = dept, .category = c->category, .content = c->content };
	rc = complaint_register(d->ctx, &in, &out);
	if ((rc = took(d, rc, out, &id)))
		return rc;
	d->complaints++;
	const char *last = "register";
	for (size_t i = 0; i < NL_ARRAY_LEN(c->steps) && c->steps[i].action; i++) {
		const struct cstep *s = &c->steps[i];
		step(d, "complaint \"%s\": %s", c->category, s->action);
		int ago = c->ago - s->after;
		at(d, ago > 0 ? ago : 0, s->hour);
		if ((rc = as(d, s->by, "complaint.handle")) || (rc = complaint_step(d, id, s)))
			return rc;
		last = s->action;
	}
	if (!strcmp(last, "archive"))
		d->archived++;
	else
		d->open_steps++;
	return 0;
}

/* ================================ Surveys ================================ */

static json_t *survey_questions(void)
{
	return json_pack("[{s:s,s:s,s:i},{s:s,s:s,s:i},{s:s,s:s,s:i}]",
		"key", "speed", "text", "报修后响应和处理是否及时？", "weight", 30,
		"key", "quality", "text", "问题是否得到彻底解决？", "weight", 40,
		"key", "attitude", "text", "服务人员的沟通和态度是否让您满意？", "weight", 30);
}

/* The answers of the demo's respondents: speed, quality, attitude, comment. */
static const struct {
	int speed, quality, attitude;
	const char *comment;
} answers[] = {
	{ 5, 5, 5, "处理很快，工程师很专业。" },
	{ 4, 5, 4, "" },
	{ 3, 4, 4, "响应稍慢，但问题解决得很彻底。" },
	{ 5, 4, 5, "" },
	{ 2, 3, 4, "等了很久才有人联系。" },
	{ 4, 4, 3, "希望能及时告知处理进度。" },
};

/* Last month's campaign: created and opened by quality; six of its links answered by customers (no user). */
static int mk_surveys(struct demo *d)
{
	json_t *q = survey_questions(), *out = NULL, *links = NULL;
	int64_t id = 0;
	char period[48], name[96], quarter[48], qname[96];
	int y = d->today.y, m = d->today.m - 1;
	int rc;
	if (m == 0)
		y--, m = 12;
	snprintf(period, sizeof period, "%04d-%02d", y, m);
	snprintf(name, sizeof name, "%d年%d月 服务满意度回访", y, m);
	snprintf(quarter, sizeof quarter, "%04d-Q%d", d->today.y, (d->today.m - 1) / 3 + 1);
	snprintf(qname, sizeof qname, "%d年第%d季度 服务满意度调查", d->today.y, (d->today.m - 1) / 3 + 1);
	if (!q)
		return NL_ENOMEM;

	step(d, "creating the survey %s", period);
	at(d, d->today.d - 1, 10); /* the first day of this month */
	struct nl_survey_input in = { .name = name, .period = period, .questions = q, .sample_size = 10 };
	if ((rc = as(d, W_QUALITY, "survey.manage")))
		goto out;
	rc = survey_create(d->ctx, &in, &out);
	if ((rc = took(d, rc, out, &id)))
		goto out;
	d->surveys++;
	step(d, "opening the survey %s", period);
	at(d, d->today.d - 1, 11);
	rc = survey_open(d->ctx, id, &out);
	if (rc == NL_EVALID) {
		/* no closed ticket of last month (the tickets' demo was not loaded): the campaign stays a draft */
		nl_error_clear(d->ctx->err);
		rc = 0;
		goto quarter;
	}
	if (rc)
		goto out;
	d->writes++;
	links = json_incref(json_object_get(out, "links"));
	json_decref(out);
	out = NULL;
	d->invited += (int)json_array_size(links);
	for (size_t i = 0; i < json_array_size(links) && i < NL_ARRAY_LEN(answers); i++) {
		const char *token = json_string_value(json_object_get(json_array_get(links, i), "token"));
		json_t *a = json_pack("{s:i,s:i,s:i}", "speed", answers[i].speed, "quality", answers[i].quality, "attitude",
			answers[i].attitude);
		step(d, "answering survey link %zu", i + 1);
		at(d, d->today.d - 1 - (int)(i / 2) > 0 ? d->today.d - 1 - (int)(i / 2) : 0, 14 + (int)(i % 4));
		d->ctx->actor = NULL;
		d->ctx->actor_name = "survey-link";
		rc = a ? survey_response_submit(d->ctx, token, a, answers[i].comment, &out) : NL_ENOMEM;
		json_decref(a);
		if ((rc = took(d, rc, out, NULL)))
			goto out;
		out = NULL;
		d->answered++;
	}
quarter:
	step(d, "creating the survey %s", quarter);
	at(d, 0, 9);
	in.name = qname;
	in.period = quarter;
	in.sample_size = 20;
	if ((rc = as(d, W_QUALITY, "survey.manage")))
		goto out;
	rc = survey_create(d->ctx, &in, &out);
	if ((rc = took(d, rc, out, NULL)))
		goto out;
	out = NULL;
	d->surveys++;
out:
	json_decref(links);
	json_decref(q);
	return rc;
}

static int run(void *arg)
{
	struct demo *d = arg;
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
	for (size_t i = 0; i < NL_ARRAY_LEN(complaints); i++)
		if ((rc = mk_complaint(d, &complaints[i])))
			return rc;
	if ((rc = mk_surveys(d)))
		return rc;
	d->ctx->now = d->real_now;
	return 0;
}

int demo_feedback(struct nl_cli *cli)
{
	struct demo d;
	memset(&d, 0, sizeof d);
	d.ctx = &cli->ctx;
	int rc = demo_run(cli, run, &d, d.step);
	if (rc)
		return rc;
	printf("nengli: feedback (%d writes, each audited):\n", d.writes);
	printf("  %d complaints: %d archived, %d at another step of their lifecycle\n", d.complaints, d.archived, d.open_steps);
	printf("  %d survey campaigns: last month's sent to %d customers, %d answered; this quarter's a draft\n", d.surveys,
		d.invited, d.answered);
	return NL_EXIT_OK;
}
