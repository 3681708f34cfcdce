/* kpi_engine.h — the measures engine: the ticket, SLA, satisfaction and complaint measures of DESIGN.md "Measures"
 * per department and per day range, computed from aggregates kept up to date on write, never by scanning tickets per
 * request.
 *
 * How it works (docs/guide/measures.md explains it for users):
 *  - Writers mark (department, day) pairs dirty (kpi.h). The engine's refresh recomputes exactly those pairs from
 *    tickets (by opened_day, with each ticket's rating) and complaints (by received_day) into kpi_daily: per pair one row
 *    of additive counters and the exact histograms (whole minutes) of response and resolution times; it bumps
 *    kpi_state.version and deletes the marks it read, in one transaction per batch of marks.
 *  - Every process keeps an in-memory copy: the days (counters and encoded histograms) and, per department and month,
 *    the sums and the merged histograms. A query reads kpi_state (one small statement): when pairs are dirty it
 *    refreshes them; when the version moved (another server refreshed) it loads the kpi_daily rows newer than its copy.
 *  - A period's values combine whole months from the month entries and the days of partly covered months; the
 *    percentiles are exact nearest-rank values over the union of the histograms (no averaging of averages).
 * The copy is process-wide, shared by all threads (a read-write lock; one refresh at a time); it follows the database
 * it was last used with (kpi_state.instance) and starts over when another database or an older version shows up. */
#ifndef NL_KPI_ENGINE_H
#define NL_KPI_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/date.h"
#include "core/strbuf.h"
#include "cycle/period.h"

/* The measures the engine computes, in the catalogue's order (cycle/measure.h). The people and partner measures of
 * the catalogue are not among them (no records yet): they are always absent. */
enum kpi_measure {
	KPI_M_TICKETS,
	KPI_M_RESOLUTION_RATE,
	KPI_M_FCR_RATE,
	KPI_M_RESPONSE_AVG,
	KPI_M_RESPONSE_P90,
	KPI_M_RESOLUTION_AVG,
	KPI_M_RESOLUTION_P90,
	KPI_M_WAIT_AVG,
	KPI_M_SLA_RESPONSE_RATE,
	KPI_M_SLA_RESOLUTION_RATE,
	KPI_M_SLA_SOURCE_RATE,
	KPI_M_REOPEN_RATE,
	KPI_M_SATISFACTION_AVG,
	KPI_M_SATISFIED_RATE,
	KPI_M_COMPLAINT_RATE,
	KPI_M_VALID_COMPLAINT_RATE,
	KPI_M_COMPLAINT_IN_TIME_RATE,
	KPI_NM
};

/* Every engine measure, as a mask of bits 1 << m. */
#define KPI_ALL_MEASURES ((uint32_t)((1u << KPI_NM) - 1u))

/* The key of engine measure m ("resolution_rate"), or NULL when m is out of range. */
const char *kpi_measure_key(int m);
/* The engine measure with this catalogue key, or -1 when the engine does not compute it (people and partner measures,
 * unknown keys). */
int kpi_measure_index(const char *key);

/* The values of one department (or of all) over one day range. Bit m of present is set when measure m has a value;
 * value[m] is then finite. num/den: a rate's numerator and denominator, an average's sum and count (resolution in
 * hours: sum of minutes ÷ 60); NAN for counts and percentiles and for absent measures. */
struct kpi_values {
	uint32_t present;
	double value[KPI_NM];
	double num[KPI_NM];
	double den[KPI_NM];
};

/* Brings this process's copy up to date with the database of ctx->db: refreshes the dirty pairs (in a transaction of
 * its own, or inside the caller's when one is open — the caller must not have changed records in it), then loads what
 * other servers refreshed. When the refresh cannot get the database's write lock (NL_EBUSY: a long import is writing)
 * it logs a warning and answers from the aggregates as they are. Returns 0, or a store error / NL_ENOMEM. */
int kpi_sync(struct nl_ctx *ctx) __attribute__((warn_unused_result));

/* Sets *out to the values over the days first..last (inclusive, valid dates, first <= last) of department dept
 * (0: the tickets and complaints without a department), or of every department together (the totals, also counting
 * records without a department) when all != 0. Syncs first. Returns 0, NL_EVALID for a bad range, or kpi_sync's
 * errors. */
int kpi_values_get(struct nl_ctx *ctx, int all, int64_t dept, struct nl_date first, struct nl_date last,
	struct kpi_values *out) __attribute__((warn_unused_result));

/* A KPI table request (GET /kpis). */
struct kpi_table_query {
	struct nl_date from, to;        /* inclusive; from <= to, valid */
	enum nl_period_kind kind;       /* rows per month, quarter or year */
	int64_t department_id;          /* > 0: only this department's rows; 0: every department with records in the range,
	                                   and the totals */
	uint32_t measures;              /* bit m: include engine measure m (KPI_ALL_MEASURES: every one; 0: none, e.g.
	                                   when only people measures were asked for) */
};

/* Appends the table as JSON to out: {"items":[{"department_id":N|null,"period":"2027-03","values":{...}}]}, periods
 * ascending, within a period the departments by id and then (without department_id) the totals row (null).
 * A row covers the days of its period within from..to. Absent measures are left out of "values"; counts and minute
 * percentiles are integers, other numbers have 15 significant digits (as every JSON reply of the server). Syncs first.
 * Returns 0, NL_ENOMEM (also when out failed), or kpi_sync's errors. */
int kpi_table_json(struct nl_ctx *ctx, const struct kpi_table_query *q, struct nl_strbuf *out)
	__attribute__((warn_unused_result));

/* Statistics of this process's copy, for benchmarks and logs. */
struct kpi_stats {
	int64_t version;        /* the kpi_state.version the copy reflects; -1 before the first load */
	size_t days;            /* (department, day) entries */
	size_t months;          /* (department, month) entries */
	size_t hist_entries;    /* distinct values held in month histograms */
	size_t bytes;           /* approximate heap bytes of the copy */
	double last_refresh_ms; /* duration of the last refresh (recomputing dirty pairs, writing kpi_daily), 0 when none */
	double last_refresh_read_ms;   /* of which reading the records and recomputing */
	size_t last_refresh_pairs;
	double last_load_ms;    /* duration of the last load of kpi_daily rows into the copy */
	size_t last_load_rows;
};
void kpi_stats_get(struct kpi_stats *out);

/* Drops this process's copy (the next query rebuilds it from kpi_daily). For tests and benchmarks. */
void kpi_reset(void);
/* Forgets the finished tables kept for repeated identical queries (kpi_table_json keeps up to 16, each valid only for
 * the copy's version it was computed from). kpi_reset calls it; benchmarks call it to time the computation itself. */
void kpi_table_cache_clear(void);

#endif
