/* test_trace_cook.c - the cook's pfn table across its periodic sweep of old freed slots. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/diag.h"
#include "tests/support.h"
#include "workloads/trace.h"

#define WINDOW (1u << 18) /* the cook's FREE_WINDOW, in page events */
#define SWEEP (1u << 22)  /* the cook's sweep period, in page events */

static void
put(struct zs_trace_writer *w, enum zs_trace_ev kind, uint64_t pfn, uint64_t *seq)
{
	zt_native_put(w, kind, pfn, 0, seq);
}

static unsigned odd_allocs; /* allocations fill_to() leaves live */

/* Allocate and free one scratch pfn until `*seq` page events were written. */
static void
fill_to(struct zs_trace_writer *w, uint64_t *seq, uint64_t target)
{
	while (*seq + 2 <= target) {
		put(w, ZS_TEV_ALLOC, 0x100000, seq);
		put(w, ZS_TEV_FREE, 0x100000, seq);
	}
	if (*seq < target) {
		put(w, ZS_TEV_ALLOC, 0x200000 + *seq, seq);
		odd_allocs++;
	}
}

/*
 * The sweep every SWEEP page events forgets freed slots older than the window,
 * and nothing else: a page allocated before it and freed after is still live,
 * a free just before it still has its batched twin recognised after it, and a
 * free older than the window at the sweep is unmatched when its twin comes.
 */
Test(trace_cook, sweep_forgets_only_stale_frees)
{
	char path[64];
	struct zs_error err = {0, ""};
	struct zs_page_event pe;
	uint64_t seq = 0;
	FILE *f;
	struct zs_trace_writer *w = zt_native_open(path, &f);

	put(w, ZS_TEV_ALLOC, 7, &seq);                  /* live across the sweep */
	fill_to(w, &seq, SWEEP - WINDOW - 2);
	put(w, ZS_TEV_FREE, 3, &seq);                   /* older than the window at the sweep */
	fill_to(w, &seq, SWEEP - 10);
	put(w, ZS_TEV_FREE, 2, &seq);                   /* 10 events before the sweep */
	fill_to(w, &seq, SWEEP + 2);
	put(w, ZS_TEV_FREE_BATCHED, 2, &seq);           /* its twin: a duplicate */
	put(w, ZS_TEV_FREE_BATCHED, 3, &seq);           /* too late: unmatched */
	put(w, ZS_TEV_FREE, 7, &seq);                   /* a matched free of order 0 */
	zt_native_finish(w, f, seq);

	struct zs_trace_cook *c = zs_trace_cook_open(path, ZS_TRACE_NATIVE, 0, &err);
	cr_assert(c, "%s", err.msg);
	while (zs_trace_cook_next(c, &pe, &err) > 0)
		;
	unlink(path);
	const struct zs_trace_counts *k = zs_trace_cook_counts(c);
	cr_assert_eq(k->events, seq);
	cr_assert_eq(k->duplicate_batched_frees, 1);
	/* pfn 3's free and its late twin, pfn 2's free: recorded before the trace began */
	cr_assert_eq(k->unmatched_frees, 3);
	cr_assert_eq(k->double_frees, 0);
	cr_assert_eq(k->live_blocks, odd_allocs);
	zs_trace_cook_close(c);
}
