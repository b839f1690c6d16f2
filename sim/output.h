/*
 * output.h - a result set written all or nothing.
 *
 * Each file is written under a temporary name in the result directory
 * (".NAME.tmp.PID") and renamed into place only when the whole run succeeded.
 * The first file opened is the set's completion marker (summary.txt for a run):
 * before any file is replaced the old marker is removed, and the new one is
 * renamed last, so a directory holds a complete result set exactly when it holds
 * the marker; a reader that finds no marker must not trust the other files.
 * Renames run with the termination signals blocked; a rename that fails undoes
 * the ones before it.  A failed set leaves no files, and no directory that
 * zs_out_begin created.  Temporaries of a process that died without cleaning
 * up (SIGKILL) are removed when the next set opens the same file name there.
 * Every write, flush, close and rename is checked.
 */
#ifndef ZS_OUTPUT_H
#define ZS_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "sim/diag.h"

#define ZS_MAX_OUTPUTS 8

struct zs_outfile {
	FILE *f;     /* what the caller writes to (the counting stream when watched) */
	FILE *raw;   /* the temporary file itself */
	char final[4352];
	char tmp[4352];
	int renamed; /* final now holds this run's file (undone if a later rename fails) */
	uint64_t bytes, warn_at; /* written so far; warn once when it passes warn_at */
	void (*warn)(const char *final, uint64_t bytes);
};

struct zs_outset {
	struct zs_outfile files[ZS_MAX_OUTPUTS];
	int n;
	char dir[4096];
	int made;         /* zs_out_begin created directories: */
	size_t made_from; /* dir[0..made_from) existed before, the levels below are ours */
};

/* Create dir (and parents).  0 or -1 with err. */
int zs_out_begin(struct zs_outset *o, const char *dir, struct zs_error *err);
/* Open name inside the directory under a temporary name (removing the stale
 * temporaries of dead processes for that name); NULL with err. */
FILE *zs_out_open(struct zs_outset *o, const char *name, struct zs_error *err);
/* zs_out_open, and call warn(final name, bytes) once when more than warn_at bytes
 * were written (a file that may grow without bound, like events.csv). */
FILE *zs_out_open_watched(struct zs_outset *o, const char *name, uint64_t warn_at,
			  void (*warn)(const char *final, uint64_t bytes), struct zs_error *err);
/* Flush, close and rename every file into place, the marker last.  0 or -1 with err
 * (then nothing of this set is left). */
int zs_out_commit(struct zs_outset *o, struct zs_error *err);
/* Close and remove every temporary file, and the directories zs_out_begin made if empty. */
void zs_out_abort(struct zs_outset *o);

/* zs_out_abort for a signal handler (async-signal-safe: unlink and rmdir only). */
void zs_out_abort_signal(void);

/* The termination signals a command cleans up after: SIGINT, SIGTERM, SIGHUP, SIGQUIT. */
extern const int zs_out_signals[4];

#endif
