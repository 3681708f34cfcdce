/* router.c — segment-by-segment matching of paths against route patterns. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

/* Matches path against pattern, filling params. Returns 1 on a match. */
static int pattern_match(const char *pat, const char *path, struct nl_route_match *m)
{
	int np = 0;
	while (*pat && *path) {
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			if (!close)
				return 0;
			size_t vlen = strcspn(path, "/");
			if (vlen == 0 || np >= NL_MAX_PARAMS)
				return 0;
			m->names[np] = pat + 1;
			m->name_len[np] = (size_t)(close - pat - 1);
			m->values[np] = path;
			m->value_len[np] = vlen;
			np++;
			pat = close + 1;
			path += vlen;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	if (*pat || *path)
		return 0;
	m->nparams = np;
	return 1;
}

static void allow_add(char *allow, size_t n, const char *method)
{
	if (strstr(allow, method))
		return;
	size_t len = strlen(allow);
	snprintf(allow + len, n - len, "%s%s", len ? ", " : "", method);
}

int router_match(const struct nl_route *routes, size_t n, const char *method, const char *path,
	struct nl_route_match *m)
{
	memset(m, 0, sizeof *m);
	m->index = -1;
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	/* Every request comes here: compare the method first (cheap) and stop at the first route that matches; only a
	 * miss pays the second pass that lists the methods the path accepts (405's Allow). */
	for (size_t i = 0; i < n; i++) {
		struct nl_route_match tmp;
		if (strcmp(routes[i].method, want) != 0 || !pattern_match(routes[i].pattern, path, &tmp))
			continue;
		m->nparams = tmp.nparams;
		for (int k = 0; k < tmp.nparams; k++) {
			m->names[k] = tmp.names[k];
			m->name_len[k] = tmp.name_len[k];
			m->values[k] = tmp.values[k];
			m->value_len[k] = tmp.value_len[k];
		}
		m->index = (int)i;
		return 0;
	}
	int path_found = 0;
	for (size_t i = 0; i < n; i++) {
		struct nl_route_match tmp;
		if (!pattern_match(routes[i].pattern, path, &tmp))
			continue;
		path_found = 1;
		allow_add(m->allow, sizeof m->allow, routes[i].method);
	}
	return path_found ? NL_EMETHOD : NL_ENOTFOUND;
}
