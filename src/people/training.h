/* training.h — the yearly training plan (培训计划): planned courses (course, topic, form, hours, target group, planned
 * date), the sessions held, each attendee's attendance, exam score and feedback, and the evaluation of the course's
 * effect (effectiveness, applied in practice).
 *
 * A course is "planned" until its first session is recorded, then "held"; it may be "cancelled" while no session was
 * held. Sessions fall in the plan's year and never in the future. Exam scores are 0..100 and pass at
 * NL_PEOPLE_PASS_MARK (60); feedback scores are 1..5. Every write is validated first, runs in one transaction and is
 * audited. Objects come back as JSON (caller owns). */
#ifndef NL_PEOPLE_TRAINING_H
#define NL_PEOPLE_TRAINING_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

struct nl_training_input {
	int64_t year;
	const char *course, *topic, *form, *target_group, *planned_on;
	double hours;
	int64_t planned_attendees;    /* 0: not given */
	int64_t department_id;        /* 0: the whole organisation */
	const char *effectiveness;
	int applied_in_practice;      /* -1: not yet judged, 0/1 */
	const char *status;           /* PATCH only: "planned" | "held" | "cancelled" */
};
#define NL_TRAINING_SET_COURSE 0x001u
#define NL_TRAINING_SET_TOPIC 0x002u
#define NL_TRAINING_SET_FORM 0x004u
#define NL_TRAINING_SET_HOURS 0x008u
#define NL_TRAINING_SET_TARGET 0x010u
#define NL_TRAINING_SET_PLANNED_ON 0x020u
#define NL_TRAINING_SET_ATTENDEES 0x040u
#define NL_TRAINING_SET_DEPARTMENT 0x080u
#define NL_TRAINING_SET_EFFECT 0x100u
#define NL_TRAINING_SET_APPLIED 0x200u
#define NL_TRAINING_SET_STATUS 0x400u

/* Adds a course to the year's plan (status planned). 422: planned_on not in `year`; hours not in (0, 1000];
 * unknown form or department. Training objects: {"id","year","course","topic","form","hours","target_group",
 * "planned_attendees","department_id","department","planned_on","status","effectiveness","applied_in_practice",
 * "created_at","updated_at", and the results: "sessions_held","held_hours","last_held_on","attendees" (distinct staff
 * who attended), "attendances" (attendance rows with attended = true), "absences", "attended_hours" (Σ session hours
 * of each attendance), "exams","passed","pass_rate","exam_average","feedback_count","feedback_average"}. */
int training_create(struct nl_ctx *ctx, const struct nl_training_input *in, json_t **out) __attribute__((warn_unused_result));
/* Changes the given fields. status: "cancelled" and "planned" only while no session is held, "held" only when one
 * is (409 invalid_state otherwise). 404 when absent. */
int training_update(struct nl_ctx *ctx, int64_t id, const struct nl_training_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));
/* Deletes a course of the plan that has no session (409 invalid_state otherwise); returns it as it was. */
int training_delete(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* One course with its results and "sessions" (each with "attendance"). */
int training_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

struct nl_training_filter {
	int64_t year;             /* 0: all */
	int64_t department_id;    /* 0: all */
	const char *status;       /* NULL: all */
	const char *form;         /* NULL: all */
	int64_t limit, cursor;
};
/* Courses in id order, each with its results. */
int training_list(struct nl_ctx *ctx, const struct nl_training_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

/* Records a session of a course: held_on within the course's year and not after today, hours in (0, 24]. The course
 * becomes held. 409 invalid_state for a cancelled course. Session objects: {"id","training_id","course","held_on",
 * "hours","trainer","created_at","attendance":[...]} */
int training_session_create(struct nl_ctx *ctx, int64_t training_id, const char *held_on, double hours, const char *trainer,
	json_t **out) __attribute__((warn_unused_result));
int training_session_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
/* Deletes a session recorded by mistake with its attendance; the course goes back to planned when it was the last. */
int training_session_delete(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

/* Records (or replaces) one staff member's attendance of a session. exam_score (0..100) and feedback_score (1..5) are
 * NaN when not given; an absent attendee has neither (422 naming the field). 422 staff_id when the staff member was
 * not employed on the session's day. *created is 1 for a new row. Attendance objects: {"session_id","staff_id",
 * "staff_name","department_id","attended","exam_score","passed","feedback_score","updated_at"}. */
int training_attendance_put(struct nl_ctx *ctx, int64_t session_id, int64_t staff_id, int attended, double exam_score,
	double feedback_score, json_t **out, int *created) __attribute__((warn_unused_result));
int training_attendance_delete(struct nl_ctx *ctx, int64_t session_id, int64_t staff_id, json_t **out)
	__attribute__((warn_unused_result));

/* A staff member's training record: {"sessions":[{"session_id","training_id","course","form","held_on","hours",
 * "attended","exam_score","passed","feedback_score"}],"sessions_attended","hours","exams","passed","exam_average",
 * "feedback_average"} (hours: Σ hours of the sessions attended). */
int training_record_of_staff(struct nl_ctx *ctx, int64_t staff_id, json_t **out) __attribute__((warn_unused_result));

#endif
