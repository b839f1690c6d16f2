/*
 * kswapd_26.c - one kswapd thread per node and wakeup_kswapd() (mm/vmscan.c
 * of 2.6.18 / 2.6.32, same logic), with a stand-in for balance_pgdat().
 *
 * The thread follows kswapd()'s loop: read and zero kswapd_max_order; if it
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
 * Invariant: kswapd sleeps only on its node's kswapd_wait.
 */
#include "alloc/policy_26.h"

#include <stdio.h>

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
