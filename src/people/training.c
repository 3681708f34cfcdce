/* training.c — the yearly training plan, sessions, attendance and each course's results (people/training.h), with
 * this file's own SQL on trainings, training_sessions and training_attendance (and staff/departments for links). */
#include "people/training.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/json.h"
#include "people/peopleInt.h"
#include "people/people_rules.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define TRAINING_SELECT \
	"SELECT t.id, t.year, t.course, t.topic, t.form, t.hours, t.target_group, t.planned_attendees, t.department_id," \
	" d.name, t.planned_on, t.status, t.effectiveness, t.applied_in_practice, t.created_at, t.updated_at" \
	" FROM trainings t LEFT JOIN departments d ON d.id = t.department_id"

#define SESSION_SELECT \
	"SELECT ses.id, ses.training_id, t.course, ses.held_on, ses.hours, ses.trainer, ses.created_at" \
	" FROM training_sessions ses JOIN trainings t ON t.id = ses.training_id"

#define ATTENDANCE_SELECT \
	"SELECT a.session_id, a.staff_id, s.name, s.department_id, a.attended, a.exam_score, a.feedback_score, a.updated_at" \
	" FROM training_attendance a JOIN staff s ON s.id = a.staff_id"

static const char *const forms[] = { "online", "lecture", "case_study", "drill", NULL };

static int form_known(const char *f)
{
	for (int i = 0; f && forms[i]; i++)
		if (!strcmp(f, forms[i]))
			return 1;
	return 0;
}

static json_t *training_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "year", stmt_column_int64(st, 1));
	json_set_str(o, "course", stmt_column_text(st, 2));
	json_set_str(o, "topic", stmt_column_text(st, 3));
	json_set_str(o, "form", stmt_column_text(st, 4));
	json_object_set_new(o, "hours", json_real(stmt_column_double(st, 5)));
	json_set_str(o, "target_group", stmt_column_text(st, 6));
	if (stmt_column_is_null(st, 7))
		json_object_set_new(o, "planned_attendees", json_null());
	else
		json_set_int(o, "planned_attendees", stmt_column_int64(st, 7));
	json_set_id(o, "department_id", stmt_column_int64(st, 8));
	json_set_str(o, "department", stmt_column_text(st, 9));
	json_set_str(o, "planned_on", stmt_column_text(st, 10));
	json_set_str(o, "status", stmt_column_text(st, 11));
	json_set_str(o, "effectiveness", stmt_column_text(st, 12));
	if (stmt_column_is_null(st, 13))
		json_object_set_new(o, "applied_in_practice", json_null());
	else
		json_set_bool(o, "applied_in_practice", stmt_column_int64(st, 13) != 0);
	json_set_str(o, "created_at", stmt_column_text(st, 14));
	json_set_str(o, "updated_at", stmt_column_text(st, 15));
	return o;
}

static json_t *attendance_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "session_id", stmt_column_int64(st, 0));
	json_set_int(o, "staff_id", stmt_column_int64(st, 1));
	json_set_str(o, "staff_name", stmt_column_text(st, 2));
	json_set_int(o, "department_id", stmt_column_int64(st, 3));
	json_set_bool(o, "attended", stmt_column_int64(st, 4) != 0);
	people_json_real_col(o, "exam_score", st, 5);
	if (stmt_column_is_null(st, 5))
		json_object_set_new(o, "passed", json_null());
	else
		json_set_bool(o, "passed", stmt_column_double(st, 5) >= NL_PEOPLE_PASS_MARK);
	people_json_real_col(o, "feedback_score", st, 6);
	json_set_str(o, "updated_at", stmt_column_text(st, 7));
	return o;
}

static json_t *session_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "training_id", stmt_column_int64(st, 1));
	json_set_str(o, "course", stmt_column_text(st, 2));
	json_set_str(o, "held_on", stmt_column_text(st, 3));
	json_object_set_new(o, "hours", json_real(stmt_column_double(st, 4)));
	json_set_str(o, "trainer", stmt_column_text(st, 5));
	json_set_str(o, "created_at", stmt_column_text(st, 6));
	return o;
}

/* The index of id in the ascending ids[0..n), or -1. */
static long id_index(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return (long)mid;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Adds the results of each course in `items` (ascending ids) with two queries over the id range. */
static int attach_results(struct nl_ctx *ctx, json_t *items)
{
	size_t n = json_array_size(items), i;
	struct nl_stmt *st = NULL;
	json_t *o;
	int rc = 0;
	if (n == 0)
		return 0;
	int64_t *ids = calloc(n, sizeof *ids);
	if (!ids)
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	json_array_foreach(items, i, o) {
		ids[i] = json_integer_value(json_object_get(o, "id"));
		json_set_int(o, "sessions_held", 0);
		json_object_set_new(o, "held_hours", json_real(0));
		json_object_set_new(o, "last_held_on", json_null());
		json_set_int(o, "attendees", 0);
		json_set_int(o, "attendances", 0);
		json_set_int(o, "absences", 0);
		json_object_set_new(o, "attended_hours", json_real(0));
		json_set_int(o, "exams", 0);
		json_set_int(o, "passed", 0);
		json_object_set_new(o, "pass_rate", json_null());
		json_object_set_new(o, "exam_average", json_null());
		json_set_int(o, "feedback_count", 0);
		json_object_set_new(o, "feedback_average", json_null());
	}
	if ((rc = db_prepare(ctx->db, "SELECT training_id, COUNT(*), SUM(hours), MAX(held_on) FROM training_sessions"
				      " WHERE training_id >= $1 AND training_id <= $2 GROUP BY training_id", &st)))
		goto out;
	stmt_bind_int64(st, 1, ids[0]);
	stmt_bind_int64(st, 2, ids[n - 1]);
	while ((rc = stmt_step(st)) == 1) {
		long k = id_index(ids, n, stmt_column_int64(st, 0));
		if (k < 0)
			continue;
		o = json_array_get(items, (size_t)k);
		json_set_int(o, "sessions_held", stmt_column_int64(st, 1));
		json_object_set_new(o, "held_hours", json_real(stmt_column_double(st, 2)));
		json_set_str(o, "last_held_on", stmt_column_text(st, 3));
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	if ((rc = db_prepare(ctx->db,
		     "SELECT ses.training_id, COUNT(DISTINCT CASE WHEN a.attended = 1 THEN a.staff_id END),"
		     " SUM(CASE WHEN a.attended = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN a.attended = 1 THEN 0 ELSE 1 END),"
		     " SUM(CASE WHEN a.attended = 1 THEN ses.hours ELSE 0 END),"
		     " SUM(CASE WHEN a.attended = 1 AND a.exam_score IS NOT NULL THEN 1 ELSE 0 END),"
		     " SUM(CASE WHEN a.attended = 1 AND a.exam_score >= $3 THEN 1 ELSE 0 END),"
		     " AVG(CASE WHEN a.attended = 1 THEN a.exam_score END),"
		     " SUM(CASE WHEN a.attended = 1 AND a.feedback_score IS NOT NULL THEN 1 ELSE 0 END),"
		     " AVG(CASE WHEN a.attended = 1 THEN a.feedback_score END)"
		     " FROM training_attendance a JOIN training_sessions ses ON ses.id = a.session_id"
		     " WHERE ses.training_id >= $1 AND ses.training_id <= $2 GROUP BY ses.training_id", &st)))
		goto out;
	stmt_bind_int64(st, 1, ids[0]);
	stmt_bind_int64(st, 2, ids[n - 1]);
	stmt_bind_double(st, 3, NL_PEOPLE_PASS_MARK);
	while ((rc = stmt_step(st)) == 1) {
		long k = id_index(ids, n, stmt_column_int64(st, 0));
		if (k < 0)
			continue;
		o = json_array_get(items, (size_t)k);
		int64_t exams = stmt_column_int64(st, 5), passed = stmt_column_int64(st, 6);
		json_set_int(o, "attendees", stmt_column_int64(st, 1));
		json_set_int(o, "attendances", stmt_column_int64(st, 2));
		json_set_int(o, "absences", stmt_column_int64(st, 3));
		json_object_set_new(o, "attended_hours", json_real(stmt_column_double(st, 4)));
		json_set_int(o, "exams", exams);
		json_set_int(o, "passed", passed);
		if (exams > 0)
			json_object_set_new(o, "pass_rate", json_real((double)passed / (double)exams));
		people_json_real_col(o, "exam_average", st, 7);
		json_set_int(o, "feedback_count", stmt_column_int64(st, 8));
		people_json_real_col(o, "feedback_average", st, 9);
	}
	stmt_done(st);
	rc = rc < 0 ? rc : 0;
out:
	free(ids);
	return rc;
}

/* The course without results into *out; NL_ENOTFOUND when absent. */
static int training_read(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, TRAINING_SELECT " WHERE t.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = training_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No training with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

/* The course with its results. */
static int training_with_results(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	json_t *one;
	int rc = training_read(ctx, id, out);
	if (rc)
		return rc;
	one = json_array();
	json_array_append(one, *out);
	rc = attach_results(ctx, one);
	json_decref(one);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static int attendance_of_session(struct nl_ctx *ctx, int64_t session_id, json_t **items)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = db_prepare(ctx->db, ATTENDANCE_SELECT " WHERE a.session_id = $1 ORDER BY s.name, a.staff_id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, session_id);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, attendance_row(st));
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

int training_session_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *o = NULL, *att = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, SESSION_SELECT " WHERE ses.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		o = session_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No training session with id %lld.", (long long)id);
	if (rc < 0)
		return rc;
	if ((rc = attendance_of_session(ctx, id, &att))) {
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "attendance", att);
	*out = o;
	return 0;
}

int training_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *o = NULL, *sessions = NULL;
	*out = NULL;
	int rc = training_with_results(ctx, id, &o);
	if (rc)
		return rc;
	if ((rc = db_prepare(ctx->db, SESSION_SELECT " WHERE ses.training_id = $1 ORDER BY ses.held_on, ses.id", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	sessions = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(sessions, session_row(st));
	stmt_done(st);
	if (rc < 0)
		goto out;
	size_t i;
	json_t *s;
	json_array_foreach(sessions, i, s) {
		json_t *att = NULL;
		if ((rc = attendance_of_session(ctx, json_integer_value(json_object_get(s, "id")), &att)))
			goto out;
		json_object_set_new(s, "attendance", att);
	}
	json_object_set_new(o, "sessions", sessions);
	sessions = NULL;
	*out = o;
	o = NULL;
	rc = 0;
out:
	json_decref(o);
	json_decref(sessions);
	return rc;
}

int training_list(struct nl_ctx *ctx, const struct nl_training_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	int more = 0;
	*items = NULL;
	*next = 0;
	if (f->form && !form_known(f->form))
		return nl_fail(ctx->err, NL_EINVAL, "form", "form must be online, lecture, case_study or drill.");
	if (f->status && strcmp(f->status, "planned") && strcmp(f->status, "held") && strcmp(f->status, "cancelled"))
		return nl_fail(ctx->err, NL_EINVAL, "status", "status must be planned, held or cancelled.");
	int rc = db_prepare(ctx->db, TRAINING_SELECT " WHERE t.id > $1 AND ($2 = 0 OR t.year = $2)"
				     " AND (CAST($3 AS BIGINT) = 0 OR t.department_id = CAST($3 AS BIGINT))"
				     " AND (CAST($4 AS TEXT) = '' OR t.status = CAST($4 AS TEXT))"
				     " AND (CAST($5 AS TEXT) = '' OR t.form = CAST($5 AS TEXT))"
				     " ORDER BY t.id LIMIT $6", &st);
	if (rc)
		return rc;
	int64_t limit = f->limit > 0 ? f->limit : PEOPLE_NO_LIMIT;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_int64(st, 2, f->year);
	stmt_bind_int64(st, 3, f->department_id);
	stmt_bind_text(st, 4, f->status ? f->status : "");
	stmt_bind_text(st, 5, f->form ? f->form : "");
	stmt_bind_int64(st, 6, limit + 1);
	json_t *arr = json_array();
	int64_t n = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			more = 1;
			break;
		}
		json_array_append_new(arr, training_row(st));
	}
	stmt_done(st);
	if (rc >= 0)
		rc = attach_results(ctx, arr);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*next = people_next_cursor(arr, more);
	*items = arr;
	return 0;
}

/* ---- writes ---- */

static int training_validate(struct nl_ctx *ctx, const struct nl_training_input *in)
{
	struct nl_date planned;
	int found, rc;
	if (in->year < NL_DATE_MIN_YEAR || in->year > NL_DATE_MAX_YEAR)
		return nl_fail(ctx->err, NL_EVALID, "year", "year must be between %d and %d.", NL_DATE_MIN_YEAR, NL_DATE_MAX_YEAR);
	if (!in->course || !*in->course)
		return nl_fail(ctx->err, NL_EVALID, "course", "course must not be empty.");
	if (!form_known(in->form))
		return nl_fail(ctx->err, NL_EVALID, "form", "form must be online, lecture, case_study or drill.");
	if (!isfinite(in->hours) || in->hours <= 0 || in->hours > 1000)
		return nl_fail(ctx->err, NL_EVALID, "hours", "hours must be more than 0 and at most 1000.");
	if ((rc = people_date_field(ctx, in->planned_on, "planned_on", &planned)))
		return rc;
	if (planned.y != in->year)
		return nl_fail(ctx->err, NL_EVALID, "planned_on", "planned_on must fall in the plan's year %lld.", (long long)in->year);
	if (in->planned_attendees < 0 || in->planned_attendees > 100000)
		return nl_fail(ctx->err, NL_EVALID, "planned_attendees", "planned_attendees must be 1 to 100000.");
	if (in->department_id > 0) {
		if ((rc = people_exists(ctx, "SELECT 1 FROM departments WHERE id = $1", in->department_id, &found)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "department_id", "No department with id %lld.", (long long)in->department_id);
	}
	return 0;
}

static void bind_applied(struct nl_stmt *st, int idx, int applied)
{
	if (applied < 0)
		stmt_bind_null(st, idx);
	else
		stmt_bind_int64(st, idx, applied ? 1 : 0);
}

int training_create(struct nl_ctx *ctx, const struct nl_training_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	char at[24];
	int64_t id = 0;
	*out = NULL;
	int rc = training_validate(ctx, in);
	if (rc)
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO trainings (year, course, topic, form, hours, target_group, planned_attendees,"
				      " department_id, planned_on, status, effectiveness, applied_in_practice, created_at, updated_at)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'planned', $10, $11, $12, $12) RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, in->year);
	stmt_bind_text(st, 2, in->course);
	stmt_bind_text(st, 3, in->topic ? in->topic : "");
	stmt_bind_text(st, 4, in->form);
	stmt_bind_double(st, 5, in->hours);
	stmt_bind_text(st, 6, in->target_group ? in->target_group : "");
	people_bind_id(st, 7, in->planned_attendees);
	people_bind_id(st, 8, in->department_id);
	stmt_bind_text(st, 9, in->planned_on);
	stmt_bind_text(st, 10, in->effectiveness ? in->effectiveness : "");
	bind_applied(st, 11, in->applied_in_practice);
	stmt_bind_text(st, 12, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || (rc = training_with_results(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "training", id, NULL, *out);
out:
	return people_write_end(ctx, rc, out);
}

/* The stored course as an input (strings in the arena) and its number of sessions. */
static int training_current(struct nl_ctx *ctx, int64_t id, struct nl_training_input *in, int64_t *sessions)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT year, course, topic, form, hours, target_group, planned_attendees, department_id,"
				     " planned_on, effectiveness, applied_in_practice, status,"
				     " (SELECT COUNT(*) FROM training_sessions s WHERE s.training_id = t.id) FROM trainings t WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		in->year = stmt_column_int64(st, 0);
		in->course = arena_strdup(ctx->arena, stmt_column_text(st, 1));
		in->topic = arena_strdup(ctx->arena, stmt_column_text(st, 2));
		in->form = arena_strdup(ctx->arena, stmt_column_text(st, 3));
		in->hours = stmt_column_double(st, 4);
		in->target_group = arena_strdup(ctx->arena, stmt_column_text(st, 5));
		in->planned_attendees = stmt_column_int64(st, 6);
		in->department_id = stmt_column_int64(st, 7);
		in->planned_on = arena_strdup(ctx->arena, stmt_column_text(st, 8));
		in->effectiveness = arena_strdup(ctx->arena, stmt_column_text(st, 9));
		in->applied_in_practice = stmt_column_is_null(st, 10) ? -1 : stmt_column_int64(st, 10) != 0;
		in->status = arena_strdup(ctx->arena, stmt_column_text(st, 11));
		*sessions = stmt_column_int64(st, 12);
	}
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No training with id %lld.", (long long)id);
	if (rc < 0)
		return rc;
	if (!in->course || !in->topic || !in->form || !in->target_group || !in->planned_on || !in->effectiveness || !in->status)
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	return 0;
}

/* Sets a course's status and updated_at (inside the caller's transaction). */
static int training_set_status(struct nl_ctx *ctx, int64_t id, const char *status)
{
	struct nl_stmt *st = NULL;
	char at[24];
	ctx_now_rfc3339(ctx, at);
	int rc = db_prepare(ctx->db, "UPDATE trainings SET status = $2, updated_at = $3 WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, status);
	stmt_bind_text(st, 3, at);
	rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int training_update(struct nl_ctx *ctx, int64_t id, const struct nl_training_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_training_input m = { 0 };
	int64_t sessions = 0;
	char at[24];
	json_t *before = NULL;
	*out = NULL;
	int rc = training_current(ctx, id, &m, &sessions);
	if (rc)
		return rc;
	if (set & NL_TRAINING_SET_COURSE)
		m.course = in->course;
	if (set & NL_TRAINING_SET_TOPIC)
		m.topic = in->topic ? in->topic : "";
	if (set & NL_TRAINING_SET_FORM)
		m.form = in->form;
	if (set & NL_TRAINING_SET_HOURS)
		m.hours = in->hours;
	if (set & NL_TRAINING_SET_TARGET)
		m.target_group = in->target_group ? in->target_group : "";
	if (set & NL_TRAINING_SET_PLANNED_ON)
		m.planned_on = in->planned_on;
	if (set & NL_TRAINING_SET_ATTENDEES)
		m.planned_attendees = in->planned_attendees;
	if (set & NL_TRAINING_SET_DEPARTMENT)
		m.department_id = in->department_id;
	if (set & NL_TRAINING_SET_EFFECT)
		m.effectiveness = in->effectiveness ? in->effectiveness : "";
	if (set & NL_TRAINING_SET_APPLIED)
		m.applied_in_practice = in->applied_in_practice;
	if ((rc = training_validate(ctx, &m)))
		return rc;
	if ((set & NL_TRAINING_SET_STATUS) && strcmp(in->status, m.status) != 0) {
		if (!strcmp(in->status, "held") && sessions == 0)
			return nl_fail(ctx->err, NL_ESTATE, "status", "A course becomes held when its first session is recorded.");
		if (strcmp(in->status, "held") != 0 && sessions > 0)
			return nl_fail(ctx->err, NL_ESTATE, "status", "This course has %lld session(s) held; it cannot be %s.",
				(long long)sessions, in->status);
		m.status = in->status;
	}
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = training_with_results(ctx, id, &before)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE trainings SET course = $2, topic = $3, form = $4, hours = $5, target_group = $6,"
				      " planned_attendees = $7, department_id = $8, planned_on = $9, effectiveness = $10,"
				      " applied_in_practice = $11, status = $12, updated_at = $13 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, m.course);
	stmt_bind_text(st, 3, m.topic);
	stmt_bind_text(st, 4, m.form);
	stmt_bind_double(st, 5, m.hours);
	stmt_bind_text(st, 6, m.target_group);
	people_bind_id(st, 7, m.planned_attendees);
	people_bind_id(st, 8, m.department_id);
	stmt_bind_text(st, 9, m.planned_on);
	stmt_bind_text(st, 10, m.effectiveness);
	bind_applied(st, 11, m.applied_in_practice);
	stmt_bind_text(st, 12, m.status);
	stmt_bind_text(st, 13, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = training_with_results(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "update", "training", id, before, *out);
out:
	json_decref(before);
	return people_write_end(ctx, rc, out);
}

int training_delete(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = training_with_results(ctx, id, out)))
		goto out;
	if (json_integer_value(json_object_get(*out, "sessions_held")) > 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "This course has sessions held; cancel it instead of deleting it.");
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "DELETE FROM trainings WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = audit_append(ctx, "delete", "training", id, *out, NULL);
out:
	return people_write_end(ctx, rc, out);
}

int training_session_create(struct nl_ctx *ctx, int64_t training_id, const char *held_on, double hours, const char *trainer,
	json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_training_input m = { 0 };
	struct nl_date today, held;
	char today_s[NL_DATE_STRLEN], at[24];
	int64_t sessions = 0, id = 0;
	*out = NULL;
	int rc = people_today(ctx, &today, today_s);
	if (rc || (rc = training_current(ctx, training_id, &m, &sessions)))
		return rc;
	if (!strcmp(m.status, "cancelled"))
		return nl_fail(ctx->err, NL_ESTATE, NULL, "This course is cancelled; set it back to planned before recording a session.");
	if ((rc = people_date_field(ctx, held_on, "held_on", &held)))
		return rc;
	if (held.y != m.year)
		return nl_fail(ctx->err, NL_EVALID, "held_on", "held_on must fall in the plan's year %lld.", (long long)m.year);
	if (date_cmp(held, today) > 0)
		return nl_fail(ctx->err, NL_EVALID, "held_on", "held_on is in the future; record a session once it is held.");
	if (!isfinite(hours) || hours <= 0 || hours > 24)
		return nl_fail(ctx->err, NL_EVALID, "hours", "hours must be more than 0 and at most 24.");
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO training_sessions (training_id, held_on, hours, trainer, created_at)"
				      " VALUES ($1, $2, $3, $4, $5) RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, training_id);
	stmt_bind_text(st, 2, held_on);
	stmt_bind_double(st, 3, hours);
	stmt_bind_text(st, 4, trainer ? trainer : "");
	stmt_bind_text(st, 5, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		goto out;
	if (!strcmp(m.status, "planned") && (rc = training_set_status(ctx, training_id, "held")))
		goto out;
	if ((rc = training_session_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "training_session", id, NULL, *out);
out:
	return people_write_end(ctx, rc, out);
}

int training_session_delete(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = training_session_get(ctx, id, out)))
		goto out;
	int64_t training_id = json_integer_value(json_object_get(*out, "training_id"));
	if ((rc = db_prepare(ctx->db, "DELETE FROM training_attendance WHERE session_id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = db_prepare(ctx->db, "DELETE FROM training_sessions WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	int found;
	if ((rc = people_exists(ctx, "SELECT 1 FROM training_sessions WHERE training_id = $1", training_id, &found)))
		goto out;
	if (!found && (rc = training_set_status(ctx, training_id, "planned")))
		goto out;
	rc = audit_append(ctx, "delete", "training_session", id, *out, NULL);
out:
	return people_write_end(ctx, rc, out);
}

static int attendance_read(struct nl_ctx *ctx, int64_t session_id, int64_t staff_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, ATTENDANCE_SELECT " WHERE a.session_id = $1 AND a.staff_id = $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, session_id);
	stmt_bind_int64(st, 2, staff_id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = attendance_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "Staff member %lld has no attendance recorded for session %lld.",
			(long long)staff_id, (long long)session_id);
	return rc < 0 ? rc : 0;
}

int training_attendance_put(struct nl_ctx *ctx, int64_t session_id, int64_t staff_id, int attended, double exam_score,
	double feedback_score, json_t **out, int *created)
{
	struct nl_stmt *st = NULL;
	char held_on[NL_DATE_STRLEN] = "", at[24];
	json_t *before = NULL;
	*out = NULL;
	*created = 0;
	int rc = db_prepare(ctx->db, "SELECT held_on FROM training_sessions WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, session_id);
	rc = stmt_step(st);
	if (rc == 1)
		snprintf(held_on, sizeof held_on, "%s", stmt_column_text(st, 0) ? stmt_column_text(st, 0) : "");
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No training session with id %lld.", (long long)session_id);
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(ctx->db, "SELECT hired_on, left_on FROM staff WHERE id = $1", &st)))
		return rc;
	stmt_bind_int64(st, 1, staff_id);
	rc = stmt_step(st);
	int employed = rc == 1 && strcmp(stmt_column_text(st, 0), held_on) <= 0 &&
		(stmt_column_is_null(st, 1) || strcmp(stmt_column_text(st, 1), held_on) > 0);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No staff member with id %lld.", (long long)staff_id);
	if (rc < 0)
		return rc;
	if (!employed)
		return nl_fail(ctx->err, NL_EVALID, "staff_id", "Staff member %lld was not employed on %s, the session's day.",
			(long long)staff_id, held_on);
	if (!isnan(exam_score) && (!isfinite(exam_score) || exam_score < 0 || exam_score > 100))
		return nl_fail(ctx->err, NL_EVALID, "exam_score", "exam_score must be 0 to 100.");
	if (!isnan(feedback_score) && (!isfinite(feedback_score) || feedback_score < NL_PEOPLE_FEEDBACK_MIN ||
					     feedback_score > NL_PEOPLE_FEEDBACK_MAX))
		return nl_fail(ctx->err, NL_EVALID, "feedback_score", "feedback_score must be %d to %d.", NL_PEOPLE_FEEDBACK_MIN,
			NL_PEOPLE_FEEDBACK_MAX);
	if (!attended && !isnan(exam_score))
		return nl_fail(ctx->err, NL_EVALID, "exam_score", "An absent staff member has no exam score.");
	if (!attended && !isnan(feedback_score))
		return nl_fail(ctx->err, NL_EVALID, "feedback_score", "An absent staff member gives no feedback.");
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = attendance_read(ctx, session_id, staff_id, &before)) == NL_ENOTFOUND) {
		nl_error_clear(ctx->err);
		*created = 1;
		rc = 0;
	} else if (rc) {
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "INSERT INTO training_attendance (session_id, staff_id, attended, exam_score, feedback_score,"
				      " updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (session_id, staff_id) DO UPDATE SET"
				      " attended = excluded.attended, exam_score = excluded.exam_score,"
				      " feedback_score = excluded.feedback_score, updated_at = excluded.updated_at", &st)))
		goto out;
	stmt_bind_int64(st, 1, session_id);
	stmt_bind_int64(st, 2, staff_id);
	stmt_bind_int64(st, 3, attended ? 1 : 0);
	people_bind_real(st, 4, exam_score);
	people_bind_real(st, 5, feedback_score);
	stmt_bind_text(st, 6, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = attendance_read(ctx, session_id, staff_id, out)))
		goto out;
	rc = audit_append(ctx, *created ? "create" : "update", "training_attendance", session_id, before, *out);
out:
	json_decref(before);
	return people_write_end(ctx, rc, out);
}

int training_attendance_delete(struct nl_ctx *ctx, int64_t session_id, int64_t staff_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = attendance_read(ctx, session_id, staff_id, out)))
		goto out;
	if ((rc = db_prepare(ctx->db, "DELETE FROM training_attendance WHERE session_id = $1 AND staff_id = $2", &st)))
		goto out;
	stmt_bind_int64(st, 1, session_id);
	stmt_bind_int64(st, 2, staff_id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = audit_append(ctx, "delete", "training_attendance", session_id, *out, NULL);
out:
	return people_write_end(ctx, rc, out);
}

int training_record_of_staff(struct nl_ctx *ctx, int64_t staff_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT ses.id, t.id, t.course, t.form, ses.held_on, ses.hours, a.attended, a.exam_score,"
				     " a.feedback_score FROM training_attendance a JOIN training_sessions ses ON ses.id = a.session_id"
				     " JOIN trainings t ON t.id = ses.training_id WHERE a.staff_id = $1 ORDER BY ses.held_on, ses.id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, staff_id);
	json_t *sessions = json_array();
	int64_t attended_n = 0, exams = 0, passed = 0, feedbacks = 0;
	double hours = 0, exam_sum = 0, feedback_sum = 0;
	while ((rc = stmt_step(st)) == 1) {
		json_t *o = json_object();
		int attended = stmt_column_int64(st, 6) != 0;
		json_set_int(o, "session_id", stmt_column_int64(st, 0));
		json_set_int(o, "training_id", stmt_column_int64(st, 1));
		json_set_str(o, "course", stmt_column_text(st, 2));
		json_set_str(o, "form", stmt_column_text(st, 3));
		json_set_str(o, "held_on", stmt_column_text(st, 4));
		json_object_set_new(o, "hours", json_real(stmt_column_double(st, 5)));
		json_set_bool(o, "attended", attended);
		people_json_real_col(o, "exam_score", st, 7);
		if (stmt_column_is_null(st, 7))
			json_object_set_new(o, "passed", json_null());
		else
			json_set_bool(o, "passed", stmt_column_double(st, 7) >= NL_PEOPLE_PASS_MARK);
		people_json_real_col(o, "feedback_score", st, 8);
		json_array_append_new(sessions, o);
		if (!attended)
			continue;
		attended_n++;
		hours += stmt_column_double(st, 5);
		if (!stmt_column_is_null(st, 7)) {
			exams++;
			exam_sum += stmt_column_double(st, 7);
			passed += stmt_column_double(st, 7) >= NL_PEOPLE_PASS_MARK;
		}
		if (!stmt_column_is_null(st, 8)) {
			feedbacks++;
			feedback_sum += stmt_column_double(st, 8);
		}
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(sessions);
		return rc;
	}
	json_t *o = json_object();
	json_object_set_new(o, "sessions", sessions);
	json_set_int(o, "sessions_attended", attended_n);
	json_object_set_new(o, "hours", json_real(hours));
	json_set_int(o, "exams", exams);
	json_set_int(o, "passed", passed);
	people_json_real(o, "exam_average", exams ? exam_sum / (double)exams : NAN);
	people_json_real(o, "feedback_average", feedbacks ? feedback_sum / (double)feedbacks : NAN);
	*out = o;
	return 0;
}
