/* people_rules.c — the people room's pure rules (people_rules.h): weighted totals, grades, the criteria check and
 * the ratio formulas of the people measures. */
#include "people/people_rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/common.h"

double people_round1(double v)
{
	if (!isfinite(v))
		return v;
	double x = fabs(v) * 10.0;
	double r = floor(x + 0.5 + 1e-9) / 10.0;
	return v < 0 ? -r : r;
}

int people_weighted_total(const double *scores, const double *weights, size_t n, double *total)
{
	double sum = 0;
	if (n == 0)
		return NL_EVALID;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(scores[i]) || !isfinite(weights[i]))
			return NL_EVALID;
		sum += scores[i] * weights[i];
	}
	*total = people_round1(sum / 100.0);
	return 0;
}

const char *people_grade(double total)
{
	if (!isfinite(total))
		return "D";
	if (total >= NL_PEOPLE_GRADE_A)
		return "A";
	if (total >= NL_PEOPLE_GRADE_B)
		return "B";
	if (total >= NL_PEOPLE_GRADE_C)
		return "C";
	return "D";
}

static int key_valid(const char *k, size_t n)
{
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* A string member of a criterion: required or not, length in characters within [min, max]. */
static int text_member(const json_t *o, const char *member, int required, long min, long max, const char *field,
	struct nl_error *e)
{
	const json_t *v = json_object_get(o, member);
	if (!v || json_is_null(v)) {
		if (required)
			return nl_fail(e, NL_EVALID, field, "%s is required.", field);
		return 0;
	}
	if (!json_is_string(v))
		return nl_fail(e, NL_EVALID, field, "%s must be a string.", field);
	long len = utf8_length(json_string_value(v), json_string_length(v));
	if (len < 0 || memchr(json_string_value(v), '\0', json_string_length(v)))
		return nl_fail(e, NL_EVALID, field, "%s is not valid text.", field);
	if (len < min)
		return nl_fail(e, NL_EVALID, field, "%s must not be empty.", field);
	if (len > max)
		return nl_fail(e, NL_EVALID, field, "%s is too long (at most %ld characters).", field, max);
	return 0;
}

int people_criteria_check(const json_t *criteria, const char *prefix, struct nl_error *e)
{
	char field[96];
	double sum = 0;
	size_t i, n;
	const json_t *c;
	if (!prefix)
		prefix = "";
	if (!json_is_array(criteria))
		return nl_fail(e, NL_EVALID, *prefix ? prefix : NULL, "The criteria must be a JSON array of {key, name, weight}.");
	n = json_array_size(criteria);
	if (n == 0)
		return nl_fail(e, NL_EVALID, "weight", "Give at least one criterion; the weights must sum to 100.");
	if (n > NL_PEOPLE_MAX_CRITERIA)
		return nl_fail(e, NL_EVALID, *prefix ? prefix : NULL, "At most %d criteria.", NL_PEOPLE_MAX_CRITERIA);
	json_array_foreach(criteria, i, c) {
		const char *member;
		const json_t *v;
		int rc;
		if (!json_is_object(c)) {
			snprintf(field, sizeof field, "%s[%zu]", prefix, i);
			return nl_fail(e, NL_EVALID, field, "%s must be an object {key, name, weight}.", field);
		}
		json_object_foreach((json_t *)c, member, v) {
			if (strcmp(member, "key") && strcmp(member, "name") && strcmp(member, "name_en") && strcmp(member, "weight") &&
				strcmp(member, "sort")) {
				snprintf(field, sizeof field, "%s[%zu].%.40s", prefix, i, member);
				return nl_fail(e, NL_EVALID, field, "Unknown field \"%.40s\".", member);
			}
		}
		snprintf(field, sizeof field, "%s[%zu].key", prefix, i);
		v = json_object_get(c, "key");
		if (!v || !json_is_string(v) || !key_valid(json_string_value(v), json_string_length(v)))
			return nl_fail(e, NL_EVALID, field, "%s must be 1–32 lower-case letters, digits or '_'.", field);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(json_string_value(json_object_get(json_array_get(criteria, j), "key")), json_string_value(v)))
				return nl_fail(e, NL_EVALID, field, "The key \"%s\" is given twice.", json_string_value(v));
		snprintf(field, sizeof field, "%s[%zu].name", prefix, i);
		if ((rc = text_member(c, "name", 1, 1, 100, field, e)))
			return rc;
		snprintf(field, sizeof field, "%s[%zu].name_en", prefix, i);
		if ((rc = text_member(c, "name_en", 0, 0, 200, field, e)))
			return rc;
		snprintf(field, sizeof field, "%s[%zu].sort", prefix, i);
		v = json_object_get(c, "sort");
		if (v && !json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000))
			return nl_fail(e, NL_EVALID, field, "%s must be a whole number 0..1000.", field);
		snprintf(field, sizeof field, "%s[%zu].weight", prefix, i);
		v = json_object_get(c, "weight");
		if (!v || json_is_null(v))
			return nl_fail(e, NL_EVALID, field, "%s is required.", field);
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return nl_fail(e, NL_EVALID, field, "%s must be a number.", field);
		double w = json_number_value(v);
		if (w <= 0 || w > NL_PEOPLE_WEIGHT_SUM)
			return nl_fail(e, NL_EVALID, field, "%s must be more than 0 and at most 100.", field);
		sum += w;
	}
	if (fabs(sum - NL_PEOPLE_WEIGHT_SUM) > 1e-6)
		return nl_fail(e, NL_EVALID, "weight", "The weights must sum to 100; they sum to %g.", sum);
	return 0;
}

void people_ratio(double num, double den, int *has, double *value)
{
	if (isfinite(num) && isfinite(den) && den > 0) {
		*has = 1;
		*value = num / den;
	} else {
		*has = 0;
		*value = 0;
	}
}

void people_turnover(double leavers, double opening, double closing, int *has, double *rate, double *avg)
{
	if (!(leavers > 0))
		leavers = 0;
	if (!(opening > 0))
		opening = 0;
	if (!(closing > 0))
		closing = 0;
	*avg = (opening + closing) / 2.0;
	people_ratio(leavers, *avg, has, rate);
}
