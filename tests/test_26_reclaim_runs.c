/*
 * test_26_reclaim_runs.c - whole runs, with the invariant checker after every
 * event, of scaled-down versions of the 2.6 reclaim scenarios in configs/
 * (26-use-once, 26-swappiness, 26-kswapd-unreclaimable, 26-mlock,
 * 26-dirty-throttle), asserting
 * the outcome each one is there to show; and the mlock comparison driven from
 * the model side.  Tests run from the top directory.
 */
#include <stdio.h>

#include "sim/driver.h"
#include "tests/test_26_reclaim_util.h"

struct outcome {
	uint64_t pswpout, pgmajfault, oom_kills, pgpgout, nr_dirty;
	zs_time_t kswapd_cpu_ns;
	/* model metrics, summed over zones where per zone: 2.6 pgscan_* + pgrefill, and
	 * 2.4's swap_out_unmapped */
	int64_t scanned, unmapped;
	int64_t throttle_ns, throttle_waits, nr_writeback; /* balance_dirty_pages' writer side */
};

/* The value of model metric `name` (summed over the zones for a per-zone one), 0 if none. */
static int64_t
model_metric(struct zs_vm *vm, const char *name)
{
	const struct zs_policy_ops *ops = vm->ops;
	int64_t out[512], sum = 0;

	cr_assert_leq(ops->nr_metrics, 512);
	for (int i = 0; i < ops->nr_metrics; i++) {
		if (strcmp(ops->metrics[i].name, name))
			continue;
		if (!ops->metrics[i].per_zone) {
			ops->sample(vm, NULL, out);
			return out[i];
		}
		for (int z = 0; z < vm->machine->nr_zones; z++) {
			ops->sample(vm, &vm->machine->zones[z], out);
			sum += out[i];
		}
		return sum;
	}
	return 0;
}

/*
 * Run configs/<name>.yaml on kernel v with the --set style overrides in sets
 * (NULL-terminated); check = the invariant checker after every event.
 */
static struct outcome
run(const char *name, const char *v, const char *const *sets, int check)
{
	struct zs_error err = {0, ""};
	char path[128];
	struct outcome o = {0};

	snprintf(path, sizeof(path), "configs/%s.yaml", name);
	struct zs_cfg *root = zs_cfg_load_file(path, &err);
	struct zs_scenario sc;

	cr_assert(root, "%s", err.msg);
	for (int i = 0; sets && sets[i]; i++)
		cr_assert_eq(zs_cfg_set(root, sets[i], &err), 0, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(&sc, root, path, v, &err), 0, "%s", err.msg);
	sc.check = check;
	struct zs_run *r = zs_run_create(&sc, &err);

	cr_assert(r, "%s", err.msg);
	cr_assert_eq(zs_run_execute(r, NULL, NULL, NULL, 0, &err), 0, "%s %s: %s", name, v,
		     err.msg);
	struct zs_vm *vm = zs_run_vm(r);

	o.pswpout = vm->pswpout;
	o.pgmajfault = vm->pgmajfault;
	o.oom_kills = vm->oom_kills;
	o.pgpgout = vm->pgpgout;
	if (vm->kver != ZS_KV_24)
		o.nr_dirty = zs26_of(vm)->rc.nr_file_dirty;
	o.scanned = model_metric(vm, "pgscan_direct") + model_metric(vm, "pgscan_kswapd") +
		    model_metric(vm, "pgrefill");
	o.unmapped = model_metric(vm, "swap_out_unmapped");
	o.throttle_ns = model_metric(vm, "dirty_throttle_ns");
	o.throttle_waits = model_metric(vm, "dirty_throttle_waits");
	o.nr_writeback = model_metric(vm, "nr_writeback");
	for (int i = 0; i < zs_engine_nr_threads(vm->engine); i++) {
		struct zs_thread *t = zs_engine_thread(vm->engine, i);

		if (!strncmp(t->name, "kswapd", 6))
			o.kswapd_cpu_ns += t->cpu_ns;
	}
	zs_run_destroy(r);
	zs_cfg_free(root);
	return o;
}

static const char *const kernels[] = {"2.4", "2.6.18", "2.6.32"};
static const char *const short_run[] = {"duration=600ms", NULL};

/* The first 0.6 s of each scenario on every kernel, checked after every event. */
Test(zs26_runs, invariants_hold_in_the_reclaim_scenarios)
{
	static const char *const names[] = {"26-use-once", "26-swappiness",
					    "26-kswapd-unreclaimable", "26-writeback", "26-mlock",
					    "26-dirty-throttle"};

	for (int n = 0; n < 6; n++)
		for (int v = 0; v < 3; v++)
			run(names[n], kernels[v], short_run, 1);
}

Test(zs26_runs, use_once_keeps_the_working_set)
{
	struct outcome k32 = run("26-use-once", "2.6.32", NULL, 0);
	struct outcome k18 = run("26-use-once", "2.6.18", NULL, 0);
	struct outcome k24 = run("26-use-once", "2.4", NULL, 0);

	cr_assert_eq(k32.pswpout, 0, "2.6.32 swapped %llu pages", (unsigned long long)k32.pswpout);
	cr_assert_eq(k32.pgmajfault, 0, "nothing of the working set was read back");
	cr_assert_eq(k18.pswpout, 0, "2.6.18: swap_tendency stays below 100");
	cr_assert_eq(k18.pgmajfault, 0);
	/* 2.4.0 keeps it too: drop_behind deactivates the stream behind its read-ahead
	 * window, so the stream goes to inactive_dirty at once instead of aging out the
	 * working set (audit-24 row 2) */
	cr_assert_eq(k24.pswpout, 0, "2.4.0 swapped %llu pages", (unsigned long long)k24.pswpout);
	cr_assert_eq(k24.pgmajfault, 0);
}

Test(zs26_runs, swappiness_moves_swap_out)
{
	static const char *const s0[] = {"kernel.swappiness=0", NULL};
	static const char *const s60[] = {"kernel.swappiness=60", NULL};
	static const char *const s100[] = {"kernel.swappiness=100", NULL};
	struct outcome a0 = run("26-swappiness", "2.6.32", s0, 0);
	struct outcome a60 = run("26-swappiness", "2.6.32", s60, 0);
	struct outcome a100 = run("26-swappiness", "2.6.32", s100, 0);
	struct outcome b60 = run("26-swappiness", "2.6.18", s60, 0);
	struct outcome b100 = run("26-swappiness", "2.6.18", s100, 0);

	cr_assert_eq(a0.pswpout, 0, "2.6.32, swappiness 0: anon_prio 1 against file_prio 201");
	cr_assert_gt(a60.pswpout, 0);
	cr_assert_gt(a100.pswpout, 5 * a60.pswpout, "%llu vs %llu",
		     (unsigned long long)a100.pswpout, (unsigned long long)a60.pswpout);
	cr_assert_eq(b60.pswpout, 0, "2.6.18, swappiness 60: 37 + 60 < 100 without distress");
	cr_assert_gt(b100.pswpout, 0, "2.6.18, swappiness 100: reclaim_mapped always");
}

Test(zs26_runs, all_unreclaimable_bounds_kswapd)
{
	for (int v = 1; v < 3; v++) {
		struct outcome o = run("26-kswapd-unreclaimable", kernels[v], NULL, 0);

		cr_assert_eq(o.oom_kills, 0);
		/* under 0.5 % of the 20 s */
		cr_assert_lt(o.kswapd_cpu_ns, 100 * R_MS, "%s: %lld ns", kernels[v],
			     (long long)o.kswapd_cpu_ns);
	}
	struct outcome o = run("26-kswapd-unreclaimable", "2.4", NULL, 0);

	cr_assert_gt(o.kswapd_cpu_ns, 15000 * R_MS, "2.4.0 spins: %lld ns of 20 s",
		     (long long)o.kswapd_cpu_ns);
}

Test(zs26_runs, background_writeback_holds_the_background_threshold)
{
	for (int v = 1; v < 3; v++) {
		struct outcome o = run("26-writeback", kernels[v], NULL, 0);

		/* 40 s at 16 MiB/s: ~153,000 pages dirtied (the writer's next write follows the
		 * completion of the last, CPU time included), nearly all written */
		cr_assert_gt(o.pgpgout, 145000, "%s: %llu", kernels[v], (unsigned long long)o.pgpgout);
		/* nr_dirty ends near the 3,276-page background line, far below dirty */
		cr_assert_lt(o.nr_dirty, 2 * 3276, "%s: %llu", kernels[v],
			     (unsigned long long)o.nr_dirty);
		cr_assert_eq(o.pgmajfault, 0);
	}
}

Test(zs26_runs, mlocked_pages_rescanned_2618_culled_2632)
{
	/* 3000 mlocked anonymous pages on a 64 MiB zone below its low mark, swap free, nothing
	 * else to reclaim: 2.6.18 keeps scanning the mlocked pages (taking a slot, failing
	 * to unmap, reactivating) until the zone is all_unreclaimable; 2.6.32 moved them to
	 * the unevictable list at mlock time and has nothing to scan */
	uint64_t scanned[2];

	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 8192, "swappiness: 100");
		struct zs_task *tk = zs_vm_task_new(t.vm, "locker", 0);
		uint32_t p[3000];

		zs_engine_run(t.e, 1, NULL, NULL); /* kswapd asleep on its queue */
		r_pages(&t, ZS_KIND_ANON, tk, 3000, 1, p);
		for (int i = 0; i < 3000; i++)
			zs26_mlock_page(t.vm, p[i]);
		t26_drain_to(&t, r_zone(&t), r_zone(&t)->pages_min + 1);
		zs26_wakeup_kswapd(t.vm, r_zone(&t), 0);
		zs_engine_run(t.e, 3000 * R_MS, NULL, NULL);
		scanned[v] = r_lv(&t)->pgrefill + r_lv(&t)->pgscan_kswapd;
		if (v) {
			cr_assert_eq(r_lv(&t)->lru[ZS26_LRU_UNEVICTABLE].count, 3000);
			cr_assert_eq(r_lv(&t)->nr_mlock, 3000);
		} else {
			cr_assert_gt(r_lv(&t)->pgrefill, 3000, "2.6.18 rescans the mlocked pages");
		}
		t26_check(&t);
		t26_free(&t);
	}
	cr_log_info("mlocked: 2.6.18 scanned %llu pages, 2.6.32 %llu", (unsigned long long)scanned[0],
		    (unsigned long long)scanned[1]);
	cr_assert_gt(scanned[0], 10 * scanned[1], "2.6.18 %llu vs 2.6.32 %llu pages scanned",
		     (unsigned long long)scanned[0], (unsigned long long)scanned[1]);
}

Test(zs26_runs, mlock_scenario_per_kernel)
{
	static const char *const unlocked[] = {"workload.0.mlock=false", NULL};
	struct outcome l[3], u[3];

	for (int v = 0; v < 3; v++) {
		l[v] = run("26-mlock", kernels[v], NULL, 0);
		u[v] = run("26-mlock", kernels[v], unlocked, 0);
		/* locked: nothing of the task leaves memory, on any kernel */
		cr_assert_eq(l[v].pswpout, 0, "%s", kernels[v]);
		cr_assert_eq(l[v].pgmajfault, 0, "%s", kernels[v]);
	}
	/* 2.4.0: swap_out skips the VM_LOCKED vmas; unlocked it unmaps the task's pages */
	cr_assert_eq(l[0].unmapped, 0);
	cr_assert_gt(u[0].unmapped, 0);
	/* 2.6.18: unlocked the task is swapped out; locked its pages stay on the LRU and are
	 * scanned over and over, where 2.6.32 keeps them off every list */
	cr_assert_gt(u[1].pswpout, 0);
	cr_assert_gt(l[1].scanned, 2 * l[2].scanned, "2.6.18 locked %lld, 2.6.32 locked %lld",
		     (long long)l[1].scanned, (long long)l[2].scanned);
	/* 2.6.32: the pages sit on the unevictable list, out of every scan: fewer pages scanned
	 * than unlocked, and far fewer than on 2.6.18 */
	cr_assert_lt(l[2].scanned, u[2].scanned);
	cr_assert_lt(l[2].kswapd_cpu_ns, l[1].kswapd_cpu_ns);
	cr_log_info("26-mlock scanned: 2.6.18 %lld (unlocked %lld), 2.6.32 %lld (unlocked %lld)",
		    (long long)l[1].scanned, (long long)u[1].scanned, (long long)l[2].scanned,
		    (long long)u[2].scanned);
}

Test(zs26_runs, dirty_throttle_plateaus_at_each_versions_threshold)
{
	/* dirty thresholds of the box at boot (zsim check): 2.6.18 13,107 pages (40 %),
	 * 2.6.32 6,553 (20 %, of free + reclaimable: it moves a little) */
	static const uint64_t limit[] = {13107, 6553};

	for (int v = 1; v < 3; v++) {
		struct outcome o = run("26-dirty-throttle", kernels[v], NULL, 0);
		uint64_t held = o.nr_dirty + (uint64_t)o.nr_writeback;

		cr_log_info("%s: dirty + writeback %llu, writer asleep %.2f s in %lld waits",
			    kernels[v], (unsigned long long)held, o.throttle_ns / 1e9,
			    (long long)o.throttle_waits);
		/* the writer, 4x faster than the disk, spends most of the 30 s throttled */
		cr_assert_gt(o.throttle_ns, 20 * ZS_NS_PER_SEC, "%s", kernels[v]);
		/* held at the line: at most one chunk (1,536 pages) above it, and not far under */
		cr_assert_leq(held, limit[v - 1] + 1536, "%s: %llu", kernels[v],
			      (unsigned long long)held);
		cr_assert_geq(held, limit[v - 1] / 2, "%s: %llu", kernels[v],
			      (unsigned long long)held);
	}
}
