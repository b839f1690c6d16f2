/*
 * bench_core.c - the engine: events through the event heap.  (The allocator
 * figures are bench_alloc.c's, memory and scale bench_scale.c's.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/buddy.h"
#include "alloc/vm.h"
#include "sim/cfg.h"
#include "sim/engine.h"
#include "sim/rng.h"
#include "tests/bench.h"

static long ev_left;

static void
tick(void *arg, uint64_t data)
{
	struct zs_engine *e = arg;

	if (--ev_left > 0)
		zs_event_at(e, zs_now(e) + (zs_time_t)(data % 1000) + 1, tick, e, data * 7 + 3);
}

ZS_BENCH(engine)
{
	struct zs_engine *e = zs_engine_create();
	const long n = 10000000;
	double t0, t1;

	/* 64 interleaved self-rescheduling timers: a heap of realistic depth */
	ev_left = n;
	for (int i = 0; i < 64; i++)
		zs_event_at(e, i, tick, e, (uint64_t)i);
	t0 = zs_bench_cpu();
	zs_engine_run(e, INT64_MAX / 2, NULL, NULL);
	t1 = zs_bench_cpu();
	zs_bench_report("engine events", (double)zs_engine_events(e) / (t1 - t0) / 1e6, "M events/s");
	zs_engine_destroy(e);
}
