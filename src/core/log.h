/* log.h — one JSON line per event on stderr. NL_LOG checks the level before formatting anything.
 * Never pass a password, token or session id to a log call. */
#ifndef NL_LOG_H
#define NL_LOG_H

#include <stddef.h>

enum nl_log_level { NL_LOG_DEBUG = 0, NL_LOG_INFO = 1, NL_LOG_WARN = 2, NL_LOG_ERROR = 3, NL_LOG_OFF = 4 };

extern int nl_log_level;

/* Parses "debug"|"info"|"warn"|"error"|"off"; -1 when unknown. */
int log_level_parse(const char *s);
/* Sets the request id printed with this thread's log lines (NULL clears it). The string must outlive its use. */
void log_set_request_id(const char *id);
/* Writes {"ts":...,"level":...,"req":...,"msg":...} to stderr. Use NL_LOG. */
void log_write(int level, const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Writes a pre-built JSON object line as is (the access log). */
void log_raw_line(const char *json_line, size_t len);

#define NL_LOG(level, ...) \
	do { \
		if ((level) >= nl_log_level) \
			log_write((level), __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

#endif
