/*
 * gen_util.h - pieces the synthetic generators share: the binary heap that
 * merges many tasks' next-event times, gfp names per kernel version, Zipf
 * ranks over a page range, and the handle/task number budget.
 *
 * Handle budget: a generator's handles stay below 2^ZS_GEN_HANDLE_BITS and its
 * task numbers below 2^ZS_GEN_TASK_BITS, so the `phases` source can put a
 * child's index in the bits above and keep handles < 2^48 (request.h).
 *
 * Invariant (zs_evheap): e[0] is the smallest (time, id, serial) entry and
 * every parent is <= its children; push/pop never allocate except to grow the
 * array (amortised doubling), so a steady state does no malloc per request.
 */
#ifndef ZS_GEN_UTIL_H
#define ZS_GEN_UTIL_H

#include <stdint.h>

#include "alloc/gfp.h"

struct zs_cfg;
struct zs_error;
struct zs_rng;
struct zs_discrete;

#define ZS_GEN_HANDLE_BITS 40
#define ZS_GEN_TASK_BITS 24
#define ZS_GEN_HANDLE_LIMIT (1ull << ZS_GEN_HANDLE_BITS)
#define ZS_GEN_TASK_LIMIT (1u << ZS_GEN_TASK_BITS)

/* "No end": a source without a run length never finishes by itself. */
#define ZS_GEN_NEVER INT64_MAX

/* ---- min-heap of next-event times ---- */
struct zs_evheap_ent {
	int64_t time;
	uint32_t id;     /* the generator's slot number */
	uint32_t serial; /* lets the generator recognise an entry made stale by a kill */
};

struct zs_evheap {
	struct zs_evheap_ent *e;
	uint32_t n, cap;
};

/* Insert an entry; -1 when memory runs out (the heap is unchanged). */
int zs_evheap_push(struct zs_evheap *h, int64_t time, uint32_t id, uint32_t serial);
/* Smallest entry, or NULL when empty. */
static inline const struct zs_evheap_ent *
zs_evheap_top(const struct zs_evheap *h)
{
	return h->n ? &h->e[0] : 0;
}
/* Remove the smallest entry (the heap must not be empty). */
void zs_evheap_pop(struct zs_evheap *h);
/* Release the array. */
void zs_evheap_free(struct zs_evheap *h);

/* ---- configuration helpers ---- */

/*
 * Read map[key] as gfp flag names for kernel v (default `def` when absent).
 * On 2.4.0, GFP_NOFS becomes GFP_KERNEL and GFP_NOIO becomes GFP_BUFFER (2.4.0
 * has neither).  Errors at the value's position.
 */
int zs_gen_gfp(struct zs_cfg *map, const char *key, enum zs_kver v, const char *def,
	       uint32_t *out, struct zs_error *err);
/* Gfp names as text (for tests and messages): same mapping as zs_gen_gfp. */
int zs_gen_gfp_text(enum zs_kver v, const char *names, uint32_t *out, struct zs_error *err);

/* Read map[key] as a task name into comm[16] (truncated as the kernel does). */
int zs_gen_comm(struct zs_cfg *map, const char *key, char comm[16], struct zs_error *err);

/* A rate in events per second (>= 0); absent keeps *out. */
int zs_gen_rate(struct zs_cfg *map, const char *key, double *out, struct zs_error *err);

/* The end of a source: env duration, or ZS_GEN_NEVER when the run has none. */
int64_t zs_gen_end(int64_t duration_ns);
/* A source's progress toward `end` at `now` (source.h progress()); -1 when it has no end. */
double zs_gen_progress(int64_t now, int64_t end);

/* Exponential gap for a Poisson process of `rate` per second, in ns (>= 0). */
int64_t zs_gen_gap(struct zs_rng *r, double rate);
/* t + gap without overflow (saturates at ZS_GEN_NEVER). */
int64_t zs_gen_after(int64_t t, int64_t gap);

/* ---- Zipf ranks ---- */

/*
 * Zipf popularity with exponent s over ranges of any size: one Walker table per
 * power of two, built on first use (at most ZS_ZIPF_MAX_BITS+1 tables), shared
 * by every task of a generator.  s == 0 draws uniformly without a table.
 */
#define ZS_ZIPF_MAX_BITS 16
struct zs_zipf {
	double s;
	struct zs_discrete *table[ZS_ZIPF_MAX_BITS + 1];
};

void zs_zipf_init(struct zs_zipf *z, double s);
void zs_zipf_free(struct zs_zipf *z);
/*
 * A rank in [0, n) (n >= 1), rank 0 the most popular.  n is rounded up to a
 * power of two for the table; ranks beyond n fold back modulo n.  Above
 * 2^ZS_ZIPF_MAX_BITS ranks, a table rank picks a stride of the range and a
 * uniform draw picks the page within it.
 */
uint64_t zs_zipf_rank(struct zs_zipf *z, struct zs_rng *r, uint64_t n);

#endif
