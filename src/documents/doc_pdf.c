/* doc_pdf.c — the PDF writer: A4 pages drawn with cairo, text laid out by Pango in Noto Sans CJK SC (embedded and
 * subset by cairo). Each record gets a cover (logo, company, title, document number, version, year, status, the
 * prepared / reviewed / approved block), then its body with a running head and "第 n 页 / 共 N 页" at the foot.
 *
 * Two passes: the first lays everything out without drawing (counting each record's pages), the second draws, each
 * page written to the file as it is finished (cairo emits a page at cairo_show_page). Layout depends only on a Pango
 * context of our own (72 dpi, no hinting of metrics), never on the surface, so both passes break pages identically.
 * Tables repeat their header on every page and never leave a header alone at a page bottom (doc_layout.h); a row or
 * paragraph taller than the room left is split between lines. cairo state survives cairo_show_page: colours, line
 * width and dashes are reset at the start of every page. */
#include "documents/docInt.h"

#include "core/log.h"
#include "documents/doc_layout.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define A4_W 595.28
#define A4_H 841.89
#define PAD_H 3.0
#define PAD_V 2.5
#define MAX_COLS 24
#define EPS 1e-6

struct pdf {
	struct doc_writer w;        /* first: the writer interface */
	struct doc_env *e;
	int dry;                    /* pass 1: lay out and count pages, draw nothing */
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *fd;
	cairo_surface_t *logo;
	struct doc_pager pg;
	double pw, ph, ml, mr;      /* page size and side margins */
	int page_open;
	struct doc_meta meta;
	int rec;                    /* index of the current record in the file */
	int page_in_rec;
	int *rec_pages;             /* pass 2: pages of each record (from pass 1) */
	int *rec_pages_out;         /* pass 1: where the counts go */
	/* the current table */
	struct doc_col cols[MAX_COLS];
	size_t ncols;
	double colx[MAX_COLS + 1];
	double font_size;
	double header_h;
	double min_row_h;
	int in_table;
	struct layout_cache *cache; /* shared by both passes */
	int rc;                     /* the first failure */
};

static struct pdf *P(struct doc_writer *w)
{
	return (struct pdf *)w;
}

/* ---- Layouts ---- */

/* Short cell texts repeat (departments, owners, dates, statuses): their layouts are kept and reused — by both passes —
 * instead of being shaped again. A small open-addressing table, emptied when full. */
#define CACHE_SLOTS 4096
#define CACHE_MAX_TEXT 96
struct cache_slot {
	char text[CACHE_MAX_TEXT];
	int size_x10, bold, width_x10, align;
	PangoLayout *l;
};
struct layout_cache {
	struct cache_slot slot[CACHE_SLOTS];
	size_t used;
	unsigned long hits, misses;
};

static unsigned long cache_hash(const char *t, int a, int b, int c, int d)
{
	unsigned long h = 1469598103934665603UL;
	for (; *t; t++)
		h = (h ^ (unsigned char)*t) * 1099511628211UL;
	h = (h ^ (unsigned long)a) * 1099511628211UL;
	h = (h ^ (unsigned long)b) * 1099511628211UL;
	h = (h ^ (unsigned long)c) * 1099511628211UL;
	return (h ^ (unsigned long)d) * 1099511628211UL;
}

static void cache_clear(struct layout_cache *c)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		if (c->slot[i].l)
			g_object_unref(c->slot[i].l);
		c->slot[i].l = NULL;
	}
	c->used = 0;
}

static PangoLayout *mk_layout(struct pdf *p, const char *text, double size, int bold, double width, int align,
	double indent)
{
	PangoLayout *l = pango_layout_new(p->pc);
	pango_font_description_set_absolute_size(p->fd, size * PANGO_SCALE);
	pango_font_description_set_weight(p->fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, p->fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align == DOC_CENTER ? PANGO_ALIGN_CENTER
					 : align == DOC_RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	if (indent > 0)
		pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

/* A layout of a table cell: from the cache when the text is short (a new reference either way; unref it). */
static PangoLayout *cell_layout(struct pdf *p, const char *text, double size, int bold, double width, int align)
{
	struct layout_cache *c = p->cache;
	const char *t = text ? text : "";
	if (!c || strlen(t) >= CACHE_MAX_TEXT)
		return mk_layout(p, t, size, bold, width, align, 0);
	int sz = (int)lround(size * 10), wd = (int)lround(width * 10);
	unsigned long h = cache_hash(t, sz, bold, wd, align);
	for (size_t k = 0; k < CACHE_SLOTS; k++) {
		struct cache_slot *sl = &c->slot[(h + k) % CACHE_SLOTS];
		if (!sl->l) {
			if (c->used >= CACHE_SLOTS * 3 / 4) {
				cache_clear(c);
				return cell_layout(p, text, size, bold, width, align);
			}
			snprintf(sl->text, sizeof sl->text, "%s", t);
			sl->size_x10 = sz;
			sl->bold = bold;
			sl->width_x10 = wd;
			sl->align = align;
			sl->l = mk_layout(p, t, size, bold, width, align, 0);
			c->used++;
			c->misses++;
			return g_object_ref(sl->l);
		}
		if (sl->size_x10 == sz && sl->bold == bold && sl->width_x10 == wd && sl->align == align && !strcmp(sl->text, t)) {
			c->hits++;
			return g_object_ref(sl->l);
		}
	}
	return mk_layout(p, t, size, bold, width, align, 0);
}

static double layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void ink(struct pdf *p, double r, double g, double b)
{
	if (!p->dry)
		cairo_set_source_rgb(p->cr, r, g, b);
}

static void show(struct pdf *p, PangoLayout *l, double x, double y)
{
	if (p->dry)
		return;
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

static void show_text(struct pdf *p, const char *s, double x, double y, double size, int bold, double width, int align)
{
	if (p->dry)
		return;
	PangoLayout *l = mk_layout(p, s, size, bold, width, align, 0);
	show(p, l, x, y);
	g_object_unref(l);
}

/* ---- Pages ---- */

static void page_size(struct pdf *p, int landscape)
{
	p->pw = landscape ? A4_H : A4_W;
	p->ph = landscape ? A4_W : A4_H;
	p->ml = p->mr = landscape ? 36 : 50;
}

static void draw_head_foot(struct pdf *p)
{
	struct doc_env *e = p->e;
	char buf[512];
	double w = p->pw - p->ml - p->mr;
	ink(p, 0.40, 0.40, 0.40);
	show_text(p, e->company, p->ml, 30, 8, 0, w / 2, DOC_LEFT);
	snprintf(buf, sizeof buf, "%s  %s", p->meta.title, p->meta.doc_number);
	show_text(p, buf, p->ml + w / 2, 30, 8, 0, w / 2, DOC_RIGHT);
	if (!p->dry) {
		cairo_set_line_width(p->cr, 0.6);
		cairo_move_to(p->cr, p->ml, 44);
		cairo_line_to(p->cr, p->pw - p->mr, 44);
		cairo_stroke(p->cr);
		cairo_move_to(p->cr, p->ml, p->ph - 40);
		cairo_line_to(p->cr, p->pw - p->mr, p->ph - 40);
		cairo_stroke(p->cr);
	}
	int total = p->rec_pages ? p->rec_pages[p->rec] : 0;
	snprintf(buf, sizeof buf, TR(e, "第 %d 页 / 共 %d 页", "Page %d of %d"), p->page_in_rec, total);
	show_text(p, buf, p->ml, p->ph - 34, 8, 0, w, DOC_CENTER);
	snprintf(buf, sizeof buf, "%s %s", p->meta.doc_number, p->meta.version);
	show_text(p, buf, p->ml, p->ph - 34, 8, 0, w, DOC_RIGHT);
	ink(p, 0.1, 0.1, 0.1);
}

/* Ends the open page and begins the next (cover: without running head and foot). The pager is moved by the caller. */
static void page_start(struct pdf *p, int cover)
{
	p->page_in_rec++;
	if (!p->dry) {
		if (p->page_open)
			cairo_show_page(p->cr);
		cairo_pdf_surface_set_size(p->surf, p->pw, p->ph);
		/* cairo's state survives cairo_show_page: reset what we change */
		cairo_identity_matrix(p->cr);
		cairo_reset_clip(p->cr);
		cairo_set_dash(p->cr, NULL, 0, 0);
		cairo_set_line_width(p->cr, 0.5);
		cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	}
	p->page_open = 1;
	if (!cover)
		draw_head_foot(p);
}

static void body_page(struct pdf *p)
{
	page_start(p, 0);
}

/* ---- Blocks of cells (table rows, paragraphs), split between lines when they do not fit ---- */

/* A line of a layout, collected once for a block that is split between pages (Pango's iterator counts the whole text
 * each time one is made: collecting once keeps a long paragraph linear). */
struct lineinfo {
	double top, bottom, base, x;
	PangoLayoutLine *line;   /* owned by the layout */
};

struct cellbox {
	PangoLayout *l;
	double h;      /* content height */
	double off;    /* content already drawn on earlier pages */
	int tone;
	struct lineinfo *li;   /* the lines, once a split needs them (malloc'ed) */
	size_t nli;
};

static int cell_lines(struct cellbox *cb)
{
	if (cb->li)
		return 0;
	int n = pango_layout_get_line_count(cb->l);
	cb->li = calloc(n > 0 ? (size_t)n : 1, sizeof *cb->li);
	if (!cb->li)
		return NL_ENOMEM;
	PangoLayoutIter *it = pango_layout_get_iter(cb->l);
	size_t k = 0;
	do {
		PangoRectangle r;
		if (k >= (size_t)n)
			break;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		cb->li[k].top = (double)r.y / PANGO_SCALE;
		cb->li[k].bottom = (double)(r.y + r.height) / PANGO_SCALE;
		cb->li[k].x = (double)r.x / PANGO_SCALE;
		cb->li[k].base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		cb->li[k].line = pango_layout_iter_get_line_readonly(it);
		k++;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	cb->nli = k;
	return 0;
}

/* The largest line bottom of the cell at or below limit (content coordinates); from when nothing fits. */
static double cut_at(struct cellbox *cb, double from, double limit)
{
	double best = from;
	if (cell_lines(cb))
		return cb->h;   /* out of memory: draw it whole rather than loop */
	for (size_t k = 0; k < cb->nli; k++) {
		if (cb->li[k].bottom <= from + EPS)
			continue;
		if (cb->li[k].bottom > limit + EPS)
			break;
		best = cb->li[k].bottom;
	}
	return best;
}

static double first_line_h(PangoLayout *l)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	PangoRectangle r;
	pango_layout_iter_get_line_extents(it, NULL, &r);
	pango_layout_iter_free(it);
	return (double)r.height / PANGO_SCALE;
}

static void draw_header_row(struct pdf *p, double y);

/* Draws one piece of a block: the content ranges [off_i, cut_i] of every cell at y, in a band of height band. */
static void draw_piece(struct pdf *p, struct cellbox *cb, size_t n, const double *x, const double *wd, const double *cut,
	double y, double band, int row_tone, int border, double grey)
{
	double pad_v = border ? PAD_V : 0;
	if (p->dry)
		return;
	cairo_t *cr = p->cr;
	for (size_t i = 0; i < n; i++) {
		int tone = cb[i].tone ? cb[i].tone : row_tone;
		if (tone) {
			double c[3];
			doc_tone_rgb(tone, 1, c);
			cairo_set_source_rgb(cr, c[0], c[1], c[2]);
			cairo_rectangle(cr, x[i], y, wd[i], band);
			cairo_fill(cr);
		}
	}
	cairo_set_source_rgb(cr, grey, grey, grey);
	for (size_t i = 0; i < n; i++) {
		if (cut[i] <= cb[i].off + EPS)
			continue;
		if (cb[i].off <= EPS && cut[i] >= cb[i].h - EPS) {   /* the whole cell */
			cairo_move_to(cr, x[i] + (border ? PAD_H : 0), y + pad_v);
			pango_cairo_show_layout(cr, cb[i].l);
			continue;
		}
		/* Only the lines of this piece: drawing the whole layout under a clip would write every glyph of a long
		 * paragraph into every page it spans. */
		if (cell_lines(&cb[i]))
			continue;
		for (size_t k = 0; k < cb[i].nli; k++) {
			const struct lineinfo *li = &cb[i].li[k];
			if (li->top < cb[i].off - EPS)
				continue;
			if (li->bottom > cut[i] + EPS)
				break;
			cairo_move_to(cr, x[i] + (border ? PAD_H : 0) + li->x, y + pad_v - cb[i].off + li->base);
			pango_cairo_show_layout_line(cr, li->line);
		}
	}
	if (border) {
		cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
		cairo_set_line_width(cr, 0.5);
		for (size_t i = 0; i < n; i++) {
			cairo_rectangle(cr, x[i], y, wd[i], band);
			cairo_stroke(cr);
		}
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	}
}

/* Places and draws a block of n cells (a table row when header_h > 0 or border, a paragraph otherwise). */
static void flow_block(struct pdf *p, struct cellbox *cb, size_t n, const double *x, const double *wd, double header_h,
	int row_tone, int border, double min_h, double grey)
{
	double content = 0, first = 0;
	double cut[MAX_COLS];
	for (size_t i = 0; i < n; i++) {
		content = cb[i].h > content ? cb[i].h : content;
		double f = first_line_h(cb[i].l);
		first = f > first ? f : first;
	}
	double pad = border ? 2 * PAD_V : 0;
	double row_h = content + pad;
	if (row_h < min_h)
		row_h = min_h;
	struct doc_place pl;
	if (!border)   /* a paragraph flows on when two lines fit */
		doc_pager_flow(&p->pg, row_h, 2 * first + pad, &pl);
	else
		doc_pager_row(&p->pg, header_h, row_h, first + pad, &pl);
	for (;;) {
		if (pl.new_page)
			body_page(p);
		if (pl.header)
			draw_header_row(p, pl.header_y);
		double avail = pl.split ? p->pg.bottom - pl.row_y - pad : INFINITY;
		double piece = 0, rest = 0;
		for (size_t i = 0; i < n; i++) {
			cut[i] = cb[i].h - cb[i].off <= avail + EPS ? cb[i].h : cut_at(&cb[i], cb[i].off, cb[i].off + avail);
			piece = cut[i] - cb[i].off > piece ? cut[i] - cb[i].off : piece;
		}
		double band = pl.split ? p->pg.bottom - pl.row_y : (piece + pad < min_h ? min_h : piece + pad);
		if (!pl.split && band < row_h && !cb[0].off)
			band = row_h;
		draw_piece(p, cb, n, x, wd, cut, pl.row_y, band, row_tone, border, grey);
		for (size_t i = 0; i < n; i++) {
			cb[i].off = cut[i];
			rest = cb[i].h - cb[i].off > rest ? cb[i].h - cb[i].off : rest;
		}
		if (rest <= EPS)
			break;
		doc_pager_continue(&p->pg, header_h, rest + pad, &pl);
	}
}

/* ---- The writer interface ---- */

static int pdf_record_begin(struct doc_writer *w, const struct doc_meta *m)
{
	struct pdf *p = P(w);
	struct doc_env *e = p->e;
	p->meta = *m;
	p->page_in_rec = 0;
	page_size(p, m->landscape);
	page_start(p, 1);
	/* The cover */
	double cw = p->pw - p->ml - p->mr, cy = p->ph * 0.10;
	int land = m->landscape;
	if (p->logo && !p->dry) {
		double lw = cairo_image_surface_get_width(p->logo), lh = cairo_image_surface_get_height(p->logo);
		double scale = fmin(52.0 / lh, 160.0 / lw);
		cairo_save(p->cr);
		cairo_translate(p->cr, p->pw / 2 - lw * scale / 2, cy);
		cairo_scale(p->cr, scale, scale);
		cairo_set_source_surface(p->cr, p->logo, 0, 0);
		cairo_paint(p->cr);
		cairo_restore(p->cr);
	}
	cy += land ? 62 : 72;
	ink(p, 0.15, 0.15, 0.15);
	show_text(p, e->company, p->ml, cy, 16, 1, cw, DOC_CENTER);
	cy = p->ph * (land ? 0.30 : 0.30);
	ink(p, 0.05, 0.05, 0.05);
	PangoLayout *tl = mk_layout(p, m->title, land ? 24 : 26, 1, cw, DOC_CENTER, 0);
	show(p, tl, p->ml, cy);
	cy += layout_h(tl) + 10;
	g_object_unref(tl);
	if (!p->dry) {
		cairo_set_source_rgb(p->cr, 0.18, 0.33, 0.59);
		cairo_set_line_width(p->cr, 1.5);
		cairo_move_to(p->cr, p->pw / 2 - 120, cy);
		cairo_line_to(p->cr, p->pw / 2 + 120, cy);
		cairo_stroke(p->cr);
	}
	/* document particulars */
	char year[16];
	snprintf(year, sizeof year, "%d", e->year);
	const char *labels[] = { TR(e, "文件编号", "Document No."), TR(e, "版本", "Version"), TR(e, "年度", "Year"),
		TR(e, "状态", "Status"), TR(e, "发布日期", "Issued") };
	const char *values[] = { m->doc_number, m->version, year, m->status, *m->issued ? m->issued : "—" };
	double tx = p->pw / 2 - 150, ty = p->ph * (land ? 0.45 : 0.44);
	for (size_t i = 0; i < NL_ARRAY_LEN(labels); i++) {
		double ry = ty + (double)i * 22;
		if (!p->dry) {
			cairo_set_source_rgb(p->cr, 0.86, 0.90, 0.95);
			cairo_rectangle(p->cr, tx, ry, 100, 22);
			cairo_fill(p->cr);
			cairo_set_source_rgb(p->cr, 0.55, 0.55, 0.55);
			cairo_set_line_width(p->cr, 0.5);
			cairo_rectangle(p->cr, tx, ry, 100, 22);
			cairo_rectangle(p->cr, tx + 100, ry, 200, 22);
			cairo_stroke(p->cr);
		}
		ink(p, 0.1, 0.1, 0.1);
		show_text(p, labels[i], tx, ry + 5, 9.5, 1, 100, DOC_CENTER);
		show_text(p, values[i], tx + 108, ry + 5, 9.5, 0, 188, DOC_LEFT);
	}
	/* the signature block */
	double sy = p->ph * (land ? 0.74 : 0.70), sw = 110, sx = p->pw / 2 - (sw * 3 + 60) / 2;
	for (int k = 0; k < 4; k++) {
		for (int r = 0; r < 3; r++) {
			double cx = k == 0 ? sx : sx + 60 + (k - 1) * sw, cwid = k == 0 ? 60 : sw, rh = r == 1 ? 30 : 20;
			double ry = sy + (r == 0 ? 0 : r == 1 ? 20 : 50);
			const char *s = "";
			int bold = 0;
			if (k == 0)
				s = r == 0 ? "" : r == 1 ? TR(e, "姓名", "Name") : TR(e, "日期", "Date");
			else if (r == 0)
				s = m->sign.role[k - 1], bold = 1;
			else
				s = r == 1 ? m->sign.who[k - 1] : m->sign.date[k - 1];
			if (!p->dry) {
				if (r == 0 || k == 0) {
					cairo_set_source_rgb(p->cr, 0.86, 0.90, 0.95);
					cairo_rectangle(p->cr, cx, ry, cwid, rh);
					cairo_fill(p->cr);
				}
				cairo_set_source_rgb(p->cr, 0.55, 0.55, 0.55);
				cairo_set_line_width(p->cr, 0.5);
				cairo_rectangle(p->cr, cx, ry, cwid, rh);
				cairo_stroke(p->cr);
			}
			ink(p, 0.1, 0.1, 0.1);
			show_text(p, s, cx + 2, ry + (rh - 12) / 2, 8.5, bold || k == 0, cwid - 4, DOC_CENTER);
		}
	}
	ink(p, 0.3, 0.3, 0.3);
	char issued[320];
	snprintf(issued, sizeof issued, "%s%s%s", e->company, *m->issued ? "  " : "", *m->issued ? m->issued : "");
	show_text(p, issued, p->ml, p->ph * 0.90, 10, 0, cw, DOC_CENTER);
	/* the body starts on the next page */
	body_page(p);
	doc_pager_init(&p->pg, 58, p->ph - 50, 58);
	return p->rc;
}

static int pdf_record_end(struct doc_writer *w)
{
	struct pdf *p = P(w);
	if (p->rec_pages_out)
		p->rec_pages_out[p->rec] = p->page_in_rec;
	p->rec++;
	return p->rc;
}

/* Makes room for a block of height need at the current position (a new page when it does not fit). */
static double room_for(struct pdf *p, double need, double h)
{
	double y;
	if (doc_pager_block(&p->pg, need, &y))
		body_page(p);
	p->pg.y = y + h;   /* only h is used; need was the "keep with next" reserve */
	return y;
}

static int pdf_heading(struct doc_writer *w, int level, const char *text)
{
	struct pdf *p = P(w);
	double size = level == 1 ? 13 : 11, before = level == 1 ? 10 : 6, after = level == 1 ? 5 : 3;
	double cw = p->pw - p->ml - p->mr;
	PangoLayout *l = mk_layout(p, text, size, 1, cw, DOC_LEFT, 0);
	double h = layout_h(l);
	if (p->pg.y > p->pg.top + EPS)
		p->pg.y += before;
	double y = room_for(p, h + after + 80, h + after);   /* keep with the start of what follows */
	ink(p, level == 1 ? 0.10 : 0.18, level == 1 ? 0.22 : 0.33, level == 1 ? 0.42 : 0.59);
	show(p, l, p->ml, y);
	ink(p, 0.1, 0.1, 0.1);
	g_object_unref(l);
	return p->rc;
}

static int pdf_para(struct doc_writer *w, const char *text, enum doc_para_style style)
{
	struct pdf *p = P(w);
	double size = style == DOC_P_BODY ? 9.5 : 8.5;
	double cw = p->pw - p->ml - p->mr;
	const char *s = text ? text : "";
	/* one block per paragraph ('\n'): a list of a thousand problems is a thousand small layouts */
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *one = g_strndup(s, n);
		struct cellbox cb;
		memset(&cb, 0, sizeof cb);
		cb.l = mk_layout(p, one, size, 0, cw, DOC_LEFT, style == DOC_P_BODY ? size * 2 : 0);
		g_free(one);
		pango_layout_set_spacing(cb.l, (int)(size * 0.35 * PANGO_SCALE));
		cb.h = layout_h(cb.l);
		double x = p->ml, wd = cw;
		flow_block(p, &cb, 1, &x, &wd, 0, 0, 0, 0, style == DOC_P_BODY ? 0.1 : 0.4);
		p->pg.y += nl ? 2 : 4;
		g_object_unref(cb.l);
		free(cb.li);
		if (!nl)
			break;
		s = nl + 1;
	}
	ink(p, 0.1, 0.1, 0.1);
	return p->rc;
}

static void draw_header_row(struct pdf *p, double y)
{
	if (p->dry)
		return;
	cairo_t *cr = p->cr;
	for (size_t i = 0; i < p->ncols; i++) {
		double x = p->colx[i], wd = p->colx[i + 1] - p->colx[i];
		cairo_set_source_rgb(cr, 0.86, 0.90, 0.95);
		cairo_rectangle(cr, x, y, wd, p->header_h);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
		cairo_set_line_width(cr, 0.5);
		cairo_rectangle(cr, x, y, wd, p->header_h);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.08, 0.15, 0.30);
		PangoLayout *l = mk_layout(p, p->cols[i].title, p->font_size, 1, wd - 2 * PAD_H, DOC_CENTER, 0);
		cairo_move_to(cr, x + PAD_H, y + (p->header_h - layout_h(l)) / 2);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
}

static int pdf_table_begin(struct doc_writer *w, const struct doc_col *cols, size_t n)
{
	struct pdf *p = P(w);
	double total = 0, cw = p->pw - p->ml - p->mr;
	if (n > MAX_COLS)
		n = MAX_COLS;
	p->ncols = n;
	for (size_t i = 0; i < n; i++) {
		p->cols[i] = cols[i];
		total += cols[i].weight > 0 ? cols[i].weight : 1;
	}
	p->colx[0] = p->ml;
	for (size_t i = 0; i < n; i++)
		p->colx[i + 1] = p->colx[i] + cw * (cols[i].weight > 0 ? cols[i].weight : 1) / total;
	p->font_size = n > 12 ? 7.0 : n > 9 ? 7.5 : n > 6 ? 8.0 : 8.5;
	p->header_h = 0;
	for (size_t i = 0; i < n; i++) {
		PangoLayout *l = mk_layout(p, cols[i].title, p->font_size, 1, p->colx[i + 1] - p->colx[i] - 2 * PAD_H, DOC_CENTER, 0);
		double h = layout_h(l) + 2 * PAD_V + 2;
		p->header_h = h > p->header_h ? h : p->header_h;
		g_object_unref(l);
	}
	p->in_table = 1;
	p->min_row_h = 0;
	doc_pager_table(&p->pg);
	return p->rc;
}

static int pdf_table_row(struct doc_writer *w, const struct doc_cell *cells, int row_tone)
{
	struct pdf *p = P(w);
	struct cellbox cb[MAX_COLS];
	double x[MAX_COLS], wd[MAX_COLS];
	for (size_t i = 0; i < p->ncols; i++) {
		x[i] = p->colx[i];
		wd[i] = p->colx[i + 1] - p->colx[i];
		cb[i].l = cell_layout(p, cells[i].text, p->font_size, cells[i].bold, wd[i] - 2 * PAD_H, p->cols[i].align);
		cb[i].h = layout_h(cb[i].l);
		cb[i].off = 0;
		cb[i].tone = cells[i].tone;
		cb[i].li = NULL;
		cb[i].nli = 0;
	}
	flow_block(p, cb, p->ncols, x, wd, p->header_h, row_tone, 1, p->min_row_h, 0.1);
	for (size_t i = 0; i < p->ncols; i++) {
		g_object_unref(cb[i].l);
		free(cb[i].li);
	}
	return p->rc;
}

static int pdf_table_end(struct doc_writer *w)
{
	struct pdf *p = P(w);
	p->in_table = 0;
	p->pg.y += 8;
	return p->rc;
}

static int pdf_chart(struct doc_writer *w, const struct doc_chart *c)
{
	struct pdf *p = P(w);
	double cw = p->pw - p->ml - p->mr;
	double width = p->meta.landscape ? cw * 0.75 : cw;
	double h = doc_chart_height(c, width);
	double y = room_for(p, h + 8, h + 8);
	if (!p->dry)
		doc_chart_draw(p->cr, c, p->ml + (cw - width) / 2, y, width, h, p->e->lang);
	if (!p->dry) {
		cairo_set_dash(p->cr, NULL, 0, 0);
		cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	}
	return p->rc;
}

static int pdf_sign(struct doc_writer *w, const struct doc_sign *s)
{
	struct pdf *p = P(w);
	struct doc_env *e = p->e;
	const struct doc_col cols[] = { { "", 0.8, DOC_CENTER }, { s->role[0], 1.5, DOC_CENTER },
		{ s->role[1], 1.5, DOC_CENTER }, { s->role[2], 1.5, DOC_CENTER } };
	/* keep the whole block together */
	double need = 30 + 2 * 34;
	if (p->pg.y + need > p->pg.bottom && p->pg.y > p->pg.top + EPS) {
		doc_pager_new_page(&p->pg);
		body_page(p);
	}
	pdf_table_begin(w, cols, 4);
	p->min_row_h = 30;
	struct doc_cell r1[4] = { { TR(e, "签名", "Signature"), 0, 1 }, { s->who[0], 0, 0 }, { s->who[1], 0, 0 },
		{ s->who[2], 0, 0 } };
	struct doc_cell r2[4] = { { TR(e, "日期", "Date"), 0, 1 }, { s->date[0], 0, 0 }, { s->date[1], 0, 0 },
		{ s->date[2], 0, 0 } };
	pdf_table_row(w, r1, 0);
	p->min_row_h = 22;
	pdf_table_row(w, r2, 0);
	return pdf_table_end(w);
}

static const struct doc_writer_ops pdf_ops = {
	pdf_record_begin, pdf_record_end, pdf_heading, pdf_para, pdf_table_begin, pdf_table_row, pdf_table_end, pdf_chart,
	pdf_sign,
};

/* ---- Rendering ---- */

struct png_src {
	const unsigned char *p;
	size_t n, off;
};

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int length)
{
	struct png_src *s = closure;
	if (s->n - s->off < length)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, s->p + s->off, length);
	s->off += length;
	return CAIRO_STATUS_SUCCESS;
}

static PangoContext *layout_context(void)
{
	PangoContext *pc = pango_font_map_create_context(pango_cairo_font_map_get_default());
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(pc, 72);
	pango_context_set_language(pc, pango_language_from_string("zh-cn"));
	return pc;
}

static int run_pass(struct pdf *p, int first, int last)
{
	for (int r = first; r <= last && !p->rc; r++) {
		int rc = doc_emit_record(p->e, (enum nl_doc_record)r, &p->w);
		if (rc && !p->rc)
			p->rc = rc;
	}
	return p->rc;
}

int doc_pdf_render(struct doc_env *e, int first, int last, const char *path)
{
	struct pdf p1, p2;
	int pages[NL_DOC_RECORDS + 1] = { 0 };
	int rc;
	memset(&p1, 0, sizeof p1);
	memset(&p2, 0, sizeof p2);
	PangoContext *pc = layout_context();
	PangoFontDescription *fd = pango_font_description_from_string(DOC_PDF_FONTS);
	struct layout_cache *cache = calloc(1, sizeof *cache);   /* NULL: no cache, same output */

	/* pass 1: count pages */
	p1.w.ops = &pdf_ops;
	p1.w.env = e;
	p1.e = e;
	p1.dry = 1;
	p1.pc = pc;
	p1.fd = fd;
	p1.rec_pages_out = pages;
	p1.cache = cache;
	if ((rc = run_pass(&p1, first, last)))
		goto out;

	/* pass 2: draw */
	p2.w.ops = &pdf_ops;
	p2.w.env = e;
	p2.e = e;
	p2.pc = pc;
	p2.fd = fd;
	p2.rec_pages = pages;
	p2.cache = cache;
	p2.surf = cairo_pdf_surface_create(path, A4_W, A4_H);
	if (cairo_surface_status(p2.surf) != CAIRO_STATUS_SUCCESS) {
		rc = nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "The PDF file could not be created.");
		goto out;
	}
	char title[256];
	doc_title(e, first == last ? (enum nl_doc_record)first : NL_DOC_ALL, title, sizeof title);
	cairo_pdf_surface_set_metadata(p2.surf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(p2.surf, CAIRO_PDF_METADATA_AUTHOR, e->company);
	cairo_pdf_surface_set_metadata(p2.surf, CAIRO_PDF_METADATA_CREATOR, "nengli");
	p2.cr = cairo_create(p2.surf);
	if (e->logo) {
		struct png_src src = { e->logo, e->logo_len, 0 };
		p2.logo = cairo_image_surface_create_from_png_stream(png_read, &src);
		if (cairo_surface_status(p2.logo) != CAIRO_STATUS_SUCCESS) {
			NL_LOG(NL_LOG_WARN, "the logo could not be decoded; the PDF is made without it");
			cairo_surface_destroy(p2.logo);
			p2.logo = NULL;
		}
	}
	if ((rc = run_pass(&p2, first, last)))
		goto out;
	cairo_show_page(p2.cr);
	cairo_destroy(p2.cr);
	p2.cr = NULL;
	cairo_surface_finish(p2.surf);
	if (cairo_surface_status(p2.surf) != CAIRO_STATUS_SUCCESS)
		rc = nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "Writing the PDF failed: %s.",
			cairo_status_to_string(cairo_surface_status(p2.surf)));
out:
	if (p2.cr)
		cairo_destroy(p2.cr);
	if (p2.surf)
		cairo_surface_destroy(p2.surf);
	if (p2.logo)
		cairo_surface_destroy(p2.logo);
	if (cache) {
		cache_clear(cache);
		free(cache);
	}
	pango_font_description_free(fd);
	g_object_unref(pc);
	return rc;
}
