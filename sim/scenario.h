/*
 * scenario.h - a scenario file interpreted: the machine, the kernel version,
 * the workload entries, duration, seed and output.  Model tunables stay in the
 * `kernel` map for the model to read; workload entries stay as cfg nodes for
 * their sources to read.
 */
#ifndef ZS_SCENARIO_H
#define ZS_SCENARIO_H

#include <stdint.h>

#include "alloc/gfp.h"
#include "alloc/machine.h"
#include "sim/cfg.h"

#define ZS_MAX_SOURCES 256 /* workload entries of one scenario */
/* The longest run: an explicit duration, and where `duration: auto` ends at the latest. */
#define ZS_MAX_DURATION_NS (1000000000LL * 3600 * 24 * 365)

struct zs_scenario {
	struct zs_cfg *root;
	const char *path;
	char name[64];            /* file name without directory and .yaml */
	struct zs_machine_spec machine;
	enum zs_kver kver;
	struct zs_cfg *kernel;    /* the `kernel` map (may be an empty map) */
	struct zs_cfg *workload;  /* the `workload` list (may be NULL) */
	int64_t duration_ns;      /* 0: `auto`, until every source has finished */
	uint64_t seed;
	const char *out_dir;      /* NULL: results/<name> */
	int events;               /* write events.csv */
	int check;                /* the invariant checker after every event: ZS_CHECK_* */
	int sched_none;           /* machine.scheduler: none (uncontended CPUs) */
};

/* output.check: off; after every event at zs_vm_check_event's cadence (true);
 * the pages in use after every event (full). */
enum { ZS_CHECK_OFF = 0, ZS_CHECK_CADENCE = 1, ZS_CHECK_ALL_FULL = 2 };

/*
 * Interpret root (the loaded scenario, after --set overrides).  kernel_override
 * (--kernel) replaces kernel.version when non-NULL.  0, or -1 with err.
 */
int zs_scenario_parse(struct zs_scenario *sc, struct zs_cfg *root, const char *path,
		      const char *kernel_override, struct zs_error *err);

#endif
