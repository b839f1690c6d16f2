/*
 * pagemap.c - bindings in a stable slab (indices never move) with an
 * open-addressing index from key to slot (no tombstones); see pagemap.h.
 */
#include "alloc/pagemap.h"

#include <stdlib.h>
#include <string.h>

#include "alloc/page.h"
#include "sim/diag.h"

/* An index slot: the binding and its key's hash word (home slot = word & mask). */
struct slot {
	uint32_t b;    /* binding index, ZS_NIL when empty */
	uint32_t word; /* hash_word() of the binding's key */
};

struct zs_pagemap {
	struct zs_binding *slab;
	uint32_t cap, used;   /* slab capacity, slots ever used */
	uint32_t free_head;   /* free slot list through .tnext */
	uint64_t live;
	struct slot *index;   /* the hash index, see below */
	uint64_t index_cap;   /* power of two, at most 2^32 */
	/*
	 * Where the last find ended, valid while gen == hint_gen (every change of the
	 * index bumps gen): a miss's empty slot is where insert of that key places it,
	 * a hit's slot is where remove of that binding starts.  Saves the second
	 * probe of the common find-then-insert and find-then-remove.
	 */
	uint64_t gen, hint_gen;
	uint64_t hint_key, hint_slot;
	uint32_t hint_b;      /* the binding found, ZS_NIL for a miss */
};

/*
 * The index is linear probing without tombstones: a removal shifts the rest of
 * its probe run back (backward-shift deletion), so a run only ever holds live
 * bindings and a miss stops at the first empty slot.  A key's home slot is the
 * hash of its group of GROUP consecutive handles plus its offset in the group:
 * the consecutive handles of a run (a trace's neighbouring pfns, a task's
 * neighbouring pages) share a cache line of the index.  Each slot keeps the
 * key's hash word, so probing and shifting never read a binding that is not
 * the one sought: the index can run at up to 7/8 load.
 * Invariant: live <= index_cap * 7 / 8; every binding in use is reachable
 * from its home slot without crossing an empty slot.
 */
#define GROUP_BITS 3
#define GROUP (1u << GROUP_BITS)

static inline uint32_t
hash_word(uint64_t key)
{
	uint64_t k = key >> GROUP_BITS;

	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	k ^= k >> 33;
	return (uint32_t)((k << GROUP_BITS) | (key & (GROUP - 1)));
}

static struct slot *
index_new(uint64_t cap)
{
	struct slot *ix = malloc(cap * sizeof(*ix));

	ZS_BUG_ON(!ix);
	memset(ix, 0xff, cap * sizeof(*ix));
	return ix;
}

struct zs_pagemap *
zs_pagemap_create(void)
{
	struct zs_pagemap *pm = calloc(1, sizeof(*pm));

	ZS_BUG_ON(!pm);
	pm->cap = 1024;
	pm->slab = malloc(pm->cap * sizeof(*pm->slab));
	ZS_BUG_ON(!pm->slab);
	pm->index_cap = 2048;
	pm->index = index_new(pm->index_cap);
	pm->free_head = ZS_NIL;
	pm->hint_gen = UINT64_MAX; /* no hint */
	return pm;
}

void
zs_pagemap_destroy(struct zs_pagemap *pm)
{
	if (!pm)
		return;
	free(pm->slab);
	free(pm->index);
	free(pm);
}

static void
place(struct slot *ix, uint64_t mask, uint32_t word, uint32_t b)
{
	uint64_t h = word & mask;

	while (ix[h].b != ZS_NIL)
		h = (h + 1) & mask;
	ix[h] = (struct slot){b, word};
}

static void
grow(struct zs_pagemap *pm)
{
	struct slot *old = pm->index;
	uint64_t old_cap = pm->index_cap, cap = old_cap * 2;

	ZS_BUG_ON(cap > (UINT64_C(1) << 32));
	pm->index = index_new(cap);
	pm->index_cap = cap;
	pm->gen++;
	for (uint64_t i = 0; i < old_cap; i++)
		if (old[i].b != ZS_NIL)
			place(pm->index, cap - 1, old[i].word, old[i].b);
	free(old);
}

uint32_t
zs_pagemap_find(struct zs_pagemap *pm, uint64_t key)
{
	uint64_t mask = pm->index_cap - 1;
	uint32_t word = hash_word(key);

	for (uint64_t h = word & mask;; h = (h + 1) & mask) {
		const struct slot *s = &pm->index[h];

		if (s->b == ZS_NIL || (s->word == word && pm->slab[s->b].key == key)) {
			pm->hint_gen = pm->gen;
			pm->hint_key = key;
			pm->hint_slot = h;
			pm->hint_b = s->b;
			return s->b;
		}
	}
}

uint32_t
zs_pagemap_insert(struct zs_pagemap *pm, uint64_t key)
{
	uint32_t b;

	if ((pm->live + 1) * 8 > pm->index_cap * 7)
		grow(pm);
	if (pm->free_head != ZS_NIL) {
		b = pm->free_head;
		pm->free_head = pm->slab[b].tnext;
	} else {
		if (pm->used == pm->cap) {
			struct zs_binding *s = realloc(pm->slab, 2 * (size_t)pm->cap * sizeof(*s));

			ZS_BUG_ON(!s);
			pm->slab = s;
			pm->cap *= 2;
		}
		b = pm->used++;
	}
	struct zs_binding *bd = &pm->slab[b];
	*bd = (struct zs_binding){.key = key, .pfn = ZS_NIL, .task = ZS_NIL, .slot = UINT32_MAX,
				  .tnext = ZS_NIL, .tprev = ZS_NIL, .state = ZS_BIND_PENDING};
	if (pm->hint_gen == pm->gen && pm->hint_b == ZS_NIL && pm->hint_key == key)
		/* the miss stopped at the first empty slot from the home: where place() would */
		pm->index[pm->hint_slot] = (struct slot){b, hash_word(key)};
	else
		place(pm->index, pm->index_cap - 1, hash_word(key), b);
	pm->gen++;
	pm->live++;
	return b;
}

void
zs_pagemap_remove(struct zs_pagemap *pm, uint32_t idx)
{
	uint64_t mask = pm->index_cap - 1;
	struct slot *ix = pm->index;
	uint64_t hole;

	if (pm->hint_gen == pm->gen && pm->hint_b == idx) {
		hole = pm->hint_slot;
	} else {
		hole = hash_word(pm->slab[idx].key) & mask;
		while (ix[hole].b != idx) {
			ZS_BUG_ON(ix[hole].b == ZS_NIL);
			hole = (hole + 1) & mask;
		}
	}
	ZS_BUG_ON(ix[hole].b != idx);
	pm->gen++;
	/* Backward shift: pull back each later entry of the run whose home is at or before the hole. */
	for (uint64_t j = (hole + 1) & mask; ix[j].b != ZS_NIL; j = (j + 1) & mask) {
		uint64_t h = ix[j].word & mask;

		if (((j - h) & mask) >= ((j - hole) & mask)) {
			ix[hole] = ix[j];
			hole = j;
		}
	}
	ix[hole].b = ZS_NIL;
	pm->slab[idx].state = ZS_BIND_FREE;
	pm->slab[idx].tnext = pm->free_head;
	pm->free_head = idx;
	pm->live--;
}

struct zs_binding *
zs_pagemap_at(struct zs_pagemap *pm, uint32_t idx)
{
	return &pm->slab[idx];
}

uint64_t
zs_pagemap_count(const struct zs_pagemap *pm)
{
	return pm->live;
}
