/* rows.c — result rows to JSON by a column map. */
#include "store/rows.h"

#include "core/common.h"

json_t *stmt_row_json(struct nl_stmt *st, const struct nl_col *cols, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < n; i++) {
		int c = (int)i;
		int null = stmt_column_is_null(st, c);
		json_t *v = NULL;
		switch (cols[i].type) {
		case NL_COL_SKIP:
			continue;
		case NL_COL_INT:
			v = null ? json_null() : json_integer(stmt_column_int64(st, c));
			break;
		case NL_COL_ID:
			v = null || stmt_column_int64(st, c) == 0 ? json_null() : json_integer(stmt_column_int64(st, c));
			break;
		case NL_COL_TEXT:
			v = null ? json_null() : json_stringn(stmt_column_text(st, c), stmt_column_bytes(st, c));
			break;
		case NL_COL_BOOL:
			v = null ? json_null() : json_boolean(stmt_column_int64(st, c) != 0);
			break;
		case NL_COL_REAL:
			v = null ? json_null() : json_real(stmt_column_double(st, c));
			break;
		case NL_COL_JSON:
			v = null ? NULL : json_loadb(stmt_column_text(st, c), stmt_column_bytes(st, c), 0, NULL);
			if (!v)
				v = json_null();
			break;
		}
		json_object_set_new(o, cols[i].name, v ? v : json_null());
	}
	return o;
}

int stmt_rows_json(struct nl_stmt *st, const struct nl_col *cols, size_t n, size_t limit, json_t **items, int *more)
{
	int rc;
	size_t count = 0;
	json_t *arr = json_array();
	if (more)
		*more = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (limit && count == limit) {
			if (more)
				*more = 1;
			break;
		}
		json_array_append_new(arr, stmt_row_json(st, cols, n));
		count++;
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		*items = NULL;
		return rc;
	}
	*items = arr;
	return 0;
}
