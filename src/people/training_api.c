/* training_api.c — HTTP handlers for the yearly training plan, its sessions and attendance: parse → domain
 * (people/training.h) → reply. */
#include "people/training_api.h"

#include "http/http.h"
#include "http/rowver.h"
#include "people/people_rules.h"
#include "people/training.h"

#include <math.h>
#include <string.h>

#include "core/common.h"

static const char *const forms[] = { "online", "lecture", "case_study", "drill", NULL };
static const char *const statuses[] = { "planned", "held", "cancelled", NULL };

struct training_body {
	int64_t year, planned_attendees, department_id;
	const char *course, *topic, *form, *target_group, *planned_on, *effectiveness, *status;
	double hours;
	json_t *applied;
};

static const struct nl_jfield training_create_fields[] = {
	NL_JF("year", NL_J_INT, 1, 1900, 9999, struct training_body, year),
	NL_JF("course", NL_J_STRING, 1, 1, 200, struct training_body, course),
	NL_JF("topic", NL_J_TEXT, 0, 0, 500, struct training_body, topic),
	NL_JFE("form", 1, forms, struct training_body, form),
	NL_JF("hours", NL_J_NUMBER, 1, 0, 1000, struct training_body, hours),
	NL_JF("target_group", NL_J_TEXT, 0, 0, 200, struct training_body, target_group),
	NL_JFN("planned_attendees", NL_J_INT, 0, 1, 100000, struct training_body, planned_attendees),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, struct training_body, department_id),
	NL_JF("planned_on", NL_J_DATE, 1, 0, 0, struct training_body, planned_on),
	NL_JF("effectiveness", NL_J_TEXT, 0, 0, 4000, struct training_body, effectiveness),
	{ "applied_in_practice", NL_J_ANY, 0, 1, 0, 0, NULL, offsetof(struct training_body, applied) },
};
/* Field i ↔ bits[i] in api_trainings_update. */
static const struct nl_jfield training_update_fields[] = {
	NL_JF("course", NL_J_STRING, 0, 1, 200, struct training_body, course),
	NL_JF("topic", NL_J_TEXT, 0, 0, 500, struct training_body, topic),
	NL_JFE("form", 0, forms, struct training_body, form),
	NL_JF("hours", NL_J_NUMBER, 0, 0, 1000, struct training_body, hours),
	NL_JF("target_group", NL_J_TEXT, 0, 0, 200, struct training_body, target_group),
	NL_JF("planned_on", NL_J_DATE, 0, 0, 0, struct training_body, planned_on),
	NL_JFN("planned_attendees", NL_J_INT, 0, 1, 100000, struct training_body, planned_attendees),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, struct training_body, department_id),
	NL_JF("effectiveness", NL_J_TEXT, 0, 0, 4000, struct training_body, effectiveness),
	{ "applied_in_practice", NL_J_ANY, 0, 1, 0, 0, NULL, offsetof(struct training_body, applied) },
	NL_JFE("status", 0, statuses, struct training_body, status),
};

/* applied_in_practice: true, false or null (not yet judged) → 1, 0, -1; 422 otherwise. */
static int applied_value(struct nl_req *r, const json_t *v, int *out)
{
	*out = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return nl_fail(&r->err, NL_EVALID, "applied_in_practice", "applied_in_practice must be true, false or null.");
	*out = json_is_true(v);
	return 0;
}

int api_trainings_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_training_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "year", 1900, 9999, 0, &f.year)) ||
		(rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)))
		return rc;
	f.status = req_query(r, "status");
	f.form = req_query(r, "form");
	if (f.status && !*f.status)
		f.status = NULL;
	if (f.form && !*f.form)
		f.form = NULL;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = training_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_trainings_create(struct nl_req *r)
{
	struct training_body b = { 0 };
	json_t *out;
	int rc = req_body(r, training_create_fields, NL_ARRAY_LEN(training_create_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_training_input in = { .year = b.year, .course = b.course, .topic = b.topic, .form = b.form,
		.target_group = b.target_group, .planned_on = b.planned_on, .hours = b.hours,
		.planned_attendees = b.planned_attendees, .department_id = b.department_id, .effectiveness = b.effectiveness };
	if ((rc = applied_value(r, b.applied, &in.applied_in_practice)) || (rc = training_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_trainings_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "trainings", id, NULL)) || (rc = training_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_trainings_update(struct nl_req *r)
{
	struct training_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, training_update_fields, NL_ARRAY_LEN(training_update_fields), &b, &present)))
		return rc;
	/* field i of the table ↔ bits[i] */
	unsigned set = 0;
	static const unsigned bits[] = { NL_TRAINING_SET_COURSE, NL_TRAINING_SET_TOPIC, NL_TRAINING_SET_FORM,
		NL_TRAINING_SET_HOURS, NL_TRAINING_SET_TARGET, NL_TRAINING_SET_PLANNED_ON, NL_TRAINING_SET_ATTENDEES,
		NL_TRAINING_SET_DEPARTMENT, NL_TRAINING_SET_EFFECT, NL_TRAINING_SET_APPLIED, NL_TRAINING_SET_STATUS };
	for (size_t i = 0; i < NL_ARRAY_LEN(bits); i++)
		if (present & (1u << i))
			set |= bits[i];
	struct nl_training_input in = { .course = b.course, .topic = b.topic, .form = b.form, .target_group = b.target_group,
		.planned_on = b.planned_on, .hours = b.hours, .planned_attendees = b.planned_attendees,
		.department_id = b.department_id, .effectiveness = b.effectiveness, .status = b.status };
	if ((set & NL_TRAINING_SET_HOURS) && !(b.hours > 0))
		return nl_fail(&r->err, NL_EVALID, "hours", "hours must be more than 0 and at most 1000.");
	if ((rc = applied_value(r, b.applied, &in.applied_in_practice)) || (rc = req_row_version(r, "trainings", id, NULL)) ||
		(rc = training_update(&r->ctx, id, &in, set, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_trainings_delete(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = training_delete(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

struct session_body {
	const char *held_on, *trainer;
	double hours;
};
static const struct nl_jfield session_fields[] = {
	NL_JF("held_on", NL_J_DATE, 1, 0, 0, struct session_body, held_on),
	NL_JF("hours", NL_J_NUMBER, 1, 0, 24, struct session_body, hours),
	NL_JF("trainer", NL_J_TEXT, 0, 0, 100, struct session_body, trainer),
};

int api_training_sessions_create(struct nl_req *r)
{
	struct session_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, session_fields, NL_ARRAY_LEN(session_fields), &b, NULL)) ||
		(rc = training_session_create(&r->ctx, id, b.held_on, b.hours, b.trainer, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_training_sessions_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = training_session_get(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_training_sessions_delete(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = training_session_delete(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

struct attendance_body {
	int attended;
	double exam_score, feedback_score;
};
static const struct nl_jfield attendance_fields[] = {
	NL_JF("attended", NL_J_BOOL, 1, 0, 0, struct attendance_body, attended),
	NL_JFN("exam_score", NL_J_NUMBER, 0, 0, 100, struct attendance_body, exam_score),
	NL_JFN("feedback_score", NL_J_NUMBER, 0, NL_PEOPLE_FEEDBACK_MIN, NL_PEOPLE_FEEDBACK_MAX, struct attendance_body,
		feedback_score),
};

int api_training_attendance_put(struct nl_req *r)
{
	struct attendance_body b = { 0, NAN, NAN };
	int64_t id, staff_id;
	int created = 0;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_param_id(r, "staff_id", &staff_id)) ||
		(rc = req_body(r, attendance_fields, NL_ARRAY_LEN(attendance_fields), &b, NULL)) ||
		(rc = training_attendance_put(&r->ctx, id, staff_id, b.attended, b.exam_score, b.feedback_score, &out, &created)))
		return rc;
	return reply_json(r, created ? 201 : 200, out);
}

int api_training_attendance_delete(struct nl_req *r)
{
	int64_t id, staff_id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_param_id(r, "staff_id", &staff_id)) ||
		(rc = training_attendance_delete(&r->ctx, id, staff_id, &out)))
		return rc;
	return reply_json(r, 200, out);
}
