/* test_servicenow.c — the reduction of a ServiceNow incident event log (records/servicenow.h): the highest
 * sys_mod_count gives the final values, a tie goes to the later row, the first response is the lowest sys_mod_count
 * whose state is neither New nor empty, `?` is empty, priorities map to P1..P4, timestamps are read in the zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/date.h"
#include "core/err.h"
#include "core/tz.h"
#include "records/servicenow.h"
#include "core/common.h"

static const struct nl_tz *shanghai;

static int64_t ts(const char *rfc3339)
{
	int64_t t;
	assert_int_equal(date_timestamp_parse(rfc3339, &t), 0);
	return t;
}

/* One event row: number, state, mod, updated (dd-mm-YYYY HH:MM), priority, group, opened, resolved, closed, made_sla,
 * reassignment, reopen, assigned_to; NULL fields are columns the export lacks. */
struct row {
	const char *number, *state, *mod, *updated, *priority, *group, *opened, *resolved, *closed, *made_sla,
		*reassign, *reopen, *assigned;
};

static int add(struct nl_sn *sn, const struct row *r, int64_t line, char *reason)
{
	const char *v[NL_SN_NCOLS] = { 0 };
	v[NL_SN_NUMBER] = r->number;
	v[NL_SN_STATE] = r->state;
	v[NL_SN_MOD_COUNT] = r->mod;
	v[NL_SN_UPDATED_AT] = r->updated;
	v[NL_SN_PRIORITY] = r->priority;
	v[NL_SN_GROUP] = r->group;
	v[NL_SN_OPENED_AT] = r->opened;
	v[NL_SN_RESOLVED_AT] = r->resolved;
	v[NL_SN_CLOSED_AT] = r->closed;
	v[NL_SN_MADE_SLA] = r->made_sla;
	v[NL_SN_REASSIGNMENT] = r->reassign;
	v[NL_SN_REOPEN] = r->reopen;
	v[NL_SN_ASSIGNED_TO] = r->assigned;
	return sn_add(sn, v, line, shanghai, reason, 256);
}

static int setup(void **state)
{
	(void)state;
	return tz_load("Asia/Shanghai", &shanghai);
}

static void test_time_parsing(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(sn_parse_time("01-03-2027 08:00", 16, shanghai, &t), 0);
	assert_int_equal(t, ts("2027-03-01T00:00:00Z"));
	assert_int_equal(sn_parse_time("1/3/2027 8:05", 13, shanghai, &t), 0);    /* the UCI export's own shape */
	assert_int_equal(t, ts("2027-03-01T00:05:00Z"));
	assert_int_equal(sn_parse_time("29-02-2016 23:59:30", 19, shanghai, &t), 0);
	assert_int_equal(t, ts("2016-02-29T15:59:30Z"));
	assert_int_equal(sn_parse_time("?", 1, shanghai, &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(sn_parse_time("", 0, shanghai, &t), 0);
	assert_int_equal(t, 0);
	static const char *const bad[] = { "2027-03-01 08:00", "31-02-2027 08:00", "01-03-27 08:00", "01-03-2027",
		"01-03-2027 24:00", "01-03-2027 08:60", "01-03/2027 08:00", "01-03-2027 08:00x", "x" };
	for (size_t i = 0; i < NL_ARRAY_LEN(bad); i++)
		assert_int_equal(sn_parse_time(bad[i], strlen(bad[i]), shanghai, &t), NL_EVALID);
	/* Another zone: New York in winter is UTC−5, in summer UTC−4. */
	const struct nl_tz *ny;
	if (tz_load("America/New_York", &ny) == 0) {
		assert_int_equal(sn_parse_time("15-01-2027 09:00", 16, ny, &t), 0);
		assert_int_equal(t, ts("2027-01-15T14:00:00Z"));
		assert_int_equal(sn_parse_time("15-07-2027 09:00", 16, ny, &t), 0);
		assert_int_equal(t, ts("2027-07-15T13:00:00Z"));
	}
}

static void test_priority_and_status_mapping(void **state)
{
	(void)state;
	assert_string_equal(sn_priority("1 - Critical"), "P1");
	assert_string_equal(sn_priority("2 - High"), "P2");
	assert_string_equal(sn_priority("3 - Moderate"), "P3");
	assert_string_equal(sn_priority("4 - Low"), "P4");
	assert_string_equal(sn_priority("P2"), "P2");
	assert_null(sn_priority("5 - Planning"));
	assert_null(sn_priority("?"));
	assert_null(sn_priority("High"));
	assert_string_equal(sn_status("New"), "new");
	assert_string_equal(sn_status("Active"), "in_progress");
	assert_string_equal(sn_status("Awaiting User Info"), "waiting_customer");
	assert_string_equal(sn_status("Awaiting Vendor"), "waiting_vendor");
	assert_string_equal(sn_status("Awaiting Problem"), "waiting_vendor");
	assert_string_equal(sn_status("Resolved"), "resolved");
	assert_string_equal(sn_status("Closed"), "closed");
	assert_null(sn_status("?"));
	assert_null(sn_status("-100"));
}

static void test_last_event_wins_in_any_order(void **state)
{
	(void)state;
	struct nl_sn *sn;
	char reason[256];
	assert_int_equal(sn_new(&sn), 0);
	/* INC1's events shuffled, interleaved with INC2's. */
	const struct row rows[] = {
		{ "INC1", "Active", "2", "01-03-2027 10:00", "3 - Moderate", "Group A", "01-03-2027 08:00", "?", "?", "true", "1", "0", "Resolver 1" },
		{ "INC2", "New", "0", "02-03-2027 09:00", "4 - Low", "?", "02-03-2027 09:00", "?", "?", "true", "0", "0", "?" },
		{ "INC1", "Closed", "4", "03-03-2027 12:00", "2 - High", "Group B", "01-03-2027 08:00", "02-03-2027 17:30", "03-03-2027 12:00", "false", "2", "1", "Resolver 2" },
		{ "INC1", "New", "0", "01-03-2027 08:00", "3 - Moderate", "?", "01-03-2027 08:00", "?", "?", "true", "0", "0", "?" },
		{ "INC1", "Resolved", "3", "02-03-2027 17:30", "2 - High", "Group B", "01-03-2027 08:00", "02-03-2027 17:30", "?", "false", "2", "0", "Resolver 2" },
		{ "INC1", "New", "1", "01-03-2027 09:15", "3 - Moderate", "Group A", "01-03-2027 08:00", "?", "?", "true", "1", "0", "Resolver 1" },
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(rows); i++)
		assert_int_equal(add(sn, &rows[i], (int64_t)i + 2, reason), 0);
	assert_int_equal(sn_count(sn), 2);
	struct nl_sn_incident in;
	assert_int_equal(sn_incident(sn, 0, shanghai, &in, reason, sizeof reason), 0);
	assert_string_equal(in.number, "INC1");
	assert_int_equal(in.rows, 5);
	assert_int_equal(in.line, 4);                                  /* sys_mod_count 4 is on line 4 */
	assert_string_equal(in.priority, "P2");
	assert_string_equal(in.values[NL_SN_GROUP], "Group B");
	assert_string_equal(in.state_status, "closed");
	assert_int_equal(in.opened_at, ts("2027-03-01T00:00:00Z"));
	assert_int_equal(in.resolved_at, ts("2027-03-02T09:30:00Z"));
	assert_int_equal(in.closed_at, ts("2027-03-03T04:00:00Z"));
	assert_int_equal(in.reassignment_count, 2);
	assert_int_equal(in.reopen_count, 1);
	assert_int_equal(in.made_sla, 0);
	/* first response: the lowest sys_mod_count whose state is not New: mod 2 (Active) at 10:00 local. */
	assert_int_equal(in.first_response_at, ts("2027-03-01T02:00:00Z"));
	/* assigned: the lowest sys_mod_count with assigned_to: mod 1 at 09:15 local (its state New does not matter). */
	assert_int_equal(in.assigned_at, ts("2027-03-01T01:15:00Z"));
	/* history in time order, repeats merged: new 08:00, in_progress 10:00, resolved, closed. */
	assert_int_equal(in.nhistory, 4);
	assert_string_equal(in.history[0].status, "new");
	assert_int_equal(in.history[0].at, ts("2027-03-01T00:00:00Z"));
	assert_string_equal(in.history[1].status, "in_progress");
	assert_string_equal(in.history[2].status, "resolved");
	assert_string_equal(in.history[3].status, "closed");

	assert_int_equal(sn_incident(sn, 1, shanghai, &in, reason, sizeof reason), 0);
	assert_string_equal(in.number, "INC2");
	assert_int_equal(in.first_response_at, 0);                     /* only New */
	assert_int_equal(in.assigned_at, 0);
	assert_string_equal(in.values[NL_SN_GROUP], "");               /* `?` is empty */
	assert_int_equal(in.resolved_at, 0);
	assert_int_equal(in.made_sla, 1);
	sn_free(sn);
}

static void test_tie_goes_to_the_later_row(void **state)
{
	(void)state;
	struct nl_sn *sn;
	char reason[256];
	assert_int_equal(sn_new(&sn), 0);
	const struct row rows[] = {
		{ "INC9", "New", "0", "01-03-2027 08:00", "4 - Low", "G1", "01-03-2027 08:00", "?", "?", "?", "0", "0", NULL },
		{ "INC9", "Active", "1", "01-03-2027 09:00", "3 - Moderate", "G1", "01-03-2027 08:00", "?", "?", "?", "0", "0", NULL },
		{ "INC9", "Awaiting User Info", "1", "01-03-2027 08:30", "1 - Critical", "G2", "01-03-2027 08:00", "?", "?", "?", "3", "0", NULL },
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(rows); i++)
		assert_int_equal(add(sn, &rows[i], (int64_t)i + 2, reason), 0);
	struct nl_sn_incident in;
	assert_int_equal(sn_incident(sn, 0, shanghai, &in, reason, sizeof reason), 0);
	assert_int_equal(in.line, 4);                                  /* the later of the two mod-1 rows */
	assert_string_equal(in.priority, "P1");
	assert_string_equal(in.values[NL_SN_GROUP], "G2");
	assert_int_equal(in.reassignment_count, 3);
	assert_int_equal(in.made_sla, -1);                             /* `?` */
	assert_string_equal(in.state_status, "waiting_customer");
	/* first response among the two mod-1 rows: the earlier row (Active at 09:00), not the earlier time. */
	assert_int_equal(in.first_response_at, ts("2027-03-01T01:00:00Z"));
	assert_int_equal(in.assigned_at, 0);                           /* no assigned_to column */
	/* history by time: new 08:00, waiting_customer 08:30, in_progress 09:00 */
	assert_int_equal(in.nhistory, 3);
	assert_string_equal(in.history[1].status, "waiting_customer");
	assert_string_equal(in.history[2].status, "in_progress");
	sn_free(sn);
}

static void test_first_response_skips_empty_state(void **state)
{
	(void)state;
	struct nl_sn *sn;
	char reason[256];
	assert_int_equal(sn_new(&sn), 0);
	const struct row rows[] = {
		{ "INC5", "Resolved", "7", "05-03-2027 10:00", "2 - High", "?", "01-03-2027 08:00", "05-03-2027 10:00", "?", "true", "?", "?", NULL },
		{ "INC5", "?", "1", "01-03-2027 08:10", "2 - High", "?", "01-03-2027 08:00", "?", "?", "true", "?", "?", NULL },
		{ "INC5", "New", "0", "01-03-2027 08:00", "2 - High", "?", "01-03-2027 08:00", "?", "?", "true", "?", "?", NULL },
		{ "INC5", "Awaiting Vendor", "3", "02-03-2027 11:00", "2 - High", "?", "01-03-2027 08:00", "?", "?", "true", "?", "?", NULL },
		{ "inc5", "Active", "2", "01-03-2027 08:20", "2 - High", "?", "01-03-2027 08:00", "?", "?", "true", "?", "?", NULL },
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(rows); i++)
		assert_int_equal(add(sn, &rows[i], (int64_t)i + 2, reason), 0);
	assert_int_equal(sn_count(sn), 2);                             /* numbers are case-sensitive */
	struct nl_sn_incident in;
	assert_int_equal(sn_incident(sn, 0, shanghai, &in, reason, sizeof reason), 0);
	/* mod 1 has an empty state, mod 0 is New: the first response is mod 3 (Awaiting Vendor). */
	assert_int_equal(in.first_response_at, ts("2027-03-02T03:00:00Z"));
	assert_int_equal(in.reassignment_count, 0);                    /* `?` counts */
	assert_int_equal(in.reopen_count, 0);
	sn_free(sn);
}

static void test_bad_rows_refused(void **state)
{
	(void)state;
	struct nl_sn *sn;
	char reason[256];
	assert_int_equal(sn_new(&sn), 0);
	const struct row bad[] = {
		{ "?", "New", "0", "01-03-2027 08:00", "4 - Low", "?", "01-03-2027 08:00", "?", "?", "?", "0", "0", NULL },
		{ "INC1", "New", "x", "01-03-2027 08:00", "4 - Low", "?", "01-03-2027 08:00", "?", "?", "?", "0", "0", NULL },
		{ "INC1", "New", "0", "2027-03-01 08:00", "4 - Low", "?", "01-03-2027 08:00", "?", "?", "?", "0", "0", NULL },
		{ "INC1", "New", "0", "01-03-2027 08:00", "Urgent", "?", "01-03-2027 08:00", "?", "?", "?", "0", "0", NULL },
		{ "INC1", "New", "0", "01-03-2027 08:00", "4 - Low", "?", "01-03-2027 08:00", "?", "?", "maybe", "0", "0", NULL },
		{ "INC1", "New", "0", "01-03-2027 08:00", "4 - Low", "?", "01-13-2027 08:00", "?", "?", "?", "0", "0", NULL },
		{ "INC1", "New", "0", "?", "4 - Low", "?", "01-03-2027 08:00", "?", "?", "?", "0", "0", NULL },
		{ "INC1", "New", "0", "01-03-2027 08:00", "4 - Low", "?", "01-03-2027 08:00", "?", "?", "?", "-1", "0", NULL },
	};
	for (size_t i = 0; i < NL_ARRAY_LEN(bad); i++) {
		reason[0] = '\0';
		assert_int_equal(add(sn, &bad[i], 2, reason), NL_EVALID);
		assert_true(strlen(reason) > 0);
	}
	assert_int_equal(sn_count(sn), 0);
	/* A final row without opened_at or priority is refused when reduced, naming its line. */
	const struct row r1 = { "INC7", "New", "0", "01-03-2027 08:00", "?", "?", "01-03-2027 08:00", "?", "?", "?", "0", "0", NULL };
	const struct row r2 = { "INC7", "Active", "1", "01-03-2027 09:00", "?", "?", "?", "?", "?", "?", "0", "0", NULL };
	assert_int_equal(add(sn, &r1, 10, reason), 0);
	assert_int_equal(add(sn, &r2, 11, reason), 0);
	struct nl_sn_incident in;
	assert_int_equal(sn_incident(sn, 0, shanghai, &in, reason, sizeof reason), NL_EVALID);
	assert_int_equal(in.line, 11);
	assert_non_null(strstr(reason, "opened_at"));
	sn_free(sn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parsing),
		cmocka_unit_test(test_priority_and_status_mapping),
		cmocka_unit_test(test_last_event_wins_in_any_order),
		cmocka_unit_test(test_tie_goes_to_the_later_row),
		cmocka_unit_test(test_first_response_skips_empty_state),
		cmocka_unit_test(test_bad_rows_refused),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
