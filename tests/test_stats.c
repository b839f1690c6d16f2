/*
 * test_stats.c - the statistics of `zsim compare` against values worked out by
 * hand (closed forms noted beside each).
 */
#include <criterion/criterion.h>
#include <math.h>

#include "sim/stats.h"

#define NEAR(a, b, eps) cr_assert(fabs((a) - (b)) <= (eps), "%s = %.9g, want %.9g", #a, (a), (b))

/* x = 2,4,4,4,5,5,7,9: mean 5, squared deviations sum to 32, sd = sqrt(32/7);
 * t(0.975, 7) = 2.364624 (tables), half width = 2.364624 sd / sqrt(8) = 1.787488. */
Test(stats, summary_by_hand)
{
	const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
	struct zs_stats_sum s;

	zs_stats_summary(x, 8, &s);
	cr_assert_eq(s.n, 8);
	NEAR(s.mean, 5.0, 1e-12);
	NEAR(s.sd, sqrt(32.0 / 7.0), 1e-12);
	NEAR(s.min, 2.0, 0);
	NEAR(s.max, 9.0, 0);
	NEAR(s.ci_lo, 5.0 - 1.787488, 1e-5);
	NEAR(s.ci_hi, 5.0 + 1.787488, 1e-5);
}

/* One value: a mean, no spread, no interval (NaN, never 0). */
Test(stats, summary_of_one_value_has_no_interval)
{
	const double x[] = {42};
	struct zs_stats_sum s;

	zs_stats_summary(x, 1, &s);
	NEAR(s.mean, 42.0, 0);
	cr_assert(isnan(s.sd) && isnan(s.ci_lo) && isnan(s.ci_hi));
}

/* a = 1..5, b = 2,4,5,4,7: d = 1,2,2,0,2, mean 1.4, sd sqrt(0.8), se 0.4, t = 3.5 on 4
 * degrees of freedom.  The t(4) CDF has the closed form
 * F(t) = 1/2 + 3/8 u (1 - t^2 / (12 a)), a = 1 + t^2/4, u = t / sqrt(a),
 * so p = 2 (1 - F(3.5)) = 0.0248962; t(0.975, 4) = 2.776445, half width 1.110578. */
Test(stats, paired_by_hand)
{
	const double a[] = {1, 2, 3, 4, 5}, b[] = {2, 4, 5, 4, 7};
	struct zs_stats_paired d;

	zs_stats_paired(a, b, 5, &d);
	cr_assert_eq(d.n, 5);
	NEAR(d.mean, 1.4, 1e-12);
	NEAR(d.sd, sqrt(0.8), 1e-12);
	NEAR(d.t, 3.5, 1e-9);
	NEAR(d.p, 0.0248962, 1e-6);
	NEAR(d.ci_lo, 1.4 - 1.110578, 1e-5);
	NEAR(d.ci_hi, 1.4 + 1.110578, 1e-5);
	cr_assert(d.significant);
}

/* Differences that straddle zero: the interval contains it, no marker. */
Test(stats, paired_not_significant)
{
	const double a[] = {10, 10, 10, 10}, b[] = {11, 9, 12, 8};
	struct zs_stats_paired d;

	zs_stats_paired(a, b, 4, &d);
	NEAR(d.mean, 0.0, 1e-12);
	NEAR(d.p, 1.0, 1e-9);
	cr_assert(!d.significant);
}

/* The same difference on every seed: no spread, the difference is certain. */
Test(stats, paired_constant_difference)
{
	const double a[] = {1, 2, 3}, b[] = {3, 4, 5};
	struct zs_stats_paired d;

	zs_stats_paired(a, b, 3, &d);
	NEAR(d.mean, 2.0, 0);
	NEAR(d.p, 0.0, 0);
	cr_assert(d.significant);
}

/* Nearest rank over 1..1000: p50 = 500, p99.9 = 999 (not 1000), max = 1000. */
Test(stats, percentiles_nearest_rank)
{
	static int64_t v[1000];

	for (int i = 0; i < 1000; i++)
		v[i] = i + 1;
	cr_assert_eq(zs_stats_percentile(v, 1000, 50), 500);
	cr_assert_eq(zs_stats_percentile(v, 1000, 90), 900);
	cr_assert_eq(zs_stats_percentile(v, 1000, 99.9), 999);
	cr_assert_eq(zs_stats_percentile(v, 1000, 100), 1000);
	cr_assert_eq(zs_stats_percentile(v, 3, 50), 2);
	cr_assert_eq(zs_stats_percentile(v, 0, 50), 0);
}
