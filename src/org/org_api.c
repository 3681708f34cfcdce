/* org_api.c — HTTP handlers for departments, users and settings: parse → domain → reply. */
#include "org/org_api.h"

#include "http/http.h"
#include "http/rowver.h"
#include "org/org.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/common.h"

struct dept_body {
	const char *code, *name, *name_en;
};

static const struct nl_jfield dept_create_fields[] = {
	NL_JF("code", NL_J_STRING, 1, 1, 32, struct dept_body, code),
	NL_JF("name", NL_J_STRING, 1, 1, 100, struct dept_body, name),
	NL_JF("name_en", NL_J_TEXT, 0, 0, 200, struct dept_body, name_en),
};
static const struct nl_jfield dept_update_fields[] = {
	NL_JF("name", NL_J_STRING, 0, 1, 100, struct dept_body, name),
	NL_JF("name_en", NL_J_TEXT, 0, 0, 200, struct dept_body, name_en),
};

int api_departments_list(struct nl_req *r)
{
	struct nl_page p;
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = department_list(&r->ctx, p.limit, p.cursor, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_departments_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "departments", id, NULL)) || (rc = department_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_departments_create(struct nl_req *r)
{
	struct dept_body b = { 0 };
	json_t *out;
	int rc = req_body(r, dept_create_fields, NL_ARRAY_LEN(dept_create_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_department_input in = { b.code, b.name, b.name_en };
	if ((rc = department_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_departments_update(struct nl_req *r)
{
	struct dept_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, dept_update_fields, NL_ARRAY_LEN(dept_update_fields), &b, NULL)))
		return rc;
	if ((rc = req_row_version(r, "departments", id, NULL)) ||
		(rc = department_update(&r->ctx, id, b.name, b.name_en, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

struct user_body {
	const char *username, *display_name, *password;
	int64_t department_id;
	json_t *roles;
	int active;
};

static const char *const role_values[] = { "admin", "approver", "planner", "hr", "quality", "member", "auditor", NULL };

static const struct nl_jfield user_create_fields[] = {
	NL_JF("username", NL_J_STRING, 1, 2, 32, struct user_body, username),
	NL_JF("display_name", NL_J_STRING, 0, 1, 100, struct user_body, display_name),
	NL_JF("password", NL_J_STRING, 1, 1, 200, struct user_body, password),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, struct user_body, department_id),
	{ "roles", NL_J_STRINGS, 1, 0, 1, 32, role_values, offsetof(struct user_body, roles) },
};
/* The order matters: bit i of `present` is field i. */
static const struct nl_jfield user_update_fields[] = {
	NL_JF("display_name", NL_J_STRING, 0, 1, 100, struct user_body, display_name),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, struct user_body, department_id),
	{ "roles", NL_J_STRINGS, 0, 0, 1, 32, role_values, offsetof(struct user_body, roles) },
	NL_JF("active", NL_J_BOOL, 0, 0, 0, struct user_body, active),
	NL_JF("password", NL_J_STRING, 0, 1, 200, struct user_body, password),
};

static unsigned roles_from_json(const json_t *a)
{
	unsigned bits = 0;
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) bits |= role_parse(json_string_value(e));
	return bits;
}

int api_users_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_user_filter f = { 0 };
	int64_t active;
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)))
		return rc;
	const char *a = req_query(r, "active");
	if (a && strcmp(a, "true") != 0 && strcmp(a, "false") != 0)
		return nl_fail(&r->err, NL_EINVAL, "active", "active must be true or false.");
	active = !a ? -1 : !strcmp(a, "true");
	f.active = (int)active;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = user_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_users_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "users", id, NULL)) || (rc = user_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_users_create(struct nl_req *r)
{
	struct user_body b = { 0 };
	json_t *out;
	int rc = req_body(r, user_create_fields, NL_ARRAY_LEN(user_create_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_user_input in = { .username = b.username, .display_name = b.display_name, .password = b.password,
		.department_id = b.department_id, .roles = roles_from_json(b.roles), .active = 1 };
	if ((rc = user_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_users_update(struct nl_req *r)
{
	struct user_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, user_update_fields, NL_ARRAY_LEN(user_update_fields), &b, &present)))
		return rc;
	unsigned set = ((present & 1) ? NL_USER_SET_DISPLAY : 0) | ((present & 2) ? NL_USER_SET_DEPARTMENT : 0) |
		((present & 4) ? NL_USER_SET_ROLES : 0) | ((present & 8) ? NL_USER_SET_ACTIVE : 0) |
		((present & 16) ? NL_USER_SET_PASSWORD : 0);
	if (id == r->user.id && (set & NL_USER_SET_ACTIVE) && !b.active)
		return nl_fail(&r->err, NL_EVALID, "active", "You cannot deactivate your own account.");
	if (id == r->user.id && (set & NL_USER_SET_ROLES) && !(roles_from_json(b.roles) & NL_ROLE_ADMIN))
		return nl_fail(&r->err, NL_EVALID, "roles", "You cannot remove your own admin role.");
	struct nl_user_input in = { .display_name = b.display_name, .password = b.password, .department_id = b.department_id,
		.roles = b.roles ? roles_from_json(b.roles) : 0, .active = b.active };
	if ((rc = req_row_version(r, "users", id, NULL)) ||
		(rc = user_update(&r->ctx, id, &in, set, id == r->user.id ? r->user.session_hash : NULL, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

struct settings_body {
	const char *company_name, *timezone, *doc_number_scheme;
};
static const struct nl_jfield settings_fields[] = {
	NL_JF("company_name", NL_J_STRING, 0, 1, 200, struct settings_body, company_name),
	NL_JF("timezone", NL_J_STRING, 0, 1, 64, struct settings_body, timezone),
	NL_JF("doc_number_scheme", NL_J_STRING, 0, 1, 64, struct settings_body, doc_number_scheme),
};

int api_settings_get(struct nl_req *r)
{
	json_t *out;
	int rc = req_row_version(r, "settings_version", 1, NULL);
	if (rc || (rc = settings_get(&r->ctx, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_settings_update(struct nl_req *r)
{
	struct settings_body b = { 0 };
	json_t *out;
	int rc = req_body(r, settings_fields, NL_ARRAY_LEN(settings_fields), &b, NULL);
	if (rc || (rc = req_row_version(r, "settings_version", 1, NULL)) ||
		(rc = settings_update(&r->ctx, b.company_name, b.timezone, b.doc_number_scheme, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

/* PUT /settings/logo: the raw PNG is the body (Content-Type image/png, or none). */
int api_settings_logo_put(struct nl_req *r)
{
	json_t *out;
	const char *ct = req_header(r, "Content-Type");
	if (ct && *ct && strncasecmp(ct, "image/png", 9) != 0 && strncasecmp(ct, "application/octet-stream", 24) != 0)
		return nl_fail(&r->err, NL_EMEDIA, "Content-Type", "Send the logo as image/png.");
	int rc = settings_logo_put(&r->ctx, r->raw_body, r->raw_len, &out);
	return rc ? rc : reply_json(r, 200, out);
}

int api_settings_logo_get(struct nl_req *r)
{
	unsigned char *png;
	size_t len;
	int rc = settings_logo_get(&r->ctx, &png, &len);
	if (rc)
		return rc;
	rc = reply_raw(r, 200, "image/png", png, len);
	free(png);
	return rc;
}

int api_settings_logo_delete(struct nl_req *r)
{
	json_t *out;
	int rc = settings_logo_delete(&r->ctx, &out);
	return rc ? rc : reply_json(r, 200, out);
}
