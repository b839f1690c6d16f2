/*
 * driver.h - one simulation run: builds the machine, the kernel model and the
 * workload sources from a scenario, feeds every request to the model, samples
 * ticks.csv every tick and writes events.csv and summary.txt.
 *
 * Each source gets a driver thread that issues its requests in time order;
 * an allocation that blocks in the model blocks that thread (see source.h).
 */
#ifndef ZS_DRIVER_H
#define ZS_DRIVER_H

#include <stdio.h>

#include "alloc/vm.h"
#include "sim/scenario.h"

struct zs_run;

/* Build everything the scenario describes (the kernel boots here).  NULL with err. */
struct zs_run *zs_run_create(struct zs_scenario *sc, struct zs_error *err);

/*
 * Run to the scenario's duration.  ticks/events/summary may be NULL (not
 * written).  progress: print a progress line on stderr.  0, or -1 with err
 * (a source failed, e.g. a malformed trace line).
 */
int zs_run_execute(struct zs_run *r, FILE *ticks, FILE *events, FILE *summary, int progress,
		   struct zs_error *err);

void zs_run_destroy(struct zs_run *r);

/* When zs_run_execute ended the run because no request progressed for 120 simulated
 * seconds (summary key stalled_ns); 0 when it did not. */
int64_t zs_run_stalled_ns(const struct zs_run *r);

/* The run's event engine (a fuzz target stops a run that exceeds its CPU budget). */
struct zs_engine *zs_run_engine(struct zs_run *r);

/* The simulated kernel (for tests and `zsim check`). */
struct zs_vm *zs_run_vm(struct zs_run *r);

/* After zs_run_execute: latency.csv, the allocation latency histogram. */
void zs_run_latency_hist(struct zs_run *r, FILE *f);

#endif
