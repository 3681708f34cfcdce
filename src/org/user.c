/* user.c — user accounts: creation with an argon2id password and roles, updates, deactivation, the directory. */
#include "org/org.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/session.h"
#include "core/json.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

#define USER_COLS "id, username, display_name, department_id, active, created_at, updated_at"

static int user_roles(struct nl_ctx *ctx, int64_t id, unsigned *roles)
{
	struct nl_stmt *st = NULL;
	*roles = 0;
	int rc = db_prepare(ctx->db, "SELECT role FROM user_roles WHERE user_id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	while ((rc = stmt_step(st)) == 1)
		*roles |= role_parse(stmt_column_text(st, 0));
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static json_t *user_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "username", stmt_column_text(st, 1));
	json_set_str(o, "display_name", stmt_column_text(st, 2));
	json_set_id(o, "department_id", stmt_column_int64(st, 3));
	json_object_set_new(o, "roles", json_array());
	json_set_bool(o, "active", (int)stmt_column_int64(st, 4));
	json_set_str(o, "created_at", stmt_column_text(st, 5));
	json_set_str(o, "updated_at", stmt_column_text(st, 6));
	return o;
}

/* Fills the "roles" of a user object from the database. */
static int user_fill_roles(struct nl_ctx *ctx, json_t *o)
{
	unsigned roles;
	int rc = user_roles(ctx, json_integer_value(json_object_get(o, "id")), &roles);
	if (rc == 0)
		json_object_set_new(o, "roles", roles_to_json(roles));
	return rc;
}

int user_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	/* the roles in the same statement: GET /me and every user read pay one statement, not two */
	int rc = db_prepare(ctx->db, "SELECT " USER_COLS ", " NL_ROLE_BITS_SQL("users.id") " FROM users WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		*out = user_row(st);
		json_object_set_new(*out, "roles", roles_to_json((unsigned)stmt_column_int64(st, 7) & NL_ROLE_ALL));
	}
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No user with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int user_id_by_name(struct nl_ctx *ctx, const char *username, int64_t *id)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT id FROM users WHERE username = $1", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, username);
	rc = stmt_step(st);
	*id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, "username", "No user named \"%s\".", username);
	return rc < 0 ? rc : 0;
}

int user_list(struct nl_ctx *ctx, const struct nl_user_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	*next = 0;
	int rc = db_prepare(ctx->db, "SELECT " USER_COLS " FROM users WHERE id > $1 AND ($2 = 0 OR department_id = $2)"
				     " AND ($3 < 0 OR active = $3) ORDER BY id LIMIT $4", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_int64(st, 2, f->department_id);
	stmt_bind_int64(st, 3, f->active);
	stmt_bind_int64(st, 4, f->limit + 1);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == f->limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 0);
		json_array_append_new(arr, user_row(st));
	}
	stmt_done(st);
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		if (rc >= 0)
			rc = user_fill_roles(ctx, o);
	}
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

static int username_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int department_exists(struct nl_ctx *ctx, int64_t id)
{
	json_t *d = NULL;
	struct nl_error saved = *ctx->err;
	int rc = department_get(ctx, id, &d);
	json_decref(d);
	if (rc == NL_ENOTFOUND) {
		*ctx->err = saved;
		return nl_fail(ctx->err, NL_EVALID, "department_id", "No department with id %lld.", (long long)id);
	}
	return rc;
}

static int roles_write(struct nl_ctx *ctx, int64_t id, unsigned roles)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "DELETE FROM user_roles WHERE user_id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	for (int i = 0; rc >= 0 && nl_role_names[i]; i++) {
		if (!(roles & (1u << i)))
			continue;
		if ((rc = db_prepare(ctx->db, "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)", &st)))
			return rc;
		stmt_bind_int64(st, 1, id);
		stmt_bind_text(st, 2, nl_role_names[i]);
		rc = stmt_step(st);
		stmt_done(st);
	}
	return rc < 0 ? rc : 0;
}

/* Validates what user_create and user_update share. */
static int user_validate(struct nl_ctx *ctx, const struct nl_user_input *in, unsigned set, const char *username)
{
	int rc;
	if ((set & NL_USER_SET_ROLES) && in->roles == 0)
		return nl_fail(ctx->err, NL_EVALID, "roles", "A user needs at least one role.");
	if ((set & NL_USER_SET_PASSWORD) && !in->demo_password &&
		(rc = password_check_policy(ctx->err, "password", in->password, username)))
		return rc;
	if ((set & NL_USER_SET_DEPARTMENT) && in->department_id && (rc = department_exists(ctx, in->department_id)))
		return rc;
	return 0;
}

int user_create(struct nl_ctx *ctx, const struct nl_user_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	char hash[crypto_pwhash_STRBYTES], at[24];
	int64_t id = 0;
	*out = NULL;
	if (!username_valid(in->username))
		return nl_fail(ctx->err, NL_EVALID, "username", "username must be 2–32 characters: a–z, 0–9, '.', '_' or '-'.");
	unsigned all = NL_USER_SET_ROLES | NL_USER_SET_PASSWORD | NL_USER_SET_DEPARTMENT;
	int rc = user_validate(ctx, in, all, in->username);
	if (rc || (rc = password_hash(in->password, hash, sizeof hash)))
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO users (username, display_name, department_id, password_hash, active,"
				      " created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, in->username);
	stmt_bind_text(st, 2, in->display_name && *in->display_name ? in->display_name : in->username);
	if (in->department_id)
		stmt_bind_int64(st, 3, in->department_id);
	else
		stmt_bind_null(st, 3);
	stmt_bind_text(st, 4, hash);
	stmt_bind_text(st, 5, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		rc = nl_fail(ctx->err, NL_ECONFLICT, "username", "The user name \"%s\" is taken.", in->username);
	if (rc < 0 || (rc = roles_write(ctx, id, in->roles)) || (rc = user_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "user", id, NULL, *out);
out:
	sodium_memzero(hash, sizeof hash);
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Sets the columns of the update (each optional) on row id. */
static int user_write_columns(struct nl_ctx *ctx, int64_t id, const struct nl_user_input *in, unsigned set, const char *hash)
{
	struct nl_stmt *st = NULL;
	char at[24];
	ctx_now_rfc3339(ctx, at);
	int rc = db_prepare(ctx->db,
		"UPDATE users SET display_name = CASE WHEN $2 = 1 THEN $3 ELSE display_name END,"
		" department_id = CASE WHEN $4 = 1 THEN $5 ELSE department_id END,"
		" active = CASE WHEN $6 = 1 THEN $7 ELSE active END,"
		" password_hash = CASE WHEN $8 = 1 THEN $9 ELSE password_hash END, updated_at = $10 WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_int64(st, 2, (set & NL_USER_SET_DISPLAY) ? 1 : 0);
	stmt_bind_text(st, 3, in->display_name ? in->display_name : "");
	stmt_bind_int64(st, 4, (set & NL_USER_SET_DEPARTMENT) ? 1 : 0);
	if (in->department_id)
		stmt_bind_int64(st, 5, in->department_id);
	else
		stmt_bind_null(st, 5);
	stmt_bind_int64(st, 6, (set & NL_USER_SET_ACTIVE) ? 1 : 0);
	stmt_bind_int64(st, 7, in->active ? 1 : 0);
	stmt_bind_int64(st, 8, (set & NL_USER_SET_PASSWORD) ? 1 : 0);
	stmt_bind_text(st, 9, hash ? hash : "");
	stmt_bind_text(st, 10, at);
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int user_update(struct nl_ctx *ctx, int64_t id, const struct nl_user_input *in, unsigned set,
	const char *keep_session_hash, json_t **out)
{
	char hash[crypto_pwhash_STRBYTES] = "";
	json_t *before = NULL;
	*out = NULL;
	int rc = user_get(ctx, id, &before);
	if (rc)
		return rc;
	const char *username = json_string_value(json_object_get(before, "username"));
	if ((rc = user_validate(ctx, in, set, username)))
		goto done;
	if ((set & NL_USER_SET_DISPLAY) && (!in->display_name || !*in->display_name)) {
		rc = nl_fail(ctx->err, NL_EVALID, "display_name", "display_name must not be empty.");
		goto done;
	}
	if ((set & NL_USER_SET_PASSWORD) && (rc = password_hash(in->password, hash, sizeof hash)))
		goto done;
	if ((rc = db_begin(ctx->db)))
		goto done;
	if ((rc = user_write_columns(ctx, id, in, set, hash)))
		goto out;
	if ((set & NL_USER_SET_ROLES) && (rc = roles_write(ctx, id, in->roles)))
		goto out;
	if ((set & (NL_USER_SET_PASSWORD | NL_USER_SET_ACTIVE)) && (rc = session_revoke_user(ctx, id, keep_session_hash)))
		goto out;
	if ((rc = user_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, (set & NL_USER_SET_PASSWORD) ? "update_password" : "update", "user", id, before, *out);
out:
	rc = tx_end(ctx, rc);
done:
	sodium_memzero(hash, sizeof hash);
	json_decref(before);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int user_change_password(struct nl_ctx *ctx, int64_t id, const char *current, const char *new_password,
	const char *keep_session_hash)
{
	struct nl_stmt *st = NULL;
	char stored[crypto_pwhash_STRBYTES + 1] = "";
	int rc = db_prepare(ctx->db, "SELECT password_hash FROM users WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		snprintf(stored, sizeof stored, "%s", stmt_column_text(st, 0));
	stmt_done(st);
	if (rc < 0)
		return rc;
	int ok = password_verify(stored, current);
	sodium_memzero(stored, sizeof stored);
	if (!ok)
		return nl_fail(ctx->err, NL_EVALID, "current_password", "The current password is wrong.");
	struct nl_user_input in = { .password = new_password };
	json_t *out = NULL;
	rc = user_update(ctx, id, &in, NL_USER_SET_PASSWORD, keep_session_hash, &out);
	if (rc == NL_EVALID && !strcmp(ctx->err->field, "password"))
		snprintf(ctx->err->field, sizeof ctx->err->field, "new_password");
	json_decref(out);
	return rc;
}
