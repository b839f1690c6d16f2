/*
 * test_26_pcp.c - per-cpu pagesets: the exact pfn order of rmqueue_bulk
 * refills and of hot/cold allocation and freeing, spills of `batch` pages
 * (2.6.18 from the tail; 2.6.32 with free_pcppages_bulk's round robin), the
 * separate hot and cold lists of 2.6.18, and drain_all_pages.
 */
#include "tests/test_26_util.h"

/* 256 MiB in one zone: batch 15, high 90 (2.6.18 cold: batch 7, high 30). */
static const enum zs_zone_type NORMAL[] = {ZS_ZONE_NORMAL};
static const uint64_t PAGES_256M[] = {65536, 0};

static uint32_t
pcp_alloc(struct t26 *t, unsigned cpu, uint32_t gfp)
{
	uint32_t pfn = zs26_buffered_rmqueue(t->vm, &t->m->zones[0], 0, gfp, cpu);

	cr_assert_neq(pfn, ZS_NIL);
	return pfn;
}

Test(zs26_pcp, hot_refill_yields_ascending_pfns)
{
	const struct zs_policy_ops *ops[] = {&zs_policy_2618, &zs_policy_2632};

	for (int v = 0; v < 2; v++) {
		struct t26 t = t26_boot(ops[v], 2, NORMAL, PAGES_256M, NULL);
		struct zs26_pcp *pcp = &zs26_zone(&t.m->zones[0])->pageset[1].pcp[0];
		uint32_t first = pcp_alloc(&t, 1, GFP26_HIGHUSER_MOVABLE & (v ? ~0u : ~GFP26_MOVABLE));

		cr_assert_eq(pcp->batch, 15);
		/* one refill of 15 pages split from one order-10 block: B, B+1, ... B+14 */
		cr_assert_eq(first & 1023, 0);
		cr_assert_eq(pcp->count, 14);
		cr_assert_eq(zs26_zone(&t.m->zones[0])->pcp_refills, 1);
		for (uint32_t i = 1; i < 15; i++)
			cr_assert_eq(pcp_alloc(&t, 1, v ? GFP26_HIGHUSER_MOVABLE : GFP26_HIGHUSER),
				     first + i);
		cr_assert_eq(pcp->count, 0);
		/* the next refill continues where the buddy left off */
		cr_assert_eq(pcp_alloc(&t, 1, v ? GFP26_HIGHUSER_MOVABLE : GFP26_HIGHUSER),
			     first + 15);
		cr_assert_eq(zs26_zone(&t.m->zones[0])->pcp_refills, 2);
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_pcp, cold_refill_2632_reads_the_same_order_from_the_tail)
{
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, PAGES_256M, NULL);
	uint32_t gfp = GFP26_HIGHUSER_MOVABLE | GFP26_COLD;
	uint32_t first = pcp_alloc(&t, 0, gfp);

	for (uint32_t i = 1; i < 15; i++)
		cr_assert_eq(pcp_alloc(&t, 0, gfp), first + i);
	t26_free(&t);
}

Test(zs26_pcp, hot_and_cold_frees_2632)
{
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, PAGES_256M, NULL);
	struct zs_zone *z = &t.m->zones[0];
	uint32_t g = GFP26_HIGHUSER_MOVABLE;
	uint32_t a = pcp_alloc(&t, 0, g), b = pcp_alloc(&t, 0, g), c = pcp_alloc(&t, 0, g);

	/* list now holds a+3 .. a+14; free a hot, b cold, c hot */
	t.vm->ops->free(t.vm, a, 0, 0);
	zs26_free_hot_cold(t.vm, z, b, 0, 1);
	t.vm->ops->free(t.vm, c, 0, 0);
	cr_assert_eq(zs26_zone(z)->pageset[0].pcp[0].count, 15);
	cr_assert_eq(pcp_alloc(&t, 0, g), c);                     /* hottest: head */
	cr_assert_eq(pcp_alloc(&t, 0, g | GFP26_COLD), b);        /* coldest: tail */
	cr_assert_eq(pcp_alloc(&t, 0, g | GFP26_COLD), a + 14);
	cr_assert_eq(pcp_alloc(&t, 0, g), a);
	cr_assert_eq(pcp_alloc(&t, 0, g), a + 3);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_pcp, hot_and_cold_lists_are_separate_2618)
{
	struct t26 t = t26_boot(&zs_policy_2618, 1, NORMAL, PAGES_256M, NULL);
	struct zs_zone *z = &t.m->zones[0];
	struct zs26_pageset *ps = &zs26_zone(z)->pageset[0];
	uint32_t hot = pcp_alloc(&t, 0, GFP26_HIGHUSER);
	uint32_t cold = pcp_alloc(&t, 0, GFP26_HIGHUSER | GFP26_COLD);

	/* each list refilled on its own: hot 15 pages, cold batch 7 */
	cr_assert_eq(ps->pcp[0].count, 14);
	cr_assert_eq(ps->pcp[1].count, 6);
	cr_assert_eq(cold, hot + 15);
	for (uint32_t i = 1; i < 7; i++)
		cr_assert_eq(pcp_alloc(&t, 0, GFP26_HIGHUSER | GFP26_COLD), cold + i);
	/* the cold list never borrows from the hot one: it refills */
	cr_assert_eq(pcp_alloc(&t, 0, GFP26_HIGHUSER | GFP26_COLD), cold + 7);
	cr_assert_eq(ps->pcp[0].count, 14);
	/* a free goes to the head of the list it names */
	zs26_free_hot_cold(t.vm, z, hot, 0, 1);
	cr_assert_eq(pcp_alloc(&t, 0, GFP26_HIGHUSER | GFP26_COLD), hot);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_pcp, spill_2618_frees_batch_from_the_tail)
{
	struct t26 t = t26_boot(&zs_policy_2618, 1, NORMAL, PAGES_256M, NULL);
	struct zs_zone *z = &t.m->zones[0];
	struct zs26_pcp *pcp = &zs26_zone(z)->pageset[0].pcp[0];
	uint32_t pf[100];

	for (int i = 0; i < 100; i++)
		pf[i] = zs26_rmqueue(t.vm, z, 0, 0);
	/* 89 hot frees: list = pf[88] .. pf[0] (head .. tail) */
	for (int i = 0; i < 89; i++)
		t.vm->ops->free(t.vm, pf[i], 0, 0);
	cr_assert_eq(pcp->count, 89);
	cr_assert_eq(zs26_zone(z)->pcp_spills, 0);
	t.vm->ops->free(t.vm, pf[89], 0, 0); /* count 90 >= high: spill 15 from the tail */
	cr_assert_eq(pcp->count, 75);
	cr_assert_eq(zs26_zone(z)->pcp_spills, 1);
	for (int i = 0; i < 15; i++)
		cr_assert(t.m->pages[pf[i]].list != ZS_LST_PCP, "pf[%d] spilled", i);
	cr_assert_eq(t.m->pages[pf[15]].list, ZS_LST_PCP);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_pcp, spill_2632_round_robin_over_migratetypes)
{
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, PAGES_256M, NULL);
	struct zs_zone *z = &t.m->zones[0];
	struct zs26_pcp *pcp = &zs26_zone(z)->pageset[0].pcp[0];
	uint32_t mov[45], unm[45];

	/* unmovable pages come from a pageblock the fallback turned UNMOVABLE */
	for (int i = 0; i < 45; i++) {
		mov[i] = zs26_rmqueue(t.vm, z, 0, ZS26_MT_MOVABLE);
		unm[i] = zs26_rmqueue(t.vm, z, 0, ZS26_MT_UNMOVABLE);
	}
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, unm[0]), ZS26_MT_UNMOVABLE);
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, mov[0]), ZS26_MT_MOVABLE);
	for (int i = 0; i < 45; i++) {
		t.vm->ops->free(t.vm, unm[i], 0, 0);
		if (i < 44)
			t.vm->ops->free(t.vm, mov[i], 0, 0);
	}
	cr_assert_eq(pcp->lists[ZS26_MT_UNMOVABLE].count, 45);
	cr_assert_eq(pcp->lists[ZS26_MT_MOVABLE].count, 44);
	t.vm->ops->free(t.vm, mov[44], 0, 0); /* count 90: spill 15 */
	/*
	 * Round robin from list 1.  batch_free grows by one per list visited and
	 * is used up by the pages freed, so it counts the lists visited since the
	 * last free: reclaimable (empty) + movable -> 2 movable pages; unmovable
	 * -> 1; again and again.  15 pages = 5 x (2 movable + 1 unmovable).
	 */
	cr_assert_eq(pcp->count, 75);
	cr_assert_eq(pcp->lists[ZS26_MT_MOVABLE].count, 45 - 10);
	cr_assert_eq(pcp->lists[ZS26_MT_UNMOVABLE].count, 45 - 5);
	/* from the tails: the first pages freed go first */
	for (int i = 0; i < 10; i++)
		cr_assert(t.m->pages[mov[i]].list != ZS_LST_PCP);
	cr_assert_eq(t.m->pages[mov[10]].list, ZS_LST_PCP);
	for (int i = 0; i < 5; i++)
		cr_assert(t.m->pages[unm[i]].list != ZS_LST_PCP);
	cr_assert_eq(t.m->pages[unm[5]].list, ZS_LST_PCP);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_pcp, dma_zone_with_high_0_spills_every_free)
{
	const enum zs_zone_type ty[] = {ZS_ZONE_DMA, ZS_ZONE_DMA32};
	const uint64_t pages[] = {4096, 61440, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 1, ty, pages, NULL);
	struct zs_zone *dma = &t.m->zones[0];
	uint64_t before = dma->free_pages;
	uint32_t pfn = zs26_buffered_rmqueue(t.vm, dma, 0, GFP26_KERNEL | GFP26_DMA, 0);

	cr_assert_neq(pfn, ZS_NIL);
	/* batch 1: a refill takes exactly one page, and a free goes straight back */
	cr_assert_eq(dma->free_pages, before - 1);
	cr_assert_eq(zs26_pcp_pages(t.vm, dma, -1), 0);
	t.vm->ops->free(t.vm, pfn, 0, 0);
	cr_assert_eq(zs26_pcp_pages(t.vm, dma, -1), 0);
	cr_assert_eq(dma->free_pages, before);
	t26_free(&t);
}

Test(zs26_pcp, drain_all_pages_empties_every_cpu)
{
	struct t26 t = t26_boot(&zs_policy_2632, 4, NORMAL, PAGES_256M, NULL);
	struct zs_zone *z = &t.m->zones[0];
	uint64_t before = z->free_pages;

	for (unsigned cpu = 0; cpu < 4; cpu++)
		(void)pcp_alloc(&t, cpu, GFP26_HIGHUSER_MOVABLE);
	cr_assert_eq(zs26_pcp_pages(t.vm, z, -1), 4 * 14);
	zs26_drain_all_pages(t.vm);
	cr_assert_eq(zs26_pcp_pages(t.vm, z, -1), 0);
	cr_assert_eq(z->free_pages, before - 4);
	t26_check(&t);
	t26_free(&t);
}
