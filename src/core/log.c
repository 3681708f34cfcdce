/* log.c — the JSON-lines logger. Lines are written with one write(2) so that threads do not interleave. */
#include "core/log.h"

#include "core/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int nl_log_level = NL_LOG_INFO;

static _Thread_local const char *log_request_id;

static const char *const level_names[] = { "debug", "info", "warn", "error", "off" };

int log_level_parse(const char *s)
{
	for (int i = 0; i <= NL_LOG_OFF; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

void log_set_request_id(const char *id)
{
	log_request_id = id;
}

void log_raw_line(const char *json_line, size_t len)
{
	ssize_t w = write(STDERR_FILENO, json_line, len);
	(void)w;
}

void log_write(int level, const char *file, int line, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);

	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char when[40];
	snprintf(when, sizeof when, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
		(unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
		(unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u, (unsigned)(ts.tv_nsec / 1000000) % 1000u);

	struct nl_strbuf b;
	strbuf_init(&b, 8192);
	strbuf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\"", when,
		level_names[level < 0 || level > NL_LOG_ERROR ? NL_LOG_ERROR : level]);
	if (log_request_id) {
		strbuf_puts(&b, ",\"req\":");
		strbuf_json_string(&b, log_request_id, strlen(log_request_id));
	}
	const char *base = strrchr(file, '/');
	strbuf_printf(&b, ",\"at\":\"%s:%d\",\"msg\":", base ? base + 1 : file, line);
	strbuf_json_string(&b, msg, strlen(msg));
	strbuf_puts(&b, "}\n");
	if (!b.failed)
		log_raw_line(b.data, b.len);
	strbuf_cleanup(&b);
}
