/*
 * filemap.c - what the workload does to a page, as the 2.4.0 page cache and
 * fault paths see it (the ops->page_added / touch / dirty / swap_cache_find
 * hooks): mm/filemap.c add_to_page_cache, __find_page_nolock and
 * generic_file_write; mm/memory.c do_anonymous_page and do_swap_page;
 * fs/buffer.c grow_buffers and touch_buffer; and the read-ahead context of
 * do_generic_file_read / generic_file_readahead for its drop_behind.
 *
 * Read-ahead: each task has one read-ahead context (struct file's f_raend,
 * f_ralen, f_ramax, f_rawin), run on the page handles it reads, so a source that
 * reads handles h, h+1, h+2 ... is a sequential reader.  The context grows the
 * window the kernel's own read-ahead would (MIN_READAHEAD 3 .. MAX_READAHEAD 31
 * pages, settling at a read-ahead every 32 pages over a 64-page window), and each
 * read-ahead calls drop_behind: the cached pages behind the reader inside the
 * window are deactivated, so a stream goes to inactive_dirty at once instead of
 * aging out of the active list.
 * DEVIATION: the read-ahead pages themselves are not read early (the workload
 * reads each page when it gets there); a miss inside the window counts as a page
 * the kernel had read ahead (not locked), and the window never stops at the end
 * of a file (no i_size).
 */
#include "alloc/linux24/model.h"

#include "alloc/pagemap.h"
#include "alloc/task.h"

/* ---- read-ahead context and drop_behind (mm/filemap.c) ---- */

#define HANDLE_MASK 0xffffffffffffull /* zs_pagemap_key(): the source's handle bits */

/*
 * drop_behind(): walk back from the page before `key`, at most `rawin` pages,
 * deactivating each cached page, and stop at the first one not in the cache.
 */
static void
drop_behind(struct z24 *s, uint64_t key, uint64_t rawin)
{
	uint64_t index = key & HANDLE_MASK, base = key & ~HANDLE_MASK;
	/* KERNEL: 2.4.0 mm/filemap.c drop_behind(): nothing behind the first page */
	uint64_t start = index > rawin ? index - rawin : 0;

	while (index-- > start) {
		uint32_t b = zs_pagemap_find(s->vm->pagemap, base | index);

		if (b == ZS_NIL)
			break;
		struct zs_binding *bd = zs_pagemap_at(s->vm->pagemap, b);

		if (bd->state != ZS_BIND_RESIDENT || !(z24_pg(s, bd->ps)->flags & Z24_PG_CACHE))
			break;
		zs24_deactivate_page(s, bd->ps);
	}
}

/*
 * One page read by task t at `key`: do_generic_file_read()'s window check and
 * generic_file_readahead().  `miss`: the page was not in the cache.
 */
static void
file_read(struct z24 *s, struct zs_task *t, uint64_t key, int miss)
{
	struct z24_mm *f = zs24_mm(s, t);
	uint64_t index = key & HANDLE_MASK;
	uint64_t raend, max_ahead = 0;
	int reada_ok;

	/* KERNEL: 2.4.0 mm/filemap.c do_generic_file_read(): outside the previous
	 * window, the context starts afresh */
	if (index > f->raend || index + f->rawin < f->raend) {
		reada_ok = 0;
		f->raend = f->ralen = f->ramax = f->rawin = 0;
	} else {
		reada_ok = 1;
	}
	/* one whole page read: needed = ((offset + count) >> PAGE_SHIFT) + 1 = 2 */
	if (f->ramax < 2)
		f->ramax = 2;
	if (reada_ok && f->ramax < Z24_MIN_READAHEAD)
		f->ramax = Z24_MIN_READAHEAD;
	if (f->ramax > Z24_MAX_READAHEAD)
		f->ramax = Z24_MAX_READAHEAD;

	/* KERNEL: 2.4.0 mm/filemap.c generic_file_readahead() */
	raend = f->raend;
	if (miss && index >= raend) {
		/* PageLocked: a page being read, not one read ahead */
		if (!f->ralen || index >= raend || index + f->rawin < raend) {
			raend = index;
			max_ahead = f->ramax;
			f->rawin = 0;
			f->ralen = 1;
		}
	} else if (reada_ok && f->ramax && raend >= 1 && index <= raend &&
		   index + f->ralen >= raend) {
		/* inside the last read-ahead: time for the next, asynchronous one */
		raend -= 1;
		max_ahead = f->ramax + 1;
		f->rawin = f->ralen;
		f->ralen = 0;
	}
	if (!max_ahead)
		return;
	f->ralen += max_ahead;
	f->rawin += f->ralen;
	f->raend = raend + max_ahead + 1;
	f->ramax += f->ramax;
	if (f->ramax > Z24_MAX_READAHEAD)
		f->ramax = Z24_MAX_READAHEAD;
	/* Move the pages that have already been passed to the inactive list. */
	drop_behind(s, key, f->rawin);
}

/* The reader of a cached file page pfn, with its key; NULL for an ownerless page. */
static struct zs_task *
file_reader(struct z24 *s, uint32_t pfn, uint64_t *key)
{
	struct zs_binding *b = zs_vm_page_binding(s->vm, pfn);

	if (!b || b->task == ZS_NIL)
		return NULL;
	*key = zs_pagemap_key_of(s->vm->pagemap, z24_pg(s, pfn)->owner);
	return s->vm->tasks[b->task];
}

/* A read of the cached page pfn (miss: it was just read from disk). */
static void
read_page(struct z24 *s, uint32_t pfn, int miss)
{
	uint64_t key;
	struct zs_task *t = file_reader(s, pfn, &key);

	if (t)
		file_read(s, t, key, miss);
}

/* ---- the workload's view ---- */

static void find_page(struct z24 *s, uint32_t pfn);

/* Take an unmapped swap-cache page out of the cache for good (freed now, or when its
 * read completes). */
static void
drop_swapcache_page(struct z24 *s, uint32_t pfn)
{
	struct zs_page *p = z24_pg(s, pfn);

	ZS_BUG_ON(p->flags & (ZS_PG_BOUND | Z24_PG_NOPTE));
	zs24_swapcache_del(s, pfn);
	zs24_lru_del(s, pfn);
	p->flags &= ~(ZS_PG_DIRTY | ZS_PG_REFERENCED);
	if (p->flags & ZS_PG_LOCKED)
		p->flags |= Z24_PG_FREEPEND;
	else
		zs24_free_pages_ok(s, pfn, 0);
}

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
		uint32_t slot = b ? zs_vm_bind_slot(vm, b) : UINT32_MAX;

		if (slot != UINT32_MAX && slot < s->nr_slots) {
			/* SUBTLE: another fault's read-ahead may have cached this slot
			 * while this one allocated: the fault's own page replaces it */
			if (s->swapcache[slot] != ZS_NIL)
				drop_swapcache_page(s, s->swapcache[slot]);
			/* KERNEL: 2.4.0 mm/memory.c do_swap_page() + read_swap_cache():
			 * the page read back stays in the swap cache and keeps its slot.
			 * DEVIATION: the driver allocated it with the binding's own gfp
			 * (read_swap_cache_async uses GFP_USER, never HighMem; the
			 * read-ahead pages do), and a write after a read fault is done in
			 * place: the kernel's do_wp_page finds page_count 3 (swap cache,
			 * PTE, the buffers of its read) and copies the page, which needs an
			 * allocation ops->dirty cannot make. */
			zs24_swapcache_add(s, pfn, slot);
			zs24_lru_cache_add(s, pfn);
			zs24_swapin_readahead(s, slot,
					      b->task != ZS_NIL ? vm->tasks[b->task] : NULL);
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
		if (p->flags & ZS_PG_MAPPED) {
			/* KERNEL: 2.4.0 mm/filemap.c filemap_nopage(): page_cache_read(), then
			 * retry_find: __find_get_page ages it up.  DEVIATION: no read-around
			 * (read_cluster_nonblocking); the read() context is not used */
			find_page(s, pfn);
		} else {
			read_page(s, pfn, 1);
		}
		break;
	case ZS_KIND_FILE_DIRTY:
		/* KERNEL: 2.4.0 mm/filemap.c generic_file_write(): new cache page,
		 * dirty buffers, and deactivate_page() after a full-page copy */
		p->flags |= Z24_PG_CACHE | Z24_PG_BUFFERS;
		s->page_cache_size++;
		zs24_lru_cache_add(s, pfn);
		if (p->flags & ZS_PG_MAPPED) {
			/* KERNEL: 2.4.0 mm/memory.c do_no_page(): a write fault of a shared
			 * mapping maps a dirty PTE; the page itself stays clean (see above) */
			find_page(s, pfn);
			p->flags |= Z24_PG_PTEDIRTY;
			break;
		}
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
		if (p->flags & Z24_PG_CACHE) {
			find_page(s, pfn);
			read_page(s, pfn, 0);
		}
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
zs24_set_page_dirty_mapped(struct z24 *s, uint32_t pfn)
{
	/* DEVIATION: 2.4.0 set_page_dirty() puts PG_dirty on a page-cache page and
	 * page_launder's writepage (block_write_full_page) later dirties and writes its
	 * buffers; here its buffers are marked dirty at once, so bdflush and kupdate
	 * may write them before page_launder reaches the page */
	zs24_mark_buffer_dirty(s, pfn);
}

/* The mm of the task whose binding holds pfn, or NULL for an ownerless page. */
static struct z24_mm *
page_mm(struct z24 *s, uint32_t pfn)
{
	struct zs_task *t = zs_vm_page_task(s->vm, pfn);

	return t ? zs24_mm(s, t) : NULL;
}

void
zs24_map_file(struct zs_vm *vm, uint32_t pfn, int exec, int found)
{
	struct z24 *s = zs24_state(vm);
	struct zs_page *p = z24_pg(s, pfn);
	struct z24_mm *mm = page_mm(s, pfn);

	(void)exec; /* 2.4.0 reclaim never looks at VM_EXEC */
	if (p->order != 0 || (p->flags & ZS_PG_MAPPED) ||
	    (p->kind != ZS_KIND_FILE_CLEAN && p->kind != ZS_KIND_FILE_DIRTY))
		return; /* DEVIATION: a block of order > 0 is off the LRU and never mapped */
	if (found && !(p->flags & Z24_PG_CACHE))
		return;
	/* KERNEL: 2.4.0 mm/filemap.c filemap_nopage(): __find_get_page ages a cached page up */
	if (found)
		find_page(s, pfn);
	/* KERNEL: 2.4.0 mm/memory.c do_no_page(): a young PTE, ++mm->rss */
	p->flags |= ZS_PG_MAPPED | ZS_PG_YOUNG;
	if (mm)
		mm->file_rss++;
}

void
zs24_unmap_file(struct zs_vm *vm, uint32_t pfn)
{
	struct z24 *s = zs24_state(vm);
	struct zs_page *p = z24_pg(s, pfn);
	struct z24_mm *mm = page_mm(s, pfn);

	if (!(p->flags & ZS_PG_MAPPED) || !(p->flags & Z24_PG_CACHE))
		return;
	/* KERNEL: 2.4.0 mm/memory.c zap_pte_range() -> free_pte(): a dirty PTE of a page
	 * with a mapping is set_page_dirty, then the PTE's reference is dropped */
	if (p->flags & Z24_PG_PTEDIRTY)
		zs24_set_page_dirty_mapped(s, pfn);
	p->flags &= ~(ZS_PG_MAPPED | ZS_PG_YOUNG | Z24_PG_PTEDIRTY);
	if (mm && mm->file_rss)
		mm->file_rss--;
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
		 * commit_write marks the buffers dirty, deactivate after a full page
		 * (every write here is a whole page, so it always deactivates) */
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
