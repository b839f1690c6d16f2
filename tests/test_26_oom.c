/*
 * test_26_oom.c - the 2.6 OOM killer: badness() of 2.6.18 and 2.6.32 on
 * hand-computed tasks, select_bad_process()'s skip and abort rules, the
 * child-first kill of oom_kill_process(), and the victim exiting over
 * simulated time (alloc/exit.c) so a second out_of_memory() aborts.
 */
#include "alloc/exit.h"
#include "alloc/linux26/oom_kill.h"
#include "test_26_util.h"

#define SEC ZS_NS_PER_SEC

static const enum zs_zone_type one_zone[] = {ZS_ZONE_NORMAL};
static const uint64_t one_zone_pages[] = {16384, 0};

static struct t26
boot(const struct zs_policy_ops *ops, int hz)
{
	struct zs_machine_spec s;

	memset(&s, 0, sizeof(s));
	s.hz = hz;
	t26_spec_node(&s, 0, 1, one_zone, one_zone_pages);
	return t26_boot_spec(ops, &s, NULL);
}

/* A user task with a virtual size and nothing else said about it. */
static struct zs_task *
task(struct t26 *t, const char *comm, uint64_t total_vm)
{
	struct zs_task *p = zs_vm_task_new(t->vm, comm, 0);

	p->uid = 1000;
	p->total_vm = total_vm;
	return p;
}

/* ---- badness(), hand-computed ---- */

Test(oom26_badness, size_uid_caps_nice_per_version)
{
	struct t26 a = boot(&zs_policy_2618, 250), b = boot(&zs_policy_2632, 250);
	struct t26 *both[] = {&a, &b};

	for (int v = 0; v < 2; v++) {
		struct t26 *t = both[v];
		struct zs_task *plain = task(t, "plain", 100000);
		struct zs_task *root = task(t, "root", 100000);
		struct zs_task *admin = task(t, "admin", 100000);
		struct zs_task *res = task(t, "res", 100000);
		struct zs_task *rawio = task(t, "rawio", 100000);
		struct zs_task *niced = task(t, "niced", 100000);

		root->uid = 0;
		admin->cap_sys_admin = 1;
		res->cap_sys_resource = 1;
		rawio->cap_sys_rawio = 1;
		rawio->uid = 0;
		niced->nice = 5;
		cr_assert_eq(zs26_badness(t->vm, plain, 0), 100000);
		cr_assert_eq(zs26_badness(t->vm, admin, 0), 25000);
		cr_assert_eq(zs26_badness(t->vm, niced, 0), 200000);
		if (v == 0) {
			/* 2.6.18: uid 0 counts as CAP_SYS_ADMIN; CAP_SYS_RESOURCE does not */
			cr_assert_eq(zs26_badness(t->vm, root, 0), 25000);
			cr_assert_eq(zs26_badness(t->vm, res, 0), 100000);
			cr_assert_eq(zs26_badness(t->vm, rawio, 0), 6250);
		} else {
			cr_assert_eq(zs26_badness(t->vm, root, 0), 100000);
			cr_assert_eq(zs26_badness(t->vm, res, 0), 25000);
			cr_assert_eq(zs26_badness(t->vm, rawio, 0), 25000);
		}
	}
	t26_free(&a);
	t26_free(&b);
}

Test(oom26_badness, cpu_time_and_run_time)
{
	/* 600 s of CPU at HZ 250: 150000 jiffies >> (8 + 3) = 73, int_sqrt 8;
	 * 12 h old: 43200 s >> 10 = 42, int_sqrt(int_sqrt(42)) = 2:
	 * 160000 / 8 / 2 = 10000 in both versions */
	static const int hzs[] = {100, 250, 1000};
	/* HZ 100: 60000 >> 10 = 58, sqrt 7; HZ 1000: 600000 >> 13 = 73, sqrt 8 */
	static const uint64_t want[] = {160000 / 7 / 2, 10000, 10000};

	for (int v = 0; v < 2; v++)
		for (int h = 0; h < 3; h++) {
			struct t26 t = boot(v ? &zs_policy_2632 : &zs_policy_2618, hzs[h]);
			struct zs_task *p = task(&t, "old", 160000);
			struct zs_task *young = task(&t, "young", 160000);

			p->cpu_ns = 600 * SEC;
			p->start_ns = -12 * 3600 * SEC;
			young->cpu_ns = 8 * SEC; /* < 2^(SHIFT_HZ+3) jiffies: cpu_time 0, no division */
			cr_assert_eq(zs26_badness(t.vm, p, 0), want[h], "hz %d: %llu", hzs[h],
				     (unsigned long long)zs26_badness(t.vm, p, 0));
			cr_assert_eq(zs26_badness(t.vm, young, 0), 160000);
			/* run time counts whole seconds since the start: 1023 s old is 0 units */
			young->start_ns = -1023 * SEC;
			cr_assert_eq(zs26_badness(t.vm, young, 0), 160000);
			young->start_ns = -1024 * SEC;
			cr_assert_eq(zs26_badness(t.vm, young, 0), 160000); /* isqrt(isqrt(1)) = 1 */
			young->start_ns = -16 * 1024 * SEC;
			cr_assert_eq(zs26_badness(t.vm, young, 0), 80000); /* isqrt(isqrt(16)) = 2 */
			t26_free(&t);
		}
}

Test(oom26_badness, oom_adj_per_version)
{
	struct t26 a = boot(&zs_policy_2618, 250), b = boot(&zs_policy_2632, 250);
	struct zs_task *up18 = task(&a, "up", 1000), *up32 = task(&b, "up", 1000);
	struct zs_task *zero18 = task(&a, "zero", 0), *zero32 = task(&b, "zero", 0);
	struct zs_task *dis18 = task(&a, "dis", 1u << 20), *dis32 = task(&b, "dis", 1u << 20);

	up18->oom_adj = up32->oom_adj = 3;
	cr_assert_eq(zs26_badness(a.vm, up18, 0), 8000);
	cr_assert_eq(zs26_badness(b.vm, up32, 0), 8000);
	up18->oom_adj = up32->oom_adj = -3;
	cr_assert_eq(zs26_badness(a.vm, up18, 0), 125);
	cr_assert_eq(zs26_badness(b.vm, up32, 0), 125);
	/* 2.6.32 raises a zero score to 1 before the shift; 2.6.18 does not */
	zero18->oom_adj = zero32->oom_adj = 4;
	cr_assert_eq(zs26_badness(a.vm, zero18, 0), 0);
	cr_assert_eq(zs26_badness(b.vm, zero32, 0), 16);
	/* OOM_DISABLE: 2.6.32 scores 0; 2.6.18 simply shifts by 17 */
	dis18->oom_adj = dis32->oom_adj = -17;
	cr_assert_eq(zs26_badness(a.vm, dis18, 0), 8);
	cr_assert_eq(zs26_badness(b.vm, dis32, 0), 0);
	t26_free(&a);
	t26_free(&b);
}

Test(oom26_badness, children_with_their_own_mm)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(v ? &zs_policy_2632 : &zs_policy_2618, 250);
		struct zs_task *web = task(&t, "web", 40000);
		struct zs_task *w1 = task(&t, "w1", 20000), *w2 = task(&t, "w2", 20001);
		struct zs_task *kt = zs_vm_task_new(t.vm, "kthread", 1);

		zs_task_fork_link(t.vm, web, w1);
		zs_task_fork_link(t.vm, web, w2);
		zs_task_fork_link(t.vm, web, kt); /* no mm: adds nothing */
		/* 40000 + (10000 + 1) + (10000 + 1) */
		cr_assert_eq(zs26_badness(t.vm, web, 0), 60002);
		/* a child past exit_mm has no mm any more */
		w1->flags |= ZS_TASK_MM_GONE;
		cr_assert_eq(zs26_badness(t.vm, web, 0), 50001);
		/* an exited child leaves the list; its own children are orphaned */
		zs_vm_exit_task(t.vm, w2);
		cr_assert_eq(web->first_child, w1->id);
		cr_assert_eq(w1->next_sibling, kt->id);
		cr_assert_eq(zs26_badness(t.vm, web, 0), 40000);
		cr_assert_eq(zs26_badness(t.vm, kt, 0), 0);
		zs_vm_exit_task(t.vm, web);
		cr_assert_eq(w1->parent, ZS_NIL);
		cr_assert_eq(kt->parent, ZS_NIL);
		t26_free(&t);
	}
}

/* ---- select_bad_process() ---- */

Test(oom26_select, highest_first_wins_ties_and_runner_up)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(v ? &zs_policy_2632 : &zs_policy_2618, 250);
		struct zs26_oom_choice c;

		zs_vm_task_new(t.vm, "kswapd0", 1); /* pid 1, a kernel thread: skipped */
		struct zs_task *a = task(&t, "a", 500), *b = task(&t, "b", 900);
		struct zs_task *c2 = task(&t, "c", 900), *d = task(&t, "d", 700);

		cr_assert_eq(zs26_select_bad_process(t.vm, NULL, &c), 0);
		cr_assert_eq(c.chosen, b, "the first of two equal scores wins");
		cr_assert_eq(c.points, 900);
		cr_assert_eq(c.runner_up, c2);
		cr_assert_eq(c.runner_points, 900);
		d->total_vm = 901;
		zs26_select_bad_process(t.vm, NULL, &c);
		cr_assert_eq(c.chosen, d);
		cr_assert_eq(c.runner_up, b);
		/* OOM_DISABLE and dead tasks are never chosen */
		d->oom_adj = -17;
		zs_vm_exit_task(t.vm, b);
		zs26_select_bad_process(t.vm, NULL, &c);
		cr_assert_eq(c.chosen, c2);
		cr_assert_eq(c.runner_up, a);
		t26_free(&t);
	}
}

Test(oom26_select, nothing_killable)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(v ? &zs_policy_2632 : &zs_policy_2618, 250);
		struct zs26_oom_choice c;
		struct zs_task *only = task(&t, "only", 100);

		zs_vm_task_new(t.vm, "kthread", 1);
		only->oom_adj = -17;
		cr_assert_eq(zs26_select_bad_process(t.vm, NULL, &c), 0);
		cr_assert_null(c.chosen);
		t26_free(&t);
	}
}

Test(oom26_select, releasing_task_aborts_per_version)
{
	struct t26 a = boot(&zs_policy_2618, 250), b = boot(&zs_policy_2632, 250);
	struct zs26_oom_choice c;
	struct zs_task *x18 = task(&a, "x", 10), *big18 = task(&a, "big", 1000);
	struct zs_task *x32 = task(&b, "x", 10), *big32 = task(&b, "big", 1000);

	/* killed, not yet in do_exit: both abort */
	x18->flags |= ZS_TIF_MEMDIE;
	x32->flags |= ZS_TIF_MEMDIE;
	cr_assert_eq(zs26_select_bad_process(a.vm, NULL, &c), -1);
	cr_assert_eq(c.releasing, x18);
	cr_assert_eq(zs26_select_bad_process(b.vm, NULL, &c), -1);
	/* past exit_mm, pages still being freed: 2.6.18 waits for PF_DEAD, 2.6.32 sees no mm */
	x18->flags |= ZS_PF_EXITING | ZS_TASK_MM_GONE;
	x32->flags |= ZS_PF_EXITING | ZS_TASK_MM_GONE;
	cr_assert_eq(zs26_select_bad_process(a.vm, NULL, &c), -1);
	cr_assert_eq(zs26_select_bad_process(b.vm, NULL, &c), 0);
	cr_assert_eq(c.chosen, big32);
	/* an OOM_DISABLE task still dying: 2.6.18 skips it before the test, 2.6.32 aborts */
	x18->flags = x32->flags = ZS_TIF_MEMDIE;
	x18->oom_adj = x32->oom_adj = -17;
	cr_assert_eq(zs26_select_bad_process(a.vm, NULL, &c), 0);
	cr_assert_eq(c.chosen, big18);
	cr_assert_eq(zs26_select_bad_process(b.vm, NULL, &c), -1);
	t26_free(&a);
	t26_free(&b);
}

Test(oom26_select, exiting_current_2632)
{
	struct t26 t = boot(&zs_policy_2632, 250);
	struct zs26_oom_choice c;
	struct zs_task *big = task(&t, "big", 1000), *cur = task(&t, "cur", 10);

	cur->flags |= ZS_PF_EXITING; /* still has its mm */
	/* not current: wait for it */
	cr_assert_eq(zs26_select_bad_process(t.vm, big, &c), -1);
	/* current: chosen with the largest score, so it may take the reserves */
	cr_assert_eq(zs26_select_bad_process(t.vm, cur, &c), 0);
	cr_assert_eq(c.chosen, cur);
	cr_assert_eq(c.points, UINT64_MAX);
	cr_assert_eq(c.runner_up, big);
	t26_free(&t);
}

/* ---- oom_kill_process() and the exit over time ---- */

/* An out_of_memory() call for `current` (no thread: the caller handles sleeps). */
static int
oom(struct t26 *t, struct zs_task *current)
{
	struct zs_alloc_req req;

	memset(&req, 0, sizeof(req));
	req.task = current;
	req.gfp = GFP26_HIGHUSER;
	req.node = -1;
	req.pfn = ZS_NIL;
	return zs26_out_of_memory(t->vm, &req);
}

Test(oom26_kill, first_child_with_its_own_mm_goes_first)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(v ? &zs_policy_2632 : &zs_policy_2618, 250);
		struct zs_task *web = task(&t, "web", 40000);
		struct zs_task *w1 = task(&t, "w1", 20000), *w2 = task(&t, "w2", 20000);
		struct zs_task *other = task(&t, "other", 30000);

		zs_task_fork_link(t.vm, web, w1);
		zs_task_fork_link(t.vm, web, w2);
		w1->oom_adj = -17;
		cr_assert_eq(oom(&t, other), 1);
		cr_assert_not(web->killed, "the parent was chosen, a child dies");
		if (v == 0) {
			/* 2.6.18's oom_kill_task does not look at OOM_DISABLE */
			cr_assert(w1->killed && (w1->flags & ZS_TIF_MEMDIE));
			cr_assert_not(w2->killed);
		} else {
			cr_assert_not(w1->killed);
			cr_assert(w2->killed && (w2->flags & ZS_TIF_MEMDIE));
		}
		cr_assert_eq(t.vm->oom_kills, 1);
		t26_free(&t);
	}
}

Test(oom26_kill, parent_dies_when_no_child_can)
{
	struct t26 t = boot(&zs_policy_2632, 250);
	struct zs_task *web = task(&t, "web", 40000), *w1 = task(&t, "w1", 20000);

	zs_task_fork_link(t.vm, web, w1);
	w1->oom_adj = -17;
	cr_assert_eq(oom(&t, NULL), 1);
	cr_assert(web->killed);
	cr_assert_not(w1->killed);
	t26_free(&t);
}

Test(oom26_kill, no_victim_is_minus_one)
{
	struct t26 t = boot(&zs_policy_2618, 250);
	struct zs_task *p = task(&t, "p", 100);

	p->oom_adj = -17;
	cr_assert_eq(oom(&t, p), -1);
	cr_assert_eq(t.vm->oom_kills, 0);
	t26_free(&t);
}

/* Give task n resident anonymous pages taken from the zone. */
static void
fill(struct t26 *t, struct zs_task *p, unsigned n, uint64_t key0)
{
	struct zs_zone *z = &t->m->zones[0];

	for (unsigned i = 0; i < n; i++) {
		uint32_t pfn = zs26_rmqueue(t->vm, z, 0, ZS26_MT_MOVABLE);

		cr_assert_neq(pfn, ZS_NIL);
		t26_bind(t, p, pfn, ZS_KIND_ANON, key0 + i);
	}
}

Test(oom26_exit, victim_frees_over_time_and_second_oom_aborts)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(v ? &zs_policy_2632 : &zs_policy_2618, 250);
		struct zs_zone *z = &t.m->zones[0];
		struct zs_task *victim = task(&t, "victim", 0), *next = task(&t, "next", 0);
		const zs_time_t jiffy = SEC / 250;
		uint64_t free0, pcp0;

		fill(&t, victim, 3000, 0);
		fill(&t, next, 100, 1u << 20);
		free0 = z->free_pages;
		pcp0 = zs26_pcp_pages(t.vm, z, -1);
		cr_assert_eq(oom(&t, next), 1);
		/* the kill frees nothing yet */
		cr_assert(victim->alive && (victim->flags & ZS_TIF_MEMDIE));
		cr_assert_eq(victim->rss, 3000);
		cr_assert_eq(z->free_pages, free0);
		/* a second OOM before the victim runs: both versions wait for it */
		cr_assert_eq(oom(&t, next), 0);
		cr_assert_not(next->killed);
		/* one jiffy later do_exit() has unmapped the first ZAP_BLOCK_SIZE ptes */
		zs_engine_run(t.e, jiffy, NULL, NULL);
		cr_assert(victim->flags & ZS_PF_EXITING);
		cr_assert_eq(victim->rss, 3000 - ZS_EXIT_ZAP_BLOCK);
		cr_assert(victim->alive);
		/* mid-exit: 2.6.18 still aborts (no PF_DEAD), 2.6.32 no longer sees an mm */
		if (v == 0) {
			cr_assert_eq(oom(&t, next), 0);
			cr_assert_not(next->killed);
		} else {
			cr_assert_eq(oom(&t, NULL), 1);
			cr_assert(next->killed);
		}
		/* each block of 1024 ptes takes 1024 * ZS_EXIT_ZAP_NS_PER_PTE */
		zs_engine_run(t.e, jiffy + ZS_EXIT_ZAP_BLOCK * ZS_EXIT_ZAP_NS_PER_PTE, NULL, NULL);
		cr_assert_eq(victim->rss, 3000 - 2 * ZS_EXIT_ZAP_BLOCK);
		zs_engine_run(t.e, jiffy + 3 * ZS_EXIT_ZAP_BLOCK * ZS_EXIT_ZAP_NS_PER_PTE, NULL, NULL);
		cr_assert_not(victim->alive, "dead once every pte is gone");
		cr_assert_eq(victim->bind_first, ZS_NIL);
		cr_assert_eq(z->free_pages + zs26_pcp_pages(t.vm, z, -1), free0 + pcp0 + 3000,
			     "every page came back (to the buddy or a per-cpu list)");
		t26_check(&t);
		if (v == 0) {
			/* dead: the next OOM kills again */
			cr_assert_eq(oom(&t, NULL), 1);
			cr_assert(next->killed);
		}
		t26_free(&t);
	}
}

Test(oom26_kill, dying_oom_disable_child_2618_is_killed_again)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = boot(v ? &zs_policy_2632 : &zs_policy_2618, 250);
		struct zs_task *web = task(&t, "web", 40000), *w1 = task(&t, "w1", 20000);

		zs_task_fork_link(t.vm, web, w1);
		w1->oom_adj = -17;
		cr_assert_eq(oom(&t, NULL), 1);
		if (v == 0) {
			/* 2.6.18: w1 dies although OOM_DISABLE; being OOM_DISABLE, it is skipped
			 * before the releasing test, so the next call picks web and w1 again */
			cr_assert(w1->killed);
			cr_assert_eq(oom(&t, NULL), 1);
			cr_assert_not(web->killed);
			cr_assert_eq(t.vm->oom_kills, 1, "a second SIGKILL is not a second kill");
		} else {
			/* 2.6.32: w1 is refused, web dies; the next call waits for it */
			cr_assert(web->killed && !w1->killed);
			cr_assert_eq(oom(&t, NULL), 0);
		}
		t26_free(&t);
	}
}
