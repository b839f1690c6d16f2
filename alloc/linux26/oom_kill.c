/*
 * oom_kill.c - the OOM killer of Linux 2.6.18 and 2.6.32 (mm/oom_kill.c of
 * each version): badness(), select_bad_process(), oom_kill_process() with its
 * child-first rule, oom_kill_task(), constrained_alloc() and out_of_memory(),
 * and the 2.6.32 zonelist OOM lock (try_set_zone_oom, clear_zonelist_oom).
 *
 * The victim is not freed here: it gets TIF_MEMDIE and SIGKILL, and dies over
 * simulated time (alloc/exit.c), so a second out_of_memory() while it exits
 * meets select_bad_process()'s "a victim is still releasing memory" abort.
 *
 * What "has an mm" means here: a live user task whose exit has not reached
 * exit_mm() (ZS_TASK_MM_GONE).  Kernel threads never have one.
 *
 * Invariant: a zone is OOM-locked only between zs26_try_set_zonelist_oom and
 * the matching clear by the same allocation.
 */
#include "alloc/linux26/oom_kill.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alloc/exit.h"
#include "alloc/linux26/model.h"

/* KERNEL: 2.6.32 include/linux/oom.h OOM_DISABLE (2.6.18 include/linux/mm.h, the same) */
#define OOM_DISABLE (-17)
/* unsigned long of a 64-bit kernel */
#define POINTS_MAX UINT64_MAX

static int
has_mm(const struct zs_task *p)
{
	return p->alive && !(p->flags & (ZS_PF_KTHREAD | ZS_TASK_MM_GONE));
}

/*
 * KERNEL: 2.6.18 include/linux/jiffies.h SHIFT_HZ: HZ in [12, 24) is 4, ... [768, 1536) is
 * 10, i.e. the largest s with 2^s <= 4/3 HZ.
 */
static int
shift_hz(int hz)
{
	int s = 4;

	while (s < 10 && (3 << (s + 1)) <= 4 * hz)
		s++;
	return s;
}

/* Whole seconds of a monotonic time, rounded down (times before 0 are aged tasks). */
static int64_t
secs(zs_time_t t)
{
	return t >= 0 ? t / ZS_NS_PER_SEC : -((-t + ZS_NS_PER_SEC - 1) / ZS_NS_PER_SEC);
}

uint64_t
zs26_badness(struct zs_vm *vm, const struct zs_task *p, zs_time_t now)
{
	const int v32 = vm->kver == ZS_KV_2632;
	uint64_t points, cpu_time, run_time, s;

	/* KERNEL: 2.6.32 mm/oom_kill.c badness(): OOM_DISABLE scores nothing */
	if (v32 && p->oom_adj == OOM_DISABLE)
		return 0;
	if (!has_mm(p))
		return 0;
	/* KERNEL: 2.6.18 mm/oom_kill.c badness(): the virtual size is the base */
	points = p->total_vm;
	/* DEVIATION: no swapoff or KSM unmerge, so no PF_OOM_ORIGIN task (2.6.32) */
	/* KERNEL: 2.6.18 mm/oom_kill.c badness(): half of each child's own mm, plus one */
	for (uint32_t c = p->first_child; c != ZS_NIL; c = vm->tasks[c]->next_sibling)
		if (has_mm(vm->tasks[c]))
			points += vm->tasks[c]->total_vm / 2 + 1;
	/*
	 * KERNEL: 2.6.18 mm/oom_kill.c badness(): utime + stime in jiffies >>
	 * (SHIFT_HZ + 3) (2.6.32: of the thread group, one thread here), run time
	 * in units of 1024 s since the task started.
	 */
	cpu_time = ((uint64_t)p->cpu_ns * (uint64_t)vm->hz / ZS_NS_PER_SEC) >> (shift_hz(vm->hz) + 3);
	run_time = secs(now) >= secs(p->start_ns) ? (uint64_t)(secs(now) - secs(p->start_ns)) >> 10
						     : 0;
	s = zs26_int_sqrt(cpu_time);
	if (s)
		points /= s;
	s = zs26_int_sqrt(zs26_int_sqrt(run_time));
	if (s)
		points /= s;
	/* niced tasks are less important: double them */
	if (p->nice > 0)
		points *= 2;
	/* KERNEL: 2.6.18 mm/oom_kill.c badness(): CAP_SYS_ADMIN or uid 0 divides by 4;
	 * 2.6.32: CAP_SYS_ADMIN or CAP_SYS_RESOURCE, no uid test */
	if (v32 ? (p->cap_sys_admin || p->cap_sys_resource) : (p->cap_sys_admin || p->uid == 0))
		points /= 4;
	/* direct hardware access: another 4 */
	if (p->cap_sys_rawio)
		points /= 4;
	/* DEVIATION: no cpusets; every task's mems intersect current's, so 2.6.32's
	 * "!has_intersects_mems_allowed: points /= 8" never applies */
	if (p->oom_adj > 0) {
		/* KERNEL: 2.6.32 mm/oom_kill.c badness(): a zero score is raised to 1 first */
		if (v32 && !points)
			points = 1;
		points <<= p->oom_adj;
	} else if (p->oom_adj < 0) {
		points >>= -p->oom_adj;
	}
	return points;
}

/* Keep the best and the second best (the first seen wins a tie, as in the kernel). */
static void
consider(struct zs26_oom_choice *c, struct zs_task *p, uint64_t points)
{
	if (p == c->chosen)
		return;
	if (points > c->points || !c->chosen) {
		c->runner_up = c->chosen;
		c->runner_points = c->points;
		c->chosen = p;
		c->points = points;
	} else if (!c->runner_up || points > c->runner_points) {
		c->runner_up = p;
		c->runner_points = points;
	}
}

/* KERNEL: 2.6.18 mm/oom_kill.c select_bad_process() */
static int
select_2618(struct zs_vm *vm, struct zs26_oom_choice *c, zs_time_t now)
{
	for (uint32_t i = 0; i < vm->nr_tasks; i++) {
		struct zs_task *p = vm->tasks[i];

		/* DEVIATION: a dead task is reaped at once, and kernel threads (no mm, and
		 * ahead of user tasks in the kernel's list) are passed over rather than
		 * held as a 0-point choice; pid 1 is a kernel thread here */
		if (!p->alive || (p->flags & ZS_PF_KTHREAD) || p->pid == 1)
			continue;
		if (p->oom_adj == OOM_DISABLE)
			continue;
		/* TIF_MEMDIE or PF_EXITING before PF_DEAD: still releasing, wait for it */
		if (p->flags & (ZS_TIF_MEMDIE | ZS_PF_EXITING)) {
			c->releasing = p;
			return -1;
		}
		consider(c, p, zs26_badness(vm, p, now));
	}
	return 0;
}

/* KERNEL: 2.6.32 mm/oom_kill.c select_bad_process() */
static int
select_2632(struct zs_vm *vm, const struct zs_task *current, struct zs26_oom_choice *c,
	    zs_time_t now)
{
	for (uint32_t i = 0; i < vm->nr_tasks; i++) {
		struct zs_task *p = vm->tasks[i];

		/* kernel threads and tasks past exit_mm() have no mm; pid 1 is init */
		if (!has_mm(p) || p->pid == 1)
			continue;
		if (p->flags & ZS_TIF_MEMDIE) {
			c->releasing = p;
			return -1;
		}
		if (p->flags & ZS_PF_EXITING) {
			if (p != current) {
				c->releasing = p;
				return -1;
			}
			/* current is exiting: let it take the reserves */
			consider(c, p, POINTS_MAX);
		}
		if (p->oom_adj == OOM_DISABLE)
			continue;
		consider(c, p, zs26_badness(vm, p, now));
	}
	return 0;
}

int
zs26_select_bad_process(struct zs_vm *vm, const struct zs_task *current,
			struct zs26_oom_choice *c)
{
	zs_time_t now = zs_now(vm->engine);

	memset(c, 0, sizeof(*c));
	c->abort = vm->kver == ZS_KV_2632 ? select_2632(vm, current, c, now)
					  : select_2618(vm, c, now);
	return c->abort ? -1 : 0;
}

/*
 * KERNEL: 2.6.18 mm/oom_kill.c oom_kill_task() / __oom_kill_task(): SIGKILL
 * and TIF_MEMDIE for a task with an mm; 2.6.32 also refuses an OOM_DISABLE
 * task.  0 = killed, 1 = refused.  (No two thread groups share an mm here, so
 * 2.6.18's kill of the other sharers has nothing to do.)
 */
static int
oom_kill_task(struct zs_vm *vm, struct zs_task *p, int *again)
{
	if (!has_mm(p))
		return 1;
	if (vm->kver == ZS_KV_2632 && p->oom_adj == OOM_DISABLE)
		return 1;
	/* SUBTLE: 2.6.18 can pick a child that is already dying (an OOM_DISABLE child is
	 * skipped before select_bad_process's releasing test); the second SIGKILL changes
	 * nothing but is logged */
	*again = p->killed;
	zs_exit_sigkill(vm, p);
	return 0;
}

/* KERNEL: 2.6.18 mm/oom_kill.c oom_kill_process(): a child with its own mm first */
static struct zs_task *
oom_kill_process(struct zs_vm *vm, struct zs_task *p, int *again)
{
	/* KERNEL: 2.6.32 mm/oom_kill.c oom_kill_process(): an exiting task only gets TIF_MEMDIE */
	if (vm->kver == ZS_KV_2632 && (p->flags & ZS_PF_EXITING)) {
		p->flags |= ZS_TIF_MEMDIE;
		return p;
	}
	for (uint32_t c = p->first_child; c != ZS_NIL; c = vm->tasks[c]->next_sibling) {
		struct zs_task *child = vm->tasks[c];

		/* every task has its own mm here; a child past exit_mm has none */
		if (!oom_kill_task(vm, child, again))
			return child;
	}
	return oom_kill_task(vm, p, again) ? NULL : p;
}

/*
 * KERNEL: 2.6.18 mm/oom_kill.c constrained_alloc(): the zonelist must reach
 * every node (2.6.18: online; 2.6.32: with memory, zones up to gfp_zone) or
 * the allocation was bound (MPOL_BIND, or 2.6.32's __GFP_THISNODE).
 * DEVIATION: no cpusets, so never CONSTRAINT_CPUSET.
 */
static int
constrained_to_nodes(struct zs_vm *vm, struct zs_alloc_req *req)
{
	const struct zs_machine *m = vm->machine;
	struct zs26_pzl pz;
	const int *zl;
	int nzl;
	uint64_t want = 0, got = 0;

	/* the allocation's own zonelist: 2.6.18's MPOL_BIND one, 2.6.32's with the nodemask */
	zs26_policy_zonelist(vm, req, &pz);
	zl = pz.zl;
	nzl = pz.nzl;
	for (int n = 0; n < m->nr_nodes && n < 64; n++) {
		uint64_t present = 0;

		for (int i = 0; i < m->nr_zones; i++)
			if (m->zones[i].node == n)
				present += m->zones[i].present;
		if (vm->kver == ZS_KV_2618 || present)
			want |= 1ull << n;
	}
	for (int i = 0; i < nzl; i++)
		got |= 1ull << m->zones[zl[i]].node;
	return (want & ~got) != 0;
}

/* The events.csv row of a kill: who was scored, with what, and who came next. */
static void
oom_event(struct zs_vm *vm, const struct zs_alloc_req *req, struct zs_task *victim, int again,
	  const struct zs26_oom_choice *c, const char *why)
{
	char text[160];

	if (c)
		snprintf(text, sizeof(text),
			 "%s chosen=%u points=%" PRIu64 " runner_up=%d runner_up_points=%" PRIu64 "%s",
			 why, c->chosen->pid, c->points, c->runner_up ? (int)c->runner_up->pid : -1,
			 c->runner_up ? c->runner_points : 0, again ? " already_dying" : "");
	else
		snprintf(text, sizeof(text), "%s%s", why, again ? " already_dying" : "");
	zs_vm_event(vm, "oom_kill", victim, (int)req->cpu, req->gfp, (int)req->order, ZS_NIL,
		    text);
}

int
zs26_out_of_memory(struct zs_vm *vm, struct zs_alloc_req *req)
{
	struct zs26 *k = zs26_of(vm);
	struct zs26_oom_choice c;
	struct zs_task *victim;
	int again = 0;

	k->oom_calls++;
	/* DEVIATION: no OOM notifiers and panic_on_oom = 0 (sysctls not modelled) */
	if (constrained_to_nodes(vm, req)) {
		/* KERNEL: 2.6.18 mm/oom_kill.c out_of_memory(): CONSTRAINT_MEMORY_POLICY kills current */
		victim = req->task ? oom_kill_process(vm, req->task, &again) : NULL;
		if (!victim)
			return 0;
		oom_event(vm, req, victim, again, NULL, "mpol_bind");
		return 1;
	}
	/* DEVIATION: oom_kill_allocating_task = 0 (2.6.32 sysctl not modelled) */
	/* a refused kill selects again; the kernel would loop, zsim stops after every task */
	for (uint32_t tries = 0; tries <= vm->nr_tasks; tries++) {
		/* KERNEL: 2.6.32 mm/oom_kill.c __out_of_memory(): "Rambo mode" */
		if (zs26_select_bad_process(vm, req->task, &c)) {
			zs_vm_event(vm, "oom_abort", c.releasing, (int)req->cpu, req->gfp,
				    (int)req->order, ZS_NIL, "select_bad_process: still releasing");
			return 0;
		}
		if (!c.chosen)
			return -1;
		if (vm->kver == ZS_KV_2632 && (c.chosen->flags & ZS_PF_EXITING)) {
			oom_kill_process(vm, c.chosen, &again);
			return 1; /* current is exiting: TIF_MEMDIE only, no kill */
		}
		victim = oom_kill_process(vm, c.chosen, &again);
		if (victim) {
			oom_event(vm, req, victim, again, &c, "select_bad_process");
			return 1;
		}
	}
	return -1;
}

int
zs26_try_set_zonelist_oom(struct zs_vm *vm, const int *zl, int nzl)
{
	/* KERNEL: 2.6.32 mm/oom_kill.c try_set_zone_oom() */
	for (int i = 0; i < nzl; i++)
		if (zs26_zone(&vm->machine->zones[zl[i]])->oom_locked)
			return 0;
	for (int i = 0; i < nzl; i++)
		zs26_zone(&vm->machine->zones[zl[i]])->oom_locked = 1;
	zs26_of(vm)->oom_lock_holders++;
	return 1;
}

void
zs26_clear_zonelist_oom(struct zs_vm *vm, const int *zl, int nzl)
{
	/* KERNEL: 2.6.32 mm/oom_kill.c clear_zonelist_oom() */
	for (int i = 0; i < nzl; i++)
		zs26_zone(&vm->machine->zones[zl[i]])->oom_locked = 0;
	zs26_of(vm)->oom_lock_holders--;
}
