/* documents_api.c — GET /api/v1/exports/{record}: parse → render into a temporary file → stream it as an attachment
 * (the RFC 5987 filename* carries the Chinese name); the file's name is removed at once, its data when sent. Runs on a worker (NL_R_SLOW). */
#include "documents/documents_api.h"

#include "core/strbuf.h"
#include "documents/doc_text.h"
#include "documents/documents.h"
#include "http/http.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"

int api_exports_get(struct nl_req *r)
{
	struct nl_doc_request rq = { 0 };
	struct nl_doc_names names;
	int64_t year = 0;
	char path[512];
	struct stat sb;
	int fd = -1;
	if (documents_record_parse(req_param(r, "record"), &rq.record))
		return nl_fail(&r->err, NL_ENOTFOUND, "record", "Unknown record: use capability-plan, measurement-plan,"
			" achievement, tracking, evaluation or all.");
	int rc = req_query_int(r, "year", 1, 9999, 0, &year);
	if (rc)
		return rc;
	if (!year)
		return nl_fail(&r->err, NL_EVALID, "year", "year is required: ?year=YYYY.");
	rq.year = (int)year;
	if (documents_format_parse(req_query(r, "format"), &rq.format))
		return nl_fail(&r->err, NL_EVALID, "format", "format must be xlsx, pdf or docx.");
	if (documents_lang_parse(req_query(r, "lang"), &rq.lang))
		return nl_fail(&r->err, NL_EVALID, "lang", "lang must be zh or en.");
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/nengli-export-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return nl_fail(&r->err, NL_EINTERNAL, NULL, "No temporary file for the document (%s).", strerror(errno));
	close(fd);
	if ((rc = documents_render(&r->ctx, &rq, path, &names)))
		goto out;
	/* Stream the rendered file: open it, let its name go (the descriptor keeps it), never read it into memory. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0) {
		rc = nl_fail(&r->err, NL_EINTERNAL, NULL, "The rendered document could not be read back.");
		goto out;
	}
	struct nl_strbuf cd;
	strbuf_init(&cd, 2048);
	strbuf_printf(&cd, "attachment; filename=\"%s\"; filename*=UTF-8''", names.ascii);
	doc_rfc5987(&cd, names.utf8);
	if (cd.failed) {
		strbuf_cleanup(&cd);
		rc = nl_fail(&r->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	reply_header(r, "Content-Disposition", cd.data);
	strbuf_cleanup(&cd);
	rc = reply_file(r, 200, documents_content_type(rq.format), fd, (uint64_t)sb.st_size);
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	unlink(path);
	return rc;
}
