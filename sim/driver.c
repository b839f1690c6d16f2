/*
 * driver.c - runs a scenario: sources -> requests -> kernel model (tasks,
 * bindings, faults, swap-in), and the tick that samples it; the files it
 * writes are metrics.c's.  See driver.h.
 */
#include "sim/driver.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "alloc/buddy.h"
#include "sim/metrics.h"
#include "sim/rng.h"
#include "sim/sched.h"
#include "workloads/source.h"

struct zs_run;

/* What a driver thread is doing between steps. */
enum src_state {
	SRC_IDLE = 0,   /* fetch and issue the next request */
	SRC_ALLOC,      /* inside ops->alloc (blocked or about to resume) */
	SRC_IO,         /* waiting for a fault's disk read */
	SRC_DIRTY,      /* inside ops->balance_dirty (the writer is throttled) */
	SRC_DONE
};

struct src_ctx {
	struct zs_run *run;
	unsigned idx;
	struct zs_source *src;
	struct zs_thread *thread;
	struct zs_request req;
	int have_req;
	enum src_state state;
	struct zs_alloc_req areq;
	uint32_t bind;       /* binding being allocated for */
	uint32_t owner;      /* the binding's task when the allocation started (ZS_NIL: page cache
				without an owner); a change to ZS_NIL meanwhile means an OOM kill */
	int fault;           /* the allocation serves a fault (0, 1 swap-in, 2 file read-in) */
	zs_time_t alloc_t0;  /* when it was asked for (after the step's CPU work): its latency */
	/* source task number -> vm task id (open addressing) */
	uint64_t *tkeys;
	uint32_t *tvals;
	uint32_t tcap, tn;
	uint64_t requests;
	uint32_t oldest;     /* no task of this source below this id is alive (parent_source) */
	int dirtied;         /* the request dirtied page cache: balance_dirty when it is done */
	struct zs_alloc_req dreq; /* the balance_dirty call in progress */
};

struct zs_run {
	struct zs_scenario *sc;
	struct zs_machine *m;
	struct zs_engine *e;
	struct zs_vm *vm;
	struct zs_rng *model_rng;
	struct src_ctx *srcs;
	unsigned nsrc;
	struct zs_metrics mx;  /* ticks.csv, events.csv, summary.txt */
	int progress;
	int64_t tick_ns;
	uint64_t tick;
	int failed;
	struct zs_error err;
	time_t wall_last, wall_start; /* progress: last line shown, start of the run */
	struct zs_error check_err;  /* what the invariant checker found */
	int check_failed;
	int auto_duration;    /* duration: auto */
	int64_t end_ns;       /* when the run ended */
	int64_t last_step_ns; /* when a request last started or completed (stall detector) */
	int64_t stalled_ns;   /* when the run was ended as stalled; 0: it was not */
};

struct zs_vm *
zs_run_vm(struct zs_run *r)
{
	return r->vm;
}

void
zs_run_latency_hist(struct zs_run *r, FILE *f)
{
	zs_metrics_latency_hist(&r->mx, f);
}

/* ---- task map ---- */

static uint32_t
task_lookup(struct src_ctx *c, uint32_t key)
{
	if (!c->tcap)
		return ZS_NIL;
	for (uint32_t h = (key * 2654435761u) & (c->tcap - 1);; h = (h + 1) & (c->tcap - 1)) {
		if (c->tkeys[h] == UINT64_MAX)
			return ZS_NIL;
		if (c->tkeys[h] == key)
			return c->tvals[h];
	}
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

	bd->pfn = pfn;
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

/* ---- requests ---- */

static void
notify_killed(struct src_ctx *c, struct zs_task *t)
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

/* Start an allocation for binding b (new, or a fault).  Returns 1 if it blocked. */
static int
alloc_start(struct src_ctx *c, struct zs_task *t, uint32_t b, uint32_t gfp, unsigned order,
	    enum zs_page_kind kind, int fault)
{
	struct zs_vm *vm = c->run->vm;

	memset(&c->areq, 0, sizeof(c->areq));
	c->areq.thread = c->thread;
	c->areq.task = t;
	c->areq.gfp = gfp;
	c->areq.order = order;
	c->areq.cpu = c->thread->cpu;
	c->areq.kind = kind;
	c->areq.node = vm->machine->cpu_node[c->thread->cpu];
	c->areq.pfn = ZS_NIL;
	c->bind = b;
	c->owner = zs_pagemap_at(vm->pagemap, b)->task;
	c->fault = fault;
	c->alloc_t0 = zs_now(vm->engine) + c->thread->charged;
	c->state = SRC_ALLOC;
	return 0;
}

static void alloc_finish(struct src_ctx *c);

/* Call into the model; 1 if the allocation blocked (the thread already sleeps). */
static int
alloc_step(struct src_ctx *c)
{
	struct zs_vm *vm = c->run->vm;

	if (vm->ops->alloc(vm, &c->areq) == ZS_ALLOC_BLOCKED)
		return 1;
	alloc_finish(c);
	return c->state == SRC_IO;
}

static void
alloc_finish(struct src_ctx *c)
{
	struct zs_vm *vm = c->run->vm;
	struct zs_alloc_req *a = &c->areq;
	struct zs_binding *bd = zs_pagemap_at(vm->pagemap, c->bind);
	int killed = c->owner != ZS_NIL && bd->task == ZS_NIL;
	const char *path = a->path >= 0 && a->path < vm->ops->nr_paths ? vm->ops->paths[a->path] : "";
	struct zs_request fb = c->req;

	c->state = SRC_IDLE;
	/* latency: up to the end of the allocation's CPU work, every sleep included */
	zs_metrics_alloc_done(&c->run->mx, zs_now(vm->engine) + c->thread->charged - c->alloc_t0,
			      a->order, a->path, a->pfn == ZS_NIL);
	if (a->path >= 0 && a->path < vm->ops->nr_paths)
		vm->path_count[a->path]++;
	if (a->pfn == ZS_NIL) {
		vm->alloc_fail++;
		vm->fail_by_order[a->order < ZS_MAX_ORDER_LIMIT ? a->order : ZS_MAX_ORDER_LIMIT]++;
		zs_vm_event(vm, "fail", a->task, (int)a->cpu, a->gfp, (int)a->order, ZS_NIL, path);
		if (c->fault == 1 && bd->slot != UINT32_MAX && !killed) {
			/* the page stays on swap; the fault will be retried at the next touch */
			bd->state = ZS_BIND_SWAPPED;
		} else if (c->fault == 2 && !killed) {
			bd->state = ZS_BIND_EVICTED;
		} else {
			release_slot(vm, bd->slot);
			task_unlink(vm, c->bind);
			zs_pagemap_remove(vm->pagemap, c->bind);
		}
		if (!c->fault && c->src->ops->feedback)
			c->src->ops->feedback(c->src, &fb, 0);
		return;
	}
	vm->alloc_ok++;
	zs_vm_event(vm, "alloc", a->task, (int)a->cpu, a->gfp, (int)a->order, a->pfn, path);
	if (killed) {
		/* the task was OOM-killed while it waited: the page goes straight back */
		zs_vm_page(vm, a->pfn)->kind = (uint8_t)a->kind;
		release_slot(vm, bd->slot);
		zs_pagemap_remove(vm->pagemap, c->bind);
		vm->frees++;
		zs_vm_event(vm, "free", a->task, (int)a->cpu, a->gfp, (int)a->order, a->pfn, "exit");
		vm->ops->free(vm, a->pfn, a->order, a->cpu);
		return;
	}
	bind_page(vm, c->bind, a->pfn, a->kind);
	if (!c->fault) {
		if (a->kind == ZS_KIND_ANON)
			a->task->total_vm += 1u << a->order;
		if (c->src->ops->feedback)
			c->src->ops->feedback(c->src, &fb, 1);
	}
	if (c->fault == 1) {
		if (a->kind == ZS_KIND_ANON)
			a->task->swapped--;
		if (!vm->ops->swap_free) {
			zs_swap_put(&vm->swap, bd->slot);
			bd->slot = UINT32_MAX;
		}
	}
	vm->ops->page_added(vm, a->pfn);
	if (c->fault) {
		/* a major fault: the task waits for the read.  DEVIATION: one request for the
		 * whole block; no swap or file read-ahead (2.4 page_cluster, 2.6 readahead) */
		uint64_t n = 1u << a->order;
		zs_time_t done = zs_disk_submit(&vm->disk, 0, n, NULL, NULL, 0);

		vm->pgmajfault++;
		vm->pgpgin += n;
		if (c->fault == 1)
			vm->pswpin += n;
		c->state = SRC_IO;
		zs_thread_sleep(c->thread, done - zs_now(vm->engine));
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

/* Issue c->req.  Returns 1 when the thread is now blocked (it already chose its sleep). */
static int
issue(struct src_ctx *c)
{
	struct zs_run *r = c->run;
	struct zs_vm *vm = r->vm;
	struct zs_request *q = &c->req;
	struct zs_task *t = req_task(c, q);
	uint64_t key = zs_pagemap_key(c->idx, q->handle);
	uint32_t b;

	c->thread->cpu = (int)(q->cpu % (unsigned)vm->machine->nr_cpus);
	if (!t->alive || t->killed) {
		/* an OOM victim still exiting (alloc/exit.c) issues nothing either; its
		 * source learns of the kill once it is dead and its handles are free */
		if (t->killed && !t->alive)
			notify_killed(c, t);
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
		if (!t->alive || t->started) {
			t = zs_vm_task_new(vm, q->comm[0] ? q->comm : c->src->ops->type, 0);
			t->source = (int)c->idx;
			t->source_key = q->task;
			task_store(c, q->task, t->id);
		}
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
			zs_vm_event(vm, "refused", t, c->thread->cpu, q->gfp, q->order, ZS_NIL, "");
			if (c->src->ops->feedback)
				c->src->ops->feedback(c->src, q, 0);
			return 0;
		}
		b = zs_pagemap_find(vm->pagemap, key);
		if (b != ZS_NIL) {
			/* the source reused a live handle: the old page is gone first */
			struct zs_binding *old = zs_pagemap_at(vm->pagemap, b);

			if (old->state == ZS_BIND_RESIDENT) {
				uint32_t pfn = old->pfn;
				struct zs_page *p = zs_vm_page(vm, pfn);

				p->flags &= ~ZS_PG_BOUND;
				p->owner = ZS_NIL;
				if (old->task != ZS_NIL && old->kind == ZS_KIND_ANON)
					vm->tasks[old->task]->rss--;
				vm->frees++;
				vm->ops->free(vm, pfn, old->order, (unsigned)c->thread->cpu);
			}
			release_slot(vm, old->slot);
			task_unlink(vm, b);
			zs_pagemap_remove(vm->pagemap, b);
		}
		b = zs_pagemap_insert(vm->pagemap, key);
		{
			struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);

			bd->gfp = q->gfp;
			bd->order = q->order;
			bd->kind = q->kind;
			bd->dirty = q->kind == ZS_KIND_FILE_DIRTY;
		}
		task_link(vm, t, b);
		c->dirtied = q->kind == ZS_KIND_FILE_DIRTY;
		alloc_start(c, t, b, q->gfp, q->order, (enum zs_page_kind)q->kind, 0);
		return alloc_step(c);
	case ZS_REQ_FREE: {
		b = zs_pagemap_find(vm->pagemap, key);
		if (b == ZS_NIL) {
			vm->unknown_frees++;
			return 0;
		}
		struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);
		if (bd->state == ZS_BIND_RESIDENT) {
			uint32_t pfn = bd->pfn;
			unsigned order = bd->order;
			struct zs_page *p = zs_vm_page(vm, pfn);

			p->flags &= ~ZS_PG_BOUND;
			p->owner = ZS_NIL;
			if (bd->task != ZS_NIL && bd->kind == ZS_KIND_ANON) {
				vm->tasks[bd->task]->rss--;
				vm->tasks[bd->task]->total_vm -= 1u << order;
			}
			vm->frees++;
			zs_vm_event(vm, "free", t, c->thread->cpu, bd->gfp, (int)order, pfn, "");
			vm->ops->free(vm, pfn, order, (unsigned)c->thread->cpu);
			bd = zs_pagemap_at(vm->pagemap, b);
		} else if (bd->task != ZS_NIL && bd->kind == ZS_KIND_ANON) {
			struct zs_task *o = vm->tasks[bd->task];

			o->total_vm -= 1u << bd->order;
			if (bd->state == ZS_BIND_SWAPPED)
				o->swapped--;
		}
		release_slot(vm, bd->slot);
		task_unlink(vm, b);
		zs_pagemap_remove(vm->pagemap, b);
		return 0;
	}
	case ZS_REQ_TOUCH:
	case ZS_REQ_DIRTY: {
		b = zs_pagemap_find(vm->pagemap, key);
		if (b == ZS_NIL)
			return 0;
		struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);
		c->dirtied = q->type == ZS_REQ_DIRTY;
		if (bd->state == ZS_BIND_RESIDENT) {
			if (q->type == ZS_REQ_DIRTY) {
				bd->dirty = 1;
				vm->ops->dirty(vm, bd->pfn);
			} else {
				vm->ops->touch(vm, bd->pfn);
			}
			return 0;
		}
		if (bd->state == ZS_BIND_SWAPPED && vm->ops->swap_cache_find) {
			uint32_t pfn = vm->ops->swap_cache_find(vm, bd->slot);

			if (pfn != ZS_NIL) {
				/* a minor fault: still in the swap cache */
				if (bd->task != ZS_NIL && bd->kind == ZS_KIND_ANON)
					vm->tasks[bd->task]->swapped--;
				bind_page(vm, b, pfn, (enum zs_page_kind)bd->kind);
				if (q->type == ZS_REQ_DIRTY)
					vm->ops->dirty(vm, pfn);
				else
					vm->ops->touch(vm, pfn);
				return 0;
			}
		}
		/* a major fault: allocate and read the page back */
		int fault = bd->state == ZS_BIND_SWAPPED ? 1 : 2;
		uint32_t gfp = bd->gfp;
		unsigned order = bd->order;
		enum zs_page_kind kind = bd->kind == ZS_KIND_FILE_DIRTY ? ZS_KIND_FILE_CLEAN
								       : (enum zs_page_kind)bd->kind;
		bd->state = ZS_BIND_PENDING;
		alloc_start(c, t, b, gfp, order, kind, fault);
		return alloc_step(c);
	}
	default:
		return 0;
	}
}

static void
src_fail(struct src_ctx *c, struct zs_error *err)
{
	struct zs_run *r = c->run;

	if (!r->failed) {
		r->failed = 1;
		r->err = *err;
	}
	zs_engine_stop(r->e);
}

/* ops->balance_dirty for the request just done; 1 if the writer now sleeps. */
static int
dirty_step(struct src_ctx *c)
{
	struct zs_vm *vm = c->run->vm;

	if (c->state != SRC_DIRTY) {
		c->dirtied = 0;
		if (!vm->ops->balance_dirty)
			return 0;
		memset(&c->dreq, 0, sizeof(c->dreq));
		c->dreq.thread = c->thread;
		c->dreq.task = req_task(c, &c->req);
		c->dreq.cpu = (unsigned)c->thread->cpu;
		c->state = SRC_DIRTY;
	}
	if (vm->ops->balance_dirty(vm, &c->dreq) == ZS_ALLOC_BLOCKED)
		return 1;
	c->state = SRC_IDLE;
	return 0;
}

static void
src_run(struct zs_thread *th)
{
	struct src_ctx *c = th->priv;
	struct zs_engine *e = c->run->e;
	struct zs_error err = {0, ""};

	for (;;) {
		if (c->state == SRC_ALLOC) {
			if (alloc_step(c))
				return;
			c->run->last_step_ns = zs_now(e);
		} else if (c->state == SRC_IO) {
			/* the read finished: the access that faulted completes now */
			struct zs_vm *vm = c->run->vm;

			c->state = SRC_IDLE;
			if (c->areq.pfn != ZS_NIL &&
			    zs_pagemap_at(vm->pagemap, c->bind)->pfn == c->areq.pfn) {
				if (c->req.type == ZS_REQ_DIRTY) {
					zs_pagemap_at(vm->pagemap, c->bind)->dirty = 1;
					vm->ops->dirty(vm, c->areq.pfn);
				} else {
					vm->ops->touch(vm, c->areq.pfn);
				}
			}
		}
		if ((c->state == SRC_DIRTY || (c->state == SRC_IDLE && c->dirtied)) &&
		    dirty_step(c))
			return;
		if (th->charged > 0) {
			/* CPU time spent in the kernel delays the next request */
			zs_thread_yield(th);
			return;
		}
		if (!c->have_req) {
			int rc = c->src->ops->next(c->src, &c->req, &err);

			if (rc < 0) {
				src_fail(c, &err);
				c->state = SRC_DONE;
				zs_thread_exit(th);
				return;
			}
			if (rc == 0) {
				c->state = SRC_DONE;
				zs_thread_exit(th);
				return;
			}
			c->have_req = 1;
			c->requests++;
		}
		if (c->req.time > zs_now(e)) {
			zs_thread_sleep(th, c->req.time - zs_now(e));
			return;
		}
		c->have_req = 0;
		c->run->last_step_ns = zs_now(e);
		if (issue(c))
			return;
	}
}

static int
sources_done(struct zs_run *r)
{
	for (unsigned i = 0; i < r->nsrc; i++)
		if (r->srcs[i].state != SRC_DONE)
			return 0;
	return 1;
}

/*
 * A stall: some source has waited in one allocation for ZS_STALL_NS while no
 * request of any source started or completed (daemons may still run).  Such a
 * run would go on until its duration - forever with `duration: auto` - so it
 * ends here, and the summary says when.  A source that sleeps until its next
 * request's time is not stalled.
 * KERNEL: 2.6.32 kernel/hung_task.c: 120 s, sysctl_hung_task_timeout_secs, after
 * which khungtaskd reports a task blocked in D state.
 */
#define ZS_STALL_NS (120 * ZS_NS_PER_SEC)

static int
stalled(struct zs_run *r)
{
	if (zs_now(r->e) - r->last_step_ns < ZS_STALL_NS)
		return 0;
	for (unsigned i = 0; i < r->nsrc; i++)
		if (r->srcs[i].state == SRC_ALLOC)
			return 1;
	return 0;
}

static void
tick_event(void *arg, uint64_t data)
{
	struct zs_run *r = arg;

	(void)data;
	zs_metrics_tick(&r->mx, r->tick);
	r->tick++;
	if (stalled(r)) {
		r->stalled_ns = r->end_ns = zs_now(r->e);
		zs_engine_stop(r->e);
		return;
	}
	if (r->auto_duration && sources_done(r)) {
		/* `duration: auto`: this was the last tick */
		r->end_ns = zs_now(r->e);
		zs_engine_stop(r->e);
		return;
	}
	if (r->progress) {
		time_t now = time(NULL);

		if (now != r->wall_last) {
			r->wall_last = now;
			double sim = (double)zs_now(r->e) / 1e9, wall = difftime(now, r->wall_start);

			/* auto: the end is not known, so there is no ETA, only the rate so far */
			if (r->auto_duration)
				fprintf(stderr, "\rzsim: %s %.2fs simulated in %.0fs   ", r->sc->name, sim,
					wall);
			else
				fprintf(stderr, "\rzsim: %s %.1f%% (%.2fs of %.2fs simulated), ETA %.0fs   ",
					r->sc->name, 100.0 * sim * 1e9 / (double)r->sc->duration_ns, sim,
					(double)r->sc->duration_ns / 1e9,
					sim > 0 ? wall * ((double)r->sc->duration_ns / 1e9 - sim) / sim : 0.0);
		}
	}
	if (r->auto_duration || zs_now(r->e) + r->tick_ns <= r->sc->duration_ns)
		zs_event_at(r->e, zs_now(r->e) + r->tick_ns, tick_event, r, 0);
}

/* The invariant checker after every event (tests, `make debug`, output.check). */
static void
check_after_event(void *cookie)
{
	struct zs_run *r = cookie;

	if (!r->check_failed && zs_vm_check(r->vm, &r->check_err)) {
		r->check_failed = 1;
		zs_engine_stop(r->e);
	}
	if (!r->check_failed && zs_engine_sched_check(r->e)) {
		/* served CPU time above CPUs x time, or a run queue out of step */
		zs_error_set(&r->check_err, EX_SOFTWARE, "scheduler invariant broken at %lld ns",
			     (long long)zs_now(r->e));
		r->check_failed = 1;
		zs_engine_stop(r->e);
	}
}

/* ---- build and run ---- */

struct zs_run *
zs_run_create(struct zs_scenario *sc, struct zs_error *err)
{
	struct zs_run *r = calloc(1, sizeof(*r));
	const struct zs_policy_ops *ops = zs_policy_for(sc->kver);

	if (!r) {
		zs_error_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	r->sc = sc;
	r->auto_duration = sc->duration_ns == 0;
	r->m = zs_machine_create(&sc->machine, err);
	r->e = zs_engine_create();
	if (!r->m || !r->e) {
		if (r->m && !r->e)
			zs_error_set(err, EX_OSERR, "out of memory");
		zs_run_destroy(r);
		return NULL;
	}
	if (!sc->sched_none) {
		/* the CPUs are shared under the era's scheduler, before any thread exists */
		struct zs_sched_params sp;

		zs_sched_params_for(sc->kver, r->m->spec.hz ? r->m->spec.hz : 100, r->m->nr_cpus,
				    &sp);
		zs_engine_set_sched(r->e, &sp);
	}
	struct zs_cfg *kcfg = sc->kernel;
	struct zs_cfg *empty = NULL;
	if (!kcfg)
		kcfg = empty = zs_cfg_new_map(sc->path);
	r->model_rng = zs_rng_create(sc->seed, "kernel", 0);
	r->vm = zs_vm_create(r->m, r->e, ops, kcfg, r->model_rng, err);
	zs_cfg_free(empty);
	if (!r->vm) {
		zs_run_destroy(r);
		return NULL;
	}
	r->nsrc = sc->workload ? (unsigned)sc->workload->n : 0;
	r->srcs = calloc(r->nsrc + 1, sizeof(*r->srcs));
	if (!r->srcs) {
		zs_error_set(err, EX_OSERR, "out of memory");
		zs_run_destroy(r);
		return NULL;
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", sc->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	for (unsigned i = 0; i < r->nsrc; i++) {
		struct src_ctx *c = &r->srcs[i];
		struct zs_source_env env = {
			.kver = sc->kver,
			.nr_cpus = r->m->nr_cpus,
			.machine_pages = r->m->nr_pages,
			.duration_ns = sc->duration_ns ? sc->duration_ns : INT64_MAX / 4,
			.rng = zs_rng_create(sc->seed, "workload", i),
			.scenario_dir = dir,
			.index = i,
			.nr_sources = r->nsrc,
			.machine = r->m,
		};

		c->run = r;
		c->idx = i;
		c->src = zs_source_create(sc->workload->vals[i], &env, err);
		if (!c->src) {
			zs_rng_destroy(env.rng);
			zs_run_destroy(r);
			return NULL;
		}
		/* scenario_dir was valid during create only */
		c->src->env.scenario_dir = NULL;
	}
	return r;
}

int
zs_run_execute(struct zs_run *r, FILE *ticks, FILE *events, FILE *summary, int progress,
	       struct zs_error *err)
{
	struct zs_vm *vm = r->vm;
	int check = r->sc->check;

#ifdef ZS_DEBUG
	check = 1;
#endif
	r->progress = progress;
	r->wall_start = r->wall_last = time(NULL);
	r->tick_ns = ZS_NS_PER_SEC / vm->hz;
	if (zs_metrics_open(&r->mx, vm, r->e, r->sc->seed, ticks, events, err))
		return -1;
	for (unsigned i = 0; i < r->nsrc; i++) {
		char name[24];

		snprintf(name, sizeof(name), "source%u", i);
		r->srcs[i].thread = zs_thread_create(r->e, name, 0, src_run, &r->srcs[i], 0);
		zs_thread_set_task(r->srcs[i].thread);
	}
	zs_event_at(r->e, 0, tick_event, r, 0);

	zs_engine_run(r->e, r->auto_duration ? ZS_MAX_DURATION_NS : r->sc->duration_ns,
		      check ? check_after_event : NULL, r);
	if (!r->auto_duration && !r->stalled_ns)
		r->end_ns = r->sc->duration_ns;
	else if (!r->end_ns && !r->failed && !r->check_failed)
		r->end_ns = ZS_MAX_DURATION_NS; /* `auto` that reached the longest run */
	if (progress)
		fputc('\n', stderr);
	if (r->failed) {
		*err = r->err;
		return -1;
	}
	if (r->check_failed || (check && zs_vm_check(vm, &r->check_err))) {
		*err = r->check_err;
		return -1;
	}
	for (unsigned i = 0; i < r->nsrc; i++)
		if (r->srcs[i].state == SRC_ALLOC)
			zs_metrics_alloc_pending(&r->mx, r->end_ns - r->srcs[i].alloc_t0);
	if (summary) {
		zs_metrics_summary(&r->mx, summary, r->sc->path, r->sc->seed, r->end_ns);
		for (unsigned i = 0; i < r->nsrc; i++)
			zs_metrics_summary_source(summary, i, r->srcs[i].src, r->srcs[i].requests);
		if (r->stalled_ns) /* only then, so a run without a stall keeps its summary */
			fprintf(summary, "stalled_ns: %" PRId64 "\n", r->stalled_ns);
	}
	return 0;
}

int64_t
zs_run_stalled_ns(const struct zs_run *r)
{
	return r->stalled_ns;
}

struct zs_engine *
zs_run_engine(struct zs_run *r)
{
	return r->e;
}

void
zs_run_destroy(struct zs_run *r)
{
	if (!r)
		return;
	for (unsigned i = 0; r->srcs && i < r->nsrc; i++) {
		struct src_ctx *c = &r->srcs[i];

		if (c->src) {
			struct zs_rng *rng = c->src->env.rng;

			zs_source_destroy(c->src);
			zs_rng_destroy(rng);
		}
		free(c->tkeys);
		free(c->tvals);
	}
	free(r->srcs);
	zs_vm_destroy(r->vm);
	zs_rng_destroy(r->model_rng);
	zs_engine_destroy(r->e);
	zs_machine_destroy(r->m);
	zs_metrics_close(&r->mx);
	free(r);
}
