/*
 * cmd_compare.c - `zsim compare SCENARIO`: every kernel x seed with common
 * random numbers, each a normal result directory DIR/runs/<kernel>/seed-<n>/
 * (byte-identical to the same `zsim run`), then compare.csv (tidy),
 * summary.csv and a text table with 95 % intervals and the paired difference
 * against a baseline kernel.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "alloc/gfp.h"
#include "sim/aggregate.h"
#include "sim/cmd_common.h"
#include "sim/cmds.h"
#include "sim/output.h"
#include "sim/overrides.h"
#include "sim/report.h"
#include "sim/runset.h"
#include "sim/scenario.h"

const char zs_usage_compare[] =
	"usage: zsim compare SCENARIO [--kernels K1,K2,..] [--seeds N | --seed-list A,B,..]\n"
	"                    [--baseline K] [--set key.path=value]... [--jobs N] [--out DIR]\n"
	"                    [--format text|csv|html] [--all | --metrics M1,M2,..] [-q]\n"
	"\n"
	"Run SCENARIO on every kernel with every seed (the same seed gives every kernel the\n"
	"same workload draws), each run into DIR/runs/<kernel>/seed-<n>/ exactly as `zsim run`\n"
	"would, then write DIR/compare.csv (metric,kernel,seed,value), DIR/summary.csv and\n"
	"DIR/compare.txt, and print the table (text, html) or summary.csv (csv) on stdout;\n"
	"html also writes DIR/report.html (see zsim report).\n"
	"  --kernels LIST   default 2.4,2.6.18,2.6.32; by default a kernel that cannot run the\n"
	"                   scenario (e.g. DMA32 on 2.4.0) is skipped with a note, a kernel\n"
	"                   named here must run it\n"
	"  --seeds N        seeds 1..N (default 10); --seed-list gives them one by one\n"
	"  --baseline K     the kernel differences are taken against (default: the first)\n"
	"  --jobs N         runs at once (default 1); results do not depend on it\n"
	"  --out DIR        default results/<scenario name>-compare\n"
	"  --all            the table lists every metric, not only the headline figures\n"
	"  --metrics LIST   the table lists these metrics (summary.txt keys or derived figures)\n"
	"  -q, --quiet      no progress on stderr\n";

#define MAX_KERNELS 8
#define MAX_SEEDS 10000

struct compare_opts {
	const char *scenario;
	const char *kernels[MAX_KERNELS];
	int nkernels, explicit_kernels;
	uint64_t *seeds;
	int nseeds;
	const char *baseline;
	const char **set;
	int nset;
	int jobs;
	const char *out;
	const char *format;
	int all, quiet;
	const char *metrics[64];
	int nmetrics;
};

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *end || errno ? -1 : 0;
}

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "zsim compare: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", zs_usage_compare);
	return EX_USAGE;
}

/* Split a comma list in place into v[]; returns the count or -1 past max. */
static int
split_list(char *s, const char **v, int max)
{
	int n = 0;

	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		if (n == max)
			return -1;
		v[n++] = tok;
	}
	return n;
}

/* -1: go on; else the exit status. */
static int
parse_opts(int argc, char **argv, struct compare_opts *o)
{
	static const struct option longopts[] = {
		{"kernels", required_argument, NULL, 'k'}, {"seeds", required_argument, NULL, 'n'},
		{"seed-list", required_argument, NULL, 'l'}, {"baseline", required_argument, NULL, 'b'},
		{"set", required_argument, NULL, 'S'},     {"jobs", required_argument, NULL, 'j'},
		{"out", required_argument, NULL, 'o'},     {"format", required_argument, NULL, 'f'},
		{"all", no_argument, NULL, 'a'},           {"quiet", no_argument, NULL, 'q'},
		{"metrics", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
	uint64_t nseeds = 10, v;
	char *seedlist = NULL;
	int c;

	memset(o, 0, sizeof(*o));
	o->jobs = 1;
	o->format = "text";
	o->set = calloc((size_t)argc + 1, sizeof(*o->set));
	o->seeds = calloc(MAX_SEEDS, sizeof(*o->seeds));
	if (!o->set || !o->seeds)
		return EX_OSERR;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			o->nkernels = split_list(optarg, o->kernels, MAX_KERNELS);
			if (o->nkernels <= 0)
				return usage_error("--kernels wants a comma list of versions, got '%s'",
						   optarg);
			o->explicit_kernels = 1;
			break;
		case 'n':
			if (parse_u64(optarg, &nseeds) || nseeds < 1 || nseeds > MAX_SEEDS)
				return usage_error("--seeds wants a number of seeds 1..10000, got '%s'",
						   optarg);
			break;
		case 'l':
			seedlist = optarg;
			break;
		case 'b':
			o->baseline = optarg;
			break;
		case 'S':
			o->set[o->nset++] = optarg;
			break;
		case 'j':
			if (parse_u64(optarg, &v) || v < 1 || v > 256)
				return usage_error("--jobs wants 1..256, got '%s'", optarg);
			o->jobs = (int)v;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'f':
			o->format = optarg;
			if (strcmp(optarg, "text") && strcmp(optarg, "csv") && strcmp(optarg, "html"))
				return usage_error("--format is text, csv or html, got '%s'", optarg);
			break;
		case 'a':
			o->all = 1;
			break;
		case 'm':
			o->nmetrics = split_list(optarg, o->metrics, 64);
			if (o->nmetrics <= 0)
				return usage_error("--metrics wants a comma list of up to 64 names, got '%s'",
						   optarg);
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			fputs(zs_usage_compare, stdout);
			return EX_OK;
		default:
			return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind < argc ? "one SCENARIO, please" : "no SCENARIO given");
	o->scenario = argv[optind];
	if (!o->nkernels) {
		o->kernels[0] = "2.4";
		o->kernels[1] = "2.6.18";
		o->kernels[2] = "2.6.32";
		o->nkernels = 3;
	}
	if (seedlist) {
		const char *tok[MAX_SEEDS];
		int n = split_list(seedlist, tok, MAX_SEEDS);

		if (n <= 0)
			return usage_error("--seed-list wants seeds like 1,2,3, got '%s'", seedlist);
		for (int i = 0; i < n; i++) {
			if (parse_u64(tok[i], &o->seeds[i]))
				return usage_error("--seed-list: '%s' is not a seed", tok[i]);
			for (int j = 0; j < i; j++)
				if (o->seeds[j] == o->seeds[i])
					return usage_error("--seed-list: seed %s twice", tok[i]);
		}
		o->nseeds = n;
	} else {
		for (uint64_t i = 0; i < nseeds; i++)
			o->seeds[i] = i + 1;
		o->nseeds = (int)nseeds;
	}
	return -1;
}

/*
 * Can kernel `k` run the scenario (with the overrides)?  Fills its canonical
 * name and the scenario's name; 0, or -1 with err (the scenario's own message).
 */
static int
probe_kernel(const struct compare_opts *o, const char *k, char *canon, size_t len, char *name,
	     size_t nlen, struct zs_error *err)
{
	struct zs_cfg *root;
	struct zs_scenario sc;
	enum zs_kver v;
	int rc;

	if (zs_kver_parse(k, &v))
		return zs_error_set(err, EX_USAGE, "--kernels: unknown kernel '%s' (2.4, 2.6.18, 2.6.32)",
				    k);
	snprintf(canon, len, "%s", zs_kver_name(v));
	root = zs_cfg_load_file(o->scenario, err);
	if (!root)
		return -1;
	rc = zs_overrides_apply(root, o->set, o->nset, err);
	if (!rc)
		rc = zs_scenario_parse(&sc, root, o->scenario, canon, err);
	if (!rc)
		snprintf(name, nlen, "%s", sc.name);
	zs_cfg_free(root);
	return rc;
}

/*
 * Run directories under dir/runs/ that this comparison does not have (an
 * earlier compare with other kernels or seeds) are removed - only zsim's own
 * result files, and the directory if that empties it - so DIR never mixes two
 * comparisons.
 */
static void
remove_other_runs(const char *dir, const struct zs_runjob *jobs, int njobs)
{
	static const char *const files[] = {"ticks.csv", "summary.txt", "events.csv",
					    "latency.csv", NULL};
	char runs[4096], kdir[4400], rdir[4800], path[5000];
	DIR *d = NULL, *k;
	struct dirent *e, *r;

	snprintf(runs, sizeof(runs), "%s/runs", dir);
	d = opendir(runs);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(kdir, sizeof(kdir), "%s/%s", runs, e->d_name);
		k = opendir(kdir);
		if (!k)
			continue;
		while ((r = readdir(k))) {
			int mine = 0;

			if (strncmp(r->d_name, "seed-", 5))
				continue;
			snprintf(rdir, sizeof(rdir), "%s/%s", kdir, r->d_name);
			for (int i = 0; i < njobs && !mine; i++)
				mine = !strcmp(jobs[i].out, rdir);
			if (mine)
				continue;
			for (int i = 0; files[i]; i++) {
				snprintf(path, sizeof(path), "%s/%s", rdir, files[i]);
				unlink(path);
			}
			rmdir(rdir);
		}
		closedir(k);
		rmdir(kdir); /* only if it is empty now */
	}
	closedir(d);
}

int
zs_cmd_compare(int argc, char **argv)
{
	struct compare_opts o;
	struct zs_error err = {0, ""};
	struct zs_agg agg;
	struct zs_runjob *jobs = NULL;
	char canon[MAX_KERNELS][16], name[64] = "", dir[3800], header[8192];
	const char *use[MAX_KERNELS];
	int nuse = 0, njobs = 0, rc = parse_opts(argc, argv, &o);
	size_t hl = 0;

	zs_agg_init(&agg);
	if (rc >= 0)
		goto out;
	for (int i = 0; i < o.nkernels; i++) {
		char nm[64];

		if (probe_kernel(&o, o.kernels[i], canon[i], sizeof(canon[i]), nm, sizeof(nm),
				 &err)) {
			if (o.explicit_kernels || err.code != EX_DATAERR) {
				rc = zs_cmd_fail(&err);
				goto out;
			}
			fprintf(stderr, "zsim compare: %s skipped: %s\n", canon[i], err.msg);
			hl += (size_t)snprintf(header + hl, sizeof(header) - hl, "# %s skipped: %s\n",
					       canon[i], err.msg);
			continue;
		}
		for (int j = 0; j < nuse; j++)
			if (!strcmp(use[j], canon[i])) {
				rc = usage_error("--kernels names %s twice", canon[i]);
				goto out;
			}
		snprintf(name, sizeof(name), "%s", nm);
		use[nuse++] = canon[i];
	}
	if (!nuse) {
		fprintf(stderr, "zsim compare: no kernel can run %s\n", o.scenario);
		rc = EX_DATAERR;
		goto out;
	}
	if (o.out)
		snprintf(dir, sizeof(dir), "%s", o.out);
	else
		snprintf(dir, sizeof(dir), "results/%s-compare", name);

	jobs = calloc((size_t)nuse * (size_t)o.nseeds, sizeof(*jobs));
	if (!jobs) {
		rc = EX_OSERR;
		goto out;
	}
	for (int k = 0; k < nuse; k++)
		for (int s = 0; s < o.nseeds; s++) {
			struct zs_runjob *j = &jobs[njobs++];

			j->scenario = o.scenario;
			j->kernel = use[k];
			j->seed = o.seeds[s];
			j->set = o.set;
			j->nset = o.nset;
			snprintf(j->out, sizeof(j->out), "%s/runs/%s/seed-%llu", dir, use[k],
				 (unsigned long long)o.seeds[s]);
		}
	remove_other_runs(dir, jobs, njobs);
	rc = zs_runset_execute(jobs, njobs, o.jobs, 0, !o.quiet && isatty(2), &err);
	if (rc) {
		zs_cmd_fail(&err);
		goto out;
	}
	for (int i = 0; i < njobs; i++) {
		char path[4200];

		snprintf(path, sizeof(path), "%s/summary.txt", jobs[i].out);
		if (zs_agg_add_run(&agg, jobs[i].kernel, jobs[i].seed, path, &err)) {
			rc = zs_cmd_fail(&err);
			goto out;
		}
	}
	zs_agg_finish(&agg);
	if (zs_agg_set_baseline(&agg, o.baseline, &err)) {
		rc = zs_cmd_fail(&err);
		goto out;
	}
	hl += (size_t)snprintf(header + hl, sizeof(header) - hl,
			       "# zsim compare %s: %d kernels x %d seeds, baseline %s\n", o.scenario,
			       agg.nkernels, o.nseeds, agg.kernels[agg.baseline]);
	for (int i = 0; i < o.nset && hl < sizeof(header) - 128; i++)
		hl += (size_t)snprintf(header + hl, sizeof(header) - hl, "# --set %s\n", o.set[i]);
	if (zs_agg_write_dir(&agg, dir, header, o.all, o.metrics, o.nmetrics, &err)) {
		rc = zs_cmd_fail(&err);
		goto out;
	}
	if (!strcmp(o.format, "csv")) {
		zs_agg_write_summary_csv(&agg, stdout);
	} else {
		fputs(header, stdout);
		zs_agg_write_text(&agg, stdout, o.all, o.metrics, o.nmetrics);
	}
	/* html: the table on stdout as with text, and DIR/report.html beside it */
	if (!strcmp(o.format, "html") && zs_report_write(dir, &err)) {
		rc = zs_cmd_fail(&err);
		goto out;
	}
	if (!o.quiet)
		fprintf(stderr, "zsim compare: results in %s/%s\n", dir,
			strcmp(o.format, "html") ? "" : " (report.html)");
	rc = EX_OK;
out:
	zs_agg_free(&agg);
	free(jobs);
	free(o.set);
	free(o.seeds);
	return rc;
}
