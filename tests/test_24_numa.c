/*
 * test_24_numa.c - 2.4.0 on several nodes (CONFIG_DISCONTIGMEM, mm/numa.c):
 * alloc_pages() starts each allocation one node further round the ring, and
 * that cursor belongs to one simulated kernel, not to the process.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "alloc/linux24/model.h"
#include "sim/cfg.h"
#include "sim/engine.h"

struct two {
	struct zs_machine *m;
	struct zs_engine *e;
	struct zs_vm *vm;
};

static struct two
boot_two_nodes(void)
{
	struct zs_machine_spec s;
	struct zs_error err = {0, ""};
	struct two t;

	memset(&s, 0, sizeof(s));
	s.nr_nodes = 2;
	s.hz = 100;
	for (int n = 0; n < 2; n++) {
		s.nodes[n].cpus = 1;
		s.nodes[n].nr_zones = 2;
		s.nodes[n].zones[0] = (struct zs_zone_spec){ZS_ZONE_DMA, 4096};
		s.nodes[n].zones[1] = (struct zs_zone_spec){ZS_ZONE_NORMAL, 8192};
	}
	t.m = zs_machine_create(&s, &err);
	cr_assert_not_null(t.m, "%s", err.msg);
	t.e = zs_engine_create();
	t.vm = zs_vm_create(t.m, t.e, &zs_policy_24, NULL, NULL, &err);
	cr_assert_not_null(t.vm, "%s", err.msg);
	return t;
}

/* The node of one GFP_KERNEL page allocated on this kernel. */
static int
node_of_next_alloc(struct two *t)
{
	struct zs_alloc_req r;

	memset(&r, 0, sizeof(r));
	r.gfp = GFP24_KERNEL;
	r.kind = ZS_KIND_KERNEL;
	r.node = -1;
	r.pfn = ZS_NIL;
	cr_assert_eq(t->vm->ops->alloc(t->vm, &r), ZS_ALLOC_DONE);
	cr_assert_neq(r.pfn, ZS_NIL);
	return zs_pfn_zone(t->m, r.pfn)->node;
}

static void
fini(struct two *t)
{
	zs_vm_destroy(t->vm);
	zs_engine_destroy(t->e);
	zs_machine_destroy(t->m);
}

Test(zs24_numa, round_robin_per_kernel_not_per_process)
{
	struct two a = boot_two_nodes();

	cr_assert_eq(node_of_next_alloc(&a), 0);
	cr_assert_eq(node_of_next_alloc(&a), 1);
	cr_assert_eq(node_of_next_alloc(&a), 0);
	fini(&a);
	/* a second kernel in the same process starts its ring at node 0 again */
	struct two b = boot_two_nodes();

	cr_assert_eq(node_of_next_alloc(&b), 0);
	cr_assert_eq(node_of_next_alloc(&b), 1);
	fini(&b);
}

Test(zs24_numa, zone_statistics_with_the_26_definitions)
{
	/* both allocations come from CPU 0 (node 0): the first starts its walk at node 0,
	 * the second at node 1; each is served on its start node (a hit), so node 1's
	 * block is a hit but other_node */
	struct two a = boot_two_nodes();
	int z0 = -1, z1 = -1;

	cr_assert_eq(node_of_next_alloc(&a), 0);
	cr_assert_eq(node_of_next_alloc(&a), 1);
	for (int i = 0; i < a.m->nr_zones; i++) {
		const struct zs_zone *z = &a.m->zones[i];

		if (z->type == ZS_ZONE_NORMAL)
			*(z->node ? &z1 : &z0) = i;
	}
	struct z24_zone *n0 = zs24_zone(&a.m->zones[z0]), *n1 = zs24_zone(&a.m->zones[z1]);

	cr_assert_eq(n0->numa_hit, 1);
	cr_assert_eq(n0->local_node, 1);
	cr_assert_eq(n1->numa_hit, 1);
	cr_assert_eq(n1->other_node, 1, "served on node 1 for a CPU of node 0");
	cr_assert_eq(n0->numa_miss + n1->numa_miss + n0->numa_foreign + n1->numa_foreign, 0);
	fini(&a);
}
