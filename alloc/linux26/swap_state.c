/*
 * swap_state.c - the swap cache of the 2.6 models (mm/swap_state.c,
 * mm/swapfile.c of 2.6.18 and 2.6.32): add_to_swap, deleting from the
 * cache, vm_swap_full, freeing a mapped page's slot, and the two policy ops
 * the driver calls for swapped bindings (swap_cache_find, swap_free).
 *
 * Who holds a slot: the page's owner from add_to_swap until it frees the page
 * or the model drops the slot of a mapped page (try_to_free_swap), through the
 * page while it is resident (zs_vm_bind_slot: page->aux holds the slot, as the
 * kernel's page->private), in binding->ps once reclaim unmapped it; the swap
 * cache maps slot -> pfn while a page is in it.  A swap-cache page that is not
 * bound belongs to a SWAPPED binding: its owner's next touch finds it (a minor
 * fault).
 */
#include "alloc/linux26/model.h"

int
zs26_add_to_swap(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs_page *p = &vm->machine->pages[pfn];
	uint32_t slot = zs_swap_get(&vm->swap);

	/* KERNEL: 2.6.18 mm/swap_state.c add_to_swap(): get_swap_page, add_to_swap_cache, dirty */
	if (slot == UINT32_MAX || slot >= rc->nr_slots) {
		if (slot != UINT32_MAX)
			zs_swap_put(&vm->swap, slot);
		return 0;
	}
	p->flags |= ZS_PG_SWAPCACHE | ZS_PG_DIRTY;
	zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_PAGES, 1); /* __add_to_swap_cache */
	/* the page's owner, if any, now holds the slot through it (zs_vm_bind_slot) */
	p->aux = slot;
	rc->swapcache[slot] = pfn;
	return 1;
}

void
zs26_delete_from_swap_cache(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs_page *p = &vm->machine->pages[pfn];

	ZS_BUG_ON(!(p->flags & ZS_PG_SWAPCACHE) || rc->swapcache[p->aux] != pfn);
	rc->swapcache[p->aux] = ZS_NIL;
	p->flags &= ~ZS_PG_SWAPCACHE;
	zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_PAGES, -1);
	p->aux = 0;
}

int
zs26_vm_swap_full(struct zs_vm *vm)
{
	/* KERNEL: 2.6.18 include/linux/swap.h vm_swap_full(): nr_swap_pages * 2 < total */
	return vm->swap.nr_free * 2 < vm->swap.nr_slots;
}

void
zs26_try_to_free_swap(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];
	struct zs_binding *b = zs_vm_page_binding(vm, pfn);
	uint32_t slot;

	/*
	 * KERNEL: 2.6.32 mm/swapfile.c try_to_free_swap(): not under writeback and
	 * no PTE holds the entry -- here, the page is still bound to its owner.
	 */
	if (!(p->flags & ZS_PG_SWAPCACHE) || (p->flags & ZS_PG_WRITEBACK) || !b)
		return;
	slot = p->aux;
	zs26_delete_from_swap_cache(vm, pfn);
	p->flags |= ZS_PG_DIRTY;
	zs_swap_put(&vm->swap, slot);
}

uint32_t
zs26_swap_cache_find(struct zs_vm *vm, uint32_t slot)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	uint32_t pfn;
	struct zs_page *p;

	if (slot >= rc->nr_slots || (pfn = rc->swapcache[slot]) == ZS_NIL)
		return ZS_NIL;
	p = &vm->machine->pages[pfn];
	if (p->flags & (ZS26_PG_FREEPEND | ZS_PG_BOUND))
		return ZS_NIL;
	/* KERNEL: 2.6.18 mm/memory.c do_swap_page(): lookup_swap_cache, mark_page_accessed, map */
	zs26_mark_page_accessed(vm, pfn);
	zs26_page_map(vm, pfn);
	/* the vm_swap_full() test of do_swap_page runs at the access (touch/dirty hook),
	 * once the driver has bound the page again */
	p->flags |= ZS26_PG_SWAPIN;
	return pfn;
}

void
zs26_swap_free(struct zs_vm *vm, uint32_t slot)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;

	if (slot >= rc->nr_slots)
		return;
	uint32_t pfn = rc->swapcache[slot];

	if (pfn != ZS_NIL && !(vm->machine->pages[pfn].flags & ZS_PG_BOUND)) {
		/* KERNEL: 2.6.18 mm/swapfile.c free_swap_and_cache(): the cached copy goes too */
		struct zs_page *p = &vm->machine->pages[pfn];

		zs26_lru_forget(vm, pfn);
		zs26_delete_from_swap_cache(vm, pfn);
		/*
		 * DEVIATION: the kernel leaves a page under writeback in the swap cache
		 * (holding its slot) for reclaim to free later; here it is freed when
		 * the write completes and the slot is returned at once.
		 */
		if (p->flags & ZS_PG_WRITEBACK)
			p->flags |= ZS26_PG_FREEPEND;
		else
			zs26_release_page(vm, pfn, zs26_of(vm)->rc.cur_cpu, 0);
	}
	zs_swap_put(&vm->swap, slot);
}

/* swap_setup(): page_cluster 2 below 16 MiB of memory, else 3. */
static unsigned
page_cluster(const struct zs_vm *vm)
{
	return (vm->machine->nr_pages >> (20 - 12)) < 16 ? 2 : 3;
}

static int
slot_used(const struct zs_swap *sw, uint64_t slot)
{
	return (sw->map[slot >> 3] & (1u << (slot & 7))) != 0;
}

/*
 * valid_swaphandles(): the slots to read around `target` within its
 * 2^page_cluster-aligned window (slot 0, the swap header, left out); returns
 * how many from *first.  2.6.18 walks up from the window's start to the first
 * free slot; 2.6.32 counts the used run above and below the target.
 */
static uint64_t
valid_swaphandles(struct zs_vm *vm, uint64_t target, uint64_t *first)
{
	const struct zs_swap *sw = &vm->swap;
	unsigned pc = page_cluster(vm);
	uint64_t base = (target >> pc) << pc, end = base + (1ull << pc), n = 0, toff;

	if (zs26_of(vm)->kver == ZS_KV_2618) {
		/* KERNEL: 2.6.18 mm/swapfile.c valid_swaphandles() */
		uint64_t left = 1ull << pc;

		toff = base;
		if (!toff) {
			toff++;
			left--;
		}
		*first = toff;
		for (; left; left--, toff++, n++)
			if (toff >= sw->nr_slots || !slot_used(sw, toff))
				break;
		return n;
	}
	/* KERNEL: 2.6.32 mm/swapfile.c valid_swaphandles() */
	if (!base)
		base++;
	if (end > sw->nr_slots)
		end = sw->nr_slots;
	for (toff = target; ++toff < end; n++)
		if (!slot_used(sw, toff))
			break;
	for (toff = target; toff-- > base; n++)
		if (!slot_used(sw, toff))
			break;
	/* toff is now one below the lowest slot of the run (or base - 1) */
	*first = toff + 1;
	return n ? n + 1 : 0;
}

/* read_swap_cache_async() of a slot nobody has cached: an unmapped swap-cache page. */
static uint32_t
read_swap_cache_async(struct zs_vm *vm, uint32_t slot, unsigned cpu)
{
	struct zs26 *k = zs26_of(vm);
	const int v32 = k->kver == ZS_KV_2632;
	struct zs_alloc_req req = {0};
	const int *zl;
	int nzl, node;
	uint32_t pfn;
	struct zs_page *p;

	/*
	 * DEVIATION: alloc_page_vma(GFP_HIGHUSER) may reclaim; here a read-ahead page
	 * is taken only above the low watermark (the fast path), else read-ahead stops.
	 */
	req.cpu = cpu;
	node = vm->machine->cpu_node[cpu % (unsigned)vm->machine->nr_cpus];
	nzl = zs26_zonelist(vm, node, GFP26_HIGHUSER, &zl);
	pfn = zs26_get_page_from_freelist(vm, &req, GFP26_HIGHUSER, 0, zl, nzl,
					  ZS26_ALLOC_WMARK_LOW | ZS26_ALLOC_CPUSET,
					  zs26_zlc_of(vm, node, GFP26_HIGHUSER));
	if (pfn == ZS_NIL)
		return ZS_NIL;
	p = &vm->machine->pages[pfn];
	p->kind = ZS_KIND_ANON;
	/* KERNEL: 2.6.18 mm/swap_state.c read_swap_cache_async(): add_to_swap_cache, lru_cache_add_active
	 * (2.6.32: lru_cache_add_anon, the inactive anon list), swap_readpage */
	p->flags |= ZS26_PG_ANON | ZS_PG_SWAPCACHE | (v32 ? ZS26_PG_SWAPBACKED : 0);
	zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_PAGES, 1); /* __add_to_swap_cache */
	p->aux = slot;
	k->rc.swapcache[slot] = pfn;
	zs26_lru_cache_add(vm, pfn, v32 ? ZS26_LRU_INACTIVE_ANON : ZS26_LRU_ACTIVE, cpu);
	return pfn;
}

void
zs26_swapin_readahead(struct zs_vm *vm, uint32_t slot, unsigned cpu)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	uint64_t first, num = valid_swaphandles(vm, slot, &first), n = 0;

	/* KERNEL: 2.6.18 mm/memory.c swapin_readahead() (2.6.32 mm/swap_state.c) */
	for (uint64_t off = first; off < first + num; off++) {
		if (off >= rc->nr_slots || rc->swapcache[off] != ZS_NIL)
			continue; /* found in the swap cache (the faulting page among them) */
		if (read_swap_cache_async(vm, (uint32_t)off, cpu) == ZS_NIL)
			break;
		n++;
	}
	zs26_lru_add_drain(vm, cpu);
	if (!n)
		return;
	/* the read-ahead pages as one asynchronous request, queued before the fault's read */
	zs_disk_submit(&vm->disk, 0, n, NULL, NULL, 0);
	vm->pswpin += n;
	vm->pgpgin += n;
	rc->swapin_readahead += n;
}
