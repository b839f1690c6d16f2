/*
 * engine.c - the event queue (a binary min-heap on (time, seq)) and the
 * simulated threads built on it; see engine.h.
 */
#include "sim/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"

struct zs_engine {
	struct zs_event *heap;
	size_t n, cap;
	uint64_t seq;
	zs_time_t now;
	uint64_t events;
	int stop;
	struct zs_thread **threads;
	int nr_threads, cap_threads;
};

struct zs_engine *
zs_engine_create(void)
{
	struct zs_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->cap = 1024;
	e->heap = malloc(e->cap * sizeof(*e->heap));
	if (!e->heap) {
		free(e);
		return NULL;
	}
	return e;
}

void
zs_engine_destroy(struct zs_engine *e)
{
	if (!e)
		return;
	for (int i = 0; i < e->nr_threads; i++)
		free(e->threads[i]);
	free(e->threads);
	free(e->heap);
	free(e);
}

zs_time_t
zs_now(const struct zs_engine *e)
{
	return e->now;
}

uint64_t
zs_engine_events(const struct zs_engine *e)
{
	return e->events;
}

static inline int
before(const struct zs_event *a, const struct zs_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

void
zs_event_at(struct zs_engine *e, zs_time_t t, zs_event_fn fn, void *arg, uint64_t data)
{
	size_t i;

	if (t < e->now)
		t = e->now;
	if (e->n == e->cap) {
		/* amortised growth; the queue's size is bounded by live threads and sources */
		struct zs_event *h = realloc(e->heap, 2 * e->cap * sizeof(*h));

		ZS_BUG_ON(!h);
		e->heap = h;
		e->cap *= 2;
	}
	i = e->n++;
	struct zs_event ev = {t, e->seq++, fn, arg, data};
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!before(&ev, &e->heap[parent]))
			break;
		e->heap[i] = e->heap[parent];
		i = parent;
	}
	e->heap[i] = ev;
}

static struct zs_event
pop(struct zs_engine *e)
{
	struct zs_event top = e->heap[0];
	struct zs_event last = e->heap[--e->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= e->n)
			break;
		if (c + 1 < e->n && before(&e->heap[c + 1], &e->heap[c]))
			c++;
		if (!before(&e->heap[c], &last))
			break;
		e->heap[i] = e->heap[c];
		i = c;
	}
	if (e->n)
		e->heap[i] = last;
	return top;
}

uint64_t
zs_engine_run(struct zs_engine *e, zs_time_t until, void (*after_each)(void *), void *cookie)
{
	uint64_t ran = 0;

	e->stop = 0;
	while (e->n && e->heap[0].time <= until && !e->stop) {
		struct zs_event ev = pop(e);

		e->now = ev.time;
		ev.fn(ev.arg, ev.data);
		e->events++;
		ran++;
		if (after_each)
			after_each(cookie);
	}
	if (!e->stop && e->now < until)
		e->now = until;
	return ran;
}

void
zs_engine_stop(struct zs_engine *e)
{
	e->stop = 1;
}

/* ---- threads ---- */

static void thread_event(void *arg, uint64_t gen);

/* Take t off the wait queue it sleeps on, if any. */
static void
wq_remove(struct zs_thread *t)
{
	struct zs_waitqueue *wq = t->wq;
	struct zs_thread **pp, *prev = NULL;

	if (!wq)
		return;
	for (pp = &wq->first; *pp != t; pp = &(*pp)->wq_next)
		prev = *pp;
	*pp = t->wq_next;
	if (wq->last == t)
		wq->last = prev;
	wq->count--;
	t->wq = NULL;
	t->wq_next = NULL;
}

/* Schedule t to run at time `at`; earlier pending events of t become stale. */
static void
schedule_at(struct zs_thread *t, zs_time_t at)
{
	t->gen++;
	zs_event_at(t->engine, at, thread_event, t, t->gen);
}

static void
thread_event(void *arg, uint64_t gen)
{
	struct zs_thread *t = arg;

	if (gen != t->gen || t->state == ZS_T_DEAD)
		return; /* a timer of a sleep that already ended */
	if (t->state == ZS_T_SLEEPING) {
		/* the sleep's timeout expired */
		wq_remove(t);
		t->woken_by_timeout = 1;
		t->state = ZS_T_RUNNING;
	}
	t->charged = 0;
	t->decided = 0;
	t->runs++;
	t->run(t);
	ZS_BUG_ON(!t->decided); /* run() must choose sleep, wait, yield or exit */
}

struct zs_thread *
zs_thread_create(struct zs_engine *e, const char *name, int cpu, zs_thread_fn run, void *priv,
		 zs_time_t start)
{
	struct zs_thread *t = calloc(1, sizeof(*t));

	ZS_BUG_ON(!t);
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->cpu = cpu;
	t->run = run;
	t->priv = priv;
	t->engine = e;
	t->state = ZS_T_RUNNING;
	if (e->nr_threads == e->cap_threads) {
		int cap = e->cap_threads ? 2 * e->cap_threads : 16;
		struct zs_thread **a = realloc(e->threads, (size_t)cap * sizeof(*a));

		ZS_BUG_ON(!a);
		e->threads = a;
		e->cap_threads = cap;
	}
	t->id = e->nr_threads;
	e->threads[e->nr_threads++] = t;
	schedule_at(t, start);
	return t;
}

int
zs_engine_nr_threads(const struct zs_engine *e)
{
	return e->nr_threads;
}

struct zs_thread *
zs_engine_thread(const struct zs_engine *e, int i)
{
	return e->threads[i];
}

void
zs_thread_charge(struct zs_thread *t, zs_time_t ns)
{
	if (ns > 0) {
		t->charged += ns;
		t->cpu_ns += ns;
	}
}

/* When the current step's CPU work is done. */
static zs_time_t
busy_until(struct zs_thread *t)
{
	t->busy_end = t->engine->now + t->charged;
	return t->busy_end;
}

void
zs_thread_sleep(struct zs_thread *t, zs_time_t timeout)
{
	ZS_BUG_ON(t->decided);
	t->decided = 1;
	t->state = ZS_T_SLEEPING;
	t->woken_by_timeout = 0;
	t->gen++; /* no pending run; a timer, if any, is scheduled below */
	zs_time_t end = busy_until(t);
	if (timeout != ZS_FOREVER)
		zs_event_at(t->engine, end + timeout, thread_event, t, t->gen);
}

void
zs_thread_wait(struct zs_thread *t, struct zs_waitqueue *wq, zs_time_t timeout)
{
	zs_thread_sleep(t, timeout);
	t->wq = wq;
	t->wq_next = NULL;
	if (wq->last)
		wq->last->wq_next = t;
	else
		wq->first = t;
	wq->last = t;
	wq->count++;
}

void
zs_thread_yield(struct zs_thread *t)
{
	ZS_BUG_ON(t->decided);
	t->decided = 1;
	schedule_at(t, busy_until(t));
}

void
zs_thread_exit(struct zs_thread *t)
{
	ZS_BUG_ON(t->decided);
	t->decided = 1;
	t->state = ZS_T_DEAD;
	t->gen++;
}

int
zs_thread_wake(struct zs_thread *t)
{
	if (t->state != ZS_T_SLEEPING)
		return 0;
	wq_remove(t);
	t->state = ZS_T_RUNNING;
	t->woken_by_timeout = 0;
	t->wakeups++;
	/* a thread cannot run again before the CPU work of its last step is done */
	schedule_at(t, t->busy_end > t->engine->now ? t->busy_end : t->engine->now);
	return 1;
}

unsigned
zs_waitqueue_wake_all(struct zs_waitqueue *wq)
{
	unsigned n = 0;

	while (wq->first)
		n += (unsigned)zs_thread_wake(wq->first);
	return n;
}

unsigned
zs_waitqueue_wake_one(struct zs_waitqueue *wq)
{
	return wq->first ? (unsigned)zs_thread_wake(wq->first) : 0;
}
