/*
 * test_gen_dist.c - distributions (workloads/dist.c), Zipf ranks and gfp names
 * of the generators (workloads/gen_util.c).
 *
 * The statistical checks use fixed seeds and 200000 draws: each tolerance is
 * at least ten standard errors, so they cannot flake, yet a wrong parameter
 * (mean vs rate, zeta vs median, a unit off by 1000) misses by far more.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc/gfp.h"
#include "sim/cfg.h"
#include "sim/diag.h"
#include "sim/rng.h"
#include "workloads/dist.h"
#include "workloads/gen_util.h"

#define NDRAWS 200000

/* Parse `x: <text>` as a distribution of `unit`. */
static struct zs_dist
parse_dist(const char *text, enum zs_dist_unit unit)
{
	char yaml[512];
	struct zs_error err = {0, ""};
	struct zs_dist d = zs_dist_const(unit, -1);

	snprintf(yaml, sizeof(yaml), "x: %s\n", text);
	struct zs_cfg *root = zs_cfg_load_string("dist.yaml", yaml, &err);

	cr_assert_not_null(root, "%s", err.msg);
	cr_assert_eq(zs_dist_get(root, "x", unit, &d, &err), 0, "%s: %s", text, err.msg);
	zs_cfg_free(root);
	return d;
}

/* The error message for a malformed distribution. */
static void
parse_error(const char *yaml, char *msg, size_t len)
{
	struct zs_error err = {0, ""};
	struct zs_dist d = zs_dist_const(ZS_UNIT_PAGES, 1);
	struct zs_cfg *root = zs_cfg_load_string("dist.yaml", yaml, &err);

	cr_assert_not_null(root, "%s", err.msg);
	cr_assert_eq(zs_dist_get(root, "x", ZS_UNIT_PAGES, &d, &err), -1, "accepted: %s", yaml);
	snprintf(msg, len, "%s", err.msg);
	zs_cfg_free(root);
}

static double
sample_mean(const struct zs_dist *d, uint64_t seed)
{
	struct zs_rng *r = zs_rng_create(seed, "test", 0);
	double sum = 0;

	for (int i = 0; i < NDRAWS; i++)
		sum += zs_dist_draw(d, r);
	zs_rng_destroy(r);
	return sum / NDRAWS;
}

static void
check_mean(const char *text, enum zs_dist_unit unit, double expect, double rel_tol)
{
	struct zs_dist d = parse_dist(text, unit);
	double m = sample_mean(&d, 12345);

	cr_assert_float_eq(zs_dist_mean(&d), expect, expect * 1e-9, "%s: theoretical mean %g",
			   text, zs_dist_mean(&d));
	cr_assert(fabs(m - expect) <= rel_tol * expect, "%s: sample mean %g, expected %g", text, m,
		  expect);
}

Test(gen_dist, exponential_mean)
{
	/* sd == mean: standard error 0.22%; tolerance 3% */
	check_mean("{dist: exponential, mean: 100}", ZS_UNIT_NUMBER, 100, 0.03);
	check_mean("{dist: exponential, mean: 10ms}", ZS_UNIT_NS, 1e7, 0.03);
	check_mean("{dist: exp, mean: 4MiB}", ZS_UNIT_PAGES, 1024, 0.03);
}

Test(gen_dist, lognormal_mean)
{
	/* mean exp(zeta + sigma^2/2); sigma 0.5 -> relative sd 0.53, SE 0.12% */
	check_mean("{dist: lognormal, zeta: 1.0, sigma: 0.5}", ZS_UNIT_NUMBER, exp(1.125), 0.02);
	check_mean("{dist: lognormal, median: 16MiB, sigma: 0.5}", ZS_UNIT_PAGES,
		   4096 * exp(0.125), 0.02);
	check_mean("{dist: lognormal, mean: 2s, sigma: 0.5}", ZS_UNIT_NS, 2e9, 0.02);
}

Test(gen_dist, pareto_mean)
{
	/* shape 3: mean shape*scale/(shape-1) = 1.5 scale, relative sd 0.58, SE 0.13% */
	check_mean("{dist: pareto, shape: 3, scale: 2}", ZS_UNIT_NUMBER, 3, 0.03);
	check_mean("{dist: pareto, shape: 3, scale: 1MiB}", ZS_UNIT_PAGES, 384, 0.03);
	struct zs_dist heavy = parse_dist("{dist: pareto, shape: 1, scale: 1}", ZS_UNIT_NUMBER);

	cr_assert(isinf(zs_dist_mean(&heavy)), "shape <= 1 has no mean");
}

Test(gen_dist, uniform_mean)
{
	check_mean("{dist: uniform, min: 2, max: 10}", ZS_UNIT_NUMBER, 6, 0.01);
	check_mean("{dist: uniform, min: 1MiB, max: 3MiB}", ZS_UNIT_PAGES, 512, 0.01);
	check_mean("{dist: uniform, min: 100ms, max: 300ms}", ZS_UNIT_NS, 2e8, 0.01);
}

Test(gen_dist, constants_with_units)
{
	struct zs_dist d = parse_dist("64MiB", ZS_UNIT_PAGES);

	cr_assert_eq(d.kind, ZS_DIST_CONST);
	cr_assert_float_eq(d.a, 16384, 0);
	d = parse_dist("10s", ZS_UNIT_NS);
	cr_assert_float_eq(d.a, 1e10, 0);
	d = parse_dist("250ms", ZS_UNIT_NS);
	cr_assert_float_eq(d.a, 2.5e8, 0);
	d = parse_dist("5", ZS_UNIT_NUMBER);
	cr_assert_float_eq(d.a, 5, 0);
	d = parse_dist("{dist: const, value: 2MiB}", ZS_UNIT_PAGES);
	cr_assert_float_eq(d.a, 512, 0);
	struct zs_rng *r = zs_rng_create(1, "test", 0);
	cr_assert_eq(zs_dist_draw_int(&d, r, 0, 1000), 512);
	zs_rng_destroy(r);
}

Test(gen_dist, cap_clamps_draws)
{
	struct zs_dist d = parse_dist("{dist: pareto, shape: 0.5, scale: 1MiB, cap: 8MiB}",
				      ZS_UNIT_PAGES);
	struct zs_rng *r = zs_rng_create(7, "test", 0);
	int at_cap = 0;

	for (int i = 0; i < 10000; i++) {
		double v = zs_dist_draw(&d, r);

		cr_assert(v >= 256 && v <= 2048, "draw %g outside [scale, cap]", v);
		at_cap += v == 2048;
	}
	cr_assert_gt(at_cap, 0, "a heavy tail must reach the cap");
	zs_rng_destroy(r);
}

Test(gen_dist, absent_key_keeps_default)
{
	struct zs_error err = {0, ""};
	struct zs_cfg *root = zs_cfg_load_string("dist.yaml", "y: 1\n", &err);
	struct zs_dist d = zs_dist_exponential(ZS_UNIT_NS, 42);

	cr_assert_not_null(root);
	cr_assert_eq(zs_dist_get(root, "x", ZS_UNIT_NS, &d, &err), 0);
	cr_assert_eq(d.kind, ZS_DIST_EXPONENTIAL);
	cr_assert_float_eq(d.a, 42, 0);
	zs_cfg_free(root);
}

Test(gen_dist, errors_name_line_and_column)
{
	char msg[1024];

	parse_error("a: 1\nx: {dist: pareto, shap: 2, scale: 1MiB}\n", msg, sizeof(msg));
	cr_assert(strstr(msg, "dist.yaml:2:19") && strstr(msg, "'shap'") && strstr(msg, "shape"),
		  "%s", msg);
	parse_error("x: {dist: gamma, mean: 1}\n", msg, sizeof(msg));
	cr_assert(strstr(msg, "dist.yaml:1:11") && strstr(msg, "unknown distribution"), "%s", msg);
	parse_error("x: {dist: exponential}\n", msg, sizeof(msg));
	cr_assert(strstr(msg, "dist.yaml:1:4") && strstr(msg, "needs 'mean'"), "%s", msg);
	parse_error("x: {dist: uniform, min: 4MiB, max: 1MiB}\n", msg, sizeof(msg));
	cr_assert(strstr(msg, "dist.yaml:1:36") && strstr(msg, "below"), "%s", msg);
	parse_error("x: {dist: lognormal, sigma: 1}\n", msg, sizeof(msg));
	cr_assert(strstr(msg, "exactly one of"), "%s", msg);
	parse_error("x: {dist: exponential, mean: 12 parsecs}\n", msg, sizeof(msg));
	cr_assert(strstr(msg, "dist.yaml:1:30"), "%s", msg);
	parse_error("x: [1, 2]\n", msg, sizeof(msg));
	cr_assert(strstr(msg, "dist.yaml:1:4"), "%s", msg);
}

Test(gen_dist, zipf_rank0_probability)
{
	/* 1/H_1000 = 0.13359 (ecosystem.md d.: 0.1328 observed); SE 0.00076 */
	struct zs_discrete *z = zs_discrete_zipf(1000, 1.0);
	struct zs_rng *r = zs_rng_create(99, "test", 0);
	double h = 0;
	int hits = 0;

	for (int k = 1; k <= 1000; k++)
		h += 1.0 / k;
	for (int i = 0; i < NDRAWS; i++)
		hits += zs_discrete_draw(r, z) == 0;
	cr_assert_float_eq(zs_discrete_pdf(z, 0), 1 / h, 1e-9);
	cr_assert_float_eq((double)hits / NDRAWS, 1 / h, 0.008, "rank 0: %g", (double)hits / NDRAWS);
	zs_discrete_destroy(z);
	zs_rng_destroy(r);
}

Test(gen_dist, zipf_rank_over_any_range)
{
	/* the generators' helper: table of 1024 ranks, rejection keeps the law over 1000 */
	struct zs_zipf zz;
	struct zs_rng *r = zs_rng_create(5, "test", 0);
	double h = 0;
	int hits = 0, top10 = 0;

	zs_zipf_init(&zz, 1.0);
	for (int k = 1; k <= 1000; k++)
		h += 1.0 / k;
	for (int i = 0; i < NDRAWS; i++) {
		uint64_t x = zs_zipf_rank(&zz, r, 1000);

		cr_assert_lt(x, 1000);
		hits += x == 0;
	}
	cr_assert_float_eq((double)hits / NDRAWS, 1 / h, 0.008, "rank 0: %g", (double)hits / NDRAWS);
	/* a range wider than the largest table: strided, still skewed to the front */
	for (int i = 0; i < 20000; i++) {
		uint64_t x = zs_zipf_rank(&zz, r, 1000000);

		cr_assert_lt(x, 1000000);
		top10 += x < 100000;
	}
	cr_assert_gt(top10, 20000 / 2, "the first tenth gets most references (%d)", top10);
	/* s = 0 is uniform */
	zs_zipf_free(&zz);
	zs_zipf_init(&zz, 0);
	hits = 0;
	for (int i = 0; i < NDRAWS; i++)
		hits += zs_zipf_rank(&zz, r, 10) == 0;
	cr_assert_float_eq((double)hits / NDRAWS, 0.1, 0.01);
	zs_zipf_free(&zz);
	zs_rng_destroy(r);
}

Test(gen_dist, heap_orders_by_time_then_id)
{
	struct zs_evheap h = {0};
	int64_t times[] = {50, 10, 30, 10, 70, 0, 30, 20};
	int64_t last = -1;
	uint32_t last_id = 0;

	for (uint32_t i = 0; i < 8; i++)
		cr_assert_eq(zs_evheap_push(&h, times[i], i, 0), 0);
	for (int i = 0; i < 200; i++) /* enough to grow the array */
		cr_assert_eq(zs_evheap_push(&h, 1000 + (i * 7919) % 200, 100 + (uint32_t)i, 0), 0);
	while (zs_evheap_top(&h)) {
		const struct zs_evheap_ent *e = zs_evheap_top(&h);

		cr_assert(e->time > last || (e->time == last && e->id > last_id), "out of order");
		last = e->time;
		last_id = e->id;
		zs_evheap_pop(&h);
	}
	zs_evheap_free(&h);
}

Test(gen_dist, gfp_names_per_version)
{
	struct zs_error err = {0, ""};
	uint32_t m = 0;

	/* 2.4.0 has neither GFP_NOFS nor GFP_NOIO: the nearest composites stand in */
	cr_assert_eq(zs_gen_gfp_text(ZS_KV_24, "GFP_NOFS", &m, &err), 0, "%s", err.msg);
	cr_assert_eq(m, GFP24_KERNEL);
	cr_assert_eq(zs_gen_gfp_text(ZS_KV_24, "GFP_NOIO", &m, &err), 0, "%s", err.msg);
	cr_assert_eq(m, GFP24_BUFFER);
	cr_assert_eq(zs_gen_gfp_text(ZS_KV_24, "__GFP_NOIO|__GFP_DMA", &m, &err), 0, "%s", err.msg);
	cr_assert_eq(m, GFP24_BUFFER | GFP24_DMA);
	cr_assert_eq(zs_gen_gfp_text(ZS_KV_2632, "GFP_NOFS", &m, &err), 0, "%s", err.msg);
	cr_assert_eq(m, GFP26_NOFS);
	cr_assert_eq(zs_gen_gfp_text(ZS_KV_2618, "GFP_NOIO", &m, &err), 0, "%s", err.msg);
	cr_assert_eq(m, GFP26_NOIO);
	cr_assert_eq(zs_gen_gfp_text(ZS_KV_24, "GFP_ATOMIC", &m, &err), 0);
	cr_assert_eq(m, GFP24_ATOMIC);
	cr_assert_eq(zs_gen_gfp_text(ZS_KV_24, "GFP_BOGUS", &m, &err), -1);
	cr_assert(strstr(err.msg, "GFP_BOGUS"), "%s", err.msg);
}
