/*
 * test_24_swap.c - the 2.4.0 swap cache and swap references: an owner that
 * frees or exits with a swapped-out page drops only its own reference
 * (free_pte -> swap_free), the page stays cached until reclaim_page deletes
 * it and frees the slot; swapin_readahead's cluster.
 */
#include "tests/test_24_util.h"

#define MIB(x) ((uint64_t)(x) * 256u)

static struct t24 T;
static struct zs_zone *N;

static void
setup(void)
{
	t24_boot(&T, MIB(16), MIB(16), 0, MIB(16));
	N = t24_zone(&T, ZS_ZONE_NORMAL);
}

static void
teardown(void)
{
	t24_fini(&T);
}

TestSuite(swap24, .init = setup, .fini = teardown);

static struct zs_page *
P(uint32_t pfn)
{
	return &T.m->pages[pfn];
}

/* Swap out every page of a fresh task of n pages: each is then a dirty swap-cache
 * page on inactive_dirty, its binding SWAPPED. */
static struct zs_task *
swapped_task(int n, uint32_t *pfns)
{
	struct z24_ctx c = {0};
	struct zs_task *t = t24_anon_task(&T, N, n, 0, pfns);

	/* each call unmaps at most the mm's swap_cnt (at least SWAP_MIN) pages */
	for (int k = 0; k < n && t->rss; k++)
		zs24_swap_out(T.s, 6, GFP24_KSWAPD, &c);
	for (int i = 0; i < n; i++)
		cr_assert(P(pfns[i])->flags & ZS_PG_SWAPCACHE);
	return t;
}

/* What the driver does on a swap-cache hit: the binding maps the page again. */
static void
minor_fault(struct zs_task *t, struct zs_binding *b, uint32_t pfn)
{
	cr_assert_eq(zs24_swap_cache_find(T.vm, b->ps), pfn);
	b->ps = pfn;
	b->state = ZS_BIND_RESIDENT;
	P(pfn)->flags |= ZS_PG_BOUND;
	P(pfn)->owner = t->bind_first;
	t->rss++;
	t->swapped--;
}

static uint64_t
swap_used(void)
{
	return T.vm->swap.nr_slots - T.vm->swap.nr_free;
}

static void
check(void)
{
	struct zs_error err = {0, ""};

	cr_assert_eq(zs_vm_check(T.vm, &err), 0, "%s", err.msg);
}

Test(swap24, exit_with_a_swapped_page_only_drops_the_pte_reference)
{
	uint32_t pfns[2];
	struct zs_task *t = swapped_task(2, pfns);
	uint64_t free_before = N->free_pages;

	cr_assert_eq(swap_used(), 2);
	zs_vm_exit_task(T.vm, t);
	/* KERNEL: 2.4.0 free_pte(): swap_free() only; the swap cache keeps the page */
	cr_assert_eq(N->free_pages, free_before, "nothing is freed at exit");
	cr_assert_eq(T.s->swapcache_pages, 2);
	cr_assert_eq(swap_used(), 2, "the swap cache still holds both slots");
	cr_assert_eq(P(pfns[0])->list, Z24_LST_INACTIVE_DIRTY);
	cr_assert(P(pfns[0])->flags & ZS_PG_DIRTY, "still dirty: page_launder will write it");
	check();
}

Test(swap24, reclaim_page_frees_the_slot_of_a_page_no_pte_holds)
{
	uint32_t pfns[1];
	struct z24_ctx c = {0};
	struct zs_task *t = swapped_task(1, pfns);

	zs_vm_exit_task(T.vm, t);
	/* written and clean: reclaim_page's __delete_from_swap_cache drops the last
	 * reference, so the slot goes with the page */
	P(pfns[0])->flags &= ~ZS_PG_DIRTY;
	zs24_lru_del(T.s, pfns[0]);
	zs24_add_to_inactive_clean(T.s, pfns[0]);
	cr_assert_eq(zs24_reclaim_page(T.s, N, &c), pfns[0]);
	cr_assert_eq(swap_used(), 0);
	cr_assert_eq(T.s->swapcache_pages, 0);
	zs24_free_pages_ok(T.s, pfns[0], 0);
	check();
}

Test(swap24, reclaim_page_keeps_the_slot_of_a_swapped_binding)
{
	uint32_t pfns[1];
	struct z24_ctx c = {0};

	swapped_task(1, pfns);
	P(pfns[0])->flags &= ~ZS_PG_DIRTY;
	zs24_lru_del(T.s, pfns[0]);
	zs24_add_to_inactive_clean(T.s, pfns[0]);
	cr_assert_eq(zs24_reclaim_page(T.s, N, &c), pfns[0]);
	cr_assert_eq(swap_used(), 1, "the PTE (SWAPPED binding) still holds the entry");
	zs24_free_pages_ok(T.s, pfns[0], 0);
	check();
}

Test(swap24, a_dirty_page_of_an_exited_owner_is_still_written)
{
	uint32_t pfns[1];
	struct z24_ctx c = {0};
	struct zs_task *t = swapped_task(1, pfns);
	uint64_t out = T.vm->pswpout;

	zs_vm_exit_task(T.vm, t);
	t24_drain(&T, N, 0); /* a free shortage, so page_launder takes its writing pass */
	t24_drain(&T, t24_zone(&T, ZS_ZONE_DMA), 0);
	zs24_page_launder(T.s, GFP24_KERNEL, 0, &c);
	cr_assert_eq(T.vm->pswpout, out + 1, "page_launder wrote the ownerless page");
	cr_assert(P(pfns[0])->flags & ZS_PG_LOCKED);
}

Test(swap24, free_of_a_mapped_swap_cache_page_under_write_keeps_its_slot)
{
	uint32_t pfns[1];
	struct zs_task *t = swapped_task(1, pfns);
	struct zs_binding *b = zs_pagemap_at(T.vm->pagemap, t->bind_first);

	/* under write I/O, then faulted back in from the swap cache */
	P(pfns[0])->flags |= ZS_PG_LOCKED;
	minor_fault(t, b, pfns[0]);
	uint64_t free_before = N->free_pages;

	zs_vm_exit_task(T.vm, t);
	/* KERNEL: 2.4.0 free_page_and_swap_cache(): TryLockPage fails, the page stays */
	cr_assert_eq(N->free_pages, free_before);
	cr_assert(P(pfns[0])->flags & ZS_PG_SWAPCACHE);
	cr_assert(!(P(pfns[0])->flags & ZS_PG_MAPPED));
	cr_assert_eq(swap_used(), 1);
	cr_assert_neq(P(pfns[0])->list, ZS_LST_NONE, "still on its LRU list");
	P(pfns[0])->flags &= ~ZS_PG_LOCKED;
	check();
}

Test(swap24, free_of_an_idle_mapped_swap_cache_page_frees_page_and_slot)
{
	uint32_t pfns[1];
	struct zs_task *t = swapped_task(1, pfns);
	struct zs_binding *b = zs_pagemap_at(T.vm->pagemap, t->bind_first);

	minor_fault(t, b, pfns[0]);
	uint64_t free_before = N->free_pages;

	zs_vm_exit_task(T.vm, t);
	/* not locked, not shared: delete_from_swap_cache_nolock, then the page goes */
	cr_assert_eq(N->free_pages, free_before + 1);
	cr_assert_eq(swap_used(), 0);
	check();
}

/* ---- swapin_readahead ---- */

/* n pages swapped out to slots 0..n-1 and evicted: SWAPPED bindings, nothing cached. */
static struct zs_task *
evicted_task(int n, uint32_t *pfns)
{
	struct z24_ctx c = {0};
	struct zs_task *t = swapped_task(n, pfns);

	for (int i = 0; i < n; i++) {
		P(pfns[i])->flags &= ~ZS_PG_DIRTY;
		zs24_lru_del(T.s, pfns[i]);
		zs24_add_to_inactive_clean(T.s, pfns[i]);
	}
	for (int i = 0; i < n; i++) {
		uint32_t pfn = zs24_reclaim_page(T.s, N, &c);

		cr_assert_neq(pfn, ZS_NIL);
		zs24_free_pages_ok(T.s, pfn, 0);
	}
	cr_assert_eq(T.s->swapcache_pages, 0);
	return t;
}

/* The binding of the task's page that went to swap slot `slot` (handles 1..64). */
static uint32_t
binding_of(uint32_t slot)
{
	for (uint64_t h = 1; h <= 64; h++) {
		uint32_t b = zs_pagemap_find(T.vm->pagemap, h);

		if (b != ZS_NIL && zs_vm_bind_slot(T.vm, zs_pagemap_at(T.vm->pagemap, b)) == slot)
			return b;
	}
	cr_assert_fail("no page went to slot %u", slot);
	return ZS_NIL;
}

/* What the driver does for a major swap-in fault on binding bi: a new page, bound,
 * the slot held through vm->swapin_* while page_added runs. */
static uint32_t
major_fault(struct zs_task *t, uint32_t bi)
{
	struct zs_binding *bd = zs_pagemap_at(T.vm->pagemap, bi);
	uint32_t pfn = zs24_rmqueue(T.s, N, 0);
	uint32_t slot = bd->ps;

	cr_assert_eq(bd->state, ZS_BIND_SWAPPED);
	bd->ps = pfn;
	bd->state = ZS_BIND_RESIDENT;
	zs_vm_swapin_begin(T.vm, bi, pfn, slot);
	P(pfn)->kind = ZS_KIND_ANON;
	P(pfn)->flags |= ZS_PG_BOUND;
	P(pfn)->owner = bi;
	t->rss++;
	t->swapped--;
	zs24_page_added(T.vm, pfn);
	zs_vm_swapin_end(T.vm);
	cr_assert_eq(zs_vm_bind_slot(T.vm, bd), slot, "the page holds the slot in the swap cache");
	return pfn;
}

Test(swap24, swapin_reads_the_aligned_cluster_around_the_faulting_slot)
{
	uint32_t pfns[20];
	struct zs_task *t = evicted_task(20, pfns);
	uint64_t in = T.vm->pswpin;

	cr_assert_eq(T.s->tun.page_cluster, 4, "a 32 MiB box: clusters of 16 slots");
	uint32_t pfn = major_fault(t, binding_of(5));
	/* KERNEL: 2.4.0 swapin_readahead(): slots 0..15, the faulting one already cached */
	cr_assert_eq(T.s->swapcache_pages, 16);
	cr_assert_eq(T.vm->pswpin - in, 15, "the fault's own read is the driver's");
	cr_assert_eq(T.s->nr_async_pages, 15);
	cr_assert_eq(T.s->swapcache[5], pfn);
	for (uint32_t slot = 0; slot < 16; slot++) {
		uint32_t ra = T.s->swapcache[slot];

		cr_assert_neq(ra, ZS_NIL, "slot %u", slot);
		if (slot != 5)
			cr_assert((P(ra)->flags & (ZS_PG_LOCKED | ZS_PG_BOUND | ZS_PG_MAPPED)) ==
				      ZS_PG_LOCKED,
				  "slot %u: locked for its read, unmapped", slot);
		cr_assert_neq(P(ra)->list, ZS_LST_NONE, "on the LRU");
	}
	cr_assert_eq(T.s->swapcache[16], ZS_NIL, "slot 16 is the next cluster");
	/* the read completes; a touch of slot 7 is then a minor fault */
	zs_engine_run(T.e, zs_now(T.e) + ZS_NS_PER_SEC / 10, NULL, NULL);
	cr_assert_eq(T.s->nr_async_pages, 0);
	cr_assert(!(P(T.s->swapcache[7])->flags & ZS_PG_LOCKED));
	cr_assert_eq(zs24_swap_cache_find(T.vm, 7), T.s->swapcache[7]);
	check();
}

Test(swap24, swapin_readahead_stops_at_an_unused_slot)
{
	uint32_t pfns[20];
	struct zs_task *t = evicted_task(20, pfns);
	struct zs_binding *b9 = zs_pagemap_at(T.vm->pagemap, binding_of(9));

	/* the owner frees the page at slot 9: nothing cached, the slot is free */
	zs24_swap_free(T.vm, 9);
	b9->ps = UINT32_MAX; /* swapped: ps is the slot */
	major_fault(t, binding_of(3));
	/* KERNEL: 2.4.0 valid_swaphandles(): slots 0..8 only */
	cr_assert_eq(T.s->swapcache_pages, 9);
	cr_assert_eq(T.s->swapcache[10], ZS_NIL);
}

Test(swap24, swapin_readahead_respects_the_async_limit)
{
	uint32_t pfns[20];
	struct zs_task *t = evicted_task(20, pfns);

	/* two async pages short of swap_cluster << page_cluster */
	T.s->nr_async_pages = (uint64_t)(T.s->tun.swap_cluster << T.s->tun.page_cluster) - 2;
	major_fault(t, binding_of(0));
	cr_assert_eq(T.s->swapcache_pages, 3, "the fault's page and two read ahead");
	T.s->nr_async_pages -= (uint64_t)(T.s->tun.swap_cluster << T.s->tun.page_cluster) - 2;
}

Test(swap24, a_page_read_ahead_meanwhile_gives_way_to_the_faults_own)
{
	uint32_t pfns[20];
	struct zs_task *t = evicted_task(20, pfns);

	major_fault(t, binding_of(0)); /* reads slots 1..15 ahead */
	zs_engine_run(T.e, zs_now(T.e) + ZS_NS_PER_SEC / 10, NULL, NULL);
	uint32_t ra = T.s->swapcache[3];
	uint64_t free_before = N->free_pages;

	/* the driver missed the cached page (a fault already under way) */
	uint32_t pfn = major_fault(t, binding_of(3));
	cr_assert_eq(T.s->swapcache[3], pfn);
	cr_assert(!(P(ra)->flags & (ZS_PG_SWAPCACHE | ZS_PG_LRU)), "the read-ahead copy is gone");
	cr_assert_eq(N->free_pages, free_before, "one page in, one page out");
	check();
}
