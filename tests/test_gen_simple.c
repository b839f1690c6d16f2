/* test_gen_simple.c - the `simple` workload source. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/rng.h"
#include "workloads/source.h"

static struct zs_source *
simple(const char *yaml, struct zs_cfg **root, struct zs_rng **rng, struct zs_error *err)
{
	struct zs_source_env env = {.kver = ZS_KV_2632, .nr_cpus = 2, .machine_pages = 16384,
				    .duration_ns = 1000000000, .scenario_dir = "."};

	*root = zs_cfg_load_string("s.yaml", yaml, err);
	cr_assert(*root, "%s", err->msg);
	*rng = env.rng = zs_rng_create(3, "test", 0);
	return zs_source_create(*root, &env, err);
}

/* A touch process past `stop` with no live pages once hung the source. */
Test(gen_simple, touches_end_at_stop, .timeout = 10)
{
	struct zs_error err = {0, ""};
	struct zs_cfg *root;
	struct zs_rng *rng;
	struct zs_source *s =
		simple("{type: simple, tasks: 2, rate: 100, lifetime: 1ms, touch_rate: 5000, stop: 50ms}",
		       &root, &rng, &err);
	struct zs_request r;
	int64_t last = -1;
	int n = 0, exits = 0;

	cr_assert(s, "%s", err.msg);
	while (zs_source_next_done(s, &r, &err) == 1) {
		cr_assert_geq(r.time, last, "requests out of time order");
		last = r.time;
		exits += r.type == ZS_REQ_TASK_EXIT;
		if (r.type == ZS_REQ_TOUCH || r.type == ZS_REQ_DIRTY || r.type == ZS_REQ_ALLOC)
			cr_assert_lt(r.time, 50000000);
		n++;
	}
	cr_assert_eq(exits, 2);
	cr_assert_gt(n, 10);
	zs_source_destroy(s);
	zs_rng_destroy(rng);
	zs_cfg_free(root);
}

Test(gen_simple, order_at_max_order_is_an_error)
{
	struct zs_error err = {0, ""};
	struct zs_cfg *root;
	struct zs_rng *rng;
	struct zs_source *s = simple("type: simple\norder: 11\n", &root, &rng, &err);

	cr_assert_null(s);
	cr_assert(strstr(err.msg, "s.yaml:2:8: 'order' = 11 is out of range [0, 10]"), "%s", err.msg);
	zs_rng_destroy(rng);
	zs_cfg_free(root);
}

Test(gen_simple, same_seed_same_requests)
{
	struct zs_error err = {0, ""};
	const char *y = "{type: simple, tasks: 3, rate: 2000, orders: {0: 0.7, 2: 0.3}, touch_rate: 100}";
	struct zs_cfg *r1, *r2;
	struct zs_rng *g1, *g2;
	struct zs_source *a = simple(y, &r1, &g1, &err), *b = simple(y, &r2, &g2, &err);
	struct zs_request x, z;

	cr_assert(a && b);
	for (int i = 0; i < 5000; i++) {
		cr_assert_eq(zs_source_next_done(a, &x, &err), 1);
		cr_assert_eq(zs_source_next_done(b, &z, &err), 1);
		cr_assert(x.time == z.time && x.type == z.type && x.handle == z.handle &&
			  x.order == z.order && x.task == z.task, "request %d differs", i);
	}
	zs_source_destroy(a);
	zs_source_destroy(b);
	zs_rng_destroy(g1);
	zs_rng_destroy(g2);
	zs_cfg_free(r1);
	zs_cfg_free(r2);
}

Test(gen_simple, weights_and_gfp_must_mean_something)
{
	struct zs_error err = {0, ""};
	struct zs_cfg *root;
	struct zs_rng *rng;

	cr_assert_null(simple("type: simple\norders: {0: 0, 1: 0}\n", &root, &rng, &err));
	cr_assert(strstr(err.msg, "s.yaml:2:9: 'orders' needs at least one positive weight"), "%s",
		  err.msg);
	zs_rng_destroy(rng);
	zs_cfg_free(root);
	cr_assert_null(simple("type: simple\ngfp: \"\"\n", &root, &rng, &err));
	cr_assert(strstr(err.msg, "s.yaml:2:6: empty gfp flags"), "%s", err.msg);
	zs_rng_destroy(rng);
	zs_cfg_free(root);
}
