/*
 * cmd_replay.c - `zsim replay TRACE [SCENARIO]`: run a recorded trace on the
 * scenario's machine, or on a default machine, with every option of `zsim run`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sysexits.h>

#include "sim/cmd_common.h"
#include "sim/cmds.h"

const char zs_usage_replay[] =
	"usage: zsim replay TRACE [SCENARIO] [--kernel VERSION] [--seed N] [--out DIR]\n"
	"                   [--set key.path=value]... [--events] [-q]\n"
	"                   [--format perf|ftrace|native] [--time-scale X] [--skip-bad-lines]\n"
	"\n"
	"Replay a recorded trace (perf script text, ftrace / trace-cmd report text, or\n"
	"zsim's native format; .xz and .gz read directly) on the machine of SCENARIO, or\n"
	"on the default machine (2.6.32, 2 CPUs, 2 GiB: DMA 16 MiB + DMA32, 512 MiB swap).\n"
	"The trace replaces the scenario's workload; the run lasts until the trace ends\n"
	"unless the scenario gives a duration.\n"
	"  --format F          perf, ftrace or native (default: detected from the file)\n"
	"  --time-scale X      multiply the trace's time (0.5 replays twice as fast)\n"
	"  --skip-bad-lines    count and skip malformed lines instead of stopping\n"
	"A malformed line stops the run with TRACE:LINE: message, exit status 65, and no\n"
	"result files.  Results as for `zsim run` (default directory results/<trace name>-<kernel>).\n";

/* The machine a trace replays on when no scenario is given. */
static const char default_machine[] =
	"machine:\n"
	"  cpus: 2\n"
	"  hz: 250\n"
	"  memory: 2GiB\n"
	"  swap: 512MiB\n"
	"kernel:\n"
	"  version: \"2.6.32\"\n"
	"duration: auto\n"
	"seed: 1\n";

/* YAML double-quoted form of s. */
static void
quote(char *out, size_t len, const char *s)
{
	size_t j = 0;

	out[j++] = '"';
	for (; *s && j + 3 < len; s++) {
		if (*s == '"' || *s == '\\')
			out[j++] = '\\';
		out[j++] = *s;
	}
	out[j++] = '"';
	out[j] = '\0';
}

int
zs_cmd_replay(int argc, char **argv)
{
	struct zs_run_opts o;
	struct zs_error err = {0, ""};
	struct zs_cfg *root, *wl;
	char name[256], yaml[8192], q[4200];
	int rc = zs_parse_run_opts(argc, argv, &o, zs_usage_replay, 2);

	if (rc >= 0)
		return rc;
	if (o.npositional < 1) {
		fprintf(stderr, "zsim replay: a trace file is needed\n%s", zs_usage_replay);
		free(o.set);
		return EX_USAGE;
	}
	if (o.time_scale) {
		/* checked here, so the message names the option (the trace source says 1e-9..1e9) */
		char *end;
		double x = strtod(o.time_scale, &end);

		if (end == o.time_scale || *end || !(x >= 1e-9 && x <= 1e9)) {
			fprintf(stderr,
				"zsim replay: --time-scale wants a number from 1e-9 to 1e9 (0.5 "
				"replays twice as fast), got '%s'\n",
				o.time_scale);
			free(o.set);
			return EX_USAGE;
		}
	}
	const char *trace = o.positional[0];
	const char *scenario = o.npositional > 1 ? o.positional[1] : NULL;

	if (scenario)
		root = zs_cfg_load_file(scenario, &err);
	else
		root = zs_cfg_load_string("(default replay machine)", default_machine, &err);
	if (!root) {
		free(o.set);
		return zs_cmd_fail(&err);
	}
	/* The trace path is relative to the current directory, not the scenario's. */
	char *abs = realpath(trace, NULL);
	quote(q, sizeof(q), abs ? abs : trace);
	free(abs);
	char fq[64] = "", tq[80] = "";
	if (o.format) {
		char f[40];

		quote(f, sizeof(f), o.format);
		snprintf(fq, sizeof(fq), ", format: %s", f);
	}
	if (o.time_scale) {
		char t[40];

		quote(t, sizeof(t), o.time_scale);
		snprintf(tq, sizeof(tq), ", time_scale: %s", t);
	}
	snprintf(yaml, sizeof(yaml), "workload:\n  - {type: trace, path: %s%s%s%s}\n", q, fq, tq,
		 o.skip_bad_lines ? ", skip_bad_lines: true" : "");
	wl = zs_cfg_load_string("(replay)", yaml, &err);
	if (!wl || zs_cfg_graft(root, "workload", wl, "workload", &err)) {
		zs_cfg_free(wl);
		zs_cfg_free(root);
		free(o.set);
		return zs_cmd_fail(&err);
	}
	zs_cfg_free(wl);
	if (!zs_cfg_get(root, "duration"))
		zs_cfg_set(root, "duration=auto", &err);
	/* results/<trace file name without extensions> */
	const char *base = strrchr(trace, '/');
	snprintf(name, sizeof(name), "%s", base ? base + 1 : trace);
	char *dot = strchr(name, '.');
	if (dot)
		*dot = '\0';
	if (!zs_cfg_get(root, "name")) {
		char set[300];

		snprintf(set, sizeof(set), "name=%s", name);
		zs_cfg_set(root, set, &err);
	}
	o.root = root;
	o.scenario = scenario ? scenario : "replay";
	rc = zs_run_scenario(&o);
	free(o.set);
	return rc;
}
