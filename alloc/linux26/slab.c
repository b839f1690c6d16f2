/*
 * slab.c - the one part of 2.6.18's slab reaper (mm/slab.c cache_reap()) that
 * touches the page allocator: on a NUMA machine each CPU's reap work, every
 * REAPTIMEOUT_CPUC (2 s), visits the next node round-robin (next_reap_node())
 * and, when it is not the CPU's own node, empties this CPU's per-cpu lists of
 * that node's zones (drain_node_pages()).  2.6.32 keeps next_reap_node() for
 * the alien caches only; its remote pcps are drained by vmstat.c.
 *
 * DEVIATION: zsim has no slab caches, so cache_reap() is only this step: the
 * cache_chain walk, reap_alien/drain_array/drain_freelist and the
 * mutex_trylock give-up are not modelled, and the work costs no CPU time
 * (keventd is not a simulated thread).
 *
 * Invariant: k->reap_node[cpu] is always a node of the machine.
 */
#include <stdlib.h>
#include <sysexits.h>

#include "alloc/linux26/model.h"
#include "sim/diag.h"

/* KERNEL: 2.6.18 mm/slab.c REAPTIMEOUT_CPUC = 2*HZ */
#define REAPTIMEOUT_CPUC_SEC 2

/* next_node() wrapping to first_node() over the machine's (all online) nodes. */
static int
next_node_wrap(const struct zs_machine *m, int node)
{
	return node + 1 < m->nr_nodes ? node + 1 : 0;
}

void
zs26_cache_reap(struct zs_vm *vm, unsigned cpu)
{
	struct zs26 *k = zs26_of(vm);
	const struct zs_machine *m = vm->machine;
	int node = k->reap_node[cpu];

	/* KERNEL: 2.6.18 mm/slab.c next_reap_node(): "also drain per cpu pages on
	 * remote zones" - one node per call, the CPU's own node skipped */
	if (node != m->cpu_node[cpu]) {
		uint32_t n = zs26_drain_node_pages(vm, node, cpu);

		if (n) {
			k->pcp_remote_drains++;
			k->pcp_remote_drained += n;
		}
	}
	k->reap_node[cpu] = next_node_wrap(m, node);
}

static void
cache_reap_timer(void *arg, uint64_t cpu)
{
	struct zs_vm *vm = arg;

	zs26_cache_reap(vm, (unsigned)cpu);
	/* KERNEL: 2.6.18 cache_reap(): schedule_delayed_work(REAPTIMEOUT_CPUC) */
	zs_event_at(vm->engine, zs_now(vm->engine) + REAPTIMEOUT_CPUC_SEC * ZS_NS_PER_SEC,
		    cache_reap_timer, vm, cpu);
}

int
zs26_cache_reap_start(struct zs_vm *vm, struct zs_error *err)
{
	struct zs26 *k = zs26_of(vm);
	const struct zs_machine *m = vm->machine;
	int hz = vm->hz > 0 ? vm->hz : 250;

	k->reap_node = calloc((size_t)k->nr_cpus, sizeof(int));
	if (!k->reap_node)
		return zs_error_set(err, EX_OSERR, "out of memory");
	for (int cpu = 0; cpu < k->nr_cpus; cpu++) {
		/* KERNEL: 2.6.18 mm/slab.c init_reap_node(): the node after the CPU's */
		k->reap_node[cpu] = next_node_wrap(m, m->cpu_node[cpu]);
		/* KERNEL: 2.6.18 start_cpu_timer(): first run HZ + 3 * cpu jiffies after boot,
		 * so the CPUs do not reap in lockstep */
		if (vm->engine)
			zs_event_at(vm->engine,
				    (zs_time_t)(hz + 3 * cpu) * ZS_NS_PER_SEC / hz,
				    cache_reap_timer, vm, (uint64_t)cpu);
	}
	return 0;
}
