/*
 * test_run.c - whole runs through the library: every kernel model keeps the
 * core invariants after every event, and a run is a pure function of scenario
 * and seed.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/driver.h"

static const char scenario[] =
	"machine:\n"
	"  cpus: 2\n"
	"  swap: 16MiB\n"
	"  nodes:\n"
	"    - zones:\n"
	"        - {type: DMA, size: 4MiB}\n"
	"        - {type: Normal, size: 12MiB}\n"
	"workload:\n"
	"  - {type: simple, tasks: 3, rate: 3000, orders: {0: 0.8, 1: 0.1, 3: 0.1}, lifetime: 5ms}\n"
	"  - {type: simple, tasks: 1, rate: 2000, gfp: GFP_HIGHUSER, kind: file, lifetime: 200ms,\n"
	"     touch_rate: 300, dirty_fraction: 0.3}\n"
	"  - {type: simple, tasks: 1, rate: 800, gfp: GFP_ATOMIC, order: 1, lifetime: 1ms}\n"
	"duration: 250ms\n"
	"seed: 9\n"
	"output: {check: full}\n";

/* Two nodes, an OOM on the way: zonelists across nodes and the 2.6.32 OOM lock. */
static const char numa_scenario[] =
	"machine:\n"
	"  cpus: 4\n"
	"  swap: 32MiB\n"
	"  nodes:\n"
	"    - {cpus: 2, zones: [{type: DMA, size: 16MiB}, {type: Normal, size: 48MiB}]}\n"
	"    - {cpus: 2, zones: [{type: Normal, size: 64MiB}]}\n"
	"  distance: [[10, 21], [21, 10]]\n"
	"workload:\n"
	"  - {type: simple, tasks: 4, rate: 3000, orders: {0: 0.9, 2: 0.1}, lifetime: 20ms}\n"
	"  - {type: simple, tasks: 2, rate: 4000, gfp: GFP_HIGHUSER, kind: file, lifetime: forever,\n"
	"     touch_rate: 200}\n"
	"  - {type: anon, initial_tasks: 2, max_tasks: 3, footprint: 8MiB, grow: true}\n"
	"duration: 600ms\n"
	"seed: 5\n"
	"output: {check: full}\n";

/* Run a scenario text on kernel v; the ticks and events written into *out (malloc'd). */
static int
run_text(const char *text, const char *v, uint64_t seed, char **out, size_t *len,
	 struct zs_error *err)
{
	struct zs_cfg *root = zs_cfg_load_string("t.yaml", text, err);
	struct zs_scenario sc;
	struct zs_run *r;
	FILE *f = open_memstream(out, len);
	int rc = -1;

	cr_assert(root && f);
	if (!zs_scenario_parse(&sc, root, "t.yaml", v, err)) {
		sc.seed = seed;
		r = zs_run_create(&sc, err);
		if (r) {
			rc = zs_run_execute(r, f, f, NULL, 0, err);
			zs_run_destroy(r);
		}
	}
	fclose(f);
	zs_cfg_free(root);
	return rc;
}

static int
run_once(const char *v, uint64_t seed, char **out, size_t *len, struct zs_error *err)
{
	return run_text(scenario, v, seed, out, len, err);
}

/* Parameters are kernel numbers: Criterion's workers are new processes, so a
 * pointer parameter would not survive the trip. */
static const char *const kernel_names[] = {"2.4", "2.6.18", "2.6.32"};

ParameterizedTestParameters(run, invariants_hold_after_every_event)
{
	static int kernels[] = {0, 1, 2};

	return cr_make_param_array(int, kernels, 3);
}

ParameterizedTest(int *k, run, invariants_hold_after_every_event)
{
	const char *const *v = &kernel_names[*k];
	struct zs_error err = {0, ""};
	char *out = NULL;
	size_t len = 0;

	cr_assert_eq(run_once(*v, 9, &out, &len, &err), 0, "%s: %s", *v, err.msg);
	cr_assert(strstr(out, ",alloc,"), "no allocation logged on %s", *v);
	cr_assert(strstr(out, ",free,"), "no free logged on %s", *v);
	free(out);
}

ParameterizedTestParameters(run, deterministic)
{
	static int kernels[] = {0, 1, 2};

	return cr_make_param_array(int, kernels, 3);
}

ParameterizedTest(int *k, run, deterministic)
{
	const char *const *v = &kernel_names[*k];
	struct zs_error err = {0, ""};
	char *a = NULL, *b = NULL, *c = NULL;
	size_t la = 0, lb = 0, lc = 0;

	cr_assert_eq(run_once(*v, 9, &a, &la, &err), 0, "%s", err.msg);
	cr_assert_eq(run_once(*v, 9, &b, &lb, &err), 0, "%s", err.msg);
	cr_assert_eq(run_once(*v, 10, &c, &lc, &err), 0, "%s", err.msg);
	cr_assert(la == lb && !memcmp(a, b, la), "two runs with one seed differ on %s", *v);
	cr_assert(la != lc || memcmp(a, c, la), "two seeds gave one result on %s", *v);
	free(a);
	free(b);
	free(c);
}

ParameterizedTestParameters(run, two_nodes_and_an_oom)
{
	static int kernels[] = {0, 1, 2};

	return cr_make_param_array(int, kernels, 3);
}

ParameterizedTest(int *k, run, two_nodes_and_an_oom)
{
	struct zs_error err = {0, ""};
	char *out = NULL;
	size_t len = 0;

	cr_assert_eq(run_text(numa_scenario, kernel_names[*k], 5, &out, &len, &err), 0, "%s: %s",
		     kernel_names[*k], err.msg);
	/* both nodes served allocations */
	cr_assert(strstr(out, ",0,Normal,"), "node 0 never used");
	cr_assert(strstr(out, ",1,Normal,"), "node 1 never used");
	free(out);
}
