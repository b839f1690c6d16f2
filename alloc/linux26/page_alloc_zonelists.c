/*
 * page_alloc_zonelists.c - gfp_zone() (include/linux/gfp.h; inline in model.h) and the per-node
 * zonelists (mm/page_alloc.c build_zonelists) of 2.6.18 / 2.6.32:
 * for each node and each zone class, the zones a request may use.  Nodes come in
 * find_next_best_node() order (the local node first).  "Node order" lists each
 * node's zones high to low, node after node (2.6.18 always; 2.6.32 when
 * default_zonelist_order or the numa_zonelist_order tunable says so); "zone
 * order" (2.6.32) lists every node's zone of the highest type, then of the next
 * type down, so the local node's low zones are used last.
 *
 * Invariant: zonelist[class] of node n holds every populated zone of type <=
 * class exactly once; in node order node n's zones come first.
 */
#include "alloc/linux26/model.h"

#include <stdlib.h>
#include <sysexits.h>

static int
distance(const struct zs_machine *m, int a, int b)
{
	int d = m->spec.distance[a][b];

	/* KERNEL: include/linux/topology.h LOCAL_DISTANCE / REMOTE_DISTANCE without a SLIT */
	if (d <= 0)
		d = a == b ? 10 : 20;
	return d;
}

/* The node has present pages (N_HIGH_MEMORY on a machine without HighMem beyond Normal). */
static int
node_has_memory(const struct zs_machine *m, int n)
{
	for (int t = 0; t < ZS_NR_ZONE_TYPES; t++)
		if (m->nodes[n].zone[t] && m->nodes[n].zone[t]->present)
			return 1;
	return 0;
}

/*
 * KERNEL: 2.6.32 mm/page_alloc.c find_next_best_node(); 2.6.18's is the same but
 * walks every online node where 2.6.32 walks only the nodes with memory.
 */
static int
find_next_best_node(const struct zs_machine *m, enum zs_kver v, int node, unsigned char *used,
		    const int *node_load)
{
	int best = -1;
	long min_val = 0x7fffffffL;

	if (!used[node]) {
		used[node] = 1;
		return node;
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		long val;

		if (used[n])
			continue;
		/* KERNEL: 2.6.32 for_each_node_state(n, N_HIGH_MEMORY); 2.6.18 for_each_online_node */
		if (v == ZS_KV_2632 && !node_has_memory(m, n))
			continue;
		val = distance(m, node, n);
		val += n < node;                      /* prefer the node after us */
		val += m->nodes[n].nr_cpus > 0;       /* PENALTY_FOR_NODE_WITH_CPUS */
		val *= (long)m->nr_nodes * ZS_MAX_NODES; /* MAX_NODE_LOAD * MAX_NUMNODES */
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best = n;
		}
	}
	if (best >= 0)
		used[best] = 1;
	return best;
}

const char *
zs26_zonelist_order_name(int order)
{
	return order == ZS26_ZONELIST_ORDER_ZONE ? "zone" : "node";
}

/* Present pages below ZONE_NORMAL (DMA, DMA32) and in all, of node n or (n < 0) every node. */
static void
low_and_total(const struct zs_machine *m, int n, uint64_t *low, uint64_t *total)
{
	*low = *total = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zs_zone *z = &m->zones[i];

		if (n >= 0 && z->node != n)
			continue;
		if (z->type < ZS_ZONE_NORMAL)
			*low += z->present;
		*total += z->present;
	}
}

/*
 * KERNEL: 2.6.32 mm/page_alloc.c default_zonelist_order(): node order when there
 * is no DMA/DMA32 memory, when it is more than half of all memory, or when a node
 * larger than average (total / (nodes with memory + 1)) has more than 70 % of its
 * own memory there; zone order otherwise, to keep the low zones of the local node
 * for the allocations that need them.
 */
static int
default_zonelist_order(const struct zs_machine *m, const char **why)
{
	uint64_t low, total, average;
	int with_memory = 0;

	low_and_total(m, -1, &low, &total);
	if (!low) {
		*why = "default: no DMA/DMA32 memory";
		return ZS26_ZONELIST_ORDER_NODE;
	}
	if (low > total / 2) {
		*why = "default: DMA/DMA32 is more than half of memory";
		return ZS26_ZONELIST_ORDER_NODE;
	}
	for (int n = 0; n < m->nr_nodes; n++)
		with_memory += node_has_memory(m, n);
	average = total / (uint64_t)(with_memory + 1);
	for (int n = 0; n < m->nr_nodes; n++) {
		uint64_t nlow, ntotal;

		low_and_total(m, n, &nlow, &ntotal);
		if (nlow && ntotal > average && nlow > ntotal * 70 / 100) {
			*why = "default: a node larger than average is more than 70 % DMA/DMA32";
			return ZS26_ZONELIST_ORDER_NODE;
		}
	}
	*why = "default: DMA/DMA32 is small, keep it for the allocations that need it";
	return ZS26_ZONELIST_ORDER_ZONE;
}

int
zs26_build_zonelists(struct zs_vm *vm, struct zs_error *err)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;
	int node_load[ZS_MAX_NODES] = {0};

	k->policy_zone = zs26_policy_zone(m);
	/* KERNEL: 2.6.32 mm/page_alloc.c set_zonelist_order() */
	if (k->kver == ZS_KV_2618) {
		k->zonelist_order = ZS26_ZONELIST_ORDER_NODE;
		k->zonelist_order_why = "2.6.18 has node order only (zone order came in 2.6.23)";
	} else if (k->user_zonelist_order != ZS26_ZONELIST_ORDER_DEFAULT) {
		k->zonelist_order = k->user_zonelist_order;
		k->zonelist_order_why = "numa_zonelist_order";
	} else {
		k->zonelist_order = default_zonelist_order(m, &k->zonelist_order_why);
	}
	/* KERNEL: 2.6.32 mm/page_alloc.c __build_all_zonelists() / build_zonelists() */
	for (int l = 0; l < m->nr_nodes; l++) {
		struct zs26_node *nm = m->nodes[l].model;
		unsigned char used[ZS_MAX_NODES] = {0};
		int load = m->nr_nodes, prev = l, n;

		nm->nr_node_order = 0;
		while ((n = find_next_best_node(m, k->kver, l, used, node_load)) >= 0) {
			/* 2.6.18 accumulates the load, 2.6.32 assigns it */
			if (distance(m, l, n) > 20) /* RECLAIM_DISTANCE */
				k->zone_reclaim_mode = 1;
			if (distance(m, l, n) != distance(m, l, prev)) {
				if (k->kver == ZS_KV_2618)
					node_load[n] += load;
				else
					node_load[n] = load;
			}
			prev = n;
			load--;
			nm->node_order[nm->nr_node_order++] = n;
		}
		for (int c = 0; c < ZS_NR_ZONE_TYPES; c++) {
			int len = 0;

			nm->zonelist[c] = calloc((size_t)m->nr_zones + 1, sizeof(int));
			if (!nm->zonelist[c])
				return zs_error_set(err, EX_OSERR, "out of memory for zonelists");
			if (k->zonelist_order == ZS26_ZONELIST_ORDER_ZONE) {
				/* KERNEL: 2.6.32 build_zonelists_in_zone_order(): by zone type
				 * high to low, each type's zone on every node in node order */
				for (int t = c; t >= 0; t--)
					for (int i = 0; i < nm->nr_node_order; i++) {
						struct zs_node *node = &m->nodes[nm->node_order[i]];

						if (node->zone[t] && node->zone[t]->present)
							nm->zonelist[c][len++] = node->zone[t]->id;
					}
			} else {
				/* KERNEL: build_zonelists_in_node_order() (2.6.18: build_zonelists_node
				 * per node): each node's zones high to low, nodes in order */
				for (int i = 0; i < nm->nr_node_order; i++) {
					struct zs_node *node = &m->nodes[nm->node_order[i]];

					for (int t = c; t >= 0; t--)
						if (node->zone[t] && node->zone[t]->present)
							nm->zonelist[c][len++] = node->zone[t]->id;
				}
			}
			nm->zonelist_len[c] = len;
		}
	}
	return 0;
}

void
zs26_free_zonelists(struct zs_vm *vm)
{
	struct zs_machine *m = vm->machine;

	for (int l = 0; l < m->nr_nodes; l++) {
		struct zs26_node *nm = m->nodes[l].model;

		if (!nm)
			continue;
		for (int c = 0; c < ZS_NR_ZONE_TYPES; c++) {
			free(nm->zonelist[c]);
			nm->zonelist[c] = NULL;
		}
	}
}
