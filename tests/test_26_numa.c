/*
 * test_26_numa.c - NUMA zonelists of 2.6.18 and 2.6.32: 2.6.32's
 * default_zonelist_order (node order against zone order) on the layouts its
 * three rules tell apart, the numa_zonelist_order tunable, and GFP_THISNODE on
 * a CONFIG_NUMA build with one node.
 */
#include "tests/test_26_util.h"

#define GIB(x) ((uint64_t)(x) << 18)
#define MS (1000 * 1000LL)

/* A two-node machine: node 0 DMA 16 MiB + DMA32 (dma32 pages) + Normal, node 1 Normal. */
static struct t26
two_nodes(const struct zs_policy_ops *ops, uint64_t dma32, uint64_t normal0, uint64_t normal1,
	  const char *kernel_yaml)
{
	struct zs_machine_spec s;
	const enum zs_zone_type t0[] = {ZS_ZONE_DMA, ZS_ZONE_DMA32, ZS_ZONE_NORMAL};
	const enum zs_zone_type t1[] = {ZS_ZONE_NORMAL};
	uint64_t p0[] = {4096, dma32, normal0, 0}, p1[] = {normal1, 0};

	if (!normal0)
		p0[2] = 0;
	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, 1, t0, p0);
	t26_spec_node(&s, 1, 1, t1, p1);
	return t26_boot_spec(ops, &s, kernel_yaml);
}

/* "node/zone" of entry i of node n's zonelist for class c. */
static const char *
entry(struct t26 *t, int n, int c, int i, char *buf)
{
	struct zs26_node *nm = t->m->nodes[n].model;
	const struct zs_zone *z = &t->m->zones[nm->zonelist[c][i]];

	sprintf(buf, "%d/%s", z->node, z->name);
	return buf;
}

Test(zs26_numa, small_dma32_on_two_nodes_is_zone_order_in_2632)
{
	/* 4 GiB DMA32 + 4 GiB Normal on node 0, 8 GiB on node 1: low memory is a quarter */
	struct t26 t = two_nodes(&zs_policy_2632, GIB(4) - 4096, GIB(4), GIB(8), NULL);
	struct zs26_node *n0 = t.m->nodes[0].model, *n1 = t.m->nodes[1].model;
	char b[32];

	cr_assert_eq(zs26_of(t.vm)->zonelist_order, ZS26_ZONELIST_ORDER_ZONE);
	/* every Normal zone before node 0's DMA32 and DMA */
	cr_assert_eq(n0->zonelist_len[ZS_ZONE_NORMAL], 4);
	cr_assert_str_eq(entry(&t, 0, ZS_ZONE_NORMAL, 0, b), "0/Normal");
	cr_assert_str_eq(entry(&t, 0, ZS_ZONE_NORMAL, 1, b), "1/Normal");
	cr_assert_str_eq(entry(&t, 0, ZS_ZONE_NORMAL, 2, b), "0/DMA32");
	cr_assert_str_eq(entry(&t, 0, ZS_ZONE_NORMAL, 3, b), "0/DMA");
	cr_assert_eq(n1->zonelist_len[ZS_ZONE_NORMAL], 4);
	cr_assert_str_eq(entry(&t, 1, ZS_ZONE_NORMAL, 0, b), "1/Normal");
	cr_assert_str_eq(entry(&t, 1, ZS_ZONE_NORMAL, 1, b), "0/Normal");
	cr_assert_str_eq(entry(&t, 1, ZS_ZONE_NORMAL, 2, b), "0/DMA32");
	/* a DMA32 request never sees a Normal zone */
	cr_assert_eq(n1->zonelist_len[ZS_ZONE_DMA32], 2);
	cr_assert_str_eq(entry(&t, 1, ZS_ZONE_DMA32, 0, b), "0/DMA32");
	t26_check(&t);
	t26_free(&t);
}

Test(zs26_numa, the_same_box_is_node_order_in_2618)
{
	struct t26 t = two_nodes(&zs_policy_2618, GIB(4) - 4096, GIB(4), GIB(8), NULL);
	char b[32];

	cr_assert_eq(zs26_of(t.vm)->zonelist_order, ZS26_ZONELIST_ORDER_NODE);
	cr_assert_str_eq(entry(&t, 0, ZS_ZONE_NORMAL, 0, b), "0/Normal");
	cr_assert_str_eq(entry(&t, 0, ZS_ZONE_NORMAL, 1, b), "0/DMA32");
	cr_assert_str_eq(entry(&t, 0, ZS_ZONE_NORMAL, 2, b), "0/DMA");
	cr_assert_str_eq(entry(&t, 0, ZS_ZONE_NORMAL, 3, b), "1/Normal");
	t26_free(&t);
}

Test(zs26_numa, dma32_over_half_of_memory_is_node_order)
{
	/* node 0: 3 GiB of DMA32 and nothing above; node 1: 1 GiB Normal */
	struct t26 t = two_nodes(&zs_policy_2632, GIB(3) - 4096, 0, GIB(1), NULL);
	char b[32];

	cr_assert_eq(zs26_of(t.vm)->zonelist_order, ZS26_ZONELIST_ORDER_NODE);
	cr_assert_str_eq(entry(&t, 1, ZS_ZONE_NORMAL, 0, b), "1/Normal");
	cr_assert_str_eq(entry(&t, 1, ZS_ZONE_NORMAL, 1, b), "0/DMA32");
	t26_free(&t);
}

Test(zs26_numa, a_large_node_mostly_dma32_is_node_order)
{
	/* total 11 GiB, low 4 GiB (< half); average 11/3 GiB; node 0 has 5 GiB, 80 % low */
	struct t26 t = two_nodes(&zs_policy_2632, GIB(4) - 4096, GIB(1), GIB(6), NULL);

	cr_assert_eq(zs26_of(t.vm)->zonelist_order, ZS26_ZONELIST_ORDER_NODE);
	t26_free(&t);
	/* the same node at 70 % low or less: zone order */
	t = two_nodes(&zs_policy_2632, GIB(4) - 4096, GIB(2), GIB(6), NULL);
	cr_assert_eq(zs26_of(t.vm)->zonelist_order, ZS26_ZONELIST_ORDER_ZONE);
	t26_free(&t);
}

Test(zs26_numa, numa_zonelist_order_tunable_overrides_the_default)
{
	char b[32];
	struct t26 t = two_nodes(&zs_policy_2632, GIB(4) - 4096, GIB(4), GIB(8),
				 "numa_zonelist_order: node\n");

	cr_assert_eq(zs26_of(t.vm)->zonelist_order, ZS26_ZONELIST_ORDER_NODE);
	cr_assert_str_eq(entry(&t, 0, ZS_ZONE_NORMAL, 1, b), "0/DMA32");
	t26_free(&t);
	/* the kernel reads the first letter only */
	t = two_nodes(&zs_policy_2632, GIB(3) - 4096, 0, GIB(1), "numa_zonelist_order: Z\n");
	cr_assert_eq(zs26_of(t.vm)->zonelist_order, ZS26_ZONELIST_ORDER_ZONE);
	t26_free(&t);
}

/* Boot that must fail; returns the message. */
static void
boot_fails(const struct zs_policy_ops *ops, const char *kernel_yaml, const char *want)
{
	struct zs_machine_spec s;
	const enum zs_zone_type ty[] = {ZS_ZONE_NORMAL};
	const uint64_t pages[] = {16384, 0};
	struct zs_error err = {0, ""};
	struct zs_cfg *cfg = zs_cfg_load_string("kernel", kernel_yaml, &err);

	memset(&s, 0, sizeof(s));
	t26_spec_node(&s, 0, 1, ty, pages);
	s.hz = 250;
	struct zs_machine *m = zs_machine_create(&s, &err);
	struct zs_engine *e = zs_engine_create();

	cr_assert_not_null(cfg);
	cr_assert_null(zs_vm_create(m, e, ops, cfg, NULL, &err));
	cr_assert(strstr(err.msg, want), "%s", err.msg);
	cr_assert(strstr(err.msg, "kernel:1:"), "no position: %s", err.msg);
	zs_cfg_free(cfg);
	zs_engine_destroy(e);
	zs_machine_destroy(m);
}

Test(zs26_numa, numa_zonelist_order_errors_carry_their_position)
{
	boot_fails(&zs_policy_2632, "numa_zonelist_order: sideways\n", "expected default, node or zone");
	boot_fails(&zs_policy_2618, "numa_zonelist_order: zone\n", "2.6.23+");
}

Test(zs26_numa, gfp_thisnode_gives_up_without_reclaim_on_one_node)
{
	/* CONFIG_NUMA build with a single node: GFP_THISNODE still never reclaims */
	const enum zs_zone_type ty[] = {ZS_ZONE_NORMAL};
	const uint64_t pages[] = {16384, 0};
	struct t26 t = t26_boot(&zs_policy_2632, 1, ty, pages, NULL);

	t26_drain_to(&t, &t.m->zones[0], 100);
	struct t26_call *c = t26_alloc(&t, NULL, GFP26_THISNODE | GFP26_NOWARN | GFP26_NORETRY,
				       0, 0, 1 * MS, 10 * MS);

	cr_assert_str_eq(t26_path(c), "fail_thisnode");
	cr_assert_eq(zs26_of(t.vm)->allocstall, 0);
	t26_free(&t);
}
