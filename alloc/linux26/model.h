/*
 * model.h - private state of the Linux 2.6 models (2.6.18 and 2.6.32),
 * shared by the files of alloc/linux26/ and tests/test_26_*.c only.  Each
 * file of alloc/linux26/ is named after the 2.6 source file whose functions
 * it models (a version suffix where 2.6.18 and 2.6.32 really differ, a topic
 * suffix where one kernel file is split); the prototypes below are grouped
 * by that file.
 *
 * One model, two versions: vm->model is a struct zs26 whose `kver` selects
 * the version-specific rules (hot/cold pcp pairs and one free list per order
 * in 2.6.18; per-migratetype pcp lists, pageblocks and fallbacks in 2.6.32).
 *
 * Where state lives: per zone behind zone->model (struct zs26_zone: the per-cpu
 * pagesets, the pageblock migratetype map, the LRU lists of vmscan.h), per node
 * behind node->model (struct zs26_node: zonelists and kswapd), global behind
 * vm->model (struct zs26: tunables and counters).
 *
 * Invariants (zs26_check): for every zone, buddy free pages + pages on the
 * zone's pcp lists (of every CPU) + allocated pages == present pages; every
 * pcp count equals the sum of its lists; every page on a pcp list carries
 * ZS_PG_PCP and list tag ZS_LST_PCP; and the LRU invariants of vmscan.h.
 */
#ifndef ZS_LINUX26_MODEL_H
#define ZS_LINUX26_MODEL_H

#include <stdint.h>
#include <stdio.h>

#include "alloc/machine.h"
#include "alloc/policy.h"
#include "alloc/vm.h"
#include "alloc/linux26/mempolicy.h"
#include "alloc/linux26/vmscan.h"
#include "sim/engine.h"

struct zs_vm;
struct zs_cfg;

/* ---- constants (include/linux/mmzone.h, swap.h, gfp.h of 2.6.18/2.6.32) ---- */
#define ZS26_MAX_ORDER 11
#define ZS26_SWAP_CLUSTER_MAX 32
#define ZS26_COSTLY_ORDER 3 /* PAGE_ALLOC_COSTLY_ORDER (a literal 3 in 2.6.18) */

/* zone_reclaim_mode bits and zone_reclaim results (mm/vmscan.c, mm/internal.h). */
#define ZS26_RECLAIM_ZONE 1  /* shrink the zone's own LRU */
#define ZS26_RECLAIM_WRITE 2 /* may write dirty pages */
#define ZS26_RECLAIM_SWAP 4  /* may unmap (and swap) mapped pages */
#define ZS26_RECLAIM_SLAB 8  /* 2.6.18 only: shake the slab too */
#define ZS26_ZONE_RECLAIM_PRIORITY 4
enum {
	ZS26_ZONE_RECLAIM_NOSCAN = -2, /* 2.6.32: did not scan */
	ZS26_ZONE_RECLAIM_FULL = -1,   /* 2.6.32: nothing reclaimable */
	ZS26_ZONE_RECLAIM_SOME = 0,    /* 2.6.32: scanned, not enough */
	ZS26_ZONE_RECLAIM_SUCCESS = 1
};
/* Why zone_reclaim declined (zsim's counts, one per rule). */
enum {
	ZS26_ZR_UNMAPPED = 0,  /* reclaimable unmapped page cache <= min_unmapped_pages */
	ZS26_ZR_UNRECLAIMABLE, /* zone all_unreclaimable */
	ZS26_ZR_NOWAIT,        /* !__GFP_WAIT */
	ZS26_ZR_MEMALLOC,      /* the caller has PF_MEMALLOC */
	ZS26_ZR_REMOTE,        /* another node, and it has CPUs */
	ZS26_ZR_LOCKED,        /* ZONE_RECLAIM_LOCKED / reclaim_in_progress (never, see vmscan_zone.c) */
	ZS26_ZR_NR
};
/* zone_page_state() items the decline rules read (zs26_zone.vm_stat). */
enum { ZS26_NR_FILE_PAGES = 0, ZS26_NR_FILE_MAPPED, ZS26_NR_FILE_DIRTY, ZS26_NR_ZONE_STAT };

/* Migratetypes (2.6.24-2.6.32 numbering). */
enum {
	ZS26_MT_UNMOVABLE = 0,
	ZS26_MT_RECLAIMABLE = 1,
	ZS26_MT_MOVABLE = 2,
	ZS26_MT_RESERVE = 3,
	ZS26_MT_ISOLATE = 4,
	ZS26_MT_PCPTYPES = 3
};

/*
 * ALLOC_* flags.  One internal encoding for both versions: the 2.6.31/2.6.32
 * values (WMARK_* an index into the watermarks).  2.6.18 numbers them
 * differently (NO_WATERMARKS 0x01, WMARK_MIN 0x02 ...) with the same meaning.
 */
enum {
	ZS26_ALLOC_WMARK_MIN = 0,
	ZS26_ALLOC_WMARK_LOW = 1,
	ZS26_ALLOC_WMARK_HIGH = 2,
	ZS26_ALLOC_WMARK_MASK = 3,
	ZS26_ALLOC_NO_WATERMARKS = 0x04,
	ZS26_ALLOC_HARDER = 0x10,
	ZS26_ALLOC_HIGH = 0x20,
	ZS26_ALLOC_CPUSET = 0x40
};

/* The exits of __alloc_pages, shared by both versions (policy ops `paths`). */
enum zs26_path {
	ZS26_P_FAST = 0,     /* first get_page_from_freelist at the LOW watermark */
	ZS26_P_MIN,          /* the alloc_flags (MIN, HIGH/HARDER) pass */
	ZS26_P_NOWMARK,      /* ALLOC_NO_WATERMARKS (PF_MEMALLOC / TIF_MEMDIE) */
	ZS26_P_RECLAIM,      /* the pass after direct reclaim made progress */
	ZS26_P_RETRY,        /* served after >= 1 congestion_wait retry (goto rebalance) */
	ZS26_P_HIGH,         /* the HIGH-watermark last chance before the OOM killer */
	ZS26_P_OOM_RETRY,    /* served after an OOM kill (or OOM-lock wait) and restart */
	ZS26_P_FAIL_NOZONE,  /* empty zonelist / no preferred zone */
	ZS26_P_FAIL_THISNODE, /* GFP_THISNODE gives up without reclaim (2.6.32, NUMA) */
	ZS26_P_FAIL_ATOMIC,  /* !__GFP_WAIT: nothing left to try */
	ZS26_P_FAIL_MEMALLOC, /* PF_MEMALLOC (or 2.6.18 TIF_MEMDIE) caller below every mark */
	ZS26_P_FAIL_MEMDIE,  /* 2.6.32: TIF_MEMDIE task without __GFP_NOFAIL */
	ZS26_P_FAIL_COSTLY,  /* 2.6.32: order > PAGE_ALLOC_COSTLY_ORDER after the OOM step */
	ZS26_P_FAIL_NORETRY, /* the retry rule (should_alloc_retry) said no */
	ZS26_P_FAIL_OOM,     /* no task left to kill (the kernel would panic) */
	ZS26_NR_PATHS
};

extern const char *const zs26_path_names[ZS26_NR_PATHS];
extern const unsigned char zs26_path_failed[ZS26_NR_PATHS];

/* struct per_cpu_pages: 2.6.32 uses lists[0..2] by migratetype, 2.6.18 lists[0]. */
struct zs26_pcp {
	uint32_t count, high, batch;
	struct zs_list lists[ZS26_MT_PCPTYPES];
};

/*
 * struct per_cpu_pageset: pcp[0] hot, pcp[1] cold (2.6.18); 2.6.32 uses pcp[0].
 * The rest is what 2.6.32's refresh_cpu_vm_stats() reads to drain a remote
 * pageset (vmstat.c): whether this CPU left a per-cpu counter differential
 * on the zone since the last refresh, and the `expire` countdown.
 */
struct zs26_pageset {
	struct zs26_pcp pcp[2];
	int16_t free_diff;    /* vm_stat_diff[NR_FREE_PAGES] of this CPU (2.6.32) */
	uint8_t stat_touched; /* another vm_stat_diff[] item is non-zero (an allocation) */
	uint8_t expire;       /* p->expire: refreshes left before a remote drain */
};

struct zs26_zone {
	struct zs26_pageset *pageset; /* [machine nr_cpus] */
	uint8_t *pageblock;           /* migratetype of each pageblock (2.6.32) */
	uint32_t pb_base;             /* first pfn of the first pageblock (rounded down) */
	uint32_t nr_pageblocks;
	uint32_t pb_count[ZS26_MT_ISOLATE + 1]; /* pageblocks of each type, kept in step
						   with pageblock[] (the tick reads it) */
	struct zs26_lruvec lru;       /* LRU lists and reclaim state (vmscan.h) */
	int oom_locked;               /* ZONE_OOM_LOCKED (2.6.32) */
	uint32_t unbatched;           /* zone_batchsize() before max(1, .) */
	int stat_threshold;           /* calculate_threshold() (2.6.32 mm/vmstat.c) */

	/* counters (cumulative) */
	uint64_t pcp_refills, pcp_spills;  /* rmqueue_bulk / free_pcppages_bulk calls */
	uint64_t extfrag;                  /* __rmqueue_fallback hits */
	uint64_t pageblock_steals;         /* pageblocks whose type changed by fallback */
	/* zone_statistics() (mm/vmstat.c, CONFIG_NUMA), one per allocation served here */
	uint64_t numa_hit;       /* served on the node the zonelist preferred */
	uint64_t numa_miss;      /* served here though another node was preferred */
	uint64_t numa_foreign;   /* preferred here, served on another node */
	uint64_t interleave_hit; /* interleave's node got it from its first zone */
	uint64_t local_node;     /* served on the allocating CPU's node */
	uint64_t other_node;     /* served on another node than the CPU's */
	/* zone_reclaim (vmscan_zone.c) */
	uint64_t vm_stat[ZS26_NR_ZONE_STAT]; /* NR_FILE_PAGES, NR_FILE_MAPPED, NR_FILE_DIRTY */
	uint64_t min_unmapped_pages;  /* present * min_unmapped_ratio / 100 */
	uint64_t min_slab_pages;      /* present * min_slab_ratio / 100 (2.6.32) */
	int reclaim_locked;           /* ZONE_RECLAIM_LOCKED (2.6.32), reclaim_in_progress (2.6.18) */
	uint64_t zone_reclaim_calls;  /* zone_reclaim() calls */
	uint64_t zone_reclaim_declined[ZS26_ZR_NR];
	uint64_t zone_reclaim_scans;  /* __zone_reclaim() runs */
	uint64_t zone_reclaim_success; /* runs that freed 2^order pages */
	uint64_t zone_reclaim_failed; /* runs that did not (2.6.32 vmstat zone_reclaim_failed) */
	uint64_t zone_reclaim_reclaimed, zone_reclaim_scanned; /* pages */
	zs_time_t zone_reclaim_ns;    /* scan time charged to the allocating tasks */
};

/*
 * 2.6.32 struct zonelist_cache of a node's fallback zonelist (page_alloc_zlc.c):
 * the zones found full since last_full_zap, by zone id.
 */
struct zs26_zlc {
	uint64_t fullzones[(ZS_MAX_NODES * ZS_NR_ZONE_TYPES + 63) / 64];
	int64_t last_full_zap; /* jiffies */
	int zapped;            /* 0 until the first zlc_setup */
};

struct zs26_node {
	struct zs_vm *vm;
	int id;
	/* zonelist[class]: zone ids usable by a request whose gfp_zone is `class`,
	 * local node first (highest zone first), then others in find_next_best_node order. */
	int *zonelist[ZS_NR_ZONE_TYPES];
	int zonelist_len[ZS_NR_ZONE_TYPES];
	int node_order[ZS_MAX_NODES]; /* nodes in fallback order, [0] = this node */
	int nr_node_order;

	/* kswapd (mm/vmscan.c kswapd()) */
	struct zs_thread *kswapd;
	struct zs_waitqueue kswapd_wait;
	unsigned kswapd_max_order;    /* pgdat->kswapd_max_order */
	unsigned kswapd_order;        /* kswapd()'s local `order` */
	int kswapd_state;
	/* balance_pgdat()'s locals across its naps (vmscan_kswapd.c) */
	int bal_priority, bal_all_zones_ok, bal_may_writepage;
	uint64_t bal_total_scanned, bal_nr_reclaimed;
	int temp_priority[ZS_NR_ZONE_TYPES];
	uint64_t kswapd_wakeups;      /* times a sleeping kswapd was woken */
	uint64_t pageoutrun;          /* balance passes */
	struct zs26_zlc zlc;          /* 2.6.32 zonelist cache of zonelist[] */
};

struct zs26 {
	enum zs_kver kver;
	int nr_cpus;
	/* tunables */
	uint64_t min_free_kbytes;
	int min_free_kbytes_user;     /* set by the scenario (sysctl) */
	uint64_t percpu_pagelist_fraction;
	int64_t reclaim_scan_ns;      /* CPU time per page scanned by reclaim */
	int dirty_ratio;              /* vm_dirty_ratio (40 in 2.6.18, 20 in 2.6.32) */
	int dirty_background_ratio;   /* dirty_background_ratio (10) */
	int lowmem_reserve_ratio[ZS_NR_ZONE_TYPES];
	/* geometry decided at boot */
	int pageblock_order;
	int group_by_mobility_disabled;
	uint32_t mt_mask;             /* 3 where allocflags_to_migratetype groups (2.6.32 with
					 grouping on), else 0: set with group_by_mobility_disabled */
	int zone_reclaim_mode;        /* acted on by get_page_from_freelist (vmscan_zone.c) */
	int zone_reclaim_mode_user;   /* the scenario's zone_reclaim_mode, -1 = from the distances */
	int min_unmapped_ratio;       /* sysctl_min_unmapped_ratio (1) */
	int min_slab_ratio;           /* sysctl_min_slab_ratio (5, 2.6.32) */
	int policy_zone;              /* mm/mempolicy.c policy_zone: highest zone with memory */
	int zonelist_order;           /* ZS26_ZONELIST_ORDER_NODE / _ZONE, as built */
	int user_zonelist_order;      /* numa_zonelist_order tunable (2.6.32): _DEFAULT, _NODE, _ZONE */
	const char *zonelist_order_why; /* for `zsim check` */
	int oom_lock_holders;         /* allocations holding a zonelist OOM lock (2.6.32) */
	/* counters */
	uint64_t allocstall;
	uint64_t drain_all_pages;
	uint64_t pcp_remote_drains;   /* remote pagesets drained by the per-cpu timers */
	uint64_t pcp_remote_drained;  /* pages those drains gave back to the buddy */
	int *reap_node;               /* 2.6.18 slab.c per-cpu reap_node [nr_cpus] */
	uint64_t congestion_waits;
	uint64_t congestion_early;    /* congestion_waits ended by the queue draining */
	uint64_t oom_lock_waits;
	uint64_t oom_calls;
	uint64_t zlc_skipped;         /* zones a walk passed over as full (2.6.32 zlc) */
	uint64_t zlc_rescans;         /* walks scanned again without the zlc */
	uint64_t zlc_zaps;            /* fullzones bitmaps cleared by zlc_setup */
	zs_time_t direct_reclaim_ns;
	struct zs26_reclaim rc;       /* LRU, swap cache, reclaim counters (vmscan.h) */
};

static inline struct zs26 *
zs26_of(struct zs_vm *vm)
{
	return (struct zs26 *)vm->model;
}

static inline struct zs26_zone *
zs26_zone(struct zs_zone *z)
{
	return (struct zs26_zone *)z->model;
}

/* Pages freed into z's buddy lists: pages_scanned and all_unreclaimable start over. */
static inline void
zs26_zone_freed(struct zs_zone *z)
{
	zs26_zone(z)->lru.pages_scanned = 0;
	zs26_zone(z)->lru.all_unreclaimable = 0;
}

/* ---- page_alloc_watermarks.c ---- */
/* int_sqrt() of lib/int_sqrt.c. */
uint64_t zs26_int_sqrt(uint64_t x);
/* The default min_free_kbytes for the machine (init_per_zone_pages_min). */
uint64_t zs26_default_min_free_kbytes(struct zs_machine *m);
/* setup_per_zone_pages_min / setup_per_zone_wmarks for min_free_kbytes. */
void zs26_setup_wmarks(struct zs_machine *m, uint64_t min_free_kbytes);
/* setup_per_zone_lowmem_reserve with ratio[] indexed by the lower zone type. */
void zs26_setup_lowmem_reserve(struct zs_machine *m, const int ratio[ZS_NR_ZONE_TYPES]);
/* zone_watermark_ok(); 1 = the zone may serve the request. */
static inline int
zs26_zone_watermark_ok(const struct zs_zone *z, unsigned order, uint64_t mark, int classzone_idx,
		       int alloc_flags)
{
	/* KERNEL: 2.6.32 mm/page_alloc.c zone_watermark_ok() (same in 2.6.18).
	 * DEVIATION: 2.6.32 reads zone_page_state(NR_FREE_PAGES), which lags the
	 * buddy by the per-cpu vm_stat deltas (up to stat_threshold per CPU, folded
	 * in by the vmstat worker); the count here is exact, as in 2.6.18. */
	int64_t min = (int64_t)mark;
	int64_t free_pages = (int64_t)z->free_pages - (1ll << order) + 1;

	if (alloc_flags & ZS26_ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ZS26_ALLOC_HARDER)
		min -= min / 4;
	/* SUBTLE: the lowmem_reserve term is only in the first comparison */
	if (free_pages <= min + (int64_t)z->lowmem_reserve[classzone_idx])
		return 0;
	for (unsigned o = 0; o < order; o++) {
		/* pages in blocks too small for this request do not help */
		free_pages -= (int64_t)z->free_area[o].nr_free << o;
		min >>= 1;
		if (free_pages <= min)
			return 0;
	}
	return 1;
}

/* The watermark an ALLOC_WMARK_* index names. */
static inline uint64_t
zs26_mark(const struct zs_zone *z, int alloc_flags)
{
	switch (alloc_flags & ZS26_ALLOC_WMARK_MASK) {
	case ZS26_ALLOC_WMARK_MIN:
		return z->pages_min;
	case ZS26_ALLOC_WMARK_LOW:
		return z->pages_low;
	default:
		return z->pages_high;
	}
}

/* ---- page_alloc_pcp.c ---- */
/* zone_batchsize() before the final max(1, .) (0 for a 16 MiB DMA zone). */
uint32_t zs26_zone_batchsize(uint64_t present);
/* setup_pageset (or setup_pagelist_highmark with percpu_pagelist_fraction) on every CPU. */
void zs26_setup_pagesets(struct zs_vm *vm, struct zs_zone *z);
/* rmqueue_bulk() of one batch onto list (of pcp, migratetype mt) and the counts that go
 * with it; the pages now on the pcp (2.6.18) or on list (2.6.32): 0 = nothing to take. */
uint32_t zs26_pcp_refill(struct zs_vm *vm, struct zs_zone *z, unsigned cpu, struct zs26_pcp *pcp,
			 struct zs_list *list, int mt, int cold);
/* free_hot_cold_page() past pcp->high: one batch back to the buddy (free_pages_bulk /
 * free_pcppages_bulk) and the counts that go with it. */
void zs26_pcp_spill(struct zs_vm *vm, struct zs_zone *z, unsigned cpu, struct zs26_pcp *pcp);
/* The page leaves the buddy for a pcp list (aux: the list's migratetype, page_private). */
static inline void
zs26_mark_pcp(struct zs_page *p, int mt)
{
	p->flags = (p->flags & ~ZS_PG_HEAD) | ZS_PG_PCP;
	p->order = 0;
	p->aux = (uint32_t)mt;
}
/* Empty every pcp list of every zone on every CPU (drain_all_pages). */
void zs26_drain_all_pages(struct zs_vm *vm);
/* Pages on z's pcp lists, summed over CPUs (and the hot/cold split of 2.6.18). */
uint64_t zs26_pcp_pages(struct zs_vm *vm, struct zs_zone *z, int which);
/* 2.6.18 drain_node_pages(): empty cpu's hot and cold lists of every zone of node; pages. */
uint32_t zs26_drain_node_pages(struct zs_vm *vm, int node, unsigned cpu);
/* 2.6.32 drain_zone_pages(): up to one batch of cpu's pcp of z to the buddy; pages. */
uint32_t zs26_drain_zone_pages(struct zs_vm *vm, struct zs_zone *z, unsigned cpu);
/* __mod_zone_page_state(z, NR_FREE_PAGES, delta) on cpu's differential (2.6.32). */
void zs26_mod_free_diff(struct zs_zone *z, unsigned cpu, int delta);

/* ---- slab.c (2.6.18) and vmstat.c (2.6.32): the per-cpu timers that drain remote pcps ---- */
/* 2.6.18 start_cpu_timer() of mm/slab.c on every CPU: cache_reap every 2 s. */
int zs26_cache_reap_start(struct zs_vm *vm, struct zs_error *err);
/* 2.6.32 setup_vmstat(): vmstat_update on every CPU, each whole second. */
void zs26_vmstat_start(struct zs_vm *vm);
/* 2.6.18 cache_reap()'s page part on cpu: next_reap_node() (drain_node_pages). */
void zs26_cache_reap(struct zs_vm *vm, unsigned cpu);
/* 2.6.32 refresh_cpu_vm_stats(cpu): fold differentials, drain an expired remote pcp. */
void zs26_refresh_cpu_vm_stats(struct zs_vm *vm, unsigned cpu);
/* calculate_threshold() of 2.6.32 mm/vmstat.c for z on a machine of nr_cpus CPUs. */
int zs26_calculate_threshold(const struct zs_zone *z, int nr_cpus);

/* ---- page_alloc_mobility.c ---- */
/* allocflags_to_migratetype (UNMOVABLE for 2.6.18 or when grouping is disabled). */
static inline int
zs26_gfp_migratetype(struct zs_vm *vm, uint32_t gfp)
{
	struct zs26 *k = zs26_of(vm);

	/* KERNEL: 2.6.32 include/linux/gfp.h allocflags_to_migratetype(); UNMOVABLE on
	 * 2.6.18 and when grouping is disabled: then mt_mask is 0 */
	int mt = (int)(((((gfp & GFP26_MOVABLE) != 0) << 1) | ((gfp & GFP26_RECLAIMABLE) != 0)) &
		       k->mt_mask);
	/* both bits give MIGRATE_RESERVE, past the pcp lists: gfp.c and trace_source.c refuse them */
	ZS_BUG_ON(mt == ZS26_MT_RESERVE);
	return mt;
}

static inline uint32_t
zs26_pb_index(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn)
{
	return (pfn - zs26_zone(z)->pb_base) >> zs26_of(vm)->pageblock_order;
}

/* The pageblock migratetype of pfn (2.6.32); 0 in 2.6.18. */
static inline int
zs26_pageblock_mt(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn)
{
	struct zs26_zone *zz = zs26_zone(z);

	if (!zz->pageblock)
		return 0;
	return zz->pageblock[zs26_pb_index(vm, z, pfn)];
}

void zs26_set_pageblock_mt(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, int mt);
/* __rmqueue: a block of `order` (no pcp, no counters but free_pages), or ZS_NIL. */
uint32_t zs26_rmqueue(struct zs_vm *vm, struct zs_zone *z, unsigned order, int mt);
/* __free_one_page into the lists of mt (callers pick the pageblock's or the pcp list's). */
void zs26_free_one_page(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, unsigned order, int mt);
/* move_freepages_block(): free blocks of pfn's pageblock onto mt's lists; pages moved. */
uint32_t zs26_move_freepages_block(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, int mt);
/* setup_zone_migrate_reserve() (2.6.32 caps the reserve at 2 pageblocks). */
void zs26_setup_migrate_reserve(struct zs_vm *vm, struct zs_zone *z);
/* Pageblocks of z of migratetype mt. */
uint32_t zs26_pageblocks_of(struct zs_vm *vm, struct zs_zone *z, int mt);
/* "Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate". */
const char *zs26_mt_name(int mt);

/*
 * ---- the order-0 fast paths (page_alloc_pcp.c, page_alloc.c) ----
 * Static inline so that a pair through ops->alloc / ops->free takes a page from
 * and gives one to a pcp list without a call; the refill and the spill stay out
 * of line in page_alloc_pcp.c.  always_inline: with both versions' branches they
 * are past what -O2 inlines by itself, and a call costs more than the pop.
 */
#define ZS26_FAST static inline __attribute__((always_inline))
/* The order-0 part of buffered_rmqueue: a page from cpu's pcp of z, or ZS_NIL. */
ZS26_FAST uint32_t
zs26_pcp_alloc(struct zs_vm *vm, struct zs_zone *z, unsigned cpu, uint32_t gfp, int mt)
{
	struct zs_page *pages = vm->machine->pages;
	int cold = (gfp & GFP26_COLD) != 0;
	struct zs26_pcp *pcp;
	struct zs_list *list;
	uint32_t pfn;

	if (zs26_of(vm)->kver == ZS_KV_2618) {
		/* KERNEL: 2.6.18 mm/page_alloc.c buffered_rmqueue(): pcp[cold], head */
		pcp = &zs26_zone(z)->pageset[cpu].pcp[cold];
		list = &pcp->lists[0];
		if (pcp->count == 0 && !zs26_pcp_refill(vm, z, cpu, pcp, list, 0, cold))
			return ZS_NIL;
		pfn = zs_list_pop_head(pages, list);
	} else {
		/* KERNEL: 2.6.32 mm/page_alloc.c buffered_rmqueue(): lists[mt], hot head, cold tail */
		pcp = &zs26_zone(z)->pageset[cpu].pcp[0];
		list = &pcp->lists[mt];
		if (list->count == 0 && !zs26_pcp_refill(vm, z, cpu, pcp, list, mt, cold))
			return ZS_NIL;
		pfn = cold ? zs_list_pop_tail(pages, list) : zs_list_pop_head(pages, list);
	}
	pcp->count--;
	pages[pfn].flags &= ~ZS_PG_PCP;
	return pfn;
}

/* free_hot_cold_page(): an order-0 page to cpu's pcp (cold = 1 for the cold end/list). */
ZS26_FAST void
zs26_free_hot_cold(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, unsigned cpu, int cold)
{
	struct zs_page *pages = vm->machine->pages;
	struct zs_page *p = &pages[pfn];
	struct zs26_pcp *pcp;

	z->pgfree++;
	z->free_blocks[0]++;
	p->flags &= ~ZS_PG_HEAD;
	if (zs26_of(vm)->kver == ZS_KV_2618) {
		/* KERNEL: 2.6.18 mm/page_alloc.c free_hot_cold_page(): head of pcp[cold] */
		pcp = &zs26_zone(z)->pageset[cpu].pcp[cold];
		zs26_mark_pcp(p, 0);
		zs_list_add(pages, &pcp->lists[0], pfn, ZS_LST_PCP);
	} else {
		/* KERNEL: 2.6.32 mm/page_alloc.c free_hot_cold_page() */
		int mt = zs26_pageblock_mt(vm, z, pfn);

		pcp = &zs26_zone(z)->pageset[cpu].pcp[0];
		if (mt >= ZS26_MT_PCPTYPES) {
			if (mt == ZS26_MT_ISOLATE) {
				zs26_zone_freed(z);
				zs26_free_one_page(vm, z, pfn, 0, mt);
				return;
			}
			mt = ZS26_MT_MOVABLE; /* RESERVE pages ride on the movable list */
		}
		zs26_mark_pcp(p, mt);
		if (cold)
			zs_list_add_tail(pages, &pcp->lists[mt], pfn, ZS_LST_PCP);
		else
			zs_list_add(pages, &pcp->lists[mt], pfn, ZS_LST_PCP);
	}
	pcp->count++;
	if (pcp->count >= pcp->high)
		zs26_pcp_spill(vm, z, cpu, pcp);
}

/* buffered_rmqueue(): pcp for order 0, the buddy (__rmqueue) for order > 0. */
ZS26_FAST uint32_t
zs26_buffered_rmqueue(struct zs_vm *vm, struct zs_zone *z, unsigned order, uint32_t gfp,
		      unsigned cpu)
{
	int mt = zs26_gfp_migratetype(vm, gfp);
	uint32_t pfn;

	/* KERNEL: 2.6.32 mm/page_alloc.c buffered_rmqueue(): order 0 via the pcp */
	if (order == 0)
		pfn = zs26_pcp_alloc(vm, z, cpu, gfp, mt);
	else
		pfn = zs26_rmqueue(vm, z, order, mt);
	if (pfn == ZS_NIL)
		return ZS_NIL;
	struct zs_page *p = &vm->machine->pages[pfn];

	p->flags |= ZS_PG_HEAD;
	p->order = (uint8_t)order;
	p->aux = 0;
	/* KERNEL: __count_zone_vm_events(PGALLOC, zone, 1 << order) */
	z->pgalloc += 1u << order;
	z->alloc_blocks[order]++;
	return pfn;
}

/*
 * KERNEL: 2.6.18 mm/vmstat.c zone_statistics(zonelist, z), called by
 * buffered_rmqueue() for every block it hands out: the preferred zone is
 * zonelist->zones[0] (2.6.32: preferred_zone, the first zone the nodemask
 * allows - the same zone here, as zl is already filtered); `local` is
 * numa_node_id(), the allocating CPU's node.
 */
static inline void
zs26_zone_statistics(struct zs_zone *preferred, struct zs_zone *z, int local)
{
	struct zs26_zone *zz = zs26_zone(z);

	if (z->node == preferred->node) {
		zz->numa_hit++;
	} else {
		zz->numa_miss++;
		zs26_zone(preferred)->numa_foreign++;
	}
	if (z->node == local)
		zz->local_node++;
	else
		zz->other_node++;
}

/* A block from zone z of the walk handed out: the NUMA counters of zone_statistics. */
static inline uint32_t
zs26_numa_served(struct zs_machine *m, struct zs_zone *preferred, struct zs_zone *z,
		 unsigned cpu, uint32_t pfn)
{
	zs26_zone_statistics(preferred, z, m->cpu_node[cpu]);
	/* the NUMA_* differentials this CPU now holds on z (2.6.32 expire) */
	zs26_zone(z)->pageset[cpu].stat_touched = 1;
	return pfn;
}

/* ---- page_alloc_zonelists.c ---- */
/* numa_zonelist_order (2.6.23+); 2.6.18 builds every zonelist in node order. */
enum { ZS26_ZONELIST_ORDER_DEFAULT = 0, ZS26_ZONELIST_ORDER_NODE, ZS26_ZONELIST_ORDER_ZONE };
/* "node" or "zone". */
const char *zs26_zonelist_order_name(int order);
/* gfp_zone() of the version: the highest zone type the request may use. */
static inline int
zs26_gfp_zone(enum zs_kver v, uint32_t gfp)
{
	/*
	 * KERNEL: 2.6.18 include/linux/gfp.h gfp_zone() via the "loner" zonelist
	 * index (precedence DMA > DMA32 > HIGHMEM > NORMAL); 2.6.32 GFP_ZONE_TABLE
	 * gives the same answer for every valid combination.  MOVABLE|HIGHMEM is
	 * ZONE_MOVABLE in 2.6.32, which zsim never populates: its zonelist equals
	 * HighMem's, so HIGHMEM stands in for it.
	 */
	/* indexed by the three zone bits, DMA 0x1, HIGHMEM 0x2, DMA32 0x4 (one load, no branch) */
	static const unsigned char zone_of[8] = {
		[0] = ZS_ZONE_NORMAL, [GFP26_HIGHMEM] = ZS_ZONE_HIGHMEM,
		[GFP26_DMA32] = ZS_ZONE_DMA32, [GFP26_DMA32 | GFP26_HIGHMEM] = ZS_ZONE_DMA32,
		[GFP26_DMA] = ZS_ZONE_DMA, [GFP26_DMA | GFP26_HIGHMEM] = ZS_ZONE_DMA,
		[GFP26_DMA | GFP26_DMA32] = ZS_ZONE_DMA,
		[GFP26_DMA | GFP26_DMA32 | GFP26_HIGHMEM] = ZS_ZONE_DMA,
	};
	_Static_assert((GFP26_DMA | GFP26_HIGHMEM | GFP26_DMA32) == 7, "the zone bits are 0..2");

	(void)v;
	return zone_of[gfp & (GFP26_DMA | GFP26_HIGHMEM | GFP26_DMA32)];
}

/* build_all_zonelists(): node orders (find_next_best_node) and zonelists per class. */
int zs26_build_zonelists(struct zs_vm *vm, struct zs_error *err);
void zs26_free_zonelists(struct zs_vm *vm);

/* ---- page_alloc.c ---- */
/* The zonelist for (node, class), honouring __GFP_THISNODE (2.6.32). */
static inline int
zs26_zonelist(struct zs_vm *vm, int node, uint32_t gfp, const int **zl)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_node *nm = vm->machine->nodes[node].model;
	int c = zs26_gfp_zone(k->kver, gfp);
	int len = nm->zonelist_len[c];

	*zl = nm->zonelist[c];
	if (k->kver == ZS_KV_2632 && (gfp & GFP26_THISNODE)) {
		/* KERNEL: 2.6.32 include/linux/gfp.h gfp_zonelist(): NUMA_BUILD and
		 * __GFP_THISNODE take the this-node-only list (zsim models CONFIG_NUMA builds) */
		int n = 0;

		while (n < len && vm->machine->zones[(*zl)[n]].node == node)
			n++;
		len = n;
	}
	return len;
}

/*
 * get_page_from_freelist() over zl (classzone = type of zl[0] zone); returns the
 * pfn or ZS_NIL.  Counts pgalloc and alloc_blocks, marks the head page.
 */
uint32_t zs26_get_page_from_freelist(struct zs_vm *vm, struct zs_alloc_req *req, uint32_t gfp,
				     unsigned order, const int *zl, int nzl, int alloc_flags,
				     struct zs26_zlc *zlc);

/* ---- page_alloc_zlc.c (2.6.32) ---- */
/* The zonelist cache of node's zonelist for gfp: NULL on 2.6.18 and for __GFP_THISNODE. */
static inline struct zs26_zlc *
zs26_zlc_of(struct zs_vm *vm, int node, uint32_t gfp)
{
	/* KERNEL: 2.6.32 mm/page_alloc.c build_zonelist_cache(): node_zonelists[0] only */
	if (zs26_of(vm)->kver != ZS_KV_2632 || (gfp & GFP26_THISNODE))
		return NULL;
	return &((struct zs26_node *)vm->machine->nodes[node].model)->zlc;
}
/* zlc_setup(): zap the bitmap when more than HZ jiffies old (no-op for NULL). */
void zs26_zlc_setup(struct zs_vm *vm, struct zs26_zlc *zlc);
/* zlc_zone_worth_trying(): not marked full (NULL: every zone is). */
static inline int
zs26_zlc_zone_worth_trying(const struct zs26_zlc *zlc, int zone_id)
{
	return !zlc || !(zlc->fullzones[zone_id >> 6] & (1ull << (zone_id & 63)));
}
/* zlc_mark_zone_full() (no-op for NULL). */
static inline void
zs26_zlc_mark_zone_full(struct zs26_zlc *zlc, int zone_id)
{
	if (zlc)
		zlc->fullzones[zone_id >> 6] |= 1ull << (zone_id & 63);
}

/*
 * The zonelist walk of get_page_from_freelist() from its first zone, after
 * zs26_get_page_from_freelist_inline's look at that zone (page_alloc.c).
 */
uint32_t zs26_walk_zonelist(struct zs_vm *vm, struct zs_alloc_req *req, uint32_t gfp,
			    unsigned order, const int *zl, int nzl, int alloc_flags,
			    struct zs26_zlc *zlc, unsigned cpu, int first_failed);
/*
 * The first zone of get_page_from_freelist's walk (zl[0], nzl > 0), where nearly every
 * allocation ends: no zlc test (the cache is set up after the first zone tried),
 * classzone is this zone's type.  A block from it, or ZS_NIL with *first_failed as
 * zs26_walk_zonelist takes it (0: below its mark, 1: buffered_rmqueue found nothing).
 */
ZS26_FAST uint32_t
zs26_first_zone(struct zs_vm *vm, struct zs_alloc_req *req, uint32_t gfp, unsigned order,
		const int *zl, int alloc_flags, unsigned cpu, int *first_failed)
{
	struct zs_machine *m = vm->machine;
	struct zs_zone *z = &m->zones[zl[0]];
	uint32_t pfn;

	(void)req;
	if (!(alloc_flags & ZS26_ALLOC_NO_WATERMARKS) &&
	    !zs26_zone_watermark_ok(z, order, zs26_mark(z, alloc_flags), (int)z->type, alloc_flags)) {
		*first_failed = 0;
		return ZS_NIL;
	}
	pfn = zs26_buffered_rmqueue(vm, z, order, gfp, cpu);
	if (pfn == ZS_NIL) {
		*first_failed = 1;
		return ZS_NIL;
	}
	return zs26_numa_served(m, z, z, cpu, pfn);
}

/* zs26_get_page_from_freelist, inline for the first pass of __alloc_pages (nearly every
 * allocation ends there): the first zone here, the rest of the walk out of line. */
ZS26_FAST uint32_t
zs26_get_page_from_freelist_inline(struct zs_vm *vm, struct zs_alloc_req *req, uint32_t gfp,
				   unsigned order, const int *zl, int nzl, int alloc_flags,
				   struct zs26_zlc *zlc)
{
	unsigned cpu;
	uint32_t pfn;
	int first_failed;

	if (nzl <= 0)
		return ZS_NIL;
	cpu = zs_cpu_index(vm->machine, req->cpu);
	pfn = zs26_first_zone(vm, req, gfp, order, zl, alloc_flags, cpu, &first_failed);
	if (pfn != ZS_NIL)
		return pfn;
	return zs26_walk_zonelist(vm, req, gfp, order, zl, nzl, alloc_flags, zlc, cpu,
				  first_failed);
}

/* Resolve the request's node (req->node < 0: the CPU's node). */
static inline int
zs26_req_node(struct zs_vm *vm, const struct zs_alloc_req *req)
{
	struct zs_machine *m = vm->machine;

	if (req->node >= 0 && req->node < m->nr_nodes)
		return req->node;
	return m->cpu_node[zs_cpu_index(m, req->cpu)];
}

/* Put req->thread to sleep for `jiffies` (the OOM killer's schedule_timeout). */
enum zs_alloc_status zs26_sleep_jiffies(struct zs_vm *vm, struct zs_alloc_req *req,
					unsigned jiffies, int resume_step);
/* HZ/50 in jiffies, at least 1. */
unsigned zs26_hz50(struct zs_vm *vm);
/* End the allocation: record path and pfn. */
static inline enum zs_alloc_status
zs26_done(struct zs_alloc_req *req, uint32_t pfn, int path)
{
	req->pfn = pfn;
	req->path = path;
	return ZS_ALLOC_DONE;
}

/* ---- vmscan_zone.c ---- */
extern const char *const zs26_zr_decline_names[ZS26_ZR_NR];
/* zone_reclaim() of the version: 2.6.18 1 / 0, 2.6.32 a ZS26_ZONE_RECLAIM_* result. */
int zs26_zone_reclaim(struct zs_vm *vm, struct zs_alloc_req *req, struct zs_zone *z,
		      uint32_t gfp, unsigned order);
/* The unmapped page cache the version's decline test compares with min_unmapped_pages. */
uint64_t zs26_zone_pagecache_reclaimable(struct zs_vm *vm, struct zs_zone *z);
/* min_unmapped_pages / min_slab_pages of every zone from the ratios. */
void zs26_setup_zone_reclaim(struct zs_vm *vm);
/* __inc/__dec_zone_page_state(page, item) for pfn's zone. */
void zs26_zone_stat_mod(struct zs_vm *vm, uint32_t pfn, int item, int delta);
/* The page enters / leaves the page cache (ZS26_PG_PAGECACHE, NR_FILE_PAGES). */
void zs26_pagecache_add(struct zs_vm *vm, uint32_t pfn);
void zs26_pagecache_remove(struct zs_vm *vm, uint32_t pfn);
/* vm_stat[] against a walk of z's pages; 0 or -1 with err. */
int zs26_zone_stat_check(struct zs_vm *vm, struct zs_zone *z, struct zs_error *err);
/* summary.txt lines (nothing when zone_reclaim_mode is 0). */
void zs26_zone_reclaim_summary(struct zs_vm *vm, FILE *f);

/* ---- page_alloc_2618.c / page_alloc_2632.c ---- */
/* Each version's __alloc_pages over pz, the zonelists zs26_policy_zonelist gave this call. */
enum zs_alloc_status zs26_alloc_2618(struct zs_vm *vm, struct zs_alloc_req *req,
				     const struct zs26_pzl *pz);
enum zs_alloc_status zs26_alloc_2632(struct zs_vm *vm, struct zs_alloc_req *req,
				     const struct zs26_pzl *pz);

/* ---- reclaim: vmscan.h ---- */

/* ---- oom_kill.c ---- */
/* out_of_memory() of the version (oom_kill.c).  1 = killed one (or current got
 * TIF_MEMDIE), 0 = select_bad_process aborted or nothing was killed, -1 = nothing killable. */
int zs26_out_of_memory(struct zs_vm *vm, struct zs_alloc_req *req);
/* try_set_zone_oom / clear_zonelist_oom over the zones of zl (2.6.32). */
int zs26_try_set_zonelist_oom(struct zs_vm *vm, const int *zl, int nzl);
void zs26_clear_zonelist_oom(struct zs_vm *vm, const int *zl, int nzl);

/* Both __alloc_pages versions keep their history bits in req->local[0] (L_HIST). */
#define ZS26_H_OOM 1   /* restarted after the OOM killer (or its lock back-off) */
#define ZS26_H_RETRY 2 /* retried after congestion_wait */

/* The exit name of a success: restarts and retries are visible in the name. */
static inline int
zs26_served(const struct zs_alloc_req *req, int pass)
{
	if (req->local[0] & ZS26_H_OOM)
		return ZS26_P_OOM_RETRY;
	if ((req->local[0] & ZS26_H_RETRY) && pass == ZS26_P_RECLAIM)
		return ZS26_P_RETRY;
	return pass;
}

#endif
