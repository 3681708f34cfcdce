/* doc_docx.c — the DOCX writer: an Office Open XML package written by nengli through the streaming ZIP writer
 * (doc_zip.h): [Content_Types].xml, the relationships, word/document.xml streamed as the content is emitted, styles
 * (Title, Heading 1/2, body text with a two-character first-line indent, notes, a table style), real tables (w:tbl)
 * with a header row repeated on every page, the charts as PNG images (cairo, in word/media), a running head per record
 * and "第 X 页 / 共 Y 页" in the footer (PAGE and NUMPAGES fields; each record is a section, the pages are numbered
 * through the file — LibreOffice does not compute SECTIONPAGES).
 * Every text goes through doc_xml_escape. */
#include "documents/docInt.h"

#include "documents/doc_text.h"
#include "documents/doc_zip.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define TWIPS_PER_PT 20
#define EMU_PER_PT 12700
#define MARGIN_TW 1134            /* 2 cm */
#define PAGE_W_TW 11906           /* A4 */
#define PAGE_H_TW 16838
#define FLUSH_AT (64 * 1024)
#define MAX_COLS 24

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

struct image {
	unsigned char *png;
	size_t len;
};

struct docx {
	struct doc_writer w;
	struct doc_env *e;
	struct doc_zip *z;
	struct nl_strbuf b;          /* pending document.xml text, flushed to the zip entry */
	struct image *img;
	size_t nimg;
	struct doc_meta meta[NL_DOC_RECORDS];
	int nrec;                    /* records begun */
	int last_rec;                /* index (in meta) of the final record */
	int landscape;
	/* the current table */
	size_t ncols;
	int colw[MAX_COLS];
	enum doc_align align[MAX_COLS];
	int font_hp;                 /* table text size in half-points */
	int logo_img;                /* 1-based image index of the logo, 0: none */
	int rc;
};

static struct docx *D(struct doc_writer *w)
{
	return (struct docx *)w;
}

static void flush(struct docx *d, int force)
{
	if (d->b.failed) {
		if (!d->rc)
			d->rc = nl_fail(d->e->ctx->err, NL_ENOMEM, NULL, NULL);
		return;
	}
	if ((force || d->b.len >= FLUSH_AT) && d->b.len) {
		if (doc_zip_write(d->z, d->b.data, d->b.len) && !d->rc)
			d->rc = nl_fail(d->e->ctx->err, NL_EINTERNAL, NULL, "Writing the DOCX file failed.");
		strbuf_reset(&d->b);
	}
}

static void put(struct docx *d, const char *s)
{
	strbuf_puts(&d->b, s);
}

/* A run of text: '\n' inside becomes a line break. */
static void run(struct docx *d, const char *text, int bold, int hp, const char *color)
{
	put(d, "<w:r>");
	if (bold || hp || color) {
		put(d, "<w:rPr>");
		if (bold)
			put(d, "<w:b/><w:bCs/>");
		if (color)
			strbuf_printf(&d->b, "<w:color w:val=\"%s\"/>", color);
		if (hp)
			strbuf_printf(&d->b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", hp, hp);
		put(d, "</w:rPr>");
	}
	const char *s = text ? text : "";
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		put(d, "<w:t xml:space=\"preserve\">");
		doc_xml_escape(&d->b, s, n);
		put(d, "</w:t>");
		if (!nl)
			break;
		put(d, "<w:br/>");
		s = nl + 1;
	}
	put(d, "</w:r>");
}

static void para(struct docx *d, const char *style, const char *jc, const char *text, int bold, int hp)
{
	put(d, "<w:p>");
	if (style || jc) {
		put(d, "<w:pPr>");
		if (style)
			strbuf_printf(&d->b, "<w:pStyle w:val=\"%s\"/>", style);
		if (jc)
			strbuf_printf(&d->b, "<w:jc w:val=\"%s\"/>", jc);
		put(d, "</w:pPr>");
	}
	if (text && *text)
		run(d, text, bold, hp, NULL);
	put(d, "</w:p>");
	flush(d, 0);
}

static int content_width_tw(const struct docx *d)
{
	return (d->landscape ? PAGE_H_TW : PAGE_W_TW) - 2 * MARGIN_TW;
}

/* An inline picture of image idx (1-based) at w × h points. */
static void picture(struct docx *d, int idx, double w_pt, double h_pt)
{
	long cx = lround(w_pt * EMU_PER_PT), cy = lround(h_pt * EMU_PER_PT);
	strbuf_printf(&d->b,
		"<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>"
		"<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"%ld\" cy=\"%ld\"/>"
		"<wp:docPr id=\"%d\" name=\"Picture %d\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/>"
		"</wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
		"<pic:pic><pic:nvPicPr><pic:cNvPr id=\"%d\" name=\"image%d.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
		"<pic:blipFill><a:blip r:embed=\"rIdImg%d\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
		"<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm>"
		"<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>"
		"</wp:inline></w:drawing></w:r></w:p>",
		cx, cy, idx, idx, idx, idx, idx, cx, cy);
	flush(d, 0);
}

static int add_image(struct docx *d, unsigned char *png, size_t len)
{
	struct image *n = realloc(d->img, (d->nimg + 1) * sizeof *n);
	if (!n) {
		free(png);
		return 0;
	}
	d->img = n;
	d->img[d->nimg].png = png;
	d->img[d->nimg].len = len;
	return (int)++d->nimg;
}

/* The section properties of a record: its page size and orientation, its head and foot (none on the cover). */
static void sect_pr(struct docx *d, int rec, int landscape)
{
	int w = landscape ? PAGE_H_TW : PAGE_W_TW, h = landscape ? PAGE_W_TW : PAGE_H_TW;
	strbuf_printf(&d->b,
		"<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdH%d\"/>"
		"<w:headerReference w:type=\"first\" r:id=\"rIdH0\"/>"
		"<w:footerReference w:type=\"default\" r:id=\"rIdF1\"/><w:footerReference w:type=\"first\" r:id=\"rIdF0\"/>"
		"<w:pgSz w:w=\"%d\" w:h=\"%d\"%s/>"
		"<w:pgMar w:top=\"1247\" w:right=\"%d\" w:bottom=\"1247\" w:left=\"%d\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
		"<w:titlePg/></w:sectPr>",
		rec + 1, w, h, landscape ? " w:orient=\"landscape\"" : "", MARGIN_TW, MARGIN_TW);
}

/* ---- Tables ---- */

static void cell(struct docx *d, int width, const char *text, const char *fill, int bold, enum doc_align al, int hp)
{
	strbuf_printf(&d->b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width);
	if (fill)
		strbuf_printf(&d->b, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"%s\"/>", fill);
	put(d, "<w:vAlign w:val=\"top\"/></w:tcPr>");
	strbuf_printf(&d->b, "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:jc w:val=\"%s\"/></w:pPr>",
		al == DOC_CENTER ? "center" : al == DOC_RIGHT ? "right" : "left");
	if (text && *text)
		run(d, text, bold, hp, NULL);
	put(d, "</w:p></w:tc>");
}

static void table_open(struct docx *d, const int *widths, size_t n)
{
	put(d, "<w:tbl><w:tblPr><w:tblStyle w:val=\"NLTable\"/><w:tblW w:w=\"0\" w:type=\"auto\"/>"
	       "<w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\""
	       " w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&d->b, "<w:gridCol w:w=\"%d\"/>", widths[i]);
	put(d, "</w:tblGrid>");
}

/* ---- The writer interface ---- */

static int docx_record_begin(struct doc_writer *w, const struct doc_meta *m)
{
	struct docx *d = D(w);
	struct doc_env *e = d->e;
	if (d->nrec > 0) {
		/* close the previous record's section: its sectPr sits in the last paragraph of the section */
		put(d, "<w:p><w:pPr>");
		sect_pr(d, d->nrec - 1, d->landscape);
		put(d, "</w:pPr></w:p>");
	}
	if (d->nrec < NL_DOC_RECORDS)
		d->meta[d->nrec] = *m;
	d->nrec++;
	d->landscape = m->landscape;
	/* the cover */
	for (int i = 0; i < 3; i++)
		para(d, NULL, NULL, NULL, 0, 0);
	if (d->logo_img) {
		double lw = e->logo_w, lh = e->logo_h, scale = fmin(52.0 / lh, 160.0 / lw);
		picture(d, d->logo_img, lw * scale, lh * scale);
	}
	para(d, NULL, "center", e->company, 1, 32);
	for (int i = 0; i < 4; i++)
		para(d, NULL, NULL, NULL, 0, 0);
	para(d, "Title", NULL, m->title, 0, 0);
	para(d, NULL, NULL, NULL, 0, 0);
	char year[16];
	snprintf(year, sizeof year, "%d", e->year);
	const char *labels[] = { TR(e, "文件编号", "Document No."), TR(e, "版本", "Version"), TR(e, "年度", "Year"),
		TR(e, "状态", "Status"), TR(e, "发布日期", "Issued") };
	const char *values[] = { m->doc_number, m->version, year, m->status, *m->issued ? m->issued : "—" };
	int kw[2] = { 2000, 4000 };
	put(d, "<w:tbl><w:tblPr><w:tblStyle w:val=\"NLTable\"/><w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/>"
	       "</w:tblPr><w:tblGrid><w:gridCol w:w=\"2000\"/><w:gridCol w:w=\"4000\"/></w:tblGrid>");
	for (size_t i = 0; i < NL_ARRAY_LEN(labels); i++) {
		put(d, "<w:tr><w:trPr><w:trHeight w:val=\"420\"/></w:trPr>");
		cell(d, kw[0], labels[i], "DCE6F1", 1, DOC_CENTER, 21);
		cell(d, kw[1], values[i], NULL, 0, DOC_LEFT, 21);
		put(d, "</w:tr>");
	}
	put(d, "</w:tbl>");
	for (int i = 0; i < 3; i++)
		para(d, NULL, NULL, NULL, 0, 0);
	/* the signature block */
	int sw[4] = { 1200, 2000, 2000, 2000 };
	put(d, "<w:tbl><w:tblPr><w:tblStyle w:val=\"NLTable\"/><w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/>"
	       "</w:tblPr><w:tblGrid>");
	for (int i = 0; i < 4; i++)
		strbuf_printf(&d->b, "<w:gridCol w:w=\"%d\"/>", sw[i]);
	put(d, "</w:tblGrid><w:tr>");
	cell(d, sw[0], "", "DCE6F1", 1, DOC_CENTER, 18);
	for (int k = 0; k < 3; k++)
		cell(d, sw[k + 1], m->sign.role[k], "DCE6F1", 1, DOC_CENTER, 18);
	put(d, "</w:tr><w:tr><w:trPr><w:trHeight w:val=\"600\"/></w:trPr>");
	cell(d, sw[0], TR(e, "姓名", "Name"), "DCE6F1", 1, DOC_CENTER, 18);
	for (int k = 0; k < 3; k++)
		cell(d, sw[k + 1], m->sign.who[k], NULL, 0, DOC_CENTER, 18);
	put(d, "</w:tr><w:tr>");
	cell(d, sw[0], TR(e, "日期", "Date"), "DCE6F1", 1, DOC_CENTER, 18);
	for (int k = 0; k < 3; k++)
		cell(d, sw[k + 1], m->sign.date[k], NULL, 0, DOC_CENTER, 18);
	put(d, "</w:tr></w:tbl>");
	for (int i = 0; i < 3; i++)
		para(d, NULL, NULL, NULL, 0, 0);
	char issued[320];
	snprintf(issued, sizeof issued, "%s%s%s", e->company, *m->issued ? "  " : "", m->issued);
	para(d, NULL, "center", issued, 0, 22);
	put(d, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
	flush(d, 0);
	return d->rc;
}

static int docx_record_end(struct doc_writer *w)
{
	return D(w)->rc;
}

static int docx_heading(struct doc_writer *w, int level, const char *text)
{
	struct docx *d = D(w);
	para(d, level == 1 ? "Heading1" : "Heading2", NULL, text, 0, 0);
	return d->rc;
}

static int docx_para(struct doc_writer *w, const char *text, enum doc_para_style style)
{
	struct docx *d = D(w);
	const char *s = text ? text : "";
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		put(d, style == DOC_P_BODY ? "<w:p><w:pPr><w:pStyle w:val=\"BodyText\"/></w:pPr>"
					   : "<w:p><w:pPr><w:pStyle w:val=\"Note\"/></w:pPr>");
		put(d, "<w:r><w:t xml:space=\"preserve\">");
		doc_xml_escape(&d->b, s, n);
		put(d, "</w:t></w:r></w:p>");
		flush(d, 0);
		if (!nl)
			break;
		s = nl + 1;
	}
	return d->rc;
}

static int docx_table_begin(struct doc_writer *w, const struct doc_col *cols, size_t n)
{
	struct docx *d = D(w);
	double total = 0;
	int cw = content_width_tw(d);
	if (n > MAX_COLS)
		n = MAX_COLS;
	d->ncols = n;
	for (size_t i = 0; i < n; i++)
		total += cols[i].weight > 0 ? cols[i].weight : 1;
	for (size_t i = 0; i < n; i++) {
		d->colw[i] = (int)(cw * (cols[i].weight > 0 ? cols[i].weight : 1) / total);
		d->align[i] = cols[i].align;
	}
	d->font_hp = n > 12 ? 14 : n > 9 ? 15 : n > 6 ? 16 : 18;
	table_open(d, d->colw, n);
	put(d, "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
	for (size_t i = 0; i < n; i++)
		cell(d, d->colw[i], cols[i].title, "DCE6F1", 1, DOC_CENTER, d->font_hp);
	put(d, "</w:tr>");
	flush(d, 0);
	return d->rc;
}

static int docx_table_row(struct doc_writer *w, const struct doc_cell *cells, int row_tone)
{
	struct docx *d = D(w);
	put(d, "<w:tr>");
	for (size_t i = 0; i < d->ncols; i++) {
		int tone = cells[i].tone ? cells[i].tone : row_tone;
		cell(d, d->colw[i], cells[i].text, tone ? doc_tone_hex(tone, 1) : NULL, cells[i].bold, d->align[i], d->font_hp);
	}
	put(d, "</w:tr>");
	flush(d, 0);
	return d->rc;
}

static int docx_table_end(struct doc_writer *w)
{
	struct docx *d = D(w);
	put(d, "</w:tbl>");
	para(d, "Spacer", NULL, NULL, 0, 0);
	return d->rc;
}

static int docx_chart(struct doc_writer *w, const struct doc_chart *c)
{
	struct docx *d = D(w);
	double width = (double)content_width_tw(d) / TWIPS_PER_PT;
	if (d->landscape)
		width *= 0.75;
	double h = doc_chart_height(c, width);
	unsigned char *png = NULL;
	size_t len = 0;
	int rc = doc_chart_png(c, width, h, 2.0, d->e->lang, &png, &len);
	if (rc) {
		if (!d->rc)
			d->rc = nl_fail(d->e->ctx->err, rc, NULL, "A chart could not be drawn.");
		return d->rc;
	}
	int idx = add_image(d, png, len);
	if (!idx) {
		if (!d->rc)
			d->rc = nl_fail(d->e->ctx->err, NL_ENOMEM, NULL, NULL);
		return d->rc;
	}
	picture(d, idx, width, h);
	return d->rc;
}

static int docx_sign(struct doc_writer *w, const struct doc_sign *s)
{
	struct docx *d = D(w);
	struct doc_env *e = d->e;
	int cw = content_width_tw(d);
	int sw[4] = { cw / 7, cw * 2 / 7, cw * 2 / 7, cw * 2 / 7 };
	table_open(d, sw, 4);
	put(d, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
	cell(d, sw[0], "", "DCE6F1", 1, DOC_CENTER, 18);
	for (int k = 0; k < 3; k++)
		cell(d, sw[k + 1], s->role[k], "DCE6F1", 1, DOC_CENTER, 18);
	put(d, "</w:tr><w:tr><w:trPr><w:trHeight w:val=\"640\"/><w:cantSplit/></w:trPr>");
	cell(d, sw[0], TR(e, "签名", "Signature"), "DCE6F1", 1, DOC_CENTER, 18);
	for (int k = 0; k < 3; k++)
		cell(d, sw[k + 1], s->who[k], NULL, 0, DOC_CENTER, 18);
	put(d, "</w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr>");
	cell(d, sw[0], TR(e, "日期", "Date"), "DCE6F1", 1, DOC_CENTER, 18);
	for (int k = 0; k < 3; k++)
		cell(d, sw[k + 1], s->date[k], NULL, 0, DOC_CENTER, 18);
	put(d, "</w:tr></w:tbl>");
	para(d, "Spacer", NULL, NULL, 0, 0);
	return d->rc;
}

static const struct doc_writer_ops docx_ops = {
	docx_record_begin, docx_record_end, docx_heading, docx_para, docx_table_begin, docx_table_row, docx_table_end,
	docx_chart, docx_sign,
};

/* ---- The package's other parts ---- */

static const char styles_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:styles xmlns:w=\"" NS_W "\">"
	"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"" DOC_FONT "\" w:hAnsi=\"" DOC_FONT "\" w:eastAsia=\""
	DOC_FONT "\" w:cs=\"" DOC_FONT "\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>"
	"<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
	"<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>"
	"</w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:jc w:val=\"center\"/><w:spacing w:after=\"240\"/></w:pPr>"
	"<w:rPr><w:b/><w:bCs/><w:sz w:val=\"52\"/><w:szCs w:val=\"52\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"120\"/>"
	"<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val=\"1F3864\"/><w:sz w:val=\"28\"/>"
	"<w:szCs w:val=\"28\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"160\" w:after=\"80\"/>"
	"<w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val=\"2F5597\"/><w:sz w:val=\"24\"/>"
	"<w:szCs w:val=\"24\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"BodyText\"><w:name w:val=\"Body Text\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:qFormat/><w:pPr><w:spacing w:after=\"80\" w:line=\"360\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"200\""
	" w:firstLine=\"420\"/><w:jc w:val=\"both\"/></w:pPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Note\"><w:name w:val=\"Note\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:pPr><w:spacing w:after=\"80\"/></w:pPr><w:rPr><w:color w:val=\"666666\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>"
	"</w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Spacer\"><w:name w:val=\"Spacer\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:rPr><w:sz w:val=\"12\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"16\"/>"
	"<w:szCs w:val=\"16\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"1\" w:color=\"999999\"/></w:pBdr>"
	"<w:tabs><w:tab w:val=\"right\" w:pos=\"14570\"/></w:tabs></w:pPr><w:rPr><w:color w:val=\"666666\"/>"
	"<w:sz w:val=\"16\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:pPr><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:color w:val=\"444444\"/><w:sz w:val=\"16\"/></w:rPr></w:style>"
	"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr>"
	"<w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
	"<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
	"<w:style w:type=\"table\" w:styleId=\"NLTable\"><w:name w:val=\"nengli Table\"/><w:basedOn w:val=\"TableNormal\"/>"
	"<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>"
	"<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>"
	"<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>"
	"<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>"
	"<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>"
	"<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/></w:tblBorders>"
	"<w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"60\" w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/>"
	"<w:right w:w=\"60\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
	"</w:styles>";

static const char settings_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:settings xmlns:w=\"" NS_W "\"><w:defaultTabStop w:val=\"420\"/>"
	"<w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat>"
	"<w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/>"
	"</w:compat></w:settings>";

static const char rels_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\""
	" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\""
	" Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\""
	" Target=\"docProps/app.xml\"/></Relationships>";

static const char app_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
	"<Application>nengli</Application></Properties>";

static void content_types(struct nl_strbuf *b, int nrec)
{
	strbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		       "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		       "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		       "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		       "<Default Extension=\"png\" ContentType=\"image/png\"/>"
		       "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
		       "wordprocessingml.document.main+xml\"/>"
		       "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
		       "wordprocessingml.styles+xml\"/>"
		       "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
		       "wordprocessingml.settings+xml\"/>"
		       "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
		       "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
		       "extended-properties+xml\"/>");
	for (int i = 0; i <= 1; i++)
		strbuf_printf(b, "<Override PartName=\"/word/footer%d.xml\" ContentType=\"application/vnd.openxmlformats-"
				 "officedocument.wordprocessingml.footer+xml\"/>", i);
	for (int i = 0; i <= nrec; i++)
		strbuf_printf(b, "<Override PartName=\"/word/header%d.xml\" ContentType=\"application/vnd.openxmlformats-"
				 "officedocument.wordprocessingml.header+xml\"/>", i);
	strbuf_puts(b, "</Types>");
}

static void core_xml(struct doc_env *e, const char *title, struct nl_strbuf *b)
{
	char now[32];
	snprintf(now, sizeof now, "%sT00:00:00Z", e->today_s);
	strbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		       "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
		       " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
		       " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	doc_xml_puts(b, title);
	strbuf_puts(b, "</dc:title><dc:creator>");
	doc_xml_puts(b, e->company);
	strbuf_puts(b, "</dc:creator><cp:lastModifiedBy>nengli</cp:lastModifiedBy>");
	strbuf_printf(b, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
			 "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified></cp:coreProperties>", now, now);
}

static void footer_xml(struct doc_env *e, int numbered, struct nl_strbuf *b)
{
	strbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"" NS_W "\"><w:p>"
		       "<w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>");
	if (numbered) {
		const char *parts[5] = { TR(e, "第 ", "Page "), "PAGE", TR(e, " 页 / 共 ", " of "), "NUMPAGES",
			TR(e, " 页", "") };
		for (int i = 0; i < 5; i++) {
			if (i == 1 || i == 3) {
				strbuf_printf(b, "<w:fldSimple w:instr=\" %s \"><w:r><w:t>1</w:t></w:r></w:fldSimple>", parts[i]);
			} else if (*parts[i]) {
				strbuf_puts(b, "<w:r><w:t xml:space=\"preserve\">");
				doc_xml_puts(b, parts[i]);
				strbuf_puts(b, "</w:t></w:r>");
			}
		}
	}
	strbuf_puts(b, "</w:p></w:ftr>");
}

static void header_xml(struct doc_env *e, const struct doc_meta *m, struct nl_strbuf *b)
{
	strbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr xmlns:w=\"" NS_W "\">");
	if (m) {
		int right = (m->landscape ? PAGE_H_TW : PAGE_W_TW) - 2 * MARGIN_TW;
		strbuf_printf(b, "<w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:tabs><w:tab w:val=\"clear\" w:pos=\"14570\"/>"
				 "<w:tab w:val=\"right\" w:pos=\"%d\"/></w:tabs></w:pPr><w:r><w:t xml:space=\"preserve\">", right);
		doc_xml_puts(b, e->company);
		strbuf_puts(b, "</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">");
		doc_xml_puts(b, m->title);
		strbuf_puts(b, "  ");
		doc_xml_puts(b, m->doc_number);
		strbuf_puts(b, "  ");
		doc_xml_puts(b, m->version);
		strbuf_puts(b, "</w:t></w:r></w:p>");
	} else {
		strbuf_puts(b, "<w:p/>");
	}
	strbuf_puts(b, "</w:hdr>");
}

static int add_part(struct docx *d, const char *name, struct nl_strbuf *b)
{
	int rc = b->failed ? -1 : doc_zip_add(d->z, name, b->data ? b->data : "", b->len, 1);
	strbuf_reset(b);
	if (rc && !d->rc)
		d->rc = nl_fail(d->e->ctx->err, NL_EINTERNAL, NULL, "Writing the DOCX file failed.");
	return d->rc;
}

int doc_docx_render(struct doc_env *e, int first, int last, const char *path)
{
	struct docx d;
	struct nl_strbuf part;
	char title[256], name[64];
	int nrec = last - first + 1;
	memset(&d, 0, sizeof d);
	d.w.ops = &docx_ops;
	d.w.env = e;
	d.e = e;
	strbuf_init(&d.b, 0);
	strbuf_init(&part, 0);
	FILE *f = fopen(path, "wb");
	if (!f) {
		strbuf_cleanup(&d.b);
		return nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "The DOCX file could not be created.");
	}
	if (!(d.z = doc_zip_new(f))) {
		d.rc = nl_fail(e->ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	doc_title(e, first == last ? (enum nl_doc_record)first : NL_DOC_ALL, title, sizeof title);
	content_types(&part, nrec);
	add_part(&d, "[Content_Types].xml", &part);
	strbuf_puts(&part, rels_xml);
	add_part(&d, "_rels/.rels", &part);
	core_xml(e, title, &part);
	add_part(&d, "docProps/core.xml", &part);
	strbuf_puts(&part, app_xml);
	add_part(&d, "docProps/app.xml", &part);
	strbuf_puts(&part, styles_xml);
	add_part(&d, "word/styles.xml", &part);
	strbuf_puts(&part, settings_xml);
	add_part(&d, "word/settings.xml", &part);
	footer_xml(e, 0, &part);
	add_part(&d, "word/footer0.xml", &part);
	footer_xml(e, 1, &part);
	add_part(&d, "word/footer1.xml", &part);
	header_xml(e, NULL, &part);
	add_part(&d, "word/header0.xml", &part);
	if (d.rc)
		goto out;
	if (e->logo) {
		unsigned char *copy = malloc(e->logo_len);
		if (copy) {
			memcpy(copy, e->logo, e->logo_len);
			d.logo_img = add_image(&d, copy, e->logo_len);
		}
	}

	/* word/document.xml, streamed */
	if (doc_zip_begin(d.z, "word/document.xml", 1)) {
		d.rc = nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "Writing the DOCX file failed.");
		goto out;
	}
	put(&d, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"" NS_W "\""
		" xmlns:r=\"" NS_R "\""
		" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""
		" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
		" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>");
	for (int r = first; r <= last && !d.rc; r++) {
		int rc = doc_emit_record(e, (enum nl_doc_record)r, &d.w);
		if (rc && !d.rc)
			d.rc = rc;
	}
	if (d.rc)
		goto out;
	sect_pr(&d, d.nrec - 1, d.landscape);
	put(&d, "</w:body></w:document>");
	flush(&d, 1);
	if (d.rc || doc_zip_end(d.z)) {
		if (!d.rc)
			d.rc = nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "Writing the DOCX file failed.");
		goto out;
	}

	/* the parts that depend on what the document held: images, headers, relationships */
	for (size_t i = 0; i < d.nimg && !d.rc; i++) {
		snprintf(name, sizeof name, "word/media/image%zu.png", i + 1);
		if (doc_zip_add(d.z, name, d.img[i].png, d.img[i].len, 0))
			d.rc = nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "Writing the DOCX file failed.");
	}
	for (int i = 0; i < d.nrec && i < NL_DOC_RECORDS && !d.rc; i++) {
		header_xml(e, &d.meta[i], &part);
		snprintf(name, sizeof name, "word/header%d.xml", i + 1);
		add_part(&d, name, &part);
	}
	strbuf_puts(&part, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
			   "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
			   "<Relationship Id=\"rIdStyles\" Type=\"" NS_R "/styles\" Target=\"styles.xml\"/>"
			   "<Relationship Id=\"rIdSettings\" Type=\"" NS_R "/settings\" Target=\"settings.xml\"/>"
			   "<Relationship Id=\"rIdF0\" Type=\"" NS_R "/footer\" Target=\"footer0.xml\"/>"
			   "<Relationship Id=\"rIdF1\" Type=\"" NS_R "/footer\" Target=\"footer1.xml\"/>");
	for (int i = 0; i <= nrec; i++)
		strbuf_printf(&part, "<Relationship Id=\"rIdH%d\" Type=\"" NS_R "/header\" Target=\"header%d.xml\"/>", i, i);
	for (size_t i = 0; i < d.nimg; i++)
		strbuf_printf(&part, "<Relationship Id=\"rIdImg%zu\" Type=\"" NS_R "/image\" Target=\"media/image%zu.png\"/>",
			i + 1, i + 1);
	strbuf_puts(&part, "</Relationships>");
	add_part(&d, "word/_rels/document.xml.rels", &part);
	if (!d.rc && doc_zip_finish(d.z))
		d.rc = nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "Writing the DOCX file failed.");
	d.z = NULL;
out:
	doc_zip_free(d.z);
	if (fclose(f) != 0 && !d.rc)
		d.rc = nl_fail(e->ctx->err, NL_EINTERNAL, NULL, "Writing the DOCX file failed.");
	for (size_t i = 0; i < d.nimg; i++)
		free(d.img[i].png);
	free(d.img);
	strbuf_cleanup(&d.b);
	strbuf_cleanup(&part);
	return d.rc;
}
