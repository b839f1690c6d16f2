/*
 * gen_anon.c - the `anon` generator: processes with private anonymous memory.
 *
 * Tasks arrive as a Poisson process (plus `initial_tasks` at time 0).  Each
 * draws a footprint and a lifetime, faults its footprint in page by page at
 * `alloc_rate` (ALLOC, kind anon), references its pages at `touch_rate` with
 * Zipf locality over the pages it has (DIRTY for a write, TOUCH otherwise), and
 * exits at the end of its lifetime (TASK_EXIT: the driver frees what it owns).
 * With `grow`, a task keeps faulting pages in after its footprint until it
 * exits or is killed: the shape of a leak or a runaway allocator, and how OOM
 * scenarios are made.
 *
 * Every task has three event streams (next fault, next reference, exit); a
 * binary heap keyed by each task's earliest event merges the tasks, so a
 * request costs O(log tasks) and no allocation.
 *
 * Closed loop (source.h): a task that issued a request is busy, off the heap,
 * until done() says when the request completed; its fault and reference
 * streams then move later by the delay (the time it waited beyond the
 * request's own time: a major fault, reclaim, the run queue), so a thrashing
 * task references less often.  Its exit stays on its own clock (the
 * lifetime), taken as soon as it is free.  Arrivals are open (users start
 * processes whatever the machine does).
 *
 * Handles: (slot << 24) | page index, slot < 2^16 being the task's place in the
 * slot table; a slot is reused only after its task's TASK_EXIT was issued (or
 * the task was killed), when the driver has freed every page of it, so a handle
 * is unique while its page lives.  Task numbers are a serial, never reused.
 *
 * Invariant: a live task in state RUN has exactly one heap entry that is valid
 * (matching slot and serial); a BUSY one has none.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/diag.h"
#include "sim/rng.h"
#include "workloads/dist.h"
#include "workloads/gen_node.h"
#include "workloads/gen_task.h"
#include "workloads/gen_util.h"
#include "workloads/source.h"

#define ANON_PAGE_BITS 24
#define ANON_SLOT_BITS (ZS_GEN_HANDLE_BITS - ANON_PAGE_BITS)
#define ANON_MAX_PAGES (1ull << ANON_PAGE_BITS)  /* per task: 64 GiB */
#define ANON_MAX_SLOTS (1u << ANON_SLOT_BITS)    /* live tasks at once */

enum { T_RUN = 0, T_BUSY = 1 };

struct anon_task {
	uint32_t serial;   /* the task number in requests */
	uint32_t slot;
	uint8_t state;
	uint8_t fault_failed; /* its last fault got no page: it exits when it is free */
	uint16_t cpu;
	uint64_t footprint; /* pages faulted in before it stops (or starts growing) */
	uint64_t nr_pages;  /* pages faulted in so far: handles slot<<24 | [0, nr_pages) */
	int64_t next_alloc; /* ZS_GEN_NEVER once it stops allocating */
	int64_t next_touch;
	int64_t exit_at;
	struct zs_rng *rng; /* its own draws (footprint, lifetime, gaps, pages, writes) */
};

struct anon {
	/* parameters */
	double arrival_rate;
	uint64_t initial_tasks, max_tasks;
	struct zs_dist footprint, lifetime;
	double alloc_rate, touch_rate, locality, write_fraction, grow_rate;
	uint32_t gfp;
	char comm[16];
	int nice, root, cpu;
	struct zs_task_attrs attrs;

	/* state */
	struct zs_rng *rng;           /* arrivals */
	uint64_t task_seed;           /* per-task streams: (task_seed, "anon-task", arrival) */
	struct zs_gen_cpus cpus;     /* the machine's CPUs, or node:'s */
	int64_t end, next_arrival;
	uint32_t next_serial;
	struct anon_task **slot;      /* by slot number, NULL when free */
	uint32_t nr_slots;            /* slots ever used (the table's high-water mark) */
	uint32_t *free_slots, nr_free;
	struct zs_evheap heap;
	struct zs_zipf zipf;

	/* counters for summary.txt */
	uint64_t tasks_started, tasks_exited, tasks_killed, tasks_alloc_failed, tasks_dropped;
	uint64_t pages_alloc, touches, dirties, grow_capped;
};

static const char *const anon_keys[] = {
	"type",     "arrival_rate", "initial_tasks", "max_tasks", "footprint", "lifetime",
	"alloc_rate", "touch_rate", "locality",  "write_fraction", "grow", "gfp",
	"comm",     "nice",         "root",      "cpu",        ZS_GEN_TASK_KEYS, ZS_GEN_NODE_KEYS, NULL};

static int
read_grow(struct zs_cfg *cfg, struct anon *a, struct zs_error *err)
{
	struct zs_cfg *n = zs_cfg_get(cfg, "grow");
	int on = 0;

	if (!n)
		return 0;
	if (n->type == ZS_CFG_SCALAR && n->scalar && !zs_cfg_bool(cfg, "grow", &on, NULL)) {
		a->grow_rate = on ? a->alloc_rate : 0;
		return 0;
	}
	if (zs_cfg_double(cfg, "grow", 0, 1e12, &a->grow_rate, err))
		return zs_cfg_error(n, err, "'grow' must be true, false or pages per second");
	return 0;
}

static int
anon_create(struct zs_source *s, struct zs_cfg *cfg, const struct zs_source_env *env,
	    struct zs_error *err)
{
	struct anon *a = calloc(1, sizeof(*a));
	int64_t v;

	if (!a)
		return zs_error_set(err, EX_OSERR, "out of memory");
	s->priv = a;
	a->arrival_rate = 1.0;
	a->footprint = zs_dist_const(ZS_UNIT_PAGES, 4096); /* 16 MiB */
	a->lifetime = zs_dist_exponential(ZS_UNIT_NS, 10e9);
	a->alloc_rate = 25600; /* 100 MiB/s of first-touch faults */
	a->touch_rate = 1000;
	a->locality = 1.0;
	a->write_fraction = 0.3;
	snprintf(a->comm, sizeof(a->comm), "anon");
	a->cpu = -1;

	if (zs_cfg_check_keys(cfg, anon_keys, err) ||
	    zs_gen_rate(cfg, "arrival_rate", &a->arrival_rate, err) ||
	    zs_cfg_uint(cfg, "initial_tasks", 0, ZS_GEN_TASK_LIMIT - 1, &a->initial_tasks, err) ||
	    zs_cfg_uint(cfg, "max_tasks", 0, ZS_GEN_TASK_LIMIT - 1, &a->max_tasks, err) ||
	    zs_dist_get(cfg, "footprint", ZS_UNIT_PAGES, &a->footprint, err) ||
	    zs_dist_get(cfg, "lifetime", ZS_UNIT_NS, &a->lifetime, err) ||
	    zs_gen_rate(cfg, "alloc_rate", &a->alloc_rate, err) ||
	    zs_gen_rate(cfg, "touch_rate", &a->touch_rate, err) ||
	    zs_cfg_double(cfg, "locality", 0, 10, &a->locality, err) ||
	    zs_cfg_double(cfg, "write_fraction", 0, 1, &a->write_fraction, err) ||
	    read_grow(cfg, a, err) || zs_gen_comm(cfg, "comm", a->comm, err))
		return -1;
	if (!(a->alloc_rate > 0))
		return zs_cfg_error(zs_cfg_get(cfg, "alloc_rate"), err,
				    "'alloc_rate' must be greater than 0");
	/*
	 * KERNEL: 2.4.0 mm/memory.c do_anonymous_page() alloc_page(GFP_HIGHUSER);
	 * 2.6.18 the same; 2.6.32 alloc_zeroed_user_highpage_movable() (movable
	 * since 2.6.24), which matters for 2.6.32's migratetype grouping.
	 */
	if (zs_gen_gfp(cfg, "gfp", env->kver,
		       env->kver == ZS_KV_2632 ? "GFP_HIGHUSER_MOVABLE" : "GFP_HIGHUSER", &a->gfp, err))
		return -1;
	v = 0;
	if (zs_cfg_int(cfg, "nice", -20, 19, &v, err))
		return -1;
	a->nice = (int)v;
	if (zs_cfg_bool(cfg, "root", &a->root, err) ||
	    zs_gen_task_attrs(cfg, env, a->root, &a->attrs, err))
		return -1;
	v = -1;
	if (zs_cfg_int(cfg, "cpu", -1, 65535, &v, err))
		return -1;
	a->cpu = (int)v;
	if (zs_gen_node_cpus(cfg, env, a->cpu, &a->cpus, err))
		return -1;

	a->rng = env->rng;
	a->task_seed = zs_rng_uniform_int(a->rng, UINT64_MAX);
	a->end = zs_gen_end(env->duration_ns);
	zs_zipf_init(&a->zipf, a->locality);
	if (a->initial_tasks)
		a->next_arrival = 0;
	else
		a->next_arrival = zs_gen_gap(a->rng, a->arrival_rate);
	return 0;
}

static void
anon_destroy(struct zs_source *s)
{
	struct anon *a = s->priv;

	if (!a)
		return;
	for (uint32_t i = 0; i < a->nr_slots; i++)
		if (a->slot[i]) {
			zs_rng_destroy(a->slot[i]->rng);
			free(a->slot[i]);
		}
	free(a->slot);
	free(a->free_slots);
	zs_evheap_free(&a->heap);
	zs_zipf_free(&a->zipf);
	free(a);
	s->priv = NULL;
}

static int64_t
min3(int64_t x, int64_t y, int64_t z)
{
	int64_t m = x < y ? x : y;

	return m < z ? m : z;
}

/* Queue the task's earliest event (clamped to the source's end, and not before
 * `floor`, when it became free); 0 or -1 (no memory). */
static int
schedule(struct anon *a, struct anon_task *t, int64_t floor)
{
	int64_t when = min3(t->next_alloc, t->next_touch, t->exit_at);

	if (when > a->end)
		when = a->end;
	if (when < floor)
		when = floor;
	if (when == ZS_GEN_NEVER)
		return 0; /* nothing more to do, ever: it lingers until killed */
	return zs_evheap_push(&a->heap, when, t->slot, t->serial);
}

static void
release(struct anon *a, struct anon_task *t)
{
	a->slot[t->slot] = NULL;
	a->free_slots[a->nr_free++] = t->slot;
	zs_rng_destroy(t->rng);
	free(t);
}

/* Slot for a new task, or UINT32_MAX when the table is full. */
static uint32_t
take_slot(struct anon *a)
{
	if (a->nr_free)
		return a->free_slots[--a->nr_free];
	if (a->nr_slots == ANON_MAX_SLOTS)
		return UINT32_MAX;
	if ((a->nr_slots & (a->nr_slots - 1)) == 0) { /* grow at powers of two */
		uint32_t cap = a->nr_slots ? a->nr_slots * 2 : 16;
		struct anon_task **sl = realloc(a->slot, cap * sizeof(*sl));
		uint32_t *fr;

		if (!sl)
			return UINT32_MAX;
		a->slot = sl;
		fr = realloc(a->free_slots, cap * sizeof(*fr));
		if (!fr)
			return UINT32_MAX;
		a->free_slots = fr;
	}
	a->slot[a->nr_slots] = NULL;
	return a->nr_slots++;
}

static void
fill(struct zs_request *req, int64_t time, enum zs_req_type type, const struct anon_task *t)
{
	memset(req, 0, sizeof(*req));
	req->time = time;
	req->type = type;
	req->task = t->serial;
	req->cpu = t->cpu;
	req->kind = ZS_KIND_ANON;
}

/* A new task arrives at a->next_arrival; 1 with TASK_START in req, 0 if dropped. */
static int
arrive(struct anon *a, struct zs_request *req)
{
	int64_t now = a->next_arrival;
	struct anon_task *t;
	uint32_t slot;

	a->tasks_started++;
	if (a->initial_tasks && a->tasks_started < a->initial_tasks)
		a->next_arrival = now; /* the rest of the initial batch */
	else
		a->next_arrival = zs_gen_after(now, zs_gen_gap(a->rng, a->arrival_rate));
	if ((a->max_tasks && a->tasks_started >= a->max_tasks) ||
	    a->next_serial + 1 >= ZS_GEN_TASK_LIMIT)
		a->next_arrival = ZS_GEN_NEVER;
	if (a->next_arrival >= a->end)
		a->next_arrival = ZS_GEN_NEVER;

	/* the task's stream is named by its arrival, so a dropped task shifts nothing */
	struct zs_rng *rng = zs_rng_create_small(a->task_seed, "anon-task",
						 (unsigned)(a->tasks_started - 1));
	uint64_t fp = (uint64_t)zs_dist_draw_int(&a->footprint, rng, 1, (int64_t)ANON_MAX_PAGES);
	int64_t life = zs_dist_draw_int(&a->lifetime, rng, 0, ZS_GEN_NEVER);

	slot = take_slot(a);
	t = slot == UINT32_MAX ? NULL : calloc(1, sizeof(*t));
	if (!t) {
		if (slot != UINT32_MAX)
			a->free_slots[a->nr_free++] = slot;
		zs_rng_destroy(rng);
		a->tasks_dropped++; /* like fork() failing with EAGAIN */
		return 0;
	}
	t->rng = rng;
	t->serial = a->next_serial++;
	t->slot = slot;
	t->state = T_RUN;
	t->cpu = (uint16_t)(a->cpu >= 0 ? a->cpu : zs_gen_cpus_pick(&a->cpus, t->serial));
	t->footprint = fp;
	t->exit_at = zs_gen_after(now, life);
	t->next_alloc = zs_gen_after(now, zs_gen_gap(t->rng, a->alloc_rate));
	t->next_touch = zs_gen_after(now, zs_gen_gap(t->rng, a->touch_rate));
	a->slot[slot] = t;
	t->state = T_BUSY; /* until its start is done */
	fill(req, now, ZS_REQ_TASK_START, t);
	req->handle = (uint64_t)slot << ANON_PAGE_BITS; /* for done() */
	req->nice = (int8_t)a->nice;
	req->root = (uint8_t)a->root;
	req->attrs = a->attrs;
	memcpy(req->comm, a->comm, sizeof(req->comm));
	return 1;
}

/* The task's next step at time `now`; 1 with a request, 0 when it produced none. */
static int
step(struct anon *a, struct anon_task *t, int64_t now, struct zs_request *req)
{
	if (now >= a->end || t->exit_at <= now) {
		/* the end of its lifetime, or of the source (phases end their tasks) */
		fill(req, now, ZS_REQ_TASK_EXIT, t);
		a->tasks_exited++;
		release(a, t);
		return 1;
	}
	if (t->next_alloc <= now) {
		double rate;

		fill(req, now, ZS_REQ_ALLOC, t);
		req->gfp = a->gfp;
		req->handle = ((uint64_t)t->slot << ANON_PAGE_BITS) | t->nr_pages;
		t->nr_pages++;
		a->pages_alloc++;
		if (t->nr_pages >= ANON_MAX_PAGES) {
			rate = 0;
			a->grow_capped++;
		} else {
			rate = t->nr_pages < t->footprint ? a->alloc_rate : a->grow_rate;
		}
		t->next_alloc = rate > 0 ? zs_gen_after(now, zs_gen_gap(t->rng, rate)) : ZS_GEN_NEVER;
		t->state = T_BUSY;
		return 1;
	}
	/* a reference */
	t->next_touch = zs_gen_after(now, zs_gen_gap(t->rng, a->touch_rate));
	int produced = 0;

	if (t->nr_pages) {
		/* DEVIATION: only the first `footprint` pages are re-referenced; pages a
		 * growing task adds beyond them are faulted in once and left (a leak) */
		uint64_t ws = t->nr_pages < t->footprint ? t->nr_pages : t->footprint;
		uint64_t page = zs_zipf_rank(&a->zipf, t->rng, ws);
		int write = zs_rng_uniform(t->rng) < a->write_fraction;

		fill(req, now, write ? ZS_REQ_DIRTY : ZS_REQ_TOUCH, t);
		req->handle = ((uint64_t)t->slot << ANON_PAGE_BITS) | page;
		if (write)
			a->dirties++;
		else
			a->touches++;
		produced = 1;
		t->state = T_BUSY;
	} else {
		schedule(a, t, now);
	}
	return produced;
}

static int
anon_next(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	struct anon *a = s->priv;

	(void)err;
	for (;;) {
		const struct zs_evheap_ent *top = zs_evheap_top(&a->heap);
		int64_t tt = top ? top->time : ZS_GEN_NEVER;

		if (a->next_arrival != ZS_GEN_NEVER && a->next_arrival <= tt) {
			if (arrive(a, req))
				return 1;
			continue;
		}
		if (!top)
			return 0;
		struct zs_evheap_ent e = *top;
		struct anon_task *t;

		zs_evheap_pop(&a->heap);
		t = e.id < a->nr_slots ? a->slot[e.id] : NULL;
		if (!t || t->serial != e.serial || t->state != T_RUN)
			continue; /* stale: the task was killed */
		if (step(a, t, e.time, req))
			return 1;
	}
}

static struct anon_task *
find_serial(struct anon *a, uint32_t serial)
{
	for (uint32_t i = 0; i < a->nr_slots; i++)
		if (a->slot[i] && a->slot[i]->serial == serial)
			return a->slot[i];
	return NULL;
}

static void
anon_feedback(struct zs_source *s, const struct zs_request *req, int ok)
{
	struct anon *a = s->priv;
	struct anon_task *t;

	if (ok)
		return;
	if (req->type == ZS_REQ_ALLOC) {
		uint64_t slot = req->handle >> ANON_PAGE_BITS;

		t = slot < a->nr_slots ? a->slot[slot] : NULL;
		if (!t || t->serial != req->task)
			return;
		/*
		 * KERNEL: 2.4.0 arch/i386/mm/fault.c do_page_fault() out_of_memory:
		 * a fault that cannot get a page kills the faulting process; 2.6's
		 * VM_FAULT_OOM ends the same way for the task (or the OOM killer
		 * picks one).  The task exits at once and issues nothing more.
		 * DEVIATION: 2.6.32 pagefault_out_of_memory() may kill another task
		 * and retry the fault; here the faulting task always exits.
		 */
		if (!t->fault_failed)
			a->tasks_alloc_failed++;
		t->fault_failed = 1; /* it exits when done() frees it */
	} else if (req->type == ZS_REQ_TASK_EXIT) {
		/* OOM-killed: the driver already freed its pages; forget it */
		t = find_serial(a, req->task);
		if (!t)
			return;
		a->tasks_killed++;
		release(a, t);
	}
}

/* The task's request completed at `when`: its streams move by the delay. */
static void
anon_done(struct zs_source *s, const struct zs_request *req, int64_t when)
{
	struct anon *a = s->priv;
	uint64_t slot = req->handle >> ANON_PAGE_BITS;
	struct anon_task *t;
	int64_t delay = when - req->time;

	if (req->type == ZS_REQ_TASK_EXIT || slot >= a->nr_slots)
		return;
	t = a->slot[slot];
	if (!t || t->serial != req->task || t->state != T_BUSY)
		return; /* killed meanwhile */
	if (t->next_alloc != ZS_GEN_NEVER)
		t->next_alloc = zs_gen_after(t->next_alloc, delay);
	if (t->next_touch != ZS_GEN_NEVER)
		t->next_touch = zs_gen_after(t->next_touch, delay);
	if (t->fault_failed)
		t->exit_at = when;
	t->state = T_RUN;
	if (schedule(a, t, when)) {
		/* no memory for the heap: the task exits now rather than linger unseen */
		t->exit_at = when;
		t->next_alloc = t->next_touch = ZS_GEN_NEVER;
		t->state = T_BUSY;
	}
}

static int64_t
anon_horizon(struct zs_source *s)
{
	struct anon *a = s->priv;
	const struct zs_evheap_ent *top = zs_evheap_top(&a->heap);
	int64_t h = top ? top->time : ZS_GEN_NEVER;

	return a->next_arrival < h ? a->next_arrival : h;
}

static void
anon_summary(struct zs_source *s, void (*emit)(void *cookie, const char *key, int64_t v),
	     void *cookie)
{
	struct anon *a = s->priv;

	emit(cookie, "tasks_started", (int64_t)(a->tasks_started - a->tasks_dropped));
	emit(cookie, "tasks_dropped", (int64_t)a->tasks_dropped);
	emit(cookie, "tasks_exited", (int64_t)a->tasks_exited);
	emit(cookie, "tasks_killed", (int64_t)a->tasks_killed);
	emit(cookie, "tasks_alloc_failed", (int64_t)a->tasks_alloc_failed);
	emit(cookie, "pages_alloc", (int64_t)a->pages_alloc);
	emit(cookie, "touches", (int64_t)a->touches);
	emit(cookie, "dirties", (int64_t)a->dirties);
	emit(cookie, "grow_capped", (int64_t)a->grow_capped);
}

const struct zs_source_ops zs_source_anon = {
	.type = "anon",
	.create = anon_create,
	.next = anon_next,
	.feedback = anon_feedback,
	.done = anon_done,
	.horizon = anon_horizon,
	.destroy = anon_destroy,
	.summary = anon_summary,
};
