/* cmd_run.c - `zsim run SCENARIO [options]`: one simulation into a result directory. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "sim/cmd_common.h"
#include "sim/cmds.h"
#include "sim/driver.h"
#include "sim/output.h"
#include "sim/overrides.h"
#include "sim/plot.h"

const char zs_usage_run[] =
	"usage: zsim run SCENARIO [--kernel VERSION] [--seed N] [--out DIR] [--set key.path=value]...\n"
	"                [--events] [-q]\n"
	"\n"
	"Run the scenario and write ticks.csv, summary.txt and latency.csv (and events.csv\n"
	"with --events) into DIR (default: the scenario's output.dir, else\n"
	"results/<scenario name>-<kernel>, with -seed<N> when --seed differs from the scenario's).\n"
	"  --kernel VERSION  2.4 (= 2.4.0), 2.6.18, 2.6.32 or 2.6 (= 2.6.32); overrides kernel.version\n"
	"  --seed N          overrides seed\n"
	"  --set k.p=v       overrides any scenario value, e.g. --set machine.memory=128MiB\n"
	"  --events          also write events.csv (one row per allocation, free or failure)\n"
	"  -q, --quiet       no progress on stderr\n";

static void
on_signal(int sig)
{
	zs_out_abort_signal();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * What an earlier run left in the same directory that this run did not write
 * (events.csv of a run with --events; the figures and report.html of zsim plot
 * and zsim report): removed once this run's files are in place, so a directory
 * never mixes two runs.
 */
static int
remove_stale(const char *dir, int events, struct zs_error *err)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/events.csv", dir);
	if ((!events && unlink(path) && errno != ENOENT) || zs_plot_remove(dir))
		return zs_error_set(err, EX_IOERR, "%s: cannot remove the earlier run's files: %s",
				    dir, strerror(errno));
	return 0;
}

int
zs_run_scenario(struct zs_run_opts *o)
{
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	struct zs_cfg *root = NULL;
	struct zs_run *r = NULL;
	struct zs_outset out;
	char dir[4096];
	int rc = EX_OK;

	root = o->root;
	if (!root) {
		root = zs_cfg_load_file(o->scenario, &err);
		if (!root)
			return zs_cmd_fail(&err);
	}
	if (zs_overrides_apply(root, o->set, o->nset, &err)) {
		zs_cfg_free(root);
		return zs_cmd_fail(&err);
	}
	if (zs_scenario_parse(&sc, root, o->scenario, o->kernel, &err)) {
		zs_cfg_free(root);
		return zs_cmd_fail(&err);
	}
	uint64_t scenario_seed = sc.seed;
	if (o->seed_set)
		sc.seed = o->seed;
	if (o->events)
		sc.events = 1;
	if (o->out)
		snprintf(dir, sizeof(dir), "%s", o->out);
	else if (sc.out_dir)
		snprintf(dir, sizeof(dir), "%s", sc.out_dir);
	else if (sc.seed == scenario_seed) /* one directory per kernel: runs never overwrite */
		snprintf(dir, sizeof(dir), "results/%s-%s", sc.name, zs_kver_name(sc.kver));
	else
		snprintf(dir, sizeof(dir), "results/%s-%s-seed%" PRIu64, sc.name,
			 zs_kver_name(sc.kver), sc.seed);

	r = zs_run_create(&sc, &err);
	if (!r) {
		zs_cfg_free(root);
		return zs_cmd_fail(&err);
	}
	if (zs_out_begin(&out, dir, &err)) {
		zs_run_destroy(r);
		zs_cfg_free(root);
		return zs_cmd_fail(&err);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	FILE *ticks = zs_out_open(&out, "ticks.csv", &err);
	FILE *summary = ticks ? zs_out_open(&out, "summary.txt", &err) : NULL;
	FILE *latency = summary ? zs_out_open(&out, "latency.csv", &err) : NULL;
	FILE *events = latency && sc.events ? zs_out_open(&out, "events.csv", &err) : NULL;
	if (!ticks || !summary || !latency || (sc.events && !events) ||
	    zs_run_execute(r, ticks, events, summary, !o->quiet && isatty(2), &err)) {
		zs_out_abort(&out);
		rc = zs_cmd_fail(&err);
	} else {
		zs_run_latency_hist(r, latency);
		if (zs_out_commit(&out, &err) || remove_stale(dir, sc.events, &err))
			rc = zs_cmd_fail(&err);
		else if (!o->quiet)
			fprintf(stderr, "zsim: %s on %s: results in %s/\n", sc.name,
				zs_run_vm(r)->ops->name, dir);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	zs_run_destroy(r);
	zs_cfg_free(root);
	return rc;
}

int
zs_cmd_run(int argc, char **argv)
{
	struct zs_run_opts o;
	int rc = zs_parse_run_opts(argc, argv, &o, zs_usage_run, 1);

	if (rc >= 0)
		return rc;
	rc = zs_run_scenario(&o);
	free(o.set);
	return rc;
}
