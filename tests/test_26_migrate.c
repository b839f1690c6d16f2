/*
 * test_26_migrate.c - grouping by mobility in 2.6.32: boot pageblock map,
 * migratetype from gfp, the fallback order (largest block first, then the
 * fallbacks[] table), whole-pageblock stealing and its half-block rule,
 * MIGRATE_RESERVE as the last resort; and 2.6.18's single list.
 */
#include "tests/test_26_util.h"

static const enum zs_zone_type NORMAL[] = {ZS_ZONE_NORMAL};
static const uint64_t PAGES_64M[] = {16384, 0};

/* Take every free page of z away (order 0, any type). */
static void
empty_zone(struct t26 *t, struct zs_zone *z)
{
	while (z->free_pages)
		cr_assert_neq(zs26_rmqueue(t->vm, z, 0, ZS26_MT_MOVABLE), ZS_NIL);
}

Test(zs26_migrate, boot_map_and_gfp_migratetype)
{
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, PAGES_64M, NULL);
	struct zs_zone *z = &t.m->zones[0];

	/* 32 pageblocks of 512; min 256 -> one RESERVE block, the first */
	cr_assert_eq(zs26_of(t.vm)->pageblock_order, 9);
	cr_assert_eq(zs26_pageblocks_of(t.vm, z, ZS26_MT_RESERVE), 1);
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, 0), ZS26_MT_RESERVE);
	cr_assert_eq(zs26_pageblocks_of(t.vm, z, ZS26_MT_MOVABLE), 31);
	cr_assert_eq(zs26_gfp_migratetype(t.vm, GFP26_KERNEL), ZS26_MT_UNMOVABLE);
	cr_assert_eq(zs26_gfp_migratetype(t.vm, GFP26_TEMPORARY), ZS26_MT_RECLAIMABLE);
	cr_assert_eq(zs26_gfp_migratetype(t.vm, GFP26_HIGHUSER_MOVABLE), ZS26_MT_MOVABLE);
	t26_free(&t);
}

Test(zs26_migrate, grouping_disabled_on_tiny_machines)
{
	const uint64_t pages[] = {2048, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, pages, NULL);

	/* 2048 < 512 * 5 pages */
	cr_assert(zs26_of(t.vm)->group_by_mobility_disabled);
	cr_assert_eq(zs26_gfp_migratetype(t.vm, GFP26_HIGHUSER_MOVABLE), ZS26_MT_UNMOVABLE);
	t26_free(&t);
}

Test(zs26_migrate, first_unmovable_steals_the_largest_block)
{
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, PAGES_64M, NULL);
	struct zs_zone *z = &t.m->zones[0];
	uint32_t head = z->free_area[10].list[ZS26_MT_MOVABLE].head;
	uint32_t pfn = zs26_rmqueue(t.vm, z, 0, ZS26_MT_UNMOVABLE);

	/* an order-10 MOVABLE block covers two pageblocks: both become UNMOVABLE */
	cr_assert_eq(pfn, head);
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, pfn), ZS26_MT_UNMOVABLE);
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, pfn + 512), ZS26_MT_UNMOVABLE);
	cr_assert_eq(zs26_zone(z)->extfrag, 1);
	/* the remainder sits on the UNMOVABLE lists: orders 9..0 once each */
	for (int o = 0; o < 10; o++)
		cr_assert_eq(z->nr_free_mt[o][ZS26_MT_UNMOVABLE], 1, "order %d", o);
	/* the next unmovable request is served without a fallback */
	cr_assert_eq(zs26_rmqueue(t.vm, z, 0, ZS26_MT_UNMOVABLE), pfn + 1);
	cr_assert_eq(zs26_zone(z)->extfrag, 1);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_migrate, small_fallback_does_not_claim_the_block)
{
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, PAGES_64M, NULL);
	struct zs_zone *z = &t.m->zones[0];

	empty_zone(&t, z);
	/* one free page in a MOVABLE pageblock */
	zs26_free_one_page(t.vm, z, 5000, 0, ZS26_MT_MOVABLE);
	uint32_t pfn = zs26_rmqueue(t.vm, z, 0, ZS26_MT_UNMOVABLE);

	cr_assert_eq(pfn, 5000);
	/* order 0 < pageblock_order/2 and not RECLAIMABLE: nothing moves, nothing claimed */
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, 5000), ZS26_MT_MOVABLE);
	cr_assert_eq(zs26_zone(z)->pageblock_steals, 0);
	t26_free(&t);
}

Test(zs26_migrate, steal_moves_free_pages_and_claims_when_over_half)
{
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, PAGES_64M, NULL);
	struct zs_zone *z = &t.m->zones[0];
	uint32_t base_a = 4096, base_b = 8192; /* two MOVABLE pageblocks */

	empty_zone(&t, z);
	/* block A: 100 free pages (moved but not claimed); block B: 300 (claimed) */
	for (uint32_t i = 0; i < 100; i++)
		zs26_free_one_page(t.vm, z, base_a + i, 0, ZS26_MT_MOVABLE);
	uint32_t got = zs26_rmqueue(t.vm, z, 4, ZS26_MT_UNMOVABLE);

	/* largest first: A's order-6 block (pfns 4096..4159) */
	cr_assert_eq(got, base_a);
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, base_a), ZS26_MT_MOVABLE);
	/* every other free page of A moved to the UNMOVABLE lists */
	cr_assert_eq(z->nr_free_mt[5][ZS26_MT_UNMOVABLE], 2); /* 4128 (split), 4160 (moved) */
	cr_assert_eq(z->nr_free_mt[4][ZS26_MT_UNMOVABLE], 1);
	cr_assert_eq(z->nr_free_mt[2][ZS26_MT_UNMOVABLE], 1);
	cr_assert_eq(z->nr_free_mt[5][ZS26_MT_MOVABLE], 0);

	for (uint32_t i = 0; i < 300; i++)
		zs26_free_one_page(t.vm, z, base_b + i, 0, ZS26_MT_MOVABLE);
	got = zs26_rmqueue(t.vm, z, 5, ZS26_MT_UNMOVABLE);
	/* A's order-5 split remainder (listed last, so at the head) serves it, no fallback */
	cr_assert_eq(got, base_a + 32);
	got = zs26_rmqueue(t.vm, z, 7, ZS26_MT_UNMOVABLE);
	cr_assert_eq(got, base_b);
	cr_assert_eq(zs26_pageblock_mt(t.vm, z, base_b), ZS26_MT_UNMOVABLE);
	cr_assert_eq(zs26_zone(z)->pageblock_steals, 1);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_migrate, fallback_table_order_and_reserve_last)
{
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, PAGES_64M, NULL);
	struct zs_zone *z = &t.m->zones[0];

	empty_zone(&t, z);
	/* same order in RECLAIMABLE and MOVABLE blocks: UNMOVABLE tries RECLAIMABLE first */
	zs26_set_pageblock_mt(t.vm, z, 6000, ZS26_MT_RECLAIMABLE);
	zs26_free_one_page(t.vm, z, 6000, 0, ZS26_MT_RECLAIMABLE);
	zs26_free_one_page(t.vm, z, 9000, 0, ZS26_MT_MOVABLE);
	zs26_free_one_page(t.vm, z, 100, 0, ZS26_MT_RESERVE);
	cr_assert_eq(zs26_rmqueue(t.vm, z, 0, ZS26_MT_UNMOVABLE), 6000);
	/* RECLAIMABLE: own list empty, UNMOVABLE empty, then MOVABLE's 9000 */
	cr_assert_eq(zs26_rmqueue(t.vm, z, 0, ZS26_MT_RECLAIMABLE), 9000);
	/* only RESERVE left: the last resort */
	cr_assert_eq(zs26_rmqueue(t.vm, z, 0, ZS26_MT_MOVABLE), 100);
	cr_assert_eq(zs26_rmqueue(t.vm, z, 0, ZS26_MT_MOVABLE), ZS_NIL);

	/* a larger block of a later fallback type beats a smaller one of an earlier type */
	zs26_free_one_page(t.vm, z, 6002, 0, ZS26_MT_RECLAIMABLE);
	zs26_free_one_page(t.vm, z, 9002, 0, ZS26_MT_MOVABLE);
	zs26_free_one_page(t.vm, z, 9003, 0, ZS26_MT_MOVABLE); /* merges: order 1 at 9002 */
	cr_assert_eq(zs26_rmqueue(t.vm, z, 0, ZS26_MT_UNMOVABLE), 9002);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_migrate, rmqueue_2618_has_one_list)
{
	struct t26 t = t26_boot(&zs_policy_2618, 1, NORMAL, PAGES_64M, NULL);
	struct zs_zone *z = &t.m->zones[0];

	for (int o = 0; o < 11; o++)
		for (int mt = 1; mt < ZS_MIGRATE_TYPES; mt++)
			cr_assert_eq(z->nr_free_mt[o][mt], 0);
	cr_assert_eq(z->free_area[10].nr_free, 16);
	cr_assert_eq(zs26_gfp_migratetype(t.vm, GFP26_KERNEL | GFP26_MOVABLE), 0);
	cr_assert_neq(zs26_rmqueue(t.vm, z, 3, ZS26_MT_MOVABLE), ZS_NIL);
	for (int mt = 1; mt < ZS_MIGRATE_TYPES; mt++)
		cr_assert_eq(z->nr_free_mt[9][mt], 0);
	t26_free(&t);
}

Test(zs26_migrate, pageblock_counts_follow_type_changes_and_the_checker_sees_a_stale_one)
{
	struct t26 t = t26_boot(&zs_policy_2632, 1, NORMAL, PAGES_64M, NULL);
	struct zs_zone *z = &t.m->zones[0];
	struct zs_error err = {0, ""};

	/* the tick reads counters, not the map: they must follow every change */
	zs26_set_pageblock_mt(t.vm, z, 512 * 5, ZS26_MT_RECLAIMABLE);
	zs26_set_pageblock_mt(t.vm, z, 512 * 6, ZS26_MT_UNMOVABLE);
	zs26_set_pageblock_mt(t.vm, z, 512 * 6, ZS26_MT_RECLAIMABLE);
	cr_assert_eq(zs26_pageblocks_of(t.vm, z, ZS26_MT_RECLAIMABLE), 2);
	cr_assert_eq(zs26_pageblocks_of(t.vm, z, ZS26_MT_UNMOVABLE), 0);
	cr_assert_eq(zs26_pageblocks_of(t.vm, z, ZS26_MT_MOVABLE), 29);
	cr_assert_eq(zs_vm_check(t.vm, &err), 0, "%s", err.msg);
	/* a map change behind the counters' back is corruption */
	zs26_zone(z)->pageblock[7] = ZS26_MT_UNMOVABLE;
	cr_assert_neq(zs_vm_check(t.vm, &err), 0);
	cr_assert(strstr(err.msg, "pageblocks counted"), "%s", err.msg);
	zs26_zone(z)->pageblock[7] = ZS26_MT_MOVABLE;
	t26_free(&t);
}
