/*
 * bench_plot.c - `zsim plot` of a compare directory: zsim's own CPU seconds
 * (reading every run's ticks.csv, the mean and 95 % band per kernel and tick,
 * the .dat files and the script; gnuplot, a child process, is not counted),
 * best of 3.  The directory is what `zsim compare configs/24-steady.yaml
 * --seeds 5` writes (3 kernels x 5 seeds x 120 simulated s), made first with
 * ./zsim, so run from the top directory after `make bench` built it; then one of
 * its runs plotted alone (every figure of a run directory, buddyinfo's included).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "sim/plot.h"
#include "tests/bench.h"

/* Bytes of the ticks.csv files under dir/runs/<kernel>/<seed>/. */
static double
ticks_bytes(const char *dir)
{
	char path[1200];
	double total = 0;
	DIR *k, *s;
	struct dirent *ke, *se;
	struct stat st;

	snprintf(path, sizeof(path), "%s/runs", dir);
	k = opendir(path);
	while (k && (ke = readdir(k))) {
		if (ke->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/runs/%s", dir, ke->d_name);
		s = opendir(path);
		while (s && (se = readdir(s))) {
			if (se->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/runs/%s/%s/ticks.csv", dir, ke->d_name,
				 se->d_name);
			if (!stat(path, &st))
				total += (double)st.st_size;
		}
		if (s)
			closedir(s);
	}
	if (k)
		closedir(k);
	return total;
}

/* Best of ZS_BENCH_RUNS of zsim's CPU seconds plotting dir, or -1 (message printed). */
static double
plot_cpu(const char *dir)
{
	double best = -1;

	for (int i = 0; i < ZS_BENCH_RUNS; i++) {
		struct zs_plots out;
		struct zs_error err = {0, ""};
		double t0 = zs_bench_cpu();

		if (zs_plot_dir(dir, "png", &out, &err)) {
			printf("  %s: %s\n", dir, err.msg);
			return -1;
		}
		double t = zs_bench_cpu() - t0;

		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

ZS_BENCH(plot)
{
	char dir[64], run[128], cmd[256], label[128];
	double t;

	zs_bench_path(dir, sizeof(dir), "compare");
	snprintf(cmd, sizeof(cmd),
		 "./zsim compare configs/24-steady.yaml --seeds 5 --jobs 2 -q --out %s >/dev/null",
		 dir);
	if (system(cmd)) {
		printf("  cannot make the compare directory (%s)\n", cmd);
		return;
	}
	if ((t = plot_cpu(dir)) >= 0) {
		snprintf(label, sizeof(label),
			 "plot of a compare directory, 15 runs (%.0f MB of ticks.csv)",
			 ticks_bytes(dir) / 1e6);
		zs_bench_report(label, t, "CPU s");
	}
	/* one of its runs alone: every figure of a run directory */
	snprintf(run, sizeof(run), "%s/runs/2.4.0/seed-1", dir);
	if ((t = plot_cpu(run)) >= 0)
		zs_bench_report("plot of one of those runs (2.4.0, 12,001 ticks)", t, "CPU s");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		printf("  cannot remove %s\n", dir);
}
