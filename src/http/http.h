/* http.h — what a handler (<thing>_api.c) sees of an HTTP request, and how it answers. No libmicrohttpd types here.
 * A handler has always the same shape: parse and validate into a struct → call the domain → reply, or return the
 * negative NL_E* code with r->err filled (the server writes the error body of CONTRACT.md). */
#ifndef NL_HTTP_H
#define NL_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"
#include "core/json.h"

#define NL_MAX_PARAMS 4
#define NL_MAX_REPLY_HEADERS 8

struct req_kv;

struct nl_req {
	struct nl_ctx ctx;              /* db, actor, err, arena, request id for the domain */
	struct nl_error err;
	struct nl_arena arena;
	struct nl_user user;
	int authenticated;
	const char *method;
	const char *path;
	const char *param_names[NL_MAX_PARAMS];
	const char *param_values[NL_MAX_PARAMS];
	int nparams;
	json_t *body;                   /* the parsed JSON object (owned by the request), or NULL */
	const char *raw_body;           /* the raw body (owned by the server), for raw routes */
	size_t raw_len;
	void *conn;                     /* the server's connection (src/http only) */
	struct req_kv *headers_;        /* private to src/http: request headers and query, copied into the arena */
	struct req_kv *query_;
	char request_id[32];
	char client_addr[64];
	int via_proxy;                  /* the peer is a trusted proxy (client_addr comes from X-Forwarded-For) */
	int forwarded_https;            /* ... and it said X-Forwarded-Proto: https */
	/* the reply */
	int status;
	json_t *reply;                  /* owned */
	char *reply_raw;                /* malloc'ed raw body (owned), used when reply is NULL */
	size_t reply_raw_len;
	int reply_fd;                   /* a file to stream as the body (owned; -1: none), reply_fd_size bytes */
	uint64_t reply_fd_size;
	const char *content_type;
	const char *header_names[NL_MAX_REPLY_HEADERS];
	const char *header_values[NL_MAX_REPLY_HEADERS];
	int nheaders;
};

typedef int (*nl_handler)(struct nl_req *r);

/* Route flags. */
#define NL_R_PUBLIC 0x01u      /* no authentication */
#define NL_R_SLOW 0x02u        /* runs on a worker thread (password hashing, documents, imports) */
#define NL_R_RAW 0x04u         /* the body is not JSON: r->raw_body */
#define NL_R_NODB 0x08u        /* needs no database connection */

struct nl_route {
	const char *method;
	const char *pattern;     /* "/api/v1/users/{id}" */
	nl_handler handler;
	const char *action;      /* the policy action (auth.h); NULL for public routes */
	unsigned flags;
	size_t body_limit;       /* 0: the configured default */
};

/* The one route table (routes.c). */
extern const struct nl_route nl_routes[];
extern const size_t nl_routes_count;

/* Path parameter `name` as a positive id; NL_ENOTFOUND when it is not one. */
int req_param_id(struct nl_req *r, const char *name, int64_t *out) __attribute__((warn_unused_result));
const char *req_param(struct nl_req *r, const char *name);
/* Query parameter (URL-decoded) or NULL. */
const char *req_query(struct nl_req *r, const char *name);
/* Integer query parameter within [min,max]; absent → def. NL_EINVAL naming the parameter otherwise. */
int req_query_int(struct nl_req *r, const char *name, int64_t min, int64_t max, int64_t def, int64_t *out)
	__attribute__((warn_unused_result));
/* Date query parameter YYYY-MM-DD or NULL; NL_EINVAL naming it when malformed. */
int req_query_date(struct nl_req *r, const char *name, const char **out) __attribute__((warn_unused_result));
/* Validates the JSON body against a field table (json.h). An absent body counts as {}. */
int req_body(struct nl_req *r, const struct nl_jfield *fields, size_t n, void *out, uint64_t *present)
	__attribute__((warn_unused_result));
/* A request header or NULL. */
const char *req_header(struct nl_req *r, const char *name);
/* 1 when the session cookie gets the Secure flag (setting cookie-secure: on, off, or auto = through a trusted proxy
 * that said https). */
int req_cookie_secure(const struct nl_req *r);

/* Paging: ?limit= (1..500, default 50) and ?cursor= (an opaque id). */
struct nl_page {
	int64_t limit;
	int64_t cursor;   /* 0: from the start */
};
int req_page(struct nl_req *r, struct nl_page *p) __attribute__((warn_unused_result));

/* Replies with status and a JSON value (ownership of v moves to the request). Returns 0. */
int reply_json(struct nl_req *r, int status, json_t *v);
/* Replies 200 {"items": items, "next_cursor": cursor>0 ? "<cursor>" : null}. Takes ownership of items. */
int reply_list(struct nl_req *r, json_t *items, int64_t next_cursor);
/* Replies with raw bytes (copied). */
int reply_raw(struct nl_req *r, int status, const char *content_type, const void *data, size_t len);
/* Replies with the contents of an open file, streamed from it (the file is never read into memory). Ownership of fd
 * moves to the request, which closes it; unlink the file's name any time after opening. Returns 0. */
int reply_file(struct nl_req *r, int status, const char *content_type, int fd, uint64_t size);
/* Adds a response header; both strings are copied into the request arena. */
void reply_header(struct nl_req *r, const char *name, const char *value);

#endif
