/*
 * gen_simple.c - the `simple` workload: tasks that allocate blocks at a
 * Poisson rate and free each after an exponential lifetime, optionally
 * touching and dirtying their live pages.
 *
 *   {type: simple, tasks: 4, rate: 1000, order: 0 | orders: {0: 0.9, 1: 0.1},
 *    gfp: GFP_KERNEL, kind: kernel, lifetime: 10ms | forever, start: 0s, stop: 2s,
 *    cpu: N, touch_rate: 0, dirty_fraction: 0, comm: simple}
 *
 * Pending events (next allocation of each task, each live block's free, the
 * next touch) sit in one min-heap on (time, sequence), so requests come out in
 * time order and ties are broken by creation order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/diag.h"
#include "sim/rng.h"
#include "workloads/gen_task.h"
#include "workloads/source.h"

enum ev_type { EV_ALLOC, EV_FREE, EV_TOUCH, EV_START, EV_EXIT };

struct ev {
	int64_t time;
	uint64_t seq;
	uint32_t type;
	uint32_t task;
	uint32_t slot;
	uint32_t gen;
};

struct slot {
	uint32_t task;
	uint32_t gen;      /* bumped when the slot is released */
	uint32_t live_pos; /* index in live[], or UINT32_MAX */
	uint8_t order;
	uint8_t alive;
};

struct simple {
	uint32_t tasks;
	double rate;
	double order_w[16];
	int nr_orders;
	uint32_t gfp;
	enum zs_page_kind kind;
	int64_t lifetime_ns; /* mean; < 0: forever */
	int64_t start_ns, stop_ns;
	int cpu;             /* -1: task i on cpu i */
	double touch_rate;   /* per task per second */
	double dirty_fraction;
	char comm[16];
	int8_t nice;
	uint8_t root;
	struct zs_task_attrs attrs;
	struct zs_rng *rng;

	struct ev *heap;
	size_t n, cap;
	uint64_t seq;
	struct slot *slots;
	uint32_t nslots, capslots, free_slot;
	uint32_t *live;
	uint32_t nlive;
	uint8_t *dead; /* per task: killed */
	uint64_t allocs, failed;
};

static int
ev_before(const struct ev *a, const struct ev *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void
push(struct simple *g, struct ev e)
{
	size_t i;

	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 256;
		g->heap = realloc(g->heap, g->cap * sizeof(*g->heap));
		ZS_BUG_ON(!g->heap);
	}
	e.seq = g->seq++;
	for (i = g->n++; i > 0; i = (i - 1) / 2) {
		if (!ev_before(&e, &g->heap[(i - 1) / 2]))
			break;
		g->heap[i] = g->heap[(i - 1) / 2];
	}
	g->heap[i] = e;
}

static struct ev
pop(struct simple *g)
{
	struct ev top = g->heap[0], last = g->heap[--g->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= g->n)
			break;
		if (c + 1 < g->n && ev_before(&g->heap[c + 1], &g->heap[c]))
			c++;
		if (!ev_before(&g->heap[c], &last))
			break;
		g->heap[i] = g->heap[c];
		i = c;
	}
	if (g->n)
		g->heap[i] = last;
	return top;
}

static int64_t
exp_ns(struct simple *g, double per_sec)
{
	return (int64_t)llround(zs_rng_exponential(g->rng, 1e9 / per_sec));
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
		g->live = realloc(g->live, g->capslots * sizeof(*g->live));
		ZS_BUG_ON(!g->live);
	}
	g->slots[g->nslots].gen = 0;
	return g->nslots++;
}

static void
live_del(struct simple *g, uint32_t s)
{
	uint32_t pos = g->slots[s].live_pos;

	if (pos == UINT32_MAX)
		return;
	g->live[pos] = g->live[--g->nlive];
	g->slots[g->live[pos]].live_pos = pos;
	g->slots[s].live_pos = UINT32_MAX;
}

static void
slot_put(struct simple *g, uint32_t s)
{
	live_del(g, s);
	g->slots[s].alive = 0;
	g->slots[s].gen++;
	g->slots[s].live_pos = g->free_slot; /* free list link */
	g->free_slot = s;
}

static const char *const kinds[] = {"anon", "file", "file_dirty", "kernel", "buffer", NULL};

static int
simple_create(struct zs_source *s, struct zs_cfg *cfg, const struct zs_source_env *env,
	      struct zs_error *err)
{
	static const char *const known[] = {"type",  "tasks",     "rate",     "order",
					    "orders", "gfp",      "kind",     "lifetime",
					    "start", "stop",      "cpu",      "touch_rate",
					    "dirty_fraction", "comm", "nice", "root", ZS_GEN_TASK_KEYS,
					    NULL};
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
	    zs_gen_task_attrs(cfg, env, root, &g->attrs, err))
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
	int k;
	for (k = 0; kinds[k]; k++)
		if (!strcmp(kinds[k], kind))
			break;
	if (!kinds[k])
		return zs_cfg_error(zs_cfg_get(cfg, "kind"), err,
				    "kind must be anon, file, file_dirty, kernel or buffer, not '%s'",
				    kind);
	g->kind = (enum zs_page_kind)k;
	g->dead = calloc(g->tasks, 1);
	if (!g->dead)
		return zs_error_set(err, EX_OSERR, "out of memory");
	for (uint32_t t = 0; t < g->tasks; t++) {
		push(g, (struct ev){g->start_ns, 0, EV_START, t, 0, 0});
		if (g->rate > 0)
			push(g, (struct ev){g->start_ns + exp_ns(g, g->rate), 0, EV_ALLOC, t, 0, 0});
		if (g->stop_ns < env->duration_ns)
			push(g, (struct ev){g->stop_ns, 0, EV_EXIT, t, 0, 0});
	}
	if (g->touch_rate > 0)
		push(g, (struct ev){g->start_ns + exp_ns(g, g->touch_rate * g->tasks), 0, EV_TOUCH,
				    0, 0, 0});
	return 0;
}

static unsigned
draw_order(struct simple *g)
{
	double total = 0, x;

	for (int k = 0; k < g->nr_orders; k++)
		total += g->order_w[k];
	if (g->nr_orders == 1 || total <= 0)
		return (unsigned)(g->nr_orders - 1);
	x = zs_rng_uniform(g->rng) * total;
	for (int k = 0; k < g->nr_orders; k++) {
		if (x < g->order_w[k])
			return (unsigned)k;
		x -= g->order_w[k];
	}
	return (unsigned)(g->nr_orders - 1);
}

static int
simple_next(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	struct simple *g = s->priv;

	(void)err;
	while (g->n) {
		struct ev e = pop(g);

		memset(req, 0, sizeof(*req));
		req->time = e.time;
		req->task = e.task;
		req->cpu = (uint16_t)(g->cpu >= 0 ? g->cpu : (int)(e.task % (uint32_t)s->env.nr_cpus));
		switch (e.type) {
		case EV_START:
			req->type = ZS_REQ_TASK_START;
			snprintf(req->comm, sizeof(req->comm), "%s", g->comm);
			req->nice = g->nice;
			req->root = g->root;
			req->attrs = g->attrs;
			return 1;
		case EV_EXIT:
			if (g->dead[e.task])
				continue;
			g->dead[e.task] = 1;
			req->type = ZS_REQ_TASK_EXIT;
			/* the task's blocks go with it */
			for (uint32_t i = 0; i < g->nslots; i++)
				if (g->slots[i].alive && g->slots[i].task == e.task)
					slot_put(g, i);
			return 1;
		case EV_ALLOC: {
			if (g->dead[e.task] || e.time >= g->stop_ns)
				continue;
			uint32_t sl = slot_get(g);
			struct slot *st = &g->slots[sl];

			st->task = e.task;
			st->order = (uint8_t)draw_order(g);
			st->alive = 1;
			st->live_pos = g->nlive;
			g->live[g->nlive++] = sl;
			req->type = ZS_REQ_ALLOC;
			req->order = st->order;
			req->kind = (uint8_t)g->kind;
			req->gfp = g->gfp;
			req->handle = sl;
			g->allocs++;
			if (g->lifetime_ns >= 0) {
				int64_t life = (int64_t)llround(
					zs_rng_exponential(g->rng, (double)g->lifetime_ns));
				push(g, (struct ev){e.time + life, 0, EV_FREE, e.task, sl, st->gen});
			}
			push(g, (struct ev){e.time + exp_ns(g, g->rate), 0, EV_ALLOC, e.task, 0, 0});
			return 1;
		}
		case EV_FREE:
			if (g->slots[e.slot].gen != e.gen || !g->slots[e.slot].alive)
				continue; /* its allocation failed, or its task exited */
			req->type = ZS_REQ_FREE;
			req->handle = e.slot;
			req->order = g->slots[e.slot].order;
			slot_put(g, e.slot);
			return 1;
		case EV_TOUCH:
			if (e.time >= g->stop_ns)
				continue; /* the touch process ends with the tasks */
			push(g, (struct ev){e.time + exp_ns(g, g->touch_rate * g->tasks), 0, EV_TOUCH,
					    0, 0, 0});
			if (!g->nlive)
				continue;
			{
				uint32_t sl = g->live[zs_rng_uniform_int(g->rng, g->nlive)];

				req->type = zs_rng_uniform(g->rng) < g->dirty_fraction ? ZS_REQ_DIRTY
											: ZS_REQ_TOUCH;
				req->task = g->slots[sl].task;
				req->handle = sl;
			}
			return 1;
		}
	}
	return 0;
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
		g->dead[req->task] = 1;
		for (uint32_t i = 0; i < g->nslots; i++)
			if (g->slots[i].alive && g->slots[i].task == req->task)
				slot_put(g, i);
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
	free(g->live);
	free(g->dead);
	free(g);
}

static void
simple_summary(struct zs_source *s, void (*emit)(void *, const char *, int64_t), void *cookie)
{
	struct simple *g = s->priv;

	emit(cookie, "requested_allocs", (int64_t)g->allocs);
	emit(cookie, "failed_allocs", (int64_t)g->failed);
}

const struct zs_source_ops zs_source_simple = {
	.type = "simple",
	.create = simple_create,
	.next = simple_next,
	.feedback = simple_feedback,
	.destroy = simple_destroy,
	.summary = simple_summary,
};
