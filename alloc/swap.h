/*
 * swap.h - the swap device: a fixed number of page-sized slots.
 *
 * get_swap_page hands out the lowest free slot at or after a rotating cursor
 * (next fit, like the 2.4/2.6 cluster scan, without the cluster bookkeeping).
 * DEVIATION: no swap clusters and no swap-map reference counts beyond one owner.
 *
 * Invariant: nr_free == number of zero bits in the map.
 */
#ifndef ZS_SWAP_H
#define ZS_SWAP_H

#include <stdint.h>

struct zs_swap {
	uint64_t nr_slots;
	uint64_t nr_free;
	uint64_t cursor;
	uint8_t *map; /* one bit per slot */
};

int zs_swap_init(struct zs_swap *s, uint64_t nr_slots);
void zs_swap_fini(struct zs_swap *s);
/* A free slot, or UINT32_MAX when swap is full (or absent). */
uint32_t zs_swap_get(struct zs_swap *s);
/* Release a slot. */
void zs_swap_put(struct zs_swap *s, uint32_t slot);

#endif
