/*
 * buddy.h - binary buddy free lists of one zone, in both kernel disciplines.
 *
 * Mechanism only: no watermarks, no per-cpu lists, no reclaim, no policy.
 *
 * ZS_BUDDY_24 (2.4.0 mm/page_alloc.c): MAX_ORDER 10; one list per order; a
 * free_area bitmap per order with XOR pair semantics; buddies are found
 * relative to the zone's first page (page_idx); expand() puts the LOWER half on
 * the list and carries on with the UPPER half, so rmqueue returns the highest
 * addressed pages of a block; coalescing stops at order 9.
 *
 * ZS_BUDDY_26 (2.6 __rmqueue_smallest / expand / __free_one_page): MAX_ORDER
 * 11; a list per migratetype; buddy = pfn ^ (1 << order) by absolute pfn, valid
 * only if inside the zone and free with that order; expand() puts the UPPER half
 * on the list and returns the LOWER half.
 *
 * In both, frees and split remainders are inserted at the head and rmqueue
 * takes the head.
 *
 * Invariant (zs_buddy_check): free_pages == sum over k of (blocks on lists of
 * order k) << k, nr_free[k] == blocks on order-k lists, no two free buddies of
 * the same order exist, every free block is aligned (relative to the zone start
 * in 2.4, absolute in 2.6) and inside the zone.
 */
#ifndef ZS_BUDDY_H
#define ZS_BUDDY_H

#include <stdint.h>

#include "alloc/machine.h"

enum zs_buddy_discipline {
	ZS_BUDDY_24 = 0,
	ZS_BUDDY_26 = 1
};

/* Set up zone's free areas for a discipline (empty lists; 2.4 bitmaps allocated). */
int zs_buddy_init(struct zs_zone *z, enum zs_buddy_discipline d, struct zs_error *err);
/* Release the bitmaps. */
void zs_buddy_fini(struct zs_zone *z);

/*
 * rmqueue / __rmqueue_smallest: take a block of `order` from the first
 * non-empty list of order >= `order` (of migratetype mt; 2.4 ignores mt), split
 * it with the discipline's expand.  Returns the first pfn of the block, or
 * ZS_NIL.  free_pages drops by 2^order.  The returned pages are marked
 * ZS_PG_HEAD on the first page with order recorded; no other state is set.
 */
uint32_t zs_buddy_rmqueue(struct zs_machine *m, struct zs_zone *z, unsigned order, unsigned mt);

/*
 * __free_pages_ok (2.4) / __free_one_page (2.6): return a block to the free
 * lists, coalescing with free buddies; the merged block goes to the head of the
 * list of migratetype mt (2.4: list 0).  Returns the final order.
 */
unsigned zs_buddy_free(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order,
		       unsigned mt);

/* Primitives for 2.6.32's __rmqueue_fallback and move_freepages. */
/* Unlink a specific free block (pfn must be a free head of `order` on list mt). */
void zs_buddy_del_block(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order,
			unsigned mt);
/* Put a free block on list mt at the head. */
void zs_buddy_add_block(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order,
			unsigned mt);
/* 2.6 expand(): split block [pfn, order high) down to `low`, remainders on list mt. */
void zs_buddy_expand(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned low,
		     unsigned high, unsigned mt);
/* Free-block migratetype a head page is listed under (from page->list). */
static inline unsigned
zs_buddy_block_mt(const struct zs_page *p)
{
	return (unsigned)(p->list - ZS_LST_BUDDY);
}

/*
 * Boot: release every page of the zone one at a time in ascending pfn order
 * through zs_buddy_free (what free_all_bootmem does), with migratetype mt.
 * zs_buddy_boot builds the state those frees leave directly, in one pass;
 * zs_buddy_boot_by_frees does the frees (the reference the tests compare with).
 * Both expect a zone fresh from zs_buddy_init.
 */
void zs_buddy_boot(struct zs_machine *m, struct zs_zone *z, unsigned mt);
/* The same, every page of the zone written whole: no owner, the model's fresh
 * age and aux (zs_buddy_boot: 0 and 0, what zs_machine_create leaves). */
void zs_buddy_boot_fresh(struct zs_machine *m, struct zs_zone *z, unsigned mt, uint8_t age,
			 uint32_t aux);
void zs_buddy_boot_by_frees(struct zs_machine *m, struct zs_zone *z, unsigned mt);

/*
 * Check the invariants above; returns 0, or -1 with a description in err.
 * With tails 0 the pages inside free blocks are not looked at (only the
 * blocks' heads, their lists, alignment and buddies).
 */
int zs_buddy_check(struct zs_machine *m, struct zs_zone *z, int tails, struct zs_error *err);
/* The counters of that check without walking a list: each free list's count
 * against its ends (a marked head of its order), nr_free_mt, nr_free, free_pages. */
int zs_buddy_check_counters(struct zs_machine *m, struct zs_zone *z, struct zs_error *err);

#endif
