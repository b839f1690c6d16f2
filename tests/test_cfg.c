/* test_cfg.c - scenario loading: each class of bad input names file, line and column. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/scenario.h"

static void
expect_error(const char *yaml, const char *want)
{
	struct zs_error err = {0, ""};
	struct zs_cfg *root = zs_cfg_load_string("s.yaml", yaml, &err);
	struct zs_scenario sc;

	if (root) {
		int rc = zs_scenario_parse(&sc, root, "s.yaml", NULL, &err);
		zs_cfg_free(root);
		cr_assert_eq(rc, -1, "accepted: %s", yaml);
	}
	cr_assert(strstr(err.msg, want), "got '%s', wanted '%s'", err.msg, want);
	cr_assert_eq(err.code, 65);
}

Test(cfg, syntax_error_position)
{
	expect_error("seed: 1\nmachine: [1, 2\n", "s.yaml:3:1:");
}

Test(cfg, unknown_key_with_suggestion)
{
	expect_error("sed: 4\n", "s.yaml:1:1: unknown key 'sed' (did you mean 'seed'?)");
	expect_error("machine:\n  cpus: 2\n  hzz: 100\n",
		     "s.yaml:3:3: unknown key 'hzz' (did you mean 'hz'?)");
}

Test(cfg, duplicate_key)
{
	expect_error("seed: 1\nduration: 1s\nseed: 2\n",
		     "s.yaml:3:1: duplicate key 'seed' (first given at line 1)");
}

Test(cfg, wrong_type)
{
	expect_error("machine: 5\n", "s.yaml:1:10: 'machine' must be a mapping");
	expect_error("seed: many\n", "s.yaml:1:7: 'seed' must be a whole number");
	expect_error("machine:\n  nodes: {a: 1}\n", "s.yaml:2:10: 'nodes' must be a list");
}

Test(cfg, out_of_range)
{
	expect_error("machine:\n  cpus: 0\n", "s.yaml:2:9: 'cpus' = 0 is out of range");
	expect_error("machine:\n  memory: 0\n", "s.yaml:2:11: 'memory' = 0 pages is out of range");
	expect_error("machine:\n  nodes:\n    - zones:\n        - {type: DMA, size: 0}\n",
		     "s.yaml:4:29: a zone cannot be empty");
	expect_error("machine:\n  memory: -64MiB\n", "s.yaml:2:11: a size cannot be negative");
	expect_error("duration: -1s\n", "s.yaml:1:11: 'duration' cannot be negative");
}

Test(cfg, bad_units_and_zone_order)
{
	expect_error("machine:\n  memory: 64 furlongs\n", "unknown size unit 'furlongs'");
	expect_error("machine:\n  nodes:\n    - zones:\n        - {type: Normal, size: 16MiB}\n"
		     "        - {type: DMA, size: 16MiB}\n",
		     "s.yaml:5:11: zones must be listed in the order DMA");
	expect_error("kernel: {version: \"3.0\"}\n", "s.yaml:1:19: unknown kernel version '3.0'");
	expect_error("kernel: {version: \"2.4\"}\nmachine:\n  nodes:\n    - zones:\n"
		     "        - {type: DMA32, size: 16MiB}\n",
		     "s.yaml:5:18: 2.4.0 has no DMA32 zone");
}

Test(cfg, aliases_and_two_documents_rejected)
{
	expect_error("a: &x 1\nseed: *x\n", "s.yaml:2:7: aliases");
	expect_error("seed: 1\n---\nseed: 2\n", "s.yaml:3:1: a scenario file holds one YAML document");
}

Test(cfg, sizes_and_durations)
{
	struct zs_error err = {0, ""};
	struct zs_cfg *c = zs_cfg_load_string(
		"t.yaml", "a: 64MiB\nb: 4GiB\nc: 16384 pages\nd: 250ms\ne: 2min\nf: 40us\n", &err);
	uint64_t v;
	int64_t d;

	cr_assert(c, "%s", err.msg);
	cr_assert_eq(zs_cfg_pages(c, "a", 0, UINT64_MAX, &v, &err), 0);
	cr_assert_eq(v, 16384);
	cr_assert_eq(zs_cfg_pages(c, "b", 0, UINT64_MAX, &v, &err), 0);
	cr_assert_eq(v, 1048576);
	cr_assert_eq(zs_cfg_pages(c, "c", 0, UINT64_MAX, &v, &err), 0);
	cr_assert_eq(v, 16384);
	cr_assert_eq(zs_cfg_duration(c, "d", 0, INT64_MAX, &d, &err), 0);
	cr_assert_eq(d, 250000000);
	cr_assert_eq(zs_cfg_duration(c, "e", 0, INT64_MAX, &d, &err), 0);
	cr_assert_eq(d, 120000000000LL);
	cr_assert_eq(zs_cfg_duration(c, "f", 0, INT64_MAX, &d, &err), 0);
	cr_assert_eq(d, 40000);
	zs_cfg_free(c);
}

Test(cfg, set_overrides_values)
{
	struct zs_error err = {0, ""};
	struct zs_cfg *c = zs_cfg_load_string(
		"t.yaml", "seed: 1\nworkload:\n  - {type: simple, rate: 5}\n", &err);
	struct zs_scenario sc;
	uint64_t rate;

	cr_assert(c);
	cr_assert_eq(zs_cfg_set(c, "seed=77", &err), 0);
	cr_assert_eq(zs_cfg_set(c, "machine.memory=128MiB", &err), 0, "%s", err.msg);
	cr_assert_eq(zs_cfg_set(c, "workload.0.rate=9", &err), 0, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(&sc, c, "t.yaml", NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(sc.seed, 77);
	cr_assert_eq(sc.machine.nodes[0].zones[0].pages + sc.machine.nodes[0].zones[1].pages, 32768);
	cr_assert_eq(zs_cfg_uint(sc.workload->vals[0], "rate", 0, 100, &rate, &err), 0);
	cr_assert_eq(rate, 9);
	cr_assert_eq(zs_cfg_set(c, "workload.3.rate=9", &err), -1);
	zs_cfg_free(c);
}

Test(cfg, memory_shorthand_follows_the_kernel)
{
	struct zs_error err = {0, ""};
	struct zs_cfg *c = zs_cfg_load_string("t.yaml", "machine: {memory: 2GiB}\n", &err);
	struct zs_scenario sc;

	cr_assert(c);
	cr_assert_eq(zs_scenario_parse(&sc, c, "t.yaml", "2.4", &err), 0, "%s", err.msg);
	/* i386: DMA 16 MiB, Normal to 896 MiB, HighMem above */
	cr_assert_eq(sc.machine.nodes[0].nr_zones, 3);
	cr_assert_eq(sc.machine.nodes[0].zones[1].pages, 225280);
	cr_assert_eq(sc.machine.nodes[0].zones[2].type, ZS_ZONE_HIGHMEM);
	cr_assert_eq(zs_scenario_parse(&sc, c, "t.yaml", "2.6.32", &err), 0, "%s", err.msg);
	/* x86_64: DMA 16 MiB, DMA32 for the rest below 4 GiB */
	cr_assert_eq(sc.machine.nodes[0].nr_zones, 2);
	cr_assert_eq(sc.machine.nodes[0].zones[1].type, ZS_ZONE_DMA32);
	zs_cfg_free(c);
}

Test(cfg, output_check_takes_true_false_or_full)
{
	static const struct {
		const char *yaml;
		int want;
	} cases[] = {{"output: {check: false}\n", ZS_CHECK_OFF},
		     {"output: {check: true}\n", ZS_CHECK_CADENCE},
		     {"output: {check: full}\n", ZS_CHECK_ALL_FULL},
		     {"output: {check: Full}\n", ZS_CHECK_ALL_FULL}};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zs_error err = {0, ""};
		struct zs_cfg *c = zs_cfg_load_string("t.yaml", cases[i].yaml, &err);
		struct zs_scenario sc;

		cr_assert(c);
		cr_assert_eq(zs_scenario_parse(&sc, c, "t.yaml", NULL, &err), 0, "%s", err.msg);
		cr_assert_eq(sc.check, cases[i].want, "%s", cases[i].yaml);
		zs_cfg_free(c);
	}
	expect_error("output: {check: always}\n", "s.yaml:1:17: 'check' must be true, false or full");
	expect_error("output: {check: [full]}\n", "s.yaml:1:17:");
}
