/*
 * derived.h - one run's summary.txt as numbers, and the figures kernel
 * developers derive from vmstat (mmtests' compare-kernels vocabulary):
 * pages scanned and reclaimed by kswapd and by direct reclaim, their
 * efficiency (% of scanned pages reclaimed) and velocity (pages scanned per
 * second), % of scans done directly, allocation stalls, reclaim writes, swap
 * in/out, high-order success % per order, OOM kills.
 *
 * A figure is derived only from counters the kernel model has: where a model
 * lacks one (2.4.0 has no pgscan_kswapd, 2.6 has no per-caller pgsteal) the
 * figure is absent for that run, never 0.
 */
#ifndef ZS_DERIVED_H
#define ZS_DERIVED_H

#include "sim/diag.h"

/* Named numbers in the order they were added (a run's metrics). */
struct zs_kv {
	int n, cap;
	char **key;
	double *val;
};

void zs_kv_init(struct zs_kv *kv);
void zs_kv_free(struct zs_kv *kv);
/* Add or replace `key`. */
void zs_kv_put(struct zs_kv *kv, const char *key, double v);
/* 1 and *v when present, else 0. */
int zs_kv_get(const struct zs_kv *kv, const char *key, double *v);

/*
 * Read summary.txt's numeric `key: value` lines (identity lines - version,
 * scenario, kernel, seed - and text values are left out).  0, or -1 with err.
 */
int zs_kv_read_summary(struct zs_kv *kv, const char *path, struct zs_error *err);

/* Add the derived figures computable from kv's counters. */
void zs_derived_add(struct zs_kv *kv);

/* Is `metric` one of the headline figures the text table shows?  0 if not, else its
 * rank in the table (smaller first). */
int zs_derived_headline(const char *metric);

#endif
