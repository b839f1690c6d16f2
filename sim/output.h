/*
 * output.h - result files written atomically: each file is written under a
 * temporary name in the result directory and renamed into place only when the
 * whole run succeeded, so an interrupted or failed run never leaves a
 * half-written result.  Every write, flush, close and rename is checked.
 */
#ifndef ZS_OUTPUT_H
#define ZS_OUTPUT_H

#include <stdio.h>

#include "sim/diag.h"

#define ZS_MAX_OUTPUTS 8

struct zs_outfile {
	FILE *f;
	char final[4352];
	char tmp[4352];
};

struct zs_outset {
	struct zs_outfile files[ZS_MAX_OUTPUTS];
	int n;
	char dir[4096];
};

/* Create dir (and parents).  0 or -1 with err. */
int zs_out_begin(struct zs_outset *o, const char *dir, struct zs_error *err);
/* Open name inside the directory under a temporary name; NULL with err. */
FILE *zs_out_open(struct zs_outset *o, const char *name, struct zs_error *err);
/* Flush, close and rename every file into place.  0 or -1 with err (then all are removed). */
int zs_out_commit(struct zs_outset *o, struct zs_error *err);
/* Close and remove every temporary file. */
void zs_out_abort(struct zs_outset *o);

/* Remove temporaries of the active output set (for a signal handler): async-signal-safe. */
void zs_out_abort_signal(void);

#endif
