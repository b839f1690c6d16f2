/*
 * plot_fig.h - what the figure writers of `zsim plot` share (plot.c: runs and
 * comparisons; plot_sweep.c: sweeps): the gnuplot script being written and the
 * list of figures drawn.  Internal to them.
 */
#ifndef ZS_PLOT_FIG_H
#define ZS_PLOT_FIG_H

#include <stdio.h>

#include "sim/plot.h"

struct zs_fig {
	FILE *gp;          /* DIR/plots/plots.gp */
	char pdir[4200];   /* DIR/plots */
	const char *fmt;   /* "png" or "svg" */
	struct zs_plots *out;
	int height;        /* of the next figure begun, in pixels; 0: the usual 450 */
};

/* DIR/plots/NAME.dat for writing, or NULL. */
FILE *zs_fig_dat_open(struct zs_fig *fg, const char *name);
/* Start a figure in the script (output file, title, axis labels) and list it in out. */
void zs_fig_begin(struct zs_fig *fg, const char *name, const char *title, const char *xl,
		  const char *yl);

struct zs_sweep_points;
/* A sweep directory's figures from its points, read already (plot_sweep.c).  0, or -1
 * with err. */
int zs_plot_sweep(struct zs_fig *fg, const struct zs_sweep_points *sp, const char *dir,
		  struct zs_error *err);

#endif
