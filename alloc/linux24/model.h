/*
 * model.h - private interface of the Linux 2.4.0 VM model (the Rik van
 * Riel "multiqueue" VM): the files of alloc/linux24/ and tests/test_24_*.c only.
 * Each file of alloc/linux24/ is named after the 2.4.0 source file whose
 * functions it models; the prototypes below are grouped by that file.
 *
 * Model.  One global active list and one global inactive_dirty list, one
 * inactive_clean list per zone, page->age with PAGE_AGE_START/ADV/MAX and a
 * halving decline, PG_referenced, memory_pressure and inactive_target, the
 * integer free_shortage()/inactive_shortage(), __alloc_pages with its passes,
 * and the daemons kswapd, kreclaimd, bdflush and kupdate as simulated threads.
 * Anonymous pages are on no list until swap_out gives them a swap slot.
 * Scanners take pages from the tail; every move inserts at the head.
 *
 * Reference counts are derived, not stored: a page counts one reference for
 * the page or swap cache (Z24_PG_CACHE / ZS_PG_SWAPCACHE), one for a mapping
 * PTE (ZS_PG_MAPPED) and one for attached buffers (Z24_PG_BUFFERS); a pure
 * buffer-cache page counts one for its buffers.  See z24_page_count().
 *
 * Invariants (zs24_check): a page is on at most one of the three lists and
 * page->list names it; ZS_PG_LRU is set iff it is on one, ZS_PG_ACTIVE iff on
 * active; nr_active == active.count; the global inactive_dirty count equals
 * the sum of the zones' inactive_dirty_pages counters; every swap-cache page's
 * aux is a slot in use with swapcache[slot] == pfn, and a Z24_PG_NOPTE page is
 * such a page that no binding maps; nr_dirty equals the number of
 * live entries of the dirty-buffer ring, and every Z24_PG_BUFDIRTY page has one.
 *
 * KERNEL: 2.4.0 mm/page_alloc.c, mm/vmscan.c, mm/swap.c, mm/oom_kill.c,
 * fs/buffer.c, include/linux/swap.h (rivsidn/linux-2.4.0 @02f3929).
 */
#ifndef ZS_LINUX24_MODEL_H
#define ZS_LINUX24_MODEL_H

#include <stdint.h>
#include <stdio.h>

#include "alloc/machine.h"
#include "alloc/policy.h"
#include "alloc/vm.h"
#include "sim/engine.h"

struct zs_vm;
struct zs_task;
struct zs_cfg;

/* KERNEL: 2.4.0 include/linux/swap.h */
#define Z24_PAGE_AGE_START 2
#define Z24_PAGE_AGE_ADV 3
#define Z24_PAGE_AGE_MAX 64
#define Z24_INACTIVE_SHIFT 6
/* KERNEL: 2.4.0 include/linux/blkdev.h (IDE's max_readahead is MAX_READAHEAD too) */
#define Z24_MAX_READAHEAD 31
#define Z24_MIN_READAHEAD 3
/* KERNEL: 2.4.0 include/linux/mmzone.h MAX_ORDER */
#define Z24_MAX_ORDER 10
/* KERNEL: 2.4.0 mm/vmscan.c SWAP_SHIFT, SWAP_MIN */
#define Z24_SWAP_SHIFT 5
#define Z24_SWAP_MIN 8

/* __alloc_pages_limit's limit argument. KERNEL: 2.4.0 mm/page_alloc.c */
enum { Z24_PAGES_MIN = 0, Z24_PAGES_LOW = 1, Z24_PAGES_HIGH = 2 };

/* z24_mm.swap_address past the task's last page (no binding index reaches it). */
#define Z24_SWAP_END (ZS_NIL - 1)

/* The model's LRU list tags (page->list). */
enum {
	Z24_LST_ACTIVE = ZS_LST_MODEL + 0,
	Z24_LST_INACTIVE_DIRTY = ZS_LST_MODEL + 1,
	Z24_LST_INACTIVE_CLEAN = ZS_LST_MODEL + 2
};

/* The model's page flags (bits from ZS_PG_MODEL0). */
enum {
	Z24_PG_BUFFERS = ZS_PG_MODEL0 << 0,  /* page->buffers != NULL */
	Z24_PG_BUFDIRTY = ZS_PG_MODEL0 << 1, /* its buffers hold dirty data (BUF_DIRTY list) */
	Z24_PG_PTEDIRTY = ZS_PG_MODEL0 << 2, /* the mapping PTE's dirty bit */
	Z24_PG_FREEPEND = ZS_PG_MODEL0 << 3, /* owner freed it while under I/O: free at completion */
	Z24_PG_CACHE = ZS_PG_MODEL0 << 4,    /* in the page cache (page->mapping is a file) */
	Z24_PG_NOPTE = ZS_PG_MODEL0 << 5     /* swap-cache page whose entry no PTE holds any
					      * more: reclaim_page frees the slot with it */
};

/* __alloc_pages exits (req->path). */
enum z24_path {
	Z24_P_PASSA = 0,     /* pass A: a zone with free >= pages_low */
	Z24_P_HIGH,          /* __alloc_pages_limit(PAGES_HIGH) */
	Z24_P_LOW,           /* __alloc_pages_limit(PAGES_LOW) */
	Z24_P_MIN,           /* after wakeup_kswapd(0) + yield, __alloc_pages_limit(PAGES_MIN) */
	Z24_P_HIGHORDER,     /* page_launder + reclaim_page into the buddy, then rmqueue */
	Z24_P_RETRY_KSWAPD,  /* any pass, after at least one wakeup_kswapd(1) + goto try_again */
	Z24_P_RETRY_TFP,     /* any pass, after at least one try_to_free_pages + goto try_again */
	Z24_P_FINAL,         /* final phase rmqueue (pages_min/4 floor unless PF_MEMALLOC) */
	Z24_P_FINAL_RECLAIM, /* final phase reclaim_page of an OOM victim (direct_reclaim) */
	Z24_P_FAIL,          /* "__alloc_pages: N-order allocation failed." */
	Z24_NR_PATHS
};

/* __alloc_pages resume points (req->step), exposed for the tests. */
enum {
	Z24_S_ENTRY = 0,    /* a node's __alloc_pages begins */
	Z24_S_TRY_AGAIN,    /* try_again: */
	Z24_S_PASS_D,       /* after the yield of step 7 */
	Z24_S_HO_RECLAIM,   /* high-order path, after page_launder's synchronous I/O */
	Z24_S_AFTER_KSWAPD, /* woken from kswapd_done */
	Z24_S_AFTER_TFP,    /* after try_to_free_pages' CPU time */
	Z24_S_FINAL         /* final phase */
};
/* req->local[] slots: direct_reclaim, retried (1 kswapd, 2 try_to_free_pages), nodes */
enum { Z24_L_DIRECT = 0, Z24_L_RETRIED = 1, Z24_L_NODE0 = 2, Z24_L_NODEI = 3 };

/* Tunables (the scenario's `kernel:` map).  Times in ns. */
struct z24_tunables {
	int64_t ratio[3];           /* zone_balance_ratio (memfrac=) */
	int64_t balance_min, balance_max;
	int64_t nr_cpus_build;      /* NR_CPUS: memory_pressure's free-side guard */
	int64_t page_cluster;       /* swap_setup(): 2 (<16 MiB), 3 (<32 MiB), else 4 */
	int64_t swap_cluster;       /* pager_daemon.swap_cluster (async swap write limit) */
	/* bdflush parameters (bdf_prm) */
	int64_t nfract, ndirty, nfract_sync;
	int64_t interval_ns, age_buffer_ns;
	/* CPU costs */
	int64_t cost_scan_ns;       /* one page looked at by an LRU scanner */
	int64_t cost_pte_ns;        /* one PTE looked at by swap_out */
	int64_t cost_write_ns;      /* one page submitted for write (buffer or swap) */
	int64_t cost_reclaim_ns;    /* one page taken out of the page/swap cache */
	int64_t cost_loop_ns;       /* fixed cost of a kswapd / bdflush / kupdate loop iteration */
	int64_t cost_wakeup_ns;     /* fixed cost of a kreclaimd wake-up (schedule + zone walk) */
	int64_t io_queue_pages;     /* writes in flight beyond which a writer waits */
};

/* Per-zone state (zone->model). */
struct z24_zone {
	struct zs_list inactive_clean; /* inactive_clean_list */
	uint64_t inactive_dirty_pages; /* counter: this zone's pages on the global list */
	/* Marcelo Tosatti's 2.4.6 per-zone statistics names */
	uint64_t scan, clean, skipl, skipd, launder, react, rescue, deact, recfail;
	/* zsim's, with 2.6's zone_statistics() definitions (2.4.0 counts no such thing) */
	uint64_t numa_hit, numa_miss, numa_foreign, local_node, other_node;
};

/* Per-task (mm) state of swap_out. */
struct z24_mm {
	uint64_t swap_cnt;
	uint64_t file_rss;     /* its mapped page-cache pages (mm->rss counts them beside anon) */
	uint32_t swap_address; /* binding index to resume at, ZS_NIL = from the start,
				* Z24_SWAP_END = past the last page */
	/* the read-ahead context of the file it reads (struct file f_raend, f_ralen,
	 * f_ramax, f_rawin; indexes are page handles), filemap.c */
	uint64_t raend, ralen, ramax, rawin;
};

/* One disk request in flight: the pages it unlocks when it completes. */
#define Z24_IO_SWAP 0x80000000u
#define Z24_IO_ASYNC 0x40000000u /* counted in nr_async_pages */
#define Z24_IO_READ 0x20000000u  /* a swap read-ahead page (pfns stay below this bit) */
struct z24_io {
	struct z24 *s;
	struct z24_io *next, *prev;
	zs_time_t end;  /* completion time */
	uint32_t n;
	uint32_t pfn[]; /* pfn | Z24_IO_SWAP for swap writes | Z24_IO_READ for reads */
};

/* Work context of one step of a thread: what it charges and waits for. */
struct z24_ctx {
	struct zs_thread *thread; /* may be NULL (tests) */
	struct zs_task *task;     /* current, or NULL for daemons */
	int pfm;                  /* current has PF_MEMALLOC */
	zs_time_t cost_ns;        /* CPU consumed so far */
	zs_time_t io_until;       /* synchronous I/O this step must wait for (0 = none) */
	int sync_batch;           /* the pending batch holds a synchronous write */
};

/* One entry of the BUF_DIRTY ring. */
struct z24_dirty {
	uint32_t pfn;
	uint32_t ticket;      /* low 32 bits of the entry's sequence number */
	zs_time_t flushtime;  /* b_flushtime */
};

/* The dirty-buffer ring entry at sequence number seq. */
#define Z24_DIRTY_AT(s, seq) (&(s)->dring[(seq) & ((s)->dcap - 1)])

struct z24 {
	struct zs_vm *vm;
	struct zs_machine *m;
	struct z24_tunables tun;

	/* LRU */
	struct zs_list active, inactive_dirty;
	uint64_t nr_inactive_clean; /* the zones' inactive_clean lists' pages, summed */

	/* KERNEL: 2.4.0 mm/swap.c */
	int64_t memory_pressure;
	uint64_t freepages_min, freepages_low, freepages_high;
	uint64_t num_physpages;
	int64_t last_recalc;        /* jiffies of the last recalculate_vm_stats */
	uint64_t nr_cpus;           /* NR_CPUS */
	int hz;                     /* HZ (jiffies per second) */
	uint64_t max_launder;       /* MAX_LAUNDER = 4 << page_cluster */

	/* swap cache: slot -> pfn */
	uint32_t *swapcache;
	uint64_t nr_slots, swapcache_pages;
	uint64_t nr_async_pages;    /* swap writes in flight */

	/*
	 * dirty buffers: the BUF_DIRTY lru, oldest first.  b_flushtime = dirtying
	 * time + age_buffer, so the list is a FIFO: a ring of (pfn, ticket,
	 * flushtime) with lazy deletion.  A dirty page's aux holds the ticket of its
	 * entry; an entry whose page is clean or holds another ticket is stale and
	 * skipped (the kernel's list_del).  Memory follows the dirtying activity, not
	 * the machine size, keeping the page array within its 24 bytes.
	 */
	struct z24_dirty *dring;
	uint64_t dcap;              /* power of two */
	uint64_t dhead, dtail;      /* sequence numbers: head = oldest */
	uint64_t nr_dirty;
	uint64_t buffermem_pages, page_cache_size;
	uint64_t writes_in_flight;  /* pages submitted, not completed */
	/* write batch being built (pfn | Z24_IO_SWAP), submitted as one disk request */
	uint32_t *iob;
	uint32_t iob_n, iob_cap;
	struct z24_io *io_list;     /* requests in flight (freed at completion or destroy) */

	/* per task */
	struct z24_mm *mm;
	uint32_t nr_mm;

	/* daemons */
	struct zs_thread *kswapd, *kreclaimd, *bdflush, *kupdate;
	struct zs_waitqueue kswapd_wait, kswapd_done, kreclaimd_wait, bdflush_wait;
	int kswapd_phase;
	int kswapd_sync_wait;       /* someone waited on kswapd_done at loop start */
	int kreclaimd_started, bdflush_started, kupdate_started;

	/* statistics */
	uint64_t launder, launder_w, ref_inact, alloc_r;
	uint64_t kswapd_w, krec_w, kflush_w, kupdate_runs;
	uint64_t kswapd_loops, kswapd_nosleep, kswapd_done_waits;
	zs_time_t kswapd_cpu, kreclaimd_cpu, bdflush_cpu, kupdate_cpu, direct_cpu;
	uint64_t unmapped, swap_alloc_fail, oom_kills, vm_kills, oom_checks, oom_no_victim;
	uint64_t oom_rekills;       /* oom_kill() chose a victim that was still exiting */
	uint64_t highorder_tries;
	uint64_t swapin_ra_pages;   /* pages read by swapin_readahead */
	/* mm/numa.c alloc_pages()'s static `next`: the node the next allocation starts
	 * its round-robin at; one per simulated kernel, so runs in one process (tests,
	 * comparisons) never share it */
	unsigned numa_next;
	/* build_zonelists() of every node, made at boot (zs24_build_zonelists): [node][class],
	 * class 0 = Normal, 1 = HighMem, 2 = DMA (the highest zone a gfp mask may use) */
	struct zs_zone *zonelist[ZS_MAX_NODES][3][ZS_NR_ZONE_TYPES];
	uint8_t zonelist_len[ZS_MAX_NODES][3];
};

/* ---- model.c ---- */
/* The model's global state. */
static inline struct z24 *
zs24_state(struct zs_vm *vm)
{
	return (struct z24 *)vm->model;
}
/* Per-zone state. */
static inline struct z24_zone *
zs24_zone(struct zs_zone *z)
{
	return (struct z24_zone *)z->model;
}
/* Current jiffies (simulated time at the machine's HZ). */
int64_t zs24_jiffies(struct z24 *s);
/* The per-task swap_out state of t (grown on demand). */
struct z24_mm *zs24_mm(struct z24 *s, struct zs_task *t);
/* Read the `kernel:` map into tun (defaults first); -1 with err on a bad key/value. */
int zs24_tunables(struct z24_tunables *tun, struct zs_cfg *kcfg, uint64_t pages,
		  struct zs_error *err);

/* ---- page_alloc.c ---- */
/* free_area_init_core(): watermarks of every zone and the freepages sums. */
void zs24_setup_watermarks(struct z24 *s);
/* The clamped zone_balance mask for a zone of `realsize` pages of type t. */
uint64_t zs24_zone_mask(const struct z24_tunables *tun, enum zs_zone_type t, uint64_t realsize);
/* KERNEL: 2.4.0 mm/page_alloc.c nr_free_pages() */
static inline uint64_t
zs24_nr_free_pages(struct z24 *s)
{
	/* the zones' sum, kept by the buddy (zs_vm_check compares) */
	return s->m->free_pages;
}

/* KERNEL: 2.4.0 mm/page_alloc.c nr_inactive_clean_pages() */
static inline uint64_t
zs24_nr_inactive_clean_pages(struct z24 *s)
{
	/* the zones' sum, kept as pages join and leave the lists (zs24_check compares) */
	return s->nr_inactive_clean;
}

/* rmqueue(): a block from the buddy lists or ZS_NIL; counts pgalloc. */
uint32_t zs24_rmqueue(struct z24 *s, struct zs_zone *z, unsigned order);
/* __free_pages_ok(): age reset, buddy free, memory_pressure-- above NR_CPUS. */
void zs24_free_pages_ok(struct z24 *s, uint32_t pfn, unsigned order);
/* __alloc_pages_limit(); ZS_NIL when no zone qualifies. */
uint32_t zs24_alloc_pages_limit(struct z24 *s, struct zs_zone *const *zl, int nz,
				unsigned order, int limit, int direct_reclaim,
				struct z24_ctx *c);
/* An order-0 page from the passes of __alloc_pages that never sleep (A, HIGH, LOW, on
 * every node); ZS_NIL when they all fail. */
uint32_t zs24_alloc_nowait(struct z24 *s, uint32_t gfp, struct z24_ctx *c);
/* build_zonelists(): every node's zonelists, once the zones are booted. */
void zs24_build_zonelists(struct z24 *s);
/* The zones for gfp on node (zl has room for ZS_NR_ZONE_TYPES); returns how many. */
int zs24_zonelist(struct z24 *s, int node, uint32_t gfp, struct zs_zone **zl);
/* ops->alloc */
enum zs_alloc_status zs24_alloc(struct zs_vm *vm, struct zs_alloc_req *req);
/* ops->free */
void zs24_free(struct zs_vm *vm, uint32_t pfn, unsigned order, unsigned cpu);

/* ---- swap.c ---- */
void zs24_add_to_active(struct z24 *s, uint32_t pfn);
void zs24_add_to_inactive_dirty(struct z24 *s, uint32_t pfn);
void zs24_add_to_inactive_clean(struct z24 *s, uint32_t pfn);
/* __lru_cache_del: off whichever list holds it (no-op when on none). */
void zs24_lru_del(struct z24 *s, uint32_t pfn);
void zs24_age_page_up(struct z24 *s, uint32_t pfn);
void zs24_age_page_down(struct z24 *s, uint32_t pfn);
void zs24_activate_page(struct z24 *s, uint32_t pfn);
void zs24_deactivate_page(struct z24 *s, uint32_t pfn);
void zs24_lru_cache_add(struct z24 *s, uint32_t pfn);
/* Derived reference count (see the header comment). */
unsigned zs24_page_count(const struct zs_page *p);
/* inactive_target = min(memory_pressure >> 6, num_physpages / 4).
 * KERNEL: 2.4.0 include/linux/swap.h inactive_target */
static inline uint64_t
zs24_inactive_target(struct z24 *s)
{
	uint64_t a = s->memory_pressure > 0 ? (uint64_t)s->memory_pressure >> Z24_INACTIVE_SHIFT : 0;
	uint64_t b = s->num_physpages / 4;

	return a < b ? a : b;
}

/* recalculate_vm_stats(): memory_pressure -= memory_pressure >> 6 */
void zs24_recalculate_vm_stats(struct z24 *s);

/* ---- swap_state.c ---- */
void zs24_swapcache_add(struct z24 *s, uint32_t pfn, uint32_t slot);
void zs24_swapcache_del(struct z24 *s, uint32_t pfn);
/* ops->swap_free */
void zs24_swap_free(struct zs_vm *vm, uint32_t slot);

/* ---- filemap.c ---- */
/* ops->page_added / touch / dirty / swap_cache_find */
void zs24_page_added(struct zs_vm *vm, uint32_t pfn);
void zs24_touch(struct zs_vm *vm, uint32_t pfn);
/* ops->map_file / unmap_file: a fault through a file mapping, and zap_pte_range of it. */
void zs24_map_file(struct zs_vm *vm, uint32_t pfn, int exec, int found);
void zs24_unmap_file(struct zs_vm *vm, uint32_t pfn);
/* set_page_dirty() of a page-cache page whose PTE was dirty (swap_out, exit). */
void zs24_set_page_dirty_mapped(struct z24 *s, uint32_t pfn);
void zs24_dirty(struct zs_vm *vm, uint32_t pfn);
uint32_t zs24_swap_cache_find(struct zs_vm *vm, uint32_t slot);

/* ---- memory.c ---- */
/* swapin_readahead(): read the cluster around slot (cached already) into the swap
 * cache; task is the faulting one (its direct reclaim time), or NULL. */
void zs24_swapin_readahead(struct z24 *s, uint32_t slot, struct zs_task *task);

/* ---- page_io.c ---- */
/* Start an asynchronous write of pfn (swap: swap_writepage; else its buffers). */
void zs24_write_page(struct z24 *s, uint32_t pfn, int swap, int sync, struct z24_ctx *c);
/* Submit the pending write batch as one request (elevator merging). */
void zs24_io_submit(struct z24 *s, struct z24_ctx *c);
/* Read the locked pages pfn[0..n) from swap as one asynchronous request. */
void zs24_io_read(struct z24 *s, const uint32_t *pfn, uint32_t n);
/* When the request in flight that holds pfn completes; 0 when none does. */
zs_time_t zs24_io_end(const struct z24 *s, uint32_t pfn);
/* Free the records of requests still in flight (destroy). */
void zs24_io_fini(struct z24 *s);

/* ---- vmscan.c ---- */
int zs24_refill_inactive_scan(struct z24 *s, unsigned priority, int oneshot, struct z24_ctx *c);
int zs24_page_launder(struct z24 *s, uint32_t gfp, int sync, struct z24_ctx *c);
/* reclaim_page(): a page taken from zone's inactive_clean list, or ZS_NIL. */
uint32_t zs24_reclaim_page(struct z24 *s, struct zs_zone *z, struct z24_ctx *c);
int zs24_swap_out(struct z24 *s, unsigned priority, uint32_t gfp, struct z24_ctx *c);

/* ---- vmscan_kswapd.c ---- */
/* The shortage tests (0 = no shortage), inline: every allocation asks them.  The
 * _of forms take nr_free_pages() and nr_inactive_clean_pages() already read, so a
 * caller asking both reads the two kept sums once. */
/* KERNEL: 2.4.0 mm/vmscan.c free_shortage() */
static inline uint64_t
zs24_free_shortage_of(struct z24 *s, uint64_t nr_free, uint64_t nr_clean)
{
	int64_t freeable = (int64_t)(nr_free + nr_clean);
	int64_t freetarget = (int64_t)(s->freepages_high + zs24_inactive_target(s) / 3);
	int64_t sum = 0;

	/* Are we low on free pages globally? */
	if (freeable < freetarget)
		return (uint64_t)(freetarget - freeable);
	/* If not, is any zone below pages_min + 1 (the "+ 1" overlaps __alloc_pages)? */
	for (int i = 0; i < s->m->nr_zones; i++) {
		struct zs_zone *z = &s->m->zones[i];
		int64_t have = (int64_t)(z->free_pages + zs24_zone(z)->inactive_clean.count);

		if (z->spanned && have < (int64_t)z->pages_min + 1)
			sum += (int64_t)z->pages_min + 1 - have;
	}
	return (uint64_t)sum;
}

static inline uint64_t
zs24_free_shortage(struct z24 *s)
{
	return zs24_free_shortage_of(s, zs24_nr_free_pages(s), zs24_nr_inactive_clean_pages(s));
}

/* KERNEL: 2.4.0 mm/vmscan.c inactive_shortage(): global only, no per-zone term */
static inline uint64_t
zs24_inactive_shortage_of(struct z24 *s, uint64_t nr_free, uint64_t nr_clean)
{
	int64_t shortage = (int64_t)s->freepages_high + (int64_t)zs24_inactive_target(s);

	shortage -= (int64_t)nr_free;
	shortage -= (int64_t)nr_clean;
	shortage -= (int64_t)s->inactive_dirty.count;
	return shortage > 0 ? (uint64_t)shortage : 0;
}

static inline uint64_t
zs24_inactive_shortage(struct z24 *s)
{
	return zs24_inactive_shortage_of(s, zs24_nr_free_pages(s), zs24_nr_inactive_clean_pages(s));
}

/* Sleep t (inside its run step) until absolute time `until`, after its charged work. */
void zs24_sleep_until(struct zs_thread *t, zs_time_t until);
void zs24_wakeup_kswapd(struct z24 *s);
int zs24_do_try_to_free_pages(struct z24 *s, uint32_t gfp, int user, struct z24_ctx *c);
int zs24_refill_inactive(struct z24 *s, uint32_t gfp, int user, struct z24_ctx *c);
int zs24_try_to_free_pages(struct z24 *s, uint32_t gfp, struct z24_ctx *c);
void zs24_kswapd_run(struct zs_thread *t);
void zs24_kreclaimd_run(struct zs_thread *t);
/* The kswapd kick test of __alloc_pages step 3 and __find_page_nolock. */
int zs24_kick_test(struct z24 *s);

/* ---- buffer.c ---- */
void zs24_wakeup_bdflush(struct z24 *s, int block);
int zs24_flush_dirty_buffers(struct z24 *s, int check_time, struct z24_ctx *c);
/* balance_dirty_state(): 1 sync, 0 async, -1 nothing. */
int zs24_balance_dirty_state(struct z24 *s);
void zs24_balance_dirty(struct z24 *s);
void zs24_bdflush_run(struct zs_thread *t);
void zs24_kupdate_run(struct zs_thread *t);
/* Buffers: mark_buffer_dirty (clean -> dirty queues it), clean, detach. */
void zs24_mark_buffer_dirty(struct z24 *s, uint32_t pfn);
void zs24_buffer_clean(struct z24 *s, uint32_t pfn);
/* Is the ring entry at seq the live entry of a dirty page? */
int zs24_dirty_live(const struct z24 *s, uint64_t seq);
/* try_to_free_buffers(): 1 when pfn's buffers could be detached (see buffer.c). */
int zs24_try_to_free_buffers(struct z24 *s, uint32_t pfn, int wait, struct z24_ctx *c);

/* ---- oom_kill.c ---- */
/* The kernel's rough integer square root (never 0). */
unsigned long zs24_isqrt(unsigned long x);
/* badness() of t at time now (jiffies at hz). */
unsigned long zs24_badness(const struct zs_task *t, zs_time_t now, int hz);
/* out_of_memory() */
int zs24_out_of_memory(struct z24 *s);
/* oom_kill(): select_bad_process + kill; returns the victim or NULL. */
struct zs_task *zs24_oom_kill(struct z24 *s);

/* ---- model.c: ops ---- */
int zs24_check(struct zs_vm *vm, struct zs_error *err);
/* The __alloc_pages exit names, indexed by enum z24_path. */
extern const char *const zs24_path_names[Z24_NR_PATHS];

/* The page at pfn. */
static inline struct zs_page *
z24_pg(struct z24 *s, uint32_t pfn)
{
	return &s->m->pages[pfn];
}

/* The 2.4 state of the zone holding pfn. */
static inline struct z24_zone *
z24_zone_of(struct z24 *s, uint32_t pfn)
{
	return zs24_zone(zs_pfn_zone(s->m, pfn));
}

#endif
