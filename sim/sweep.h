/*
 * sweep.h - a sweep file: a base scenario, kernels, seeds and parameter axes
 * (`--set` paths with lists of values); the full product is the job list.
 *
 *   base: configs/mixed.yaml          # relative to the sweep file's directory
 *   kernels: [2.4, 2.6.32]
 *   seeds: 10                         # 1..10, or a list [1, 5, 9]
 *   axes: {machine.memory: [64MiB, 128MiB], duration: [1s, 2s]}
 *   out: results/my-sweep             # default results/<sweep file name>
 *
 * Layout: OUT/points.csv names each point (point,<axis>,...); point p's runs are
 * OUT/points/p<NNN>/runs/<kernel>/seed-<n>/, so each point is a compare
 * directory (aggregate, plot and report work on it).  Job order: points (the
 * last axis varies fastest), then kernels, then seeds.
 */
#ifndef ZS_SWEEP_H
#define ZS_SWEEP_H

#include <stdint.h>
#include <stdio.h>

#include "sim/diag.h"
#include "sim/runset.h"

#define ZS_SWEEP_MAX_AXES 8
#define ZS_SWEEP_MAX_VALUES 64

struct zs_sweep {
	char base[4096];
	char out[3600];
	char kernels[8][16];     /* canonical names */
	int nkernels;
	uint64_t *seeds;
	int nseeds;
	char *axis[ZS_SWEEP_MAX_AXES];
	char *value[ZS_SWEEP_MAX_AXES][ZS_SWEEP_MAX_VALUES];
	int nvalues[ZS_SWEEP_MAX_AXES];
	int naxes;
	int npoints;
	/* the job list */
	struct zs_runjob *jobs;
	char (*sets)[ZS_SWEEP_MAX_AXES][512]; /* per point: "axis=value" */
	const char *(*setp)[ZS_SWEEP_MAX_AXES];
	int njobs;
};

/* Load and expand a sweep file; out_override replaces `out` when not NULL.  0, or -1
 * with err ("file:line:col: ..."). */
int zs_sweep_load(struct zs_sweep *sw, const char *path, const char *out_override,
		  struct zs_error *err);
void zs_sweep_free(struct zs_sweep *sw);

/* One `zsim run ...` command line per job (zsim = the program to name). */
void zs_sweep_list(const struct zs_sweep *sw, FILE *f, const char *zsim);

/* OUT/points.csv.  0, or -1 with err. */
int zs_sweep_write_points(const struct zs_sweep *sw, struct zs_error *err);

/* OUT/sweep.jobs (the list) and OUT/sweep.sbatch (a Slurm array over it); the script's
 * path into script.  0, or -1 with err. */
int zs_sweep_emit_slurm(const struct zs_sweep *sw, const char *zsim, char *script, size_t len,
			struct zs_error *err);

#endif
