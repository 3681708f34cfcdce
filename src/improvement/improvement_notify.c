/* improvement_notify.c — the improvement room's reminders for GET /notifications (improvement/improvement.h):
 * risks whose review date has passed, for their owner and for quality. Computed on every read; nothing stored. */
#include "improvement/improvement.h"

#include "auth/auth.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "improvement/risk.h"
#include "store/store.h"

#include <stdarg.h>
#include <string.h>

#include "core/common.h"

/* At most this many overdue risks are reminded (the longest overdue first). */
#define IMPROVEMENT_NOTIFY_MAX 200

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

static const char *element_zh(const char *e)
{
	static const char *const names[][2] = { { "people", "人员" }, { "process", "过程" }, { "technology", "技术" },
		{ "resources", "资源" } };
	for (size_t i = 0; e && i < NL_ARRAY_LEN(names); i++)
		if (!strcmp(names[i][0], e))
			return names[i][1];
	return e ? e : "";
}

int improvement_notifications(struct nl_ctx *ctx, json_t *items, struct nl_date today)
{
	struct nl_stmt *st = NULL;
	char today_s[NL_DATE_STRLEN];
	if (!ctx->actor)
		return nl_fail(ctx->err, NL_EUNAUTH, NULL, "Reminders are for a signed-in user.");
	if (date_format(today, today_s))
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "Today's date is out of range.");
	int quality = (ctx->actor->roles & NL_ROLE_QUALITY) != 0;
	int rc = db_prepare(ctx->db, "SELECT r.id, r.title, r.element, r.likelihood, r.impact, r.review_on, r.owner_user_id,"
				     " u.display_name FROM risks r LEFT JOIN users u ON u.id = r.owner_user_id"
				     " WHERE r.status <> 'closed' AND r.review_on IS NOT NULL AND r.review_on < $1"
				     " AND (r.owner_user_id = $2 OR CAST($3 AS BIGINT) = 1)"
				     " ORDER BY r.review_on, r.id LIMIT $4", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, today_s);
	stmt_bind_int64(st, 2, ctx->actor->id);
	stmt_bind_int64(st, 3, quality);
	stmt_bind_int64(st, 4, IMPROVEMENT_NOTIFY_MAX);
	while ((rc = stmt_step(st)) == 1) {
		struct nl_date due;
		const char *review_on = stmt_column_text(st, 5);
		if (!review_on || date_parse(review_on, &due))
			continue;
		int score = risk_score((int)stmt_column_int64(st, 3), (int)stmt_column_int64(st, 4));
		const char *level = risk_level(score);
		if (!level)
			continue;
		int days = date_diff_days(today, due);
		const char *title = stmt_column_text(st, 1) ? stmt_column_text(st, 1) : "";
		const char *element = stmt_column_text(st, 2);
		const char *owner = stmt_column_text(st, 7);
		int own = stmt_column_int64(st, 6) == ctx->actor->id;
		int severe = !strcmp(level, "high") || !strcmp(level, "critical");
		json_t *o = json_object();
		json_set_str(o, "kind", "risk_review_overdue");
		json_object_set_new(o, "title", jprintf("风险复核逾期：%s", title));
		json_object_set_new(o, "title_en", jprintf("Risk review overdue: %s", title));
		json_object_set_new(o, "message",
			jprintf("%s风险「%s」（%s要素，%s风险，得分 %d）应于 %s 复核，已逾期 %d 天；请复核并更新应对措施和下次复核日期。%s%s%s",
				own ? "您负责的" : "", title, element_zh(element), risk_level_zh(level), score, review_on, days,
				!own && owner ? "负责人：" : "", !own && owner ? owner : "", !own && owner ? "。" : ""));
		json_object_set_new(o, "message_en",
			jprintf("%s risk \"%s\" (%s, %s, score %d) was due for review on %s and is %d days overdue; review it and set "
				"its mitigation and next review date.%s%s%s",
				own ? "Your" : "The", title, element ? element : "", level, score, review_on, days,
				!own && owner ? " Owner: " : "", !own && owner ? owner : "", !own && owner ? "." : ""));
		json_set_str(o, "entity", "risk");
		json_set_id(o, "entity_id", stmt_column_int64(st, 0));
		json_set_str(o, "due_date", review_on);
		json_set_str(o, "severity", severe ? "danger" : "warning");
		json_array_append_new(items, o);
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}
