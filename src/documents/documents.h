/* documents.h — the five records of the yearly cycle as documents ready to sign and file (issue 6): the annual capability
 * plan, the measurement plan, the achievement table, the execution tracking table and the annual evaluation report, as
 * XLSX (libxlsxwriter), PDF (cairo + pango, Noto Sans CJK) and DOCX (Office Open XML written here), in Chinese or
 * English, straight from the data of the cycle's domain modules (src/cycle/).
 *
 * A document is written to a file as it is produced (large tables are streamed from the database page by page and
 * never capped). Rendering takes one database connection (ctx->db) and changes no record (the measures engine may bring
 * its aggregates up to date first, as it does for every reader of measures). */
#ifndef NL_DOCUMENTS_H
#define NL_DOCUMENTS_H

#include <stddef.h>

#include "core/ctx.h"

enum nl_doc_record {
	NL_DOC_CAPABILITY_PLAN,   /* 年度服务能力管理计划 (CAP) */
	NL_DOC_MEASUREMENT_PLAN,  /* 运维服务管理目标度量计划 (MP) */
	NL_DOC_ACHIEVEMENT,       /* 运维服务管理目标度量达成表 (AT) */
	NL_DOC_TRACKING,          /* 运维服务管理计划工作执行跟踪表 (TT) */
	NL_DOC_EVALUATION,        /* 年度服务能力执行效果评估报告 (ER) */
	NL_DOC_ALL                /* all five: one workbook with a sheet each, one PDF, one DOCX */
};
#define NL_DOC_RECORDS 5

enum nl_doc_format { NL_DOC_XLSX, NL_DOC_PDF, NL_DOC_DOCX };
enum nl_doc_lang { NL_DOC_ZH, NL_DOC_EN };

/* What to render. */
struct nl_doc_request {
	enum nl_doc_record record;
	enum nl_doc_format format;
	enum nl_doc_lang lang;
	int year;
};

/* The names of a rendered document: a UTF-8 file name in the document's language (for filename*) and an ASCII one
 * (for filename=), both with the extension, e.g. "NL-CAP-2026_2026年度服务能力管理计划.pdf" / "NL-CAP-2026.pdf". */
struct nl_doc_names {
	char utf8[256];
	char ascii[128];
};

/* Parses "capability-plan" | "measurement-plan" | "achievement" | "tracking" | "evaluation" | "all". 0 or NL_EVALID. */
int documents_record_parse(const char *s, enum nl_doc_record *out) __attribute__((warn_unused_result));
/* Parses "xlsx" | "pdf" | "docx". 0 or NL_EVALID. */
int documents_format_parse(const char *s, enum nl_doc_format *out) __attribute__((warn_unused_result));
/* Parses "zh" | "en" (NULL or "" → zh). 0 or NL_EVALID. */
int documents_lang_parse(const char *s, enum nl_doc_lang *out) __attribute__((warn_unused_result));
/* The record's code in document numbers: "CAP", "MP", "AT", "TT", "ER" ("ALL" for NL_DOC_ALL). Static storage. */
const char *documents_record_code(enum nl_doc_record r);
/* The MIME type of a format. Static storage. */
const char *documents_content_type(enum nl_doc_format f);

/* Renders the document into the file at path (created or truncated; on failure its content is unspecified — the
 * caller removes it). Checks the request first: NL_EVALID naming "year" (outside 2000..2100), "format" or "lang".
 * names (may be NULL) receives the file names. Returns 0, or NL_EVALID / a store error / NL_ENOMEM / NL_EINTERNAL
 * (a library failed: the message says which), with ctx->err filled. */
int documents_render(struct nl_ctx *ctx, const struct nl_doc_request *rq, const char *path, struct nl_doc_names *names)
	__attribute__((warn_unused_result));

/* Warms the font machinery (fontconfig's cache, Pango's font map, the Noto CJK faces, cairo's PDF font subsetter) so
 * that the first document a server renders does not pay for it (~350 ms). Safe to call more than once, from any
 * thread; never fails (a missing font is logged). */
void documents_warm(void);

#endif
