/*
 * vmscan_kswapd.c - kswapd: one thread per node, kswapd()'s loop,
 * wakeup_kswapd(), and balance_pgdat() of 2.6.18 and 2.6.32 (mm/vmscan.c).
 *
 * The thread is a state machine; one step is one priority pass of
 * balance_pgdat over the node's zones, charged the CPU its scanning cost,
 * after which the thread yields or, below priority 10, naps with
 * congestion_wait(HZ/10).  balance_pgdat does not return until every zone
 * 0..end_zone meets its high watermark (zones marked all_unreclaimable are
 * looked at only at priority 12): the `loop_again` restart.
 *
 * Version differences (audit-26 rows 2-5): 2.6.18 shrinks every zone
 * 0..end_zone, marks a zone all_unreclaimable at pages_scanned >= 4 x
 * (active + inactive) and keeps balancing at the requested order; 2.6.32 ages
 * the anon lists while looking for end_zone, skips zones above 8 x high, uses
 * 6 x zone_reclaimable_pages, and falls back to order 0 when a whole pass
 * reclaimed fewer than 32 pages.  kswapd's own `order` is a local of kswapd()
 * (nm->kswapd_order), distinct from pgdat->kswapd_max_order.
 *
 * Invariant: kswapd sleeps only on its node's kswapd_wait or in a nap.
 */
#include "alloc/linux26/model.h"

#include <stdio.h>

enum { KSWAPD_TOP = 0, KSWAPD_WOKEN, KSWAPD_LOOP_AGAIN, KSWAPD_PRIO, KSWAPD_OUT };

int
zs26_zone_unreclaimable(struct zs_vm *vm, struct zs_zone *z)
{
	/* KERNEL: 2.6.18 balance_pgdat(): 4 x (active + inactive); 2.6.32: 6 x reclaimable */
	uint64_t factor = zs26_of(vm)->kver == ZS_KV_2632 ? 6 : 4;

	return zs26_zone(z)->lru.pages_scanned >= factor * zs26_zone_reclaimable_pages(vm, z);
}

/* One priority pass of balance_pgdat's loop; returns the next state, *nap = take a nap. */
static int
balance_pass(struct zs_vm *vm, struct zs26_node *nm, int *nap)
{
	struct zs26 *k = zs26_of(vm);
	const int v32 = k->kver == ZS_KV_2632;
	struct zs_node *node = &vm->machine->nodes[nm->id];
	const unsigned order = nm->kswapd_order;
	const int priority = nm->bal_priority;
	struct zs26_sc sc = {0};
	int end_zone = -1, all_zones_ok = 1;

	sc.gfp_mask = GFP26_KERNEL;
	sc.may_swap = sc.may_unmap = 1;
	sc.may_writepage = nm->bal_may_writepage;
	sc.swappiness = k->rc.swappiness;
	sc.order = v32 ? order : 0;
	sc.kswapd = 1;
	sc.cpu = (unsigned)nm->kswapd->cpu;
	sc.nr_reclaimed = nm->bal_nr_reclaimed;
	k->rc.cur_cpu = sc.cpu;
	*nap = 0;

	/* KERNEL: 2.6.18 mm/vmscan.c balance_pgdat(): the highest zone needing work */
	for (int i = ZS_NR_ZONE_TYPES - 1; i >= 0; i--) {
		struct zs_zone *z = node->zone[i];

		if (!z || !z->present)
			continue;
		if (zs26_zone(z)->lru.all_unreclaimable && priority != ZS26_DEF_PRIORITY)
			continue;
		/* KERNEL: 2.6.32 balance_pgdat(): background aging of the anon list */
		if (v32 && zs26_inactive_anon_is_low(z))
			zs26_shrink_active_list_2632(vm, z, ZS26_SWAP_CLUSTER_MAX, &sc, priority, 0);
		if (!zs26_zone_watermark_ok(z, order, z->pages_high, 0, 0)) {
			end_zone = i;
			break;
		}
	}
	if (end_zone < 0) {
		zs26_charge_scan(vm, nm->kswapd, sc.work, 1);
		nm->bal_all_zones_ok = 1;
		return KSWAPD_OUT;
	}
	/* dma -> highmem, so the allocator does not allocate behind kswapd's progress */
	for (int i = 0; i <= end_zone; i++) {
		struct zs_zone *z = node->zone[i];
		struct zs26_lruvec *lv;

		if (!z || !z->present)
			continue;
		lv = &zs26_zone(z)->lru;
		if (lv->all_unreclaimable && priority != ZS26_DEF_PRIORITY)
			continue;
		if (!zs26_zone_watermark_ok(z, order, z->pages_high, end_zone, 0))
			all_zones_ok = 0;
		nm->temp_priority[i] = priority;
		if (lv->prev_priority > priority)
			lv->prev_priority = priority;
		sc.nr_scanned = 0;
		/* KERNEL: 2.6.32 balance_pgdat(): equal pressure unless far above high (8x) */
		if (!v32 || !zs26_zone_watermark_ok(z, order, 8 * z->pages_high, end_zone, 0))
			zs26_shrink_zone(vm, z, priority, &sc);
		nm->bal_total_scanned += sc.nr_scanned;
		if (lv->all_unreclaimable)
			continue;
		/* nothing comes back from slab here (nr_slab == 0) */
		if (zs26_zone_unreclaimable(vm, z))
			lv->all_unreclaimable = 1;
		/* a decent amount of scanning at a poor reclaim ratio: write pages out */
		if (nm->bal_total_scanned > 2 * ZS26_SWAP_CLUSTER_MAX &&
		    nm->bal_total_scanned > sc.nr_reclaimed + sc.nr_reclaimed / 2)
			sc.may_writepage = 1;
	}
	zs26_charge_scan(vm, nm->kswapd, sc.work, 1);
	nm->bal_nr_reclaimed = sc.nr_reclaimed;
	nm->bal_may_writepage = sc.may_writepage;
	nm->bal_all_zones_ok = all_zones_ok;
	if (all_zones_ok)
		return KSWAPD_OUT;
	/* kswapd is getting into trouble: nap, then another pass */
	*nap = (nm->bal_total_scanned && priority < ZS26_DEF_PRIORITY - 2) || sc.throttle;
	if (sc.nr_reclaimed >= ZS26_SWAP_CLUSTER_MAX || priority == 0)
		return KSWAPD_OUT;
	nm->bal_priority = priority - 1;
	return KSWAPD_PRIO;
}

/* balance_pgdat's `out:` label; returns the next state. */
static int
balance_out(struct zs_vm *vm, struct zs26_node *nm)
{
	struct zs_node *node = &vm->machine->nodes[nm->id];

	for (int i = 0; i < ZS_NR_ZONE_TYPES; i++)
		if (node->zone[i])
			zs26_zone(node->zone[i])->lru.prev_priority = nm->temp_priority[i];
	if (nm->bal_all_zones_ok)
		return KSWAPD_TOP;
	/* KERNEL: 2.6.32 balance_pgdat(): a fruitless high-order pass falls back to order 0 */
	if (zs26_of(vm)->kver == ZS_KV_2632 && nm->bal_nr_reclaimed < ZS26_SWAP_CLUSTER_MAX)
		nm->kswapd_order = 0;
	return KSWAPD_LOOP_AGAIN;
}

static void
kswapd_run(struct zs_thread *t)
{
	struct zs26_node *nm = t->priv;
	struct zs_vm *vm = nm->vm;

	for (;;) {
		switch (nm->kswapd_state) {
		case KSWAPD_TOP: {
			/* KERNEL: 2.6.18 mm/vmscan.c kswapd() (2.6.32 the same) */
			unsigned new_order = nm->kswapd_max_order;

			nm->kswapd_max_order = 0;
			if (nm->kswapd_order < new_order) {
				nm->kswapd_order = new_order;
				nm->kswapd_state = KSWAPD_LOOP_AGAIN;
				continue;
			}
			nm->kswapd_state = KSWAPD_WOKEN;
			zs_thread_wait(t, &nm->kswapd_wait, ZS_FOREVER);
			return;
		}
		case KSWAPD_WOKEN:
			nm->kswapd_order = nm->kswapd_max_order;
			nm->kswapd_state = KSWAPD_LOOP_AGAIN;
			continue;
		case KSWAPD_LOOP_AGAIN:
			/* KERNEL: 2.6.18 balance_pgdat() loop_again: */
			nm->bal_total_scanned = 0;
			nm->bal_nr_reclaimed = 0;
			nm->bal_may_writepage = 1;
			nm->pageoutrun++;
			for (int i = 0; i < ZS_NR_ZONE_TYPES; i++)
				nm->temp_priority[i] = ZS26_DEF_PRIORITY;
			nm->bal_priority = ZS26_DEF_PRIORITY;
			nm->kswapd_state = KSWAPD_PRIO;
			continue;
		case KSWAPD_PRIO: {
			int nap;

			nm->kswapd_state = balance_pass(vm, nm, &nap);
			if (nap) {
				zs_thread_sleep(t, zs26_congestion_wait_ns(vm, zs26_hz10(vm)));
				return;
			}
			if (nm->kswapd_state == KSWAPD_PRIO) {
				zs_thread_yield(t);
				return;
			}
			continue;
		}
		case KSWAPD_OUT:
			nm->kswapd_state = balance_out(vm, nm);
			if (nm->kswapd_state == KSWAPD_LOOP_AGAIN) {
				/* cond_resched(): the next pass is a new step */
				zs_thread_yield(t);
				return;
			}
			continue;
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
