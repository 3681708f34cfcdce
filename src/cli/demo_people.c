/* demo_people.c — `nengli demo`'s people records (demo_people.h): the demo departments' staff with posts, key posts
 * and their backups (one key post without a backup, one leaver this year), skills, certifications (one expiring within
 * 60 days), this year's training plan with the sessions held so far, attendance, exam and feedback scores and the
 * effect of the courses, last year's Q4 appraisals, an approved reward and a pending penalty.
 *
 * Every write goes through the people room's domain functions as the demo user who would make it (hr, quality,
 * approver), after checking that the route's permission (auth/policy.c) allows it, with the time of the action set to
 * a plausible past day (never later than the real now). Relative dates keep it right on any day of the year:
 * Y = this year (cycle_today); sessions are held only on days before today. */
#include "cli/demo_people.h"
#include "cli/demo_util.h"

#include "auth/auth.h"
#include "auth/session.h"
#include "core/date.h"
#include "cycle/metric.h"
#include "cycle/today.h"
#include "org/org.h"
#include "people/appraisal.h"
#include "people/reward.h"
#include "people/staff.h"
#include "people/training.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

enum who { W_APPROVER, W_HR, W_QUALITY, W_COUNT };
static const char *const who_name[W_COUNT] = { "approver", "hr", "quality" };

struct demo {
	struct nl_ctx *ctx;
	struct nl_user user[W_COUNT];
	struct nl_date today;
	int y;
	int64_t real_now;
	char step[256];
	int writes, staff, key_posts, key_backed, certs, courses, sessions, attendances, appraisals;
};

static void step(struct demo *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void step(struct demo *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->step, sizeof d->step, fmt, ap);
	va_end(ap);
}

/* Acts as user w, after checking that the route's permission `action` allows one of w's roles. */
static int as(struct demo *d, enum who w, const char *action)
{
	return demo_act_as(d->ctx, &d->user[w], action);
}

/* Acts at `hour` o'clock (UTC+8) on day x, never later than the real now. */
static void at(struct demo *d, struct nl_date x, int hour)
{
	demo_act_at(d->ctx, d->real_now, x, hour);
}

/* Ends one domain call: on success counts the write and keeps the object's "id" in *id (id may be NULL); frees *out.
 * out is passed by address so that it is read after the call that fills it (argument order is unspecified). */
static int took(struct demo *d, int rc, json_t **out, int64_t *id)
{
	int r = demo_took(rc, *out, id, &d->writes);
	*out = NULL;
	return r;
}

static struct nl_date ymd(int y, int m, int day)
{
	return demo_ymd(y, m, day);
}

static struct nl_date shift(struct nl_date x, int n)
{
	struct nl_date r = x;
	if (date_add_days(x, n, &r))
		return x;
	return r;
}

/* The date as "YYYY-MM-DD" in the command's arena. */
static const char *ds(struct demo *d, struct nl_date x)
{
	char buf[NL_DATE_STRLEN];
	if (date_format(x, buf))
		return "";
	const char *s = arena_strdup(d->ctx->arena, buf);
	return s ? s : "";
}

/* ================================ Staff ================================ */

enum staff_ix { S_LIMING, S_ZHOUTAO, S_ZHAOQIANG, S_WUMIN, S_ZHENGKAI, S_SUNLEI, S_FENGCHAO, S_HUANGWEI, S_CHENCHEN,
	S_QIANYONG, S_LINFANG, S_MALI, S_ZHANGLI, S_LIUYANG, S_CHENJING, S_SUNSHEN, S_COUNT };

struct staff_spec {
	const char *name, *dept, *post, *user;
	int key_post;
	int backup;          /* staff index of the backup, -1: none */
	int hired_back;      /* years before Y */
	int hired_m, hired_d;
};

static const struct staff_spec staff_specs[S_COUNT] = {
	[S_LIMING] = { "李明", "ITOPS", "运维经理", "planner", 1, S_ZHOUTAO, 9, 3, 1 },
	[S_ZHOUTAO] = { "周涛", "ITOPS", "二线技术专家", NULL, 0, -1, 7, 7, 15 },
	[S_ZHAOQIANG] = { "赵强", "ITOPS", "运维工程师", "member", 0, -1, 4, 9, 1 },
	[S_WUMIN] = { "吴敏", "ITOPS", "数据库管理员", NULL, 1, S_ZHENGKAI, 6, 4, 10 },
	[S_ZHENGKAI] = { "郑凯", "ITOPS", "数据库管理员", NULL, 0, -1, 2, 6, 1 },
	[S_SUNLEI] = { "孙磊", "ITOPS", "网络工程师", NULL, 1, S_FENGCHAO, 8, 2, 20 },
	[S_FENGCHAO] = { "冯超", "ITOPS", "网络工程师", NULL, 0, -1, 3, 3, 5 },
	[S_HUANGWEI] = { "黄伟", "ITOPS", "信息安全工程师", NULL, 1, S_CHENCHEN, 5, 11, 1 },
	[S_CHENCHEN] = { "陈晨", "ITOPS", "系统工程师", NULL, 0, -1, 3, 8, 15 },
	[S_QIANYONG] = { "钱勇", "ITOPS", "中间件工程师", NULL, 1, -1, 4, 5, 6 },
	[S_LINFANG] = { "林芳", "ITOPS", "服务台工程师", NULL, 0, -1, 2, 7, 1 },
	[S_MALI] = { "马丽", "ITOPS", "服务台工程师", NULL, 0, -1, 3, 4, 1 },
	[S_ZHANGLI] = { "张丽", "HR", "人力资源专员", "hr", 0, -1, 6, 3, 15 },
	[S_LIUYANG] = { "刘洋", "HR", "培训专员", NULL, 0, -1, 2, 9, 10 },
	[S_CHENJING] = { "陈静", "QA", "质量经理", "quality", 0, -1, 8, 1, 5 },
	[S_SUNSHEN] = { "孙审", "QA", "内审员", "auditor", 0, -1, 5, 6, 20 },
};

struct skill_spec {
	int staff;
	const char *skill, *category;
	int level;
};

static const struct skill_spec skill_specs[] = {
	{ S_LIMING, "ITIL 流程管理", "流程", 5 }, { S_LIMING, "Linux 系统管理", "系统", 4 },
	{ S_ZHOUTAO, "Linux 系统管理", "系统", 5 }, { S_ZHOUTAO, "Ansible 自动化", "自动化", 4 },
	{ S_ZHOUTAO, "故障诊断与根因分析", "技术", 5 },
	{ S_ZHAOQIANG, "Linux 系统管理", "系统", 3 }, { S_ZHAOQIANG, "Ansible 自动化", "自动化", 2 },
	{ S_ZHAOQIANG, "ITIL 流程管理", "流程", 3 },
	{ S_WUMIN, "Oracle 数据库", "数据库", 5 }, { S_WUMIN, "MySQL 数据库", "数据库", 4 },
	{ S_ZHENGKAI, "Oracle 数据库", "数据库", 3 }, { S_ZHENGKAI, "MySQL 数据库", "数据库", 4 },
	{ S_SUNLEI, "网络设备运维（华为/思科）", "网络", 5 }, { S_FENGCHAO, "网络设备运维（华为/思科）", "网络", 3 },
	{ S_HUANGWEI, "信息安全与等级保护", "安全", 5 }, { S_HUANGWEI, "Linux 系统管理", "系统", 4 },
	{ S_CHENCHEN, "Linux 系统管理", "系统", 4 }, { S_CHENCHEN, "信息安全与等级保护", "安全", 3 },
	{ S_CHENCHEN, "Ansible 自动化", "自动化", 3 },
	{ S_QIANYONG, "中间件（WebLogic/Tomcat）", "中间件", 5 },
	{ S_LINFANG, "服务台受理与沟通", "服务", 4 }, { S_LINFANG, "ITIL 流程管理", "流程", 3 },
	{ S_MALI, "服务台受理与沟通", "服务", 3 },
	{ S_CHENJING, "ITIL 流程管理", "流程", 5 }, { S_CHENJING, "质量管理与内审", "质量", 5 },
	{ S_SUNSHEN, "质量管理与内审", "质量", 4 },
};

struct cert_spec {
	int staff;
	const char *name, *issuer, *number;
	int obtained_back, obtained_m;   /* years before Y, month */
	int valid_years;                 /* 0: no expiry; -1: expires within 60 days of today */
};

static const struct cert_spec cert_specs[] = {
	{ S_LIMING, "ITIL 4 Foundation", "PeopleCert", "GR671234567LM", 3, 5, 0 },
	{ S_LIMING, "信息系统项目管理师（高级）", "工业和信息化部教育与考试中心", "2019-HB-031245", 7, 11, 0 },
	{ S_ZHOUTAO, "红帽认证工程师 RHCE", "Red Hat", "RHCE-190-118-245", 2, 6, 3 },
	{ S_ZHAOQIANG, "ITSS 运维服务工程师", "中国电子工业标准化技术协会", "ITSS-YW-2021-08812", 3, 0, -1 },
	{ S_WUMIN, "Oracle 认证专家 OCP", "Oracle", "OC1988221", 5, 9, 0 },
	{ S_SUNLEI, "华为认证 HCIE-Datacom", "华为", "HCIE-38817", 2, 10, 3 },
	{ S_HUANGWEI, "注册信息安全专业人员 CISP", "中国信息安全测评中心", "CNITSEC2022-CISP-2267", 2, 4, 3 },
	{ S_CHENJING, "ITIL 4 Foundation", "PeopleCert", "GR671288810CJ", 2, 3, 0 },
	{ S_CHENJING, "ISO/IEC 20000-1 内审员", "中国质量认证中心", "CQC-IA-20K-0918", 1, 6, 3 },
	{ S_LINFANG, "ITIL 4 Foundation", "PeopleCert", "GR671299231LF", 1, 5, 0 },
};

static int mk_staff(struct demo *d, int64_t staff_id[S_COUNT])
{
	int rc;
	/* HR records everyone in the first days of last year, then the backups once all exist */
	for (int i = 0; i < S_COUNT; i++) {
		const struct staff_spec *s = &staff_specs[i];
		struct nl_staff_input in = { 0 };
		json_t *o = NULL;
		int64_t user_id = 0;
		step(d, "staff: %s", s->name);
		at(d, ymd(d->y - 1, 1, 8), 10);
		if ((rc = as(d, W_HR, "people.write")) || (rc = department_id_by_code(d->ctx, s->dept, NULL, &in.department_id)))
			return rc;
		if (s->user && (rc = user_id_by_name(d->ctx, s->user, &user_id)))
			return rc;
		in.name = s->name;
		in.user_id = user_id;
		in.post = s->post;
		in.key_post = s->key_post;
		in.hired_on = ds(d, ymd(d->y - s->hired_back, s->hired_m, s->hired_d));
		if ((rc = took(d, staff_create(d->ctx, &in, &o), &o, &staff_id[i])))
			return rc;
		d->staff++;
		d->key_posts += s->key_post;
	}
	for (int i = 0; i < S_COUNT; i++) {
		const struct staff_spec *s = &staff_specs[i];
		struct nl_staff_input in = { 0 };
		json_t *o = NULL;
		if (s->backup < 0)
			continue;
		step(d, "staff: %s's backup %s", s->name, staff_specs[s->backup].name);
		at(d, ymd(d->y - 1, 1, 9), 15);
		in.backup_staff_id = staff_id[s->backup];
		if ((rc = took(d, staff_update(d->ctx, staff_id[i], &in, NL_STAFF_SET_BACKUP, &o), &o, NULL)))
			return rc;
		d->key_backed++;
	}
	/* the leaver: 马丽 leaves the service desk this year (at the end of June, or today when earlier) */
	{
		struct nl_staff_input in = { 0 };
		json_t *o = NULL;
		struct nl_date left = date_cmp(d->today, ymd(d->y, 6, 30)) > 0 ? ymd(d->y, 6, 30) : d->today;
		step(d, "staff: 马丽 leaves");
		at(d, shift(left, -14), 10);
		in.left_on = ds(d, left);
		if ((rc = took(d, staff_update(d->ctx, staff_id[S_MALI], &in, NL_STAFF_SET_LEFT, &o), &o, NULL)))
			return rc;
	}
	return 0;
}

static int mk_skills_and_certs(struct demo *d, const int64_t staff_id[S_COUNT])
{
	int rc;
	for (size_t i = 0; i < NL_ARRAY_LEN(skill_specs); i++) {
		const struct skill_spec *s = &skill_specs[i];
		json_t *o = NULL;
		int created;
		step(d, "skills: %s %s", staff_specs[s->staff].name, s->skill);
		at(d, ymd(d->y - 1, 1, 20), 10);
		if ((rc = as(d, W_HR, "people.write")) ||
			(rc = took(d, staff_skill_set(d->ctx, staff_id[s->staff], s->skill, s->level, s->category,
					 ds(d, ymd(d->y - 1, 1, 20)), &o, &created), &o, NULL)))
			return rc;
	}
	for (size_t i = 0; i < NL_ARRAY_LEN(cert_specs); i++) {
		const struct cert_spec *c = &cert_specs[i];
		json_t *o = NULL;
		struct nl_date expires;
		/* the expiring one: 35 days from today, obtained three years before that */
		struct nl_date obtained = c->valid_years < 0 ? ymd(d->y - 3, 1, 1) : ymd(d->y - c->obtained_back, c->obtained_m, 12);
		if (c->valid_years < 0) {
			expires = shift(d->today, 35);
			obtained = ymd(expires.y - 3, expires.m, expires.d == 29 && expires.m == 2 ? 28 : expires.d);
		} else {
			expires = ymd(obtained.y + c->valid_years, obtained.m, obtained.d);
		}
		struct nl_cert_input in = { c->name, c->issuer, c->number, ds(d, obtained), c->valid_years ? ds(d, expires) : NULL };
		step(d, "certifications: %s %s", staff_specs[c->staff].name, c->name);
		at(d, date_cmp(obtained, ymd(d->y - 1, 1, 20)) > 0 ? obtained : ymd(d->y - 1, 1, 20), 11);
		if ((rc = as(d, W_HR, "people.write")) ||
			(rc = took(d, certification_create(d->ctx, staff_id[c->staff], &in, &o), &o, NULL)))
			return rc;
		d->certs++;
	}
	return 0;
}

/* ================================ The training plan ================================ */

struct course_spec {
	const char *course, *topic, *form, *target_group;
	double hours;
	int planned_attendees, m, day;
	int hold;                      /* 1: held when its day has passed; 0: postponed (never held) */
	int attendees[10];             /* staff indexes, -1 ends */
	double exam[10];               /* NAN: no exam */
	double feedback[10];
	const char *effectiveness;
	int applied;
};

#define END -1
static const struct course_spec courses[] = {
	{ "Ansible 自动化运维实战", "Playbook 编写、巡检脚本、批量变更", "drill", "一线运维工程师", 8, 6, 3, 18, 1,
		{ S_ZHAOQIANG, S_ZHENGKAI, S_FENGCHAO, S_CHENCHEN, S_LINFANG, S_MALI, END },
		{ 86, 72, 65, 91, 58, 63 }, { 4.6, 4.2, 4.0, 4.8, 3.8, 4.1 },
		"上机考核 6 人中 5 人通过（平均 72.5 分）；学员已开发数据库与中间件巡检脚本 11 个并纳入日常巡检。", 1 },
	{ "ITIL 4 基础与事件、问题管理", "服务价值体系、事件分级与升级、问题管理闭环", "lecture", "运维与服务台全员", 16, 9, 4, 22, 1,
		{ S_ZHAOQIANG, S_WUMIN, S_ZHENGKAI, S_SUNLEI, S_FENGCHAO, S_HUANGWEI, S_CHENCHEN, S_QIANYONG, S_LINFANG, END },
		{ 78, 88, 74, 81, 69, 85, 83, 55, 90 }, { 4.3, 4.5, 4.1, 4.4, 4.0, 4.6, 4.2, 3.5, 4.7 },
		"笔试通过 8/9 人；事件分级标准已在服务台执行，P1/P2 事件复盘率达到 100%。", 1 },
	{ "批量事件应急预案演练", "机房空调故障场景：发现、升级、切换、恢复", "drill", "IT 运维事业部全员", 4, 11, 6, 20, 1,
		{ S_LIMING, S_ZHOUTAO, S_ZHAOQIANG, S_WUMIN, S_SUNLEI, S_HUANGWEI, S_CHENCHEN, S_QIANYONG, S_LINFANG, END },
		{ NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN }, { 4.5, 4.7, 4.4, 4.3, 4.6, 4.5, 4.2, 4.0, 4.4 },
		"演练从告警到业务恢复用时 48 分钟（目标 60 分钟）；发现 UPS 告警未接入统一监控，已整改。", 1 },
	{ "数据库故障案例复盘", "近两年 5 起数据库故障的根因与改进", "case_study", "数据库管理员、二线专家", 3, 4, 8, 21, 0,
		{ END }, { 0 }, { 0 }, NULL, -1 },
	{ "信息安全意识与等保 2.0 要求", "弱口令、钓鱼邮件、数据分级", "online", "全体员工", 2, 16, 9, 10, 1,
		{ S_LIMING, S_ZHOUTAO, S_ZHAOQIANG, S_WUMIN, S_ZHENGKAI, S_SUNLEI, S_FENGCHAO, S_HUANGWEI, S_CHENCHEN, END },
		{ 95, 92, 88, 90, 85, 93, 87, 100, 96 }, { 4.1, 4.0, 4.2, 3.9, 4.0, 4.3, 4.1, 4.6, 4.2 }, NULL, -1 },
	{ "年度综合应急演练", "核心系统整体切换演练", "drill", "IT 运维事业部全员", 4, 11, 12, 10, 1,
		{ S_LIMING, S_ZHOUTAO, S_ZHAOQIANG, S_WUMIN, S_SUNLEI, S_HUANGWEI, END },
		{ NAN, NAN, NAN, NAN, NAN, NAN }, { 4.4, 4.6, 4.3, 4.5, 4.4, 4.6 }, NULL, -1 },
};

static int mk_trainings(struct demo *d, const int64_t staff_id[S_COUNT])
{
	int rc;
	for (size_t i = 0; i < NL_ARRAY_LEN(courses); i++) {
		const struct course_spec *c = &courses[i];
		struct nl_training_input in = { 0 };
		json_t *o = NULL;
		int64_t tid = 0, sid = 0, dept = 0;
		step(d, "training plan: %s", c->course);
		at(d, ymd(d->y - 1, 12, 22), 10);
		if ((rc = as(d, W_HR, "people.write")) || (rc = department_id_by_code(d->ctx, "ITOPS", NULL, &dept)))
			return rc;
		in.year = d->y;
		in.course = c->course;
		in.topic = c->topic;
		in.form = c->form;
		in.target_group = c->target_group;
		in.hours = c->hours;
		in.planned_attendees = c->planned_attendees;
		in.department_id = !strcmp(c->target_group, "全体员工") ? 0 : dept;
		in.planned_on = ds(d, ymd(d->y, c->m, c->day));
		in.applied_in_practice = -1;
		if ((rc = took(d, training_create(d->ctx, &in, &o), &o, &tid)))
			return rc;
		d->courses++;
		/* held two days after its planned day, if that day is before today */
		struct nl_date held = shift(ymd(d->y, c->m, c->day), 2);
		if (!c->hold || date_cmp(held, d->today) >= 0)
			continue;
		step(d, "training session: %s", c->course);
		at(d, held, 17);
		if ((rc = took(d, training_session_create(d->ctx, tid, ds(d, held), c->hours, "内部讲师", &o), &o, &sid)))
			return rc;
		d->sessions++;
		for (int k = 0; k < 10 && c->attendees[k] != END; k++) {
			int created;
			int sx = c->attendees[k];
			step(d, "training attendance: %s %s", c->course, staff_specs[sx].name);
			rc = took(d, training_attendance_put(d->ctx, sid, staff_id[sx], 1, c->exam[k], c->feedback[k], &o, &created), &o, NULL);
			if (rc == NL_EVALID && !strcmp(d->ctx->err->field, "staff_id")) {
				nl_error_clear(d->ctx->err);   /* the leaver, after she left: not on the list */
				continue;
			}
			if (rc)
				return rc;
			d->attendances++;
		}
		if (c->effectiveness) {
			struct nl_training_input e = { .effectiveness = c->effectiveness, .applied_in_practice = c->applied };
			step(d, "training effect: %s", c->course);
			at(d, shift(held, 20), 10);
			if ((rc = took(d, training_update(d->ctx, tid, &e, NL_TRAINING_SET_EFFECT | NL_TRAINING_SET_APPLIED, &o), &o, NULL)))
				return rc;
		}
	}
	return 0;
}

/* ================================ Appraisals, rewards and penalties ================================ */

struct appraisal_spec {
	int staff;
	double attitude, quality, efficiency;
	const char *comment;
};

static const struct appraisal_spec appraisal_specs[] = {
	{ S_LIMING, 92, 90, 88, "统筹年度计划执行，监控平台按期上线。" },
	{ S_ZHOUTAO, 95, 94, 92, "批量事件处置表现突出，带教 B 角成效明显。" },
	{ S_ZHAOQIANG, 88, 82, 80, "巡检脚本开发进度略有滞后，质量良好。" },
	{ S_WUMIN, 90, 93, 86, "全年数据库零重大故障。" },
	{ S_ZHENGKAI, 85, 78, 80, "作为 B 角完成两次实操演练。" },
	{ S_SUNLEI, 86, 88, 84, NULL },
	{ S_FENGCHAO, 80, 72, 75, NULL },
	{ S_HUANGWEI, 90, 88, 85, "等保测评准备充分。" },
	{ S_CHENCHEN, 84, 80, 82, NULL },
	{ S_QIANYONG, 62, 58, 60, "两次未按流程变更，需加强流程意识。" },
	{ S_LINFANG, 92, 86, 88, NULL },
	{ S_MALI, 70, 66, 64, NULL },
};

static int mk_appraisals(struct demo *d, const int64_t staff_id[S_COUNT])
{
	char period[16];
	int rc;
	snprintf(period, sizeof period, "%04d-Q4", d->y - 1);
	for (size_t i = 0; i < NL_ARRAY_LEN(appraisal_specs); i++) {
		const struct appraisal_spec *a = &appraisal_specs[i];
		json_t *o = NULL;
		json_t *scores = json_pack("{s:f,s:f,s:f}", "attitude", a->attitude, "quality", a->quality, "efficiency", a->efficiency);
		step(d, "appraisal %s: %s", period, staff_specs[a->staff].name);
		at(d, ymd(d->y, 1, 12), 10);
		rc = as(d, W_HR, "appraisal.write");
		if (rc == 0)
			rc = took(d, appraisal_create(d->ctx, staff_id[a->staff], period, scores, a->comment, &o), &o, NULL);
		json_decref(scores);
		if (rc)
			return rc;
		d->appraisals++;
	}
	return 0;
}

/* The id of the metric with this code in `year` (0 when the demo's cycle has none). */
static int metric_by_code(struct demo *d, int year, const char *code, int64_t *id)
{
	json_t *items = NULL, *m;
	size_t i;
	struct nl_metric_filter f = { .year = year };
	*id = 0;
	int rc = metric_list_table(d->ctx, &f, &items);
	if (rc)
		return rc;
	json_array_foreach(items, i, m)
		if (!strcmp(json_string_value(json_object_get(m, "code")), code))
			*id = json_integer_value(json_object_get(m, "id"));
	json_decref(items);
	return 0;
}

static int mk_rewards(struct demo *d, const int64_t staff_id[S_COUNT])
{
	json_t *o = NULL;
	int64_t metric = 0, rid = 0;
	int rc;
	/* a reward for last year's incident work, proposed by hr in January and approved by the approver */
	step(d, "reward: 周涛");
	if ((rc = metric_by_code(d, d->y - 1, "PRC-INC-ONTIME", &metric)))
		return rc;
	struct nl_reward_input r = { "reward", staff_id[S_ZHOUTAO], 0,
		"牵头建立二线专家值班机制，上年度事件按时解决率由 93.6% 提升到 95% 以上，批量事件处置表现突出。",
		metric ? "metric" : "other", metric, 3000, 10 };
	at(d, ymd(d->y, 1, 15), 10);
	if ((rc = as(d, W_HR, "reward.propose")) || (rc = took(d, reward_create(d->ctx, &r, &o), &o, &rid)))
		return rc;
	step(d, "reward: approved");
	at(d, ymd(d->y, 1, 17), 16);
	if ((rc = as(d, W_APPROVER, "reward.approve")) ||
		(rc = took(d, reward_decide(d->ctx, rid, 1, "同意。奖金随一月工资发放。", &o), &o, NULL)))
		return rc;
	/* a penalty proposed by quality a few days ago, still waiting for the approver */
	step(d, "penalty: 钱勇");
	struct nl_reward_input p = { "penalty", staff_id[S_QIANYONG], 0,
		"未走变更流程直接修改生产环境中间件配置，导致业务系统中断 40 分钟（第二次）。", "other", 0, 500, 5 };
	at(d, shift(d->today, -3), 15);
	if ((rc = as(d, W_QUALITY, "reward.propose")) || (rc = took(d, reward_create(d->ctx, &p, &o), &o, NULL)))
		return rc;
	return 0;
}

/* ================================ The whole ================================ */

static int run(void *arg)
{
	struct demo *d = arg;
	int64_t staff_id[S_COUNT] = { 0 };
	int rc;
	step(d, "reading today's date");
	d->real_now = d->ctx->now > 0 ? d->ctx->now : (int64_t)time(NULL);
	d->ctx->now = d->real_now;
	if ((rc = cycle_today(d->ctx, &d->today)))
		return rc;
	d->y = d->today.y;
	for (int w = 0; w < W_COUNT; w++) {
		int64_t id = 0;
		step(d, "loading the demo user %s", who_name[w]);
		if ((rc = user_id_by_name(d->ctx, who_name[w], &id)) || (rc = user_load(d->ctx, id, &d->user[w])))
			return rc;
	}
	if ((rc = mk_staff(d, staff_id)) || (rc = mk_skills_and_certs(d, staff_id)) || (rc = mk_trainings(d, staff_id)) ||
		(rc = mk_appraisals(d, staff_id)) || (rc = mk_rewards(d, staff_id)))
		return rc;
	d->ctx->now = d->real_now;
	return 0;
}

int demo_people(struct nl_cli *cli)
{
	struct demo d;
	memset(&d, 0, sizeof d);
	d.ctx = &cli->ctx;
	int rc = demo_run(cli, run, &d, d.step);
	if (rc)
		return rc;
	printf("nengli: people (%d writes, each audited): %d staff (%d key posts, %d with a backup, 1 leaver this year), "
	       "%d certifications (1 expiring within 60 days), %d courses in the %d training plan with %d sessions held and "
	       "%d attendances, %d appraisals for %d-Q4, a reward approved and a penalty waiting for the approver\n",
		d.writes, d.staff, d.key_posts, d.key_backed, d.certs, d.courses, d.y, d.sessions, d.attendances, d.appraisals,
		d.y - 1);
	return NL_EXIT_OK;
}
