/*
 * test_mmap.c - file pages reached through a mapping (`access: mmap` of the
 * filecache and script sources): they are mapped (NR_FILE_MAPPED), a touch sets
 * the PTE young bit instead of PG_referenced, reclaim unmaps them, the task's
 * exit unmaps them but leaves them cached, referenced VM_EXEC pages stay active
 * on 2.6.32, the default stays `read`, a bad value is refused at its line and
 * column, and configs/26-mapped-file.yaml runs clean on every kernel.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "alloc/linux24/model.h"
#include "sim/driver.h"
#include "tests/support.h"
#include "tests/test_24_util.h"
#include "tests/test_26_reclaim_util.h"

/* ---- the model, driven the way the driver does ---- */

/* A file page faulted in through a mapping: map_file before page_added (issue.c). */
static uint32_t
m_page(struct t26 *t, uint64_t key, int map, int exec)
{
	uint32_t pfn = zs26_rmqueue(t->vm, r_zone(t), 0, ZS26_MT_MOVABLE);

	cr_assert_neq(pfn, ZS_NIL);
	t26_bind(t, NULL, pfn, ZS_KIND_FILE_CLEAN, key);
	if (map)
		t->vm->ops->map_file(t->vm, pfn, exec, 0);
	t->vm->ops->page_added(t->vm, pfn);
	return pfn;
}

Test(mmap, fault_maps_the_page_and_counts_nr_file_mapped)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		uint32_t m0 = m_page(&t, 1, 1, 0), m1 = m_page(&t, 2, 1, 0), rd = m_page(&t, 3, 0, 0);
		const struct zs_page *pg = t.m->pages;

		zs26_lru_add_drain(t.vm, 0);
		cr_assert_eq(zs26_of(t.vm)->rc.nr_file_mapped, 2, "page_add_file_rmap of the two");
		cr_assert(pg[m0].flags & ZS_PG_MAPPED);
		cr_assert(pg[m1].flags & ZS_PG_YOUNG, "mk_pte: a new PTE is young");
		cr_assert_not(pg[rd].flags & ZS_PG_MAPPED, "a read() page is not mapped");
		cr_assert(pg[rd].flags & ZS_PG_REFERENCED, "the read marked it accessed");
		/* 2.6.18 filemap_nopage() marks a faulted page accessed; 2.6.32
		 * filemap_fault() does not */
		if (v)
			cr_assert_not(pg[m0].flags & ZS_PG_REFERENCED);
		else
			cr_assert(pg[m0].flags & ZS_PG_REFERENCED);
		t26_check(&t);
		t26_free(&t);
	}
}

Test(mmap, touch_sets_young_not_referenced)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		uint32_t m = m_page(&t, 1, 1, 0), rd = m_page(&t, 2, 0, 0);
		struct zs_page *pg = t.m->pages;

		zs26_lru_add_drain(t.vm, 0);
		pg[m].flags &= ~(ZS_PG_YOUNG | ZS_PG_REFERENCED); /* as page_referenced leaves it */
		for (int i = 0; i < 3; i++) {
			t.vm->ops->touch(t.vm, m);
			t.vm->ops->touch(t.vm, rd);
		}
		cr_assert(pg[m].flags & ZS_PG_YOUNG, "the MMU set the accessed bit");
		cr_assert_not(pg[m].flags & ZS_PG_REFERENCED, "no mark_page_accessed");
		cr_assert_not(pg[m].flags & ZS_PG_ACTIVE, "touches through a PTE never activate");
		cr_assert(pg[rd].flags & ZS_PG_ACTIVE, "a re-read page is activated");
		t26_check(&t);
		t26_free(&t);
	}
}

Test(mmap, reclaim_unmaps_an_old_mapped_page_and_keeps_a_young_one)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		struct zs26_sc sc = r_sc(&t);
		uint32_t old = m_page(&t, 1, 1, 0), young = m_page(&t, 2, 1, 0);
		struct zs_page *pg = t.m->pages;
		int act = v ? ZS26_LRU_ACTIVE_FILE : ZS26_LRU_ACTIVE;
		uint32_t got[2];

		zs26_lru_add_drain(t.vm, 0);
		pg[old].flags &= ~(ZS_PG_YOUNG | ZS_PG_REFERENCED);
		pg[young].flags &= ~ZS_PG_REFERENCED;
		uint64_t freed = zs26_shrink_inactive_list(t.vm, r_zone(&t), 32, &sc, 12, 1);
		uint32_t b = zs_pagemap_find(t.vm->pagemap, 1);

		cr_assert_eq(freed, 1, "the old page was unmapped (try_to_unmap) and freed");
		cr_assert_eq(zs_pagemap_at(t.vm->pagemap, b)->state, ZS_BIND_EVICTED);
		cr_assert_eq(r_list(&t, act, got, 2), 1, "the young one was activated");
		cr_assert_eq(got[0], young);
		cr_assert_eq(zs26_of(t.vm)->rc.nr_file_mapped, 1);
		t26_check(&t);
		t26_free(&t);
	}
}

Test(mmap, referenced_exec_pages_stay_active_on_2632)
{
	struct t26 t = r_boot(&zs_policy_2632, 0, NULL);
	struct zs26_sc sc = r_sc(&t);
	uint32_t ex = m_page(&t, 1, 1, 1), plain = m_page(&t, 2, 1, 0), got[2];

	zs26_lru_add_drain(t.vm, 0);
	zs26_activate_page(t.vm, ex);
	zs26_activate_page(t.vm, plain);
	/* both young (touched since the fault): page_referenced says yes to both */
	zs26_shrink_active_list_2632(t.vm, r_zone(&t), 2, &sc, 12, 1);
	cr_assert_eq(r_list(&t, ZS26_LRU_ACTIVE_FILE, got, 2), 1);
	cr_assert_eq(got[0], ex, "VM_EXEC and referenced: another trip on the active list");
	cr_assert_eq(r_list(&t, ZS26_LRU_INACTIVE_FILE, got, 2), 1);
	cr_assert_eq(got[0], plain);
	t26_check(&t);
	t26_free(&t);
}

/* 2.4.0: n page-cache pages of one task faulted in through a mapping (handles 1..n). */
static struct zs_task *
m24_task(struct t24 *t, int n, uint32_t *pfns)
{
	struct zs_task *task = zs_vm_task_new(t->vm, "app", 0);
	struct zs_zone *z = t24_zone(t, ZS_ZONE_NORMAL);

	for (int i = 0; i < n; i++) {
		uint32_t pfn = t24_bind_new(t, z, task, (uint64_t)i + 1, ZS_KIND_FILE_CLEAN);

		t->vm->ops->map_file(t->vm, pfn, 0, 0);
		t->vm->ops->page_added(t->vm, pfn);
		pfns[i] = pfn;
	}
	return task;
}

Test(mmap, swap_out_drops_the_pte_of_an_old_page_cache_page_2_4)
{
	struct t24 t;
	struct z24_ctx ctx = {0};
	uint32_t p[3];

	t24_boot(&t, 1024, 7168, 0, 1024);
	struct zs_task *task = m24_task(&t, 3, p);
	struct zs_page *pg = t.m->pages;

	cr_assert_eq(zs24_mm(t.s, task)->file_rss, 3, "mm->rss counts the mapped pages");
	cr_assert(pg[p[0]].flags & Z24_PG_CACHE);
	/* p0 old and clean, p1 young, p2 old with a dirty PTE (a write through the map) */
	for (int i = 0; i < 3; i++)
		pg[p[i]].age = 0;
	pg[p[0]].flags &= ~ZS_PG_YOUNG;
	pg[p[2]].flags &= ~ZS_PG_YOUNG;
	t.vm->ops->dirty(t.vm, p[2]);
	pg[p[2]].flags &= ~ZS_PG_YOUNG;
	cr_assert(pg[p[2]].flags & Z24_PG_PTEDIRTY);
	cr_assert_not(pg[p[2]].flags & Z24_PG_BUFDIRTY, "the page is clean until the PTE goes");
	zs24_swap_out(t.s, 6, GFP24_KSWAPD, &ctx);
	cr_assert_not(pg[p[0]].flags & ZS_PG_MAPPED, "drop_pte");
	cr_assert(pg[p[0]].flags & ZS_PG_BOUND, "the page stays in the page cache");
	cr_assert(pg[p[0]].flags & Z24_PG_CACHE);
	cr_assert_eq(pg[p[0]].list, Z24_LST_INACTIVE_DIRTY, "deactivate_page at drop_pte");
	cr_assert(pg[p[1]].flags & ZS_PG_MAPPED, "a young PTE stays");
	cr_assert_not(pg[p[2]].flags & ZS_PG_MAPPED);
	cr_assert(pg[p[2]].flags & Z24_PG_BUFDIRTY, "set_page_dirty of the dirty PTE's page");
	cr_assert_eq(zs24_mm(t.s, task)->file_rss, 1);
	cr_assert_eq(t.s->unmapped, 2);
	/* the next access through the mapping is a minor fault: mapped again, aged up */
	t.vm->ops->map_file(t.vm, p[0], 0, 1);
	cr_assert(pg[p[0]].flags & ZS_PG_MAPPED);
	cr_assert_gt(pg[p[0]].age, 0);
	cr_assert_eq(zs24_mm(t.s, task)->file_rss, 2);
	t24_fini(&t);
}

/* ---- through the driver: script and filecache sources ---- */

static struct zs_run *
run_text(const char *yaml, struct zs_cfg **root)
{
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	struct zs_run *r;

	*root = zs_cfg_load_string("t.yaml", yaml, &err);
	cr_assert(*root, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(&sc, *root, "t.yaml", NULL, &err), 0, "%s", err.msg);
	sc.check = 1;
	r = zs_run_create(&sc, &err);
	cr_assert(r, "%s", err.msg);
	cr_assert_eq(zs_run_execute(r, NULL, NULL, NULL, 0, &err), 0, "%s", err.msg);
	return r;
}

static const struct zs_page *
page_of(struct zs_vm *vm, uint64_t handle)
{
	uint32_t b = zs_pagemap_find(vm->pagemap, zs_pagemap_key(0, handle));

	cr_assert_neq(b, ZS_NIL, "handle %llu is bound", (unsigned long long)handle);
	const struct zs_binding *bd = zs_pagemap_at(vm->pagemap, b);

	cr_assert_eq(bd->state, ZS_BIND_RESIDENT);
	return zs_vm_page(vm, bd->ps);
}

static uint64_t
mapped_count(struct zs_vm *vm, uint32_t task)
{
	if (vm->kver == ZS_KV_24)
		return zs24_state(vm)->mm[task].file_rss;
	return zs26_of(vm)->rc.nr_file_mapped;
}

Test(mmap, exit_unmaps_but_keeps_the_page_cached)
{
	static const char *const kv[] = {"2.4", "2.6.18", "2.6.32"};

	for (int v = 0; v < 3; v++) {
		char yaml[1024];
		struct zs_cfg *root;

		snprintf(yaml, sizeof(yaml),
			 "machine: {memory: 32MiB}\n"
			 "kernel: {version: \"%s\"}\n"
			 "workload:\n"
			 "  - type: script\n"
			 "    requests:\n"
			 "      - {at: 0ms, op: task_start, task: 1, comm: app}\n"
			 "      - {at: 1ms, op: alloc, task: 1, handle: 7, gfp: GFP_HIGHUSER, kind: file,"
			 " access: mmap}\n"
			 "      - {at: 1ms, op: alloc, task: 1, handle: 8, gfp: GFP_HIGHUSER, kind: file}\n"
			 "      - {at: 2ms, op: touch, task: 1, handle: 8}\n"
			 "      - {at: 3ms, op: task_start, task: 2, comm: other}\n"
			 "      - {at: 3ms, op: alloc, task: 2, handle: 9, gfp: GFP_HIGHUSER, kind: file,"
			 " access: mmap}\n"
			 "      - {at: 5ms, op: task_exit, task: 1}\n"
			 "duration: 10ms\n",
			 kv[v]);
		struct zs_run *r = run_text(yaml, &root);
		struct zs_vm *vm = zs_run_vm(r);
		const struct zs_page *gone = page_of(vm, 7), *stays = page_of(vm, 9);

		cr_assert_not(gone->flags & ZS_PG_MAPPED, "%s: zap_pte_range dropped the PTE", kv[v]);
		cr_assert_eq(zs_pagemap_at(vm->pagemap,
					   zs_pagemap_find(vm->pagemap, zs_pagemap_key(0, 7)))->task,
			     ZS_NIL);
		cr_assert(stays->flags & ZS_PG_MAPPED, "%s: the live task's page stays mapped", kv[v]);
		cr_assert_not(page_of(vm, 8)->flags & ZS_PG_MAPPED, "no access: read() by default");
		cr_assert_eq(mapped_count(vm, vm->tasks[1]->id), 1, "%s", kv[v]);
		/* total_vm counts the mapped page of the live task (task.h) */
		cr_assert_eq(vm->tasks[1]->total_vm, 1, "%s", kv[v]);
		if (v == 2)
			cr_assert(gone->flags & ZS_PG_REFERENCED,
				  "2.6.32: zap_pte_range moved the young bit (mark_page_accessed)");
		zs_run_destroy(r);
		zs_cfg_free(root);
	}
}

Test(mmap, filecache_default_is_read_and_mmap_maps)
{
	static const char *const access[] = {"", "access: mmap, ", "access: read, "};

	for (int a = 0; a < 3; a++) {
		char yaml[512];
		struct zs_cfg *root;

		snprintf(yaml, sizeof(yaml),
			 "machine: {memory: 64MiB}\n"
			 "kernel: {version: \"2.6.18\"}\n"
			 "workload:\n"
			 "  - {type: filecache, %spattern: sequential, files: [1MiB], io_rate: 10000}\n"
			 "duration: 200ms\n",
			 access[a]);
		struct zs_run *r = run_text(yaml, &root);
		struct zs_vm *vm = zs_run_vm(r);

		cr_assert_eq(zs26_of(vm)->rc.nr_file_mapped, a == 1 ? 256 : 0, "case %d: %llu", a,
			     (unsigned long long)zs26_of(vm)->rc.nr_file_mapped);
		cr_assert_eq(!!(page_of(vm, 5)->flags & ZS_PG_MAPPED), a == 1);
		zs_run_destroy(r);
		zs_cfg_free(root);
	}
}

Test(mmap, bad_access_values_name_line_and_column)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{"workload:\n  - {type: filecache, access: mapped}\n",
		 "t.yaml:2:31: access must be read or mmap, not 'mapped'"},
		{"workload:\n  - {type: filecache, exec: true}\n",
		 "t.yaml:2:29: 'exec: true' needs 'access: mmap'"},
		{"workload:\n  - {type: filecache, access: mmap, exec: true, write_fraction: 0.1}\n",
		 "t.yaml:2:43: an executable mapping is not written"},
		{"workload:\n  - type: script\n    requests:\n"
		 "      - {op: alloc, task: 1, kind: anon, access: mmap}\n",
		 "t.yaml:4:50: 'access: mmap' maps a file page"},
		{"workload:\n  - type: script\n    requests:\n"
		 "      - {op: task_start, task: 1, access: mmap}\n",
		 "t.yaml:4:43: 'access' belongs to a page request"},
		{"workload:\n  - type: script\n    requests:\n"
		 "      - {op: touch, task: 1, access: write}\n",
		 "t.yaml:4:38: access must be read or mmap, not 'write'"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zs_error err = {0, ""};

		zt_scenario_must_fail(cases[i].yaml, &err);
		cr_assert(strstr(err.msg, cases[i].want), "case %zu: %s", i, err.msg);
		cr_assert_eq(err.code, 65, "case %zu: EX_DATAERR", i);
	}
}

/* ---- configs/26-mapped-file.yaml ---- */

struct mf {
	uint64_t pgmajfault, mapped;
};

static struct mf
run_config(const char *v, const char *const *sets, int check)
{
	static const char path[] = "configs/26-mapped-file.yaml";
	struct zs_error err = {0, ""};
	struct zs_cfg *root = zs_cfg_load_file(path, &err);
	struct zs_scenario sc;
	struct mf o = {0, 0};

	cr_assert(root, "%s", err.msg);
	for (int i = 0; sets && sets[i]; i++)
		cr_assert_eq(zs_cfg_set(root, sets[i], &err), 0, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(&sc, root, path, v, &err), 0, "%s", err.msg);
	sc.check = check;
	struct zs_run *r = zs_run_create(&sc, &err);

	cr_assert(r, "%s", err.msg);
	cr_assert_eq(zs_run_execute(r, NULL, NULL, NULL, 0, &err), 0, "%s: %s", v, err.msg);
	struct zs_vm *vm = zs_run_vm(r);

	o.pgmajfault = vm->pgmajfault;
	o.mapped = vm->kver == ZS_KV_24 ? 0 : zs26_of(vm)->rc.nr_file_mapped;
	zs_run_destroy(r);
	zs_cfg_free(root);
	return o;
}

/* A scaled-down box (48 MiB) so reclaim runs within 1.5 s, checked after every event. */
Test(mmap, mapped_file_scenario_invariants_on_every_kernel)
{
	static const char *const kv[] = {"2.4", "2.6.18", "2.6.32"};
	static const char *const small[] = {"machine.nodes.0.zones.1.size=32MiB",
					    "duration=1500ms", NULL};
	static const char *const small_exec[] = {"machine.nodes.0.zones.1.size=32MiB",
						 "duration=1500ms", "workload.0.exec=true", NULL};

	for (int v = 0; v < 3; v++) {
		struct mf o = run_config(kv[v], v == 2 ? small_exec : small, 1);

		if (v)
			cr_assert_gt(o.mapped, 0, "%s: the mapped working set is mapped", kv[v]);
	}
}

/* The figure in the README: mapped pages survive the stream better than read() ones. */
Test(mmap, mapped_pages_survive_the_stream_better_than_read_ones)
{
	static const char *const rd[] = {"workload.0.access=read", NULL};
	static const char *const ex[] = {"workload.0.exec=true", NULL};

	for (int v = 0; v < 2; v++) {
		const char *k = v ? "2.6.32" : "2.6.18";
		struct mf m = run_config(k, NULL, 0), r = run_config(k, rd, 0);

		cr_assert_lt(m.pgmajfault * 4, r.pgmajfault, "%s: mmap %llu faults, read %llu", k,
			     (unsigned long long)m.pgmajfault, (unsigned long long)r.pgmajfault);
	}
	struct mf plain = run_config("2.6.32", NULL, 0), exec = run_config("2.6.32", ex, 0);

	cr_assert_lt(exec.pgmajfault, plain.pgmajfault, "2.6.32: exec %llu, plain %llu",
		     (unsigned long long)exec.pgmajfault, (unsigned long long)plain.pgmajfault);
}
