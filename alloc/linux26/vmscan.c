/*
 * vmscan.c - 2.6 page reclaim (mm/vmscan.c of 2.6.18 and 2.6.32): the entry
 * points try_to_free_pages and shrink_zone, one kswapd thread per node with
 * wakeup_kswapd(), all behind honest stand-ins until the real LRU
 * (shrink_zone / shrink_list / split LRU) lands.  The LRU insertion and
 * removal the stand-in uses are in swap.c.
 *
 * DEVIATION: stand-in reclaim.  Each zone keeps ONE inactive list of clean
 * page-cache pages (ZS_KIND_FILE_CLEAN blocks of order 0, added by
 * page_added at the head).  shrink_zone takes pages from the tail: a page
 * referenced since it was added (touch) or dirtied is rotated to the head
 * with its reference cleared (second chance); any other page is unbound from
 * its owner (EVICTED: a later touch reads it back) and freed COLD to the
 * reclaiming CPU's pcp, as shrink_page_list's pagevec does.  No anonymous
 * pages, no swap, no writeback, no active list, no priorities, no slab.
 * Each page scanned costs `reclaim_scan_ns` of the reclaiming thread's CPU.
 *
 * kswapd follows kswapd()'s loop: read and zero kswapd_max_order; if it
 * is larger than the current order adopt it without sleeping, otherwise
 * sleep on kswapd_wait and take kswapd_max_order as the order when woken;
 * then balance the node.
 *
 * DEVIATION: stand-in balance_pgdat().  Each run step finds end_zone (the
 * highest zone of the node failing zone_watermark_ok(order, HIGH, classzone
 * 0)), then for zones 0..end_zone below their high mark (classzone end_zone)
 * reclaims up to SWAP_CLUSTER_MAX pages with the stand-in shrink_zone,
 * charges the CPU time and yields.  When every zone is balanced it goes back
 * to the top of the loop; when a pass frees nothing it drops a high order to
 * 0 (as 2.6.32 does) or, at order 0, gives up and sleeps (the real kswapd
 * would loop over priorities with congestion_wait(HZ/10)).
 *
 * Invariants: a page is on its zone's inactive list iff it has ZS_PG_LRU and
 * list tag ZS26_LST_INACTIVE; kswapd sleeps only on its node's kswapd_wait.
 */
#include "alloc/linux26/model.h"

#include <stdio.h>

uint64_t
zs26_shrink_zone(struct zs_vm *vm, struct zs_zone *z, uint64_t nr, unsigned cpu,
		 uint64_t *scanned)
{
	struct zs_page *pages = vm->machine->pages;
	struct zs_list *l = &zs26_zone(z)->inactive;
	uint64_t reclaimed = 0, scan = 0, max_scan = l->count;

	/* DEVIATION: stand-in for shrink_zone(); one pass over the list at most */
	while (reclaimed < nr && scan < max_scan && l->count) {
		uint32_t pfn = l->tail;
		struct zs_page *p = &pages[pfn];

		scan++;
		if (p->flags & (ZS_PG_REFERENCED | ZS_PG_DIRTY)) {
			p->flags &= ~ZS_PG_REFERENCED;
			zs_list_move(pages, l, l, pfn, ZS26_LST_INACTIVE);
			continue;
		}
		zs_list_del(pages, l, pfn);
		p->flags &= ~(ZS_PG_LRU | ZS_PG_REFERENCED | ZS_PG_ACTIVE);
		/* the owner loses the page: a clean file page is simply dropped */
		zs_vm_unbind_page(vm, pfn, UINT32_MAX);
		/* KERNEL: 2.6.18 mm/vmscan.c shrink_page_list(): freed through a cold pagevec */
		zs26_free_hot_cold(vm, z, pfn, cpu, 1);
		reclaimed++;
	}
	zs26_zone(z)->pgsteal += reclaimed;
	*scanned += scan;
	return reclaimed;
}

uint64_t
zs26_try_to_free_pages(struct zs_vm *vm, struct zs_alloc_req *req, const int *zl, int nzl)
{
	struct zs26 *k = zs26_of(vm);
	uint64_t reclaimed = 0, scanned = 0;
	unsigned cpu = req->cpu % (unsigned)vm->machine->nr_cpus;

	/* KERNEL: 2.6.32 mm/vmscan.c try_to_free_pages(): count_vm_event(ALLOCSTALL) */
	k->allocstall++;
	/* DEVIATION: one pass over the zonelist until SWAP_CLUSTER_MAX pages are freed */
	for (int i = 0; i < nzl && reclaimed < ZS26_SWAP_CLUSTER_MAX; i++) {
		struct zs_zone *z = &vm->machine->zones[zl[i]];
		uint64_t s = 0;

		reclaimed += zs26_shrink_zone(vm, z, ZS26_SWAP_CLUSTER_MAX - reclaimed, cpu, &s);
		zs26_zone(z)->pgscan_direct += s;
		scanned += s;
	}
	zs_time_t cost = (zs_time_t)scanned * k->reclaim_scan_ns;

	k->direct_reclaim_ns += cost;
	if (req->thread && cost)
		zs_thread_charge(req->thread, cost);
	return reclaimed;
}

/* ---- kswapd ---- */

enum { KSWAPD_TOP = 0, KSWAPD_WOKEN = 1, KSWAPD_BALANCE = 2 };

/* One pass of the stand-in balance_pgdat; returns pages reclaimed, -1 when balanced. */
static int64_t
balance_step(struct zs_vm *vm, struct zs26_node *nm)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_node *node = &vm->machine->nodes[nm->id];
	unsigned order = nm->kswapd_order;
	int end_zone = -1;
	uint64_t reclaimed = 0, scanned = 0;

	/* KERNEL: 2.6.32 mm/vmscan.c balance_pgdat(): end_zone, scanning high to low */
	for (int i = ZS_NR_ZONE_TYPES - 1; i >= 0; i--) {
		struct zs_zone *z = node->zone[i];

		if (!z || !z->present)
			continue;
		if (!zs26_zone_watermark_ok(z, order, z->pages_high, 0, 0)) {
			end_zone = i;
			break;
		}
	}
	if (end_zone < 0)
		return -1;
	nm->pageoutrun++;
	for (int i = 0; i <= end_zone; i++) {
		struct zs_zone *z = node->zone[i];
		uint64_t s = 0;

		if (!z || !z->present)
			continue;
		if (zs26_zone_watermark_ok(z, order, z->pages_high, end_zone, 0))
			continue;
		reclaimed += zs26_shrink_zone(vm, z, ZS26_SWAP_CLUSTER_MAX,
					      (unsigned)nm->kswapd->cpu, &s);
		zs26_zone(z)->pgscan_kswapd += s;
		scanned += s;
	}
	if (scanned)
		zs_thread_charge(nm->kswapd, (zs_time_t)scanned * k->reclaim_scan_ns);
	return (int64_t)reclaimed;
}

static void
kswapd_run(struct zs_thread *t)
{
	struct zs26_node *nm = t->priv;
	struct zs_vm *vm = nm->vm;

	for (;;) {
		switch (nm->kswapd_state) {
		case KSWAPD_TOP: {
			/* KERNEL: 2.6.32 mm/vmscan.c kswapd() */
			unsigned new_order = nm->kswapd_max_order;

			nm->kswapd_max_order = 0;
			if (nm->kswapd_order < new_order) {
				nm->kswapd_order = new_order;
				nm->kswapd_state = KSWAPD_BALANCE;
				continue;
			}
			nm->kswapd_state = KSWAPD_WOKEN;
			zs_thread_wait(t, &nm->kswapd_wait, ZS_FOREVER);
			return;
		}
		case KSWAPD_WOKEN:
			nm->kswapd_order = nm->kswapd_max_order;
			nm->kswapd_state = KSWAPD_BALANCE;
			continue;
		case KSWAPD_BALANCE: {
			int64_t r = balance_step(vm, nm);

			if (r < 0) {
				nm->kswapd_state = KSWAPD_TOP;
				continue;
			}
			if (r < ZS26_SWAP_CLUSTER_MAX && nm->kswapd_order > 0) {
				/* KERNEL: 2.6.32 balance_pgdat(): fruitless high-order pass -> order 0 */
				nm->kswapd_order = 0;
			} else if (r == 0) {
				/* DEVIATION: nothing reclaimable by the stand-in: sleep */
				nm->kswapd_state = KSWAPD_TOP;
				continue;
			}
			zs_thread_yield(t);
			return;
		}
		default:
			ZS_BUG_ON(1);
		}
	}
}

void
zs26_kswapd_start(struct zs_vm *vm)
{
	struct zs_machine *m = vm->machine;

	for (int n = 0; n < m->nr_nodes; n++) {
		struct zs26_node *nm = m->nodes[n].model;
		char name[24];
		int cpu = m->nodes[n].nr_cpus > 0 ? m->nodes[n].cpu_first : 0;

		snprintf(name, sizeof(name), "kswapd%d", n);
		nm->kswapd_state = KSWAPD_TOP;
		nm->kswapd = zs_thread_create(vm->engine, name, cpu, kswapd_run, nm,
					      zs_now(vm->engine));
	}
}

void
zs26_wakeup_kswapd(struct zs_vm *vm, struct zs_zone *z, unsigned order)
{
	struct zs26_node *nm = vm->machine->nodes[z->node].model;

	/* KERNEL: 2.6.32 mm/vmscan.c wakeup_kswapd() (same in 2.6.18) */
	if (!z->present)
		return;
	if (zs26_zone_watermark_ok(z, order, z->pages_low, 0, 0))
		return;
	if (nm->kswapd_max_order < order)
		nm->kswapd_max_order = order;
	/* only a kswapd sleeping on kswapd_wait is woken; a busy one sees max_order later */
	if (nm->kswapd_wait.count == 0)
		return;
	if (zs_waitqueue_wake_all(&nm->kswapd_wait))
		nm->kswapd_wakeups++;
}
