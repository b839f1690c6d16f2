/*
 * buddy.c - the binary buddy allocator of one zone in the 2.4.0 and 2.6
 * disciplines; see buddy.h for what differs between them.
 */
#include "alloc/buddy.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define list_add_block zs_buddy_list_add
#define list_del_block zs_buddy_list_del

void
zs_buddy_del_block(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order,
		   unsigned mt)
{
	list_del_block(m, z, pfn, order, mt);
}

void
zs_buddy_add_block(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order,
		   unsigned mt)
{
	list_add_block(m, z, pfn, order, mt);
}

/* ---- 2.4.0 free_area bitmaps (in the page array: buddy.h) ---- */

#define toggle_pair_bit zs_buddy_toggle_pair_bit

static inline int
pair_bit(const struct zs_machine *m, const struct zs_zone *z, uint32_t idx, unsigned k)
{
	return (m->pages[zs_buddy_pair_holder(z, idx, k)].flags & ZS_PG_PAIRBIT) != 0;
}

void
zs_buddy_init(struct zs_zone *z, enum zs_buddy_discipline d)
{
	z->discipline = (int)d;
	z->max_order = d == ZS_BUDDY_24 ? 10 : 11;
	z->free_pages = 0;
	memset(z->nr_free_mt, 0, sizeof(z->nr_free_mt));
	for (int k = 0; k < ZS_MAX_ORDER_LIMIT; k++) {
		struct zs_free_area *a = &z->free_area[k];

		for (int t = 0; t < ZS_MIGRATE_TYPES; t++)
			zs_list_init(&a->list[t]);
		a->nr_free = 0;
	}
	/*
	 * KERNEL: 2.4.0 mm/page_alloc.c free_area_init_core(): zeroed bitmaps, a bit per
	 * pair.  Here no page has ZS_PG_PAIRBIT before boot (the machine creates them
	 * reserved), and zs_buddy_boot_fresh writes each page whole before it sets bits.
	 */
}

/* ---- rmqueue ---- */

/* KERNEL: 2.4.0 mm/page_alloc.c rmqueue() + expand(): lower half listed, upper half kept. */
static uint32_t
rmqueue_24(struct zs_machine *m, struct zs_zone *z, unsigned order)
{
	for (unsigned cur = order; cur < (unsigned)z->max_order; cur++) {
		struct zs_list *l = &z->free_area[cur].list[0];
		uint32_t pfn = l->head;

		if (pfn == ZS_NIL)
			continue;
		list_del_block(m, z, pfn, cur, 0);
		uint32_t idx = pfn - z->start_pfn;
		toggle_pair_bit(m, z, idx, cur);
		z->free_pages -= 1u << order;
		m->free_pages -= 1u << order;
		while (cur > order) {
			cur--;
			/* the lower half goes on the list; go on with the upper half */
			list_add_block(m, z, pfn, cur, 0);
			toggle_pair_bit(m, z, idx, cur);
			idx += 1u << cur;
			pfn += 1u << cur;
		}
		return pfn;
	}
	return ZS_NIL;
}

void
zs_buddy_expand(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned low,
		unsigned high, unsigned mt)
{
	/* KERNEL: 2.6.32 mm/page_alloc.c expand(): upper half listed, lower half returned */
	while (high > low) {
		high--;
		list_add_block(m, z, pfn + (1u << high), high, mt);
	}
}

/* KERNEL: 2.6.32 mm/page_alloc.c __rmqueue_smallest() */
static uint32_t
rmqueue_26(struct zs_machine *m, struct zs_zone *z, unsigned order, unsigned mt)
{
	for (unsigned cur = order; cur < (unsigned)z->max_order; cur++) {
		uint32_t pfn = z->free_area[cur].list[mt].head;

		if (pfn == ZS_NIL)
			continue;
		list_del_block(m, z, pfn, cur, mt);
		zs_buddy_expand(m, z, pfn, order, cur, mt);
		z->free_pages -= 1u << order;
		m->free_pages -= 1u << order;
		return pfn;
	}
	return ZS_NIL;
}

uint32_t
zs_buddy_rmqueue_search(struct zs_machine *m, struct zs_zone *z, unsigned order, unsigned mt)
{
	uint32_t pfn;

	if (order >= (unsigned)z->max_order)
		return ZS_NIL;
	if (z->discipline == ZS_BUDDY_24)
		pfn = rmqueue_24(m, z, order);
	else
		pfn = rmqueue_26(m, z, order, mt);
	if (pfn != ZS_NIL) {
		struct zs_page *p = &m->pages[pfn];

		p->flags |= ZS_PG_HEAD;
		p->order = (uint8_t)order;
	}
	return pfn;
}

/* ---- free ----
 * The merge loops are out of line (zs_buddy_free, inline in buddy.h, frees a block
 * whose buddy is in use without a call). */

unsigned
zs_buddy_free_24_merge(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order)
{
	/* KERNEL: 2.4.0 mm/page_alloc.c __free_pages_ok(): the pair bit decides merging;
	 * it was 1 at `order` (toggled to 0 by the caller): the buddy is free, merge */
	uint32_t idx = pfn - z->start_pfn;

	z->free_pages += 1u << order;
	m->free_pages += 1u << order;
	do {
		uint32_t buddy = z->start_pfn + (idx ^ (1u << order));

		list_del_block(m, z, buddy, order, 0);
		order++;
		idx &= ~((1u << order) - 1);
		/* bit was 0: the buddy is in use, stop */
	} while (order < (unsigned)z->max_order - 1 && toggle_pair_bit(m, z, idx, order));
	list_add_block(m, z, z->start_pfn + idx, order, 0);
	return order;
}

unsigned
zs_buddy_free_26(struct zs_machine *m, struct zs_zone *z, uint32_t pfn, unsigned order,
		 unsigned mt)
{
	/* KERNEL: 2.6.32 mm/page_alloc.c __free_one_page() / page_is_buddy() */
	uint32_t end = z->start_pfn + z->spanned;

	z->free_pages += 1u << order;
	m->free_pages += 1u << order;
	while (order < (unsigned)z->max_order - 1) {
		uint32_t buddy = pfn ^ (1u << order);
		struct zs_page *b;

		/* the buddy must be in this zone, free, and of the same order */
		if (buddy < z->start_pfn || buddy >= end)
			break;
		b = &m->pages[buddy];
		if (!(b->flags & ZS_PG_BUDDY) || b->order != order)
			break;
		list_del_block(m, z, buddy, order, zs_buddy_block_mt(b));
		pfn &= buddy;
		order++;
	}
	list_add_block(m, z, pfn, order, mt);
	return order;
}

void
zs_buddy_boot_by_frees(struct zs_machine *m, struct zs_zone *z, unsigned mt)
{
	/* KERNEL: 2.4.0 mm/bootmem.c free_all_bootmem(): one page at a time, ascending */
	for (uint32_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned; pfn++) {
		struct zs_page *p = &m->pages[pfn];

		p->flags &= ZS_PG_PAIRBIT; /* no free toggled it yet: see zs_buddy_toggle_pair_bit */
		p->order = 0;
		zs_buddy_free(m, z, pfn, 0, mt);
	}
}

/* A page's state after the boot frees, with the order it last had as a listed head
 * and the model's fresh age and aux: the whole page in one store. */
static inline void
boot_page(struct zs_page *p, int order, uint8_t age, uint32_t aux)
{
	*p = (struct zs_page){.next = ZS_NIL, .prev = ZS_NIL, .order = (uint8_t)order, .age = age,
			      .list = ZS_LST_NONE, .owner = ZS_NIL, .aux = aux};
}

/* That order for pfn, by the rule zs_buddy_boot describes (any pfn of the zone). */
static int
boot_order(uint32_t pfn, uint32_t start, uint32_t end, uint32_t base, unsigned cap, int is24)
{
	uint32_t rel = pfn - base;
	int t = rel ? __builtin_ctz(rel) : 32, j = t < (int)cap ? t : (int)cap;

	while ((uint64_t)pfn + (1u << j) > end)
		j--;
	if (j == t && j != (int)cap && !(!is24 && pfn - start < (1u << j)))
		j--; /* at order t it merged into its left buddy instead */
	return j < 0 ? 0 : j;
}

/*
 * The same end state as zs_buddy_boot_by_frees, built in one pass instead of
 * one free (with its merges) per page.  Freeing every page in ascending order
 * leaves:
 *   - the zone cut greedily into maximal aligned blocks (aligned to the zone
 *     start in 2.4, to absolute pfns in 2.6; at most max_order - 1; inside the
 *     zone), each on its order's list, the list in descending pfn order (each
 *     block was listed, at the head, when its last page was freed);
 *   - on every other page the order it last had as a listed head (0 if it was
 *     never listed), no BUDDY flag, off every list: page p (offset rel from the
 *     alignment origin, t = ctz(rel)) was listed at each order j <= min(t, cap)
 *     whose block fits in the zone and that stopped merging there: j < t (its
 *     right buddy was still in use), j == cap, or, in 2.6, a left buddy below
 *     the zone start;
 *   - in 2.4, pair bits that are 1 only for the pair whose right half the zone
 *     end cuts (every other pair had both halves or neither freed into it).
 * tests/test_buddy.c compares the two page by page on many zone layouts.
 */
void
zs_buddy_boot(struct zs_machine *m, struct zs_zone *z, unsigned mt)
{
	zs_buddy_boot_fresh(m, z, mt, 0, 0);
}

void
zs_buddy_boot_fresh(struct zs_machine *m, struct zs_zone *z, unsigned mt, uint8_t age,
		    uint32_t aux)
{
	const uint32_t start = z->start_pfn, end = start + z->spanned;
	const int is24 = z->discipline == ZS_BUDDY_24;
	const uint32_t base = is24 ? start : 0;
	const unsigned cap = (unsigned)z->max_order - 1;
	/*
	 * The interior [lo, hi): no block of order <= cap starting there reaches
	 * past the end and, in 2.6, no left buddy lies below the start, so the
	 * order depends on t alone: t - 1 below cap (0 for t = 0), cap from cap up.
	 * The pages at the edges take the general rule.
	 */
	uint64_t lo = is24 ? start : (uint64_t)start + (1u << cap);
	uint64_t hi = (uint64_t)end + 1 > (1u << cap) ? (uint64_t)end + 1 - (1u << cap) : 0;

	if (lo > end)
		lo = end;
	if (hi < lo)
		hi = lo;
	if (is24)
		mt = 0; /* 2.4.0 has one list per order */
	for (uint32_t pfn = start; pfn < lo; pfn++)
		boot_page(&m->pages[pfn], boot_order(pfn, start, end, base, cap, is24), age, aux);
	for (uint32_t pfn = (uint32_t)lo; pfn < hi; pfn++) {
		uint32_t rel = pfn - base;
		int t = rel ? __builtin_ctz(rel) : 32;

		boot_page(&m->pages[pfn], t >= (int)cap ? (int)cap : t > 0 ? t - 1 : 0, age, aux);
	}
	for (uint32_t pfn = (uint32_t)hi; pfn < end; pfn++)
		boot_page(&m->pages[pfn], boot_order(pfn, start, end, base, cap, is24), age, aux);
	/* the greedy cut, ascending, each block listed at the head as its last page came */
	for (uint32_t pfn = start; pfn < end;) {
		uint32_t rel = pfn - base;
		unsigned k = rel ? (unsigned)__builtin_ctz(rel) : 32;

		if (k > cap)
			k = cap;
		while ((uint64_t)pfn + (1u << k) > end)
			k--;
		list_add_block(m, z, pfn, k, mt);
		pfn += 1u << k;
	}
	z->free_pages += z->spanned;
	m->free_pages += z->spanned;
	if (is24) {
		/* the only pair of each order with one half freed into it: the one the end cuts */
		for (unsigned k = 0; k < cap; k++) {
			uint32_t rel_end = end - base, half = 1u << k;
			uint32_t pair = rel_end & ~(2 * half - 1);

			if (rel_end - pair >= half) /* left half in the zone, right half cut */
				toggle_pair_bit(m, z, pair, k);
		}
	}
}

/* ---- invariant checker (tests and debug builds) ---- */

int
zs_buddy_check(struct zs_machine *m, struct zs_zone *z, int tails, struct zs_error *err)
{
	uint32_t end = z->start_pfn + z->spanned;
	int is24 = z->discipline == ZS_BUDDY_24;

	/* the counts against each other first; the walks below then hold each list to its count */
	if (zs_buddy_check_counters(m, z, err))
		return -1;
	for (int k = 0; k < z->max_order; k++) {
		for (int t = 0; t < ZS_MIGRATE_TYPES; t++) {
			const struct zs_list *l = &z->free_area[k].list[t];
			uint32_t n = 0, prev = ZS_NIL;

			for (uint32_t pfn = l->head; pfn != ZS_NIL; pfn = m->pages[pfn].next) {
				const struct zs_page *p = &m->pages[pfn];
				uint32_t rel = is24 ? pfn - z->start_pfn : pfn;

				if (pfn < z->start_pfn || pfn + (1u << k) > end)
					return zs_error_set(err, EX_SOFTWARE,
							    "%s: free block %u order %d outside the zone",
							    z->name, pfn, k);
				if (!(p->flags & ZS_PG_BUDDY) || p->order != k ||
				    p->list != ZS_LST_BUDDY + t || p->prev != prev)
					return zs_error_set(err, EX_SOFTWARE,
							    "%s: free block %u order %d badly marked",
							    z->name, pfn, k);
				if (rel & ((1u << k) - 1))
					return zs_error_set(err, EX_SOFTWARE,
							    "%s: free block %u order %d misaligned",
							    z->name, pfn, k);
				if (k < z->max_order - 1) {
					uint32_t b = is24 ? z->start_pfn + (rel ^ (1u << k))
							  : pfn ^ (1u << k);

					if (b >= z->start_pfn && b < end &&
					    (m->pages[b].flags & ZS_PG_BUDDY) &&
					    m->pages[b].order == k)
						return zs_error_set(err, EX_SOFTWARE,
								    "%s: free buddies %u and %u of order %d",
								    z->name, pfn, b, k);
					if (is24 && pair_bit(m, z, rel, (unsigned)k) != 1 &&
					    !(b >= z->start_pfn && b < end &&
					      (m->pages[b].flags & ZS_PG_BUDDY) &&
					      m->pages[b].order == k))
						return zs_error_set(err, EX_SOFTWARE,
								    "%s: pair bit of free block %u order %d is 0",
								    z->name, pfn, k);
				}
				for (uint32_t i = 1; tails && i < (1u << k); i++)
					if (m->pages[pfn + i].flags & ZS_PG_BUDDY ||
					    m->pages[pfn + i].list != ZS_LST_NONE)
						return zs_error_set(err, EX_SOFTWARE,
								    "%s: page %u inside free block %u is on a list",
								    z->name, pfn + i, pfn);
				prev = pfn;
				n++;
				if (n > z->spanned)
					return zs_error_set(err, EX_SOFTWARE, "%s: free list loops",
							    z->name);
			}
			if (n != l->count || l->tail != prev)
				return zs_error_set(err, EX_SOFTWARE,
						    "%s: order %d type %d list count %u, walked %u",
						    z->name, k, t, l->count, n);
		}
	}
	return 0;
}

int
zs_buddy_check_counters(struct zs_machine *m, struct zs_zone *z, struct zs_error *err)
{
	uint64_t free_pages = 0;

	for (int k = 0; k < z->max_order; k++) {
		uint32_t blocks = 0;

		for (int t = 0; t < ZS_MIGRATE_TYPES; t++) {
			const struct zs_list *l = &z->free_area[k].list[t];

			if (!zs_list_ends_ok(m->pages, m->nr_pages, l, (uint8_t)(ZS_LST_BUDDY + t)) ||
			    (l->count && (!(m->pages[l->head].flags & ZS_PG_BUDDY) ||
					  m->pages[l->head].order != k)))
				return zs_error_set(err, EX_SOFTWARE,
						    "%s: order %d type %d free list of %u blocks has bad ends",
						    z->name, k, t, l->count);
			if (l->count != z->nr_free_mt[k][t])
				return zs_error_set(err, EX_SOFTWARE,
						    "%s: order %d type %d nr_free_mt wrong", z->name, k, t);
			blocks += l->count;
		}
		if (blocks != z->free_area[k].nr_free)
			return zs_error_set(err, EX_SOFTWARE, "%s: order %d nr_free %u, lists hold %u",
					    z->name, k, z->free_area[k].nr_free, blocks);
		free_pages += (uint64_t)blocks << k;
	}
	if (free_pages != z->free_pages)
		return zs_error_set(err, EX_SOFTWARE, "%s: free_pages %llu, lists hold %llu", z->name,
				    (unsigned long long)z->free_pages,
				    (unsigned long long)free_pages);
	return 0;
}
