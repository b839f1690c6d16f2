/*
 * test_pcp_drain.c - remote per-cpu pages drained by the per-cpu timers:
 * 2.6.18's cache_reap (mm/slab.c, every 2 s from HZ + 3 * cpu jiffies, one
 * node per visit, the CPU's own skipped, drain_node_pages empties the lists)
 * and 2.6.32's vmstat_update (each whole second; refresh_cpu_vm_stats drains
 * one batch of a remote pageset three refreshes after the CPU last left a
 * counter differential on the zone).  Local pagesets and single-node
 * machines are never drained.
 */
#include "tests/test_26_util.h"

#define MS (1000 * 1000LL)

/* Two nodes, one CPU each, 256 MiB Normal per node: batch 15, high 90. */
static struct t26
two_nodes(const struct zs_policy_ops *ops)
{
	struct zs_machine_spec s;
	const enum zs_zone_type t[] = {ZS_ZONE_NORMAL};
	const uint64_t p[] = {65536, 0};

	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, 1, t, p);
	t26_spec_node(&s, 1, 1, t, p);
	return t26_boot_spec(ops, &s, NULL);
}

static struct zs_zone *
normal(struct t26 *t, int node)
{
	return t->m->nodes[node].zone[ZS_ZONE_NORMAL];
}

static uint32_t
pcp_count(struct t26 *t, int node, unsigned cpu)
{
	struct zs26_pageset *ps = &zs26_zone(normal(t, node))->pageset[cpu];

	return ps->pcp[0].count + (t->vm->kver == ZS_KV_2618 ? ps->pcp[1].count : 0);
}

/* free_hot_cold_page() of n buddy pages of node's zone onto cpu's pageset. */
static void
put_on_pcp(struct t26 *t, int node, unsigned cpu, int n)
{
	struct zs_zone *z = normal(t, node);

	for (int i = 0; i < n; i++) {
		uint32_t pfn = zs26_rmqueue(t->vm, z, 0, ZS26_MT_MOVABLE);

		cr_assert_neq(pfn, ZS_NIL);
		zs26_free_hot_cold(t->vm, z, pfn, cpu, 0);
	}
}

/* An order-0 allocation by cpu served from node's zone (refills the pageset from the buddy). */
static void
alloc_from(struct t26 *t, int node, unsigned cpu)
{
	struct zs_alloc_req req;
	int zl[] = {normal(t, node)->id};

	memset(&req, 0, sizeof(req));
	req.cpu = cpu;
	req.gfp = GFP26_HIGHUSER_MOVABLE;
	cr_assert_neq(zs26_get_page_from_freelist(t->vm, &req, req.gfp, 0, zl, 1,
						  ZS26_ALLOC_WMARK_LOW, NULL),
		      ZS_NIL);
}

static void
run_to(struct t26 *t, int64_t ns)
{
	zs_engine_run(t->e, ns, NULL, NULL);
}

Test(pcp_drain, cache_reap_2618_drains_remote_lists_every_other_visit)
{
	struct t26 t = two_nodes(&zs_policy_2618);
	struct zs26 *k = zs26_of(t.vm);

	put_on_pcp(&t, 1, 0, 10); /* CPU 0's pages of node 1: remote */
	put_on_pcp(&t, 0, 0, 7);  /* and of its own node */
	cr_assert_eq(k->reap_node[0], 1, "init_reap_node: the node after CPU 0's");
	run_to(&t, 999 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 10, "nothing before the first reap at HZ");
	run_to(&t, 1000 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 0, "the first reap visits node 1 and empties it");
	cr_assert_eq(pcp_count(&t, 0, 0), 7, "the CPU's own node is never drained");
	cr_assert_eq(k->pcp_remote_drains, 1);
	cr_assert_eq(k->pcp_remote_drained, 10);
	cr_assert_eq(k->reap_node[0], 0);
	put_on_pcp(&t, 1, 0, 4);
	run_to(&t, 4999 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 4, "the reap at 3 s visits node 0: skipped");
	run_to(&t, 5000 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 0, "the reap at 5 s is node 1's again");
	cr_assert_eq(pcp_count(&t, 0, 0), 7);
	cr_assert_eq(k->pcp_remote_drained, 14);
	t26_check(&t);
	t26_free(&t);
}

Test(pcp_drain, cache_reap_2618_skews_each_cpu_by_3_jiffies)
{
	struct t26 t = two_nodes(&zs_policy_2618);

	put_on_pcp(&t, 0, 1, 5); /* CPU 1 (node 1) holds pages of node 0 */
	run_to(&t, 1000 * MS);
	cr_assert_eq(pcp_count(&t, 0, 1), 5, "CPU 1 reaps at HZ + 3 jiffies");
	run_to(&t, 1012 * MS);
	cr_assert_eq(pcp_count(&t, 0, 1), 0);
	t26_check(&t);
	t26_free(&t);
}

Test(pcp_drain, refresh_2632_drains_one_batch_three_refreshes_after_the_last_allocation)
{
	struct t26 t = two_nodes(&zs_policy_2632);
	struct zs26 *k = zs26_of(t.vm);

	cr_assert_eq(zs26_zone(normal(&t, 1))->stat_threshold, 12, "2 CPUs, 256 MiB: 2*2*(1+2)");
	alloc_from(&t, 1, 0); /* a refill of 15, one handed out */
	alloc_from(&t, 0, 0); /* and the same on the local node */
	cr_assert_eq(pcp_count(&t, 1, 0), 14);
	run_to(&t, 2999 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 14, "expire 3 at 1 s, 2 at 2 s");
	cr_assert_eq(zs26_zone(normal(&t, 1))->pageset[0].expire, 1);
	run_to(&t, 3000 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 0, "expired at 3 s: drained");
	cr_assert_eq(pcp_count(&t, 0, 0), 14, "the local pageset stays");
	cr_assert_eq(zs26_zone(normal(&t, 0))->pageset[0].expire, 0, "local: expire cleared");
	cr_assert_eq(k->pcp_remote_drains, 1);
	cr_assert_eq(k->pcp_remote_drained, 14);
	run_to(&t, 20000 * MS);
	cr_assert_eq(pcp_count(&t, 0, 0), 14);
	cr_assert_eq(k->pcp_remote_drains, 1);
	t26_check(&t);
	t26_free(&t);
}

Test(pcp_drain, refresh_2632_an_allocation_restarts_the_countdown)
{
	struct t26 t = two_nodes(&zs_policy_2632);

	alloc_from(&t, 1, 0);
	run_to(&t, 1500 * MS); /* the refresh at 1 s set expire 3, then 2 */
	alloc_from(&t, 1, 0);  /* from the pcp: no refill, but NUMA_* differentials */
	cr_assert_eq(pcp_count(&t, 1, 0), 13);
	run_to(&t, 3999 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 13, "reset at 2 s: 3 seconds idle from there");
	run_to(&t, 4000 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 0);
	t26_check(&t);
	t26_free(&t);
}

Test(pcp_drain, refresh_2632_drain_past_stat_threshold_leaves_the_rest)
{
	struct t26 t = two_nodes(&zs_policy_2632);
	struct zs26 *k = zs26_of(t.vm);

	alloc_from(&t, 1, 0);     /* 14 on the list */
	put_on_pcp(&t, 1, 0, 16); /* 30: two batches' worth */
	run_to(&t, 3000 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 15, "drain_zone_pages takes one batch");
	/* the drain's NR_FREE_PAGES change (15) passes stat_threshold (12): folded at once,
	 * no differential left, so expire stays 0 and the rest waits for new traffic */
	cr_assert_eq(zs26_zone(normal(&t, 1))->pageset[0].free_diff, 0);
	run_to(&t, 20000 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 15);
	cr_assert_eq(k->pcp_remote_drained, 15);
	alloc_from(&t, 1, 0);
	run_to(&t, 23000 * MS);
	cr_assert_eq(pcp_count(&t, 1, 0), 0, "the next idle spell drains the rest (14)");
	cr_assert_eq(k->pcp_remote_drained, 29);
	t26_check(&t);
	t26_free(&t);
}

Test(pcp_drain, vmstat_2632_cpu1_runs_3_jiffies_before_the_second)
{
	struct t26 t = two_nodes(&zs_policy_2632);

	alloc_from(&t, 0, 1); /* CPU 1 (node 1) holds node 0 pages */
	/* round_jiffies(250 + 3) - 3 = 247 jiffies: 988 ms, 1988, 2988 */
	run_to(&t, 2987 * MS);
	cr_assert_eq(pcp_count(&t, 0, 1), 14);
	run_to(&t, 2988 * MS);
	cr_assert_eq(pcp_count(&t, 0, 1), 0);
	t26_free(&t);
}

Test(pcp_drain, one_node_machines_start_no_timer)
{
	const struct zs_policy_ops *ops[] = {&zs_policy_2618, &zs_policy_2632};
	const enum zs_zone_type t1[] = {ZS_ZONE_NORMAL};
	const uint64_t p1[] = {65536, 0};

	for (int v = 0; v < 2; v++) {
		struct t26 t = t26_boot(ops[v], 2, t1, p1, NULL);
		struct zs_zone *z = &t.m->zones[0];

		for (int i = 0; i < 10; i++)
			zs26_free_hot_cold(t.vm, z, zs26_rmqueue(t.vm, z, 0, ZS26_MT_MOVABLE), 1, 0);
		run_to(&t, 30000 * MS);
		cr_assert_eq(zs26_zone(z)->pageset[1].pcp[0].count, 10);
		cr_assert_null(zs26_of(t.vm)->reap_node);
		cr_assert_eq(zs26_of(t.vm)->pcp_remote_drains, 0);
		t26_free(&t);
	}
}
