/*
 * memory.c - what the workload's page events mean to the 2.6 LRU: the fault
 * side of mm/memory.c (do_anonymous_page, do_swap_page, do_wp_page), the
 * page-cache side of mm/filemap.c (a read or write of a cached page), and
 * the free path (__free_pages) -- the policy ops page_added, touch, dirty and
 * free.
 *
 * LRU entry as each kernel does it: page cache goes to the inactive (file)
 * list, anonymous pages to the active (anon) list; a swap-in goes to the
 * active list in 2.6.18 (lru_cache_add_active) and the inactive anon list
 * in 2.6.32 (read_swap_cache_async -> lru_cache_add_anon).  All through the
 * CPU's pagevec.  A read of a cached page is mark_page_accessed(); an access
 * through a mapping only sets the PTE young bit.
 * A file page reached through a mapping (`access: mmap`) is faulted in as the
 * version's fault handler does: 2.6.18 filemap_nopage() marks it accessed at
 * every fault, 2.6.32 filemap_fault() never does; both then page_add_file_rmap
 * (NR_FILE_MAPPED).  When the task's PTE goes (exit, or the truncate of a file
 * it maps) zap_pte_range moves a young PTE's bit to the page with
 * mark_page_accessed and the page stays in the page cache.
 * An anonymous page of a task with mlock (ZS_TASK_MLOCKALL) is mapped by a
 * VM_LOCKED vma: 2.6.32 faults it onto the unevictable list and mlocks it
 * (page_add_new_anon_rmap with page_evictable false, then mlock_vma_page from
 * __mlock_vma_pages_range); 2.6.18 puts it on the active list like any other
 * and only try_to_unmap refuses it (rmap.c).
 * DEVIATION: blocks of order > 0 never join the LRU (unreclaimable), and a
 * write through a mapping sets PG_dirty at once instead of the PTE dirty bit
 * that try_to_unmap would move to the page.
 */
#include "alloc/linux26/model.h"

/* do_swap_page()'s tail, at the access the swap-in served: drop the slot when swap is full. */
static void
swapin_done(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if (!(p->flags & ZS26_PG_SWAPIN))
		return;
	p->flags &= ~ZS26_PG_SWAPIN;
	/* KERNEL: 2.6.18 mm/memory.c do_swap_page(): vm_swap_full() -> remove_exclusive_swap_page */
	if (zs26_vm_swap_full(vm) ||
	    (zs26_of(vm)->kver == ZS_KV_2632 && (p->flags & ZS26_PG_MLOCKED)))
		zs26_try_to_free_swap(vm, pfn);
}

/*
 * While this fault allocated (it may have slept in reclaim), another fault's
 * read-ahead may have cached the same slot.  DEVIATION: the fault's own page (read
 * now) replaces that unmapped copy; do_swap_page's read_swap_cache_async would find
 * the copy in the swap cache and free its own page.  A copy under I/O or already
 * mapped stays, and this page then enters as a fresh anonymous page: its binding
 * holds no slot, and the driver releases the fault's (zs_vm_swapin_end).
 */
static void
drop_readahead_copy(struct zs_vm *vm, uint32_t pfn, unsigned cpu)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if (p->flags & (ZS_PG_BOUND | ZS_PG_WRITEBACK | ZS26_PG_FREEPEND))
		return;
	zs26_lru_forget(vm, pfn);
	zs26_delete_from_swap_cache(vm, pfn);
	zs26_release_page(vm, pfn, cpu, 0);
}

void
zs26_page_added(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26 *k = zs26_of(vm);
	const int v32 = k->kver == ZS_KV_2632;
	struct zs_page *p = &vm->machine->pages[pfn];
	unsigned cpu = k->rc.cur_cpu;

	if (p->order != 0)
		return;
	switch (p->kind) {
	case ZS_KIND_ANON: {
		struct zs_binding *b = zs_vm_page_binding(vm, pfn);
		/* the owner did mlockall(MCL_CURRENT | MCL_FUTURE): its vmas are VM_LOCKED */
		int locked = b && b->task != ZS_NIL &&
			     (vm->tasks[b->task]->flags & ZS_TASK_MLOCKALL);

		p->flags |= ZS26_PG_ANON | (v32 ? ZS26_PG_SWAPBACKED : 0);
		uint32_t slot = b ? zs_vm_bind_slot(vm, b) : UINT32_MAX;

		/* SUBTLE: a readahead copy still under writeback is not dropped; the fresh page
		 * is then mapped outside the swap cache and the driver releases the slot after
		 * this (the copy is freed as its write completes: swap_free) */
		if (slot != UINT32_MAX && slot < k->rc.nr_slots && k->rc.swapcache[slot] != ZS_NIL)
			drop_readahead_copy(vm, k->rc.swapcache[slot], cpu);
		if (slot != UINT32_MAX && slot < k->rc.nr_slots && k->rc.swapcache[slot] == ZS_NIL) {
			/* KERNEL: 2.6.18 mm/swap_state.c read_swap_cache_async(): into the swap cache */
			p->flags |= ZS_PG_SWAPCACHE | ZS26_PG_SWAPIN;
			zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_PAGES, 1);
			p->aux = slot;
			k->rc.swapcache[slot] = pfn;
			zs26_lru_cache_add(vm, pfn, v32 ? ZS26_LRU_INACTIVE_ANON : ZS26_LRU_ACTIVE, cpu);
			/* KERNEL: 2.6.18 mm/memory.c do_swap_page(): swapin_readahead around the entry */
			zs26_swapin_readahead(vm, slot, cpu);
		} else if (v32 && locked) {
			/* KERNEL: 2.6.32 mm/rmap.c page_add_new_anon_rmap(): !page_evictable(page, vma) */
			p->flags |= ZS26_PG_UNEVICTABLE;
			zs26_add_page_to_lru(vm, pfn, ZS26_LRU_UNEVICTABLE);
		} else {
			/* KERNEL: 2.6.18 mm/memory.c do_anonymous_page(): lru_cache_add_active */
			zs26_lru_cache_add(vm, pfn, v32 ? ZS26_LRU_ACTIVE_ANON : ZS26_LRU_ACTIVE, cpu);
		}
		zs26_page_map(vm, pfn);
		if (locked)
			zs26_mlock_page(vm, pfn); /* __mlock_vma_pages_range -> mlock_vma_page */
		break;
	}
	case ZS_KIND_FILE_CLEAN:
	case ZS_KIND_FILE_DIRTY:
	case ZS_KIND_BUFFER:
		/* KERNEL: 2.6.18 mm/filemap.c add_to_page_cache_lru() -> lru_cache_add (inactive) */
		zs26_pagecache_add(vm, pfn);
		zs26_lru_cache_add(vm, pfn, v32 ? ZS26_LRU_INACTIVE_FILE : ZS26_LRU_INACTIVE, cpu);
		if (p->kind == ZS_KIND_FILE_DIRTY)
			zs26_account_dirty(vm, pfn); /* generic_file_buffered_write: commit_write */
		/* the read (or write) that brought it in: do_generic_mapping_read -> page_ok;
		 * a fault (zs26_map_file mapped it first): 2.6.18 filemap_nopage() success:
		 * mark_page_accessed, 2.6.32 filemap_fault() -> page_cache_read(): none */
		if (!(v32 && (p->flags & ZS_PG_MAPPED)))
			zs26_mark_page_accessed(vm, pfn);
		break;
	default:
		break; /* kernel memory is never on the LRU */
	}
}

void
zs26_map_file(struct zs_vm *vm, uint32_t pfn, int exec, int found)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if (p->order != 0 || (p->flags & ZS_PG_MAPPED) ||
	    (p->kind != ZS_KIND_FILE_CLEAN && p->kind != ZS_KIND_FILE_DIRTY))
		return; /* DEVIATION: a block of order > 0 is off the LRU and never mapped */
	/* KERNEL: 2.6.18 mm/filemap.c filemap_nopage(): a page found in the cache is
	 * marked accessed at `success`; 2.6.32 filemap_fault() only locks it */
	if (found && zs26_of(vm)->kver == ZS_KV_2618)
		zs26_mark_page_accessed(vm, pfn);
	/* KERNEL: 2.6.18 mm/memory.c do_no_page(): mk_pte (young), page_add_file_rmap */
	zs26_map_file_page(vm, pfn, exec);
}

void
zs26_unmap_file(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];
	int young = (p->flags & ZS_PG_YOUNG) != 0;

	if (!(p->flags & ZS_PG_MAPPED) || (p->flags & ZS26_PG_ANON))
		return;
	/* KERNEL: 2.6.18 mm/memory.c zap_pte_range(): a file page's young PTE ->
	 * mark_page_accessed (2.6.32: unless VM_SequentialReadHint, never set here), then
	 * page_remove_rmap; a dirty PTE needs no set_page_dirty (dirtied at the write) */
	if (young)
		zs26_mark_page_accessed(vm, pfn);
	zs26_page_unmap(vm, pfn);
}

void
zs26_touch(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	swapin_done(vm, pfn);
	if (p->flags & ZS_PG_MAPPED) {
		p->flags |= ZS_PG_YOUNG; /* the MMU sets the accessed bit */
		return;
	}
	if (p->kind == ZS_KIND_FILE_CLEAN || p->kind == ZS_KIND_FILE_DIRTY ||
	    p->kind == ZS_KIND_BUFFER)
		zs26_mark_page_accessed(vm, pfn); /* a read() of a cached page */
}

void
zs26_dirty(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_page *p = &vm->machine->pages[pfn];

	swapin_done(vm, pfn);
	if (p->flags & ZS_PG_MAPPED) {
		p->flags |= ZS_PG_YOUNG;
		if (zs26_page_is_file(p))
			zs26_account_dirty(vm, pfn);
		else
			p->flags |= ZS_PG_DIRTY;
		/* KERNEL: 2.6.32 mm/memory.c do_wp_page() -> reuse_swap_page(): leaves the cache */
		if (k->kver == ZS_KV_2632 && (p->flags & ZS_PG_SWAPCACHE))
			zs26_try_to_free_swap(vm, pfn);
		return;
	}
	if (p->kind == ZS_KIND_FILE_CLEAN || p->kind == ZS_KIND_FILE_DIRTY ||
	    p->kind == ZS_KIND_BUFFER) {
		/* KERNEL: 2.6.18 mm/filemap.c generic_file_buffered_write(): dirty, accessed */
		zs26_account_dirty(vm, pfn);
		zs26_mark_page_accessed(vm, pfn);
	}
}

/* The page's state flags cleared, then free_hot_cold_page: release_page's tail. */
ZS26_FAST void
free_page_flags_clear(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, unsigned cpu, int cold)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	p->flags &= ~(ZS_PG_REFERENCED | ZS_PG_DIRTY | ZS_PG_ACTIVE | ZS_PG_LRU | ZS_PG_MAPPED |
		      ZS_PG_YOUNG | ZS26_PG_RECLAIM | ZS26_PG_SWAPBACKED | ZS26_PG_UNEVICTABLE |
		      ZS26_PG_MLOCKED | ZS26_PG_EXEC | ZS26_PG_FREEPEND | ZS26_PG_ANON |
		      ZS26_PG_SWAPIN);
	zs26_free_hot_cold(vm, z, pfn, zs_cpu_index(vm->machine, cpu), cold);
}

/* zs26_release_page of a page in zone z (zs26_free has looked the zone up already). */
ZS26_FAST void
release_page(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, unsigned cpu, int cold)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_page *p = &vm->machine->pages[pfn];

	ZS_BUG_ON(p->list != ZS_LST_NONE || (p->flags & (ZS_PG_SWAPCACHE | ZS_PG_WRITEBACK)));
	/* each callee tests its own flag first: the tests here only save the calls
	 * on the common free of an unmapped, clean, uncached page */
	if (p->flags & ZS_PG_MAPPED)
		zs26_page_unmap(vm, pfn);
	if (p->flags & ZS_PG_DIRTY)
		zs26_account_clean(vm, pfn); /* a dirty page freed: cancel_dirty_page */
	if (p->flags & ZS26_PG_PAGECACHE)
		zs26_pagecache_remove(vm, pfn);
	/* KERNEL: 2.6.32 mm/page_alloc.c free_page_mlock(): NR_MLOCK drops with the page */
	if (k->kver == ZS_KV_2632 && (p->flags & ZS26_PG_MLOCKED))
		zs26_zone(z)->lru.nr_mlock--;
	free_page_flags_clear(vm, z, pfn, cpu, cold);
}

void
zs26_release_page(struct zs_vm *vm, uint32_t pfn, unsigned cpu, int cold)
{
	release_page(vm, zs_pfn_zone(vm->machine, pfn), pfn, cpu, cold);
}

/* zs26_free of an order-0 page that is on a list or has state to undo (below). */
static __attribute__((noinline)) void
free_page_with_state(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, unsigned cpu)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if (p->list != ZS_LST_NONE)
		zs26_lru_forget(vm, pfn);
	if (p->flags & ZS_PG_SWAPCACHE)
		zs26_delete_from_swap_cache(vm, pfn); /* the driver releases the slot */
	if (p->flags & ZS_PG_MAPPED)
		zs26_page_unmap(vm, pfn);
	if (p->flags & ZS_PG_WRITEBACK) {
		/* the write holds a reference: the page is freed when it completes */
		p->flags |= ZS26_PG_FREEPEND;
		return;
	}
	release_page(vm, z, pfn, cpu, 0);
}

/*
 * The flags whose state a free undoes (free_page_with_state and release_page each test
 * them); a page off every list with none of them set - a kernel page, an anonymous
 * page never swapped or mapped - has nothing to undo.
 */
#define FREE_STATE_FLAGS                                                                     \
	(ZS_PG_SWAPCACHE | ZS_PG_MAPPED | ZS_PG_WRITEBACK | ZS_PG_DIRTY | ZS26_PG_PAGECACHE |  \
	 ZS26_PG_MLOCKED)

void
zs26_free(struct zs_vm *vm, uint32_t pfn, unsigned order, unsigned cpu)
{
	struct zs_zone *z = zs_pfn_zone(vm->machine, pfn);
	struct zs_page *p = &vm->machine->pages[pfn];

	/* KERNEL: 2.6.32 mm/page_alloc.c __free_pages(): order 0 is a hot free to the pcp */
	if (order == 0) {
		/* every test of free_page_with_state and release_page at once: nothing to
		 * undo, so the free is release_page's tail (SUBTLE: the test must name every
		 * flag those two act on) */
		if (p->list == ZS_LST_NONE && !(p->flags & FREE_STATE_FLAGS))
			free_page_flags_clear(vm, z, pfn, cpu, 0);
		else
			free_page_with_state(vm, z, pfn, cpu);
		return;
	}
	p->flags &= ~(ZS_PG_REFERENCED | ZS_PG_DIRTY | ZS_PG_ACTIVE | ZS_PG_LRU | ZS_PG_MAPPED |
		      ZS_PG_YOUNG);
	/* KERNEL: 2.6.32 __free_pages_ok() -> free_one_page(pageblock migratetype) */
	zs26_zone_freed(z);
	z->pgfree += 1u << order;
	z->free_blocks[order]++;
	zs26_free_one_page(vm, z, pfn, order, zs26_pageblock_mt(vm, z, pfn));
}
