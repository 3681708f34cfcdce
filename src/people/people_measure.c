/* people_measure.c — the people measures (people/people_measure.h) with this file's own read-only SQL on staff,
 * certifications, trainings, training_sessions and training_attendance. */
#include "people/people_measure.h"

#include "core/date.h"
#include "core/json.h"
#include "people/people_rules.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

#define HB "higher_better"
#define LB "lower_better"

static const struct nl_measure catalogue[] = {
	{ "headcount", "count", "在岗人数", "Headcount", NULL,
		"期末在岗人数（入职日 ≤ 期末，且未离职或离职日晚于期末）",
		"staff employed at the period end (hired on or before it, not left by it)" },
	{ "turnover_rate", "ratio", "人员流失率", "Staff turnover", LB,
		"期间内离职人数 ÷ ((期初在岗人数 + 期末在岗人数) ÷ 2)",
		"staff who left in the period ÷ ((opening headcount + closing headcount) ÷ 2)" },
	{ "certification_rate", "ratio", "持证率", "Certification rate", HB,
		"期末持有有效证书（取得日 ≤ 期末，无有效期或到期日 ≥ 期末）的在岗人员 ÷ 期末在岗人数",
		"staff employed at the period end holding a certification valid at the end ÷ headcount" },
	{ "key_post_backup_coverage", "ratio", "关键岗位备份覆盖率", "Key-post backup coverage", HB,
		"期末有在岗备份人员的关键岗位人员 ÷ 期末关键岗位人员",
		"key-post staff with a backup employed at the period end ÷ key-post staff employed at the end" },
	{ "training_plan_completion_rate", "ratio", "培训计划完成率", "Training plan completion", HB,
		"截至期末已实施（至少一次课）的本年度计划培训 ÷ 截至期末应实施的本年度计划培训（计划日期 ≤ 期末或已实施；取消的计入分母）",
		"courses of the year held by the period end ÷ courses of the year planned on or before the end or already held "
		"(cancelled courses count as not held)" },
	{ "training_person_hours_completion_rate", "ratio", "培训学时完成率", "Training person-hours completion", HB,
		"截至期末实际参训人时（每位参训人员的课时之和）÷ 计划人时（课程学时 × 计划参训人数），仅计填写计划参训人数的课程",
		"person-hours attended by the period end ÷ planned person-hours (course hours × planned attendees), over the "
		"courses that give planned attendees" },
	{ "training_hours_per_person", "hours", "人均培训学时", "Training hours per person", HB,
		"期间内参训学时合计（每次出勤计该次课时）÷ 期末在岗人数",
		"training hours attended in the period (session hours per attendance) ÷ headcount" },
	{ "training_pass_rate", "ratio", "培训考核通过率", "Training pass rate", HB,
		"期间内考核成绩 ≥ 60 分的人次 ÷ 参加考核的人次", "exams scored 60 or more in the period ÷ exams taken" },
	{ "training_feedback_avg", "score", "培训平均反馈", "Average training feedback", HB,
		"期间内参训人员反馈评分（1–5）的平均值", "mean feedback score (1–5) of the attendances of the period" },
};

const struct nl_measure *people_measure_catalogue(size_t *count)
{
	*count = NL_ARRAY_LEN(catalogue);
	return catalogue;
}

int people_measure_known(const char *key)
{
	for (size_t i = 0; key && i < NL_ARRAY_LEN(catalogue); i++)
		if (!strcmp(catalogue[i].key, key))
			return 1;
	return 0;
}

/* Which staff a measure counts: a department (0: all) and a post (NULL: all). */
struct scope {
	int64_t department_id;
	const char *post;
};

#define STAFF_SCOPE \
	" (CAST($1 AS BIGINT) = 0 OR s.department_id = CAST($1 AS BIGINT)) AND (CAST($2 AS TEXT) IS NULL OR s.post = CAST($2 AS TEXT))"
#define EMPLOYED(d) " s.hired_on <= " d " AND (s.left_on IS NULL OR s.left_on > " d ")"

/* Runs a query whose $1, $2 are the scope and $3.. the given texts; the first row's two columns into a, b (0 when
 * NULL; b may be NULL when the query has one column). */
static int query2(struct nl_ctx *ctx, const char *sql, const struct scope *sc, const char *t3, const char *t4, double *a,
	double *b)
{
	struct nl_stmt *st = NULL;
	*a = 0;
	if (b)
		*b = 0;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, sc->department_id);
	stmt_bind_text(st, 2, sc->post);
	if (t3)
		stmt_bind_text(st, 3, t3);
	if (t4)
		stmt_bind_text(st, 4, t4);
	rc = stmt_step(st);
	if (rc == 1) {
		*a = stmt_column_double(st, 0);
		if (b)
			*b = stmt_column_double(st, 1);
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The period's first, last and opening ("the day before") dates as text. */
struct span {
	char first[NL_DATE_STRLEN], last[NL_DATE_STRLEN], opening[NL_DATE_STRLEN];
	int year;
};

static int span_of(struct nl_ctx *ctx, struct nl_period p, struct span *s)
{
	struct nl_date f, l, o;
	if (!period_valid(p) || period_first_date(p, &f) || period_last_date(p, &l) || date_format(f, s->first) ||
		date_format(l, s->last))
		return nl_fail(ctx->err, NL_EVALID, "period", "Not a valid period.");
	if (date_add_days(f, -1, &o) || date_format(o, s->opening))
		snprintf(s->opening, sizeof s->opening, "1899-12-31");
	s->year = p.year;
	return 0;
}

static int headcount_at(struct nl_ctx *ctx, const struct scope *sc, const char *day, double *n)
{
	return query2(ctx, "SELECT COUNT(*) FROM staff s WHERE" STAFF_SCOPE " AND" EMPLOYED("$3"), sc, day, NULL, n, NULL);
}

/* The value object {"value","numerator","denominator"}. */
static json_t *value_json(int has, double v, double num, double den)
{
	json_t *o = json_object();
	json_object_set_new(o, "value", has && isfinite(v) ? json_real(v) : json_null());
	json_object_set_new(o, "numerator", has && isfinite(num) ? json_real(num) : json_null());
	json_object_set_new(o, "denominator", has && isfinite(den) ? json_real(den) : json_null());
	return o;
}

/* Computes one measure for a scope. */
static int measure_scoped(struct nl_ctx *ctx, const char *key, const struct scope *sc, const struct span *sp, int *has,
	double *value, double *num, double *den)
{
	double a = 0, b = 0, hc = 0, any = 0;
	int rc;
	*has = 0;
	*value = *num = *den = NAN;
	/* every measure needs staff hired by the end in scope (the plan measures: courses, checked below) */
	if (strcmp(key, "training_plan_completion_rate") && strcmp(key, "training_person_hours_completion_rate")) {
		if ((rc = query2(ctx, "SELECT COUNT(*) FROM staff s WHERE" STAFF_SCOPE " AND s.hired_on <= $3", sc, sp->last, NULL,
			     &any, NULL)))
			return rc;
		if (any == 0)
			return 0;
		if ((rc = headcount_at(ctx, sc, sp->last, &hc)))
			return rc;
	}
	if (!strcmp(key, "headcount")) {
		*has = 1;
		*value = hc;
		return 0;
	}
	if (!strcmp(key, "turnover_rate")) {
		double opening = 0, leavers = 0, avg = 0;
		if ((rc = headcount_at(ctx, sc, sp->opening, &opening)) ||
			(rc = query2(ctx, "SELECT COUNT(*) FROM staff s WHERE" STAFF_SCOPE " AND s.left_on >= $3 AND s.left_on <= $4",
				 sc, sp->first, sp->last, &leavers, NULL)))
			return rc;
		people_turnover(leavers, opening, hc, has, value, &avg);
		*num = leavers;
		*den = avg;
	} else if (!strcmp(key, "certification_rate")) {
		if ((rc = query2(ctx, "SELECT COUNT(*) FROM staff s WHERE" STAFF_SCOPE " AND" EMPLOYED("$3")
				      " AND EXISTS (SELECT 1 FROM certifications c WHERE c.staff_id = s.id AND c.obtained_on <= $3"
				      " AND (c.expires_on IS NULL OR c.expires_on >= $3))", sc, sp->last, NULL, &a, NULL)))
			return rc;
		people_ratio(a, hc, has, value);
		*num = a;
		*den = hc;
	} else if (!strcmp(key, "key_post_backup_coverage")) {
		if ((rc = query2(ctx, "SELECT COUNT(*), SUM(CASE WHEN b.id IS NOT NULL AND b.hired_on <= $3"
				      " AND (b.left_on IS NULL OR b.left_on > $3) THEN 1 ELSE 0 END)"
				      " FROM staff s LEFT JOIN staff b ON b.id = s.backup_staff_id"
				      " WHERE" STAFF_SCOPE " AND s.key_post = 1 AND" EMPLOYED("$3"), sc, sp->last, NULL, &b, &a)))
			return rc;
		people_ratio(a, b, has, value);
		*num = a;
		*den = b;
	} else if (!strcmp(key, "training_hours_per_person")) {
		if ((rc = query2(ctx, "SELECT SUM(ses.hours) FROM training_attendance ta JOIN training_sessions ses ON ses.id = ta.session_id"
				      " JOIN staff s ON s.id = ta.staff_id WHERE" STAFF_SCOPE " AND ta.attended = 1"
				      " AND ses.held_on >= $3 AND ses.held_on <= $4", sc, sp->first, sp->last, &a, NULL)))
			return rc;
		people_ratio(a, hc, has, value);
		*num = a;
		*den = hc;
	} else if (!strcmp(key, "training_pass_rate")) {
		char sql[700];
		snprintf(sql, sizeof sql, "SELECT COUNT(*), SUM(CASE WHEN ta.exam_score >= %.17g THEN 1 ELSE 0 END)"
					  " FROM training_attendance ta JOIN training_sessions ses ON ses.id = ta.session_id"
					  " JOIN staff s ON s.id = ta.staff_id WHERE" STAFF_SCOPE " AND ta.attended = 1"
					  " AND ta.exam_score IS NOT NULL AND ses.held_on >= $3 AND ses.held_on <= $4",
			NL_PEOPLE_PASS_MARK);
		if ((rc = query2(ctx, sql, sc, sp->first, sp->last, &b, &a)))
			return rc;
		people_ratio(a, b, has, value);
		*num = a;
		*den = b;
	} else if (!strcmp(key, "training_feedback_avg")) {
		if ((rc = query2(ctx, "SELECT COUNT(*), SUM(ta.feedback_score)"
				      " FROM training_attendance ta JOIN training_sessions ses ON ses.id = ta.session_id"
				      " JOIN staff s ON s.id = ta.staff_id WHERE" STAFF_SCOPE " AND ta.attended = 1"
				      " AND ta.feedback_score IS NOT NULL AND ses.held_on >= $3 AND ses.held_on <= $4",
			     sc, sp->first, sp->last, &b, &a)))
			return rc;
		people_ratio(a, b, has, value);
		*num = a;
		*den = b;
	} else if (!strcmp(key, "training_plan_completion_rate") || !strcmp(key, "training_person_hours_completion_rate")) {
		char year[8];
		snprintf(year, sizeof year, "%04d", sp->year);
		/* the courses due by the end: of the year, planned on or before the end, or held already */
#define DUE_COURSES \
	" FROM trainings t WHERE (CAST($1 AS BIGINT) = 0 OR t.department_id = CAST($1 AS BIGINT)) AND CAST($2 AS TEXT) IS NULL" \
	" AND CAST(t.year AS TEXT) = $4 AND (t.planned_on <= $3 OR EXISTS (SELECT 1 FROM training_sessions x" \
	" WHERE x.training_id = t.id AND x.held_on <= $3))"
		if (!strcmp(key, "training_plan_completion_rate")) {
			if ((rc = query2(ctx, "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM training_sessions x"
					      " WHERE x.training_id = t.id AND x.held_on <= $3) THEN 1 ELSE 0 END)" DUE_COURSES,
				     sc, sp->last, year, &b, &a)))
				return rc;
		} else {
			if ((rc = query2(ctx, "SELECT SUM(t.hours * t.planned_attendees), SUM((SELECT COALESCE(SUM(x.hours), 0)"
					      " FROM training_attendance ta JOIN training_sessions x ON x.id = ta.session_id"
					      " WHERE x.training_id = t.id AND ta.attended = 1 AND x.held_on <= $3))" DUE_COURSES
					      " AND t.planned_attendees IS NOT NULL AND t.planned_attendees > 0",
				     sc, sp->last, year, &b, &a)))
				return rc;
		}
#undef DUE_COURSES
		people_ratio(a, b, has, value);
		*num = a;
		*den = b;
	} else {
		return nl_fail(ctx->err, NL_EVALID, "source", "Unknown people measure \"%.60s\".", key);
	}
	if (!*has)
		*value = *num = *den = NAN;
	return 0;
}

int people_measure(struct nl_ctx *ctx, const char *key, int64_t department_id, struct nl_period p, int *has, double *value,
	double *num, double *den)
{
	struct span sp;
	struct scope sc = { department_id, NULL };
	*has = 0;
	*value = *num = *den = NAN;
	if (!people_measure_known(key))
		return nl_fail(ctx->err, NL_EVALID, "source", "Unknown people measure \"%.60s\".", key ? key : "");
	int rc = span_of(ctx, p, &sp);
	if (rc)
		return rc;
	rc = measure_scoped(ctx, key, &sc, &sp, has, value, num, den);
	if (!strcmp(key, "headcount"))
		*num = *den = NAN;
	return rc;
}

/* Fills o with every measure of the scope; the plan completions only when with_plan. */
static int measures_json(struct nl_ctx *ctx, const struct scope *sc, const struct span *sp, int with_plan, json_t **out)
{
	json_t *o = json_object();
	*out = NULL;
	for (size_t i = 0; i < NL_ARRAY_LEN(catalogue); i++) {
		const char *key = catalogue[i].key;
		int has;
		double v, num, den;
		if (!with_plan && strstr(key, "completion_rate"))
			continue;
		int rc = measure_scoped(ctx, key, sc, sp, &has, &v, &num, &den);
		if (rc) {
			json_decref(o);
			return rc;
		}
		if (!strcmp(key, "headcount"))
			num = den = NAN;
		json_object_set_new(o, key, value_json(has, v, num, den));
	}
	*out = o;
	return 0;
}

int people_measures_report(struct nl_ctx *ctx, struct nl_period p, int64_t department_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct span sp;
	struct scope sc = { department_id, NULL };
	json_t *o = NULL, *m = NULL, *posts = NULL;
	char period_s[NL_PERIOD_STRLEN];
	*out = NULL;
	int rc = span_of(ctx, p, &sp);
	if (rc || (rc = period_format(p, period_s)))
		return rc ? rc : nl_fail(ctx->err, NL_EVALID, "period", "Not a valid period.");
	if ((rc = measures_json(ctx, &sc, &sp, 1, &m)))
		return rc;
	/* the posts of staff employed at some time in the period */
	if ((rc = db_prepare(ctx->db, "SELECT DISTINCT s.post FROM staff s WHERE" STAFF_SCOPE " AND s.hired_on <= $4"
				      " AND (s.left_on IS NULL OR s.left_on > $3) ORDER BY s.post", &st)))
		goto out;
	stmt_bind_int64(st, 1, department_id);
	stmt_bind_null(st, 2);
	stmt_bind_text(st, 3, sp.first);
	stmt_bind_text(st, 4, sp.last);
	posts = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *po = json_object();
		json_set_str(po, "post", stmt_column_text(st, 0) ? stmt_column_text(st, 0) : "");
		json_array_append_new(posts, po);
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	size_t i;
	json_t *po;
	json_array_foreach(posts, i, po) {
		struct scope ps = { department_id, json_string_value(json_object_get(po, "post")) };
		json_t *pm = NULL;
		if ((rc = measures_json(ctx, &ps, &sp, 0, &pm)))
			goto out;
		json_object_set_new(po, "measures", pm);
	}
	o = json_object();
	json_set_str(o, "period", period_s);
	json_set_id(o, "department_id", department_id);
	json_object_set_new(o, "measures", m);
	json_object_set_new(o, "posts", posts);
	m = posts = NULL;
	*out = o;
	rc = 0;
out:
	json_decref(m);
	json_decref(posts);
	return rc;
}
