/*
 * test_tasks_yaml.c - the task attributes of the workloads (uid, caps,
 * oom_adj, cpu_time, age, extra_vm, parent, parent_source, mlock): they reach the
 * simulated task, every generator accepts them, bad values are refused with
 * file:line:col, and a whole 2.6 run kills a child before its parent.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/linux26/model.h"
#include "sim/driver.h"
#include "tests/support.h"

static struct zs_run *
run_text(const char *yaml, struct zs_cfg **root, struct zs_scenario *sc, FILE *events)
{
	struct zs_error err = {0, ""};
	struct zs_run *r;

	*root = zs_cfg_load_string("t.yaml", yaml, &err);
	cr_assert(*root, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(sc, *root, "t.yaml", NULL, &err), 0, "%s", err.msg);
	sc->check = 1;
	r = zs_run_create(sc, &err);
	cr_assert(r, "%s", err.msg);
	cr_assert_eq(zs_run_execute(r, NULL, events, NULL, 0, &err), 0, "%s", err.msg);
	return r;
}

static struct zs_task *
by_comm(struct zs_vm *vm, const char *comm)
{
	for (uint32_t i = 0; i < vm->nr_tasks; i++)
		if (!strcmp(vm->tasks[i]->comm, comm))
			return vm->tasks[i];
	cr_assert_fail("no task %s", comm);
	return NULL;
}

Test(tasks_yaml, script_attributes_reach_the_task)
{
	static const char yaml[] =
		"machine: {memory: 32MiB}\n"
		"kernel: {version: \"2.6.18\"}\n"
		"workload:\n"
		"  - type: script\n"
		"    requests:\n"
		"      - {at: 0ms, op: task_start, task: 1, comm: server, uid: 0, caps: CAP_SYS_ADMIN,\n"
		"         oom_adj: -3, cpu_time: 2min, age: 3h, extra_vm: 1MiB, mlock: true}\n"
		"      - {at: 1ms, op: task_start, task: 2, comm: child, parent: 1, nice: 4,\n"
		"         caps: [CAP_SYS_RESOURCE, CAP_SYS_RAWIO]}\n"
		"      - {at: 1ms, op: task_start, task: 3, comm: child2, parent: 1, root: true}\n"
		"      - {at: 2ms, op: alloc, task: 1, handle: 1, gfp: GFP_HIGHUSER, kind: anon}\n"
		"      - {at: 2ms, op: alloc, task: 1, handle: 2, gfp: GFP_HIGHUSER, kind: anon}\n"
		"      - {at: 3ms, op: task_exit, task: 3}\n"
		"duration: 10ms\n";
	struct zs_cfg *root;
	struct zs_scenario sc;
	struct zs_run *r = run_text(yaml, &root, &sc, NULL);
	struct zs_vm *vm = zs_run_vm(r);
	struct zs_task *srv = by_comm(vm, "server"), *c = by_comm(vm, "child");

	cr_assert_eq(srv->uid, 0);
	cr_assert(srv->cap_sys_admin && !srv->cap_sys_rawio && !srv->cap_sys_resource);
	cr_assert_eq(srv->oom_adj, -3);
	cr_assert(srv->flags & ZS_TASK_MLOCKALL);
	cr_assert(!(c->flags & ZS_TASK_MLOCKALL));
	cr_assert_eq(srv->cpu_ns, 120 * ZS_NS_PER_SEC);
	cr_assert_eq(srv->start_ns, -3 * 3600 * ZS_NS_PER_SEC);
	/* total_vm: the declared 256 pages plus the two anonymous pages it faulted in */
	cr_assert_eq(srv->extra_vm, 256);
	cr_assert_eq(srv->total_vm, 258);
	cr_assert_eq(c->uid, 1000);
	cr_assert_eq(c->nice, 4);
	cr_assert(c->cap_sys_resource && c->cap_sys_rawio && !c->cap_sys_admin);
	cr_assert_eq(c->start_ns, ZS_NS_PER_SEC / 1000);
	/* the fork tree: child2 exited and left it */
	cr_assert_eq(c->parent, srv->id);
	cr_assert_eq(srv->first_child, c->id);
	cr_assert_eq(srv->last_child, c->id);
	cr_assert_eq(c->next_sibling, ZS_NIL);
	zs_run_destroy(r);
	zs_cfg_free(root);
}

Test(tasks_yaml, every_generator_takes_the_keys_and_parent_source)
{
	static const char yaml[] =
		"machine: {memory: 64MiB}\n"
		"kernel: {version: \"2.6.32\"}\n"
		"workload:\n"
		"  - type: script\n"
		"    requests:\n"
		"      - {op: task_start, task: 1, comm: parent, uid: 42, oom_adj: 5, extra_vm: 100}\n"
		"      - {op: alloc, task: 1, handle: 1, gfp: GFP_HIGHUSER, kind: anon}\n"
		/* phases outlast the run, so their tasks are still alive at its end */
		"  - {type: phases, phases: [{start: 0s, stop: 1s, source: {type: anon, comm: kid,\n"
		"     initial_tasks: 2, max_tasks: 2, arrival_rate: 0, footprint: 16, lifetime: 1h,\n"
		"     parent_source: 0}}]}\n"
		"  - {type: phases, phases: [{start: 0s, stop: 1s, source: {type: simple, comm: sim,\n"
		"     tasks: 1, rate: 10, nice: 3, caps: CAP_SYS_RAWIO, parent_source: 0, mlock: on}}]}\n"
		"  - {type: filecache, comm: rd, files: 1, file_size: 16, io_rate: 10, age: 1h}\n"
		"  - {type: kernel, comm: kt, rate: 10, cpu_time: 1s}\n"
		"  - {type: phases, phases: [{start: 0s, stop: 1s, source: {type: simple, tasks: 1,\n"
		"     rate: 10, comm: ph, uid: 7, parent_source: 0}}]}\n"
		"duration: 50ms\n";
	struct zs_cfg *root;
	struct zs_scenario sc;
	struct zs_run *r = run_text(yaml, &root, &sc, NULL);
	struct zs_vm *vm = zs_run_vm(r);
	struct zs_task *p = by_comm(vm, "parent"), *s = by_comm(vm, "sim");
	int kids = 0;

	cr_assert_eq(p->uid, 42);
	cr_assert_eq(p->oom_adj, 5);
	cr_assert_eq(p->total_vm, 101);
	for (uint32_t c = p->first_child; c != ZS_NIL; c = vm->tasks[c]->next_sibling)
		kids++;
	cr_assert_eq(kids, 4, "two kids, sim and ph fork from the parent source's task");
	cr_assert_eq(s->nice, 3);
	cr_assert(s->cap_sys_rawio);
	cr_assert(s->flags & ZS_TASK_MLOCKALL);
	cr_assert(!(p->flags & ZS_TASK_MLOCKALL));
	cr_assert_eq(by_comm(vm, "rd")->start_ns, -3600 * ZS_NS_PER_SEC);
	cr_assert_eq(by_comm(vm, "kt")->cpu_ns, ZS_NS_PER_SEC);
	cr_assert_eq(by_comm(vm, "ph")->uid, 7);
	zs_run_destroy(r);
	zs_cfg_free(root);
}

Test(tasks_yaml, bad_values_name_their_position)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{"workload:\n  - {type: anon, oom_adj: 16}\n",
		 "t.yaml:2:27: 'oom_adj' = 16 is out of range [-17, 15]"},
		{"workload:\n  - {type: anon, caps: CAP_SYS_ADMIN|CAP_NET_ADMIN}\n",
		 "t.yaml:2:24: unknown capability 'CAP_NET_ADMIN'"},
		{"workload:\n  - {type: simple, caps: [CAP_SYS_RAWIO, CAP_KILL]}\n",
		 "t.yaml:2:42: unknown capability 'CAP_KILL'"},
		{"workload:\n  - {type: filecache, root: true, uid: 5}\n",
		 "t.yaml:2:40: uid 5 contradicts root: true"},
		{"workload:\n  - {type: kernel, parent_source: 1}\n",
		 "t.yaml:2:35: parent_source 1: the workload has 1 entries"},
		{"workload:\n  - {type: anon, age: -1s}\n", "t.yaml:2:23:"},
		{"workload:\n  - {type: anon, extra_vm: lots}\n", "t.yaml:2:28:"},
		{"workload:\n  - {type: anon, mlock: maybe}\n", "t.yaml:2:25:"},
		{"workload:\n  - {type: anon, cpu_tme: 1s}\n",
		 "t.yaml:2:18: unknown key 'cpu_tme' (did you mean 'cpu_time'?)"},
		{"workload:\n  - type: script\n    requests:\n"
		 "      - {op: task_start, task: 2, parent: 1}\n",
		 "t.yaml:4:43: parent 1: no task_start for it earlier in the script"},
		{"workload:\n  - type: script\n    requests:\n"
		 "      - {op: task_start, task: 2, parent: 2}\n",
		 "t.yaml:4:43: task 2 cannot be its own parent"},
		{"workload:\n  - type: script\n    requests:\n"
		 "      - {op: alloc, task: 2, oom_adj: 1}\n",
		 "t.yaml:4:39: 'oom_adj' belongs to a task_start request"},
		{"workload:\n  - type: script\n    requests:\n"
		 "      - {op: task_start, task: 1}\n"
		 "      - {op: task_start, task: 2, parent: 1, parent_source: 0}\n",
		 "t.yaml:5:43: a task has one parent"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zs_error err = {0, ""};

		zt_scenario_must_fail(cases[i].yaml, &err);
		cr_assert(strstr(err.msg, cases[i].want), "case %zu: %s", i, err.msg);
		cr_assert_eq(err.code, 65, "case %zu: EX_DATAERR", i);
	}
}

/* A 2.6 run out of memory: the parent scores highest, its child is killed first. */
Test(tasks_yaml, whole_run_kills_the_child_first)
{
	static const char *const kernels[] = {"2.6.18", "2.6.32"};

	for (int k = 0; k < 2; k++) {
		char yaml[1024];
		FILE *ev = tmpfile();
		char line[512];
		int rows = 0;
		struct zs_cfg *root;
		struct zs_scenario sc;

		cr_assert(ev);
		snprintf(yaml, sizeof(yaml),
			 "machine: {memory: 32MiB}\n"
			 "kernel: {version: \"%s\"}\n"
			 "workload:\n"
			 "  - {type: anon, comm: server, initial_tasks: 1, max_tasks: 1, "
			 "arrival_rate: 0, footprint: 500, extra_vm: 40000, lifetime: 1h}\n"
			 "  - {type: anon, comm: child, initial_tasks: 1, max_tasks: 1, "
			 "arrival_rate: 0, footprint: 500, extra_vm: 20000, lifetime: 1h, "
			 "parent_source: 0}\n"
			 "  - {type: anon, comm: hog, initial_tasks: 1, max_tasks: 1, "
			 "arrival_rate: 0, footprint: 100, grow: 4000, oom_adj: -17, lifetime: 1h}\n"
			 "duration: 4s\n",
			 kernels[k]);
		struct zs_run *r = run_text(yaml, &root, &sc, ev);
		struct zs_vm *vm = zs_run_vm(r);

		rewind(ev);
		while (fgets(line, sizeof(line), ev))
			if (strstr(line, ",oom_kill,")) {
				/* the server is chosen: 40500 + 20500 / 2 + 1 while the child lives,
				 * then 40500 alone */
				cr_assert(strstr(line, rows == 0 ? ",child," : ",server,"), "%s row %d: %s",
					  kernels[k], rows, line);
				cr_assert(strstr(line, rows == 0 ? "chosen=1000 points=50751"
								 : "chosen=1000 points=40500"),
					  "%s row %d: %s", kernels[k], rows, line);
				rows++;
			}
		cr_assert_geq(rows, 1, "%s: no OOM kill", kernels[k]);
		cr_assert(by_comm(vm, "child")->killed);
		cr_assert_not(by_comm(vm, "hog")->killed);
		zs_run_destroy(r);
		zs_cfg_free(root);
		fclose(ev);
	}
}

Test(tasks_yaml, script_parent_inside_a_phase)
{
	static const char yaml[] =
		"machine: {memory: 32MiB}\n"
		"kernel: {version: \"2.6.32\"}\n"
		"workload:\n"
		"  - type: phases\n"
		"    phases:\n"
		"      - {start: 0s, stop: 1s, source: {type: script, requests: [\n"
		"          {op: task_start, task: 1, comm: a}]}}\n"
		"      - {start: 0s, stop: 1s, source: {type: script, requests: [\n"
		"          {op: task_start, task: 1, comm: b},\n"
		"          {op: task_start, task: 2, comm: bchild, parent: 1}]}}\n"
		"duration: 10ms\n";
	struct zs_cfg *root;
	struct zs_scenario sc;
	struct zs_run *r = run_text(yaml, &root, &sc, NULL);
	struct zs_vm *vm = zs_run_vm(r);

	/* phase 1's task 1 is b, not phase 0's a: the parent number moved with the phase */
	cr_assert_eq(by_comm(vm, "bchild")->parent, by_comm(vm, "b")->id);
	cr_assert_eq(by_comm(vm, "a")->first_child, ZS_NIL);
	zs_run_destroy(r);
	zs_cfg_free(root);
}

/* An mlocked task's anonymous pages: 2.6.32 faults them onto the unevictable list and
 * counts them in NR_MLOCK; 2.6.18 puts them on its active list (only try_to_unmap
 * knows VM_LOCKED); the unlocked task's pages are evictable on both. */
Test(tasks_yaml, mlock_pages_of_an_mlocked_task)
{
	static const char fmt[] =
		"machine: {memory: 32MiB}\n"
		"kernel: {version: \"%s\"}\n"
		"workload:\n"
		"  - type: script\n"
		"    requests:\n"
		"      - {op: task_start, task: 1, comm: locked, mlock: true}\n"
		"      - {op: task_start, task: 2, comm: free}\n"
		"      - {at: 1ms, op: alloc, task: 1, handle: 1, gfp: GFP_HIGHUSER, kind: anon}\n"
		"      - {at: 1ms, op: alloc, task: 1, handle: 2, gfp: GFP_HIGHUSER, kind: anon}\n"
		"      - {at: 1ms, op: alloc, task: 2, handle: 3, gfp: GFP_HIGHUSER, kind: anon}\n"
		"      - {at: 2ms, op: free, task: 1, handle: 2}\n"
		"duration: 10ms\n";
	static const char *const kv[] = {"2.6.18", "2.6.32"};

	for (int v = 0; v < 2; v++) {
		char yaml[1024];
		struct zs_cfg *root;
		struct zs_scenario sc;

		snprintf(yaml, sizeof(yaml), fmt, kv[v]);
		struct zs_run *r = run_text(yaml, &root, &sc, NULL);
		struct zs_vm *vm = zs_run_vm(r);
		uint64_t mlock = 0, unevictable = 0, locked_flagged = 0;

		for (int z = 0; z < vm->machine->nr_zones; z++) {
			struct zs26_lruvec *lv = &zs26_zone(&vm->machine->zones[z])->lru;

			mlock += lv->nr_mlock;
			unevictable += lv->lru[ZS26_LRU_UNEVICTABLE].count;
		}
		for (uint32_t pfn = 0; pfn < vm->machine->nr_pages; pfn++)
			locked_flagged += (vm->machine->pages[pfn].flags & ZS26_PG_MLOCKED) != 0;
		/* the freed page left NR_MLOCK with its flag */
		cr_assert_eq(locked_flagged, 1, "%s", kv[v]);
		cr_assert_eq(mlock, v ? 1 : 0, "%s", kv[v]);
		cr_assert_eq(unevictable, v ? 1 : 0, "%s", kv[v]);
		zs_run_destroy(r);
		zs_cfg_free(root);
	}
}
