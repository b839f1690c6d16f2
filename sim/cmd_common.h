/*
 * cmd_common.h - what `zsim run`, `zsim replay` and `zsim check` share:
 * their option set and the error printer.
 */
#ifndef ZS_CMD_COMMON_H
#define ZS_CMD_COMMON_H

#include <stdint.h>

#include "sim/cfg.h"
#include "sim/diag.h"

struct zs_run_opts {
	const char *scenario;  /* path (or a name for a built scenario) */
	struct zs_cfg *root;   /* a scenario already loaded/built, or NULL */
	const char *kernel;
	const char *out;
	const char *format;    /* check: text or csv */
	const char **set;
	int nset;
	uint64_t seed;
	int seed_set;
	int events;
	int quiet;
	int skip_bad_lines;    /* replay: --skip-bad-lines */
	const char *time_scale; /* replay: --time-scale */
	int trace_opts;        /* one of the replay-only options was given */
	const char *positional[2];
	int npositional;
};

/*
 * Parse the options of run / replay / check (argv[0] is the verb).  Returns -1
 * when the command should go on, else an exit status (usage error, --help).
 * `npos` is how many positional arguments the verb takes at most.
 */
int zs_parse_run_opts(int argc, char **argv, struct zs_run_opts *o, const char *usage, int npos);

/* Run a scenario with options (shared by run and replay).  Returns the exit status. */
int zs_run_scenario(struct zs_run_opts *o);

/* Print "zsim: MESSAGE" and return err->code (EX_SOFTWARE when unset). */
int zs_cmd_fail(const struct zs_error *err);

#endif
