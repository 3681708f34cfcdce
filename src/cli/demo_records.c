/* demo_records.c — `nengli demo`'s service records (demo_records.h): customers, a year of tickets imported from a
 * CSV file the way an operations team would bring them over from its old help desk, and a few tickets recorded by
 * hand whose status history shows the SLA clock at work (a pause while waiting for the customer, a breach).
 *
 * The imported tickets come from a fixed pseudo-random sequence, so every demo database holds the same story relative
 * to the day it is loaded: about two tickets a working day over the last 12 months, mostly P3/P4, most answered and
 * resolved within their SLA, a few not, the last days' tickets partly still open. Every write goes through the records
 * room's domain functions as the demo user who would make it, after checking the route's permission. */
#include "cli/demo_records.h"
#include "cli/demo_util.h"

#include "auth/auth.h"
#include "auth/session.h"
#include "core/date.h"
#include "core/strbuf.h"
#include "cycle/today.h"
#include "org/org.h"
#include "records/customer.h"
#include "records/import.h"
#include "records/rating.h"
#include "records/ticket.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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
	int64_t customer[6];
	int64_t itops, biz;
	uint32_t seed;
	char step[256];
	int writes;
	int customers, imported, rejected, manual, rated;
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

static int took(struct demo *d, int rc, json_t *out, int64_t *id)
{
	return demo_took(rc, out, id, &d->writes);
}

/* The next number of the fixed sequence in [0, n). */
static int rnd(struct demo *d, int n)
{
	d->seed = d->seed * 1103515245u + 12345u;
	return (int)((d->seed >> 8) % (uint32_t)n);
}

/* Unix time of `hour`:`minute` local time (UTC+8) on day x. */
static int64_t local_time(struct nl_date x, int hour, int minute)
{
	return date_to_timestamp(x, 8 * 3600) + (int64_t)hour * 3600 + (int64_t)minute * 60;
}

/* t as RFC 3339 in the command's arena ("" when out of memory: the domain then refuses it by name). */
static const char *ts(struct demo *d, int64_t t)
{
	char buf[NL_TIMESTAMP_STRLEN];
	if (date_timestamp_format(t, buf))
		return "";
	const char *s = arena_strdup(d->ctx->arena, buf);
	return s ? s : "";
}

/* ================================ Customers ================================ */

static const struct nl_customer_input customers[] = {
	{ "刘洋", "华东电力设计院", "13812345678", "liu.yang@ecepdi.example.com", "信息中心主任，重大事件需电话通知" },
	{ "陈晓", "恒信证券", "021-58881234", "chenxiao@hengxin.example.com", "交易时段内故障优先处理" },
	{ "王芳", "市第一人民医院", "13698765432", "wangfang@hospital1.example.org", "HIS 系统对接人" },
	{ "赵磊", "远航物流", "18611112222", "zhaolei@yuanhang.example.com", "" },
	{ "周婷", "星辰教育", "0571-86661234", "zhouting@xingchen.example.edu", "寒暑假为变更窗口" },
	{ "Michael Brown", "Northwind Trading (Shanghai)", "+86 21 6200 1234", "m.brown@northwind.example.com", "English speaking" },
};

static int mk_customers(struct demo *d)
{
	int rc;
	for (size_t i = 0; i < NL_ARRAY_LEN(customers); i++) {
		step(d, "customer \"%s\"", customers[i].name);
		if ((rc = as(d, W_PLANNER, "records.write")))
			return rc;
		demo_act_at(d->ctx, d->real_now, d->today, 9);
		json_t *out = NULL;
		rc = customer_create(d->ctx, &customers[i], &out);
		if ((rc = took(d, rc, out, &d->customer[i])))
			return rc;
		d->customers++;
	}
	return 0;
}

/* ================================ The imported year ================================ */

static const char *const categories[] = { "网络", "服务器", "桌面终端", "应用系统", "数据库", "账号权限" };
static const char *const channels[] = { "phone", "portal", "email", "monitor" };
static const char *const subjects[] = {
	"核心交换机端口频繁 down/up", "VPN 无法连接", "办公电脑蓝屏", "OA 审批页面打开缓慢", "数据库连接数告警",
	"打印机无法打印", "邮箱容量告警", "新员工开通账号", "备份作业失败", "磁盘使用率超过 90%", "业务系统登录报错 500",
	"无线网络信号弱", "证书即将过期", "共享盘权限申请", "监控告警：CPU 持续高负载", "ERP 报表导出失败",
};
/* SLA targets of the seeded default policies in minutes (response, resolution) for P1..P4; the generator aims
 * at them so that most tickets meet them and a few do not. */
static const int target_response[] = { 30, 60, 240, 480 };
static const int target_resolution[] = { 240, 480, 1440, 2880 };

/* Appends one CSV row for the n-th ticket opened on day x, age_days before today. */
static void ticket_row(struct demo *d, struct nl_strbuf *csv, struct nl_date x, int n, int age_days)
{
	int pr = rnd(d, 100);
	int p = pr < 5 ? 0 : pr < 20 ? 1 : pr < 70 ? 2 : 3;
	int hour = 8 + rnd(d, 10), minute = rnd(d, 60);
	int64_t opened = local_time(x, hour, minute);
	/* about one ticket in eight is answered or resolved late; later months a little better than earlier ones */
	int late_odds = age_days > 180 ? 7 : 10;
	int resp = 1 + rnd(d, target_response[p] / 2 + 1);
	if (rnd(d, late_odds) == 0)
		resp = target_response[p] + 5 + rnd(d, target_response[p]);
	int reso = resp + 10 + rnd(d, target_resolution[p] / 3 + 1);
	if (rnd(d, late_odds) == 0)
		reso = target_resolution[p] * 2 + rnd(d, target_resolution[p]);
	int reassign = rnd(d, 10) < 7 ? 0 : 1 + rnd(d, 2);
	int64_t assigned = opened + (int64_t)(resp > 2 ? resp / 2 : 1) * 60;
	int64_t first = opened + (int64_t)resp * 60;
	int64_t resolved = opened + (int64_t)reso * 60;
	int64_t closed = resolved + (int64_t)(60 + rnd(d, 2880)) * 60;
	const char *status = "closed";
	if (closed > d->real_now)
		closed = 0, status = "resolved";
	if (resolved > d->real_now || (age_days <= 3 && rnd(d, 3) == 0))
		resolved = closed = 0, status = "in_progress";
	if (first > d->real_now)
		first = 0, status = "assigned";
	if (assigned > d->real_now)
		assigned = 0, status = "new";
	const char *dept = rnd(d, 5) == 0 ? "BIZ" : "ITOPS";
	int cust = rnd(d, 4) == 0 ? 1 + rnd(d, (int)NL_ARRAY_LEN(customers)) : 0;
	char ext[40];
	snprintf(ext, sizeof ext, "HD-%04d%02d%02d-%02d", x.y, x.m, x.d, n);
	strbuf_printf(csv, "%s,%s,%s,%s,P%d,%s,%s,%s,%s,%s,%s,%s,%d,", ext, subjects[rnd(d, (int)NL_ARRAY_LEN(subjects))],
		channels[rnd(d, (int)NL_ARRAY_LEN(channels))], categories[rnd(d, (int)NL_ARRAY_LEN(categories))], p + 1, status,
		dept, ts(d, opened), assigned ? ts(d, assigned) : "", first ? ts(d, first) : "", resolved ? ts(d, resolved) : "",
		closed ? ts(d, closed) : "", reassign);
	if (cust)
		strbuf_printf(csv, "%lld", (long long)d->customer[cust - 1]);
	strbuf_puts(csv, "\n");
}

static int mk_import(struct demo *d)
{
	struct nl_strbuf csv;
	struct nl_import *im = NULL;
	json_t *report = NULL;
	char *file = NULL;
	size_t len = 0;
	int rc;
	step(d, "the CSV of last year's tickets");
	strbuf_init(&csv, 0);
	strbuf_puts(&csv, "external_id,title,channel,category,priority,status,department,opened_at,assigned_at,"
			  "first_response_at,resolved_at,closed_at,reassignment_count,customer_id\n");
	for (int age = 365; age >= 1; age--) {
		struct nl_date x;
		if (date_add_days(d->today, -age, &x))
			continue;
		int wd = date_weekday(x);
		int n = wd >= 6 ? rnd(d, 2) : 1 + rnd(d, 3);
		for (int i = 1; i <= n; i++)
			ticket_row(d, &csv, x, i, age);
	}
	file = strbuf_detach(&csv, &len);
	if (!file)
		return NL_ENOMEM;
	step(d, "importing last year's tickets (CSV, %zu bytes)", len);
	if ((rc = as(d, W_PLANNER, "import.run")))
		goto out;
	d->ctx->now = d->real_now;
	struct nl_import_options o = { .format = "csv", .source = "helpdesk" };
	if ((rc = import_begin(d->ctx, &o, &im)) || (rc = import_feed(im, file, len)) || (rc = import_finish(im, &report)))
		goto out;
	d->writes++;
	d->imported = (int)json_integer_value(json_object_get(report, "inserted"));
	d->rejected = (int)json_integer_value(json_object_get(report, "rejected_count"));
	if (d->rejected) {
		json_t *first = json_array_get(json_object_get(report, "rejected"), 0);
		step(d, "importing last year's tickets: line %lld rejected: %s",
			(long long)json_integer_value(json_object_get(first, "line")),
			json_string_value(json_object_get(first, "reason")));
		rc = NL_EVALID;
	}
out:
	json_decref(report);
	import_free(im);
	free(file);
	return rc;
}

/* ================================ Tickets recorded by hand ================================ */

/* A status change `after_min` minutes after the ticket's opening. */
struct change {
	const char *status;
	int after_min;          /* minutes after the opening; 0 ends the list */
	const char *note;
};

struct manual_spec {
	const char *title, *category, *channel, *priority;
	enum who by;
	int customer;           /* index + 1 into customers, 0: none */
	int ago_days, hour;     /* opened ago_days before today at hour */
	struct change changes[6];
	int rating;             /* 0: not rated */
	const char *rating_comment;
};

static const struct manual_spec manual[] = {
	{ "医院 HIS 接口中断，门诊挂号受影响", "应用系统", "phone", "P1", W_MEMBER, 3, 12, 9,
		{ { "assigned", 5, "值班工程师接单" }, { "in_progress", 18, "已定位为接口服务线程池耗尽" },
			{ "resolved", 150, "扩容线程池并重启接口服务，挂号恢复" }, { "closed", 600, "客户确认关闭" } },
		5, "响应很快，处理专业" },
	{ "证券交易终端行情延迟", "网络", "phone", "P2", W_PLANNER, 2, 8, 10,
		{ { "assigned", 20, NULL }, { "in_progress", 40, "专线丢包，已报运营商" },
			{ "waiting_vendor", 60, "等待运营商排查专线" }, { "in_progress", 300, "运营商更换光模块" },
			{ "resolved", 420, "行情恢复正常" } },
		4, "等运营商的时间较长，但过程沟通及时" },
	{ "物流系统打印面单乱码", "桌面终端", "email", "P3", W_MEMBER, 4, 6, 14,
		{ { "assigned", 30, NULL }, { "in_progress", 90, "远程查看打印驱动" },
			{ "waiting_customer", 120, "请客户提供打印机型号和驱动版本" }, { "in_progress", 1500, "客户已回复" },
			{ "resolved", 1700, "重新安装驱动后正常" } },
		0, NULL },
	{ "教育平台视频课程播放卡顿", "应用系统", "portal", "P2", W_MEMBER, 5, 4, 16,
		{ { "assigned", 45, NULL }, { "in_progress", 120, "CDN 节点回源异常" },
			{ "resolved", 1500, "切换 CDN 节点，超过解决时限" } },
		0, NULL },
	{ "外企客户邮件无法外发", "账号权限", "email", "P3", W_PLANNER, 6, 0, 10,
		{ { "assigned", 20, NULL }, { "in_progress", 60, "检查发信策略与 SPF 记录" } },
		0, NULL },
};

static int mk_manual(struct demo *d, const struct manual_spec *s)
{
	struct nl_date x;
	int64_t id = 0, opened;
	int rc;
	if (date_add_days(d->today, -s->ago_days, &x))
		x = d->today;
	/* opened on a working day, so that the business-time clock has something to measure */
	while (date_weekday(x) >= 6 && !date_add_days(x, -1, &x))
		;
	opened = local_time(x, s->hour, 5);
	if (opened > d->real_now - 3 * 3600)
		opened = d->real_now - 3 * 3600;
	step(d, "ticket \"%s\"", s->title);
	if ((rc = as(d, s->by, "records.write")))
		return rc;
	d->ctx->now = opened < d->real_now ? opened : d->real_now;
	struct nl_ticket_input in = { .title = s->title, .category = s->category, .channel = s->channel,
		.priority = s->priority, .department_id = d->itops, .opened_at = ts(d, opened),
		.customer_id = s->customer ? d->customer[s->customer - 1] : 0,
		.assignee_user_id = d->user[W_MEMBER].id };
	json_t *out = NULL;
	rc = ticket_create(d->ctx, &in, &out);
	if ((rc = took(d, rc, out, &id)))
		return rc;
	for (size_t i = 0; i < NL_ARRAY_LEN(s->changes) && s->changes[i].after_min; i++) {
		const struct change *c = &s->changes[i];
		int64_t at = opened + (int64_t)c->after_min * 60;
		if (at > d->real_now)
			break;
		step(d, "ticket \"%s\": %s", s->title, c->status);
		d->ctx->now = at;
		out = NULL;
		rc = ticket_set_status(d->ctx, id, c->status, ts(d, at), c->note, &out);
		if ((rc = took(d, rc, out, NULL)))
			return rc;
	}
	d->manual++;
	if (s->rating) {
		step(d, "rating of ticket \"%s\"", s->title);
		if ((rc = as(d, W_QUALITY, "rating.write")))
			return rc;
		d->ctx->now = d->real_now;
		out = NULL;
		rc = rating_write(d->ctx, id, s->rating, s->rating_comment, &out);
		if ((rc = took(d, rc, out, NULL)))
			return rc;
		d->rated++;
	}
	return 0;
}

/* ================================ The whole ================================ */

static int run(void *arg)
{
	struct demo *d = arg;
	int rc;
	step(d, "reading today's date");
	d->real_now = d->ctx->now > 0 ? d->ctx->now : (int64_t)time(NULL);
	d->ctx->now = d->real_now;
	d->seed = 20260101u;
	if ((rc = cycle_today(d->ctx, &d->today)))
		return rc;
	for (int w = 0; w < W_COUNT; w++) {
		int64_t id = 0;
		step(d, "loading the demo user %s", who_name[w]);
		if ((rc = user_id_by_name(d->ctx, who_name[w], &id)) || (rc = user_load(d->ctx, id, &d->user[w])))
			return rc;
	}
	step(d, "finding the departments");
	if ((rc = department_id_by_code(d->ctx, "ITOPS", NULL, &d->itops)) ||
		(rc = department_id_by_code(d->ctx, "BIZ", NULL, &d->biz)))
		return rc;
	if ((rc = mk_customers(d)) || (rc = mk_import(d)))
		return rc;
	for (size_t i = 0; i < NL_ARRAY_LEN(manual); i++)
		if ((rc = mk_manual(d, &manual[i])))
			return rc;
	d->ctx->now = d->real_now;
	return 0;
}

int demo_records(struct nl_cli *cli)
{
	struct demo d;
	memset(&d, 0, sizeof d);
	d.ctx = &cli->ctx;
	int rc = demo_run(cli, run, &d, d.step);
	if (rc)
		return rc;
	printf("nengli: service records (%d writes, each audited): %d customers; %d tickets of the last 12 months imported "
	       "from one CSV file (source helpdesk); %d tickets recorded by hand with their status history (%d rated)\n",
		d.writes, d.customers, d.imported, d.manual, d.rated);
	return NL_EXIT_OK;
}
