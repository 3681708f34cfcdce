/* metrics.h — counters for /metrics (Prometheus text): requests by route and status, a latency histogram,
 * requests in flight, store errors. Lock-free (atomics). */
#ifndef NL_METRICS_H
#define NL_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

/* Records one finished request: route index (-1 for none/static), status, duration in microseconds. */
void metrics_record(int route, int status, uint64_t micros);
void metrics_inflight_add(int delta);
long metrics_inflight(void);
/* Appends the Prometheus exposition to b. */
void metrics_render(struct nl_strbuf *b);

#endif
