/*
 * cmd_sweep.c - `zsim sweep SWEEP.yaml`: the job list of a sweep (see
 * sweep.h) printed for GNU parallel (--list), written as a Slurm array
 * (--emit slurm), or run here (--run --jobs N, finished runs skipped, then
 * zsim aggregate).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "sim/cmd_common.h"
#include "sim/cmds.h"
#include "sim/runset.h"
#include "sim/sweep.h"

const char zs_usage_sweep[] =
	"usage: zsim sweep SWEEP.yaml (--list | --emit slurm | --run [--jobs N]) [--out DIR] [-q]\n"
	"\n"
	"A sweep file names a base scenario, kernels, seeds and parameter axes:\n"
	"  base: configs/mixed.yaml\n"
	"  kernels: [2.4, 2.6.32]\n"
	"  seeds: 10                     # or a list [1, 2, 3]\n"
	"  axes: {machine.memory: [64MiB, 128MiB], duration: [1s, 2s]}\n"
	"  out: results/my-sweep         # default results/<sweep file name>\n"
	"Every combination is a run into OUT/points/p<NNN>/runs/<kernel>/seed-<n>/;\n"
	"OUT/points.csv says which axis values each point has.\n"
	"  --list         print one `zsim run ...` command per run (GNU parallel, xargs -P)\n"
	"  --emit slurm   write OUT/sweep.jobs and OUT/sweep.sbatch, a Slurm array job whose\n"
	"                 task N runs line N (sbatch OUT/sweep.sbatch)\n"
	"  --run          run it here, --jobs N at a time, skipping runs already finished,\n"
	"                 then aggregate (as zsim aggregate OUT)\n";

/* The program to name in the job lines: this very binary. */
static void
self_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0)
		snprintf(buf, len, "zsim");
	else
		buf[n] = '\0';
}

int
zs_cmd_sweep(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"list", no_argument, NULL, 'l'},  {"emit", required_argument, NULL, 'e'},
		{"run", no_argument, NULL, 'r'},   {"jobs", required_argument, NULL, 'j'},
		{"out", required_argument, NULL, 'o'}, {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},  {NULL, 0, NULL, 0}};
	int c, mode = 0, jobs = 1, quiet = 0, rc;
	const char *out = NULL;
	struct zs_sweep sw;
	struct zs_error err = {0, ""};
	char zsim[4096];

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
		case 'r':
			mode = mode ? -1 : c;
			break;
		case 'e':
			if (strcmp(optarg, "slurm")) {
				fprintf(stderr, "zsim sweep: --emit knows slurm, not '%s'\n", optarg);
				return EX_USAGE;
			}
			mode = mode ? -1 : 'e';
			break;
		case 'j': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || v < 1 || v > 256) {
				fprintf(stderr, "zsim sweep: --jobs wants 1..256, got '%s'\n", optarg);
				return EX_USAGE;
			}
			jobs = (int)v;
			break;
		}
		case 'o':
			out = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(zs_usage_sweep, stdout);
			return EX_OK;
		default:
			fprintf(stderr, "zsim sweep: unknown or incomplete option '%s'\n%s",
				argv[optind - 1], zs_usage_sweep);
			return EX_USAGE;
		}
	}
	if (optind != argc - 1 || mode <= 0) {
		fprintf(stderr, "zsim sweep: one SWEEP.yaml and one of --list, --emit slurm, --run\n%s",
			zs_usage_sweep);
		return EX_USAGE;
	}
	if (zs_sweep_load(&sw, argv[optind], out, &err))
		return zs_cmd_fail(&err);
	self_path(zsim, sizeof(zsim));
	rc = zs_sweep_write_points(&sw, &err);
	if (!rc && mode == 'l') {
		zs_sweep_list(&sw, stdout, zsim);
	} else if (!rc && mode == 'e') {
		char script[4096];

		rc = zs_sweep_emit_slurm(&sw, zsim, script, sizeof(script), &err);
		if (!rc)
			printf("%s\n", script);
	} else if (!rc) {
		rc = zs_runset_execute(sw.jobs, sw.njobs, jobs, 1, !quiet && isatty(2), &err);
		if (!rc) {
			char dir[sizeof(sw.out)], verb[] = "aggregate", q[] = "-q";
			char *av[] = {verb, dir, quiet ? q : NULL, NULL};

			snprintf(dir, sizeof(dir), "%s", sw.out);
			zs_sweep_free(&sw);
			return zs_cmd_aggregate(quiet ? 3 : 2, av);
		}
	}
	zs_sweep_free(&sw);
	return rc ? zs_cmd_fail(&err) : EX_OK;
}
