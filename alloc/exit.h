/*
 * exit.h - a task killed by the 2.6 OOM killer dies over simulated time, the
 * way kernel/exit.c do_exit() runs for it (2.6.18 and 2.6.32 alike).
 *
 * The kill sets TIF_MEMDIE (and `killed`, so the task issues nothing more).
 * One jiffy later the victim runs do_exit(): PF_EXITING, then exit_mm()
 * detaches the mm (ZS_TASK_MM_GONE) before mmput() unmaps it, so its pages
 * return in blocks of ZAP_BLOCK_SIZE ptes, each block taking simulated time.
 * When the last binding is gone the task is dead (PF_DEAD: alive = 0).
 *
 * DEVIATION: the victim is scheduled exactly one jiffy after SIGKILL (the
 * kernel gives it a full time slice, but when it runs depends on what it was
 * doing), and each pte costs ZS_EXIT_ZAP_NS_PER_PTE of time no CPU is charged for.
 *
 * Invariant: while a task exits, rss and swapped still count the pages it has
 * not yet unmapped; once dead it owns no binding.
 */
#ifndef ZS_EXIT_H
#define ZS_EXIT_H

#include "alloc/vm.h"

/* KERNEL: 2.6.18 mm/memory.c ZAP_BLOCK_SIZE without CONFIG_PREEMPT: ptes per resched point */
#define ZS_EXIT_ZAP_BLOCK 1024
/* simulated time per pte unmapped and page freed (a stand-in) */
#define ZS_EXIT_ZAP_NS_PER_PTE 500

/* SIGKILL from the OOM killer: TIF_MEMDIE now (counted in oom_kills), do_exit one jiffy later. */
void zs_exit_sigkill(struct zs_vm *vm, struct zs_task *t);

#endif
