/*
 * fuzz_run.c - short whole runs: the input is a scenario, run for at most 10 ms
 * of simulated time with the invariant checker after every event and all three
 * result files written (to /dev/null).  A broken invariant or a crash in the
 * model, the driver or a source is a finding; a clean refusal is not.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/driver.h"
#include "sim/engine.h"
#include "sim/scenario.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PAGES (1u << 16) /* 256 MiB: the checker walks every page per event */

static struct zs_engine *volatile running;

/* A valid scenario may ask for 1e12 allocations a second: the run is cut at 1 s of
 * CPU time, which is the cost the user asked for, not a bug. */
static void
on_cpu_limit(int sig)
{
	(void)sig;
	if (running)
		zs_engine_stop(running);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	struct zs_cfg *root = zs_fuzz_load(data, size);

	if (!root)
		return 0;
	if (zs_cfg_set(root, "duration=10ms", &err) || zs_cfg_set(root, "output.check=full", &err) ||
	    zs_scenario_parse(&sc, root, "fuzz.yaml", NULL, &err))
		goto out;
	if (zs_fuzz_machine_pages(&sc.machine) > FUZZ_MAX_PAGES || sc.machine.swap_pages > FUZZ_MAX_PAGES)
		goto out;
	sc.events = 1;
	struct zs_run *r = zs_run_create(&sc, &err);
	if (!r)
		goto out;
	struct itimerval limit = {{0, 0}, {1, 0}}, off = {{0, 0}, {0, 0}};
	signal(SIGPROF, on_cpu_limit);
	running = zs_run_engine(r);
	setitimer(ITIMER_PROF, &limit, NULL);
	int rc = zs_run_execute(r, zs_fuzz_null(), zs_fuzz_null(), zs_fuzz_null(), 0, &err);
	setitimer(ITIMER_PROF, &off, NULL);
	running = NULL;
	/* the invariant checker's report (EX_SOFTWARE) is a finding: the model broke its
	 * own state; bad input (65), a missing trace (66) or out of memory are not */
	if (rc && err.code == EX_SOFTWARE) {
		fprintf(stderr, "zsim invariant: %s\n", err.msg);
		abort();
	}
	zs_run_destroy(r);
out:
	zs_cfg_free(root);
	return 0;
}
