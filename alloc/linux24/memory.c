/*
 * memory.c - the swap-in side of 2.4.0 do_swap_page(): swapin_readahead()
 * over the valid_swaphandles() cluster, each page read with
 * read_swap_cache_async(entry, 0).
 *
 * The faulting page itself is allocated and read by the driver (its fault);
 * the model adds it to the swap cache first, so the cluster walk finds it
 * cached and skips it, as the kernel's read_swap_cache finds the page its own
 * read-ahead brought in.  The other pages of the cluster are allocated here,
 * added to the swap cache and the LRU unmapped, locked, and read in one
 * asynchronous request queued before the fault's own read; a later touch of
 * one of their slots is a minor fault (swap_cache_find).
 *
 * DEVIATION: slot 0 is an ordinary slot (no swap header page, which the
 * kernel's swap_map marks bad); a minor fault on a read-ahead page whose read
 * is still in flight does not wait for it.
 */
#include "alloc/linux24/model.h"

#include "alloc/swap.h"

/* Is slot in use on the swap device (swap_map[slot] != 0)? */
static int
slot_used(const struct zs_swap *sw, uint64_t slot)
{
	return (sw->map[slot >> 3] & (1u << (slot & 7))) != 0;
}

/*
 * KERNEL: 2.4.0 mm/swapfile.c valid_swaphandles(): the 2^page_cluster-aligned
 * cluster holding slot, cut at the end of the area and at the first unused slot;
 * returns how many slots from *first.
 */
static uint64_t
valid_swaphandles(struct z24 *s, uint64_t slot, uint64_t *first)
{
	const struct zs_swap *sw = &s->vm->swap;
	uint64_t n = 0, left = 1ull << s->tun.page_cluster;
	uint64_t toff = (slot >> s->tun.page_cluster) << s->tun.page_cluster;

	*first = toff;
	while (left--) {
		if (toff >= sw->nr_slots || !slot_used(sw, toff))
			break;
		toff++;
		n++;
	}
	return n;
}

/* read_swap_cache_async(entry, 0) for a slot that is not cached: a locked,
 * unmapped swap-cache page on the LRU, or ZS_NIL when no page was free. */
static uint32_t
read_swap_cache_async(struct z24 *s, uint32_t slot, struct z24_ctx *c)
{
	/* KERNEL: 2.4.0 mm/swap_state.c read_swap_cache_async(): __get_free_page(GFP_USER) */
	uint32_t pfn = zs24_alloc_nowait(s, GFP24_USER, c);

	if (pfn == ZS_NIL)
		return ZS_NIL;
	struct zs_page *p = z24_pg(s, pfn);

	p->kind = ZS_KIND_ANON;
	/* lock_page, add_to_swap_cache() -> lru_cache_add(), rw_swap_page(READ, page, 0) */
	p->flags |= ZS_PG_LOCKED;
	zs24_swapcache_add(s, pfn, slot);
	zs24_lru_cache_add(s, pfn);
	/* KERNEL: 2.4.0 mm/page_io.c rw_swap_page_base(): pswpin, an async page */
	s->vm->pswpin++;
	s->vm->pgpgin++;
	s->nr_async_pages++;
	s->swapin_ra_pages++;
	return pfn;
}

void
zs24_swapin_readahead(struct z24 *s, uint32_t slot, struct zs_task *task)
{
	struct z24_ctx c = {NULL, task, task && (task->flags & ZS_PF_MEMALLOC), 0, 0, 0};
	uint32_t batch[1u << 10];
	uint32_t nb = 0;
	uint64_t offset;
	uint64_t num = valid_swaphandles(s, slot, &offset);

	/* KERNEL: 2.4.0 mm/memory.c swapin_readahead() */
	for (uint64_t i = 0; i < num; offset++, i++) {
		/* Don't block on I/O for read-ahead. */
		if (s->nr_async_pages >= (uint64_t)(s->tun.swap_cluster << s->tun.page_cluster))
			break;
		if (s->swapcache[offset] != ZS_NIL)
			continue; /* lookup_swap_cache() found it: nothing to read */
		uint32_t pfn = read_swap_cache_async(s, (uint32_t)offset, &c);

		if (pfn != ZS_NIL)
			batch[nb++] = pfn;
	}
	zs24_io_read(s, batch, nb);
	/* direct reclaim inside the allocations is the faulting task's system time */
	s->direct_cpu += c.cost_ns;
	if (task)
		task->cpu_ns += c.cost_ns;
}
