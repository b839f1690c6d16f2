/* test_pagemap.c - the binding index under insert / remove churn, against a plain array. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "alloc/page.h"
#include "alloc/pagemap.h"

#define NKEYS 20000u

/* A fixed 64-bit LCG: the test's own sequence, nothing to do with the simulator's streams. */
static uint64_t
next(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

/*
 * Keys in runs of neighbouring handles (which share home slots in groups of 8)
 * from two sources, inserted and removed at random through several index
 * growths: after every step each key is found exactly when it is bound, at the
 * index it was given, and the binding still carries its key.  Backward-shift
 * deletion that dropped or stranded an entry of a probe run would fail here.
 */
Test(pagemap, churn_against_reference)
{
	struct zs_pagemap *pm = zs_pagemap_create();
	uint32_t *ref = malloc(NKEYS * sizeof(*ref));
	uint64_t s = 42, live = 0;

	cr_assert(ref);
	for (uint32_t i = 0; i < NKEYS; i++)
		ref[i] = ZS_NIL;
	for (int step = 0; step < 200000; step++) {
		uint32_t i = (uint32_t)(next(&s) % NKEYS);
		/* half the keys in one dense run, the rest scattered over two sources */
		uint64_t key = i < NKEYS / 2 ? zs_pagemap_key(0, 4096 + i)
					     : zs_pagemap_key(1, (uint64_t)i * 977);
		uint32_t b = zs_pagemap_find(pm, key);

		cr_assert_eq(b, ref[i], "step %d key %u: found %u, bound %u", step, i, b, ref[i]);
		if (b == ZS_NIL) {
			ref[i] = zs_pagemap_insert(pm, key);
			cr_assert_eq(zs_pagemap_at(pm, ref[i])->key, key);
			live++;
		} else if (next(&s) % 3) { /* remove more often than keep: runs form and break */
			zs_pagemap_remove(pm, b);
			ref[i] = ZS_NIL;
			live--;
		}
		cr_assert_eq(zs_pagemap_count(pm), live);
		if (step % 20000 == 0)
			for (uint32_t j = 0; j < NKEYS; j++) {
				uint64_t kj = j < NKEYS / 2 ? zs_pagemap_key(0, 4096 + j)
							    : zs_pagemap_key(1, (uint64_t)j * 977);
				cr_assert_eq(zs_pagemap_find(pm, kj), ref[j], "key %u after step %d", j, step);
			}
	}
	free(ref);
	zs_pagemap_destroy(pm);
}

/* Bind key 8192 + i when it is not bound, else remove it. */
static void
toggle(struct zs_pagemap *pm, uint32_t *ref, uint32_t i)
{
	if (ref[i] == ZS_NIL) {
		ref[i] = zs_pagemap_insert(pm, zs_pagemap_key(0, 8192 + i));
	} else {
		zs_pagemap_remove(pm, ref[i]);
		ref[i] = ZS_NIL;
	}
}

/*
 * The same against the reference, but each insert or remove follows a find of some
 * other key about half the time (and finds of one key between mutations are
 * repeated or skipped, or another key changes between a find and the change of
 * its key), so the slot a find remembers is used only when it is still
 * the right one: a stale hint would place a key off its probe run or remove the
 * wrong entry, and a later find would miss it.
 */
Test(pagemap, remembered_slot_only_when_current)
{
	struct zs_pagemap *pm = zs_pagemap_create();
	uint32_t *ref = malloc(NKEYS * sizeof(*ref));
	uint64_t s = 7;

	cr_assert(ref);
	for (uint32_t i = 0; i < NKEYS; i++)
		ref[i] = ZS_NIL;
	for (int step = 0; step < 200000; step++) {
		uint32_t i = (uint32_t)(next(&s) % NKEYS), j = (uint32_t)(next(&s) % NKEYS);
		uint64_t key = zs_pagemap_key(0, 8192 + i);

		if (next(&s) % 2) /* a find of another key in between */
			cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(0, 8192 + j)), ref[j]);
		toggle(pm, ref, i);
		if (j != i && next(&s) % 2) /* and j's after that: what its find saw has changed */
			toggle(pm, ref, j);
		cr_assert_eq(zs_pagemap_find(pm, key), ref[i], "step %d key %u", step, i);
		cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(0, 8192 + j)), ref[j], "step %d", step);
	}
	for (uint32_t i = 0; i < NKEYS; i++)
		cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(0, 8192 + i)), ref[i], "key %u", i);
	free(ref);
	zs_pagemap_destroy(pm);
}
