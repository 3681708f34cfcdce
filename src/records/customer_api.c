/* customer_api.c — HTTP handlers for customers: parse → domain (customer.c) → reply. */
#include "records/customer_api.h"

#include "http/http.h"
#include "http/rowver.h"
#include "records/customer.h"

#include "core/common.h"

struct customer_body {
	const char *name, *organisation, *phone, *email, *notes;
};

/* The order matters for PATCH: bit i of `present` is field i. */
static const struct nl_jfield customer_fields[] = {
	NL_JF("name", NL_J_STRING, 1, 1, 200, struct customer_body, name),
	NL_JF("organisation", NL_J_TEXT, 0, 0, 200, struct customer_body, organisation),
	NL_JF("phone", NL_J_TEXT, 0, 0, 20, struct customer_body, phone),
	NL_JF("email", NL_J_TEXT, 0, 0, 254, struct customer_body, email),
	NL_JF("notes", NL_J_TEXT, 0, 0, 4000, struct customer_body, notes),
};
static const struct nl_jfield customer_patch_fields[] = {
	NL_JF("name", NL_J_STRING, 0, 1, 200, struct customer_body, name),
	NL_JF("organisation", NL_J_TEXT, 0, 0, 200, struct customer_body, organisation),
	NL_JF("phone", NL_J_TEXT, 0, 0, 20, struct customer_body, phone),
	NL_JF("email", NL_J_TEXT, 0, 0, 254, struct customer_body, email),
	NL_JF("notes", NL_J_TEXT, 0, 0, 4000, struct customer_body, notes),
};

int api_customers_list(struct nl_req *r)
{
	struct nl_page p;
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = customer_list(&r->ctx, req_query(r, "q"), p.limit, p.cursor, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_customers_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "customers", id, NULL)) || (rc = customer_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_customers_create(struct nl_req *r)
{
	struct customer_body b = { 0 };
	json_t *out;
	int rc = req_body(r, customer_fields, NL_ARRAY_LEN(customer_fields), &b, NULL);
	if (rc)
		return rc;
	struct nl_customer_input in = { b.name, b.organisation, b.phone, b.email, b.notes };
	if ((rc = customer_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_customers_update(struct nl_req *r)
{
	struct customer_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, customer_patch_fields, NL_ARRAY_LEN(customer_patch_fields), &b, &present)))
		return rc;
	struct nl_customer_input in = { b.name, b.organisation, b.phone, b.email, b.notes };
	unsigned set = ((present & 1) ? NL_CUSTOMER_SET_NAME : 0) | ((present & 2) ? NL_CUSTOMER_SET_ORGANISATION : 0) |
		((present & 4) ? NL_CUSTOMER_SET_PHONE : 0) | ((present & 8) ? NL_CUSTOMER_SET_EMAIL : 0) |
		((present & 16) ? NL_CUSTOMER_SET_NOTES : 0);
	if ((rc = req_row_version(r, "customers", id, NULL)) || (rc = customer_update(&r->ctx, id, &in, set, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}
