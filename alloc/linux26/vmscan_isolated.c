/*
 * vmscan_isolated.c - direct reclaimers of 2.6.32 asleep inside
 * shrink_inactive_list() with a batch still isolated: in too_many_isolated()'s
 * congestion_wait loop, in the HZ/10 nap before lumpy reclaim's synchronous
 * second pass, or in that pass's wait_on_page_writeback().  Each sleeper's
 * locals are a struct zs26_rframe (vmscan.h) on zs26_reclaim.rframes; the
 * allocation path calls try_to_free_pages again when the thread wakes and
 * the chain resumes where it slept.
 *
 * While a reclaimer sleeps its pages are off the LRU (tag ZS26_LST_ISOLATED,
 * no PG_lru) and counted in the zone's nr_isolated[]: other reclaimers and
 * kswapd cannot see them, and too_many_isolated() of other direct
 * reclaimers compares that count with the inactive list.
 *
 * DEVIATION: when the owner frees a page that a sleeping reclaimer holds
 * isolated, the kernel's page keeps reclaim's reference and is freed when
 * reclaim puts it back; here it leaves the reclaimer's list and is freed at
 * once (as a page in an add pagevec is, swap.c).  NR_ISOLATED keeps counting
 * it until the batch is put back, as the kernel's does.
 *
 * Invariant: every isolated page of a zone between events is on a sleeping
 * frame's batch or ret list (zs26_isolated_check, on the checker's full
 * passes), and the zone's nr_isolated[] is the sum of those frames' nr_iso[]
 * (zs26_isolated_counters_check, after every event; the full pass runs it
 * first, through zs26_lru_check_counters).
 */
#include "alloc/linux26/model.h"

#include <inttypes.h>
#include <stdlib.h>
#include <sysexits.h>

struct zs26_rframe *
zs26_rframe_find(struct zs_vm *vm, const struct zs_alloc_req *req)
{
	for (struct zs26_rframe *rf = zs26_of(vm)->rc.rframes; rf; rf = rf->next)
		if (rf->req == req)
			return rf;
	return NULL;
}

struct zs26_rframe *
zs26_rframe_get(struct zs_vm *vm, struct zs26_sc *sc)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs26_rframe *rf = sc->rf;

	if (rf)
		return rf;
	rf = calloc(1, sizeof(*rf));
	ZS_BUG_ON(!rf);
	rf->req = sc->req;
	rf->batch = rf->ret = (struct zs_list)ZS_LIST_INIT;
	rf->wait_pfn = ZS_NIL;
	rf->next = rc->rframes;
	rc->rframes = rf;
	sc->rf = rf;
	return rf;
}

void
zs26_rframe_put(struct zs_vm *vm, struct zs26_rframe *rf)
{
	struct zs26_rframe **pp = &zs26_of(vm)->rc.rframes;

	ZS_BUG_ON(rf->batch.count || rf->ret.count);
	while (*pp != rf)
		pp = &(*pp)->next;
	*pp = rf->next;
	free(rf);
}

void
zs26_rframe_fini(struct zs_vm *vm)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;

	/* the run ended with reclaimers asleep: their pages go with the machine */
	while (rc->rframes) {
		struct zs26_rframe *rf = rc->rframes;

		rc->rframes = rf->next;
		free(rf);
	}
}

void
zs26_isolated_forget(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *pages = vm->machine->pages;
	uint32_t head = pfn;

	/* the list's head names the list: walk back to it */
	while (pages[head].prev != ZS_NIL)
		head = pages[head].prev;
	for (struct zs26_rframe *rf = zs26_of(vm)->rc.rframes; rf; rf = rf->next) {
		struct zs_list *l = rf->batch.head == head ? &rf->batch
				    : rf->ret.head == head ? &rf->ret
							   : NULL;

		if (l) {
			zs_list_del(pages, l, pfn);
			return;
		}
	}
	/* an isolated page outside every frame: reclaim is running right now */
	ZS_BUG_ON(1);
}

void
zs26_rframe_writeback_done(struct zs_vm *vm, uint32_t pfn)
{
	for (struct zs26_rframe *rf = zs26_of(vm)->rc.rframes; rf; rf = rf->next) {
		if (rf->where == ZS26_RF_SYNC && rf->wait_pfn == pfn && rf->req->thread) {
			/* KERNEL: 2.6.32 mm/filemap.c end_page_writeback(): wake_up_page(PG_writeback) */
			zs_thread_wake(rf->req->thread);
			return;
		}
	}
}

int
zs26_isolated_check(struct zs_vm *vm, struct zs_zone *z, uint64_t isolated,
		    struct zs_error *err)
{
	const struct zs_page *pages = vm->machine->pages;
	uint64_t held = 0;

	for (struct zs26_rframe *rf = zs26_of(vm)->rc.rframes; rf; rf = rf->next) {
		const struct zs_list *ls[2] = {&rf->batch, &rf->ret};

		if (rf->zone != z)
			continue;
		for (int i = 0; i < 2; i++) {
			uint32_t n = 0;

			for (uint32_t q = ls[i]->head; q != ZS_NIL; q = pages[q].next, n++)
				if (pages[q].list != ZS26_LST_ISOLATED || q < z->start_pfn ||
				    q >= z->start_pfn + z->spanned || n > z->spanned)
					return zs_error_set(err, EX_SOFTWARE,
							    "%s: page %u on a sleeping reclaimer's "
							    "list is not isolated in this zone",
							    z->name, q);
			if (n != ls[i]->count)
				return zs_error_set(err, EX_SOFTWARE,
						    "%s: sleeping reclaimer's list count %u, walked %u",
						    z->name, ls[i]->count, n);
			held += n;
		}
	}
	if (held != isolated)
		return zs_error_set(err, EX_SOFTWARE,
				    "%s: %" PRIu64 " pages isolated, %" PRIu64
				    " held by sleeping reclaimers",
				    z->name, isolated, held);
	return 0;
}

int
zs26_isolated_counters_check(struct zs_vm *vm, struct zs_zone *z, struct zs_error *err)
{
	struct zs26_lruvec *lv = &zs26_zone(z)->lru;
	uint64_t iso[2] = {0, 0};

	for (struct zs26_rframe *rf = zs26_of(vm)->rc.rframes; rf; rf = rf->next) {
		if (rf->zone != z)
			continue;
		iso[0] += rf->nr_iso[0];
		iso[1] += rf->nr_iso[1];
	}
	if (lv->nr_isolated[0] != iso[0] || lv->nr_isolated[1] != iso[1])
		return zs_error_set(err, EX_SOFTWARE,
				    "%s: nr_isolated anon %" PRIu64 " file %" PRIu64
				    ", sleeping reclaimers hold %" PRIu64 " + %" PRIu64,
				    z->name, lv->nr_isolated[0], lv->nr_isolated[1], iso[0], iso[1]);
	return 0;
}

void
zs26_isolated_summary(struct zs_vm *vm, FILE *f)
{
	const struct zs26_reclaim *rc = &zs26_of(vm)->rc;

	fprintf(f,
		"too_many_isolated_waits: %" PRIu64 "\nlumpy_sync_passes: %" PRIu64
		"\nlumpy_sync_reclaimed: %" PRIu64 "\nlumpy_writeback_waits: %" PRIu64 "\n",
		rc->too_many_isolated_waits, rc->lumpy_sync_passes, rc->lumpy_sync_reclaimed,
		rc->lumpy_writeback_waits);
}
