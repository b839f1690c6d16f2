/*
 * engine.c - the event queue (a binary min-heap on (time, seq)) and the
 * simulated threads built on it; see engine.h.
 */
#include "sim/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "sim/sched.h"

#define SLICE_TAB 64 /* run-queue lengths whose time slice is kept (see slice_tab) */

struct zs_engine {
	struct zs_event *heap;
	size_t n, cap;
	uint64_t seq;
	zs_time_t now;
	uint64_t events;
	int stop;
	/* zs_engine_run's bound, and whether a CPU may run its next event in place
	 * (no after_each to call between events): see next_is_ours() */
	zs_time_t until;
	int in_place;
	struct zs_thread **threads;
	int nr_threads, cap_threads;
	struct zs_sched_params sp;
	struct zs_cpu *cpus;      /* sp.nr_cpus of them; NULL: uncontended CPUs */
	/* zs_sched_slice_ns(&sp, n) for n < SLICE_TAB: every pick asks for one, and CFS's
	 * takes two 64-bit divisions (some 2 % of a hog replay's time) */
	zs_time_t slice_tab[SLICE_TAB];
};

/* a FIFO of runnable threads, linked through rq_next */
struct zs_rq {
	struct zs_thread *first, *last;
};

/*
 * One CPU: the thread it serves (curr) and the runnable threads waiting for it,
 * in two FIFOs as the O(1) scheduler's arrays: `active` (woken threads, with
 * slice left) before `expired` (threads preempted at the end of their slice).
 * At most one CPU event is pending (armed): the end of curr's current segment of
 * work, or a dispatch at the current time.
 */
struct zs_cpu {
	struct zs_engine *e;
	struct zs_thread *curr;
	struct zs_rq active, expired;
	int nr_queued;        /* on both queues */
	int armed;
	int need_resched;     /* a woken thread takes the CPU at curr's next step boundary */
	zs_time_t seg_start;  /* curr's work has been served up to here */
	zs_time_t slice_left; /* of curr's slice */
	zs_time_t ran_ns;     /* curr's run since it got the CPU */
	zs_time_t busy_ns;
};

/* what a thread's run() chose, applied once its charged work is served */
enum { ACT_STEP = 0, ACT_SLEEP, ACT_YIELD, ACT_EXIT };

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
	free(e->cpus);
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
	uint64_t first = e->events;

	e->stop = 0;
	e->until = until;
	e->in_place = after_each == NULL;
	while (e->n && e->heap[0].time <= until && !e->stop) {
		struct zs_event ev = pop(e);

		e->now = ev.time;
		ev.fn(ev.arg, ev.data);
		e->events++;
		if (after_each)
			after_each(cookie);
	}
	e->in_place = 0;
	if (!e->stop && e->now < until)
		e->now = until;
	return e->events - first; /* those run in place included */
}

void
zs_engine_stop(struct zs_engine *e)
{
	e->stop = 1;
}

/* ---- threads ---- */

static void thread_event(void *arg, uint64_t gen);
static void sched_enqueue(struct zs_thread *t, int at_event);

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

/* Does t queue for a CPU?  Not without a scheduler, nor in interrupt context. */
static inline int
queues(const struct zs_thread *t)
{
	return t->engine->cpus && !t->irq;
}

/* Schedule t to run at time `at`; earlier pending events of t become stale. */
static void
schedule_at(struct zs_thread *t, zs_time_t at)
{
	t->gen++;
	zs_event_at(t->engine, at, thread_event, t, t->gen);
}

/* Call t's run() for one step. */
static void
run_step(struct zs_thread *t)
{
	t->charged = 0;
	t->decided = 0;
	t->runs++;
	t->run(t);
	ZS_BUG_ON(!t->decided); /* run() must choose sleep, wait, yield or exit */
}

/* The timeout of t's sleep expired. */
static void
timer_expired(struct zs_thread *t)
{
	wq_remove(t);
	t->woken_by_timeout = 1;
	t->state = ZS_T_RUNNING;
}

static void
thread_event(void *arg, uint64_t gen)
{
	struct zs_thread *t = arg;

	if (gen != t->gen || t->state == ZS_T_DEAD)
		return; /* a timer of a sleep that already ended */
	if (t->state == ZS_T_SLEEPING)
		timer_expired(t);
	if (queues(t)) {
		sched_enqueue(t, 1); /* its start or its timer: runnable, it waits for its CPU */
		return;
	}
	run_step(t);
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

void
zs_thread_set_task(struct zs_thread *t)
{
	t->task = 1;
}

void
zs_thread_set_irq(struct zs_thread *t)
{
	ZS_BUG_ON(t->runs || t->on_cpu);
	t->irq = 1;
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
		if (!queues(t))
			t->cpu_ns += ns; /* with a scheduler, counted as the CPU serves it */
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
	if (queues(t)) {
		/* the timer starts when the CPU has served the step (sched_complete) */
		t->action = ACT_SLEEP;
		t->sleep_timeout = timeout;
		return;
	}
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
	if (queues(t)) {
		t->action = ACT_YIELD;
		return;
	}
	schedule_at(t, busy_until(t));
}

void
zs_thread_exit(struct zs_thread *t)
{
	ZS_BUG_ON(t->decided);
	t->decided = 1;
	t->state = ZS_T_DEAD;
	t->gen++;
	t->action = ACT_EXIT;
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
	if (queues(t)) {
		t->gen++; /* its timer, if set, is stale */
		/* SUBTLE: a thread still being served the step that chose the sleep stays
		 * runnable (like a wake-up between set_current_state and schedule()) */
		if (!t->on_cpu)
			sched_enqueue(t, 0);
		return 1;
	}
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

/* ---- CPUs: run queues and time slices (only with zs_engine_set_sched) ---- */

static void cpu_event(void *arg, uint64_t data);

void
zs_engine_set_sched(struct zs_engine *e, const struct zs_sched_params *p)
{
	ZS_BUG_ON(e->nr_threads || e->cpus || p->nr_cpus < 1 || p->tick_ns < 1);
	e->sp = *p;
	for (int n = 0; n < SLICE_TAB; n++)
		e->slice_tab[n] = zs_sched_slice_ns(p, n);
	e->cpus = calloc((size_t)p->nr_cpus, sizeof(*e->cpus));
	ZS_BUG_ON(!e->cpus);
	for (int i = 0; i < p->nr_cpus; i++)
		e->cpus[i].e = e;
}

const struct zs_sched_params *
zs_engine_sched(const struct zs_engine *e)
{
	return e->cpus ? &e->sp : NULL;
}

static void
cpu_arm(struct zs_cpu *c, zs_time_t at)
{
	c->armed = 1;
	zs_event_at(c->e, at, cpu_event, c, 0);
}

static void
rq_append(struct zs_cpu *c, struct zs_rq *q, struct zs_thread *t)
{
	t->rq_next = NULL;
	if (q->last)
		q->last->rq_next = t;
	else
		q->first = t;
	q->last = t;
	c->nr_queued++;
	t->runnable_since = c->e->now;
}

static struct zs_thread *
rq_pop(struct zs_cpu *c, struct zs_rq *q)
{
	struct zs_thread *t = q->first;

	if (!t)
		return NULL;
	q->first = t->rq_next;
	if (!q->first)
		q->last = NULL;
	t->rq_next = NULL;
	c->nr_queued--;
	return t;
}

/* Charge curr with the work its CPU served since seg_start. */
static void
cpu_account(struct zs_cpu *c)
{
	struct zs_thread *t = c->curr;
	zs_time_t ran = c->e->now - c->seg_start;

	c->seg_start = c->e->now;
	if (!t || ran <= 0)
		return;
	ZS_BUG_ON(ran > t->work);
	t->work -= ran;
	t->cpu_ns += ran;
	c->busy_ns += ran;
	c->slice_left -= ran;
	c->ran_ns += ran;
}

/* A full slice for a thread taking c while nr_running threads are runnable. */
static zs_time_t
full_slice(struct zs_cpu *c, int nr_running)
{
	if (nr_running >= 0 && nr_running < SLICE_TAB)
		return c->e->slice_tab[nr_running];
	return zs_sched_slice_ns(&c->e->sp, nr_running);
}

/* Give the CPU to the first waiting thread; NULL if none waits.  (Inline, as
 * rq_add: as calls, the two cost some 20 instructions a replayed event.) */
static inline __attribute__((always_inline)) struct zs_thread *
cpu_pick(struct zs_cpu *c)
{
	struct zs_thread *t = rq_pop(c, &c->active);

	if (!t)
		t = rq_pop(c, &c->expired); /* the O(1) array switch: all had their turn */
	if (!t)
		return NULL;
	t->wait_ns += c->e->now - t->runnable_since;
	c->curr = t;
	c->seg_start = c->e->now;
	c->ran_ns = 0;
	c->need_resched = 0;
	/* 2.4 and 2.6.18: what is left of its own slice; CFS: sched_slice() at pick */
	c->slice_left = c->e->sp.slice_ns ? t->slice_left : full_slice(c, c->nr_queued + 1);
	return t;
}

/* curr leaves the CPU (sleep, exit, preemption); its slice left goes with it. */
static void
cpu_put(struct zs_cpu *c, struct zs_thread *t)
{
	c->curr = NULL;
	t->slice_left = c->slice_left > 0 ? c->slice_left : full_slice(c, 1);
}

/* curr's slice is over: preempted if someone waits, else a new slice.  1 if preempted. */
static int
cpu_slice_end(struct zs_cpu *c, struct zs_thread *t)
{
	if (c->slice_left > 0)
		return 0;
	c->slice_left = full_slice(c, c->nr_queued + 1);
	c->ran_ns = 0;
	if (!c->nr_queued)
		return 0;
	/* KERNEL: 2.4.0 kernel/timer.c update_process_times(), 2.6.18 kernel/sched.c
	 * scheduler_tick(), 2.6.32 kernel/sched_fair.c check_preempt_tick(): the slice
	 * is used up, need_resched; it waits behind every thread that still has slice */
	cpu_put(c, t);
	rq_append(c, &c->expired, t);
	return 1;
}

/* The CPU t queues for. */
static inline struct zs_cpu *
cpu_of(const struct zs_thread *t)
{
	unsigned c = (unsigned)t->cpu, n = (unsigned)t->engine->sp.nr_cpus;

	/* no division for the usual thread, whose CPU is one of the machine's */
	return &t->engine->cpus[c < n ? c : c % n];
}

/* t becomes runnable on c: sched_enqueue before it looks at c's current thread. */
static inline __attribute__((always_inline)) void
rq_add(struct zs_cpu *c, struct zs_thread *t)
{
	ZS_BUG_ON(t->on_cpu);
	t->on_cpu = 1;
	t->rq_cpu = c;
	t->action = ACT_STEP;
	t->work = 0;
	if (t->slice_left <= 0)
		t->slice_left = full_slice(c, c->nr_queued + 1 + (c->curr != NULL));
	rq_append(c, &c->active, t);
}

/*
 * Would an event at `at`, scheduled now from inside an event, be the next one
 * zs_engine_run pops?  Yes when it is due within the run's bound and strictly
 * before every queued event (on a tie the queued one goes first: it was
 * scheduled first), no handler asked to stop, and the run calls nothing
 * between events.  The CPU then ends the current event and runs that one in
 * place (run_in_place): nothing else could run in between, so the result is
 * what queueing it would give, without the queue's push and pop.
 */
static inline int
next_is_ours(const struct zs_engine *e, zs_time_t at)
{
	return e->in_place && !e->stop && at <= e->until && (e->n == 0 || at < e->heap[0].time);
}

/* End the current event and start the next (next_is_ours), due at `at`. */
static inline void
run_in_place(struct zs_engine *e, zs_time_t at)
{
	e->seq++;    /* the sequence number queueing it would have taken */
	e->events++; /* the event that ends here, as zs_engine_run counts it */
	e->now = at;
}

/*
 * Run CPU c from now: steps, served work, preemption, until it waits for the
 * end of a segment of work or has nothing to run.  Called only at an event
 * boundary (never inside a run()), so a step never nests in another.
 */
static void
cpu_serve(struct zs_cpu *c)
{
	struct zs_engine *e = c->e;
	struct zs_thread *t = c->curr, *sleeper = NULL; /* its timer not yet queued */
	zs_time_t timer_at = 0;
	int stepped = 0;

	for (;;) {
		if (!t) {
			t = cpu_pick(c);
			if (sleeper && !t && cpu_of(sleeper) == c && next_is_ours(e, timer_at)) {
				/* c is idle and the timer is the next event: thread_event in
				 * place, which puts the sleeper on c and serves c at once */
				ZS_BUG_ON(c->armed); /* sched_enqueue would then only queue it */
				run_in_place(e, timer_at);
				timer_expired(sleeper);
				rq_add(c, sleeper);
				t = cpu_pick(c);
			} else if (sleeper) {
				zs_event_at(e, timer_at, thread_event, sleeper, sleeper->gen);
			}
			sleeper = NULL;
			if (!t)
				return; /* idle */
			stepped = 0;
		}
		if (t->action == ACT_STEP) {
			run_step(t);
			t->work = t->charged;
			stepped = 1;
		}
		if (t->work > 0) {
			if (cpu_slice_end(c, t)) {
				t = NULL;
				continue;
			}
			c->seg_start = e->now;
			zs_time_t end = e->now + (t->work < c->slice_left ? t->work : c->slice_left);

			if (next_is_ours(e, end)) {
				/* cpu_event at the segment's end, in place */
				run_in_place(e, end);
				cpu_account(c);
				stepped = 0;
				continue;
			}
			cpu_arm(c, end);
			return;
		}
		/* the step's work is all served: the action run() chose takes effect */
		if (t->action == ACT_EXIT ||
		    (t->action == ACT_SLEEP && t->state == ZS_T_SLEEPING)) {
			cpu_put(c, t);
			t->on_cpu = 0;
			if (t->action == ACT_SLEEP && t->sleep_timeout != ZS_FOREVER) {
				/* its timer, queued once we know whether c idles (above) */
				sleeper = t;
				timer_at = e->now + t->sleep_timeout;
			}
			t->action = ACT_STEP;
			t = NULL;
			continue;
		}
		/* a yield, or a sleep already ended by a wake-up: it stays runnable and keeps
		 * the CPU while its slice lasts and no woken thread preempts it
		 * (cond_resched(): the kernel code gives the CPU away only on need_resched) */
		t->action = ACT_STEP;
		if (c->need_resched) {
			cpu_put(c, t);
			rq_append(c, &c->active, t);
			t = NULL;
			continue;
		}
		if (cpu_slice_end(c, t)) {
			t = NULL;
			continue;
		}
		if (stepped) {
			/* a step that charged nothing: its next one is a new event, so events
			 * due at this instant (what it yields for) run first */
			cpu_arm(c, e->now);
			return;
		}
	}
}

static void
cpu_event(void *arg, uint64_t data)
{
	struct zs_cpu *c = arg;

	(void)data;
	c->armed = 0;
	cpu_account(c);
	cpu_serve(c);
}

/* t woke up (or starts): onto its CPU's run queue; at_event: not inside a run(). */
static void
sched_enqueue(struct zs_thread *t, int at_event)
{
	struct zs_engine *e = t->engine;
	struct zs_cpu *c = cpu_of(t);

	rq_add(c, t);
	if (c->curr) {
		/* the running thread's run and slice as of now, its segment included */
		zs_time_t seg = e->now - c->seg_start;

		/* DEVIATION: the woken thread gets the CPU at the end of the running thread's
		 * step, as a kernel without CONFIG_PREEMPT reschedules at its next
		 * cond_resched(); a task in user mode would be preempted at once, but the
		 * time threads charge here is kernel time */
		if (zs_sched_wakeup_preempts(&e->sp, t->slice_left, c->slice_left - seg,
					     c->ran_ns + seg))
			c->need_resched = 1;
		return;
	}
	if (c->armed)
		return; /* a dispatch at this instant is already due */
	if (at_event)
		cpu_serve(c);
	else
		cpu_arm(c, e->now); /* woken from inside another thread's run() */
}

void
zs_engine_sched_sync(struct zs_engine *e)
{
	if (!e->cpus)
		return;
	for (int i = 0; i < e->sp.nr_cpus; i++) {
		struct zs_cpu *c = &e->cpus[i];
		struct zs_rq *qs[2] = {&c->active, &c->expired};

		cpu_account(c);
		for (int q = 0; q < 2; q++)
			for (struct zs_thread *t = qs[q]->first; t; t = t->rq_next) {
				t->wait_ns += e->now - t->runnable_since;
				t->runnable_since = e->now;
			}
	}
}

zs_time_t
zs_engine_cpu_busy_ns(const struct zs_engine *e, int cpu)
{
	return e->cpus && cpu >= 0 && cpu < e->sp.nr_cpus ? e->cpus[cpu].busy_ns : 0;
}

int
zs_engine_sched_check(struct zs_engine *e)
{
	zs_time_t served = 0, busy = 0;

	if (!e->cpus)
		return 0;
	zs_engine_sched_sync(e);
	for (int i = 0; i < e->nr_threads; i++)
		if (!e->threads[i]->irq) /* interrupt time is not the run queues' */
			served += e->threads[i]->cpu_ns;
	for (int i = 0; i < e->sp.nr_cpus; i++) {
		struct zs_cpu *c = &e->cpus[i];
		struct zs_rq *qs[2] = {&c->active, &c->expired};
		int queued = 0;

		if (c->busy_ns > e->now)
			return -1;
		busy += c->busy_ns;
		for (int q = 0; q < 2; q++)
			for (struct zs_thread *t = qs[q]->first; t; t = t->rq_next, queued++)
				if (t->rq_cpu != c || !t->on_cpu)
					return -1;
		if (queued != c->nr_queued || (c->curr && c->curr->rq_cpu != c))
			return -1;
	}
	if (served != busy || served > (zs_time_t)e->sp.nr_cpus * e->now)
		return -1;
	return 0;
}
