/*
 * vmscan_kswapd.c - the reclaim drivers of 2.4.0 mm/vmscan.c (the
 * free_shortage / inactive_shortage tests are static inline in model.h): kswapd
 * and kreclaimd as simulated threads, and what they share with allocating
 * tasks: do_try_to_free_pages,
 * refill_inactive and try_to_free_pages.  The page scanners they call are in
 * vmscan.c.
 *
 * kswapd runs each loop iteration as two thread steps: the work (shortage
 * reclaim, background refill_inactive_scan(6, 0), the memory_pressure decay
 * under the strict `jiffies > last_recalc + HZ` test), charged as CPU time;
 * then, once that time has passed, the end of the loop: wake every
 * kswapd_done waiter, and sleep on kswapd_wait for at most HZ if either
 * shortage is gone, else run the OOM test and loop again without sleeping.
 * kreclaimd sleeps with no timeout and is woken only by pass A of
 * __alloc_pages.
 */
#include "alloc/linux24/model.h"

#include "alloc/task.h"

/* ---- the shortage tests: static inline in model.h ---- */

/* ---- reclaim drivers and daemons ---- */

void
zs24_sleep_until(struct zs_thread *t, zs_time_t until)
{
	zs_time_t end = zs_now(t->engine) + t->charged;

	zs_thread_sleep(t, until > end ? until - end : 0);
}

/* KERNEL: 2.4.0 mm/page_alloc.c __alloc_pages() step 3 / mm/filemap.c __find_page_nolock() */
int
zs24_kick_test(struct z24 *s)
{
	return zs24_inactive_shortage(s) > zs24_inactive_target(s) / 2 && zs24_free_shortage(s);
}

/* KERNEL: 2.4.0 mm/vmscan.c wakeup_kswapd(0): wake it if it sleeps on kswapd_wait */
void
zs24_wakeup_kswapd(struct z24 *s)
{
	if (s->kswapd_wait.count) {
		s->kswapd_w++;
		zs_waitqueue_wake_all(&s->kswapd_wait);
	}
}

/* KERNEL: 2.4.0 mm/vmscan.c refill_inactive() */
int
zs24_refill_inactive(struct z24 *s, uint32_t gfp, int user, struct z24_ctx *c)
{
	int64_t count = (int64_t)(zs24_inactive_shortage(s) + zs24_free_shortage(s));
	int priority = 6;

	if (user)
		count = (int64_t)1 << s->tun.page_cluster;
	int64_t start_count = count;

	/* DEVIATION: no slab, dentry or inode caches: kmem_cache_reap,
	 * shrink_dcache_memory and shrink_icache_memory free nothing. */
	do {
		int made_progress = 0;

		while (zs24_refill_inactive_scan(s, (unsigned)priority, 1, c)) {
			made_progress = 1;
			if (--count <= 0)
				goto done;
		}
		/* Then, try to page stuff out. */
		while (zs24_swap_out(s, (unsigned)priority, gfp, c)) {
			made_progress = 1;
			if (--count <= 0)
				goto done;
		}
		/* Enough free memory, or page_launder can make it: stop. */
		if (!zs24_inactive_shortage(s) || !zs24_free_shortage(s))
			goto done;
		/* Only lower the priority after a round without progress. */
		if (!made_progress)
			priority--;
	} while (priority >= 0);

	/* Always end on a refill_inactive. */
	while (zs24_refill_inactive_scan(s, 0, 1, c)) {
		if (--count <= 0)
			goto done;
	}
done:
	return count < start_count;
}

/* KERNEL: 2.4.0 mm/vmscan.c do_try_to_free_pages() */
int
zs24_do_try_to_free_pages(struct z24 *s, uint32_t gfp, int user, struct z24_ctx *c)
{
	int ret = 0;

	if (zs24_free_shortage(s) ||
	    s->inactive_dirty.count > zs24_nr_free_pages(s) + zs24_nr_inactive_clean_pages(s))
		ret += zs24_page_launder(s, gfp, user, c);
	if (zs24_free_shortage(s) || zs24_inactive_shortage(s))
		ret += zs24_refill_inactive(s, gfp, user, c);
	else
		ret = 1; /* kmem_cache_reap */
	return ret;
}

/* KERNEL: 2.4.0 mm/vmscan.c try_to_free_pages(): PF_MEMALLOC around the work */
int
zs24_try_to_free_pages(struct z24 *s, uint32_t gfp, struct z24_ctx *c)
{
	int ret = 1;

	if (gfp & GFP24_WAIT) {
		int pfm = c->pfm;

		c->pfm = 1;
		ret = zs24_do_try_to_free_pages(s, gfp, 1, c);
		c->pfm = pfm;
	}
	return ret;
}

void
zs24_kswapd_run(struct zs_thread *t)
{
	struct z24 *s = t->priv;

	if (s->kswapd_phase == 0) {
		/* The work of one loop iteration. */
		struct z24_ctx c = {t, NULL, 1, s->tun.cost_loop_ns, 0, 0};

		s->kswapd_loops++;
		if (zs24_inactive_shortage(s) || zs24_free_shortage(s)) {
			/* Synchronous flushing when someone waits in wakeup_kswapd(1). */
			int wait = s->kswapd_done.count > 0;

			zs24_do_try_to_free_pages(s, GFP24_KSWAPD, wait, &c);
		}
		/* Background aging: 1/64 of the active list per iteration. */
		zs24_refill_inactive_scan(s, 6, 0, &c);
		/* KERNEL: 2.4.0 mm/vmscan.c kswapd(): time_after(jiffies, recalc + HZ) */
		int64_t j = zs24_jiffies(s);

		if (j > s->last_recalc + s->hz) {
			s->last_recalc = j;
			zs24_recalculate_vm_stats(s);
		}
		zs_thread_charge(t, c.cost_ns);
		s->kswapd_cpu += c.cost_ns;
		s->kswapd_phase = 1;
		if (c.io_until > zs_now(t->engine) + t->charged)
			zs24_sleep_until(t, c.io_until);
		else
			zs_thread_yield(t);
		return;
	}
	/* The end of the iteration, after its CPU time. */
	s->kswapd_phase = 0;
	zs_waitqueue_wake_all(&s->kswapd_done);
	if (!zs24_free_shortage(s) || !zs24_inactive_shortage(s)) {
		/* interruptible_sleep_on_timeout(&kswapd_wait, HZ) */
		zs_thread_wait(t, &s->kswapd_wait, ZS_NS_PER_SEC);
		return;
	}
	/* Both shortages persist: no sleep.  Out of memory, or just loop again. */
	s->kswapd_nosleep++;
	s->oom_checks++;
	if (zs24_out_of_memory(s))
		zs24_oom_kill(s);
	zs_thread_yield(t);
}

void
zs24_kreclaimd_run(struct zs_thread *t)
{
	struct z24 *s = t->priv;

	if (s->kreclaimd_started) {
		struct z24_ctx c = {t, NULL, 1, s->tun.cost_wakeup_ns, 0, 0};

		/* KERNEL: 2.4.0 mm/vmscan.c kreclaimd(): refill each zone to pages_low */
		for (int i = 0; i < s->m->nr_zones; i++) {
			struct zs_zone *z = &s->m->zones[i];

			if (!z->spanned)
				continue;
			while (z->free_pages < z->pages_low) {
				uint32_t pfn = zs24_reclaim_page(s, z, &c);

				if (pfn == ZS_NIL)
					break;
				zs24_free_pages_ok(s, pfn, 0);
			}
		}
		zs_thread_charge(t, c.cost_ns);
		s->kreclaimd_cpu += c.cost_ns;
	}
	s->kreclaimd_started = 1;
	/* interruptible_sleep_on(&kreclaimd_wait): no timeout */
	zs_thread_wait(t, &s->kreclaimd_wait, ZS_FOREVER);
}
