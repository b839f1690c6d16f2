/*
 * pagemap.c - bindings in a stable slab (indices never move) with an
 * open-addressing index from key to slot (no tombstones), or kept by their
 * source (zs_bind_keeper); see pagemap.h.
 */
#include "alloc/pagemap.h"

#include <stdlib.h>
#include <string.h>

#include "alloc/machine.h"
#include "alloc/page.h"
#include "sim/diag.h"

_Static_assert(ZS_MAX_ORDER_LIMIT <= 16, "every model's orders fit zs_binding.order");
_Static_assert(ZS_NR_KINDS <= 8, "enum zs_page_kind fits zs_binding.kind");

/*
 * The gfp masks of the bindings.  A run has few distinct masks (a trace a
 * dozen, a scenario one per source), so a binding keeps the index of its mask
 * in a table of the distinct masks seen, which only grows.  A hostile input
 * can name more masks than an index holds (any 32-bit number parses as a
 * mask): the table then stops at GFP_ESCAPE entries, a binding whose mask is
 * not in it has gfp_ix == GFP_ESCAPE, and its full mask is in wide[] beside
 * the slab (allocated at the first such mask, then kept the slab's size).
 * Invariant: masks[0] == 0; masks[0..nr_masks) distinct, each found through
 * mhash; gfp_ix < nr_masks or gfp_ix == GFP_ESCAPE (then wide != NULL).
 */
#define GFP_ESCAPE ((1u << ZS_BIND_GFP_BITS) - 1)

struct gfp_table {
	uint32_t *masks;     /* index -> mask */
	uint32_t nr_masks, cap;
	uint32_t *mhash;     /* open addressing on the mask: index, ZS_NIL empty */
	uint32_t mhash_cap;  /* power of two, >= 2 * nr_masks */
	uint32_t last_mask, last_ix; /* the last mask set: a run repeats it */
	uint32_t *wide;      /* per binding, the mask of a GFP_ESCAPE binding */
};

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
	struct gfp_table gfp;
	/* per source, the keeper of its bindings (NULL: the index holds them) */
	const struct zs_bind_keeper **keep;
	unsigned nkeep;
	uint64_t indexed;     /* live bindings in the index */
};

#define HANDLE_MASK 0xffffffffffffull /* zs_pagemap_key(): the handle's bits */

/*
 * The index: open addressing in Robin Hood order, without tombstones.  The
 * GROUP consecutive handles of a group (a trace's neighbouring pfns, a task's
 * neighbouring pages) have their home slots in one aligned block of GROUP
 * slots, one cache line: the block is the hash of the group, the slot in it
 * the handle's offset permuted by that hash.  Each slot keeps the key's hash
 * word, so probing and shifting never read a binding that is not the one
 * sought: the index can run at up to 7/8 load.
 *
 * Probing steps a block at a time, keeping the slot in its block: slot s of
 * block b, then of block b + 1, ... (at the last block, on to slot s + 1 of
 * block 0), one cycle through every slot.  So the GROUP slots of a block
 * belong to GROUP separate probe sequences, and a group's handles never
 * collide with each other: stepping one slot at a time instead, a dense group
 * filled GROUP consecutive slots at once and the runs merged into clusters
 * that a miss walked to the end of (46 slots a miss on the hog replay at half
 * load).  The offset is permuted so that handles all at one offset (a stride
 * of 8) still spread over every slot of the blocks.
 *
 * Robin Hood order keeps each probe run sorted by home: an insert goes before
 * the first entry that lies nearer its own home than the new key would, and
 * shifts the rest of the run on one step; a removal shifts the rest of the run
 * back one step, up to the first entry in its home (backward-shift deletion).
 * A miss stops where the insert would go, not at the end of the run.
 * Invariant: live <= index_cap * 7 / 8; along every run, an entry's distance
 * (in steps) from its home exceeds the one before it by at most 1, and an
 * entry right after an empty slot is in its home.
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
	/* block from the low bits of k, the offset permuted by its top bits */
	return (uint32_t)((k << GROUP_BITS) | ((key + (k >> (64 - GROUP_BITS))) & (GROUP - 1)));
}

/* The slot after h in the probe cycle (see above): the same slot of the next block. */
static inline uint64_t
next_slot(uint64_t h, uint64_t cap)
{
	h += GROUP;
	return h < cap ? h : (h - cap + 1) & (GROUP - 1);
}

/* Slot h's place in the probe cycle: its offset's sequence, then its block. */
static inline uint64_t
cycle_pos(uint64_t h, uint64_t cap)
{
	return ((h & (GROUP - 1)) * (cap >> GROUP_BITS)) | (h >> GROUP_BITS);
}

static struct slot *
index_new(uint64_t cap)
{
	struct slot *ix = malloc(cap * sizeof(*ix));

	ZS_BUG_ON(!ix);
	memset(ix, 0xff, cap * sizeof(*ix));
	return ix;
}

static uint32_t
mask_home(uint32_t mask, uint32_t cap)
{
	return (uint32_t)((mask * 2654435761u) >> 7) & (cap - 1);
}

static void
mhash_put(struct gfp_table *g, uint32_t ix)
{
	uint32_t h = mask_home(g->masks[ix], g->mhash_cap);

	while (g->mhash[h] != ZS_NIL)
		h = (h + 1) & (g->mhash_cap - 1);
	g->mhash[h] = ix;
}

static void
gfp_table_init(struct gfp_table *g)
{
	g->cap = 16;
	g->masks = malloc(g->cap * sizeof(*g->masks));
	g->mhash_cap = 32;
	g->mhash = malloc(g->mhash_cap * sizeof(*g->mhash));
	ZS_BUG_ON(!g->masks || !g->mhash);
	memset(g->mhash, 0xff, g->mhash_cap * sizeof(*g->mhash));
	g->masks[0] = 0; /* a new binding's mask */
	g->nr_masks = 1;
	mhash_put(g, 0);
	g->last_mask = 0;
	g->last_ix = 0;
}

/* The index of mask in the table, added if new; GFP_ESCAPE when the table is full. */
static uint32_t
gfp_intern(struct gfp_table *g, uint32_t mask)
{
	uint32_t h = mask_home(mask, g->mhash_cap);

	for (; g->mhash[h] != ZS_NIL; h = (h + 1) & (g->mhash_cap - 1))
		if (g->masks[g->mhash[h]] == mask)
			return g->mhash[h];
	if (g->nr_masks == GFP_ESCAPE)
		return GFP_ESCAPE;
	if (g->nr_masks == g->cap) {
		uint32_t *m = realloc(g->masks, 2 * (size_t)g->cap * sizeof(*m));

		ZS_BUG_ON(!m);
		g->masks = m;
		g->cap *= 2;
	}
	g->masks[g->nr_masks] = mask;
	if (2 * (g->nr_masks + 1) > g->mhash_cap) {
		free(g->mhash);
		g->mhash_cap *= 2;
		g->mhash = malloc(g->mhash_cap * sizeof(*g->mhash));
		ZS_BUG_ON(!g->mhash);
		memset(g->mhash, 0xff, g->mhash_cap * sizeof(*g->mhash));
		for (uint32_t i = 0; i < g->nr_masks; i++)
			mhash_put(g, i);
	}
	mhash_put(g, g->nr_masks);
	return g->nr_masks++;
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
	gfp_table_init(&pm->gfp);
	return pm;
}

void
zs_pagemap_destroy(struct zs_pagemap *pm)
{
	if (!pm)
		return;
	free(pm->slab);
	free(pm->index);
	free(pm->gfp.masks);
	free(pm->gfp.mhash);
	free(pm->gfp.wide);
	free(pm->keep);
	free(pm);
}

void
zs_pagemap_keep(struct zs_pagemap *pm, unsigned source, const struct zs_bind_keeper *k)
{
	if (source >= pm->nkeep) {
		const struct zs_bind_keeper **n = realloc(pm->keep, (source + 1) * sizeof(*n));

		ZS_BUG_ON(!n);
		for (unsigned i = pm->nkeep; i <= source; i++)
			n[i] = NULL;
		pm->keep = n;
		pm->nkeep = source + 1;
	}
	pm->keep[source] = k;
}

/* The keeper of key's source, NULL when the index holds its bindings. */
static inline const struct zs_bind_keeper *
keeper_of(const struct zs_pagemap *pm, uint64_t key)
{
	uint64_t source = key >> 48;

	return source < pm->nkeep ? pm->keep[source] : NULL;
}

/* k->get(handle), without the call when the keeper's current handle is asked for. */
static inline uint32_t
keeper_get(const struct zs_bind_keeper *k, uint64_t handle)
{
	const struct zs_bind_cur *cur = k->cur;

	if (cur && cur->valid && cur->handle == handle)
		return cur->bind;
	return k->get(k->ctx, handle);
}

/* How many steps of the probe cycle slot h's entry lies past its home. */
static inline uint64_t
dist(const struct slot *ix, uint64_t cap, uint64_t h)
{
	uint64_t home = ix[h].word & (cap - 1);

	/* the common case: home in the same sequence, not wrapped round past block 0 */
	if (((home ^ h) & (GROUP - 1)) == 0 && home <= h)
		return (h - home) >> GROUP_BITS;
	return (cycle_pos(h, cap) - cycle_pos(home, cap)) & (cap - 1);
}

/* Put e at slot h, where the Robin Hood search for it stopped: the rest of the run moves on a step. */
static void
shift_in(struct slot *ix, uint64_t cap, uint64_t h, struct slot e)
{
	while (ix[h].b != ZS_NIL) {
		struct slot t = ix[h];

		ix[h] = e;
		e = t;
		h = next_slot(h, cap);
	}
	ix[h] = e;
}

/* Insert an entry whose key is not in the index (no key is compared). */
static void
place(struct slot *ix, uint64_t cap, uint32_t word, uint32_t b)
{
	uint64_t h = word & (cap - 1), d = 0;

	while (ix[h].b != ZS_NIL && dist(ix, cap, h) >= d) {
		h = next_slot(h, cap);
		d++;
	}
	shift_in(ix, cap, h, (struct slot){b, word});
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
			place(pm->index, cap, old[i].word, old[i].b);
	free(old);
}

/* zs_pagemap_find in the index (apart: a replay's keeper answers without it, and
 * then nothing saves the registers the probe needs) */
static __attribute__((noinline)) uint32_t
index_find(struct zs_pagemap *pm, uint64_t key)
{
	uint64_t cap = pm->index_cap;
	uint32_t word, b;
	uint64_t h, d = 0;

	word = hash_word(key);
	h = word & (cap - 1);
	for (;; h = next_slot(h, cap), d++) {
		const struct slot *s = &pm->index[h];

		/* an empty slot, or an entry nearer its home than key would be: key is absent */
		if (s->b == ZS_NIL || dist(pm->index, cap, h) < d) {
			b = ZS_NIL;
			break;
		}
		if (s->word == word && pm->slab[s->b].key == key) {
			b = s->b;
			break;
		}
	}
	pm->hint_gen = pm->gen;
	pm->hint_key = key;
	pm->hint_slot = h;
	pm->hint_b = b;
	return b;
}

uint32_t
zs_pagemap_find(struct zs_pagemap *pm, uint64_t key)
{
	const struct zs_bind_keeper *k = keeper_of(pm, key);

	if (k) {
		uint32_t b = keeper_get(k, key & HANDLE_MASK);

		if (b != ZS_BIND_UNKEPT)
			return b;
	}
	return index_find(pm, key);
}

uint32_t
zs_pagemap_insert(struct zs_pagemap *pm, uint64_t key)
{
	const struct zs_bind_keeper *k = keeper_of(pm, key);
	uint32_t b;

	if (pm->free_head != ZS_NIL) {
		b = pm->free_head;
		pm->free_head = pm->slab[b].tnext;
	} else {
		if (pm->used == pm->cap) {
			struct zs_binding *s = realloc(pm->slab, 2 * (size_t)pm->cap * sizeof(*s));

			ZS_BUG_ON(!s);
			pm->slab = s;
			pm->cap *= 2;
			if (pm->gfp.wide) {
				uint32_t *w = realloc(pm->gfp.wide, (size_t)pm->cap * sizeof(*w));

				ZS_BUG_ON(!w);
				pm->gfp.wide = w;
			}
		}
		b = pm->used++;
	}
	struct zs_binding *bd = &pm->slab[b];
	*bd = (struct zs_binding){.key = key, .pfn = ZS_NIL, .task = ZS_NIL, .slot = UINT32_MAX,
				  .tnext = ZS_NIL, .tprev = ZS_NIL, .state = ZS_BIND_PENDING};
	pm->live++;
	if (k && k->set(k->ctx, key & HANDLE_MASK, b))
		return b;
	if ((pm->indexed + 1) * 8 > pm->index_cap * 7)
		grow(pm);
	if (pm->hint_gen == pm->gen && pm->hint_b == ZS_NIL && pm->hint_key == key)
		/* the miss stopped where place() would insert */
		shift_in(pm->index, pm->index_cap, pm->hint_slot, (struct slot){b, hash_word(key)});
	else
		place(pm->index, pm->index_cap, hash_word(key), b);
	pm->gen++;
	pm->indexed++;
	return b;
}

/* Binding idx's slab slot goes back on the free list. */
static void
slab_release(struct zs_pagemap *pm, uint32_t idx)
{
	pm->slab[idx].state = ZS_BIND_FREE;
	pm->slab[idx].tnext = pm->free_head;
	pm->free_head = idx;
	pm->live--;
}

/* zs_pagemap_remove from the index (apart, as index_find) */
static __attribute__((noinline)) void
index_remove(struct zs_pagemap *pm, uint32_t idx, uint64_t key)
{
	uint64_t cap = pm->index_cap;
	struct slot *ix = pm->index;
	uint64_t hole;

	if (pm->hint_gen == pm->gen && pm->hint_b == idx) {
		hole = pm->hint_slot;
	} else {
		hole = hash_word(key) & (cap - 1);
		while (ix[hole].b != idx) {
			ZS_BUG_ON(ix[hole].b == ZS_NIL);
			hole = next_slot(hole, cap);
		}
	}
	ZS_BUG_ON(ix[hole].b != idx);
	pm->gen++;
	/* Backward shift: the rest of the run moves down one, up to the first entry in its home. */
	for (uint64_t j = next_slot(hole, cap); ix[j].b != ZS_NIL && dist(ix, cap, j) > 0;
	     j = next_slot(j, cap)) {
		ix[hole] = ix[j];
		hole = j;
	}
	ix[hole].b = ZS_NIL;
	pm->indexed--;
	slab_release(pm, idx);
}

void
zs_pagemap_remove(struct zs_pagemap *pm, uint32_t idx)
{
	uint64_t key = pm->slab[idx].key;
	const struct zs_bind_keeper *k = keeper_of(pm, key);

	if (k) {
		int kept = keeper_get(k, key & HANDLE_MASK) == idx;

		k->set(k->ctx, key & HANDLE_MASK, ZS_NIL);
		if (kept) {
			slab_release(pm, idx);
			return;
		}
	}
	index_remove(pm, idx, key);
}

struct zs_binding *
zs_pagemap_at(struct zs_pagemap *pm, uint32_t idx)
{
	return &pm->slab[idx];
}

const struct zs_binding *
zs_pagemap_peek(const struct zs_pagemap *pm, uint32_t idx)
{
	return idx < pm->used ? &pm->slab[idx] : NULL;
}

uint64_t
zs_pagemap_count(const struct zs_pagemap *pm)
{
	return pm->live;
}

uint64_t
zs_pagemap_indexed(const struct zs_pagemap *pm)
{
	return pm->indexed;
}

uint32_t
zs_pagemap_gfp(const struct zs_pagemap *pm, uint32_t idx)
{
	uint32_t ix = pm->slab[idx].gfp_ix;

	return ix == GFP_ESCAPE ? pm->gfp.wide[idx] : pm->gfp.masks[ix];
}

/* set_gfp's rare case: a mask other than the last one set, or one past the table. */
static __attribute__((noinline)) void
set_gfp_slow(struct zs_pagemap *pm, uint32_t idx, uint32_t gfp)
{
	struct gfp_table *g = &pm->gfp;
	uint32_t ix = gfp == g->last_mask ? g->last_ix : gfp_intern(g, gfp);

	g->last_mask = gfp;
	g->last_ix = ix;
	if (ix == GFP_ESCAPE) {
		if (!g->wide) {
			g->wide = malloc((size_t)pm->cap * sizeof(*g->wide));
			ZS_BUG_ON(!g->wide);
		}
		g->wide[idx] = gfp;
	}
	pm->slab[idx].gfp_ix = ix;
}

void
zs_pagemap_set_gfp(struct zs_pagemap *pm, uint32_t idx, uint32_t gfp)
{
	const struct gfp_table *g = &pm->gfp;

	if (gfp != g->last_mask || g->last_ix == GFP_ESCAPE)
		set_gfp_slow(pm, idx, gfp);
	else
		pm->slab[idx].gfp_ix = g->last_ix;
}

uint32_t
zs_pagemap_gfp_count(const struct zs_pagemap *pm)
{
	return pm->gfp.nr_masks;
}

int
zs_pagemap_gfp_widened(const struct zs_pagemap *pm)
{
	return pm->gfp.wide != NULL;
}
