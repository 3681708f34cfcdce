/* doc_chart.c — the documents' charts drawn with cairo and Pango: achievement per metric (horizontal bars coloured by
 * status with the target line), monthly trends (a line with its dashed target) and work-item completion by department
 * (horizontal stacked bars). The same drawing goes into the PDF (vector) and, rendered to PNG, into the DOCX. Axes use
 * doc_nice_scale. Sizes are in points. */
#include "documents/docInt.h"

#include "documents/doc_layout.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define TITLE_H 20.0
#define LEGEND_H 16.0
#define AXIS_H 20.0
#define BAR_ROW 18.0
#define STACK_ROW 20.0
#define LINE_H 150.0

void doc_tone_rgb(int tone, int light, double rgb[3])
{
	static const double dark[][3] = {
		{ 0.184, 0.333, 0.592 },   /* none: blue */
		{ 0.180, 0.490, 0.196 },   /* met: green */
		{ 0.929, 0.608, 0.000 },   /* warning: amber */
		{ 0.776, 0.157, 0.157 },   /* missed: red */
		{ 0.620, 0.620, 0.620 },   /* muted: grey */
		{ 0.118, 0.533, 0.898 },   /* open: light blue */
	};
	static const double pale[][3] = {
		{ 1, 1, 1 }, { 0.776, 0.937, 0.808 }, { 1.000, 0.922, 0.612 }, { 1.000, 0.780, 0.808 },
		{ 0.925, 0.925, 0.925 }, { 0.867, 0.922, 0.969 },
	};
	if (tone < 0 || tone > DOC_TONE_OPEN)
		tone = 0;
	memcpy(rgb, light ? pale[tone] : dark[tone], sizeof pale[0]);
}

const char *doc_tone_hex(int tone, int light)
{
	static const char *const dark[] = { "2F5597", "2E7D32", "ED9B00", "C62828", "9E9E9E", "1E88E5" };
	static const char *const pale[] = { "FFFFFF", "C6EFCE", "FFEB9C", "FFC7CE", "ECECEC", "DDEBF7" };
	if (tone < 0 || tone > DOC_TONE_OPEN)
		tone = 0;
	return light ? pale[tone] : dark[tone];
}

double doc_chart_height(const struct doc_chart *c, double w)
{
	(void)w;
	switch (c->kind) {
	case DOC_CHART_BARS:
		return TITLE_H + (c->has_target ? LEGEND_H : 0) + (double)(c->ncat ? c->ncat : 1) * BAR_ROW + AXIS_H + 6;
	case DOC_CHART_STACKED:
		return TITLE_H + LEGEND_H + (double)(c->ncat ? c->ncat : 1) * STACK_ROW + AXIS_H + 6;
	case DOC_CHART_LINE:
	default:
		return LINE_H;
	}
}

struct pen {
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *fd;
};

static void rgb(cairo_t *cr, int tone, int light)
{
	double c[3];
	doc_tone_rgb(tone, light, c);
	cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

/* Draws text at (x, y) (the top of the line) aligned left/centre/right of x; max_w > 0 ellipsizes. Returns its width. */
static double text(struct pen *p, const char *s, double x, double y, double size, int bold, int align, double max_w)
{
	PangoLayout *l = pango_layout_new(p->pc);
	pango_font_description_set_absolute_size(p->fd, size * PANGO_SCALE);
	pango_font_description_set_weight(p->fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, p->fd);
	pango_layout_set_text(l, s ? s : "", -1);
	if (max_w > 0) {
		pango_layout_set_width(l, (int)(max_w * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	int tw, th;
	pango_layout_get_size(l, &tw, &th);
	double w = (double)tw / PANGO_SCALE;
	double dx = align == DOC_RIGHT ? -w : align == DOC_CENTER ? -w / 2 : 0;
	cairo_move_to(p->cr, x + dx, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	return w;
}

static double text_width(struct pen *p, const char *s, double size)
{
	PangoLayout *l = pango_layout_new(p->pc);
	pango_font_description_set_absolute_size(p->fd, size * PANGO_SCALE);
	pango_font_description_set_weight(p->fd, PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, p->fd);
	pango_layout_set_text(l, s ? s : "", -1);
	int tw, th;
	pango_layout_get_size(l, &tw, &th);
	g_object_unref(l);
	return (double)tw / PANGO_SCALE;
}

static void tick_label(const struct doc_chart *c, double v, double step, char *out, size_t n)
{
	if (c->ratio)
		snprintf(out, n, "%.0f%%", v * 100.0);
	else if (step >= 1)
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%g", v);
}

static void value_label(const struct doc_chart *c, double v, char *out, size_t n)
{
	if (!isfinite(v))
		snprintf(out, n, "—");
	else if (c->ratio)
		snprintf(out, n, "%.1f%%", v * 100.0);
	else
		snprintf(out, n, "%g", v);
}

/* The legend: coloured squares with names, left to right from x. */
static void legend(struct pen *p, const char *const *names, const int *tones, size_t n, double x, double y, double maxx)
{
	cairo_t *cr = p->cr;
	for (size_t i = 0; i < n; i++) {
		double tw = text_width(p, names[i], 7.5);
		if (x + 12 + tw > maxx)
			break;
		rgb(cr, tones ? tones[i] : 0, 0);
		cairo_rectangle(cr, x, y + 2.5, 8, 8);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		text(p, names[i], x + 11, y + 0.5, 7.5, 0, DOC_LEFT, 0);
		x += 11 + tw + 12;
	}
}

/* A horizontal value axis from x0 to x1 at y, with grid lines up to gy. */
static void value_axis(struct pen *p, const struct doc_chart *c, const struct doc_scale *s, double x0, double x1, double y,
	double gy)
{
	cairo_t *cr = p->cr;
	char lab[32];
	for (int i = 0; i <= s->ticks; i++) {
		double v = s->min + s->step * i;
		double x = x0 + (v - s->min) / (s->max - s->min) * (x1 - x0);
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_set_line_width(cr, 0.5);
		cairo_move_to(cr, x, gy);
		cairo_line_to(cr, x, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		tick_label(c, v, s->step, lab, sizeof lab);
		text(p, lab, x, y + 3, 7, 0, DOC_CENTER, 0);
	}
	cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x1, y);
	cairo_stroke(cr);
}

static void draw_bars(struct pen *p, const struct doc_chart *c, double x, double y, double w)
{
	cairo_t *cr = p->cr;
	double vmin = 0, vmax = c->has_target ? c->target : 0;
	double label_w = 0;
	for (size_t i = 0; i < c->ncat; i++) {
		double v = c->values[i];
		if (isfinite(v)) {
			vmin = v < vmin ? v : vmin;
			vmax = v > vmax ? v : vmax;
		}
		double lw = text_width(p, c->cats[i], 7.5);
		label_w = lw > label_w ? lw : label_w;
	}
	if (label_w > w * 0.38)
		label_w = w * 0.38;
	struct doc_scale s;
	doc_nice_scale(vmin, vmax, c->ratio, &s);
	double top = y;
	if (c->has_target) {
		const char *names[2] = { c->series && c->nseries ? c->series[0] : "", c->target_label ? c->target_label : "" };
		int tones[2] = { DOC_TONE_MET, DOC_TONE_MISSED };
		legend(p, names, tones, 1, x + label_w + 8, top, x + w);
		double lx = x + label_w + 8 + text_width(p, names[0], 7.5) + 28;
		rgb(cr, DOC_TONE_MISSED, 0);
		cairo_set_line_width(cr, 1.2);
		cairo_set_dash(cr, (double[]){ 3, 2 }, 2, 0);
		cairo_move_to(cr, lx, top + 6.5);
		cairo_line_to(cr, lx + 14, top + 6.5);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		char lab[64], tv[32];
		value_label(c, c->target, tv, sizeof tv);
		snprintf(lab, sizeof lab, "%s %s", names[1], tv);
		text(p, lab, lx + 17, top + 0.5, 7.5, 0, DOC_LEFT, 0);
		top += LEGEND_H;
	}
	double x0 = x + label_w + 8, x1 = x + w - 36;
	double axis_y = top + (double)(c->ncat ? c->ncat : 1) * BAR_ROW;
	value_axis(p, c, &s, x0, x1, axis_y, top);
	double span = s.max - s.min;
	for (size_t i = 0; i < c->ncat; i++) {
		double ry = top + (double)i * BAR_ROW;
		double v = c->values[i];
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		text(p, c->cats[i], x0 - 5, ry + 3.5, 7.5, 0, DOC_RIGHT, label_w);
		char lab[32];
		value_label(c, v, lab, sizeof lab);
		if (!isfinite(v)) {
			cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
			text(p, lab, x0 + 4, ry + 3.5, 7.5, 0, DOC_LEFT, 0);
			continue;
		}
		double xa = x0 + (0 - s.min) / span * (x1 - x0), xb = x0 + (v - s.min) / span * (x1 - x0);
		rgb(cr, c->tones ? c->tones[i] : 0, 0);
		cairo_rectangle(cr, xa < xb ? xa : xb, ry + 3.5, fabs(xb - xa), BAR_ROW - 7);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		text(p, lab, (xa > xb ? xa : xb) + 3, ry + 3.5, 7, 0, DOC_LEFT, 0);
	}
	if (c->has_target && c->target >= s.min && c->target <= s.max) {
		double tx = x0 + (c->target - s.min) / span * (x1 - x0);
		rgb(cr, DOC_TONE_MISSED, 0);
		cairo_set_line_width(cr, 1.2);
		cairo_set_dash(cr, (double[]){ 3, 2 }, 2, 0);
		cairo_move_to(cr, tx, top - 2);
		cairo_line_to(cr, tx, axis_y);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
}

static void draw_stacked(struct pen *p, const struct doc_chart *c, double x, double y, double w)
{
	cairo_t *cr = p->cr;
	double vmax = 0, label_w = 0;
	for (size_t i = 0; i < c->ncat; i++) {
		double sum = 0;
		for (size_t k = 0; k < c->nseries; k++) {
			double v = c->values[k * c->ncat + i];
			sum += isfinite(v) && v > 0 ? v : 0;
		}
		vmax = sum > vmax ? sum : vmax;
		double lw = text_width(p, c->cats[i], 7.5);
		label_w = lw > label_w ? lw : label_w;
	}
	if (label_w > w * 0.3)
		label_w = w * 0.3;
	struct doc_scale s;
	doc_nice_scale(0, vmax, 0, &s);
	if (s.step < 1) {   /* counts: whole ticks */
		s.step = 1;
		s.max = ceil(s.max);
		s.ticks = (int)s.max;
	}
	double x0 = x + label_w + 8, x1 = x + w - 30;
	legend(p, c->series, c->tones, c->nseries, x0, y, x + w);
	double top = y + LEGEND_H;
	double axis_y = top + (double)(c->ncat ? c->ncat : 1) * STACK_ROW;
	value_axis(p, c, &s, x0, x1, axis_y, top);
	for (size_t i = 0; i < c->ncat; i++) {
		double ry = top + (double)i * STACK_ROW, acc = 0;
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		text(p, c->cats[i], x0 - 5, ry + 4.5, 7.5, 0, DOC_RIGHT, label_w);
		for (size_t k = 0; k < c->nseries; k++) {
			double v = c->values[k * c->ncat + i];
			if (!isfinite(v) || v <= 0)
				continue;
			double xa = x0 + acc / s.max * (x1 - x0), xb = x0 + (acc + v) / s.max * (x1 - x0);
			rgb(cr, c->tones ? c->tones[k] : 0, 0);
			cairo_rectangle(cr, xa, ry + 3.5, xb - xa, STACK_ROW - 7);
			cairo_fill(cr);
			char lab[24];
			snprintf(lab, sizeof lab, "%g", v);
			if (xb - xa > text_width(p, lab, 6.5) + 3) {
				cairo_set_source_rgb(cr, 1, 1, 1);
				text(p, lab, (xa + xb) / 2, ry + 5.5, 6.5, 1, DOC_CENTER, 0);
			}
			acc += v;
		}
		char tot[24];
		snprintf(tot, sizeof tot, "%g", acc);
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		text(p, tot, x0 + acc / s.max * (x1 - x0) + 3, ry + 4.5, 7, 0, DOC_LEFT, 0);
	}
}

static void draw_line(struct pen *p, const struct doc_chart *c, double x, double y, double w, double h)
{
	cairo_t *cr = p->cr;
	double vmin = INFINITY, vmax = -INFINITY;
	for (size_t i = 0; i < c->ncat; i++) {
		double v = c->values[i], t = c->targets ? c->targets[i] : NAN;
		if (isfinite(v)) {
			vmin = v < vmin ? v : vmin;
			vmax = v > vmax ? v : vmax;
		}
		if (isfinite(t)) {
			vmin = t < vmin ? t : vmin;
			vmax = t > vmax ? t : vmax;
		}
	}
	if (!isfinite(vmin)) {
		vmin = 0;
		vmax = 1;
	}
	/* Trends read better on a window around the values than from 0: start below the smallest value. */
	struct doc_scale s;
	double lo = vmin, hi = vmax;
	if (hi - lo <= 0) {
		lo = lo - fabs(lo) * 0.1 - (c->ratio ? 0.05 : 1);
		hi = hi + fabs(hi) * 0.1 + (c->ratio ? 0.05 : 1);
	}
	double step = doc_nice_step(hi - lo, 4);
	s.step = step;
	s.min = floor(lo / step) * step;
	s.max = ceil(hi / step) * step;
	if (c->ratio && s.max > 1 && vmax <= 1)
		s.max = 1;
	if (c->ratio && s.min < 0 && vmin >= 0)
		s.min = 0;
	if (s.max <= s.min)
		s.max = s.min + step;
	s.ticks = (int)lround((s.max - s.min) / step);
	const char *names[2] = { c->series && c->nseries ? c->series[0] : "", c->target_label ? c->target_label : "" };
	int tones[2] = { DOC_TONE_NONE, DOC_TONE_MISSED };
	double plot_top = y + LEGEND_H + 4, plot_bottom = y + h - 16, x0 = x + 46, x1 = x + w - 8;
	legend(p, names, tones, c->targets ? 2 : 1, x0, y, x + w);
	char lab[32];
	for (int i = 0; i <= s.ticks; i++) {
		double v = s.min + step * i;
		double ty = plot_bottom - (v - s.min) / (s.max - s.min) * (plot_bottom - plot_top);
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_set_line_width(cr, 0.5);
		cairo_move_to(cr, x0, ty);
		cairo_line_to(cr, x1, ty);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		if (c->ratio)
			snprintf(lab, sizeof lab, step < 0.01 ? "%.1f%%" : "%.0f%%", v * 100);
		else
			snprintf(lab, sizeof lab, "%g", v);
		text(p, lab, x0 - 4, ty - 4.5, 7, 0, DOC_RIGHT, 0);
	}
	double dx = (x1 - x0) / (double)(c->ncat ? c->ncat : 1);
	for (size_t i = 0; i < c->ncat; i++) {
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		text(p, c->cats[i], x0 + dx * ((double)i + 0.5), plot_bottom + 3, 7, 0, DOC_CENTER, 0);
	}
	if (c->unit && *c->unit) {
		cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
		text(p, c->unit, x0 - 4, y + 1, 7, 0, DOC_RIGHT, 0);
	}
#define PX(i) (x0 + dx * ((double)(i) + 0.5))
#define PY(v) (plot_bottom - ((v) - s.min) / (s.max - s.min) * (plot_bottom - plot_top))
	if (c->targets) {
		rgb(cr, DOC_TONE_MISSED, 0);
		cairo_set_line_width(cr, 1);
		cairo_set_dash(cr, (double[]){ 3, 2 }, 2, 0);
		int pen = 0;
		for (size_t i = 0; i < c->ncat; i++) {
			double t = c->targets[i];
			if (!isfinite(t)) {
				pen = 0;
				continue;
			}
			double ax = i == 0 ? x0 : PX(i) - dx / 2, bx = i + 1 == c->ncat ? x1 : PX(i) + dx / 2;
			if (!pen)
				cairo_move_to(cr, ax, PY(t));
			else
				cairo_line_to(cr, ax, PY(t));
			cairo_line_to(cr, bx, PY(t));
			pen = 1;
		}
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
	rgb(cr, DOC_TONE_NONE, 0);
	cairo_set_line_width(cr, 1.6);
	int pen = 0;
	for (size_t i = 0; i < c->ncat; i++) {
		double v = c->values[i];
		if (!isfinite(v)) {
			pen = 0;
			continue;
		}
		if (pen)
			cairo_line_to(cr, PX(i), PY(v));
		else
			cairo_move_to(cr, PX(i), PY(v));
		pen = 1;
	}
	cairo_stroke(cr);
	for (size_t i = 0; i < c->ncat; i++) {
		double v = c->values[i];
		if (!isfinite(v))
			continue;
		cairo_arc(cr, PX(i), PY(v), 2.2, 0, 2 * M_PI);
		cairo_fill(cr);
	}
#undef PX
#undef PY
	cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, x0, plot_bottom);
	cairo_line_to(cr, x1, plot_bottom);
	cairo_stroke(cr);
}

void doc_chart_draw(cairo_t *cr, const struct doc_chart *c, double x, double y, double w, double h, enum nl_doc_lang lang)
{
	struct pen p;
	(void)lang;
	cairo_save(cr);
	p.cr = cr;
	p.pc = pango_cairo_create_context(cr);
	pango_cairo_context_set_resolution(p.pc, 72);
	PangoLanguage *zh = pango_language_from_string("zh-cn");
	pango_context_set_language(p.pc, zh);
	p.fd = pango_font_description_from_string(DOC_PDF_FONTS);
	/* frame and title */
	cairo_set_source_rgb(cr, 0.80, 0.80, 0.80);
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, x, y, w, h);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	text(&p, c->title, x + w / 2, y + 4, 9, 1, DOC_CENTER, w - 10);
	double iy = y + TITLE_H, ix = x + 6, iw = w - 12;
	switch (c->kind) {
	case DOC_CHART_BARS:
		draw_bars(&p, c, ix, iy, iw);
		break;
	case DOC_CHART_STACKED:
		draw_stacked(&p, c, ix, iy, iw);
		break;
	case DOC_CHART_LINE:
		draw_line(&p, c, ix, iy, iw, h - TITLE_H - 4);
		break;
	}
	pango_font_description_free(p.fd);
	g_object_unref(p.pc);
	cairo_restore(cr);
}

static cairo_status_t png_sink(void *closure, const unsigned char *data, unsigned int length)
{
	strbuf_append(closure, data, length);
	return ((struct nl_strbuf *)closure)->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

int doc_chart_png(const struct doc_chart *c, double w, double h, double scale, enum nl_doc_lang lang,
	unsigned char **png, size_t *len)
{
	struct nl_strbuf b;
	*png = NULL;
	*len = 0;
	int pw = (int)ceil(w * scale), ph = (int)ceil(h * scale);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return NL_ENOMEM;
	}
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	doc_chart_draw(cr, c, 0.5, 0.5, w - 1, h - 1, lang);
	cairo_destroy(cr);
	strbuf_init(&b, 0);
	cairo_status_t st = cairo_surface_write_to_png_stream(s, png_sink, &b);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS || b.failed) {
		strbuf_cleanup(&b);
		return st == CAIRO_STATUS_NO_MEMORY ? NL_ENOMEM : NL_EINTERNAL;
	}
	*png = (unsigned char *)strbuf_detach(&b, len);
	return *png ? 0 : NL_ENOMEM;
}
