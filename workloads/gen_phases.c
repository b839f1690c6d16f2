/*
 * gen_phases.c - the `phases` source: other sources, each active in a window
 * of time, for load that changes.
 *
 *   {type: phases, phases: [ {start: 0s, stop: 5s, source: {type: anon, ...}},
 *                            {start: 5s, stop: 8s, source: {type: kernel, ...}} ]}
 *
 * Each phase's source is built with zs_source_create on the nested map, with
 * its own random stream (seeded from this source's stream), a run length of
 * stop - start and times relative to its start; this source shifts the times,
 * merges the children by (time, phase index) and drops anything a child issues
 * after its stop.  Phases may overlap.  The generators end their tasks and
 * kernel allocations at their stop (page cache stays, as in the kernel).
 *
 * Handles and task numbers carry the phase index above the children's budget
 * (gen_util.h): handle = phase << 40 | child handle, task = phase << 24 | child
 * task, so children never collide and feedback finds its child.
 *
 * Invariant: peek[i] holds child i's next request (already shifted) or the
 * child is done; output times are non-decreasing.
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
	struct zs_request peek;
	int have, done;
};

struct phases {
	struct phase *ph;
	unsigned n;
	int64_t last_time;
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

/* Fill child i's peek; -1 on a child's error. */
static int
refill(struct phase *ph, unsigned i, struct zs_error *err)
{
	while (!ph->have && !ph->done) {
		int rc = ph->src->ops->next(ph->src, &ph->peek, err);

		if (rc < 0)
			return -1;
		if (rc == 0) {
			ph->done = 1;
			break;
		}
		if (ph->peek.time > ph->stop - ph->start) {
			ph->done = 1; /* past the phase's stop: the child is over */
			break;
		}
		if (ph->peek.handle >= ZS_GEN_HANDLE_LIMIT || ph->peek.task >= ZS_GEN_TASK_LIMIT)
			return zs_error_set(err, EX_DATAERR,
					    "phase %u: its source's handle or task number is too "
					    "large to share a phases source",
					    i);
		ph->peek.time += ph->start;
		ph->peek.handle |= (uint64_t)i << ZS_GEN_HANDLE_BITS;
		ph->peek.task |= i << ZS_GEN_TASK_BITS;
		if (ph->peek.attrs.parent_task) {
			/* a script parent within the phase: its task number moves the same way */
			if (ph->peek.attrs.parent_task - 1 >= ZS_GEN_TASK_LIMIT)
				return zs_error_set(err, EX_DATAERR,
						    "phase %u: a parent task number is too large to "
						    "share a phases source",
						    i);
			ph->peek.attrs.parent_task =
				((ph->peek.attrs.parent_task - 1) | i << ZS_GEN_TASK_BITS) + 1;
		}
		ph->have = 1;
	}
	return 0;
}

static int
phases_next(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	struct phases *p = s->priv;
	struct phase *best = NULL;

	for (unsigned i = 0; i < p->n; i++) {
		struct phase *ph = &p->ph[i];

		if (refill(ph, i, err))
			return -1;
		if (ph->have && (!best || ph->peek.time < best->peek.time))
			best = ph;
	}
	if (!best)
		return 0;
	*req = best->peek;
	best->have = 0;
	/* a child that is not time-ordered would break the merge: hold it to our clock */
	if (req->time < p->last_time)
		req->time = p->last_time;
	p->last_time = req->time;
	return 1;
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

const struct zs_source_ops zs_source_phases = {
	.type = "phases",
	.create = phases_create,
	.next = phases_next,
	.feedback = phases_feedback,
	.destroy = phases_destroy,
	.summary = phases_summary,
};
