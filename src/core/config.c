/* config.c — the configuration table and its loaders (file, environment, flags). */
#include "core/config.h"

#include "core/cidr.h"
#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

enum cfg_type { CFG_STR, CFG_INT, CFG_BOOL, CFG_LOGLEVEL, CFG_CIDRS, CFG_AUTOBOOL };

struct cfg_key {
	const char *name;
	enum cfg_type type;
	long min, max;
	const char *def;
	size_t off;
	size_t size;        /* for strings */
	const char *help;
};

#define S(f) offsetof(struct nl_config, f), sizeof(((struct nl_config *)0)->f)
#define I(f) offsetof(struct nl_config, f), 0

static const struct cfg_key cfg_keys[] = {
	{ "db", CFG_STR, 0, 0, "./var/nengli.db", S(db), "SQLite file path or postgresql:// URL" },
	{ "listen", CFG_STR, 0, 0, "127.0.0.1:8080", S(listen), "address and port to serve on" },
	{ "config", CFG_STR, 0, 0, "", S(config), "configuration file (key = value lines)" },
	{ "threads", CFG_INT, 1, 256, "0", I(threads), "HTTP threads (0: one per core)" },
	{ "workers", CFG_INT, 1, 256, "4", I(workers), "worker threads for slow requests" },
	{ "log-level", CFG_LOGLEVEL, 0, 0, "info", I(log_level), "debug, info, warn, error or off" },
	{ "session-ttl-minutes", CFG_INT, 5, 525600, "720", I(session_ttl_minutes), "session lifetime" },
	{ "body-limit-kib", CFG_INT, 1, 1048576, "1024", I(body_limit_kib), "JSON request body limit" },
	{ "upload-limit-mib", CFG_INT, 1, 65536, "512", I(upload_limit_mib), "import upload limit" },
	{ "arena-limit-mib", CFG_INT, 1, 65536, "256", I(arena_limit_mib), "memory cap per request" },
	{ "login-max-failures", CFG_INT, 1, 1000, "5", I(login_max_failures), "failed logins before throttling" },
	{ "login-window-seconds", CFG_INT, 1, 86400, "900", I(login_window_seconds), "throttling window" },
	{ "connection-timeout", CFG_INT, 1, 3600, "30", I(connection_timeout), "idle connection timeout (s)" },
	{ "max-connections", CFG_INT, 16, 100000, "1024", I(max_connections), "concurrent connections" },
	{ "sqlite-synchronous-full", CFG_BOOL, 0, 1, "1", I(sqlite_synchronous_full), "SQLite fsync on every commit" },
	{ "access-log", CFG_BOOL, 0, 1, "1", I(access_log), "one JSON line per request" },
	{ "trusted-proxies", CFG_CIDRS, 0, 0, "", S(trusted_proxies),
		"reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For/-Proto are used" },
	{ "cookie-secure", CFG_AUTOBOOL, 0, 0, "auto", I(cookie_secure),
		"Secure session cookie: on, off, or auto (on behind a trusted proxy saying https)" },
};

static const struct cfg_key *cfg_find(const char *name, size_t n)
{
	for (size_t i = 0; i < NL_ARRAY_LEN(cfg_keys); i++)
		if (strlen(cfg_keys[i].name) == n && strncmp(cfg_keys[i].name, name, n) == 0)
			return &cfg_keys[i];
	return NULL;
}

static int cfg_apply(struct nl_config *cfg, const struct cfg_key *k, const char *value, const char *source,
	char *errbuf, size_t errlen)
{
	char *base = (char *)cfg;
	switch (k->type) {
	case CFG_STR:
		if (strlen(value) >= k->size) {
			snprintf(errbuf, errlen, "%s: %s is too long (at most %zu bytes)", source, k->name, k->size - 1);
			return NL_EVALID;
		}
		memcpy(base + k->off, value, strlen(value) + 1);
		return 0;
	case CFG_CIDRS: {
		struct nl_cidr_list l;
		char why[160];
		if (cidr_list_parse(value, &l, why, sizeof why) != 0) {
			snprintf(errbuf, errlen, "%s: %s: %s", source, k->name, why);
			return NL_EVALID;
		}
		if (strlen(value) >= k->size) {
			snprintf(errbuf, errlen, "%s: %s is too long (at most %zu bytes)", source, k->name, k->size - 1);
			return NL_EVALID;
		}
		memcpy(base + k->off, value, strlen(value) + 1);
		return 0;
	}
	case CFG_AUTOBOOL:
		if (!strcmp(value, "auto")) {
			*(int *)(base + k->off) = NL_COOKIE_SECURE_AUTO;
			return 0;
		}
		if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "on")) {
			*(int *)(base + k->off) = NL_COOKIE_SECURE_ON;
			return 0;
		}
		if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "off")) {
			*(int *)(base + k->off) = NL_COOKIE_SECURE_OFF;
			return 0;
		}
		snprintf(errbuf, errlen, "%s: %s must be auto, on or off, not \"%s\"", source, k->name, value);
		return NL_EVALID;
	case CFG_LOGLEVEL: {
		int lvl = log_level_parse(value);
		if (lvl < 0) {
			snprintf(errbuf, errlen, "%s: %s must be debug, info, warn, error or off, not \"%s\"", source, k->name, value);
			return NL_EVALID;
		}
		*(int *)(base + k->off) = lvl;
		return 0;
	}
	case CFG_BOOL:
		if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "on")) {
			*(int *)(base + k->off) = 1;
			return 0;
		}
		if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "off")) {
			*(int *)(base + k->off) = 0;
			return 0;
		}
		snprintf(errbuf, errlen, "%s: %s must be true or false, not \"%s\"", source, k->name, value);
		return NL_EVALID;
	case CFG_INT: {
		char *end = NULL;
		errno = 0;
		long v = strtol(value, &end, 10);
		int is_default_zero = !strcmp(k->name, "threads") && v == 0;
		if (errno || end == value || *end != '\0' || ((v < k->min || v > k->max) && !is_default_zero)) {
			snprintf(errbuf, errlen, "%s: %s must be a whole number from %ld to %ld, not \"%s\"", source,
				k->name, k->min, k->max, value);
			return NL_EVALID;
		}
		*(int *)(base + k->off) = (int)v;
		return 0;
	}
	}
	return NL_EINTERNAL;
}

void config_defaults(struct nl_config *cfg)
{
	char err[256];
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < NL_ARRAY_LEN(cfg_keys); i++)
		if (cfg_apply(cfg, &cfg_keys[i], cfg_keys[i].def, "default", err, sizeof err) != 0)
			NL_LOG(NL_LOG_ERROR, "bad default for %s", cfg_keys[i].name);
}

int config_set(struct nl_config *cfg, const char *key, const char *value, const char *source, char *errbuf,
	size_t errlen)
{
	const struct cfg_key *k = cfg_find(key, strlen(key));
	if (!k) {
		snprintf(errbuf, errlen, "%s: unknown key \"%s\"", source, key);
		return NL_EVALID;
	}
	return cfg_apply(cfg, k, value, source, errbuf, errlen);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int config_read_file(struct nl_config *cfg, const char *path, char *errbuf, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(errbuf, errlen, "cannot read configuration file %s: %s", path, strerror(errno));
		return NL_EVALID;
	}
	char line[2048];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(errbuf, errlen, "%s:%d: expected key = value", path, lineno);
			rc = NL_EVALID;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		size_t vn = strlen(value);
		if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
			value[vn - 1] = '\0';
			value++;
		}
		char source[1100];
		snprintf(source, sizeof source, "%s:%d", path, lineno);
		for (char *p = key; *p; p++)
			if (*p == '_')
				*p = '-';
		rc = config_set(cfg, key, value, source, errbuf, errlen);
		if (rc)
			break;
	}
	fclose(f);
	return rc;
}

static void env_name(const char *key, char *out, size_t n)
{
	size_t j = (size_t)snprintf(out, n, "NENGLI_");
	for (size_t i = 0; key[i] && j + 1 < n; i++, j++)
		out[j] = key[i] == '-' ? '_' : (char)(key[i] >= 'a' && key[i] <= 'z' ? key[i] - 32 : key[i]);
	out[j < n ? j : n - 1] = '\0';
}

static int is_extra(const char *name, size_t n, const char *const *extra)
{
	for (; extra && *extra; extra++)
		if (strlen(*extra) == n && strncmp(*extra, name, n) == 0)
			return 1;
	return 0;
}

/* Finds --config in argv (flag beats environment) so the file is read before the environment and other flags. */
static const char *config_file_arg(int argc, char **argv)
{
	const char *file = getenv("NENGLI_CONFIG");
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			file = argv[i + 1];
		else if (!strncmp(argv[i], "--config=", 9))
			file = argv[i] + 9;
	}
	return file;
}

int config_load(struct nl_config *cfg, int argc, char **argv, const char *const *extra_flags, char *errbuf,
	size_t errlen)
{
	int rc;
	const char *file = config_file_arg(argc, argv);
	if (file && *file) {
		if ((rc = config_read_file(cfg, file, errbuf, errlen)))
			return rc;
		snprintf(cfg->config, sizeof cfg->config, "%s", file);
	}
	for (size_t i = 0; i < NL_ARRAY_LEN(cfg_keys); i++) {
		char name[96];
		env_name(cfg_keys[i].name, name, sizeof name);
		const char *v = getenv(name);
		if (v && (rc = cfg_apply(cfg, &cfg_keys[i], v, name, errbuf, errlen)))
			return rc;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0) {
			snprintf(errbuf, errlen, "unexpected argument \"%s\"", a);
			return NL_EINVAL;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
		if (is_extra(name, n, extra_flags)) {
			if (!eq)
				i++;
			continue;
		}
		const struct cfg_key *k = cfg_find(name, n);
		if (!k) {
			snprintf(errbuf, errlen, "unknown option \"%.*s\"", (int)n + 2, a);
			return NL_EINVAL;
		}
		if (!value) {
			snprintf(errbuf, errlen, "option --%s needs a value", k->name);
			return NL_EINVAL;
		}
		if (!eq)
			i++;
		char source[128];
		snprintf(source, sizeof source, "flag --%s", k->name);
		if ((rc = cfg_apply(cfg, k, value, source, errbuf, errlen)))
			return rc;
	}
	return 0;
}

void config_usage(void *fp)
{
	FILE *f = fp;
	for (size_t i = 0; i < NL_ARRAY_LEN(cfg_keys); i++) {
		char env[96];
		env_name(cfg_keys[i].name, env, sizeof env);
		fprintf(f, "  --%-24s %s (default %s; env %s)\n", cfg_keys[i].name, cfg_keys[i].help,
			*cfg_keys[i].def ? cfg_keys[i].def : "none", env);
	}
}

int config_split_listen(const char *listen, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= hostlen)
		return NL_EVALID;
	char *end = NULL;
	errno = 0;
	long p = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || p < 1 || p > 65535)
		return NL_EVALID;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	*port = (int)p;
	return 0;
}

static const struct nl_config *current_config;

const struct nl_config *config_current(void)
{
	static struct nl_config defaults;
	static int init;
	if (!current_config) {
		if (!init) {
			config_defaults(&defaults);
			init = 1;
		}
		return &defaults;
	}
	return current_config;
}

void config_set_current(const struct nl_config *cfg)
{
	current_config = cfg;
}
