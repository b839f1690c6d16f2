/*
 * page_alloc_2632.c - __alloc_pages_nodemask() and __alloc_pages_slowpath() of
 * Linux 2.6.32 (mm/page_alloc.c), step by step (kernel-2.6.md §5.B, seed
 * 004), as a resumable state machine: congestion_wait(BLK_RW_ASYNC, HZ/50),
 * the OOM-lock back-off and out_of_memory's 1-jiffy sleep put req->thread to
 * sleep and the next call resumes at req->step.
 *
 * SUBTLE: out_of_memory sleeps while this allocation still holds the
 * zonelist OOM lock (ZONE_OOM_LOCKED), so an allocator reaching
 * __alloc_pages_may_oom during that jiffy backs off for a jiffy and restarts.
 *
 * Invariant: every return of ZS_ALLOC_DONE sets req->path to one exit name,
 * and a finished allocation never leaves a zone OOM-locked.
 */
#include "alloc/linux26/model.h"

enum {
	L_HIST = 0,      /* bit 0: restarted after OOM; bit 1: retried after congestion_wait */
	L_AFLAGS = 1,    /* alloc_flags from gfp_to_alloc_flags */
	L_RECLAIMED = 2, /* pages_reclaimed */
};

enum {
	S_START = 0,
	S_OOM_BACKOFF = 1, /* after the jiffy slept when another task held the OOM lock */
	S_NOFAIL_LOOP = 2, /* __alloc_pages_high_priority's congestion_wait */
	S_REBALANCE = 3,   /* after should_alloc_retry's congestion_wait */
	S_OOM_SLEPT = 4,   /* after out_of_memory's jiffy, the lock still held */
	S_RECLAIM = 5,     /* inside try_to_free_pages, after one of its naps */
};

/* KERNEL: 2.6.32 mm/page_alloc.c gfp_to_alloc_flags() */
static int
gfp_to_alloc_flags(const struct zs_alloc_req *req)
{
	const uint32_t gfp = req->gfp;
	const uint32_t tflags = req->task ? req->task->flags : 0;
	int flags = ZS26_ALLOC_WMARK_MIN | ZS26_ALLOC_CPUSET;

	if (gfp & GFP26_HIGH)
		flags |= ZS26_ALLOC_HIGH; /* ALLOC_HIGH == __GFP_HIGH by construction */
	if (!(gfp & GFP26_WAIT)) {
		flags |= ZS26_ALLOC_HARDER;
		flags &= ~ZS26_ALLOC_CPUSET;
	} else if (tflags & ZS_TASK_RT) {
		flags |= ZS26_ALLOC_HARDER;
	}
	if (!(gfp & GFP26_NOMEMALLOC) && (tflags & (ZS_PF_MEMALLOC | ZS_TIF_MEMDIE)))
		flags |= ZS26_ALLOC_NO_WATERMARKS;
	return flags;
}

/* KERNEL: 2.6.32 mm/page_alloc.c should_alloc_retry() */
static int
should_alloc_retry(uint32_t gfp, unsigned order, uint64_t pages_reclaimed)
{
	if (gfp & GFP26_NORETRY)
		return 0;
	if (order <= ZS26_COSTLY_ORDER)
		return 1;
	if ((gfp & GFP26_REPEAT) && pages_reclaimed < (1ull << order))
		return 1;
	if (gfp & GFP26_NOFAIL)
		return 1;
	return 0;
}

/*
 * KERNEL: 2.6.32 mm/page_alloc.c __alloc_pages_slowpath(), entered after the first
 * get_page_from_freelist of __alloc_pages_nodemask found nothing (req->step ==
 * S_START) or to resume a sleeping allocation at req->step.  Out of line, so the
 * first pass (zs26_alloc_2632) keeps a small frame.
 */
static __attribute__((noinline)) enum zs_alloc_status
alloc_pages_slowpath(struct zs_vm *vm, struct zs_alloc_req *req, const struct zs26_pzl *pz)
{
	struct zs26 *k = zs26_of(vm);
	const uint32_t gfp = req->gfp;
	const unsigned order = req->order;
	const int wait = (gfp & GFP26_WAIT) != 0;
	const int *zl = pz->zl, *wl = pz->all;
	const int nzl = pz->nzl, nwl = pz->nall;
	struct zs26_zlc *zlc = zs26_zlc_of(vm, pz->node, gfp);
	uint32_t pfn;
	int alloc_flags = (int)req->local[L_AFLAGS];
	uint64_t progress;

	switch (req->step) {
	case S_START:
		break; /* the first pass found nothing */
	case S_OOM_BACKOFF:
		/* __alloc_pages_may_oom returned NULL after its jiffy */
		if (order > ZS26_COSTLY_ORDER && !(gfp & GFP26_NOFAIL))
			return zs26_done(req, ZS_NIL, ZS26_P_FAIL_COSTLY);
		goto restart;
	case S_NOFAIL_LOOP:
		goto high_priority;
	case S_REBALANCE:
		goto rebalance;
	case S_RECLAIM:
		goto reclaim;
	case S_OOM_SLEPT:
		zs26_clear_zonelist_oom(vm, wl, nwl);
		/* page is NULL here and order <= 3 or __GFP_NOFAIL: back to the top */
		goto restart;
	default:
		ZS_BUG_ON(1);
	}

	/* KERNEL: 2.6.32 __alloc_pages_slowpath() (order >= MAX_ORDER is refused by the driver) */
	/* KERNEL: NUMA_BUILD && (gfp_mask & GFP_THISNODE) == GFP_THISNODE: no reclaim;
	 * zsim models CONFIG_NUMA builds, as x86_64 distribution kernels are, on any
	 * number of nodes */
	if ((gfp & (GFP26_THISNODE | GFP26_NOWARN | GFP26_NORETRY)) ==
		    (GFP26_THISNODE | GFP26_NOWARN | GFP26_NORETRY))
		return zs26_done(req, ZS_NIL, ZS26_P_FAIL_THISNODE);

restart:
	req->step = S_START;
	/* KERNEL: 2.6.32 wake_all_kswapd(): re-woken on every restart */
	for (int i = 0; i < nwl; i++)
		zs26_wakeup_kswapd(vm, &vm->machine->zones[wl[i]], order);
	alloc_flags = gfp_to_alloc_flags(req);
	req->local[L_AFLAGS] = alloc_flags;
	pfn = zs26_get_page_from_freelist(vm, req, gfp, order, zl, nzl,
					  alloc_flags & ~ZS26_ALLOC_NO_WATERMARKS, zlc);
	if (pfn != ZS_NIL)
		return zs26_done(req, pfn, zs26_served(req, ZS26_P_MIN));

rebalance:
	req->step = S_START;
	if (alloc_flags & ZS26_ALLOC_NO_WATERMARKS) {
high_priority:
		/* KERNEL: 2.6.32 __alloc_pages_high_priority() */
		pfn = zs26_get_page_from_freelist(vm, req, gfp, order, zl, nzl,
						  ZS26_ALLOC_NO_WATERMARKS, zlc);
		if (pfn != ZS_NIL)
			return zs26_done(req, pfn, ZS26_P_NOWMARK);
		if (gfp & GFP26_NOFAIL)
			return zs26_congestion_wait(vm, req, zs26_hz50(vm), S_NOFAIL_LOOP);
	}
	if (!wait)
		return zs26_done(req, ZS_NIL, ZS26_P_FAIL_ATOMIC);
	/* no recursion into reclaim */
	if (req->task && (req->task->flags & ZS_PF_MEMALLOC))
		return zs26_done(req, ZS_NIL, ZS26_P_FAIL_MEMALLOC);
	/* a dying task fails fast instead of reclaiming */
	if (req->task && (req->task->flags & ZS_TIF_MEMDIE) && !(gfp & GFP26_NOFAIL))
		return zs26_done(req, ZS_NIL, ZS26_P_FAIL_MEMDIE);

	/* KERNEL: 2.6.32 __alloc_pages_direct_reclaim() */
	req->step = S_RECLAIM;
reclaim:
	if (zs26_try_to_free_pages(vm, req, zl, nzl, &progress))
		return ZS_ALLOC_BLOCKED;
	req->step = S_START;
	if (order != 0)
		zs26_drain_all_pages(vm);
	if (progress) {
		pfn = zs26_get_page_from_freelist(vm, req, gfp, order, zl, nzl, alloc_flags, zlc);
		if (pfn != ZS_NIL)
			return zs26_done(req, pfn, zs26_served(req, ZS26_P_RECLAIM));
	}

	if (!progress && (gfp & GFP26_FS) && !(gfp & GFP26_NORETRY)) {
		/* KERNEL: 2.6.32 __alloc_pages_may_oom() */
		req->local[L_HIST] |= ZS26_H_OOM;
		if (!zs26_try_set_zonelist_oom(vm, wl, nwl)) {
			k->oom_lock_waits++;
			return zs26_sleep_jiffies(vm, req, 1, S_OOM_BACKOFF);
		}
		pfn = zs26_get_page_from_freelist(vm, req, gfp | GFP26_HARDWALL, order, zl, nzl,
						  ZS26_ALLOC_WMARK_HIGH | ZS26_ALLOC_CPUSET, zlc);
		if (pfn != ZS_NIL) {
			zs26_clear_zonelist_oom(vm, wl, nwl);
			return zs26_done(req, pfn, ZS26_P_HIGH);
		}
		/* the OOM killer will not help higher-order allocations */
		if (order > ZS26_COSTLY_ORDER && !(gfp & GFP26_NOFAIL)) {
			zs26_clear_zonelist_oom(vm, wl, nwl);
			return zs26_done(req, ZS_NIL, ZS26_P_FAIL_COSTLY);
		}
		int r = zs26_out_of_memory(vm, req);

		if (r < 0) {
			zs26_clear_zonelist_oom(vm, wl, nwl);
			/* DEVIATION: the kernel panics (no killable task); zsim fails */
			return zs26_done(req, ZS_NIL, ZS26_P_FAIL_OOM);
		}
		if (r == 0 || !(req->task && (req->task->flags & ZS_TIF_MEMDIE)))
			/* KERNEL: 2.6.32 mm/oom_kill.c out_of_memory(): a jiffy for the victim */
			return zs26_sleep_jiffies(vm, req, 1, S_OOM_SLEPT);
		zs26_clear_zonelist_oom(vm, wl, nwl);
		goto restart;
	}

	/* KERNEL: 2.6.32 __alloc_pages_slowpath(): pages_reclaimed += did_some_progress */
	req->local[L_RECLAIMED] += (int64_t)progress;
	if (should_alloc_retry(gfp, order, (uint64_t)req->local[L_RECLAIMED])) {
		req->local[L_HIST] |= ZS26_H_RETRY;
		/* KERNEL: 2.6.32 __alloc_pages_slowpath(): congestion_wait(BLK_RW_ASYNC, HZ/50) */
		return zs26_congestion_wait(vm, req, zs26_hz50(vm), S_REBALANCE);
	}
	return zs26_done(req, ZS_NIL, ZS26_P_FAIL_NORETRY);
}

enum zs_alloc_status
zs26_alloc_2632(struct zs_vm *vm, struct zs_alloc_req *req, const struct zs26_pzl *pz)
{
	const uint32_t gfp = req->gfp | GFP26_HARDWALL;
	const int alloc_flags = ZS26_ALLOC_WMARK_LOW | ZS26_ALLOC_CPUSET;
	unsigned cpu;
	uint32_t pfn;
	int first_failed;

	/* a resumed allocation goes on where it slept */
	if (req->step != S_START)
		return alloc_pages_slowpath(vm, req, pz);
	/* KERNEL: 2.6.32 mm/page_alloc.c __alloc_pages_nodemask(): no preferred zone -> NULL */
	if (pz->nzl <= 0)
		return zs26_done(req, ZS_NIL, ZS26_P_FAIL_NOZONE);
	/* KERNEL: 2.6.32 __alloc_pages_nodemask(): the first get_page_from_freelist at
	 * the low watermark (zl is the zonelist filtered by the nodemask); this is
	 * zs26_get_page_from_freelist_inline with the zonelist cache looked up only
	 * for the walk past the first zone */
	cpu = zs_cpu_index(vm->machine, req->cpu);
	pfn = zs26_first_zone(vm, req, gfp, req->order, pz->zl, alloc_flags, cpu, &first_failed);
	if (pfn == ZS_NIL)
		pfn = zs26_walk_zonelist(vm, req, gfp, req->order, pz->zl, pz->nzl, alloc_flags,
					 zs26_zlc_of(vm, pz->node, req->gfp), cpu, first_failed);
	if (pfn != ZS_NIL)
		return zs26_done(req, pfn, ZS26_P_FAST);
	return alloc_pages_slowpath(vm, req, pz);
}
