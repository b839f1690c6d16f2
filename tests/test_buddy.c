/* test_buddy.c - the buddy allocator in both disciplines: splits, merges, boot state. */
#include <criterion/criterion.h>
#include <criterion/theories.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/buddy.h"
#include "sim/rng.h"
#include "tests/support.h"

static struct zs_machine *
one_zone(uint64_t pages, enum zs_buddy_discipline d)
{
	enum zs_zone_type t[] = {ZS_ZONE_NORMAL};
	uint64_t p[] = {pages};
	struct zs_machine *m = zt_machine(1, 1, t, p);

	zs_buddy_init(&m->zones[0], d);
	zs_buddy_boot(m, &m->zones[0], 0);
	return m;
}

/* A machine whose second zone starts at `start` (the first zone fills the gap). */
static struct zs_machine *
offset_zone(uint64_t start, uint64_t pages, enum zs_buddy_discipline d)
{
	enum zs_zone_type t[] = {ZS_ZONE_DMA, ZS_ZONE_NORMAL};
	uint64_t p[] = {start, pages};
	struct zs_machine *m = zt_machine(1, 2, t, p);

	for (int i = 0; i < 2; i++) {
		zs_buddy_init(&m->zones[i], d);
		zs_buddy_boot(m, &m->zones[i], 0);
	}
	return m;
}

static void
check(struct zs_machine *m, struct zs_zone *z)
{
	struct zs_error err = {0, ""};

	cr_assert_eq(zs_buddy_check(m, z, 1, &err), 0, "%s", err.msg);
}

static void
teardown(struct zs_machine *m)
{
	zs_machine_destroy(m);
}

/* Take every block away so only a single fresh block of order `k` remains at `pfn`. */
static uint32_t
isolate_block(struct zs_machine *m, struct zs_zone *z, unsigned k)
{
	/* a zone of exactly 2^k pages holds one block */
	(void)m;
	cr_assert_eq(z->free_area[k].nr_free, 1);
	return z->free_area[k].list[0].head;
}

Test(buddy, split_returns_last_page_in_24)
{
	struct zs_machine *m = one_zone(8, ZS_BUDDY_24);
	struct zs_zone *z = &m->zones[0];
	uint32_t p = isolate_block(m, z, 3);

	/* KERNEL: 2.4.0 expand(): the lower halves go on the lists, the last page is returned */
	cr_assert_eq(zs_buddy_rmqueue(m, z, 0, 0), p + 7);
	cr_assert_eq(z->free_area[2].list[0].head, p);
	cr_assert_eq(z->free_area[1].list[0].head, p + 4);
	cr_assert_eq(z->free_area[0].list[0].head, p + 6);
	cr_assert_eq(z->free_pages, 7);
	check(m, z);
	teardown(m);
}

Test(buddy, split_returns_first_page_in_26)
{
	struct zs_machine *m = one_zone(8, ZS_BUDDY_26);
	struct zs_zone *z = &m->zones[0];
	uint32_t p = isolate_block(m, z, 3);

	/* KERNEL: 2.6 expand(): the upper halves go on the lists, the first page is returned */
	cr_assert_eq(zs_buddy_rmqueue(m, z, 0, 0), p);
	cr_assert_eq(z->free_area[2].list[0].head, p + 4);
	cr_assert_eq(z->free_area[1].list[0].head, p + 2);
	cr_assert_eq(z->free_area[0].list[0].head, p + 1);
	check(m, z);
	teardown(m);
}

/* The greedy decomposition into maximal aligned blocks, computed independently. */
static void
expected_blocks(uint32_t start, uint32_t len, uint32_t base, int max_order, uint32_t *count)
{
	uint32_t p = start, end = start + len;

	for (int k = 0; k < max_order; k++)
		count[k] = 0;
	while (p < end) {
		int k = max_order - 1;

		while (k > 0 && (((p - base) & ((1u << k) - 1)) || p + (1u << k) > end))
			k--;
		count[k]++;
		p += 1u << k;
	}
}

static void
boot_state_is(enum zs_buddy_discipline d, uint64_t start, uint64_t pages)
{
	struct zs_machine *m = start ? offset_zone(start, pages, d) : one_zone(pages, d);
	struct zs_zone *z = &m->zones[m->nr_zones - 1];
	uint32_t want[ZS_MAX_ORDER_LIMIT];

	/* 2.4 aligns relative to the zone start; 2.6 to the absolute pfn */
	expected_blocks((uint32_t)start, (uint32_t)pages, d == ZS_BUDDY_24 ? (uint32_t)start : 0,
			z->max_order, want);
	for (int k = 0; k < z->max_order; k++)
		cr_assert_eq(z->free_area[k].nr_free, want[k], "order %d: %u blocks, expected %u", k,
			     z->free_area[k].nr_free, want[k]);
	/* frees go to the head, so each list runs from the highest pfn down */
	for (int k = 0; k < z->max_order; k++) {
		uint32_t prev = UINT32_MAX;

		for (uint32_t pfn = z->free_area[k].list[0].head; pfn != ZS_NIL;
		     pfn = m->pages[pfn].next) {
			cr_assert_lt(pfn, prev);
			prev = pfn;
		}
	}
	cr_assert_eq(z->free_pages, pages);
	check(m, z);
	teardown(m);
}

Test(buddy, boot_state_aligned)
{
	boot_state_is(ZS_BUDDY_24, 0, 4096);
	boot_state_is(ZS_BUDDY_26, 0, 4096);
	boot_state_is(ZS_BUDDY_24, 0, 12288 + 37);
	boot_state_is(ZS_BUDDY_26, 0, 12288 + 37);
}

Test(buddy, boot_state_unaligned_zone_start)
{
	/* a zone starting at pfn 100 (and one at 4096 + 3) */
	boot_state_is(ZS_BUDDY_24, 100, 5000);
	boot_state_is(ZS_BUDDY_26, 100, 5000);
	boot_state_is(ZS_BUDDY_24, 4099, 20000);
	boot_state_is(ZS_BUDDY_26, 4099, 20000);
}

Test(buddy, disciplines_differ_on_unaligned_zone)
{
	struct zs_machine *a = offset_zone(100, 4096, ZS_BUDDY_24);
	struct zs_machine *b = offset_zone(100, 4096, ZS_BUDDY_26);

	/* relative alignment gives 2.4 eight order-9 blocks; 2.6 cannot have any order-10 one */
	cr_assert_eq(a->zones[1].free_area[9].nr_free, 8);
	cr_assert_eq(b->zones[1].free_area[10].nr_free, 3);
	cr_assert_neq(b->zones[1].free_area[2].nr_free, 0);
	teardown(a);
	teardown(b);
}

Test(buddy, order9_never_merges_in_24)
{
	struct zs_machine *m = one_zone(2048, ZS_BUDDY_24);

	/* MAX_ORDER 10: two free order-9 buddies stay apart */
	cr_assert_eq(m->zones[0].free_area[9].nr_free, 4);
	cr_assert_eq(m->zones[0].max_order, 10);
	teardown(m);
}

TheoryDataPoints(buddy, every_order_round_trips) = {
	DataPoints(unsigned, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
	DataPoints(int, 0, 1),
};

Theory((unsigned order, int disc), buddy, every_order_round_trips)
{
	enum zs_buddy_discipline d = disc ? ZS_BUDDY_26 : ZS_BUDDY_24;

	/* MAX_ORDER: 10 in 2.4.0, 11 in 2.6 (decided before anything is allocated) */
	cr_assume(order < (disc ? 11u : 10u));
	struct zs_machine *m = offset_zone(3, 8192, d);
	struct zs_zone *z = &m->zones[1];
	uint32_t before[ZS_MAX_ORDER_LIMIT];
	uint32_t got[64];
	int n = 0;

	for (int k = 0; k < z->max_order; k++)
		before[k] = z->free_area[k].nr_free;
	/* take up to 64 blocks (or until the zone runs dry), then give them all back */
	while (n < 64) {
		uint32_t pfn = zs_buddy_rmqueue(m, z, order, 0);

		if (pfn == ZS_NIL)
			break;
		uint32_t rel = d == ZS_BUDDY_24 ? pfn - z->start_pfn : pfn;
		cr_assert_eq(rel & ((1u << order) - 1), 0, "block %u misaligned", pfn);
		cr_assert(pfn >= z->start_pfn && pfn + (1u << order) <= z->start_pfn + z->spanned);
		got[n++] = pfn;
		check(m, z);
	}
	cr_assert_gt(n, 0);
	for (int i = n - 1; i >= 0; i--) {
		zs_buddy_free(m, z, got[i], order, 0);
		check(m, z);
	}
	for (int k = 0; k < z->max_order; k++)
		cr_assert_eq(z->free_area[k].nr_free, before[k], "order %d after round trip", k);
	teardown(m);
}

Test(buddy, conservation_under_random_traffic)
{
	for (int disc = 0; disc < 2; disc++) {
		enum zs_buddy_discipline d = disc ? ZS_BUDDY_26 : ZS_BUDDY_24;
		struct zs_machine *m = offset_zone(5, 3000, d);
		struct zs_zone *z = &m->zones[1];
		struct zs_rng *r = zs_rng_create(7, "buddy-test", (unsigned)disc);
		uint32_t live[512], live_order[512];
		int n = 0;
		uint64_t held = 0;

		for (int step = 0; step < 4000; step++) {
			if (n < 512 && (n == 0 || zs_rng_uniform(r) < 0.55)) {
				unsigned order = (unsigned)zs_rng_uniform_int(r, 5);
				uint32_t pfn = zs_buddy_rmqueue(m, z, order, 0);

				if (pfn != ZS_NIL) {
					live[n] = pfn;
					live_order[n++] = order;
					held += 1u << order;
				}
			} else {
				int i = (int)zs_rng_uniform_int(r, (uint64_t)n);

				zs_buddy_free(m, z, live[i], live_order[i], 0);
				held -= 1u << live_order[i];
				live[i] = live[--n];
				live_order[i] = live_order[n];
			}
			/* free pages + held pages == zone size at every step */
			cr_assert_eq(z->free_pages + held, 3000);
			if (step % 97 == 0)
				check(m, z);
		}
		while (n > 0) {
			n--;
			zs_buddy_free(m, z, live[n], live_order[n], 0);
		}
		check(m, z);
		cr_assert_eq(z->free_pages, 3000);
		zs_rng_destroy(r);
		teardown(m);
	}
}

/* Is zone index idx the head of a free block of order k? */
static int
free_head(const struct zs_machine *m, const struct zs_zone *z, uint32_t idx, unsigned k)
{
	const struct zs_page *p = &m->pages[z->start_pfn + idx];

	return idx < z->spanned && (p->flags & ZS_PG_BUDDY) && p->order == k;
}

/*
 * 2.4.0's pair bits, wherever they are kept, mean one thing below the top order:
 * the XOR of the two halves' being free blocks of that order.  Every page holds
 * the bit of at most one pair, and none past the orders that have a bitmap.
 */
static void
check_pair_bits(const struct zs_machine *m, const struct zs_zone *z)
{
	for (uint32_t idx = 0; idx < z->spanned; idx++) {
		unsigned ones = (unsigned)__builtin_ctz(~idx);
		int bit = (m->pages[z->start_pfn + idx].flags & ZS_PG_PAIRBIT) != 0;

		if (ones >= (unsigned)z->max_order) {
			cr_assert_eq(bit, 0, "page %u holds a bit of order %u", idx, ones);
			continue;
		}
		if (ones == (unsigned)z->max_order - 1)
			continue; /* the top order's bits: rmqueue toggles them, nothing reads them */
		uint32_t lower = idx + 1 - (1u << ones), upper = lower + (1u << ones);

		cr_assert_eq(zs_buddy_pair_holder(z, upper, ones), z->start_pfn + idx);
		cr_assert_eq(bit, free_head(m, z, lower, ones) ^ free_head(m, z, upper, ones),
			     "pair bit of order %u at zone index %u", ones, lower);
	}
}

Test(buddy, pair_bits_are_the_xor_of_the_halves_under_random_traffic)
{
	static const uint64_t zones[][2] = {{5, 3000}, {4097, 5000}, {2048, 2048}};

	for (size_t c = 0; c < sizeof(zones) / sizeof(zones[0]); c++) {
		struct zs_machine *m = offset_zone(zones[c][0], zones[c][1], ZS_BUDDY_24);
		struct zs_zone *z = &m->zones[1];
		struct zs_rng *r = zs_rng_create(11, "buddy-pair-bits", (unsigned)c);
		uint32_t live[256], live_order[256];
		int n = 0;

		check_pair_bits(m, z);
		for (int step = 0; step < 1500; step++) {
			if (n < 256 && (n == 0 || zs_rng_uniform(r) < 0.55)) {
				/* mostly small orders, now and then up to the top one */
				unsigned order = zs_rng_uniform(r) < 0.9 ? (unsigned)zs_rng_uniform_int(r, 4)
									 : (unsigned)zs_rng_uniform_int(r, 10);
				uint32_t pfn = zs_buddy_rmqueue(m, z, order, 0);

				if (pfn != ZS_NIL) {
					live[n] = pfn;
					live_order[n++] = order;
				}
			} else {
				int i = (int)zs_rng_uniform_int(r, (uint64_t)n);

				zs_buddy_free(m, z, live[i], live_order[i], 0);
				live[i] = live[--n];
				live_order[i] = live_order[n];
			}
			check_pair_bits(m, z);
		}
		while (n > 0) {
			n--;
			zs_buddy_free(m, z, live[n], live_order[n], 0);
		}
		check_pair_bits(m, z);
		check(m, z);
		zs_rng_destroy(r);
		teardown(m);
	}
}

Test(buddy, checker_catches_corruption)
{
	struct zs_machine *m = one_zone(64, ZS_BUDDY_26);
	struct zs_error err = {0, ""};

	m->zones[0].free_pages++;
	cr_assert_eq(zs_buddy_check(m, &m->zones[0], 1, &err), -1);
	cr_assert(strstr(err.msg, "free_pages"), "%s", err.msg);
	teardown(m);
}

Test(buddy, page_struct_is_24_bytes)
{
	cr_assert_eq(sizeof(struct zs_page), 24);
}

/* Boot zone 1 (at `start`, `pages` long) both ways and compare every byte of state. */
static void
boot_both_ways(uint64_t start, uint64_t pages, enum zs_buddy_discipline d)
{
	enum zs_zone_type t[] = {ZS_ZONE_DMA, ZS_ZONE_NORMAL};
	uint64_t p[] = {start, pages};
	struct zs_machine *a = zt_machine(1, 2, t, p), *b = zt_machine(1, 2, t, p);
	struct zs_zone *za = &a->zones[1], *zb = &b->zones[1];

	zs_buddy_init(za, d);
	zs_buddy_init(zb, d);
	zs_buddy_boot(a, za, 2);
	zs_buddy_boot_by_frees(b, zb, 2);
	for (uint32_t pfn = za->start_pfn; pfn < za->start_pfn + za->spanned; pfn++)
		cr_assert_eq(memcmp(&a->pages[pfn], &b->pages[pfn], sizeof(struct zs_page)), 0,
			     "start %lu pages %lu discipline %d: page %u differs (order %u/%u, "
			     "flags %x/%x, next %u/%u, list %u/%u, prev %u/%u)",
			     (unsigned long)start, (unsigned long)pages, (int)d, pfn,
			     a->pages[pfn].order, b->pages[pfn].order, a->pages[pfn].flags,
			     b->pages[pfn].flags, a->pages[pfn].next, b->pages[pfn].next, a->pages[pfn].list, b->pages[pfn].list, a->pages[pfn].prev, b->pages[pfn].prev);
	cr_assert_eq(za->free_pages, zb->free_pages);
	for (int k = 0; k < za->max_order; k++) {
		cr_assert_eq(za->free_area[k].nr_free, zb->free_area[k].nr_free);
		for (int m = 0; m < ZS_MIGRATE_TYPES; m++) {
			cr_assert_eq(za->nr_free_mt[k][m], zb->nr_free_mt[k][m]);
			cr_assert_eq(memcmp(&za->free_area[k].list[m], &zb->free_area[k].list[m],
					    sizeof(struct zs_list)),
				     0, "start %lu pages %lu: list %d/%d differs", (unsigned long)start,
				     (unsigned long)pages, k, m);
		}
	}
	/* 2.4.0's pair bits are in the pages' flags: the pages' comparison above covers them */
	check(a, za);
	teardown(a);
	teardown(b);
}

Test(buddy, one_pass_boot_equals_a_free_per_page)
{
	static const uint64_t starts[] = {1, 3, 4096, 4097, 5000, 12288, 65535};
	static const uint64_t sizes[] = {1, 2, 3, 7, 512, 1023, 1024, 1025, 1536, 3000, 4096,
					 65537, 262144, 300001};

	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		for (size_t j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			boot_both_ways(starts[i], sizes[j], ZS_BUDDY_24);
			boot_both_ways(starts[i], sizes[j], ZS_BUDDY_26);
		}
}
