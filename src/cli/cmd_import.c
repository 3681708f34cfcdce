/* cmd_import.c — `nengli import tickets --format csv|jsonl|servicenow [--source NAME] [--mapping FILE] [--progress]
 * FILE|-`: streams the file (or stdin) in chunks into the import (records/import.h), shows a progress bar on stderr
 * when it is a terminal (or with --progress), prints the report as JSON on stdout.
 * Exit status: 0 imported, 1 lines rejected (nothing imported) or another failure, 2 bad usage. */
#include "cli/cli.h"

#include "records/import.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/common.h"

#define READ_CHUNK (256 * 1024)

static const char *const import_usage =
	"usage: nengli import tickets --format csv|jsonl|servicenow [--source NAME] [--mapping FILE] [--progress]\n"
	"                             [--db URL] FILE|-\n"
	"  imports tickets from FILE (- reads stdin): all or nothing, idempotent by (source, external_id).\n"
	"  --source NAME   the source system (default: servicenow for that format, else import)\n"
	"  --mapping FILE  a JSON object {\"field\": \"Header name\"} naming the file's columns (csv, jsonl)\n"
	"  --progress      show the progress bar even when stderr is not a terminal\n"
	"  exit status: 0 imported, 1 lines rejected (nothing imported) or another failure, 2 bad usage\n";

struct bar {
	int on;
	uint64_t total;      /* 0: unknown (a pipe) */
	double last;
	int drawn;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The progress bar: at most 10 redraws a second, on one line of stderr. */
static void bar_progress(void *user, uint64_t bytes, int64_t rows, int done)
{
	struct bar *b = user;
	if (!b->on)
		return;
	double t = now_seconds();
	if (!done && t - b->last < 0.1)
		return;
	b->last = t;
	b->drawn = 1;
	if (b->total) {
		int pct = (int)(bytes * 100 / b->total);
		int fill = pct * 30 / 100;
		char line[31];
		memset(line, '#', (size_t)fill);
		memset(line + fill, ' ', (size_t)(30 - fill));
		line[30] = '\0';
		fprintf(stderr, "\r[%s] %3d%%  %.1f MB  %lld rows", line, pct > 100 ? 100 : pct, (double)bytes / 1e6,
			(long long)rows);
	} else {
		fprintf(stderr, "\r%.1f MB  %lld rows", (double)bytes / 1e6, (long long)rows);
	}
	if (done)
		fprintf(stderr, "  — finishing…");
	fflush(stderr);
}

int cmd_import(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "tickets") != 0) {
		fputs(import_usage, stderr);
		return argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) ? NL_EXIT_OK : NL_EXIT_USAGE;
	}
	const char *format = NULL, *source = NULL, *mapping_file = NULL, *path = NULL;
	int progress = 0;
	char *rest[64];
	int nrest = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = !strcmp(a, "--format") ? &format : !strcmp(a, "--source") ? &source
			: !strcmp(a, "--mapping") ? &mapping_file : NULL;
		if (dst) {
			if (i + 1 >= argc) {
				fprintf(stderr, "nengli: %s needs a value\n%s", a, import_usage);
				return NL_EXIT_USAGE;
			}
			*dst = argv[++i];
		} else if (!strncmp(a, "--format=", 9)) {
			format = a + 9;
		} else if (!strncmp(a, "--source=", 9)) {
			source = a + 9;
		} else if (!strncmp(a, "--mapping=", 10)) {
			mapping_file = a + 10;
		} else if (!strcmp(a, "--progress")) {
			progress = 1;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(import_usage, stdout);
			return NL_EXIT_OK;
		} else if (!strcmp(a, "-") || strncmp(a, "--", 2) != 0) {
			if (path) {
				fprintf(stderr, "nengli: one file at a time (%s and %s)\n%s", path, a, import_usage);
				return NL_EXIT_USAGE;
			}
			path = a;
		} else if (nrest < 62) {
			rest[nrest++] = argv[i];
			if (!strchr(a, '=') && i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
				rest[nrest++] = argv[++i];   /* a configuration option's value (--db URL) */
		}
	}
	if (!format || (strcmp(format, "csv") && strcmp(format, "jsonl") && strcmp(format, "servicenow"))) {
		fprintf(stderr, "nengli: --format csv|jsonl|servicenow is required\n%s", import_usage);
		return NL_EXIT_USAGE;
	}
	if (!path) {
		fprintf(stderr, "nengli: name the file to import (- for stdin)\n%s", import_usage);
		return NL_EXIT_USAGE;
	}
	json_t *mapping = NULL;
	if (mapping_file) {
		json_error_t je;
		mapping = json_load_file(mapping_file, 0, &je);
		if (!mapping || !json_is_object(mapping)) {
			fprintf(stderr, "nengli: %s: not a JSON object {\"field\": \"Header name\"}: %s (line %d)\n", mapping_file,
				mapping ? "an object is expected" : je.text, je.line);
			json_decref(mapping);
			return NL_EXIT_FAIL;
		}
	}
	FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "nengli: cannot read %s: %s\n", path, strerror(errno));
		json_decref(mapping);
		return NL_EXIT_FAIL;
	}
	struct bar bar = { .on = progress || isatty(STDERR_FILENO) };
	struct stat sb;
	if (f != stdin && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
		bar.total = (uint64_t)sb.st_size;

	struct nl_cli cli;
	int ex = cli_open(&cli, nrest, rest, NULL, 0, 1);
	if (ex) {
		if (f != stdin)
			fclose(f);
		json_decref(mapping);
		return ex;
	}
	struct nl_import *im = NULL;
	json_t *report = NULL;
	struct nl_import_options o = { .format = format, .source = source, .mapping = mapping, .progress = bar_progress,
		.progress_user = &bar };
	int rc = import_begin(&cli.ctx, &o, &im);
	static char buf[READ_CHUNK];
	while (!rc) {
		size_t n = fread(buf, 1, sizeof buf, f);
		if (n > 0)
			rc = import_feed(im, buf, n);
		if (n < sizeof buf) {
			if (ferror(f)) {
				fprintf(stderr, "\nnengli: reading %s: %s\n", path, strerror(errno));
				ex = NL_EXIT_FAIL;
			}
			break;
		}
	}
	if (!rc && !ex)
		rc = import_finish(im, &report);
	if (bar.drawn)
		fputc('\n', stderr);
	if (rc) {
		ex = cli_fail(&cli, "import", rc);
	} else if (!ex) {
		char *text = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (text)
			printf("%s\n", text);
		free(text);
		const char *status = json_string_value(json_object_get(report, "status"));
		json_int_t rejected = json_integer_value(json_object_get(report, "rejected_count"));
		fprintf(stderr, "nengli: import %lld %s: %lld rows read, %lld tickets: %lld inserted, %lld updated,"
				" %lld unchanged; %lld lines rejected, %lld warnings\n",
			(long long)json_integer_value(json_object_get(report, "id")), status,
			(long long)json_integer_value(json_object_get(report, "rows_read")),
			(long long)json_integer_value(json_object_get(report, "tickets")),
			(long long)json_integer_value(json_object_get(report, "inserted")),
			(long long)json_integer_value(json_object_get(report, "updated")),
			(long long)json_integer_value(json_object_get(report, "unchanged")), (long long)rejected,
			(long long)json_integer_value(json_object_get(report, "warnings_count")));
		if (rejected) {
			size_t i;
			json_t *e;
			json_array_foreach(json_object_get(report, "rejected"), i, e)
			{
				if (i == 20) {
					fprintf(stderr, "  … (every rejected line is in the report)\n");
					break;
				}
				fprintf(stderr, "  line %lld: %s\n", (long long)json_integer_value(json_object_get(e, "line")),
					json_string_value(json_object_get(e, "reason")));
			}
			fprintf(stderr, "nengli: nothing was imported: correct these lines and import the file again\n");
			ex = NL_EXIT_FAIL;
		}
	}
	json_decref(report);
	import_free(im);
	cli_close(&cli);
	if (f != stdin)
		fclose(f);
	json_decref(mapping);
	return ex;
}
