/* cmd_plot.c - `zsim plot DIR [--format png|svg]`: gnuplot figures of a run, compare or sweep directory. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cmd_common.h"
#include "sim/cmds.h"
#include "sim/plot.h"

const char zs_usage_plot[] =
	"usage: zsim plot DIR [--format png|svg]\n"
	"\n"
	"Draw DIR's figures with gnuplot into DIR/plots/ (NAME.png or NAME.svg, the numbers in\n"
	"NAME.dat, the script in plots.gp).  DIR is a run directory (zsim run: free pages per\n"
	"zone with min/low/high, LRU lists, buddyinfo heat map, allocator exits, reclaim CPU,\n"
	"swap, latency CDF), a compare directory (zsim compare: each kernel's mean over seeds\n"
	"with its 95% band, latency CDF per kernel) or a sweep directory (zsim sweep: each\n"
	"headline metric against each axis, a line per kernel and combination of the other\n"
	"axes, the mean over seeds with its 95% interval).  Figures the data lacks are left\n"
	"out.\n";

int
zs_cmd_plot(int argc, char **argv)
{
	static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	const char *format = "png";
	struct zs_plots plots;
	struct zs_error err = {0, ""};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		if (c == 'f') {
			format = optarg;
		} else if (c == 'h') {
			fputs(zs_usage_plot, stdout);
			return EX_OK;
		} else {
			fprintf(stderr, "zsim plot: unknown or incomplete option '%s'\n%s",
				argv[optind - 1], zs_usage_plot);
			return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "zsim plot: one DIR, please\n%s", zs_usage_plot);
		return EX_USAGE;
	}
	if (zs_plot_dir(argv[optind], format, &plots, &err))
		return zs_cmd_fail(&err);
	for (int i = 0; i < plots.n; i++)
		printf("%s/plots/%s.%s\n", argv[optind], plots.name[i], format);
	return EX_OK;
}
