/*
 * page_alloc.c - get_page_from_freelist() and buffered_rmqueue() of 2.6.18 and
 * 2.6.32 (mm/page_alloc.c): the zonelist walk with its watermark test, and the step from a
 * zone to a page (pcp for order 0, the buddy for larger blocks).  Also the
 * small helpers both __alloc_pages versions share (sleeping; the zonelist, the
 * request's node and the ending are static inline in model.h).
 *
 * A zone below its mark is offered to zone_reclaim (vmscan_zone.c) when
 * zone_reclaim_mode is non-zero: 2.6.18 then takes from the zone on success
 * without a second look at the mark; 2.6.32 re-checks the mark after SOME or
 * SUCCESS and moves on after NOSCAN or FULL.
 *
 * 2.6.32 also marks a zone that failed in its zonelist cache and skips marked
 * zones for up to a second (page_alloc_zlc.c).
 *
 * DEVIATION: no cpusets (every zone is allowed, __GFP_HARDWALL and
 * ALLOC_CPUSET change nothing).
 *
 * Invariant: a pfn returned is the head of a block of exactly `order`, marked
 * ZS_PG_HEAD, on no list, and counted in its zone's pgalloc.
 */
#include "alloc/linux26/model.h"

#include "alloc/buddy.h"

/*
 * The zonelist walk of get_page_from_freelist() from its first zone, after the
 * caller's look at that zone: first_failed = 1 when buffered_rmqueue found
 * nothing there (the zone passed its mark, or no mark applies), 0 when it
 * failed its mark (the test reads state only, so the walk repeats it).
 */
uint32_t
zs26_walk_zonelist(struct zs_vm *vm, struct zs_alloc_req *req, uint32_t gfp, unsigned order,
		   const int *zl, int nzl, int alloc_flags, struct zs26_zlc *zlc, unsigned cpu,
		   int first_failed)
{
	struct zs_machine *m = vm->machine;
	struct zs26 *k = zs26_of(vm);
	const int v32 = k->kver == ZS_KV_2632;
	int zlc_active = 0, did_zlc_setup = 0;
	/* KERNEL: 2.6.18 classzone = zone_idx(zonelist->zones[0]); 2.6.32 preferred_zone */
	int classzone_idx = (int)m->zones[zl[0]].type;

zonelist_scan:
	for (int i = 0; i < nzl; i++) {
		struct zs_zone *z = &m->zones[zl[i]];
		uint32_t pfn;

		if (first_failed) {
			/* the caller's rmqueue of the first zone, on the first scan only */
			first_failed = 0;
			goto this_zone_full;
		}
		/* KERNEL: 2.6.32 mm/page_alloc.c get_page_from_freelist(): zlc skips full zones */
		if (zlc_active && !zs26_zlc_zone_worth_trying(zlc, z->id)) {
			k->zlc_skipped++;
			continue;
		}
		if (!(alloc_flags & ZS26_ALLOC_NO_WATERMARKS)) {
			uint64_t mark = zs26_mark(z, alloc_flags);

			if (!zs26_zone_watermark_ok(z, order, mark, classzone_idx, alloc_flags)) {
				int ret;

				if (!k->zone_reclaim_mode)
					goto this_zone_full;
				ret = zs26_zone_reclaim(vm, req, z, gfp, order);
				/* KERNEL: 2.6.18 get_page_from_freelist(): success takes the zone */
				if (!v32) {
					if (!ret)
						continue;
				} else if (ret == ZS26_ZONE_RECLAIM_NOSCAN) {
					/* KERNEL: 2.6.32: did not scan -> next zone, not marked full */
					goto try_next_zone;
				} else if (ret == ZS26_ZONE_RECLAIM_FULL ||
					   !zs26_zone_watermark_ok(z, order, mark, classzone_idx,
								   alloc_flags)) {
					goto this_zone_full;
				}
			}
		}
		pfn = zs26_buffered_rmqueue(vm, z, order, gfp, cpu);
		if (pfn != ZS_NIL)
			return zs26_numa_served(m, &m->zones[zl[0]], z, cpu, pfn);
this_zone_full:
		zs26_zlc_mark_zone_full(zlc, z->id);
try_next_zone:
		/* KERNEL: 2.6.32: zlc_setup after the first zone tried, with more than one node */
		if (v32 && !did_zlc_setup && m->nr_nodes > 1) {
			zs26_zlc_setup(vm, zlc);
			zlc_active = 1;
			did_zlc_setup = 1;
		}
	}
	/* KERNEL: 2.6.32: nothing found with the cache -> a second scan without it */
	if (zlc_active) {
		zlc_active = 0;
		k->zlc_rescans++;
		goto zonelist_scan;
	}
	return ZS_NIL;
}

uint32_t
zs26_get_page_from_freelist(struct zs_vm *vm, struct zs_alloc_req *req, uint32_t gfp,
			    unsigned order, const int *zl, int nzl, int alloc_flags,
			    struct zs26_zlc *zlc)
{
	return zs26_get_page_from_freelist_inline(vm, req, gfp, order, zl, nzl, alloc_flags, zlc);
}

unsigned
zs26_hz50(struct zs_vm *vm)
{
	int hz = vm->hz > 0 ? vm->hz : 250;

	return hz / 50 > 0 ? (unsigned)(hz / 50) : 1u;
}

enum zs_alloc_status
zs26_sleep_jiffies(struct zs_vm *vm, struct zs_alloc_req *req, unsigned jiffies, int resume_step)
{
	int hz = vm->hz > 0 ? vm->hz : 250;

	/*
	 * A plain timed sleep (schedule_timeout: the OOM killer's jiffy);
	 * congestion waits are zs26_congestion_wait.  Without a thread (unit
	 * tests calling alloc directly) nothing sleeps and the caller calls again.
	 */
	req->step = resume_step;
	if (req->thread)
		zs_thread_sleep(req->thread, (zs_time_t)jiffies * ZS_NS_PER_SEC / hz);
	return ZS_ALLOC_BLOCKED;
}

