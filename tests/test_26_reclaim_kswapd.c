/*
 * test_26_reclaim_kswapd.c - the loops around the lists: try_to_free_pages'
 * return rule of each version (audit-26 rows 1 and 19), kswapd's zone order
 * and classzones (rows 3, 5), its order fallback (row 2), its naps, and the
 * all_unreclaimable bound.
 */
#include "tests/test_26_reclaim_util.h"

/* try_to_free_pages over the one zone, called directly (no thread: the naps are skipped). */
static uint64_t
ttfp(struct t26 *t, uint32_t gfp)
{
	struct zs_alloc_req req;
	int zl[1] = {0};
	uint64_t ret = 99;

	memset(&req, 0, sizeof(req));
	req.gfp = gfp;
	req.node = -1;
	cr_assert_eq(zs26_try_to_free_pages(t->vm, &req, zl, 1, &ret), 0);
	cr_assert_eq(req.local[4], 0, "the resume state is cleared at the end");
	return ret;
}

Test(zs26_ttfp, return_rule_2618)
{
	/* 20 reclaimable pages over the whole priority loop: fewer than 32 -> 0 */
	struct t26 t = r_boot(&zs_policy_2618, 0, NULL);

	r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 20, 1, NULL);
	cr_assert_eq(ttfp(&t, GFP26_KERNEL), 0);
	cr_assert_eq(r_lv(&t)->lru[ZS26_LRU_INACTIVE].count, 0, "all 20 were reclaimed");
	cr_assert_eq(zs26_of(t.vm)->allocstall, 1);
	/* 400: the loop stops at >= 32 and returns 1 */
	r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 400, 100, NULL);
	cr_assert_eq(ttfp(&t, GFP26_KERNEL), 1);
	cr_assert_gt(r_lv(&t)->lru[ZS26_LRU_INACTIVE].count, 0, "stopped once it had 32");
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_ttfp, return_rule_2632)
{
	/* 2.6.32 returns the pages reclaimed: 20 is progress */
	struct t26 t = r_boot(&zs_policy_2632, 0, NULL);

	r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 20, 1, NULL);
	cr_assert_eq(ttfp(&t, GFP26_KERNEL), 20);
	r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 100, 100, NULL);
	cr_assert_geq(ttfp(&t, GFP26_KERNEL), 32);
	/* nothing reclaimable and the zone all_unreclaimable: scanned only at 12 -> 0 */
	r_lv(&t)->all_unreclaimable = 1;
	cr_assert_eq(ttfp(&t, GFP26_KERNEL), 0);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_ttfp, prev_priority_after_the_loop)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);

		/* nothing to reclaim: the loop runs to priority 0 */
		ttfp(&t, GFP26_KERNEL);
		cr_assert_eq(r_lv(&t)->prev_priority, 0);
		t26_free(&t);
	}
}

/* A DMA 16 MiB + Normal 48 MiB node, swap off. */
static struct t26
two_zones(const struct zs_policy_ops *ops)
{
	static const enum zs_zone_type types[] = {ZS_ZONE_DMA, ZS_ZONE_NORMAL};
	static const uint64_t pages[] = {4096, 12288, 0};
	struct zs_machine_spec s;

	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, 1, types, pages);
	s.disk_latency_ns = 1000000;
	s.disk_bandwidth_bps = 100ull << 20;
	return t26_boot_spec(ops, &s, NULL);
}

/* Let kswapd reach its sleep on kswapd_wait, then wake it for z at order. */
static void
wake(struct t26 *t, struct zs_zone *z, unsigned order)
{
	zs_engine_run(t->e, 1, NULL, NULL);
	cr_assert_eq(((struct zs26_node *)t->m->nodes[0].model)->kswapd_wait.count, 1);
	zs26_wakeup_kswapd(t->vm, z, order);
}

/* Read-once cache pages in zone z, on the LRU. */
static void
cache_in(struct t26 *t, struct zs_zone *z, unsigned n, uint64_t key0)
{
	t26_add_cache(t, z, n, key0);
	zs26_lru_add_drain(t->vm, 0);
}

Test(zs26_kswapd, zones_below_end_zone_2618_all_2632_below_8x_high)
{
	/* Normal under its low mark, DMA far above 8 x high with cache on its LRU: 2.6.18
	 * shrinks DMA too (every zone 0..end_zone), 2.6.32 leaves it alone */
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_zones(R_BOTH[v]);
		struct zs_zone *dma = &t.m->zones[0], *normal = &t.m->zones[1];
		struct zs26_node *nm = t.m->nodes[0].model;

		cache_in(&t, dma, 500, 1);
		cache_in(&t, normal, 2000, 10000);
		t26_drain_to(&t, normal, normal->pages_min + 1);
		cr_assert_gt(dma->free_pages, 8 * dma->pages_high);
		wake(&t, normal, 0);
		cr_assert_eq(nm->kswapd_wakeups, 1);
		zs_engine_run(t.e, 2000 * R_MS, NULL, NULL);
		cr_assert_geq(normal->free_pages, normal->pages_high, "kswapd balanced Normal");
		cr_assert_gt(zs26_zone(normal)->lru.pgscan_kswapd, 0);
		if (v == 0)
			cr_assert_gt(zs26_zone(dma)->lru.pgscan_kswapd, 0, "2.6.18 shrinks DMA too");
		else
			cr_assert_eq(zs26_zone(dma)->lru.pgscan_kswapd, 0, "2.6.32 skips DMA");
		cr_assert_geq(nm->pageoutrun, 1);
		cr_assert_eq(zs26_of(t.vm)->rc.kswapd_steal,
			     zs26_zone(normal)->lru.pgscan_kswapd + zs26_zone(dma)->lru.pgscan_kswapd,
			     "every read-once page kswapd scanned was freed");
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_kswapd, high_order_fallback_is_2632s)
{
	/* Normal: 1000 free single pages (order 0 balanced, no order-3 block can form) and
	 * 1000 cache pages under writeback that reclaim scans but cannot free.  Woken for
	 * order 3, 2.6.32 falls back to order 0 after a whole pass reclaimed < 32 and
	 * sleeps; 2.6.18 keeps order 3, passes again and again, and stops only when the zone
	 * turns all_unreclaimable (pages_scanned >= 4 x 1000) */
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_zones(R_BOTH[v]);
		struct zs_zone *normal = &t.m->zones[1];
		struct zs26_node *nm = t.m->nodes[0].model;
		static uint32_t odd[12288];
		unsigned n = 0;

		while (normal->free_pages) {
			uint32_t pfn = zs26_rmqueue(t.vm, normal, 0, ZS26_MT_MOVABLE);

			if (pfn & 1)
				odd[n++] = pfn;
		}
		for (unsigned i = 0; i < 2000; i++) {
			if (i & 1) {
				zs26_free_one_page(t.vm, normal, odd[i], 0, ZS26_MT_MOVABLE);
				continue;
			}
			t26_bind(&t, NULL, odd[i], ZS_KIND_FILE_CLEAN, 1 + i);
			t.vm->ops->page_added(t.vm, odd[i]);
			t.m->pages[odd[i]].flags |= ZS_PG_WRITEBACK;
		}
		zs26_lru_add_drain(t.vm, 0);
		cr_assert(zs26_zone_watermark_ok(normal, 0, normal->pages_high, 0, 0));
		cr_assert(!zs26_zone_watermark_ok(normal, 3, normal->pages_high, 0, 0));
		zs_engine_run(t.e, 1, NULL, NULL);
		nm->kswapd_max_order = 3; /* what wakeup_kswapd(zone, 3) records */
		zs_waitqueue_wake_all(&nm->kswapd_wait);
		zs_engine_run(t.e, 60000 * R_MS, NULL, NULL);
		cr_assert_eq(nm->kswapd_wait.count, 1, "asleep on kswapd_wait");
		cr_assert_eq(nm->kswapd_order, v ? 0u : 3u, "%s: order %u, runs %llu",
			     R_BOTH[v]->name, nm->kswapd_order, (unsigned long long)nm->pageoutrun);
		if (v) {
			/* pass at 3, fallback pass at 0; SUBTLE: kswapd() took the order after its
			 * wake without zeroing kswapd_max_order, so the next turn of its loop
			 * reads 3 again (> 0) and balances once more: 3, then 0 */
			cr_assert_eq(nm->pageoutrun, 4, "%llu", (unsigned long long)nm->pageoutrun);
			cr_assert_eq(zs26_zone(normal)->lru.all_unreclaimable, 0);
		} else {
			cr_assert_gt(nm->pageoutrun, 2);
			cr_assert_eq(zs26_zone(normal)->lru.all_unreclaimable, 1);
		}
		for (unsigned i = 0; i < 2000; i += 2)
			t.m->pages[odd[i]].flags &= ~ZS_PG_WRITEBACK;
		t26_free(&t);
	}
}

Test(zs26_kswapd, unreclaimable_zone_lets_kswapd_sleep)
{
	/* Normal below high with only unreclaimable pages (anon, no swap): all_unreclaimable
	 * is set and kswapd goes back to sleep instead of spinning */
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_zones(R_BOTH[v]);
		struct zs_zone *normal = &t.m->zones[1];
		struct zs26_node *nm = t.m->nodes[0].model;
		struct zs_task *tk = zs_vm_task_new(t.vm, "a", 0);

		for (unsigned i = 0; i < 2000; i++) {
			uint32_t pfn = zs26_rmqueue(t.vm, normal, 0, ZS26_MT_MOVABLE);

			t26_bind(&t, tk, pfn, ZS_KIND_ANON, 1 + i);
			t.vm->ops->page_added(t.vm, pfn);
		}
		zs26_lru_add_drain(t.vm, 0);
		t26_drain_to(&t, normal, normal->pages_min + 1);
		wake(&t, normal, 0);
		zs_engine_run(t.e, 10000 * R_MS, NULL, NULL);
		cr_assert_eq(zs26_zone(normal)->lru.all_unreclaimable, 1);
		cr_assert(zs26_zone_unreclaimable(t.vm, normal));
		cr_assert_eq(nm->kswapd_wait.count, 1, "kswapd sleeps again");
		/* its CPU is bounded: well under 1 % of the 10 s */
		cr_assert_lt(nm->kswapd->cpu_ns, 100 * R_MS, "%lld ns", (long long)nm->kswapd->cpu_ns);
		/* a free into the zone clears the state */
		zs26_free_hot_cold(t.vm, normal, zs26_rmqueue(t.vm, normal, 0, ZS26_MT_MOVABLE), 0, 0);
		for (int i = 0; i < 40; i++)
			zs26_free_hot_cold(t.vm, normal, zs26_rmqueue(t.vm, normal, 0, ZS26_MT_MOVABLE),
					   0, 0);
		cr_assert_eq(zs26_zone(normal)->lru.all_unreclaimable, 0);
		cr_assert_eq(zs26_zone(normal)->lru.pages_scanned, 0);
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_kswapd, naps_below_priority_10)
{
	/* inactive pages kswapd scans but cannot free (under writeback, no I/O in flight):
	 * its passes below priority 10 sleep the whole HZ/10 */
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_zones(R_BOTH[v]);
		struct zs_zone *normal = &t.m->zones[1];
		uint32_t pfn[4000];

		for (unsigned i = 0; i < 4000; i++) {
			pfn[i] = zs26_rmqueue(t.vm, normal, 0, ZS26_MT_MOVABLE);
			t26_bind(&t, NULL, pfn[i], ZS_KIND_FILE_CLEAN, 1 + i);
			t.vm->ops->page_added(t.vm, pfn[i]);
			t.m->pages[pfn[i]].flags |= ZS_PG_WRITEBACK;
		}
		zs26_lru_add_drain(t.vm, 0);
		t26_drain_to(&t, normal, normal->pages_min + 1);
		wake(&t, normal, 0);
		zs_engine_run(t.e, 350 * R_MS, NULL, NULL);
		uint64_t waits = zs26_of(t.vm)->congestion_waits;

		/* naps start at about 0, 100, 200 and 300 ms */
		cr_assert_eq(waits, 4, "priorities 9, 8, 7, 6 each napped 100 ms (%s: %llu, scanned %llu)",
			     R_BOTH[v]->name, (unsigned long long)waits,
			     (unsigned long long)zs26_zone(normal)->lru.pgscan_kswapd);
		cr_assert_eq(zs26_of(t.vm)->congestion_early, 0);
		for (unsigned i = 0; i < 4000; i++)
			t.m->pages[pfn[i]].flags &= ~ZS_PG_WRITEBACK;
		t26_free(&t);
	}
}

Test(zs26_kswapd, nap_ends_when_a_write_completes)
{
	/* the same unfreeable inactive pages, but 20 writes in flight on the disk: the first
	 * nap ends at the first write completion (below 103 requests), not after HZ/10 */
	for (int v = 0; v < 2; v++) {
		struct t26 t = two_zones(R_BOTH[v]);
		struct zs_zone *normal = &t.m->zones[1];
		uint32_t pfn[4000];
		zs_time_t first = 0;

		for (unsigned i = 0; i < 4000; i++) {
			pfn[i] = zs26_rmqueue(t.vm, normal, 0, ZS26_MT_MOVABLE);
			t26_bind(&t, NULL, pfn[i], ZS_KIND_FILE_CLEAN, 1 + i);
			t.vm->ops->page_added(t.vm, pfn[i]);
			t.m->pages[pfn[i]].flags |= ZS_PG_WRITEBACK;
		}
		zs26_lru_add_drain(t.vm, 0);
		t26_drain_to(&t, normal, normal->pages_min + 1);
		for (int i = 0; i < 20; i++) {
			zs_time_t end = zs_disk_submit(&t.vm->disk, 1, 256, NULL, NULL, 0);

			if (!first)
				first = end;
		}
		wake(&t, normal, 0);
		zs_engine_run(t.e, 350 * R_MS, NULL, NULL);
		cr_assert_geq(zs26_of(t.vm)->congestion_early, 1, "%s", R_BOTH[v]->name);
		cr_assert_lt(first, 100 * R_MS, "a 1 MiB write at 100 MiB/s ends within 11 ms");
		cr_assert_gt(zs26_of(t.vm)->congestion_waits, 4, "short naps: more of them");
		for (unsigned i = 0; i < 4000; i++)
			t.m->pages[pfn[i]].flags &= ~ZS_PG_WRITEBACK;
		t26_free(&t);
	}
}

/* Direct reclaim's CPU time is the reclaiming task's system time (badness() reads it). */
Test(zs26_ttfp, reclaim_time_is_charged_to_the_task)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		struct zs_task *tk = zs_vm_task_new(t.vm, "reclaimer", 0);
		struct zs_alloc_req req;
		int zl[1] = {0};
		uint64_t ret;
		zs_time_t before = zs26_of(t.vm)->direct_reclaim_ns;

		r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 400, 1, NULL);
		memset(&req, 0, sizeof(req));
		req.gfp = GFP26_KERNEL;
		req.node = -1;
		req.task = tk;
		cr_assert_eq(zs26_try_to_free_pages(t.vm, &req, zl, 1, &ret), 0);
		zs_time_t spent = zs26_of(t.vm)->direct_reclaim_ns - before;

		cr_assert_gt(spent, 0);
		cr_assert_eq(tk->cpu_ns, spent, "%s: task %lld ns, reclaim %lld ns",
			     R_BOTH[v]->name, (long long)tk->cpu_ns, (long long)spent);
		t26_check(&t);
		t26_free(&t);
	}
}
