/* test_pagemap.c - the binding index under insert / remove churn, against a plain array. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "alloc/machine.h"
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
			cr_assert_eq(zs_pagemap_key_of(pm, ref[i]), key);
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

/*
 * Handles all at one offset in their group of 8 (a stride of 8), to near the
 * index's 7/8 load and through its growths: the probe sequences of one slot of
 * the blocks would fill long before the index did if the offset were not
 * permuted by the group's hash and a sequence did not go on into the next
 * (an insert would never find an empty slot).  Every key is found, then every
 * other one is removed and the rest are still found.
 */
Test(pagemap, one_offset_spreads_over_every_slot)
{
	struct zs_pagemap *pm = zs_pagemap_create();
	enum { N = 229000 }; /* 7/8 of 2^18, less a little */
	uint32_t *ref = malloc(N * sizeof(*ref));

	cr_assert(ref);
	for (uint32_t i = 0; i < N; i++)
		ref[i] = zs_pagemap_insert(pm, zs_pagemap_key(0, (uint64_t)i * 8));
	for (uint32_t i = 0; i < N; i++)
		cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(0, (uint64_t)i * 8)), ref[i], "key %u", i);
	for (uint32_t i = 0; i < N; i += 2)
		zs_pagemap_remove(pm, ref[i]);
	for (uint32_t i = 0; i < N; i++)
		cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(0, (uint64_t)i * 8)),
			     i % 2 ? ref[i] : ZS_NIL, "key %u after the removals", i);
	cr_assert_eq(zs_pagemap_count(pm), N / 2);
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

/*
 * The packed small fields: each holds its largest value without touching its
 * neighbours, for every state and kind and the largest order a model uses.
 */
Test(pagemap, packed_fields_hold_their_ranges)
{
	struct zs_pagemap *pm = zs_pagemap_create();
	uint32_t b = zs_pagemap_insert(pm, zs_pagemap_key(3, 77));
	struct zs_binding *bd = zs_pagemap_at(pm, b);
	const unsigned states[] = {ZS_BIND_FREE, ZS_BIND_RESIDENT, ZS_BIND_SWAPPED,
				   ZS_BIND_EVICTED, ZS_BIND_PENDING};

	cr_assert_eq(bd->state, ZS_BIND_PENDING);
	cr_assert_eq(bd->order, 0);
	cr_assert_eq(bd->dirty, 0);
	cr_assert_eq(zs_pagemap_gfp(pm, b), 0, "a new binding's gfp is 0");
	zs_pagemap_set_gfp(pm, b, 0xdeadbeef);
	for (unsigned s = 0; s < sizeof(states) / sizeof(states[0]); s++)
		for (unsigned k = 0; k < ZS_NR_KINDS; k++)
			for (unsigned o = 0; o < ZS_MAX_ORDER_LIMIT; o++)
				for (unsigned d = 0; d < 2; d++) {
					bd->state = states[s];
					bd->kind = k;
					bd->order = o;
					bd->dirty = d;
					bd->ps = 0xfffffffe;
					bd->tprev = 0x12345678;
					cr_assert_eq(bd->state, states[s]);
					cr_assert_eq(bd->kind, k);
					cr_assert_eq(bd->order, o);
					cr_assert_eq(bd->dirty, d);
					cr_assert_eq(bd->tprev, 0x12345678);
					cr_assert_eq(zs_pagemap_key_of(pm, b), zs_pagemap_key(3, 77));
					cr_assert_eq(zs_pagemap_gfp(pm, b), 0xdeadbeef,
						     "state %u kind %u order %u dirty %u", s, k, o, d);
				}
	/* the largest order of any model, 2.6's MAX_ORDER - 1 = 10, is not truncated */
	bd->order = ZS_MAX_ORDER_LIMIT - 1;
	cr_assert_eq(bd->order, 10);
	cr_assert_eq(sizeof(struct zs_binding), 24);
	zs_pagemap_destroy(pm);
}

/* Bindings keep their own masks; a removed binding's slot comes back with gfp 0. */
Test(pagemap, gfp_masks_interned)
{
	struct zs_pagemap *pm = zs_pagemap_create();
	uint32_t b[64];

	for (uint32_t i = 0; i < 64; i++) {
		b[i] = zs_pagemap_insert(pm, zs_pagemap_key(0, i));
		zs_pagemap_set_gfp(pm, b[i], (i % 5) * 0x10001u); /* five masks, 0 among them */
	}
	for (uint32_t i = 0; i < 64; i++)
		cr_assert_eq(zs_pagemap_gfp(pm, b[i]), (i % 5) * 0x10001u, "binding %u", i);
	cr_assert_eq(zs_pagemap_gfp_count(pm), 5);
	zs_pagemap_set_gfp(pm, b[7], 0x20000u); /* a changed mask */
	cr_assert_eq(zs_pagemap_gfp(pm, b[7]), 0x20000u);
	cr_assert_eq(zs_pagemap_gfp(pm, b[6]), 0x10001u);
	zs_pagemap_remove(pm, b[9]);
	uint32_t n = zs_pagemap_insert(pm, zs_pagemap_key(1, 9));
	cr_assert_eq(n, b[9], "the freed slot is reused");
	cr_assert_eq(zs_pagemap_gfp(pm, n), 0);
	cr_assert_not(zs_pagemap_gfp_widened(pm));
	zs_pagemap_destroy(pm);
}

/*
 * A hostile run naming more distinct masks than an index holds: the table fills
 * at 2^ZS_BIND_GFP_BITS - 1 masks, then the pagemap widens and every binding still reads back
 * exactly the mask it was given, through slab growth and slot reuse.
 */
Test(pagemap, gfp_table_limit_widens)
{
	const uint32_t limit = (1u << ZS_BIND_GFP_BITS) - 1;
	struct zs_pagemap *pm = zs_pagemap_create();
	uint32_t early = zs_pagemap_insert(pm, zs_pagemap_key(0, 1));
	uint32_t b = zs_pagemap_insert(pm, zs_pagemap_key(0, 2));
	uint32_t m;

	zs_pagemap_set_gfp(pm, early, 0x80000001u);
	/* mask 0 and 0x80000001 are in; fill the rest with distinct masks on one binding */
	for (m = 1; zs_pagemap_gfp_count(pm) < limit; m++) {
		zs_pagemap_set_gfp(pm, b, m * 3);
		cr_assert_eq(zs_pagemap_gfp(pm, b), m * 3);
	}
	cr_assert_eq(zs_pagemap_gfp_count(pm), limit);
	cr_assert_not(zs_pagemap_gfp_widened(pm), "the table alone held %u masks", limit);
	/* past the limit: new masks still round-trip, on many bindings, while the slab grows */
	uint32_t bs[5000];
	for (uint32_t i = 0; i < 5000; i++) {
		bs[i] = zs_pagemap_insert(pm, zs_pagemap_key(2, i));
		zs_pagemap_set_gfp(pm, bs[i], i % 2 ? 0xf0000000u + i : 3u); /* new, or interned */
	}
	cr_assert(zs_pagemap_gfp_widened(pm));
	cr_assert_eq(zs_pagemap_gfp_count(pm), limit, "the table does not grow past its limit");
	for (uint32_t i = 0; i < 5000; i++)
		cr_assert_eq(zs_pagemap_gfp(pm, bs[i]), i % 2 ? 0xf0000000u + i : 3u, "binding %u", i);
	cr_assert_eq(zs_pagemap_gfp(pm, early), 0x80000001u);
	cr_assert_eq(zs_pagemap_gfp(pm, b), (m - 1) * 3);
	/* an escaped binding given an interned mask reads the table again */
	zs_pagemap_set_gfp(pm, bs[1], 0x80000001u);
	cr_assert_eq(zs_pagemap_gfp(pm, bs[1]), 0x80000001u);
	/* a reused slot of an escaped binding starts at 0 again */
	zs_pagemap_remove(pm, bs[3]);
	uint32_t n = zs_pagemap_insert(pm, zs_pagemap_key(3, 3));
	cr_assert_eq(n, bs[3]);
	cr_assert_eq(zs_pagemap_gfp(pm, n), 0);
	zs_pagemap_destroy(pm);
}

/*
 * The key's high half (the source and the handle's bits above 32) is interned
 * too: keys that differ only there are distinct bindings, and past the table's
 * 2^ZS_BIND_HI_BITS - 1 high halves (a hostile trace's pfns, spread over 48
 * bits) the pagemap widens and every key is still found and read back, through
 * slab growth, removal and slot reuse.
 */
Test(pagemap, key_high_halves_interned_then_widened)
{
	const uint32_t limit = (1u << ZS_BIND_HI_BITS) - 1;
	const uint32_t n = limit + 1000;
	struct zs_pagemap *pm = zs_pagemap_create();
	uint32_t *ref = malloc(n * sizeof(*ref));
	const uint64_t twins[] = {zs_pagemap_key(0, 5), zs_pagemap_key(0, (1ull << 32) | 5),
				  zs_pagemap_key(1, 5), zs_pagemap_key(1, (0xffffull << 32) | 5)};
	uint32_t tb[4];

	cr_assert_not_null(ref);
	for (int i = 0; i < 4; i++)
		tb[i] = zs_pagemap_insert(pm, twins[i]);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(zs_pagemap_find(pm, twins[i]), tb[i], "twin %d", i);
		cr_assert_eq(zs_pagemap_key_of(pm, tb[i]), twins[i], "twin %d", i);
	}
	/* a distinct high half each (the twins used three of them) */
	for (uint32_t i = 0; i < n; i++)
		ref[i] = zs_pagemap_insert(pm, zs_pagemap_key(2, ((uint64_t)(i + 1) << 32) | i));
	for (uint32_t i = 0; i < n; i++) {
		uint64_t key = zs_pagemap_key(2, ((uint64_t)(i + 1) << 32) | i);

		cr_assert_eq(zs_pagemap_find(pm, key), ref[i], "key %u", i);
		cr_assert_eq(zs_pagemap_key_of(pm, ref[i]), key, "key %u", i);
		/* the same low half under another high half is absent */
		cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(3, ((uint64_t)(i + 1) << 32) | i)),
			     ZS_NIL, "key %u", i);
	}
	/* a removed escaped binding's slot, reused by a key whose high half is in the table */
	zs_pagemap_remove(pm, ref[n - 1]);
	cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(2, ((uint64_t)n << 32) | (n - 1))), ZS_NIL);
	uint32_t again = zs_pagemap_insert(pm, zs_pagemap_key(0, 6));
	cr_assert_eq(again, ref[n - 1], "the freed slot is reused");
	cr_assert_eq(zs_pagemap_key_of(pm, again), zs_pagemap_key(0, 6));
	cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(0, 6)), again);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(zs_pagemap_find(pm, twins[i]), tb[i], "twin %d", i);
	for (uint32_t i = 0; i + 1 < n; i++)
		cr_assert_eq(zs_pagemap_key_of(pm, ref[i]),
			     zs_pagemap_key(2, ((uint64_t)(i + 1) << 32) | i), "key %u", i);
	free(ref);
	zs_pagemap_destroy(pm);
}
