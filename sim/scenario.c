/* scenario.c - top-level scenario keys: machine, kernel, workload, duration, seed, output. */
#include "sim/scenario.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "sim/engine.h"
#include "workloads/source.h"

#define MIB_PAGES(x) ((uint64_t)(x) * 256u)

/*
 * The `memory: SIZE` shorthand: the zone layout the kernel version would build
 * on its usual architecture.
 * KERNEL: 2.4.0 arch/i386/mm/init.c paging_init(): DMA below 16 MiB, Normal up
 * to 896 MiB, HighMem above.  2.6 x86_64 (arch/x86/mm/init_64.c): DMA below
 * 16 MiB, DMA32 below 4 GiB, Normal above.
 */
static void
default_layout(struct zs_node_spec *ns, uint64_t pages, enum zs_kver v)
{
	uint64_t dma = MIB_PAGES(16), second = v == ZS_KV_24 ? MIB_PAGES(896) : MIB_PAGES(4096);

	ns->nr_zones = 0;
	ns->zones[ns->nr_zones++] = (struct zs_zone_spec){ZS_ZONE_DMA, pages < dma ? pages : dma};
	if (pages > dma)
		ns->zones[ns->nr_zones++] = (struct zs_zone_spec){
			v == ZS_KV_24 ? ZS_ZONE_NORMAL : ZS_ZONE_DMA32,
			(pages < second ? pages : second) - dma};
	if (pages > second)
		ns->zones[ns->nr_zones++] = (struct zs_zone_spec){
			v == ZS_KV_24 ? ZS_ZONE_HIGHMEM : ZS_ZONE_NORMAL, pages - second};
}

/*
 * The `numa: {nodes: N, memory: SIZE}` shorthand: memory split evenly over the
 * nodes in physical address order (node 0 lowest), each node's range cut into
 * zones at the version's boundaries, as default_layout does for one node.  So
 * on x86_64 node 0 holds DMA and (up to 4 GiB) DMA32; on a 2.4 i386 NUMA box
 * (NUMA-Q) node 0 holds DMA and the Normal zone below 896 MiB.
 */
static void
numa_layout(struct zs_machine_spec *ms, int nr_nodes, uint64_t pages, enum zs_kver v)
{
	const uint64_t bound[] = {MIB_PAGES(16), v == ZS_KV_24 ? MIB_PAGES(896) : MIB_PAGES(4096),
				  UINT64_MAX};
	const enum zs_zone_type type[] = {ZS_ZONE_DMA, v == ZS_KV_24 ? ZS_ZONE_NORMAL : ZS_ZONE_DMA32,
					  v == ZS_KV_24 ? ZS_ZONE_HIGHMEM : ZS_ZONE_NORMAL};

	ms->nr_nodes = nr_nodes;
	for (int n = 0; n < nr_nodes; n++) {
		struct zs_node_spec *ns = &ms->nodes[n];
		uint64_t start = pages * (uint64_t)n / (uint64_t)nr_nodes;
		uint64_t end = pages * (uint64_t)(n + 1) / (uint64_t)nr_nodes, lo = 0;

		ns->nr_zones = 0;
		for (int z = 0; z < 3; lo = bound[z++]) {
			uint64_t a = start > lo ? start : lo, b = end < bound[z] ? end : bound[z];

			if (b > a)
				ns->zones[ns->nr_zones++] = (struct zs_zone_spec){type[z], b - a};
		}
	}
}

static int
parse_zones(struct zs_cfg *list, struct zs_node_spec *ns, enum zs_kver kver, struct zs_error *err)
{
	static const char *const known[] = {"type", "size", NULL};

	if (zs_cfg_expect(list, ZS_CFG_SEQ, "'zones'", err))
		return -1;
	if (list->n < 1 || list->n > ZS_NR_ZONE_TYPES)
		return zs_cfg_error(list, err, "a node has 1 to %d zones", ZS_NR_ZONE_TYPES);
	ns->nr_zones = 0;
	for (int i = 0; i < list->n; i++) {
		struct zs_cfg *z = list->vals[i];
		const char *type = NULL;
		uint64_t pages = 0;
		int t;

		if (zs_cfg_expect(z, ZS_CFG_MAP, "a zone", err) || zs_cfg_check_keys(z, known, err) ||
		    zs_cfg_string(z, "type", &type, err) ||
		    zs_cfg_pages(z, "size", 0, UINT32_MAX - 1, &pages, err))
			return -1;
		if (!type)
			return zs_cfg_error(z, err, "a zone needs 'type' (DMA, DMA32, Normal or HighMem)");
		t = zs_zone_type_parse(type);
		if (t < 0)
			return zs_cfg_error(zs_cfg_get(z, "type"), err,
					    "unknown zone type '%s' (DMA, DMA32, Normal or HighMem)",
					    type);
		if (!zs_cfg_get(z, "size"))
			return zs_cfg_error(z, err, "a zone needs 'size'");
		if (pages == 0)
			return zs_cfg_error(zs_cfg_get(z, "size"), err, "a zone cannot be empty");
		/* KERNEL: ZONE_DMA32 arrived in 2.6.15; 2.4.0 has DMA, Normal, HighMem */
		if (t == ZS_ZONE_DMA32 && kver == ZS_KV_24)
			return zs_cfg_error(zs_cfg_get(z, "type"), err,
					    "2.4.0 has no DMA32 zone (an i386 2.4 box has DMA below 16 MiB, "
					    "Normal up to 896 MiB, HighMem above)");
		if (ns->nr_zones && (int)ns->zones[ns->nr_zones - 1].type >= t)
			return zs_cfg_error(z, err,
					    "zones must be listed in the order DMA, DMA32, Normal, HighMem, each once");
		ns->zones[ns->nr_zones++] = (struct zs_zone_spec){(enum zs_zone_type)t, pages};
	}
	return 0;
}

/*
 * What zsim can simulate at a cost that follows the scenario, checked before the
 * machine is allocated so the error names the scenario's line instead of ending
 * in an out-of-memory.  Every page costs 24 bytes of page array (alloc/page.h),
 * so ZS_MAX_MACHINE_PAGES (1 TiB) is about 6 GiB of host memory: room for the
 * 512 GiB scale runs of `make bench` on a 24 GiB host.
 */
#define ZS_MAX_MACHINE_PAGES MIB_PAGES(1024u * 1024)
/* KERNEL: 2.4.0 arch/i386/config.in: CONFIG_HIGHMEM64G (PAE) is the most memory i386 maps */
#define ZS_MAX_MACHINE_PAGES_24 MIB_PAGES(64u * 1024)
/* KERNEL: 2.4.0 mm/swapfile.c sys_swapon(): a swap area ends below SWP_OFFSET(SWP_ENTRY(0, ~0UL)),
 * the 24 offset bits of an i386 swap entry (include/asm-i386/pgtable.h) */
#define ZS_MAX_SWAP_PAGES_24 ((1u << 24) - 1)

static int
check_size(struct zs_scenario *sc, struct zs_cfg *m, struct zs_cfg *nodes, struct zs_error *err)
{
	const struct zs_machine_spec *ms = &sc->machine;
	uint64_t total = 0, limit;
	struct zs_cfg *where = nodes ? nodes : m ? zs_cfg_get(m, "memory") : NULL;

	for (int i = 0; i < ms->nr_nodes; i++)
		for (int z = 0; z < ms->nodes[i].nr_zones; z++)
			total += ms->nodes[i].zones[z].pages;
	limit = sc->kver == ZS_KV_24 ? ZS_MAX_MACHINE_PAGES_24 : ZS_MAX_MACHINE_PAGES;
	if (total > limit && where)
		return zs_cfg_error(where, err, "%llu MiB of memory is more than %s (at most %llu MiB%s)",
				    (unsigned long long)(total / 256),
				    sc->kver == ZS_KV_24 ? "2.4.0 on i386 maps" : "zsim simulates",
				    (unsigned long long)(limit / 256),
				    sc->kver == ZS_KV_24 ? ", CONFIG_HIGHMEM64G" : ": 24 bytes per page");
	if (sc->kver == ZS_KV_24 && ms->swap_pages > ZS_MAX_SWAP_PAGES_24)
		return zs_cfg_error(zs_cfg_get(m, "swap"), err,
				    "a 2.4.0 i386 swap area holds at most %u pages (64 GiB): its swap "
				    "entries have 24 offset bits",
				    ZS_MAX_SWAP_PAGES_24);
	return 0;
}

/* output.check: a boolean (the cadence of zs_vm_check_event), or "full". */
static int
parse_check(struct zs_cfg *out, int *check, struct zs_error *err)
{
	struct zs_cfg *n = zs_cfg_get(out, "check");

	if (n && n->type == ZS_CFG_SCALAR && !strcasecmp(n->scalar, "full")) {
		*check = ZS_CHECK_ALL_FULL;
		return 0;
	}
	if (zs_cfg_bool(out, "check", check, err)) {
		if (n && n->type == ZS_CFG_SCALAR)
			return zs_cfg_error(n, err, "'check' must be true, false or full, not '%s'",
					    n->scalar);
		return -1;
	}
	return 0;
}

static int
parse_machine(struct zs_scenario *sc, struct zs_cfg *m, struct zs_error *err)
{
	static const char *const known[] = {"cpus", "hz", "swap", "disk", "memory", "nodes",
					    "distance", "numa", "scheduler", NULL};
	static const char *const numa_known[] = {"nodes", "memory", "cpus", "distance", NULL};
	static const char *const disk_known[] = {"latency", "bandwidth", NULL};
	struct zs_machine_spec *ms = &sc->machine;
	uint64_t cpus = 1, hz = 100, memory = 0, swap = 0, bw = 40;
	int64_t latency = 5 * 1000 * 1000;
	struct zs_cfg *nodes, *disk, *dist, *numa;

	if (!m)
		m = NULL;
	if (m && (zs_cfg_expect(m, ZS_CFG_MAP, "'machine'", err) ||
		  zs_cfg_check_keys(m, known, err) ||
		  zs_cfg_uint(m, "cpus", 1, ZS_MAX_CPUS, &cpus, err) ||
		  zs_cfg_uint(m, "hz", 1, 10000, &hz, err) ||
		  zs_cfg_pages(m, "swap", 0, UINT32_MAX - 1, &swap, err) ||
		  zs_cfg_pages(m, "memory", 1, UINT32_MAX - 1, &memory, err)))
		return -1;
	ms->hz = (int)hz;
	ms->swap_pages = swap;
	if (m && zs_cfg_get(m, "scheduler")) {
		/* "kernel": the CPUs are shared under the era's scheduler (sim/sched.c);
		 * "none": every thread has a CPU of its own (the engine's old behaviour) */
		const char *sched = NULL;

		if (zs_cfg_string(m, "scheduler", &sched, err))
			return -1;
		if (strcmp(sched, "none") && strcmp(sched, "kernel"))
			return zs_cfg_error(zs_cfg_get(m, "scheduler"), err,
					    "'scheduler' must be \"kernel\" or \"none\", not \"%s\"",
					    sched);
		sc->sched_none = !strcmp(sched, "none");
	}
	disk = m ? zs_cfg_get(m, "disk") : NULL;
	if (disk) {
		uint64_t bw_pages = 0;

		if (zs_cfg_expect(disk, ZS_CFG_MAP, "'disk'", err) ||
		    zs_cfg_check_keys(disk, disk_known, err) ||
		    zs_cfg_duration(disk, "latency", 0, ZS_NS_PER_SEC * 10, &latency, err))
			return -1;
		/* bandwidth is a size per second: "40MiB" */
		if (zs_cfg_get(disk, "bandwidth")) {
			if (zs_cfg_pages(disk, "bandwidth", 1, UINT32_MAX - 1, &bw_pages, err))
				return -1;
			bw = bw_pages * 4096;
		} else {
			bw = 40ull << 20;
		}
	} else {
		bw = 40ull << 20;
	}
	/* DEVIATION: one disk for swap and files; defaults (5 ms, 40 MiB/s) are an
	 * era-typical IDE disk: seek + rotation of a 7200 rpm drive, media rate of 2001. */
	ms->disk_latency_ns = (uint64_t)latency;
	ms->disk_bandwidth_bps = bw;

	nodes = m ? zs_cfg_get(m, "nodes") : NULL;
	numa = m ? zs_cfg_get(m, "numa") : NULL;
	if (nodes && memory)
		return zs_cfg_error(zs_cfg_get(m, "memory"), err,
				    "give either 'memory' or 'nodes', not both");
	if (numa && (nodes || memory))
		return zs_cfg_error(numa, err, "give one of 'numa', 'nodes' and 'memory'");
	if (numa) {
		uint64_t nn = 2, npages = 0, ncpus = cpus;

		if (zs_cfg_expect(numa, ZS_CFG_MAP, "'numa'", err) ||
		    zs_cfg_check_keys(numa, numa_known, err) ||
		    zs_cfg_uint(numa, "nodes", 1, ZS_MAX_NODES, &nn, err) ||
		    zs_cfg_pages(numa, "memory", 1, UINT32_MAX - 1, &npages, err) ||
		    zs_cfg_uint(numa, "cpus", 1, ZS_MAX_CPUS, &ncpus, err))
			return -1;
		if (!zs_cfg_get(numa, "memory"))
			return zs_cfg_error(numa, err, "'numa' needs 'memory' (all nodes together)");
		if (npages < nn * MIB_PAGES(1))
			return zs_cfg_error(zs_cfg_get(numa, "memory"), err,
					    "'numa' memory gives each of %llu nodes less than 1 MiB",
					    (unsigned long long)nn);
		numa_layout(ms, (int)nn, npages, sc->kver);
		/* the CPUs spread over the nodes, at least one each */
		for (int i = 0; i < (int)nn; i++) {
			ms->nodes[i].cpus = (int)(ncpus / nn) + ((uint64_t)i < ncpus % nn);
			if (!ms->nodes[i].cpus)
				ms->nodes[i].cpus = 1;
		}
	} else if (nodes) {
		static const char *const node_known[] = {"cpus", "zones", NULL};

		if (zs_cfg_expect(nodes, ZS_CFG_SEQ, "'nodes'", err))
			return -1;
		if (nodes->n < 1 || nodes->n > ZS_MAX_NODES)
			return zs_cfg_error(nodes, err, "a machine has 1 to %d nodes", ZS_MAX_NODES);
		ms->nr_nodes = nodes->n;
		int given = 0;
		for (int i = 0; i < nodes->n; i++) {
			struct zs_cfg *n = nodes->vals[i];
			uint64_t ncpu = 0;
			struct zs_cfg *zl;

			if (zs_cfg_expect(n, ZS_CFG_MAP, "a node", err) ||
			    zs_cfg_check_keys(n, node_known, err) ||
			    zs_cfg_uint(n, "cpus", 0, ZS_MAX_CPUS, &ncpu, err))
				return -1;
			zl = zs_cfg_get(n, "zones");
			if (!zl)
				return zs_cfg_error(n, err, "a node needs 'zones'");
			if (parse_zones(zl, &ms->nodes[i], sc->kver, err))
				return -1;
			ms->nodes[i].cpus = (int)ncpu;
			given += (int)ncpu;
		}
		if (given > ZS_MAX_CPUS)
			return zs_cfg_error(nodes, err, "the nodes have %d CPUs in all; a machine has 1 to %d",
					    given, ZS_MAX_CPUS);
		if (!given) {
			/* spread machine.cpus over the nodes, at least one each */
			for (int i = 0; i < nodes->n; i++)
				ms->nodes[i].cpus = (int)(cpus / (uint64_t)nodes->n) +
						    ((uint64_t)i < cpus % (uint64_t)nodes->n);
			for (int i = 0; i < nodes->n; i++)
				if (!ms->nodes[i].cpus)
					ms->nodes[i].cpus = 1;
		}
	} else {
		if (!memory)
			memory = MIB_PAGES(64);
		ms->nr_nodes = 1;
		ms->nodes[0].cpus = (int)cpus;
		default_layout(&ms->nodes[0], memory, sc->kver);
	}
	if (check_size(sc, m, nodes, err))
		return -1;
	/* SLIT distances: 10 local, 20 remote unless given */
	for (int i = 0; i < ZS_MAX_NODES; i++)
		for (int j = 0; j < ZS_MAX_NODES; j++)
			ms->distance[i][j] = i == j ? 10 : 20;
	dist = m ? zs_cfg_get(m, "distance") : NULL;
	if (numa && zs_cfg_get(numa, "distance")) {
		if (dist)
			return zs_cfg_error(dist, err, "give 'distance' once, in 'numa' or beside it");
		dist = zs_cfg_get(numa, "distance");
	}
	if (dist) {
		if (zs_cfg_expect(dist, ZS_CFG_SEQ, "'distance'", err))
			return -1;
		if (dist->n != ms->nr_nodes)
			return zs_cfg_error(dist, err, "'distance' needs one row per node (%d)",
					    ms->nr_nodes);
		for (int i = 0; i < dist->n; i++) {
			struct zs_cfg *row = dist->vals[i];

			if (zs_cfg_expect(row, ZS_CFG_SEQ, "a distance row", err))
				return -1;
			if (row->n != ms->nr_nodes)
				return zs_cfg_error(row, err, "a distance row needs %d entries",
						    ms->nr_nodes);
			for (int j = 0; j < row->n; j++) {
				double d;

				if (zs_cfg_node_double(row->vals[j], &d, err))
					return -1;
				if (d < 10 || d > 255 || (i == j && d != 10))
					return zs_cfg_error(row->vals[j], err,
							    "distances are 10..255, and 10 to itself");
				ms->distance[i][j] = (int)d;
			}
		}
	}
	return 0;
}

int
zs_scenario_parse(struct zs_scenario *sc, struct zs_cfg *root, const char *path,
		  const char *kernel_override, struct zs_error *err)
{
	static const char *const known[] = {"machine", "kernel", "workload", "duration",
					    "seed",    "output", "name",     NULL};
	static const char *const out_known[] = {"dir", "events", "check", NULL};
	const char *version = "2.4";
	const char *base;
	struct zs_cfg *out, *vnode = NULL;

	memset(sc, 0, sizeof(*sc));
	sc->root = root;
	sc->path = path;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	snprintf(sc->name, sizeof(sc->name), "%s", base);
	char *dot = strrchr(sc->name, '.');
	if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml")))
		*dot = '\0';
	if (zs_cfg_check_keys(root, known, err))
		return -1;

	sc->kernel = zs_cfg_get(root, "kernel");
	if (sc->kernel) {
		if (zs_cfg_expect(sc->kernel, ZS_CFG_MAP, "'kernel'", err) ||
		    zs_cfg_string(sc->kernel, "version", &version, err))
			return -1;
		vnode = zs_cfg_get(sc->kernel, "version");
	}
	if (kernel_override)
		version = kernel_override;
	if (zs_kver_parse(version, &sc->kver)) {
		if (vnode && !kernel_override)
			return zs_cfg_error(vnode, err,
					    "unknown kernel version '%s' (2.4, 2.4.0, 2.6.18, 2.6.32 or 2.6)",
					    version);
		return zs_error_set(err, EX_USAGE,
				    "unknown kernel version '%s' (2.4, 2.4.0, 2.6.18, 2.6.32 or 2.6)",
				    version);
	}
	if (parse_machine(sc, zs_cfg_get(root, "machine"), err))
		return -1;

	sc->duration_ns = ZS_NS_PER_SEC;
	sc->seed = 1;
	struct zs_cfg *dn = zs_cfg_get(root, "duration");
	if (dn && dn->type == ZS_CFG_SCALAR && !strcmp(dn->scalar, "auto"))
		sc->duration_ns = 0; /* until every workload source has finished */
	else if (zs_cfg_duration(root, "duration", 1, ZS_MAX_DURATION_NS,
				 &sc->duration_ns, err))
		return -1;
	if (zs_cfg_uint(root, "seed", 0, UINT64_MAX, &sc->seed, err))
		return -1;
	sc->workload = zs_cfg_get(root, "workload");
	if (sc->workload && zs_cfg_expect(sc->workload, ZS_CFG_SEQ, "'workload'", err))
		return -1;
	/* each entry is a source with its own thread, random stream and state */
	if (sc->workload && sc->workload->n > ZS_MAX_SOURCES)
		return zs_cfg_error(sc->workload->vals[ZS_MAX_SOURCES], err,
				    "a scenario has at most %d workload entries", ZS_MAX_SOURCES);
	/* a run must end: refuse at load what only a stall detector could stop */
	for (int i = 0; sc->duration_ns == 0 && sc->workload && i < sc->workload->n; i++)
		if (zs_source_check_ends(sc->workload->vals[i], err))
			return -1;
	out = zs_cfg_get(root, "output");
	if (out && (zs_cfg_expect(out, ZS_CFG_MAP, "'output'", err) ||
		    zs_cfg_check_keys(out, out_known, err) ||
		    zs_cfg_string(out, "dir", &sc->out_dir, err) ||
		    zs_cfg_bool(out, "events", &sc->events, err) ||
		    parse_check(out, &sc->check, err)))
		return -1;
	const char *name = NULL;
	if (zs_cfg_string(root, "name", &name, err))
		return -1;
	if (name)
		snprintf(sc->name, sizeof(sc->name), "%s", name);
	return 0;
}
