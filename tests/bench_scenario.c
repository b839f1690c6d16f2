/*
 * bench_scenario.c - whole runs of the slowest shipped scenarios, each kernel:
 * CPU seconds from loading the file to summary.txt (boot, run, ticks.csv and
 * summary.txt written to scratch files), best of 3.  Both are closed-loop
 * `simple` workloads whose tasks wait on reclaim while their frees come due:
 * what a `zsim compare` over many seeds of them costs, run by run.  Run from
 * the top directory (it reads configs/).
 */
#include <stdio.h>

#include "sim/cfg.h"
#include "sim/driver.h"
#include "tests/bench.h"

/* CPU seconds of one whole run, or -1 (message printed). */
static double
run_scenario(const char *path, const char *kernel)
{
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	double t0 = zs_bench_cpu();
	struct zs_cfg *root = zs_cfg_load_file(path, &err);
	FILE *ticks = tmpfile(), *sum = tmpfile();
	struct zs_run *r = NULL;
	double t = -1;

	if (root && ticks && sum && !zs_scenario_parse(&sc, root, path, kernel, &err) &&
	    (r = zs_run_create(&sc, &err)) && !zs_run_execute(r, ticks, NULL, sum, 0, &err))
		t = zs_bench_cpu() - t0;
	else
		printf("  %s: %s\n", path, err.msg[0] ? err.msg : "cannot open a scratch file");
	zs_run_destroy(r);
	zs_cfg_free(root);
	if (ticks)
		fclose(ticks);
	if (sum)
		fclose(sum);
	return t;
}

ZS_BENCH(scenario)
{
	static const char *const paths[] = {"configs/26-fragmentation-churn.yaml",
					    "configs/26-fragmentation.yaml"};
	static const char *const kernels[] = {"2.6.32", "2.6.18", "2.4"};
	char label[96];

	for (int p = 0; p < 2; p++)
		for (int k = 0; k < 3; k++) {
			double best = -1;

			for (int i = 0; i < ZS_BENCH_RUNS; i++) {
				double t = run_scenario(paths[p], kernels[k]);

				if (t < 0)
					return;
				if (best < 0 || t < best)
					best = t;
			}
			snprintf(label, sizeof(label), "%s, %s, whole run", paths[p] + 8, kernels[k]);
			zs_bench_report(label, best, "CPU s");
		}
}
