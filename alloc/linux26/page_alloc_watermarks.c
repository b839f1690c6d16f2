/*
 * page_alloc_watermarks.c - (mm/page_alloc.c) min_free_kbytes, the per-zone min/low/high watermarks,
 * lowmem_reserve and zone_watermark_ok() of Linux 2.6.18 and 2.6.32 (the
 * rules are the same in both versions).  zone_watermark_ok() and the mark it
 * reads are static inline in model.h: every allocation asks them.
 *
 * Invariant: for every zone min <= low <= high, and lowmem_reserve[j] of a
 * zone of type i is 0 for j <= i.
 */
#include "alloc/linux26/model.h"

uint64_t
zs26_int_sqrt(uint64_t x)
{
	/* KERNEL: lib/int_sqrt.c int_sqrt(): floor of the square root */
	uint64_t op = x, res = 0, one = 1ull << 62;

	while (one > op)
		one >>= 2;
	while (one != 0) {
		if (op >= res + one) {
			op -= res + one;
			res += one << 1;
		}
		res >>= 1;
		one >>= 2;
	}
	return res;
}

static int
is_highmem(const struct zs_zone *z)
{
	return z->type == ZS_ZONE_HIGHMEM;
}

uint64_t
zs26_default_min_free_kbytes(struct zs_machine *m)
{
	/*
	 * KERNEL: 2.6.32 mm/page_alloc.c init_per_zone_wmark_min() (= 2.6.18
	 * init_per_zone_pages_min): lowmem_kbytes = nr_free_buffer_pages() * 4,
	 * where nr_free_buffer_pages() sums present - high (high is still 0) over
	 * the GFP_USER zonelist, i.e. every non-highmem zone of every node.
	 */
	uint64_t lowmem_pages = 0, kb;

	for (int i = 0; i < m->nr_zones; i++)
		if (!is_highmem(&m->zones[i]))
			lowmem_pages += m->zones[i].present;
	kb = zs26_int_sqrt(lowmem_pages * (ZS_PAGE_SIZE / 1024) * 16);
	if (kb < 128)
		kb = 128;
	if (kb > 65536)
		kb = 65536;
	return kb;
}

void
zs26_setup_wmarks(struct zs_machine *m, uint64_t min_free_kbytes)
{
	/* KERNEL: 2.6.32 mm/page_alloc.c setup_per_zone_wmarks() (2.6.18 setup_per_zone_pages_min) */
	uint64_t pages_min = min_free_kbytes / (ZS_PAGE_SIZE / 1024);
	uint64_t lowmem_pages = 0;

	for (int i = 0; i < m->nr_zones; i++)
		if (!is_highmem(&m->zones[i]))
			lowmem_pages += m->zones[i].present;
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		uint64_t tmp = lowmem_pages ? pages_min * z->present / lowmem_pages : 0;
		uint64_t min;

		if (is_highmem(z)) {
			/* SUBTLE: highmem's min is small, but low/high still add tmp/4, tmp/2 */
			min = z->present / 1024;
			if (min < ZS26_SWAP_CLUSTER_MAX)
				min = ZS26_SWAP_CLUSTER_MAX;
			if (min > 128)
				min = 128;
		} else {
			min = tmp;
		}
		z->pages_min = min;
		z->pages_low = min + (tmp >> 2);
		z->pages_high = min + (tmp >> 1);
	}
}

void
zs26_setup_lowmem_reserve(struct zs_machine *m, const int ratio_in[ZS_NR_ZONE_TYPES])
{
	/*
	 * KERNEL: 2.6.32 mm/page_alloc.c setup_per_zone_lowmem_reserve() (same in
	 * 2.6.18): per node, reserve[idx][j] = present of zones idx+1..j / ratio[idx].
	 * Zone types missing on the node count with present 0, as unpopulated zones do.
	 */
	int ratio[ZS_NR_ZONE_TYPES];

	for (int i = 0; i < ZS_NR_ZONE_TYPES; i++)
		ratio[i] = ratio_in[i] < 1 ? 1 : ratio_in[i];
	for (int n = 0; n < m->nr_nodes; n++) {
		struct zs_node *node = &m->nodes[n];

		for (int j = 0; j < ZS_NR_ZONE_TYPES; j++) {
			uint64_t acc = node->zone[j] ? node->zone[j]->present : 0;

			if (node->zone[j])
				node->zone[j]->lowmem_reserve[j] = 0;
			for (int idx = j - 1; idx >= 0; idx--) {
				struct zs_zone *lower = node->zone[idx];

				if (lower) {
					lower->lowmem_reserve[j] = acc / (uint64_t)ratio[idx];
					acc += lower->present;
				}
			}
		}
	}
}

