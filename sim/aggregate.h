/*
 * aggregate.h - the runs of a comparison as one table: metric x kernel x seed.
 *
 * Runs are result directories DIR/runs/<kernel>/seed-<n>/ (as `zsim compare`
 * and `zsim sweep` lay them out); each contributes its summary.txt numbers and
 * the derived vmstat figures.  Kernels are ordered by version, seeds by value,
 * metrics by first appearance in that order, so the output never depends on
 * the order runs finished in or the directory listing.
 *
 * A metric a run does not report is absent for that run (written NA / n/a),
 * never 0.
 */
#ifndef ZS_AGGREGATE_H
#define ZS_AGGREGATE_H

#include <stdint.h>
#include <stdio.h>

#include "sim/derived.h"
#include "sim/stats.h"

struct zs_agg_run {
	int kernel;         /* index into kernels */
	uint64_t seed;
	struct zs_kv kv;
};

struct zs_agg {
	char **kernels;
	int nkernels;
	char **metrics;
	int nmetrics;
	struct zs_agg_run *runs;
	int nruns, caprun;
	int baseline;       /* kernel index the differences are taken against */
};

void zs_agg_init(struct zs_agg *a);
void zs_agg_free(struct zs_agg *a);

/*
 * Read every finished run under dir/runs/ (a directory without summary.txt is
 * a run that has not finished and is left out).  0, or -1 with err; no runs at
 * all is an error (EX_NOINPUT).  Kernels are taken in version order; calls
 * zs_agg_finish.
 */
int zs_agg_scan(struct zs_agg *a, const char *dir, struct zs_error *err);

/* Add one run's summary.txt (kernels keep the order they are first added in). */
int zs_agg_add_run(struct zs_agg *a, const char *kernel, uint64_t seed, const char *path,
		   struct zs_error *err);
/* After the last add: order runs by kernel and seed and collect the metric names. */
void zs_agg_finish(struct zs_agg *a);

/* Choose the baseline by kernel name (NULL: the first kernel).  0, or -1 with err. */
int zs_agg_set_baseline(struct zs_agg *a, const char *kernel, struct zs_error *err);

/* Values of metric m on kernel k, by seed; returns how many (seeds[] optional). */
int zs_agg_values(const struct zs_agg *a, int m, int k, double *vals, uint64_t *seeds);

/* Summary of metric m on kernel k, and its paired difference against the baseline
 * (over the seeds both have).  Returns 0 when the kernel has no value of m. */
int zs_agg_stats(const struct zs_agg *a, int m, int k, struct zs_stats_sum *s,
		 struct zs_stats_paired *d);

/* Metric indices in table order (headline figures first, by rank) into order[nmetrics]. */
void zs_agg_table_order(const struct zs_agg *a, int *order);

/* compare.csv: metric,kernel,seed,value. */
void zs_agg_write_tidy(const struct zs_agg *a, FILE *f);
/* summary.csv: one row per metric and kernel. */
void zs_agg_write_summary_csv(const struct zs_agg *a, FILE *f);
/* The text table: the headline metrics, every metric with all = 1, or just the
 * nonly metrics named in only[] (in that order). */
void zs_agg_write_text(const struct zs_agg *a, FILE *f, int all, const char *const *only,
		       int nonly);

/* dir/compare.csv, dir/summary.csv and dir/compare.txt (header, then the table), written
 * atomically.  0, or -1 with err. */
int zs_agg_write_dir(const struct zs_agg *a, const char *dir, const char *header, int all,
		     const char *const *only, int nonly, struct zs_error *err);

#endif
