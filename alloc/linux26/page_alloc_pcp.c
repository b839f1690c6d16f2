/*
 * page_alloc_pcp.c - per-cpu pagesets (mm/page_alloc.c) of Linux 2.6.18 (separate hot and cold lists)
 * and 2.6.32 (one pcp with a list per migratetype; hot at the head, cold at
 * the tail), with their refill (rmqueue_bulk), spill (free_pages_bulk /
 * free_pcppages_bulk) and drains: drain_all_pages, and the drains of one CPU's
 * remote pagesets that its periodic timer runs (see slab.c / vmstat.c).
 *
 * Pages on a pcp list are allocated as far as the buddy is concerned (not in
 * zone->free_pages); they carry ZS_PG_PCP, list tag ZS_LST_PCP and, in 2.6.32,
 * the migratetype they were listed under in page->aux (page_private).
 *
 * Invariant: pcp->count == sum of the pcp's list counts.
 */
#include "alloc/linux26/model.h"

#include "alloc/buddy.h"

uint32_t
zs26_zone_batchsize(uint64_t present)
{
	/* KERNEL: 2.6.32 mm/page_alloc.c zone_batchsize() (same arithmetic in 2.6.18) */
	uint64_t batch = present / 1024;
	unsigned fls = 0;

	if (batch * ZS_PAGE_SIZE > 512 * 1024)
		batch = (512 * 1024) / ZS_PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	/* SUBTLE: the "2^n - 1" clamp, so batches of different CPUs do not alias in the cache */
	for (uint64_t v = batch + batch / 2; v; v >>= 1)
		fls++;
	return (uint32_t)((1ull << (fls - 1)) - 1);
}

static void
pcp_init(struct zs26_pcp *pcp, uint32_t high, uint32_t batch)
{
	pcp->count = 0;
	pcp->high = high;
	pcp->batch = batch;
	for (int t = 0; t < ZS26_MT_PCPTYPES; t++)
		zs_list_init(&pcp->lists[t]);
}

void
zs26_setup_pagesets(struct zs_vm *vm, struct zs_zone *z)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_zone *zz = zs26_zone(z);
	uint32_t batch = zs26_zone_batchsize(z->present);

	zz->unbatched = batch;
	/* KERNEL: 2.6.32 mm/vmstat.c refresh_zone_stat_thresholds() at setup_vmstat() */
	zz->stat_threshold = zs26_calculate_threshold(z, k->nr_cpus);
	for (int cpu = 0; cpu < k->nr_cpus; cpu++) {
		struct zs26_pageset *ps = &zz->pageset[cpu];

		if (k->kver == ZS_KV_2618) {
			/* KERNEL: 2.6.18 mm/page_alloc.c setup_pageset(): hot and cold */
			pcp_init(&ps->pcp[0], 6 * batch, batch > 1 ? batch : 1);
			pcp_init(&ps->pcp[1], 2 * batch, batch / 2 > 1 ? batch / 2 : 1);
		} else {
			/* KERNEL: 2.6.32 mm/page_alloc.c setup_pageset() */
			pcp_init(&ps->pcp[0], 6 * batch, batch > 1 ? batch : 1);
			pcp_init(&ps->pcp[1], 0, 1); /* unused */
		}
		if (k->percpu_pagelist_fraction) {
			/* KERNEL: 2.6.32 mm/page_alloc.c setup_pagelist_highmark() (hot list only) */
			uint32_t high = (uint32_t)(z->present / k->percpu_pagelist_fraction);
			uint32_t b = high / 4 > 1 ? high / 4 : 1;

			if (high / 4 > 12 * 8)
				b = 12 * 8; /* PAGE_SHIFT * 8 */
			ps->pcp[0].high = high;
			ps->pcp[0].batch = b;
		}
	}
}

/* Insert pfn right after `after` in l (after == ZS_NIL: at the head). */
static void
list_insert_after(struct zs_page *pages, struct zs_list *l, uint32_t after, uint32_t pfn)
{
	if (after == ZS_NIL || after == l->tail) {
		if (after == ZS_NIL)
			zs_list_add(pages, l, pfn, ZS_LST_PCP);
		else
			zs_list_add_tail(pages, l, pfn, ZS_LST_PCP);
		return;
	}
	struct zs_page *p = &pages[pfn];
	uint32_t next = pages[after].next;

	p->prev = after;
	p->next = next;
	pages[after].next = pfn;
	pages[next].prev = pfn;
	p->list = ZS_LST_PCP;
	l->count++;
}

/* Insert pfn right before `before` in l (before == ZS_NIL: at the tail). */
static void
list_insert_before(struct zs_page *pages, struct zs_list *l, uint32_t before, uint32_t pfn)
{
	if (before == ZS_NIL || before == l->head) {
		if (before == ZS_NIL)
			zs_list_add_tail(pages, l, pfn, ZS_LST_PCP);
		else
			zs_list_add(pages, l, pfn, ZS_LST_PCP);
		return;
	}
	struct zs_page *p = &pages[pfn];
	uint32_t prev = pages[before].prev;

	p->next = before;
	p->prev = prev;
	pages[before].prev = pfn;
	pages[prev].next = pfn;
	p->list = ZS_LST_PCP;
	l->count++;
}

/*
 * rmqueue_bulk(): up to `count` order-0 pages from the buddy onto list.
 * 2.6.18 appends each at the tail; 2.6.32 places each after the previous one
 * (hot) or before it (cold), so the reading end yields them in order obtained.
 */
static uint32_t
rmqueue_bulk(struct zs_vm *vm, struct zs_zone *z, uint32_t count, struct zs_list *list, int mt,
	     int cold)
{
	struct zs_page *pages = vm->machine->pages;
	uint32_t i, prev = ZS_NIL;

	zs26_zone(z)->pcp_refills++;
	for (i = 0; i < count; i++) {
		/* KERNEL: 2.6.32 mm/page_alloc.c rmqueue_bulk() (2.6.18: list_add_tail each) */
		uint32_t pfn = zs26_rmqueue(vm, z, 0, mt);

		if (pfn == ZS_NIL)
			break;
		zs26_mark_pcp(&pages[pfn], mt);
		if (zs26_of(vm)->kver == ZS_KV_2618)
			zs_list_add_tail(pages, list, pfn, ZS_LST_PCP);
		else if (!cold)
			list_insert_after(pages, list, prev, pfn);
		else
			list_insert_before(pages, list, prev, pfn);
		prev = pfn;
	}
	return i;
}

uint32_t
zs26_pcp_refill(struct zs_vm *vm, struct zs_zone *z, unsigned cpu, struct zs26_pcp *pcp,
		struct zs_list *list, int mt, int cold)
{
	uint32_t got = rmqueue_bulk(vm, z, pcp->batch, list, mt, cold);

	pcp->count += got;
	if (zs26_of(vm)->kver == ZS_KV_2618)
		/* KERNEL: 2.6.18 mm/page_alloc.c buffered_rmqueue(): NULL if pcp->count stays 0 */
		return pcp->count;
	/* KERNEL: 2.6.32 mm/page_alloc.c buffered_rmqueue(): NULL if list_empty(list) */
	zs26_mod_free_diff(z, cpu, -(int)got);
	return list->count;
}

/* free_pages_bulk (2.6.18): up to `count` pages from the tail of list to the buddy. */
static uint32_t
free_pages_bulk(struct zs_vm *vm, struct zs_zone *z, uint32_t count, struct zs_list *list)
{
	struct zs_page *pages = vm->machine->pages;
	uint32_t ret = 0;

	zs26_zone(z)->pcp_spills++;
	/* KERNEL: 2.6.18 mm/page_alloc.c free_pages_bulk(): a free ends all_unreclaimable */
	zs26_zone_freed(z);
	while (list->count && count--) {
		uint32_t pfn = zs_list_pop_tail(pages, list);

		pages[pfn].flags &= ~ZS_PG_PCP;
		zs26_free_one_page(vm, z, pfn, 0, 0);
		ret++;
	}
	return ret;
}

/*
 * free_pcppages_bulk (2.6.32): `count` pages, round-robin over the lists
 * starting at list 1, taking batch_free pages (growing with each list visited,
 * empty lists included) from the tail of each.  Vanilla 2.6.32 frees each page
 * into the buddy list of the pcp list's migratetype.
 */
static void
free_pcppages_bulk(struct zs_vm *vm, struct zs_zone *z, uint32_t count, struct zs26_pcp *pcp)
{
	struct zs_page *pages = vm->machine->pages;
	int mt = 0, batch_free = 0;

	zs26_zone(z)->pcp_spills++;
	/* KERNEL: 2.6.32 mm/page_alloc.c free_pcppages_bulk(): clears ZONE_ALL_UNRECLAIMABLE */
	zs26_zone_freed(z);
	while (count) {
		struct zs_list *list;

		/* KERNEL: 2.6.32 mm/page_alloc.c free_pcppages_bulk() */
		do {
			batch_free++;
			if (++mt == ZS26_MT_PCPTYPES)
				mt = 0;
			list = &pcp->lists[mt];
		} while (list->count == 0);
		do {
			uint32_t pfn = zs_list_pop_tail(pages, list);

			pages[pfn].flags &= ~ZS_PG_PCP;
			zs26_free_one_page(vm, z, pfn, 0, mt);
		} while (--count && --batch_free && list->count);
	}
}

void
zs26_pcp_spill(struct zs_vm *vm, struct zs_zone *z, unsigned cpu, struct zs26_pcp *pcp)
{
	if (zs26_of(vm)->kver == ZS_KV_2618) {
		/* KERNEL: 2.6.18 mm/page_alloc.c free_hot_cold_page(): free_pages_bulk(batch) */
		pcp->count -= free_pages_bulk(vm, z, pcp->batch, &pcp->lists[0]);
		return;
	}
	/* KERNEL: 2.6.32 mm/page_alloc.c free_hot_cold_page(): free_pcppages_bulk(batch) */
	free_pcppages_bulk(vm, z, pcp->batch, pcp);
	pcp->count -= pcp->batch;
	zs26_mod_free_diff(z, cpu, (int)pcp->batch);
}

void
zs26_drain_all_pages(struct zs_vm *vm)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;

	/* KERNEL: 2.6.32 mm/page_alloc.c drain_all_pages() -> drain_pages() on every CPU */
	k->drain_all_pages++;
	for (int cpu = 0; cpu < k->nr_cpus; cpu++) {
		for (int i = 0; i < m->nr_zones; i++) {
			struct zs_zone *z = &m->zones[i];
			struct zs26_pageset *ps = &zs26_zone(z)->pageset[cpu];

			if (k->kver == ZS_KV_2618) {
				for (int c = 0; c < 2; c++)
					if (ps->pcp[c].count)
						ps->pcp[c].count -= free_pages_bulk(
							vm, z, ps->pcp[c].count, &ps->pcp[c].lists[0]);
			} else if (ps->pcp[0].count) {
				free_pcppages_bulk(vm, z, ps->pcp[0].count, &ps->pcp[0]);
				zs26_mod_free_diff(z, (unsigned)cpu, (int)ps->pcp[0].count);
				ps->pcp[0].count = 0;
			}
		}
	}
}

uint64_t
zs26_pcp_pages(struct zs_vm *vm, struct zs_zone *z, int which)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_zone *zz = zs26_zone(z);
	uint64_t n = 0;

	for (int cpu = 0; cpu < k->nr_cpus; cpu++) {
		if (which < 0 || which == 0)
			n += zz->pageset[cpu].pcp[0].count;
		if ((which < 0 || which == 1) && k->kver == ZS_KV_2618)
			n += zz->pageset[cpu].pcp[1].count;
	}
	return n;
}

/* ---- remote pageset drains (the timers of slab.c and vmstat.c call these) ---- */

void
zs26_mod_free_diff(struct zs_zone *z, unsigned cpu, int delta)
{
	struct zs26_zone *zz = zs26_zone(z);
	struct zs26_pageset *ps = &zz->pageset[cpu];
	int x = ps->free_diff + delta;

	/* KERNEL: 2.6.32 mm/vmstat.c __mod_zone_page_state(): past the threshold the
	 * differential is folded into the zone at once and leaves nothing behind */
	if (x > zz->stat_threshold || x < -zz->stat_threshold)
		x = 0;
	ps->free_diff = (int16_t)x;
}

uint32_t
zs26_drain_node_pages(struct zs_vm *vm, int node, unsigned cpu)
{
	struct zs_node *nd = &vm->machine->nodes[node];
	uint32_t drained = 0;

	/* KERNEL: 2.6.18 mm/page_alloc.c drain_node_pages(): every zone of the node,
	 * both lists of this CPU's pageset, each emptied whole */
	for (int k = 0; k < ZS_NR_ZONE_TYPES; k++) {
		struct zs_zone *z = nd->zone[k];

		if (!z)
			continue;
		for (int c = 0; c < 2; c++) {
			struct zs26_pcp *pcp = &zs26_zone(z)->pageset[cpu].pcp[c];

			if (pcp->count) {
				uint32_t n = free_pages_bulk(vm, z, pcp->count, &pcp->lists[0]);

				drained += n;
				pcp->count = 0;
			}
		}
	}
	return drained;
}

uint32_t
zs26_drain_zone_pages(struct zs_vm *vm, struct zs_zone *z, unsigned cpu)
{
	struct zs26_pcp *pcp = &zs26_zone(z)->pageset[cpu].pcp[0];
	/* KERNEL: 2.6.32 mm/page_alloc.c drain_zone_pages(): at most one batch */
	uint32_t to_drain = pcp->count >= pcp->batch ? pcp->batch : pcp->count;

	if (!to_drain)
		return 0;
	free_pcppages_bulk(vm, z, to_drain, pcp);
	pcp->count -= to_drain;
	zs26_mod_free_diff(z, cpu, (int)to_drain);
	return to_drain;
}
