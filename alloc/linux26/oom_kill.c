/*
 * oom_kill.c - ENTRY POINT of the 2.6 OOM killer (mm/oom_kill.c of 2.6.18 and 2.6.32), with a stand-in victim
 * choice, and the 2.6.32 zonelist OOM lock (try_set_zone_oom).
 *
 * DEVIATION: stand-in out_of_memory().  The victim is the live, not yet
 * killed, non-kernel-thread task with the largest rss (ties: larger
 * total_vm, then the lower id), not badness() with its total_vm, CPU time,
 * run time, nice and capability terms; no children are preferred, no
 * notifiers, no panic_on_oom, no cpuset or mempolicy constraint.  As in
 * select_bad_process, a task still flagged TIF_MEMDIE aborts the kill.
 *
 * Invariant: a zone is OOM-locked only between try_set_zonelist_oom and the
 * matching clear by the same allocation.
 */
#include "alloc/linux26/model.h"

int
zs26_out_of_memory(struct zs_vm *vm, struct zs_alloc_req *req)
{
	struct zs_task *victim = NULL;

	(void)req;
	zs26_of(vm)->oom_calls++;
	/* KERNEL: 2.6.32 mm/oom_kill.c select_bad_process() (stand-in score: rss) */
	for (uint32_t i = 0; i < vm->nr_tasks; i++) {
		struct zs_task *t = vm->tasks[i];

		if (!t || !t->alive || t->killed)
			continue;
		if (t->flags & ZS_PF_KTHREAD)
			continue;
		if (t->flags & ZS_TIF_MEMDIE)
			return 0; /* someone is already dying: wait for it */
		if (!victim || t->rss > victim->rss ||
		    (t->rss == victim->rss && t->total_vm > victim->total_vm))
			victim = t;
	}
	if (!victim)
		return -1;
	/* KERNEL: 2.6.32 mm/oom_kill.c oom_kill_process(); zsim frees its memory at once */
	zs_vm_kill_task(vm, victim, "oom_kill");
	return 1;
}

int
zs26_try_set_zonelist_oom(struct zs_vm *vm, const int *zl, int nzl)
{
	/* KERNEL: 2.6.32 mm/oom_kill.c try_set_zone_oom() */
	for (int i = 0; i < nzl; i++)
		if (zs26_zone(&vm->machine->zones[zl[i]])->oom_locked)
			return 0;
	for (int i = 0; i < nzl; i++)
		zs26_zone(&vm->machine->zones[zl[i]])->oom_locked = 1;
	zs26_of(vm)->oom_lock_holders++;
	return 1;
}

void
zs26_clear_zonelist_oom(struct zs_vm *vm, const int *zl, int nzl)
{
	/* KERNEL: 2.6.32 mm/oom_kill.c clear_zonelist_oom() */
	for (int i = 0; i < nzl; i++)
		zs26_zone(&vm->machine->zones[zl[i]])->oom_locked = 0;
	zs26_of(vm)->oom_lock_holders--;
}
