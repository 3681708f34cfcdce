/* rows.h — turning result rows into JSON objects by a column map, so that a list or a record read is one table
 * of (JSON name, type) per query instead of a hand-written loop of getters. Column i of the row ↔ cols[i]. */
#ifndef NL_ROWS_H
#define NL_ROWS_H

#include <jansson.h>
#include <stddef.h>

#include "store/store.h"

enum nl_coltype {
	NL_COL_INT,     /* integer */
	NL_COL_ID,      /* integer id; 0 or NULL → JSON null */
	NL_COL_TEXT,    /* string; NULL → JSON null */
	NL_COL_BOOL,    /* 0/1 → false/true; NULL → null */
	NL_COL_REAL,    /* number; NULL → null */
	NL_COL_JSON,    /* text holding JSON; NULL or unparsable → null */
	NL_COL_SKIP,    /* selected but not output (e.g. used by the caller) */
};

struct nl_col {
	const char *name;
	enum nl_coltype type;
};

/* The current row as a new JSON object (the caller owns it). */
json_t *stmt_row_json(struct nl_stmt *st, const struct nl_col *cols, size_t n);
/* Steps every remaining row into a new JSON array *items, then calls stmt_done(st). When limit > 0, reads at most
 * limit rows and sets *more (may be NULL) to 1 if another row followed. Returns 0 or the step's error (*items NULL). */
int stmt_rows_json(struct nl_stmt *st, const struct nl_col *cols, size_t n, size_t limit, json_t **items, int *more)
	__attribute__((warn_unused_result));

#endif
