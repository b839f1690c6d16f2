/*
 * vmscan_zone.c - NUMA zone reclaim of Linux 2.6.18 and 2.6.32 (mm/vmscan.c
 * zone_reclaim() and __zone_reclaim(), kernel-2.6.md §5.4): when a zone of
 * the zonelist fails its watermark and zone_reclaim_mode is non-zero,
 * get_page_from_freelist asks this zone to free a little of its own unmapped
 * page cache before the allocation spills to a farther node.  Also the
 * per-zone page-state counts the decline rules read (zone_page_state() of
 * NR_FILE_PAGES, NR_FILE_MAPPED and NR_FILE_DIRTY) and their checker.
 *
 * Both versions run shrink_zone() of their own at priorities 4, 3, ..., 0 until
 * 2^order pages are freed, with a scan_control whose may_writepage and
 * may_swap / may_unmap come from the mode bits, under PF_MEMALLOC |
 * PF_SWAPWRITE.  They differ in what they return (2.6.18: 1 or 0; 2.6.32:
 * ZONE_RECLAIM_NOSCAN / FULL / SOME / SUCCESS) and in the page-cache test.
 *
 * DEVIATION: no slab.  NR_SLAB_RECLAIMABLE is always 0 here (kernel pages are
 * never reclaimable), so 2.6.32's min_slab_pages test always passes and its
 * shrink_slab loop never runs, and 2.6.18's RECLAIM_SLAB (8) shakes nothing.
 * DEVIATION: throttle_vm_writeout's wait inside shrink_zone is not taken here
 * (the zonelist walk that calls zone_reclaim cannot sleep and resume), and
 * swap_cluster_max stays SWAP_CLUSTER_MAX for an order above 5 (zsim's
 * shrink_zone uses the constant; max(2^order, 32) only differs there).
 *
 * SUBTLE: ZONE_RECLAIM_LOCKED (2.6.32) and reclaim_in_progress (2.6.18) can
 * never be found set: a zsim shrink_zone runs to its end before any other
 * thread is simulated.  The test is kept, and its decline count stays 0.
 *
 * Invariant (zs26_zone_stat_check): each zone's vm_stat[] equals a walk of
 * its pages: NR_FILE_PAGES the page-cache (ZS26_PG_PAGECACHE) plus swap-cache
 * pages, NR_FILE_MAPPED the mapped page-cache pages, NR_FILE_DIRTY the dirty
 * page-cache pages.
 */
#include "alloc/linux26/model.h"

#include <sysexits.h>

const char *const zs26_zr_decline_names[ZS26_ZR_NR] = {
	[ZS26_ZR_UNMAPPED] = "unmapped",	 [ZS26_ZR_UNRECLAIMABLE] = "all_unreclaimable",
	[ZS26_ZR_NOWAIT] = "nowait",		 [ZS26_ZR_MEMALLOC] = "memalloc",
	[ZS26_ZR_REMOTE] = "remote_node",	 [ZS26_ZR_LOCKED] = "locked",
};

/* ---- zone_page_state() stand-ins ---- */

void
zs26_zone_stat_mod(struct zs_vm *vm, uint32_t pfn, int item, int delta)
{
	struct zs26_zone *zz = zs26_zone(zs_pfn_zone(vm->machine, pfn));

	ZS_BUG_ON(delta < 0 && zz->vm_stat[item] == 0);
	zz->vm_stat[item] += (uint64_t)(int64_t)delta;
}

void
zs26_pagecache_add(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if (p->flags & ZS26_PG_PAGECACHE)
		return;
	/* KERNEL: 2.6.18 mm/filemap.c add_to_page_cache(): __inc_zone_page_state NR_FILE_PAGES */
	p->flags |= ZS26_PG_PAGECACHE;
	zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_PAGES, 1);
}

void
zs26_pagecache_remove(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if (!(p->flags & ZS26_PG_PAGECACHE))
		return;
	/* KERNEL: 2.6.18 mm/filemap.c __remove_from_page_cache(): NR_FILE_PAGES */
	p->flags &= ~ZS26_PG_PAGECACHE;
	zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_PAGES, -1);
}

int
zs26_zone_stat_check(struct zs_vm *vm, struct zs_zone *z, struct zs_error *err)
{
	const struct zs_page *pages = vm->machine->pages;
	uint64_t n[ZS26_NR_ZONE_STAT] = {0};

	for (uint32_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned;
	     pfn = zs_walk_next(pages, pfn, vm->check_skip_free)) {
		const struct zs_page *p = &pages[pfn];
		int cache = (p->flags & ZS26_PG_PAGECACHE) != 0;

		if (cache || (p->flags & ZS_PG_SWAPCACHE))
			n[ZS26_NR_FILE_PAGES]++;
		if (cache && (p->flags & ZS_PG_MAPPED))
			n[ZS26_NR_FILE_MAPPED]++;
		if ((p->flags & ZS_PG_DIRTY) && zs26_page_is_file(p))
			n[ZS26_NR_FILE_DIRTY]++;
	}
	for (int i = 0; i < ZS26_NR_ZONE_STAT; i++)
		if (n[i] != zs26_zone(z)->vm_stat[i])
			return zs_error_set(err, EX_SOFTWARE,
					    "node %d %s: zone_page_state %d is %llu, pages say %llu",
					    z->node, z->name, i,
					    (unsigned long long)zs26_zone(z)->vm_stat[i],
					    (unsigned long long)n[i]);
	return 0;
}

void
zs26_setup_zone_reclaim(struct zs_vm *vm)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;

	for (int i = 0; i < m->nr_zones; i++) {
		struct zs26_zone *zz = zs26_zone(&m->zones[i]);

		/* KERNEL: 2.6.32 mm/page_alloc.c free_area_init_core(): realsize * ratio / 100
		 * (2.6.18 names the page count zone->min_unmapped_ratio) */
		zz->min_unmapped_pages = m->zones[i].present * (uint64_t)k->min_unmapped_ratio / 100;
		zz->min_slab_pages = m->zones[i].present * (uint64_t)k->min_slab_ratio / 100;
	}
}

/* ---- zone_reclaim ---- */

/* KERNEL: 2.6.32 mm/vmscan.c zone_unmapped_file_pages(): file LRU pages not mapped */
static uint64_t
zone_unmapped_file_pages(struct zs_zone *z)
{
	struct zs26_zone *zz = zs26_zone(z);
	uint64_t mapped = zz->vm_stat[ZS26_NR_FILE_MAPPED];
	uint64_t file_lru = zz->lru.lru[ZS26_LRU_INACTIVE_FILE].count +
			    zz->lru.lru[ZS26_LRU_ACTIVE_FILE].count;

	return file_lru > mapped ? file_lru - mapped : 0;
}

uint64_t
zs26_zone_pagecache_reclaimable(struct zs_vm *vm, struct zs_zone *z)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_zone *zz = zs26_zone(z);
	uint64_t nr, delta = 0;

	if (k->kver == ZS_KV_2618) {
		/* KERNEL: 2.6.18 mm/vmscan.c zone_reclaim(): NR_FILE_PAGES - NR_FILE_MAPPED
		 * (swap-cache pages count as file pages there, unmapped or not) */
		uint64_t file = zz->vm_stat[ZS26_NR_FILE_PAGES];
		uint64_t mapped = zz->vm_stat[ZS26_NR_FILE_MAPPED];

		return file > mapped ? file - mapped : 0;
	}
	/* KERNEL: 2.6.32 mm/vmscan.c zone_pagecache_reclaimable() */
	if (k->zone_reclaim_mode & ZS26_RECLAIM_SWAP)
		nr = zz->vm_stat[ZS26_NR_FILE_PAGES];
	else
		nr = zone_unmapped_file_pages(z);
	if (!(k->zone_reclaim_mode & ZS26_RECLAIM_WRITE))
		delta = zz->vm_stat[ZS26_NR_FILE_DIRTY];
	if (delta > nr)
		delta = nr;
	return nr - delta;
}

/* A decline: count it, return the version's value for it. */
static int
decline(struct zs_vm *vm, struct zs26_zone *zz, int why, int ret32)
{
	zz->zone_reclaim_declined[why]++;
	return zs26_of(vm)->kver == ZS_KV_2632 ? ret32 : 0;
}

/*
 * __zone_reclaim(): shrink_zone at ZONE_RECLAIM_PRIORITY (4) down to 0 until
 * 2^order pages are free, as the allocating task with PF_MEMALLOC |
 * PF_SWAPWRITE; the scan time is charged to it as direct reclaim is.
 * Returns 1 when enough was reclaimed.
 */
static int
__zone_reclaim(struct zs_vm *vm, struct zs_alloc_req *req, struct zs_zone *z, uint32_t gfp,
	       unsigned order)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_zone *zz = zs26_zone(z);
	const int v32 = k->kver == ZS_KV_2632;
	const uint64_t nr_pages = 1ull << order;
	struct zs26_sc sc = {0};

	/* KERNEL: 2.6.18 mm/vmscan.c __zone_reclaim(): the mode bits decide writes and unmaps */
	sc.gfp_mask = gfp;
	sc.may_writepage = (k->zone_reclaim_mode & ZS26_RECLAIM_WRITE) != 0;
	if (v32) {
		/* KERNEL: 2.6.32 __zone_reclaim(): may_unmap from RECLAIM_SWAP, may_swap = 1 */
		sc.may_unmap = (k->zone_reclaim_mode & ZS26_RECLAIM_SWAP) != 0;
		sc.may_swap = 1;
		sc.order = order;
	} else {
		/* 2.6.18's may_swap is what 2.6.28 renamed may_unmap; its sc.nr_mapped stays 0 */
		sc.may_swap = sc.may_unmap = (k->zone_reclaim_mode & ZS26_RECLAIM_SWAP) != 0;
		sc.nr_mapped_zero = 1;
	}
	sc.swapwrite = 1; /* PF_SWAPWRITE: may_write_to_queue says yes */
	sc.swappiness = k->rc.swappiness;
	sc.cpu = req->cpu % (unsigned)vm->machine->nr_cpus;
	k->rc.cur_cpu = sc.cpu;
	if (req->task)
		req->task->flags |= ZS_PF_MEMALLOC;
	zz->reclaim_locked = 1;
	zz->zone_reclaim_scans++;

	/* KERNEL: 2.6.32 __zone_reclaim(): the page-cache test again before scanning */
	if (!v32 || zs26_zone_pagecache_reclaimable(vm, z) > zz->min_unmapped_pages) {
		for (int priority = ZS26_ZONE_RECLAIM_PRIORITY; priority >= 0; priority--) {
			zs_time_t ns;

			/* KERNEL: 2.6.32 note_zone_scanning_priority() */
			if (v32 && priority < zz->lru.prev_priority)
				zz->lru.prev_priority = priority;
			sc.work = 0;
			sc.throttle = 0;
			zs26_shrink_zone(vm, z, priority, &sc);
			ns = zs26_charge_scan(vm, req->thread, sc.work, 0);
			if (req->task)
				req->task->cpu_ns += ns;
			zz->zone_reclaim_ns += ns;
			if (sc.nr_reclaimed >= nr_pages)
				break;
		}
	}
	/* no slab: NR_SLAB_RECLAIMABLE 0 never exceeds min_slab_pages (see the header) */
	zz->reclaim_locked = 0;
	if (req->task)
		req->task->flags &= ~ZS_PF_MEMALLOC; /* zone_reclaim declined a PF_MEMALLOC caller */
	zz->zone_reclaim_scanned += sc.nr_scanned;
	zz->zone_reclaim_reclaimed += sc.nr_reclaimed;
	return sc.nr_reclaimed >= nr_pages;
}

int
zs26_zone_reclaim(struct zs_vm *vm, struct zs_alloc_req *req, struct zs_zone *z, uint32_t gfp,
		  unsigned order)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;
	struct zs26_zone *zz = zs26_zone(z);
	const int v32 = k->kver == ZS_KV_2632;
	const uint32_t tflags = req->task ? req->task->flags : 0;
	int ret;

	zz->zone_reclaim_calls++;
	/* KERNEL: 2.6.32 mm/vmscan.c zone_reclaim(): keep a little unmapped page cache
	 * (and slab, always 0 here); 2.6.18 tests the page cache alone, the same way */
	if (zs26_zone_pagecache_reclaimable(vm, z) <= zz->min_unmapped_pages)
		return decline(vm, zz, ZS26_ZR_UNMAPPED, ZS26_ZONE_RECLAIM_FULL);
	if (v32 && zz->lru.all_unreclaimable)
		return decline(vm, zz, ZS26_ZR_UNRECLAIMABLE, ZS26_ZONE_RECLAIM_FULL);
	/* KERNEL: 2.6.18 zone_reclaim(): !__GFP_WAIT, all_unreclaimable, reclaim_in_progress,
	 * PF_MEMALLOC, in that order, all returning 0 */
	if (!(gfp & GFP26_WAIT))
		return decline(vm, zz, ZS26_ZR_NOWAIT, ZS26_ZONE_RECLAIM_NOSCAN);
	if (!v32 && zz->lru.all_unreclaimable)
		return decline(vm, zz, ZS26_ZR_UNRECLAIMABLE, 0);
	if (!v32 && zz->reclaim_locked)
		return decline(vm, zz, ZS26_ZR_LOCKED, 0);
	if (tflags & ZS_PF_MEMALLOC)
		return decline(vm, zz, ZS26_ZR_MEMALLOC, ZS26_ZONE_RECLAIM_NOSCAN);
	/* KERNEL: 2.6.32 zone_reclaim(): node_state(node_id, N_CPU) && node_id != numa_node_id()
	 * (2.6.18: a non-empty node_to_cpumask) -- remote nodes with CPUs reclaim for themselves */
	if (m->nodes[z->node].nr_cpus > 0 && z->node != m->cpu_node[req->cpu % (unsigned)m->nr_cpus])
		return decline(vm, zz, ZS26_ZR_REMOTE, ZS26_ZONE_RECLAIM_NOSCAN);
	/* KERNEL: 2.6.32 zone_test_and_set_flag(zone, ZONE_RECLAIM_LOCKED) */
	if (v32 && zz->reclaim_locked)
		return decline(vm, zz, ZS26_ZR_LOCKED, ZS26_ZONE_RECLAIM_NOSCAN);
	ret = __zone_reclaim(vm, req, z, gfp, order);
	if (ret)
		zz->zone_reclaim_success++;
	else
		/* KERNEL: 2.6.32 zone_reclaim(): count_vm_event(PGSCAN_ZONE_RECLAIM_FAILED) */
		zz->zone_reclaim_failed++;
	return v32 ? (ret ? ZS26_ZONE_RECLAIM_SUCCESS : ZS26_ZONE_RECLAIM_SOME) : ret;
}

/* ---- summary.txt ---- */

void
zs26_zone_reclaim_summary(struct zs_vm *vm, FILE *f)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;
	uint64_t calls = 0, scans = 0, ok = 0, failed = 0, reclaimed = 0, scanned = 0;
	uint64_t dec[ZS26_ZR_NR] = {0};
	zs_time_t ns = 0;

	/* a mode-0 run prints nothing: its summary stays what it was before zone_reclaim */
	if (!k->zone_reclaim_mode)
		return;
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs26_zone *zz = zs26_zone(&m->zones[i]);

		calls += zz->zone_reclaim_calls;
		scans += zz->zone_reclaim_scans;
		ok += zz->zone_reclaim_success;
		failed += zz->zone_reclaim_failed;
		reclaimed += zz->zone_reclaim_reclaimed;
		scanned += zz->zone_reclaim_scanned;
		ns += zz->zone_reclaim_ns;
		for (int r = 0; r < ZS26_ZR_NR; r++)
			dec[r] += zz->zone_reclaim_declined[r];
	}
	fprintf(f, "zone_reclaim_mode: %d\nzone_reclaim_calls: %llu\nzone_reclaim_scans: %llu\n"
		   "zone_reclaim_success: %llu\nzone_reclaim_failed: %llu\n"
		   "zone_reclaim_reclaimed: %llu\nzone_reclaim_scanned: %llu\n"
		   "zone_reclaim_cpu_ns: %lld\n",
		k->zone_reclaim_mode, (unsigned long long)calls, (unsigned long long)scans,
		(unsigned long long)ok, (unsigned long long)failed, (unsigned long long)reclaimed,
		(unsigned long long)scanned, (long long)ns);
	for (int r = 0; r < ZS26_ZR_NR; r++)
		fprintf(f, "zone_reclaim_decline_%s: %llu\n", zs26_zr_decline_names[r],
			(unsigned long long)dec[r]);
	/* per zone, one "key: value" line each (what compare and aggregate read) */
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		struct zs26_zone *zz = zs26_zone(z);
		const uint64_t v[5] = {zz->zone_reclaim_calls, zz->zone_reclaim_scans,
				       zz->zone_reclaim_success, zz->zone_reclaim_failed,
				       zz->zone_reclaim_reclaimed};
		static const char *const nv[5] = {"calls", "scans", "success", "failed",
						  "reclaimed"};

		for (int j = 0; j < 5; j++)
			fprintf(f, "zone_reclaim_%s_node%d_%s: %llu\n", nv[j], z->node, z->name,
				(unsigned long long)v[j]);
		for (int r = 0; r < ZS26_ZR_NR; r++)
			fprintf(f, "zone_reclaim_decline_%s_node%d_%s: %llu\n",
				zs26_zr_decline_names[r], z->node, z->name,
				(unsigned long long)zz->zone_reclaim_declined[r]);
	}
}
