/* settings.c — organisation settings (company name, IANA time zone, the document-number scheme, the logo) as
 * key/value rows. The logo is kept as base64 under "logo" with its dimensions under "logo_meta"; neither is a PATCH
 * field (PUT /settings/logo). */
#include "org/org.h"

#include "audit/audit.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"

static const struct {
	const char *key;
	const char *def;
} settings_keys[] = {
	{ "company_name", "示例信息技术服务有限公司" },
	{ "timezone", "Asia/Shanghai" },
	{ "doc_number_scheme", NL_DOC_SCHEME_DEFAULT },
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
	char meta[64];
	int rc = settings_value(ctx, "logo_meta", "", meta, sizeof meta);
	int w = 0, h = 0;
	long bytes = 0;
	if (rc) {
		json_decref(o);
		return rc;
	}
	if (sscanf(meta, "%d %d %ld", &w, &h, &bytes) == 3) {
		json_t *l = json_object();
		json_set_int(l, "width", w);
		json_set_int(l, "height", h);
		json_set_int(l, "bytes", bytes);
		json_object_set_new(o, "logo", l);
	} else {
		json_object_set_new(o, "logo", json_null());
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

int settings_update(struct nl_ctx *ctx, const char *company_name, const char *timezone, const char *doc_number_scheme,
	json_t **out)
{
	json_t *before = NULL;
	*out = NULL;
	if (timezone && !timezone_valid(timezone))
		return nl_fail(ctx->err, NL_EVALID, "timezone", "timezone must be an IANA time zone name such as Asia/Shanghai.");
	if (doc_number_scheme && !settings_doc_scheme_valid(doc_number_scheme))
		return nl_fail(ctx->err, NL_EVALID, "doc_number_scheme",
			"doc_number_scheme must contain {RECORD} and {YYYY} (or {YY}), other characters being letters, digits,"
			" '-', '_', '.' or '/', at most 64 characters: e.g. NL-{RECORD}-{YYYY}.");
	int rc = settings_get(ctx, &before);
	if (rc || (rc = db_begin(ctx->db)))
		goto done;
	if (company_name && (rc = settings_put(ctx, "company_name", company_name)))
		goto out;
	if (timezone && (rc = settings_put(ctx, "timezone", timezone)))
		goto out;
	if (doc_number_scheme && (rc = settings_put(ctx, "doc_number_scheme", doc_number_scheme)))
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

/* ---- The document-number scheme (issue 6) ---- */

int settings_doc_scheme_valid(const char *scheme)
{
	size_t n = scheme ? strlen(scheme) : 0;
	int has_record = 0, has_year = 0;
	if (n < 1 || n > 64)
		return 0;
	for (size_t i = 0; i < n;) {
		char c = scheme[i];
		if (c == '{') {
			if (!strncmp(scheme + i, "{RECORD}", 8)) {
				has_record = 1;
				i += 8;
			} else if (!strncmp(scheme + i, "{YYYY}", 6)) {
				has_year = 1;
				i += 6;
			} else if (!strncmp(scheme + i, "{YY}", 4)) {
				has_year = 1;
				i += 4;
			} else {
				return 0;
			}
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			    c == '.' || c == '/'))
			return 0;
		i++;
	}
	return has_record && has_year;
}

void settings_doc_number_format(const char *scheme, const char *record, int year, char *out, size_t n)
{
	struct nl_strbuf b;
	char y[16];
	if (!n)
		return;
	if (!settings_doc_scheme_valid(scheme))
		scheme = NL_DOC_SCHEME_DEFAULT;
	strbuf_init(&b, n > 1 ? n - 1 : 1);
	for (const char *p = scheme; *p;) {
		if (!strncmp(p, "{RECORD}", 8)) {
			strbuf_puts(&b, record ? record : "");
			p += 8;
		} else if (!strncmp(p, "{YYYY}", 6)) {
			snprintf(y, sizeof y, "%04d", year);
			strbuf_puts(&b, y);
			p += 6;
		} else if (!strncmp(p, "{YY}", 4)) {
			snprintf(y, sizeof y, "%02d", ((year % 100) + 100) % 100);
			strbuf_puts(&b, y);
			p += 4;
		} else {
			strbuf_putc(&b, *p++);
		}
	}
	snprintf(out, n, "%s", b.failed || !b.data ? "" : b.data);
	strbuf_cleanup(&b);
}

int settings_doc_number(struct nl_ctx *ctx, const char *record, int year, char *out, size_t n)
{
	char scheme[128];
	int rc = settings_value(ctx, "doc_number_scheme", NL_DOC_SCHEME_DEFAULT, scheme, sizeof scheme);
	if (rc) {
		if (n)
			out[0] = '\0';
		return rc;
	}
	settings_doc_number_format(scheme, record, year, out, n);
	return 0;
}

/* ---- The logo (issue 6) ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int settings_logo_check(const void *data, size_t len, int *width, int *height, struct nl_error *e)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	static const unsigned char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82 };
	const unsigned char *p = data;
	if (len > NL_LOGO_MAX_BYTES)
		return nl_fail(e, NL_ETOOLARGE, "logo", "The logo must be at most %d KiB.", NL_LOGO_MAX_BYTES / 1024);
	if (!p || len < 8 + 25 + 12 || memcmp(p, sig, 8) != 0)
		return nl_fail(e, NL_EVALID, "logo", "The logo must be a PNG image (the body is not one).");
	if (be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0 || memcmp(p + len - 12, iend, 12) != 0)
		return nl_fail(e, NL_EVALID, "logo", "The PNG image is damaged or truncated.");
	uint32_t w = be32(p + 16), h = be32(p + 20);
	if (w < 1 || h < 1 || w > NL_LOGO_MAX_SIDE || h > NL_LOGO_MAX_SIDE)
		return nl_fail(e, NL_EVALID, "logo", "The logo must be between 1 and %d pixels wide and high (it is %ux%u).",
			NL_LOGO_MAX_SIDE, (unsigned)w, (unsigned)h);
	if (width)
		*width = (int)w;
	if (height)
		*height = (int)h;
	return 0;
}

int settings_logo_put(struct nl_ctx *ctx, const void *png, size_t len, json_t **out)
{
	json_t *before = NULL;
	char *b64 = NULL, meta[64];
	int w = 0, h = 0;
	*out = NULL;
	int rc = settings_logo_check(png, len, &w, &h, ctx->err);
	if (rc)
		return rc;
	size_t b64len = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	if (!(b64 = malloc(b64len)))
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	sodium_bin2base64(b64, b64len, png, len, sodium_base64_VARIANT_ORIGINAL);
	snprintf(meta, sizeof meta, "%d %d %ld", w, h, (long)len);
	if ((rc = settings_get(ctx, &before)) || (rc = db_begin(ctx->db)))
		goto done;
	if ((rc = settings_put(ctx, "logo", b64)) || (rc = settings_put(ctx, "logo_meta", meta)))
		goto out;
	if ((rc = settings_get(ctx, out)))
		goto out;
	rc = audit_append(ctx, "update", "settings", 0, before, *out);   /* the logo itself is not logged, its meta is */
out:
	rc = tx_end(ctx, rc);
done:
	free(b64);
	json_decref(before);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int settings_logo_delete(struct nl_ctx *ctx, json_t **out)
{
	json_t *before = NULL;
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = settings_get(ctx, &before);
	if (rc || (rc = db_begin(ctx->db)))
		goto done;
	if ((rc = db_prepare(ctx->db, "DELETE FROM settings WHERE key IN ('logo', 'logo_meta')", &st)))
		goto out;
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = settings_get(ctx, out)))
		goto out;
	rc = audit_append(ctx, "update", "settings", 0, before, *out);   /* the logo itself is not logged, its meta is */
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

int settings_logo_get(struct nl_ctx *ctx, unsigned char **png, size_t *len)
{
	struct nl_stmt *st = NULL;
	*png = NULL;
	*len = 0;
	int rc = db_prepare(ctx->db, "SELECT value FROM settings WHERE key = 'logo'", &st);
	if (rc)
		return rc;
	rc = stmt_step(st);
	if (rc == 1) {
		const char *b64 = stmt_column_text(st, 0);
		size_t n = b64 ? strlen(b64) : 0, bin_len = 0;
		unsigned char *bin = malloc(n / 4 * 3 + 3);
		if (!bin) {
			rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
		} else if (sodium_base642bin(bin, n / 4 * 3 + 3, b64 ? b64 : "", n, NULL, &bin_len, NULL,
				   sodium_base64_VARIANT_ORIGINAL) != 0 || !bin_len) {
			free(bin);
			rc = nl_fail(ctx->err, NL_ENOTFOUND, "logo", "No logo has been set.");
		} else {
			*png = bin;
			*len = bin_len;
			rc = 0;
		}
	} else if (rc == 0) {
		rc = nl_fail(ctx->err, NL_ENOTFOUND, "logo", "No logo has been set.");
	}
	stmt_done(st);
	return rc;
}
