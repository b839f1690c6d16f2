/*
 * stats.h - the statistics `zsim compare` reports over seeds: the sample
 * summary with its Student t confidence interval, the paired difference of two
 * kernels run on the same seeds, and exact percentiles of a sample.
 *
 * Every interval is two-sided at 95 %.  A quantity a sample is too small to
 * give (sd of one value, an interval of one value) is NaN, never 0, so a
 * writer can print it as missing.
 */
#ifndef ZS_STATS_H
#define ZS_STATS_H

#include <stddef.h>
#include <stdint.h>

struct zs_stats_sum {
	size_t n;
	double mean, sd;     /* sd: sample standard deviation (n - 1) */
	double min, max;
	double ci_lo, ci_hi; /* mean -+ t(0.975, n-1) sd / sqrt(n) */
};

struct zs_stats_paired {
	size_t n;
	double mean, sd;     /* of the differences b[i] - a[i] */
	double ci_lo, ci_hi;
	double t, p;         /* paired t statistic and its two-sided p-value */
	int significant;     /* the interval excludes zero */
};

/* Summary of x[0..n-1] (n >= 1). */
void zs_stats_summary(const double *x, size_t n, struct zs_stats_sum *out);

/* Paired difference b - a over n pairs (n >= 1). */
void zs_stats_paired(const double *a, const double *b, size_t n, struct zs_stats_paired *out);

/* The nearest rank (1..n) of percentile p (0 < p <= 100) of n >= 1 values. */
size_t zs_stats_rank(size_t n, double p);

/* Nearest-rank percentile (0 < p <= 100) of sorted[0..n-1]; 0 when n == 0. */
int64_t zs_stats_percentile(const int64_t *sorted, size_t n, double p);

#endif
