/*
 * swap.c - putting pages on and taking them off the 2.6 LRU (mm/swap.c
 * lru_cache_add, and the del_page_from_lru of include/linux/mm_inline.h);
 * today the stand-in single inactive list of clean page cache that
 * vmscan.c's stand-in reclaim scans.
 *
 * Invariant: a page is on its zone's inactive list iff it has ZS_PG_LRU and
 * list tag ZS26_LST_INACTIVE.
 */
#include "alloc/linux26/model.h"

void
zs26_lru_add(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];
	struct zs_zone *z = zs_pfn_zone(vm->machine, pfn);

	/* KERNEL: 2.6.18 mm/swap.c lru_cache_add() (stand-in: clean cache only) */
	if (p->kind != ZS_KIND_FILE_CLEAN || p->order != 0 || p->list != ZS_LST_NONE)
		return;
	p->flags |= ZS_PG_LRU;
	p->flags &= ~(ZS_PG_REFERENCED | ZS_PG_ACTIVE);
	zs_list_add(vm->machine->pages, &zs26_zone(z)->inactive, pfn, ZS26_LST_INACTIVE);
}

void
zs26_lru_del(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if (p->list != ZS26_LST_INACTIVE)
		return;
	zs_list_del(vm->machine->pages, &zs26_zone(zs_pfn_zone(vm->machine, pfn))->inactive, pfn);
	p->flags &= ~(ZS_PG_LRU | ZS_PG_REFERENCED | ZS_PG_ACTIVE);
}
