/* json.c — declarative validation of JSON request bodies, and jansson shorthands. */
#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

long utf8_length(const char *s, size_t n)
{
	long count = 0;
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned char c = *p;
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (len == 0 || (size_t)(end - p) < len)
			return -1;
		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xC0) != 0x80)
				return -1;
		p += len;
		count++;
	}
	return count;
}

int json_is_date_shape(const char *s)
{
	if (strlen(s) != 10)
		return 0;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (s[i] < '0' || s[i] > '9') {
			return 0;
		}
	}
	return 1;
}

int json_parse_body(const char *data, size_t len, json_t **out, struct nl_error *err)
{
	json_error_t je;
	*out = NULL;
	if (len == 0)
		return nl_fail(err, NL_EJSON, NULL, "The request body is empty; send a JSON object.");
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return nl_fail(err, NL_EJSON, NULL, "Invalid JSON at line %d, column %d: %s", je.line, je.column, je.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return nl_fail(err, NL_EINVAL, NULL, "The request body must be a JSON object.");
	}
	*out = j;
	return 0;
}

static int in_values(const char *s, const char *const *values)
{
	for (; values && *values; values++)
		if (!strcmp(s, *values))
			return 1;
	return 0;
}

static int check_string(const json_t *v, const struct nl_jfield *f, const char *field, struct nl_error *err)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (memchr(s, '\0', n))
		return nl_fail(err, NL_EVALID, field, "%s must not contain NUL characters.", field);
	long len = utf8_length(s, n);
	int64_t max = f->max ? f->max : (f->type == NL_J_TEXT ? 20000 : 200);
	int64_t min = f->type == NL_J_TEXT ? f->min : (f->min ? f->min : 1);
	if (len < min)
		return nl_fail(err, NL_EVALID, field, min == 1 ? "%s must not be empty." : "%s is too short.", field);
	if (len > max)
		return nl_fail(err, NL_EVALID, field, "%s is too long (at most %lld characters).", field, (long long)max);
	return 0;
}

static int store_field(const json_t *v, const struct nl_jfield *f, char *out, struct nl_error *err)
{
	const char *field = f->name;
	void *slot = out + f->offset;
	if (json_is_null(v)) {
		if (!f->nullable)
			return nl_fail(err, NL_EVALID, field, "%s must not be null.", field);
		switch (f->type) {
		case NL_J_INT: case NL_J_ID: *(int64_t *)slot = 0; break;
		case NL_J_NUMBER: *(double *)slot = NAN; break;
		case NL_J_BOOL: *(int *)slot = 0; break;
		case NL_J_STRINGS: case NL_J_OBJECT: case NL_J_ANY: *(json_t **)slot = NULL; break;
		default: *(const char **)slot = NULL;
		}
		return 0;
	}
	switch (f->type) {
	case NL_J_STRING:
	case NL_J_TEXT:
	case NL_J_DATE:
	case NL_J_ENUM: {
		if (!json_is_string(v))
			return nl_fail(err, NL_EVALID, field, "%s must be a string.", field);
		int rc = f->type == NL_J_ENUM || f->type == NL_J_DATE ? 0 : check_string(v, f, field, err);
		if (rc)
			return rc;
		const char *s = json_string_value(v);
		if (f->type == NL_J_DATE && !json_is_date_shape(s))
			return nl_fail(err, NL_EVALID, field, "%s must be a date YYYY-MM-DD.", field);
		if (f->type == NL_J_ENUM && !in_values(s, f->values))
			return nl_fail(err, NL_EVALID, field, "%s has an unknown value \"%.60s\".", field, s);
		*(const char **)slot = s;
		return 0;
	}
	case NL_J_INT:
	case NL_J_ID: {
		if (!json_is_integer(v))
			return nl_fail(err, NL_EVALID, field, "%s must be a whole number.", field);
		json_int_t x = json_integer_value(v);
		int64_t min = f->type == NL_J_ID ? 1 : f->min, max = f->type == NL_J_ID ? INT64_MAX : f->max;
		if (x < min || x > max)
			return nl_fail(err, NL_EVALID, field, "%s must be between %lld and %lld.", field, (long long)min, (long long)max);
		*(int64_t *)slot = x;
		return 0;
	}
	case NL_J_NUMBER: {
		if (!json_is_number(v))
			return nl_fail(err, NL_EVALID, field, "%s must be a number.", field);
		double x = json_number_value(v);
		if (!isfinite(x) || ((f->min || f->max) && (x < (double)f->min || x > (double)f->max)))
			return nl_fail(err, NL_EVALID, field, "%s is out of range.", field);
		*(double *)slot = x;
		return 0;
	}
	case NL_J_BOOL:
		if (!json_is_boolean(v))
			return nl_fail(err, NL_EVALID, field, "%s must be true or false.", field);
		*(int *)slot = json_is_true(v);
		return 0;
	case NL_J_STRINGS: {
		if (!json_is_array(v))
			return nl_fail(err, NL_EVALID, field, "%s must be an array of strings.", field);
		size_t i;
		json_t *e;
		if (json_array_size(v) > 1000)
			return nl_fail(err, NL_EVALID, field, "%s has too many entries.", field);
		json_array_foreach(v, i, e) {
			char name[160];
			snprintf(name, sizeof name, "%s[%zu]", field, i);
			if (!json_is_string(e))
				return nl_fail(err, NL_EVALID, name, "%s must be a string.", name);
			if (f->values && !in_values(json_string_value(e), f->values))
				return nl_fail(err, NL_EVALID, name, "%s has an unknown value \"%.60s\".", name, json_string_value(e));
			struct nl_jfield ef = *f;
			ef.type = NL_J_STRING;
			int rc = check_string(e, &ef, name, err);
			if (rc)
				return rc;
		}
		*(const json_t **)slot = v;
		return 0;
	}
	case NL_J_OBJECT:
		if (!json_is_object(v))
			return nl_fail(err, NL_EVALID, field, "%s must be an object.", field);
		*(const json_t **)slot = v;
		return 0;
	case NL_J_ANY:
		*(const json_t **)slot = v;
		return 0;
	}
	return nl_fail(err, NL_EINTERNAL, NULL, NULL);
}

int json_validate(const json_t *body, const struct nl_jfield *fields, size_t n, void *out, uint64_t *present,
	struct nl_error *err)
{
	if (present)
		*present = 0;
	if (!json_is_object(body))
		return nl_fail(err, NL_EINVAL, NULL, "The request body must be a JSON object.");
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)body, key, v) {
		size_t i;
		for (i = 0; i < n; i++)
			if (!strcmp(fields[i].name, key))
				break;
		if (i == n)
			return nl_fail(err, NL_EVALID, key, "Unknown field \"%.100s\".", key);
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *fv = json_object_get(body, fields[i].name);
		if (!fv) {
			if (fields[i].required)
				return nl_fail(err, NL_EVALID, fields[i].name, "%s is required.", fields[i].name);
			continue;
		}
		int rc = store_field(fv, &fields[i], out, err);
		if (rc)
			return rc;
		if (present && i < 64)
			*present |= (uint64_t)1 << i;
	}
	return 0;
}

void json_set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, s ? json_string(s) : json_null());
}

void json_set_int(json_t *o, const char *key, int64_t v)
{
	json_object_set_new(o, key, json_integer(v));
}

void json_set_id(json_t *o, const char *key, int64_t v)
{
	json_object_set_new(o, key, v > 0 ? json_integer(v) : json_null());
}

void json_set_bool(json_t *o, const char *key, int v)
{
	json_object_set_new(o, key, json_boolean(v));
}
