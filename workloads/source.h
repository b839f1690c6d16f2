/*
 * source.h - a workload source: something that yields timed requests.
 *
 * Each entry of the scenario's `workload` list becomes one source, created by
 * the constructor registered under its `type`.  A source gets its own random
 * stream, so adding a source never changes another's draws.  The driver pulls
 * one request at a time.  Sources come in two kinds:
 *
 * Closed-loop (the generators whose tasks are processes: simple, anon,
 * filecache, phases; `done` is set).  Every task is its own simulated thread
 * in the driver.  Once next() has returned a request of task T, the source
 * returns no other request of T until the driver calls done() with the time
 * the request completed; T's next reference is then timed from that
 * completion (the generators shift the task's pending events by the delay),
 * so a task that waits on the kernel slows down instead of building a
 * backlog, and never delays another task.  next() returning 0 means "nothing
 * now": more may come after the next done().  horizon() is a lower bound on
 * the time of every request next() will return before the next done()
 * (INT64_MAX: none), so the driver pulls only what is due before what it
 * already holds; no request is earlier than the last done().
 *
 * Open-loop (script, traces, kernel): requests keep the times they were given
 * (recorded, or external arrivals such as packets); the source is one issuing
 * context, and while one of its allocations blocks, its later requests wait
 * and are issued late (the lag is counted in summary.txt).
 */
#ifndef ZS_SOURCE_H
#define ZS_SOURCE_H

#include <stdint.h>

#include "alloc/gfp.h"
#include "workloads/request.h"

struct zs_cfg;
struct zs_error;
struct zs_rng;

/* What a source may know of the run. */
struct zs_machine;

struct zs_source_env {
	enum zs_kver kver;
	int nr_cpus;
	uint64_t machine_pages;  /* present pages of the whole machine */
	int64_t duration_ns;     /* the run's length */
	struct zs_rng *rng;      /* this source's own stream */
	const char *scenario_dir; /* for relative paths (trace files); valid during create only */
	unsigned index;          /* position in the workload list */
	unsigned nr_sources;     /* entries in the workload list (parent_source names one) */
	const struct zs_machine *machine; /* nodes for `mempolicy:` checks; NULL in unit tests */
};

struct zs_source;

struct zs_source_ops {
	const char *type; /* the scenario's `type:` value */
	/* Read cfg (the list entry's map), set up s->priv.  Errors at cfg positions. */
	int (*create)(struct zs_source *s, struct zs_cfg *cfg, const struct zs_source_env *env,
		      struct zs_error *err);
	/* Next request: 1 = got one, 0 = the source is finished, -1 = error (err set). */
	int (*next)(struct zs_source *s, struct zs_request *req, struct zs_error *err);
	/* Outcome of an ALLOC (ok = 1 when it got a page) or of a task being OOM-killed
	 * (type TASK_EXIT with ok = 0).  May be NULL. */
	void (*feedback)(struct zs_source *s, const struct zs_request *req, int ok);
	/* Closed-loop sources only (NULL for open-loop ones): `req` (as next() returned it)
	 * completed at `when` (>= req->time).  Called once for every request. */
	void (*done)(struct zs_source *s, const struct zs_request *req, int64_t when);
	/* Closed-loop only: lower bound on the next request's time (see above). */
	int64_t (*horizon)(struct zs_source *s);
	void (*destroy)(struct zs_source *s);
	/* Counters the source wants in summary.txt, as "key: value" lines; may be NULL. */
	void (*summary)(struct zs_source *s, void (*emit)(void *cookie, const char *key, int64_t v),
			void *cookie);
	/* How far the source is toward its own end at simulated time `now`, in [0, 1], or
	 * negative when it cannot tell; only for the progress line of `duration: auto`
	 * runs, so it never changes results.  May be NULL (unknown). */
	double (*progress)(struct zs_source *s, int64_t now);
};

struct zs_source {
	const struct zs_source_ops *ops;
	struct zs_source_env env;
	void *priv;
	/* `context: interrupt` (set by create): the source stands for interrupt handlers,
	 * so its threads never wait for a CPU (zs_thread_set_irq) */
	int interrupt;
	/* set by create when the source keeps its bindings itself (alloc/pagemap.h);
	 * an open-loop source only */
	const struct zs_bind_keeper *keeper;
};

/*
 * The `context` key of a source entry, `process` or `interrupt`, into *interrupt
 * (absent: `dflt`, unless gfp has __GFP_WAIT); an interrupt cannot sleep, so
 * `interrupt` with a gfp including __GFP_WAIT is an error at the key.  0, or -1.
 */
int zs_source_context(struct zs_cfg *cfg, enum zs_kver kver, uint32_t gfp, int dflt,
		      int *interrupt, struct zs_error *err);

/* The source types (defined in workloads/gen_*.c and workloads/trace_source.c). */
extern const struct zs_source_ops zs_source_simple;
/* Tests only: simple sources created while this is 0 park without chains
 * (gen_simple.c), one heap entry per parked event, so that a test can run the two
 * side by side; peek says what their heaps and sequence numbers must agree on:
 * the earliest entry's time and sequence number (INT64_MAX, 0 when none) and the
 * sequence numbers used. */
void zs_gen_simple_use_chains(int on);
void zs_gen_simple_peek(const struct zs_source *s, int64_t *time, uint64_t *seq, uint64_t *used);
extern const struct zs_source_ops zs_source_anon;
extern const struct zs_source_ops zs_source_filecache;
extern const struct zs_source_ops zs_source_kernel;
extern const struct zs_source_ops zs_source_phases;
extern const struct zs_source_ops zs_source_trace;
extern const struct zs_source_ops zs_source_script;

/* Find a source type by name; NULL when unknown. */
const struct zs_source_ops *zs_source_find(const char *type);
/* Comma-separated list of the known types (for error messages). */
const char *zs_source_types(void);

/*
 * Build a source from one workload entry (a map with `type:`); NULL with err on
 * failure.  destroy with zs_source_destroy.
 */
struct zs_source *zs_source_create(struct zs_cfg *entry, const struct zs_source_env *env,
				   struct zs_error *err);
void zs_source_destroy(struct zs_source *s);

/*
 * next() for a caller without a driver (tests, tools): every request is taken
 * to complete at its own time, so a closed-loop source gets done(req,
 * req->time) at once.  Same return as next().
 */
int zs_source_next_done(struct zs_source *s, struct zs_request *req, struct zs_error *err);

/* For `duration: auto`: 0 when the entry ends by itself, else -1 with err at the entry. */
int zs_source_check_ends(struct zs_cfg *entry, struct zs_error *err);

#endif
