/* swap.c - swap slot allocation; see swap.h. */
#include "alloc/swap.h"

#include <stdlib.h>

#include "sim/diag.h"

int
zs_swap_init(struct zs_swap *s, uint64_t nr_slots)
{
	s->nr_slots = nr_slots;
	s->nr_free = nr_slots;
	s->cursor = 0;
	s->map = nr_slots ? calloc((size_t)(nr_slots + 7) / 8, 1) : NULL;
	return nr_slots && !s->map ? -1 : 0;
}

void
zs_swap_fini(struct zs_swap *s)
{
	free(s->map);
	s->map = NULL;
}

uint32_t
zs_swap_get(struct zs_swap *s)
{
	if (!s->nr_free)
		return UINT32_MAX;
	/* KERNEL: 2.4.0 mm/swapfile.c scan_swap_map(): next fit from the last slot */
	for (uint64_t i = 0; i < s->nr_slots; i++) {
		uint64_t slot = (s->cursor + i) % s->nr_slots;

		if (!(s->map[slot >> 3] & (1u << (slot & 7)))) {
			s->map[slot >> 3] |= (uint8_t)(1u << (slot & 7));
			s->nr_free--;
			s->cursor = slot + 1;
			return (uint32_t)slot;
		}
	}
	ZS_BUG_ON(1); /* nr_free said there was one */
}

void
zs_swap_put(struct zs_swap *s, uint32_t slot)
{
	ZS_BUG_ON(slot >= s->nr_slots || !(s->map[slot >> 3] & (1u << (slot & 7))));
	s->map[slot >> 3] &= (uint8_t)~(1u << (slot & 7));
	s->nr_free++;
}
