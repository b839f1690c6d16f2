/*
 * fuzz_scenario.c - the scenario loader as `zsim check` runs it: YAML text ->
 * tree -> scenario -> machine, model and sources built (the kernel boots), the
 * zone report printed, everything freed.  A rejected input must fail cleanly.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sim/cfg.h"
#include "sim/driver.h"
#include "sim/scenario.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Machines above this are valid but cost host memory the fuzzer should not spend. */
#define FUZZ_MAX_PAGES (1u << 20)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	struct zs_cfg *root = zs_fuzz_load(data, size);

	if (!root)
		return 0;
	if (zs_scenario_parse(&sc, root, "fuzz.yaml", NULL, &err) == 0 &&
	    zs_fuzz_machine_pages(&sc.machine) <= FUZZ_MAX_PAGES && sc.machine.swap_pages <= FUZZ_MAX_PAGES) {
		struct zs_run *r = zs_run_create(&sc, &err);

		if (r) {
			struct zs_vm *vm = zs_run_vm(r);

			vm->ops->describe(vm, zs_fuzz_null(), size & 1);
			zs_run_destroy(r);
		}
	}
	zs_cfg_free(root);
	return 0;
}
