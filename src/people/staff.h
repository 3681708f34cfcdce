/* staff.h — staff records (employees, optionally linked to a user), the skills catalogue with levels 1–5 per person,
 * certifications with their expiry, and the post structure with key posts and their backups (岗位备份).
 *
 * A staff member is employed from hired_on (inclusive) until left_on (exclusive): on the day of left_on they are no
 * longer staff. "Active" means not left today (left_on absent or after today, in the organisation's time zone).
 * Key posts and backups are the current assignment (no history is kept).
 *
 * Every write validates first, runs in one transaction and appends its audit row; objects come back as JSON (the
 * caller owns them). Errors: NL_EVALID naming the field, NL_ENOTFOUND, NL_ECONFLICT naming the field, store errors. */
#ifndef NL_PEOPLE_STAFF_H
#define NL_PEOPLE_STAFF_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

struct nl_staff_input {
	const char *name;
	int64_t user_id;          /* 0: none */
	int64_t department_id;
	const char *post;         /* NULL: "" */
	int key_post;
	int64_t backup_staff_id;  /* 0: none */
	const char *hired_on;     /* YYYY-MM-DD */
	const char *left_on;      /* NULL: still employed */
};
/* PATCH bits: which fields of nl_staff_input are given. */
#define NL_STAFF_SET_NAME 0x01u
#define NL_STAFF_SET_USER 0x02u
#define NL_STAFF_SET_DEPARTMENT 0x04u
#define NL_STAFF_SET_POST 0x08u
#define NL_STAFF_SET_KEY_POST 0x10u
#define NL_STAFF_SET_BACKUP 0x20u
#define NL_STAFF_SET_HIRED 0x40u
#define NL_STAFF_SET_LEFT 0x80u

/* Creates a staff record. 422: name empty; department_id or user_id unknown; backup_staff_id unknown, the person
 * themself, or already left; hired_on/left_on not dates; left_on before hired_on. 409 user_id: the user is linked to
 * another staff record already. */
int staff_create(struct nl_ctx *ctx, const struct nl_staff_input *in, json_t **out) __attribute__((warn_unused_result));
/* Changes the fields whose NL_STAFF_SET_* bit is in `set`; the merged record is checked as on creation (a backup
 * that has left may stay, but none may be newly chosen). 404 when absent. */
int staff_update(struct nl_ctx *ctx, int64_t id, const struct nl_staff_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));
/* One staff record: {"id","name","user_id","user_name","department_id","department","post","key_post",
 * "backup_staff_id","backup_name","backup_active","hired_on","left_on","active","created_at","updated_at"}.
 * With details also "skills", "certifications", "backup_for" (whom this person backs up), "training" (the sessions
 * attended with hours and scores, and their totals) and — when ctx->actor may read appraisals of the staff member's
 * department (policy "appraisal.read") — "appraisals"; "appraisals_visible" says which. */
int staff_get(struct nl_ctx *ctx, int64_t id, int details, json_t **out) __attribute__((warn_unused_result));

struct nl_staff_filter {
	int64_t department_id;   /* 0: all */
	const char *post;        /* NULL: all */
	int key_post;            /* -1 all, 0/1 */
	int active;              /* -1 all, 1 not left today, 0 left */
	int64_t user_id;         /* 0: all */
	int64_t limit, cursor;
};
/* Staff in id order. */
int staff_list(struct nl_ctx *ctx, const struct nl_staff_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

/* Sets staff_id's level (1..5) in `skill`, named as in the catalogue: an unknown name is added to the catalogue
 * (with `category`, may be NULL); a known one keeps its category. assessed_on: YYYY-MM-DD, NULL for today.
 * *created is 1 when the person had no level in that skill yet. Returns the staff skill
 * {"staff_id","skill_id","skill","category","level","assessed_on"}. 404 unknown staff; 422 skill/level/assessed_on. */
int staff_skill_set(struct nl_ctx *ctx, int64_t staff_id, const char *skill, int64_t level, const char *category,
	const char *assessed_on, json_t **out, int *created) __attribute__((warn_unused_result));
/* Removes a person's level in one skill (the catalogue keeps the skill). Returns the removed staff skill; 404 when
 * the person has no level in it. */
int staff_skill_delete(struct nl_ctx *ctx, int64_t staff_id, int64_t skill_id, json_t **out) __attribute__((warn_unused_result));
/* The skills catalogue by name: {"id","name","category","holders","average_level"} (holders: active staff with a level). */
int skill_list(struct nl_ctx *ctx, json_t **items) __attribute__((warn_unused_result));
/* The skills matrix of the active staff (of one department, 0: all): {"department_id","skills":[{"id","name",
 * "category","holders","average_level"}],"staff":[{"id","name","department_id","department","post","key_post",
 * "levels":{skill name: level}}]} — only skills someone in the view holds. */
int skill_matrix(struct nl_ctx *ctx, int64_t department_id, json_t **out) __attribute__((warn_unused_result));

struct nl_cert_input {
	const char *name, *issuer, *number;
	const char *obtained_on;
	const char *expires_on;   /* NULL: does not expire */
};
#define NL_CERT_SET_NAME 0x01u
#define NL_CERT_SET_ISSUER 0x02u
#define NL_CERT_SET_NUMBER 0x04u
#define NL_CERT_SET_OBTAINED 0x08u
#define NL_CERT_SET_EXPIRES 0x10u

/* Records a certification of staff_id. Certification objects: {"id","staff_id","staff_name","department_id","name",
 * "issuer","number","obtained_on","expires_on","status":"valid"|"expiring"|"expired","days_left","created_at"}
 * (expiring: expires within NL_PEOPLE_CERT_REMIND_DAYS days; days_left null without expiry). 404 unknown staff;
 * 422 expires_on before obtained_on. */
int certification_create(struct nl_ctx *ctx, int64_t staff_id, const struct nl_cert_input *in, json_t **out)
	__attribute__((warn_unused_result));
/* Changes the given fields (a renewal sets a new expires_on). */
int certification_update(struct nl_ctx *ctx, int64_t id, const struct nl_cert_input *in, unsigned set, json_t **out)
	__attribute__((warn_unused_result));
/* Deletes a certification recorded by mistake; returns it as it was. */
int certification_delete(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));
int certification_get(struct nl_ctx *ctx, int64_t id, json_t **out) __attribute__((warn_unused_result));

struct nl_cert_filter {
	int64_t staff_id, department_id;  /* 0: all */
	int64_t expiring_within_days;     /* -1: no filter; N ≥ 0: active staff's certifications expiring today..today+N */
	int expired;                      /* -1 all; 1 only expired ones (before today); 0 only unexpired */
	int64_t limit, cursor;
};
/* Certifications in id order. */
int certification_list(struct nl_ctx *ctx, const struct nl_cert_filter *f, json_t **items, int64_t *next)
	__attribute__((warn_unused_result));

/* The post structure of the active staff (one department, 0: all), by department then post:
 * [{"department_id","department","post","key_post","headcount","key_staff","key_staff_with_backup","backup_coverage",
 *   "staff":[{"id","name","key_post","backup_staff_id","backup_name","backup_active"}]}]
 * key_post: some holder of the post holds it as a key post; backup_coverage: key_staff_with_backup ÷ key_staff
 * (null without key staff); a backup counts when they have not left. */
int post_list(struct nl_ctx *ctx, int64_t department_id, json_t **items) __attribute__((warn_unused_result));

#endif
