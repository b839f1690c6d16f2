/*
 * disk.h - one disk queue that serves page reads and writes in FIFO order,
 * and the request-list occupancy the 2.6 congestion logic reads.
 *
 * A request of n pages completes at max(now, busy_until) + latency +
 * n * PAGE_SIZE / bandwidth, then calls its completion.  Writeback and swap
 * I/O therefore take simulated time and queue behind each other.
 *
 * Service is FIFO, so every request's completion time is known when it is
 * submitted: the queue keeps a ring of in-flight requests (end time,
 * direction) and counts them lazily at the current time.  That adds no
 * engine events, so a model that never asks (2.4.0) sees the old timing.
 * The 2.6 request_list rules (block/ll_rw_blk.c of 2.6.18, block/blk-core.c
 * and mm/backing-dev.c of 2.6.32): nr_requests 128 per direction; a request
 * allocated with count + 1 >= 113 marks the queue congested, a request freed
 * leaving count < 103 clears it and wakes every congestion waiter.
 * DEVIATION: no elevator merging, no read/write priority, and a submitter
 * never blocks on a full request list (get_request_wait).
 *
 * Invariant: the ring holds, in submission (= completion) order, the requests
 * not yet seen complete, and inflight[d] counts those of direction d.
 */
#ifndef ZS_DISK_H
#define ZS_DISK_H

#include <stdint.h>

#include "sim/engine.h"

#define ZS_DISK_NR_REQUESTS 128 /* BLKDEV_MAX_RQ */

struct zs_disk_rq {
	zs_time_t end;
	int write;
};

struct zs_disk {
	struct zs_engine *engine;
	zs_time_t latency_ns;
	uint64_t bandwidth_bps;
	zs_time_t busy_until;
	uint64_t reads, writes;    /* pages */
	uint64_t in_flight;        /* pages submitted, not completed */
	/* the request list (owned by disk.c) */
	struct zs_disk_rq *ring;
	uint32_t ring_cap, ring_head, ring_len;
	uint32_t inflight[2];      /* requests in flight by direction (0 read, 1 write) */
	int congested[2];          /* the queue's congestion flag by direction */
	uint64_t congested_events; /* times a direction turned congested */
};

void zs_disk_init(struct zs_disk *d, struct zs_engine *e, zs_time_t latency_ns,
		  uint64_t bandwidth_bps);
void zs_disk_fini(struct zs_disk *d);
/* Queue an I/O of `pages` pages; done(arg, data) runs at completion.  Returns that time. */
zs_time_t zs_disk_submit(struct zs_disk *d, int write, uint64_t pages, zs_event_fn done,
			 void *arg, uint64_t data);
/* Requests of direction `write` in flight now (rl->count[rw]). */
uint32_t zs_disk_inflight(struct zs_disk *d, int write);
/* The congestion flag of direction `write` now (bdi_write_congested for 1). */
int zs_disk_congested(struct zs_disk *d, int write);
/*
 * When congestion waiters of direction `write` are next woken: the completion
 * of the first request of that direction that leaves fewer than 103 in
 * flight.  ZS_FOREVER when no request of that direction is in flight.
 */
zs_time_t zs_disk_congestion_wake(struct zs_disk *d, int write);
/* blk_queue_congestion_threshold() for nr_requests: the on and off marks. */
uint32_t zs_disk_congestion_on(uint32_t nr_requests);
uint32_t zs_disk_congestion_off(uint32_t nr_requests);

#endif
