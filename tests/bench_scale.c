/*
 * bench_scale.c - cost against machine size, and memory per page.
 *
 *   - boot: CPU ns per simulated page to build the machine and boot each model;
 *   - a 4 s run with a light kernel workload (100 allocations/s) at 1, 16, 128
 *     and 512 GiB on each 2.6 kernel (1, 16 and 64 GiB on 2.4.0, the most an i386
 *     maps), ticks.csv written: the per-tick cost should not grow with memory;
 *   - memory: bytes per page of a booted 16 GiB machine, and bytes per bound
 *     page beyond that (every structure: binding, index, the trace cook's
 *     table, the source, the latency samples) on a replay that binds 3.4 M
 *     anonymous pages, each kernel in a fresh child process.
 * Boot's figure depends on the host: the page array asks for transparent huge
 * pages (alloc/machine.c), so the bench prints the host's setting beside it.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/driver.h"
#include "tests/bench.h"
#include "workloads/gfp_modern.h"
#include "workloads/trace.h"

static const char *const kernels[] = {"2.6.32", "2.6.18", "2.4"};

/* A one-node machine of `gib` GiB as the kernel's architecture lays it out. */
static void
machine_yaml(char *buf, size_t len, const char *kernel, unsigned gib, const char *workload,
	     const char *duration)
{
	if (!strcmp(kernel, "2.4"))
		snprintf(buf, len,
			 "machine:\n  cpus: 2\n  hz: 100\n  nodes:\n    - zones:\n"
			 "        - {type: DMA, size: 16MiB}\n        - {type: Normal, size: 880MiB}\n"
			 "        - {type: HighMem, size: %uMiB}\n"
			 "workload:\n%sduration: %s\n",
			 gib * 1024 - 896, workload, duration);
	else if (gib <= 4)
		snprintf(buf, len,
			 "machine:\n  cpus: 2\n  hz: 250\n  nodes:\n    - zones:\n"
			 "        - {type: DMA, size: 16MiB}\n        - {type: DMA32, size: %uMiB}\n"
			 "workload:\n%sduration: %s\n",
			 gib * 1024 - 16, workload, duration);
	else
		snprintf(buf, len,
			 "machine:\n  cpus: 2\n  hz: 250\n  nodes:\n    - zones:\n"
			 "        - {type: DMA, size: 16MiB}\n        - {type: DMA32, size: 4080MiB}\n"
			 "        - {type: Normal, size: %uMiB}\n"
			 "workload:\n%sduration: %s\n",
			 gib * 1024 - 4096, workload, duration);
}

static long
rss_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * sysconf(_SC_PAGESIZE);
}

struct scale_run {
	double boot_s, run_s;
	long rss_boot, rss_run; /* bytes added by boot, and by the run after boot */
	uint64_t pages, bound;
};

/* One run; 0 or -1 (message printed). */
static int
run_once(const char *yaml, const char *kernel, int with_ticks, struct scale_run *out)
{
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	struct zs_cfg *root = zs_cfg_load_string("bench", yaml, &err);
	FILE *ticks = with_ticks ? tmpfile() : NULL;
	int rc = -1;

	if (!root || zs_scenario_parse(&sc, root, "bench", kernel, &err)) {
		printf("  %s\n", err.msg);
		zs_cfg_free(root);
		return -1;
	}
	long r0 = rss_bytes();
	double t0 = zs_bench_cpu();
	struct zs_run *r = zs_run_create(&sc, &err);
	double t1 = zs_bench_cpu();
	long r1 = rss_bytes();
	if (r && !zs_run_execute(r, ticks, NULL, NULL, 0, &err)) {
		struct zs_vm *vm = zs_run_vm(r);

		out->run_s = zs_bench_cpu() - t1;
		out->boot_s = t1 - t0;
		out->rss_boot = r1 - r0;
		out->rss_run = rss_bytes() - r1;
		out->pages = vm->machine->nr_pages;
		out->bound = zs_pagemap_count(vm->pagemap);
		rc = 0;
	} else {
		printf("  %s\n", err.msg);
	}
	zs_run_destroy(r);
	zs_cfg_free(root);
	if (ticks)
		fclose(ticks);
	return rc;
}

/* The host's transparent huge page mode, the bracketed word of its sysfs file. */
static void
host_thp_mode(char *buf, size_t len)
{
	char line[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	const char *open_b, *close_b;

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && (open_b = strchr(line, '[')) &&
	    (close_b = strchr(open_b, ']')))
		snprintf(buf, len, "%.*s", (int)(close_b - open_b - 1), open_b + 1);
	fclose(f);
}

ZS_BENCH(scale)
{
	/* 2.4.0 on i386 maps at most 64 GiB (CONFIG_HIGHMEM64G), so it stops there */
	static const unsigned sizes[] = {1, 16, 128, 512}, sizes24[] = {1, 16, 64};
	static const char light[] = "  - {type: kernel, rate: 100, lifetime: 10ms}\n";
	char yaml[1024], label[128], thp[32];

	host_thp_mode(thp, sizeof(thp));
	printf("  (host transparent huge pages: %s; boot's figure assumes madvise or always)\n", thp);
	for (int k = 0; k < 3; k++) {
		int is24 = !strcmp(kernels[k], "2.4");
		const unsigned *sz = is24 ? sizes24 : sizes;

		for (int s = 0; s < (is24 ? 3 : 4); s++) {
			struct scale_run best = {0}, cur;

			machine_yaml(yaml, sizeof(yaml), kernels[k], sz[s], light, "4s");
			for (int run = 0; run < ZS_BENCH_RUNS; run++) {
				if (run_once(yaml, kernels[k], 1, &cur))
					break;
				if (!run || cur.run_s < best.run_s)
					best.run_s = cur.run_s;
				if (!run || cur.boot_s < best.boot_s)
					best.boot_s = cur.boot_s;
				best.pages = cur.pages;
			}
			if (!best.pages)
				continue;
			snprintf(label, sizeof(label), "4 s run, %s, %u GiB (after boot)", kernels[k],
				 sz[s]);
			zs_bench_report(label, best.run_s, "CPU s");
			if (sz[s] >= 16) {
				snprintf(label, sizeof(label), "boot, %s, %u GiB", kernels[k], sz[s]);
				zs_bench_target(label, best.boot_s / (double)best.pages * 1e9,
						"ns/page", 6, 0);
			}
		}
	}
}

/* A native trace of n order-0 anonymous allocations of pfns 4096.., never freed. */
static int
make_binder(const char *path, uint32_t n)
{
	struct zs_error err = {0, ""};
	FILE *f = fopen(path, "wb");
	struct zs_trace_writer *w = f ? zs_trace_native_create(f, path, ZS_TRACE_PERF, &err) : NULL;
	static const char gfp[] = "GFP_HIGHUSER_MOVABLE";
	struct zs_trace_event ev;
	uint64_t rest = 0;
	int rc = w ? 0 : -1;

	memset(&ev, 0, sizeof(ev));
	zs_gfp_modern_parse(gfp, sizeof(gfp) - 1, &ev.gfp_modern, &rest);
	ev.ev = ZS_TEV_ALLOC;
	ev.pid = 1000;
	ev.migratetype = -1;
	snprintf(ev.comm, sizeof(ev.comm), "binder");
	for (uint32_t i = 0; w && i < n && !rc; i++) {
		ev.time_ns = (int64_t)i * 100;
		ev.line = i + 1;
		ev.pfn = 4096 + i;
		rc = zs_trace_native_put(w, &ev, &err);
	}
	if (w && zs_trace_native_finish(w, n, &err))
		rc = -1;
	if (f && fclose(f))
		rc = -1;
	return rc;
}

/*
 * run_once() in a child process: a run's resident memory must not depend on
 * what earlier runs left in this process's heap.  0 or -1.
 */
static int
run_fresh(const char *yaml, const char *kernel, struct scale_run *out)
{
	int fd[2], status = 0;
	pid_t pid;

	fflush(stdout);
	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		struct scale_run r;
		int rc;

		/* the heap inherited from the parent holds freed memory still resident:
		 * give it back, or an allocation reusing it would not show in the figure */
		malloc_trim(0);
		rc = run_once(yaml, kernel, 0, &r);

		if (!rc && write(fd[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			rc = -1;
		fflush(stdout);
		_exit(rc ? 1 : 0);
	}
	close(fd[1]);
	ssize_t n = read(fd[0], out, sizeof(*out));
	close(fd[0]);
	waitpid(pid, &status, 0);
	return n == (ssize_t)sizeof(*out) && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

ZS_BENCH(memory)
{
	static const char light_workload[] = "  - {type: kernel, rate: 100, lifetime: 10ms}\n";
	char path[64], yaml[1024], workload[256], label[128];

	zs_bench_path(path, sizeof(path), "binder.zst");

	if (make_binder(path, 3400000)) {
		printf("  cannot write %s\n", path);
		return;
	}
	snprintf(workload, sizeof(workload), "  - {type: trace, path: \"%s\"}\n", path);
	for (int k = 0; k < 3; k++) {
		struct scale_run r, one, sixteen;

		/*
		 * Per page booted: what 15 GiB more cost, 16 GiB against 1 GiB, so that
		 * what a boot costs whatever the size (code and libraries faulted in, the
		 * engine, the model's tables) is not spread over the pages; that part is
		 * printed beside it.
		 */
		machine_yaml(yaml, sizeof(yaml), kernels[k], 1, light_workload, "10ms");
		if (run_fresh(yaml, kernels[k], &one))
			continue;
		machine_yaml(yaml, sizeof(yaml), kernels[k], 16, light_workload, "10ms");
		if (run_fresh(yaml, kernels[k], &sixteen) || sixteen.pages <= one.pages)
			continue;
		double per_page = (double)(sixteen.rss_boot - one.rss_boot) /
				  (double)(sixteen.pages - one.pages);
		snprintf(label, sizeof(label), "memory per page booted, %s (16 GiB against 1 GiB)",
			 kernels[k]);
		zs_bench_target(label, per_page, "bytes/page", 24, 0);
		snprintf(label, sizeof(label), "memory a boot costs whatever its size, %s", kernels[k]);
		zs_bench_report(label, ((double)one.rss_boot - per_page * (double)one.pages) / 1048576.0,
				"MiB");
		machine_yaml(yaml, sizeof(yaml), kernels[k], 16, workload, "auto");
		if (run_fresh(yaml, kernels[k], &r))
			continue;
		snprintf(label, sizeof(label), "memory per bound page, %s (%.1f M bound, replay)",
			 kernels[k], (double)r.bound / 1e6);
		zs_bench_target(label, r.bound ? (double)r.rss_run / (double)r.bound : 0,
				"bytes/page", 32, 0);
	}
	unlink(path);
}
