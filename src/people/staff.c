/* staff.c — staff records, skills, certifications and the post structure (people/staff.h), with this file's own
 * SQL on staff, skills, staff_skills and certifications (and users/departments to validate links). */
#include "people/staff.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/json.h"
#include "people/appraisal.h"
#include "people/peopleInt.h"
#include "people/people_rules.h"
#include "people/training.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define STAFF_SELECT \
	"SELECT s.id, s.name, s.user_id, u.display_name, s.department_id, d.name, s.post, s.key_post, s.backup_staff_id," \
	" b.name, b.left_on, s.hired_on, s.left_on, s.created_at, s.updated_at" \
	" FROM staff s JOIN departments d ON d.id = s.department_id LEFT JOIN users u ON u.id = s.user_id" \
	" LEFT JOIN staff b ON b.id = s.backup_staff_id"

#define CERT_SELECT \
	"SELECT c.id, c.staff_id, s.name, s.department_id, c.name, c.issuer, c.number, c.obtained_on, c.expires_on," \
	" c.created_at FROM certifications c JOIN staff s ON s.id = c.staff_id"

/* 1 when someone with this left_on has not left on `today` (YYYY-MM-DD strings order like dates). */
static int not_left(const char *left_on, const char *today)
{
	return !left_on || strcmp(left_on, today) > 0;
}

static json_t *staff_row(struct nl_stmt *st, const char *today)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "name", stmt_column_text(st, 1));
	json_set_id(o, "user_id", stmt_column_int64(st, 2));
	json_set_str(o, "user_name", stmt_column_text(st, 3));
	json_set_int(o, "department_id", stmt_column_int64(st, 4));
	json_set_str(o, "department", stmt_column_text(st, 5));
	json_set_str(o, "post", stmt_column_text(st, 6));
	json_set_bool(o, "key_post", stmt_column_int64(st, 7) != 0);
	int64_t backup = stmt_column_int64(st, 8);
	json_set_id(o, "backup_staff_id", backup);
	json_set_str(o, "backup_name", stmt_column_text(st, 9));
	if (backup > 0)
		json_set_bool(o, "backup_active", not_left(stmt_column_text(st, 10), today));
	else
		json_object_set_new(o, "backup_active", json_null());
	json_set_str(o, "hired_on", stmt_column_text(st, 11));
	json_set_str(o, "left_on", stmt_column_text(st, 12));
	json_set_bool(o, "active", not_left(stmt_column_text(st, 12), today));
	json_set_str(o, "created_at", stmt_column_text(st, 13));
	json_set_str(o, "updated_at", stmt_column_text(st, 14));
	return o;
}

/* The plain staff record (no details) into *out; NL_ENOTFOUND when absent. */
static int staff_read(struct nl_ctx *ctx, int64_t id, const char *today, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, STAFF_SELECT " WHERE s.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = staff_row(st, today);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No staff member with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

/* ---- certifications (rows) ---- */

static json_t *cert_row(struct nl_stmt *st, struct nl_date today)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_int(o, "staff_id", stmt_column_int64(st, 1));
	json_set_str(o, "staff_name", stmt_column_text(st, 2));
	json_set_int(o, "department_id", stmt_column_int64(st, 3));
	json_set_str(o, "name", stmt_column_text(st, 4));
	json_set_str(o, "issuer", stmt_column_text(st, 5));
	json_set_str(o, "number", stmt_column_text(st, 6));
	json_set_str(o, "obtained_on", stmt_column_text(st, 7));
	const char *exp = stmt_column_text(st, 8);
	json_set_str(o, "expires_on", exp);
	struct nl_date e;
	if (exp && date_parse(exp, &e) == 0) {
		int left = date_diff_days(e, today);
		json_set_str(o, "status", left < 0 ? "expired" : left <= NL_PEOPLE_CERT_REMIND_DAYS ? "expiring" : "valid");
		json_set_int(o, "days_left", left);
	} else {
		json_set_str(o, "status", "valid");
		json_object_set_new(o, "days_left", json_null());
	}
	json_set_str(o, "created_at", stmt_column_text(st, 9));
	return o;
}

/* Runs a certification query whose $1 is an id into a new array. */
static int certs_by(struct nl_ctx *ctx, const char *where, int64_t id, struct nl_date today, json_t **items)
{
	struct nl_stmt *st = NULL;
	char sql[512];
	*items = NULL;
	snprintf(sql, sizeof sql, CERT_SELECT " WHERE %s ORDER BY c.id", where);
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, cert_row(st, today));
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* ---- details ---- */

static int skills_of(struct nl_ctx *ctx, int64_t staff_id, json_t **items)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = db_prepare(ctx->db, "SELECT ss.staff_id, ss.skill_id, k.name, k.category, ss.level, ss.assessed_on"
				     " FROM staff_skills ss JOIN skills k ON k.id = ss.skill_id WHERE ss.staff_id = $1 ORDER BY k.name", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, staff_id);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *o = json_object();
		json_set_int(o, "staff_id", stmt_column_int64(st, 0));
		json_set_int(o, "skill_id", stmt_column_int64(st, 1));
		json_set_str(o, "skill", stmt_column_text(st, 2));
		json_set_str(o, "category", stmt_column_text(st, 3));
		json_set_int(o, "level", stmt_column_int64(st, 4));
		json_set_str(o, "assessed_on", stmt_column_text(st, 5));
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

static int backup_for(struct nl_ctx *ctx, int64_t staff_id, const char *today, json_t **items)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	int rc = db_prepare(ctx->db, "SELECT id, name, post, key_post, left_on FROM staff WHERE backup_staff_id = $1 ORDER BY id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, staff_id);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_t *o = json_object();
		json_set_int(o, "id", stmt_column_int64(st, 0));
		json_set_str(o, "name", stmt_column_text(st, 1));
		json_set_str(o, "post", stmt_column_text(st, 2));
		json_set_bool(o, "key_post", stmt_column_int64(st, 3) != 0);
		json_set_bool(o, "active", not_left(stmt_column_text(st, 4), today));
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

int staff_get(struct nl_ctx *ctx, int64_t id, int details, json_t **out)
{
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	json_t *o = NULL, *part = NULL;
	*out = NULL;
	int rc = people_today(ctx, &today, today_s);
	if (rc || (rc = staff_read(ctx, id, today_s, &o)))
		return rc;
	if (!details) {
		*out = o;
		return 0;
	}
	if ((rc = skills_of(ctx, id, &part)))
		goto out;
	json_object_set_new(o, "skills", part);
	if ((rc = certs_by(ctx, "c.staff_id = $1", id, today, &part)))
		goto out;
	json_object_set_new(o, "certifications", part);
	if ((rc = backup_for(ctx, id, today_s, &part)))
		goto out;
	json_object_set_new(o, "backup_for", part);
	if ((rc = training_record_of_staff(ctx, id, &part)))
		goto out;
	json_object_set_new(o, "training", part);
	int64_t dept = json_integer_value(json_object_get(o, "department_id"));
	int visible = !ctx->actor || policy_scope_allows(ctx->actor, "appraisal.read", dept);
	json_set_bool(o, "appraisals_visible", visible);
	if (visible) {
		if ((rc = appraisal_list_of_staff(ctx, id, &part)))
			goto out;
		json_object_set_new(o, "appraisals", part);
	}
	rc = 0;
out:
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int staff_list(struct nl_ctx *ctx, const struct nl_staff_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	int more = 0;
	*items = NULL;
	*next = 0;
	int rc = people_today(ctx, &today, today_s);
	if (rc)
		return rc;
	if ((rc = db_prepare(ctx->db, STAFF_SELECT " WHERE s.id > $1"
				      " AND (CAST($2 AS BIGINT) = 0 OR s.department_id = CAST($2 AS BIGINT))"
				      " AND (CAST($3 AS TEXT) IS NULL OR s.post = CAST($3 AS TEXT))"
				      " AND ($4 < 0 OR s.key_post = $4)"
				      " AND ($5 < 0 OR ($5 = 1 AND (s.left_on IS NULL OR s.left_on > $6))"
				      "  OR ($5 = 0 AND s.left_on IS NOT NULL AND s.left_on <= $6))"
				      " AND (CAST($7 AS BIGINT) = 0 OR s.user_id = CAST($7 AS BIGINT))"
				      " ORDER BY s.id LIMIT $8", &st)))
		return rc;
	int64_t limit = f->limit > 0 ? f->limit : PEOPLE_NO_LIMIT;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_int64(st, 2, f->department_id);
	stmt_bind_text(st, 3, f->post);
	stmt_bind_int64(st, 4, f->key_post < 0 ? -1 : f->key_post ? 1 : 0);
	stmt_bind_int64(st, 5, f->active < 0 ? -1 : f->active ? 1 : 0);
	stmt_bind_text(st, 6, today_s);
	stmt_bind_int64(st, 7, f->user_id);
	stmt_bind_int64(st, 8, limit + 1);
	json_t *arr = json_array();
	int64_t n = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			more = 1;
			break;
		}
		json_array_append_new(arr, staff_row(st, today_s));
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

/* ---- writes ---- */

/* The link-dependent checks of a (merged) staff record; self_id is 0 on creation. */
static int staff_validate(struct nl_ctx *ctx, int64_t self_id, const struct nl_staff_input *in, int backup_changed,
	const char *today)
{
	struct nl_date hired, left;
	int found, rc;
	if (!in->name || !*in->name)
		return nl_fail(ctx->err, NL_EVALID, "name", "name must not be empty.");
	if ((rc = people_exists(ctx, "SELECT 1 FROM departments WHERE id = $1", in->department_id, &found)))
		return rc;
	if (!found)
		return nl_fail(ctx->err, NL_EVALID, "department_id", "No department with id %lld.", (long long)in->department_id);
	if ((rc = people_date_field(ctx, in->hired_on, "hired_on", &hired)))
		return rc;
	if (in->left_on) {
		if ((rc = people_date_field(ctx, in->left_on, "left_on", &left)))
			return rc;
		if (date_cmp(left, hired) < 0)
			return nl_fail(ctx->err, NL_EVALID, "left_on", "left_on must not be before hired_on.");
	}
	if (in->user_id > 0) {
		struct nl_stmt *st = NULL;
		if ((rc = people_exists(ctx, "SELECT 1 FROM users WHERE id = $1", in->user_id, &found)))
			return rc;
		if (!found)
			return nl_fail(ctx->err, NL_EVALID, "user_id", "No user with id %lld.", (long long)in->user_id);
		if ((rc = db_prepare(ctx->db, "SELECT id, name FROM staff WHERE user_id = $1 AND id <> $2", &st)))
			return rc;
		stmt_bind_int64(st, 1, in->user_id);
		stmt_bind_int64(st, 2, self_id);
		rc = stmt_step(st);
		if (rc == 1)
			nl_fail(ctx->err, NL_ECONFLICT, "user_id", "User %lld is linked to the staff record of %s (id %lld) already.",
				(long long)in->user_id, stmt_column_text(st, 1), (long long)stmt_column_int64(st, 0));
		stmt_done(st);
		if (rc != 0)
			return rc == 1 ? NL_ECONFLICT : rc;
	}
	if (in->backup_staff_id > 0) {
		struct nl_stmt *st = NULL;
		if (in->backup_staff_id == self_id)
			return nl_fail(ctx->err, NL_EVALID, "backup_staff_id", "A staff member cannot be their own backup.");
		if ((rc = db_prepare(ctx->db, "SELECT left_on FROM staff WHERE id = $1", &st)))
			return rc;
		stmt_bind_int64(st, 1, in->backup_staff_id);
		rc = stmt_step(st);
		int left_already = rc == 1 && !not_left(stmt_column_text(st, 0), today);
		stmt_done(st);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return nl_fail(ctx->err, NL_EVALID, "backup_staff_id", "No staff member with id %lld.",
				(long long)in->backup_staff_id);
		if (left_already && backup_changed)
			return nl_fail(ctx->err, NL_EVALID, "backup_staff_id", "Staff member %lld has left; choose a current employee.",
				(long long)in->backup_staff_id);
	}
	return 0;
}

int staff_create(struct nl_ctx *ctx, const struct nl_staff_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN], at[24];
	int64_t id = 0;
	*out = NULL;
	int rc = people_today(ctx, &today, today_s);
	if (rc || (rc = staff_validate(ctx, 0, in, 1, today_s)))
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO staff (name, user_id, department_id, post, key_post, backup_staff_id, hired_on,"
				      " left_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, in->name);
	people_bind_id(st, 2, in->user_id);
	stmt_bind_int64(st, 3, in->department_id);
	stmt_bind_text(st, 4, in->post ? in->post : "");
	stmt_bind_int64(st, 5, in->key_post ? 1 : 0);
	people_bind_id(st, 6, in->backup_staff_id);
	stmt_bind_text(st, 7, in->hired_on);
	stmt_bind_text(st, 8, in->left_on);
	stmt_bind_text(st, 9, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc == NL_ECONFLICT)   /* the user was linked by another request meanwhile */
		rc = nl_fail(ctx->err, NL_ECONFLICT, "user_id", "User %lld is linked to another staff record.", (long long)in->user_id);
	if (rc < 0 || (rc = staff_read(ctx, id, today_s, out)))
		goto out;
	rc = audit_append(ctx, "create", "staff", id, NULL, *out);
out:
	return people_write_end(ctx, rc, out);
}

/* Reads the stored record into *in (strings in the arena) for merging a PATCH. */
static int staff_current(struct nl_ctx *ctx, int64_t id, struct nl_staff_input *in)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, "SELECT name, user_id, department_id, post, key_post, backup_staff_id, hired_on, left_on"
				     " FROM staff WHERE id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		in->name = arena_strdup(ctx->arena, stmt_column_text(st, 0));
		in->user_id = stmt_column_int64(st, 1);
		in->department_id = stmt_column_int64(st, 2);
		in->post = arena_strdup(ctx->arena, stmt_column_text(st, 3));
		in->key_post = stmt_column_int64(st, 4) != 0;
		in->backup_staff_id = stmt_column_int64(st, 5);
		in->hired_on = arena_strdup(ctx->arena, stmt_column_text(st, 6));
		in->left_on = stmt_column_is_null(st, 7) ? NULL : arena_strdup(ctx->arena, stmt_column_text(st, 7));
	}
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No staff member with id %lld.", (long long)id);
	if (rc < 0)
		return rc;
	if (!in->name || !in->post || !in->hired_on)
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	return 0;
}

int staff_update(struct nl_ctx *ctx, int64_t id, const struct nl_staff_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_staff_input m = { 0 };
	struct nl_date today;
	char today_s[NL_DATE_STRLEN], at[24];
	json_t *before = NULL;
	*out = NULL;
	int rc = people_today(ctx, &today, today_s);
	if (rc || (rc = staff_current(ctx, id, &m)))
		return rc;
	int64_t old_backup = m.backup_staff_id;
	if (set & NL_STAFF_SET_NAME)
		m.name = in->name;
	if (set & NL_STAFF_SET_USER)
		m.user_id = in->user_id;
	if (set & NL_STAFF_SET_DEPARTMENT)
		m.department_id = in->department_id;
	if (set & NL_STAFF_SET_POST)
		m.post = in->post ? in->post : "";
	if (set & NL_STAFF_SET_KEY_POST)
		m.key_post = in->key_post;
	if (set & NL_STAFF_SET_BACKUP)
		m.backup_staff_id = in->backup_staff_id;
	if (set & NL_STAFF_SET_HIRED)
		m.hired_on = in->hired_on;
	if (set & NL_STAFF_SET_LEFT)
		m.left_on = in->left_on;
	if ((rc = staff_validate(ctx, id, &m, m.backup_staff_id != old_backup, today_s)))
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = staff_read(ctx, id, today_s, &before)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE staff SET name = $2, user_id = $3, department_id = $4, post = $5, key_post = $6,"
				      " backup_staff_id = $7, hired_on = $8, left_on = $9, updated_at = $10 WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, m.name);
	people_bind_id(st, 3, m.user_id);
	stmt_bind_int64(st, 4, m.department_id);
	stmt_bind_text(st, 5, m.post);
	stmt_bind_int64(st, 6, m.key_post ? 1 : 0);
	people_bind_id(st, 7, m.backup_staff_id);
	stmt_bind_text(st, 8, m.hired_on);
	stmt_bind_text(st, 9, m.left_on);
	stmt_bind_text(st, 10, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == NL_ECONFLICT)
		rc = nl_fail(ctx->err, NL_ECONFLICT, "user_id", "User %lld is linked to another staff record.", (long long)m.user_id);
	if (rc < 0 || (rc = staff_read(ctx, id, today_s, out)))
		goto out;
	rc = audit_append(ctx, "update", "staff", id, before, *out);
out:
	json_decref(before);
	return people_write_end(ctx, rc, out);
}

/* ---- skills ---- */

static int staff_skill_read(struct nl_ctx *ctx, int64_t staff_id, int64_t skill_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT ss.staff_id, ss.skill_id, k.name, k.category, ss.level, ss.assessed_on"
				     " FROM staff_skills ss JOIN skills k ON k.id = ss.skill_id WHERE ss.staff_id = $1 AND ss.skill_id = $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, staff_id);
	stmt_bind_int64(st, 2, skill_id);
	rc = stmt_step(st);
	if (rc == 1) {
		json_t *o = json_object();
		json_set_int(o, "staff_id", stmt_column_int64(st, 0));
		json_set_int(o, "skill_id", stmt_column_int64(st, 1));
		json_set_str(o, "skill", stmt_column_text(st, 2));
		json_set_str(o, "category", stmt_column_text(st, 3));
		json_set_int(o, "level", stmt_column_int64(st, 4));
		json_set_str(o, "assessed_on", stmt_column_text(st, 5));
		*out = o;
	}
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "Staff member %lld has no level in skill %lld.", (long long)staff_id,
			(long long)skill_id);
	return rc < 0 ? rc : 0;
}

/* The id of the skill named `name`, 0 when the catalogue has none. */
static int skill_id_by_name(struct nl_ctx *ctx, const char *name, int64_t *id)
{
	struct nl_stmt *st = NULL;
	*id = 0;
	int rc = db_prepare(ctx->db, "SELECT id FROM skills WHERE name = $1", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, name);
	rc = stmt_step(st);
	if (rc == 1)
		*id = stmt_column_int64(st, 0);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int staff_skill_set(struct nl_ctx *ctx, int64_t staff_id, const char *skill, int64_t level, const char *category,
	const char *assessed_on, json_t **out, int *created)
{
	struct nl_stmt *st = NULL;
	struct nl_date today, when;
	char today_s[NL_DATE_STRLEN];
	json_t *before = NULL;
	int64_t skill_id = 0;
	int found;
	*out = NULL;
	*created = 0;
	int rc = people_today(ctx, &today, today_s);
	if (rc || (rc = people_exists(ctx, "SELECT 1 FROM staff WHERE id = $1", staff_id, &found)))
		return rc;
	if (!found)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No staff member with id %lld.", (long long)staff_id);
	if (!skill || !*skill)
		return nl_fail(ctx->err, NL_EVALID, "skill", "skill must not be empty.");
	if (level < 1 || level > 5)
		return nl_fail(ctx->err, NL_EVALID, "level", "level must be 1 to 5.");
	if (assessed_on && (rc = people_date_field(ctx, assessed_on, "assessed_on", &when)))
		return rc;
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = skill_id_by_name(ctx, skill, &skill_id)))
		goto out;
	if (skill_id == 0) {
		json_t *sk = NULL;
		/* ON CONFLICT: another request may add the same name meanwhile (PostgreSQL would abort on a violation) */
		if ((rc = db_prepare(ctx->db, "INSERT INTO skills (name, category) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"
					      " RETURNING id", &st)))
			goto out;
		stmt_bind_text(st, 1, skill);
		stmt_bind_text(st, 2, category ? category : "");
		rc = stmt_step(st);
		skill_id = rc == 1 ? stmt_column_int64(st, 0) : 0;
		stmt_done(st);
		if (rc < 0)
			goto out;
		if (skill_id == 0) {
			if ((rc = skill_id_by_name(ctx, skill, &skill_id)))
				goto out;
			goto have_skill;
		}
		sk = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)skill_id, "name", skill, "category", category ? category : "");
		rc = audit_append(ctx, "create", "skill", skill_id, NULL, sk);
		json_decref(sk);
		if (rc)
			goto out;
	}
have_skill:
	if ((rc = staff_skill_read(ctx, staff_id, skill_id, &before)) == NL_ENOTFOUND) {
		nl_error_clear(ctx->err);
		rc = 0;
		*created = 1;
	} else if (rc) {
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "INSERT INTO staff_skills (staff_id, skill_id, level, assessed_on) VALUES ($1, $2, $3, $4)"
				      " ON CONFLICT (staff_id, skill_id) DO UPDATE SET level = excluded.level, assessed_on = excluded.assessed_on", &st)))
		goto out;
	stmt_bind_int64(st, 1, staff_id);
	stmt_bind_int64(st, 2, skill_id);
	stmt_bind_int64(st, 3, level);
	stmt_bind_text(st, 4, assessed_on ? assessed_on : today_s);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = staff_skill_read(ctx, staff_id, skill_id, out)))
		goto out;
	rc = audit_append(ctx, *created ? "create" : "update", "staff_skill", staff_id, before, *out);
out:
	json_decref(before);
	return people_write_end(ctx, rc, out);
}

int staff_skill_delete(struct nl_ctx *ctx, int64_t staff_id, int64_t skill_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = staff_skill_read(ctx, staff_id, skill_id, out)))
		goto out;
	if ((rc = db_prepare(ctx->db, "DELETE FROM staff_skills WHERE staff_id = $1 AND skill_id = $2", &st)))
		goto out;
	stmt_bind_int64(st, 1, staff_id);
	stmt_bind_int64(st, 2, skill_id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = audit_append(ctx, "delete", "staff_skill", staff_id, *out, NULL);
out:
	return people_write_end(ctx, rc, out);
}

static json_t *skill_summary_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "name", stmt_column_text(st, 1));
	json_set_str(o, "category", stmt_column_text(st, 2));
	json_set_int(o, "holders", stmt_column_int64(st, 3));
	if (stmt_column_int64(st, 3) > 0)
		json_object_set_new(o, "average_level", json_real(stmt_column_double(st, 4)));
	else
		json_object_set_new(o, "average_level", json_null());
	return o;
}

int skill_list(struct nl_ctx *ctx, json_t **items)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	*items = NULL;
	int rc = people_today(ctx, &today, today_s);
	if (rc || (rc = db_prepare(ctx->db, "SELECT k.id, k.name, k.category, COUNT(s.id), AVG(CASE WHEN s.id IS NULL THEN NULL"
					     " ELSE ss.level END) FROM skills k LEFT JOIN staff_skills ss ON ss.skill_id = k.id"
					     " LEFT JOIN staff s ON s.id = ss.staff_id AND (s.left_on IS NULL OR s.left_on > $1)"
					     " GROUP BY k.id, k.name, k.category ORDER BY k.name", &st)))
		return rc;
	stmt_bind_text(st, 1, today_s);
	json_t *arr = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(arr, skill_summary_row(st));
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

int skill_matrix(struct nl_ctx *ctx, int64_t department_id, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	json_t *skills = NULL, *staff = NULL, *o = NULL;
	*out = NULL;
	int rc = people_today(ctx, &today, today_s);
	if (rc)
		return rc;
	/* the skills held by the view's staff */
	if ((rc = db_prepare(ctx->db, "SELECT k.id, k.name, k.category, COUNT(s.id), AVG(ss.level) FROM skills k"
				      " JOIN staff_skills ss ON ss.skill_id = k.id JOIN staff s ON s.id = ss.staff_id"
				      " WHERE (s.left_on IS NULL OR s.left_on > $1)"
				      " AND (CAST($2 AS BIGINT) = 0 OR s.department_id = CAST($2 AS BIGINT))"
				      " GROUP BY k.id, k.name, k.category ORDER BY k.name", &st)))
		return rc;
	stmt_bind_text(st, 1, today_s);
	stmt_bind_int64(st, 2, department_id);
	skills = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(skills, skill_summary_row(st));
	stmt_done(st);
	if (rc < 0)
		goto out;
	/* the staff, each with its levels */
	if ((rc = db_prepare(ctx->db, "SELECT s.id, s.name, s.department_id, d.name, s.post, s.key_post, k.name, ss.level"
				      " FROM staff s JOIN departments d ON d.id = s.department_id"
				      " LEFT JOIN staff_skills ss ON ss.staff_id = s.id LEFT JOIN skills k ON k.id = ss.skill_id"
				      " WHERE (s.left_on IS NULL OR s.left_on > $1)"
				      " AND (CAST($2 AS BIGINT) = 0 OR s.department_id = CAST($2 AS BIGINT))"
				      " ORDER BY s.department_id, s.id, k.name", &st)))
		goto out;
	stmt_bind_text(st, 1, today_s);
	stmt_bind_int64(st, 2, department_id);
	staff = json_array();
	json_t *cur = NULL;
	int64_t cur_id = 0;
	while ((rc = stmt_step(st)) == 1) {
		int64_t sid = stmt_column_int64(st, 0);
		if (!cur || sid != cur_id) {
			cur = json_object();
			cur_id = sid;
			json_set_int(cur, "id", sid);
			json_set_str(cur, "name", stmt_column_text(st, 1));
			json_set_int(cur, "department_id", stmt_column_int64(st, 2));
			json_set_str(cur, "department", stmt_column_text(st, 3));
			json_set_str(cur, "post", stmt_column_text(st, 4));
			json_set_bool(cur, "key_post", stmt_column_int64(st, 5) != 0);
			json_object_set_new(cur, "levels", json_object());
			json_array_append_new(staff, cur);
		}
		if (!stmt_column_is_null(st, 6))
			json_set_int(json_object_get(cur, "levels"), stmt_column_text(st, 6), stmt_column_int64(st, 7));
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	o = json_object();
	json_set_id(o, "department_id", department_id);
	json_object_set_new(o, "skills", skills);
	json_object_set_new(o, "staff", staff);
	skills = staff = NULL;
	*out = o;
	rc = 0;
out:
	json_decref(skills);
	json_decref(staff);
	return rc;
}

/* ---- certifications ---- */

int certification_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	json_t *arr = NULL;
	*out = NULL;
	int rc = people_today(ctx, &today, today_s);
	if (rc || (rc = certs_by(ctx, "c.id = $1", id, today, &arr)))
		return rc;
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No certification with id %lld.", (long long)id);
	}
	*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return 0;
}

static int cert_validate(struct nl_ctx *ctx, const struct nl_cert_input *in)
{
	struct nl_date ob, ex;
	int rc;
	if (!in->name || !*in->name)
		return nl_fail(ctx->err, NL_EVALID, "name", "name must not be empty.");
	if ((rc = people_date_field(ctx, in->obtained_on, "obtained_on", &ob)))
		return rc;
	if (in->expires_on) {
		if ((rc = people_date_field(ctx, in->expires_on, "expires_on", &ex)))
			return rc;
		if (date_cmp(ex, ob) < 0)
			return nl_fail(ctx->err, NL_EVALID, "expires_on", "expires_on must not be before obtained_on.");
	}
	return 0;
}

int certification_create(struct nl_ctx *ctx, int64_t staff_id, const struct nl_cert_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	char at[24];
	int64_t id = 0;
	int found;
	*out = NULL;
	int rc = people_exists(ctx, "SELECT 1 FROM staff WHERE id = $1", staff_id, &found);
	if (rc)
		return rc;
	if (!found)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No staff member with id %lld.", (long long)staff_id);
	if ((rc = cert_validate(ctx, in)))
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO certifications (staff_id, name, issuer, number, obtained_on, expires_on, created_at)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", &st)))
		goto out;
	stmt_bind_int64(st, 1, staff_id);
	stmt_bind_text(st, 2, in->name);
	stmt_bind_text(st, 3, in->issuer ? in->issuer : "");
	stmt_bind_text(st, 4, in->number ? in->number : "");
	stmt_bind_text(st, 5, in->obtained_on);
	stmt_bind_text(st, 6, in->expires_on);
	stmt_bind_text(st, 7, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || (rc = certification_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "certification", id, NULL, *out);
out:
	return people_write_end(ctx, rc, out);
}

int certification_update(struct nl_ctx *ctx, int64_t id, const struct nl_cert_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	struct nl_cert_input m;
	*out = NULL;
	int rc = certification_get(ctx, id, &before);
	if (rc)
		return rc;
	m.name = (set & NL_CERT_SET_NAME) ? in->name : json_string_value(json_object_get(before, "name"));
	m.issuer = (set & NL_CERT_SET_ISSUER) ? in->issuer : json_string_value(json_object_get(before, "issuer"));
	m.number = (set & NL_CERT_SET_NUMBER) ? in->number : json_string_value(json_object_get(before, "number"));
	m.obtained_on = (set & NL_CERT_SET_OBTAINED) ? in->obtained_on : json_string_value(json_object_get(before, "obtained_on"));
	m.expires_on = (set & NL_CERT_SET_EXPIRES) ? in->expires_on : json_string_value(json_object_get(before, "expires_on"));
	if ((rc = cert_validate(ctx, &m)))
		goto out_nobegin;
	if ((rc = db_begin(ctx->db)))
		goto out_nobegin;
	if ((rc = db_prepare(ctx->db, "UPDATE certifications SET name = $2, issuer = $3, number = $4, obtained_on = $5, expires_on = $6"
				      " WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, m.name);
	stmt_bind_text(st, 3, m.issuer ? m.issuer : "");
	stmt_bind_text(st, 4, m.number ? m.number : "");
	stmt_bind_text(st, 5, m.obtained_on);
	stmt_bind_text(st, 6, m.expires_on);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = certification_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "update", "certification", id, before, *out);
out:
	json_decref(before);
	return people_write_end(ctx, rc, out);
out_nobegin:
	json_decref(before);
	return rc;
}

int certification_delete(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = certification_get(ctx, id, out)))
		goto out;
	if ((rc = db_prepare(ctx->db, "DELETE FROM certifications WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = audit_append(ctx, "delete", "certification", id, *out, NULL);
out:
	return people_write_end(ctx, rc, out);
}

int certification_list(struct nl_ctx *ctx, const struct nl_cert_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	struct nl_date today, horizon;
	char today_s[NL_DATE_STRLEN], horizon_s[NL_DATE_STRLEN] = "";
	int more = 0;
	*items = NULL;
	*next = 0;
	int rc = people_today(ctx, &today, today_s);
	if (rc)
		return rc;
	if (f->expiring_within_days >= 0) {
		if (date_add_days(today, (int)f->expiring_within_days, &horizon) || date_format(horizon, horizon_s))
			return nl_fail(ctx->err, NL_EINVAL, "expiring_within_days", "expiring_within_days reaches past 9999.");
	}
	if ((rc = db_prepare(ctx->db, CERT_SELECT " WHERE c.id > $1"
				      " AND (CAST($2 AS BIGINT) = 0 OR c.staff_id = CAST($2 AS BIGINT))"
				      " AND (CAST($3 AS BIGINT) = 0 OR s.department_id = CAST($3 AS BIGINT))"
				      " AND (CAST($4 AS TEXT) = '' OR (c.expires_on IS NOT NULL AND c.expires_on >= $5"
				      "  AND c.expires_on <= CAST($4 AS TEXT) AND (s.left_on IS NULL OR s.left_on > $5)))"
				      " AND ($6 < 0 OR ($6 = 1 AND c.expires_on IS NOT NULL AND c.expires_on < $5)"
				      "  OR ($6 = 0 AND (c.expires_on IS NULL OR c.expires_on >= $5)))"
				      " ORDER BY c.id LIMIT $7", &st)))
		return rc;
	int64_t limit = f->limit > 0 ? f->limit : PEOPLE_NO_LIMIT;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_int64(st, 2, f->staff_id);
	stmt_bind_int64(st, 3, f->department_id);
	stmt_bind_text(st, 4, horizon_s);
	stmt_bind_text(st, 5, today_s);
	stmt_bind_int64(st, 6, f->expired < 0 ? -1 : f->expired ? 1 : 0);
	stmt_bind_int64(st, 7, limit + 1);
	json_t *arr = json_array();
	int64_t n = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == limit) {
			more = 1;
			break;
		}
		json_array_append_new(arr, cert_row(st, today));
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

/* ---- the post structure ---- */

int post_list(struct nl_ctx *ctx, int64_t department_id, json_t **items)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	*items = NULL;
	int rc = people_today(ctx, &today, today_s);
	if (rc)
		return rc;
	if ((rc = db_prepare(ctx->db, "SELECT s.department_id, d.name, s.post, s.id, s.name, s.key_post, s.backup_staff_id, b.name,"
				      " b.left_on FROM staff s JOIN departments d ON d.id = s.department_id"
				      " LEFT JOIN staff b ON b.id = s.backup_staff_id"
				      " WHERE (s.left_on IS NULL OR s.left_on > $1)"
				      " AND (CAST($2 AS BIGINT) = 0 OR s.department_id = CAST($2 AS BIGINT))"
				      " ORDER BY s.department_id, s.post, s.key_post DESC, s.id", &st)))
		return rc;
	stmt_bind_text(st, 1, today_s);
	stmt_bind_int64(st, 2, department_id);
	json_t *arr = json_array(), *cur = NULL;
	int64_t cur_dept = 0, headcount = 0, key = 0, covered = 0;
	char cur_post[512] = "";
	while ((rc = stmt_step(st)) == 1) {
		int64_t dept = stmt_column_int64(st, 0);
		const char *post = stmt_column_text(st, 2) ? stmt_column_text(st, 2) : "";
		if (!cur || dept != cur_dept || strcmp(post, cur_post) != 0) {
			cur = json_object();
			cur_dept = dept;
			snprintf(cur_post, sizeof cur_post, "%s", post);
			json_set_int(cur, "department_id", dept);
			json_set_str(cur, "department", stmt_column_text(st, 1));
			json_set_str(cur, "post", post);
			json_object_set_new(cur, "staff", json_array());
			json_array_append_new(arr, cur);
			headcount = key = covered = 0;
		}
		int is_key = stmt_column_int64(st, 5) != 0;
		int64_t backup = stmt_column_int64(st, 6);
		int backup_ok = backup > 0 && not_left(stmt_column_text(st, 8), today_s);
		json_t *p = json_object();
		json_set_int(p, "id", stmt_column_int64(st, 3));
		json_set_str(p, "name", stmt_column_text(st, 4));
		json_set_bool(p, "key_post", is_key);
		json_set_id(p, "backup_staff_id", backup);
		json_set_str(p, "backup_name", stmt_column_text(st, 7));
		if (backup > 0)
			json_set_bool(p, "backup_active", backup_ok);
		else
			json_object_set_new(p, "backup_active", json_null());
		json_array_append_new(json_object_get(cur, "staff"), p);
		headcount++;
		key += is_key;
		covered += is_key && backup_ok;
		json_set_bool(cur, "key_post", key > 0);
		json_set_int(cur, "headcount", headcount);
		json_set_int(cur, "key_staff", key);
		json_set_int(cur, "key_staff_with_backup", covered);
		if (key > 0)
			json_object_set_new(cur, "backup_coverage", json_real((double)covered / (double)key));
		else
			json_object_set_new(cur, "backup_coverage", json_null());
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}
