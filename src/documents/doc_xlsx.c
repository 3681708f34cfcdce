/* doc_xlsx.c — the XLSX writer (libxlsxwriter, constant_memory mode: rows go to disk as they are written, so a
 * tracking table of any length never sits in memory). One sheet per record plus a 变更履历 sheet. Every sheet: a title
 * and the document particulars, a frozen header row with an autofilter, typed cells (numbers, percentages, real
 * dates), column widths fitted to the text (a CJK character counts two units), A4 print setup with repeated header
 * and "第 &P 页 / 共 &N 页", and the prepared / reviewed / approved block under the table. The achievement table colours
 * its rows by status (conditional formats) and carries a native chart of achievement per metric; the tracking table
 * marks overdue rows. Computed cells use formulas written with their cached value (worksheet_write_formula_num), so a
 * reader that does not recalculate still shows the number. Text cells pass through doc_cell_text (formula guard). */
#include "documents/docInt.h"

#include "cycle/period.h"
#include "documents/doc_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/common.h"

#define XMAX_COLS 32
#define CELL_MAX 32768   /* Excel's limit on a cell's text */

struct xcol {
	const char *title;
	double min, max;   /* width bounds in character units; text wider than max wraps */
};

struct xw {
	struct doc_env *e;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	char sheet[64];
	lxw_row_t row;
	int ncols;
	double width[XMAX_COLS], wmin[XMAX_COLS], wmax[XMAX_COLS];
	struct {
		lxw_format *title, *info, *head, *text, *textb, *center, *num, *pct, *intg, *date, *label, *section, *note,
			*para, *sign_head, *sign_cell, *total, *total_pct, *red, *amber, *green;
	} f;
	char *cell;        /* scratch for guarded text */
	int rc;
};

/* ---- Cells ---- */

static void track(struct xw *x, int col, const char *s)
{
	if (col < 0 || col >= XMAX_COLS)
		return;
	double w = doc_text_width_units(s) * 1.1 + 1;
	if (w > x->width[col])
		x->width[col] = w;
}

static void put_str(struct xw *x, int col, const char *s, lxw_format *f)
{
	doc_cell_text(s ? s : "", x->cell, CELL_MAX);
	if (!*x->cell)
		worksheet_write_blank(x->ws, x->row, (lxw_col_t)col, f);
	else
		worksheet_write_string(x->ws, x->row, (lxw_col_t)col, x->cell, f);
	track(x, col, x->cell);
}

static void put_num(struct xw *x, int col, double v, lxw_format *f)
{
	if (!isfinite(v)) {
		worksheet_write_blank(x->ws, x->row, (lxw_col_t)col, f);
		return;
	}
	worksheet_write_number(x->ws, x->row, (lxw_col_t)col, v, f);
	char b[32];
	snprintf(b, sizeof b, "%.4g", v);
	track(x, col, b);
}

static void put_formula(struct xw *x, int col, const char *formula, double v, lxw_format *f)
{
	if (!isfinite(v))
		worksheet_write_blank(x->ws, x->row, (lxw_col_t)col, f);
	else
		worksheet_write_formula_num(x->ws, x->row, (lxw_col_t)col, formula, f, v);
}

static void put_date(struct xw *x, int col, const char *ymd, lxw_format *f)
{
	struct nl_date d;
	if (!ymd || date_parse(ymd, &d) != 0) {
		put_str(x, col, ymd, x->f.center);
		return;
	}
	lxw_datetime dt = { d.y, d.m, d.d, 0, 0, 0 };
	worksheet_write_datetime(x->ws, x->row, (lxw_col_t)col, &dt, f ? f : x->f.date);
	track(x, col, "2026-12-31");
}

/* A merged row from column 0 to last with wrapped text, its height estimated from the text (merged cells never
 * fit their height by themselves). */
static void put_merged(struct xw *x, int first, int last, const char *s, lxw_format *f, double units)
{
	doc_cell_text(s ? s : "", x->cell, CELL_MAX);
	double lines = 0, line = 0;
	const unsigned char *p = (const unsigned char *)x->cell;
	size_t n = strlen(x->cell);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += doc_utf8_next(p + i, n - i, &cp);
		if (cp == '\n') {
			lines += 1;
			line = 0;
			continue;
		}
		line += doc_cp_wide(cp) ? 2 : 1.05;
		if (line > units) {
			lines += 1;
			line = doc_cp_wide(cp) ? 2 : 1.05;
		}
	}
	lines += 1;
	double h = lines * 14.5 + 4;
	worksheet_set_row(x->ws, x->row, h > 409 ? 409 : h < 16 ? 16 : h, NULL);
	if (last > first)
		worksheet_merge_range(x->ws, x->row, (lxw_col_t)first, x->row, (lxw_col_t)last, x->cell, f);
	else
		worksheet_write_string(x->ws, x->row, (lxw_col_t)first, x->cell, f);
}

/* The sum of the widths of columns first..last as they will be set (for merged text). */
static double span_units(struct xw *x, int first, int last)
{
	double u = 0;
	for (int c = first; c <= last && c < XMAX_COLS; c++) {
		double w = x->width[c] < x->wmin[c] ? x->wmin[c] : x->width[c] > x->wmax[c] ? x->wmax[c] : x->width[c];
		u += w;
	}
	return u;
}

/* ---- Formats ---- */

static lxw_format *fmt(struct xw *x, int bold, int border, int wrap, uint8_t align, const char *num)
{
	lxw_format *f = workbook_add_format(x->wb);
	format_set_font_size(f, 10);
	if (bold)
		format_set_bold(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	if (border)
		format_set_border_color(f, 0x999999);
	if (wrap)
		format_set_text_wrap(f);
	format_set_align(f, align);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (num)
		format_set_num_format(f, num);
	return f;
}

static void formats(struct xw *x)
{
	x->f.title = workbook_add_format(x->wb);
	format_set_bold(x->f.title);
	format_set_font_size(x->f.title, 16);
	format_set_align(x->f.title, LXW_ALIGN_CENTER);
	format_set_align(x->f.title, LXW_ALIGN_VERTICAL_CENTER);
	x->f.info = workbook_add_format(x->wb);
	format_set_font_size(x->f.info, 9);
	format_set_font_color(x->f.info, 0x555555);
	format_set_align(x->f.info, LXW_ALIGN_CENTER);
	x->f.head = fmt(x, 1, 1, 1, LXW_ALIGN_CENTER, NULL);
	format_set_bg_color(x->f.head, 0xDCE6F1);
	format_set_align(x->f.head, LXW_ALIGN_VERTICAL_CENTER);
	x->f.text = fmt(x, 0, 1, 1, LXW_ALIGN_LEFT, NULL);
	x->f.textb = fmt(x, 1, 1, 1, LXW_ALIGN_LEFT, NULL);
	x->f.center = fmt(x, 0, 1, 1, LXW_ALIGN_CENTER, NULL);
	x->f.num = fmt(x, 0, 1, 0, LXW_ALIGN_RIGHT, NULL);   /* General: 45, 3.5, 4.61 */
	x->f.pct = fmt(x, 0, 1, 0, LXW_ALIGN_RIGHT, "0.0%");
	x->f.intg = fmt(x, 0, 1, 0, LXW_ALIGN_RIGHT, "#,##0");
	x->f.date = fmt(x, 0, 1, 0, LXW_ALIGN_CENTER, "yyyy-mm-dd");
	x->f.label = fmt(x, 1, 1, 1, LXW_ALIGN_LEFT, NULL);
	format_set_bg_color(x->f.label, 0xF2F2F2);
	x->f.section = workbook_add_format(x->wb);
	format_set_bold(x->f.section);
	format_set_font_size(x->f.section, 12);
	format_set_font_color(x->f.section, 0x1F3864);
	x->f.note = workbook_add_format(x->wb);
	format_set_font_size(x->f.note, 9);
	format_set_font_color(x->f.note, 0x666666);
	format_set_text_wrap(x->f.note);
	format_set_align(x->f.note, LXW_ALIGN_VERTICAL_TOP);
	x->f.para = fmt(x, 0, 1, 1, LXW_ALIGN_LEFT, NULL);
	x->f.sign_head = fmt(x, 1, 1, 0, LXW_ALIGN_CENTER, NULL);
	format_set_bg_color(x->f.sign_head, 0xDCE6F1);
	x->f.sign_cell = fmt(x, 0, 1, 0, LXW_ALIGN_CENTER, NULL);
	format_set_align(x->f.sign_cell, LXW_ALIGN_VERTICAL_CENTER);
	x->f.total = fmt(x, 1, 1, 0, LXW_ALIGN_RIGHT, "#,##0");
	format_set_bg_color(x->f.total, 0xF2F2F2);
	x->f.total_pct = fmt(x, 1, 1, 0, LXW_ALIGN_RIGHT, "0.0%");
	format_set_bg_color(x->f.total_pct, 0xF2F2F2);
	/* conditional fills (met / warning / missed) */
	x->f.green = workbook_add_format(x->wb);
	format_set_bg_color(x->f.green, 0xC6EFCE);
	format_set_font_color(x->f.green, 0x006100);
	x->f.amber = workbook_add_format(x->wb);
	format_set_bg_color(x->f.amber, 0xFFEB9C);
	format_set_font_color(x->f.amber, 0x9C5700);
	x->f.red = workbook_add_format(x->wb);
	format_set_bg_color(x->f.red, 0xFFC7CE);
	format_set_font_color(x->f.red, 0x9C0006);
}

/* ---- Sheets ---- */

static void sheet_name(struct doc_env *e, enum nl_doc_record r, char *out, size_t n)
{
	static const char *const zh[] = { "年度服务能力管理计划", "目标度量计划", "目标度量达成表", "工作执行跟踪表",
		"年度评估报告" };
	static const char *const en[] = { "Capability plan", "Measurement plan", "Achievement", "Tracking", "Evaluation" };
	snprintf(out, n, "%s", (unsigned)r < NL_ARRAY_LEN(zh) ? (e->lang == NL_DOC_EN ? en[r] : zh[r]) : "Sheet");
}

/* Starts a record's sheet: title, particulars, the header row at row 2 (frozen, repeated when printed). */
static void sheet_begin(struct xw *x, enum nl_doc_record r, const struct xcol *cols, int n, int freeze_cols,
	int landscape)
{
	struct doc_env *e = x->e;
	struct doc_meta m;
	char info[768];
	doc_meta_fill(e, r, &m);
	sheet_name(e, r, x->sheet, sizeof x->sheet);
	x->ws = workbook_add_worksheet(x->wb, x->sheet);
	x->row = 0;
	x->ncols = n > XMAX_COLS ? XMAX_COLS : n;
	for (int c = 0; c < XMAX_COLS; c++) {
		x->width[c] = 0;
		x->wmin[c] = 6;
		x->wmax[c] = 40;
	}
	worksheet_set_paper(x->ws, 9);   /* A4 */
	if (landscape)
		worksheet_set_landscape(x->ws);
	worksheet_fit_to_pages(x->ws, 1, 0);
	worksheet_set_margins(x->ws, 0.5, 0.5, 0.75, 0.75);
	char hf[512];
	snprintf(hf, sizeof hf, "&L&8%s&R&8%s %s", e->company, m.doc_number, m.version);
	for (char *p = hf; *p; p++)   /* a lone '&' would start a header code */
		if (*p == '&' && p[1] != 'L' && p[1] != 'R' && p[1] != '8')
			*p = '+';
	worksheet_set_header(x->ws, hf);
	worksheet_set_footer(x->ws, TR(e, "&C第 &P 页 / 共 &N 页", "&CPage &P of &N"));
	worksheet_repeat_rows(x->ws, 2, 2);
	/* row 0: the title; row 1: the particulars */
	worksheet_set_row(x->ws, 0, 30, NULL);
	doc_cell_text(m.title, x->cell, CELL_MAX);
	worksheet_merge_range(x->ws, 0, 0, 0, (lxw_col_t)(x->ncols - 1), x->cell, x->f.title);
	x->row = 1;
	snprintf(info, sizeof info, TR(e, "%s　　文件编号：%s　　版本：%s　　状态：%s　　发布日期：%s",
		"%s    Document No.: %s    Version: %s    Status: %s    Issued: %s"), e->company, m.doc_number, m.version,
		m.status, *m.issued ? m.issued : "—");
	doc_cell_text(info, x->cell, CELL_MAX);
	worksheet_merge_range(x->ws, 1, 0, 1, (lxw_col_t)(x->ncols - 1), x->cell, x->f.info);
	x->row = 2;
	worksheet_set_row(x->ws, 2, 30, NULL);
	for (int c = 0; c < x->ncols; c++) {
		x->wmin[c] = cols[c].min;
		x->wmax[c] = cols[c].max;
		put_str(x, c, cols[c].title, x->f.head);
	}
	worksheet_freeze_panes(x->ws, 3, (lxw_col_t)freeze_cols);
	x->row = 3;
}

/* Sets the column widths from the widest text seen, within each column's bounds. */
static void sheet_widths(struct xw *x)
{
	for (int c = 0; c < x->ncols; c++) {
		double w = x->width[c] < x->wmin[c] ? x->wmin[c] : x->width[c] > x->wmax[c] ? x->wmax[c] : x->width[c];
		worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
	}
}

/* An autofilter over the header row and the data rows first..last (inclusive). */
static void sheet_filter(struct xw *x, lxw_row_t last)
{
	if (last >= 3)
		worksheet_autofilter(x->ws, 2, 0, last, (lxw_col_t)(x->ncols - 1));
}

/* A section title on its own row. */
static void section(struct xw *x, const char *title)
{
	x->row++;
	double save = x->width[0];   /* a section title does not widen column A */
	put_str(x, 0, title, x->f.section);
	x->width[0] = save;
	x->row++;
}

/* A label in column 0 and a text merged over the other columns. */
static void label_text(struct xw *x, const char *label, const char *text)
{
	double save = x->width[0];
	put_str(x, 0, label, x->f.label);
	x->width[0] = save > 14 ? save : 14;
	put_merged(x, 1, x->ncols - 1, text && *text ? text : "—", x->f.para, span_units(x, 1, x->ncols - 1));
	x->row++;
}

/* The prepared / reviewed / approved block (no width tracking: it must not widen the table's columns). */
static void sign_block(struct xw *x, const struct doc_sign *s)
{
	struct doc_env *e = x->e;
	x->row += 2;
	doc_cell_text(TR(e, "签字", "Signatures"), x->cell, CELL_MAX);
	worksheet_write_string(x->ws, x->row, 0, x->cell, x->f.section);
	x->row++;
	int c0 = 0, span = x->ncols >= 9 ? 2 : 1;
	const char *heads[] = { "", s->role[0], s->role[1], s->role[2] };
	for (int k = 0; k < 4; k++) {
		int first = c0 + (k == 0 ? 0 : 1 + (k - 1) * span), last = k == 0 ? c0 : first + span - 1;
		doc_cell_text(heads[k], x->cell, CELL_MAX);
		if (last > first)
			worksheet_merge_range(x->ws, x->row, (lxw_col_t)first, x->row, (lxw_col_t)last, x->cell, x->f.sign_head);
		else
			worksheet_write_string(x->ws, x->row, (lxw_col_t)first, x->cell, x->f.sign_head);
	}
	for (int r = 0; r < 2; r++) {
		x->row++;
		worksheet_set_row(x->ws, x->row, r == 0 ? 30 : 18, NULL);
		for (int k = 0; k < 4; k++) {
			int first = c0 + (k == 0 ? 0 : 1 + (k - 1) * span), last = k == 0 ? c0 : first + span - 1;
			const char *t = k == 0 ? (r == 0 ? TR(e, "签名", "Signature") : TR(e, "日期", "Date"))
					       : r == 0 ? s->who[k - 1] : s->date[k - 1];
			doc_cell_text(t, x->cell, CELL_MAX);
			lxw_format *f = k == 0 ? x->f.sign_head : x->f.sign_cell;
			if (last > first)
				worksheet_merge_range(x->ws, x->row, (lxw_col_t)first, x->row, (lxw_col_t)last, x->cell, f);
			else if (*x->cell)
				worksheet_write_string(x->ws, x->row, (lxw_col_t)first, x->cell, f);
			else
				worksheet_write_blank(x->ws, x->row, (lxw_col_t)first, f);
		}
	}
	x->row++;
}

static const char *const element_keys[4] = { "people", "process", "technology", "resources" };

/* ---- The capability plan ---- */

static void sheet_plan(struct xw *x)
{
	struct doc_env *e = x->e;
	const json_t *p = e->plan;
	struct doc_meta m;
	const struct xcol cols[] = {
		{ TR(e, "要素", "Element"), 6, 10 }, { TR(e, "子领域", "Sub-area"), 8, 18 },
		{ TR(e, "现状", "Current state"), 14, 40 }, { TR(e, "目标", "Goal"), 14, 40 },
		{ TR(e, "措施", "Actions"), 14, 44 }, { TR(e, "责任部门", "Department"), 8, 18 },
		{ TR(e, "责任人", "Owner"), 8, 22 }, { TR(e, "完成日期", "Due"), 11, 11 },
		{ TR(e, "资源 / 预算", "Resources / budget"), 10, 24 }, { TR(e, "关联指标", "Metrics"), 10, 20 },
	};
	sheet_begin(x, NL_DOC_CAPABILITY_PLAN, cols, NL_ARRAY_LEN(cols), 2, 1);
	lxw_row_t first = x->row;
	for (int k = 0; p && k < 4; k++) {
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(p, "items"), i, it) {
			if (strcmp(doc_js(it, "element"), element_keys[k]) != 0)
				continue;
			char codes[512] = "";
			size_t j;
			json_t *mid;
			json_array_foreach(json_object_get(it, "metric_ids"), j, mid) {
				size_t l = strlen(codes);
				size_t q;
				json_t *mm;
				json_array_foreach(e->metrics, q, mm) {
					if (doc_ji(mm, "id") == json_integer_value(mid))
						snprintf(codes + l, sizeof codes - l, "%s%s", l ? "\n" : "", doc_js(mm, "code"));
				}
			}
			const char *en = doc_js(it, "area_name_en");
			put_str(x, 0, doc_element_name(e->lang, element_keys[k]), x->f.center);
			put_str(x, 1, e->lang == NL_DOC_EN && *en ? en : doc_js(it, "area_name"), x->f.text);
			put_str(x, 2, doc_js(it, "current_state"), x->f.text);
			put_str(x, 3, doc_js(it, "objective"), x->f.text);
			put_str(x, 4, doc_js(it, "measures"), x->f.text);
			put_str(x, 5, doc_js(it, "owner_department_name"), x->f.text);
			put_str(x, 6, doc_js(it, "owner_user_name"), x->f.text);
			put_date(x, 7, doc_js(it, "due_date"), NULL);
			put_str(x, 8, doc_js(it, "budget"), x->f.text);
			put_str(x, 9, codes, x->f.text);
			x->row++;
		}
	}
	sheet_filter(x, x->row > first ? x->row - 1 : first);
	if (!p) {
		put_str(x, 0, TR(e, "本年度尚未编制服务能力管理计划。", "No capability plan has been drafted for this year."), x->f.note);
		x->row++;
	}
	sheet_widths(x);
	if (p) {
		section(x, TR(e, "上年度回顾", "Review of the previous year"));
		label_text(x, TR(e, "目标与实际", "Targets and actuals"), doc_js(p, "review_achievements"));
		label_text(x, TR(e, "存在的问题", "Problems"), doc_js(p, "review_problems"));
		label_text(x, TR(e, "结转事项", "Carried-over items"), doc_js(p, "review_carryover"));
		section(x, TR(e, "执行跟踪计划", "Tracking plan"));
		label_text(x, TR(e, "跟踪频率", "Frequency"), doc_frequency_name(e->lang, doc_js(p, "tracking_frequency")));
		label_text(x, TR(e, "检查点", "Checkpoints"), doc_js(p, "tracking_checkpoints"));
		label_text(x, TR(e, "跟踪人", "Tracker"), doc_js(p, "tracker_name"));
		label_text(x, TR(e, "跟踪方式", "Method"), doc_js(p, "tracking_plan"));
		section(x, TR(e, "评审会议", "Review meetings"));
		const char *mh[] = { TR(e, "日期", "Date"), TR(e, "版本", "Version"), TR(e, "参加人员", "Attendees"),
			TR(e, "会议纪要", "Minutes"), TR(e, "结论", "Decision") };
		for (int c = 0; c < 5; c++)
			worksheet_write_string(x->ws, x->row, (lxw_col_t)c, mh[c], x->f.head);
		x->row++;
		size_t i;
		json_t *mt;
		json_array_foreach(json_object_get(p, "meetings"), i, mt) {
			char v[16];
			snprintf(v, sizeof v, "V%lld", (long long)doc_ji(mt, "plan_version"));
			put_date(x, 0, doc_js(mt, "held_on"), NULL);
			put_str(x, 1, v, x->f.center);
			put_str(x, 2, doc_js(mt, "attendees"), x->f.text);
			put_str(x, 3, doc_js(mt, "minutes"), x->f.text);
			put_str(x, 4, !strcmp(doc_js(mt, "decision"), "pass") ? TR(e, "通过", "Pass") : TR(e, "修改后再审", "Revise"),
				x->f.center);
			x->row++;
		}
	}
	doc_meta_fill(e, NL_DOC_CAPABILITY_PLAN, &m);
	sign_block(x, &m.sign);
}

/* ---- The measurement plan ---- */

static void sheet_measurement(struct xw *x)
{
	struct doc_env *e = x->e;
	struct doc_meta m;
	const struct xcol cols[] = {
		{ TR(e, "编号", "Code"), 10, 20 }, { TR(e, "指标名称", "Metric"), 12, 26 }, { TR(e, "要素", "Element"), 6, 12 },
		{ TR(e, "定义", "Definition"), 16, 44 }, { TR(e, "计算公式", "Formula"), 12, 36 },
		{ TR(e, "单位", "Unit"), 6, 10 }, { TR(e, "方向", "Direction"), 10, 18 }, { TR(e, "目标值", "Target"), 8, 12 },
		{ TR(e, "预警值", "Warning"), 8, 12 }, { TR(e, "频率", "Frequency"), 6, 10 },
		{ TR(e, "数据来源", "Data source"), 10, 24 }, { TR(e, "度量方法", "Method"), 14, 40 },
		{ TR(e, "责任部门", "Owner"), 8, 18 },
	};
	sheet_begin(x, NL_DOC_MEASUREMENT_PLAN, cols, NL_ARRAY_LEN(cols), 2, 1);
	for (int k = 0; k < 4; k++) {
		size_t i;
		json_t *mt;
		json_array_foreach(e->metrics, i, mt) {
			if (strcmp(doc_js(mt, "element"), element_keys[k]) != 0)
				continue;
			const char *unit = doc_js(mt, "unit"), *en = doc_js(mt, "name_en");
			int ratio = doc_unit_ratio(unit);
			const char *ul = doc_unit_label(e->lang, unit);
			put_str(x, 0, doc_js(mt, "code"), x->f.text);
			put_str(x, 1, e->lang == NL_DOC_EN && *en ? en : doc_js(mt, "name"), x->f.text);
			put_str(x, 2, doc_element_name(e->lang, element_keys[k]), x->f.center);
			put_str(x, 3, doc_js(mt, "definition"), x->f.text);
			put_str(x, 4, doc_js(mt, "formula"), x->f.text);
			put_str(x, 5, ratio ? "%" : *ul ? ul : TR(e, "个", "count"), x->f.center);
			put_str(x, 6, doc_direction_name(e->lang, doc_js(mt, "direction")), x->f.center);
			put_num(x, 7, doc_jn(mt, "target"), ratio ? x->f.pct : x->f.num);
			put_num(x, 8, doc_jn(mt, "warning"), ratio ? x->f.pct : x->f.num);
			put_str(x, 9, doc_frequency_name(e->lang, doc_js(mt, "frequency")), x->f.center);
			put_str(x, 10, doc_source_name(e->lang, doc_js(mt, "source")), x->f.text);
			put_str(x, 11, doc_js(mt, "method"), x->f.text);
			put_str(x, 12, doc_dept_name(e, doc_ji(mt, "owner_department_id")), x->f.text);
			x->row++;
		}
	}
	sheet_filter(x, x->row - 1);
	sheet_widths(x);
	doc_meta_fill(e, NL_DOC_MEASUREMENT_PLAN, &m);
	sign_block(x, &m.sign);
}

/* ---- The achievement table ---- */

static void status_colours(struct xw *x, lxw_row_t r0, lxw_row_t r1, int first_col, int last_col, const char *status_ref)
{
	struct doc_env *e = x->e;
	const char *names[3] = { doc_status_name(e->lang, "met"), doc_status_name(e->lang, "warning"),
		doc_status_name(e->lang, "missed") };
	lxw_format *fills[3] = { x->f.green, x->f.amber, x->f.red };
	for (int k = 0; k < 3; k++) {
		char formula[128];
		snprintf(formula, sizeof formula, "=%s=\"%s\"", status_ref, names[k]);
		lxw_conditional_format cf;
		memset(&cf, 0, sizeof cf);
		cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
		cf.value_string = formula;
		cf.format = fills[k];
		worksheet_conditional_format_range(x->ws, r0, (lxw_col_t)first_col, r1, (lxw_col_t)last_col, &cf);
	}
}

static void sheet_achievement(struct xw *x)
{
	struct doc_env *e = x->e;
	struct doc_meta m;
	const struct xcol cols[] = {
		{ TR(e, "编号", "Code"), 10, 20 }, { TR(e, "指标名称", "Metric"), 12, 26 }, { TR(e, "要素", "Element"), 6, 12 },
		{ TR(e, "期间", "Period"), 8, 10 }, { TR(e, "分子", "Numerator"), 7, 12 }, { TR(e, "分母", "Denominator"), 7, 12 },
		{ TR(e, "实际值", "Actual"), 8, 12 }, { TR(e, "目标值", "Target"), 8, 12 }, { TR(e, "预警值", "Warning"), 8, 12 },
		{ TR(e, "达成率", "Rate"), 8, 10 }, { TR(e, "状态", "Status"), 7, 10 }, { TR(e, "趋势", "Trend"), 7, 10 },
		{ TR(e, "偏差分析", "Deviation analysis"), 14, 40 }, { TR(e, "纠正措施", "Corrective action"), 14, 40 },
		{ TR(e, "证据", "Evidence"), 10, 30 }, { TR(e, "记录人", "Recorder"), 8, 20 },
		{ TR(e, "记录日期", "Recorded"), 11, 11 }, { TR(e, "审核人", "Reviewer"), 8, 20 },
		{ TR(e, "审核日期", "Reviewed"), 11, 11 }, { TR(e, "已关闭", "Closed"), 6, 8 },
	};
	sheet_begin(x, NL_DOC_ACHIEVEMENT, cols, NL_ARRAY_LEN(cols), 2, 1);
	lxw_row_t first = x->row;
	size_t i, j;
	json_t *row, *v;
	json_array_foreach(e->table, i, row) {
		const json_t *mt = json_object_get(row, "metric");
		const char *unit = doc_js(mt, "unit"), *en = doc_js(mt, "name_en");
		int ratio = doc_unit_ratio(unit), lower = !strcmp(doc_js(mt, "direction"), "lower_better");
		json_array_foreach(json_object_get(row, "values"), j, v) {
			struct nl_period p;
			struct nl_date d0;
			double actual = doc_jn(v, "actual"), target = doc_jn(v, "target"), rate = doc_jn(v, "rate");
			if (!isfinite(actual) && (period_parse(doc_js(v, "period"), &p) != 0 || period_first_date(p, &d0) != 0 ||
							date_cmp(d0, e->today) > 0))
				continue;
			if (!isfinite(target))
				target = doc_jn(mt, "target");
			char d[NL_DATE_STRLEN], formula[64];
			unsigned r1 = (unsigned)x->row + 1;   /* the 1-based row of this line in formulas */
			put_str(x, 0, doc_js(mt, "code"), x->f.text);
			put_str(x, 1, e->lang == NL_DOC_EN && *en ? en : doc_js(mt, "name"), x->f.text);
			put_str(x, 2, doc_element_name(e->lang, doc_js(mt, "element")), x->f.center);
			put_str(x, 3, doc_js(v, "period"), x->f.center);
			put_num(x, 4, doc_jn(v, "numerator"), x->f.num);
			put_num(x, 5, doc_jn(v, "denominator"), x->f.num);
			put_num(x, 6, actual, ratio ? x->f.pct : x->f.num);
			put_num(x, 7, target, ratio ? x->f.pct : x->f.num);
			put_num(x, 8, isfinite(doc_jn(v, "warning")) ? doc_jn(v, "warning") : doc_jn(mt, "warning"),
				ratio ? x->f.pct : x->f.num);
			/* the rate as a formula of the row's own cells, cached with the value the rules computed */
			snprintf(formula, sizeof formula, lower ? "=H%u/G%u" : "=G%u/H%u", r1, r1);
			put_formula(x, 9, formula, rate, x->f.pct);
			const char *st = doc_js(v, "status");
			put_str(x, 10, *st ? doc_status_name(e->lang, st) : "", x->f.center);
			put_str(x, 11, doc_trend_name(e->lang, doc_js(v, "trend")), x->f.center);
			put_str(x, 12, doc_js(v, "deviation_analysis"), x->f.text);
			put_str(x, 13, doc_js(v, "corrective_action"), x->f.text);
			put_str(x, 14, doc_js(v, "evidence"), x->f.text);
			put_str(x, 15, doc_js(v, "recorded_by_name"), x->f.text);
			doc_date_of(e, doc_js(v, "recorded_at"), d);
			put_date(x, 16, d, NULL);
			put_str(x, 17, doc_js(v, "reviewed_by_name"), x->f.text);
			doc_date_of(e, doc_js(v, "reviewed_at"), d);
			put_date(x, 18, d, NULL);
			put_str(x, 19, json_is_true(json_object_get(v, "closed")) ? TR(e, "是", "yes") : TR(e, "否", "no"), x->f.center);
			x->row++;
		}
	}
	lxw_row_t last = x->row - 1;
	if (last >= first) {
		char ref[16];
		snprintf(ref, sizeof ref, "$K%u", (unsigned)first + 1);
		status_colours(x, first, last, 9, 10, ref);
	}
	sheet_filter(x, last);
	sheet_widths(x);

	/* The year's standing per metric, with counts, and the native chart of it. */
	section(x, TR(e, "年度达成率汇总", "Achievement per metric for the year"));
	const char *sh[] = { TR(e, "编号", "Code"), TR(e, "指标名称", "Metric"), TR(e, "期间", "Period"),
		TR(e, "年度达成率", "Rate"), TR(e, "目标", "Target"), TR(e, "状态", "Status") };
	for (int c = 0; c < 6; c++)
		worksheet_write_string(x->ws, x->row, (lxw_col_t)c, sh[c], x->f.head);
	x->row++;
	lxw_row_t s0 = x->row;
	long met = 0, warn = 0, missed = 0;
	size_t n = json_array_size(e->table);
	lxw_chart_point *points = calloc(n ? n : 1, sizeof *points);
	lxw_chart_fill *fills = calloc(n ? n : 1, sizeof *fills);
	lxw_chart_point **pp = calloc(n + 1, sizeof *pp);
	json_array_foreach(e->table, i, row) {
		const json_t *mt = json_object_get(row, "metric");
		const json_t *sv = doc_standing_value(row, e->year);
		const char *st = sv ? doc_js(sv, "status") : "";
		const char *en = doc_js(mt, "name_en");
		put_str(x, 0, doc_js(mt, "code"), x->f.text);
		put_str(x, 1, e->lang == NL_DOC_EN && *en ? en : doc_js(mt, "name"), x->f.text);
		put_str(x, 2, sv ? doc_js(sv, "period") : "", x->f.center);
		put_num(x, 3, sv ? doc_jn(sv, "rate") : NAN, x->f.pct);
		put_num(x, 4, 1.0, x->f.pct);
		put_str(x, 5, doc_status_name(e->lang, st), x->f.center);
		met += !strcmp(st, "met");
		warn += !strcmp(st, "warning");
		missed += !strcmp(st, "missed");
		if (points && fills && pp) {
			int tone = !strcmp(st, "met") ? DOC_TONE_MET : !strcmp(st, "warning") ? DOC_TONE_WARNING
				: !strcmp(st, "missed") ? DOC_TONE_MISSED : DOC_TONE_MUTED;
			fills[i].color = (lxw_color_t)strtoul(doc_tone_hex(tone, 0), NULL, 16);
			points[i].fill = &fills[i];
			pp[i] = &points[i];
		}
		x->row++;
	}
	lxw_row_t s1 = x->row - 1;
	if (s1 >= s0) {
		char ref[16];
		snprintf(ref, sizeof ref, "$F%u", (unsigned)s0 + 1);
		status_colours(x, s0, s1, 3, 5, ref);
	}
	/* counts by formula, cached with the values computed here */
	const char *labels[3] = { doc_status_name(e->lang, "met"), doc_status_name(e->lang, "warning"),
		doc_status_name(e->lang, "missed") };
	long counts[3] = { met, warn, missed };
	for (int k = 0; k < 3; k++) {
		char formula[96];
		snprintf(formula, sizeof formula, "=COUNTIF(F%u:F%u,\"%s\")", (unsigned)s0 + 1, (unsigned)(s1 >= s0 ? s1 : s0) + 1,
			labels[k]);
		put_str(x, 4, labels[k], x->f.label);
		put_formula(x, 5, formula, (double)counts[k], x->f.total);
		x->row++;
	}
	if (s1 >= s0 && n) {
		lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
		lxw_chart_series *sr = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(sr, x->sheet, s0, 0, s1, 0);
		chart_series_set_values(sr, x->sheet, s0, 3, s1, 3);
		chart_series_set_name(sr, TR(e, "年度达成率", "Achievement"));
		if (points && fills && pp)
			chart_series_set_points(sr, pp);
		chart_series_set_labels(sr);
		chart_series_set_labels_num_format(sr, "0.0%");
		lxw_chart_series *tg = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(tg, x->sheet, s0, 0, s1, 0);
		chart_series_set_values(tg, x->sheet, s0, 4, s1, 4);
		chart_series_set_name(tg, TR(e, "目标 100%", "Target 100%"));
		lxw_chart_fill none = { .none = LXW_TRUE };
		lxw_chart_line red = { .color = 0xC62828, .width = 2.0, .dash_type = LXW_CHART_LINE_DASH_DASH };
		chart_series_set_fill(tg, &none);
		chart_series_set_line(tg, &red);
		chart_set_series_overlap(ch, 100);
		chart_set_series_gap(ch, 60);
		chart_title_set_name(ch, TR(e, "各指标年度达成率（目标 = 100%）", "Achievement per metric (target = 100%)"));
		chart_axis_set_num_format(ch->y_axis, "0%");
		chart_axis_set_min(ch->y_axis, 0);
		chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
		lxw_chart_options opt = { .x_offset = 10, .y_offset = 10, .x_scale = 1.6, .y_scale = 1.3 };
		worksheet_insert_chart_opt(x->ws, s0 - 1, 7, ch, &opt);
		x->row = x->row < s0 + 22 ? s0 + 22 : x->row;   /* leave the chart's rows */
	}
	doc_meta_fill(e, NL_DOC_ACHIEVEMENT, &m);
	sign_block(x, &m.sign);
	free(points);
	free(fills);
	free(pp);
}

/* ---- The tracking table ---- */

static int tracking_row(void *arg, json_t *t)
{
	struct xw *x = arg;
	struct doc_env *e = x->e;
	const json_t *checks = json_object_get(t, "checks");
	const json_t *last = json_array_size(checks) ? json_array_get(checks, json_array_size(checks) - 1) : NULL;
	const json_t *lp = json_object_get(t, "latest_progress");
	int overdue = json_is_true(json_object_get(t, "overdue"));
	const char *dn = doc_dept_name(e, doc_ji(t, "department_id"));
	const char *area = doc_js(t, "plan_item_area");
	const char *area_name = area;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(e->plan, "items"), i, it) {
		if (doc_ji(it, "id") == doc_ji(t, "plan_item_id")) {
			const char *en = doc_js(it, "area_name_en");
			area_name = e->lang == NL_DOC_EN && *en ? en : doc_js(it, "area_name");
		}
	}
	put_num(x, 0, (double)(x->row - 2), x->f.intg);
	put_str(x, 1, doc_element_name(e->lang, doc_js(t, "element")), x->f.center);
	put_str(x, 2, area_name, x->f.text);
	put_str(x, 3, doc_js(t, "title"), x->f.text);
	put_str(x, 4, doc_js(t, "deliverable"), x->f.text);
	put_str(x, 5, *dn ? dn : doc_js(t, "department"), x->f.text);
	put_str(x, 6, doc_js(t, "owner"), x->f.text);
	put_date(x, 7, doc_js(t, "planned_start"), NULL);
	put_date(x, 8, doc_js(t, "planned_end"), NULL);
	put_date(x, 9, doc_js(t, "actual_end"), NULL);
	put_num(x, 10, (double)doc_ji(t, "percent") / 100.0, x->f.pct);
	put_str(x, 11, doc_work_status_name(e->lang, doc_js(t, "status")), x->f.center);
	put_str(x, 12, overdue ? TR(e, "是", "yes") : TR(e, "否", "no"), x->f.center);
	put_num(x, 13, (double)doc_ji(t, "delay_days"), x->f.intg);
	put_str(x, 14, last ? doc_js(last, "deviation_reason") : "", x->f.text);
	put_str(x, 15, last ? doc_js(last, "corrective_action") : "", x->f.text);
	put_str(x, 16, last ? doc_js(last, "finding") : "", x->f.text);
	put_str(x, 17, last ? doc_js(last, "checker") : "", x->f.text);
	put_date(x, 18, last ? doc_js(last, "checked_on") : "", NULL);
	put_str(x, 19, lp ? doc_js(lp, "evidence") : "", x->f.text);
	x->row++;
	return 0;
}

static int sheet_tracking(struct xw *x)
{
	struct doc_env *e = x->e;
	struct doc_meta m;
	const struct xcol cols[] = {
		{ "#", 5, 8 }, { TR(e, "要素", "Element"), 6, 12 }, { TR(e, "计划事项", "Plan item"), 10, 20 },
		{ TR(e, "工作项", "Work item"), 16, 36 }, { TR(e, "交付物", "Deliverable"), 10, 28 },
		{ TR(e, "部门", "Department"), 8, 18 }, { TR(e, "责任人", "Owner"), 8, 22 },
		{ TR(e, "计划开始", "Start"), 11, 11 }, { TR(e, "计划完成", "Planned end"), 11, 11 },
		{ TR(e, "实际完成", "Actual end"), 11, 11 }, { TR(e, "进度", "Progress"), 6, 9 },
		{ TR(e, "状态", "Status"), 7, 12 }, { TR(e, "逾期", "Overdue"), 6, 8 }, { TR(e, "延期天数", "Delay (days)"), 6, 10 },
		{ TR(e, "偏差原因", "Cause"), 12, 36 }, { TR(e, "纠正措施", "Corrective action"), 12, 36 },
		{ TR(e, "检查结论", "Finding"), 12, 36 }, { TR(e, "跟踪人", "Tracker"), 8, 20 },
		{ TR(e, "检查日期", "Checked"), 11, 11 }, { TR(e, "证据", "Evidence"), 10, 30 },
	};
	sheet_begin(x, NL_DOC_TRACKING, cols, NL_ARRAY_LEN(cols), 4, 1);
	lxw_row_t first = x->row;
	int rc = doc_env_tasks_each(e, tracking_row, x);
	if (rc)
		return rc;
	lxw_row_t last = x->row - 1;
	if (last >= first) {
		/* overdue rows in red over the whole line; done late in amber on the status */
		char formula[64];
		snprintf(formula, sizeof formula, "=$M%u=\"%s\"", (unsigned)first + 1, TR(e, "是", "yes"));
		lxw_conditional_format cf;
		memset(&cf, 0, sizeof cf);
		cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
		cf.value_string = formula;
		cf.format = x->f.red;
		worksheet_conditional_format_range(x->ws, first, 0, last, (lxw_col_t)(x->ncols - 1), &cf);
	}
	sheet_filter(x, last);
	sheet_widths(x);
	/* by department, with totals by formula */
	section(x, TR(e, "各部门完成情况", "Completion by department"));
	const char *hh[] = { TR(e, "部门", "Department"), TR(e, "工作项", "Items"), TR(e, "按期完成", "On time"),
		TR(e, "延期完成", "Late"), TR(e, "未完成", "Open"), TR(e, "其中逾期", "Overdue"), TR(e, "已取消", "Cancelled"),
		TR(e, "完成率", "Completion") };
	for (int c = 0; c < 8; c++)
		worksheet_write_string(x->ws, x->row, (lxw_col_t)c, hh[c], x->f.head);
	x->row++;
	lxw_row_t d0 = x->row;
	for (size_t i = 0; i <= e->ntask_depts; i++) {
		const struct doc_task_counts *c = i < e->ntask_depts ? &e->task_depts[i] : &e->task_total;
		int tot = i == e->ntask_depts;
		unsigned r1 = (unsigned)x->row + 1;
		char f[160];
		put_str(x, 0, c->department, tot ? x->f.label : x->f.text);
		long vals[6] = { c->total, c->on_time, c->late, c->open, c->overdue, c->cancelled };
		for (int k = 0; k < 6; k++) {
			if (tot && x->row > d0) {
				char col = (char)('B' + k);
				snprintf(f, sizeof f, "=SUM(%c%u:%c%u)", col, (unsigned)d0 + 1, col, (unsigned)x->row);
				put_formula(x, 1 + k, f, (double)vals[k], x->f.total);
			} else {
				put_num(x, 1 + k, (double)vals[k], tot ? x->f.total : x->f.intg);
			}
		}
		long base = c->total - c->cancelled;
		snprintf(f, sizeof f, "=IF(B%u-G%u>0,(C%u+D%u)/(B%u-G%u),\"\")", r1, r1, r1, r1, r1, r1);
		put_formula(x, 7, f, base > 0 ? (double)(c->on_time + c->late) / (double)base : NAN,
			tot ? x->f.total_pct : x->f.pct);
		x->row++;
	}
	doc_meta_fill(e, NL_DOC_TRACKING, &m);
	sign_block(x, &m.sign);
	return 0;
}

/* ---- The evaluation report ---- */

static const char *en_or(struct doc_env *e, const json_t *o, const char *zh_key, const char *en_key)
{
	const char *en = doc_js(o, en_key);
	return e->lang == NL_DOC_EN && *en ? en : doc_js(o, zh_key);
}

static void eval_title(struct xw *x, const json_t *ev, const char *key, int n)
{
	static const char *const zh[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };
	char t[320];
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(ev, "sections"), i, s) {
		if (!strcmp(doc_js(s, "key"), key)) {
			if (x->e->lang == NL_DOC_EN)
				snprintf(t, sizeof t, "%d  %s", n, doc_js(s, "title_en"));
			else
				snprintf(t, sizeof t, "%s、%s", n >= 1 && n <= 10 ? zh[n - 1] : "", doc_js(s, "title"));
			section(x, t);
			return;
		}
	}
	section(x, key);
}

static void heads(struct xw *x, const char *const *h, int n)
{
	for (int c = 0; c < n; c++) {
		doc_cell_text(h[c], x->cell, CELL_MAX);
		worksheet_write_string(x->ws, x->row, (lxw_col_t)c, x->cell, x->f.head);
	}
	x->row++;
}

static void sheet_evaluation(struct xw *x)
{
	struct doc_env *e = x->e;
	const json_t *ev = e->evaluation;
	struct doc_meta m;
	char buf[1024];
	int sec = 0;
	size_t i;
	json_t *it;
	const struct xcol cols[] = {
		{ TR(e, "项目", "Item"), 16, 16 }, { TR(e, "内容", "Content"), 40, 40 }, { "", 12, 12 }, { "", 12, 12 },
		{ "", 11, 11 }, { "", 11, 11 }, { "", 11, 11 }, { "", 11, 11 },
	};
	sheet_begin(x, NL_DOC_EVALUATION, cols, NL_ARRAY_LEN(cols), 0, 0);
	sheet_widths(x);   /* fixed widths (min = max): the report below is in sections, its tables share the columns */
	eval_title(x, ev, "purpose", ++sec);
	label_text(x, TR(e, "目的和依据", "Purpose"), doc_js(ev, "purpose"));
	eval_title(x, ev, "method", ++sec);
	label_text(x, TR(e, "方法和数据来源", "Method"), doc_js(ev, "method"));

	eval_title(x, ev, "plan_completion", ++sec);
	{
		const json_t *pc = json_object_get(ev, "plan_completion");
		const char *h[] = { TR(e, "部门", "Department"), TR(e, "工作项", "Items"), TR(e, "按期完成", "On time"),
			TR(e, "延期完成", "Late"), TR(e, "未完成", "Open"), TR(e, "其中逾期", "Overdue"), TR(e, "已取消", "Cancelled"),
			TR(e, "完成率", "Completion") };
		heads(x, h, 8);
		lxw_row_t d0 = x->row;
		json_array_foreach(json_object_get(json_object_get(ev, "tasks"), "by_department"), i, it) {
			const char *dn = doc_dept_name(e, doc_ji(it, "department_id"));
			unsigned r1 = (unsigned)x->row + 1;
			char f[128];
			put_str(x, 0, *dn ? dn : doc_js(it, "department"), x->f.text);
			put_num(x, 1, (double)doc_ji(it, "total"), x->f.intg);
			put_num(x, 2, (double)doc_ji(it, "done_on_time"), x->f.intg);
			put_num(x, 3, (double)doc_ji(it, "done_late"), x->f.intg);
			put_num(x, 4, (double)doc_ji(it, "open"), x->f.intg);
			put_num(x, 5, (double)doc_ji(it, "overdue"), x->f.intg);
			put_num(x, 6, (double)doc_ji(it, "cancelled"), x->f.intg);
			long base = (long)(doc_ji(it, "total") - doc_ji(it, "cancelled"));
			snprintf(f, sizeof f, "=IF(B%u-G%u>0,(C%u+D%u)/(B%u-G%u),\"\")", r1, r1, r1, r1, r1, r1);
			put_formula(x, 7, f, base > 0 ? (double)(doc_ji(it, "done_on_time") + doc_ji(it, "done_late")) / (double)base
				: NAN, x->f.pct);
			x->row++;
		}
		if (x->row > d0) {
			put_str(x, 0, TR(e, "合计", "Total"), x->f.label);
			const char *keys[6] = { "tasks_total", "done_on_time", "done_late", "open", "overdue", "cancelled" };
			for (int k = 0; k < 6; k++) {
				char f[64], col = (char)('B' + k);
				snprintf(f, sizeof f, "=SUM(%c%u:%c%u)", col, (unsigned)d0 + 1, col, (unsigned)x->row);
				put_formula(x, 1 + k, f, (double)doc_ji(pc, keys[k]), x->f.total);
			}
			put_num(x, 7, doc_jn(pc, "completion_rate"), x->f.total_pct);
			x->row++;
		}
		char cr[32], otr[32];
		doc_rate_text(doc_jn(pc, "completion_rate"), cr, sizeof cr);
		doc_rate_text(doc_jn(pc, "on_time_rate"), otr, sizeof otr);
		snprintf(buf, sizeof buf, TR(e, "完成率 %s，按期完成率 %s；质量检查 %lld 次，已验证 %lld 次，未关闭 %lld 次。",
			"Completion %s, on time %s; %lld checks, %lld verified, %lld open."), cr, otr,
			(long long)doc_ji(pc, "checks_total"), (long long)doc_ji(pc, "checks_verified"),
			(long long)doc_ji(pc, "checks_open"));
		label_text(x, TR(e, "说明", "Note"), buf);
	}

	eval_title(x, ev, "metrics", ++sec);
	{
		const json_t *mt = json_object_get(ev, "metrics");
		const char *h[] = { TR(e, "要素", "Element"), TR(e, "指标数", "Metrics"), TR(e, "达标", "Met"),
			TR(e, "预警", "Warning"), TR(e, "未达标", "Missed"), TR(e, "无数据", "No data") };
		heads(x, h, 6);
		for (int k = 0; k < 4; k++) {
			const json_t *b = json_object_get(json_object_get(mt, "by_element"), element_keys[k]);
			put_str(x, 0, doc_element_name(e->lang, element_keys[k]), x->f.text);
			put_num(x, 1, (double)doc_ji(b, "total"), x->f.intg);
			put_num(x, 2, (double)doc_ji(b, "met"), x->f.intg);
			put_num(x, 3, (double)doc_ji(b, "warning"), x->f.intg);
			put_num(x, 4, (double)doc_ji(b, "missed"), x->f.intg);
			put_num(x, 5, (double)doc_ji(b, "no_data"), x->f.intg);
			x->row++;
		}
		x->row++;
		const char *h2[] = { TR(e, "编号", "Code"), TR(e, "指标名称", "Metric"), TR(e, "要素", "Element"),
			TR(e, "期间", "Period"), TR(e, "目标值", "Target"), TR(e, "实际值", "Actual"), TR(e, "达成率", "Rate"),
			TR(e, "状态", "Status") };
		heads(x, h2, 8);
		lxw_row_t r0 = x->row;
		json_array_foreach(json_object_get(mt, "rows"), i, it) {
			int ratio = doc_unit_ratio(doc_js(it, "unit"));
			put_str(x, 0, doc_js(it, "code"), x->f.text);
			put_str(x, 1, doc_js(it, "name"), x->f.text);
			put_str(x, 2, doc_element_name(e->lang, doc_js(it, "element")), x->f.center);
			put_str(x, 3, doc_js(it, "period"), x->f.center);
			put_num(x, 4, doc_jn(it, "target"), ratio ? x->f.pct : x->f.num);
			put_num(x, 5, doc_jn(it, "actual"), ratio ? x->f.pct : x->f.num);
			put_num(x, 6, doc_jn(it, "rate"), x->f.pct);
			put_str(x, 7, doc_status_name(e->lang, doc_js(it, "status")), x->f.center);
			x->row++;
		}
		if (x->row > r0) {
			char ref[16];
			snprintf(ref, sizeof ref, "$H%u", (unsigned)r0 + 1);
			status_colours(x, r0, x->row - 1, 6, 7, ref);
		}
	}

	eval_title(x, ev, "analysis_by_element", ++sec);
	json_array_foreach(json_object_get(ev, "analysis_by_element"), i, it)
		label_text(x, en_or(e, it, "name", "name_en"), en_or(e, it, "text", "text_en"));

	eval_title(x, ev, "problems", ++sec);
	json_array_foreach(json_object_get(ev, "problems"), i, it) {
		char n[24];
		const char *el = doc_js(it, "element");
		snprintf(n, sizeof n, "%zu", i + 1);
		snprintf(buf, sizeof buf, "%s%s%s%s", en_or(e, it, "text", "text_en"), *el ? TR(e, "（要素：", " (element: ") : "",
			*el ? doc_element_name(e->lang, el) : "", *el ? TR(e, "）", ")") : "");
		label_text(x, n, buf);
	}
	if (!json_array_size(json_object_get(ev, "problems")))
		label_text(x, "—", TR(e, "（无）", "(none)"));

	eval_title(x, ev, "conclusion", ++sec);
	{
		const char *concl = doc_js(ev, "conclusion");
		if (e->lang == NL_DOC_EN && !json_is_true(json_object_get(ev, "conclusion_edited")) &&
			*doc_js(ev, "generated_conclusion_en"))
			concl = doc_js(ev, "generated_conclusion_en");
		label_text(x, TR(e, "结论", "Conclusion"), concl);
	}

	eval_title(x, ev, "suggestions", ++sec);
	{
		const char *h[] = { "#", TR(e, "改进建议", "Suggestion"), TR(e, "责任部门", "Department"),
			TR(e, "责任人", "Owner"), TR(e, "完成日期", "Due"), TR(e, "优先级", "Priority") };
		heads(x, h, 6);
		json_array_foreach(json_object_get(ev, "suggestions"), i, it) {
			put_num(x, 0, (double)(i + 1), x->f.intg);
			put_str(x, 1, en_or(e, it, "text", "text_en"), x->f.text);
			put_str(x, 2, doc_dept_name(e, doc_ji(it, "owner_department_id")), x->f.text);
			put_str(x, 3, doc_user_name(e, doc_ji(it, "owner_user_id")), x->f.text);
			put_date(x, 4, doc_js(it, "due_date"), NULL);
			put_str(x, 5, doc_priority_name(e->lang, doc_js(it, "priority")), x->f.center);
			x->row++;
		}
	}
	eval_title(x, ev, "approval", ++sec);
	doc_meta_fill(e, NL_DOC_EVALUATION, &m);
	snprintf(buf, sizeof buf, "%s", m.status);
	label_text(x, TR(e, "报告状态", "Status"), buf);
	sign_block(x, &m.sign);
}

/* ---- The change history sheet ---- */

static void sheet_changes(struct xw *x, int first, int last)
{
	struct doc_env *e = x->e;
	struct doc_change *ch = calloc(64, sizeof *ch);
	const struct xcol cols[] = {
		{ TR(e, "文件", "Document"), 12, 30 }, { TR(e, "版本", "Version"), 6, 8 }, { TR(e, "日期", "Date"), 11, 11 },
		{ TR(e, "变更内容", "Change"), 20, 70 }, { TR(e, "编写人", "Author"), 10, 24 },
		{ TR(e, "批准人", "Approver"), 10, 24 }, { TR(e, "批准日期", "Approved on"), 11, 11 },
	};
	snprintf(x->sheet, sizeof x->sheet, "%s", TR(e, "变更履历", "Change history"));
	x->ws = workbook_add_worksheet(x->wb, x->sheet);
	x->ncols = (int)NL_ARRAY_LEN(cols);
	for (int c = 0; c < x->ncols; c++) {
		x->width[c] = 0;
		x->wmin[c] = cols[c].min;
		x->wmax[c] = cols[c].max;
	}
	worksheet_set_paper(x->ws, 9);
	worksheet_set_landscape(x->ws);
	worksheet_fit_to_pages(x->ws, 1, 0);
	worksheet_set_footer(x->ws, TR(e, "&C第 &P 页 / 共 &N 页", "&CPage &P of &N"));
	worksheet_set_row(x->ws, 0, 30, NULL);
	doc_cell_text(TR(e, "变更履历", "Change history"), x->cell, CELL_MAX);
	worksheet_merge_range(x->ws, 0, 0, 0, (lxw_col_t)(x->ncols - 1), x->cell, x->f.title);
	x->row = 1;
	snprintf(x->cell, CELL_MAX, "%s　%d", e->company, e->year);
	worksheet_merge_range(x->ws, 1, 0, 1, (lxw_col_t)(x->ncols - 1), x->cell, x->f.info);
	x->row = 2;
	for (int c = 0; c < x->ncols; c++)
		put_str(x, c, cols[c].title, x->f.head);
	worksheet_freeze_panes(x->ws, 3, 0);
	worksheet_repeat_rows(x->ws, 2, 2);
	x->row = 3;
	/* the plan's history stands for the plan and the records made under it; the evaluation has its own */
	int plan_done = 0;
	for (int r = first; ch && r <= last; r++) {
		if (r != NL_DOC_EVALUATION && plan_done)
			continue;
		size_t n = 0;
		doc_changes(e, (enum nl_doc_record)r, ch, 64, &n);
		char num[96];
		doc_number(e, (enum nl_doc_record)r, num, sizeof num);
		char doc[256];
		if (r != NL_DOC_EVALUATION && (first != last))
			snprintf(doc, sizeof doc, "%s%s", doc_record_name(e->lang, NL_DOC_CAPABILITY_PLAN),
				TR(e, "及其记录", " and its records"));
		else
			snprintf(doc, sizeof doc, "%s", doc_record_name(e->lang, (enum nl_doc_record)r));
		for (size_t i = 0; i < n; i++) {
			put_str(x, 0, doc, x->f.text);
			put_str(x, 1, ch[i].version, x->f.center);
			put_date(x, 2, ch[i].date, NULL);
			put_str(x, 3, ch[i].change, x->f.text);
			put_str(x, 4, ch[i].author, x->f.text);
			put_str(x, 5, ch[i].approver, x->f.text);
			put_date(x, 6, ch[i].approved, NULL);
			x->row++;
		}
		if (r != NL_DOC_EVALUATION)
			plan_done = 1;
	}
	sheet_widths(x);
	free(ch);
}

int doc_xlsx_render(struct doc_env *e, int first, int last, const char *path)
{
	struct xw x;
	int rc = 0;
	memset(&x, 0, sizeof x);
	x.e = e;
	if (!(x.cell = malloc(CELL_MAX + 4)))
		return nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL);
	/* Load what the sheets need before the workbook exists (so a data error leaves no half-written file). */
	if ((rc = doc_env_plan(e)) || (rc = doc_env_metrics(e)) || (rc = doc_env_depts(e)))
		goto out;
	for (int r = first; r <= last; r++) {
		if ((r == NL_DOC_ACHIEVEMENT || r == NL_DOC_EVALUATION) && (rc = doc_env_table(e)))
			goto out;
		if (r == NL_DOC_EVALUATION && (rc = doc_env_evaluation(e)))
			goto out;
		if (r == NL_DOC_TRACKING && (rc = doc_env_task_counts(e)))
			goto out;
	}
	const char *tmp = getenv("TMPDIR");
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = (char *)(tmp && *tmp ? tmp : "/tmp") };
	x.wb = workbook_new_opt(path, &opt);
	if (!x.wb) {
		rc = nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "The XLSX file could not be created.");
		goto out;
	}
	char title[256];
	doc_title(e, first == last ? (enum nl_doc_record)first : NL_DOC_ALL, title, sizeof title);
	lxw_doc_properties props = { .title = title, .author = e->company, .company = e->company,
		.comments = "nengli", .subject = title };
	workbook_set_properties(x.wb, &props);
	formats(&x);
	for (int r = first; r <= last && !rc; r++) {
		switch ((enum nl_doc_record)r) {
		case NL_DOC_CAPABILITY_PLAN:
			sheet_plan(&x);
			break;
		case NL_DOC_MEASUREMENT_PLAN:
			sheet_measurement(&x);
			break;
		case NL_DOC_ACHIEVEMENT:
			sheet_achievement(&x);
			break;
		case NL_DOC_TRACKING:
			rc = sheet_tracking(&x);
			break;
		case NL_DOC_EVALUATION:
			sheet_evaluation(&x);
			break;
		default:
			break;
		}
	}
	if (!rc)
		sheet_changes(&x, first, last);
	lxw_error err = workbook_close(x.wb);
	x.wb = NULL;
	if (!rc && err != LXW_NO_ERROR)
		rc = nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "Writing the XLSX file failed: %s.", lxw_strerror(err));
out:
	free(x.cell);
	return rc;
}
