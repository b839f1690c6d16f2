/*
 * test_24_util.h - helpers for the 2.4.0 model tests: boot an i386-style
 * machine with zs_policy_24, and build zone states by hand (drain a zone's
 * free lists, put clean or dirty cache pages on the LRU lists).
 */
#ifndef ZS_TEST_24_UTIL_H
#define ZS_TEST_24_UTIL_H

#include <criterion/criterion.h>
#include <string.h>

#include "alloc/linux24/model.h"
#include "alloc/pagemap.h"
#include "alloc/task.h"
#include "alloc/vm.h"
#include "sim/engine.h"

struct t24 {
	struct zs_machine *m;
	struct zs_engine *e;
	struct zs_vm *vm;
	struct z24 *s;
};

/* Boot zones of the given sizes (pages; 0 = absent) with `swap` swap pages. */
static inline void
t24_boot(struct t24 *t, uint64_t dma, uint64_t normal, uint64_t high, uint64_t swap)
{
	struct zs_machine_spec spec;
	struct zs_error err = {0, ""};
	int nz = 0;

	memset(&spec, 0, sizeof(spec));
	spec.nr_nodes = 1;
	if (dma)
		spec.nodes[0].zones[nz++] = (struct zs_zone_spec){ZS_ZONE_DMA, dma};
	if (normal)
		spec.nodes[0].zones[nz++] = (struct zs_zone_spec){ZS_ZONE_NORMAL, normal};
	if (high)
		spec.nodes[0].zones[nz++] = (struct zs_zone_spec){ZS_ZONE_HIGHMEM, high};
	spec.nodes[0].nr_zones = nz;
	spec.nodes[0].cpus = 1;
	spec.hz = 100;
	spec.swap_pages = swap;
	spec.disk_latency_ns = 1000000;
	spec.disk_bandwidth_bps = 100ull << 20;
	t->m = zs_machine_create(&spec, &err);
	cr_assert_not_null(t->m, "%s", err.msg);
	t->e = zs_engine_create();
	t->vm = zs_vm_create(t->m, t->e, &zs_policy_24, NULL, NULL, &err);
	cr_assert_not_null(t->vm, "%s", err.msg);
	t->s = zs24_state(t->vm);
}

static inline void
t24_fini(struct t24 *t)
{
	zs_vm_destroy(t->vm);
	zs_engine_destroy(t->e);
	zs_machine_destroy(t->m);
}

static inline struct zs_zone *
t24_zone(struct t24 *t, enum zs_zone_type type)
{
	return t->m->nodes[0].zone[type];
}

/* Allocate order-0 kernel pages from z until it has `target` free pages. */
static inline void
t24_drain(struct t24 *t, struct zs_zone *z, uint64_t target)
{
	while (z->free_pages > target) {
		uint32_t pfn = zs24_rmqueue(t->s, z, 0);

		cr_assert_neq(pfn, ZS_NIL);
		t->m->pages[pfn].kind = ZS_KIND_KERNEL;
	}
}

/* A page-cache page of z (no buffers, age 0, unbound) on inactive_clean. */
/* A fresh clean page-cache page of z, age 0, on no list yet. */
static inline uint32_t
t24_cache_page(struct t24 *t, struct zs_zone *z)
{
	uint32_t pfn = zs24_rmqueue(t->s, z, 0);
	struct zs_page *p = &t->m->pages[pfn];

	cr_assert_neq(pfn, ZS_NIL);
	p->kind = ZS_KIND_FILE_CLEAN;
	p->flags |= Z24_PG_CACHE;
	p->age = 0;
	t->s->page_cache_size++;
	return pfn;
}

static inline uint32_t
t24_clean_page(struct t24 *t, struct zs_zone *z)
{
	uint32_t pfn = t24_cache_page(t, z);

	zs24_add_to_inactive_clean(t->s, pfn);
	return pfn;
}

/* A page-cache page of z on inactive_dirty: clean, or with dirty buffers. */
static inline uint32_t
t24_dirty_list_page(struct t24 *t, struct zs_zone *z, int dirty_buffers)
{
	uint32_t pfn = t24_cache_page(t, z);

	if (dirty_buffers)
		zs24_mark_buffer_dirty(t->s, pfn);
	zs24_add_to_inactive_dirty(t->s, pfn);
	return pfn;
}

static inline struct zs_alloc_req
t24_req(unsigned order, uint32_t gfp)
{
	struct zs_alloc_req r;

	memset(&r, 0, sizeof(r));
	r.order = order;
	r.gfp = gfp;
	r.kind = ZS_KIND_KERNEL;
	r.pfn = ZS_NIL;
	r.path = -1;
	return r;
}

/* An allocation driven by a simulated thread (for the paths that sleep). */
struct t24_alloc {
	struct zs_vm *vm;
	struct zs_alloc_req req;
	int done, calls;
};

static inline void
t24_alloc_run(struct zs_thread *th)
{
	struct t24_alloc *a = th->priv;

	a->calls++;
	if (a->vm->ops->alloc(a->vm, &a->req) == ZS_ALLOC_BLOCKED)
		return;
	a->done = 1;
	zs_thread_exit(th);
}

static inline void
t24_alloc_start(struct t24 *t, struct t24_alloc *a, struct zs_task *task)
{
	a->vm = t->vm;
	a->done = 0;
	a->req.task = task;
	a->req.thread = zs_thread_create(t->e, "alloc", 0, t24_alloc_run, a, zs_now(t->e));
}

/* Allocate an order-0 page of z and bind it to `task` at the tail of its list under
 * `key`, resident, of `kind` (as the driver's bind_page does); returns the pfn. */
static inline uint32_t
t24_bind_new(struct t24 *t, struct zs_zone *z, struct zs_task *task, uint64_t key,
	     enum zs_page_kind kind)
{
	uint32_t b = zs_pagemap_insert(t->vm->pagemap, key);
	struct zs_binding *bd = zs_pagemap_at(t->vm->pagemap, b);
	uint32_t pfn = zs24_rmqueue(t->s, z, 0);
	struct zs_page *p = &t->m->pages[pfn];

	cr_assert_neq(pfn, ZS_NIL);
	bd->task = task->id;
	bd->ps = pfn;
	bd->state = ZS_BIND_RESIDENT;
	bd->kind = (uint8_t)kind;
	bd->tprev = task->bind_last;
	bd->tnext = ZS_NIL;
	if (task->bind_last != ZS_NIL)
		zs_pagemap_at(t->vm->pagemap, task->bind_last)->tnext = b;
	else
		task->bind_first = b;
	task->bind_last = b;
	p->kind = (uint8_t)kind;
	p->flags |= ZS_PG_BOUND;
	p->owner = b;
	return pfn;
}

/* A task owning `n` mapped, dirty anonymous pages of z of age `age` (handles 1..n),
 * bound in address order; their pfns go to pfns[]. */
static inline struct zs_task *
t24_anon_task(struct t24 *t, struct zs_zone *z, int n, uint8_t age, uint32_t *pfns)
{
	struct zs_task *task = zs_vm_task_new(t->vm, "anon", 0);

	for (int i = 0; i < n; i++) {
		uint32_t pfn = t24_bind_new(t, z, task, (uint64_t)i + 1, ZS_KIND_ANON);
		struct zs_page *p = &t->m->pages[pfn];

		p->flags |= ZS_PG_MAPPED | Z24_PG_PTEDIRTY;
		p->age = age;
		task->rss++;
		task->total_vm++;
		pfns[i] = pfn;
	}
	return task;
}

#endif
