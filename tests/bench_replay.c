/*
 * bench_replay.c - whole-simulator replay speed: the real hog trace (636,295
 * events) converted to the native format, replayed on the configs/replay-hog.yaml
 * machine with the 2.6.32 and 2.4.0 models.  Boot and the replay are timed apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/driver.h"
#include "tests/bench.h"
#include "workloads/trace.h"

static const char *native = "/tmp/zsim-bench-hog.zst";

/* Convert the fixture once; returns the number of trace events. */
static uint64_t
convert(void)
{
	struct zs_error err = {0, ""};
	struct zs_trace_reader *r =
		zs_trace_open("tests/fixtures/perf-anon-hog-256m.txt.xz", ZS_TRACE_AUTO, 0, &err);
	FILE *f = fopen(native, "wb");
	struct zs_trace_event ev;
	uint64_t n = 0;

	if (!r || !f) {
		printf("  cannot convert the hog trace: %s\n", err.msg);
		return 0;
	}
	struct zs_trace_writer *w = zs_trace_native_create(f, native, zs_trace_format_of(r), &err);
	while (w && zs_trace_read(r, &ev, &err) == 1) {
		zs_trace_native_put(w, &ev, &err);
		n++;
	}
	if (w)
		zs_trace_native_finish(w, zs_trace_lines(r), &err);
	fclose(f);
	zs_trace_close(r);
	return n;
}

static void
replay(const char *kernel, uint64_t events)
{
	char yaml[1024], label[96];
	struct zs_error err = {0, ""};
	struct zs_scenario sc;

	snprintf(yaml, sizeof(yaml),
		 "machine:\n  cpus: 2\n  hz: 250\n  swap: 256MiB\n  nodes:\n    - zones:\n"
		 "        - {type: DMA, size: 16MiB}\n        - {type: %s, size: 1008MiB}\n"
		 "workload:\n  - {type: trace, path: \"%s\"}\nduration: auto\n",
		 strcmp(kernel, "2.4") ? "DMA32" : "Normal", native);
	struct zs_cfg *root = zs_cfg_load_string("bench", yaml, &err);
	if (!root || zs_scenario_parse(&sc, root, "bench", kernel, &err)) {
		printf("  %s\n", err.msg);
		zs_cfg_free(root);
		return;
	}
	double t0 = zs_bench_now();
	struct zs_run *r = zs_run_create(&sc, &err);
	double t1 = zs_bench_now();
	if (!r || zs_run_execute(r, NULL, NULL, NULL, 0, &err)) {
		printf("  %s\n", err.msg);
	} else {
		double t2 = zs_bench_now();

		snprintf(label, sizeof(label), "replay from native, %s (boot %.0f ms)", kernel,
			 (t1 - t0) * 1e3);
		zs_bench_report(label, (double)events / (t2 - t1) / 1e6,
				"M trace events/s (target >= 5)");
	}
	zs_run_destroy(r);
	zs_cfg_free(root);
}

ZS_BENCH(replay)
{
	uint64_t n = convert();

	if (!n)
		return;
	replay("2.6.32", n);
	replay("2.6.18", n);
	replay("2.4", n);
	unlink(native);
}
