/* documents_api.c — GET /api/v1/exports/{record}: parse → render into a temporary file → reply with its bytes as an
 * attachment (the RFC 5987 filename* carries the Chinese name) → remove the file. Runs on a worker (NL_R_SLOW). */
#include "documents/documents_api.h"

#include "core/strbuf.h"
#include "documents/doc_text.h"
#include "documents/documents.h"
#include "http/http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"

/* Reads the whole file into a new heap buffer. */
static int slurp(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	*data = NULL;
	*len = 0;
	if (!f)
		return NL_EINTERNAL;
	int rc = NL_EINTERNAL;
	if (fseek(f, 0, SEEK_END) != 0)
		goto out;
	long n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	*data = malloc((size_t)n + 1);
	if (!*data) {
		rc = NL_ENOMEM;
		goto out;
	}
	if (fread(*data, 1, (size_t)n, f) != (size_t)n) {
		free(*data);
		*data = NULL;
		goto out;
	}
	*len = (size_t)n;
	rc = 0;
out:
	fclose(f);
	return rc;
}

int api_exports_get(struct nl_req *r)
{
	struct nl_doc_request rq = { 0 };
	struct nl_doc_names names;
	int64_t year = 0;
	char path[512];
	char *data = NULL;
	size_t len = 0;
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
	if ((rc = slurp(path, &data, &len))) {
		rc = nl_fail(&r->err, rc, NULL, "The rendered document could not be read back.");
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
	rc = reply_raw(r, 200, documents_content_type(rq.format), data, len);
out:
	free(data);
	unlink(path);
	return rc;
}
