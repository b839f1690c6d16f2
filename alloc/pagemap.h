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
 * Invariant: b is RESIDENT  <=>  pages[b->ps].owner == index of b and the page
 * has ZS_PG_BOUND; a binding is on its task's list iff its task != ZS_NIL.
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

/*
 * 24 bytes: one binding per bound page, so the small members share a word.
 * Neither the gfp mask nor the key's high half is stored: gfp_ix and key_hi_ix
 * index the pagemap's tables of the distinct values seen (zs_pagemap_gfp,
 * zs_pagemap_key_of below).  The pfn and the swap slot share a word: a resident
 * binding's slot is its swap-cache page's (zs_vm_bind_slot, alloc/vm.h).
 * Bit-fields, so no member's address can be taken; the range of every field is
 * asserted below (state) and in pagemap.c (order, kind).
 */
#define ZS_BIND_GFP_BITS 9
#define ZS_BIND_HI_BITS 12
struct zs_binding {
	uint32_t key_lo;   /* the key's low half: the key is (source << 48) | handle */
	/* RESIDENT: the pfn; otherwise the swap slot (UINT32_MAX none): see zs_bind_pfn */
	uint32_t ps;
	uint32_t task;     /* owning task id, ZS_NIL for none */
	uint32_t tnext, tprev; /* task list */
	/* the first byte holds what the driver tests most, the rest the kind, the gfp and
	 * the key's high half */
	uint32_t state : 3;  /* enum zs_bind_state */
	uint32_t dirty : 1;  /* written since it was last clean on disk */
	uint32_t order : 4;  /* < the model's MAX_ORDER (ZS_MAX_ORDER_LIMIT) */
	uint32_t kind : 3;   /* enum zs_page_kind */
	uint32_t gfp_ix : ZS_BIND_GFP_BITS; /* owned by pagemap.c: the allocation's gfp */
	uint32_t key_hi_ix : ZS_BIND_HI_BITS; /* owned by pagemap.c: the key's high half */
};

_Static_assert(sizeof(struct zs_binding) == 24, "a binding costs 24 bytes per bound page");
_Static_assert(ZS_BIND_PENDING < 8, "enum zs_bind_state fits zs_binding.state");

/* The pfn of a resident binding, ZS_NIL for any other. */
static inline uint32_t
zs_bind_pfn(const struct zs_binding *b)
{
	return b->state == ZS_BIND_RESIDENT ? b->ps : UINT32_MAX; /* ZS_NIL */
}

struct zs_pagemap;

/*
 * A source that keeps the binding index of each of its live handles itself,
 * in a table it must have anyway (a trace's table of live pfns), so that its
 * bindings need no entry in the pagemap's index: one lookup an event instead
 * of two, and some 10 bytes a bound page less.
 *
 * get(handle) says what the source keeps for handle: a binding index, ZS_NIL
 * for none, or ZS_BIND_UNKEPT when it could not keep it (the binding is then
 * in the index, as any other source's).  set(handle, b) keeps b (ZS_NIL
 * forgets); it returns 0 when the source cannot keep b, and then get() must
 * say ZS_BIND_UNKEPT for handle until the next set.
 * Contract: get() answers as of the requests the driver has issued; the
 * source's next() may change what its table says only of the handle of the
 * request it returns, and get() must answer for that handle as before the
 * request until the driver has issued it.  So only an open-loop source, whose
 * every request is issued before the next is asked for, can keep bindings.
 */
#define ZS_BIND_UNKEPT 0xfffffffeu

/*
 * A hint, nothing more: a source that reads its requests ahead can say which
 * bindings they will touch, so that the memory behind them is on its way by the
 * time the driver issues them.  At most once per request read, fn(arg, b) with
 * b[s] the binding of a request further ahead the smaller s is (ZS_NIL for none,
 * and not all three are): stage 0
 * brings the binding in; stage 1, some requests later (the binding cached by
 * then), what it points at: its page and its task-list neighbours; stage 2 the
 * page's list neighbours.  An index may be stale or out of range (then nothing
 * happens for it): a hint reads, never writes, and no result may depend on it.
 */
#define ZS_BIND_AHEAD 3
struct zs_bind_prefetch {
	void (*fn)(void *arg, const uint32_t b[ZS_BIND_AHEAD]);
	void *arg;
};

/*
 * What get() says of one handle, kept up to date by the keeper so that the
 * pagemap can read it without a call: while valid, get(handle) is bind.  (The
 * cook's is the handle of the request being issued, which the driver looks up
 * once or twice.)
 */
struct zs_bind_cur {
	uint64_t handle;
	uint32_t bind;
	int valid;
};

struct zs_bind_keeper {
	void *ctx;
	uint32_t (*get)(void *ctx, uint64_t handle);
	int (*set)(void *ctx, uint64_t handle, uint32_t b);
	/* optional (NULL): from now on give p the bindings of the requests read ahead */
	void (*prefetch)(void *ctx, const struct zs_bind_prefetch *p);
	const struct zs_bind_cur *cur; /* optional (NULL) */
};

struct zs_pagemap *zs_pagemap_create(void);
void zs_pagemap_destroy(struct zs_pagemap *pm);

/* From now on source's bindings are kept by k (no binding of source may exist yet). */
void zs_pagemap_keep(struct zs_pagemap *pm, unsigned source, const struct zs_bind_keeper *k);
/* Index of the binding for key, or ZS_NIL (remembers where it looked: see pagemap.c). */
uint32_t zs_pagemap_find(struct zs_pagemap *pm, uint64_t key);
/* Create a binding for key (must not exist); returns its index. */
uint32_t zs_pagemap_insert(struct zs_pagemap *pm, uint64_t key);
/* Remove binding idx (it must be off any task list). */
void zs_pagemap_remove(struct zs_pagemap *pm, uint32_t idx);
/* The key binding idx was inserted with. */
uint64_t zs_pagemap_key_of(const struct zs_pagemap *pm, uint32_t idx);
/* The binding at idx.  The index is stable until removed; the pointer only until the next insert. */
struct zs_binding *zs_pagemap_at(struct zs_pagemap *pm, uint32_t idx);
/* The slab's binding at idx for a read-ahead hint: NULL past the slots ever used
 * (idx need not be live, nor even a binding index). */
const struct zs_binding *zs_pagemap_peek(const struct zs_pagemap *pm, uint32_t idx);
/* The gfp mask last set on binding idx (0 for a new binding): what a fault reuses. */
uint32_t zs_pagemap_gfp(const struct zs_pagemap *pm, uint32_t idx);
/* Record binding idx's gfp mask.  Never fails: past the table's limit of distinct
 * masks the pagemap widens to a full mask per binding (see pagemap.c). */
void zs_pagemap_set_gfp(struct zs_pagemap *pm, uint32_t idx, uint32_t gfp);
/* Distinct masks in the table (mask 0 included), and whether the pagemap widened. */
uint32_t zs_pagemap_gfp_count(const struct zs_pagemap *pm);
int zs_pagemap_gfp_widened(const struct zs_pagemap *pm);
/* Live bindings, and those of them in the index (not kept by their source). */
uint64_t zs_pagemap_count(const struct zs_pagemap *pm);
uint64_t zs_pagemap_indexed(const struct zs_pagemap *pm);

static inline uint64_t
zs_pagemap_key(unsigned source, uint64_t handle)
{
	return ((uint64_t)source << 48) | (handle & 0xffffffffffffull);
}

#endif
