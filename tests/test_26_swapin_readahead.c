/*
 * test_26_swapin_readahead.c - 2.6 swapin_readahead(): the window each
 * version's valid_swaphandles() picks (2.6.18: from the aligned cluster's start
 * up to the first free slot; 2.6.32: the used run around the target within
 * it), the pages it leaves in the swap cache, unmapped, on the version's list,
 * and a later fault on one of them served from the swap cache.
 */
#include "tests/test_26_reclaim_util.h"

/* Slots 0..15 in use, then slot 5 freed again; 64 MiB, so page_cluster is 3. */
static struct t26
boot_with_slots(int v)
{
	struct t26 t = r_boot(R_BOTH[v], 64, NULL);

	for (int i = 0; i < 16; i++)
		cr_assert_eq(zs_swap_get(&t.vm->swap), (uint32_t)i);
	zs_swap_put(&t.vm->swap, 5);
	return t;
}

/* Which of slots 0..15 hold a swap-cache page, as a bit mask. */
static unsigned
cached_slots(struct t26 *t)
{
	unsigned mask = 0;

	for (uint32_t s = 0; s < 16; s++)
		if (zs26_of(t->vm)->rc.swapcache[s] != ZS_NIL)
			mask |= 1u << s;
	return mask;
}

Test(zs26_readahead, window_per_version)
{
	/* a fault on slot 6: 2.6.18 reads from the cluster's start (slot 1, slot 0 being
	 * the header) up to free slot 5, so 1..4 and not 6 itself; 2.6.32 reads the run
	 * around 6 that stops at 5 below and the window's end above: 6 and 7 */
	static const unsigned want[2] = {0x1eu, 0xc0u};

	for (int v = 0; v < 2; v++) {
		struct t26 t = boot_with_slots(v);
		uint64_t in0 = t.vm->pswpin;

		zs26_swapin_readahead(t.vm, 6, 0);
		cr_assert_eq(cached_slots(&t), want[v], "%s: slots 0x%x", R_BOTH[v]->name,
			     cached_slots(&t));
		cr_assert_eq(t.vm->pswpin - in0, (uint64_t)__builtin_popcount(want[v]),
			     "each page read counts in pswpin");
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_readahead, pages_are_unmapped_swap_cache_on_the_versions_list)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot_with_slots(v);

		zs26_swapin_readahead(t.vm, 10, 0); /* slots 8..15 on both versions */
		cr_assert_eq(cached_slots(&t), 0xff00u);
		for (uint32_t s = 8; s < 16; s++) {
			uint32_t pfn = zs26_of(t.vm)->rc.swapcache[s];
			const struct zs_page *p = &t.m->pages[pfn];

			cr_assert(p->flags & ZS_PG_SWAPCACHE);
			cr_assert_not(p->flags & ZS_PG_MAPPED, "read ahead, nobody maps it yet");
			cr_assert_eq(p->aux, s);
			/* read_swap_cache_async: lru_cache_add_active (2.6.18), _anon (2.6.32) */
			cr_assert_eq(p->list, ZS26_LST_LRU + (v ? ZS26_LRU_INACTIVE_ANON
								: ZS26_LRU_ACTIVE),
				     "drained onto the list by lru_add_drain()");
			cr_assert_eq(t.vm->ops->swap_cache_find(t.vm, s), pfn,
				     "a later fault on slot %u finds it", s);
		}
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_readahead, already_cached_slots_are_not_read_again)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot_with_slots(v);
		uint64_t in0;

		zs26_swapin_readahead(t.vm, 10, 0);
		in0 = t.vm->pswpin;
		zs26_swapin_readahead(t.vm, 12, 0);
		cr_assert_eq(t.vm->pswpin, in0, "every slot of the window is cached already");
		cr_assert_eq(cached_slots(&t), 0xff00u);
		t26_check(&t);
		t26_free(&t);
	}
}
