/*
 * metrics.h - the metrics writer: every column of ticks.csv, every row of
 * events.csv and every key of summary.txt is written here, so a new counter
 * is added in one place.  The driver (driver.c) runs the simulation and calls
 * in at each tick, at each vm event and once at the end.
 *
 * Writes only; the files come from the caller (atomic output, output.h) and
 * may be NULL (not written).  Formats are documented in README "Output".
 *
 * Invariant: a ticks.csv row has exactly the header's columns, one row per
 * zone per tick, zones in machine order.
 */
#ifndef ZS_METRICS_H
#define ZS_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "alloc/vm.h"
#include "sim/latency.h"
#include "workloads/source.h"

struct zs_metrics {
	/* others may read */
	struct zs_vm *vm;
	struct zs_engine *e;
	uint64_t seed;
	FILE *ticks, *events;
	struct zs_latency lat; /* every allocation's latency */
	/* owned by metrics.c */
	int64_t *buf; /* the model's sample: global values, then one zone's */
	int64_t ev_latency; /* latency_ns of the next alloc/fail events.csv row, -1: none */
	int ev_pref_node;   /* preferred_node and policy of that row (policy NULL: none) */
	const char *ev_policy;
	uint64_t pending;   /* allocations unfinished at the end, and the longest wait */
	int64_t pending_max_ns;
};

/*
 * Set up the writer for vm (a run with `seed`, named in every ticks.csv row):
 * write the ticks.csv and events.csv headers (either file may be NULL) and hook the vm's event log to events.csv.  0, or -1 with
 * err when out of memory (nothing written then).
 */
int zs_metrics_open(struct zs_metrics *mx, struct zs_vm *vm, struct zs_engine *e, uint64_t seed,
		    FILE *ticks, FILE *events, struct zs_error *err);

/*
 * An allocation completed `ns` after it was asked for, ended by the model's exit
 * `path`: a latency sample, and the latency_ns of the alloc or fail row the
 * driver reports for it next.
 */
void zs_metrics_alloc_done(struct zs_metrics *mx, int64_t ns, unsigned order, int path,
			   int failed);

/* The preferred node and memory policy (a static name) of that same alloc or fail row. */
void zs_metrics_alloc_placement(struct zs_metrics *mx, int pref_node, const char *policy);

/* An allocation still waiting when the run ended, asked for `ns` before the end. */
void zs_metrics_alloc_pending(struct zs_metrics *mx, int64_t ns);

/* latency.csv: the log2 histogram of the latency samples (see latency.h). */
void zs_metrics_latency_hist(struct zs_metrics *mx, FILE *f);

/* One ticks.csv row per zone for tick number `tick` at the current time. */
void zs_metrics_tick(struct zs_metrics *mx, uint64_t tick);

/* summary.txt, first part: the run's identity, the vm's counters, the threads' CPU. */
void zs_metrics_summary(struct zs_metrics *mx, FILE *f, const char *scenario_path, uint64_t seed,
			int64_t end_ns);
/* summary.txt, then one block per workload source, in source order. */
void zs_metrics_summary_source(FILE *f, unsigned idx, struct zs_source *src, uint64_t requests);

/* Release the writer's memory (the files stay open). */
void zs_metrics_close(struct zs_metrics *mx);

#endif
