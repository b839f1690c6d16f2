/*
 * driver.c - runs a scenario: the sources, the actors that issue their
 * requests (one per open-loop source, one per task of a closed-loop source;
 * see driver_int.h and source.h), and the tick that samples the run.  What a
 * request does is issue.c's; the files written are metrics.c's.
 */
#include "sim/driver.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "sim/driver_int.h"
#include "sim/rng.h"
#include "sim/sched.h"
#include "workloads/gen_util.h" /* ZS_GEN_NEVER */
#include "workloads/source.h"

struct zs_vm *
zs_run_vm(struct zs_run *r)
{
	return r->vm;
}

void
zs_run_latency_hist(struct zs_run *r, FILE *f)
{
	zs_metrics_latency_hist(&r->mx, f);
}

static void
src_fail(struct src_ctx *c, struct zs_error *err)
{
	struct zs_run *r = c->run;

	if (!r->failed) {
		r->failed = 1;
		r->err = *err;
	}
	zs_engine_stop(r->e);
}

/* A new actor for source c, with its thread (named `name`) first run at `start`. */
static struct actor *
actor_new(struct src_ctx *c, const char *name, zs_thread_fn run, zs_time_t start)
{
	struct zs_run *r = c->run;
	struct actor *a = calloc(1, sizeof(*a));

	ZS_BUG_ON(!a);
	if (r->nr_actors == r->cap_actors) {
		uint32_t cap = r->cap_actors ? 2 * r->cap_actors : 16;
		struct actor **v = realloc(r->actors, cap * sizeof(*v));

		ZS_BUG_ON(!v);
		r->actors = v;
		r->cap_actors = cap;
	}
	r->actors[r->nr_actors++] = a;
	a->c = c;
	a->thread = zs_thread_create(r->e, name, 0, run, a, start);
	zs_thread_set_task(a->thread); /* a user context, not a kernel daemon */
	if (c->src->interrupt)
		zs_thread_set_irq(a->thread); /* handlers run at once, whoever has the CPU */
	return a;
}

/*
 * Common step of every actor: resume what blocked it, then yield while the CPU
 * work this step charged (kernel time) is served - the request completes, and
 * the next one is issued, only after it.  0 when the actor may go on.
 */
static __attribute__((noinline)) int
actor_resume_blocked(struct actor *a)
{
	if (a->state == ACT_ALLOC) {
		if (zs_drv_alloc_step(a))
			return 1;
		a->c->run->last_step_ns = zs_now(a->c->run->e);
	} else if (a->state == ACT_IO) {
		zs_drv_io_done(a);
	}
	if ((a->state == ACT_DIRTY || (a->state == ACT_IDLE && a->dirtied)) &&
	    zs_drv_dirty_step(a))
		return 1;
	if (a->thread->charged > 0) {
		zs_thread_yield(a->thread);
		return 1;
	}
	return 0;
}

/* The same, inline for an idle actor with nothing to serve: a replay's every step. */
static inline int
actor_resume(struct actor *a)
{
	if (a->state == ACT_IDLE && !a->dirtied && a->thread->charged <= 0)
		return 0;
	return actor_resume_blocked(a);
}

/* ---- open-loop sources: one actor issues every request at its own time ---- */

static void
open_run(struct zs_thread *th)
{
	struct actor *a = th->priv;
	struct src_ctx *c = a->c;
	struct zs_engine *e = c->run->e;
	struct zs_error err; /* not = {0}: that zeroes a 1 KiB message on every step */

	err.code = 0;
	err.msg[0] = '\0';

	for (;;) {
		if (actor_resume(a))
			return;
		if (!a->have_req) {
			int rc = c->src->ops->next(c->src, &a->req, &err);

			if (rc <= 0) {
				if (rc < 0)
					src_fail(c, &err);
				a->state = ACT_DONE;
				zs_thread_exit(th);
				return;
			}
			a->have_req = 1;
			c->requests++;
		}
		if (a->req.time > zs_now(e)) {
			zs_thread_sleep(th, a->req.time - zs_now(e));
			return;
		}
		/* issued late when an earlier request of the source blocked */
		int64_t lag = zs_now(e) - a->req.time;

		c->lag_n++;
		c->lag_sum_ns += lag;
		if (lag > c->lag_max_ns)
			c->lag_max_ns = lag;
		a->have_req = 0;
		c->run->last_step_ns = zs_now(e);
		if (zs_drv_issue(a))
			return;
	}
}

/* ---- closed-loop sources: a dispatcher hands each request to its task's actor ---- */

static int
pend_before(const struct pend *x, const struct pend *y)
{
	return x->req.time < y->req.time || (x->req.time == y->req.time && x->seq < y->seq);
}

static void
pend_push(struct src_ctx *c, const struct zs_request *q)
{
	uint32_t i;

	if (c->npend == c->cappend) {
		uint32_t cap = c->cappend ? 2 * c->cappend : 16;
		struct pend *v = realloc(c->pend, cap * sizeof(*v));

		ZS_BUG_ON(!v);
		c->pend = v;
		c->cappend = cap;
	}
	struct pend e = {*q, c->pend_seq++};

	for (i = c->npend++; i > 0 && pend_before(&e, &c->pend[(i - 1) / 2]); i = (i - 1) / 2)
		c->pend[i] = c->pend[(i - 1) / 2];
	c->pend[i] = e;
}

static struct zs_request
pend_pop(struct src_ctx *c)
{
	struct zs_request top = c->pend[0].req;
	struct pend last = c->pend[--c->npend];
	uint32_t i = 0;

	for (;;) {
		uint32_t k = 2 * i + 1;

		if (k >= c->npend)
			break;
		if (k + 1 < c->npend && pend_before(&c->pend[k + 1], &c->pend[k]))
			k++;
		if (!pend_before(&c->pend[k], &last))
			break;
		c->pend[i] = c->pend[k];
		i = k;
	}
	if (c->npend)
		c->pend[i] = last;
	return top;
}

static void task_run(struct zs_thread *th);

/* The actor of vm task t (made on its first request). */
static struct actor *
task_actor(struct src_ctx *c, struct zs_task *t)
{
	struct zs_run *r = c->run;

	if (t->id >= r->cap_task_actor) {
		uint32_t cap = r->cap_task_actor ? r->cap_task_actor : 64;

		while (cap <= t->id)
			cap *= 2;
		struct actor **v = realloc(r->task_actor, cap * sizeof(*v));

		ZS_BUG_ON(!v);
		memset(v + r->cap_task_actor, 0, (cap - r->cap_task_actor) * sizeof(*v));
		r->task_actor = v;
		r->cap_task_actor = cap;
	}
	if (!r->task_actor[t->id]) {
		char name[24];

		snprintf(name, sizeof(name), "pid%u", t->pid);
		r->task_actor[t->id] = actor_new(c, name, task_run, zs_now(r->e));
	}
	return r->task_actor[t->id];
}

static void dispatch(struct src_ctx *c);

static void
dispatch_event(void *arg, uint64_t gen)
{
	struct src_ctx *c = arg;

	if (gen == c->timer_gen)
		dispatch(c);
}

/*
 * Pull what the source has due before the earliest request held (horizon()),
 * and hand every request whose time has come to its task's actor; then arm a
 * timer for the next one.  The source is finished when it has nothing now,
 * nothing is held and none of its requests is in flight.
 */
static void
dispatch(struct src_ctx *c)
{
	struct zs_run *r = c->run;
	struct zs_engine *e = r->e;
	struct zs_error err; /* as in open_run: code and an empty message only */

	err.code = 0;
	err.msg[0] = '\0';

	c->timer_gen++; /* any armed timer is replaced by what this decides */
	for (;;) {
		int64_t m = c->npend ? c->pend[0].req.time : ZS_GEN_NEVER;

		if (!c->exhausted) {
			int64_t h = c->src->ops->horizon(c->src);

			if (h == ZS_GEN_NEVER) {
				c->exhausted = 1;
			} else if (h <= m) {
				struct zs_request q;
				int rc = c->src->ops->next(c->src, &q, &err);

				if (rc < 0) {
					src_fail(c, &err);
					c->finished = 1;
					return;
				}
				if (rc == 0) {
					c->exhausted = 1;
				} else {
					ZS_BUG_ON(q.time < zs_now(e));
					c->requests++;
					pend_push(c, &q);
				}
				continue;
			}
		}
		if (!c->npend) {
			c->finished = c->exhausted && !c->inflight;
			return;
		}
		if (m > zs_now(e)) {
			zs_event_at(e, m, dispatch_event, c, c->timer_gen);
			return;
		}
		struct zs_request q = pend_pop(c);
		struct actor *a = task_actor(c, zs_drv_req_target(c, &q));

		ZS_BUG_ON(a->have_req || a->in_flight); /* the source broke the closed loop */
		a->req = q;
		a->thread->cpu = (int)zs_cpu_index(r->m, q.cpu);
		a->have_req = 1;
		a->in_flight = 1;
		c->inflight++;
		zs_thread_wake(a->thread);
	}
}

/* A task's actor: issue what it was handed, then tell the source when it completed. */
static void
task_run(struct zs_thread *th)
{
	struct actor *a = th->priv;
	struct src_ctx *c = a->c;
	struct zs_engine *e = c->run->e;

	for (;;) {
		if (actor_resume(a))
			return;
		if (a->have_req) {
			a->have_req = 0;
			c->run->last_step_ns = zs_now(e);
			if (zs_drv_issue(a))
				return;
			continue;
		}
		if (a->in_flight) {
			/* a process's next reference follows the completion of this one */
			a->in_flight = 0;
			c->inflight--;
			c->src->ops->done(c->src, &a->req, zs_now(e));
			c->exhausted = 0;
			dispatch(c); /* may hand this actor its next request at once */
			continue;
		}
		zs_thread_sleep(th, ZS_FOREVER);
		return;
	}
}

static int
sources_done(struct zs_run *r)
{
	for (unsigned i = 0; i < r->nsrc; i++) {
		struct src_ctx *c = &r->srcs[i];

		if (c->closed ? !c->finished : c->open->state != ACT_DONE)
			return 0;
	}
	return 1;
}

/*
 * How far a `duration: auto` run is: the least progress of its unfinished
 * sources (the run ends with the last of them); -1 when one cannot tell.
 */
static double
auto_progress(struct zs_run *r)
{
	double least = 1.0;

	for (unsigned i = 0; i < r->nsrc; i++) {
		struct src_ctx *c = &r->srcs[i];
		double f;

		if (c->closed ? c->finished : c->open->state == ACT_DONE)
			continue;
		if (!c->src->ops->progress)
			return -1.0;
		f = c->src->ops->progress(c->src, zs_now(r->e));
		if (f < 0)
			return -1.0;
		if (f < least)
			least = f;
	}
	return least;
}

/*
 * A stall: some source has waited in one allocation for ZS_STALL_NS while no
 * request of any source started or completed (daemons may still run).  Such a
 * run would go on until its duration - forever with `duration: auto` - so it
 * ends here, and the summary says when.  A source that sleeps until its next
 * request's time is not stalled.
 * KERNEL: 2.6.32 kernel/hung_task.c: 120 s, sysctl_hung_task_timeout_secs, after
 * which khungtaskd reports a task blocked in D state.
 */
#define ZS_STALL_NS (120 * ZS_NS_PER_SEC)

static int
stalled(struct zs_run *r)
{
	if (zs_now(r->e) - r->last_step_ns < ZS_STALL_NS)
		return 0;
	return r->nr_in_alloc > 0;
}

static void
tick_event(void *arg, uint64_t data)
{
	struct zs_run *r = arg;

	(void)data;
	zs_metrics_tick(&r->mx, r->tick);
	r->tick++;
	if (stalled(r)) {
		r->stalled_ns = r->end_ns = zs_now(r->e);
		zs_engine_stop(r->e);
		return;
	}
	if (r->auto_duration && sources_done(r)) {
		/* `duration: auto`: this was the last tick */
		r->end_ns = zs_now(r->e);
		zs_engine_stop(r->e);
		return;
	}
	if (r->progress) {
		time_t now = time(NULL);

		if (now != r->wall_last) {
			r->wall_last = now;
			double sim = (double)zs_now(r->e) / 1e9, wall = difftime(now, r->wall_start);

			/* auto: the end is the sources' own; an ETA when every one can tell */
			double f = r->auto_duration ? auto_progress(r) : -1.0;

			if (r->auto_duration && f > 0)
				fprintf(stderr, "\rzsim: %s %.1f%% of the workload (%.2fs simulated), ETA %.0fs   ",
					r->sc->name, 100.0 * f, sim, wall * (1.0 - f) / f);
			else if (r->auto_duration)
				fprintf(stderr, "\rzsim: %s %.2fs simulated in %.0fs   ", r->sc->name, sim,
					wall);
			else
				fprintf(stderr, "\rzsim: %s %.1f%% (%.2fs of %.2fs simulated), ETA %.0fs   ",
					r->sc->name, 100.0 * sim * 1e9 / (double)r->sc->duration_ns, sim,
					(double)r->sc->duration_ns / 1e9,
					sim > 0 ? wall * ((double)r->sc->duration_ns / 1e9 - sim) / sim : 0.0);
		}
	}
	if (r->auto_duration || zs_now(r->e) + r->tick_ns <= r->sc->duration_ns)
		zs_event_at(r->e, zs_now(r->e) + r->tick_ns, tick_event, r, 0);
}

/* The invariant checker after every event (tests, `make debug`, output.check). */
static void
check_after_event(void *cookie)
{
	struct zs_run *r = cookie;

	if (!r->check_failed && zs_vm_check_event(r->vm, &r->check_err)) {
		r->check_failed = 1;
		zs_engine_stop(r->e);
	}
	if (!r->check_failed && zs_engine_sched_check(r->e)) {
		/* served CPU time above CPUs x time, or a run queue out of step */
		zs_error_set(&r->check_err, EX_SOFTWARE, "scheduler invariant broken at %lld ns",
			     (long long)zs_now(r->e));
		r->check_failed = 1;
		zs_engine_stop(r->e);
	}
}

/* ---- build and run ---- */

struct zs_run *
zs_run_create(struct zs_scenario *sc, struct zs_error *err)
{
	struct zs_run *r = calloc(1, sizeof(*r));
	const struct zs_policy_ops *ops = zs_policy_for(sc->kver);

	if (!r) {
		zs_error_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	r->sc = sc;
	r->auto_duration = sc->duration_ns == 0;
	r->m = zs_machine_create(&sc->machine, err);
	r->e = zs_engine_create();
	if (!r->m || !r->e) {
		if (r->m && !r->e)
			zs_error_set(err, EX_OSERR, "out of memory");
		zs_run_destroy(r);
		return NULL;
	}
	if (!sc->sched_none) {
		/* the CPUs are shared under the era's scheduler, before any thread exists */
		struct zs_sched_params sp;

		zs_sched_params_for(sc->kver, r->m->spec.hz ? r->m->spec.hz : 100, r->m->nr_cpus,
				    &sp);
		zs_engine_set_sched(r->e, &sp);
	}
	struct zs_cfg *kcfg = sc->kernel;
	struct zs_cfg *empty = NULL;
	if (!kcfg)
		kcfg = empty = zs_cfg_new_map(sc->path);
	r->model_rng = zs_rng_create(sc->seed, "kernel", 0);
	r->vm = zs_vm_create(r->m, r->e, ops, kcfg, r->model_rng, err);
	r->bind_prefetch = (struct zs_bind_prefetch){zs_vm_prefetch_bindings, r->vm};
	zs_cfg_free(empty);
	if (!r->vm) {
		zs_run_destroy(r);
		return NULL;
	}
	if (sc->check == ZS_CHECK_ALL_FULL)
		r->vm->check_in_use_every = 1;
	r->nsrc = sc->workload ? (unsigned)sc->workload->n : 0;
	r->srcs = calloc(r->nsrc + 1, sizeof(*r->srcs));
	if (!r->srcs) {
		zs_error_set(err, EX_OSERR, "out of memory");
		zs_run_destroy(r);
		return NULL;
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", sc->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	for (unsigned i = 0; i < r->nsrc; i++) {
		struct src_ctx *c = &r->srcs[i];
		struct zs_source_env env = {
			.kver = sc->kver,
			.nr_cpus = r->m->nr_cpus,
			.machine_pages = r->m->nr_pages,
			.duration_ns = sc->duration_ns ? sc->duration_ns : INT64_MAX / 4,
			.rng = zs_rng_create(sc->seed, "workload", i),
			.scenario_dir = dir,
			.index = i,
			.nr_sources = r->nsrc,
			.machine = r->m,
		};

		c->run = r;
		c->idx = i;
		c->src = zs_source_create(sc->workload->vals[i], &env, err);
		if (!c->src) {
			zs_rng_destroy(env.rng);
			zs_run_destroy(r);
			return NULL;
		}
		/* scenario_dir was valid during create only */
		c->src->env.scenario_dir = NULL;
		c->closed = c->src->ops->done != NULL;
		if (c->src->keeper) {
			/* the keeper's contract: every request issued before the next is read */
			ZS_BUG_ON(c->closed);
			zs_pagemap_keep(r->vm->pagemap, i, c->src->keeper);
			if (c->src->keeper->prefetch)
				c->src->keeper->prefetch(c->src->keeper->ctx, &r->bind_prefetch);
		}
	}
	return r;
}

int
zs_run_execute(struct zs_run *r, FILE *ticks, FILE *events, FILE *summary, int progress,
	       struct zs_error *err)
{
	struct zs_vm *vm = r->vm;
	int check = r->sc->check;

#ifdef ZS_DEBUG
	if (!check)
		check = ZS_CHECK_CADENCE;
#endif
	r->progress = progress;
	r->wall_start = r->wall_last = time(NULL);
	r->tick_ns = ZS_NS_PER_SEC / vm->hz;
	if (zs_metrics_open(&r->mx, vm, r->e, r->sc->seed, ticks, events, err))
		return -1;
	for (unsigned i = 0; i < r->nsrc; i++) {
		struct src_ctx *c = &r->srcs[i];
		char name[24];

		if (c->closed) {
			zs_event_at(r->e, 0, dispatch_event, c, c->timer_gen);
			continue;
		}
		snprintf(name, sizeof(name), "source%u", i);
		c->open = actor_new(c, name, open_run, 0);
	}
	zs_event_at(r->e, 0, tick_event, r, 0);

	zs_engine_run(r->e, r->auto_duration ? ZS_MAX_DURATION_NS : r->sc->duration_ns,
		      check ? check_after_event : NULL, r);
	if (!r->auto_duration && !r->stalled_ns)
		r->end_ns = r->sc->duration_ns;
	else if (!r->end_ns && !r->failed && !r->check_failed)
		r->end_ns = ZS_MAX_DURATION_NS; /* `auto` that reached the longest run */
	if (progress)
		fputc('\n', stderr);
	if (r->failed) {
		*err = r->err;
		return -1;
	}
	if (r->check_failed || (check && zs_vm_check(vm, &r->check_err))) {
		*err = r->check_err;
		return -1;
	}
	for (uint32_t i = 0; i < r->nr_actors; i++)
		if (r->actors[i]->state == ACT_ALLOC)
			zs_metrics_alloc_pending(&r->mx, r->end_ns - r->actors[i]->alloc_t0);
	if (summary) {
		zs_metrics_summary(&r->mx, summary, r->sc->path, r->sc->seed, r->end_ns);
		for (unsigned i = 0; i < r->nsrc; i++) {
			struct src_ctx *c = &r->srcs[i];

			zs_metrics_summary_source(summary, i, c->src, c->requests);
			/* beyond the kernel's counters: what the placement costs the references */
			fprintf(summary,
				"source%u_touches_served: %" PRIu64 "\nsource%u_remote_touches: %" PRIu64
				"\nsource%u_touch_distance_mean: %.2f\n",
				i, c->touches, i, c->remote_touches, i,
				c->touches ? (double)c->touch_distance_sum / (double)c->touches : 0.0);
			if (!c->closed) /* how late its requests were issued after their own time */
				fprintf(summary,
					"source%u_lag_mean_ns: %" PRId64 "\nsource%u_lag_max_ns: %" PRId64
					"\n",
					i, c->lag_n ? c->lag_sum_ns / (int64_t)c->lag_n : 0, i,
					c->lag_max_ns);
		}
		if (r->stalled_ns) /* only then, so a run without a stall keeps its summary */
			fprintf(summary, "stalled_ns: %" PRId64 "\n", r->stalled_ns);
	}
	return 0;
}

int64_t
zs_run_stalled_ns(const struct zs_run *r)
{
	return r->stalled_ns;
}

struct zs_engine *
zs_run_engine(struct zs_run *r)
{
	return r->e;
}

void
zs_run_destroy(struct zs_run *r)
{
	if (!r)
		return;
	for (unsigned i = 0; r->srcs && i < r->nsrc; i++) {
		struct src_ctx *c = &r->srcs[i];

		if (c->src) {
			struct zs_rng *rng = c->src->env.rng;

			zs_source_destroy(c->src);
			zs_rng_destroy(rng);
		}
		free(c->tkeys);
		free(c->tvals);
		free(c->pend);
	}
	free(r->srcs);
	for (uint32_t i = 0; i < r->nr_actors; i++)
		free(r->actors[i]);
	free(r->actors);
	free(r->task_actor);
	zs_vm_destroy(r->vm);
	zs_rng_destroy(r->model_rng);
	zs_engine_destroy(r->e);
	zs_machine_destroy(r->m);
	zs_metrics_close(&r->mx);
	free(r);
}
