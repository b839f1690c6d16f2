/*
 * test_check_walk.c - the invariant checker's cadence (zs_vm_check_event):
 * every ZS_CHECK_FULL_EVERY-th call walks every page and swap slot; of the
 * others every ZS_CHECK_IN_USE_EVERY-th walks the pages in use (skipping the
 * tails of free buddy blocks); the rest check the counters and the ends of the
 * lists.  zs_vm_check always does it all.  Checks that each corruption is seen
 * at the depth that should see it, and not before: the cadence is what it says.
 */
#include "tests/test_26_util.h"

#include "alloc/vm.h"
#include "sim/cfg.h"
#include "sim/driver.h"
#include "sim/scenario.h"

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

/* Counters-only calls before the next in-use walk, after `done` calls of check_event. */
static int
until_in_use(int done)
{
	return ZS_CHECK_IN_USE_EVERY - done % ZS_CHECK_IN_USE_EVERY;
}

/* An order-0 page taken from the buddy and marked allocated, as a model would leave it. */
static uint32_t
allocated_page(struct t26 *t)
{
	uint32_t pfn = zs26_rmqueue(t->vm, &t->m->zones[0], 0, ZS26_MT_MOVABLE);

	cr_assert_neq(pfn, ZS_NIL);
	t->m->pages[pfn].flags |= ZS_PG_HEAD;
	t->m->pages[pfn].order = 0;
	return pfn;
}

Test(zs_check_walk, pages_in_use_are_checked_on_every_in_use_pass)
{
	struct t26 t = boot();
	struct zs_page *p = &t.m->pages[allocated_page(&t)];
	struct zs_error err = {0};

	cr_assert_eq(check_event(&t), 0);
	cr_assert_eq(check_event(&t), 0, "a counters-only pass over a sound state");
	p->flags |= ZS_PG_LRU; /* marked LRU, on no LRU list: only a page walk sees it */
	cr_assert_eq(zs_vm_check(t.vm, &err), -1);
	for (int i = 0; i < until_in_use(2); i++)
		cr_assert_eq(check_event(&t), 0, "call %d checks counters only", 2 + i);
	cr_assert_eq(check_event(&t), -1, "call %d walks the pages in use", ZS_CHECK_IN_USE_EVERY);
	t26_free(&t);
}

/* A bound page whose binding its key no longer finds (a keeper or index out of step). */
Test(zs_check_walk, a_binding_lost_by_its_key_is_caught_on_every_full_pass)
{
	struct t26 t = boot();
	uint32_t pfn = allocated_page(&t);
	struct zs_page *p = &t.m->pages[pfn];
	struct zs_error err = {0};

	t26_bind(&t, NULL, pfn, ZS_KIND_KERNEL, zs_pagemap_key(0, 77));
	cr_assert_eq(check_event(&t), 0, "the first call is a full pass over a sound state");
	struct zs_binding *bd = zs_pagemap_at(t.vm->pagemap, p->owner);
	uint32_t key_lo = bd->key_lo;

	bd->key_lo = 78; /* the index still files it under 77 */
	cr_assert_eq(zs_vm_check(t.vm, &err), -1);
	cr_assert_not_null(strstr(err.msg, "not found by its key"), "%s", err.msg);
	for (int i = 1; i < ZS_CHECK_FULL_EVERY; i++)
		cr_assert_eq(check_event(&t), 0, "call %d is no full pass", i);
	cr_assert_eq(check_event(&t), -1, "call %d is a full pass", ZS_CHECK_FULL_EVERY);
	bd->key_lo = key_lo;
	cr_assert_eq(zs_vm_check(t.vm, &err), 0, "%s", err.msg);
	t26_free(&t);
}

Test(zs_check_walk, a_broken_counter_is_caught_on_every_pass)
{
	struct t26 t = boot();
	struct zs_zone *z = &t.m->zones[0];
	struct zs26_zone *zz = zs26_zone(z);
	struct zs_error err = {0};

	cr_assert_eq(check_event(&t), 0);
	cr_assert_eq(check_event(&t), 0);
	z->free_pages++;
	cr_assert_eq(zs_vm_check_event(t.vm, &err), -1, "free_pages against the free lists");
	cr_assert_not_null(strstr(err.msg, "free_pages"), "%s", err.msg);
	z->free_pages--;
	zz->pageset[0].pcp[0].count++;
	cr_assert_eq(zs_vm_check_event(t.vm, &err), -1, "a pcp count against its lists");
	zz->pageset[0].pcp[0].count--;
	zz->lru.lru[ZS26_LRU_INACTIVE_FILE].count++;
	cr_assert_eq(zs_vm_check_event(t.vm, &err), -1, "an LRU count against its ends");
	cr_assert_not_null(strstr(err.msg, "bad ends"), "%s", err.msg);
	zz->lru.lru[ZS26_LRU_INACTIVE_FILE].count--;
	zz->pb_count[ZS26_MT_MOVABLE]++;
	cr_assert_eq(zs_vm_check_event(t.vm, &err), -1, "the pageblock counts");
	zz->pb_count[ZS26_MT_MOVABLE]--;
	cr_assert_eq(zs_vm_check_event(t.vm, &err), 0, "%s", err.msg);
	t26_free(&t);
}

Test(zs_check_walk, a_free_lists_broken_end_is_caught_on_every_pass)
{
	struct t26 t = boot();
	struct zs_zone *z = &t.m->zones[0];
	uint32_t head = free_block(z);
	struct zs_error err = {0};

	cr_assert_eq(check_event(&t), 0);
	cr_assert_eq(check_event(&t), 0);
	t.m->pages[head].prev = head + 2; /* the list's head points back into a block */
	cr_assert_eq(zs_vm_check_event(t.vm, &err), -1);
	cr_assert_not_null(strstr(err.msg, "bad ends"), "%s", err.msg);
	t.m->pages[head].prev = ZS_NIL;
	t26_free(&t);
}

Test(zs_check_walk, a_page_marked_free_off_the_free_lists_is_caught_by_the_first_walk)
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
	cr_assert_eq(check_event(&t), 0);
	/* a block head no free list holds: a skipping walk would jump over pages in use */
	t.m->pages[a].flags = ZS_PG_BUDDY;
	for (int i = 0; i < until_in_use(2); i++)
		cr_assert_eq(check_event(&t), 0, "no page walk on call %d", 2 + i);
	cr_assert_eq(zs_vm_check_event(t.vm, &err), -1, "the first walk, skipping, catches it");
	cr_assert_not_null(strstr(err.msg, "free block heads"), "%s", err.msg);
	t26_free(&t);
}

Test(zs_check_walk, with_check_in_use_every_1_each_call_walks_the_pages_in_use)
{
	struct t26 t = boot();
	struct zs_zone *z = &t.m->zones[0];
	uint32_t pfn = zs26_rmqueue(t.vm, z, 0, ZS26_MT_MOVABLE);
	struct zs_page *p = &t.m->pages[pfn];

	t.vm->check_in_use_every = 1; /* output.check: full */
	p->flags |= ZS_PG_HEAD;
	p->order = 0;
	cr_assert_eq(check_event(&t), 0);
	cr_assert_eq(check_event(&t), 0);
	p->flags |= ZS_PG_LRU;
	cr_assert_eq(check_event(&t), -1, "the call right after the corruption");
	t26_free(&t);
}

/* output.check picks the cadence of the run's checker. */
static uint32_t
in_use_every(const char *check)
{
	char text[256];
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	struct zs_cfg *root;
	struct zs_run *r;
	uint32_t every;

	snprintf(text, sizeof(text),
		 "machine: {memory: 16MiB}\nkernel: {version: \"2.6.32\"}\nduration: 1ms\n"
		 "output: {check: %s}\n", check);
	root = zs_cfg_load_string("t.yaml", text, &err);
	cr_assert(root, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(&sc, root, "t.yaml", NULL, &err), 0, "%s", err.msg);
	r = zs_run_create(&sc, &err);
	cr_assert(r, "%s", err.msg);
	every = zs_run_vm(r)->check_in_use_every;
	zs_run_destroy(r);
	zs_cfg_free(root);
	return every;
}

Test(zs_check_walk, output_check_full_walks_the_pages_in_use_after_every_event)
{
	cr_assert_eq(in_use_every("true"), ZS_CHECK_IN_USE_EVERY);
	cr_assert_eq(in_use_every("full"), 1);
}
