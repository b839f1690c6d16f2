/*
 * test_26_util.h - helpers shared by tests/test_26_*.c: boot a 2.6 model on a
 * hand-built machine, bring a zone to a chosen free level with the buddy,
 * bind pages to tasks, and run one allocation inside a simulated thread.
 * Everything is static: each test file gets its own copy.
 */
#ifndef ZS_TEST_26_UTIL_H
#define ZS_TEST_26_UTIL_H

#include <criterion/criterion.h>
#include <string.h>

#include "alloc/buddy.h"
#include "alloc/linux26/model.h"
#include "sim/cfg.h"

struct t26 {
	struct zs_machine *m;
	struct zs_engine *e;
	struct zs_vm *vm;
	struct zs_cfg *cfg;
};

/* One node; zones given as (type, pages) pairs ending with pages == 0. */
static inline void
t26_spec_node(struct zs_machine_spec *s, int node, int cpus, const enum zs_zone_type *types,
	      const uint64_t *pages)
{
	struct zs_node_spec *ns = &s->nodes[node];

	ns->cpus = cpus;
	ns->nr_zones = 0;
	for (int i = 0; pages[i]; i++) {
		ns->zones[i].type = types[i];
		ns->zones[i].pages = pages[i];
		ns->nr_zones++;
	}
	if (node + 1 > s->nr_nodes)
		s->nr_nodes = node + 1;
}

static inline struct t26
t26_boot_spec(const struct zs_policy_ops *ops, struct zs_machine_spec *s, const char *kernel_yaml)
{
	struct t26 t = {0};
	struct zs_error err = {0};

	if (!s->hz)
		s->hz = 250;
	t.m = zs_machine_create(s, &err);
	cr_assert_not_null(t.m, "machine: %s", err.msg);
	t.e = zs_engine_create();
	if (kernel_yaml) {
		t.cfg = zs_cfg_load_string("kernel", kernel_yaml, &err);
		cr_assert_not_null(t.cfg, "cfg: %s", err.msg);
	}
	t.vm = zs_vm_create(t.m, t.e, ops, t.cfg, NULL, &err);
	cr_assert_not_null(t.vm, "vm: %s", err.msg);
	return t;
}

/* A one-node machine with the zones given. */
static inline struct t26
t26_boot(const struct zs_policy_ops *ops, int cpus, const enum zs_zone_type *types,
	 const uint64_t *pages, const char *kernel_yaml)
{
	struct zs_machine_spec s;

	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, cpus, types, pages);
	return t26_boot_spec(ops, &s, kernel_yaml);
}

static inline void
t26_free(struct t26 *t)
{
	zs_vm_destroy(t->vm);
	zs_engine_destroy(t->e);
	zs_machine_destroy(t->m);
	if (t->cfg)
		zs_cfg_free(t->cfg);
}

static inline void
t26_check(struct t26 *t)
{
	struct zs_error err = {0};

	cr_assert_eq(zs_vm_check(t->vm, &err), 0, "invariant: %s", err.msg);
}

/* Allocate order-0 pages away with the buddy until z has `target` free pages. */
static inline void
t26_drain_to(struct t26 *t, struct zs_zone *z, uint64_t target)
{
	while (z->free_pages > target) {
		uint32_t pfn = zs26_rmqueue(t->vm, z, 0, ZS26_MT_MOVABLE);

		cr_assert_neq(pfn, ZS_NIL);
	}
	cr_assert_eq(z->free_pages, target);
}

/* Bind an allocated order-0 page to task (as the driver's bind_page does). */
static inline void
t26_bind(struct t26 *t, struct zs_task *task, uint32_t pfn, enum zs_page_kind kind, uint64_t key)
{
	struct zs_vm *vm = t->vm;
	uint32_t b = zs_pagemap_insert(vm->pagemap, key);
	struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);
	struct zs_page *p = &vm->machine->pages[pfn];

	bd->task = ZS_NIL;
	if (task) {
		bd->task = task->id;
		bd->tnext = ZS_NIL;
		bd->tprev = task->bind_last;
		if (task->bind_last != ZS_NIL)
			zs_pagemap_at(vm->pagemap, task->bind_last)->tnext = b;
		else
			task->bind_first = b;
		task->bind_last = b;
		task->rss++;
		task->total_vm++;
	}
	bd->ps = pfn;
	bd->order = 0;
	bd->state = ZS_BIND_RESIDENT;
	p->flags |= ZS_PG_BOUND;
	p->owner = b;
	p->kind = (uint8_t)kind;
}

/* n clean page-cache pages of z handed to page_added (allocated with the buddy). */
static inline void
t26_add_cache(struct t26 *t, struct zs_zone *z, unsigned n, uint64_t key0)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t pfn = zs26_rmqueue(t->vm, z, 0, ZS26_MT_MOVABLE);

		cr_assert_neq(pfn, ZS_NIL);
		t26_bind(t, NULL, pfn, ZS_KIND_FILE_CLEAN, key0 + i);
		t->vm->ops->page_added(t->vm, pfn);
	}
}

/* One allocation run inside a simulated thread (as the driver does). */
struct t26_call {
	struct zs_vm *vm;
	struct zs_alloc_req req;
	int done;
	int calls;
	zs_time_t end;
};

static inline void
t26_call_run(struct zs_thread *th)
{
	struct t26_call *c = th->priv;

	c->calls++;
	if (c->vm->ops->alloc(c->vm, &c->req) == ZS_ALLOC_BLOCKED)
		return;
	c->done = 1;
	c->end = zs_now(th->engine);
	zs_thread_exit(th);
}

/* Run one allocation starting at `start` and the engine until `until`. */
static inline struct t26_call *
t26_alloc(struct t26 *t, struct zs_task *task, uint32_t gfp, unsigned order, unsigned cpu,
	  zs_time_t start, zs_time_t until)
{
	static struct t26_call calls[8];
	static int next;
	struct t26_call *c = &calls[next++ % 8];

	memset(c, 0, sizeof(*c));
	c->vm = t->vm;
	c->req.task = task;
	c->req.gfp = gfp;
	c->req.order = order;
	c->req.cpu = cpu;
	c->req.node = -1;
	c->req.kind = ZS_KIND_KERNEL;
	c->req.pfn = ZS_NIL;
	c->req.thread = zs_thread_create(t->e, "alloc", (int)cpu, t26_call_run, c, start);
	zs_engine_run(t->e, until, NULL, NULL);
	return c;
}

/* The exit name of a finished call. */
static inline const char *
t26_path(const struct t26_call *c)
{
	cr_assert(c->done, "allocation did not finish");
	return zs26_path_names[c->req.path];
}

#endif
