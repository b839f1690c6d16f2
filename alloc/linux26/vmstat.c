/*
 * vmstat.c - 2.6.32's per-cpu vmstat work (mm/vmstat.c vmstat_update(),
 * every sysctl_stat_interval = HZ, rounded to whole seconds) and the part of
 * refresh_cpu_vm_stats() that drains remote pagesets: a CPU's pageset of a
 * zone on another node is drained by one batch (drain_zone_pages()) once
 * its `expire` countdown, set to 3 whenever the CPU left a counter
 * differential on the zone, runs out with pages still on the list.  The
 * CPU's own node is never drained; its expire is cleared instead.
 *
 * Which differentials reset expire: an allocation served from the zone
 * (zone_statistics() leaves NUMA_* differentials, which __inc_zone_state
 * never folds to 0) and the NR_FREE_PAGES differential of the CPU's pcp
 * refills, spills and drains (__mod_zone_page_state, folded to 0 past
 * stat_threshold - so whether a drain re-arms the countdown for the next
 * batch depends on batch against stat_threshold, as in the kernel).
 *
 * DEVIATION: the other per-cpu differentials (LRU, mapped, dirty counts, the
 * NR_FREE_PAGES of order > 0 frees) are not kept, so only the allocator's
 * traffic re-arms expire; the work costs no CPU time; the run starts at
 * jiffies 0, so whole seconds are seconds of the run (the kernel's jiffies
 * start at INITIAL_JIFFIES).
 *
 * Invariant: pageset->expire <= 3.
 */
#include "alloc/linux26/model.h"

/* KERNEL: 2.6.32 mm/vmstat.c refresh_cpu_vm_stats(): "3 seconds idle till flush" */
#define VMSTAT_EXPIRE 3

/* fls(): 1-based index of the highest set bit, 0 for 0. */
static int
fls_u64(uint64_t x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

int
zs26_calculate_threshold(const struct zs_zone *z, int nr_cpus)
{
	/* KERNEL: 2.6.32 mm/vmstat.c calculate_threshold(): mem in 128 MB units */
	uint64_t mem = z->present >> (27 - 12);
	int threshold = 2 * fls_u64((uint64_t)nr_cpus) * (1 + fls_u64(mem));

	return threshold < 125 ? threshold : 125;
}

void
zs26_refresh_cpu_vm_stats(struct zs_vm *vm, unsigned cpu)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;

	/* KERNEL: 2.6.32 mm/vmstat.c refresh_cpu_vm_stats(): for_each_populated_zone */
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		struct zs26_pageset *p = &zs26_zone(z)->pageset[cpu];
		uint32_t n;

		if (!z->present)
			continue;
		/* folding a non-zero differential into the zone restarts the countdown */
		if (p->free_diff || p->stat_touched)
			p->expire = VMSTAT_EXPIRE;
		p->free_diff = 0;
		p->stat_touched = 0;
		if (!p->expire || !p->pcp[0].count)
			continue;
		/* "We never drain zones local to this processor." */
		if (z->node == m->cpu_node[cpu]) {
			p->expire = 0;
			continue;
		}
		if (--p->expire)
			continue;
		n = zs26_drain_zone_pages(vm, z, cpu);
		if (n) {
			k->pcp_remote_drains++;
			k->pcp_remote_drained += n;
		}
	}
}

/* KERNEL: 2.6.32 kernel/timer.c round_jiffies_common(): to a whole second, skewed by
 * 3 jiffies per CPU; never rounded to now or earlier */
static int64_t
round_jiffies(int64_t j, int64_t now, unsigned cpu, int hz)
{
	int64_t original = j, rem;

	j += 3 * (int64_t)cpu;
	rem = j % hz;
	if (rem < hz / 4)
		j -= rem;
	else
		j += hz - rem;
	j -= 3 * (int64_t)cpu;
	return j <= now ? original : j;
}

/* Queue cpu's next vmstat_update sysctl_stat_interval (HZ) jiffies from now, rounded. */
static void vmstat_update(void *arg, uint64_t cpu);

static void
schedule_vmstat_work(struct zs_vm *vm, unsigned cpu)
{
	int hz = vm->hz > 0 ? vm->hz : 250;
	int64_t now = zs_now(vm->engine) * hz / ZS_NS_PER_SEC;
	int64_t at = round_jiffies(now + hz, now, cpu, hz);

	zs_event_at(vm->engine, (zs_time_t)(at * ZS_NS_PER_SEC / hz), vmstat_update, vm, cpu);
}

static void
vmstat_update(void *arg, uint64_t cpu)
{
	struct zs_vm *vm = arg;

	/* KERNEL: 2.6.32 mm/vmstat.c vmstat_update() */
	zs26_refresh_cpu_vm_stats(vm, (unsigned)cpu);
	schedule_vmstat_work(vm, (unsigned)cpu);
}

void
zs26_vmstat_start(struct zs_vm *vm)
{
	/* KERNEL: 2.6.32 mm/vmstat.c setup_vmstat() -> start_cpu_timer() on every CPU */
	for (int cpu = 0; cpu < zs26_of(vm)->nr_cpus; cpu++)
		schedule_vmstat_work(vm, (unsigned)cpu);
}
