/*
 * test_26_reclaim_lists.c - the 2.6 LRU lists page by page: pagevec
 * batching, mark_page_accessed, the list order after shrink_active_list and
 * shrink_inactive_list passes, PG_reclaim rotation, and one test per
 * shrink_page_list outcome, on both versions where they agree.
 */
#include "tests/test_26_reclaim_util.h"

Test(zs26_lists, pagevec_of_14_delays_the_lru)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		int l = v ? ZS26_LRU_INACTIVE_FILE : ZS26_LRU_INACTIVE;
		uint32_t pfn[14], got[14];

		for (int i = 0; i < 13; i++)
			pfn[i] = r_page(&t, ZS_KIND_FILE_CLEAN, NULL, 1 + (uint64_t)i);
		cr_assert_eq(r_lv(&t)->lru[l].count, 0, "13 pages wait in the pagevec");
		cr_assert_eq(t.m->pages[pfn[0]].list, ZS26_LST_PAGEVEC);
		cr_assert_not(t.m->pages[pfn[0]].flags & ZS_PG_LRU);
		pfn[13] = r_page(&t, ZS_KIND_FILE_CLEAN, NULL, 14);
		cr_assert_eq(r_list(&t, l, got, 14), 14, "the 14th add drains the pagevec");
		/* added in order, each at the head: the first one is the oldest, at the tail */
		for (int i = 0; i < 14; i++)
			cr_assert_eq(got[i], pfn[13 - i]);
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_lists, anon_enters_active_file_enters_inactive)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 100, NULL);
		struct zs_task *tk = zs_vm_task_new(t.vm, "a", 0);
		uint32_t a, f;

		a = r_page(&t, ZS_KIND_ANON, tk, 1);
		f = r_page(&t, ZS_KIND_FILE_CLEAN, NULL, 2);
		zs26_lru_add_drain(t.vm, 0);
		cr_assert_eq(t.m->pages[a].list,
			     ZS26_LST_LRU + (v ? ZS26_LRU_ACTIVE_ANON : ZS26_LRU_ACTIVE));
		cr_assert(t.m->pages[a].flags & ZS_PG_ACTIVE);
		cr_assert(t.m->pages[a].flags & ZS_PG_MAPPED);
		cr_assert_eq(t.m->pages[f].list,
			     ZS26_LST_LRU + (v ? ZS26_LRU_INACTIVE_FILE : ZS26_LRU_INACTIVE));
		cr_assert_eq(!!(t.m->pages[a].flags & ZS26_PG_SWAPBACKED), v,
			     "PG_swapbacked is 2.6.32's");
		cr_assert_eq(zs26_of(t.vm)->rc.nr_anon_pages, 1);
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_lists, mark_page_accessed_twice_activates)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		uint32_t f = r_page(&t, ZS_KIND_FILE_CLEAN, NULL, 1);
		struct zs_page *p = &t.m->pages[f];

		/* the read that brought it in set PG_referenced */
		cr_assert(p->flags & ZS_PG_REFERENCED);
		/* still in the pagevec: a second access cannot activate it */
		t.vm->ops->touch(t.vm, f);
		cr_assert_not(p->flags & ZS_PG_ACTIVE);
		zs26_lru_add_drain(t.vm, 0);
		cr_assert_eq(zs26_of(t.vm)->rc.pgactivate, 0);
		/* on the LRU, referenced: the next access moves it to the active list */
		t.vm->ops->touch(t.vm, f);
		cr_assert(p->flags & ZS_PG_ACTIVE);
		cr_assert_not(p->flags & ZS_PG_REFERENCED);
		cr_assert_eq(p->list,
			     ZS26_LST_LRU + (v ? ZS26_LRU_ACTIVE_FILE : ZS26_LRU_ACTIVE));
		cr_assert_eq(zs26_of(t.vm)->rc.pgactivate, 1);
		/* active: an access only sets PG_referenced again */
		t.vm->ops->touch(t.vm, f);
		cr_assert(p->flags & ZS_PG_REFERENCED);
		if (v)
			cr_assert_eq(r_lv(&t)->recent_rotated[1], 1, "activate_page counts rotated");
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_lists, shrink_active_list_2618_order)
{
	/* active list (tail first) p0 mapped, p1 unmapped, p2 mapped, p3 unmapped; no
	 * reclaim_mapped (swap_tendency 60): mapped pages stay, the rest go to the
	 * inactive head, both keeping their order */
	struct t26 t = r_boot(&zs_policy_2618, 0, NULL);
	struct zs26_sc sc = r_sc(&t);
	uint32_t p[4], got[4];

	r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 4, 1, p);
	for (int i = 0; i < 4; i++) {
		zs26_activate_page(t.vm, p[i]); /* p0 first: it ends at the active tail */
		if (!(i & 1))
			zs26_map_file_page(t.vm, p[i], 0);
	}
	cr_assert_eq(r_lv(&t)->lru[ZS26_LRU_ACTIVE].tail, p[0]);
	zs26_shrink_active_list_2618(t.vm, r_zone(&t), 4, &sc);
	cr_assert_eq(r_list(&t, ZS26_LRU_ACTIVE, got, 4), 2);
	cr_assert_eq(got[0], p[2]);
	cr_assert_eq(got[1], p[0]);
	cr_assert_eq(r_list(&t, ZS26_LRU_INACTIVE, got, 4), 2);
	cr_assert_eq(got[0], p[3]);
	cr_assert_eq(got[1], p[1]);
	cr_assert_eq(r_lv(&t)->pgrefill, 4);
	cr_assert_eq(zs26_of(t.vm)->rc.pgdeactivate, 2);
	/* with reclaim_mapped (swappiness 100) only the young mapped page stays */
	sc.swappiness = 100;
	t.m->pages[p[2]].flags &= ~(ZS_PG_YOUNG | ZS_PG_REFERENCED);
	zs26_shrink_active_list_2618(t.vm, r_zone(&t), 4, &sc);
	cr_assert_eq(r_list(&t, ZS26_LRU_ACTIVE, got, 4), 1);
	cr_assert_eq(got[0], p[0], "p0's young bit keeps it (page_referenced clears it)");
	cr_assert_not(t.m->pages[p[0]].flags & ZS_PG_YOUNG);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_lists, shrink_active_list_2632_keeps_exec_file_pages)
{
	struct t26 t = r_boot(&zs_policy_2632, 0, NULL);
	struct zs26_sc sc = r_sc(&t);
	uint32_t p[3], got[3];

	r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 3, 1, p);
	for (int i = 0; i < 3; i++)
		zs26_activate_page(t.vm, p[i]);
	zs26_map_file_page(t.vm, p[0], 1); /* referenced (young), VM_EXEC: stays active */
	zs26_map_file_page(t.vm, p[1], 0); /* referenced, not exec: deactivated, rotated */
	uint64_t rot = r_lv(&t)->recent_rotated[1];

	zs26_shrink_active_list_2632(t.vm, r_zone(&t), 3, &sc, 12, 1);
	cr_assert_eq(r_list(&t, ZS26_LRU_ACTIVE_FILE, got, 3), 1);
	cr_assert_eq(got[0], p[0]);
	cr_assert_eq(r_list(&t, ZS26_LRU_INACTIVE_FILE, got, 3), 2);
	cr_assert_eq(got[0], p[2]);
	cr_assert_eq(got[1], p[1]);
	cr_assert_eq(r_lv(&t)->recent_rotated[1], rot + 2, "both referenced pages count");
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_lists, shrink_inactive_list_keeps_survivor_order)
{
	/* five read-once pages, the 2nd and 4th mapped and young: those are activated (in
	 * order), the others freed */
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		struct zs26_sc sc = r_sc(&t);
		uint32_t p[5], got[5];
		int act = v ? ZS26_LRU_ACTIVE_FILE : ZS26_LRU_ACTIVE;

		r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 5, 1, p);
		zs26_map_file_page(t.vm, p[1], 0);
		zs26_map_file_page(t.vm, p[3], 0);
		uint64_t freed = zs26_shrink_inactive_list(t.vm, r_zone(&t), 32, &sc, 12, 1);

		cr_assert_eq(freed, 3);
		cr_assert_eq(r_list(&t, act, got, 5), 2);
		cr_assert_eq(got[0], p[3]);
		cr_assert_eq(got[1], p[1]);
		cr_assert_eq(r_lv(&t)->pgscan_direct, 5);
		if (v) {
			cr_assert_eq(r_lv(&t)->pgsteal, 3);
			cr_assert_eq(zs26_of(t.vm)->rc.pgactivate, 2);
		} else {
			/* 2.6.18 counts the freed pages into pgactivate, not pgsteal */
			cr_assert_eq(r_lv(&t)->pgsteal, 0);
			cr_assert_eq(zs26_of(t.vm)->rc.pgactivate, 2 + 3);
		}
		t26_check(&t);
		t26_free(&t);
	}
}

/* ---- shrink_page_list, one outcome per test ---- */

struct one {
	struct t26 t;
	struct zs_task *tk;
	struct zs_list l;
	uint32_t pfn;
	struct zs26_sc sc;
};

/* One page of kind on version v (swap slots `swap`), isolated for shrink_page_list. */
static void
one_page(struct one *o, int v, uint64_t swap, enum zs_page_kind kind)
{
	o->t = r_boot(R_BOTH[v], swap, NULL);
	o->tk = zs_vm_task_new(o->t.vm, "a", 0);
	o->l = ZS_LIST_INIT;
	o->pfn = r_page(&o->t, kind, kind == ZS_KIND_ANON ? o->tk : NULL, 1);
	zs26_lru_add_drain(o->t.vm, 0);
	o->sc = r_sc(&o->t);
	/* as the scans would leave it: PG_referenced and the young bit used up */
	o->t.m->pages[o->pfn].flags &= ~(ZS_PG_REFERENCED | ZS_PG_YOUNG);
	r_isolate(&o->t, o->pfn, &o->l);
}

static uint64_t
run_one(struct one *o)
{
	return zs26_shrink_page_list(o->t.vm, &o->l, &o->sc);
}

static void
done_one(struct one *o)
{
	r_putback(&o->t, &o->l);
	t26_check(&o->t);
	t26_free(&o->t);
}

static int
kept(struct one *o)
{
	return o->l.count == 1 && o->l.head == o->pfn;
}

Test(zs26_outcomes, clean_cache_page_is_freed)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 0, ZS_KIND_FILE_CLEAN);
		uint32_t b = o.t.m->pages[o.pfn].owner;

		cr_assert_eq(run_one(&o), 1);
		cr_assert_eq(o.l.count, 0);
		cr_assert_eq(zs_pagemap_at(o.t.vm->pagemap, b)->state, ZS_BIND_EVICTED);
		done_one(&o);
	}
}

Test(zs26_outcomes, writeback_is_kept)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 0, ZS_KIND_FILE_CLEAN);
		o.t.m->pages[o.pfn].flags |= ZS_PG_WRITEBACK;
		cr_assert_eq(run_one(&o), 0);
		cr_assert(kept(&o));
		cr_assert_not(o.t.m->pages[o.pfn].flags & ZS_PG_ACTIVE);
		o.t.m->pages[o.pfn].flags &= ~ZS_PG_WRITEBACK;
		done_one(&o);
	}
}

Test(zs26_outcomes, referenced_in_use_is_activated)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 100, ZS_KIND_ANON);
		o.t.m->pages[o.pfn].flags |= ZS_PG_YOUNG;
		cr_assert_eq(run_one(&o), 0);
		cr_assert(kept(&o));
		cr_assert(o.t.m->pages[o.pfn].flags & ZS_PG_ACTIVE);
		cr_assert_eq(zs26_of(o.t.vm)->rc.pgactivate, 1);
		done_one(&o);
	}
}

Test(zs26_outcomes, referenced_unmapped_cache_is_not_activated)
{
	/* use-once: PG_referenced alone on a page nobody maps does not save it */
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 0, ZS_KIND_FILE_CLEAN);
		o.t.m->pages[o.pfn].flags |= ZS_PG_REFERENCED;
		cr_assert_eq(run_one(&o), 1);
		done_one(&o);
	}
}

Test(zs26_outcomes, anon_without_swap_is_activated)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 0, ZS_KIND_ANON);
		cr_assert_eq(run_one(&o), 0);
		cr_assert(kept(&o));
		cr_assert(o.t.m->pages[o.pfn].flags & ZS_PG_ACTIVE, "add_to_swap failed");
		done_one(&o);
	}
}

Test(zs26_outcomes, anon_is_swapped_out)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 100, ZS_KIND_ANON);
		struct zs_page *p = &o.t.m->pages[o.pfn];
		uint32_t b = p->owner;

		cr_assert_eq(run_one(&o), 0);
		/* add_to_swap, try_to_unmap, pageout: under writeback, kept, PG_reclaim */
		cr_assert(kept(&o));
		cr_assert(p->flags & ZS_PG_SWAPCACHE);
		cr_assert(p->flags & ZS_PG_WRITEBACK);
		cr_assert(p->flags & ZS26_PG_RECLAIM);
		cr_assert_not(p->flags & (ZS_PG_DIRTY | ZS_PG_MAPPED | ZS_PG_BOUND));
		cr_assert_eq(zs_pagemap_at(o.t.vm->pagemap, b)->state, ZS_BIND_SWAPPED);
		cr_assert_eq(o.tk->rss, 0);
		cr_assert_eq(o.t.vm->pswpout, 1);
		cr_assert_eq(zs26_of(o.t.vm)->rc.nr_writeback, 1);
		r_putback(&o.t, &o.l);
		/* the write completes: end_page_writeback rotates it to the inactive tail */
		uint32_t other = r_page(&o.t, ZS_KIND_FILE_CLEAN, NULL, 99);

		zs26_lru_add_drain(o.t.vm, 0);
		(void)other;
		zs_engine_run(o.t.e, 100 * R_MS, NULL, NULL);
		cr_assert_not(p->flags & (ZS_PG_WRITEBACK | ZS26_PG_RECLAIM));
		cr_assert_eq(zs26_of(o.t.vm)->rc.pgrotated, 1);
		int inact = v ? ZS26_LRU_INACTIVE_ANON : ZS26_LRU_INACTIVE;

		cr_assert_eq(r_lv(&o.t)->lru[inact].tail, o.pfn);
		/* the next scan frees the clean swap-cache page; the binding keeps the slot */
		o.l = ZS_LIST_INIT;
		r_isolate(&o.t, o.pfn, &o.l);
		cr_assert_eq(run_one(&o), 1);
		cr_assert_neq(zs_vm_bind_slot(o.t.vm, zs_pagemap_at(o.t.vm->pagemap, b)), UINT32_MAX);
		cr_assert_eq(o.t.vm->swap.nr_free, 99);
		done_one(&o);
	}
}

Test(zs26_outcomes, mlocked_fails_unmap_2618_culls_2632)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 100, ZS_KIND_ANON);
		o.t.m->pages[o.pfn].flags |= ZS26_PG_MLOCKED; /* mapped by a VM_LOCKED vma */
		if (v)
			r_lv(&o.t)->nr_mlock++;
		cr_assert_eq(run_one(&o), 0);
		if (!v) {
			/* 2.6.18: a slot is taken, try_to_unmap says SWAP_FAIL: activate */
			cr_assert(kept(&o));
			cr_assert(o.t.m->pages[o.pfn].flags & ZS_PG_ACTIVE);
			cr_assert(o.t.m->pages[o.pfn].flags & ZS_PG_SWAPCACHE);
		} else {
			/* 2.6.32: page_evictable() is false: straight to the unevictable list */
			cr_assert_eq(o.l.count, 0);
			cr_assert_eq(o.t.m->pages[o.pfn].list, ZS26_LST_LRU + ZS26_LRU_UNEVICTABLE);
			cr_assert_eq(o.t.vm->swap.nr_free, 100, "no slot taken");
		}
		done_one(&o);
	}
}

Test(zs26_outcomes, dirty_cache_needs_writepage_and_fs)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 0, ZS_KIND_FILE_DIRTY);
		struct zs_page *p = &o.t.m->pages[o.pfn];

		o.sc.may_writepage = 0;
		cr_assert_eq(run_one(&o), 0);
		cr_assert(kept(&o) && (p->flags & ZS_PG_DIRTY), "!may_writepage: kept dirty");
		o.sc.may_writepage = 1;
		o.sc.gfp_mask = GFP26_NOFS;
		cr_assert_eq(run_one(&o), 0);
		cr_assert(kept(&o) && (p->flags & ZS_PG_DIRTY), "!__GFP_FS: kept dirty");
		o.sc.gfp_mask = GFP26_KERNEL;
		p->flags |= ZS_PG_REFERENCED;
		cr_assert_eq(run_one(&o), 0);
		cr_assert(kept(&o) && (p->flags & ZS_PG_DIRTY), "referenced: kept dirty");
		cr_assert_not(p->flags & ZS_PG_ACTIVE);
		cr_assert_eq(run_one(&o), 0);
		cr_assert(kept(&o) && (p->flags & ZS_PG_WRITEBACK), "written");
		cr_assert_eq(o.t.vm->pgpgout, 1);
		cr_assert_eq(o.t.vm->pswpout, 0);
		/* NR_VMSCAN_WRITE (2.6.32; 2.6.18's pageout_writes): only the write counts */
		cr_assert_eq(zs26_of(o.t.vm)->rc.vmscan_write, 1);
		r_putback(&o.t, &o.l);
		zs_engine_run(o.t.e, 100 * R_MS, NULL, NULL);
		cr_assert_not(p->flags & (ZS_PG_WRITEBACK | ZS_PG_DIRTY));
		t26_check(&o.t);
		t26_free(&o.t);
	}
}

Test(zs26_outcomes, congested_queue_keeps_direct_reclaim_file_writes)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 0, ZS_KIND_FILE_DIRTY);
		for (int i = 0; i < 113; i++)
			zs_disk_submit(&o.t.vm->disk, 1, 1, NULL, NULL, 0);
		cr_assert_eq(run_one(&o), 0);
		cr_assert(kept(&o));
		cr_assert(o.t.m->pages[o.pfn].flags & ZS_PG_DIRTY, "may_write_to_queue said no");
		o.sc.kswapd = 1; /* PF_SWAPWRITE writes anyway */
		cr_assert_eq(run_one(&o), 0);
		cr_assert(o.t.m->pages[o.pfn].flags & ZS_PG_WRITEBACK);
		r_putback(&o.t, &o.l);
		zs_engine_run(o.t.e, 1000 * R_MS, NULL, NULL);
		t26_check(&o.t);
		t26_free(&o.t);
	}
}

Test(zs26_outcomes, no_io_keeps_anon_2632)
{
	struct one o;

	one_page(&o, 1, 100, ZS_KIND_ANON);
	o.sc.gfp_mask = GFP26_NOIO;
	cr_assert_eq(run_one(&o), 0);
	cr_assert(kept(&o));
	cr_assert_not(o.t.m->pages[o.pfn].flags & (ZS_PG_ACTIVE | ZS_PG_SWAPCACHE));
	done_one(&o);
}

Test(zs26_outcomes, activation_frees_swap_when_full_2632)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 2, ZS_KIND_ANON);
		struct zs_page *p = &o.t.m->pages[o.pfn];

		cr_assert(zs26_add_to_swap(o.t.vm, o.pfn));
		uint32_t s2 = zs_swap_get(&o.t.vm->swap); /* swap now full: 0 of 2 free */

		p->flags |= ZS_PG_YOUNG;
		cr_assert_eq(run_one(&o), 0);
		cr_assert(p->flags & ZS_PG_ACTIVE);
		/* 2.6.32 gives the slot back (vm_swap_full), 2.6.18 keeps it */
		cr_assert_eq(!(p->flags & ZS_PG_SWAPCACHE), v);
		zs_swap_put(&o.t.vm->swap, s2);
		done_one(&o);
	}
}

/*
 * Where a binding's swap slot lives (zs_vm_bind_slot): a resident binding holds
 * one only through its page in the swap cache (page->aux), or through the
 * driver's swap-in record while page_added runs, and only that binding; once
 * reclaim unmaps the page the binding keeps the slot itself.
 */
Test(zs26_outcomes, a_bindings_slot_follows_its_page)
{
	struct one o;

	one_page(&o, 1, 8, ZS_KIND_ANON);
	struct zs_vm *vm = o.t.vm;
	struct zs_page *p = &o.t.m->pages[o.pfn];
	uint32_t b = p->owner;
	struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);

	cr_assert_eq(bd->state, ZS_BIND_RESIDENT);
	cr_assert_eq(zs_vm_bind_slot(vm, bd), UINT32_MAX, "a fresh page holds no slot");
	/* the driver's swap-in record names this binding only */
	zs_vm_swapin_begin(vm, b + 1, o.pfn, 5);
	cr_assert_eq(zs_vm_bind_slot(vm, bd), UINT32_MAX, "another binding's swap-in");
	vm->swapin_bind = b;
	cr_assert_eq(zs_vm_bind_slot(vm, bd), 5, "its own swap-in");
	vm->swapin_pfn = ZS_NIL;
	cr_assert_eq(zs_vm_bind_slot(vm, bd), UINT32_MAX);
	/* add_to_swap: the page's slot is the binding's */
	cr_assert(zs26_add_to_swap(vm, o.pfn));
	uint32_t slot = p->aux;
	cr_assert(p->flags & ZS_PG_SWAPCACHE);
	cr_assert_eq(zs_vm_bind_slot(vm, bd), slot);
	/* try_to_free_swap: out of the cache, the binding holds none */
	zs26_try_to_free_swap(vm, o.pfn);
	cr_assert_not(p->flags & ZS_PG_SWAPCACHE);
	cr_assert_eq(zs_vm_bind_slot(vm, bd), UINT32_MAX);
	/* into the cache again, then unmapped by reclaim: the binding keeps the slot */
	cr_assert(zs26_add_to_swap(vm, o.pfn));
	slot = p->aux;
	zs_vm_unbind_page(vm, o.pfn, slot);
	cr_assert_eq(bd->state, ZS_BIND_SWAPPED);
	cr_assert_eq(bd->ps, slot);
	cr_assert_eq(zs_vm_bind_slot(vm, bd), slot);
	cr_assert_eq(zs_bind_pfn(bd), ZS_NIL);
	done_one(&o); /* the unbound swap-cache page goes back on its list: a sound state */
}

/*
 * A swap-in whose slot's readahead copy is still under writeback: page_added
 * cannot drop the copy, so the fresh page stays out of the swap cache; the
 * slot then has no holder and zs_vm_swapin_end releases it (the copy leaves the
 * cache and is freed as its write completes).
 */
Test(zs26_outcomes, swapin_past_a_copy_under_writeback_releases_the_slot)
{
	for (int v = 0; v < 2; v++) {
		struct one o;

		one_page(&o, v, 100, ZS_KIND_ANON);
		struct zs_vm *vm = o.t.vm;
		struct zs_page *copy = &o.t.m->pages[o.pfn];
		uint32_t b = copy->owner;

		cr_assert_eq(run_one(&o), 0); /* swapped out, the write under way */
		r_putback(&o.t, &o.l);
		struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);
		uint32_t slot = bd->ps;

		cr_assert_eq(bd->state, ZS_BIND_SWAPPED);
		cr_assert(copy->flags & ZS_PG_WRITEBACK);
		cr_assert_eq(zs26_of(vm)->rc.swapcache[slot], o.pfn);
		uint64_t nr_free = vm->swap.nr_free;
		/* the driver's major fault: a fresh page, bound, then page_added */
		uint32_t pfn = zs26_rmqueue(vm, r_zone(&o.t), 0, ZS26_MT_MOVABLE);
		struct zs_page *p = &o.t.m->pages[pfn];

		cr_assert_neq(pfn, ZS_NIL);
		bd->ps = pfn;
		bd->state = ZS_BIND_RESIDENT;
		p->flags |= ZS_PG_BOUND;
		p->owner = b;
		p->kind = ZS_KIND_ANON;
		o.tk->rss++;
		o.tk->swapped--;
		zs_vm_swapin_begin(vm, b, pfn, slot);
		vm->ops->page_added(vm, pfn);
		cr_assert_eq(zs_vm_bind_slot(vm, bd), slot, "held through the record");
		cr_assert_not(p->flags & ZS_PG_SWAPCACHE, "the copy under writeback keeps the slot");
		zs_vm_swapin_end(vm);
		cr_assert_eq(zs_vm_bind_slot(vm, bd), UINT32_MAX);
		cr_assert_eq(vm->swap.nr_free, nr_free + 1, "the slot went back");
		cr_assert_eq(zs26_of(vm)->rc.swapcache[slot], ZS_NIL);
		cr_assert_not(copy->flags & ZS_PG_SWAPCACHE);
		cr_assert(copy->flags & ZS26_PG_FREEPEND, "freed when its write completes");
		zs26_lru_add_drain(vm, 0);
		zs_engine_run(o.t.e, 100 * R_MS, NULL, NULL);
		cr_assert_not(copy->flags & (ZS_PG_WRITEBACK | ZS26_PG_FREEPEND));
		done_one(&o);
	}
}

Test(zs26_lists, lumpy_isolation_takes_the_block)
{
	/* an order-2 scan of the inactive file list: after the tail page, the other three
	 * pages of its aligned block come too, whatever list they are on (mode "both") */
	struct t26 t = r_boot(&zs_policy_2632, 0, NULL);
	struct zs_list l = ZS_LIST_INIT;
	uint32_t p[8];
	uint64_t scanned;

	r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 8, 1, p);
	uint32_t tail = r_lv(&t)->lru[ZS26_LRU_INACTIVE_FILE].tail;

	for (int i = 0; i < 8; i++)
		if (p[i] != tail && (p[i] & ~3u) == (tail & ~3u))
			zs26_activate_page(t.vm, p[i]); /* a neighbour on the active list */
	uint64_t taken = zs26_isolate_lru_pages(t.vm, r_zone(&t), 1, ZS26_LRU_INACTIVE_FILE, &l,
						&scanned, 2, 2);
	int block = 0;

	for (int i = 0; i < 8; i++)
		block += (p[i] & ~3u) == (tail & ~3u);
	cr_assert_eq(taken, (uint64_t)block, "the tail page and its %d neighbours", block - 1);
	cr_assert_eq(scanned, (uint64_t)block, "neighbours count as scanned");
	/* mode "inactive" takes only inactive neighbours of the same type */
	r_putback(&t, &l);
	uint64_t taken1 = zs26_isolate_lru_pages(t.vm, r_zone(&t), 1, ZS26_LRU_INACTIVE_FILE, &l,
						 &scanned, 2, 0);

	cr_assert_leq(taken1, (uint64_t)block);
	for (uint32_t pfn = l.head; pfn != ZS_NIL; pfn = t.m->pages[pfn].next)
		cr_assert_not(t.m->pages[pfn].flags & ZS_PG_ACTIVE);
	r_putback(&t, &l);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_lists, lumpy_neighbours_of_the_other_type_stay)
{
	/* 2.6.32 __isolate_lru_page(): outside ISOLATE_BOTH a neighbour is taken only when
	 * page_is_file_cache() equals the scanned list's type (the test once was inverted,
	 * so an order-2 scan of the inactive file list put anon pages on it and file pages
	 * on the anon lists) */
	struct t26 t = r_boot(&zs_policy_2632, 100, NULL);
	struct zs_task *tk = zs_vm_task_new(t.vm, "a", 0);
	struct zs_list l = ZS_LIST_INIT;
	uint32_t p[32];
	uint64_t scanned;

	for (int i = 0; i < 32; i++)
		p[i] = r_page(&t, (i & 1) ? ZS_KIND_ANON : ZS_KIND_FILE_CLEAN, (i & 1) ? tk : NULL,
			      1 + (uint64_t)i);
	zs26_lru_add_drain(t.vm, 0);
	/* every anon page to the inactive anon list, as shrink_active_list would leave it */
	for (int i = 1; i < 32; i += 2) {
		zs26_del_page_from_lru(t.vm, p[i]);
		t.m->pages[p[i]].flags &= ~ZS_PG_ACTIVE;
		zs26_add_page_to_lru(t.vm, p[i], ZS26_LRU_INACTIVE_ANON);
	}
	uint32_t tail = r_lv(&t)->lru[ZS26_LRU_INACTIVE_FILE].tail;
	int same = 0, other = 0;

	for (int i = 0; i < 32; i++)
		if (p[i] != tail && (p[i] & ~3u) == (tail & ~3u))
			(i & 1) ? other++ : same++;
	cr_assert_gt(other, 0, "the tail page's block holds anon pages too");
	uint64_t taken = zs26_isolate_lru_pages(t.vm, r_zone(&t), 1, ZS26_LRU_INACTIVE_FILE, &l,
						&scanned, 2, 0);

	cr_assert_eq(taken, 1 + (uint64_t)same, "the tail page and its %d file neighbours", same);
	for (uint32_t pfn = l.head; pfn != ZS_NIL; pfn = t.m->pages[pfn].next)
		cr_assert_not(t.m->pages[pfn].flags & ZS26_PG_SWAPBACKED, "page %u is anon", pfn);
	r_putback(&t, &l);
	t26_check(&t);
	t26_free(&t);
}
