/*
 * vmscan.h - page reclaim of Linux 2.6.18 and 2.6.32: the per-zone LRU lists
 * and their scan state, the per-CPU add pagevecs, the swap cache, the
 * scan_control of one reclaim pass, and the functions of mm/vmscan.c,
 * mm/swap.c, mm/swap_state.c, mm/rmap.c, mm/page_io.c and mm/backing-dev.c
 * the model follows (kernel-2.6.md §7-§8, audit-26.md Part B).
 *
 * Lists.  A zone has lru[5]: 2.6.18 uses two of them, named by the kernel's
 * own pair (ZS26_LRU_INACTIVE = 0, ZS26_LRU_ACTIVE = 1); 2.6.32 uses all five
 * in the order of enum lru_list (inactive anon, active anon, inactive file,
 * active file, unevictable).  Every list is head = newest, scanned from the
 * tail.  A page on lru[l] carries ZS_PG_LRU and list tag ZS26_LST_LRU + l; a
 * page in a CPU's add pagevec carries tag ZS26_LST_PAGEVEC and no ZS_PG_LRU;
 * a page isolated by a scan carries ZS26_LST_ISOLATED.  Only order-0 pages of
 * reclaimable kinds ever join (see swap.c).
 *
 * Invariants (zs26_lru_check): each list's count equals the pages linked on
 * it, every linked page has the tag of that list, ZS_PG_LRU <=> on an lru
 * list, ZS_PG_ACTIVE only on an active list or a pagevec, in 2.6.32 the list
 * index equals page_lru(page) for every page on an evictable list, the swap
 * cache maps slot -> pfn and back (page->aux) for every ZS_PG_SWAPCACHE page,
 * NR_FILE_DIRTY and BDI_WRITEBACK (nr_writeback_file) count the dirty and the
 * under-writeback page-cache pages, and between events only a 2.6.32 direct
 * reclaimer asleep in shrink_inactive_list holds pages isolated
 * (zs26_isolated_check).
 */
#ifndef ZS_LINUX26_VMSCAN_H
#define ZS_LINUX26_VMSCAN_H

#include <stdint.h>
#include <stdio.h>

#include "alloc/page.h"
#include "alloc/policy.h"
#include "sim/engine.h"

struct zs_vm;
struct zs_zone;
struct zs_alloc_req;
struct zs_error;
struct zs26_node;

#define ZS26_DEF_PRIORITY 12 /* include/linux/mmzone.h DEF_PRIORITY */
#define ZS26_PAGEVEC_SIZE 14 /* include/linux/pagevec.h PAGEVEC_SIZE */

/* enum lru_list of 2.6.32; 2.6.18 uses the first two slots for its pair. */
enum {
	ZS26_LRU_INACTIVE_ANON = 0,
	ZS26_LRU_ACTIVE_ANON = 1,
	ZS26_LRU_INACTIVE_FILE = 2,
	ZS26_LRU_ACTIVE_FILE = 3,
	ZS26_LRU_UNEVICTABLE = 4,
	ZS26_NR_LRU = 5,
	ZS26_NR_EVICTABLE = 4
};
#define ZS26_LRU_INACTIVE 0 /* 2.6.18 zone->inactive_list */
#define ZS26_LRU_ACTIVE 1   /* 2.6.18 zone->active_list */

/* List tags (page->list). */
#define ZS26_LST_LRU ZS_LST_MODEL /* + lru index */
#define ZS26_LST_PAGEVEC (ZS_LST_MODEL + 8)
#define ZS26_LST_ISOLATED (ZS_LST_MODEL + 9)

/* Page flags of the 2.6 models (bits from ZS_PG_MODEL0). */
enum {
	ZS26_PG_RECLAIM = ZS_PG_MODEL0 << 0,     /* PG_reclaim: rotate at writeback end */
	ZS26_PG_SWAPBACKED = ZS_PG_MODEL0 << 1,  /* PG_swapbacked (2.6.32 anon) */
	ZS26_PG_UNEVICTABLE = ZS_PG_MODEL0 << 2, /* PG_unevictable (2.6.32) */
	ZS26_PG_MLOCKED = ZS_PG_MODEL0 << 3,     /* mapped by a VM_LOCKED vma (PG_mlocked) */
	ZS26_PG_EXEC = ZS_PG_MODEL0 << 4,        /* a file page mapped by a VM_EXEC vma */
	ZS26_PG_FREEPEND = ZS_PG_MODEL0 << 5,    /* owner freed it under writeback */
	ZS26_PG_ANON = ZS_PG_MODEL0 << 6,        /* PageAnon: anonymous (or swap) memory */
	ZS26_PG_SWAPIN = ZS_PG_MODEL0 << 7,      /* just faulted back from the swap cache */
	ZS26_PG_PAGECACHE = ZS_PG_MODEL0 << 8    /* counted in NR_FILE_PAGES (vmscan_zone.c) */
};

/* try_to_unmap() results (include/linux/rmap.h). */
enum { ZS26_SWAP_SUCCESS = 0, ZS26_SWAP_AGAIN = 1, ZS26_SWAP_FAIL = 2, ZS26_SWAP_MLOCK = 3 };

/* The reclaim state of one zone (struct zone fields of both versions). */
struct zs26_lruvec {
	struct zs_list lru[ZS26_NR_LRU];
	/* 2.6.18 shrink_zone accumulators */
	uint64_t nr_scan_active, nr_scan_inactive;
	/* 2.6.32 struct zone_reclaim_stat; [0] anon, [1] file */
	uint64_t recent_rotated[2], recent_scanned[2];
	uint64_t nr_saved_scan[ZS26_NR_LRU];
	uint64_t inactive_ratio;   /* 2.6.32 zone->inactive_ratio */
	uint64_t nr_isolated[2];   /* NR_ISOLATED_ANON / _FILE */
	uint64_t nr_mlock;         /* NR_MLOCK */
	/* both */
	uint64_t pages_scanned;
	int all_unreclaimable;
	int prev_priority, temp_priority;
	/* /proc/vmstat per-zone counters */
	uint64_t pgrefill, pgscan_kswapd, pgscan_direct, pgsteal;
};

/* struct scan_control. */
struct zs26_sc {
	uint32_t gfp_mask;
	int may_writepage, may_swap, may_unmap;
	int swappiness;
	unsigned order;
	int kswapd;             /* current_is_kswapd() */
	unsigned cpu;           /* the reclaiming CPU (lru_add_drain, cold frees) */
	uint64_t nr_scanned, nr_reclaimed;
	int all_unreclaimable;  /* 2.6.32 shrink_zones result */
	int throttle;           /* throttle_vm_writeout asked for a wait */
	uint64_t work;          /* pages looked at (isolation scans): the CPU cost */
	int swapwrite;          /* the caller has PF_SWAPWRITE (__zone_reclaim) */
	int nr_mapped_zero;     /* 2.6.18 __zone_reclaim leaves sc.nr_mapped 0 */
	/* 2.6.32 direct reclaim that may sleep inside shrink_inactive_list (vmscan_isolated.c) */
	const struct zs_alloc_req *req; /* the sleeper's request; NULL: cannot sleep there */
	struct zs26_rframe *rf; /* its saved frame while asleep or being resumed */
	int blocked;            /* the thread went to sleep: unwind, saving each level */
	int resume;             /* re-entering the chain down to where it slept */
};

/* Where a direct reclaimer asleep inside shrink_inactive_list resumes. */
enum {
	ZS26_RF_TMI = 1,   /* too_many_isolated(): congestion_wait(HZ/10), then test again */
	ZS26_RF_NAP = 2,   /* the lumpy congestion_wait(HZ/10) before the PAGEOUT_IO_SYNC pass */
	ZS26_RF_SYNC = 3   /* wait_on_page_writeback() of the batch's tail page in that pass */
};

/*
 * The locals of do_try_to_free_pages -> shrink_zones -> shrink_zone ->
 * shrink_list -> shrink_inactive_list -> shrink_page_list of one direct
 * reclaimer (2.6.32) asleep inside shrink_inactive_list, its batch still
 * isolated.  One per sleeping request, on zs26_reclaim.rframes.
 */
struct zs26_rframe {
	struct zs26_rframe *next;
	const struct zs_alloc_req *req;
	int where;                      /* ZS26_RF_* */
	struct zs26_sc sc;              /* do_try_to_free_pages' scan_control */
	int priority, zone_i;           /* do_try_to_free_pages, shrink_zones */
	uint64_t nr[ZS26_NR_EVICTABLE];  /* shrink_zone's nr[] left per evictable list */
	int lru;                        /* shrink_zone's list being shrunk */
	uint64_t zone_reclaimed, zone_start;
	struct zs_zone *zone;           /* shrink_inactive_list's */
	int file, lumpy;
	uint64_t max_scan, nr_scanned, nr_reclaimed;
	struct zs_list batch;           /* page_list, counted in nr_isolated[] */
	uint64_t nr_taken, nr_freed, nr_iso[2];
	struct zs_list ret;             /* the sync shrink_page_list's ret_pages */
	uint64_t spl_reclaimed, spl_activate;
	uint32_t wait_pfn;              /* ZS26_RF_SYNC: the page waited on */
	int wait_pageout;               /* ... after pageout() wrote it (else before) */
};

/* Global reclaim state behind struct zs26 (mm/vmscan.c, swap.c, swap_state.c globals). */
struct zs26_reclaim {
	int swappiness;          /* vm_swappiness (60) */
	uint64_t vm_total_pages; /* nr_free_pagecache_pages() at zonelist build */
	uint64_t nr_anon_pages;  /* NR_ANON_PAGES: mapped anonymous pages */
	uint64_t nr_file_mapped; /* NR_FILE_MAPPED */
	uint64_t nr_writeback;   /* NR_WRITEBACK */
	unsigned cur_cpu;        /* CPU of the request being served (lru_cache_add's CPU) */
	struct zs_list *pvec;    /* [cpu * ZS26_NR_LRU + lru]: lru_add_pvecs */
	uint32_t *swapcache;     /* slot -> pfn, ZS_NIL when not cached */
	uint64_t nr_slots;
	struct zs26_io *io_list; /* writes in flight */
	struct zs26_io *iob;     /* the batch pageout is filling */
	/* fs_writeback.c */
	struct zs26_wb *wb;      /* pdflush (2.6.18) / the bdi flusher (2.6.32) */
	uint64_t nr_file_dirty;  /* NR_FILE_DIRTY */
	uint64_t *ratelimits;    /* [cpu]: balance_dirty_pages_ratelimited's counters */
	uint64_t kupdate_runs, kupdate_written, background_written;
	/* page_writeback.c: the writer side of balance_dirty_pages */
	uint64_t bdp_pending;        /* pages dirtied since the writer last called it */
	int dirty_exceeded;          /* 2.6.18 dirty_exceeded / 2.6.32 bdi->dirty_exceeded */
	uint64_t nr_writeback_file;  /* BDI_WRITEBACK: page-cache pages under writeback */
	uint64_t bdi_writeouts;      /* BDI_WRITTEN: page-cache writes completed (2.6.32) */
	uint64_t vm_dirties;         /* 2.6.32 vm_dirties: pages dirtied by all tasks */
	uint64_t *task_dirties;      /* [task id]: tsk->dirties */
	uint32_t nr_task_dirties;
	uint64_t bdp_calls, bdp_waits, bdp_written; /* throttled calls, sleeps, pages written */
	zs_time_t bdp_wait_ns;       /* writers' time asleep in balance_dirty_pages */
	/* /proc/vmstat global counters */
	uint64_t pgactivate, pgdeactivate, pgrotated, kswapd_steal;
	uint64_t vmscan_write;   /* pages pageout() wrote: 2.6.32 NR_VMSCAN_WRITE (2.6.18: ours) */
	uint64_t swapin_readahead; /* pages read by swapin_readahead */
	uint64_t slept_congestion_ns;
	/* vmscan_isolated.c: direct reclaimers asleep with an isolated batch (2.6.32) */
	struct zs26_rframe *rframes;
	uint64_t too_many_isolated_waits; /* congestion_waits of the too_many_isolated loop */
	uint64_t lumpy_sync_passes;       /* PAGEOUT_IO_SYNC second passes */
	uint64_t lumpy_sync_reclaimed;    /* pages those passes freed */
	uint64_t lumpy_writeback_waits;   /* wait_on_page_writeback sleeps in them */
};

/* ---- memory.c: the policy ops for page events ---- */
void zs26_page_added(struct zs_vm *vm, uint32_t pfn);
void zs26_touch(struct zs_vm *vm, uint32_t pfn);
void zs26_dirty(struct zs_vm *vm, uint32_t pfn);
/* ops->map_file / unmap_file: a fault through a file mapping, and zap_pte_range of it. */
void zs26_map_file(struct zs_vm *vm, uint32_t pfn, int exec, int found);
void zs26_unmap_file(struct zs_vm *vm, uint32_t pfn);
void zs26_free(struct zs_vm *vm, uint32_t pfn, unsigned order, unsigned cpu);
/* Free an order-0 page reclaim (or a finished write) let go of, to cpu's pcp. */
void zs26_release_page(struct zs_vm *vm, uint32_t pfn, unsigned cpu, int cold);

/* ---- swap.c: the LRU lists ---- */
int zs26_lru_init(struct zs_vm *vm, struct zs_error *err);
void zs26_lru_fini(struct zs_vm *vm);
/* page_lru(): the list a page belongs on from its flags (2.6.18: active or not). */
int zs26_page_lru(struct zs_vm *vm, const struct zs_page *p);
/* is_file_lru(). */
static inline int
zs26_is_file_lru(int l)
{
	return l == ZS26_LRU_INACTIVE_FILE || l == ZS26_LRU_ACTIVE_FILE;
}
static inline int
zs26_is_active_lru(int l)
{
	return l == ZS26_LRU_ACTIVE_ANON || l == ZS26_LRU_ACTIVE_FILE;
}
/* add_page_to_lru_list (head) / del_page_from_lru_list. */
void zs26_add_page_to_lru(struct zs_vm *vm, uint32_t pfn, int lru);
void zs26_del_page_from_lru(struct zs_vm *vm, uint32_t pfn);
/* lru_cache_add_lru() through cpu's pagevec for `lru` (flushed at 14). */
void zs26_lru_cache_add(struct zs_vm *vm, uint32_t pfn, int lru, unsigned cpu);
/* lru_add_drain(): cpu's add pagevecs onto the lists. */
void zs26_lru_add_drain(struct zs_vm *vm, unsigned cpu);
/* mark_page_accessed(). */
void zs26_mark_page_accessed(struct zs_vm *vm, uint32_t pfn);
/* activate_page(). */
void zs26_activate_page(struct zs_vm *vm, uint32_t pfn);
/* rotate_reclaimable_page(): 1 = not rotated (kept where it is). */
int zs26_rotate_reclaimable_page(struct zs_vm *vm, uint32_t pfn);
/* The page leaves the LRU or its pagevec because its owner freed it. */
void zs26_lru_forget(struct zs_vm *vm, uint32_t pfn);
/* putback_lru_page(): back on page_lru(page) (2.6.32 culls to unevictable). */
void zs26_putback_lru_page(struct zs_vm *vm, uint32_t pfn);
/* page_evictable() (2.6.32): not mlocked. */
int zs26_page_evictable(struct zs_vm *vm, const struct zs_page *p);
/* The LRU invariants (see the header comment). */
int zs26_lru_check(struct zs_vm *vm, struct zs_error *err);
/* Its counters-only depth: every LRU list's and pagevec's count against its
 * ends, the unused 2.6.18 lists empty, nr_isolated against the sleepers' counts. */
int zs26_lru_check_counters(struct zs_vm *vm, struct zs_error *err);

/* ---- rmap.c ---- */
/* page_referenced(): PG_referenced plus the young PTE; *vm_flags gets VM_EXEC/VM_LOCKED. */
int zs26_page_referenced(struct zs_vm *vm, uint32_t pfn, int *vm_exec, int *vm_locked);
/* page_mapping_inuse(). */
int zs26_page_mapping_inuse(struct zs_vm *vm, const struct zs_page *p);
/* try_to_unmap(): a ZS26_SWAP_* result. */
int zs26_try_to_unmap(struct zs_vm *vm, uint32_t pfn);
/* page_add_*_rmap / page_remove_rmap accounting of a page that gains / loses its PTE. */
void zs26_page_map(struct zs_vm *vm, uint32_t pfn);
void zs26_page_unmap(struct zs_vm *vm, uint32_t pfn);
/*
 * mlock_vma_page() of a mapped page (VM_LOCKED; memory.c calls it for the pages
 * of a task with `mlock`), and page_add_file_rmap of a page-cache page into a
 * task (exec = VM_EXEC; memory.c's zs26_map_file, for `access: mmap` sources).
 */
void zs26_mlock_page(struct zs_vm *vm, uint32_t pfn);
void zs26_map_file_page(struct zs_vm *vm, uint32_t pfn, int exec);

/* ---- swap_state.c ---- */
/* add_to_swap(): a slot for an anon page, into the swap cache, dirty. 1 = done. */
int zs26_add_to_swap(struct zs_vm *vm, uint32_t pfn);
/* __delete_from_swap_cache() (the slot stays with whoever holds it). */
void zs26_delete_from_swap_cache(struct zs_vm *vm, uint32_t pfn);
/* vm_swap_full(): more than half the swap space in use. */
int zs26_vm_swap_full(struct zs_vm *vm);
/* try_to_free_swap() / remove_exclusive_swap_page(): a mapped swap-cache page drops its slot. */
void zs26_try_to_free_swap(struct zs_vm *vm, uint32_t pfn);
/* swapin_readahead() around slot at a swap-in fault (page_cluster 3; 2 below 16 MiB). */
void zs26_swapin_readahead(struct zs_vm *vm, uint32_t slot, unsigned cpu);
/* ops->swap_cache_find and ops->swap_free. */
uint32_t zs26_swap_cache_find(struct zs_vm *vm, uint32_t slot);
void zs26_swap_free(struct zs_vm *vm, uint32_t slot);

/* ---- page_io.c ---- */
/* writepage() for reclaim: clear dirty, set writeback, join the batch being built. */
void zs26_writepage(struct zs_vm *vm, uint32_t pfn);
/* Submit the batch pageout built as one request (a plugged queue merging it). */
void zs26_submit_writes(struct zs_vm *vm);
/* end_page_writeback() for pfn (public for tests). */
void zs26_end_page_writeback(struct zs_vm *vm, uint32_t pfn);
void zs26_io_fini(struct zs_vm *vm);

/* ---- vmscan.c: the shared core ---- */
/* shrink_page_list(): frees what it can of the isolated list l; survivors stay on l. */
uint64_t zs26_shrink_page_list(struct zs_vm *vm, struct zs_list *l, struct zs26_sc *sc);
/* shrink_inactive_list() of the version (file picks the 2.6.32 list). */
uint64_t zs26_shrink_inactive_list(struct zs_vm *vm, struct zs_zone *z, uint64_t max_scan,
				   struct zs26_sc *sc, int priority, int file);
/* isolate_lru_pages() from lru `src` (lumpy: `mode` 0 inactive, 1 active, 2 both). */
uint64_t zs26_isolate_lru_pages(struct zs_vm *vm, struct zs_zone *z, uint64_t nr, int src,
				struct zs_list *dst, uint64_t *scanned, unsigned order, int mode);
/* shrink_zone() of the version; returns pages reclaimed in this call. */
uint64_t zs26_shrink_zone(struct zs_vm *vm, struct zs_zone *z, int priority, struct zs26_sc *sc);
/* Charge reclaim CPU time for `scanned` pages to t (and count it); returns the time. */
zs_time_t zs26_charge_scan(struct zs_vm *vm, struct zs_thread *t, uint64_t scanned, int kswapd);

/* ---- vmscan_isolated.c ---- */
/* The frame of sc's sleeping request (allocated and linked on first use). */
struct zs26_rframe *zs26_rframe_get(struct zs_vm *vm, struct zs26_sc *sc);
/* The frame of req, NULL when it has none. */
struct zs26_rframe *zs26_rframe_find(struct zs_vm *vm, const struct zs_alloc_req *req);
/* Unlink and free rf (its lists must be empty). */
void zs26_rframe_put(struct zs_vm *vm, struct zs26_rframe *rf);
void zs26_rframe_fini(struct zs_vm *vm);
/* The owner freed an isolated page: it leaves the sleeping reclaimer's list. */
void zs26_isolated_forget(struct zs_vm *vm, uint32_t pfn);
/* end_page_writeback(): wake a reclaimer in wait_on_page_writeback(pfn). */
void zs26_rframe_writeback_done(struct zs_vm *vm, uint32_t pfn);
/* Zone z has `isolated` pages tagged isolated: all in frames, nr_isolated[] their count. */
int zs26_isolated_check(struct zs_vm *vm, struct zs_zone *z, uint64_t isolated,
			struct zs_error *err);
/* Its counters: the zone's nr_isolated[] against the sleeping frames' nr_iso[]. */
int zs26_isolated_counters_check(struct zs_vm *vm, struct zs_zone *z, struct zs_error *err);
/* summary.txt lines of the waits (2.6.32). */
void zs26_isolated_summary(struct zs_vm *vm, FILE *f);

/* ---- vmscan_2618.c ---- */
/* The reclaim_mapped decision of shrink_active_list() (2.6.18). */
int zs26_reclaim_mapped(uint64_t mapped_pages, uint64_t vm_total_pages, int prev_priority,
			int swappiness);
void zs26_shrink_active_list_2618(struct zs_vm *vm, struct zs_zone *z, uint64_t nr,
				  struct zs26_sc *sc);
uint64_t zs26_shrink_zone_2618(struct zs_vm *vm, struct zs_zone *z, int priority,
			       struct zs26_sc *sc);

/* ---- vmscan_2632.c ---- */
/* calculate_zone_inactive_ratio(): int_sqrt(10 * GiB) or 1. */
uint64_t zs26_inactive_ratio(uint64_t present_pages);
/* get_scan_ratio(): percent[0] anon, percent[1] file. */
void zs26_get_scan_ratio(struct zs_vm *vm, struct zs_zone *z, struct zs26_sc *sc,
			 uint64_t percent[2]);
int zs26_inactive_anon_is_low(struct zs_zone *z);
int zs26_inactive_file_is_low(struct zs_zone *z);
/* zone_reclaimable_pages() (2.6.32) / active + inactive (2.6.18). */
uint64_t zs26_zone_reclaimable_pages(struct zs_vm *vm, struct zs_zone *z);
void zs26_shrink_active_list_2632(struct zs_vm *vm, struct zs_zone *z, uint64_t nr,
				  struct zs26_sc *sc, int priority, int file);
uint64_t zs26_shrink_zone_2632(struct zs_vm *vm, struct zs_zone *z, int priority,
			       struct zs26_sc *sc);
/* too_many_isolated() (2.6.32). */
int zs26_too_many_isolated(struct zs_zone *z, int file, const struct zs26_sc *sc);

/* ---- vmscan_direct.c ---- */
/*
 * try_to_free_pages() / do_try_to_free_pages() over zl, resumable across its
 * congestion_wait naps (state in req->local[4..7]).  Returns 1 when the
 * thread now sleeps (call again with the same req), 0 when finished with
 * *ret = the kernel's return value (2.6.18: 1 or 0; 2.6.32: pages or 0).
 */
int zs26_try_to_free_pages(struct zs_vm *vm, struct zs_alloc_req *req, const int *zl, int nzl,
			   uint64_t *ret);

/* ---- vmscan_kswapd.c ---- */
/* balance_pgdat()'s test that marks a zone all_unreclaimable (nr_slab == 0). */
int zs26_zone_unreclaimable(struct zs_vm *vm, struct zs_zone *z);
/* Create one kswapd thread per node (sleeping on kswapd_wait). */
void zs26_kswapd_start(struct zs_vm *vm);
/* wakeup_kswapd(zone, order). */
void zs26_wakeup_kswapd(struct zs_vm *vm, struct zs_zone *z, unsigned order);

/* ---- page_writeback.c ---- */
/* get_dirty_limits() of the version (no bdi share, no PF_LESS_THROTTLE). */
void zs26_get_dirty_limits(struct zs_vm *vm, uint64_t *background, uint64_t *dirty);
/* ratelimit_pages: how many pages a task dirties between balance_dirty_pages calls. */
uint64_t zs26_ratelimit_pages(struct zs_vm *vm);
/* balance_dirty_pages_ratelimited() in the writer's context: ops->balance_dirty. */
enum zs_alloc_status zs26_balance_dirty(struct zs_vm *vm, struct zs_alloc_req *req);
/* The background trigger at the end of balance_dirty_pages (fs_writeback.c). */
void zs26_start_background_writeback(struct zs_vm *vm);
/* writeback_inodes() for a writer: up to nr page-cache pages as one request; pages written. */
uint64_t zs26_writeback_inodes(struct zs_vm *vm, uint64_t nr);
/* throttle_vm_writeout(): sets sc->throttle when writeback exceeds dirty * 1.1. */
void zs26_throttle_vm_writeout(struct zs_vm *vm, struct zs26_sc *sc);

/* ---- fs_writeback.c ---- */
/* An order-0 page-cache page (not anon, not swap cache): what NR_FILE_DIRTY counts. */
int zs26_page_is_file(const struct zs_page *p);
/* set_page_dirty of a page-cache page: PG_dirty, NR_FILE_DIRTY, the ratelimited trigger. */
void zs26_account_dirty(struct zs_vm *vm, uint32_t pfn);
/* The page is clean again (written, or freed dirty: cancel_dirty_page). */
void zs26_account_clean(struct zs_vm *vm, uint32_t pfn);
/* Start the writeback thread (pdflush / flusher) and its 5 s timer. */
int zs26_writeback_start(struct zs_vm *vm, struct zs_error *err);
void zs26_writeback_fini(struct zs_vm *vm);

/* ---- backing_dev.c ---- */
/* congestion_wait(WRITE / BLK_RW_ASYNC, jiffies): how long the caller sleeps from now. */
zs_time_t zs26_congestion_wait_ns(struct zs_vm *vm, unsigned jiffies);
/* congestion_wait for an allocation: put req->thread to sleep, resume at resume_step. */
enum zs_alloc_status zs26_congestion_wait(struct zs_vm *vm, struct zs_alloc_req *req,
					  unsigned jiffies, int resume_step);
/* HZ/10 in jiffies, at least 1. */
unsigned zs26_hz10(struct zs_vm *vm);

#endif
