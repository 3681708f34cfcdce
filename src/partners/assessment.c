/* assessment.c — the dimension set, the grade thresholds and quarterly partner assessments (assessment.h). */
#include "partners/assessment.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "core/date.h"
#include "cycle/period.h"
#include "cycle/today.h"
#include "org/org.h"
#include "partners/partner.h"
#include "partners/partner_measure.h"
#include "store/rows.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define GRADES_KEY "partner_grade_thresholds"
#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* ================================ Dimensions ================================ */

int partner_dimensions_get(struct nl_ctx *ctx, json_t **items)
{
	static const struct nl_col cols[] = {
		{ "key", NL_COL_TEXT }, { "name", NL_COL_TEXT }, { "name_en", NL_COL_TEXT }, { "weight", NL_COL_REAL },
		{ "source", NL_COL_TEXT }, { "sort", NL_COL_INT },
	};
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = db_prepare(ctx->db, "SELECT key, name, name_en, weight, source, sort FROM partner_dimensions"
				     " ORDER BY sort, key", &st);
	if (rc)
		return rc;
	return stmt_rows_json(st, cols, NL_ARRAY_LEN(cols), 0, items, NULL);
}

/* Serialises concurrent writers of a partner-wide setting: an upsert of a counter row in settings, which PostgreSQL
 * locks until the transaction ends (SQLite holds the whole database already). */
static int settings_lock(struct nl_ctx *ctx, const char *key)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "INSERT INTO settings (key, value) VALUES ($1, '1') ON CONFLICT (key) DO UPDATE"
				     " SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, key);
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int partner_dimensions_put(struct nl_ctx *ctx, const json_t *items, const char *prefix, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	*out = NULL;
	int rc = partner_dimensions_check(items, prefix, ctx->err);
	if (rc)
		return rc;
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = settings_lock(ctx, "partner_dimensions_version")) || (rc = partner_dimensions_get(ctx, &before)))
		goto out;
	if ((rc = db_prepare(ctx->db, "DELETE FROM partner_dimensions", &st)))
		goto out;
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < json_array_size(items); i++) {
		const json_t *o = json_array_get(items, i);
		const char *src = json_string_value(json_object_get(o, "source"));
		const char *name_en = json_string_value(json_object_get(o, "name_en"));
		if ((rc = db_prepare(ctx->db, "INSERT INTO partner_dimensions (key, name, name_en, weight, source, sort)"
					      " VALUES ($1, $2, $3, $4, $5, $6)", &st)))
			goto out;
		stmt_bind_text(st, 1, json_string_value(json_object_get(o, "key")));
		stmt_bind_text(st, 2, json_string_value(json_object_get(o, "name")));
		stmt_bind_text(st, 3, name_en ? name_en : "");
		stmt_bind_double(st, 4, json_number_value(json_object_get(o, "weight")));
		stmt_bind_text(st, 5, src ? src : "manual");
		stmt_bind_int64(st, 6, (int64_t)i + 1);
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			goto out;
	}
	if ((rc = partner_dimensions_get(ctx, out)))
		goto out;
	rc = audit_append(ctx, "update", "partner_dimensions", 0, before, *out);
out:
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ================================ Grade thresholds ================================ */

int partner_grades_get(struct nl_ctx *ctx, struct nl_partner_grades *g)
{
	char v[256];
	*g = nl_partner_grades_default;
	int rc = settings_value(ctx, GRADES_KEY, "", v, sizeof v);
	if (rc || !*v)
		return rc;
	json_t *j = json_loads(v, 0, NULL);
	struct nl_partner_grades s = {
		json_number_value(json_object_get(j, "a")), json_number_value(json_object_get(j, "b")),
		json_number_value(json_object_get(j, "c")),
	};
	json_decref(j);
	if (partner_grades_check(&s, NULL) == 0)
		*g = s;
	return 0;
}

json_t *partner_grades_json(const struct nl_partner_grades *g)
{
	const struct nl_partner_grades *d = &nl_partner_grades_default;
	return json_pack("{s:f,s:f,s:f,s:{s:f,s:f,s:f}}", "a", g->a, "b", g->b, "c", g->c, "defaults", "a", d->a, "b", d->b,
		"c", d->c);
}

int partner_grades_put(struct nl_ctx *ctx, const struct nl_partner_grades *g, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_partner_grades old;
	json_t *before = NULL;
	char *text = NULL;
	*out = NULL;
	int rc = partner_grades_check(g, ctx->err);
	if (rc)
		return rc;
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = partner_grades_get(ctx, &old)))
		goto out;
	before = partner_grades_json(&old);
	json_t *stored = json_pack("{s:f,s:f,s:f}", "a", g->a, "b", g->b, "c", g->c);
	text = json_dumps(stored, JSON_FLAGS);
	json_decref(stored);
	if (!text) {
		rc = NL_ENOMEM;
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "INSERT INTO settings (key, value) VALUES ($1, $2)"
				      " ON CONFLICT (key) DO UPDATE SET value = excluded.value", &st)))
		goto out;
	stmt_bind_text(st, 1, GRADES_KEY);
	stmt_bind_text(st, 2, text);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	*out = partner_grades_json(g);
	rc = audit_append(ctx, "update", "partner_grades", 0, before, *out);
out:
	free(text);
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ================================ Scoring one quarter ================================ */

/* Parses a quarter "YYYY-Qn" (NL_EVALID naming "period" otherwise). */
static int quarter_parse(struct nl_ctx *ctx, const char *s, struct nl_period *p)
{
	if (!s || period_parse(s, p) || p->kind != NL_PERIOD_QUARTER)
		return nl_fail(ctx->err, NL_EVALID, "period", "period must be a quarter such as 2027-Q1.");
	return 0;
}

/* The scores of one quarter, dimension by dimension, as an assessment would record them. */
struct scoring {
	json_t *dims;           /* the dimension set (owned) */
	json_t *details;        /* [{"key","name","weight","source","score","origin","measure","note"}] (owned) */
	struct nl_partner_records records;
	int records_read;
};

static void scoring_cleanup(struct scoring *s)
{
	json_decref(s->dims);
	json_decref(s->details);
}

/* Fills s for partner_id over quarter p. `given` is the caller's scores (NULL for a draft: nothing is refused, a score
 * to be entered stays null). With given, refuses as assessment_create documents. */
static int score_quarter(struct nl_ctx *ctx, int64_t partner_id, struct nl_period p, const json_t *given,
	struct scoring *s)
{
	char field[64];
	const char *k;
	json_t *v;
	int rc = partner_dimensions_get(ctx, &s->dims);
	if (rc)
		return rc;
	if (given) {
		json_object_foreach((json_t *)given, k, v) {
			size_t i;
			snprintf(field, sizeof field, "scores.%.50s", k);
			for (i = 0; i < json_array_size(s->dims); i++)
				if (!strcmp(k, json_string_value(json_object_get(json_array_get(s->dims, i), "key"))))
					break;
			if (i == json_array_size(s->dims))
				return nl_fail(ctx->err, NL_EVALID, field, "\"%.50s\" is not an assessment dimension (GET /partner-dimensions).", k);
			if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0 ||
				json_number_value(v) > 100)
				return nl_fail(ctx->err, NL_EVALID, field, "%s must be a number from 0 to 100.", field);
		}
	}
	s->details = json_array();
	for (size_t i = 0; i < json_array_size(s->dims); i++) {
		const json_t *d = json_array_get(s->dims, i);
		const char *key = json_string_value(json_object_get(d, "key"));
		const char *source = json_string_value(json_object_get(d, "source"));
		const char *mkey = partner_source_measure(source);
		const json_t *g = given ? json_object_get(given, key) : NULL;
		json_t *o = json_object();
		json_set_str(o, "key", key);
		json_set_str(o, "name", json_string_value(json_object_get(d, "name")));
		json_object_set_new(o, "weight", json_real(json_number_value(json_object_get(d, "weight"))));
		json_set_str(o, "source", source);
		json_array_append_new(s->details, o);
		snprintf(field, sizeof field, "scores.%s", key);
		if (!mkey) {
			/* manual (or a measure this version no longer knows: entered by hand too) */
			json_object_set_new(o, "measure", json_null());
			json_set_str(o, "origin", "manual");
			json_object_set_new(o, "note", json_null());
			if (g) {
				json_object_set_new(o, "score", json_real(json_number_value(g)));
			} else {
				json_object_set_new(o, "score", json_null());
				if (given)
					return nl_fail(ctx->err, NL_EVALID, field, "%s is required: \"%s\" is scored by hand (0–100).", field,
						key);
			}
			continue;
		}
		if (!s->records_read) {
			if ((rc = partner_records_read(ctx, partner_id, p, &s->records)))
				return rc;
			s->records_read = 1;
		}
		int has = 0;
		double value, num, den, score = 0;
		char note[200];
		if ((rc = partner_records_measure(&s->records, mkey, &has, &value, &num, &den, note, sizeof note)))
			return nl_fail(ctx->err, NL_EINTERNAL, NULL, "Unknown partner measure %s.", mkey);
		if (has) {
			if ((rc = partner_measure_score(mkey, value, &score)))
				return nl_fail(ctx->err, NL_EINTERNAL, NULL, "Unknown partner measure %s.", mkey);
			json_object_set_new(o, "measure", json_pack("{s:s,s:f,s:f,s:f}", "key", mkey, "value", value, "numerator",
				num, "denominator", den));
			if (g)
				return nl_fail(ctx->err, NL_EVALID, field,
					"%s is taken from the records (%s = %.4g → score %.1f); leave it out.", field, mkey, value, score);
			json_object_set_new(o, "score", json_real(score));
			json_set_str(o, "origin", "records");
			json_object_set_new(o, "note", json_null());
			continue;
		}
		json_object_set_new(o, "measure", json_pack("{s:s,s:n,s:n,s:n}", "key", mkey, "value", "numerator",
			"denominator"));
		if (g) {
			char why[300];
			snprintf(why, sizeof why, "no data in the records (%s): score entered by hand", note);
			json_object_set_new(o, "score", json_real(json_number_value(g)));
			json_set_str(o, "origin", "override");
			json_set_str(o, "note", why);
		} else {
			json_object_set_new(o, "score", json_null());
			json_set_str(o, "origin", "records");
			json_set_str(o, "note", note);
			if (given)
				return nl_fail(ctx->err, NL_EVALID, field,
					"%s: the records have no data for %s (%s); give a score (0–100) to enter it by hand.", field, mkey,
					note);
		}
	}
	return 0;
}

/* ================================ Assessments ================================ */

#define ASSESSMENT_COLS \
	"a.id, a.partner_id, p.name, a.period, a.total, a.grade, a.scores, a.weights, a.details, a.comment," \
	" a.assessor_user_id, u.display_name, a.created_at"
#define ASSESSMENT_FROM \
	" FROM partner_assessments a JOIN partners p ON p.id = a.partner_id LEFT JOIN users u ON u.id = a.assessor_user_id"

static json_t *assessment_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_t *details = json_loads(stmt_column_text(st, 8), 0, NULL);
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "partner_id", stmt_column_int64(st, 1));
	json_set_str(o, "partner_name", stmt_column_text(st, 2));
	json_set_str(o, "period", stmt_column_text(st, 3));
	json_object_set_new(o, "total", json_real(stmt_column_double(st, 4)));
	json_set_str(o, "grade", stmt_column_text(st, 5));
	json_t *scores = json_loads(stmt_column_text(st, 6), 0, NULL), *weights = json_loads(stmt_column_text(st, 7), 0, NULL);
	json_object_set_new(o, "scores", scores ? scores : json_object());
	json_object_set_new(o, "weights", weights ? weights : json_object());
	json_t *dims = json_object_get(details, "dimensions"), *thr = json_object_get(details, "thresholds");
	json_object_set_new(o, "dimensions", dims ? json_incref(dims) : json_array());
	json_object_set_new(o, "thresholds", thr ? json_incref(thr) : json_null());
	json_set_str(o, "comment", stmt_column_text(st, 9));
	json_set_id(o, "assessor_user_id", stmt_column_int64(st, 10));
	json_set_str(o, "assessor_name", stmt_column_text(st, 11));
	json_set_str(o, "created_at", stmt_column_text(st, 12));
	json_decref(details);
	return o;
}

int assessment_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " ASSESSMENT_COLS ASSESSMENT_FROM " WHERE a.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = assessment_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No partner assessment with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int assessment_list(struct nl_ctx *ctx, int64_t partner_id, int year, json_t **items)
{
	struct nl_stmt *st = NULL;
	char status[16], first[24] = "0000", last[24] = "9999-Q9";
	*items = NULL;
	int rc = partner_status(ctx, partner_id, NULL, 0, status);
	if (rc)
		return rc;
	if (year > 0) {
		snprintf(first, sizeof first, "%04d-Q1", year);
		snprintf(last, sizeof last, "%04d-Q4", year);
	}
	if ((rc = db_prepare(ctx->db, "SELECT " ASSESSMENT_COLS ASSESSMENT_FROM " WHERE a.partner_id = $1"
				      " AND a.period >= $2 AND a.period <= $3 ORDER BY a.period DESC", &st)))
		return rc;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_text(st, 2, first);
	stmt_bind_text(st, 3, last);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, assessment_row(st));
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* 1 in *exists when the partner has an assessment of the period. */
static int assessed(struct nl_ctx *ctx, int64_t partner_id, const char *period, int *exists)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT id FROM partner_assessments WHERE partner_id = $1 AND period = $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_text(st, 2, period);
	rc = stmt_step(st);
	*exists = rc == 1;
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* NL_EVALID naming "period" when the quarter begins after the organisation's today. */
static int quarter_begun(struct nl_ctx *ctx, struct nl_period p, const char *period)
{
	struct nl_date today, first;
	int rc = cycle_today(ctx, &today);
	if (rc)
		return rc;
	if (period_first_date(p, &first))
		return nl_fail(ctx->err, NL_EVALID, "period", "period must be a quarter such as 2027-Q1.");
	if (date_cmp(first, today) > 0)
		return nl_fail(ctx->err, NL_EVALID, "period", "%s has not begun yet: a quarter is assessed once it is under way.",
			period);
	return 0;
}

int assessment_create(struct nl_ctx *ctx, int64_t partner_id, const struct nl_assessment_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_period p;
	struct scoring s = { 0 };
	struct nl_partner_grades g;
	char name[256], status[16];
	char *scores_text = NULL, *weights_text = NULL, *details_text = NULL;
	json_t *scores = NULL, *weights = NULL, *details = NULL;
	double sv[NL_PARTNER_MAX_DIMENSIONS], wv[NL_PARTNER_MAX_DIMENSIONS];
	int exists = 0;
	int64_t id = 0;
	char at[24];
	*out = NULL;
	int rc = quarter_parse(ctx, in->period, &p);
	if (rc)
		return rc;
	if (!json_is_object(in->scores))
		return nl_fail(ctx->err, NL_EVALID, "scores", "scores must be an object {dimension_key: 0..100}.");
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = partner_status(ctx, partner_id, name, sizeof name, status)))
		goto out;
	if (!strcmp(status, "candidate")) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL,
			"%s is a candidate: a partner is assessed once selected (status active, suspended or terminated).", name);
		goto out;
	}
	if ((rc = quarter_begun(ctx, p, in->period)) || (rc = assessed(ctx, partner_id, in->period, &exists)))
		goto out;
	if (exists) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, "period", "%s is assessed for %s already.", name, in->period);
		goto out;
	}
	if ((rc = score_quarter(ctx, partner_id, p, in->scores, &s)) || (rc = partner_grades_get(ctx, &g)))
		goto out;
	size_t n = json_array_size(s.details);
	if (n > NL_PARTNER_MAX_DIMENSIONS) {
		rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, "Too many dimensions.");
		goto out;
	}
	scores = json_object();
	weights = json_object();
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(s.details, i);
		const char *key = json_string_value(json_object_get(o, "key"));
		sv[i] = json_number_value(json_object_get(o, "score"));
		wv[i] = json_number_value(json_object_get(o, "weight"));
		json_object_set_new(scores, key, json_real(sv[i]));
		json_object_set_new(weights, key, json_real(wv[i]));
	}
	double total = 0;
	if ((rc = partner_weighted_total(sv, wv, n, &total, ctx->err)))
		goto out;
	const char *grade = partner_grade(&g, total);
	details = json_pack("{s:O,s:{s:f,s:f,s:f}}", "dimensions", s.details, "thresholds", "a", g.a, "b", g.b, "c", g.c);
	scores_text = json_dumps(scores, JSON_FLAGS);
	weights_text = json_dumps(weights, JSON_FLAGS);
	details_text = json_dumps(details, JSON_FLAGS);
	if (!scores_text || !weights_text || !details_text) {
		rc = NL_ENOMEM;
		goto out;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_prepare(ctx->db, "INSERT INTO partner_assessments (partner_id, period, scores, weights, details, total,"
				      " grade, comment, assessor_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
				      " ON CONFLICT (partner_id, period) DO NOTHING RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_text(st, 2, in->period);
	stmt_bind_text(st, 3, scores_text);
	stmt_bind_text(st, 4, weights_text);
	stmt_bind_text(st, 5, details_text);
	stmt_bind_double(st, 6, total);
	stmt_bind_text(st, 7, grade);
	stmt_bind_text(st, 8, in->comment ? in->comment : "");
	if (ctx->actor && ctx->actor->id > 0)
		stmt_bind_int64(st, 9, ctx->actor->id);
	else
		stmt_bind_null(st, 9);
	stmt_bind_text(st, 10, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (id == 0) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, "period", "%s is assessed for %s already.", name, in->period);
		goto out;
	}
	if ((rc = assessment_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "partner_assessment", id, NULL, *out);
out:
	scoring_cleanup(&s);
	json_decref(scores);
	json_decref(weights);
	json_decref(details);
	free(scores_text);
	free(weights_text);
	free(details_text);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int assessment_draft(struct nl_ctx *ctx, int64_t partner_id, const char *period, json_t **out)
{
	struct nl_period p;
	struct scoring s = { 0 };
	char status[16];
	int exists = 0;
	*out = NULL;
	int rc = quarter_parse(ctx, period, &p);
	if (rc || (rc = partner_status(ctx, partner_id, NULL, 0, status)) || (rc = assessed(ctx, partner_id, period, &exists)) ||
		(rc = score_quarter(ctx, partner_id, p, NULL, &s)))
		goto out;
	if (!s.records_read && (rc = partner_records_read(ctx, partner_id, p, &s.records)))
		goto out;
	*out = json_pack("{s:I,s:s,s:b,s:o,s:O}", "partner_id", (json_int_t)partner_id, "period", period, "assessed", exists,
		"records", partner_records_json(&s.records), "dimensions", s.details);
out:
	scoring_cleanup(&s);
	return rc;
}
