/* trace_cooked.c - a cook's output written as a cooked native trace (version 2; layout in trace.h). */
#include "workloads/trace.h"

#include "sim/diag.h"

/*
 * The raw events that gave no page record between two snapshots of the counts
 * (own: the page event returned after `was` stands for a raw event of its own),
 * written as tally records.
 */
static int
tally_since(struct zs_trace_writer *w, const struct zs_trace_counts *was,
	    const struct zs_trace_counts *now, unsigned own, struct zs_error *err)
{
	struct zs_trace_tally t = {
		.pcpu_drain = now->pcpu_drain - was->pcpu_drain,
		.zone_locked = now->zone_locked - was->zone_locked,
		.other = now->other_events - was->other_events,
		.alloc_failed = now->alloc_failed_in_trace - was->alloc_failed_in_trace,
		.unmatched = now->unmatched_frees - was->unmatched_frees,
		.duplicate = now->duplicate_batched_frees - was->duplicate_batched_frees,
		.double_frees = now->double_frees - was->double_frees,
	};

	t.n = t.pcpu_drain + t.zone_locked + t.other + t.alloc_failed + t.unmatched +
	      t.duplicate + t.double_frees;
	/* the cook counts every raw event as one of these, or as the page event's own */
	ZS_BUG_ON(now->events - was->events != t.n + own);
	if (!t.n)
		return 0;
	return zs_trace_native_put_tally(w, &t, now->first_ns, now->last_ns, err);
}

/* The order whose allocations rose by one between the two snapshots (an implied FREE's). */
static unsigned
allocated_order(const struct zs_trace_counts *was, const struct zs_trace_counts *now)
{
	for (unsigned i = 0; i < 16; i++)
		if (now->allocs_by_order[i] != was->allocs_by_order[i])
			return i;
	ZS_BUG_ON(1);
	return 0;
}

int
zs_trace_cook_to_native(struct zs_trace_cook *c, struct zs_trace_writer *w, struct zs_error *err)
{
	const struct zs_trace_counts *now = zs_trace_cook_counts(c);
	struct zs_trace_counts was = *now;
	struct zs_page_event pe;
	int rc, after_implied = 0;

	zs_trace_cook_emit_skipped(c, 0); /* skipped frees go as counts */
	while ((rc = zs_trace_cook_next(c, &pe, err)) > 0) {
		unsigned flags = pe.flags, implied_by = 0, own = 1;

		if (pe.ev == ZS_PEV_ALLOC && after_implied) {
			/* the allocation an implied FREE was cooked from: counted with it */
			flags |= ZS_TRACE_COOKED_PENDING;
			own = 0;
		}
		after_implied = pe.ev == ZS_PEV_FREE && (pe.flags & ZS_PEF_IMPLIED);
		if (after_implied)
			implied_by = allocated_order(&was, now);
		else if (pe.ev == ZS_PEV_FREE && now->free_order_mismatch != was.free_order_mismatch)
			flags |= ZS_TRACE_COOKED_MISMATCH;
		if (tally_since(w, &was, now, own, err) < 0 ||
		    zs_trace_native_put_page(w, &pe, flags, implied_by, err) < 0)
			return -1;
		was = *now;
	}
	if (rc < 0)
		return -1;
	return tally_since(w, &was, now, 0, err);
}
