/* metrics.c — request counters and the latency histogram, rendered as Prometheus text. */
#include "http/metrics.h"

#include "http/http.h"
#include "store/store.h"

#include <stdatomic.h>

#include "core/common.h"

#define MAX_ROUTES 512
static const int statuses[] = { 200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503 };
#define NSTATUS (sizeof statuses / sizeof statuses[0])
static const double buckets[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKETS (sizeof buckets / sizeof buckets[0])

static _Atomic uint64_t counts[MAX_ROUTES + 1][NSTATUS + 1];
static _Atomic uint64_t hist[NBUCKETS + 1];
static _Atomic uint64_t hist_sum_us;
static _Atomic uint64_t hist_count;
static _Atomic long inflight;

void metrics_record(int route, int status, uint64_t micros)
{
	size_t r = route < 0 || route >= MAX_ROUTES ? MAX_ROUTES : (size_t)route;
	size_t s = NSTATUS;
	for (size_t i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			s = i;
	atomic_fetch_add_explicit(&counts[r][s], 1, memory_order_relaxed);
	double secs = (double)micros / 1e6;
	size_t b = NBUCKETS;
	for (size_t i = 0; i < NBUCKETS; i++)
		if (secs <= buckets[i]) {
			b = i;
			break;
		}
	atomic_fetch_add_explicit(&hist[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&hist_sum_us, micros, memory_order_relaxed);
	atomic_fetch_add_explicit(&hist_count, 1, memory_order_relaxed);
}

void metrics_inflight_add(int delta)
{
	atomic_fetch_add(&inflight, delta);
}

long metrics_inflight(void)
{
	return atomic_load(&inflight);
}

void metrics_render(struct nl_strbuf *b)
{
	strbuf_puts(b, "# HELP nengli_http_requests_total HTTP requests by route and status.\n"
		       "# TYPE nengli_http_requests_total counter\n");
	for (size_t r = 0; r <= MAX_ROUTES; r++) {
		if (r < MAX_ROUTES && r >= nl_routes_count)
			continue;
		for (size_t s = 0; s <= NSTATUS; s++) {
			uint64_t v = atomic_load_explicit(&counts[r][s], memory_order_relaxed);
			if (!v)
				continue;
			const char *method = r < MAX_ROUTES ? nl_routes[r].method : "";
			const char *route = r < MAX_ROUTES ? nl_routes[r].pattern : "other";
			if (s < NSTATUS)
				strbuf_printf(b, "nengli_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
					method, route, statuses[s], (unsigned long long)v);
			else
				strbuf_printf(b, "nengli_http_requests_total{method=\"%s\",route=\"%s\",status=\"other\"} %llu\n",
					method, route, (unsigned long long)v);
		}
	}
	strbuf_puts(b, "# HELP nengli_http_request_duration_seconds Request latency.\n"
		       "# TYPE nengli_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (size_t i = 0; i < NBUCKETS; i++) {
		cum += atomic_load_explicit(&hist[i], memory_order_relaxed);
		strbuf_printf(b, "nengli_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[i],
			(unsigned long long)cum);
	}
	cum += atomic_load_explicit(&hist[NBUCKETS], memory_order_relaxed);
	strbuf_printf(b, "nengli_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", (unsigned long long)cum);
	strbuf_printf(b, "nengli_http_request_duration_seconds_sum %.6f\n",
		(double)atomic_load(&hist_sum_us) / 1e6);
	strbuf_printf(b, "nengli_http_request_duration_seconds_count %llu\n", (unsigned long long)atomic_load(&hist_count));
	strbuf_printf(b, "# HELP nengli_http_requests_in_flight Requests being processed.\n"
			 "# TYPE nengli_http_requests_in_flight gauge\nnengli_http_requests_in_flight %ld\n",
		metrics_inflight());
	strbuf_printf(b, "# HELP nengli_store_errors_total Database driver errors.\n"
			 "# TYPE nengli_store_errors_total counter\nnengli_store_errors_total %llu\n",
		(unsigned long long)store_error_count());
}
