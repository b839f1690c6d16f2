/*
 * model.c - the Linux 2.6.18 and 2.6.32 models behind
 * struct zs_policy_ops: boot (buddy, pageblocks, zonelists, watermarks,
 * lowmem_reserve, MIGRATE_RESERVE, per-cpu pagesets, kswapd), the free and
 * LRU hooks, `zsim check` output, per-tick metrics and the invariant checker.
 *
 * The allocation paths are page_alloc_2618.c and page_alloc_2632.c; the
 * mechanisms they share are in page_alloc.c and page_alloc_watermarks.c,
 * _pcp.c, _mobility.c, _zonelists.c; the LRU in swap.c, reclaim and kswapd
 * in vmscan.c, the OOM killer in oom_kill.c.
 *
 * Scenario tunables (`kernel:` map): version (read by the lead),
 * min_free_kbytes, percpu_pagelist_fraction, reclaim_scan_ns,
 * numa_zonelist_order, swappiness, dirty_ratio, dirty_background_ratio,
 * zone_reclaim_mode, min_unmapped_ratio, min_slab_ratio.
 */
#include "alloc/linux26/model.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc/buddy.h"
#include "sim/cfg.h"

const char *const zs26_path_names[ZS26_NR_PATHS] = {
	[ZS26_P_FAST] = "fast",
	[ZS26_P_MIN] = "min",
	[ZS26_P_NOWMARK] = "nowmark",
	[ZS26_P_RECLAIM] = "reclaim",
	[ZS26_P_RETRY] = "retry",
	[ZS26_P_HIGH] = "high",
	[ZS26_P_OOM_RETRY] = "oom_retry",
	[ZS26_P_FAIL_NOZONE] = "fail_nozone",
	[ZS26_P_FAIL_THISNODE] = "fail_thisnode",
	[ZS26_P_FAIL_ATOMIC] = "fail_atomic",
	[ZS26_P_FAIL_MEMALLOC] = "fail_memalloc",
	[ZS26_P_FAIL_MEMDIE] = "fail_memdie",
	[ZS26_P_FAIL_COSTLY] = "fail_costly",
	[ZS26_P_FAIL_NORETRY] = "fail_noretry",
	[ZS26_P_FAIL_OOM] = "fail_oom",
};

const unsigned char zs26_path_failed[ZS26_NR_PATHS] = {
	[ZS26_P_FAIL_NOZONE] = 1,  [ZS26_P_FAIL_THISNODE] = 1, [ZS26_P_FAIL_ATOMIC] = 1,
	[ZS26_P_FAIL_MEMALLOC] = 1, [ZS26_P_FAIL_MEMDIE] = 1,  [ZS26_P_FAIL_COSTLY] = 1,
	[ZS26_P_FAIL_NORETRY] = 1, [ZS26_P_FAIL_OOM] = 1,
};

/* ---- boot ---- */

static const char *const known_keys[] = {"version",		"min_free_kbytes",
					 "percpu_pagelist_fraction", "reclaim_scan_ns",
					 "numa_zonelist_order",	"swappiness",
					 "dirty_ratio",		"dirty_background_ratio",
					 "zone_reclaim_mode",	"min_unmapped_ratio",
					 "min_slab_ratio",	NULL};

/* KERNEL: 2.6.18 kernel/sysctl.c vm.zone_reclaim_mode, min_unmapped_ratio (0..100),
 * 2.6.32 also min_slab_ratio (0..100); defaults 1 % and 5 % (mm/vmscan.c) */
static int
read_zone_reclaim_tunables(struct zs26 *k, struct zs_cfg *kcfg, struct zs_error *err)
{
	const int v18 = k->kver == ZS_KV_2618;
	struct zs_cfg *c = zs_cfg_get(kcfg, "zone_reclaim_mode");
	int64_t v;

	if (c) {
		v = 0;
		if (zs_cfg_int(kcfg, "zone_reclaim_mode", 0, v18 ? 15 : 7, &v, err))
			return -1;
		k->zone_reclaim_mode_user = (int)v;
	}
	v = k->min_unmapped_ratio;
	if (zs_cfg_int(kcfg, "min_unmapped_ratio", 0, 100, &v, err))
		return -1;
	k->min_unmapped_ratio = (int)v;
	c = zs_cfg_get(kcfg, "min_slab_ratio");
	if (c && v18)
		return zs_cfg_error(c, err, "min_slab_ratio is a 2.6.19+ tunable; 2.6.18 has none");
	v = k->min_slab_ratio;
	if (zs_cfg_int(kcfg, "min_slab_ratio", 0, 100, &v, err))
		return -1;
	k->min_slab_ratio = (int)v;
	return 0;
}

static int
read_tunables(struct zs26 *k, struct zs_cfg *kcfg, struct zs_error *err)
{
	uint64_t v;

	k->reclaim_scan_ns = 250;
	/* KERNEL: 2.6.18 mm/vmscan.c vm_swappiness = 60; mm/page-writeback.c 40 / 10 (2.6.32: 20 / 10) */
	k->rc.swappiness = 60;
	k->dirty_ratio = k->kver == ZS_KV_2632 ? 20 : 40;
	k->dirty_background_ratio = 10;
	k->zone_reclaim_mode_user = -1;
	k->min_unmapped_ratio = 1;
	k->min_slab_ratio = k->kver == ZS_KV_2632 ? 5 : 0;
	if (!kcfg)
		return 0;
	if (kcfg->type != ZS_CFG_MAP)
		return zs_cfg_error(kcfg, err, "kernel: expected a map of tunables");
	if (zs_cfg_check_keys(kcfg, known_keys, err))
		return -1;
	if (zs_cfg_get(kcfg, "min_free_kbytes")) {
		/* KERNEL: /proc/sys/vm/min_free_kbytes (min_free_kbytes_sysctl_handler) */
		if (zs_cfg_uint(kcfg, "min_free_kbytes", 1, 1u << 30, &v, err))
			return -1;
		k->min_free_kbytes = v;
		k->min_free_kbytes_user = 1;
	}
	v = 0;
	if (zs_cfg_uint(kcfg, "percpu_pagelist_fraction", 0, 1u << 30, &v, err))
		return -1;
	if (v != 0 && v < 8)
		/* KERNEL: 2.6.32 kernel/sysctl.c min_percpu_pagelist_fract = 8 */
		return zs_cfg_error(zs_cfg_get(kcfg, "percpu_pagelist_fraction"), err,
				    "percpu_pagelist_fraction must be 0 (off) or at least 8");
	k->percpu_pagelist_fraction = v;
	int64_t ns = k->reclaim_scan_ns;

	if (zs_cfg_int(kcfg, "reclaim_scan_ns", 0, 1000000000, &ns, err))
		return -1;
	k->reclaim_scan_ns = ns;
	struct zs_cfg *zo = zs_cfg_get(kcfg, "numa_zonelist_order");
	if (zo) {
		const char *s = NULL;

		if (k->kver != ZS_KV_2632)
			return zs_cfg_error(zo, err,
					    "numa_zonelist_order is a 2.6.23+ tunable; 2.6.18 builds "
					    "node order only");
		if (zs_cfg_string(kcfg, "numa_zonelist_order", &s, err))
			return -1;
		/* KERNEL: 2.6.32 mm/page_alloc.c __parse_numa_zonelist_order(): first letter */
		switch (s[0]) {
		case 'd': case 'D':
			k->user_zonelist_order = ZS26_ZONELIST_ORDER_DEFAULT;
			break;
		case 'n': case 'N':
			k->user_zonelist_order = ZS26_ZONELIST_ORDER_NODE;
			break;
		case 'z': case 'Z':
			k->user_zonelist_order = ZS26_ZONELIST_ORDER_ZONE;
			break;
		default:
			return zs_cfg_error(zo, err,
					    "numa_zonelist_order: expected default, node or zone");
		}
	}
	/* KERNEL: kernel/sysctl.c: swappiness 0..100, dirty ratios 0..100 */
	ns = k->rc.swappiness;
	if (zs_cfg_int(kcfg, "swappiness", 0, 100, &ns, err))
		return -1;
	k->rc.swappiness = (int)ns;
	ns = k->dirty_ratio;
	if (zs_cfg_int(kcfg, "dirty_ratio", 0, 100, &ns, err))
		return -1;
	k->dirty_ratio = (int)ns;
	ns = k->dirty_background_ratio;
	if (zs_cfg_int(kcfg, "dirty_background_ratio", 0, 100, &ns, err))
		return -1;
	k->dirty_background_ratio = (int)ns;
	return read_zone_reclaim_tunables(k, kcfg, err);
}

static int
zone_model_init(struct zs_vm *vm, struct zs_zone *z, struct zs_error *err)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_zone *zz = calloc(1, sizeof(*zz));

	if (!zz)
		return zs_error_set(err, EX_OSERR, "out of memory");
	z->model = zz;
	zz->pageset = calloc((size_t)k->nr_cpus, sizeof(*zz->pageset));
	if (!zz->pageset)
		return zs_error_set(err, EX_OSERR, "out of memory");
	if (k->kver == ZS_KV_2632) {
		uint32_t nr = 1u << k->pageblock_order;
		uint32_t end = z->start_pfn + z->spanned;

		zz->pb_base = z->start_pfn & ~(nr - 1);
		zz->nr_pageblocks = (end - zz->pb_base + nr - 1) >> k->pageblock_order;
		zz->pageblock = malloc(zz->nr_pageblocks);
		if (!zz->pageblock)
			return zs_error_set(err, EX_OSERR, "out of memory");
		/* KERNEL: 2.6.32 mm/page_alloc.c memmap_init_zone(): every block MOVABLE */
		memset(zz->pageblock, ZS26_MT_MOVABLE, zz->nr_pageblocks);
		zz->pb_count[ZS26_MT_MOVABLE] = zz->nr_pageblocks;
	}
	zs_buddy_init(z, ZS_BUDDY_26);
	return 0;
}

static void zs26_destroy(struct zs_vm *vm);

static int
zs26_init(struct zs_vm *vm, struct zs_cfg *kcfg, struct zs_error *err)
{
	struct zs_machine *m = vm->machine;
	struct zs26 *k = calloc(1, sizeof(*k));

	if (!k)
		return zs_error_set(err, EX_OSERR, "out of memory");
	vm->model = k;
	k->kver = vm->ops->kver;
	k->nr_cpus = m->nr_cpus;
	k->rc.cur_cpu = 0;
	if (read_tunables(k, kcfg, err))
		goto fail;
	/*
	 * KERNEL: pageblock_order = HUGETLB_PAGE_ORDER.  zsim has no architecture
	 * setting: a machine with HighMem is taken as i386 without PAE (4 MiB huge
	 * pages, order 10), any other as x86_64 (2 MiB, order 9).
	 */
	k->pageblock_order = 9;
	for (int i = 0; i < m->nr_zones; i++)
		if (m->zones[i].type == ZS_ZONE_HIGHMEM)
			k->pageblock_order = 10;
	/* KERNEL: lowmem_reserve_ratio defaults {DMA 256, DMA32 256, Normal 32, HighMem 32} */
	k->lowmem_reserve_ratio[ZS_ZONE_DMA] = 256;
	k->lowmem_reserve_ratio[ZS_ZONE_DMA32] = 256;
	k->lowmem_reserve_ratio[ZS_ZONE_NORMAL] = 32;
	k->lowmem_reserve_ratio[ZS_ZONE_HIGHMEM] = 32;

	for (int n = 0; n < m->nr_nodes; n++) {
		struct zs26_node *nm = calloc(1, sizeof(*nm));

		if (!nm) {
			zs_error_set(err, EX_OSERR, "out of memory");
			goto fail;
		}
		nm->vm = vm;
		nm->id = n;
		m->nodes[n].model = nm;
	}
	for (int i = 0; i < m->nr_zones; i++)
		if (zone_model_init(vm, &m->zones[i], err))
			goto fail;
	if (zs26_build_zonelists(vm, err))
		goto fail;
	/* the sysctl written after boot wins over what build_zonelists chose */
	if (k->zone_reclaim_mode_user >= 0)
		k->zone_reclaim_mode = k->zone_reclaim_mode_user;
	zs26_setup_zone_reclaim(vm);
	/* KERNEL: 2.6.32 mm/page_alloc.c build_all_zonelists(): too small to group when
	 * nr_free_pagecache_pages(), the sum of present - high over the zonelist, is
	 * below MIGRATE_TYPES pageblocks; at boot no watermark is set yet (high 0),
	 * and node 0's zonelist holds every populated zone */
	uint64_t vm_total_pages = 0;

	for (int i = 0; i < m->nr_zones; i++)
		vm_total_pages += m->zones[i].present;
	if (k->kver == ZS_KV_2632 &&
	    vm_total_pages < ((uint64_t)1 << k->pageblock_order) * ZS_MIGRATE_TYPES)
		k->group_by_mobility_disabled = 1;
	k->mt_mask = k->kver == ZS_KV_2632 && !k->group_by_mobility_disabled ? 3 : 0;

	/* KERNEL: free_all_bootmem(): every page freed once, in pfn order */
	for (int i = 0; i < m->nr_zones; i++)
		zs_buddy_boot(m, &m->zones[i], k->kver == ZS_KV_2632 ? ZS26_MT_MOVABLE : 0);

	/* DEVIATION: 2.6.32 free_area_init_core() counts present_pages without the
	 * zone's own mem_map (PAGE_ALIGN(size * sizeof(struct page)) pages, ~1.4 %
	 * on x86_64) and the first zone's dma_reserve (2.6.18 does not subtract
	 * them); here present == spanned on both, because those pages would also
	 * have to leave the buddy (they are bootmem), so 2.6.32's min_free_kbytes,
	 * watermarks, lowmem_reserve and pcp batch come out ~1.5 % higher. */
	if (!k->min_free_kbytes_user)
		k->min_free_kbytes = zs26_default_min_free_kbytes(m);
	zs26_setup_wmarks(m, k->min_free_kbytes);
	zs26_setup_lowmem_reserve(m, k->lowmem_reserve_ratio);
	for (int i = 0; i < m->nr_zones; i++) {
		zs26_setup_migrate_reserve(vm, &m->zones[i]);
		zs26_setup_pagesets(vm, &m->zones[i]);
	}
	if (zs26_lru_init(vm, err))
		goto fail;
	/*
	 * KERNEL: 2.6.18 mm/page_alloc.c build_all_zonelists(): vm_total_pages =
	 * nr_free_pagecache_pages(), the sum of present - pages_high; at that point
	 * of boot pages_high is still 0 (init_per_zone_pages_min runs later), so
	 * it is every present page.
	 */
	for (int i = 0; i < m->nr_zones; i++)
		k->rc.vm_total_pages += m->zones[i].present;
	if (vm->engine) {
		zs26_kswapd_start(vm);
		if (zs26_writeback_start(vm, err))
			goto fail;
		/* the timers that drain remote pcps: with one node there is nothing remote */
		if (m->nr_nodes > 1) {
			if (k->kver == ZS_KV_2618 && zs26_cache_reap_start(vm, err))
				goto fail;
			if (k->kver == ZS_KV_2632)
				zs26_vmstat_start(vm);
		}
	}
	return 0;
fail:
	zs26_destroy(vm);
	return -1;
}

static void
zs26_destroy(struct zs_vm *vm)
{
	struct zs_machine *m = vm->machine;

	if (!vm->model)
		return;
	zs26_free_zonelists(vm);
	zs26_rframe_fini(vm);
	zs26_lru_fini(vm);
	for (int n = 0; n < m->nr_nodes; n++) {
		free(m->nodes[n].model);
		m->nodes[n].model = NULL;
	}
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs26_zone *zz = m->zones[i].model;

		if (!zz)
			continue;
		free(zz->pageset);
		free(zz->pageblock);
		free(zz);
		m->zones[i].model = NULL;
	}
	free(zs26_of(vm)->reap_node);
	free(vm->model);
	vm->model = NULL;
}

/*
 * summary.txt lines only some runs have: on a NUMA machine the remote pcp drains
 * (slab.c / vmstat.c), with zone_reclaim_mode set its counts (vmscan_zone.c).
 */
static void
zs26_summary(struct zs_vm *vm, FILE *f)
{
	struct zs26 *k = zs26_of(vm);

	if (vm->machine->nr_nodes >= 2)
		fprintf(f, "pcp_remote_drains: %" PRIu64 "\npcp_remote_drained_pages: %" PRIu64 "\n",
			k->pcp_remote_drains, k->pcp_remote_drained);
	zs26_zone_reclaim_summary(vm, f);
	if (k->kver == ZS_KV_2632 && vm->machine->nr_nodes >= 2)
		fprintf(f, "zlc_zones_skipped: %" PRIu64 "\nzlc_rescans: %" PRIu64
			   "\nzlc_zaps: %" PRIu64 "\n",
			k->zlc_skipped, k->zlc_rescans, k->zlc_zaps);
	if (k->kver == ZS_KV_2632)
		zs26_isolated_summary(vm, f);
}

/* ---- zsim check ---- */

static void
zs26_describe(struct zs_vm *vm, FILE *out, int csv)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;

	if (csv) {
		fprintf(out, "node,zone,start_pfn,spanned_pages,present_pages,min,low,high,"
			     "lowmem_reserve_dma,lowmem_reserve_dma32,lowmem_reserve_normal,"
			     "lowmem_reserve_highmem,pcp_batch,pcp_high\n");
		for (int i = 0; i < m->nr_zones; i++) {
			struct zs_zone *z = &m->zones[i];
			struct zs26_pcp *pcp = &zs26_zone(z)->pageset[0].pcp[0];

			fprintf(out, "%d,%s,%u,%u,%u,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%u,%u\n",
				z->node, z->name, z->start_pfn, z->spanned, z->present,
				(unsigned long long)z->pages_min, (unsigned long long)z->pages_low,
				(unsigned long long)z->pages_high,
				(unsigned long long)z->lowmem_reserve[0],
				(unsigned long long)z->lowmem_reserve[1],
				(unsigned long long)z->lowmem_reserve[2],
				(unsigned long long)z->lowmem_reserve[3], pcp->batch, pcp->high);
		}
		return;
	}
	fprintf(out, "kernel %s: min_free_kbytes %llu%s, MAX_ORDER %d\n", vm->ops->name,
		(unsigned long long)k->min_free_kbytes,
		k->min_free_kbytes_user ? " (set)" : " (default)", ZS26_MAX_ORDER);
	if (k->kver == ZS_KV_2632)
		fprintf(out, "pageblock_order %d (%s), grouping by mobility %s\n",
			k->pageblock_order,
			k->pageblock_order == 10 ? "HighMem present: i386 without PAE"
						 : "x86_64-style",
			k->group_by_mobility_disabled ? "disabled" : "on");
	{
		uint64_t bg, dirty;

		/* KERNEL: 2.6.18 mm/page-writeback.c get_dirty_limits() at boot, set_ratelimit() */
		zs26_get_dirty_limits(vm, &bg, &dirty);
		fprintf(out, "dirty thresholds at boot: background %llu, dirty %llu pages; "
			     "ratelimit_pages %llu\n",
			(unsigned long long)bg, (unsigned long long)dirty,
			(unsigned long long)zs26_ratelimit_pages(vm));
	}
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		struct zs26_zone *zz = zs26_zone(z);
		struct zs26_pcp *hot = &zz->pageset[0].pcp[0], *cold = &zz->pageset[0].pcp[1];

		fprintf(out, "Node %d, zone %8s  start_pfn %u spanned %u present %u\n", z->node,
			z->name, z->start_pfn, z->spanned, z->present);
		fprintf(out, "        min %llu low %llu high %llu\n",
			(unsigned long long)z->pages_min, (unsigned long long)z->pages_low,
			(unsigned long long)z->pages_high);
		fprintf(out, "        protection: (%llu, %llu, %llu, %llu)   [DMA, DMA32, Normal, HighMem class]\n",
			(unsigned long long)z->lowmem_reserve[0],
			(unsigned long long)z->lowmem_reserve[1],
			(unsigned long long)z->lowmem_reserve[2],
			(unsigned long long)z->lowmem_reserve[3]);
		if (k->kver == ZS_KV_2618)
			fprintf(out,
				"        pcp (each of %d cpus): hot batch %u high %u, cold batch %u high %u (zone_batchsize %u)\n",
				k->nr_cpus, hot->batch, hot->high, cold->batch, cold->high,
				zz->unbatched);
		else
			fprintf(out, "        pcp (each of %d cpus): batch %u high %u (zone_batchsize %u)\n",
				k->nr_cpus, hot->batch, hot->high, zz->unbatched);
		fprintf(out, "        min_unmapped_pages %llu", (unsigned long long)zz->min_unmapped_pages);
		if (k->kver == ZS_KV_2632)
			fprintf(out, " min_slab_pages %llu", (unsigned long long)zz->min_slab_pages);
		fprintf(out, "\n");
		/* KERNEL: 2.6.18 mm/vmstat.c zoneinfo_show(): "vm stats threshold" */
		fprintf(out, "        vm stats threshold: %d (calculate_threshold: 2 * fls(%d cpus) * "
			     "(1 + fls(%u pages >> 15)), at most 125)\n",
			zz->stat_threshold, k->nr_cpus, z->present);
		if (k->kver == ZS_KV_2632)
			/* KERNEL: 2.6.32 /proc/zoneinfo "inactive_ratio" */
			fprintf(out, "        inactive_ratio: %llu\n",
				(unsigned long long)zz->lru.inactive_ratio);
		if (k->kver == ZS_KV_2632) {
			fprintf(out, "        pageblocks:");
			for (int t = 0; t < ZS_MIGRATE_TYPES; t++)
				fprintf(out, " %s %u", zs26_mt_name(t), zs26_pageblocks_of(vm, z, t));
			fprintf(out, "\n");
		}
	}
	fprintf(out, "zonelist order: %s (%s)\n", zs26_zonelist_order_name(k->zonelist_order),
		k->zonelist_order_why);
	fprintf(out, "zone_reclaim_mode: %d (%s)\n", k->zone_reclaim_mode,
		k->zone_reclaim_mode_user >= 0 ? "zone_reclaim_mode set"
		: k->zone_reclaim_mode	       ? "a node is farther than RECLAIM_DISTANCE 20"
					       : "no node is farther than RECLAIM_DISTANCE 20");
	if (k->kver == ZS_KV_2632)
		fprintf(out, "min_unmapped_ratio: %d %%, min_slab_ratio: %d %% (no slab is "
			     "simulated: reclaimable slab is 0, never above min_slab_pages)\n",
			k->min_unmapped_ratio, k->min_slab_ratio);
	else
		fprintf(out, "min_unmapped_ratio: %d %%\n", k->min_unmapped_ratio);
	if (k->kver == ZS_KV_2632)
		fprintf(out, "remote pagesets: each CPU's pageset of a zone on another node is "
			     "drained by one batch when its expire countdown (3, re-armed by the "
			     "CPU's counter differentials on the zone) runs out; vmstat_update "
			     "counts it down every second (sysctl_stat_interval HZ)\n");
	else
		fprintf(out, "remote pagesets: cache_reap drains one other node's pagesets of "
			     "the CPU (drain_node_pages, round-robin over the nodes) every 2 s\n");
	if (k->kver == ZS_KV_2632)
		fprintf(out, "zonelist cache: %s\n",
			m->nr_nodes > 1 ? "on (more than one node online): a zone found full "
					  "is skipped by later walks of the zonelist for up "
					  "to a second (HZ jiffies); __GFP_THISNODE has none"
					: "off (one node online)");
	fprintf(out, "policy_zone: %s (MPOL_BIND applies to requests that may use it)\n",
		zs_zone_type_name((enum zs_zone_type)k->policy_zone));
	fprintf(out, "numa counters per zone (zone_statistics): numa_hit = served on the "
		     "preferred node, numa_miss = served here for another node, numa_foreign = "
		     "preferred here but served elsewhere, local_node / other_node = on / off "
		     "the CPU's node, interleave_hit = interleave's node served it\n");
	for (int n = 0; n < m->nr_nodes; n++) {
		struct zs26_node *nm = m->nodes[n].model;

		fprintf(out, "node %d fallback order:", n);
		for (int i = 0; i < nm->nr_node_order; i++)
			fprintf(out, " %d", nm->node_order[i]);
		fprintf(out, "\n");
		for (int c = 0; c < ZS_NR_ZONE_TYPES; c++) {
			fprintf(out, "zonelist node %d class %-7s:", n,
				zs_zone_type_name((enum zs_zone_type)c));
			for (int i = 0; i < nm->zonelist_len[c]; i++) {
				struct zs_zone *z = &m->zones[nm->zonelist[c][i]];

				fprintf(out, " %d/%s", z->node, z->name);
			}
			fprintf(out, "\n");
		}
	}
}

/* ---- metrics ---- */

enum {
	M_NR_PCP,
	M_PCP_HOT,
	M_PCP_COLD,
	M_REFILLS,
	M_SPILLS,
	M_INACTIVE,
	M_SCAN_DIRECT,
	M_SCAN_KSWAPD,
	M_STEAL,
	M_EXTFRAG,
	M_PB_STEALS,
	M_PB_UNMOVABLE, /* + migratetype */
	M_FREE_MT = M_PB_UNMOVABLE + 4, /* + type * 11 + order, types 0..3 */
	M_ALLOCSTALL = M_FREE_MT + 44,
	M_KSWAPD_WAKEUPS,
	M_PAGEOUTRUN,
	M_KSWAPD_CPU,
	M_DIRECT_CPU,
	M_DRAIN_ALL,
	M_CONGESTION,
	M_OOM_LOCK_WAITS,
	M_OOM_CALLS,
	/* reclaim (vmscan.h): per zone */
	M_LRU0,			/* + lru index */
	M_PGREFILL = M_LRU0 + 5,
	M_PAGES_SCANNED,
	M_ALL_UNRECLAIMABLE,
	M_PREV_PRIORITY,
	M_RECENT_ROTATED0, /* + anon 0 / file 1 */
	M_RECENT_SCANNED0 = M_RECENT_ROTATED0 + 2,
	M_NR_MLOCK = M_RECENT_SCANNED0 + 2,
	M_NR_ISOLATED0, /* + anon 0 / file 1 (2.6.32 NR_ISOLATED_ANON / _FILE) */
	/* reclaim: global */
	M_PGACTIVATE = M_NR_ISOLATED0 + 2,
	M_PGDEACTIVATE,
	M_PGROTATED,
	M_KSWAPD_STEAL,
	M_NR_WRITEBACK,
	M_NR_ANON_PAGES,
	M_NR_FILE_MAPPED,
	M_CONGESTION_EARLY,
	M_NR_DIRTY,
	M_BDP0, /* 5 ids: dirty_exceeded, balance_dirty_pages, waits, wait ns, pages written */
	M_VMSCAN_WRITE = M_BDP0 + 5,
	M_SWAPIN_RA,
	/* zone_statistics(): per zone */
	M_NUMA_HIT,
	M_NUMA_MISS,
	M_NUMA_FOREIGN,
	M_INTERLEAVE_HIT,
	M_LOCAL_NODE,
	M_OTHER_NODE
};

#define NUMA_METRICS                                                                     \
	{"numa_hit", 1}, {"numa_miss", 1}, {"numa_foreign", 1}, {"interleave_hit", 1},   \
		{"local_node", 1}, {"other_node", 1}
#define NUMA_IDS M_NUMA_HIT, M_NUMA_MISS, M_NUMA_FOREIGN, M_INTERLEAVE_HIT, M_LOCAL_NODE, M_OTHER_NODE

#define FO(t, k) {"free_" #t "_order_" #k, 1}
#define FOT(t)                                                                              \
	FO(t, 0), FO(t, 1), FO(t, 2), FO(t, 3), FO(t, 4), FO(t, 5), FO(t, 6), FO(t, 7), FO(t, 8), \
		FO(t, 9), FO(t, 10)
#define FI(t) M_FREE_MT + (t) * 11
#define FIT(t)                                                                                  \
	FI(t) + 0, FI(t) + 1, FI(t) + 2, FI(t) + 3, FI(t) + 4, FI(t) + 5, FI(t) + 6, FI(t) + 7, \
		FI(t) + 8, FI(t) + 9, FI(t) + 10

static const struct zs_metric metrics_2632[] = {
	{"nr_pcp_pages", 1},
	{"pcp_refills", 1},
	{"pcp_spills", 1},
	{"nr_inactive_anon", 1},
	{"nr_active_anon", 1},
	{"nr_inactive_file", 1},
	{"nr_active_file", 1},
	{"nr_unevictable", 1},
	{"nr_mlock", 1},
	{"nr_isolated_anon", 1},
	{"nr_isolated_file", 1},
	{"pgscan_direct", 1},
	{"pgscan_kswapd", 1},
	{"pgsteal", 1},
	{"pgrefill", 1},
	{"pages_scanned", 1},
	{"all_unreclaimable", 1},
	{"prev_priority", 1},
	{"recent_rotated_anon", 1},
	{"recent_rotated_file", 1},
	{"recent_scanned_anon", 1},
	{"recent_scanned_file", 1},
	{"extfrag_fallbacks", 1},
	{"pageblock_steals", 1},
	{"pageblocks_unmovable", 1},
	{"pageblocks_reclaimable", 1},
	{"pageblocks_movable", 1},
	{"pageblocks_reserve", 1},
	FOT(unmovable),
	FOT(reclaimable),
	FOT(movable),
	FOT(reserve),
	{"allocstall", 0},
	{"kswapd_wakeups", 0},
	{"pageoutrun", 0},
	{"kswapd_cpu_ns", 0},
	{"direct_reclaim_cpu_ns", 0},
	{"drain_all_pages", 0},
	{"congestion_waits", 0},
	{"oom_lock_waits", 0},
	{"oom_calls", 0},
	{"pgactivate", 0},
	{"pgdeactivate", 0},
	{"pgrotated", 0},
	{"kswapd_steal", 0},
	{"nr_writeback", 0},
	{"nr_anon_pages", 0},
	{"nr_file_mapped", 0},
	{"congestion_waits_woken", 0},
	{"nr_dirty", 0},
	{"dirty_exceeded", 0},
	{"balance_dirty_pages", 0},
	{"dirty_throttle_waits", 0},
	{"dirty_throttle_ns", 0},
	{"dirty_throttle_written", 0},
	{"nr_vmscan_write", 0},
	{"swapin_readahead", 0},
	NUMA_METRICS,
};
static const int ids_2632[] = {
	M_NR_PCP,	 M_REFILLS,	   M_SPILLS,		M_LRU0 + 0,	M_LRU0 + 1,
	M_LRU0 + 2,	 M_LRU0 + 3,	   M_LRU0 + 4,		M_NR_MLOCK,	M_NR_ISOLATED0,
	M_NR_ISOLATED0 + 1, M_SCAN_DIRECT,
	M_SCAN_KSWAPD,	 M_STEAL,	   M_PGREFILL,		M_PAGES_SCANNED, M_ALL_UNRECLAIMABLE,
	M_PREV_PRIORITY, M_RECENT_ROTATED0, M_RECENT_ROTATED0 + 1, M_RECENT_SCANNED0,
	M_RECENT_SCANNED0 + 1, M_EXTFRAG,		M_PB_STEALS,	M_PB_UNMOVABLE + 0,
	M_PB_UNMOVABLE + 1, M_PB_UNMOVABLE + 2, M_PB_UNMOVABLE + 3, FIT(0),	FIT(1),
	FIT(2),		 FIT(3),	   M_ALLOCSTALL,	M_KSWAPD_WAKEUPS, M_PAGEOUTRUN,
	M_KSWAPD_CPU,	 M_DIRECT_CPU,	   M_DRAIN_ALL,		M_CONGESTION,	M_OOM_LOCK_WAITS,
	M_OOM_CALLS,	 M_PGACTIVATE,	   M_PGDEACTIVATE,	M_PGROTATED,	M_KSWAPD_STEAL,
	M_NR_WRITEBACK,	 M_NR_ANON_PAGES,  M_NR_FILE_MAPPED,	M_CONGESTION_EARLY, M_NR_DIRTY,
	M_BDP0 + 0,	 M_BDP0 + 1,	   M_BDP0 + 2,		M_BDP0 + 3,	M_BDP0 + 4,
	M_VMSCAN_WRITE,	 M_SWAPIN_RA,
	NUMA_IDS,
};
_Static_assert(sizeof(metrics_2632) / sizeof(metrics_2632[0]) ==
		       sizeof(ids_2632) / sizeof(ids_2632[0]),
	       "2.6.32 metric names and ids line up");

static const struct zs_metric metrics_2618[] = {
	{"nr_pcp_pages", 1},	 {"nr_pcp_hot", 1},	      {"nr_pcp_cold", 1},
	{"pcp_refills", 1},	 {"pcp_spills", 1},	      {"nr_inactive", 1},
	{"nr_active", 1},	 {"pgscan_direct", 1},	      {"pgscan_kswapd", 1},
	{"pgsteal", 1},		 {"pgrefill", 1},	      {"pages_scanned", 1},
	{"all_unreclaimable", 1}, {"prev_priority", 1},	      {"allocstall", 0},
	{"kswapd_wakeups", 0},	 {"pageoutrun", 0},	      {"kswapd_cpu_ns", 0},
	{"direct_reclaim_cpu_ns", 0}, {"congestion_waits", 0}, {"oom_calls", 0},
	{"pgactivate", 0},	 {"pgdeactivate", 0},	      {"pgrotated", 0},
	{"kswapd_steal", 0},	 {"nr_writeback", 0},	      {"nr_anon_pages", 0},
	{"nr_file_mapped", 0},	 {"congestion_waits_woken", 0}, {"nr_dirty", 0},
	{"dirty_exceeded", 0},	 {"balance_dirty_pages", 0},  {"dirty_throttle_waits", 0},
	{"dirty_throttle_ns", 0}, {"dirty_throttle_written", 0}, {"pageout_writes", 0},
	{"swapin_readahead", 0},
	NUMA_METRICS,
};
static const int ids_2618[] = {
	M_NR_PCP,	    M_PCP_HOT,	      M_PCP_COLD,	M_REFILLS,	M_SPILLS,
	M_LRU0 + ZS26_LRU_INACTIVE, M_LRU0 + ZS26_LRU_ACTIVE, M_SCAN_DIRECT, M_SCAN_KSWAPD,
	M_STEAL,	    M_PGREFILL,	      M_PAGES_SCANNED,	M_ALL_UNRECLAIMABLE, M_PREV_PRIORITY,
	M_ALLOCSTALL,	    M_KSWAPD_WAKEUPS, M_PAGEOUTRUN,	M_KSWAPD_CPU,	M_DIRECT_CPU,
	M_CONGESTION,	    M_OOM_CALLS,      M_PGACTIVATE,	M_PGDEACTIVATE,	M_PGROTATED,
	M_KSWAPD_STEAL,	    M_NR_WRITEBACK,   M_NR_ANON_PAGES,	M_NR_FILE_MAPPED, M_CONGESTION_EARLY,
	M_NR_DIRTY,	    M_BDP0 + 0,	      M_BDP0 + 1,	M_BDP0 + 2,	M_BDP0 + 3,
	M_BDP0 + 4,	    M_VMSCAN_WRITE,   M_SWAPIN_RA,	NUMA_IDS,
};
_Static_assert(sizeof(metrics_2618) / sizeof(metrics_2618[0]) ==
		       sizeof(ids_2618) / sizeof(ids_2618[0]),
	       "2.6.18 metric names and ids line up");

static int64_t
metric_value(struct zs_vm *vm, struct zs_zone *z, int id)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;

	if (z) {
		struct zs26_zone *zz = zs26_zone(z);

		if (id >= M_FREE_MT && id < M_FREE_MT + 44)
			return (int64_t)z->nr_free_mt[(id - M_FREE_MT) % 11][(id - M_FREE_MT) / 11];
		if (id >= M_LRU0 && id < M_LRU0 + ZS26_NR_LRU)
			return zz->lru.lru[id - M_LRU0].count;
		if (id >= M_PB_UNMOVABLE && id < M_PB_UNMOVABLE + 4)
			return zs26_pageblocks_of(vm, z, id - M_PB_UNMOVABLE);
		switch (id) {
		case M_NR_PCP:
			return (int64_t)zs26_pcp_pages(vm, z, -1);
		case M_PCP_HOT:
			return (int64_t)zs26_pcp_pages(vm, z, 0);
		case M_PCP_COLD:
			return (int64_t)zs26_pcp_pages(vm, z, 1);
		case M_REFILLS:
			return (int64_t)zz->pcp_refills;
		case M_SPILLS:
			return (int64_t)zz->pcp_spills;
		case M_SCAN_DIRECT:
			return (int64_t)zz->lru.pgscan_direct;
		case M_SCAN_KSWAPD:
			return (int64_t)zz->lru.pgscan_kswapd;
		case M_STEAL:
			return (int64_t)zz->lru.pgsteal;
		case M_PGREFILL:
			return (int64_t)zz->lru.pgrefill;
		case M_PAGES_SCANNED:
			return (int64_t)zz->lru.pages_scanned;
		case M_ALL_UNRECLAIMABLE:
			return zz->lru.all_unreclaimable;
		case M_PREV_PRIORITY:
			return zz->lru.prev_priority;
		case M_RECENT_ROTATED0:
		case M_RECENT_ROTATED0 + 1:
			return (int64_t)zz->lru.recent_rotated[id - M_RECENT_ROTATED0];
		case M_RECENT_SCANNED0:
		case M_RECENT_SCANNED0 + 1:
			return (int64_t)zz->lru.recent_scanned[id - M_RECENT_SCANNED0];
		case M_NR_MLOCK:
			return (int64_t)zz->lru.nr_mlock;
		case M_NR_ISOLATED0:
		case M_NR_ISOLATED0 + 1:
			return (int64_t)zz->lru.nr_isolated[id - M_NR_ISOLATED0];
		case M_EXTFRAG:
			return (int64_t)zz->extfrag;
		case M_PB_STEALS:
			return (int64_t)zz->pageblock_steals;
		case M_NUMA_HIT:
			return (int64_t)zz->numa_hit;
		case M_NUMA_MISS:
			return (int64_t)zz->numa_miss;
		case M_NUMA_FOREIGN:
			return (int64_t)zz->numa_foreign;
		case M_INTERLEAVE_HIT:
			return (int64_t)zz->interleave_hit;
		case M_LOCAL_NODE:
			return (int64_t)zz->local_node;
		case M_OTHER_NODE:
			return (int64_t)zz->other_node;
		}
		return 0;
	}
	int64_t sum = 0;

	switch (id) {
	case M_ALLOCSTALL:
		return (int64_t)k->allocstall;
	case M_KSWAPD_WAKEUPS:
	case M_PAGEOUTRUN:
	case M_KSWAPD_CPU:
		for (int n = 0; n < m->nr_nodes; n++) {
			struct zs26_node *nm = m->nodes[n].model;

			if (id == M_KSWAPD_WAKEUPS)
				sum += (int64_t)nm->kswapd_wakeups;
			else if (id == M_PAGEOUTRUN)
				sum += (int64_t)nm->pageoutrun;
			else if (nm->kswapd)
				sum += nm->kswapd->cpu_ns;
		}
		return sum;
	case M_DIRECT_CPU:
		return k->direct_reclaim_ns;
	case M_DRAIN_ALL:
		return (int64_t)k->drain_all_pages;
	case M_CONGESTION:
		return (int64_t)k->congestion_waits;
	case M_OOM_LOCK_WAITS:
		return (int64_t)k->oom_lock_waits;
	case M_OOM_CALLS:
		return (int64_t)k->oom_calls;
	case M_PGACTIVATE:
		return (int64_t)k->rc.pgactivate;
	case M_PGDEACTIVATE:
		return (int64_t)k->rc.pgdeactivate;
	case M_PGROTATED:
		return (int64_t)k->rc.pgrotated;
	case M_KSWAPD_STEAL:
		return (int64_t)k->rc.kswapd_steal;
	case M_NR_WRITEBACK:
		return (int64_t)k->rc.nr_writeback;
	case M_NR_ANON_PAGES:
		return (int64_t)k->rc.nr_anon_pages;
	case M_NR_FILE_MAPPED:
		return (int64_t)k->rc.nr_file_mapped;
	case M_CONGESTION_EARLY:
		return (int64_t)k->congestion_early;
	case M_NR_DIRTY:
		return (int64_t)k->rc.nr_file_dirty;
	case M_BDP0 + 0:
		return k->rc.dirty_exceeded;
	case M_BDP0 + 1:
		return (int64_t)k->rc.bdp_calls;
	case M_BDP0 + 2:
		return (int64_t)k->rc.bdp_waits;
	case M_BDP0 + 3:
		return k->rc.bdp_wait_ns;
	case M_BDP0 + 4:
		return (int64_t)k->rc.bdp_written;
	case M_VMSCAN_WRITE:
		return (int64_t)k->rc.vmscan_write;
	case M_SWAPIN_RA:
		return (int64_t)k->rc.swapin_readahead;
	}
	return 0;
}

static void
sample_with(struct zs_vm *vm, struct zs_zone *z, int64_t *out, const struct zs_metric *mt,
	    const int *ids, int n)
{
	for (int i = 0; i < n; i++)
		if (mt[i].per_zone == (z != NULL))
			out[i] = metric_value(vm, z, ids[i]);
}

static void
sample_2632(struct zs_vm *vm, struct zs_zone *z, int64_t *out)
{
	sample_with(vm, z, out, metrics_2632, ids_2632,
		    (int)(sizeof(ids_2632) / sizeof(ids_2632[0])));
}

static void
sample_2618(struct zs_vm *vm, struct zs_zone *z, int64_t *out)
{
	sample_with(vm, z, out, metrics_2618, ids_2618,
		    (int)(sizeof(ids_2618) / sizeof(ids_2618[0])));
}

/* ---- invariants ---- */

/* A zone's watermarks and locks: the same on every depth of the checker. */
static int
zone_flags_check(const struct zs26 *k, struct zs_zone *z, struct zs_error *err)
{
	const struct zs26_zone *zz = zs26_zone(z);

	if (z->pages_min > z->pages_low || z->pages_low > z->pages_high)
		return zs_error_set(err, EX_SOFTWARE, "%s: watermarks out of order", z->name);
	/* the lock is held across out_of_memory's jiffy, by an allocation that sleeps */
	if (zz->oom_locked && k->oom_lock_holders <= 0)
		return zs_error_set(err, EX_SOFTWARE, "%s: OOM-locked with no holder", z->name);
	if (zz->reclaim_locked)
		return zs_error_set(err, EX_SOFTWARE, "%s: ZONE_RECLAIM_LOCKED left set", z->name);
	return 0;
}

/*
 * The checker's counters-only depth (zs_vm_check_event): the counts the model
 * keeps against each other and the ends of the per-cpu lists, in time
 * independent of the memory size.  The walks of zs26_check below recount them.
 */
static int
zs26_check_counters(struct zs_vm *vm, struct zs_error *err)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;

	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		struct zs26_zone *zz = zs26_zone(z);
		uint64_t blocks = 0;

		for (int t = 0; zz->pageblock && t <= ZS26_MT_ISOLATE; t++)
			blocks += zz->pb_count[t];
		if (zz->pageblock && blocks != zz->nr_pageblocks)
			return zs_error_set(err, EX_SOFTWARE, "%s: %llu pageblocks counted, %u in the map",
					    z->name, (unsigned long long)blocks, zz->nr_pageblocks);
		for (int cpu = 0; cpu < k->nr_cpus; cpu++) {
			for (int c = 0; c < 2; c++) {
				struct zs26_pcp *pcp = &zz->pageset[cpu].pcp[c];
				uint32_t sum = 0;

				for (int t = 0; t < ZS26_MT_PCPTYPES; t++) {
					const struct zs_list *l = &pcp->lists[t];

					if (!zs_list_ends_ok(m->pages, m->nr_pages, l, ZS_LST_PCP) ||
					    (l->count && !(m->pages[l->head].flags & ZS_PG_PCP)))
						return zs_error_set(err, EX_SOFTWARE,
								    "%s cpu %d: pcp list %d of %u pages has bad ends",
								    z->name, cpu, t, l->count);
					sum += l->count;
				}
				if (sum != pcp->count)
					return zs_error_set(err, EX_SOFTWARE,
							    "%s cpu %d: pcp count %u, lists hold %u",
							    z->name, cpu, pcp->count, sum);
			}
		}
		if (zz->vm_stat[ZS26_NR_FILE_MAPPED] > zz->vm_stat[ZS26_NR_FILE_PAGES])
			return zs_error_set(err, EX_SOFTWARE, "%s: more file pages mapped than cached",
					    z->name);
		if (zone_flags_check(k, z, err))
			return -1;
	}
	return zs26_lru_check_counters(vm, err);
}

static int
zs26_check(struct zs_vm *vm, struct zs_error *err)
{
	struct zs26 *k = zs26_of(vm);
	struct zs_machine *m = vm->machine;

	if (zs26_check_counters(vm, err))
		return -1;
	if (vm->check_counters_only)
		return 0;
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		struct zs26_zone *zz = zs26_zone(z);
		uint64_t on_pcp = 0, allocated = 0, pcp_flagged = 0;

		if (zz->pageblock) {
			uint32_t count[ZS26_MT_ISOLATE + 1] = {0};

			for (uint32_t b = 0; b < zz->nr_pageblocks; b++)
				count[zz->pageblock[b] <= ZS26_MT_ISOLATE ? zz->pageblock[b] : 0]++;
			for (int t = 0; t <= ZS26_MT_ISOLATE; t++)
				if (count[t] != zz->pb_count[t])
					return zs_error_set(err, EX_SOFTWARE,
							    "%s: %u %s pageblocks counted, %u in the map",
							    z->name, zz->pb_count[t], zs26_mt_name(t),
							    count[t]);
		}
		for (int cpu = 0; cpu < k->nr_cpus; cpu++) {
			for (int c = 0; c < 2; c++) {
				struct zs26_pcp *pcp = &zz->pageset[cpu].pcp[c];
				uint32_t sum = 0;

				for (int t = 0; t < ZS26_MT_PCPTYPES; t++) {
					uint32_t walked = 0;

					for (uint32_t pfn = pcp->lists[t].head; pfn != ZS_NIL;
					     pfn = m->pages[pfn].next) {
						const struct zs_page *p = &m->pages[pfn];

						if (!(p->flags & ZS_PG_PCP) || p->list != ZS_LST_PCP ||
						    pfn < z->start_pfn ||
						    pfn >= z->start_pfn + z->spanned)
							return zs_error_set(
								err, EX_SOFTWARE,
								"%s cpu %d: pcp page %u badly marked",
								z->name, cpu, pfn);
						if (++walked > z->spanned)
							return zs_error_set(err, EX_SOFTWARE,
									    "%s: pcp list loops",
									    z->name);
					}
					if (walked != pcp->lists[t].count)
						return zs_error_set(err, EX_SOFTWARE,
								    "%s cpu %d: pcp list %d count %u, walked %u",
								    z->name, cpu, t,
								    pcp->lists[t].count, walked);
					sum += walked; /* == pcp->count: zs26_check_counters saw the lists' counts add up */
				}
				on_pcp += sum;
			}
		}
		for (uint32_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned;
		     pfn = zs_walk_next(m->pages, pfn, vm->check_skip_free)) {
			const struct zs_page *p = &m->pages[pfn];

			if (p->flags & ZS_PG_HEAD)
				allocated += 1u << p->order;
			if (p->flags & ZS_PG_PCP)
				pcp_flagged++;
		}
		if (pcp_flagged != on_pcp)
			return zs_error_set(err, EX_SOFTWARE, "%s: %llu pages flagged pcp, %llu listed",
					    z->name, (unsigned long long)pcp_flagged,
					    (unsigned long long)on_pcp);
		if (z->free_pages + on_pcp + allocated != z->present)
			return zs_error_set(err, EX_SOFTWARE,
					    "%s: free %llu + pcp %llu + allocated %llu != present %u",
					    z->name, (unsigned long long)z->free_pages,
					    (unsigned long long)on_pcp, (unsigned long long)allocated,
					    z->present);
		if (zs26_zone_stat_check(vm, z, err))
			return -1;
	}
	return zs26_lru_check(vm, err);
}

/* ---- the ops tables ---- */

const struct zs_policy_ops zs_policy_2618 = {
	.name = "2.6.18",
	.kver = ZS_KV_2618,
	.max_order = ZS26_MAX_ORDER,
	.paths = zs26_path_names,
	.nr_paths = ZS26_NR_PATHS,
	.path_failed = zs26_path_failed,
	.init = zs26_init,
	.destroy = zs26_destroy,
	.alloc = zs26_alloc_pages,
	.free = zs26_free,
	.page_added = zs26_page_added,
	.touch = zs26_touch,
	.map_file = zs26_map_file,
	.unmap_file = zs26_unmap_file,
	.dirty = zs26_dirty,
	.balance_dirty = zs26_balance_dirty,
	.swap_cache_find = zs26_swap_cache_find,
	.swap_free = zs26_swap_free,
	.describe = zs26_describe,
	.metrics = metrics_2618,
	.nr_metrics = (int)(sizeof(metrics_2618) / sizeof(metrics_2618[0])),
	.sample = sample_2618,
	.summary = zs26_summary,
	.check = zs26_check,
};

const struct zs_policy_ops zs_policy_2632 = {
	.name = "2.6.32",
	.kver = ZS_KV_2632,
	.max_order = ZS26_MAX_ORDER,
	.paths = zs26_path_names,
	.nr_paths = ZS26_NR_PATHS,
	.path_failed = zs26_path_failed,
	.init = zs26_init,
	.destroy = zs26_destroy,
	.alloc = zs26_alloc_pages,
	.free = zs26_free,
	.page_added = zs26_page_added,
	.touch = zs26_touch,
	.map_file = zs26_map_file,
	.unmap_file = zs26_unmap_file,
	.dirty = zs26_dirty,
	.balance_dirty = zs26_balance_dirty,
	.swap_cache_find = zs26_swap_cache_find,
	.swap_free = zs26_swap_free,
	.describe = zs26_describe,
	.metrics = metrics_2632,
	.nr_metrics = (int)(sizeof(metrics_2632) / sizeof(metrics_2632[0])),
	.sample = sample_2632,
	.summary = zs26_summary,
	.check = zs26_check,
};
