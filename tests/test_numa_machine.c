/*
 * test_numa_machine.c - the `machine: {numa: {...}}` shorthand: memory split
 * evenly over the nodes in address order and cut into the version's zones
 * (x86_64 for 2.6, i386 for 2.4), CPUs spread, SLIT distances inside or beside
 * it, and the conflicts refused with their position.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/scenario.h"

static void
parse(const char *yaml, const char *kver, struct zs_scenario *sc)
{
	struct zs_error err = {0, ""};
	struct zs_cfg *root = zs_cfg_load_string("t.yaml", yaml, &err);

	cr_assert(root, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(sc, root, "t.yaml", kver, &err), 0, "%s", err.msg);
	zs_cfg_free(root);
}

#define GIB_PAGES(x) ((uint64_t)(x) << 18)
#define MIB_PAGES(x) ((uint64_t)(x) << 8)

Test(numa_machine, x86_64_layout_cuts_zones_at_16mib_and_4gib)
{
	struct zs_scenario sc;
	const struct zs_machine_spec *ms = &sc.machine;

	parse("machine: {numa: {nodes: 4, memory: 8GiB, cpus: 6}}\n", "2.6.32", &sc);
	cr_assert_eq(ms->nr_nodes, 4);
	/* node 0: [0, 2 GiB): DMA and DMA32 */
	cr_assert_eq(ms->nodes[0].nr_zones, 2);
	cr_assert_eq(ms->nodes[0].zones[0].type, ZS_ZONE_DMA);
	cr_assert_eq(ms->nodes[0].zones[0].pages, MIB_PAGES(16));
	cr_assert_eq(ms->nodes[0].zones[1].type, ZS_ZONE_DMA32);
	cr_assert_eq(ms->nodes[0].zones[1].pages, GIB_PAGES(2) - MIB_PAGES(16));
	/* node 1: [2, 4 GiB) is still below 4 GiB: all DMA32, as on a real x86_64 box */
	cr_assert_eq(ms->nodes[1].nr_zones, 1);
	cr_assert_eq(ms->nodes[1].zones[0].type, ZS_ZONE_DMA32);
	for (int n = 2; n < 4; n++) {
		cr_assert_eq(ms->nodes[n].nr_zones, 1);
		cr_assert_eq(ms->nodes[n].zones[0].type, ZS_ZONE_NORMAL);
		cr_assert_eq(ms->nodes[n].zones[0].pages, GIB_PAGES(2));
	}
	/* 6 CPUs over 4 nodes: 2, 2, 1, 1 */
	cr_assert_eq(ms->nodes[0].cpus, 2);
	cr_assert_eq(ms->nodes[1].cpus, 2);
	cr_assert_eq(ms->nodes[3].cpus, 1);
	cr_assert_eq(ms->distance[0][1], 20);
	cr_assert_eq(ms->distance[2][2], 10);
}

Test(numa_machine, large_nodes_put_dma_and_dma32_on_node_0_only)
{
	struct zs_scenario sc;
	const struct zs_machine_spec *ms = &sc.machine;

	parse("machine:\n  numa: {nodes: 2, memory: 16GiB, distance: [[10, 21], [21, 10]]}\n",
	      "2.6.18", &sc);
	cr_assert_eq(ms->nodes[0].nr_zones, 3);
	cr_assert_eq(ms->nodes[0].zones[1].pages, GIB_PAGES(4) - MIB_PAGES(16));
	cr_assert_eq(ms->nodes[0].zones[2].type, ZS_ZONE_NORMAL);
	cr_assert_eq(ms->nodes[0].zones[2].pages, GIB_PAGES(4));
	cr_assert_eq(ms->nodes[1].nr_zones, 1);
	cr_assert_eq(ms->nodes[1].zones[0].type, ZS_ZONE_NORMAL);
	cr_assert_eq(ms->distance[1][0], 21);
	/* machine.cpus (1) spread: every node still gets one */
	cr_assert_eq(ms->nodes[1].cpus, 1);
}

Test(numa_machine, i386_layout_for_2_4)
{
	struct zs_scenario sc;
	const struct zs_machine_spec *ms = &sc.machine;

	parse("machine: {numa: {nodes: 2, memory: 2GiB}}\n", "2.4", &sc);
	cr_assert_eq(ms->nodes[0].nr_zones, 3);
	cr_assert_eq(ms->nodes[0].zones[1].type, ZS_ZONE_NORMAL);
	cr_assert_eq(ms->nodes[0].zones[1].pages, MIB_PAGES(896 - 16));
	cr_assert_eq(ms->nodes[0].zones[2].type, ZS_ZONE_HIGHMEM);
	cr_assert_eq(ms->nodes[0].zones[2].pages, MIB_PAGES(1024 - 896));
	cr_assert_eq(ms->nodes[1].nr_zones, 1);
	cr_assert_eq(ms->nodes[1].zones[0].type, ZS_ZONE_HIGHMEM);
}

Test(numa_machine, conflicts_name_their_position)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{"machine:\n  memory: 1GiB\n  numa: {nodes: 2, memory: 1GiB}\n",
		 "t.yaml:3:9: give one of 'numa', 'nodes' and 'memory'"},
		{"machine:\n  numa: {nodes: 2}\n", "t.yaml:2:9: 'numa' needs 'memory'"},
		{"machine:\n  numa: {nodes: 4, memory: 2MiB}\n",
		 "t.yaml:2:28: 'numa' memory gives each of 4 nodes less than 1 MiB"},
		{"machine:\n  numa: {nodes: 2, memory: 1GiB, distance: [[10, 20], [20, 10]]}\n"
		 "  distance: [[10, 20], [20, 10]]\n",
		 "t.yaml:3:13: give 'distance' once"},
		{"machine:\n  numa: {nodes: 2, memory: 1GiB, distance: [[10, 20]]}\n",
		 "t.yaml:2:44: 'distance' needs one row per node (2)"},
		{"machine:\n  numa: {nodes: 2, memory: 1GiB, zones: 3}\n",
		 "t.yaml:2:34: unknown key 'zones'"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zs_error err = {0, ""};

		struct zs_cfg *root = zs_cfg_load_string("t.yaml", cases[i].yaml, &err);
		struct zs_scenario sc;

		cr_assert(root, "%s", err.msg);
		cr_assert_eq(zs_scenario_parse(&sc, root, "t.yaml", "2.6.32", &err), -1, "case %zu", i);
		zs_cfg_free(root);
		cr_assert(strstr(err.msg, cases[i].want), "case %zu: %s", i, err.msg);
		cr_assert_eq(err.code, 65, "case %zu: EX_DATAERR", i);
	}
}

/*
 * A page array of 2 MiB or more is its own mapping in whole 2 MiB units (so the
 * host can back it with huge pages, alloc/machine.c): aligned, large enough, and
 * every entry starts reserved, the last included; a smaller one is heap memory.
 */
Test(numa_machine, page_array_is_an_aligned_mapping_of_whole_huge_pages)
{
	struct zs_scenario sc;
	struct zs_error err = {0, ""};

	parse("machine: {numa: {nodes: 2, memory: 3GiB, cpus: 2}}\n", "2.6.32", &sc);
	struct zs_machine *m = zs_machine_create(&sc.machine, &err);

	cr_assert_not_null(m, "%s", err.msg);
	cr_assert_eq(m->nr_pages, GIB_PAGES(3));
	cr_assert_eq((uintptr_t)m->pages % (2u << 20), 0);
	cr_assert_eq(m->pages_len % (2u << 20), 0);
	cr_assert_geq(m->pages_len, sizeof(struct zs_page) * m->nr_pages);
	cr_assert_lt(m->pages_len, sizeof(struct zs_page) * m->nr_pages + (2u << 20));
	cr_assert(m->pages[0].flags & ZS_PG_RESERVED);
	cr_assert(m->pages[m->nr_pages - 1].flags & ZS_PG_RESERVED);
	cr_assert_eq(m->pages[m->nr_pages - 1].owner, ZS_NIL);
	zs_machine_destroy(m);
	/* below 2 MiB of array (87,381 pages) it is plain heap memory */
	parse("machine: {numa: {nodes: 1, memory: 256MiB, cpus: 1}}\n", "2.6.32", &sc);
	m = zs_machine_create(&sc.machine, &err);
	cr_assert_not_null(m, "%s", err.msg);
	cr_assert_eq(m->pages_len, 0);
	cr_assert(m->pages[m->nr_pages - 1].flags & ZS_PG_RESERVED);
	zs_machine_destroy(m);
}
