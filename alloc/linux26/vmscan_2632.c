/*
 * vmscan_2632.c - the split-LRU halves of mm/vmscan.c in 2.6.32 (from
 * 2.6.28): get_scan_ratio() with swappiness and reclaim_stat, shrink_zone()
 * over the four evictable lists with nr_saved_scan batching, shrink_list()
 * and the inactive_*_is_low tests, shrink_active_list() (referenced VM_EXEC
 * file pages stay active), too_many_isolated(), zone_reclaimable_pages(),
 * and calculate_zone_inactive_ratio() of mm/page_alloc.c.
 */
#include "alloc/linux26/model.h"

#include <string.h>

uint64_t
zs26_inactive_ratio(uint64_t present_pages)
{
	/* KERNEL: 2.6.32 mm/page_alloc.c calculate_zone_inactive_ratio() */
	uint64_t gb = present_pages >> (30 - 12);

	return gb ? zs26_int_sqrt(10 * gb) : 1;
}

int
zs26_inactive_anon_is_low(struct zs_zone *z)
{
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;

	/* KERNEL: 2.6.32 mm/vmscan.c inactive_anon_is_low_global() */
	return (uint64_t)lv->lru[ZS26_LRU_INACTIVE_ANON].count * lv->inactive_ratio <
	       lv->lru[ZS26_LRU_ACTIVE_ANON].count;
}

int
zs26_inactive_file_is_low(struct zs_zone *z)
{
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;

	/* KERNEL: 2.6.32 mm/vmscan.c inactive_file_is_low_global() */
	return lv->lru[ZS26_LRU_ACTIVE_FILE].count > lv->lru[ZS26_LRU_INACTIVE_FILE].count;
}

uint64_t
zs26_zone_reclaimable_pages(struct zs_vm *vm, struct zs_zone *z)
{
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;

	if (zs26_of(vm)->kver == ZS_KV_2618)
		return lv->lru[ZS26_LRU_ACTIVE].count + lv->lru[ZS26_LRU_INACTIVE].count;
	/* KERNEL: 2.6.32 mm/vmscan.c zone_reclaimable_pages(): anon only while swap is left */
	uint64_t nr = lv->lru[ZS26_LRU_ACTIVE_FILE].count + lv->lru[ZS26_LRU_INACTIVE_FILE].count;

	if (vm->swap.nr_free > 0)
		nr += lv->lru[ZS26_LRU_ACTIVE_ANON].count + lv->lru[ZS26_LRU_INACTIVE_ANON].count;
	return nr;
}

int
zs26_too_many_isolated(struct zs_zone *z, int file, const struct zs26_sc *sc)
{
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;

	/* KERNEL: 2.6.32 mm/vmscan.c too_many_isolated(): kswapd never waits */
	if (sc->kswapd)
		return 0;
	return lv->nr_isolated[file] >
	       lv->lru[file ? ZS26_LRU_INACTIVE_FILE : ZS26_LRU_INACTIVE_ANON].count;
}

void
zs26_get_scan_ratio(struct zs_vm *vm, struct zs_zone *z, struct zs26_sc *sc, uint64_t percent[2])
{
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;
	uint64_t anon = lv->lru[ZS26_LRU_ACTIVE_ANON].count + lv->lru[ZS26_LRU_INACTIVE_ANON].count;
	uint64_t file = lv->lru[ZS26_LRU_ACTIVE_FILE].count + lv->lru[ZS26_LRU_INACTIVE_FILE].count;
	uint64_t anon_prio, file_prio, ap, fp;

	(void)vm;
	/* KERNEL: 2.6.32 mm/vmscan.c get_scan_ratio(): almost no page cache -> anon only */
	if (file + z->free_pages <= z->pages_high) {
		percent[0] = 100;
		percent[1] = 0;
		return;
	}
	/* a floating average: halve both once scanned passes a quarter of the lists */
	if (lv->recent_scanned[0] > anon / 4) {
		lv->recent_scanned[0] /= 2;
		lv->recent_rotated[0] /= 2;
	}
	if (lv->recent_scanned[1] > file / 4) {
		lv->recent_scanned[1] /= 2;
		lv->recent_rotated[1] /= 2;
	}
	anon_prio = (uint64_t)sc->swappiness;
	file_prio = 200 - (uint64_t)sc->swappiness;
	ap = (anon_prio + 1) * (lv->recent_scanned[0] + 1) / (lv->recent_rotated[0] + 1);
	fp = (file_prio + 1) * (lv->recent_scanned[1] + 1) / (lv->recent_rotated[1] + 1);
	percent[0] = 100 * ap / (ap + fp + 1);
	percent[1] = 100 - percent[0];
}

void
zs26_shrink_active_list_2632(struct zs_vm *vm, struct zs_zone *z, uint64_t nr,
			     struct zs26_sc *sc, int priority, int file)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;
	struct zs_page *pages = vm->machine->pages;
	struct zs_list hold = ZS_LIST_INIT, l_active = ZS_LIST_INIT, l_inactive = ZS_LIST_INIT;
	int src = file ? ZS26_LRU_ACTIVE_FILE : ZS26_LRU_ACTIVE_ANON;
	uint64_t pgscanned, taken, rotated = 0, moved = 0;
	uint32_t pfn;

	(void)priority;
	zs26_lru_add_drain(vm, sc->cpu);
	taken = zs26_isolate_lru_pages(vm, z, nr, src, &hold, &pgscanned, sc->order, 1);
	lv->pages_scanned += pgscanned;
	sc->work += pgscanned;
	lv->recent_scanned[file] += taken;
	lv->pgrefill += pgscanned;
	while ((pfn = zs_list_pop_tail(pages, &hold)) != ZS_NIL) {
		struct zs_page *p = &pages[pfn];
		int exec, locked;

		if (!zs26_page_evictable(vm, p)) {
			zs26_putback_lru_page(vm, pfn);
			continue;
		}
		/* KERNEL: 2.6.32 shrink_active_list(): page_referenced clears PG_referenced */
		if (zs26_page_mapping_inuse(vm, p) && zs26_page_referenced(vm, pfn, &exec, &locked)) {
			rotated++;
			/* executable file pages get one more trip around the active list */
			if (exec && !(p->flags & ZS26_PG_SWAPBACKED)) {
				zs_list_add(pages, &l_active, pfn, ZS26_LST_ISOLATED);
				continue;
			}
		}
		p->flags &= ~ZS_PG_ACTIVE;
		zs_list_add(pages, &l_inactive, pfn, ZS26_LST_ISOLATED);
	}
	/* referenced pages of mappings in use count as rotated, even those deactivated */
	lv->recent_rotated[file] += rotated;
	/* KERNEL: 2.6.32 move_active_pages_to_lru(): lru_to_page + list_move to the head */
	while ((pfn = zs_list_pop_tail(pages, &l_active)) != ZS_NIL)
		zs26_add_page_to_lru(vm, pfn, src);
	while ((pfn = zs_list_pop_tail(pages, &l_inactive)) != ZS_NIL) {
		zs26_add_page_to_lru(vm, pfn, src - 1);
		moved++;
	}
	k->rc.pgdeactivate += moved;
}

/* shrink_list(): age an active list only when its inactive list is low. */
static uint64_t
shrink_list(struct zs_vm *vm, int lru, uint64_t nr, struct zs_zone *z, struct zs26_sc *sc,
	    int priority)
{
	int file = zs26_is_file_lru(lru);

	/* back from a sleep inside shrink_inactive_list: straight there, as it was called */
	if (sc->resume)
		return zs26_shrink_inactive_list(vm, z, sc->rf->max_scan, sc, priority,
						 sc->rf->file);
	/* KERNEL: 2.6.32 mm/vmscan.c shrink_list() */
	if (lru == ZS26_LRU_ACTIVE_FILE && zs26_inactive_file_is_low(z)) {
		zs26_shrink_active_list_2632(vm, z, nr, sc, priority, file);
		return 0;
	}
	if (lru == ZS26_LRU_ACTIVE_ANON && zs26_inactive_anon_is_low(z)) {
		zs26_shrink_active_list_2632(vm, z, nr, sc, priority, file);
		return 0;
	}
	/* SUBTLE: an active list that is not low spends its budget on the inactive list */
	return zs26_shrink_inactive_list(vm, z, nr, sc, priority, file);
}

uint64_t
zs26_shrink_zone_2632(struct zs_vm *vm, struct zs_zone *z, int priority, struct zs26_sc *sc)
{
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;
	uint64_t nr[ZS26_NR_EVICTABLE], percent[2];
	uint64_t nr_reclaimed = sc->nr_reclaimed, start = sc->nr_reclaimed;
	int noswap = 0, l0 = 0;

	if (sc->resume) {
		/* a direct reclaimer woke inside shrink_list(l0): its nr[] as it left them */
		const struct zs26_rframe *rf = sc->rf;

		memcpy(nr, rf->nr, sizeof(nr));
		l0 = rf->lru;
		start = rf->zone_start;
		goto scan;
	}
	/* KERNEL: 2.6.32 mm/vmscan.c shrink_zone(): no swap left -> file only */
	if (!sc->may_swap || vm->swap.nr_free == 0) {
		noswap = 1;
		percent[0] = 0;
		percent[1] = 100;
	} else {
		zs26_get_scan_ratio(vm, z, sc, percent);
	}
	for (int l = 0; l < ZS26_NR_EVICTABLE; l++) {
		int file = zs26_is_file_lru(l);
		uint64_t scan = lv->lru[l].count;

		if (priority || noswap) {
			scan >>= priority;
			scan = scan * percent[file] / 100;
		}
		/* nr_scan_try_batch(): small amounts wait in nr_saved_scan until 32 */
		lv->nr_saved_scan[l] += scan;
		nr[l] = lv->nr_saved_scan[l];
		if (nr[l] >= ZS26_SWAP_CLUSTER_MAX)
			lv->nr_saved_scan[l] = 0;
		else
			nr[l] = 0;
	}
scan:
	/* active anon alone does not keep the loop going */
	while (sc->resume || nr[ZS26_LRU_INACTIVE_ANON] || nr[ZS26_LRU_ACTIVE_FILE] ||
	       nr[ZS26_LRU_INACTIVE_FILE]) {
		for (int l = l0; l < ZS26_NR_EVICTABLE; l++) {
			uint64_t n = 0;

			if (!sc->resume) {
				if (!nr[l])
					continue;
				n = nr[l] < ZS26_SWAP_CLUSTER_MAX ? nr[l] : ZS26_SWAP_CLUSTER_MAX;
				nr[l] -= n;
			}
			nr_reclaimed += shrink_list(vm, l, n, z, sc, priority);
			if (sc->blocked) {
				/* asleep in it: keep the loop's state for the resumed call */
				struct zs26_rframe *rf = sc->rf;

				memcpy(rf->nr, nr, sizeof(nr));
				rf->lru = l;
				rf->zone_start = start;
				sc->nr_reclaimed = nr_reclaimed;
				return nr_reclaimed - start;
			}
		}
		l0 = 0;
		/* direct reclaim stops once it has a cluster, below the first priority */
		if (nr_reclaimed > ZS26_SWAP_CLUSTER_MAX && priority < ZS26_DEF_PRIORITY &&
		    !sc->kswapd)
			break;
	}
	sc->nr_reclaimed = nr_reclaimed;
	/* rebalance the anon lists even when anon was not scanned */
	if (zs26_inactive_anon_is_low(z) && vm->swap.nr_free > 0)
		zs26_shrink_active_list_2632(vm, z, ZS26_SWAP_CLUSTER_MAX, sc, priority, 0);
	zs26_throttle_vm_writeout(vm, sc);
	return nr_reclaimed - start;
}
