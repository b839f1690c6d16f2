/*
 * reclaim_26.c - ENTRY POINTS of 2.6 page reclaim, with honest stand-ins
 * until the real LRU (shrink_zone / shrink_list / split LRU) lands.
 *
 * DEVIATION: stand-in reclaim.  Each zone keeps ONE inactive list of clean
 * page-cache pages (ZS_KIND_FILE_CLEAN blocks of order 0, added by
 * page_added at the head).  shrink_zone takes pages from the tail: a page
 * referenced since it was added (touch) or dirtied is rotated to the head
 * with its reference cleared (second chance); any other page is unbound from
 * its owner (EVICTED: a later touch reads it back) and freed COLD to the
 * reclaiming CPU's pcp, as shrink_page_list's pagevec does.  No anonymous
 * pages, no swap, no writeback, no active list, no priorities, no slab.
 * Each page scanned costs `reclaim_scan_ns` of the reclaiming thread's CPU.
 *
 * Invariant: a page is on its zone's inactive list iff it has ZS_PG_LRU and
 * list tag ZS26_LST_INACTIVE.
 */
#include "alloc/policy_26.h"

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

uint64_t
zs26_shrink_zone(struct zs_vm *vm, struct zs_zone *z, uint64_t nr, unsigned cpu,
		 uint64_t *scanned)
{
	struct zs_page *pages = vm->machine->pages;
	struct zs_list *l = &zs26_zone(z)->inactive;
	uint64_t reclaimed = 0, scan = 0, max_scan = l->count;

	/* DEVIATION: stand-in for shrink_zone(); one pass over the list at most */
	while (reclaimed < nr && scan < max_scan && l->count) {
		uint32_t pfn = l->tail;
		struct zs_page *p = &pages[pfn];

		scan++;
		if (p->flags & (ZS_PG_REFERENCED | ZS_PG_DIRTY)) {
			p->flags &= ~ZS_PG_REFERENCED;
			zs_list_move(pages, l, l, pfn, ZS26_LST_INACTIVE);
			continue;
		}
		zs_list_del(pages, l, pfn);
		p->flags &= ~(ZS_PG_LRU | ZS_PG_REFERENCED | ZS_PG_ACTIVE);
		/* the owner loses the page: a clean file page is simply dropped */
		zs_vm_unbind_page(vm, pfn, UINT32_MAX);
		/* KERNEL: 2.6.18 mm/vmscan.c shrink_page_list(): freed through a cold pagevec */
		zs26_free_hot_cold(vm, z, pfn, cpu, 1);
		reclaimed++;
	}
	zs26_zone(z)->pgsteal += reclaimed;
	*scanned += scan;
	return reclaimed;
}

uint64_t
zs26_try_to_free_pages(struct zs_vm *vm, struct zs_alloc_req *req, const int *zl, int nzl)
{
	struct zs26 *k = zs26_of(vm);
	uint64_t reclaimed = 0, scanned = 0;
	unsigned cpu = req->cpu % (unsigned)vm->machine->nr_cpus;

	/* KERNEL: 2.6.32 mm/vmscan.c try_to_free_pages(): count_vm_event(ALLOCSTALL) */
	k->allocstall++;
	/* DEVIATION: one pass over the zonelist until SWAP_CLUSTER_MAX pages are freed */
	for (int i = 0; i < nzl && reclaimed < ZS26_SWAP_CLUSTER_MAX; i++) {
		struct zs_zone *z = &vm->machine->zones[zl[i]];
		uint64_t s = 0;

		reclaimed += zs26_shrink_zone(vm, z, ZS26_SWAP_CLUSTER_MAX - reclaimed, cpu, &s);
		zs26_zone(z)->pgscan_direct += s;
		scanned += s;
	}
	zs_time_t cost = (zs_time_t)scanned * k->reclaim_scan_ns;

	k->direct_reclaim_ns += cost;
	if (req->thread && cost)
		zs_thread_charge(req->thread, cost);
	return reclaimed;
}
