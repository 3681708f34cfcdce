/* docInt.h — private to src/documents/: the data a document is made from (struct doc_env, filled lazily from the cycle's
 * domain modules), the writer interface through which the content of each record is emitted once and rendered as PDF
 * or DOCX (struct doc_writer), charts, and small text helpers. The XLSX writer reads struct doc_env directly (a
 * spreadsheet wants typed cells and native charts rather than a flow of paragraphs). */
#ifndef NL_DOC_INT_H
#define NL_DOC_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/date.h"
#include "core/strbuf.h"
#include "documents/documents.h"

/* ---- Text in the document's language ---- */

/* Picks the Chinese or the English text. */
#define TR(e, zh, en) ((e)->lang == NL_DOC_EN ? (en) : (zh))

/* ---- The data ---- */

/* Counts of work items by outcome (rules_work_timing), for one department or all. */
struct doc_task_counts {
	int64_t department_id;
	char department[128];
	long total, on_time, late, open, overdue, cancelled;   /* open counts the overdue too */
};

/* Everything a document of one year is made from. Loaded on first use by the doc_env_* functions; JSON values are
 * owned by the env. Tasks are never all in memory: doc_env_tasks_each streams them. */
struct doc_env {
	struct nl_ctx *ctx;
	int year;
	enum nl_doc_lang lang;
	char company[256];
	char scheme[128];
	unsigned char *logo;          /* PNG, malloc'ed, or NULL */
	size_t logo_len;
	int logo_w, logo_h;
	char zone[64];
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	int utc_offset;               /* seconds, the organisation's offset now (for dates of timestamps) */
	const void *tz;               /* struct nl_tz *, or NULL */
	/* loaded on demand */
	int plan_loaded;
	json_t *plan;                 /* plan_get of the year's plan, or NULL when the year has none */
	json_t *history;              /* plan_history items (array, maybe empty) */
	json_t *versions;             /* plan_version_list items */
	json_t *depts;                /* {"<id>": {"name","name_en"}} */
	json_t *users;                /* {"<id>": "display name"} cache */
	json_t *metrics;              /* metric_list_table */
	json_t *table;                /* achievement_table */
	json_t *evaluation;           /* evaluation_get */
	int tasks_counted;
	struct doc_task_counts task_total;
	struct doc_task_counts *task_depts;   /* per department, in department id order */
	size_t ntask_depts;
	char tt_checker[160], tt_checked[NL_DATE_STRLEN];     /* the latest check of a work item (counting pass) */
	char tt_verifier[160], tt_verified[NL_DATE_STRLEN];   /* the latest verification of a check */
	int trends_loaded;
	struct doc_trend *trends;
	size_t ntrends;
};

/* One monthly trend: 12 values (NAN when none) and an optional target per month. */
struct doc_trend {
	char name[160];
	char unit[32];
	int ratio;                    /* values are fractions */
	double v[12];
	double target[12];
	int from_metric;              /* 1: drawn from a monthly metric's achievement values (no measure data yet) */
};

/* Fills the settings part of e (company, scheme, logo, today, zone) for year and lang. Returns 0 or a store error. */
int doc_env_init(struct doc_env *e, struct nl_ctx *ctx, int year, enum nl_doc_lang lang)
	__attribute__((warn_unused_result));
void doc_env_cleanup(struct doc_env *e);

int doc_env_plan(struct doc_env *e) __attribute__((warn_unused_result));          /* plan, history, versions */
int doc_env_depts(struct doc_env *e) __attribute__((warn_unused_result));
int doc_env_metrics(struct doc_env *e) __attribute__((warn_unused_result));
int doc_env_table(struct doc_env *e) __attribute__((warn_unused_result));
int doc_env_evaluation(struct doc_env *e) __attribute__((warn_unused_result));
int doc_env_task_counts(struct doc_env *e) __attribute__((warn_unused_result));   /* one streaming pass */
int doc_env_trends(struct doc_env *e) __attribute__((warn_unused_result));

/* Calls fn for every work item of the year (tracking rows with details, in id order), fetched in pages of 500.
 * fn returns 0 to go on or a negative code to stop (returned). */
int doc_env_tasks_each(struct doc_env *e, int (*fn)(void *arg, json_t *task), void *arg)
	__attribute__((warn_unused_result));

/* The department's name in the document's language ("" when unknown or id 0). */
const char *doc_dept_name(struct doc_env *e, int64_t id);
/* A user's display name ("" when unknown or id 0); cached. */
const char *doc_user_name(struct doc_env *e, int64_t id);

/* The document number of a record (the plan's stored number for the plan when it has one, else the scheme). */
void doc_number(struct doc_env *e, enum nl_doc_record r, char *out, size_t n);
/* The record's title with the year ("2026年度服务能力管理计划", "Annual Service Capability Plan 2026"). */
void doc_title(struct doc_env *e, enum nl_doc_record r, char *out, size_t n);
/* The record's name without the year. Static storage. */
const char *doc_record_name(enum nl_doc_lang lang, enum nl_doc_record r);

/* The local date (YYYY-MM-DD) of an RFC 3339 UTC timestamp, in the organisation's time zone; "" for NULL/invalid. */
void doc_date_of(struct doc_env *e, const char *ts, char out[NL_DATE_STRLEN]);

/* Labels of enumerations in the document's language (static storage; the input itself when unknown). */
const char *doc_element_name(enum nl_doc_lang lang, const char *element);
const char *doc_status_name(enum nl_doc_lang lang, const char *status);          /* met / warning / missed */
const char *doc_work_status_name(enum nl_doc_lang lang, const char *status);     /* not_started ... */
const char *doc_plan_status_name(enum nl_doc_lang lang, const char *status);     /* draft / submitted ... */
const char *doc_frequency_name(enum nl_doc_lang lang, const char *freq);
const char *doc_direction_name(enum nl_doc_lang lang, const char *dir);
const char *doc_priority_name(enum nl_doc_lang lang, const char *p);
const char *doc_trend_name(enum nl_doc_lang lang, const char *trend);
const char *doc_source_name(enum nl_doc_lang lang, const char *source);
const char *doc_action_name(enum nl_doc_lang lang, const char *action);          /* plan history actions */

/* JSON helpers: the string member (or ""), the number member (NAN when absent or null), the integer (0). */
const char *doc_js(const json_t *o, const char *key);
double doc_jn(const json_t *o, const char *key);
int64_t doc_ji(const json_t *o, const char *key);
/* A metric value as people read it (rules_value_text, the unit in the document's language): "67.7%", "19.2 分钟";
 * "—" for NAN. */
void doc_value_text(enum nl_doc_lang lang, double v, const char *unit, char *out, size_t n);
/* A rate as a percentage with one decimal ("102.4%"), "—" for NAN. */
void doc_rate_text(double v, char *out, size_t n);
/* 1 when the metric unit is a fraction shown as a percentage ("ratio", "%", "percent"). */
int doc_unit_ratio(const char *unit);
/* The unit as shown after a number ("min", "h", "分" ...); "" for ratios and counts. Static storage or unit. */
const char *doc_unit_label(enum nl_doc_lang lang, const char *unit);
/* The standing value of a metric row of the achievement table for the year (evaluation_pick_value), or NULL. */
const json_t *doc_standing_value(const json_t *row, int year);

/* ---- Signatures, change history ---- */

/* The signature block: prepared / reviewed / approved, each a name and a date ("" when not known: a line to sign). */
struct doc_sign {
	char who[3][160];
	char date[3][NL_DATE_STRLEN];
	char role[3][64];           /* "编制" / "Prepared by" ... */
};
/* One line of the 变更履历. */
struct doc_change {
	char version[16], date[NL_DATE_STRLEN], change[1024], author[160], approver[160], approved[NL_DATE_STRLEN];
};
/* Fills the signature block of a record. */
void doc_signature(struct doc_env *e, enum nl_doc_record r, struct doc_sign *s);
/* Fills out[0..*n) (at most max) with the change history of a record: the plan's versions for CAP, MP, AT, TT; the
 * evaluation's drafting and finalization for ER. */
void doc_changes(struct doc_env *e, enum nl_doc_record r, struct doc_change *out, size_t max, size_t *n);
/* The version text of a record ("V2") and its status text ("已批准"). */
void doc_version(struct doc_env *e, enum nl_doc_record r, char *version, size_t vn, char *status, size_t sn);

/* ---- Charts (drawn with cairo: vector in PDF, PNG in DOCX) ---- */

enum doc_tone { DOC_TONE_NONE, DOC_TONE_MET, DOC_TONE_WARNING, DOC_TONE_MISSED, DOC_TONE_MUTED, DOC_TONE_OPEN };

enum doc_chart_kind {
	DOC_CHART_BARS,      /* horizontal bars, one per category, coloured by tone, with a vertical target line */
	DOC_CHART_LINE,      /* one series over the categories (months), with a dashed target line per category */
	DOC_CHART_STACKED    /* horizontal stacked bars: nseries segments per category */
};

struct doc_chart {
	enum doc_chart_kind kind;
	const char *title;
	int ratio;                   /* the axis shows percentages of fractions */
	const char *unit;            /* shown with the axis for non-ratio values */
	size_t ncat;
	const char *const *cats;
	size_t nseries;
	const char *const *series;   /* series names (legend) */
	const double *values;        /* nseries × ncat, by series; NAN: no value */
	const int *tones;            /* BARS: a tone per category; STACKED: a tone per series; may be NULL */
	int has_target;              /* BARS: the reference value (1 = 100 %) */
	double target;
	const double *targets;       /* LINE: a target per category (NAN: none); may be NULL */
	const char *target_label;
};

struct _cairo;
/* The height (points) the chart needs at width w. */
double doc_chart_height(const struct doc_chart *c, double w);
/* Draws the chart into the rectangle x, y, w, h of cr (fonts: Noto Sans CJK SC via Pango, sizes in points). */
void doc_chart_draw(struct _cairo *cr, const struct doc_chart *c, double x, double y, double w, double h,
	enum nl_doc_lang lang);
/* Renders the chart as a PNG of w × h points at `scale` pixels per point into a new heap buffer (*png, *len; the
 * caller frees it). Returns 0, or NL_ENOMEM / NL_EINTERNAL. */
int doc_chart_png(const struct doc_chart *c, double w, double h, double scale, enum nl_doc_lang lang,
	unsigned char **png, size_t *len) __attribute__((warn_unused_result));
/* The colour of a tone (RGB 0..1) and as "RRGGBB" (fill of table cells). */
void doc_tone_rgb(int tone, int light, double rgb[3]);
const char *doc_tone_hex(int tone, int light);

/* ---- The writer interface: content is emitted once per record and rendered by PDF or DOCX ---- */

enum doc_align { DOC_LEFT, DOC_CENTER, DOC_RIGHT };
enum doc_para_style { DOC_P_BODY, DOC_P_NOTE, DOC_P_QUOTE };

struct doc_col {
	const char *title;
	double weight;     /* relative width */
	enum doc_align align;
};

struct doc_cell {
	const char *text;
	int tone;          /* enum doc_tone: a coloured background */
	int bold;
};

/* The cover and running head of a record. */
struct doc_meta {
	enum nl_doc_record record;
	char title[256];
	char doc_number[96];
	char version[16];
	char status[64];
	char issued[NL_DATE_STRLEN];   /* approval / finalization date, "" when none */
	int landscape;
	struct doc_sign sign;
};

struct doc_writer;
struct doc_writer_ops {
	int (*record_begin)(struct doc_writer *w, const struct doc_meta *m);   /* cover page, then the body on a new page */
	int (*record_end)(struct doc_writer *w);
	int (*heading)(struct doc_writer *w, int level, const char *text);     /* level 1 or 2 */
	int (*para)(struct doc_writer *w, const char *text, enum doc_para_style style);   /* '\n' separates paragraphs */
	int (*table_begin)(struct doc_writer *w, const struct doc_col *cols, size_t n);
	int (*table_row)(struct doc_writer *w, const struct doc_cell *cells, int row_tone);
	int (*table_end)(struct doc_writer *w);
	int (*chart)(struct doc_writer *w, const struct doc_chart *c);
	int (*sign)(struct doc_writer *w, const struct doc_sign *s);
};
struct doc_writer {
	const struct doc_writer_ops *ops;
	struct doc_env *env;
};

/* Emits the content of record r (not NL_DOC_ALL) through w. Returns 0 or the first error of w or of the data. */
int doc_emit_record(struct doc_env *e, enum nl_doc_record r, struct doc_writer *w) __attribute__((warn_unused_result));
/* Fills the cover data of record r. */
void doc_meta_fill(struct doc_env *e, enum nl_doc_record r, struct doc_meta *m);

/* The renderers. Each writes the records [first, last] (one, or all five) to path / f. */
int doc_pdf_render(struct doc_env *e, int first, int last, const char *path) __attribute__((warn_unused_result));
int doc_docx_render(struct doc_env *e, int first, int last, const char *path) __attribute__((warn_unused_result));
int doc_xlsx_render(struct doc_env *e, int first, int last, const char *path) __attribute__((warn_unused_result));

/* The font family of every document. */
#define DOC_FONT "Noto Sans CJK SC"
/* The fonts the PDF and the charts are drawn with: Latin letters and digits from DejaVu Sans, everything else from
 * Noto Sans CJK SC. cairo 1.16 (Debian 12) embeds a ~900 KB "subset" of Noto Sans CJK SC Regular as soon as a
 * document uses certain Latin glyphs of it together with Han ones ("IL" and "年" suffice); taking Latin text from DejaVu
 * keeps a PDF at tens of KB. Without DejaVu installed, Pango falls back to Noto for everything (larger files only). */
#define DOC_PDF_FONTS "DejaVu Sans,Noto Sans CJK SC"

#endif
