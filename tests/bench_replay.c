/*
 * bench_replay.c - whole-simulator replay speed, end to end: boot, then the
 * replay with ticks.csv and summary.txt written (to temporary files), timed
 * in process CPU time, best of ZS_BENCH_RUNS.
 *
 *   - the real hog trace (tests/fixtures/perf-anon-hog-256m.txt.xz), converted
 *     to the cooked native format first (as `zsim trace convert` does); the figure counts requests (what the driver
 *     issued: allocations and frees after cooking), not trace lines;
 *   - a generated page stream: 10 M references drawn Zipf(1.0) over 1 Mi pages,
 *     behind a 128 Ki-page LRU (a miss frees the least recent page and
 *     allocates the new one), written as a native trace, cooked and replayed; the
 *     figure is CPU ns per allocator event.  Generated here, never shipped
 *     (ZSIM_BENCH_KEEP=1 keeps /tmp/zsim-bench-PID-zipf.zst for profiling, and the
 *     raw trace it was cooked from as ...-zipf.zst.raw, which builds before the
 *     cooked format read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/driver.h"
#include "sim/rng.h"
#include "tests/bench.h"
#include "workloads/gfp_modern.h"
#include "workloads/trace.h"

static char hog_native[64], zipf_native[64];

/* Convert the hog fixture once; returns the number of trace lines (0 on failure). */
static uint64_t
convert_hog(void)
{
	return zs_bench_cook_file("tests/fixtures/perf-anon-hog-256m.txt.xz", hog_native);
}

/* Write the Zipf stream; returns its allocator events (allocations + frees). */
static uint64_t
make_zipf(uint64_t refs, uint32_t universe, uint32_t cache)
{
	struct zs_error err = {0, ""};
	char raw[sizeof(zipf_native) + 4];

	snprintf(raw, sizeof(raw), "%s.raw", zipf_native);
	FILE *f = fopen(raw, "wb");
	struct zs_trace_writer *w = f ? zs_trace_native_create(f, raw, ZS_TRACE_PERF, &err) : NULL;
	struct zs_discrete *d = zs_discrete_zipf(universe, 1.0);
	struct zs_rng *rng = zs_rng_create(1, "bench-zipf", 0);
	uint32_t *prev = malloc(universe * sizeof(*prev)), *next = malloc(universe * sizeof(*next));
	unsigned char *in = calloc(universe, 1);
	uint32_t head = UINT32_MAX, tail = UINT32_MAX, n = 0;
	uint64_t events = 0, mask = 0, rest = 0;
	static const char gfp[] = "GFP_HIGHUSER_MOVABLE";
	struct zs_trace_event ev;

	zs_gfp_modern_parse(gfp, sizeof(gfp) - 1, &mask, &rest);
	memset(&ev, 0, sizeof(ev));
	ev.pid = 1000;
	ev.migratetype = -1;
	snprintf(ev.comm, sizeof(ev.comm), "zipf");
	for (uint64_t i = 0; w && d && prev && next && in && i < refs; i++) {
		uint32_t p = (uint32_t)zs_discrete_draw(rng, d);

		ev.time_ns = (int64_t)i * 1000;
		ev.line = i + 1;
		if (in[p]) { /* a hit: move to the head */
			if (p != head) {
				next[prev[p]] = next[p];
				if (next[p] != UINT32_MAX)
					prev[next[p]] = prev[p];
				else
					tail = prev[p];
				prev[p] = UINT32_MAX;
				next[p] = head;
				prev[head] = p;
				head = p;
			}
			continue;
		}
		if (n == cache) { /* evict the least recently used page */
			uint32_t v = tail;

			tail = prev[v];
			next[tail] = UINT32_MAX;
			in[v] = 0;
			n--;
			ev.ev = ZS_TEV_FREE;
			ev.pfn = v;
			ev.gfp_modern = 0;
			zs_trace_native_put(w, &ev, &err);
			events++;
		}
		in[p] = 1;
		n++;
		prev[p] = UINT32_MAX;
		next[p] = head;
		if (head != UINT32_MAX)
			prev[head] = p;
		head = p;
		if (tail == UINT32_MAX)
			tail = p;
		ev.ev = ZS_TEV_ALLOC;
		ev.pfn = p;
		ev.gfp_modern = mask;
		zs_trace_native_put(w, &ev, &err);
		events++;
	}
	if (w)
		zs_trace_native_finish(w, refs, &err);
	if (f)
		fclose(f);
	free(prev);
	free(next);
	free(in);
	zs_rng_destroy(rng);
	zs_discrete_destroy(d);
	/* written raw, then cooked as `zsim trace convert` would */
	if (w && !zs_bench_cook_file(raw, zipf_native))
		events = 0;
	if (!getenv("ZSIM_BENCH_KEEP"))
		unlink(raw);
	return w ? events : 0;
}

/* The requests the run issued, read back from summary.txt. */
static uint64_t
summary_requests(FILE *summary)
{
	char line[256];
	unsigned long long v = 0;

	rewind(summary);
	while (fgets(line, sizeof(line), summary))
		if (sscanf(line, "source0_requests: %llu", &v) == 1)
			break;
	return v;
}

/* Best CPU seconds of the replay of `path` on kernel; *requests from summary.txt. */
static double
replay(const char *kernel, const char *path, uint64_t *requests, double *boot_s)
{
	char yaml[1024];
	double best = 0;

	snprintf(yaml, sizeof(yaml),
		 "machine:\n  cpus: 2\n  hz: 250\n  swap: 256MiB\n  nodes:\n    - zones:\n"
		 "        - {type: DMA, size: 16MiB}\n        - {type: %s, size: 1008MiB}\n"
		 "workload:\n  - {type: trace, path: \"%s\"}\nduration: auto\n",
		 strcmp(kernel, "2.4") ? "DMA32" : "Normal", path);
	for (int run = 0; run < ZS_BENCH_RUNS; run++) {
		struct zs_error err = {0, ""};
		struct zs_scenario sc;
		struct zs_cfg *root = zs_cfg_load_string("bench", yaml, &err);
		FILE *ticks = tmpfile(), *summary = tmpfile();

		if (!root || !ticks || !summary || zs_scenario_parse(&sc, root, "bench", kernel, &err)) {
			printf("  %s\n", err.msg);
			zs_cfg_free(root);
			return 0;
		}
		double t0 = zs_bench_cpu();
		struct zs_run *r = zs_run_create(&sc, &err);
		double t1 = zs_bench_cpu();
		if (!r || zs_run_execute(r, ticks, NULL, summary, 0, &err) || fflush(ticks) ||
		    fflush(summary)) {
			printf("  %s\n", err.msg);
			best = 0;
		} else {
			double t = zs_bench_cpu() - t1;

			if (!best || t < best) {
				best = t;
				*boot_s = t1 - t0;
			}
			*requests = summary_requests(summary);
		}
		zs_run_destroy(r);
		zs_cfg_free(root);
		fclose(ticks);
		fclose(summary);
		if (!best)
			return 0;
	}
	return best;
}

ZS_BENCH(replay)
{
	static const char *const kernels[] = {"2.6.32", "2.6.18", "2.4"};
	uint64_t lines;

	zs_bench_path(hog_native, sizeof(hog_native), "hog.zst");
	zs_bench_path(zipf_native, sizeof(zipf_native), "zipf.zst");
	lines = convert_hog();
	char label[128];

	for (int i = 0; lines && i < 3; i++) {
		uint64_t req = 0;
		double boot = 0, t = replay(kernels[i], hog_native, &req, &boot);

		if (t <= 0)
			continue;
		snprintf(label, sizeof(label), "hog replay, %s, with ticks.csv (boot %.0f ms)",
			 kernels[i], boot * 1e3);
		zs_bench_target(label, (double)req / t / 1e6, "M requests/s", 15, 1);
		if (i == 0)
			printf("    (%llu requests from %llu trace lines)\n", (unsigned long long)req,
			       (unsigned long long)lines);
	}
	unlink(hog_native);

	uint64_t events = make_zipf(10000000, 1u << 20, 1u << 17);
	for (int i = 0; events && i < 3; i++) {
		uint64_t req = 0;
		double boot = 0, t = replay(kernels[i], zipf_native, &req, &boot);

		if (t <= 0)
			continue;
		snprintf(label, sizeof(label), "Zipf stream replay, %s, per allocator event",
			 kernels[i]);
		zs_bench_target(label, t / (double)req * 1e9, "ns", 100, 0);
		if (i == 0)
			printf("    (10 M references, Zipf(1.0) over 1 Mi pages, 128 Ki-page LRU: "
			       "%llu allocator events)\n",
			       (unsigned long long)req);
	}
	if (!getenv("ZSIM_BENCH_KEEP"))
		unlink(zipf_native);
}
