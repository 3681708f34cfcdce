/* appraisal_api.c — HTTP handlers for the appraisal criteria and appraisals: parse → domain (people/appraisal.h) →
 * reply. */
#include "people/appraisal_api.h"

#include "http/http.h"
#include "http/rowver.h"
#include "people/appraisal.h"

#include <string.h>
#include <strings.h>

#include "core/common.h"

int api_appraisal_criteria_get(struct nl_req *r)
{
	json_t *items;
	int rc = appraisal_criteria_list(&r->ctx, &items);
	if (rc)
		return rc;
	return reply_list(r, items, 0);
}

int api_appraisal_criteria_put(struct nl_req *r)
{
	json_error_t jerr;
	json_t *body = NULL, *items = NULL;
	const json_t *criteria;
	const char *prefix = "";
	const char *ct = req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return nl_fail(&r->err, NL_EMEDIA, NULL, "Send the body as application/json.");
	body = json_loadb(r->raw_body ? r->raw_body : "", r->raw_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!body)
		return nl_fail(&r->err, NL_EJSON, NULL, "The body is not valid JSON (line %d, column %d): %.120s", jerr.line,
			jerr.column, jerr.text);
	criteria = body;
	if (json_is_object(body)) {
		const char *key;
		json_t *v;
		json_object_foreach(body, key, v) {
			if (strcmp(key, "items") != 0) {
				/* the error copies the key, which belongs to the body: fail first, free after */
				int rc = nl_fail(&r->err, NL_EVALID, key, "Unknown field \"%.60s\"; send the criteria as an array.", key);
				json_decref(body);
				return rc;
			}
		}
		criteria = json_object_get(body, "items");
		prefix = "items";
	}
	if (!criteria || !json_is_array(criteria)) {
		int is_object = json_is_object(body);   /* read before the body is freed */
		json_decref(body);
		return nl_fail(&r->err, NL_EVALID, is_object ? "items" : NULL,
			"Send the criteria as a JSON array [{\"key\",\"name\",\"weight\"}].");
	}
	int rc = appraisal_criteria_put(&r->ctx, criteria, prefix, &items);
	json_decref(body);
	if (rc)
		return rc;
	return reply_list(r, items, 0);
}

int api_appraisals_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_appraisal_filter f = { 0 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "staff_id", 1, INT64_MAX, 0, &f.staff_id)) ||
		(rc = req_query_int(r, "department_id", 1, INT64_MAX, 0, &f.department_id)) ||
		(rc = req_query_int(r, "year", 1900, 9999, 0, &f.year)))
		return rc;
	f.period = req_query(r, "period");
	f.grade = req_query(r, "grade");
	if (f.period && !*f.period)
		f.period = NULL;
	if (f.grade && !*f.grade)
		f.grade = NULL;
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = appraisal_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

struct appraisal_body {
	int64_t staff_id;
	const char *period, *comment;
	json_t *scores;
};
static const struct nl_jfield appraisal_create_fields[] = {
	NL_JF("staff_id", NL_J_ID, 1, 0, 0, struct appraisal_body, staff_id),
	NL_JF("period", NL_J_STRING, 1, 1, 16, struct appraisal_body, period),
	NL_JF("scores", NL_J_OBJECT, 1, 0, 0, struct appraisal_body, scores),
	NL_JF("comment", NL_J_TEXT, 0, 0, 4000, struct appraisal_body, comment),
};
static const struct nl_jfield appraisal_update_fields[] = {
	NL_JF("scores", NL_J_OBJECT, 0, 0, 0, struct appraisal_body, scores),
	NL_JF("comment", NL_J_TEXT, 0, 0, 4000, struct appraisal_body, comment),
};

int api_appraisals_create(struct nl_req *r)
{
	struct appraisal_body b = { 0 };
	json_t *out;
	int rc = req_body(r, appraisal_create_fields, NL_ARRAY_LEN(appraisal_create_fields), &b, NULL);
	if (rc || (rc = appraisal_create(&r->ctx, b.staff_id, b.period, b.scores, b.comment, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_appraisals_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "appraisals", id, NULL)) || (rc = appraisal_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_appraisals_update(struct nl_req *r)
{
	struct appraisal_body b = { 0 };
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, appraisal_update_fields, NL_ARRAY_LEN(appraisal_update_fields), &b, NULL)) ||
		(rc = req_row_version(r, "appraisals", id, NULL)) ||
			(rc = appraisal_update(&r->ctx, id, b.scores, b.comment, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_appraisals_delete(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = appraisal_delete(&r->ctx, id, &out)))
		return rc;
	return reply_json(r, 200, out);
}
