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
#include "sim/sched.h"
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

/* ---- thread steps, with and without the CPU scheduler ---- */

static long steps_left;

static void
stepper(struct zs_thread *t)
{
	uint64_t *x = t->priv;

	*x = *x * 6364136223846793005ull + 1442695040888963407ull;
	if (--steps_left <= 0) {
		zs_thread_exit(t);
		return;
	}
	zs_thread_charge(t, (zs_time_t)(*x >> 54) + 1); /* 1..1024 ns */
	if ((*x >> 20) % 4 == 0)
		zs_thread_sleep(t, (zs_time_t)(*x >> 52));
	else
		zs_thread_yield(t);
}

/* 256 threads on 4 CPUs stepping (charge, then yield or a short sleep). */
static double
thread_steps_per_s(int sched)
{
	const long n = 4000000;
	double best = 0;

	for (int run = 0; run < ZS_BENCH_RUNS; run++) {
		struct zs_engine *e = zs_engine_create();
		struct zs_sched_params p;
		static uint64_t x[256];
		uint64_t runs = 0;
		double t0, t1;

		if (sched) {
			zs_sched_params_for(ZS_KV_2632, 1000, 4, &p);
			zs_engine_set_sched(e, &p);
		}
		steps_left = n;
		for (int i = 0; i < 256; i++) {
			x[i] = (uint64_t)i + 1;
			zs_thread_create(e, "s", i % 4, stepper, &x[i], i);
		}
		t0 = zs_bench_cpu();
		zs_engine_run(e, INT64_MAX / 2, NULL, NULL);
		t1 = zs_bench_cpu();
		for (int i = 0; i < zs_engine_nr_threads(e); i++)
			runs += zs_engine_thread(e, i)->runs;
		if ((double)runs / (t1 - t0) > best)
			best = (double)runs / (t1 - t0);
		zs_engine_destroy(e);
	}
	return best / 1e6;
}

ZS_BENCH(engine_threads)
{
	zs_bench_report("thread steps, a CPU each (scheduler: none)", thread_steps_per_s(0),
			"M steps/s");
	zs_bench_report("thread steps, 256 threads on 4 CPUs (cfs-2.6.32)", thread_steps_per_s(1),
			"M steps/s");
}
