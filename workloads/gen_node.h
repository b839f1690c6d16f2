/*
 * gen_node.h - `node:` beside `cpu:` on a workload source, as numactl
 * --cpunodebind: the source's tasks run on that node's CPUs.
 *
 * A generator that spreads its tasks over CPUs (task i on CPU i, a kernel
 * source's random CPU per allocation) spreads them over the node's CPUs
 * instead; one with a single context (filecache, a kernel source's fixed
 * CPU) runs it on the node's first CPU.  `cpu:` still wins, but it must be
 * one of the node's CPUs.
 *
 * Invariant: nr >= 1 and [first, first + nr) are CPUs of the machine (of the
 * node when one is given).
 */
#ifndef ZS_GEN_NODE_H
#define ZS_GEN_NODE_H

#include "workloads/source.h"

struct zs_cfg;
struct zs_error;

/* The CPUs a source's tasks may run on. */
struct zs_gen_cpus {
	int first, nr; /* CPUs first .. first + nr - 1 */
	int node;      /* the `node:` given, -1 when none (then the machine's CPUs) */
};

/* The keys zs_gen_node_cpus reads, for a generator's list of known keys. */
#define ZS_GEN_NODE_KEYS "node"

/*
 * Read `node` of map into *c.  cpu: the source's `cpu:` value, -1 when it has
 * none; it must lie on the node.  Errors (at the value's file:line:col): a
 * node the machine does not have, a node without CPUs, a cpu on another
 * node.  0 or -1 with err.
 */
int zs_gen_node_cpus(struct zs_cfg *map, const struct zs_source_env *env, int cpu,
		     struct zs_gen_cpus *c, struct zs_error *err);

/* The CPU of task i when the source names no `cpu:`: round-robin over the set. */
static inline int
zs_gen_cpus_pick(const struct zs_gen_cpus *c, uint64_t i)
{
	return c->first + (int)(i % (uint64_t)c->nr);
}

#endif
