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
 * events.csv has a row per allocation and free: a long run writes gigabytes.  Past
 * 1 GiB (ZSIM_EVENTS_WARN_MB overrides) the user hears of it once, while the run
 * goes on and can still be interrupted without leaving a file.
 */
static uint64_t
events_warn_bytes(void)
{
	const char *s = getenv("ZSIM_EVENTS_WARN_MB");
	char *end;
	unsigned long long mb = s ? strtoull(s, &end, 10) : 0;

	return (s && *s && !*end ? mb : 1024) << 20;
}

static void
warn_big(const char *final, uint64_t bytes)
{
	fprintf(stderr, "\nzsim: warning: %s has passed %llu MiB and grows with every allocation "
			"and free (--events); a shorter duration keeps it smaller\n",
		final, (unsigned long long)(bytes >> 20));
}

/*
 * What an earlier run left in the same directory that this run did not write
 * (events.csv of a run with --events; the figures and report.html of zsim plot
 * and zsim report): removed before this run's completion marker goes in, so a
 * complete set never mixes two runs.
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
	for (int i = 0; i < 4; i++)
		signal(zs_out_signals[i], on_signal);
	/* summary.txt first: it is the set's completion marker (output.h) */
	FILE *summary = zs_out_open(&out, "summary.txt", &err);
	FILE *ticks = summary ? zs_out_open(&out, "ticks.csv", &err) : NULL;
	FILE *latency = ticks ? zs_out_open(&out, "latency.csv", &err) : NULL;
	FILE *events = latency && sc.events ? zs_out_open_watched(&out, "events.csv",
								   events_warn_bytes(), warn_big, &err)
					    : NULL;
	if (!ticks || !summary || !latency || (sc.events && !events) ||
	    zs_run_execute(r, ticks, events, summary, !o->quiet && isatty(2), &err)) {
		zs_out_abort(&out);
		rc = zs_cmd_fail(&err);
	} else {
		zs_run_latency_hist(r, latency);
		/* what an earlier run left goes before this set's marker is in place */
		if (remove_stale(dir, sc.events, &err)) {
			zs_out_abort(&out);
			rc = zs_cmd_fail(&err);
		} else if (zs_out_commit(&out, &err)) {
			rc = zs_cmd_fail(&err);
		} else if (zs_run_stalled_ns(r)) {
			/* a result (the simulated kernel livelocked), but one nobody should miss */
			fprintf(stderr,
				"zsim: %s on %s: stalled: no request started or completed for 120 s "
				"of simulated time while one waited in an allocation; the run ended "
				"at %.3f s (stalled_ns in %s/summary.txt)\n",
				sc.name, zs_run_vm(r)->ops->name, (double)zs_run_stalled_ns(r) / 1e9,
				dir);
		} else if (!o->quiet) {
			fprintf(stderr, "zsim: %s on %s: results in %s/\n", sc.name,
				zs_run_vm(r)->ops->name, dir);
		}
	}
	for (int i = 0; i < 4; i++)
		signal(zs_out_signals[i], SIG_DFL);
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
	if (!o.scenario) {
		fprintf(stderr, "zsim run: a scenario file is needed\n%s", zs_usage_run);
		free(o.set);
		return EX_USAGE;
	}
	rc = zs_run_scenario(&o);
	free(o.set);
	return rc;
}
