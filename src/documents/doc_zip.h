/* doc_zip.h — a minimal streaming ZIP writer (PKWARE APPNOTE 6.3, no ZIP64): entries compressed with deflate (zlib)
 * or stored, written to a FILE* as they are produced; each entry's sizes and CRC follow its data in a data descriptor,
 * so an entry never needs to be held in memory whole. Enough for Office Open XML packages (DOCX). Not thread-shared:
 * one writer per document. */
#ifndef NL_DOC_ZIP_H
#define NL_DOC_ZIP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct doc_zip;

/* Starts a ZIP archive on f (borrowed; the caller closes it after doc_zip_finish). Returns NULL when out of memory. */
struct doc_zip *doc_zip_new(FILE *f);
/* Opens the next entry `name` (a relative path with '/'), deflated when deflate != 0, else stored. The previous entry,
 * if any, must be closed. Returns 0, or -1 on a write error or when the writer has failed. */
int doc_zip_begin(struct doc_zip *z, const char *name, int deflate);
/* Appends n bytes to the open entry. Returns 0 or -1. */
int doc_zip_write(struct doc_zip *z, const void *data, size_t n);
/* Closes the open entry (writes its data descriptor). Returns 0 or -1. */
int doc_zip_end(struct doc_zip *z);
/* One whole entry: begin, write, end. */
int doc_zip_add(struct doc_zip *z, const char *name, const void *data, size_t n, int deflate);
/* Writes the central directory and frees the writer (also after a failure). Returns 0, or -1 when anything failed. */
int doc_zip_finish(struct doc_zip *z);
/* Frees the writer without finishing the archive (on an error path). Safe on NULL. */
void doc_zip_free(struct doc_zip *z);

#endif
