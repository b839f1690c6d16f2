/*
 * oom_kill.h - the parts of the 2.6 OOM killer (alloc/linux26/oom_kill.c)
 * tests reach directly: badness() and select_bad_process() of 2.6.18 and
 * 2.6.32.  zs26_out_of_memory, the entry point, is declared in model.h.
 *
 * Invariant: select_bad_process() picks the highest badness, the first task
 * (lowest id) on a tie, and runner_up is the best of the rest.
 */
#ifndef ZS_LINUX26_OOM_KILL_H
#define ZS_LINUX26_OOM_KILL_H

#include <stdint.h>

#include "alloc/vm.h"

/* What select_bad_process() found. */
struct zs26_oom_choice {
	struct zs_task *chosen;    /* NULL: nothing killable */
	uint64_t points;
	struct zs_task *runner_up; /* the best candidate after chosen, or NULL */
	uint64_t runner_points;
	int abort;                 /* a task is still releasing memory: kill nothing */
	struct zs_task *releasing; /* that task */
};

/* badness(p, uptime) of vm's version at time now; 0 for a task without an mm. */
uint64_t zs26_badness(struct zs_vm *vm, const struct zs_task *p, zs_time_t now);

/* select_bad_process() of vm's version, `current` the allocating task (may be NULL).
 * 0 with c filled in, -1 when it aborts (c->abort set). */
int zs26_select_bad_process(struct zs_vm *vm, const struct zs_task *current,
			    struct zs26_oom_choice *c);

#endif
