/*
 * report.h - one self-contained report.html for a run, compare or sweep
 * directory: the scenario, the machine, the summary table (intervals and
 * markers for a comparison; a sweep's points with their axis values and
 * finished runs) and every figure of plot.h inline as SVG.  No scripts, fonts or
 * images from elsewhere: the file alone is the report.
 */
#ifndef ZS_REPORT_H
#define ZS_REPORT_H

#include "sim/diag.h"

/* Draw the figures (svg) and write DIR/report.html.  0, or -1 with err. */
int zs_report_write(const char *dir, struct zs_error *err);

#endif
