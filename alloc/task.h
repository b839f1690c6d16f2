/*
 * task.h - simulated processes: identity, the numbers badness() reads, and
 * the pages they own.
 *
 * A task owns the pagemap bindings its requests created (a doubly linked list
 * through the bindings), so exit and the OOM killer can free them: its anonymous
 * and kernel pages are freed, its page-cache pages stay cached without an owner.
 * The driver thread that issues a task's requests points at it as `current`.
 *
 * Invariant: rss == number of the task's anonymous bindings that are resident;
 * total_vm == pages of its anonymous bindings (resident or swapped).
 */
#ifndef ZS_TASK_H
#define ZS_TASK_H

#include <stdint.h>

#include "sim/engine.h"

/* Task flags, with the kernel's values where they have one. */
enum {
	ZS_PF_MEMALLOC = 0x00000800, /* include/linux/sched.h PF_MEMALLOC */
	ZS_PF_KTHREAD = 0x00200000,  /* a kernel daemon, never an OOM victim */
	ZS_TIF_MEMDIE = 0x01000000,  /* chosen by the OOM killer, exiting */
	ZS_PF_EXITING = 0x00000004,
	ZS_TASK_RT = 0x10000000      /* real-time scheduling class (ALLOC_HARDER in 2.6) */
};

struct zs_task {
	/* others may read */
	uint32_t id;          /* index in vm->tasks */
	uint32_t pid;
	char comm[16];
	uint32_t flags;       /* ZS_PF_*, ZS_TIF_* */
	int nice;
	uint32_t uid;
	int cap_sys_admin, cap_sys_rawio;
	zs_time_t start_ns;
	zs_time_t cpu_ns;     /* utime + stime */
	uint64_t total_vm;    /* pages of anonymous address space (badness() reads it) */
	uint64_t rss;         /* resident anonymous pages */
	uint64_t swapped;     /* anonymous pages out on swap */
	int alive;
	int killed;           /* by the OOM killer */
	int exit_notified;
	int started;          /* a TASK_START was seen for it */    /* the driver told the task's source it is gone */
	void *model;          /* kernel model's per-task state */

	/* owned by task.c / pagemap.c */
	uint32_t bind_first, bind_last; /* binding list */
	int source;           /* the source that issues its requests, -1 for kernel threads */
	uint32_t source_key;  /* the source's number for it */
};

#endif
