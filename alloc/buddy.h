/*
 * buddy.h - binary buddy free lists of one zone, in both kernel disciplines.
 *
 * Mechanism only: no watermarks, no per-cpu lists, no reclaim, no policy.
 *
 * ZS_BUDDY_24 (2.4.0 mm/page_alloc.c): MAX_ORDER 10; one list per order; a
 * free_area bitmap per order with XOR pair semantics (its bits kept in the
 * page array: zs_buddy_toggle_pair_bit below); buddies are found
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
#include "sim/diag.h"

enum zs_buddy_discipline {
	ZS_BUDDY_24 = 0,
	ZS_BUDDY_26 = 1
};

/* Set up zone's free areas for a discipline (empty lists). */
void zs_buddy_init(struct zs_zone *z, enum zs_buddy_discipline d);

/* ---- free-list primitives: keep nr_free and the per-(order, type) counts in step ---- */

/* Put a free block on list mt of its order at the head (list_add + set_page_order). */
static inline void
zs_buddy_list_add(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order,
		  unsigned mt)
{
	struct zs_page *p = &m->pages[pfn];

	zs_list_add(m->pages, &z->free_area[order].list[mt], pfn, (uint8_t)(ZS_LST_BUDDY + mt));
	p->flags = (p->flags & ~ZS_PG_HEAD) | ZS_PG_BUDDY;
	p->order = (uint8_t)order;
	z->free_area[order].nr_free++;
	z->nr_free_mt[order][mt]++;
}

/* Unlink a free block from list mt of its order (list_del + rmv_page_order). */
static inline void
zs_buddy_list_del(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order,
		  unsigned mt)
{
	zs_list_del(m->pages, &z->free_area[order].list[mt], pfn);
	m->pages[pfn].flags &= ~ZS_PG_BUDDY;
	z->free_area[order].nr_free--;
	z->nr_free_mt[order][mt]--;
}

/*
 * 2.4.0's free_area[k].map has a bit per pair of order-k buddies (zone indices
 * 2^(k+1) i and 2^(k+1) i + 2^k), the XOR of "this half is free as an order-k
 * block" over the two halves.  Here the bits live in the page array instead of
 * bitmaps beside it: the bit of pair i of order k is ZS_PG_PAIRBIT of the page
 * at zone index 2^(k+1) i + 2^k - 1, the last page of the pair's lower half.
 * That index ends in exactly k one bits, so a page holds at most one pair's bit
 * (of the order its trailing ones give); and the page lies in the block toggled
 * (its lower half) or below it (its upper half), so always inside the zone.
 * The same bits as the kernel's bitmaps, at no byte more per page.
 */
static inline uint32_t
zs_buddy_pair_holder(const struct zs_zone *z, uint32_t idx, unsigned k)
{
	return z->start_pfn + ((idx & ~((2u << k) - 1)) | ((1u << k) - 1));
}

/* 2.4.0 MARK_USED / test_and_change_bit on the pair bit of order k covering zone
 * index idx: the bit's value before. */
static inline int
zs_buddy_toggle_pair_bit(struct zs_machine *m, const struct zs_zone *z, uint32_t idx, unsigned k)
{
	uint32_t *flags = &m->pages[zs_buddy_pair_holder(z, idx, k)].flags;
	int was = (*flags & ZS_PG_PAIRBIT) != 0;

	*flags ^= ZS_PG_PAIRBIT;
	return was;
}

/* zs_buddy_rmqueue's whole search, out of line (the split of a larger block). */
uint32_t zs_buddy_rmqueue_search(struct zs_machine *m, struct zs_zone *z, unsigned order,
				 unsigned mt);
/* 2.4.0 __free_pages_ok's merge loop, from a block of `order` whose pair bit was 1 (the
 * buddy free) and is now 0; the final order. */
unsigned zs_buddy_free_24_merge(struct zs_machine *m, struct zs_zone *z, uint32_t pfn,
				unsigned order);
/* 2.6 __free_one_page: the merge loop and the listing; the final order. */
unsigned zs_buddy_free_26(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order,
			  unsigned mt);

/*
 * rmqueue / __rmqueue_smallest: take a block of `order` from the first
 * non-empty list of order >= `order` (of migratetype mt; 2.4 ignores mt), split
 * it with the discipline's expand.  Returns the first pfn of the block, or
 * ZS_NIL.  free_pages drops by 2^order.  The returned pages are marked
 * ZS_PG_HEAD on the first page with order recorded; no other state is set.
 * Inline where the list of `order` itself has a block (nothing to split, the
 * search's first step); zs_buddy_rmqueue_search otherwise.
 */
static inline __attribute__((always_inline)) uint32_t
zs_buddy_rmqueue(struct zs_machine *m, struct zs_zone *z, unsigned order, unsigned mt)
{
	const int is24 = z->discipline == ZS_BUDDY_24;
	const unsigned t = is24 ? 0 : mt;
	struct zs_list *l;
	uint32_t pfn;

	if (order >= (unsigned)z->max_order)
		return ZS_NIL;
	l = &z->free_area[order].list[t];
	if (l->head == ZS_NIL)
		return zs_buddy_rmqueue_search(m, z, order, mt);
	/* KERNEL: 2.4.0 rmqueue() / 2.6.32 __rmqueue_smallest() at current_order == order:
	 * the head block off its list (zs_buddy_list_del of the head) */
	pfn = zs_list_pop_head(m->pages, l);
	m->pages[pfn].flags &= ~ZS_PG_BUDDY;
	z->free_area[order].nr_free--;
	z->nr_free_mt[order][t]--;
	if (is24)
		zs_buddy_toggle_pair_bit(m, z, pfn - z->start_pfn, order);
	z->free_pages -= 1u << order;
	m->free_pages -= 1u << order;
	m->pages[pfn].flags |= ZS_PG_HEAD;
	m->pages[pfn].order = (uint8_t)order;
	return pfn;
}

/*
 * __free_pages_ok (2.4) / __free_one_page (2.6): return a block to the free
 * lists, coalescing with free buddies; the merged block goes to the head of the
 * list of migratetype mt (2.4: list 0).  Returns the final order.  Inline where
 * 2.4.0's pair bit says the buddy is in use (no merge); the merge loops and 2.6's
 * buddy test are out of line.
 */
static inline __attribute__((always_inline)) unsigned
zs_buddy_free(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order, unsigned mt)
{
	struct zs_page *p = &m->pages[pfn];

	ZS_BUG_ON(p->flags & (ZS_PG_BUDDY | ZS_PG_RESERVED));
	ZS_BUG_ON(p->list != ZS_LST_NONE);
	p->flags &= ~ZS_PG_HEAD;
	if (z->discipline != ZS_BUDDY_24)
		return zs_buddy_free_26(m, z, pfn, order, mt);
	/* KERNEL: 2.4.0 mm/page_alloc.c __free_pages_ok(): the pair bit decides merging */
	if (order < (unsigned)z->max_order - 1 &&
	    zs_buddy_toggle_pair_bit(m, z, pfn - z->start_pfn, order))
		return zs_buddy_free_24_merge(m, z, pfn, order);
	/* bit was 0 (the buddy is in use), or the top order: list it as it is */
	z->free_pages += 1u << order;
	m->free_pages += 1u << order;
	zs_buddy_list_add(m, z, pfn, order, 0);
	return order;
}

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
