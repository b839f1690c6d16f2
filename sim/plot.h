/*
 * plot.h - `zsim plot` and the report's figures: gnuplot images of a run
 * directory (free pages per zone against min/low/high, LRU list sizes,
 * buddyinfo over time as a heat map (at most 16,384 columns: a longer run's ticks
 * averaged in runs), allocator exits, kswapd and direct
 * reclaim CPU, swap, the allocation latency CDF), of a compare directory
 * (each kernel's mean over seeds with its 95 % band; the latency CDF per
 * kernel) or of a sweep directory (plot_sweep.c: each headline metric against
 * each axis of two values or more, x the axis' values in the sweep's order, a
 * line per kernel and combination of the other axes' values (past 12 lines a
 * figure per kernel, past 12 for one kernel none), each point the mean over the point's
 * seeds with its 95 % Student t interval; a point without finished runs is a
 * gap).
 *
 * Everything goes to DIR/plots/: NAME.dat (the numbers), plots.gp (the
 * script, rerunnable with `gnuplot DIR/plots/plots.gp`) and NAME.png|svg.
 * A figure whose columns the run does not have is left out, never drawn empty.
 */
#ifndef ZS_PLOT_H
#define ZS_PLOT_H

#include "sim/diag.h"

#define ZS_PLOT_MAX 64

struct zs_plots {
	int n;
	char name[ZS_PLOT_MAX][64];   /* file stem in DIR/plots/ */
	char title[ZS_PLOT_MAX][128];
};

/*
 * Draw every figure the directory's data allows, in format "png" or "svg".
 * dir is a run directory (ticks.csv), a compare directory (runs/) or a sweep
 * directory (points.csv).  0, or -1 with err (no data, gnuplot missing or
 * failing); a sweep whose points.csv is broken or none of whose runs has finished
 * gets no plots/ at all.
 */
int zs_plot_dir(const char *dir, const char *format, struct zs_plots *out, struct zs_error *err);

/* Remove what zsim plot and zsim report wrote into dir (DIR/plots/ and report.html), so a
 * new run there leaves no figures of the old one.  0, or -1 (errno) when something
 * could not be removed. */
int zs_plot_remove(const char *dir);

#endif
