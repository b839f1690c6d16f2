/*
 * test_24_filemap.c - 2.4.0 reads through the page cache: the read-ahead
 * context of do_generic_file_read / generic_file_readahead and drop_behind.
 */
#include "tests/test_24_util.h"

#define MIB(x) ((uint64_t)(x) * 256u)

static struct t24 T;
static struct zs_zone *N;
static struct zs_task *R;

static void
setup(void)
{
	t24_boot(&T, MIB(16), MIB(16), 0, MIB(16));
	N = t24_zone(&T, ZS_ZONE_NORMAL);
	R = zs_vm_task_new(T.vm, "cat", 0);
}

static void
teardown(void)
{
	t24_fini(&T);
}

TestSuite(filemap24, .init = setup, .fini = teardown);

/* The reader reads page `handle` of its file for the first time (a miss). */
static uint32_t
read_new(uint64_t handle)
{
	uint32_t b = zs_pagemap_insert(T.vm->pagemap, zs_pagemap_key(0, handle));
	struct zs_binding *bd = zs_pagemap_at(T.vm->pagemap, b);
	uint32_t pfn = zs24_rmqueue(T.s, N, 0);
	struct zs_page *p = &T.m->pages[pfn];

	cr_assert_neq(pfn, ZS_NIL);
	bd->task = R->id;
	bd->ps = pfn;
	bd->state = ZS_BIND_RESIDENT;
	bd->kind = ZS_KIND_FILE_CLEAN;
	bd->tnext = bd->tprev = ZS_NIL;
	p->kind = ZS_KIND_FILE_CLEAN;
	p->flags |= ZS_PG_BOUND;
	p->owner = b;
	zs24_page_added(T.vm, pfn);
	return pfn;
}

static uint8_t
list_of(uint32_t pfn)
{
	return T.m->pages[pfn].list;
}

Test(filemap24, sequential_reads_deactivate_the_pages_behind_the_window)
{
	uint32_t pfn[50];

	/* KERNEL: 2.4.0 generic_file_readahead(): read-aheads at pages 0, 1, 4, 11, 24
	 * and 49; the one at 24 drops 0..23 behind (window 57), at 49 0..48 (window 64) */
	for (int i = 0; i < 49; i++)
		pfn[i] = read_new((uint64_t)i);
	for (int i = 0; i < 24; i++)
		cr_assert_eq(list_of(pfn[i]), Z24_LST_INACTIVE_DIRTY, "page %d", i);
	for (int i = 24; i < 49; i++)
		cr_assert_eq(list_of(pfn[i]), Z24_LST_ACTIVE, "page %d", i);
	pfn[49] = read_new(49);
	for (int i = 0; i < 49; i++)
		cr_assert_eq(list_of(pfn[i]), Z24_LST_INACTIVE_DIRTY, "page %d", i);
	cr_assert_eq(list_of(pfn[49]), Z24_LST_ACTIVE, "the page being read stays active");
	cr_assert_eq(T.m->pages[pfn[0]].age, 0);
}

Test(filemap24, drop_behind_stops_at_a_page_not_in_the_cache)
{
	uint32_t pfn[25];

	for (int i = 0; i < 25; i++)
		pfn[i] = read_new((uint64_t)i);
	/* the read-ahead at 24 dropped 0..23 */
	for (int i = 0; i < 24; i++)
		cr_assert_eq(list_of(pfn[i]), Z24_LST_INACTIVE_DIRTY, "page %d", i);
	/* the reader skips 29: the read-ahead at 49 walks back to 30 and stops there */
	uint32_t more[25];
	for (int i = 25; i < 50; i++)
		if (i != 29)
			more[i - 25] = read_new((uint64_t)i);
	for (int i = 30; i < 49; i++)
		cr_assert_eq(list_of(more[i - 25]), Z24_LST_INACTIVE_DIRTY, "page %d", i);
	for (int i = 25; i < 29; i++)
		cr_assert_eq(list_of(more[i - 25]), Z24_LST_ACTIVE, "page %d is beyond the gap", i);
}

Test(filemap24, scattered_reads_and_rereads_keep_pages_active)
{
	uint32_t a = read_new(100), b = read_new(300), c = read_new(500);

	/* each read starts a fresh context; its 3-page window behind holds nothing */
	cr_assert_eq(list_of(a), Z24_LST_ACTIVE);
	cr_assert_eq(list_of(b), Z24_LST_ACTIVE);
	uint32_t d = read_new(501);
	/* a hit outside the window (a re-read of page 100) reads nothing ahead */
	zs24_touch(T.vm, a);
	cr_assert_eq(list_of(a), Z24_LST_ACTIVE);
	cr_assert_eq(list_of(d), Z24_LST_ACTIVE);
	cr_assert_eq(list_of(c), Z24_LST_INACTIVE_DIRTY,
		     "501 continues 500's read: its read-ahead drops 500 behind");
}
