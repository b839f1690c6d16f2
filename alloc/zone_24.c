/*
 * zone_24.c - 2.4.0 zone watermarks, the freepages totals, memory_pressure's
 * derived inactive_target and the two integer shortage functions.
 *
 * Watermarks: mask = realsize / zone_balance_ratio[type], clamped to
 * [zone_balance_min, zone_balance_max]; pages_min/low/high = 1x/2x/3x mask;
 * freepages.min/low/high are the sums over every zone of every node.
 * i386 passes no hole array, so realsize is the whole zone.
 */
#include "alloc/policy_24.h"

/* zone_balance_ratio index of a zone type (2.4.0 has DMA, Normal, HighMem). */
static int
ratio_index(enum zs_zone_type t)
{
	switch (t) {
	case ZS_ZONE_DMA:
		return 0;
	case ZS_ZONE_HIGHMEM:
		return 2;
	default:
		return 1;
	}
}

/* KERNEL: 2.4.0 mm/page_alloc.c free_area_init_core(): mask = realsize / ratio, clamped */
uint64_t
zs24_zone_mask(const struct z24_tunables *tun, enum zs_zone_type t, uint64_t realsize)
{
	uint64_t mask = realsize / (uint64_t)tun->ratio[ratio_index(t)];

	if (mask < (uint64_t)tun->balance_min)
		mask = (uint64_t)tun->balance_min;
	if (mask > (uint64_t)tun->balance_max)
		mask = (uint64_t)tun->balance_max;
	return mask;
}

void
zs24_setup_watermarks(struct z24 *s)
{
	s->freepages_min = s->freepages_low = s->freepages_high = 0;
	for (int i = 0; i < s->m->nr_zones; i++) {
		struct zs_zone *z = &s->m->zones[i];

		if (!z->spanned)
			continue;
		/* KERNEL: 2.4.0 mm/page_alloc.c free_area_init_core(): realsize = size - holes */
		uint64_t mask = zs24_zone_mask(&s->tun, z->type, z->present);

		z->pages_min = mask;
		z->pages_low = 2 * mask;
		z->pages_high = 3 * mask;
		/* KERNEL: 2.4.0 mm/page_alloc.c free_area_init_core(): freepages.* += */
		s->freepages_min += mask;
		s->freepages_low += 2 * mask;
		s->freepages_high += 3 * mask;
	}
}

/* KERNEL: 2.4.0 mm/page_alloc.c nr_free_pages() */
uint64_t
zs24_nr_free_pages(struct z24 *s)
{
	uint64_t sum = 0;

	for (int i = 0; i < s->m->nr_zones; i++)
		sum += s->m->zones[i].free_pages;
	return sum;
}

/* KERNEL: 2.4.0 mm/page_alloc.c nr_inactive_clean_pages() */
uint64_t
zs24_nr_inactive_clean_pages(struct z24 *s)
{
	uint64_t sum = 0;

	for (int i = 0; i < s->m->nr_zones; i++)
		sum += zs24_zone(&s->m->zones[i])->inactive_clean.count;
	return sum;
}

/* KERNEL: 2.4.0 include/linux/swap.h inactive_target */
uint64_t
zs24_inactive_target(struct z24 *s)
{
	uint64_t a = s->memory_pressure > 0 ? (uint64_t)s->memory_pressure >> Z24_INACTIVE_SHIFT : 0;
	uint64_t b = s->num_physpages / 4;

	return a < b ? a : b;
}

/* KERNEL: 2.4.0 mm/vmscan.c free_shortage() */
uint64_t
zs24_free_shortage(struct z24 *s)
{
	int64_t freeable = (int64_t)(zs24_nr_free_pages(s) + zs24_nr_inactive_clean_pages(s));
	int64_t freetarget = (int64_t)(s->freepages_high + zs24_inactive_target(s) / 3);
	int64_t sum = 0;

	/* Are we low on free pages globally? */
	if (freeable < freetarget)
		return (uint64_t)(freetarget - freeable);
	/* If not, is any zone below pages_min + 1 (the "+ 1" overlaps __alloc_pages)? */
	for (int i = 0; i < s->m->nr_zones; i++) {
		struct zs_zone *z = &s->m->zones[i];
		int64_t have = (int64_t)(z->free_pages + zs24_zone(z)->inactive_clean.count);

		if (z->spanned && have < (int64_t)z->pages_min + 1)
			sum += (int64_t)z->pages_min + 1 - have;
	}
	return (uint64_t)sum;
}

/* KERNEL: 2.4.0 mm/vmscan.c inactive_shortage(): global only, no per-zone term */
uint64_t
zs24_inactive_shortage(struct z24 *s)
{
	int64_t shortage = (int64_t)s->freepages_high + (int64_t)zs24_inactive_target(s);

	shortage -= (int64_t)zs24_nr_free_pages(s);
	shortage -= (int64_t)zs24_nr_inactive_clean_pages(s);
	shortage -= (int64_t)s->inactive_dirty.count;
	return shortage > 0 ? (uint64_t)shortage : 0;
}

/* KERNEL: 2.4.0 mm/swap.c recalculate_vm_stats(): one second's worth decays */
void
zs24_recalculate_vm_stats(struct z24 *s)
{
	s->memory_pressure -= s->memory_pressure >> Z24_INACTIVE_SHIFT;
}
