/*
 * model.c - the Linux 2.4.0 VM behind struct zs_policy_ops: boot (the
 * 2.4 buddy discipline, free_all_bootmem, watermarks, the daemons), the
 * scenario's `kernel:` tunables, `zsim check` output, per-tick metrics and
 * the invariant checker.
 *
 * The allocator and the watermarks are page_alloc.c, the lists and aging
 * swap.c, the swap cache swap_state.c, the workload's page-cache and fault
 * hooks filemap.c, write-out page_io.c, the scanners vmscan.c, the shortage
 * tests and daemons vmscan_kswapd.c and buffer.c, the OOM killer oom_kill.c.
 */
#include "alloc/linux24/model.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc/buddy.h"
#include "sim/cfg.h"

const char *const zs24_path_names[Z24_NR_PATHS] = {
	[Z24_P_PASSA] = "passA",
	[Z24_P_HIGH] = "high",
	[Z24_P_LOW] = "low",
	[Z24_P_MIN] = "min",
	[Z24_P_HIGHORDER] = "highorder",
	[Z24_P_RETRY_KSWAPD] = "retry_kswapd",
	[Z24_P_RETRY_TFP] = "retry_tfp",
	[Z24_P_FINAL] = "final",
	[Z24_P_FINAL_RECLAIM] = "final_reclaim",
	[Z24_P_FAIL] = "fail",
};

static const unsigned char z24_path_failed[Z24_NR_PATHS] = {[Z24_P_FAIL] = 1};

/* ---- helpers shared by the model's files ---- */

int64_t
zs24_jiffies(struct z24 *s)
{
	return zs_now(s->vm->engine) * s->hz / ZS_NS_PER_SEC;
}

struct z24_mm *
zs24_mm(struct z24 *s, struct zs_task *t)
{
	if (t->id >= s->nr_mm) {
		uint32_t n = s->nr_mm ? s->nr_mm : 64;

		while (n <= t->id)
			n *= 2;
		struct z24_mm *a = realloc(s->mm, n * sizeof(*a));

		ZS_BUG_ON(!a);
		for (uint32_t i = s->nr_mm; i < n; i++)
			a[i] = (struct z24_mm){.swap_address = ZS_NIL};
		s->mm = a;
		s->nr_mm = n;
	}
	return &s->mm[t->id];
}

/* ---- tunables ---- */

static const char *const known_keys[] = {
	"version", "zone_balance_ratio", "zone_balance_min", "zone_balance_max",
	"nr_cpus_build", "page_cluster", "swap_cluster", "bdflush",
	"cost_scan", "cost_pte", "cost_write", "cost_reclaim", "cost_loop", "cost_wakeup",
	"io_queue_pages", NULL};
static const char *const bdflush_keys[] = {"nfract", "ndirty", "nfract_sync", "interval",
					   "age_buffer", NULL};

int
zs24_tunables(struct z24_tunables *tun, struct zs_cfg *kcfg, uint64_t pages,
	      struct zs_error *err)
{
	uint64_t megs = pages >> 8;

	/* KERNEL: 2.4.0 mm/page_alloc.c zone_balance_ratio/min/max */
	tun->ratio[0] = 32;
	tun->ratio[1] = 128;
	tun->ratio[2] = 128;
	tun->balance_min = 10;
	tun->balance_max = 255;
	tun->nr_cpus_build = -1; /* 1 on a one-CPU machine (UP build), else 32 */
	/* KERNEL: 2.4.0 mm/swap.c swap_setup() */
	tun->page_cluster = megs < 16 ? 2 : megs < 32 ? 3 : 4;
	/* KERNEL: 2.4.0 mm/swap.c pager_daemon {512, 32, 8} */
	tun->swap_cluster = 8;
	/* KERNEL: 2.4.0 fs/buffer.c bdf_prm defaults {30, 64, 64, 256, 5 HZ, 30 HZ, 60} */
	tun->nfract = 30;
	tun->ndirty = 64;
	tun->nfract_sync = 60;
	tun->interval_ns = 5 * ZS_NS_PER_SEC;
	tun->age_buffer_ns = 30 * ZS_NS_PER_SEC;
	/* CPU costs of a ~500 MHz Pentium III class machine of 2001 (see the README) */
	tun->cost_scan_ns = 200;
	tun->cost_pte_ns = 100;
	tun->cost_write_ns = 10000;
	tun->cost_reclaim_ns = 1000;
	tun->cost_loop_ns = 50000;
	tun->cost_wakeup_ns = 5000;
	tun->io_queue_pages = 512;
	if (!kcfg)
		return 0;
	if (zs_cfg_expect(kcfg, ZS_CFG_MAP, "'kernel'", err) ||
	    zs_cfg_check_keys(kcfg, known_keys, err))
		return -1;
	struct zs_cfg *r = zs_cfg_get(kcfg, "zone_balance_ratio");

	if (r) {
		if (zs_cfg_expect(r, ZS_CFG_SEQ, "'zone_balance_ratio' (three ratios)", err))
			return -1;
		if (r->n != 3)
			return zs_cfg_error(r, err,
					    "zone_balance_ratio needs 3 values (DMA, Normal, HighMem)");
		for (int i = 0; i < 3; i++) {
			double v;

			if (zs_cfg_node_double(r->vals[i], &v, err))
				return -1;
			if (v < 1 || v > 1e9 || v != (double)(int64_t)v)
				return zs_cfg_error(r->vals[i], err,
						    "a zone_balance_ratio is a whole number >= 1");
			tun->ratio[i] = (int64_t)v;
		}
	}
	struct zs_cfg *bd = zs_cfg_get(kcfg, "bdflush");

	/* KERNEL: 2.4.0 fs/buffer.c bdflush_min / bdflush_max ranges */
	if (zs_cfg_int(kcfg, "zone_balance_min", 0, 1 << 20, &tun->balance_min, err) ||
	    zs_cfg_int(kcfg, "zone_balance_max", 0, 1 << 20, &tun->balance_max, err) ||
	    zs_cfg_int(kcfg, "nr_cpus_build", 1, 4096, &tun->nr_cpus_build, err) ||
	    zs_cfg_int(kcfg, "page_cluster", 0, 10, &tun->page_cluster, err) ||
	    zs_cfg_int(kcfg, "swap_cluster", 1, 1 << 16, &tun->swap_cluster, err) ||
	    zs_cfg_duration(kcfg, "cost_scan", 0, ZS_NS_PER_SEC, &tun->cost_scan_ns, err) ||
	    zs_cfg_duration(kcfg, "cost_pte", 0, ZS_NS_PER_SEC, &tun->cost_pte_ns, err) ||
	    zs_cfg_duration(kcfg, "cost_write", 0, ZS_NS_PER_SEC, &tun->cost_write_ns, err) ||
	    zs_cfg_duration(kcfg, "cost_reclaim", 0, ZS_NS_PER_SEC, &tun->cost_reclaim_ns, err) ||
	    zs_cfg_duration(kcfg, "cost_loop", 1, ZS_NS_PER_SEC, &tun->cost_loop_ns, err) ||
	    zs_cfg_duration(kcfg, "cost_wakeup", 0, ZS_NS_PER_SEC, &tun->cost_wakeup_ns, err) ||
	    zs_cfg_int(kcfg, "io_queue_pages", 1, 1 << 30, &tun->io_queue_pages, err))
		return -1;
	if (tun->balance_min > tun->balance_max)
		return zs_cfg_error(kcfg, err, "zone_balance_min (%lld) exceeds zone_balance_max (%lld)",
				    (long long)tun->balance_min, (long long)tun->balance_max);
	if (bd) {
		if (zs_cfg_expect(bd, ZS_CFG_MAP, "'bdflush'", err) ||
		    zs_cfg_check_keys(bd, bdflush_keys, err) ||
		    zs_cfg_int(bd, "nfract", 0, 100, &tun->nfract, err) ||
		    zs_cfg_int(bd, "ndirty", 10, 50000, &tun->ndirty, err) ||
		    zs_cfg_int(bd, "nfract_sync", 0, 100, &tun->nfract_sync, err) ||
		    zs_cfg_duration(bd, "interval", 0, 600 * ZS_NS_PER_SEC, &tun->interval_ns, err) ||
		    /* KERNEL: 2.4.0 fs/buffer.c bdflush_min: age_buffer >= 1*HZ */
		    zs_cfg_duration(bd, "age_buffer", ZS_NS_PER_SEC, 6000 * ZS_NS_PER_SEC,
				    &tun->age_buffer_ns, err))
			return -1;
	}
	return 0;
}

/* ---- boot ---- */

static void z24_destroy(struct zs_vm *vm);

static int
z24_init(struct zs_vm *vm, struct zs_cfg *kcfg, struct zs_error *err)
{
	struct zs_machine *m = vm->machine;
	struct z24 *s;

	if (vm->hz < 24 || vm->hz >= 1536)
		return zs_error_set(err, EX_DATAERR,
				    "kernel 2.4.0 builds only with HZ 24..1535 (include/linux/timex.h "
				    "has no SHIFT_HZ for HZ %d)",
				    vm->hz);
	for (int i = 0; i < m->nr_zones; i++)
		if (m->zones[i].type == ZS_ZONE_DMA32)
			return zs_error_set(err, EX_DATAERR,
					    "kernel 2.4.0 has no DMA32 zone: an i386 2.4 machine has "
					    "DMA (below 16 MiB), Normal (up to 896 MiB) and HighMem "
					    "(above); use those zone types or `memory:`");
	s = calloc(1, sizeof(*s));
	if (!s)
		return zs_error_set(err, EX_OSERR, "out of memory");
	vm->model = s;
	s->vm = vm;
	s->m = m;
	s->hz = vm->hz > 0 ? vm->hz : 100;
	if (zs24_tunables(&s->tun, kcfg, m->nr_pages, err))
		goto fail;
	s->nr_cpus = s->tun.nr_cpus_build > 0 ? (uint64_t)s->tun.nr_cpus_build
					      : (m->nr_cpus > 1 ? 32 : 1);
	/* KERNEL: 2.4.0 mm/vmscan.c MAX_LAUNDER = 4 * (1 << page_cluster) */
	s->max_launder = 4ull << s->tun.page_cluster;
	/* KERNEL: 2.4.0 arch/i386/mm/init.c: num_physpages = highest pfn */
	s->num_physpages = m->nr_pages;
	zs_list_init(&s->active);
	zs_list_init(&s->inactive_dirty);
	s->dhead = s->dtail = 0;
	s->nr_slots = vm->swap.nr_slots;
	s->swapcache = malloc((s->nr_slots ? s->nr_slots : 1) * sizeof(uint32_t));
	s->dcap = 1024;
	s->dring = malloc(s->dcap * sizeof(*s->dring));
	if (!s->swapcache || !s->dring) {
		zs_error_set(err, EX_OSERR, "out of memory");
		goto fail;
	}
	for (uint64_t i = 0; i < s->nr_slots; i++)
		s->swapcache[i] = ZS_NIL;

	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];
		struct z24_zone *zz = calloc(1, sizeof(*zz));

		if (!zz) {
			zs_error_set(err, EX_OSERR, "out of memory");
			goto fail;
		}
		zs_list_init(&zz->inactive_clean);
		z->model = zz;
		zs_buddy_init(z, ZS_BUDDY_24);
		/* KERNEL: 2.4.0 mm/bootmem.c free_all_bootmem(): every page, ascending.
		 * DEVIATION: nothing is reserved at boot: page 0, the 640 KiB - 1 MiB
		 * ISA hole, the kernel image and mem_map (sizeof(struct page) per
		 * page) are free memory here, so a simulated box starts with those
		 * pages (a few MiB plus ~1.5 % of RAM) more than a real one. */
		zs_buddy_boot_fresh(m, z, 0, Z24_PAGE_AGE_START, ZS_NIL);
	}
	zs24_setup_watermarks(s);
	zs24_build_zonelists(s);

	/* KERNEL: 2.4.0 mm/vmscan.c kswapd_init(): kswapd and kreclaimd; fs/buffer.c
	 * bdflush_init(): bdflush and kupdate */
	s->kswapd = zs_thread_create(vm->engine, "kswapd", 0, zs24_kswapd_run, s, 0);
	s->kreclaimd = zs_thread_create(vm->engine, "kreclaimd", 0, zs24_kreclaimd_run, s, 0);
	s->bdflush = zs_thread_create(vm->engine, "bdflush", 0, zs24_bdflush_run, s, 0);
	s->kupdate = zs_thread_create(vm->engine, "kupdate", 0, zs24_kupdate_run, s, 0);
	return 0;
fail:
	z24_destroy(vm);
	return -1;
}

static void
z24_destroy(struct zs_vm *vm)
{
	struct z24 *s = zs24_state(vm);

	if (!s)
		return;
	for (int i = 0; i < vm->machine->nr_zones; i++) {
		free(vm->machine->zones[i].model);
		vm->machine->zones[i].model = NULL;
	}
	zs24_io_fini(s);
	free(s->iob);
	free(s->swapcache);
	free(s->dring);
	free(s->mm);
	free(s);
	vm->model = NULL;
}

/* ---- zsim check ---- */

static void
z24_describe(struct zs_vm *vm, FILE *out, int csv)
{
	struct z24 *s = zs24_state(vm);
	struct zs_machine *m = vm->machine;
	uint64_t spanned = 0, present = 0;

	if (csv)
		fputs("node,zone,start_pfn,spanned_pages,present_pages,min,low,high\n", out);
	else
		fprintf(out,
			"kernel 2.4.0: zone_balance_ratio %lld/%lld/%lld, min %lld, max %lld; "
			"pages_min/low/high = 1x/2x/3x\n",
			(long long)s->tun.ratio[0], (long long)s->tun.ratio[1],
			(long long)s->tun.ratio[2], (long long)s->tun.balance_min,
			(long long)s->tun.balance_max);
	for (int i = 0; i < m->nr_zones; i++) {
		struct zs_zone *z = &m->zones[i];

		spanned += z->spanned;
		present += z->present;
		if (csv)
			fprintf(out, "%d,%s,%u,%u,%u,%llu,%llu,%llu\n", z->node, z->name, z->start_pfn,
				z->spanned, z->present, (unsigned long long)z->pages_min,
				(unsigned long long)z->pages_low, (unsigned long long)z->pages_high);
		else
			fprintf(out,
				"node %d zone %-8s start_pfn %8u pages %8u  pages_min %4llu "
				"pages_low %4llu pages_high %4llu\n",
				z->node, z->name, z->start_pfn, z->present,
				(unsigned long long)z->pages_min, (unsigned long long)z->pages_low,
				(unsigned long long)z->pages_high);
	}
	if (csv) {
		fprintf(out, "all,freepages,0,%llu,%llu,%llu,%llu,%llu\n",
			(unsigned long long)spanned, (unsigned long long)present,
			(unsigned long long)s->freepages_min, (unsigned long long)s->freepages_low,
			(unsigned long long)s->freepages_high);
		return;
	}
	fprintf(out, "freepages.min %llu freepages.low %llu freepages.high %llu (sums over zones)\n",
		(unsigned long long)s->freepages_min, (unsigned long long)s->freepages_low,
		(unsigned long long)s->freepages_high);
	fprintf(out,
		"num_physpages %llu, page_cluster %lld, MAX_LAUNDER %llu, NR_CPUS %llu, HZ %d, "
		"swap slots %llu\n",
		(unsigned long long)s->num_physpages, (long long)s->tun.page_cluster,
		(unsigned long long)s->max_launder, (unsigned long long)s->nr_cpus, s->hz,
		(unsigned long long)s->nr_slots);
	fprintf(out,
		"bdflush: nfract %lld ndirty %lld nfract_sync %lld interval %llds age_buffer %llds\n",
		(long long)s->tun.nfract, (long long)s->tun.ndirty, (long long)s->tun.nfract_sync,
		(long long)(s->tun.interval_ns / ZS_NS_PER_SEC),
		(long long)(s->tun.age_buffer_ns / ZS_NS_PER_SEC));
}

/* ---- metrics ---- */

enum {
	/* per zone */
	M_INACT_CLEAN, M_INACT_DIRTY_Z, M_SCAN, M_CLEAN, M_SKIPL, M_SKIPD, M_LAUNDER_Z,
	M_REACT, M_RESCUE, M_DEACT, M_RECFAIL,
	M_NUMA_HIT, M_NUMA_MISS, M_NUMA_FOREIGN, M_INTERLEAVE_HIT, M_LOCAL_NODE, M_OTHER_NODE,
	/* global */
	M_ACTIVE, M_INACT_DIRTY, M_INACT_CLEAN_ALL, M_INACT_TARGET, M_MEMORY_PRESSURE,
	M_FREE_SHORTAGE, M_INACTIVE_SHORTAGE, M_FP_MIN, M_FP_LOW, M_FP_HIGH,
	M_SWAP_USED, M_SWAP_CACHE, M_BUFFERS, M_CACHED, M_DIRTY_BUFFERS, M_ASYNC_PAGES,
	M_LAUNDER, M_LAUNDER_W, M_REF_INACT, M_ALLOC_R,
	M_KSWAPD_W, M_KSWAPD_LOOPS, M_KSWAPD_NOSLEEP, M_KSWAPD_CPU,
	M_KREC_W, M_KRECLAIMD_CPU, M_KFLUSH_W, M_BDFLUSH_CPU, M_KUPDATE_RUNS, M_KUPDATE_CPU,
	M_DIRECT_CPU, M_KSWAPD_DONE_WAITS, M_UNMAPPED, M_SWAP_ALLOC_FAIL, M_OOM_BADNESS_KILLS,
	M_VM_KILLS, M_SWAPIN_RA, M_NR_METRICS
};

static const struct zs_metric z24_metrics[M_NR_METRICS] = {
	[M_INACT_CLEAN] = {"inact_clean", 1},
	[M_INACT_DIRTY_Z] = {"inact_dirty_zone", 1},
	[M_SCAN] = {"scan", 1},
	[M_CLEAN] = {"clean", 1},
	[M_SKIPL] = {"skipl", 1},
	[M_SKIPD] = {"skipd", 1},
	[M_LAUNDER_Z] = {"launder_pages", 1},
	[M_REACT] = {"react", 1},
	[M_RESCUE] = {"rescue", 1},
	[M_DEACT] = {"deact", 1},
	[M_RECFAIL] = {"recfail", 1},
	[M_NUMA_HIT] = {"numa_hit", 1},
	[M_NUMA_MISS] = {"numa_miss", 1},
	[M_NUMA_FOREIGN] = {"numa_foreign", 1},
	[M_INTERLEAVE_HIT] = {"interleave_hit", 1},
	[M_LOCAL_NODE] = {"local_node", 1},
	[M_OTHER_NODE] = {"other_node", 1},
	[M_ACTIVE] = {"active", 0},
	[M_INACT_DIRTY] = {"inact_dirty", 0},
	[M_INACT_CLEAN_ALL] = {"inact_clean_total", 0},
	[M_INACT_TARGET] = {"inact_target", 0},
	[M_MEMORY_PRESSURE] = {"memory_pressure", 0},
	[M_FREE_SHORTAGE] = {"free_shortage", 0},
	[M_INACTIVE_SHORTAGE] = {"inactive_shortage", 0},
	[M_FP_MIN] = {"freepages_min", 0},
	[M_FP_LOW] = {"freepages_low", 0},
	[M_FP_HIGH] = {"freepages_high", 0},
	[M_SWAP_USED] = {"swap_used", 0},
	[M_SWAP_CACHE] = {"swap_cache", 0},
	[M_BUFFERS] = {"buffers", 0},
	[M_CACHED] = {"cached", 0},
	[M_DIRTY_BUFFERS] = {"dirty_buffers", 0},
	[M_ASYNC_PAGES] = {"nr_async_pages", 0},
	[M_LAUNDER] = {"launder", 0},
	[M_LAUNDER_W] = {"launder_w", 0},
	[M_REF_INACT] = {"ref_inact", 0},
	[M_ALLOC_R] = {"alloc_r", 0},
	[M_KSWAPD_W] = {"kswapd_w", 0},
	[M_KSWAPD_LOOPS] = {"kswapd_loops", 0},
	[M_KSWAPD_NOSLEEP] = {"kswapd_nosleep", 0},
	[M_KSWAPD_CPU] = {"kswapd_cpu_ns", 0},
	[M_KREC_W] = {"krec_w", 0},
	[M_KRECLAIMD_CPU] = {"kreclaimd_cpu_ns", 0},
	[M_KFLUSH_W] = {"kflush_w", 0},
	[M_BDFLUSH_CPU] = {"bdflush_cpu_ns", 0},
	[M_KUPDATE_RUNS] = {"kupdate_runs", 0},
	[M_KUPDATE_CPU] = {"kupdate_cpu_ns", 0},
	[M_DIRECT_CPU] = {"direct_reclaim_cpu_ns", 0},
	[M_KSWAPD_DONE_WAITS] = {"kswapd_done_waits", 0},
	[M_UNMAPPED] = {"swap_out_unmapped", 0},
	[M_SWAP_ALLOC_FAIL] = {"swap_alloc_fail", 0},
	[M_OOM_BADNESS_KILLS] = {"oom_badness_kills", 0},
	[M_VM_KILLS] = {"vm_killing_process", 0},
	[M_SWAPIN_RA] = {"swapin_readahead", 0},
};

static void
z24_sample(struct zs_vm *vm, struct zs_zone *z, int64_t *out)
{
	struct z24 *s = zs24_state(vm);

	if (z) {
		struct z24_zone *zz = zs24_zone(z);

		out[M_INACT_CLEAN] = (int64_t)zz->inactive_clean.count;
		out[M_INACT_DIRTY_Z] = (int64_t)zz->inactive_dirty_pages;
		out[M_SCAN] = (int64_t)zz->scan;
		out[M_CLEAN] = (int64_t)zz->clean;
		out[M_SKIPL] = (int64_t)zz->skipl;
		out[M_SKIPD] = (int64_t)zz->skipd;
		out[M_LAUNDER_Z] = (int64_t)zz->launder;
		out[M_REACT] = (int64_t)zz->react;
		out[M_RESCUE] = (int64_t)zz->rescue;
		out[M_DEACT] = (int64_t)zz->deact;
		out[M_RECFAIL] = (int64_t)zz->recfail;
		out[M_NUMA_HIT] = (int64_t)zz->numa_hit;
		out[M_NUMA_MISS] = (int64_t)zz->numa_miss;
		out[M_NUMA_FOREIGN] = (int64_t)zz->numa_foreign;
		out[M_INTERLEAVE_HIT] = 0; /* no MPOL_INTERLEAVE in 2.4.0 */
		out[M_LOCAL_NODE] = (int64_t)zz->local_node;
		out[M_OTHER_NODE] = (int64_t)zz->other_node;
		return;
	}
	out[M_ACTIVE] = (int64_t)s->active.count;
	out[M_INACT_DIRTY] = (int64_t)s->inactive_dirty.count;
	out[M_INACT_CLEAN_ALL] = (int64_t)zs24_nr_inactive_clean_pages(s);
	out[M_INACT_TARGET] = (int64_t)zs24_inactive_target(s);
	out[M_MEMORY_PRESSURE] = s->memory_pressure;
	out[M_FREE_SHORTAGE] = (int64_t)zs24_free_shortage(s);
	out[M_INACTIVE_SHORTAGE] = (int64_t)zs24_inactive_shortage(s);
	out[M_FP_MIN] = (int64_t)s->freepages_min;
	out[M_FP_LOW] = (int64_t)s->freepages_low;
	out[M_FP_HIGH] = (int64_t)s->freepages_high;
	out[M_SWAP_USED] = (int64_t)(vm->swap.nr_slots - vm->swap.nr_free);
	out[M_SWAP_CACHE] = (int64_t)s->swapcache_pages;
	out[M_BUFFERS] = (int64_t)s->buffermem_pages;
	out[M_CACHED] = (int64_t)s->page_cache_size;
	out[M_DIRTY_BUFFERS] = (int64_t)s->nr_dirty;
	out[M_ASYNC_PAGES] = (int64_t)s->nr_async_pages;
	out[M_LAUNDER] = (int64_t)s->launder;
	out[M_LAUNDER_W] = (int64_t)s->launder_w;
	out[M_REF_INACT] = (int64_t)s->ref_inact;
	out[M_ALLOC_R] = (int64_t)s->alloc_r;
	out[M_KSWAPD_W] = (int64_t)s->kswapd_w;
	out[M_KSWAPD_LOOPS] = (int64_t)s->kswapd_loops;
	out[M_KSWAPD_NOSLEEP] = (int64_t)s->kswapd_nosleep;
	out[M_KSWAPD_CPU] = s->kswapd_cpu;
	out[M_KREC_W] = (int64_t)s->krec_w;
	out[M_KRECLAIMD_CPU] = s->kreclaimd_cpu;
	out[M_KFLUSH_W] = (int64_t)s->kflush_w;
	out[M_BDFLUSH_CPU] = s->bdflush_cpu;
	out[M_KUPDATE_RUNS] = (int64_t)s->kupdate_runs;
	out[M_KUPDATE_CPU] = s->kupdate_cpu;
	out[M_DIRECT_CPU] = s->direct_cpu;
	out[M_KSWAPD_DONE_WAITS] = (int64_t)s->kswapd_done_waits;
	out[M_UNMAPPED] = (int64_t)s->unmapped;
	out[M_SWAP_ALLOC_FAIL] = (int64_t)s->swap_alloc_fail;
	out[M_OOM_BADNESS_KILLS] = (int64_t)s->oom_kills;
	out[M_VM_KILLS] = (int64_t)s->vm_kills;
	out[M_SWAPIN_RA] = (int64_t)s->swapin_ra_pages;
}

/* ---- invariants ---- */

static int
check_list(struct z24 *s, struct zs_list *l, uint8_t tag, const char *name, struct zs_error *err)
{
	uint64_t n = 0;
	uint32_t prev = ZS_NIL;

	for (uint32_t pfn = l->head; pfn != ZS_NIL; pfn = s->m->pages[pfn].next) {
		const struct zs_page *p = &s->m->pages[pfn];

		if (p->list != tag || p->prev != prev || !(p->flags & ZS_PG_LRU) ||
		    ((p->flags & ZS_PG_ACTIVE) != 0) != (tag == Z24_LST_ACTIVE) ||
		    (p->flags & ZS_PG_BUDDY))
			return zs_error_set(err, EX_SOFTWARE, "2.4: page %u badly linked on %s", pfn,
					    name);
		prev = pfn;
		if (++n > l->count)
			break;
	}
	if (n != l->count || prev != l->tail)
		return zs_error_set(err, EX_SOFTWARE, "2.4: %s holds %llu pages, count says %llu",
				    name, (unsigned long long)n, (unsigned long long)l->count);
	return 0;
}

/* A list's count against its ends (zs_vm_check_event's counters-only depth). */
static int
check_list_ends(struct z24 *s, struct zs_list *l, uint8_t tag, const char *name,
		struct zs_error *err)
{
	if (!zs_list_ends_ok(s->m->pages, s->m->nr_pages, l, tag) ||
	    (l->count && !(s->m->pages[l->head].flags & ZS_PG_LRU)))
		return zs_error_set(err, EX_SOFTWARE, "2.4: %s of %llu pages has bad ends", name,
				    (unsigned long long)l->count);
	return 0;
}

/*
 * The checker's counters-only depth: each list's count against its ends and
 * the zones' inactive_dirty counters against the list, in time independent of
 * the memory size; zs24_check's walks below recount them.
 */
static int
check_counters(struct z24 *s, struct zs_error *err)
{
	uint64_t dirty_sum = 0, clean_sum = 0;

	if (check_list_ends(s, &s->active, Z24_LST_ACTIVE, "active", err) ||
	    check_list_ends(s, &s->inactive_dirty, Z24_LST_INACTIVE_DIRTY, "inactive_dirty", err))
		return -1;
	for (int i = 0; i < s->m->nr_zones; i++) {
		struct z24_zone *zz = zs24_zone(&s->m->zones[i]);

		if (check_list_ends(s, &zz->inactive_clean, Z24_LST_INACTIVE_CLEAN, "inactive_clean",
				    err))
			return -1;
		dirty_sum += zz->inactive_dirty_pages;
		clean_sum += zz->inactive_clean.count;
	}
	if (clean_sum != s->nr_inactive_clean)
		return zs_error_set(err, EX_SOFTWARE,
				    "2.4: inactive_clean lists hold %llu pages, their count says %llu",
				    (unsigned long long)clean_sum,
				    (unsigned long long)s->nr_inactive_clean);
	if (dirty_sum != s->inactive_dirty.count)
		return zs_error_set(err, EX_SOFTWARE,
				    "2.4: zone inactive_dirty counters sum to %llu, list holds %llu",
				    (unsigned long long)dirty_sum,
				    (unsigned long long)s->inactive_dirty.count);
	if (s->swapcache_pages > s->nr_slots)
		return zs_error_set(err, EX_SOFTWARE, "2.4: swap cache holds %llu pages, %llu slots",
				    (unsigned long long)s->swapcache_pages,
				    (unsigned long long)s->nr_slots);
	return 0;
}

int
zs24_check(struct zs_vm *vm, struct zs_error *err)
{
	struct z24 *s = zs24_state(vm);
	uint64_t nd = 0;

	if (check_counters(s, err))
		return -1;
	if (vm->check_counters_only)
		return 0;
	if (check_list(s, &s->active, Z24_LST_ACTIVE, "active", err) ||
	    check_list(s, &s->inactive_dirty, Z24_LST_INACTIVE_DIRTY, "inactive_dirty", err))
		return -1;
	for (int i = 0; i < s->m->nr_zones; i++) {
		struct z24_zone *zz = zs24_zone(&s->m->zones[i]);

		if (check_list(s, &zz->inactive_clean, Z24_LST_INACTIVE_CLEAN, "inactive_clean", err))
			return -1;
		for (uint32_t pfn = zz->inactive_clean.head; pfn != ZS_NIL; pfn = s->m->pages[pfn].next)
			if (zs_pfn_zone(s->m, pfn) != &s->m->zones[i])
				return zs_error_set(err, EX_SOFTWARE,
						    "2.4: page %u on the wrong zone's inactive_clean", pfn);
	}
	for (uint64_t seq = s->dhead; seq < s->dtail; seq++)
		nd += (uint64_t)zs24_dirty_live(s, seq);
	uint64_t bufdirty = 0;
	for (uint32_t pfn = 0; pfn < s->m->nr_pages;
	     pfn = zs_walk_next(s->m->pages, pfn, vm->check_skip_free))
		bufdirty += (s->m->pages[pfn].flags & Z24_PG_BUFDIRTY) != 0;
	if (bufdirty != s->nr_dirty)
		return zs_error_set(err, EX_SOFTWARE, "2.4: %llu dirty-buffer pages, nr_dirty %llu",
				    (unsigned long long)bufdirty, (unsigned long long)s->nr_dirty);
	if (nd != s->nr_dirty)
		return zs_error_set(err, EX_SOFTWARE, "2.4: BUF_DIRTY holds %llu, nr_dirty %llu",
				    (unsigned long long)nd, (unsigned long long)s->nr_dirty);
	/* the swap cache, slot by slot (its cost follows the swap size): full passes only */
	if (vm->check_skip_free)
		return 0;
	uint64_t sc = 0;

	for (uint64_t slot = 0; slot < s->nr_slots; slot++) {
		uint32_t pfn = s->swapcache[slot];

		if (pfn == ZS_NIL)
			continue;
		sc++;
		if (!(s->m->pages[pfn].flags & ZS_PG_SWAPCACHE) || s->m->pages[pfn].aux != slot)
			return zs_error_set(err, EX_SOFTWARE, "2.4: swap cache slot %llu -> page %u",
					    (unsigned long long)slot, pfn);
		if (!(vm->swap.map[slot >> 3] & (1u << (slot & 7))))
			return zs_error_set(err, EX_SOFTWARE,
					    "2.4: swap cache page %u holds free slot %llu", pfn,
					    (unsigned long long)slot);
		if ((s->m->pages[pfn].flags & (Z24_PG_NOPTE | ZS_PG_BOUND)) ==
		    (Z24_PG_NOPTE | ZS_PG_BOUND))
			return zs_error_set(err, EX_SOFTWARE,
					    "2.4: page %u is mapped but marked as held by no PTE", pfn);
	}
	if (sc != s->swapcache_pages)
		return zs_error_set(err, EX_SOFTWARE, "2.4: swap cache holds %llu, count %llu",
				    (unsigned long long)sc, (unsigned long long)s->swapcache_pages);
	return 0;
}

const struct zs_policy_ops zs_policy_24 = {
	.name = "2.4.0",
	.kver = ZS_KV_24,
	.max_order = Z24_MAX_ORDER,
	.paths = zs24_path_names,
	.nr_paths = Z24_NR_PATHS,
	.path_failed = z24_path_failed,
	.init = z24_init,
	.destroy = z24_destroy,
	.alloc = zs24_alloc,
	.free = zs24_free,
	.page_added = zs24_page_added,
	.touch = zs24_touch,
	.map_file = zs24_map_file,
	.unmap_file = zs24_unmap_file,
	.dirty = zs24_dirty,
	.swap_cache_find = zs24_swap_cache_find,
	.swap_free = zs24_swap_free,
	.describe = z24_describe,
	.metrics = z24_metrics,
	.nr_metrics = M_NR_METRICS,
	.sample = z24_sample,
	.check = zs24_check,
};
