/*
 * driver_int.h - the driver's private state, shared by driver.c (the run, the
 * threads, dispatch and the tick) and issue.c (what one request does).
 *
 * An actor is a simulated thread that issues requests one at a time: for an
 * open-loop source (script, trace, kernel) the source's one issuing context,
 * for a closed-loop source (simple, anon, filecache, phases) one task.  An
 * actor's request either completes within its step or blocks it (an
 * allocation sleeping in the model, a fault's disk read); only that actor
 * waits.
 *
 * Invariants: an actor holds at most one request (have_req: handed over, not
 * yet issued; in_flight: issued, the source not yet told it is done); a
 * closed-loop source's pending heap holds requests of distinct tasks, none of
 * them in flight; run->nr_in_alloc counts the actors in state ACT_ALLOC.
 */
#ifndef ZS_DRIVER_INT_H
#define ZS_DRIVER_INT_H

#include <stdint.h>
#include <time.h>

#include "alloc/vm.h"
#include "sim/driver.h"
#include "sim/metrics.h"
#include "workloads/source.h"

struct zs_run;
struct src_ctx;

/* What an actor is doing between steps. */
enum act_state {
	ACT_IDLE = 0,   /* issue the request it holds, or wait for one */
	ACT_ALLOC,      /* inside ops->alloc (blocked or about to resume) */
	ACT_IO,         /* waiting for a fault's disk read */
	ACT_DIRTY,      /* inside ops->balance_dirty (the writer is throttled) */
	ACT_DONE        /* an open-loop source that has nothing more */
};

struct actor {
	struct src_ctx *c;   /* its source */
	struct zs_thread *thread;
	struct zs_request req;
	int have_req;        /* req was handed over and is not issued yet */
	int in_flight;       /* closed-loop: req issued, done() not called yet */
	enum act_state state;
	struct zs_alloc_req areq;
	uint32_t bind;       /* binding being allocated for */
	int bind_gone;       /* the source freed that handle while the allocation slept */
	uint32_t owner;      /* the binding's task when the allocation started (ZS_NIL: page cache
				without an owner); a change to ZS_NIL meanwhile means an OOM kill */
	int fault;           /* the allocation serves a fault (0, 1 swap-in, 2 file read-in) */
	zs_time_t alloc_t0;  /* when it was asked for (after the step's CPU work): its latency */
	int dirtied;         /* the request dirtied page cache: balance_dirty when it is done */
	struct zs_alloc_req dreq; /* the balance_dirty call in progress */
};

/* A closed-loop request pulled from its source and waiting for its time. */
struct pend {
	struct zs_request req;
	uint64_t seq;        /* pull order: ties at one time keep the source's order */
};

struct src_ctx {
	struct zs_run *run;
	unsigned idx;
	struct zs_source *src;
	int closed;          /* the source is closed-loop (source.h) */
	struct actor *open;  /* open-loop: the source's one actor */
	/* closed-loop dispatch */
	struct pend *pend;   /* min-heap on (time, seq) */
	uint32_t npend, cappend;
	uint64_t pend_seq;
	int exhausted;       /* next() said "nothing now"; cleared by the next done() */
	int finished;        /* nothing pending, nothing in flight, nothing to come */
	uint32_t inflight;   /* its tasks' requests issued and not done */
	uint64_t timer_gen;  /* the armed dispatch timer; older ones are stale */
	/* source task number -> vm task id (open addressing) */
	uint64_t *tkeys;
	uint32_t *tvals;
	uint32_t tcap, tn;
	/* the last number looked up and its id (a trace names one pid for long runs);
	 * valid while memo_id != ZS_NIL (task_store sets it) */
	uint32_t memo_key, memo_id;
	uint64_t requests;
	uint32_t oldest;     /* no task of this source below this id is alive (parent_source) */
	/* open-loop lag: how late requests were issued after their own time */
	uint64_t lag_n;
	int64_t lag_max_ns, lag_sum_ns;
	/* where its references land: touches (TOUCH and DIRTY served), those to a page on
	 * another node than the toucher's CPU, and the SLIT distances summed */
	uint64_t touches, remote_touches, touch_distance_sum;
};

struct zs_run {
	struct zs_scenario *sc;
	struct zs_machine *m;
	struct zs_engine *e;
	struct zs_vm *vm;
	struct zs_bind_prefetch bind_prefetch; /* what a keeping source hints to (vm's) */
	struct zs_rng *model_rng;
	struct src_ctx *srcs;
	unsigned nsrc;
	struct actor **task_actor; /* by vm task id: the task's actor, or NULL */
	uint32_t cap_task_actor;
	struct actor **actors;     /* every actor, in creation order */
	uint32_t nr_actors, cap_actors;
	uint32_t nr_in_alloc;      /* actors in ACT_ALLOC */
	struct zs_metrics mx;      /* ticks.csv, events.csv, summary.txt */
	int progress;
	int64_t tick_ns;
	uint64_t tick;
	int failed;
	struct zs_error err;
	time_t wall_last, wall_start; /* progress: last line shown, start of the run */
	struct zs_error check_err;  /* what the invariant checker found */
	int check_failed;
	int auto_duration;    /* duration: auto */
	int64_t end_ns;       /* when the run ended */
	int64_t last_step_ns; /* when a request last started or completed (stall detector) */
	int64_t stalled_ns;   /* when the run was ended as stalled; 0: it was not */
};

/* ---- issue.c ---- */

/* The vm task a request is for: an unknown number starts a task implicitly, and a
 * TASK_START of a number whose task is dead or already started starts a new one. */
struct zs_task *zs_drv_req_target(struct src_ctx *c, const struct zs_request *req);
/* Issue a->req.  Returns 1 when the actor is now blocked (its thread already sleeps). */
int zs_drv_issue(struct actor *a);
/* Resume a blocked allocation; 1 if it is (still, or now for a read) blocked. */
int zs_drv_alloc_step(struct actor *a);
/* balance_dirty_pages after a request that dirtied page cache; 1 if the writer sleeps. */
int zs_drv_dirty_step(struct actor *a);
/* The disk read of a fault finished: the access that faulted completes. */
void zs_drv_io_done(struct actor *a);
/* The source learns that task t was OOM-killed (once). */
void zs_drv_notify_killed(struct src_ctx *c, struct zs_task *t);

#endif
