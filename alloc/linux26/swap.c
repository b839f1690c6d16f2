/*
 * swap.c - the 2.6 LRU lists (mm/swap.c and include/linux/mm_inline.h of
 * 2.6.18 and 2.6.32): page_lru, adding through the per-CPU pagevecs of 14,
 * lru_add_drain, mark_page_accessed, activate_page, rotate_reclaimable_page,
 * putback_lru_page, and the 2.6.32 reclaim statistics the adds feed.
 *
 * SUBTLE: a page in a pagevec is not on the LRU yet (no PG_lru): reclaim
 * cannot see it and mark_page_accessed only sets PG_referenced, so a page
 * read twice before its pagevec drains is still inactive afterwards.
 */
#include "alloc/linux26/model.h"

#include <stdlib.h>
#include <sysexits.h>

static struct zs26_lruvec *
lruvec_of(struct zs_vm *vm, uint32_t pfn)
{
	return &zs26_zone(zs_pfn_zone(vm->machine, pfn))->lru;
}

int
zs26_lru_init(struct zs_vm *vm, struct zs_error *err)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_reclaim *rc = &k->rc;
	struct zs_machine *m = vm->machine;

	rc->pvec = calloc((size_t)k->nr_cpus * ZS26_NR_LRU, sizeof(*rc->pvec));
	rc->ratelimits = calloc((size_t)k->nr_cpus, sizeof(*rc->ratelimits));
	rc->nr_slots = vm->swap.nr_slots;
	rc->swapcache = malloc((size_t)(rc->nr_slots ? rc->nr_slots : 1) * sizeof(uint32_t));
	if (!rc->pvec || !rc->swapcache || !rc->ratelimits)
		return zs_error_set(err, EX_OSERR, "out of memory");
	for (int i = 0; i < k->nr_cpus * ZS26_NR_LRU; i++)
		zs_list_init(&rc->pvec[i]);
	for (uint64_t s = 0; s < rc->nr_slots; s++)
		rc->swapcache[s] = ZS_NIL;
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs26_lruvec *lv = &zs26_zone(&m->zones[i])->lru;

		for (int l = 0; l < ZS26_NR_LRU; l++)
			zs_list_init(&lv->lru[l]);
		/* KERNEL: 2.6.18 mm/page_alloc.c free_area_init_core(): prev/temp = DEF_PRIORITY */
		lv->prev_priority = lv->temp_priority = ZS26_DEF_PRIORITY;
		lv->inactive_ratio = zs26_inactive_ratio(m->zones[i].present);
	}
	return 0;
}

void
zs26_lru_fini(struct zs_vm *vm)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;

	zs26_io_fini(vm);
	zs26_writeback_fini(vm);
	free(rc->ratelimits);
	rc->ratelimits = NULL;
	free(rc->pvec);
	free(rc->swapcache);
	rc->pvec = NULL;
	rc->swapcache = NULL;
}

int
zs26_page_lru(struct zs_vm *vm, const struct zs_page *p)
{
	int l;

	if (zs26_of(vm)->kver == ZS_KV_2618)
		return (p->flags & ZS_PG_ACTIVE) ? ZS26_LRU_ACTIVE : ZS26_LRU_INACTIVE;
	/* KERNEL: 2.6.32 include/linux/mm_inline.h page_lru() */
	if (p->flags & ZS26_PG_UNEVICTABLE)
		return ZS26_LRU_UNEVICTABLE;
	l = (p->flags & ZS26_PG_SWAPBACKED) ? ZS26_LRU_INACTIVE_ANON : ZS26_LRU_INACTIVE_FILE;
	if (p->flags & ZS_PG_ACTIVE)
		l++;
	return l;
}

int
zs26_page_evictable(struct zs_vm *vm, const struct zs_page *p)
{
	/* KERNEL: 2.6.32 mm/vmscan.c page_evictable(): mlocked pages are not (no ramfs here) */
	if (zs26_of(vm)->kver == ZS_KV_2618)
		return 1;
	return !(p->flags & ZS26_PG_MLOCKED);
}

/* A page onto / off its LRU list, inline for this file's hot callers (a pagevec's
 * drain, a freed page's removal: once a replayed event each); the exported
 * zs26_add_page_to_lru / zs26_del_page_from_lru below are the same. */
static inline __attribute__((always_inline)) void
add_to_lru(struct zs_vm *vm, struct zs26_lruvec *lv, uint32_t pfn, int lru)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	ZS_BUG_ON(p->list != ZS_LST_NONE);
	zs_list_add(vm->machine->pages, &lv->lru[lru], pfn, (uint8_t)(ZS26_LST_LRU + lru));
	p->flags |= ZS_PG_LRU;
}

static inline __attribute__((always_inline)) void
del_from_lru(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];
	int l = p->list - ZS26_LST_LRU;

	ZS_BUG_ON(l < 0 || l >= ZS26_NR_LRU);
	zs_list_del(vm->machine->pages, &lruvec_of(vm, pfn)->lru[l], pfn);
	p->flags &= ~ZS_PG_LRU;
}

void
zs26_add_page_to_lru(struct zs_vm *vm, uint32_t pfn, int lru)
{
	add_to_lru(vm, lruvec_of(vm, pfn), pfn, lru);
}

void
zs26_del_page_from_lru(struct zs_vm *vm, uint32_t pfn)
{
	del_from_lru(vm, pfn);
}

/* KERNEL: 2.6.32 mm/swap.c update_page_reclaim_stat() */
static void
update_page_reclaim_stat(struct zs26_lruvec *lv, int file, int rotated)
{
	lv->recent_scanned[file]++;
	if (rotated)
		lv->recent_rotated[file]++;
}

/* __pagevec_lru_add / __pagevec_lru_add_active (2.6.18), ____pagevec_lru_add (2.6.32). */
static void
pagevec_lru_add(struct zs_vm *vm, struct zs_list *pv, int lru)
{
	struct zs26 *k = zs26_of(vm);
	uint32_t pfn;

	/* in the order they were added: the first one added ends deepest in the list */
	while ((pfn = zs_list_pop_head(vm->machine->pages, pv)) != ZS_NIL) {
		struct zs_page *p = &vm->machine->pages[pfn];
		struct zs26_lruvec *lv = lruvec_of(vm, pfn); /* the page's zone, once */

		if (zs26_is_active_lru(lru))
			p->flags |= ZS_PG_ACTIVE;
		if (k->kver == ZS_KV_2632)
			update_page_reclaim_stat(lv, zs26_is_file_lru(lru), zs26_is_active_lru(lru));
		add_to_lru(vm, lv, pfn, lru);
	}
}

void
zs26_lru_cache_add(struct zs_vm *vm, uint32_t pfn, int lru, unsigned cpu)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_list *pv = &k->rc.pvec[zs_cpu_index(vm->machine, cpu) * ZS26_NR_LRU + lru];

	/* KERNEL: 2.6.18 mm/swap.c lru_cache_add(): pagevec_add, drained when full */
	zs_list_add_tail(vm->machine->pages, pv, pfn, ZS26_LST_PAGEVEC);
	if (pv->count >= ZS26_PAGEVEC_SIZE)
		pagevec_lru_add(vm, pv, lru);
}

void
zs26_lru_add_drain(struct zs_vm *vm, unsigned cpu)
{
	struct zs26 *k = zs26_of(vm);

	/* KERNEL: 2.6.32 mm/swap.c ____lru_add_drain(): every list's pagevec, in lru order */
	for (int l = 0; l < ZS26_NR_LRU; l++) {
		struct zs_list *pv = &k->rc.pvec[zs_cpu_index(vm->machine, cpu) * ZS26_NR_LRU + l];

		if (pv->count)
			pagevec_lru_add(vm, pv, l);
	}
}

void
zs26_activate_page(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_page *p = &vm->machine->pages[pfn];

	/* KERNEL: 2.6.18 mm/swap.c activate_page(); 2.6.32 adds the unevictable test + stat */
	if (!(p->flags & ZS_PG_LRU) || (p->flags & ZS_PG_ACTIVE))
		return;
	if (p->flags & ZS26_PG_UNEVICTABLE)
		return;
	zs26_del_page_from_lru(vm, pfn);
	p->flags |= ZS_PG_ACTIVE;
	zs26_add_page_to_lru(vm, pfn, zs26_page_lru(vm, p));
	k->rc.pgactivate++;
	if (k->kver == ZS_KV_2632)
		update_page_reclaim_stat(lruvec_of(vm, pfn), !(p->flags & ZS26_PG_SWAPBACKED), 1);
}

void
zs26_mark_page_accessed(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	/* KERNEL: 2.6.18 mm/swap.c mark_page_accessed() (2.6.32: not for unevictable pages) */
	if (!(p->flags & ZS_PG_ACTIVE) && !(p->flags & ZS26_PG_UNEVICTABLE) &&
	    (p->flags & ZS_PG_REFERENCED) && (p->flags & ZS_PG_LRU)) {
		zs26_activate_page(vm, pfn);
		p->flags &= ~ZS_PG_REFERENCED;
	} else if (!(p->flags & ZS_PG_REFERENCED)) {
		p->flags |= ZS_PG_REFERENCED;
	}
}

int
zs26_rotate_reclaimable_page(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_page *p = &vm->machine->pages[pfn];
	int l;

	/*
	 * KERNEL: 2.6.18 mm/swap.c rotate_reclaimable_page()
	 * DEVIATION: 2.6.32 batches the rotation in a per-CPU lru_rotate_pvec;
	 * here the page moves to the tail at once.
	 */
	if (p->flags & (ZS_PG_LOCKED | ZS_PG_DIRTY | ZS_PG_ACTIVE | ZS26_PG_UNEVICTABLE))
		return 1;
	if (!(p->flags & ZS_PG_LRU))
		return 1;
	l = p->list - ZS26_LST_LRU;
	zs_list_del(vm->machine->pages, &lruvec_of(vm, pfn)->lru[l], pfn);
	zs_list_add_tail(vm->machine->pages, &lruvec_of(vm, pfn)->lru[l], pfn,
			 (uint8_t)(ZS26_LST_LRU + l));
	k->rc.pgrotated++;
	return 0;
}

void
zs26_lru_forget(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_page *p = &vm->machine->pages[pfn];

	if (p->list >= ZS26_LST_LRU && p->list < ZS26_LST_LRU + ZS26_NR_LRU) {
		del_from_lru(vm, pfn);
	} else if (p->list == ZS26_LST_ISOLATED) {
		zs26_isolated_forget(vm, pfn); /* a sleeping direct reclaimer held it */
	} else if (p->list == ZS26_LST_PAGEVEC) {
		/*
		 * DEVIATION: the kernel's pagevec holds a reference and the page is
		 * freed when the pagevec drains; here it leaves the pagevec at once.
		 */
		struct zs_page *pages = vm->machine->pages;
		uint32_t head = pfn;

		/* a pagevec holds fewer than ZS26_PAGEVEC_SIZE pages: walk back to the
		 * head of this one, then pick the pagevec that starts there */
		while (pages[head].prev != ZS_NIL)
			head = pages[head].prev;
		for (int i = 0; i < k->nr_cpus * ZS26_NR_LRU; i++) {
			if (k->rc.pvec[i].head == head) {
				zs_list_del(pages, &k->rc.pvec[i], pfn);
				break;
			}
		}
	}
	ZS_BUG_ON(p->list != ZS_LST_NONE);
}

void
zs26_putback_lru_page(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_page *p = &vm->machine->pages[pfn];

	if (k->kver == ZS_KV_2618) {
		zs26_add_page_to_lru(vm, pfn, zs26_page_lru(vm, p));
		return;
	}
	/* KERNEL: 2.6.32 mm/vmscan.c putback_lru_page() */
	p->flags &= ~ZS26_PG_UNEVICTABLE;
	if (zs26_page_evictable(vm, p)) {
		int active = (p->flags & ZS_PG_ACTIVE) != 0;

		p->flags &= ~ZS_PG_ACTIVE; /* the pagevec sets it again */
		zs26_lru_cache_add(vm, pfn, zs26_page_lru(vm, p) + active, k->rc.cur_cpu);
		return;
	}
	/* add_page_to_unevictable_list() */
	p->flags &= ~ZS_PG_ACTIVE;
	p->flags |= ZS26_PG_UNEVICTABLE;
	zs26_add_page_to_lru(vm, pfn, ZS26_LRU_UNEVICTABLE);
}

/* ---- invariants ---- */

int
zs26_lru_check(struct zs_vm *vm, struct zs_error *err)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;
	int nlru = k->kver == ZS_KV_2618 ? 2 : ZS26_NR_LRU;
	uint64_t dirty = 0, wb_file = 0; /* the zones tile the pfn space: every page */

	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		struct zs26_lruvec *lv = &zs26_zone(z)->lru;
		uint64_t on_lru = 0, flagged = 0;

		/* 2.6.18's unused lists are empty: zs26_lru_check_counters, run first, saw to it */
		for (int l = 0; l < nlru; l++) {
			uint32_t walked = 0;

			for (uint32_t pfn = lv->lru[l].head; pfn != ZS_NIL; pfn = m->pages[pfn].next) {
				const struct zs_page *p = &m->pages[pfn];

				if (p->list != ZS26_LST_LRU + l || !(p->flags & ZS_PG_LRU) ||
				    pfn < z->start_pfn || pfn >= z->start_pfn + z->spanned)
					return zs_error_set(err, EX_SOFTWARE,
							    "%s: page %u on lru %d badly marked",
							    z->name, pfn, l);
				if (zs26_page_lru(vm, p) != l)
					return zs_error_set(err, EX_SOFTWARE,
							    "%s: page %u on lru %d belongs on %d",
							    z->name, pfn, l, zs26_page_lru(vm, p));
				if (++walked > z->spanned)
					return zs_error_set(err, EX_SOFTWARE, "%s: lru %d loops",
							    z->name, l);
			}
			if (walked != lv->lru[l].count)
				return zs_error_set(err, EX_SOFTWARE, "%s: lru %d count %u, walked %u",
						    z->name, l, lv->lru[l].count, walked);
			on_lru += walked;
		}
		uint64_t isolated = 0;

		for (uint32_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned;
		     pfn = zs_walk_next(m->pages, pfn, vm->check_skip_free)) {
			const struct zs_page *p = &m->pages[pfn];

			if (p->flags & ZS_PG_LRU)
				flagged++;
			dirty += (p->flags & ZS_PG_DIRTY) && zs26_page_is_file(p);
			wb_file += (p->flags & ZS_PG_WRITEBACK) && zs26_page_is_file(p);
			isolated += p->list == ZS26_LST_ISOLATED;
			if (p->flags & ZS_PG_SWAPCACHE) {
				if (p->aux >= k->rc.nr_slots || k->rc.swapcache[p->aux] != pfn)
					return zs_error_set(err, EX_SOFTWARE,
							    "page %u: swap cache slot %u does not map back",
							    pfn, p->aux);
			}
		}
		/* isolated between events only by direct reclaimers asleep (vmscan_isolated.c) */
		if (zs26_isolated_check(vm, z, isolated, err))
			return -1;
		if (flagged != on_lru)
			return zs_error_set(err, EX_SOFTWARE, "%s: %llu pages flagged LRU, %llu listed",
					    z->name, (unsigned long long)flagged,
					    (unsigned long long)on_lru);
	}
	/* every slot on full passes; between them the pages' side above (each swap-cache
	 * page's slot maps back to it) is what is checked */
	for (uint64_t s = 0; !vm->check_skip_free && s < k->rc.nr_slots; s++) {
		uint32_t pfn = k->rc.swapcache[s];

		if (pfn != ZS_NIL && (!(m->pages[pfn].flags & ZS_PG_SWAPCACHE) || m->pages[pfn].aux != s))
			return zs_error_set(err, EX_SOFTWARE, "swap cache slot %llu -> page %u stale",
					    (unsigned long long)s, pfn);
	}
	if (dirty != k->rc.nr_file_dirty)
		return zs_error_set(err, EX_SOFTWARE, "NR_FILE_DIRTY %llu, %llu dirty cache pages",
				    (unsigned long long)k->rc.nr_file_dirty,
				    (unsigned long long)dirty);
	/* BDI_WRITEBACK, what 2.6.32's balance_dirty_pages compares with the bdi threshold */
	if (wb_file != k->rc.nr_writeback_file)
		return zs_error_set(err, EX_SOFTWARE, "BDI_WRITEBACK %llu, %llu cache pages under writeback",
				    (unsigned long long)k->rc.nr_writeback_file,
				    (unsigned long long)wb_file);
	return 0; /* the pagevecs' sizes and ends: zs26_lru_check_counters */
}

int
zs26_lru_check_counters(struct zs_vm *vm, struct zs_error *err)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;
	int nlru = k->kver == ZS_KV_2618 ? 2 : ZS26_NR_LRU;

	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		struct zs26_lruvec *lv = &zs26_zone(z)->lru;

		for (int l = 0; l < ZS26_NR_LRU; l++) {
			const struct zs_list *ls = &lv->lru[l];

			if (l >= nlru && ls->count)
				return zs_error_set(err, EX_SOFTWARE, "%s: 2.6.18 list %d used",
						    z->name, l);
			if (!zs_list_ends_ok(m->pages, m->nr_pages, ls, (uint8_t)(ZS26_LST_LRU + l)) ||
			    (ls->count && !(m->pages[ls->head].flags & ZS_PG_LRU)))
				return zs_error_set(err, EX_SOFTWARE, "%s: lru %d of %u pages has bad ends",
						    z->name, l, ls->count);
		}
		if (zs26_isolated_counters_check(vm, z, err))
			return -1;
	}
	for (int i = 0; i < k->nr_cpus * ZS26_NR_LRU; i++)
		if (k->rc.pvec[i].count >= ZS26_PAGEVEC_SIZE ||
		    !zs_list_ends_ok(m->pages, m->nr_pages, &k->rc.pvec[i], ZS26_LST_PAGEVEC))
			return zs_error_set(err, EX_SOFTWARE, "a pagevec of %u pages is broken",
					    k->rc.pvec[i].count);
	return 0;
}
