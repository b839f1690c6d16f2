/*
 * gen_task.h - the task attributes every generator and `script` accept: the
 * numbers the OOM killer's badness() reads (uid, capabilities, oom_adj, CPU
 * time, age, declared virtual size), the fork parent (parent_source),
 * mlock (mlockall(MCL_CURRENT | MCL_FUTURE): its anonymous pages are locked)
 * and the 2.6 memory policy (mempolicy).
 *
 * Invariant: a struct zs_task_attrs read here is valid for any kernel version
 * (ranges are checked at load, with the value's file:line:col).
 */
#ifndef ZS_GEN_TASK_H
#define ZS_GEN_TASK_H

#include "alloc/task.h"
#include "workloads/source.h"

struct zs_cfg;
struct zs_error;

/* The keys zs_gen_task_attrs reads, for a generator's list of known keys. */
#define ZS_GEN_TASK_KEYS "uid", "oom_adj", "caps", "cpu_time", "age", "extra_vm", "parent_source", \
	"mlock", "mempolicy"

/*
 * Read the task keys of map into *a (absent keys stay 0).  root: the map's
 * `root` setting, which a non-zero uid may not contradict.  0 or -1 with err.
 */
int zs_gen_task_attrs(struct zs_cfg *map, const struct zs_source_env *env, int root,
		      struct zs_task_attrs *a, struct zs_error *err);

#endif
