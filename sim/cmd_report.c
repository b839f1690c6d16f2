/* cmd_report.c - `zsim report DIR`: one self-contained report.html with inline SVG figures. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cmd_common.h"
#include "sim/cmds.h"
#include "sim/report.h"

const char zs_usage_report[] =
	"usage: zsim report DIR\n"
	"\n"
	"Write DIR/report.html for a run directory (zsim run), a compare directory (zsim\n"
	"compare) or a sweep directory (zsim sweep): the scenario and machine, the summary\n"
	"table (95% intervals, paired differences and markers for a comparison; for a sweep,\n"
	"its points, their axis values and finished runs) and every figure of `zsim plot`,\n"
	"inline as SVG.  The file needs nothing else: no scripts, fonts or images from\n"
	"elsewhere.\n";

int
zs_cmd_report(int argc, char **argv)
{
	struct zs_error err = {0, ""};

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(zs_usage_report, stdout);
		return EX_OK;
	}
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "zsim report: one DIR, please\n%s", zs_usage_report);
		return EX_USAGE;
	}
	if (zs_report_write(argv[1], &err))
		return zs_cmd_fail(&err);
	printf("%s/report.html\n", argv[1]);
	return EX_OK;
}
