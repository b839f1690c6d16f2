/*
 * vmscan_2618.c - the 2.6.18 halves of mm/vmscan.c that 2.6.28 replaced:
 * shrink_zone() with its nr_scan_active / nr_scan_inactive accumulators and
 * shrink_active_list() with the reclaim_mapped (swap_tendency) decision.
 * One active/inactive pair per zone (lru[ZS26_LRU_ACTIVE/INACTIVE]).
 */
#include "alloc/linux26/model.h"

int
zs26_reclaim_mapped(uint64_t mapped_pages, uint64_t vm_total_pages, int prev_priority,
		    int swappiness)
{
	/* KERNEL: 2.6.18 mm/vmscan.c shrink_active_list(): distress from prev_priority only */
	long distress = 100 >> prev_priority;
	long mapped_ratio = (long)(mapped_pages * 100 / (vm_total_pages ? vm_total_pages : 1));
	long swap_tendency = mapped_ratio / 2 + distress + swappiness;

	return swap_tendency >= 100;
}

void
zs26_shrink_active_list_2618(struct zs_vm *vm, struct zs_zone *z, uint64_t nr,
			     struct zs26_sc *sc)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;
	struct zs_page *pages = vm->machine->pages;
	struct zs_list hold = ZS_LIST_INIT, l_active = ZS_LIST_INIT, l_inactive = ZS_LIST_INIT;
	uint64_t pgscanned, moved = 0;
	int reclaim_mapped = 0;
	uint32_t pfn;

	if (sc->may_swap)
		reclaim_mapped = zs26_reclaim_mapped(sc->nr_mapped_zero
							     ? 0
							     : k->rc.nr_file_mapped + k->rc.nr_anon_pages,
						     k->rc.vm_total_pages, lv->prev_priority,
						     sc->swappiness);
	zs26_lru_add_drain(vm, sc->cpu);
	zs26_isolate_lru_pages(vm, z, nr, ZS26_LRU_ACTIVE, &hold, &pgscanned, 0, 1);
	lv->pages_scanned += pgscanned;
	sc->work += pgscanned;
	/* oldest first; list_add builds l_active / l_inactive newest-oldest reversed */
	while ((pfn = zs_list_pop_tail(pages, &hold)) != ZS_NIL) {
		struct zs_page *p = &pages[pfn];
		int ex, lk;

		if (p->flags & ZS_PG_MAPPED) {
			if (!reclaim_mapped ||
			    (vm->swap.nr_slots == 0 && (p->flags & ZS26_PG_ANON)) ||
			    zs26_page_referenced(vm, pfn, &ex, &lk)) {
				zs_list_add(pages, &l_active, pfn, ZS26_LST_ISOLATED);
				continue;
			}
		}
		zs_list_add(pages, &l_inactive, pfn, ZS26_LST_ISOLATED);
	}
	/* KERNEL: 2.6.18 shrink_active_list(): lru_to_page + list_move to each list's head */
	while ((pfn = zs_list_pop_tail(pages, &l_inactive)) != ZS_NIL) {
		pages[pfn].flags &= ~ZS_PG_ACTIVE;
		zs26_add_page_to_lru(vm, pfn, ZS26_LRU_INACTIVE);
		moved++;
	}
	while ((pfn = zs_list_pop_tail(pages, &l_active)) != ZS_NIL)
		zs26_add_page_to_lru(vm, pfn, ZS26_LRU_ACTIVE);
	lv->pgrefill += pgscanned;
	k->rc.pgdeactivate += moved;
}

uint64_t
zs26_shrink_zone_2618(struct zs_vm *vm, struct zs_zone *z, int priority, struct zs26_sc *sc)
{
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;
	uint64_t nr_active, nr_inactive, nr_reclaimed = 0;

	/* KERNEL: 2.6.18 mm/vmscan.c shrink_zone(): "+1" so tiny lists are sifted slowly */
	lv->nr_scan_active += (lv->lru[ZS26_LRU_ACTIVE].count >> priority) + 1;
	nr_active = lv->nr_scan_active;
	if (nr_active >= ZS26_SWAP_CLUSTER_MAX)
		lv->nr_scan_active = 0;
	else
		nr_active = 0;
	lv->nr_scan_inactive += (lv->lru[ZS26_LRU_INACTIVE].count >> priority) + 1;
	nr_inactive = lv->nr_scan_inactive;
	if (nr_inactive >= ZS26_SWAP_CLUSTER_MAX)
		lv->nr_scan_inactive = 0;
	else
		nr_inactive = 0;
	while (nr_active || nr_inactive) {
		if (nr_active) {
			uint64_t n = nr_active < ZS26_SWAP_CLUSTER_MAX ? nr_active : ZS26_SWAP_CLUSTER_MAX;

			nr_active -= n;
			zs26_shrink_active_list_2618(vm, z, n, sc);
		}
		if (nr_inactive) {
			uint64_t n = nr_inactive < ZS26_SWAP_CLUSTER_MAX ? nr_inactive
									 : ZS26_SWAP_CLUSTER_MAX;

			nr_inactive -= n;
			nr_reclaimed += zs26_shrink_inactive_list(vm, z, n, sc, priority, 0);
		}
	}
	zs26_throttle_vm_writeout(vm, sc);
	return nr_reclaimed;
}
