/*
 * backing_dev.c - congestion_wait() (blk_congestion_wait in 2.6.18,
 * block/ll_rw_blk.c; congestion_wait in 2.6.32, mm/backing-dev.c) on the
 * disk's request list: the caller sleeps until the timeout or until a write
 * request completes leaving the queue below its off mark (103 of 128), which
 * wakes every waiter.
 *
 * DEVIATION: the wake time is computed when the wait starts; requests
 * queued during the wait do not postpone it.
 */
#include "alloc/linux26/model.h"

unsigned
zs26_hz10(struct zs_vm *vm)
{
	int hz = vm->hz > 0 ? vm->hz : 250;

	return hz / 10 > 0 ? (unsigned)(hz / 10) : 1u;
}

zs_time_t
zs26_congestion_wait_ns(struct zs_vm *vm, unsigned jiffies)
{
	struct zs26 *k = zs26_of(vm);
	int hz = vm->hz > 0 ? vm->hz : 250;
	zs_time_t timeout = (zs_time_t)jiffies * ZS_NS_PER_SEC / hz;
	zs_time_t now = vm->engine ? zs_now(vm->engine) : 0;
	zs_time_t wake = vm->engine ? zs_disk_congestion_wake(&vm->disk, 1) : ZS_FOREVER;

	k->congestion_waits++;
	if (wake != ZS_FOREVER && wake - now < timeout) {
		k->congestion_early++;
		timeout = wake - now;
	}
	k->rc.slept_congestion_ns += timeout;
	return timeout;
}

enum zs_alloc_status
zs26_congestion_wait(struct zs_vm *vm, struct zs_alloc_req *req, unsigned jiffies,
		     int resume_step)
{
	zs_time_t ns = zs26_congestion_wait_ns(vm, jiffies);

	/* without a thread (unit tests calling alloc directly) the caller simply calls again */
	req->step = resume_step;
	if (req->thread)
		zs_thread_sleep(req->thread, ns);
	return ZS_ALLOC_BLOCKED;
}
