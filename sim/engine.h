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
 * DEVIATION: CPUs are not contended; each thread runs as if it had its own CPU.
 * Charged time is reported per thread so CPU shares can be computed.
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
 * (the debug invariant checker).
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
	zs_time_t cpu_ns;         /* charged CPU time, total */
	uint64_t wakeups;         /* times woken from sleep by someone else */
	uint64_t runs;            /* times run() was called */
	int woken_by_timeout;     /* the last sleep ended by its timeout, not a wake-up */
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

/* Threads created so far, in creation order (for metrics). */
int zs_engine_nr_threads(const struct zs_engine *e);
struct zs_thread *zs_engine_thread(const struct zs_engine *e, int i);

#endif
