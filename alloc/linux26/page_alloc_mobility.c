/*
 * page_alloc_mobility.c - grouping pages by mobility (2.6.32 mm/page_alloc.c): the pageblock
 * migratetype map, __rmqueue with its fallback table and whole-pageblock
 * stealing, MIGRATE_RESERVE, move_freepages; and the plain one-list __rmqueue
 * of 2.6.18.  The per-allocation lookups (allocflags_to_migratetype, a
 * pageblock's type) are static inline in model.h.
 *
 * pageblock_order is decided from the machine at boot (model.c): 10 when
 * it has a HighMem zone (taken as i386 without PAE, HUGETLB_PAGE_ORDER 10),
 * else 9 (x86_64 / PAE: 2 MiB huge pages).
 *
 * Invariant: every pageblock of a zone has exactly one migratetype; in 2.6.18
 * every free block is on list 0.
 */
#include "alloc/linux26/model.h"

#include "alloc/buddy.h"

static const char *const mt_names[] = {"Unmovable", "Reclaimable", "Movable", "Reserve",
				       "Isolate"};

const char *
zs26_mt_name(int mt)
{
	return mt >= 0 && mt < ZS_MIGRATE_TYPES ? mt_names[mt] : "?";
}

void
zs26_set_pageblock_mt(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, int mt)
{
	struct zs26_zone *zz = zs26_zone(z);

	if (zz->pageblock) {
		uint8_t *pb = &zz->pageblock[zs26_pb_index(vm, z, pfn)];

		zz->pb_count[*pb]--;
		zz->pb_count[mt]++;
		*pb = (uint8_t)mt;
	}
}

uint32_t
zs26_pageblocks_of(struct zs_vm *vm, struct zs_zone *z, int mt)
{
	struct zs26_zone *zz = zs26_zone(z);

	(void)vm;
	if (!zz->pageblock || mt < 0 || mt > ZS26_MT_ISOLATE)
		return 0;
	return zz->pb_count[mt];
}

/* KERNEL: 2.6.32 mm/page_alloc.c move_freepages(): free blocks in [start, end] to mt. */
static uint32_t
move_freepages(struct zs_vm *vm, struct zs_zone *z, uint32_t start, uint32_t end, int mt)
{
	struct zs_page *pages = vm->machine->pages;
	uint32_t moved = 0;

	for (uint32_t pfn = start; pfn <= end;) {
		struct zs_page *p = &pages[pfn];

		if (!(p->flags & ZS_PG_BUDDY)) {
			pfn++;
			continue;
		}
		unsigned order = p->order;

		zs_buddy_del_block(vm->machine, z, pfn, order, zs_buddy_block_mt(p));
		zs_buddy_add_block(vm->machine, z, pfn, order, (unsigned)mt);
		pfn += 1u << order;
		moved += 1u << order;
	}
	return moved;
}

uint32_t
zs26_move_freepages_block(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, int mt)
{
	/* KERNEL: 2.6.32 mm/page_alloc.c move_freepages_block() */
	uint32_t nr = 1u << zs26_of(vm)->pageblock_order;
	uint32_t start = pfn & ~(nr - 1), end = start + nr - 1;

	/* Do not cross zone boundaries: a block that starts below the zone is moved
	 * from the page on, one that ends beyond it is left alone */
	if (start < z->start_pfn)
		start = pfn;
	if (end >= z->start_pfn + z->spanned)
		return 0;
	return move_freepages(vm, z, start, end, mt);
}

/* KERNEL: 2.6.32 mm/page_alloc.c fallbacks[] (RESERVE entries are skipped by the walk) */
static const int fallbacks[ZS_MIGRATE_TYPES][ZS_MIGRATE_TYPES - 1] = {
	[ZS26_MT_UNMOVABLE] = {ZS26_MT_RECLAIMABLE, ZS26_MT_MOVABLE, ZS26_MT_RESERVE, -1},
	[ZS26_MT_RECLAIMABLE] = {ZS26_MT_UNMOVABLE, ZS26_MT_MOVABLE, ZS26_MT_RESERVE, -1},
	[ZS26_MT_MOVABLE] = {ZS26_MT_RECLAIMABLE, ZS26_MT_UNMOVABLE, ZS26_MT_RESERVE, -1},
	[ZS26_MT_RESERVE] = {ZS26_MT_RESERVE, ZS26_MT_RESERVE, ZS26_MT_RESERVE, -1},
	[ZS26_MT_ISOLATE] = {ZS26_MT_RESERVE, ZS26_MT_RESERVE, ZS26_MT_RESERVE, -1},
};

/*
 * __rmqueue_fallback(): the LARGEST free block of another type, stealing the
 * whole pageblock's free pages for start_mt when the block is big (>= half a
 * pageblock) or the request is RECLAIMABLE, and the pageblock itself when
 * that moved at least half of it.
 */
static uint32_t
rmqueue_fallback(struct zs_vm *vm, struct zs_zone *z, unsigned order, int start_mt)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_zone *zz = zs26_zone(z);
	struct zs_page *pages = vm->machine->pages;

	for (int cur = z->max_order - 1; cur >= (int)order; cur--) {
		for (int i = 0; i < ZS_MIGRATE_TYPES - 1; i++) {
			int mt = fallbacks[start_mt][i];
			uint32_t pfn;

			/* KERNEL: 2.6.32 mm/page_alloc.c __rmqueue_fallback() */
			if (mt < 0 || mt == ZS26_MT_RESERVE)
				continue;
			pfn = z->free_area[cur].list[mt].head;
			if (pfn == ZS_NIL)
				continue;
			zz->extfrag++;
			if (cur >= (k->pageblock_order >> 1) || start_mt == ZS26_MT_RECLAIMABLE ||
			    k->group_by_mobility_disabled) {
				uint32_t moved = zs26_move_freepages_block(vm, z, pfn, start_mt);

				/* claim the whole pageblock if over half of it was free */
				if (moved >= (1u << (k->pageblock_order - 1)) ||
				    k->group_by_mobility_disabled) {
					if (zs26_pageblock_mt(vm, z, pfn) != start_mt)
						zz->pageblock_steals++;
					zs26_set_pageblock_mt(vm, z, pfn, start_mt);
				}
				mt = start_mt;
			}
			/* the block may have moved lists: unlink it from where it is now */
			zs_buddy_del_block(vm->machine, z, pfn, (unsigned)cur,
					   zs_buddy_block_mt(&pages[pfn]));
			if (cur >= k->pageblock_order) {
				/* KERNEL: 2.6.32 change_pageblock_range() */
				uint32_t nr = 1u << (cur - k->pageblock_order);

				for (uint32_t b = 0; b < nr; b++) {
					uint32_t bp = pfn + (b << k->pageblock_order);

					if (zs26_pageblock_mt(vm, z, bp) != start_mt)
						zz->pageblock_steals++;
					zs26_set_pageblock_mt(vm, z, bp, start_mt);
				}
			}
			zs_buddy_expand(vm->machine, z, pfn, order, (unsigned)cur, (unsigned)mt);
			z->free_pages -= 1u << order;
			vm->machine->free_pages -= 1u << order;
			pages[pfn].flags |= ZS_PG_HEAD;
			pages[pfn].order = (uint8_t)order;
			return pfn;
		}
	}
	return ZS_NIL;
}

uint32_t
zs26_rmqueue(struct zs_vm *vm, struct zs_zone *z, unsigned order, int mt)
{
	struct zs26 *k = zs26_of(vm);
	uint32_t pfn;

	if (k->kver == ZS_KV_2618)
		/* KERNEL: 2.6.18 mm/page_alloc.c __rmqueue(): one list per order */
		return zs_buddy_rmqueue(vm->machine, z, order, 0);
	/* KERNEL: 2.6.32 mm/page_alloc.c __rmqueue() */
	for (;;) {
		pfn = zs_buddy_rmqueue(vm->machine, z, order, (unsigned)mt);
		if (pfn != ZS_NIL || mt == ZS26_MT_RESERVE)
			return pfn;
		pfn = rmqueue_fallback(vm, z, order, mt);
		if (pfn != ZS_NIL)
			return pfn;
		/* MIGRATE_RESERVE only when every other list is empty */
		mt = ZS26_MT_RESERVE;
	}
}

void
zs26_free_one_page(struct zs_vm *vm, struct zs_zone *z, uint32_t pfn, unsigned order, int mt)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	/* KERNEL: 2.6.32 mm/page_alloc.c free_one_page() clears the zone's reclaim state too */
	p->flags &= ~(ZS_PG_HEAD | ZS_PG_PCP);
	p->aux = 0;
	zs_buddy_free(vm->machine, z, pfn, order,
		      zs26_of(vm)->kver == ZS_KV_2618 ? 0u : (unsigned)mt);
}

void
zs26_setup_migrate_reserve(struct zs_vm *vm, struct zs_zone *z)
{
	struct zs26 *k = zs26_of(vm);
	uint32_t nr = 1u << k->pageblock_order;
	uint64_t reserve;

	if (k->kver == ZS_KV_2618)
		return;
	/* KERNEL: 2.6.32 mm/page_alloc.c setup_zone_migrate_reserve(): at most 2 blocks */
	reserve = ((z->pages_min + nr - 1) / nr * nr) >> k->pageblock_order;
	if (reserve > 2)
		reserve = 2;
	for (uint32_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned; pfn += nr) {
		/* Blocks with reserved pages will never free, skip them. */
		if (vm->machine->pages[pfn].flags & ZS_PG_RESERVED)
			continue;
		int bmt = zs26_pageblock_mt(vm, z, pfn);

		if (reserve > 0 && bmt == ZS26_MT_RESERVE) {
			reserve--;
			continue;
		}
		if (reserve > 0 && bmt == ZS26_MT_MOVABLE) {
			zs26_set_pageblock_mt(vm, z, pfn, ZS26_MT_RESERVE);
			zs26_move_freepages_block(vm, z, pfn, ZS26_MT_RESERVE);
			reserve--;
			continue;
		}
		/* the reserve is met: give back blocks reserved earlier */
		if (bmt == ZS26_MT_RESERVE) {
			zs26_set_pageblock_mt(vm, z, pfn, ZS26_MT_MOVABLE);
			zs26_move_freepages_block(vm, z, pfn, ZS26_MT_MOVABLE);
		}
	}
}
