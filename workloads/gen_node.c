/*
 * gen_node.c - `node:` on a workload source (numactl --cpunodebind); see
 * gen_node.h.  Checked when the scenario is loaded, against the machine the
 * run builds (env->machine), with the value's position.
 */
#include "workloads/gen_node.h"

#include "alloc/machine.h"
#include "sim/cfg.h"
#include "sim/diag.h"

int
zs_gen_node_cpus(struct zs_cfg *map, const struct zs_source_env *env, int cpu,
		 struct zs_gen_cpus *c, struct zs_error *err)
{
	const struct zs_machine *m = env->machine;
	struct zs_cfg *n = zs_cfg_get(map, "node");
	int64_t node = -1;

	c->first = 0;
	c->nr = env->nr_cpus > 0 ? env->nr_cpus : 1;
	c->node = -1;
	if (!n)
		return 0;
	if (zs_cfg_int(map, "node", 0, ZS_MAX_NODES - 1, &node, err))
		return -1;
	if (!m)
		return zs_cfg_error(n, err, "node: needs the machine to know its CPUs");
	if (node >= m->nr_nodes)
		return zs_cfg_error(n, err, "node %lld: the machine has %d node%s (0 .. %d)",
				    (long long)node, m->nr_nodes, m->nr_nodes == 1 ? "" : "s",
				    m->nr_nodes - 1);
	if (m->nodes[node].nr_cpus == 0)
		return zs_cfg_error(n, err, "node %lld has no CPUs to run the source on",
				    (long long)node);
	c->first = m->nodes[node].cpu_first;
	c->nr = m->nodes[node].nr_cpus;
	c->node = (int)node;
	/* a cpu is taken modulo the machine's CPUs everywhere else: the same CPU here */
	if (cpu >= 0 && m->cpu_node[cpu % m->nr_cpus] != node)
		return zs_cfg_error(zs_cfg_get(map, "cpu"), err,
				    "cpu %d is on node %d, not on node %lld (node: %lld)", cpu,
				    m->cpu_node[cpu % m->nr_cpus], (long long)node, (long long)node);
	return 0;
}
