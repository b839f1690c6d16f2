/*
 * fuzz_run.c - short whole runs: the input is a scenario, run for at most 10 ms
 * of simulated time with the invariant checker after every event and all three
 * result files written (to /dev/null).  A broken invariant or a crash in the
 * model, the driver or a source is a finding; a clean refusal is not.
 */
#include <stdint.h>
#include <stdio.h>

#include "sim/cfg.h"
#include "sim/scenario.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PAGES (1u << 16) /* 256 MiB: the checker walks every page per event */

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
	zs_fuzz_execute(&sc);
out:
	zs_cfg_free(root);
	return 0;
}
