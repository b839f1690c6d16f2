/*
 * swap.c - the 2.4.0 LRU lists and page aging (mm/swap.c of 2.4.0 and the
 * list macros of include/linux/swap.h): age_page_up / age_page_down,
 * activate_page, deactivate_page, lru_cache_add / __lru_cache_del, and
 * memory_pressure's derived inactive_target with its recalculate_vm_stats
 * decay.
 *
 * Lists: active and inactive_dirty are global, inactive_clean is per zone;
 * every add inserts at the head (list_add), scanners take the tail.  Each list
 * move keeps nr_active_pages / nr_inactive_dirty_pages / zone counters in step
 * (include/linux/swap.h add_page_to_*_list, del_page_from_*_list).
 *
 * Invariant: a page's list tag, ZS_PG_LRU and ZS_PG_ACTIVE agree (zs24_check).
 */
#include "alloc/linux24/model.h"

/* ---- list moves (include/linux/swap.h) ---- */

void
zs24_add_to_active(struct z24 *s, uint32_t pfn)
{
	/* KERNEL: 2.4.0 include/linux/swap.h add_page_to_active_list() */
	zs_list_add(s->m->pages, &s->active, pfn, Z24_LST_ACTIVE);
	z24_pg(s, pfn)->flags |= ZS_PG_LRU | ZS_PG_ACTIVE;
}

void
zs24_add_to_inactive_dirty(struct z24 *s, uint32_t pfn)
{
	/* KERNEL: 2.4.0 include/linux/swap.h add_page_to_inactive_dirty_list() */
	zs_list_add(s->m->pages, &s->inactive_dirty, pfn, Z24_LST_INACTIVE_DIRTY);
	z24_zone_of(s, pfn)->inactive_dirty_pages++;
	z24_pg(s, pfn)->flags = (z24_pg(s, pfn)->flags | ZS_PG_LRU) & ~ZS_PG_ACTIVE;
}

void
zs24_add_to_inactive_clean(struct z24 *s, uint32_t pfn)
{
	/* KERNEL: 2.4.0 include/linux/swap.h add_page_to_inactive_clean_list() */
	zs_list_add(s->m->pages, &z24_zone_of(s, pfn)->inactive_clean, pfn, Z24_LST_INACTIVE_CLEAN);
	s->nr_inactive_clean++;
	z24_pg(s, pfn)->flags = (z24_pg(s, pfn)->flags | ZS_PG_LRU) & ~ZS_PG_ACTIVE;
}

void
zs24_lru_del(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	switch (p->list) {
	case Z24_LST_ACTIVE:
		zs_list_del(s->m->pages, &s->active, pfn);
		break;
	case Z24_LST_INACTIVE_DIRTY:
		zs_list_del(s->m->pages, &s->inactive_dirty, pfn);
		z24_zone_of(s, pfn)->inactive_dirty_pages--;
		break;
	case Z24_LST_INACTIVE_CLEAN:
		zs_list_del(s->m->pages, &z24_zone_of(s, pfn)->inactive_clean, pfn);
		s->nr_inactive_clean--;
		break;
	default:
		ZS_BUG_ON(p->list != ZS_LST_NONE);
		return;
	}
	p->flags &= ~(ZS_PG_LRU | ZS_PG_ACTIVE);
}

/* ---- aging (mm/swap.c) ---- */

unsigned
zs24_page_count(const struct zs_page *p)
{
	unsigned c = 0;

	if (p->flags & (Z24_PG_CACHE | ZS_PG_SWAPCACHE))
		c++; /* the page cache's or swap cache's reference */
	if (p->flags & ZS_PG_MAPPED)
		c++; /* one PTE */
	if (p->flags & Z24_PG_BUFFERS)
		c++; /* the buffer heads */
	return c;
}

void
zs24_activate_page(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	/* KERNEL: 2.4.0 mm/swap.c activate_page_nolock(): pages on no list stay there */
	if (p->list == Z24_LST_INACTIVE_DIRTY || p->list == Z24_LST_INACTIVE_CLEAN) {
		zs24_lru_del(s, pfn);
		zs24_add_to_active(s, pfn);
	}
	if (p->age < Z24_PAGE_AGE_START)
		p->age = Z24_PAGE_AGE_START;
}

void
zs24_age_page_up(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	/* KERNEL: 2.4.0 mm/swap.c age_page_up() */
	if (!p->age)
		zs24_activate_page(s, pfn);
	p->age = (uint8_t)(p->age + Z24_PAGE_AGE_ADV > Z24_PAGE_AGE_MAX ? Z24_PAGE_AGE_MAX
									: p->age + Z24_PAGE_AGE_ADV);
}

void
zs24_deactivate_page(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);
	/* KERNEL: 2.4.0 mm/swap.c deactivate_page_nolock(): cache + caller (+ buffers).
	 * DEVIATION: swap-cache pages carry no buffer heads here (the kernel's keep
	 * those of their last I/O), so their limit is 2, not 3; they meet either
	 * limit the same way, so the same pages move. */
	unsigned maxcount = (p->flags & Z24_PG_BUFFERS) ? 3 : 2;

	p->age = 0;
	p->flags &= ~ZS_PG_REFERENCED;
	/* SUBTLE: the caller's extra reference is the "+ 1"; refill_inactive_scan
	 * checks its stricter test first, so the sum qualifies there too. */
	if (p->list == Z24_LST_ACTIVE && zs24_page_count(p) + 1 <= maxcount) {
		zs24_lru_del(s, pfn);
		zs24_add_to_inactive_dirty(s, pfn);
	}
}

void
zs24_age_page_down(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	/* KERNEL: 2.4.0 mm/swap.c age_page_down(): exponential decline */
	p->age /= 2;
	if (!p->age)
		zs24_deactivate_page(s, pfn);
}

void
zs24_lru_cache_add(struct z24 *s, uint32_t pfn)
{
	/* KERNEL: 2.4.0 mm/swap.c lru_cache_add() */
	zs24_add_to_active(s, pfn);
	if (!z24_pg(s, pfn)->age)
		zs24_deactivate_page(s, pfn);
}

/* ---- memory_pressure and inactive_target ---- */

/* KERNEL: 2.4.0 mm/swap.c recalculate_vm_stats(): one second's worth decays */
void
zs24_recalculate_vm_stats(struct z24 *s)
{
	s->memory_pressure -= s->memory_pressure >> Z24_INACTIVE_SHIFT;
}
