/*
 * gen_simple_queue.c - the `simple` source's queue of timed entries: a
 * min-heap on (time, sequence), ties broken by creation order, and the events
 * of busy tasks, parked until their request completes.
 *
 * A free or exit of a busy task is parked (in the order it came up) and, at
 * done(), put back into the heap, each no earlier than the completion.  A task
 * that stays busy while thousands of its frees come due (a long reclaim or
 * I/O wait) would then cycle all of them through the heap at every
 * completion: each done() issues one and the rest pop and park again,
 * O(parked^2) heap operations in all (8 s of a 3 s churn scenario).
 *
 * So when the parked events' times do not decrease (they parked in the order
 * they popped, the common case), done() keeps them in the task as a chain:
 * the entries the heap would hold, (max(time, when), s), (max(time, when),
 * s + 1), ..., in that order, with the sequence numbers s.. reserved, stand
 * for one heap entry, EV_CHAIN, keyed by the chain's head.  Popping EV_CHAIN
 * pops the head as its own entry would pop.  When the task is busy, each of
 * its entries would pop in turn and park again (or be dropped), and nothing
 * the loop does before it returns changes that (the task stays busy, its
 * blocks stay as they are), so the chain is set aside until simple_next
 * returns a request; then every entry before that request's parks, in order,
 * at once (a parked event of the task popped meanwhile first parks the
 * entries before it).  A parked free whose block was released since (a failed
 * allocation, the task's exit) is dropped where it would pop; the task counts
 * such stale frees, so that a chain with none parks without looking at a
 * single slot.  The order of every pop and every sequence number is the same
 * as with one entry per event (tests/test_gen_simple_park.c runs both side by
 * side).
 *
 * A chain that parks whole with nothing stale in it becomes the parked queue
 * as it is: its entries keep the times they were stored with, under the
 * chain's floor (parked_floor), which the next done() takes over.  Its
 * completion time is at least that floor, so max(time, floor, when) is what
 * each entry's time would have become.
 *
 * Invariant: a task has an EV_CHAIN entry in the heap iff its chain is not
 * empty and not set aside; an entry of the parked queue stands for the time
 * max(time, parked_floor), and every entry parked after a whole chain is at
 * least parked_floor already; nstale = the frees in its parked queue and chain
 * whose slot's gen moved on; a slot's `parked` mark is set iff its free of
 * the current gen is in its task's parked queue or chain.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "workloads/gen_simple.h"

static int
ev_before(const struct ev *a, const struct ev *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* Insert e with the sequence number it carries. */
static void
heap_insert(struct simple *g, struct ev e)
{
	size_t i;

	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 256;
		g->heap = realloc(g->heap, g->cap * sizeof(*g->heap));
		ZS_BUG_ON(!g->heap);
	}
	for (i = g->n++; i > 0; i = (i - 1) / 2) {
		if (!ev_before(&e, &g->heap[(i - 1) / 2]))
			break;
		g->heap[i] = g->heap[(i - 1) / 2];
	}
	g->heap[i] = e;
}

void
zs_simple_push(struct simple *g, struct ev e)
{
	e.seq = g->seq++;
	heap_insert(g, e);
}

struct ev
zs_simple_pop(struct simple *g)
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

/* Room for k more entries at the tail of q. */
static void
evq_reserve(struct evq *q, uint32_t k)
{
	uint32_t n = q->tail - q->head;

	if (q->tail + k <= q->cap)
		return;
	if (q->head && n + k <= q->cap / 2) {
		memmove(q->a, q->a + q->head, n * sizeof(*q->a));
		q->head = 0;
		q->tail = n;
		return;
	}
	while (q->cap < q->tail + k)
		q->cap = q->cap ? 2 * q->cap : 8;
	q->a = realloc(q->a, q->cap * sizeof(*q->a));
	ZS_BUG_ON(!q->a);
}

static void
evq_add(struct evq *q, const struct ev *e)
{
	evq_reserve(q, 1);
	q->a[q->tail++] = *e;
}

static void
park(struct stask *t, const struct ev *e)
{
	if (t->parked.head != t->parked.tail && e->time < t->parked_last)
		t->parked_sorted = 0;
	t->parked_last = e->time;
	evq_add(&t->parked, e);
}

/* Is e, a parked event of a busy task, stale?  Stale ones are dropped when they pop. */
static int
parked_stale(const struct simple *g, const struct stask *t, const struct ev *e)
{
	if (e->type == EV_EXIT)
		return t->dead;
	return g->slots[e->slot].gen != e->gen || !g->slots[e->slot].alive;
}

/* e leaves task t's parked queue or chain (popped, dropped or pushed): its slot's mark goes. */
static void
parked_leaves(struct simple *g, struct stask *t, const struct ev *e)
{
	if (e->type != EV_FREE)
		return;
	if (parked_stale(g, t, e)) {
		ZS_BUG_ON(!t->nstale);
		t->nstale--;
	} else {
		g->slots[e->slot].parked = 0;
	}
}

/* The time of the heap entry chain entry i stands for. */
static int64_t
chain_time(const struct stask *t, uint32_t i)
{
	return t->chain.a[i].time > t->chain_floor ? t->chain.a[i].time : t->chain_floor;
}

/* Does chain entry i come before heap entry x? */
static int
chain_before(const struct stask *t, uint32_t i, const struct ev *x)
{
	int64_t time = chain_time(t, i);

	return time < x->time ||
	       (time == x->time && t->chain_seq + (i - t->chain.head) < x->seq);
}

/* The heap entry that stands for the chain of task ti (not empty). */
static void
chain_insert(struct simple *g, uint32_t ti)
{
	const struct stask *t = &g->t[ti];

	heap_insert(g, (struct ev){chain_time(t, t->chain.head), t->chain_seq, EV_CHAIN, ti, 0, 0});
}

/* The head of the chain of task ti (not busy), popped as its own heap entry would be. */
struct ev
zs_simple_chain_take(struct simple *g, uint32_t ti)
{
	struct stask *t = &g->t[ti];
	struct ev e = t->chain.a[t->chain.head];

	e.time = chain_time(t, t->chain.head++);
	e.seq = t->chain_seq++;
	parked_leaves(g, t, &e);
	if (t->chain.head < t->chain.tail)
		chain_insert(g, ti);
	else
		t->chain.head = t->chain.tail = 0;
	return e;
}

/*
 * Task ti is busy and its chain is set aside: its entries before heap entry
 * *upto (all of them when upto is NULL) have popped; park each (with the time
 * its heap entry had) or drop it, as the loop would have.
 */
static void
chain_settle(struct simple *g, uint32_t ti, const struct ev *upto)
{
	struct stask *t = &g->t[ti];
	struct evq *c = &t->chain, *pq = &t->parked;
	/* with no stale free and the task alive, none is dropped: no slot to look at */
	int check = t->nstale || t->dead;
	uint32_t end = c->tail;

	if (c->head == c->tail)
		return; /* all of it parked already */
	if (upto && !chain_before(t, c->tail - 1, upto)) {
		/* the first entry not before *upto: the entries' keys increase */
		uint32_t lo = c->head;

		end = c->tail - 1;
		while (lo < end) {
			uint32_t mid = lo + (end - lo) / 2;

			if (chain_before(t, mid, upto))
				lo = mid + 1;
			else
				end = mid;
		}
	}
	if (pq->head == pq->tail && end == c->tail) {
		/* the whole chain parks in its order: it becomes the parked queue */
		struct evq q = *c;
		uint32_t w = q.head;

		if (!check) {
			/* none is dropped: the entries stay as they are, under the chain's floor */
			t->parked_floor = t->chain_floor;
			t->parked_last = chain_time(t, q.tail - 1);
			t->parked_sorted = 1;
			*c = *pq;
			c->head = c->tail = 0;
			*pq = q;
			return;
		}
		for (uint32_t i = q.head; i < q.tail; i++) {
			if (check && parked_stale(g, t, &q.a[i])) {
				parked_leaves(g, t, &q.a[i]);
				continue;
			}
			q.a[i].time = chain_time(t, i);
			q.a[w++] = q.a[i];
		}
		q.tail = w;
		if (q.head < q.tail) {
			t->parked_last = q.a[q.tail - 1].time;
			t->parked_sorted = 1;
		}
		*c = *pq;
		c->head = c->tail = 0;
		*pq = q;
		return;
	}
	evq_reserve(pq, end - c->head);
	for (uint32_t i = c->head; i < end; i++) {
		struct ev *e = &pq->a[pq->tail];

		if (check && parked_stale(g, t, &c->a[i])) {
			parked_leaves(g, t, &c->a[i]);
			continue;
		}
		*e = c->a[i];
		e->time = chain_time(t, i);
		if (pq->tail != pq->head && e->time < t->parked_last)
			t->parked_sorted = 0;
		t->parked_last = e->time;
		pq->tail++;
	}
	t->chain_seq += end - c->head;
	c->head = end;
	if (c->head == c->tail)
		c->head = c->tail = 0;
}

/* simple_next returns the request of heap entry *upto (NULL: none): the chains
 * set aside go back into the heap, less what popped before it. */
void
zs_simple_chains_restore(struct simple *g, const struct ev *upto)
{
	while (g->naside) {
		uint32_t ti = g->aside[--g->naside];

		chain_settle(g, ti, upto);
		g->t[ti].chain_aside = 0;
		if (g->t[ti].chain.head < g->t[ti].chain.tail)
			chain_insert(g, ti);
	}
}

/* A parked event of busy task ti popped: park it after what of its chain popped before it. */
void
zs_simple_park(struct simple *g, uint32_t ti, const struct ev *e)
{
	if (g->t[ti].chain_aside)
		chain_settle(g, ti, e);
	if (e->type == EV_FREE)
		g->slots[e->slot].parked = 1;
	park(&g->t[ti], e);
}

/*
 * Task ti's request completed at `when`: its parked events go back, each no
 * earlier than `when` (the driver may pull ahead, so they were not
 * necessarily due yet), in the order they parked.
 */
void
zs_simple_unpark(struct simple *g, uint32_t ti, int64_t when)
{
	struct stask *t = &g->t[ti];
	uint32_t n = t->parked.tail - t->parked.head;

	if (!n)
		return;
	if (g->chains && t->chain.head == t->chain.tail && t->parked_sorted) {
		/* a chain: their heap entries would be in this order */
		struct evq q = t->chain;

		t->chain = t->parked;
		t->parked = q;
		t->chain_floor = when > t->parked_floor ? when : t->parked_floor;
		t->chain_seq = g->seq;
		g->seq += n;
		chain_insert(g, ti);
	} else {
		for (uint32_t i = t->parked.head; i < t->parked.tail; i++) {
			struct ev e = t->parked.a[i];

			parked_leaves(g, t, &e);
			if (e.time < t->parked_floor)
				e.time = t->parked_floor;
			if (e.time < when)
				e.time = when;
			zs_simple_push(g, e);
		}
	}
	t->parked.head = t->parked.tail = 0;
	t->parked_sorted = 1;
	t->parked_floor = INT64_MIN;
}

/* Task ti is busy and its EV_CHAIN popped: set the chain aside (see the top). */
void
zs_simple_chain_aside(struct simple *g, uint32_t ti)
{
	/* SUBTLE: popped once: it goes back only in zs_simple_chains_restore */
	ZS_BUG_ON(g->t[ti].chain_aside);
	g->t[ti].chain_aside = 1;
	g->aside[g->naside++] = ti;
}

void
zs_simple_slot_released(struct simple *g, uint32_t s)
{
	if (g->slots[s].parked) {
		/* its parked free is dropped when it pops (gen no longer matches) */
		g->slots[s].parked = 0;
		g->t[g->slots[s].task].nstale++;
	}
}
