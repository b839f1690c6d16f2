/*
 * filemap.c - what the workload does to a page, as the 2.4.0 page cache and
 * fault paths see it (the ops->page_added / touch / dirty / swap_cache_find
 * hooks): mm/filemap.c add_to_page_cache, __find_page_nolock and
 * generic_file_write; mm/memory.c do_anonymous_page and do_swap_page;
 * fs/buffer.c grow_buffers and touch_buffer.
 */
#include "alloc/linux24/model.h"

#include "alloc/pagemap.h"

void
zs24_page_added(struct zs_vm *vm, uint32_t pfn)
{
	struct z24 *s = zs24_state(vm);
	struct zs_page *p = z24_pg(s, pfn);

	if (p->order != 0 && p->kind != ZS_KIND_KERNEL) {
		/* DEVIATION: the 2.4 LRU holds single pages; a multi-page block of a
		 * reclaimable kind is treated as unreclaimable kernel memory. */
		return;
	}
	switch (p->kind) {
	case ZS_KIND_ANON: {
		struct zs_binding *b = zs_vm_page_binding(vm, pfn);

		/* KERNEL: 2.4.0 mm/memory.c do_anonymous_page(): a write fault maps a
		 * dirty, young PTE; the page is on no LRU list */
		p->flags |= ZS_PG_MAPPED | ZS_PG_YOUNG;
		if (p->flags & ZS_PG_SWAPCACHE)
			break; /* a swap-cache hit the driver rebound (swap_cache_find) */
		if (b && b->slot != UINT32_MAX && b->slot < s->nr_slots &&
		    s->swapcache[b->slot] == ZS_NIL) {
			/* KERNEL: 2.4.0 mm/memory.c do_swap_page() + read_swap_cache():
			 * the page read back stays in the swap cache and keeps its slot */
			zs24_swapcache_add(s, pfn, b->slot);
			zs24_lru_cache_add(s, pfn);
		} else {
			p->flags |= Z24_PG_PTEDIRTY;
		}
		break;
	}
	case ZS_KIND_FILE_CLEAN:
		/* KERNEL: 2.4.0 mm/filemap.c add_to_page_cache() -> lru_cache_add();
		 * block_read_full_page() leaves clean buffers attached */
		p->flags |= Z24_PG_CACHE | Z24_PG_BUFFERS;
		s->page_cache_size++;
		zs24_lru_cache_add(s, pfn);
		break;
	case ZS_KIND_FILE_DIRTY:
		/* KERNEL: 2.4.0 mm/filemap.c generic_file_write(): new cache page,
		 * dirty buffers, and deactivate_page() after a full-page copy */
		p->flags |= Z24_PG_CACHE | Z24_PG_BUFFERS;
		s->page_cache_size++;
		zs24_lru_cache_add(s, pfn);
		zs24_mark_buffer_dirty(s, pfn);
		zs24_deactivate_page(s, pfn);
		break;
	case ZS_KIND_BUFFER:
		/* KERNEL: 2.4.0 fs/buffer.c grow_buffers(): buffer page, lru_cache_add */
		p->flags |= Z24_PG_BUFFERS;
		s->buffermem_pages++;
		zs24_lru_cache_add(s, pfn);
		break;
	default:
		break; /* kernel memory: never reclaimable */
	}
}

/* The page-cache lookup of a hit: age up, and the kswapd kick test. */
static void
find_page(struct z24 *s, uint32_t pfn)
{
	/* KERNEL: 2.4.0 mm/filemap.c __find_page_nolock(): age_page_up + wakeup_kswapd(0) */
	zs24_age_page_up(s, pfn);
	if (zs24_kick_test(s))
		zs24_wakeup_kswapd(s);
}

void
zs24_touch(struct zs_vm *vm, uint32_t pfn)
{
	struct z24 *s = zs24_state(vm);
	struct zs_page *p = z24_pg(s, pfn);

	if (p->flags & ZS_PG_MAPPED) {
		p->flags |= ZS_PG_YOUNG; /* the MMU sets the accessed bit */
		return;
	}
	switch (p->kind) {
	case ZS_KIND_FILE_CLEAN:
	case ZS_KIND_FILE_DIRTY:
		if (p->flags & Z24_PG_CACHE)
			find_page(s, pfn);
		break;
	case ZS_KIND_BUFFER:
		/* KERNEL: 2.4.0 fs/buffer.c getblk() -> touch_buffer(): SetPageReferenced */
		p->flags |= ZS_PG_REFERENCED;
		break;
	default:
		break;
	}
}

void
zs24_dirty(struct zs_vm *vm, uint32_t pfn)
{
	struct z24 *s = zs24_state(vm);
	struct zs_page *p = z24_pg(s, pfn);

	if (p->flags & ZS_PG_MAPPED) {
		p->flags |= ZS_PG_YOUNG | Z24_PG_PTEDIRTY; /* the MMU sets accessed + dirty */
		return;
	}
	switch (p->kind) {
	case ZS_KIND_FILE_CLEAN:
	case ZS_KIND_FILE_DIRTY:
		if (!(p->flags & Z24_PG_CACHE))
			break;
		/* KERNEL: 2.4.0 mm/filemap.c generic_file_write(): lookup, copy,
		 * commit_write marks the buffers dirty, deactivate after a full page */
		find_page(s, pfn);
		zs24_mark_buffer_dirty(s, pfn);
		zs24_deactivate_page(s, pfn);
		break;
	case ZS_KIND_BUFFER:
		p->flags |= ZS_PG_REFERENCED;
		zs24_mark_buffer_dirty(s, pfn);
		break;
	default:
		break;
	}
}

uint32_t
zs24_swap_cache_find(struct zs_vm *vm, uint32_t slot)
{
	struct z24 *s = zs24_state(vm);

	if (slot >= s->nr_slots || s->swapcache[slot] == ZS_NIL)
		return ZS_NIL;
	uint32_t pfn = s->swapcache[slot];
	struct zs_page *p = z24_pg(s, pfn);

	if (p->flags & Z24_PG_FREEPEND)
		return ZS_NIL;
	/* KERNEL: 2.4.0 mm/swap_state.c lookup_swap_cache() -> find_get_page() (ages
	 * the page up), then do_swap_page() maps it again with a clean PTE */
	find_page(s, pfn);
	p->flags |= ZS_PG_MAPPED | ZS_PG_YOUNG;
	p->flags &= ~Z24_PG_PTEDIRTY;
	return pfn;
}
