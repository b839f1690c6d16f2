/*
 * vmscan.c - the part of mm/vmscan.c that 2.6.18 and 2.6.32 share, with
 * their deltas marked: isolate_lru_pages (lumpy in 2.6.32), shrink_page_list
 * and pageout, shrink_inactive_list, and the CPU cost of scanning.
 * shrink_active_list and shrink_zone differ too much and live in
 * vmscan_2618.c and vmscan_2632.c.
 *
 * Reclaim runs to completion inside one simulated instant: nothing else
 * happens between isolating a batch and putting its survivors back.
 * DEVIATION: so 2.6.32's too_many_isolated() can never hold (it is computed
 * and asserted false), the lumpy synchronous second pass that waits for
 * writeback is not run, pages are never found locked, and there are no
 * buffer heads (try_to_release_page always succeeds).
 */
#include "alloc/linux26/model.h"

static struct zs26_lruvec *
lv_of(struct zs_zone *z)
{
	return &zs26_zone(z)->lru;
}

zs_time_t
zs26_charge_scan(struct zs_vm *vm, struct zs_thread *t, uint64_t scanned, int kswapd)
{
	struct zs26 *k = zs26_of(vm);
	/*
	 * At least one page's worth per pass; a kswapd pass costs at least 1 ns
	 * even with reclaim_scan_ns 0, so its loop_again always moves the clock
	 * (direct reclaim's loop is bounded by its 13 priorities).
	 */
	zs_time_t cost = (zs_time_t)(scanned ? scanned : 1) * k->reclaim_scan_ns;

	if (kswapd && cost < 1)
		cost = 1;

	if (!kswapd)
		k->direct_reclaim_ns += cost;
	if (t && cost)
		zs_thread_charge(t, cost);
	return cost;
}

/* __isolate_lru_page()'s mode test for a lumpy neighbour (2.6.32). */
static int
isolate_ok(struct zs_vm *vm, const struct zs_page *p, int mode, int file)
{
	if (!(p->flags & ZS_PG_LRU) || (p->flags & ZS26_PG_UNEVICTABLE))
		return 0;
	if (mode == 2)
		return 1;
	if (!(p->flags & ZS_PG_ACTIVE) != !mode)
		return 0;
	/* page_is_file_cache() is !PageSwapBacked: a neighbour of the other type stays */
	if (zs26_of(vm)->kver == ZS_KV_2632 && !(p->flags & ZS26_PG_SWAPBACKED) != (file != 0))
		return 0;
	return 1;
}

static void
isolate_one(struct zs_vm *vm, uint32_t pfn, struct zs_list *dst)
{
	zs26_del_page_from_lru(vm, pfn);
	zs_list_add(vm->machine->pages, dst, pfn, ZS26_LST_ISOLATED);
}

uint64_t
zs26_isolate_lru_pages(struct zs_vm *vm, struct zs_zone *z, uint64_t nr, int src,
		       struct zs_list *dst, uint64_t *scanned, unsigned order, int mode)
{
	struct zs_page *pages = vm->machine->pages;
	struct zs_list *l = &lv_of(z)->lru[src];
	int file = zs26_is_file_lru(src);
	uint64_t taken = 0, scan;

	/* KERNEL: 2.6.32 mm/vmscan.c isolate_lru_pages(): from the tail, to dst's head */
	for (scan = 0; scan < nr && l->count; scan++) {
		uint32_t pfn = l->tail;

		isolate_one(vm, pfn, dst);
		taken++;
		if (!order)
			continue;
		/* lumpy: the rest of the order-aligned block around the tag page */
		uint32_t start = pfn & ~((1u << order) - 1), end = start + (1u << order);

		for (uint32_t c = start; c < end; c++) {
			const struct zs_page *cp;

			if (c == pfn || c < z->start_pfn || c >= z->start_pfn + z->spanned)
				continue;
			cp = &pages[c];
			/* no swap left: an anon page without a slot is not worth taking */
			if (vm->swap.nr_free == 0 && (cp->flags & ZS26_PG_ANON) &&
			    !(cp->flags & ZS_PG_SWAPCACHE))
				continue;
			if (!isolate_ok(vm, cp, mode, file))
				continue;
			isolate_one(vm, c, dst);
			taken++;
			scan++;
		}
	}
	*scanned = scan;
	return taken;
}

/* possible outcomes of pageout() */
enum { PAGE_KEEP, PAGE_ACTIVATE, PAGE_SUCCESS, PAGE_CLEAN };

/* may_write_to_queue(): PF_SWAPWRITE (kswapd, zone_reclaim) always; others unless congested. */
static int
may_write_to_queue(struct zs_vm *vm, const struct zs_page *p, const struct zs26_sc *sc)
{
	/* SUBTLE: swap_backing_dev_info never reports congestion ("bust", 2.6.18 pageout()) */
	if (sc->kswapd || sc->swapwrite || (p->flags & ZS_PG_SWAPCACHE))
		return 1;
	return !zs_disk_congested(&vm->disk, 1);
}

/* KERNEL: 2.6.18 mm/vmscan.c pageout() */
static int
pageout(struct zs_vm *vm, uint32_t pfn, const struct zs26_sc *sc)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	/* is_page_cache_freeable(): nobody else holds it -- true of every page here */
	if ((p->flags & ZS26_PG_ANON) && !(p->flags & ZS_PG_SWAPCACHE))
		return PAGE_KEEP; /* no mapping */
	if (!may_write_to_queue(vm, p, sc))
		return PAGE_KEEP;
	if (!(p->flags & ZS_PG_DIRTY))
		return PAGE_CLEAN; /* clear_page_dirty_for_io() found it clean */
	p->flags |= ZS26_PG_RECLAIM;
	zs26_writepage(vm, pfn);
	/* KERNEL: 2.6.32 mm/vmscan.c pageout(): NR_VMSCAN_WRITE once writepage succeeded
	 * (2.6.18 has no such counter: the model counts the same event for it) */
	zs26_of(vm)->rc.vmscan_write++;
	return PAGE_SUCCESS;
}

/* remove_mapping(): 1 when the page left the page or swap cache. */
static int
remove_mapping(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	/* page_count must be 2 (cache + isolation): a mapped page has more */
	if (p->flags & (ZS_PG_MAPPED | ZS_PG_DIRTY))
		return 0;
	if (p->flags & ZS_PG_SWAPCACHE) {
		/* the PTE (the SWAPPED binding) keeps the slot */
		zs26_delete_from_swap_cache(vm, pfn);
		return 1;
	}
	if (p->flags & ZS26_PG_ANON)
		return 0;
	/* a clean page-cache page: its reader will have to read it again */
	zs_vm_unbind_page(vm, pfn, UINT32_MAX);
	return 1;
}

uint64_t
zs26_shrink_page_list(struct zs_vm *vm, struct zs_list *l, struct zs26_sc *sc)
{
	struct zs26 *k = zs26_of(vm);
	const int v32 = k->kver == ZS_KV_2632;
	struct zs_page *pages = vm->machine->pages;
	struct zs_list ret = ZS_LIST_INIT;
	uint64_t nr_reclaimed = 0, pgactivate = 0;
	uint32_t pfn;

	/* KERNEL: 2.6.18 mm/vmscan.c shrink_page_list(); 2.6.32 deltas marked "32:" */
	while ((pfn = zs_list_pop_tail(pages, l)) != ZS_NIL) {
		struct zs_page *p = &pages[pfn];
		int referenced, may_enter_fs, vm_exec, vm_locked;

		ZS_BUG_ON(p->flags & ZS_PG_ACTIVE);
		if (p->flags & ZS_PG_LOCKED)
			goto keep;
		sc->nr_scanned++;
		/* 32: an mlocked page is culled to the unevictable list */
		if (v32 && !zs26_page_evictable(vm, p))
			goto cull_mlocked;
		if (!(v32 ? sc->may_unmap : sc->may_swap) && (p->flags & ZS_PG_MAPPED))
			goto keep;
		/* double the slab pressure for mapped and swap-cache pages */
		if (p->flags & (ZS_PG_MAPPED | ZS_PG_SWAPCACHE))
			sc->nr_scanned++;
		if (p->flags & ZS_PG_WRITEBACK)
			goto keep;
		referenced = zs26_page_referenced(vm, pfn, &vm_exec, &vm_locked);
		/* in active use or really unfreeable: activate it */
		if (referenced && zs26_page_mapping_inuse(vm, p) &&
		    (!v32 || (sc->order <= ZS26_COSTLY_ORDER && !vm_locked)))
			goto activate;
		/* anonymous memory gets a swap slot here */
		if ((p->flags & ZS26_PG_ANON) && !(p->flags & ZS_PG_SWAPCACHE)) {
			if (v32 && !(sc->gfp_mask & GFP26_IO))
				goto keep;
			if (!zs26_add_to_swap(vm, pfn))
				goto activate;
		}
		may_enter_fs = (sc->gfp_mask & GFP26_FS) ||
			       ((p->flags & ZS_PG_SWAPCACHE) && (sc->gfp_mask & GFP26_IO));
		if (p->flags & ZS_PG_MAPPED) {
			switch (zs26_try_to_unmap(vm, pfn)) {
			case ZS26_SWAP_FAIL:
				goto activate;
			case ZS26_SWAP_AGAIN:
				goto keep;
			case ZS26_SWAP_MLOCK:
				goto cull_mlocked;
			default:
				break;
			}
		}
		if (p->flags & ZS_PG_DIRTY) {
			if (referenced && (!v32 || sc->order <= ZS26_COSTLY_ORDER))
				goto keep;
			if (!may_enter_fs || !sc->may_writepage)
				goto keep;
			switch (pageout(vm, pfn, sc)) {
			case PAGE_KEEP:
				goto keep;
			case PAGE_ACTIVATE:
				goto activate;
			case PAGE_SUCCESS:
				/* the write is asynchronous: the page is under writeback now */
				goto keep;
			default:
				break; /* PAGE_CLEAN: try to free it below */
			}
		}
		if (!remove_mapping(vm, pfn))
			goto keep;
		nr_reclaimed++;
		/* freed through a cold pagevec (__pagevec_release_nonlru / __pagevec_free) */
		zs26_release_page(vm, pfn, sc->cpu, 1);
		continue;
cull_mlocked:
		if (p->flags & ZS_PG_SWAPCACHE)
			zs26_try_to_free_swap(vm, pfn);
		zs26_putback_lru_page(vm, pfn);
		continue;
activate:
		/* 32: not a candidate for swapping, so reclaim its swap space */
		if (v32 && (p->flags & ZS_PG_SWAPCACHE) && zs26_vm_swap_full(vm))
			zs26_try_to_free_swap(vm, pfn);
		p->flags |= ZS_PG_ACTIVE;
		pgactivate++;
keep:
		zs_list_add(pages, &ret, pfn, ZS26_LST_ISOLATED);
	}
	*l = ret;
	zs26_submit_writes(vm);
	k->rc.pgactivate += pgactivate;
	return nr_reclaimed;
}

/* Survivors back on their lists, oldest first so the list order is kept. */
static void
putback(struct zs_vm *vm, struct zs_list *l, struct zs26_lruvec *lv)
{
	struct zs26 *k = zs26_of(vm);
	uint32_t pfn;

	while ((pfn = zs_list_pop_tail(vm->machine->pages, l)) != ZS_NIL) {
		struct zs_page *p = &vm->machine->pages[pfn];
		int lru;

		if (k->kver == ZS_KV_2632 && !zs26_page_evictable(vm, p)) {
			zs26_putback_lru_page(vm, pfn);
			continue;
		}
		lru = zs26_page_lru(vm, p);
		zs26_add_page_to_lru(vm, pfn, lru);
		/* KERNEL: 2.6.32 mm/vmscan.c shrink_inactive_list(): activated pages count rotated */
		if (k->kver == ZS_KV_2632 && zs26_is_active_lru(lru))
			lv->recent_rotated[zs26_is_file_lru(lru)]++;
	}
}

/* clear_active_flags() (2.6.32): lumpy may take active pages; count by list. */
static uint64_t
clear_active_flags(struct zs_vm *vm, struct zs_list *l, uint64_t count[ZS26_NR_LRU])
{
	uint64_t nr_active = 0;

	for (uint32_t pfn = l->head; pfn != ZS_NIL; pfn = vm->machine->pages[pfn].next) {
		struct zs_page *p = &vm->machine->pages[pfn];
		int lru = zs26_page_lru(vm, p);

		if (p->flags & ZS_PG_ACTIVE) {
			p->flags &= ~ZS_PG_ACTIVE;
			nr_active++;
		}
		count[lru]++;
	}
	return nr_active;
}

uint64_t
zs26_shrink_inactive_list(struct zs_vm *vm, struct zs_zone *z, uint64_t max_scan,
			  struct zs26_sc *sc, int priority, int file)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_lruvec *lv = lv_of(z);
	const int v32 = k->kver == ZS_KV_2632;
	int src = v32 ? (file ? ZS26_LRU_INACTIVE_FILE : ZS26_LRU_INACTIVE_ANON)
		      : ZS26_LRU_INACTIVE;
	int lumpy = 0;
	uint64_t nr_scanned = 0, nr_reclaimed = 0;

	if (v32) {
		/* KERNEL: 2.6.32 mm/vmscan.c shrink_inactive_list(): too_many_isolated, lumpy */
		ZS_BUG_ON(zs26_too_many_isolated(z, file, sc));
		if (sc->order > ZS26_COSTLY_ORDER ||
		    (sc->order && priority < ZS26_DEF_PRIORITY - 2))
			lumpy = 1;
	}
	zs26_lru_add_drain(vm, sc->cpu);
	do {
		struct zs_list batch = ZS_LIST_INIT;
		uint64_t nr_scan, nr_taken, nr_freed;
		uint64_t count[ZS26_NR_LRU] = {0};

		nr_taken = zs26_isolate_lru_pages(vm, z, ZS26_SWAP_CLUSTER_MAX, src, &batch, &nr_scan,
						  v32 ? sc->order : 0, lumpy ? 2 : 0);
		lv->pages_scanned += nr_scan;
		sc->work += nr_scan;
		if (sc->kswapd)
			lv->pgscan_kswapd += nr_scan;
		else
			lv->pgscan_direct += nr_scan;
		nr_scanned += nr_scan;
		if (v32) {
			if (nr_taken == 0)
				break;
			k->rc.pgdeactivate += clear_active_flags(vm, &batch, count);
			uint64_t nr_anon = count[0] + count[1], nr_file = count[2] + count[3];

			lv->nr_isolated[0] += nr_anon;
			lv->nr_isolated[1] += nr_file;
			lv->recent_scanned[0] += nr_anon;
			lv->recent_scanned[1] += nr_file;
			nr_freed = zs26_shrink_page_list(vm, &batch, sc);
			nr_reclaimed += nr_freed;
			if (sc->kswapd)
				k->rc.kswapd_steal += nr_freed;
			lv->pgsteal += nr_freed;
			putback(vm, &batch, lv);
			lv->nr_isolated[0] -= nr_anon;
			lv->nr_isolated[1] -= nr_file;
			continue;
		}
		nr_freed = zs26_shrink_page_list(vm, &batch, sc);
		nr_reclaimed += nr_freed;
		if (sc->kswapd)
			k->rc.kswapd_steal += nr_freed;
		/*
		 * KERNEL: 2.6.18 shrink_inactive_list() counts the freed pages into
		 * PGACTIVATE (not PGSTEAL, fixed in 2.6.20): /proc/vmstat's pgsteal
		 * stays 0 on 2.6.18, and so does ours.
		 */
		k->rc.pgactivate += nr_freed;
		if (nr_taken == 0)
			break;
		putback(vm, &batch, lv);
	} while (nr_scanned < max_scan);
	return nr_reclaimed;
}

uint64_t
zs26_shrink_zone(struct zs_vm *vm, struct zs_zone *z, int priority, struct zs26_sc *sc)
{
	uint64_t r;

	if (zs26_of(vm)->kver == ZS_KV_2632)
		return zs26_shrink_zone_2632(vm, z, priority, sc); /* it keeps sc->nr_reclaimed */
	r = zs26_shrink_zone_2618(vm, z, priority, sc);
	sc->nr_reclaimed += r;
	return r;
}
