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
 * Interned values: the gfp masks of the bindings, and the high halves of their
 * keys.  A run has few distinct ones (a trace a dozen masks and one high half,
 * a scenario a mask per source and a high half per source and 256 tasks), so a
 * binding keeps the index of its value in a table of the distinct values seen,
 * which only grows.  A hostile input can name more than an index holds (any
 * 32-bit number parses as a mask, a trace's pfn has 48 bits): the table then
 * stops at `escape` entries, a binding whose value is not in it has the index
 * `escape`, and its value is in wide[] beside the slab (allocated at the first
 * such value, then kept the slab's size).
 * Invariant: vals[0] == 0; vals[0..nr) distinct, each found through hash;
 * a binding's index < nr or == escape (then wide != NULL).
 */
#define GFP_ESCAPE ((1u << ZS_BIND_GFP_BITS) - 1)
#define HI_ESCAPE ((1u << ZS_BIND_HI_BITS) - 1)

struct intern {
	uint32_t *vals;      /* index -> value */
	uint32_t nr, cap;
	uint32_t *hash;      /* open addressing on the value: index, ZS_NIL empty */
	uint32_t hash_cap;   /* power of two, >= 2 * nr */
	uint32_t escape;     /* the index that says "in wide[]" */
	uint32_t last_val, last_ix; /* the last value interned: a run repeats it */
	uint32_t *wide;      /* per binding, the value of an escaped binding */
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
	struct intern gfp;   /* the bindings' gfp masks (gfp_ix) */
	struct intern hi;    /* the high halves of their keys (key_hi_ix) */
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
val_home(uint32_t v, uint32_t cap)
{
	return (uint32_t)((v * 2654435761u) >> 7) & (cap - 1);
}

static void
hash_put(struct intern *t, uint32_t ix)
{
	uint32_t h = val_home(t->vals[ix], t->hash_cap);

	while (t->hash[h] != ZS_NIL)
		h = (h + 1) & (t->hash_cap - 1);
	t->hash[h] = ix;
}

static void
intern_init(struct intern *t, uint32_t escape)
{
	t->cap = 16;
	t->vals = malloc(t->cap * sizeof(*t->vals));
	t->hash_cap = 32;
	t->hash = malloc(t->hash_cap * sizeof(*t->hash));
	ZS_BUG_ON(!t->vals || !t->hash);
	memset(t->hash, 0xff, t->hash_cap * sizeof(*t->hash));
	t->vals[0] = 0; /* what a new binding reads before its value is set */
	t->nr = 1;
	hash_put(t, 0);
	t->escape = escape;
	t->last_val = 0;
	t->last_ix = 0;
	t->wide = NULL;
}

static void
intern_free(struct intern *t)
{
	free(t->vals);
	free(t->hash);
	free(t->wide);
}

/* The index of v in the table, added if new; t->escape when the table is full. */
static uint32_t
intern_find_or_add(struct intern *t, uint32_t v)
{
	uint32_t h = val_home(v, t->hash_cap);

	for (; t->hash[h] != ZS_NIL; h = (h + 1) & (t->hash_cap - 1))
		if (t->vals[t->hash[h]] == v)
			return t->hash[h];
	if (t->nr == t->escape)
		return t->escape;
	if (t->nr == t->cap) {
		uint32_t *m = realloc(t->vals, 2 * (size_t)t->cap * sizeof(*m));

		ZS_BUG_ON(!m);
		t->vals = m;
		t->cap *= 2;
	}
	t->vals[t->nr] = v;
	if (2 * (t->nr + 1) > t->hash_cap) {
		free(t->hash);
		t->hash_cap *= 2;
		t->hash = malloc(t->hash_cap * sizeof(*t->hash));
		ZS_BUG_ON(!t->hash);
		memset(t->hash, 0xff, t->hash_cap * sizeof(*t->hash));
		for (uint32_t i = 0; i < t->nr; i++)
			hash_put(t, i);
	}
	hash_put(t, t->nr);
	return t->nr++;
}

/* intern's rare case, apart: a value other than the last one, or one past the table.
 * Returns the index for binding idx of a slab of cap slots. */
static __attribute__((noinline)) uint32_t
intern_slow(struct intern *t, uint32_t idx, uint32_t cap, uint32_t v)
{
	uint32_t ix = v == t->last_val ? t->last_ix : intern_find_or_add(t, v);

	t->last_val = v;
	t->last_ix = ix;
	if (ix == t->escape) {
		if (!t->wide) {
			t->wide = malloc((size_t)cap * sizeof(*t->wide));
			ZS_BUG_ON(!t->wide);
		}
		t->wide[idx] = v;
	}
	return ix;
}

/* The index binding idx keeps for value v (escape: t->escape, a constant the
 * fast path folds). */
static inline uint32_t
intern(struct intern *t, uint32_t escape, uint32_t idx, uint32_t cap, uint32_t v)
{
	if (v != t->last_val || t->last_ix == escape)
		return intern_slow(t, idx, cap, v);
	return t->last_ix;
}

/* The value binding idx keeps at index ix (escape as for intern). */
static inline uint32_t
intern_val(const struct intern *t, uint32_t escape, uint32_t idx, uint32_t ix)
{
	return ix == escape ? t->wide[idx] : t->vals[ix];
}

/* The slab grew to cap slots: so does a wide[] in use. */
static void
intern_grow(struct intern *t, uint32_t cap)
{
	if (t->wide) {
		uint32_t *w = realloc(t->wide, (size_t)cap * sizeof(*w));

		ZS_BUG_ON(!w);
		t->wide = w;
	}
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
	intern_init(&pm->gfp, GFP_ESCAPE);
	intern_init(&pm->hi, HI_ESCAPE);
	return pm;
}

void
zs_pagemap_destroy(struct zs_pagemap *pm)
{
	if (!pm)
		return;
	free(pm->slab);
	free(pm->index);
	intern_free(&pm->gfp);
	intern_free(&pm->hi);
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

/* Binding idx's key: its low half, and the high half interned. */
static inline uint64_t
bind_key(const struct zs_pagemap *pm, uint32_t idx)
{
	const struct zs_binding *bd = &pm->slab[idx];

	return (uint64_t)intern_val(&pm->hi, HI_ESCAPE, idx, bd->key_hi_ix) << 32 | bd->key_lo;
}

uint64_t
zs_pagemap_key_of(const struct zs_pagemap *pm, uint32_t idx)
{
	return bind_key(pm, idx);
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
		if (s->word == word && bind_key(pm, s->b) == key) {
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
			intern_grow(&pm->gfp, pm->cap);
			intern_grow(&pm->hi, pm->cap);
		}
		b = pm->used++;
	}
	struct zs_binding *bd = &pm->slab[b];
	uint32_t hi_ix = intern(&pm->hi, HI_ESCAPE, b, pm->cap, (uint32_t)(key >> 32));

	*bd = (struct zs_binding){.key_lo = (uint32_t)key, .ps = UINT32_MAX, .task = ZS_NIL,
				  .tnext = ZS_NIL, .tprev = ZS_NIL, .state = ZS_BIND_PENDING,
				  .key_hi_ix = hi_ix};
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
	uint64_t key = bind_key(pm, idx);
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
	return intern_val(&pm->gfp, GFP_ESCAPE, idx, pm->slab[idx].gfp_ix);
}

void
zs_pagemap_set_gfp(struct zs_pagemap *pm, uint32_t idx, uint32_t gfp)
{
	pm->slab[idx].gfp_ix = intern(&pm->gfp, GFP_ESCAPE, idx, pm->cap, gfp);
}

uint32_t
zs_pagemap_gfp_count(const struct zs_pagemap *pm)
{
	return pm->gfp.nr;
}

int
zs_pagemap_gfp_widened(const struct zs_pagemap *pm)
{
	return pm->gfp.wide != NULL;
}
