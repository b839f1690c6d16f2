/* disk.c - a FIFO disk; see disk.h. */
#include "alloc/disk.h"

#include "alloc/machine.h"

void
zs_disk_init(struct zs_disk *d, struct zs_engine *e, zs_time_t latency_ns, uint64_t bandwidth_bps)
{
	d->engine = e;
	d->latency_ns = latency_ns;
	d->bandwidth_bps = bandwidth_bps ? bandwidth_bps : 1;
	d->busy_until = 0;
	d->reads = d->writes = d->in_flight = 0;
}

struct disk_done {
	struct zs_disk *d;
};

zs_time_t
zs_disk_submit(struct zs_disk *d, int write, uint64_t pages, zs_event_fn done, void *arg,
	       uint64_t data)
{
	zs_time_t now = zs_now(d->engine);
	zs_time_t start = d->busy_until > now ? d->busy_until : now;
	zs_time_t xfer = (zs_time_t)((double)pages * ZS_PAGE_SIZE * 1e9 / (double)d->bandwidth_bps);
	zs_time_t end = start + d->latency_ns + xfer;

	d->busy_until = end;
	if (write)
		d->writes += pages;
	else
		d->reads += pages;
	if (done)
		zs_event_at(d->engine, end, done, arg, data);
	return end;
}
