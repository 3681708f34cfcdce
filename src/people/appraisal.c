/* appraisal.c — appraisal criteria and appraisals (people/appraisal.h), with this file's own SQL on
 * appraisal_criteria and appraisals (and staff/departments/users for names and scope). */
#include "people/appraisal.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/json.h"
#include "cycle/period.h"
#include "people/peopleInt.h"
#include "people/people_rules.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define APPRAISAL_SELECT \
	"SELECT a.id, a.staff_id, s.name, s.department_id, d.name, a.period, a.scores, a.weights, a.total, a.grade," \
	" a.comment, a.appraiser_user_id, u.display_name, a.created_at, a.updated_at" \
	" FROM appraisals a JOIN staff s ON s.id = a.staff_id JOIN departments d ON d.id = s.department_id" \
	" LEFT JOIN users u ON u.id = a.appraiser_user_id"

static json_t *json_from_text(const char *s)
{
	json_t *v = s ? json_loads(s, 0, NULL) : NULL;
	return v ? v : json_object();
}

static json_t *appraisal_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "staff_id", stmt_column_int64(st, 1));
	json_set_str(o, "staff_name", stmt_column_text(st, 2));
	json_set_int(o, "department_id", stmt_column_int64(st, 3));
	json_set_str(o, "department", stmt_column_text(st, 4));
	json_set_str(o, "period", stmt_column_text(st, 5));
	json_object_set_new(o, "scores", json_from_text(stmt_column_text(st, 6)));
	json_object_set_new(o, "weights", json_from_text(stmt_column_text(st, 7)));
	json_object_set_new(o, "total", json_real(stmt_column_double(st, 8)));
	json_set_str(o, "grade", stmt_column_text(st, 9));
	json_set_str(o, "comment", stmt_column_text(st, 10));
	json_set_id(o, "appraiser_user_id", stmt_column_int64(st, 11));
	json_set_str(o, "appraiser", stmt_column_text(st, 12));
	json_set_str(o, "created_at", stmt_column_text(st, 13));
	json_set_str(o, "updated_at", stmt_column_text(st, 14));
	return o;
}

/* 1 when ctx->actor may read appraisals of staff in department_id (the command line may read all). */
static int may_read(const struct nl_ctx *ctx, int64_t department_id)
{
	return !ctx->actor || policy_scope_allows(ctx->actor, "appraisal.read", department_id);
}

/* ---- criteria ---- */

int appraisal_criteria_list(struct nl_ctx *ctx, json_t **items)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = db_prepare(ctx->db, "SELECT key, name, name_en, weight, sort FROM appraisal_criteria ORDER BY sort, key", &st);
	if (rc)
		return rc;
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *o = json_object();
		json_set_str(o, "key", stmt_column_text(st, 0));
		json_set_str(o, "name", stmt_column_text(st, 1));
		json_set_str(o, "name_en", stmt_column_text(st, 2));
		json_object_set_new(o, "weight", json_real(stmt_column_double(st, 3)));
		json_set_int(o, "sort", stmt_column_int64(st, 4));
		json_array_append_new(arr, o);
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

int appraisal_criteria_put(struct nl_ctx *ctx, const json_t *criteria, const char *prefix, json_t **items)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	size_t i;
	const json_t *c;
	*items = NULL;
	int rc = people_criteria_check(criteria, prefix, ctx->err);
	if (rc)
		return rc;
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = appraisal_criteria_list(ctx, &before)))
		goto out;
	if ((rc = db_prepare(ctx->db, "DELETE FROM appraisal_criteria", &st)))
		goto out;
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	json_array_foreach(criteria, i, c) {
		const json_t *sort = json_object_get(c, "sort");
		const char *name_en = json_string_value(json_object_get(c, "name_en"));
		if ((rc = db_prepare(ctx->db, "INSERT INTO appraisal_criteria (key, name, name_en, weight, sort) VALUES ($1, $2, $3, $4, $5)", &st)))
			goto out;
		stmt_bind_text(st, 1, json_string_value(json_object_get(c, "key")));
		stmt_bind_text(st, 2, json_string_value(json_object_get(c, "name")));
		stmt_bind_text(st, 3, name_en ? name_en : "");
		stmt_bind_double(st, 4, json_number_value(json_object_get(c, "weight")));
		stmt_bind_int64(st, 5, json_is_integer(sort) ? json_integer_value(sort) : (int64_t)i + 1);
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			goto out;
	}
	if ((rc = appraisal_criteria_list(ctx, items)))
		goto out;
	rc = audit_append(ctx, "update", "appraisal_criteria", 0, before, *items);
out:
	json_decref(before);
	return people_write_end(ctx, rc, items);
}

/* ---- scoring ---- */

/* Computes total and grade of `scores` against `weights` (an object {key: weight}); fills the canonical scores
 * object (only the weights' keys, numbers) into *clean. 422 naming "scores.<key>". */
static int score(struct nl_ctx *ctx, const json_t *scores, const json_t *weights, json_t **clean, double *total,
	const char **grade)
{
	const char *key;
	const json_t *v;
	char field[96];
	size_t n = json_object_size(weights), i = 0;
	*clean = NULL;
	if (!json_is_object(scores))
		return nl_fail(ctx->err, NL_EVALID, "scores", "scores must be an object {criterion: 0..100}.");
	json_object_foreach((json_t *)scores, key, v) {
		if (!json_object_get(weights, key)) {
			snprintf(field, sizeof field, "scores.%.60s", key);
			return nl_fail(ctx->err, NL_EVALID, field, "\"%.60s\" is not an appraisal criterion.", key);
		}
	}
	if (n == 0)
		return nl_fail(ctx->err, NL_EVALID, "scores", "No appraisal criteria are configured.");
	double *s = calloc(n, sizeof *s), *w = calloc(n, sizeof *w);
	if (!s || !w) {
		free(s);
		free(w);
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	}
	int rc = 0;
	json_t *out = json_object();
	json_object_foreach((json_t *)weights, key, v) {
		const json_t *x = json_object_get(scores, key);
		snprintf(field, sizeof field, "scores.%.60s", key);
		if (!x || json_is_null(x)) {
			rc = nl_fail(ctx->err, NL_EVALID, field, "A score for \"%.60s\" is required.", key);
			break;
		}
		if (!json_is_number(x) || !isfinite(json_number_value(x)) || json_number_value(x) < 0 || json_number_value(x) > 100) {
			rc = nl_fail(ctx->err, NL_EVALID, field, "%s must be a number 0 to 100.", field);
			break;
		}
		s[i] = json_number_value(x);
		w[i] = json_number_value(v);
		json_object_set_new(out, key, json_real(s[i]));
		i++;
	}
	if (rc == 0 && people_weighted_total(s, w, n, total) != 0)
		rc = nl_fail(ctx->err, NL_EVALID, "scores", "The scores cannot be weighted.");
	free(s);
	free(w);
	if (rc) {
		json_decref(out);
		return rc;
	}
	*grade = people_grade(*total);
	*clean = out;
	return 0;
}

/* The weights in force as an object {key: weight}. */
static int current_weights(struct nl_ctx *ctx, json_t **out)
{
	json_t *items = NULL;
	size_t i;
	json_t *c;
	*out = NULL;
	int rc = appraisal_criteria_list(ctx, &items);
	if (rc)
		return rc;
	json_t *w = json_object();
	json_array_foreach(items, i, c)
		json_object_set(w, json_string_value(json_object_get(c, "key")), json_object_get(c, "weight"));
	json_decref(items);
	*out = w;
	return 0;
}

static char *dump(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
}

/* ---- reads ---- */

static int appraisal_read(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, APPRAISAL_SELECT " WHERE a.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = appraisal_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No appraisal with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int appraisal_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	int rc = appraisal_read(ctx, id, out);
	if (rc)
		return rc;
	if (!may_read(ctx, json_integer_value(json_object_get(*out, "department_id")))) {
		json_decref(*out);
		*out = NULL;
		return nl_fail(ctx->err, NL_EFORBIDDEN, NULL, "You may read only your own department's appraisals.");
	}
	return 0;
}

int appraisal_list(struct nl_ctx *ctx, const struct nl_appraisal_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	struct nl_period p;
	int more = 0;
	int64_t dept = f->department_id;
	char year_s[8] = "";
	*items = NULL;
	*next = 0;
	if (f->period && period_parse(f->period, &p))
		return nl_fail(ctx->err, NL_EINVAL, "period", "period must be YYYY, YYYY-Qn or YYYY-MM.");
	if (f->grade && strcmp(f->grade, "A") && strcmp(f->grade, "B") && strcmp(f->grade, "C") && strcmp(f->grade, "D"))
		return nl_fail(ctx->err, NL_EINVAL, "grade", "grade must be A, B, C or D.");
	if (f->year)
		snprintf(year_s, sizeof year_s, "%04lld", (long long)f->year);
	if (ctx->actor && !policy_scope_allows(ctx->actor, "appraisal.read", 0)) {
		/* limited to the actor's own department */
		int64_t own = ctx->actor->department_id > 0 ? ctx->actor->department_id : -1;
		if (dept > 0 && dept != own)
			return nl_fail(ctx->err, NL_EFORBIDDEN, "department_id", "You may read only your own department's appraisals.");
		if (f->staff_id > 0) {
			int other;
			int rc = db_prepare(ctx->db, "SELECT department_id FROM staff WHERE id = $1", &st);
			if (rc)
				return rc;
			stmt_bind_int64(st, 1, f->staff_id);
			rc = stmt_step(st);
			other = rc == 1 && stmt_column_int64(st, 0) != own;
			stmt_done(st);
			if (rc < 0)
				return rc;
			if (other)
				return nl_fail(ctx->err, NL_EFORBIDDEN, "staff_id",
					"You may read only your own department's appraisals.");
		}
		dept = own;
	}
	int rc = db_prepare(ctx->db, APPRAISAL_SELECT " WHERE a.id > $1"
				     " AND (CAST($2 AS BIGINT) = 0 OR a.staff_id = CAST($2 AS BIGINT))"
				     " AND (CAST($3 AS BIGINT) = 0 OR s.department_id = CAST($3 AS BIGINT))"
				     " AND (CAST($4 AS TEXT) = '' OR a.period = CAST($4 AS TEXT))"
				     " AND (CAST($5 AS TEXT) = '' OR substr(a.period, 1, 4) = CAST($5 AS TEXT))"
				     " AND (CAST($6 AS TEXT) = '' OR a.grade = CAST($6 AS TEXT))"
				     " ORDER BY a.id LIMIT $7", &st);
	if (rc)
		return rc;
	int64_t limit = f->limit > 0 ? f->limit : PEOPLE_NO_LIMIT;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_int64(st, 2, f->staff_id);
	stmt_bind_int64(st, 3, dept);
	stmt_bind_text(st, 4, f->period ? f->period : "");
	stmt_bind_text(st, 5, year_s);
	stmt_bind_text(st, 6, f->grade ? f->grade : "");
	stmt_bind_int64(st, 7, limit + 1);
	json_t *arr = json_array();
	int64_t n = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			more = 1;
			break;
		}
		json_array_append_new(arr, appraisal_row(st));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*next = people_next_cursor(arr, more);
	*items = arr;
	return 0;
}

int appraisal_list_of_staff(struct nl_ctx *ctx, int64_t staff_id, json_t **items)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = db_prepare(ctx->db, APPRAISAL_SELECT " WHERE a.staff_id = $1 ORDER BY a.period DESC, a.id DESC", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, staff_id);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, appraisal_row(st));
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* ---- writes ---- */

int appraisal_create(struct nl_ctx *ctx, int64_t staff_id, const char *period, const json_t *scores, const char *comment,
	json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_period p;
	struct nl_date first, last;
	json_t *weights = NULL, *clean = NULL;
	char *scores_s = NULL, *weights_s = NULL, at[24], first_s[NL_DATE_STRLEN], last_s[NL_DATE_STRLEN];
	double total = 0;
	const char *grade = "D";
	int64_t id = 0;
	int in_tx = 0;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT hired_on, left_on FROM staff WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, staff_id);
	rc = stmt_step(st);
	char hired[NL_DATE_STRLEN] = "", left[NL_DATE_STRLEN] = "";
	if (rc == 1) {
		snprintf(hired, sizeof hired, "%s", stmt_column_text(st, 0) ? stmt_column_text(st, 0) : "");
		if (!stmt_column_is_null(st, 1))
			snprintf(left, sizeof left, "%s", stmt_column_text(st, 1));
	}
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return nl_fail(ctx->err, NL_EVALID, "staff_id", "No staff member with id %lld.", (long long)staff_id);
	if (!period || period_parse(period, &p) || period_first_date(p, &first) || period_last_date(p, &last) ||
		date_format(first, first_s) || date_format(last, last_s))
		return nl_fail(ctx->err, NL_EVALID, "period", "period must be YYYY, YYYY-Qn or YYYY-MM.");
	if (strcmp(last_s, hired) < 0 || (*left && strcmp(first_s, left) >= 0))
		return nl_fail(ctx->err, NL_EVALID, "period", "Staff member %lld was not employed during %s.", (long long)staff_id, period);
	if ((rc = current_weights(ctx, &weights)) || (rc = score(ctx, scores, weights, &clean, &total, &grade)))
		goto out;
	scores_s = dump(clean);
	weights_s = dump(weights);
	if (!scores_s || !weights_s) {
		rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	int found;
	if ((rc = db_prepare(ctx->db, "SELECT 1 FROM appraisals WHERE staff_id = $1 AND period = $2", &st)))
		goto out;
	stmt_bind_int64(st, 1, staff_id);
	stmt_bind_text(st, 2, period);
	rc = stmt_step(st);
	stmt_done(st);
	found = rc == 1;
	if (rc < 0)
		goto out;
	if (found) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, "period", "Staff member %lld has an appraisal for %s already.", (long long)staff_id, period);
		goto out;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		goto out;
	in_tx = 1;
	if ((rc = db_prepare(ctx->db, "INSERT INTO appraisals (staff_id, period, scores, weights, total, grade, comment,"
				      " appraiser_user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
				      " ON CONFLICT (staff_id, period) DO NOTHING RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, staff_id);
	stmt_bind_text(st, 2, period);
	stmt_bind_text(st, 3, scores_s);
	stmt_bind_text(st, 4, weights_s);
	stmt_bind_double(st, 5, total);
	stmt_bind_text(st, 6, grade);
	stmt_bind_text(st, 7, comment ? comment : "");
	people_bind_id(st, 8, people_actor_id(ctx));
	stmt_bind_text(st, 9, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == 0) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, "period", "Staff member %lld has an appraisal for %s already.", (long long)staff_id, period);
		goto out;
	}
	if (rc < 0 || (rc = appraisal_read(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "appraisal", id, NULL, *out);
out:
	json_decref(weights);
	json_decref(clean);
	free(scores_s);
	free(weights_s);
	if (in_tx)
		return people_write_end(ctx, rc, out);
	return rc;
}

int appraisal_update(struct nl_ctx *ctx, int64_t id, const json_t *scores, const char *comment, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL, *clean = NULL;
	char *scores_s = NULL, at[24];
	double total = 0;
	const char *grade = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = appraisal_read(ctx, id, &before)))
		goto out;
	if (scores) {
		if ((rc = score(ctx, scores, json_object_get(before, "weights"), &clean, &total, &grade)))
			goto out;
	} else {
		clean = json_incref(json_object_get(before, "scores"));
		total = json_real_value(json_object_get(before, "total"));
		grade = json_string_value(json_object_get(before, "grade"));
	}
	if (!(scores_s = dump(clean))) {
		rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_prepare(ctx->db, "UPDATE appraisals SET scores = $2, total = $3, grade = $4, comment = COALESCE($5, comment),"
				      " updated_at = $6 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, scores_s);
	stmt_bind_double(st, 3, total);
	stmt_bind_text(st, 4, grade);
	stmt_bind_text(st, 5, comment);
	stmt_bind_text(st, 6, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = appraisal_read(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "update", "appraisal", id, before, *out);
out:
	json_decref(before);
	json_decref(clean);
	free(scores_s);
	return people_write_end(ctx, rc, out);
}

int appraisal_delete(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = appraisal_read(ctx, id, out)))
		goto out;
	if ((rc = db_prepare(ctx->db, "DELETE FROM appraisals WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = audit_append(ctx, "delete", "appraisal", id, *out, NULL);
out:
	return people_write_end(ctx, rc, out);
}
