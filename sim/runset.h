/*
 * runset.h - many `zsim run`s at once on this machine: one forked process per
 * run, at most `jobs` alive, each writing its own result directory exactly as
 * `zsim run SCENARIO --kernel K --seed N --set ... --out DIR` would (the child
 * calls the same zs_run_scenario).  Runs share nothing, so what they write
 * does not depend on `jobs` or on the order they finish in.
 */
#ifndef ZS_RUNSET_H
#define ZS_RUNSET_H

#include <stdint.h>

#include "sim/diag.h"

struct zs_runjob {
	const char *scenario;
	const char *kernel;     /* as --kernel takes it */
	uint64_t seed;
	const char **set;       /* --set assignments, in order */
	int nset;
	char out[4096];         /* its result directory */
};

/*
 * Run jobs[0..n-1], `jobs` at a time; with skip_done a job whose directory
 * already holds a summary.txt (runs commit atomically) is not run again.
 * progress: "runs done of total, ETA" on stderr.  0 when every run succeeded,
 * else the first failed run's exit status with err naming it.
 */
int zs_runset_execute(struct zs_runjob *job, int n, int jobs, int skip_done, int progress,
		      struct zs_error *err);

#endif
