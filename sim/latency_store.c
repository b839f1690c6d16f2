/* latency_store.c - latency samples as distinct tuples with counts; see latency_store.h. */
#include "sim/latency_store.h"

#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"

void
zs_latency_store_init(struct zs_latency_store *st)
{
	memset(st, 0, sizeof(*st));
	st->count_max = UINT32_MAX;
}

void
zs_latency_store_free(struct zs_latency_store *st)
{
	free(st->slot);
	free(st->list);
	zs_latency_store_init(st);
}

/* murmur3's 64-bit finaliser over ns with the three key bytes in its top bits:
 * latencies are often multiples of a jiffy or of a per-page cost, whose low
 * bits alone would crowd a few slots. */
static size_t
slot_of(int64_t ns, uint8_t order, uint8_t path, uint8_t cls, size_t cap)
{
	uint64_t x = (uint64_t)ns ^ ((uint64_t)order << 56 | (uint64_t)path << 48 | (uint64_t)cls << 40);

	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return (size_t)x & (cap - 1);
}

/* The first empty slot at or after the tuple's home. */
static size_t
empty_slot(const struct zs_latency_store *st, const struct zs_latency_tuple *t)
{
	size_t i = slot_of(t->ns, t->order, t->path, t->cls, st->cap);

	while (st->slot[i].count)
		i = (i + 1) & (st->cap - 1);
	return i;
}

/* A table of cap slots holding every entry of the old one (none when it is the first). */
static void
rehash(struct zs_latency_store *st, size_t cap)
{
	struct zs_latency_tuple *old = st->slot;
	size_t oldcap = st->cap;

	st->slot = calloc(cap, sizeof(*st->slot));
	ZS_BUG_ON(!st->slot);
	st->cap = cap;
	st->last = NULL;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].count)
			st->slot[empty_slot(st, &old[i])] = old[i];
	free(old);
}

static void
list_add(struct zs_latency_store *st, int64_t ns, uint8_t order, uint8_t path, uint8_t cls)
{
	if (st->nlist == st->listcap) {
		st->listcap = st->listcap ? 2 * st->listcap : 4096;
		st->list = realloc(st->list, st->listcap * sizeof(*st->list));
		ZS_BUG_ON(!st->list);
	}
	st->list[st->nlist].ns = ns;
	st->list[st->nlist].order = order;
	st->list[st->nlist].path = path;
	st->list[st->nlist].cls = cls;
	st->nlist++;
}

void
zs_latency_store_add(struct zs_latency_store *st, int64_t ns, uint8_t order, uint8_t path,
		     uint8_t cls)
{
	struct zs_latency_tuple *t = st->last;
	size_t i;

	/* the probe below would find this entry: a tuple has one entry not full */
	if (t && t->ns == ns && t->order == order && t->path == path && t->cls == cls &&
	    t->count < st->count_max) {
		t->count++;
		st->in_table++;
		return;
	}
	if (!st->cap)
		rehash(st, ZS_LATENCY_FIRST_SLOTS);
	for (i = slot_of(ns, order, path, cls, st->cap); (t = &st->slot[i])->count;
	     i = (i + 1) & (st->cap - 1)) {
		/* an entry that is full is passed over: the tuple gets another one */
		if (t->ns == ns && t->order == order && t->path == path && t->cls == cls &&
		    t->count < st->count_max) {
			t->count++;
			st->in_table++;
			st->last = t;
			return;
		}
	}
	if (st->used >= st->cap - st->cap / 4) {
		/* grow only if the doubled table costs no more than its samples would as a list */
		if (2 * st->cap * sizeof(*st->slot) > st->in_table * sizeof(struct zs_latency_sample)) {
			list_add(st, ns, order, path, cls);
			return;
		}
		rehash(st, 2 * st->cap);
		t = &st->slot[empty_slot(st, &(struct zs_latency_tuple){ns, 0, order, path, cls, 0})];
	}
	*t = (struct zs_latency_tuple){ns, 1, order, path, cls, 0};
	st->used++;
	st->in_table++;
	st->last = t;
}

uint64_t
zs_latency_store_count(const struct zs_latency_store *st)
{
	return st->in_table + st->nlist;
}

size_t
zs_latency_store_export(const struct zs_latency_store *st, struct zs_latency_tuple **out)
{
	struct zs_latency_tuple *a = malloc((st->used + st->nlist + 1) * sizeof(*a));
	size_t n = 0;

	ZS_BUG_ON(!a);
	for (size_t i = 0; i < st->cap; i++)
		if (st->slot[i].count)
			a[n++] = st->slot[i];
	for (size_t i = 0; i < st->nlist; i++)
		a[n++] = (struct zs_latency_tuple){st->list[i].ns, 1, st->list[i].order,
						   st->list[i].path, st->list[i].cls, 0};
	*out = a;
	return n;
}

size_t
zs_latency_store_bytes(const struct zs_latency_store *st)
{
	return st->cap * sizeof(*st->slot) + st->listcap * sizeof(*st->list);
}
