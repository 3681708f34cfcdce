/* demo_partners.c — `nengli demo`'s partners / agents (demo_partners.h). The story: the IT operations division works
 * with three regional agents under contract — 华东讯达 (strong, grade A), 粤海智联 (steady, grade B) and 京北云途, whose
 * scores fell through last year and this one until the planner suspended it in July after repeated complaints; its
 * annual rating for last year was rejected once by the approver (the fourth quarter's score did not match the complaint
 * ledger) and, after quality's review, waits for approval again. 蜀信数据 is a candidate in this year's selection for the
 * south-west. Assessments use the default dimensions (service quality 40, business development 20, cooperation 20,
 * contract performance 20), each quarter assessed by quality ten days after it ends.
 *
 * Every write goes through the partners room's domain functions as the demo user who would make it, after checking
 * the route's permission (auth/policy.c); ctx->now is set to a plausible past moment first (never later than the real
 * now), so that created_at, the assessments' dates and the approvals carry the days they would have. */
#include "cli/demo_partners.h"
#include "cli/demo_util.h"

#include "auth/auth.h"
#include "auth/session.h"
#include "core/date.h"
#include "cycle/today.h"
#include "org/org.h"
#include "partners/assessment.h"
#include "partners/partner.h"
#include "partners/partner_rating.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

enum who { W_APPROVER, W_PLANNER, W_QUALITY, W_COUNT };
static const char *const who_name[W_COUNT] = { "approver", "planner", "quality" };

enum { P_XUNDA, P_YUEHAI, P_JINGBEI, P_SHUXIN, P_COUNT };

struct demo {
	struct nl_ctx *ctx;
	struct nl_user user[W_COUNT];
	struct nl_date today;
	int y;
	int64_t real_now;
	int64_t itops;
	int64_t partner[P_COUNT];
	char step[256];
	int writes, assessments, approved, pending, rejected, suspended;
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

static struct nl_date ymd(int y, int m, int day)
{
	return demo_ymd(y, m, day);
}

/* ================================ The partners ================================ */

struct profile {
	const char *name, *region, *qualifications, *experience, *contact, *phone, *selection;
	const char *status;          /* at creation */
	int contract_from, contract_to;   /* years relative to this year (0 = Y); both 99: no contract */
};

static const struct profile profiles[P_COUNT] = {
	[P_XUNDA] = { "华东讯达信息技术有限公司", "华东（上海）",
		"ITSS 信息技术服务运行维护标准符合性证书（二级）；ISO/IEC 20000-1、ISO/IEC 27001 认证；驻场工程师 42 人，其中"
		"持 ITIL Foundation 证书 30 人",
		"金融、证券行业数据中心运维 10 年；服务过 3 家城商行核心系统", "周海波", "13916880012",
		"两年前公开比选（5 家参选）：资质审查、现场考察、方案答辩综合评分第一（91.5 分），经分管副总批准入围；合同"
		"三年，到期前根据年度评级决定是否续签。",
		"active", -2, 0 },
	[P_YUEHAI] = { "粤海智联运维服务有限公司", "华南（广州）",
		"ITSS 运行维护三级；ISO 9001；网络与安全设备原厂认证工程师 12 人",
		"制造业与物流企业网络、终端运维 6 年", "黄丽娟", "13822450376",
		"两年前华南区域比选（3 家参选）综合评分第二（84.0 分），第一名报价超出预算，经比选小组讨论后选定；合同三年。",
		"active", -2, 0 },
	[P_JINGBEI] = { "京北云途科技有限公司", "华北（北京）",
		"ITSS 运行维护三级；云平台原厂服务合作伙伴",
		"政企客户私有云平台运维 5 年", "刘志强", "13601127788",
		"去年年初华北区域比选（4 家参选）综合评分第一（86.0 分），合同两年。",
		"active", -1, 0 },
	[P_SHUXIN] = { "蜀信数据服务有限公司", "西南（成都）",
		"ITSS 运行维护三级；ISO/IEC 27001 认证；成都、重庆两地服务网点",
		"医疗、教育行业信息系统运维 7 年", "杨帆", "18980061234",
		"今年西南区域代理商比选：资质审查已通过，现场考察已完成（服务台、备件库、值班制度符合要求），待商务谈判与"
		"分管副总批准。",
		"candidate", 99, 99 },
};

static int mk_partners(struct demo *d)
{
	int rc;
	for (int i = 0; i < P_COUNT; i++) {
		const struct profile *p = &profiles[i];
		char from[NL_DATE_STRLEN], to[NL_DATE_STRLEN];
		int contract = p->contract_from != 99;
		if (contract && (date_format(ymd(d->y + p->contract_from, 1, 1), from) ||
				       date_format(ymd(d->y + p->contract_to, 12, 31), to)))
			return NL_EINTERNAL;
		struct nl_partner_input in = { .name = p->name, .region = p->region, .qualifications = p->qualifications,
			.industry_experience = p->experience, .contact_name = p->contact, .contact_phone = p->phone,
			.contract_start = contract ? from : NULL, .contract_end = contract ? to : NULL, .status = p->status,
			.selection_record = p->selection, .department_id = d->itops };
		json_t *o = NULL;
		step(d, "partner %s: created by the planner", p->name);
		/* those under contract are entered at the start of last year; the candidate this autumn */
		at(d, contract ? ymd(d->y - 1, 1, 6) : ymd(d->y, 10, 20), 10);
		if ((rc = as(d, W_PLANNER, "partner.write")))
			return rc;
		rc = partner_create(d->ctx, &in, &o);
		if ((rc = took(d, rc, o, &d->partner[i])))
			return rc;
	}
	return 0;
}

/* ================================ Assessments ================================ */

/* Scores by partner, year (0 last, 1 this) and quarter: service quality, business development, cooperation, contract
 * performance. */
static const double scores[3][2][4][4] = {
	[P_XUNDA] = { { { 92, 85, 90, 95 }, { 90, 88, 92, 96 }, { 88, 86, 90, 94 }, { 93, 90, 91, 95 } },
		{ { 91, 87, 92, 96 }, { 89, 90, 88, 95 }, { 92, 91, 90, 94 }, { 0, 0, 0, 0 } } },
	[P_YUEHAI] = { { { 84, 80, 82, 88 }, { 82, 85, 80, 86 }, { 86, 83, 85, 90 }, { 85, 88, 84, 89 } },
		{ { 83, 86, 82, 90 }, { 80, 84, 81, 88 }, { 84, 85, 83, 90 }, { 0, 0, 0, 0 } } },
	[P_JINGBEI] = { { { 80, 75, 78, 85 }, { 78, 72, 75, 82 }, { 82, 70, 80, 86 }, { 74, 68, 72, 80 } },
		{ { 70, 65, 68, 78 }, { 62, 60, 64, 72 }, { 58, 55, 60, 70 }, { 0, 0, 0, 0 } } },
};

static const char *const comments[3][2][4] = {
	[P_XUNDA] = { { "驻场响应及时，一季度无投诉。", "配合完成核心系统升级保障，表现突出。", "三季度一次备件到货延迟，已整改。",
			      "年终结算资料齐全，回款及时。" },
		{ "新增两家客户，业务拓展良好。", "二季度满意度回访 4.8 分。", "配合完成等保测评整改。", NULL } },
	[P_YUEHAI] = { { "服务稳定。", "新签一家制造业客户。", "网络割接一次一次性成功。", "工单闭环及时。" },
		{ "一季度有一起投诉（响应超时），已答复。", "二季度满意度 4.3 分，沟通有待加强。", "三季度整改后响应时效改善。", NULL } },
	[P_JINGBEI] = { { "交付基本符合要求。", "两次故障处理超时，已约谈。", "云平台扩容项目配合较好。",
			       "四季度投诉 3 起，合规检查发现驻场人员资质不全。" },
		{ "一季度投诉 2 起，整改计划未按期提交。", "二季度重大故障一次，未按合同时限恢复；7 月起暂停合作，限期整改。",
			"暂停期间遗留工单交接不完整。", NULL } },
};

/* The last day of quarter q (1..4) of year y. */
static struct nl_date quarter_end(int y, int q)
{
	static const int last_month[5] = { 0, 3, 6, 9, 12 };
	int m = last_month[q];
	return ymd(y, m, date_days_in_month(y, m));
}

static int assess(struct demo *d, int p, int which, int q)
{
	int year = which == 0 ? d->y - 1 : d->y;
	const double *s = scores[p][which][q - 1];
	char period[16];
	snprintf(period, sizeof period, "%04d-Q%d", year, q);
	json_t *sc = json_pack("{s:f,s:f,s:f,s:f}", "service_quality", s[0], "business_development", s[1], "cooperation", s[2],
		"contract_performance", s[3]);
	struct nl_assessment_input in = { period, sc, comments[p][which][q - 1] };
	json_t *o = NULL;
	struct nl_date when;
	int rc = date_add_days(quarter_end(year, q), 10, &when);
	if (rc) {
		json_decref(sc);
		return rc;
	}
	step(d, "%s %s: assessed by quality", profiles[p].name, period);
	at(d, when, 10);
	if (!(rc = as(d, W_QUALITY, "partner.write"))) {
		rc = assessment_create(d->ctx, d->partner[p], &in, &o);
		rc = took(d, rc, o, NULL);
	}
	json_decref(sc);
	if (rc == 0)
		d->assessments++;
	return rc;
}

static int mk_assessments(struct demo *d)
{
	int rc;
	for (int p = P_XUNDA; p <= P_JINGBEI; p++)
		for (int q = 1; q <= 4; q++)
			if ((rc = assess(d, p, 0, q)))
				return rc;
	/* this year: the quarters that have ended (at most three: the demo's year is under way) */
	for (int q = 1; q <= 3; q++) {
		if (date_cmp(quarter_end(d->y, q), d->today) >= 0)
			break;
		for (int p = P_XUNDA; p <= P_JINGBEI; p++) {
			if ((rc = assess(d, p, 1, q)))
				return rc;
			if (p == P_JINGBEI && q == 2) {
				/* after the second quarter's major incident the planner suspends 京北云途 */
				struct nl_partner_input in = { .status = "suspended" };
				json_t *o = NULL;
				step(d, "%s: suspended by the planner", profiles[p].name);
				at(d, ymd(d->y, 7, 12), 15);
				if ((rc = as(d, W_PLANNER, "partner.write")))
					return rc;
				rc = partner_update(d->ctx, d->partner[p], &in, NL_PARTNER_SET_STATUS, &o);
				if ((rc = took(d, rc, o, NULL)))
					return rc;
				d->suspended = 1;
			}
		}
	}
	return 0;
}

/* ================================ Annual ratings ================================ */

static int request(struct demo *d, int p, struct nl_date when)
{
	json_t *o = NULL;
	step(d, "%s: the %d rating requested by quality", profiles[p].name, d->y - 1);
	at(d, when, 9);
	int rc = as(d, W_QUALITY, "partner.rate");
	if (rc)
		return rc;
	rc = partner_rating_request(d->ctx, d->partner[p], d->y - 1, &o);
	return took(d, rc, o, NULL);
}

static int decide(struct demo *d, int p, int approve, const char *comment, struct nl_date when)
{
	json_t *o = NULL;
	step(d, "%s: the %d rating %s by the approver", profiles[p].name, d->y - 1, approve ? "approved" : "rejected");
	at(d, when, 16);
	int rc = as(d, W_APPROVER, "partner.rating.approve");
	if (rc)
		return rc;
	rc = partner_rating_decide(d->ctx, d->partner[p], d->y - 1, approve, comment, &o);
	if ((rc = took(d, rc, o, NULL)))
		return rc;
	if (approve)
		d->approved++;
	else
		d->rejected++;
	return 0;
}

static int mk_ratings(struct demo *d)
{
	int rc;
	struct nl_date asked = ymd(d->y, 1, 15), decided = ymd(d->y, 1, 19), again = ymd(d->y, 10, 16);
	if ((rc = request(d, P_XUNDA, asked)) || (rc = request(d, P_YUEHAI, asked)) || (rc = request(d, P_JINGBEI, asked)) ||
		(rc = decide(d, P_XUNDA, 1, "同意。年度评级 A，建议续签并扩大华东区域服务范围。", decided)) ||
		(rc = decide(d, P_YUEHAI, 1, "同意。沟通与响应时效需继续改进。", decided)) ||
		(rc = decide(d, P_JINGBEI, 0, "四季度得分与投诉台账不一致（台账记录 3 起投诉），请质量管理部复核后重新提交。",
			 decided)))
		return rc;
	/* quality reviewed the complaint ledger (the fourth quarter's score stands) and asks again */
	if ((rc = request(d, P_JINGBEI, again)))
		return rc;
	d->pending++;
	return 0;
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
	step(d, "finding the department ITOPS");
	return department_id_by_code(d->ctx, "ITOPS", NULL, &d->itops);
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
	if ((rc = mk_partners(d)) || (rc = mk_assessments(d)) || (rc = mk_ratings(d)))
		return rc;
	d->ctx->now = d->real_now;
	return 0;
}

int demo_partners(struct nl_cli *cli)
{
	struct demo d;
	memset(&d, 0, sizeof d);
	d.ctx = &cli->ctx;
	int rc = demo_run(cli, run, &d, d.step);
	if (rc)
		return rc;
	printf("nengli: partners (%d writes, each audited): %d partners in 4 regions (%d active, %d suspended, 1 candidate), "
	       "%d quarterly assessments; %d annual ratings approved, %d rejected and requested again (%d pending approval)\n",
		d.writes, P_COUNT, 3 - d.suspended, d.suspended, d.assessments, d.approved, d.rejected, d.pending);
	return NL_EXIT_OK;
}
