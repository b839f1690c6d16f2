/*
 * machine.h - the simulated machine: nodes, zones and the page array.
 *
 * Page frames are numbered as the kernel lays them out: node 0's first zone
 * starts at pfn 0, a node's zones are contiguous in the order DMA, DMA32,
 * Normal, HighMem, and nodes follow one another.  A zone may start at a pfn that
 * is not aligned to the largest buddy block (as real DMA32/Normal boundaries do).
 *
 * Fields above the "owned by" line are geometry, fixed at build time.  The
 * buddy fields are owned by buddy.c; watermark fields are filled by the kernel
 * model's init; the model keeps its own per-zone state behind zone->model.
 *
 * Invariant: zones[i].start_pfn + spanned == zones[i+1].start_pfn for zones of
 * one node, and sum(present) == nr_pages.
 */
#ifndef ZS_MACHINE_H
#define ZS_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "alloc/page.h"

#define ZS_MAX_ORDER_LIMIT 11 /* the largest MAX_ORDER any model uses (2.6) */
#define ZS_MIGRATE_TYPES 5    /* UNMOVABLE, RECLAIMABLE, MOVABLE, RESERVE, ISOLATE */
#define ZS_MAX_NODES 64
#define ZS_MAX_CPUS 256
#define ZS_PAGE_SIZE 4096u

enum zs_zone_type {
	ZS_ZONE_DMA = 0,
	ZS_ZONE_DMA32 = 1,
	ZS_ZONE_NORMAL = 2,
	ZS_ZONE_HIGHMEM = 3,
	ZS_NR_ZONE_TYPES
};

/* "DMA", "DMA32", "Normal", "HighMem" (the kernel's zone names). */
const char *zs_zone_type_name(enum zs_zone_type t);
/* Parse a zone name, case-insensitively; -1 when unknown. */
int zs_zone_type_parse(const char *s);

struct zs_free_area {
	struct zs_list list[ZS_MIGRATE_TYPES]; /* 2.4.0 and 2.6.18 use list[0] only */
	uint32_t nr_free;                      /* free blocks of this order (all types) */
};

struct zs_node;

struct zs_zone {
	/* geometry */
	int id;                 /* index into machine->zones, in pfn order */
	int node;               /* node id */
	enum zs_zone_type type;
	const char *name;
	uint32_t start_pfn;
	uint32_t spanned;       /* pages spanned */
	uint32_t present;       /* pages present (all of them: zsim has no holes) */

	/* owned by buddy.c */
	int max_order;          /* MAX_ORDER of the model: 10 (2.4) or 11 (2.6) */
	int discipline;         /* enum zs_buddy_discipline */
	uint64_t free_pages;    /* pages on the buddy free lists (pcp pages are not free) */
	struct zs_free_area free_area[ZS_MAX_ORDER_LIMIT];
	uint64_t nr_free_mt[ZS_MAX_ORDER_LIMIT][ZS_MIGRATE_TYPES]; /* blocks per (order, type) */

	/* filled by the kernel model */
	uint64_t pages_min, pages_low, pages_high;       /* watermark[MIN/LOW/HIGH] */
	uint64_t lowmem_reserve[ZS_NR_ZONE_TYPES];       /* 2.6 only */

	/* counters every model keeps (pages unless the name says blocks) */
	uint64_t pgalloc;                            /* pages allocated from this zone */
	uint64_t pgfree;                             /* pages freed into this zone */
	uint64_t alloc_blocks[ZS_MAX_ORDER_LIMIT];   /* blocks allocated per order (the model counts) */
	uint64_t free_blocks[ZS_MAX_ORDER_LIMIT];    /* blocks freed per order, reclaim included */

	void *model;            /* the kernel model's per-zone state */
};

struct zs_node {
	int id;
	uint32_t start_pfn;
	uint32_t present;
	int nr_zones;
	struct zs_zone *zone[ZS_NR_ZONE_TYPES]; /* NULL where the node has no such zone */
	int cpu_first, nr_cpus;                 /* the node's CPUs: [cpu_first, cpu_first+nr_cpus) */
	void *model;                            /* the kernel model's per-node state */
};

/* What the scenario asks for; machine.c turns it into zones. */
struct zs_zone_spec {
	enum zs_zone_type type;
	uint64_t pages;
};

struct zs_node_spec {
	int nr_zones;
	struct zs_zone_spec zones[ZS_NR_ZONE_TYPES];
	int cpus; /* CPUs on this node */
};

struct zs_machine_spec {
	int nr_nodes;
	struct zs_node_spec nodes[ZS_MAX_NODES];
	int distance[ZS_MAX_NODES][ZS_MAX_NODES]; /* SLIT distances; 10 local, 20 remote */
	int hz;                  /* ticks per second (metrics sampling and jiffies) */
	uint64_t swap_pages;     /* size of the swap device */
	uint64_t disk_latency_ns;   /* per request */
	uint64_t disk_bandwidth_bps; /* bytes per second */
};

struct zs_machine {
	struct zs_page *pages; /* pages[pfn] for pfn < nr_pages */
	size_t pages_len;      /* bytes mapped for pages, 0 if malloc'd (machine.c) */
	uint32_t nr_pages;
	int nr_nodes;
	struct zs_node nodes[ZS_MAX_NODES];
	int nr_zones;
	struct zs_zone *zones; /* every populated zone, in pfn order */
	uint64_t free_pages;   /* the zones' free_pages summed: kept where they change */
	int nr_cpus;
	int cpu_node[ZS_MAX_CPUS]; /* node of each CPU */
	uint8_t *zone_map;         /* [pfn >> ZS_ZONE_MAP_SHIFT]: see zs_pfn_zone */
	struct zs_machine_spec spec;
};

/*
 * Build the machine described by spec: page array, nodes, zones (all pages
 * reserved, none free yet).  Returns NULL with err set when the spec is unusable.
 */
struct zs_machine *zs_machine_create(const struct zs_machine_spec *spec, struct zs_error *err);
void zs_machine_destroy(struct zs_machine *m);

/*
 * zone_map: one byte per chunk of 2^ZS_ZONE_MAP_SHIFT pfns (4 MiB, the largest
 * 2.6 buddy block), 0.001 B a page: the index of the zone that holds the whole
 * chunk, or ZS_ZONE_MAP_MIXED where a zone boundary falls inside the chunk (or the
 * zone's index does not fit in a byte), and zs_pfn_zone searches the zones.
 */
#define ZS_ZONE_MAP_SHIFT 10
#define ZS_ZONE_MAP_MIXED 0xff

/* The zone holding pfn by binary search over the zones (zs_pfn_zone's slow case). */
static inline struct zs_zone *
zs_pfn_zone_search(struct zs_machine *m, uint32_t pfn)
{
	int lo = 0, hi = m->nr_zones - 1;

	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;

		if (m->zones[mid].start_pfn <= pfn)
			lo = mid;
		else
			hi = mid - 1;
	}
	return &m->zones[lo];
}

/* The zone holding pfn (< nr_pages): one load from zone_map, the search only in a
 * chunk a zone boundary cuts.  Inline: every free asks it. */
static inline struct zs_zone *
zs_pfn_zone(struct zs_machine *m, uint32_t pfn)
{
	unsigned i = m->zone_map[pfn >> ZS_ZONE_MAP_SHIFT];

	if (__builtin_expect(i != ZS_ZONE_MAP_MIXED, 1))
		return &m->zones[i];
	return zs_pfn_zone_search(m, pfn);
}

/* cpu % nr_cpus without the division when cpu is already in range (the common case). */
static inline unsigned
zs_cpu_index(const struct zs_machine *m, unsigned cpu)
{
	return cpu < (unsigned)m->nr_cpus ? cpu : cpu % (unsigned)m->nr_cpus;
}

/* Total present pages. */
static inline uint64_t
zs_machine_pages(const struct zs_machine *m)
{
	return m->nr_pages;
}

#endif
