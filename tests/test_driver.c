/*
 * test_driver.c - the driver's page bookkeeping, driven by `script` workloads:
 * page cache outlives the task that read it, a fault on such an ownerless page
 * keeps the page, and frees after exit go through.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/driver.h"

/* Build and run a scenario from text; the run is returned for inspection. */
static struct zs_run *
run_text(const char *yaml, struct zs_cfg **root, struct zs_scenario *sc)
{
	struct zs_error err = {0, ""};
	struct zs_run *r;

	*root = zs_cfg_load_string("t.yaml", yaml, &err);
	cr_assert(*root, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(sc, *root, "t.yaml", NULL, &err), 0, "%s", err.msg);
	sc->check = 1; /* the invariant checker after every event */
	r = zs_run_create(sc, &err);
	cr_assert(r, "%s", err.msg);
	cr_assert_eq(zs_run_execute(r, NULL, NULL, NULL, 0, &err), 0, "%s", err.msg);
	return r;
}

static struct zs_binding *
binding(struct zs_vm *vm, uint64_t handle)
{
	uint32_t b = zs_pagemap_find(vm->pagemap, zs_pagemap_key(0, handle));

	return b == ZS_NIL ? NULL : zs_pagemap_at(vm->pagemap, b);
}

Test(driver, page_cache_outlives_its_task)
{
	static const char yaml[] =
		"machine: {memory: 32MiB}\n"
		"kernel: {version: \"2.6.32\"}\n"
		"workload:\n"
		"  - type: script\n"
		"    requests:\n"
		"      - {at: 0ms, op: task_start, task: 1, comm: reader}\n"
		"      - {at: 1ms, op: alloc, task: 1, handle: 7, gfp: GFP_HIGHUSER, kind: file}\n"
		"      - {at: 2ms, op: alloc, task: 1, handle: 8, gfp: GFP_HIGHUSER, kind: anon}\n"
		"      - {at: 3ms, op: task_exit, task: 1}\n"
		"duration: 10ms\n";
	struct zs_cfg *root;
	struct zs_scenario sc;
	struct zs_run *r = run_text(yaml, &root, &sc);
	struct zs_vm *vm = zs_run_vm(r);
	struct zs_binding *file = binding(vm, 7);

	/* exit freed the anonymous page and left the cached one, without an owner */
	cr_assert_null(binding(vm, 8));
	cr_assert(file);
	cr_assert_eq(file->state, ZS_BIND_RESIDENT);
	cr_assert_eq(file->task, ZS_NIL);
	cr_assert_eq(vm->frees, 1);
	cr_assert_eq(vm->tasks[0]->rss, 0);
	zs_run_destroy(r);
	zs_cfg_free(root);
}

Test(driver, free_after_exit_and_rss_counts_anon_only)
{
	static const char yaml[] =
		"machine: {memory: 32MiB}\n"
		"kernel: {version: \"2.4\"}\n"
		"workload:\n"
		"  - type: script\n"
		"    requests:\n"
		"      - {at: 0ms, op: task_start, task: 1}\n"
		"      - {at: 1ms, op: alloc, task: 1, handle: 1, gfp: GFP_HIGHUSER, kind: anon}\n"
		"      - {at: 1ms, op: alloc, task: 1, handle: 2, gfp: GFP_HIGHUSER, kind: file}\n"
		"      - {at: 1ms, op: alloc, task: 1, handle: 3, order: 1, kind: kernel}\n"
		"      - {at: 2ms, op: task_exit, task: 1}\n"
		"      - {at: 3ms, op: free, task: 1, handle: 2}\n"
		"      - {at: 4ms, op: free, task: 1, handle: 99}\n"
		"duration: 10ms\n";
	struct zs_cfg *root;
	struct zs_scenario sc;
	struct zs_run *r = run_text(yaml, &root, &sc);
	struct zs_vm *vm = zs_run_vm(r);

	/* anon and kernel pages went at exit, the file page at its own free */
	cr_assert_eq(vm->frees, 3);
	cr_assert_eq(zs_pagemap_count(vm->pagemap), 0);
	/* a free naming a page the dead task never had is dropped, not an unknown free */
	cr_assert_eq(vm->unknown_frees, 0);
	cr_assert_eq(vm->alloc_ok, 3);
	zs_run_destroy(r);
	zs_cfg_free(root);
}

Test(driver, fault_on_ownerless_cache_keeps_the_page)
{
	/* a 4 MiB 2.6.32 box without swap: a reader caches 300 pages and exits, then 700
	 * anonymous pages push the zone below its marks; reclaim evicts the oldest clean
	 * cache page (handle 1, read once), whose reader has exited; touching it again
	 * reads it back and keeps it */
	size_t cap = 200000, at = 0;
	char *yaml = malloc(cap);

	cr_assert(yaml);
	at += (size_t)snprintf(yaml + at, cap - at,
			       "machine: {memory: 4MiB}\nkernel: {version: \"2.6.32\"}\n"
			       "workload:\n  - type: script\n    requests:\n"
			       "      - {at: 0ms, op: task_start, task: 1, comm: reader}\n");
	for (int i = 0; i < 300; i++)
		at += (size_t)snprintf(yaml + at, cap - at,
				       "      - {at: 1ms, op: alloc, task: 1, handle: %d, "
				       "gfp: GFP_HIGHUSER, kind: file}\n",
				       1 + i);
	at += (size_t)snprintf(yaml + at, cap - at,
			       "      - {at: 2ms, op: task_exit, task: 1}\n"
			       "      - {at: 3ms, op: task_start, task: 2, comm: app}\n");
	for (int i = 0; i < 700; i++)
		at += (size_t)snprintf(yaml + at, cap - at,
				       "      - {at: 4ms, op: alloc, task: 2, handle: %d, "
				       "gfp: GFP_HIGHUSER_MOVABLE, kind: anon}\n",
				       1000 + i);
	snprintf(yaml + at, cap - at,
		 "      - {at: 50ms, op: touch, task: 2, handle: 1}\nduration: 100ms\n");

	struct zs_cfg *root;
	struct zs_scenario sc;
	struct zs_run *r = run_text(yaml, &root, &sc);
	struct zs_vm *vm = zs_run_vm(r);
	struct zs_binding *b = binding(vm, 1);

	cr_assert_eq(vm->pgmajfault, 1, "the orphaned page was not evicted and read back");
	/* the page stays in the cache, ownerless (kswapd, still below high, may take it again) */
	cr_assert(b, "the page read back was dropped as if its task had been killed");
	cr_assert(b->state == ZS_BIND_RESIDENT || b->state == ZS_BIND_EVICTED);
	cr_assert_eq(b->task, ZS_NIL);
	cr_assert_eq(vm->frees, 0, "the page read back was freed as if its task had been killed");
	zs_run_destroy(r);
	zs_cfg_free(root);
	free(yaml);
}

Test(driver, script_errors_have_positions)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{"workload:\n  - type: script\n    requests:\n      - {at: 2ms, op: task_start}\n"
		 "      - {at: 1ms, op: free, handle: 1}\n",
		 "t.yaml:5:9: requests must come in time order"},
		{"workload:\n  - type: script\n    requests:\n      - {op: malloc}\n",
		 "t.yaml:4:14: op must be alloc, free"},
		{"workload:\n  - type: script\n    requests:\n      - {op: alloc, order: 10}\n",
		 "t.yaml:4:28: 'order' = 10 is out of range [0, 9]"},
		{"workload:\n  - type: script\n", "t.yaml:2:5: a script workload needs 'requests'"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zs_error err = {0, ""};
		struct zs_cfg *root = zs_cfg_load_string("t.yaml", cases[i].yaml, &err);
		struct zs_scenario sc;

		cr_assert(root, "%s", err.msg);
		cr_assert_eq(zs_scenario_parse(&sc, root, "t.yaml", NULL, &err), 0, "%s", err.msg);
		cr_assert_null(zs_run_create(&sc, &err), "case %zu accepted", i);
		cr_assert(strstr(err.msg, cases[i].want), "case %zu: %s", i, err.msg);
		zs_cfg_free(root);
	}
}
