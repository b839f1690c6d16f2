/* exit.c - an OOM victim's do_exit() over simulated time; see exit.h. */
#include "alloc/exit.h"

/* Unmap one block of ptes, or finish the exit when nothing is left. */
static void
zap_step(void *arg, uint64_t id)
{
	struct zs_vm *vm = arg;
	struct zs_task *t = vm->tasks[id];
	uint64_t work = 0;

	if (!t->alive)
		return;
	if (t->bind_first == ZS_NIL) {
		/* KERNEL: 2.6.18 kernel/exit.c do_exit(): exit_notify(), then PF_DEAD */
		zs_vm_exit_task(vm, t);
		return;
	}
	/* KERNEL: 2.6.18 mm/memory.c unmap_vmas(): ZAP_BLOCK_SIZE ptes, then cond_resched() */
	while (t->bind_first != ZS_NIL && work < ZS_EXIT_ZAP_BLOCK)
		work += zs_vm_exit_binding(vm, t, t->bind_first);
	zs_event_at(vm->engine, zs_now(vm->engine) + (zs_time_t)work * ZS_EXIT_ZAP_NS_PER_PTE,
		    zap_step, vm, id);
}

/* The victim runs: do_exit() up to mmput(). */
static void
do_exit(void *arg, uint64_t id)
{
	struct zs_vm *vm = arg;
	struct zs_task *t = vm->tasks[id];

	if (!t->alive)
		return;
	/* KERNEL: 2.6.18 kernel/exit.c do_exit(): PF_EXITING, then exit_mm() clears tsk->mm
	 * before mmput() frees the pages */
	t->flags |= ZS_PF_EXITING | ZS_TASK_MM_GONE;
	zap_step(vm, id);
}

void
zs_exit_sigkill(struct zs_vm *vm, struct zs_task *t)
{
	zs_time_t jiffy = ZS_NS_PER_SEC / vm->hz;

	if (!t->alive || t->killed)
		return;
	/* KERNEL: 2.6.18 mm/oom_kill.c __oom_kill_task(): TIF_MEMDIE, then SIGKILL */
	t->killed = 1;
	t->flags |= ZS_TIF_MEMDIE;
	vm->oom_kills++;
	zs_event_at(vm->engine, zs_now(vm->engine) + jiffy, do_exit, vm, t->id);
}
