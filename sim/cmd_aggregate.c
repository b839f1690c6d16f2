/*
 * cmd_aggregate.c - `zsim aggregate DIR`: compare.csv, summary.csv and the
 * table over whatever runs under DIR have finished - a compare directory
 * (DIR/runs/) or a sweep (each DIR/points/p<NNN>/, and DIR/sweep.csv over all).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "sim/aggregate.h"
#include "sim/cmd_common.h"
#include "sim/cmds.h"
#include "sim/output.h"

const char zs_usage_aggregate[] =
	"usage: zsim aggregate DIR [--baseline K] [-q]\n"
	"\n"
	"Build compare.csv (metric,kernel,seed,value), summary.csv and compare.txt over the\n"
	"finished runs under DIR: a compare directory (DIR/runs/<kernel>/seed-<n>/) or a sweep\n"
	"(zsim sweep: every DIR/points/p<NNN>/, and DIR/sweep.csv, tidy with the point's axis\n"
	"values: point,<axes>,metric,kernel,seed,value).  Runs that have not finished are\n"
	"left out, so it can run while a sweep is still going.\n";

/* Aggregate one compare-style directory; prints its table unless quiet. */
static int
aggregate_one(const char *dir, const char *baseline, int quiet, struct zs_agg *agg,
	      struct zs_error *err)
{
	char header[4400];

	zs_agg_init(agg);
	if (zs_agg_scan(agg, dir, err) || zs_agg_set_baseline(agg, baseline, err))
		return -1;
	snprintf(header, sizeof(header), "# zsim aggregate %s: %d kernels, %d runs, baseline %s\n",
		 dir, agg->nkernels, agg->nruns, agg->kernels[agg->baseline]);
	if (zs_agg_write_dir(agg, dir, header, 0, NULL, 0, err))
		return -1;
	if (!quiet) {
		fputs(header, stdout);
		zs_agg_write_text(agg, stdout, 0, NULL, 0);
	}
	return 0;
}

/* points.csv: the header (point,<axes>) and one line per point, kept as text. */
static char **
read_lines(const char *path, int *n)
{
	FILE *f = fopen(path, "r");
	char line[8192], **v = NULL;

	*n = 0;
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char **nv = realloc(v, (size_t)(*n + 1) * sizeof(*v));

		ZS_BUG_ON(!nv);
		v = nv;
		v[(*n)++] = strdup(line);
	}
	if (f)
		fclose(f);
	return v;
}

static int
aggregate_sweep(const char *dir, const char *baseline, int quiet, struct zs_error *err)
{
	char path[4800];
	int n, done = 0, rc = 0;
	char **lines;
	struct zs_outset out;
	FILE *tidy;

	snprintf(path, sizeof(path), "%s/points.csv", dir);
	lines = read_lines(path, &n);
	if (n < 2) {
		for (int i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		return zs_error_set(err, EX_NOINPUT, "%s: no points (is this a zsim sweep directory?)",
				    path);
	}
	if (zs_out_begin(&out, dir, err) || !(tidy = zs_out_open(&out, "sweep.csv", err))) {
		rc = -1;
		goto done;
	}
	fprintf(tidy, "%s,metric,kernel,seed,value\n", lines[0]);
	for (int p = 1; p < n && !rc; p++) {
		struct zs_agg agg;
		char pdir[4500], pname[64];
		struct zs_error perr;
		struct stat st;

		snprintf(pname, sizeof(pname), "%.*s", (int)strcspn(lines[p], ","), lines[p]);
		snprintf(pdir, sizeof(pdir), "%s/points/%s", dir, pname);
		snprintf(path, sizeof(path), "%s/runs", pdir);
		if (stat(path, &st))
			continue; /* nothing of this point has run yet */
		if (aggregate_one(pdir, baseline, 1, &agg, &perr)) {
			zs_agg_free(&agg);
			if (perr.code == EX_NOINPUT)
				continue; /* started, nothing finished */
			*err = perr;
			rc = -1;
			break;
		}
		for (int m = 0; m < agg.nmetrics; m++)
			for (int i = 0; i < agg.nruns; i++) {
				double v;

				if (zs_kv_get(&agg.runs[i].kv, agg.metrics[m], &v))
					fprintf(tidy, "%s,%s,%s,%llu,%.17g\n", lines[p], agg.metrics[m],
						agg.kernels[agg.runs[i].kernel],
						(unsigned long long)agg.runs[i].seed, v);
			}
		if (!quiet)
			printf("%s (%s): %d runs\n", pname,
			       lines[p][strlen(pname)] ? lines[p] + strlen(pname) + 1 : "", agg.nruns);
		done++;
		zs_agg_free(&agg);
	}
	if (rc)
		zs_out_abort(&out);
	else if (!done)
		rc = zs_error_set(err, EX_NOINPUT, "%s: no point has a finished run", dir);
	else
		rc = zs_out_commit(&out, err);
	if (rc && done)
		zs_out_abort(&out);
done:
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return rc;
}

int
zs_cmd_aggregate(int argc, char **argv)
{
	static const struct option longopts[] = {{"baseline", required_argument, NULL, 'b'},
						 {"quiet", no_argument, NULL, 'q'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	const char *baseline = NULL;
	struct zs_error err = {0, ""};
	struct stat st;
	char path[4400];
	int c, quiet = 0, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		if (c == 'b') {
			baseline = optarg;
		} else if (c == 'q') {
			quiet = 1;
		} else if (c == 'h') {
			fputs(zs_usage_aggregate, stdout);
			return EX_OK;
		} else {
			fprintf(stderr, "zsim aggregate: unknown or incomplete option '%s'\n%s",
				argv[optind - 1], zs_usage_aggregate);
			return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "zsim aggregate: one DIR, please\n%s", zs_usage_aggregate);
		return EX_USAGE;
	}
	snprintf(path, sizeof(path), "%s/points.csv", argv[optind]);
	if (!stat(path, &st)) {
		rc = aggregate_sweep(argv[optind], baseline, quiet, &err);
	} else {
		struct zs_agg agg;

		rc = aggregate_one(argv[optind], baseline, quiet, &agg, &err);
		zs_agg_free(&agg);
	}
	return rc ? zs_cmd_fail(&err) : EX_OK;
}
