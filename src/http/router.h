/* router.h — matching a method and path against the route table: `{name}` matches one non-empty path segment. */
#ifndef NL_ROUTER_H
#define NL_ROUTER_H

#include <stddef.h>

#include "http/http.h"

struct nl_route_match {
	int index;                            /* the matched route, -1 when none */
	int nparams;
	const char *names[NL_MAX_PARAMS];     /* point into the pattern: not NUL-terminated at '}' — see name_len */
	size_t name_len[NL_MAX_PARAMS];
	const char *values[NL_MAX_PARAMS];    /* point into the path */
	size_t value_len[NL_MAX_PARAMS];
	char allow[64];                       /* for 405: the methods the path accepts, "GET, POST" */
};

/* Returns 0 with m->index set, NL_ENOTFOUND when no pattern matches the path, or NL_EMETHOD when a pattern
 * matches but not with this method (m->allow lists the methods). HEAD matches GET routes. */
int router_match(const struct nl_route *routes, size_t n, const char *method, const char *path,
	struct nl_route_match *m);

#endif
