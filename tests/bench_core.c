/*
 * bench_core.c - core figures: order-0 alloc+free pairs through the buddy,
 * events through the engine, and the memory a simulated page costs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/buddy.h"
#include "alloc/vm.h"
#include "sim/cfg.h"
#include "sim/engine.h"
#include "sim/rng.h"
#include "tests/bench.h"

static struct zs_machine *
machine_of(uint64_t pages)
{
	struct zs_machine_spec spec;
	struct zs_error err = {0, ""};

	memset(&spec, 0, sizeof(spec));
	spec.nr_nodes = 1;
	spec.hz = 100;
	spec.nodes[0].cpus = 2;
	if (pages > 4096) {
		spec.nodes[0].nr_zones = 2;
		spec.nodes[0].zones[0] = (struct zs_zone_spec){ZS_ZONE_DMA, 4096};
		spec.nodes[0].zones[1] = (struct zs_zone_spec){ZS_ZONE_DMA32, pages - 4096};
	} else {
		spec.nodes[0].nr_zones = 1;
		spec.nodes[0].zones[0] = (struct zs_zone_spec){ZS_ZONE_DMA, pages};
	}
	return zs_machine_create(&spec, &err);
}

static void
buddy_pairs(enum zs_buddy_discipline d, const char *label)
{
	struct zs_machine *m = machine_of(262144);
	struct zs_zone *z = &m->zones[1];
	struct zs_error err = {0, ""};
	const long n = 20000000;
	uint32_t keep[64];
	double t0, t1;

	zs_buddy_init(z, d, &err);
	zs_buddy_boot(m, z, 0);
	/* a realistic mix: some order-0 blocks on the list, so most requests hit order 0 */
	for (int i = 0; i < 64; i++)
		keep[i] = zs_buddy_rmqueue(m, z, 0, 0);
	for (int i = 0; i < 64; i += 2)
		zs_buddy_free(m, z, keep[i], 0, 0);
	t0 = zs_bench_now();
	for (long i = 0; i < n; i++) {
		uint32_t pfn = zs_buddy_rmqueue(m, z, 0, 0);

		zs_buddy_free(m, z, pfn, 0, 0);
	}
	t1 = zs_bench_now();
	zs_bench_report(label, (double)n / (t1 - t0) / 1e6, "M pairs/s (target >= 20)");
	zs_buddy_fini(z);
	zs_machine_destroy(m);
}

ZS_BENCH(buddy)
{
	buddy_pairs(ZS_BUDDY_24, "order-0 alloc+free, 2.4.0 buddy");
	buddy_pairs(ZS_BUDDY_26, "order-0 alloc+free, 2.6 buddy");
}

static long ev_left;

static void
tick(void *arg, uint64_t data)
{
	struct zs_engine *e = arg;

	if (--ev_left > 0)
		zs_event_at(e, zs_now(e) + (zs_time_t)(data % 1000) + 1, tick, e, data * 7 + 3);
}

ZS_BENCH(engine)
{
	struct zs_engine *e = zs_engine_create();
	const long n = 10000000;
	double t0, t1;

	/* 64 interleaved self-rescheduling timers: a heap of realistic depth */
	ev_left = n;
	for (int i = 0; i < 64; i++)
		zs_event_at(e, i, tick, e, (uint64_t)i);
	t0 = zs_bench_now();
	zs_engine_run(e, INT64_MAX / 2, NULL, NULL);
	t1 = zs_bench_now();
	zs_bench_report("engine events", (double)zs_engine_events(e) / (t1 - t0) / 1e6, "M events/s");
	zs_engine_destroy(e);
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

static void
bytes_per_page(enum zs_kver v)
{
	const uint64_t pages = 16ull << 18; /* 16 GiB */
	struct zs_error err = {0, ""};
	long before = rss_bytes();
	struct zs_machine_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.nr_nodes = 1;
	spec.hz = 100;
	spec.nodes[0].cpus = 2;
	if (v == ZS_KV_24) {
		spec.nodes[0].nr_zones = 3;
		spec.nodes[0].zones[0] = (struct zs_zone_spec){ZS_ZONE_DMA, 4096};
		spec.nodes[0].zones[1] = (struct zs_zone_spec){ZS_ZONE_NORMAL, 225280};
		spec.nodes[0].zones[2] = (struct zs_zone_spec){ZS_ZONE_HIGHMEM, pages - 229376};
	} else {
		spec.nodes[0].nr_zones = 3;
		spec.nodes[0].zones[0] = (struct zs_zone_spec){ZS_ZONE_DMA, 4096};
		spec.nodes[0].zones[1] = (struct zs_zone_spec){ZS_ZONE_DMA32, 1044480};
		spec.nodes[0].zones[2] = (struct zs_zone_spec){ZS_ZONE_NORMAL, pages - 1048576};
	}
	spec.swap_pages = 0;
	struct zs_machine *m = zs_machine_create(&spec, &err);
	struct zs_engine *e = zs_engine_create();
	struct zs_cfg *k = zs_cfg_new_map("bench");
	struct zs_rng *r = zs_rng_create(1, "bench", 0);
	struct zs_vm *vm = m ? zs_vm_create(m, e, zs_policy_for(v), k, r, &err) : NULL;
	long after = rss_bytes();
	char label[96];

	snprintf(label, sizeof(label), "memory per simulated page, 16 GiB, %s booted", zs_kver_name(v));
	if (vm)
		zs_bench_report(label, (double)(after - before) / (double)pages,
				"bytes/page (target <= 24)");
	else
		printf("  %s: %s\n", label, err.msg);
	zs_vm_destroy(vm);
	zs_cfg_free(k);
	zs_rng_destroy(r);
	zs_engine_destroy(e);
	zs_machine_destroy(m);
}

ZS_BENCH(memory)
{
	bytes_per_page(ZS_KV_24);
	bytes_per_page(ZS_KV_2618);
	bytes_per_page(ZS_KV_2632);
}
