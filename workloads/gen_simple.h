/*
 * gen_simple.h - the state of a `simple` source, shared by gen_simple.c (the
 * source: its tasks, their streams and blocks) and gen_simple_queue.c (its
 * queue of timed entries: the heap, and the parked events of busy tasks).
 * Private to those two files.
 */
#ifndef ZS_GEN_SIMPLE_H
#define ZS_GEN_SIMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "workloads/gen_node.h"
#include "workloads/gen_task.h"

struct zs_rng;

enum ev_type { EV_TASK, EV_FREE, EV_START, EV_EXIT, EV_CHAIN };

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
	uint32_t live_pos; /* index in its task's live[], or the free list link */
	uint8_t order;
	uint8_t alive;
	uint8_t parked;    /* its EV_FREE is in its task's parked queue or chain */
};

/* A task's FIFO of events: entries [head, tail) of a[]. */
struct evq {
	struct ev *a;
	uint32_t head, tail, cap;
};

struct stask {
	int64_t next_alloc, next_touch; /* ZS_GEN_NEVER: that stream has ended */
	uint32_t gen;      /* of its EV_TASK entry; bumped when that entry is replaced */
	uint8_t busy, dead, started;
	uint8_t chain_aside; /* its EV_CHAIN popped while it was busy (gen_simple_queue.c) */
	uint32_t *live;    /* its live blocks (slots), for touches */
	uint32_t nlive, caplive;
	struct evq parked; /* its frees and exit that came up while it was busy */
	int64_t parked_last; /* the time of the last one parked */
	int64_t parked_floor; /* parked entry e stands for max(e.time, this) (gen_simple_queue.c) */
	uint8_t parked_sorted; /* their times do not decrease */
	uint32_t nstale;   /* frees in parked or chain whose slot was released since */
	/* its chain (gen_simple_queue.c): entry i of chain stands for the heap entry
	 * (max(time, chain_floor), chain_seq + i - chain.head); the heap holds one
	 * EV_CHAIN entry, keyed so, for its head while it is not empty */
	struct evq chain;
	int64_t chain_floor;
	uint64_t chain_seq;
	struct zs_rng *rng; /* its own draws: gaps, orders, lifetimes, touched blocks */
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
	int cpu;             /* -1: task i on the i-th CPU of cpus */
	struct zs_gen_cpus cpus; /* the machine's, or node:'s */
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
	struct stask *t;   /* per task */
	uint32_t *aside, naside; /* the tasks whose chain is set aside */
	int chains;              /* park in chains (only tests turn it off) */
	uint64_t allocs, failed;
};

/* gen_simple_queue.c: the heap, a min-heap on (time, seq) */
void zs_simple_push(struct simple *g, struct ev e); /* e gets the next sequence number */
struct ev zs_simple_pop(struct simple *g);           /* g->n > 0 */
/* e, a free or exit of busy task ti, popped: it waits for the task's done() */
void zs_simple_park(struct simple *g, uint32_t ti, const struct ev *e);
/* task ti's request completed at `when`: its parked events go back, none before `when` */
void zs_simple_unpark(struct simple *g, uint32_t ti, int64_t when);
/* task ti's EV_CHAIN popped: the head entry it stands for (ti not busy), or
 * set the chain aside (ti busy) until zs_simple_chains_restore */
struct ev zs_simple_chain_take(struct simple *g, uint32_t ti);
void zs_simple_chain_aside(struct simple *g, uint32_t ti);
/* simple_next returns the request of entry *upto (NULL: none); see gen_simple_queue.c */
void zs_simple_chains_restore(struct simple *g, const struct ev *upto);
/* slot s is released: a parked free of it goes stale */
void zs_simple_slot_released(struct simple *g, uint32_t s);

#endif
