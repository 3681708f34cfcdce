/* servicenow.h — the reduction of a ServiceNow incident event-log export (CONTRACT.md "Service records") to one
 * ticket per incident number. The export has one row per audit event of an incident; the rows of a number may come
 * in any order. Rules:
 *  - `?` (and an empty value) means empty; timestamps are `dd-mm-YYYY HH:MM` (also `/` as separator, one-digit day,
 *    month or hour, optional `:SS`) read in the organisation's time zone;
 *  - the row with the highest sys_mod_count gives the final values (the later row of the file on a tie);
 *  - first_response_at = sys_updated_at of the event with the lowest sys_mod_count whose incident_state is neither
 *    `New` nor empty (the earlier row on a tie);
 *  - assigned_at (an extension: the contract leaves it open) = sys_updated_at of the event with the lowest sys_mod_count
 *    whose assigned_to is not empty, when the export has that column (the earlier row on a tie);
 *  - priority `1 - Critical` … `4 - Low` → P1 … P4; made_sla true/false → the source's own SLA verdict;
 *  - the status history: each event's incident_state mapped to a nengli status (New → new; Active, In Progress →
 *    in_progress; Awaiting User Info, Awaiting Caller, On Hold → waiting_customer; any other "Awaiting …" →
 *    waiting_vendor (the SLA clock pauses, as in ServiceNow's classic pause conditions); Resolved → resolved; Closed,
 *    Canceled → closed; anything else is left out), in time order (sys_updated_at, then sys_mod_count), repeats merged.
 * Memory: the reducer keeps, per incident, its final row's values and 24 bytes per event — it is bounded by
 * NL_SN_MAX_INCIDENTS and NL_SN_MAX_EVENTS (an export above them is refused: split it by date). */
#ifndef NL_SERVICENOW_H
#define NL_SERVICENOW_H

#include <stddef.h>
#include <stdint.h>

#include "core/tz.h"
#include "records/sla.h"

#define NL_SN_MAX_INCIDENTS 1000000
#define NL_SN_MAX_EVENTS 8000000

/* The columns the reduction reads (header names matched case-insensitively; others are ignored). */
enum nl_sn_col {
	NL_SN_NUMBER, NL_SN_STATE, NL_SN_REASSIGNMENT, NL_SN_REOPEN, NL_SN_MOD_COUNT, NL_SN_MADE_SLA, NL_SN_OPENED_AT,
	NL_SN_UPDATED_AT, NL_SN_CONTACT_TYPE, NL_SN_PRIORITY, NL_SN_GROUP, NL_SN_RESOLVED_AT, NL_SN_CLOSED_AT,
	NL_SN_CATEGORY, NL_SN_ASSIGNED_TO, NL_SN_SHORT_DESCRIPTION,
	NL_SN_NCOLS
};
/* The header name of each column ("number", "incident_state", ...). */
extern const char *const nl_sn_col_names[NL_SN_NCOLS];
/* 1 for the columns an export must have: number, incident_state, sys_mod_count, opened_at, sys_updated_at, priority. */
int sn_col_required(enum nl_sn_col c);

/* Parses a ServiceNow timestamp (n bytes) read in zone tz into Unix seconds. `?` or empty: *out = 0, returns 0.
 * Returns 0 or NL_EVALID. */
int sn_parse_time(const char *s, size_t n, const struct nl_tz *tz, int64_t *out) __attribute__((warn_unused_result));
/* "1 - Critical" … "4 - Low" (also "1".."4" and "P1".."P4") → "P1".."P4"; NULL when not a priority. */
const char *sn_priority(const char *s);
/* The nengli status of an incident_state, NULL for empty, `?` and unknown states. */
const char *sn_status(const char *state);

struct nl_sn;   /* the reducer: owned by its creator, sn_free */

/* One reduced incident, valid until the next sn_incident call or sn_free. */
struct nl_sn_incident {
	const char *number;
	int64_t line;                    /* the line of the row giving the final values */
	size_t rows;                     /* events seen for this number */
	const char *values[NL_SN_NCOLS]; /* the final row's values, "" when empty, `?` or the column is absent */
	const char *priority;            /* P1..P4 */
	const char *state_status;        /* sn_status of the final incident_state, NULL when unknown */
	int64_t opened_at, resolved_at, closed_at, first_response_at, assigned_at;   /* 0: none */
	int64_t reassignment_count, reopen_count;
	int made_sla;                    /* -1 none, 0, 1 */
	const struct nl_status_change *history;   /* the status history (see above) */
	size_t nhistory;
};

int sn_new(struct nl_sn **out) __attribute__((warn_unused_result));
void sn_free(struct nl_sn *sn);
/* Adds one event row: vals[c] is the value of column c (NULL when the export has no such column), read in zone tz.
 * Returns 0; NL_EVALID with a reason in `reason` for a row that cannot be used (empty number, bad sys_mod_count,
 * bad timestamp, bad priority, bad count, bad made_sla); NL_ETOOLARGE past the bounds (reason says which);
 * NL_ENOMEM. */
int sn_add(struct nl_sn *sn, const char *const vals[NL_SN_NCOLS], int64_t line, const struct nl_tz *tz, char *reason,
	size_t reasonlen) __attribute__((warn_unused_result));
/* The number of incidents (distinct numbers) added. */
size_t sn_count(const struct nl_sn *sn);
/* Reduces incident i (0 ≤ i < sn_count, in the order of first appearance) into *out. Returns 0, or NL_EVALID with a
 * reason (the final row has no opened_at or no priority) and out->line set, or NL_ENOMEM. */
int sn_incident(struct nl_sn *sn, size_t i, const struct nl_tz *tz, struct nl_sn_incident *out, char *reason,
	size_t reasonlen) __attribute__((warn_unused_result));

#endif
