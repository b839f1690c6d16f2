/*
 * test_24_zone.c - 2.4.0 watermarks (the kernel-2.4.md §2 table), the
 * freepages sums, memory_pressure / inactive_target arithmetic, the two
 * shortage functions, the `kernel:` tunables and `zsim check` output.
 */
#include "tests/test_24_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "sim/cfg.h"

#define MIB(x) ((uint64_t)(x) * 256u)

struct wm_row {
	uint64_t dma, normal, high;       /* zone sizes in pages */
	uint64_t dmin, nmin, hmin;        /* pages_min per zone */
	uint64_t fmin, flow, fhigh;       /* freepages */
};

/* kernel-2.4.md §2, i386 layout: DMA 16 MiB, Normal up to 880 MiB, HighMem above */
static const struct wm_row table[] = {
	{MIB(16), MIB(16), 0, 128, 32, 0, 160, 320, 480},           /* 32 MiB */
	{MIB(16), MIB(48), 0, 128, 96, 0, 224, 448, 672},           /* 64 MiB */
	{MIB(16), MIB(112), 0, 128, 224, 0, 352, 704, 1056},        /* 128 MiB */
	{MIB(16), MIB(240), 0, 128, 255, 0, 383, 766, 1149},        /* 256 MiB */
	{MIB(16), MIB(880), MIB(128), 128, 255, 255, 638, 1276, 1914}, /* 1 GiB */
};

Test(zone24, watermark_table)
{
	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct wm_row *w = &table[i];
		struct t24 t;

		t24_boot(&t, w->dma, w->normal, w->high, 0);
		struct zs_zone *d = t24_zone(&t, ZS_ZONE_DMA), *n = t24_zone(&t, ZS_ZONE_NORMAL);

		cr_assert_eq(d->pages_min, w->dmin, "row %u DMA", i);
		cr_assert_eq(d->pages_low, 2 * w->dmin);
		cr_assert_eq(d->pages_high, 3 * w->dmin);
		cr_assert_eq(n->pages_min, w->nmin, "row %u Normal", i);
		cr_assert_eq(n->pages_low, 2 * w->nmin);
		cr_assert_eq(n->pages_high, 3 * w->nmin);
		if (w->high) {
			struct zs_zone *h = t24_zone(&t, ZS_ZONE_HIGHMEM);

			cr_assert_eq(h->pages_min, w->hmin, "row %u HighMem", i);
			cr_assert_eq(h->pages_high, 3 * w->hmin);
		}
		cr_assert_eq(t.s->freepages_min, w->fmin, "row %u freepages.min", i);
		cr_assert_eq(t.s->freepages_low, w->flow, "row %u freepages.low", i);
		cr_assert_eq(t.s->freepages_high, w->fhigh, "row %u freepages.high", i);
		t24_fini(&t);
	}
}

Test(zone24, zone_mask_clamps_to_min_and_max)
{
	struct z24_tunables tun;
	struct zs_error err = {0, ""};

	cr_assert_eq(zs24_tunables(&tun, NULL, MIB(64), &err), 0);
	cr_assert_eq(zs24_zone_mask(&tun, ZS_ZONE_DMA, 100), 10, "below balance_min");
	cr_assert_eq(zs24_zone_mask(&tun, ZS_ZONE_NORMAL, 1280), 10);
	cr_assert_eq(zs24_zone_mask(&tun, ZS_ZONE_NORMAL, 1408), 11);
	cr_assert_eq(zs24_zone_mask(&tun, ZS_ZONE_HIGHMEM, 1u << 20), 255, "balance_max");
	cr_assert_eq(zs24_zone_mask(&tun, ZS_ZONE_DMA, 4096), 128, "DMA ratio is 32");
}

Test(zone24, memory_pressure_and_inactive_target)
{
	struct t24 t;

	t24_boot(&t, MIB(16), MIB(16), 0, 0);
	cr_assert_eq(t.s->memory_pressure, 0, "boot frees leave it at 0");
	t.s->memory_pressure = 6400;
	cr_assert_eq(zs24_inactive_target(t.s), 100);
	zs24_recalculate_vm_stats(t.s);
	cr_assert_eq(t.s->memory_pressure, 6300, "mp -= mp >> 6");
	t.s->memory_pressure = 1 << 30;
	cr_assert_eq(zs24_inactive_target(t.s), 8192 / 4, "capped at num_physpages / 4");
	/* a steady net rate r per decay converges to about 64 r */
	t.s->memory_pressure = 0;
	for (int i = 0; i < 3000; i++) {
		t.s->memory_pressure += 100;
		zs24_recalculate_vm_stats(t.s);
	}
	cr_assert(t.s->memory_pressure >= 6200 && t.s->memory_pressure <= 6400, "mp = %lld",
		  (long long)t.s->memory_pressure);
	t24_fini(&t);
}

Test(zone24, reclaim_page_counts_pressure_even_when_it_fails)
{
	struct t24 t;
	struct z24_ctx c = {0};

	t24_boot(&t, MIB(16), MIB(16), 0, 0);
	cr_assert_eq(zs24_reclaim_page(t.s, t24_zone(&t, ZS_ZONE_NORMAL), &c), ZS_NIL);
	cr_assert_eq(t.s->memory_pressure, 1);
	cr_assert_eq(zs24_zone(t24_zone(&t, ZS_ZONE_NORMAL))->recfail, 1);
	t24_fini(&t);
}

Test(zone24, idle_kswapd_decays_every_two_seconds)
{
	struct t24 t;
	int64_t mp = 64000;

	t24_boot(&t, MIB(16), MIB(16), 0, 0);
	t.s->memory_pressure = mp;
	/* loops at 0, ~1, ~2, ... s: `jiffies > last_recalc + HZ` holds at 2, 4, 6, 8, 10 s */
	zs_engine_run(t.e, 10 * ZS_NS_PER_SEC + ZS_NS_PER_SEC / 2, NULL, NULL);
	for (int i = 0; i < 5; i++)
		mp -= mp >> 6;
	cr_assert_eq(t.s->memory_pressure, mp);
	cr_assert_eq(t.s->kswapd_loops, 11);
	t24_fini(&t);
}

Test(zone24, free_shortage_global_and_per_zone)
{
	struct t24 t;

	t24_boot(&t, MIB(16), MIB(16), 0, 0);
	cr_assert_eq(zs24_free_shortage(t.s), 0);
	/* per-zone emergency: Normal below pages_min + 1 while the total is fine */
	t24_drain(&t, t24_zone(&t, ZS_ZONE_NORMAL), 20);
	cr_assert_eq(zs24_free_shortage(t.s), 32 + 1 - 20);
	t24_clean_page(&t, t24_zone(&t, ZS_ZONE_DMA));
	cr_assert_eq(zs24_free_shortage(t.s), 13, "clean pages of another zone do not help");
	/* global: freepages.high + inactive_target / 3 - free - clean */
	t24_drain(&t, t24_zone(&t, ZS_ZONE_DMA), 100);
	t24_drain(&t, t24_zone(&t, ZS_ZONE_NORMAL), 0);
	t.s->memory_pressure = 64 * 90; /* inactive_target 90 */
	cr_assert_eq(zs24_free_shortage(t.s), 480 + 30 - 100 - 1);
	t24_fini(&t);
}

Test(zone24, inactive_shortage_counts_all_inactive_pages)
{
	struct t24 t;

	t24_boot(&t, MIB(16), MIB(16), 0, 0);
	cr_assert_eq(zs24_inactive_shortage(t.s), 0);
	t24_drain(&t, t24_zone(&t, ZS_ZONE_DMA), 0);
	t24_drain(&t, t24_zone(&t, ZS_ZONE_NORMAL), 100);
	cr_assert_eq(zs24_inactive_shortage(t.s), 480 - 100);
	t.s->memory_pressure = 64 * 60;
	cr_assert_eq(zs24_inactive_shortage(t.s), 480 + 60 - 100);
	for (int i = 0; i < 50; i++)
		t24_dirty_list_page(&t, t24_zone(&t, ZS_ZONE_NORMAL), 0);
	cr_assert_eq(zs24_inactive_shortage(t.s), 480 + 60 - 50 - 50);
	cr_assert_eq(zs24_zone(t24_zone(&t, ZS_ZONE_NORMAL))->inactive_dirty_pages, 50);
	t24_fini(&t);
}

Test(zone24, dma32_is_rejected)
{
	struct zs_machine_spec spec;
	struct zs_error err = {0, ""};

	memset(&spec, 0, sizeof(spec));
	spec.nr_nodes = 1;
	spec.nodes[0].nr_zones = 2;
	spec.nodes[0].zones[0] = (struct zs_zone_spec){ZS_ZONE_DMA, MIB(16)};
	spec.nodes[0].zones[1] = (struct zs_zone_spec){ZS_ZONE_DMA32, MIB(16)};
	spec.nodes[0].cpus = 1;
	spec.hz = 100;
	struct zs_machine *m = zs_machine_create(&spec, &err);
	struct zs_engine *e = zs_engine_create();

	cr_assert_not_null(m);
	cr_assert_null(zs_vm_create(m, e, &zs_policy_24, NULL, NULL, &err));
	cr_assert(strstr(err.msg, "DMA32") != NULL, "%s", err.msg);
	zs_engine_destroy(e);
	zs_machine_destroy(m);
}

Test(zone24, kernel_tunables)
{
	struct zs_error err = {0, ""};
	struct z24_tunables tun;
	struct zs_cfg *root = zs_cfg_load_string(
		"t.yaml",
		"kernel: {version: '2.4', zone_balance_ratio: [64, 128, 128], cost_scan: 1us,\n"
		"         bdflush: {nfract: 40, interval: 2s}}\n",
		&err);

	cr_assert_not_null(root, "%s", err.msg);
	cr_assert_eq(zs24_tunables(&tun, zs_cfg_get(root, "kernel"), MIB(32), &err), 0, "%s",
		     err.msg);
	cr_assert_eq(tun.ratio[0], 64);
	cr_assert_eq(tun.cost_scan_ns, 1000);
	cr_assert_eq(tun.nfract, 40);
	cr_assert_eq(tun.interval_ns, 2 * ZS_NS_PER_SEC);
	cr_assert_eq(tun.ndirty, 64, "defaults stay");
	cr_assert_eq(tun.page_cluster, 4, "32 MiB: page_cluster 4");
	zs_cfg_free(root);

	root = zs_cfg_load_string("t.yaml", "kernel: {version: '2.4', page_clustr: 3}\n", &err);
	cr_assert_not_null(root);
	cr_assert_neq(zs24_tunables(&tun, zs_cfg_get(root, "kernel"), MIB(32), &err), 0);
	cr_assert(strstr(err.msg, "page_clustr") != NULL, "%s", err.msg);
	zs_cfg_free(root);
}

Test(zone24, check_output_lists_watermarks_and_totals)
{
	struct t24 t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	t24_boot(&t, MIB(16), MIB(16), 0, 0);
	f = open_memstream(&buf, &len);
	t.vm->ops->describe(t.vm, f, 1);
	fclose(f);
	cr_assert(strstr(buf, "node,zone,start_pfn,spanned_pages,present_pages,min,low,high\n") == buf);
	cr_assert(strstr(buf, "0,DMA,0,4096,4096,128,256,384\n") != NULL, "%s", buf);
	cr_assert(strstr(buf, "0,Normal,4096,4096,4096,32,64,96\n") != NULL, "%s", buf);
	cr_assert(strstr(buf, "freepages,0,8192,8192,160,320,480\n") != NULL, "%s", buf);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	t.vm->ops->describe(t.vm, f, 0);
	fclose(f);
	cr_assert(strstr(buf, "freepages.min 160 freepages.low 320 freepages.high 480") != NULL, "%s",
		  buf);
	free(buf);
	t24_fini(&t);
}

Test(zone24, hz_without_a_shift_hz_is_rejected)
{
	struct zs_machine_spec spec;
	struct zs_error err = {0, ""};

	memset(&spec, 0, sizeof(spec));
	spec.nr_nodes = 1;
	spec.nodes[0].nr_zones = 1;
	spec.nodes[0].zones[0] = (struct zs_zone_spec){ZS_ZONE_DMA, MIB(16)};
	spec.nodes[0].cpus = 1;
	spec.hz = 20;
	struct zs_machine *m = zs_machine_create(&spec, &err);
	struct zs_engine *e = zs_engine_create();

	cr_assert_not_null(m);
	/* KERNEL: 2.4.0 include/linux/timex.h: "#error You lose." below HZ 24 */
	cr_assert_null(zs_vm_create(m, e, &zs_policy_24, NULL, NULL, &err));
	cr_assert(strstr(err.msg, "HZ 24..1535") != NULL, "%s", err.msg);
	zs_engine_destroy(e);
	zs_machine_destroy(m);
}
