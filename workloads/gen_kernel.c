/*
 * gen_kernel.c - the `kernel` generator: allocations the kernel makes for
 * itself (slab growth, socket buffers, task structs), never reclaimable.
 *
 * Arrivals are a Poisson process of bursts; a burst is `burst` allocations
 * `burst_gap` apart, each of an order drawn from `orders` (Walker table), with
 * a gfp class, and freed after its own lifetime.  Presets fill the defaults:
 *   network-burst  GFP_ATOMIC, orders {0: 0.75, 1: 0.25}, 20 bursts/s of
 *                  16..128 allocations 5us apart, lifetime exponential 2ms
 *   fork           GFP_KERNEL, order 1 (task struct + kernel stack), 20/s,
 *                  lifetime lognormal median 1s sigma 1.5 (a process's life)
 * DEVIATION: the allocations are issued by one kernel-context task (TASK_START
 * at time 0 with kthread set: no rss, never an OOM victim); softirq context has
 * no task, and a fork's stack belongs to the child.  At the
 * source's end every block still allocated is freed (FREE requests) and the
 * task exits.
 *
 * Handles are allocation slots, reused only after the slot's FREE was issued
 * (or its allocation failed), so a handle is unique while its block lives.
 * Invariant: each live allocation has exactly one heap entry (its free time);
 * a failed allocation's entry is dropped when it reaches the top.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc/machine.h"
#include "sim/cfg.h"
#include "sim/diag.h"
#include "sim/rng.h"
#include "workloads/dist.h"
#include "workloads/gen_task.h"
#include "workloads/gen_util.h"
#include "workloads/source.h"

#define KGEN_MAX_ORDER (ZS_MAX_ORDER_LIMIT - 1)

enum { REC_FREE = 0, REC_LIVE, REC_FAILED };

struct kgen {
	/* parameters */
	uint32_t gfp;
	double order_w[KGEN_MAX_ORDER + 1];
	int nr_orders;
	double rate;
	struct zs_dist burst, lifetime;
	int64_t burst_gap_ns;
	uint8_t kind;
	char comm[16];
	int cpu, root;
	int irq_preset; /* the preset is an interrupt's (`context` defaults to it) */
	struct zs_task_attrs attrs;

	/* state */
	struct zs_rng *rng;
	int nr_cpus;
	struct zs_discrete *orders; /* NULL when a single order */
	int single_order;
	int64_t end, last_time, next_arrival, burst_next;
	uint64_t burst_left;
	int started, finished;
	struct zs_evheap heap;     /* (free time, slot, serial) */
	uint8_t *rec;              /* REC_* per slot */
	uint8_t *rec_order;
	uint32_t *rec_serial;
	uint32_t nr_rec, cap_rec;
	uint32_t *free_rec, nr_free_rec;
	uint32_t next_serial;
	uint32_t end_cursor;       /* next record to free at the source's end */

	uint64_t allocs, frees, failed, bursts;
};

static const char *const kernel_keys[] = {"type",  "preset",   "gfp",      "order",
					  "orders", "rate",    "burst",    "burst_gap",
					  "lifetime", "kind",  "comm",     "cpu",
					  "root",  "context", ZS_GEN_TASK_KEYS, NULL};

static int
apply_preset(struct kgen *k, struct zs_cfg *cfg, const char **gfp, struct zs_error *err)
{
	const char *p = NULL;

	if (zs_cfg_string(cfg, "preset", &p, err))
		return -1;
	if (!p)
		return 0;
	if (!strcmp(p, "network-burst")) {
		/*
		 * KERNEL: 2.4.0 net/core/skbuff.c alloc_skb() and 2.6 __netdev_alloc_skb():
		 * a NIC's receive interrupt allocates sk_buff data with GFP_ATOMIC; the
		 * slab behind kmalloc grows by order-0 pages for a 1500-byte MTU and by
		 * order-1 pages for the larger size classes.
		 */
		*gfp = "GFP_ATOMIC";
		memset(k->order_w, 0, sizeof(k->order_w));
		k->order_w[0] = 0.75;
		k->order_w[1] = 0.25;
		k->nr_orders = 2;
		k->rate = 20;
		k->burst = (struct zs_dist){ZS_DIST_UNIFORM, ZS_UNIT_NUMBER, 16, 128, INFINITY};
		k->burst_gap_ns = 5000;
		k->lifetime = zs_dist_exponential(ZS_UNIT_NS, 2e6);
		snprintf(k->comm, sizeof(k->comm), "softirq");
		k->irq_preset = 1; /* net_rx_action runs in softirq context */
	} else if (!strcmp(p, "fork")) {
		/*
		 * KERNEL: 2.4.0 kernel/fork.c do_fork() alloc_task_struct(), i.e.
		 * __get_free_pages(GFP_KERNEL, 1) (include/asm-i386/processor.h);
		 * 2.6.18/2.6.32 dup_task_struct() alloc_thread_info(), THREAD_ORDER 1.
		 * Freed when the child is reaped, so its lifetime is a process's.
		 */
		*gfp = "GFP_KERNEL";
		memset(k->order_w, 0, sizeof(k->order_w));
		k->order_w[1] = 1;
		k->nr_orders = 2;
		k->rate = 20;
		k->burst = zs_dist_const(ZS_UNIT_NUMBER, 1);
		k->burst_gap_ns = 0;
		k->lifetime = zs_dist_lognormal_median(ZS_UNIT_NS, 1e9, 1.5);
		snprintf(k->comm, sizeof(k->comm), "fork");
	} else {
		return zs_cfg_error(zs_cfg_get(cfg, "preset"), err,
				    "unknown preset '%s' (network-burst or fork)", p);
	}
	return 0;
}

static int
read_orders(struct kgen *k, struct zs_cfg *cfg, struct zs_error *err)
{
	struct zs_cfg *n = zs_cfg_get(cfg, "orders");
	int64_t order = -1;

	if (zs_cfg_int(cfg, "order", 0, KGEN_MAX_ORDER, &order, err))
		return -1;
	if (order >= 0 && n)
		return zs_cfg_error(n, err, "give either 'order' or 'orders', not both");
	if (order >= 0) {
		memset(k->order_w, 0, sizeof(k->order_w));
		k->order_w[order] = 1;
		k->nr_orders = (int)order + 1;
		return 0;
	}
	if (!n)
		return 0;
	memset(k->order_w, 0, sizeof(k->order_w));
	k->nr_orders = 0;
	if (n->type == ZS_CFG_SEQ) {
		/* orders: [w0, w1, ...] */
		if (n->n > KGEN_MAX_ORDER + 1)
			return zs_cfg_error(n, err, "'orders' has more than %d weights",
					    KGEN_MAX_ORDER + 1);
		for (int i = 0; i < n->n; i++) {
			if (zs_cfg_node_double(n->vals[i], &k->order_w[i], err))
				return -1;
			if (k->order_w[i] < 0)
				return zs_cfg_error(n->vals[i], err, "a weight cannot be negative");
		}
		k->nr_orders = n->n;
	} else if (n->type == ZS_CFG_MAP) {
		/* orders: {0: 0.9, 1: 0.1} */
		for (int i = 0; i < n->n; i++) {
			char *end;
			long o = strtol(n->keys[i], &end, 10);

			if (*end || end == n->keys[i] || o < 0 || o > KGEN_MAX_ORDER)
				return zs_error_at(err, n->file, n->key_line[i], n->key_col[i],
						   "'orders' keys are orders 0..%d, not '%s'",
						   KGEN_MAX_ORDER, n->keys[i]);
			n->used[i] = 1;
			if (zs_cfg_node_double(n->vals[i], &k->order_w[o], err))
				return -1;
			if (k->order_w[o] < 0)
				return zs_cfg_error(n->vals[i], err, "a weight cannot be negative");
			if (o + 1 > k->nr_orders)
				k->nr_orders = (int)o + 1;
		}
	} else {
		return zs_cfg_error(n, err, "'orders' must be a map {order: weight} or a list of "
					    "weights");
	}
	double total = 0;

	for (int i = 0; i < k->nr_orders; i++)
		total += k->order_w[i];
	if (!(total > 0))
		return zs_cfg_error(n, err, "'orders' needs a weight above 0");
	return 0;
}

static int
read_kind(struct kgen *k, struct zs_cfg *cfg, struct zs_error *err)
{
	const char *s = NULL;

	if (zs_cfg_string(cfg, "kind", &s, err))
		return -1;
	if (!s || !strcmp(s, "kernel"))
		k->kind = ZS_KIND_KERNEL;
	else if (!strcmp(s, "buffer"))
		k->kind = ZS_KIND_BUFFER;
	else
		return zs_cfg_error(zs_cfg_get(cfg, "kind"), err,
				    "kind must be kernel or buffer, not '%s'", s);
	return 0;
}

static int
kernel_create(struct zs_source *s, struct zs_cfg *cfg, const struct zs_source_env *env,
	      struct zs_error *err)
{
	struct kgen *k = calloc(1, sizeof(*k));
	const char *gfp = "GFP_KERNEL";
	int64_t v;

	if (!k)
		return zs_error_set(err, EX_OSERR, "out of memory");
	s->priv = k;
	k->order_w[0] = 1;
	k->nr_orders = 1;
	k->rate = 100;
	k->burst = zs_dist_const(ZS_UNIT_NUMBER, 1);
	k->burst_gap_ns = 0;
	k->lifetime = zs_dist_exponential(ZS_UNIT_NS, 1e9);
	k->root = 1;
	snprintf(k->comm, sizeof(k->comm), "kernel");

	if (zs_cfg_check_keys(cfg, kernel_keys, err) || apply_preset(k, cfg, &gfp, err) ||
	    read_orders(k, cfg, err) || zs_gen_rate(cfg, "rate", &k->rate, err) ||
	    zs_dist_get(cfg, "burst", ZS_UNIT_NUMBER, &k->burst, err) ||
	    zs_cfg_duration(cfg, "burst_gap", 0, 3600000000000LL, &k->burst_gap_ns, err) ||
	    zs_dist_get(cfg, "lifetime", ZS_UNIT_NS, &k->lifetime, err) || read_kind(k, cfg, err) ||
	    zs_gen_comm(cfg, "comm", k->comm, err) || zs_cfg_bool(cfg, "root", &k->root, err) ||
	    zs_gen_task_attrs(cfg, env, k->root, &k->attrs, err) ||
	    zs_gen_gfp(cfg, "gfp", env->kver, gfp, &k->gfp, err) ||
	    zs_source_context(cfg, env->kver, k->gfp, k->irq_preset, &s->interrupt, err))
		return -1;
	v = -1;
	if (zs_cfg_int(cfg, "cpu", -1, 65535, &v, err))
		return -1;
	k->cpu = (int)v;

	k->rng = env->rng;
	k->nr_cpus = env->nr_cpus > 0 ? env->nr_cpus : 1;
	k->end = zs_gen_end(env->duration_ns);
	k->single_order = -1;
	for (int i = 0, nz = 0; i < k->nr_orders; i++)
		if (k->order_w[i] > 0) {
			k->single_order = nz++ ? -1 : i;
		}
	if (k->single_order < 0) {
		k->orders = zs_discrete_create(k->order_w, (uint64_t)k->nr_orders);
		if (!k->orders)
			return zs_error_set(err, EX_OSERR, "out of memory");
	}
	k->next_arrival = zs_gen_gap(k->rng, k->rate);
	if (k->next_arrival >= k->end)
		k->next_arrival = ZS_GEN_NEVER;
	return 0;
}

static void
kernel_destroy(struct zs_source *s)
{
	struct kgen *k = s->priv;

	if (!k)
		return;
	zs_discrete_destroy(k->orders);
	zs_evheap_free(&k->heap);
	free(k->rec);
	free(k->rec_order);
	free(k->rec_serial);
	free(k->free_rec);
	free(k);
	s->priv = NULL;
}

/* A record slot for a new allocation, or UINT32_MAX when memory ran out. */
static uint32_t
rec_get(struct kgen *k)
{
	if (k->nr_free_rec)
		return k->free_rec[--k->nr_free_rec];
	if (k->nr_rec == k->cap_rec) {
		uint32_t cap = k->cap_rec ? k->cap_rec * 2 : 256;
		uint8_t *r = realloc(k->rec, cap);
		uint8_t *o;
		uint32_t *se, *f;

		if (!r)
			return UINT32_MAX;
		k->rec = r;
		if (!(o = realloc(k->rec_order, cap)))
			return UINT32_MAX;
		k->rec_order = o;
		if (!(se = realloc(k->rec_serial, cap * sizeof(*se))))
			return UINT32_MAX;
		k->rec_serial = se;
		if (!(f = realloc(k->free_rec, cap * sizeof(*f))))
			return UINT32_MAX;
		k->free_rec = f;
		k->cap_rec = cap;
	}
	return k->nr_rec++;
}

static void
rec_put(struct kgen *k, uint32_t slot)
{
	k->rec[slot] = REC_FREE;
	k->free_rec[k->nr_free_rec++] = slot;
}

static void
fill(const struct kgen *k, struct zs_request *req, int64_t time, enum zs_req_type type)
{
	memset(req, 0, sizeof(*req));
	req->time = time;
	req->type = type;
	req->task = 0;
	req->kind = k->kind;
	req->cpu = (uint16_t)(k->cpu >= 0 ? k->cpu : 0);
}

static int
kernel_next(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	struct kgen *k = s->priv;

	(void)err;
	if (k->finished)
		return 0;
	if (!k->started) {
		k->started = 1;
		fill(k, req, 0, ZS_REQ_TASK_START);
		req->root = (uint8_t)k->root;
		req->kthread = 1; /* kernel context: never an OOM victim, no rss */
		req->attrs = k->attrs;
		memcpy(req->comm, k->comm, sizeof(req->comm));
		return 1;
	}
	for (;;) {
		const struct zs_evheap_ent *top = zs_evheap_top(&k->heap);
		int64_t tf = top ? top->time : ZS_GEN_NEVER;
		int64_t tb = k->burst_left ? k->burst_next : ZS_GEN_NEVER;
		int64_t ta = k->next_arrival;
		int64_t now = tf < tb ? tf : tb;

		if (ta < now)
			now = ta;
		if (now >= k->end) {
			if (k->end == ZS_GEN_NEVER)
				return 0; /* nothing left: no arrivals, nothing to free */
			/*
			 * The source's end: every live block is freed explicitly (kernel
			 * memory does not belong to a process), then the task exits.
			 */
			while (k->end_cursor < k->nr_rec && k->rec[k->end_cursor] != REC_LIVE)
				k->end_cursor++;
			if (k->end_cursor < k->nr_rec) {
				uint32_t sl = k->end_cursor++;

				fill(k, req, k->end, ZS_REQ_FREE);
				req->handle = sl;
				req->order = k->rec_order[sl];
				k->rec[sl] = REC_FAILED; /* its heap entry is dropped, never reissued */
				k->frees++;
				k->last_time = k->end;
				return 1;
			}
			k->finished = 1;
			fill(k, req, k->end, ZS_REQ_TASK_EXIT);
			return 1;
		}
		ZS_BUG_ON(now < k->last_time);
		if (now == tf) {
			/* frees first at a tie: expired objects go before new ones come */
			struct zs_evheap_ent e = *top;
			uint32_t sl = e.id;

			zs_evheap_pop(&k->heap);
			if (k->rec[sl] != REC_LIVE || k->rec_serial[sl] != e.serial) {
				if (k->rec[sl] == REC_FAILED && k->rec_serial[sl] == e.serial)
					rec_put(k, sl);
				continue;
			}
			fill(k, req, now, ZS_REQ_FREE);
			req->handle = sl;
			req->order = k->rec_order[sl];
			rec_put(k, sl);
			k->frees++;
			k->last_time = now;
			return 1;
		}
		if (now == tb) {
			uint32_t sl = rec_get(k);
			unsigned order = k->single_order >= 0
						 ? (unsigned)k->single_order
						 : (unsigned)zs_discrete_draw(k->rng, k->orders);
			int64_t life = zs_dist_draw_int(&k->lifetime, k->rng, 0, ZS_GEN_NEVER);

			k->burst_left--;
			k->burst_next = zs_gen_after(now, k->burst_gap_ns);
			if (sl == UINT32_MAX)
				continue; /* out of memory: the allocation is skipped */
			k->rec[sl] = REC_LIVE;
			k->rec_order[sl] = (uint8_t)order;
			k->rec_serial[sl] = k->next_serial++;
			if (life != ZS_GEN_NEVER &&
			    zs_evheap_push(&k->heap, zs_gen_after(now, life), sl, k->rec_serial[sl]))
				life = ZS_GEN_NEVER; /* no memory for the heap: it lives on */
			fill(k, req, now, ZS_REQ_ALLOC);
			req->handle = sl;
			req->order = (uint8_t)order;
			req->gfp = k->gfp;
			if (k->cpu < 0)
				req->cpu = (uint16_t)zs_rng_uniform_int(k->rng, (uint64_t)k->nr_cpus);
			k->allocs++;
			k->last_time = now;
			return 1;
		}
		/* a burst arrives */
		k->bursts++;
		if (!k->burst_left)
			k->burst_next = now;
		/* a burst arriving during another extends it (one receive queue) */
		k->burst_left += (uint64_t)zs_dist_draw_int(&k->burst, k->rng, 1, 1 << 20);
		k->next_arrival = zs_gen_after(now, zs_gen_gap(k->rng, k->rate));
		if (k->next_arrival >= k->end)
			k->next_arrival = ZS_GEN_NEVER;
	}
}

static void
kernel_feedback(struct zs_source *s, const struct zs_request *req, int ok)
{
	struct kgen *k = s->priv;

	if (ok)
		return;
	if (req->type == ZS_REQ_ALLOC) {
		uint64_t sl = req->handle;

		k->failed++;
		/* its FREE must not be issued; the slot is reused once its heap entry pops */
		if (sl < k->nr_rec && k->rec[sl] == REC_LIVE)
			k->rec[sl] = REC_FAILED;
	} else if (req->type == ZS_REQ_TASK_EXIT) {
		k->finished = 1; /* OOM-killed: the driver freed everything it had */
	}
}

static void
kernel_summary(struct zs_source *s, void (*emit)(void *cookie, const char *key, int64_t v),
	       void *cookie)
{
	struct kgen *k = s->priv;

	emit(cookie, "bursts", (int64_t)k->bursts);
	emit(cookie, "kernel_allocs", (int64_t)k->allocs);
	emit(cookie, "kernel_frees", (int64_t)k->frees);
	emit(cookie, "kernel_alloc_failed", (int64_t)k->failed);
}

const struct zs_source_ops zs_source_kernel = {
	.type = "kernel",
	.create = kernel_create,
	.next = kernel_next,
	.feedback = kernel_feedback,
	.destroy = kernel_destroy,
	.summary = kernel_summary,
};
