/* partner_rating.c — annual partner ratings through the approval mechanism, and the yearly ranking
 * (partner_rating.h). */
#include "partners/partner_rating.h"

#include "approval/approval.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "core/date.h"
#include "cycle/today.h"
#include "partners/assessment.h"
#include "partners/partner.h"
#include "partners/partner_rules.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define ENTITY "partner_rating"
#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

static void year_bounds(int year, char first[16], char last[16])
{
	snprintf(first, 16, "%04d-Q1", year);
	snprintf(last, 16, "%04d-Q4", year);
}

/* The sentence shown with a rating that lacks quarters; NULL when none is missing. */
static json_t *missing_note(const json_t *missing, int present)
{
	size_t n = json_array_size(missing);
	if (n == 0)
		return json_null();
	char list[64] = "";
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list);
		snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", json_string_value(json_array_get(missing, i)));
	}
	char s[320];
	if (present == 0)
		snprintf(s, sizeof s, "No quarter of the year is assessed (%s missing): there is nothing to rate.", list);
	else
		snprintf(s, sizeof s, "%zu of 4 quarters have no assessment (%s): the total is the mean of the %d quarter%s "
				      "assessed; a missing quarter is never counted as 0.", n, list, present, present == 1 ? "" : "s");
	return json_string(s);
}

#define RATING_COLS \
	"r.id, r.partner_id, p.name, r.year, r.status, r.version, r.total, r.grade, r.quarters, r.missing_quarters," \
	" r.created_by, u.display_name, r.created_at, r.decided_at, r.approval_id"
#define RATING_FROM " FROM partner_ratings r JOIN partners p ON p.id = r.partner_id LEFT JOIN users u ON u.id = r.created_by"

/* The current row as JSON; *approval_id gets the approval's id. */
static json_t *rating_row(struct nl_stmt *st, int64_t *approval_id)
{
	json_t *o = json_object();
	json_t *quarters = json_loads(stmt_column_text(st, 8), 0, NULL);
	json_t *missing = json_loads(stmt_column_text(st, 9), 0, NULL);
	if (!quarters)
		quarters = json_array();
	if (!missing)
		missing = json_array();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "partner_id", stmt_column_int64(st, 1));
	json_set_str(o, "partner_name", stmt_column_text(st, 2));
	json_set_int(o, "year", stmt_column_int64(st, 3));
	json_set_str(o, "status", stmt_column_text(st, 4));
	json_set_int(o, "version", stmt_column_int64(st, 5));
	json_object_set_new(o, "total", stmt_column_is_null(st, 6) ? json_null() : json_real(stmt_column_double(st, 6)));
	json_set_str(o, "grade", stmt_column_text(st, 7));
	json_set_int(o, "quarters_assessed", (int64_t)json_array_size(quarters));
	json_object_set_new(o, "missing_note", missing_note(missing, (int)json_array_size(quarters)));
	json_object_set_new(o, "quarters", quarters);
	json_object_set_new(o, "missing_quarters", missing);
	json_set_str(o, "basis", "mean of the quarters assessed (missing quarters are not counted as 0)");
	json_set_id(o, "requested_by", stmt_column_int64(st, 10));
	json_set_str(o, "requested_by_name", stmt_column_text(st, 11));
	json_set_str(o, "requested_at", stmt_column_text(st, 12));
	json_set_str(o, "decided_at", stmt_column_text(st, 13));
	if (approval_id)
		*approval_id = stmt_column_int64(st, 14);
	return o;
}

/* The rating without its approval; NL_ENOTFOUND when the partner has none for the year. */
static int rating_read(struct nl_ctx *ctx, int64_t partner_id, int year, json_t **out, int64_t *approval_id)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " RATING_COLS RATING_FROM " WHERE r.partner_id = $1 AND r.year = $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_int64(st, 2, year);
	rc = stmt_step(st);
	if (rc == 1)
		*out = rating_row(st, approval_id);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "Partner %lld has no annual rating for %d.", (long long)partner_id,
			year);
	return rc < 0 ? rc : 0;
}

int partner_rating_get(struct nl_ctx *ctx, int64_t partner_id, int year, json_t **out)
{
	char status[16];
	int64_t aid = 0;
	json_t *approval = NULL;
	*out = NULL;
	int rc = partner_status(ctx, partner_id, NULL, 0, status);
	if (rc || (rc = rating_read(ctx, partner_id, year, out, &aid)))
		return rc;
	if (aid > 0 && (rc = approval_get(ctx, aid, &approval))) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	json_object_set_new(*out, "approval", approval ? approval : json_null());
	return 0;
}

int partner_rating_list(struct nl_ctx *ctx, int64_t partner_id, json_t **items)
{
	struct nl_stmt *st = NULL;
	char status[16];
	*items = NULL;
	int rc = partner_status(ctx, partner_id, NULL, 0, status);
	if (rc || (rc = db_prepare(ctx->db, "SELECT " RATING_COLS RATING_FROM " WHERE r.partner_id = $1 ORDER BY r.year DESC",
			   &st)))
		return rc;
	stmt_bind_int64(st, 1, partner_id);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, rating_row(st, NULL));
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* The quarters of the year assessed for the partner, and the annual result computed from them. */
struct annual_in {
	json_t *quarters;   /* [{"period","total","grade","assessment_id"}] (owned) */
	json_t *missing;    /* ["YYYY-Qn"] (owned) */
	struct nl_partner_annual annual;
};

static int annual_read(struct nl_ctx *ctx, int64_t partner_id, int year, const struct nl_partner_grades *g,
	struct annual_in *a)
{
	struct nl_stmt *st = NULL;
	char first[16], last[16];
	int has[4] = { 0 };
	double totals[4] = { 0 };
	year_bounds(year, first, last);
	a->quarters = json_array();
	a->missing = json_array();
	int rc = db_prepare(ctx->db, "SELECT id, period, total, grade FROM partner_assessments WHERE partner_id = $1"
				     " AND period >= $2 AND period <= $3 ORDER BY period", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_text(st, 2, first);
	stmt_bind_text(st, 3, last);
	while ((rc = stmt_step(st)) == 1) {
		const char *period = stmt_column_text(st, 1);
		size_t len = strlen(period);
		int q = len == 7 ? period[6] - '1' : -1;
		if (q < 0 || q > 3)
			continue;
		has[q] = 1;
		totals[q] = stmt_column_double(st, 2);
		json_array_append_new(a->quarters, json_pack("{s:s,s:f,s:s,s:I}", "period", period, "total", totals[q], "grade",
			stmt_column_text(st, 3), "assessment_id", (json_int_t)stmt_column_int64(st, 0)));
	}
	stmt_done(st);
	if (rc < 0)
		return rc;
	partner_annual(has, totals, g, &a->annual);
	for (int q = 0; q < 4; q++) {
		char p[16];
		snprintf(p, sizeof p, "%04d-Q%d", year, q + 1);
		if (a->annual.missing[q])
			json_array_append_new(a->missing, json_string(p));
	}
	return 0;
}

static void annual_cleanup(struct annual_in *a)
{
	json_decref(a->quarters);
	json_decref(a->missing);
}

int partner_rating_request(struct nl_ctx *ctx, int64_t partner_id, int year, json_t **out)
{
	static const char *const steps[] = { "approver" };
	struct nl_stmt *st = NULL;
	struct annual_in a = { 0 };
	struct nl_partner_grades g;
	struct nl_date today;
	char name[256], status[16], at[24], summary[512], rstatus[16] = "";
	char *qtext = NULL, *mtext = NULL;
	json_t *before = NULL;
	int64_t rid = 0, version = 1, aid = 0;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = partner_status(ctx, partner_id, name, sizeof name, status)) || (rc = cycle_today(ctx, &today)))
		goto out;
	if (year > today.y) {
		rc = nl_fail(ctx->err, NL_EVALID, "year", "%d has not begun: a year is rated from its quarters once they exist.",
			year);
		goto out;
	}
	/* one request at a time per partner: lock its row */
	if ((rc = db_prepare(ctx->db, "UPDATE partners SET updated_at = updated_at WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, partner_id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	if ((rc = db_prepare(ctx->db, "SELECT id, status, version FROM partner_ratings WHERE partner_id = $1 AND year = $2", &st)))
		goto out;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_int64(st, 2, year);
	rc = stmt_step(st);
	if (rc == 1) {
		rid = stmt_column_int64(st, 0);
		snprintf(rstatus, sizeof rstatus, "%s", stmt_column_text(st, 1));
		version = stmt_column_int64(st, 2) + 1;
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (rid > 0 && strcmp(rstatus, "rejected") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, !strcmp(rstatus, "approved")
				? "The %d rating of %s is approved already; an approved rating is final."
				: "The %d rating of %s is waiting for approval already.", year, name);
		goto out;
	}
	if ((rc = partner_grades_get(ctx, &g)) || (rc = annual_read(ctx, partner_id, year, &g, &a)))
		goto out;
	if (!a.annual.has_total) {
		rc = nl_fail(ctx->err, NL_EVALID, "year", "%s has no quarterly assessment in %d (%d-Q1 … %d-Q4 missing): there "
							"is nothing to rate.", name, year, year, year);
		goto out;
	}
	if (rid > 0 && (rc = rating_read(ctx, partner_id, year, &before, NULL)))
		goto out;
	qtext = json_dumps(a.quarters, JSON_FLAGS);
	mtext = json_dumps(a.missing, JSON_FLAGS);
	if (!qtext || !mtext) {
		rc = NL_ENOMEM;
		goto out;
	}
	ctx_now_rfc3339(ctx, at);
	const char *sql = rid > 0
		? "UPDATE partner_ratings SET quarters = $3, missing_quarters = $4, total = $5, grade = $6, status = 'pending',"
		  " version = $7, approval_id = NULL, created_by = $8, created_at = $9, decided_at = NULL"
		  " WHERE partner_id = $1 AND year = $2 RETURNING id"
		: "INSERT INTO partner_ratings (partner_id, year, quarters, missing_quarters, total, grade, status, version,"
		  " created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9) RETURNING id";
	if ((rc = db_prepare(ctx->db, sql, &st)))
		goto out;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_int64(st, 2, year);
	stmt_bind_text(st, 3, qtext);
	stmt_bind_text(st, 4, mtext);
	stmt_bind_double(st, 5, a.annual.total);
	stmt_bind_text(st, 6, a.annual.grade);
	stmt_bind_int64(st, 7, version);
	if (ctx->actor && ctx->actor->id > 0)
		stmt_bind_int64(st, 8, ctx->actor->id);
	else
		stmt_bind_null(st, 8);
	stmt_bind_text(st, 9, at);
	rc = stmt_step(st);
	if (rc == 1)
		rid = stmt_column_int64(st, 0);
	stmt_done(st);
	if (rc < 0)
		goto out;
	{
		char missing[64] = "";
		for (size_t i = 0; i < json_array_size(a.missing); i++) {
			size_t len = strlen(missing);
			snprintf(missing + len, sizeof missing - len, "%s%s", i ? ", " : "; missing ",
				json_string_value(json_array_get(a.missing, i)));
		}
		snprintf(summary, sizeof summary, "Partner annual rating %d: %s — %.1f (%s), %d of 4 quarters%s", year, name,
			a.annual.total, a.annual.grade, a.annual.present, missing);
	}
	if ((rc = approval_request(ctx, ENTITY, rid, version, steps, 1, summary, &aid)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE partner_ratings SET approval_id = $2 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, rid);
	stmt_bind_int64(st, 2, aid);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = partner_rating_get(ctx, partner_id, year, out)))
		goto out;
	rc = audit_append(ctx, version > 1 ? "request_again" : "request", ENTITY, rid, before, *out);
out:
	annual_cleanup(&a);
	json_decref(before);
	free(qtext);
	free(mtext);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int partner_rating_decide(struct nl_ctx *ctx, int64_t partner_id, int year, int approve, const char *comment,
	json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	enum nl_approval_outcome outcome = NL_APPROVAL_PENDING;
	char name[256], status[16], at[24];
	int64_t aid = 0;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = partner_status(ctx, partner_id, name, sizeof name, status)))
		goto out;
	/* lock the rating row, then read it */
	if ((rc = db_prepare(ctx->db, "UPDATE partner_ratings SET version = version WHERE partner_id = $1 AND year = $2", &st)))
		goto out;
	stmt_bind_int64(st, 1, partner_id);
	stmt_bind_int64(st, 2, year);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = rating_read(ctx, partner_id, year, &before, &aid)))
		goto out;
	const char *rstatus = json_string_value(json_object_get(before, "status"));
	if (strcmp(rstatus, "pending") != 0 || aid <= 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "The %d rating of %s is %s, not pending: there is nothing to decide.", year,
			name, rstatus);
		goto out;
	}
	if ((rc = approval_decide(ctx, aid, approve ? "approve" : "reject", comment, &outcome)))
		goto out;
	if (outcome != NL_APPROVAL_PENDING) {
		ctx_now_rfc3339(ctx, at);
		if ((rc = db_prepare(ctx->db, "UPDATE partner_ratings SET status = $3, decided_at = $4"
					      " WHERE partner_id = $1 AND year = $2", &st)))
			goto out;
		stmt_bind_int64(st, 1, partner_id);
		stmt_bind_int64(st, 2, year);
		stmt_bind_text(st, 3, outcome == NL_APPROVAL_APPROVED ? "approved" : "rejected");
		stmt_bind_text(st, 4, at);
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			goto out;
	}
	if ((rc = partner_rating_get(ctx, partner_id, year, out)))
		goto out;
	rc = audit_append(ctx, approve ? "approve" : "reject", ENTITY, json_integer_value(json_object_get(before, "id")),
		before, *out);
out:
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ================================ Ranking ================================ */

struct rank_row {
	int64_t id;
	char *name, *region, *status, *rating_status, *rating_grade;
	int has_rating;          /* an approved rating */
	double rating_total;
	int has[4];
	double totals[4];
	int has_score;
	double score;
	char grade[2];
	const char *basis;
};

static char *dup_text(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *d = malloc(n + 1);
	if (d) {
		if (n)
			memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int rank_cmp(const void *pa, const void *pb)
{
	const struct rank_row *a = pa, *b = pb;
	if (a->has_score != b->has_score)
		return a->has_score ? -1 : 1;
	if (a->has_score) {
		double x = partner_round1(a->score), y = partner_round1(b->score);
		if (fabs(x - y) > 1e-9)
			return x > y ? -1 : 1;
	}
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void rank_free(struct rank_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].region);
		free(rows[i].status);
		free(rows[i].rating_status);
		free(rows[i].rating_grade);
	}
	free(rows);
}

int partner_ranking(struct nl_ctx *ctx, int year, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct rank_row *rows = NULL;
	struct nl_partner_grades g;
	size_t n = 0, cap = 0;
	char first[16], last[16];
	*out = NULL;
	year_bounds(year, first, last);
	int rc = partner_grades_get(ctx, &g);
	if (rc || (rc = db_prepare(ctx->db, "SELECT p.id, p.name, p.region, p.status, r.status, r.total, r.grade FROM partners p"
					    " LEFT JOIN partner_ratings r ON r.partner_id = p.id AND r.year = $1"
					    " WHERE p.status <> 'candidate' ORDER BY p.id", &st)))
		return rc;
	stmt_bind_int64(st, 1, year);
	while ((rc = stmt_step(st)) == 1) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct rank_row *nr = realloc(rows, ncap * sizeof *rows);
			if (!nr) {
				rc = NL_ENOMEM;
				break;
			}
			rows = nr;
			cap = ncap;
		}
		struct rank_row *x = &rows[n++];
		memset(x, 0, sizeof *x);
		x->id = stmt_column_int64(st, 0);
		x->name = dup_text(stmt_column_text(st, 1));
		x->region = dup_text(stmt_column_text(st, 2));
		x->status = dup_text(stmt_column_text(st, 3));
		x->rating_status = stmt_column_is_null(st, 4) ? NULL : dup_text(stmt_column_text(st, 4));
		x->rating_grade = stmt_column_is_null(st, 6) ? NULL : dup_text(stmt_column_text(st, 6));
		x->has_rating = x->rating_status && !strcmp(x->rating_status, "approved") && !stmt_column_is_null(st, 5);
		x->rating_total = stmt_column_double(st, 5);
		if (!x->name || !x->region || !x->status) {
			rc = NL_ENOMEM;
			break;
		}
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	if ((rc = db_prepare(ctx->db, "SELECT partner_id, period, total FROM partner_assessments WHERE period >= $1"
				      " AND period <= $2", &st)))
		goto out;
	stmt_bind_text(st, 1, first);
	stmt_bind_text(st, 2, last);
	while ((rc = stmt_step(st)) == 1) {
		int64_t pid = stmt_column_int64(st, 0);
		const char *period = stmt_column_text(st, 1);
		int q = strlen(period) == 7 ? period[6] - '1' : -1;
		if (q < 0 || q > 3)
			continue;
		for (size_t i = 0; i < n; i++)
			if (rows[i].id == pid) {
				rows[i].has[q] = 1;
				rows[i].totals[q] = stmt_column_double(st, 2);
				break;
			}
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct rank_row *x = &rows[i];
		struct nl_partner_annual an;
		partner_annual(x->has, x->totals, &g, &an);
		if (x->has_rating) {
			x->has_score = 1;
			x->score = x->rating_total;
			snprintf(x->grade, sizeof x->grade, "%s", x->rating_grade ? x->rating_grade : "");
			x->basis = "annual_rating";
		} else if (an.has_total) {
			x->has_score = 1;
			x->score = an.total;
			snprintf(x->grade, sizeof x->grade, "%s", an.grade);
			x->basis = "quarters_mean";
		} else {
			x->basis = "none";
		}
	}
	if (n > 1)
		qsort(rows, n, sizeof *rows, rank_cmp);
	json_t *items = json_array();
	int64_t rank = 0;
	for (size_t i = 0; i < n; i++) {
		struct rank_row *x = &rows[i];
		if (x->has_score && (i == 0 || !rows[i - 1].has_score ||
					    fabs(partner_round1(rows[i - 1].score) - partner_round1(x->score)) > 1e-9))
			rank = (int64_t)i + 1;
		json_t *missing = json_array();
		int present = 0;
		for (int q = 0; q < 4; q++) {
			char p[16];
			snprintf(p, sizeof p, "%04d-Q%d", year, q + 1);
			if (!x->has[q])
				json_array_append_new(missing, json_string(p));
			present += x->has[q];
		}
		json_t *o = json_object();
		json_object_set_new(o, "rank", x->has_score ? json_integer(rank) : json_null());
		json_set_int(o, "partner_id", x->id);
		json_set_str(o, "name", x->name);
		json_set_str(o, "region", x->region);
		json_set_str(o, "status", x->status);
		json_object_set_new(o, "score", x->has_score ? json_real(partner_round1(x->score)) : json_null());
		json_set_str(o, "grade", x->has_score ? x->grade : NULL);
		json_set_str(o, "basis", x->basis);
		json_set_str(o, "rating_status", x->rating_status);
		json_set_int(o, "quarters_assessed", present);
		json_object_set_new(o, "missing_quarters", missing);
		json_array_append_new(items, o);
	}
	*out = json_pack("{s:i,s:o,s:n}", "year", year, "items", items, "next_cursor");
	rc = 0;
out:
	rank_free(rows, n);
	return rc;
}
