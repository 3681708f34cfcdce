/* json.h — request-body validation against a declarative field table, and small jansson helpers.
 * A table lists each accepted field: its name, type, whether required, bounds, and where to store it in the
 * caller's struct. Unknown fields, wrong types, missing required fields and out-of-range values are rejected
 * with NL_EVALID and the field named in the error, before any domain code runs. */
#ifndef NL_JSON_H
#define NL_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum nl_jtype {
	NL_J_STRING,     /* const char * (borrowed from the json_t) ; min/max = length bounds in characters (UTF-8 code points) */
	NL_J_TEXT,       /* like STRING, may be empty, max default 20000 */
	NL_J_INT,        /* int64_t ; min/max = value bounds */
	NL_J_ID,         /* int64_t > 0, or JSON null when `nullable` (stored as 0) */
	NL_J_NUMBER,     /* double ; min/max = bounds (as integers) unless both 0 */
	NL_J_BOOL,       /* int */
	NL_J_DATE,       /* const char * "YYYY-MM-DD" (shape checked here; calendar validity by date_parse) */
	NL_J_ENUM,       /* const char * one of `values` */
	NL_J_STRINGS,    /* json_t * array of strings, each within min/max length; `values` restricts them when set */
	NL_J_OBJECT,     /* json_t * object */
	NL_J_ANY,        /* json_t * */
};

struct nl_jfield {
	const char *name;
	enum nl_jtype type;
	int required;
	int nullable;            /* JSON null accepted (pointer fields get NULL, ids 0, numbers NAN) */
	int64_t min, max;
	const char *const *values;  /* NULL-terminated list for ENUM / STRINGS */
	size_t offset;           /* where the value goes in the output struct */
};

#define NL_JF(name, type, req, min, max, st, member) \
	{ name, type, req, 0, min, max, NULL, offsetof(st, member) }
#define NL_JFN(name, type, req, min, max, st, member) \
	{ name, type, req, 1, min, max, NULL, offsetof(st, member) }
#define NL_JFE(name, req, values, st, member) \
	{ name, NL_J_ENUM, req, 0, 0, 0, values, offsetof(st, member) }

/* Validates the object `body` against fields[0..n) and stores values into `out`. *present (may be NULL) gets bit i
 * set for each field i that was present (for PATCH). Returns 0 or NL_EVALID / NL_EINVAL with *err filled.
 * Strings are borrowed: they live as long as `body`. */
int json_validate(const json_t *body, const struct nl_jfield *fields, size_t n, void *out, uint64_t *present,
	struct nl_error *err) __attribute__((warn_unused_result));

/* Parses a request body: NL_EJSON for malformed JSON (message with line/column), NL_EINVAL when not an object. */
int json_parse_body(const char *data, size_t len, json_t **out, struct nl_error *err) __attribute__((warn_unused_result));

/* Counts UTF-8 code points in s; -1 when s is not valid UTF-8. */
long utf8_length(const char *s, size_t n);

/* Shape check for "YYYY-MM-DD" (digits and dashes only; calendar validity is date_parse's job). */
int json_is_date_shape(const char *s);

/* json_object_set_new shorthands that tolerate NULL strings (stored as JSON null). */
void json_set_str(json_t *o, const char *key, const char *s);
void json_set_int(json_t *o, const char *key, int64_t v);
void json_set_id(json_t *o, const char *key, int64_t v);   /* 0 → null */
void json_set_bool(json_t *o, const char *key, int v);

#endif
