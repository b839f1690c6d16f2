/*
 * test_numa_pin.c - `node:` on a workload source (numactl --cpunodebind):
 * every generator's tasks run on that node's CPUs, on every kernel, and bad
 * nodes are refused with their position; and the events.csv placement
 * columns (node and zone served, preferred_node, policy) for the default,
 * bind, interleave, preferred and local policies, and for 2.4.0.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "tests/support.h"

#define TWO_NODES                                                                 \
	"machine:\n  cpus: 4\n  hz: 250\n  nodes:\n"                               \
	"    - {cpus: 2, zones: [{type: Normal, size: 32MiB}]}\n"                   \
	"    - {cpus: 2, zones: [{type: Normal, size: 32MiB}]}\n"

/* events.csv of `yaml` run on kernel v: malloc'd text, header first. */
static char *
run_events(const char *yaml, const char *v)
{
	char dir[256], path[300], args[1024], err[1024];
	FILE *f;
	char *text;

	zt_tmpdir(dir, sizeof(dir), "numapin");
	snprintf(path, sizeof(path), "%s/t.yaml", dir);
	f = fopen(path, "w");
	cr_assert(f);
	fputs(yaml, f);
	fclose(f);
	snprintf(args, sizeof(args), "run %s --kernel %s -q --events --out %s/r", path, v, dir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "%s", err);
	snprintf(path, sizeof(path), "%s/r/events.csv", dir);
	text = zt_read_file(path, NULL);
	cr_assert(text);
	zt_rm_rf(dir);
	return text;
}

/* Field `col` (0-based) of a CSV line into buf. */
static const char *
field(const char *line, int col, char *buf, size_t len)
{
	for (int i = 0; i < col; i++) {
		line = strchr(line, ',');
		cr_assert(line);
		line++;
	}
	size_t n = strcspn(line, ",\n");

	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), line);
	return buf;
}

/* Index of the header column `name`. */
static int
column(const char *text, const char *name)
{
	char buf[64];

	for (int c = 0; c < 32; c++)
		if (!strcmp(field(text, c, buf, sizeof(buf)), name))
			return c;
	cr_assert_fail("no column %s", name);
	return -1;
}

/* Bitmask of the CPUs of the alloc rows of `comm`. */
static unsigned
cpus_of(const char *text, const char *comm)
{
	int ccomm = column(text, "comm"), ccpu = column(text, "cpu"), cop = column(text, "op");
	unsigned mask = 0;
	char b1[64], b2[64], b3[64];

	for (const char *l = strchr(text, '\n'); l && l[1]; l = strchr(l + 1, '\n'))
		if (!strcmp(field(l + 1, cop, b1, sizeof(b1)), "alloc") &&
		    !strcmp(field(l + 1, ccomm, b2, sizeof(b2)), comm))
			mask |= 1u << atoi(field(l + 1, ccpu, b3, sizeof(b3)));
	return mask;
}

Test(numa_pin, every_generator_runs_on_its_nodes_cpus)
{
	static const char yaml[] =
		TWO_NODES "workload:\n"
		"  - {type: simple, comm: s1, tasks: 4, rate: 200, gfp: GFP_HIGHUSER, kind: anon,\n"
		"     lifetime: 50ms, node: 1}\n"
		"  - {type: simple, comm: s3, tasks: 4, rate: 200, lifetime: 50ms, node: 1, cpu: 3}\n"
		"  - {type: anon, comm: a0, initial_tasks: 3, max_tasks: 3, arrival_rate: 0,\n"
		"     footprint: 1MiB, lifetime: 1h, node: 0}\n"
		"  - {type: kernel, comm: k1, rate: 200, node: 1}\n"
		"  - {type: filecache, comm: f1, files: 1, file_size: 1MiB, io_rate: 100, node: 1}\n"
		"  - {type: simple, comm: all, tasks: 4, rate: 200, lifetime: 50ms}\n"
		"duration: 1s\nseed: 3\n";
	const char *v[] = {"2.4", "2.6.18", "2.6.32"};

	for (int i = 0; i < 3; i++) {
		char *text = run_events(yaml, v[i]);

		cr_assert_eq(cpus_of(text, "s1"), 0xc, "%s: simple over node 1's CPUs 2, 3", v[i]);
		cr_assert_eq(cpus_of(text, "s3"), 0x8, "%s: cpu: 3 on node 1 wins", v[i]);
		cr_assert_eq(cpus_of(text, "a0"), 0x3, "%s: anon over node 0's CPUs", v[i]);
		cr_assert_eq(cpus_of(text, "k1"), 0xc, "%s: kernel's random CPU on node 1", v[i]);
		cr_assert_eq(cpus_of(text, "f1"), 0x4, "%s: filecache on node 1's first", v[i]);
		cr_assert_eq(cpus_of(text, "all"), 0xf, "%s: no node: every CPU", v[i]);
		free(text);
	}
}

Test(numa_pin, bad_nodes_name_their_position)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{TWO_NODES "workload:\n  - {type: simple, node: 2}\n",
		 "t.yaml:8:26: node 2: the machine has 2 nodes (0 .. 1)"},
		{TWO_NODES "workload:\n  - {type: anon, node: 1, cpu: 0}\n",
		 "t.yaml:8:32: cpu 0 is on node 0, not on node 1"},
		{TWO_NODES "workload:\n  - {type: kernel, node: 0, cpu: 2}\n",
		 "t.yaml:8:34: cpu 2 is on node 1, not on node 0"},
		{TWO_NODES "workload:\n  - {type: filecache, node: 1, cpu: 1}\n",
		 "t.yaml:8:37: cpu 1 is on node 0, not on node 1"},
		{TWO_NODES "workload:\n  - {type: simple, node: first}\n",
		 "t.yaml:8:26: 'node' must be a whole number"},
		{"machine:\n  cpus: 2\n  nodes:\n"
		 "    - {cpus: 2, zones: [{type: Normal, size: 32MiB}]}\n"
		 "    - {cpus: 0, zones: [{type: Normal, size: 32MiB}]}\n"
		 "workload:\n  - {type: anon, node: 1}\n",
		 "t.yaml:7:24: node 1 has no CPUs"},
		{TWO_NODES "workload:\n  - type: phases\n    phases:\n"
			   "      - {start: 0s, stop: 1s, source: {type: simple, node: 5}}\n",
		 "t.yaml:10:60: node 5: the machine has 2 nodes"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zs_error err = {0, ""};

		zt_scenario_must_fail(cases[i].yaml, &err);
		cr_assert(strstr(err.msg, cases[i].want), "case %zu: %s", i, err.msg);
		cr_assert_eq(err.code, 65, "case %zu: EX_DATAERR", i);
	}
}

/* ---- events.csv placement columns ---- */

struct placement {
	int node, pref;
	char zone[16], policy[16];
};

/* The alloc rows of comm, in order, into out; how many. */
static int
placements(const char *text, const char *comm, struct placement *out, int max)
{
	int cop = column(text, "op"), ccomm = column(text, "comm"), cn = column(text, "node"),
	    cz = column(text, "zone"), cp = column(text, "preferred_node"),
	    cpol = column(text, "policy");
	char b[64];
	int n = 0;

	for (const char *l = strchr(text, '\n'); l && l[1] && n < max; l = strchr(l + 1, '\n')) {
		if (strcmp(field(l + 1, cop, b, sizeof(b)), "alloc") ||
		    strcmp(field(l + 1, ccomm, b, sizeof(b)), comm))
			continue;
		out[n].node = atoi(field(l + 1, cn, b, sizeof(b)));
		out[n].pref = atoi(field(l + 1, cp, b, sizeof(b)));
		field(l + 1, cz, out[n].zone, sizeof(out[n].zone));
		field(l + 1, cpol, out[n].policy, sizeof(out[n].policy));
		n++;
	}
	return n;
}

/* One task per policy, each allocating three pages from CPU 2 (node 1). */
static const char policies_yaml[] =
	TWO_NODES "workload:\n"
	"  - type: script\n"
	"    requests:\n"
	"      - {at: 0ms, op: task_start, task: 1, comm: dflt}\n"
	"      - {at: 0ms, op: task_start, task: 2, comm: bind, mempolicy: {mode: bind, nodes: [0]}}\n"
	"      - {at: 0ms, op: task_start, task: 3, comm: il,\n"
	"         mempolicy: {mode: interleave, nodes: [0, 1]}}\n"
	"      - {at: 0ms, op: task_start, task: 4, comm: pref,\n"
	"         mempolicy: {mode: preferred, nodes: [0]}}\n"
	"      - {at: 0ms, op: task_start, task: 5, comm: loc, mempolicy: {mode: local}}\n"
	"%s"
	"duration: 10ms\n";

static char *
policies_events(const char *v)
{
	char allocs[4096] = "", yaml[8192];
	int h = 1;

	for (int t = 1; t <= 5; t++)
		for (int i = 0; i < 3; i++, h++) {
			size_t len = strlen(allocs);

			snprintf(allocs + len, sizeof(allocs) - len,
				 "      - {at: 1ms, op: alloc, task: %d, handle: %d, gfp: GFP_HIGHUSER, "
				 "kind: anon, cpu: 2}\n",
				 t, h);
		}
	snprintf(yaml, sizeof(yaml), policies_yaml, allocs);
	return run_events(yaml, v);
}

Test(numa_events, header_has_the_placement_columns)
{
	char *text = policies_events("2.6.32");

	cr_assert(!strncmp(text,
			   "time_ns,op,pid,comm,cpu,gfp,order,node,zone,pfn,path,latency_ns,"
			   "preferred_node,policy\n",
			   strlen("time_ns,op,pid,comm,cpu,gfp,order,node,zone,pfn,path,latency_ns,"
				  "preferred_node,policy\n")));
	free(text);
}

Test(numa_events, each_policy_on_both_26_versions)
{
	const char *v[] = {"2.6.18", "2.6.32"};

	for (int i = 0; i < 2; i++) {
		char *text = policies_events(v[i]);
		struct placement p[3];

		cr_assert_eq(placements(text, "dflt", p, 3), 3);
		for (int k = 0; k < 3; k++) {
			cr_assert_str_eq(p[k].policy, "default", "%s", v[i]);
			cr_assert_eq(p[k].pref, 1, "%s: the CPU's node", v[i]);
			cr_assert_eq(p[k].node, 1);
			cr_assert_str_eq(p[k].zone, "Normal");
		}
		cr_assert_eq(placements(text, "bind", p, 3), 3);
		for (int k = 0; k < 3; k++) {
			cr_assert_str_eq(p[k].policy, "bind", "%s", v[i]);
			cr_assert_eq(p[k].pref, 0, "%s: the bound node", v[i]);
			cr_assert_eq(p[k].node, 0);
		}
		cr_assert_eq(placements(text, "il", p, 3), 3);
		for (int k = 0; k < 3; k++) {
			cr_assert_str_eq(p[k].policy, "interleave", "%s", v[i]);
			/* il_next starts at the first node of the set: 0, 1, 0 */
			cr_assert_eq(p[k].pref, k % 2, "%s: row %d", v[i], k);
			cr_assert_eq(p[k].node, k % 2);
		}
		cr_assert_eq(placements(text, "pref", p, 3), 3);
		for (int k = 0; k < 3; k++) {
			cr_assert_str_eq(p[k].policy, "preferred", "%s", v[i]);
			cr_assert_eq(p[k].pref, 0);
			cr_assert_eq(p[k].node, 0);
		}
		cr_assert_eq(placements(text, "loc", p, 3), 3);
		for (int k = 0; k < 3; k++) {
			cr_assert_str_eq(p[k].policy, "local", "%s", v[i]);
			cr_assert_eq(p[k].pref, 1);
			cr_assert_eq(p[k].node, 1);
		}
		free(text);
	}
}

Test(numa_events, a_miss_shows_preferred_and_served_nodes_apart)
{
	/* 32 MiB on node 1 cannot hold 40 MiB: preferred node 1, later pages served on node 0 */
	static const char yaml[] =
		TWO_NODES "workload:\n"
		"  - {type: anon, comm: big, initial_tasks: 1, max_tasks: 1, arrival_rate: 0,\n"
		"     footprint: 40MiB, lifetime: 1h, cpu: 2, mempolicy: {mode: preferred, nodes: 1}}\n"
		"duration: 2s\n";
	char *text = run_events(yaml, "2.6.32");
	static struct placement p[20000];
	int n = placements(text, "big", p, 20000), miss = 0;

	cr_assert_gt(n, 8192);
	for (int k = 0; k < n; k++) {
		cr_assert_eq(p[k].pref, 1);
		cr_assert_str_eq(p[k].policy, "preferred");
		miss += p[k].node == 0;
	}
	cr_assert_gt(miss, 0, "some pages fell back to node 0 with preferred_node still 1");
	free(text);
}

Test(numa_events, on_24_the_policy_is_default_and_the_cpu_node_preferred)
{
	static const char yaml[] =
		TWO_NODES "workload:\n"
		"  - type: script\n"
		"    requests:\n"
		"      - {at: 0ms, op: task_start, task: 1, comm: t}\n"
		"      - {at: 1ms, op: alloc, task: 1, handle: 1, gfp: GFP_HIGHUSER, kind: anon, cpu: 2}\n"
		"      - {at: 1ms, op: alloc, task: 1, handle: 2, gfp: GFP_HIGHUSER, kind: anon, cpu: 0}\n"
		"duration: 10ms\n";
	char *text = run_events(yaml, "2.4");
	struct placement p[2];

	cr_assert_eq(placements(text, "t", p, 2), 2);
	cr_assert_str_eq(p[0].policy, "default");
	cr_assert_eq(p[0].pref, 1);
	cr_assert_str_eq(p[1].policy, "default");
	cr_assert_eq(p[1].pref, 0);
	free(text);
}
