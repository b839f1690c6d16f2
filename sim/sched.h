/*
 * sched.h - the era's CPU scheduler reduced to what the engine's run queues need:
 * the time slice a nice-0 thread gets before it is preempted when others wait.
 *
 * 2.4.0 (goodness() and a per-task counter), 2.6.18 (the O(1) scheduler's
 * task_timeslice) and 2.6.32 (CFS, sched_slice) all hand equal nice-0 threads
 * the CPU in turn; what differs is the slice, and how a woken sleeper takes
 * the CPU from a thread that has been running.  The engine runs each run queue
 * round-robin with that slice (see engine.h for what is not modelled).
 *
 * Invariant: zs_sched_slice_ns() is a positive whole number of ticks.
 */
#ifndef ZS_SCHED_H
#define ZS_SCHED_H

#include "alloc/gfp.h"
#include "sim/engine.h"

/* Fill p with kver's nice-0 scheduler on a machine of nr_cpus CPUs at hz. */
void zs_sched_params_for(enum zs_kver kver, int hz, int nr_cpus, struct zs_sched_params *p);

/* Slice of a thread taking the CPU while nr_running threads (it included) are runnable. */
zs_time_t zs_sched_slice_ns(const struct zs_sched_params *p, int nr_running);

/*
 * Does a thread woken with woken_slice_left of its slice take the CPU from the
 * running one (curr_slice_left of its slice left, curr_ran_ns run since it got
 * the CPU)?  1: need_resched.
 */
int zs_sched_wakeup_preempts(const struct zs_sched_params *p, zs_time_t woken_slice_left,
			     zs_time_t curr_slice_left, zs_time_t curr_ran_ns);

#endif
