/*
 * vm.h - one simulated kernel: the machine, its model, tasks, the pagemap,
 * the swap device, the disk, and the counters every model shares.
 *
 * The driver (sim/driver.c) owns the vm and feeds it requests; kernel models
 * reach everything they need through it.  Models call back into the vm when
 * reclaim takes a page from its owner (zs_vm_unbind_*) so the workload's next
 * touch of that page faults it back in.
 *
 * Invariant: for every zone, free_pages + pages on per-cpu lists + allocated
 * pages == present pages (checked by zs_vm_check).
 */
#ifndef ZS_VM_H
#define ZS_VM_H

#include <stdint.h>

#include "alloc/disk.h"
#include "alloc/machine.h"
#include "alloc/pagemap.h"
#include "alloc/policy.h"
#include "alloc/swap.h"
#include "alloc/task.h"
#include "sim/engine.h"

struct zs_rng;

/* Called for every allocation, free and failure when events.csv is wanted. */
struct zs_vm_event {
	zs_time_t time;
	const char *op;     /* "alloc", "free", "fail", "refused", "oom_kill", ... */
	uint32_t task;      /* task id or ZS_NIL */
	int cpu;
	uint32_t gfp;
	int order;
	int node, zone;     /* -1 when none */
	uint32_t pfn;       /* ZS_NIL when none */
	const char *path;   /* the __alloc_pages exit, or "" */
};
typedef void (*zs_vm_event_fn)(void *cookie, const struct zs_vm_event *ev);

struct zs_vm {
	/* others may read */
	struct zs_machine *machine;
	struct zs_engine *engine;
	const struct zs_policy_ops *ops;
	enum zs_kver kver;
	void *model;              /* the model's global state */
	struct zs_pagemap *pagemap;
	struct zs_swap swap;
	struct zs_disk disk;
	struct zs_rng *rng;       /* the model's own stream (tie-breaks, never workload draws) */
	int hz;

	struct zs_task **tasks;   /* by id */
	uint32_t nr_tasks, cap_tasks;

	/* counters shared by every model (cumulative) */
	uint64_t *path_count;     /* per model path */
	uint64_t alloc_ok, alloc_fail, alloc_refused; /* refused: order >= MAX_ORDER */
	uint64_t fail_by_order[ZS_MAX_ORDER_LIMIT + 1];
	uint64_t frees;
	uint64_t pgmajfault;      /* touches of swapped or evicted pages */
	uint64_t pswpin, pswpout; /* pages read from / written to swap */
	uint64_t pgpgin, pgpgout; /* pages read from / written to files or swap */
	uint64_t oom_kills;
	uint64_t unknown_frees;   /* frees of a handle never (successfully) allocated */

	/*
	 * A swap-in between binding its page and page_added, which puts the page in
	 * the swap cache: the page, its binding, and the slot the fault read it
	 * from (what zs_vm_bind_slot says of that binding meanwhile).  swapin_pfn
	 * ZS_NIL: none.
	 */
	uint32_t swapin_pfn, swapin_bind, swapin_slot;

	zs_vm_event_fn event_fn;
	void *event_cookie;

	/* the invariant checker (zs_vm_check_event): its walks may skip free blocks'
	 * tails (zs_walk_next); a counters-only call walks no pages and no long lists */
	int check_skip_free;
	int check_counters_only;
	uint32_t checks_since_full;
	uint32_t check_in_use_every; /* ZS_CHECK_IN_USE_EVERY; 1 with output.check: full */
};

/* Create a vm on machine m with model ops; the model's init runs here. */
struct zs_vm *zs_vm_create(struct zs_machine *m, struct zs_engine *e,
			   const struct zs_policy_ops *ops, struct zs_cfg *kcfg, struct zs_rng *rng,
			   struct zs_error *err);
void zs_vm_destroy(struct zs_vm *vm);

/* New task (pid assigned in creation order from 1000; kernel threads from 1). */
struct zs_task *zs_vm_task_new(struct zs_vm *vm, const char *comm, int kthread);

static inline struct zs_page *
zs_vm_page(struct zs_vm *vm, uint32_t pfn)
{
	return &vm->machine->pages[pfn];
}

/*
 * The swap slot binding b holds, UINT32_MAX for none.  One that is not resident
 * keeps it in b->ps.  A resident one holds a slot only through its page in the
 * swap cache, whose aux is the slot: in the kernel the PTE then holds the page,
 * and the swap entry is the page's (page->private in 2.6, page->index in 2.4).
 */
static inline uint32_t
zs_vm_bind_slot(const struct zs_vm *vm, const struct zs_binding *b)
{
	const struct zs_page *p;

	if (b->state != ZS_BIND_RESIDENT)
		return b->ps;
	p = &vm->machine->pages[b->ps];
	if (p->flags & ZS_PG_SWAPCACHE)
		return p->aux;
	if (b->ps == vm->swapin_pfn && p->owner == vm->swapin_bind)
		return vm->swapin_slot;
	return UINT32_MAX;
}

/*
 * A swap-in: binding b, just bound to its fresh page pfn, holds `slot` until the
 * model's page_added has put the page in the swap cache.  begin before
 * page_added, end after it: a slot the page did not take into the swap cache
 * then has no holder left and is released (ops->swap_free).
 */
void zs_vm_swapin_begin(struct zs_vm *vm, uint32_t b, uint32_t pfn, uint32_t slot);
void zs_vm_swapin_finish(struct zs_vm *vm); /* zs_vm_swapin_end with a swap-in recorded */

static inline void
zs_vm_swapin_end(struct zs_vm *vm)
{
	if (vm->swapin_pfn != ZS_NIL)
		zs_vm_swapin_finish(vm);
}

/* The binding a bound page belongs to, or NULL. */
struct zs_binding *zs_vm_page_binding(struct zs_vm *vm, uint32_t pfn);
/* zs_bind_prefetch.fn (alloc/pagemap.h) for the bindings of vm (arg): what a
 * request's free or touch of a binding will read. */
void zs_vm_prefetch_bindings(void *vm, const uint32_t b[ZS_BIND_AHEAD]);
/* Task owning a bound page, or NULL. */
struct zs_task *zs_vm_page_task(struct zs_vm *vm, uint32_t pfn);

/*
 * Reclaim took a page from its owner: the binding becomes SWAPPED (slot given)
 * or EVICTED (slot == UINT32_MAX, a clean file page); the page is unbound but
 * NOT freed: the model frees it itself.
 */
void zs_vm_unbind_page(struct zs_vm *vm, uint32_t pfn, uint32_t slot);

/* A task exits: every binding it owns is released (pages freed through the model). */
void zs_vm_exit_task(struct zs_vm *vm, struct zs_task *t);
/*
 * Release b, which must be t's first binding (exit_mm one mapping at a time):
 * its pages freed, its slot returned, rss/swapped/total_vm lowered.  Returns
 * the ptes it covered (resident or swapped pages; 0 for page cache).
 */
uint64_t zs_vm_exit_binding(struct zs_vm *vm, struct zs_task *t, uint32_t b);

/* Fork tree (alloc/task.c): child joins the tail of parent's children. */
void zs_task_fork_link(struct zs_vm *vm, struct zs_task *parent, struct zs_task *child);
/* An exiting task leaves its parent's list; its children lose their parent. */
void zs_task_leave_family(struct zs_vm *vm, struct zs_task *t);
/* Apply what a workload declared at TASK_START (uid, caps, oom_adj, cpu time, age, extra_vm). */
void zs_task_set_attrs(struct zs_vm *vm, struct zs_task *t, const struct zs_task_attrs *a,
		       int root);

/*
 * Kill a task (OOM, counted in oom_kills): its bindings are released (resident pages freed through
 * the model, swap slots returned) and its further requests ignored.
 */
void zs_vm_kill_task(struct zs_vm *vm, struct zs_task *t, const char *why);

/* zs_vm_event with a sink (apart: most runs have none, and the test is all they pay). */
void zs_vm_event_emit(struct zs_vm *vm, const char *op, struct zs_task *t, int cpu, uint32_t gfp,
		      int order, uint32_t pfn, const char *path);

/* Report an event to the events.csv sink (no-op without one). */
static inline void
zs_vm_event(struct zs_vm *vm, const char *op, struct zs_task *t, int cpu, uint32_t gfp, int order,
	    uint32_t pfn, const char *path)
{
	if (vm->event_fn)
		zs_vm_event_emit(vm, op, t, cpu, gfp, order, pfn, path);
}

/* Core + buddy + model invariants over every page; 0 or -1 with err. */
int zs_vm_check(struct zs_vm *vm, struct zs_error *err);

/* zs_vm_check_event's cadence: every ZS_CHECK_FULL_EVERY-th call (the first is
 * one) is a full check; of the others every ZS_CHECK_IN_USE_EVERY-th checks
 * everything but the free blocks' tails and the swap slots one by one; the rest
 * check the counters and the ends of every list. */
#define ZS_CHECK_FULL_EVERY 256
#define ZS_CHECK_IN_USE_EVERY 16

/*
 * The checker after an event, at the depth its place in the cadence gives:
 *  - full: zs_vm_check, every page and slot;
 *  - in use: the page walks skip the tail pages of free buddy blocks
 *    (vm->check_skip_free) and the swap cache is checked from its pages' side,
 *    so the cost follows the pages in use; every list, binding and in-use page;
 *  - counters (vm->check_counters_only): each model's counters against each
 *    other (free lists against nr_free and free_pages, per-cpu and LRU list
 *    counts, pageblock counts, watermarks, locks) and both ends of every list,
 *    in time independent of the memory size.
 * A corruption of pages in use is reported within ZS_CHECK_IN_USE_EVERY calls,
 * of a free block's tail or a swap slot within ZS_CHECK_FULL_EVERY.  With
 * vm->check_in_use_every set to 1 (output.check: full) every call checks at
 * least the pages in use, so those are caught at the event that broke them.
 */
int zs_vm_check_event(struct zs_vm *vm, struct zs_error *err);

#endif
