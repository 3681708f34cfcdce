/* doc_text.h — the one place where document text is made safe and measured: the XML escaper used for every text
 * nengli writes into markup (DOCX parts, and anything else built by hand), the CSV/XLSX formula-injection guard, the
 * cleaning of control characters, and the display width of a text in spreadsheet column units (a CJK character counts
 * as two). Pure functions: no I/O, no global state (tested in tests/unit/test_documents.c). */
#ifndef NL_DOC_TEXT_H
#define NL_DOC_TEXT_H

#include <stddef.h>

#include "core/strbuf.h"

/* Appends the n bytes of s to b escaped for XML 1.0 character data and attribute values: & < > " ' become entities;
 * characters XML 1.0 forbids (C0 controls other than tab, newline and carriage return; U+FFFE, U+FFFF) and invalid
 * UTF-8 sequences are replaced by U+FFFD, so the markup is always well-formed. s may be NULL (appends nothing). */
void doc_xml_escape(struct nl_strbuf *b, const char *s, size_t n);
/* doc_xml_escape on a NUL-terminated string (NULL: nothing). */
void doc_xml_puts(struct nl_strbuf *b, const char *s);

/* Returns 1 when a spreadsheet (CSV or XLSX) could take the text s for a formula or a command: its first character is
 * one of OWASP's list = + - @ tab carriage-return; else 0 (also for NULL and ""). */
int doc_formula_risky(const char *s);

/* Writes into out (size n, always NUL-terminated, truncated on a UTF-8 boundary) the text s as a spreadsheet cell may
 * hold it: control characters other than tab and newline removed, invalid UTF-8 replaced by U+FFFD, and a leading
 * apostrophe added when doc_formula_risky(s). Returns out. s NULL gives "". */
char *doc_cell_text(const char *s, char *out, size_t n);
/* Like doc_cell_text, into a new heap string the caller frees (NULL when out of memory). */
char *doc_cell_text_dup(const char *s);

/* Returns the width of the widest line of s in spreadsheet column units: East Asian wide and fullwidth characters
 * count 2, other characters 1 (a column of width W shows about W such units). NULL gives 0. */
double doc_text_width_units(const char *s);

/* Returns 1 when the code point is East Asian Wide or Fullwidth (CJK ideographs, kana, Hangul, fullwidth forms,
 * CJK punctuation), else 0. */
int doc_cp_wide(unsigned cp);

/* Decodes one UTF-8 character at s (n bytes available): sets *cp and returns its length (1–4), or returns 1 with
 * *cp = 0xFFFD for an invalid or truncated sequence. n must be > 0. */
size_t doc_utf8_next(const unsigned char *s, size_t n, unsigned *cp);

/* Percent-encodes s for an RFC 5987 / RFC 8187 ext-value (filename*=UTF-8''…): attr-chars stay, every other byte
 * becomes %XX. */
void doc_rfc5987(struct nl_strbuf *b, const char *s);

#endif
