/*
 * engine.h - discrete-event engine: simulated time, the event queue, and
 * simulated threads (tasks and kernel daemons) with sleep, yield and wait queues.
 *
 * Time is in nanoseconds.  Events are ordered by (time, insertion sequence), so
 * two events at the same instant run in the order they were scheduled and a run
 * is deterministic.  There is no real concurrency: a handler runs to completion.
 *
 * A thread is a state machine (Redis ae.c style): its run() is called when it
 * is scheduled and must end by choosing what happens next with exactly one of
 * zs_thread_sleep (timeout or forever), zs_thread_wait (on a wait queue, with
 * optional timeout), zs_thread_yield (run again as soon as possible) or
 * zs_thread_exit.  CPU time the step consumed is charged with zs_thread_charge
 * and delays whatever comes next by that much: "kswapd at 100% CPU" is a thread
 * whose charged time fills the wall clock.
 *
 * CPUs (zs_engine_set_sched): by default every thread runs as if it had its
 * own CPU and charged time delays only itself.  With a scheduler set, the
 * machine's CPUs are shared: each has a run queue; a thread that becomes
 * runnable (its start, a timer, a wake-up, a yield) waits until its CPU
 * (thread->cpu modulo the CPU count) is free, its run() is called when it gets
 * the CPU, and the time it charged then occupies that CPU.  A thread whose
 * charged work outlasts its time slice is preempted at slice end when others
 * wait, and queues behind every woken thread (an `expired` FIFO after the
 * `active` one) with the rest of its work; the action its run() chose (sleep,
 * wait, yield, exit) takes effect when all of its work has been served.  A
 * yield keeps the CPU while the slice lasts (cond_resched(): only need_resched
 * gives the CPU away).  A woken thread that wins the era's wake-up test
 * (sim/sched.c) sets need_resched and gets the CPU at the end of the running
 * thread's current step.
 *
 * DEVIATION: round-robin at the era's nice-0 slice (sim/sched.c); no priorities,
 * nice, 2.4 counter recalculation, 2.6.18 sleep_avg bonus or CFS vruntime order;
 * the wake-up test is a stand-in (sched.c); the slice is timed from when the
 * thread got the CPU, not from tick boundaries; no load balancing or migration
 * between CPUs; no context-switch cost.
 *
 * Invariant (zs_engine_sched_check): the CPU time served to all threads is at
 * most CPUs x elapsed time, and a CPU serves one thread at a time.
 *
 * Invariant: a thread is on at most one wait queue; a stale wake-up (timer of a
 * sleep that was already ended) is ignored through the thread's generation.
 */
#ifndef ZS_ENGINE_H
#define ZS_ENGINE_H

#include <stdint.h>

typedef int64_t zs_time_t; /* nanoseconds since the start of the run */

#define ZS_NS_PER_SEC 1000000000LL
#define ZS_FOREVER (-1)

struct zs_engine;
struct zs_thread;
struct zs_cpu;

typedef void (*zs_event_fn)(void *arg, uint64_t data);

struct zs_event {
	zs_time_t time;
	uint64_t seq;
	zs_event_fn fn;
	void *arg;
	uint64_t data;
};

struct zs_engine *zs_engine_create(void);
void zs_engine_destroy(struct zs_engine *e);

/* Current simulated time. */
zs_time_t zs_now(const struct zs_engine *e);

/* Schedule fn(arg, data) at absolute time t (>= now). */
void zs_event_at(struct zs_engine *e, zs_time_t t, zs_event_fn fn, void *arg, uint64_t data);

/*
 * Run events in order until the queue is empty or the next event is later than
 * `until`; time then stands at `until` (or at the last event).  Returns the
 * number of events run.  A non-NULL after_each is called after every event
 * (the debug invariant checker).  Without one, a CPU whose next event (the end
 * of the work it serves, the timer of a thread it put to sleep while idle) is
 * due before every queued one runs it in place, skipping the queue: the same
 * events in the same order at the same times, counted alike.
 */
uint64_t zs_engine_run(struct zs_engine *e, zs_time_t until, void (*after_each)(void *),
		       void *cookie);

/* Ask zs_engine_run to return after the current event. */
void zs_engine_stop(struct zs_engine *e);

/* Events run so far. */
uint64_t zs_engine_events(const struct zs_engine *e);

/* ---- simulated threads ---- */

enum zs_thread_state {
	ZS_T_RUNNING = 0, /* inside run() or scheduled to run */
	ZS_T_SLEEPING,    /* sleeping with or without timeout, or waiting on a queue */
	ZS_T_DEAD
};

struct zs_waitqueue {
	struct zs_thread *first, *last;
	uint32_t count;
};

typedef void (*zs_thread_fn)(struct zs_thread *t);

struct zs_thread {
	/* others may read */
	char name[24];
	int id;                   /* engine-wide, in creation order */
	int cpu;                  /* simulated CPU it runs on */
	enum zs_thread_state state;
	zs_time_t cpu_ns;         /* CPU time: charged, or with a scheduler served */
	uint64_t wakeups;         /* times woken from sleep by someone else */
	uint64_t runs;            /* times run() was called */
	int woken_by_timeout;     /* the last sleep ended by its timeout, not a wake-up */
	int task;                 /* a user task's thread (zs_thread_set_task), else a daemon */
	int irq;                  /* interrupt context (zs_thread_set_irq): never queues */
	zs_time_t wait_ns;        /* runnable but waiting for its CPU (scheduler set) */
	void *priv;               /* owner's data */
	zs_thread_fn run;

	/* owned by engine.c */
	struct zs_engine *engine;
	uint64_t gen;             /* bumped each time the thread is scheduled */
	zs_time_t charged;        /* charged in the current step */
	zs_time_t busy_end;       /* when the last step's CPU work ends */
	int decided;              /* run() chose its next action */
	struct zs_waitqueue *wq;
	struct zs_thread *wq_next;
	/* the scheduler's (unused without one) */
	int action;               /* what run() chose; takes effect when work is served */
	int on_cpu;               /* on its CPU's run queue or running on it */
	zs_time_t work;           /* charged CPU time not served yet */
	zs_time_t sleep_timeout;
	zs_time_t runnable_since;
	zs_time_t slice_left;     /* of its own slice, kept across sleeps (2.4, 2.6.18) */
	struct zs_cpu *rq_cpu;    /* the CPU it queues or runs on */
	struct zs_thread *rq_next;
};

/* Create a thread; it first runs at time `start`. */
struct zs_thread *zs_thread_create(struct zs_engine *e, const char *name, int cpu,
				   zs_thread_fn run, void *priv, zs_time_t start);

/* Consume simulated CPU time in the current step. */
void zs_thread_charge(struct zs_thread *t, zs_time_t ns);
/* Sleep for timeout ns (ZS_FOREVER: until zs_thread_wake). */
void zs_thread_sleep(struct zs_thread *t, zs_time_t timeout);
/* Sleep on wq until woken (or timeout, unless ZS_FOREVER). */
void zs_thread_wait(struct zs_thread *t, struct zs_waitqueue *wq, zs_time_t timeout);
/* Run again after the charged time (schedule()/yield()). */
void zs_thread_yield(struct zs_thread *t);
/* The thread ends; it is never run again. */
void zs_thread_exit(struct zs_thread *t);

/* Wake a sleeping thread now (no effect unless sleeping).  Returns 1 if woken. */
int zs_thread_wake(struct zs_thread *t);
/* Wake every thread on wq (wake_up_all).  Returns how many. */
unsigned zs_waitqueue_wake_all(struct zs_waitqueue *wq);
/* Wake the first thread on wq.  Returns 1 if one was woken. */
unsigned zs_waitqueue_wake_one(struct zs_waitqueue *wq);

static inline int
zs_thread_sleeping(const struct zs_thread *t)
{
	return t->state == ZS_T_SLEEPING;
}

/* Mark t as a user task's thread (metrics sum those; the rest are daemons). */
void zs_thread_set_task(struct zs_thread *t);
/*
 * Mark t as interrupt context (before it first runs): it runs the moment it is due,
 * whatever its CPU is doing, as an interrupt handler does, and never waits in a run
 * queue; its CPU time is its own (irq time), outside the CPUs' busy time.
 */
void zs_thread_set_irq(struct zs_thread *t);

/* ---- CPUs and the scheduler ---- */

/* The era's nice-0 scheduler as the engine runs it (sim/sched.c fills it). */
struct zs_sched_params {
	const char *name;         /* "rr-2.4.0", "o1-2.6.18", "cfs-2.6.32" */
	int nr_cpus;
	zs_time_t tick_ns;        /* 1/HZ */
	zs_time_t slice_ns;       /* fixed slice (2.4, 2.6.18); 0: CFS, from the fields below */
	zs_time_t latency_ns;     /* CFS sched_latency */
	zs_time_t min_gran_ns;    /* CFS sched_min_granularity */
	int nr_latency;           /* CFS sched_nr_latency */
	zs_time_t wakeup_gran_ns; /* CFS sched_wakeup_granularity */
};

/*
 * Share nr_cpus CPUs between the threads under p's slices.  Call once, before
 * the first thread is created; never calling it keeps uncontended CPUs.
 */
void zs_engine_set_sched(struct zs_engine *e, const struct zs_sched_params *p);
/* The scheduler in use, NULL without one. */
const struct zs_sched_params *zs_engine_sched(const struct zs_engine *e);
/* Account the CPU time and queue waits in progress up to now (before reading them). */
void zs_engine_sched_sync(struct zs_engine *e);
/* Time CPU `cpu` has spent serving threads (0 without a scheduler). */
zs_time_t zs_engine_cpu_busy_ns(const struct zs_engine *e, int cpu);
/* 0 if the CPU-time invariant holds; else -1 (for tests and the debug checker). */
int zs_engine_sched_check(struct zs_engine *e);

/* Threads created so far, in creation order (for metrics). */
int zs_engine_nr_threads(const struct zs_engine *e);
struct zs_thread *zs_engine_thread(const struct zs_engine *e, int i);

#endif
