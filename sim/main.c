/* main.c - `zsim VERB ...`: dispatch only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cmds.h"

#ifndef ZS_VERSION
#define ZS_VERSION "0.1.0"
#endif

static const struct {
	const char *verb;
	int (*fn)(int, char **);
	const char *usage;
	const char *what;
} verbs[] = {
	{"run", zs_cmd_run, zs_usage_run, "run a scenario, write ticks.csv and summary.txt"},
	{"check", zs_cmd_check, zs_usage_check, "validate a scenario, print the zones it builds"},
	{"replay", zs_cmd_replay, zs_usage_replay, "replay a recorded allocation trace"},
	{"trace", zs_cmd_trace, zs_usage_trace, "trace tools: stats, convert"},
	{"compare", zs_cmd_compare, zs_usage_compare, "kernels x seeds: a table with 95% intervals"},
	{"plot", zs_cmd_plot, zs_usage_plot, "gnuplot figures of a run or compare directory"},
	{"report", zs_cmd_report, zs_usage_report, "one self-contained report.html of a directory"},
	{"sweep", zs_cmd_sweep, zs_usage_sweep, "a sweep's job list: GNU parallel, Slurm, or here"},
	{"aggregate", zs_cmd_aggregate, zs_usage_aggregate, "compare.csv and summary of finished runs"},
};

#define NR_VERBS (sizeof(verbs) / sizeof(verbs[0]))

static void
usage(FILE *f)
{
	fprintf(f, "usage: zsim VERB [options]\n\n"
		   "zsim simulates the Linux 2.4.0, 2.6.18 and 2.6.32 page allocator and reclaim.\n\n");
	for (size_t i = 0; i < NR_VERBS; i++)
		fprintf(f, "  %-8s %s\n", verbs[i].verb, verbs[i].what);
	fprintf(f, "  %-8s %s\n\n", "help", "help VERB: the options of a verb");
	fprintf(f, "Exit status: 0 success (a simulated OOM, allocation failure or stall is a\n"
		   "result), 64 usage, 65 bad scenario or trace data, 66 missing input, 70 broken\n"
		   "model state (invariant checker), 71 out of memory, 73 cannot create output,\n"
		   "74 I/O error, 128+N killed by signal N, 134 a zsim BUG.  A result directory is\n"
		   "complete when it holds summary.txt (written last).\n");
}

/*
 * Whatever a verb printed on standard output must have reached it: `zsim check >
 * /dev/full` or `zsim --help > /dev/full` is an I/O error (74) with a message,
 * never a silent success.
 */
static int
finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "zsim: standard output: %s\n", strerror(errno ? errno : EIO));
		return rc == EX_OK || rc == EX_IOERR ? EX_IOERR : rc;
	}
	return rc;
}

static int
dispatch(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EX_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("zsim %s\n", ZS_VERSION);
		return EX_OK;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			usage(stdout);
			return EX_OK;
		}
		for (size_t i = 0; i < NR_VERBS; i++)
			if (!strcmp(argv[2], verbs[i].verb)) {
				fputs(verbs[i].usage, stdout);
				return EX_OK;
			}
		fprintf(stderr, "zsim: no such verb '%s'\n", argv[2]);
		return EX_USAGE;
	}
	for (size_t i = 0; i < NR_VERBS; i++)
		if (!strcmp(argv[1], verbs[i].verb))
			return verbs[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "zsim: unknown verb '%s'\n\n", argv[1]);
	usage(stderr);
	return EX_USAGE;
}

int
main(int argc, char **argv)
{
	return finish(dispatch(argc, argv));
}
