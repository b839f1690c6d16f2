/*
 * page_io.c - 2.4.0 page write-out over the disk queue: swap writes
 * (mm/page_io.c rw_swap_page_base) and buffer writes (ll_rw_block from
 * fs/buffer.c), collected into a batch that zs24_io_submit sends to the disk
 * as one request (an elevator merge), and swap read-ahead reads (mm/memory.c
 * swapin_readahead).  Pages are locked (swap) or have locked
 * buffers (ZS_PG_WRITEBACK) until the request completes; a page freed
 * meanwhile (Z24_PG_FREEPEND) goes back to the buddy at completion.
 *
 * CPU time: cost_write per page submitted, added to the caller's z24_ctx.
 */
#include "alloc/linux24/model.h"

#include <stdlib.h>

static void
io_done(void *arg, uint64_t data)
{
	struct z24_io *io = arg;
	struct z24 *s = io->s;

	(void)data;
	for (uint32_t i = 0; i < io->n; i++) {
		uint32_t pfn = io->pfn[i] & ~(Z24_IO_SWAP | Z24_IO_ASYNC | Z24_IO_READ);
		struct zs_page *p = z24_pg(s, pfn);

		if (io->pfn[i] & Z24_IO_READ) {
			/* KERNEL: 2.4.0 end_buffer_io_async: UnlockPage, PageDecrAfter */
			p->flags &= ~ZS_PG_LOCKED;
			s->nr_async_pages--;
		} else if (io->pfn[i] & Z24_IO_SWAP) {
			p->flags &= ~ZS_PG_LOCKED; /* KERNEL: 2.4.0 end_buffer_io_async: UnlockPage */
			if (io->pfn[i] & Z24_IO_ASYNC)
				s->nr_async_pages--;
			s->writes_in_flight--;
		} else {
			p->flags &= ~ZS_PG_WRITEBACK; /* the buffers are unlocked and clean */
			s->writes_in_flight--;
		}
		if ((p->flags & Z24_PG_FREEPEND) && !(p->flags & (ZS_PG_LOCKED | ZS_PG_WRITEBACK))) {
			p->flags &= ~Z24_PG_FREEPEND;
			zs24_free_pages_ok(s, pfn, 0);
		}
	}
	if (io->prev)
		io->prev->next = io->next;
	else
		s->io_list = io->next;
	if (io->next)
		io->next->prev = io->prev;
	free(io);
}

/* Queue a request of n pages (entries pfn | Z24_IO_*) on the disk; returns its end. */
static zs_time_t
io_start(struct z24 *s, const uint32_t *ent, uint32_t n, uint32_t flags, int write)
{
	struct z24_io *io = malloc(sizeof(*io) + n * sizeof(uint32_t));

	ZS_BUG_ON(!io);
	io->s = s;
	io->n = n;
	for (uint32_t i = 0; i < n; i++)
		io->pfn[i] = ent[i] | flags;
	io->prev = NULL;
	io->next = s->io_list;
	if (s->io_list)
		s->io_list->prev = io;
	s->io_list = io;
	io->end = zs_disk_submit(&s->vm->disk, write, n, io_done, io, 0);
	return io->end;
}

zs_time_t
zs24_io_end(const struct z24 *s, uint32_t pfn)
{
	for (const struct z24_io *io = s->io_list; io; io = io->next)
		for (uint32_t i = 0; i < io->n; i++)
			if ((io->pfn[i] & ~(Z24_IO_SWAP | Z24_IO_ASYNC | Z24_IO_READ)) == pfn)
				return io->end;
	return 0;
}

void
zs24_io_submit(struct z24 *s, struct z24_ctx *c)
{
	if (!s->iob_n)
		return;
	zs_time_t end = io_start(s, s->iob, s->iob_n, 0, 1);

	s->iob_n = 0;
	/* DEVIATION: a full request queue (get_request_wait) is modelled as the
	 * writer waiting for its own request once io_queue_pages are in flight. */
	if (c && (c->sync_batch || s->writes_in_flight > (uint64_t)s->tun.io_queue_pages) &&
	    end > c->io_until)
		c->io_until = end;
	if (c)
		c->sync_batch = 0;
}

void
zs24_io_read(struct z24 *s, const uint32_t *pfn, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		ZS_BUG_ON(pfn[i] & (Z24_IO_SWAP | Z24_IO_ASYNC | Z24_IO_READ));
	if (n)
		io_start(s, pfn, n, Z24_IO_READ, 0);
}

void
zs24_io_fini(struct z24 *s)
{
	while (s->io_list) {
		struct z24_io *io = s->io_list;

		s->io_list = io->next;
		free(io);
	}
}

void
zs24_write_page(struct z24 *s, uint32_t pfn, int swap, int sync, struct z24_ctx *c)
{
	struct zs_page *p = &s->m->pages[pfn];

	c->cost_ns += s->tun.cost_write_ns;
	s->vm->pgpgout++;
	if (swap) {
		/* KERNEL: 2.4.0 mm/page_io.c rw_swap_page_base(): pswpout, and the write
		 * turns synchronous beyond swap_cluster << page_cluster async pages */
		s->vm->pswpout++;
		if (s->nr_async_pages > (uint64_t)(s->tun.swap_cluster << s->tun.page_cluster))
			sync = 1;
		else
			s->nr_async_pages++;
		p->flags |= ZS_PG_LOCKED;
	} else {
		zs24_buffer_clean(s, pfn); /* ll_rw_block(WRITE) clears the dirty bit */
		p->flags |= ZS_PG_WRITEBACK;
	}
	/* DEVIATION: a synchronous write joins the caller's batch (one merged
	 * request) and the caller sleeps until that request completes, instead of
	 * one request and one wait per page; the page stays locked meanwhile. */
	if (sync)
		c->sync_batch = 1;
	s->writes_in_flight++;
	if (s->iob_n == s->iob_cap) {
		uint32_t cap = s->iob_cap ? 2 * s->iob_cap : 256;
		uint32_t *a = realloc(s->iob, cap * sizeof(*a));

		ZS_BUG_ON(!a);
		s->iob = a;
		s->iob_cap = cap;
	}
	s->iob[s->iob_n++] = pfn | (swap ? Z24_IO_SWAP : 0) | (swap && !sync ? Z24_IO_ASYNC : 0);
}
