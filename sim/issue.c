/*
 * issue.c - what one request does: the task it names (fork tree included),
 * page bindings, the allocation through the kernel model (which may block the
 * actor), faults that read a page back, frees and task exits.  The threads
 * that call it are driver.c's; the state is driver_int.h's.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/buddy.h"
#include "sim/driver_int.h"

/* ---- task map ---- */

/* task_lookup past its memo: the probe of the map, out of line */
static __attribute__((noinline)) uint32_t
task_probe(struct src_ctx *c, uint32_t key)
{
	if (!c->tcap)
		return ZS_NIL;
	for (uint32_t h = (key * 2654435761u) & (c->tcap - 1);; h = (h + 1) & (c->tcap - 1)) {
		if (c->tkeys[h] == UINT64_MAX)
			return ZS_NIL;
		if (c->tkeys[h] == key) {
			c->memo_key = key;
			c->memo_id = c->tvals[h];
			return c->memo_id;
		}
	}
}

/* The vm task id of the source's task number key, ZS_NIL if none: the last one
 * found inline (a request's task is nearly always the one before's). */
static inline uint32_t
task_lookup(struct src_ctx *c, uint32_t key)
{
	if (c->tcap && key == c->memo_key && c->memo_id != ZS_NIL)
		return c->memo_id;
	return task_probe(c, key);
}

static void
task_store(struct src_ctx *c, uint32_t key, uint32_t id)
{
	if ((c->tn + 1) * 2 > c->tcap) {
		uint32_t ocap = c->tcap, ncap = ocap ? ocap * 2 : 64;
		uint64_t *ok = c->tkeys;
		uint32_t *ov = c->tvals;

		c->tkeys = malloc(ncap * sizeof(*c->tkeys));
		c->tvals = malloc(ncap * sizeof(*c->tvals));
		ZS_BUG_ON(!c->tkeys || !c->tvals);
		memset(c->tkeys, 0xff, ncap * sizeof(*c->tkeys));
		c->tcap = ncap;
		c->tn = 0;
		for (uint32_t i = 0; i < ocap; i++)
			if (ok[i] != UINT64_MAX)
				task_store(c, (uint32_t)ok[i], ov[i]);
		free(ok);
		free(ov);
	}
	uint32_t h = (key * 2654435761u) & (c->tcap - 1);
	while (c->tkeys[h] != UINT64_MAX && c->tkeys[h] != key)
		h = (h + 1) & (c->tcap - 1);
	if (c->tkeys[h] == UINT64_MAX)
		c->tn++;
	c->tkeys[h] = key;
	c->tvals[h] = id;
	c->memo_key = key;
	c->memo_id = id;
}

/* The vm task for a request; a task never started is started implicitly. */
static struct zs_task *
req_task(struct src_ctx *c, const struct zs_request *req)
{
	struct zs_vm *vm = c->run->vm;
	uint32_t id = task_lookup(c, req->task);
	struct zs_task *t;

	if (id != ZS_NIL)
		return vm->tasks[id];
	t = zs_vm_task_new(vm, req->comm[0] ? req->comm : c->src->ops->type, 0);
	t->source = (int)c->idx;
	t->source_key = req->task;
	task_store(c, req->task, t->id);
	return t;
}

/* ---- binding helpers ---- */

static void
task_link(struct zs_vm *vm, struct zs_task *t, uint32_t b)
{
	struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);

	bd->task = t->id;
	bd->tnext = ZS_NIL;
	bd->tprev = t->bind_last;
	if (t->bind_last != ZS_NIL)
		zs_pagemap_at(vm->pagemap, t->bind_last)->tnext = b;
	else
		t->bind_first = b;
	t->bind_last = b;
}

static void
task_unlink(struct zs_vm *vm, uint32_t b)
{
	struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);
	struct zs_task *t;

	if (bd->task == ZS_NIL)
		return;
	t = vm->tasks[bd->task];
	if (bd->tprev != ZS_NIL)
		zs_pagemap_at(vm->pagemap, bd->tprev)->tnext = bd->tnext;
	else
		t->bind_first = bd->tnext;
	if (bd->tnext != ZS_NIL)
		zs_pagemap_at(vm->pagemap, bd->tnext)->tprev = bd->tprev;
	else
		t->bind_last = bd->tprev;
	bd->task = ZS_NIL;
	bd->tnext = bd->tprev = ZS_NIL;
}

static void
bind_page(struct zs_vm *vm, uint32_t b, uint32_t pfn, enum zs_page_kind kind)
{
	struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);
	struct zs_page *p = zs_vm_page(vm, pfn);

	bd->ps = pfn;
	bd->state = ZS_BIND_RESIDENT;
	p->flags |= ZS_PG_BOUND;
	p->owner = b;
	p->kind = (uint8_t)kind;
	/* rss and total_vm count a task's private memory, not page cache or kernel pages */
	if (bd->task != ZS_NIL && kind == ZS_KIND_ANON)
		vm->tasks[bd->task]->rss++;
}

static void
release_slot(struct zs_vm *vm, uint32_t slot)
{
	if (slot == UINT32_MAX)
		return;
	if (vm->ops->swap_free)
		vm->ops->swap_free(vm, slot);
	else
		zs_swap_put(&vm->swap, slot);
}

static int
file_kind(unsigned kind)
{
	return kind == ZS_KIND_FILE_CLEAN || kind == ZS_KIND_FILE_DIRTY;
}

/* The PTE of a mapped page-cache page goes before the page does (truncate unmaps
 * first); bd is resident. */
static void
unmap_file_page(struct zs_vm *vm, const struct zs_binding *bd)
{
	if (file_kind(bd->kind) && (zs_vm_page(vm, bd->ps)->flags & ZS_PG_MAPPED) &&
	    vm->ops->unmap_file)
		vm->ops->unmap_file(vm, bd->ps);
}

/* ---- requests ---- */

void
zs_drv_notify_killed(struct src_ctx *c, struct zs_task *t)
{
	struct zs_request r;

	if (t->exit_notified)
		return;
	t->exit_notified = 1;
	if (!c->src->ops->feedback)
		return;
	memset(&r, 0, sizeof(r));
	r.type = ZS_REQ_TASK_EXIT;
	r.task = t->source_key;
	c->src->ops->feedback(c->src, &r, 0);
}

/*
 * The source frees (or reuses) handle b while an allocation for it sleeps: that
 * allocation gives its page straight back when it returns (alloc_finish).
 */
static void
orphan_pending(struct zs_run *r, uint32_t b)
{
	for (uint32_t i = 0; i < r->nr_actors; i++)
		if (r->actors[i]->state == ACT_ALLOC && r->actors[i]->bind == b)
			r->actors[i]->bind_gone = 1;
}

_Static_assert(offsetof(struct zs_alloc_req, step) ==
		       offsetof(struct zs_alloc_req, node) + sizeof(int),
	       "alloc_start sets each field before step, and clears only from step on");

/* Start an allocation for binding b (new, or a fault). */
static void
alloc_start(struct actor *ac, struct zs_task *t, uint32_t b, uint32_t gfp, unsigned order,
	    enum zs_page_kind kind, int fault)
{
	struct zs_vm *vm = ac->c->run->vm;

	/* the model's part (step on) zeroed, the rest set here: 92 of the 128 bytes */
	memset(&ac->areq.step, 0, sizeof(ac->areq) - offsetof(struct zs_alloc_req, step));
	ac->areq.thread = ac->thread;
	ac->areq.task = t;
	ac->areq.gfp = gfp;
	ac->areq.order = order;
	ac->areq.cpu = (unsigned)ac->thread->cpu;
	ac->areq.kind = kind;
	ac->areq.node = vm->machine->cpu_node[ac->thread->cpu];
	ac->areq.pref_node = ac->areq.node;
	ac->areq.policy = "default";
	ac->areq.pfn = ZS_NIL;
	ac->bind = b;
	ac->bind_gone = 0;
	ac->owner = zs_pagemap_at(vm->pagemap, b)->task;
	ac->fault = fault;
	ac->alloc_t0 = zs_now(vm->engine) + ac->thread->charged;
	ac->state = ACT_ALLOC;
	ac->c->run->nr_in_alloc++;
}

static void alloc_finish(struct actor *ac);

int
zs_drv_alloc_step(struct actor *ac)
{
	struct zs_vm *vm = ac->c->run->vm;

	if (vm->ops->alloc(vm, &ac->areq) == ZS_ALLOC_BLOCKED)
		return 1;
	alloc_finish(ac);
	return ac->state == ACT_IO;
}

static void
alloc_finish(struct actor *ac)
{
	struct src_ctx *c = ac->c;
	struct zs_vm *vm = c->run->vm;
	struct zs_alloc_req *a = &ac->areq;
	struct zs_binding *bd = zs_pagemap_at(vm->pagemap, ac->bind);
	int killed = ac->owner != ZS_NIL && bd->task == ZS_NIL;
	/* the source freed the handle while the allocation slept (the index may be reused) */
	int gone = ac->bind_gone;
	/* the exit's name, for events.csv only */
	const char *path = vm->event_fn && a->path >= 0 && a->path < vm->ops->nr_paths
				   ? vm->ops->paths[a->path]
				   : "";
	const struct zs_request *fb = &ac->req; /* nothing below issues a request */

	ac->state = ACT_IDLE;
	c->run->nr_in_alloc--;
	/* latency: up to the end of the allocation's CPU work, every sleep included */
	zs_metrics_alloc_done(&c->run->mx, zs_now(vm->engine) + ac->thread->charged - ac->alloc_t0,
			      a->order, a->path, a->pfn == ZS_NIL);
	zs_metrics_alloc_placement(&c->run->mx, a->pref_node, a->policy);
	if (a->path >= 0 && a->path < vm->ops->nr_paths)
		vm->path_count[a->path]++;
	if (a->pfn == ZS_NIL) {
		vm->alloc_fail++;
		vm->fail_by_order[a->order < ZS_MAX_ORDER_LIMIT ? a->order : ZS_MAX_ORDER_LIMIT]++;
		zs_vm_event(vm, "fail", a->task, (int)a->cpu, a->gfp, (int)a->order, ZS_NIL, path);
		if (gone) {
			/* nothing of the handle is left to update */
		} else if (ac->fault == 1 && bd->ps != UINT32_MAX && !killed) {
			/* the page stays on swap; the fault will be retried at the next touch */
			bd->state = ZS_BIND_SWAPPED;
		} else if (ac->fault == 2 && !killed) {
			bd->state = ZS_BIND_EVICTED;
		} else {
			release_slot(vm, bd->ps); /* pending: ps is its slot */
			task_unlink(vm, ac->bind);
			zs_pagemap_remove(vm->pagemap, ac->bind);
		}
		if (!ac->fault && c->src->ops->feedback)
			c->src->ops->feedback(c->src, fb, 0);
		return;
	}
	vm->alloc_ok++;
	zs_vm_event(vm, "alloc", a->task, (int)a->cpu, a->gfp, (int)a->order, a->pfn, path);
	if (killed || gone) {
		/* the task was OOM-killed while it waited, or the handle was freed: the page
		 * goes straight back */
		zs_vm_page(vm, a->pfn)->kind = (uint8_t)a->kind;
		if (!gone) {
			release_slot(vm, bd->ps); /* pending: ps is its slot */
			zs_pagemap_remove(vm->pagemap, ac->bind);
		}
		vm->frees++;
		zs_vm_event(vm, "free", a->task, (int)a->cpu, a->gfp, (int)a->order, a->pfn, "exit");
		vm->ops->free(vm, a->pfn, a->order, a->cpu);
		return;
	}
	/* a swap-in's slot: binding the page puts the pfn where it was (zs_vm_bind_slot) */
	uint32_t swapin_slot = ac->fault == 1 ? bd->ps : UINT32_MAX;

	bind_page(vm, ac->bind, a->pfn, a->kind);
	/* a fault through a file mapping: the PTE goes in as the page is added (do_no_page) */
	int mapped = (fb->map & ZS_REQ_MAP_FILE) && file_kind(a->kind) && vm->ops->map_file;

	if (mapped)
		vm->ops->map_file(vm, a->pfn, (fb->map & ZS_REQ_MAP_EXEC) != 0, 0);
	if (!ac->fault) {
		/* total_vm: a mapped file page counts from its first fault on (task.h) */
		if (a->kind == ZS_KIND_ANON || mapped)
			a->task->total_vm += 1u << a->order;
		if (c->src->ops->feedback)
			c->src->ops->feedback(c->src, fb, 1);
	}
	if (ac->fault == 1) {
		if (a->kind == ZS_KIND_ANON)
			a->task->swapped--;
		if (!vm->ops->swap_free && swapin_slot != UINT32_MAX) {
			zs_swap_put(&vm->swap, swapin_slot);
			swapin_slot = UINT32_MAX;
		}
	}
	/* until page_added has put the page in the swap cache, the binding holds the
	 * slot through the vm's swap-in record */
	if (swapin_slot != UINT32_MAX)
		zs_vm_swapin_begin(vm, ac->bind, a->pfn, swapin_slot);
	vm->ops->page_added(vm, a->pfn);
	zs_vm_swapin_end(vm);
	if (ac->fault) {
		/* a major fault: the task waits for the read.  DEVIATION: one request for the
		 * whole block; no file read-ahead I/O (the models' swapin_readahead queue their
		 * own request for the cluster before this one, from page_added) */
		uint64_t n = 1u << a->order;
		zs_time_t done = zs_disk_submit(&vm->disk, 0, n, NULL, NULL, 0);

		vm->pgmajfault++;
		vm->pgpgin += n;
		if (ac->fault == 1)
			vm->pswpin += n;
		ac->state = ACT_IO;
		zs_thread_sleep(ac->thread, done - zs_now(vm->engine));
	}
}

/* Link a starting task under the parent its TASK_START names, if that one lives. */
static void
start_parent(struct src_ctx *c, struct zs_task *t, const struct zs_task_attrs *a)
{
	struct zs_run *r = c->run;
	struct zs_vm *vm = r->vm;
	struct zs_task *p = NULL;

	if (a->parent_task) {
		uint32_t id = task_lookup(c, a->parent_task - 1);

		p = id != ZS_NIL ? vm->tasks[id] : NULL;
	} else if (a->parent_source && a->parent_source <= r->nsrc) {
		/* the oldest live task of that source forks this one */
		struct src_ctx *o = &r->srcs[a->parent_source - 1];

		for (; o->oldest < vm->nr_tasks; o->oldest++) {
			p = vm->tasks[o->oldest];
			if (p->source == (int)o->idx && p->alive && !p->killed)
				break;
			p = NULL;
		}
	}
	if (p && p != t && p->alive && !p->killed)
		zs_task_fork_link(vm, p, t);
}

static inline struct zs_task *
req_target(struct src_ctx *c, const struct zs_request *q)
{
	struct zs_vm *vm = c->run->vm;
	struct zs_task *t = req_task(c, q);

	if (q->type == ZS_REQ_TASK_START && (!t->alive || t->started)) {
		/* the number is reused for a new task; the old one's source learns of its kill */
		if (t->killed && !t->alive)
			zs_drv_notify_killed(c, t);
		t = zs_vm_task_new(vm, q->comm[0] ? q->comm : c->src->ops->type, 0);
		t->source = (int)c->idx;
		t->source_key = q->task;
		task_store(c, q->task, t->id);
	}
	return t;
}

struct zs_task *
zs_drv_req_target(struct src_ctx *c, const struct zs_request *q)
{
	return req_target(c, q);
}

/* A reference of ac's request lands on pfn: local or remote to the CPU it ran on. */
static void
count_touch(struct actor *ac, uint32_t pfn)
{
	struct src_ctx *c = ac->c;
	struct zs_machine *m = c->run->m;
	int from = m->cpu_node[zs_cpu_index(m, ac->req.cpu)];
	int to = zs_pfn_zone(m, pfn)->node;

	c->touches++;
	c->remote_touches += from != to;
	c->touch_distance_sum += (uint64_t)m->spec.distance[from][to];
}

int
zs_drv_issue(struct actor *ac)
{
	struct src_ctx *c = ac->c;
	struct zs_vm *vm = c->run->vm;
	struct zs_request *q = &ac->req;
	struct zs_task *t = req_target(c, q);
	uint64_t key = zs_pagemap_key(c->idx, q->handle);
	uint32_t b;

	ac->thread->cpu = (int)zs_cpu_index(vm->machine, q->cpu);
	if (!t->alive || t->killed) {
		/* an OOM victim still exiting (alloc/exit.c) issues nothing either; its
		 * source learns of the kill once it is dead and its handles are free */
		if (t->killed && !t->alive)
			zs_drv_notify_killed(c, t);
		/* a dead task issues nothing, but a FREE still names a page that may outlive it
		 * (page cache stays cached when its reader exits) */
		if (q->type == ZS_REQ_FREE) {
			if (zs_pagemap_find(vm->pagemap, key) == ZS_NIL)
				return 0;
		} else if (q->type != ZS_REQ_TASK_START) {
			return 0; /* a TASK_START reuses the number for a new task (below) */
		}
	}
	switch (q->type) {
	case ZS_REQ_TASK_START:
		t->started = 1;
		if (q->comm[0])
			snprintf(t->comm, sizeof(t->comm), "%s", q->comm);
		t->nice = q->nice;
		if (q->kthread)
			t->flags |= ZS_PF_KTHREAD;
		zs_task_set_attrs(vm, t, &q->attrs, q->root);
		start_parent(c, t, &q->attrs);
		return 0;
	case ZS_REQ_TASK_EXIT:
		zs_vm_exit_task(vm, t);
		return 0;
	case ZS_REQ_ALLOC:
		if (q->order >= (unsigned)vm->ops->max_order) {
			/* KERNEL: alloc_pages(): order >= MAX_ORDER returns NULL before __alloc_pages */
			vm->alloc_refused++;
			zs_vm_event(vm, "refused", t, ac->thread->cpu, q->gfp, q->order, ZS_NIL, "");
			if (c->src->ops->feedback)
				c->src->ops->feedback(c->src, q, 0);
			return 0;
		}
		b = zs_pagemap_find(vm->pagemap, key);
		if (b != ZS_NIL) {
			/* the source reused a live handle: the old page is gone first */
			struct zs_binding *old = zs_pagemap_at(vm->pagemap, b);
			/* read before the free: a resident binding's slot is its page's */
			uint32_t slot = zs_vm_bind_slot(vm, old);

			if (old->state == ZS_BIND_RESIDENT) {
				uint32_t pfn = old->ps;
				struct zs_page *p = zs_vm_page(vm, pfn);

				unmap_file_page(vm, old);
				p->flags &= ~ZS_PG_BOUND;
				p->owner = ZS_NIL;
				if (old->task != ZS_NIL && old->kind == ZS_KIND_ANON)
					vm->tasks[old->task]->rss--;
				vm->frees++;
				vm->ops->free(vm, pfn, old->order, (unsigned)ac->thread->cpu);
			}
			if (old->state == ZS_BIND_PENDING)
				orphan_pending(c->run, b);
			release_slot(vm, slot);
			task_unlink(vm, b);
			zs_pagemap_remove(vm->pagemap, b);
		}
		b = zs_pagemap_insert(vm->pagemap, key);
		{
			struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);

			zs_pagemap_set_gfp(vm->pagemap, b, q->gfp);
			bd->order = q->order;
			bd->kind = q->kind;
			bd->dirty = q->kind == ZS_KIND_FILE_DIRTY;
		}
		task_link(vm, t, b);
		ac->dirtied = q->kind == ZS_KIND_FILE_DIRTY;
		alloc_start(ac, t, b, q->gfp, q->order, (enum zs_page_kind)q->kind, 0);
		return zs_drv_alloc_step(ac);
	case ZS_REQ_FREE: {
		b = zs_pagemap_find(vm->pagemap, key);
		if (b == ZS_NIL) {
			vm->unknown_frees++;
			return 0;
		}
		struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);
		/* read before the free: a resident binding's slot is its page's */
		uint32_t slot = zs_vm_bind_slot(vm, bd);

		if (bd->state == ZS_BIND_RESIDENT) {
			uint32_t pfn = bd->ps;
			unsigned order = bd->order;
			struct zs_page *p = zs_vm_page(vm, pfn);

			unmap_file_page(vm, bd);
			p->flags &= ~ZS_PG_BOUND;
			p->owner = ZS_NIL;
			if (bd->task != ZS_NIL && bd->kind == ZS_KIND_ANON) {
				vm->tasks[bd->task]->rss--;
				vm->tasks[bd->task]->total_vm -= 1u << order;
			}
			vm->frees++;
			zs_vm_event(vm, "free", t, ac->thread->cpu, zs_pagemap_gfp(vm->pagemap, b), (int)order,
				    pfn, "");
			vm->ops->free(vm, pfn, order, (unsigned)ac->thread->cpu);
			bd = zs_pagemap_at(vm->pagemap, b);
		} else if (bd->task != ZS_NIL && bd->kind == ZS_KIND_ANON) {
			struct zs_task *o = vm->tasks[bd->task];

			o->total_vm -= 1u << bd->order;
			if (bd->state == ZS_BIND_SWAPPED)
				o->swapped--;
		}
		if (bd->task != ZS_NIL && (q->map & ZS_REQ_MAP_FILE) && file_kind(bd->kind) &&
		    vm->ops->map_file) {
			/* the truncated file's pages leave the mapping: saturating like exit */
			struct zs_task *o = vm->tasks[bd->task];
			uint64_t n = 1u << bd->order;

			o->total_vm -= o->total_vm < n ? o->total_vm : n;
		}
		if (bd->state == ZS_BIND_PENDING)
			orphan_pending(c->run, b);
		release_slot(vm, slot);
		task_unlink(vm, b);
		zs_pagemap_remove(vm->pagemap, b);
		return 0;
	}
	case ZS_REQ_TOUCH:
	case ZS_REQ_DIRTY: {
		b = zs_pagemap_find(vm->pagemap, key);
		/* counted where the page is (resident, or a fault's page when read in) */
		if (b == ZS_NIL)
			return 0;
		struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);
		ac->dirtied = q->type == ZS_REQ_DIRTY;
		if (bd->state == ZS_BIND_RESIDENT) {
			count_touch(ac, bd->ps);
			/* KERNEL: 2.6.18 mm/memory.c do_no_page(): an access through a mapping that
			 * has no PTE yet faults; the page is in the cache (a minor fault) */
			if ((q->map & ZS_REQ_MAP_FILE) && file_kind(bd->kind) && vm->ops->map_file &&
			    !(zs_vm_page(vm, bd->ps)->flags & ZS_PG_MAPPED))
				vm->ops->map_file(vm, bd->ps, (q->map & ZS_REQ_MAP_EXEC) != 0, 1);
			if (q->type == ZS_REQ_DIRTY) {
				bd->dirty = 1;
				vm->ops->dirty(vm, bd->ps);
			} else {
				vm->ops->touch(vm, bd->ps);
			}
			return 0;
		}
		if (bd->state == ZS_BIND_SWAPPED && vm->ops->swap_cache_find) {
			uint32_t pfn = vm->ops->swap_cache_find(vm, bd->ps);

			if (pfn != ZS_NIL) {
				/* a minor fault: still in the swap cache */
				if (bd->task != ZS_NIL && bd->kind == ZS_KIND_ANON)
					vm->tasks[bd->task]->swapped--;
				bind_page(vm, b, pfn, (enum zs_page_kind)bd->kind);
				count_touch(ac, pfn);
				if (q->type == ZS_REQ_DIRTY)
					vm->ops->dirty(vm, pfn);
				else
					vm->ops->touch(vm, pfn);
				return 0;
			}
		}
		/* a major fault: allocate and read the page back */
		int fault = bd->state == ZS_BIND_SWAPPED ? 1 : 2;
		uint32_t gfp = zs_pagemap_gfp(vm->pagemap, b);
		unsigned order = bd->order;
		enum zs_page_kind kind = bd->kind == ZS_KIND_FILE_DIRTY ? ZS_KIND_FILE_CLEAN
								       : (enum zs_page_kind)bd->kind;
		bd->state = ZS_BIND_PENDING;
		alloc_start(ac, t, b, gfp, order, kind, fault);
		return zs_drv_alloc_step(ac);
	}
	default:
		return 0;
	}
}


void
zs_drv_io_done(struct actor *ac)
{
	struct zs_vm *vm = ac->c->run->vm;
	struct zs_binding *bd;

	ac->state = ACT_IDLE;
	if (ac->areq.pfn == ZS_NIL)
		return;
	bd = zs_pagemap_at(vm->pagemap, ac->bind);
	if (zs_bind_pfn(bd) != ac->areq.pfn)
		return; /* the page went away while it was read (an exit, a reclaim) */
	if (ac->req.type == ZS_REQ_TOUCH || ac->req.type == ZS_REQ_DIRTY)
		count_touch(ac, ac->areq.pfn);
	if (ac->req.type == ZS_REQ_DIRTY) {
		bd->dirty = 1;
		vm->ops->dirty(vm, ac->areq.pfn);
	} else {
		vm->ops->touch(vm, ac->areq.pfn);
	}
}

int
zs_drv_dirty_step(struct actor *ac)
{
	struct zs_vm *vm = ac->c->run->vm;

	if (ac->state != ACT_DIRTY) {
		ac->dirtied = 0;
		if (!vm->ops->balance_dirty)
			return 0;
		memset(&ac->dreq, 0, sizeof(ac->dreq));
		ac->dreq.thread = ac->thread;
		ac->dreq.task = zs_drv_req_target(ac->c, &ac->req);
		ac->dreq.cpu = (unsigned)ac->thread->cpu;
		ac->state = ACT_DIRTY;
	}
	if (vm->ops->balance_dirty(vm, &ac->dreq) == ZS_ALLOC_BLOCKED)
		return 1;
	ac->state = ACT_IDLE;
	return 0;
}
