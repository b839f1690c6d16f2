/*
 * buffer.c - 2.4.0 dirty buffers and their write-back (fs/buffer.c of 2.4.0):
 * the BUF_DIRTY list (mark_buffer_dirty / __mark_dirty / refile_buffer),
 * try_to_free_buffers, flush_dirty_buffers, balance_dirty_state /
 * balance_dirty, wakeup_bdflush, and the bdflush and kupdate daemons as
 * simulated threads.
 *
 * bdflush writes up to ndirty dirty buffers per loop, launders on a free
 * shortage, and sleeps (no timeout) when it flushed nothing or the dirty
 * state is back below the limits.  kupdate wakes every `interval` (5 s) and
 * writes every buffer dirty for at least age_buffer (30 s).
 * DEVIATION: one buffer per page (a 4 KiB block size), so "buffers" and
 * "pages" count the same.
 */
#include "alloc/linux24/model.h"

#include <stdlib.h>

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
			break; /* KERNEL: 2.4.0 returns ndirty + 1 when it stops at the limit */
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

/* ---- dirty buffers (fs/buffer.c BUF_DIRTY lru, oldest first) ---- */

int
zs24_dirty_live(const struct z24 *s, uint64_t seq)
{
	const struct z24_dirty *e = Z24_DIRTY_AT(s, seq);
	const struct zs_page *p = &s->m->pages[e->pfn];

	return (p->flags & Z24_PG_BUFDIRTY) && p->aux == e->ticket;
}

void
zs24_mark_buffer_dirty(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	p->flags |= Z24_PG_BUFFERS;
	if (p->flags & Z24_PG_BUFDIRTY)
		return; /* KERNEL: 2.4.0 fs/buffer.c mark_buffer_dirty(): only clean -> dirty */
	p->flags |= Z24_PG_BUFDIRTY;
	/* drop stale entries at the head before deciding the ring is full */
	while (s->dhead < s->dtail && !zs24_dirty_live(s, s->dhead))
		s->dhead++;
	if (s->dtail - s->dhead == s->dcap) {
		/* amortised doubling; the ring holds at most the dirtyings of age_buffer */
		struct z24_dirty *n = malloc(2 * s->dcap * sizeof(*n));

		ZS_BUG_ON(!n);
		for (uint64_t q = s->dhead; q < s->dtail; q++)
			n[q & (2 * s->dcap - 1)] = *Z24_DIRTY_AT(s, q);
		free(s->dring);
		s->dring = n;
		s->dcap *= 2;
	}
	/* KERNEL: 2.4.0 fs/buffer.c __mark_dirty(): b_flushtime = jiffies + age_buffer,
	 * refile_buffer() puts it at the tail of BUF_DIRTY */
	struct z24_dirty *e = Z24_DIRTY_AT(s, s->dtail);
	e->pfn = pfn;
	e->ticket = (uint32_t)s->dtail;
	e->flushtime = zs_now(s->vm->engine) + s->tun.age_buffer_ns;
	p->aux = e->ticket;
	s->dtail++;
	s->nr_dirty++;
	/* KERNEL: 2.4.0 fs/buffer.c mark_buffer_dirty() -> balance_dirty() */
	zs24_balance_dirty(s);
}

void
zs24_buffer_clean(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	if (!(p->flags & Z24_PG_BUFDIRTY))
		return;
	/* its ring entry goes stale: list_del without touching the ring */
	p->flags &= ~Z24_PG_BUFDIRTY;
	p->aux = ZS_NIL;
	s->nr_dirty--;
}

/* ---- freeing a page's buffers (page_launder) ---- */

/*
 * try_to_free_buffers(page, wait): 1 when the buffers could be detached.
 * Busy buffers (dirty or locked) get their writes started when wait >= 1;
 * with wait == 2 the caller also waits for them.
 */
int
zs24_try_to_free_buffers(struct z24 *s, uint32_t pfn, int wait, struct z24_ctx *c)
{
	struct zs_page *p = z24_pg(s, pfn);

	/* KERNEL: 2.4.0 fs/buffer.c try_to_free_buffers() / sync_page_buffers() */
	if (p->flags & (Z24_PG_BUFDIRTY | ZS_PG_WRITEBACK)) {
		if (wait >= 1 && (p->flags & Z24_PG_BUFDIRTY) && !(p->flags & ZS_PG_WRITEBACK)) {
			/* DEVIATION: with wait == 2 the caller sleeps for the write at the
			 * end of its step; the retried free happens at the next scan */
			zs24_write_page(s, pfn, 0, wait == 2, c);
			z24_zone_of(s, pfn)->launder++;
		} else if (wait == 2 && (p->flags & ZS_PG_WRITEBACK)) {
			/* KERNEL: 2.4.0 fs/buffer.c sync_page_buffers(): __wait_on_buffer for
			 * this page's buffer.  DEVIATION: a pass runs at one simulated
			 * instant, so the buffer cannot be clean inside it: the caller
			 * sleeps until this page's own write completes and the retried free
			 * is left to the next scan */
			zs_time_t end = zs24_io_end(s, pfn);

			if (end > c->io_until)
				c->io_until = end;
		}
		return 0;
	}
	p->flags &= ~Z24_PG_BUFFERS;
	return 1;
}
