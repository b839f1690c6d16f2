/*
 * vmscan.c - the 2.4.0 page scanners (mm/vmscan.c of 2.4.0):
 * refill_inactive_scan (active -> inactive_dirty), page_launder
 * (inactive_dirty -> inactive_clean, with its two passes and MAX_LAUNDER),
 * reclaim_page (inactive_clean -> the caller), swap_out / try_to_swap_out
 * (unmapping anonymous pages, giving them swap slots).
 *
 * Every scanner takes pages from the tail of its list and inserts at the head.
 * CPU time: cost_scan per page looked at, cost_pte per PTE, cost_write per page
 * submitted, cost_reclaim per page taken out of a cache, all added to the
 * caller's z24_ctx.
 *
 * I/O: the writes they start go through page_io.c (one merged request per
 * batch); a page's buffers are freed through buffer.c's try_to_free_buffers.
 */
#include "alloc/linux24/model.h"

#include "alloc/pagemap.h"
#include "alloc/swap.h"

/* ---- refill_inactive_scan ---- */

int
zs24_refill_inactive_scan(struct z24 *s, unsigned priority, int oneshot, struct z24_ctx *c)
{
	int ret = 0;
	/* KERNEL: 2.4.0 mm/vmscan.c refill_inactive_scan(): maxscan = nr_active >> priority */
	uint64_t maxscan = s->active.count >> priority;

	s->ref_inact++;
	while (maxscan-- > 0 && s->active.tail != ZS_NIL) {
		uint32_t pfn = s->active.tail;
		struct zs_page *p = z24_pg(s, pfn);
		int page_active;

		c->cost_ns += s->tun.cost_scan_ns;
		z24_zone_of(s, pfn)->scan++;
		if (p->flags & ZS_PG_REFERENCED) {
			p->flags &= ~ZS_PG_REFERENCED;
			zs24_age_page_up(s, pfn);
			page_active = 1;
		} else {
			p->age /= 2; /* age_page_down_ageonly */
			/* KERNEL: 2.4.0 mm/vmscan.c: stricter than deactivate_page (no ref held) */
			if (p->age == 0 && zs24_page_count(p) <= ((p->flags & Z24_PG_BUFFERS) ? 2u : 1u)) {
				zs24_deactivate_page(s, pfn);
				z24_zone_of(s, pfn)->deact++;
				page_active = 0;
			} else {
				page_active = 1;
			}
		}
		if (page_active || p->list == Z24_LST_ACTIVE) {
			zs24_lru_del(s, pfn);
			zs24_add_to_active(s, pfn);
		} else {
			ret = 1;
			if (oneshot)
				break;
		}
	}
	return ret;
}

/* ---- page_launder ---- */

int
zs24_page_launder(struct z24 *s, uint32_t gfp, int sync, struct z24_ctx *c)
{
	int launder_loop = 0, cleaned = 0, started_io = 0;
	uint64_t maxlaunder = 0;
	/* KERNEL: 2.4.0 mm/vmscan.c page_launder(): only __GFP_IO callers may write */
	int can_io = (gfp & GFP24_IO) != 0;

	s->launder++;
dirty_page_rescan:;
	uint64_t maxscan = s->inactive_dirty.count;

	while (s->inactive_dirty.tail != ZS_NIL && maxscan-- > 0) {
		uint32_t pfn = s->inactive_dirty.tail;
		struct zs_page *p = z24_pg(s, pfn);
		struct z24_zone *zz = z24_zone_of(s, pfn);

		c->cost_ns += s->tun.cost_scan_ns;
		zz->scan++;
		/* Page is or was in use?  Move it to the active list. */
		int referenced = (p->flags & ZS_PG_REFERENCED) != 0;

		p->flags &= ~ZS_PG_REFERENCED;
		if (referenced || p->age > 0 ||
		    (!(p->flags & Z24_PG_BUFFERS) && zs24_page_count(p) > 1)) {
			zs24_lru_del(s, pfn);
			zs24_add_to_active(s, pfn);
			zz->react++;
			continue;
		}
		/* Locked (I/O in progress): rotate to the head. */
		if (p->flags & ZS_PG_LOCKED) {
			zs24_lru_del(s, pfn);
			zs24_add_to_inactive_dirty(s, pfn);
			zz->skipl++;
			continue;
		}
		if (p->flags & ZS_PG_DIRTY) {
			/* Only swap-cache pages carry PG_dirty here (no shared file mmaps). */
			if (!(p->flags & ZS_PG_SWAPCACHE))
				goto page_active;
			if (!launder_loop) {
				zs24_lru_del(s, pfn);
				zs24_add_to_inactive_dirty(s, pfn);
				zz->skipd++;
				continue;
			}
			/* KERNEL: 2.4.0 mm/vmscan.c: ClearPageDirty, writepage = swap_writepage */
			p->flags &= ~ZS_PG_DIRTY;
			zs24_write_page(s, pfn, 1, 0, c);
			zz->launder++;
			started_io = 1;
			/* SUBTLE: the page stays at the tail; the next iteration finds it locked
			 * (or, after a synchronous write, clean) and moves it on. */
			continue;
		}
		if (p->flags & Z24_PG_BUFFERS) {
			int wait;

			zs24_lru_del(s, pfn);
			if (launder_loop && maxlaunder == 0 && sync)
				wait = 2; /* synchronous IO */
			else if (launder_loop && maxlaunder > 0) {
				maxlaunder--;
				wait = 1; /* async IO */
			} else
				wait = 0;
			if (wait)
				started_io = 1;
			int cleared = zs24_try_to_free_buffers(s, pfn, wait, c);

			if (!cleared) {
				zs24_add_to_inactive_dirty(s, pfn);
				continue;
			}
			if (!(p->flags & Z24_PG_CACHE)) {
				/* A buffer-cache-only page: freed outright. */
				s->buffermem_pages--;
				cleaned++;
				zz->clean++;
				c->cost_ns += s->tun.cost_reclaim_ns;
				if (p->flags & ZS_PG_BOUND)
					zs_vm_unbind_page(s->vm, pfn, UINT32_MAX);
				zs24_free_pages_ok(s, pfn, 0);
				/* If we're freeing buffer cache pages, stop when we have enough. */
				if (!zs24_free_shortage(s))
					break;
				continue;
			}
			if (zs24_page_count(p) > 1) {
				/* more users besides the cache and us */
				zs24_add_to_active(s, pfn);
				continue;
			}
			zs24_add_to_inactive_clean(s, pfn);
			cleaned++;
			zz->clean++;
			continue;
		}
		if ((p->flags & (Z24_PG_CACHE | ZS_PG_SWAPCACHE)) && !(p->flags & ZS_PG_DIRTY)) {
			zs24_lru_del(s, pfn);
			zs24_add_to_inactive_clean(s, pfn);
			cleaned++;
			zz->clean++;
			continue;
		}
page_active:
		zs24_lru_del(s, pfn);
		zs24_add_to_active(s, pfn);
	}
	zs24_io_submit(s, c);
	/* KERNEL: 2.4.0 mm/vmscan.c page_launder(): one more pass, with I/O, on shortage */
	if (can_io && !launder_loop && zs24_free_shortage(s)) {
		launder_loop = 1;
		if (cleaned)
			sync = 0; /* if we cleaned pages, never do synchronous IO */
		maxlaunder = s->max_launder;
		zs24_wakeup_bdflush(s, 0);
		goto dirty_page_rescan;
	}
	if (started_io)
		s->launder_w++;
	return cleaned;
}

/* ---- reclaim_page ---- */

uint32_t
zs24_reclaim_page(struct z24 *s, struct zs_zone *z, struct z24_ctx *c)
{
	struct z24_zone *zz = zs24_zone(z);
	uint64_t maxscan = zz->inactive_clean.count;
	uint32_t found = ZS_NIL;

	while (zz->inactive_clean.tail != ZS_NIL && maxscan--) {
		uint32_t pfn = zz->inactive_clean.tail;
		struct zs_page *p = z24_pg(s, pfn);

		c->cost_ns += s->tun.cost_scan_ns;
		int referenced = (p->flags & ZS_PG_REFERENCED) != 0;

		p->flags &= ~ZS_PG_REFERENCED;
		/* KERNEL: 2.4.0 mm/vmscan.c reclaim_page(): in use -> active */
		if (referenced || p->age > 0 ||
		    (!(p->flags & Z24_PG_BUFFERS) && zs24_page_count(p) > 1)) {
			zs24_lru_del(s, pfn);
			zs24_add_to_active(s, pfn);
			zz->rescue++;
			continue;
		}
		/* dirty or locked -> inactive_dirty */
		if (p->flags & (Z24_PG_BUFFERS | ZS_PG_DIRTY | ZS_PG_LOCKED | ZS_PG_WRITEBACK)) {
			zs24_lru_del(s, pfn);
			zs24_add_to_inactive_dirty(s, pfn);
			continue;
		}
		if (p->flags & ZS_PG_SWAPCACHE) {
			/* __delete_from_swap_cache: the swap entry stays with the PTE
			 * (the SWAPPED binding), only the cache's reference goes; with
			 * no PTE left the count reaches 0 (KERNEL: 2.4.0 mm/swapfile.c
			 * swap_free()) and the slot is free */
			uint32_t slot = p->aux;

			zs24_swapcache_del(s, pfn);
			if (p->flags & Z24_PG_NOPTE) {
				p->flags &= ~Z24_PG_NOPTE;
				zs_swap_put(&s->vm->swap, slot);
			}
			found = pfn;
			break;
		}
		if (p->flags & Z24_PG_CACHE) {
			/* __remove_inode_page: the file page is dropped from the cache */
			p->flags &= ~Z24_PG_CACHE;
			s->page_cache_size--;
			if (p->flags & ZS_PG_BOUND)
				zs_vm_unbind_page(s->vm, pfn, UINT32_MAX);
			found = pfn;
			break;
		}
		/* We should never ever get here. */
		zs24_lru_del(s, pfn);
	}
	if (found != ZS_NIL) {
		struct zs_page *p = z24_pg(s, found);

		zs24_lru_del(s, found);
		p->age = Z24_PAGE_AGE_START;
		p->flags &= ~(ZS_PG_REFERENCED | ZS_PG_DIRTY | ZS_PG_YOUNG | Z24_PG_PTEDIRTY);
		c->cost_ns += s->tun.cost_reclaim_ns;
		ZS_BUG_ON(zs24_page_count(p) != 0);
	} else {
		zz->recfail++;
	}
	/* KERNEL: 2.4.0 mm/vmscan.c reclaim_page(): memory_pressure++ on every exit */
	s->memory_pressure++;
	return found;
}

/* ---- swap_out ---- */

/* try_to_swap_out: 1 when the mm's quota (swap_cnt) is used up. */
static int
try_to_swap_out(struct z24 *s, struct z24_mm *mm, uint32_t pfn, struct z24_ctx *c)
{
	struct zs_page *p = z24_pg(s, pfn);

	if (!(p->flags & ZS_PG_MAPPED) || (p->flags & ZS_PG_RESERVED))
		return 0;
	/* KERNEL: 2.4.0 mm/vmscan.c try_to_swap_out() */
	if (!mm->swap_cnt)
		return 1;
	mm->swap_cnt--;
	int onlist = (p->flags & ZS_PG_ACTIVE) != 0;

	if (p->flags & ZS_PG_YOUNG) {
		/* ptep_test_and_clear_young: recently used, keep it mapped */
		p->flags &= ~ZS_PG_YOUNG;
		zs24_age_page_up(s, pfn);
		return 0;
	}
	if (!onlist)
		p->age /= 2; /* age_page_down_ageonly */
	if (p->age > 0 || (p->flags & ZS_PG_LOCKED))
		return 0;

	/* ptep_get_and_clear */
	int pte_dirty = (p->flags & Z24_PG_PTEDIRTY) != 0;

	if (p->flags & ZS_PG_SWAPCACHE) {
		if (pte_dirty)
			p->flags |= ZS_PG_DIRTY; /* set_page_dirty */
		p->flags &= ~(ZS_PG_MAPPED | Z24_PG_PTEDIRTY);
		zs_vm_unbind_page(s->vm, pfn, p->aux); /* swap_duplicate + swap pte */
	} else if (p->flags & Z24_PG_CACHE) {
		/* a mapped page-cache page (`access: mmap`): a clean PTE is just dropped, a
		 * dirty one set_page_dirty()s its page (page->mapping) first; the page stays
		 * in the page cache and its owner's next access faults it in again */
		if (pte_dirty)
			zs24_set_page_dirty_mapped(s, pfn);
		p->flags &= ~(ZS_PG_MAPPED | Z24_PG_PTEDIRTY);
		if (mm->file_rss)
			mm->file_rss--; /* mm->rss-- at drop_pte */
	} else {
		/* DEVIATION: anonymous pages are always dirty (write-faulted), so the
		 * "clean pte: drop it" branch never applies to them. */
		uint32_t slot = zs_swap_get(&s->vm->swap);

		if (slot == UINT32_MAX || slot >= s->nr_slots) {
			if (slot != UINT32_MAX)
				zs_swap_put(&s->vm->swap, slot);
			s->swap_alloc_fail++;
			return 0; /* no swap space left: restore the pte */
		}
		p->flags &= ~(ZS_PG_MAPPED | Z24_PG_PTEDIRTY);
		/* KERNEL: 2.4.0 mm/swap_state.c add_to_swap_cache() -> lru_cache_add():
		 * age 0, so straight onto inactive_dirty */
		zs24_swapcache_add(s, pfn, slot);
		zs24_lru_cache_add(s, pfn);
		p->flags |= ZS_PG_DIRTY;
		zs_vm_unbind_page(s->vm, pfn, slot);
	}
	c->cost_ns += s->tun.cost_reclaim_ns;
	s->unmapped++;
	/* drop_pte: deactivate_page, page_cache_release */
	zs24_deactivate_page(s, pfn);
	return 0;
}

/* swap_out_mm: walk the task's pages in address order from swap_address. */
static int
swap_out_mm(struct z24 *s, struct zs_task *t, struct z24_ctx *c)
{
	struct z24_mm *mm = zs24_mm(s, t);
	struct zs_pagemap *pm = s->vm->pagemap;
	uint32_t idx = mm->swap_address;

	/* KERNEL: 2.4.0 mm/vmscan.c swap_out_vma(): a VM_LOCKED vma is skipped whole; with
	 * mlockall every vma is, so the walk reaches the end without looking at a pte */
	if (t->flags & ZS_TASK_MLOCKALL)
		idx = Z24_SWAP_END;
	if (idx == Z24_SWAP_END) {
		idx = ZS_NIL; /* resumed past the last page: the walk ends at once */
	} else {
		if (idx != ZS_NIL) {
			struct zs_binding *b = zs_pagemap_at(pm, idx);

			if (b->state == ZS_BIND_FREE || b->task != t->id)
				idx = ZS_NIL;
		}
		if (idx == ZS_NIL)
			idx = t->bind_first;
	}
	while (idx != ZS_NIL) {
		struct zs_binding *b = zs_pagemap_at(pm, idx);
		uint32_t next = b->tnext;

		c->cost_ns += s->tun.cost_pte_ns;
		if (b->state != ZS_BIND_RESIDENT) {
			idx = next;
			continue;
		}
		/* KERNEL: 2.4.0 mm/vmscan.c swap_out_pmd(): swap_address = address +
		 * PAGE_SIZE before try_to_swap_out, so the walk resumes after this page */
		mm->swap_address = next != ZS_NIL ? next : Z24_SWAP_END;
		if (try_to_swap_out(s, mm, b->ps, c))
			return 1;
		idx = next;
	}
	/* KERNEL: 2.4.0 mm/vmscan.c swap_out_mm(): reached the end */
	mm->swap_address = ZS_NIL;
	mm->swap_cnt = 0;
	return 0;
}

int
zs24_swap_out(struct z24 *s, unsigned priority, uint32_t gfp, struct z24_ctx *c)
{
	struct zs_vm *vm = s->vm;
	int assign = 0;

	(void)priority; /* the outer counter never matters: one selection per call */
	(void)gfp;
	for (;;) {
		struct zs_task *best = NULL;
		uint64_t max_cnt = 0;
		int found_task = 0;

		/* KERNEL: 2.4.0 mm/vmscan.c swap_out(): the mm with the largest swap_cnt */
		for (uint32_t i = 0; i < vm->nr_tasks; i++) {
			struct zs_task *t = vm->tasks[i];

			if (!t || !t->alive || (t->flags & ZS_PF_KTHREAD))
				continue;
			struct z24_mm *mm = zs24_mm(s, t);
			/* mm->rss: its resident anonymous pages and its mapped page-cache pages */
			uint64_t rss = t->rss + mm->file_rss;

			if (rss == 0)
				continue;
			found_task++;
			if (assign) {
				mm->swap_cnt = rss >> Z24_SWAP_SHIFT;
				if (mm->swap_cnt < Z24_SWAP_MIN)
					mm->swap_cnt = Z24_SWAP_MIN;
			}
			if (mm->swap_cnt > max_cnt) {
				max_cnt = mm->swap_cnt;
				best = t;
			}
		}
		if (best)
			return swap_out_mm(s, best, c);
		if (!assign && found_task > 0) {
			assign = 1;
			continue;
		}
		return 0;
	}
}
