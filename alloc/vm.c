/* vm.c - one simulated kernel instance; see vm.h. */
#include "alloc/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc/buddy.h"
#include "sim/cfg.h"

const struct zs_policy_ops *
zs_policy_for(enum zs_kver v)
{
	switch (v) {
	case ZS_KV_24:
		return &zs_policy_24;
	case ZS_KV_2618:
		return &zs_policy_2618;
	case ZS_KV_2632:
		return &zs_policy_2632;
	default:
		return NULL;
	}
}

/* A model is usable when its ops table is filled in. */
static int
model_built(const struct zs_policy_ops *ops)
{
	return ops && ops->name && ops->init && ops->alloc;
}

struct zs_vm *
zs_vm_create(struct zs_machine *m, struct zs_engine *e, const struct zs_policy_ops *ops,
	     struct zs_cfg *kcfg, struct zs_rng *rng, struct zs_error *err)
{
	struct zs_vm *vm = calloc(1, sizeof(*vm));

	if (!model_built(ops)) {
		zs_error_set(err, EX_SOFTWARE, "this kernel model is not available");
		free(vm);
		return NULL;
	}
	if (!vm) {
		zs_error_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	vm->machine = m;
	vm->engine = e;
	vm->swapin_pfn = ZS_NIL;
	vm->swapin_slot = UINT32_MAX;
	vm->ops = ops;
	vm->kver = ops->kver;
	vm->check_in_use_every = ZS_CHECK_IN_USE_EVERY;
	vm->rng = rng;
	vm->hz = m->spec.hz ? m->spec.hz : 100;
	vm->pagemap = zs_pagemap_create();
	vm->path_count = calloc((size_t)ops->nr_paths + 1, sizeof(uint64_t));
	if (!vm->path_count || zs_swap_init(&vm->swap, m->spec.swap_pages)) {
		zs_error_set(err, EX_OSERR, "out of memory");
		zs_vm_destroy(vm);
		return NULL;
	}
	zs_disk_init(&vm->disk, e, (zs_time_t)m->spec.disk_latency_ns, m->spec.disk_bandwidth_bps);
	if (ops->init(vm, kcfg, err)) {
		zs_vm_destroy(vm);
		return NULL;
	}
	return vm;
}

void
zs_vm_destroy(struct zs_vm *vm)
{
	if (!vm)
		return;
	if (vm->ops && vm->model && vm->ops->destroy)
		vm->ops->destroy(vm);
	for (uint32_t i = 0; i < vm->nr_tasks; i++)
		free(vm->tasks[i]);
	free(vm->tasks);
	free(vm->path_count);
	zs_swap_fini(&vm->swap);
	zs_disk_fini(&vm->disk);
	zs_pagemap_destroy(vm->pagemap);
	free(vm);
}

struct zs_task *
zs_vm_task_new(struct zs_vm *vm, const char *comm, int kthread)
{
	struct zs_task *t = calloc(1, sizeof(*t));
	static const uint32_t first_user_pid = 1000;

	ZS_BUG_ON(!t);
	if (vm->nr_tasks == vm->cap_tasks) {
		uint32_t cap = vm->cap_tasks ? 2 * vm->cap_tasks : 64;
		struct zs_task **a = realloc(vm->tasks, cap * sizeof(*a));

		ZS_BUG_ON(!a);
		vm->tasks = a;
		vm->cap_tasks = cap;
	}
	t->id = vm->nr_tasks;
	vm->tasks[vm->nr_tasks++] = t;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	/* pids: kernel threads count from 1, user tasks from 1000, in creation order */
	if (kthread) {
		uint32_t n = 0;
		for (uint32_t i = 0; i + 1 < vm->nr_tasks; i++)
			n += (vm->tasks[i]->flags & ZS_PF_KTHREAD) != 0;
		t->pid = 1 + n;
		t->flags = ZS_PF_KTHREAD;
	} else {
		uint32_t n = 0;
		for (uint32_t i = 0; i + 1 < vm->nr_tasks; i++)
			n += !(vm->tasks[i]->flags & ZS_PF_KTHREAD);
		t->pid = first_user_pid + n;
	}
	t->alive = 1;
	t->start_ns = zs_now(vm->engine);
	t->bind_first = t->bind_last = ZS_NIL;
	t->parent = t->first_child = t->last_child = t->next_sibling = ZS_NIL;
	t->source = -1;
	return t;
}

struct zs_binding *
zs_vm_page_binding(struct zs_vm *vm, uint32_t pfn)
{
	const struct zs_page *p = &vm->machine->pages[pfn];

	if (!(p->flags & ZS_PG_BOUND))
		return NULL;
	return zs_pagemap_at(vm->pagemap, p->owner);
}

/* Bring pfn's page struct in, when pfn names one. */
static inline void
prefetch_page(const struct zs_machine *m, uint32_t pfn)
{
	if (pfn < m->nr_pages)
		__builtin_prefetch(&m->pages[pfn]);
}

void
zs_vm_prefetch_bindings(void *arg, const uint32_t b[ZS_BIND_AHEAD])
{
	const struct zs_vm *vm = arg;
	const struct zs_machine *m = vm->machine;
	const struct zs_binding *bd;

	_Static_assert(ZS_BIND_AHEAD == 3, "a stage each: the binding, what it points at, "
		       "the page's neighbours");
	/* stage 0: the binding */
	bd = zs_pagemap_peek(vm->pagemap, b[0]);
	if (bd)
		__builtin_prefetch(bd);
	/* stage 1 (the binding cached): its page, and the task-list neighbours that
	 * unlinking it writes */
	bd = zs_pagemap_peek(vm->pagemap, b[1]);
	if (bd && bd->state == ZS_BIND_RESIDENT && bd->ps < m->nr_pages) {
		const struct zs_binding *n = zs_pagemap_peek(vm->pagemap, bd->tnext);
		const struct zs_binding *p = zs_pagemap_peek(vm->pagemap, bd->tprev);

		__builtin_prefetch(&m->pages[bd->ps]);
		if (n)
			__builtin_prefetch(n);
		if (p)
			__builtin_prefetch(p);
	}
	/* stage 2 (the page cached): the LRU neighbours that taking it off its list writes */
	bd = zs_pagemap_peek(vm->pagemap, b[2]);
	if (bd && bd->state == ZS_BIND_RESIDENT && bd->ps < m->nr_pages) {
		prefetch_page(m, m->pages[bd->ps].next);
		prefetch_page(m, m->pages[bd->ps].prev);
	}
}

struct zs_task *
zs_vm_page_task(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_binding *b = zs_vm_page_binding(vm, pfn);

	if (!b || b->task == ZS_NIL)
		return NULL;
	return vm->tasks[b->task];
}

void
zs_vm_swapin_begin(struct zs_vm *vm, uint32_t b, uint32_t pfn, uint32_t slot)
{
	vm->swapin_pfn = pfn;
	vm->swapin_bind = b;
	vm->swapin_slot = slot;
}

void
zs_vm_swapin_finish(struct zs_vm *vm)
{
	uint32_t pfn = vm->swapin_pfn, slot = vm->swapin_slot;
	const struct zs_binding *bd;

	vm->swapin_pfn = ZS_NIL;
	bd = zs_pagemap_at(vm->pagemap, vm->swapin_bind);
	/* a page read back outside the swap cache leaves the slot no holder (on 2.6 when
	 * the slot's readahead copy is still under writeback: the copy goes as its
	 * write completes) */
	if (zs_bind_pfn(bd) == pfn && zs_vm_bind_slot(vm, bd) != slot) {
		if (vm->ops->swap_free)
			vm->ops->swap_free(vm, slot);
		else
			zs_swap_put(&vm->swap, slot);
	}
}

void
zs_vm_unbind_page(struct zs_vm *vm, uint32_t pfn, uint32_t slot)
{
	struct zs_page *p = &vm->machine->pages[pfn];
	struct zs_binding *b;

	if (!(p->flags & ZS_PG_BOUND))
		return;
	b = zs_pagemap_at(vm->pagemap, p->owner);
	ZS_BUG_ON(zs_bind_pfn(b) != pfn);
	b->ps = slot;
	b->state = slot == UINT32_MAX ? ZS_BIND_EVICTED : ZS_BIND_SWAPPED;
	if (b->task != ZS_NIL && b->kind == ZS_KIND_ANON) {
		struct zs_task *t = vm->tasks[b->task];

		t->rss--;
		if (slot != UINT32_MAX)
			t->swapped++;
	}
	p->flags &= ~ZS_PG_BOUND;
	p->owner = ZS_NIL;
}

void
zs_vm_event_emit(struct zs_vm *vm, const char *op, struct zs_task *t, int cpu, uint32_t gfp,
		 int order, uint32_t pfn, const char *path)
{
	struct zs_vm_event ev;

	ev.time = zs_now(vm->engine);
	ev.op = op;
	ev.task = t ? t->id : ZS_NIL;
	ev.cpu = cpu;
	ev.gfp = gfp;
	ev.order = order;
	ev.node = ev.zone = -1;
	ev.pfn = pfn;
	if (pfn != ZS_NIL) {
		struct zs_zone *z = zs_pfn_zone(vm->machine, pfn);

		ev.node = z->node;
		ev.zone = (int)z->type;
	}
	ev.path = path ? path : "";
	vm->event_fn(vm->event_cookie, &ev);
}

uint64_t
zs_vm_exit_binding(struct zs_vm *vm, struct zs_task *t, uint32_t b)
{
	struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);
	uint64_t ptes = 0;

	ZS_BUG_ON(b != t->bind_first);
	t->bind_first = bd->tnext;
	if (bd->tnext != ZS_NIL)
		zs_pagemap_at(vm->pagemap, bd->tnext)->tprev = ZS_NIL;
	else
		t->bind_last = ZS_NIL;
	if (bd->kind == ZS_KIND_FILE_CLEAN || bd->kind == ZS_KIND_FILE_DIRTY ||
	    bd->kind == ZS_KIND_BUFFER) {
		/* DEVIATION: page cache has no owner in the kernel; here the reading task
		 * holds it until it exits, then it stays cached, ownerless, for reclaim */
		if (bd->state == ZS_BIND_RESIDENT && bd->kind != ZS_KIND_BUFFER &&
		    (vm->machine->pages[bd->ps].flags & ZS_PG_MAPPED) && vm->ops->unmap_file) {
			/* KERNEL: 2.6.18 mm/memory.c zap_pte_range(): the PTE of a mapped file
			 * page goes (page_remove_rmap); the page stays in the page cache */
			vm->ops->unmap_file(vm, bd->ps);
			ptes = 1u << bd->order;
		}
		bd->task = ZS_NIL;
		bd->tnext = bd->tprev = ZS_NIL;
		return ptes;
	}
	/* a pending swap-in (it keeps its slot) is still counted as swapped; a pending new
	 * allocation is not counted yet */
	if (bd->kind == ZS_KIND_ANON &&
	    (bd->state != ZS_BIND_PENDING || bd->ps != UINT32_MAX)) {
		uint64_t n = 1u << bd->order;

		/* SUBTLE: saturating, so a counter the driver keeps loosely never wraps */
		t->total_vm -= t->total_vm < n ? t->total_vm : n;
		if (bd->state == ZS_BIND_RESIDENT)
			t->rss -= t->rss > 0;
		else
			t->swapped -= t->swapped > 0;
	}
	if (bd->state == ZS_BIND_RESIDENT) {
		uint32_t pfn = bd->ps;
		/* read before the free: a resident binding's slot is its page's */
		uint32_t slot = zs_vm_bind_slot(vm, bd);
		unsigned order = bd->order;
		struct zs_page *p = &vm->machine->pages[pfn];

		ptes = 1u << order;
		p->flags &= ~ZS_PG_BOUND;
		p->owner = ZS_NIL;
		vm->frees++;
		zs_vm_event(vm, "free", t, -1, zs_pagemap_gfp(vm->pagemap, b), (int)order, pfn, "exit");
		vm->ops->free(vm, pfn, order, 0);
		if (slot != UINT32_MAX) {
			/* a swap-cache page's slot: the model released the page above */
			if (vm->ops->swap_free)
				vm->ops->swap_free(vm, slot);
			else
				zs_swap_put(&vm->swap, slot);
		}
	} else if (bd->state == ZS_BIND_SWAPPED) {
		ptes = 1u << bd->order;
		if (vm->ops->swap_free)
			vm->ops->swap_free(vm, bd->ps);
		else
			zs_swap_put(&vm->swap, bd->ps);
	}
	if (bd->state == ZS_BIND_PENDING) {
		/* an allocation of this task is in flight: the driver drops it on return */
		bd->task = ZS_NIL;
		bd->tnext = bd->tprev = ZS_NIL;
	} else {
		zs_pagemap_remove(vm->pagemap, b);
	}
	return ptes;
}

void
zs_vm_exit_task(struct zs_vm *vm, struct zs_task *t)
{
	if (!t->alive)
		return;
	/* exit_mm: every page the task still owns goes back */
	while (t->bind_first != ZS_NIL)
		zs_vm_exit_binding(vm, t, t->bind_first);
	t->rss = 0;
	t->swapped = 0;
	t->total_vm = 0;
	t->alive = 0;
	zs_task_leave_family(vm, t);
}

void
zs_vm_kill_task(struct zs_vm *vm, struct zs_task *t, const char *why)
{
	if (!t->alive)
		return;
	t->killed = 1;
	t->flags |= ZS_TIF_MEMDIE;
	vm->oom_kills++;
	zs_vm_event(vm, why ? why : "oom_kill", t, -1, 0, -1, ZS_NIL, "");
	zs_vm_exit_task(vm, t);
}

/* The machine's free page count against its zones' (each checked first against its lists). */
static int
check_machine_free(const struct zs_machine *m, struct zs_error *err)
{
	uint64_t free_pages = 0;

	for (int i = 0; i < m->nr_zones; i++)
		free_pages += m->zones[i].free_pages;
	if (free_pages != m->free_pages)
		return zs_error_set(err, EX_SOFTWARE,
				    "machine: zones hold %llu free pages, its free_pages says %llu",
				    (unsigned long long)free_pages, (unsigned long long)m->free_pages);
	return 0;
}

int
zs_vm_check(struct zs_vm *vm, struct zs_error *err)
{
	struct zs_machine *m = vm->machine;
	const int skip = vm->check_skip_free;

	if (vm->check_counters_only) {
		for (int i = 0; i < m->nr_zones; i++)
			if (zs_buddy_check_counters(m, &m->zones[i], err))
				return -1;
		if (check_machine_free(m, err))
			return -1;
		return vm->ops->check ? vm->ops->check(vm, err) : 0;
	}
	for (int i = 0; i < m->nr_zones; i++)
		if (zs_buddy_check(m, &m->zones[i], !skip, err))
			return -1;
	if (check_machine_free(m, err))
		return -1;
	/* conservation: free + per-cpu + allocated blocks == present, zone by zone (the
	 * zones tile the pfn space, so this walk sees every page) */
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		uint64_t pcp = 0, held = 0, heads = 0, blocks = 0;

		for (uint32_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned;
		     pfn = zs_walk_next(m->pages, pfn, skip)) {
			const struct zs_page *p = &m->pages[pfn];

			if (p->flags & ZS_PG_PCP)
				pcp++;
			if (p->flags & ZS_PG_BUDDY)
				heads++;
			if (p->flags & ZS_PG_HEAD)
				held += 1ull << p->order;
			if ((p->flags & ZS_PG_PCP) && (p->flags & (ZS_PG_HEAD | ZS_PG_BUDDY)))
				return zs_error_set(err, EX_SOFTWARE,
						    "page %u is on a per-cpu list and %s", pfn,
						    p->flags & ZS_PG_BUDDY ? "free" : "allocated");
			/* every bound page points at a binding that points back */
			if (p->flags & ZS_PG_BOUND) {
				struct zs_binding *b = zs_pagemap_at(vm->pagemap, p->owner);

				if (zs_bind_pfn(b) != pfn)
					return zs_error_set(err, EX_SOFTWARE,
							    "page %u bound to binding %u that does not hold it",
							    pfn, p->owner);
				/* found from its key: by the pagemap's index or by the source
				 * keeping it (a full pass: a lookup per bound page) */
				if (!skip && zs_pagemap_find(vm->pagemap, zs_pagemap_key_of(vm->pagemap, p->owner)) != p->owner)
					return zs_error_set(err, EX_SOFTWARE,
							    "page %u's binding %u is not found by its key",
							    pfn, p->owner);
				if (p->flags & (ZS_PG_BUDDY | ZS_PG_PCP))
					return zs_error_set(err, EX_SOFTWARE,
							    "page %u is bound and free", pfn);
			}
			if (p->list == ZS_LST_NONE && (p->next != ZS_NIL || p->prev != ZS_NIL))
				return zs_error_set(err, EX_SOFTWARE,
						    "page %u linked but on no list", pfn);
		}
		/* a page marked free but on no free list would make a walk skip pages in use */
		for (int k = 0; k < z->max_order; k++)
			blocks += z->free_area[k].nr_free;
		if (heads != blocks)
			return zs_error_set(err, EX_SOFTWARE,
					    "%s: %llu pages marked as free block heads, %llu blocks listed",
					    z->name, (unsigned long long)heads,
					    (unsigned long long)blocks);
		if (z->free_pages + pcp + held != z->present)
			return zs_error_set(err, EX_SOFTWARE,
					    "%s: free %llu + per-cpu %llu + allocated %llu != present %u",
					    z->name, (unsigned long long)z->free_pages,
					    (unsigned long long)pcp, (unsigned long long)held, z->present);
	}
	if (vm->ops->check)
		return vm->ops->check(vm, err);
	return 0;
}

int
zs_vm_check_event(struct zs_vm *vm, struct zs_error *err)
{
	int r;

	/* the place in the cadence: 0 full, multiples of IN_USE_EVERY in use */
	uint32_t n = vm->checks_since_full;

	vm->check_skip_free = n != 0;
	vm->check_counters_only = n % vm->check_in_use_every != 0;
	if (++vm->checks_since_full >= ZS_CHECK_FULL_EVERY)
		vm->checks_since_full = 0;
	r = zs_vm_check(vm, err);
	vm->check_skip_free = 0;
	vm->check_counters_only = 0;
	return r;
}
