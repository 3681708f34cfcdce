/* notify.c — the current user's reminders (cycle/notify.h), read from approvals/approval_steps, plans, tasks and
 * task_checks with this file's own SQL. */
#include "cycle/notify.h"

#include "auth/auth.h"
#include "core/date.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "cycle/rules.h"
#include "cycle/today.h"
#include "improvement/improvement.h"
#include "people/people_notify.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

/* At most this many work items and checks each (the most urgent first). */
#define NOTIFY_MAX_ROWS 200
#define NOTIFY_RECENT_DAYS 30

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

/* The date part of an RFC 3339 timestamp ("2026-06-21T08:00:00Z" → "2026-06-21"), in a static-free copy. */
static void date_part(const char *ts, char out[11])
{
	snprintf(out, 11, "%.10s", ts ? ts : "");
}

/* 1 when s already ends with a sentence stop (。．. ！!？?), so that no second one is added. */
static int ends_sentence(const char *s)
{
	size_t n = strlen(s);
	static const char *const stops[] = { "。", "．", ".", "！", "!", "？", "?" };
	for (size_t i = 0; i < NL_ARRAY_LEN(stops); i++) {
		size_t k = strlen(stops[i]);
		if (n >= k && !strcmp(s + n - k, stops[i]))
			return 1;
	}
	return 0;
}

/* The Chinese name of a role for reminder texts. */
static const char *role_zh(const char *role)
{
	static const char *const names[][2] = { { "admin", "系统管理员" }, { "approver", "分管副总" }, { "planner", "计划编制人" },
		{ "hr", "人力资源部" }, { "quality", "质量管理部" }, { "member", "部门人员" }, { "auditor", "审核员" } };
	for (size_t i = 0; i < NL_ARRAY_LEN(names); i++)
		if (!strcmp(names[i][0], role))
			return names[i][1];
	return role;
}

/* Appends one reminder; title/message pairs are (zh, en) JSON strings whose references move to the item. */
static void add(json_t *items, const char *kind, const char *severity, const char *entity, int64_t entity_id,
	const char *due_date, json_t *title, json_t *title_en, json_t *message, json_t *message_en)
{
	json_t *o = json_object();
	json_set_str(o, "kind", kind);
	json_object_set_new(o, "title", title);
	json_object_set_new(o, "title_en", title_en);
	json_object_set_new(o, "message", message);
	json_object_set_new(o, "message_en", message_en);
	json_set_str(o, "entity", entity);
	json_set_id(o, "entity_id", entity_id);
	json_set_str(o, "due_date", due_date);
	json_set_str(o, "severity", severity);
	json_array_append_new(items, o);
}

static const char *text_or(const char *s, const char *def)
{
	return s && *s ? s : def;
}

static int approvals_waiting(struct nl_ctx *ctx, json_t *items)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT a.id, a.entity, a.entity_id, a.summary, a.requested_at, s.role, u.display_name"
				     " FROM approvals a JOIN approval_steps s ON s.approval_id = a.id"
				     " LEFT JOIN users u ON u.id = a.requested_by"
				     " WHERE a.status = 'pending' AND s.status = 'pending'"
				     " AND (a.requested_by IS NULL OR a.requested_by <> $1) ORDER BY a.id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ctx->actor->id);
	while ((rc = stmt_step(st)) == 1) {
		if (!(role_parse(text_or(stmt_column_text(st, 5), "")) & ctx->actor->roles))
			continue;
		const char *entity = text_or(stmt_column_text(st, 1), "");
		int64_t eid = stmt_column_int64(st, 2);
		const char *summary = stmt_column_text(st, 3);
		json_t *t = summary && *summary ? jprintf("待审批：%s", summary) : jprintf("待审批：%s #%lld", entity, (long long)eid);
		json_t *te = summary && *summary ? jprintf("Waiting for your approval: %s", summary)
						 : jprintf("Waiting for your approval: %s #%lld", entity, (long long)eid);
		const char *by = text_or(stmt_column_text(st, 6), "—");
		char at[11];
		date_part(stmt_column_text(st, 4), at);
		const char *role = text_or(stmt_column_text(st, 5), "");
		add(items, "approval_pending", "warning", entity, eid, NULL, t, te,
			jprintf("%s 于 %s 提交，等待%s审批。", by, at, role_zh(role)),
			jprintf("Requested by %s on %s; waiting for the %s's decision.", by, at, role));
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int plans_decided(struct nl_ctx *ctx, json_t *items)
{
	struct nl_stmt *st = NULL;
	char since[NL_TIMESTAMP_STRLEN];
	int64_t now = ctx->now > 0 ? ctx->now : (int64_t)time(NULL);
	if (date_timestamp_format(now - (int64_t)NOTIFY_RECENT_DAYS * 86400, since))
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "The clock is out of range.");
	int rc = db_prepare(ctx->db, "SELECT p.id, p.year, p.title, p.status, p.approved_at, p.updated_at,"
				     " (SELECT s.comment FROM approval_steps s WHERE s.approval_id = p.approval_id"
				     "  AND s.status = 'rejected' ORDER BY s.seq DESC LIMIT 1)"
				     " FROM plans p WHERE (p.prepared_by = $1 OR p.submitted_by = $1)"
				     " AND ((p.status = 'approved' AND p.approved_at >= $2) OR (p.status = 'rejected' AND p.updated_at >= $2))"
				     " ORDER BY p.year", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ctx->actor->id);
	stmt_bind_text(st, 2, since);
	while ((rc = stmt_step(st)) == 1) {
		int64_t id = stmt_column_int64(st, 0);
		long long year = (long long)stmt_column_int64(st, 1);
		const char *title = text_or(stmt_column_text(st, 2), "");
		if (!strcmp(text_or(stmt_column_text(st, 3), ""), "approved")) {
			char on[11];
			date_part(stmt_column_text(st, 4), on);
			add(items, "plan_approved", "info", "plan", id, NULL, jprintf("%lld 年度计划已批准", year),
				jprintf("The %lld plan was approved", year), jprintf("《%s》已于 %s 批准。", title, on),
				jprintf("\"%s\" was approved on %s.", title, on));
		} else {
			const char *comment = text_or(stmt_column_text(st, 6), "");
			add(items, "plan_rejected", "danger", "plan", id, NULL, jprintf("%lld 年度计划被驳回", year),
				jprintf("The %lld plan was rejected", year),
				jprintf("《%s》被驳回，请修改后重新提交。%s%s", title, *comment ? "审批意见：" : "", comment),
				jprintf("\"%s\" was rejected; revise and submit it again.%s%s", title, *comment ? " Comment: " : "",
					comment));
		}
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int tasks_due(struct nl_ctx *ctx, json_t *items, struct nl_date today)
{
	struct nl_stmt *st = NULL;
	struct nl_date horizon;
	char horizon_s[NL_DATE_STRLEN];
	if (date_add_days(today, NL_WORK_DUE_SOON_DAYS, &horizon) || date_format(horizon, horizon_s))
		return 0;
	const unsigned dept_roles = NL_ROLE_HR | NL_ROLE_QUALITY | NL_ROLE_MEMBER;
	int64_t dept = (ctx->actor->roles & dept_roles) ? ctx->actor->department_id : 0;
	int rc = db_prepare(ctx->db, "SELECT t.id, t.title, t.planned_end, t.status, t.percent, t.owner_user_id, d.name"
				     " FROM tasks t JOIN departments d ON d.id = t.department_id"
				     " WHERE t.status IN ('not_started', 'in_progress', 'delayed') AND t.planned_end <= $2"
				     " AND (t.owner_user_id = $1 OR (CAST($3 AS BIGINT) > 0 AND t.department_id = CAST($3 AS BIGINT)))"
				     " ORDER BY t.planned_end, t.id LIMIT $4", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ctx->actor->id);
	stmt_bind_text(st, 2, horizon_s);
	stmt_bind_int64(st, 3, dept);
	stmt_bind_int64(st, 4, NOTIFY_MAX_ROWS);
	while ((rc = stmt_step(st)) == 1) {
		enum nl_work_status ws;
		struct nl_date end;
		struct nl_work_timing tm;
		const char *end_s = stmt_column_text(st, 2);
		if (rules_work_status_parse(stmt_column_text(st, 3), &ws) || date_parse(end_s, &end) ||
			rules_work_timing(ws, end, NULL, today, &tm))
			continue;
		int64_t id = stmt_column_int64(st, 0);
		const char *title = text_or(stmt_column_text(st, 1), "");
		const char *dname = text_or(stmt_column_text(st, 6), "");
		int own = stmt_column_int64(st, 5) == ctx->actor->id;
		if (tm.overdue) {
			add(items, "task_overdue", "danger", "task", id, end_s, jprintf("工作项逾期：%s", title),
				jprintf("Work item overdue: %s", title),
				jprintf("%s%s的工作项「%s」计划 %s 完成，已逾期 %d 天（完成 %lld%%）。", own ? "您负责的" : "", dname, title,
					end_s, tm.delay_days, (long long)stmt_column_int64(st, 4)),
				jprintf("%s work item \"%s\" (%s) was due on %s and is %d days overdue (%lld%% done).",
					own ? "Your" : "The", title, dname, end_s, tm.delay_days, (long long)stmt_column_int64(st, 4)));
		} else if (rules_work_due_soon(ws, end, today, NL_WORK_DUE_SOON_DAYS)) {
			int left = date_diff_days(end, today);
			char when[32];
			if (left == 0)
				snprintf(when, sizeof when, "今天到期");
			else
				snprintf(when, sizeof when, "%d 天后到期", left);
			add(items, "task_due_soon", "warning", "task", id, end_s, jprintf("工作项即将到期：%s", title),
				jprintf("Work item due soon: %s", title),
				jprintf("%s%s的工作项「%s」计划 %s 完成（%s），当前完成 %lld%%。", own ? "您负责的" : "", dname, title,
					end_s, when, (long long)stmt_column_int64(st, 4)),
				jprintf("%s work item \"%s\" (%s) is due on %s (%d days left), %lld%% done.", own ? "Your" : "The",
					title, dname, end_s, left, (long long)stmt_column_int64(st, 4)));
		}
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int checks_open(struct nl_ctx *ctx, json_t *items, const char *today_s)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT c.id, c.task_id, t.title, c.finding, c.corrective_action, c.due_date"
				     " FROM task_checks c JOIN tasks t ON t.id = c.task_id"
				     " WHERE t.owner_user_id = $1 AND c.verified = 0 ORDER BY c.id LIMIT $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, ctx->actor->id);
	stmt_bind_int64(st, 2, NOTIFY_MAX_ROWS);
	while ((rc = stmt_step(st)) == 1) {
		const char *due = stmt_column_text(st, 5);
		const char *title = text_or(stmt_column_text(st, 2), "");
		const char *finding = text_or(stmt_column_text(st, 3), "");
		const char *action = text_or(stmt_column_text(st, 4), "");
		int late = due && strcmp(due, today_s) < 0;
		add(items, "check_open", late ? "danger" : "warning", "check", stmt_column_int64(st, 0), due,
			jprintf("跟踪检查待整改：%s", title), jprintf("Check to act on: %s", title),
			jprintf("质量检查发现：%s%s%s%s%s", finding, ends_sentence(finding) ? "" : "。", *action ? "纠正措施：" : "", action,
				late ? "（已超过整改期限）" : ""),
			jprintf("Quality found: %s%s%s%s%s", finding, ends_sentence(finding) ? "" : ".", *action ? " Corrective action: " : "", action,
				late ? " (past its due date)" : ""));
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int plan_due(struct nl_ctx *ctx, json_t *items, struct nl_date today)
{
	struct nl_stmt *st = NULL;
	if (today.m != 12 || !(ctx->actor->roles & (NL_ROLE_QUALITY | NL_ROLE_PLANNER)))
		return 0;
	int rc = db_prepare(ctx->db, "SELECT 1 FROM plans WHERE year = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, today.y + 1);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	char due[NL_DATE_STRLEN];
	snprintf(due, sizeof due, "%04d-12-31", today.y);
	add(items, "plan_due", "warning", "plan", 0, due, jprintf("请编制 %d 年度服务能力管理计划", today.y + 1),
		jprintf("The %d capability plan is due", today.y + 1),
		jprintf("按《服务能力管理制度》4.1，每年 12 月编制下一年度服务能力管理计划；%d 年度计划尚未创建。", today.y + 1),
		jprintf("The policy (4.1) asks for next year's capability plan every December; no plan for %d exists yet.",
			today.y + 1));
	return 0;
}

/* Quality's own work (policy 4.5): missed values still lacking their analysis or corrective action, in periods
 * that are not closed yet; and overdue work items that no check has looked at. */
static int quality_work(struct nl_ctx *ctx, json_t *items, const char *today_s)
{
	struct nl_stmt *st = NULL;
	if (!(ctx->actor->roles & NL_ROLE_QUALITY))
		return 0;
	int rc = db_prepare(ctx->db, "SELECT v.id, m.code, m.name, v.period FROM metric_values v JOIN metrics m ON m.id = v.metric_id"
				     " WHERE v.status = 'missed' AND (TRIM(v.deviation_analysis) = '' OR TRIM(v.corrective_action) = '')"
				     " AND NOT EXISTS (SELECT 1 FROM closed_periods c WHERE c.period = v.period)"
				     " ORDER BY v.period, m.code LIMIT $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, NOTIFY_MAX_ROWS);
	while ((rc = stmt_step(st)) == 1) {
		const char *code = text_or(stmt_column_text(st, 1), ""), *name = text_or(stmt_column_text(st, 2), "");
		const char *period = text_or(stmt_column_text(st, 3), "");
		add(items, "value_needs_analysis", "warning", "metric_value", stmt_column_int64(st, 0), NULL,
			jprintf("未达标待分析：%s %s", code, period), jprintf("Missed value to analyse: %s %s", code, period),
			jprintf("指标 %s「%s」%s 未达标，尚缺偏差分析或纠正措施；补齐后该期间才能关闭。", code, name, period),
			jprintf("Metric %s (%s) missed its target in %s and lacks its deviation analysis or corrective action; "
				"the period cannot be closed until it has both.", code, name, period));
	}
	stmt_done(st);
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(ctx->db, "SELECT t.id, t.title, t.planned_end, d.name FROM tasks t"
				      " LEFT JOIN departments d ON d.id = t.department_id"
				      " WHERE t.status NOT IN ('done', 'cancelled') AND t.planned_end < $1"
				      " AND NOT EXISTS (SELECT 1 FROM task_checks c WHERE c.task_id = t.id)"
				      " ORDER BY t.planned_end, t.id LIMIT $2", &st)))
		return rc;
	stmt_bind_text(st, 1, today_s);
	stmt_bind_int64(st, 2, NOTIFY_MAX_ROWS);
	while ((rc = stmt_step(st)) == 1) {
		const char *title = text_or(stmt_column_text(st, 1), ""), *end = text_or(stmt_column_text(st, 2), "");
		const char *dname = text_or(stmt_column_text(st, 3), "");
		add(items, "task_unchecked", "warning", "task", stmt_column_int64(st, 0), end,
			jprintf("逾期未检查：%s", title), jprintf("Overdue and not yet checked: %s", title),
			jprintf("%s的工作项「%s」计划 %s 完成，已逾期，尚无跟踪检查记录。", dname, title, end),
			jprintf("%s's work item \"%s\" was due on %s, is overdue, and has no check yet.", dname, title, end));
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int severity_rank(const json_t *o)
{
	const char *s = json_string_value(json_object_get(o, "severity"));
	return !s ? 3 : !strcmp(s, "danger") ? 0 : !strcmp(s, "warning") ? 1 : 2;
}

/* Most urgent first: severity, then due date (none last), then the order found. */
static int item_cmp(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	int ra = severity_rank(a), rb = severity_rank(b);
	if (ra != rb)
		return ra - rb;
	const char *da = json_string_value(json_object_get(a, "due_date"));
	const char *db = json_string_value(json_object_get(b, "due_date"));
	if (da && db && strcmp(da, db))
		return strcmp(da, db);
	if (!da != !db)
		return da ? -1 : 1;
	int64_t sa = json_integer_value(json_object_get(a, "_seq")), sb = json_integer_value(json_object_get(b, "_seq"));
	return sa < sb ? -1 : sa > sb;
}

int notify_list(struct nl_ctx *ctx, json_t **out)
{
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	*out = NULL;
	if (!ctx->actor)
		return nl_fail(ctx->err, NL_EUNAUTH, NULL, "Reminders are for a signed-in user.");
	int rc = cycle_today(ctx, &today);
	if (rc)
		return rc;
	if (date_format(today, today_s))
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "Today's date is out of range.");
	json_t *items = json_array();
	if ((rc = approvals_waiting(ctx, items)) || (rc = plans_decided(ctx, items)) ||
		(rc = tasks_due(ctx, items, today)) || (rc = checks_open(ctx, items, today_s)) ||
		(rc = plan_due(ctx, items, today)) || (rc = quality_work(ctx, items, today_s)) ||
		(rc = improvement_notifications(ctx, items, today)) || (rc = people_notifications(ctx, items, today))) {
		json_decref(items);
		return rc;
	}
	size_t n = json_array_size(items), i;
	json_t **v = calloc(n ? n : 1, sizeof *v);
	if (!v) {
		json_decref(items);
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	}
	for (i = 0; i < n; i++) {
		v[i] = json_incref(json_array_get(items, i));
		json_set_int(v[i], "_seq", (int64_t)i);
	}
	qsort(v, n, sizeof *v, item_cmp);
	json_t *sorted = json_array();
	for (i = 0; i < n; i++) {
		json_object_del(v[i], "_seq");
		json_array_append_new(sorted, v[i]);
	}
	free(v);
	json_decref(items);
	*out = sorted;
	return 0;
}
