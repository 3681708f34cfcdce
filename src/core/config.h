/* config.h — the server's configuration as one table (name, type, bounds, default, field), read with the
 * precedence defaults < file < environment (NENGLI_<NAME>) < command-line flags (--name VALUE or --name=VALUE),
 * and validated with messages that name the key and where the value came from. */
#ifndef NL_CONFIG_H
#define NL_CONFIG_H

#include <stddef.h>

struct nl_config {
	char db[1024];              /* SQLite path or postgresql:// URL */
	char listen[128];           /* HOST:PORT */
	char config[1024];          /* the file read (empty: none) */
	int threads;                /* HTTP thread pool size */
	int workers;                /* worker threads for slow work (password hashing, documents) */
	int log_level;              /* NL_LOG_* */
	int session_ttl_minutes;
	int body_limit_kib;         /* default request body limit */
	int upload_limit_mib;       /* imports */
	int arena_limit_mib;        /* per-request memory cap */
	int login_max_failures;
	int login_window_seconds;
	int connection_timeout;     /* seconds of inactivity before a connection is closed */
	int max_connections;
	int sqlite_synchronous_full;
	int access_log;             /* 1: one JSON line per request on stderr */
	char trusted_proxies[512];  /* addresses/CIDR ranges of reverse proxies whose X-Forwarded-For/-Proto are believed */
	int cookie_secure;          /* NL_COOKIE_SECURE_*: the Secure flag of the session cookie */
};

enum { NL_COOKIE_SECURE_OFF = 0, NL_COOKIE_SECURE_ON = 1, NL_COOKIE_SECURE_AUTO = 2 };

/* Fills cfg with the defaults. */
void config_defaults(struct nl_config *cfg);

/* Applies, in order: the file named by --config / NENGLI_CONFIG (if any), the environment, then the flags in
 * argv[0..argc). Flags that are not configuration keys are an error unless listed in `extra_flags`
 * (NULL-terminated names without dashes) — those are skipped with their value. Returns 0, or NL_EVALID
 * (bad value: errbuf names the key and source) or NL_EINVAL (unknown flag / missing value). */
int config_load(struct nl_config *cfg, int argc, char **argv, const char *const *extra_flags,
	char *errbuf, size_t errlen) __attribute__((warn_unused_result));

/* Sets one key from a string, as if read from `source` (for messages). Exposed for tests. */
int config_set(struct nl_config *cfg, const char *key, const char *value, const char *source,
	char *errbuf, size_t errlen) __attribute__((warn_unused_result));

/* Writes the usage lines of every key ("  --name VALUE   description (default ...)") to f (a FILE*). */
void config_usage(void *f);

/* Splits "host:port" into host (static buffer of the caller) and port; NL_EVALID on error. */
int config_split_listen(const char *listen, char *host, size_t hostlen, int *port) __attribute__((warn_unused_result));


/* The configuration the server runs with (set once by `serve` before threads start; read-only afterwards). */
const struct nl_config *config_current(void);
void config_set_current(const struct nl_config *cfg);
#endif
