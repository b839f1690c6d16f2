/*
 * test_latency.c - allocation latency: known script allocations have known
 * latencies in events.csv and summary.txt, the histogram holds every sample,
 * and every exit of every model has a common path class.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/policy.h"
#include "sim/pathclass.h"
#include "tests/support.h"

static char tmpdir[64];

static void
mk_tmp(void)
{
	zt_tmpdir(tmpdir, sizeof(tmpdir), "lat");
}

static void
rm_tmp(void)
{
	zt_rm_rf(tmpdir);
}

TestSuite(latency, .init = mk_tmp, .fini = rm_tmp);

/*
 * A hog fills a 16 MiB 2.6.32 box with anonymous GFP_ATOMIC pages (no swap:
 * nothing to reclaim).  At 100 ms the probe asks for a GFP_KERNEL page: below
 * min, direct reclaim finds nothing, __alloc_pages_may_oom kills the hog, and
 * out_of_memory makes the caller (not the victim) sleep one jiffy before it
 * restarts and is served.  Reclaim is free (reclaim_scan_ns: 0), so the
 * latency is exactly that jiffy: 1e9 / HZ ns.  At 300 ms memory is free again
 * and the fast path serves the second page at once: latency 0.
 */
static void
run_probe(int hz, char **events, char **summary, char **hist)
{
	char path[128], out[128], args[512], err[1024], f[192];
	FILE *y;

	snprintf(path, sizeof(path), "%s/probe-%d.yaml", tmpdir, hz);
	snprintf(out, sizeof(out), "%s/out-%d", tmpdir, hz);
	y = fopen(path, "w");
	cr_assert(y);
	fprintf(y, "machine: {memory: 16MiB, cpus: 1, hz: %d}\n"
		   "kernel: {version: \"2.6.32\", reclaim_scan_ns: 0}\n"
		   "workload:\n"
		   "  - {type: simple, comm: hog, rate: 100000, gfp: GFP_ATOMIC, kind: anon,\n"
		   "     lifetime: forever}\n"
		   "  - type: script\n"
		   "    requests:\n"
		   "      - {at: 100ms, op: task_start, task: 1, comm: probe}\n"
		   "      - {at: 100ms, op: alloc, task: 1, handle: 1, gfp: GFP_KERNEL, kind: kernel}\n"
		   "      - {at: 300ms, op: alloc, task: 1, handle: 2, gfp: GFP_KERNEL, kind: kernel}\n"
		   "duration: 400ms\n",
		hz);
	fclose(y);
	snprintf(args, sizeof(args), "run %s -q --events --out %s", path, out);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "%s", err);
	snprintf(f, sizeof(f), "%s/events.csv", out);
	*events = zt_read_file(f, NULL);
	snprintf(f, sizeof(f), "%s/summary.txt", out);
	*summary = zt_read_file(f, NULL);
	snprintf(f, sizeof(f), "%s/latency.csv", out);
	*hist = zt_read_file(f, NULL);
	cr_assert(*events && *summary && *hist);
}

Test(latency, an_oom_backoff_jiffy_is_the_latency)
{
	static const int hzs[] = {100, 250};

	for (int i = 0; i < 2; i++) {
		char *ev, *sum, *hist, want[256];
		long jiffy = 1000000000L / hzs[i];

		run_probe(hzs[i], &ev, &sum, &hist);
		cr_assert(strstr(ev, ",path,latency_ns,preferred_node,policy\n"), "events.csv header");
		/* pfns 3072, 3073: where the victim's pages, returned over its exit, put the first free blocks */
		snprintf(want, sizeof(want), "%ld,alloc,1001,probe,0,0xd0,0,0,DMA,3072,oom_retry,%ld,0,default\n",
			 100000000L + jiffy, jiffy);
		cr_assert(strstr(ev, want), "HZ %d: no row %s", hzs[i], want);
		cr_assert(strstr(ev, "300000000,alloc,1001,probe,0,0xd0,0,0,DMA,3073,fast,0,0,default\n"),
			  "the fast path waits for nothing");
		snprintf(want, sizeof(want), "latency_class_oom_max_ns: %ld\n", jiffy);
		cr_assert(strstr(sum, want), "HZ %d: %s", hzs[i], want);
		snprintf(want, sizeof(want), "latency_path_oom_retry_p50_ns: %ld\n", jiffy);
		cr_assert(strstr(sum, want), "HZ %d: %s", hzs[i], want);
		cr_assert(strstr(sum, "latency_class_fast_max_ns: 0\n"));
		cr_assert(strstr(sum, "latency_pending: 0\n"));
		free(ev);
		free(sum);
		free(hist);
	}
}

/* Every sample is in one histogram bucket: the `all` column sums to latency_samples,
 * and the one-jiffy sample (1e7 ns) sits in bucket 24, [2^23, 2^24). */
Test(latency, histogram_holds_every_sample)
{
	char *ev, *sum, *hist, *p, *line;
	unsigned long long total = 0, samples = 0;
	int found = 0;

	run_probe(100, &ev, &sum, &hist);
	p = strstr(sum, "latency_samples: ");
	cr_assert(p);
	samples = strtoull(p + 17, NULL, 10);
	cr_assert(!strncmp(hist, "bucket,lo_ns,hi_ns,all,order_0,", 31), "%.60s", hist);
	for (line = strchr(hist, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		int b;
		unsigned long long lo, hi, all, o0, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, fast,
			slow, recl, oom;

		cr_assert_eq(sscanf(line,
				    "%d,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,"
				    "%llu,%llu,%llu,%llu,%llu,%llu",
				    &b, &lo, &hi, &all, &o0, &o1, &o2, &o3, &o4, &o5, &o6, &o7, &o8, &o9,
				    &o10, &fast, &slow, &recl, &oom),
			     19, "%.80s", line);
		total += all;
		if (b == 24) {
			cr_assert_eq(lo, 1ull << 23);
			cr_assert_eq(hi, 1ull << 24);
			cr_assert_eq(oom, 1);
			found = 1;
		}
	}
	cr_assert_eq(total, samples);
	cr_assert(found, "no bucket 24");
	free(ev);
	free(sum);
	free(hist);
}

/* The common vocabulary covers every exit of every model. */
Test(latency, every_model_exit_has_a_class)
{
	for (int v = 0; v < ZS_KV_COUNT; v++) {
		const struct zs_policy_ops *ops = zs_policy_for((enum zs_kver)v);

		for (int i = 0; i < ops->nr_paths; i++) {
			int c = zs_pathclass_of((enum zs_kver)v, ops->paths[i]);

			cr_assert(c >= 0, "%s exit %s has no class", ops->name, ops->paths[i]);
			cr_assert_eq(c == ZS_PC_FAIL, ops->path_failed[i] != 0,
				     "%s exit %s: class %s but failed=%d", ops->name, ops->paths[i],
				     zs_pathclass_name((enum zs_pathclass)c), ops->path_failed[i]);
		}
	}
}
