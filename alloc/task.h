/*
 * task.h - simulated processes: identity, the numbers badness() reads, and
 * the pages they own.
 *
 * A task owns the pagemap bindings its requests created (a doubly linked list
 * through the bindings), so exit and the OOM killer can free them: its anonymous
 * and kernel pages are freed, its page-cache pages stay cached without an owner.
 * The driver thread that issues a task's requests points at it as `current`.
 * Tasks form the kernel's fork tree: parent, and children in fork order
 * (list_add_tail onto p->children in copy_process); a task that exits leaves
 * its parent's list and its own children are orphaned (reparented to init).
 *
 * total_vm (mm->total_vm, what 2.6 badness() starts from) is defined as the
 * pages of the task's anonymous bindings, resident or swapped, plus the file
 * pages it faulted in through a mapping (`access: mmap`: counted from the first
 * fault until the file's deletion, evicted or not, as the vma is), plus the
 * extra_vm the workload declares (address space reserved but never touched).
 *
 * Invariant: rss == number of the task's anonymous bindings that are resident
 * (2.4.0's swap_out adds the mapped page-cache pages its model counts per mm);
 * total_vm == extra_vm + pages of its anonymous bindings (resident or swapped)
 * + its mapped file pages while it lives (an exiting task's stay counted until it is
 * dead), 0 once dead.
 */
#ifndef ZS_TASK_H
#define ZS_TASK_H

#include <stdint.h>

#include "alloc/page.h"
#include "sim/engine.h"

/* Task flags, with the kernel's values where they have one. */
enum {
	ZS_PF_MEMALLOC = 0x00000800, /* include/linux/sched.h PF_MEMALLOC */
	ZS_PF_KTHREAD = 0x00200000,  /* a kernel daemon, never an OOM victim */
	ZS_TIF_MEMDIE = 0x01000000,  /* chosen by the OOM killer, exiting */
	ZS_PF_EXITING = 0x00000004,
	ZS_TASK_RT = 0x10000000,     /* real-time scheduling class (ALLOC_HARDER in 2.6) */
	ZS_TASK_MM_GONE = 0x20000000, /* exiting, past exit_mm(): tsk->mm is NULL (alloc/exit.c) */
	/* mlockall(MCL_CURRENT | MCL_FUTURE): every anonymous vma is VM_LOCKED */
	ZS_TASK_MLOCKALL = 0x40000000
};

/* Capabilities badness() tests, as a task's effective set. */
enum {
	ZS_CAP_SYS_RAWIO = 1u << 0,
	ZS_CAP_SYS_ADMIN = 1u << 1,
	ZS_CAP_SYS_RESOURCE = 1u << 2
};

/*
 * Memory policy modes with the kernel's numbers (include/linux/mempolicy.h of
 * 2.6.18 and 2.6.32).  `local` in a scenario is MPOL_PREFERRED with an empty
 * nodemask, as set_mempolicy(2) spells it in both versions.
 */
enum zs_mpol_mode {
	ZS_MPOL_DEFAULT = 0,
	ZS_MPOL_PREFERRED = 1,
	ZS_MPOL_BIND = 2,
	ZS_MPOL_INTERLEAVE = 3
};

/*
 * What a workload declares about a task when it starts (carried by TASK_START,
 * read from the YAML keys by workloads/gen_task.c).  Zero means "not said".
 */
struct zs_task_attrs {
	int64_t cpu_ns;         /* utime + stime already used when it starts here */
	int64_t age_ns;         /* how long it ran before: start_time = now - age */
	uint64_t extra_vm;      /* pages of address space never touched, counted in total_vm */
	uint32_t uid;           /* when has_uid; otherwise the request's `root` decides */
	uint32_t parent_task;   /* 1 + the source's number for the parent; 0: none */
	uint32_t parent_source; /* 1 + the workload index whose oldest live task forked it */
	int8_t oom_adj;         /* -17 (OOM_DISABLE) .. 15 */
	uint8_t caps;           /* ZS_CAP_* */
	uint8_t has_uid;
	uint8_t mlock;          /* mlockall(MCL_CURRENT | MCL_FUTURE) at start */
	uint8_t mpol_mode;      /* enum zs_mpol_mode (2.6 only; 2.4 refuses the key) */
	uint64_t mpol_nodes;    /* the policy's nodemask, bit n = node n (validated at load) */
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
	int cap_sys_resource;
	int oom_adj;          /* /proc/<pid>/oom_adj, -17 (OOM_DISABLE) .. 15 */
	zs_time_t start_ns;   /* before 0 for a task that ran before the simulation */
	zs_time_t cpu_ns;     /* utime + stime */
	uint64_t total_vm;    /* see the definition above */
	uint64_t extra_vm;    /* declared, included in total_vm */
	uint32_t parent;      /* task id, ZS_NIL: none (init) */
	uint32_t first_child, last_child, next_sibling; /* task ids, ZS_NIL ends */
	uint64_t rss;         /* resident anonymous pages */
	uint64_t swapped;     /* anonymous pages out on swap */
	int alive;
	int killed;           /* by the OOM killer */
	int exit_notified;
	int started;          /* a TASK_START was seen for it */    /* the driver told the task's source it is gone */
	void *model;          /* kernel model's per-task state */
	/* task->mempolicy and task->il_next of 2.6 (mm/mempolicy.c); 2.4 ignores them */
	uint8_t mempolicy;    /* enum zs_mpol_mode */
	uint64_t mpol_nodes;  /* v.nodes (interleave, bind) or the preferred node's bit */
	int il_next;          /* the next interleave node */

	/* owned by task.c / pagemap.c */
	uint32_t bind_first, bind_last; /* binding list */
	int source;           /* the source that issues its requests, -1 for kernel threads */
	uint32_t source_key;  /* the source's number for it */
};

#endif
