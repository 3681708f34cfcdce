/* people_notify.c — the people room's reminders (people/people_notify.h), with this file's own SQL on
 * certifications and staff. */
#include "people/people_notify.h"

#include "auth/auth.h"
#include "core/json.h"
#include "people/people_rules.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

/* At most this many reminders of one kind. */
#define PEOPLE_NOTIFY_MAX 200
/* Within this many days a reminder is a warning rather than information. */
#define PEOPLE_NOTIFY_WARN_DAYS 30

static json_t *jprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *jprintf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	json_t *s = json_string(buf);
	return s ? s : json_string("");
}

int people_notifications(struct nl_ctx *ctx, json_t *items, struct nl_date today)
{
	struct nl_stmt *st = NULL;
	struct nl_date horizon;
	char today_s[NL_DATE_STRLEN], horizon_s[NL_DATE_STRLEN];
	if (!ctx->actor)
		return 0;
	if (date_format(today, today_s) || date_add_days(today, NL_PEOPLE_CERT_REMIND_DAYS, &horizon) ||
		date_format(horizon, horizon_s))
		return 0;
	int all = (ctx->actor->roles & NL_ROLE_HR) != 0;
	int rc = db_prepare(ctx->db, "SELECT c.id, c.name, c.expires_on, s.name, s.user_id FROM certifications c"
				     " JOIN staff s ON s.id = c.staff_id"
				     " WHERE c.expires_on IS NOT NULL AND c.expires_on >= $1 AND c.expires_on <= $2"
				     " AND (s.left_on IS NULL OR s.left_on > $1) AND ($3 = 1 OR s.user_id = CAST($4 AS BIGINT))"
				     " ORDER BY c.expires_on, c.id LIMIT $5", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, today_s);
	stmt_bind_text(st, 2, horizon_s);
	stmt_bind_int64(st, 3, all);
	stmt_bind_int64(st, 4, ctx->actor->id);
	stmt_bind_int64(st, 5, PEOPLE_NOTIFY_MAX);
	while ((rc = stmt_step(st)) == 1) {
		struct nl_date exp;
		const char *cert = stmt_column_text(st, 1) ? stmt_column_text(st, 1) : "";
		const char *on = stmt_column_text(st, 2) ? stmt_column_text(st, 2) : "";
		const char *who = stmt_column_text(st, 3) ? stmt_column_text(st, 3) : "";
		int own = stmt_column_int64(st, 4) == ctx->actor->id;
		if (date_parse(on, &exp))
			continue;
		int left = date_diff_days(exp, today);
		json_t *o = json_object();
		json_set_str(o, "kind", "certification_expiring");
		json_object_set_new(o, "title", jprintf("证书即将到期：%s（%s）", who, cert));
		json_object_set_new(o, "title_en", jprintf("Certification expiring: %s (%s)", who, cert));
		if (own) {
			json_object_set_new(o, "message", jprintf("您的证书「%s」将于 %s 到期（还有 %d 天），请及时办理续证。", cert, on, left));
			json_object_set_new(o, "message_en",
				jprintf("Your certification \"%s\" expires on %s (%d days left); renew it in time.", cert, on, left));
		} else {
			json_object_set_new(o, "message", jprintf("%s的证书「%s」将于 %s 到期（还有 %d 天），请安排续证或复审。", who, cert, on, left));
			json_object_set_new(o, "message_en",
				jprintf("%s's certification \"%s\" expires on %s (%d days left); arrange its renewal.", who, cert, on, left));
		}
		json_set_str(o, "entity", "certification");
		json_set_int(o, "entity_id", stmt_column_int64(st, 0));
		json_set_str(o, "due_date", on);
		json_set_str(o, "severity", left <= PEOPLE_NOTIFY_WARN_DAYS ? "warning" : "info");
		json_array_append_new(items, o);
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}
