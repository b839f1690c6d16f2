/*
 * swap_state.c - the 2.4.0 swap cache (mm/swap_state.c add_to_swap_cache /
 * __delete_from_swap_cache, indexed by slot) and an owner's release of its
 * reference to a slot (the ops->swap_free hook; mm/swapfile.c swap_free): the
 * slot is free once neither a PTE (binding) nor the swap cache holds it.
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

	if (pfn != ZS_NIL && !(z24_pg(s, pfn)->flags & ZS_PG_BOUND)) {
		/* KERNEL: 2.4.0 mm/memory.c free_pte() -> mm/swapfile.c swap_free(): the
		 * owner drops only its own reference to the entry.  The swap cache holds
		 * the other, so the page stays cached and on its list (page_launder still
		 * writes it when dirty) until reclaim_page's __delete_from_swap_cache
		 * drops the last reference and frees the slot. */
		z24_pg(s, pfn)->flags |= Z24_PG_NOPTE;
		return;
	}
	zs_swap_put(&vm->swap, slot);
}
