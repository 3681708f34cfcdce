/* session.h — logins, cookie sessions stored in the database (so several servers share them), API tokens,
 * password hashing (argon2id) and login throttling per (username, address). */
#ifndef NL_SESSION_H
#define NL_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/ctx.h"

#include <jansson.h>

#define NL_SESSION_COOKIE "nengli_session"

/* argon2id hash of password into out (crypto_pwhash_STRBYTES = 128). NL_ENOMEM on failure. */
int password_hash(const char *password, char *out, size_t outlen) __attribute__((warn_unused_result));
/* 1 when password matches the stored hash. */
int password_verify(const char *stored_hash, const char *password);
/* NL_EVALID naming `field` unless the password satisfies the policy (10..200 characters, not all one class of
 * character would be nice; we require length and that it is not the username). */
int password_check_policy(struct nl_error *err, const char *field, const char *password, const char *username)
	__attribute__((warn_unused_result));

/* Random URL-safe token of 32 bytes' entropy (43 chars) into out[64], with an optional prefix. */
void token_random(char *out, size_t outlen, const char *prefix);
/* Lowercase hex SHA-256 of s into out[65]. */
void sha256_hex(const void *s, size_t n, char out[65]);

struct nl_login_result {
	char session_token[64];   /* the cookie value (secret; never logged) */
	char csrf_token[64];
	int64_t expires_at;
	int64_t user_id;
};

/* Counts one request of `bucket` ("#name") from `address` in the database, shared by every server; returns 1 and
 * *retry_after (seconds) when more than `limit` fell into the current window of `window_seconds`. */
int rate_limit_hit(struct nl_ctx *ctx, const char *bucket, const char *address, int limit, int window_seconds,
	int *retry_after);

/* Checks throttling, verifies the password and creates a session. NL_EUNAUTH for wrong credentials (same message for
 * unknown users), NL_ETHROTTLED (err->retry_after set) after too many failures from this address. */
int session_login(struct nl_ctx *ctx, const char *username, const char *password, const char *address,
	int ttl_minutes, int max_failures, int window_seconds, struct nl_login_result *out) __attribute__((warn_unused_result));
/* Deletes the session with this token hash. */
int session_logout(struct nl_ctx *ctx, const char *session_hash) __attribute__((warn_unused_result));
/* Deletes every session of a user (password change, deactivation). Inside the caller's transaction. */
int session_revoke_user(struct nl_ctx *ctx, int64_t user_id, const char *keep_session_hash) __attribute__((warn_unused_result));

/* Authenticates a cookie session token: fills *u; NL_EUNAUTH when unknown, expired or the user is inactive. */
int session_lookup(struct nl_ctx *ctx, const char *token, struct nl_user *u) __attribute__((warn_unused_result));
/* Authenticates an API token (Bearer). */
int token_lookup(struct nl_ctx *ctx, const char *token, struct nl_user *u) __attribute__((warn_unused_result));
/* Loads a user (with roles) by id into *u; NL_ENOTFOUND when absent. */
int user_load(struct nl_ctx *ctx, int64_t id, struct nl_user *u) __attribute__((warn_unused_result));

/* Creates an API token for user_id named `name`; the plain token goes to token_out[64] (shown once). */
int token_create(struct nl_ctx *ctx, int64_t user_id, const char *name, char *token_out, int64_t *id_out)
	__attribute__((warn_unused_result));


/* The user's API tokens (never the token itself). */
int token_list(struct nl_ctx *ctx, int64_t user_id, json_t **items) __attribute__((warn_unused_result));
/* Revokes one of the user's tokens; NL_ENOTFOUND when it is not theirs or already revoked. */
int token_revoke(struct nl_ctx *ctx, int64_t user_id, int64_t token_id) __attribute__((warn_unused_result));
#endif
