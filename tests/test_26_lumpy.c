/*
 * test_26_lumpy.c - 2.6.32 direct reclaim asleep inside shrink_inactive_list
 * (alloc/linux26/vmscan_isolated.c): too_many_isolated()'s wait while another
 * reclaimer holds a large isolated batch, and lumpy reclaim's PAGEOUT_IO_SYNC
 * second pass that waits for the writeback of its block; then a whole run of
 * configs/26-fragmentation-churn.yaml, scaled down, with the invariant checker.
 */
#include "sim/driver.h"
#include "tests/test_26_reclaim_util.h"

/* A 64 MiB Normal zone with swap and a slow disk (1 ms, mib MiB/s): writes take a while. */
static struct t26
l_boot_disk(const struct zs_policy_ops *ops, uint64_t mib)
{
	struct zs_machine_spec s;

	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, 2, R_NORMAL, R_PAGES_64M);
	s.swap_pages = 8192;
	s.disk_latency_ns = R_MS;
	s.disk_bandwidth_bps = mib << 20;
	return t26_boot_spec(ops, &s, NULL);
}

static struct t26
l_boot(const struct zs_policy_ops *ops)
{
	return l_boot_disk(ops, 10);
}

/* try_to_free_pages of one request in its own thread, called again after each sleep. */
struct l_call {
	struct zs_vm *vm;
	struct zs_alloc_req req;
	int zl[1];
	uint64_t ret;
	int done, sleeps;
	zs_time_t end;
};

static void
l_run(struct zs_thread *th)
{
	struct l_call *c = th->priv;

	if (zs26_try_to_free_pages(c->vm, &c->req, c->zl, 1, &c->ret)) {
		c->sleeps++;
		return;
	}
	c->done = 1;
	c->end = zs_now(th->engine);
	zs_thread_exit(th);
}

static void
l_start(struct t26 *t, struct l_call *c, unsigned order, zs_time_t start)
{
	memset(c, 0, sizeof(*c));
	c->vm = t->vm;
	c->req.gfp = GFP26_KERNEL;
	c->req.order = order;
	c->req.node = -1;
	c->req.pfn = ZS_NIL;
	c->req.task = zs_vm_task_new(t->vm, "reclaimer", 0);
	c->req.thread = zs_thread_create(t->e, "reclaim", 0, l_run, c, start);
}

static const struct zs26_reclaim *
rc_of(struct t26 *t)
{
	return &zs26_of(t->vm)->rc;
}

/* n dirty page-cache pages on the inactive file list (contiguous: whole order-9 blocks). */
static void
l_dirty_file(struct t26 *t, unsigned n)
{
	r_pages(t, ZS_KIND_FILE_DIRTY, NULL, n, 1, NULL);
	cr_assert_eq(r_lv(t)->lru[ZS26_LRU_INACTIVE_FILE].count, n);
}

Test(zs26_lumpy, sync_pass_waits_for_the_write_and_frees_the_block)
{
	struct t26 t = l_boot(&zs_policy_2632);
	struct l_call a;

	l_dirty_file(&t, 512);
	l_start(&t, &a, 9, 0);
	/* lumpy took the tag's whole order-9 block; pass 1 wrote it (one 2 MiB request:
	 * ~200 ms at 10 MiB/s) and freed none */
	zs_engine_run(t.e, 10 * R_MS, NULL, NULL);
	cr_assert_not(a.done);
	cr_assert_eq(a.sleeps, 1);
	const struct zs26_rframe *rf = zs26_rframe_find(t.vm, &a.req);

	cr_assert_not_null(rf, "asleep inside shrink_inactive_list");
	cr_assert_eq(rf->where, ZS26_RF_NAP, "the HZ/10 congestion_wait before the sync pass");
	cr_assert_gt(rf->batch.count, 0);
	cr_assert_eq(r_lv(&t)->nr_isolated[1], rf->nr_iso[1], "the batch stays isolated");
	cr_assert_gt(r_lv(&t)->nr_isolated[1], 0);
	cr_assert_eq(rc_of(&t)->lumpy_sync_passes, 0);
	t26_check(&t);
	zs_time_t write_end = t.vm->disk.busy_until;

	cr_assert_eq(rf->batch.count, 512);
	cr_assert_eq(rc_of(&t)->nr_writeback, 512);
	cr_assert_gt(write_end, 150 * R_MS);
	/* after the nap: the sync pass waits on the first page's writeback */
	zs_engine_run(t.e, 150 * R_MS, NULL, NULL);
	cr_assert_not(a.done);
	rf = zs26_rframe_find(t.vm, &a.req);
	cr_assert_not_null(rf);
	cr_assert_eq(rf->where, ZS26_RF_SYNC);
	cr_assert_neq(rf->wait_pfn, ZS_NIL);
	cr_assert(t.m->pages[rf->wait_pfn].flags & ZS_PG_WRITEBACK);
	cr_assert_eq(rc_of(&t)->lumpy_sync_passes, 1);
	cr_assert_geq(rc_of(&t)->lumpy_writeback_waits, 1);
	t26_check(&t);
	/* it sleeps until the write completes, then frees the written pages */
	zs_engine_run(t.e, write_end - 1, NULL, NULL);
	cr_assert_not(a.done, "still waiting just before the write completes");
	zs_engine_run(t.e, write_end + 500 * R_MS, NULL, NULL);
	cr_assert(a.done);
	cr_assert_geq(a.end, write_end);
	cr_assert_gt(rc_of(&t)->lumpy_sync_reclaimed, 0, "pages freed in the second pass");
	cr_assert_geq(a.ret, rc_of(&t)->lumpy_sync_reclaimed);
	cr_assert_eq(r_lv(&t)->nr_isolated[0] + r_lv(&t)->nr_isolated[1], 0);
	cr_assert_null(rc_of(&t)->rframes, "no frame left");
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_lumpy, no_sync_pass_for_order_0_kswapd_or_2618)
{
	/* order 0, 2.6.32: the first pass writes, nobody waits inside */
	struct t26 t = l_boot(&zs_policy_2632);
	struct l_call a;

	l_dirty_file(&t, 512);
	l_start(&t, &a, 0, 0);
	zs_engine_run(t.e, 10 * R_MS, NULL, NULL);
	cr_assert_null(zs26_rframe_find(t.vm, &a.req));
	cr_assert_eq(rc_of(&t)->lumpy_sync_passes, 0);
	cr_assert_eq(rc_of(&t)->lumpy_writeback_waits, 0);
	t26_free(&t);

	/* kswapd's shrink_inactive_list at order 9: lumpy isolation, but no second pass */
	t = l_boot(&zs_policy_2632);
	l_dirty_file(&t, 512);
	struct zs26_sc sc = r_sc(&t);

	sc.kswapd = 1;
	sc.order = 9;
	zs26_shrink_inactive_list(t.vm, r_zone(&t), 32, &sc, ZS26_DEF_PRIORITY, 1);
	cr_assert_eq(rc_of(&t)->nr_writeback, 512, "lumpy took the whole block and wrote it");
	cr_assert_eq(rc_of(&t)->lumpy_sync_passes, 0);
	cr_assert_null(rc_of(&t)->rframes);
	cr_assert_eq(r_lv(&t)->nr_isolated[1], 0, "everything put back");
	t26_check(&t);
	t26_free(&t);

	/* 2.6.18: no lumpy reclaim at all */
	t = l_boot(&zs_policy_2618);
	r_pages(&t, ZS_KIND_FILE_DIRTY, NULL, 512, 1, NULL);
	l_start(&t, &a, 9, 0);
	zs_engine_run(t.e, 10 * R_MS, NULL, NULL);
	cr_assert_null(rc_of(&t)->rframes, "never asleep inside shrink_inactive_list");
	cr_assert_eq(rc_of(&t)->lumpy_sync_passes, 0);
	cr_assert_eq(rc_of(&t)->lumpy_writeback_waits, 0);
	t26_free(&t);
}

Test(zs26_lumpy, too_many_isolated_waits_for_the_sleeper)
{
	struct t26 t = l_boot(&zs_policy_2632);
	struct l_call a, b;

	l_dirty_file(&t, 512);
	/* a takes every page off the inactive list and sleeps in its lumpy pass */
	l_start(&t, &a, 9, 0);
	zs_engine_run(t.e, 10 * R_MS, NULL, NULL);
	cr_assert_not_null(zs26_rframe_find(t.vm, &a.req));
	/* fewer pages on the inactive list than a holds isolated */
	t26_add_cache(&t, r_zone(&t), 256, 100000);
	zs26_lru_add_drain(t.vm, 0);
	struct zs26_sc direct = r_sc(&t), kswapd = r_sc(&t);

	kswapd.kswapd = 1;
	cr_assert(zs26_too_many_isolated(r_zone(&t), 1, &direct), "512 isolated > 256 inactive");
	cr_assert_not(zs26_too_many_isolated(r_zone(&t), 1, &kswapd), "kswapd never waits");
	/* kswapd goes on: nothing to isolate, no nap, no frame of its own */
	zs26_shrink_inactive_list(t.vm, r_zone(&t), 32, &kswapd, ZS26_DEF_PRIORITY, 1);
	cr_assert_eq(rc_of(&t)->too_many_isolated_waits, 0);
	/* b, order 0, arrives while a holds the batch: it waits in HZ/10 naps */
	l_start(&t, &b, 0, 20 * R_MS);
	zs_engine_run(t.e, 300 * R_MS, NULL, NULL);
	cr_assert_not(b.done);
	const struct zs26_rframe *rb = zs26_rframe_find(t.vm, &b.req);

	cr_assert_not_null(rb);
	cr_assert_eq(rb->where, ZS26_RF_TMI);
	cr_assert_eq(rb->batch.count, 0, "the waiter holds nothing");
	cr_assert_geq(rc_of(&t)->too_many_isolated_waits, 2);
	t26_check(&t);
	/* a puts its survivors back after its write: b resumes and finishes */
	zs_engine_run(t.e, 3000 * R_MS, NULL, NULL);
	cr_assert(a.done);
	cr_assert(b.done);
	cr_assert_geq(b.end, a.end, "b went on only once a had put its batch back");
	cr_assert_null(rc_of(&t)->rframes);
	t26_check(&t);
	t26_free(&t);
}

/* A killed waiter gives up: fatal_signal_pending() returns SWAP_CLUSTER_MAX. */
Test(zs26_lumpy, too_many_isolated_killed_waiter_returns)
{
	/* 1 MiB/s: a's 2 MiB write keeps its batch isolated for 2 s */
	struct t26 t = l_boot_disk(&zs_policy_2632, 1);
	struct l_call a, b;

	l_dirty_file(&t, 512);
	l_start(&t, &a, 9, 0);
	zs_engine_run(t.e, 10 * R_MS, NULL, NULL);
	t26_add_cache(&t, r_zone(&t), 256, 100000);
	zs26_lru_add_drain(t.vm, 0);
	l_start(&t, &b, 0, 20 * R_MS);
	zs_engine_run(t.e, 150 * R_MS, NULL, NULL);
	cr_assert_gt(rc_of(&t)->too_many_isolated_waits, 0);
	cr_assert_not(b.done);
	b.req.task->killed = 1;
	/* each wake returns 32 from that shrink_inactive_list; shrink_zone goes on, as in
	 * the kernel, and do_try_to_free_pages stops once it has 32 */
	zs_engine_run(t.e, 600 * R_MS, NULL, NULL);
	cr_assert(b.done, "the killed waiter left reclaim");
	cr_assert_not(a.done, "while a still holds its batch");
	cr_assert_geq(b.ret, ZS26_SWAP_CLUSTER_MAX);
	zs_engine_run(t.e, 3000 * R_MS, NULL, NULL);
	t26_check(&t);
	t26_free(&t);
}

/* configs/26-fragmentation-churn.yaml on a 32 MiB box for 1 s, checked after every event. */
Test(zs26_lumpy, churn_scenario_runs_checked, .timeout = 600)
{
	static const char *const sets[] = {
		"machine.nodes.0.zones.1.size=16MiB", "machine.swap=16MiB", "workload.0.rate=200",
		"workload.1.rate=2250", "workload.2.io_rate=4000", "workload.3.start=0.2s",
		"duration=1s", "output.check=true", NULL};
	static const char *const kernels[] = {"2.6.32", "2.6.18"};

	for (int v = 0; v < 2; v++) {
		struct zs_error err = {0, ""};
		struct zs_cfg *root = zs_cfg_load_file("configs/26-fragmentation-churn.yaml", &err);
		struct zs_scenario sc;

		cr_assert(root, "%s", err.msg);
		for (int i = 0; sets[i]; i++)
			cr_assert_eq(zs_cfg_set(root, sets[i], &err), 0, "%s", err.msg);
		cr_assert_eq(zs_scenario_parse(&sc, root, "churn", kernels[v], &err), 0, "%s",
			     err.msg);
		cr_assert(sc.check);
		struct zs_run *r = zs_run_create(&sc, &err);

		cr_assert(r, "%s", err.msg);
		cr_assert_eq(zs_run_execute(r, NULL, NULL, NULL, 0, &err), 0, "%s: %s", kernels[v],
			     err.msg);
		const struct zs26_reclaim *rc = &zs26_of(zs_run_vm(r))->rc;

		if (v == 0) {
			cr_assert_gt(rc->lumpy_sync_passes, 0, "the scenario exercises the sync pass");
			cr_assert_gt(rc->lumpy_sync_reclaimed, 0);
		} else {
			cr_assert_eq(rc->lumpy_sync_passes, 0);
		}
		zs_run_destroy(r);
		zs_cfg_free(root);
	}
}
