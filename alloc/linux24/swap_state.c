/*
 * swap_state.c - the 2.4.0 swap cache (mm/swap_state.c add_to_swap_cache /
 * __delete_from_swap_cache, indexed by slot) and the release of a slot whose
 * last user is gone (the ops->swap_free hook; mm/swapfile.c swap_free).
 *
 * Invariant: swapcache[slot] == pfn  <=>  the page has ZS_PG_SWAPCACHE and
 * page->aux == slot.
 */
#include "alloc/linux24/model.h"

#include "alloc/swap.h"

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
