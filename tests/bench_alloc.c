/*
 * bench_alloc.c - order-0 allocation + free pairs through each model's real
 * entry points (ops->alloc / ops->free: the watermark test, the zonelist, the
 * per-cpu lists of 2.6, the 2.4.0 passes and memory_pressure), not the buddy
 * alone.
 *
 * Three shapes, on a booted 1 GiB machine:
 *   - window: a ring of 4096 live pages; each pair frees the oldest and
 *     allocates a new one.  Every model hands back the page just freed (the
 *     2.6 pcp list and the 2.4.0 order-0 free list are LIFO, and the freed
 *     page's buddy is still live), so in steady state this is the fast path
 *     with nothing split or merged: the figure the targets are set on;
 *   - window in batches: free the 256 oldest, then allocate 256, so 2.6's pcp
 *     lists spill to and refill from the buddy, and 2.4.0's neighbours merge
 *     and split again;
 *   - hot loop: allocate and free the same page at once (2.4.0 splits and
 *     re-merges a large block on every pair: its worst case).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/vm.h"
#include "sim/cfg.h"
#include "sim/engine.h"
#include "tests/bench.h"

#define WINDOW 4096

struct bvm {
	struct zs_machine *m;
	struct zs_engine *e;
	struct zs_cfg *k;
	struct zs_vm *vm;
	uint32_t gfp;
};

static int
bvm_boot(struct bvm *b, enum zs_kver v)
{
	struct zs_machine_spec spec;
	struct zs_error err = {0, ""};

	memset(b, 0, sizeof(*b));
	memset(&spec, 0, sizeof(spec));
	spec.nr_nodes = 1;
	spec.hz = 250;
	spec.nodes[0].cpus = 2;
	spec.nodes[0].nr_zones = 2;
	spec.nodes[0].zones[0] = (struct zs_zone_spec){ZS_ZONE_DMA, 4096};
	spec.nodes[0].zones[1] =
		(struct zs_zone_spec){v == ZS_KV_24 ? ZS_ZONE_NORMAL : ZS_ZONE_DMA32, 258048};
	b->m = zs_machine_create(&spec, &err);
	b->e = zs_engine_create();
	b->k = zs_cfg_new_map("bench");
	if (b->m && b->e && b->k)
		b->vm = zs_vm_create(b->m, b->e, zs_policy_for(v), b->k, NULL, &err);
	if (!b->vm || zs_gfp_parse(v, "GFP_KERNEL", &b->gfp, &err)) {
		printf("  %s: %s\n", zs_kver_name(v), err.msg);
		return -1;
	}
	return 0;
}

static void
bvm_free(struct bvm *b)
{
	zs_vm_destroy(b->vm);
	zs_cfg_free(b->k);
	zs_engine_destroy(b->e);
	zs_machine_destroy(b->m);
}

/* One order-0 allocation on CPU 0 that must succeed on the fast path. */
static inline uint32_t
alloc_one(struct bvm *b)
{
	struct zs_alloc_req req;

	/* as the driver's alloc_start: the model's part (step on) cleared, each field before it set */
	memset(&req.step, 0, sizeof(req) - offsetof(struct zs_alloc_req, step));
	req.thread = NULL;
	req.task = NULL;
	req.gfp = b->gfp;
	req.order = 0;
	req.cpu = 0;
	req.kind = ZS_KIND_KERNEL;
	req.node = -1;
	req.pfn = ZS_NIL;
	req.pref_node = -1;
	req.policy = "default";
	if (b->vm->ops->alloc(b->vm, &req) != ZS_ALLOC_DONE || req.pfn == ZS_NIL)
		abort(); /* a 1 GiB machine with 4096 pages in use never blocks */
	return req.pfn;
}

/* Best of `runs` pairs per second; window = 0 for the hot loop; batch pages freed, then
 * allocated, per step of the window. */
static double
pairs_per_sec(enum zs_kver v, int window, int batch, long n, int runs)
{
	double best = 0;

	for (int run = 0; run < runs; run++) {
		struct bvm b;
		static uint32_t ring[WINDOW];

		if (bvm_boot(&b, v))
			return 0;
		for (int i = 0; i < window; i++)
			ring[i] = alloc_one(&b);
		double t0 = zs_bench_cpu();
		if (window && batch == 1) {
			/* a step of one page: one loop, so the figure is the pair's, not nested loops' */
			for (long i = 0; i < n; i++) {
				b.vm->ops->free(b.vm, ring[i & (WINDOW - 1)], 0, 0);
				ring[i & (WINDOW - 1)] = alloc_one(&b);
			}
		} else if (window) {
			for (long i = 0; i < n; i += batch) {
				for (int j = 0; j < batch; j++)
					b.vm->ops->free(b.vm, ring[(i + j) & (WINDOW - 1)], 0, 0);
				for (int j = 0; j < batch; j++)
					ring[(i + j) & (WINDOW - 1)] = alloc_one(&b);
			}
		} else {
			for (long i = 0; i < n; i++)
				b.vm->ops->free(b.vm, alloc_one(&b), 0, 0);
		}
		double t = zs_bench_cpu() - t0;
		if (t > 0 && (double)n / t > best)
			best = (double)n / t;
		bvm_free(&b);
	}
	return best;
}

ZS_BENCH(alloc)
{
	static const enum zs_kver kv[] = {ZS_KV_2632, ZS_KV_2618, ZS_KV_24};
	const long n = 5120000; /* a whole number of batches */
	const char *pairs = getenv("ZSIM_BENCH_PAIRS"), *only = getenv("ZSIM_BENCH_KERNEL");
	char label[96];

	if (pairs) {
		/* for instruction counts (tests/bench-instructions.sh): the window alone, once */
		for (int i = 0; i < 3; i++)
			if (!only || !strcmp(only, zs_kver_name(kv[i])))
				zs_bench_report(zs_kver_name(kv[i]),
						pairs_per_sec(kv[i], WINDOW, 1, atol(pairs), 1) / 1e6,
						"M pairs/s");
		return;
	}
	for (int i = 0; i < 3; i++) {
		double target = kv[i] == ZS_KV_24 ? 40 : 60;

		snprintf(label, sizeof(label), "order-0 pairs via ops, %s, 4096-page window",
			 zs_kver_name(kv[i]));
		zs_bench_target(label, pairs_per_sec(kv[i], WINDOW, 1, n, ZS_BENCH_RUNS) / 1e6,
				"M pairs/s", target, 1);
		snprintf(label, sizeof(label), "order-0 pairs via ops, %s, window, batches of 256",
			 zs_kver_name(kv[i]));
		zs_bench_report(label, pairs_per_sec(kv[i], WINDOW, 256, n, ZS_BENCH_RUNS) / 1e6,
				"M pairs/s");
		snprintf(label, sizeof(label), "order-0 pairs via ops, %s, hot loop",
			 zs_kver_name(kv[i]));
		zs_bench_report(label, pairs_per_sec(kv[i], 0, 1, n, ZS_BENCH_RUNS) / 1e6, "M pairs/s");
	}
}
