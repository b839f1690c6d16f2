/*
 * test_zlc.c - 2.6.32's zonelist cache (alloc/linux26/page_alloc_zlc.c): a
 * zone that failed a walk, for any watermark, is skipped by later walks of
 * the same zonelist from its second zone on, until the bitmap is zapped more
 * than HZ jiffies later; a walk that finds nothing scans again without the
 * cache; one node, 2.6.18 and __GFP_THISNODE have no cache.
 */
#include "tests/test_26_util.h"

#include "sim/engine.h"

/* nodes nodes of one 256 MiB Normal zone each, one CPU each. */
static struct t26
boot_nodes(const struct zs_policy_ops *ops, int nodes)
{
	struct zs_machine_spec s;
	const enum zs_zone_type ty[] = {ZS_ZONE_NORMAL};
	const uint64_t pages[] = {65536, 0};

	memset(&s, 0, sizeof(s));
	for (int n = 0; n < nodes; n++)
		t26_spec_node(&s, n, 1, ty, pages);
	for (int a = 0; a < nodes; a++)
		for (int b = 0; b < nodes; b++)
			s.distance[a][b] = a == b ? 10 : 20;
	return t26_boot_spec(ops, &s, NULL);
}

static struct zs_zone *
normal(struct t26 *t, int node)
{
	return t->m->nodes[node].zone[ZS_ZONE_NORMAL];
}

/* One order-0 walk of zl (node 0's cache unless zlc is NULL) at `wmark`; the node served. */
static int
walk(struct t26 *t, const int *zl, int nzl, int wmark, struct zs26_zlc *zlc)
{
	struct zs_alloc_req r;
	uint32_t pfn;

	memset(&r, 0, sizeof(r));
	r.cpu = 0;
	r.node = -1;
	r.gfp = GFP26_HIGHUSER;
	pfn = zs26_get_page_from_freelist(t->vm, &r, r.gfp, 0, zl, nzl, wmark, zlc);
	return pfn == ZS_NIL ? -1 : (int)zs_pfn_zone(t->m, pfn)->node;
}

static int
marked(const struct zs26_zlc *zlc, const struct zs_zone *z)
{
	return !zs26_zlc_zone_worth_trying(zlc, z->id);
}

static void
nop(void *arg, uint64_t data)
{
	(void)arg;
	(void)data;
}

/* Run the engine until `t` (the vm's own timers run too). */
static void
advance_to(struct t26 *t, zs_time_t at)
{
	zs_event_at(t->e, at, nop, NULL, 0);
	zs_engine_run(t->e, at, NULL, NULL);
	cr_assert_geq(zs_now(t->e), at);
}

Test(zs26_zlc, a_zone_full_for_one_mark_is_skipped_for_every_mark_until_the_zap)
{
	struct t26 t = boot_nodes(&zs_policy_2632, 3);
	struct zs26 *k = zs26_of(t.vm);
	struct zs_zone *a = normal(&t, 0), *b = normal(&t, 1), *c = normal(&t, 2);
	const int zl[] = {a->id, b->id, c->id};
	struct zs26_zlc *zlc = zs26_zlc_of(t.vm, 0, GFP26_HIGHUSER);

	cr_assert_not_null(zlc);
	cr_assert_gt(b->pages_high, b->pages_low + 20);
	t26_drain_to(&t, a, a->pages_min);  /* fails every mark */
	t26_drain_to(&t, b, b->pages_high); /* fails high, passes low */

	/* a high walk: a fails (marked, then zapped by the first zlc_setup), b fails, c serves */
	cr_assert_eq(walk(&t, zl, 3, ZS26_ALLOC_WMARK_HIGH, zlc), 2);
	cr_assert_eq(k->zlc_zaps, 1);
	cr_assert(!marked(zlc, a), "the first setup zaps the bit just set on the first zone");
	cr_assert(marked(zlc, b));
	cr_assert(!marked(zlc, c));

	/* a low walk: b would pass low, but the cache skips it; c serves */
	cr_assert_eq(walk(&t, zl, 3, ZS26_ALLOC_WMARK_LOW, zlc), 2);
	cr_assert_eq(k->zlc_skipped, 1);
	cr_assert(marked(zlc, a), "the first zone is tried, and marked, without the cache");
	/* the same walk without a cache takes b */
	cr_assert_eq(walk(&t, zl, 3, ZS26_ALLOC_WMARK_LOW, NULL), 1);

	/* nothing with the cache (c drained too): the second scan without it finds b */
	t26_drain_to(&t, c, c->pages_min);
	cr_assert_eq(walk(&t, zl, 3, ZS26_ALLOC_WMARK_LOW, zlc), 1);
	cr_assert_eq(k->zlc_rescans, 1);
	cr_assert(marked(zlc, c), "c failed with the cache on and was marked");

	/* HZ jiffies later the bitmap still stands (time_after: strictly later) */
	advance_to(&t, (zs_time_t)ZS_NS_PER_SEC);
	uint64_t skipped = k->zlc_skipped;

	cr_assert_eq(walk(&t, zl, 3, ZS26_ALLOC_WMARK_LOW, zlc), 1);
	cr_assert_eq(k->zlc_zaps, 1);
	cr_assert_gt(k->zlc_skipped, skipped);
	/* one jiffy more and the next setup zaps it: b is tried at once */
	advance_to(&t, (zs_time_t)ZS_NS_PER_SEC + ZS_NS_PER_SEC / 250);
	skipped = k->zlc_skipped;
	uint64_t rescans = k->zlc_rescans;

	cr_assert_eq(walk(&t, zl, 3, ZS26_ALLOC_WMARK_LOW, zlc), 1);
	cr_assert_eq(k->zlc_zaps, 2);
	cr_assert_eq(k->zlc_skipped, skipped);
	cr_assert_eq(k->zlc_rescans, rescans);
	t26_free(&t);
}

Test(zs26_zlc, the_first_zone_that_serves_sets_nothing_up)
{
	struct t26 t = boot_nodes(&zs_policy_2632, 2);
	struct zs26 *k = zs26_of(t.vm);
	const int zl[] = {normal(&t, 0)->id, normal(&t, 1)->id};

	cr_assert_eq(walk(&t, zl, 2, ZS26_ALLOC_WMARK_LOW, zs26_zlc_of(t.vm, 0, GFP26_HIGHUSER)), 0);
	cr_assert_eq(k->zlc_zaps, 0);
	cr_assert_eq(k->zlc_rescans, 0);
	t26_free(&t);
}

Test(zs26_zlc, a_failed_walk_scans_twice_even_without_a_cache)
{
	/* __GFP_THISNODE's zonelist has no cache, but zlc_active is set all the same */
	struct t26 t = boot_nodes(&zs_policy_2632, 2);
	struct zs26 *k = zs26_of(t.vm);
	struct zs_zone *a = normal(&t, 0), *b = normal(&t, 1);
	const int zl[] = {a->id, b->id};

	cr_assert_null(zs26_zlc_of(t.vm, 0, GFP26_HIGHUSER | GFP26_THISNODE));
	t26_drain_to(&t, a, a->pages_min);
	t26_drain_to(&t, b, b->pages_min);
	cr_assert_eq(walk(&t, zl, 2, ZS26_ALLOC_WMARK_LOW, NULL), -1);
	cr_assert_eq(k->zlc_rescans, 1);
	cr_assert_eq(k->zlc_zaps, 0, "no cache, nothing to zap");
	t26_free(&t);
}

Test(zs26_zlc, one_node_and_2618_have_none)
{
	struct t26 one = boot_nodes(&zs_policy_2632, 1);
	struct zs_zone *z = normal(&one, 0);
	const int zl1[] = {z->id};

	t26_drain_to(&one, z, z->pages_min);
	cr_assert_eq(walk(&one, zl1, 1, ZS26_ALLOC_WMARK_LOW, zs26_zlc_of(one.vm, 0, GFP26_HIGHUSER)),
		     -1);
	cr_assert_eq(zs26_of(one.vm)->zlc_rescans, 0, "one node online: no zlc_setup");
	cr_assert_eq(zs26_of(one.vm)->zlc_zaps, 0);
	t26_free(&one);

	struct t26 t = boot_nodes(&zs_policy_2618, 2);
	struct zs_zone *a = normal(&t, 0), *b = normal(&t, 1);
	const int zl[] = {a->id, b->id};

	cr_assert_null(zs26_zlc_of(t.vm, 0, GFP26_HIGHUSER));
	t26_drain_to(&t, a, a->pages_min);
	t26_drain_to(&t, b, b->pages_min);
	cr_assert_eq(walk(&t, zl, 2, ZS26_ALLOC_WMARK_LOW, NULL), -1);
	cr_assert_eq(zs26_of(t.vm)->zlc_rescans, 0, "2.6.18 walks the zonelist once");
	t26_free(&t);
}

/* zsim check's text for a booted model. */
static char *
describe(struct t26 *t)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	cr_assert(f);
	t->vm->ops->describe(t->vm, f, 0);
	fclose(f);
	return out;
}

Test(zs26_zlc, check_prints_the_cache_and_each_zones_vm_stats_threshold)
{
	/* 2 CPUs (fls 2), 256 MiB per zone: 65536 >> 15 = 2, fls 2 -> 2 * 2 * 3 = 12 */
	struct t26 two = boot_nodes(&zs_policy_2632, 2);
	char *out = describe(&two);
	char *first = strstr(out, "vm stats threshold: 12 ");

	cr_assert_not_null(first, "%s", out);
	cr_assert_not_null(strstr(first + 1, "vm stats threshold: 12 "), "one line per zone");
	cr_assert_not_null(strstr(out, "zonelist cache: on"), "%s", out);
	cr_assert_not_null(strstr(out, "expire countdown"), "%s", out);
	free(out);
	t26_free(&two);

	struct t26 one = boot_nodes(&zs_policy_2632, 1);

	out = describe(&one);
	cr_assert_not_null(strstr(out, "zonelist cache: off"), "%s", out);
	cr_assert_not_null(strstr(out, "vm stats threshold: 6 "), "1 CPU: 2 * 1 * 3 %s", out);
	free(out);
	t26_free(&one);

	struct t26 old = boot_nodes(&zs_policy_2618, 2);

	out = describe(&old);
	cr_assert_null(strstr(out, "zonelist cache"), "2.6.18 has none: %s", out);
	cr_assert_not_null(strstr(out, "cache_reap"), "%s", out);
	free(out);
	t26_free(&old);
}
