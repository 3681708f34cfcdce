/* sla_api.c — HTTP handlers for business calendars (with their holidays and make-up workdays) and SLA policies:
 * parse → domain (calendar.c, sla.c) → reply. */
#include "records/sla_api.h"

#include "http/http.h"
#include "http/rowver.h"
#include "org/org.h"
#include "records/calendar.h"
#include "records/sla.h"

#include <string.h>

#include "core/common.h"

static const char *const weekday_values[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };

struct calendar_body {
	const char *name, *timezone;
	json_t *work_periods, *weekdays;
};

static const struct nl_jfield calendar_create_fields[] = {
	NL_JF("name", NL_J_STRING, 1, 1, NL_CALENDAR_NAME_MAX, struct calendar_body, name),
	NL_JF("timezone", NL_J_STRING, 0, 1, 64, struct calendar_body, timezone),
	NL_JF("work_periods", NL_J_ANY, 1, 0, 0, struct calendar_body, work_periods),
	{ "weekdays", NL_J_STRINGS, 0, 0, 3, 3, weekday_values, offsetof(struct calendar_body, weekdays) },
};
/* The order matters: bit i of `present` is field i (NL_CALENDAR_SET_* follow it). */
static const struct nl_jfield calendar_update_fields[] = {
	NL_JF("name", NL_J_STRING, 0, 1, NL_CALENDAR_NAME_MAX, struct calendar_body, name),
	NL_JF("timezone", NL_J_STRING, 0, 1, 64, struct calendar_body, timezone),
	NL_JF("work_periods", NL_J_ANY, 0, 0, 0, struct calendar_body, work_periods),
	{ "weekdays", NL_J_STRINGS, 0, 0, 3, 3, weekday_values, offsetof(struct calendar_body, weekdays) },
};

int api_calendars_list(struct nl_req *r)
{
	struct nl_page p;
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = calendar_list(&r->ctx, p.limit, p.cursor, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_calendars_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "calendars", id, NULL)) || (rc = calendar_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_calendars_create(struct nl_req *r)
{
	struct calendar_body b = { 0 };
	char zone[80];
	json_t *out, *weekdays = NULL;
	int rc = req_body(r, calendar_create_fields, NL_ARRAY_LEN(calendar_create_fields), &b, NULL);
	if (rc)
		return rc;
	/* defaults: the organisation's time zone, Monday to Friday */
	if (!b.timezone) {
		if ((rc = settings_value(&r->ctx, "timezone", "Asia/Shanghai", zone, sizeof zone)))
			return rc;
		b.timezone = zone;
	}
	if (!b.weekdays)
		b.weekdays = weekdays = json_pack("[sssss]", "mon", "tue", "wed", "thu", "fri");
	struct nl_calendar_input in = { b.name, b.timezone, b.work_periods, b.weekdays };
	rc = calendar_create(&r->ctx, &in, &out);
	json_decref(weekdays);
	return rc ? rc : reply_json(r, 201, out);
}

int api_calendars_update(struct nl_req *r)
{
	struct calendar_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, calendar_update_fields, NL_ARRAY_LEN(calendar_update_fields), &b, &present)))
		return rc;
	struct nl_calendar_input in = { b.name, b.timezone, b.work_periods, b.weekdays };
	if ((rc = req_row_version(r, "calendars", id, NULL)) ||
		(rc = calendar_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

int api_calendar_days_list(struct nl_req *r)
{
	struct nl_page p;
	int64_t id, year;
	json_t *items;
	int64_t next;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_page(r, &p)))
		return rc;
	const char *y = req_query(r, "year");
	if (y && *y && (rc = req_query_int(r, "year", 1900, 9999, 0, &year)))
		return rc;
	if (!y || !*y)
		year = 0;
	if ((rc = calendar_days_list(&r->ctx, id, (int)year, p.limit, p.cursor, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_calendar_days_import(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	const char *format = req_query(r, "format");
	if (!format || (strcmp(format, "csv") && strcmp(format, "ics")))
		return nl_fail(&r->err, NL_EINVAL, "format", "Give ?format=csv or ?format=ics.");
	if ((rc = calendar_days_import(&r->ctx, id, format, r->raw_body ? r->raw_body : "", r->raw_len, &out)))
		return rc;
	return reply_json(r, 200, out);
}

struct day_body {
	const char *kind, *name;
};

static const char *const kind_values[] = { "holiday", "workday", NULL };

static const struct nl_jfield day_fields[] = {
	NL_JFE("kind", 1, kind_values, struct day_body, kind),
	NL_JF("name", NL_J_TEXT, 0, 0, NL_CALENDAR_DAY_NAME_MAX, struct day_body, name),
};

int api_calendar_day_put(struct nl_req *r)
{
	struct day_body b = { 0 };
	int64_t id;
	int created = 0;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, day_fields, NL_ARRAY_LEN(day_fields), &b, NULL)))
		return rc;
	if ((rc = calendar_day_put(&r->ctx, id, req_param(r, "date"), b.kind, b.name, &out, &created)))
		return rc;
	return reply_json(r, created ? 201 : 200, out);
}

int api_calendar_day_delete(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = calendar_day_delete(&r->ctx, id, req_param(r, "date"), &out)))
		return rc;
	return reply_json(r, 200, out);
}

/* ---- SLA policies ---- */

struct policy_body {
	const char *name, *priority, *category;
	int64_t department_id, calendar_id, response_minutes, resolution_minutes;
	int active;
};

static const char *const priority_values[] = { "P1", "P2", "P3", "P4", NULL };

/* The order matters: bit i of `present` is field i (NL_SLA_SET_* follow it). */
static const struct nl_jfield policy_fields[] = {
	NL_JF("name", NL_J_STRING, 0, 1, 100, struct policy_body, name),
	NL_JFE("priority", 0, priority_values, struct policy_body, priority),
	NL_JFN("category", NL_J_STRING, 0, 1, 100, struct policy_body, category),
	NL_JFN("department_id", NL_J_ID, 0, 0, 0, struct policy_body, department_id),
	NL_JF("calendar_id", NL_J_ID, 0, 0, 0, struct policy_body, calendar_id),
	NL_JF("response_minutes", NL_J_INT, 0, 1, 525600, struct policy_body, response_minutes),
	NL_JF("resolution_minutes", NL_J_INT, 0, 1, 525600, struct policy_body, resolution_minutes),
	NL_JF("active", NL_J_BOOL, 0, 0, 0, struct policy_body, active),
};

/* Fields a creation needs, by their bit in `present`. */
static const struct {
	unsigned bit;
	const char *name;
} policy_required[] = {
	{ NL_SLA_SET_NAME, "name" }, { NL_SLA_SET_PRIORITY, "priority" }, { NL_SLA_SET_CALENDAR, "calendar_id" },
	{ NL_SLA_SET_RESPONSE, "response_minutes" }, { NL_SLA_SET_RESOLUTION, "resolution_minutes" },
};

int api_sla_policies_list(struct nl_req *r)
{
	struct nl_page p;
	struct nl_sla_policy_filter f = { .active = -1 };
	json_t *items;
	int64_t next;
	int rc = req_page(r, &p);
	if (rc || (rc = req_query_int(r, "calendar_id", 1, INT64_MAX, 0, &f.calendar_id)))
		return rc;
	f.priority = req_query(r, "priority");
	if (f.priority && *f.priority) {
		int ok = 0;
		for (int i = 0; priority_values[i]; i++)
			ok |= !strcmp(f.priority, priority_values[i]);
		if (!ok)
			return nl_fail(&r->err, NL_EINVAL, "priority", "priority is P1, P2, P3 or P4.");
	} else {
		f.priority = NULL;
	}
	const char *a = req_query(r, "active");
	if (a && strcmp(a, "true") && strcmp(a, "false"))
		return nl_fail(&r->err, NL_EINVAL, "active", "active must be true or false.");
	if (a)
		f.active = !strcmp(a, "true");
	f.limit = p.limit;
	f.cursor = p.cursor;
	if ((rc = sla_policy_list(&r->ctx, &f, &items, &next)))
		return rc;
	return reply_list(r, items, next);
}

int api_sla_policies_get(struct nl_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_row_version(r, "sla_policies", id, NULL)) || (rc = sla_policy_get(&r->ctx, id, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}

static struct nl_sla_policy_input policy_input(const struct policy_body *b)
{
	struct nl_sla_policy_input in = { .name = b->name, .priority = b->priority, .category = b->category,
		.department_id = b->department_id, .calendar_id = b->calendar_id, .response_minutes = b->response_minutes,
		.resolution_minutes = b->resolution_minutes, .active = b->active };
	return in;
}

int api_sla_policies_create(struct nl_req *r)
{
	struct policy_body b = { .active = 1 };
	uint64_t present = 0;
	json_t *out;
	int rc = req_body(r, policy_fields, NL_ARRAY_LEN(policy_fields), &b, &present);
	if (rc)
		return rc;
	for (size_t i = 0; i < NL_ARRAY_LEN(policy_required); i++)
		if (!(present & policy_required[i].bit))
			return nl_fail(&r->err, NL_EVALID, policy_required[i].name, "%s is required.", policy_required[i].name);
	if (!(present & NL_SLA_SET_ACTIVE))
		b.active = 1;
	struct nl_sla_policy_input in = policy_input(&b);
	if ((rc = sla_policy_create(&r->ctx, &in, &out)))
		return rc;
	return reply_json(r, 201, out);
}

int api_sla_policies_update(struct nl_req *r)
{
	struct policy_body b = { 0 };
	uint64_t present = 0;
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_body(r, policy_fields, NL_ARRAY_LEN(policy_fields), &b, &present)))
		return rc;
	struct nl_sla_policy_input in = policy_input(&b);
	if ((rc = req_row_version(r, "sla_policies", id, NULL)) ||
		(rc = sla_policy_update(&r->ctx, id, &in, (unsigned)present, &out)))
		return rc;
	return reply_versioned(r, 200, out);
}
