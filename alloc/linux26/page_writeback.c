/*
 * page_writeback.c - the part of mm/page-writeback.c that reclaim calls:
 * get_dirty_limits() of each version, throttle_vm_writeout(), and the
 * writer side of balance_dirty_pages() (ops->balance_dirty): every
 * ratelimit_pages dirtied (8 once dirty_exceeded) the writer writes up to
 * sync_writeback_pages() pages itself and sleeps until dirty + writeback is
 * under its limit (2.6.18: the global one, blk_congestion_wait(WRITE, HZ/10);
 * 2.6.32: the disk's bdi threshold, a pause doubling from 1 jiffy to HZ/10).
 *
 * DEVIATION: throttle_vm_writeout's wait is taken at the end of the reclaim
 * pass that asked for it (sc->throttle), not inside shrink_zone.  The
 * writeback threads and balance_dirty_pages' trigger are in fs_writeback.c.
 */
#include "alloc/linux26/model.h"

#include <stdlib.h>
#include <string.h>

void
zs26_get_dirty_limits(struct zs_vm *vm, uint64_t *background, uint64_t *dirty)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_reclaim *rc = &k->rc;
	uint64_t avail;
	int dirty_ratio, bg_ratio;

	if (k->kver == ZS_KV_2618) {
		/* KERNEL: 2.6.18 mm/page-writeback.c get_dirty_limits(): the unmapped ratio clamp */
		uint64_t total = rc->vm_total_pages ? rc->vm_total_pages : 1;
		int unmapped_ratio =
			100 - (int)((rc->nr_file_mapped + rc->nr_anon_pages) * 100 / total);

		avail = total;
		dirty_ratio = k->dirty_ratio;
		if (dirty_ratio > unmapped_ratio / 2)
			dirty_ratio = unmapped_ratio / 2;
		if (dirty_ratio < 5)
			dirty_ratio = 5;
		bg_ratio = k->dirty_background_ratio;
		if (bg_ratio >= dirty_ratio)
			bg_ratio = dirty_ratio / 2;
		*background = (uint64_t)bg_ratio * avail / 100;
		*dirty = (uint64_t)dirty_ratio * avail / 100;
		return;
	}
	/* KERNEL: 2.6.32 mm/page-writeback.c determine_dirtyable_memory(): free + reclaimable */
	avail = 0;
	for (int i = 0; i < vm->machine->nr_zones; i++) {
		struct zs_zone *z = &vm->machine->zones[i];

		if (z->type == ZS_ZONE_HIGHMEM)
			continue; /* vm_highmem_is_dirtyable 0: highmem's share is taken out */
		avail += z->free_pages + zs26_zone_reclaimable_pages(vm, z);
	}
	avail += 1;
	dirty_ratio = k->dirty_ratio < 5 ? 5 : k->dirty_ratio;
	*dirty = (uint64_t)dirty_ratio * avail / 100;
	*background = (uint64_t)k->dirty_background_ratio * avail / 100;
	if (*background >= *dirty)
		*background = *dirty / 2;
}

void
zs26_throttle_vm_writeout(struct zs_vm *vm, struct zs26_sc *sc)
{
	uint64_t bg, dirty;

	/* KERNEL: 2.6.18 mm/page-writeback.c throttle_vm_writeout(): writeback > dirty * 1.1 */
	zs26_get_dirty_limits(vm, &bg, &dirty);
	dirty += dirty / 10;
	if (zs26_of(vm)->rc.nr_writeback > dirty)
		sc->throttle = 1;
}

uint64_t
zs26_ratelimit_pages(struct zs_vm *vm)
{
	/* KERNEL: 2.6.18 mm/page-writeback.c set_ratelimit() (2.6.32 writeback_set_ratelimit) */
	uint64_t r = zs26_of(vm)->rc.vm_total_pages / ((uint64_t)vm->machine->nr_cpus * 32);

	if (r < 16)
		r = 16;
	if (r > 4096 * 1024 / 4096)
		r = 4096 * 1024 / 4096;
	return r;
}

/* get_dirty_limits() for a writer: rt_task(current) gets a quarter more (both versions). */
static void
writer_limits(struct zs_vm *vm, const struct zs_task *t, uint64_t *bg, uint64_t *dirty)
{
	zs26_get_dirty_limits(vm, bg, dirty);
	/* KERNEL: 2.6.18 mm/page-writeback.c get_dirty_limits(): PF_LESS_THROTTLE || rt_task */
	if (t && (t->flags & ZS_TASK_RT)) {
		*bg += *bg / 4;
		*dirty += *dirty / 4;
	}
}

/*
 * 2.6.32's per-bdi threshold: the bdi's share of dirty (one bdi, the disk: its
 * share is all of it once it completed a writeout, none before), clipped to
 * what is left, less up to an eighth for the writer's share of recent dirtying.
 * DEVIATION: the writeout and dirtying proportions are cumulative counts, not
 * lib/proportions.c's decaying periods.
 */
static uint64_t
bdi_thresh_2632(struct zs_vm *vm, const struct zs_task *t, uint64_t dirty)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	uint64_t bdi = rc->bdi_writeouts ? dirty : 0; /* bdi_writeout_fraction: 1 or 0 */
	uint64_t used = rc->nr_file_dirty + rc->nr_writeback;
	uint64_t avail, inv, d;

	/* KERNEL: 2.6.32 mm/page-writeback.c clip_bdi_dirty_limit() */
	avail = dirty > used ? dirty - used : 0;
	avail += rc->nr_file_dirty + rc->nr_writeback_file;
	if (bdi > avail)
		bdi = avail;
	/* KERNEL: 2.6.32 mm/page-writeback.c task_dirty_limit(): minus (bdi / 8) x fraction */
	inv = bdi >> 3;
	if (t && rc->vm_dirties && t->id < rc->nr_task_dirties)
		inv = inv * rc->task_dirties[t->id] / rc->vm_dirties;
	else
		inv = 0;
	d = bdi - inv;
	return d < bdi / 2 ? bdi / 2 : d;
}

/* The writer's part of NR_FILE_DIRTY accounting: task_dirty_inc(), ratelimit counts. */
static uint64_t
count_dirtied(struct zs_vm *vm, struct zs_alloc_req *req)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_reclaim *rc = &k->rc;
	uint64_t n = rc->bdp_pending, *rl, ratelimit;

	rc->bdp_pending = 0;
	if (!n)
		return 0;
	if (req->task) {
		uint32_t id = req->task->id;

		if (id >= rc->nr_task_dirties) {
			uint32_t cap = id + 64;
			uint64_t *a = realloc(rc->task_dirties, cap * sizeof(*a));

			ZS_BUG_ON(!a);
			memset(a + rc->nr_task_dirties, 0, (cap - rc->nr_task_dirties) * sizeof(*a));
			rc->task_dirties = a;
			rc->nr_task_dirties = cap;
		}
		rc->task_dirties[id] += n;
	}
	rc->vm_dirties += n;
	/* KERNEL: 2.6.18 mm/page-writeback.c balance_dirty_pages_ratelimited_nr(): 8 once
	 * dirty_exceeded, else ratelimit_pages, counted per CPU */
	ratelimit = rc->dirty_exceeded ? 8 : zs26_ratelimit_pages(vm);
	rl = &rc->ratelimits[req->cpu % (unsigned)k->nr_cpus];
	*rl += n;
	if (*rl < ratelimit)
		return 0;
	n = *rl;
	*rl = 0;
	if (k->kver == ZS_KV_2618)
		n = 0; /* 2.6.18's sync_writeback_pages() does not look at the count */
	/* KERNEL: 2.6.32 mm/page-writeback.c sync_writeback_pages(): at least ratelimit, x 1.5 */
	if (n < zs26_ratelimit_pages(vm))
		n = zs26_ratelimit_pages(vm);
	return n + n / 2;
}

/* The writer's own writeback work: its thread's time and the task's system time. */
static void
writer_charge(struct zs_vm *vm, struct zs_alloc_req *req, uint64_t pages)
{
	zs_time_t ns = zs26_charge_scan(vm, req->thread, pages, 1);

	if (req->task)
		req->task->cpu_ns += ns;
}

/*
 * One pass of balance_dirty_pages()'s loop.  1: under the limit or done its duty
 * (leave the loop); 0: sleep (*jiffies for how long, *congestion for
 * blk_congestion_wait's early wake).  req->local: [0] write_chunk, [1]
 * pages_written, [2] 2.6.32's pause.
 */
static int
bdp_pass(struct zs_vm *vm, struct zs_alloc_req *req, unsigned *jiffies, int *congestion)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_reclaim *rc = &k->rc;
	uint64_t bg, dirty, bdi, n;

	writer_limits(vm, req->task, &bg, &dirty);
	if (k->kver == ZS_KV_2618) {
		/* KERNEL: 2.6.18 mm/page-writeback.c balance_dirty_pages() */
		if (rc->nr_file_dirty + rc->nr_writeback <= dirty)
			return 1;
		rc->dirty_exceeded = 1;
		if (rc->nr_file_dirty) {
			n = zs26_writeback_inodes(vm, (uint64_t)req->local[0]);
			rc->bdp_written += n;
			writer_charge(vm, req, n);
			writer_limits(vm, req->task, &bg, &dirty);
			if (rc->nr_file_dirty + rc->nr_writeback <= dirty)
				return 1;
			req->local[1] += (int64_t)n;
			if (req->local[1] >= req->local[0])
				return 1; /* done its duty */
		}
		*jiffies = zs26_hz10(vm);
		*congestion = 1;
		return 0;
	}
	/* KERNEL: 2.6.32 mm/page-writeback.c balance_dirty_pages() */
	bdi = bdi_thresh_2632(vm, req->task, dirty);
	if (rc->nr_file_dirty + rc->nr_writeback_file <= bdi)
		return 1;
	/* throttle only when background writeback cannot catch up */
	if (rc->nr_file_dirty + rc->nr_writeback < (bg + dirty) / 2)
		return 1;
	rc->dirty_exceeded = 1;
	if (rc->nr_file_dirty > bdi) {
		n = zs26_writeback_inodes(vm, (uint64_t)req->local[0]);
		rc->bdp_written += n;
		writer_charge(vm, req, n);
		req->local[1] += (int64_t)n;
		writer_limits(vm, req->task, &bg, &dirty);
		bdi = bdi_thresh_2632(vm, req->task, dirty);
	}
	if (rc->nr_file_dirty + rc->nr_writeback_file <= bdi)
		return 1;
	if (req->local[1] >= req->local[0])
		return 1;
	/* io_schedule_timeout(pause), doubling up to HZ/10 */
	*jiffies = (unsigned)req->local[2];
	*congestion = 0;
	req->local[2] *= 2;
	if (req->local[2] > (int64_t)zs26_hz10(vm))
		req->local[2] = zs26_hz10(vm);
	return 0;
}

/* The tail of balance_dirty_pages(): dirty_exceeded cleared, background writeout started. */
static void
bdp_done(struct zs_vm *vm, struct zs_alloc_req *req)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_reclaim *rc = &k->rc;
	uint64_t bg, dirty;

	writer_limits(vm, req->task, &bg, &dirty);
	if (k->kver == ZS_KV_2618) {
		if (rc->nr_file_dirty + rc->nr_writeback <= dirty)
			rc->dirty_exceeded = 0;
	} else if (rc->nr_file_dirty + rc->nr_writeback_file <
		   bdi_thresh_2632(vm, req->task, dirty)) {
		rc->dirty_exceeded = 0;
	}
	zs26_start_background_writeback(vm);
}

enum zs_alloc_status
zs26_balance_dirty(struct zs_vm *vm, struct zs_alloc_req *req)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	unsigned jiffies = 0;
	int congestion = 0;

	if (req->step == 0) {
		uint64_t chunk = count_dirtied(vm, req);

		if (!chunk)
			return ZS_ALLOC_DONE;
		rc->bdp_calls++;
		req->local[0] = (int64_t)chunk;
		req->local[1] = 0;
		req->local[2] = 1;
		req->step = 1;
	} else {
		/* back from a sleep */
		rc->bdp_wait_ns += zs_now(vm->engine) - req->local[3];
	}
	if (req->task && (req->task->killed || !req->task->alive)) {
		req->step = 0;
		return ZS_ALLOC_DONE; /* an OOM victim goes on to exit */
	}
	if (bdp_pass(vm, req, &jiffies, &congestion)) {
		bdp_done(vm, req);
		req->step = 0;
		return ZS_ALLOC_DONE;
	}
	rc->bdp_waits++;
	req->local[3] = vm->engine ? zs_now(vm->engine) : 0;
	if (congestion) {
		/* KERNEL: 2.6.18 balance_dirty_pages(): blk_congestion_wait(WRITE, HZ/10) */
		return zs26_congestion_wait(vm, req, jiffies, 1);
	}
	if (req->thread)
		zs_thread_sleep(req->thread,
				(zs_time_t)jiffies * ZS_NS_PER_SEC / (vm->hz > 0 ? vm->hz : 250));
	return ZS_ALLOC_BLOCKED;
}
