/* staff_api.c — HTTP handlers for staff records, skills, certifications and the post structure: parse → domain
 * (people/staff.h) → reply. */
#include "people/staff_api.h"

#include "http/http.h"
#include "http/rowver.h"
#include "people/staff.h"

#include <string.h>

#include "core/common.h"

int people_query_bool(struct nl_req *r, const char *name, int *out)
{
	const char *s = req_query(r, name);
	*out = -1;
	if (!s || !*s)
		return 0;
	if (strcmp(s, "true") && strcmp(s, "false"))
		return nl_fail(&r->err, NL_EINVAL, name, "%s must be true or false.", name);
	*out = !strcmp(s, "true");
	return 0;
}

struct staff_body {
	const char *name, *post, *hired_on, *left_on;
	int64_t user_id, department_id, backup_staff_id;
	int key_post;
};

static const struct nl_jfield staff_create_fields[] = {
	NL_JF("name", NL_J_STRING, 1, 1, 100, struct staff_body, name),
	NL_JFN("user_id", NL_J_ID, 0, 0, 0, struct staff_body, user_id),
	NL_JF("department_id", NL_J_ID, 1, 0, 0, struct staff_body, department_id),
	NL_JF("post", NL_J_TEXT, 0, 0, 100, struct staff_body, post),
	NL_JF("key_post", NL_J_BOOL, 0, 0, 0, struct staff_body, key_post),
	NL_JFN("backup_staff_id", NL_J_ID, 0, 0, 0, struct staff_body, backup_staff_id),
	NL_JF("hired_on", NL_J_DATE, 1, 0, 0, struct staff_body, hired_on),
	NL_JFN("left_on", NL_J_DATE, 0, 0, 0, struct staff_body, left_on),
};
/* The order matters: bit i of `present` is NL_STAFF_SET_* bit i. */
static const struct nl_jfield staff_update_fields[] = {
	NL_JF("name", NL_J_STRING, 0, 1, 100, struct staff_body, name),
	NL_JFN("user_id", NL_J_ID, 0, 0, 0, struct staff_body, user_id),
	NL_JF("department_id", NL_J_ID, 0, 0, 0, struct staff_body, department_id),
	NL_JF("post", NL_J_TEXT, 0, 0, 100, struct staff_body, post),
	NL_JF("key_post", NL_J_BOOL, 0, 0, 0, struct staff_body, key_post),
	NL_JFN("backup_staff_id", NL_J_ID, 0, 0, 0, struct staff_body, backup_staff_id),
	NL_JF("hired_on", NL_J_DATE, 0, 0, 0, struct staff_body, hired_on),
	NL_JFN("left_on", NL_J_DATE, 0, 0, 0, struct staff_body, left_on),
};

static void staff_input(const struct staff_body *b, struct nl_staff_input *in)
{
	in->name = b->name;
	in->user_id = b->user_id;
	in->department_id = b->department_id;
	in->post = b->post;
	in->key_post = b->key_post;
	in->backup_staff_id = b->backup_staff_id;
	in->hired_on = b->hired_on;
	in->left_on = b->left_on;
}

int api_staff_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_staff_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)) ||
		(rc = req_query_int(r, "user_id", 1, INT64_MAX, 0, &f.user_id)) ||
		(rc = people_query_bool(r, "key_post", &f.key_post)) || (rc = people_query_bool(r, "active", &f.active)))
		return rc;
	f.post = req_query(r, "post");
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = staff_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_staff_create(struct nl_req *r)
{
	struct staff_body b = { 0 };
	struct nl_staff_input in = { 0 };
	json_t *out;
	int rc = req_body(r, staff_create_fields, NL_ARRAY_LEN(staff_create_fields), &b, NULL);
	if (rc)
		return rc;
	staff_input(&b, &in);
	if ((rc = staff_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_staff_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "staff", id, NULL)) || (rc = staff_get(&r->ctx, id, 1, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_staff_update(struct nl_req *r)
{
	struct staff_body b = { 0 };
	struct nl_staff_input in = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, staff_update_fields, NL_ARRAY_LEN(staff_update_fields), &b, &present)))
		return rc;
	staff_input(&b, &in);
	if ((rc = req_row_version(r, "staff", id, NULL)) ||
		(rc = staff_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

struct skill_body {
	const char *skill, *category, *assessed_on;
	int64_t level;
};
static const struct nl_jfield skill_fields[] = {
	NL_JF("skill", NL_J_STRING, 1, 1, 100, struct skill_body, skill),
	NL_JF("level", NL_J_INT, 1, 1, 5, struct skill_body, level),
	NL_JF("category", NL_J_TEXT, 0, 0, 100, struct skill_body, category),
	NL_JF("assessed_on", NL_J_DATE, 0, 0, 0, struct skill_body, assessed_on),
};

int api_staff_skill_set(struct nl_req *r)
{
	struct skill_body b = { 0 };
	int64_t id;
	int created = 0;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, skill_fields, NL_ARRAY_LEN(skill_fields), &b, NULL)))
		return rc;
	if ((rc = staff_skill_set(&r->ctx, id, b.skill, b.level, b.category, b.assessed_on, &out, &created)))
		return rc;
	return reply_json(r, created ? 201 : 200, out);
}

int api_staff_skill_delete(struct nl_req *r)
{
	int64_t id, skill_id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_param_id(r, "skill_id", &skill_id)) || (rc = staff_skill_delete(&r->ctx, id, skill_id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

struct cert_body {
	const char *name, *issuer, *number, *obtained_on, *expires_on;
};
static const struct nl_jfield cert_create_fields[] = {
	NL_JF("name", NL_J_STRING, 1, 1, 200, struct cert_body, name),
	NL_JF("issuer", NL_J_TEXT, 0, 0, 200, struct cert_body, issuer),
	NL_JF("number", NL_J_TEXT, 0, 0, 100, struct cert_body, number),
	NL_JF("obtained_on", NL_J_DATE, 1, 0, 0, struct cert_body, obtained_on),
	NL_JFN("expires_on", NL_J_DATE, 0, 0, 0, struct cert_body, expires_on),
};
/* The order matters: bit i of `present` is NL_CERT_SET_* bit i. */
static const struct nl_jfield cert_update_fields[] = {
	NL_JF("name", NL_J_STRING, 0, 1, 200, struct cert_body, name),
	NL_JF("issuer", NL_J_TEXT, 0, 0, 200, struct cert_body, issuer),
	NL_JF("number", NL_J_TEXT, 0, 0, 100, struct cert_body, number),
	NL_JF("obtained_on", NL_J_DATE, 0, 0, 0, struct cert_body, obtained_on),
	NL_JFN("expires_on", NL_J_DATE, 0, 0, 0, struct cert_body, expires_on),
};

int api_staff_certification_create(struct nl_req *r)
{
	struct cert_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, cert_create_fields, NL_ARRAY_LEN(cert_create_fields), &b, NULL)))
		return rc;
	struct nl_cert_input in = { b.name, b.issuer, b.number, b.obtained_on, b.expires_on };
	if ((rc = certification_create(&r->ctx, id, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_certifications_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_cert_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "staff_id", 1, INT64_MAX, 0, &f.staff_id)) ||
		(rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)) ||
		(rc = req_query_int(r, "expiring_within_days", 0, 3660, -1, &f.expiring_within_days)) ||
		(rc = people_query_bool(r, "expired", &f.expired)))
		return rc;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = certification_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_certifications_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "certifications", id, NULL)) || (rc = certification_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_certifications_update(struct nl_req *r)
{
	struct cert_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, cert_update_fields, NL_ARRAY_LEN(cert_update_fields), &b, &present)))
		return rc;
	struct nl_cert_input in = { b.name, b.issuer, b.number, b.obtained_on, b.expires_on };
	if ((rc = req_row_version(r, "certifications", id, NULL)) ||
		(rc = certification_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_certifications_delete(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = certification_delete(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_skills_list(struct nl_req *r)
{
	json_t *items;
	int rc = skill_list(&r->ctx, &items);
	if (rc)
		return rc;
	return reply_list(r, items, 0);
}

int api_skills_matrix(struct nl_req *r)
{
	int64_t dept;
	json_t *out;
	int rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &dept);
	if (rc || (rc = skill_matrix(&r->ctx, dept, &out)))
		return rc;
	return reply_json(r, 200, out);
}

int api_posts_list(struct nl_req *r)
{
	int64_t dept;
	json_t *items;
	int rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &dept);
	if (rc || (rc = post_list(&r->ctx, dept, &items)))
		return rc;
	return reply_list(r, items, 0);
}
