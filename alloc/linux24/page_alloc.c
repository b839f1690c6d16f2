/*
 * page_alloc.c - the 2.4.0 allocator (mm/page_alloc.c of 2.4.0): the zone
 * watermarks and freepages totals of free_area_init_core, build_zonelists
 * (nr_free_pages and nr_inactive_clean_pages are static inline in model.h),
 * rmqueue/__free_pages_ok around the buddy, __alloc_pages_limit, and
 * __alloc_pages as a resumable state machine (it sleeps at the yield of step 7,
 * in wakeup_kswapd(1), after try_to_free_pages, and on synchronous launder I/O).
 *
 * Steps (kernel-2.4.md §3.5): memory_pressure++, direct_reclaim, the kswapd /
 * bdflush kick, try_again: pass A (free >= pages_low, kreclaimd wake below
 * pages_min), __alloc_pages_limit HIGH, LOW, wakeup_kswapd(0) + yield, MIN,
 * then (not PF_MEMALLOC) the high-order path, wakeup_kswapd(1) or
 * try_to_free_pages with goto try_again for order 0, the final phase with its
 * pages_min/4 floor, and the failure message.
 *
 * Watermarks: mask = realsize / zone_balance_ratio[type], clamped to
 * [zone_balance_min, zone_balance_max]; pages_min/low/high = 1x/2x/3x mask;
 * freepages.min/low/high are the sums over every zone of every node.
 * i386 passes no hole array, so realsize is the whole zone.
 *
 * With several nodes (CONFIG_DISCONTIGMEM without CONFIG_NUMA, mm/numa.c) each
 * node is tried with a full __alloc_pages, round-robin from a global cursor.
 */
#include "alloc/linux24/model.h"

#include "alloc/buddy.h"
#include "alloc/task.h"

/* ---- zone watermarks and the freepages totals (free_area_init_core) ---- */

/* zone_balance_ratio index of a zone type (2.4.0 has DMA, Normal, HighMem). */
static int
ratio_index(enum zs_zone_type t)
{
	switch (t) {
	case ZS_ZONE_DMA:
		return 0;
	case ZS_ZONE_HIGHMEM:
		return 2;
	default:
		return 1;
	}
}

/* KERNEL: 2.4.0 mm/page_alloc.c free_area_init_core(): mask = realsize / ratio, clamped */
uint64_t
zs24_zone_mask(const struct z24_tunables *tun, enum zs_zone_type t, uint64_t realsize)
{
	uint64_t mask = realsize / (uint64_t)tun->ratio[ratio_index(t)];

	if (mask < (uint64_t)tun->balance_min)
		mask = (uint64_t)tun->balance_min;
	if (mask > (uint64_t)tun->balance_max)
		mask = (uint64_t)tun->balance_max;
	return mask;
}

void
zs24_setup_watermarks(struct z24 *s)
{
	s->freepages_min = s->freepages_low = s->freepages_high = 0;
	for (int i = 0; i < s->m->nr_zones; i++) {
		struct zs_zone *z = &s->m->zones[i];

		if (!z->spanned)
			continue;
		/* KERNEL: 2.4.0 mm/page_alloc.c free_area_init_core(): realsize = size - holes */
		uint64_t mask = zs24_zone_mask(&s->tun, z->type, z->present);

		z->pages_min = mask;
		z->pages_low = 2 * mask;
		z->pages_high = 3 * mask;
		/* KERNEL: 2.4.0 mm/page_alloc.c free_area_init_core(): freepages.* += */
		s->freepages_min += mask;
		s->freepages_low += 2 * mask;
		s->freepages_high += 3 * mask;
	}
}

/* ---- build_zonelists ---- */

void
zs24_build_zonelists(struct z24 *s)
{
	for (int node = 0; node < s->m->nr_nodes; node++) {
		struct zs_node *n = &s->m->nodes[node];

		for (int c = 0; c < 3; c++) {
			int k = c == 1 ? ZS_ZONE_HIGHMEM : c == 2 ? ZS_ZONE_DMA : ZS_ZONE_NORMAL;
			struct zs_zone **zl = s->zonelist[node][c];
			int j = 0;

			/* KERNEL: 2.4.0 mm/page_alloc.c build_zonelists(): fallthrough order
			 * HighMem, Normal, DMA; empty zones left out */
			if (k == ZS_ZONE_HIGHMEM && n->zone[ZS_ZONE_HIGHMEM] &&
			    n->zone[ZS_ZONE_HIGHMEM]->spanned)
				zl[j++] = n->zone[ZS_ZONE_HIGHMEM];
			if (k != ZS_ZONE_DMA && n->zone[ZS_ZONE_NORMAL] && n->zone[ZS_ZONE_NORMAL]->spanned)
				zl[j++] = n->zone[ZS_ZONE_NORMAL];
			if (n->zone[ZS_ZONE_DMA] && n->zone[ZS_ZONE_DMA]->spanned)
				zl[j++] = n->zone[ZS_ZONE_DMA];
			s->zonelist_len[node][c] = (uint8_t)j;
		}
	}
}

/* The zonelist for gfp on node, as built at boot, in *zl; returns its length. */
static inline int
zonelist_of(struct z24 *s, int node, uint32_t gfp, struct zs_zone *const **zl)
{
	/* KERNEL: 2.4.0 mm/page_alloc.c build_zonelists(): DMA wins over HIGHMEM */
	int c = gfp & GFP24_DMA ? 2 : gfp & GFP24_HIGHMEM ? 1 : 0;

	*zl = s->zonelist[node][c];
	return s->zonelist_len[node][c];
}

int
zs24_zonelist(struct z24 *s, int node, uint32_t gfp, struct zs_zone **zl)
{
	struct zs_zone *const *built;
	int j = zonelist_of(s, node, gfp, &built);

	for (int i = 0; i < j; i++)
		zl[i] = built[i];
	return j;
}

/* ---- rmqueue / __free_pages_ok ---- */

/* zs24_rmqueue, inline in pass A (nearly every allocation takes its page there). */
static inline __attribute__((always_inline)) uint32_t
rmqueue(struct z24 *s, struct zs_zone *z, unsigned order)
{
	/* KERNEL: 2.4.0 mm/page_alloc.c rmqueue() (mechanics in buddy.c) */
	uint32_t pfn = zs_buddy_rmqueue(s->m, z, order, 0);

	if (pfn != ZS_NIL) {
		struct zs_page *p = z24_pg(s, pfn);

		p->order = (uint8_t)order;
		p->flags &= ZS_PG_HEAD | ZS_PG_PAIRBIT; /* the pair bit it may hold is the buddy's */
		p->aux = ZS_NIL;
	}
	return pfn;
}

uint32_t
zs24_rmqueue(struct z24 *s, struct zs_zone *z, unsigned order)
{
	return rmqueue(s, z, order);
}

/* zs24_free_pages_ok, inline in ops->free (every free of the model ends here). */
static inline __attribute__((always_inline)) void
free_pages_ok(struct z24 *s, uint32_t pfn, unsigned order)
{
	struct zs_page *p = z24_pg(s, pfn);
	struct zs_zone *z = zs_pfn_zone(s->m, pfn);

	ZS_BUG_ON(p->list != ZS_LST_NONE);
	ZS_BUG_ON(p->flags & (ZS_PG_LOCKED | ZS_PG_WRITEBACK | ZS_PG_SWAPCACHE | Z24_PG_BUFFERS));
	/* KERNEL: 2.4.0 mm/page_alloc.c __free_pages_ok(): clear referenced and dirty,
	 * age = PAGE_AGE_START */
	p->flags &= ZS_PG_HEAD | ZS_PG_BOUND | ZS_PG_PAIRBIT;
	p->age = Z24_PAGE_AGE_START;
	p->aux = ZS_NIL;
	zs_buddy_free(s->m, z, pfn, order, 0);
	z->pgfree += 1u << order;
	z->free_blocks[order]++;
	/* KERNEL: 2.4.0 mm/page_alloc.c __free_pages_ok(): once per freed block */
	if (s->memory_pressure > (int64_t)s->nr_cpus)
		s->memory_pressure--;
}

void
zs24_free_pages_ok(struct z24 *s, uint32_t pfn, unsigned order)
{
	free_pages_ok(s, pfn, order);
}

/* A block leaves zone z for the caller. */
static uint32_t
served(struct zs_zone *z, uint32_t pfn, unsigned order)
{
	z->pgalloc += 1u << order;
	z->alloc_blocks[order]++;
	return pfn;
}

/* ---- __alloc_pages_limit ---- */

uint32_t
zs24_alloc_pages_limit(struct z24 *s, struct zs_zone *const *zl, int nz, unsigned order,
		       int limit, int direct_reclaim, struct z24_ctx *c)
{
	for (int i = 0; i < nz; i++) {
		struct zs_zone *z = zl[i];
		uint64_t water_mark;

		switch (limit) {
		default:
		case Z24_PAGES_MIN:
			water_mark = z->pages_min;
			break;
		case Z24_PAGES_LOW:
			water_mark = z->pages_low;
			break;
		case Z24_PAGES_HIGH:
			water_mark = z->pages_high;
			break;
		}
		/* KERNEL: 2.4.0 mm/page_alloc.c __alloc_pages_limit(): strict > on free + clean */
		if (z->free_pages + zs24_zone(z)->inactive_clean.count > water_mark) {
			uint32_t pfn = ZS_NIL;

			/* If possible, reclaim a page directly. */
			if (direct_reclaim && z->free_pages < z->pages_min + 8)
				pfn = zs24_reclaim_page(s, z, c);
			/* SUBTLE: otherwise the page still comes from the buddy lists */
			if (pfn == ZS_NIL)
				pfn = zs24_rmqueue(s, z, order);
			if (pfn != ZS_NIL)
				return served(z, pfn, order);
		}
	}
	return ZS_NIL;
}

/* __alloc_pages step 4, pass A: the first zone with free >= pages_low; kreclaimd is
 * woken for a zone below pages_min on the way.  always_inline: nearly every allocation
 * ends here, and the call cost a fifth of the pass. */
static inline __attribute__((always_inline)) uint32_t
pass_a(struct z24 *s, struct zs_zone *const *zl, int nz, unsigned order, struct zs_zone **from)
{
	for (int i = 0; i < nz; i++) {
		struct zs_zone *z = zl[i];

		if (z->free_pages >= z->pages_low) {
			uint32_t pfn = rmqueue(s, z, order);

			if (pfn != ZS_NIL) {
				*from = z;
				return served(z, pfn, order);
			}
		} else if (z->free_pages < z->pages_min && s->kreclaimd_wait.count) {
			/* KERNEL: 2.4.0 mm/page_alloc.c: wake_up_interruptible(&kreclaimd_wait) */
			s->krec_w++;
			zs_waitqueue_wake_all(&s->kreclaimd_wait);
		}
	}
	return ZS_NIL;
}

uint32_t
zs24_alloc_nowait(struct z24 *s, uint32_t gfp, struct z24_ctx *c)
{
	struct zs_zone *const *zl;
	/* KERNEL: 2.4.0 mm/page_alloc.c __alloc_pages() steps 1, 2, 4, 5, 6 for order 0 */
	int direct = (gfp & GFP24_WAIT) && !c->pfm;

	s->memory_pressure++;
	for (int node = 0; node < s->m->nr_nodes; node++) {
		int nz = zonelist_of(s, node, gfp, &zl);
		struct zs_zone *from;
		uint32_t pfn = pass_a(s, zl, nz, 0, &from);

		if (pfn == ZS_NIL)
			pfn = zs24_alloc_pages_limit(s, zl, nz, 0, Z24_PAGES_HIGH, direct, c);
		if (pfn == ZS_NIL)
			pfn = zs24_alloc_pages_limit(s, zl, nz, 0, Z24_PAGES_LOW, direct, c);
		if (pfn != ZS_NIL)
			return pfn;
	}
	/* DEVIATION: the kernel would go on to wake kswapd, yield and reclaim; a caller
	 * that cannot sleep (the swap read-ahead of a fault) gives the page up. */
	return ZS_NIL;
}

/* ---- ops->free ---- */

/* zs24_free of a page on a list or with state to undo (the tests one by one). */
static __attribute__((noinline)) void
free_page_with_state(struct z24 *s, uint32_t pfn, unsigned order)
{
	struct zs_page *p = z24_pg(s, pfn);

	if ((p->flags & ZS_PG_SWAPCACHE) && (p->flags & ZS_PG_LOCKED)) {
		/* KERNEL: 2.4.0 mm/swap_state.c free_page_and_swap_cache(): TryLockPage
		 * fails under I/O, so the page stays in the swap cache and on its list,
		 * unmapped (mm/memory.c free_pte() set_page_dirty()s a dirty PTE first);
		 * the driver's swap_free right after this marks it Z24_PG_NOPTE */
		if (p->flags & Z24_PG_PTEDIRTY)
			p->flags |= ZS_PG_DIRTY;
		p->flags &= ~(ZS_PG_MAPPED | ZS_PG_YOUNG | Z24_PG_PTEDIRTY);
		return;
	}
	/* KERNEL: 2.4.0 mm/filemap.c __remove_inode_page / mm/swap_state.c
	 * free_page_and_swap_cache / fs/buffer.c: the page leaves its caches */
	/* each callee tests its own state first: the tests here only save the calls on
	 * the common free of a page on no list, without dirty buffers */
	if (p->list != ZS_LST_NONE)
		zs24_lru_del(s, pfn);
	/* SUBTLE: the slot itself is released by ops->swap_free, which the driver
	 * calls right after this for a binding that still holds it */
	if (p->flags & ZS_PG_SWAPCACHE)
		zs24_swapcache_del(s, pfn);
	if (p->flags & Z24_PG_BUFDIRTY)
		zs24_buffer_clean(s, pfn);
	if (p->flags & Z24_PG_CACHE)
		s->page_cache_size--;
	else if ((p->flags & Z24_PG_BUFFERS) && p->kind == ZS_KIND_BUFFER)
		s->buffermem_pages--;
	p->flags &= ~(Z24_PG_CACHE | Z24_PG_BUFFERS | ZS_PG_MAPPED | ZS_PG_YOUNG |
		      Z24_PG_PTEDIRTY | ZS_PG_DIRTY | ZS_PG_REFERENCED);
	if (p->flags & (ZS_PG_LOCKED | ZS_PG_WRITEBACK)) {
		/* the I/O holds a reference: the page is freed when it completes */
		p->flags |= Z24_PG_FREEPEND;
		return;
	}
	free_pages_ok(s, pfn, order);
}

void
zs24_free(struct zs_vm *vm, uint32_t pfn, unsigned order, unsigned cpu)
{
	struct z24 *s = zs24_state(vm);
	struct zs_page *p = z24_pg(s, pfn);

	(void)cpu;
	/* SUBTLE: every flag the tests of free_page_with_state act on (and
	 * free_pages_ok's BUG_ONs): with none set and the page on no list, each test
	 * is false and the flags they would clear are cleared by free_pages_ok anyway */
	if (p->list == ZS_LST_NONE &&
	    !(p->flags & (ZS_PG_SWAPCACHE | ZS_PG_LOCKED | ZS_PG_WRITEBACK | Z24_PG_BUFDIRTY |
			  Z24_PG_CACHE | Z24_PG_BUFFERS))) {
		free_pages_ok(s, pfn, order);
		return;
	}
	free_page_with_state(s, pfn, order);
}

/* ---- __alloc_pages ---- */

static int
current_pfm(const struct zs_alloc_req *req)
{
	return req->task && (req->task->flags & ZS_PF_MEMALLOC);
}

/* Account the step's CPU time to the allocating thread. */
static inline __attribute__((always_inline)) void
charge(struct z24 *s, struct zs_alloc_req *req, struct z24_ctx *c)
{
	if (c->cost_ns > 0) {
		s->direct_cpu += c->cost_ns;
		if (req->task)
			req->task->cpu_ns += c->cost_ns; /* system time, for badness() */
		if (req->thread)
			zs_thread_charge(req->thread, c->cost_ns);
		c->cost_ns = 0;
	}
}

/*
 * DEVIATION: 2.4.0 keeps no NUMA counters; zsim counts them with 2.6's
 * zone_statistics() definitions so placement can be compared: the preferred zone
 * is the first zone of the start node's zonelist (alloc_pages()' round-robin
 * node), a hit is a block served on that node, `local` the allocating CPU's node.
 */
static inline __attribute__((always_inline)) void
zone_statistics(struct z24 *s, const struct zs_alloc_req *req, struct zs_zone *z)
{
	struct zs_zone *const *zl;
	struct z24_zone *zz = zs24_zone(z);
	int start = (int)req->local[Z24_L_NODE0];
	int local = s->m->cpu_node[zs_cpu_index(s->m, req->cpu)];

	if (z->node == start) {
		zz->numa_hit++;
	} else {
		zz->numa_miss++;
		if (zonelist_of(s, start, req->gfp, &zl) > 0)
			zs24_zone(zl[0])->numa_foreign++;
	}
	if (z->node == local)
		zz->local_node++;
	else
		zz->other_node++;
}

/* End the allocation with pfn, from zone z (NULL: the zone holding pfn) or none.
 * always_inline for pass A's exit; done() below for the others. */
static inline __attribute__((always_inline)) enum zs_alloc_status
done_inline(struct z24 *s, struct zs_alloc_req *req, struct z24_ctx *c, struct zs_zone *z,
	    uint32_t pfn, int path)
{
	charge(s, req, c);
	req->pfn = pfn;
	if (pfn != ZS_NIL)
		zone_statistics(s, req, z ? z : zs_pfn_zone(s->m, pfn));
	if (pfn != ZS_NIL && path <= Z24_P_MIN && req->local[Z24_L_RETRIED])
		path = req->local[Z24_L_RETRIED] == 1 ? Z24_P_RETRY_KSWAPD : Z24_P_RETRY_TFP;
	req->path = path;
	return ZS_ALLOC_DONE;
}

static __attribute__((noinline)) enum zs_alloc_status
done(struct z24 *s, struct zs_alloc_req *req, struct z24_ctx *c, struct zs_zone *z, uint32_t pfn,
     int path)
{
	return done_inline(s, req, c, z, pfn, path);
}

/* __alloc_pages steps 1-3 of a new allocation (zs24_alloc and alloc_pages). */
static inline __attribute__((always_inline)) void
alloc_steps_1_3(struct z24 *s, struct zs_alloc_req *req, uint32_t gfp, unsigned order, int pfm)
{
	/* 1. Allocations put pressure on the VM subsystem. */
	s->memory_pressure++;
	/* 2. KERNEL: 2.4.0 mm/page_alloc.c: may we take pages from inactive_clean? */
	req->local[Z24_L_DIRECT] = order == 0 && (gfp & GFP24_WAIT) && !pfm;
	req->local[Z24_L_RETRIED] = 0;
	/*
	 * 3. kswapd, or else bdflush.  The shortage tests only read state, so the two
	 * kept sums are read once for both, and free_shortage() (a walk of the zones)
	 * only where the answer depends on it: the kernel's
	 *   if (inactive_shortage() > inactive_target / 2 && free_shortage())
	 *           wakeup_kswapd(0);
	 *   else if (free_shortage() && nr_inactive_dirty_pages > free_shortage()
	 *            && nr_inactive_dirty_pages >= freepages.high)
	 *           wakeup_bdflush(0);
	 * with the cheap comparison of the second test first.
	 */
	{
		uint64_t nr_free = zs24_nr_free_pages(s), nr_clean = zs24_nr_inactive_clean_pages(s);
		uint64_t fs;

		if (zs24_inactive_shortage_of(s, nr_free, nr_clean) > zs24_inactive_target(s) / 2) {
			fs = zs24_free_shortage_of(s, nr_free, nr_clean);
			if (fs)
				zs24_wakeup_kswapd(s);
		} else if (s->inactive_dirty.count >= s->freepages_high) {
			fs = zs24_free_shortage_of(s, nr_free, nr_clean);
			if (fs && s->inactive_dirty.count > fs)
				zs24_wakeup_bdflush(s, 0);
		}
	}
}

/*
 * __alloc_pages over each node's zonelist; returns DONE (served or failed on every
 * node) or BLOCKED.  after_pass_a: zs24_alloc ran steps 1-4 of a new allocation on
 * the only node and pass A found nothing, so go on at step 5.
 */
static __attribute__((noinline)) enum zs_alloc_status
alloc_pages(struct zs_vm *vm, struct zs_alloc_req *req, int after_pass_a)
{
	struct z24 *s = zs24_state(vm);
	struct z24_ctx c = {req->thread, req->task, current_pfm(req), 0, 0, 0};
	struct zs_zone *const *zl;
	unsigned order = req->order;
	uint32_t gfp = req->gfp;
	struct zs_zone *from;
	uint32_t pfn;
	int nz, node;

	if (req->step == Z24_S_ENTRY && req->local[Z24_L_NODEI] == 0 && !after_pass_a) {
		/* KERNEL: 2.4.0 mm/numa.c alloc_pages(): round-robin start node */
		if (s->m->nr_nodes > 1) {
			req->local[Z24_L_NODE0] = s->numa_next % (unsigned)s->m->nr_nodes;
			s->numa_next = (unsigned)req->local[Z24_L_NODE0] + 1;
		} else {
			req->local[Z24_L_NODE0] = 0;
		}
		if (req->kind == ZS_KIND_BUFFER && order == 0) {
			/* KERNEL: 2.4.0 fs/buffer.c refill_freelist(): balance_dirty, a
			 * launder without I/O on a free shortage, then grow_buffers()
			 * allocates with GFP_BUFFER whatever the caller's mask */
			zs24_balance_dirty(s);
			if (zs24_free_shortage(s))
				zs24_page_launder(s, GFP24_BUFFER, 0, &c);
			gfp = req->gfp = GFP24_BUFFER;
		}
	}
next_node:
	node = (int)(req->local[Z24_L_NODE0] + req->local[Z24_L_NODEI]);
	if (node >= s->m->nr_nodes) /* both are < nr_nodes: one wrap at most (no division) */
		node -= s->m->nr_nodes;
	nz = zonelist_of(s, node, gfp, &zl);
	if (nz == 0)
		goto node_failed;

	if (after_pass_a)
		goto pass_a_failed;
	/* a new allocation (nearly every call) skips the dispatch's jump table */
	if (req->step != Z24_S_ENTRY) {
		switch (req->step) {
		case Z24_S_ENTRY:
			break;
		case Z24_S_TRY_AGAIN:
			goto try_again;
		case Z24_S_PASS_D:
			goto pass_d;
		case Z24_S_HO_RECLAIM:
			goto ho_reclaim;
		case Z24_S_AFTER_KSWAPD:
			goto after_kswapd;
		case Z24_S_AFTER_TFP:
			goto try_again;
		case Z24_S_FINAL:
			goto final;
		default:
			ZS_BUG_ON(1);
		}
	}

	alloc_steps_1_3(s, req, gfp, order, c.pfm);

try_again:
	/* 4. Pass A: zones with lots of free memory. */
	pfn = pass_a(s, zl, nz, order, &from);
	if (pfn != ZS_NIL)
		return done(s, req, &c, from, pfn, Z24_P_PASSA);
pass_a_failed:
	/* 5, 6. free + inactive_clean above pages_high, then pages_low */
	pfn = zs24_alloc_pages_limit(s, zl, nz, order, Z24_PAGES_HIGH, (int)req->local[Z24_L_DIRECT], &c);
	if (pfn != ZS_NIL)
		return done(s, req, &c, NULL, pfn, Z24_P_HIGH);
	pfn = zs24_alloc_pages_limit(s, zl, nz, order, Z24_PAGES_LOW, (int)req->local[Z24_L_DIRECT], &c);
	if (pfn != ZS_NIL)
		return done(s, req, &c, NULL, pfn, Z24_P_LOW);
	/* 7. wake kswapd, and yield the CPU if we may sleep */
	zs24_wakeup_kswapd(s);
	if ((gfp & GFP24_WAIT) && req->thread) {
		s->alloc_r++;
		req->step = Z24_S_PASS_D;
		charge(s, req, &c);
		zs_thread_yield(req->thread);
		return ZS_ALLOC_BLOCKED;
	}
pass_d:
	c.pfm = current_pfm(req);
	/* 8. any zone that is not critical yet */
	pfn = zs24_alloc_pages_limit(s, zl, nz, order, Z24_PAGES_MIN, (int)req->local[Z24_L_DIRECT], &c);
	if (pfn != ZS_NIL)
		return done(s, req, &c, NULL, pfn, Z24_P_MIN);
	/* 9. */
	if (!c.pfm) {
		if (order > 0 && (gfp & GFP24_WAIT)) {
			/* 9a. high order: launder with PF_MEMALLOC, then move clean pages
			 * into the buddy lists one by one, retrying rmqueue each time */
			s->highorder_tries++;
			c.pfm = 1;
			zs24_page_launder(s, gfp, 1, &c);
			c.pfm = 0;
			if (c.io_until > zs_now(vm->engine) && req->thread) {
				req->step = Z24_S_HO_RECLAIM;
				charge(s, req, &c);
				zs24_sleep_until(req->thread, c.io_until);
				return ZS_ALLOC_BLOCKED;
			}
ho_reclaim:
			for (int i = 0; i < nz; i++) {
				struct zs_zone *z = zl[i];

				while (zs24_zone(z)->inactive_clean.count) {
					uint32_t r = zs24_reclaim_page(s, z, &c);

					if (r == ZS_NIL)
						break;
					zs24_free_pages_ok(s, r, 0);
					pfn = zs24_rmqueue(s, z, order);
					if (pfn != ZS_NIL)
						return done(s, req, &c, z, served(z, pfn, order),
							    Z24_P_HIGHORDER);
				}
			}
		}
		if ((gfp & (GFP24_WAIT | GFP24_IO)) == (GFP24_WAIT | GFP24_IO) && req->thread) {
			/* 9b. wakeup_kswapd(1): sleep on kswapd_done until its next loop */
			req->step = Z24_S_AFTER_KSWAPD;
			s->kswapd_done_waits++;
			charge(s, req, &c);
			zs_thread_wait(req->thread, &s->kswapd_done, ZS_FOREVER);
			zs24_wakeup_kswapd(s);
			return ZS_ALLOC_BLOCKED;
		} else if (gfp & GFP24_WAIT) {
			/* 9c. no IO allowed: free pages ourselves */
			zs24_try_to_free_pages(s, gfp, &c);
			s->memory_pressure++;
			if (order == 0) {
				req->local[Z24_L_RETRIED] = 2;
				if (req->thread) {
					req->step = Z24_S_AFTER_TFP;
					charge(s, req, &c);
					zs_thread_yield(req->thread);
					return ZS_ALLOC_BLOCKED;
				}
				goto try_again;
			}
		}
	}
	goto final;

after_kswapd:
	s->memory_pressure++;
	if (order == 0) {
		req->local[Z24_L_RETRIED] = 1;
		goto try_again;
	}

final:
	/* 10. Final phase: allocate anything we can. */
	c.pfm = current_pfm(req);
	for (int i = 0; i < nz; i++) {
		struct zs_zone *z = zl[i];

		/* SUBTLE: direct_reclaim survives only for a task that became PF_MEMALLOC
		 * while looping above: an OOM victim */
		if (req->local[Z24_L_DIRECT]) {
			pfn = zs24_reclaim_page(s, z, &c);
			if (pfn != ZS_NIL)
				return done(s, req, &c, z, served(z, pfn, 0), Z24_P_FINAL_RECLAIM);
		}
		if (z->free_pages < z->pages_min / 4 && !c.pfm)
			continue;
		pfn = zs24_rmqueue(s, z, order);
		if (pfn != ZS_NIL)
			return done(s, req, &c, z, served(z, pfn, order), Z24_P_FINAL);
	}

node_failed:
	/* 11. "__alloc_pages: %lu-order allocation failed." on this node */
	if (req->local[Z24_L_NODEI] + 1 < s->m->nr_nodes) {
		req->local[Z24_L_NODEI]++;
		req->step = Z24_S_ENTRY;
		goto next_node;
	}
	if (order == 0 && req->task && req->kind == ZS_KIND_ANON && req->task->alive &&
	    !req->task->killed && !(req->task->flags & ZS_PF_KTHREAD)) {
		/* KERNEL: 2.4.0 arch/i386/mm/fault.c do_page_fault(): out of memory in
		 * a user fault, "VM: killing process <comm>" (no badness()) */
		s->vm_kills++;
		zs_vm_kill_task(vm, req->task, "vm_kill");
	}
	return done(s, req, &c, NULL, ZS_NIL, Z24_P_FAIL);
}

enum zs_alloc_status
zs24_alloc(struct zs_vm *vm, struct zs_alloc_req *req)
{
	struct z24 *s = zs24_state(vm);
	struct zs_zone *const *zl;
	struct zs_zone *from;
	uint32_t pfn;
	int nz;

	/* a resumed call, several nodes, a buffer-cache refill: the whole function */
	if (req->step != Z24_S_ENTRY || req->local[Z24_L_NODEI] != 0 || s->m->nr_nodes != 1 ||
	    (req->kind == ZS_KIND_BUFFER && req->order == 0))
		return alloc_pages(vm, req, 0);
	nz = zonelist_of(s, 0, req->gfp, &zl);
	if (nz == 0)
		return alloc_pages(vm, req, 0);
	/* a new allocation on the only node: alloc_pages' first steps, pass A inline */
	struct z24_ctx c = {req->thread, req->task, current_pfm(req), 0, 0, 0};

	req->local[Z24_L_NODE0] = 0; /* KERNEL: 2.4.0 mm/numa.c alloc_pages(): one node */
	alloc_steps_1_3(s, req, req->gfp, req->order, c.pfm);
	/* 4. Pass A: zones with lots of free memory. */
	pfn = pass_a(s, zl, nz, req->order, &from);
	if (pfn != ZS_NIL)
		return done_inline(s, req, &c, from, pfn, Z24_P_PASSA);
	return alloc_pages(vm, req, 1);
}
