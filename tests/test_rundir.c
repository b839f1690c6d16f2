/*
 * test_rundir.c - where `zsim run` writes: the default directory names the
 * kernel (and a seed that is not the scenario's), and a directory never holds
 * a mix of two runs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support.h"

static char tmpdir[64];

static void
mk_tmp(void)
{
	zt_tmpdir(tmpdir, sizeof(tmpdir), "rundir");
}

static void
rm_tmp(void)
{
	zt_rm_rf(tmpdir);
}

TestSuite(rundir, .init = mk_tmp, .fini = rm_tmp);

static void
zsim_ok(const char *args)
{
	char err[1024];

	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "zsim %s: %s", args, err);
}

Test(rundir, default_directory_names_kernel_and_seed)
{
	char path[128], args[512], name[64];
	FILE *y;

	/* a name of its own, so the test never touches another run's results/ */
	snprintf(name, sizeof(name), "zt-rundir-%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/s.yaml", tmpdir);
	y = fopen(path, "w");
	cr_assert(y);
	fprintf(y, "name: %s\nseed: 5\nduration: 20ms\n"
		   "workload: [{type: simple, rate: 2000, lifetime: 1ms}]\n",
		name);
	fclose(y);
	static const struct {
		const char *opts, *dir;
	} cases[] = {
		{"--kernel 2.4", "%s-2.4.0"},          {"--kernel 2.6.18", "%s-2.6.18"},
		{"--kernel 2.6", "%s-2.6.32"},         {"--kernel 2.6.32 --seed 5", "%s-2.6.32"},
		{"--kernel 2.6.32 --seed 9", "%s-2.6.32-seed9"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[128], sum[192];

		snprintf(args, sizeof(args), "run %s -q %s", path, cases[i].opts);
		zsim_ok(args);
		snprintf(dir, sizeof(dir), cases[i].dir, name);
		snprintf(sum, sizeof(sum), "results/%s/summary.txt", dir);
		cr_assert(zt_exists(sum), "%s: no %s", cases[i].opts, sum);
		if (strstr(cases[i].opts, "seed 9")) {
			char *t = zt_read_file(sum, NULL);

			cr_assert(t && strstr(t, "\nseed: 9\n"));
			free(t);
		}
		snprintf(sum, sizeof(sum), "results/%s", dir);
		zt_rm_rf(sum);
	}
}

Test(rundir, a_run_without_events_removes_an_earlier_events_csv)
{
	char args[512], ev[192];

	snprintf(args, sizeof(args), "run configs/default.yaml -q --set duration=50ms --events --out %s/r",
		 tmpdir);
	zsim_ok(args);
	snprintf(ev, sizeof(ev), "%s/r/events.csv", tmpdir);
	cr_assert(zt_exists(ev));
	snprintf(args, sizeof(args), "run configs/default.yaml -q --set duration=50ms --out %s/r",
		 tmpdir);
	zsim_ok(args);
	cr_assert(!zt_exists(ev), "events.csv of the earlier run is still there");
	/* nor figures or a report of the earlier run */
	snprintf(args, sizeof(args), "report %s/r", tmpdir);
	zsim_ok(args);
	snprintf(ev, sizeof(ev), "%s/r/plots/free_0_DMA.svg", tmpdir);
	cr_assert(zt_exists(ev));
	snprintf(args, sizeof(args), "run configs/default.yaml -q --set duration=50ms --out %s/r",
		 tmpdir);
	zsim_ok(args);
	cr_assert(!zt_exists(ev), "a figure of the earlier run is still there");
	snprintf(ev, sizeof(ev), "%s/r/report.html", tmpdir);
	cr_assert(!zt_exists(ev), "report.html of the earlier run is still there");
}
