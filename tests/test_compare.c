/*
 * test_compare.c - `zsim compare`: its runs are the runs `zsim run` makes,
 * its results do not depend on --jobs, its table is the statistics of its
 * tidy file, missing metrics stay missing, and a kernel that cannot run a
 * scenario is skipped (default list) or an error (named).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stats.h"
#include "tests/support.h"

static char tmpdir[64];

static void
mk_tmp(void)
{
	zt_tmpdir(tmpdir, sizeof(tmpdir), "compare");
}

static void
rm_tmp(void)
{
	zt_rm_rf(tmpdir);
}

TestSuite(compare, .init = mk_tmp, .fini = rm_tmp);

static void
zsim_ok(const char *args)
{
	char err[2048];

	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "zsim %s: %s", args, err);
}

#define SMALL "configs/mixed.yaml --set duration=400ms -q"

Test(compare, runs_are_single_runs_and_jobs_do_not_matter)
{
	static const char *const files[] = {"ticks.csv", "summary.txt", "latency.csv"};
	static const char *const outs[] = {"compare.csv", "summary.csv", "compare.txt"};
	static const char *const kernels[] = {"2.4.0", "2.6.32"};
	char args[1024], a[256], b[256];

	snprintf(args, sizeof(args), "compare " SMALL " --kernels 2.4,2.6.32 --seeds 3 --jobs 1 --out %s/j1",
		 tmpdir);
	zsim_ok(args);
	snprintf(args, sizeof(args), "compare " SMALL " --kernels 2.4,2.6.32 --seeds 3 --jobs 2 --out %s/j2",
		 tmpdir);
	zsim_ok(args);
	for (int i = 0; i < 3; i++) {
		snprintf(a, sizeof(a), "%s/j1/%s", tmpdir, outs[i]);
		snprintf(b, sizeof(b), "%s/j2/%s", tmpdir, outs[i]);
		cr_assert(zt_same_file(a, b), "%s differs between --jobs 1 and --jobs 2", outs[i]);
	}
	for (int k = 0; k < 2; k++)
		for (int seed = 1; seed <= 3; seed++) {
			snprintf(args, sizeof(args),
				 "run configs/mixed.yaml --set duration=400ms -q --kernel %s --seed %d "
				 "--out %s/single",
				 kernels[k], seed, tmpdir);
			zsim_ok(args);
			for (int i = 0; i < 3; i++) {
				snprintf(a, sizeof(a), "%s/single/%s", tmpdir, files[i]);
				snprintf(b, sizeof(b), "%s/j2/runs/%s/seed-%d/%s", tmpdir, kernels[k],
					 seed, files[i]);
				cr_assert(zt_same_file(a, b), "%s differs from the single run %s seed %d",
					  b, kernels[k], seed);
			}
		}
}

/* Values of one metric and kernel from compare.csv, in seed order. */
static int
tidy_values(const char *tidy, const char *metric, const char *kernel, double *v, int max)
{
	char pat[160];
	int n = 0;

	snprintf(pat, sizeof(pat), "\n%s,%s,", metric, kernel);
	for (const char *p = strstr(tidy, pat); p && n < max; p = strstr(p + 1, pat)) {
		const char *val = strchr(p + strlen(pat), ',');

		v[n++] = strtod(val + 1, NULL);
	}
	return n;
}

/* The summary.csv row of metric and kernel, split into fields (valid until the next call). */
static int
summary_row(const char *sum, const char *metric, const char *kernel, char **f)
{
	static char row[1024];
	char pat[160];
	const char *p;
	int n = 0;

	snprintf(pat, sizeof(pat), "\n%s,%s,", metric, kernel);
	p = strstr(sum, pat);
	cr_assert(p, "summary.csv has no row %s %s", metric, kernel);
	snprintf(row, sizeof(row), "%.*s", (int)(strchr(p + 1, '\n') - p - 1), p + 1);
	for (char *t = strtok(row, ","); t; t = strtok(NULL, ","))
		f[n++] = t;
	return n;
}

Test(compare, summary_is_the_statistics_of_the_tidy_file)
{
	char args[1024], path[256];
	double a[16], b[16];
	char *f[32];

	snprintf(args, sizeof(args), "compare " SMALL " --kernels 2.4,2.6.32 --seed-list 3,5,8,13 --out %s/s",
		 tmpdir);
	zsim_ok(args);
	snprintf(path, sizeof(path), "%s/s/compare.csv", tmpdir);
	char *tidy = zt_read_file(path, NULL);
	snprintf(path, sizeof(path), "%s/s/summary.csv", tmpdir);
	char *sum = zt_read_file(path, NULL);
	cr_assert(tidy && sum);
	cr_assert(!strncmp(tidy, "metric,kernel,seed,value\n", 25));
	cr_assert_eq(tidy_values(tidy, "alloc_ok", "2.4.0", a, 16), 4);
	cr_assert_eq(tidy_values(tidy, "alloc_ok", "2.6.32", b, 16), 4);
	struct zs_stats_sum s;
	struct zs_stats_paired d;
	zs_stats_summary(b, 4, &s);
	zs_stats_paired(a, b, 4, &d);
	cr_assert_eq(summary_row(sum, "alloc_ok", "2.6.32", f), 15);
	cr_assert_eq(atoi(f[2]), 4);
	cr_assert(fabs(strtod(f[3], NULL) - s.mean) < 1e-6 * (1 + fabs(s.mean)), "%s", f[3]);
	cr_assert(fabs(strtod(f[7], NULL) - s.ci_lo) < 1e-6 * (1 + fabs(s.ci_lo)), "%s", f[7]);
	cr_assert_str_eq(f[9], "2.4.0");
	cr_assert(fabs(strtod(f[10], NULL) - d.mean) < 1e-6 * (1 + fabs(d.mean)), "%s", f[10]);
	cr_assert(fabs(strtod(f[13], NULL) - d.p) < 1e-6, "%s vs %g", f[13], d.p);
	cr_assert_eq(atoi(f[14]), d.significant);
	/* 2.4.0 has no pgscan_kswapd: the row says so, it is not 0 */
	cr_assert_eq(summary_row(sum, "pgscan_kswapd", "2.4.0", f), 15);
	cr_assert_str_eq(f[2], "0");
	cr_assert_str_eq(f[3], "NA");
	cr_assert(!strstr(tidy, "\npgscan_kswapd,2.4.0,"), "a missing metric got values");
	free(tidy);
	free(sum);
}

Test(compare, a_kernel_that_cannot_run_the_scenario)
{
	char args[1024], err[2048];

	/* default kernels: 2.4.0 (no DMA32) is skipped with the scenario's own message */
	snprintf(args, sizeof(args),
		 "compare configs/26-steady.yaml --set duration=100ms -q --seeds 2 --out %s/d", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "%s", err);
	cr_assert(strstr(err, "2.4.0 skipped: configs/26-steady.yaml:"), "%s", err);
	cr_assert(strstr(err, "DMA32"), "%s", err);
	/* named: an error */
	snprintf(args, sizeof(args),
		 "compare configs/26-steady.yaml --set duration=100ms -q --seeds 2 --kernels 2.4,2.6.32 "
		 "--out %s/e",
		 tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 65, "%s", err);
	cr_assert(strstr(err, "DMA32"), "%s", err);
	/* with one layout every kernel expresses, all three run */
	snprintf(args, sizeof(args),
		 "compare configs/26-steady.yaml --set duration=100ms --set machine.memory=256MiB -q "
		 "--seeds 2 --out %s/f",
		 tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "%s", err);
	snprintf(args, sizeof(args), "%s/f/runs/2.4.0/seed-2/summary.txt", tmpdir);
	cr_assert(zt_exists(args));
}

Test(compare, usage_errors)
{
	cr_assert_eq(zt_zsim("compare", NULL, 0), 64);
	cr_assert_eq(zt_zsim("compare configs/mixed.yaml --seeds 0", NULL, 0), 64);
	cr_assert_eq(zt_zsim("compare configs/mixed.yaml --kernels 2.5", NULL, 0), 64);
	cr_assert_eq(zt_zsim("compare configs/mixed.yaml --seed-list 1,1", NULL, 0), 64);
	cr_assert_eq(zt_zsim("compare configs/mixed.yaml --format pdf", NULL, 0), 64);
	cr_assert_eq(zt_zsim("compare /nonexistent.yaml", NULL, 0), 66);
}
