/*
 * test_26_reclaim_util.h - helpers for the 2.6 reclaim tests: a one-zone
 * 64 MiB machine with swap and a fast disk, pages of a chosen kind put on the
 * LRU the way the driver does (allocate, bind, page_added), and the page
 * order of an LRU list.  Everything is static: each test file gets its copy.
 */
#ifndef ZS_TEST_26_RECLAIM_UTIL_H
#define ZS_TEST_26_RECLAIM_UTIL_H

#include "tests/test_26_util.h"

static const enum zs_zone_type R_NORMAL[] = {ZS_ZONE_NORMAL};
static const uint64_t R_PAGES_64M[] = {16384, 0};
static const struct zs_policy_ops *const R_BOTH[] = {&zs_policy_2618, &zs_policy_2632};

#define R_MS (1000 * 1000LL)

/* 64 MiB Normal zone (min 256, low 320, high 384), `swap` slots, a 1 ms / 100 MiB/s disk. */
static inline struct t26
r_boot(const struct zs_policy_ops *ops, uint64_t swap, const char *kcfg)
{
	struct zs_machine_spec s;

	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, 1, R_NORMAL, R_PAGES_64M);
	s.swap_pages = swap;
	s.disk_latency_ns = 1000000;
	s.disk_bandwidth_bps = 100ull << 20;
	return t26_boot_spec(ops, &s, kcfg);
}

static inline struct zs_zone *
r_zone(struct t26 *t)
{
	return &t->m->zones[0];
}

static inline struct zs26_lruvec *
r_lv(struct t26 *t)
{
	return &zs26_zone(r_zone(t))->lru;
}

/* One page of `kind` bound to tk (or ownerless) and handed to page_added, like the driver. */
static inline uint32_t
r_page(struct t26 *t, enum zs_page_kind kind, struct zs_task *tk, uint64_t key)
{
	uint32_t pfn = zs26_rmqueue(t->vm, r_zone(t), 0, ZS26_MT_MOVABLE);

	cr_assert_neq(pfn, ZS_NIL);
	t26_bind(t, tk, pfn, kind, key);
	t->vm->ops->page_added(t->vm, pfn);
	return pfn;
}

/* n pages of kind, then the CPU's pagevecs drained onto the lists; first pfn in *first. */
static inline void
r_pages(struct t26 *t, enum zs_page_kind kind, struct zs_task *tk, unsigned n, uint64_t key0,
	uint32_t *pfns)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t pfn = r_page(t, kind, tk, key0 + i);

		if (pfns)
			pfns[i] = pfn;
	}
	zs26_lru_add_drain(t->vm, 0);
}

/* The pfns of lru list l from head (newest) to tail; returns how many (at most max). */
static inline unsigned
r_list(struct t26 *t, int l, uint32_t *out, unsigned max)
{
	unsigned n = 0;

	for (uint32_t pfn = r_lv(t)->lru[l].head; pfn != ZS_NIL && n < max;
	     pfn = t->m->pages[pfn].next)
		out[n++] = pfn;
	return n;
}

/* A direct-reclaim scan_control for GFP_KERNEL on CPU 0. */
static inline struct zs26_sc
r_sc(struct t26 *t)
{
	struct zs26_sc sc;

	memset(&sc, 0, sizeof(sc));
	sc.gfp_mask = GFP26_KERNEL;
	sc.may_writepage = sc.may_swap = sc.may_unmap = 1;
	sc.swappiness = zs26_of(t->vm)->rc.swappiness;
	return sc;
}

/* Isolate one LRU page onto a private list, as isolate_lru_pages would. */
static inline void
r_isolate(struct t26 *t, uint32_t pfn, struct zs_list *l)
{
	zs26_del_page_from_lru(t->vm, pfn);
	t->m->pages[pfn].flags &= ~ZS_PG_ACTIVE;
	zs_list_add(t->m->pages, l, pfn, ZS26_LST_ISOLATED);
}

/* Put the survivors of an isolated list back on the lists their flags name. */
static inline void
r_putback(struct t26 *t, struct zs_list *l)
{
	uint32_t pfn;

	while ((pfn = zs_list_pop_tail(t->m->pages, l)) != ZS_NIL)
		zs26_add_page_to_lru(t->vm, pfn, zs26_page_lru(t->vm, &t->m->pages[pfn]));
}

#endif
