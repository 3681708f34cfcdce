/* partner_rules.c — the pure rules of partner assessment (partner_rules.h): rounding, grades, keys, statuses, the
 * record-measure mapping, the dimension set's validation, weighted totals and the annual rating. */
#include "partners/partner_rules.h"

#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

const struct nl_partner_grades nl_partner_grades_default = { 90.0, 80.0, 60.0 };

double partner_round1(double x)
{
	if (!isfinite(x))
		return x;
	double a = floor(fabs(x) * 10.0 + 0.5 + 1e-7) / 10.0;
	return x < 0 ? -a : a;
}

const char *partner_grade(const struct nl_partner_grades *g, double total)
{
	if (!g)
		g = &nl_partner_grades_default;
	double t = partner_round1(total);
	/* thresholds are stored with at most a few decimals; compare with the same tolerance as the rounding */
	if (t >= g->a - 1e-9)
		return "A";
	if (t >= g->b - 1e-9)
		return "B";
	if (t >= g->c - 1e-9)
		return "C";
	return "D";
}

int partner_grades_check(const struct nl_partner_grades *g, struct nl_error *e)
{
	if (!isfinite(g->a) || g->a <= 0 || g->a > 100)
		return nl_fail(e, NL_EVALID, "a", "a (the lowest total graded A) must be a number above 0 and at most 100.");
	if (!isfinite(g->b) || g->b <= 0 || g->b >= g->a)
		return nl_fail(e, NL_EVALID, "b", "b (the lowest total graded B) must be above 0 and below a.");
	if (!isfinite(g->c) || g->c <= 0 || g->c >= g->b)
		return nl_fail(e, NL_EVALID, "c", "c (the lowest total graded C) must be above 0 and below b.");
	return 0;
}

int partner_key_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > NL_PARTNER_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return 0;
	return 1;
}

static const char *const statuses[] = { "candidate", "active", "suspended", "terminated" };

int partner_status_valid(const char *s)
{
	for (size_t i = 0; s && i < NL_ARRAY_LEN(statuses); i++)
		if (!strcmp(s, statuses[i]))
			return 1;
	return 0;
}

int partner_status_transition_ok(const char *from, const char *to)
{
	static const struct {
		const char *from, *to;
	} allowed[] = {
		{ "candidate", "active" }, { "candidate", "terminated" },
		{ "active", "suspended" }, { "active", "terminated" },
		{ "suspended", "active" }, { "suspended", "terminated" },
		{ "terminated", "active" },
	};
	if (!partner_status_valid(from) || !partner_status_valid(to))
		return 0;
	if (!strcmp(from, to))
		return 1;
	for (size_t i = 0; i < NL_ARRAY_LEN(allowed); i++)
		if (!strcmp(allowed[i].from, from) && !strcmp(allowed[i].to, to))
			return 1;
	return 0;
}

/* ---- record measures ---- */

enum map { MAP_COMPLAINT, MAP_SATISFACTION, MAP_RATE };

static const struct {
	const char *key;
	enum map map;
} measures[] = {
	{ "complaint_rate", MAP_COMPLAINT },
	{ "satisfaction_avg", MAP_SATISFACTION },
	{ "satisfied_rate", MAP_RATE },
	{ "sla_response_rate", MAP_RATE },
	{ "sla_resolution_rate", MAP_RATE },
	{ "resolution_rate", MAP_RATE },
};

#define SOURCE_PREFIX "measure:"

size_t partner_measure_count(void)
{
	return NL_ARRAY_LEN(measures);
}

const char *partner_measure_at(size_t i)
{
	return i < NL_ARRAY_LEN(measures) ? measures[i].key : NULL;
}

static int measure_index(const char *key)
{
	for (size_t i = 0; key && i < NL_ARRAY_LEN(measures); i++)
		if (!strcmp(measures[i].key, key))
			return (int)i;
	return -1;
}

const char *partner_source_measure(const char *source)
{
	size_t n = strlen(SOURCE_PREFIX);
	if (!source || strncmp(source, SOURCE_PREFIX, n) != 0)
		return NULL;
	return measure_index(source + n) >= 0 ? source + n : NULL;
}

int partner_source_valid(const char *source)
{
	return source && (!strcmp(source, "manual") || partner_source_measure(source) != NULL);
}

int partner_measure_score(const char *key, double value, double *score)
{
	int i = measure_index(key);
	if (i < 0 || !isfinite(value))
		return NL_EVALID;
	double s;
	switch (measures[i].map) {
	case MAP_COMPLAINT: s = 100.0 - fmin(100.0, value * 1000.0); break;
	case MAP_SATISFACTION: s = (value - 1.0) * 25.0; break;
	default: s = value * 100.0; break;
	}
	*score = partner_round1(fmax(0.0, fmin(100.0, s)));
	return 0;
}

/* ---- the dimension set ---- */

static void join_field(char *out, size_t n, const char *prefix, size_t i, const char *name)
{
	snprintf(out, n, "%s[%zu].%s", prefix ? prefix : "", i, name);
}

/* Checks one text member: required or not, length bounds in characters. */
static int check_text(const json_t *o, const char *name, int required, long min, long max, const char *prefix,
	size_t i, struct nl_error *e)
{
	char f[96];
	const json_t *v = json_object_get(o, name);
	join_field(f, sizeof f, prefix, i, name);
	if (!v || json_is_null(v)) {
		if (required)
			return nl_fail(e, NL_EVALID, f, "%s is required.", f);
		return 0;
	}
	if (!json_is_string(v))
		return nl_fail(e, NL_EVALID, f, "%s must be a string.", f);
	long len = utf8_length(json_string_value(v), json_string_length(v));
	if (len < 0 || memchr(json_string_value(v), '\0', json_string_length(v)))
		return nl_fail(e, NL_EVALID, f, "%s is not valid text.", f);
	if (len < min)
		return nl_fail(e, NL_EVALID, f, "%s must not be empty.", f);
	if (len > max)
		return nl_fail(e, NL_EVALID, f, "%s is too long (at most %ld characters).", f, max);
	return 0;
}

int partner_dimensions_check(const json_t *items, const char *prefix, struct nl_error *e)
{
	static const char *const known[] = { "key", "name", "name_en", "weight", "source" };
	char f[96];
	if (!json_is_array(items))
		return nl_fail(e, NL_EINVAL, prefix && *prefix ? prefix : NULL,
			"Send the dimensions as a JSON array [{\"key\",\"name\",\"weight\",\"source\"}, ...].");
	size_t n = json_array_size(items);
	if (n < 1)
		return nl_fail(e, NL_EVALID, prefix && *prefix ? prefix : NULL, "At least one dimension is needed.");
	if (n > NL_PARTNER_MAX_DIMENSIONS)
		return nl_fail(e, NL_EVALID, prefix && *prefix ? prefix : NULL, "At most %d dimensions.",
			NL_PARTNER_MAX_DIMENSIONS);
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(items, i);
		const char *k;
		const json_t *v;
		if (!json_is_object(o)) {
			snprintf(f, sizeof f, "%s[%zu]", prefix ? prefix : "", i);
			return nl_fail(e, NL_EVALID, f, "%s must be an object {\"key\",\"name\",\"weight\",\"source\"}.", f);
		}
		json_object_foreach((json_t *)o, k, v) {
			size_t j;
			for (j = 0; j < NL_ARRAY_LEN(known); j++)
				if (!strcmp(k, known[j]))
					break;
			if (j == NL_ARRAY_LEN(known)) {
				snprintf(f, sizeof f, "%s[%zu].%.40s", prefix ? prefix : "", i, k);
				return nl_fail(e, NL_EVALID, f, "Unknown field \"%.40s\".", k);
			}
		}
		int rc = check_text(o, "key", 1, 1, NL_PARTNER_KEY_MAX, prefix, i, e);
		if (rc)
			return rc;
		const char *key = json_string_value(json_object_get(o, "key"));
		join_field(f, sizeof f, prefix, i, "key");
		if (!partner_key_valid(key))
			return nl_fail(e, NL_EVALID, f, "%s must be 1–40 characters of a–z and '_' (e.g. service_quality).", f);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(key, json_string_value(json_object_get(json_array_get(items, j), "key"))))
				return nl_fail(e, NL_EVALID, f, "%s: the key \"%s\" is used twice.", f, key);
		if ((rc = check_text(o, "name", 1, 1, 200, prefix, i, e)) || (rc = check_text(o, "name_en", 0, 0, 200, prefix, i, e)) ||
			(rc = check_text(o, "source", 0, 1, 60, prefix, i, e)))
			return rc;
		const json_t *src = json_object_get(o, "source");
		if (json_is_string(src) && !partner_source_valid(json_string_value(src))) {
			join_field(f, sizeof f, prefix, i, "source");
			char list[256] = "";
			for (size_t m = 0; m < partner_measure_count(); m++) {
				size_t len = strlen(list);
				snprintf(list + len, sizeof list - len, "%s%s", m ? ", " : "", partner_measure_at(m));
			}
			return nl_fail(e, NL_EVALID, f, "%s must be \"manual\" or \"measure:<key>\" with key one of: %s.", f, list);
		}
		const json_t *w = json_object_get(o, "weight");
		join_field(f, sizeof f, prefix, i, "weight");
		if (!w || json_is_null(w))
			return nl_fail(e, NL_EVALID, f, "%s is required.", f);
		if (!json_is_number(w))
			return nl_fail(e, NL_EVALID, f, "%s must be a number.", f);
		double x = json_number_value(w);
		if (!isfinite(x) || x <= 0 || x > 100)
			return nl_fail(e, NL_EVALID, f, "%s must be above 0 and at most 100.", f);
		sum += x;
	}
	if (fabs(sum - 100.0) > NL_PARTNER_WEIGHT_EPSILON)
		return nl_fail(e, NL_EVALID, "weight", "The weights must sum to 100; these sum to %g.", sum);
	return 0;
}

int partner_weighted_total(const double *scores, const double *weights, size_t n, double *total, struct nl_error *e)
{
	double wsum = 0, acc = 0;
	if (n == 0)
		return nl_fail(e, NL_EVALID, "weight", "At least one dimension is needed.");
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(weights[i]) || weights[i] <= 0)
			return nl_fail(e, NL_EVALID, "weight", "Every weight must be above 0.");
		if (!isfinite(scores[i]) || scores[i] < 0 || scores[i] > 100)
			return nl_fail(e, NL_EVALID, "scores", "Every score must lie between 0 and 100.");
		wsum += weights[i];
		acc += scores[i] * weights[i];
	}
	if (fabs(wsum - 100.0) > NL_PARTNER_WEIGHT_EPSILON)
		return nl_fail(e, NL_EVALID, "weight", "The weights must sum to 100; these sum to %g.", wsum);
	*total = partner_round1(acc / 100.0);
	return 0;
}

void partner_annual(const int has[4], const double totals[4], const struct nl_partner_grades *g,
	struct nl_partner_annual *out)
{
	double sum = 0;
	memset(out, 0, sizeof *out);
	for (int i = 0; i < 4; i++) {
		if (has[i]) {
			out->present++;
			sum += totals[i];
		} else {
			out->missing[i] = 1;
		}
	}
	if (out->present == 0)
		return;
	out->has_total = 1;
	out->total = partner_round1(sum / out->present);
	snprintf(out->grade, sizeof out->grade, "%s", partner_grade(g, out->total));
}
