/*
 * policy.h - the interface every kernel model implements (alloc/linux24/model.c,
 * alloc/linux26/model.c ...), and the allocation request it serves.
 *
 * The driver calls alloc() for each allocation.  A model that must sleep
 * (wakeup_kswapd(1), congestion_wait, a yield) puts req->thread to sleep with
 * the engine, records where to resume in req->step, and returns
 * ZS_ALLOC_BLOCKED; when the thread runs again the driver calls alloc() with the
 * same req, and the model continues from req->step.  An allocation that ends,
 * served or failed, returns ZS_ALLOC_DONE with req->pfn (ZS_NIL = failed) and
 * req->path = the index of the __alloc_pages exit that ended it, one of the
 * model's path names, so every branch is counted.
 *
 * Models see the buddy, zones, LRU helpers and watermarks, never each other.
 */
#ifndef ZS_POLICY_H
#define ZS_POLICY_H

#include <stdint.h>
#include <stdio.h>

#include "alloc/gfp.h"
#include "alloc/page.h"

struct zs_vm;
struct zs_cfg;
struct zs_task;
struct zs_thread;
struct zs_zone;
struct zs_error;

enum zs_alloc_status { ZS_ALLOC_DONE = 0, ZS_ALLOC_BLOCKED = 1 };

struct zs_alloc_req {
	/* set by the driver (each of them: it clears the request only from step on) */
	struct zs_thread *thread; /* sleeps when the allocation blocks */
	struct zs_task *task;     /* `current` */
	uint32_t gfp;             /* in the model's own numbering */
	unsigned order;
	unsigned cpu;
	enum zs_page_kind kind;
	int node;                 /* preferred node (the CPU's); -1 = the CPU's node */
	/* the model's resume point and locals across sleeps; zero at the first call */
	int step;
	int64_t local[8];
	/* result */
	uint32_t pfn;             /* first pfn of the block, ZS_NIL when it failed */
	int path;                 /* index into the model's path names */
	/* placement, for events.csv: the driver sets the CPU's node and "default" (2.4.0
	 * keeps them); a 2.6 model the node of the preferred zone and the policy applied */
	int pref_node;
	const char *policy;       /* "default", "preferred", "bind", "interleave", "local" */
};

/* A per-tick metric: per zone (one value per zone row) or global. */
struct zs_metric {
	const char *name;
	int per_zone;
};

struct zs_policy_ops {
	const char *name;     /* "2.4.0", "2.6.18", "2.6.32" */
	enum zs_kver kver;
	int max_order;        /* MAX_ORDER */

	/* Exit names of __alloc_pages, indexed by req->path (e.g. "fast", "min", "fail"). */
	const char *const *paths;
	int nr_paths;
	/* Which of those paths are failures (1) or successes (0). */
	const unsigned char *path_failed;

	/*
	 * Boot the kernel on vm->machine: buddy discipline and boot frees,
	 * watermarks, zonelists, per-cpu lists, daemons.  `kcfg` is the scenario's
	 * `kernel` map (tunables); unknown keys are the model's to reject.
	 */
	int (*init)(struct zs_vm *vm, struct zs_cfg *kcfg, struct zs_error *err);
	void (*destroy)(struct zs_vm *vm);

	/* __alloc_pages: serve or fail req, possibly over several calls (see above). */
	enum zs_alloc_status (*alloc)(struct zs_vm *vm, struct zs_alloc_req *req);
	/* __free_pages: the owner dropped the block; it is unbound and off every list the
	 * driver knows.  The model removes it from its own lists and frees it. */
	void (*free)(struct zs_vm *vm, uint32_t pfn, unsigned order, unsigned cpu);

	/* A freshly allocated block was bound to a workload page of `kind` (lru_cache_add...). */
	void (*page_added)(struct zs_vm *vm, uint32_t pfn);
	/* The task referenced the page (PTE young, mark_page_accessed, page-cache hit). */
	void (*touch)(struct zs_vm *vm, uint32_t pfn);
	/*
	 * A task's access through a file mapping reached a page-cache page that it
	 * does not map: the fault installs its PTE (page_add_file_rmap).  found = 0:
	 * the page was just allocated for the fault and page_added follows (the
	 * page-cache read); found = 1: it was in the page cache (a minor fault), and
	 * touch or dirty follows.  exec: the vma is VM_EXEC.  NULL: the model
	 * cannot map page cache (sources refuse `access: mmap` for it).
	 */
	void (*map_file)(struct zs_vm *vm, uint32_t pfn, int exec, int found);
	/* The task's PTE of a mapped page-cache page goes (zap_pte_range at exit, or the
	 * truncate of a file that unmaps it first); the page stays in the page cache. */
	void (*unmap_file)(struct zs_vm *vm, uint32_t pfn);
	/* The task wrote the page (PTE dirty / set_page_dirty). */
	void (*dirty)(struct zs_vm *vm, uint32_t pfn);
	/*
	 * balance_dirty_pages_ratelimited(): called in the writer's context after it
	 * dirtied page cache (a DIRTY of a resident page, an ALLOC of kind file_dirty).
	 * req carries thread, task and cpu.  Same contract as alloc: ZS_ALLOC_BLOCKED
	 * after putting req->thread to sleep (called again with the same req when it
	 * runs), ZS_ALLOC_DONE when the writer may go on.  NULL: writers never throttle.
	 */
	enum zs_alloc_status (*balance_dirty)(struct zs_vm *vm, struct zs_alloc_req *req);

	/*
	 * Swap (both may be NULL for a model that never swaps).  The binding of a
	 * page holds a slot (zs_vm_bind_slot): SWAPPED bindings always have one, in
	 * binding->ps; a RESIDENT binding has one while its page is in the swap
	 * cache, whose aux is the slot (a model keeps page->aux == slot for every
	 * swap-cache page).
	 * swap_cache_find: a task touched a SWAPPED binding with `slot`; return the
	 * pfn if the page is still in the swap cache (a minor fault: the driver
	 * rebinds it, no I/O, the slot kept through the page), else ZS_NIL (the
	 * driver allocates, reads from swap, binds, and calls page_added, during
	 * which zs_vm_bind_slot still gives the slot: the model puts the page in
	 * the swap cache under it; a slot left outside the cache is released).
	 * swap_free: release `slot` and any swap-cache page of it that is not bound
	 * any more.  The driver calls it when the owner frees a SWAPPED binding, and
	 * after ops->free of a RESIDENT one that still had a slot.  When swap_free
	 * is NULL the driver returns slots to vm->swap itself and clears them at
	 * swap-in.
	 */
	uint32_t (*swap_cache_find)(struct zs_vm *vm, uint32_t slot);
	void (*swap_free)(struct zs_vm *vm, uint32_t slot);

	/* `zsim check`: print what the kernel built (text, or csv rows with a header). */
	void (*describe)(struct zs_vm *vm, FILE *out, int csv);

	/* Extra ticks.csv columns, and their values: per_zone ones for zone z, the rest with
	 * z == NULL.  out has room for nr_metrics values; sample fills the matching ones. */
	const struct zs_metric *metrics;
	int nr_metrics;
	void (*sample)(struct zs_vm *vm, struct zs_zone *z, int64_t *out);

	/* Extra summary.txt lines after the counters ("key: value") that only some machines
	 * or settings have, so a run without them stays as it was; may be NULL. */
	void (*summary)(struct zs_vm *vm, FILE *f);

	/* Model invariants (lists, counters); 0 or -1 with err. */
	int (*check)(struct zs_vm *vm, struct zs_error *err);
};

/* The registered models. */
extern const struct zs_policy_ops zs_policy_24;
extern const struct zs_policy_ops zs_policy_2618;
extern const struct zs_policy_ops zs_policy_2632;

/* The model for a kernel version. */
const struct zs_policy_ops *zs_policy_for(enum zs_kver v);

#endif
