/*
 * test_26_reclaim_formulas.c - the arithmetic of 2.6 reclaim, each formula
 * against hand-computed values: reclaim_mapped (2.6.18), inactive_ratio,
 * get_scan_ratio, inactive_*_is_low, the all_unreclaimable thresholds, the
 * scan counts of both shrink_zones, the request-queue congestion marks and
 * congestion_wait's early return, get_dirty_limits.
 */
#include "tests/test_26_reclaim_util.h"

Test(zs26_formulas, reclaim_mapped_swap_tendency)
{
	/* mapped_ratio / 2 + (100 >> prev_priority) + swappiness >= 100 */
	cr_assert_eq(zs26_reclaim_mapped(500, 1000, 12, 60), 0);  /* 25 + 0 + 60 */
	cr_assert_eq(zs26_reclaim_mapped(800, 1000, 12, 60), 1);  /* 40 + 0 + 60 */
	cr_assert_eq(zs26_reclaim_mapped(790, 1000, 12, 60), 0);  /* 39 + 0 + 60 */
	cr_assert_eq(zs26_reclaim_mapped(500, 1000, 2, 60), 1);   /* 25 + 25 + 60 */
	cr_assert_eq(zs26_reclaim_mapped(500, 1000, 4, 60), 0);   /* 25 + 6 + 60 */
	cr_assert_eq(zs26_reclaim_mapped(0, 1000, 12, 100), 1);   /* swappiness 100 overrides */
	cr_assert_eq(zs26_reclaim_mapped(1000, 1000, 1, 0), 1);   /* 50 + 50 + 0 */
	cr_assert_eq(zs26_reclaim_mapped(1000, 1000, 2, 0), 0);   /* 50 + 25 + 0 */
	cr_assert_eq(zs26_reclaim_mapped(0, 1000, 0, 0), 1);      /* distress 100 at priority 0 */
}

Test(zs26_formulas, inactive_ratio)
{
	cr_assert_eq(zs26_inactive_ratio(262143), 1);           /* under 1 GiB */
	cr_assert_eq(zs26_inactive_ratio(262144), 3);           /* int_sqrt(10) */
	cr_assert_eq(zs26_inactive_ratio(4 * 262144), 6);       /* int_sqrt(40) */
	cr_assert_eq(zs26_inactive_ratio(10 * 262144), 10);     /* int_sqrt(100) */
	cr_assert_eq(zs26_inactive_ratio(1024ull * 262144), 101); /* 1 TiB: int_sqrt(10240) */
}

/* Pretend list sizes for the ratio tests (the lists are empty; counts only). */
static void
set_counts(struct t26 *t, uint32_t ia, uint32_t aa, uint32_t in_f, uint32_t af)
{
	struct zs26_lruvec *lv = r_lv(t);

	lv->lru[ZS26_LRU_INACTIVE_ANON].count = ia;
	lv->lru[ZS26_LRU_ACTIVE_ANON].count = aa;
	lv->lru[ZS26_LRU_INACTIVE_FILE].count = in_f;
	lv->lru[ZS26_LRU_ACTIVE_FILE].count = af;
}

Test(zs26_formulas, get_scan_ratio)
{
	struct t26 t = r_boot(&zs_policy_2632, 1000, NULL);
	struct zs26_sc sc = r_sc(&t);
	struct zs26_lruvec *lv = r_lv(&t);
	uint64_t pc[2];

	set_counts(&t, 500, 500, 1500, 1500);
	lv->recent_scanned[0] = 100;
	lv->recent_rotated[0] = 50;
	lv->recent_scanned[1] = 200;
	lv->recent_rotated[1] = 20;
	zs26_get_scan_ratio(t.vm, r_zone(&t), &sc, pc);
	/* ap = 61 * 101 / 51 = 120; fp = 141 * 201 / 21 = 1349; 100 * 120 / 1470 = 8 */
	cr_assert_eq(pc[0], 8);
	cr_assert_eq(pc[1], 92);
	cr_assert_eq(lv->recent_scanned[0], 100, "no halving below a quarter of the list");

	/* swappiness 100: equal priorities, equal rotation -> about half */
	sc.swappiness = 100;
	lv->recent_scanned[0] = lv->recent_scanned[1] = 100;
	lv->recent_rotated[0] = lv->recent_rotated[1] = 0;
	zs26_get_scan_ratio(t.vm, r_zone(&t), &sc, pc);
	/* ap = 101 * 101 = 10201, fp = 101 * 101 = 10201; 1020100 / 20403 = 49 */
	cr_assert_eq(pc[0], 49);

	/* recent_scanned above a quarter of the list: both halve first */
	sc.swappiness = 60;
	lv->recent_scanned[0] = 300; /* > 1000 / 4 */
	lv->recent_rotated[0] = 101;
	lv->recent_scanned[1] = 100;
	lv->recent_rotated[1] = 0;
	zs26_get_scan_ratio(t.vm, r_zone(&t), &sc, pc);
	cr_assert_eq(lv->recent_scanned[0], 150);
	cr_assert_eq(lv->recent_rotated[0], 50);
	/* ap = 61 * 151 / 51 = 180; fp = 141 * 101 / 1 = 14241; 18000 / 14422 = 1 */
	cr_assert_eq(pc[0], 1);
	cr_assert_eq(pc[1], 99);

	/* file + free <= high: anon only */
	set_counts(&t, 500, 500, 10, 10);
	t26_drain_to(&t, r_zone(&t), 300);
	zs26_get_scan_ratio(t.vm, r_zone(&t), &sc, pc);
	cr_assert_eq(pc[0], 100);
	cr_assert_eq(pc[1], 0);
	set_counts(&t, 0, 0, 0, 0);
	t26_free(&t);
}

Test(zs26_formulas, inactive_is_low)
{
	struct t26 t = r_boot(&zs_policy_2632, 0, NULL);
	struct zs_zone *z = r_zone(&t);

	cr_assert_eq(r_lv(&t)->inactive_ratio, 1, "a 64 MiB zone");
	set_counts(&t, 100, 101, 100, 100);
	cr_assert_eq(zs26_inactive_anon_is_low(z), 1);  /* 100 * 1 < 101 */
	cr_assert_eq(zs26_inactive_file_is_low(z), 0);  /* 100 > 100 is false */
	set_counts(&t, 100, 100, 100, 101);
	cr_assert_eq(zs26_inactive_anon_is_low(z), 0);
	cr_assert_eq(zs26_inactive_file_is_low(z), 1);
	r_lv(&t)->inactive_ratio = 3;
	set_counts(&t, 100, 301, 0, 0);
	cr_assert_eq(zs26_inactive_anon_is_low(z), 1);  /* 300 < 301 */
	set_counts(&t, 100, 300, 0, 0);
	cr_assert_eq(zs26_inactive_anon_is_low(z), 0);
	set_counts(&t, 0, 0, 0, 0);
	t26_free(&t);
}

Test(zs26_formulas, unreclaimable_thresholds)
{
	/* 2.6.18: pages_scanned >= 4 x (active + inactive) */
	struct t26 t = r_boot(&zs_policy_2618, 100, NULL);
	struct zs26_lruvec *lv = r_lv(&t);

	lv->lru[ZS26_LRU_ACTIVE].count = 30;
	lv->lru[ZS26_LRU_INACTIVE].count = 20;
	lv->pages_scanned = 199;
	cr_assert_eq(zs26_zone_unreclaimable(t.vm, r_zone(&t)), 0);
	lv->pages_scanned = 200;
	cr_assert_eq(zs26_zone_unreclaimable(t.vm, r_zone(&t)), 1);
	lv->lru[ZS26_LRU_ACTIVE].count = lv->lru[ZS26_LRU_INACTIVE].count = 0;
	t26_free(&t);

	/* 2.6.32: 6 x zone_reclaimable_pages, anon counted only while swap is left */
	t = r_boot(&zs_policy_2632, 100, NULL);
	set_counts(&t, 10, 10, 20, 10);
	r_lv(&t)->pages_scanned = 299;
	cr_assert_eq(zs26_zone_reclaimable_pages(t.vm, r_zone(&t)), 50);
	cr_assert_eq(zs26_zone_unreclaimable(t.vm, r_zone(&t)), 0);
	r_lv(&t)->pages_scanned = 300;
	cr_assert_eq(zs26_zone_unreclaimable(t.vm, r_zone(&t)), 1);
	t.vm->swap.nr_free = 0;
	cr_assert_eq(zs26_zone_reclaimable_pages(t.vm, r_zone(&t)), 30);
	r_lv(&t)->pages_scanned = 180;
	cr_assert_eq(zs26_zone_unreclaimable(t.vm, r_zone(&t)), 1);
	t.vm->swap.nr_free = 100;
	set_counts(&t, 0, 0, 0, 0);
	t26_free(&t);
}

Test(zs26_formulas, shrink_zone_2618_scan_counts)
{
	struct t26 t = r_boot(&zs_policy_2618, 0, NULL);
	struct zs26_lruvec *lv = r_lv(&t);
	struct zs26_sc sc = r_sc(&t);

	r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 100, 1, NULL);
	cr_assert_eq(lv->lru[ZS26_LRU_INACTIVE].count, 100);
	/* priority 12: (100 >> 12) + 1 = 1 each; below 32 nothing is scanned */
	zs26_shrink_zone(t.vm, r_zone(&t), 12, &sc);
	cr_assert_eq(lv->nr_scan_inactive, 1);
	cr_assert_eq(lv->nr_scan_active, 1);
	cr_assert_eq(lv->pgscan_direct, 0);
	/* priority 2: + (100 >> 2) + 1 = 27 */
	zs26_shrink_zone(t.vm, r_zone(&t), 2, &sc);
	cr_assert_eq(lv->nr_scan_inactive, 27);
	cr_assert_eq(lv->pgscan_direct, 0);
	/* priority 1: + 51 = 78 >= 32: taken (zeroed) and scanned in chunks of 32 */
	zs26_shrink_zone(t.vm, r_zone(&t), 1, &sc);
	cr_assert_eq(lv->nr_scan_inactive, 0);
	/* chunks 32 + 32 + 14, but each shrink_inactive_list isolates a whole cluster */
	cr_assert_eq(lv->pgscan_direct, 96);
	cr_assert_eq(lv->lru[ZS26_LRU_INACTIVE].count, 4, "the read-once pages scanned were freed");
	/* the empty active list still gets its "+1" per call: 3, below 32, kept */
	cr_assert_eq(lv->nr_scan_active, 3);
	t26_free(&t);
}

Test(zs26_formulas, shrink_zone_2632_scan_counts)
{
	/* no swap: anon gets 0 %, file 100 %; small amounts wait in nr_saved_scan */
	struct t26 t = r_boot(&zs_policy_2632, 0, NULL);
	struct zs26_lruvec *lv = r_lv(&t);
	struct zs26_sc sc = r_sc(&t);

	r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 1000, 1, NULL);
	cr_assert_eq(lv->lru[ZS26_LRU_INACTIVE_FILE].count, 1000);
	zs26_shrink_zone(t.vm, r_zone(&t), 12, &sc); /* 1000 >> 12 = 0 */
	cr_assert_eq(lv->nr_saved_scan[ZS26_LRU_INACTIVE_FILE], 0);
	zs26_shrink_zone(t.vm, r_zone(&t), 5, &sc); /* 1000 >> 5 = 31: saved */
	cr_assert_eq(lv->nr_saved_scan[ZS26_LRU_INACTIVE_FILE], 31);
	cr_assert_eq(lv->pgscan_direct, 0);
	zs26_shrink_zone(t.vm, r_zone(&t), 5, &sc); /* 62 >= 32: scanned */
	cr_assert_eq(lv->nr_saved_scan[ZS26_LRU_INACTIVE_FILE], 0);
	cr_assert_eq(lv->pgscan_direct, 64, "two chunks of 32 for 62 pages of budget");
	cr_assert_eq(lv->pgsteal, 64);
	cr_assert_eq(lv->recent_scanned[1], 1000 + 64, "1000 adds + 64 isolated");
	t26_free(&t);
}

Test(zs26_formulas, request_queue_marks)
{
	cr_assert_eq(zs_disk_congestion_on(128), 113);
	cr_assert_eq(zs_disk_congestion_off(128), 103);
}

Test(zs26_formulas, congestion_wait_early_return)
{
	struct t26 t = r_boot(&zs_policy_2632, 0, NULL);
	struct zs_disk *d = &t.vm->disk;
	zs_time_t hz10 = ZS_NS_PER_SEC / 10;

	/* nothing in flight: the whole HZ/10 */
	cr_assert_eq(zs26_congestion_wait_ns(t.vm, zs26_hz10(t.vm)), hz10);
	/* 50 writes in flight: the first completion is below 103 and wakes the waiter */
	zs_time_t first = zs_disk_submit(d, 1, 1, NULL, NULL, 0);

	for (int i = 1; i < 50; i++)
		zs_disk_submit(d, 1, 1, NULL, NULL, 0);
	cr_assert_eq(zs_disk_inflight(d, 1), 50);
	cr_assert_eq(zs_disk_congested(d, 1), 0);
	cr_assert_eq(zs26_congestion_wait_ns(t.vm, zs26_hz10(t.vm)), first);
	cr_assert_eq(zs26_of(t.vm)->congestion_early, 1);
	t26_free(&t);

	/* 115 in flight: congested at the 113th; 13 completions bring it to 102 */
	t = r_boot(&zs_policy_2618, 0, NULL);
	d = &t.vm->disk;
	zs_time_t end[115];

	for (int i = 0; i < 115; i++) {
		end[i] = zs_disk_submit(d, 1, 1, NULL, NULL, 0);
		cr_assert_eq(zs_disk_congested(d, 1), i + 1 >= 113, "after %d requests", i + 1);
	}
	cr_assert_eq(zs_disk_congestion_wake(d, 1), end[12]);
	/* reads do not wake write waiters */
	cr_assert_eq(zs_disk_congestion_wake(d, 0), ZS_FOREVER);
	/* a wait longer than the timeout is cut at the timeout */
	cr_assert_leq(zs26_congestion_wait_ns(t.vm, 1), ZS_NS_PER_SEC / 250);
	t26_free(&t);
}

Test(zs26_formulas, dirty_limits)
{
	/* 2.6.18: 40 % of vm_total_pages, clamped to half the unmapped ratio, >= 5 */
	struct t26 t = r_boot(&zs_policy_2618, 0, NULL);
	uint64_t bg, dirty;

	cr_assert_eq(zs26_of(t.vm)->rc.vm_total_pages, 16384);
	zs26_get_dirty_limits(t.vm, &bg, &dirty);
	cr_assert_eq(dirty, 16384 * 40 / 100);
	cr_assert_eq(bg, 16384 * 10 / 100);
	zs26_of(t.vm)->rc.nr_anon_pages = 16384 * 70 / 100 + 1; /* unmapped 30 % -> ratio 15 */
	zs26_get_dirty_limits(t.vm, &bg, &dirty);
	cr_assert_eq(dirty, 16384 * 15 / 100);
	zs26_of(t.vm)->rc.nr_anon_pages = 16384; /* unmapped 0 % -> ratio 5, background 2 */
	zs26_get_dirty_limits(t.vm, &bg, &dirty);
	cr_assert_eq(dirty, 16384 * 5 / 100);
	cr_assert_eq(bg, 16384 * 2 / 100);
	zs26_of(t.vm)->rc.nr_anon_pages = 0;
	t26_free(&t);

	/* 2.6.32: 20 % / 10 % of free + reclaimable + 1 */
	t = r_boot(&zs_policy_2632, 0, NULL);
	uint64_t avail = r_zone(&t)->free_pages + 1;

	zs26_get_dirty_limits(t.vm, &bg, &dirty);
	cr_assert_eq(dirty, avail * 20 / 100);
	cr_assert_eq(bg, avail * 10 / 100);
	t26_free(&t);
}

Test(zs26_formulas, too_many_isolated)
{
	struct t26 t = r_boot(&zs_policy_2632, 0, NULL);
	struct zs26_sc sc = r_sc(&t);
	struct zs26_lruvec *lv = r_lv(&t);

	set_counts(&t, 10, 0, 20, 0);
	lv->nr_isolated[1] = 20;
	cr_assert_eq(zs26_too_many_isolated(r_zone(&t), 1, &sc), 0); /* 20 > 20 is false */
	lv->nr_isolated[1] = 21;
	cr_assert_eq(zs26_too_many_isolated(r_zone(&t), 1, &sc), 1);
	cr_assert_eq(zs26_too_many_isolated(r_zone(&t), 0, &sc), 0);
	sc.kswapd = 1;
	cr_assert_eq(zs26_too_many_isolated(r_zone(&t), 1, &sc), 0, "kswapd never waits");
	lv->nr_isolated[1] = 0;
	set_counts(&t, 0, 0, 0, 0);
	t26_free(&t);
}

Test(zs26_formulas, throttle_vm_writeout_threshold)
{
	/* 2.6.18 on 16384 pages: dirty_thresh 6553, + 1/10 = 7208 */
	struct t26 t = r_boot(&zs_policy_2618, 0, NULL);
	struct zs26_sc sc = r_sc(&t);

	zs26_of(t.vm)->rc.nr_writeback = 7208;
	zs26_throttle_vm_writeout(t.vm, &sc);
	cr_assert_eq(sc.throttle, 0);
	zs26_of(t.vm)->rc.nr_writeback = 7209;
	zs26_throttle_vm_writeout(t.vm, &sc);
	cr_assert_eq(sc.throttle, 1);
	zs26_of(t.vm)->rc.nr_writeback = 0;
	t26_free(&t);
}

Test(zs26_formulas, check_prints_inactive_ratio)
{
	static const enum zs_zone_type types[] = {ZS_ZONE_DMA, ZS_ZONE_NORMAL};
	static const uint64_t pages[] = {4096, 4 * 262144, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 1, types, pages, NULL);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	cr_assert(f);
	t.vm->ops->describe(t.vm, f, 0);
	fclose(f);
	/* DMA: under 1 GiB -> 1; Normal 4 GiB -> int_sqrt(40) = 6 */
	char *dma = strstr(out, "inactive_ratio: 1\n"), *normal = strstr(out, "inactive_ratio: 6\n");

	cr_assert(dma && normal && dma < normal, "%s", out);
	free(out);
	t26_free(&t);
}

Test(zs26_formulas, vmstat_names_per_version)
{
	static const char *const both[] = {"pgscan_kswapd", "pgscan_direct", "pgsteal",
					   "pgrefill", "pgactivate", "pgdeactivate", "pgrotated",
					   "pageoutrun", "allocstall", "kswapd_steal",
					   "pages_scanned", "all_unreclaimable", "prev_priority"};
	static const char *const v18[] = {"nr_active", "nr_inactive"};
	static const char *const v32[] = {"nr_active_anon",	 "nr_inactive_anon", "nr_active_file",
					  "nr_inactive_file",	 "nr_unevictable",   "nr_mlock",
					  "recent_rotated_anon", "recent_rotated_file",
					  "recent_scanned_anon", "recent_scanned_file"};

	for (int v = 0; v < 2; v++) {
		const struct zs_policy_ops *ops = R_BOTH[v];
		const char *const *own = v ? v32 : v18;
		int nown = v ? 10 : 2;

		for (int pass = 0; pass < 2; pass++) {
			const char *const *names = pass ? own : both;
			int n = pass ? nown : 13;

			for (int i = 0; i < n; i++) {
				int found = 0;

				for (int m = 0; m < ops->nr_metrics; m++)
					found |= !strcmp(ops->metrics[m].name, names[i]);
				cr_assert(found, "%s lacks %s", ops->name, names[i]);
			}
		}
	}
}

Test(zs26_formulas, ratelimit_and_check_dirty_line)
{
	/* 16384 pages on 1 CPU: 16384 / 32 = 512; 4 CPUs: 128; clamps 16 and 1024 */
	struct t26 t = r_boot(&zs_policy_2618, 0, NULL);
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	cr_assert_eq(zs26_ratelimit_pages(t.vm), 512);
	zs26_of(t.vm)->rc.vm_total_pages = 100;
	cr_assert_eq(zs26_ratelimit_pages(t.vm), 16);
	zs26_of(t.vm)->rc.vm_total_pages = 1u << 30;
	cr_assert_eq(zs26_ratelimit_pages(t.vm), 1024);
	zs26_of(t.vm)->rc.vm_total_pages = 16384;
	f = open_memstream(&out, &len);
	cr_assert(f);
	t.vm->ops->describe(t.vm, f, 0);
	fclose(f);
	cr_assert(strstr(out, "dirty thresholds at boot: background 1638, dirty 6553 pages; "
			      "ratelimit_pages 512\n"),
		  "%s", out);
	free(out);
	t26_free(&t);
}
