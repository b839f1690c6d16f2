/*
 * fuzz_trace.h - one trace reader as `zsim trace stats` drives it: open the
 * input as format FUZZ_FORMAT, cook every event (the quirks of real traces
 * resolved), take the counts.  Included by fuzz_trace_<format>.c.  The first
 * byte's low bit turns --skip-bad-lines on, so both error paths are covered.
 */
#include <stdint.h>

#include "sim/diag.h"
#include "tests/fuzz/fuzz.h"
#include "workloads/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zs_error err = {0, ""};
	struct zs_page_event pe;
	int skip = size && (data[0] & 1);
	const char *path = zs_fuzz_file(data, size);
	struct zs_trace_cook *c;
	uint64_t n = 0;

	if (!path)
		return 0;
	c = zs_trace_cook_open(path, FUZZ_FORMAT, skip, &err);
	if (c) {
		zs_trace_cook_emit_skipped(c, size > 1 && (data[1] & 1));
		while (zs_trace_cook_next(c, &pe, &err) > 0)
			n += pe.order;
		const struct zs_trace_counts *k = zs_trace_cook_counts(c);
		/* the cooked stream's invariant (trace.h) */
		uint64_t a = 0, f = 0;
		for (int i = 0; i < 16; i++) {
			a += k->allocs_by_order[i];
			f += k->frees_by_order[i];
		}
		if (a != f + k->realloc_live + k->live_blocks)
			__builtin_trap();
		zs_trace_cook_close(c);
	}
	zs_fuzz_file_close();
	return (int)(n & 0);
}
