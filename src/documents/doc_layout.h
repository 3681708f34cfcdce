/* doc_layout.h — the pure arithmetic of printed documents: where table rows go on pages (the header repeated on every
 * page, never a header alone at the bottom of a page, rows taller than a page split), and chart scales with nice ticks.
 * No I/O, no cairo; the PDF writer drives these, tests/unit/test_documents.c checks them. Units are points, y grows
 * downward. */
#ifndef NL_DOC_LAYOUT_H
#define NL_DOC_LAYOUT_H

#include <stddef.h>

/* The vertical state of a flow of blocks on pages whose body runs from top to bottom. */
struct doc_pager {
	double top, bottom;   /* the body area of every page */
	double y;             /* the next free position on the current page */
	int page;             /* index of the current page within the flow (0 = the first) */
	int header_on_page;   /* 1 when the current table's header has been placed on the current page */
};

/* Where doc_pager_row puts a row. */
struct doc_place {
	int new_page;      /* 1: start a new page first */
	int header;        /* 1: draw the table header at header_y first */
	double header_y;
	double row_y;      /* the top of the row */
	int split;         /* 1: the row does not fit on any page: draw what fits between row_y and the bottom, then call
	                      doc_pager_continue for the rest */
};

/* Starts a flow at y on page 0. */
void doc_pager_init(struct doc_pager *p, double top, double bottom, double y);
/* Starts a new page (y = top, no header on it). */
void doc_pager_new_page(struct doc_pager *p);
/* Starts a new table: its header is not yet on the current page. */
void doc_pager_table(struct doc_pager *p);

/* Places a row of height row_h of a table whose header is header_h high (0: a table without a header, or a plain
 * block such as a paragraph). The header goes on a page only together with the first row (or, for a row that must be
 * split, with at least min_h of it), so a page never ends with a lone header; after a page break the header is
 * repeated. A row taller than a whole page (minus the header) is split: it starts on the current page when header and
 * min_h fit there, else on a new page. Advances p past what was placed (for a split row: to the bottom). */
void doc_pager_row(struct doc_pager *p, double header_h, double row_h, double min_h, struct doc_place *out);
/* Places a block of text that may break between its lines (a paragraph) of height h: where it fits, or, when at
 * least min_h of it fits in the room left, starting here and split (so a heading is never separated from the start of
 * its text); else on a new page (split again when taller than a page). */
void doc_pager_flow(struct doc_pager *p, double h, double min_h, struct doc_place *out);
/* Continues a split row whose remaining height is rest_h: always on a new page, under a repeated header. */
void doc_pager_continue(struct doc_pager *p, double header_h, double rest_h, struct doc_place *out);
/* Reserves a block of height h that must not be split (a heading with the start of what follows, a chart): a new
 * page when it does not fit in the room left (unless the page is still empty). Sets *y to its top. Returns 1 when a
 * new page was started. */
int doc_pager_block(struct doc_pager *p, double h, double *y);

/* For the tests and for planning: paginates n rows of the given heights under a header of header_h on pages whose
 * body is top..bottom, starting at y on the first page, without splitting (rows higher than a page are given a page
 * of their own and counted as overflowing). Writes each row's page index into page_of (may be NULL) and returns the
 * number of pages used (at least 1). *headers (may be NULL) receives how many times the header was drawn. */
int doc_paginate(const double *heights, size_t n, double header_h, double top, double bottom, double y, int *page_of,
	int *headers);

/* A linear axis from min to max with a tick every step (ticks = number of intervals). */
struct doc_scale {
	double min, max, step;
	int ticks;
};

/* Returns a "nice" step for covering range with about target intervals: 1, 2 or 5 × 10^n (range <= 0 gives 1). */
double doc_nice_step(double range, int target);
/* Chooses the axis for values in vmin..vmax. A ratio axis (fractions shown as percentages) runs 0..1 with ticks of
 * 0.2 when the values fit, else up to the next multiple of a nice step (0.2 for up to 2); other axes run from 0 (or
 * below, for negative values) to vmax rounded up to a multiple of a nice step of about five intervals. An empty range
 * (vmax <= vmin <= 0) gives 0..1. */
void doc_nice_scale(double vmin, double vmax, int ratio, struct doc_scale *out);

#endif
