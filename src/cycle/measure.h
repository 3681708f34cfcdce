/* measure.h — the hook between the measurement plan and the measures engine: the catalogue of built-in measures
 * (DESIGN.md "Measures") that a metric may name as its source ("measure:<key>"), and the one function that gives a
 * measure's value for a department and a period.
 *
 * measure_value() asks the measures engine (src/kpi/kpi_engine.h) for the ticket, SLA, satisfaction and complaint
 * measures, and the people, partner and improvement rooms for theirs; a measure without data answers "no value" —
 * never a made-up number. */
#ifndef NL_MEASURE_H
#define NL_MEASURE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "cycle/period.h"

/* The prefix of a metric source naming a built-in measure: "measure:resolution_rate". */
#define NL_MEASURE_SOURCE_PREFIX "measure:"

/* One built-in measure. Static storage; never freed. */
struct nl_measure {
	const char *key;            /* "resolution_rate" */
	const char *unit;           /* "ratio" (a fraction, 0.95 = 95 %), "count", "minutes", "hours", "score" */
	const char *name;           /* Chinese label */
	const char *name_en;        /* English label */
	const char *direction;      /* hint for a metric on it: "higher_better", "lower_better", or NULL (neutral, e.g. volume) */
	const char *definition;     /* Chinese definition */
	const char *definition_en;  /* English definition */
};

/* Returns the number of measures in the catalogue. */
size_t measure_count(void);
/* Returns the i-th measure (catalogue order), or NULL when i >= measure_count(). */
const struct nl_measure *measure_at(size_t i);
/* Returns the measure with this key, or NULL when there is none (NULL key: NULL). */
const struct nl_measure *measure_find(const char *key);
/* Returns the measure named by a metric source "measure:<key>", or NULL when source is not of that form or the key is
 * unknown ("manual" → NULL). */
const struct nl_measure *measure_from_source(const char *source);

/* Returns the catalogue as a new JSON array of {"key","source","name","name_en","unit","direction","definition",
 * "definition_en"} (the caller owns it), or NULL when out of memory. */
json_t *measure_catalogue_json(void);

/* Computes measure `key` for department_id (0: the whole organisation) over period p.
 * Sets *has_value to 1 and *value when the records give a value; *numerator and *denominator get the two counts of a
 * ratio or average (sum and count) and NAN when the measure has none (percentiles, counts).
 * (a resolution average in hours: the sum of minutes ÷ 60 and the count).
 * Sets *has_value to 0 (and the three numbers to NAN) when there is no data for it (no tickets, nothing measured in
 * the period). Brings the engine up to date
 * first: may refresh its aggregates inside the caller's open transaction (which must not have changed records).
 * Returns 0, or NL_EVALID when key is not in the catalogue or p is not a valid period, or a store error. */
int measure_value(struct nl_ctx *ctx, const char *key, int64_t department_id, struct nl_period p, int *has_value,
	double *value, double *numerator, double *denominator) __attribute__((warn_unused_result));

#endif
