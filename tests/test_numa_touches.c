/*
 * test_numa_touches.c - where a source's references land (summary.txt
 * sourceN_touches_served, sourceN_remote_touches, sourceN_touch_distance_mean):
 * numa-24.yaml's process on CPU 0 of a two-node box, on 2.4.0 (round-robin
 * placement: about half its pages, so half its touches, on the other node) and
 * 2.6.32 (local first: nearly every touch local).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support.h"

/* Run numa-24.yaml for 3 s on kernel k; source 0's three touch figures. */
static void
touches_on(const char *k, double *served, double *remote, double *mean)
{
	char dir[256], args[512], err[512], path[300];
	char *sum;

	zt_tmpdir(dir, sizeof(dir), "touches");
	snprintf(args, sizeof(args), "run configs/numa-24.yaml --kernel %s --set duration=3s -q --out %s",
		 k, dir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "zsim %s: %s", args, err);
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	sum = zt_read_file(path, NULL);
	cr_assert(sum);
	*served = strtod(zt_summary_find(sum, "source0_touches_served"), NULL);
	*remote = strtod(zt_summary_find(sum, "source0_remote_touches"), NULL);
	*mean = strtod(zt_summary_find(sum, "source0_touch_distance_mean"), NULL);
	free(sum);
	zt_rm_rf(dir);
}

Test(numa_touches, placement_shows_in_the_references)
{
	double s24, r24, m24, s32, r32, m32;

	touches_on("2.4", &s24, &r24, &m24);
	touches_on("2.6.32", &s32, &r32, &m32);
	cr_assert_gt(s24, 1000);
	cr_assert_eq(s24, s32, "the same references (common random numbers)");
	cr_assert(r24 > 0.4 * s24 && r24 < 0.6 * s24, "2.4.0: %g of %g remote", r24, s24);
	cr_assert_lt(r32, 0.1 * s32, "2.6.32: %g of %g remote", r32, s32);
	/* the mean SLIT distance is 10 + 10 x the remote share on a 10/20 box */
	cr_assert_float_eq(m24, 10.0 + 10.0 * r24 / s24, 0.01);
	cr_assert_float_eq(m32, 10.0 + 10.0 * r32 / s32, 0.01);
}
