/*
 * pagemap.h - what each workload page identity is bound to.
 *
 * A request names a page by a handle its source chose (a trace's pfn, an
 * anonymous task's virtual page, a file offset).  The simulator allocates its
 * own page for it and records the binding here: resident (a pfn), swapped (a
 * swap slot), evicted (a clean file page dropped from the cache), or gone.
 * page->owner holds the binding index of a bound page, so reclaim can find the
 * owner of a pfn (the reverse map) in O(1).
 *
 * Invariant: b->pfn != ZS_NIL  <=>  pages[b->pfn].owner == index of b and the
 * page has ZS_PG_BOUND; a binding is on its task's list iff its task != ZS_NIL.
 */
#ifndef ZS_PAGEMAP_H
#define ZS_PAGEMAP_H

#include <stdint.h>

enum zs_bind_state {
	ZS_BIND_FREE = 0,    /* slot unused */
	ZS_BIND_RESIDENT,    /* pfn valid */
	ZS_BIND_SWAPPED,     /* slot valid, no page */
	ZS_BIND_EVICTED,     /* clean file page dropped; a touch reads it back */
	ZS_BIND_PENDING      /* allocation (or fault) in progress */
};

/* Packed to 4-byte alignment: 36 bytes, not 40 with the key's padding (there is
 * one binding per bound page).  No member's address is taken. */
struct __attribute__((packed, aligned(4))) zs_binding {
	uint64_t key;      /* (source << 48) | handle */
	uint32_t pfn;      /* ZS_NIL unless resident */
	uint32_t task;     /* owning task id, ZS_NIL for none */
	uint32_t slot;     /* swap slot when SWAPPED (or kept in the swap cache) */
	uint32_t gfp;      /* the allocation's gfp, reused for faults */
	uint32_t tnext, tprev; /* task list */
	uint8_t state;     /* enum zs_bind_state */
	uint8_t order;
	uint8_t kind;      /* enum zs_page_kind */
	uint8_t dirty;     /* written since it was last clean on disk */
};

_Static_assert(sizeof(struct zs_binding) == 36, "a binding costs 36 bytes per bound page");

struct zs_pagemap;

struct zs_pagemap *zs_pagemap_create(void);
void zs_pagemap_destroy(struct zs_pagemap *pm);

/* Index of the binding for key, or ZS_NIL (remembers where it looked: see pagemap.c). */
uint32_t zs_pagemap_find(struct zs_pagemap *pm, uint64_t key);
/* Create a binding for key (must not exist); returns its index. */
uint32_t zs_pagemap_insert(struct zs_pagemap *pm, uint64_t key);
/* Remove binding idx (it must be off any task list). */
void zs_pagemap_remove(struct zs_pagemap *pm, uint32_t idx);
/* The binding at idx.  The index is stable until removed; the pointer only until the next insert. */
struct zs_binding *zs_pagemap_at(struct zs_pagemap *pm, uint32_t idx);
/* Live bindings. */
uint64_t zs_pagemap_count(const struct zs_pagemap *pm);

static inline uint64_t
zs_pagemap_key(unsigned source, uint64_t handle)
{
	return ((uint64_t)source << 48) | (handle & 0xffffffffffffull);
}

#endif
