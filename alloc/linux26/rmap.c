/*
 * rmap.c - the reverse-map questions reclaim asks about a page (mm/rmap.c of
 * 2.6.18 and 2.6.32): page_referenced, page_mapping_inuse, try_to_unmap, and
 * the NR_ANON_PAGES / NR_FILE_MAPPED counts 2.6.18's mapped_ratio reads.
 *
 * A page has at most one mapping here (ZS_PG_MAPPED, with the PTE young bit
 * ZS_PG_YOUNG): zsim tasks do not share pages.  Anonymous pages are mapped
 * from their fault until try_to_unmap; page-cache pages are mapped only when
 * a source reaches them through a mapping (`access: mmap`, memory.c's
 * zs26_map_file -> zs26_map_file_page), until try_to_unmap or the task's exit.
 * DEVIATION: no swap token (page_referenced's third term), and
 * mapping_mapped(file) is not known per file: an unmapped page of a file that
 * is mmapped elsewhere counts as not in use.
 */
#include "alloc/linux26/model.h"

void
zs26_page_map(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs_page *p = &vm->machine->pages[pfn];

	if (p->flags & ZS_PG_MAPPED)
		return;
	/* KERNEL: 2.6.18 mm/rmap.c page_add_anon_rmap() / page_add_file_rmap() counters */
	p->flags |= ZS_PG_MAPPED | ZS_PG_YOUNG;
	if (p->flags & ZS26_PG_ANON) {
		rc->nr_anon_pages++;
	} else {
		rc->nr_file_mapped++;
		zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_MAPPED, 1);
	}
}

void
zs26_page_unmap(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs_page *p = &vm->machine->pages[pfn];

	if (!(p->flags & ZS_PG_MAPPED))
		return;
	/* KERNEL: 2.6.18 mm/rmap.c page_remove_rmap(); the VM_EXEC vma goes with its PTE */
	p->flags &= ~(ZS_PG_MAPPED | ZS_PG_YOUNG | ZS26_PG_EXEC);
	if (p->flags & ZS26_PG_ANON) {
		rc->nr_anon_pages--;
	} else {
		rc->nr_file_mapped--;
		zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_MAPPED, -1);
	}
}

int
zs26_page_referenced(struct zs_vm *vm, uint32_t pfn, int *vm_exec, int *vm_locked)
{
	struct zs_page *p = &vm->machine->pages[pfn];
	int referenced = 0;

	(void)vm;
	*vm_exec = *vm_locked = 0;
	/* KERNEL: 2.6.18 mm/rmap.c page_referenced(): PG_referenced, then each mapping's PTE */
	if (p->flags & ZS_PG_REFERENCED) {
		p->flags &= ~ZS_PG_REFERENCED;
		referenced++;
	}
	if (p->flags & ZS_PG_MAPPED) {
		/* KERNEL: 2.6.32 mm/rmap.c page_referenced_one(): the vma's flags are reported */
		*vm_exec = (p->flags & ZS26_PG_EXEC) != 0;
		*vm_locked = (p->flags & ZS26_PG_MLOCKED) != 0;
		if (p->flags & ZS_PG_YOUNG) {
			p->flags &= ~ZS_PG_YOUNG;
			referenced++;
		}
	}
	return referenced;
}

int
zs26_page_mapping_inuse(struct zs_vm *vm, const struct zs_page *p)
{
	(void)vm;
	/* KERNEL: 2.6.18 mm/vmscan.c page_mapping_inuse(): mapped, or swap cache, or mmapped file */
	return (p->flags & (ZS_PG_MAPPED | ZS_PG_SWAPCACHE)) != 0;
}

int
zs26_try_to_unmap(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if (!(p->flags & ZS_PG_MAPPED))
		return ZS26_SWAP_SUCCESS;
	/* KERNEL: 2.6.18 mm/rmap.c try_to_unmap_one(): VM_LOCKED or a young PTE -> SWAP_FAIL */
	if (p->flags & ZS26_PG_MLOCKED)
		return zs26_of(vm)->kver == ZS_KV_2632 ? ZS26_SWAP_MLOCK : ZS26_SWAP_FAIL;
	if (p->flags & ZS_PG_YOUNG) {
		p->flags &= ~ZS_PG_YOUNG;
		return ZS26_SWAP_FAIL;
	}
	zs26_page_unmap(vm, pfn);
	if (p->flags & ZS26_PG_ANON) {
		/* the PTE now holds the swap entry: the owner's next touch faults */
		ZS_BUG_ON(!(p->flags & ZS_PG_SWAPCACHE));
		zs_vm_unbind_page(vm, pfn, p->aux);
	}
	return ZS26_SWAP_SUCCESS;
}

void
zs26_mlock_page(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_page *p = &vm->machine->pages[pfn];

	if (p->flags & ZS26_PG_MLOCKED)
		return;
	p->flags |= ZS26_PG_MLOCKED;
	if (k->kver == ZS_KV_2618)
		return; /* 2.6.18 only knows the vma is VM_LOCKED */
	/* KERNEL: 2.6.32 mm/mlock.c mlock_vma_page(): NR_MLOCK, isolate + putback -> unevictable */
	zs26_zone(zs_pfn_zone(vm->machine, pfn))->lru.nr_mlock++;
	if (p->flags & ZS_PG_LRU) {
		zs26_del_page_from_lru(vm, pfn);
		zs26_putback_lru_page(vm, pfn);
	}
}

void
zs26_map_file_page(struct zs_vm *vm, uint32_t pfn, int exec)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if (exec)
		p->flags |= ZS26_PG_EXEC;
	zs26_page_map(vm, pfn);
}
