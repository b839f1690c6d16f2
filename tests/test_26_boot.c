/*
 * test_26_boot.c - 2.6.32 boot-time pageblock details: move_freepages_block()
 * for a pageblock that starts below its zone, and setup_zone_migrate_reserve()
 * skipping blocks that hold reserved pages.
 */
#include "tests/test_26_util.h"

Test(zs26_boot, a_pageblock_starting_below_the_zone_moves_from_the_page_on)
{
	const enum zs_zone_type types[] = {ZS_ZONE_DMA, ZS_ZONE_NORMAL};
	const uint64_t pages[] = {1000, 16384, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 1, types, pages, NULL);
	struct zs_zone *z = &t.m->zones[1];

	cr_assert_eq(z->start_pfn, 1000, "Normal starts inside the pageblock 512..1023");
	/* KERNEL: 2.6.32 move_freepages_block(): start_pfn < zone_start_pfn -> start_page
	 * = page, so the free blocks at 1000 (order 3) and 1008 (order 4) move */
	cr_assert_eq(zs26_move_freepages_block(t.vm, z, 1000, ZS26_MT_UNMOVABLE), 24);
	cr_assert_eq(zs26_move_freepages_block(t.vm, z, 1000 + 16384 - 8, ZS26_MT_UNMOVABLE), 0,
		     "a block running past the zone end is left alone");
	t26_free(&t);
}

Test(zs26_boot, migrate_reserve_skips_blocks_with_reserved_pages)
{
	const enum zs_zone_type types[] = {ZS_ZONE_NORMAL};
	const uint64_t pages[] = {16384, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 1, types, pages, NULL);
	struct zs_zone *z = &t.m->zones[0];

	cr_assert_eq(zs26_pageblock_mt(t.vm, z, 0), ZS26_MT_RESERVE);
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, 512), ZS26_MT_MOVABLE);
	/* KERNEL: 2.6.32 setup_zone_migrate_reserve(): "Blocks with reserved pages will
	 * never free, skip them" - block 0 no longer counts, block 1 is reserved instead */
	t.m->pages[0].flags |= ZS_PG_RESERVED;
	zs26_setup_migrate_reserve(t.vm, z);
	t.m->pages[0].flags &= ~ZS_PG_RESERVED;
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, 512), ZS26_MT_RESERVE);
	t26_free(&t);
}
