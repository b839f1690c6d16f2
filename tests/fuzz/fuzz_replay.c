/*
 * fuzz_replay.c - a trace replayed end to end: the input after its first byte is
 * a trace (any format), replayed on a small machine (so that it swaps, runs out
 * of memory and kills) with the invariant checker after every event and all
 * three result files written (to /dev/null).  The first byte picks the kernel,
 * the memory size and --skip-bad-lines.  A crash, a broken invariant or a
 * sanitizer report is a finding (the cook's keeping of bindings, alloc/pagemap.h,
 * among what it exercises); a clean refusal of bad input is not.
 */
#include <stdint.h>
#include <stdio.h>

#include "sim/cfg.h"
#include "sim/scenario.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kernels[] = {"2.4", "2.6.18", "2.6.32"};
	static const char *const memory[] = {"2MiB", "4MiB", "8MiB", "32MiB"};
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	char yaml[512];

	if (size < 1)
		return 0;
	unsigned sel = data[0];
	const char *path = zs_fuzz_file(data + 1, size - 1);

	if (!path)
		return 0;
	snprintf(yaml, sizeof(yaml),
		 "machine: {memory: %s, cpus: 2, swap: 1MiB}\n"
		 "workload:\n  - {type: trace, path: \"%s\", skip_bad_lines: %s}\n"
		 "duration: auto\noutput: {check: full}\n",
		 memory[(sel >> 2) & 3], path, sel & 16 ? "true" : "false");
	struct zs_cfg *root = zs_cfg_load_string("fuzz.yaml", yaml, &err);

	if (!root)
		goto out_file;
	if (zs_scenario_parse(&sc, root, "fuzz.yaml", kernels[(sel & 3) % 3], &err))
		goto out;
	zs_fuzz_execute(&sc);
out:
	zs_cfg_free(root);
out_file:
	zs_fuzz_file_close();
	return 0;
}
