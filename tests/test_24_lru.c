/*
 * test_24_lru.c - 2.4.0 page aging and list transitions, refill_inactive_scan,
 * page_launder's two passes, swap_out, kswapd's sleep rule, badness() and the
 * kernel's isqrt.
 */
#include "tests/test_24_util.h"

#include "alloc/pagemap.h"
#include "alloc/task.h"

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

TestSuite(lru24, .init = setup, .fini = teardown);

static struct zs_page *
P(uint32_t pfn)
{
	return &T.m->pages[pfn];
}

/* A page-cache page (no buffers) on the active list with the given age. */
static uint32_t
active_page(uint8_t age)
{
	uint32_t pfn = zs24_rmqueue(T.s, N, 0);

	P(pfn)->kind = ZS_KIND_FILE_CLEAN;
	P(pfn)->flags |= Z24_PG_CACHE;
	P(pfn)->age = age;
	zs24_add_to_active(T.s, pfn);
	return pfn;
}

Test(lru24, age_up_activates_an_age_0_page)
{
	uint32_t pfn = t24_dirty_list_page(&T, N, 0);

	zs24_age_page_up(T.s, pfn);
	cr_assert_eq(P(pfn)->list, Z24_LST_ACTIVE);
	cr_assert_eq(P(pfn)->age, 5, "raised to PAGE_AGE_START, then + PAGE_AGE_ADV");
	cr_assert_eq(T.s->active.head, pfn, "moves insert at the head");
	for (int i = 0; i < 30; i++)
		zs24_age_page_up(T.s, pfn);
	cr_assert_eq(P(pfn)->age, 64, "PAGE_AGE_MAX");
}

Test(lru24, age_down_halves_and_deactivates_at_0)
{
	uint32_t pfn = active_page(5);

	zs24_age_page_down(T.s, pfn);
	cr_assert_eq(P(pfn)->age, 2);
	zs24_age_page_down(T.s, pfn);
	cr_assert_eq(P(pfn)->age, 1);
	cr_assert_eq(P(pfn)->list, Z24_LST_ACTIVE);
	zs24_age_page_down(T.s, pfn);
	cr_assert_eq(P(pfn)->age, 0);
	cr_assert_eq(P(pfn)->list, Z24_LST_INACTIVE_DIRTY);
	cr_assert_eq(zs24_zone(N)->inactive_dirty_pages, 1);
}

Test(lru24, lru_cache_add_of_an_age_0_page_goes_straight_to_inactive_dirty)
{
	uint32_t a = zs24_rmqueue(T.s, N, 0), b = zs24_rmqueue(T.s, N, 0);

	P(a)->flags |= Z24_PG_CACHE;
	P(b)->flags |= Z24_PG_CACHE;
	P(b)->age = 0;
	zs24_lru_cache_add(T.s, a); /* fresh from the buddy: age 2 */
	zs24_lru_cache_add(T.s, b);
	cr_assert_eq(P(a)->list, Z24_LST_ACTIVE);
	cr_assert_eq(P(b)->list, Z24_LST_INACTIVE_DIRTY);
}

Test(lru24, refill_inactive_scan_needs_log2_age_plus_1_passes)
{
	static const struct { uint8_t age; int passes; } c[] = {{2, 2}, {5, 3}, {64, 7}};

	for (unsigned i = 0; i < 3; i++) {
		uint32_t pfn = active_page(c[i].age);
		struct z24_ctx ctx = {0};
		int n = 0;

		while (P(pfn)->list == Z24_LST_ACTIVE) {
			zs24_refill_inactive_scan(T.s, 0, 0, &ctx);
			n++;
		}
		cr_assert_eq(n, c[i].passes, "age %u took %d passes", c[i].age, n);
		cr_assert_eq(P(pfn)->list, Z24_LST_INACTIVE_DIRTY);
	}
}

Test(lru24, refill_inactive_scan_ages_referenced_and_keeps_mapped_pages)
{
	uint32_t ref = active_page(0), mapped = active_page(0);
	struct z24_ctx ctx = {0};

	P(ref)->flags |= ZS_PG_REFERENCED;
	P(mapped)->flags |= ZS_PG_MAPPED; /* count 2: a PTE maps it */
	cr_assert_eq(zs24_refill_inactive_scan(T.s, 0, 0, &ctx), 0);
	cr_assert_eq(P(ref)->age, 5);
	cr_assert(!(P(ref)->flags & ZS_PG_REFERENCED));
	cr_assert_eq(P(mapped)->list, Z24_LST_ACTIVE);
	cr_assert_eq(T.s->active.head, mapped, "kept pages rotate to the head, in scan order");
	cr_assert_eq(T.s->active.tail, ref);
	cr_assert_gt(ctx.cost_ns, 0);
}

Test(lru24, refill_inactive_scan_oneshot_stops_at_the_first_success)
{
	struct z24_ctx ctx = {0};

	for (int i = 0; i < 10; i++)
		active_page(0);
	cr_assert_eq(zs24_refill_inactive_scan(T.s, 0, 1, &ctx), 1);
	cr_assert_eq(T.s->inactive_dirty.count, 1);
	cr_assert_eq(T.s->active.count, 9);
}

/* An unmapped anonymous swap-cache page on inactive_dirty with PG_dirty. */
static uint32_t
dirty_swap_page(void)
{
	uint32_t pfn = zs24_rmqueue(T.s, N, 0), slot = zs_swap_get(&T.vm->swap);

	P(pfn)->kind = ZS_KIND_ANON;
	P(pfn)->age = 0;
	zs24_swapcache_add(T.s, pfn, slot);
	zs24_add_to_inactive_dirty(T.s, pfn);
	P(pfn)->flags |= ZS_PG_DIRTY;
	return pfn;
}

Test(lru24, launder_first_pass_only_without_shortage)
{
	uint32_t sw = dirty_swap_page(), clean = t24_dirty_list_page(&T, N, 0);
	struct z24_ctx ctx = {0};

	cr_assert_eq(zs24_free_shortage(T.s), 0);
	cr_assert_eq(zs24_page_launder(T.s, GFP24_KERNEL, 0, &ctx), 1);
	cr_assert_eq(P(clean)->list, Z24_LST_INACTIVE_CLEAN);
	cr_assert_eq(P(sw)->list, Z24_LST_INACTIVE_DIRTY, "skipped in the first pass");
	cr_assert(P(sw)->flags & ZS_PG_DIRTY);
	cr_assert_eq(T.vm->pswpout, 0);
	cr_assert_eq(zs24_zone(N)->skipd, 1);
}

Test(lru24, launder_second_pass_writes_on_shortage)
{
	uint32_t sw = dirty_swap_page();
	struct z24_ctx ctx = {0};

	t24_drain(&T, t24_zone(&T, ZS_ZONE_DMA), 0);
	t24_drain(&T, N, 0);
	cr_assert_gt(zs24_free_shortage(T.s), 0);
	zs24_page_launder(T.s, GFP24_KERNEL, 0, &ctx);
	cr_assert_eq(T.vm->pswpout, 1);
	cr_assert(P(sw)->flags & ZS_PG_LOCKED, "locked while under I/O");
	cr_assert(!(P(sw)->flags & ZS_PG_DIRTY));
	cr_assert_eq(T.s->launder_w, 1);
	/* the write completes; the next launder finds it clean */
	zs_engine_run(T.e, ZS_NS_PER_SEC / 10, NULL, NULL);
	cr_assert(!(P(sw)->flags & ZS_PG_LOCKED));
}

Test(lru24, launder_without_io_never_takes_the_second_pass)
{
	struct z24_ctx ctx = {0};

	dirty_swap_page();
	t24_drain(&T, t24_zone(&T, ZS_ZONE_DMA), 0);
	t24_drain(&T, N, 0);
	zs24_page_launder(T.s, GFP24_BUFFER, 1, &ctx);
	cr_assert_eq(T.vm->pswpout, 0);
	cr_assert_eq(T.vm->pgpgout, 0);
}

Test(lru24, launder_writes_at_most_max_launder_dirty_buffers)
{
	struct z24_ctx ctx = {0};

	for (int i = 0; i < 100; i++)
		t24_dirty_list_page(&T, N, 1);
	t24_drain(&T, t24_zone(&T, ZS_ZONE_DMA), 0);
	t24_drain(&T, N, 0);
	cr_assert_eq(T.s->max_launder, 64, "4 << page_cluster, page_cluster 4 at 32 MiB");
	zs24_page_launder(T.s, GFP24_KSWAPD, 0, &ctx);
	cr_assert_eq(T.vm->pgpgout, 64);
	cr_assert_eq(T.s->nr_dirty, 36);
	cr_assert_eq(T.s->inactive_dirty.count, 100, "nothing is clean until the I/O ends");
}

Test(lru24, launder_reactivates_referenced_pages)
{
	uint32_t pfn = t24_dirty_list_page(&T, N, 0);
	struct z24_ctx ctx = {0};

	P(pfn)->flags |= ZS_PG_REFERENCED;
	zs24_page_launder(T.s, GFP24_KERNEL, 0, &ctx);
	cr_assert_eq(P(pfn)->list, Z24_LST_ACTIVE);
	cr_assert_eq(zs24_zone(N)->react, 1);
}

static struct zs_task *
anon_task(int n, uint8_t age, uint32_t *pfns)
{
	return t24_anon_task(&T, N, n, age, pfns);
}

Test(lru24, swap_out_unmaps_old_pages_into_the_swap_cache)
{
	uint32_t pfns[3];
	struct z24_ctx ctx = {0};
	struct zs_task *t = anon_task(3, 1, pfns);

	P(pfns[1])->flags |= ZS_PG_YOUNG;
	cr_assert_eq(zs24_swap_out(T.s, 6, GFP24_KSWAPD, &ctx), 0, "walk reached the end");
	cr_assert_eq(zs24_mm(T.s, t)->swap_cnt, 0);
	/* pages 0 and 2: age 1 -> 0, unmapped, given a slot, onto inactive_dirty, dirty */
	cr_assert(!(P(pfns[0])->flags & (ZS_PG_MAPPED | ZS_PG_BOUND)));
	cr_assert(P(pfns[0])->flags & ZS_PG_SWAPCACHE);
	cr_assert(P(pfns[0])->flags & ZS_PG_DIRTY);
	cr_assert_eq(P(pfns[0])->list, Z24_LST_INACTIVE_DIRTY);
	cr_assert_eq(T.s->swapcache_pages, 2);
	cr_assert_eq(t->rss, 1);
	/* page 1 was young: aged up, still mapped, on no list */
	cr_assert(P(pfns[1])->flags & ZS_PG_MAPPED);
	cr_assert_eq(P(pfns[1])->age, 4);
	cr_assert_eq(P(pfns[1])->list, ZS_LST_NONE);
	struct zs_binding *b = zs_pagemap_at(T.vm->pagemap, t->bind_first);
	cr_assert_eq(b->state, ZS_BIND_SWAPPED);
	cr_assert_eq(zs24_swap_cache_find(T.vm, b->ps), pfns[0], "a minor fault finds it");
}

Test(lru24, swap_out_keeps_pages_when_swap_is_full)
{
	uint32_t pfns[2];
	struct z24_ctx ctx = {0};

	while (zs_swap_get(&T.vm->swap) != UINT32_MAX)
		;
	anon_task(2, 0, pfns);
	zs24_swap_out(T.s, 6, GFP24_KSWAPD, &ctx);
	cr_assert(P(pfns[0])->flags & ZS_PG_MAPPED, "the pte is restored");
	cr_assert_eq(T.s->swap_alloc_fail, 2);
}

Test(lru24, kswapd_sleeps_when_there_is_no_shortage)
{
	zs_engine_run(T.e, 3 * ZS_NS_PER_SEC + ZS_NS_PER_SEC / 2, NULL, NULL);
	cr_assert_eq(T.s->kswapd_loops, 4, "once at boot, then every HZ");
	cr_assert_eq(T.s->kswapd_nosleep, 0);
}

Test(lru24, kswapd_sleeps_when_only_one_shortage_persists)
{
	/* Normal below pages_min + 1 (free shortage), plenty free in DMA (no inactive shortage) */
	t24_drain(&T, N, 0);
	zs_engine_run(T.e, 3 * ZS_NS_PER_SEC + ZS_NS_PER_SEC / 2, NULL, NULL);
	cr_assert_gt(zs24_free_shortage(T.s), 0);
	cr_assert_eq(zs24_inactive_shortage(T.s), 0);
	cr_assert_eq(T.s->kswapd_nosleep, 0);
	cr_assert_leq(T.s->kswapd_loops, 4);
}

Test(lru24, kswapd_never_sleeps_while_both_shortages_persist)
{
	t24_drain(&T, t24_zone(&T, ZS_ZONE_DMA), 0);
	t24_drain(&T, N, 0);
	zs_engine_run(T.e, ZS_NS_PER_SEC, NULL, NULL);
	cr_assert_gt(T.s->kswapd_nosleep, 1000);
	/* 100% of one CPU: its charged time fills the wall clock */
	cr_assert_geq(T.s->kswapd_cpu, ZS_NS_PER_SEC - T.s->tun.cost_loop_ns);
	cr_assert_eq(T.s->oom_kills, 0, "free swap: not out of memory");
}

Test(lru24, isqrt_is_the_kernels_rough_one)
{
	cr_assert_eq(zs24_isqrt(0), 1);
	cr_assert_eq(zs24_isqrt(1), 1);
	cr_assert_eq(zs24_isqrt(2), 1);
	cr_assert_eq(zs24_isqrt(4), 2);
	cr_assert_eq(zs24_isqrt(16), 3);
	cr_assert_eq(zs24_isqrt(100), 9);
	cr_assert_eq(zs24_isqrt(1ul << 20), 768);
}

Test(lru24, badness)
{
	struct zs_task t;

	memset(&t, 0, sizeof(t));
	t.total_vm = 1000;
	t.uid = 1000;
	t.alive = 1;
	cr_assert_eq(zs24_badness(&t, 0, 100), 1000);
	t.nice = 5;
	cr_assert_eq(zs24_badness(&t, 0, 100), 2000, "niced: x2");
	t.nice = 0;
	t.uid = 0;
	cr_assert_eq(zs24_badness(&t, 0, 100), 250, "root: /4");
	t.cap_sys_rawio = 1;
	cr_assert_eq(zs24_badness(&t, 0, 100), 62, "and RAWIO: /4 again");
	t.uid = 1000;
	t.cap_sys_rawio = 0;
	/* 16 "seconds" of CPU = 16 << (SHIFT_HZ + 3) jiffies at HZ 100 (SHIFT_HZ 7) */
	t.cpu_ns = (zs_time_t)16 * 1024 * ZS_NS_PER_SEC / 100;
	cr_assert_eq(zs24_badness(&t, t.cpu_ns, 100), 1000 / 3);
	/* 256 "minutes" of run time: isqrt(isqrt(256)) = isqrt(12) */
	t.cpu_ns = 0;
	zs_time_t now = (zs_time_t)256 * 131072 * ZS_NS_PER_SEC / 100;
	cr_assert_eq(zs24_badness(&t, now, 100), 1000 / zs24_isqrt(zs24_isqrt(256)));
	t.flags = ZS_PF_KTHREAD;
	cr_assert_eq(zs24_badness(&t, 0, 100), 0, "no mm");
}

Test(lru24, oom_kill_picks_the_largest_badness)
{
	uint32_t pfns[8];
	struct zs_task *small = anon_task(2, 2, pfns), *big = anon_task(6, 2, pfns + 2);
	struct zs_task *v;

	(void)small;
	v = zs24_oom_kill(T.s);
	cr_assert_eq(v, big);
	cr_assert(big->killed);
	cr_assert(big->flags & ZS_PF_MEMALLOC, "the victim may dip into the reserve");
	cr_assert_eq(T.s->oom_kills, 1);
}

Test(lru24, out_of_memory_needs_all_three_conditions)
{
	t24_drain(&T, t24_zone(&T, ZS_ZONE_DMA), 0);
	t24_drain(&T, N, 0);
	cr_assert_eq(zs24_out_of_memory(T.s), 0, "free swap left");
	while (zs_swap_get(&T.vm->swap) != UINT32_MAX)
		;
	cr_assert_eq(zs24_out_of_memory(T.s), 1);
	for (int i = 0; i < 161; i++)
		zs24_free_pages_ok(T.s, N->start_pfn + (uint32_t)i, 0);
	cr_assert_eq(zs24_out_of_memory(T.s), 0, "free > freepages.min");
}

Test(lru24, swap_out_resumes_after_the_page_where_the_quota_ran_out)
{
	uint32_t pfns[3];
	struct z24_ctx ctx = {0};
	struct zs_task *t = anon_task(3, 1, pfns);
	struct z24_mm *mm = zs24_mm(T.s, t);

	/* quota 1: page 0 is unmapped, page 1 finds swap_cnt 0 */
	mm->swap_cnt = 1;
	cr_assert_eq(zs24_swap_out(T.s, 6, GFP24_KSWAPD, &ctx), 1);
	cr_assert(!(P(pfns[0])->flags & ZS_PG_MAPPED));
	cr_assert(P(pfns[1])->flags & ZS_PG_MAPPED);
	/* KERNEL: 2.4.0 swap_out_pmd(): swap_address was already past page 1 */
	cr_assert_eq(mm->swap_address, zs_pagemap_find(T.vm->pagemap, 3));
	mm->swap_cnt = 1;
	zs24_swap_out(T.s, 6, GFP24_KSWAPD, &ctx);
	cr_assert(!(P(pfns[2])->flags & ZS_PG_MAPPED), "the walk went on with page 2");
	cr_assert(P(pfns[1])->flags & ZS_PG_MAPPED, "page 1 waits for the next round");
	/* a walk whose quota ran out on the last page resumes past it: it ends at once
	 * and resets the mm */
	mm->swap_address = Z24_SWAP_END;
	mm->swap_cnt = 5;
	cr_assert_eq(zs24_swap_out(T.s, 6, GFP24_KSWAPD, &ctx), 0);
	cr_assert_eq(mm->swap_cnt, 0);
	cr_assert(P(pfns[1])->flags & ZS_PG_MAPPED);
}

Test(lru24, a_synchronous_launder_waits_for_that_pages_own_write)
{
	struct z24_ctx ctx = {0};
	uint32_t a = t24_dirty_list_page(&T, N, 1);
	uint32_t b = t24_dirty_list_page(&T, N, 1);

	/* a's write, then a later request for b queued behind it */
	zs24_write_page(T.s, a, 0, 0, &ctx);
	zs24_io_submit(T.s, &ctx);
	zs_time_t a_end = zs24_io_end(T.s, a);
	zs24_write_page(T.s, b, 0, 0, &ctx);
	zs24_io_submit(T.s, &ctx);
	cr_assert_gt(T.vm->disk.busy_until, a_end);
	ctx.io_until = 0;
	/* KERNEL: 2.4.0 sync_page_buffers(wait 2): __wait_on_buffer of a's buffer only */
	cr_assert_eq(zs24_try_to_free_buffers(T.s, a, 2, &ctx), 0);
	cr_assert_eq(ctx.io_until, a_end);
}

Test(lru24, flush_dirty_buffers_stops_after_ndirty_and_returns_one_more)
{
	struct z24_ctx ctx = {0};

	for (int i = 0; i < 100; i++)
		t24_dirty_list_page(&T, N, 1);
	/* KERNEL: 2.4.0 fs/buffer.c flush_dirty_buffers(): ++flushed > ndirty stops it */
	cr_assert_eq(zs24_flush_dirty_buffers(T.s, 0, &ctx), 65);
	cr_assert_eq(T.vm->pgpgout, 64);
	cr_assert_eq(T.s->nr_dirty, 36);
}

Test(lru24, the_oom_victim_exits_a_jiffy_later_and_may_be_chosen_again_meanwhile)
{
	uint32_t pfns[6];
	struct zs_task *big = anon_task(6, 2, pfns);
	uint64_t free_before = N->free_pages;

	cr_assert_eq(zs24_oom_kill(T.s), big);
	/* KERNEL: 2.4.0 oom_kill(): a signal; the victim frees its memory as it runs
	 * do_exit, not inside the OOM killer */
	cr_assert(big->alive && big->killed);
	cr_assert_eq(N->free_pages, free_before, "nothing freed yet");
	/* select_bad_process() does not skip it: chosen again, no second victim */
	cr_assert_eq(zs24_oom_kill(T.s), big);
	cr_assert_eq(T.s->oom_kills, 1);
	cr_assert_eq(T.s->oom_rekills, 1);
	cr_assert_eq(T.vm->oom_kills, 1);
	zs_engine_run(T.e, zs_now(T.e) + ZS_NS_PER_SEC / 100, NULL, NULL);
	cr_assert(!big->alive, "do_exit ran one jiffy later");
	cr_assert_eq(N->free_pages, free_before + 6);
}

/* The checker's counters-only depth sees a list count that disagrees with the list's
 * ends, and the zones' inactive_dirty counters against the list, on every call. */
Test(lru24, the_checkers_counters_only_pass_sees_the_lists_counts)
{
	struct zs_error err = {0, ""};
	struct z24_zone *zz = zs24_zone(N);

	active_page(3);
	cr_assert_eq(zs_vm_check_event(T.vm, &err), 0, "%s", err.msg);
	cr_assert_eq(zs_vm_check_event(T.vm, &err), 0, "a counters-only pass: %s", err.msg);
	T.s->active.count++;
	cr_assert_eq(zs_vm_check_event(T.vm, &err), -1);
	cr_assert(strstr(err.msg, "active of 2 pages has bad ends"), "%s", err.msg);
	T.s->active.count--;
	zz->inactive_dirty_pages++;
	cr_assert_eq(zs_vm_check_event(T.vm, &err), -1);
	cr_assert(strstr(err.msg, "inactive_dirty counters"), "%s", err.msg);
	zz->inactive_dirty_pages--;
	cr_assert_eq(zs_vm_check_event(T.vm, &err), 0, "%s", err.msg);
}

/* nr_free_pages() and nr_inactive_clean_pages() are kept as sums (no walk of the
 * zones): they follow pages through the lists, and the checker sees either drift. */
Test(lru24, the_kept_free_and_inactive_clean_sums_follow_the_lists_and_are_checked)
{
	struct zs_error err = {0, ""};
	uint64_t free0 = zs24_nr_free_pages(T.s), sum = 0;

	for (int i = 0; i < T.m->nr_zones; i++)
		sum += T.m->zones[i].free_pages;
	cr_assert_eq(free0, sum);
	cr_assert_gt(free0, 0);
	active_page(3);
	cr_assert_eq(zs24_nr_free_pages(T.s), free0 - 1);
	for (int i = 0; i < 2; i++)
		t24_clean_page(&T, N);
	cr_assert_eq(zs24_nr_inactive_clean_pages(T.s), 2);
	cr_assert_eq(zs24_zone(N)->inactive_clean.count, 2);
	zs24_lru_del(T.s, zs24_zone(N)->inactive_clean.head);
	cr_assert_eq(zs24_nr_inactive_clean_pages(T.s), 1);
	cr_assert_eq(zs24_nr_free_pages(T.s), free0 - 3, "three pages taken");
	cr_assert_eq(zs_vm_check_event(T.vm, &err), 0, "%s", err.msg);
	T.s->nr_inactive_clean++;
	cr_assert_eq(zs_vm_check_event(T.vm, &err), -1);
	cr_assert(strstr(err.msg, "inactive_clean lists hold 1 pages"), "%s", err.msg);
	T.s->nr_inactive_clean--;
	T.m->free_pages--;
	cr_assert_eq(zs_vm_check_event(T.vm, &err), -1);
	cr_assert(strstr(err.msg, "its free_pages says"), "%s", err.msg);
	T.m->free_pages++;
	cr_assert_eq(zs_vm_check_event(T.vm, &err), 0, "%s", err.msg);
}
