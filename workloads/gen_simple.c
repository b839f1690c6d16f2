/*
 * gen_simple.c - the `simple` workload: tasks that allocate blocks at a
 * Poisson rate and free each after an exponential lifetime, optionally
 * touching and dirtying their live pages.
 *
 *   {type: simple, tasks: 4, rate: 1000, order: 0 | orders: {0: 0.9, 1: 0.1},
 *    gfp: GFP_KERNEL, kind: kernel, lifetime: 10ms | forever, start: 0s, stop: 2s,
 *    cpu: N, touch_rate: 0, dirty_fraction: 0, comm: simple}
 *
 * Each task has two streams, its next allocation (Poisson at `rate`) and its
 * next touch of one of its own live blocks (Poisson at `touch_rate`), kept in
 * the task and merged as one heap entry per task; each block's free (after
 * its lifetime) and each task's start and exit are entries of their own.  The
 * heap is a min-heap on (time, sequence): ties are broken by creation order.
 *
 * Closed loop (source.h): a task that issued a request is busy until done();
 * its streams then move later by the delay, and a free or exit that came up
 * meanwhile is issued no earlier than the completion.  A block's lifetime and the stop are
 * wall-clock times.
 *
 * Invariant: a task that is neither busy nor dead has exactly one valid
 * EV_TASK entry (matching its gen) when either stream is still running; a
 * busy task has none valid.
 *
 * The heap, and the parked events of busy tasks, are gen_simple_queue.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/diag.h"
#include "sim/rng.h"
#include "workloads/gen_simple.h"
#include "workloads/gen_task.h"
#include "workloads/gen_util.h"
#include "workloads/source.h"

static int64_t
exp_ns(struct zs_rng *rng, double per_sec)
{
	return (int64_t)llround(zs_rng_exponential(rng, 1e9 / per_sec));
}

static uint32_t
slot_get(struct simple *g)
{
	uint32_t s;

	if (g->free_slot != UINT32_MAX) {
		s = g->free_slot;
		g->free_slot = g->slots[s].live_pos;
		return s;
	}
	if (g->nslots == g->capslots) {
		g->capslots = g->capslots ? 2 * g->capslots : 256;
		g->slots = realloc(g->slots, g->capslots * sizeof(*g->slots));
		ZS_BUG_ON(!g->slots);
	}
	g->slots[g->nslots].gen = 0;
	g->slots[g->nslots].parked = 0;
	return g->nslots++;
}

static void
live_add(struct simple *g, uint32_t s)
{
	struct stask *t = &g->t[g->slots[s].task];

	if (t->nlive == t->caplive) {
		t->caplive = t->caplive ? 2 * t->caplive : 16;
		t->live = realloc(t->live, t->caplive * sizeof(*t->live));
		ZS_BUG_ON(!t->live);
	}
	g->slots[s].live_pos = t->nlive;
	t->live[t->nlive++] = s;
}

static void
live_del(struct simple *g, uint32_t s)
{
	struct stask *t = &g->t[g->slots[s].task];
	uint32_t pos = g->slots[s].live_pos;

	if (pos == UINT32_MAX)
		return;
	t->live[pos] = t->live[--t->nlive];
	g->slots[t->live[pos]].live_pos = pos;
	g->slots[s].live_pos = UINT32_MAX;
}

static void
slot_put(struct simple *g, uint32_t s)
{
	zs_simple_slot_released(g, s);
	live_del(g, s);
	g->slots[s].alive = 0;
	g->slots[s].gen++;
	g->slots[s].live_pos = g->free_slot; /* free list link */
	g->free_slot = s;
}

/* Tests only (source.h): sources that park without chains, and what their heaps agree on. */
static int use_chains = 1;

void
zs_gen_simple_use_chains(int on)
{
	use_chains = on;
}

void
zs_gen_simple_peek(const struct zs_source *s, int64_t *time, uint64_t *seq, uint64_t *used)
{
	const struct simple *g = s->priv;

	*time = g->n ? g->heap[0].time : INT64_MAX;
	*seq = g->n ? g->heap[0].seq : 0;
	*used = g->seq;
}

static const char *const kinds[] = {"anon", "file", "file_dirty", "kernel", "buffer", NULL};

static int
simple_create(struct zs_source *s, struct zs_cfg *cfg, const struct zs_source_env *env,
	      struct zs_error *err)
{
	static const char *const known[] = {"type",  "tasks",     "rate",     "order",
					    "orders", "gfp",      "kind",     "lifetime",
					    "start", "stop",      "cpu",      "touch_rate",
					    "dirty_fraction", "comm", "nice", "root", "context",
					    ZS_GEN_TASK_KEYS, ZS_GEN_NODE_KEYS, NULL};
	struct simple *g = calloc(1, sizeof(*g));
	uint64_t tasks = 1;
	int64_t cpu = -1, order = 0, nice = 0;
	int root = 0;
	const char *gfp = "GFP_KERNEL", *kind = "kernel", *comm = "simple";
	struct zs_cfg *n;
	/* KERNEL: MAX_ORDER is 10 in 2.4.0 and 11 in 2.6 (include/linux/mmzone.h) */
	int64_t max_order = env->kver == ZS_KV_24 ? 10 : 11;

	if (!g)
		return zs_error_set(err, EX_OSERR, "out of memory");
	s->priv = g;
	g->rng = env->rng;
	g->rate = 1000;
	g->lifetime_ns = 10 * 1000 * 1000;
	g->stop_ns = env->duration_ns;
	g->free_slot = UINT32_MAX;
	g->chains = use_chains;
	if (zs_cfg_check_keys(cfg, known, err) ||
	    zs_cfg_uint(cfg, "tasks", 1, 100000, &tasks, err) ||
	    zs_cfg_double(cfg, "rate", 0, 1e9, &g->rate, err) ||
	    zs_cfg_int(cfg, "order", 0, max_order - 1, &order, err) ||
	    zs_cfg_string(cfg, "gfp", &gfp, err) || zs_cfg_string(cfg, "kind", &kind, err) ||
	    zs_cfg_duration(cfg, "start", 0, INT64_MAX / 2, &g->start_ns, err) ||
	    zs_cfg_duration(cfg, "stop", 0, INT64_MAX / 2, &g->stop_ns, err) ||
	    zs_cfg_int(cfg, "cpu", 0, 4095, &cpu, err) ||
	    zs_cfg_double(cfg, "touch_rate", 0, 1e9, &g->touch_rate, err) ||
	    zs_cfg_double(cfg, "dirty_fraction", 0, 1, &g->dirty_fraction, err) ||
	    zs_cfg_string(cfg, "comm", &comm, err) || zs_cfg_int(cfg, "nice", -20, 19, &nice, err) ||
	    zs_cfg_bool(cfg, "root", &root, err) ||
	    zs_gen_task_attrs(cfg, env, root, &g->attrs, err) ||
	    zs_gen_node_cpus(cfg, env, (int)cpu, &g->cpus, err))
		return -1;
	g->nice = (int8_t)nice;
	g->root = (uint8_t)root;
	g->tasks = (uint32_t)tasks;
	g->cpu = (int)cpu;
	snprintf(g->comm, sizeof(g->comm), "%s", comm);
	n = zs_cfg_get(cfg, "lifetime");
	if (n && n->type == ZS_CFG_SCALAR && !strcmp(n->scalar, "forever"))
		g->lifetime_ns = -1;
	else if (zs_cfg_duration(cfg, "lifetime", 1, INT64_MAX / 2, &g->lifetime_ns, err))
		return -1;
	g->nr_orders = (int)order + 1;
	g->order_w[order] = 1;
	n = zs_cfg_get(cfg, "orders");
	if (n) {
		if (zs_cfg_expect(n, ZS_CFG_MAP, "'orders'", err))
			return -1;
		memset(g->order_w, 0, sizeof(g->order_w));
		g->nr_orders = 0;
		for (int i = 0; i < n->n; i++) {
			char *end;
			long k = strtol(n->keys[i], &end, 10);
			double w;

			if (*end || k < 0 || k >= max_order)
				return zs_error_at(err, n->file, n->key_line[i], n->key_col[i],
						   "'orders' keys are orders 0..%d (MAX_ORDER is %d in %s), not '%s'",
						   (int)max_order - 1, (int)max_order,
						   zs_kver_name(env->kver), n->keys[i]);
			if (zs_cfg_node_double(n->vals[i], &w, err))
				return -1;
			if (w < 0)
				return zs_cfg_error(n->vals[i], err, "a weight cannot be negative");
			n->used[i] = 1;
			g->order_w[k] = w;
			if (k + 1 > g->nr_orders)
				g->nr_orders = (int)k + 1;
		}
		double total = 0;
		for (int k = 0; k < g->nr_orders; k++)
			total += g->order_w[k];
		if (total <= 0)
			return zs_cfg_error(n, err, "'orders' needs at least one positive weight");
	}
	n = zs_cfg_get(cfg, "gfp");
	if (zs_gfp_parse(env->kver, gfp, &g->gfp, err)) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		return n ? zs_cfg_error(n, err, "%s", msg) : -1;
	}
	if (zs_source_context(cfg, env->kver, g->gfp, 0, &s->interrupt, err))
		return -1;
	int k;
	for (k = 0; kinds[k]; k++)
		if (!strcmp(kinds[k], kind))
			break;
	if (!kinds[k])
		return zs_cfg_error(zs_cfg_get(cfg, "kind"), err,
				    "kind must be anon, file, file_dirty, kernel or buffer, not '%s'",
				    kind);
	g->kind = (enum zs_page_kind)k;
	g->t = calloc(g->tasks, sizeof(*g->t));
	g->aside = calloc(g->tasks, sizeof(*g->aside));
	if (!g->t || !g->aside)
		return zs_error_set(err, EX_OSERR, "out of memory");
	uint64_t task_seed = zs_rng_uniform_int(g->rng, UINT64_MAX);

	for (uint32_t t = 0; t < g->tasks; t++) {
		struct stask *st = &g->t[t];

		st->rng = zs_rng_create_small(task_seed, "simple-task", t);
		st->parked_sorted = 1;
		st->parked_floor = INT64_MIN;
		zs_simple_push(g, (struct ev){g->start_ns, 0, EV_START, t, 0, 0});
		st->next_alloc =
			g->rate > 0 ? g->start_ns + exp_ns(st->rng, g->rate) : ZS_GEN_NEVER;
		st->next_touch = g->touch_rate > 0 ? g->start_ns + exp_ns(st->rng, g->touch_rate)
						   : ZS_GEN_NEVER;
		if (g->stop_ns < env->duration_ns)
			zs_simple_push(g, (struct ev){g->stop_ns, 0, EV_EXIT, t, 0, 0});
	}
	return 0;
}

static unsigned
draw_order(struct simple *g, struct zs_rng *rng)
{
	double total = 0, x;

	for (int k = 0; k < g->nr_orders; k++)
		total += g->order_w[k];
	if (g->nr_orders == 1 || total <= 0)
		return (unsigned)(g->nr_orders - 1);
	x = zs_rng_uniform(rng) * total;
	for (int k = 0; k < g->nr_orders; k++) {
		if (x < g->order_w[k])
			return (unsigned)k;
		x -= g->order_w[k];
	}
	return (unsigned)(g->nr_orders - 1);
}

/* The task's next EV_TASK entry, not before `floor`; none once both streams ended. */
static void
task_schedule(struct simple *g, uint32_t task, int64_t floor)
{
	struct stask *t = &g->t[task];
	int64_t when;

	if (t->next_alloc >= g->stop_ns)
		t->next_alloc = ZS_GEN_NEVER; /* the tasks stop allocating at `stop` */
	if (t->next_touch >= g->stop_ns)
		t->next_touch = ZS_GEN_NEVER; /* and touching */
	when = t->next_alloc < t->next_touch ? t->next_alloc : t->next_touch;
	if (when == ZS_GEN_NEVER)
		return;
	zs_simple_push(g, (struct ev){when < floor ? floor : when, 0, EV_TASK, task, 0, ++t->gen});
}

static void
req_base(struct simple *g, struct zs_request *req, const struct ev *e)
{
	memset(req, 0, sizeof(*req));
	req->time = e->time;
	req->task = e->task;
	req->cpu = (uint16_t)(g->cpu >= 0 ? g->cpu : zs_gen_cpus_pick(&g->cpus, e->task));
}

/* The task's allocation or touch due at e->time; 0 when it produced no request. */
static int
task_step(struct simple *g, const struct ev *e, struct zs_request *req)
{
	struct stask *t = &g->t[e->task];

	if (t->next_alloc <= t->next_touch) {
		uint32_t sl = slot_get(g);
		struct slot *st = &g->slots[sl];

		st->task = e->task;
		st->order = (uint8_t)draw_order(g, t->rng);
		st->alive = 1;
		live_add(g, sl);
		req->type = ZS_REQ_ALLOC;
		req->order = st->order;
		req->kind = (uint8_t)g->kind;
		req->gfp = g->gfp;
		req->handle = sl;
		g->allocs++;
		if (g->lifetime_ns >= 0) {
			int64_t life = (int64_t)llround(
				zs_rng_exponential(t->rng, (double)g->lifetime_ns));
			zs_simple_push(g, (struct ev){e->time + life, 0, EV_FREE, e->task, sl, st->gen});
		}
		t->next_alloc = e->time + exp_ns(t->rng, g->rate);
		return 1;
	}
	t->next_touch = e->time + exp_ns(t->rng, g->touch_rate);
	if (!t->nlive) {
		task_schedule(g, e->task, e->time);
		return 0;
	}
	uint32_t sl = t->live[zs_rng_uniform_int(t->rng, t->nlive)];

	req->type = zs_rng_uniform(t->rng) < g->dirty_fraction ? ZS_REQ_DIRTY : ZS_REQ_TOUCH;
	req->handle = sl;
	return 1;
}

/* Pop entries until one makes a request: 1 and that entry in *out, or 0 when none is left. */
static int
next_entry(struct simple *g, struct zs_request *req, struct ev *out)
{
	while (g->n) {
		struct ev e = zs_simple_pop(g);
		struct stask *t = &g->t[e.task];

		if (e.type == EV_CHAIN) {
			if (t->busy) {
				zs_simple_chain_aside(g, e.task);
				continue;
			}
			e = zs_simple_chain_take(g, e.task); /* an EV_FREE or EV_EXIT */
		}
		*out = e;
		req_base(g, req, &e);
		switch (e.type) {
		case EV_START:
			req->type = ZS_REQ_TASK_START;
			snprintf(req->comm, sizeof(req->comm), "%s", g->comm);
			req->nice = g->nice;
			req->root = g->root;
			req->attrs = g->attrs;
			t->started = 1;
			t->busy = 1;
			return 1;
		case EV_EXIT:
			if (t->dead)
				continue;
			if (t->busy) {
				zs_simple_park(g, e.task, &e); /* issued once its request completes */
				continue;
			}
			t->dead = 1;
			t->busy = 1;
			req->type = ZS_REQ_TASK_EXIT;
			/* the task's blocks go with it */
			while (t->nlive)
				slot_put(g, t->live[0]);
			return 1;
		case EV_TASK:
			if (t->dead || e.gen != t->gen || t->busy)
				continue; /* replaced, or the task is gone */
			if (!task_step(g, &e, req))
				continue;
			t->busy = 1;
			t->gen++;
			return 1;
		case EV_FREE:
			if (g->slots[e.slot].gen != e.gen || !g->slots[e.slot].alive)
				continue; /* its allocation failed, or its task exited */
			if (t->busy) {
				zs_simple_park(g, e.task, &e);
				continue;
			}
			req->type = ZS_REQ_FREE;
			req->handle = e.slot;
			req->order = g->slots[e.slot].order;
			slot_put(g, e.slot);
			t->busy = 1;
			t->gen++; /* its EV_TASK entry is pushed again at done() */
			return 1;
		}
	}
	return 0;
}

static int
simple_next(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	struct simple *g = s->priv;
	struct ev e;
	int rc = next_entry(g, req, &e);

	(void)err;
	zs_simple_chains_restore(g, rc ? &e : NULL);
	return rc;
}

/* The task's request completed at `when`: its streams move by the delay. */
static void
simple_done(struct zs_source *s, const struct zs_request *req, int64_t when)
{
	struct simple *g = s->priv;
	struct stask *t;
	int64_t delay = when - req->time;

	if (req->task >= g->tasks)
		return;
	t = &g->t[req->task];
	if (!t->busy)
		return;
	t->busy = 0;
	if (t->dead)
		return;
	if (t->next_alloc != ZS_GEN_NEVER)
		t->next_alloc = zs_gen_after(t->next_alloc, delay);
	if (t->next_touch != ZS_GEN_NEVER)
		t->next_touch = zs_gen_after(t->next_touch, delay);
	task_schedule(g, req->task, when);
	zs_simple_unpark(g, req->task, when);
}

static int64_t
simple_horizon(struct zs_source *s)
{
	struct simple *g = s->priv;

	return g->n ? g->heap[0].time : ZS_GEN_NEVER;
}

static void
simple_feedback(struct zs_source *s, const struct zs_request *req, int ok)
{
	struct simple *g = s->priv;

	if (req->type == ZS_REQ_ALLOC && !ok) {
		g->failed++;
		if (req->handle < g->nslots && g->slots[req->handle].alive)
			slot_put(g, (uint32_t)req->handle);
	} else if (req->type == ZS_REQ_TASK_EXIT && !ok && req->task < g->tasks) {
		struct stask *t = &g->t[req->task];

		t->dead = 1;
		while (t->nlive)
			slot_put(g, t->live[0]);
	}
}

static void
simple_destroy(struct zs_source *s)
{
	struct simple *g = s->priv;

	if (!g)
		return;
	free(g->heap);
	free(g->slots);
	for (uint32_t i = 0; g->t && i < g->tasks; i++) {
		free(g->t[i].live);
		free(g->t[i].parked.a);
		free(g->t[i].chain.a);
		zs_rng_destroy(g->t[i].rng);
	}
	free(g->t);
	free(g->aside);
	free(g);
}

static void
simple_summary(struct zs_source *s, void (*emit)(void *, const char *, int64_t), void *cookie)
{
	struct simple *g = s->priv;

	emit(cookie, "requested_allocs", (int64_t)g->allocs);
	emit(cookie, "failed_allocs", (int64_t)g->failed);
}

/* Toward `stop` (a `duration: auto` run needs one); the blocks' lifetimes run past it. */
static double
simple_progress(struct zs_source *s, int64_t now)
{
	const struct simple *g = s->priv;

	return zs_gen_progress(now, g->stop_ns);
}

const struct zs_source_ops zs_source_simple = {
	.type = "simple",
	.create = simple_create,
	.next = simple_next,
	.feedback = simple_feedback,
	.done = simple_done,
	.horizon = simple_horizon,
	.destroy = simple_destroy,
	.summary = simple_summary,
	.progress = simple_progress,
};
