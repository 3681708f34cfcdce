/* partner_measure.h — numbers about partners computed from the records:
 *   · a partner's record measures over a period (the source of assessment dimensions "measure:<key>"): from the tickets
 *     linked to the partner (tickets.partner_id, by opened_day — a ticket belongs to the period it was opened in, as
 *     everywhere in nengli), their satisfaction ratings, and the complaints naming the partner (complaints.partner_id, by
 *     received_day);
 *   · partner_score_avg for the measurement plan: the mean of the assessment totals of a period.
 * Read-only: every function here only SELECTs, and may run inside the caller's transaction. */
#ifndef NL_PARTNER_MEASURE_H
#define NL_PARTNER_MEASURE_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "cycle/period.h"

/* The counts behind a partner's record measures over one period. */
struct nl_partner_records {
	int64_t tickets;              /* linked tickets opened in the period */
	int64_t resolved;             /* of those, with a resolved_at */
	int64_t sla_response_n, sla_response_met;
	int64_t sla_resolution_n, sla_resolution_met;
	int64_t ratings, rating_sum, satisfied;   /* satisfaction ratings of those tickets (1–5); satisfied: 4–5 */
	int64_t complaints;           /* complaints naming the partner received in the period */
};

/* Reads the counts for partner_id over period p. Returns 0 or a store error (NL_EVALID for an invalid period). */
int partner_records_read(struct nl_ctx *ctx, int64_t partner_id, struct nl_period p, struct nl_partner_records *out)
	__attribute__((warn_unused_result));

/* One record measure (a key of partner_rules.h's table) from the counts: *has = 1 with *value, *num and *den when
 * the denominator is not 0; *has = 0 otherwise (complaint_rate without linked tickets, satisfaction without ratings,
 * an SLA rate with nothing measured) and a sentence in note[0..notelen) saying what is missing. Returns 0 or
 * NL_EVALID for an unknown key. */
int partner_records_measure(const struct nl_partner_records *r, const char *key, int *has, double *value, double *num,
	double *den, char *note, size_t notelen) __attribute__((warn_unused_result));

/* The counts as JSON {"tickets","resolved",...,"complaints"} (the caller owns it). */
json_t *partner_records_json(const struct nl_partner_records *r);

/* The measures of the measurement plan this room computes (for the lead to wire into cycle/measure.c's
 * measure_value()):
 *   partner_score_avg — the mean total (0–100) of the partner assessments of the quarters lying within p (a year: its
 *   four quarters; a quarter: itself; a month holds no quarter, so it has no value), of every partner when
 *   department_id is 0, else of the partners whose department_id is that department. *num = the sum of the totals,
 *   *den = the number of assessments.
 * Sets *has to 0 (and the three numbers to NAN) when no assessment falls in p. Returns 0, NL_EVALID for another key
 * or an invalid period, or a store error. */
int partner_measure(struct nl_ctx *ctx, const char *key, int64_t department_id, struct nl_period p, int *has,
	double *value, double *num, double *den) __attribute__((warn_unused_result));

#endif
