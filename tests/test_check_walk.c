/*
 * test_check_walk.c - the invariant checker's cost follows the pages in use:
 * zs_vm_check_event skips the tail pages of free buddy blocks (and the swap
 * cache slot by slot) on all but every ZS_CHECK_FULL_EVERY-th call, while
 * zs_vm_check always walks every page.  Checks that what is skipped is still
 * caught on the next full pass, that pages in use are checked on every pass,
 * and that a page marked free outside the free lists is caught at once.
 */
#include "tests/test_26_util.h"

#include "alloc/vm.h"

static struct t26
boot(void)
{
	static const enum zs_zone_type types[] = {ZS_ZONE_NORMAL};
	static const uint64_t pages[] = {16384, 0};

	return t26_boot(&zs_policy_2632, 1, types, pages, NULL);
}

/* A free block of order >= 1 in z: its head pfn. */
static uint32_t
free_block(struct zs_zone *z)
{
	for (int k = z->max_order - 1; k >= 1; k--)
		for (int mt = 0; mt < ZS_MIGRATE_TYPES; mt++)
			if (z->free_area[k].list[mt].head != ZS_NIL)
				return z->free_area[k].list[mt].head;
	cr_assert_fail("no free block");
	return ZS_NIL;
}

static int
check_event(struct t26 *t)
{
	struct zs_error err = {0};

	return zs_vm_check_event(t->vm, &err);
}

Test(zs_check_walk, a_free_blocks_tail_is_checked_on_every_full_pass)
{
	struct t26 t = boot();
	struct zs_zone *z = &t.m->zones[0];
	uint32_t head = free_block(z);
	struct zs_page *tail = &t.m->pages[head + 1];
	struct zs_error err = {0};

	cr_assert_eq(check_event(&t), 0, "the first call is a full pass over a sound state");
	tail->flags |= ZS_PG_LRU; /* a stray LRU mark inside a free block */
	cr_assert_eq(zs_vm_check(t.vm, &err), -1, "zs_vm_check walks every page");
	for (int i = 1; i < ZS_CHECK_FULL_EVERY; i++)
		cr_assert_eq(check_event(&t), 0, "call %d skips free tails", i);
	cr_assert_eq(check_event(&t), -1, "call %d is a full pass", ZS_CHECK_FULL_EVERY);
	tail->flags &= ~ZS_PG_LRU;
	t26_free(&t);
}

Test(zs_check_walk, pages_in_use_are_checked_on_every_pass)
{
	struct t26 t = boot();
	struct zs_zone *z = &t.m->zones[0];
	uint32_t pfn = zs26_rmqueue(t.vm, z, 0, ZS26_MT_MOVABLE);
	struct zs_page *p = &t.m->pages[pfn];

	cr_assert_neq(pfn, ZS_NIL);
	p->flags |= ZS_PG_HEAD;
	p->order = 0;
	cr_assert_eq(check_event(&t), 0);
	cr_assert_eq(check_event(&t), 0, "a skipping pass over a sound state");
	p->flags |= ZS_PG_LRU; /* marked LRU, on no LRU list */
	cr_assert_eq(check_event(&t), -1, "a skipping pass still sees pages in use");
	t26_free(&t);
}

Test(zs_check_walk, a_page_marked_free_off_the_free_lists_is_caught_at_once)
{
	struct t26 t = boot();
	struct zs_zone *z = &t.m->zones[0];
	uint32_t a = zs26_rmqueue(t.vm, z, 0, ZS26_MT_MOVABLE);
	uint32_t b = zs26_rmqueue(t.vm, z, 0, ZS26_MT_MOVABLE);
	struct zs_error err = {0};

	cr_assert_eq(a ^ 1, b, "the two halves of one split block");
	t.m->pages[a].flags |= ZS_PG_HEAD;
	t.m->pages[a].order = 0;
	t.m->pages[b].flags |= ZS_PG_HEAD;
	t.m->pages[b].order = 0;
	cr_assert_eq(check_event(&t), 0);
	/* a block head no free list holds: a skipping walk would jump over pages in use */
	t.m->pages[a].flags = ZS_PG_BUDDY;
	cr_assert_eq(zs_vm_check_event(t.vm, &err), -1);
	cr_assert_not_null(strstr(err.msg, "free block heads"), "%s", err.msg);
	t26_free(&t);
}
