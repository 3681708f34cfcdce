/* catalogue_api.c — HTTP handlers for the catalogue of capability sub-areas: parse → domain → reply. */
#include "cycle/catalogue_api.h"

#include "cycle/catalogue.h"
#include "http/http.h"
#include "http/rowver.h"

#include <string.h>

#include "core/common.h"

struct area_body {
	const char *element, *code, *name, *name_en;
	int64_t sort;
	int active;
};

static const struct nl_jfield area_create_fields[] = {
	NL_JFE("element", 1, catalogue_elements, struct area_body, element),
	NL_JF("code", NL_J_STRING, 1, 1, 64, struct area_body, code),
	NL_JF("name", NL_J_STRING, 1, 1, 100, struct area_body, name),
	NL_JF("name_en", NL_J_TEXT, 0, 0, 200, struct area_body, name_en),
	NL_JF("sort", NL_J_INT, 0, 0, 1000000, struct area_body, sort),
	NL_JF("active", NL_J_BOOL, 0, 0, 0, struct area_body, active),
};
/* The order matters: bit i of `present` is field i. */
static const struct nl_jfield area_update_fields[] = {
	NL_JF("name", NL_J_STRING, 0, 1, 100, struct area_body, name),
	NL_JF("name_en", NL_J_TEXT, 0, 0, 200, struct area_body, name_en),
	NL_JF("sort", NL_J_INT, 0, 0, 1000000, struct area_body, sort),
	NL_JF("active", NL_J_BOOL, 0, 0, 0, struct area_body, active),
};

int api_areas_list(struct nl_req *r)
{
	struct nl_page p;
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc)
		return rc;
	const char *element = req_query(r, "element");
	if (element && *element && !catalogue_element_valid(element))
		return nl_fail(&r->err, NL_EINVAL, "element", "element must be people, process, technology or resources.");
	const char *a = req_query(r, "active");
	if (a && strcmp(a, "true") != 0 && strcmp(a, "false") != 0)
		return nl_fail(&r->err, NL_EINVAL, "active", "active must be true or false.");
	int active = !a ? -1 : !strcmp(a, "true");
	if ((rc = catalogue_list(&r->ctx, element && *element ? element : NULL, active, p.limit, p.cursor, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_areas_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "capability_areas", id, NULL)) || (rc = catalogue_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_areas_create(struct nl_req *r)
{
	struct area_body b = { 0 };
	uint64_t present = 0;
	json_t *out;
	int rc = req_body(r, area_create_fields, NL_ARRAY_LEN(area_create_fields), &b, &present);
	if (rc)
		return rc;
	struct nl_area_input in = { b.element, b.code, b.name, b.name_en, b.sort, b.active };
	unsigned set = ((present & 16) ? NL_AREA_SET_SORT : 0) | ((present & 32) ? NL_AREA_SET_ACTIVE : 0);
	if ((rc = catalogue_create(&r->ctx, &in, set, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_areas_update(struct nl_req *r)
{
	struct area_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, area_update_fields, NL_ARRAY_LEN(area_update_fields), &b, &present)))
		return rc;
	struct nl_area_input in = { NULL, NULL, b.name, b.name_en, b.sort, b.active };
	unsigned set = ((present & 1) ? NL_AREA_SET_NAME : 0) | ((present & 2) ? NL_AREA_SET_NAME_EN : 0) |
		((present & 4) ? NL_AREA_SET_SORT : 0) | ((present & 8) ? NL_AREA_SET_ACTIVE : 0);
	if ((rc = req_row_version(r, "capability_areas", id, NULL)) ||
		(rc = catalogue_update(&r->ctx, id, &in, set, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}
