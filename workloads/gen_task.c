/*
 * gen_task.c - the task attributes every generator and `script` accept (the
 * numbers the OOM killer's badness() reads), read into the struct
 * zs_task_attrs a source copies into its TASK_START requests.
 *
 *   uid: 1000, oom_adj: -17..15, caps: CAP_SYS_ADMIN|CAP_SYS_RAWIO (or a list),
 *   cpu_time: 2min, age: 3h, extra_vm: 256MiB, parent_source: 0, mlock: true,
 *   mempolicy: {mode: default | preferred | bind | interleave | local, nodes: [0, 1]}
 *   (nodes also as one string, numactl style: "0,1", "0-3")
 *
 * mempolicy is set_mempolicy(2) at the task's start, checked as each 2.6
 * kernel's sys_set_mempolicy checks it (an EINVAL there is an error here);
 * 2.4.0 has no memory policies and refuses the key.
 * Everything is checked when the scenario is loaded, with the value's position.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "alloc/machine.h"
#include "sim/diag.h"
#include "workloads/gen_task.h"

static const struct {
	const char *name;
	uint8_t bit;
} cap_names[] = {
	{"CAP_SYS_RAWIO", ZS_CAP_SYS_RAWIO},
	{"CAP_SYS_ADMIN", ZS_CAP_SYS_ADMIN},
	{"CAP_SYS_RESOURCE", ZS_CAP_SYS_RESOURCE},
};

/* One capability name (surrounding blanks ignored) into *caps. */
static int
cap_one(const struct zs_cfg *at, const char *s, size_t len, uint8_t *caps, struct zs_error *err)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (strlen(cap_names[i].name) == len && !strncmp(cap_names[i].name, s, len)) {
			*caps |= cap_names[i].bit;
			return 0;
		}
	return zs_cfg_error(at, err,
			    "unknown capability '%.*s' (CAP_SYS_ADMIN, CAP_SYS_RESOURCE, "
			    "CAP_SYS_RAWIO or none)",
			    (int)len, s);
}

/* caps: "none", names joined by '|', or a sequence of names. */
static int
read_caps(struct zs_cfg *map, uint8_t *caps, struct zs_error *err)
{
	struct zs_cfg *n = zs_cfg_get(map, "caps");

	if (!n)
		return 0;
	if (n->type == ZS_CFG_SEQ) {
		for (int i = 0; i < n->n; i++) {
			struct zs_cfg *it = n->vals[i];

			if (zs_cfg_expect(it, ZS_CFG_SCALAR, "a capability name", err) ||
			    cap_one(it, it->scalar, strlen(it->scalar), caps, err))
				return -1;
		}
		return 0;
	}
	if (zs_cfg_expect(n, ZS_CFG_SCALAR, "capability names", err))
		return -1;
	if (!strcmp(n->scalar, "none"))
		return 0;
	for (const char *p = n->scalar;; p++) {
		size_t len = strcspn(p, "|");

		if (cap_one(n, p, len, caps, err))
			return -1;
		p += len;
		if (!*p)
			return 0;
	}
}

static const char *const mpol_names[] = {"default", "preferred", "bind", "interleave", "local"};
enum { MPOL_NAME_LOCAL = 4 };

/* Nodes with present pages (node_states[N_HIGH_MEMORY] on the machines zsim builds). */
static uint64_t
nodes_with_memory(const struct zs_machine *m)
{
	uint64_t mask = 0;

	for (int n = 0; n < m->nr_nodes; n++)
		if (m->nodes[n].present)
			mask |= 1ull << n;
	return mask;
}

/* Node numbers "3", "0,2" or "0-3" (numactl's spelling) of one scalar into *mask. */
static int
node_list(struct zs_cfg *it, int nr_nodes, uint64_t *mask, struct zs_error *err)
{
	const char *p = it->scalar;

	for (;;) {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p || lo < 0)
			return zs_cfg_error(it, err, "'%s' is not a node number or list (0,2 or 0-3)",
					    it->scalar);
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
			if (end == p || hi < lo)
				return zs_cfg_error(it, err, "'%s': a bad node range", it->scalar);
		}
		if (hi >= nr_nodes)
			return zs_cfg_error(it, err, "node %ld: the machine has %d node%s (0 .. %d)", hi,
					    nr_nodes, nr_nodes == 1 ? "" : "s", nr_nodes - 1);
		for (long v = lo; v <= hi; v++)
			*mask |= 1ull << v;
		if (!*end)
			return 0;
		if (*end != ',')
			return zs_cfg_error(it, err, "'%s' is not a node number or list (0,2 or 0-3)",
					    it->scalar);
		p = end + 1;
	}
}

/* nodes: a sequence of node numbers, or one scalar list; each below the node count. */
static int
read_mpol_nodes(struct zs_cfg *n, const struct zs_source_env *env, uint64_t *mask,
		struct zs_error *err)
{
	int nr_nodes = env->machine ? env->machine->nr_nodes : ZS_MAX_NODES;
	int count = n->type == ZS_CFG_SEQ ? n->n : 1;

	for (int i = 0; i < count; i++) {
		struct zs_cfg *it = n->type == ZS_CFG_SEQ ? n->vals[i] : n;

		if (zs_cfg_expect(it, ZS_CFG_SCALAR, "a node number", err) ||
		    node_list(it, nr_nodes, mask, err))
			return -1;
	}
	return 0;
}

/*
 * KERNEL: 2.6.18 mm/mempolicy.c mpol_check_policy() / mpol_new(); 2.6.32
 * mpol_new() and mpol_set_nodemask(), which first ands the nodes with the
 * nodes that have memory (N_HIGH_MEMORY).
 */
static int
read_mempolicy(struct zs_cfg *map, const struct zs_source_env *env, struct zs_task_attrs *a,
	       struct zs_error *err)
{
	static const char *const keys[] = {"mode", "nodes", NULL};
	struct zs_cfg *n = zs_cfg_get(map, "mempolicy"), *nodes;
	const char *mode = NULL;
	uint64_t mask = 0;
	int m = -1;

	if (!n)
		return 0;
	if (env->kver == ZS_KV_24)
		return zs_cfg_error(n, err,
				    "mempolicy: 2.4.0 has no memory policies (set_mempolicy and "
				    "mm/mempolicy.c came with 2.6); its nodes are chosen by "
				    "mm/numa.c alone");
	if (zs_cfg_expect(n, ZS_CFG_MAP, "mempolicy", err) ||
	    zs_cfg_check_keys(n, keys, err) || zs_cfg_string(n, "mode", &mode, err))
		return -1;
	if (!mode)
		return zs_cfg_error(n, err, "mempolicy needs a mode (default, preferred, bind, "
					    "interleave or local)");
	for (int i = 0; i < (int)(sizeof(mpol_names) / sizeof(mpol_names[0])); i++)
		if (!strcmp(mode, mpol_names[i]))
			m = i;
	nodes = zs_cfg_get(n, "nodes");
	if (m < 0)
		return zs_cfg_error(zs_cfg_get(n, "mode"), err,
				    "unknown mempolicy mode '%s' (default, preferred, bind, "
				    "interleave or local)",
				    mode);
	if (nodes && read_mpol_nodes(nodes, env, &mask, err))
		return -1;
	if ((m == ZS_MPOL_DEFAULT || m == MPOL_NAME_LOCAL) && mask)
		return zs_cfg_error(nodes, err, "mempolicy mode %s takes no nodes", mode);
	if ((m == ZS_MPOL_BIND || m == ZS_MPOL_INTERLEAVE) && !mask)
		return zs_cfg_error(nodes ? nodes : n, err, "mempolicy mode %s needs nodes", mode);
	if (env->kver == ZS_KV_2632 && env->machine && mask) {
		mask &= nodes_with_memory(env->machine);
		if (!mask)
			return zs_cfg_error(nodes, err,
					    "mempolicy: none of these nodes has memory (2.6.32 "
					    "set_mempolicy fails with EINVAL)");
	}
	if (m == MPOL_NAME_LOCAL)
		m = ZS_MPOL_PREFERRED; /* preferred with an empty nodemask */
	if (m == ZS_MPOL_PREFERRED && mask)
		mask = mask & -mask; /* KERNEL: mpol_new(): preferred_node = first_node(nodes) */
	a->mpol_mode = (uint8_t)m;
	a->mpol_nodes = mask;
	return 0;
}

int
zs_gen_task_attrs(struct zs_cfg *map, const struct zs_source_env *env, int root,
		  struct zs_task_attrs *a, struct zs_error *err)
{
	int64_t adj = 0, cpu = 0, age = 0;
	uint64_t uid = 0, extra = 0, parent = 0;
	struct zs_cfg *n;

	memset(a, 0, sizeof(*a));
	if (zs_cfg_uint(map, "uid", 0, UINT32_MAX - 1, &uid, err) ||
	    /* KERNEL: 2.6.32 include/linux/oom.h OOM_DISABLE .. OOM_ADJUST_MAX */
	    zs_cfg_int(map, "oom_adj", -17, 15, &adj, err) || read_caps(map, &a->caps, err) ||
	    zs_cfg_duration(map, "cpu_time", 0, INT64_MAX / 4, &cpu, err) ||
	    zs_cfg_duration(map, "age", 0, INT64_MAX / 4, &age, err) ||
	    zs_cfg_pages(map, "extra_vm", 0, 1ull << 40, &extra, err) ||
	    read_mempolicy(map, env, a, err))
		return -1;
	n = zs_cfg_get(map, "uid");
	if (n && root && uid != 0)
		return zs_cfg_error(n, err, "uid %llu contradicts root: true (root is uid 0)",
				    (unsigned long long)uid);
	a->has_uid = n != NULL;
	a->uid = (uint32_t)uid;
	a->oom_adj = (int8_t)adj;
	a->cpu_ns = cpu;
	a->age_ns = age;
	a->extra_vm = extra;
	n = zs_cfg_get(map, "parent_source");
	if (n) {
		if (zs_cfg_uint(map, "parent_source", 0, UINT32_MAX - 1, &parent, err))
			return -1;
		if (parent >= env->nr_sources)
			return zs_cfg_error(n, err,
					    "parent_source %llu: the workload has %u entries (0 .. %u)",
					    (unsigned long long)parent, env->nr_sources,
					    env->nr_sources ? env->nr_sources - 1 : 0);
		a->parent_source = (uint32_t)parent + 1;
	}
	/* mlock: mlockall(MCL_CURRENT | MCL_FUTURE) as the task starts */
	{
		int lock = 0;

		if (zs_cfg_bool(map, "mlock", &lock, err))
			return -1;
		a->mlock = (uint8_t)lock;
	}
	return 0;
}
