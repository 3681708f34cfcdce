/* err.c — the table mapping NL_E* codes to HTTP statuses, stable error codes and default messages. */
#include "core/err.h"
#include "core/messages.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	int code;
	int status;
	const char *name;
	const char *message;
} err_table[] = {
	{ NL_OK, 200, "ok", "OK" },
	{ NL_EINVAL, 400, "bad_request", "The request is malformed." },
	{ NL_EJSON, 400, "invalid_json", "The request body is not valid JSON." },
	{ NL_EVALID, 422, "validation_failed", "A field has a value that is not acceptable." },
	{ NL_EUNAUTH, 401, "unauthenticated", "Log in first." },
	{ NL_EFORBIDDEN, 403, "forbidden", "Your roles do not allow this." },
	{ NL_ENOTFOUND, 404, "not_found", "No such resource." },
	{ NL_EMETHOD, 405, "method_not_allowed", "This method is not allowed on this resource." },
	{ NL_ECONFLICT, 409, "conflict", "This conflicts with an existing record." },
	{ NL_ETOOLARGE, 413, "payload_too_large", "The request is too large." },
	{ NL_EMEDIA, 415, "unsupported_media_type", "Send the body as application/json." },
	{ NL_ETHROTTLED, 429, "too_many_requests", "Too many attempts; wait and try again." },
	{ NL_ESTORE, 500, "store_error", "The database could not complete the request." },
	{ NL_ENOMEM, 500, "out_of_memory", "The server ran out of memory for this request." },
	{ NL_EINTERNAL, 500, "internal_error", "Internal error." },
	{ NL_EUNAVAIL, 503, "unavailable", "The server is shutting down." },
	{ NL_EBUSY, 503, "busy", "The database is busy; try again." },
	{ NL_ECSRF, 403, "csrf_failed", "The X-CSRF-Token header is missing or wrong." },
	{ NL_ESTATE, 409, "invalid_state", "Not allowed in the record's current state." },
};

static int err_index(int code)
{
	for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++)
		if (err_table[i].code == code)
			return (int)i;
	return -1;
}

int nl_err_status(int code)
{
	int i = err_index(code);
	return i < 0 ? 500 : err_table[i].status;
}

const char *nl_err_code(int code)
{
	int i = err_index(code);
	return i < 0 ? "internal_error" : err_table[i].name;
}

const char *nl_err_default_message(int code)
{
	int i = err_index(code);
	return i < 0 ? "Internal error." : err_table[i].message;
}

/* Cuts a UTF-8 sequence that snprintf truncated in the middle (jansson refuses invalid UTF-8). */
static void utf8_trim(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < want)
		s[i - 1] = '\0';
}

int nl_fail(struct nl_error *e, int code, const char *field, const char *fmt, ...)
{
	if (!e || e->code != 0)
		return code;
	e->code = code;
	e->field[0] = '\0';
	if (field)
		snprintf(e->field, sizeof e->field, "%s", field);
	if (fmt) {
		const char *zh = e->lang == NL_LANG_ZH ? nl_msg_zh(fmt) : NULL;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->message, sizeof e->message, zh ? zh : fmt, ap);
		va_end(ap);
	} else {
		const char *en = nl_err_default_message(code), *zh = e->lang == NL_LANG_ZH ? nl_msg_zh(en) : NULL;
		snprintf(e->message, sizeof e->message, "%s", zh ? zh : en);
	}
	utf8_trim(e->message);
	return code;
}

void nl_error_clear(struct nl_error *e)
{
	int lang = e->lang;
	memset(e, 0, sizeof *e);
	e->lang = lang;
}
