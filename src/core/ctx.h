/* ctx.h — what every domain call receives: the database connection, the acting user, the error to fill,
 * the request's arena and its id. Built by the HTTP layer per request and by the CLI per command. */
#ifndef NL_CTX_H
#define NL_CTX_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct nl_db;
struct nl_user;

struct nl_ctx {
	struct nl_db *db;              /* borrowed; NULL for calls that need none */
	const struct nl_user *actor;   /* the authenticated user; NULL for the CLI and public routes */
	const char *actor_name;        /* name written to the audit log ("cli" for the command line) */
	struct nl_error *err;          /* where failures are described */
	struct nl_arena *arena;        /* request memory */
	const char *request_id;        /* for the audit log and logs */
	int64_t now;                   /* Unix seconds at the start of the request */
};

#endif
