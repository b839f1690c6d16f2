/*
 * bdflush_24.c - 2.4.0 dirty-buffer write-back: flush_dirty_buffers,
 * balance_dirty_state / balance_dirty, wakeup_bdflush, and the bdflush and
 * kupdate daemons as simulated threads.
 *
 * bdflush writes up to ndirty dirty buffers per loop, launders on a free
 * shortage, and sleeps (no timeout) when it flushed nothing or the dirty
 * state is back below the limits.  kupdate wakes every `interval` (5 s) and
 * writes every buffer dirty for at least age_buffer (30 s).
 * DEVIATION: one buffer per page (a 4 KiB block size), so "buffers" and
 * "pages" count the same.
 */
#include "alloc/policy_24.h"

/* KERNEL: 2.4.0 fs/buffer.c wakeup_bdflush() */
void
zs24_wakeup_bdflush(struct z24 *s, int block)
{
	if (s->bdflush_wait.count) {
		s->kflush_w++;
		zs_waitqueue_wake_all(&s->bdflush_wait);
	}
	if (block) {
		/* DEVIATION: the writer's own synchronous flush (the write throttle) is
		 * issued, but the writer neither waits for it nor is charged for it:
		 * ops->dirty has no thread to block. */
		struct z24_ctx c = {NULL, NULL, 0, 0, 0, 0};

		zs24_flush_dirty_buffers(s, 0, &c);
	}
}

/* KERNEL: 2.4.0 fs/buffer.c flush_dirty_buffers(): oldest first, locked ones skipped */
int
zs24_flush_dirty_buffers(struct z24 *s, int check_time, struct z24_ctx *c)
{
	int flushed = 0;
	zs_time_t now = zs_now(s->vm->engine);

	/* the ring may grow while we walk (a write can dirty another buffer): index by seq */
	for (uint64_t seq = s->dhead; seq < s->dtail; seq++) {
		if (!zs24_dirty_live(s, seq))
			continue; /* a buffer cleaned since: not on BUF_DIRTY any more */
		uint32_t pfn = Z24_DIRTY_AT(s, seq)->pfn;
		struct zs_page *p = &s->m->pages[pfn];

		c->cost_ns += s->tun.cost_scan_ns;
		if (p->flags & ZS_PG_WRITEBACK)
			continue;
		if (check_time) {
			/* chronological: every later buffer is younger */
			if (now < Z24_DIRTY_AT(s, seq)->flushtime)
				break;
		} else if (++flushed > s->tun.ndirty) {
			flushed--;
			break;
		}
		zs24_write_page(s, pfn, 0, 0, c);
	}
	while (s->dhead < s->dtail && !zs24_dirty_live(s, s->dhead))
		s->dhead++;
	zs24_io_submit(s, c);
	return flushed;
}

/* KERNEL: 2.4.0 mm/page_alloc.c nr_free_buffer_pages() */
static uint64_t
nr_free_buffer_pages(struct z24 *s)
{
	uint64_t sum = zs24_nr_free_pages(s) + zs24_nr_inactive_clean_pages(s) +
		       s->inactive_dirty.count;
	uint64_t floor = s->freepages_high + zs24_inactive_target(s);

	if (sum < floor)
		sum = floor;
	return sum + (s->active.count >> 4);
}

/* KERNEL: 2.4.0 fs/buffer.c balance_dirty_state() */
int
zs24_balance_dirty_state(struct z24 *s)
{
	uint64_t dirty = s->nr_dirty * 100;
	uint64_t tot = nr_free_buffer_pages(s);

	if (dirty > tot * (uint64_t)s->tun.nfract)
		return dirty > tot * (uint64_t)s->tun.nfract_sync ? 1 : 0;
	uint64_t shortage = zs24_free_shortage(s);

	if (shortage && s->inactive_dirty.count > shortage &&
	    s->inactive_dirty.count > s->freepages_high)
		return 0;
	return -1;
}

/* KERNEL: 2.4.0 fs/buffer.c balance_dirty() */
void
zs24_balance_dirty(struct z24 *s)
{
	int state = zs24_balance_dirty_state(s);

	if (state >= 0)
		zs24_wakeup_bdflush(s, state);
}

void
zs24_bdflush_run(struct zs_thread *t)
{
	struct z24 *s = t->priv;
	struct z24_ctx c = {t, NULL, 0, s->tun.cost_loop_ns, 0, 0};

	/* KERNEL: 2.4.0 fs/buffer.c bdflush() loop */
	int flushed = zs24_flush_dirty_buffers(s, 0, &c);

	if (zs24_free_shortage(s))
		flushed += zs24_page_launder(s, GFP24_KERNEL, 0, &c);
	zs_thread_charge(t, c.cost_ns);
	s->bdflush_cpu += c.cost_ns;
	if (!flushed || zs24_balance_dirty_state(s) < 0) {
		zs_thread_wait(t, &s->bdflush_wait, ZS_FOREVER);
		return;
	}
	if (c.io_until > zs_now(t->engine) + t->charged)
		zs24_sleep_until(t, c.io_until);
	else
		zs_thread_yield(t);
}

void
zs24_kupdate_run(struct zs_thread *t)
{
	struct z24 *s = t->priv;

	if (s->kupdate_started) {
		struct z24_ctx c = {t, NULL, 0, s->tun.cost_loop_ns, 0, 0};

		/* KERNEL: 2.4.0 fs/buffer.c sync_old_buffers() -> flush_dirty_buffers(1) */
		s->kupdate_runs++;
		zs24_flush_dirty_buffers(s, 1, &c);
		zs_thread_charge(t, c.cost_ns);
		s->kupdate_cpu += c.cost_ns;
	}
	s->kupdate_started = 1;
	/* KERNEL: 2.4.0 fs/buffer.c kupdate(): interval 0 stops it */
	zs_thread_sleep(t, s->tun.interval_ns ? s->tun.interval_ns : ZS_FOREVER);
}
