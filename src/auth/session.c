/* session.c — passwords (argon2id), login with throttling, cookie sessions and API tokens, both stored hashed in
 * the database so that several servers share them. Tokens and passwords never reach a log. */
#include "auth/session.h"

#include "audit/audit.h"
#include "core/json.h"
#include "core/log.h"
#include "store/rows.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

int password_hash(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return NL_EINTERNAL;
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return NL_ENOMEM;
	return 0;
}

int password_verify(const char *stored_hash, const char *password)
{
	return stored_hash && crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
}

int password_check_policy(struct nl_error *err, const char *field, const char *password, const char *username)
{
	long n = utf8_length(password, strlen(password));
	if (n < 10)
		return nl_fail(err, NL_EVALID, field, "The password must have at least 10 characters.");
	if (n > 200)
		return nl_fail(err, NL_EVALID, field, "The password must have at most 200 characters.");
	if (username && strcmp(password, username) == 0)
		return nl_fail(err, NL_EVALID, field, "The password must not be the user name.");
	return 0;
}

void token_random(char *out, size_t outlen, const char *prefix)
{
	unsigned char raw[32];
	char b64[64];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, outlen, "%s%s", prefix ? prefix : "", b64);
	sodium_memzero(raw, sizeof raw);
}

void sha256_hex(const void *s, size_t n, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, s, n);
	sodium_bin2hex(out, 65, d, sizeof d);
}

/* Loads the roles of u->id into u->roles. */
static int load_roles(struct nl_ctx *ctx, struct nl_user *u)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT role FROM user_roles WHERE user_id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, u->id);
	u->roles = 0;
	while ((rc = stmt_step(st)) == 1)
		u->roles |= role_parse(stmt_column_text(st, 0));
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The user's roles as NL_ROLE_* bits, computed in the same statement as the lookup (one statement per request
 * instead of two: every authenticated request pays it). */
#define ROLE_BITS_SQL NL_ROLE_BITS_SQL("u.id")
_Static_assert(NL_ROLE_ADMIN == 1 && NL_ROLE_APPROVER == 2 && NL_ROLE_PLANNER == 4 && NL_ROLE_HR == 8 &&
	NL_ROLE_QUALITY == 16 && NL_ROLE_MEMBER == 32 && NL_ROLE_AUDITOR == 64 && NL_ROLE_COUNT == 7,
	"NL_ROLE_BITS_SQL (auth.h) lists the roles of enum nl_role");

/* Fills u from a row (id, username, display_name, department_id, active) at column offset `c`. */
static void user_from_row(struct nl_stmt *st, int c, struct nl_user *u)
{
	u->id = stmt_column_int64(st, c);
	snprintf(u->username, sizeof u->username, "%s", stmt_column_text(st, c + 1));
	snprintf(u->display_name, sizeof u->display_name, "%s", stmt_column_text(st, c + 2));
	u->department_id = stmt_column_int64(st, c + 3);
	u->active = (int)stmt_column_int64(st, c + 4);
}

int user_load(struct nl_ctx *ctx, int64_t id, struct nl_user *u)
{
	struct nl_stmt *st = NULL;
	memset(u, 0, sizeof *u);
	int rc = db_prepare(ctx->db, "SELECT id, username, display_name, department_id, active FROM users WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		user_from_row(st, 0, u);
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No such user.");
	return load_roles(ctx, u);
}

int session_lookup(struct nl_ctx *ctx, const char *token, struct nl_user *u)
{
	struct nl_stmt *st = NULL;
	char hash[65];
	memset(u, 0, sizeof *u);
	if (strlen(token) > 128)
		return nl_fail(ctx->err, NL_EUNAUTH, NULL, "Your session has ended; log in again.");
	sha256_hex(token, strlen(token), hash);
	int rc = db_prepare(ctx->db,
		"SELECT u.id, u.username, u.display_name, u.department_id, u.active, s.csrf_token, " ROLE_BITS_SQL " FROM sessions s"
		" JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, hash);
	stmt_bind_int64(st, 2, ctx->now);
	rc = stmt_step(st);
	if (rc == 1) {
		user_from_row(st, 0, u);
		snprintf(u->csrf_token, sizeof u->csrf_token, "%s", stmt_column_text(st, 5));
		snprintf(u->session_hash, sizeof u->session_hash, "%s", hash);
		u->roles = (unsigned)stmt_column_int64(st, 6) & NL_ROLE_ALL;
	}
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc == 0 || !u->active)
		return nl_fail(ctx->err, NL_EUNAUTH, NULL, "Your session has ended; log in again.");
	return 0;
}

int token_lookup(struct nl_ctx *ctx, const char *token, struct nl_user *u)
{
	struct nl_stmt *st = NULL;
	char hash[65], last_used[32] = "";
	int64_t token_id = 0;
	memset(u, 0, sizeof *u);
	if (strlen(token) > 128)
		return nl_fail(ctx->err, NL_EUNAUTH, NULL, "The API token is not valid.");
	sha256_hex(token, strlen(token), hash);
	int rc = db_prepare(ctx->db,
		"SELECT u.id, u.username, u.display_name, u.department_id, u.active, t.id, t.last_used_at, " ROLE_BITS_SQL
		" FROM api_tokens t"
		" JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, hash);
	rc = stmt_step(st);
	if (rc == 1) {
		user_from_row(st, 0, u);
		token_id = stmt_column_int64(st, 5);
		snprintf(last_used, sizeof last_used, "%s", stmt_column_text(st, 6) ? stmt_column_text(st, 6) : "");
		u->roles = (unsigned)stmt_column_int64(st, 7) & NL_ROLE_ALL;
	}
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc == 0 || !u->active)
		return nl_fail(ctx->err, NL_EUNAUTH, NULL, "The API token is not valid.");
	u->via_token = 1;
	/* Record use at most once a minute so that reads stay reads. */
	char now[24];
	audit_now_rfc3339(now);
	if (strncmp(last_used, now, 16) != 0 && db_prepare(ctx->db, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", &st) == 0) {
		stmt_bind_text(st, 1, now);
		stmt_bind_int64(st, 2, token_id);
		if (stmt_step(st) < 0)
			NL_LOG(NL_LOG_WARN, "could not record the use of API token %lld", (long long)token_id);
		stmt_done(st);
	}
	return 0;
}

/* Returns 1 and the seconds left when (username, address) is throttled. */
static int throttle_check(struct nl_ctx *ctx, const char *username, const char *address, int max_failures,
	int window_seconds, int *retry_after)
{
	struct nl_stmt *st = NULL;
	int throttled = 0;
	if (db_prepare(ctx->db, "SELECT failures, window_start FROM login_failures WHERE username = $1 AND address = $2", &st))
		return 0;
	stmt_bind_text(st, 1, username);
	stmt_bind_text(st, 2, address);
	if (stmt_step(st) == 1) {
		int64_t failures = stmt_column_int64(st, 0), start = stmt_column_int64(st, 1);
		if (failures >= max_failures && ctx->now < start + window_seconds) {
			throttled = 1;
			*retry_after = (int)(start + window_seconds - ctx->now);
		}
	}
	stmt_done(st);
	return throttled;
}

/* Counts a failed login in its own small transaction (it must persist although the login is refused). */
static void throttle_fail(struct nl_ctx *ctx, const char *username, const char *address, int window_seconds)
{
	struct nl_stmt *st = NULL;
	if (db_begin(ctx->db))
		return;
	int rc = db_prepare(ctx->db,
		"INSERT INTO login_failures (username, address, failures, window_start) VALUES ($1, $2, 1, $3)"
		" ON CONFLICT (username, address) DO UPDATE SET"
		" failures = CASE WHEN login_failures.window_start + $4 <= $3 THEN 1 ELSE login_failures.failures + 1 END,"
		" window_start = CASE WHEN login_failures.window_start + $4 <= $3 THEN $3 ELSE login_failures.window_start END", &st);
	if (rc == 0) {
		stmt_bind_text(st, 1, username);
		stmt_bind_text(st, 2, address);
		stmt_bind_int64(st, 3, ctx->now);
		stmt_bind_int64(st, 4, window_seconds);
		rc = stmt_step(st) < 0;
		stmt_done(st);
	}
	if (rc || db_commit(ctx->db))
		db_rollback(ctx->db);
}

/* Counts one request of `bucket` from `address` in the shared login_failures table (bucket names start with '#',
 * which no user name can) and returns 1 with *retry_after once more than `limit` fell in the current window. The
 * counter lives in the database, so every server on it shares the budget. */
int rate_limit_hit(struct nl_ctx *ctx, const char *bucket, const char *address, int limit, int window_seconds,
	int *retry_after)
{
	throttle_fail(ctx, bucket, address, window_seconds);
	return throttle_check(ctx, bucket, address, limit + 1, window_seconds, retry_after);
}

static int throttle_clear(struct nl_ctx *ctx, const char *username, const char *address)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "DELETE FROM login_failures WHERE username = $1 AND address = $2", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, username);
	stmt_bind_text(st, 2, address);
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Finds an active user's id and password hash by name; 0 id when absent. */
static int find_credentials(struct nl_ctx *ctx, const char *username, int64_t *id, char *hash, size_t hashlen)
{
	struct nl_stmt *st = NULL;
	*id = 0;
	hash[0] = '\0';
	int rc = db_prepare(ctx->db, "SELECT id, password_hash FROM users WHERE username = $1 AND active = 1", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, username);
	rc = stmt_step(st);
	if (rc == 1) {
		*id = stmt_column_int64(st, 0);
		snprintf(hash, hashlen, "%s", stmt_column_text(st, 1));
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int session_login(struct nl_ctx *ctx, const char *username, const char *password, const char *address,
	int ttl_minutes, int max_failures, int window_seconds, struct nl_login_result *out)
{
	struct nl_stmt *st = NULL;
	char stored[crypto_pwhash_STRBYTES + 1], hash[65], at[24];
	int64_t id = 0;
	int retry = 0, rc;
	memset(out, 0, sizeof *out);
	if (throttle_check(ctx, username, address, max_failures, window_seconds, &retry)) {
		ctx->err->retry_after = retry;
		return nl_fail(ctx->err, NL_ETHROTTLED, NULL, "Too many failed logins; try again in %d seconds.", retry);
	}
	if ((rc = find_credentials(ctx, username, &id, stored, sizeof stored)))
		return rc;
	/* Verify against a dummy hash for unknown users so that timing does not reveal which names exist. */
	static const char dummy[] = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
				    "9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
	int ok = password_verify(id ? stored : dummy, password) && id;
	sodium_memzero(stored, sizeof stored);
	if (!ok) {
		throttle_fail(ctx, username, address, window_seconds);
		NL_LOG(NL_LOG_WARN, "failed login for a user name from %s", address);
		return nl_fail(ctx->err, NL_EUNAUTH, NULL, "Wrong user name or password.");
	}
	token_random(out->session_token, sizeof out->session_token, NULL);
	token_random(out->csrf_token, sizeof out->csrf_token, NULL);
	sha256_hex(out->session_token, strlen(out->session_token), hash);
	out->expires_at = ctx->now + (int64_t)ttl_minutes * 60;
	out->user_id = id;
	audit_now_rfc3339(at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = throttle_clear(ctx, username, address)))
		goto out;
	if ((rc = db_prepare(ctx->db, "DELETE FROM sessions WHERE expires_at <= $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, ctx->now);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = db_prepare(ctx->db, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at,"
						" address) VALUES ($1, $2, $3, $4, $5, $6)", &st)))
		goto out;
	stmt_bind_text(st, 1, hash);
	stmt_bind_int64(st, 2, id);
	stmt_bind_text(st, 3, out->csrf_token);
	stmt_bind_text(st, 4, at);
	stmt_bind_int64(st, 5, out->expires_at);
	stmt_bind_text(st, 6, address);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	/* The audit row names the user who logged in as its actor. */
	struct nl_user who = { .id = id };
	snprintf(who.username, sizeof who.username, "%s", username);
	const struct nl_user *saved_actor = ctx->actor;
	const char *saved_name = ctx->actor_name;
	ctx->actor = &who;
	ctx->actor_name = who.username;
	rc = audit_append(ctx, "login", "session", id, NULL, NULL);
	ctx->actor = saved_actor;
	ctx->actor_name = saved_name;
	if (rc)
		goto out;
	rc = db_commit(ctx->db);
out:
	if (rc < 0) {
		db_rollback(ctx->db);
		memset(out, 0, sizeof *out);
	}
	return rc < 0 ? rc : 0;
}

static int delete_sessions(struct nl_ctx *ctx, const char *sql, int64_t id, const char *hash)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	if (id)
		stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, id ? 2 : 1, hash ? hash : "");
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int session_logout(struct nl_ctx *ctx, const char *session_hash)
{
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = delete_sessions(ctx, "DELETE FROM sessions WHERE token_hash = $1", 0, session_hash)) ||
		(rc = audit_append(ctx, "logout", "session", ctx->actor ? ctx->actor->id : 0, NULL, NULL)) ||
		(rc = db_commit(ctx->db)))
		db_rollback(ctx->db);
	return rc;
}

int session_revoke_user(struct nl_ctx *ctx, int64_t user_id, const char *keep_session_hash)
{
	return delete_sessions(ctx, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", user_id, keep_session_hash);
}

int token_create(struct nl_ctx *ctx, int64_t user_id, const char *name, char *token_out, int64_t *id_out)
{
	struct nl_stmt *st = NULL;
	char hash[65], at[24];
	token_random(token_out, 64, "nl_");
	sha256_hex(token_out, strlen(token_out), hash);
	audit_now_rfc3339(at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)"
				      " RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, user_id);
	stmt_bind_text(st, 2, name);
	stmt_bind_text(st, 3, hash);
	stmt_bind_text(st, 4, at);
	rc = stmt_step(st);
	*id_out = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		goto out;
	json_t *after = json_pack("{s:I,s:s,s:I}", "id", (json_int_t)*id_out, "name", name, "user_id", (json_int_t)user_id);
	rc = audit_append(ctx, "create", "api_token", *id_out, NULL, after);
	json_decref(after);
	if (rc)
		goto out;
	rc = db_commit(ctx->db);
out:
	if (rc < 0) {
		db_rollback(ctx->db);
		memset(token_out, 0, 64);
	}
	return rc < 0 ? rc : 0;
}

int token_list(struct nl_ctx *ctx, int64_t user_id, json_t **items)
{
	static const struct nl_col cols[] = {
		{ "id", NL_COL_INT }, { "name", NL_COL_TEXT }, { "created_at", NL_COL_TEXT }, { "last_used_at", NL_COL_TEXT },
	};
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = db_prepare(ctx->db, "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1"
				     " AND revoked_at IS NULL ORDER BY id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, user_id);
	return stmt_rows_json(st, cols, NL_ARRAY_LEN(cols), 0, items, NULL);
}

int token_revoke(struct nl_ctx *ctx, int64_t user_id, int64_t token_id)
{
	struct nl_stmt *st = NULL;
	char at[24];
	audit_now_rfc3339(at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = db_prepare(ctx->db, "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2"
				      " AND revoked_at IS NULL", &st)))
		goto out;
	stmt_bind_int64(st, 1, token_id);
	stmt_bind_int64(st, 2, user_id);
	stmt_bind_text(st, 3, at);
	rc = stmt_step(st);
	int64_t changed = stmt_changes(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (changed == 0) {
		rc = nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No such API token.");
		goto out;
	}
	rc = audit_append(ctx, "revoke", "api_token", token_id, NULL, NULL);
out:
	return tx_end(ctx, rc < 0 ? rc : 0);
}
