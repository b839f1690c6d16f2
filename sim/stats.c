/* stats.c - sample summary, paired t-test, percentiles; see stats.h. */
#include "sim/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

/* Half width of the 95 % Student t interval of a mean with standard error se. */
static double
t_half_width(double se, size_t n)
{
	if (n < 2)
		return NAN;
	return gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * se;
}

void
zs_stats_summary(const double *x, size_t n, struct zs_stats_sum *out)
{
	double sum = 0, ss = 0, half;

	out->n = n;
	out->min = out->max = n ? x[0] : NAN;
	for (size_t i = 0; i < n; i++) {
		sum += x[i];
		if (x[i] < out->min)
			out->min = x[i];
		if (x[i] > out->max)
			out->max = x[i];
	}
	out->mean = n ? sum / (double)n : NAN;
	/* two passes: the sum of squared deviations, not sum(x^2) - n mean^2, which cancels */
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - out->mean) * (x[i] - out->mean);
	out->sd = n >= 2 ? sqrt(ss / (double)(n - 1)) : NAN;
	half = t_half_width(out->sd / sqrt((double)n), n);
	out->ci_lo = out->mean - half;
	out->ci_hi = out->mean + half;
}

void
zs_stats_paired(const double *a, const double *b, size_t n, struct zs_stats_paired *out)
{
	double sum = 0, ss = 0, se, half;

	out->n = n;
	for (size_t i = 0; i < n; i++)
		sum += b[i] - a[i];
	out->mean = n ? sum / (double)n : NAN;
	for (size_t i = 0; i < n; i++) {
		double d = b[i] - a[i] - out->mean;

		ss += d * d;
	}
	out->sd = n >= 2 ? sqrt(ss / (double)(n - 1)) : NAN;
	se = out->sd / sqrt((double)n);
	half = t_half_width(se, n);
	out->ci_lo = out->mean - half;
	out->ci_hi = out->mean + half;
	if (n < 2) {
		out->t = out->p = NAN;
	} else if (se == 0) {
		/* every pair differs by the same amount: no spread to test against */
		out->t = out->mean == 0 ? 0 : copysign(INFINITY, out->mean);
		out->p = out->mean == 0 ? 1 : 0;
	} else {
		out->t = out->mean / se;
		out->p = 2 * gsl_cdf_tdist_P(-fabs(out->t), (double)(n - 1));
	}
	out->significant = n >= 2 && (out->ci_lo > 0 || out->ci_hi < 0);
}

size_t
zs_stats_rank(size_t n, double p)
{
	size_t rank;

	/* nearest rank: the smallest value with at least p % of the sample at or below it */
	rank = (size_t)ceil(p * (double)n / 100.0 - 1e-9); /* 99.9 % of 1000 is rank 999 */
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return rank;
}

int64_t
zs_stats_percentile(const int64_t *sorted, size_t n, double p)
{
	return n ? sorted[zs_stats_rank(n, p) - 1] : 0;
}
