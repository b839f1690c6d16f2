/*
 * test_zone_reclaim.c - NUMA zone_reclaim of 2.6.18 and 2.6.32
 * (alloc/linux26/vmscan_zone.c): zone_reclaim_mode from the SLIT distances
 * and as a tunable, each decline rule, the priority loop 4..0, the mode bits
 * gating writeback and unmapping, the call in get_page_from_freelist, and a
 * checked run of configs/numa-zone-reclaim.yaml scaled down.
 */
#include "tests/support.h"
#include "tests/test_26_util.h"

#include "alloc/vm.h"
#include "sim/driver.h"

#define ZONE_PAGES 4096 /* 16 MiB per node: min_unmapped_pages = 40 */

static const struct zs_policy_ops *const versions[] = {&zs_policy_2618, &zs_policy_2632};

/* Two nodes of one Normal zone each, SLIT distance d; node 1 has cpus1 CPUs. */
static struct t26
two_nodes(const struct zs_policy_ops *ops, int d, int cpus1, const char *kernel_yaml)
{
	struct zs_machine_spec s;
	const enum zs_zone_type ty[] = {ZS_ZONE_NORMAL};
	const uint64_t pages[] = {ZONE_PAGES, 0};

	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, 1, ty, pages);
	t26_spec_node(&s, 1, cpus1, ty, pages);
	s.distance[0][0] = s.distance[1][1] = 10;
	s.distance[0][1] = s.distance[1][0] = d;
	return t26_boot_spec(ops, &s, kernel_yaml);
}

static struct zs_zone *
normal(struct t26 *t, int node)
{
	return t->m->nodes[node].zone[ZS_ZONE_NORMAL];
}

/* n page-cache pages in z, on the LRU, not referenced (so the first scan can take them). */
static void
cold_cache(struct t26 *t, struct zs_zone *z, unsigned n, uint64_t key0)
{
	struct zs_page *pages = t->m->pages;

	t26_add_cache(t, z, n, key0);
	zs26_lru_add_drain(t->vm, 0);
	for (uint32_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned; pfn++)
		pages[pfn].flags &= ~(ZS_PG_REFERENCED | ZS_PG_YOUNG);
}

static struct zs_alloc_req
req_on(struct zs_task *tk, unsigned cpu, uint32_t gfp)
{
	struct zs_alloc_req r;

	memset(&r, 0, sizeof(r));
	r.task = tk;
	r.cpu = cpu;
	r.gfp = gfp;
	r.node = -1;
	r.pfn = ZS_NIL;
	return r;
}

/* zone_reclaim's "declined" value: 0 on 2.6.18, the 2.6.32 code given. */
static int
declined(const struct t26 *t, int code32)
{
	return zs26_of(t->vm)->kver == ZS_KV_2632 ? code32 : 0;
}

/* The 2-node box at distance 30 with zone_reclaim_mode set to `mode`. */
static struct t26
boot_mode(int v, int mode)
{
	char yaml[64];

	snprintf(yaml, sizeof(yaml), "{zone_reclaim_mode: %d}", mode);
	return two_nodes(versions[v], 30, 1, yaml);
}

static void
map_file(struct zs_vm *vm, uint32_t pfn)
{
	zs26_map_file_page(vm, pfn, 0);
}

/* fn on every page-cache page of z. */
static void
each_cache_page(struct t26 *t, struct zs_zone *z, void (*fn)(struct zs_vm *, uint32_t))
{
	for (uint32_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned; pfn++)
		if (t->m->pages[pfn].flags & ZS26_PG_PAGECACHE)
			fn(t->vm, pfn);
}

Test(zone_reclaim, mode_follows_reclaim_distance_and_the_tunable)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_nodes(versions[v], 20, 1, NULL);

		/* KERNEL: RECLAIM_DISTANCE 20: distance 20 is not farther */
		cr_assert_eq(zs26_of(t.vm)->zone_reclaim_mode, 0);
		t26_free(&t);
		t = two_nodes(versions[v], 21, 1, NULL);
		cr_assert_eq(zs26_of(t.vm)->zone_reclaim_mode, 1);
		cr_assert_eq(zs26_zone(normal(&t, 0))->min_unmapped_pages, ZONE_PAGES / 100);
		t26_free(&t);
		t = two_nodes(versions[v], 30, 1, "{zone_reclaim_mode: 0}");
		cr_assert_eq(zs26_of(t.vm)->zone_reclaim_mode, 0);
		t26_free(&t);
		t = two_nodes(versions[v], 20, 1, "{zone_reclaim_mode: 3, min_unmapped_ratio: 10}");
		cr_assert_eq(zs26_of(t.vm)->zone_reclaim_mode, 3);
		cr_assert_eq(zs26_zone(normal(&t, 1))->min_unmapped_pages, ZONE_PAGES / 10);
		t26_free(&t);
	}
	struct t26 t = two_nodes(&zs_policy_2632, 30, 1, NULL);

	cr_assert_eq(zs26_zone(normal(&t, 0))->min_slab_pages, ZONE_PAGES * 5 / 100);
	t26_free(&t);
}

Test(zone_reclaim, tunable_errors_name_their_position)
{
	static const struct {
		const struct zs_policy_ops *ops;
		const char *yaml, *want;
	} cases[] = {
		{&zs_policy_2632, "{zone_reclaim_mode: 8}", "zone_reclaim_mode"},
		{&zs_policy_2618, "{zone_reclaim_mode: 16}", "zone_reclaim_mode"},
		{&zs_policy_2618, "{min_unmapped_ratio: 101}", "min_unmapped_ratio"},
		{&zs_policy_2618, "{min_slab_ratio: 5}", "2.6.19+"},
		{&zs_policy_2632, "{min_slab_ratio: -1}", "min_slab_ratio"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zs_machine_spec s;
		const enum zs_zone_type ty[] = {ZS_ZONE_NORMAL};
		const uint64_t pages[] = {ZONE_PAGES, 0};
		struct zs_error err = {0, ""};

		memset(&s, 0, sizeof(s));
		s.hz = 250;
		t26_spec_node(&s, 0, 1, ty, pages);
		struct zs_machine *m = zs_machine_create(&s, &err);
		struct zs_engine *e = zs_engine_create();
		struct zs_cfg *cfg = zs_cfg_load_string("kernel", cases[i].yaml, &err);

		cr_assert(m && cfg, "%s", err.msg);
		cr_assert_null(zs_vm_create(m, e, cases[i].ops, cfg, NULL, &err), "case %zu", i);
		cr_assert(strstr(err.msg, cases[i].want), "case %zu: %s", i, err.msg);
		cr_assert(strstr(err.msg, "kernel:1:"), "case %zu: %s", i, err.msg);
		zs_cfg_free(cfg);
		zs_engine_destroy(e);
		zs_machine_destroy(m);
	}
}

/* A zone with no more unmapped page cache than min_unmapped_pages is left alone. */
Test(zone_reclaim, declines_with_little_unmapped_page_cache)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_nodes(versions[v], 30, 1, NULL);
		struct zs_zone *z = normal(&t, 0);
		struct zs_alloc_req r = req_on(NULL, 0, GFP26_HIGHUSER);

		cold_cache(&t, z, ZONE_PAGES / 100, 1); /* exactly min_unmapped_pages */
		cr_assert_eq(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0),
			     declined(&t, ZS26_ZONE_RECLAIM_FULL));
		cr_assert_eq(zs26_zone(z)->zone_reclaim_declined[ZS26_ZR_UNMAPPED], 1);
		cold_cache(&t, z, 1, 100);
		cr_assert_gt(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0), 0);
		cr_assert_eq(zs26_zone(z)->zone_reclaim_scans, 1);
		t26_check(&t);
		t26_free(&t);
	}
}

/* Each remaining rule, in turn, on a zone that has plenty of page cache. */
Test(zone_reclaim, declines_unreclaimable_nowait_memalloc_and_remote)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_nodes(versions[v], 30, 1, NULL);
		struct zs_zone *z = normal(&t, 0);
		struct zs26_zone *zz = zs26_zone(z);
		struct zs_task *tk = zs_vm_task_new(t.vm, "a", 0);
		struct zs_alloc_req r = req_on(tk, 0, GFP26_HIGHUSER);

		cold_cache(&t, z, 1000, 1);
		zz->lru.all_unreclaimable = 1;
		cr_assert_eq(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0),
			     declined(&t, ZS26_ZONE_RECLAIM_FULL));
		cr_assert_eq(zz->zone_reclaim_declined[ZS26_ZR_UNRECLAIMABLE], 1);
		zz->lru.all_unreclaimable = 0;

		r.gfp = GFP26_ATOMIC; /* no __GFP_WAIT */
		cr_assert_eq(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0),
			     declined(&t, ZS26_ZONE_RECLAIM_NOSCAN));
		cr_assert_eq(zz->zone_reclaim_declined[ZS26_ZR_NOWAIT], 1);
		r.gfp = GFP26_HIGHUSER;

		tk->flags |= ZS_PF_MEMALLOC;
		cr_assert_eq(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0),
			     declined(&t, ZS26_ZONE_RECLAIM_NOSCAN));
		cr_assert_eq(zz->zone_reclaim_declined[ZS26_ZR_MEMALLOC], 1);
		cr_assert(tk->flags & ZS_PF_MEMALLOC, "a declined call leaves the flag alone");
		tk->flags &= ~ZS_PF_MEMALLOC;

		r.cpu = 1; /* node 1's CPU: node 0 has a CPU of its own to reclaim it */
		cr_assert_eq(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0),
			     declined(&t, ZS26_ZONE_RECLAIM_NOSCAN));
		cr_assert_eq(zz->zone_reclaim_declined[ZS26_ZR_REMOTE], 1);
		cr_assert_eq(zz->zone_reclaim_scans, 0);
		cr_assert_eq(zz->zone_reclaim_calls, 4);

		r.cpu = 0;
		cr_assert_eq(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0), 1);
		cr_assert_eq(tk->flags & ZS_PF_MEMALLOC, 0, "PF_MEMALLOC only during the scan");
		cr_assert_gt(tk->cpu_ns, 0, "scan time is charged to the task");
		cr_assert_eq(zz->zone_reclaim_declined[ZS26_ZR_LOCKED], 0);
		t26_check(&t);
		t26_free(&t);
	}
}

/* A node without CPUs is reclaimed by whoever allocates from it. */
Test(zone_reclaim, a_cpuless_node_is_reclaimed_from_a_remote_cpu)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_nodes(versions[v], 30, 0, NULL);
		struct zs_zone *z = normal(&t, 1);
		struct zs_alloc_req r = req_on(NULL, 0, GFP26_HIGHUSER);

		cold_cache(&t, z, 1000, 1);
		cr_assert_eq(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0), 1);
		cr_assert_eq(zs26_zone(z)->zone_reclaim_success, 1);
		t26_free(&t);
	}
}

/* Priorities 4, 3, ... stop as soon as 2^order pages are free. */
Test(zone_reclaim, priority_loop_stops_when_enough_is_reclaimed)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_nodes(versions[v], 30, 1, NULL);
		struct zs_zone *z = normal(&t, 0);
		struct zs26_zone *zz = zs26_zone(z);
		struct zs_alloc_req r = req_on(NULL, 0, GFP26_HIGHUSER);

		cold_cache(&t, z, 3000, 1);
		zz->lru.prev_priority = ZS26_DEF_PRIORITY;
		cr_assert_eq(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0), 1);
		/* one shrink_zone at priority 4 was enough: (3000 >> 4) + 1 pages, rounded up to
		 * whole SWAP_CLUSTER_MAX batches; priority 3 would have added 3000 >> 3 more */
		cr_assert_leq(zz->zone_reclaim_scanned, 192, "v %d scanned %llu", v,
			      (unsigned long long)zz->zone_reclaim_scanned);
		cr_assert_geq(zz->zone_reclaim_reclaimed, 1);
		if (v == 1)
			cr_assert_eq(zz->lru.prev_priority, ZS26_ZONE_RECLAIM_PRIORITY);
		t26_check(&t);
		t26_free(&t);
	}
}

/* Without RECLAIM_SWAP no mapped page is unmapped; with it they are. */
Test(zone_reclaim, unmapping_needs_reclaim_swap)
{
	for (int v = 0; v < 2; v++) {
		for (int mode = 1; mode <= 5; mode += 4) {
			struct t26 t = boot_mode(v, mode);
			struct zs_zone *z = normal(&t, 0);
			struct zs26_zone *zz = zs26_zone(z);
			struct zs_alloc_req r = req_on(NULL, 0, GFP26_HIGHUSER);

			/* 2000 mapped file pages at the tail, 100 unmapped ones at the head */
			t26_add_cache(&t, z, 2000, 1);
			each_cache_page(&t, z, map_file);
			cold_cache(&t, z, 100, 5000);
			cr_assert_eq(zz->vm_stat[ZS26_NR_FILE_MAPPED], 2000);
			cr_assert_eq(zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0), 1, "v %d mode %d", v,
				     mode);
			if (mode == 1)
				cr_assert_eq(zz->vm_stat[ZS26_NR_FILE_MAPPED], 2000, "v %d", v);
			else
				cr_assert_lt(zz->vm_stat[ZS26_NR_FILE_MAPPED], 2000, "v %d", v);
			t26_check(&t);
			t26_free(&t);
		}
	}
}

/* Nothing the mode lets it take (mapped, or dirty without RECLAIM_WRITE): 2.6.18 runs
 * priorities 4..0 in vain and fails; 2.6.32 does not count dirty pages and declines FULL. */
Test(zone_reclaim, nothing_to_take_runs_every_priority_2618_declines_2632)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_nodes(versions[v], 30, 1, NULL);
		struct zs_zone *z = normal(&t, 0);
		struct zs26_zone *zz = zs26_zone(z);
		struct zs_alloc_req r = req_on(NULL, 0, GFP26_HIGHUSER);

		cold_cache(&t, z, 100, 1);
		each_cache_page(&t, z, zs26_account_dirty);
		int ret = zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0);

		if (v == 0) {
			cr_assert_eq(ret, 0);
			cr_assert_eq(zz->zone_reclaim_failed, 1);
			cr_assert_eq(zz->zone_reclaim_reclaimed, 0);
			/* priorities 4..0 each sift (100 >> p) + 1 into nr_scan_inactive: at
			 * least the last ones reach SWAP_CLUSTER_MAX and scan */
			cr_assert_geq(zz->zone_reclaim_scanned, 100);
		} else {
			cr_assert_eq(ret, ZS26_ZONE_RECLAIM_FULL);
			cr_assert_eq(zz->zone_reclaim_scans, 0);
		}
		t26_check(&t);
		t26_free(&t);
	}
}

/* 2.6.32 without RECLAIM_WRITE does not count dirty page cache as reclaimable, and no
 * zone_reclaim scan writes a page unless RECLAIM_WRITE is set. */
Test(zone_reclaim, dirty_pages_need_reclaim_write)
{
	for (int v = 0; v < 2; v++) {
		for (int mode = 1; mode <= 3; mode += 2) {
			struct t26 t = boot_mode(v, mode);
			struct zs_zone *z = normal(&t, 0);
			struct zs26_zone *zz = zs26_zone(z);
			struct zs_alloc_req r = req_on(NULL, 0, GFP26_HIGHUSER);

			cold_cache(&t, z, 1000, 1);
			each_cache_page(&t, z, zs26_account_dirty);
			cr_assert_eq(zz->vm_stat[ZS26_NR_FILE_DIRTY], 1000);
			uint64_t want = (v == 1 && mode == 1) ? 0 : 1000;

			cr_assert_eq(zs26_zone_pagecache_reclaimable(t.vm, z), want);
			int ret = zs26_zone_reclaim(t.vm, &r, z, r.gfp, 0);

			if (v == 1 && mode == 1) {
				cr_assert_eq(ret, ZS26_ZONE_RECLAIM_FULL);
				cr_assert_eq(zz->zone_reclaim_declined[ZS26_ZR_UNMAPPED], 1);
			}
			if (mode == 1)
				cr_assert_eq(zs26_of(t.vm)->rc.vmscan_write, 0, "v %d", v);
			else
				cr_assert_gt(zs26_of(t.vm)->rc.vmscan_write, 0, "v %d", v);
			t26_check(&t);
			t26_free(&t);
		}
	}
}

/* get_page_from_freelist: below the low mark, mode 1 reclaims node 0, mode 0 spills. */
Test(zone_reclaim, a_full_local_zone_is_reclaimed_before_spilling)
{
	for (int v = 0; v < 2; v++) {
		for (int mode = 0; mode <= 1; mode++) {
			struct t26 t = boot_mode(v, mode);
			struct zs_zone *z = normal(&t, 0);
			struct zs_alloc_req r = req_on(NULL, 0, GFP26_HIGHUSER);
			const int *zl;
			int nzl = zs26_zonelist(t.vm, 0, r.gfp, &zl);

			cold_cache(&t, z, (unsigned)(z->free_pages - z->pages_low + 1), 1);
			cr_assert_lt(z->free_pages, z->pages_low + 1);
			uint32_t pfn = zs26_get_page_from_freelist(t.vm, &r, r.gfp, 0, zl, nzl,
								  ZS26_ALLOC_WMARK_LOW,
								  zs26_zlc_of(t.vm, 0, r.gfp));

			cr_assert_neq(pfn, ZS_NIL);
			cr_assert_eq(zs_pfn_zone(t.m, pfn)->node, mode ? 0 : 1, "v %d mode %d", v,
				     mode);
			cr_assert_eq(zs26_zone(z)->zone_reclaim_calls, (uint64_t)mode);
			t26_free(&t);
		}
	}
}

/* configs/numa-zone-reclaim.yaml scaled down, with the invariant checker after every event. */
static struct zs_run *
run_small(const char *v, int mode, struct zs_cfg **root)
{
	static const char *const sets[] = {
		"machine.nodes.0.zones.0.size=8MiB", "machine.nodes.1.zones.0.size=8MiB",
		"machine.swap=8MiB", "workload.0.files=1", "workload.0.file_size=12MiB",
		"workload.0.io_rate=8000", "workload.1.phases.0.start=1s",
		"workload.1.phases.0.source.footprint=4MiB", "duration=1500ms", "output.check=true",
		NULL};
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	char mode_set[64];
	struct zs_run *r;

	*root = zs_cfg_load_file("configs/numa-zone-reclaim.yaml", &err);
	cr_assert(*root, "%s", err.msg);
	for (int i = 0; sets[i]; i++)
		cr_assert_eq(zs_cfg_set(*root, sets[i], &err), 0, "%s: %s", sets[i], err.msg);
	snprintf(mode_set, sizeof(mode_set), "kernel.zone_reclaim_mode=%d", mode);
	cr_assert_eq(zs_cfg_set(*root, mode_set, &err), 0, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(&sc, *root, "numa-zone-reclaim.yaml", v, &err), 0, "%s",
		     err.msg);
	cr_assert(sc.check);
	r = zs_run_create(&sc, &err);
	cr_assert(r, "%s", err.msg);
	cr_assert_eq(zs_run_execute(r, NULL, NULL, NULL, 0, &err), 0, "%s", err.msg);
	return r;
}

Test(zone_reclaim, scenario_keeps_allocations_local_with_mode_1)
{
	const char *v[] = {"2.6.18", "2.6.32"};

	for (int i = 0; i < 2; i++) {
		uint64_t miss[2] = {0, 0}, calls = 0;

		for (int mode = 0; mode <= 1; mode++) {
			struct zs_cfg *root;
			struct zs_run *r = run_small(v[i], mode, &root);
			struct zs_machine *m = zs_run_vm(r)->machine;

			for (int zi = 0; zi < m->nr_zones; zi++) {
				miss[mode] += zs26_zone(&m->zones[zi])->numa_miss;
				if (mode)
					calls += zs26_zone(&m->zones[zi])->zone_reclaim_calls;
			}
			zs_run_destroy(r);
			zs_cfg_free(root);
		}
		cr_assert_gt(calls, 0, "%s", v[i]);
		cr_assert_gt(miss[0], 1000, "%s: mode 0 spills to node 1", v[i]);
		cr_assert_lt(miss[1] * 10, miss[0], "%s: mode 1 stays local", v[i]);
	}
}

/* summary.txt: no zone_reclaim line at mode 0 (so those summaries stay as they were), the counts otherwise. */
Test(zone_reclaim, summary_lines_only_when_the_mode_is_on)
{
	for (int d = 20; d <= 30; d += 10) {
		struct t26 t = two_nodes(&zs_policy_2632, d, 1, NULL);
		char buf[8192] = "";
		FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

		cr_assert_not_null(f);
		t.vm->ops->summary(t.vm, f);
		cr_assert_eq(fclose(f), 0);
		if (d == 20) {
			/* a two-node machine also reports its remote pcp drains */
			cr_assert_null(strstr(buf, "zone_reclaim"), "%s", buf);
		} else {
			cr_assert(strstr(buf, "zone_reclaim_mode: 1\nzone_reclaim_calls: 0\n"), "%s", buf);
			cr_assert(strstr(buf, "\nzone_reclaim_decline_remote_node_node1_Normal: 0\n"),
				  "%s", buf);
		}
		t26_free(&t);
	}
}
