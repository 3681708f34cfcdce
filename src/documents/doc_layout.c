/* doc_layout.c — page breaking of tables and blocks, and nice chart scales (see doc_layout.h). */
#include "documents/doc_layout.h"

#include <math.h>
#include <string.h>

#include "core/common.h"

/* Heights are sums of font metrics: compare with a small tolerance so that an exact fit fits. */
#define EPS 1e-6

void doc_pager_init(struct doc_pager *p, double top, double bottom, double y)
{
	p->top = top;
	p->bottom = bottom;
	p->y = y;
	p->page = 0;
	p->header_on_page = 0;
}

void doc_pager_new_page(struct doc_pager *p)
{
	p->page++;
	p->y = p->top;
	p->header_on_page = 0;
}

void doc_pager_table(struct doc_pager *p)
{
	p->header_on_page = 0;
}

/* Puts the header (if any) at the top of the current position and the row under it. */
static void place_here(struct doc_pager *p, double header_h, int need_head, struct doc_place *out)
{
	out->header = need_head;
	out->header_y = p->y;
	out->row_y = p->y + (need_head ? header_h : 0);
	if (header_h > 0)
		p->header_on_page = 1;
}

void doc_pager_row(struct doc_pager *p, double header_h, double row_h, double min_h, struct doc_place *out)
{
	memset(out, 0, sizeof *out);
	int need_head = header_h > 0 && !p->header_on_page;
	double head = need_head ? header_h : 0;
	double room = p->bottom - p->y;
	double page_room = p->bottom - p->top - (header_h > 0 ? header_h : 0);
	if (head + row_h <= room + EPS) {
		place_here(p, header_h, need_head, out);
		p->y = out->row_y + row_h;
		return;
	}
	if (row_h > page_room + EPS) {
		/* Taller than any page: start here when the header and a first piece fit, else on a fresh page. */
		if (!(head + min_h <= room + EPS && min_h > 0)) {
			out->new_page = 1;
			doc_pager_new_page(p);
			need_head = header_h > 0;
		}
		place_here(p, header_h, need_head, out);
		out->split = 1;
		p->y = p->bottom;
		return;
	}
	out->new_page = 1;
	doc_pager_new_page(p);
	place_here(p, header_h, header_h > 0, out);
	p->y = out->row_y + row_h;
}

void doc_pager_flow(struct doc_pager *p, double h, double min_h, struct doc_place *out)
{
	double room = p->bottom - p->y;
	if (h > room + EPS && min_h > 0 && min_h <= room + EPS) {
		memset(out, 0, sizeof *out);
		out->row_y = p->y;
		out->split = 1;
		p->y = p->bottom;
		return;
	}
	doc_pager_row(p, 0, h, min_h, out);
}

void doc_pager_continue(struct doc_pager *p, double header_h, double rest_h, struct doc_place *out)
{
	memset(out, 0, sizeof *out);
	out->new_page = 1;
	doc_pager_new_page(p);
	place_here(p, header_h, header_h > 0, out);
	if (out->row_y + rest_h <= p->bottom + EPS) {
		p->y = out->row_y + rest_h;
	} else {
		out->split = 1;
		p->y = p->bottom;
	}
}

int doc_pager_block(struct doc_pager *p, double h, double *y)
{
	int fresh = 0;
	if (p->y + h > p->bottom + EPS && p->y > p->top + EPS) {
		doc_pager_new_page(p);
		fresh = 1;
	}
	*y = p->y;
	p->y += h;
	return fresh;
}

int doc_paginate(const double *heights, size_t n, double header_h, double top, double bottom, double y, int *page_of,
	int *headers)
{
	struct doc_pager p;
	int nh = 0;
	doc_pager_init(&p, top, bottom, y);
	doc_pager_table(&p);
	for (size_t i = 0; i < n; i++) {
		struct doc_place pl;
		doc_pager_row(&p, header_h, heights[i], 0, &pl);
		nh += pl.header;
		if (page_of)
			page_of[i] = p.page;
	}
	if (headers)
		*headers = nh;
	return p.page + 1;
}

double doc_nice_step(double range, int target)
{
	if (!(range > 0) || !isfinite(range))
		return 1;
	if (target < 1)
		target = 1;
	double raw = range / target;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	double nice = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
	return nice * mag;
}

void doc_nice_scale(double vmin, double vmax, int ratio, struct doc_scale *out)
{
	if (!isfinite(vmin))
		vmin = 0;
	if (!isfinite(vmax))
		vmax = 0;
	if (vmin > 0)
		vmin = 0;
	if (vmax < 0)
		vmax = 0;
	double step;
	if (ratio) {
		step = vmax - vmin <= 2 + 1e-9 ? 0.2 : doc_nice_step(vmax - vmin, 5);
		if (vmax < 1)
			vmax = 1;
	} else {
		if (vmax - vmin <= 0)
			vmax = 1;
		step = doc_nice_step(vmax - vmin, 5);
	}
	out->step = step;
	out->min = vmin < 0 ? floor(vmin / step - 1e-9) * step : 0;
	out->max = ceil(vmax / step - 1e-9) * step;
	if (out->max <= out->min)
		out->max = out->min + step;
	out->ticks = (int)lround((out->max - out->min) / step);
}
