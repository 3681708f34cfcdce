/* doc_zip.c — the streaming ZIP writer (see doc_zip.h). Entries get a fixed timestamp (1980-01-01 00:00) so that the
 * same document gives the same bytes. */
#include "documents/doc_zip.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/common.h"

#define ZIP_FLAG_DESCRIPTOR 0x0008u
#define ZIP_FLAG_UTF8 0x0800u
#define ZIP_DOS_DATE 0x0021u   /* 1980-01-01 */
#define ZIP_DOS_TIME 0x0000u
#define ZIP_CHUNK 16384

struct zip_entry {
	char *name;
	uint16_t method, flags;
	uint32_t crc, csize, usize, offset;
};

struct doc_zip {
	FILE *f;
	uint32_t pos;              /* bytes written so far */
	int failed;
	struct zip_entry *e;
	size_t n, alloc;
	int open;                  /* an entry is open */
	z_stream zs;
	int zs_init;
	unsigned char out[ZIP_CHUNK];
};

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xFF);
	p[1] = (unsigned char)((v >> 8) & 0xFF);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

static int out_bytes(struct doc_zip *z, const void *p, size_t n)
{
	if (z->failed)
		return -1;
	if (n && fwrite(p, 1, n, z->f) != n) {
		z->failed = 1;
		return -1;
	}
	if ((uint64_t)z->pos + n > 0xFFFFFFF0u) {   /* beyond what a ZIP without ZIP64 can address */
		z->failed = 1;
		return -1;
	}
	z->pos += (uint32_t)n;
	return 0;
}

struct doc_zip *doc_zip_new(FILE *f)
{
	struct doc_zip *z = calloc(1, sizeof *z);
	if (z)
		z->f = f;
	return z;
}

static int local_header(struct doc_zip *z, struct zip_entry *e)
{
	unsigned char h[30];
	size_t nl = strlen(e->name);
	put32(h, 0x04034b50u);
	put16(h + 4, 20);
	put16(h + 6, e->flags);
	put16(h + 8, e->method);
	put16(h + 10, ZIP_DOS_TIME);
	put16(h + 12, ZIP_DOS_DATE);
	put32(h + 14, e->crc);
	put32(h + 18, e->csize);
	put32(h + 22, e->usize);
	put16(h + 26, (unsigned)nl);
	put16(h + 28, 0);
	e->offset = z->pos;
	if (out_bytes(z, h, sizeof h) || out_bytes(z, e->name, nl))
		return -1;
	return 0;
}

static struct zip_entry *entry_new(struct doc_zip *z, const char *name, uint16_t method, uint16_t flags)
{
	if (z->failed || z->open || !name || !*name || strlen(name) > 0xFFFF) {
		z->failed = 1;
		return NULL;
	}
	if (z->n == z->alloc) {
		size_t na = z->alloc ? z->alloc * 2 : 16;
		struct zip_entry *ne = realloc(z->e, na * sizeof *ne);
		if (!ne) {
			z->failed = 1;
			return NULL;
		}
		z->e = ne;
		z->alloc = na;
	}
	struct zip_entry *e = &z->e[z->n];
	memset(e, 0, sizeof *e);
	e->name = strdup(name);
	if (!e->name) {
		z->failed = 1;
		return NULL;
	}
	e->method = method;
	e->flags = flags;
	z->n++;
	return e;
}

int doc_zip_begin(struct doc_zip *z, const char *name, int deflate)
{
	struct zip_entry *e = entry_new(z, name, deflate ? 8 : 0, ZIP_FLAG_DESCRIPTOR | ZIP_FLAG_UTF8);
	if (!e || local_header(z, e))
		return -1;
	if (deflate) {
		memset(&z->zs, 0, sizeof z->zs);
		if (deflateInit2(&z->zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			z->failed = 1;
			return -1;
		}
		z->zs_init = 1;
	}
	z->open = 1;
	return 0;
}

/* Runs deflate over the pending input with `flush`, writing what it produces. */
static int pump(struct doc_zip *z, struct zip_entry *e, int flush)
{
	int zr;
	do {
		z->zs.next_out = z->out;
		z->zs.avail_out = sizeof z->out;
		zr = deflate(&z->zs, flush);
		if (zr == Z_STREAM_ERROR) {
			z->failed = 1;
			return -1;
		}
		size_t have = sizeof z->out - z->zs.avail_out;
		if (out_bytes(z, z->out, have))
			return -1;
		e->csize += (uint32_t)have;
	} while (z->zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

int doc_zip_write(struct doc_zip *z, const void *data, size_t n)
{
	if (z->failed || !z->open)
		return -1;
	struct zip_entry *e = &z->e[z->n - 1];
	const unsigned char *p = data;
	while (n) {
		uInt part = n > 0x40000000u ? 0x40000000u : (uInt)n;
		e->crc = (uint32_t)crc32(e->crc, p, part);
		if ((uint64_t)e->usize + part > 0xFFFFFFF0u) {
			z->failed = 1;
			return -1;
		}
		e->usize += part;
		if (e->method == 8) {
			z->zs.next_in = (Bytef *)(uintptr_t)p;
			z->zs.avail_in = part;
			if (pump(z, e, Z_NO_FLUSH))
				return -1;
		} else {
			if (out_bytes(z, p, part))
				return -1;
			e->csize += part;
		}
		p += part;
		n -= part;
	}
	return 0;
}

int doc_zip_end(struct doc_zip *z)
{
	if (z->failed || !z->open)
		return -1;
	struct zip_entry *e = &z->e[z->n - 1];
	if (e->method == 8) {
		z->zs.next_in = NULL;
		z->zs.avail_in = 0;
		int rc = pump(z, e, Z_FINISH);
		deflateEnd(&z->zs);
		z->zs_init = 0;
		if (rc)
			return -1;
	}
	z->open = 0;
	if (!(e->flags & ZIP_FLAG_DESCRIPTOR))
		return 0;
	unsigned char d[16];
	put32(d, 0x08074b50u);
	put32(d + 4, e->crc);
	put32(d + 8, e->csize);
	put32(d + 12, e->usize);
	return out_bytes(z, d, sizeof d);
}

int doc_zip_add(struct doc_zip *z, const char *name, const void *data, size_t n, int deflate)
{
	if (deflate)
		return doc_zip_begin(z, name, 1) || doc_zip_write(z, data, n) || doc_zip_end(z) ? -1 : 0;
	/* Stored: the sizes are known, so they go into the local header and no descriptor is needed. */
	if (n > 0xFFFFFFF0u) {
		z->failed = 1;
		return -1;
	}
	struct zip_entry *e = entry_new(z, name, 0, ZIP_FLAG_UTF8);
	if (!e)
		return -1;
	e->crc = (uint32_t)crc32(0, data, (uInt)n);
	e->csize = e->usize = (uint32_t)n;
	if (local_header(z, e) || out_bytes(z, data, n))
		return -1;
	return 0;
}

void doc_zip_free(struct doc_zip *z)
{
	if (!z)
		return;
	if (z->zs_init)
		deflateEnd(&z->zs);
	for (size_t i = 0; i < z->n; i++)
		free(z->e[i].name);
	free(z->e);
	free(z);
}

int doc_zip_finish(struct doc_zip *z)
{
	if (z->open || z->n > 0xFFFF)
		z->failed = 1;
	uint32_t cd_start = z->pos;
	for (size_t i = 0; i < z->n && !z->failed; i++) {
		struct zip_entry *e = &z->e[i];
		unsigned char h[46];
		size_t nl = strlen(e->name);
		put32(h, 0x02014b50u);
		put16(h + 4, 20);
		put16(h + 6, 20);
		put16(h + 8, e->flags);
		put16(h + 10, e->method);
		put16(h + 12, ZIP_DOS_TIME);
		put16(h + 14, ZIP_DOS_DATE);
		put32(h + 16, e->crc);
		put32(h + 20, e->csize);
		put32(h + 24, e->usize);
		put16(h + 28, (unsigned)nl);
		put16(h + 30, 0);
		put16(h + 32, 0);
		put16(h + 34, 0);
		put16(h + 36, 0);
		put32(h + 38, 0);
		put32(h + 42, e->offset);
		if (out_bytes(z, h, sizeof h) || out_bytes(z, e->name, nl))
			break;
	}
	unsigned char eocd[22];
	put32(eocd, 0x06054b50u);
	put16(eocd + 4, 0);
	put16(eocd + 6, 0);
	put16(eocd + 8, (unsigned)z->n);
	put16(eocd + 10, (unsigned)z->n);
	put32(eocd + 12, z->pos - cd_start);
	put32(eocd + 16, cd_start);
	put16(eocd + 20, 0);
	out_bytes(z, eocd, sizeof eocd);
	int rc = z->failed ? -1 : 0;
	doc_zip_free(z);
	return rc;
}
