/*
 * latency_store.h - the allocation latency samples of a run, kept by value:
 * one entry (ns, order, exit, class, count) per distinct tuple, so a run whose
 * latencies repeat (a per-path cost model charges the same few values) costs
 * memory by its distinct tuples, not by its allocations.
 *
 * Entries live in an open-addressing table (linear probing, load <= 3/4;
 * nothing is ever removed, so no tombstones).  The table grows only while the
 * grown table costs no more than the samples it already counts would cost as
 * plain 12-byte samples; a new tuple that finds the table full and not allowed
 * to grow goes to a plain list of samples instead.  So whatever the values
 * (all distinct at worst) the store costs at most the plain list of every
 * sample plus the first table (4 KiB), with the list's doubling slack as before.
 *
 * Invariants: the table's counts plus the list's length are the samples added;
 * a slot is empty iff its count is 0; table bytes <= max(first table,
 * 12 B x samples the table counts).  One tuple may have several entries (one
 * whose count reached count_max, then a fresh one) and list samples too:
 * readers add them up.
 */
#ifndef ZS_LATENCY_STORE_H
#define ZS_LATENCY_STORE_H

#include <stddef.h>
#include <stdint.h>

/* One sample of the list: packed to 12 bytes (4-byte alignment), not 16.
 * No member's address is taken. */
struct __attribute__((packed, aligned(4))) zs_latency_sample {
	int64_t ns;
	uint8_t order;
	uint8_t path;   /* the model's exit index */
	uint8_t cls;    /* enum zs_pathclass */
};

_Static_assert(sizeof(struct zs_latency_sample) == 12, "a latency sample is 12 bytes");

/* A distinct tuple and how many samples had it. */
struct zs_latency_tuple {
	int64_t ns;
	uint32_t count; /* 0: an empty slot */
	uint8_t order, path, cls, spare;
};

_Static_assert(sizeof(struct zs_latency_tuple) == 16, "a latency tuple is 16 bytes");

struct zs_latency_store {
	/* others may read (tests) */
	uint32_t count_max;              /* an entry's count stops here: UINT32_MAX (tests lower it) */
	/* owned by latency_store.c */
	struct zs_latency_tuple *slot;   /* cap slots, a power of two; NULL before the first sample */
	size_t cap, used;                /* slots, and slots in use */
	/* the entry the last sample went to (a run repeats a few latencies); NULL after
	 * a rehash.  The only entry of its tuple not full, if it is not full itself. */
	struct zs_latency_tuple *last;
	uint64_t in_table;               /* samples the table counts */
	struct zs_latency_sample *list;  /* the samples the table did not take */
	size_t nlist, listcap;
};

/* Slots of the first table: 4 KiB. */
#define ZS_LATENCY_FIRST_SLOTS 256

void zs_latency_store_init(struct zs_latency_store *st);
void zs_latency_store_free(struct zs_latency_store *st);

/* Count one sample.  Allocates only to grow the table or the list (amortised doubling). */
void zs_latency_store_add(struct zs_latency_store *st, int64_t ns, uint8_t order, uint8_t path,
			  uint8_t cls);

/* Samples added. */
uint64_t zs_latency_store_count(const struct zs_latency_store *st);

/* Every entry of the table, then every list sample as an entry of count 1, in no
 * particular order, into a new array *out (caller frees); returns their number. */
size_t zs_latency_store_export(const struct zs_latency_store *st, struct zs_latency_tuple **out);

/* Bytes the store holds (table and list capacity). */
size_t zs_latency_store_bytes(const struct zs_latency_store *st);

#endif
