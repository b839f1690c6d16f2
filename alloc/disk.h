/*
 * disk.h - one disk queue that serves page reads and writes in FIFO order.
 *
 * A request of n pages completes at max(now, busy_until) + latency +
 * n * PAGE_SIZE / bandwidth, then calls its completion.  Writeback and swap
 * I/O therefore take simulated time and queue behind each other.
 * DEVIATION: no elevator merging, no read/write priority, no congestion
 * queues; congestion_wait is modelled by the callers as a plain timeout.
 */
#ifndef ZS_DISK_H
#define ZS_DISK_H

#include <stdint.h>

#include "sim/engine.h"

struct zs_disk {
	struct zs_engine *engine;
	zs_time_t latency_ns;
	uint64_t bandwidth_bps;
	zs_time_t busy_until;
	uint64_t reads, writes;    /* pages */
	uint64_t in_flight;        /* pages submitted, not completed */
};

void zs_disk_init(struct zs_disk *d, struct zs_engine *e, zs_time_t latency_ns,
		  uint64_t bandwidth_bps);
/* Queue an I/O of `pages` pages; done(arg, data) runs at completion.  Returns that time. */
zs_time_t zs_disk_submit(struct zs_disk *d, int write, uint64_t pages, zs_event_fn done,
			 void *arg, uint64_t data);

#endif
