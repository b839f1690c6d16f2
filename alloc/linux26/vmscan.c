/*
 * vmscan.c - the part of mm/vmscan.c that 2.6.18 and 2.6.32 share, with
 * their deltas marked: isolate_lru_pages (lumpy in 2.6.32), shrink_page_list
 * and pageout, shrink_inactive_list, and the CPU cost of scanning.
 * shrink_active_list and shrink_zone differ too much and live in
 * vmscan_2618.c and vmscan_2632.c.
 *
 * 2.6.32's direct reclaim may sleep inside shrink_inactive_list with its
 * batch isolated: too_many_isolated()'s congestion_wait loop, the HZ/10 nap
 * before lumpy reclaim's PAGEOUT_IO_SYNC pass, and that pass's
 * wait_on_page_writeback(); the sleeper's locals are saved and resumed
 * (vmscan_isolated.c).  2.6.18 and kswapd never sleep in here.
 * DEVIATION: pages are never found locked, and there are no buffer heads
 * (try_to_release_page always succeeds).
 */
#include "alloc/linux26/model.h"

#include <string.h>

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

/* shrink_page_list()'s locals: the list being worked, ret_pages, its counts. */
struct spl {
	struct zs_list *l;
	struct zs_list ret;
	uint64_t nr_reclaimed, pgactivate;
};

/*
 * wait_on_page_writeback() in a PAGEOUT_IO_SYNC pass: the page goes back to
 * the tail of the list and the thread sleeps until end_page_writeback wakes
 * it (vmscan_isolated.c); the resumed pass takes the page again from there.
 */
static int
wait_on_page_writeback(struct zs_vm *vm, struct spl *s, uint32_t pfn, struct zs26_sc *sc,
		       int in_pageout)
{
	struct zs26_rframe *rf = zs26_rframe_get(vm, sc);

	zs26_submit_writes(vm); /* the plugged writes go out before the task sleeps */
	zs_list_add_tail(vm->machine->pages, s->l, pfn, ZS26_LST_ISOLATED);
	rf->where = ZS26_RF_SYNC;
	rf->wait_pfn = pfn;
	rf->wait_pageout = in_pageout;
	zs26_of(vm)->rc.lumpy_writeback_waits++;
	sc->blocked = 1;
	zs_thread_sleep(sc->req->thread, ZS_FOREVER);
	return 1;
}

/*
 * The loop of shrink_page_list() over s->l.  sync: the PAGEOUT_IO_SYNC pass
 * of 2.6.32 lumpy reclaim, which may sleep (returns 1, the waited page back
 * at the tail of s->l); the asynchronous pass never does.
 */
static int
shrink_page_list_io(struct zs_vm *vm, struct spl *s, struct zs26_sc *sc, int sync)
{
	struct zs26 *k = zs26_of(vm);
	const int v32 = k->kver == ZS_KV_2632;
	struct zs_page *pages = vm->machine->pages;
	struct zs26_rframe *rf = sync ? sc->rf : NULL;
	uint32_t pfn;

	/* KERNEL: 2.6.18 mm/vmscan.c shrink_page_list(); 2.6.32 deltas marked "32:" */
	while ((pfn = zs_list_pop_tail(pages, s->l)) != ZS_NIL) {
		struct zs_page *p = &pages[pfn];
		int referenced = 0, may_enter_fs, vm_exec, vm_locked;

		if (rf && rf->wait_pfn != ZS_NIL) {
			/* back from wait_on_page_writeback(pfn), the page still locked */
			int after_pageout = rf->wait_pageout, same = rf->wait_pfn == pfn;

			rf->wait_pfn = ZS_NIL;
			/* wait_on_page_writeback() returns only once PG_writeback is clear */
			if (same && (p->flags & ZS_PG_WRITEBACK))
				return wait_on_page_writeback(vm, s, pfn, sc, after_pageout);
			if (same && after_pageout)
				goto written;
			if (same)
				goto waited;
		}
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
		if (p->flags & ZS_PG_WRITEBACK) {
			/* KERNEL: 2.6.32 shrink_page_list(): the sync pass waits if it may enter the fs */
			may_enter_fs = (sc->gfp_mask & GFP26_FS) ||
				       ((p->flags & ZS_PG_SWAPCACHE) && (sc->gfp_mask & GFP26_IO));
			if (!sync || !may_enter_fs)
				goto keep;
			return wait_on_page_writeback(vm, s, pfn, sc, 0);
		}
waited:
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
				/* KERNEL: 2.6.32 pageout(): PAGEOUT_IO_SYNC waits for the write */
				if (sync && (p->flags & ZS_PG_WRITEBACK))
					return wait_on_page_writeback(vm, s, pfn, sc, 1);
written:
				/* asynchronous: the page is under writeback now */
				if (p->flags & (ZS_PG_WRITEBACK | ZS_PG_DIRTY))
					goto keep;
				break; /* the write is done: free it below */
			default:
				break; /* PAGE_CLEAN: try to free it below */
			}
		}
		if (!remove_mapping(vm, pfn))
			goto keep;
		s->nr_reclaimed++;
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
		s->pgactivate++;
keep:
		zs_list_add(pages, &s->ret, pfn, ZS26_LST_ISOLATED);
	}
	return 0;
}

uint64_t
zs26_shrink_page_list(struct zs_vm *vm, struct zs_list *l, struct zs26_sc *sc)
{
	struct spl s = {l, ZS_LIST_INIT, 0, 0};

	shrink_page_list_io(vm, &s, sc, 0);
	*l = s.ret;
	zs26_submit_writes(vm);
	zs26_of(vm)->rc.pgactivate += s.pgactivate;
	return s.nr_reclaimed;
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

/* zone->pages_scanned and the PGSCAN_KSWAPD / PGSCAN_DIRECT zone events of a batch. */
static void
count_scan(struct zs26_lruvec *lv, struct zs26_sc *sc, uint64_t nr_scan)
{
	lv->pages_scanned += nr_scan;
	sc->work += nr_scan;
	if (sc->kswapd)
		lv->pgscan_kswapd += nr_scan;
	else
		lv->pgscan_direct += nr_scan;
}

/* The thread sleeps inside shrink_inactive_list: save its locals (the batch stays isolated). */
static void
sleep_in_sil(struct zs_vm *vm, struct zs26_sc *sc, int where, zs_time_t ns,
	     const struct zs26_rframe *locals)
{
	struct zs26_rframe *rf = zs26_rframe_get(vm, sc);

	rf->where = where;
	rf->zone = locals->zone;
	rf->file = locals->file;
	rf->lumpy = locals->lumpy;
	rf->max_scan = locals->max_scan;
	rf->nr_scanned = locals->nr_scanned;
	rf->nr_reclaimed = locals->nr_reclaimed;
	rf->batch = locals->batch;
	rf->nr_taken = locals->nr_taken;
	rf->nr_freed = locals->nr_freed;
	rf->nr_iso[0] = locals->nr_iso[0];
	rf->nr_iso[1] = locals->nr_iso[1];
	sc->blocked = 1;
	if (ns)
		zs_thread_sleep(sc->req->thread, ns);
}

/* The PAGEOUT_IO_SYNC pass over x->batch; 1 when the thread sleeps in it. */
static int
sync_pass(struct zs_vm *vm, struct zs26_rframe *x, struct zs26_sc *sc, int resumed)
{
	struct zs26_rframe *rf = sc->rf;
	struct spl s = {&x->batch, ZS_LIST_INIT, 0, 0};

	if (resumed) {
		s.ret = rf->ret;
		s.nr_reclaimed = rf->spl_reclaimed;
		s.pgactivate = rf->spl_activate;
		rf->ret = (struct zs_list)ZS_LIST_INIT;
	} else if (rf) {
		rf->wait_pfn = ZS_NIL;
	}
	if (shrink_page_list_io(vm, &s, sc, 1)) {
		rf = sc->rf; /* wait_on_page_writeback made it */
		rf->ret = s.ret;
		rf->spl_reclaimed = s.nr_reclaimed;
		rf->spl_activate = s.pgactivate;
		sleep_in_sil(vm, sc, ZS26_RF_SYNC, 0, x);
		return 1;
	}
	x->batch = s.ret;
	zs26_submit_writes(vm);
	zs26_of(vm)->rc.pgactivate += s.pgactivate;
	zs26_of(vm)->rc.lumpy_sync_reclaimed += s.nr_reclaimed;
	x->nr_freed += s.nr_reclaimed;
	return 0;
}

/*
 * 2.6.32 shrink_inactive_list().  A direct reclaimer with a thread (sc->req)
 * may sleep in it; it then returns with sc->blocked set and its locals in
 * sc->rf, and is called again with sc->resume set to go on from there.
 */
static uint64_t
shrink_inactive_list_2632(struct zs_vm *vm, struct zs_zone *z, uint64_t max_scan,
			  struct zs26_sc *sc, int priority, int file)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_rframe x = {0}; /* the locals; x.batch is page_list */
	struct zs26_lruvec *lv;
	uint64_t nr_scan, count[ZS26_NR_LRU];
	int src, where = 0;

	x.zone = z;
	x.file = file;
	x.max_scan = max_scan;
	x.batch = (struct zs_list)ZS_LIST_INIT;
	if (sc->resume) {
		struct zs26_rframe *rf = sc->rf;

		/* the innermost frame: from here on the chain runs forwards again */
		sc->resume = 0;
		where = rf->where;
		x = *rf;
		z = x.zone;
		file = x.file;
		src = file ? ZS26_LRU_INACTIVE_FILE : ZS26_LRU_INACTIVE_ANON;
		rf->batch = (struct zs_list)ZS_LIST_INIT;
		rf->nr_iso[0] = rf->nr_iso[1] = 0;
		rf->where = 0;
		if (where == ZS26_RF_TMI) {
			/* KERNEL: 2.6.32 shrink_inactive_list(): about to die and free memory */
			if (sc->req->task && sc->req->task->killed)
				return ZS26_SWAP_CLUSTER_MAX;
		} else {
			goto in_batch;
		}
	}
	/* KERNEL: 2.6.32 mm/vmscan.c shrink_inactive_list(): too_many_isolated -> HZ/10 naps */
	if (zs26_too_many_isolated(z, file, sc)) {
		/* DEVIATION: zone_reclaim (and a reclaimer without a thread) cannot sleep
		 * and resume here: it goes on as if the test had passed */
		if (sc->req) {
			k->rc.too_many_isolated_waits++;
			sleep_in_sil(vm, sc, ZS26_RF_TMI,
				     zs26_congestion_wait_ns(vm, zs26_hz10(vm)), &x);
			return 0;
		}
	}
	src = file ? ZS26_LRU_INACTIVE_FILE : ZS26_LRU_INACTIVE_ANON;
	/* large contiguous chunks, or small ones that are hard to get: both lists */
	if (sc->order > ZS26_COSTLY_ORDER || (sc->order && priority < ZS26_DEF_PRIORITY - 2))
		x.lumpy = 1;
	zs26_lru_add_drain(vm, sc->cpu);
	do {
		lv = &zs26_zone(z)->lru;
		memset(count, 0, sizeof(count));
		x.nr_taken = zs26_isolate_lru_pages(vm, z, ZS26_SWAP_CLUSTER_MAX, src, &x.batch,
						    &nr_scan, sc->order, x.lumpy ? 2 : 0);
		count_scan(lv, sc, nr_scan);
		if (x.nr_taken == 0)
			break;
		k->rc.pgdeactivate += clear_active_flags(vm, &x.batch, count);
		x.nr_iso[0] = count[0] + count[1];
		x.nr_iso[1] = count[2] + count[3];
		lv->nr_isolated[0] += x.nr_iso[0];
		lv->nr_isolated[1] += x.nr_iso[1];
		lv->recent_scanned[0] += x.nr_iso[0];
		lv->recent_scanned[1] += x.nr_iso[1];
		x.nr_scanned += nr_scan;
		x.nr_freed = zs26_shrink_page_list(vm, &x.batch, sc);
		/* KERNEL: 2.6.32 shrink_inactive_list(): lumpy direct reclaim tries again, waiting */
		/* DEVIATION: not for zone_reclaim, which cannot sleep (see above) */
		if (x.nr_freed < x.nr_taken && !sc->kswapd && x.lumpy && sc->req) {
			sleep_in_sil(vm, sc, ZS26_RF_NAP,
				     zs26_congestion_wait_ns(vm, zs26_hz10(vm)), &x);
			return 0;
in_batch:
			if (where == ZS26_RF_NAP) {
				/* pageout may have activated some: inactive again */
				memset(count, 0, sizeof(count));
				k->rc.pgdeactivate += clear_active_flags(vm, &x.batch, count);
				k->rc.lumpy_sync_passes++;
			}
			if (sync_pass(vm, &x, sc, where == ZS26_RF_SYNC))
				return 0;
			where = 0;
		}
		x.nr_reclaimed += x.nr_freed;
		if (sc->kswapd)
			k->rc.kswapd_steal += x.nr_freed;
		lv = &zs26_zone(z)->lru;
		lv->pgsteal += x.nr_freed;
		putback(vm, &x.batch, lv);
		lv->nr_isolated[0] -= x.nr_iso[0];
		lv->nr_isolated[1] -= x.nr_iso[1];
		x.nr_iso[0] = x.nr_iso[1] = 0;
	} while (x.nr_scanned < x.max_scan);
	return x.nr_reclaimed;
}

uint64_t
zs26_shrink_inactive_list(struct zs_vm *vm, struct zs_zone *z, uint64_t max_scan,
			  struct zs26_sc *sc, int priority, int file)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_lruvec *lv = lv_of(z);
	uint64_t nr_scanned = 0, nr_reclaimed = 0;

	if (k->kver == ZS_KV_2632)
		return shrink_inactive_list_2632(vm, z, max_scan, sc, priority, file);
	/* KERNEL: 2.6.18 mm/vmscan.c shrink_inactive_list() */
	zs26_lru_add_drain(vm, sc->cpu);
	do {
		struct zs_list batch = ZS_LIST_INIT;
		uint64_t nr_scan, nr_taken, nr_freed;

		nr_taken = zs26_isolate_lru_pages(vm, z, ZS26_SWAP_CLUSTER_MAX, ZS26_LRU_INACTIVE,
						  &batch, &nr_scan, 0, 0);
		count_scan(lv, sc, nr_scan);
		nr_scanned += nr_scan;
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
