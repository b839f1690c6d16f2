/*
 * test_26_paths.c - one test per exit of __alloc_pages (2.6.18) and of
 * __alloc_pages_nodemask/__alloc_pages_slowpath (2.6.32), with zone states
 * built by hand: a 64 MiB Normal zone (min 256, low 320, high 384 pages; pcp
 * batch 3, high 18) drained with the buddy to a chosen free level.
 */
#include "tests/test_26_util.h"

static const enum zs_zone_type NORMAL[] = {ZS_ZONE_NORMAL};
static const uint64_t PAGES_64M[] = {16384, 0};
static const struct zs_policy_ops *const BOTH[] = {&zs_policy_2618, &zs_policy_2632};

#define MS (1000 * 1000LL)

static struct t26
boot(const struct zs_policy_ops *ops, const char *kcfg)
{
	struct t26 t = t26_boot(ops, 1, NORMAL, PAGES_64M, kcfg);

	cr_assert_eq(t.m->zones[0].pages_min, 256);
	cr_assert_eq(t.m->zones[0].pages_low, 320);
	cr_assert_eq(t.m->zones[0].pages_high, 384);
	return t;
}

static struct zs_task *
task(struct t26 *t, const char *comm, uint32_t flags)
{
	struct zs_task *tk = zs_vm_task_new(t->vm, comm, 0);

	tk->flags |= flags;
	return tk;
}

static const char *
one(struct t26 *t, struct zs_task *tk, uint32_t gfp, unsigned order, uint32_t free_level)
{
	t26_drain_to(t, &t->m->zones[0], free_level);
	struct t26_call *c = t26_alloc(t, tk, gfp, order, 0, 1 * MS, 1000 * MS);
	const char *p = t26_path(c);

	cr_assert_eq(c->req.pfn == ZS_NIL, zs26_path_failed[c->req.path] != 0, "%s", p);
	t26_check(t);
	return p;
}

Test(zs26_paths, fast)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);

		cr_assert_str_eq(one(&t, task(&t, "a", 0), GFP26_KERNEL, 0, 16384), "fast");
		t26_free(&t);
	}
}

Test(zs26_paths, min_wakes_kswapd)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);
		struct zs26_node *nm = t.m->nodes[0].model;

		cr_assert_str_eq(one(&t, task(&t, "a", 0), GFP26_KERNEL, 0, 300), "min");
		cr_assert_eq(nm->kswapd_wakeups, 1, "%s", BOTH[v]->name);
		t26_free(&t);
	}
}

Test(zs26_paths, atomic_dips_to_three_eighths_of_min)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);

		/* GFP_ATOMIC: HIGH halves min (128), HARDER takes a quarter more (96) */
		cr_assert_str_eq(one(&t, NULL, GFP26_ATOMIC, 0, 97), "min");
		t26_free(&t);
		t = boot(BOTH[v], NULL);
		cr_assert_str_eq(one(&t, NULL, GFP26_ATOMIC, 0, 96), "fail_atomic");
		t26_free(&t);
		/* GFP_NOWAIT has no __GFP_HIGH: only HARDER, 192 */
		t = boot(BOTH[v], NULL);
		cr_assert_str_eq(one(&t, NULL, GFP26_NOWAIT, 0, 193), "min");
		t26_free(&t);
		t = boot(BOTH[v], NULL);
		cr_assert_str_eq(one(&t, NULL, GFP26_NOWAIT, 0, 192), "fail_atomic");
		t26_free(&t);
	}
}

Test(zs26_paths, nowmark_for_pf_memalloc)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);

		cr_assert_str_eq(one(&t, task(&t, "kswapd-like", ZS_PF_MEMALLOC), GFP26_KERNEL, 0, 100),
				 "nowmark");
		t26_free(&t);
	}
}

Test(zs26_paths, fail_memalloc_with_nomemalloc)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);

		cr_assert_str_eq(one(&t, task(&t, "a", ZS_PF_MEMALLOC),
				     GFP26_KERNEL | GFP26_NOMEMALLOC, 0, 100),
				 "fail_memalloc");
		t26_free(&t);
	}
}

Test(zs26_paths, reclaim_after_direct_reclaim)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);

		t26_add_cache(&t, &t.m->zones[0], 40, 1);
		/* the 40 read-once pages are reclaimed (freed cold to the pcp, spilling to the buddy) */
		cr_assert_str_eq(one(&t, task(&t, "a", 0), GFP26_KERNEL, 0, 250), "reclaim");
		cr_assert_eq(zs26_of(t.vm)->allocstall, 1);
		cr_assert_geq(zs26_zone(&t.m->zones[0])->lru.pgscan_direct, 32);
		t26_free(&t);
	}
}

Test(zs26_paths, retry_after_congestion_wait)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);

		t26_add_cache(&t, &t.m->zones[0], 400, 1);
		t26_drain_to(&t, &t.m->zones[0], 60);
		struct t26_call *c = t26_alloc(&t, task(&t, "a", 0), GFP26_KERNEL, 0, 0, 1 * MS,
					       1000 * MS);

		cr_assert_str_eq(t26_path(c), "retry");
		/* congestion_wait(HZ/50) = 5 jiffies at HZ 250 = 20 ms */
		cr_assert_geq(c->end, 21 * MS);
		cr_assert_geq(zs26_of(t.vm)->congestion_waits, 1);
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_paths, oom_retry_after_a_kill)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);
		struct zs_task *hog = task(&t, "hog", 0), *me = task(&t, "me", 0);

		for (unsigned i = 0; i < 500; i++)
			t26_bind(&t, hog, zs26_rmqueue(t.vm, &t.m->zones[0], 0, ZS26_MT_MOVABLE),
				 ZS_KIND_ANON, 1000 + i);
		struct t26_call *c = NULL;

		t26_drain_to(&t, &t.m->zones[0], 200);
		c = t26_alloc(&t, me, GFP26_KERNEL, 0, 0, 1 * MS, 1000 * MS);
		cr_assert_str_eq(t26_path(c), "oom_retry");
		cr_assert(hog->killed);
		cr_assert_not(me->killed);
		cr_assert_eq(t.vm->oom_kills, 1);
		/* out_of_memory gave the victim a jiffy (4 ms at HZ 250) */
		cr_assert_geq(c->end, 5 * MS);
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_paths, fail_oom_when_nothing_is_killable)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);

		cr_assert_str_eq(one(&t, NULL, GFP26_KERNEL, 0, 200), "fail_oom");
		t26_free(&t);
	}
}

Test(zs26_paths, fail_noretry)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);

		cr_assert_str_eq(one(&t, NULL, GFP26_KERNEL | GFP26_NORETRY, 0, 200),
				 "fail_noretry");
		t26_free(&t);
		/* order 4 after progress: no retry without __GFP_REPEAT / __GFP_NOFAIL */
		t = boot(BOTH[v], NULL);
		t26_add_cache(&t, &t.m->zones[0], 40, 1);
		cr_assert_str_eq(one(&t, NULL, GFP26_KERNEL, 4, 100), "fail_noretry");
		t26_free(&t);
	}
}

Test(zs26_paths, fail_nozone)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(BOTH[v], NULL);

		/* no DMA zone on this machine: the GFP_DMA zonelist is empty */
		cr_assert_str_eq(one(&t, NULL, GFP26_KERNEL | GFP26_DMA, 0, 16384), "fail_nozone");
		t26_free(&t);
	}
}

Test(zs26_paths, fail_costly_2632)
{
	struct t26 t = boot(&zs_policy_2632, NULL);

	cr_assert_str_eq(one(&t, task(&t, "a", 0), GFP26_KERNEL, 4, 200), "fail_costly");
	t26_free(&t);
}

Test(zs26_paths, memdie_2632_fails_fast_2618_fails_as_memalloc)
{
	struct t26 t = boot(&zs_policy_2632, NULL);

	cr_assert_str_eq(one(&t, task(&t, "dying", ZS_TIF_MEMDIE), GFP26_KERNEL, 0, 0),
			 "fail_memdie");
	t26_free(&t);
	t = boot(&zs_policy_2618, NULL);
	cr_assert_str_eq(one(&t, task(&t, "dying", ZS_TIF_MEMDIE), GFP26_KERNEL, 0, 0),
			 "fail_memalloc");
	t26_free(&t);
}

Test(zs26_paths, high_2632_after_drain_all_pages)
{
	/* big pcp lists: high 2048, batch 96 */
	struct t26 t = boot(&zs_policy_2632, "percpu_pagelist_fraction: 8\n");
	struct zs_zone *z = &t.m->zones[0];
	uint32_t pf[300];

	for (int i = 0; i < 300; i++)
		pf[i] = zs26_rmqueue(t.vm, z, 0, ZS26_MT_MOVABLE);
	for (int i = 0; i < 300; i++)
		t.vm->ops->free(t.vm, pf[i], 0, 1); /* parked on cpu 1's pcp */
	cr_assert_eq(zs26_pcp_pages(t.vm, z, -1), 300);
	/* order 1 from cpu 0: no progress, but the drain brings 300 pages back: HIGH passes */
	cr_assert_str_eq(one(&t, task(&t, "a", 0), GFP26_KERNEL, 1, 200), "high");
	cr_assert_eq(zs26_of(t.vm)->drain_all_pages, 1);
	t26_free(&t);
}

Test(zs26_paths, thisnode_and_numa_zonelists_2632)
{
	struct zs_machine_spec s;
	const enum zs_zone_type ty[] = {ZS_ZONE_NORMAL};
	const uint64_t pages[] = {16384, 0};

	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, 1, ty, pages);
	t26_spec_node(&s, 1, 1, ty, pages);
	struct t26 t = t26_boot_spec(&zs_policy_2632, &s, NULL);
	struct zs26_node *n0 = t.m->nodes[0].model;

	cr_assert_eq(n0->zonelist_len[ZS_ZONE_NORMAL], 2);
	cr_assert_eq(t.m->zones[n0->zonelist[ZS_ZONE_NORMAL][0]].node, 0);
	cr_assert_eq(t.m->zones[n0->zonelist[ZS_ZONE_NORMAL][1]].node, 1);
	/* two nodes share min_free_kbytes 1448: min 181, low 226 each */
	cr_assert_eq(t.m->zones[0].pages_low, 226);
	/* node 0 below its low mark: the fast path goes on to node 1 */
	t26_drain_to(&t, &t.m->zones[0], 200);
	struct t26_call *c = t26_alloc(&t, NULL, GFP26_KERNEL, 0, 0, 1 * MS, 10 * MS);

	cr_assert_str_eq(t26_path(c), "fast");
	cr_assert_geq(c->req.pfn, t.m->zones[1].start_pfn, "pfn %u free0 %llu start1 %u", c->req.pfn, (unsigned long long)t.m->zones[0].free_pages, t.m->zones[1].start_pfn);
	/* GFP_THISNODE gives up without reclaim */
	c = t26_alloc(&t, NULL, GFP26_THISNODE | GFP26_NOWARN | GFP26_NORETRY, 0, 0, 20 * MS,
		      30 * MS);
	cr_assert_str_eq(t26_path(c), "fail_thisnode");
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_paths, find_next_best_node_uses_distance)
{
	struct zs_machine_spec s;
	const enum zs_zone_type ty[] = {ZS_ZONE_NORMAL};
	const uint64_t pages[] = {4096, 0};
	static const int d[3][3] = {{10, 30, 20}, {30, 10, 20}, {20, 20, 10}};

	memset(&s, 0, sizeof(s));
	for (int n = 0; n < 3; n++)
		t26_spec_node(&s, n, 1, ty, pages);
	for (int a = 0; a < 3; a++)
		for (int b = 0; b < 3; b++)
			s.distance[a][b] = d[a][b];
	struct t26 t = t26_boot_spec(&zs_policy_2618, &s, NULL);
	struct zs26_node *n0 = t.m->nodes[0].model, *n1 = t.m->nodes[1].model;

	cr_assert_eq(n0->node_order[0], 0);
	cr_assert_eq(n0->node_order[1], 2);
	cr_assert_eq(n0->node_order[2], 1);
	cr_assert_eq(n1->node_order[1], 2);
	cr_assert_eq(n1->node_order[2], 0);
	/* a distance over RECLAIM_DISTANCE (20) is what turns zone_reclaim_mode on */
	cr_assert_eq(zs26_of(t.vm)->zone_reclaim_mode, 1);
	t26_free(&t);
}

Test(zs26_paths, oom_lock_makes_the_second_allocator_back_off_2632)
{
	struct t26 t = boot(&zs_policy_2632, NULL);
	struct zs_task *hog = task(&t, "hog", 0);

	for (unsigned i = 0; i < 5; i++)
		t26_bind(&t, hog, zs26_rmqueue(t.vm, &t.m->zones[0], 0, ZS26_MT_MOVABLE),
			 ZS_KIND_ANON, 1000 + i);
	t26_drain_to(&t, &t.m->zones[0], 200);
	struct t26_call *a = t26_alloc(&t, task(&t, "a", 0), GFP26_KERNEL, 0, 0, 1 * MS, 1 * MS);
	struct t26_call *b = t26_alloc(&t, task(&t, "b", 0), GFP26_KERNEL, 0, 0, 1 * MS, 1000 * MS);

	cr_assert(a->done && b->done);
	cr_assert(hog->killed);
	cr_assert_geq(zs26_of(t.vm)->oom_lock_waits, 1);
	t26_check(&t);
	t26_free(&t);
}
