/*
 * test_sweep.c - `zsim sweep` and `zsim aggregate`: the job list is the full
 * product, running its lines by hand and aggregating gives what --run gives,
 * reruns skip finished runs, and a bad sweep file names its position.
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
	zt_tmpdir(tmpdir, sizeof(tmpdir), "sweep");
}

static void
rm_tmp(void)
{
	zt_rm_rf(tmpdir);
}

TestSuite(sweep, .init = mk_tmp, .fini = rm_tmp, .timeout = 120);

static void
zsim_ok(const char *args)
{
	char err[2048];

	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "zsim %s: %s", args, err);
}

static void
write_sweep(const char *path, const char *extra)
{
	char cwd[1024];
	FILE *f = fopen(path, "w");

	cr_assert(f && getcwd(cwd, sizeof(cwd)));
	fprintf(f,
		"base: %s/configs/default.yaml\n"
		"kernels: [2.4, 2.6.32]\n"
		"seeds: [3, 7]\n"
		"axes: {machine.memory: [32MiB, 48MiB], duration: [100ms]}\n%s",
		cwd, extra);
	fclose(f);
}

Test(sweep, list_by_hand_and_run_agree)
{
	char s[128], args[1024], path[256], b[256];

	snprintf(s, sizeof(s), "%s/s.yaml", tmpdir);
	write_sweep(s, "");
	/* the Slurm job list is the --list output; run every line as a shell would */
	snprintf(args, sizeof(args), "sweep %s --emit slurm --out %s/a", s, tmpdir);
	zsim_ok(args);
	snprintf(path, sizeof(path), "%s/a/sweep.jobs", tmpdir);
	char *jobs = zt_read_file(path, NULL);
	cr_assert(jobs);
	int n = 0;
	for (char *line = jobs, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		cr_assert(strstr(line, "zsim run ") && strstr(line, " --set machine.memory="), "%s",
			  line);
		cr_assert_eq(system(line), 0, "%s", line);
		n++;
	}
	cr_assert_eq(n, 2 * 2 * 2, "points x kernels x seeds");
	free(jobs);
	snprintf(path, sizeof(path), "%s/a/sweep.sbatch", tmpdir);
	char *sb = zt_read_file(path, NULL);
	cr_assert(sb && strstr(sb, "#SBATCH --array=1-8\n") && strstr(sb, "SLURM_ARRAY_TASK_ID"));
	free(sb);
	snprintf(args, sizeof(args), "aggregate %s/a -q", tmpdir);
	zsim_ok(args);
	snprintf(args, sizeof(args), "sweep %s --run --jobs 2 -q --out %s/b", s, tmpdir);
	zsim_ok(args);
	static const char *const same[] = {"sweep.csv", "points.csv", "points/p000/compare.csv",
					   "points/p001/summary.csv"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/a/%s", tmpdir, same[i]);
		snprintf(b, sizeof(b), "%s/b/%s", tmpdir, same[i]);
		cr_assert(zt_same_file(path, b), "%s differs between by-hand and --run", same[i]);
	}
	snprintf(path, sizeof(path), "%s/b/points.csv", tmpdir);
	char *pts = zt_read_file(path, NULL);
	cr_assert_str_eq(pts, "point,machine.memory,duration\np000,32MiB,100ms\np001,48MiB,100ms\n");
	free(pts);
	snprintf(path, sizeof(path), "%s/b/sweep.csv", tmpdir);
	char *tidy = zt_read_file(path, NULL);
	cr_assert(tidy && strstr(tidy, "\np001,48MiB,100ms,pages,2.6.32,7,12288\n"), "%.200s", tidy);
	free(tidy);
}

Test(sweep, a_rerun_skips_finished_runs)
{
	char s[128], args[1024], path[256];
	FILE *f;

	snprintf(s, sizeof(s), "%s/s.yaml", tmpdir);
	write_sweep(s, "");
	snprintf(args, sizeof(args), "sweep %s --run -q --out %s/c", s, tmpdir);
	zsim_ok(args);
	/* mark one finished run; a rerun must leave it alone */
	snprintf(path, sizeof(path), "%s/c/points/p000/runs/2.4.0/seed-3/summary.txt", tmpdir);
	f = fopen(path, "a");
	cr_assert(f);
	fputs("zz_marker: 1\n", f);
	fclose(f);
	zsim_ok(args);
	char *t = zt_read_file(path, NULL);
	cr_assert(t && strstr(t, "zz_marker: 1\n"), "the finished run was run again");
	free(t);
	snprintf(path, sizeof(path), "%s/c/sweep.csv", tmpdir);
	t = zt_read_file(path, NULL);
	cr_assert(t && strstr(t, ",zz_marker,2.4.0,3,1\n"), "aggregate did not see the run");
	free(t);
}

Test(sweep, bad_sweep_files)
{
	char s[128], args[512], err[1024];

	snprintf(s, sizeof(s), "%s/bad.yaml", tmpdir);
	write_sweep(s, "sedes: 3\n");
	snprintf(args, sizeof(args), "sweep %s --list", s);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 65, "%s", err);
	cr_assert(strstr(err, "bad.yaml:5:1: unknown key 'sedes'"), "%s", err);
	write_sweep(s, "");
	snprintf(args, sizeof(args), "sweep %s", s);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 64, "%s", err);
	snprintf(args, sizeof(args), "aggregate %s", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 66, "%s", err);
	/* a value points.csv could not hold as one field */
	FILE *f = fopen(s, "w");
	cr_assert(f);
	fputs("base: default.yaml\naxes:\n  workload.0.path: [a.zst, \"b,c.zst\"]\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "sweep %s --list", s);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 65, "%s", err);
	cr_assert(strstr(err, "bad.yaml:3:28: an axis value"), "%s", err);
}
