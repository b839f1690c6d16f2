/*
 * cmd_check.c - `zsim check SCENARIO`: validate a scenario and print the
 * machine the kernel would build, in the spirit of /proc/zoneinfo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cmd_common.h"
#include "sim/cmds.h"
#include "sim/overrides.h"
#include "sim/driver.h"

const char zs_usage_check[] =
	"usage: zsim check SCENARIO [--kernel VERSION] [--format text|csv] [--set key.path=value]...\n"
	"\n"
	"Validate the scenario (machine, kernel tunables, workload) and print, per node and\n"
	"zone, the pfn range, size, watermarks and what else the kernel model computes at boot\n"
	"(lowmem_reserve, per-cpu batch/high, pageblocks).  --format csv prints one row per zone.\n";

int
zs_cmd_check(int argc, char **argv)
{
	struct zs_run_opts o;
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	struct zs_cfg *root;
	struct zs_run *r;
	int csv = 0;
	int rc = zs_parse_run_opts(argc, argv, &o, zs_usage_check, 1);

	if (rc >= 0)
		return rc;
	if (!o.scenario) {
		fprintf(stderr, "zsim check: a scenario file is needed\n%s", zs_usage_check);
		free(o.set);
		return EX_USAGE;
	}
	if (o.format && !strcmp(o.format, "csv"))
		csv = 1;
	else if (o.format && strcmp(o.format, "text")) {
		fprintf(stderr, "zsim check: --format is text or csv, not '%s'\n", o.format);
		free(o.set);
		return EX_USAGE;
	}
	root = zs_cfg_load_file(o.scenario, &err);
	if (!root) {
		free(o.set);
		return zs_cmd_fail(&err);
	}
	if (zs_overrides_apply(root, o.set, o.nset, &err))
		goto fail;
	if (zs_scenario_parse(&sc, root, o.scenario, o.kernel, &err))
		goto fail;
	r = zs_run_create(&sc, &err);
	if (!r)
		goto fail;
	struct zs_vm *vm = zs_run_vm(r);
	if (!csv)
		printf("scenario %s: kernel %s, %d node(s), %d zone(s), %d cpu(s), %u pages (%u MiB), "
		       "swap %llu pages, HZ %d\n",
		       o.scenario, vm->ops->name, vm->machine->nr_nodes, vm->machine->nr_zones,
		       vm->machine->nr_cpus, vm->machine->nr_pages, vm->machine->nr_pages / 256,
		       (unsigned long long)vm->swap.nr_slots, vm->hz);
	vm->ops->describe(vm, stdout, csv);
	zs_run_destroy(r);
	zs_cfg_free(root);
	free(o.set);
	return EX_OK; /* main() checks that standard output took it all */
fail:
	zs_cfg_free(root);
	free(o.set);
	return zs_cmd_fail(&err);
}
