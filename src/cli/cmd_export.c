/* cmd_export.c — `nengli export RECORD --year Y --format xlsx|pdf|docx [--lang zh|en] -o FILE`: one of the five
 * records of the yearly cycle (or all) as a document, written straight from the database (documents/documents.h). */
#include "cli/cli.h"

#include "documents/documents.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/common.h"

static const char *const export_flags[] = { "year", "format", "lang", "o", "output", NULL };

static int usage(FILE *f, int ex)
{
	fprintf(f, "usage: nengli export RECORD --year Y --format xlsx|pdf|docx [--lang zh|en] -o FILE [--db URL]\n"
		   "  RECORD: capability-plan | measurement-plan | achievement | tracking | evaluation | all\n"
		   "  all: one workbook with a sheet per record, or one PDF / DOCX with the five records\n");
	return ex;
}

int cmd_export(int argc, char **argv)
{
	const char *out = NULL, *record = NULL;
	char *args[64];
	int rest = 0;
	for (int i = 0; i < argc && rest < 63; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
			out = argv[++i];
		else if (!record && strncmp(argv[i], "-", 1) != 0 && (i == 0 || strncmp(argv[i - 1], "--", 2) != 0 ||
								strchr(argv[i - 1], '=')))
			record = argv[i];
		else
			args[rest++] = argv[i];
	}
	if (cli_has(argc, argv, "help"))
		return usage(stdout, NL_EXIT_OK);
	const char *year_s = cli_opt(rest, args, "year"), *format = cli_opt(rest, args, "format");
	const char *lang = cli_opt(rest, args, "lang");
	struct nl_doc_request rq = { 0 };
	if (!record || !out || !year_s || !format)
		return usage(stderr, NL_EXIT_USAGE);
	if (documents_record_parse(record, &rq.record)) {
		fprintf(stderr, "nengli: export: unknown record \"%s\"\n", record);
		return usage(stderr, NL_EXIT_USAGE);
	}
	char *end = NULL;
	errno = 0;
	long y = strtol(year_s, &end, 10);
	if (errno || !end || *end || y < 1 || y > 9999) {
		fprintf(stderr, "nengli: export: --year must be a year such as 2026\n");
		return NL_EXIT_USAGE;
	}
	rq.year = (int)y;
	if (documents_format_parse(format, &rq.format)) {
		fprintf(stderr, "nengli: export: --format must be xlsx, pdf or docx\n");
		return NL_EXIT_USAGE;
	}
	if (documents_lang_parse(lang, &rq.lang)) {
		fprintf(stderr, "nengli: export: --lang must be zh or en\n");
		return NL_EXIT_USAGE;
	}
	struct nl_cli cli;
	int ex = cli_open(&cli, rest, args, export_flags, 0, 1);
	if (ex)
		return ex;
	/* Written next to FILE under a temporary name and renamed over it at the end: a failure leaves FILE as it was. */
	struct nl_doc_names names;
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", out) >= (int)sizeof tmp) {
		fprintf(stderr, "nengli: export: the output path is too long\n");
		cli_close(&cli);
		return NL_EXIT_USAGE;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "nengli: export: cannot write next to %s: %s\n", out, strerror(errno));
		cli_close(&cli);
		return NL_EXIT_FAIL;
	}
	mode_t mask = umask(0);   /* mkstemp makes the file 0600: give it the usual mode */
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0)
		fprintf(stderr, "nengli: export: warning: %s keeps mode 0600\n", out);
	close(fd);
	int rc = documents_render(&cli.ctx, &rq, tmp, &names);
	if (rc) {
		unlink(tmp);
		ex = cli_fail(&cli, "export", rc);
	} else if (rename(tmp, out) != 0) {
		fprintf(stderr, "nengli: export: cannot write %s: %s\n", out, strerror(errno));
		unlink(tmp);
		ex = NL_EXIT_FAIL;
	} else {
		printf("nengli: %s written to %s\n", names.utf8, out);
	}
	cli_close(&cli);
	return ex;
}
