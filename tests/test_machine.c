/*
 * test_machine.c - the zone of a pfn: zs_pfn_zone's chunk map (machine.h
 * zone_map) gives the zone the binary search over the zones gives, for every
 * pfn of machines whose zone boundaries fall on, off and several times inside
 * a chunk, and for zone indexes past what a map byte holds.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "alloc/machine.h"

static void
check_every_pfn(const struct zs_machine_spec *spec)
{
	struct zs_error err = {0, ""};
	struct zs_machine *m = zs_machine_create(spec, &err);

	cr_assert(m, "%s", err.msg);
	for (uint32_t pfn = 0; pfn < m->nr_pages; pfn++) {
		struct zs_zone *z = zs_pfn_zone(m, pfn);

		cr_assert_eq(z, zs_pfn_zone_search(m, pfn), "pfn %u", pfn);
		cr_assert(pfn >= z->start_pfn && pfn < z->start_pfn + z->spanned, "pfn %u", pfn);
	}
	zs_machine_destroy(m);
}

Test(machine, pfn_zone_map_agrees_with_the_search)
{
	static const uint64_t sizes[][3] = {
		{4096, 258048, 0},	   /* aligned boundaries (the bench's machine) */
		{1, 1, 1},		   /* three zones inside one chunk */
		{1000, 1048, 3000},	   /* boundaries off the chunk grid */
		{1024, 1, 1023},	   /* a one-page zone between two chunks */
		{4097, 5, (1u << 12) + 7}, /* a chunk with two boundaries */
	};
	static const enum zs_zone_type types[3] = {ZS_ZONE_DMA, ZS_ZONE_DMA32, ZS_ZONE_NORMAL};

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct zs_machine_spec spec;

		memset(&spec, 0, sizeof(spec));
		spec.nr_nodes = 2;
		spec.hz = 250;
		for (int n = 0; n < 2; n++) {
			spec.nodes[n].cpus = 1;
			for (int z = 0; z < 3 && sizes[i][z]; z++) {
				spec.nodes[n].zones[z] = (struct zs_zone_spec){types[z], sizes[i][z]};
				spec.nodes[n].nr_zones++;
			}
		}
		check_every_pfn(&spec);
	}
}

Test(machine, pfn_zone_map_past_255_zones)
{
	struct zs_machine_spec spec;

	/* 64 nodes of 4 zones: zone 255 has no byte of its own and is searched */
	memset(&spec, 0, sizeof(spec));
	spec.nr_nodes = ZS_MAX_NODES;
	spec.hz = 250;
	for (int n = 0; n < ZS_MAX_NODES; n++) {
		spec.nodes[n].cpus = 1;
		spec.nodes[n].nr_zones = 4;
		for (int z = 0; z < 4; z++)
			spec.nodes[n].zones[z] = (struct zs_zone_spec){(enum zs_zone_type)z, 2048};
	}
	check_every_pfn(&spec);
}
