/* settings.c — organisation settings (company name, IANA time zone) as key/value rows. */
#include "org/org.h"

#include "audit/audit.h"
#include "core/json.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"

static const struct {
	const char *key;
	const char *def;
} settings_keys[] = {
	{ "company_name", "示例信息技术服务有限公司" },
	{ "timezone", "Asia/Shanghai" },
};

int settings_value(struct nl_ctx *ctx, const char *key, const char *def, char *out, size_t outlen)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT value FROM settings WHERE key = $1", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, key);
	rc = stmt_step(st);
	snprintf(out, outlen, "%s", rc == 1 ? stmt_column_text(st, 0) : (def ? def : ""));
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int settings_get(struct nl_ctx *ctx, json_t **out)
{
	json_t *o = json_object();
	for (size_t i = 0; i < NL_ARRAY_LEN(settings_keys); i++) {
		char v[512];
		int rc = settings_value(ctx, settings_keys[i].key, settings_keys[i].def, v, sizeof v);
		if (rc) {
			json_decref(o);
			return rc;
		}
		json_set_str(o, settings_keys[i].key, v);
	}
	*out = o;
	return 0;
}

/* An IANA zone name: letters, digits, '/', '_', '-', '+'; present in the zone database when one is installed. */
static int timezone_valid(const char *tz)
{
	size_t n = strlen(tz);
	if (n < 1 || n > 64 || tz[0] == '/' || strstr(tz, ".."))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = tz[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
			    c == '-' || c == '+'))
			return 0;
	}
	if (access("/usr/share/zoneinfo/UTC", F_OK) != 0)
		return 1;
	char path[128];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	return access(path, F_OK) == 0;
}

static int settings_put(struct nl_ctx *ctx, const char *key, const char *value)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "INSERT INTO settings (key, value) VALUES ($1, $2)"
				     " ON CONFLICT (key) DO UPDATE SET value = excluded.value", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, key);
	stmt_bind_text(st, 2, value);
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int settings_update(struct nl_ctx *ctx, const char *company_name, const char *timezone, json_t **out)
{
	json_t *before = NULL;
	*out = NULL;
	if (timezone && !timezone_valid(timezone))
		return nl_fail(ctx->err, NL_EVALID, "timezone", "timezone must be an IANA time zone name such as Asia/Shanghai.");
	int rc = settings_get(ctx, &before);
	if (rc || (rc = db_begin(ctx->db)))
		goto done;
	if (company_name && (rc = settings_put(ctx, "company_name", company_name)))
		goto out;
	if (timezone && (rc = settings_put(ctx, "timezone", timezone)))
		goto out;
	if ((rc = settings_get(ctx, out)))
		goto out;
	rc = audit_append(ctx, "update", "settings", 0, before, *out);
out:
	rc = tx_end(ctx, rc);
done:
	json_decref(before);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
