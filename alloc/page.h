/*
 * page.h - the page array (one struct zs_page per page frame) and the
 * index-linked lists every kernel model threads through it.
 *
 * Models struct page of 2.4.0 and 2.6 in 24 bytes: 32-bit list links instead of
 * pointers, packed flags, order, age and list tag.  A page is on at most one
 * list at a time (buddy free list, per-cpu list or an LRU list); `list` names
 * that list so the invariant checker and list_del can verify it.
 *
 * Invariant: page->list == ZS_LST_NONE  <=>  next == prev == ZS_NIL, and every
 * struct zs_list's count equals the number of pages linked on it.
 */
#ifndef ZS_PAGE_H
#define ZS_PAGE_H

#include <stdint.h>

#include "sim/diag.h"

#define ZS_NIL UINT32_MAX

/* Page flags.  Bits 0-15 are the core's; 16-31 belong to the kernel models. */
enum {
	ZS_PG_BUDDY = 1u << 0,      /* head of a free buddy block; order = its order (2.6 PG_buddy) */
	ZS_PG_HEAD = 1u << 1,       /* head page of an allocated block; order = block order */
	ZS_PG_RESERVED = 1u << 2,   /* never handed to the allocator */
	ZS_PG_LOCKED = 1u << 3,     /* under I/O */
	ZS_PG_REFERENCED = 1u << 4, /* PG_referenced */
	ZS_PG_DIRTY = 1u << 5,      /* PG_dirty */
	ZS_PG_ACTIVE = 1u << 6,     /* on an active LRU list */
	ZS_PG_LRU = 1u << 7,        /* on some LRU list */
	ZS_PG_SWAPCACHE = 1u << 8,  /* in the swap cache (aux holds the slot) */
	ZS_PG_WRITEBACK = 1u << 9,  /* write I/O in flight */
	ZS_PG_MAPPED = 1u << 10,    /* a task's PTE maps it */
	ZS_PG_YOUNG = 1u << 11,     /* the PTE young (accessed) bit */
	ZS_PG_PCP = 1u << 12,       /* on a per-cpu list (counted as allocated by the buddy) */
	ZS_PG_BOUND = 1u << 13,     /* owner is a pagemap binding index */
	ZS_PG_PAIRBIT = 1u << 14,   /* 2.4.0 buddy: the free_area pair bit this page holds (buddy.h) */
	ZS_PG_MODEL0 = 1u << 16     /* first bit a kernel model may use */
};

/* Which list holds a page (page->list).  Buddy lists are per migratetype. */
enum {
	ZS_LST_NONE = 0,
	ZS_LST_BUDDY = 1,  /* ZS_LST_BUDDY + migratetype, 1..5 */
	ZS_LST_PCP = 8,    /* a per-cpu list */
	ZS_LST_MODEL = 16  /* 16..255: LRU lists named by the kernel model */
};

/* Page kinds a request can ask for; the models decide what each means for their lists. */
enum zs_page_kind {
	ZS_KIND_ANON = 0,       /* private anonymous memory of a task */
	ZS_KIND_FILE_CLEAN = 1, /* page cache, read from disk */
	ZS_KIND_FILE_DIRTY = 2, /* page cache, written by the task */
	ZS_KIND_KERNEL = 3,     /* slab, stacks, page tables: never reclaimable */
	ZS_KIND_BUFFER = 4,     /* buffer cache (2.4 buffer heads) */
	ZS_NR_KINDS
};

struct zs_page {
	uint32_t next, prev; /* list links (pfns), ZS_NIL at the ends */
	uint32_t flags;      /* ZS_PG_* */
	uint8_t order;       /* free block order (BUDDY) or allocated block order (HEAD) */
	uint8_t age;         /* 2.4.0 page->age */
	uint8_t list;        /* ZS_LST_* of the list holding the page */
	uint8_t kind;        /* enum zs_page_kind while allocated */
	uint32_t owner;      /* pagemap binding index when ZS_PG_BOUND, else ZS_NIL */
	uint32_t aux;        /* model-owned: swap slot, refcount extras, migratetype... */
};

_Static_assert(sizeof(struct zs_page) == 24, "the page array budget is 24 bytes per page");

/* A doubly linked list of pages by pfn.  head = where list_add inserts. */
struct zs_list {
	uint32_t head, tail;
	uint32_t count;
};

#define ZS_LIST_INIT ((struct zs_list){ZS_NIL, ZS_NIL, 0})

static inline void
zs_list_init(struct zs_list *l)
{
	*l = ZS_LIST_INIT;
}

/* list_add: insert pfn at the head. */
static inline void
zs_list_add(struct zs_page *pages, struct zs_list *l, uint32_t pfn, uint8_t tag)
{
	struct zs_page *p = &pages[pfn];

	p->prev = ZS_NIL;
	p->next = l->head;
	if (l->head != ZS_NIL)
		pages[l->head].prev = pfn;
	else
		l->tail = pfn;
	l->head = pfn;
	l->count++;
	p->list = tag;
}

/* list_add_tail: insert pfn at the tail. */
static inline void
zs_list_add_tail(struct zs_page *pages, struct zs_list *l, uint32_t pfn, uint8_t tag)
{
	struct zs_page *p = &pages[pfn];

	p->next = ZS_NIL;
	p->prev = l->tail;
	if (l->tail != ZS_NIL)
		pages[l->tail].next = pfn;
	else
		l->head = pfn;
	l->tail = pfn;
	l->count++;
	p->list = tag;
}

/* list_del: unlink pfn from l (which must hold it). */
static inline void
zs_list_del(struct zs_page *pages, struct zs_list *l, uint32_t pfn)
{
	struct zs_page *p = &pages[pfn];

	if (p->prev != ZS_NIL)
		pages[p->prev].next = p->next;
	else
		l->head = p->next;
	if (p->next != ZS_NIL)
		pages[p->next].prev = p->prev;
	else
		l->tail = p->prev;
	p->next = p->prev = ZS_NIL;
	p->list = ZS_LST_NONE;
	l->count--;
}

/* Remove and return the head (or ZS_NIL when empty): zs_list_del knowing that the
 * head has no prev. */
static inline uint32_t
zs_list_pop_head(struct zs_page *pages, struct zs_list *l)
{
	uint32_t pfn = l->head;

	if (pfn == ZS_NIL)
		return ZS_NIL;
	struct zs_page *p = &pages[pfn];

	l->head = p->next;
	if (p->next != ZS_NIL)
		pages[p->next].prev = ZS_NIL;
	else
		l->tail = ZS_NIL;
	p->next = p->prev = ZS_NIL;
	p->list = ZS_LST_NONE;
	l->count--;
	return pfn;
}

/* Remove and return the tail (or ZS_NIL when empty). */
static inline uint32_t
zs_list_pop_tail(struct zs_page *pages, struct zs_list *l)
{
	uint32_t pfn = l->tail;

	if (pfn != ZS_NIL)
		zs_list_del(pages, l, pfn);
	return pfn;
}

/* Move pfn (currently on `from`) to the head of `to`. */
static inline void
zs_list_move(struct zs_page *pages, struct zs_list *from, struct zs_list *to, uint32_t pfn,
	     uint8_t tag)
{
	zs_list_del(pages, from, pfn);
	zs_list_add(pages, to, pfn, tag);
}

/*
 * The invariant checker's look at a list without walking it: its count against
 * its ends, the ends' outward links and list tags.  1 when they agree.
 */
static inline int
zs_list_ends_ok(const struct zs_page *pages, uint32_t nr_pages, const struct zs_list *l,
		uint8_t tag)
{
	if (l->count == 0)
		return l->head == ZS_NIL && l->tail == ZS_NIL;
	if (l->head >= nr_pages || l->tail >= nr_pages || (l->count == 1) != (l->head == l->tail))
		return 0;
	return pages[l->head].prev == ZS_NIL && pages[l->tail].next == ZS_NIL &&
	       pages[l->head].list == tag && pages[l->tail].list == tag;
}

/*
 * The invariant checker's page walk: the pfn after pfn to look at.  With
 * skip_free, the head of a free buddy block stands for its whole block: its
 * tail pages carry no state (zs_buddy_check verifies that on the full passes),
 * so a walk's cost follows the pages in use, not the memory size.
 */
static inline uint32_t
zs_walk_next(const struct zs_page *pages, uint32_t pfn, int skip_free)
{
	const struct zs_page *p = &pages[pfn];

	/* an order past 31 is corrupt: step by one and let the checks report it */
	return pfn + (skip_free && (p->flags & ZS_PG_BUDDY) && p->order < 32 ? 1u << p->order : 1u);
}

#endif
