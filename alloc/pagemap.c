/*
 * pagemap.c - bindings in a stable slab (indices never move) with an
 * open-addressing index from key to slot; see pagemap.h.
 */
#include "alloc/pagemap.h"

#include <stdlib.h>
#include <string.h>

#include "alloc/page.h"
#include "sim/diag.h"

struct zs_pagemap {
	struct zs_binding *slab;
	uint32_t cap, used;   /* slab capacity, slots ever used */
	uint32_t free_head;   /* free slot list through .tnext */
	uint64_t live;
	uint32_t *index;      /* hash slots: binding index or ZS_NIL; TOMB for removed */
	uint64_t index_cap;   /* power of two */
	uint64_t index_used;  /* live + tombstones */
};

#define TOMB (ZS_NIL - 1)

static inline uint64_t
hash64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	return k ^ (k >> 33);
}

struct zs_pagemap *
zs_pagemap_create(void)
{
	struct zs_pagemap *pm = calloc(1, sizeof(*pm));

	ZS_BUG_ON(!pm);
	pm->cap = 1024;
	pm->slab = malloc(pm->cap * sizeof(*pm->slab));
	pm->index_cap = 2048;
	pm->index = malloc(pm->index_cap * sizeof(*pm->index));
	ZS_BUG_ON(!pm->slab || !pm->index);
	memset(pm->index, 0xff, pm->index_cap * sizeof(*pm->index));
	pm->free_head = ZS_NIL;
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
rehash(struct zs_pagemap *pm, uint64_t cap)
{
	uint32_t *old = pm->index;
	uint64_t old_cap = pm->index_cap;

	pm->index = malloc(cap * sizeof(*pm->index));
	ZS_BUG_ON(!pm->index);
	memset(pm->index, 0xff, cap * sizeof(*pm->index));
	pm->index_cap = cap;
	pm->index_used = 0;
	for (uint64_t i = 0; i < old_cap; i++) {
		uint32_t b = old[i];

		if (b == ZS_NIL || b == TOMB)
			continue;
		uint64_t h = hash64(pm->slab[b].key) & (cap - 1);
		while (pm->index[h] != ZS_NIL)
			h = (h + 1) & (cap - 1);
		pm->index[h] = b;
		pm->index_used++;
	}
	free(old);
}

uint32_t
zs_pagemap_find(const struct zs_pagemap *pm, uint64_t key)
{
	uint64_t mask = pm->index_cap - 1;

	for (uint64_t h = hash64(key) & mask;; h = (h + 1) & mask) {
		uint32_t b = pm->index[h];

		if (b == ZS_NIL)
			return ZS_NIL;
		if (b != TOMB && pm->slab[b].key == key)
			return b;
	}
}

uint32_t
zs_pagemap_insert(struct zs_pagemap *pm, uint64_t key)
{
	uint32_t b;

	if ((pm->index_used + 1) * 4 > pm->index_cap * 3)
		rehash(pm, pm->live * 4 > pm->index_cap ? pm->index_cap * 2 : pm->index_cap);
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
	uint64_t mask = pm->index_cap - 1;
	uint64_t h = hash64(key) & mask;
	while (pm->index[h] != ZS_NIL && pm->index[h] != TOMB)
		h = (h + 1) & mask;
	if (pm->index[h] == ZS_NIL)
		pm->index_used++;
	pm->index[h] = b;
	pm->live++;
	return b;
}

void
zs_pagemap_remove(struct zs_pagemap *pm, uint32_t idx)
{
	uint64_t mask = pm->index_cap - 1;
	uint64_t h = hash64(pm->slab[idx].key) & mask;

	while (pm->index[h] != idx) {
		ZS_BUG_ON(pm->index[h] == ZS_NIL);
		h = (h + 1) & mask;
	}
	pm->index[h] = TOMB;
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
