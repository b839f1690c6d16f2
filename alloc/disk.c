/* disk.c - a FIFO disk and its request list; see disk.h. */
#include "alloc/disk.h"

#include <stdlib.h>

#include "alloc/machine.h"
#include "sim/diag.h"

void
zs_disk_init(struct zs_disk *d, struct zs_engine *e, zs_time_t latency_ns, uint64_t bandwidth_bps)
{
	d->engine = e;
	d->latency_ns = latency_ns;
	d->bandwidth_bps = bandwidth_bps ? bandwidth_bps : 1;
	d->busy_until = 0;
	d->reads = d->writes = d->in_flight = 0;
	d->ring = NULL;
	d->ring_cap = d->ring_head = d->ring_len = 0;
	d->inflight[0] = d->inflight[1] = 0;
	d->congested[0] = d->congested[1] = 0;
	d->congested_events = 0;
}

void
zs_disk_fini(struct zs_disk *d)
{
	free(d->ring);
	d->ring = NULL;
	d->ring_cap = d->ring_len = d->ring_head = 0;
}

uint32_t
zs_disk_congestion_on(uint32_t nr)
{
	/* KERNEL: 2.6.18 block/ll_rw_blk.c blk_queue_congestion_threshold() */
	return nr - nr / 8 + 1;
}

uint32_t
zs_disk_congestion_off(uint32_t nr)
{
	return nr - nr / 8 - nr / 16 - 1;
}

/* freed_request() for every request completed by now, oldest first. */
static void
prune(struct zs_disk *d)
{
	zs_time_t now = d->engine ? zs_now(d->engine) : 0;

	while (d->ring_len && d->ring[d->ring_head].end <= now) {
		int w = d->ring[d->ring_head].write;

		d->ring_head = (d->ring_head + 1) % d->ring_cap;
		d->ring_len--;
		d->inflight[w]--;
		/* KERNEL: 2.6.18 block/ll_rw_blk.c __freed_request(): below off -> uncongested */
		if (d->inflight[w] < zs_disk_congestion_off(ZS_DISK_NR_REQUESTS))
			d->congested[w] = 0;
	}
}

static void
ring_push(struct zs_disk *d, zs_time_t end, int write)
{
	if (d->ring_len == d->ring_cap) {
		uint32_t cap = d->ring_cap ? 2 * d->ring_cap : 64;
		struct zs_disk_rq *r = malloc(cap * sizeof(*r));

		ZS_BUG_ON(!r);
		for (uint32_t i = 0; i < d->ring_len; i++)
			r[i] = d->ring[(d->ring_head + i) % d->ring_cap];
		free(d->ring);
		d->ring = r;
		d->ring_cap = cap;
		d->ring_head = 0;
	}
	d->ring[(d->ring_head + d->ring_len) % d->ring_cap] = (struct zs_disk_rq){end, write};
	d->ring_len++;
}

zs_time_t
zs_disk_submit(struct zs_disk *d, int write, uint64_t pages, zs_event_fn done, void *arg,
	       uint64_t data)
{
	zs_time_t now = zs_now(d->engine);
	zs_time_t start = d->busy_until > now ? d->busy_until : now;
	zs_time_t xfer = (zs_time_t)((double)pages * ZS_PAGE_SIZE * 1e9 / (double)d->bandwidth_bps);
	zs_time_t end = start + d->latency_ns + xfer;
	int w = write != 0;

	d->busy_until = end;
	if (write)
		d->writes += pages;
	else
		d->reads += pages;
	prune(d);
	/* KERNEL: 2.6.18 block/ll_rw_blk.c get_request(): count + 1 >= on -> congested */
	if (d->inflight[w] + 1 >= zs_disk_congestion_on(ZS_DISK_NR_REQUESTS) && !d->congested[w]) {
		d->congested[w] = 1;
		d->congested_events++;
	}
	d->inflight[w]++;
	ring_push(d, end, w);
	if (done)
		zs_event_at(d->engine, end, done, arg, data);
	return end;
}

uint32_t
zs_disk_inflight(struct zs_disk *d, int write)
{
	prune(d);
	return d->inflight[write != 0];
}

int
zs_disk_congested(struct zs_disk *d, int write)
{
	prune(d);
	return d->congested[write != 0];
}

zs_time_t
zs_disk_congestion_wake(struct zs_disk *d, int write)
{
	int w = write != 0;
	uint32_t count;

	prune(d);
	count = d->inflight[w];
	for (uint32_t i = 0; i < d->ring_len; i++) {
		const struct zs_disk_rq *r = &d->ring[(d->ring_head + i) % d->ring_cap];

		if (r->write != w)
			continue;
		/* KERNEL: 2.6.32 mm/backing-dev.c clear_bdi_congested(): wakes every waiter */
		if (--count < zs_disk_congestion_off(ZS_DISK_NR_REQUESTS))
			return r->end;
	}
	return ZS_FOREVER;
}
