/* org.h — the organisation: departments, users with their roles, and the organisation settings.
 * Every write validates, runs in one transaction and appends its audit row. Objects come back as JSON in the
 * shape of CONTRACT.md (the caller owns the returned json_t). */
#ifndef NL_ORG_H
#define NL_ORG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

struct nl_department_input {
	const char *code;
	const char *name;
	const char *name_en;
};

/* Seeds the policy's five departments when the table is empty (init). */
int department_seed(struct nl_ctx *ctx) __attribute__((warn_unused_result));
int department_create(struct nl_ctx *ctx, const struct nl_department_input *in, json_t **out) __attribute__((warn_unused_result));
/* Changes name and/or name_en (NULL: unchanged). */
int department_update(struct nl_ctx *ctx, int64_t id, const char *name, const char *name_en, json_t **out)
	__attribute__((warn_unused_result));
int department_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
int department_list(struct nl_ctx *ctx, int64_t limit, int64_t cursor, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));
/* The id of the department with this code; NL_ENOTFOUND naming `field` when absent. */
int department_id_by_code(struct nl_ctx *ctx, const char *code, const char *field, int64_t *id)
	__attribute__((warn_unused_result));

struct nl_user_input {
	const char *username;
	const char *display_name;
	const char *password;        /* plain; hashed here */
	int64_t department_id;       /* 0: none */
	unsigned roles;
	int active;
	int demo_password;           /* the demo's documented "<name>-demo" passwords skip the length policy */
};
#define NL_USER_SET_DISPLAY 0x01u
#define NL_USER_SET_DEPARTMENT 0x02u
#define NL_USER_SET_ROLES 0x04u
#define NL_USER_SET_ACTIVE 0x08u
#define NL_USER_SET_PASSWORD 0x10u

int user_create(struct nl_ctx *ctx, const struct nl_user_input *in, json_t **out) __attribute__((warn_unused_result));
/* Updates the fields whose NL_USER_SET_* bit is in `set`. A password change or deactivation ends the user's sessions
 * (all but keep_session_hash, which may be NULL). */
int user_update(struct nl_ctx *ctx, int64_t id, const struct nl_user_input *in, unsigned set,
	const char *keep_session_hash, json_t **out) __attribute__((warn_unused_result));
int user_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
int user_id_by_name(struct nl_ctx *ctx, const char *username, int64_t *id) __attribute__((warn_unused_result));

struct nl_user_filter {
	int64_t department_id;   /* 0: all */
	int active;              /* -1: all */
	int64_t limit;
	int64_t cursor;
};
int user_list(struct nl_ctx *ctx, const struct nl_user_filter *f, json_t **items, int64_t *next) __attribute__((warn_unused_result));
/* Changes one's own password after checking the current one. */
int user_change_password(struct nl_ctx *ctx, int64_t id, const char *current, const char *new_password,
	const char *keep_session_hash) __attribute__((warn_unused_result));

/* Settings: company_name, timezone (IANA name), doc_number_scheme, and logo ({"width","height","bytes"} or null). */
int settings_get(struct nl_ctx *ctx, json_t **out) __attribute__((warn_unused_result));
/* Changes the given settings (NULL: unchanged); NL_EVALID naming the field for a bad value. */
int settings_update(struct nl_ctx *ctx, const char *company_name, const char *timezone, const char *doc_number_scheme,
	json_t **out) __attribute__((warn_unused_result));
/* Reads one setting into out (default when absent). */
int settings_value(struct nl_ctx *ctx, const char *key, const char *def, char *out, size_t outlen) __attribute__((warn_unused_result));


/* The document-number scheme (issue 6): a pattern such as "NL-{RECORD}-{YYYY}" where {RECORD} becomes the record's
 * code — CAP (capability plan), MP (measurement plan), AT (achievement table), TT (tracking table), ER (evaluation
 * report) — and {YYYY} / {YY} the year. */
#define NL_DOC_SCHEME_DEFAULT "NL-{RECORD}-{YYYY}"
/* Returns 1 when scheme is 1..64 characters of letters, digits, '-', '_', '.', '/' and the placeholders {RECORD},
 * {YYYY}, {YY}, containing {RECORD} and a year; else 0. */
int settings_doc_scheme_valid(const char *scheme);
/* Writes the number of `record` ("CAP" ...) for `year` by scheme (an invalid scheme: the default) into out. */
void settings_doc_number_format(const char *scheme, const char *record, int year, char *out, size_t n);
/* The document number of record and year by the organisation's scheme. Returns 0 or a store error. */
int settings_doc_number(struct nl_ctx *ctx, const char *record, int year, char *out, size_t n)
	__attribute__((warn_unused_result));

/* The logo (issue 6): a PNG of at most NL_LOGO_MAX_BYTES, 1..NL_LOGO_MAX_SIDE pixels wide and high. */
#define NL_LOGO_MAX_BYTES (512 * 1024)
#define NL_LOGO_MAX_SIDE 4096
struct nl_error;
/* Checks a logo: the PNG signature, an IHDR chunk first with the dimensions in range, an IEND chunk last. Returns 0
 * (with *width, *height; either may be NULL) or NL_ETOOLARGE / NL_EVALID naming "logo" through e (may be NULL). */
int settings_logo_check(const void *data, size_t len, int *width, int *height, struct nl_error *e)
	__attribute__((warn_unused_result));
/* Replaces the logo (PUT /settings/logo); *out: the settings as they now are. */
int settings_logo_put(struct nl_ctx *ctx, const void *png, size_t len, json_t **out) __attribute__((warn_unused_result));
/* Removes the logo; *out: the settings as they now are. */
int settings_logo_delete(struct nl_ctx *ctx, json_t **out) __attribute__((warn_unused_result));
/* The logo's PNG bytes in a new heap buffer (*png; the caller frees it). NL_ENOTFOUND when none is set. */
int settings_logo_get(struct nl_ctx *ctx, unsigned char **png, size_t *len) __attribute__((warn_unused_result));

#endif
