/*
 * vmscan_direct.c - direct reclaim: try_to_free_pages() of 2.6.18 and
 * do_try_to_free_pages() of 2.6.32 (mm/vmscan.c), with shrink_zones().
 *
 * The priority loop 12..0 naps with congestion_wait(HZ/10) below priority
 * 10, so it is resumable: its locals live in req->local[4..7] and the
 * allocation path calls again after each nap.  2.6.32 may also sleep deeper,
 * inside shrink_inactive_list (too_many_isolated, lumpy's synchronous pass):
 * then the whole chain's locals are in a struct zs26_rframe (bit 2 of
 * L_FLAGS says so) and shrink_zones resumes in the zone it slept in.  The return rules differ
 * (audit-26 rows 1 and 19): 2.6.18 returns 1 only once SWAP_CLUSTER_MAX
 * pages were reclaimed over the whole loop, else 0 -- 1..31 pages count as no
 * progress; 2.6.32 returns the number reclaimed, and at the end of the loop
 * that number unless every zone was all_unreclaimable.
 * DEVIATION: no slab (shrink_slab frees nothing), no swap token, no cpusets,
 * and wakeup_pdflush has no pdflush to wake.
 */
#include "alloc/linux26/model.h"

enum {
	L_PRIO = 4,      /* priority + 1 of the next pass; 0 = not started */
	L_RECLAIMED = 5, /* sc.nr_reclaimed */
	L_SCANNED = 6,   /* total_scanned */
	L_FLAGS = 7      /* bit 0 may_writepage, bit 1 last shrink_zones all_unreclaimable,
			    bit 2 asleep inside shrink_inactive_list (its zs26_rframe) */
};

/* shrink_zones(): every populated zone of the zonelist, all_unreclaimable ones at 12 only. */
static void
shrink_zones(struct zs_vm *vm, int priority, const int *zl, int nzl, struct zs26_sc *sc)
{
	const int v18 = zs26_of(vm)->kver == ZS_KV_2618;
	int i = 0;

	if (sc->resume) {
		/* woke inside this zone's shrink_zone: the zones before it are done */
		i = sc->rf->zone_i;
		zs26_shrink_zone(vm, &vm->machine->zones[zl[i]], priority, sc);
		if (sc->blocked)
			return;
		i++;
	} else {
		sc->all_unreclaimable = 1;
	}
	for (; i < nzl; i++) {
		struct zs_zone *z = &vm->machine->zones[zl[i]];
		struct zs26_lruvec *lv = &zs26_zone(z)->lru;

		if (!z->present)
			continue;
		/* KERNEL: 2.6.18 mm/vmscan.c shrink_zones(): temp_priority, prev_priority = min */
		if (v18)
			lv->temp_priority = priority;
		if (lv->prev_priority > priority)
			lv->prev_priority = priority;
		if (lv->all_unreclaimable && priority != ZS26_DEF_PRIORITY)
			continue; /* let kswapd poll it */
		sc->all_unreclaimable = 0;
		zs26_shrink_zone(vm, z, priority, sc);
		if (sc->blocked) {
			sc->rf->zone_i = i;
			return;
		}
	}
}

int
zs26_try_to_free_pages(struct zs_vm *vm, struct zs_alloc_req *req, const int *zl, int nzl,
		       uint64_t *ret)
{
	struct zs26 *k = zs26_of(vm);
	const int v32 = k->kver == ZS_KV_2632;
	struct zs26_sc sc = {0};
	struct zs26_rframe *rf = NULL;
	int priority;

	if (req->local[L_FLAGS] & 4) {
		/* KERNEL: 2.6.32 shrink_inactive_list(): the thread woke where it slept */
		rf = zs26_rframe_find(vm, req);
		ZS_BUG_ON(!rf);
		sc = rf->sc;
		sc.rf = rf;
		sc.resume = 1;
		sc.blocked = 0;
		k->rc.cur_cpu = sc.cpu;
		priority = rf->priority;
		goto resume;
	}
	if (req->local[L_PRIO] == 0) {
		/* KERNEL: 2.6.18 mm/vmscan.c try_to_free_pages(): count ALLOCSTALL */
		k->allocstall++;
		for (int i = 0; i < nzl; i++)
			zs26_zone(&vm->machine->zones[zl[i]])->lru.temp_priority = ZS26_DEF_PRIORITY;
		req->local[L_PRIO] = ZS26_DEF_PRIORITY + 1;
		req->local[L_RECLAIMED] = 0;
		req->local[L_SCANNED] = 0;
		req->local[L_FLAGS] = 1; /* may_writepage = !laptop_mode */
	}
	sc.gfp_mask = req->gfp;
	sc.may_writepage = (req->local[L_FLAGS] & 1) != 0;
	sc.may_swap = sc.may_unmap = 1;
	sc.swappiness = k->rc.swappiness;
	sc.order = v32 ? req->order : 0; /* 2.6.18's scan_control has no order */
	sc.cpu = req->cpu % (unsigned)vm->machine->nr_cpus;
	sc.nr_reclaimed = (uint64_t)req->local[L_RECLAIMED];
	/* 2.6.32: a thread may sleep inside shrink_inactive_list (vmscan_isolated.c) */
	sc.req = v32 && req->thread ? req : NULL;
	k->rc.cur_cpu = sc.cpu;

	for (priority = (int)req->local[L_PRIO] - 1; priority >= 0; priority--) {
		int nap;
		zs_time_t ns;

		sc.nr_scanned = 0;
		sc.throttle = 0;
resume:
		sc.work = 0;
		shrink_zones(vm, priority, zl, nzl, &sc);
		ns = zs26_charge_scan(vm, req->thread, sc.work, 0);
		/* system time of the reclaiming task: utime + stime, what badness() reads */
		if (req->task)
			req->task->cpu_ns += ns;
		if (sc.blocked) {
			/* asleep with its batch isolated: the whole chain's locals in the frame */
			sc.rf->sc = sc;
			sc.rf->priority = priority;
			req->local[L_FLAGS] |= 4;
			return 1;
		}
		ZS_BUG_ON(sc.resume);
		if (sc.rf) {
			/* back out of the sleep's frame: nothing of it is held any more */
			zs26_rframe_put(vm, sc.rf);
			sc.rf = NULL;
			req->local[L_FLAGS] &= ~4;
		}
		req->local[L_SCANNED] += (int64_t)sc.nr_scanned;
		req->local[L_FLAGS] = (req->local[L_FLAGS] & 1) | (sc.all_unreclaimable ? 2 : 0);
		if (sc.nr_reclaimed >= ZS26_SWAP_CLUSTER_MAX) {
			*ret = v32 ? sc.nr_reclaimed : 1;
			goto out;
		}
		/* write back as much as was scanned: wakeup_pdflush / the flushers, may_writepage */
		if (req->local[L_SCANNED] > ZS26_SWAP_CLUSTER_MAX + ZS26_SWAP_CLUSTER_MAX / 2) {
			sc.may_writepage = 1;
			req->local[L_FLAGS] |= 1;
		}
		/* take a nap, wait for some writeback to complete */
		nap = (sc.nr_scanned && priority < ZS26_DEF_PRIORITY - 2) || sc.throttle;
		if (nap) {
			req->local[L_PRIO] = priority; /* resume at priority - 1 */
			req->local[L_RECLAIMED] = (int64_t)sc.nr_reclaimed;
			if (req->thread) {
				zs_thread_sleep(req->thread, zs26_congestion_wait_ns(vm, zs26_hz10(vm)));
				return 1;
			}
		}
	}
	priority = 0;
	/* KERNEL: 2.6.32 do_try_to_free_pages(): some zone was really scanned -> don't OOM yet */
	*ret = (v32 && !(req->local[L_FLAGS] & 2)) ? sc.nr_reclaimed : 0;
out:
	for (int i = 0; i < nzl; i++) {
		struct zs26_lruvec *lv = &zs26_zone(&vm->machine->zones[zl[i]])->lru;

		/* KERNEL: 2.6.18 prev_priority = temp_priority; 2.6.32 = the priority reached */
		lv->prev_priority = v32 ? (priority < 0 ? 0 : priority) : lv->temp_priority;
	}
	req->local[L_PRIO] = 0;
	return 0;
}
