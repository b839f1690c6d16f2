/*
 * page_writeback.c - the part of mm/page-writeback.c that reclaim calls:
 * get_dirty_limits() of each version and throttle_vm_writeout().
 *
 * DEVIATION: throttle_vm_writeout's wait is taken at the end of the reclaim
 * pass that asked for it (sc->throttle), not inside shrink_zone.  The
 * writeback threads and balance_dirty_pages' trigger are in fs_writeback.c.
 */
#include "alloc/linux26/model.h"

void
zs26_get_dirty_limits(struct zs_vm *vm, uint64_t *background, uint64_t *dirty)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_reclaim *rc = &k->rc;
	uint64_t avail;
	int dirty_ratio, bg_ratio;

	if (k->kver == ZS_KV_2618) {
		/* KERNEL: 2.6.18 mm/page-writeback.c get_dirty_limits(): the unmapped ratio clamp */
		uint64_t total = rc->vm_total_pages ? rc->vm_total_pages : 1;
		int unmapped_ratio =
			100 - (int)((rc->nr_file_mapped + rc->nr_anon_pages) * 100 / total);

		avail = total;
		dirty_ratio = k->dirty_ratio;
		if (dirty_ratio > unmapped_ratio / 2)
			dirty_ratio = unmapped_ratio / 2;
		if (dirty_ratio < 5)
			dirty_ratio = 5;
		bg_ratio = k->dirty_background_ratio;
		if (bg_ratio >= dirty_ratio)
			bg_ratio = dirty_ratio / 2;
		*background = (uint64_t)bg_ratio * avail / 100;
		*dirty = (uint64_t)dirty_ratio * avail / 100;
		return;
	}
	/* KERNEL: 2.6.32 mm/page-writeback.c determine_dirtyable_memory(): free + reclaimable */
	avail = 0;
	for (int i = 0; i < vm->machine->nr_zones; i++) {
		struct zs_zone *z = &vm->machine->zones[i];

		if (z->type == ZS_ZONE_HIGHMEM)
			continue; /* vm_highmem_is_dirtyable 0: highmem's share is taken out */
		avail += z->free_pages + zs26_zone_reclaimable_pages(vm, z);
	}
	avail += 1;
	dirty_ratio = k->dirty_ratio < 5 ? 5 : k->dirty_ratio;
	*dirty = (uint64_t)dirty_ratio * avail / 100;
	*background = (uint64_t)k->dirty_background_ratio * avail / 100;
	if (*background >= *dirty)
		*background = *dirty / 2;
}

void
zs26_throttle_vm_writeout(struct zs_vm *vm, struct zs26_sc *sc)
{
	uint64_t bg, dirty;

	/* KERNEL: 2.6.18 mm/page-writeback.c throttle_vm_writeout(): writeback > dirty * 1.1 */
	zs26_get_dirty_limits(vm, &bg, &dirty);
	dirty += dirty / 10;
	if (zs26_of(vm)->rc.nr_writeback > dirty)
		sc->throttle = 1;
}

uint64_t
zs26_ratelimit_pages(struct zs_vm *vm)
{
	/* KERNEL: 2.6.18 mm/page-writeback.c set_ratelimit() (2.6.32 writeback_set_ratelimit) */
	uint64_t r = zs26_of(vm)->rc.vm_total_pages / ((uint64_t)vm->machine->nr_cpus * 32);

	if (r < 16)
		r = 16;
	if (r > 4096 * 1024 / 4096)
		r = 4096 * 1024 / 4096;
	return r;
}
