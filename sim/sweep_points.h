/*
 * sweep_points.h - a sweep directory read back for its figures and report:
 * the points of OUT/points.csv (point,<axis>,...), each with its axis values
 * and the aggregate of its finished runs (OUT/points/p<NNN>/runs/).
 *
 * A point none of whose runs has finished is kept with an empty aggregate
 * (nruns 0): a sweep can be drawn while it is still running.
 */
#ifndef ZS_SWEEP_POINTS_H
#define ZS_SWEEP_POINTS_H

#include "sim/aggregate.h"
#include "sim/sweep.h"

#define ZS_SWEEP_FIELD 256

struct zs_sweep_point {
	char name[16];                                /* p<NNN> */
	char value[ZS_SWEEP_MAX_AXES][ZS_SWEEP_FIELD]; /* as points.csv has them */
	struct zs_agg agg;                            /* its finished runs */
};

struct zs_sweep_points {
	int naxes, npoints;
	char axis[ZS_SWEEP_MAX_AXES][ZS_SWEEP_FIELD];
	struct zs_sweep_point *p;
	int finished; /* points with at least one finished run */
};

/*
 * Read dir/points.csv and every point's finished runs.  0, or -1 with err: no
 * points.csv (EX_NOINPUT), a line that does not match its header (EX_DATAERR,
 * with the line number), a run that cannot be read.  Free with
 * zs_sweep_points_free in either case.
 */
int zs_sweep_points_read(struct zs_sweep_points *sp, const char *dir, struct zs_error *err);
void zs_sweep_points_free(struct zs_sweep_points *sp);

#endif
