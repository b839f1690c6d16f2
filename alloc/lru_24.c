/*
 * lru_24.c - the 2.4.0 LRU lists and page aging, the swap cache and the
 * dirty-buffer list, and the ops through which workload pages enter and are
 * used (page_added, touch, dirty, swap_cache_find, swap_free).
 *
 * Lists: active and inactive_dirty are global, inactive_clean is per zone;
 * every add inserts at the head (list_add), scanners take the tail.  Each list
 * move keeps nr_active_pages / nr_inactive_dirty_pages / zone counters in step
 * (include/linux/swap.h add_page_to_*_list, del_page_from_*_list).
 *
 * Invariant: a page's list tag, ZS_PG_LRU and ZS_PG_ACTIVE agree (zs24_check).
 */
#include <stdlib.h>

#include "alloc/policy_24.h"

#include "alloc/pagemap.h"
#include "alloc/swap.h"

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
	/* KERNEL: 2.4.0 mm/swap.c deactivate_page_nolock(): cache + caller (+ buffers) */
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

/* ---- swap cache (mm/swap_state.c) ---- */

void
zs24_swapcache_add(struct z24 *s, uint32_t pfn, uint32_t slot)
{
	ZS_BUG_ON(slot >= s->nr_slots || s->swapcache[slot] != ZS_NIL);
	s->swapcache[slot] = pfn;
	z24_pg(s, pfn)->flags |= ZS_PG_SWAPCACHE;
	z24_pg(s, pfn)->aux = slot;
	s->swapcache_pages++;
}

void
zs24_swapcache_del(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	ZS_BUG_ON(!(p->flags & ZS_PG_SWAPCACHE) || s->swapcache[p->aux] != pfn);
	s->swapcache[p->aux] = ZS_NIL;
	p->flags &= ~ZS_PG_SWAPCACHE;
	p->aux = ZS_NIL;
	s->swapcache_pages--;
}

/* ---- dirty buffers (fs/buffer.c BUF_DIRTY lru, oldest first) ---- */

int
zs24_dirty_live(const struct z24 *s, uint64_t seq)
{
	const struct z24_dirty *e = Z24_DIRTY_AT(s, seq);
	const struct zs_page *p = &s->m->pages[e->pfn];

	return (p->flags & Z24_PG_BUFDIRTY) && p->aux == e->ticket;
}

void
zs24_mark_buffer_dirty(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	p->flags |= Z24_PG_BUFFERS;
	if (p->flags & Z24_PG_BUFDIRTY)
		return; /* KERNEL: 2.4.0 fs/buffer.c mark_buffer_dirty(): only clean -> dirty */
	p->flags |= Z24_PG_BUFDIRTY;
	/* drop stale entries at the head before deciding the ring is full */
	while (s->dhead < s->dtail && !zs24_dirty_live(s, s->dhead))
		s->dhead++;
	if (s->dtail - s->dhead == s->dcap) {
		/* amortised doubling; the ring holds at most the dirtyings of age_buffer */
		struct z24_dirty *n = malloc(2 * s->dcap * sizeof(*n));

		ZS_BUG_ON(!n);
		for (uint64_t q = s->dhead; q < s->dtail; q++)
			n[q & (2 * s->dcap - 1)] = *Z24_DIRTY_AT(s, q);
		free(s->dring);
		s->dring = n;
		s->dcap *= 2;
	}
	/* KERNEL: 2.4.0 fs/buffer.c __mark_dirty(): b_flushtime = jiffies + age_buffer,
	 * refile_buffer() puts it at the tail of BUF_DIRTY */
	struct z24_dirty *e = Z24_DIRTY_AT(s, s->dtail);
	e->pfn = pfn;
	e->ticket = (uint32_t)s->dtail;
	e->flushtime = zs_now(s->vm->engine) + s->tun.age_buffer_ns;
	p->aux = e->ticket;
	s->dtail++;
	s->nr_dirty++;
	/* KERNEL: 2.4.0 fs/buffer.c mark_buffer_dirty() -> balance_dirty() */
	zs24_balance_dirty(s);
}

void
zs24_buffer_clean(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	if (!(p->flags & Z24_PG_BUFDIRTY))
		return;
	/* its ring entry goes stale: list_del without touching the ring */
	p->flags &= ~Z24_PG_BUFDIRTY;
	p->aux = ZS_NIL;
	s->nr_dirty--;
}

/* ---- the workload's view ---- */

void
zs24_page_added(struct zs_vm *vm, uint32_t pfn)
{
	struct z24 *s = zs24_state(vm);
	struct zs_page *p = z24_pg(s, pfn);

	if (p->order != 0 && p->kind != ZS_KIND_KERNEL) {
		/* DEVIATION: the 2.4 LRU holds single pages; a multi-page block of a
		 * reclaimable kind is treated as unreclaimable kernel memory. */
		return;
	}
	switch (p->kind) {
	case ZS_KIND_ANON: {
		struct zs_binding *b = zs_vm_page_binding(vm, pfn);

		/* KERNEL: 2.4.0 mm/memory.c do_anonymous_page(): a write fault maps a
		 * dirty, young PTE; the page is on no LRU list */
		p->flags |= ZS_PG_MAPPED | ZS_PG_YOUNG;
		if (p->flags & ZS_PG_SWAPCACHE)
			break; /* a swap-cache hit the driver rebound (swap_cache_find) */
		if (b && b->slot != UINT32_MAX && b->slot < s->nr_slots &&
		    s->swapcache[b->slot] == ZS_NIL) {
			/* KERNEL: 2.4.0 mm/memory.c do_swap_page() + read_swap_cache():
			 * the page read back stays in the swap cache and keeps its slot */
			zs24_swapcache_add(s, pfn, b->slot);
			zs24_lru_cache_add(s, pfn);
		} else {
			p->flags |= Z24_PG_PTEDIRTY;
		}
		break;
	}
	case ZS_KIND_FILE_CLEAN:
		/* KERNEL: 2.4.0 mm/filemap.c add_to_page_cache() -> lru_cache_add();
		 * block_read_full_page() leaves clean buffers attached */
		p->flags |= Z24_PG_CACHE | Z24_PG_BUFFERS;
		s->page_cache_size++;
		zs24_lru_cache_add(s, pfn);
		break;
	case ZS_KIND_FILE_DIRTY:
		/* KERNEL: 2.4.0 mm/filemap.c generic_file_write(): new cache page,
		 * dirty buffers, and deactivate_page() after a full-page copy */
		p->flags |= Z24_PG_CACHE | Z24_PG_BUFFERS;
		s->page_cache_size++;
		zs24_lru_cache_add(s, pfn);
		zs24_mark_buffer_dirty(s, pfn);
		zs24_deactivate_page(s, pfn);
		break;
	case ZS_KIND_BUFFER:
		/* KERNEL: 2.4.0 fs/buffer.c grow_buffers(): buffer page, lru_cache_add */
		p->flags |= Z24_PG_BUFFERS;
		s->buffermem_pages++;
		zs24_lru_cache_add(s, pfn);
		break;
	default:
		break; /* kernel memory: never reclaimable */
	}
}

/* The page-cache lookup of a hit: age up, and the kswapd kick test. */
static void
find_page(struct z24 *s, uint32_t pfn)
{
	/* KERNEL: 2.4.0 mm/filemap.c __find_page_nolock(): age_page_up + wakeup_kswapd(0) */
	zs24_age_page_up(s, pfn);
	if (zs24_kick_test(s))
		zs24_wakeup_kswapd(s);
}

void
zs24_touch(struct zs_vm *vm, uint32_t pfn)
{
	struct z24 *s = zs24_state(vm);
	struct zs_page *p = z24_pg(s, pfn);

	if (p->flags & ZS_PG_MAPPED) {
		p->flags |= ZS_PG_YOUNG; /* the MMU sets the accessed bit */
		return;
	}
	switch (p->kind) {
	case ZS_KIND_FILE_CLEAN:
	case ZS_KIND_FILE_DIRTY:
		if (p->flags & Z24_PG_CACHE)
			find_page(s, pfn);
		break;
	case ZS_KIND_BUFFER:
		/* KERNEL: 2.4.0 fs/buffer.c getblk() -> touch_buffer(): SetPageReferenced */
		p->flags |= ZS_PG_REFERENCED;
		break;
	default:
		break;
	}
}

void
zs24_dirty(struct zs_vm *vm, uint32_t pfn)
{
	struct z24 *s = zs24_state(vm);
	struct zs_page *p = z24_pg(s, pfn);

	if (p->flags & ZS_PG_MAPPED) {
		p->flags |= ZS_PG_YOUNG | Z24_PG_PTEDIRTY; /* the MMU sets accessed + dirty */
		return;
	}
	switch (p->kind) {
	case ZS_KIND_FILE_CLEAN:
	case ZS_KIND_FILE_DIRTY:
		if (!(p->flags & Z24_PG_CACHE))
			break;
		/* KERNEL: 2.4.0 mm/filemap.c generic_file_write(): lookup, copy,
		 * commit_write marks the buffers dirty, deactivate after a full page */
		find_page(s, pfn);
		zs24_mark_buffer_dirty(s, pfn);
		zs24_deactivate_page(s, pfn);
		break;
	case ZS_KIND_BUFFER:
		p->flags |= ZS_PG_REFERENCED;
		zs24_mark_buffer_dirty(s, pfn);
		break;
	default:
		break;
	}
}

uint32_t
zs24_swap_cache_find(struct zs_vm *vm, uint32_t slot)
{
	struct z24 *s = zs24_state(vm);

	if (slot >= s->nr_slots || s->swapcache[slot] == ZS_NIL)
		return ZS_NIL;
	uint32_t pfn = s->swapcache[slot];
	struct zs_page *p = z24_pg(s, pfn);

	if (p->flags & Z24_PG_FREEPEND)
		return ZS_NIL;
	/* KERNEL: 2.4.0 mm/swap_state.c lookup_swap_cache() -> find_get_page() (ages
	 * the page up), then do_swap_page() maps it again with a clean PTE */
	find_page(s, pfn);
	p->flags |= ZS_PG_MAPPED | ZS_PG_YOUNG;
	p->flags &= ~Z24_PG_PTEDIRTY;
	return pfn;
}

void
zs24_swap_free(struct zs_vm *vm, uint32_t slot)
{
	struct z24 *s = zs24_state(vm);

	if (slot >= s->nr_slots)
		return;
	uint32_t pfn = s->swapcache[slot];

	if (pfn != ZS_NIL) {
		/* KERNEL: 2.4.0 mm/swapfile.c free_swap_and_cache(): the last user of the
		 * entry is gone, so the swap-cache page goes too */
		struct zs_page *p = z24_pg(s, pfn);

		zs24_swapcache_del(s, pfn);
		zs24_lru_del(s, pfn);
		p->flags &= ~(ZS_PG_DIRTY | ZS_PG_MAPPED);
		if (p->flags & (ZS_PG_LOCKED | ZS_PG_WRITEBACK))
			p->flags |= Z24_PG_FREEPEND; /* freed when its I/O completes */
		else
			zs24_free_pages_ok(s, pfn, 0);
	}
	zs_swap_put(&vm->swap, slot);
}
