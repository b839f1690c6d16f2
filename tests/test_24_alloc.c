/*
 * test_24_alloc.c - which exit of 2.4.0 __alloc_pages serves a request, for
 * zone states built by hand: one test per pass and per failure path.
 *
 * Machine: DMA 4096 pages (min/low/high 128/256/384) + Normal 4096 pages
 * (32/64/96); GFP_KERNEL and GFP_ATOMIC use the zonelist [Normal, DMA].
 */
#include "tests/test_24_util.h"

#include "alloc/buddy.h"
#include "alloc/task.h"

static struct t24 T;
static struct zs_zone *N, *D;

static void
setup(void)
{
	t24_boot(&T, 4096, 4096, 0, 0);
	N = t24_zone(&T, ZS_ZONE_NORMAL);
	D = t24_zone(&T, ZS_ZONE_DMA);
}

static void
teardown(void)
{
	t24_fini(&T);
}

TestSuite(alloc24, .init = setup, .fini = teardown);

/* Normal with `free` free pages and `clean` inactive_clean pages; DMA empty. */
static void
state(uint64_t free, uint64_t clean)
{
	t24_drain(&T, D, 0);
	for (uint64_t i = 0; i < clean; i++)
		t24_clean_page(&T, N);
	t24_drain(&T, N, free);
	cr_assert_eq(N->free_pages, free);
	cr_assert_eq(zs24_zone(N)->inactive_clean.count, clean);
}

static int
run(struct zs_alloc_req *r)
{
	cr_assert_eq(zs24_alloc(T.vm, r), ZS_ALLOC_DONE);
	return r->path;
}

Test(alloc24, watermarks_of_the_fixture)
{
	cr_assert_eq(N->pages_min, 32);
	cr_assert_eq(N->pages_low, 64);
	cr_assert_eq(N->pages_high, 96);
	cr_assert_eq(D->pages_min, 128);
}

Test(alloc24, pass_a_serves_a_zone_above_pages_low)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);

	cr_assert_eq(run(&r), Z24_P_PASSA);
	cr_assert_eq(zs_pfn_zone(T.m, r.pfn), N, "Normal comes first for GFP_KERNEL");
	cr_assert_eq(T.s->memory_pressure, 1);
	cr_assert_eq(N->pgalloc, 1);
}

Test(alloc24, pass_a_takes_exactly_pages_low)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);

	state(64, 0); /* free == pages_low: the >= test passes */
	cr_assert_eq(run(&r), Z24_P_PASSA);
}

Test(alloc24, high_limit_from_rmqueue_when_free_is_not_critical)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);

	state(50, 50); /* 100 > 96, free >= pages_min + 8 */
	cr_assert_eq(run(&r), Z24_P_HIGH);
	cr_assert_eq(N->free_pages, 49, "the page came from the buddy lists");
	cr_assert_eq(zs24_zone(N)->inactive_clean.count, 50);
}

Test(alloc24, high_limit_reclaims_directly_below_min_plus_8)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);
	uint32_t first;

	t24_drain(&T, D, 0);
	first = t24_clean_page(&T, N); /* the first added is the tail */
	for (int i = 1; i < 70; i++)
		t24_clean_page(&T, N);
	t24_drain(&T, N, 30);
	cr_assert_eq(run(&r), Z24_P_HIGH);
	cr_assert_eq(r.pfn, first, "reclaim_page takes the tail of inactive_clean");
	cr_assert_eq(N->free_pages, 30);
	cr_assert_eq(zs24_zone(N)->inactive_clean.count, 69);
	cr_assert_eq(T.s->memory_pressure, 2, "+1 for __alloc_pages, +1 for reclaim_page");
}

Test(alloc24, high_limit_is_strict)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);

	state(50, 46); /* 96 is not > 96: falls to PAGES_LOW */
	cr_assert_eq(run(&r), Z24_P_LOW);
}

Test(alloc24, low_limit)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);

	state(50, 20); /* 64 < 70 <= 96 */
	cr_assert_eq(run(&r), Z24_P_LOW);
}

Test(alloc24, min_limit_after_the_kswapd_wakeup)
{
	struct zs_alloc_req r = t24_req(0, GFP24_ATOMIC);

	state(40, 0); /* 32 < 40 <= 64 */
	cr_assert_eq(run(&r), Z24_P_MIN);
	cr_assert_eq(T.s->alloc_r, 0, "GFP_ATOMIC does not yield");
}

Test(alloc24, kernel_allocation_yields_before_the_min_pass)
{
	struct t24_alloc a = {.req = t24_req(0, GFP24_KERNEL)};

	state(40, 0);
	t24_alloc_start(&T, &a, NULL);
	zs_engine_run(T.e, 1000000, NULL, NULL);
	cr_assert(a.done);
	cr_assert_eq(a.req.path, Z24_P_MIN);
	cr_assert_eq(a.calls, 2, "one call up to the yield, one after");
	cr_assert_eq(T.s->alloc_r, 1);
}

Test(alloc24, pass_a_wakes_kreclaimd_below_pages_min)
{
	struct zs_alloc_req r = t24_req(0, GFP24_ATOMIC);

	zs_engine_run(T.e, 1000, NULL, NULL); /* daemons reach their sleeps */
	cr_assert_eq(T.s->kreclaimd_wait.count, 1);
	state(20, 0);
	run(&r);
	cr_assert_eq(T.s->krec_w, 1);
	cr_assert_eq(T.s->kreclaimd_wait.count, 0);
}

Test(alloc24, final_phase_above_a_quarter_of_pages_min)
{
	struct zs_alloc_req r = t24_req(0, GFP24_ATOMIC);

	state(20, 0); /* 8 <= 20 <= 32 */
	cr_assert_eq(run(&r), Z24_P_FINAL);
	cr_assert_eq(N->free_pages, 19);
}

Test(alloc24, atomic_fails_below_a_quarter_of_pages_min)
{
	struct zs_alloc_req r = t24_req(0, GFP24_ATOMIC);

	state(7, 0);
	cr_assert_eq(run(&r), Z24_P_FAIL);
	cr_assert_eq(r.pfn, ZS_NIL);
	cr_assert_eq(N->free_pages, 7);
}

Test(alloc24, pf_memalloc_may_empty_the_zone)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);
	struct zs_task *t = zs_vm_task_new(T.vm, "kswapd-like", 1);

	t->flags |= ZS_PF_MEMALLOC;
	r.task = t;
	state(3, 0);
	cr_assert_eq(run(&r), Z24_P_FINAL);
	cr_assert_eq(r.local[Z24_L_DIRECT], 0, "no direct reclaim under PF_MEMALLOC");
}

Test(alloc24, high_order_path_frees_clean_pages_into_the_buddy)
{
	struct zs_alloc_req r = t24_req(1, GFP24_KERNEL);
	uint32_t p = N->start_pfn + 100, q = p + 1;

	t24_drain(&T, D, 0);
	t24_drain(&T, N, 0);
	zs24_free_pages_ok(T.s, p, 0); /* p free, its buddy q allocated */
	T.m->pages[q].kind = ZS_KIND_FILE_CLEAN;
	T.m->pages[q].flags |= Z24_PG_CACHE;
	T.m->pages[q].age = 0;
	zs24_add_to_inactive_clean(T.s, q);
	cr_assert_eq(run(&r), Z24_P_HIGHORDER);
	cr_assert_eq(r.pfn, p, "the merged order-1 block");
	cr_assert_eq(N->free_pages, 0);
}

Test(alloc24, high_order_atomic_fails_on_fragmented_memory)
{
	struct zs_alloc_req r = t24_req(3, GFP24_ATOMIC);

	t24_drain(&T, D, 0);
	t24_drain(&T, N, 0);
	for (uint32_t i = 0; i < 40; i++) /* every other page: only order-0 blocks */
		zs24_free_pages_ok(T.s, N->start_pfn + 2 * i, 0);
	cr_assert_eq(N->free_pages, 40);
	cr_assert_eq(run(&r), Z24_P_FAIL);
	cr_assert_eq(N->free_pages, 40);
}

Test(alloc24, retry_after_kswapd_is_labelled)
{
	/* resume as if woken from kswapd_done: memory_pressure++, goto try_again */
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);

	r.step = Z24_S_AFTER_KSWAPD;
	r.local[Z24_L_DIRECT] = 1;
	cr_assert_eq(run(&r), Z24_P_RETRY_KSWAPD);
	cr_assert_eq(T.s->memory_pressure, 1, "only the retry's +1, no second entry +1");
}

Test(alloc24, oom_victim_reclaims_in_the_final_phase)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);
	struct zs_task *t = zs_vm_task_new(T.vm, "victim", 0);
	uint32_t c;

	t->flags |= ZS_PF_MEMALLOC; /* set by oom_kill while it looped */
	r.task = t;
	t24_drain(&T, D, 0);
	c = t24_clean_page(&T, N);
	t24_drain(&T, N, 0);
	r.step = Z24_S_FINAL;
	r.local[Z24_L_DIRECT] = 1; /* computed at entry, before PF_MEMALLOC */
	cr_assert_eq(run(&r), Z24_P_FINAL_RECLAIM);
	cr_assert_eq(r.pfn, c);
}

Test(alloc24, kernel_order0_waits_for_kswapd_and_retries)
{
	struct t24_alloc a = {.req = t24_req(0, GFP24_KERNEL)};

	zs_engine_run(T.e, 1000, NULL, NULL);
	t24_drain(&T, D, 0);
	for (int i = 0; i < 200; i++)
		t24_dirty_list_page(&T, N, 1); /* dirty buffers: kswapd must write them */
	t24_drain(&T, N, 0);
	t24_alloc_start(&T, &a, NULL);
	zs_engine_run(T.e, 2 * ZS_NS_PER_SEC, NULL, NULL);
	cr_assert(a.done);
	cr_assert_neq(a.req.pfn, ZS_NIL, "order-0 sleeping allocations do not fail");
	cr_assert_eq(a.req.path, Z24_P_RETRY_KSWAPD);
	cr_assert_geq(T.s->kswapd_done_waits, 1);
	cr_assert_gt(T.vm->pgpgout, 0, "the buffers were written");
}

Test(alloc24, no_io_allocation_frees_pages_itself)
{
	struct t24_alloc a = {.req = t24_req(0, GFP24_BUFFER)};

	zs_engine_run(T.e, 1000, NULL, NULL);
	t24_drain(&T, D, 0);
	for (int i = 0; i < 200; i++)
		t24_dirty_list_page(&T, N, 1);
	t24_drain(&T, N, 0);
	t24_alloc_start(&T, &a, NULL);
	zs_engine_run(T.e, 2 * ZS_NS_PER_SEC, NULL, NULL);
	cr_assert(a.done);
	cr_assert_neq(a.req.pfn, ZS_NIL);
	cr_assert_eq(a.req.path, Z24_P_RETRY_TFP);
	cr_assert_eq(T.s->kswapd_done_waits, 0, "GFP_BUFFER never waits on kswapd_done");
}

Test(alloc24, kernel_high_order_fails_after_one_kswapd_round)
{
	struct t24_alloc a = {.req = t24_req(2, GFP24_KERNEL)};

	zs_engine_run(T.e, 1000, NULL, NULL);
	t24_drain(&T, D, 0);
	t24_drain(&T, N, 0);
	for (uint32_t i = 0; i < 40; i++)
		zs24_free_pages_ok(T.s, N->start_pfn + 2 * i, 0);
	t24_alloc_start(&T, &a, NULL);
	zs_engine_run(T.e, ZS_NS_PER_SEC / 10, NULL, NULL);
	cr_assert(a.done);
	cr_assert_eq(a.req.path, Z24_P_FAIL);
	cr_assert_eq(T.s->kswapd_done_waits, 1, "order > 0: no goto try_again");
}

Test(alloc24, dma_request_uses_only_the_dma_zone)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL | GFP24_DMA);
	struct zs_zone *zl[ZS_NR_ZONE_TYPES];

	cr_assert_eq(zs24_zonelist(T.s, 0, GFP24_KERNEL | GFP24_DMA, zl), 1);
	cr_assert_eq(run(&r), Z24_P_PASSA);
	cr_assert_eq(zs_pfn_zone(T.m, r.pfn), D);
}

Test(alloc24, free_lowers_memory_pressure_only_above_nr_cpus)
{
	struct zs_alloc_req r = t24_req(0, GFP24_KERNEL);

	cr_assert_eq(T.s->nr_cpus, 1, "a one-CPU machine is a UP build");
	run(&r);
	cr_assert_eq(T.s->memory_pressure, 1);
	zs24_free(T.vm, r.pfn, 0, 0);
	cr_assert_eq(T.s->memory_pressure, 1, "1 is not > NR_CPUS");
	T.s->memory_pressure = 5;
	r = t24_req(0, GFP24_KERNEL);
	run(&r);
	zs24_free(T.vm, r.pfn, 0, 0);
	cr_assert_eq(T.s->memory_pressure, 5);
	cr_assert_eq(N->pgfree, 2);
}

Test(alloc24, buffer_pages_use_gfp_buffer_after_a_launder)
{
	struct t24 H;
	struct zs_alloc_req r = t24_req(0, GFP24_HIGHUSER);

	t24_boot(&H, 4096, 4096, 4096, 0);
	/* every zone short of free pages: refill_freelist launders first */
	t24_drain(&H, t24_zone(&H, ZS_ZONE_DMA), 100);
	t24_drain(&H, t24_zone(&H, ZS_ZONE_NORMAL), 200);
	t24_drain(&H, t24_zone(&H, ZS_ZONE_HIGHMEM), 300);
	cr_assert_gt(zs24_free_shortage(H.s), 0);
	r.kind = ZS_KIND_BUFFER;
	cr_assert_eq(H.vm->ops->alloc(H.vm, &r), ZS_ALLOC_DONE);
	cr_assert_neq(r.pfn, ZS_NIL);
	/* KERNEL: 2.4.0 grow_buffers(): alloc_page(GFP_BUFFER) - never HighMem */
	cr_assert_eq(zs_pfn_zone(H.m, r.pfn)->type, ZS_ZONE_NORMAL);
	cr_assert_eq(r.gfp, GFP24_BUFFER);
	cr_assert_eq(H.s->launder, 1, "page_launder(GFP_BUFFER, 0) ran first");
	t24_fini(&H);
}
