/* machine.c - lays out nodes and zones over one page array; see machine.h. */
#include "alloc/machine.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sysexits.h>

/*
 * A page array of 2 MiB or more comes straight from the host's mmap, aligned to
 * and a multiple of 2 MiB, with a hint (MADV_HUGEPAGE) that the host may back it
 * with huge pages.  Boot writes every entry, and on a large machine most of
 * boot's time was the host faulting the array in 4 KiB at a time (a fault for
 * every 170 pages): with 2 MiB pages the host takes one fault for every 87,381.
 * Where the host's transparent huge pages are off the hint does nothing and the
 * array is faulted in as before.  The mapping is a whole number of huge pages, so
 * no other allocation shares them, and the memory it adds is still 24 bytes a
 * page, rounded up to 2 MiB.  A smaller array (a machine below 341 MiB: the tests,
 * the fuzzers) comes from malloc, as it would gain nothing and pay for a whole
 * huge page; *len_out is then 0.
 */
#define PAGE_ARRAY_ALIGN ((size_t)2 << 20)

static struct zs_page *
page_array_map(uint32_t nr_pages, size_t *len_out)
{
	size_t bytes = sizeof(struct zs_page) * (size_t)nr_pages;
	size_t len = (bytes + PAGE_ARRAY_ALIGN - 1) & ~(PAGE_ARRAY_ALIGN - 1);
	size_t span = len + PAGE_ARRAY_ALIGN;
	char *raw;

	*len_out = 0;
	if (bytes < PAGE_ARRAY_ALIGN)
		return malloc(bytes ? bytes : 1);
	raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	/* keep the aligned part; give the slack either side back */
	size_t head = (PAGE_ARRAY_ALIGN - ((uintptr_t)raw & (PAGE_ARRAY_ALIGN - 1))) &
		      (PAGE_ARRAY_ALIGN - 1);
	if (head)
		munmap(raw, head);
	if (span - head - len)
		munmap(raw + head + len, span - head - len);
	(void)madvise(raw + head, len, MADV_HUGEPAGE); /* a hint: failure changes nothing */
	*len_out = len;
	return (struct zs_page *)(void *)(raw + head);
}

static void
page_array_unmap(struct zs_page *pages, size_t len)
{
	if (len)
		munmap(pages, len);
	else
		free(pages);
}

static const char *const zone_names[ZS_NR_ZONE_TYPES] = {"DMA", "DMA32", "Normal", "HighMem"};

const char *
zs_zone_type_name(enum zs_zone_type t)
{
	return (unsigned)t < ZS_NR_ZONE_TYPES ? zone_names[t] : "?";
}

int
zs_zone_type_parse(const char *s)
{
	for (int i = 0; i < ZS_NR_ZONE_TYPES; i++)
		if (!strcasecmp(s, zone_names[i]))
			return i;
	return -1;
}

struct zs_machine *
zs_machine_create(const struct zs_machine_spec *spec, struct zs_error *err)
{
	struct zs_machine *m;
	uint64_t total = 0;
	int nz = 0, cpu = 0;

	if (spec->nr_nodes < 1 || spec->nr_nodes > ZS_MAX_NODES) {
		zs_error_set(err, EX_DATAERR, "machine needs 1 to %d nodes", ZS_MAX_NODES);
		return NULL;
	}
	for (int n = 0; n < spec->nr_nodes; n++) {
		const struct zs_node_spec *ns = &spec->nodes[n];
		int last = -1;

		if (ns->nr_zones < 1) {
			zs_error_set(err, EX_DATAERR, "node %d has no zones", n);
			return NULL;
		}
		for (int z = 0; z < ns->nr_zones; z++) {
			if ((int)ns->zones[z].type <= last) {
				zs_error_set(err, EX_DATAERR,
					     "node %d: zones must be in the order DMA, DMA32, Normal, HighMem, each once",
					     n);
				return NULL;
			}
			last = (int)ns->zones[z].type;
			if (ns->zones[z].pages == 0) {
				zs_error_set(err, EX_DATAERR, "node %d zone %s has no pages", n,
					     zs_zone_type_name(ns->zones[z].type));
				return NULL;
			}
			total += ns->zones[z].pages;
			nz++;
		}
		cpu += ns->cpus;
	}
	/* 32-bit links: the largest pfn must stay below ZS_NIL. */
	if (total >= (uint64_t)ZS_NIL) {
		zs_error_set(err, EX_DATAERR, "machine too large: %llu pages (limit %u)",
			     (unsigned long long)total, ZS_NIL - 1);
		return NULL;
	}
	if (cpu < 1 || cpu > ZS_MAX_CPUS) {
		zs_error_set(err, EX_DATAERR, "machine needs 1 to %d CPUs", ZS_MAX_CPUS);
		return NULL;
	}

	m = calloc(1, sizeof(*m));
	if (!m)
		goto oom;
	m->spec = *spec;
	m->nr_pages = (uint32_t)total;
	m->pages = page_array_map((uint32_t)total, &m->pages_len);
	m->zones = calloc((size_t)nz, sizeof(struct zs_zone));
	if (!m->pages || !m->zones)
		goto oom;
	/* Before boot every page is reserved, as memmap_init leaves them. */
	for (uint32_t pfn = 0; pfn < m->nr_pages; pfn++)
		m->pages[pfn] = (struct zs_page){ZS_NIL, ZS_NIL, ZS_PG_RESERVED, 0, 0, ZS_LST_NONE, 0,
						 ZS_NIL, 0};

	uint32_t pfn = 0;
	int zi = 0;
	cpu = 0;
	m->nr_nodes = spec->nr_nodes;
	for (int n = 0; n < spec->nr_nodes; n++) {
		const struct zs_node_spec *ns = &spec->nodes[n];
		struct zs_node *node = &m->nodes[n];

		node->id = n;
		node->start_pfn = pfn;
		node->cpu_first = cpu;
		node->nr_cpus = ns->cpus;
		for (int c = 0; c < ns->cpus; c++)
			m->cpu_node[cpu + c] = n;
		cpu += ns->cpus;
		for (int z = 0; z < ns->nr_zones; z++) {
			struct zs_zone *zone = &m->zones[zi];

			zone->id = zi;
			zone->node = n;
			zone->type = ns->zones[z].type;
			zone->name = zs_zone_type_name(zone->type);
			zone->start_pfn = pfn;
			zone->spanned = (uint32_t)ns->zones[z].pages;
			zone->present = zone->spanned;
			node->zone[zone->type] = zone;
			node->nr_zones++;
			node->present += zone->present;
			pfn += zone->spanned;
			zi++;
		}
	}
	m->nr_zones = nz;
	m->nr_cpus = cpu;
	/* zone_map (machine.h): the zone of each chunk's first and last pfn */
	size_t chunks = ((size_t)m->nr_pages >> ZS_ZONE_MAP_SHIFT) + 1;
	m->zone_map = malloc(chunks);
	if (!m->zone_map)
		goto oom;
	for (size_t c = 0; c < chunks; c++) {
		uint64_t first = (uint64_t)c << ZS_ZONE_MAP_SHIFT;
		uint64_t last = first + (1u << ZS_ZONE_MAP_SHIFT) - 1;

		if (last >= m->nr_pages)
			last = m->nr_pages ? m->nr_pages - 1 : 0;
		if (first > last)
			first = last;
		struct zs_zone *a = zs_pfn_zone_search(m, (uint32_t)first);
		struct zs_zone *b = zs_pfn_zone_search(m, (uint32_t)last);

		m->zone_map[c] = a == b && a->id < ZS_ZONE_MAP_MIXED ? (uint8_t)a->id
								      : ZS_ZONE_MAP_MIXED;
	}
	return m;
oom:
	zs_machine_destroy(m);
	zs_error_set(err, EX_OSERR, "out of memory building the machine (%llu pages)",
		     (unsigned long long)total);
	return NULL;
}

void
zs_machine_destroy(struct zs_machine *m)
{
	if (!m)
		return;
	if (m->pages)
		page_array_unmap(m->pages, m->pages_len);
	free(m->zones);
	free(m->zone_map);
	free(m);
}
