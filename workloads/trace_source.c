/*
 * trace_source.c - the `trace` workload: replay a recorded trace through the
 * request interface.
 *
 *   {type: trace, path: FILE, format: auto|perf|ftrace|native, time_scale: 1.0,
 *    skip_bad_lines: false}
 *
 * A trace's pfn is only the page's identity: each allocation becomes an ALLOC
 * request with handle = the recorded pfn, the simulator picks its own page, and
 * the trace's free of that pfn frees it.  The trace's CPU picks the simulated
 * CPU (modulo the machine's CPUs, done by the driver), its pid the task, and its
 * timestamps the request times (relative to the first event, times time_scale).
 * Modern gfp names are mapped onto the simulated kernel's own flags and onto a
 * page kind (gfp_modern.c).  The cook (trace_cook.c) already dropped unmatched
 * and duplicate frees.
 * DEVIATION: a recorded __GFP_MEMALLOC has no 2.6/2.4 flag and is dropped.
 */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/diag.h"
#include "workloads/gfp_modern.h"
#include "workloads/source.h"
#include "workloads/trace.h"

struct trace_src {
	struct zs_trace_cook *cook;
	char path[4096];     /* for messages naming a trace line */
	double time_scale;
	int64_t t0, last_ns; /* first and latest event time, as recorded */
	int started, skip_bad, finished;
	enum zs_kver kver;
	uint64_t allocs, frees, last_line;
	uint64_t mixed_mobility; /* lines skipped for asking two migratetypes (skip_bad_lines) */
	/* the last modern mask translated and what it gave: a trace repeats a few masks */
	uint64_t memo_mask;
	uint32_t memo_gfp;
	int memo_valid;
};

/*
 * Limits on the trace's clock.  A replay lasts as long as the trace spans, so a
 * span beyond the longest scenario duration (one year) is refused at the line
 * that crosses it rather than simulated tick by tick.  Per-cpu buffers can leave
 * a timestamp slightly behind the one before (served at once); a step back of
 * more than a second is not that, but traces concatenated into one file, whose
 * times cannot be merged into one run: refused at its line.
 */
#define TRACE_MAX_SPAN_NS (1000000000LL * 3600 * 24 * 365)
#define TRACE_MAX_BACKSTEP_NS 1000000000LL
#define TRACE_MAX_PFN ((UINT64_C(1) << 48) - 1)

static int
trace_create(struct zs_source *s, struct zs_cfg *cfg, const struct zs_source_env *env,
	     struct zs_error *err)
{
	static const char *const known[] = {"type", "path", "format", "time_scale",
					    "skip_bad_lines", NULL};
	struct trace_src *t = calloc(1, sizeof(*t));
	const char *path = NULL, *format = "auto";
	enum zs_trace_format fmt;
	int skip = 0;
	char full[4096];

	if (!t)
		return zs_error_set(err, EX_OSERR, "out of memory");
	s->priv = t;
	t->time_scale = 1.0;
	t->kver = env->kver;
	if (zs_cfg_check_keys(cfg, known, err) || zs_cfg_string(cfg, "path", &path, err) ||
	    zs_cfg_string(cfg, "format", &format, err) ||
	    zs_cfg_double(cfg, "time_scale", 1e-9, 1e9, &t->time_scale, err) ||
	    zs_cfg_bool(cfg, "skip_bad_lines", &skip, err))
		return -1;
	if (!path)
		return zs_cfg_error(cfg, err, "a trace workload needs 'path'");
	t->skip_bad = skip;
	if (zs_trace_format_parse(format, &fmt))
		return zs_cfg_error(zs_cfg_get(cfg, "format"), err,
				    "format must be auto, perf, ftrace or native, not '%s'", format);
	/* a relative path is relative to the scenario file's directory */
	if (path[0] != '/' && env->scenario_dir && strcmp(env->scenario_dir, "."))
		snprintf(full, sizeof(full), "%s/%s", env->scenario_dir, path);
	else
		snprintf(full, sizeof(full), "%s", path);
	snprintf(t->path, sizeof(t->path), "%s", full);
	t->cook = zs_trace_cook_open(full, fmt, skip, err);
	if (!t->cook) {
		char msg[sizeof(err->msg)];
		int code = err->code;

		snprintf(msg, sizeof(msg), "%s", err->msg);
		zs_cfg_error(zs_cfg_get(cfg, "path"), err, "%s", msg);
		err->code = code == EX_NOINPUT ? EX_NOINPUT : EX_DATAERR;
		return -1;
	}
	/* the replay's bindings live beside the cook's live pfns: one lookup an event */
	s->keeper = zs_trace_cook_keeper(t->cook);
	return 0;
}

/* The request time of an event: ns since the first event, scaled; -1 with err if refused. */
static int64_t
trace_time(struct trace_src *t, const struct zs_page_event *pe, struct zs_error *err)
{
	/*
	 * The common case in integers: time unscaled, not behind the latest, both it and
	 * the first below 2^53 and not negative (so the doubles below would be exact and
	 * give this same difference), within the span.
	 */
	if (t->time_scale == 1.0 && pe->time_ns >= t->last_ns && t->t0 >= 0 &&
	    pe->time_ns < (INT64_C(1) << 53) && pe->time_ns - t->t0 <= TRACE_MAX_SPAN_NS) {
		t->last_ns = pe->time_ns;
		return pe->time_ns - t->t0;
	}
	/* in double: INT64_MIN and INT64_MAX timestamps in one trace must not overflow */
	double rel = (double)pe->time_ns - (double)t->t0;
	double back = (double)t->last_ns - (double)pe->time_ns;

	if (back > (double)TRACE_MAX_BACKSTEP_NS)
		return zs_error_set(err, EX_DATAERR,
				    "%s:%" PRIu64 ": time goes back %.3f s from the line before "
				    "(traces joined into one file?); zsim replays one recording in time order",
				    t->path, pe->line, back / 1e9);
	if (rel * t->time_scale > (double)TRACE_MAX_SPAN_NS)
		return zs_error_set(err, EX_DATAERR,
				    "%s:%" PRIu64 ": this event comes %.0f s after the trace's first; a "
				    "replay spans at most 365 days (--time-scale shrinks the trace's time)",
				    t->path, pe->line, rel * t->time_scale / 1e9);
	if (pe->time_ns > t->last_ns)
		t->last_ns = pe->time_ns;
	if (rel < 0)
		return 0; /* a timestamp that runs backwards (per-cpu buffers) is served at once */
	/* a difference of two whole doubles is whole (below 2^53 exactly, above it every
	 * double is), so at scale 1 the conversion is what llround would give */
	if (t->time_scale == 1.0)
		return (int64_t)rel;
	return (int64_t)llround(rel * t->time_scale);
}

/*
 * KERNEL: 2.6.32 include/linux/gfp.h allocflags_to_migratetype() WARNs when both
 * __GFP_MOVABLE and __GFP_RECLAIMABLE are set and returns 3, MIGRATE_RESERVE,
 * which is no per-cpu list (MIGRATE_PCPTYPES is 3): the kernel would index past
 * pcp->lists.  Nothing safe can follow it, so such a line is refused.
 */
static int
mixed_mobility(const struct trace_src *t, uint32_t gfp)
{
	return t->kver == ZS_KV_2632 &&
	       (gfp & (GFP26_MOVABLE | GFP26_RECLAIMABLE)) == (GFP26_MOVABLE | GFP26_RECLAIMABLE);
}

static int
trace_next(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	struct trace_src *t = s->priv;
	struct zs_page_event pe;
	uint32_t gfp = 0;
	int rc;

again:
	rc = zs_trace_cook_next(t->cook, &pe, err);
	if (rc == 0)
		t->finished = 1;
	if (rc <= 0)
		return rc;
	if (!t->started) {
		t->started = 1;
		t->t0 = t->last_ns = pe.time_ns;
	}
	if (pe.ev == ZS_PEV_ALLOC) {
		if (!t->memo_valid || pe.gfp_modern != t->memo_mask) {
			t->memo_mask = pe.gfp_modern;
			t->memo_gfp = zs_gfp_modern_to_kernel(t->kver, pe.gfp_modern, NULL);
			t->memo_valid = 1;
		}
		gfp = t->memo_gfp;
		if (mixed_mobility(t, gfp)) {
			if (t->skip_bad) {
				t->mixed_mobility++;
				goto again;
			}
			return zs_error_set(err, EX_DATAERR,
					    "%s:%" PRIu64 ": gfp_flags has both __GFP_MOVABLE and "
					    "__GFP_RECLAIMABLE: 2.6.32 makes that MIGRATE_RESERVE, which "
					    "no allocation may ask for (--skip-bad-lines skips such lines)",
					    t->path, pe.line);
		}
	}
	if (pe.pfn > TRACE_MAX_PFN)
		/* a binding's handle has 48 bits (zs_pagemap_key) */
		return zs_error_set(err, EX_DATAERR,
				    "%s:%" PRIu64 ": pfn %" PRIu64 " is beyond 2^48 - 1, the largest "
				    "page zsim replays", t->path, pe.line, pe.pfn);
	int64_t when = trace_time(t, &pe, err);
	if (when < 0)
		return -1;
	t->last_line = pe.line;
	/* all but the task attributes, which nothing reads of a page request (request.h):
	 * three-fifths of the request, and this is once a replayed event */
	memset(req, 0, offsetof(struct zs_request, attrs));
	req->time = when;
	req->task = pe.pid;
	req->cpu = pe.cpu;
	req->order = pe.order;
	req->handle = pe.pfn;
	if (pe.ev == ZS_PEV_ALLOC) {
		req->type = ZS_REQ_ALLOC;
		req->gfp = gfp;
		req->kind = (uint8_t)zs_gfp_modern_page_kind(pe.gfp_modern);
		t->allocs++;
	} else {
		req->type = ZS_REQ_FREE;
		t->frees++;
	}
	return 1;
}

static void
trace_destroy(struct zs_source *s)
{
	struct trace_src *t = s->priv;

	if (!t)
		return;
	if (t->cook)
		zs_trace_cook_close(t->cook);
	free(t);
}

static void
trace_summary(struct zs_source *s, void (*emit)(void *, const char *, int64_t), void *cookie)
{
	struct trace_src *t = s->priv;
	const struct zs_trace_counts *c = zs_trace_cook_counts(t->cook);

	emit(cookie, "trace_lines", (int64_t)c->lines);
	emit(cookie, "trace_events", (int64_t)c->events);
	emit(cookie, "trace_allocs", (int64_t)t->allocs);
	emit(cookie, "trace_frees", (int64_t)t->frees);
	emit(cookie, "unmatched_frees", (int64_t)c->unmatched_frees);
	emit(cookie, "duplicate_batched_frees", (int64_t)c->duplicate_batched_frees);
	emit(cookie, "realloc_live", (int64_t)c->realloc_live);
	emit(cookie, "alloc_failed_in_trace", (int64_t)c->alloc_failed_in_trace);
	emit(cookie, "bad_lines", (int64_t)c->bad_lines);
	/* only when they happen, so a replay that has none keeps its summary */
	if (t->mixed_mobility)
		emit(cookie, "skipped_mixed_mobility", (int64_t)t->mixed_mobility);
	if (!t->finished)
		emit(cookie, "trace_cut_short_at_line", (int64_t)t->last_line);
}

/* The share of the trace file read: replay cost follows the events, so the bytes. */
static double
trace_progress(struct zs_source *s, int64_t now)
{
	struct trace_src *t = s->priv;

	(void)now;
	return t->finished ? 1.0 : zs_trace_progress(zs_trace_cook_reader(t->cook));
}

const struct zs_source_ops zs_source_trace = {
	.type = "trace",
	.create = trace_create,
	.next = trace_next,
	.destroy = trace_destroy,
	.summary = trace_summary,
	.progress = trace_progress,
};
