/*
 * page_alloc_zonelists.c - gfp_zone() (include/linux/gfp.h) and the per-node
 * zonelists (mm/page_alloc.c build_zonelists) of 2.6.18 / 2.6.32:
 * for each node and each zone class, the zones a request may use, the local
 * node's first (highest zone first), then the other nodes' in
 * find_next_best_node() order ("node order").
 *
 * DEVIATION: 2.6.23+ may pick "zone order" zonelists by default on some NUMA
 * layouts (default_zonelist_order); zsim always builds node order, which is
 * what 2.6.18 does and what 2.6.32 picks on typical machines.
 *
 * Invariant: zonelist[class] of node n starts with node n's highest populated
 * zone of type <= class (when node n has one) and holds every populated zone
 * of type <= class exactly once.
 */
#include "alloc/linux26/model.h"

#include <stdlib.h>
#include <sysexits.h>

int
zs26_gfp_zone(enum zs_kver v, uint32_t gfp)
{
	/*
	 * KERNEL: 2.6.18 include/linux/gfp.h gfp_zone() via the "loner" zonelist
	 * index (precedence DMA > DMA32 > HIGHMEM > NORMAL); 2.6.32 GFP_ZONE_TABLE
	 * gives the same answer for every valid combination.  MOVABLE|HIGHMEM is
	 * ZONE_MOVABLE in 2.6.32, which zsim never populates: its zonelist equals
	 * HighMem's, so HIGHMEM stands in for it.
	 */
	(void)v;
	if (gfp & GFP26_DMA)
		return ZS_ZONE_DMA;
	if (gfp & GFP26_DMA32)
		return ZS_ZONE_DMA32;
	if (gfp & GFP26_HIGHMEM)
		return ZS_ZONE_HIGHMEM;
	return ZS_ZONE_NORMAL;
}

static int
distance(const struct zs_machine *m, int a, int b)
{
	int d = m->spec.distance[a][b];

	/* KERNEL: include/linux/topology.h LOCAL_DISTANCE / REMOTE_DISTANCE without a SLIT */
	if (d <= 0)
		d = a == b ? 10 : 20;
	return d;
}

/* KERNEL: 2.6.32 mm/page_alloc.c find_next_best_node() (same in 2.6.18) */
static int
find_next_best_node(const struct zs_machine *m, int node, unsigned char *used,
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

int
zs26_build_zonelists(struct zs_vm *vm, struct zs_error *err)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;
	int node_load[ZS_MAX_NODES] = {0};

	/* KERNEL: 2.6.32 mm/page_alloc.c __build_all_zonelists() / build_zonelists() */
	for (int l = 0; l < m->nr_nodes; l++) {
		struct zs26_node *nm = m->nodes[l].model;
		unsigned char used[ZS_MAX_NODES] = {0};
		int load = m->nr_nodes, prev = l, n;

		nm->nr_node_order = 0;
		while ((n = find_next_best_node(m, l, used, node_load)) >= 0) {
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
			for (int i = 0; i < nm->nr_node_order; i++) {
				struct zs_node *node = &m->nodes[nm->node_order[i]];

				for (int t = c; t >= 0; t--)
					if (node->zone[t] && node->zone[t]->present)
						nm->zonelist[c][len++] = node->zone[t]->id;
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
