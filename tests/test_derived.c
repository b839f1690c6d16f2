/*
 * test_derived.c - the vmstat figures of sim/derived.c from each kernel's own
 * counters: reclaim writes (2.6.32 nr_vmscan_write, 2.6.18's pageout_writes,
 * 2.4.0's launder_pages), kswapd / direct reclaimed from kswapd_steal and
 * pgsteal, and a figure a kernel has no counter for stays absent.
 */
#include <criterion/criterion.h>

#include "sim/derived.h"

static double
figure(struct zs_kv *kv, const char *key)
{
	double v = -1;

	cr_assert(zs_kv_get(kv, key, &v), "%s missing", key);
	return v;
}

Test(derived, reclaim_writes_per_kernel)
{
	static const struct {
		const char *counter;
		double value;
	} k[] = {{"nr_vmscan_write", 17}, {"pageout_writes", 23}, {"launder_pages", 31}};

	for (int i = 0; i < 3; i++) {
		struct zs_kv kv;

		zs_kv_init(&kv);
		zs_kv_put(&kv, k[i].counter, k[i].value);
		zs_derived_add(&kv);
		cr_assert_eq(figure(&kv, "reclaim_writes"), k[i].value, "%s", k[i].counter);
		zs_kv_free(&kv);
	}
	/* nr_vmscan_write wins when a model had both */
	struct zs_kv kv;

	zs_kv_init(&kv);
	zs_kv_put(&kv, "launder_pages", 5);
	zs_kv_put(&kv, "nr_vmscan_write", 9);
	zs_derived_add(&kv);
	cr_assert_eq(figure(&kv, "reclaim_writes"), 9);
	zs_kv_free(&kv);
}

Test(derived, absent_counters_give_no_figure)
{
	struct zs_kv kv;
	double v;

	zs_kv_init(&kv);
	zs_kv_put(&kv, "pswpout", 4);
	zs_derived_add(&kv);
	cr_assert_eq(figure(&kv, "swap_out"), 4);
	cr_assert_not(zs_kv_get(&kv, "reclaim_writes", &v));
	cr_assert_not(zs_kv_get(&kv, "kswapd_reclaimed", &v));
	zs_kv_free(&kv);
}

Test(derived, kswapd_and_direct_reclaimed_from_kswapd_steal)
{
	struct zs_kv kv;

	zs_kv_init(&kv);
	zs_kv_put(&kv, "pgscan_kswapd", 200);
	zs_kv_put(&kv, "pgscan_direct", 100);
	zs_kv_put(&kv, "pgsteal", 150);
	zs_kv_put(&kv, "kswapd_steal", 120);
	zs_derived_add(&kv);
	cr_assert_eq(figure(&kv, "kswapd_reclaimed"), 120);
	cr_assert_eq(figure(&kv, "direct_reclaimed"), 30);
	cr_assert_eq(figure(&kv, "kswapd_efficiency_pct"), 60);
	cr_assert_eq(figure(&kv, "direct_efficiency_pct"), 30);
	zs_kv_free(&kv);
}
