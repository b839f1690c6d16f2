/*
 * gen_phases.c - the `phases` source: other sources, each active in a window
 * of time, for load that changes.
 *
 *   {type: phases, phases: [ {start: 0s, stop: 5s, source: {type: anon, ...}},
 *                            {start: 5s, stop: 8s, source: {type: kernel, ...}} ]}
 *
 * Each phase's source is built with zs_source_create on the nested map, with
 * its own random stream (seeded from this source's stream), a run length of
 * stop - start and times relative to its start; this source shifts the times
 * and merges the children by (horizon, phase index).  Phases may overlap.  The
 * generators end their tasks and kernel allocations at their stop (page cache
 * stays, as in the kernel).  This source is closed-loop (source.h): a
 * closed-loop child keeps its own loop (done() is passed on); an open-loop
 * child (kernel, script) is one context that issues its next request when the
 * previous one is done, and anything it issues after its stop is dropped.
 *
 * Handles and task numbers carry the phase index above the children's budget
 * (gen_util.h): handle = phase << 40 | child handle, task = phase << 24 | child
 * task, so children never collide and feedback finds its child.
 *
 * Invariant: an open child's peek holds its next request (already shifted and
 * tagged) only while it is not busy; a closed child is asked only while not
 * exhausted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/diag.h"
#include "sim/rng.h"
#include "workloads/gen_util.h"
#include "workloads/source.h"

#define PH_MAX (1u << (48 - ZS_GEN_HANDLE_BITS)) /* 256 phases */

struct phase {
	struct zs_source *src;
	struct zs_rng *rng;
	int64_t start, stop;
	int closed;           /* the child is a closed-loop source */
	/* open child */
	struct zs_request peek;
	int have, finished;
	int busy;             /* its last request is not done yet */
	int64_t floor;        /* when that one completed */
	/* closed child */
	int exhausted;        /* it had nothing; asked again after its next done */
};

struct phases {
	struct phase *ph;
	unsigned n;
	struct zs_error err;  /* an open child's error met in horizon() */
};

static const char *const phases_keys[] = {"type", "phases", NULL};
static const char *const phase_keys[] = {"start", "stop", "source", NULL};

static int
phases_create(struct zs_source *s, struct zs_cfg *cfg, const struct zs_source_env *env,
	      struct zs_error *err)
{
	struct phases *p = calloc(1, sizeof(*p));
	struct zs_cfg *list;
	int64_t run_end = zs_gen_end(env->duration_ns), prev_stop = 0;

	if (!p)
		return zs_error_set(err, EX_OSERR, "out of memory");
	s->priv = p;
	if (zs_cfg_check_keys(cfg, phases_keys, err))
		return -1;
	list = zs_cfg_get(cfg, "phases");
	if (!list)
		return zs_cfg_error(cfg, err, "a 'phases' source needs a 'phases' list");
	if (zs_cfg_expect(list, ZS_CFG_SEQ, "'phases'", err))
		return -1;
	if (list->n < 1 || (unsigned)list->n > PH_MAX)
		return zs_cfg_error(list, err, "'phases' needs 1 to %u entries", PH_MAX);
	p->ph = calloc((size_t)list->n, sizeof(*p->ph));
	if (!p->ph)
		return zs_error_set(err, EX_OSERR, "out of memory");
	for (int i = 0; i < list->n; i++) {
		struct zs_cfg *item = list->vals[i], *src, *type;
		struct phase *ph = &p->ph[i];
		struct zs_source_env cenv = *env;

		if (zs_cfg_expect(item, ZS_CFG_MAP, "a phase", err) ||
		    zs_cfg_check_keys(item, phase_keys, err))
			return -1;
		if (prev_stop == ZS_GEN_NEVER && !zs_cfg_get(item, "start"))
			return zs_cfg_error(item, err,
					    "this phase needs 'start' (the one before has no stop)");
		ph->start = prev_stop;
		ph->stop = run_end;
		if (zs_cfg_duration(item, "start", 0, INT64_MAX / 2, &ph->start, err) ||
		    zs_cfg_duration(item, "stop", 0, INT64_MAX / 2, &ph->stop, err))
			return -1;
		if (ph->stop <= ph->start)
			return zs_cfg_error(zs_cfg_get(item, "stop") ? zs_cfg_get(item, "stop") : item,
					    err, "a phase's 'stop' must come after its 'start'");
		prev_stop = ph->stop;
		src = zs_cfg_get(item, "source");
		if (!src)
			return zs_cfg_error(item, err, "a phase needs 'source: {type: ..., ...}'");
		if (zs_cfg_expect(src, ZS_CFG_MAP, "'source'", err))
			return -1;
		type = zs_cfg_get(src, "type");
		if (type && type->type == ZS_CFG_SCALAR && !strcmp(type->scalar, "phases"))
			return zs_cfg_error(type, err, "phases cannot be nested");
		/* each child its own stream, derived from ours: reproducible and independent */
		ph->rng = zs_rng_create(zs_rng_uniform_int(env->rng, UINT64_MAX), "phase",
					(unsigned)i);
		cenv.rng = ph->rng;
		cenv.duration_ns = ph->stop == ZS_GEN_NEVER ? 0 : ph->stop - ph->start;
		ph->src = zs_source_create(src, &cenv, err);
		p->n = (unsigned)i + 1; /* destroy cleans up to here */
		if (!ph->src)
			return -1;
		/* the phases share one set of threads, all of process context: a preset's
		 * interrupt default gives way, an explicit `context: interrupt` is refused */
		if (ph->src->interrupt && zs_cfg_get(src, "context"))
			return zs_cfg_error(zs_cfg_get(src, "context"), err,
					    "a phase runs in process context: give an "
					    "interrupt source its own workload entry");
		ph->src->interrupt = 0;
		ph->closed = ph->src->ops->done != NULL;
	}
	return 0;
}

static void
phases_destroy(struct zs_source *s)
{
	struct phases *p = s->priv;

	if (!p)
		return;
	for (unsigned i = 0; i < p->n; i++) {
		zs_source_destroy(p->ph[i].src);
		zs_rng_destroy(p->ph[i].rng);
	}
	free(p->ph);
	free(p);
	s->priv = NULL;
}

/* Tag a child's request as ours: shifted to the phase's start, numbers moved up. */
static int
tag(struct zs_request *q, const struct phase *ph, unsigned i, struct zs_error *err)
{
	if (q->handle >= ZS_GEN_HANDLE_LIMIT || q->task >= ZS_GEN_TASK_LIMIT)
		return zs_error_set(err, EX_DATAERR,
				    "phase %u: its source's handle or task number is too "
				    "large to share a phases source",
				    i);
	q->time += ph->start;
	q->handle |= (uint64_t)i << ZS_GEN_HANDLE_BITS;
	q->task |= i << ZS_GEN_TASK_BITS;
	if (q->type == ZS_REQ_TASK_START && q->attrs.parent_task) { /* attrs: request.h */
		/* a script parent within the phase: its task number moves the same way */
		if (q->attrs.parent_task - 1 >= ZS_GEN_TASK_LIMIT)
			return zs_error_set(err, EX_DATAERR,
					    "phase %u: a parent task number is too large to "
					    "share a phases source",
					    i);
		q->attrs.parent_task = ((q->attrs.parent_task - 1) | i << ZS_GEN_TASK_BITS) + 1;
	}
	return 0;
}

/* Fill open child i's peek (unless it waits for a done); -1 on a child's error. */
static int
refill(struct phase *ph, unsigned i, struct zs_error *err)
{
	while (!ph->have && !ph->finished && !ph->busy) {
		int rc = ph->src->ops->next(ph->src, &ph->peek, err);

		if (rc < 0)
			return -1;
		if (rc == 0 || ph->peek.time > ph->stop - ph->start) {
			ph->finished = 1; /* done, or past the phase's stop: the child is over */
			break;
		}
		if (tag(&ph->peek, ph, i, err))
			return -1;
		if (ph->peek.time < ph->floor)
			ph->peek.time = ph->floor; /* issued once the one before completed */
		ph->have = 1;
	}
	return 0;
}

/* Lower bound on child i's next request (ZS_GEN_NEVER: none before a done). */
static int64_t
child_horizon(struct phase *ph, unsigned i, struct zs_error *err, int *failed)
{
	if (!ph->closed) {
		if (refill(ph, i, err)) {
			*failed = 1;
			return ZS_GEN_NEVER;
		}
		return ph->have ? ph->peek.time : ZS_GEN_NEVER;
	}
	if (ph->exhausted)
		return ZS_GEN_NEVER;
	int64_t h = ph->src->ops->horizon(ph->src);

	return h == ZS_GEN_NEVER ? h : zs_gen_after(h, ph->start);
}

static int64_t
phases_horizon(struct zs_source *s)
{
	struct phases *p = s->priv;
	int64_t h = ZS_GEN_NEVER;
	int failed = 0;

	for (unsigned i = 0; i < p->n; i++) {
		int64_t hi = child_horizon(&p->ph[i], i, &p->err, &failed);

		if (hi < h)
			h = hi;
	}
	/* a child's error is reported by the next() that follows */
	return failed ? 0 : h;
}

/*
 * The child with the earliest horizon issues next.  An open child's request
 * comes from its peek and makes it wait for that request's done; a closed
 * child is asked directly (its own closed loop holds its tasks).  A closed
 * child is not cut at the phase's stop: it ends its tasks there itself, late
 * only when one was blocked.
 */
static int
phases_next(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	struct phases *p = s->priv;

	if (p->err.code) {
		*err = p->err;
		return -1;
	}
	for (;;) {
		struct phase *best = NULL;
		unsigned bi = 0;
		int64_t bh = ZS_GEN_NEVER;
		int failed = 0;

		for (unsigned i = 0; i < p->n; i++) {
			int64_t h = child_horizon(&p->ph[i], i, err, &failed);

			if (failed)
				return -1;
			if (h < bh) {
				bh = h;
				best = &p->ph[i];
				bi = i;
			}
		}
		if (!best)
			return 0;
		if (!best->closed) {
			*req = best->peek;
			best->have = 0;
			best->busy = 1;
			return 1;
		}
		int rc = best->src->ops->next(best->src, req, err);

		if (rc < 0)
			return -1;
		if (rc == 0) {
			best->exhausted = 1;
			continue;
		}
		return tag(req, best, bi, err) ? -1 : 1;
	}
}

static void
phases_done(struct zs_source *s, const struct zs_request *req, int64_t when)
{
	struct phases *p = s->priv;
	unsigned i = req->task >> ZS_GEN_TASK_BITS;
	struct zs_request r = *req;
	struct phase *ph;

	if (i >= p->n)
		return;
	ph = &p->ph[i];
	if (!ph->closed) {
		ph->busy = 0;
		ph->floor = when;
		return;
	}
	r.task &= ZS_GEN_TASK_LIMIT - 1;
	r.handle &= ZS_GEN_HANDLE_LIMIT - 1;
	r.time -= ph->start;
	r.attrs.parent_task = 0;
	ph->exhausted = 0;
	ph->src->ops->done(ph->src, &r, when - ph->start);
}

static void
phases_feedback(struct zs_source *s, const struct zs_request *req, int ok)
{
	struct phases *p = s->priv;
	unsigned i = req->task >> ZS_GEN_TASK_BITS;
	struct zs_request r = *req;

	if (i >= p->n || !p->ph[i].src->ops->feedback)
		return;
	r.task &= ZS_GEN_TASK_LIMIT - 1;
	r.handle &= ZS_GEN_HANDLE_LIMIT - 1;
	r.time -= p->ph[i].start;
	p->ph[i].src->ops->feedback(p->ph[i].src, &r, ok);
}

struct prefix_emit {
	void (*emit)(void *cookie, const char *key, int64_t v);
	void *cookie;
	unsigned phase;
};

static void
emit_prefixed(void *cookie, const char *key, int64_t v)
{
	struct prefix_emit *pe = cookie;
	char buf[128];

	snprintf(buf, sizeof(buf), "phase%u_%s", pe->phase, key);
	pe->emit(pe->cookie, buf, v);
}

static void
phases_summary(struct zs_source *s, void (*emit)(void *cookie, const char *key, int64_t v),
	       void *cookie)
{
	struct phases *p = s->priv;

	for (unsigned i = 0; i < p->n; i++) {
		struct prefix_emit pe = {emit, cookie, i};

		if (p->ph[i].src->ops->summary)
			p->ph[i].src->ops->summary(p->ph[i].src, emit_prefixed, &pe);
	}
}

/* Toward the last phase's stop. */
static double
phases_progress(struct zs_source *s, int64_t now)
{
	const struct phases *p = s->priv;

	return zs_gen_progress(now, p->n ? p->ph[p->n - 1].stop : 0);
}

const struct zs_source_ops zs_source_phases = {
	.type = "phases",
	.create = phases_create,
	.next = phases_next,
	.feedback = phases_feedback,
	.done = phases_done,
	.horizon = phases_horizon,
	.destroy = phases_destroy,
	.summary = phases_summary,
	.progress = phases_progress,
};
