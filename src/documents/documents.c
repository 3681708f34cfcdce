/* documents.c — the entry point of the documents room: parsing a request, file names, dispatching to the XLSX, PDF
 * and DOCX writers, and warming the fonts at server start. */
#include "documents/documents.h"

#include "core/log.h"
#include "cycle/plan.h"
#include "documents/docInt.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

int documents_record_parse(const char *s, enum nl_doc_record *out)
{
	static const char *const names[] = { "capability-plan", "measurement-plan", "achievement", "tracking", "evaluation",
		"all" };
	for (size_t i = 0; s && i < NL_ARRAY_LEN(names); i++) {
		if (!strcmp(s, names[i])) {
			*out = (enum nl_doc_record)i;
			return 0;
		}
	}
	return NL_EVALID;
}

int documents_format_parse(const char *s, enum nl_doc_format *out)
{
	if (s && !strcmp(s, "xlsx"))
		*out = NL_DOC_XLSX;
	else if (s && !strcmp(s, "pdf"))
		*out = NL_DOC_PDF;
	else if (s && !strcmp(s, "docx"))
		*out = NL_DOC_DOCX;
	else
		return NL_EVALID;
	return 0;
}

int documents_lang_parse(const char *s, enum nl_doc_lang *out)
{
	if (!s || !*s || !strcmp(s, "zh"))
		*out = NL_DOC_ZH;
	else if (!strcmp(s, "en"))
		*out = NL_DOC_EN;
	else
		return NL_EVALID;
	return 0;
}

const char *documents_content_type(enum nl_doc_format f)
{
	switch (f) {
	case NL_DOC_XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	case NL_DOC_PDF:
		return "application/pdf";
	case NL_DOC_DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	}
	return "application/octet-stream";
}

static const char *extension(enum nl_doc_format f)
{
	return f == NL_DOC_XLSX ? "xlsx" : f == NL_DOC_PDF ? "pdf" : "docx";
}

/* Copies s into out keeping what is safe in a file name on every system (no / \ : * ? " < > | or controls). */
static void file_safe(const char *s, char *out, size_t n, int ascii_only)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;
	for (; *p && o + 1 < n; p++) {
		unsigned char c = *p;
		if (c < 0x20 || c == 0x7F || strchr("/\\:*?\"<>|", c) || (ascii_only && c >= 0x80))
			c = c >= 0x80 && !ascii_only ? c : '_';
		if (c == ' ')
			c = '_';
		out[o++] = (char)c;
	}
	if (*p && (*p & 0xC0) == 0x80) {
		/* truncated inside a UTF-8 sequence: drop its lead and continuation bytes */
		while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
			o--;
		if (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
			o--;
	}
	out[o] = '\0';
}

static void names_fill(struct doc_env *e, const struct nl_doc_request *rq, struct nl_doc_names *names)
{
	char num[128], title[256], a[100], u[150];
	doc_number(e, rq->record, num, sizeof num);   /* "all": the scheme with ALL, e.g. NL-ALL-2026 */
	doc_title(e, rq->record, title, sizeof title);
	file_safe(num, a, sizeof a, 1);
	file_safe(title, u, sizeof u, 0);
	snprintf(names->ascii, sizeof names->ascii, "%s.%s", a, extension(rq->format));
	snprintf(names->utf8, sizeof names->utf8, "%s_%s.%s", a, u, extension(rq->format));
}

int documents_render(struct nl_ctx *ctx, const struct nl_doc_request *rq, const char *path, struct nl_doc_names *names)
{
	struct doc_env e;
	if (rq->year < NL_PLAN_MIN_YEAR || rq->year > NL_PLAN_MAX_YEAR)
		return nl_fail(ctx->err, NL_EVALID, "year", "year must be between %d and %d.", NL_PLAN_MIN_YEAR, NL_PLAN_MAX_YEAR);
	if ((unsigned)rq->format > NL_DOC_DOCX)
		return nl_fail(ctx->err, NL_EVALID, "format", "format must be xlsx, pdf or docx.");
	if ((unsigned)rq->lang > NL_DOC_EN)
		return nl_fail(ctx->err, NL_EVALID, "lang", "lang must be zh or en.");
	if ((unsigned)rq->record > NL_DOC_ALL)
		return nl_fail(ctx->err, NL_EVALID, "record", "Unknown record.");
	int rc = doc_env_init(&e, ctx, rq->year, rq->lang);
	if (rc)
		goto out;
	int first = rq->record == NL_DOC_ALL ? 0 : (int)rq->record;
	int last = rq->record == NL_DOC_ALL ? NL_DOC_RECORDS - 1 : (int)rq->record;
	if ((rc = doc_env_plan(&e)))
		goto out;
	if (names)
		names_fill(&e, rq, names);
	switch (rq->format) {
	case NL_DOC_XLSX:
		rc = doc_xlsx_render(&e, first, last, path);
		break;
	case NL_DOC_PDF:
		rc = doc_pdf_render(&e, first, last, path);
		break;
	case NL_DOC_DOCX:
		rc = doc_docx_render(&e, first, last, path);
		break;
	}
out:
	doc_env_cleanup(&e);
	return rc;
}

/* ---- Warming the fonts ---- */

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length)
{
	(void)closure;
	(void)data;
	(void)length;
	return CAIRO_STATUS_SUCCESS;
}

static void warm_once(void)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	FcInit();
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(discard, NULL, 200, 200);
	cairo_t *cr = cairo_create(s);
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(DOC_PDF_FONTS " 10");
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, "年度服务能力管理计划 Annual plan 0123456789 第 1 页 / 共 1 页", -1);
	PangoFontDescription *bold = pango_font_description_copy(fd);
	pango_font_description_set_weight(bold, PANGO_WEIGHT_BOLD);
	cairo_move_to(cr, 10, 10);
	pango_cairo_show_layout(cr, l);
	pango_layout_set_font_description(l, bold);
	cairo_move_to(cr, 10, 40);
	pango_cairo_show_layout(cr, l);
	PangoFont *font = pango_context_load_font(pango_layout_get_context(l), fd);
	if (!font)
		NL_LOG(NL_LOG_WARN, "documents: the font \"%s\" was not found (install fonts-noto-cjk)", DOC_FONT);
	else
		g_object_unref(font);
	pango_font_description_free(bold);
	pango_font_description_free(fd);
	g_object_unref(l);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	NL_LOG(NL_LOG_INFO, "documents: fonts warmed in %.0f ms",
		(double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
}

void documents_warm(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, warm_once);
}

#ifdef __SANITIZE_ADDRESS__
/* LeakSanitizer's built-in suppressions (sanitizer builds only): memory that fontconfig and cairo keep for the life of
 * the process and never free — the font patterns cached by Pango's per-thread font maps (held through thread-local data
 * the leak checker does not scan) and a buffer of cairo 1.16's CFF subsetter (fixed in later cairo). Debian's libraries
 * have no frame pointers, so the default (fast) unwinder stops at their first frame: the patterns name the libraries.
 * nengli never allocates through fontconfig itself; its cairo objects are few and destroyed on every path of
 * doc_pdf.c and doc_chart.c. Leaks of Pango or GLib objects (a layout not unref'ed) are still reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n"
	       "leak:libcairo.so\n";
}
#endif
