/* auth_api.c — HTTP handlers: log in (cookie + CSRF token), log out, who am I, change my password, my API tokens. */
#include "auth/auth_api.h"

#include "auth/session.h"
#include "core/config.h"
#include "http/http.h"
#include "org/org.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

struct login_body {
	const char *username, *password;
};
static const struct nl_jfield login_fields[] = {
	NL_JF("username", NL_J_STRING, 1, 1, 64, struct login_body, username),
	NL_JF("password", NL_J_STRING, 1, 1, 200, struct login_body, password),
};

static void set_cookie(struct nl_req *r, const char *value, int max_age)
{
	char cookie[256];
	snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", NL_SESSION_COOKIE, value,
		max_age, req_cookie_secure(r) ? "; Secure" : "");
	reply_header(r, "Set-Cookie", cookie);
}

int api_session_create(struct nl_req *r)
{
	struct login_body b = { 0 };
	struct nl_login_result res;
	json_t *user;
	const struct nl_config *cfg = config_current();
	int rc = req_body(r, login_fields, NL_ARRAY_LEN(login_fields), &b, NULL);
	if (rc)
		return rc;
	rc = session_login(&r->ctx, b.username, b.password, r->client_addr, cfg->session_ttl_minutes,
		cfg->login_max_failures, cfg->login_window_seconds, &res);
	if (rc || (rc = user_get(&r->ctx, res.user_id, &user)))
		return rc;
	set_cookie(r, res.session_token, cfg->session_ttl_minutes * 60);
	return reply_json(r, 200, json_pack("{s:o,s:s}", "user", user, "csrf_token", res.csrf_token));
}

int api_session_delete(struct nl_req *r)
{
	int rc = 0;
	if (r->user.session_hash[0] && (rc = session_logout(&r->ctx, r->user.session_hash)))
		return rc;
	set_cookie(r, "", 0);
	return reply_json(r, 200, json_pack("{s:s}", "status", "logged_out"));
}

int api_me_get(struct nl_req *r)
{
	json_t *user;
	int rc = user_get(&r->ctx, r->user.id, &user);
	if (rc)
		return rc;
	if (r->user.csrf_token[0])
		json_set_str(user, "csrf_token", r->user.csrf_token);
	json_object_set_new(user, "permissions", policy_actions_json(r->user.roles));
	return reply_json(r, 200, user);
}

struct password_body {
	const char *current_password, *new_password;
};
static const struct nl_jfield password_fields[] = {
	NL_JF("current_password", NL_J_STRING, 1, 1, 200, struct password_body, current_password),
	NL_JF("new_password", NL_J_STRING, 1, 1, 200, struct password_body, new_password),
};

int api_me_password(struct nl_req *r)
{
	struct password_body b = { 0 };
	json_t *user;
	int rc = req_body(r, password_fields, NL_ARRAY_LEN(password_fields), &b, NULL);
	if (rc || (rc = user_change_password(&r->ctx, r->user.id, b.current_password, b.new_password,
			   r->user.session_hash[0] ? r->user.session_hash : NULL)))
		return rc;
	if ((rc = user_get(&r->ctx, r->user.id, &user)))
		return rc;
	return reply_json(r, 200, user);
}

int api_tokens_list(struct nl_req *r)
{
	json_t *items;
	int rc = token_list(&r->ctx, r->user.id, &items);
	return rc ? rc : reply_list(r, items, 0);
}

struct token_body {
	const char *name;
};
static const struct nl_jfield token_fields[] = {
	NL_JF("name", NL_J_STRING, 1, 1, 100, struct token_body, name),
};

int api_tokens_create(struct nl_req *r)
{
	struct token_body b = { 0 };
	char token[64];
	int64_t id;
	int rc = req_body(r, token_fields, NL_ARRAY_LEN(token_fields), &b, NULL);
	if (rc || (rc = token_create(&r->ctx, r->user.id, b.name, token, &id)))
		return rc;
	json_t *items = NULL, *o = NULL;
	if ((rc = token_list(&r->ctx, r->user.id, &items)))
		return rc;
	size_t i;
	json_t *t;
	json_array_foreach(items, i, t) {
		if (json_integer_value(json_object_get(t, "id")) == id)
			o = json_deep_copy(t);
	}
	json_decref(items);
	if (!o)
		return nl_fail(&r->err, NL_EINTERNAL, NULL, NULL);
	json_set_str(o, "token", token);
	return reply_json(r, 201, o);
}

int api_tokens_delete(struct nl_req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = token_revoke(&r->ctx, r->user.id, id)))
		return rc;
	return reply_json(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1));
}
