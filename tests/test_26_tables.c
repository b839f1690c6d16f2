/*
 * test_26_tables.c - boot-time tables of the 2.6 models: min_free_kbytes,
 * min/low/high, lowmem_reserve, pcp batch/high (the kernel-2.6.md §2.5
 * worked examples among them), pageblock geometry and MIGRATE_RESERVE, and
 * zone_watermark_ok at every order with and without ALLOC_HIGH/HARDER.
 */
#include "tests/test_26_util.h"

static const enum zs_zone_type X86_64[] = {ZS_ZONE_DMA, ZS_ZONE_DMA32, ZS_ZONE_NORMAL};
static const enum zs_zone_type I386[] = {ZS_ZONE_DMA, ZS_ZONE_NORMAL, ZS_ZONE_HIGHMEM};

Test(zs26_tables, x86_64_2g_worked_example)
{
	const uint64_t pages[] = {3997, 508000, 0};
	const struct zs_policy_ops *ops[] = {&zs_policy_2618, &zs_policy_2632};

	for (int v = 0; v < 2; v++) {
		struct t26 t = t26_boot(ops[v], 2, X86_64, pages, NULL);
		struct zs_zone *dma = &t.m->zones[0], *dma32 = &t.m->zones[1];
		struct zs26_zone *zd = zs26_zone(dma), *z32 = zs26_zone(dma32);

		cr_assert_eq(zs26_of(t.vm)->min_free_kbytes, 5724);
		cr_assert_eq(dma->pages_min, 11);
		cr_assert_eq(dma->pages_low, 13);
		cr_assert_eq(dma->pages_high, 16);
		cr_assert_eq(dma32->pages_min, 1419);
		cr_assert_eq(dma32->pages_low, 1773);
		cr_assert_eq(dma32->pages_high, 2128);
		cr_assert_eq(dma->lowmem_reserve[ZS_ZONE_DMA], 0);
		cr_assert_eq(dma->lowmem_reserve[ZS_ZONE_DMA32], 1984);
		cr_assert_eq(dma->lowmem_reserve[ZS_ZONE_NORMAL], 1984); /* Normal unpopulated */
		cr_assert_eq(dma32->lowmem_reserve[ZS_ZONE_NORMAL], 0);
		/* DMA: zone_batchsize 0 -> batch 1, high 0 */
		cr_assert_eq(zd->unbatched, 0);
		cr_assert_eq(zd->pageset[1].pcp[0].batch, 1);
		cr_assert_eq(zd->pageset[1].pcp[0].high, 0);
		cr_assert_eq(z32->pageset[0].pcp[0].batch, 31);
		cr_assert_eq(z32->pageset[0].pcp[0].high, 186);
		if (v == 0) {
			/* 2.6.18 cold list: high 2 x batch, batch / 2 */
			cr_assert_eq(z32->pageset[0].pcp[1].batch, 15);
			cr_assert_eq(z32->pageset[0].pcp[1].high, 62);
		}
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_tables, i386_1g_worked_example)
{
	const uint64_t pages[] = {4096, 221184, 36864, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 1, I386, pages, NULL);
	struct zs_zone *dma = &t.m->zones[0], *nrm = &t.m->zones[1], *hi = &t.m->zones[2];

	cr_assert_eq(zs26_of(t.vm)->min_free_kbytes, 3797);
	cr_assert_eq(dma->pages_min, 17);
	cr_assert_eq(dma->pages_low, 21);
	cr_assert_eq(dma->pages_high, 25);
	cr_assert_eq(nrm->pages_min, 931);
	cr_assert_eq(nrm->pages_low, 1163);
	cr_assert_eq(nrm->pages_high, 1396);
	cr_assert_eq(hi->pages_min, 36);
	cr_assert_eq(hi->pages_low, 74);
	cr_assert_eq(hi->pages_high, 113);
	cr_assert_eq(dma->lowmem_reserve[ZS_ZONE_NORMAL], 864);
	cr_assert_eq(dma->lowmem_reserve[ZS_ZONE_HIGHMEM], 1008);
	cr_assert_eq(nrm->lowmem_reserve[ZS_ZONE_HIGHMEM], 1152);
	cr_assert_eq(zs26_zone(nrm)->pageset[0].pcp[0].batch, 31);
	cr_assert_eq(zs26_zone(nrm)->pageset[0].pcp[0].high, 186);
	cr_assert_eq(zs26_zone(hi)->pageset[0].pcp[0].batch, 7);
	cr_assert_eq(zs26_zone(hi)->pageset[0].pcp[0].high, 42);
	/* HighMem present: i386 without PAE, pageblock_order 10 */
	cr_assert_eq(zs26_of(t.vm)->pageblock_order, 10);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_tables, min_free_kbytes_defaults_and_clamps)
{
	/* lowmem size in pages -> min_free_kbytes (kernel-2.6.md §2.1) */
	static const uint64_t cases[][2] = {
		{4096, 512},	{16384, 1024},	{65536, 2048},	  {262144, 4096},
		{1048576, 8192}, {4194304, 16384}, {64, 128 /* clamp */}, {1ull << 28, 65536},
	};
	struct zs_zone zones[1];
	struct zs_machine m;

	memset(&m, 0, sizeof(m));
	memset(zones, 0, sizeof(zones));
	m.zones = zones;
	m.nr_zones = 1;
	zones[0].type = ZS_ZONE_NORMAL;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		zones[0].present = (uint32_t)(cases[i][0] > UINT32_MAX ? UINT32_MAX : cases[i][0]);
		cr_assert_eq(zs26_default_min_free_kbytes(&m), cases[i][1], "%llu pages",
			     (unsigned long long)cases[i][0]);
	}
	/* highmem does not count as lowmem */
	zones[0].type = ZS_ZONE_HIGHMEM;
	zones[0].present = 1u << 20;
	cr_assert_eq(zs26_default_min_free_kbytes(&m), 128);
}

Test(zs26_tables, min_free_kbytes_tunable_overrides)
{
	const uint64_t pages[] = {4096, 258048, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 1, X86_64, pages, "min_free_kbytes: 16384\n");
	struct zs_zone *dma = &t.m->zones[0], *dma32 = &t.m->zones[1];

	/* 4096 pages over 262144 lowmem pages: DMA 64, DMA32 4032 */
	cr_assert_eq(dma->pages_min, 64);
	cr_assert_eq(dma32->pages_min, 4032);
	cr_assert_eq(dma32->pages_low, 4032 + 1008);
	cr_assert_eq(dma32->pages_high, 4032 + 2016);
	/* 2.6.32: MIGRATE_RESERVE = roundup(min, 512) / 512 capped at 2 */
	cr_assert_eq(zs26_pageblocks_of(t.vm, dma32, ZS26_MT_RESERVE), 2);
	cr_assert_eq(zs26_pageblocks_of(t.vm, dma, ZS26_MT_RESERVE), 1);
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_tables, unknown_kernel_key_is_rejected)
{
	struct zs_machine_spec s;
	const enum zs_zone_type ty[] = {ZS_ZONE_NORMAL};
	const uint64_t pages[] = {4096, 0};
	struct zs_error err = {0};

	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, 1, ty, pages);
	s.hz = 250;
	struct zs_machine *m = zs_machine_create(&s, &err);
	struct zs_engine *e = zs_engine_create();
	struct zs_cfg *cfg = zs_cfg_load_string("k", "version: 2.6.32\nmin_free_kbyte: 5\n", &err);

	cr_assert_not_null(cfg);
	cr_assert_null(zs_vm_create(m, e, &zs_policy_2632, cfg, NULL, &err));
	cr_assert(strstr(err.msg, "min_free_kbyte") != NULL, "%s", err.msg);
	zs_cfg_free(cfg);
	zs_engine_destroy(e);
	zs_machine_destroy(m);
}

Test(zs26_tables, zone_batchsize_clamp)
{
	cr_assert_eq(zs26_zone_batchsize(4096), 0);     /* 16 MiB DMA */
	cr_assert_eq(zs26_zone_batchsize(16384), 3);    /* 64 MiB */
	cr_assert_eq(zs26_zone_batchsize(32768), 7);    /* 128 MiB */
	cr_assert_eq(zs26_zone_batchsize(65536), 15);   /* 256 MiB */
	cr_assert_eq(zs26_zone_batchsize(131072), 31);  /* 512 MiB */
	cr_assert_eq(zs26_zone_batchsize(1u << 24), 31); /* capped at 512 KiB */
	cr_assert_eq(zs26_zone_batchsize(36864), 7);    /* i386 HighMem example */
}

Test(zs26_tables, pagelist_fraction_sets_high_and_batch)
{
	const enum zs_zone_type ty[] = {ZS_ZONE_NORMAL};
	const uint64_t pages[] = {65536, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 2, ty, pages, "percpu_pagelist_fraction: 64\n");
	struct zs26_pcp *pcp = &zs26_zone(&t.m->zones[0])->pageset[1].pcp[0];

	cr_assert_eq(pcp->high, 1024);
	cr_assert_eq(pcp->batch, 96); /* high/4 = 256 capped at PAGE_SHIFT * 8 */
	t26_free(&t);
}

/* Reference: order-n request passes iff for every o <= n the pages in blocks of order >= o
 * (minus the request) exceed the mark halved o times (plus the reserve at o == 0). */
static int
reference_ok(const struct zs_zone *z, unsigned order, int64_t mark, int64_t reserve, int flags)
{
	int64_t min = mark, below = 0;

	if (flags & ZS26_ALLOC_HIGH)
		min -= min / 2;
	if (flags & ZS26_ALLOC_HARDER)
		min -= min / 4;
	for (unsigned o = 0; o <= order; o++) {
		int64_t avail = (int64_t)z->free_pages - (1ll << order) + 1 - below;

		if (avail <= (min >> o) + (o == 0 ? reserve : 0))
			return 0;
		below += (int64_t)z->free_area[o].nr_free << o;
	}
	return 1;
}

Test(zs26_tables, zone_watermark_ok_every_order_and_flag)
{
	struct zs_zone z;
	static const int flag_sets[] = {0, ZS26_ALLOC_HIGH, ZS26_ALLOC_HARDER,
					ZS26_ALLOC_HIGH | ZS26_ALLOC_HARDER};

	memset(&z, 0, sizeof(z));
	/* 40 single pages, 10 order-1, 4 order-3, 1 order-6 block: 40+20+32+64 = 156 pages */
	z.free_area[0].nr_free = 40;
	z.free_area[1].nr_free = 10;
	z.free_area[3].nr_free = 4;
	z.free_area[6].nr_free = 1;
	z.free_pages = 156;
	z.lowmem_reserve[2] = 30;
	for (int64_t mark = 0; mark <= 200; mark += 8)
		for (unsigned order = 0; order < 11; order++)
			for (unsigned f = 0; f < 4; f++)
				for (int cz = 0; cz <= 2; cz += 2) {
					int got = zs26_zone_watermark_ok(&z, order, (uint64_t)mark,
									 cz, flag_sets[f]);
					int want = reference_ok(&z, order, mark,
								(int64_t)z.lowmem_reserve[cz],
								flag_sets[f]);

					cr_assert_eq(got, want, "mark %lld order %u flags %#x cz %d",
						     (long long)mark, order, flag_sets[f], cz);
				}
	/* spot checks by hand: mark 128, order 0 */
	cr_assert_not(zs26_zone_watermark_ok(&z, 0, 160, 0, 0));       /* 156 <= 160 */
	cr_assert(zs26_zone_watermark_ok(&z, 0, 160, 0, ZS26_ALLOC_HIGH)); /* 156 > 80 */
	cr_assert(zs26_zone_watermark_ok(&z, 0, 200, 0, ZS26_ALLOC_HARDER)); /* 156 > 150 */
	/* GFP_ATOMIC: 3/8 of the mark stays; 156 > 3/8 * 400 = 150 */
	cr_assert(zs26_zone_watermark_ok(&z, 0, 400, 0, ZS26_ALLOC_HIGH | ZS26_ALLOC_HARDER));
	cr_assert_not(zs26_zone_watermark_ok(&z, 0, 420, 0, ZS26_ALLOC_HIGH | ZS26_ALLOC_HARDER));
	/* the reserve term counts only at order 0 of the loop */
	cr_assert_not(zs26_zone_watermark_ok(&z, 0, 128, 2, 0)); /* 156 <= 128 + 30 */
	/* order 2: 156-3 = 153 > 20; minus 40 -> 113 > 10; minus 20 -> 93 > 5 */
	cr_assert(zs26_zone_watermark_ok(&z, 2, 20, 0, 0));
	/* order 7: nothing of order >= 7 is free */
	cr_assert_not(zs26_zone_watermark_ok(&z, 7, 0, 0, 0));
}

Test(zs26_tables, describe_csv_has_one_row_per_zone)
{
	const uint64_t pages[] = {4096, 258048, 262144, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 2, X86_64, pages, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	t.vm->ops->describe(t.vm, f, 1);
	fclose(f);
	static const char header[] =
		"node,zone,start_pfn,spanned_pages,present_pages,min,low,high,"
		"lowmem_reserve_dma,lowmem_reserve_dma32,lowmem_reserve_normal,"
		"lowmem_reserve_highmem,pcp_batch,pcp_high\n";

	cr_assert(strncmp(buf, header, sizeof(header) - 1) == 0, "%s", buf);
	int lines = 0;

	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	cr_assert_eq(lines, 4);
	cr_assert(strstr(buf, "0,DMA32,4096,258048,258048,") != NULL, "%s", buf);
	free(buf);
	t26_free(&t);
}
