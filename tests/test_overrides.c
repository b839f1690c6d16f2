/*
 * test_overrides.c - `--set machine.memory=SIZE` on scenarios with an explicit
 * layout: one node laid out as the kernel's usual architecture, on every
 * command; `memory` beside `nodes` in a file stays an error.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/overrides.h"
#include "sim/scenario.h"
#include "tests/support.h"

static const char two_nodes[] = "machine:\n"
				"  cpus: 4\n"
				"  nodes:\n"
				"    - {cpus: 2, zones: [{type: DMA, size: 16MiB}, {type: Normal, size: 48MiB}]}\n"
				"    - {cpus: 2, zones: [{type: Normal, size: 64MiB}]}\n"
				"  distance: [[10, 21], [21, 10]]\n";

static void
parse_with(const char *text, const char *kernel, const char *const *set, int n,
	   struct zs_scenario *sc, struct zs_cfg **root, struct zs_error *err, int want_rc)
{
	*root = zs_cfg_load_string("t.yaml", text, err);
	cr_assert(*root, "%s", err->msg);
	int rc = zs_overrides_apply(*root, set, n, err);
	if (!rc)
		rc = zs_scenario_parse(sc, *root, "t.yaml", kernel, err);
	cr_assert_eq(rc, want_rc, "%s", err->msg);
}

Test(overrides, memory_replaces_nodes_and_distance)
{
	static const char *const set[] = {"machine.memory=96MiB"};
	static const struct {
		const char *kernel;
		enum zs_zone_type second;
	} k[] = {{"2.4", ZS_ZONE_NORMAL}, {"2.6.32", ZS_ZONE_DMA32}};

	for (int i = 0; i < 2; i++) {
		struct zs_scenario sc;
		struct zs_cfg *root;
		struct zs_error err = {0, ""};

		parse_with(two_nodes, k[i].kernel, set, 1, &sc, &root, &err, 0);
		cr_assert_eq(sc.machine.nr_nodes, 1);
		cr_assert_eq(sc.machine.nodes[0].nr_zones, 2);
		cr_assert_eq(sc.machine.nodes[0].zones[0].type, ZS_ZONE_DMA);
		cr_assert_eq(sc.machine.nodes[0].zones[0].pages, 4096);
		cr_assert_eq(sc.machine.nodes[0].zones[1].type, k[i].second);
		cr_assert_eq(sc.machine.nodes[0].zones[1].pages, 24576 - 4096);
		cr_assert_eq(sc.machine.nodes[0].cpus, 4, "machine.cpus stays");
		zs_cfg_free(root);
	}
}

Test(overrides, memory_beside_nodes_in_a_file_is_still_an_error)
{
	char text[1024];
	struct zs_scenario sc;
	struct zs_cfg *root;
	struct zs_error err = {0, ""};

	snprintf(text, sizeof(text), "%s  memory: 96MiB\n", two_nodes);
	parse_with(text, "2.6.32", NULL, 0, &sc, &root, &err, -1);
	cr_assert(strstr(err.msg, "t.yaml:7:11: give either 'memory' or 'nodes'"), "%s", err.msg);
	zs_cfg_free(root);
}

/* Every shipped scenario takes the override (2.6.32 runs every one of them), but one
 * whose memory policy names a node above 0, which the override's one node cannot hold. */
Test(overrides, every_shipped_scenario_takes_machine_memory)
{
	char dir[64], args[512], err[1024], path[192];
	glob_t g;

	zt_tmpdir(dir, sizeof(dir), "overrides");
	cr_assert_eq(glob("configs/*.yaml", 0, NULL, &g), 0);
	cr_assert(g.gl_pathc >= 10);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		snprintf(args, sizeof(args),
			 "run %s -q --kernel 2.6.32 --set machine.memory=80MiB --set duration=1ms "
			 "--out %s/%zu",
			 g.gl_pathv[i], dir, i);
		char *yaml = zt_read_file(g.gl_pathv[i], NULL);
		int rc = zt_zsim(args, err, sizeof(err));

		/* a memory policy bound to nodes the one-node machine lacks is refused, clearly */
		if (rc && yaml && strstr(yaml, "mempolicy:") && strstr(err, "the machine has 1 node")) {
			free(yaml);
			continue;
		}
		free(yaml);
		cr_assert_eq(rc, 0, "%s: %s", g.gl_pathv[i], err);
		snprintf(path, sizeof(path), "%s/%zu/summary.txt", dir, i);
		char *t = zt_read_file(path, NULL);
		cr_assert(t && strstr(t, "\nnodes: 1\nzones: 2\n") && strstr(t, "\npages: 20480\n"),
			  "%s: %s", g.gl_pathv[i], t ? t : "no summary");
		free(t);
	}
	globfree(&g);
	zt_rm_rf(dir);
}
