/*
 * page_alloc_2618.c - __alloc_pages() of Linux 2.6.18 (mm/page_alloc.c), the
 * single function of 2.6.18-2.6.22, step by step (kernel-2.6.md §5.A, seed
 * 000), as a resumable state machine: congestion_wait(WRITE, HZ/50) and the
 * OOM killer's 1-jiffy sleep put req->thread to sleep, and the next call
 * resumes at req->step.
 *
 * SUBTLE: 2.6.18 puts the `rebalance:` label after the PF_MEMALLOC and !wait
 * tests (2.6.20 moved it before them; seed 000 shows the later placement),
 * so a retry goes straight back to direct reclaim.
 *
 * Locals kept across sleeps in req->local[]: see the L_* names.
 * Invariant: every return of ZS_ALLOC_DONE sets req->path to one exit name.
 */
#include "alloc/linux26/model.h"

enum {
	L_HIST = 0,   /* bit 0: restarted after the OOM killer; bit 1: retried */
	L_AFLAGS = 1, /* alloc_flags of the MIN pass */
};

enum {
	S_RESTART = 0,
	S_NOFAIL_LOOP = 1, /* after congestion_wait in the NO_WATERMARKS __GFP_NOFAIL loop */
	S_REBALANCE = 2,   /* after congestion_wait of the retry rule */
	S_OOM_SLEPT = 3,   /* after out_of_memory's 1-jiffy sleep */
	S_RECLAIM = 4,     /* inside try_to_free_pages, after one of its naps */
};


/*
 * __alloc_pages past its first get_page_from_freelist: entered with first_failed = 1
 * when zs26_alloc_2618 tried that pass and found nothing, else (a resumed call, or no
 * zone) at the top.  Out of line, so the first pass keeps a small frame.
 */
static __attribute__((noinline)) enum zs_alloc_status
alloc_pages_2618(struct zs_vm *vm, struct zs_alloc_req *req, const struct zs26_pzl *pz,
		 int first_failed)
{
	const uint32_t gfp = req->gfp;
	const unsigned order = req->order;
	const int wait = (gfp & GFP26_WAIT) != 0;
	const uint32_t tflags = req->task ? req->task->flags : 0;
	/* the policy's zonelist (alloc_pages_current / alloc_page_vma, mempolicy.c) */
	const int *zl = pz->zl;
	const int nzl = pz->nzl;
	uint32_t pfn;
	int alloc_flags;

	/* a new allocation (nearly every call) skips the dispatch's jump table */
	if (req->step != S_RESTART) {
		switch (req->step) {
		case S_RESTART:
			break;
		case S_NOFAIL_LOOP:
			goto nofail_alloc;
		case S_REBALANCE:
			alloc_flags = (int)req->local[L_AFLAGS];
			goto rebalance;
		case S_OOM_SLEPT:
			goto restart;
		case S_RECLAIM:
			alloc_flags = (int)req->local[L_AFLAGS];
			goto reclaim;
		default:
			ZS_BUG_ON(1);
		}
	}

	if (first_failed)
		goto first_pass_failed;

restart:
	/* KERNEL: 2.6.18 mm/page_alloc.c __alloc_pages() restart: */
	req->step = S_RESTART;
	if (nzl == 0)
		return zs26_done(req, ZS_NIL, ZS26_P_FAIL_NOZONE);
	pfn = zs26_get_page_from_freelist(vm, req, gfp | GFP26_HARDWALL, order, zl, nzl,
					  ZS26_ALLOC_WMARK_LOW | ZS26_ALLOC_CPUSET, NULL);
	if (pfn != ZS_NIL)
		return zs26_done(req, pfn, zs26_served(req, ZS26_P_FAST));

first_pass_failed:
	/* below the low mark somewhere: kick background reclaim on every zone of the list */
	for (int i = 0; i < nzl; i++)
		zs26_wakeup_kswapd(vm, &vm->machine->zones[zl[i]], order);

	/* KERNEL: 2.6.18 __alloc_pages(): GFP_ATOMIC gets both HARDER (!wait) and HIGH */
	alloc_flags = ZS26_ALLOC_WMARK_MIN;
	if ((tflags & ZS_TASK_RT) || !wait)
		alloc_flags |= ZS26_ALLOC_HARDER;
	if (gfp & GFP26_HIGH)
		alloc_flags |= ZS26_ALLOC_HIGH;
	if (wait)
		alloc_flags |= ZS26_ALLOC_CPUSET;
	req->local[L_AFLAGS] = alloc_flags;
	pfn = zs26_get_page_from_freelist(vm, req, gfp, order, zl, nzl, alloc_flags, NULL);
	if (pfn != ZS_NIL)
		return zs26_done(req, pfn, zs26_served(req, ZS26_P_MIN));

	/* KERNEL: 2.6.18 __alloc_pages(): PF_MEMALLOC / TIF_MEMDIE ignore the watermarks */
	if (tflags & (ZS_PF_MEMALLOC | ZS_TIF_MEMDIE)) {
		if (!(gfp & GFP26_NOMEMALLOC)) {
nofail_alloc:
			pfn = zs26_get_page_from_freelist(vm, req, gfp, order, zl, nzl,
							  ZS26_ALLOC_NO_WATERMARKS, NULL);
			if (pfn != ZS_NIL)
				return zs26_done(req, pfn, ZS26_P_NOWMARK);
			if (gfp & GFP26_NOFAIL)
				return zs26_congestion_wait(vm, req, zs26_hz50(vm), S_NOFAIL_LOOP);
		}
		return zs26_done(req, ZS_NIL, ZS26_P_FAIL_MEMALLOC);
	}

	/* atomic allocations cannot balance anything */
	if (!wait)
		return zs26_done(req, ZS_NIL, ZS26_P_FAIL_ATOMIC);

rebalance:
	/* KERNEL: 2.6.18 __alloc_pages() rebalance: synchronous reclaim under PF_MEMALLOC */
	req->step = S_RECLAIM;
reclaim:
	{
		uint64_t progress;

		if (zs26_try_to_free_pages(vm, req, zl, nzl, &progress))
			return ZS_ALLOC_BLOCKED;
		req->step = S_RESTART;
		if (progress) {
			pfn = zs26_get_page_from_freelist(vm, req, gfp, order, zl, nzl, alloc_flags, NULL);
			if (pfn != ZS_NIL)
				return zs26_done(req, pfn, zs26_served(req, ZS26_P_RECLAIM));
		} else if ((gfp & GFP26_FS) && !(gfp & GFP26_NORETRY)) {
			/* a very high mark: only catches a parallel OOM kill */
			pfn = zs26_get_page_from_freelist(vm, req, gfp | GFP26_HARDWALL, order, zl,
							  nzl,
							  ZS26_ALLOC_WMARK_HIGH | ZS26_ALLOC_CPUSET, NULL);
			if (pfn != ZS_NIL)
				return zs26_done(req, pfn, zs26_served(req, ZS26_P_HIGH));
			int r = zs26_out_of_memory(vm, req);

			req->local[L_HIST] |= ZS26_H_OOM;
			if (r < 0)
				/* DEVIATION: the kernel panics (no killable task); zsim fails */
				return zs26_done(req, ZS_NIL, ZS26_P_FAIL_OOM);
			if (r == 0 || !(req->task && (req->task->flags & ZS_TIF_MEMDIE)))
				/* KERNEL: 2.6.18 mm/oom_kill.c out_of_memory(): give the victim a jiffy */
				return zs26_sleep_jiffies(vm, req, 1, S_OOM_SLEPT);
			goto restart;
		}
	}

	/* KERNEL: 2.6.18 __alloc_pages(): __GFP_REPEAT means __GFP_NOFAIL for order <= 3 */
	if (!(gfp & GFP26_NORETRY) &&
	    (order <= ZS26_COSTLY_ORDER || (gfp & GFP26_REPEAT) || (gfp & GFP26_NOFAIL))) {
		req->local[L_HIST] |= ZS26_H_RETRY;
		/* KERNEL: 2.6.18 __alloc_pages(): blk_congestion_wait(WRITE, HZ/50) */
		return zs26_congestion_wait(vm, req, zs26_hz50(vm), S_REBALANCE);
	}
	return zs26_done(req, ZS_NIL, ZS26_P_FAIL_NORETRY);
}

enum zs_alloc_status
zs26_alloc_2618(struct zs_vm *vm, struct zs_alloc_req *req, const struct zs26_pzl *pz)
{
	uint32_t pfn;

	/* a resumed call, or no zone: the whole function */
	if (req->step != S_RESTART || pz->nzl == 0)
		return alloc_pages_2618(vm, req, pz, 0);
	/* KERNEL: 2.6.18 mm/page_alloc.c __alloc_pages(): the first get_page_from_freelist
	 * at the low watermark (restart: in alloc_pages_2618 runs it again after an OOM kill) */
	pfn = zs26_get_page_from_freelist_inline(vm, req, req->gfp | GFP26_HARDWALL, req->order,
						 pz->zl, pz->nzl,
						 ZS26_ALLOC_WMARK_LOW | ZS26_ALLOC_CPUSET, NULL);
	if (pfn != ZS_NIL)
		return zs26_done(req, pfn, zs26_served(req, ZS26_P_FAST));
	return alloc_pages_2618(vm, req, pz, 1);
}
