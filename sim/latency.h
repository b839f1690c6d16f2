/*
 * latency.h - allocation latency: every allocation's simulated time from the
 * request to its completion, served or failed, with everything the model made
 * it wait for on the way (direct reclaim CPU, congestion_wait, kswapd waits,
 * OOM back-off).  The driver records one sample per completed allocation
 * (faults included; requests refused for order >= MAX_ORDER never reach the
 * allocator and are not samples).
 *
 * The samples are kept as distinct (ns, order, exit, class) tuples with counts
 * (latency_store.h), which loses nothing these outputs read.  Percentiles are
 * exact (nearest rank over every sample), per order, per model exit and per
 * common path class; the histogram has log2 buckets:
 * bucket 0 holds latency 0, bucket b >= 1 holds [2^(b-1), 2^b) ns.
 */
#ifndef ZS_LATENCY_H
#define ZS_LATENCY_H

#include <stdint.h>
#include <stdio.h>

#include "alloc/gfp.h"
#include "sim/latency_store.h"

struct zs_latency {
	/* owned by latency.c */
	struct zs_latency_store st;
	enum zs_kver kver;
	int max_order;
	const char *const *paths;
	int nr_paths;
	int8_t cls_of[UINT8_MAX];    /* each exit's class, or -1 when it has none */
};

void zs_latency_init(struct zs_latency *l, enum zs_kver v, int max_order,
		     const char *const *paths, int nr_paths);
void zs_latency_free(struct zs_latency *l);

/* One allocation that took ns, of `order`, ended by exit `path` (failed or not). */
void zs_latency_record(struct zs_latency *l, int64_t ns, unsigned order, int path, int failed);

/* summary.txt lines: latency_{p50,p90,p99,p999,max}_ns overall, then per order,
 * per class and per exit that has samples (latency_order_1_p99_ns, ...). */
void zs_latency_write_summary(const struct zs_latency *l, FILE *f);

/* latency.csv: bucket,lo_ns,hi_ns,all, one column per order, per class. */
void zs_latency_write_hist(const struct zs_latency *l, FILE *f);

#endif
