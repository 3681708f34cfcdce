/* achievement.c — the achievement table: the pure rules of values, trends and closing (first), then the values,
 * the table of a year, closing periods and computing `measure:` metrics, through the store (see achievement.h). */
#include "cycle/achievement.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "cycle/measure.h"
#include "cycle/metric.h"
#include "cycle/today.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

/* How closely a given actual must match numerator ÷ denominator when a client sends all three (relative): enough for
 * an actual rounded to three significant digits (0.333 for 1 ÷ 3), not for a different number (95 for 95 ÷ 100). */
#define ACTUAL_RATIO_TOLERANCE 2e-3

/* ================================ Pure rules ================================ */

int achievement_period_check(const char *s, int year, enum nl_period_kind freq, struct nl_period *out, struct nl_error *e)
{
	struct nl_period p;
	char example[NL_PERIOD_STRLEN] = "";
	struct nl_period ex = { freq, year, freq == NL_PERIOD_YEAR ? 0 : freq == NL_PERIOD_QUARTER ? 1 : 3 };
	if (period_format(ex, example))
		return nl_fail(e, NL_EVALID, "period", "The metric's year or frequency is not valid.");
	const char *what = freq == NL_PERIOD_MONTH ? "a month" : freq == NL_PERIOD_QUARTER ? "a quarter" : "the year";
	if (period_parse(s, &p))
		return nl_fail(e, NL_EVALID, "period",
			"\"%.20s\" is not a period; this metric is measured per %s: give %s of %d such as \"%s\".",
			s ? s : "", period_frequency_name(freq), what, year, example);
	if (p.kind != freq || p.year != year)
		return nl_fail(e, NL_EVALID, "period",
			"This metric is measured per %s in %d: the period must be %s of %d such as \"%s\", not \"%.20s\".",
			period_frequency_name(freq), year, what, year, example, s);
	*out = p;
	return 0;
}

int achievement_periods_begun(int year, enum nl_period_kind freq, struct nl_date today,
	struct nl_period out[NL_PERIOD_MAX_PER_YEAR], size_t *count)
{
	struct nl_period all[NL_PERIOD_MAX_PER_YEAR];
	size_t n = 0;
	*count = 0;
	if (!date_valid(today) || period_list_for_year(year, freq, all, &n))
		return NL_EVALID;
	for (size_t i = 0; i < n; i++) {
		struct nl_date first;
		if (period_first_date(all[i], &first))
			return NL_EVALID;
		if (date_cmp(first, today) <= 0)
			out[(*count)++] = all[i];
	}
	return 0;
}

int achievement_numbers_given(const struct nl_value_numbers *in)
{
	return in->has_actual || in->has_numerator || in->has_denominator;
}

int achievement_actual(const struct nl_value_numbers *in, double *actual, struct nl_error *e)
{
	if (!achievement_numbers_given(in))
		return nl_fail(e, NL_EVALID, "actual", "Give the actual, or the numerator and the denominator.");
	if (in->has_numerator && !in->has_denominator)
		return nl_fail(e, NL_EVALID, "denominator", "A numerator needs its denominator.");
	if (in->has_denominator && !in->has_numerator)
		return nl_fail(e, NL_EVALID, "numerator", "A denominator needs its numerator.");
	if (in->has_actual && !isfinite(in->actual))
		return nl_fail(e, NL_EVALID, "actual", "actual must be a finite number.");
	if (!in->has_numerator) {
		*actual = in->actual;
		return 0;
	}
	if (!isfinite(in->numerator))
		return nl_fail(e, NL_EVALID, "numerator", "numerator must be a finite number.");
	if (!isfinite(in->denominator))
		return nl_fail(e, NL_EVALID, "denominator", "denominator must be a finite number.");
	if (in->denominator == 0.0)
		return nl_fail(e, NL_EVALID, "denominator", "denominator must not be 0.");
	double q = in->numerator / in->denominator;
	if (!isfinite(q))
		return nl_fail(e, NL_EVALID, "denominator", "numerator ÷ denominator is out of range.");
	if (in->has_actual) {
		double scale = fmax(fabs(q), fabs(in->actual));
		if (fabs(in->actual - q) > ACTUAL_RATIO_TOLERANCE * (scale > 0 ? scale : 1.0))
			return nl_fail(e, NL_EVALID, "actual", "actual (%g) does not match numerator ÷ denominator (%g); send one or the other.",
				in->actual, q);
		*actual = in->actual;
		return 0;
	}
	*actual = q;
	return 0;
}

int achievement_judge(const struct nl_goal *g, double actual, struct nl_judgement *out)
{
	struct nl_judgement j = { 0 };
	int rc = rules_status(g, actual, &j.status);
	if (rc || (rc = rules_rate(g->direction, actual, g->target, &j.has_rate, &j.rate)))
		return NL_EVALID;
	*out = j;
	return 0;
}

int achievement_row_trends(enum nl_direction dir, const struct nl_cell *before_first, const struct nl_cell *cells, size_t n,
	enum nl_trend *trend, enum nl_change *change)
{
	if (!rules_direction_name(dir)[0])
		return NL_EVALID;
	for (size_t i = 0; i < n; i++) {
		const struct nl_cell *prev = i == 0 ? before_first : &cells[i - 1];
		trend[i] = NL_TREND_NONE;
		change[i] = NL_CHANGE_NONE;
		if (!cells[i].has_actual)
			continue;
		int has_prev = prev && prev->has_actual;
		if (rules_trend(dir, cells[i].actual, has_prev, has_prev ? prev->actual : 0.0, &trend[i], &change[i]))
			return NL_EVALID;
	}
	return 0;
}

int achievement_text_blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!p)
		return 1;
	while (*p) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)   /* U+3000 ideographic space */
			p += 3;
		else if (p[0] == 0xC2 && p[1] == 0xA0)                   /* U+00A0 no-break space */
			p += 2;
		else
			return 0;
	}
	return 1;
}

size_t achievement_close_blockers(const struct nl_close_value *v, size_t n, char *codes, size_t codes_len)
{
	size_t blocked = 0, used = 0;
	int truncated = 0;
	if (codes && codes_len)
		codes[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!v[i].has_status || v[i].status != NL_STATUS_MISSED)
			continue;
		if (!achievement_text_blank(v[i].deviation_analysis) && !achievement_text_blank(v[i].corrective_action))
			continue;
		blocked++;
		if (!codes || !codes_len || truncated)
			continue;
		const char *sep = blocked > 1 ? ", " : "";
		size_t need = strlen(sep) + strlen(v[i].code ? v[i].code : "");
		if (used + need + 4 >= codes_len) {   /* room for "…" (3 bytes) and the NUL */
			if (used + 4 <= codes_len)
				snprintf(codes + used, codes_len - used, "%s", "…");
			truncated = 1;
			continue;
		}
		used += (size_t)snprintf(codes + used, codes_len - used, "%s%s", sep, v[i].code ? v[i].code : "");
	}
	return blocked;
}

/* ================================ Values ================================ */

#define VALUE_COLS \
	"v.id, v.metric_id, m.code, v.period, v.numerator, v.denominator, v.actual, v.target, v.warning, v.rate, v.status," \
	" v.origin, v.note, v.deviation_analysis, v.corrective_action, v.evidence, v.recorded_by, ru.display_name," \
	" v.recorded_at, v.reviewed_by, vu.display_name, v.reviewed_at," \
	" (SELECT COUNT(*) FROM closed_periods c WHERE c.period = v.period)"
#define VALUE_FROM \
	" FROM metric_values v JOIN metrics m ON m.id = v.metric_id LEFT JOIN users ru ON ru.id = v.recorded_by" \
	" LEFT JOIN users vu ON vu.id = v.reviewed_by"

static json_t *num_or_null(struct nl_stmt *st, int i)
{
	return stmt_column_is_null(st, i) ? json_null() : json_real(stmt_column_double(st, i));
}

static json_t *value_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "metric_id", stmt_column_int64(st, 1));
	json_set_str(o, "code", stmt_column_text(st, 2));
	json_set_str(o, "period", stmt_column_text(st, 3));
	json_object_set_new(o, "numerator", num_or_null(st, 4));
	json_object_set_new(o, "denominator", num_or_null(st, 5));
	json_object_set_new(o, "actual", num_or_null(st, 6));
	json_object_set_new(o, "target", num_or_null(st, 7));
	json_object_set_new(o, "warning", num_or_null(st, 8));
	json_object_set_new(o, "rate", num_or_null(st, 9));
	json_set_str(o, "status", stmt_column_text(st, 10));
	json_set_str(o, "origin", stmt_column_text(st, 11));
	json_set_str(o, "note", stmt_column_text(st, 12));
	json_set_str(o, "deviation_analysis", stmt_column_text(st, 13));
	json_set_str(o, "corrective_action", stmt_column_text(st, 14));
	json_set_str(o, "evidence", stmt_column_text(st, 15));
	json_set_id(o, "recorded_by", stmt_column_int64(st, 16));
	json_set_str(o, "recorded_by_name", stmt_column_text(st, 17));
	json_set_str(o, "recorded_at", stmt_column_text(st, 18));
	json_set_id(o, "reviewed_by", stmt_column_int64(st, 19));
	json_set_str(o, "reviewed_by_name", stmt_column_text(st, 20));
	json_set_str(o, "reviewed_at", stmt_column_text(st, 21));
	json_set_bool(o, "closed", stmt_column_int64(st, 22) > 0);
	return o;
}

/* The stored value of metric_id for the period string, or *out = NULL when there is none (no error set). */
static int value_find(struct nl_ctx *ctx, int64_t metric_id, const char *period, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " VALUE_COLS VALUE_FROM " WHERE v.metric_id = $1 AND v.period = $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, metric_id);
	stmt_bind_text(st, 2, period);
	rc = stmt_step(st);
	if (rc == 1)
		*out = value_row(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int achievement_period_closed(struct nl_ctx *ctx, const char *period, int *closed)
{
	struct nl_stmt *st = NULL;
	*closed = 0;
	int rc = db_prepare(ctx->db, "SELECT period FROM closed_periods WHERE period = $1", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, period);
	rc = stmt_step(st);
	*closed = rc == 1;
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int achievement_value_get(struct nl_ctx *ctx, int64_t metric_id, const char *period, json_t **out)
{
	struct nl_metric m;
	struct nl_period p;
	*out = NULL;
	int rc = metric_load(ctx, metric_id, &m);
	if (rc || (rc = achievement_period_check(period, m.year, m.frequency, &p, ctx->err)) ||
		(rc = value_find(ctx, metric_id, period, out)))
		return rc;
	if (!*out)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "Metric %s has no value for %s.", m.code, period);
	return 0;
}

int achievement_values_list(struct nl_ctx *ctx, int64_t metric_id, json_t **items)
{
	struct nl_stmt *st = NULL;
	struct nl_metric m;
	*items = NULL;
	int rc = metric_load(ctx, metric_id, &m);
	if (rc || (rc = db_prepare(ctx->db, "SELECT " VALUE_COLS VALUE_FROM " WHERE v.metric_id = $1 ORDER BY v.period", &st)))
		return rc;
	stmt_bind_int64(st, 1, metric_id);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, value_row(st));
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* Everything a value row holds, ready to write. */
struct value_write {
	int64_t metric_id;
	const char *period;
	int has_numerator, has_denominator, has_warning, has_rate;
	double numerator, denominator, actual, target, warning, rate;
	const char *status, *origin;
	const char *note, *deviation_analysis, *corrective_action, *evidence;
};

static void bind_num(struct nl_stmt *st, int idx, int has, double v)
{
	if (has)
		stmt_bind_double(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

/* Fills the numbers of w from an actual judged against the goal g (numerator/denominator NAN: none). */
static int value_numbers(struct value_write *w, const struct nl_goal *g, double actual, double numerator, double denominator)
{
	struct nl_judgement j;
	if (achievement_judge(g, actual, &j))
		return NL_EINTERNAL;
	w->actual = actual;
	w->has_numerator = !isnan(numerator);
	w->numerator = numerator;
	w->has_denominator = !isnan(denominator);
	w->denominator = denominator;
	w->target = g->target;
	w->has_warning = g->has_warning;
	w->warning = g->warning;
	w->has_rate = j.has_rate;
	w->rate = j.rate;
	w->status = rules_status_name(j.status);
	return 0;
}

/* Writes w: inserts the value, or on (metric_id, period) updates it — every column when texts != 0 (PUT), only the
 * numbers, origin and recorder otherwise (compute keeps the texts). *id gets the row's id. */
static int value_upsert(struct nl_ctx *ctx, const struct value_write *w, int texts, int64_t *id)
{
	struct nl_stmt *st = NULL;
	char at[24];
	ctx_now_rfc3339(ctx, at);
	int rc = db_prepare(ctx->db, texts ?
		"INSERT INTO metric_values (metric_id, period, numerator, denominator, actual, target, warning, rate, status,"
		" origin, note, deviation_analysis, corrective_action, evidence, recorded_by, recorded_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
		" ON CONFLICT (metric_id, period) DO UPDATE SET numerator = excluded.numerator,"
		" denominator = excluded.denominator, actual = excluded.actual, target = excluded.target,"
		" warning = excluded.warning, rate = excluded.rate, status = excluded.status, origin = excluded.origin,"
		" note = excluded.note, deviation_analysis = excluded.deviation_analysis,"
		" corrective_action = excluded.corrective_action, evidence = excluded.evidence,"
		" recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at RETURNING id" :
		"INSERT INTO metric_values (metric_id, period, numerator, denominator, actual, target, warning, rate, status,"
		" origin, note, deviation_analysis, corrective_action, evidence, recorded_by, recorded_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
		" ON CONFLICT (metric_id, period) DO UPDATE SET numerator = excluded.numerator,"
		" denominator = excluded.denominator, actual = excluded.actual, target = excluded.target,"
		" warning = excluded.warning, rate = excluded.rate, status = excluded.status, origin = excluded.origin,"
		" recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at RETURNING id",
		&st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, w->metric_id);
	stmt_bind_text(st, 2, w->period);
	bind_num(st, 3, w->has_numerator, w->numerator);
	bind_num(st, 4, w->has_denominator, w->denominator);
	stmt_bind_double(st, 5, w->actual);
	stmt_bind_double(st, 6, w->target);
	bind_num(st, 7, w->has_warning, w->warning);
	bind_num(st, 8, w->has_rate, w->rate);
	stmt_bind_text(st, 9, w->status);
	stmt_bind_text(st, 10, w->origin);
	stmt_bind_text(st, 11, w->note ? w->note : "");
	stmt_bind_text(st, 12, w->deviation_analysis ? w->deviation_analysis : "");
	stmt_bind_text(st, 13, w->corrective_action ? w->corrective_action : "");
	stmt_bind_text(st, 14, w->evidence ? w->evidence : "");
	if (ctx->actor)
		stmt_bind_int64(st, 15, ctx->actor->id);
	else
		stmt_bind_null(st, 15);
	stmt_bind_text(st, 16, at);
	rc = stmt_step(st);
	*id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == 0)
		rc = NL_ESTORE;
	return rc < 0 ? rc : 0;
}

/* A number of a stored value object (NAN for null). */
static double jnum(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The text the client gave, else the stored one (o may be NULL: a new value), else "". */
static const char *jtext(const json_t *o, const char *key, const char *given)
{
	const char *stored = o ? json_string_value(json_object_get(o, key)) : NULL;
	return given ? given : stored ? stored : "";
}

int achievement_value_put(struct nl_ctx *ctx, int64_t metric_id, const char *period, const struct nl_value_input *in,
	int *created, json_t **out)
{
	struct nl_metric m;
	struct nl_period p;
	struct value_write w = { 0 };
	json_t *before = NULL;
	int64_t id = 0;
	int closed = 0;
	*out = NULL;
	*created = 0;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = metric_load(ctx, metric_id, &m)))
		goto out;
	/* The command line (no actor) is trusted; a user needs the permission for the metric's owner department. */
	if (ctx->actor && !policy_scope_allows(ctx->actor, "metric.value.write", m.owner_department_id)) {
		rc = nl_fail(ctx->err, NL_EFORBIDDEN, NULL,
			"Only quality, or the metric's owner department, may record values of metric %s.", m.code);
		goto out;
	}
	if ((rc = achievement_period_check(period, m.year, m.frequency, &p, ctx->err)) ||
		(rc = achievement_period_closed(ctx, period, &closed)))
		goto out;
	if (closed) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "Period %s is closed: its values are frozen.", period);
		goto out;
	}
	struct nl_date today, first;
	if ((rc = cycle_today(ctx, &today)))
		goto out;
	if (period_first_date(p, &first) == 0 && date_cmp(first, today) > 0) {
		rc = nl_fail(ctx->err, NL_EVALID, "period", "Period %s has not begun yet; record its value once it has.", period);
		goto out;
	}
	if ((rc = value_find(ctx, metric_id, period, &before)))
		goto out;
	w.metric_id = metric_id;
	w.period = period;
	if (achievement_numbers_given(&in->num)) {
		double actual;
		if ((rc = achievement_actual(&in->num, &actual, ctx->err)))
			goto out;
		if ((rc = value_numbers(&w, &m.goal, actual, in->num.has_numerator ? in->num.numerator : NAN,
			     in->num.has_denominator ? in->num.denominator : NAN)))
			goto out;
		w.origin = "manual";
	} else if (before && !isnan(jnum(before, "actual"))) {
		/* Only texts change: the recorded numbers keep the target and status they were recorded with. */
		w.numerator = jnum(before, "numerator");
		w.has_numerator = !isnan(w.numerator);
		w.denominator = jnum(before, "denominator");
		w.has_denominator = !isnan(w.denominator);
		w.actual = jnum(before, "actual");
		w.target = jnum(before, "target");
		w.warning = jnum(before, "warning");
		w.has_warning = !isnan(w.warning);
		w.rate = jnum(before, "rate");
		w.has_rate = !isnan(w.rate);
		w.status = json_string_value(json_object_get(before, "status"));
		w.origin = json_string_value(json_object_get(before, "origin"));
	} else {
		rc = nl_fail(ctx->err, NL_EVALID, "actual", "A new value needs the actual, or the numerator and the denominator.");
		goto out;
	}
	w.note = jtext(before, "note", in->note);
	w.deviation_analysis = jtext(before, "deviation_analysis", in->deviation_analysis);
	w.corrective_action = jtext(before, "corrective_action", in->corrective_action);
	w.evidence = jtext(before, "evidence", in->evidence);
	if ((rc = value_upsert(ctx, &w, 1, &id)) || (rc = value_find(ctx, metric_id, period, out)))
		goto out;
	if (!*out) {
		rc = NL_ESTORE;
		goto out;
	}
	*created = before == NULL;
	rc = audit_append(ctx, before ? "update" : "create", "metric_value", id, before, *out);
out:
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ================================ The table of a year ================================ */

/* One metric's row while the table is built. */
struct table_row {
	struct nl_metric m;
	json_t *metric;                                   /* borrowed from the metrics array */
	struct nl_period periods[NL_PERIOD_MAX_PER_YEAR];
	size_t np;
	json_t *stored[NL_PERIOD_MAX_PER_YEAR];           /* owned; NULL where nothing is recorded */
	struct nl_cell cells[NL_PERIOD_MAX_PER_YEAR];
	struct nl_cell before_first;                      /* the previous year's last period, same code and frequency */
	char before_period[NL_PERIOD_STRLEN];
};

struct id_index {
	int64_t id;
	size_t row;
};

static int id_index_cmp(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The slot of period p in a row of its kind: month 1..12 → 0..11, quarter 1..4 → 0..3, the year → 0. */
static size_t period_slot(struct nl_period p)
{
	return p.kind == NL_PERIOD_YEAR ? 0 : (size_t)(p.index - 1);
}

/* The closed period strings of a year (at most the year, 4 quarters and 12 months). */
struct closed_set {
	char p[1 + 4 + 12][NL_PERIOD_STRLEN];
	size_t n;
};

static int closed_set_load(struct nl_ctx *ctx, int year, struct closed_set *cs)
{
	struct nl_stmt *st = NULL;
	char y[16], like[24];
	cs->n = 0;
	snprintf(y, sizeof y, "%d", year);
	snprintf(like, sizeof like, "%d-%%", year);
	int rc = db_prepare(ctx->db, "SELECT period FROM closed_periods WHERE period = $1 OR period LIKE $2 ORDER BY period",
		&st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, y);
	stmt_bind_text(st, 2, like);
	while ((rc = stmt_step(st)) == 1) {
		const char *s = stmt_column_text(st, 0);
		if (cs->n < NL_ARRAY_LEN(cs->p) && s && strlen(s) < NL_PERIOD_STRLEN)
			snprintf(cs->p[cs->n++], NL_PERIOD_STRLEN, "%s", s);
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int closed_set_has(const struct closed_set *cs, const char *period)
{
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->p[i], period))
			return 1;
	return 0;
}

/* An empty cell of the table: the period, the target and warning it would be judged against, nothing recorded. */
static json_t *empty_cell(const struct table_row *r, const char *period)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_null());
	json_set_int(o, "metric_id", r->m.id);
	json_set_str(o, "code", r->m.code);
	json_set_str(o, "period", period);
	static const char *const nulls[] = { "numerator", "denominator", "actual", "rate", "status", "origin", "note",
		"deviation_analysis", "corrective_action", "evidence", "recorded_by", "recorded_by_name", "recorded_at",
		"reviewed_by", "reviewed_by_name", "reviewed_at" };
	for (size_t i = 0; i < NL_ARRAY_LEN(nulls); i++)
		json_object_set_new(o, nulls[i], json_null());
	json_object_set_new(o, "target", json_real(r->m.goal.target));
	json_object_set_new(o, "warning", r->m.goal.has_warning ? json_real(r->m.goal.warning) : json_null());
	return o;
}

/* Loads the stored values of the year's metrics into their rows. */
static int table_load_values(struct nl_ctx *ctx, int year, struct table_row *rows, const struct id_index *index, size_t nm)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT " VALUE_COLS VALUE_FROM " WHERE m.year = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, year);
	while ((rc = stmt_step(st)) == 1) {
		struct id_index key = { stmt_column_int64(st, 1), 0 };
		const struct id_index *hit = bsearch(&key, index, nm, sizeof *index, id_index_cmp);
		struct nl_period p;
		if (!hit || period_parse(stmt_column_text(st, 3), &p))
			continue;
		struct table_row *r = &rows[hit->row];
		/* A value of a former frequency (the metric's frequency was changed later) has no place in this row; it is still
		 * listed by GET /metrics/{id}/values. */
		if (p.kind != r->m.frequency || p.year != year)
			continue;
		size_t slot = period_slot(p);
		json_decref(r->stored[slot]);
		r->stored[slot] = value_row(st);
		r->cells[slot].has_actual = !stmt_column_is_null(st, 6);
		r->cells[slot].actual = stmt_column_double(st, 6);
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Loads, for each row, the actual of the previous year's last period of the same code and frequency. */
static int table_load_before(struct nl_ctx *ctx, int year, struct table_row *rows, size_t nm)
{
	struct nl_stmt *st = NULL;
	char y[16], q4[16], m12[16];
	if (year - 1 < NL_DATE_MIN_YEAR)
		return 0;
	snprintf(y, sizeof y, "%d", year - 1);
	snprintf(q4, sizeof q4, "%d-Q4", year - 1);
	snprintf(m12, sizeof m12, "%d-12", year - 1);
	int rc = db_prepare(ctx->db,
		"SELECT m.code, v.period, v.actual FROM metric_values v JOIN metrics m ON m.id = v.metric_id"
		" WHERE m.year = $1 AND v.actual IS NOT NULL AND (v.period = $2 OR v.period = $3 OR v.period = $4)",
		&st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, year - 1);
	stmt_bind_text(st, 2, y);
	stmt_bind_text(st, 3, q4);
	stmt_bind_text(st, 4, m12);
	while ((rc = stmt_step(st)) == 1) {
		const char *code = stmt_column_text(st, 0), *period = stmt_column_text(st, 1);
		for (size_t i = 0; code && period && i < nm; i++) {
			if (!strcmp(rows[i].m.code, code) && !strcmp(rows[i].before_period, period)) {
				rows[i].before_first.has_actual = 1;
				rows[i].before_first.actual = stmt_column_double(st, 2);
			}
		}
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int achievement_table(struct nl_ctx *ctx, int year, const char *element, int64_t department_id, json_t **items)
{
	struct nl_metric_filter f = { year, element, department_id, 0, 0 };
	struct closed_set cs;
	json_t *metrics = NULL, *arr = NULL;
	struct table_row *rows = NULL;
	struct id_index *index = NULL;
	size_t nm = 0;
	*items = NULL;
	int rc = metric_list_table(ctx, &f, &metrics);
	if (rc)
		goto out;
	nm = json_array_size(metrics);
	rows = calloc(nm ? nm : 1, sizeof *rows);
	index = calloc(nm ? nm : 1, sizeof *index);
	if (!rows || !index) {
		rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	for (size_t i = 0; i < nm; i++) {
		struct table_row *r = &rows[i];
		struct nl_period prev;
		r->metric = json_array_get(metrics, i);
		if (metric_from_json(r->metric, &r->m) || period_list_for_year(year, r->m.frequency, r->periods, &r->np)) {
			rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, NULL);
			goto out;
		}
		if (period_prev(r->periods[0], &prev) || period_format(prev, r->before_period))
			r->before_period[0] = '\0';
		index[i].id = r->m.id;
		index[i].row = i;
	}
	qsort(index, nm, sizeof *index, id_index_cmp);
	if (nm && ((rc = table_load_values(ctx, year, rows, index, nm)) || (rc = table_load_before(ctx, year, rows, nm))))
		goto out;
	if ((rc = closed_set_load(ctx, year, &cs)))
		goto out;
	arr = json_array();
	for (size_t i = 0; i < nm; i++) {
		struct table_row *r = &rows[i];
		enum nl_trend trend[NL_PERIOD_MAX_PER_YEAR];
		enum nl_change change[NL_PERIOD_MAX_PER_YEAR];
		if (achievement_row_trends(r->m.goal.direction, &r->before_first, r->cells, r->np, trend, change)) {
			rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, NULL);
			goto out;
		}
		json_t *values = json_array();
		for (size_t k = 0; k < r->np; k++) {
			char ps[NL_PERIOD_STRLEN];
			if (period_format(r->periods[k], ps))
				ps[0] = '\0';
			json_t *o = r->stored[k] ? r->stored[k] : empty_cell(r, ps);
			r->stored[k] = NULL;
			json_set_str(o, "trend", rules_trend_name(trend[k]));
			json_set_str(o, "change", rules_change_name(change[k]));
			json_set_bool(o, "closed", closed_set_has(&cs, ps));
			json_array_append_new(values, o);
		}
		json_t *item = json_object();
		json_object_set(item, "metric", r->metric);
		json_object_set_new(item, "values", values);
		json_array_append_new(arr, item);
	}
	*items = arr;
	arr = NULL;
	rc = 0;
out:
	for (size_t i = 0; rows && i < nm; i++)
		for (size_t k = 0; k < NL_PERIOD_MAX_PER_YEAR; k++)
			json_decref(rows[i].stored[k]);
	free(rows);
	free(index);
	json_decref(arr);
	json_decref(metrics);
	return rc;
}

/* ================================ Closing periods ================================ */

#define CLOSED_COLS "c.period, c.closed_by, u.display_name, c.closed_at"

static json_t *closed_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_str(o, "period", stmt_column_text(st, 0));
	json_set_id(o, "closed_by", stmt_column_int64(st, 1));
	json_set_str(o, "closed_by_name", stmt_column_text(st, 2));
	json_set_str(o, "closed_at", stmt_column_text(st, 3));
	return o;
}

int achievement_closed_list(struct nl_ctx *ctx, int year, json_t **items)
{
	struct nl_stmt *st = NULL;
	char y[16] = "", like[24] = "";
	*items = NULL;
	if (year) {
		snprintf(y, sizeof y, "%d", year);
		snprintf(like, sizeof like, "%d-%%", year);
	}
	int rc = db_prepare(ctx->db, "SELECT " CLOSED_COLS " FROM closed_periods c LEFT JOIN users u ON u.id = c.closed_by"
				     " WHERE $1 = '' OR c.period = $1 OR c.period LIKE $2 ORDER BY c.period", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, y);
	stmt_bind_text(st, 2, like);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, closed_row(st));
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* Reads the values of a period as {code, status, deviation_analysis, corrective_action} objects, in code order. */
static int close_values_load(struct nl_ctx *ctx, const char *period, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT m.code, v.status, v.deviation_analysis, v.corrective_action FROM metric_values v"
				     " JOIN metrics m ON m.id = v.metric_id WHERE v.period = $1 ORDER BY m.code, m.id", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, period);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *o = json_object();
		json_set_str(o, "code", stmt_column_text(st, 0));
		json_set_str(o, "status", stmt_column_text(st, 1));
		json_set_str(o, "deviation_analysis", stmt_column_text(st, 2));
		json_set_str(o, "corrective_action", stmt_column_text(st, 3));
		json_array_append_new(arr, o);
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int achievement_close(struct nl_ctx *ctx, const char *period, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_period p;
	struct nl_date today, first;
	struct nl_close_value *cv = NULL;
	json_t *vals = NULL;
	char at[24], codes[600];
	int closed = 0;
	*out = NULL;
	if (period_parse(period, &p))
		return nl_fail(ctx->err, NL_EVALID, "period",
			"period must be a year \"2027\", a quarter \"2027-Q1\" or a month \"2027-03\".");
	int rc = cycle_today(ctx, &today);
	if (rc)
		return rc;
	if (period_first_date(p, &first))
		return nl_fail(ctx->err, NL_EVALID, "period", "Not a valid period.");
	if (date_cmp(first, today) > 0)
		return nl_fail(ctx->err, NL_EVALID, "period", "Period %s has not begun yet; only a begun period can be closed.", period);
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = achievement_period_closed(ctx, period, &closed)))
		goto out;
	if (closed) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "Period %s is closed already.", period);
		goto out;
	}
	if ((rc = close_values_load(ctx, period, &vals)))
		goto out;
	size_t n = json_array_size(vals);
	cv = calloc(n ? n : 1, sizeof *cv);
	if (!cv) {
		rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(vals, i);
		cv[i].code = json_string_value(json_object_get(o, "code"));
		cv[i].has_status = rules_status_parse(json_string_value(json_object_get(o, "status")), &cv[i].status) == 0;
		cv[i].deviation_analysis = json_string_value(json_object_get(o, "deviation_analysis"));
		cv[i].corrective_action = json_string_value(json_object_get(o, "corrective_action"));
	}
	size_t blocked = achievement_close_blockers(cv, n, codes, sizeof codes);
	if (blocked) {
		rc = nl_fail(ctx->err, NL_EVALID, "period",
			"Period %s cannot be closed: %zu missed value(s) need a deviation analysis and a corrective action first: %s.",
			period, blocked, codes);
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "INSERT INTO closed_periods (period, closed_by, closed_at) VALUES ($1, $2, $3)"
				      " ON CONFLICT (period) DO NOTHING", &st)))
		goto out;
	stmt_bind_text(st, 1, period);
	if (ctx->actor)
		stmt_bind_int64(st, 2, ctx->actor->id);
	else
		stmt_bind_null(st, 2);
	stmt_bind_text(st, 3, at);
	rc = stmt_step(st);
	int64_t inserted = rc == 0 ? stmt_changes(st) : 0;
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (inserted == 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "Period %s is closed already.", period);
		goto out;
	}
	/* Closing is quality's review of the period: the closing user becomes the reviewer of values not yet reviewed. */
	if (ctx->actor) {
		if ((rc = db_prepare(ctx->db, "UPDATE metric_values SET reviewed_by = $2, reviewed_at = $3"
					      " WHERE period = $1 AND reviewed_by IS NULL", &st)))
			goto out;
		stmt_bind_text(st, 1, period);
		stmt_bind_int64(st, 2, ctx->actor->id);
		stmt_bind_text(st, 3, at);
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			goto out;
	}
	if ((rc = db_prepare(ctx->db, "SELECT " CLOSED_COLS " FROM closed_periods c LEFT JOIN users u ON u.id = c.closed_by"
				      " WHERE c.period = $1", &st)))
		goto out;
	stmt_bind_text(st, 1, period);
	rc = stmt_step(st);
	if (rc == 1)
		*out = closed_row(st);
	stmt_done(st);
	if (rc <= 0) {
		rc = rc < 0 ? rc : NL_ESTORE;
		goto out;
	}
	json_set_int(*out, "values", (int64_t)n);
	rc = audit_append(ctx, "close", "closed_period", 0, NULL, *out);
out:
	free(cv);
	json_decref(vals);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ================================ Computing measure: metrics ================================ */

static json_t *period_ref(const struct nl_metric *m, const char *period)
{
	json_t *o = json_object();
	json_set_int(o, "metric_id", m->id);
	json_set_str(o, "code", m->code);
	json_set_str(o, "period", period);
	return o;
}

int achievement_compute(struct nl_ctx *ctx, int year, json_t **out)
{
	struct nl_metric_filter f = { year, NULL, 0, 0, 0 };
	struct nl_date today;
	struct closed_set cs;
	json_t *metrics = NULL, *no_data = NULL, *skipped = NULL, *after = NULL;
	int64_t computed = 0;
	*out = NULL;
	if (year < NL_METRIC_MIN_YEAR || year > NL_METRIC_MAX_YEAR)
		return nl_fail(ctx->err, NL_EVALID, "year", "year must be from %d to %d.", NL_METRIC_MIN_YEAR,
			NL_METRIC_MAX_YEAR);
	int rc = cycle_today(ctx, &today);
	if (rc || (rc = db_begin(ctx->db)))
		return rc;
	if ((rc = metric_list_table(ctx, &f, &metrics)) || (rc = closed_set_load(ctx, year, &cs)))
		goto out;
	no_data = json_array();
	skipped = json_array();
	for (size_t i = 0; i < json_array_size(metrics); i++) {
		struct nl_metric m;
		struct nl_period periods[NL_PERIOD_MAX_PER_YEAR];
		size_t np = 0;
		if (metric_from_json(json_array_get(metrics, i), &m)) {
			rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, NULL);
			goto out;
		}
		const struct nl_measure *ms = measure_from_source(m.source);
		if (!ms)
			continue;   /* manual metrics are entered by hand, never computed */
		if (achievement_periods_begun(year, m.frequency, today, periods, &np)) {
			rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, NULL);
			goto out;
		}
		for (size_t k = 0; k < np; k++) {
			char ps[NL_PERIOD_STRLEN];
			int has_value = 0;
			double value, num, den;
			int64_t id;
			if (period_format(periods[k], ps)) {
				rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, NULL);
				goto out;
			}
			if (closed_set_has(&cs, ps)) {
				json_array_append_new(skipped, period_ref(&m, ps));
				continue;
			}
			/* A metric measures the whole organisation; its owner department answers for it. */
			if ((rc = measure_value(ctx, ms->key, 0, periods[k], &has_value, &value, &num, &den)))
				goto out;
			if (!has_value || !isfinite(value)) {
				json_array_append_new(no_data, period_ref(&m, ps));
				continue;
			}
			struct value_write w = { 0 };
			w.metric_id = m.id;
			w.period = ps;
			w.origin = "computed";
			if ((rc = value_numbers(&w, &m.goal, value, isfinite(num) ? num : NAN, isfinite(den) ? den : NAN)) ||
				(rc = value_upsert(ctx, &w, 0, &id)))
				goto out;
			computed++;
		}
	}
	after = json_object();
	json_set_int(after, "year", year);
	json_set_int(after, "computed", computed);
	json_set_int(after, "no_data", (int64_t)json_array_size(no_data));
	json_set_int(after, "skipped_closed", (int64_t)json_array_size(skipped));
	if ((rc = audit_append(ctx, "compute", "achievement", 0, NULL, after)))
		goto out;
	*out = json_object();
	json_set_int(*out, "year", year);
	json_set_int(*out, "computed", computed);
	json_object_set(*out, "no_data", no_data);
	json_object_set(*out, "skipped_closed", skipped);
out:
	json_decref(metrics);
	json_decref(no_data);
	json_decref(skipped);
	json_decref(after);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
